#!/bin/sh
# What a break makes an output write again is counted per output, the
# same figure in the log, in `fixwatch status` (text and JSON) and in the
# metrics. A unix collector (tests/torture/collector) reads the first
# alert, stops reading, and closes its connection with the next alerts
# unread: none of them was taken, so every one written is sent again, and
# the collector, reading again, gets every alert at least once and no more
# twice than counted.
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check}"
: "${top_builddir:?run through make check}"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
with_control "$T/fixwatch.prom"
with_unix_output col col.sock
: > "$T/logs/app.log"
"$top_builddir/tests/torture/collector" "unix:$T/col.sock" "$T/col.out" 120 2> "$T/col.err" &
CPID=$!
trap 'kill -KILL $CPID 2>/dev/null || true; cleanup' EXIT
wait_for "the collector" test -S "$T/col.sock"
start_daemon

# col_has PATTERN: the status line of output col matches PATTERN (grep).
col_has() {
	"$FIXWATCH" status -s "$T/ctl.sock" > "$T/status" 2>/dev/null &&
		grep -q "^  col (unix unix://$T/col.sock): $1" "$T/status"
}
# ctl_says WORD N: the collector acknowledged WORD N times.
ctl_says() { [ "$(grep -c "^$1\$" "$T/col.out.ctl" 2>/dev/null || true)" -ge "$2" ]; }
lines() {
	awk -v a="$1" -v b="$2" \
		'BEGIN { for (i = a; i <= b; i++) printf "line %d No space left on device (sd%d)\n", i, i }'
}
got() { [ -f "$T/col.out" ] && [ "$(grep -c '"schema"' "$T/col.out")" -ge "$1" ]; }

# One alert read and confirmed: the collector holds a connection.
lines 1 1 >> "$T/logs/app.log"
wait_for "the first alert at the collector" got 1
wait_for "the first alert confirmed" col_has "up; 1 sent, 0 queued"
col_has "up; .* 0 sent again$" || fail "sent again before any break: $(cat "$T/status")"
kill -USR2 "$CPID"
wait_for "the collector to stop reading" ctl_says paused 1

# Five more, written to the connection and left unread; then it closes.
lines 2 6 >> "$T/logs/app.log"
wait_for "five alerts queued at col" col_has "up; 1 sent, 5 queued"
kill -USR1 "$CPID"
wait_for "the collector's close" ctl_says reset 1
said_re="output col: \([0-9]*\) alerts written to unix://$T/col.sock but not confirmed as taken are sent again"
wait_for "the daemon to say what it sends again" log_has "output col: [0-9]* alerts written to"
said=$(sed -n "s|.*$said_re.*|\\1|p" "$T/err")
[ "$(echo "$said" | wc -l)" -eq 1 ] && [ "$said" -ge 1 ] && [ "$said" -le 5 ] ||
	fail "the log says '$said' sent again after one close with 1 to 5 alerts unread"
col_has ".* $said sent again$" || fail "status: not $said sent again: $(grep col "$T/status")"
"$FIXWATCH" status -s "$T/ctl.sock" --json | tr -d '\n' > "$T/status.json"
echo >> "$T/status.json"
json=$("$top_builddir/tests/jsonl_get" outputs "$T/status.json" | sed 's/}/}\n/g' |
	grep '"name": *"col"' | sed -n 's/.*"resent": *\([0-9]*\).*/\1/p')
[ "$json" = "$said" ] || fail "status --json: resent '$json', not $said: $(cat "$T/status.json")"

# Reading again: every alert arrives, no more twice than counted.
kill -CONT "$CPID"
wait_for "the collector to read again" ctl_says reading 1
wait_for "every alert at the collector" col_has "up; 6 sent, 0 queued"
stop_daemon
kill -TERM "$CPID"
wait "$CPID" || fail "the collector failed: $(cat "$T/col.err")"
"$top_builddir/tests/jsonl_get" source.line_no "$T/col.out" | sort -n > "$T/got"
[ "$(sort -un "$T/got" | wc -l)" -eq 6 ] || fail "alerts lost: $(tr '\n' ' ' < "$T/got")"
twice=$(( $(wc -l < "$T/got") - 6 ))
[ "$twice" -le "$said" ] || fail "$twice alerts came twice, more than the $said sent again"
grep -qx "fixwatch_output_resent_total{output=\"col\"} $said" "$T/fixwatch.prom" ||
	fail "metrics: $(grep resent "$T/fixwatch.prom")"
grep -qx "fixwatch_output_resent_total{output=\"out\"} 0" "$T/fixwatch.prom" ||
	fail "metrics: stdout output: $(grep resent "$T/fixwatch.prom")"
echo "resent_status: one close with 5 alerts unread: $said sent again (log, status, metrics), $twice came twice"
exit 0
