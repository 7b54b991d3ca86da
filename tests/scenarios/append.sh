#!/bin/sh
# Appending to a followed file: start_at = end skips what was there, each
# appended matching line alerts once with its offset and line number, and a
# last line without newline is matched after partial_flush.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = end" "partial_flush = 300ms"
printf 'old: No space left on device (sda)\nquiet line\n' > "$T/logs/app.log"
start_daemon

printf 'x: upstream timed out (110: Connection timed out)\nnothing here\n' >> "$T/logs/app.log"
wait_for "the first alert" has_alerts 1
printf 'y: Too many open files\n' >> "$T/logs/app.log"
printf 'z: No space left on device (sdb)' >> "$T/logs/app.log"
wait_for "the partial line's alert" has_alerts 3
stop_daemon

expect_lines \
	"x: upstream timed out (110: Connection timed out)" \
	"y: Too many open files" \
	"z: No space left on device (sdb)"
# Offsets and line numbers count the lines that were there before the start.
grep -q '"offset":46,"line_no":3}' "$T/out" || fail "first appended line: wrong offset/line_no"
grep -q '"offset":132,"line_no":6}' "$T/out" || fail "third appended line: wrong offset/line_no"
grep -q '"captures":{"dev":"sdb"}' "$T/out" || fail "named capture missing"
grep -q '"id":"web/upstream-timeout"' "$T/out" || fail "record id missing"
exit 0
