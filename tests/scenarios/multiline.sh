#!/bin/sh
# multiline = REGEX | indent: a Java traceback and nginx's FastCGI stderr entry
# over four lines each give one alert with their whole text, the first line's
# place and the count of lines joined; the last entry of a file that stops
# growing is matched after multiline_timeout; no line is lost on the way.
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check (FIXWATCH unset)}"

mkdir -p "$T/kb" "$T/state" "$T/logs"
cat >"$T/kb/test.jsonl" <<'KB'
{"id":"java/read-timeout","signature":"read timed out in the invoice worker","regex":"SocketTimeoutException: Read timed out\\n(?:\\tat .*\\n)*?\\tat com\\.acme\\.billing\\.(?<where>InvoiceWorker)\\.","confidence":0.9}
{"id":"php-fpm/fatal","signature":"PHP fatal error through FastCGI","regex":"FastCGI sent in stderr: \"PHP message: PHP Fatal error: [\\s\\S]*?in (?<file>/\\S+) on line (?<line>\\d+)\" while reading response header","confidence":0.9}
{"id":"web/too-many-files","signature":"Too many open files","regex":"Too many open files","confidence":0.7}
KB
cat >"$T/logs/app.log" <<'LOG'
2026-11-23 08:00:00.001 INFO  [main] c.a.b.InvoiceWorker - started
2026-11-23 08:00:01.002 ERROR [pool-1] c.a.b.InvoiceWorker - invoice 42 failed
java.net.SocketTimeoutException: Read timed out
	at java.base/java.net.SocketInputStream.read(SocketInputStream.java:168)
	at com.acme.billing.InvoiceWorker.fetch(InvoiceWorker.java:88)
2026-11-23 08:00:02.003 INFO  [main] c.a.b.InvoiceWorker - next
LOG
cat >"$T/logs/error.log" <<'LOG'
2026/11/23 08:00:00 [notice] 1#1: start worker processes
2026/11/23 08:00:03 [error] 1234#1234: *5 FastCGI sent in stderr: "PHP message: PHP Fatal error:  Uncaught Error: Call to undefined function foo() in /var/www/index.php:3
Stack trace:
#0 {main}
  thrown in /var/www/index.php on line 3" while reading response header from upstream, client: 203.0.113.7, server: example.com, request: "GET / HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "example.com"
2026/11/23 08:00:04 [notice] 1#1: signal process started
LOG
cat >"$T/fw.conf" <<CONF
[daemon]
kb = $T/kb
state_dir = $T/state
host = scenario
checkpoint_interval = 1s
control_socket = $T/control.sock
[input.app]
type = file
path = $T/logs/app.log
start_at = beginning
multiline = "^\d{4}-\d\d-\d\d "
multiline_timeout = 200ms
[input.nginx]
type = file
path = $T/logs/error.log
start_at = beginning
multiline = ^\d{4}/\d\d/\d\d
[output.out]
type = stdout
CONF
"$FIXWATCHD" -c "$T/fw.conf" -t >/dev/null 2>"$T/t.err" || fail "fixwatchd -t refused the configuration: $(cat "$T/t.err")"
start_daemon
wait_for "2 alerts" has_alerts 2
grep -q '"input":"app","source":{"type":"file","path":"'"$T/logs/app.log"'","offset":67,"line_no":2,"lines":4},"line":"2026-11-23 08:00:01.002 ERROR \[pool-1\] c.a.b.InvoiceWorker - invoice 42 failed\\njava.net.SocketTimeoutException: Read timed out\\n\\tat java.base/.*\\n\\tat com.acme.billing.InvoiceWorker.fetch(InvoiceWorker.java:88)".*"id":"java/read-timeout".*"captures":{"where":"InvoiceWorker"}' "$T/out" ||
	fail "the Java traceback is not one alert with its whole text: $(cat "$T/out")"
grep -q '"input":"nginx","source":{"type":"file","path":"'"$T/logs/error.log"'","offset":[0-9]*,"line_no":2,"lines":4},.*"id":"php-fpm/fatal".*"captures":{"file":"/var/www/index.php","line":"3"}' "$T/out" ||
	fail "the FastCGI entry is not one alert with its whole text: $(cat "$T/out")"

# The last entry waits for a next line, then the timeout matches it alone.
printf '2026-11-23 08:00:05.000 ERROR [io] accept failed: Too many open files\n' >>"$T/logs/app.log"
wait_for "the alert of the last entry, after the timeout" has_alerts 3
grep -q '"line_no":7},"line":"2026-11-23 08:00:05.000 ERROR \[io\] accept failed: Too many open files"' "$T/out" ||
	fail "the last entry's alert: $(tail -1 "$T/out")"
"$FIXWATCH" status -s "$T/control.sock" >"$T/status" 2>&1 || fail "fixwatch status failed: $(cat "$T/status")"
grep -q 'formats: 0 lines did not parse (matched as plain text), 0 header lines, 6 lines joined to multi-line entries' "$T/status" ||
	fail "status does not count the joined lines: $(cat "$T/status")"
stop_daemon
[ "$(count_alerts)" -eq 3 ] || fail "want 3 alerts, got $(count_alerts): $(cat "$T/out")"

# Every line went through: the stop line counts all 13 of them.
grep -q 'stopped (SIGTERM): 13 lines' "$T/err" || fail "lines lost: $(grep stopped "$T/err")"

# A restart reads none of it again.
start_daemon
printf '2026-11-23 08:00:06.000 ERROR [io] Too many open files again\n' >>"$T/logs/app.log"
wait_for "the alert after the restart" has_alerts 4
stop_daemon
[ "$(count_alerts)" -eq 4 ] || fail "a restart repeated alerts: $(count_alerts)"
exit 0
