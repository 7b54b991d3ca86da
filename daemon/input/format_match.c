/*
 * format_match: the raw-line matcher plus the field and log targets of
 * records (format_match.h). Targeted records are few and are checked with
 * their own PCRE2 patterns on one short value each, so the raw-line fast
 * path keeps its speed: its only extra work per line is masking out the
 * `field` records and dropping the raw hits of records whose field form
 * decided the line.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "input/format_match.h"

struct fw_format_match {
	const struct fw_kb *kb;
	bool targeted;              /* some record has a field or logs */
	size_t words;
	uint64_t *field_mask;       /* records with a field */
	uint64_t *raw_mask;         /* scratch: the input's mask without them */
	uint32_t n_field_records;
	uint32_t *targets;          /* records with a field or a field form, in KB order */
	uint32_t n_targets;
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
	free(fm->field_mask);
	free(fm->raw_mask);
	free(fm->targets);
	free(fm->decided);
	pcre2_match_data_free(fm->md);
	pcre2_match_context_free(fm->mctx);
	free(fm->hits);
	free(fm->fhits);
	free(fm->caps);
	free(fm->fcaps);
	free(fm);
}

int
fw_format_match_new(const struct fw_kb *kb, struct fw_format_match **out)
{
	struct fw_format_match *fm = calloc(1, sizeof *fm);
	uint32_t groups = 1, n = kb->n_records ? kb->n_records : 1;

	*out = NULL;
	if (!fm)
		return -ENOMEM;
	fm->kb = kb;
	fm->words = fw_kb_mask_words(kb) ? fw_kb_mask_words(kb) : 1;
	fm->field_mask = calloc(fm->words, sizeof(uint64_t));
	fm->raw_mask = calloc(fm->words, sizeof(uint64_t));
	fm->targets = calloc(n, sizeof(uint32_t));
	fm->decided = calloc(n, sizeof(uint32_t));
	fm->hits = calloc(n, sizeof *fm->hits);
	fm->fhits = calloc(n, sizeof *fm->fhits);
	if (!fm->field_mask || !fm->raw_mask || !fm->targets || !fm->decided || !fm->hits ||
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
		if (rec->field) {
			fm->field_mask[r / 64] |= UINT64_C(1) << (r % 64);
			fm->n_field_records++;
		}
		if (rec->field || rec->n_fields)
			fm->targets[fm->n_targets++] = r;
	}
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

static bool
admits(const struct fw_record *rec, enum fw_log_kind kind)
{
	return rec->logs == 0 || (rec->logs >> kind & 1u);
}

/* The first pattern of rec matching the field's value: a hit in fm->fhits. */
static void
match_field(struct fw_format_match *fm, uint32_t r, const struct fw_field *f, const char *text,
	    uint32_t *nf, uint32_t *ncaps, uint32_t *limit_errors)
{
	const struct fw_record *rec = &fm->kb->records[r];

	for (uint32_t p = rec->first_pattern; p < rec->first_pattern + rec->n_patterns; p++) {
		const struct fw_pattern *pat = &fm->kb->patterns[p];
		int rc = pcre2_match(pat->code, (PCRE2_SPTR)f->value, f->value_len, 0, 0, fm->md,
				     fm->mctx);
		PCRE2_SIZE *ov;
		struct fw_hit *h;

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

/*
 * The field form of rec on a parsed line: -1 when the line lacks one of its
 * fields (the whole-line patterns decide), else 1 when every condition's
 * pattern matches its field's value, 0 when one does not.
 */
static int
match_form(struct fw_format_match *fm, const struct fw_record *rec, const struct fw_parsed *pl,
	   uint32_t *limit_errors)
{
	const struct fw_field *f[FW_RECORD_FIELDS_MAX];

	for (uint32_t c = 0; c < rec->n_fields; c++) {
		f[c] = fw_parsed_field(pl, rec->fields[c].name, strlen(rec->fields[c].name));
		if (!f[c])
			return -1;
	}
	for (uint32_t c = 0; c < rec->n_fields; c++) {
		int rc = pcre2_match(rec->fields[c].code, (PCRE2_SPTR)f[c]->value, f[c]->value_len, 0, 0,
				     fm->md, fm->mctx);

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

uint32_t
fw_format_match_line(struct fw_format_match *fm, struct fw_match_ctx *ctx, const uint64_t *mask,
		     enum fw_log_kind kind, const struct fw_parsed *pl, const char *text, size_t len,
		     struct fw_match_result *out)
{
	const struct fw_kb *kb = fm->kb;
	const uint64_t *raw = mask;
	struct fw_match_result r;
	uint32_t nf = 0, nfcaps = 0, n = 0, ncaps = 0, nd = 0, i = 0, j = 0, d = 0;

	if (!fm->targeted)
		return fw_match_line(ctx, text, len, mask, out);
	if (fm->n_field_records) {
		for (size_t w = 0; w < fm->words; w++)
			fm->raw_mask[w] = (mask ? mask[w] : ~UINT64_C(0)) & ~fm->field_mask[w];
		raw = fm->raw_mask;
	}
	fw_match_line(ctx, text, len, raw, &r);
	out->limit_errors = r.limit_errors;
	if (pl && pl->status == FW_PARSE_OK && pl->n_fields) {
		for (uint32_t k = 0; k < fm->n_targets; k++) {
			uint32_t rec = fm->targets[k];
			const struct fw_record *rp = &kb->records[rec];
			const struct fw_field *f;
			int form;

			if (!fw_mask_test(mask, rec) || !admits(rp, kind))
				continue;
			if (rp->field) {
				f = fw_parsed_field(pl, rp->field, strlen(rp->field));
				if (f)
					match_field(fm, rec, f, text, &nf, &nfcaps, &out->limit_errors);
				continue;
			}
			form = match_form(fm, rp, pl, &out->limit_errors);
			if (form < 0)
				continue;
			fm->decided[nd++] = rec;
			if (form)
				fm->fhits[nf++] = (struct fw_hit){ .record = rec, .pattern = rp->first_pattern,
								   .first_capture = nfcaps };
		}
	}
	/* Both lists are in KB order: merge them, leaving out the raw hits of
	 * the records whose field form decided the line. */
	while (i < r.n_hits || j < nf) {
		if (j == nf || (i < r.n_hits && r.hits[i].record < fm->fhits[j].record)) {
			uint32_t rec = r.hits[i].record;

			while (d < nd && fm->decided[d] < rec)
				d++;
			if ((d == nd || fm->decided[d] != rec) && admits(&kb->records[rec], kind))
				take_hit(fm, &n, &ncaps, &r.hits[i], r.captures);
			i++;
		} else {
			take_hit(fm, &n, &ncaps, &fm->fhits[j], fm->fcaps);
			j++;
		}
	}
	out->hits = fm->hits;
	out->n_hits = n;
	out->captures = fm->caps;
	out->n_captures = ncaps;
	return n;
}

void
fw_format_write_fields(struct fw_jbuf *b, const struct fw_parsed *pl)
{
	bool first = true;

	FW_JBUF_LIT(b, "{");
	for (uint32_t i = 0; pl && i < pl->n_fields; i++) {
		const struct fw_field *f = &pl->fields[i];
		uint32_t k;

		for (k = 0; k < i; k++)
			if (pl->fields[k].name_len == f->name_len &&
			    memcmp(pl->fields[k].name, f->name, f->name_len) == 0)
				break;
		if (k < i)
			continue;
		if (!first)
			FW_JBUF_LIT(b, ",");
		first = false;
		fw_jbuf_text(b, f->name, f->name_len);
		FW_JBUF_LIT(b, ":");
		fw_jbuf_text(b, f->value, f->value_len);
	}
	FW_JBUF_LIT(b, "}");
}
