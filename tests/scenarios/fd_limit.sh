#!/bin/sh
# More files than file descriptors (ulimit -n 32, 40 files): the files
# open stay followed, the lack of descriptors is said once (not per file or
# per scan) and no followed file is taken for gone because the glob could
# not read the directory. As files that were read leave the glob (renamed
# away: read to their end and closed), the others are opened on the rescan:
# every line alerted exactly once.
. "$(dirname "$0")/daemon_lib.sh"

N=40
write_kb
write_conf "type = file" "path = $T/logs/*.log" "start_at = beginning"
many_files $N

t0=$(date +%s)
start_daemon_fd_limit 32
[ "$(count_alerts)" -lt $N ] || fail "all $N files were opened: the limit did not bite"

# Renames every file already alerted out of the glob, freeing its descriptor.
moved=0
move_read() {
	for f in $(alert_lines | sed 's/ .*//'); do
		if [ -f "$T/logs/$f.log" ]; then
			mv "$T/logs/$f.log" "$T/logs/$f.read"
			moved=$((moved + 1))
		fi
	done
}
i=0
until has_alerts $N; do
	i=$((i + 1))
	[ $i -le 1200 ] || fail "timed out (60 s): $(count_alerts) of $N files alerted"
	kill -0 "$DPID" 2>/dev/null || fail "fixwatchd died"
	move_read
	sleep 0.05
done
stop_daemon

many_files_want $N > "$T/want"
alert_lines | sort > "$T/got" || true
diff -u "$T/want" "$T/got" >&2 || fail "alerts differ (files lost or read twice)"
gone=$(grep -c "renamed or removed" "$T/err" || true)

[ "$gone" -le "$moved" ] ||
	fail "$gone files taken for gone, only $moved were renamed away"
# Said once a minute at most: once, unless the machine is slow enough for more.
most=$(( 1 + ($(date +%s) - t0) / 60 ))
[ "$(grep -c "$FD_LIMIT_SAID" "$T/err")" -le "$most" ] ||
	fail "the lack of descriptors was said more than once a minute"
exit 0
