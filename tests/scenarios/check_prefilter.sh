#!/bin/sh
# fixwatch check names, per pattern, the literal the fast matcher's prefilter
# uses, whether the DFA checks the pattern first and which shape gates it, and
# warns with a measured cost about patterns confirmed on many or every line.
set -eu
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fw-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

cat >"$tmp/kb.jsonl" <<'KB'
{"id":"web/upstream-timeout","signature":"upstream timed out","regex":"upstream timed out \\(110: Connection timed out\\)"}
{"id":"web/numbers-only","signature":"numbers","regex":"^\\d+ \\d+$"}
{"id":"web/method","signature":"method","regex":"(?:PATCH|PURGE) /admin/","flags":"i"}
{"id":"web/syslog-shape","signature":"shape","regex":"^[A-Z][a-z]{2} +\\d+ [^ ]+ [^ ]+ [a-z]+\\[\\d+\\]: [^ ]+ \\d{12}$"}
{"id":"web/repeated-number","signature":"n n","regex":"^(\\d+) \\1$"}
{"id":"web/syslog-lookahead","signature":"shape","regex":"^[A-Z][a-z]{2} +\\d+ [^ ]+ [^ ]+ [a-z]+\\[\\d+\\]: (?=\\d)[^ ]+$"}
{"id":"web/repeated-key","signature":"k k","regex":"^(\\w+) \\1 [0-9a-f]{40}$"}
KB

"$FIXWATCH" check -k "$tmp/kb.jsonl" >"$tmp/out" 2>"$tmp/err" || {
	echo "fixwatch check failed:"; cat "$tmp/err"; exit 1
}
fail() { echo "FAIL: $*"; echo "--- output:"; cat "$tmp/out"; exit 1; }

# A pattern a shape gates is confirmed only where its shape occurs, not on every line.
grep -q '^prefilter: 1 of 7 patterns confirmed on every line, 1 only on lines holding their shape, 2 checked by the DFA first$' "$tmp/out" ||
	fail "summary line"
grep -q '^  web/upstream-timeout \[0\]: literal .*110: Connection timed out)"$' "$tmp/out" ||
	fail "literal of web/upstream-timeout"
grep -q '^  web/method \[0\]: literal .*/admin/"i' "$tmp/out" || fail "caseless literal of web/method"
# No literal, or a common one: the DFA tells which lines can match; no warning.
grep -q '^  web/numbers-only \[0\]: literal none, then the DFA$' "$tmp/out" || fail "web/numbers-only"
grep -q '^  web/syslog-shape \[0\]: literal "\]: ", then the DFA$' "$tmp/out" || fail "web/syslog-shape"
# What the DFA cannot model (a backreference, a lookahead) is warned about, with its cost.
grep -q '^  web/repeated-number \[0\]: literal none$' "$tmp/out" || fail "web/repeated-number"
grep -Eq '^warning: web/repeated-number \[0\]: no usable literal, confirmed on every line: [0-9]+ ns/line$' \
	"$tmp/out" || fail "cost warning for web/repeated-number"
# A fixed-distance shape gates the DFA, or a pattern with no literal; a second
# one of another part of the pattern must stand in the line too.
grep -A1 '^  web/syslog-shape \[0\]' "$tmp/out" |
	grep -q '^    only where its shapes \[0-9\]{12} and \[0-9\]\\\]:\\x20 occur$' ||
	fail "shapes of web/syslog-shape"
if grep -A1 '^  web/numbers-only \[0\]' "$tmp/out" | grep -q 'shape'; then fail "shape of web/numbers-only"; fi
grep -Eq '^warning: web/repeated-key \[0\]: no usable literal, confirmed on every line holding its shape \[0-9a-f\]\{40\}: [0-9]+ ns/line with the shape test$' \
	"$tmp/out" || fail "no-literal warning for web/repeated-key"
grep -q '^  web/syslog-lookahead \[0\]: literal "\]: "$' "$tmp/out" || fail "web/syslog-lookahead"
grep -Eq '^warning: web/syslog-lookahead \[0\]: literal common in ordinary logs \([0-9]+ of [0-9]+ typical lines\), confirmed on many lines holding its shape \[0-9\]\\\]:\\x20: [0-9]+ ns/line with the shape test$' \
	"$tmp/out" || fail "common-literal warning for web/syslog-lookahead"
for id in web/upstream-timeout web/method web/numbers-only web/syslog-shape; do
	if grep -q "^warning: $id" "$tmp/out"; then fail "warning for $id"; fi
done

# Matching JIT-compiles a pattern when first confirmed; check compiles them all
# to say what JIT does for each, and (*NO_JIT) keeps its own pattern interpreted.
grep -Eq '^JIT: (on, each pattern compiled when first confirmed \(7: [0-9.]+ KB of code\)|PCRE2 JIT is not available .*)$' \
	"$tmp/out" || fail "JIT line"
if grep -q '^JIT: on' "$tmp/out"; then
	printf '%s\n' '{"id":"t/a","signature":"S","regex":"alpha \\d+"}' \
		'{"id":"t/b","signature":"S","regex":"(*LIMIT_MATCH=1000)(*NO_JIT)beta"}' >"$tmp/nojit.jsonl"
	"$FIXWATCH" check -q -k "$tmp/nojit.jsonl" >"$tmp/out" 2>"$tmp/err" || fail "check of a (*NO_JIT) KB"
	grep -Eq '^JIT: on, each pattern compiled when first confirmed \(1: [0-9.]+ KB of code\); 1 interpreted by their own \(\*NO_JIT\)$' \
		"$tmp/out" || fail "JIT line with (*NO_JIT)"
fi

# A DFA member's shape another member's wider one implies is not tested: the
# gate tests the wider one, and that is the shape shown for both. After a
# top-level ^ a shape is anchored ("^"): tested at the line's first byte only,
# and implied by another anchored one, not by one found anywhere in the line.
printf '%s\n' '{"id":"t/six","signature":"S","regex":"^\\d{6} \\d+$"}' \
	'{"id":"t/eight","signature":"S","regex":"^\\d{8}:\\d+$"}' \
	'{"id":"t/inner","signature":"S","regex":"^\\d{4}-\\d{8}:\\d+$"}' >"$tmp/implied.jsonl"
"$FIXWATCH" check -k "$tmp/implied.jsonl" >"$tmp/out" 2>"$tmp/err" || fail "check of the implied-shape KB"
grep -q '^  t/eight \[0\]: literal none, then the DFA$' "$tmp/out" || fail "t/eight in the DFA"
for id in t/six t/eight; do
	grep -A1 "^  $id \\[0\\]" "$tmp/out" | grep -q '^    only where its shape \^\[0-9\]{6} occurs$' ||
		fail "shape the gate tests for $id"
done
grep -A1 '^  t/inner \[0\]' "$tmp/out" | grep -q '^    only where its shape \^\[0-9\]{4}-\[0-9\]{8}:\[0-9\] occurs$' ||
	fail "anchored shape of t/inner"
echo "ok"
