#!/bin/sh
# [alerts] window / threshold in the real daemon: a storm of one error gives
# one alert and one summary with its count; the summary comes from the
# window's timer while the daemon runs, or at a clean stop; threshold holds
# alerts back until enough matches fall inside the window. A summary
# carries the last match it stands for (line, source, captures), also when
# a reload replaced the KB while the window was open.
. "$(dirname "$0")/daemon_lib.sh"

counts_of() { grep "\"id\":\"$1\"" "$T/out" | grep -o '"count":[0-9]*' | cut -d: -f2 | tr '\n' ' '; }

write_kb
# 1. --oneshot: the summaries are flushed at the end.
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
printf '[alerts]\nwindow = 1m\n' >> "$T/fw.conf"
{
	i=0; while [ $i -lt 50 ]; do echo "No space left on device (sda$i)"; i=$((i + 1)); done
	echo "Too many open files"; echo "Too many open files"; echo "Too many open files"
} > "$T/logs/app.log"
"$FIXWATCHD" -c "$T/fw.conf" --oneshot > "$T/out" 2> "$T/err" || fail "oneshot failed"
[ "$(count_alerts)" -eq 4 ] || fail "expected 4 alerts, got $(count_alerts)"
[ "$(counts_of test/disk-full)" = "1 49 " ] || fail "disk-full counts: $(counts_of test/disk-full)"
[ "$(counts_of web/too-many-files)" = "1 2 " ] || fail "too-many-files counts: $(counts_of web/too-many-files)"
summary=$(grep '"count":49' "$T/out")
case $summary in
*'"line":"No space left on device (sda49)"'*'"captures":{"dev":"sda49"}'*) ;;
*) fail "the summary does not carry the last held match: $summary" ;;
esac
echo "$summary" | grep -q '"line_no":50}' || fail "the summary's source is not line 50: $summary"

# 2. A running daemon: the window closes on its own (1 s) and the summary follows.
rm -rf "$T/state" "$T/out" "$T/err"
write_conf "type = file" "path = $T/logs/run.log" "start_at = beginning"
printf '[alerts]\nwindow = 1s\n' >> "$T/fw.conf"
: > "$T/logs/run.log"
start_daemon
i=0; while [ $i -lt 10 ]; do echo "No space left on device (sdb)" >> "$T/logs/run.log"; i=$((i + 1)); done
wait_for "the alert and its summary" has_alerts 2
[ "$(counts_of test/disk-full)" = "1 9 " ] || fail "running counts: $(counts_of test/disk-full)"
stop_daemon

# 2b. A reload that replaces the KB while a window is open: the summary
# sent afterwards still describes the record its matches were held under.
rm -rf "$T/state" "$T/out" "$T/err"
write_conf "type = file" "path = $T/logs/rl.log" "start_at = beginning"
printf '[alerts]\nwindow = 3s\n' >> "$T/fw.conf"
# Written before the start: one read takes all five, before the reload
# (a signal is handled between reads).
i=0; while [ $i -lt 5 ]; do echo "No space left on device (sdc$i)"; i=$((i + 1)); done > "$T/logs/rl.log"
start_daemon
wait_for "the first alert" has_alerts 1
sed -i 's/The file system is full\./Replaced by the reload./' "$T/kb/test.jsonl"
kill -HUP "$DPID"
wait_for "the reload" log_has "reloaded"
wait_for "the summary" has_alerts 2
stop_daemon
summary=$(grep '"count":4' "$T/out")
case $summary in
*'"line":"No space left on device (sdc4)"'*'"root_cause":"The file system is full."'*) ;;
*) fail "the summary after a reload lost its record or line: $summary" ;;
esac
write_kb

# 3. threshold = 3: two matches alert nothing, the third alerts with count 3.
rm -rf "$T/state" "$T/out" "$T/err"
write_conf "type = file" "path = $T/logs/th.log" "start_at = beginning"
printf '[alerts]\nwindow = 1m\nthreshold = 3\n' >> "$T/fw.conf"
printf 'Too many open files\nToo many open files\n' > "$T/logs/th.log"
"$FIXWATCHD" -c "$T/fw.conf" --oneshot > "$T/out" 2> "$T/err" || fail "oneshot failed"
[ "$(count_alerts)" -eq 0 ] || fail "threshold: alerted below it"
printf 'Too many open files\n' >> "$T/logs/th.log"
rm -rf "$T/state"
"$FIXWATCHD" -c "$T/fw.conf" --oneshot > "$T/out" 2> "$T/err" || fail "oneshot failed"
[ "$(counts_of web/too-many-files)" = "3 " ] || fail "threshold counts: $(counts_of web/too-many-files)"
exit 0
