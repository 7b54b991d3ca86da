/*
 * known_failures: reads the list of known strict-rule failures. Lines are
 * bounded (a longer one is an error, not split); a malformed line, a rule
 * name `fixwatch test` does not know or a repeated entry is an error
 * naming FILE:LINE, so a typo cannot hide a failure.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/capture_test.h"
#include "cli/known_failures.h"
#include "cli/variant_test.h"
#include "kb/kb.h"

static bool
known_rule(const char *rule)
{
	if (strcmp(rule, FW_RULE_VARIANTS_NAME) == 0 || strcmp(rule, FW_RULE_CAPTURES_NAME) == 0)
		return true;
	for (int r = 0; r < FW_RULE_N; r++)
		if (strcmp(rule, fw_kb_rule_name((enum fw_kb_rule)r)) == 0)
			return true;
	return false;
}

static int
add(struct fw_known *k, const char *id, const char *rule, unsigned line)
{
	struct fw_known_entry *e;

	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->entries[i].id, id) == 0 && strcmp(k->entries[i].rule, rule) == 0) {
			fprintf(stderr, "%s:%u: %s %s: listed twice (first on line %u)\n", k->path, line, id,
				rule, k->entries[i].line);
			return -EINVAL;
		}
	e = realloc(k->entries, (k->n + 1) * sizeof *e);
	if (!e)
		return -ENOMEM;
	k->entries = e;
	e = &k->entries[k->n];
	e->id = strdup(id);
	e->rule = strdup(rule);
	e->line = line;
	e->seen = false;
	if (!e->id || !e->rule) {
		free(e->id);
		free(e->rule);
		return -ENOMEM;
	}
	k->n++;
	return 0;
}

int
fw_known_load(const char *path, struct fw_known *k)
{
	char buf[512], id[256], rule[64], extra[2];
	unsigned line = 0;
	int rc = 0;
	FILE *f;

	memset(k, 0, sizeof *k);
	k->path = path;
	f = fopen(path, "r");
	if (!f) {
		rc = -errno;
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return rc;
	}
	while (rc == 0 && fgets(buf, sizeof buf, f)) {
		char *hash;
		int n;

		line++;
		if (!strchr(buf, '\n') && !feof(f)) {
			fprintf(stderr, "%s:%u: line longer than %zu bytes\n", path, line, sizeof buf - 2);
			rc = -EINVAL;
			break;
		}
		if ((hash = strchr(buf, '#')))
			*hash = '\0';
		n = sscanf(buf, "%255s %63s %1s", id, rule, extra);
		if (n <= 0)
			continue;
		if (n != 2) {
			fprintf(stderr, "%s:%u: expected \"ID RULE\"\n", path, line);
			rc = -EINVAL;
		} else if (!known_rule(rule)) {
			fprintf(stderr, "%s:%u: %s: unknown rule \"%s\"\n", path, line, id, rule);
			rc = -EINVAL;
		} else {
			rc = add(k, id, rule, line);
		}
	}
	if (rc == 0 && ferror(f)) {
		fprintf(stderr, "%s: read error\n", path);
		rc = -EIO;
	}
	fclose(f);
	if (rc < 0)
		fw_known_free(k);
	return rc;
}

bool
fw_known_has(const struct fw_known *k, const char *id, const char *rule)
{
	for (size_t i = 0; k && i < k->n; i++)
		if (strcmp(k->entries[i].id, id) == 0 && strcmp(k->entries[i].rule, rule) == 0)
			return true;
	return false;
}

bool
fw_known_take(struct fw_known *k, const char *id, const char *rule)
{
	for (size_t i = 0; k && i < k->n; i++)
		if (strcmp(k->entries[i].id, id) == 0 && strcmp(k->entries[i].rule, rule) == 0) {
			k->entries[i].seen = true;
			return true;
		}
	return false;
}

void
fw_known_free(struct fw_known *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->entries[i].id);
		free(k->entries[i].rule);
	}
	free(k->entries);
	k->entries = NULL;
	k->n = 0;
}
