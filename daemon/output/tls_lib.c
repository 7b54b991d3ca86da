/*
 * tls_lib: opens OpenSSL's libssl on first use and finds the functions the
 * tls:// transport calls (see tls_lib.h).
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "output/tls_lib.h"

struct fw_tls_lib fw__tls_lib;
const char *fw__tls_lib_name = FW_TLS_LIBSSL;

/* The library fw__tls_lib points into; NULL while it is not loaded. */
static void *handle;

/* Writes the reason into msg; a reason cut at msg's end ends in "..." to say so. */
static void __attribute__((format(printf, 3, 4)))
say(char *msg, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (size == 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, size, fmt, ap);
	va_end(ap);
	if (n < 0)
		msg[0] = '\0';
	else if ((size_t)n >= size && size > 3)
		memcpy(msg + size - 4, "...", 4);
}

int
fw_tls_lib_load(char *msg, size_t size)
{
	const char *name = fw__tls_lib_name;
	struct fw_tls_lib lib;
	const char *err;
	void *h, *f;

	if (handle)
		return 0;
	/*
	 * RTLD_NOW: a libssl whose own imports do not all resolve (a libcrypto beside
	 * it that lacks a function it calls) is refused here instead of killing the
	 * process at that function's first call. A missing function of ours is refused
	 * by the dlsym loop below whatever the flag.
	 */
	h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		err = dlerror();
		say(msg, size, "%s", err ? err : name);
		return -ENOENT;
	}
#define FW_TLS_LIB_FIND(fn)                                                           \
	f = dlsym(h, #fn);                                                            \
	if (!f) {                                                                     \
		say(msg, size, "%s: no function %s (not OpenSSL 3?)", name, #fn); \
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
