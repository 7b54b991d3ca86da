#!/bin/sh
# A line whose first part is read alone (the writer had not finished it) and
# whose end comes in a later read must not leave the partial-line timer
# behind: once partial_flush has passed, the daemon still reads, idles
# without burning CPU, and stops on SIGTERM.
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check}"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning" "partial_flush = 3s"
with_control
: > "$T/logs/app.log"
start_daemon

# The first half of a line, then wait until the daemon has read it. The end
# must follow before partial_flush passes, or the half would be sent as a
# line of its own: 3 s leaves room for a slow status round trip on a loaded
# machine (a sanitizer build).
printf 'a: No space left' >> "$T/logs/app.log"
read_all() {
	"$FIXWATCH" status -s "$T/ctl.sock" > "$T/status" 2>/dev/null &&
		grep -q "app.log  offset [0-9]*  lag 0 bytes" "$T/status"
}
wait_for "the daemon to read the first half" read_all
printf ' on device (sda)\n' >> "$T/logs/app.log"
wait_for "the completed line's alert" has_alerts 1

# Let partial_flush pass: a timer left behind would spin from then on.
sleep 4
ticks() { awk '{ print $14 + $15 }' "/proc/$DPID/stat"; }
before=$(ticks)
sleep 1
after=$(ticks)
[ $((after - before)) -lt 20 ] || fail "an idle daemon used $((after - before)) CPU ticks in 1 s"

printf 'b: No space left on device (sdb)\n' >> "$T/logs/app.log"
wait_for "an alert after partial_flush passed" has_alerts 2
stop_daemon
expect_lines "a: No space left on device (sda)" "b: No space left on device (sdb)"
exit 0
