#!/bin/sh
# One daemon per state_dir: a second fixwatchd on the same state_dir refuses
# to start with a message naming the directory, and leaves the first one's
# control socket and checkpoints alone; the first keeps working. A daemon
# whose control_socket is answered by another process leaves that socket
# alone too.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
with_control
: > "$T/logs/app.log"
start_daemon
wait_for "the control socket" test -S "$T/ctl.sock"

"$FIXWATCHD" -c "$T/fw.conf" > "$T/out2" 2> "$T/err2" &
P2=$!
i=0
while kill -0 "$P2" 2>/dev/null; do
	i=$((i + 1))
	if [ "$i" -gt 400 ] || grep -q 'fixwatchd: started' "$T/err2"; then
		kill -KILL "$P2"; wait "$P2" || true
		fail "a second fixwatchd on the same state_dir started"
	fi
	sleep 0.05
done
rc=0
wait "$P2" || rc=$?
[ "$rc" -ne 0 ] || fail "a second fixwatchd on the same state_dir exited 0"
grep -q "state_dir: $T/state is in use by another fixwatchd" "$T/err2" ||
	fail "the refusal does not name the state_dir: $(cat "$T/err2")"
test -S "$T/ctl.sock" || fail "the second daemon removed the first one's control socket"
"$FIXWATCH" status -s "$T/ctl.sock" > "$T/status" || fail "the first daemon no longer answers status"

# Another state_dir, the same control socket: it runs, but without a socket.
sed "s|^state_dir =.*|state_dir = $T/state2|" "$T/fw.conf" > "$T/fw2.conf"
"$FIXWATCHD" -c "$T/fw2.conf" > "$T/out3" 2> "$T/err3" &
P2=$!
i=0
until grep -q 'fixwatchd: started' "$T/err3"; do
	i=$((i + 1))
	[ "$i" -le 400 ] || { kill -KILL "$P2"; fail "the daemon on state2 did not start"; }
	sleep 0.05
done
grep -q "control_socket $T/ctl.sock: another process answers on it" "$T/err3" ||
	{ kill -KILL "$P2"; fail "the live control socket was not reported"; }
kill -TERM "$P2"; wait "$P2" || true
"$FIXWATCH" status -s "$T/ctl.sock" > "$T/status" || fail "the first daemon's control socket was taken"

printf 'a1 No space left on device (a)\n' >> "$T/logs/app.log"
wait_for "the first daemon to go on alerting" has_alerts 1
stop_daemon
exit 0
