#!/bin/sh
# A full state_dir (a 64 KiB tmpfs of a private mount namespace, filled
# up): the daemon keeps running and alerting, says once that the save
# failed naming the file, counts every failed save in status and metrics,
# keeps the previous checkpoint whole (never a truncated one), and saves
# again once space is freed; after a restart nothing is lost or repeated.
# Skipped (77) where a mount namespace cannot be made (no unshare, or
# neither root nor unprivileged user namespaces).
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check}"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
with_control "$T/fixwatch.prom"

# The namespace is held by a process of its own, so that the tmpfs (and
# the checkpoint on it) outlives a daemon restart.
private_tmpfs "$T/state"
STATE=/proc/$HOLDER/root$T/state

start_in_ns() {
	nsenter -t "$HOLDER" $NSENTER "$FIXWATCHD" -c "$T/fw.conf" >> "$T/out" 2>> "$T/err" &
	DPID=$!
	wait_for "the start-up line" started_more "$1"
}
lines() {
	awk -v p="$1" -v a="$2" -v b="$3" \
		'BEGIN { for (i = a; i <= b; i++) printf "%s%03d No space left on device (sda)\n", p, i }'
}
status_has() {
	"$FIXWATCH" status -s "$T/ctl.sock" > "$T/status" 2>/dev/null && grep -q -- "$1" "$T/status"
}
checkpointed() { grep -q "^file .* $1 [0-9]* " "$STATE/app.state" 2>/dev/null; }

lines a 1 10 > "$T/logs/app.log"
start_in_ns 0
wait_for "ten alerts" has_alerts 10
size=$(stat -c %s "$T/logs/app.log")
wait_for "a checkpoint at offset $size" checkpointed "$size"

# Full: every later save fails; the daemon goes on.
dd if=/dev/zero of="$STATE/fill" bs=4k 2> /dev/null || true
[ -s "$STATE/fill" ] || fail "could not fill the state tmpfs"
lines b 1 10 >> "$T/logs/app.log"
wait_for "twenty alerts" has_alerts 20
said="/app.state: cannot write state: No space left on device"
wait_for "the failed save to be logged" log_has "$said"
wait_for "status to count failed saves" status_has "state errors [1-9]"
grep -q "^fixwatch_input_state_errors_total{input=\"app\"} [1-9]" "$T/fixwatch.prom" 2>/dev/null ||
	wait_for "the metrics to count failed saves" \
		grep -q "^fixwatch_input_state_errors_total{input=\"app\"} [1-9]" "$T/fixwatch.prom"
wait_for "two failed saves" status_has "state errors [2-9]"
[ "$(grep -c "$said" "$T/err")" -eq 1 ] || fail "the failed save was said more than once"
# The previous checkpoint, whole: the offset before the fill, its checksum last.
checkpointed "$size" || fail "the previous checkpoint was lost: $(cat "$STATE/app.state")"
tail -n 1 "$STATE/app.state" | grep -q "^checksum [0-9a-f]*$" || fail "the checkpoint is truncated"
[ ! -e "$STATE/app.state.tmp" ] || fail "a partial temporary file was left in the full state_dir"
kill -0 "$DPID" || fail "fixwatchd died"

# Space again: the next save goes through and says so.
rm -f "$STATE/fill"
size=$(stat -c %s "$T/logs/app.log")
wait_for "a checkpoint at offset $size" checkpointed "$size"
wait_for "the recovery to be logged" log_has "\[input.app\] checkpoint saved again after [0-9]* failed saves"
stop_daemon

# Restarted on the same state: resumes, nothing read twice.
lines c 1 5 >> "$T/logs/app.log"
start_in_ns 1
wait_for "twenty-five alerts" has_alerts 25
stop_daemon
{ lines a 1 10; lines b 1 10; lines c 1 5; } > "$T/want"
alert_lines > "$T/got" || true
diff -u "$T/want" "$T/got" >&2 || fail "alerts differ (lines lost or repeated)"
echo "state_enospc: $(grep -o 'state errors [0-9]*' "$T/status") while full, saved again once freed"
exit 0
