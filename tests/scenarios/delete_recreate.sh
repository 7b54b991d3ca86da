#!/bin/sh
# Delete and re-create, and a file that disappears for a while and returns:
# the deleted file is read to its end, the new one from its start.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
printf 'a1 No space left on device (a)\n' > "$T/logs/app.log"
start_daemon
wait_for "the first alert" has_alerts 1

exec 3>>"$T/logs/app.log"
rm "$T/logs/app.log"
printf 'a2 Too many open files\n' >&3     # written after the delete, still read
exec 3>&-
printf 'b1 upstream timed out (110: b)\n' > "$T/logs/app.log"
wait_for "three alerts" has_alerts 3

rm "$T/logs/app.log"
wait_for "the deleted file to be closed" log_has "old file read to its end"
printf 'c1 No space left on device (c)\n' > "$T/logs/app.log"
wait_for "four alerts" has_alerts 4
stop_daemon

alert_lines | sort > "$T/got.sorted"
printf '%s\n' "a1 No space left on device (a)" "a2 Too many open files" \
	"b1 upstream timed out (110: b)" "c1 No space left on device (c)" | sort > "$T/want.sorted"
diff -u "$T/want.sorted" "$T/got.sorted" >&2 || fail "alerts differ (lost or repeated lines)"
exit 0
