#!/bin/sh
# A collector that requires a client certificate (rsyslog AuthMode
# x509/certvalid), with rsyslog's OpenSSL driver and, when installed, its
# GnuTLS one. Without a certificate the output is refused, logs why, and
# confirms nothing: in TLS 1.3 the collector refuses only after the
# handshake, so alerts written then must not count as delivered. Restarted
# with tls_cert_file and tls_key_file, the daemon delivers every line,
# including those logged while it was refused, each once.
. "$(dirname "$0")/rsyslog_tls_lib.sh"

make_pki

# with_driver DRIVER: the whole story against rsyslogd with that driver.
with_driver() {
	DRIVER=$1
	rm -rf "$T/rs" "$T/state" "$T/err"
	P=$(free_port tcp)
	tls_rsyslog_conf col "$P" x509
	start_rsyslog tcp:"$P"

	write_kb
	write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
	tls_output col "$P"
	: > "$T/logs/app.log"
	start_daemon
	lines 1 40
	wait_for "the refusal in the log" log_has "output col: connect to tls://localhost:$P: TLS: the collector "
	log_has "client certificate" || fail "the refusal does not say a client certificate is wanted"
	# Every line was read and its alert queued; the checkpoint written at the
	# stop must not have moved past any of them.
	stop_daemon
	[ "$(received col)" -eq 0 ] || fail "alerts reached the collector without a client certificate"

	sed -i "/^tls_ca_file = /a tls_cert_file = $T/pki/client.pem\ntls_key_file = $T/pki/client.key" "$T/fw.conf"
	"$FIXWATCHD" -c "$T/fw.conf" -t > "$T/check" 2>&1 || { cat "$T/check" >&2; fail "-t refused the client certificate"; }
	start_daemon
	lines 41 80
	wait_for "80 alerts with a client certificate" has_received col 80
	stop_daemon
	stop_rsyslog
	expect_each_once col 80
	! log_has "retrying with backoff" || [ "$(grep -c 'retrying with backoff' "$T/err")" -eq 1 ] ||
		fail "the output was refused with the client certificate"
}

with_driver ossl
if has_driver gtls; then
	with_driver gtls
else
	echo "note: rsyslog-gnutls not installed: the GnuTLS collector was not tried" >&2
fi
exit 0
