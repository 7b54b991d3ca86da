/*
 * tls_lib: OpenSSL 3 for the tls:// transport, opened with dlopen(3) the
 * first time a tls:// output is checked or opened instead of linked.
 * Linked, libssl and libcrypto were mapped and relocated at every start
 * (5,000 of the process's 5,400 symbol relocations, and page faults on
 * their data), whether or not an output used them.
 *
 * Included by transport_tls*.c, it turns the OpenSSL calls listed here
 * into calls through the table fw_tls_lib_load() fills. A call left out of
 * the list is an undefined symbol at link time, not a wrong call at run
 * time. A test that links OpenSSL and calls it itself defines
 * FW_TLS_LIB_NO_CALLS first: it gets the table and its loading only.
 */
#ifndef FW_TLS_LIB_H
#define FW_TLS_LIB_H

#include <stddef.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

/* OpenSSL 3's libssl (configure wants openssl >= 3.0; the name holds for every 3.x). */
#define FW_TLS_LIBSSL "libssl.so.3"

#define FW_TLS_LIB_FUNCS(X) \
	X(ASN1_TIME_to_tm) X(BIO_ctrl) X(BIO_free) X(BIO_new) X(BIO_read) X(BIO_s_mem) \
	X(BIO_write) X(ERR_clear_error) X(ERR_peek_last_error) X(ERR_reason_error_string) \
	X(SSL_CTX_check_private_key) X(SSL_CTX_ctrl) X(SSL_CTX_free) \
	X(SSL_CTX_load_verify_file) X(SSL_CTX_new) X(SSL_CTX_set_default_verify_paths) \
	X(SSL_CTX_set_verify) X(SSL_CTX_use_PrivateKey_file) \
	X(SSL_CTX_use_certificate_chain_file) X(SSL_ctrl) X(SSL_do_handshake) X(SSL_free) \
	X(SSL_get0_param) X(SSL_get_error) X(SSL_get_ex_data) \
	X(SSL_get_ex_data_X509_STORE_CTX_idx) X(SSL_get_verify_result) X(SSL_new) X(SSL_read) \
	X(SSL_set1_host) X(SSL_set_bio) X(SSL_set_connect_state) X(SSL_set_ex_data) \
	X(SSL_set_msg_callback) X(SSL_set_verify) X(SSL_shutdown) X(SSL_version) X(SSL_write) \
	X(TLS_client_method) X(X509_STORE_CTX_get_current_cert) X(X509_STORE_CTX_get_error) \
	X(X509_STORE_CTX_get_ex_data) X(X509_VERIFY_PARAM_set1_ip_asc) X(X509_get0_notAfter) \
	X(X509_get0_notBefore) X(X509_verify_cert_error_string)

struct fw_tls_lib {
#define FW_TLS_LIB_MEMBER(f) __typeof__(f) *f;
	FW_TLS_LIB_FUNCS(FW_TLS_LIB_MEMBER)
#undef FW_TLS_LIB_MEMBER
};

/* Filled by the first fw_tls_lib_load() that succeeds; all NULL before. */
extern struct fw_tls_lib fw__tls_lib;

/*
 * Opens FW_TLS_LIBSSL (and the libcrypto it needs) and finds every function
 * above, once: later calls return 0 at once. 0, or -ENOENT with why in
 * msg (dlerror(3)'s text, which names the library, or the function that is
 * missing); nothing is kept open then, and a later call tries again.
 */
int fw_tls_lib_load(char *msg, size_t size);
/* The library fw_tls_lib_load() opens: FW_TLS_LIBSSL. For tests, before the first load. */
extern const char *fw__tls_lib_name;

#ifndef FW_TLS_LIB_NO_CALLS
#define ASN1_TIME_to_tm(...) fw__tls_lib.ASN1_TIME_to_tm(__VA_ARGS__)
#define BIO_ctrl(...) fw__tls_lib.BIO_ctrl(__VA_ARGS__)
#define BIO_free(...) fw__tls_lib.BIO_free(__VA_ARGS__)
#define BIO_new(...) fw__tls_lib.BIO_new(__VA_ARGS__)
#define BIO_read(...) fw__tls_lib.BIO_read(__VA_ARGS__)
#define BIO_s_mem(...) fw__tls_lib.BIO_s_mem(__VA_ARGS__)
#define BIO_write(...) fw__tls_lib.BIO_write(__VA_ARGS__)
#define ERR_clear_error(...) fw__tls_lib.ERR_clear_error(__VA_ARGS__)
#define ERR_peek_last_error(...) fw__tls_lib.ERR_peek_last_error(__VA_ARGS__)
#define ERR_reason_error_string(...) fw__tls_lib.ERR_reason_error_string(__VA_ARGS__)
#define SSL_CTX_check_private_key(...) fw__tls_lib.SSL_CTX_check_private_key(__VA_ARGS__)
#define SSL_CTX_ctrl(...) fw__tls_lib.SSL_CTX_ctrl(__VA_ARGS__)
#define SSL_CTX_free(...) fw__tls_lib.SSL_CTX_free(__VA_ARGS__)
#define SSL_CTX_load_verify_file(...) fw__tls_lib.SSL_CTX_load_verify_file(__VA_ARGS__)
#define SSL_CTX_new(...) fw__tls_lib.SSL_CTX_new(__VA_ARGS__)
#define SSL_CTX_set_default_verify_paths(...) fw__tls_lib.SSL_CTX_set_default_verify_paths(__VA_ARGS__)
#define SSL_CTX_set_verify(...) fw__tls_lib.SSL_CTX_set_verify(__VA_ARGS__)
#define SSL_CTX_use_PrivateKey_file(...) fw__tls_lib.SSL_CTX_use_PrivateKey_file(__VA_ARGS__)
#define SSL_CTX_use_certificate_chain_file(...) \
	fw__tls_lib.SSL_CTX_use_certificate_chain_file(__VA_ARGS__)
#define SSL_ctrl(...) fw__tls_lib.SSL_ctrl(__VA_ARGS__)
#define SSL_do_handshake(...) fw__tls_lib.SSL_do_handshake(__VA_ARGS__)
#define SSL_free(...) fw__tls_lib.SSL_free(__VA_ARGS__)
#define SSL_get0_param(...) fw__tls_lib.SSL_get0_param(__VA_ARGS__)
#define SSL_get_error(...) fw__tls_lib.SSL_get_error(__VA_ARGS__)
#define SSL_get_ex_data(...) fw__tls_lib.SSL_get_ex_data(__VA_ARGS__)
#define SSL_get_ex_data_X509_STORE_CTX_idx(...) \
	fw__tls_lib.SSL_get_ex_data_X509_STORE_CTX_idx(__VA_ARGS__)
#define SSL_get_verify_result(...) fw__tls_lib.SSL_get_verify_result(__VA_ARGS__)
#define SSL_new(...) fw__tls_lib.SSL_new(__VA_ARGS__)
#define SSL_read(...) fw__tls_lib.SSL_read(__VA_ARGS__)
#define SSL_set1_host(...) fw__tls_lib.SSL_set1_host(__VA_ARGS__)
#define SSL_set_bio(...) fw__tls_lib.SSL_set_bio(__VA_ARGS__)
#define SSL_set_connect_state(...) fw__tls_lib.SSL_set_connect_state(__VA_ARGS__)
#define SSL_set_ex_data(...) fw__tls_lib.SSL_set_ex_data(__VA_ARGS__)
#define SSL_set_msg_callback(...) fw__tls_lib.SSL_set_msg_callback(__VA_ARGS__)
#define SSL_set_verify(...) fw__tls_lib.SSL_set_verify(__VA_ARGS__)
#define SSL_shutdown(...) fw__tls_lib.SSL_shutdown(__VA_ARGS__)
#define SSL_version(...) fw__tls_lib.SSL_version(__VA_ARGS__)
#define SSL_write(...) fw__tls_lib.SSL_write(__VA_ARGS__)
#define TLS_client_method(...) fw__tls_lib.TLS_client_method(__VA_ARGS__)
#define X509_STORE_CTX_get_current_cert(...) fw__tls_lib.X509_STORE_CTX_get_current_cert(__VA_ARGS__)
#define X509_STORE_CTX_get_error(...) fw__tls_lib.X509_STORE_CTX_get_error(__VA_ARGS__)
#define X509_STORE_CTX_get_ex_data(...) fw__tls_lib.X509_STORE_CTX_get_ex_data(__VA_ARGS__)
#define X509_VERIFY_PARAM_set1_ip_asc(...) fw__tls_lib.X509_VERIFY_PARAM_set1_ip_asc(__VA_ARGS__)
#define X509_get0_notAfter(...) fw__tls_lib.X509_get0_notAfter(__VA_ARGS__)
#define X509_get0_notBefore(...) fw__tls_lib.X509_get0_notBefore(__VA_ARGS__)
#define X509_verify_cert_error_string(...) fw__tls_lib.X509_verify_cert_error_string(__VA_ARGS__)
#endif

#endif
