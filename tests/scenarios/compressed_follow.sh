#!/bin/sh
# fixwatchd follows a directory that fills with .gz files (as `aws s3 sync`
# fills it): files present at start and files dropped while it runs are each
# read whole once, alerts name the real file, a restart reads none of them
# again, a re-uploaded file with new content is read, and a cut file is named
# with the lines before the damage kept.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
mkdir -p "$T/logs/cf" "$T/tmp"
write_conf "type = file" "path = $T/logs/cf/*.gz" "start_at = beginning"

# mkgz NAME K: a gzip file of 3000 lines whose line 1500 is the alert "file K".
mkgz() {
	awk -v k="$2" 'BEGIN { for (i = 1; i <= 3000; i++)
		if (i == 1500) printf "file %s line %d Too many open files\n", k, i;
		else printf "file %s line %d fine\n", k, i }' | gzip -c >"$T/tmp/$1"
	mv "$T/tmp/$1" "$T/logs/cf/$1"   # appears whole, as a sync tool renames it in
}
alert_for() { grep -q "\"line\":\"file $1 line 1500 Too many open files\"" "$T/out" 2>/dev/null; }

# More files at start than may be open at once (4).
for k in 1 2 3 4 5 6 7; do mkgz "E2ABC.2026-11-23-0$k.a1b2c3.gz" $k; done
start_daemon
wait_for "7 alerts" has_alerts 7
for k in 1 2 3 4 5 6 7; do alert_for $k || fail "no alert from file $k"; done
grep -q '"source":{"type":"file","path":"'"$T/logs/cf/E2ABC.2026-11-23-03.a1b2c3.gz"'","offset":[0-9]*,"line_no":1500}' "$T/out" ||
	fail "source.path is not the compressed file's own name"
log_has "gzip-compressed, reading it whole" || fail "no log line for the compressed file"

# Dropped while it runs.
mkgz "E2ABC.2026-11-23-08.d4e5f6.gz" 8
wait_for "the alert of a file dropped while running" alert_for 8

# A cut file: named, the lines before the cut kept (its alert is in the first half).
awk 'BEGIN { for (i = 1; i <= 200000; i++)
	if (i == 10) printf "file cut line %d Too many open files\n", i;
	else printf "file cut line %d fine %d\n", i, i * 7919 }' | gzip -c >"$T/tmp/full.gz"
size=$(wc -c <"$T/tmp/full.gz")
head -c $((size / 2)) "$T/tmp/full.gz" >"$T/tmp/cut.gz"
mv "$T/tmp/cut.gz" "$T/logs/cf/cut.gz"
# The daemon may already be reading the cut file (its line 10 alerts at once): count the others.
n=$(alert_lines | grep -vc '^file cut ' || true)
[ "$n" -eq 8 ] || fail "expected 8 alerts from the whole files, got $n"
stop_daemon
# The cut file is still "being uploaded" for a minute; at the stop it stays unread or in progress.
wait_for "the checkpoint" test -s "$T/state/app.state"
n=$(count_alerts)
[ "$n" -ge 8 ] || fail "lost alerts at the stop: $n"

# Restart: nothing read before is read again; a file dropped now is.
start_daemon
mkgz "E2ABC.2026-11-23-09.a7a7a7.gz" 9
wait_for "the alert of a file dropped after the restart" alert_for 9
alert_lines | sort | uniq -d >"$T/dups"
[ ! -s "$T/dups" ] || fail "alerts repeated across the restart: $(head -3 "$T/dups")"

# Re-uploaded under the same name with new content: read again.
mkgz "E2ABC.2026-11-23-01.a1b2c3.gz" 11
wait_for "the alert of the re-uploaded file" alert_for 11
stop_daemon

# --oneshot over the same directory: the cut file is reported now, by name, with what it held.
"$FIXWATCHD" -c "$T/fw.conf" --oneshot >>"$T/out" 2>>"$T/err" || fail "--oneshot failed"
log_has "cut.gz: the gzip stream ends early (truncated file?)" || fail "the cut file was not named"
grep -q '"line":"file cut line 10 Too many open files"' "$T/out" || fail "the lines before the cut were lost"
alert_lines | sort | uniq -d >"$T/dups"
[ ! -s "$T/dups" ] || fail "alerts repeated: $(head -3 "$T/dups")"
[ "$(count_alerts)" -eq 11 ] || fail "expected 11 alerts in all, got $(count_alerts)"
exit 0
