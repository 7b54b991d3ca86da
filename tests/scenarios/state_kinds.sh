#!/bin/sh
# A state file that is not one fixwatchd wrote (a symbolic link, a
# directory, a FIFO, a file larger than any state file) is reported, set
# aside as NAME.state.bad and not trusted: the daemon starts, the input
# reads from start_at, and a new state file is written in its place.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
printf 'a1 No space left on device (a)\n' > "$T/logs/app.log"

for kind in symlink directory fifo huge; do
	rm -rf "$T/state/app.state" "$T/state/app.state.bad" "$T/out" "$T/target"
	case $kind in
	symlink) printf 'x\n' > "$T/target"; ln -s "$T/target" "$T/state/app.state"; why="is a symbolic link" ;;
	directory) mkdir "$T/state/app.state"; why="is not a regular file" ;;
	fifo) mkfifo "$T/state/app.state"; why="is not a regular file" ;;
	huge) head -c 17000000 /dev/zero | tr '\0' 'x' > "$T/state/app.state"; why="is larger than a state file can be" ;;
	esac
	start_daemon
	wait_for "the first alert ($kind)" has_alerts 1
	stop_daemon
	log_has "app.state: $why" || fail "$kind: not reported as '$why'"
	log_has "set aside as $T/state/app.state.bad" || fail "$kind: not set aside"
	[ -e "$T/state/app.state.bad" ] || [ -L "$T/state/app.state.bad" ] || fail "$kind: no app.state.bad"
	[ -f "$T/state/app.state" ] && [ ! -L "$T/state/app.state" ] || fail "$kind: no new state file"
	grep -q '^checksum ' "$T/state/app.state" || fail "$kind: the new state file is incomplete"
	expect_lines "a1 No space left on device (a)"
	if [ "$kind" = symlink ]; then
		[ "$(cat "$T/target")" = x ] || fail "the symbolic link's target was changed"
	fi
	: > "$T/err"
done
exit 0
