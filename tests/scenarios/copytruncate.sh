#!/bin/sh
# logrotate's copytruncate: the file is copied away and truncated in place,
# then written again (here more than before, and once with fewer bytes than
# were read). Reading starts again at 0 each time: nothing lost, nothing twice;
# status and the metrics count each re-read from the start.
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check}"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
with_control "$T/fixwatch.prom"
: > "$T/logs/app.log"
start_daemon

printf 'a1 No space left on device (a)\na2 Too many open files\n' >> "$T/logs/app.log"
wait_for "two alerts" has_alerts 2
cp "$T/logs/app.log" "$T/logs/app.log.1"
: > "$T/logs/app.log"
# Written again right away, longer than before the truncation: only the
# changed first bytes tell that it was truncated.
printf 'b1 upstream timed out (110: a)\nb2 No space left on device (longer)\nb3 Too many open files\n' >> "$T/logs/app.log"
wait_for "five alerts" has_alerts 5
wait_for "the truncation to be logged" log_has "truncated to"
cp "$T/logs/app.log" "$T/logs/app.log.2"
: > "$T/logs/app.log"
printf 'c1 Too many open files\n' >> "$T/logs/app.log"
wait_for "six alerts" has_alerts 6
rereads() {
	"$FIXWATCH" status -s "$T/ctl.sock" > "$T/status" 2>/dev/null &&
		grep -q "app (file)  rotations 2  errors 0  fd limit 0  re-read 2  identity mismatches 0" \
			"$T/status"
}
wait_for "status to count two re-reads from the start" rereads
metrics_rereads() { grep -qx 'fixwatch_input_reread_total{input="app"} 2' "$T/fixwatch.prom" 2>/dev/null; }
wait_for "the metrics to count two re-reads from the start" metrics_rereads
stop_daemon

expect_lines "a1 No space left on device (a)" "a2 Too many open files" \
	"b1 upstream timed out (110: a)" "b2 No space left on device (longer)" \
	"b3 Too many open files" "c1 Too many open files"
grep '"line":"c1 ' "$T/out" | grep -q '"offset":0,"line_no":1}' || fail "c1 should be line 1 at offset 0"
exit 0
