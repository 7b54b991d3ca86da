/*
 * severity: see severity.h.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "util/severity.h"

#define KEYWORDS "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"

const char *const fw_severity_keywords[] = { KEYWORDS, NULL };
const char *const fw_severity_levels[] = { KEYWORDS, "none", NULL };
const struct fw_severity_alias fw_severity_aliases[] = {
	{ "error", 3 }, { "warn", 4 }, { "panic", 0 }, { "critical", 2 }, { "emergency", 0 },
	{ NULL, FW_SEVERITY_NONE },
};

/* Codes 12..15 (ntp, audit, alert, clock) have no name in glibc's <syslog.h>. */
const char *const fw_facility_names[] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
	"authpriv", "ftp",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7", NULL,
};

#define FIRST_LOCAL 12          /* index of "local0" */

const char *
fw_severity_name(int severity)
{
	return severity >= 0 && severity < FW_SEVERITY_COUNT ? fw_severity_keywords[severity] : NULL;
}

int
fw_severity_parse(const char *name)
{
	for (int i = 0; name && i < FW_SEVERITY_COUNT; i++)
		if (strcmp(name, fw_severity_keywords[i]) == 0)
			return i;
	return FW_SEVERITY_NONE;
}

/* Longer than any keyword or alias; a longer word is none. */
#define WORD_MAX 16
#define N_ALIASES (sizeof fw_severity_aliases / sizeof fw_severity_aliases[0] - 1)

/*
 * Every keyword and alias by its length: by_len[first[n] .. first[n + 1])
 * are the words of n bytes. Built from the two tables above once, before
 * main, so that a lookup compares only the words of the word's length.
 */
static struct word {
	uint64_t head, tail;    /* key() of the text */
	int severity;
} by_len[FW_SEVERITY_COUNT + N_ALIASES];
static unsigned char first[WORD_MAX + 2];

/*
 * All len (<= WORD_MAX) bytes of p in two integers, by loads that overlap
 * rather than a loop: two words of the same length are equal exactly when
 * their keys are.
 */
static inline void
key(const char *p, size_t len, uint64_t *head, uint64_t *tail)
{
	uint32_t a, b;

	if (len >= 8) {
		memcpy(head, p, 8);
		memcpy(tail, p + len - 8, 8);
	} else if (len >= 4) {
		memcpy(&a, p, 4);
		memcpy(&b, p + len - 4, 4);
		*head = a | (uint64_t)b << 32;
		*tail = 0;
	} else {
		*head = len ? (unsigned char)p[0] | (unsigned char)p[len / 2] << 8 |
			      (uint64_t)(unsigned char)p[len - 1] << 16 : 0;
		*tail = 0;
	}
}

static void
add_word(size_t *n, const char *text, int severity)
{
	struct word *w = &by_len[(*n)++];

	key(text, strlen(text), &w->head, &w->tail);
	w->severity = severity;
}

__attribute__((constructor)) static void
index_words(void)
{
	size_t n = 0;

	for (size_t len = 0; len <= WORD_MAX; len++) {
		first[len] = (unsigned char)n;
		for (int i = 0; i < FW_SEVERITY_COUNT; i++)
			if (strlen(fw_severity_keywords[i]) == len)
				add_word(&n, fw_severity_keywords[i], i);
		for (size_t i = 0; i < N_ALIASES; i++)
			if (strlen(fw_severity_aliases[i].word) == len)
				add_word(&n, fw_severity_aliases[i].word, fw_severity_aliases[i].severity);
	}
	first[WORD_MAX + 1] = (unsigned char)n;
}

int
fw_severity_from_word(const char *word, size_t len)
{
	uint64_t head, tail;

	/* Every line of an nginx error log asks: the length picks one to five words. */
	if (len > WORD_MAX)
		return FW_SEVERITY_NONE;
	key(word, len, &head, &tail);
	for (const struct word *w = &by_len[first[len]]; w < &by_len[first[len + 1]]; w++)
		if (w->head == head && w->tail == tail)
			return w->severity;
	return FW_SEVERITY_NONE;
}

int
fw_facility_code(int index)
{
	return index < FIRST_LOCAL ? index : index - FIRST_LOCAL + 16;
}
