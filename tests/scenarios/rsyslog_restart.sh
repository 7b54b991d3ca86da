#!/bin/sh
# The collector stops mid-stream and comes back: every alert arrives, none
# is lost. At-least-once allows duplicates only for what rsyslogd's TCP had
# taken before it went away and the output had not yet confirmed
# (docs/delivery.md): only alerts sent before the stop (lines 1-300) may
# come twice, each at most twice; how many depends on the machine's load,
# so the run reports the count rather than bounding it by a timing guess.
. "$(dirname "$0")/rsyslog_lib.sh"

P=$(free_port tcp)
rsyslog_conf col:tcp:$P
start_rsyslog tcp:$P

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
cat >> "$T/fw.conf" <<CONF
[output.col]
type = syslog
address = tcp://127.0.0.1:$P
CONF

lines() {
	awk -v a="$1" -v b="$2" 'BEGIN { for (i = a; i <= b; i++)
		printf "line %d No space left on device (sd%d)\n", i, i }' >> "$T/logs/app.log"
}
: > "$T/logs/app.log"
start_daemon
lines 1 300
wait_for "the first 300 alerts" has_distinct col 300
stop_rsyslog
# Written while the collector is down: held in the output's queue.
lines 301 600
wait_for "the output to notice" log_has "retrying with backoff"
start_rsyslog tcp:$P
lines 601 900
wait_for "all 900 alerts" has_distinct col 900
log_has "connected to tcp://127.0.0.1:$P again" || fail "no reconnect line"
stop_daemon

"$JSONL_GET" source.line_no "$T/rs/col" > "$T/seen" || fail "a message is not valid JSON"
seq 1 900 > "$T/want"
sort -n -u "$T/seen" | diff -u "$T/want" - >&2 || fail "alerts missing"
dups=$(sort -n "$T/seen" | uniq -d | wc -l)
echo "rsyslog_restart: 900 alerts, $dups duplicates"
late=$(sort -n "$T/seen" | uniq -d | awk '$1 > 300' | head -3 | tr '\n' ' ')
[ -z "$late" ] || fail "alerts sent after the collector came back were repeated: $late"
thrice=$(sort -n "$T/seen" | uniq -c | awk '$1 > 2 { print $2 }' | head -3 | tr '\n' ' ')
[ -z "$thrice" ] || fail "alerts repeated more than once for one break: $thrice"
exit 0
