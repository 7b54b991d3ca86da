/*
 * capture_test: `fixwatch test --strict`'s check that a record's captures
 * cannot be steered by the parts of a line that a client writes
 * (data/kb/README.md, "Captures"). In every example it finds the
 * client-controlled spans (nginx's `request:`, `referrer:` and `host:`
 * values, a Basic authentication user name and a path nginx derived from
 * the URI, an access line's user, request, referer and user agent, an
 * sshd user name, PostgreSQL's and MySQL's user and database names), puts
 * hostile text into each that imitates the message's fixed parts, and
 * requires every capture outside that span to keep its place and value,
 * and a capture the example leaves unset to stay unset, unless the line
 * no longer matches at all. A capture inside a span must have a name the span's
 * rule allows. Records listed in the known-failures file under the rule
 * `captures` are counted, not reported.
 */
#ifndef FW_CAPTURE_TEST_H
#define FW_CAPTURE_TEST_H

#include <stdbool.h>

#include "cli/known_failures.h"
#include "kb/kb.h"

/* The rule name of capture findings in the known-failures list. */
#define FW_RULE_CAPTURES_NAME "captures"

struct fw_capture_spans;

struct fw_capture_test {
	const struct fw_kb *kb;
	struct fw_known *known;         /* NULL: no list */
	unsigned lines;                 /* hostile lines tried */
	unsigned failed;                /* reported findings */
	unsigned known_records;         /* records whose findings the list holds */
	struct fw_capture_spans *spans; /* owned: the compiled span finders */
};

/* 0 or -ENOMEM; t's kb and known are set by the caller. */
int fw_capture_test_init(struct fw_capture_test *t);
void fw_capture_test_fini(struct fw_capture_test *t);

/*
 * Tries every hostile line of rec's examples; prints each finding as
 * "PATH: ID: captures: example N, SPAN +"TEXT": ..." and returns their
 * number (0 for a listed record, which is then marked seen).
 */
unsigned fw_capture_test_record(struct fw_capture_test *t, const struct fw_record *rec);

#endif
