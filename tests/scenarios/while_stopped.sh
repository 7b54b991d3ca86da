#!/bin/sh
# What happens while the daemon is stopped: a followed file is rotated away
# to a name the glob does not match (what was written to it after the
# checkpoint is still read, found by its inode next to the old name), and
# another is rewritten in place (same inode, other first bytes: read from
# the start, not from the stale offset).
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/*.log" "start_at = beginning"
printf 'a1 No space left on device (a)\n' > "$T/logs/a.log"
printf 'b1 Too many open files and a longer line than what comes later\n' > "$T/logs/b.log"
start_daemon
wait_for "two alerts" has_alerts 2
stop_daemon

printf 'a2 Too many open files\n' >> "$T/logs/a.log"
mv "$T/logs/a.log" "$T/logs/a.log.1"
printf 'n1 upstream timed out (110: n)\n' > "$T/logs/a.log"
printf 'c1 Too many open files\nc2 No space left on device (c)\nc3 upstream timed out (110: c)\n' > "$T/logs/b.log"

start_daemon
wait_for "seven alerts" has_alerts 7
wait_for "the rotated file to be closed" log_has "old file read to its end"
stop_daemon

alert_lines | sort > "$T/got.sorted"
printf '%s\n' "a1 No space left on device (a)" \
	"b1 Too many open files and a longer line than what comes later" \
	"a2 Too many open files" "n1 upstream timed out (110: n)" \
	"c1 Too many open files" "c2 No space left on device (c)" \
	"c3 upstream timed out (110: c)" | sort > "$T/want.sorted"
diff -u "$T/want.sorted" "$T/got.sorted" >&2 || fail "alerts differ (lost or repeated lines)"
log_has "rotated while stopped" || fail "the rotated file was not found by its inode"
log_has "holds another file now" || fail "the rewritten file was not recognised"
exit 0
