#!/bin/sh
# A file far larger than one read budget (4 MiB per loop iteration) with the
# shortest partial_flush: the line cut at the end of each budget is not a
# partial line (the reader is busy, not idle at the end of the file), so no
# line may be read as two (issue 10, row 9: 102,504 lines read for 102,500
# written, one alert missing).
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check}"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning" "partial_flush = 1ms"
with_control

# 100,000 lines of 170 bytes (17 MB): no 4 MiB boundary falls on a line end.
# Every 10th line matches; each line ends with its own number again, so a
# fragment cannot pass for a whole line.
N=100000
awk -v n=$N 'BEGIN { pad = sprintf("%140s", ""); gsub(/ /, "x", pad)
	for (i = 1; i <= n; i++) {
		if (i % 10 == 0) s = sprintf("line %07d No space left on device (sd%d) %s", i, i % 7, pad)
		else s = sprintf("line %07d all is well here %s", i, pad)
		printf "%s %07d\n", substr(s, 1, 161), i } }' > "$T/logs/app.log"
[ "$(stat -c %s "$T/logs/app.log")" -eq $((N * 170)) ] || fail "the log is not $N lines of 170 bytes"
start_daemon

read_all() {
	"$FIXWATCH" status -s "$T/ctl.sock" > "$T/status" 2>/dev/null &&
		grep -q "app.log  offset $((N * 170))  lag 0 bytes" "$T/status"
}
wait_for "the daemon to read the whole file" read_all
wait_for "$((N / 10)) alerts" has_alerts $((N / 10))
"$FIXWATCH" status -s "$T/ctl.sock" > "$T/status" || fail "fixwatch status failed"
stop_daemon

read_lines=$(sed -n 's/^read: \([0-9]*\) lines.*/\1/p' "$T/status")
[ "$read_lines" = "$N" ] || fail "status: $read_lines lines read for $N written (a line read as two)"
[ "$(count_alerts)" -eq $((N / 10)) ] || fail "expected $((N / 10)) alerts, got $(count_alerts)"
alert_lines | awk '{ if (length($0) != 169 || $2 != $NF) { print "fragment: " $0; exit 1 } }' >&2 ||
	fail "an alert carries a fragment of a line"
grep -o '"line_no":[0-9]*' "$T/out" | cut -d: -f2 > "$T/got"
awk -v n=$N 'BEGIN { for (i = 10; i <= n; i += 10) print i }' > "$T/want"
cmp -s "$T/want" "$T/got" || fail "line numbers of the alerts are not 10, 20, ... $N in order"
echo "partial_budget: $N lines of 170 bytes read as $read_lines, $(count_alerts) alerts"
exit 0
