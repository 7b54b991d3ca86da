/*
 * format_match: the raw-line matcher plus the field and log targets of
 * records (format_match.h). Targeted records are few and are checked with
 * their own PCRE2 patterns on one short value each, so the raw-line fast
 * path keeps its speed: the field targets are checked first, and the
 * raw-line matcher then runs with a mask that leaves out the records it
 * need not confirm (`field` records, records whose `logs` leave out the
 * line's kind, records whose field form decided the line). On the lines of
 * one W3C file the same records decide, so that mask is built once and kept
 * while the kind and the decided records stay the same (without an input
 * mask).
 *
 * Per parsed line each distinct field name the targets use is looked up
 * at most once, when a target that admits the line needs it (the shipped
 * KB's 24 targets name 4 fields), and a condition whose
 * pattern starts with a literal (`^OriginConnectError$`) compares that
 * prefix before it runs PCRE2: most values (`Hit`, `200`) fail there.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "input/format_match.h"

struct target {
	uint32_t record;
	uint32_t name;              /* a `field` record: its field's name */
	uint32_t first, n;          /* a field form: conds [first, first + n) */
};

struct cond {
	uint32_t name;
	const char *prefix;         /* every match of code starts with it */
	size_t prefix_len;
	pcre2_code *code;
};

struct name {
	const char *s;
	size_t n;
};

struct fw_format_match {
	const struct fw_kb *kb;
	bool targeted;              /* some record has a field or logs */
	size_t words;
	uint64_t *keep;             /* per log kind (and one row for none), the records
	                               that can take a raw hit: no field, logs admit it */
	uint64_t *raw_mask;         /* the records the raw-line matcher runs for a line... */
	bool raw_cached;            /* ...kept for the next line of no mask, this kind, these decided */
	enum fw_log_kind raw_kind;
	uint32_t raw_nd;
	uint32_t *raw_decided;
	struct target *targets;     /* records with a field or a field form, in KB order */
	uint32_t n_targets;
	uint32_t *by_kind;          /* per log kind, the targets that admit it, in KB order */
	uint32_t n_by_kind[FW_LOG_KIND_N];
	struct cond *conds;         /* the field forms' conditions, by target */
	uint32_t n_conds;
	struct name *names;         /* the distinct field names of the targets */
	uint32_t n_names;
	const struct fw_field **found; /* scratch: each name's field in the line, or NULL */
	/* Lines of names_id col_id (fw_parsed.names_id): each name's field
	 * index where a line had it, or -1 (not known yet, or absent there). */
	uint64_t col_id;
	int32_t *col;
	uint32_t *decided;          /* scratch: field-form records that decided the line */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	struct fw_hit *hits, *fhits;
	struct fw_capture *caps, *fcaps;
	uint32_t cap_caps;
};

void
fw_format_match_free(struct fw_format_match *fm)
{
	if (!fm)
		return;
	free(fm->keep);
	free(fm->raw_mask);
	free(fm->targets);
	free(fm->by_kind);
	free(fm->conds);
	free(fm->names);
	free(fm->found);
	free(fm->col);
	free(fm->decided);
	free(fm->raw_decided);
	pcre2_match_data_free(fm->md);
	pcre2_match_context_free(fm->mctx);
	free(fm->hits);
	free(fm->fhits);
	free(fm->caps);
	free(fm->fcaps);
	free(fm);
}

static bool
admits(const struct fw_record *rec, enum fw_log_kind kind)
{
	return rec->logs == 0 || (rec->logs >> kind & 1u);
}

/* The index of name in fm->names, added when new (the array is sized for every name). */
static uint32_t
name_index(struct fw_format_match *fm, const char *name)
{
	size_t n = strlen(name);

	for (uint32_t i = 0; i < fm->n_names; i++)
		if (fm->names[i].n == n && memcmp(fm->names[i].s, name, n) == 0)
			return i;
	fm->names[fm->n_names] = (struct name){ name, n };
	return fm->n_names++;
}

/* Whether re has a '|' outside groups and classes (an alternative may bypass a prefix). */
static bool
top_level_alternation(const char *re)
{
	int depth = 0;

	for (const char *c = re; *c; c++) {
		if (*c == '\\') {
			if (!*++c)
				return true;
		} else if (*c == '[') {
			c++;
			if (*c == '^')
				c++;
			if (*c == ']')
				c++;
			while (*c && *c != ']')
				c += *c == '\\' && c[1] ? 2 : 1;
			if (!*c)
				return true;    /* unbalanced: take no chance */
		} else if (*c == '(') {
			depth++;
		} else if (*c == ')') {
			depth--;
		} else if (*c == '|' && depth <= 0) {
			return true;
		}
	}
	return depth != 0;
}

/*
 * The literal every match of re starts with: after a leading '^', the
 * characters up to the first metacharacter, less the last one if a
 * quantifier follows it. None for a caseless pattern or one with a
 * top-level alternation.
 */
static size_t
literal_prefix(const char *re, bool caseless)
{
	size_t n = 0;

	if (caseless || re[0] != '^' || top_level_alternation(re))
		return 0;
	re++;
	while (re[n] && !strchr("\\.[](){}?*+|^$", re[n]))
		n++;
	if (n && re[n] && strchr("?*+{", re[n]))
		n--;
	return n;
}

static void
add_target(struct fw_format_match *fm, uint32_t r)
{
	const struct fw_record *rec = &fm->kb->records[r];
	struct target *t = &fm->targets[fm->n_targets++];

	*t = (struct target){ .record = r, .first = fm->n_conds, .n = rec->n_fields };
	if (rec->field)
		t->name = name_index(fm, rec->field);
	for (uint32_t c = 0; c < rec->n_fields; c++) {
		const struct fw_field_pattern *fp = &rec->fields[c];
		struct cond *k = &fm->conds[fm->n_conds++];

		k->name = name_index(fm, fp->name);
		k->code = fp->code;
		k->prefix = fp->source + 1;
		k->prefix_len = literal_prefix(fp->source, rec->flags & FW_REC_CASELESS);
	}
}

int
fw_format_match_new(const struct fw_kb *kb, struct fw_format_match **out)
{
	struct fw_format_match *fm = calloc(1, sizeof *fm);
	uint32_t groups = 1, n = kb->n_records ? kb->n_records : 1, n_names = 0;

	*out = NULL;
	if (!fm)
		return -ENOMEM;
	fm->kb = kb;
	fm->words = fw_kb_mask_words(kb) ? fw_kb_mask_words(kb) : 1;
	fm->raw_mask = calloc(fm->words, sizeof(uint64_t));
	fm->keep = calloc((size_t)(FW_LOG_KIND_N + 1) * fm->words, sizeof(uint64_t));
	fm->targets = calloc(n, sizeof *fm->targets);
	fm->decided = calloc(n, sizeof(uint32_t));
	fm->raw_decided = calloc(n, sizeof(uint32_t));
	fm->hits = calloc(n, sizeof *fm->hits);
	fm->fhits = calloc(n, sizeof *fm->fhits);
	if (!fm->raw_mask || !fm->keep || !fm->targets || !fm->decided || !fm->raw_decided || !fm->hits ||
	    !fm->fhits)
		goto oom;
	for (uint32_t r = 0; r < kb->n_records; r++) {
		const struct fw_record *rec = &kb->records[r];
		uint32_t most = 0;

		for (uint32_t p = rec->first_pattern; p < rec->first_pattern + rec->n_patterns; p++) {
			uint32_t count = 0;

			if (kb->patterns[p].n_names > most)
				most = kb->patterns[p].n_names;
			if (rec->field && pcre2_pattern_info(kb->patterns[p].code, PCRE2_INFO_CAPTURECOUNT,
							     &count) == 0 && count + 1 > groups)
				groups = count + 1;
		}
		fm->cap_caps += most;
		for (uint32_t c = 0; c < rec->n_fields; c++) {
			uint32_t count = 0;

			if (pcre2_pattern_info(rec->fields[c].code, PCRE2_INFO_CAPTURECOUNT, &count) == 0 &&
			    count + 1 > groups)
				groups = count + 1;
		}
		if (rec->logs || rec->field || rec->n_fields)
			fm->targeted = true;
		for (uint32_t k = 0; k <= FW_LOG_KIND_N && !rec->field; k++)
			if (k == FW_LOG_KIND_N || admits(rec, (enum fw_log_kind)k))
				fm->keep[k * fm->words + r / 64] |= UINT64_C(1) << (r % 64);
		if (rec->field || rec->n_fields)
			n_names++;
		n_names += rec->n_fields;
	}
	fm->conds = calloc(n_names ? n_names : 1, sizeof *fm->conds);
	fm->names = calloc(n_names ? n_names : 1, sizeof *fm->names);
	fm->found = calloc(n_names ? n_names : 1, sizeof *fm->found);
	fm->col = calloc(n_names ? n_names : 1, sizeof *fm->col);
	if (!fm->conds || !fm->names || !fm->found || !fm->col)
		goto oom;
	for (uint32_t r = 0; r < kb->n_records; r++)
		if (kb->records[r].field || kb->records[r].n_fields)
			add_target(fm, r);
	fm->by_kind = calloc((size_t)FW_LOG_KIND_N * (fm->n_targets ? fm->n_targets : 1), sizeof(uint32_t));
	if (!fm->by_kind)
		goto oom;
	for (uint32_t k = 0; k < FW_LOG_KIND_N; k++)
		for (uint32_t t = 0; t < fm->n_targets; t++)
			if (admits(&kb->records[fm->targets[t].record], (enum fw_log_kind)k))
				fm->by_kind[k * fm->n_targets + fm->n_by_kind[k]++] = t;
	fm->caps = calloc(fm->cap_caps ? fm->cap_caps : 1, sizeof *fm->caps);
	fm->fcaps = calloc(fm->cap_caps ? fm->cap_caps : 1, sizeof *fm->fcaps);
	fm->md = pcre2_match_data_create(groups, NULL);
	fm->mctx = pcre2_match_context_create(NULL);
	if (!fm->caps || !fm->fcaps || !fm->md || !fm->mctx)
		goto oom;
	/* The limits every pattern runs under (match.h). */
	pcre2_set_match_limit(fm->mctx, FW_MATCH_LIMIT);
	pcre2_set_depth_limit(fm->mctx, FW_DEPTH_LIMIT);
	*out = fm;
	return 0;
oom:
	fw_format_match_free(fm);
	return -ENOMEM;
}

/* The first pattern of rec matching the field's value: a hit in fm->fhits. */
static void
match_field(struct fw_format_match *fm, uint32_t r, const struct fw_field *f, const char *text,
	    uint32_t *nf, uint32_t *ncaps, uint32_t *limit_errors)
{
	const struct fw_record *rec = &fm->kb->records[r];

	for (uint32_t p = rec->first_pattern; p < rec->first_pattern + rec->n_patterns; p++) {
		const struct fw_pattern *pat = &fm->kb->patterns[p];
		PCRE2_SIZE *ov;
		struct fw_hit *h;
		int rc;

		/* The line matcher never confirms a field pattern: its first run here
		 * JIT-compiles it (kb.h), so that it runs as it did with JIT at load. */
		if (fw_kb_jit_ready(fm->kb, p) == FW_JIT_ON)
			rc = pcre2_jit_match(pat->code, (PCRE2_SPTR)f->value, f->value_len, 0, 0,
					     fm->md, fm->mctx);
		else
			rc = pcre2_match(pat->code, (PCRE2_SPTR)f->value, f->value_len, 0, 0, fm->md,
					 fm->mctx);
		if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT)
			(*limit_errors)++;
		if (rc < 0)
			continue;
		ov = pcre2_get_ovector_pointer(fm->md);
		h = &fm->fhits[(*nf)++];
		*h = (struct fw_hit){ .record = r, .pattern = p, .first_capture = *ncaps };
		for (uint32_t k = 0; k < pat->n_names; k++) {
			uint32_t g = pat->names[k].group;

			if ((uint32_t)rc <= g || ov[2 * g] == PCRE2_UNSET || *ncaps == fm->cap_caps)
				continue;
			fm->fcaps[(*ncaps)++] = (struct fw_capture){
				.name = pat->names[k].name,
				.offset = (size_t)(f->value - text) + ov[2 * g],
				.length = ov[2 * g + 1] - ov[2 * g],
			};
			h->n_captures++;
		}
		return;
	}
}

/* Stands for a name not looked up yet in this line. */
static const struct fw_field not_looked_up;

static const struct fw_field *look_up(struct fw_format_match *fm, const struct fw_parsed *pl, uint32_t k);

/*
 * The field of name k in pl, looked up once per line and only when a
 * target needs it; on the lines of one list of names (a W3C file, a
 * log_format), where one line had it is where the next has it, if it has
 * that many fields. Absent names are looked up again on each line (such
 * a line may lack the fields that would hold them).
 */
static inline const struct fw_field *
found(struct fw_format_match *fm, const struct fw_parsed *pl, uint32_t k)
{
	return fm->found[k] != &not_looked_up ? fm->found[k] : look_up(fm, pl, k);
}

/* found()'s first look at name k on this line. */
static const struct fw_field *
look_up(struct fw_format_match *fm, const struct fw_parsed *pl, uint32_t k)
{
	const struct fw_field *f;

	if (pl->names_id && pl->names_id == fm->col_id && fm->col[k] >= 0) {
		f = (uint32_t)fm->col[k] < pl->n_fields ? &pl->fields[fm->col[k]] : NULL;
	} else {
		f = fw_parsed_field(pl, fm->names[k].s, fm->names[k].n);
		if (f && pl->names_id && pl->names_id == fm->col_id)
			fm->col[k] = (int32_t)(f - pl->fields);
	}
	fm->found[k] = f;
	return f;
}

/*
 * A field form on a parsed line: -1 when the line lacks
 * one of its fields (the whole-line patterns decide), else 1 when every
 * condition's pattern matches its field's value, 0 when one does not.
 */
static int
match_form(struct fw_format_match *fm, const struct fw_parsed *pl, const struct target *t,
	   uint32_t *limit_errors)
{
	for (uint32_t c = t->first; c < t->first + t->n; c++)
		if (!found(fm, pl, fm->conds[c].name))
			return -1;
	for (uint32_t c = t->first; c < t->first + t->n; c++) {
		const struct cond *k = &fm->conds[c];
		const struct fw_field *f = fm->found[k->name];
		int rc;

		/* most values differ in their first byte ("Hit", "200"): no call for them */
		if (f->value_len < k->prefix_len ||
		    (k->prefix_len && (f->value[0] != k->prefix[0] ||
				       memcmp(f->value + 1, k->prefix + 1, k->prefix_len - 1) != 0)))
			return 0;
		rc = pcre2_match(k->code, (PCRE2_SPTR)f->value, f->value_len, 0, 0, fm->md, fm->mctx);
		if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT)
			(*limit_errors)++;
		if (rc < 0)
			return 0;
	}
	return 1;
}

static void
take_hit(struct fw_format_match *fm, uint32_t *n, uint32_t *ncaps, const struct fw_hit *h,
	 const struct fw_capture *caps)
{
	struct fw_hit *o = &fm->hits[(*n)++];

	*o = *h;
	o->first_capture = *ncaps;
	o->n_captures = 0;
	for (uint32_t k = 0; k < h->n_captures && *ncaps < fm->cap_caps; k++) {
		fm->caps[(*ncaps)++] = caps[h->first_capture + k];
		o->n_captures++;
	}
}

/*
 * The records whose whole-line patterns the raw-line matcher runs on this
 * line: the input's, less those with `field` (matched on their field
 * only), those whose `logs` leave out the line's kind, and those whose
 * field form decided the line (decided[0..nd)). Their raw hits would be
 * dropped, so no alert is lost or gained by not looking for them.
 */
static const uint64_t *
raw_records(struct fw_format_match *fm, const uint64_t *mask, enum fw_log_kind kind, uint32_t nd)
{
	const uint64_t *keep = fm->keep + (size_t)((unsigned)kind < FW_LOG_KIND_N ? kind : FW_LOG_KIND_N) * fm->words;

	if (!mask && nd == 0)
		return keep;
	/* The lines of one W3C file have the same fields, so the same records decide them. A
	 * mask is not kept: an input's may be freed and another allocated in its place. */
	if (!mask && fm->raw_cached && fm->raw_kind == kind && fm->raw_nd == nd &&
	    memcmp(fm->raw_decided, fm->decided, nd * sizeof *fm->decided) == 0)
		return fm->raw_mask;
	for (size_t w = 0; w < fm->words; w++)
		fm->raw_mask[w] = (mask ? mask[w] : ~UINT64_C(0)) & keep[w];
	for (uint32_t d = 0; d < nd; d++)
		fm->raw_mask[fm->decided[d] / 64] &= ~(UINT64_C(1) << (fm->decided[d] % 64));
	fm->raw_cached = !mask;
	fm->raw_kind = kind;
	fm->raw_nd = nd;
	memcpy(fm->raw_decided, fm->decided, nd * sizeof *fm->decided);
	return fm->raw_mask;
}

uint32_t
fw_format_match_line(struct fw_format_match *fm, struct fw_match_ctx *ctx, const uint64_t *mask,
		     enum fw_log_kind kind, const struct fw_parsed *pl, const char *text, size_t len,
		     struct fw_match_result *out)
{
	const struct fw_kb *kb = fm->kb;
	struct fw_match_result r;
	uint32_t nf = 0, nfcaps = 0, n = 0, ncaps = 0, nd = 0, i = 0, j = 0, limit_errors = 0;

	if (!fm->targeted)
		return fw_match_line(ctx, text, len, mask, out);
	/* The field targets first: the records they decide are left out of the raw-line matcher. */
	if (pl && pl->status == FW_PARSE_OK && pl->n_fields && (unsigned)kind < FW_LOG_KIND_N) {
		const uint32_t *list = fm->by_kind + (size_t)kind * fm->n_targets;

		for (uint32_t k = 0; k < fm->n_names; k++)
			fm->found[k] = &not_looked_up;
		if (pl->names_id != fm->col_id) {
			for (uint32_t k = 0; k < fm->n_names; k++)
				fm->col[k] = -1;
			fm->col_id = pl->names_id;
		}
		for (uint32_t k = 0; k < fm->n_by_kind[kind]; k++) {
			const struct target *t = &fm->targets[list[k]];
			uint32_t rec = t->record;
			const struct fw_record *rp = &kb->records[rec];
			int form;

			if (!fw_mask_test(mask, rec))
				continue;
			if (rp->field) {
				const struct fw_field *f = found(fm, pl, t->name);

				if (f)
					match_field(fm, rec, f, text, &nf, &nfcaps, &limit_errors);
				continue;
			}
			form = match_form(fm, pl, t, &limit_errors);
			if (form < 0)
				continue;
			fm->decided[nd++] = rec;
			if (form)
				fm->fhits[nf++] = (struct fw_hit){ .record = rec, .pattern = rp->first_pattern,
								   .first_capture = nfcaps };
		}
	}
	fw_match_line(ctx, text, len, raw_records(fm, mask, kind, nd), &r);
	out->limit_errors = r.limit_errors + limit_errors;
	if (nf == 0) {
		/* No field hit to merge: the raw hits as the matcher left them (in ctx). */
		out->hits = r.hits;
		out->n_hits = r.n_hits;
		out->captures = r.captures;
		out->n_captures = r.n_captures;
		return r.n_hits;
	}
	/* Both lists are in KB order (and name different records): merge them. */
	while (i < r.n_hits || j < nf) {
		if (j == nf || (i < r.n_hits && r.hits[i].record < fm->fhits[j].record))
			take_hit(fm, &n, &ncaps, &r.hits[i++], r.captures);
		else
			take_hit(fm, &n, &ncaps, &fm->fhits[j++], fm->fcaps);
	}
	out->hits = fm->hits;
	out->n_hits = n;
	out->captures = fm->caps;
	out->n_captures = ncaps;
	return n;
}

/* Whether field i has the name of an earlier field (written once, with its first value). */
static bool
name_seen(const struct fw_parsed *pl, uint32_t i)
{
	const struct fw_field *f = &pl->fields[i];

	if (pl->dups_known)
		return pl->name_dups >> i & 1;
	for (uint32_t k = 0; k < i; k++)
		if (pl->fields[k].name_len == f->name_len && memcmp(pl->fields[k].name, f->name, f->name_len) == 0)
			return true;
	return false;
}

/*
 * Each name and value written in place, with one check for room per field.
 * A header's names (names_json) are copied 16 bytes at a time (they are
 * followed by 16 readable bytes); values that point into the line's copy
 * (most do) are escaped knowing the copy is readable around them.
 */
void
fw_format_write_fields(struct fw_jbuf *b, const struct fw_parsed *pl)
{
	const char *lo, *hi;
	char *o, *end;
	bool first = true;

	if (!pl || pl->n_fields == 0) {
		FW_JBUF_LIT(b, "{}");
		return;
	}
	if (!(o = fw_jbuf_room(b, 1)))
		return;
	end = b->data + b->cap;
	lo = pl->text;
	hi = pl->text + (pl->extent > pl->len ? pl->extent : pl->len);
	*o++ = '{';
	for (uint32_t i = 0; i < pl->n_fields; i++) {
		const struct fw_field *f = &pl->fields[i];
		const char *vlo = lo, *vhi = hi;
		size_t name_room, want;

		if (name_seen(pl, i))
			continue;
		if ((uintptr_t)f->value < (uintptr_t)lo || (uintptr_t)(f->value + f->value_len) > (uintptr_t)hi) {
			vlo = f->value;
			vhi = f->value + f->value_len;
			if (f->value_len > FW_JBUF_TEXT_LEN_MAX / 2)
				goto too_long;
		}
		if (pl->names_json) {
			name_room = pl->names_json_at[i + 1] - pl->names_json_at[i];
		} else {
			if (f->name_len > FW_JBUF_TEXT_LEN_MAX / 4)
				goto too_long;
			name_room = FW_JBUF_TEXT_ROOM(f->name_len) + 1;
		}
		/* ',' name value '}', the name's 16-byte copy's slack within the value's */
		want = 2 + name_room + FW_JBUF_TEXT_ROOM(f->value_len);
		if ((size_t)(end - o) < want) {
			fw_jbuf_end(b, o);
			if (!(o = fw_jbuf_room(b, want)))
				return;
			end = b->data + b->cap;
		}
		if (!first)
			*o++ = ',';
		first = false;
		if (pl->names_json) {
			const char *name = pl->names_json + pl->names_json_at[i];

			for (size_t k = 0; k < name_room; k += 16)
				memcpy(o + k, name + k, 16);
			o += name_room;
		} else {
			o = fw_jbuf_text_to(o, f->name, f->name_len, f->name, f->name + f->name_len);
			*o++ = ':';
		}
		o = fw_jbuf_text_to(o, f->value, f->value_len, vlo, vhi);
	}
	*o++ = '}';
	fw_jbuf_end(b, o);
	return;
too_long:       /* no line is this long */
	fw_jbuf_end(b, o);
	b->failed = true;
}
