/*
 * journal_lib: opens libsystemd on first use and finds the sd-journal
 * functions the journal input and output call (see journal_lib.h).
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define FW_JOURNAL_LIB_NO_CALLS
#include "util/diag.h"
#include "util/dl.h"
#include "util/journal_lib.h"

struct fw_journal_lib fw__journal_lib;
const char *fw__journal_lib_name = FW_JOURNAL_LIBSYSTEMD;

/* The library fw__journal_lib points into; NULL while it is not loaded. */
static void *handle;

/* The functions of FW_JOURNAL_LIB_FUNCS, where each goes in the table. */
static const struct fw_dl_sym syms[] = {
#define FW_JOURNAL_LIB_SYM(fn) { #fn, offsetof(struct fw_journal_lib, fn) },
	FW_JOURNAL_LIB_FUNCS(FW_JOURNAL_LIB_SYM)
#undef FW_JOURNAL_LIB_SYM
};

int
fw_journal_lib_load(char *msg, size_t size)
{
	return fw_dl_open(&handle, fw__journal_lib_name, syms, sizeof syms / sizeof *syms, &fw__journal_lib,
			  "", msg, size);
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
