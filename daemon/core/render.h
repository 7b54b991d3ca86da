/*
 * render: human-readable forms of a record and of a match, for the
 * `fixwatch` tool (show, scan --format text). Output goes to a stdio stream.
 */
#ifndef FW_RENDER_H
#define FW_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "kb/kb.h"
#include "match/match.h"

/* The record as Markdown (headings, facts, ranked workarounds, dead ends, versions, patterns). */
void fw_render_markdown(FILE *f, const struct fw_kb *kb, const struct fw_record *rec, bool zh);

/*
 * One match as a few indented lines: where, which record and how serious,
 * the cause, the first diagnosis step, the fix and what to avoid. With
 * colour, ANSI SGR sequences mark the record, its severity and the labels
 * (for a terminal; the caller decides, e.g. from isatty and NO_COLOR).
 */
void fw_render_text(FILE *f, const struct fw_kb *kb, const struct fw_match_result *r, uint32_t hit,
		    bool list_also_matched, const char *where, const char *line, size_t len, bool zh,
		    bool colour);

#endif
