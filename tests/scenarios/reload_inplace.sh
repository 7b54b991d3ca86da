#!/bin/sh
# SIGHUP with a changed [input.*] section (issue 10, row 4): the file input
# takes the new section in place. Lines read but not yet acknowledged (the
# collector here does not read) are neither read again nor dropped: no
# repeat at the healthy output, and every line reaches the collector once it
# reads.
. "$(dirname "$0")/daemon_lib.sh"
: "${top_builddir:?run through make check}"
COLLECTOR=$top_builddir/tests/torture/collector

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning" "max_line_bytes = 64k"
with_unix_output col col.sock 100000
"$COLLECTOR" "unix:$T/col.sock" "$T/col.out" 120 2> "$T/col.err" &
CPID=$!
trap 'kill -KILL $CPID 2>/dev/null; cleanup' EXIT
wait_for "the collector" test -S "$T/col.sock"
kill -USR2 "$CPID"   # it stops reading: nothing is acknowledged from now on

N=1000
: > "$T/logs/app.log"
start_daemon
enospc_lines 1 $N >> "$T/logs/app.log"
wait_for "$N alerts" has_alerts $N

sed -i 's/^max_line_bytes = 64k$/max_line_bytes = 32k/' "$T/fw.conf"
kill -HUP "$DPID"
wait_for "the reload" log_has "reloaded:"
enospc_lines $((N + 1)) $((N + 1)) >> "$T/logs/app.log"
wait_for "the line after the reload" has_alerts $((N + 1))
alert_lines | sort | uniq -d > "$T/dups"
[ ! -s "$T/dups" ] || fail "$(wc -l < "$T/dups") lines read again after the reload: $(head -n 3 "$T/dups")"
log_has "\[input.app\]: max_line_bytes changed: applied in place" ||
	fail "the changed input was not taken over in place"

kill -CONT "$CPID"
col_all() { [ "$(sort -u "$T/col.out" | grep -c '"schema"')" -ge $((N + 1)) ]; }
wait_for "every alert at the collector" col_all
stop_daemon
[ "$(count_alerts)" -eq $((N + 1)) ] || fail "stdout: $(count_alerts) alerts for $((N + 1)) lines"
echo "reload_inplace: $((N + 1)) lines, none read again across the reload"
exit 0
