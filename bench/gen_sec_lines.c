/*
 * gen_sec_lines: the lines of the "sec" corpus (gen_sec.h): the healthy
 * lines of each log it models, in the formats gen_sec.c cites (audit.log,
 * AppArmor through the kernel's syslog, fail2ban.log, ModSecurity in
 * Apache's error log, Suricata's EVE JSON, MySQL's error and slow query
 * logs, Redis, MongoDB), and the syslog header in front of an error line's
 * sample.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "gen_sec.h"

/* An outside address: IPv4 or IPv6 equally often. */
static void
addr(char *out, size_t size, struct bench_rng *r)
{
	bench_addr(out, size, r, &sec_nets);
}

/* An address of the site's own networks (never in a signature's subnet). */
static void
site_addr(char *out, size_t size, struct bench_rng *r)
{
	if (bench_rng_below(r, 2))
		snprintf(out, size, "10.%u.%u.%u", 20 + bench_rng_below(r, 8), bench_rng_below(r, 256),
			 1 + bench_rng_below(r, 254));
	else
		snprintf(out, size, "fd12:3456:%x::%x", bench_rng_below(r, 0x100), 1 + bench_rng_below(r, 0xFFFF));
}

/* n random digits of a set into out (NUL-terminated). */
static void
rand_chars(char *out, unsigned n, const char *set, struct bench_rng *r)
{
	size_t len = strlen(set);

	for (unsigned i = 0; i < n; i++)
		out[i] = set[bench_rng_below(r, (uint32_t)len)];
	out[n] = '\0';
}

static const char HEX[] = "0123456789abcdef";
static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* "type=T msg=audit(EPOCH.MS:SERIAL): " as audit.log has it. */
static void
audit_head(FILE *f, struct bench_rng *r, uint32_t n, const char *type)
{
	fprintf(f, "type=%s msg=audit(%u.%03u:%u): ", type, SEC_EPOCH + n / 10, bench_rng_below(r, 1000),
		4000000 + n / 3);
}

static void
healthy_audit(FILE *f, struct bench_rng *r, uint32_t n)
{
	unsigned p = bench_rng_below(r, sec_procs_n);
	uint32_t kind = bench_rng_below(r, 100);

	if (kind < 30) {
		unsigned sc = bench_rng_below(r, sec_syscalls_n);
		unsigned uid = bench_rng_below(r, 3) ? 0 : 27 + bench_rng_below(r, 990);
		bool ok = bench_rng_below(r, 4) != 0;

		audit_head(f, r, n, "SYSCALL");
		fprintf(f, "arch=c000003e syscall=%u success=%s exit=%d a0=%x a1=%llx a2=%x a3=%x items=%u ppid=%u pid=%u auid=%u uid=%u gid=%u euid=%u suid=%u fsuid=%u egid=%u sgid=%u fsgid=%u tty=%s ses=%u comm=\"%s\" exe=\"%s\" subj=system_u:system_r:%s:s0 key=\"%s\"\n",
			sec_syscalls[sc].nr, ok ? "yes" : "no", ok ? (int)bench_rng_below(r, 8) : -(int)(bench_rng_below(r, 2) ? 13 : 2),
			bench_rng_below(r, 0xFFFFFFFFu), 0x7ffc00000000ull + bench_rng_below(r, 0xFFFFFFFFu),
			bench_rng_below(r, 0x1000), bench_rng_below(r, 0x100), 1 + bench_rng_below(r, 3), 1 + bench_rng_below(r, 3000),
			300 + bench_rng_below(r, 90000), bench_rng_below(r, 3) ? 4294967295u : 1000 + bench_rng_below(r, 5),
			uid, uid, uid, uid, uid, uid, uid, uid, bench_rng_below(r, 3) ? "(none)" : "pts0",
			bench_rng_below(r, 3) ? 4294967295u : 1 + bench_rng_below(r, 400), sec_procs[p].comm, sec_procs[p].exe, sec_procs[p].domain,
			SEC_PICK(r, sec_audit_keys));
	} else if (kind < 50) {
		/* The command line: quoted if one printable word, else hex with NULs between arguments. */
		static const char *const args[] = {
			"--defaults-file=/etc/my.cnf", "--config", "/etc/mongod.conf", "-c", "/etc/suricata/suricata.yaml",
			"--pidfile", "/run/suricata.pid", "-D", "/etc/redis/redis.conf", "-f", "-x", "--daemonize",
			"no", "--user=mysql", "/usr/bin/fail2ban-server", "-xf", "start",
		};
		unsigned nargs = bench_rng_below(r, 5);

		audit_head(f, r, n, "PROCTITLE");
		if (nargs == 0) {
			fprintf(f, "proctitle=\"%s\"\n", sec_procs[p].exe);
			return;
		}
		fputs("proctitle=", f);
		for (const char *c = sec_procs[p].exe; *c; c++)
			fprintf(f, "%02X", (unsigned char)*c);
		for (unsigned i = 0; i < nargs; i++) {
			fputs("00", f);
			for (const char *c = BENCH_PICK(r, args); *c; c++)
				fprintf(f, "%02X", (unsigned char)*c);
		}
		fputc('\n', f);
	} else if (kind < 66) {
		audit_head(f, r, n, "PATH");
		fprintf(f, "item=%u name=\"%s\" inode=%u dev=fd:0%u mode=0100%03o ouid=0 ogid=%u rdev=00:00 obj=system_u:object_r:%s:s0 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n",
			bench_rng_below(r, 2), SEC_PICK(r, sec_watched), 100000 + bench_rng_below(r, 9000000),
			bench_rng_below(r, 3), bench_rng_below(r, 2) ? 0640u : 0600u, bench_rng_below(r, 50),
			sec_objects[bench_rng_below(r, 10)].type);
	} else if (kind < 74) {
		audit_head(f, r, n, "CWD");
		fprintf(f, "cwd=\"%s\"\n", bench_rng_below(r, 2) ? "/" : "/var/lib/mysql");
	} else if (kind < 84) {
		static const char *const types[] = { "USER_LOGIN", "CRED_ACQ", "USER_END", "USER_START" };
		char a[64];

		addr(a, sizeof a, r);
		audit_head(f, r, n, BENCH_PICK(r, types));
		fprintf(f, "pid=%u uid=0 auid=%u ses=%u subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=PAM:session_open grantors=pam_selinux,pam_loginuid,pam_keyinit,pam_limits,pam_systemd,pam_unix acct=\"%s\" exe=\"/usr/sbin/sshd\" hostname=%s addr=%s terminal=ssh res=success'\n",
			300 + bench_rng_below(r, 90000), 1000 + bench_rng_below(r, 5), 1 + bench_rng_below(r, 400),
			SEC_PICK(r, sec_db_users), a, a);
	} else {
		/* Denials of a permissive domain: the same commands and types, permissive=1. */
		unsigned o = bench_rng_below(r, sec_objects_n);
		char tail[300];

		sec_avc_tail(tail, sizeof tail, o, sec_procs[p].domain, r, 1);
		audit_head(f, r, n, "AVC");
		fprintf(f, "avc:  denied  { %s } for  pid=%u comm=\"%s\" %s\n", sec_perm_for(sec_objects[o].tclass, r),
			300 + bench_rng_below(r, 90000), sec_procs[p].comm, tail);
	}
}

/* The kernel's ring buffer through syslog: AppArmor's audit lines. */
static void
healthy_apparmor(FILE *f, struct bench_rng *r, uint32_t n)
{
	unsigned o = bench_rng_below(r, sec_aa_ops_n);
	const char *profile = SEC_PICK(r, sec_aa_profiles);

	fprintf(f, "Dec  6 %02u:%02u:%02u %s kernel: [%u.%06u] audit: type=1400 audit(%u.%03u:%u): ",
		n / 36000 % 24, n / 600 % 60, n / 10 % 60, SEC_PICK(r, sec_hosts), 80000 + n / 10,
		bench_rng_below(r, 1000000), SEC_EPOCH + n / 10, bench_rng_below(r, 1000), 200 + n / 7);
	if (bench_rng_below(r, 6) == 0) {
		fprintf(f, "apparmor=\"STATUS\" operation=\"profile_replace\" info=\"same as current profile, skipping\" profile=\"unconfined\" name=\"%s\" pid=%u comm=\"apparmor_parser\"\n",
			profile, 300 + bench_rng_below(r, 90000));
		return;
	}
	/* Complain mode: the same operations and objects, ALLOWED. */
	fprintf(f, "apparmor=\"ALLOWED\" operation=\"%s\" class=\"%s\" profile=\"%s\" name=\"%s%s\" pid=%u comm=\"%s\"",
		sec_aa_ops[o].op, sec_aa_ops[o].cls, profile, sec_aa_ops[o].name,
		sec_aa_ops[o].name[strlen(sec_aa_ops[o].name) - 1] == '/' ? "stat" : "", 300 + bench_rng_below(r, 90000),
		sec_procs[bench_rng_below(r, sec_procs_n)].comm);
	if (*sec_aa_ops[o].mask)
		fprintf(f, " requested_mask=\"%s\" denied_mask=\"%s\" fsuid=%u ouid=0\n", sec_aa_ops[o].mask, sec_aa_ops[o].mask,
			100 + bench_rng_below(r, 30));
	else
		fputs("\n", f);
}

/* fail2ban.log: finds, unbans and bans (the bans from networks no signature names). */
static void
healthy_fail2ban(FILE *f, struct bench_rng *r, uint32_t n)
{
	const char *jail = SEC_PICK(r, sec_jails);
	uint32_t kind = bench_rng_below(r, 10);
	char a[64];

	fprintf(f, "2026-12-06 %02u:%02u:%02u,%03u ", n / 36000 % 24, n / 600 % 60, n / 10 % 60, bench_rng_below(r, 1000));
	if (kind < 6) {
		addr(a, sizeof a, r);
		fprintf(f, "fail2ban.filter         [812]: INFO    [%s] Found %s - 2026-12-06 %02u:%02u:%02u\n", jail, a,
			n / 36000 % 24, n / 600 % 60, n / 10 % 60);
	} else if (kind < 8) {
		addr(a, sizeof a, r);
		fprintf(f, "fail2ban.actions        [812]: NOTICE  [%s] Unban %s\n", jail, a);
	} else if (kind < 9) {
		site_addr(a, sizeof a, r);
		fprintf(f, "fail2ban.actions        [812]: NOTICE  [%s] Ban %s\n", jail, a);
	} else {
		site_addr(a, sizeof a, r);
		fprintf(f, "fail2ban.filter         [812]: INFO    [%s] Ignore %s by ip\n", jail, a);
	}
}

/* "[Sun Dec 06 HH:MM:SS.usec 2026] [module:level] [pid P:tid T] [client A:P] " (Apache 2.4). */
static void
apache_head(FILE *f, struct bench_rng *r, uint32_t n, const char *module, const char *a)
{
	fprintf(f, "[Sun Dec 06 %02u:%02u:%02u.%06u 2026] [%s] [pid %u:tid %llu] [client %s:%u] ", n / 36000 % 24,
		n / 600 % 60, n / 10 % 60, bench_rng_below(r, 1000000), module, 1000 + bench_rng_below(r, 30000),
		139800000000000ull + bench_rng_below(r, 0xFFFFFFFFu), a, 1024 + bench_rng_below(r, 64000));
}

/* ModSecurity's messages in Apache's error log: warnings of every rule, denials by the anomaly score. */
static void
healthy_modsec(FILE *f, struct bench_rng *r, uint32_t n)
{
	unsigned c = bench_rng_below(r, sec_crs_n);
	char a[64], uid[32];

	addr(a, sizeof a, r);
	rand_chars(uid, 27, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@-", r);
	if (bench_rng_below(r, 8) == 0) {
		apache_head(f, r, n, "proxy_fcgi:error", a);
		fprintf(f, "AH01071: Got error 'Primary script unknown', referer: https://%s%s\n", SEC_PICK(r, sec_sites),
			SEC_PICK(r, sec_paths));
		return;
	}
	apache_head(f, r, n, "security2:error", a);
	if (bench_rng_below(r, 4) == 0)
		fprintf(f, "[client %s] ModSecurity: Access denied with code 403 (phase 2). Operator GE matched 5 at TX:anomaly_score. [file \"/usr/share/modsecurity-crs/rules/REQUEST-949-BLOCKING-EVALUATION.conf\"] [line \"81\"] [id \"949110\"] [msg \"Inbound Anomaly Score Exceeded (Total Score: %u)\"] [severity \"CRITICAL\"] [ver \"OWASP_CRS/3.3.5\"] [tag \"application-multi\"] [tag \"language-multi\"] [tag \"platform-multi\"] [tag \"attack-generic\"] [hostname \"%s\"] [uri \"%s\"] [unique_id \"%s\"]\n",
			a, 5 * (1 + bench_rng_below(r, 6)), SEC_PICK(r, sec_sites), SEC_PICK(r, sec_paths), uid);
	else
		fprintf(f, "[client %s] ModSecurity: Warning. Matched phrase \"%s\" at ARGS:q. [file \"/usr/share/modsecurity-crs/rules/%s.conf\"] [line \"%u\"] [id \"%s\"] [msg \"%s\"] [data \"%s\"] [severity \"%s\"] [ver \"OWASP_CRS/3.3.5\"] [tag \"application-multi\"] [tag \"language-multi\"] [tag \"platform-multi\"] [tag \"paranoia-level/1\"] [tag \"OWASP_CRS\"] [tag \"capec/1000/152/248/66\"] [tag \"PCI/6.5.2\"] [hostname \"%s\"] [uri \"%s\"] [unique_id \"%s\"]\n",
			a, bench_rng_below(r, 2) ? "union select" : "/etc/passwd", sec_crs[c].file, 40 + bench_rng_below(r, 1900), sec_crs[c].id,
			sec_crs[c].msg, SEC_PICK(r, sec_crs_data), sec_crs[c].sev, SEC_PICK(r, sec_sites), SEC_PICK(r, sec_paths), uid);
}

/* Suricata's eve.json: flows, DNS, TLS, HTTP, files and alerts (allowed: the sensor is an IDS). */
static void
healthy_suricata(FILE *f, struct bench_rng *r, uint32_t n)
{
	uint32_t kind = bench_rng_below(r, 100);
	char src[64], dst[64], cid[32];
	unsigned long long flow = 1000000000000000ull + (unsigned long long)bench_rng_below(r, 0xFFFFFFFFu) * 1000 +
				  bench_rng_below(r, 1000);

	if (bench_rng_below(r, 2)) {
		addr(src, sizeof src, r);
		site_addr(dst, sizeof dst, r);
	} else {
		site_addr(src, sizeof src, r);
		addr(dst, sizeof dst, r);
	}
	rand_chars(cid, 27, B64, r);
	fprintf(f, "{\"timestamp\":\"2026-12-06T%02u:%02u:%02u.%06u+0000\",\"flow_id\":%llu,\"in_iface\":\"ens192\",\"event_type\":\"%s\",\"src_ip\":\"%s\",\"src_port\":%u,\"dest_ip\":\"%s\",\"dest_port\":%u,\"proto\":\"%s\",",
		n / 36000 % 24, n / 600 % 60, n / 10 % 60, bench_rng_below(r, 1000000), flow,
		kind < 30 ? "flow" : kind < 50 ? "dns" : kind < 65 ? "tls" : kind < 78 ? "http" : kind < 86 ? "fileinfo" : "alert",
		src, 1024 + bench_rng_below(r, 64000), dst, kind < 50 && kind >= 30 ? 53u : bench_rng_below(r, 2) ? 443u : 3306u,
		kind >= 30 && kind < 50 ? "UDP" : "TCP");
	if (kind < 30) {
		fprintf(f, "\"app_proto\":\"%s\",\"flow\":{\"pkts_toserver\":%u,\"pkts_toclient\":%u,\"bytes_toserver\":%u,\"bytes_toclient\":%u,\"start\":\"2026-12-06T%02u:%02u:%02u.%06u+0000\",\"end\":\"2026-12-06T%02u:%02u:%02u.%06u+0000\",\"age\":%u,\"state\":\"%s\",\"reason\":\"timeout\",\"alerted\":false},\"community_id\":\"1:%s=\",\"tcp\":{\"tcp_flags\":\"%02x\",\"tcp_flags_ts\":\"1b\",\"tcp_flags_tc\":\"1b\",\"syn\":true,\"fin\":true,\"psh\":true,\"ack\":true,\"state\":\"closed\"}}\n",
			SEC_PICK(r, sec_app_protos), 1 + bench_rng_below(r, 900), bench_rng_below(r, 900), 60 + bench_rng_below(r, 90000),
			bench_rng_below(r, 9000000), n / 36000 % 24, n / 600 % 60, n / 10 % 60, bench_rng_below(r, 1000000),
			n / 36000 % 24, n / 600 % 60, n / 10 % 60, bench_rng_below(r, 1000000), bench_rng_below(r, 600),
			bench_rng_below(r, 3) ? "closed" : "established", cid, bench_rng_below(r, 0x100));
	} else if (kind < 50) {
		const char *name = SEC_PICK(r, sec_dns_names);

		fprintf(f, "\"community_id\":\"1:%s=\",\"dns\":{\"version\":2,\"type\":\"%s\",\"id\":%u,\"flags\":\"8180\",\"qr\":true,\"rd\":true,\"ra\":true,\"rrname\":\"%s\",\"rrtype\":\"%s\",\"rcode\":\"%s\",\"answers\":[{\"rrname\":\"%s\",\"rrtype\":\"AAAA\",\"ttl\":%u,\"rdata\":\"%s:%x::%x\"}]}}\n",
			cid, bench_rng_below(r, 2) ? "answer" : "query", bench_rng_below(r, 65536), name,
			bench_rng_below(r, 2) ? "A" : "AAAA", bench_rng_below(r, 8) ? "NOERROR" : "NXDOMAIN", name,
			bench_rng_below(r, 86400), SEC_PICK(r, sec_v6_first), bench_rng_below(r, 0x10000), 1 + bench_rng_below(r, 0xFFFF));
	} else if (kind < 65) {
		char ja3[40], ja3s[40], fp[64];

		rand_chars(ja3, 32, HEX, r);
		rand_chars(ja3s, 32, HEX, r);
		rand_chars(fp, 59, HEX, r);
		for (int i = 2; i < 59; i += 3)
			fp[i] = ':';
		fprintf(f, "\"app_proto\":\"tls\",\"community_id\":\"1:%s=\",\"tls\":{\"subject\":\"CN=%s\",\"issuerdn\":\"C=US, O=Let's Encrypt, CN=R11\",\"serial\":\"%02X:%02X:%02X:%02X:%02X:%02X:%02X:%02X\",\"fingerprint\":\"%s\",\"sni\":\"%s\",\"version\":\"TLS 1.%u\",\"notbefore\":\"2026-10-01T00:00:00\",\"notafter\":\"2026-12-30T23:59:59\",\"ja3\":{\"hash\":\"%s\"},\"ja3s\":{\"hash\":\"%s\"}}}\n",
			cid, SEC_PICK(r, sec_sites), bench_rng_below(r, 256), bench_rng_below(r, 256), bench_rng_below(r, 256),
			bench_rng_below(r, 256), bench_rng_below(r, 256), bench_rng_below(r, 256), bench_rng_below(r, 256),
			bench_rng_below(r, 256), fp, SEC_PICK(r, sec_sites), 2 + bench_rng_below(r, 2), ja3, ja3s);
	} else if (kind < 78) {
		fprintf(f, "\"tx_id\":%u,\"app_proto\":\"http\",\"community_id\":\"1:%s=\",\"http\":{\"hostname\":\"%s\",\"url\":\"%s?q=%s\",\"http_user_agent\":\"%s\",\"http_content_type\":\"text/html\",\"http_method\":\"%s\",\"protocol\":\"HTTP/1.1\",\"status\":%u,\"length\":%u}}\n",
			bench_rng_below(r, 8), cid, SEC_PICK(r, sec_sites), SEC_PICK(r, sec_paths),
			bench_rng_below(r, 3) ? "caf%C3%A9" : "M%C3%BCnchen", SEC_PICK(r, sec_user_agents),
			bench_rng_below(r, 4) ? "GET" : "POST", bench_rng_below(r, 5) ? 200 : 404, bench_rng_below(r, 90000));
	} else if (kind < 86) {
		char md5[40], sha1[48], sha256[72];

		rand_chars(md5, 32, HEX, r);
		rand_chars(sha1, 40, HEX, r);
		rand_chars(sha256, 64, HEX, r);
		fprintf(f, "\"app_proto\":\"http\",\"fileinfo\":{\"filename\":\"%s\",\"sid\":[],\"gaps\":false,\"state\":\"CLOSED\",\"md5\":\"%s\",\"sha1\":\"%s\",\"sha256\":\"%s\",\"stored\":false,\"size\":%u,\"tx_id\":%u}}\n",
			SEC_PICK(r, sec_paths), md5, sha1, sha256, 100 + bench_rng_below(r, 900000), bench_rng_below(r, 4));
	} else {
		unsigned k = bench_rng_below(r, sec_rules_n);

		fprintf(f, "\"community_id\":\"1:%s=\",\"alert\":{\"action\":\"allowed\",\"gid\":1,\"signature_id\":%u,\"rev\":%u,\"signature\":\"%s\",\"category\":\"%s\",\"severity\":%u,\"metadata\":{\"created_at\":[\"2019_07_26\"],\"signature_severity\":[\"Major\"],\"updated_at\":[\"2026_11_30\"]}},\"app_proto\":\"%s\",\"direction\":\"to_server\",\"flow\":{\"pkts_toserver\":%u,\"pkts_toclient\":%u,\"bytes_toserver\":%u,\"bytes_toclient\":%u,\"start\":\"2026-12-06T%02u:%02u:%02u.%06u+0000\",\"src_ip\":\"%s\",\"dest_ip\":\"%s\"}}\n",
			cid, sec_rules[k].sid, sec_rules[k].rev, sec_rules[k].name, sec_rules[k].cat, 1 + bench_rng_below(r, 3),
			SEC_PICK(r, sec_app_protos), 1 + bench_rng_below(r, 90), bench_rng_below(r, 90), 60 + bench_rng_below(r, 9000),
			bench_rng_below(r, 90000), n / 36000 % 24, n / 600 % 60, n / 10 % 60, bench_rng_below(r, 1000000), src, dst);
	}
}

/* MySQL 8's error log: skipped replication errors, aborted connections, refused logins from the site. */
static void
healthy_mysql(FILE *f, struct bench_rng *r, uint32_t n)
{
	uint32_t kind = bench_rng_below(r, 10);
	char a[64];

	fprintf(f, "2026-12-06T%02u:%02u:%02u.%06uZ %u ", n / 36000 % 24, n / 600 % 60, n / 10 % 60,
		bench_rng_below(r, 1000000), 10 + bench_rng_below(r, 9000));
	if (kind < 3) {
		unsigned e = bench_rng_below(r, sec_my_errors_n);
		const char *db = SEC_PICK(r, sec_dbs);

		fprintf(f, "[Warning] [MY-010584] [Repl] Replica SQL for channel '': Could not execute Write_rows event on table %s.%s; %s, Error_code: %s; handler error HA_ERR_FOUND_DUPP_KEY; the event's source log binlog.%06u, end_log_pos %u, Error_code: MY-00%s\n",
			db, SEC_PICK(r, sec_tables), sec_my_errors[e].text, sec_my_errors[e].code, 1 + bench_rng_below(r, 400),
			bench_rng_below(r, 90000000), sec_my_errors[e].code);
	} else if (kind < 6) {
		addr(a, sizeof a, r);
		fprintf(f, "[Note] [MY-010914] [Server] Aborted connection %u to db: '%s' user: '%s' host: '%s' (Got an error reading communication packets).\n",
			bench_rng_below(r, 900000), SEC_PICK(r, sec_dbs), SEC_PICK(r, sec_db_users), a);
	} else if (kind < 8) {
		site_addr(a, sizeof a, r);
		fprintf(f, "[Warning] [MY-010055] [Server] Access denied for user '%s'@'%s' (using password: YES)\n",
			SEC_PICK(r, sec_db_users), a);
	} else if (kind < 9) {
		fprintf(f, "[Warning] [MY-013360] [Server] Plugin mysql_native_password reported: ''mysql_native_password' is deprecated and will be removed in a future release. Please use caching_sha2_password instead'\n");
	} else {
		fprintf(f, "[System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.0.40'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.\n");
	}
}

/*
 * The slow query log: entries of four or five lines, written one line a
 * call so that every call is one line, as the corpus writer counts them.
 * The position in an entry is the generator's only state besides its seed.
 */
static void
healthy_slow(FILE *f, struct bench_rng *r, uint32_t n)
{
	static unsigned step;
	static const char *const queries[] = {
		"SELECT o.id, o.total, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.created_at >= '2026-11-01' AND c.country IN ('DE','AT','CH') ORDER BY o.total DESC LIMIT 50;",
		"UPDATE stock SET reserved = reserved + 1, updated_at = NOW() WHERE sku = 'K\xC3\x84SE-0042' AND warehouse_id = 3;",
		"SELECT option_name, option_value FROM wp_options WHERE autoload = 'yes';",
		"DELETE FROM sessions WHERE last_seen < NOW() - INTERVAL 30 DAY;",
		"SELECT COUNT(*) FROM events WHERE tenant_id = 17 AND payload LIKE '%\"type\":\"refund\"%';",
		"INSERT INTO invoices (customer_id, amount, currency, note) VALUES (4821, 199.00, 'EUR', 'Gr\xC3\xBC\xC3\x9F""e');",
		"SELECT p.id, p.title FROM posts p WHERE MATCH(p.title, p.body) AGAINST ('\xD0\xBC\xD0\xB8\xD0\xB3\xD1\x80\xD0\xB0\xD1\x86\xD0\xB8\xD1\x8F' IN NATURAL LANGUAGE MODE);",
	};
	char a[64];

	switch (step++ % 5) {
	case 0:
		fprintf(f, "# Time: 2026-12-06T%02u:%02u:%02u.%06uZ\n", n / 36000 % 24, n / 600 % 60, n / 10 % 60,
			bench_rng_below(r, 1000000));
		break;
	case 1:
		site_addr(a, sizeof a, r);
		fprintf(f, "# User@Host: %s[%s] @  [%s]  Id: %5u\n", SEC_PICK(r, sec_db_users), SEC_PICK(r, sec_db_users), a,
			bench_rng_below(r, 90000));
		break;
	case 2:
		/* Below the anchored signature's 100 s or its 10^7 rows. */
		if (bench_rng_below(r, 2))
			fprintf(f, "# Query_time: %u.%06u  Lock_time: 0.%06u Rows_sent: %u  Rows_examined: %u\n",
				1 + bench_rng_below(r, 99), bench_rng_below(r, 1000000), bench_rng_below(r, 1000),
				bench_rng_below(r, 5000), bench_rng_below(r, 90000000));
		else
			fprintf(f, "# Query_time: %u.%06u  Lock_time: 0.%06u Rows_sent: %u  Rows_examined: %u\n",
				100 + bench_rng_below(r, 900), bench_rng_below(r, 1000000), bench_rng_below(r, 1000),
				bench_rng_below(r, 5000), bench_rng_below(r, 9000000));
		break;
	case 3:
		fprintf(f, "SET timestamp=%u;\n", SEC_EPOCH + n / 10);
		break;
	default:
		fprintf(f, "%s\n", BENCH_PICK(r, queries));
		break;
	}
}

/* Redis: "PID:ROLE DD Mon YYYY HH:MM:SS.mmm LEVEL MSG" (LEVEL: . - * #). */
static void
healthy_redis(FILE *f, struct bench_rng *r, uint32_t n)
{
	uint32_t kind = bench_rng_below(r, 8);
	char a[64];

	fprintf(f, "%u:%c 06 Dec 2026 %02u:%02u:%02u.%03u ", kind == 2 ? 90000 + n % 1000 : 1,
		kind == 2 ? 'C' : kind == 5 ? 'S' : 'M', n / 36000 % 24, n / 600 % 60, n / 10 % 60, bench_rng_below(r, 1000));
	switch (kind) {
	case 0:
		fprintf(f, "* %u changes in %u seconds. Saving...\n", 1 + bench_rng_below(r, 10000), bench_rng_below(r, 2) ? 300 : 60);
		break;
	case 1:
		fprintf(f, "* Background saving started by pid %u\n", 90000 + n % 1000);
		break;
	case 2:
		fprintf(f, "* Fork CoW for RDB: current %u MB, peak %u MB, average %u MB\n", bench_rng_below(r, 40),
			bench_rng_below(r, 80), bench_rng_below(r, 30));
		break;
	case 3:
		fputs("* Background saving terminated with success\n", f);
		break;
	case 4:
		/* Clients of the same networks the attacks come from. */
		addr(a, sizeof a, r);
		if (strchr(a, ':'))
			fprintf(f, "- Accepted [%s]:%u\n", a, 1024 + bench_rng_below(r, 64000));
		else
			fprintf(f, "- Accepted %s:%u\n", a, 1024 + bench_rng_below(r, 64000));
		break;
	case 5:
		fprintf(f, "* MASTER <-> REPLICA sync: Finished with success\n");
		break;
	case 6:
		addr(a, sizeof a, r);
		fprintf(f, "- Client closed connection id=%u addr=%s:%u laddr=10.30.0.5:6379 fd=%u name= age=%u idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=1928 events=r cmd=%s user=default redir=-1 resp=2 lib-name=redis-py lib-ver=5.0.1\n",
			bench_rng_below(r, 900000), a, 1024 + bench_rng_below(r, 64000), 8 + bench_rng_below(r, 900),
			bench_rng_below(r, 3600), bench_rng_below(r, 2) ? "get" : "hset");
		break;
	default:
		fputs("# WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition.\n", f);
		break;
	}
}

/* MongoDB 4.4+: one JSON object a line, the padding mongod writes after "s", "c" and "id". */
static void
healthy_mongo(FILE *f, struct bench_rng *r, uint32_t n)
{
	uint32_t kind = bench_rng_below(r, 10);
	char a[64], peer[80], uuid[40];

	addr(a, sizeof a, r);
	/* mongod writes an IPv6 peer as [ADDR]:PORT. */
	snprintf(peer, sizeof peer, strchr(a, ':') ? "[%s]:%u" : "%s:%u", a, 1024 + bench_rng_below(r, 64000));
	rand_chars(uuid, 36, HEX, r);
	uuid[8] = uuid[13] = uuid[18] = uuid[23] = '-';
	fprintf(f, "{\"t\":{\"$date\":\"2026-12-06T%02u:%02u:%02u.%03u+00:00\"},\"s\":\"I\",  ", n / 36000 % 24, n / 600 % 60,
		n / 10 % 60, bench_rng_below(r, 1000));
	if (kind < 3) {
		fprintf(f, "\"c\":\"NETWORK\",  \"id\":22943,   \"ctx\":\"listener\",\"msg\":\"Connection accepted\",\"attr\":{\"remote\":\"%s\",\"uuid\":{\"uuid\":{\"$uuid\":\"%s\"}},\"connectionId\":%u,\"connectionCount\":%u}}\n",
			peer, uuid,
			bench_rng_below(r, 900000), 1 + bench_rng_below(r, 400));
	} else if (kind < 5) {
		fprintf(f, "\"c\":\"NETWORK\",  \"id\":51800,   \"ctx\":\"conn%u\",\"msg\":\"client metadata\",\"attr\":{\"remote\":\"%s\",\"client\":\"conn%u\",\"doc\":{\"driver\":{\"name\":\"%s\",\"version\":\"%u.%u.%u\"},\"os\":{\"type\":\"Linux\",\"name\":\"Debian GNU/Linux 12 (bookworm)\",\"architecture\":\"x86_64\",\"version\":\"6.1.0-28-amd64\"},\"platform\":\"%s\",\"application\":{\"name\":\"%s\"}}}}\n",
			bench_rng_below(r, 900000), peer, bench_rng_below(r, 900000),
			bench_rng_below(r, 2) ? "nodejs" : "PyMongo", 4 + bench_rng_below(r, 3), bench_rng_below(r, 12),
			bench_rng_below(r, 5), bench_rng_below(r, 2) ? "Node.js v20.18.1, LE" : "CPython 3.11.2.final.0",
			bench_rng_below(r, 3) ? "cms-\xC3\xA9" "diteur" : "ingest");
	} else if (kind < 7) {
		/* The signatures' users, databases and networks, authenticated. */
		fprintf(f, "\"c\":\"ACCESS\",   \"id\":20250,   \"ctx\":\"conn%u\",\"msg\":\"Successfully authenticated\",\"attr\":{\"mechanism\":\"SCRAM-SHA-%s\",\"speculative\":%s,\"principalName\":\"%s\",\"authenticationDatabase\":\"%s\",\"remote\":\"%s\",\"extraInfo\":{}}}\n",
			bench_rng_below(r, 900000), bench_rng_below(r, 2) ? "256" : "1", bench_rng_below(r, 2) ? "true" : "false",
			SEC_PICK(r, sec_mongo_users), SEC_PICK(r, sec_mongo_dbs), peer);
	} else if (kind < 9) {
		/* Slow queries of the same collections: index scans, or collection scans under 10 s. */
		bool coll = bench_rng_below(r, 2);

		fprintf(f, "\"c\":\"COMMAND\",  \"id\":51803,   \"ctx\":\"conn%u\",\"msg\":\"Slow query\",\"attr\":{\"type\":\"command\",\"ns\":\"%s.%s\",\"appName\":\"ingest\",\"command\":{\"find\":\"x\",\"filter\":{\"status\":\"pending\",\"owner\":\"j\xC3\xBCrgen\"},\"lsid\":{\"id\":{\"$uuid\":\"%s\"}},\"$db\":\"shop\"},\"planSummary\":\"%s\",\"keysExamined\":%u,\"docsExamined\":%u,\"cursorExhausted\":true,\"numYields\":%u,\"nreturned\":%u,\"reslen\":%u,\"locks\":{\"Global\":{\"acquireCount\":{\"r\":%u}}},\"protocol\":\"op_msg\",\"durationMillis\":%u}}\n",
			bench_rng_below(r, 900000), SEC_PICK(r, sec_mongo_dbs), SEC_PICK(r, sec_mongo_colls), uuid,
			coll ? "COLLSCAN" : "IXSCAN { status: 1, owner: 1 }", coll ? 0 : bench_rng_below(r, 90000),
			bench_rng_below(r, 900000), bench_rng_below(r, 900), bench_rng_below(r, 500), bench_rng_below(r, 90000),
			1 + bench_rng_below(r, 900), coll ? 100 + bench_rng_below(r, 9900) : 100 + bench_rng_below(r, 99900));
	} else {
		fprintf(f, "\"c\":\"STORAGE\",  \"id\":22430,   \"ctx\":\"Checkpointer\",\"msg\":\"WiredTiger message\",\"attr\":{\"message\":{\"ts_sec\":%u,\"ts_usec\":%u,\"thread\":\"%u:0x7f%08x\",\"flags\":%u,\"category\":\"WT_VERB_CHECKPOINT_PROGRESS\",\"category_id\":6,\"verbose_level\":\"DEBUG_1\",\"verbose_level_id\":1,\"msg\":\"saving checkpoint snapshot min: %u, snapshot max: %u snapshot count: 0, oldest timestamp: (0, 0) , meta checkpoint timestamp: (0, 0) base write gen: %u\"}}}\n",
			SEC_EPOCH + n / 10, bench_rng_below(r, 1000000), 1000 + bench_rng_below(r, 9000),
			bench_rng_below(r, 0xFFFFFFFFu), bench_rng_below(r, 100000), bench_rng_below(r, 90000), bench_rng_below(r, 90000),
			bench_rng_below(r, 900000));
	}
}

void
sec_healthy_line(FILE *f, struct bench_rng *r, uint32_t n)
{
	uint32_t kind = bench_rng_below(r, 100);

	if (kind < 22)
		healthy_audit(f, r, n);
	else if (kind < 28)
		healthy_apparmor(f, r, n);
	else if (kind < 35)
		healthy_fail2ban(f, r, n);
	else if (kind < 45)
		healthy_modsec(f, r, n);
	else if (kind < 63)
		healthy_suricata(f, r, n);
	else if (kind < 69)
		healthy_mysql(f, r, n);
	else if (kind < 78)
		healthy_slow(f, r, n);
	else if (kind < 85)
		healthy_redis(f, r, n);
	else
		healthy_mongo(f, r, n);
}

/* An error line: the sample behind the syslog header of the host that collects the logs. */
void
sec_error_line(FILE *f, struct bench_rng *r, uint32_t n, const char *sample)
{
	fprintf(f, "Dec  6 %02u:%02u:%02u %s secmon[%u]: %s\n", n / 36000 % 24, n / 600 % 60, n / 10 % 60,
		SEC_PICK(r, sec_hosts), 300 + bench_rng_below(r, 60000), sample);
}
