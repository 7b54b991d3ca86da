#!/bin/sh
# `fixwatch status` over the control socket (mode 0660) and the Prometheus
# metrics_file, from a running daemon with one output up and one down.
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check}"
: "${top_builddir:?run through make check}"

write_kb
# Catastrophic backtracking on the line of a's: counted, the line goes on.
cat > "$T/kb/backtrack.jsonl" <<'KB'
{"id":"test/backtrack","signature":"a","regex":"(a+)+(?!x)\\b$","domain":"test","category":"storage_error","root_cause":"none","confidence":0.1}
KB
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
# A collector that is not there: its output is down and keeps its queue.
with_control "$T/metrics/fixwatch.prom"
mkdir -p "$T/metrics"
cat >> "$T/fw.conf" <<CONF
[output.col]
type = tcp
address = tcp://127.0.0.1:9
CONF
printf 'No space left on device (sda)\nfine\nToo many open files\nNo space left on device (sdb)\n%s!\n' \
	aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa > "$T/logs/app.log"
start_daemon
wait_for "3 alerts" has_alerts 3
[ -S "$T/ctl.sock" ] || fail "no control socket"
[ "$(stat -c %a "$T/ctl.sock")" = 660 ] || fail "control socket mode $(stat -c %a "$T/ctl.sock")"

"$FIXWATCH" status -s "$T/ctl.sock" > "$T/status" 2>&1 || fail "fixwatch status failed: $(cat "$T/status")"
head -1 "$T/status" | grep -q "^fixwatchd .*, pid [0-9]*, PCRE2 JIT \(on\|off\)$" ||
	fail "status: first line: $(head -1 "$T/status")"
grep -q "^read: 5 lines" "$T/status" || fail "status: lines read: $(cat "$T/status")"
grep -q "^matching: 1 pattern runs hit a PCRE2 limit; the DFA gave up on 0 lines; 0 serious lines no record knows$" "$T/status" ||
	fail "status: matching counters"
grep -q "$T/logs/app.log  offset 127  lag 0 bytes" "$T/status" || fail "status: input offset/lag"
grep -q "col (tcp tcp://127.0.0.1:9): \(down\|connecting\); 0 sent, 3 queued" "$T/status" ||
	fail "status: the down output: $(grep col "$T/status")"
grep -q "out (stdout): up; 3 sent" "$T/status" || fail "status: stdout output"
# Each alert counted once, not once per output.
grep -q "^alerts: 3 built, 0 suppressed" "$T/status" || fail "status: alerts: $(grep alerts: "$T/status")"
grep -q "       2  test/disk-full" "$T/status" || fail "status: matches by id"

"$FIXWATCH" status -s "$T/ctl.sock" --json | tr -d '\n' > "$T/status.json"
echo >> "$T/status.json"
[ "$("$top_builddir/tests/jsonl_get" alerts.built "$T/status.json")" = 3 ] ||
	fail "status --json: alerts.built"
[ "$("$top_builddir/tests/jsonl_get" matches_by_id "$T/status.json")" = \
  '{"test/disk-full":2,"web/too-many-files":1}' ] || fail "status --json: matches_by_id"
[ "$("$top_builddir/tests/jsonl_get" limit_errors "$T/status.json")" = 1 ] ||
	fail "status --json: limit_errors"
# The JSON and the text say the same of JIT.
jit=$("$top_builddir/tests/jsonl_get" jit "$T/status.json")
case "$jit" in true) word=on ;; false) word=off ;; *) fail "status --json: jit is '$jit'" ;; esac
head -1 "$T/status" | grep -q "PCRE2 JIT $word\$" || fail "status: JIT $word in JSON, not in text"
# Patterns get JIT code when first confirmed: some were, with JIT on; none without.
jit_patterns=$("$top_builddir/tests/jsonl_get" jit_patterns "$T/status.json")
case "$word:$jit_patterns" in
on:0|off:[1-9]*|*:) fail "status --json: JIT $word and jit_patterns '$jit_patterns'" ;;
esac

metrics_ready() { grep -q '^fixwatch_lines_total 5$' "$T/metrics/fixwatch.prom" 2>/dev/null; }
wait_for "the metrics file" metrics_ready
M="$T/metrics/fixwatch.prom"
grep -qx 'fixwatch_matches_total{id="test/disk-full"} 2' "$M" || fail "metrics: matches"
grep -qx 'fixwatch_output_queued{output="col"} 3' "$M" || fail "metrics: queued"
grep -qx 'fixwatch_output_alerts_total{output="out",result="sent"} 3' "$M" || fail "metrics: sent"
grep -qx "fixwatch_input_lag_bytes{input=\"app\",path=\"$T/logs/app.log\"} 0" "$M" ||
	fail "metrics: lag"
grep -q '^# TYPE fixwatch_lines_total counter$' "$M" || fail "metrics: TYPE lines"
grep -qx 'fixwatch_match_limit_errors_total 1' "$M" || fail "metrics: limit errors"
grep -qx 'fixwatch_match_dfa_gave_up_total 0' "$M" || fail "metrics: DFA gave up"
grep -qx 'fixwatch_match_scan_stage_switches_total 0' "$M" || fail "metrics: scan stage switches"
grep -qx "fixwatch_match_jit_patterns $jit_patterns" "$M" || fail "metrics: JIT patterns"
grep -qx 'fixwatch_unknown_total 0' "$M" || fail "metrics: unknown lines"
ls "$T/metrics" | grep -qv '^fixwatch\.prom$' && fail "metrics: a temporary file was left"

# A reload keeps the per-record counters, as it keeps the totals.
kill -HUP "$DPID"
wait_for "the reload" log_has "reloaded: KB"
"$FIXWATCH" status -s "$T/ctl.sock" --json | tr -d '\n' > "$T/status.json"
echo >> "$T/status.json"
[ "$("$top_builddir/tests/jsonl_get" matches_by_id "$T/status.json")" = \
  '{"test/disk-full":2,"web/too-many-files":1}' ] || fail "reload: matches_by_id reset"
[ "$("$top_builddir/tests/jsonl_get" matches "$T/status.json")" = 3 ] || fail "reload: matches"

# Not running: a clear error naming the socket, exit 1.
stop_daemon
[ ! -e "$T/ctl.sock" ] || fail "control socket left after stop"
if "$FIXWATCH" status -s "$T/ctl.sock" 2> "$T/st.err"; then fail "status succeeded without a daemon"; fi
grep -q "$T/ctl.sock" "$T/st.err" || fail "status error does not name the socket"
exit 0
