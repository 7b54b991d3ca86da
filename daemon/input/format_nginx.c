/*
 * format_nginx: access logs written with a custom nginx `log_format`
 * (`log_format =` in [input.*]). The format is compiled once, when the
 * configuration is read, into literals and variables; a line is then split
 * by finding each literal after the variable before it, with no regular
 * expression. Fields take the variables' names without `$` (`status`,
 * `upstream_status`, `request_time`...), so KB `fields` apply to them.
 *
 * The specification is either the format text as it is:
 *   log_format = $remote_addr - $remote_user [$time_local] "$request" $status
 * or the arguments of nginx's directive as nginx.conf writes them: an
 * optional `log_format` and name, an optional `escape=default|json|none`,
 * then quoted strings that are joined without blanks (nginx.conf's
 * escapes \" \' \\ \t \r \n apply inside them), and an optional `;`:
 *   log_format = main escape=json '{"status":"$status",' '"rt":"$request_time"}';
 * Text starting with a single quote must be in that form; text starting
 * with a double quote is in it only when it is nothing but quoted strings.
 * Variables are `$name` or `${name}`.
 *
 * Values (ngx_http_log_module's escape parameter): with escape=default
 * nginx writes `"`, `\`, bytes below 32 and above 126 as \xXX, which are
 * decoded; with escape=json it writes JSON string escapes, decoded too;
 * with none, values are as written. A value of `-` (nginx's "no value")
 * is empty. Each variable has a shape (format_nginx_shape.h: digits for
 * `status` and counts, addresses, hosts, an access-log time, upstream
 * lists..., free text for the others). A variable ends where the literal
 * after it is next found; a candidate end is passed over when the value
 * does not have the variable's shape, or when it is an escaped `"`
 * (escape=json) or falls inside an upstream list's ", " or " : ", and the
 * rest of the line is tried again from the next one, within a bounded
 * number of tries. The line must end with the format's last literal.
 *
 * Two variables with nothing between them are split where the first one's
 * shape decides: after its fixed width (`status`), or at the first byte it
 * cannot hold when the second cannot start with any byte the first holds
 * (`$host$request_uri`: a host holds no '/', a URI starts with one;
 * `$status$body_bytes_sent`). Else, when the second has a fixed width and a
 * literal or the line's end comes after it (`"$http_user_agent$status"`),
 * the pair takes the text up to that literal and the second its last
 * bytes. nginx's `-` on either side is tried too. Where nothing decides
 * (`$remote_addr$remote_user`), the format is refused, naming both
 * variables.
 *
 * The event time is `time_local`, else `time_iso8601`, else `msec`. The
 * parts of `request` are also given as request_method, request_uri and
 * server_protocol when the format does not log those itself. Per line
 * nothing is allocated: spans live in the compiled format, decoded values
 * in the parser's buffer.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonw.h"
#include "input/format_int.h"
#include "input/format_nginx_int.h"
#include "input/format_nginx_shape.h"
#include "util/hex.h"

static void say(char *why, size_t why_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
say(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
}

/* Up to 40 bytes of s, for naming the part of the format an error is about. */
#define PART(s) (int)(strlen(s) > 40 ? 40 : strlen(s)), (s)

/* -- the specification ---------------------------------------------------- */

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *
skip_blanks(const char *p)
{
	while (is_blank(*p))
		p++;
	return p;
}

static size_t
token_len(const char *p)
{
	size_t n = 0;

	while (p[n] && !is_blank(p[n]))
		n++;
	return n;
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/*
 * The quoted strings from p to the end (nginx.conf's form), joined into d:
 * true when p holds nothing else (but blanks and one final ';').
 */
static bool
quoted_strings(const char *p, char *d)
{
	size_t k = 0;

	for (p = skip_blanks(p); *p == '\'' || *p == '"'; p = skip_blanks(p)) {
		char q = *p++;

		for (; *p && *p != q; p++) {
			if (*p != '\\' || !p[1]) {
				d[k++] = *p;
				continue;
			}
			switch (p[1]) {
			case '"': case '\'': case '\\': d[k++] = p[1]; break;
			case 't': d[k++] = '\t'; break;
			case 'r': d[k++] = '\r'; break;
			case 'n': d[k++] = '\n'; break;
			default: d[k++] = '\\'; d[k++] = p[1]; break;  /* nginx keeps others */
			}
			p++;
		}
		if (!*p)
			return false;
		p++;
		if (*p && !is_blank(*p) && *p != ';' && *p != '\'' && *p != '"')
			return false;   /* text glued to a closing quote: not nginx.conf's form */
	}
	if (*p == ';')
		p = skip_blanks(p + 1);
	d[k] = '\0';
	return *p == '\0';
}

/* The options before the format, then the format text into lf->text. */
static int
read_spec(struct fw_log_format *lf, const char *spec, char *why, size_t why_len)
{
	const char *p = skip_blanks(spec);
	bool named = false;
	size_t n;

	if (strncmp(p, "log_format", 10) == 0 && is_blank(p[10]))
		p = skip_blanks(p + 10);
	while (*p && *p != '\'' && *p != '"') {
		const char *next;

		n = token_len(p);
		next = skip_blanks(p + n);
		if (n > 7 && strncmp(p, "escape=", 7) == 0) {
			if (n == 14 && strncmp(p + 7, "default", 7) == 0)
				lf->escape = FW__ESCAPE_DEFAULT;
			else if (n == 11 && strncmp(p + 7, "json", 4) == 0)
				lf->escape = FW__ESCAPE_JSON;
			else if (n == 11 && strncmp(p + 7, "none", 4) == 0)
				lf->escape = FW__ESCAPE_NONE;
			else {
				say(why, why_len, "unknown '%.*s' (escape=default, json or none)", (int)n, p);
				return -EINVAL;
			}
			p = next;
			continue;
		}
		/* nginx's name of the format: a word before the quoted strings */
		if (!named && (*next == '\'' || *next == '"' || strncmp(next, "escape=", 7) == 0)) {
			for (size_t i = 0; i < n; i++)
				if (!is_name_char(p[i]) && p[i] != '-')
					goto text;
			named = true;
			p = next;
			continue;
		}
		break;
	}
text:
	if (!*p) {
		say(why, why_len, "no format after the options");
		return -EINVAL;
	}
	if ((*p == '\'' || *p == '"') && quoted_strings(p, lf->text)) {
		lf->quoted = true;
		return 0;
	}
	if (*p == '\'') {
		say(why, why_len, "'%.*s': in nginx.conf's form write only quoted strings, closed, "
		    "between blanks ('...' '...';)", PART(p));
		return -EINVAL;
	}
	strcpy(lf->text, p);
	return 0;
}

/* -- the format ----------------------------------------------------------- */

static void
add_item(struct fw_log_format *lf, bool is_var, const char *s, size_t n)
{
	struct nginx_item *it = &lf->items[lf->n_items++];

	*it = (struct nginx_item){ .is_var = is_var, .s = s, .n = n };
	if (is_var) {
		const struct fw__shape_bytes *b;

		it->shape = fw__nginx_shape_of(s, n);
		b = &lf->bytes[it->shape];
		/* nothing but the bytes to check: no '"' to find, no width, time, decimal point or list */
		it->set_decides = !fw__byteset_has(&b->set, '"') && !b->width && !b->lists &&
				  it->shape != FW__SHAPE_TIME_LOCAL && it->shape != FW__SHAPE_TIME_ISO8601 &&
				  it->shape != FW__SHAPE_DECIMAL && it->shape != FW__SHAPE_SIGNED;
		it->var = lf->n_vars++;
	}
}

static bool
item_is(const struct nginx_item *it, const char *name)
{
	return it->is_var && it->n == strlen(name) && memcmp(it->s, name, it->n) == 0;
}

static void
note_var(struct fw_log_format *lf, const struct nginx_item *it)
{
	if (item_is(it, "request") && lf->request < 0)
		lf->request = (int)it->var;
	else if (item_is(it, "time_local") && lf->time_local < 0)
		lf->time_local = (int)it->var;
	else if (item_is(it, "time_iso8601") && lf->time_iso8601 < 0)
		lf->time_iso8601 = (int)it->var;
	else if (item_is(it, "msec") && lf->msec < 0)
		lf->msec = (int)it->var;
}

/*
 * Whether the end of variable a, followed by variable b, is decided by a's
 * shape: a has a fixed width, or no byte b may start with (but nginx's '-',
 * tried both ways) can be in a.
 */
static bool
decided_forward(const struct fw_log_format *lf, const struct nginx_item *a, const struct nginx_item *b)
{
	const struct fw__shape_bytes *x = &lf->bytes[a->shape], *y = &lf->bytes[b->shape];

	if (x->width)
		return true;
	for (unsigned c = 0; c < 256; c++)
		if (c != '-' && fw__byteset_has(&y->first, (unsigned char)c) &&
		    fw__byteset_has(&x->set, (unsigned char)c))
			return false;
	return true;
}

/*
 * Whether the boundary between variables k and k + 1 is decided: by the
 * first one's shape (split_adjacent), or by the second's fixed width when
 * a literal or the line's end closes it (the pair is then split from its
 * end: fill). Marks the second case on item k.
 */
static bool
adjacent_decided(struct fw_log_format *lf, size_t k)
{
	struct nginx_item *a = &lf->items[k];
	const struct nginx_item *b = &lf->items[k + 1];

	if (decided_forward(lf, a, b))
		return true;
	if (!lf->bytes[b->shape].width || (k + 2 < lf->n_items && lf->items[k + 2].is_var))
		return false;
	a->split_right = true;
	return true;
}

/* lf->text into items; errors quote the part of the format. */
static int
compile_text(struct fw_log_format *lf, char *why, size_t why_len)
{
	const char *t = lf->text, *lit = t;
	bool request = false, parts = false;

	while (*t) {
		const char *name, *var = t;
		size_t n = 0;

		if (*t != '$') {
			t++;
			continue;
		}
		if (t[1] == '{') {
			name = t + 2;
			while (is_name_char(name[n]))
				n++;
			if (name[n] != '}' || n == 0) {
				say(why, why_len, "'%.*s': '${' must hold a variable name and '}'", PART(var));
				return -EINVAL;
			}
			t = name + n + 1;
		} else {
			name = t + 1;
			while (is_name_char(name[n]))
				n++;
			if (n == 0) {
				say(why, why_len, "'%.*s': '$' without a variable name (write $name or ${name})",
				    PART(var));
				return -EINVAL;
			}
			t = name + n;
		}
		if (var > lit)
			add_item(lf, false, lit, (size_t)(var - lit));
		if (lf->n_vars == FW_FIELDS_MAX) {
			say(why, why_len, "'%.*s': more than %d variables", PART(var), FW_FIELDS_MAX);
			return -EINVAL;
		}
		add_item(lf, true, name, n);
		note_var(lf, &lf->items[lf->n_items - 1]);
		request |= item_is(&lf->items[lf->n_items - 1], "request");
		parts |= item_is(&lf->items[lf->n_items - 1], "request_method") ||
			 item_is(&lf->items[lf->n_items - 1], "request_uri") ||
			 item_is(&lf->items[lf->n_items - 1], "server_protocol");
		lit = t;
	}
	if (*lit)
		add_item(lf, false, lit, strlen(lit));
	for (size_t k = 0; k + 1 < lf->n_items; k++)
		if (lf->items[k].is_var && lf->items[k + 1].is_var && !adjacent_decided(lf, k)) {
			const struct nginx_item *a = &lf->items[k], *b = &lf->items[k + 1];
			const char *from = b->s[-1] == '{' ? b->s - 2 : b->s - 1;   /* its '$' */

			say(why, why_len, "'$%.*s%.*s': two variables with nothing between them: no value shape "
			    "decides where $%.*s ends and $%.*s starts (put text between them)%s",
			    (int)a->n, a->s, PART(from), (int)a->n, a->s, (int)b->n, b->s,
			    lf->quoted ? "; nginx.conf's quoted strings are joined without blanks" : "");
			return -EINVAL;
		}
	for (size_t k = 0; k + 1 < lf->n_items; k++) {
		struct nginx_item *it = &lf->items[k];

		it->stops = it->is_var && !it->split_right && !lf->items[k + 1].is_var &&
			    !fw__byteset_has(&lf->bytes[it->shape].set, (unsigned char)lf->items[k + 1].s[0]);
	}
	if (lf->n_vars == 0) {
		say(why, why_len, "'%.*s': no variable ($name) to take a field from", PART(lf->text));
		return -EINVAL;
	}
	lf->request_parts = request && !parts;
	return 0;
}

void
fw__nginx_free(struct fw_log_format *lf)
{
	if (!lf)
		return;
	free(lf->spec);
	free(lf->text);
	free(lf->items);
	free(lf->spans);
	free(lf->memo);
	free(lf->names_json);
	free(lf);
}

/*
 * The names a line's fields take, in their order (the variables', then
 * request's parts when they are given), once: their repeats and JSON.
 */
static int
compile_names(struct fw_log_format *lf)
{
	static const char *const parts[] = { "request_method", "request_uri", "server_protocol" };
	struct { const char *s; size_t n; } name[FW_FIELDS_MAX];
	struct fw_jbuf j = { 0 };
	uint32_t n = 0;

	for (size_t k = 0; k < lf->n_items && n < FW_FIELDS_MAX; k++)
		if (lf->items[k].is_var) {
			name[n].s = lf->items[k].s;
			name[n++].n = lf->items[k].n;
		}
	for (size_t k = 0; lf->request_parts && k < 3 && n < FW_FIELDS_MAX; k++) {
		name[n].s = parts[k];
		name[n++].n = strlen(parts[k]);
	}
	for (uint32_t i = 0; i < n; i++) {
		for (uint32_t k = 0; k < i; k++)
			if (name[k].n == name[i].n && memcmp(name[k].s, name[i].s, name[i].n) == 0) {
				lf->dups |= UINT64_C(1) << i;
				break;
			}
		fw_jbuf_text(&j, name[i].s, name[i].n);
		FW_JBUF_LIT(&j, ":");
		lf->names_json_at[i + 1] = (uint32_t)j.len;
	}
	if (!fw_jbuf_reserve(&j, 16) || j.len > UINT32_MAX) {
		fw_jbuf_free(&j);
		return -ENOMEM;
	}
	memset(j.data + j.len, 0, 16);
	lf->names_json = j.data;
	lf->names_id = fw__fmt_names_id();
	return 0;
}

int
fw__nginx_compile(const char *spec, struct fw_log_format **out, char *why, size_t why_len)
{
	struct fw_log_format *lf = calloc(1, sizeof *lf);
	size_t len = strlen(spec);
	int err = -ENOMEM;

	*out = NULL;
	if (!lf)
		return -ENOMEM;
	lf->request = lf->time_local = lf->time_iso8601 = lf->msec = -1;
	fw__nginx_shape_bytes(lf->bytes);
	lf->spec = strdup(spec);
	lf->text = malloc(len + 1);
	/* a literal and a variable per '$' at most, and a last literal */
	lf->items = calloc(2 * len + 1, sizeof *lf->items);
	if (!lf->spec || !lf->text || !lf->items)
		goto fail;
	if ((err = read_spec(lf, spec, why, why_len)) < 0 ||
	    (err = compile_text(lf, why, why_len)) < 0)
		goto fail;
	err = -ENOMEM;
	if (!(lf->spans = calloc(lf->n_vars, sizeof *lf->spans)) || !(lf->memo = calloc(1, sizeof *lf->memo)) ||
	    compile_names(lf) < 0)
		goto fail;
	*out = lf;
	return 0;
fail:
	if (err == -ENOMEM)
		say(why, why_len, "out of memory");
	fw__nginx_free(lf);
	return err;
}

const char *
fw__nginx_spec(const struct fw_log_format *lf)
{
	return lf->spec;
}
