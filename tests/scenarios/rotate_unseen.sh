#!/bin/sh
# A file renamed away before fixwatchd ever looked at it (issue 10, row 2;
# found by tests/torture, seed 3011 of the rotation mix): while the daemon
# is busy (here: stopped with SIGSTOP, so every event waits for it), a.log
# is rotated twice as logrotate does (a.log.1 -> a.log.2, a.log -> a.log.1,
# a new a.log each time). The middle file was at the followed name only
# while the daemon could not look; it is still on disk as a.log.1, so its
# lines must arrive, and no line twice.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/a.log" "start_at = beginning"

N=500
enospc_lines 1 $N > "$T/logs/a.log"
start_daemon
wait_for "the first $N alerts" has_alerts $N

kill -STOP "$DPID"
mv "$T/logs/a.log" "$T/logs/a.log.1"
enospc_lines $((N + 1)) $((2 * N)) > "$T/logs/a.log"
mv "$T/logs/a.log.1" "$T/logs/a.log.2"
mv "$T/logs/a.log" "$T/logs/a.log.1"
enospc_lines $((2 * N + 1)) $((3 * N)) > "$T/logs/a.log"
kill -CONT "$DPID"

# Every line once: all of them arrive (bounded wait), none twice.
wait_for "all $((3 * N)) alerts (a.log.1 holds lines $((N + 1))-$((2 * N)))" has_alerts $((3 * N))
stop_daemon
total=$(count_alerts)
distinct=$(alert_lines | sort -u | wc -l)
[ "$distinct" -eq $((3 * N)) ] || fail "$distinct distinct lines of $((3 * N))"
[ "$total" -eq $((3 * N)) ] || fail "$total alerts for $((3 * N)) lines: some arrived twice"
echo "rotate_unseen: all $((3 * N)) lines once, the file renamed away unseen included"
exit 0
