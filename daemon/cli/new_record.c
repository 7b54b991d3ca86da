/*
 * new_record: the record skeleton of one log line (new_record.h).
 *
 * The prefix a program or a transport put in front of the message (syslog
 * and journalctl headers, nginx's "DATE TIME [level] PID#TID: *CONN ",
 * PostgreSQL's "DATE TIME TZ [PID] ", the kernel's "[SECONDS] ", a leading
 * ISO 8601 time) is recognised by one pattern and left out of the regex,
 * which is then unanchored: the same record serves the line however it is
 * delivered. The level the prefix states (nginx's, a syslog PRI) or the
 * message's own level word gives the severity. The generalised regex is
 * written so that `fixwatch test`'s variants of the example match it: an
 * address accepts IPv4, IPv6 and brackets, "ADDR port N" has an optional
 * port, a trailing " [preauth]" is left out, and the record says it
 * describes plain, syslog and journal lines (a JSON-wrapped line is
 * matched as its raw text, where quotes are escaped).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "cli/new_record.h"
#include "cli/variants.h"
#include "core/jsonw.h"
#include "util/severity.h"

#define LINE_MAX_BYTES (64 * 1024)

/* ---- generalising ----------------------------------------------------- */

/* One literal byte of the message, escaped for PCRE2. */
static void
put_literal(struct fw_jbuf *re, char c)
{
	if (strchr("\\^$.|?*+()[]{}", c) && c) {
		char e[2] = { '\\', c };

		fw_jbuf_put(re, e, 2);
	} else {
		fw_jbuf_put(re, &c, 1);
	}
}

static bool
word(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* A host name: labels of letters, digits and '-' joined by dots, ending in a letter. */
static size_t
host_at(const char *s, size_t i, size_t len)
{
	size_t j = i, dots = 0;
	bool letter = false;

	if (i > 0 && (word(s[i - 1]) || s[i - 1] == '.' || s[i - 1] == '-'))
		return 0;
	while (j < len && (isalnum((unsigned char)s[j]) || s[j] == '-' || (s[j] == '.' && j + 1 < len &&
									      isalnum((unsigned char)s[j + 1])))) {
		dots += s[j] == '.';
		letter |= isalpha((unsigned char)s[j]) != 0;
		j++;
	}
	if (!dots || !letter || !isalpha((unsigned char)s[j - 1]) || (j < len && word(s[j])))
		return 0;
	return j - i;
}

/* A hex id: 8 or more hex digits with a letter and a digit, or 0x and hex digits. */
static size_t
hex_at(const char *s, size_t i, size_t len)
{
	size_t j = i;
	bool letter = false, digit = false;

	if (i > 0 && word(s[i - 1]))
		return 0;
	if (j + 2 < len && s[j] == '0' && s[j + 1] == 'x' && isxdigit((unsigned char)s[j + 2]))
		j += 2, letter = digit = true;
	for (; j < len && isxdigit((unsigned char)s[j]); j++) {
		letter |= isalpha((unsigned char)s[j]) != 0;
		digit |= isdigit((unsigned char)s[j]) != 0;
	}
	if (j - i < 8 || !letter || !digit || (j < len && word(s[j])))
		return 0;
	return j - i;
}

int
fw_generalise(const char *msg, size_t len, struct fw_generalised *out)
{
	struct fw_jbuf re = { 0 }, sig = { 0 };
	static const char preauth[] = " [preauth]";
	char *s = strndup(msg, len);

	if (!s)
		return -ENOMEM;
	/* sshd adds " [preauth]" to what it logs before authentication: not part of the message. */
	if (len >= sizeof preauth - 1 && strcmp(s + len - (sizeof preauth - 1), preauth) == 0)
		s[len -= sizeof preauth - 1] = '\0';
	for (size_t i = 0; i < len;) {
		char c = s[i];
		const char *close;
		size_t n;

		if ((c == '"' || (c == '\'' && (i == 0 || !word(s[i - 1])))) && (close = strchr(s + i + 1, c))) {
			fw_jbuf_puts(&re, c == '"' ? "\"[^\"]*\"" : "'[^']*'");
			fw_jbuf_puts(&sig, c == '"' ? "\"...\"" : "'...'");
			i = (size_t)(close - s) + 1;
		} else if ((n = (c == '[' ? fw_address_at(s, i + 1) : 0)) && s[i + 1 + n] == ']') {
			fw_jbuf_puts(&re, "\\[?[0-9A-Fa-f.:]+\\]?");
			fw_jbuf_puts(&sig, "ADDRESS");
			i += n + 2;
		} else if ((i == 0 || !word(s[i - 1])) && (n = fw_address_at(s, i))) {
			fw_jbuf_puts(&re, "\\[?[0-9A-Fa-f.:]+\\]?");
			fw_jbuf_puts(&sig, "ADDRESS");
			i += n;
		} else if (c == ' ' && strncmp(s + i, " port ", 6) == 0 && i > 0 &&
			   (word(s[i - 1]) || s[i - 1] == ']') && isdigit((unsigned char)s[i + 6])) {
			/* "ADDRESS port N": older versions and other tools leave the port out. */
			fw_jbuf_puts(&re, "(?: port \\d+)?");
			fw_jbuf_puts(&sig, " port N");
			for (i += 6; i < len && isdigit((unsigned char)s[i]); i++)
				;
		} else if (c == '/' && (i == 0 || strchr(" (=\t", s[i - 1]))) {
			fw_jbuf_puts(&re, "/[^\\s,;:\"')\\]]*");
			fw_jbuf_puts(&sig, "PATH");
			for (i++; i < len && !isspace((unsigned char)s[i]) && !strchr(",;:\"')]", s[i]); i++)
				;
		} else if ((n = hex_at(s, i, len))) {
			fw_jbuf_puts(&re, "(?:0x)?[0-9A-Fa-f]+");
			fw_jbuf_puts(&sig, "ID");
			i += n;
		} else if ((n = host_at(s, i, len))) {
			fw_jbuf_puts(&re, "[\\w.-]+");
			fw_jbuf_puts(&sig, "HOST");
			i += n;
		} else if (isdigit((unsigned char)c) && (i == 0 || !isalpha((unsigned char)s[i - 1]))) {
			for (n = i; n < len && isdigit((unsigned char)s[n]); n++)
				;
			if (n < len && isalpha((unsigned char)s[n])) {
				put_literal(&re, c);    /* part of a word: "ssh2", "2fa" */
				fw_jbuf_put(&sig, &c, 1);
				i++;
				continue;
			}
			fw_jbuf_puts(&re, "\\d+");
			fw_jbuf_puts(&sig, "N");
			i = n;
		} else {
			put_literal(&re, c);
			fw_jbuf_put(&sig, &c, 1);
			i++;
		}
	}
	free(s);
	/* (an empty message leaves both empty: refused as before) */
	if (re.len == 0 || !fw_jbuf_str(&re) || !fw_jbuf_str(&sig)) {
		fw_jbuf_free(&re);
		fw_jbuf_free(&sig);
		return -ENOMEM;
	}
	out->regex = re.data;
	out->signature = sig.data;
	return 0;
}

/* ---- the line's prefix and level -------------------------------------- */

/*
 * RFC 5424 §6 and RFC 3164 §4.1 headers (journalctl's short and short-iso
 * forms are the same shape), rsyslog's RFC 3339 form, the kernel's
 * "[seconds] " after them or alone, nginx's error log, PostgreSQL's
 * log_line_prefix default '%m [%p] ', and a leading ISO 8601 time.
 */
static const char prefix_pattern[] =
	"^(?:(?:<(?<pri>\\d{1,3})>1 \\S+ \\S+ (?<prog5>\\S+) \\S+ \\S+ (?:-|(?:\\[[^\\]]*\\])+) "
	"|(?:<(?<pri3>\\d{1,3})>)?(?:[A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d"
	"|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)) "
	"\\S+ (?<prog>[^\\s\\[\\]:]+)(?:\\[\\d+\\])?: )(?:\\[ *\\d+\\.\\d+\\] )?"
	"|(?<nginx>\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[(?<level>[a-z]+)\\] \\d+#\\d+: (?:\\*\\d+ )?)"
	"|(?<pg>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)? [A-Z]{2,5} \\[\\d+\\] (?:\\S+@\\S+ )?)"
	"|(?<kernel>\\[ *\\d+\\.\\d+\\] )"
	"|\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)? ?)";

struct line_parts {
	size_t msg;             /* offset of the message */
	int severity;           /* FW_SEVERITY_NONE if the prefix states none */
	char domain[32];
};

static bool
group(pcre2_code *re, pcre2_match_data *md, const char *name, const char *s, size_t *at, size_t *n)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	int g = pcre2_substring_number_from_name(re, (PCRE2_SPTR)name);

	if (g <= 0 || ov[2 * g] == PCRE2_UNSET)
		return false;
	*at = ov[2 * g];
	*n = ov[2 * g + 1] - ov[2 * g];
	(void)s;
	return true;
}

/* The domain: lowercase letters, digits and '-' of the program name, else "local". */
static void
set_domain(struct line_parts *p, const char *name, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < sizeof p->domain; i++) {
		char c = (char)tolower((unsigned char)name[i]);

		if (isalnum((unsigned char)c) || c == '-')
			p->domain[k++] = c;
		else if (c == '.' || c == '/')
			break;          /* "postgres.x", "php-fpm8.2": the name before the dot */
	}
	p->domain[k] = '\0';
	if (!k || !isalpha((unsigned char)p->domain[0]))
		snprintf(p->domain, sizeof p->domain, "%s", "local");
}

static int
split_line(const char *line, size_t len, struct line_parts *p)
{
	pcre2_code *re;
	pcre2_match_data *md;
	PCRE2_SIZE off;
	size_t at, n;
	int err;

	memset(p, 0, sizeof *p);
	p->severity = FW_SEVERITY_NONE;
	snprintf(p->domain, sizeof p->domain, "%s", "local");
	re = pcre2_compile((PCRE2_SPTR)prefix_pattern, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
	md = re ? pcre2_match_data_create_from_pattern(re, NULL) : NULL;
	if (!md) {
		pcre2_code_free(re);
		return -ENOMEM;
	}
	if (pcre2_match(re, (PCRE2_SPTR)line, len, 0, 0, md, NULL) > 0) {
		p->msg = pcre2_get_ovector_pointer(md)[1];
		if (group(re, md, "pri", line, &at, &n) || group(re, md, "pri3", line, &at, &n))
			p->severity = atoi(line + at) % 8;
		if (group(re, md, "level", line, &at, &n))
			p->severity = fw_severity_from_word(line + at, n);
		if (group(re, md, "prog5", line, &at, &n) || group(re, md, "prog", line, &at, &n))
			set_domain(p, line + at, n);
		else if (group(re, md, "nginx", line, &at, &n))
			set_domain(p, "nginx", 5);
		else if (group(re, md, "pg", line, &at, &n))
			set_domain(p, "postgresql", 10);
		else if (group(re, md, "kernel", line, &at, &n))
			set_domain(p, "kernel", 6);
	}
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return 0;
}

/* The first level word of the message ("error:", "FATAL:", "[crit]", "PANIC"), else err. */
static int
message_level(const char *msg)
{
	for (const char *w = msg; *w;) {
		size_t n = 0;

		while (w[n] && isalpha((unsigned char)w[n]))
			n++;
		if (n && (w == msg || !isalpha((unsigned char)w[-1]))) {
			int s = fw_severity_from_word(w, n);

			if (s == FW_SEVERITY_NONE && n == 5 && strncasecmp(w, "fatal", 5) == 0)
				s = 2;  /* crit: PostgreSQL's FATAL ends a session, sshd's a daemon */
			if (s != FW_SEVERITY_NONE && (w[n] == ':' || w[n] == ']' || w[n] == ' '))
				return s;
		}
		w += n ? n : 1;
	}
	return 3;
}

/* ---- the command ------------------------------------------------------ */

static const char rules[] =
	"Fill in before use (data/kb/README.md): an id DOMAIN/SLUG that is also the file's "
	"path below the KB; a signature and a regex that name the message, not this one line; "
	"root_cause (what really happens, two to four sentences); diagnose[] steps that change "
	"nothing; workarounds[] that are remedies, ranked by an honest success_rate, with "
	"for_cause and risk; dead_ends[]; a second example and a counterexample; severity for "
	"the service. Then: fixwatch test -k FILE --strict. This key is ignored by the loader: "
	"delete it.";

static int
read_line(const char *arg, char **out, size_t *len)
{
	const char *colon = strrchr(arg, ':');
	unsigned long want = 1, n = 0;
	char *buf = NULL, *end;
	size_t cap = 0;
	ssize_t got;
	FILE *f;

	if (strcmp(arg, "-") == 0) {
		f = stdin;
	} else {
		char *path;

		errno = 0;
		if (!colon || !colon[1] || (want = strtoul(colon + 1, &end, 10), errno || *end || want == 0)) {
			fprintf(stderr, "fixwatch: new-record: '%s' is not FILE:LINE (LINE from 1) or -\n", arg);
			return -EDOM;
		}
		path = strndup(arg, (size_t)(colon - arg));
		if (!path)
			return -ENOMEM;
		f = fopen(path, "r");
		if (!f) {
			int e = errno;

			fprintf(stderr, "fixwatch: new-record: %s: %s\n", path, strerror(e));
			free(path);
			return -e;
		}
		free(path);
	}
	while ((got = getline(&buf, &cap, f)) >= 0 && ++n < want)
		;
	if (f != stdin)
		fclose(f);
	if (got < 0 || n < want) {
		fprintf(stderr, "fixwatch: new-record: %s: no line %lu\n", arg, want);
		free(buf);
		return -ENOENT;
	}
	while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == '\r'))
		buf[--got] = '\0';
	if (got == 0 || (size_t)got > LINE_MAX_BYTES || strlen(buf) != (size_t)got) {
		fprintf(stderr, "fixwatch: new-record: %s: the line is empty, longer than %d bytes "
			"or holds a NUL byte\n", arg, LINE_MAX_BYTES);
		free(buf);
		return -EINVAL;
	}
	*out = buf;
	*len = (size_t)got;
	return 0;
}

static json_object *
string(const char *s)
{
	return json_object_new_string(s);
}

int
fw_new_record_command(int argc, char **argv)
{
	struct fw_generalised g;
	struct line_parts p;
	json_object *rec, *logs, *examples;
	char *line = NULL, id[64];
	size_t len = 0;
	int severity, rc;

	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		printf("Usage: fixwatch new-record FILE:LINE | -\n"
		       "Print the skeleton of a knowledge-base record for one log line.\n");
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "fixwatch: new-record: give one FILE:LINE, or - to read the line from "
			"standard input\nTry 'fixwatch --help'.\n");
		return 2;
	}
	rc = read_line(argv[1], &line, &len);
	if (rc < 0)
		return rc == -EDOM ? 2 : 1;
	if (split_line(line, len, &p) < 0 || fw_generalise(line + p.msg, len - p.msg, &g) < 0) {
		fprintf(stderr, "fixwatch: new-record: out of memory\n");
		free(line);
		return 1;
	}
	severity = p.severity != FW_SEVERITY_NONE ? p.severity : message_level(line + p.msg);
	snprintf(id, sizeof id, "%s/new-record", p.domain);
	rec = json_object_new_object();
	logs = json_object_new_array();
	examples = json_object_new_array();
	json_object_object_add(rec, "id", string(id));
	json_object_object_add(rec, "signature", string(g.signature));
	json_object_object_add(rec, "regex", string(g.regex));
	json_object_object_add(rec, "domain", string(p.domain));
	json_object_object_add(rec, "severity", string(fw_severity_name(severity)));
	/* An error log's record: text a client put into an access log cannot raise it. */
	json_object_array_add(logs, string("plain"));
	json_object_array_add(logs, string("syslog"));
	json_object_array_add(logs, string("journal"));
	json_object_object_add(rec, "logs", logs);
	json_object_object_add(rec, "root_cause", string(""));
	json_object_object_add(rec, "diagnose", json_object_new_array());
	json_object_object_add(rec, "workarounds", json_object_new_array());
	json_object_object_add(rec, "dead_ends", json_object_new_array());
	json_object_array_add(examples, string(line));
	json_object_object_add(rec, "examples", examples);
	json_object_object_add(rec, "counterexamples", json_object_new_array());
	json_object_object_add(rec, "_rules", string(rules));
	printf("%s\n", json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
							   JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(rec);
	free(g.regex);
	free(g.signature);
	free(line);
	return fflush(stdout) == EOF ? 1 : 0;
}
