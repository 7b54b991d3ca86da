#!/bin/sh
# The shipped CloudFront and nginx access-log records by their field form
# (data/kb/README.md, "Targets"): CloudFront files whose #Fields are in the
# default order, in another order with fewer fields, or with fields appended
# alert on their error lines; a client that sends an error's name in its
# User-Agent or path raises nothing; an nginx escape=json log and a
# vhost-prefixed combined log alert like a plain combined one; a plain input
# keeps matching the default CloudFront layout by its whole-line pattern.
# Docker's json-file logs of an nginx container (format = json or auto) are
# matched by their decoded `log`: error-log records fire on its error lines,
# access-log records on its access lines, with Docker's time.
. "$top_srcdir/tests/scenarios/lib.sh"
KB="$top_srcdir/data/kb"
command -v gzip >/dev/null || fail "gzip is not installed (see the README's test command)"

DEFAULT='date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end'
tab() { printf '%s' "$1"; shift; for v in "$@"; do printf '\t%s' "$v"; done; printf '\n'; }
# expect_ids NAME WANT [SCAN ARGS...]: fixwatch scan exits 1 (it alerted) and
# its alerts are WANT, "ID:LINE " each in order; output in $T/NAME.out.
expect_ids() {
	name=$1 want=$2
	shift 2
	rc=0
	"$FIXWATCH" scan -k "$KB" "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
	[ "$rc" -eq 1 ] || fail "$name: scan exited with $rc: $(cat "$T/$name.err")"
	got=$(sed -n 's/.*"line_no":\([0-9]*\)}.*"id":"\([^"]*\)".*/\2:\1/p' "$T/$name.out" | tr '\n' ' ')
	[ "$got" = "$want" ] || fail "$name: got '$got': $(cat "$T/$name.out")"
}
# cfline TIME STATUS RESULT DETAILED UA [EXTRA...]: a line in the default order.
cfline() {
	t=$1 st=$2 res=$3 det=$4 ua=$5
	shift 5
	tab 2026-11-23 "$t" FRA56-P1 915 203.0.113.7 GET d1.cloudfront.net /api "$st" - "$ua" - - \
		"$res" "id$t" www.example.com https 312 0.010 - TLSv1.3 TLS_AES_128_GCM_SHA256 "$res" \
		HTTP/2.0 - - 51234 0.010 "$det" text/html 915 - - "$@"
}
UA='Mozilla/5.0%20(X11;%20Linux%20x86_64)'
{
	printf '#Version: 1.0\n#Fields: %s\n' "$DEFAULT"
	cfline 08:00:00 200 Hit Hit "$UA"
	cfline 08:00:01 502 Error OriginConnectError "$UA"
	cfline 08:00:02 200 Hit Hit OriginConnectError
} | gzip -c >"$T/E1.2026-11-23-08.a.gz"
# The fields a user selected, in another order.
{
	printf '#Version: 1.0\n#Fields: x-edge-detailed-result-type date time sc-status cs-uri-stem cs(User-Agent)\n'
	tab OriginDnsError 2026-11-23 09:00:00 502 /api "$UA"
	tab Hit 2026-11-23 09:00:01 200 /OriginReadError OriginReadError
	tab Error 2026-11-23 09:00:02 503 /api "$UA"
	tab Error 2026-11-23 09:00:03 404 /missing "$UA"
} | gzip -c >"$T/E1.2026-11-23-09.b.gz"
# Two fields appended after the default ones.
{
	printf '#Version: 1.0\n#Fields: %s origin-fbl asn\n' "$DEFAULT"
	cfline 10:00:00 502 Error OriginReadError "$UA" 0.011 16509
	cfline 10:00:01 200 Hit Hit OriginReadError 0.011 16509
} >"$T/E1.2026-11-23-10.c"

expect_ids cf "aws/cloudfront-log-origin-connect-error:4 aws/cloudfront-log-origin-dns-error:3 \
aws/cloudfront-log-origin-returned-5xx:5 aws/cloudfront-log-origin-read-error:3 " \
	--input-format w3c "$T/E1.2026-11-23-08.a.gz" "$T/E1.2026-11-23-09.b.gz" "$T/E1.2026-11-23-10.c"
grep -q '"event_time":"2026-11-23T09:00:02.000Z".*"line_no":5}.*"fields":{"x-edge-detailed-result-type":"Error","date":"2026-11-23","time":"09:00:02","sc-status":"503"' "$T/cf.out" ||
	fail "the reordered file's 5xx alert lacks its time, place or fields: $(cat "$T/cf.out")"

# A plain input: the default layout still matches by the whole line.
cfline 08:00:01 502 Error OriginConnectError "$UA" >"$T/plain.log"
expect_ids plain "aws/cloudfront-log-origin-connect-error:1 " "$T/plain.log"

# nginx: log_format ... escape=json, with hostile strings in the client's fields.
cat >"$T/access.json" <<'LOG'
{"time_local":"23/Nov/2026:08:31:55 +0000","remote_addr":"203.0.113.7","request":"GET /a HTTP/1.1","status":"502","body_bytes_sent":"157","http_user_agent":"curl/8.0"}
{"time_local":"23/Nov/2026:08:31:56 +0000","remote_addr":"203.0.113.7","request":"GET /b\" 504 0 \"x HTTP/1.1","status":"200","body_bytes_sent":"504","http_user_agent":"upstream timed out (110: Connection timed out) while reading response header from upstream"}
{"time_local":"23/Nov/2026:08:31:57 +0000","remote_addr":"203.0.113.8","request":"POST /c HTTP/2.0","status":504,"body_bytes_sent":"0","http_user_agent":"\u0022 502 1 \u0022No space left on device"}
LOG
expect_ids json "nginx/access-502-bad-gateway:1 nginx/access-504-gateway-timeout:3 " \
	--input-format json "$T/access.json"
grep -q '"event_time":"2026-11-23T08:31:57.000Z".*"line_no":3}' "$T/json.out" ||
	fail "the 504 alert lacks its time or line: $(cat "$T/json.out")"

# A combined log with the virtual host first ("$host $remote_addr - ...").
cat >"$T/vhost.log" <<'LOG'
www.example.com 203.0.113.7 - - [23/Nov/2026:08:31:55 +0000] "GET /status/502 HTTP/1.1" 200 502 "-" "curl/8.0"
api.example.com 203.0.113.8 - alice [23/Nov/2026:08:31:56 +0000] "POST /token HTTP/1.1" 502 559 "-" "okhttp/4.12.0"
LOG
for f in combined plain; do
	expect_ids "vhost-$f" "nginx/access-502-bad-gateway:2 " --input-format $f "$T/vhost.log"
done

# Docker's json-file driver: the container's stderr (error log) and stdout (access log).
cat >"$T/container-json.log" <<'LOG'
{"log":"2026/11/23 08:31:55 [error] 29#29: *1 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 172.17.0.1, server: _, request: \"GET /a HTTP/1.1\", upstream: \"http://172.17.0.3:8080/a\", host: \"localhost\"\n","stream":"stderr","time":"2026-11-23T08:31:55.123456789Z"}
{"log":"172.17.0.1 - - [23/Nov/2026:08:31:55 +0000] \"GET /a HTTP/1.1\" 504 167 \"-\" \"curl/8.0\"\n","stream":"stdout","time":"2026-11-23T08:31:55.200000000Z"}
{"log":"172.17.0.1 - - [23/Nov/2026:08:31:56 +0000] \"GET /b HTTP/1.1\" 200 12 \"-\" \"upstream timed out (110: Connection timed out) while reading response header from upstream\"\n","stream":"stdout","time":"2026-11-23T08:31:56.000000000Z"}
LOG
for f in json auto; do
	expect_ids "docker-$f" \
		"nginx/upstream-timed-out-reading-response-header:1 nginx/access-504-gateway-timeout:2 " \
		--input-format $f "$T/container-json.log"
	grep -q '"event_time":"2026-11-23T08:31:55.123Z".*"line":"2026/11/23 08:31:55 \[error\] 29#29: \*1 upstream timed out.*host: \\"localhost\\"","truncated"' "$T/docker-$f.out" ||
		fail "Docker log ($f): the error alert lacks Docker's time or the decoded line: $(cat "$T/docker-$f.out")"
done
exit 0
