#!/bin/sh
# fixwatch scan and test load the operators' records of [daemon] kb_local as
# fixwatchd does, from the configuration of -c: a local record adds an alert,
# one with a shipped id replaces it (and stderr says so), `fixwatch test`
# runs the local records' examples, --no-local leaves them out, and a
# configuration that does not load is an error naming its place.
. "$top_srcdir/tests/scenarios/lib.sh"

make_kb
mkdir -p "$T/kb.d"
cat >"$T/fw.conf" <<CONF
[daemon]
kb_local = kb.d
state_dir = $T
[input.app]
type = file
path = $T/app.log
[output.out]
type = stdout
CONF
printf '%s\n' \
	'{"id":"local/disk","signature":"disk","regex":"disk on fire","domain":"local","category":"storage_error","root_cause":"Smoke.","examples":["a disk on fire","b disk on fire"],"counterexamples":["a disk in order"]}' \
	'{"id":"test/connect-refused","signature":"refused","regex":"connect\\(\\) failed \\(111: Connection refused\\)","domain":"test","category":"network_error","root_cause":"Our own cause.","examples":["connect() failed (111: Connection refused) while reading","x connect() failed (111: Connection refused)"],"counterexamples":["connect() failed (113: No route to host)"]}' \
	>"$T/kb.d/mine.jsonl"
printf '%s\n' 'a disk on fire' 'connect() failed (111: Connection refused) while connecting to upstream' >"$T/app.log"

# scan: the local record's alert, the replacing record's diagnosis, and a notice.
expect_exit 1 "$FIXWATCH" scan -c "$T/fw.conf" -k "$T/kb" "$T/app.log"
assert_grep "$T/out" '"id":"local/disk"'
assert_grep "$T/out" 'Our own cause.'
assert_grep "$T/err" "$T/kb.d/mine.jsonl:2: test/connect-refused: replaces the shipped record of $T/kb/test/records.jsonl:2"

# --no-local: the KB of -k alone.
expect_exit 1 "$FIXWATCH" scan -c "$T/fw.conf" --no-local -k "$T/kb" "$T/app.log"
assert_no_grep "$T/out" '"id":"local/disk"'
assert_no_grep "$T/out" 'Our own cause.'
assert_no_grep "$T/err" 'replaces the shipped record'

# Without -c, an explicit -k means that KB alone.
expect_exit 1 "$FIXWATCH" scan -k "$T/kb" "$T/app.log"
assert_no_grep "$T/out" '"id":"local/disk"'

# test: the local records' examples run too; a broken one fails the run.
expect_exit 0 "$FIXWATCH" test -c "$T/fw.conf" -k "$T/kb"
assert_grep "$T/out" "4 records, 4 examples"
printf '%s\n' '{"id":"local/broken","signature":"b","regex":"never matches this","domain":"local","category":"storage_error","examples":["a disk on fire","b"],"counterexamples":["c"]}' \
	>"$T/kb.d/broken.jsonl"
expect_exit 1 "$FIXWATCH" test -c "$T/fw.conf" -k "$T/kb"
assert_grep "$T/out" 'local/broken'
expect_exit 0 "$FIXWATCH" test -c "$T/fw.conf" --no-local -k "$T/kb"
assert_no_grep "$T/out" 'local/broken'

# A configuration that does not load is an error that names it; --no-local
# does without it.
printf '[daemon]\nkb_local = kb.d\nno_such_key = 1\n' >"$T/bad.conf"
rc=0
"$FIXWATCH" scan -c "$T/bad.conf" -k "$T/kb" "$T/app.log" >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" -ge 1 ] || fail "scan took a configuration that does not load"
assert_grep "$T/err" "$T/bad.conf:3: [daemon] no_such_key"
assert_grep "$T/err" "configuration not loaded"
assert_no_grep "$T/out" '"schema"'
expect_exit 1 "$FIXWATCH" scan -c "$T/bad.conf" --no-local -k "$T/kb" "$T/app.log"
exit 0
