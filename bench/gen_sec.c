/*
 * gen_sec: the "sec" benchmark corpus (see bench/README.md): security, audit
 * and data stores. Linux audit records (SYSCALL, PROCTITLE in hex, PATH,
 * CWD, AVC denials), AppArmor lines in the kernel's syslog, fail2ban.log,
 * ModSecurity in Apache's error log (long [file "..."] [id "..."] [msg
 * "..."] sequences), Suricata EVE JSON, the MySQL error log and slow query
 * log, Redis and MongoDB (4.4+ JSON) logs; hex and base64 fields (hashes,
 * proctitle, unique ids, community ids, UUIDs), IPv6 addresses as often as
 * IPv4, UTF-8 in paths, queries and user agents. Signatures: an AVC denial
 * for one command, target type and class, a ModSecurity rule (id and msg)
 * denying on one site and path, a Suricata signature blocked from one subnet
 * (its name caseless), a fail2ban ban of one subnet in one jail, a MySQL
 * replication error (code and text) in one database, MySQL logins refused for
 * any of many users from one subnet (an alternation), MongoDB authentication
 * failures and collection scans, AppArmor denials, a Redis cross-protocol
 * attack from one subnet, a 64-digit digest after a common word (no
 * literal), and anchored slow-query and audit shapes.
 *
 * Its vocabulary (gen_sec_vocab.c) and line shapes (gen_sec_lines.c) are
 * its own; this file makes the signatures. The healthy lines use the same
 * words: permissive AVC denials of the same commands and types, ModSecurity
 * warnings of the same rules on the same sites, the same Suricata signatures
 * allowed, fail2ban finds and unbans of the same subnets, the same MySQL
 * errors skipped as warnings, refused logins from the site's own networks,
 * successful MongoDB logins and index scans, AppArmor complaints (ALLOWED),
 * clients of Redis from the same subnets, stored:false files.
 *
 * The formats follow the programs' documentation and output: auditd's
 * audit.log records ("type=T msg=audit(EPOCH.MS:SERIAL): ..."; an AVC as the
 * kernel's avc_audit writes it, "avc:  denied  { PERMS } for  pid=...");
 * AppArmor's type=1400 kernel audit lines; fail2ban's default log format
 * ("%(asctime)s %(name)-24s[%(process)d]: %(levelname)-7s %(message)s");
 * ModSecurity 2.9 under Apache 2.4's error log format with the OWASP CRS 3
 * rule files, ids and messages; Suricata's EVE JSON (docs.suricata.io,
 * "Eve JSON Format"); MySQL 8's error log ("TIME THREAD [PRIO] [MY-CODE]
 * [SUBSYS] MSG") and slow query log; Redis's "PID:ROLE DD Mon YYYY
 * HH:MM:SS.mmm LEVEL MSG"; MongoDB 4.4's structured log (the MongoDB manual,
 * "Log Messages"), with the padding mongod writes after "s" and "c".
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "gen_sec.h"

/* A subnet's text as an address begins with it. */
static void
subnet(char *out, size_t size, struct bench_rng *r)
{
	bench_subnet(out, size, r, &sec_nets);
}

/* Appends text matched caselessly in PCRE2 ((?i:...)); the ERE spells each letter [xX]. */
static void
sig_caseless(struct bench_sig *s, const char *text)
{
	struct bench_sig part;

	memset(&part, 0, sizeof part);
	part.caseless = true;
	bench_sig_lit(&part, text);
	bench_sig_raw(s, "(?i:", "", "");
	bench_sig_raw(s, part.re, part.ere, text);
	bench_sig_raw(s, ")", "", "");
}

/* One signature (bench_corpus's make_sig), of the kinds above in their shares. */
static void
make_sig(struct bench_sig *s, struct bench_rng *r)
{
	char buf[400], net[48];
	uint32_t kind = bench_rng_below(r, 100);

	memset(s, 0, sizeof *s);
	s->caseless = bench_rng_below(r, 25) == 0;
	if (kind < 15) {
		/* SELinux: a denial (enforcing) for one command on one type and class. */
		unsigned p = bench_rng_below(r, sec_procs_n);
		unsigned o = bench_rng_below(r, sec_objects_n);
		char tail[300], head[80];

		s->caseless = false;
		snprintf(head, sizeof head, "avc:  denied  { %s } for  pid=4242 comm=\"", sec_perm_for(sec_objects[o].tclass, r));
		bench_sig_raw(s, "avc:  denied  \\{ [a-z_ ]+ \\} for  pid=\\d+ comm=\"",
			      "avc:  denied  \\{ [a-z_ ]+ \\} for  pid=[0-9]+ comm=\"", head);
		snprintf(buf, sizeof buf, "%s\" ", sec_procs[p].comm);
		bench_sig_lit(s, buf);
		sec_avc_tail(tail, sizeof tail, o, sec_procs[p].domain, r, 0);
		bench_sig_raw(s, ".*", ".*", tail);
		snprintf(buf, sizeof buf, "tcontext=system_u:object_r:%s:s0 tclass=%s permissive=0",
			 sec_objects[o].type, sec_objects[o].tclass);
		/* The sample's tail already holds this text: only the patterns get it. */
		{
			struct bench_sig lit;

			memset(&lit, 0, sizeof lit);
			bench_sig_lit(&lit, buf);
			bench_sig_raw(s, lit.re, lit.ere, "");
		}
	} else if (kind < 30) {
		/* ModSecurity: one rule denying on one site, for one path. */
		unsigned c = bench_rng_below(r, sec_crs_n);
		const char *site = SEC_PICK(r, sec_sites), *path = SEC_PICK(r, sec_paths);

		bench_sig_raw(s, "ModSecurity: Access denied with code 403 \\(phase 2\\)\\. .*\\[id \"",
			      "ModSecurity: Access denied with code 403 \\(phase 2\\)\\. .*\\[id \"",
			      "ModSecurity: Access denied with code 403 (phase 2). Matched phrase at ARGS:q. [file \"/usr/share/modsecurity-crs/rules/x.conf\"] [line \"1\"] [id \"");
		snprintf(buf, sizeof buf, "%s\"] [msg \"%s\"]", sec_crs[c].id, sec_crs[c].msg);
		bench_sig_lit(s, buf);
		bench_sig_raw(s, " .*\\[hostname \"", " .*\\[hostname \"", " [data \"x\"] [hostname \"");
		snprintf(buf, sizeof buf, "%s\"] [uri \"%s", site, path);
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "", "", "\"] [unique_id \"Z1xqA8CoAAEAAB3xYvQAAAAB\"]");
	} else if (kind < 42) {
		/* Suricata: one signature (its name caseless) blocked from one subnet. */
		unsigned k = bench_rng_below(r, sec_rules_n);
		char a[64];

		s->caseless = false;
		subnet(net, sizeof net, r);
		bench_sig_lit(s, "\"src_ip\":\"");
		bench_sig_lit(s, net);
		snprintf(a, sizeof a, "%s", strchr(net, ':') ? "7::1" : "7");
		bench_sig_raw(s, "[^\"]*\",.*\"alert\":\\{\"action\":\"blocked\",\"gid\":1,\"signature_id\":\\d+,\"rev\":\\d+,\"signature\":\"",
			      "[^\"]*\",.*\"alert\":\\{\"action\":\"blocked\",\"gid\":1,\"signature_id\":[0-9]+,\"rev\":[0-9]+,\"signature\":\"",
			      a);
		snprintf(buf, sizeof buf, "\",\"src_port\":40123,\"dest_ip\":\"10.30.0.8\",\"dest_port\":3306,\"proto\":\"TCP\",\"alert\":{\"action\":\"blocked\",\"gid\":1,\"signature_id\":%u,\"rev\":%u,\"signature\":\"",
			 sec_rules[k].sid, sec_rules[k].rev);
		bench_sig_raw(s, "", "", buf);
		sig_caseless(s, sec_rules[k].name);
		bench_sig_lit(s, "\"");
	} else if (kind < 52) {
		/* fail2ban: one jail banning one subnet. */
		bench_sig_raw(s, "fail2ban\\.actions +\\[\\d+\\]: NOTICE +\\[", "fail2ban\\.actions +\\[[0-9]+\\]: NOTICE +\\[",
			      "fail2ban.actions        [812]: NOTICE  [");
		subnet(net, sizeof net, r);
		snprintf(buf, sizeof buf, "%s] Ban %s", SEC_PICK(r, sec_jails), net);
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "", "", strchr(net, ':') ? "b::9" : "9");
	} else if (kind < 62) {
		/* MySQL: a replication error (code and text) in one database. */
		unsigned e = bench_rng_below(r, sec_my_errors_n);
		const char *db = SEC_PICK(r, sec_dbs);

		bench_sig_lit(s, "[ERROR] [MY-010584] [Repl] Replica SQL for channel '");
		bench_sig_raw(s, "[^']*': Error '", "[^']*': Error '", "': Error '");
		bench_sig_raw(s, sec_my_errors[e].re, sec_my_errors[e].ere, sec_my_errors[e].text);
		snprintf(buf, sizeof buf, "' on query. Default database: '%s'. Query: '", db);
		bench_sig_lit(s, buf);
		bench_sig_raw(s, ".*', Error_code: MY-00", ".*', Error_code: MY-00", "UPDATE t SET a = 1', Error_code: MY-00");
		bench_sig_lit(s, sec_my_errors[e].code);
	} else if (kind < 70) {
		/* MySQL: a refused login of any of many users from one subnet (an alternation). */
		unsigned k = 6 + bench_rng_below(r, 11), first = bench_rng_below(r, 16);

		s->caseless = false;
		bench_sig_alt(s, "Access denied for user '", sec_db_users, sec_db_users_n, first, 3, k, "'@'");
		subnet(net, sizeof net, r);
		bench_sig_lit(s, net);
		bench_sig_raw(s, "[^']*' \\(using password: YES\\)", "[^']*' \\(using password: YES\\)",
			      strchr(net, ':') ? "3::4' (using password: YES)" : "34' (using password: YES)");
	} else if (kind < 78) {
		/* MongoDB: failed authentication of one user on one database from one subnet. */
		s->caseless = false;
		bench_sig_raw(s, "\"c\":\"ACCESS\", +\"id\":20249, +\"ctx\":\"conn\\d+\",\"msg\":\"Authentication failed\",\"attr\":\\{\"mechanism\":\"SCRAM-SHA-(?:1|256)\",.*\"principalName\":\"",
			      "\"c\":\"ACCESS\", +\"id\":20249, +\"ctx\":\"conn[0-9]+\",\"msg\":\"Authentication failed\",\"attr\":\\{\"mechanism\":\"SCRAM-SHA-(1|256)\",.*\"principalName\":\"",
			      "\"c\":\"ACCESS\",   \"id\":20249,   \"ctx\":\"conn77\",\"msg\":\"Authentication failed\",\"attr\":{\"mechanism\":\"SCRAM-SHA-256\",\"speculative\":false,\"principalName\":\"");
		snprintf(buf, sizeof buf, "%s\",\"authenticationDatabase\":\"%s\",\"remote\":\"", SEC_PICK(r, sec_mongo_users),
			 SEC_PICK(r, sec_mongo_dbs));
		bench_sig_lit(s, buf);
		subnet(net, sizeof net, r);
		/* mongod writes an IPv6 peer as [ADDR]:PORT. */
		bench_sig_raw(s, "\\[?", "\\[?", strchr(net, ':') ? "[" : "");
		bench_sig_lit(s, net);
		bench_sig_raw(s, "", "", strchr(net, ':') ? "1::2]:51000\",\"extraInfo\":{}}" : "2:51000\",\"extraInfo\":{}}");
	} else if (kind < 84) {
		/* MongoDB: a collection scan of 10 s or more on one collection. */
		s->caseless = false;
		bench_sig_lit(s, "\"msg\":\"Slow query\",\"attr\":{\"type\":\"command\",\"ns\":\"");
		snprintf(buf, sizeof buf, "%s.%s\",", SEC_PICK(r, sec_mongo_dbs), SEC_PICK(r, sec_mongo_colls));
		bench_sig_lit(s, buf);
		bench_sig_raw(s, ".*\"planSummary\":\"COLLSCAN\",.*\"durationMillis\":\\d{5,}\\}",
			      ".*\"planSummary\":\"COLLSCAN\",.*\"durationMillis\":[0-9]{5,}\\}",
			      "\"command\":{\"find\":\"x\"},\"planSummary\":\"COLLSCAN\",\"keysExamined\":0,\"docsExamined\":912345,\"durationMillis\":12345}");
	} else if (kind < 88) {
		/* AppArmor: one profile denied one operation on one object. */
		unsigned o = bench_rng_below(r, sec_aa_ops_n);

		snprintf(buf, sizeof buf, "apparmor=\"DENIED\" operation=\"%s\" ", sec_aa_ops[o].op);
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "(?:class=\"[a-z]+\" )?", "(class=\"[a-z]+\" )?", "");
		snprintf(buf, sizeof buf, "profile=\"%s\" name=\"%s", SEC_PICK(r, sec_aa_profiles), sec_aa_ops[o].name);
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "", "", "x\" pid=1 comm=\"x\"");
	} else if (kind < 92) {
		/* Redis: a cross-protocol attack from one subnet. */
		s->caseless = false;
		subnet(net, sizeof net, r);
		/* Redis writes an IPv6 peer as [ADDR]:PORT. */
		bench_sig_raw(s, "# Possible SECURITY ATTACK detected\\. .*Connection from \\[?",
			      "# Possible SECURITY ATTACK detected\\. .*Connection from \\[?",
			      strchr(net, ':') ? "# Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. Connection from ["
					       : "# Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. Connection from ");
		bench_sig_lit(s, net);
		bench_sig_raw(s, "[^ ]* aborted\\.", "[^ ]* aborted\\.", strchr(net, ':') ? "::5]:4410 aborted." : "5:4410 aborted.");
	} else if (kind < 96) {
		/* A 64-digit digest after a common word, no literal of its own but the stored file's. */
		s->caseless = false;
		bench_sig_lit(s, "\"sha256\":\"");
		bench_sig_hex(s, r, 64, 64, 64);
		bench_sig_lit(s, bench_rng_below(r, 2) ? "\",\"stored\":true," : "\",\"stored\":true,\"file_id\":");
	} else if (bench_rng_below(r, 2)) {
		/* No literal worth a key: a slow query of 100 s or more that examined 10^7 rows or more. */
		s->anchored = true;
		s->caseless = false;
		bench_sig_raw(s, "^# Query_time: \\d{3,}\\.\\d{6} +Lock_time: \\d+\\.\\d{6} +Rows_sent: \\d+ +Rows_examined: \\d{8,}$",
			      "^# Query_time: [0-9]{3,}\\.[0-9]{6} +Lock_time: [0-9]+\\.[0-9]{6} +Rows_sent: [0-9]+ +Rows_examined: [0-9]{8,}$",
			      "# Query_time: 142.318007  Lock_time: 0.000091 Rows_sent: 12  Rows_examined: 48210397");
	} else {
		/* No literal worth a key: a daemon (no login id) running a program from a world-writable directory. */
		s->anchored = true;
		s->caseless = false;
		bench_sig_raw(s, "^type=SYSCALL msg=audit\\(\\d{10}\\.\\d{3}:\\d+\\): arch=c000003e syscall=(?:59|322) success=yes exit=0 (?:a[0-3]=[0-9a-f]+ ){4}items=\\d+ ppid=\\d+ pid=\\d+ auid=4294967295 .* exe=\"/(?:tmp|var/tmp|dev/shm)/",
			      "^type=SYSCALL msg=audit\\([0-9]{10}\\.[0-9]{3}:[0-9]+\\): arch=c000003e syscall=(59|322) success=yes exit=0 (a[0-3]=[0-9a-f]+ ){4}items=[0-9]+ ppid=[0-9]+ pid=[0-9]+ auid=4294967295 .* exe=\"/(tmp|var/tmp|dev/shm)/",
			      "type=SYSCALL msg=audit(1796517000.412:88123): arch=c000003e syscall=59 success=yes exit=0 a0=55d1c3a0 a1=55d1c3b8 a2=55d1c3d0 a3=0 items=2 ppid=1412 pid=90211 auid=4294967295 uid=27 gid=27 euid=27 suid=27 fsuid=27 egid=27 sgid=27 fsgid=27 tty=(none) ses=4294967295 comm=\"kdevtmpfsi\" exe=\"/tmp/kdevtmpfsi\" subj=system_u:system_r:mysqld_t:s0 key=\"exec\"");
	}
}

int
bench_generate_sec(const char *dir, size_t corpus_bytes)
{
	static const struct bench_corpus sec = {
		.prefix = "sec", .seed = 0x5EC0A0D1u,
		.make_sig = make_sig, .healthy_line = sec_healthy_line, .error_line = sec_error_line,
	};

	return bench_corpus_write(dir, corpus_bytes, &sec);
}
