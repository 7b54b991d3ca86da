/*
 * variants: the lines `fixwatch test` derives from a record's example to
 * check that its patterns recognise the message however it is delivered
 * (data/kb/README.md, "Variants"): other addresses, other numbers, optional
 * parts, and the line prefixes of syslog, the journal and Docker.
 *
 * A variant is made only where the example has the part it changes, and a
 * prefix only where the example's shape says its log can come that way
 * (see variants.c). Each variant is passed to the callback as a
 * NUL-terminated line that lives until the callback returns. Nothing is
 * kept between calls but the compiled shape patterns.
 */
#ifndef FW_VARIANTS_H
#define FW_VARIANTS_H

#include "kb/kb.h"

enum fw_variant_kind {
	FW_VAR_IPV6_FULL,        /* every IPv4 address as a full IPv6 address */
	FW_VAR_IPV6_COMPRESSED,  /* ... as a compressed one (2001:db8::a00:40c) */
	FW_VAR_IPV4_MAPPED,      /* ... as an IPv4-mapped one (::ffff:10.0.4.12) */
	FW_VAR_IPV4,             /* every IPv6 address as an IPv4 address */
	FW_VAR_NUMBERS,          /* other numbers of the same digit count */
	FW_VAR_NO_PORT,          /* " port N" after an address left out */
	FW_VAR_PREAUTH,          /* sshd's " [preauth]" added */
	FW_VAR_NO_PREAUTH,       /* sshd's " [preauth]" left out */
	FW_VAR_REFERRER,         /* nginx's ", referrer: \"...\"" added after a request context */
	FW_VAR_RFC3164,          /* Dec  4 10:00:00 host prog[123]: MSG */
	FW_VAR_RFC5424,          /* <27>1 2026-12-04T10:00:00.000Z host prog 123 - - MSG */
	FW_VAR_JOURNAL_SHORT,    /* journalctl -o short */
	FW_VAR_JOURNAL_ISO,      /* journalctl -o short-iso */
	FW_VAR_JOURNAL_MESSAGE,  /* the message alone, as the journal input sees MESSAGE */
	FW_VAR_DOCKER,           /* Docker's json-file wrapping of a line written to stderr */
	FW_VAR_N
};

/* "ipv6-full", "ipv6-compressed", ..., "referrer", ..., "docker-json"; NULL when out of range. */
const char *fw_variant_name(enum fw_variant_kind kind);

typedef void fw_variant_fn(void *arg, enum fw_variant_kind kind, const char *line);

struct fw_variants;

/* 0 or -ENOMEM. */
int fw_variants_new(struct fw_variants **out);
void fw_variants_free(struct fw_variants *v);

/*
 * Calls fn for every variant of example (one of rec's examples in kb)
 * that differs from it; returns the number of variants or -ENOMEM.
 */
int fw_variants_each(struct fw_variants *v, const struct fw_kb *kb, const struct fw_record *rec,
		     const char *example, fw_variant_fn *fn, void *arg);

/* Length of the IPv4 or IPv6 address at s[i] (as the variants find them), or 0. */
size_t fw_address_at(const char *s, size_t i);

#endif
