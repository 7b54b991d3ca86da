#!/bin/sh
# unknown/<log> alerts through the real daemon: an nginx error-log line at
# [crit] or worse that no record matches raises unknown/nginx-error with the
# line; a known [crit] line raises only its record; [error] stays quiet until
# unknown_level says err; none turns it off; a bad level is a config error
# that names the file, line, section and key; aggregation applies as to any
# alert.
. "$(dirname "$0")/daemon_lib.sh"

ids() { grep -o '"id":"[^"]*"' "$T/out" | cut -d'"' -f4 | tr '\n' ' '; }
# Each run reads the log from its start into an empty $T/out.
fresh() { rm -rf "$T/state" "$T/out"; }

write_kb
cat > "$T/logs.txt" <<'LOG'
2026/12/01 10:00:00 [crit] 812#812: *1 SSL_do_handshake() failed (SSL: error:0A00010B:SSL routines::wrong version number) while SSL handshaking
2026/12/01 10:00:01 [error] 812#812: *2 an error nobody wrote a record for
2026/12/01 10:00:02 [crit] 812#812: *3 No space left on device (sdq1)
2026/12/01 10:00:03 [warn] 812#812: *4 a warning
2026/12/01 10:00:04 [emerg] 812#812: bind() to [::]:443 failed (98: Address already in use)
<10>Dec  1 10:00:05 host app[9]: a syslog message at crit
LOG
mkdir -p "$T/logs"
cp "$T/logs.txt" "$T/logs/app.log"

# 1. The default, crit: the three unknown lines at crit or worse, the known one as itself.
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
fresh; run_oneshot
[ "$(ids)" = "unknown/nginx-error test/disk-full unknown/nginx-error unknown/syslog " ] ||
	fail "default level: got $(ids)"
grep '"id":"unknown/nginx-error"' "$T/out" | head -1 | grep -q 'wrong version number' ||
	fail "the unknown alert does not carry its line"
grep -q '"fix":{"action":"Write a record for this message' "$T/out" || fail "no hint in the alert"

# 2. unknown_level = err: the [error] line too; none: only the known record.
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning" "unknown_level = err"
fresh; run_oneshot
[ "$(ids)" = "unknown/nginx-error unknown/nginx-error test/disk-full unknown/nginx-error unknown/syslog " ] ||
	fail "err level: got $(ids)"
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning" "unknown_level = none"
fresh; run_oneshot
[ "$(ids)" = "test/disk-full " ] || fail "none: got $(ids)"

# 3. Aggregated like any alert: a storm of unknown [crit] lines gives one alert and a summary.
i=0; while [ $i -lt 20 ]; do
	echo "2026/12/01 10:01:00 [crit] 812#812: *$i something new broke ($i)"; i=$((i + 1)); done > "$T/logs/app.log"
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
printf '[alerts]\nwindow = 1m\n' >> "$T/fw.conf"
fresh; run_oneshot
[ "$(grep -o '"count":[0-9]*' "$T/out" | tr '\n' ' ')" = '"count":1 "count":19 ' ] ||
	fail "aggregation: $(grep -o '"count":[0-9]*' "$T/out" | tr '\n' ' ')"
grep '"count":19' "$T/out" | grep -q 'something new broke (19)' || fail "the summary lost its last line"

# 4. A bad level is refused by -t with its place.
write_conf "type = file" "path = $T/logs/app.log" "unknown_level = critical-ish"
if "$FIXWATCHD" -c "$T/fw.conf" -t 2> "$T/err"; then fail "-t accepted a bad unknown_level"; fi
grep -q "fw.conf:[0-9]*: \[input.app\] unknown_level" "$T/err" || fail "no place in: $(cat "$T/err")"
exit 0
