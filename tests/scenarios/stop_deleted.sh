#!/bin/sh
# A file deleted while followed, then SIGTERM before it was read to its end
# (here: the inputs are paused by a reader that does not read). No restart
# can find it again, so the daemon reads the rest of it and waits for its
# alerts to be taken before it stops; the file gets no checkpoint entry.
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check}"
: "${top_builddir:?run through make check}"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
with_control
with_unix_output slow reader.sock 50
N=8000
enospc_lines 1 "$N" > "$T/logs/app.log"

"$top_builddir/tests/slow_reader" "$T/reader.sock" "$T/go" "$T/received" &
RDR=$!
wait_for "the reader" test -S "$T/reader.sock"
start_daemon
wait_for "the input to pause" inputs_paused

rm "$T/logs/app.log"
kill -TERM "$DPID"
stopping() { log_has "deleted while followed; reading it to its end" || log_has "stopped (SIGTERM)"; }
wait_for "the stop to begin" stopping
touch "$T/go"
i=0
while kill -0 "$DPID" 2>/dev/null && ! log_has "stopped (SIGTERM)"; do
	i=$((i + 1))
	[ "$i" -le 400 ] || fail "fixwatchd did not stop within 20 s of the reader reading"
	sleep 0.05
done
rc=0
wait "$DPID" || rc=$?
DPID=
[ "$rc" -eq 0 ] || fail "fixwatchd exited with $rc after SIGTERM"
wait "$RDR" || fail "the reader failed"

got_reader=$(grep -c '"schema"' "$T/received" || true)
got_stdout=$(count_alerts)
[ "$got_reader" -eq $N ] && [ "$got_stdout" -eq $N ] ||
	fail "the deleted file was not read to its end before the stop: $got_stdout alerts on stdout, $got_reader at the reader, of $N"
"$top_builddir/tests/jsonl_get" source.line_no "$T/received" | sort -n | uniq -d > "$T/dups"
[ ! -s "$T/dups" ] || fail "alerts repeated at the reader"
! grep -q '^file ' "$T"/state/* || fail "the deleted file was checkpointed: $(cat "$T"/state/*)"
echo "stop_deleted: all $N lines of the deleted file delivered before the stop"
exit 0
