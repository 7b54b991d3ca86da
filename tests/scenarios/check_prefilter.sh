#!/bin/sh
# fixwatch check names, per pattern, the literal the fast matcher's prefilter
# uses, and warns with a measured cost about patterns confirmed on every line.
set -eu
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fw-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

cat >"$tmp/kb.jsonl" <<'KB'
{"id":"web/upstream-timeout","signature":"upstream timed out","regex":"upstream timed out \\(110: Connection timed out\\)"}
{"id":"web/numbers-only","signature":"numbers","regex":"^\\d+ \\d+$"}
{"id":"web/method","signature":"method","regex":"(?:PATCH|PURGE) /admin/","flags":"i"}
KB

"$FIXWATCH" check -k "$tmp/kb.jsonl" >"$tmp/out" 2>"$tmp/err" || {
	echo "fixwatch check failed:"; cat "$tmp/err"; exit 1
}
fail() { echo "FAIL: $*"; echo "--- output:"; cat "$tmp/out"; exit 1; }

grep -q '^prefilter: 1 of 3 patterns confirmed on every line$' "$tmp/out" || fail "summary line"
grep -q '^  web/upstream-timeout \[0\]: literal .*110: Connection timed out)' "$tmp/out" ||
	fail "literal of web/upstream-timeout"
grep -q '^  web/numbers-only \[0\]: literal none$' "$tmp/out" || fail "no literal for web/numbers-only"
grep -Eq '^warning: web/numbers-only \[0\]: no usable literal, confirmed on every line: [0-9]+ ns/line$' \
	"$tmp/out" || fail "cost warning for web/numbers-only"
grep -q '^  web/method \[0\]: literal .*/admin/"i' "$tmp/out" || fail "caseless literal of web/method"
if grep -q '^warning: web/upstream-timeout' "$tmp/out"; then fail "warning for a pattern with a literal"; fi
echo "ok"
