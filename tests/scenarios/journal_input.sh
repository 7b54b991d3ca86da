#!/bin/sh
# The journal input on real journal files, written by systemd-journal-remote
# from export-format entries: unit and identifier matches, cursor
# checkpoints across restarts (no entry repeated or skipped), following a
# journal live, and start_at = end.
. "$top_srcdir/tests/scenarios/lib.sh"
: "${FIXWATCHD:?run through make check}"
[ -n "${SYSTEMD_JOURNAL_REMOTE:-}" ] && [ -x "$SYSTEMD_JOURNAL_REMOTE" ] ||
	{ echo "SKIP: systemd-journal-remote not found (Debian: systemd-journal-remote)"; exit 77; }
make_kb
mkdir -p "$T/journal" "$T/state"
BOOT=0123456789abcdef0123456789abcdef

# add_entries FIRST LAST: appends entries FIRST..LAST to the journal file.
# Entry i says "client: 10.0.X.Y" (i = 256X + Y) and comes from
#   nginx.service / nginx        when i is odd            (taken: unit)
#   other.service / edge-proxy   when i is a multiple of 4 (taken: identifier)
#   cron.service / cron          otherwise                (not taken)
# Every tenth entry has no MESSAGE at all.
add_entries() {
	i=$1
	: >"$T/x.export"
	while [ "$i" -le "$2" ]; do
		if [ $((i % 2)) -eq 1 ]; then unit=nginx.service ident=nginx
		elif [ $((i % 4)) -eq 0 ]; then unit=other.service ident=edge-proxy
		else unit=cron.service ident=cron; fi
		{
			echo "__REALTIME_TIMESTAMP=$((1763884800000000 + i * 1000000))"
			echo "__MONOTONIC_TIMESTAMP=$((i * 1000000))"
			echo "_BOOT_ID=$BOOT"
			echo "_SYSTEMD_UNIT=$unit"
			echo "SYSLOG_IDENTIFIER=$ident"
			[ $((i % 10)) -eq 0 ] ||
				echo "MESSAGE=upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.$((i / 256)).$((i % 256))"
			echo
		} >>"$T/x.export"
		i=$((i + 1))
	done
	"$SYSTEMD_JOURNAL_REMOTE" --output="$T/journal/remote.journal" "$T/x.export" 2>"$T/jr.err" ||
		{ cat "$T/jr.err" >&2; fail "systemd-journal-remote could not write entries $1..$2"; }
}

# expected FIRST LAST: the clients of the entries FIRST..LAST the input takes.
expected() {
	i=$1
	while [ "$i" -le "$2" ]; do
		if [ $((i % 10)) -ne 0 ] && { [ $((i % 2)) -eq 1 ] || [ $((i % 4)) -eq 0 ]; }; then
			echo "10.0.$((i / 256)).$((i % 256))"
		fi
		i=$((i + 1))
	done
}

# clients FILE INPUT: the clients of INPUT's alerts in FILE, in order.
clients() {
	grep "\"input\":\"$2\"" "$1" | sed -n 's/.*"client":"\([0-9.]*\)".*/\1/p'
}

# same_clients FILE INPUT FIRST LAST
same_clients() {
	clients "$1" "$2" >"$T/got"
	expected "$3" "$4" >"$T/want"
	cmp -s "$T/got" "$T/want" ||
		{ diff "$T/want" "$T/got" >&2; fail "[input.$2] alerts differ from entries $3..$4 (- want, + got)"; }
}

cat >"$T/fixwatch.conf" <<CONF
[daemon]
kb = kb
state_dir = state
control_socket =
checkpoint_interval = 100ms

[input.j]
type = journal
directory = journal
units = nginx
identifiers = edge-proxy
start_at = beginning

[output.out]
type = stdout
CONF

# 1. From the beginning: only the entries of the unit or the identifier.
add_entries 1 41
expect_exit 0 "$FIXWATCHD" -c "$T/fixwatch.conf" --oneshot
same_clients "$T/out" j 1 41
assert_grep "$T/out" '"source":{"type":"journal","unit":"nginx.service","identifier":"nginx","cursor":"s='
assert_grep "$T/out" '"unit":"other.service","identifier":"edge-proxy","cursor":"s='
assert_grep "$T/state/j.state" 'cursor s='

# 2. Restarted with nothing new: nothing again.
expect_exit 0 "$FIXWATCHD" -c "$T/fixwatch.conf" --oneshot
assert_lines "$T/out" 0

# 3. New entries while it was down: exactly those.
add_entries 42 75
expect_exit 0 "$FIXWATCHD" -c "$T/fixwatch.conf" --oneshot
same_clients "$T/out" j 42 75

# 4. Live: the daemon follows the journal as entries are written; a second
# input without a checkpoint starts at the end (sees only the new entries).
cat >>"$T/fixwatch.conf" <<CONF

[input.e]
type = journal
directory = journal
units = nginx
identifiers = edge-proxy
start_at = end
CONF
"$FIXWATCHD" -c "$T/fixwatch.conf" >"$T/live.out" 2>"$T/live.err" &
pid=$!
stop_daemon() {
	kill -TERM "$pid" 2>/dev/null
	wait_for 10 sh -c "! kill -0 $pid 2>/dev/null" || { kill -KILL "$pid"; fail "fixwatchd did not stop on SIGTERM"; }
	wait "$pid" || fail "fixwatchd exited with $? on SIGTERM"
}
trap 'kill -KILL $pid 2>/dev/null; rm -rf "$T"' EXIT
wait_for 10 grep -q 'started' "$T/live.err" || { cat "$T/live.err" >&2; fail "fixwatchd did not start"; }
add_entries 76 110
want=$(expected 76 110 | wc -l)
has_alerts() { [ "$(grep -c "\"input\":\"$1\"" "$T/live.out")" -ge "$2" ]; }
wait_for 10 has_alerts j "$want" || { cat "$T/live.err" >&2; fail "live: [input.j] got $(clients "$T/live.out" j | wc -l) of $want alerts"; }
wait_for 10 has_alerts e "$want" || fail "live: [input.e] got $(clients "$T/live.out" e | wc -l) of $want alerts"
add_entries 111 120
want=$(expected 76 120 | wc -l)
wait_for 10 has_alerts j "$want" || fail "live: [input.j] missed entries 111..120"
wait_for 10 has_alerts e "$want" || fail "live: [input.e] missed entries 111..120"
stop_daemon
same_clients "$T/live.out" j 76 120
same_clients "$T/live.out" e 76 120
assert_grep "$T/state/e.state" 'cursor s='

# 5. After the live run and its SIGTERM: neither input repeats or skips.
add_entries 121 130
expect_exit 0 "$FIXWATCHD" -c "$T/fixwatch.conf" --oneshot
same_clients "$T/out" j 121 130
same_clients "$T/out" e 121 130

# 6. A bad directory is refused with the input's name.
sed 's|^directory = journal$|directory = no-such-dir|' "$T/fixwatch.conf" >"$T/bad.conf"
expect_exit 1 "$FIXWATCHD" -c "$T/bad.conf" --oneshot
assert_grep "$T/err" '[input.j] directory: cannot open the journal in '
# 7. A message longer than max_line_bytes is cut there and flagged.
mkdir -p "$T/long"
pad=$(printf '%0300d' 0)
printf '__REALTIME_TIMESTAMP=1763884800000000\n__MONOTONIC_TIMESTAMP=1\n_BOOT_ID=%s\n_SYSTEMD_UNIT=nginx.service\nMESSAGE=upstream %s\n\n' \
	"$BOOT" "$pad" >"$T/long.export"
"$SYSTEMD_JOURNAL_REMOTE" --output="$T/long/long.journal" "$T/long.export" 2>"$T/jr.err" ||
	{ cat "$T/jr.err" >&2; fail "systemd-journal-remote could not write the long entry"; }
cat >"$T/long.conf" <<CONF
[daemon]
kb = kb
state_dir = state
control_socket =
[input.long]
type = journal
directory = long
start_at = beginning
max_line_bytes = 64
[output.out]
type = stdout
CONF
expect_exit 0 "$FIXWATCHD" -c "$T/long.conf" --oneshot
assert_lines "$T/out" 1
assert_grep "$T/out" "\"line\":\"upstream $(printf '%055d' 0)\",\"truncated\":true"
# 7b. unknown/journal: an entry with PRIORITY=2 (crit) that no record knows
# raises it; the same text at PRIORITY=3 does not, nor does a crit entry that
# a record matches (it raises that record).
mkdir -p "$T/prio"
for p in 2 3; do
	printf '__REALTIME_TIMESTAMP=176388480%d000000\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=%s\n_SYSTEMD_UNIT=app.service\nPRIORITY=%d\nMESSAGE=[crit] the flux capacitor failed at level %d\n\n' \
		"$p" "$p" "$BOOT" "$p" "$p"
done >"$T/prio.export"
printf '__REALTIME_TIMESTAMP=1763884809000000\n__MONOTONIC_TIMESTAMP=9\n_BOOT_ID=%s\n_SYSTEMD_UNIT=nginx.service\nPRIORITY=2\nMESSAGE=upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.9.9.9\n\n' \
	"$BOOT" >>"$T/prio.export"
"$SYSTEMD_JOURNAL_REMOTE" --output="$T/prio/prio.journal" "$T/prio.export" 2>"$T/jr.err" ||
	{ cat "$T/jr.err" >&2; fail "systemd-journal-remote could not write the PRIORITY entries"; }
sed -e 's/^directory = long$/directory = prio/' -e '/^max_line_bytes = 64$/d' "$T/long.conf" >"$T/prio.conf"
rm -rf "$T/state"/*
expect_exit 0 "$FIXWATCHD" -c "$T/prio.conf" --oneshot
assert_lines "$T/out" 2
assert_grep "$T/out" '"id":"unknown/journal"'
assert_grep "$T/out" 'the flux capacitor failed at level 2'
grep -q 'failed at level 3' "$T/out" && fail "an err entry raised unknown/journal"
grep -c '"id":"unknown/journal"' "$T/out" | grep -qx 1 || fail "the matched crit entry also raised unknown/journal"
# 8. Backpressure: stdout is a pipe nobody reads yet and the queue holds 10
# alerts, far fewer than the 3000 entries; the input pauses instead of
# losing any, and once a reader comes every entry arrives once, in order.
mkdir -p "$T/bp"
awk -v boot="$BOOT" 'BEGIN { for (i = 1; i <= 3000; i++)
	printf "__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=%s\n_SYSTEMD_UNIT=nginx.service\nMESSAGE=upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.%d.%d\n\n",
		1763884800000000 + i * 1000, i * 1000, boot, int(i / 256), i % 256 }' >"$T/bp.export"
"$SYSTEMD_JOURNAL_REMOTE" --output="$T/bp/bp.journal" "$T/bp.export" 2>"$T/jr.err" ||
	{ cat "$T/jr.err" >&2; fail "systemd-journal-remote could not write the burst"; }
sed -e 's/^directory = long$/directory = bp/' -e 's/^\[input.long\]$/[input.bp]/' \
	-e 's/^max_line_bytes = 64$//' -e 's/^type = stdout$/type = stdout\nqueue_max = 10/' \
	"$T/long.conf" >"$T/bp.conf"
mkfifo "$T/pipe"
exec 4<>"$T/pipe"      # holds the pipe open: a reader that does not read yet
"$FIXWATCHD" -c "$T/bp.conf" --oneshot >"$T/pipe" 2>"$T/bp.err" 4>&- &
pid=$!
wait_for 10 grep -q 'started' "$T/bp.err" || { cat "$T/bp.err" >&2; fail "fixwatchd did not start"; }
kill -0 "$pid" || fail "fixwatchd ended while its output was blocked"
cat "$T/pipe" >"$T/bp.out" 4>&- &
reader=$!
wait_for 30 sh -c "! kill -0 $pid 2>/dev/null" || fail "fixwatchd did not finish the burst"
wait "$pid" || fail "fixwatchd exited with $? after the burst"
exec 4>&-
wait_for 10 sh -c "! kill -0 $reader 2>/dev/null" || fail "the reader did not end"
clients "$T/bp.out" bp >"$T/got"
awk 'BEGIN { for (i = 1; i <= 3000; i++) printf "10.0.%d.%d\n", int(i / 256), i % 256 }' >"$T/want"
cmp -s "$T/want" "$T/got" || fail "backpressure: $(wc -l <"$T/got") alerts, not the 3000 entries once each in order"
# 9. Journal files that appear later in a followed directory (a container
# started after the daemon) are picked up.
mkdir -p "$T/later"
sed -e 's/^directory = bp$/directory = later/' -e 's/^\[input.bp\]$/[input.later]/' \
	"$T/bp.conf" >"$T/later.conf"
"$FIXWATCHD" -c "$T/later.conf" >"$T/later.out" 2>"$T/later.err" &
pid=$!
wait_for 10 grep -q 'started' "$T/later.err" || { cat "$T/later.err" >&2; fail "fixwatchd did not start"; }
"$SYSTEMD_JOURNAL_REMOTE" --output="$T/later/new.journal" "$T/long.export" 2>"$T/jr.err" ||
	{ cat "$T/jr.err" >&2; fail "systemd-journal-remote could not write"; }
wait_for 10 grep -q '"input":"later"' "$T/later.out" || fail "a journal file that appeared later was not read"
stop_daemon
assert_lines "$T/later.out" 1
exit 0
