/*
 * transport_tls_ctx: the OpenSSL client context of a tls:// output, built
 * the same way for `fixwatchd -t` (fw_tls_check) and for start-up
 * (fw_transport_tls_new): TLS 1.2 at least, the collector's certificate
 * verified against tls_ca_file or the system's trusted CAs, the client
 * certificate and key loaded and matched. Every problem is reported with
 * the output and the key it comes from; nothing is printed here. OpenSSL
 * itself is opened here, by the first context (tls_lib.h): a missing
 * libssl is reported as a problem of the output's address.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "output/tls_lib.h"
#include "output/transport_tls.h"

static void problem(struct fw_diag *diag, const char *conf, const struct fw_output_config *cfg,
		    const char *key, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
problem(struct fw_diag *diag, const char *conf, const struct fw_output_config *cfg,
	const char *key, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fw_diag_add(diag, "%s%s[output.%s] %s: %s", conf ? conf : "", conf ? ":-: " : "",
		    cfg->name, key, msg);
}

static const char *
ssl_reason(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	return r ? r : "unknown error";
}

/* Readable by us, as a regular file: otherwise a message about it. */
static bool
readable(struct fw_diag *diag, const char *conf, const struct fw_output_config *cfg,
	 const char *key, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		problem(diag, conf, cfg, key, "cannot read %s: %s", path, strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

int
fw__tls_ctx_new(const struct fw_output_config *cfg, const char *conf, struct fw_diag *diag,
	    SSL_CTX **out)
{
	SSL_CTX *ctx;
	bool ok = true;
	char why[256];

	*out = NULL;
	if (fw_tls_lib_load(why, sizeof why) < 0) {
		problem(diag, conf, cfg, "address",
			"tls:// needs OpenSSL 3 (Debian package libssl3), which cannot be loaded: %s",
			why);
		return -EINVAL;
	}
	ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx)
		return -ENOMEM;
	/* RFC 5425 §4.2 names TLS 1.2; nothing older is offered. */
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	ERR_clear_error();
	if (cfg->tls_ca_file) {
		if (!readable(diag, conf, cfg, "tls_ca_file", cfg->tls_ca_file))
			ok = false;
		else if (SSL_CTX_load_verify_file(ctx, cfg->tls_ca_file) != 1) {
			problem(diag, conf, cfg, "tls_ca_file", "%s: no CA certificate in it (PEM): %s",
				cfg->tls_ca_file, ssl_reason());
			ok = false;
		}
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
		problem(diag, conf, cfg, "tls_ca_file", "cannot load the system's trusted CAs: %s",
			ssl_reason());
		ok = false;
	}
	ERR_clear_error();
	if (cfg->tls_cert_file && cfg->tls_key_file) {
		bool cert = readable(diag, conf, cfg, "tls_cert_file", cfg->tls_cert_file);
		bool key = readable(diag, conf, cfg, "tls_key_file", cfg->tls_key_file);

		if (!cert || !key) {
			ok = false;
		} else if (SSL_CTX_use_certificate_chain_file(ctx, cfg->tls_cert_file) != 1) {
			problem(diag, conf, cfg, "tls_cert_file", "%s: no certificate in it (PEM): %s",
				cfg->tls_cert_file, ssl_reason());
			ok = false;
		} else if (SSL_CTX_use_PrivateKey_file(ctx, cfg->tls_key_file,
						       SSL_FILETYPE_PEM) != 1 &&
			   ERR_GET_REASON(ERR_peek_last_error()) != X509_R_KEY_VALUES_MISMATCH) {
			problem(diag, conf, cfg, "tls_key_file", "%s: no private key in it (PEM): %s",
				cfg->tls_key_file, ssl_reason());
			ok = false;
		} else if (SSL_CTX_check_private_key(ctx) != 1) {
			problem(diag, conf, cfg, "tls_key_file",
				"%s does not belong to the certificate in %s", cfg->tls_key_file,
				cfg->tls_cert_file);
			ok = false;
		}
	}
	ERR_clear_error();
	if (!ok) {
		SSL_CTX_free(ctx);
		return -EINVAL;
	}
	*out = ctx;
	return 0;
}

int
fw_tls_check(const struct fw_output_config *cfg, const char *conf, struct fw_diag *diag)
{
	SSL_CTX *ctx;
	int r;

	if (cfg->addr.kind != FW_ADDR_TLS)
		return 0;
	r = fw__tls_ctx_new(cfg, conf, diag, &ctx);
	if (ctx)
		SSL_CTX_free(ctx);
	return r;
}
