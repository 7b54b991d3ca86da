/*
 * tls_lib: opens OpenSSL's libssl on first use and finds the functions the
 * tls:// transport calls (see tls_lib.h).
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "output/tls_lib.h"

struct fw_tls_lib fw__tls_lib;
const char *fw__tls_lib_name = FW_TLS_LIBSSL;

/* The library fw__tls_lib points into; NULL while it is not loaded. */
static void *handle;

int
fw_tls_lib_load(char *msg, size_t size)
{
	const char *name = fw__tls_lib_name;
	struct fw_tls_lib lib;
	const char *err;
	void *h, *f;

	if (handle)
		return 0;
	/* RTLD_NOW: a libssl without one of the functions is refused here, not at a call. */
	h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		err = dlerror();
		snprintf(msg, size, "%s", err ? err : name);
		return -ENOENT;
	}
#define FW_TLS_LIB_FIND(fn)                                                           \
	f = dlsym(h, #fn);                                                            \
	if (!f) {                                                                     \
		snprintf(msg, size, "%s: no function %s (not OpenSSL 3?)", name, #fn); \
		dlclose(h);                                                           \
		return -ENOENT;                                                       \
	}                                                                             \
	memcpy(&lib.fn, &f, sizeof f);
	FW_TLS_LIB_FUNCS(FW_TLS_LIB_FIND)
#undef FW_TLS_LIB_FIND
	fw__tls_lib = lib;
	handle = h;
	return 0;
}
