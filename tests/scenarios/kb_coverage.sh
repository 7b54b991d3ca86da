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

# The CloudFront standard log's result values (data/kb/coverage/cloudfront/):
# results.tsv names each documented value of a field, with its record or the
# reason there is none; standard.log holds W3C sample lines (with #Fields)
# that carry the values. A row fails when it has neither a record nor a
# reason, names a record that does not exist or a field the log does not
# have, has a record but no sample line with its value, or has a sample line
# that record does not match; a "routine:" row fails when a sample line with
# its value raises any alert at all.
W3C_HEADER="$(printf 'field\tvalue\twhere\trecord\treason')"
check_w3c_catalogue() {
	local tsv=$1 log=$2
	: >"$T/problems"
	if [ "$(head -n 1 "$tsv")" != "$W3C_HEADER" ]; then
		echo "$tsv:1: header is not: $W3C_HEADER" >>"$T/problems"
		return 1
	fi
	"$FIXWATCH" scan -k "$KB" --match all --input-format w3c "$log" >"$T/alerts" 2>"$T/scan.err"
	[ $? -le 1 ] || { cat "$T/scan.err" >>"$T/problems"; return 1; }
	sed -n 's/.*"line_no":\([0-9]*\)}.*,"truncated":[a-z]*,"id":"\([^"]*\)".*/\1 \2/p' \
		"$T/alerts" | sort -u >"$T/got"
	awk -F '\t' -v tsv="$tsv" -v logf="$log" -v kb="$KB" '
		FILENAME == ARGV[1] { split($0, a, " "); hit[a[1] " " a[2]] = 1; alerted[a[1]] = 1; next }
		FILENAME == ARGV[2] {
			if ($0 ~ /^#Fields: /) {
				n = split(substr($0, 10), names, " ")
				for (i = 1; i <= n; i++)
					known[names[i]] = 1
				next
			}
			if ($0 ~ /^#/)
				next
			for (i = 1; i <= n && i <= NF; i++)
				lines[names[i], $i] = lines[names[i], $i] " " FNR
			next
		}
		FNR == 1 { next }
		NF != 5 { printf "%s:%d: %d fields, expected 5\n", tsv, FNR, NF; next }
		$1 == "" || $2 == "" { printf "%s:%d: empty field or value\n", tsv, FNR; next }
		!($1 in known) { printf "%s:%d: %s has no field %s\n", tsv, FNR, logf, $1; next }
		$4 == "-" && $5 == "" { printf "%s:%d: neither record nor reason\n", tsv, FNR; next }
		$4 != "-" && $4 !~ /^[a-z0-9-]+\/[a-z0-9-]+$/ {
			printf "%s:%d: bad record id \"%s\"\n", tsv, FNR, $4; next }
		{
			if ($4 != "-") {
				f = kb "/" $4 ".json"
				if ((getline junk < f) < 0) {
					printf "%s:%d: record %s does not exist\n", tsv, FNR, $4
					next
				}
				close(f)
			}
			m = split(lines[$1, $2], at, " ")
			if ($4 != "-" && m == 0)
				printf "%s:%d: no line of %s has %s %s\n", tsv, FNR, logf, $1, $2
			for (j = 1; j <= m; j++) {
				if ($4 != "-" && !((at[j] " " $4) in hit))
					printf "%s:%d: %s:%d does not match record %s\n", tsv, FNR, logf, at[j], $4
				if ($5 ~ /^routine:/ && (at[j] in alerted))
					printf "%s:%d: %s:%d raises an alert, but %s is routine\n", tsv, FNR, logf,
					       at[j], $2
			}
		}' "$T/got" "$log" "$tsv" >>"$T/problems"
	[ ! -s "$T/problems" ]
}

# The check fails on each kind of broken row, and passes a good one.
CF="$KB/coverage/cloudfront"
{ grep '^#' "$CF/standard.log"; grep '	OriginDnsError	' "$CF/standard.log"; } >"$T/w3c.log"
grep -q OriginDnsError "$T/w3c.log" || fail "no OriginDnsError sample in $CF/standard.log"
for bad in "x-edge-detailed-result-type	OriginDnsError	-	" \
	"x-edge-detailed-result-type	OriginDnsError	aws/no-such-record	" \
	"x-edge-detailed-result-type	OriginDnsError	aws/cloudfront-log-origin-connect-error	" \
	"x-edge-detailed-result-type	NoSuchValue	aws/cloudfront-log-origin-dns-error	" \
	"x-edge-detailed-result-type	OriginDnsError	-	routine: not an error" \
	"x-no-such-field	OriginDnsError	aws/cloudfront-log-origin-dns-error	"; do
	{
		echo "$W3C_HEADER"
		printf '%s\t%s\t%s\t%s\t%s\n' "$(echo "$bad" | cut -f 1)" "$(echo "$bad" | cut -f 2)" \
			"doc.html" "$(echo "$bad" | cut -f 3)" "$(echo "$bad" | cut -f 4)"
	} >"$T/bad-w3c.tsv"
	if check_w3c_catalogue "$T/bad-w3c.tsv" "$T/w3c.log"; then
		fail "a W3C catalogue row '$bad' passed the coverage check"
	fi
done
{
	echo "$W3C_HEADER"
	printf 'x-edge-detailed-result-type\tOriginDnsError\tdoc.html\taws/cloudfront-log-origin-dns-error\t\n'
} >"$T/good-w3c.tsv"
check_w3c_catalogue "$T/good-w3c.tsv" "$T/w3c.log" || { cat "$T/problems" >&2; fail "a good W3C row failed"; }

check_w3c_catalogue "$CF/results.tsv" "$CF/standard.log" || { head -n 50 "$T/problems" >&2; fail "$CF/results.tsv"; }
rows=$(($(wc -l <"$CF/results.tsv") - 1))
covered=$(awk -F '\t' 'NR > 1 && $4 != "-"' "$CF/results.tsv" | wc -l)
echo "cloudfront/results.tsv: $rows values, $covered with a record"
exit 0
