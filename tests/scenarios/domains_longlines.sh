#!/bin/sh
# The domain filter of an input (domains = web: the test/ record is not
# matched there) and lines over max_line_bytes (cut, flagged, rest skipped:
# the skipped rest never matches on its own).
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning" \
	"domains = web" "max_line_bytes = 64"
long=$(awk 'BEGIN { for (i = 0; i < 200; i++) printf "x" }')
{
	printf 'd1 No space left on device (a)\n'
	printf 'w1 Too many open files\n'
	printf 'w2 Too many open files %s upstream timed out (110: z)\n' "$long"
	printf 'w3 upstream timed out (110: y)\n'
} > "$T/logs/app.log"
start_daemon
wait_for "two alerts" has_alerts 2
wait_for "every line to be read" grep -qs ' 4 ' "$T/state/app.state"
stop_daemon

[ "$(count_alerts)" -eq 3 ] || fail "expected 3 alerts, got $(count_alerts)"
alert_lines | head -n 1 | grep -qx 'w1 Too many open files' || fail "first alert should be w1"
grep '"line":"w2 ' "$T/out" | grep -q '"truncated":true' || fail "w2 not flagged truncated"
w2=$(alert_lines | sed -n 2p)
[ ${#w2} -eq 64 ] || fail "w2 should be cut to 64 bytes, is ${#w2}"
grep '"line":"w3 ' "$T/out" | grep -q '"line_no":4}' || fail "w3 should be line 4"
! grep -q '"id":"test/disk-full"' "$T/out" || fail "a record outside the input's domains alerted"
exit 0
