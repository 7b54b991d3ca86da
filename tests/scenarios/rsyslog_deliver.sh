#!/bin/sh
# Alerts reach a real rsyslogd over TCP with octet counting, TCP with LF
# framing and UDP: each exactly once, MSG is valid JSON, the STRUCTURED-DATA
# params are intact, and a hostile log line (quotes, backslash, ']', a
# terminal escape, DEL, CR, invalid UTF-8) arrives escaped; a line too long
# for a UDP datagram is cut inside the JSON, which stays valid.
. "$(dirname "$0")/rsyslog_lib.sh"

P1=$(free_port tcp); P2=$(free_port tcp); P3=$(free_port udp)
[ "$P1" != "$P2" ] || P2=$(free_port tcp)
rsyslog_conf octet:tcp:$P1 lf:tcp:$P2 udp:udp:$P3
start_rsyslog tcp:$P1 tcp:$P2 udp:$P3

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
cat >> "$T/fw.conf" <<CONF
[output.octet]
type = syslog
address = tcp://127.0.0.1:$P1
[output.lf]
type = syslog
address = tcp://127.0.0.1:$P2
framing = lf
[output.udp]
type = syslog
address = udp://127.0.0.1:$P3
cee = yes
max_message_bytes = 2k
CONF

# UDP has no flow control: a burst larger than the receiver's socket buffer
# (about 115 of these messages at the default 208k) is lost in the kernel.
N=60
write_hostile_log "$T/logs/app.log" "$N"

"$FIXWATCHD" -c "$T/fw.conf" --oneshot > "$T/out" 2> "$T/err" || fail "fixwatchd --oneshot failed"
for o in octet lf udp; do
	wait_for "$N messages in $o" has_received $o $N
done
stop_rsyslog

SD='[fixwatch@32473 id="test/disk-full" domain="test" category="storage_error" confidence="0.90" input="app" count="1"]'
for o in octet lf udp; do
	[ "$(received $o)" -eq $N ] || fail "$o: $(received $o) messages, expected $N"
	expect_each_once $o $N
	[ "$(grep -cF "$SD	" "$T/rs/$o")" -eq $N ] || fail "$o: STRUCTURED-DATA not intact"
	# The hostile line: escaped inside the JSON, nothing raw reaches the file.
	# (the alert builder already turned DEL and the invalid byte into U+FFFD)
	grep -F '(sda) \"q\" ]\\ \u001b[31m red ' "$T/rs/$o" | grep -qF ' \r ' ||
		fail "$o: the hostile line is not there, escaped"
	for c in "$ESC" "$DEL" "$CR"; do
		! grep -qF "$c" "$T/rs/$o" || fail "$o: a raw control character reached the collector"
	done
	"$JSONL_GET" line "$T/rs/$o" | grep -qF "(sda) \"q\" ]\\ ${ESC}[31m red " ||
		fail "$o: the hostile line does not decode back to the original"
done
grep -q '^.*	@cee: {' "$T/rs/udp" || fail "udp: no @cee cookie"
# Line 9 does not fit a 2k datagram: cut and flagged, the JSON still valid.
"$JSONL_GET" truncated "$T/rs/udp" | sed -n 9p | grep -qx true || fail "udp: line 9 not truncated"
"$JSONL_GET" truncated "$T/rs/octet" | sed -n 9p | grep -qx false || fail "octet: line 9 truncated"
awk 'length($0) > 2048 { exit 1 }' "$T/rs/udp" || fail "udp: a message over 2k"
exit 0
