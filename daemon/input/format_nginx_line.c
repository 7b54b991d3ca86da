/*
 * format_nginx_line: a line of an access log split by its compiled nginx
 * `log_format` (how, and what a value must look like: format_nginx.c).
 */
#include "config.h"

#include <string.h>

#include "input/format_int.h"
#include "input/format_nginx_int.h"
#include "input/format_nginx_shape.h"
#include "util/hex.h"

#define TRIES_PER_LINE 256      /* candidate ends tried per line before it is given up */

struct run {
	const struct fw_log_format *lf;
	const char *s;
	size_t len;
	unsigned tries;
	bool has_time;              /* the time of the first time_local, as it last fit */
	struct timespec time;
};

static inline int
two_digits(const char *s, int below)
{
	int v;

	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	v = (s[0] - '0') * 10 + (s[1] - '0');
	return v < below ? v : -1;
}

/*
 * Whether v (memo->len bytes) is the memo's time or one of the same hour
 * ("04/Dec/2026:14:" and " +0100" as the memo's, minutes and seconds valid
 * digits): then its time, the memo's moved by the difference, as
 * fw__time_clf would have found it (its fields add up linearly within an
 * hour). Busy logs write a new second on almost every line.
 */
static inline bool
memo_time(const struct time_memo *memo, const char *v, struct timespec *t)
{
	int m, sec, m0, sec0;

	if (memcmp(v, memo->text, memo->len) == 0) {
		*t = memo->time;
		return true;
	}
	/* only an fw__time_clf time (26 bytes) is kept in the memo */
	if (memo->len != 26 || memcmp(v, memo->text, 15) != 0 || v[17] != ':' || memcmp(v + 20, memo->text + 20, 6) != 0 ||
	    (m = two_digits(v + 15, 60)) < 0 || (sec = two_digits(v + 18, 61)) < 0)
		return false;
	m0 = two_digits(memo->text + 15, 60);
	sec0 = two_digits(memo->text + 18, 61);
	t->tv_sec = memo->time.tv_sec + (m - m0) * 60 + (sec - sec0);
	t->tv_nsec = memo->time.tv_nsec;
	return true;
}

/*
 * Whether v can be a time_local's value; when it is a time, its time in r.
 * Apart from fits_scanned, which stays small enough to inline.
 */
static enum fw__fit
fits_time(struct run *r, const struct nginx_item *it, const char *v, size_t n, bool scanned)
{
	struct time_memo *memo = r->lf->memo;
	struct timespec t;
	enum fw__fit fit;

	/* memo->len 0: no time seen yet, and an empty value is not a time */
	if (!(memo->len && n == memo->len && memo_time(memo, v, &t))) {
		fit = fw__nginx_shape_fits(r->lf->bytes, it->shape, r->lf->escape, v, n, scanned, &t);
		if (fit != FW__FIT || (n == 1 && v[0] == '-'))
			return fit;
		if (n <= sizeof memo->text) {
			memcpy(memo->text, v, n);
			memo->len = n;
			memo->time = t;
		}
	}
	/* the line's time is its field time_local's, the format's first; a second is a field only */
	if ((int)it->var == r->lf->time_local) {
		r->has_time = true;
		r->time = t;
	}
	return FW__FIT;
}

/*
 * Whether v can be the variable's value. The format's first time_local
 * leaves its time in r when it fits: the last time it fit is the split that
 * succeeds (a later try of it would set the time again).
 */
static inline enum fw__fit
fits_scanned(struct run *r, const struct nginx_item *it, const char *v, size_t n, bool scanned)
{
	const struct fw__shape_bytes *b = &r->lf->bytes[it->shape];
	struct timespec unused;

	/* the common case, decided here: the caller scanned the bytes, the first one is right */
	if (scanned && it->set_decides && n && fw__byteset_has(&b->first, (unsigned char)v[0]))
		return FW__FIT;
	if (it->shape == FW__SHAPE_TIME_LOCAL)
		return fits_time(r, it, v, n, scanned);
	return fw__nginx_shape_fits(r->lf->bytes, it->shape, r->lf->escape, v, n, scanned, &unused);
}

static enum fw__fit
fits(struct run *r, const struct nginx_item *it, const char *v, size_t n)
{
	return fits_scanned(r, it, v, n, false);
}

/* Whether the literal found at end can close the variable's value started at start. */
static bool
can_end(const struct run *r, const struct nginx_item *var, const struct nginx_item *lit,
	size_t start, size_t end)
{
	const char *s = r->s;

	if (r->lf->escape == FW__ESCAPE_JSON && lit->s[0] == '"') {
		size_t k = end;

		while (k > start && s[k - 1] == '\\')
			k--;
		if ((end - k) % 2)
			return false;   /* \" inside the value */
	}
	/* "502, 504" and "10.0.0.1:80 : 10.0.0.2:80" are one upstream_* value */
	if (r->lf->bytes[var->shape].lists && lit->s[0] == ' ' && end > start &&
	    (s[end - 1] == ',' || s[end - 1] == ':' ||
	     (end + 2 < r->len && s[end + 1] == ':' && s[end + 2] == ' ')))
		return false;
	return true;
}

/* The literal's next place at or after from. Literals are short: memmem's set-up costs more. */
static const char *
find(const char *s, size_t len, size_t from, const struct nginx_item *lit)
{
	const char *at = s + from, *end = s + len;

	if (lit->n == 1)
		return memchr(at, lit->s[0], (size_t)(end - at));
	while (at + lit->n <= end && (at = memchr(at, lit->s[0], (size_t)(end - at))) != NULL) {
		if (at + lit->n <= end && memcmp(at + 1, lit->s + 1, lit->n - 1) == 0)
			return at;
		at++;
	}
	return NULL;
}

static bool match_from(struct run *r, size_t k, size_t pos);

/*
 * Variable k is followed by literal k + 1 whose first byte its value cannot
 * hold (`$status `, `[$time_local]`): the value ends at the first byte
 * outside its shape, or is nginx's "-". One pass, no search for the literal.
 */
static bool
span_to_literal(struct run *r, size_t k, size_t pos)
{
	const struct nginx_item *var = &r->lf->items[k], *lit = var + 1;
	const struct fw__byteset *set = &r->lf->bytes[var->shape].set;
	size_t end = pos, cand[2], n = 0;

	while (end < r->len && fw__byteset_has(set, (unsigned char)r->s[end]))
		end++;
	cand[n++] = end;
	if (pos < r->len && r->s[pos] == '-' && end != pos + 1)
		cand[n++] = pos + 1;
	for (size_t i = 0; i < n; i++) {
		size_t at = cand[i];

		if (++r->tries > TRIES_PER_LINE)
			return false;
		if (r->len - at >= lit->n && memcmp(r->s + at, lit->s, lit->n) == 0 &&
		    fits_scanned(r, var, r->s + pos, at - pos, i == 0) == FW__FIT &&
		    match_from(r, k + 2, at + lit->n)) {
			r->lf->spans[var->var] = (struct span){ pos, at };
			return true;
		}
	}
	return false;
}

/*
 * Variable k is followed by variable k + 1 (compiled only where its shape
 * decides the boundary): it ends after its width, or at the first byte it
 * cannot hold. nginx's "-" for either of them is tried too.
 */
static bool
split_adjacent(struct run *r, size_t k, size_t pos)
{
	const struct nginx_item *var = &r->lf->items[k];
	const struct fw__shape_bytes *b = &r->lf->bytes[var->shape];
	size_t end = pos, cand[3], n = 0;

	if (b->width)
		end = r->len - pos < b->width ? r->len : pos + b->width;
	else
		while (end < r->len && fw__byteset_has(&b->set, (unsigned char)r->s[end]))
			end++;
	cand[n++] = end;
	if (end > pos && r->s[end - 1] == '-')
		cand[n++] = end - 1;            /* the second is "-" */
	if (pos < r->len && r->s[pos] == '-' && end != pos + 1)
		cand[n++] = pos + 1;            /* the first is "-" */
	for (size_t i = 0; i < n; i++) {
		if (++r->tries > TRIES_PER_LINE)
			return false;
		if (fits_scanned(r, var, r->s + pos, cand[i] - pos, i == 0 && !b->width) == FW__FIT &&
		    match_from(r, k + 1, cand[i])) {
			r->lf->spans[var->var] = (struct span){ pos, cand[i] };
			return true;
		}
	}
	return false;
}

/*
 * The variable k takes s[pos..end), or, when its end is decided by the next
 * one's fixed width (split_right), the two take it: the second its width or
 * nginx's "-" at the end. FW__FIT_NEVER when no longer end can do either.
 */
static inline enum fw__fit
fill(struct run *r, size_t k, size_t pos, size_t end)
{
	const struct nginx_item *a = &r->lf->items[k], *b;
	size_t width, cut;
	enum fw__fit first;

	if (!a->split_right) {
		r->lf->spans[a->var] = (struct span){ pos, end };
		return fits(r, a, r->s + pos, end - pos);
	}
	b = a + 1;
	width = r->lf->bytes[b->shape].width;
	if (end - pos < width)
		return FW__FIT_NOT;
	cut = end - width;
	first = fits(r, a, r->s + pos, cut - pos);
	if (first == FW__FIT && fits(r, b, r->s + cut, width) == FW__FIT) {
		r->lf->spans[a->var] = (struct span){ pos, cut };
		r->lf->spans[b->var] = (struct span){ cut, end };
		return FW__FIT;
	}
	if (r->s[end - 1] == '-' && fits(r, a, r->s + pos, end - 1 - pos) == FW__FIT) {
		r->lf->spans[a->var] = (struct span){ pos, end - 1 };
		r->lf->spans[b->var] = (struct span){ end - 1, end };
		return FW__FIT;
	}
	/* a longer end only makes the first value longer */
	return first == FW__FIT_NEVER ? FW__FIT_NEVER : FW__FIT_NOT;
}

/* Items k.. against s[pos..len): true and the spans set when they match. */
static bool
match_from(struct run *r, size_t k, size_t pos)
{
	const struct fw_log_format *lf = r->lf;
	const struct nginx_item *var, *last, *lit;
	const char *at;
	size_t next;

	for (; k < lf->n_items && !lf->items[k].is_var; k++) {
		lit = &lf->items[k];
		if (r->len - pos < lit->n || memcmp(r->s + pos, lit->s, lit->n) != 0)
			return false;
		pos += lit->n;
	}
	if (k == lf->n_items)
		return pos == r->len;
	var = &lf->items[k];
	next = k + (var->split_right ? 2 : 1);      /* the item after the variables */
	last = &lf->items[next - 1];
	if (next == lf->n_items)
		return fill(r, k, pos, r->len) == FW__FIT;
	lit = &lf->items[next];
	if (lit->is_var)
		return split_adjacent(r, k, pos);
	if (var->stops && next + 1 < lf->n_items)
		return span_to_literal(r, k, pos);
	if (next + 1 == lf->n_items) {
		/* the format's last literal ends the line */
		size_t end = r->len - lit->n;

		return r->len >= pos + lit->n && memcmp(r->s + end, lit->s, lit->n) == 0 &&
		       can_end(r, last, lit, pos, end) && fill(r, k, pos, end) == FW__FIT;
	}
	for (size_t from = pos; (at = find(r->s, r->len, from, lit)) != NULL; from++) {
		size_t end = (size_t)(at - r->s);
		enum fw__fit fit;

		from = end;
		if (++r->tries > TRIES_PER_LINE)
			return false;
		if (!can_end(r, last, lit, pos, end))
			continue;
		if ((fit = fill(r, k, pos, end)) == FW__FIT_NEVER)
			return false;
		/* the spans fill set hold unless a later try sets them again */
		if (fit == FW__FIT && match_from(r, next + 1, end + lit->n))
			return true;
	}
	return false;
}

/* nginx's escapes of v[0..n) decoded into d (never longer); the length. */
static size_t
unescape(enum fw__nginx_escape escape, const char *v, size_t n, char *d)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		int hi, lo;

		if (v[i] != '\\' || i + 1 == n) {
			d[k++] = v[i];
			continue;
		}
		if (escape == FW__ESCAPE_DEFAULT) {
			if (v[i + 1] == 'x' && i + 3 < n && (hi = fw_hex_value(v[i + 2])) >= 0 &&
			    (lo = fw_hex_value(v[i + 3])) >= 0) {
				d[k++] = (char)(hi << 4 | lo);
				i += 3;
			} else {
				d[k++] = v[i];
			}
			continue;
		}
		/* escape=json: what ngx_escape_json writes */
		switch (v[i + 1]) {
		case '"': case '\\': case '/': d[k++] = v[i + 1]; i++; break;
		case 'n': d[k++] = '\n'; i++; break;
		case 'r': d[k++] = '\r'; i++; break;
		case 't': d[k++] = '\t'; i++; break;
		case 'b': d[k++] = '\b'; i++; break;
		case 'f': d[k++] = '\f'; i++; break;
		case 'u':
			if (i + 5 < n && v[i + 2] == '0' && v[i + 3] == '0' && (hi = fw_hex_value(v[i + 4])) >= 0 &&
			    (lo = fw_hex_value(v[i + 5])) >= 0) {
				d[k++] = (char)(hi << 4 | lo);
				i += 5;
			} else {
				d[k++] = v[i];
			}
			break;
		default:
			d[k++] = v[i];      /* not nginx's: kept as written */
			break;
		}
	}
	return k;
}

bool
fw__nginx_parse(struct fw_format_parser *fp, struct fw_parsed *out)
{
	const struct fw_log_format *lf = fp->log_format;
	struct run r = { .lf = lf, .s = out->text, .len = out->len };
	const struct fw_field *f;
	bool first_fields = out->n_fields == 0;
	/* most lines hold no escape at all: one search of the line, not one per value */
	bool escapes = lf->escape != FW__ESCAPE_NONE && memchr(out->text, '\\', out->len);

	if (!match_from(&r, 0, 0)) {
		out->why = r.tries > TRIES_PER_LINE ? "too many ways to split it by the log_format" :
						       "does not fit the log_format";
		return false;
	}
	for (size_t k = 0; k < lf->n_items; k++) {
		const struct nginx_item *it = &lf->items[k];
		const char *v;
		size_t n;
		char *d;

		if (!it->is_var)
			continue;
		v = r.s + lf->spans[it->var].start;
		n = lf->spans[it->var].end - lf->spans[it->var].start;
		if (n == 1 && v[0] == '-')
			n = 0;
		if (escapes && memchr(v, '\\', n)) {
			d = fw__fmt_room(fp, n);
			n = unescape(lf->escape, v, n, d);
			fw__fmt_commit(fp, n);
			v = d;
		}
		fw__fmt_field(out, it->s, it->n, v, n);
	}
	if (lf->request_parts) {
		f = &out->fields[lf->request];
		fw__request_parts(out, f->value, f->value_len);
	}
	if (lf->time_local >= 0 && out->fields[lf->time_local].value_len) {
		out->has_time = r.has_time;
		out->time = r.time;
	} else if (lf->time_iso8601 >= 0 && (f = &out->fields[lf->time_iso8601])->value_len) {
		out->has_time = fw__time_rfc3339(f->value, f->value_len, &out->time);
	} else if (lf->msec >= 0 && (f = &out->fields[lf->msec])->value_len) {
		out->has_time = fw__time_epoch(f->value, f->value_len, &out->time);
	}
	/* the fields are the format's names in order (request's parts last, when given) */
	out->dups_known = first_fields;
	out->name_dups = lf->dups;
	out->names_json = first_fields ? lf->names_json : NULL;
	out->names_json_at = lf->names_json_at;
	out->names_id = first_fields ? lf->names_id : 0;
	return true;
}
