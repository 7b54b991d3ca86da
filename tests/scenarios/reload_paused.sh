#!/bin/sh
# SIGHUP while the inputs are paused by backpressure, then a restart (issue
# 10, row 3): the checkpoint written in between must still hold the input's
# positions, or the restart applies start_at = end and skips what was
# never delivered.
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check}"
: "${top_builddir:?run through make check}"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = end" "max_line_bytes = 64k"
paused_collector   # it stops reading: the queue fills, the inputs pause

N=3000
: > "$T/logs/app.log"
start_daemon
enospc_lines 1 "$N" >> "$T/logs/app.log"
wait_for "the input to pause" inputs_paused

sed -i 's/^max_line_bytes = 64k$/max_line_bytes = 32k/' "$T/fw.conf"
kill -HUP "$DPID"
wait_for "the reload" log_has "reloaded:"
# Stop while still paused (the collector reads again only once the daemon is gone).
kill -TERM "$DPID"
wait_for "the stop" log_has "stopped (SIGTERM)"
wait "$DPID" || fail "fixwatchd failed to stop"
DPID=
kill -CONT "$CPID"

start_daemon
col_all() { [ "$(sort -u "$T/col.out" | grep -c '"schema"')" -ge $N ]; }
wait_for "all $N alerts at the collector after the restart" col_all
stop_daemon
got=$(grep -o '"line":"line [0-9]*' "$T/col.out" | sort -u | wc -l)
[ "$got" -eq $N ] || fail "the collector got $got distinct lines of $N"
echo "reload_paused: all $N lines delivered across a reload while paused and a restart"
exit 0
