#!/bin/sh
# Per-output positions across a restart: a unix collector that does not
# read holds the input's checkpoint back while a file output and stdout take
# every alert. After a restart the file output and stdout are not sent again
# what they had (0 duplicates), and no output loses an alert: the lines
# written while stopped reach all three, the slow collector gets the rest.
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check}"
: "${top_builddir:?run through make check}"

N1=8000     # before the first stop: several read blocks, far more alerts than the collector holds
N2=500       # written while fixwatchd is stopped

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
with_control
cat >> "$T/fw.conf" <<CONF
[output.file]
type = file
address = $T/file.jsonl
[output.slow]
type = unix
address = unix://$T/reader.sock
queue_max = 100
CONF
enospc_lines 1 "$N1" > "$T/logs/app.log"

# Run 1: the collector accepts and never reads; the input pauses behind it.
"$top_builddir/tests/slow_reader" "$T/reader.sock" "$T/go1" "$T/received1" &
RDR=$!
wait_for "the first reader" test -S "$T/reader.sock"
start_daemon
wait_for "the input to pause behind the collector" inputs_paused \
	"slow (unix unix://$T/reader.sock): up; [0-9]* sent, 100 queued"
file_alerts() { grep -c '"schema"' "$T/file.jsonl" 2>/dev/null || echo 0; }
before=$(file_alerts)
[ "$before" -gt 0 ] || fail "the file output got nothing before the stop"
stop_daemon
# The collector now reads what its socket held, then sees the end.
touch "$T/go1"
wait "$RDR" || fail "the first reader failed"
# The checkpoint holds the file output's own position, ahead of the input's.
grep -q '^ack file [0-9]' "$T/state/app.state" || fail "no position of the file output in $(cat "$T/state/app.state")"

# Run 2: more lines, a collector that reads.
enospc_lines $((N1 + 1)) $((N1 + N2)) >> "$T/logs/app.log"
N=$((N1 + N2))
touch "$T/go2"
"$top_builddir/tests/slow_reader" "$T/reader.sock" "$T/go2" "$T/received2" &
RDR=$!
start_daemon
log_has "output file had its alerts up to offset" || fail "the restart did not apply the file output's position"
# What the collector received whole (a break can cut the last frame of a connection).
whole() {
	[ -s "$1" ] || return 0
	if [ "$(tail -c 1 "$1" | od -An -tx1 | tr -d ' ')" = 0a ]; then cat "$1"; else sed '$d' "$1"; fi
}
collected() { { whole "$T/received1"; whole "$T/received2"; } | "$top_builddir/tests/jsonl_get" source.line_no; }
at_collector() { collected | sort -nu | wc -l; }
all_there() { [ "$(file_alerts)" -ge "$N" ] && [ "$(count_alerts)" -ge "$N" ] && [ "$(at_collector)" -ge "$N" ]; }
wait_for "all $N alerts at every output" all_there
stop_daemon
wait "$RDR" || fail "the second reader failed"

for o in file.jsonl out; do
	"$top_builddir/tests/jsonl_get" source.line_no "$T/$o" | sort -n > "$T/got.$o"
	dups=$(uniq -d "$T/got.$o" | wc -l)
	distinct=$(uniq "$T/got.$o" | wc -l)
	[ "$dups" -eq 0 ] || fail "$o: $dups alerts repeated after the restart"
	[ "$distinct" -eq "$N" ] || fail "$o: $distinct of $N alerts"
done
[ "$(at_collector)" -eq "$N" ] || fail "the collector lost alerts: $(at_collector) of $N"
resent=$(collected | sort -n | uniq -d | wc -l)
echo "output_positions: the file output had $before of $N1 alerts at the stop; 0 repeated" \
	"after the restart (one position per input: $before), 0 lost at any output;" \
	"the collector got $resent twice (at-least-once across its own break)"
exit 0
