#!/bin/sh
# Rotation by rename in the middle of writing: the writer still holds the
# old file open and finishes a line there (half written before the rename)
# after the rename; the old file is drained to its end, the new one is read
# from its start; nothing lost, nothing twice.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
: > "$T/logs/app.log"
start_daemon

exec 3>>"$T/logs/app.log"
printf 'a1 No space left on device (a)\n' >&3
wait_for "the first alert" has_alerts 1
printf 'a2 Too many open ' >&3
mv "$T/logs/app.log" "$T/logs/app.log.1"
printf 'files\n' >&3
printf 'b1 upstream timed out (110: x)\n' >> "$T/logs/app.log"
printf 'a3 No space left on device (c)\n' >&3
exec 3>&-
printf 'b2 Too many open files\n' >> "$T/logs/app.log"
wait_for "five alerts" has_alerts 5
wait_for "the old file to be closed" log_has "old file read to its end"
printf 'b3 No space left on device (d)\n' >> "$T/logs/app.log"
wait_for "six alerts" has_alerts 6
stop_daemon

alert_lines | sort > "$T/got.sorted"
printf '%s\n' "a1 No space left on device (a)" "a2 Too many open files" \
	"a3 No space left on device (c)" "b1 upstream timed out (110: x)" \
	"b2 Too many open files" "b3 No space left on device (d)" | sort > "$T/want.sorted"
diff -u "$T/want.sorted" "$T/got.sorted" >&2 || fail "alerts differ (lost or repeated lines)"
# Lines of the new file are numbered from 1 again.
grep '"line":"b1 ' "$T/out" | grep -q '"offset":0,"line_no":1}' || fail "b1 should be line 1 of the new file"
grep '"line":"a3 ' "$T/out" | grep -q '"line_no":3}' || fail "a3 should be line 3 of the old file"
log_has "renamed or removed" || fail "the rotation was not logged"
exit 0
