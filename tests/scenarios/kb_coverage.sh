#!/bin/sh
# The coverage catalogues in data/kb/coverage/*.tsv: every message a program
# can log at error level or above has either a record that recognises it or
# a reason why none does. A row fails when it has neither, names a record
# that does not exist, or has a sample line the named record does not match.
# The check is first run on broken catalogues to show that it can fail.
. "$top_srcdir/tests/scenarios/lib.sh"
KB="$top_srcdir/data/kb"
HEADER="$(printf 'level\twhere\tformat\trecord\treason\tsample')"

# check_catalogue TSV: prints one problem per line to $T/problems and
# returns 1 when there is any.
check_catalogue() {
	local tsv=$1
	: >"$T/problems"
	if [ "$(head -n 1 "$tsv")" != "$HEADER" ]; then
		echo "$tsv:1: header is not: $HEADER" >>"$T/problems"
		return 1
	fi
	# Shape, record-or-reason, and the record's file.
	awk -F '\t' -v tsv="$tsv" -v kb="$KB" '
		NR == 1 { next }
		NF != 6 { printf "%s:%d: %d fields, expected 6\n", tsv, NR, NF; next }
		$1 == "" || $3 == "" || $6 == "" {
			printf "%s:%d: empty level, format or sample\n", tsv, NR; next }
		$4 == "-" && $5 == "" { printf "%s:%d: neither record nor reason\n", tsv, NR; next }
		$4 != "-" && $4 !~ /^[a-z0-9-]+\/[a-z0-9-]+$/ {
			printf "%s:%d: bad record id \"%s\"\n", tsv, NR, $4; next }
		$4 != "-" {
			f = kb "/" $4 ".json"
			if ((getline junk < f) < 0)
				printf "%s:%d: record %s does not exist\n", tsv, NR, $4
			close(f)
		}' "$tsv" >>"$T/problems"
	# Every named record matches its row's sample.
	awk -F '\t' 'NR > 1 { print $6 }' "$tsv" >"$T/samples"
	awk -F '\t' 'NR > 1 && $4 != "-" { print NR - 1, $4 }' "$tsv" >"$T/want"
	"$FIXWATCH" scan -k "$KB" --match all "$T/samples" >"$T/alerts" 2>"$T/scan.err"
	[ $? -le 1 ] || { cat "$T/scan.err" >>"$T/problems"; return 1; }
	sed -n 's/.*"line_no":\([0-9]*\)}.*,"truncated":[a-z]*,"id":"\([^"]*\)".*/\1 \2/p' \
		"$T/alerts" | sort -u >"$T/got"
	sort -u "$T/want" | comm -23 - "$T/got" |
		awk -v tsv="$tsv" '{ printf "%s:%d: sample does not match record %s\n", tsv, $1 + 1, $2 }' \
		>>"$T/problems"
	[ ! -s "$T/problems" ]
}

# The check fails on each kind of broken row.
good_sample='2026/12/01 10:00:00 [error] 1#1: *5 no live upstreams while connecting to upstream, client: 203.0.113.5, server: example.com, request: "GET / HTTP/1.1", upstream: "http://backend/", host: "example.com"'
for bad in "-	" "nginx/no-such-record	" "nginx/client-body-too-large	"; do
	{
		echo "$HEADER"
		printf 'error\thttp/x.c\tno live upstreams\t%s\t%s\n' "$bad" "$good_sample"
	} >"$T/bad.tsv"
	if check_catalogue "$T/bad.tsv"; then
		fail "a row with '$bad' passed the coverage check"
	fi
done
{
	echo "$HEADER"
	printf 'error\thttp/x.c\tno live upstreams\tnginx/no-live-upstreams\t\t%s\n' "$good_sample"
} >"$T/good.tsv"
check_catalogue "$T/good.tsv" || { cat "$T/problems" >&2; fail "a good row failed"; }

# The shipped catalogues.
n=0
for tsv in "$KB"/coverage/*.tsv; do
	[ -f "$tsv" ] || continue
	n=$((n + 1))
	check_catalogue "$tsv" || { head -n 50 "$T/problems" >&2; fail "$tsv"; }
	rows=$(($(wc -l <"$tsv") - 1))
	covered=$(awk -F '\t' 'NR > 1 && $4 != "-"' "$tsv" | wc -l)
	echo "$(basename "$tsv"): $rows messages, $covered with a record"
done
[ "$n" -gt 0 ] || fail "no catalogue under $KB/coverage"
exit 0
