/*
 * format_match: matching a parsed line against the records that say what
 * they apply to (data/kb/README.md, "Targets").
 *
 *  - A record with `field` is matched against that field's value only,
 *    and only on lines that parsed and have the field; the raw-line
 *    matcher never sees it (its bit is cleared from the mask).
 *  - A record with `fields` (its field form) is decided by them on a line
 *    that parsed and has every one of those fields: it matches when each
 *    pattern matches its field's value, and its whole-line patterns' hit
 *    is dropped. On any other line its whole-line patterns match as usual.
 *  - A record with `logs` matches only lines of those kinds of log.
 *  - Every other record is matched against the whole line by the matcher,
 *    as before: with no such record in the KB this is fw_match_line().
 *  - The matcher is not asked for a record whose whole-line hit would be
 *    dropped: one with `field`, one whose `logs` leave out the line's kind,
 *    one whose field form decides the line. So on a parsed CloudFront line
 *    the CloudFront records' whole-line patterns (written against the raw
 *    TAB-separated default layout) are not confirmed; the hits are the same.
 *
 * The result has the contract of fw_match_line(): every matching record in
 * KB order, each with its first matching pattern and its named captures.
 * A field record's captures point into the parsed buffer (offsets from
 * the text, up to fw_parsed.extent); a field-form hit has no captures (the
 * alert carries the fields) and names the record's first pattern. Nothing is allocated per line; the
 * result lives in fm until the next call.
 */
#ifndef FW_FORMAT_MATCH_H
#define FW_FORMAT_MATCH_H

#include <stdint.h>

#include "core/jsonw.h"
#include "input/format.h"
#include "kb/kb.h"
#include "match/match.h"

struct fw_format_match;

/* For kb, which must outlive it. 0 or -ENOMEM. */
int fw_format_match_new(const struct fw_kb *kb, struct fw_format_match **out);
void fw_format_match_free(struct fw_format_match *fm);

/*
 * Matches text[0..len) (pl->text when the line was parsed) of a log of
 * kind; pl is NULL for a line without a format. mask: the input's records
 * (NULL: all).
 */
uint32_t fw_format_match_line(struct fw_format_match *fm, struct fw_match_ctx *ctx,
			      const uint64_t *mask, enum fw_log_kind kind, const struct fw_parsed *pl,
			      const char *text, size_t len, struct fw_match_result *out);

/* The fields of pl as a JSON object ("{}" when none); a name given twice keeps its first value. */
void fw_format_write_fields(struct fw_jbuf *b, const struct fw_parsed *pl);

#endif
