/*
 * kb: the knowledge base of error signatures (design.md §3).
 *
 * fw_kb_load() reads directories (recursively: *.json holds one record,
 * *.jsonl one record per line) and files, validates every record, compiles
 * every pattern with PCRE2 (UTF, MATCH_INVALID_UTF, the record's flags) and
 * finds out once whether the process may JIT-compile (a probe pattern).
 * Loading is all-or-nothing: on any error no KB is returned and every
 * problem is in the diag list as "PATH[:LINE]: ID: FIELD: message".
 *
 * A loaded KB is immutable but for one lazily filled cache: records,
 * patterns and their strings live in arrays and one string arena owned by
 * the KB. The matchers and the alert builder read it without copying;
 * fw_kb_free() releases everything.
 *
 * The cache is each pattern's PCRE2 JIT code. JIT code costs about 4 KB a
 * pattern and most patterns of a large KB are never confirmed on a given
 * stream, so a pattern is JIT-compiled the first time a matcher confirms it
 * (fw_kb_pattern_jit()), not at load. That write is why matching on one KB
 * must stay on one thread at a time (fixwatchd matches on its loop thread
 * only); fw_kb_jit_compile_all() fills the cache up front for a caller that
 * wants every pattern compiled (several threads, or a report of JIT state).
 * Record order (KB order) is: files in byte-wise sorted path order, records
 * in file order; the local directory's records after all others.
 */
#ifndef FW_KB_H
#define FW_KB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "match/lit.h"
#include "match/regex_parse.h"
#include "util/diag.h"
#include "util/severity.h"

/* Absent numbers are NaN: test with isnan(). Absent or empty strings are NULL. */

/* What following an advice may cost besides the time (kb_advice.c). */
enum fw_risk {
	FW_RISK_UNSET = 0,      /* the record does not say */
	FW_RISK_NONE,
	FW_RISK_DISRUPTIVE,     /* interrupts service (restart, failover, downtime) */
	FW_RISK_DATA_LOSS,      /* may destroy data (fsck -y, prune, drop) */
	FW_RISK_SECURITY,       /* weakens a protection (verification off, wider access) */
};

struct fw_workaround {
	const char *action;     /* falls back to "how" when action is empty */
	const char *how;
	const char *condition;
	const char *action_zh;  /* action_zh, else workarounds_zh[i], when present */
	const char *how_zh;
	const char *for_cause;  /* the cause this remedy addresses, or NULL */
	double success_rate;
	enum fw_risk risk;
	uint32_t file_index;    /* position in the record's file, before ranking */
};

struct fw_dead_end {
	const char *action;     /* may be NULL: the seed's dead ends have none */
	const char *why_fails;
	const char *condition;
	const char *action_zh;
	const char *why_fails_zh;
	double fail_rate;
	enum fw_risk risk;
};

/* A step that finds out which cause applies; it changes nothing. */
struct fw_diagnose_step {
	const char *action;     /* never NULL */
	const char *how;
	const char *action_zh;
	const char *how_zh;
};


struct fw_version {
	const char *version;
	const char *status;
	const char *introduced;
	const char *deprecated;
	const char *removed;
};

struct fw_strlist {
	const char *const *items;
	uint32_t n;
};

/* A named capture group of a pattern. */
struct fw_capture_name {
	const char *name;
	uint32_t group;
};

struct fw_pattern {
	const char *source;            /* the regex text as written */
	pcre2_code *code;              /* compiled; its JIT code: kb->jit_state */
	bool no_jit;                   /* the pattern itself says (*NO_JIT) */
	bool caseless;                 /* compiled with PCRE2_CASELESS (the record's "i") */
	uint32_t record;               /* index of the owning record */
	uint32_t index;                /* index within the record (0 = "regex") */
	uint32_t specificity;          /* literal characters every match must contain */
	struct fw_lit_info lit;        /* its required literals, analysed once at load */
	struct fw_regex tree;          /* its syntax tree: fw_kb_pattern_tree() */
	uint32_t n_names;
	const struct fw_capture_name *names;
};

#define FW_REC_CASELESS 0x1u

/* One condition of a record's field form (`fields`, data/kb/README.md "Targets"). */
struct fw_field_pattern {
	const char *name;              /* the parsed field */
	const char *source;            /* the pattern, matched against the field's value */
	pcre2_code *code;
};

#define FW_RECORD_FIELDS_MAX 8

struct fw_record {
	const char *id;                /* "domain/slug", unique */
	const char *signature;
	const char *signature_zh;
	const char *domain;            /* "domain" field, else the id's prefix */
	const char *category;
	const char *root_cause;
	const char *root_cause_zh;
	const char *doc_url;           /* official_doc_url */
	const char *verification_tier;
	double confidence;
	double fix_success_rate;
	int32_t severity;              /* 0 (emerg) .. 7 (debug), or FW_SEVERITY_NONE */
	int32_t priority;              /* default 0; higher wins the primary match */
	uint32_t flags;                /* FW_REC_* */
	uint32_t domain_index;         /* index into kb->domains */

	uint32_t first_pattern;        /* patterns [first, first + n) in kb->patterns */
	uint32_t n_patterns;

	const struct fw_diagnose_step *diagnose; /* in file order */
	uint32_t n_diagnose;
	const struct fw_workaround *workarounds; /* ranked: highest success_rate first */
	uint32_t n_workarounds;
	int32_t fix;                   /* the best workaround with a text, -1 if none */
	const struct fw_dead_end *dead_ends;
	uint32_t n_dead_ends;
	const struct fw_version *versions;
	uint32_t n_versions;

	struct fw_strlist examples;
	struct fw_strlist counterexamples;
	struct fw_strlist tags;
	struct fw_strlist aliases;
	struct fw_strlist leads_to;
	struct fw_strlist preceded_by;
	struct fw_strlist confused_with; /* transition_graph.frequently_confused_with */

	const char *field;             /* match this parsed field's value, not the line (NULL: the line) */
	uint32_t logs;                 /* 1 << enum fw_log_kind (input/format.h); 0: every log */
	/* The field form: on a line that parsed with all these fields, the
	 * record matches when each pattern matches its field, and its
	 * whole-line patterns are not used; elsewhere they are. */
	const struct fw_field_pattern *fields;
	uint32_t n_fields;             /* 0: no field form */

	const char *path;              /* file the record came from */
	uint32_t line;                 /* 1-based line for *.jsonl, 0 for *.json */
	bool local;                    /* from the operators' directory (fw_kb_options.local) */
};

struct fw_kb {
	const struct fw_record *records;
	uint32_t n_records;
	const struct fw_pattern *patterns;
	uint32_t n_patterns;
	const char *const *domains;    /* distinct domains, sorted */
	uint32_t n_domains;
	uint32_t n_files;
	/* The probe at load JIT-compiled: the process could JIT then. It stays
	 * set when a failure to get memory turns JIT off later: fw_kb_jit_on(). */
	bool jit;
	const char *jit_error;         /* why JIT is off (e.g. W^X), or NULL */
	/* Per pattern, an enum fw_jit_state; written by fw_kb_pattern_jit()
	 * only: the KB's one mutable part (see the top of this file). */
	uint8_t *jit_state;
	/* What the load did that an operator should hear of, one line each
	 * ("PATH[:LINE]: ID: replaces the shipped record of PATH[:LINE]"). */
	const char *const *notices;
	uint32_t n_notices;
	struct fw_kb_private *priv;
};

/*
 * The operators' own records (`kb_local`): a directory (or file) loaded
 * after the paths, by the same rules. A missing one is no error. A local
 * record whose id a record of the paths has replaces that record, with a
 * notice; ids must otherwise be unique, and every duplicate is reported
 * with the other errors of the load.
 */
struct fw_kb_options {
	bool no_jit;                   /* do not try JIT (tests, comparisons) */
	const char *local;             /* NULL: none */
};

/* Loads the KB from paths; returns 0 and *out, or -errno with messages in diag. */
int fw_kb_load(const char *const *paths, size_t n_paths, const struct fw_kb_options *opts,
	       struct fw_kb **out, struct fw_diag *diag);
void fw_kb_free(struct fw_kb *kb);

/* Where a pattern's JIT code stands. */
enum fw_jit_state {
	FW_JIT_PENDING,                /* JIT-compiled when first confirmed */
	FW_JIT_ON,                     /* JIT-compiled */
	FW_JIT_OFF,                    /* interpreted: (*NO_JIT) or no JIT in this process */
	FW_JIT_FAILED,                 /* interpreted: its JIT compile failed */
};

/*
 * The state of pattern p, JIT-compiling it first if it is pending. A
 * compile that fails leaves that pattern interpreted (and counted), except
 * that a failure to get executable memory turns JIT off for every pattern
 * still pending, as the probe at load would have.
 */
enum fw_jit_state fw_kb_pattern_jit(const struct fw_kb *kb, uint32_t p);

static inline enum fw_jit_state
fw_kb_jit_ready(const struct fw_kb *kb, uint32_t p)
{
	enum fw_jit_state s = (enum fw_jit_state)kb->jit_state[p];

	return s == FW_JIT_PENDING ? fw_kb_pattern_jit(kb, p) : s;
}

/* What the JIT cache holds now. */
struct fw_kb_jit_stats {
	uint32_t compiled;             /* patterns with JIT code */
	uint32_t pending;              /* not confirmed yet */
	uint32_t interpreted;          /* FW_JIT_OFF */
	uint32_t failed;               /* FW_JIT_FAILED */
	size_t code_bytes;             /* JIT code of the compiled ones (PCRE2_INFO_JITSIZE) */
	int off_error;                 /* the error that turned JIT off after load, or 0 */
};

void fw_kb_jit_stats(const struct fw_kb *kb, struct fw_kb_jit_stats *out);

/* JIT is on now: kb->jit, and no failure to get memory has turned it off since. */
bool fw_kb_jit_on(const struct fw_kb *kb);

/* JIT-compiles every pending pattern now; returns how many patterns failed to. */
uint32_t fw_kb_jit_compile_all(const struct fw_kb *kb);

/*
 * Pattern p's syntax tree (regex_parse.h), read once at load: its root is
 * FW_RX_NONE when the front end does not understand the pattern. The KB
 * owns it (its arrays are in the KB's arena, exactly sized) for as long as
 * the KB lives; a matcher built from the KB reads it, and so must be freed
 * before the KB, as it already must (a reload builds the new matcher from
 * the new KB's trees). Never pass it to fw_regex_free().
 */
static inline const struct fw_regex *
fw_kb_pattern_tree(const struct fw_pattern *p)
{
	return &p->tree;
}

/* The record with this id or alias-free exact id, or NULL. */
const struct fw_record *fw_kb_find(const struct fw_kb *kb, const char *id);

/*
 * Record masks restrict matching to some records (an input's domains).
 * A mask is a bitset of fw_kb_mask_words(kb) words; bit i = record i.
 * fw_kb_domain_mask() sets the bits of records in any of the domains and
 * returns -ENOENT (mask still filled) if a domain has no record, naming it
 * in diag.
 */
size_t fw_kb_mask_words(const struct fw_kb *kb);
int fw_kb_domain_mask(const struct fw_kb *kb, const char *const *domains, size_t n,
		      uint64_t *mask, struct fw_diag *diag);

static inline bool
fw_mask_test(const uint64_t *mask, uint32_t i)
{
	return !mask || (mask[i / 64] >> (i % 64)) & 1u;
}

/* The workaround text to show: action, else how; zh variant when asked and present. */
const char *fw_workaround_text(const struct fw_workaround *w, bool zh);
/* The dead end's text: action, else why_fails (never NULL when either exists). */
const char *fw_dead_end_text(const struct fw_dead_end *d);

/* "none", "disruptive", "data-loss", "security"; NULL for FW_RISK_UNSET. */
const char *fw_risk_name(enum fw_risk risk);

/*
 * The rules `fixwatch test --strict` holds every record's advice to
 * (data/kb/README.md, "What the numbers mean"). Each finding is passed to
 * report with the rule and a message; returns the number of findings.
 */
enum fw_kb_rule {
	FW_RULE_SEVERITY,        /* severity present */
	FW_RULE_ZH,              /* every user-facing text has its zh form */
	FW_RULE_RANK_ORDER,      /* workarounds listed best first */
	FW_RULE_CAUSE_SUM,       /* rates of alternatives for one cause add up to at most 1 */
	FW_RULE_SAME_RATES,      /* not every workaround rated the same */
	FW_RULE_DIAGNOSTIC_FIX,  /* no workaround is a diagnostic step */
	FW_RULE_LOGS,            /* the record names the kinds of log it describes */
	FW_RULE_N
};

typedef void fw_kb_rule_report(void *arg, const struct fw_record *rec, enum fw_kb_rule rule,
			       const char *msg);

/*
 * "severity", "zh", "rank-order", "cause-sum", "same-rates", "diagnostic-fix", "logs";
 * NULL if out of range.
 */
const char *fw_kb_rule_name(enum fw_kb_rule rule);
unsigned fw_kb_check_advice(const struct fw_record *rec, fw_kb_rule_report *report, void *arg);

#endif
