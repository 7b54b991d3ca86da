#!/bin/sh
# A clean stop while an output is stalled part-way through a read block
# repeats only what that output had not confirmed as taken. A unix
# collector takes the first alerts, then stops reading (after PAUSE_AT
# lines: a point that does not depend on timing, inside a 128 KiB read
# block of the log); its queue fills and the inputs pause. SIGTERM; the
# collector then drops what it had not read (a new connection starts clean)
# and reads again; fixwatchd restarts. Every line must reach the collector,
# repeated at most as many times as the stop said it would send again (the
# alerts a unix socket had not confirmed as read; a partly read socket
# buffer counts as unread), and stdout exactly once: the checkpoint holds
# the position right after the last line whose alert each output took, not
# the start of the block that line was in (3,000 repeated before).
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check}"
: "${top_builddir:?run through make check}"

N1=20000    # about 0.9 MiB: seven read blocks
N2=500      # written while fixwatchd is stopped
PAUSE_AT=3000

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
with_control
with_unix_output col col.sock 20
enospc_lines 1 "$N1" > "$T/logs/app.log"

"$top_builddir/tests/torture/collector" "unix:$T/col.sock" "$T/col.out" 120 "$PAUSE_AT" 2> "$T/col.err" &
CPID=$!
trap 'kill -KILL $CPID 2>/dev/null || true; cleanup' EXIT
wait_for "the collector" test -S "$T/col.sock"
# ctl WHAT SIGNAL: signals the collector and waits until it acknowledged WHAT.
ctl() {
	n0=$(grep -c "^$1\$" "$T/col.out.ctl" 2>/dev/null || true)
	kill -"$2" "$CPID"
	acked() { [ "$(grep -c "^$1\$" "$T/col.out.ctl" 2>/dev/null || true)" -gt "${n0:-0}" ]; }
	wait_for "the collector to say $1" acked "$1"
}

start_daemon
wait_for "the collector to stop reading" grep -qs '^paused$' "$T/col.out.ctl"
wait_for "the input to pause behind the collector" inputs_paused \
	"col (unix unix://$T/col.sock): up; [0-9]* sent, 20 queued"
taken=$(wc -l < "$T/col.out")
[ "$taken" -ge "$PAUSE_AT" ] && [ "$taken" -lt "$N1" ] ||
	fail "the collector took $taken of $N1 alerts before it stopped reading"
stop_daemon
# What the collector had not read goes with its connection.
ctl reset USR1
ctl reading CONT

enospc_lines $((N1 + 1)) $((N1 + N2)) >> "$T/logs/app.log"
N=$((N1 + N2))
start_daemon
at_collector() { "$top_builddir/tests/jsonl_get" source.line_no "$T/col.out" | sort -nu | wc -l; }
all_there() { [ "$(count_alerts)" -ge "$N" ] && [ "$(at_collector)" -ge "$N" ]; }
wait_for "all $N alerts at both outputs" all_there
stop_daemon

# What the first stop said the collector had not taken (sent again).
resent=$(sed -n 's/.*output col: \([0-9]*\) alerts not taken by .* at shutdown.*/\1/p' "$T/err" | head -n 1)
[ -n "$resent" ] || resent=0
for o in col.out out; do
	"$top_builddir/tests/jsonl_get" source.line_no "$T/$o" | sort -n > "$T/got.$o"
	dups=$(uniq -d "$T/got.$o" | wc -l)
	distinct=$(uniq "$T/got.$o" | wc -l)
	[ "$distinct" -eq "$N" ] || fail "$o: $distinct of $N alerts"
	bound=0
	[ "$o" = col.out ] && bound=$resent && col_dups=$dups
	[ "$dups" -le "$bound" ] ||
		fail "$o: $dups alerts repeated after the clean stop, $bound allowed (the collector had taken $taken)"
done
echo "stop_stalled: the collector stalled after $taken of $N1 alerts; after SIGTERM and a restart" \
	"all $N arrived, $col_dups twice at the collector (the stop sent $resent again), once at stdout"
exit 0
