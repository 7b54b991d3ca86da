#!/bin/sh
# The collector is down the whole time the daemon runs, and the daemon is
# restarted: the checkpoint did not move past undelivered alerts, so the
# second run sends them all once the collector is up, each exactly once.
. "$(dirname "$0")/rsyslog_lib.sh"

P=$(free_port tcp)
rsyslog_conf col:tcp:$P

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
cat >> "$T/fw.conf" <<CONF
[output.col]
type = syslog
address = tcp://127.0.0.1:$P
CONF
awk 'BEGIN { for (i = 1; i <= 50; i++) printf "line %d No space left on device (sd%d)\n", i, i }' \
	> "$T/logs/app.log"
start_daemon
wait_for "the output to fail" log_has "retrying with backoff"
stop_daemon
log_has "50 alerts not taken" || log_has "stopped" || fail "no shutdown line"

start_daemon
start_rsyslog tcp:$P
wait_for "50 alerts" has_distinct col 50
stop_daemon
stop_rsyslog
expect_each_once col 50
exit 0
