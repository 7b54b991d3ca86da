#!/bin/sh
# Custom nginx log_format (log_format = in [input.*]): fixwatchd -t names the
# part of a bad format by file, line and key; fixwatchd reads an access log
# with a vhost, request_time and upstream lists, and an escape=json one, into
# fields named by nginx's variables, so status records alert with the line's
# own time, a User-Agent carrying escaped quotes and error-log text raises no
# error-log alert, and a line that does not fit is named and matched as text;
# fixwatch scan --log-format reads the same log alike, and splits two variables
# with nothing between them where their values' shapes decide.
. "$(dirname "$0")/daemon_lib.sh"

mkdir -p "$T/kb" "$T/state" "$T/logs"
cat >"$T/kb/test.jsonl" <<'KB'
{"id":"web/bad-gateway","signature":"502 or 504 from the proxy","regex":"^50(?<code>[24])$","field":"status","logs":["combined"],"confidence":0.8}
{"id":"web/upstream-timeout","signature":"upstream timed out","regex":"upstream timed out \\(110","logs":["plain","syslog"],"confidence":0.8}
{"id":"test/plain-marker","signature":"a marker in any line","regex":"MARKER-(?<n>\\d+)","confidence":0.5}
KB

# conf FILE LOG_FORMAT_OF_ACCESS: a configuration with the two inputs.
conf() {
	cat >"$1" <<CONF
[daemon]
kb = $T/kb
state_dir = $T/state
host = scenario
control_socket =
[input.shop]
type = file
path = $T/logs/shop.log
start_at = beginning
log_format = $2
[input.api]
type = file
path = $T/logs/api.log
start_at = beginning
log_format = api escape=json '{"t":"\$time_iso8601","host":"\$host","status":\$status,' '"ua":"\$http_user_agent","up":"\$upstream_status"}';
[output.out]
type = stdout
CONF
}

# -t refuses a format whose variables cannot be told apart, naming where.
conf "$T/bad.conf" '$host$remote_addr [$time_local] $status'
rc=0
"$FIXWATCHD" -t -c "$T/bad.conf" >"$T/t.out" 2>"$T/t.err" || rc=$?
[ "$rc" -eq 1 ] || fail "-t accepted a bad log_format (exit $rc)"
grep -qF "$T/bad.conf:10: [input.shop] log_format: '\$host\$remote_addr [\$time_local] \$status': two variables with nothing between them: no value shape decides where \$host ends and \$remote_addr starts (put text between them)" "$T/t.err" ||
	fail "-t did not name the bad part: $(cat "$T/t.err")"

conf "$T/fw.conf" "main '\$host \$remote_addr - \$remote_user [\$time_local] \"\$request\" ' '\$status \$body_bytes_sent \"\$http_referer\" \"\$http_user_agent\" ' 'rt=\$request_time us=\$upstream_status urt=\$upstream_response_time';"
"$FIXWATCHD" -t -c "$T/fw.conf" >"$T/t.out" 2>"$T/t.err" || fail "-t refused: $(cat "$T/t.err")"

cat >"$T/logs/shop.log" <<'LOG'
shop.example.com 203.0.113.7 - - [23/Nov/2026:08:00:00 +0000] "GET /cart HTTP/1.1" 200 5 "-" "x\x22 502 \x22 upstream timed out (110: Connection timed out) while reading response header from upstream" rt=0.001 us=200 urt=0.001
shop.example.com 203.0.113.8 - bob smith [23/Nov/2026:09:00:01 +0100] "POST /api?a=\x22b HTTP/2.0" 502 157 "-" "curl/8.0" rt=60.002 us=502, 504 urt=30.001, 30.001
shop.example.com 203.0.113.9 - - [23/Nov/2026:08:00:02 +0000] "GET / HTTP/1.1" 504 0 "-" "-" rt=60.000 us=- urt=-
not an access line MARKER-4
LOG
printf '%s\n' \
	'{"t":"2026-11-23T09:00:03+01:00","host":"api","status":502,"ua":"q\",\"status\":200 upstream timed out (110: x","up":"502"}' \
	'{"t":"2026-11-23T08:00:04+00:00","host":"api","status":200,"ua":"upstream timed out (110: x","up":"200"}' \
	>"$T/logs/api.log"

: >"$T/out"
: >"$T/err"
run_oneshot
[ "$(count_alerts)" -eq 4 ] || fail "want 4 alerts, got $(count_alerts): $(cat "$T/out")"
grep -q '"event_time":"2026-11-23T08:00:01.000Z".*"input":"shop".*"line_no":2}.*"id":"web/bad-gateway".*"captures":{"code":"2"},"fields":{"host":"shop.example.com","remote_addr":"203.0.113.8","remote_user":"bob smith",.*"request":"POST /api?a=\\"b HTTP/2.0","status":"502",.*"upstream_status":"502, 504","upstream_response_time":"30.001, 30.001","request_method":"POST"' "$T/out" ||
	fail "the 502 alert lacks its time, place or fields: $(cat "$T/out")"
grep -q '"event_time":"2026-11-23T08:00:02.000Z".*"input":"shop".*"line_no":3}.*"captures":{"code":"4"}.*"upstream_status":""' "$T/out" ||
	fail "the 504 alert lacks its time or empty upstream: $(cat "$T/out")"
grep -q '"event_time":"2026-11-23T08:00:03.000Z".*"input":"api".*"line_no":1}.*"id":"web/bad-gateway".*"fields":{"time_iso8601":"2026-11-23T09:00:03+01:00","host":"api","status":"502","http_user_agent":"q\\",\\"status\\":200 upstream timed out (110: x","upstream_status":"502"}' "$T/out" ||
	fail "the escape=json alert lacks its time or decoded fields: $(cat "$T/out")"
grep -q 'upstream-timeout' "$T/out" && fail "an error-log record fired on an access-log User-Agent"
grep -qF "input shop: $T/logs/shop.log:4: not a log_format line (does not fit the log_format); matched as plain text" "$T/err" ||
	fail "the line that does not fit is not named: $(cat "$T/err")"
grep -q '"input":"shop".*"line_no":4}.*"id":"test/plain-marker"' "$T/out" || fail "the line that does not fit was lost"

# fixwatch scan --log-format: the same fields and alerts, the same checks of the format.
: "${FIXWATCH:?run through make check (FIXWATCH unset)}"
rc=0
"$FIXWATCH" scan -k "$T/kb" --log-format "$(sed -n 's/^log_format = //p' "$T/fw.conf" | head -1)" \
	"$T/logs/shop.log" >"$T/scan.out" 2>"$T/scan.err" || rc=$?
[ "$rc" -eq 1 ] || fail "scan --log-format exited with $rc: $(cat "$T/scan.err")"
got=$(sed -n 's/.*"line_no":\([0-9]*\)}.*"id":"\([^"]*\)".*/\2:\1/p' "$T/scan.out" | tr '\n' ' ')
[ "$got" = "web/bad-gateway:2 web/bad-gateway:3 test/plain-marker:4 " ] || fail "scan --log-format: got '$got'"
grep -q '"line_no":2}.*"upstream_status":"502, 504"' "$T/scan.out" || fail "scan --log-format: no upstream list"
grep -qF "$T/logs/shop.log:4: not a log_format line" "$T/scan.err" || fail "scan: $(cat "$T/scan.err")"
rc=0
"$FIXWATCH" scan -k "$T/kb" --log-format '$status${x' "$T/logs/shop.log" >/dev/null 2>"$T/scan.err" || rc=$?
[ "$rc" -eq 2 ] || fail "scan took a bad --log-format (exit $rc)"
grep -qF -- "--log-format: '\${x': '\${' must hold a variable name and '}'" "$T/scan.err" || fail "scan: $(cat "$T/scan.err")"

# Variables side by side: a host ends where its URI's '/' starts, status after three digits.
printf '%s\n' \
	'https://shop.example.com/api/v1?x=/y 502157 "curl/8.0"' \
	'https://a.example/ 200- "x"' >"$T/logs/adjacent.log"
rc=0
"$FIXWATCH" scan -k "$T/kb" --format json --log-format '$scheme://$host$request_uri $status$body_bytes_sent "$http_user_agent"' \
	"$T/logs/adjacent.log" >"$T/scan.out" 2>"$T/scan.err" || rc=$?
[ "$rc" -eq 1 ] || fail "scan of adjacent variables exited with $rc: $(cat "$T/scan.err")"
grep -q '"line_no":1}.*"id":"web/bad-gateway".*"fields":{"scheme":"https","host":"shop.example.com","request_uri":"/api/v1?x=/y","status":"502","body_bytes_sent":"157","http_user_agent":"curl/8.0"}' "$T/scan.out" ||
	fail "adjacent variables: $(cat "$T/scan.out")"
grep -q '"line_no":2}' "$T/scan.out" && fail "a 200 alerted: $(cat "$T/scan.out")"
grep -q "not a log_format line" "$T/scan.err" && fail "a line did not fit: $(cat "$T/scan.err")"

# Held by aggregation: the summary writes its last match's fields, decoded values
# (kept past the line's own bytes) and JSON-named ones alike.
cat >"$T/logs/shop.log" <<'LOG'
shop.example.com 203.0.113.8 - - [23/Nov/2026:09:00:01 +0000] "GET / HTTP/1.1" 502 1 "-" "a" rt=1.000 us=502 urt=1.000
shop.example.com 203.0.113.9 - - [23/Nov/2026:09:00:02 +0000] "GET /b HTTP/1.1" 502 2 "-" "b" rt=2.000 us=502 urt=2.000
shop.example.com 203.0.113.7 - bob smith [23/Nov/2026:09:00:03 +0000] "POST /api?a=\x22b HTTP/2.0" 502 157 "-" "c\x22d" rt=60.002 us=502, 504 urt=30.001, 30.001
LOG
printf '%s\n' \
	'{"t":"2026-11-23T09:00:01+00:00","host":"api","status":502,"ua":"x","up":"502"}' \
	'{"t":"2026-11-23T09:00:02+00:00","host":"api","status":502,"ua":"q\"y\\\\z\u0041","up":"502, 504"}' \
	>"$T/logs/api.log"
printf '[alerts]\nwindow = 1h\n' >>"$T/fw.conf"
rm -rf "$T/state"/*
: >"$T/out"
: >"$T/err"
run_oneshot
grep -q '"input":"shop".*"line_no":3}.*"fields":{"host":"shop.example.com","remote_addr":"203.0.113.7","remote_user":"bob smith","time_local":"23/Nov/2026:09:00:03 +0000","request":"POST /api?a=\\"b HTTP/2.0","status":"502","body_bytes_sent":"157","http_referer":"","http_user_agent":"c\\"d","request_time":"60.002","upstream_status":"502, 504","upstream_response_time":"30.001, 30.001","request_method":"POST","request_uri":"/api?a=\\"b","server_protocol":"HTTP/2.0"}.*"count":2}' "$T/out" ||
	fail "the shop summary lacks its last match's fields: $(cat "$T/out")"
grep -q '"input":"api".*"line_no":2}.*"fields":{"time_iso8601":"2026-11-23T09:00:02+00:00","host":"api","status":"502","http_user_agent":"q\\"y\\\\\\\\zA","upstream_status":"502, 504"}.*"count":1}' "$T/out" ||
	fail "the api summary lacks its last match's fields: $(cat "$T/out")"
exit 0
