#!/bin/sh
# The named limit of a file deleted while an output is stalled: the stop
# reads the deleted file to its end and waits 5 s for its alerts to be
# taken; a collector that reads nothing meanwhile loses what it had not
# taken, since no restart can read the file again. Where each line goes,
# for N lines in one read block and a unix collector with queue_max Q:
#  - every line is read and matched; stdout takes all N alerts;
#  - the collector's output takes Q alerts into its queue and writes them
#    into the socket; the other N - Q wait, built, in the pipeline's
#    backlog for that output (the inputs pause);
#  - after 5 s the stop gives the file up (logged: the file, where its
#    lost lines start, and per output the lines it had not taken), the
#    backlog goes with the daemon, the file gets no checkpoint entry;
#  - the collector, reading later, finds the Q alerts in its socket: Q of
#    N arrive, N - Q are lost (here 20 of 2,000; 1,980 lost).
# A restart reads nothing again, repeats nothing.
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check}"
: "${top_builddir:?run through make check}"

N=2000      # about 80 KiB: one read block
Q=20

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
with_control
with_unix_output slow reader.sock "$Q"
enospc_lines 1 "$N" > "$T/logs/app.log"

"$top_builddir/tests/slow_reader" "$T/reader.sock" "$T/go" "$T/received" &
RDR=$!
trap 'kill -KILL $RDR 2>/dev/null || true; cleanup' EXIT
wait_for "the reader" test -S "$T/reader.sock"
start_daemon
wait_for "the input to pause behind the collector" inputs_paused \
	"slow (unix unix://$T/reader.sock): up; [0-9]* sent, $Q queued"
wait_for "all $N alerts on stdout" has_alerts $N
rm "$T/logs/app.log"
stop_daemon
log_has "app.log: deleted, and not read and acknowledged within 5 s of the stop: its lines after offset 0 (line 0) are lost" ||
	fail "the stop did not say the deleted file's lines are lost"
log_has "app.log: output slow had not taken lines 1-$N ($N lines)" ||
	fail "the stop did not name the lines the collector had not taken"
! log_has "output out had not taken" || fail "stdout had every alert, yet the stop named lines for it"
! grep -q '^file ' "$T"/state/* || fail "the deleted file was checkpointed: $(cat "$T"/state/*)"

# The collector reads now: what was in its socket, then the end.
touch "$T/go"
wait "$RDR" || fail "the reader failed"
got=$(grep -c '"schema"' "$T/received" || true)
[ "$got" -eq $Q ] || fail "the collector got $got alerts, $Q expected (the queue the stop left in its socket)"
"$top_builddir/tests/jsonl_get" source.line_no "$T/received" | sort -n | uniq > "$T/lines"
[ "$(head -n 1 "$T/lines")" = 1 ] && [ "$(tail -n 1 "$T/lines")" = $Q ] ||
	fail "the collector got lines $(head -n 1 "$T/lines")-$(tail -n 1 "$T/lines"), 1-$Q expected"

# A restart has nothing to read again.
start_daemon
printf 'line %d No space left on device (sdz)\n' $((N + 1)) > "$T/logs/app.log"
wait_for "the line after the restart" has_alerts $((N + 1))
stop_daemon
[ "$(count_alerts)" -eq $((N + 1)) ] || fail "stdout: $(count_alerts) alerts, $((N + 1)) expected"
echo "stop_deleted_stalled: $got of $N alerts reached the stalled collector, $((N - got)) lost" \
	"(the limit named in docs/delivery.md); stdout had all $N"
exit 0
