#!/bin/sh
# The shipped knowledge base: loads, every record's examples and counterexamples
# hold (with the cross-record precision rule), it stays silent on ordinary
# log lines, and the bundled samples give alerts.
. "$top_srcdir/tests/scenarios/lib.sh"
KB="$top_srcdir/data/kb"

expect_exit 0 "$FIXWATCH" check -k "$KB"
# Every record, the one shipped under the seed's id included, carries at
# least two examples and one counterexample, and they hold.
# The advice rules of --strict hold for every record but those listed as
# known failures; the list may only shrink (lower the ceiling when it does).
KNOWN="$top_srcdir/tests/data/kb-known-failures.txt"
expect_exit 0 "$FIXWATCH" test -k "$KB" --strict --known-failures "$KNOWN"
assert_grep "$T/out" " 0 failed"
n=$(grep -Ev ' (variants|captures)$' "$KNOWN" | grep -c '^[^#]')
[ "$n" -le 0 ] || fail "$KNOWN has $n advice entries, more than the 0 it had: fix records instead"
# Every example's variants (IPv6, other numbers, prefixes, Docker's json-file
# wrapping, whose decoded `log` is the line matched) match.
n=$(grep -c ' variants$' "$KNOWN")
[ "$n" -le 0 ] || fail "$KNOWN has $n variants entries, more than the 0 it had: fix records instead"
# The variants ran: a record's example in another form is tried.
grep -Eq ' [1-9][0-9]* variants' "$T/out" || fail "no variants were tried"
# No capture a client can steer (data/kb/README.md, "Captures"), and the
# hostile lines were tried.
n=$(grep -c ' captures$' "$KNOWN")
[ "$n" -le 0 ] || fail "$KNOWN has $n captures entries, more than the 0 it had: fix records instead"
grep -Eq ' [1-9][0-9]* hostile lines' "$T/out" || fail "no hostile lines were tried"

# The seed, kept byte for byte as a format fixture, still loads as it is.
expect_exit 0 "$FIXWATCH" check -k "$SEED_FILE"
# Its SHA-256 is that of the seed as it was first committed (d58d598).
sum=$(sha256sum <"$SEED_FILE") || fail "cannot read $SEED_FILE"
[ "${sum%% *}" = 5ec1821f96e4e560c376711228a36c9c988329ecde7920e3980c37a3e42ff91e ] ||
	fail "the seed fixture was changed: $SEED_FILE must stay byte for byte the seed"

# The record shipped under the seed's id gives no advice that cannot work:
# CloudFront takes no self-signed origin certificate, whatever ACM holds.
expect_exit 0 "$FIXWATCH" show -k "$KB" "$SEED_ID"
assert_grep "$T/out" "http-502-bad-gateway.html#ssl-negotitation-failure"
assert_no_grep "$T/out" "acm import-certificate"
assert_no_grep "$T/out" "SSL_handshake_failure.html"
# The fixture does give that advice: the test above can fail.
expect_exit 0 "$FIXWATCH" show -k "$SEED_FILE" "$SEED_ID"
assert_grep "$T/out" "acm import-certificate"

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
