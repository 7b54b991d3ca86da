#!/bin/sh
# SIGKILL repeats what was acknowledged since the last checkpoint. With a
# long checkpoint_interval that was everything since the start; checkpoints
# are now also written every 10,000 acknowledged alerts, which bounds the
# repeats however long the interval: 10,000 alerts plus what the output
# acknowledged at once when the count was passed (a position is taken per
# line), kept under the old bound of 10,000 plus one 128 KiB read block.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
sed -i 's/^checkpoint_interval = 1s$/checkpoint_interval = 1h/' "$T/fw.conf"
N=30000
enospc_lines 1 "$N" > "$T/logs/app.log"
start_daemon
wait_for "$N alerts" has_alerts $N
kill -KILL "$DPID"
wait "$DPID" 2>/dev/null || true
DPID=
start_daemon
printf 'line %d No space left on device (sdz)\n' $((N + 1)) >> "$T/logs/app.log"
# Repeats after the restart raise the count past N + 1 before the new line
# is read: wait for the line itself.
wait_for "the line after the restart" has_line "line $((N + 1)) No space left on device (sdz)"
stop_daemon
alert_lines | sort -u | wc -l > "$T/distinct"
[ "$(cat "$T/distinct")" -eq $((N + 1)) ] || fail "lines lost: $(cat "$T/distinct") distinct of $((N + 1))"
repeats=$(( $(count_alerts) - N - 1 ))
[ "$repeats" -le 13600 ] || fail "$repeats alerts repeated after SIGKILL (bound: 13600)"
echo "kill_repeats: $repeats of $N alerts repeated after SIGKILL"
exit 0
