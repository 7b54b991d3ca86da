/*
 * dl: a library opened with dlopen(3) on first use, and the functions a
 * caller needs from it written into the caller's table of function
 * pointers (output/tls_lib.h, util/journal_lib.h). Such a library is not
 * linked, so a process that never needs it does not map and relocate it.
 */
#ifndef FW_DL_H
#define FW_DL_H

#include <stddef.h>

/* A function the library must have: its name, and its pointer's offset in the table. */
struct fw_dl_sym {
	const char *name;
	size_t off;
};

/*
 * Opens `lib` and finds every function of syms[0..n) in it, once: when
 * *handle is set, 0 at once. Then each address goes into table at its
 * offset, and *handle holds the library. 0, or -ENOENT with why in msg
 * (dlerror(3)'s text, which names the library, or "LIB: no function
 * NAME" and `hint`; a reason cut at msg's end ends in "..."); the table
 * and *handle are left as they were, and nothing stays open.
 */
int fw_dl_open(void **handle, const char *lib, const struct fw_dl_sym *syms, size_t n, void *table,
	       const char *hint, char *msg, size_t size);

#endif
