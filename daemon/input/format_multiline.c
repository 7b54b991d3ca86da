/*
 * format_multiline: the entry being joined and the rule that says which
 * line continues it (format_multiline.h).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "input/format_multiline.h"
#include "match/match.h"

/*
 * Presets: what a program's multi-line entries look like. A `start` regex
 * matches the first line of every entry; a continuation regex (`cont`)
 * matches the lines that continue one, for logs whose first lines have no
 * common shape (an application's own log line, then its traceback).
 */
static const struct {
	const char *name;
	const char *re;
	bool cont;
} presets[] = {
	/* nginx's error log: every entry starts with its time and [level] */
	{ "nginx", "^\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[", false },
	/* Java stack traces: frames, "... N more", Caused by/Suppressed, the
	 * exception's own line (a qualified class name ending in Exception,
	 * Error or Throwable) */
	{ "java", "^(?:[ \\t]|Caused by: |Suppressed: |(?:[A-Za-z_$][\\w$]*\\.)+[A-Za-z_$][\\w$]*"
		  "(?:Exception|Error|Throwable)\\b)", true },
	/* Python tracebacks: the header, indented frames and source lines, the
	 * chained-exception notes and the blank lines around them, the last
	 * line naming the exception */
	{ "python", "^(?:[ \\t]|$|Traceback \\(most recent call last\\):|During handling of the above "
		    "exception|The above exception was the direct cause|(?:[A-Za-z_]\\w*\\.)*[A-Za-z_]\\w*"
		    "(?:Error|Exception|Warning|Exit|Interrupt|Iteration)\\b)", true },
	/* Go panics: blank lines, goroutine headers, function lines and their
	 * indented file:line, "created by", the signal line and the exit status */
	{ "go-panic", "^(?:[ \\t]|$|goroutine \\d+ \\[|\\[signal |created by |exit status \\d+$|"
		      "panic: .* \\[recovered\\]|[\\w./*()-]+\\(.*\\)$)", true },
};

struct fw_multiline {
	pcre2_code *start;              /* NULL: indent */
	bool cont;                      /* start matches continuation lines instead */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	char *buf;                      /* the entry, lines joined by '\n' */
	size_t len, cap;
	uint32_t lines, max_lines;
	bool held, truncated;
	struct fw_alert_source src;
	uint64_t end;                   /* past the last line joined */
	char path[PATH_MAX];
};

void
fw_multiline_free(struct fw_multiline *ml)
{
	if (!ml)
		return;
	pcre2_code_free(ml->start);
	pcre2_match_data_free(ml->md);
	pcre2_match_context_free(ml->mctx);
	free(ml->buf);
	free(ml);
}

int
fw_multiline_new(const char *spec, size_t max_bytes, uint32_t max_lines,
		 struct fw_multiline **out, char *why, size_t why_len)
{
	struct fw_multiline *ml = calloc(1, sizeof *ml);

	*out = NULL;
	if (!ml)
		return -ENOMEM;
	ml->cap = max_bytes;
	ml->max_lines = max_lines;
	ml->buf = malloc(max_bytes ? max_bytes : 1);
	if (!ml->buf)
		goto oom;
	for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++) {
		if (strcmp(spec, presets[i].name) == 0) {
			spec = presets[i].re;
			ml->cont = presets[i].cont;
		}
	}
	if (strcmp(spec, "indent") != 0) {
		int code;
		PCRE2_SIZE at;

		ml->start = pcre2_compile((PCRE2_SPTR)spec, PCRE2_ZERO_TERMINATED,
					  PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &at, NULL);
		if (!ml->start) {
			char msg[160];

			pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, sizeof msg);
			snprintf(why, why_len, "bad regex: %s at offset %zu", msg, (size_t)at);
			fw_multiline_free(ml);
			return -EINVAL;
		}
		pcre2_jit_compile(ml->start, PCRE2_JIT_COMPLETE);   /* interpreted if it fails */
		ml->md = pcre2_match_data_create(1, NULL);
		ml->mctx = pcre2_match_context_create(NULL);
		if (!ml->md || !ml->mctx)
			goto oom;
		pcre2_set_match_limit(ml->mctx, FW_MATCH_LIMIT);
		pcre2_set_depth_limit(ml->mctx, FW_DEPTH_LIMIT);
	}
	*out = ml;
	return 0;
oom:
	fw_multiline_free(ml);
	return -ENOMEM;
}

bool
fw_multiline_held(const struct fw_multiline *ml)
{
	return ml->held;
}

/* Whether line continues the entry before it. A regex that fails (limit) starts one. */
static bool
continues(struct fw_multiline *ml, const struct fw_line *line)
{
	int rc;

	if (!ml->start)
		return line->len > 0 && (line->data[0] == ' ' || line->data[0] == '\t');
	rc = pcre2_match(ml->start, (PCRE2_SPTR)line->data, line->len, 0, 0, ml->md, ml->mctx);
	return ml->cont ? rc >= 0 : rc == PCRE2_ERROR_NOMATCH;
}

static bool
same_path(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

bool
fw_multiline_join(struct fw_multiline *ml, const struct fw_line *line, const char *path)
{
	if (!ml->held || ml->lines >= ml->max_lines || ml->len + 1 + line->len > ml->cap ||
	    !same_path(ml->src.path, path) || !continues(ml, line))
		return false;
	ml->buf[ml->len++] = '\n';
	memcpy(ml->buf + ml->len, line->data, line->len);
	ml->len += line->len;
	ml->lines++;
	ml->truncated |= line->truncated;
	ml->end = line->end;
	return true;
}

void
fw_multiline_start(struct fw_multiline *ml, const struct fw_line *line,
		   const struct fw_alert_source *src)
{
	size_t n = line->len < ml->cap ? line->len : ml->cap;

	memcpy(ml->buf, line->data, n);
	ml->len = n;
	ml->lines = 1;
	ml->truncated = line->truncated || n < line->len;
	ml->held = true;
	ml->end = line->end;
	ml->src = *src;
	/* The entry may be taken after its file is closed: its descriptor is not kept. */
	ml->src.has_fd = false;
	if (src->path) {
		snprintf(ml->path, sizeof ml->path, "%s", src->path);
		ml->src.path = ml->path;
	}
}

bool
fw_multiline_take(struct fw_multiline *ml, struct fw_line *line, struct fw_alert_source *src)
{
	if (!ml->held)
		return false;
	ml->held = false;
	*line = (struct fw_line){
		.data = ml->buf, .len = ml->len, .truncated = ml->truncated,
		.offset = ml->src.offset, .line_no = ml->src.line_no, .end = ml->end,
	};
	*src = ml->src;
	src->lines = ml->lines;
	return true;
}
