/*
 * known_failures: the checked-in list of shipped records that do not yet
 * keep a `fixwatch test --strict` advice rule, or whose examples' variants
 * do not all match (rule `variants`), or whose captures a client can steer
 * (rule `captures`), in tests/data/kb-known-failures.txt.
 *
 * One entry a line, "ID RULE" ('#' starts a comment). A finding that is
 * listed is known, not a failure; an entry that no longer fails is an
 * error, so the list can only shrink as records are fixed. The list owns
 * its strings; fw_known_free() releases them.
 */
#ifndef FW_KNOWN_FAILURES_H
#define FW_KNOWN_FAILURES_H

#include <stdbool.h>
#include <stddef.h>

struct fw_known_entry {
	char *id;
	char *rule;
	unsigned line;
	bool seen;
};

struct fw_known {
	const char *path;
	struct fw_known_entry *entries;
	size_t n;
};

/* Reads path; 0, or -errno after printing "PATH:LINE: message" to stderr. */
int fw_known_load(const char *path, struct fw_known *k);
/* Is (id, rule) listed? (Does not mark it.) */
bool fw_known_has(const struct fw_known *k, const char *id, const char *rule);
/* Marks and returns true when (id, rule) is listed. */
bool fw_known_take(struct fw_known *k, const char *id, const char *rule);
void fw_known_free(struct fw_known *k);

#endif
