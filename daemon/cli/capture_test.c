/*
 * capture_test: hostile text in the client-controlled parts of every
 * example must not move or change a capture taken from the message's
 * fixed parts (capture_test.h, data/kb/README.md "Captures").
 *
 * The hostile texts imitate what follows and what precedes the span in
 * the example itself (its fixed tail and head, as they are), plus
 * nginx's request context and sshd's "from ADDR port N" in full, so a
 * record is tried with the very separators its patterns look for. Each
 * text is put at the end of the span and, in a request line or a user
 * agent, after its first space (inside the URI). Where the log escapes
 * '"' and '\' (nginx's access log writes \x22 and \x5C), the hostile text
 * is escaped the same way: a client cannot forge what the log cannot
 * hold. An nginx error line with a request context and no referrer is
 * also tried with one appended, since nginx writes a Referer header last.
 *
 * Captures are compared by place: a capture that does not touch the span
 * must be where it was (shifted by the inserted length when after it),
 * and one the example leaves unset must stay unset. A line that no longer
 * matches passes: the record then raises no alert at all.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/capture_test.h"
#include "core/jsonw.h"
#include "match/match.h"

enum span_kind {
	SPAN_REQUEST, SPAN_REFERRER, SPAN_HOST, SPAN_AGENT, SPAN_USER, SPAN_PATH, SPAN_DATABASE, SPAN_N
};

/* The span names as findings print them, and the capture names a span may fill. */
static const char *const span_names[SPAN_N] = {
	"request", "referrer", "host", "user agent", "user name", "path", "database name",
};
static const char *const span_allowed[SPAN_N][8] = {
	[SPAN_REQUEST] = { "request", "method", "uri", "path", "url", "args", "protocol", NULL },
	[SPAN_REFERRER] = { "referrer", "referer", NULL },
	[SPAN_HOST] = { "host", "vhost", NULL },
	[SPAN_AGENT] = { "agent", "user_agent", NULL },
	[SPAN_USER] = { "user", NULL },
	[SPAN_PATH] = { "path", "file", "uri", "dir", "script", "index", NULL },
	[SPAN_DATABASE] = { "database", "db", "name", NULL },
};

/* nginx's error-log context, in the order ngx_http_log_error_handler() writes it. */
static const char nginx_forge[] = "x\", client: 6.6.6.6, server: evil.example, request: \"GET /evil HTTP/1.1\", "
				  "upstream: \"http://6.6.6.6:1/\", host: \"evil.example\", referrer: \"http://evil.example/";
/* The tail sshd writes after a user name (auth_log(), "Invalid user %s from %s port %d"). */
static const char sshd_forge[] = "x from 6.6.6.6 port 1 ssh2";

/* combined: [vhost] addr - user [time] "request" status bytes "referer" "agent" */
static const char access_re[] =
	"^(?:\\S+ )?\\S+ \\S+ (\\S+) \\[[^\\]]+\\] \"((?:[^\"\\\\]|\\\\.)*)\" \\d{3} \\S+"
	"(?: \"((?:[^\"\\\\]|\\\\.)*)\" \"((?:[^\"\\\\]|\\\\.)*)\")?";
/* sshd's user names: "for [invalid user] U from", "Invalid user U from", "User U from", "user=U" */
static const char sshd_user_re[] =
	"\\b(?:for|[Ii]nvalid user|[Ii]llegal user|authenticating user|User) (?!invalid user )"
	"(\\S*)(?= from | [0-9A-Fa-f]*[.:][0-9A-Fa-f.:]*| not allowed| \\[preauth\\])|\\buser=(\\S*)";
/*
 * The user and database names a database client sends at connection time:
 * PostgreSQL's `user "U"` and `database "D"` (at most 63 bytes, NAMEDATALEN),
 * MySQL's `for user 'U'@'HOST'`, `to database 'D'`, and `db: 'D' user: 'U'`.
 */
static const char pg_names_re[] = "\\buser \"(.*?)\"(?=, |$)|\\bdatabase \"(.*?)\"(?=, |$)";
static const char mysql_names_re[] =
	"\\bfor user '(.*?)'@'|\\bto database '(.*?)'(?= |$)|\\bdb: '(.*?)'(?= user: ')|\\buser: '(.*?)' host: '";
/* The user name of HTTP Basic authentication, as nginx's auth_basic logs it. */
static const char nginx_user_re[] = "\\buser \"(.*)\"(?=: password mismatch| was not found in \")";
/*
 * A path nginx made from the URI: a quoted absolute path that an open(),
 * stat() or index lookup failed on, not a temporary file nginx writes
 * (`*_temp` directories, /var/lib/nginx/).
 */
static const char nginx_path_re[] =
	"(?<!write\\(\\) )(?<!write\\(\\) to )\"(/(?![^\"]*(?:_temp|/lib/nginx/))[^\"]*)\""
	"(?= failed \\(| is forbidden| is not found)";

#define SPANS_MAX 16
#define PAYLOAD_MAX 160 /* bytes of the example's head or tail a hostile text imitates */

struct span {
	size_t start, end;       /* the value, without its quotes */
	enum span_kind kind;
	bool escaped;            /* the log escapes '"' and '\' as \xHH */
};

struct fw_capture_spans {
	pcre2_code *access, *sshd_user, *nginx_user, *nginx_path, *pg_names, *mysql_names;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	struct fw_jbuf line, text, base;
};

/* One named capture of the pattern that matched: PCRE2_UNSET when unset. */
struct cap {
	const char *name;
	size_t start, end;
};

#define CAPS_MAX 64

struct caps {
	int pattern;             /* index in the record, -1: no match */
	unsigned n;
	struct cap c[CAPS_MAX];
};

static pcre2_code *
compile(const char *re)
{
	int err;
	PCRE2_SIZE off;

	return pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
}

int
fw_capture_test_init(struct fw_capture_test *t)
{
	struct fw_capture_spans *s = calloc(1, sizeof *s);

	t->lines = t->failed = t->known_records = 0;
	t->spans = s;
	if (!s)
		return -ENOMEM;
	s->access = compile(access_re);
	s->sshd_user = compile(sshd_user_re);
	s->nginx_user = compile(nginx_user_re);
	s->nginx_path = compile(nginx_path_re);
	s->pg_names = compile(pg_names_re);
	s->mysql_names = compile(mysql_names_re);
	s->md = pcre2_match_data_create(CAPS_MAX * 2, NULL);
	s->mctx = pcre2_match_context_create(NULL);
	if (!s->access || !s->sshd_user || !s->nginx_user || !s->nginx_path || !s->pg_names ||
	    !s->mysql_names || !s->md || !s->mctx) {
		fw_capture_test_fini(t);
		return -ENOMEM;
	}
	pcre2_set_match_limit(s->mctx, FW_MATCH_LIMIT);
	pcre2_set_depth_limit(s->mctx, FW_DEPTH_LIMIT);
	return 0;
}

void
fw_capture_test_fini(struct fw_capture_test *t)
{
	struct fw_capture_spans *s = t->spans;

	if (!s)
		return;
	pcre2_code_free(s->access);
	pcre2_code_free(s->sshd_user);
	pcre2_code_free(s->nginx_user);
	pcre2_code_free(s->nginx_path);
	pcre2_code_free(s->pg_names);
	pcre2_code_free(s->mysql_names);
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mctx);
	fw_jbuf_free(&s->line);
	fw_jbuf_free(&s->text);
	fw_jbuf_free(&s->base);
	free(s);
	t->spans = NULL;
}

/* ---- where a client writes ----------------------------------------------- */

static void
add_span(struct span *sp, unsigned *n, size_t start, size_t end, enum span_kind kind, bool escaped)
{
	for (unsigned i = 0; i < *n; i++)
		if (start <= sp[i].end && end >= sp[i].start)
			return; /* found already, by another finder */
	if (*n < SPANS_MAX)
		sp[(*n)++] = (struct span){ start, end, kind, escaped };
}

/* nginx's `, KEY: "VALUE"`: the value ends at the '"' before ", " or the line's end. */
static void
nginx_context(const char *line, const char *key, enum span_kind kind, struct span *sp, unsigned *n)
{
	const char *p = strstr(line, key);

	if (!p)
		return;
	p += strlen(key);
	for (const char *q = p; (q = strchr(q, '"')) != NULL; q++)
		if ((q[1] == ',' && q[2] == ' ') || q[1] == '\0') {
			add_span(sp, n, (size_t)(p - line), (size_t)(q - line), kind, false);
			return;
		}
}

static void
regex_spans(struct fw_capture_spans *s, pcre2_code *re, const char *line, const enum span_kind *kinds,
	    unsigned n_kinds, bool all, bool escaped, size_t limit, struct span *sp, unsigned *n)
{
	size_t len = strlen(line), from = 0;

	while (from <= len && pcre2_match(re, (PCRE2_SPTR)line, len, from, 0, s->md, s->mctx) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);

		for (unsigned g = 1; g <= n_kinds; g++)
			if (ov[2 * g] != PCRE2_UNSET && ov[2 * g] < limit)
				add_span(sp, n, ov[2 * g], ov[2 * g + 1], kinds[g - 1], escaped);
		if (!all)
			break;
		from = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
}

static unsigned
find_spans(struct fw_capture_spans *s, const struct fw_record *rec, const char *line, struct span *sp)
{
	static const enum span_kind access[] = { SPAN_USER, SPAN_REQUEST, SPAN_REFERRER, SPAN_AGENT };
	static const enum span_kind user[] = { SPAN_USER, SPAN_USER };
	static const enum span_kind path[] = { SPAN_PATH };
	static const enum span_kind pg[] = { SPAN_USER, SPAN_DATABASE };
	static const enum span_kind mysql[] = { SPAN_USER, SPAN_DATABASE, SPAN_DATABASE, SPAN_USER };
	const char *request = strstr(line, ", request: \"");
	const char *client = strstr(line, ", client: ");
	unsigned n = 0;

	nginx_context(line, ", request: \"", SPAN_REQUEST, sp, &n);
	nginx_context(line, ", referrer: \"", SPAN_REFERRER, sp, &n);
	nginx_context(line, ", host: \"", SPAN_HOST, sp, &n);
	if (request) {
		size_t context = (size_t)((client && client < request ? client : request) - line);

		regex_spans(s, s->nginx_user, line, user, 1, false, false, context, sp, &n);
		regex_spans(s, s->nginx_path, line, path, 1, true, false, context, sp, &n);
	}
	else
		regex_spans(s, s->access, line, access, 4, false, true, strlen(line), sp, &n);
	if (strcmp(rec->domain, "postgresql") == 0)
		regex_spans(s, s->pg_names, line, pg, 2, true, false, strlen(line), sp, &n);
	if (strcmp(rec->domain, "mysql") == 0)
		regex_spans(s, s->mysql_names, line, mysql, 4, true, false, strlen(line), sp, &n);
	if (strcmp(rec->domain, "sshd") == 0)
		regex_spans(s, s->sshd_user, line, user, 2, true, false, strlen(line), sp, &n);
	return n;
}

/* ---- the hostile lines ------------------------------------------------------ */

/*
 * Appends s[0..n) as the log can hold it: without spaces in a request line
 * (nginx 1.21.1 and later refuse a request line with a space in its URI),
 * without '/' in a Host header (ngx_http_validate_host() refuses it), and
 * with '"' and '\\' escaped where the log escapes them.
 */
static void
put_hostile(struct fw_jbuf *b, const char *s, size_t n, const struct span *sp)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		if ((sp->kind == SPAN_REQUEST && s[i] == ' ') || (sp->kind == SPAN_HOST && s[i] == '/'))
			continue;
		if (sp->escaped && (s[i] == '"' || s[i] == '\\'))
			fw_jbuf_puts(b, s[i] == '"' ? "\\x22" : "\\x5C");
		else
			fw_jbuf_put(b, &s[i], 1);
	}
}

/* Runs rec's patterns on line as the matcher does: the first that matches gives the captures. */
static void
run_record(struct fw_capture_spans *s, const struct fw_kb *kb, const struct fw_record *rec, const char *line,
	   size_t len, struct caps *out)
{
	out->pattern = -1;
	out->n = 0;
	for (uint32_t i = 0; i < rec->n_patterns; i++) {
		const struct fw_pattern *p = &kb->patterns[rec->first_pattern + i];
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(p->code, NULL);
		PCRE2_SIZE *ov;
		int rc = PCRE2_ERROR_NOMATCH;

		/* As the matcher runs it: JIT code, made on its first run (kb.h). */
		if (md && fw_kb_jit_ready(kb, rec->first_pattern + i) == FW_JIT_ON)
			rc = pcre2_jit_match(p->code, (PCRE2_SPTR)line, len, 0, 0, md, s->mctx);
		else if (md)
			rc = pcre2_match(p->code, (PCRE2_SPTR)line, len, 0, 0, md, s->mctx);
		if (rc <= 0) {
			pcre2_match_data_free(md);
			continue;
		}
		ov = pcre2_get_ovector_pointer(md);
		out->pattern = (int)i;
		for (uint32_t k = 0; k < p->n_names && out->n < CAPS_MAX; k++) {
			uint32_t g = p->names[k].group;
			struct cap *c = NULL;

			/* A name used twice ((?| or DUPNAMES) is its first set group. */
			for (unsigned j = 0; j < out->n; j++)
				if (strcmp(out->c[j].name, p->names[k].name) == 0)
					c = &out->c[j];
			if (!c) {
				c = &out->c[out->n++];
				*c = (struct cap){ p->names[k].name, PCRE2_UNSET, PCRE2_UNSET };
			}
			if (c->start == PCRE2_UNSET && ov[2 * g] != PCRE2_UNSET) {
				c->start = ov[2 * g];
				c->end = ov[2 * g + 1];
			}
		}
		pcre2_match_data_free(md);
		return;
	}
}

static const struct cap *
cap_named(const struct caps *c, const char *name)
{
	for (unsigned i = 0; i < c->n; i++)
		if (strcmp(c->c[i].name, name) == 0)
			return &c->c[i];
	return NULL;
}

struct one_example {
	struct fw_capture_test *t;
	const struct fw_record *rec;
	uint32_t example;
	unsigned findings;
	bool known;
};

static void
place(const struct fw_record *rec)
{
	if (rec->line)
		printf("%s:%u: %s: %s: ", rec->path, rec->line, rec->id, FW_RULE_CAPTURES_NAME);
	else
		printf("%s: %s: %s: ", rec->path, rec->id, FW_RULE_CAPTURES_NAME);
}

static void
print_value(const char *line, const struct cap *c)
{
	if (!c || c->start == PCRE2_UNSET)
		printf("unset");
	else
		printf("\"%.*s\"", (int)(c->end - c->start), line + c->start);
}

static void
finding(struct one_example *e, const struct span *sp, const char *hostile, const char *name, const char *orig,
	const struct cap *was, const char *line, const struct cap *now)
{
	e->findings++;
	if (e->known)
		return;
	place(e->rec);
	printf("example %u, %s + \"%s\": capture %s ", e->example, span_names[sp->kind], hostile, name);
	print_value(orig, was);
	if (was && now && was->start != PCRE2_UNSET && now->start != PCRE2_UNSET &&
	    was->end - was->start == now->end - now->start &&
	    memcmp(orig + was->start, line + now->start, was->end - was->start) == 0)
		printf(" was taken from the hostile text instead\n");
	else {
		printf(" became ");
		print_value(line, now);
		printf("\n");
	}
}

static bool
login_name(enum span_kind kind)
{
	return kind == SPAN_USER || kind == SPAN_DATABASE;
}

/*
 * The names a client sends together when it logs in (PostgreSQL's user and
 * database, MySQL's db and user) stand side by side with only a separator
 * between them: a capture in one of them may change when hostile text goes
 * into another, since the client wrote both.
 */
static bool
in_other_login_name(const struct cap *c, const struct span *sp, const struct span *all, unsigned n)
{
	if (!login_name(sp->kind))
		return false;
	for (unsigned i = 0; i < n; i++)
		if (login_name(all[i].kind) && c->start <= all[i].end && c->end >= all[i].start)
			return true;
	return false;
}

/* Puts text into the span at `at`, matches, and compares every capture with the example's. */
static void
try_hostile(struct one_example *e, const char *orig, const struct caps *before, const struct span *sp,
	    const struct span *all, unsigned n_all, size_t at, const char *text, size_t text_len)
{
	struct fw_capture_spans *s = e->t->spans;
	struct caps after;
	size_t d, len;
	const char *line, *hostile;

	fw_jbuf_reset(&s->text);
	put_hostile(&s->text, text, text_len, sp);
	hostile = fw_jbuf_str(&s->text);
	d = strlen(hostile);
	fw_jbuf_reset(&s->line);
	fw_jbuf_put(&s->line, orig, at);
	fw_jbuf_puts(&s->line, hostile);
	fw_jbuf_puts(&s->line, orig + at);
	line = fw_jbuf_str(&s->line);
	if (!fw_jbuf_ok(&s->line) || !fw_jbuf_ok(&s->text))
		return;
	len = strlen(line);
	e->t->lines++;
	run_record(s, e->t->kb, e->rec, line, len, &after);
	if (after.pattern < 0)
		return;
	for (unsigned i = 0; i < before->n; i++) {
		const struct cap *b = &before->c[i], *a = cap_named(&after, b->name);
		bool set = b->start != PCRE2_UNSET, now = a && a->start != PCRE2_UNSET;
		size_t shift = set && b->start >= at ? d : 0;

		if (set && ((b->start <= sp->end && b->end >= sp->start) ||
			    in_other_login_name(b, sp, all, n_all)))
			continue; /* the client's own text, or a capture around it */
		if (set != now || (set && (a->start != b->start + shift || a->end != b->end + shift)))
			finding(e, sp, hostile, b->name, orig, b, line, a);
	}
	for (unsigned i = 0; i < after.n; i++)
		if (after.c[i].start != PCRE2_UNSET && !cap_named(before, after.c[i].name))
			finding(e, sp, hostile, after.c[i].name, orig, NULL, line, &after.c[i]);
}

static bool
allowed(enum span_kind kind, const char *name)
{
	for (unsigned i = 0; span_allowed[kind][i]; i++)
		if (strcmp(span_allowed[kind][i], name) == 0)
			return true;
	return false;
}

/* A capture inside a client's span must be named for what the client wrote. */
static void
check_names(struct one_example *e, const char *line, const struct caps *c, const struct span *sp)
{
	for (unsigned i = 0; i < c->n; i++) {
		const struct cap *k = &c->c[i];

		if (k->start == PCRE2_UNSET || k->start < sp->start || k->end > sp->end || k->end == k->start ||
		    allowed(sp->kind, k->name))
			continue;
		e->findings++;
		if (e->known)
			continue;
		place(e->rec);
		printf("example %u: capture %s ", e->example, k->name);
		print_value(line, k);
		printf(" lies in the %s, which the client writes; name it for that (", span_names[sp->kind]);
		for (unsigned j = 0; span_allowed[sp->kind][j]; j++)
			printf("%s%s", j ? ", " : "", span_allowed[sp->kind][j]);
		printf(") or take it from a fixed part\n");
	}
}

/*
 * The longest value the program writes, or 0: sshd logs a user name as
 * %.100s, MySQL as %-.48s, PostgreSQL's names have at most 63 bytes.
 */
static size_t
value_max(const struct fw_record *rec, enum span_kind kind)
{
	if (kind == SPAN_USER && strcmp(rec->domain, "sshd") == 0)
		return 100;
	if (kind == SPAN_USER && strcmp(rec->domain, "mysql") == 0)
		return 48;
	if (login_name(kind) && strcmp(rec->domain, "postgresql") == 0)
		return 63;
	return 0;
}

/*
 * Tries the spans of line that start at or after `from`; the example's own
 * spans with from 0, the referrer test_example() appends with its offset.
 */
static void
test_line(struct one_example *e, const char *line, size_t from)
{
	struct fw_capture_spans *s = e->t->spans;
	struct span sp[SPANS_MAX];
	struct caps before;
	unsigned n;

	run_record(s, e->t->kb, e->rec, line, strlen(line), &before);
	if (before.pattern < 0 || before.n == 0)
		return; /* matched through a field, or nothing to steer */
	n = find_spans(s, e->rec, line, sp);
	for (unsigned i = 0; i < n; i++) {
		if (sp[i].start < from)
			continue;
		size_t head = sp[i].start > PAYLOAD_MAX ? sp[i].start - PAYLOAD_MAX : 0;
		const char *space = memchr(line + sp[i].start, ' ', sp[i].end - sp[i].start);
		size_t at[2] = { sp[i].end, space ? (size_t)(space - line) + 1 : sp[i].end };
		size_t max = value_max(e->rec, sp[i].kind), have = sp[i].end - sp[i].start;
		char tail[PAYLOAD_MAX + 2], front[PAYLOAD_MAX + 2];

		check_names(e, line, &before, &sp[i]);
		snprintf(tail, sizeof tail, "x%.*s", PAYLOAD_MAX, line + sp[i].end);
		snprintf(front, sizeof front, "x%.*s", (int)(sp[i].start - head), line + head);
		for (unsigned k = 0; k < (sp[i].kind == SPAN_REQUEST || sp[i].kind == SPAN_AGENT ? 2u : 1u); k++) {
			const char *texts[] = { tail, front, nginx_forge, sshd_forge };

			for (unsigned j = 0; j < sizeof texts / sizeof *texts; j++) {
				size_t tl = strlen(texts[j]);

				if (max)
					tl = have >= max ? 0 : tl < max - have ? tl : max - have;
				try_hostile(e, line, &before, &sp[i], sp, n, at[k], texts[j], tl);
			}
		}
	}
}

/*
 * The referrer a client may send with any request: nginx writes it last,
 * after `host:` (ngx_http_log_error_handler()), whenever the request had a
 * Referer header. An nginx error line with a request context and no
 * referrer is also tried with one appended, so a pattern that captures
 * from the end of the line is tried against a referrer that copies the
 * whole tail, whether or not its examples show one.
 */
static const char referrer_key[] = ", referrer: \"";

static void
test_example(struct one_example *e, const char *example)
{
	struct fw_capture_spans *s = e->t->spans;
	const char *line = strrchr(example, '\n');
	size_t len;

	line = line ? line + 1 : example;
	test_line(e, line, 0);
	len = strlen(line);
	if (!strstr(line, ", request: \"") || strstr(line, referrer_key) || len == 0 || line[len - 1] != '"')
		return;
	fw_jbuf_reset(&s->base);
	fw_jbuf_put(&s->base, line, len);
	fw_jbuf_puts(&s->base, referrer_key);
	fw_jbuf_puts(&s->base, "https://www.example.org/\"");
	if (fw_jbuf_ok(&s->base))
		test_line(e, fw_jbuf_str(&s->base), len + strlen(referrer_key));
}

unsigned
fw_capture_test_record(struct fw_capture_test *t, const struct fw_record *rec)
{
	struct one_example e = { t, rec, 0, 0, false };

	if (rec->field)
		return 0; /* the patterns see one parsed field, never the client's other text */
	/* A listed record is marked seen only when it still has findings. */
	e.known = fw_known_has(t->known, rec->id, FW_RULE_CAPTURES_NAME);
	for (e.example = 0; e.example < rec->examples.n; e.example++)
		test_example(&e, rec->examples.items[e.example]);
	if (e.known && e.findings) {
		fw_known_take(t->known, rec->id, FW_RULE_CAPTURES_NAME);
		t->known_records++;
		return 0;
	}
	t->failed += e.findings;
	return e.findings;
}
