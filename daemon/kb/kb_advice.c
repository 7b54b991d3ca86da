/*
 * kb_advice: the record fields that keep diagnosis apart from remedy and
 * say what an advice costs (data/kb/README.md, "Advice").
 *
 * - severity: one of RFC 5424's eight severities by its syslog keyword
 *   (§6.2.1: emerg alert crit err warning notice info debug);
 * - diagnose[]: steps that find which cause applies; they change nothing and
 *   never become an alert's fix, which is always a workaround;
 * - workarounds[i].for_cause: the cause a remedy addresses, so remedies for
 *   different causes are not competing alternatives;
 * - workarounds[i].risk, dead_ends[i].risk: none, disruptive, data-loss or
 *   security, shown as a warning;
 * - action_zh, how_zh, why_fails_zh beside the English texts.
 *
 * Every value is checked; a problem is reported with its field path and
 * checking goes on. Strings live in the KB's arena.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "kb/kb_loader.h"

#define FIELD_MAX FW_KB_FIELD_MAX

static const char *const risk_names[] = {
	[FW_RISK_NONE] = "none",
	[FW_RISK_DISRUPTIVE] = "disruptive",
	[FW_RISK_DATA_LOSS] = "data-loss",
	[FW_RISK_SECURITY] = "security",
};

const char *
fw_risk_name(enum fw_risk risk)
{
	if (risk <= FW_RISK_UNSET || (size_t)risk >= sizeof risk_names / sizeof risk_names[0])
		return NULL;
	return risk_names[risk];
}

/* A risk field: unset when absent; an unknown word is an error naming the known ones. */
static bool
get_risk(struct kb_loader *ld, struct kb_place *pl, json_object *obj, const char *field,
	 enum fw_risk *out)
{
	const char *s;

	*out = FW_RISK_UNSET;
	if (!fw__kb_get_string(ld, pl, obj, "risk", field, &s))
		return false;
	if (!s)
		return true;
	for (int r = FW_RISK_NONE; r <= FW_RISK_SECURITY; r++)
		if (strcmp(s, risk_names[r]) == 0) {
			*out = (enum fw_risk)r;
			return true;
		}
	fw__kb_error(pl, field, "\"%s\" is not a risk (known: none, disruptive, data-loss, security)", s);
	return false;
}

/* A cause name: lowercase letters, digits and '-', like an id's slug. */
static bool
valid_cause(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

bool
fw__kb_load_workaround_extras(struct kb_loader *ld, struct kb_place *pl, json_object *v, size_t i,
			      struct fw_workaround *w)
{
	char f[FIELD_MAX];
	const char *action_zh;

	fw__kb_field(f, "workarounds", i, "action_zh");
	if (fw__kb_get_string(ld, pl, v, "action_zh", f, &action_zh) && action_zh)
		w->action_zh = action_zh;
	fw__kb_field(f, "workarounds", i, "how_zh");
	fw__kb_get_string(ld, pl, v, "how_zh", f, &w->how_zh);
	fw__kb_field(f, "workarounds", i, "for_cause");
	if (fw__kb_get_string(ld, pl, v, "for_cause", f, &w->for_cause) && w->for_cause &&
	    !valid_cause(w->for_cause))
		fw__kb_error(pl, f, "\"%s\" is not a cause name (lowercase letters, digits and -)",
			     w->for_cause);
	fw__kb_field(f, "workarounds", i, "risk");
	get_risk(ld, pl, v, f, &w->risk);
	return true;
}

bool
fw__kb_load_dead_end_extras(struct kb_loader *ld, struct kb_place *pl, json_object *v, size_t i,
			    struct fw_dead_end *d)
{
	char f[FIELD_MAX];

	fw__kb_field(f, "dead_ends", i, "action_zh");
	fw__kb_get_string(ld, pl, v, "action_zh", f, &d->action_zh);
	fw__kb_field(f, "dead_ends", i, "why_fails_zh");
	fw__kb_get_string(ld, pl, v, "why_fails_zh", f, &d->why_fails_zh);
	fw__kb_field(f, "dead_ends", i, "risk");
	get_risk(ld, pl, v, f, &d->risk);
	return true;
}

static bool
load_severity(struct kb_loader *ld, struct kb_place *pl, json_object *rec, struct fw_record *r)
{
	const char *s;

	r->severity = FW_SEVERITY_NONE;
	if (!fw__kb_get_string(ld, pl, rec, "severity", "severity", &s) || !s)
		return true;
	r->severity = fw_severity_parse(s);
	if (r->severity == FW_SEVERITY_NONE)
		fw__kb_error(pl, "severity", "\"%s\" is not a severity (known: emerg, alert, crit, err, "
			     "warning, notice, info, debug)", s);
	return true;
}

static bool
load_diagnose(struct kb_loader *ld, struct kb_place *pl, json_object *rec, struct fw_record *r)
{
	json_object *arr;
	struct fw_diagnose_step *d;
	size_t n;

	/* A wrong type is counted in pl: not a reason to stop. */
	if (!fw__kb_get_array(pl, rec, "diagnose", "diagnose", &arr) || !arr)
		return true;
	if ((n = json_object_array_length(arr)) == 0)
		return true;
	d = fw_arena_alloc(&ld->kb->arena, n * sizeof *d);
	if (!d)
		return false;
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);
		char f[FIELD_MAX];

		memset(&d[i], 0, sizeof d[i]);
		fw__kb_field(f, "diagnose", i, NULL);
		if (!json_object_is_type(v, json_type_object)) {
			fw__kb_error(pl, f, "expected an object with action and how");
			continue;
		}
		fw__kb_field(f, "diagnose", i, "action");
		if (fw__kb_get_string(ld, pl, v, "action", f, &d[i].action) && !d[i].action)
			fw__kb_error(pl, f, "missing (a step needs a title)");
		fw__kb_field(f, "diagnose", i, "how");
		fw__kb_get_string(ld, pl, v, "how", f, &d[i].how);
		fw__kb_field(f, "diagnose", i, "action_zh");
		fw__kb_get_string(ld, pl, v, "action_zh", f, &d[i].action_zh);
		fw__kb_field(f, "diagnose", i, "how_zh");
		fw__kb_get_string(ld, pl, v, "how_zh", f, &d[i].how_zh);
	}
	r->diagnose = d;
	r->n_diagnose = (uint32_t)n;
	return true;
}

bool
fw__kb_load_advice(struct kb_loader *ld, struct kb_place *pl, json_object *rec, struct fw_record *r)
{
	return load_severity(ld, pl, rec, r) && load_diagnose(ld, pl, rec, r);
}

/* ---- the strict rules ------------------------------------------------ */

static const char *const rule_names[FW_RULE_N] = {
	[FW_RULE_SEVERITY] = "severity",
	[FW_RULE_ZH] = "zh",
	[FW_RULE_RANK_ORDER] = "rank-order",
	[FW_RULE_CAUSE_SUM] = "cause-sum",
	[FW_RULE_SAME_RATES] = "same-rates",
	[FW_RULE_DIAGNOSTIC_FIX] = "diagnostic-fix",
	[FW_RULE_LOGS] = "logs",
};

const char *
fw_kb_rule_name(enum fw_kb_rule rule)
{
	return (unsigned)rule < FW_RULE_N ? rule_names[rule] : NULL;
}

/*
 * Verbs that open a step which finds something out and changes nothing.
 * "Run", "Test" and "Ensure" are left out: "Run certbot renew" is a remedy.
 * data/kb/tools/kb-rates.py reads this list from here: keep it one quoted
 * word per entry inside this initialiser.
 */
static const char *const diagnostic_verbs[] = {
	"check", "verify", "inspect", "read", "look", "confirm", "find", "investigate", "examine",
	"review", "determine", "identify", "search", "diagnose", "compare", "monitor", "debug",
	"trace", "list", "show", "query", "grep",
};

static bool
is_diagnostic(const char *text)
{
	size_t n = 0;

	while (text[n] && ((text[n] >= 'a' && text[n] <= 'z') || (text[n] >= 'A' && text[n] <= 'Z')))
		n++;
	for (size_t i = 0; i < sizeof diagnostic_verbs / sizeof diagnostic_verbs[0]; i++)
		if (strlen(diagnostic_verbs[i]) == n && strncasecmp(text, diagnostic_verbs[i], n) == 0)
			return true;
	return false;
}

static bool
same_cause(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

struct finding {
	fw_kb_rule_report *report;
	void *arg;
	const struct fw_record *rec;
	unsigned n;
};

static void
find(struct finding *fi, enum fw_kb_rule rule, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
find(struct finding *fi, enum fw_kb_rule rule, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fi->report(fi->arg, fi->rec, rule, msg);
	fi->n++;
}

static void
check_zh(struct finding *fi, const struct fw_record *r)
{
	if (!r->signature_zh)
		find(fi, FW_RULE_ZH, "signature_zh missing");
	if (r->root_cause && !r->root_cause_zh)
		find(fi, FW_RULE_ZH, "root_cause_zh missing");
	for (uint32_t i = 0; i < r->n_workarounds; i++) {
		const struct fw_workaround *w = &r->workarounds[i];

		if (fw_workaround_text(w, false) && !w->action_zh)
			find(fi, FW_RULE_ZH, "workarounds[%u].action_zh missing", w->file_index);
		if (w->how && w->action && !w->how_zh)
			find(fi, FW_RULE_ZH, "workarounds[%u].how_zh missing", w->file_index);
	}
	for (uint32_t i = 0; i < r->n_dead_ends; i++) {
		const struct fw_dead_end *d = &r->dead_ends[i];

		if (d->action && !d->action_zh)
			find(fi, FW_RULE_ZH, "dead_ends[%u].action_zh missing", i);
		if (d->why_fails && !d->why_fails_zh)
			find(fi, FW_RULE_ZH, "dead_ends[%u].why_fails_zh missing", i);
	}
	for (uint32_t i = 0; i < r->n_diagnose; i++) {
		if (!r->diagnose[i].action_zh)
			find(fi, FW_RULE_ZH, "diagnose[%u].action_zh missing", i);
		if (r->diagnose[i].how && !r->diagnose[i].how_zh)
			find(fi, FW_RULE_ZH, "diagnose[%u].how_zh missing", i);
	}
}

static void
check_rates(struct finding *fi, const struct fw_record *r)
{
	const struct fw_workaround *w = r->workarounds;
	bool all_same = r->n_workarounds >= 2;

	/* The ranking is stable, so the file is in rank order exactly when
	 * ranking kept every workaround in place. */
	for (uint32_t i = 0; i < r->n_workarounds; i++) {
		uint32_t j = i;

		if (w[i].file_index == i)
			continue;
		while (j < r->n_workarounds && w[j].file_index != i)
			j++;
		/* The file's i-th workaround was ranked down to j. */
		find(fi, FW_RULE_RANK_ORDER, "workarounds[%u] (rate %.2f) is listed before a higher-rated "
		     "one; list them best first", i, j < r->n_workarounds ? w[j].success_rate : NAN);
		break;
	}
	for (uint32_t i = 0; i < r->n_workarounds; i++) {
		double sum = 0;
		uint32_t n = 0;
		bool first = true;

		for (uint32_t j = 0; j < r->n_workarounds; j++) {
			/* A conditional workaround serves a sub-case, not every case of the cause. */
			if (!same_cause(w[i].for_cause, w[j].for_cause) || isnan(w[j].success_rate) ||
			    w[j].condition)
				continue;
			first &= j >= i;
			sum += w[j].success_rate;
			n++;
		}
		/* Reported once per cause, at its best-ranked workaround. */
		if (first && !w[i].condition && n >= 2 && sum > 1.0 + 1e-9)
			find(fi, FW_RULE_CAUSE_SUM, "%u alternatives for cause %s add up to %.2f (> 1): each "
			     "success_rate is a share of the same cases", n,
			     w[i].for_cause ? w[i].for_cause : "(the root cause)", sum);
		if (i && w[i].success_rate != w[0].success_rate)
			all_same = false;
	}
	if (all_same && !isnan(w[0].success_rate))
		find(fi, FW_RULE_SAME_RATES, "all %u workarounds are rated %.2f: rates that do not "
		     "discriminate say nothing", r->n_workarounds, w[0].success_rate);
}

unsigned
fw_kb_check_advice(const struct fw_record *rec, fw_kb_rule_report *report, void *arg)
{
	struct finding fi = { report, arg, rec, 0 };

	if (rec->severity == FW_SEVERITY_NONE)
		find(&fi, FW_RULE_SEVERITY, "severity missing (one of emerg alert crit err warning "
		     "notice info debug)");
	/* Without `logs` a record matches every log, so text a client writes
	 * into an access log can raise an error-log record. */
	if (!rec->logs)
		find(&fi, FW_RULE_LOGS, "logs missing (the kinds of log the record describes: plain "
		     "w3c json combined syslog journal)");
	check_zh(&fi, rec);
	check_rates(&fi, rec);
	for (uint32_t i = 0; i < rec->n_workarounds; i++) {
		const char *text = fw_workaround_text(&rec->workarounds[i], false);

		if (text && is_diagnostic(text))
			find(&fi, FW_RULE_DIAGNOSTIC_FIX, "workarounds[%u] \"%.40s\" is a diagnostic step: "
			     "move it to diagnose[]", rec->workarounds[i].file_index, text);
	}
	return fi.n;
}
