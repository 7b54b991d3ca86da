#!/bin/sh
# SIGHUP with changed inputs: a changed file input takes its new section in
# place (no line twice, none lost), a new input starts, a removed one stops;
# unchanged ones keep running.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/a.log" "start_at = beginning"
mkdir -p "$T/other"
printf 'a1 No space left on device (a)\n' > "$T/logs/a.log"
printf 'b1 Too many open files\n' > "$T/logs/b.log"
printf 'x1 upstream timed out (110: x)\n' > "$T/other/x.log"
start_daemon
wait_for "the first alert" has_alerts 1

# app now follows a glob; extra is new.
sed -i "s|^path = $T/logs/a.log\$|path = $T/logs/*.log|" "$T/fw.conf"
printf '[input.extra]\ntype = file\npath = %s\nstart_at = beginning\n' "$T/other/x.log" >> "$T/fw.conf"
kill -HUP "$DPID"
wait_for "the reload" log_has "reloaded:.* 2 inputs"
log_has "\[input.app\]: path changed: applied in place" || fail "app's change not logged"
log_has "\[input.extra\]: started" || fail "extra not started"
wait_for "b1 and x1" has_alerts 3
printf 'a2 Too many open files\n' >> "$T/logs/a.log"
wait_for "a2" has_alerts 4

# extra is removed again.
sed -i '/^\[input.extra\]$/,$d' "$T/fw.conf"
# A new aggregation window is not applied by a reload, and the log says so.
printf '[alerts]\nwindow = 1m\n' >> "$T/fw.conf"
kill -HUP "$DPID"
wait_for "the second reload" log_has "reloaded:.* 1 inputs"
log_has "\[alerts\] window, threshold: changed; this takes effect at the next restart" ||
	fail "the window change not logged"
log_has "\[input.extra\]: removed" || fail "extra's removal not logged"
printf 'x2 Too many open files\n' >> "$T/other/x.log"
printf 'a3 No space left on device (c)\n' >> "$T/logs/a.log"
wait_for "a3" has_alerts 5
stop_daemon

alert_lines > "$T/got"
for l in "a1 No space left on device (a)" "b1 Too many open files" \
	"x1 upstream timed out (110: x)" "a2 Too many open files" "a3 No space left on device (c)"; do
	[ "$(grep -cxF "$l" "$T/got")" -eq 1 ] || fail "not exactly one alert for: $l"
done
! grep -q '^x2 ' "$T/got" || fail "a removed input still alerted"
[ "$(count_alerts)" -eq 5 ] || fail "expected 5 alerts, got $(count_alerts)"
exit 0
