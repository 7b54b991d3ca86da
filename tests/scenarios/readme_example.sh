#!/bin/sh
# The README's example configuration, as written (but its paths, and without
# the journal input and the network output, which need a host of their own),
# against real-format logs: a gzip CloudFront file with its own #Fields order
# dropped in while the daemon runs alerts on its OriginCommError line with
# file, line, fields and event time; nginx's access log alerts on 502 with
# its fields, and error-log text in a User-Agent raises nothing; a FastCGI
# entry over 4 lines of the error log gives one PHP-FPM alert with its whole
# text.
. "$(dirname "$0")/daemon_lib.sh"

: "${top_srcdir:?run through make check (top_srcdir unset)}"
command -v gzip >/dev/null || fail "gzip is not installed (see the README's test command)"
mkdir -p "$T/nginx" "$T/cf" "$T/tmp" "$T/state"
: >"$T/nginx/error.log"
: >"$T/nginx/access.log"

# The first ```ini block after the example's introduction, sections kept but
# [input.journal] and [output.collector], paths moved into $T.
awk '/^A configuration for a web host/ { intro = 1 }
	intro && /^```ini/ { on = 1; next }
	on && /^```/ { exit }
	on && /^\[/ { skip = ($0 == "[input.journal]" || $0 == "[output.collector]") }
	on && !skip' "$top_srcdir/README.md" |
	sed -e "s|/var/lib/fixwatch|$T/state|" -e "s|/var/log/nginx/|$T/nginx/|" \
	    -e "s|/srv/cloudfront-logs/|$T/cf/|" -e "s|/var/log/fixwatch/alerts.json|$T/out|" \
	    -e "s|^\[daemon\]|&\nkb = $top_srcdir/data/kb\nkb_local = $T/kb.d\ncontrol_socket =|" >"$T/fw.conf"
grep -q '^\[input.cloudfront\]' "$T/fw.conf" && grep -q "^path = $T/nginx/" "$T/fw.conf" ||
	fail "the README's example was not found: $(cat "$T/fw.conf")"
"$FIXWATCHD" -c "$T/fw.conf" -t >"$T/t.out" 2>&1 || fail "-t refused the README's example: $(cat "$T/t.out")"
grep -q 'domains:' "$T/t.out" && fail "-t warned about the README's domains: $(cat "$T/t.out")"
start_daemon

cat >>"$T/nginx/access.log" <<'LOG'
203.0.113.9 - - [23/Nov/2026:08:00:01 +0000] "GET /y HTTP/1.1" 200 10 "-" "upstream timed out (110: Connection timed out) while reading response header from upstream"
203.0.113.9 - - [23/Nov/2026:08:00:02 +0000] "GET /z HTTP/1.1" 200 10 "-" "pwrite() \"/var/cache/x\" failed (28: No space left on device)"
203.0.113.9 - - [23/Nov/2026:08:00:03 +0000] "GET /x HTTP/1.1" 502 157 "-" "curl/8.0"
LOG
printf '%s\n' \
	'2026/11/23 08:00:05 [error] 1234#1234: *5 FastCGI sent in stderr: "PHP message: PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/app/lib.php on line 42' \
	'PHP message: PHP Stack trace:' \
	'PHP message: PHP   1. {main}() /var/www/app/index.php:0' \
	'" while reading response header from upstream, client: 203.0.113.9, server: example.com, request: "GET / HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "example.com"' \
	'2026/11/23 08:00:09 [error] 1234#1234: *7 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.9, server: example.com, request: "GET /t HTTP/1.1", upstream: "http://127.0.0.1:8080/t", host: "example.com"' \
	>>"$T/nginx/error.log"
# CloudFront: fields in an order of the user's choosing, one appended, gzip'd and renamed in whole.
{
	printf '#Version: 1.0\n'
	printf '#Fields: x-edge-detailed-result-type date time x-edge-location sc-status cs-method cs-uri-stem c-ip x-edge-result-type cs(User-Agent) x-new-field\n'
	printf 'Hit\t2026-11-23\t08:00:00\tFRA56-P1\t200\tGET\t/ok\t203.0.113.7\tHit\tcurl/8.0\tz\n'
	printf 'OriginCommError\t2026-11-23\t08:10:00\tFRA56-P1\t502\tGET\t/api%%20v1\t203.0.113.7\tError\tcurl/8.0\tz\n'
} | gzip -c >"$T/tmp/E2ABC.2026-11-23-08.1a2b3c4d.gz"
mv "$T/tmp/E2ABC.2026-11-23-08.1a2b3c4d.gz" "$T/cf/"

wait_for "the four alerts" has_alerts 4
stop_daemon
cf="$T/cf/E2ABC.2026-11-23-08.1a2b3c4d.gz"
grep -q '"event_time":"2026-11-23T08:10:00.000Z".*"input":"cloudfront".*"path":"'"$cf"'","offset":[0-9]*,"line_no":4}.*"id":"aws/cloudfront-log-origin-comm-error".*"fields":{"x-edge-detailed-result-type":"OriginCommError",.*"cs-uri-stem":"/api v1"' "$T/out" ||
	fail "no CloudFront alert with its file, line, fields and time: $(cat "$T/out")"
grep -q '"event_time":"2026-11-23T08:00:03.000Z".*"input":"nginx-access".*"line_no":3}.*"id":"nginx/access-502-bad-gateway".*"fields":{.*"status":"502"' "$T/out" ||
	fail "no 502 alert of the access log with its fields: $(cat "$T/out")"
grep -q '"input":"nginx-error".*"line_no":1,"lines":4},"line":"2026/11/23 08:00:05 .*PHP Fatal error: .*upstream: \\"fastcgi://unix:/run/php/php8.2-fpm.sock:\\", host: \\"example.com\\"",.*"id":"php-fpm/allowed-memory-size-exhausted"' "$T/out" ||
	fail "the FastCGI entry did not alert whole: $(cat "$T/out")"
grep -q '"input":"nginx-error".*"line_no":5}.*"id":"nginx/upstream-timed-out-reading-response-header"' "$T/out" ||
	fail "the error log's own timeout did not alert: $(cat "$T/out")"
[ "$(count_alerts)" -eq 4 ] || fail "want 4 alerts (none from a User-Agent): $(cat "$T/out")"
exit 0
