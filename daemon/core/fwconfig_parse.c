/*
 * fwconfig_parse: the syntax pass of the configuration parser and the value
 * readers the meaning pass (fwconfig.c) uses. Internal to fwconfig.
 *
 * Why our own parser and not libinih: Debian 12's libinih is built without
 * INI_HANDLER_LINENO (the handler never learns the line of a key), limits
 * lines to 200 bytes (INI_MAX_LINE; long glob lists exceed that) and accepts
 * inline ';' comments and multi-line values, all fixed at its build time.
 * Every error here must name file,
 * line, section and key, and every error of a file is reported (not just the
 * first), so parsing is two small passes of our own:
 *
 *   1. syntax (here): lines into sections of (key, value, line) entries;
 *      bad lines, unknown or duplicate sections and duplicate keys;
 *   2. meaning (fwconfig.c): each section's keys are checked against its
 *      section and the type it declares (keys may come in any order),
 *      values are parsed, defaults filled, and cross-checks run.
 *
 * Syntax (documented in conf/fixwatch.conf):
 *   - '#' or ';' starts a comment only at the start of a line (after blanks):
 *     values may contain '#' and ';' (paths, globs), so there are no inline
 *     comments;
 *   - "[daemon]", "[alerts]", "[input.NAME]", "[output.NAME]", NAME of
 *     letters, digits, '_' and '-';
 *   - "key = value"; a value is one or more words separated by blanks. A word
 *     may be double-quoted to hold blanks; inside quotes \" and \\ escape.
 *     Keys that take one value reject several words.
 *   - relative paths (kb, state_dir, control_socket, metrics_file, path,
 *     directory, a file output's address) are taken relative to the directory
 *     of the configuration file, so that a configuration means the same thing
 *     whatever the daemon's working directory is.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fwconfig_parse.h"

void
fw__conf_err(struct parser *p, unsigned line, const char *section, const char *key,
	     const char *fmt, ...)
{
	char lbuf[16], *msg = NULL;
	va_list ap;

	p->errors++;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (line)
		snprintf(lbuf, sizeof lbuf, "%u", line);
	else
		strcpy(lbuf, "-");
	fw_diag_add(p->diag, "%s:%s: [%s] %s: %s", p->file, lbuf, section ? section : "-",
		    key ? key : "-", msg ? msg : "out of memory");
	free(msg);
}

void
fw__conf_oom(struct parser *p)
{
	if (!p->oom)
		fw__conf_err(p, 0, NULL, NULL, "out of memory");
	p->oom = true;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	*e = '\0';
	return s;
}

bool
fw__conf_valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

static bool
valid_key(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
			return false;
	return true;
}

/* Opens a section; NULL when its header is bad (reported), its keys are then skipped. */
static struct section *
open_section(struct parser *p, char *name, unsigned line)
{
	enum section_kind kind;
	struct section *s;

	if (strcmp(name, "daemon") == 0) {
		kind = SEC_DAEMON;
	} else if (strcmp(name, "alerts") == 0) {
		kind = SEC_ALERTS;
	} else if (strncmp(name, "input.", 6) == 0 || strncmp(name, "output.", 7) == 0) {
		kind = name[0] == 'i' ? SEC_INPUT : SEC_OUTPUT;
		if (!fw__conf_valid_name(strchr(name, '.') + 1)) {
			fw__conf_err(p, line, name, NULL,
				     "bad section name: NAME takes letters, digits, '_' and '-'");
			return NULL;
		}
	} else {
		fw__conf_err(p, line, name, NULL,
			     "unknown section (expected daemon, alerts, input.NAME or output.NAME)");
		return NULL;
	}
	for (size_t i = 0; i < p->n_sections; i++) {
		if (strcmp(p->sections[i].name, name) == 0) {
			fw__conf_err(p, line, name, NULL, "duplicate section (first at line %u)",
				     p->sections[i].line);
			return NULL;
		}
	}
	s = realloc(p->sections, (p->n_sections + 1) * sizeof *s);
	if (!s) {
		fw__conf_oom(p);
		return NULL;
	}
	p->sections = s;
	s = &p->sections[p->n_sections];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->line = line;
	s->name = strdup(name);
	if (!s->name) {
		fw__conf_oom(p);
		return NULL;
	}
	p->n_sections++;
	return s;
}

static void
add_entry(struct parser *p, struct section *s, char *key, char *value, unsigned line)
{
	struct entry *e;

	for (size_t i = 0; i < s->n_entries; i++) {
		if (strcmp(s->entries[i].key, key) == 0) {
			fw__conf_err(p, line, s->name, key, "duplicate key (first at line %u)",
				     s->entries[i].line);
			return;
		}
	}
	e = realloc(s->entries, (s->n_entries + 1) * sizeof *e);
	if (!e) {
		fw__conf_oom(p);
		return;
	}
	s->entries = e;
	e = &s->entries[s->n_entries];
	e->key = strdup(key);
	e->value = strdup(value);
	e->line = line;
	e->used = false;
	if (!e->key || !e->value) {
		free(e->key);
		free(e->value);
		fw__conf_oom(p);
		return;
	}
	s->n_entries++;
}

int
fw__conf_read(struct parser *p, FILE *f)
{
	struct section *cur = NULL;
	bool skipping = false;      /* inside a bad section: its keys are not reported */
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned line = 0;

	while ((len = getline(&buf, &cap, f)) >= 0) {
		char *s, *eq;

		line++;
		if (strlen(buf) != (size_t)len) {
			fw__conf_err(p, line, cur ? cur->name : NULL, NULL, "NUL byte in line");
			continue;
		}
		s = buf;
		/* Some editors start a UTF-8 file with a byte order mark. */
		if (line == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
			s += 3;
		s = trim(s);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *end = s + strlen(s) - 1;
			if (*end != ']') {
				fw__conf_err(p, line, NULL, NULL, "section header without closing ']'");
				cur = NULL;
				skipping = true;
				continue;
			}
			*end = '\0';
			cur = open_section(p, s + 1, line);
			skipping = cur == NULL;
			continue;
		}
		eq = strchr(s, '=');
		if (!eq) {
			fw__conf_err(p, line, cur ? cur->name : NULL, NULL, "expected 'key = value'");
			continue;
		}
		*eq = '\0';
		s = trim(s);
		if (!valid_key(s)) {
			fw__conf_err(p, line, cur ? cur->name : NULL, NULL,
				     "bad key name '%s' (keys are lower case letters and '_')", s);
			continue;
		}
		if (!cur) {
			if (!skipping)
				fw__conf_err(p, line, NULL, s, "key outside any section");
			continue;
		}
		add_entry(p, cur, s, trim(eq + 1), line);
	}
	free(buf);
	if (ferror(f)) {
		fw__conf_err(p, line, NULL, NULL, "read error: %s", strerror(errno));
		return -EIO;
	}
	return 0;
}

/* ---- values ---------------------------------------------------------------- */

void
fw__strv_free(struct fw_strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

int
fw__strv_push(struct fw_strv *v, char *s)
{
	char **n = realloc(v->v, (v->n + 1) * sizeof *n);

	if (!n)
		return -ENOMEM;
	v->v = n;
	v->v[v->n++] = s;
	return 0;
}

/* Splits a value into words (see the file header); reports its own errors. */
static int
split_words(struct parser *p, const struct section *sec, const struct entry *e,
	    struct fw_strv *out)
{
	const char *s = e->value;

	out->v = NULL;
	out->n = 0;
	while (*s) {
		char *w, *o;

		if (*s == ' ' || *s == '\t') {
			s++;
			continue;
		}
		w = o = malloc(strlen(s) + 1);
		if (!w)
			goto nomem;
		if (*s == '"') {
			for (s++; *s && *s != '"'; s++) {
				if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				*o++ = *s;
			}
			if (*s != '"') {
				free(w);
				fw__conf_err(p, e->line, sec->name, e->key, "unterminated quote");
				goto fail;
			}
			s++;
			if (*s && *s != ' ' && *s != '\t') {
				free(w);
				fw__conf_err(p, e->line, sec->name, e->key,
					     "a closing quote must end the word");
				goto fail;
			}
		} else {
			while (*s && *s != ' ' && *s != '\t') {
				if (*s == '"') {
					free(w);
					fw__conf_err(p, e->line, sec->name, e->key,
						     "a quote may only start a word");
					goto fail;
				}
				*o++ = *s++;
			}
		}
		*o = '\0';
		if (fw__strv_push(out, w) < 0) {
			free(w);
			goto nomem;
		}
	}
	return 0;
nomem:
	fw__conf_oom(p);
fail:
	fw__strv_free(out);
	return -EINVAL;
}

/* The one word of a single-valued key, or NULL (reported). */
char *
fw__conf_word(struct parser *p, const struct section *sec, const struct entry *e)
{
	struct fw_strv w;
	char *s;

	if (split_words(p, sec, e, &w) < 0)
		return NULL;
	if (w.n != 1 || w.v[0][0] == '\0') {
		fw__conf_err(p, e->line, sec->name, e->key,
			     w.n > 1 ? "expected one value, got %zu (quote a value with blanks)"
				     : "missing value", w.n);
		fw__strv_free(&w);
		return NULL;
	}
	s = w.v[0];
	free(w.v);
	return s;
}

/* Takes ownership of path; returns it joined to the configuration's directory. */
static char *
resolve(struct parser *p, char *path)
{
	char *r;
	size_t dl;

	if (!path || path[0] == '/' || !p->dir)
		return path;
	dl = strlen(p->dir);
	if (asprintf(&r, "%s%s%s", p->dir, dl && p->dir[dl - 1] == '/' ? "" : "/", path) < 0) {
		fw__conf_oom(p);
		r = NULL;
	}
	free(path);
	return r;
}

int
fw__conf_path(struct parser *p, const struct section *sec, const struct entry *e, char **out)
{
	char *s = resolve(p, fw__conf_word(p, sec, e));

	if (!s)
		return -EINVAL;
	free(*out);
	*out = s;
	return 0;
}

int
fw__conf_list(struct parser *p, const struct section *sec, const struct entry *e, bool paths,
	 struct fw_strv *out)
{
	struct fw_strv w;

	if (split_words(p, sec, e, &w) < 0)
		return -EINVAL;
	if (w.n == 0) {
		fw__conf_err(p, e->line, sec->name, e->key, "missing value");
		return -EINVAL;
	}
	for (size_t i = 0; i < w.n; i++) {
		if (w.v[i][0] == '\0') {
			fw__conf_err(p, e->line, sec->name, e->key, "empty word in list");
			fw__strv_free(&w);
			return -EINVAL;
		}
		if (paths && !(w.v[i] = resolve(p, w.v[i]))) {
			fw__strv_free(&w);
			return -EINVAL;
		}
	}
	fw__strv_free(out);
	*out = w;
	return 0;
}

int
fw__conf_enum(struct parser *p, const struct section *sec, const struct entry *e,
	 const char *const names[], int *out)
{
	char *s = fw__conf_word(p, sec, e), expected[256] = "";
	size_t i;

	if (!s)
		return -EINVAL;
	for (i = 0; names[i]; i++) {
		if (strcmp(s, names[i]) == 0) {
			free(s);
			*out = (int)i;
			return 0;
		}
	}
	for (i = 0; names[i]; i++) {
		strncat(expected, i ? ", " : "", sizeof expected - strlen(expected) - 1);
		strncat(expected, names[i], sizeof expected - strlen(expected) - 1);
	}
	fw__conf_err(p, e->line, sec->name, e->key, "expected one of %s, got '%s'", expected, s);
	free(s);
	return -EINVAL;
}

int
fw__conf_duration(struct parser *p, const struct section *sec, const struct entry *e, uint64_t min,
		  uint64_t max, uint64_t *out)
{
	char *s = fw__conf_word(p, sec, e);
	uint64_t v;
	int r = 0;

	if (!s)
		return -EINVAL;
	if (fw_parse_duration_ms(s, &v) < 0) {
		fw__conf_err(p, e->line, sec->name, e->key,
			     "bad duration '%s' (a whole number with ms, s, m, h or d, e.g. 250ms, 5s)", s);
		r = -EINVAL;
	} else if (v < min || v > max) {
		char lo[32], hi[32];

		fw_format_duration(min, lo, sizeof lo);
		fw_format_duration(max, hi, sizeof hi);
		fw__conf_err(p, e->line, sec->name, e->key, "must be from %s to %s, got '%s'", lo, hi, s);
		r = -EINVAL;
	} else {
		*out = v;
	}
	free(s);
	return r;
}

int
fw__conf_size(struct parser *p, const struct section *sec, const struct entry *e, size_t min,
	 size_t max, size_t *out)
{
	char *s = fw__conf_word(p, sec, e);
	size_t v;
	int r = 0;

	if (!s)
		return -EINVAL;
	if (fw_parse_size(s, &v) < 0) {
		fw__conf_err(p, e->line, sec->name, e->key,
			     "bad size '%s' (a whole number of bytes, optionally k, M or G, e.g. 64k)", s);
		r = -EINVAL;
	} else if (v < min || v > max) {
		fw__conf_err(p, e->line, sec->name, e->key, "must be from %zu to %zu bytes, got '%s'",
			     min, max, s);
		r = -EINVAL;
	} else {
		*out = v;
	}
	free(s);
	return r;
}

int
fw__conf_count(struct parser *p, const struct section *sec, const struct entry *e, uint64_t min,
	  uint64_t max, uint64_t *out)
{
	char *s = fw__conf_word(p, sec, e), *end;
	uint64_t v = 0;
	int r = 0;

	if (!s)
		return -EINVAL;
	errno = 0;
	if (s[0] < '0' || s[0] > '9' || (v = strtoull(s, &end, 10), errno) || *end ||
	    v < min || v > max) {
		fw__conf_err(p, e->line, sec->name, e->key,
			     "expected a whole number from %" PRIu64 " to %" PRIu64 ", got '%s'", min, max, s);
		r = -EINVAL;
	} else {
		*out = v;
	}
	free(s);
	return r;
}

int
fw__conf_bool(struct parser *p, const struct section *sec, const struct entry *e, bool *out)
{
	static const char *const names[] = { "no", "yes", "false", "true", "off", "on", NULL };
	int v;

	if (fw__conf_enum(p, sec, e, names, &v) < 0)
		return -EINVAL;
	*out = v & 1;
	return 0;
}

/* A fraction from 0 to 1 written as digits with an optional decimal point. */
int
fw__conf_fraction(struct parser *p, const struct section *sec, const struct entry *e, double *out)
{
	char *s = fw__conf_word(p, sec, e), *end;
	size_t digits;
	double v = 0;
	int r = 0;

	if (!s)
		return -EINVAL;
	digits = strspn(s, "0123456789");
	if (s[digits] == '.')
		digits += 1 + strspn(s + digits + 1, "0123456789");
	if (digits == 0 || s[digits] || strcmp(s, ".") == 0 ||
	    (v = strtod(s, &end), *end) || v < 0 || v > 1) {
		fw__conf_err(p, e->line, sec->name, e->key, "expected a number from 0 to 1, got '%s'", s);
		r = -EINVAL;
	} else {
		*out = v;
	}
	free(s);
	return r;
}

/* ---- pass 2: meaning --------------------------------------------------------- */

struct entry *
fw__conf_find(struct section *sec, const char *key)
{
	for (size_t i = 0; i < sec->n_entries; i++) {
		if (strcmp(sec->entries[i].key, key) == 0) {
			sec->entries[i].used = true;
			return &sec->entries[i];
		}
	}
	return NULL;
}

/* Every handler looks up each key its section knows: what is left is unknown. */
void
fw__conf_unknown_keys(struct parser *p, struct section *sec)
{
	for (size_t i = 0; i < sec->n_entries; i++)
		if (!sec->entries[i].used)
			fw__conf_err(p, sec->entries[i].line, sec->name, sec->entries[i].key,
				     "unknown key");
}

void
fw__conf_free_sections(struct parser *p)
{
	for (size_t i = 0; i < p->n_sections; i++) {
		struct section *s = &p->sections[i];
		for (size_t j = 0; j < s->n_entries; j++) {
			free(s->entries[j].key);
			free(s->entries[j].value);
		}
		free(s->entries);
		free(s->name);
	}
	free(p->sections);
	free(p->dir);
}
