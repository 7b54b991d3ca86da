#!/bin/sh
# One descriptor per live file: with a glob that also matches the rotated
# names (app.log*), a file renamed away by rotation and read to its end is
# closed once idle, so 30 rotations do not hold 30 descriptors. Its identity
# and position are remembered: a late append (logrotate's delaycompress
# leaves app.log.N to the writer until it reopens) is still read, once, and a
# restart repeats nothing.
. "$(dirname "$0")/daemon_lib.sh"

line() { printf '%s No space left on device (sda)\n' "$1"; }

write_kb
write_conf "type = file" "path = $T/logs/app.log*" "start_at = beginning"
line r0 > "$T/logs/app.log"
start_daemon
wait_for "the first alert" has_alerts 1
base=$(fds)

N=30
i=1
while [ $i -le $N ]; do
	mv "$T/logs/app.log" "$T/logs/app.log.$i"
	line "r$i" > "$T/logs/app.log"
	i=$((i + 1))
done
wait_for "$((N + 1)) alerts" has_alerts $((N + 1))
fds_back_to "$base" "after the rotations"

# A late append to a rotated file that was closed: read from where it stopped.
line late >> "$T/logs/app.log.7"
wait_for "the late line's alert" has_alerts $((N + 2))
log_has "app.log.7: .*resuming at offset" || fail "the late append was not resumed at its offset"
fds_back_to "$base" "after the late append"

stop_daemon
start_daemon
line after >> "$T/logs/app.log"
wait_for "the alert after the restart" has_alerts $((N + 3))
stop_daemon

{ i=0; while [ $i -le $N ]; do line "r$i"; i=$((i + 1)); done; line late; line after; } |
	sort > "$T/want"
alert_lines | sort > "$T/got"
diff -u "$T/want" "$T/got" >&2 || fail "alerts differ (lines lost or repeated)"
echo "rotate_idle: $N rotations, back to $base descriptors"
exit 0
