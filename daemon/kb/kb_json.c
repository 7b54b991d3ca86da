/*
 * kb_json: a quick path to the json-c tree of a well-formed KB file.
 *
 * json-c's tokener reads its input one byte at a time through a state
 * machine. A KB file is nearly all string content, which this reader
 * copies a run at a time, building the same json-c objects with json-c's
 * own constructors.
 *
 * It takes only plain RFC 8259 JSON that json-c in strict mode surely
 * reads the same way: an object at the top, no \u escapes, no exponents,
 * integers of at most 18 digits, no raw control characters, nesting of at
 * most 16 levels. Anything else, including every error, it declines, and
 * the caller parses the text with json-c as before, so that what is
 * accepted and every error message and column stay json-c's own.
 * tests/test_kb.c compares the two on the shipped KB and on edge cases.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "kb/kb_loader.h"
#include "util/mix.h"
#include "util/swar.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define DEPTH_MAX 16    /* objects and arrays open at once, the top object included */
#define DIGITS_MAX 18

struct reader {
	const char *s, *end;
	char *buf;                      /* a decoded string or key, NUL-terminated */
	size_t cap;
	char *keys;                     /* the keys of the objects being read, a stack */
	size_t keys_len, keys_cap;
	struct kb_keys *kept;           /* or keys kept once each, for json-c to hold */
	bool declined;
};

static json_object *read_value(struct reader *r, unsigned depth);

static void
skip_ws(struct reader *r)
{
	while (r->s < r->end && (*r->s == ' ' || *r->s == '\n' || *r->s == '\t' || *r->s == '\r'))
		r->s++;
}

static json_object *
decline(struct reader *r)
{
	r->declined = true;
	return NULL;
}

static bool
grow(char **buf, size_t *cap, size_t n)
{
	char *b;
	size_t c = *cap ? *cap : 256;

	if (n <= *cap)
		return true;
	while (c < n)
		c *= 2;
	b = realloc(*buf, c);
	if (!b)
		return false;
	*buf = b;
	*cap = c;
	return true;
}

static bool
reserve(struct reader *r, size_t n)
{
	return grow(&r->buf, &r->cap, n);
}

/*
 * The end of the run of plain string bytes at s: the first quote,
 * backslash or control character, or end. Sixteen bytes are tested at a
 * time with SSE2, else eight (util/swar.h); the bytewise loop finds the
 * byte.
 */
static const char *
plain_run(const char *s, const char *end)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
	const __m128i control = _mm_set1_epi8(0x1f);

	while (end - s >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
		/* max(v, 0x1f) == 0x1f exactly for the bytes below 0x20 (unsigned). */
		__m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
					    _mm_cmpeq_epi8(_mm_max_epu8(v, control), control));
		int m = _mm_movemask_epi8(stop);

		if (m)
			return s + __builtin_ctz((unsigned)m);
		s += 16;
	}
#endif
	while (end - s >= 8) {
		uint64_t w;

		memcpy(&w, s, 8);
		if (fw_swar_has_json_stop(w))
			break;
		s += 8;
	}
	while (s < end && *s != '"' && *s != '\\' && (unsigned char)*s >= 0x20)
		s++;
	return s;
}

/*
 * The string at r->s (after its opening quote) decoded into r->buf; its
 * length, or -1 when declined.
 */
static ssize_t
read_string(struct reader *r)
{
	size_t n = 0;

	for (;;) {
		const char *run = r->s;

		r->s = plain_run(r->s, r->end);
		if (!reserve(r, n + (size_t)(r->s - run) + 2))
			return -1;
		memcpy(r->buf + n, run, (size_t)(r->s - run));
		n += (size_t)(r->s - run);
		if (r->s >= r->end || (unsigned char)*r->s < 0x20)
			return -1;
		if (*r->s++ == '"')
			break;
		if (r->s >= r->end)
			return -1;
		switch (*r->s++) {
		case '"':  r->buf[n++] = '"'; break;
		case '\\': r->buf[n++] = '\\'; break;
		case '/':  r->buf[n++] = '/'; break;
		case 'b':  r->buf[n++] = '\b'; break;
		case 'f':  r->buf[n++] = '\f'; break;
		case 'n':  r->buf[n++] = '\n'; break;
		case 'r':  r->buf[n++] = '\r'; break;
		case 't':  r->buf[n++] = '\t'; break;
		default:   return -1;     /* \u, and every invalid escape */
		}
	}
	r->buf[n] = '\0';
	return (ssize_t)n;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?, as json-c makes it: int64 or a double keeping its text. */
static json_object *
read_number(struct reader *r)
{
	const char *start = r->s;
	size_t digits = 0;
	bool frac = false;
	json_object *o;

	if (r->s < r->end && *r->s == '-')
		r->s++;
	if (r->s >= r->end || !is_digit(*r->s))
		return decline(r);
	if (*r->s == '0' && r->s + 1 < r->end && is_digit(r->s[1]))
		return decline(r);
	while (r->s < r->end && is_digit(*r->s)) {
		r->s++;
		digits++;
	}
	if (r->s < r->end && *r->s == '.') {
		frac = true;
		r->s++;
		if (r->s >= r->end || !is_digit(*r->s))
			return decline(r);
		while (r->s < r->end && is_digit(*r->s)) {
			r->s++;
			digits++;
		}
	}
	if (digits > DIGITS_MAX || (r->s < r->end && (*r->s == 'e' || *r->s == 'E')))
		return decline(r);
	if (!reserve(r, (size_t)(r->s - start) + 1))
		return decline(r);
	memcpy(r->buf, start, (size_t)(r->s - start));
	r->buf[r->s - start] = '\0';
	if (frac)
		o = json_object_new_double_s(strtod(r->buf, NULL), r->buf);
	else
		o = json_object_new_int64(strtoll(r->buf, NULL, 10));
	return o ? o : decline(r);
}

static bool
read_word(struct reader *r, const char *w, size_t n)
{
	if ((size_t)(r->end - r->s) < n || memcmp(r->s, w, n) != 0)
		return false;
	r->s += n;
	return true;
}

static size_t
key_hash(const char *s, size_t n)
{
	uint64_t h = FW_MIX_SEED;

	for (size_t i = 0; i < n; i++)
		h = fw_mix_step(h, (unsigned char)s[i]);
	return (size_t)(h >> 32);
}

/* The kept copy of key s[0..n) (no NUL in it: \u escapes are declined); NULL on out-of-memory. */
static const char *
key_kept(struct kb_keys *k, const char *s, size_t n)
{
	size_t j;

	if (2 * (k->n + 1) > k->mask + 1) {
		size_t size = k->mask ? 2 * (k->mask + 1) : 64;
		const char **t = calloc(size, sizeof *t);

		if (!t)
			return NULL;
		for (size_t i = 0; k->mask && i <= k->mask; i++) {
			if (!k->slot[i])
				continue;
			for (j = key_hash(k->slot[i], strlen(k->slot[i])) & (size - 1); t[j]; j = (j + 1) & (size - 1))
				;
			t[j] = k->slot[i];
		}
		free(k->slot);
		k->slot = t;
		k->mask = size - 1;
	}
	for (j = key_hash(s, n) & k->mask; k->slot[j]; j = (j + 1) & k->mask)
		if (strncmp(k->slot[j], s, n) == 0 && k->slot[j][n] == '\0')
			return k->slot[j];
	k->slot[j] = fw_arena_strdup(k->arena, s, n);
	if (k->slot[j])
		k->n++;
	return k->slot[j];
}

void
fw__kb_keys_free(struct kb_keys *keys)
{
	free(keys->slot);
	keys->slot = NULL;
	keys->mask = keys->n = 0;
}

static json_object *
read_object(struct reader *r, unsigned depth)
{
	json_object *obj = json_object_new_object();

	if (!obj)
		return decline(r);
	skip_ws(r);
	if (r->s < r->end && *r->s == '}') {
		r->s++;
		return obj;
	}
	for (;;) {
		json_object *v;
		ssize_t n;
		size_t key;

		skip_ws(r);
		if (r->s >= r->end || *r->s != '"')
			break;
		r->s++;
		if ((n = read_string(r)) < 0)
			break;
		skip_ws(r);
		if (r->s >= r->end || *r->s != ':')
			break;
		r->s++;
		if (r->kept) {
			/* Kept once per load: json-c holds it as a constant key. */
			const char *k = key_kept(r->kept, r->buf, (size_t)n);

			if (!k)
				break;
			v = read_value(r, depth + 1);
			if (r->declined || json_object_object_add_ex(obj, k, v, JSON_C_OBJECT_ADD_CONSTANT_KEY) < 0) {
				json_object_put(v);
				break;
			}
		} else {
			/* The value reuses r->buf (and its objects push their keys): the
			 * key waits on the stack, found by its offset. */
			key = r->keys_len;
			if (!grow(&r->keys, &r->keys_cap, key + (size_t)n + 1))
				break;
			memcpy(r->keys + key, r->buf, (size_t)n + 1);
			r->keys_len += (size_t)n + 1;
			v = read_value(r, depth + 1);
			if (r->declined || json_object_object_add(obj, r->keys + key, v) < 0) {
				json_object_put(v);
				break;
			}
			r->keys_len = key;
		}
		skip_ws(r);
		if (r->s < r->end && *r->s == ',') {
			r->s++;
			continue;
		}
		if (r->s < r->end && *r->s == '}') {
			r->s++;
			return obj;
		}
		break;
	}
	json_object_put(obj);
	return decline(r);
}

static json_object *
read_array(struct reader *r, unsigned depth)
{
	json_object *arr = json_object_new_array();

	if (!arr)
		return decline(r);
	skip_ws(r);
	if (r->s < r->end && *r->s == ']') {
		r->s++;
		return arr;
	}
	for (;;) {
		json_object *v = read_value(r, depth + 1);

		if (r->declined || json_object_array_add(arr, v) < 0) {
			json_object_put(v);
			break;
		}
		skip_ws(r);
		if (r->s < r->end && *r->s == ',') {
			r->s++;
			continue;
		}
		if (r->s < r->end && *r->s == ']') {
			r->s++;
			return arr;
		}
		break;
	}
	json_object_put(arr);
	return decline(r);
}

/* NULL for JSON null (as json-c), or with r->declined set. */
static json_object *
read_value(struct reader *r, unsigned depth)
{
	ssize_t n;
	json_object *o;

	skip_ws(r);
	if (r->s >= r->end)
		return decline(r);
	switch (*r->s) {
	case '{':
		if (depth >= DEPTH_MAX)
			return decline(r);
		r->s++;
		return read_object(r, depth);
	case '[':
		if (depth >= DEPTH_MAX)
			return decline(r);
		r->s++;
		return read_array(r, depth);
	case '"':
		r->s++;
		if ((n = read_string(r)) < 0)
			return decline(r);
		o = json_object_new_string_len(r->buf, (int)n);
		return o ? o : decline(r);
	case 't':
		if (read_word(r, "true", 4) && (o = json_object_new_boolean(1)))
			return o;
		return decline(r);
	case 'f':
		if (read_word(r, "false", 5) && (o = json_object_new_boolean(0)))
			return o;
		return decline(r);
	case 'n':
		if (read_word(r, "null", 4))
			return NULL;
		return decline(r);
	default:
		return read_number(r);
	}
}

json_object *
fw__kb_json_quick(const char *text, size_t len)
{
	return fw__kb_json_quick_keys(text, len, NULL);
}

json_object *
fw__kb_json_quick_keys(const char *text, size_t len, struct kb_keys *keys)
{
	struct reader r = { .s = text, .end = text + len, .kept = keys };
	json_object *o = NULL;

	skip_ws(&r);
	if (r.s < r.end && *r.s == '{' && len < INT32_MAX) {
		o = read_value(&r, 0);
		skip_ws(&r);
		if (!r.declined && r.s != r.end) {
			json_object_put(o);
			o = NULL;
		}
	}
	free(r.buf);
	free(r.keys);
	return o;
}
