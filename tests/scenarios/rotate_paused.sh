#!/bin/sh
# Rotations while the inputs are paused by backpressure (issue 10, row 1):
# a.log is renamed twice (a.log -> a.log.1 -> a.log.2, a new a.log each
# time) while the collector does not read. The middle file matches the
# path only while the daemon may not read, so it must be discovered while
# paused; once the collector reads, every line of the three files arrives.
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check}"
: "${top_builddir:?run through make check}"

write_kb
write_conf "type = file" "path = $T/logs/a.log" "start_at = beginning"
paused_collector   # it stops reading: the queue fills, the inputs pause

N=2000
enospc_lines 1 $N > "$T/logs/a.log"
start_daemon
wait_for "the input to pause" inputs_paused
# holds_open FILE: fixwatchd has FILE (this inode) open.
holds_open() {
	id=$(stat -c %d:%i "$1")
	for fd in /proc/"$DPID"/fd/*; do
		[ "$(stat -L -c %d:%i "$fd" 2>/dev/null)" = "$id" ] && return 0
	done
	return 1
}

mv "$T/logs/a.log" "$T/logs/a.log.1"
enospc_lines $((N + 1)) $((2 * N)) > "$T/logs/a.log"
wait_for "the new a.log to be opened while paused" holds_open "$T/logs/a.log"
mv "$T/logs/a.log.1" "$T/logs/a.log.2"
mv "$T/logs/a.log" "$T/logs/a.log.1"
enospc_lines $((2 * N + 1)) $((3 * N)) > "$T/logs/a.log"
wait_for "the third a.log to be opened while paused" holds_open "$T/logs/a.log"

kill -CONT "$CPID"
col_all() { [ "$(grep -o '"line":"line [0-9]*' "$T/col.out" | sort -u | wc -l)" -ge $((3 * N)) ]; }
wait_for "all $((3 * N)) lines at the collector" col_all
stop_daemon
echo "rotate_paused: all $((3 * N)) lines of three files rotated while paused delivered"
exit 0
