#!/bin/sh
# A file created and renamed out of the glob (b.log -> b.log.1) while the
# daemon has no descriptor to spare: only the rename watch knows where its
# lines went, and its first attempt to open b.log.1 is refused. The record
# must wait for descriptors (retried on each rescan), not be dropped: once
# the limit rises, every line of b.log.1 is alerted, once.
. "$(dirname "$0")/daemon_lib.sh"

command -v prlimit > /dev/null || { echo "SKIP: no prlimit"; exit 77; }
write_kb
write_conf "type = file" "path = $T/logs/*.log" "start_at = beginning"
# No checkpoint between the cut and the rename: no descriptor comes and goes.
sed -i 's/^checkpoint_interval = .*/checkpoint_interval = 1h/' "$T/fw.conf"
echo 'first No space left on device (sda)' > "$T/logs/first.log"
start_daemon
wait_for "first.log's alert" has_alerts 1

# The soft limit at the lowest free descriptor: no open can succeed.
low=0
while [ -e "/proc/$DPID/fd/$low" ]; do low=$((low + 1)); done
soft=$(prlimit --pid "$DPID" --nofile --output SOFT --noheadings | tr -d ' ')
prlimit --pid "$DPID" --nofile="$low": || fail "prlimit failed"
# Stopped while the file is written and renamed: no scan sees it as b.log,
# the rename watch reports b.log.1 and that open is the one refused.
kill -STOP "$DPID"
for n in 1 2 3; do echo "moved$n No space left on device (sdb)"; done > "$T/logs/b.log"
mv "$T/logs/b.log" "$T/logs/b.log.1"
kill -CONT "$DPID"
wait_for "the refused open of b.log.1" log_has "b.log.1: cannot open: Too many open files"

prlimit --pid "$DPID" --nofile="$soft": || fail "prlimit failed"
wait_for "b.log.1's lines" has_alerts 4
log_has "b.log.1: renamed away from a followed name before it was opened" ||
	fail "b.log.1 was not opened as a file renamed away"
stop_daemon
expect_lines "first No space left on device (sda)" \
	"moved1 No space left on device (sdb)" \
	"moved2 No space left on device (sdb)" \
	"moved3 No space left on device (sdb)"
