/*
 * format_multiline: joins the continuation lines of multi-line entries
 * (Java and Python tracebacks, nginx's FastCGI stderr) to the line that
 * starts them, for `multiline =` in [input.*]:
 *
 *   indent   a line that starts with a blank or a TAB continues the entry
 *   nginx    nginx's error log: a line starting "YYYY/MM/DD hh:mm:ss [" starts one
 *   java     Java stack traces (frames, Caused by, the exception's line)
 *   python   Python tracebacks (header, frames, chained notes, the exception)
 *   go-panic Go panics (goroutine dumps, frames, the exit status)
 *   REGEX    a line that matches REGEX (PCRE2) starts an entry; every other
 *            line continues the one before it
 *
 * java, python and go-panic say which lines continue an entry: any other
 * line (an application's own log line) starts one.
 *
 * An entry is the start line and its continuations joined by "\n", bounded
 * by max_bytes and max_lines: a line that would go past either ends the
 * entry and starts the next one, so no line is ever split or dropped (a
 * line is at most max_bytes long: the splitter's limit). The first line's
 * source (offset, number) is the entry's, with the count of lines joined.
 *
 * The caller decides when an entry ends for lack of a next line (a flush
 * timeout) and takes it with fw_multiline_take(). Nothing is allocated per
 * line: the entry's buffer is allocated once, at max_bytes.
 */
#ifndef FW_FORMAT_MULTILINE_H
#define FW_FORMAT_MULTILINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/alert.h"
#include "input/linesplit.h"

struct fw_multiline;

/*
 * spec: "indent", a preset name or a regex. 0, -EINVAL (why says what is wrong with the
 * regex, e.g. "missing closing parenthesis at offset 4"), or -ENOMEM.
 */
int fw_multiline_new(const char *spec, size_t max_bytes, uint32_t max_lines,
		     struct fw_multiline **out, char *why, size_t why_len);
void fw_multiline_free(struct fw_multiline *ml);

/* Whether an entry is held. */
bool fw_multiline_held(const struct fw_multiline *ml);

/*
 * Offers the next line, read from path (NULL: a stream). true: it continued
 * the held entry and was appended; false: the held entry (if any) is
 * complete (an entry never spans two files): take it, then start one with
 * this line.
 */
bool fw_multiline_join(struct fw_multiline *ml, const struct fw_line *line, const char *path);

/* Starts an entry with line, whose source src is copied (path included). */
void fw_multiline_start(struct fw_multiline *ml, const struct fw_line *line,
			const struct fw_alert_source *src);

/*
 * Takes the held entry: *line and *src point into ml until the next
 * start(); src->lines is the count of lines joined. false if none held.
 */
bool fw_multiline_take(struct fw_multiline *ml, struct fw_line *line, struct fw_alert_source *src);

#endif
