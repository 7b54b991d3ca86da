/*
 * match_fast_adapt: the fast engine's keys, learnt from the stream one
 * context matches. Internal to the fast engine (match_fast*.c).
 *
 * At compile time each scanned literal gets a key window from facts that
 * hold for any text (match_fast_rank.c). A context then samples the lines
 * it matches, over the first FW_ADAPT_LEARN bytes and again every
 * FW_ADAPT_PERIOD bytes (a line too short for any pattern's match never
 * reaches the engine, match_engine.h, so it is not counted: the keys are
 * for the lines the scan runs on): it counts how often each folded byte pair (where
 * the scan stops) and each folded 4-byte window (where it probes) occurs.
 * When a sample ends, each literal whose key costs far more in this stream
 * than another window of the same literal moves there, and the context
 * indexes its literals under their new keys, between two lines. Literals
 * that are looked up on demand (not scanned), and their anchors, are then
 * searched for by their byte that is rarest in the sample.
 *
 * A literal looked up on demand is searched for on each line where a
 * pattern that needs it was triggered. Where its triggers stand in most
 * lines (a common first factor, a gate literal of the DFA) that search
 * costs more than scanning for the literal would: the sample counts the
 * searches of each literal, and when it ends a literal whose searches cost
 * clearly more than its cheapest window as a key (in the units of
 * key_cost(), SEARCH_COST per search) gets that key: the context scans
 * for it from then on (a scanned literal that is absent from a line costs
 * nothing more there). It stays scanned for in that context.
 *
 * A pattern of several factors is triggered by one of them (its first,
 * the rarest by the ranks of match_fast_rank.c) and looks up the others
 * on the lines where it was. The sample counts each pattern's triggers;
 * when it ends, a pattern triggered on many lines moves its trigger to
 * another factor when that one's literals stand on clearly fewer (at most
 * their windows' counts in the sample, SEARCH_COST per line triggered)
 * even with the scan keys its literals looked up on demand then need
 * (their windows that add least to the scan): the context's own trigger
 * lists then hold it under that factor's literals, and the former trigger
 * is looked up like the other factors (match_fast_trigger.c). Keys are
 * not taken back, so a later sample may move a trigger again, back to
 * the first factor too.
 *
 * DFA members with the same factors form a gate group; the DFA runs on a
 * line where the scan found a literal of some group's gate factor (its
 * first, until a sample moves it) and that group's other factors stand.
 * The sample counts, per group, the lines where the scan found its gate.
 * A literal that was a gate when compiled and is none now loses its key
 * unless a pattern outside the DFA has it among its factors; so when the
 * sample ends, a group's gate costs a lookup per line it was found on
 * plus what the keys that would go cost the scan, and another factor
 * costs what it would as a trigger (its literals' windows' counts, with
 * the keys they would need) plus, where it stands, the lookups of the
 * literals whose keys would go. A group takes a factor that costs
 * clearly less, keying its literals (a web server's access-log shape
 * gated by " [", which most lines of other logs hold, is gated by its
 * status instead: only the lines where that stands are checked, and " ["
 * no longer stops the scan).
 *
 * The same sample chooses the scan's first stage (enum fp_stage): every
 * FW_ADAPT_STAGE_EVERY-th line of it (up to FW_ADAPT_STAGE_BYTES) is kept,
 * and when the sample ends, after the re-key, what each stage would cost
 * on those lines with the keys it will run is counted with the cost model
 * of fw__fast_stage_cost() (per-event instruction costs of our own code,
 * no clock): the context switches to the other stage when it costs
 * clearly less (STAGE_GAIN in match_fast_adapt.c), and keeps it until a
 * later sample says otherwise.
 *
 * While the bucketed filter runs, the scan counts per literal its key's
 * false hits: the probes where the key stood but the literal's head (its
 * bytes farthest from the key) did not (the pair map's probes count none:
 * moved to the other end, a key's last pair may stop that scan more often
 * than its misses cost). Every FW_ADAPT_MISS_BYTES matched, a literal
 * whose key missed at least once per FW_ADAPT_MISS_RATE bytes moves its key
 * to the other end of the literal (match_fast_rank.c), where those false
 * hits did not hold its bytes, once per literal; the context indexes the
 * keys again when the moves' misses together outweigh the rebuild
 * (FW_ADAPT_MISS_REBUILD). So a key chosen on text that later gives way to
 * text of another kind (a sample that saw no line of a source that comes
 * later) stops costing probes there without waiting for the next sample.
 *
 * Guarantees: the literals found in a line, hence the results, never
 * change; only where the scan stops does: every key is a window of its
 * literal, either stage reports every place a key stands, and a probe
 * verifies the whole literal (and its context) as the search would; a
 * pattern is a candidate where every factor it needs stands, whichever
 * of them triggered it (a trigger's literals all have keys), and a DFA
 * member where its group's factors all stand, whichever of them gates it
 * (a gate's literals all have keys too). Keys, the set of scanned
 * literals, the triggers and the gates change between two lines only.
 * The same lines give the same keys, stages, triggers and gates. The
 * compiled matcher stays read-only: keys, counters, stage, triggers,
 * gates and index live in the context, which one thread uses at a time.
 * No allocation per line: the counters (512 KiB, and 4 bytes per pattern
 * and per gate group) and the kept lines (FW_ADAPT_STAGE_BYTES) are
 * allocated when a sample starts and freed when it ends; at most one new
 * index and one set of trigger lists per sample, when keys, triggers or
 * gates move (for the stage running: a pair-map context indexes for the
 * pair map only), and the bucketed filter added to the context's own
 * index when the stage choice has to cost it (if any of them fails, the
 * context keeps the keys, triggers, gates and stage it has).
 */
#ifndef FW_MATCH_FAST_ADAPT_H
#define FW_MATCH_FAST_ADAPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "match/match_fast_int.h"

/* Bytes of the first sample and of each later one. */
#define FW_ADAPT_LEARN ((size_t)256 << 10)
/* Bytes matched between the end of a sample and the start of the next. */
#define FW_ADAPT_PERIOD ((size_t)64 << 20)
/* Lines of a sample kept to cost the stages on: one in this many, up to this many bytes. */
#define FW_ADAPT_STAGE_EVERY 4
#define FW_ADAPT_STAGE_BYTES ((size_t)32 << 10)
/*
 * Bytes matched between two checks of the keys' false hits by default
 * (fw__adapt_miss_every()), and a key's misses that move it (one per this
 * many bytes, at least one).
 */
#define FW_ADAPT_MISS_BYTES ((size_t)1 << 20)
#define FW_ADAPT_MISS_RATE 4096
/* Misses of the keys that move, together, that pay for indexing the keys again (in probes). */
#define FW_ADAPT_MISS_REBUILD 2048
/* Literals of a factor that may become a pattern's trigger, at most. */
#define FW_TRIG_LITS_MAX 8

struct fast_adapt {
	uint32_t *pairs;        /* 65536 counters: folded byte pairs in this sample (NULL between samples) */
	uint16_t *quads;        /* hashed folded 4-byte windows in this sample (saturating; the same) */
	struct fp_key *keys;    /* per literal: its key in this context (klen 0: looked up on demand) */
	struct fp_key *next;    /* scratch for the next keys */
	uint8_t *klen;          /* per literal: keys[i].klen, one byte each (read with every triggered pattern) */
	uint32_t *find;         /* per literal: the byte a lookup searches for (fp_lit_in()) */
	uint32_t *anchor_find;  /* per anchor: the byte its search looks for */
	struct fp_index own;    /* index of keys once one moved (own.slots != NULL) */
	size_t learn, period;   /* the schedule; learn = 0: never sample */
	size_t left;            /* bytes left in this sample, or until the next one */
	/*
	 * Bytes matched before fw__adapt_due() must see a line: the fewest of
	 * left and miss_left, 0 while sampling (every line is counted). The
	 * lines that pass by only take their bytes from due; fw__adapt_due()
	 * takes due_set - due from left and miss_left. Both 0: settled.
	 */
	size_t due, due_set;
	size_t sampled;         /* bytes counted in this sample */
	uint32_t n_lits;        /* the engine's literals */
	bool learning;
	uint64_t rekeys;        /* literals moved to another key, in all */
	enum fp_stage stage;    /* the scan's first stage in this context */
	uint64_t switches;      /* times stage changed, in all */
	/* Lines kept in this sample, each after its length (4 bytes); NULL between samples. */
	unsigned char *kept;
	size_t kept_len;
	uint32_t sample_lines;  /* lines counted in this sample */
	uint32_t *searches;     /* per literal: on-demand searches in this sample (NULL between samples) */
	uint64_t scans;         /* literals looked up on demand that this context scans for instead */
	/*
	 * Triggers in this context: per pattern, the factor whose literals
	 * trigger it (trig_bit; 0, its first, until a sample moves it), and
	 * per literal the patterns it triggers,
	 * trig_pat[trig_first[l]..trig_first[l + 1]).
	 */
	uint8_t *trig_bit;
	uint8_t *check;         /* per pattern: the factors looked up once it is triggered (need but trig_bit) */
	/*
	 * Per pattern: the lone literal of the first factor check names
	 * (fp_factor_lone()), read with check rather than through the
	 * pattern's factors: most triggered patterns end there.
	 */
	uint32_t *check_lit;
	uint32_t *trig_first;
	uint32_t *trig_pat;
	uint32_t *trig_count;   /* per pattern: lines it was triggered on in this sample (NULL between) */
	uint32_t n_patterns;
	uint64_t moves;         /* patterns whose trigger moved to another factor, in all */
	/*
	 * Gates in this context: per gate group of DFA members, the factor
	 * whose literals run the group's check where the scan finds them
	 * (gate_bit; 0, the first, until a sample moves it), and per literal
	 * whether it is such a gate (gate, not 0: for how many groups, at most
	 * 2; read where the scan finds it).
	 */
	uint8_t *gate_bit;
	uint8_t *gate;
	uint32_t n_groups;      /* the engine's gate groups */
	uint32_t *gate_count;   /* per group: lines its gate stood on in this sample (NULL between) */
	uint64_t gate_moves;    /* gate groups whose gate moved, in all */
	/* Per literal: probes of its key that its head turned away since the last check. */
	uint32_t *misses;
	uint64_t missed;        /* their sum */
	uint8_t *miss_moved;    /* per literal: its key moved on its misses (once at most) */
	size_t miss_every;      /* bytes between two checks (the schedule's) */
	size_t miss_left;       /* bytes until the next check */
	uint64_t miss_moves;    /* literals whose key moved on its misses, in all */
};

/* Sets up a with f's keys and the default schedule. 0 or -ENOMEM; fw__adapt_free() either way. */
int fw__adapt_init(struct fast_adapt *a, const struct fast *f);
/* Frees what a holds (a zeroed one too). */
void fw__adapt_free(struct fast_adapt *a);
/* Restarts the schedule: a sample of learn bytes now, then one every period bytes (0: never). */
void fw__adapt_schedule(struct fast_adapt *a, size_t learn, size_t period);
/* Checks the keys' misses every `every` bytes (> 0) from now on; the counts start again. */
void fw__adapt_miss_every(struct fast_adapt *a, size_t every);

void fw__adapt_count(struct fast_adapt *a, const struct fast *f, const unsigned char *line, size_t len);
void fw__adapt_turn(struct fast_adapt *a, const struct fast *f);
void fw__adapt_misses(struct fast_adapt *a, const struct fast *f);
/* fw__adapt_line() once a line reaches due: counts it while sampling; a check, a sample's end or start. */
void fw__adapt_due(struct fast_adapt *a, const struct fast *f, const unsigned char *line, size_t len);

/* The index the scan uses in this context. */
static inline const struct fp_index *
fw__adapt_index(const struct fast_adapt *a, const struct fast *f)
{
	return a->own.slots ? &a->own : &f->index;
}

/*
 * After a line was matched: counts it while sampling; a sample ends or
 * starts between lines. Between samples and checks a line only counts
 * down one number.
 */
static inline void
fw__adapt_line(struct fast_adapt *a, const struct fast *f, const unsigned char *line, size_t len)
{
	if (__builtin_expect(a->due > len, 1)) {
		a->due -= len;
		return;
	}
	fw__adapt_due(a, f, line, len);
}

#endif
