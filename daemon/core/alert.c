/*
 * alert: the fixwatch.alert/1 object (README.md, "Alerts").
 *
 * Keys are always present, in the order of the schema; what the record
 * lacks is null. The record's constant keys are rendered with json-c once
 * per record (so numbers and escapes are json-c's own), the rest per alert
 * by jsonw. A record is rendered on its first alert (parts_get), not when
 * the KB is loaded, so a record that never alerts costs nothing. Rendering
 * can fail only for want of memory: that alert then fails as out of
 * memory, and nothing about the KB itself goes unreported.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/alert.h"
#include "core/unknown.h"
#include "input/format_match.h"

/* One record's pre-rendered keys, each a run of `"key":value` pairs. */
struct record_parts {
	char *head;             /* "id" .. "category" */
	size_t head_len;
	char *tail;             /* "root_cause" .. "verification_tier" */
	size_t tail_len;
	char *id;               /* the id as a JSON string, for also_matched */
	size_t id_len;
};

/*
 * r[i].head is NULL until record i is first rendered. The cache is filled
 * through the const pointer an alert input carries: the parts are constant
 * to their users, rendered or not.
 */
struct fw_alert_parts {
	unsigned refs;
	bool zh;
	uint32_t n;                     /* the KB's records, then the unknown/<log> ones */
	uint32_t n_kb;
	const struct fw_kb *kb;         /* NULL once detached (fw_alert_parts_detach) */
	uint32_t n_rendered;
	struct record_parts r[];
};

/* KB strings were validated as UTF-8 by the loader. */
static void
add_str(json_object *obj, const char *key, const char *s)
{
	json_object_object_add(obj, key, s ? json_object_new_string(s) : NULL);
}

/* Rates and confidences print as written ("0.86"), not as 0.85999999999999999. */
static void
add_num(json_object *obj, const char *key, double d)
{
	char buf[32];

	if (isnan(d)) {
		json_object_object_add(obj, key, NULL);
		return;
	}
	snprintf(buf, sizeof buf, "%.6g", d);
	json_object_object_add(obj, key, json_object_new_double_s(d, buf));
}

static json_object *
build_workaround(const struct fw_workaround *w, bool zh)
{
	json_object *o = json_object_new_object();
	const char *text = fw_workaround_text(w, zh);

	if (!o)
		return NULL;
	add_str(o, "action", text);
	/* "how" adds the steps when they say more than the action. */
	if (w->how && (!text || strcmp(w->how, text) != 0) && (!w->action || strcmp(w->how, w->action) != 0))
		add_str(o, "how", w->how);
	if (w->condition)
		add_str(o, "condition", w->condition);
	add_num(o, "success_rate", w->success_rate);
	return o;
}

static json_object *
build_dead_ends(const struct fw_record *rec)
{
	json_object *arr = json_object_new_array();

	for (uint32_t i = 0; arr && i < rec->n_dead_ends; i++) {
		const struct fw_dead_end *d = &rec->dead_ends[i];
		json_object *o;

		if (!fw_dead_end_text(d))
			continue;
		o = json_object_new_object();
		if (!o)
			break;
		/* The seed's dead ends have an empty action: the reason stands in. */
		add_str(o, "action", fw_dead_end_text(d));
		add_str(o, "why_fails", d->why_fails);
		add_num(o, "fail_rate", d->fail_rate);
		json_object_array_add(arr, o);
	}
	return arr;
}

/*
 * obj as json-c writes it, skipping `strip` bytes at each end (1 to keep
 * only an object's members). NULL on out-of-memory.
 */
static char *
serialise(json_object *obj, size_t strip, size_t *len)
{
	size_t n;
	const char *s;
	char *out;

	if (!obj)
		return NULL;
	s = json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	if (!s || n < 2 * strip || (out = malloc(n - 2 * strip + 1)) == NULL)
		return NULL;
	memcpy(out, s + strip, n - 2 * strip);
	out[n - 2 * strip] = '\0';
	*len = n - 2 * strip;
	return out;
}

static int
render_record(const struct fw_record *rec, bool zh, struct record_parts *rp)
{
	json_object *head = json_object_new_object(), *tail = json_object_new_object();
	json_object *id = json_object_new_string(rec->id), *arr;
	int err = -ENOMEM;

	if (!head || !tail || !id)
		goto out;
	add_str(head, "id", rec->id);
	add_str(head, "signature", zh && rec->signature_zh ? rec->signature_zh : rec->signature);
	add_str(head, "domain", rec->domain);
	add_str(head, "category", rec->category);

	add_str(tail, "root_cause", zh && rec->root_cause_zh ? rec->root_cause_zh : rec->root_cause);
	json_object_object_add(tail, "fix",
			       rec->fix >= 0 ? build_workaround(&rec->workarounds[rec->fix], zh) : NULL);
	arr = json_object_new_array();
	for (uint32_t i = 0; arr && i < rec->n_workarounds; i++)
		if (fw_workaround_text(&rec->workarounds[i], zh))
			json_object_array_add(arr, build_workaround(&rec->workarounds[i], zh));
	json_object_object_add(tail, "workarounds", arr);
	json_object_object_add(tail, "dead_ends", build_dead_ends(rec));
	add_str(tail, "doc_url", rec->doc_url);
	add_num(tail, "confidence", rec->confidence);
	add_num(tail, "fix_success_rate", rec->fix_success_rate);
	add_str(tail, "verification_tier", rec->verification_tier);

	rp->head = serialise(head, 1, &rp->head_len);
	rp->tail = serialise(tail, 1, &rp->tail_len);
	rp->id = serialise(id, 0, &rp->id_len);
	if (rp->head && rp->tail && rp->id)
		err = 0;
out:
	json_object_put(head);
	json_object_put(tail);
	json_object_put(id);
	return err;
}

static void
record_parts_free(struct record_parts *rp)
{
	free(rp->head);
	free(rp->tail);
	free(rp->id);
	memset(rp, 0, sizeof *rp);
}

static void
parts_free(struct fw_alert_parts *parts)
{
	for (uint32_t i = 0; i < parts->n; i++)
		record_parts_free(&parts->r[i]);
	free(parts);
}

int
fw_alert_parts_new(const struct fw_kb *kb, bool zh, struct fw_alert_parts **out)
{
	uint32_t n = kb->n_records + FW_UNKNOWN_N;
	struct fw_alert_parts *parts = calloc(1, sizeof *parts + n * sizeof parts->r[0]);

	*out = NULL;
	if (!parts)
		return -ENOMEM;
	parts->refs = 1;
	parts->zh = zh;
	parts->n = n;
	parts->n_kb = kb->n_records;
	parts->kb = kb;
	*out = parts;
	return 0;
}

/*
 * Record i's parts, rendered now if this is its first alert; NULL on
 * out-of-memory, or when the KB went away before the record was rendered.
 */
static const struct record_parts *
parts_get(const struct fw_alert_parts *cparts, uint32_t i)
{
	struct fw_alert_parts *parts = (struct fw_alert_parts *)cparts;
	struct record_parts *rp = &parts->r[i];
	const struct fw_record *rec;

	if (rp->head)
		return rp;
	if (i < parts->n_kb && !parts->kb)
		return NULL;
	rec = i < parts->n_kb ? &parts->kb->records[i] :
		fw_unknown_record((enum fw_unknown_log)(i - parts->n_kb));
	if (render_record(rec, parts->zh, rp) < 0) {
		record_parts_free(rp);
		return NULL;
	}
	parts->n_rendered++;
	return rp;
}

int
fw_alert_parts_detach(struct fw_alert_parts *parts)
{
	int err = 0;

	if (!parts)
		return 0;
	for (uint32_t i = 0; i < parts->n_kb && parts->refs > 1; i++)
		if (!parts_get(parts, i))
			err = -ENOMEM;
	parts->kb = NULL;
	return err;
}

uint32_t
fw_alert_parts_rendered(const struct fw_alert_parts *parts)
{
	return parts->n_rendered;
}

struct fw_alert_parts *
fw_alert_parts_ref(struct fw_alert_parts *parts)
{
	if (parts)
		parts->refs++;
	return parts;
}

void
fw_alert_parts_unref(struct fw_alert_parts *parts)
{
	if (parts && --parts->refs == 0)
		parts_free(parts);
}

/*
 * The date of a day counted from 1970-01-01 (proleptic Gregorian, as
 * gmtime_r). Years are counted from March so that the leap day ends a
 * year: a 400-year era has 146097 days, a March-based year of the era
 * 365 days plus its leap days, and its months from March run in a
 * 153-day cycle of five (31 30 31 30 31). The division and remainder are
 * floored so that days before 1970 work too.
 */
static void
date_of_day(int64_t day, int64_t *year, unsigned *month, unsigned *mday)
{
	int64_t from_0300 = day + 719468;       /* days since 0000-03-01 */
	int64_t era = (from_0300 >= 0 ? from_0300 : from_0300 - 146096) / 146097;
	unsigned in_era = (unsigned)(from_0300 - era * 146097);
	unsigned year_of_era = (in_era - in_era / 1460 + in_era / 36524 - in_era / 146096) / 365;
	unsigned in_year = in_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	unsigned from_march = (5 * in_year + 2) / 153;

	*mday = in_year - (153 * from_march + 2) / 5 + 1;
	*month = from_march < 10 ? from_march + 3 : from_march - 9;
	*year = era * 400 + year_of_era + (*month <= 2);
}

static char *
put_digits(char *o, unsigned v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		o[i] = (char)('0' + v % 10);
	return o + n;
}

/*
 * Two alerts a line (its time and its event_time) do not share a second,
 * so the date is computed, not cached: a few divisions, where gmtime_r
 * and strftime cost thousands of instructions. Years outside 1000..9999
 * (no clock reads them; a line may claim one) are left to strftime,
 * which writes them unpadded.
 */
void
fw_format_time(const struct timespec *t, char buf[32])
{
	int64_t sec = (int64_t)t->tv_sec, day = sec / 86400, in_day = sec % 86400, year;
	unsigned month, mday, ms = (unsigned)((t->tv_nsec / 1000000) % 1000);
	char *o = buf;

	if (in_day < 0) {
		in_day += 86400;
		day--;
	}
	date_of_day(day, &year, &month, &mday);
	if (year < 1000 || year > 9999) {
		struct tm tm;
		time_t s = t->tv_sec;
		size_t n = 0;

		if (gmtime_r(&s, &tm))
			n = strftime(buf, 24, "%Y-%m-%dT%H:%M:%S", &tm);
		o = buf + n;
	} else {
		o = put_digits(o, (unsigned)year, 4);
		*o++ = '-';
		o = put_digits(o, month, 2);
		*o++ = '-';
		o = put_digits(o, mday, 2);
		*o++ = 'T';
		o = put_digits(o, (unsigned)(in_day / 3600), 2);
		*o++ = ':';
		o = put_digits(o, (unsigned)(in_day / 60 % 60), 2);
		*o++ = ':';
		o = put_digits(o, (unsigned)(in_day % 60), 2);
	}
	*o++ = '.';
	o = put_digits(o, ms, 3);
	*o++ = 'Z';
	*o = '\0';
}

static void
write_source(struct fw_jbuf *b, const struct fw_alert_source *src)
{
	switch (src->type) {
	case FW_SOURCE_JOURNAL:
		FW_JBUF_LIT(b, "{\"type\":\"journal\",\"unit\":");
		fw_jbuf_cstr(b, src->unit);
		FW_JBUF_LIT(b, ",\"identifier\":");
		fw_jbuf_cstr(b, src->identifier);
		FW_JBUF_LIT(b, ",\"cursor\":");
		fw_jbuf_cstr(b, src->cursor);
		FW_JBUF_LIT(b, "}");
		return;
	case FW_SOURCE_FILE:
		FW_JBUF_LIT(b, "{\"type\":\"file\",\"path\":");
		fw_jbuf_cstr(b, src->path);
		FW_JBUF_LIT(b, ",\"offset\":");
		break;
	case FW_SOURCE_STDIN:
		FW_JBUF_LIT(b, "{\"type\":\"stdin\",\"offset\":");
		break;
	}
	fw_jbuf_u64(b, src->offset);
	FW_JBUF_LIT(b, ",\"line_no\":");
	fw_jbuf_u64(b, src->line_no);
	if (src->lines > 1) {
		FW_JBUF_LIT(b, ",\"lines\":");
		fw_jbuf_u64(b, src->lines);
	}
	FW_JBUF_LIT(b, "}");
}

/* Names seldom share a first letter: most pairs are told apart without a call. */
static inline bool
same_name(const char *a, const char *b)
{
	return a == b || (a[0] == b[0] && strcmp(a, b) == 0);
}

/*
 * The named groups that took part in the match. Two groups may share a
 * name ((?J)): like a JSON object that gets the key twice, the name keeps
 * its first place and takes the last value.
 */
static void
write_captures(struct fw_jbuf *b, const char *line, const struct fw_capture *c, uint32_t n)
{
	bool first = true;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t last = i, j;

		for (j = 0; j < i && !same_name(c[j].name, c[i].name); j++)
			;
		if (j < i)
			continue;       /* written at its first place */
		for (j = i + 1; j < n; j++)
			if (same_name(c[j].name, c[i].name))
				last = j;
		if (!first)
			FW_JBUF_LIT(b, ",");
		first = false;
		fw_jbuf_cstr(b, c[i].name);
		FW_JBUF_LIT(b, ":");
		fw_jbuf_text(b, line + c[last].offset, c[last].length);
	}
}

int
fw_alert_severity(const struct fw_alert_input *in)
{
	uint32_t record = in->result->hits[in->hit].record;

	if (in->has_severity)
		return in->severity;
	return in->kb && record < in->kb->n_records ? in->kb->records[record].severity
						    : FW_SEVERITY_NONE;
}

void
fw_alert_write_open(struct fw_jbuf *b, const struct fw_alert_input *in)
{
	const struct fw_hit *hit = &in->result->hits[in->hit];
	const struct record_parts *rp = parts_get(in->parts, hit->record);
	const char *severity;
	char ts[32];

	if (!rp) {
		b->failed = true;
		return;
	}
	/* The ids of also_matched, rendered before anything is written. */
	for (uint32_t i = 0; in->list_also_matched && i < in->result->n_hits; i++) {
		if (!parts_get(in->parts, in->result->hits[i].record)) {
			b->failed = true;
			return;
		}
	}

	fw_format_time(&in->time, ts);
	FW_JBUF_LIT(b, "{\"schema\":\"fixwatch.alert/1\",\"time\":\"");
	fw_jbuf_put(b, ts, strlen(ts));
	FW_JBUF_LIT(b, "\"");
	if (in->formatted) {
		FW_JBUF_LIT(b, ",\"event_time\":");
		if (in->has_event_time) {
			fw_format_time(&in->event_time, ts);
			FW_JBUF_LIT(b, "\"");
			fw_jbuf_put(b, ts, strlen(ts));
			FW_JBUF_LIT(b, "\"");
		} else {
			FW_JBUF_LIT(b, "null");
		}
	}
	FW_JBUF_LIT(b, ",\"host\":");
	fw_jbuf_cstr(b, in->host);
	FW_JBUF_LIT(b, ",\"input\":");
	fw_jbuf_cstr(b, in->input);
	FW_JBUF_LIT(b, ",\"source\":");
	write_source(b, in->source);
	FW_JBUF_LIT(b, ",\"line\":");
	fw_jbuf_text(b, in->line, in->len);
	if (in->truncated)
		FW_JBUF_LIT(b, ",\"truncated\":true,");
	else
		FW_JBUF_LIT(b, ",\"truncated\":false,");
	fw_jbuf_put(b, rp->head, rp->head_len);
	severity = fw_severity_name(fw_alert_severity(in));
	if (severity) {
		FW_JBUF_LIT(b, ",\"severity\":\"");
		fw_jbuf_put(b, severity, strlen(severity));
		FW_JBUF_LIT(b, "\",\"captures\":{");
	} else {
		FW_JBUF_LIT(b, ",\"severity\":null,\"captures\":{");
	}
	write_captures(b, in->line, in->result->captures + hit->first_capture, hit->n_captures);
	FW_JBUF_LIT(b, "},");
	if (in->formatted) {
		FW_JBUF_LIT(b, "\"fields\":");
		if (in->fields)
			fw_jbuf_put(b, in->fields, in->fields_len);
		else
			fw_format_write_fields(b, in->parsed);  /* NULL: {} */
		FW_JBUF_LIT(b, ",");
	}
	fw_jbuf_put(b, rp->tail, rp->tail_len);
	if (in->list_also_matched && in->result->n_hits > 1) {
		bool first = true;

		FW_JBUF_LIT(b, ",\"also_matched\":[");
		for (uint32_t i = 0; i < in->result->n_hits; i++) {
			const struct record_parts *o = &in->parts->r[in->result->hits[i].record];	/* rendered above */

			if (i == in->hit)
				continue;
			if (!first)
				FW_JBUF_LIT(b, ",");
			first = false;
			fw_jbuf_put(b, o->id, o->id_len);
		}
		FW_JBUF_LIT(b, "]");
	}
	FW_JBUF_LIT(b, ",\"count\":");
}

void
fw_alert_write_count(struct fw_jbuf *b, uint64_t count)
{
	fw_jbuf_u64(b, count ? count : 1);
	FW_JBUF_LIT(b, "}");
}

void
fw_alert_write(struct fw_jbuf *b, const struct fw_alert_input *in)
{
	fw_alert_write_open(b, in);
	fw_alert_write_count(b, in->count);
}
