#!/bin/sh
# systemd integration as systemd sees it: READY=1 with a STATUS carrying the
# counts, WATCHDOG=1 while WATCHDOG_USEC is set, RELOADING=1 then READY=1 on
# SIGHUP, STOPPING=1 on SIGTERM, exit 0.
. "$(dirname "$0")/daemon_lib.sh"

LISTEN="${top_builddir:?run through make check}/tests/notify_listen"
write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
printf 'a1 No space left on device (a)\nfine\n' > "$T/logs/app.log"
"$LISTEN" "$T/notify.sock" "$T/notify" 300000 "$FIXWATCHD" -c "$T/fw.conf" \
	>> "$T/out" 2>> "$T/err" &
LPID=$!
notified() { grep -q -- "$1" "$T/notify" 2>/dev/null; }
wait_for "READY=1" notified "READY=1"
DPID=$(sed -n 's/^PID //p' "$T/notify")
wait_for "the first alert" has_alerts 1
wait_for "a STATUS with the counts" notified "STATUS=lines 2, matches 1, alerts 1"
wait_for "the queue figures in STATUS" notified "alerts 1, queued 0, dropped 0"
wait_for "two watchdog pings" sh -c "[ \$(grep -c '^WATCHDOG=1' '$T/notify') -ge 2 ]"
kill -HUP "$DPID"
wait_for "the reload" log_has "reloaded"
# READY=1 is sent just after the "reloaded" line is logged: wait for it.
ready_after_reload() { awk '/^RELOADING=1/ { r = 1 } r && /^READY=1/ { f = 1 } END { exit !f }' "$T/notify"; }
wait_for "READY=1 after RELOADING=1" ready_after_reload
kill -TERM "$DPID"
rc=0
wait "$LPID" || rc=$?
DPID=
[ "$rc" -eq 0 ] || fail "fixwatchd exited with $rc"
notified "STOPPING=1" || fail "no STOPPING=1"
exit 0
