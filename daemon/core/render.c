/*
 * render: Markdown and plain-text views for people; the JSON alert (alert.c)
 * is the form for programs.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/render.h"
#include "util/utf8.h"

static const char *
or_dash(const char *s)
{
	return s ? s : "—";
}

/* "<before>NN%<after>", or nothing when the rate is unknown. */
static void
put_percent(FILE *f, const char *before, double rate, const char *after)
{
	if (!isnan(rate))
		fprintf(f, "%s%d%%%s", before, (int)lround(rate * 100), after);
}

/* Red for emerg .. err, yellow for warning, cyan for notice, none below. */
static const char *
severity_sgr(int severity, bool colour)
{
	if (!colour || severity < 0)
		return "";
	if (severity <= 3)
		return "\033[1;31m";
	if (severity == 4)
		return "\033[1;33m";
	return severity == 5 ? "\033[36m" : "";
}

/* A warning for an advice that costs more than time; nothing for none or unset. */
static void
put_risk(FILE *f, const char *before, enum fw_risk risk, const char *after)
{
	static const char *const what[] = {
		[FW_RISK_DISRUPTIVE] = "interrupts service",
		[FW_RISK_DATA_LOSS] = "may destroy data: take a backup or image first",
		[FW_RISK_SECURITY] = "weakens security",
	};

	if (risk > FW_RISK_NONE && (size_t)risk < sizeof what / sizeof what[0])
		fprintf(f, "%s**Warning (%s):** %s%s", before, fw_risk_name(risk), what[risk], after);
}

static void
put_list(FILE *f, const char *title, const struct fw_strlist *l)
{
	if (!l->n)
		return;
	fprintf(f, "- **%s:** ", title);
	for (uint32_t i = 0; i < l->n; i++)
		fprintf(f, "%s`%s`", i ? ", " : "", l->items[i]);
	fputc('\n', f);
}

void
fw_render_markdown(FILE *f, const struct fw_kb *kb, const struct fw_record *rec, bool zh)
{
	const char *sig = zh && rec->signature_zh ? rec->signature_zh : rec->signature;
	const char *cause = zh && rec->root_cause_zh ? rec->root_cause_zh : rec->root_cause;

	fprintf(f, "# %s\n\n", sig);
	fprintf(f, "- **ID:** `%s`\n", rec->id);
	fprintf(f, "- **Domain:** %s\n", rec->domain);
	fprintf(f, "- **Category:** %s\n", or_dash(rec->category));
	if (fw_severity_name(rec->severity))
		fprintf(f, "- **Severity:** %s\n", fw_severity_name(rec->severity));
	if (rec->verification_tier)
		fprintf(f, "- **Verification:** %s\n", rec->verification_tier);
	put_percent(f, "- **Confidence:** ", rec->confidence, "\n");
	put_percent(f, "- **Fix rate:** ", rec->fix_success_rate, "\n");
	if (rec->priority)
		fprintf(f, "- **Priority:** %d\n", rec->priority);
	if (rec->doc_url)
		fprintf(f, "- **Documentation:** <%s>\n", rec->doc_url);

	if (cause)
		fprintf(f, "\n## Root cause\n\n%s\n", cause);

	if (rec->n_diagnose) {
		fprintf(f, "\n## Diagnose\n\nFind out which cause applies; these steps change nothing.\n\n");
		for (uint32_t i = 0; i < rec->n_diagnose; i++) {
			const struct fw_diagnose_step *d = &rec->diagnose[i];
			const char *how = zh && d->how_zh ? d->how_zh : d->how;

			fprintf(f, "%u. **%s**\n", i + 1, zh && d->action_zh ? d->action_zh : d->action);
			if (how)
				fprintf(f, "\n   ```\n   %s\n   ```\n", how);
		}
	}

	if (rec->n_workarounds) {
		fprintf(f, "\n## Workarounds\n\nRanked by success rate; the first is the fix an alert carries.\n\n");
		for (uint32_t i = 0, n = 0; i < rec->n_workarounds; i++) {
			const struct fw_workaround *w = &rec->workarounds[i];
			const char *text = fw_workaround_text(w, zh);

			if (!text)
				continue;
			fprintf(f, "%u. **%s**", ++n, text);
			put_percent(f, " (", w->success_rate, " success)");
			fputc('\n', f);
			if (w->condition)
				fprintf(f, "   - *When:* %s\n", w->condition);
			if (w->for_cause)
				fprintf(f, "   - *For cause:* %s\n", w->for_cause);
			put_risk(f, "   - ", w->risk, "\n");
			if (zh && w->how_zh)
				fprintf(f, "\n   ```\n   %s\n   ```\n", w->how_zh);
			else if (w->how && strcmp(w->how, text) != 0)
				fprintf(f, "\n   ```\n   %s\n   ```\n", w->how);
		}
	}

	if (rec->n_dead_ends) {
		fprintf(f, "\n## Dead ends\n\n");
		for (uint32_t i = 0; i < rec->n_dead_ends; i++) {
			const struct fw_dead_end *d = &rec->dead_ends[i];
			const char *action = zh && d->action_zh ? d->action_zh : d->action;
			const char *why = zh && d->why_fails_zh ? d->why_fails_zh : d->why_fails;

			if (action)
				fprintf(f, "- **%s** — %s", action, or_dash(why));
			else
				fprintf(f, "- %s", or_dash(why));
			put_percent(f, " (", d->fail_rate, " fail)");
			put_risk(f, " ", d->risk, "");
			fputc('\n', f);
		}
	}

	if (rec->n_versions) {
		fprintf(f, "\n## Versions\n\n| Version | Status | Introduced | Deprecated | Removed |\n"
			   "|---------|--------|------------|------------|---------|\n");
		for (uint32_t i = 0; i < rec->n_versions; i++) {
			const struct fw_version *v = &rec->versions[i];

			fprintf(f, "| %s | %s | %s | %s | %s |\n", or_dash(v->version), or_dash(v->status),
				or_dash(v->introduced), or_dash(v->deprecated), or_dash(v->removed));
		}
	}

	fprintf(f, "\n## Recognised by\n\n");
	for (uint32_t p = rec->first_pattern; p < rec->first_pattern + rec->n_patterns; p++)
		fprintf(f, "- `%s`%s\n", kb->patterns[p].source,
			rec->flags & FW_REC_CASELESS ? " (case-insensitive)" : "");
	if (rec->examples.n) {
		fprintf(f, "\nFor example:\n\n```\n");
		for (uint32_t i = 0; i < rec->examples.n; i++)
			fprintf(f, "%s\n", rec->examples.items[i]);
		fprintf(f, "```\n");
	}

	if (rec->leads_to.n || rec->preceded_by.n || rec->confused_with.n) {
		fprintf(f, "\n## Related\n\n");
		put_list(f, "Leads to", &rec->leads_to);
		put_list(f, "Preceded by", &rec->preceded_by);
		put_list(f, "Often confused with", &rec->confused_with);
	}
	fprintf(f, "\n_Source: %s", rec->path);
	if (rec->line)
		fprintf(f, ":%u", rec->line);
	fprintf(f, "_\n");
}

void
fw_render_text(FILE *f, const struct fw_kb *kb, const struct fw_match_result *r, uint32_t hit,
	       bool list_also_matched, const char *where, const char *line, size_t len, bool zh,
	       bool colour)
{
	const struct fw_hit *h = &r->hits[hit];
	const struct fw_record *rec = &kb->records[h->record];
	const char *cause = zh && rec->root_cause_zh ? rec->root_cause_zh : rec->root_cause;
	const char *severity = fw_severity_name(rec->severity);
#define SGR(code) (colour ? "\033[" code "m" : "")
	const char *off = SGR("0");

	fprintf(f, "%s%s:%s %s%s%s", SGR("2"), where, off, SGR("1"), rec->id, off);
	if (severity)
		fprintf(f, " %s%s%s", severity_sgr(rec->severity, colour), severity, off);
	if (rec->category)
		fprintf(f, " [%s]", rec->category);
	put_percent(f, " confidence ", rec->confidence, "");
	fprintf(f, "\n  %sline:%s  ", SGR("2"), off);
	fw_utf8_put_escaped(f, line, len);
	fputc('\n', f);
	for (uint32_t i = 0; i < h->n_captures; i++) {
		const struct fw_capture *c = &r->captures[h->first_capture + i];

		fprintf(f, "  %s%s:%s ", SGR("2"), c->name, off);
		fw_utf8_put_escaped(f, line + c->offset, c->length);
		fputc('\n', f);
	}
	if (cause)
		fprintf(f, "  %scause:%s %s\n", SGR("1"), off, cause);
	if (rec->n_diagnose)
		fprintf(f, "  %scheck:%s %s\n", SGR("36"), off,
			zh && rec->diagnose[0].action_zh ? rec->diagnose[0].action_zh
							 : rec->diagnose[0].action);
	if (rec->fix >= 0) {
		const struct fw_workaround *w = &rec->workarounds[rec->fix];

		fprintf(f, "  %sfix:%s   %s", SGR("1;32"), off, fw_workaround_text(w, zh));
		put_percent(f, " (", w->success_rate, " success)");
		if (w->risk > FW_RISK_NONE)
			fprintf(f, " %s[risk: %s]%s", SGR("1;33"), fw_risk_name(w->risk), off);
		fputc('\n', f);
		/* A fix for one case of the record: say which, so it is not taken for every case. */
		if (w->condition)
			fprintf(f, "  %swhen:%s  %s\n", SGR("32"), off, w->condition);
	}
	for (uint32_t i = 0; i < rec->n_dead_ends; i++) {
		const struct fw_dead_end *d = &rec->dead_ends[i];
		const char *t = zh && d->action_zh ? d->action_zh : fw_dead_end_text(d);

		if (t)
			fprintf(f, "  %savoid:%s %s\n", SGR("31"), off, t);
	}
	if (rec->doc_url)
		fprintf(f, "  %sdocs:%s  %s\n", SGR("2"), off, rec->doc_url);
	if (list_also_matched && r->n_hits > 1) {
		fprintf(f, "  %salso:%s  ", SGR("2"), off);
		for (uint32_t i = 0, n = 0; i < r->n_hits; i++)
			if (i != hit)
				fprintf(f, "%s%s", n++ ? ", " : "", kb->records[r->hits[i].record].id);
		fputc('\n', f);
	}
#undef SGR
}
