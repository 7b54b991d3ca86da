#!/bin/sh
# The shipped records apply to the logs they describe (data/kb/README.md,
# "Targets"): through fixwatchd, an nginx access log read as `format =
# combined` whose User-Agents carry the text of shipped error-log records
# (nginx, sshd) raises none of them, only its own access-log record, while
# the real nginx error log raises its error, and so does fixwatch scan, which
# recognises the access log. Read as plain text, the same lines do raise
# them: the forged text is a real match.
. "$(dirname "$0")/daemon_lib.sh"

: "${FIXWATCH:?run through make check (FIXWATCH unset)}"
: "${top_srcdir:?run through make check (top_srcdir unset)}"
KB="$top_srcdir/data/kb"
TIMEOUT_ID=nginx/upstream-timed-out-reading-response-header
mkdir -p "$T/logs" "$T/state"

ERR_LINE='2026/11/23 08:14:03 [error] 2231#2231: *48121 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.7, server: shop.example.com, request: "GET /api/orders HTTP/1.1", upstream: "http://10.0.0.5:8080/api/orders", host: "shop.example.com"'
# What nginx writes when a client sends such a User-Agent ('"' is logged as \x22).
cat >"$T/logs/access.log" <<'LOG'
198.51.100.23 - - [23/Nov/2026:08:13:58 +0000] "GET / HTTP/1.1" 404 153 "-" "2026/11/23 08:14:03 [error] 2231#2231: *48121 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.7, server: shop.example.com"
198.51.100.23 - - [23/Nov/2026:08:13:59 +0000] "GET /login HTTP/1.1" 404 153 "https://example.com/" "Nov 23 08:02:11 web-1 sshd[23104]: Failed password for root from 203.0.113.77 port 51844 ssh2"
203.0.113.7 - - [23/Nov/2026:08:14:03 +0000] "GET /api/orders HTTP/1.1" 504 167 "-" "curl/8.5.0"
LOG
printf '%s\n' "$ERR_LINE" >"$T/logs/error.log"

# Read as plain text, the forged User-Agents are matches: the check below can fail.
# (A first line that is no access-log line keeps the file plain text.)
{ echo "not an access log"; cat "$T/logs/access.log"; } >"$T/plain.log"
rc=0
"$FIXWATCH" scan -k "$KB" "$T/plain.log" >"$T/plain.out" 2>"$T/plain.err" || rc=$?
[ "$rc" -eq 1 ] || fail "plain scan exited with $rc: $(cat "$T/plain.err")"
grep -q "\"id\":\"$TIMEOUT_ID\"" "$T/plain.out" || fail "plain scan: the forged nginx text did not match"
grep -q '"id":"sshd/failed-password"' "$T/plain.out" || fail "plain scan: the forged sshd text did not match"
# The access log itself is recognised by fixwatch scan: only its own record.
rc=0
"$FIXWATCH" scan -k "$KB" "$T/logs/access.log" >"$T/scan.out" 2>"$T/scan.err" || rc=$?
[ "$rc" -eq 1 ] || fail "scan exited with $rc: $(cat "$T/scan.err")"
[ "$(grep -c '"schema"' "$T/scan.out")" -eq 1 ] && grep -q '"line_no":3}.*"id":"nginx/access-504-gateway-timeout"' "$T/scan.out" ||
	fail "scan of the access log: want its 504 alert only: $(cat "$T/scan.out")"

cat >"$T/fw.conf" <<CONF
[daemon]
kb = $KB
state_dir = $T/state
host = scenario
checkpoint_interval = 1s
control_socket =
[input.access]
type = file
path = $T/logs/access.log
start_at = beginning
format = combined
[input.error]
type = file
path = $T/logs/error.log
start_at = beginning
[output.out]
type = stdout
CONF
"$FIXWATCHD" -c "$T/fw.conf" -t >/dev/null 2>"$T/t.err" || fail "fixwatchd -t refused the configuration: $(cat "$T/t.err")"
start_daemon
# The 504 is the access log's last line: once it is out, the forged lines were read.
wait_for "the error log's alert" grep -q "\"input\":\"error\".*\"id\":\"$TIMEOUT_ID\"" "$T/out"
wait_for "the access log's 504 alert" grep -q '"input":"access".*"line_no":3}.*"id":"nginx/access-504-gateway-timeout"' "$T/out"
stop_daemon

[ "$(count_alerts)" -eq 2 ] || fail "want 2 alerts, got $(count_alerts): $(cat "$T/out")"
grep -q '"input":"access".*"id":"\(nginx/upstream\|sshd/\)' "$T/out" &&
	fail "an error-log record fired on a forged access-log line: $(cat "$T/out")"
exit 0
