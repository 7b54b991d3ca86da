/*
 * fwconfig_parse: internal to the configuration parser (fwconfig.c,
 * fwconfig_parse.c). Not for other modules: they use fwconfig.h.
 *
 * Every reader reports its own errors as "FILE:LINE: [SECTION] KEY: message"
 * (a part that does not apply is "-") and returns -EINVAL (or NULL); the
 * caller just moves on, so that one run reports every error of a file.
 */
#ifndef FW_FWCONFIG_PARSE_H
#define FW_FWCONFIG_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/fwconfig.h"

enum section_kind { SEC_DAEMON, SEC_ALERTS, SEC_INPUT, SEC_OUTPUT };

struct entry {
	char *key;
	char *value;                /* blanks around it trimmed */
	unsigned line;
	bool used;                  /* looked up by the meaning pass */
};

struct section {
	enum section_kind kind;
	char *name;                 /* as written between the brackets */
	unsigned line;
	struct entry *entries;
	size_t n_entries;
};

struct parser {
	const char *file;
	char *dir;                  /* of the file; NULL: the working directory */
	struct fw_diag *diag;
	unsigned errors;
	bool oom;
	struct section *sections;   /* good sections, in file order */
	size_t n_sections;
};

void fw__conf_err(struct parser *p, unsigned line, const char *section, const char *key,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void fw__conf_oom(struct parser *p);

/* Pass 1: fills p->sections; -EIO on a read error (reported). */
int fw__conf_read(struct parser *p, FILE *f);
void fw__conf_free_sections(struct parser *p);

/* The entry of key in sec (marked used), or NULL. */
struct entry *fw__conf_find(struct section *sec, const char *key);
/* Reports the entries no fw__conf_find() asked for. */
void fw__conf_unknown_keys(struct parser *p, struct section *sec);

bool fw__conf_valid_name(const char *s);   /* letters, digits, '_', '-' */
void fw__strv_free(struct fw_strv *v);
int fw__strv_push(struct fw_strv *v, char *s);

/* Value readers: 0 and *out set, or -EINVAL (reported); *out untouched on error. */
char *fw__conf_word(struct parser *p, const struct section *sec, const struct entry *e);
int fw__conf_path(struct parser *p, const struct section *sec, const struct entry *e, char **out);
int fw__conf_list(struct parser *p, const struct section *sec, const struct entry *e,
		  bool paths, struct fw_strv *out);
int fw__conf_enum(struct parser *p, const struct section *sec, const struct entry *e,
		  const char *const names[], int *out);
int fw__conf_duration(struct parser *p, const struct section *sec, const struct entry *e,
		      uint64_t min, uint64_t max, uint64_t *out);
int fw__conf_size(struct parser *p, const struct section *sec, const struct entry *e,
		  size_t min, size_t max, size_t *out);
int fw__conf_count(struct parser *p, const struct section *sec, const struct entry *e,
		   uint64_t min, uint64_t max, uint64_t *out);
int fw__conf_bool(struct parser *p, const struct section *sec, const struct entry *e, bool *out);
int fw__conf_fraction(struct parser *p, const struct section *sec, const struct entry *e,
		      double *out);

#endif
