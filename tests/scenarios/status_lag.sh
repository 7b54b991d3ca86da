#!/bin/sh
# fixwatch status reports a followed file's lag from the file's size now,
# also while the inputs are paused by backpressure and read nothing (issue
# 10, row 12: it showed "lag 0 bytes" with hundreds of KB unread).
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check}"
: "${top_builddir:?run through make check}"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = end"
paused_collector   # it stops reading: the queue fills, the inputs pause

: > "$T/logs/app.log"
start_daemon
enospc_lines 1 3000 >> "$T/logs/app.log"
wait_for "the input to pause" inputs_paused

# Written while paused: the daemon does not read it, status must count it.
awk 'BEGIN { for (i = 1; i <= 5000; i++) printf "more %d routine line\n", i }' >> "$T/logs/app.log"
size=$(stat -c %s "$T/logs/app.log")
lag_is_whole() {
	"$FIXWATCH" status -s "$T/ctl.sock" > "$T/status" 2>/dev/null || return 1
	line=$(grep -F "$T/logs/app.log  offset" "$T/status") || return 1
	off=$(echo "$line" | sed -n 's/.* offset \([0-9]*\)  lag \([0-9]*\) bytes.*/\1/p')
	lag=$(echo "$line" | sed -n 's/.* offset \([0-9]*\)  lag \([0-9]*\) bytes.*/\2/p')
	[ -n "$off" ] && [ -n "$lag" ] && [ $((off + lag)) -eq "$size" ] && [ "$lag" -gt 0 ]
}
wait_for "status to report the unread bytes ($size bytes in the file)" lag_is_whole
grep -q "inputs paused [1-9][0-9]* times" "$T/status" || fail "the input is no longer paused"

kill -CONT "$CPID"
stop_daemon
echo "status_lag: offset + lag = $size bytes while paused"
exit 0
