/*
 * journal_lib: libsystemd's sd-journal for the journal input and the
 * journal output, opened with dlopen(3) by the first of them to be built
 * (fixwatchd -t, start-up, reload) instead of linked. Linked, libsystemd
 * and what Debian 12 builds it with (libgcrypt, libgpg-error, liblz4,
 * liblzma, libzstd, libcap) were mapped and relocated at every start,
 * whether or not the configuration had a journal in it.
 *
 * Included by input_journal.c and output_journal.c, it turns the calls
 * listed here into calls through the table fw_journal_lib_load() fills. A
 * call left out of the list is an undefined symbol at link time, not a
 * wrong call at run time. A test that links libsystemd and calls it itself
 * defines FW_JOURNAL_LIB_NO_CALLS first: it gets the table and its loading.
 *
 * The service manager's notifications do not need this: util/notify.h.
 */
#ifndef FW_JOURNAL_LIB_H
#define FW_JOURNAL_LIB_H

#include <stddef.h>

#include <systemd/sd-journal.h>

/* libsystemd's soname since systemd 209; Debian's package is libsystemd0. */
#define FW_JOURNAL_LIBSYSTEMD "libsystemd.so.0"
#define FW_JOURNAL_LIB_PACKAGE "libsystemd0"

#define FW_JOURNAL_LIB_FUNCS(X) \
	X(sd_journal_add_disjunction) X(sd_journal_add_match) X(sd_journal_close) \
	X(sd_journal_get_cursor) X(sd_journal_get_data) X(sd_journal_get_events) \
	X(sd_journal_get_fd) X(sd_journal_get_timeout) X(sd_journal_next) X(sd_journal_open) \
	X(sd_journal_open_directory) X(sd_journal_previous) X(sd_journal_process) \
	X(sd_journal_seek_cursor) X(sd_journal_seek_head) X(sd_journal_seek_tail) \
	X(sd_journal_sendv_with_location) X(sd_journal_set_data_threshold) X(sd_journal_test_cursor)

struct fw_journal_lib {
#define FW_JOURNAL_LIB_MEMBER(f) __typeof__(f) *f;
	FW_JOURNAL_LIB_FUNCS(FW_JOURNAL_LIB_MEMBER)
#undef FW_JOURNAL_LIB_MEMBER
};

/* Filled by the first fw_journal_lib_load() that succeeds; all NULL before. */
extern struct fw_journal_lib fw__journal_lib;

/*
 * Opens FW_JOURNAL_LIBSYSTEMD and finds every function above, once: later
 * calls return 0 at once. 0, or -ENOENT with why in msg (dlerror(3)'s
 * text, which names the library, or the function that is missing); nothing
 * is kept open then, and a later call tries again.
 */
int fw_journal_lib_load(char *msg, size_t size);
/*
 * fw_journal_lib_load() for the journal input or output `kind`.`name`
 * ("input", "system"); when it fails, one message in diag that names the
 * section, the library and Debian's package, prefixed "conf:line: " when
 * conf is not NULL. 0 or -ENOENT.
 */
struct fw_diag;
int fw_journal_lib_need(struct fw_diag *diag, const char *conf, unsigned line, const char *kind,
			const char *name);
/* The library fw_journal_lib_load() opens. For tests, before the first load. */
extern const char *fw__journal_lib_name;

#ifndef FW_JOURNAL_LIB_NO_CALLS
#define sd_journal_add_disjunction(...) fw__journal_lib.sd_journal_add_disjunction(__VA_ARGS__)
#define sd_journal_add_match(...) fw__journal_lib.sd_journal_add_match(__VA_ARGS__)
#define sd_journal_close(...) fw__journal_lib.sd_journal_close(__VA_ARGS__)
#define sd_journal_get_cursor(...) fw__journal_lib.sd_journal_get_cursor(__VA_ARGS__)
#define sd_journal_get_data(...) fw__journal_lib.sd_journal_get_data(__VA_ARGS__)
#define sd_journal_get_events(...) fw__journal_lib.sd_journal_get_events(__VA_ARGS__)
#define sd_journal_get_fd(...) fw__journal_lib.sd_journal_get_fd(__VA_ARGS__)
#define sd_journal_get_timeout(...) fw__journal_lib.sd_journal_get_timeout(__VA_ARGS__)
#define sd_journal_next(...) fw__journal_lib.sd_journal_next(__VA_ARGS__)
#define sd_journal_open(...) fw__journal_lib.sd_journal_open(__VA_ARGS__)
#define sd_journal_open_directory(...) fw__journal_lib.sd_journal_open_directory(__VA_ARGS__)
#define sd_journal_previous(...) fw__journal_lib.sd_journal_previous(__VA_ARGS__)
#define sd_journal_process(...) fw__journal_lib.sd_journal_process(__VA_ARGS__)
#define sd_journal_seek_cursor(...) fw__journal_lib.sd_journal_seek_cursor(__VA_ARGS__)
#define sd_journal_seek_head(...) fw__journal_lib.sd_journal_seek_head(__VA_ARGS__)
#define sd_journal_seek_tail(...) fw__journal_lib.sd_journal_seek_tail(__VA_ARGS__)
/* sd-journal.h's sd_journal_sendv() is a macro that adds CODE_FILE, CODE_LINE and CODE_FUNC. */
#define sd_journal_sendv_with_location(...) \
	fw__journal_lib.sd_journal_sendv_with_location(__VA_ARGS__)
#define sd_journal_set_data_threshold(...) fw__journal_lib.sd_journal_set_data_threshold(__VA_ARGS__)
#define sd_journal_test_cursor(...) fw__journal_lib.sd_journal_test_cursor(__VA_ARGS__)
#endif

#endif
