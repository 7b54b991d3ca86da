#!/bin/sh
# A restart reaches the state of a running daemon: rotated files that the
# glob still matches (app.log*, shifted app.log -> app.log.1 -> app.log.2
# as logrotate does) are closed once read and idle, not held open until
# their next rename. The checkpoint keeps each one's name before the
# rotation. A line appended to a rotated file while the daemon was stopped
# is read once after the restart, and a late append to app.log.1 once the
# restarted daemon closed it resumes where it stopped: every line once.
. "$(dirname "$0")/daemon_lib.sh"

line() { printf '%s No space left on device (sda)\n' "$1"; }
# rotate K: the shift logrotate does with K rotated files kept.
rotate() {
	k=$1
	while [ "$k" -ge 1 ]; do
		[ ! -e "$T/logs/app.log.$k" ] || mv "$T/logs/app.log.$k" "$T/logs/app.log.$((k + 1))"
		k=$((k - 1))
	done
	mv "$T/logs/app.log" "$T/logs/app.log.1"
}

write_kb
write_conf "type = file" "path = $T/logs/app.log*" "start_at = beginning"
line r0 > "$T/logs/app.log"
start_daemon
wait_for "the first alert" has_alerts 1
base=$(fds)

N=8
r=1
while [ $r -le $N ]; do
	rotate $((r - 1))
	line "r$r" > "$T/logs/app.log"
	wait_for "$((r + 1)) alerts" has_alerts $((r + 1))
	r=$((r + 1))
done
fds_back_to "$base" "after the rotations"

stop_daemon
# While stopped: a line for a rotated file (read once after the restart).
line stopped >> "$T/logs/app.log.3"
start_daemon
wait_for "the line written while stopped" has_alerts $((N + 2))
fds_back_to "$base" "after the restart"
log_has "app.log.1: rotated file read to its end, closed" ||
	fail "app.log.1 was not closed as a rotated file after the restart"

# A late append to the newest rotated file, closed by the restarted daemon.
line late >> "$T/logs/app.log.1"
wait_for "the late line's alert" has_alerts $((N + 3))
log_has "app.log.1: rotated, closed and changed since; resuming at offset" ||
	fail "the late append was not resumed at its offset"
# And one to the file read after the restart: from where that read stopped.
line late3 >> "$T/logs/app.log.3"
wait_for "the second late line's alert" has_alerts $((N + 4))
line after >> "$T/logs/app.log"
wait_for "the alert after the late lines" has_alerts $((N + 5))
stop_daemon

{ r=0; while [ $r -le $N ]; do line "r$r"; r=$((r + 1)); done
  line stopped; line late; line late3; line after; } | sort > "$T/want"
alert_lines | sort > "$T/got"
diff -u "$T/want" "$T/got" >&2 || fail "alerts differ (lines lost or repeated)"
echo "rotate_idle_restart: $N rotations and a restart, back to $base descriptors, every line once"
exit 0
