/*
 * gen_sec: the "sec" corpus's vocabulary (gen_sec_vocab.c), shared by its
 * signature maker (gen_sec.c, which says what the corpus models) and its
 * line writers (gen_sec_lines.c): the healthy lines draw on the words the
 * signatures name, so that they come close to the signatures without
 * matching them. Table sec_NAME holds sec_NAME_n entries.
 */
#ifndef FW_BENCH_GEN_SEC_H
#define FW_BENCH_GEN_SEC_H

#include <stdint.h>
#include <stdio.h>

#include "sigset.h"

#define SEC_EPOCH 1796515200u /* 2026-12-06T00:00:00Z */

/* An entry of table t drawn from r, as BENCH_PICK() draws from an array in scope. */
#define SEC_PICK(r, t) ((t)[bench_rng_below((r), t##_n)])

/* A command with its executable and SELinux domain. */
struct sec_proc {
	const char *comm, *exe, *domain;
};
/* An object type a denial names, with a path or port of that type, and its class. */
struct sec_object {
	const char *type, *name, *tclass;
};
/* A system call: its number on x86-64 and its name. */
struct sec_syscall {
	unsigned nr;
	const char *name;
};
/* An operation AppArmor denies: class, object and requested mask. */
struct sec_aa_op {
	const char *op, *cls, *name, *mask;
};
/* An OWASP CRS 3 rule: file, id, message, severity. */
struct sec_crs_rule {
	const char *file, *id, *msg, *sev;
};
/* A Suricata rule: sid, rev, name, category. */
struct sec_ids_rule {
	unsigned sid, rev;
	const char *name, *cat;
};
/* A MySQL error: code, text pattern (PCRE2 and ERE) and sample text. */
struct sec_mysql_error {
	const char *code, *re, *ere, *text;
};

/* Linux audit and SELinux. */
extern const struct sec_proc sec_procs[];
extern const uint32_t sec_procs_n;
extern const struct sec_object sec_objects[];
extern const uint32_t sec_objects_n;
extern const char *const sec_audit_keys[];
extern const uint32_t sec_audit_keys_n;
extern const struct sec_syscall sec_syscalls[];
extern const uint32_t sec_syscalls_n;
extern const char *const sec_watched[];
extern const uint32_t sec_watched_n;
/* AppArmor and fail2ban. */
extern const char *const sec_aa_profiles[];
extern const uint32_t sec_aa_profiles_n;
extern const struct sec_aa_op sec_aa_ops[];
extern const uint32_t sec_aa_ops_n;
extern const char *const sec_jails[];
extern const uint32_t sec_jails_n;
/* ModSecurity: CRS rules, their matched data, the sites and paths they guard. */
extern const struct sec_crs_rule sec_crs[];
extern const uint32_t sec_crs_n;
extern const char *const sec_crs_data[];
extern const uint32_t sec_crs_data_n;
extern const char *const sec_sites[];
extern const uint32_t sec_sites_n;
extern const char *const sec_paths[];
extern const uint32_t sec_paths_n;
/* Suricata: rules, application protocols, user agents, DNS names. */
extern const struct sec_ids_rule sec_rules[];
extern const uint32_t sec_rules_n;
extern const char *const sec_app_protos[];
extern const uint32_t sec_app_protos_n;
extern const char *const sec_user_agents[];
extern const uint32_t sec_user_agents_n;
extern const char *const sec_dns_names[];
extern const uint32_t sec_dns_names_n;
/* MySQL: databases, tables, users, replication errors. */
extern const char *const sec_dbs[];
extern const uint32_t sec_dbs_n;
extern const char *const sec_tables[];
extern const uint32_t sec_tables_n;
extern const char *const sec_db_users[];
extern const uint32_t sec_db_users_n;
extern const struct sec_mysql_error sec_my_errors[];
extern const uint32_t sec_my_errors_n;
/* MongoDB. */
extern const char *const sec_mongo_dbs[];
extern const uint32_t sec_mongo_dbs_n;
extern const char *const sec_mongo_colls[];
extern const uint32_t sec_mongo_colls_n;
extern const char *const sec_mongo_users[];
extern const uint32_t sec_mongo_users_n;
/* The outside networks (sec_nets; the IPv6 prefixes alone too) and the hosts that log. */
extern const char *const sec_v6_first[];
extern const uint32_t sec_v6_first_n;
extern const char *const sec_hosts[];
extern const uint32_t sec_hosts_n;
extern const struct bench_nets sec_nets;

/* The permissions a denial of an object of class tclass asks for. */
const char *sec_perm_for(const char *tclass, struct bench_rng *r);
/* The fields after "comm=" of an AVC record for object o, a denial for domain (permissive: 0 or 1). */
void sec_avc_tail(char *out, size_t size, unsigned o, const char *domain, struct bench_rng *r, int permissive);

/* Line n of the corpus, healthy: matched by no signature (bench_corpus's healthy_line). */
void sec_healthy_line(FILE *f, struct bench_rng *r, uint32_t n);
/* Line n with a signature's sample behind the collecting host's syslog header (error_line). */
void sec_error_line(FILE *f, struct bench_rng *r, uint32_t n, const char *sample);

#endif
