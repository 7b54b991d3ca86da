#!/bin/sh
# An alert's `time` is when fixwatchd read its line: a file or stdin input
# reads the clock once per block it reads, not once per line. Every alert
# of a storm several blocks long, a summary, and the last line without its
# newline (handed over after the reads) carry a time within the run, in the
# order of their lines.
. "$(dirname "$0")/daemon_lib.sh"

now() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }

# check_times FIRST LAST [unordered]: every "time" of $T/out is within [FIRST,
# LAST] and, unless unordered, none is earlier than the alert before it
# (ISO 8601 UTC compares as text).
check_times() {
	grep -o '"time":"[^"]*"' "$T/out" | sed 's/^"time":"//; s/"$//' |
		awk -v a="$1" -v b="$2" -v ordered="${3:-ordered}" '
			$0 < a || $0 > b { print "time " $0 " of alert " NR " is outside " a " .. " b; bad = 1 }
			ordered == "ordered" && NR > 1 && $0 < prev {
				print "alert " NR " at " $0 " is earlier than " prev; bad = 1 }
			{ prev = $0 }
			END { exit bad }' >&2 || fail "alert times are not those of the run"
}

write_kb
write_conf "type = file" "path = $T/logs/*.log" "start_at = beginning"
printf '[alerts]\nwindow = 0\n' >> "$T/fw.conf"
# 6,000 matching lines (about 400 KiB: several read blocks) and a last one without newline.
awk 'BEGIN { for (i = 0; i < 6000; i++)
	printf "line %d of a storm: Too many open files, padding to about seventy bytes\n", i }' \
	> "$T/logs/a.log"
printf 'the end: No space left on device (sda)' >> "$T/logs/a.log"

t0=$(now)
run_oneshot
t1=$(now)
[ "$(count_alerts)" -eq 6001 ] || fail "expected 6001 alerts, got $(count_alerts)"
alert_lines | tail -n 1 | grep -q '^the end: No space left on device (sda)$' ||
	fail "the last line without newline was not alerted last"
check_times "$t0" "$t1"

# stdin: the same, from a pipe.
write_conf "type = stdin"
printf '[alerts]\nwindow = 0\n' >> "$T/fw.conf"
: > "$T/out"
t0=$(now)
cat "$T/logs/a.log" | run_oneshot
t1=$(now)
[ "$(count_alerts)" -eq 6001 ] || fail "stdin: expected 6001 alerts, got $(count_alerts)"
check_times "$t0" "$t1"

# A window: one alert, then one summary of the 5,999 held (the last line
# has another record); the summary carries the last held match's line and
# time, sent at the end, after the last line's alert, with an earlier time.
write_conf "type = file" "path = $T/logs/*.log" "start_at = beginning"
printf '[alerts]\nwindow = 1h\n' >> "$T/fw.conf"
rm -rf "$T/state"/*
: > "$T/out"
t0=$(now)
run_oneshot
t1=$(now)
[ "$(count_alerts)" -eq 3 ] || fail "window: expected 3 alerts, got $(count_alerts)"
grep -q '"line":"line 5999 of a storm: Too many open files, padding to about seventy bytes".*"count":5999}$' "$T/out" ||
	fail "the summary does not carry the last held line and count 5999"
check_times "$t0" "$t1" unordered

# nginx's error log read as plain: its own time (local; UTC here) as event_time,
# no fields, in the alert and in the summary of the held lines.
export TZ=UTC
write_conf "type = file" "path = $T/logs/*.log" "start_at = beginning"
printf '[alerts]\nwindow = 1h\n' >> "$T/fw.conf"
rm -rf "$T/state"/* "$T/logs"/*
: > "$T/out"
for s in 05 06 07; do
	echo "2026/11/23 08:00:$s [error] 1#1: *5 upstream timed out (110: Connection timed out)"
done > "$T/logs/error.log"
run_oneshot
[ "$(count_alerts)" -eq 2 ] || fail "nginx: expected an alert and a summary, got $(count_alerts)"
grep -c '"event_time":"2026-11-23T08:00:05.000Z".*"captures":{},"fields":{},.*"count":1}$' "$T/out" |
	grep -qx 1 || fail "nginx: the alert's event_time or fields"
grep -c '"event_time":"2026-11-23T08:00:07.000Z".*"captures":{},"fields":{},.*"count":2}$' "$T/out" |
	grep -qx 1 || fail "nginx: the summary's event_time or fields"
exit 0
