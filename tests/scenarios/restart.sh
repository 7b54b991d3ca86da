#!/bin/sh
# SIGTERM in the middle of a burst, then a restart: the checkpoint holds
# only what the output took, so every expected alert appears exactly once
# across the two runs.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
: > "$T/logs/app.log"
start_daemon

# The writer appends 20 chunks of 5,000 lines (every 10th matching); half
# of them before the stop, half while the daemon is down or starting again.
(
	c=0
	while [ $c -lt 20 ]; do
		if [ $c -eq 10 ]; then
			i=0
			until [ -e "$T/go" ]; do
				i=$((i + 1)); [ $i -le 400 ] || exit 1; sleep 0.05
			done
		fi
		awk -v c=$c 'BEGIN { for (i = c * 5000 + 1; i <= (c + 1) * 5000; i++)
			if (i % 10 == 0) printf "line %d Too many open files\n", i;
			else printf "line %d fine\n", i }' >> "$T/logs/app.log"
		c=$((c + 1))
	done
) &
WPID=$!
wait_for "some alerts" has_alerts 500
stop_daemon
log_has "stopped (SIGTERM)" || fail "no shutdown line"
touch "$T/go"
start_daemon
wait "$WPID" || fail "the writer timed out"
wait_for "10000 alerts" has_alerts 10000
# The periodic checkpoint reaches the last line too.
wait_for "the last line's checkpoint" grep -qs ' 100000 ' "$T/state/app.state"
stop_daemon

alert_lines | sort | uniq -d > "$T/dups"
[ ! -s "$T/dups" ] || fail "alerts repeated across the restart: $(head -3 "$T/dups")"
[ "$(count_alerts)" -eq 10000 ] || fail "expected 10000 alerts, got $(count_alerts)"
grep -q "resuming at offset" "$T/err" || fail "the second run did not resume from the checkpoint"
exit 0
