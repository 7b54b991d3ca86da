#!/bin/sh
# A burst of 100,000 lines written at once: every 10th line matches, and
# each of those alerts exactly once, in order, with its line number.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = end"
: > "$T/logs/app.log"
start_daemon

awk 'BEGIN { for (i = 1; i <= 100000; i++)
	if (i % 10 == 0) printf "line %d No space left on device (sd%d)\n", i, i % 7;
	else printf "line %d all is well here\n", i }' >> "$T/logs/app.log"
wait_for "10000 alerts" has_alerts 10000
stop_daemon

[ "$(count_alerts)" -eq 10000 ] || fail "expected 10000 alerts, got $(count_alerts)"
grep -o '"line_no":[0-9]*' "$T/out" | cut -d: -f2 > "$T/got"
awk 'BEGIN { for (i = 10; i <= 100000; i += 10) print i }' > "$T/want"
cmp -s "$T/want" "$T/got" || fail "line numbers of the alerts are not 10, 20, ... 100000 in order"
log_has "100000 lines" || fail "the shutdown line does not count 100000 lines"
exit 0
