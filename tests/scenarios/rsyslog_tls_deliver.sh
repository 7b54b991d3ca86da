#!/bin/sh
# Alerts reach a real rsyslogd over TLS (RFC 5425, octet counting, default
# port given explicitly here): each exactly once, STRUCTURED-DATA intact.
# Then the certificate checks: a collector whose certificate comes from a CA
# we do not trust is refused, and so are one whose certificate has expired,
# one whose certificate does not name the host we asked for, and one that
# speaks only TLS 1.1; each refusal is logged with its reason, and nothing
# reaches those collectors. `fixwatchd -t` checks the files.
. "$(dirname "$0")/rsyslog_tls_lib.sh"

make_pki
P1=$(free_port tcp)
tls_rsyslog_conf col "$P1"
start_rsyslog tcp:"$P1"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
tls_output col "$P1"
"$FIXWATCHD" -c "$T/fw.conf" -t > "$T/check" 2>&1 || { cat "$T/check" >&2; fail "-t refused a good TLS output"; }

N=50
write_hostile_log "$T/logs/app.log" "$N"
"$FIXWATCHD" -c "$T/fw.conf" --oneshot > "$T/out" 2> "$T/err" || fail "fixwatchd --oneshot failed"
wait_for "$N messages over TLS" has_received col $N
stop_rsyslog
[ "$(received col)" -eq $N ] || fail "col: $(received col) messages, expected $N"
expect_each_once col $N
SD='[fixwatch@32473 id="test/disk-full" domain="test" category="storage_error" confidence="0.90" input="app" count="1"]'
[ "$(grep -cF "$SD	" "$T/rs/col")" -eq $N ] || fail "STRUCTURED-DATA not intact over TLS"
for c in "$ESC" "$DEL" "$CR"; do
	! grep -qF "$c" "$T/rs/col" || fail "a raw control character reached the collector"
done

# refused NAME REASON [KEY = VALUE...]: the daemon's output NAME to the
# running collector is refused with REASON in the log; nothing arrives.
refused() {
	name=$1 reason=$2
	shift 2
	write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
	tls_output "$name" "$P1" "$@"
	: > "$T/err"
	start_daemon
	wait_for "the $name refusal in the log" log_has "output $name: connect to tls://localhost:$P1: $reason"
	stop_daemon
	[ "$(received "$name")" -eq 0 ] || fail "$name: alerts reached a collector we should not trust"
}

# A certificate from a CA we do not trust.
SERVER_CERT=rogue tls_rsyslog_conf unknown_ca "$P1"
start_rsyslog tcp:"$P1"
refused unknown_ca "TLS: the collector's certificate is not signed by a trusted CA (tls_ca_file = $T/pki/ca.pem)"
stop_rsyslog
grep -q "unknown ca\|certificate verify failed\|alert" "$T/rs.err" 2>/dev/null ||
	echo "note: rsyslogd did not log the refused handshake" >&2

# A certificate from our CA, for the right name, but expired.
SERVER_CERT=expired tls_rsyslog_conf expired "$P1"
start_rsyslog tcp:"$P1"
refused expired "TLS: the collector's certificate has expired (2020-01-02 00:00:00 UTC)"
stop_rsyslog

# A good certificate, but for another name than the one we check.
tls_rsyslog_conf wrong_name "$P1"
start_rsyslog tcp:"$P1"
refused wrong_name "TLS: the collector's certificate is not for logs.example.net (tls_server_name)" \
	"tls_server_name = logs.example.net"
# ... and by IP address: the certificate names 127.0.0.1, not 127.0.0.2.
refused wrong_name "TLS: the collector's certificate is not for 127.0.0.2 (tls_server_name)" \
	"tls_server_name = 127.0.0.2"
stop_rsyslog

# A collector that speaks TLS 1.1 at most (rsyslog's GnuTLS driver takes a
# priority string that allows only that): no protocol version in common.
if has_driver gtls; then
	saved=$DRIVER
	DRIVER=gtls
	tls_rsyslog_conf old_tls "$P1"
	sed -i 's|ruleset="old_tls")$|ruleset="old_tls" gnutlsPriorityString="NORMAL:-VERS-ALL:+VERS-TLS1.1")|' "$T/rs.conf"
	grep -q 'VERS-TLS1.1' "$T/rs.conf" || fail "could not restrict the collector to TLS 1.1"
	start_rsyslog tcp:"$P1"
	refused old_tls "TLS: no protocol version in common with the collector (fixwatch speaks TLS 1.2 and 1.3)"
	stop_rsyslog
	DRIVER=$saved
else
	echo "note: rsyslog-gnutls not installed: a TLS 1.1 collector was not tried" >&2
fi

# -t: files that cannot be read, a key that is not the certificate's.
write_conf "type = file" "path = $T/logs/app.log"
tls_output bad "$P1" "tls_cert_file = $T/pki/client.pem" "tls_key_file = $T/pki/server.key"
echo "tls_server_name = localhost" >> "$T/fw.conf"
! "$FIXWATCHD" -c "$T/fw.conf" -t > "$T/check" 2>&1 || fail "-t accepted a key of another certificate"
grep -qF "$T/fw.conf:-: [output.bad] tls_key_file: $T/pki/server.key does not belong to the certificate in $T/pki/client.pem" "$T/check" ||
	{ cat "$T/check" >&2; fail "-t: no message about the key"; }
sed -i "s|^tls_ca_file = .*|tls_ca_file = $T/pki/none.pem|" "$T/fw.conf"
! "$FIXWATCHD" -c "$T/fw.conf" -t > "$T/check" 2>&1 || fail "-t accepted a missing CA file"
grep -qF "[output.bad] tls_ca_file: cannot read $T/pki/none.pem: No such file or directory" "$T/check" ||
	{ cat "$T/check" >&2; fail "-t: no message about the CA file"; }
# start-up refuses the same
: > "$T/err"
! "$FIXWATCHD" -c "$T/fw.conf" --oneshot > /dev/null 2>> "$T/err" || fail "started with a missing CA file"
log_has "tls_ca_file: cannot read $T/pki/none.pem" || fail "start-up: no message about the CA file"
exit 0
