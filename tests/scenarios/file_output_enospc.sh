#!/bin/sh
# A file output whose file system fills up (a 64 KiB tmpfs of a private
# mount namespace): the daemon keeps running, says once that the write
# failed naming the file and the error, counts every failed attempt in
# status and metrics, holds the alerts (its queue fills, the inputs pause),
# writes everything, each alert once, when space is freed, and leaves no
# partial JSON line in the file (an alert cut by the full disk is taken
# back, also when the daemon stops while the disk is full).
# Skipped (77) where a mount namespace cannot be made (no unshare, or
# neither root nor unprivileged user namespaces).
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check}"
: "${top_builddir:?run through make check}"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
with_control "$T/fixwatch.prom"
mkdir -p "$T/alerts"
cat >> "$T/fw.conf" <<CONF
[output.f]
type = file
address = $T/alerts/alerts.jsonl
queue_max = 5
CONF
: > "$T/logs/app.log"

# The namespace is held by a process of its own, which the daemon joins.
private_tmpfs "$T/alerts"
DIR=/proc/$HOLDER/root$T/alerts
FILE=$DIR/alerts.jsonl

lines() {
	awk -v a="$1" -v b="$2" \
		'BEGIN { for (i = a; i <= b; i++) printf "line %d No space left on device (sd%d)\n", i, i }'
}
# f_has PATTERN: the status line of output f matches PATTERN (grep).
f_has() {
	"$FIXWATCH" status -s "$T/ctl.sock" > "$T/status" 2>/dev/null &&
		grep -q "^  f (file $T/alerts/alerts.jsonl): $1" "$T/status"
}
in_file() { [ -f "$FILE" ] && [ "$(grep -c '"schema"' "$FILE")" -ge "$1" ]; }
# whole: the file ends with a newline and every line is one JSON alert.
whole() {
	[ -s "$FILE" ] || return 0
	[ "$(tail -c 1 "$FILE" | od -An -tx1 | tr -d ' ')" = 0a ] || return 1
	"$top_builddir/tests/jsonl_get" source.line_no "$FILE" > /dev/null
}
metrics_errors() {
	grep -q "^fixwatch_output_errors_total{output=\"f\"} [1-9]" "$T/fixwatch.prom" 2>/dev/null &&
		grep -q "^fixwatch_output_write_errors_total{output=\"f\"} [1-9]" "$T/fixwatch.prom"
}

lines 1 3 >> "$T/logs/app.log"
# shellcheck disable=SC2086
nsenter -t "$HOLDER" $NSENTER "$FIXWATCHD" -c "$T/fw.conf" >> "$T/out" 2>> "$T/err" &
DPID=$!
wait_for "the start-up line" started_more 0
wait_for "three alerts in the file" in_file 3

# Full. The next alerts fill the page the file ends in, then fail.
dd if=/dev/zero of="$DIR/fill" bs=1k 2> /dev/null || true
[ -s "$DIR/fill" ] || fail "could not fill the tmpfs"
lines 4 20 >> "$T/logs/app.log"
wait_for "the failed write to be logged" \
	log_has "output f: write $T/alerts/alerts.jsonl: No space left on device"
wait_for "the output's queue to fill and the inputs to pause" inputs_paused \
	"f (file $T/alerts/alerts.jsonl): down; [0-9]* sent, 5 queued"
wait_for "three failed attempts counted" f_has "down; .* [3-9] errors ([3-9] failed writes)"
wait_for "the metrics to count the failed writes" metrics_errors
[ "$(grep -c "output f:" "$T/err")" -eq 1 ] ||
	fail "the failed write was said more than once: $(grep "output f:" "$T/err")"
kill -0 "$DPID" || fail "fixwatchd died"
held=$(grep -c '"schema"' "$FILE" || true)

# Space again: every alert is written, each once, and it says so.
rm -f "$DIR/fill"
wait_for "twenty alerts in the file" in_file 20
wait_for "the recovery to be logged" \
	log_has "output f: $T/alerts/alerts.jsonl written again after [0-9]* failed attempts"
wait_for "the output up, its queue empty" f_has "up; .* 0 queued"
"$top_builddir/tests/jsonl_get" source.line_no "$FILE" > "$T/got"
lines 1 20 | awk '{ print $2 }' > "$T/want"
diff -u "$T/want" "$T/got" >&2 || fail "alerts in the file lost or repeated"

# Full again, and stopped while alerts wait: the file holds whole alerts only.
dd if=/dev/zero of="$DIR/fill" bs=1k 2> /dev/null || true
lines 21 40 >> "$T/logs/app.log"
wait_for "the second outage" f_has "down; .* 5 queued"
stop_daemon
whole || fail "a partial alert was left in the full file: $(tail -c 200 "$FILE")"
echo "file_output_enospc: $held of 20 alerts written before the disk was full, all 20 once" \
	"after freeing it; $(grep -c '"schema"' "$FILE") whole alerts at a stop while full"
exit 0
