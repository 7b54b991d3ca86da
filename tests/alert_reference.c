/*
 * alert_reference: the json-c builder of the fixwatch.alert/1 object that
 * daemon/core/alert.c replaced, kept as the oracle of test_alert: the
 * writer must produce exactly the bytes this builder serialises to, for
 * every alert.
 *
 * Text from the log goes through utf8_clean() first and json-c escapes
 * every C0 control character.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert_reference.h"
#include "util/utf8.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

/*
 * A valid UTF-8 copy of s[0..len) with each invalid byte, DEL and C1
 * control replaced by U+FFFD. *out_len excludes the final NUL.
 */
static char *
utf8_clean(const char *s, size_t len, size_t *out_len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0;
	char *out;

	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	out = malloc(len * 3 + 1);
	if (!out)
		return NULL;
	while (i < len) {
		size_t n = u[i] < 0x20 ? 1 : fw_utf8_safe_seq(u + i, len - i);

		/* C0 controls pass: json-c escapes them as \u00XX. */
		if (n == 0) {
			memcpy(out + o, REPLACEMENT, 3);
			o += 3;
			i++;
		} else {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

int
ref_json_add_text(json_object *obj, const char *key, const char *s, size_t len)
{
	json_object *v;
	size_t n;
	char *clean;

	if (!s) {
		json_object_object_add(obj, key, NULL);
		return 0;
	}
	clean = utf8_clean(s, len, &n);
	if (!clean)
		return -1;
	v = json_object_new_string_len(clean, (int)n);
	free(clean);
	if (!v)
		return -1;
	json_object_object_add(obj, key, v);
	return 0;
}

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
build_source(const struct fw_alert_source *src)
{
	static const char *const types[] = {
		[FW_SOURCE_FILE] = "file", [FW_SOURCE_JOURNAL] = "journal", [FW_SOURCE_STDIN] = "stdin",
	};
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	add_str(o, "type", types[src->type]);
	if (src->type == FW_SOURCE_JOURNAL) {
		ref_json_add_text(o, "unit", src->unit, src->unit ? strlen(src->unit) : 0);
		ref_json_add_text(o, "identifier", src->identifier,
				 src->identifier ? strlen(src->identifier) : 0);
		ref_json_add_text(o, "cursor", src->cursor, src->cursor ? strlen(src->cursor) : 0);
	} else {
		if (src->type == FW_SOURCE_FILE)
			ref_json_add_text(o, "path", src->path, src->path ? strlen(src->path) : 0);
		json_object_object_add(o, "offset", json_object_new_uint64(src->offset));
		json_object_object_add(o, "line_no", json_object_new_uint64(src->line_no));
	}
	return o;
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

json_object *
ref_alert_build(const struct fw_alert_input *in, bool zh)
{
	const struct fw_kb *kb = in->kb;
	const struct fw_hit *hit = &in->result->hits[in->hit];
	const struct fw_record *rec = &kb->records[hit->record];
	json_object *a = json_object_new_object();
	json_object *caps, *arr;
	char ts[32];

	if (!a)
		return NULL;
	fw_format_time(&in->time, ts);
	add_str(a, "schema", "fixwatch.alert/1");
	add_str(a, "time", ts);
	ref_json_add_text(a, "host", in->host, in->host ? strlen(in->host) : 0);
	ref_json_add_text(a, "input", in->input, in->input ? strlen(in->input) : 0);
	json_object_object_add(a, "source", build_source(in->source));
	ref_json_add_text(a, "line", in->line, in->len);
	json_object_object_add(a, "truncated", json_object_new_boolean(in->truncated));
	add_str(a, "id", rec->id);
	add_str(a, "signature", zh && rec->signature_zh ? rec->signature_zh : rec->signature);
	add_str(a, "domain", rec->domain);
	add_str(a, "category", rec->category);
	add_str(a, "severity", fw_severity_name(in->has_severity ? in->severity : rec->severity));

	caps = json_object_new_object();
	for (uint32_t i = 0; caps && i < hit->n_captures; i++) {
		const struct fw_capture *c = &in->result->captures[hit->first_capture + i];

		ref_json_add_text(caps, c->name, in->line + c->offset, c->length);
	}
	json_object_object_add(a, "captures", caps);

	add_str(a, "root_cause", zh && rec->root_cause_zh ? rec->root_cause_zh : rec->root_cause);
	json_object_object_add(a, "fix", rec->fix >= 0 ? build_workaround(&rec->workarounds[rec->fix], zh)
						     : NULL);

	arr = json_object_new_array();
	for (uint32_t i = 0; arr && i < rec->n_workarounds; i++)
		if (fw_workaround_text(&rec->workarounds[i], zh))
			json_object_array_add(arr, build_workaround(&rec->workarounds[i], zh));
	json_object_object_add(a, "workarounds", arr);

	arr = json_object_new_array();
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
	json_object_object_add(a, "dead_ends", arr);

	add_str(a, "doc_url", rec->doc_url);
	add_num(a, "confidence", rec->confidence);
	add_num(a, "fix_success_rate", rec->fix_success_rate);
	add_str(a, "verification_tier", rec->verification_tier);
	if (in->list_also_matched && in->result->n_hits > 1) {
		arr = json_object_new_array();
		for (uint32_t i = 0; arr && i < in->result->n_hits; i++)
			if (i != in->hit)
				json_object_array_add(arr,
					json_object_new_string(kb->records[in->result->hits[i].record].id));
		json_object_object_add(a, "also_matched", arr);
	}
	json_object_object_add(a, "count", json_object_new_uint64(in->count ? in->count : 1));
	return a;
}

const char *
ref_alert_json(json_object *obj, size_t *len)
{
	return json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
						 len);
}
