#!/bin/sh
# Every libuv handle of the inputs and the control socket is closed and
# freed, whatever is open when the daemon reloads or stops: a stdin input
# on a pipe that stays open, a file input whose second directory does not
# exist (its watch fails at start and at each reload), its watches made
# anew by a reload, an input added by one reload and removed by the next,
# and control connections (test_control covers the ones still open when
# it closes). The sanitizer build's run
# of this scenario fails on any leak or use after free (exit status).
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = stdin"
with_control
printf '[input.files]\ntype = file\npath = %s %s\nstart_at = beginning\n' \
	"$T/logs/a.log" "$T/missing/b.log" >> "$T/fw.conf"
printf 'a1 No space left on device (a)\n' > "$T/logs/a.log"
mkfifo "$T/stdin"
exec 3<> "$T/stdin"
"$FIXWATCHD" -c "$T/fw.conf" 0<&3 >> "$T/out" 2>> "$T/err" &
DPID=$!
wait_for "the start-up line" log_has "fixwatchd: started"
printf 's1 Too many open files\n' >&3
wait_for "a1 and s1" has_alerts 2

status_ok() { "$FIXWATCH" status -s "$T/ctl.sock" > "$T/status" 2>&1; }
status_ok || fail "status: $(cat "$T/status")"

# A reload that makes the file input's watches anew and adds an input.
sed -i "s|^path = $T/logs/a.log |path = $T/logs/*.log |" "$T/fw.conf"
printf '[input.extra]\ntype = file\npath = %s\nstart_at = beginning\n' "$T/other/x.log" >> "$T/fw.conf"
mkdir -p "$T/other"
printf 'x1 upstream timed out (110: x)\n' > "$T/other/x.log"
kill -HUP "$DPID"
wait_for "the first reload" log_has "reloaded:.* 3 inputs"
wait_for "x1" has_alerts 3
status_ok || fail "status after the reload: $(cat "$T/status")"

# One that removes it again.
sed -i '/^\[input.extra\]$/,$d' "$T/fw.conf"
kill -HUP "$DPID"
wait_for "the second reload" log_has "reloaded:.* 2 inputs"
log_has "\[input.extra\]: removed" || fail "extra's removal not logged"
printf 's2 No space left on device (s)\n' >&3
wait_for "s2" has_alerts 4

stop_daemon
exec 3>&-
[ ! -e "$T/ctl.sock" ] || fail "the control socket file is left"
[ "$(count_alerts)" -eq 4 ] || fail "expected 4 alerts, got $(count_alerts)"
exit 0
