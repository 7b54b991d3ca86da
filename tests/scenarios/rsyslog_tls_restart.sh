#!/bin/sh
# The TLS collector stops mid-stream and comes back: every alert arrives,
# none is lost, and the output logs the break and the reconnection. Only
# alerts sent before the stop (lines 1-300) may come twice, each at most
# twice: what rsyslogd's TCP had taken in the last confirmation interval
# (docs/delivery.md); the run reports how many.
. "$(dirname "$0")/rsyslog_tls_lib.sh"

make_pki
P=$(free_port tcp)
tls_rsyslog_conf col "$P"
start_rsyslog tcp:"$P"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
# No port: RFC 5425's 6514 would be used; this one is written out.
tls_output col "$P"
: > "$T/logs/app.log"
start_daemon
lines 1 300
wait_for "the first 300 alerts" has_received col 300
wait_for "the first 300 alerts, distinct" has_distinct col 300
stop_rsyslog
# Written while the collector is down: held in the output's queue.
lines 301 600
wait_for "the output to notice" log_has "retrying with backoff"
start_rsyslog tcp:"$P"
lines 601 900
wait_for "all 900 alerts" has_distinct col 900
log_has "connected to tls://localhost:$P again" || fail "no reconnect line"
stop_daemon
stop_rsyslog

"$JSONL_GET" source.line_no "$T/rs/col" > "$T/seen" || fail "a message is not valid JSON"
seq 1 900 > "$T/want"
sort -n -u "$T/seen" | diff -u "$T/want" - >&2 || fail "alerts missing"
dups=$(sort -n "$T/seen" | uniq -d | wc -l)
echo "rsyslog_tls_restart: 900 alerts, $dups duplicates"
late=$(sort -n "$T/seen" | uniq -d | awk '$1 > 300' | head -3 | tr '\n' ' ')
[ -z "$late" ] || fail "alerts sent after the collector came back were repeated: $late"
thrice=$(sort -n "$T/seen" | uniq -c | awk '$1 > 2 { print $2 }' | head -3 | tr '\n' ' ')
[ -z "$thrice" ] || fail "alerts repeated more than once for one break: $thrice"
exit 0
