# Helpers of the syslog-over-TLS scenarios: certificates made by openssl at
# test time, and a real rsyslogd receiving RFC 5425 with its OpenSSL network
# stream driver (Debian: rsyslog-openssl) or its GnuTLS one (rsyslog-gnutls)
# on a loopback port.
#
# $T/pki: ca.pem (the CA fixwatch trusts), server.pem/.key (for "localhost"
# and 127.0.0.1, signed by ca), client.pem/.key (signed by ca), rogue-ca.pem
# with rogue.pem/.key (a server certificate for localhost from another CA),
# expired.pem/.key (from ca, for localhost, expired in 2020).

. "$(dirname "$0")/rsyslog_lib.sh"

skip() {
	echo "SKIP $SCENARIO: $*" >&2
	exit 77
}

command -v openssl >/dev/null 2>&1 || skip "openssl not found (apt-get install openssl)"

# has_driver ossl|gtls: rsyslog's network stream driver is installed.
has_driver() {
	for d in /usr/lib/*/rsyslog /usr/lib/rsyslog /usr/lib64/rsyslog; do
		[ -f "$d/lmnsd_$1.so" ] && return 0
	done
	return 1
}
# CI installs rsyslog-openssl and rsyslog-gnutls (README test command);
# elsewhere say what is missing.
has_driver ossl ||
	skip "rsyslog's OpenSSL driver (lmnsd_ossl.so) is missing: apt-get install rsyslog-openssl"
DRIVER=${FW_RSYSLOG_TLS_DRIVER:-ossl}     # gtls: try the GnuTLS collector

# make_pki: the certificates above, valid from now for a day.
make_pki() {
	P=$T/pki
	mkdir -p "$P"
	(
		cd "$P"
		for ca in ca rogue-ca; do
			openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=fixwatch test $ca" \
				-keyout "$ca.key" -out "$ca.pem" 2>/dev/null
		done
		# sign NAME CA EXT: NAME.pem for NAME.key, signed by CA.
		sign() {
			openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$1.key" \
				-out "$1.csr" 2>/dev/null
			printf '%s\n' "$3" > "$1.ext"
			openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial \
				-days 1 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
		}
		san='subjectAltName=DNS:localhost,IP:127.0.0.1'
		sign server ca "$san"
		sign rogue rogue-ca "$san"
		sign client ca 'extendedKeyUsage=clientAuth'
		# expired.pem: from ca, for localhost, valid on 2020-01-01 only
		# (`openssl ca` is what sets past dates).
		mkdir db && : > db/index && echo 01 > db/serial
		printf '%s\n' '[ca]' 'default_ca = test' '[test]' 'database = db/index' \
			'new_certs_dir = db' 'serial = db/serial' 'default_md = sha256' \
			'policy = any' 'x509_extensions = ext' '[any]' 'commonName = supplied' \
			'[ext]' "$san" > ca.cnf
		openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout expired.key \
			-out expired.csr 2>/dev/null
		openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr \
			-out expired.pem -startdate 20200101000000Z -enddate 20200102000000Z 2>/dev/null
	) || fail "openssl could not make the test certificates"
}

# tls_rsyslog_conf NAME PORT [x509]: an imtcp listener with TLS ($DRIVER:
# ossl, or gtls for GnuTLS) writing to $T/rs/NAME; x509 makes it require a
# client certificate signed by ca.pem. SERVER_CERT (default server) picks
# the certificate it shows.
tls_rsyslog_conf() {
	mkdir -p "$T/rs"
	auth=anon
	[ "${3:-}" = x509 ] && auth=x509/certvalid
	cert=${SERVER_CERT:-server}
	cat > "$T/rs.conf" <<CONF
global(workDirectory="$T/rs" maxMessageSize="64k"
       DefaultNetstreamDriver="$DRIVER"
       DefaultNetstreamDriverCAFile="$T/pki/ca.pem"
       DefaultNetstreamDriverCertFile="$T/pki/$cert.pem"
       DefaultNetstreamDriverKeyFile="$T/pki/$cert.key")
module(load="imtcp" StreamDriver.Name="$DRIVER" StreamDriver.Mode="1"
       StreamDriver.AuthMode="$auth")
template(name="fw" type="list") {
  property(name="structured-data") constant(value="\t")
  property(name="msg") constant(value="\n") }
ruleset(name="$1") { if \$app-name == "fixwatch" then {
  action(type="omfile" file="$T/rs/$1" template="fw") } }
input(type="imtcp" address="127.0.0.1" port="$2" ruleset="$1")
CONF
}

# tls_output NAME PORT [KEY = VALUE...]: a syslog output over TLS to rsyslogd.
tls_output() {
	name=$1 port=$2
	shift 2
	{
		echo "[output.$name]"
		echo "type = syslog"
		echo "address = tls://localhost:$port"
		echo "tls_ca_file = $T/pki/ca.pem"
		for l in "$@"; do echo "$l"; done
	} >> "$T/fw.conf"
}

# lines A B: log lines A..B, each matching test/disk-full.
lines() {
	awk -v a="$1" -v b="$2" 'BEGIN { for (i = a; i <= b; i++)
		printf "line %d No space left on device (sd%d)\n", i, i }' >> "$T/logs/app.log"
}
