#!/bin/sh
# Rename, copytruncate and delete/re-create cycled 0.1 s apart while a
# writer appends 100,000 numbered lines (issue 10, row 2: 25,649 to 31,568
# lines lost before). The writer opens a.log by name for every chunk, as a
# logger that reopens does. Each rotation is done the way that loses no
# line for any reader, and the scenario never waits for more than that:
#  - rename: a.log -> a.log.rN (never overwritten), at once, whether or not
#    the daemon has opened the file yet (a file renamed away unseen must be
#    found: tests/scenarios/rotate_unseen.sh);
#  - copytruncate: the writer is held off (a lock), and the copy and the
#    truncation wait until the daemon has read every line written (lines
#    truncated unread are gone for every reader: README.md, "Guarantees");
#  - delete: once the daemon holds a.log open (a file deleted before anyone
#    opened it is gone for every reader).
# Every line must arrive exactly once (tests/torture/check.awk).
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check}"
: "${top_builddir:?run through make check}"
: "${top_srcdir:?run through make check}"
WRITER=$top_builddir/tests/torture/writer
CHECK=$top_srcdir/tests/torture/check.awk

write_kb
write_conf "type = file" "path = $T/logs/a.log" "start_at = beginning"
with_control
start_daemon

N=100000 CHUNK=500
echo 0 > "$T/written"
# The writer: chunk by chunk under the lock, the count of lines written
# updated in the same hold.
(
	n=1
	while [ "$n" -le "$N" ]; do
		flock "$T/lock" sh -c '"$1" "$2" "$3" "$4" "$3" && echo "$5" > "$6"' \
			sh "$WRITER" "$T/logs/a.log" "$n" "$CHUNK" $((n + CHUNK - 1)) "$T/written" ||
			exit 1
		n=$((n + CHUNK))
	done
) &
WPID=$!
trap 'kill "$WPID" 2>/dev/null || true; cleanup' EXIT

lines_read() {
	"$FIXWATCH" status -s "$T/ctl.sock" 2>/dev/null | sed -n 's/^read: \([0-9]*\) lines.*/\1/p'
}
read_all() { [ "$(lines_read)" -ge "$(cat "$T/written")" ] 2>/dev/null; }
holds_open() {
	id=$(stat -c %d:%i "$T/logs/a.log" 2>/dev/null) || return 1
	for fd in /proc/"$DPID"/fd/*; do
		[ "$(stat -L -c %d:%i "$fd" 2>/dev/null)" = "$id" ] && return 0
	done
	return 1
}

cycle=0 renames=0 truncations=0 deletions=0
while kill -0 "$WPID" 2>/dev/null; do
	cycle=$((cycle + 1))
	if [ -f "$T/logs/a.log" ]; then
		case $((cycle % 3)) in
		0)
			mv "$T/logs/a.log" "$T/logs/a.log.r$cycle"
			renames=$((renames + 1)) ;;
		1)
			exec 9> "$T/lock"
			flock 9
			wait_for "the daemon to read every line written" read_all
			if [ -f "$T/logs/a.log" ]; then
				cp "$T/logs/a.log" "$T/logs/a.log.c$cycle"
				: > "$T/logs/a.log"
				truncations=$((truncations + 1))
			fi
			exec 9>&- ;;
		2)
			wait_for "the daemon to open a.log" holds_open
			rm "$T/logs/a.log"
			deletions=$((deletions + 1)) ;;
		esac
	fi
	sleep 0.1
done
wait "$WPID" || fail "the writer failed"
[ "$(cat "$T/written")" = "$N" ] || fail "the writer wrote $(cat "$T/written") of $N lines"

# Every line: wait (bounded) until the daemon has read them all, then for
# the output to hold them.
wait_for "the daemon to read all $N lines" read_all
wait_for "$N alerts" has_alerts $N
stop_daemon
awk -v n=$N -v name=rotate_mix -f "$CHECK" "$T/out" ||
	fail "lost, damaged or repeated lines after $renames renames, $truncations copytruncates, $deletions deletions"
echo "rotate_mix: $N lines once each across $renames renames, $truncations copytruncates, $deletions deletions"
exit 0
