#!/bin/sh
# Collectors that break their connection: how many alerts arrive twice.
# Four collectors (tests/reset_peer.c), each an output of one daemon:
#   um  unix, closes in the middle of the stream every 250 lines, bytes unread;
#   ue  unix, closes after the last alert of each burst, having read everything;
#   te  TCP, the same (a FIN);
#   tr  TCP, the same but resets (RST, SO_LINGER 0), which hides what it read.
# Every alert must arrive at each (at-least-once). A collector that read
# everything and closed gets no alert twice. After a close with bytes unread
# or an RST, no more alerts come twice than the daemon said it sends again,
# and that is at most what the socket can hold plus one write (README,
# Guarantees).
. "$(dirname "$0")/daemon_lib.sh"
: "${top_builddir:?run through make check}"

ROUNDS=6        # bursts; the ue, te and tr collectors close after each but the last
BURST=500       # alerts per burst
EVERY=250       # the um collector closes after this many lines ...
UM_RESETS=10    # ... this many times
TOTAL=$((ROUNDS * BURST))
PEER=$top_builddir/tests/reset_peer

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
: > "$T/logs/app.log"
"$PEER" -n $EVERY "unix:$T/um.sock" "$T/um.out" $UM_RESETS 300 > "$T/um.events" &
P1=$!
"$PEER" -m "(end" "unix:$T/ue.sock" "$T/ue.out" $((ROUNDS - 1)) 300 > "$T/ue.events" &
P2=$!
"$PEER" -m "(end" tcp:0 "$T/te.out" $((ROUNDS - 1)) 300 > "$T/te.events" &
P3=$!
"$PEER" -r -m "(end" tcp:0 "$T/tr.out" $((ROUNDS - 1)) 300 > "$T/tr.events" &
P4=$!
trap 'kill -KILL $P1 $P2 $P3 $P4 2>/dev/null || true; cleanup' EXIT
wait_for "the um collector" test -S "$T/um.sock"
wait_for "the ue collector" test -S "$T/ue.sock"
wait_for "the te collector's port" grep -q '^port ' "$T/te.events"
wait_for "the tr collector's port" grep -q '^port ' "$T/tr.events"
cat >> "$T/fw.conf" <<CONF
[output.um]
type = unix
address = unix://$T/um.sock
[output.ue]
type = unix
address = unix://$T/ue.sock
[output.te]
type = tcp
address = tcp://127.0.0.1:$(sed -n 's/^port //p' "$T/te.events")
[output.tr]
type = tcp
address = tcp://127.0.0.1:$(sed -n 's/^port //p' "$T/tr.events")
CONF
start_daemon

resets() { grep -c '^reset ' "$T/$1.events" || true; }
# breaks NAME: the breaks the daemon has seen on output NAME (one line each).
breaks() { grep -c "output $1: .*; retrying with backoff" "$T/err" || true; }
# all_reset N: the ue, te and tr collectors closed N times and the daemon saw
# each close before the next burst is written (a burst written before it saw
# the close would be written to a dead connection and sent again).
all_reset() {
	for c in ue te tr; do
		[ "$(resets $c)" -ge "$1" ] && [ "$(breaks $c)" -ge "$1" ] || return 1
	done
}
n=0
r=1
while [ $r -le $ROUNDS ]; do
	awk -v from=$((n + 1)) -v to=$((n + BURST)) -v r=$r 'BEGIN {
		for (i = from; i < to; i++) printf "line %d No space left on device (sd%d)\n", i, i
		printf "line %d No space left on device (end%d)\n", to, r }' >> "$T/logs/app.log"
	n=$((n + BURST))
	[ $r -eq $ROUNDS ] || wait_for "the collectors' close $r" all_reset $r
	r=$((r + 1))
done

# unique NAME: how many different alerts (by line number) collector NAME got.
unique() { "$top_builddir/tests/jsonl_get" source.line_no "$T/$1.out" | sort -u | wc -l; }
all_in() { [ -f "$T/$1.out" ] && [ "$(unique "$1")" -eq "$TOTAL" ]; }
for c in um ue te tr; do
	wait_for "every alert at $c" all_in $c
done
stop_daemon
kill -TERM $P1 $P2 $P3 $P4
wait $P1 $P2 $P3 $P4 || true

# said NAME: the alerts the daemon said it sends again to output NAME, per break.
said() { sed -n "s/^.*output $1: \([0-9]*\) alerts written to .* sent again.*/\1/p" "$T/err"; }
sum() { awk '{ s += $1 } END { print s + 0 }'; }
# What a reader can have read unseen when it hides it: the bytes unread at
# the last reading, at most the socket's send buffer (a unix socket blocks
# at SO_SNDBUF, net.core.wmem_default, and one more buffer of half that
# size may be on its way; TCP's grows up to net.ipv4.tcp_wmem's maximum),
# plus the frames of one write (64).
min_frame=$(awk '{ if (!m || length($0) + 1 < m) m = length($0) + 1 } END { print m }' "$T/um.out")
unix_buf=$(cat /proc/sys/net/core/wmem_default 2>/dev/null || echo 212992)
tcp_buf=$(awk '{ print $3 }' /proc/sys/net/ipv4/tcp_wmem 2>/dev/null || echo 4194304)
report=
for c in um ue te tr; do
	dups=$(( $(wc -l < "$T/$c.out") - TOTAL ))
	again=$(said $c | sum)
	worst=$(said $c | sort -n | tail -n 1)
	case $c in
	u*) bound=$(( (unix_buf * 3 / 2) / min_frame + 64 + 1 )) ;;
	t*) bound=$(( tcp_buf / min_frame + 64 + 1 )) ;;
	esac
	report="$report $c: $(resets $c) closes, $dups twice, $again sent again (worst ${worst:-0}, bound $bound);"
	[ "$dups" -le "$again" ] || fail "$c: $dups alerts came twice, more than the $again sent again"
	[ "${worst:-0}" -le "$bound" ] || fail "$c: ${worst} sent again after one break, bound $bound"
	case $c in
	ue|te) [ "$dups" -eq 0 ] && [ "$again" -eq 0 ] ||
		fail "$c read everything before it closed, yet $dups came twice ($again sent again)" ;;
	esac
done
[ "$(resets um)" -eq $UM_RESETS ] || fail "um closed $(resets um) times, not $UM_RESETS"
echo "collector_reset: $TOTAL alerts;$report"
exit 0
