#!/bin/sh
# Checkpoints are saved also when the followed files take every descriptor
# (ulimit -n 32, 40 files): the daemon keeps one in reserve for the state
# file, so a save never fails with EMFILE, and a restart (with descriptors
# to spare) resumes every file read before and repeats nothing.
. "$(dirname "$0")/daemon_lib.sh"

N=40
write_kb
write_conf "type = file" "path = $T/logs/*.log" "start_at = beginning"
many_files $N

start_daemon_fd_limit 32
read_before=$(count_alerts)
[ "$read_before" -lt $N ] || fail "all $N files were opened: the limit did not bite"

# The saves happen while every descriptor is taken (the files not opened
# are tried again on each rescan, so the limit stays reached).
saved() {
	[ -f "$T/state/app.state" ] && [ "$(grep -c '^file ' "$T/state/app.state")" -ge "$read_before" ]
}
i=0
until saved; do
	i=$((i + 1))
	[ $i -le 1200 ] || fail "no checkpoint of the $read_before files read within 60 s: $(grep 'state' "$T/err" | tail -n 1)"
	kill -0 "$DPID" 2>/dev/null || fail "fixwatchd died"
	sleep 0.05
done
wait_for "the alerts of the files open" has_alerts "$read_before"
stop_daemon
log_has "cannot write state" && fail "a checkpoint save failed: $(grep 'cannot write state' "$T/err" | head -n 1)"

# With descriptors to spare: the files read before resume at their end.
start_daemon
wait_for "$N alerts" has_alerts $N
stop_daemon
many_files_want $N > "$T/want"
alert_lines | sort > "$T/got" || true
diff -u "$T/want" "$T/got" >&2 || fail "alerts differ (files lost or read twice)"
echo "state_fd_limit: $read_before files checkpointed under ulimit -n 32, $N alerted once"
exit 0
