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
expect_exit 0 "$FIXWATCH" test -k "$T/t"
assert_grep "$T/out" "2 records, 4 examples, 2 counterexamples"
assert_grep "$T/out" "6 passed, 0 failed"
# --strict also holds the advice to its rules: here severity, the zh texts
# and the kinds of log a record describes.
expect_exit 1 "$FIXWATCH" test -k "$T/t" --strict
assert_grep "$T/out" "$T/t/r.jsonl:1: t/a: severity: severity missing"
assert_grep "$T/out" "$T/t/r.jsonl:2: t/b: zh: signature_zh missing"
assert_grep "$T/out" "$T/t/r.jsonl:1: t/a: logs: logs missing"
sed -i 's/"signature":"\([ab]\)"/"signature":"\1","signature_zh":"\1","severity":"err"/' "$T/t/r.jsonl"
expect_exit 1 "$FIXWATCH" test -k "$T/t" --strict
assert_grep "$T/out" "$T/t/r.jsonl:2: t/b: logs: logs missing"
assert_no_grep "$T/out" "severity missing"
sed -i 's/"severity":"err"/&,"logs":["plain","syslog"]/' "$T/t/r.jsonl"
expect_exit 0 "$FIXWATCH" test -k "$T/t" --strict
assert_grep "$T/out" "6 passed, 0 failed"

# Advice rules and the list of known failures, which may only shrink.
mkdir -p "$T/adv"
cat >"$T/adv/r.jsonl" <<'JSONL'
{"id":"t/c","signature":"c","signature_zh":"c","severity":"err","logs":["plain"],"regex":"disk full on","examples":["disk full on sda1","disk full on sdb"],"counterexamples":["disk fine"],"workarounds":[{"action":"Check what fills the disk","action_zh":"查","success_rate":0.5},{"action":"Free space","action_zh":"清","success_rate":0.7}]}
JSONL
expect_exit 1 "$FIXWATCH" test -k "$T/adv" --strict
assert_grep "$T/out" "t/c: rank-order: workarounds[0] (rate 0.50)"
assert_grep "$T/out" "t/c: diagnostic-fix: workarounds[0] \"Check what fills the disk\" is a diagnostic step"
assert_grep "$T/out" "t/c: cause-sum: 2 alternatives for cause (the root cause) add up to 1.20"
printf '# known\nt/c rank-order\nt/c diagnostic-fix  # move it\n\nt/c cause-sum\n' >"$T/known"
expect_exit 0 "$FIXWATCH" test -k "$T/adv" --strict --known-failures "$T/known"
assert_grep "$T/out" "3 known advice failures"
printf 't/c zh\n' >>"$T/known"
expect_exit 1 "$FIXWATCH" test -k "$T/adv" --strict --known-failures "$T/known"
assert_grep "$T/out" "$T/known:6: t/c zh: no longer fails; remove it from the list"
printf 't/c severe\n' >"$T/known"
expect_exit 1 "$FIXWATCH" test -k "$T/adv" --strict --known-failures "$T/known"
assert_grep "$T/err" "$T/known:1: t/c: unknown rule \"severe\""
printf 't/c zh\nt/c zh\n' >"$T/known"
expect_exit 1 "$FIXWATCH" test -k "$T/adv" --strict --known-failures "$T/known"
assert_grep "$T/err" "$T/known:2: t/c zh: listed twice (first on line 1)"
expect_exit 1 "$FIXWATCH" test -k "$T/adv" --strict --known-failures "$T/nowhere"
expect_exit 2 "$FIXWATCH" test -k "$T/adv" --known-failures "$T/known"
# --strict: records need two examples and one counterexample.
expect_exit 1 "$FIXWATCH" test -k "$T/kb" --strict
assert_grep "$T/out" "test/connect-refused: examples: 0 examples and 0 counterexamples"
# Variants: a pattern written for the IPv4 form of its example fails the
# IPv6 variants; the report names the example, the variant and where the
# pattern stopped matching. Listed under `variants`, it is known; fixed, the
# entry is stale.
mkdir -p "$T/var"
cat >"$T/var/r.jsonl" <<'JSONL'
{"id":"t/v","signature":"v","signature_zh":"v","severity":"err","logs":["plain","w3c","json","combined","syslog","journal"],"regex":"refused from (?<client>\\d+\\.\\d+\\.\\d+\\.\\d+) port \\d+$","examples":["Dec  4 10:00:00 h app[7]: refused from 203.0.113.7 port 5022","refused from 10.0.0.1 port 22"],"counterexamples":["accepted from 10.0.0.1 port 22"]}
JSONL
expect_exit 1 "$FIXWATCH" test -k "$T/var"
assert_grep "$T/out" "t/v: example 0, variant ipv6-full: Dec  4 10:00:00 h app[7]: refused from 2001:0db8:0000:0000:0000:0000:cb00:7107 port 5022"
assert_grep "$T/out" "t/v: example 0, variant ipv6-full: pattern 0 stops matching at offset 26, \"\\.\\d+"
assert_grep "$T/out" "after matching the line up to \":0db8:0000"
assert_grep "$T/out" "t/v: example 1, variant ipv4-mapped: refused from ::ffff:10.0.0.1 port 22"
assert_grep "$T/out" "t/v: example 0, variant no-port: Dec  4 10:00:00 h app[7]: refused from 203.0.113.7"
assert_no_grep "$T/out" "variant rfc3164"
printf 't/v variants\n' >"$T/known"
expect_exit 0 "$FIXWATCH" test -k "$T/var" --strict --known-failures "$T/known"
assert_grep "$T/out" "1 record with known variant failures"
sed -i 's/\\\\d+\\\\.\\\\d+\\\\.\\\\d+\\\\.\\\\d+/\\\\S+/; s/ port \\\\d+\$/(?: port \\\\d+)?/' "$T/var/r.jsonl"
expect_exit 1 "$FIXWATCH" test -k "$T/var" --strict --known-failures "$T/known"
assert_grep "$T/out" "$T/known:1: t/v variants: no longer fails; remove it from the list"
expect_exit 0 "$FIXWATCH" test -k "$T/var" --strict
# A failing example says where its pattern stopped, too.
sed -i 's/refused from 10.0.0.1/denied from 10.0.0.1/' "$T/var/r.jsonl"
expect_exit 1 "$FIXWATCH" test -k "$T/var"
assert_grep "$T/out" "t/v: examples: pattern 0 stops matching at offset 1, \"efused from"
exit 0
