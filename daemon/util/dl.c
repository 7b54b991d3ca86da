/*
 * dl: a library's functions found on first use; see dl.h.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/dl.h"

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
fw_dl_open(void **handle, const char *lib, const struct fw_dl_sym *syms, size_t n, void *table,
	   const char *hint, char *msg, size_t size)
{
	const char *err;
	void *h, *f;

	if (*handle)
		return 0;
	/*
	 * RTLD_NOW: a library whose own imports do not all resolve (a libssl
	 * beside a libcrypto that lacks a function it calls) is refused here,
	 * instead of ending the process at that function's first call. A
	 * function of syms that is missing is refused below whatever the flag.
	 */
	h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		err = dlerror();
		say(msg, size, "%s", err ? err : lib);
		return -ENOENT;
	}
	/* Every function first, so that a library without one changes nothing. */
	for (size_t i = 0; i < n; i++) {
		if (!dlsym(h, syms[i].name)) {
			say(msg, size, "%s: no function %s%s", lib, syms[i].name, hint);
			dlclose(h);
			return -ENOENT;
		}
	}
	for (size_t i = 0; i < n; i++) {
		f = dlsym(h, syms[i].name);
		memcpy((char *)table + syms[i].off, &f, sizeof f);
	}
	*handle = h;
	return 0;
}
