#!/bin/sh
# Files that share their first 256 bytes (a CloudFront log's #Version and
# #Fields lines are exactly that) are told apart by the bytes before the
# checkpointed offset: a file emptied and written again while the daemon is
# stopped (copytruncate, or an inode reused by another file: the same
# (device, inode) and the same first bytes either way) is read from its
# start, while a file only appended to resumes where it stopped. Status
# counts the identity mismatch and the re-read.
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check}"

# header: exactly 256 bytes, as every file of the input starts.
header() {
	awk 'BEGIN {
		s = "#Version: 1.0\n#Fields: date time"
		for (i = 0; length(s) < 255; i++)
			s = s " x-field-" i
		printf "%s\n", substr(s, 1, 255)
	}'
}
# lines PREFIX FROM TO: numbered lines of one length, each alerting.
lines() {
	awk -v p="$1" -v a="$2" -v b="$3" \
		'BEGIN { for (i = a; i <= b; i++) printf "%s%03d No space left on device (sda)\n", p, i }'
}
expected() {
	lines a 1 10
	lines b 1 20
	lines c 1 5
}

write_kb
write_conf "type = file" "path = $T/logs/*.log" "start_at = beginning"
with_control
LOG=$T/logs/cf.log
{ header; lines a 1 10; } > "$LOG"
[ "$(head -c 256 "$LOG" | wc -l)" -eq 2 ] || fail "the header is not 256 bytes"
start_daemon
wait_for "ten alerts" has_alerts 10
stop_daemon

# Emptied and refilled while stopped, past the checkpointed offset.
ino=$(stat -c %i "$LOG")
: > "$LOG"
{ header; lines b 1 20; } >> "$LOG"
[ "$(stat -c %i "$LOG")" = "$ino" ] || fail "the refilled file changed its inode"
start_daemon
wait_for "thirty alerts" has_alerts 30
"$FIXWATCH" status -s "$T/ctl.sock" > "$T/status" || fail "fixwatch status failed"
grep -q "app (file)  rotations 0  errors 0  fd limit 0  re-read 1  identity mismatches 1" \
	"$T/status" || fail "status does not count the mismatch: $(grep '(file)' "$T/status")"
stop_daemon
log_has "\[input.app\] $LOG: .*reading it from the start" ||
	fail "no log line names the input, the file and the re-read"

# Only appended while stopped: resumes, nothing read twice.
lines c 1 5 >> "$LOG"
start_daemon
wait_for "thirty-five alerts" has_alerts 35
log_has "\[input.app\] $LOG: resuming at offset" || fail "the appended file did not resume"
stop_daemon

expected > "$T/want"
alert_lines > "$T/got" || true
diff -u "$T/want" "$T/got" >&2 || fail "alerts differ (lines lost or repeated)"
exit 0
