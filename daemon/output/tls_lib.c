/*
 * tls_lib: opens OpenSSL's libssl on first use and finds the functions the
 * tls:// transport calls (see tls_lib.h).
 */
#include "config.h"

#include <stddef.h>

#include "output/tls_lib.h"
#include "util/dl.h"

struct fw_tls_lib fw__tls_lib;
const char *fw__tls_lib_name = FW_TLS_LIBSSL;

/* The library fw__tls_lib points into; NULL while it is not loaded. */
static void *handle;

/* The functions of FW_TLS_LIB_FUNCS, where each goes in the table. */
static const struct fw_dl_sym syms[] = {
#define FW_TLS_LIB_SYM(fn) { #fn, offsetof(struct fw_tls_lib, fn) },
	FW_TLS_LIB_FUNCS(FW_TLS_LIB_SYM)
#undef FW_TLS_LIB_SYM
};

int
fw_tls_lib_load(char *msg, size_t size)
{
	return fw_dl_open(&handle, fw__tls_lib_name, syms, sizeof syms / sizeof *syms, &fw__tls_lib,
			  " (not OpenSSL 3?)", msg, size);
}
