#!/bin/sh
# fixwatch check / test / show, on good and broken knowledge bases.
. "$top_srcdir/tests/scenarios/lib.sh"
make_kb

expect_exit 0 "$FIXWATCH" check -k "$T/kb"
assert_grep "$T/out" '3 records, 3 patterns (2 named captures) from 1 file'
assert_grep "$T/out" 'domains: test (3)'

# show renders Markdown; an unknown id is an error.
expect_exit 0 "$FIXWATCH" show -k "$T/kb" test/upstream-timeout
assert_grep "$T/out" '# upstream timed out'
assert_grep "$T/out" '1. **Fix the slow upstream** (80% success)'
assert_grep "$T/out" '2. **Raise proxy_read_timeout** (60% success)'
expect_exit 1 "$FIXWATCH" show -k "$T/kb" test/nope
assert_grep "$T/err" "no record with id 'test/nope'"
expect_exit 2 "$FIXWATCH" show -k "$T/kb"

# The seed fixture renders with its facts, ranked workarounds and dead ends.
expect_exit 0 "$FIXWATCH" show -k "$SEED_FILE" "$SEED_ID"
assert_grep "$T/out" "# $SEED_TEXT"
assert_grep "$T/out" '- **Fix rate:** 83%'
assert_grep "$T/out" "(85% success)"
assert_grep "$T/out" '- The certificate issue is persistent; restarting does not fix the SSL configuration. (85% fail)'
assert_grep "$T/out" '| OpenSSL 3.0.12 | active |'

# One broken record among good ones: nothing is loaded, every problem is named.
mkdir -p "$T/bad/x"
cp "$T/kb/test/records.jsonl" "$T/bad/x/good.jsonl"
cat >"$T/bad/x/broken.jsonl" <<'JSONL'
{"id":"x/one","signature":"s","regex":"ok"}
{"id":"x/two","signature":"s","regex":"unclosed (group"}
{"id":"x/three","signature":"s"}
{"id":"x/four","signature":"s","regex":"r","confidence":"high"}
{"id":"x/five","signature":"s","regex":"r",
{"id":"test/upstream-timeout","signature":"s","regex":"dup"}
JSONL
expect_exit 1 "$FIXWATCH" check -k "$T/bad"
assert_grep "$T/err" "$T/bad/x/broken.jsonl:2: x/two: regex: invalid regex at offset 15: missing closing parenthesis"
assert_grep "$T/err" "$T/bad/x/broken.jsonl:3: x/three: regex: missing (required)"
assert_grep "$T/err" "$T/bad/x/broken.jsonl:4: x/four: confidence: expected a number, got a string"
assert_grep "$T/err" "$T/bad/x/broken.jsonl:5: -: -: malformed JSON"
assert_grep "$T/err" "knowledge base not loaded"
assert_no_grep "$T/err" "x/one"
assert_no_grep "$T/out" "records"

# Duplicate ids name both places.
mkdir -p "$T/dup"
cp "$T/kb/test/records.jsonl" "$T/dup/a.jsonl"
printf '{"id":"test/connect-refused","signature":"s","regex":"again"}\n' >"$T/dup/b.json"
expect_exit 1 "$FIXWATCH" check -k "$T/dup"
assert_grep "$T/err" "$T/dup/b.json: test/connect-refused: id: duplicate id, first defined at $T/dup/a.jsonl:2"

# Empty KB, missing KB, a file that is not JSON.
mkdir -p "$T/empty"
expect_exit 1 "$FIXWATCH" check -k "$T/empty"
assert_grep "$T/err" "the knowledge base has no records"
expect_exit 1 "$FIXWATCH" check -k "$T/nowhere"
assert_grep "$T/err" "$T/nowhere: -: -: cannot open: No such file or directory"
printf 'not json\n' >"$T/empty/x.json"
expect_exit 1 "$FIXWATCH" check -k "$T/empty"
assert_grep "$T/err" "$T/empty/x.json:1: -: -: malformed JSON at column 2: null expected"

# test: examples must match their record, counterexamples must not, and an
# example matching another record is reported unless both declare it.
mkdir -p "$T/t"
cat >"$T/t/r.jsonl" <<'JSONL'
{"id":"t/a","signature":"a","regex":"disk full on (?<dev>\\S+)","examples":["disk full on sda1","x disk full on nvme0n1"],"counterexamples":["disk fine on sda1"]}
{"id":"t/b","signature":"b","regex":"full on","examples":["table full on node1","queue full on node2"],"counterexamples":["table empty"]}
JSONL
expect_exit 1 "$FIXWATCH" test -k "$T/t"
assert_grep "$T/out" "$T/t/r.jsonl:1: t/a: examples[0]: also matches t/b (if intended, both records must list each other in transition_graph.frequently_confused_with): disk full on sda1"
assert_grep "$T/out" "4 passed, 2 failed"
cat >"$T/t/r.jsonl" <<'JSONL'
{"id":"t/a","signature":"a","regex":"disk full on (?<dev>\\S+)","examples":["disk full on sda1","x disk full on nvme0n1"],"counterexamples":["disk fine on sda1"],"transition_graph":{"frequently_confused_with":["t/b"]}}
{"id":"t/b","signature":"b","regex":"full on","examples":["table full on node1","queue full on node2"],"counterexamples":["table empty", "disk full on sda1"],"transition_graph":{"frequently_confused_with":["t/a"]}}
JSONL
expect_exit 1 "$FIXWATCH" test -k "$T/t"
assert_grep "$T/out" "$T/t/r.jsonl:2: t/b: counterexamples[1]: matches this record: disk full on sda1"
sed -i 's/, "disk full on sda1"//' "$T/t/r.jsonl"
expect_exit 0 "$FIXWATCH" test -k "$T/t" --strict
assert_grep "$T/out" "2 records, 4 examples, 2 counterexamples"
assert_grep "$T/out" "6 passed, 0 failed"
# --strict: records need two examples and one counterexample.
expect_exit 1 "$FIXWATCH" test -k "$T/kb" --strict
assert_grep "$T/out" "test/connect-refused: examples: 0 examples and 0 counterexamples"
exit 0
