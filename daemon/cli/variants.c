/*
 * variants: derives from an example the lines the same message takes in
 * other deployments (variants.h). The example's shape decides which
 * prefixes apply:
 *
 *  - syslog: it starts with an RFC 3164, RFC 3339 (rsyslog) or RFC 5424
 *    header. Its message part, with the header's program and pid, is put
 *    behind every other syslog and journalctl header and given alone as
 *    the journal's MESSAGE.
 *  - own prefix: it starts with a digit, '[' or '<' (a program's own
 *    timestamp, pid or level: nginx, PostgreSQL, Redis, the kernel...).
 *    Such a line never gets a syslog header; it can be written to stderr
 *    in a container, so it gets Docker's json-file wrapping.
 *  - bare: anything else (a message without a prefix, as `nginx -t` or a
 *    client prints it) gets every prefix, with the record's domain as the
 *    program name.
 *  - structured: a multi-line example (a W3C header and line), a
 *    tab-separated line (a positional log file), a JSON object or a record
 *    with `field`: no prefix at all.
 *
 * A record's `logs` is honoured: a syslog or journalctl header is only
 * added when it lists `syslog`, the Docker wrapping when it lists `json`.
 *
 * Numbers change only where they are an instance's value rather than part
 * of the signature: pids, connection numbers, ports and counts (see
 * varies()), and only those no pattern of the record spells out. IPv4 addresses are
 * four dotted octets; an IPv6 address is what inet_pton(3) accepts among a
 * run of hex digits and colons with two colons or more.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/variants.h"
#include "core/jsonw.h"
#include "input/format.h"

static const char *const kind_names[FW_VAR_N] = {
	"ipv6-full", "ipv6-compressed", "ipv4-mapped", "ipv4", "numbers", "no-port", "preauth",
	"no-preauth", "referrer", "rfc3164", "rfc5424", "journal-short", "journal-short-iso", "journal-message",
	"docker-json",
};

const char *
fw_variant_name(enum fw_variant_kind kind)
{
	return (unsigned)kind < FW_VAR_N ? kind_names[kind] : NULL;
}

/* RFC 5424 §6, RFC 3164 §4.1 and rsyslog's RFC 3339 form; the header ends before the message. */
static const char syslog_header[] =
	"^(?:<\\d{1,3}>1 \\S+ \\S+ (?<prog5>\\S+) (?<pid5>\\S+) \\S+ (?:-|(?:\\[[^\\]]*\\])+) "
	"|(?:<\\d{1,3}>)?(?:[A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d"
	"|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)) "
	"\\S+ (?<prog>[^\\s\\[\\]:]+)(?:\\[(?<pid>\\d+)\\])?: )";

struct fw_variants {
	pcre2_code *header;
	pcre2_match_data *md;
};

int
fw_variants_new(struct fw_variants **out)
{
	struct fw_variants *v = calloc(1, sizeof *v);
	int err;
	PCRE2_SIZE off;

	if (!v)
		return -ENOMEM;
	v->header = pcre2_compile((PCRE2_SPTR)syslog_header, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
	v->md = v->header ? pcre2_match_data_create_from_pattern(v->header, NULL) : NULL;
	if (!v->md) {
		fw_variants_free(v);
		return -ENOMEM;
	}
	*out = v;
	return 0;
}

void
fw_variants_free(struct fw_variants *v)
{
	if (!v)
		return;
	pcre2_match_data_free(v->md);
	pcre2_code_free(v->header);
	free(v);
}


/* ---- the example's shape ---------------------------------------------- */

enum shape { SHAPE_STRUCTURED, SHAPE_SYSLOG, SHAPE_OWN_PREFIX, SHAPE_BARE };

struct parts {
	enum shape shape;
	const char *msg;        /* the message part (the whole example unless syslog) */
	char prog[64];
	char pid[24];           /* empty: the header had none */
};

static void
copy_group(pcre2_code *re, pcre2_match_data *md, const char *s, const char *name, char *out, size_t size)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	int g = pcre2_substring_number_from_name(re, (PCRE2_SPTR)name);
	size_t n;

	if (g <= 0 || ov[2 * g] == PCRE2_UNSET || *out)
		return;
	n = ov[2 * g + 1] - ov[2 * g];
	if (n >= size)
		n = size - 1;
	memcpy(out, s + ov[2 * g], n);
	out[n] = '\0';
}

static void
find_shape(struct fw_variants *v, const struct fw_record *rec, const char *ex, struct parts *p)
{
	memset(p, 0, sizeof *p);
	p->msg = ex;
	if (rec->field || strchr(ex, '\n') || strchr(ex, '\t') || ex[0] == '{') {
		p->shape = SHAPE_STRUCTURED;
		return;
	}
	if (pcre2_match(v->header, (PCRE2_SPTR)ex, strlen(ex), 0, 0, v->md, NULL) > 0) {
		p->shape = SHAPE_SYSLOG;
		p->msg = ex + pcre2_get_ovector_pointer(v->md)[1];
		copy_group(v->header, v->md, ex, "prog5", p->prog, sizeof p->prog);
		copy_group(v->header, v->md, ex, "prog", p->prog, sizeof p->prog);
		copy_group(v->header, v->md, ex, "pid5", p->pid, sizeof p->pid);
		copy_group(v->header, v->md, ex, "pid", p->pid, sizeof p->pid);
		if (strcmp(p->pid, "-") == 0)
			p->pid[0] = '\0';
		return;
	}
	if (isdigit((unsigned char)ex[0]) || ex[0] == '[' || ex[0] == '<') {
		p->shape = SHAPE_OWN_PREFIX;
		return;
	}
	p->shape = SHAPE_BARE;
	snprintf(p->prog, sizeof p->prog, "%s", rec->domain ? rec->domain : "app");
	snprintf(p->pid, sizeof p->pid, "%s", "4321");
}

/* ---- addresses -------------------------------------------------------- */

static bool
word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Length of an IPv4 address at s[i] (not inside a longer dotted number), else 0. */
static size_t
ipv4_at(const char *s, size_t i, unsigned char oct[4])
{
	size_t j = i;

	if (i > 0 && (word_char(s[i - 1]) || s[i - 1] == '.' || s[i - 1] == ':'))
		return 0;
	for (int k = 0; k < 4; k++) {
		unsigned val = 0, nd = 0;

		if (k > 0) {
			if (s[j] != '.')
				return 0;
			j++;
		}
		while (isdigit((unsigned char)s[j]) && nd < 4) {
			val = val * 10 + (unsigned)(s[j] - '0');
			j++;
			nd++;
		}
		if (nd == 0 || nd > 3 || val > 255)
			return 0;
		oct[k] = (unsigned char)val;
	}
	if (word_char(s[j]) || (s[j] == '.' && isdigit((unsigned char)s[j + 1])))
		return 0;
	return j - i;
}

static bool
hex_or_colon(char c)
{
	return isxdigit((unsigned char)c) || c == ':' || c == '.';
}

/* Length of an IPv6 address at s[i], else 0. */
static size_t
ipv6_at(const char *s, size_t i)
{
	struct in6_addr a;
	char buf[64];
	size_t j = i, colons = 0;

	if (i > 0 && (word_char(s[i - 1]) || s[i - 1] == ':' || s[i - 1] == '.'))
		return 0;
	while (hex_or_colon(s[j]) && j - i < sizeof buf - 1)
		colons += s[j++] == ':';
	if (colons < 2 || word_char(s[j]))
		return 0;
	/* A trailing ':' or '.' is punctuation after the address. */
	while (j > i && (s[j - 1] == ':' || s[j - 1] == '.')) {
		if (s[j - 1] == ':' && j - i >= 2 && s[j - 2] == ':')
			break;
		j--;
	}
	memcpy(buf, s + i, j - i);
	buf[j - i] = '\0';
	return inet_pton(AF_INET6, buf, &a) == 1 ? j - i : 0;
}

size_t
fw_address_at(const char *s, size_t i)
{
	unsigned char o[4];
	size_t n = isdigit((unsigned char)s[i]) ? ipv4_at(s, i, o) : 0;

	return n ? n : hex_or_colon(s[i]) ? ipv6_at(s, i) : 0;
}

static void
ipv6_text(enum fw_variant_kind kind, const unsigned char o[4], char *out, size_t size)
{
	unsigned hi = (unsigned)o[0] << 8 | o[1], lo = (unsigned)o[2] << 8 | o[3];

	if (kind == FW_VAR_IPV6_FULL)
		snprintf(out, size, "2001:0db8:0000:0000:0000:0000:%04x:%04x", hi, lo);
	else if (kind == FW_VAR_IPV6_COMPRESSED)
		snprintf(out, size, "2001:db8::%x:%x", hi, lo);
	else
		snprintf(out, size, "::ffff:%u.%u.%u.%u", o[0], o[1], o[2], o[3]);
}

/* Every IPv4 address as IPv6 (bracketed before ":PORT", as URLs write it); false if none. */
static bool
to_ipv6(const char *s, enum fw_variant_kind kind, struct fw_jbuf *out)
{
	bool any = false;

	for (size_t i = 0; s[i];) {
		unsigned char o[4];
		size_t n = isdigit((unsigned char)s[i]) ? ipv4_at(s, i, o) : 0;

		if (n) {
			char a[64];
			bool port = s[i + n] == ':' && isdigit((unsigned char)s[i + n + 1]) &&
				    !(i > 0 && s[i - 1] == '[');

			ipv6_text(kind, o, a, sizeof a);
			fw_jbuf_puts(out, port ? "[" : "");
			fw_jbuf_puts(out, a);
			fw_jbuf_puts(out, port ? "]" : "");
			i += n;
			any = true;
		} else {
			fw_jbuf_put(out, s + i, 1);
			i++;
		}
	}
	return any;
}

/* Every IPv6 address as a documentation IPv4 address (brackets kept: sshd writes both so); false if none. */
static bool
to_ipv4(const char *s, struct fw_jbuf *out)
{
	unsigned count = 0;

	for (size_t i = 0; s[i];) {
		size_t n = hex_or_colon(s[i]) ? ipv6_at(s, i) : 0;

		if (n) {
			char a[32];

			snprintf(a, sizeof a, "192.0.2.%u", 10 + count++ % 200);
			fw_jbuf_puts(out, a);
			i += n;
		} else {
			fw_jbuf_put(out, s + i, 1);
			i++;
		}
	}
	return count > 0;
}

/* ---- numbers ---------------------------------------------------------- */

static size_t
digits_from(const char *s, size_t i)
{
	size_t n = 0;

	while (isdigit((unsigned char)s[i + n]))
		n++;
	return n;
}

/* Does a pattern of rec spell out this digit run as a number of its own? */
static bool
in_patterns(const struct fw_kb *kb, const struct fw_record *rec, const char *d, size_t n)
{
	for (uint32_t p = 0; kb && p < rec->n_patterns; p++) {
		const char *src = kb->patterns[rec->first_pattern + p].source;

		for (const char *q = src; *q; q++) {
			if (strncmp(q, d, n) != 0)
				continue;
			if ((q > src && isdigit((unsigned char)q[-1])) || isdigit((unsigned char)q[n]))
				continue;
			return true;
		}
	}
	return false;
}

/* Is s[0..i) an IPv4 address's end (digits and three dots back to a non-address byte)? */
static bool
after_ipv4(const char *s, size_t i)
{
	unsigned dots = 0;

	while (i > 0 && (isdigit((unsigned char)s[i - 1]) || s[i - 1] == '.'))
		dots += s[--i] == '.';
	return dots == 3;
}

static bool
preceded_by(const char *s, size_t i, const char *word)
{
	size_t n = strlen(word);

	return i >= n && strncmp(s + i - n, word, n) == 0 && (i == n || !word_char(s[i - n - 1]));
}

/*
 * A digit run that is an instance's value: a pid ([N], N#N, pid N), a
 * connection or sequence number (*N, #N), a port (port N, ADDRESS:N) or a
 * count (N followed by a lowercase word: "3 attempts", "12 bytes").
 */
static bool
varies(const char *s, size_t i, size_t n)
{
	char before = i ? s[i - 1] : '\0', after = s[i + n];

	if ((i && word_char(before)) || word_char(after))
		return false;
	if ((before == '[' && after == ']') || after == '#' || before == '#' || before == '*')
		return true;
	if (preceded_by(s, i, "port ") || preceded_by(s, i, "pid ") || preceded_by(s, i, "pid=") ||
	    preceded_by(s, i, "PID "))
		return true;
	if (before == ':' && i >= 2 && (s[i - 2] == ']' || after_ipv4(s, i - 1)))
		return true;
	return (before == ' ' || before == '(') && after == ' ' && islower((unsigned char)s[i + n + 1]);
}

/* Other digits, same count, no leading zero gained or lost. */
static bool
other_numbers(const struct fw_kb *kb, const struct fw_record *rec, const char *s, size_t from, struct fw_jbuf *out)
{
	bool any = false;

	fw_jbuf_put(out, s, from);
	for (size_t i = from; s[i];) {
		size_t n = isdigit((unsigned char)s[i]) ? digits_from(s, i) : 0;

		if (n && (i == 0 || !isdigit((unsigned char)s[i - 1])) && varies(s, i, n) &&
		    !in_patterns(kb, rec, s + i, n)) {
			for (size_t k = 0; k < n; k++) {
				int d = s[i + k] - '0';
				char c = (char)('0' + (k == 0 && d ? (d + 3) % 9 + 1 : (d + 5) % 10));

				fw_jbuf_put(out, &c, 1);
			}
			any = true;
			i += n;
		} else {
			size_t step = n ? n : 1;

			fw_jbuf_put(out, s + i, step);
			i += step;
		}
	}
	return any;
}

/* ---- optional parts --------------------------------------------------- */

/* " port N" right after an address or host name (sshd's "from ADDR port N"). */
static bool
without_port(const char *s, struct fw_jbuf *out)
{
	for (const char *p = strstr(s, " port "); p; p = strstr(p + 1, " port ")) {
		size_t n = digits_from(p, 6);
		const char *w = p;
		bool address = false;

		while (w > s && w[-1] != ' ') {
			w--;
			address |= *w == '.' || *w == ':';
		}
		if (!n || word_char(p[6 + n]) || !address || !(word_char(p[-1]) || p[-1] == ']'))
			continue;
		fw_jbuf_put(out, s, (size_t)(p - s));
		fw_jbuf_puts(out, p + 6 + n);
		return true;
	}
	return false;
}

static const char preauth[] = " [preauth]";

static bool
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

/*
 * nginx's error-log context ends with `, referrer: "..."` whenever the
 * request had a Referer header (ngx_http_log_error_handler() writes it
 * last, after `host:`): a line with a request context and no referrer
 * gains one.
 */
static bool
with_referrer(const char *s, struct fw_jbuf *out)
{
	size_t n = strlen(s);

	if (!strstr(s, ", request: \"") || strstr(s, ", referrer: \"") || n == 0 || s[n - 1] != '"')
		return false;
	fw_jbuf_put(out, s, n);
	fw_jbuf_puts(out, ", referrer: \"https://www.example.org/blog/post-1?ref=feed\"");
	return true;
}

/* ---- prefixes --------------------------------------------------------- */

static void
with_prefix(enum fw_variant_kind kind, const struct parts *p, struct fw_jbuf *out)
{
	bool pid = p->pid[0] != '\0';

	switch (kind) {
	case FW_VAR_RFC3164:
		fw_jbuf_puts(out, "Dec  4 10:00:00 web-1 ");
		break;
	case FW_VAR_RFC5424:
		fw_jbuf_puts(out, "<27>1 2026-12-04T10:00:00.000Z web-1 ");
		fw_jbuf_puts(out, p->prog);
		fw_jbuf_puts(out, " ");
		fw_jbuf_puts(out, pid ? p->pid : "-");
		fw_jbuf_puts(out, " - - ");
		fw_jbuf_puts(out, p->msg);
		return;
	case FW_VAR_JOURNAL_SHORT:
		fw_jbuf_puts(out, "Dec 04 10:00:00 web-1 ");
		break;
	default:
		fw_jbuf_puts(out, "2026-12-04T10:00:00+0000 web-1 ");
		break;
	}
	fw_jbuf_puts(out, p->prog);
	if (pid) {
		fw_jbuf_puts(out, "[");
		fw_jbuf_puts(out, p->pid);
		fw_jbuf_puts(out, "]");
	}
	fw_jbuf_puts(out, ": ");
	fw_jbuf_puts(out, p->msg);
}

/* Docker's json-file driver: the line and its newline as a JSON string (Go escapes <, > and &). */
static void
docker_json(const char *s, struct fw_jbuf *out)
{
	fw_jbuf_puts(out, "{\"log\":\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			fw_jbuf_put(out, esc, 2);
		} else if (c == '\t') {
			fw_jbuf_puts(out, "\\t");
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			fw_jbuf_puts(out, esc);
		} else {
			fw_jbuf_put(out, s, 1);
		}
	}
	fw_jbuf_puts(out, "\\n\",\"stream\":\"stderr\",\"time\":\"2026-12-04T10:00:00.000000000Z\"}");
}

/* ---- driver ----------------------------------------------------------- */

struct run {
	const char *example;
	fw_variant_fn *fn;
	void *arg;
	struct fw_jbuf b;
	bool oom;                   /* a variant could not be built: out of memory */
	int count;
};

static void
emit(struct run *r, enum fw_variant_kind kind, bool made)
{
	const char *v = fw_jbuf_str(&r->b);

	if (!v) {
		r->oom = true;
	} else if (made && strcmp(v, r->example) != 0) {
		r->fn(r->arg, kind, v);
		r->count++;
	}
	fw_jbuf_reset(&r->b);
}

static bool
logs_allow(const struct fw_record *rec, enum fw_log_kind kind)
{
	return rec->logs == 0 || (rec->logs >> kind & 1u);
}

int
fw_variants_each(struct fw_variants *v, const struct fw_kb *kb, const struct fw_record *rec,
		 const char *example, fw_variant_fn *fn, void *arg)
{
	struct run r = { example, fn, arg, { 0 }, false, 0 };
	struct parts p;
	bool sshd;

	find_shape(v, rec, example, &p);
	for (int k = FW_VAR_IPV6_FULL; k <= FW_VAR_IPV4_MAPPED; k++)
		emit(&r, (enum fw_variant_kind)k, to_ipv6(example, (enum fw_variant_kind)k, &r.b));
	emit(&r, FW_VAR_IPV4, to_ipv4(example, &r.b));
	if (!rec->field)
		emit(&r, FW_VAR_NUMBERS, other_numbers(kb, rec, example, (size_t)(p.msg - example), &r.b));
	emit(&r, FW_VAR_NO_PORT, without_port(example, &r.b));
	if (p.shape != SHAPE_STRUCTURED)
		emit(&r, FW_VAR_REFERRER, with_referrer(example, &r.b));
	sshd = strcmp(p.prog, "sshd") == 0 || (rec->domain && strcmp(rec->domain, "sshd") == 0);
	if (sshd && p.shape != SHAPE_STRUCTURED) {
		if (ends_with(example, preauth)) {
			fw_jbuf_put(&r.b, example, strlen(example) - strlen(preauth));
			emit(&r, FW_VAR_NO_PREAUTH, true);
		} else {
			fw_jbuf_puts(&r.b, example);
			fw_jbuf_puts(&r.b, preauth);
			emit(&r, FW_VAR_PREAUTH, true);
		}
	}
	if ((p.shape == SHAPE_SYSLOG || p.shape == SHAPE_BARE) && logs_allow(rec, FW_LOG_SYSLOG))
		for (int k = FW_VAR_RFC3164; k <= FW_VAR_JOURNAL_ISO; k++) {
			with_prefix((enum fw_variant_kind)k, &p, &r.b);
			emit(&r, (enum fw_variant_kind)k, true);
		}
	if (p.shape == SHAPE_SYSLOG && (logs_allow(rec, FW_LOG_PLAIN) || logs_allow(rec, FW_LOG_JOURNAL))) {
		fw_jbuf_puts(&r.b, p.msg);
		emit(&r, FW_VAR_JOURNAL_MESSAGE, true);
	}
	if ((p.shape == SHAPE_OWN_PREFIX || p.shape == SHAPE_BARE) && logs_allow(rec, FW_LOG_JSON)) {
		docker_json(example, &r.b);
		emit(&r, FW_VAR_DOCKER, true);
	}
	fw_jbuf_free(&r.b);
	return r.oom ? -ENOMEM : r.count;
}
