/*
 * kb: loads, validates and compiles the knowledge base (design.md §3).
 *
 * Every file is parsed with json-c in strict mode with UTF-8 validation;
 * every record is checked field by field; every pattern is compiled. All
 * problems are collected before giving up, so one run of `fixwatch check`
 * names every broken record. Nothing of a failed load survives.
 *
 * Storage: all strings and small arrays live in one arena; records and
 * patterns in two arrays. The whole KB is freed at once.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "kb/kb.h"
#include "kb/kb_loader.h"
#include "util/utf8.h"

/* KB files are small; a bigger one is a mistake (or not a KB). */
#define KB_FILE_MAX (64u * 1024 * 1024)
/* Directories nested deeper than this are not searched (symlink loops). */
#define KB_DEPTH_MAX 16

void
fw__kb_error(struct kb_place *pl, const char *field, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (pl->line)
		fw_diag_add(pl->diag, "%s:%u: %s: %s: %s", pl->path, pl->line, pl->id, field, msg);
	else
		fw_diag_add(pl->diag, "%s: %s: %s: %s", pl->path, pl->id, field, msg);
	pl->errors++;
}

/* ---- files ------------------------------------------------------------- */

static int
read_file(const char *path, char **buf, size_t *len, struct fw_diag *diag)
{
	struct stat st;
	char *b;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0) {
		int e = errno;

		fw_diag_add(diag, "%s: -: -: cannot read: %s", path, strerror(e));
		if (fd >= 0)
			close(fd);
		return -e;
	}
	if (st.st_size > KB_FILE_MAX) {
		fw_diag_add(diag, "%s: -: -: too large (%lld bytes, limit %u)", path,
			    (long long)st.st_size, KB_FILE_MAX);
		close(fd);
		return -EFBIG;
	}
	b = malloc((size_t)st.st_size + 1);
	if (!b) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, b + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;

			fw_diag_add(diag, "%s: -: -: cannot read: %s", path, strerror(e));
			free(b);
			close(fd);
			return -e;
		}
		got += (size_t)n;
	}
	close(fd);
	b[got] = '\0';
	*buf = b;
	*len = got;
	return 0;
}

/*
 * Parses one JSON value from text; reports json-c's error with line:column.
 *
 * Text that is valid UTF-8 as a whole is checked once, here, and parsed
 * without json-c's byte-by-byte check in its tokener (it cannot fail
 * there); anything else goes to json-c with the check, so that the error
 * and its column are json-c's own.
 */
static json_object *
parse_json(struct kb_loader *ld, struct kb_place *pl, const char *text, size_t len, uint32_t first_line)
{
	bool valid = fw_utf8_valid(text, len);
	struct json_tokener *tok;
	json_object *obj;
	enum json_tokener_error jerr;
	size_t end;

	/* Plain JSON has a quicker way (kb_json.c); everything else is json-c's. */
	if (valid && (obj = fw__kb_json_quick_keys(text, len, &ld->keys)) != NULL)
		return obj;
	tok = json_tokener_new();
	if (!tok)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | (valid ? 0 : JSON_TOKENER_VALIDATE_UTF8));
	obj = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue) {
		/* A value without a closing character (a bare number such as "42")
		 * is complete only at the end of input, which json-c learns from a
		 * terminating NUL (json_tokener_parse_ex(3)). */
		json_object *last = json_tokener_parse_ex(tok, "", 1);

		if (json_tokener_get_error(tok) == json_tokener_success) {
			obj = last;
			jerr = json_tokener_success;
			end = len;
		}
	}
	json_tokener_free(tok);
	if (jerr == json_tokener_continue) {
		jerr = json_tokener_error_parse_eof;
		end = len;
	}
	if (jerr == json_tokener_success) {
		/* Only whitespace may follow the record. */
		size_t i = end;

		while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
			i++;
		if (i == len && !obj)
			/* json-c gives JSON null as NULL: say so rather than skip it. */
			fw__kb_error(pl, "-", "a record must be a JSON object, got null");
		if (i == len)
			return obj;
		json_object_put(obj);
		end = i;
	}
	{
		uint32_t line = first_line, col = 1;

		for (size_t i = 0; i < end && i < len; i++) {
			if (text[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		fw_diag_add(pl->diag, "%s:%u: -: -: malformed JSON at column %u: %s", pl->path, line, col,
			    jerr == json_tokener_success ? "unexpected data after the record"
							 : json_tokener_error_desc(jerr));
		pl->errors++;
	}
	return NULL;
}

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

static bool
load_file(struct kb_loader *ld, const char *path)
{
	struct kb_place pl = { .path = path, .id = "-", .diag = ld->diag };
	char *text = NULL;
	size_t len = 0;
	int rc;
	bool ok = true;

	rc = read_file(path, &text, &len, ld->diag);
	if (rc == -ENOMEM)
		return false;
	if (rc < 0) {
		ld->errors++;
		return true;
	}
	pl.path = fw_arena_strdup(&ld->kb->arena, path, strlen(path));
	if (!pl.path) {
		free(text);
		return false;
	}
	ld->kb->pub.n_files++;
	if (has_suffix(path, ".jsonl")) {
		char *line = text;
		uint32_t lineno = 1;

		while (ok && line < text + len) {
			char *nl = memchr(line, '\n', (size_t)(text + len - line));
			size_t ll = nl ? (size_t)(nl - line) : (size_t)(text + len - line);
			size_t i = 0;

			if (ll && line[ll - 1] == '\r')
				ll--;
			while (i < ll && (line[i] == ' ' || line[i] == '\t'))
				i++;
			if (i < ll) {
				json_object *rec;

				pl.line = lineno;
				pl.id = "-";
				rec = parse_json(ld, &pl, line, ll, lineno);
				if (rec) {
					ok = fw__kb_load_record(ld, &pl, rec);
					json_object_put(rec);
				}
			}
			if (!nl)
				break;
			line = nl + 1;
			lineno++;
		}
	} else {
		json_object *rec = parse_json(ld, &pl, text, len, 1);

		pl.line = 0;
		if (rec) {
			ok = fw__kb_load_record(ld, &pl, rec);
			json_object_put(rec);
		}
	}
	free(text);
	ld->errors += pl.errors;
	return ok;
}

struct path_list {
	char **v;
	size_t n, cap;
};

static int
path_list_add(struct path_list *l, const char *dir, const char *name)
{
	char *p;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **v = realloc(l->v, cap * sizeof *v);

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	if (dir ? asprintf(&p, "%s/%s", dir, name) < 0 : !(p = strdup(name)))
		return -ENOMEM;
	l->v[l->n++] = p;
	return 0;
}

static void
path_list_free(struct path_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Collects *.json and *.jsonl below dir; hidden entries are skipped. An
 * entry's type is the directory's (readdir(3) d_type) where the file
 * system gives it, which spares a stat() per file (each is fstat()ed
 * when read); a symbolic link, or a type not given, is stat()ed and
 * followed.
 */
static int
walk(const char *dir, int depth, struct path_list *out, struct fw_diag *diag, unsigned *errors)
{
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (depth > KB_DEPTH_MAX) {
		fw_diag_add(diag, "%s: -: -: directories nested deeper than %d levels", dir, KB_DEPTH_MAX);
		(*errors)++;
		return 0;
	}
	d = opendir(dir);
	if (!d) {
		fw_diag_add(diag, "%s: -: -: cannot open directory: %s", dir, strerror(errno));
		(*errors)++;
		return 0;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		char *p;
		struct stat st;

		bool json = has_suffix(e->d_name, ".json") || has_suffix(e->d_name, ".jsonl");

		if (e->d_name[0] == '.' || (e->d_type == DT_REG && !json))
			continue;
		if (asprintf(&p, "%s/%s", dir, e->d_name) < 0) {
			rc = -ENOMEM;
			break;
		}
		if (e->d_type == DT_DIR) {
			st.st_mode = S_IFDIR;
		} else if (e->d_type == DT_REG) {
			st.st_mode = S_IFREG;
		} else if (stat(p, &st) < 0) {
			fw_diag_add(diag, "%s: -: -: cannot stat: %s", p, strerror(errno));
			(*errors)++;
			free(p);
			continue;
		}
		if (S_ISDIR(st.st_mode))
			rc = walk(p, depth + 1, out, diag, errors);
		else if (S_ISREG(st.st_mode) && json)
			rc = path_list_add(out, NULL, p);
		free(p);
	}
	closedir(d);
	return rc;
}

/* ---- index, domains ---------------------------------------------------- */

static int
cmp_record_id(const void *a, const void *b, void *records)
{
	const struct fw_record *ra = (const struct fw_record *)records + *(const uint32_t *)a;
	const struct fw_record *rb = (const struct fw_record *)records + *(const uint32_t *)b;
	int c = strcmp(ra->id, rb->id);

	if (c)
		return c;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static bool
build_index(struct kb_loader *ld)
{
	struct fw_kb_private *kb = ld->kb;
	uint32_t n = kb->pub.n_records;

	kb->by_id = malloc((n ? n : 1) * sizeof *kb->by_id);
	if (!kb->by_id)
		return false;
	for (uint32_t i = 0; i < n; i++)
		kb->by_id[i] = i;
	qsort_r(kb->by_id, n, sizeof *kb->by_id, cmp_record_id, kb->records);
	return true;
}

static bool
build_domains(struct kb_loader *ld)
{
	struct fw_kb_private *kb = ld->kb;
	const char **domains = fw_arena_alloc(&kb->arena, (kb->pub.n_records + 1) * sizeof *domains);
	uint32_t nd = 0;

	if (!domains)
		return false;
	for (uint32_t i = 0; i < kb->pub.n_records; i++) {
		uint32_t j;

		for (j = 0; j < nd && strcmp(domains[j], kb->records[i].domain) != 0; j++)
			;
		if (j == nd)
			domains[nd++] = kb->records[i].domain;
	}
	qsort(domains, nd, sizeof *domains, cmp_str);
	for (uint32_t i = 0; i < kb->pub.n_records; i++)
		for (uint32_t j = 0; j < nd; j++)
			if (strcmp(domains[j], kb->records[i].domain) == 0)
				kb->records[i].domain_index = j;
	kb->pub.domains = domains;
	kb->pub.n_domains = nd;
	return true;
}

/*
 * The operators' directory: its files, sorted, after the others. A missing
 * one is fine (the default names a directory that most hosts do not have).
 */
static int
add_local(const char *path, struct path_list *files, struct fw_diag *diag, unsigned *errors)
{
	struct stat st;
	size_t first = files->n;
	int rc;

	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		fw_diag_add(diag, "%s: -: -: cannot open: %s", path, strerror(errno));
		(*errors)++;
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return path_list_add(files, NULL, path);
	rc = walk(path, 0, files, diag, errors);
	if (files->n > first)
		qsort(files->v + first, files->n - first, sizeof *files->v, cmp_str);
	return rc;
}

/* ---- public ------------------------------------------------------------ */

static void
kb_destroy(struct fw_kb_private *kb)
{
	for (uint32_t i = 0; i < kb->pub.n_patterns; i++)
		fw__kb_pattern_free(&kb->patterns[i]);
	for (uint32_t i = 0; i < kb->n_field_codes; i++)
		pcre2_code_free(kb->field_codes[i]);
	free(kb->field_codes);
	free(kb->patterns);
	free(kb->records);
	free(kb->by_id);
	free(kb->pub.jit_state);
	fw_arena_free(&kb->arena);
	free(kb);
}

int
fw_kb_load(const char *const *paths, size_t n_paths, const struct fw_kb_options *opts,
	   struct fw_kb **out, struct fw_diag *diag)
{
	struct kb_loader ld = { .opts = opts, .diag = diag };
	struct path_list files = { 0 };
	size_t n_shipped;
	int rc = 0;

	*out = NULL;
	ld.kb = calloc(1, sizeof *ld.kb);
	ld.cctx = pcre2_compile_context_create(NULL);
	if (!ld.kb || !ld.cctx) {
		rc = -ENOMEM;
		goto done;
	}
	fw_arena_init(&ld.kb->arena);
	ld.keys.arena = &ld.kb->arena;
	ld.kb->pub.priv = ld.kb;
	if (!fw__kb_jit_probe(&ld)) {
		rc = -ENOMEM;
		goto done;
	}

	for (size_t i = 0; i < n_paths && rc == 0; i++) {
		struct stat st;
		size_t first = files.n;

		if (stat(paths[i], &st) < 0) {
			fw_diag_add(diag, "%s: -: -: cannot open: %s", paths[i], strerror(errno));
			ld.errors++;
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk(paths[i], 0, &files, diag, &ld.errors);
			/* Files of one KB path in byte-wise order; paths in the order given. */
			if (files.n > first)
				qsort(files.v + first, files.n - first, sizeof *files.v, cmp_str);
		} else {
			rc = path_list_add(&files, NULL, paths[i]);
		}
	}
	n_shipped = files.n;
	if (rc == 0 && opts && opts->local)
		rc = add_local(opts->local, &files, diag, &ld.errors);
	for (size_t i = 0; i < files.n && rc == 0; i++) {
		ld.local = i >= n_shipped;
		if (!load_file(&ld, files.v[i]))
			rc = -ENOMEM;
	}
	/* Duplicates are errors of this load like any other: reported with them. */
	if (rc == 0 && !fw__kb_check_ids(&ld))
		rc = -ENOMEM;
	if (rc == 0 && ld.errors == 0 && !fw__kb_drop_replaced(&ld))
		rc = -ENOMEM;
	if (rc == 0 && ld.errors == 0 && ld.kb->pub.n_records == 0) {
		fw_diag_add(diag, "%s: -: -: the knowledge base has no records (searched %zu file%s)",
			    n_paths ? paths[0] : "(no path)", files.n, files.n == 1 ? "" : "s");
		ld.errors++;
	}
	if (rc == 0 && ld.errors == 0 &&
	    (!build_index(&ld) || !build_domains(&ld) || !fw__kb_jit_init(&ld)))
		rc = -ENOMEM;
	if (rc == 0 && ld.errors)
		rc = -EINVAL;
	if (rc == -ENOMEM)
		fw_diag_add(diag, "-: -: -: out of memory while loading the knowledge base");
done:
	path_list_free(&files);
	free(ld.seen);
	fw__kb_keys_free(&ld.keys);
	pcre2_compile_context_free(ld.cctx);
	if (rc < 0) {
		if (ld.kb)
			kb_destroy(ld.kb);
		return rc;
	}
	ld.kb->pub.records = ld.kb->records;
	ld.kb->pub.patterns = ld.kb->patterns;
	*out = &ld.kb->pub;
	return 0;
}

void
fw_kb_free(struct fw_kb *kb)
{
	if (kb)
		kb_destroy(kb->priv);
}

const struct fw_record *
fw_kb_find(const struct fw_kb *kb, const char *id)
{
	const struct fw_kb_private *p = kb->priv;
	uint32_t lo = 0, hi = kb->n_records;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct fw_record *r = &kb->records[p->by_id[mid]];
		int c = strcmp(id, r->id);

		if (c == 0)
			return r;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

size_t
fw_kb_mask_words(const struct fw_kb *kb)
{
	return (kb->n_records + 63) / 64;
}

int
fw_kb_domain_mask(const struct fw_kb *kb, const char *const *domains, size_t n, uint64_t *mask,
		  struct fw_diag *diag)
{
	int rc = 0;

	memset(mask, 0, fw_kb_mask_words(kb) * sizeof *mask);
	for (size_t d = 0; d < n; d++) {
		bool found = false;

		for (uint32_t i = 0; i < kb->n_records; i++) {
			if (strcmp(kb->records[i].domain, domains[d]) == 0) {
				mask[i / 64] |= UINT64_C(1) << (i % 64);
				found = true;
			}
		}
		if (!found) {
			if (diag)
				fw_diag_add(diag, "domain \"%s\" has no record in the knowledge base", domains[d]);
			rc = -ENOENT;
		}
	}
	return rc;
}

const char *
fw_workaround_text(const struct fw_workaround *w, bool zh)
{
	if (zh && w->action_zh)
		return w->action_zh;
	return w->action ? w->action : w->how;
}

const char *
fw_dead_end_text(const struct fw_dead_end *d)
{
	return d->action ? d->action : d->why_fails;
}
