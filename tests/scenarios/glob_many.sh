#!/bin/sh
# Many files through one glob, an excluded pattern, and new files that
# appear while running (read from their start whatever start_at says),
# also in a directory created after the start.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/*.log $T/later/*.log" "exclude = *.gz" "start_at = end"
n=0
while [ $n -lt 30 ]; do
	printf 'old %d No space left on device (old)\n' $n > "$T/logs/f$n.log"
	n=$((n + 1))
done
printf 'gz Too many open files\n' > "$T/logs/skip.log.gz"
start_daemon

n=0
while [ $n -lt 30 ]; do
	printf 'new %d Too many open files\n' $n >> "$T/logs/f$n.log"
	n=$((n + 1))
done
wait_for "30 alerts" has_alerts 30
# New files, one of them excluded by name.
printf 'late1 No space left on device (l)\nlate2 Too many open files\n' > "$T/logs/late.log"
printf 'hidden Too many open files\n' > "$T/logs/late.log.gz"
wait_for "32 alerts" has_alerts 32
# A directory that did not exist at start (no inotify watch): the rescan finds it.
mkdir "$T/later"
printf 'dir1 upstream timed out (110: d)\n' > "$T/later/x.log"
wait_for "33 alerts" has_alerts 33
stop_daemon

[ "$(count_alerts)" -eq 33 ] || fail "expected 33 alerts, got $(count_alerts)"
log_has "later: cannot watch" || fail "the missing directory was not reported"
n=0
while [ $n -lt 30 ]; do
	[ "$(grep -c "\"line\":\"new $n Too many" "$T/out")" -eq 1 ] || fail "file f$n: not exactly one alert"
	n=$((n + 1))
done
! grep -q '"line":"old ' "$T/out" || fail "start_at = end: old content alerted"
! grep -q 'hidden\|"line":"gz ' "$T/out" || fail "an excluded file was read"
grep '"line":"late2 ' "$T/out" | grep -q '"line_no":2}' || fail "late.log not read from its start"
exit 0
