/*
 * journal_lib: opens libsystemd on first use and finds the sd-journal
 * functions the journal input and output call (see journal_lib.h).
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define FW_JOURNAL_LIB_NO_CALLS
#include "util/diag.h"
#include "util/journal_lib.h"

struct fw_journal_lib fw__journal_lib;
const char *fw__journal_lib_name = FW_JOURNAL_LIBSYSTEMD;

/* The library fw__journal_lib points into; NULL while it is not loaded. */
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
fw_journal_lib_load(char *msg, size_t size)
{
	const char *name = fw__journal_lib_name;
	struct fw_journal_lib lib;
	const char *err;
	void *h, *f;

	if (handle)
		return 0;
	/*
	 * RTLD_NOW: a libsystemd whose own imports do not all resolve (one of its own
	 * libraries lacking a function it calls) is refused here instead of killing
	 * the process at that function's first call. A missing function of ours is
	 * refused by the dlsym loop below whatever the flag.
	 */
	h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		err = dlerror();
		say(msg, size, "%s", err ? err : name);
		return -ENOENT;
	}
#define FW_JOURNAL_LIB_FIND(fn)                                             \
	f = dlsym(h, #fn);                                                  \
	if (!f) {                                                           \
		say(msg, size, "%s: no function %s", name, #fn);       \
		dlclose(h);                                                 \
		return -ENOENT;                                             \
	}                                                                   \
	memcpy(&lib.fn, &f, sizeof f);
	FW_JOURNAL_LIB_FUNCS(FW_JOURNAL_LIB_FIND)
#undef FW_JOURNAL_LIB_FIND
	fw__journal_lib = lib;
	handle = h;
	return 0;
}

int
fw_journal_lib_need(struct fw_diag *diag, const char *conf, unsigned line, const char *kind,
		    const char *name)
{
	char why[256], where[64] = "";

	if (fw_journal_lib_load(why, sizeof why) == 0)
		return 0;
	if (conf)
		snprintf(where, sizeof where, ":%u: ", line);
	fw_diag_add(diag, "%s%s[%s.%s] type: journal needs libsystemd (Debian package %s), "
		    "which cannot be loaded: %s", conf ? conf : "", where, kind, name,
		    FW_JOURNAL_LIB_PACKAGE, why);
	return -ENOENT;
}
