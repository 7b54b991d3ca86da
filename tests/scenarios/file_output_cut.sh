#!/bin/sh
# The file output after a SIGKILL in the middle of a write: the kernel stops
# a writev() of several pages at a page boundary, so the alerts file can
# end in a cut alert (found by the fault-injection harness: seed 9004's
# `kill` step left `"line":"n=` at a 4 KiB boundary, and the next daemon's
# first alert continued that line). The restarted daemon takes the cut part
# off before it appends; the alert is sent again whole (it was never
# acknowledged). A file that ends in an unfinished line of someone else's
# gets a newline instead: every alert starts a line of its own.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
with_file_output "$T/alerts.jsonl"
A=$T/alerts.jsonl
# Lines holding more than one alert: two alerts run together.
merged() { grep -c '"schema".*"schema"' "$A" || true; }

# One whole alert, then one cut where SIGKILL cut seed 9004's.
printf '%s\n%s' \
	'{"schema":"fixwatch.alert/1","host":"scenario","line":"line 0 Too many open files"}' \
	'{"schema":"fixwatch.alert/1","host":"scenario","source":{"type":"file"},"line":"n=' > "$A"
echo "line 1 Too many open files" > "$T/logs/app.log"
start_daemon
echo "line 2 Too many open files" >> "$T/logs/app.log"
wait_for "2 alerts after the old one" lines_in "$A" 3
stop_daemon
[ "$(merged)" -eq 0 ] || fail "an alert continued the cut one: $(grep -m1 '"schema".*"schema"' "$A")"
[ "$(wc -l < "$A")" -eq 3 ] || fail "$(wc -l < "$A") lines, not the old alert and 2 new ones"
grep -q '"line":"n=' "$A" && fail "the cut alert is still in the file"
log_has "ended in a cut alert" || fail "the cut alert taken off was not said"
[ "$(tail -c 1 "$A" | od -An -tx1 | tr -d ' ')" = 0a ] || fail "the file does not end with a newline"

# Someone else's unfinished line: kept, ended, the alerts after it.
printf 'not an alert' >> "$A"
start_daemon
echo "line 3 Too many open files" >> "$T/logs/app.log"
wait_for "the alert after the foreign line" grep -q '"line":"line 3 Too many open files"' "$A"
stop_daemon
[ "$(merged)" -eq 0 ] || fail "alerts run together"
grep -qx 'not an alert' "$A" || fail "the foreign line was not kept whole on a line of its own"
grep -q '^{"schema":"fixwatch.alert/1".*"line":"line 3 Too many open files"' "$A" ||
	fail "the alert after the foreign line does not start its line"
log_has "did not end with a newline" || fail "the newline added was not said"
exit 0
