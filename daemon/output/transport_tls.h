/*
 * transport_tls: syslog over TLS (RFC 5425), tls://HOST[:PORT], with
 * OpenSSL 3. See transport.h for the contract and transport_tls.c for what
 * is verified.
 */
#ifndef FW_TRANSPORT_TLS_H
#define FW_TRANSPORT_TLS_H

#include "core/fwconfig.h"
#include "output/transport.h"
#include "util/diag.h"

/* How long a connection may take from the TCP connect to a checked peer. */
#define FW_TLS_HANDSHAKE_MS 10000u
/*
 * TLS 1.3 with a client certificate: how long a collector that says
 * nothing after the handshake is given to refuse it (transport_tls.c).
 */
#define FW_TLS_ACCEPT_MS 1000u
/*
 * After the collector's close_notify: how long its TCP end (a FIN, or a
 * reset) is waited for before the break is reported as not trusted.
 */
#define FW_TLS_CLOSE_MS 1000u

/*
 * Whether cfg's TLS settings can be used, exactly as start-up uses them:
 * tls_ca_file readable and holding a certificate (or the system's trusted
 * CAs loadable), tls_cert_file and tls_key_file readable and the key
 * belonging to the certificate. 0, or -EINVAL with one message per problem
 * in diag ("CONF:-: [output.NAME] KEY: message"; conf NULL leaves out the
 * "CONF:-: "), or -ENOMEM. Nothing to check (0) for other addresses.
 */
int fw_tls_check(const struct fw_output_config *cfg, const char *conf, struct fw_diag *diag);

/*
 * A transport for cfg's tls:// address (cfg outlives it). 0; -EINVAL when
 * fw_tls_check() finds a problem (reported in diag); -ENOMEM. The caller
 * sets data and the callbacks, and frees it with fw_transport_free().
 */
int fw_transport_tls_new(uv_loop_t *loop, const struct fw_output_config *cfg,
			 struct fw_diag *diag, struct fw_transport **out);

/*
 * Whether the current connection of t (a transport of
 * fw_transport_tls_new()) has read the collector's close_notify; false
 * with no connection. For tests: nothing in the daemon asks.
 */
bool fw__tls_close_notify_seen(const struct fw_transport *t);

/* Internal to transport_tls*.c: the client context fw_tls_check() checks. */
struct ssl_ctx_st;
int fw__tls_ctx_new(const struct fw_output_config *cfg, const char *conf, struct fw_diag *diag,
		    struct ssl_ctx_st **out);

#endif
