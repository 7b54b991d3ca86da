#!/bin/sh
# A unix socket reader that does not read: the output's queue fills, the
# input pauses (it stops reading the log: lag grows, the checkpoint stays),
# and once the reader reads everything arrives, each alert once.
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check}"
: "${top_builddir:?run through make check}"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
with_control
with_unix_output slow reader.sock 5
# 5,000 matching lines (about 200 KB of log, 4 MB of alerts): far more than the socket buffers hold.
enospc_lines 1 5000 > "$T/logs/app.log"
SIZE=$(stat -c %s "$T/logs/app.log")

"$top_builddir/tests/slow_reader" "$T/reader.sock" "$T/go" "$T/received" &
RDR=$!
wait_for "the reader" test -S "$T/reader.sock"
start_daemon

wait_for "the input to pause" inputs_paused \
	"slow (unix unix://$T/reader.sock): up; [0-9]* sent, 5 queued"
# It stays paused: the log is not read to its end while the reader sleeps.
sleep 1
"$FIXWATCH" status -s "$T/ctl.sock" > "$T/status"
lag=$(sed -n 's/.*app.log  offset [0-9]*  lag \([0-9]*\) bytes.*/\1/p' "$T/status")
[ -n "$lag" ] && [ "$lag" -gt 0 ] || fail "no lag while the reader sleeps: $(cat "$T/status")"

touch "$T/go"
all_read() { [ -f "$T/received" ] && [ "$(grep -c '"schema"' "$T/received")" -ge 5000 ]; }
wait_for "all 5000 alerts at the reader" all_read
stop_daemon
wait "$RDR" || fail "the reader failed"
[ "$(grep -c '"schema"' "$T/received")" -eq 5000 ] || fail "alerts repeated or lost"
"$top_builddir/tests/jsonl_get" source.line_no "$T/received" | sort -n | uniq -d > "$T/dups"
[ ! -s "$T/dups" ] || fail "alerts repeated"
echo "unix_slow_reader: input paused with $lag of $SIZE bytes unread; all 5000 alerts delivered once"
exit 0
