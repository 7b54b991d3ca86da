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

#include <stdio.h>
#include <string.h>

#include "kb/kb_loader.h"

#define FIELD_MAX 96

static const char *const severity_names[] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
};

static const char *const risk_names[] = {
	[FW_RISK_NONE] = "none",
	[FW_RISK_DISRUPTIVE] = "disruptive",
	[FW_RISK_DATA_LOSS] = "data-loss",
	[FW_RISK_SECURITY] = "security",
};

const char *
fw_severity_name(int severity)
{
	if (severity < 0 || (size_t)severity >= sizeof severity_names / sizeof severity_names[0])
		return NULL;
	return severity_names[severity];
}

int
fw_severity_parse(const char *name)
{
	for (size_t i = 0; name && i < sizeof severity_names / sizeof severity_names[0]; i++)
		if (strcmp(name, severity_names[i]) == 0)
			return (int)i;
	return FW_SEVERITY_UNSET;
}

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

	snprintf(f, sizeof f, "workarounds[%zu].action_zh", i);
	if (fw__kb_get_string(ld, pl, v, "action_zh", f, &action_zh) && action_zh)
		w->action_zh = action_zh;
	snprintf(f, sizeof f, "workarounds[%zu].how_zh", i);
	fw__kb_get_string(ld, pl, v, "how_zh", f, &w->how_zh);
	snprintf(f, sizeof f, "workarounds[%zu].for_cause", i);
	if (fw__kb_get_string(ld, pl, v, "for_cause", f, &w->for_cause) && w->for_cause &&
	    !valid_cause(w->for_cause))
		fw__kb_error(pl, f, "\"%s\" is not a cause name (lowercase letters, digits and -)",
			     w->for_cause);
	snprintf(f, sizeof f, "workarounds[%zu].risk", i);
	get_risk(ld, pl, v, f, &w->risk);
	return true;
}

bool
fw__kb_load_dead_end_extras(struct kb_loader *ld, struct kb_place *pl, json_object *v, size_t i,
			    struct fw_dead_end *d)
{
	char f[FIELD_MAX];

	snprintf(f, sizeof f, "dead_ends[%zu].action_zh", i);
	fw__kb_get_string(ld, pl, v, "action_zh", f, &d->action_zh);
	snprintf(f, sizeof f, "dead_ends[%zu].why_fails_zh", i);
	fw__kb_get_string(ld, pl, v, "why_fails_zh", f, &d->why_fails_zh);
	snprintf(f, sizeof f, "dead_ends[%zu].risk", i);
	get_risk(ld, pl, v, f, &d->risk);
	return true;
}

static bool
load_severity(struct kb_loader *ld, struct kb_place *pl, json_object *rec, struct fw_record *r)
{
	const char *s;

	r->severity = FW_SEVERITY_UNSET;
	if (!fw__kb_get_string(ld, pl, rec, "severity", "severity", &s) || !s)
		return true;
	r->severity = fw_severity_parse(s);
	if (r->severity == FW_SEVERITY_UNSET)
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

	if (!json_object_object_get_ex(rec, "diagnose", &arr) || json_object_is_type(arr, json_type_null))
		return true;
	if (!json_object_is_type(arr, json_type_array)) {
		fw__kb_error(pl, "diagnose", "expected an array of steps");
		return true;
	}
	if ((n = json_object_array_length(arr)) == 0)
		return true;
	d = fw_arena_alloc(&ld->kb->arena, n * sizeof *d);
	if (!d)
		return false;
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);
		char f[FIELD_MAX];

		memset(&d[i], 0, sizeof d[i]);
		snprintf(f, sizeof f, "diagnose[%zu]", i);
		if (!json_object_is_type(v, json_type_object)) {
			fw__kb_error(pl, f, "expected an object with action and how");
			continue;
		}
		snprintf(f, sizeof f, "diagnose[%zu].action", i);
		if (fw__kb_get_string(ld, pl, v, "action", f, &d[i].action) && !d[i].action)
			fw__kb_error(pl, f, "missing (a step needs a title)");
		snprintf(f, sizeof f, "diagnose[%zu].how", i);
		fw__kb_get_string(ld, pl, v, "how", f, &d[i].how);
		snprintf(f, sizeof f, "diagnose[%zu].action_zh", i);
		fw__kb_get_string(ld, pl, v, "action_zh", f, &d[i].action_zh);
		snprintf(f, sizeof f, "diagnose[%zu].how_zh", i);
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
