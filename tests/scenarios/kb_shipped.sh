#!/bin/sh
# The shipped knowledge base: loads, every record's examples and counterexamples
# hold (with the cross-record precision rule), it stays silent on ordinary
# log lines, and the bundled samples give alerts.
. "$top_srcdir/tests/scenarios/lib.sh"
KB="$top_srcdir/data/kb"

expect_exit 0 "$FIXWATCH" check -k "$KB"
# The seed record is kept exactly as it came, without examples; every other
# record must carry at least two examples and one counterexample.
expect_exit 0 "$FIXWATCH" test -k "$KB" --strict --allow-untested "$SEED_ID"
assert_grep "$T/out" " 0 failed"

# The seed file is byte for byte the seed record.
if [ -f "$top_srcdir/../shared/seeds/000_cb8fe3e73edeb009.txt" ]; then
	cmp "$top_srcdir/../shared/seeds/000_cb8fe3e73edeb009.txt" "$KB/$SEED_ID.json" ||
		fail "the seed record was changed"
fi

# Ordinary lines (2xx/3xx access lines, routine messages) give no alert at all.
found=0
for f in "$top_srcdir"/tests/data/benign/*; do
	[ -f "$f" ] || continue
	found=1
	expect_exit 0 "$FIXWATCH" scan -k "$KB" --match all "$f"
	assert_lines "$T/out" 0
done

# The quick start's samples give alerts, the seed's among them.
set -- "$top_srcdir"/data/samples/*
if [ -f "$1" ]; then
	expect_exit 1 "$FIXWATCH" scan -k "$KB" "$@"
	assert_grep "$T/out" "\"id\":\"$SEED_ID\""
fi
[ "$found" = 1 ] || echo "note: no benign corpus under tests/data/benign yet"
exit 0
