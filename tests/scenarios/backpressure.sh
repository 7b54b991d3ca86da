#!/bin/sh
# Backpressure: stdout is a pipe nobody reads, the output queue holds 10
# alerts; the inputs pause instead of losing alerts, and once the reader
# comes every alert arrives exactly once.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
sed -i 's/^type = stdout$/type = stdout\nqueue_max = 10/' "$T/fw.conf"
awk 'BEGIN { for (i = 1; i <= 3000; i++) printf "line %d Too many open files\n", i }' \
	> "$T/logs/app.log"
mkfifo "$T/pipe"
exec 4<>"$T/pipe"      # holds the pipe open: a reader that does not read (yet)
"$FIXWATCHD" -c "$T/fw.conf" > "$T/pipe" 2>> "$T/err" 4>&- &
DPID=$!
wait_for "the start-up line" log_has "started"
# Far more alerts than the pipe buffer and the queue hold: the daemon must
# be stuck, not done. Its checkpoint must not pass what was not written.
sleep 0.5   # not a synchronisation: the stuck state has no event to wait for
kill -0 "$DPID" || fail "fixwatchd died while its output was blocked"
cat "$T/pipe" > "$T/out" 4>&- &
CPID=$!
wait_for "3000 alerts" has_alerts 3000
stop_daemon
exec 4>&-
wait_for "the reader to end" sh -c "! kill -0 $CPID 2>/dev/null"

[ "$(count_alerts)" -eq 3000 ] || fail "expected 3000 alerts, got $(count_alerts)"
alert_lines | sort | uniq -d > "$T/dups"
[ ! -s "$T/dups" ] || fail "alerts repeated"
grep -o '"line_no":[0-9]*' "$T/out" | cut -d: -f2 > "$T/got"
seq 1 3000 > "$T/want"
cmp -s "$T/want" "$T/got" || fail "alerts out of order or missing"
exit 0
