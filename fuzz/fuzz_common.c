/*
 * fuzz_common: see fuzz_common.h.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "match/match.h"
#include "match/match_fast.h"

const char *
fuzz_write_file(const char *suffix, const void *data, size_t len)
{
	static char path[256];
	const char *dir = getenv("TMPDIR");
	FILE *f;

	snprintf(path, sizeof path, "%s/fw-fuzz-%ld%s", dir ? dir : "/tmp", (long)getpid(), suffix);
	f = fopen(path, "wb");
	if (!f)
		return NULL;
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		return NULL;
	}
	if (fclose(f) != 0)
		return NULL;
	return path;
}

struct fw_kb *
fuzz_load_kb(const char *path, bool no_jit)
{
	const char *paths[1] = { path };
	const struct fw_kb_options opts = { .no_jit = no_jit };
	struct fw_kb *kb = NULL;
	struct fw_diag d;

	fw_diag_init(&d);
	if (fw_kb_load(paths, 1, &opts, &kb, &d) < 0)
		kb = NULL;
	fw_diag_clear(&d);
	unlink(path);
	return kb;
}

struct fw_kb *
fuzz_kb_of_patterns(unsigned flags, unsigned more, const uint8_t **at, const uint8_t *end)
{
	char *jsonl = NULL;
	size_t jlen = 0;
	unsigned n_pat = 1 + (flags & 3) + more;
	const uint8_t *p = *at;
	const char *path;
	FILE *out = open_memstream(&jsonl, &jlen);

	if (!out)
		return NULL;
	for (unsigned i = 0; i < n_pat; i++) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		json_object *o;
		char id[32];

		if (!nl || nl == p || memchr(p, '\0', (size_t)(nl - p))) {
			fclose(out);
			free(jsonl);
			return NULL;
		}
		o = json_object_new_object();
		snprintf(id, sizeof id, "fuzz/r%u", i);
		json_object_object_add(o, "id", json_object_new_string(id));
		json_object_object_add(o, "signature", json_object_new_string(id));
		json_object_object_add(o, "regex", json_object_new_string_len((const char *)p, (int)(nl - p)));
		if (i < 4 && flags & (4u << i))
			json_object_object_add(o, "flags", json_object_new_string("i"));
		fprintf(out, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
		p = nl + 1;
	}
	fclose(out);
	path = fuzz_write_file(".jsonl", jsonl, jlen);
	free(jsonl);
	if (!path)
		return NULL;
	*at = p;
	return fuzz_load_kb(path, (flags & 0x80) != 0);
}

/* Aborts unless hit y of the fast context has the captures of hit x of the reference. */
static void
check_captures(const struct fw_kb *kb, struct fw_match_ctx *fc, const char *line, size_t len,
	       const struct fw_match_result *r, const struct fw_hit *x, const struct fw_match_result *f,
	       const struct fw_hit *y)
{
	struct fw_capture later[64];
	const struct fw_capture *got = f->captures + y->first_capture;
	uint32_t n = y->n_captures;

	if (y->captures_later) {
		int k;

		/* Taken now, as a consumer of the result would take them. */
		if (kb->patterns[y->pattern].n_names > sizeof later / sizeof later[0])
			return;
		k = fw_match_captures(fc, y->pattern, line, len, later, sizeof later / sizeof later[0]);
		if (k < 0)
			abort();
		got = later;
		n = (uint32_t)k;
	}
	if (n != x->n_captures)
		abort();
	for (uint32_t c = 0; c < n; c++) {
		const struct fw_capture *want = &r->captures[x->first_capture + c];

		if (got[c].name != want->name || got[c].offset != want->offset || got[c].length != want->length)
			abort();
	}
}

/*
 * Where a pattern runs without JIT, a line is cut to its first
 * FUZZ_INTERPRETED_LINE_MAX bytes. PCRE2's interpreter searching for a
 * pattern such as the DFA give-up seed's, (?:a|b)*a(?:a|b){200}c, costs
 * about the square of the line's length times the repeat's (the match
 * limit holds per start): 1,500 bytes took 9 s under the sanitizers, near
 * the 10 s timeout, where 512 take 0.2 s. Long lines still run with JIT.
 */
#define FUZZ_INTERPRETED_LINE_MAX 512

/* Whether a pattern of kb runs in PCRE2's interpreter: no JIT, or its own (*NO_JIT). */
static bool
interpreted(const struct fw_kb *kb)
{
	for (uint32_t p = 0; kb->jit && p < kb->n_patterns; p++)
		if (kb->patterns[p].no_jit)
			return true;
	return !kb->jit;
}

/*
 * Aborts when the two contexts' results for the line (its records in mask,
 * NULL: all) differ. Where fc takes captures later (lazy) and a pattern ran
 * out of a limit in rc, fc may hold a hit rc has not: the part before the
 * optional end decides there (match_decide.c, "Limits"), so such a line
 * is not compared.
 */
static void
check_line(const struct fw_kb *kb, struct fw_match_ctx *rc, struct fw_match_ctx *fc, const char *line,
	   size_t len, const uint64_t *mask, bool lazy)
{
	struct fw_match_result r, f;

	if (len > FUZZ_INTERPRETED_LINE_MAX && interpreted(kb))
		len = FUZZ_INTERPRETED_LINE_MAX;

	fw_match_line(rc, line, len, mask, &r);
	fw_match_line(fc, line, len, mask, &f);
	if (lazy && r.limit_errors)
		return;
	if (r.n_hits != f.n_hits || f.limit_errors > r.limit_errors)
		abort();
	for (uint32_t i = 0; i < r.n_hits; i++) {
		if (r.hits[i].record != f.hits[i].record || r.hits[i].pattern != f.hits[i].pattern)
			abort();
		check_captures(kb, fc, line, len, &r, &r.hits[i], &f, &f.hits[i]);
	}
}

/*
 * The line three times: with the keys chosen at compile time; after a
 * sample of one byte has ended on it (the fast context re-keys its
 * literals and re-chooses their lookup bytes for this line's bytes); and
 * once more, as the next sample starts. Each sample of one line also
 * chooses the scan's first stage for the next, so a line whose keys make
 * one stage clearly cheaper is matched with both. With lazy, the fast
 * context takes captures later (fw_match_lazy_captures()), and those of
 * each hit decided without them are taken with fw_match_captures().
 */
void
fuzz_check_engines(const struct fw_kb *kb, const char *line, size_t len, bool lazy)
{
	struct fw_matcher *ref = NULL, *fast = NULL;
	struct fw_match_ctx *rc, *fc;
	struct fw_diag d;

	fw_diag_init(&d);
	if (fw_matcher_new(kb, FW_ENGINE_REFERENCE, &ref, &d) < 0 ||
	    fw_matcher_new(kb, FW_ENGINE_FAST, &fast, &d) < 0)
		abort();
	fw_diag_clear(&d);
	rc = fw_match_ctx_new(ref);
	fc = fw_match_ctx_new(fast);
	if (!rc || !fc || fw_match_fast_adapt_schedule(fc, 1, 1) < 0 ||
	    (lazy && fw_match_lazy_captures(fc, true) < 0))
		abort();
	for (int pass = 0; pass < 3; pass++)
		check_line(kb, rc, fc, line, len, NULL, lazy);
	fw_match_ctx_free(rc);
	fw_match_ctx_free(fc);
	fw_matcher_free(ref);
	fw_matcher_free(fast);
}

/* The pair of contexts of fuzz_check_stream(), on matchers of their own. */
struct engines {
	struct fw_matcher *ref, *fast;
	struct fw_match_ctx *rc, *fc;
};

static void
engines_open(const struct fw_kb *kb, struct engines *e)
{
	struct fw_diag d;

	fw_diag_init(&d);
	if (fw_matcher_new(kb, FW_ENGINE_REFERENCE, &e->ref, &d) < 0 ||
	    fw_matcher_new(kb, FW_ENGINE_FAST, &e->fast, &d) < 0)
		abort();
	fw_diag_clear(&d);
	e->rc = fw_match_ctx_new(e->ref);
	e->fc = fw_match_ctx_new(e->fast);
	if (!e->rc || !e->fc)
		abort();
}

static void
engines_close(struct engines *e)
{
	fw_match_ctx_free(e->rc);
	fw_match_ctx_free(e->fc);
	fw_matcher_free(e->ref);
	fw_matcher_free(e->fast);
}

/* Lines and bytes compared per stream, at most: enough for several samples, fast enough to fuzz. */
#define STREAM_LINES_MAX 3000
#define STREAM_BYTES_MAX ((size_t)128 << 10)

/*
 * A segment's first line, when it begins with a NUL byte, is its record
 * mask (fuzz_common.h), read into words; *seg and *len are moved past it
 * (a mask that ends the segment leaves it one empty line). NULL for a
 * segment without one: all records.
 */
static const uint64_t *
segment_mask(const char **seg, size_t *len, uint64_t words[FUZZ_MASK_WORDS])
{
	const char *nl;
	size_t n;

	if (!*len || (*seg)[0] != '\0')
		return NULL;
	nl = memchr(*seg, '\n', *len);
	n = nl ? (size_t)(nl - *seg) : *len;
	memset(words, 0, FUZZ_MASK_WORDS * sizeof *words);
	for (size_t j = 1; j < n && j <= 8 * FUZZ_MASK_WORDS; j++)
		words[(j - 1) / 8] |= (uint64_t)(unsigned char)(*seg)[j] << (8 * ((j - 1) % 8));
	n += nl != NULL;
	*seg += n;
	*len -= n;
	return words;
}

void
fuzz_check_stream(const struct fw_kb *kb, const char *text, size_t len, const struct fuzz_stream *st,
		  struct fuzz_stream_counts *counts)
{
	struct engines e;
	unsigned checked = 0, masked = 0;
	size_t at = 0, bytes = 0;

	if (fw_kb_mask_words(kb) > FUZZ_MASK_WORDS)
		abort();
	engines_open(kb, &e);
	if (fw_match_fast_adapt_schedule(e.fc, st->learn, st->period) < 0 ||
	    (st->miss_every && fw_match_fast_miss_schedule(e.fc, st->miss_every) < 0) ||
	    (st->lazy && fw_match_lazy_captures(e.fc, true) < 0))
		abort();
	while (at < len && checked < STREAM_LINES_MAX && bytes < STREAM_BYTES_MAX) {
		/* the segment: up to an empty line (or the end) */
		const char *seg = text + at, *blank = NULL;
		size_t seg_len = len - at;
		uint64_t words[FUZZ_MASK_WORDS];
		const uint64_t *mask;

		for (size_t i = 0; i + 1 < seg_len; i++)
			if (seg[i] == '\n' && seg[i + 1] == '\n') {
				blank = seg + i;
				break;
			}
		if (blank)
			seg_len = (size_t)(blank - seg);
		at += seg_len + 2;
		mask = segment_mask(&seg, &seg_len, words);
		for (unsigned r = 0; r < st->reps && checked < STREAM_LINES_MAX && bytes < STREAM_BYTES_MAX; r++) {
			for (size_t i = 0; i <= seg_len && checked < STREAM_LINES_MAX;) {
				const char *nl = memchr(seg + i, '\n', seg_len - i);
				size_t n = nl ? (size_t)(nl - (seg + i)) : seg_len - i;

				check_line(kb, e.rc, e.fc, seg + i, n, mask, st->lazy);
				checked++;
				masked += mask != NULL;
				bytes += n + 1;
				i += n + 1;
			}
		}
	}
	if (counts) {
		counts->lines = checked;
		counts->masked = masked;
		counts->rekeys = fw_match_fast_rekeys(e.fc);
		counts->scans = fw_match_fast_scans(e.fc);
		counts->trigger_moves = fw_match_fast_trigger_moves(e.fc);
		counts->stage_switches = fw_match_fast_stage_switches(e.fc);
		counts->miss_moves = fw_match_fast_miss_moves(e.fc);
		counts->dfa_gave_up = fw_match_fast_dfa_gave_up(e.fc);
	}
	engines_close(&e);
}
