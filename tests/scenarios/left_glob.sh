#!/bin/sh
# A file that leaves the patterns (renamed to a name the glob does not
# match) is read to its end and closed, but remembered: when it comes back,
# what it held is not alerted again, only what was written since. The
# memory survives a restart (the checkpoint holds it).
. "$(dirname "$0")/daemon_lib.sh"

lines() {
	awk -v p="$1" -v a="$2" -v b="$3" \
		'BEGIN { for (i = a; i <= b; i++) printf "%s%d No space left on device (sda)\n", p, i }'
}
closed_count() { grep -c "old file read to its end, closed" "$T/err" 2>/dev/null || true; }
closed_more() { [ "$(closed_count)" -gt "$1" ]; }

write_kb
write_conf "type = file" "path = $T/logs/*.log" "start_at = beginning"
lines a 1 5 > "$T/logs/a.log"
start_daemon
wait_for "five alerts" has_alerts 5

# Away while running, written to while away, back while running.
n=$(closed_count)
mv "$T/logs/a.log" "$T/logs/a.away"
wait_for "the file that left to be closed" closed_more "$n"
lines b 1 2 >> "$T/logs/a.away"
mv "$T/logs/a.away" "$T/logs/a.log"
lines c 1 1 >> "$T/logs/a.log"
wait_for "eight alerts" has_alerts 8
log_has "\[input.app\] $T/logs/a.log: came back to the patterns; resuming at offset" ||
	fail "no log line says the file came back"

# Away, then a restart, then back: the restarted daemon remembers it.
n=$(closed_count)
mv "$T/logs/a.log" "$T/logs/a.away"
wait_for "the file that left to be closed again" closed_more "$n"
stop_daemon
start_daemon
mv "$T/logs/a.away" "$T/logs/a.log"
lines d 1 1 >> "$T/logs/a.log"
wait_for "nine alerts" has_alerts 9
stop_daemon

{ lines a 1 5; lines b 1 2; lines c 1 1; lines d 1 1; } > "$T/want"
alert_lines > "$T/got" || true
diff -u "$T/want" "$T/got" >&2 || fail "alerts differ (lines lost or repeated)"
exit 0
