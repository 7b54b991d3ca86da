/*
 * test_transport_tls: the tls:// address and the tls_* keys as the
 * configuration reads them (default port 6514 for syslog, keys only where
 * they apply, certificate and key together), and fw_tls_check(), which
 * `fixwatchd -t` and start-up share: files that cannot be read, files with
 * no PEM in them, a key that is not the certificate's. The certificates are
 * made here with OpenSSL. Connections to a real collector are the
 * rsyslog_tls_* scenarios.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/fwconfig.h"
#include "output/output.h"
#define FW_TLS_LIB_NO_CALLS
#include "output/tls_lib.h"
#include "output/transport_tls.h"
#include "testutil.h"

static struct fw_diag diag;

static int
setup(void **state)
{
	fw_diag_init(&diag);
	return tu_setup(state);
}

static int
teardown(void **state)
{
	fw_diag_clear(&diag);
	return tu_teardown(state);
}

/* A configuration of one stdin input and the given output section(s). */
static struct fw_config *
load(const char *outputs)
{
	struct fw_config *cfg = NULL;
	char *path = tu_write("fw.conf", tu_fmt("[daemon]\nstate_dir = %s\ncontrol_socket =\n"
						 "[input.in]\ntype = stdin\n%s", tu_dir(), outputs));

	fw_diag_clear(&diag);
	if (fw_config_load(path, &cfg, &diag) < 0)
		return NULL;
	return cfg;
}

static struct fw_config *
load_ok(const char *outputs)
{
	struct fw_config *cfg = load(outputs);

	if (!cfg) {
		fw_diag_print(&diag, stderr);
		fail_msg("refused:\n%s", outputs);
	}
	return cfg;
}

/* outputs refused with exactly one error containing want. */
static void
refuse(const char *outputs, const char *want)
{
	struct fw_config *cfg = load(outputs);

	if (cfg) {
		fw_config_free(cfg);
		fail_msg("accepted:\n%s", outputs);
	}
	if (diag.n != 1 || !strstr(diag.msgs[0], want)) {
		fw_diag_print(&diag, stderr);
		fail_msg("wanted one error with '%s'", want);
	}
}

static void
test_address(void **state)
{
	struct fw_address a;
	const char *why;

	assert_int_equal(fw_parse_address_port("tls://logs.example.net", FW_SYSLOG_PORT, &a, &why), 0);
	assert_int_equal(a.kind, FW_ADDR_TLS);
	assert_string_equal(a.host, "logs.example.net");
	assert_int_equal(a.port, FW_SYSLOG_TLS_PORT);
	fw_address_clear(&a);
	assert_int_equal(fw_parse_address_port("tls://[2001:db8::1]", FW_SYSLOG_PORT, &a, &why), 0);
	assert_string_equal(a.host, "2001:db8::1");
	assert_int_equal(a.port, 6514);
	fw_address_clear(&a);
	assert_int_equal(fw_parse_address("tls://10.0.0.1:10514", &a, &why), 0);
	assert_int_equal(a.port, 10514);
	fw_address_clear(&a);
	/* no default port outside syslog; bad ports and hosts as for tcp:// */
	assert_int_equal(fw_parse_address("tls://logs.example.net", &a, &why), -EINVAL);
	assert_int_equal(fw_parse_address_port("tls://h:0", FW_SYSLOG_PORT, &a, &why), -EINVAL);
	assert_int_equal(fw_parse_address_port("tls://::1", FW_SYSLOG_PORT, &a, &why), -EINVAL);
	assert_int_equal(fw_parse_address_port("tls://", FW_SYSLOG_PORT, &a, &why), -EINVAL);
	assert_int_equal(fw_parse_address_port("tls:///x", FW_SYSLOG_PORT, &a, &why), -EINVAL);
}

static void
test_keys(void **state)
{
	struct fw_config *cfg = load_ok(
		"[output.a]\ntype = syslog\naddress = tls://logs.example.net\n"
		"[output.b]\ntype = syslog\naddress = tls://10.0.0.1:10514\ntls_ca_file = ca.pem\n"
		"tls_server_name = logs.example.net\ntls_cert_file = /etc/c.pem\n"
		"tls_key_file = k.pem\nframing = octet-counting\n");
	const struct fw_output_config *a = &cfg->outputs[0], *b = &cfg->outputs[1];

	assert_int_equal(a->addr.port, 6514);
	assert_null(a->tls_ca_file);
	assert_null(a->tls_server_name);
	assert_null(a->tls_cert_file);
	assert_null(a->tls_key_file);
	assert_int_equal(a->framing, FW_FRAMING_OCTET_COUNTING);
	assert_string_equal(b->tls_ca_file, tu_path("ca.pem"));      /* relative to the file */
	assert_string_equal(b->tls_server_name, "logs.example.net");
	assert_string_equal(b->tls_cert_file, "/etc/c.pem");
	assert_string_equal(b->tls_key_file, tu_path("k.pem"));
	fw_config_free(cfg);

	cfg = load_ok("[output.a]\ntype = syslog\naddress = tls://h:1\n"
		      "tls_server_name = 2001:db8::1\n");
	assert_string_equal(cfg->outputs[0].tls_server_name, "2001:db8::1");
	fw_config_free(cfg);
}

static void
test_keys_refused(void **state)
{
	refuse("[output.t]\ntype = tcp\naddress = tls://h:6514\n",
	       "[output.t] address: type = tcp takes tcp://HOST:PORT, got 'tls://h:6514'");
	refuse("[output.s]\ntype = syslog\naddress = tcp://h\ntls_ca_file = /ca.pem\n",
	       "[output.s] tls_ca_file: only for syslog over tls://HOST[:PORT]");
	refuse("[output.s]\ntype = syslog\ntls_server_name = h\n",
	       "[output.s] tls_server_name: only for syslog over tls://HOST[:PORT]");
	refuse("[output.f]\ntype = file\naddress = /x\ntls_ca_file = /ca.pem\n",
	       "[output.f] tls_ca_file: not used by type = file");
	refuse("[output.s]\ntype = syslog\naddress = tls://h\ntls_cert_file = /c.pem\n",
	       "[output.s] tls_cert_file: a client certificate needs both tls_cert_file and "
	       "tls_key_file");
	refuse("[output.s]\ntype = syslog\naddress = tls://h\ntls_key_file = /k.pem\n",
	       "[output.s] tls_key_file: a client certificate needs both");
	refuse("[output.s]\ntype = syslog\naddress = tls://h\ntls_server_name = a/b\n",
	       "[output.s] tls_server_name: 'a/b' is not a host name or an IP address");
	refuse("[output.s]\ntype = syslog\naddress = tls://h\ntls_server_name = \"a b\"\n",
	       "[output.s] tls_server_name: 'a b' is not a host name");
	refuse("[output.s]\ntype = syslog\naddress = tls://h\nframing = lf\n",
	       "[output.s] framing: syslog over tls:// is octet-counted (RFC 5425 §4.3)");
	refuse("[output.s]\ntype = syslog\naddress = tls://h\nformat = rfc3164\n",
	       "[output.s] format: rfc3164 is for the local socket");
}

/* ---- fw_tls_check ------------------------------------------------------------ */

static EVP_PKEY *
new_key(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");

	assert_non_null(k);
	return k;
}

/* A self-signed certificate for key, as PEM in rel. */
static char *
write_cert(const char *rel, EVP_PKEY *key)
{
	X509 *x = X509_new();
	char *path = tu_path(rel);
	FILE *f;

	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"fixwatch test", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509_set_pubkey(x, key);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(PEM_write_X509(f, x), 1);
	fclose(f);
	X509_free(x);
	return path;
}

static char *
write_key(const char *rel, EVP_PKEY *key)
{
	char *path = tu_path(rel);
	FILE *f;

	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL), 1);
	fclose(f);
	return path;
}

/* fw_tls_check on output "s" with the given keys: 0, or its one message has want. */
static void
check(const char *keys, const char *want)
{
	struct fw_config *cfg = load_ok(tu_fmt("[output.s]\ntype = syslog\naddress = tls://h\n%s",
					       keys));
	const struct fw_output_config *out = &cfg->outputs[0];
	struct fw_transport *t = NULL;
	int r;

	fw_diag_clear(&diag);
	r = fw_tls_check(out, cfg->path, &diag);
	if (!want) {
		if (r != 0) {
			fw_diag_print(&diag, stderr);
			fail_msg("refused: %s", keys);
		}
		/* start-up takes what -t took */
		assert_int_equal(fw_transport_tls_new(uv_default_loop(), out, &diag, &t), 0);
		fw_transport_free(t);
	} else {
		assert_int_equal(r, -EINVAL);
		if (diag.n != 1 || !strstr(diag.msgs[0], want) ||
		    strncmp(diag.msgs[0], cfg->path, strlen(cfg->path)) != 0) {
			fw_diag_print(&diag, stderr);
			fail_msg("wanted one error, '<conf>:-: ...%s...'", want);
		}
		/* start-up refuses the same, with the same message minus the file */
		fw_diag_clear(&diag);
		assert_int_equal(fw_transport_tls_new(uv_default_loop(), out, &diag, &t), -EINVAL);
		assert_int_equal(diag.n, 1);
		assert_non_null(strstr(diag.msgs[0], want));
	}
	fw_config_free(cfg);
}

static void
test_check_files(void **state)
{
	EVP_PKEY *k1 = new_key(), *k2 = new_key();
	char *ca = write_cert("ca.pem", k1), *cert = write_cert("c.pem", k1);
	char *key = write_key("k.pem", k1), *other = write_key("other.pem", k2);
	char *junk = tu_write("junk.pem", "not PEM\n");

	/* no CA file: the system's store */
	check("", NULL);
	check(tu_fmt("tls_ca_file = %s\n", ca), NULL);
	check(tu_fmt("tls_ca_file = %s\ntls_cert_file = %s\ntls_key_file = %s\n", ca, cert, key),
	      NULL);
	check(tu_fmt("tls_ca_file = %s/none.pem\n", tu_dir()),
	      tu_fmt("[output.s] tls_ca_file: cannot read %s/none.pem: No such file or directory",
		     tu_dir()));
	check(tu_fmt("tls_ca_file = %s\n", junk),
	      tu_fmt("[output.s] tls_ca_file: %s: no CA certificate in it (PEM)", junk));
	check(tu_fmt("tls_cert_file = %s\ntls_key_file = %s\n", junk, key),
	      tu_fmt("[output.s] tls_cert_file: %s: no certificate in it (PEM)", junk));
	check(tu_fmt("tls_cert_file = %s\ntls_key_file = %s\n", cert, junk),
	      tu_fmt("[output.s] tls_key_file: %s: no private key in it (PEM)", junk));
	check(tu_fmt("tls_cert_file = %s\ntls_key_file = %s\n", cert, other),
	      tu_fmt("[output.s] tls_key_file: %s does not belong to the certificate in %s",
		     other, cert));
	check(tu_fmt("tls_cert_file = %s/none.pem\ntls_key_file = %s\n", tu_dir(), key),
	      "[output.s] tls_cert_file: cannot read");
	/* a directory is not a file */
	check(tu_fmt("tls_ca_file = %s\n", tu_dir()), "[output.s] tls_ca_file: ");
	EVP_PKEY_free(k1);
	EVP_PKEY_free(k2);
}

/*
 * OpenSSL is opened by the first tls:// output: without the library, -t
 * and start-up name the output's address and what is missing; with it, the
 * same output is taken (the first test run: nothing has opened it yet).
 */
static void
test_library_missing(void **state)
{
	fw__tls_lib_name = "libfixwatch-test-no-such-ssl.so.3";
	check("", "[output.s] address: tls:// needs OpenSSL 3 (Debian package libssl3), which "
		  "cannot be loaded: libfixwatch-test-no-such-ssl.so.3: cannot open");
	/* A reason longer than the caller's buffer is cut and says so. */
	{
		char name[300], msg[64];

		memset(name, 'x', sizeof name - 1);
		name[sizeof name - 1] = '\0';
		fw__tls_lib_name = name;
		assert_int_equal(fw_tls_lib_load(msg, sizeof msg), -ENOENT);
		assert_int_equal(strlen(msg), sizeof msg - 1);
		assert_string_equal(msg + sizeof msg - 4, "...");
	}
	fw__tls_lib_name = FW_TLS_LIBSSL;
	check("", NULL);
}

/* Not a tls:// output: nothing to check. */
static void
test_check_other_outputs(void **state)
{
	struct fw_config *cfg = load_ok("[output.s]\ntype = syslog\naddress = tcp://h\n");

	assert_int_equal(fw_tls_check(&cfg->outputs[0], cfg->path, &diag), 0);
	assert_int_equal(diag.n, 0);
	fw_config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_library_missing, setup, teardown),
		cmocka_unit_test(test_address),
		cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_other_outputs, setup, teardown),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);

	uv_loop_close(uv_default_loop());
	return r;
}
