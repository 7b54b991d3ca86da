#!/bin/sh
# The file output the logrotate way: the alerts file is renamed, SIGUSR1
# makes the daemon reopen its path, later alerts go to the new file and
# none is lost or written twice.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
with_file_output "$T/alerts.jsonl"
: > "$T/logs/app.log"
start_daemon
i=1; while [ $i -le 5 ]; do echo "line $i Too many open files" >> "$T/logs/app.log"; i=$((i + 1)); done
wait_for "5 alerts in the file" lines_in "$T/alerts.jsonl" 5
mv "$T/alerts.jsonl" "$T/alerts.jsonl.1"
kill -USR1 "$DPID"
wait_for "the reopen" log_has "outputs reopened"
i=6; while [ $i -le 8 ]; do echo "line $i Too many open files" >> "$T/logs/app.log"; i=$((i + 1)); done
wait_for "3 alerts in the new file" lines_in "$T/alerts.jsonl" 3
stop_daemon
[ "$(wc -l < "$T/alerts.jsonl.1")" -eq 5 ] || fail "rotated file: $(wc -l < "$T/alerts.jsonl.1") alerts"
[ "$(wc -l < "$T/alerts.jsonl")" -eq 3 ] || fail "new file: $(wc -l < "$T/alerts.jsonl") alerts"
grep -q '"line":"line 6 Too many open files"' "$T/alerts.jsonl" || fail "line 6 not in the new file"
[ "$(stat -c %a "$T/alerts.jsonl")" = 640 ] || fail "alerts file mode $(stat -c %a "$T/alerts.jsonl")"
exit 0
