#!/bin/sh
# CloudFront standard logs read late, as users have them: (1) an old file read
# whole is windowed by the times its lines carry ([alerts] window on event
# time, daemon/core/aggregate.h), not by when it was read; lines without a
# time of their own aggregate by arrival. (2) A W3C file
# the daemon resumes in its middle after a restart keeps its #Fields: the
# lines after the checkpoint alert with their fields.
. "$(dirname "$0")/daemon_lib.sh"

mkdir -p "$T/kb" "$T/logs"
cp "$top_srcdir"/data/kb/aws/cloudfront-log-*.json "$T/kb/"
ID=aws/cloudfront-log-origin-connect-error
counts_of() { grep "\"id\":\"$1\"" "$T/out" | grep -o '"count":[0-9]*' | cut -d: -f2 | tr '\n' ' '; }
tab() { printf '%s' "$1"; shift; for v in "$@"; do printf '\t%s' "$v"; done; printf '\n'; }
FIELDS='#Fields: x-edge-detailed-result-type sc-status date time cs-uri-stem c-ip'

# 1. Five errors over 31 minutes of 2026-11-23, read in well under a second.
{
	printf '#Version: 1.0\n%s\n' "$FIELDS"
	for t in 08:00:00 08:01:00 08:03:00 08:30:00 08:31:00; do
		tab OriginConnectError 502 2026-11-23 "$t" /api 203.0.113.7
		tab Hit 200 2026-11-23 "$t" / 203.0.113.8
	done
} > "$T/logs/E2.2026-11-23-08.replay"
write_conf "type = file" "path = $T/logs/E2.2026-11-23-08.replay" "start_at = beginning" "format = w3c"
printf '[alerts]\nwindow = 5m\n' >> "$T/fw.conf"
"$FIXWATCHD" -c "$T/fw.conf" --oneshot > "$T/out" 2> "$T/err" || fail "oneshot failed: $(cat "$T/err")"
# 08:00 alerts for 08:00-08:03 (a summary of 2), 08:30 for 08:30-08:31.
[ "$(counts_of "$ID")" = "1 2 1 1 " ] || fail "event time: counts '$(counts_of "$ID")': $(cat "$T/out")"
grep '"count":2}' "$T/out" | grep -q '"event_time":"2026-11-23T08:03:00.000Z"' ||
	fail "the summary does not carry its last match: $(cat "$T/out")"
# The same errors as lines without a time of their own: one window by arrival.
rm -rf "$T/state" "$T/out" "$T/err"
{
	printf '#Version: 1.0\n#Fields: x-edge-detailed-result-type sc-status cs-uri-stem\n'
	for i in 1 2 3 4 5; do tab OriginConnectError 502 "/api$i"; done
} > "$T/logs/notime.log"
write_conf "type = file" "path = $T/logs/notime.log" "start_at = beginning" "format = w3c"
printf '[alerts]\nwindow = 5m\n' >> "$T/fw.conf"
"$FIXWATCHD" -c "$T/fw.conf" --oneshot > "$T/out" 2> "$T/err" || fail "oneshot (no time) failed: $(cat "$T/err")"
[ "$(counts_of "$ID")" = "1 4 " ] || fail "no event time: counts '$(counts_of "$ID")': $(cat "$T/out")"

# 2. Resumed after its header: the daemon reads it from the file's start.
rm -rf "$T/state" "$T/out" "$T/err"
{
	printf '#Version: 1.0\n%s\n' "$FIELDS"
	tab OriginConnectError 502 2026-11-23 09:00:00 /first 203.0.113.7
} > "$T/logs/E2.2026-11-23-09.live"
write_conf "type = file" "path = $T/logs/E2.2026-11-23-09.live" "start_at = beginning" "format = w3c"
start_daemon
wait_for "the first alert" has_alerts 1
stop_daemon
tab OriginConnectError 504 2026-11-23 09:10:00 /second 203.0.113.9 >> "$T/logs/E2.2026-11-23-09.live"
start_daemon
wait_for "the alert of the line after the checkpoint" has_alerts 2
stop_daemon
[ "$(count_alerts)" -eq 2 ] || fail "want 2 alerts across the restart, got $(count_alerts): $(cat "$T/out")"
grep '"cs-uri-stem":"/second"' "$T/out" | grep -q '"event_time":"2026-11-23T09:10:00.000Z".*"line_no":4}.*"id":"'"$ID"'".*"fields":{"x-edge-detailed-result-type":"OriginConnectError","sc-status":"504"' ||
	fail "the resumed line lacks its fields or time: $(cat "$T/out")"
log_has "not a w3c line" && fail "the resumed line was read as plain text: $(cat "$T/err")"
exit 0
