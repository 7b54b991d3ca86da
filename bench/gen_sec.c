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
 * Its vocabulary and line shapes are its own. The healthy lines use the same
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
#include "sigset.h"

#define SEC_EPOCH 1796515200u /* 2026-12-06T00:00:00Z */

/* Commands with their executable and SELinux domain. */
static const struct {
	const char *comm, *exe, *domain;
} procs[] = {
	{ "httpd", "/usr/sbin/httpd", "httpd_t" },
	{ "mysqld", "/usr/sbin/mysqld", "mysqld_t" },
	{ "redis-server", "/usr/bin/redis-server", "redis_t" },
	{ "mongod", "/usr/bin/mongod", "mongod_t" },
	{ "sshd", "/usr/sbin/sshd", "sshd_t" },
	{ "crond", "/usr/sbin/crond", "crond_t" },
	{ "php-fpm", "/usr/sbin/php-fpm", "httpd_t" },
	{ "suricata", "/usr/sbin/suricata", "suricata_t" },
	{ "fail2ban-server", "/usr/bin/python3.11", "fail2ban_t" },
	{ "containerd", "/usr/bin/containerd", "container_runtime_t" },
	{ "rsyslogd", "/usr/sbin/rsyslogd", "syslogd_t" },
	{ "logrotate", "/usr/sbin/logrotate", "logrotate_t" },
	{ "systemd-journal", "/usr/lib/systemd/systemd-journald", "syslogd_t" },
	{ "node", "/usr/bin/node", "unconfined_service_t" },
	{ "java", "/usr/lib/jvm/java-17-openjdk/bin/java", "unconfined_service_t" },
	{ "chronyd", "/usr/sbin/chronyd", "chronyd_t" },
};
/* Object types a denial names, with a path or port of that type, and its class. */
static const struct {
	const char *type, *name, *tclass;
} objects[] = {
	{ "shadow_t", "shadow", "file" },
	{ "etc_t", "my.cnf", "file" },
	{ "var_log_t", "audit", "dir" },
	{ "user_home_dir_t", "j\xC3\xBCrgen", "dir" },
	{ "admin_home_t", ".bash_history", "file" },
	{ "mysqld_db_t", "ibdata1", "file" },
	{ "httpd_sys_content_t", "wp-config.php", "file" },
	{ "tmp_t", "sess_9f3a", "sock_file" },
	{ "cert_t", "server.key", "file" },
	{ "proc_t", "kcore", "file" },
	{ "redis_port_t", "6379", "tcp_socket" },
	{ "mysqld_port_t", "3306", "tcp_socket" },
	{ "mongod_port_t", "27017", "tcp_socket" },
	{ "http_port_t", "8080", "tcp_socket" },
	{ "var_run_t", "docker.sock", "sock_file" },
	{ "container_file_t", "overlay2", "dir" },
	{ "unlabeled_t", "lost+found", "dir" },
	{ "default_t", "backup.tar.gz", "file" },
	{ "systemd_logind_t", "logind", "unix_stream_socket" },
	{ "kernel_t", "kernel", "system" },
};
static const char *const perms_file[] = { "read", "open", "getattr", "write", "append", "ioctl", "map", "execute" };
static const char *const perms_dir[] = { "search", "read", "add_name", "write", "remove_name", "getattr" };
static const char *const perms_sock[] = { "name_connect", "name_bind", "connectto", "write" };
static const char *const audit_keys[] = {
	"identity", "privileged", "perm_mod", "access", "time-change", "system-locale", "logins",
	"session", "delete", "modules", "docker", "sshd_config", "etc_shadow", "mounts", "exec",
};
static const struct {
	unsigned nr;
	const char *name;
} syscalls[] = {
	{ 257, "openat" }, { 59, "execve" }, { 42, "connect" }, { 49, "bind" }, { 263, "unlinkat" },
	{ 268, "fchmodat" }, { 260, "fchownat" }, { 165, "mount" }, { 313, "finit_module" },
	{ 82, "rename" }, { 105, "setuid" }, { 2, "open" }, { 4, "stat" }, { 322, "execveat" },
};
static const char *const watched[] = {
	"/etc/shadow", "/etc/passwd", "/etc/sudoers.d/90-ops", "/etc/ssh/sshd_config",
	"/var/lib/mysql/mysql/user.MYD", "/etc/my.cnf.d/server.cnf", "/var/lib/redis/dump.rdb",
	"/etc/mongod.conf", "/etc/suricata/suricata.yaml", "/etc/fail2ban/jail.local",
	"/home/j\xC3\xBCrgen/.ssh/authorized_keys", "/root/.bash_history", "/etc/localtime",
};
/* AppArmor profiles and what they are denied. */
static const char *const aa_profiles[] = {
	"/usr/sbin/mysqld", "/usr/sbin/named", "/usr/bin/redis-server", "/usr/sbin/cupsd",
	"docker-default", "snap.lxd.daemon", "/usr/sbin/tcpdump", "/usr/lib/snapd/snap-confine",
	"/usr/sbin/sssd", "rsyslogd", "/usr/bin/mongod", "/usr/sbin/chronyd",
};
static const struct {
	const char *op, *cls, *name, *mask;
} aa_ops[] = {
	{ "open", "file", "/proc/sys/kernel/random/boot_id", "r" },
	{ "open", "file", "/etc/ssl/private/", "r" },
	{ "mknod", "file", "/var/lib/mysql-files/", "c" },
	{ "exec", "file", "/usr/bin/curl", "x" },
	{ "file_mmap", "file", "/usr/lib/x86_64-linux-gnu/", "m" },
	{ "capable", "cap", "dac_read_search", "" },
	{ "connect", "file", "/run/systemd/journal/", "wr" },
	{ "create", "net", "netlink_audit", "" },
	{ "ptrace", "ptrace", "unconfined", "read" },
	{ "open", "file", "/home/\xD0\xB0\xD0\xBD\xD0\xBD\xD0\xB0/", "r" },
};
static const char *const jails[] = {
	"sshd", "nginx-http-auth", "postfix-sasl", "recidive", "apache-modsecurity", "mysqld-auth",
	"dovecot", "apache-auth", "mongodb-auth", "redis-auth", "suricata-drop", "apache-badbots",
};
/* OWASP CRS 3 rules: file, id, message, severity. */
static const struct {
	const char *file, *id, *msg, *sev;
} crs[] = {
	{ "REQUEST-920-PROTOCOL-ENFORCEMENT", "920350", "Host header is a numeric IP address", "WARNING" },
	{ "REQUEST-920-PROTOCOL-ENFORCEMENT", "920440", "URL file extension is restricted by policy", "CRITICAL" },
	{ "REQUEST-913-SCANNER-DETECTION", "913100", "Found User-Agent associated with security scanner", "CRITICAL" },
	{ "REQUEST-930-APPLICATION-ATTACK-LFI", "930120", "OS File Access Attempt", "CRITICAL" },
	{ "REQUEST-932-APPLICATION-ATTACK-RCE", "932160", "Remote Command Execution: Unix Shell Code Found", "CRITICAL" },
	{ "REQUEST-933-APPLICATION-ATTACK-PHP", "933160", "PHP Injection Attack: High-Risk PHP Function Call Found", "CRITICAL" },
	{ "REQUEST-941-APPLICATION-ATTACK-XSS", "941100", "XSS Attack Detected via libinjection", "CRITICAL" },
	{ "REQUEST-942-APPLICATION-ATTACK-SQLI", "942100", "SQL Injection Attack Detected via libinjection", "CRITICAL" },
	{ "REQUEST-942-APPLICATION-ATTACK-SQLI", "942190", "Detects MSSQL code execution and information gathering attempts", "CRITICAL" },
	{ "REQUEST-942-APPLICATION-ATTACK-SQLI", "942260", "Detects basic SQL authentication bypass attempts 2/3", "CRITICAL" },
	{ "REQUEST-944-APPLICATION-ATTACK-JAVA", "944240", "Remote Command Execution: Java serialization (CVE-2015-4852)", "CRITICAL" },
	{ "REQUEST-921-PROTOCOL-ATTACK", "921130", "HTTP Response Splitting Attack", "CRITICAL" },
};
static const char *const crs_data[] = {
	"Matched Data: s&1c found within ARGS:id: 1' or '1'='1",
	"Matched Data: /etc/passwd found within ARGS:file: ../../../../etc/passwd",
	"Matched Data: <script> found within ARGS:q: <script>alert(1)</script>",
	"Matched Data: system( found within ARGS:cmd: system('id')",
	"Matched Data: ;cat found within ARGS:host: 127.0.0.1;cat /etc/shadow",
	"Matched Data: caf\xC3\xA9' union select found within ARGS:q: caf\xC3\xA9' union select 1,2--",
	"Matched Data: nikto found within REQUEST_HEADERS:User-Agent: Mozilla/5.00 (Nikto/2.5.0)",
};
static const char *const sites[] = {
	"shop.nordlicht.example", "api.kaffeehaus.example", "portal.tajga.example", "wiki.lumen.example",
	"mail.altamira.example", "cdn.sakana.example", "intranet.fjell.example", "pay.kolibri.example",
	"beta.oasis.example", "forum.baltic.example", "sso.meridian.example", "docs.cedar.example",
};
static const char *const paths[] = {
	"/wp-login.php", "/index.php", "/api/v2/orders", "/search", "/admin/config", "/cgi-bin/status",
	"/login", "/graphql", "/upload", "/xmlrpc.php", "/.env", "/api/v1/users", "/report/export",
	"/checkout", "/phpmyadmin/index.php", "/actuator/env",
};
/* Suricata rules: sid, rev, name, category. */
static const struct {
	unsigned sid, rev;
	const char *name, *cat;
} rules[] = {
	{ 2001219, 20, "ET SCAN Potential SSH Scan", "Attempted Information Leak" },
	{ 2010935, 3, "ET SCAN Suspicious inbound to MSSQL port 1433", "Potentially Bad Traffic" },
	{ 2010937, 3, "ET SCAN Suspicious inbound to mySQL port 3306", "Potentially Bad Traffic" },
	{ 2010939, 3, "ET SCAN Suspicious inbound to PostgreSQL port 5432", "Potentially Bad Traffic" },
	{ 2013028, 7, "ET POLICY curl User-Agent Outbound", "Attempted Information Leak" },
	{ 2024897, 2, "ET USER_AGENTS Go HTTP Client User-Agent", "Misc activity" },
	{ 2027865, 4, "ET INFO Observed DNS Query to .cloud TLD", "Potentially Bad Traffic" },
	{ 2030358, 1, "ET EXPLOIT Possible Redis RCE Attempt - Slave Module Loading", "Attempted Administrator Privilege Gain" },
	{ 2034647, 2, "ET EXPLOIT Apache log4j RCE Attempt (http ldap) (CVE-2021-44228)", "Attempted Administrator Privilege Gain" },
	{ 2400001, 3434, "ET DROP Spamhaus DROP Listed Traffic Inbound group 2", "Misc Attack" },
	{ 2402000, 6802, "ET DROP Dshield Block Listed Source", "Misc Attack" },
	{ 2522094, 5201, "ET TOR Known Tor Relay/Router (Not Exit) Node Traffic group 95", "Misc Attack" },
	{ 2100498, 7, "GPL ATTACK_RESPONSE id check returned root", "Potentially Bad Traffic" },
	{ 2019401, 9, "ET POLICY Vulnerable Java Version 1.8.x Detected", "Potentially Bad Traffic" },
	{ 2031071, 1, "ET HUNTING Mongo Wire Protocol OP_MSG isMaster from External", "Attempted Information Leak" },
	{ 2049087, 1, "ET SCAN NMAP OS Detection Probe", "Attempted Information Leak" },
};
static const char *const app_protos[] = { "tls", "http", "dns", "ssh", "failed", "smb", "mysql" };
static const char *const user_agents[] = {
	"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
	"curl/8.5.0", "Go-http-client/1.1", "python-requests/2.32.3",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 (compatible; Yandex\xD0\x91ot/3.0)",
};
static const char *const dns_names[] = {
	"repo.mongodb.org", "deb.debian.org", "rules.emergingthreats.net", "ocsp.digicert.com",
	"api.kaffeehaus.example", "time.cloudflare.com", "registry-1.docker.io", "xn--mnchen-3ya.example",
	"telemetry.nordlicht.example", "ntp.ubuntu.com",
};
/* MySQL: databases, tables, users; replication errors (code, text pattern, sample text). */
static const char *const dbs[] = { "shop", "billing", "crm", "wp_main", "analytics", "auth", "inventory", "forum" };
static const char *const tables[] = { "orders", "customers", "invoices", "sessions", "wp_options", "events", "stock", "posts" };
static const char *const db_users[] = {
	"root", "app", "repl", "backup", "grafana", "wordpress", "admin", "monitor", "exporter", "etl",
	"readonly", "laravel", "django", "sa", "test", "j\xC3\xBCrgen",
};
static const struct {
	const char *code, *re, *ere, *text;
} my_errors[] = {
	{ "1062", "Duplicate entry '[^']*' for key '[^']*'", "Duplicate entry '[^']*' for key '[^']*'",
	  "Duplicate entry '48213' for key 'orders.PRIMARY'" },
	{ "1205", "Lock wait timeout exceeded; try restarting transaction", "Lock wait timeout exceeded; try restarting transaction",
	  "Lock wait timeout exceeded; try restarting transaction" },
	{ "1213", "Deadlock found when trying to get lock; try restarting transaction",
	  "Deadlock found when trying to get lock; try restarting transaction",
	  "Deadlock found when trying to get lock; try restarting transaction" },
	{ "1032", "Can't find record in '[^']*'", "Can't find record in '[^']*'", "Can't find record in 'sessions'" },
	{ "1146", "Table '[^']*' doesn't exist", "Table '[^']*' doesn't exist", "Table 'shop.orders_2025' doesn't exist" },
	{ "1452", "Cannot add or update a child row: a foreign key constraint fails",
	  "Cannot add or update a child row: a foreign key constraint fails",
	  "Cannot add or update a child row: a foreign key constraint fails" },
	{ "1054", "Unknown column '[^']*' in 'field list'", "Unknown column '[^']*' in 'field list'",
	  "Unknown column 'discount_eur' in 'field list'" },
	{ "1114", "The table '[^']*' is full", "The table '[^']*' is full", "The table 'events' is full" },
	{ "1406", "Data too long for column '[^']*' at row \\d+", "Data too long for column '[^']*' at row [0-9]+",
	  "Data too long for column 'name' at row 1" },
	{ "1366", "Incorrect string value: '[^']*' for column '[^']*' at row \\d+",
	  "Incorrect string value: '[^']*' for column '[^']*' at row [0-9]+",
	  "Incorrect string value: '\\xF0\\x9F\\x98\\x80' for column 'comment' at row 1" },
};
static const char *const mongo_dbs[] = { "admin", "shop", "telemetry", "cms", "sessions", "audit" };
static const char *const mongo_colls[] = { "orders", "events", "users", "carts", "pages", "metrics", "tokens", "logs" };
static const char *const mongo_users[] = { "app", "reporting", "backup", "clusterAdmin", "grafana", "etl", "ingest", "svc-cms" };
/* First octets and IPv6 prefixes the outside comes from, and the site's own networks. */
static const unsigned v4_first[] = { 5, 23, 31, 37, 62, 80, 89, 94, 109, 146, 152, 176, 188, 195 };
static const char *const v6_first[] = {
	"2a03:2880", "2a0d:5600", "2001:bc8", "2a05:d014", "2604:a880", "2a0a:4cc0", "2001:19f0",
	"2406:da18", "2a02:6b8", "2c0f:fb50",
};
static const struct bench_nets nets = BENCH_NETS(v4_first, v6_first);
static const char *const hosts[] = { "db1", "db2", "waf1", "ids1", "cache1", "mongo-a", "bastion", "web3" };

/* An outside address: IPv4 or IPv6 equally often. */
static void
addr(char *out, size_t size, struct bench_rng *r)
{
	bench_addr(out, size, r, &nets);
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

/* A subnet's text as an address begins with it. */
static void
subnet(char *out, size_t size, struct bench_rng *r)
{
	bench_subnet(out, size, r, &nets);
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

/* The permissions an object's class takes. */
static const char *
perm_for(const char *tclass, struct bench_rng *r)
{
	if (strcmp(tclass, "dir") == 0)
		return BENCH_PICK(r, perms_dir);
	if (strstr(tclass, "socket"))
		return BENCH_PICK(r, perms_sock);
	if (strcmp(tclass, "system") == 0)
		return "module_request";
	return BENCH_PICK(r, perms_file);
}

/* The fields after "comm=" of an AVC record for an object. */
static void
avc_tail(char *out, size_t size, unsigned o, const char *domain, struct bench_rng *r, int permissive)
{
	if (strcmp(objects[o].tclass, "tcp_socket") == 0)
		snprintf(out, size, "dest=%s scontext=system_u:system_r:%s:s0 tcontext=system_u:object_r:%s:s0 tclass=%s permissive=%d",
			 objects[o].name, domain, objects[o].type, objects[o].tclass, permissive);
	else
		snprintf(out, size, "name=\"%s\" dev=\"dm-%u\" ino=%u scontext=system_u:system_r:%s:s0 tcontext=system_u:object_r:%s:s0 tclass=%s permissive=%d",
			 objects[o].name, bench_rng_below(r, 3), 1000 + bench_rng_below(r, 9000000), domain,
			 objects[o].type, objects[o].tclass, permissive);
}

/* An IPv4 or IPv6 address, the same in PCRE2 and ERE. */
#define RE_ADDR "[0-9a-fA-F.:]+"

static void
make_sig(struct bench_sig *s, struct bench_rng *r)
{
	char buf[400], net[48];
	uint32_t kind = bench_rng_below(r, 100);

	memset(s, 0, sizeof *s);
	s->caseless = bench_rng_below(r, 25) == 0;
	if (kind < 15) {
		/* SELinux: a denial (enforcing) for one command on one type and class. */
		unsigned p = bench_rng_below(r, sizeof procs / sizeof procs[0]);
		unsigned o = bench_rng_below(r, sizeof objects / sizeof objects[0]);
		char tail[300], head[80];

		s->caseless = false;
		snprintf(head, sizeof head, "avc:  denied  { %s } for  pid=4242 comm=\"", perm_for(objects[o].tclass, r));
		bench_sig_raw(s, "avc:  denied  \\{ [a-z_ ]+ \\} for  pid=\\d+ comm=\"",
			      "avc:  denied  \\{ [a-z_ ]+ \\} for  pid=[0-9]+ comm=\"", head);
		snprintf(buf, sizeof buf, "%s\" ", procs[p].comm);
		bench_sig_lit(s, buf);
		avc_tail(tail, sizeof tail, o, procs[p].domain, r, 0);
		bench_sig_raw(s, ".*", ".*", tail);
		snprintf(buf, sizeof buf, "tcontext=system_u:object_r:%s:s0 tclass=%s permissive=0",
			 objects[o].type, objects[o].tclass);
		/* The sample's tail already holds this text: only the patterns get it. */
		{
			struct bench_sig lit;

			memset(&lit, 0, sizeof lit);
			bench_sig_lit(&lit, buf);
			bench_sig_raw(s, lit.re, lit.ere, "");
		}
	} else if (kind < 30) {
		/* ModSecurity: one rule denying on one site, for one path. */
		unsigned c = bench_rng_below(r, sizeof crs / sizeof crs[0]);
		const char *site = BENCH_PICK(r, sites), *path = BENCH_PICK(r, paths);

		bench_sig_raw(s, "ModSecurity: Access denied with code 403 \\(phase 2\\)\\. .*\\[id \"",
			      "ModSecurity: Access denied with code 403 \\(phase 2\\)\\. .*\\[id \"",
			      "ModSecurity: Access denied with code 403 (phase 2). Matched phrase at ARGS:q. [file \"/usr/share/modsecurity-crs/rules/x.conf\"] [line \"1\"] [id \"");
		snprintf(buf, sizeof buf, "%s\"] [msg \"%s\"]", crs[c].id, crs[c].msg);
		bench_sig_lit(s, buf);
		bench_sig_raw(s, " .*\\[hostname \"", " .*\\[hostname \"", " [data \"x\"] [hostname \"");
		snprintf(buf, sizeof buf, "%s\"] [uri \"%s", site, path);
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "", "", "\"] [unique_id \"Z1xqA8CoAAEAAB3xYvQAAAAB\"]");
	} else if (kind < 42) {
		/* Suricata: one signature (its name caseless) blocked from one subnet. */
		unsigned k = bench_rng_below(r, sizeof rules / sizeof rules[0]);
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
			 rules[k].sid, rules[k].rev);
		bench_sig_raw(s, "", "", buf);
		sig_caseless(s, rules[k].name);
		bench_sig_lit(s, "\"");
	} else if (kind < 52) {
		/* fail2ban: one jail banning one subnet. */
		bench_sig_raw(s, "fail2ban\\.actions +\\[\\d+\\]: NOTICE +\\[", "fail2ban\\.actions +\\[[0-9]+\\]: NOTICE +\\[",
			      "fail2ban.actions        [812]: NOTICE  [");
		subnet(net, sizeof net, r);
		snprintf(buf, sizeof buf, "%s] Ban %s", BENCH_PICK(r, jails), net);
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "", "", strchr(net, ':') ? "b::9" : "9");
	} else if (kind < 62) {
		/* MySQL: a replication error (code and text) in one database. */
		unsigned e = bench_rng_below(r, sizeof my_errors / sizeof my_errors[0]);
		const char *db = BENCH_PICK(r, dbs);

		bench_sig_lit(s, "[ERROR] [MY-010584] [Repl] Replica SQL for channel '");
		bench_sig_raw(s, "[^']*': Error '", "[^']*': Error '", "': Error '");
		bench_sig_raw(s, my_errors[e].re, my_errors[e].ere, my_errors[e].text);
		snprintf(buf, sizeof buf, "' on query. Default database: '%s'. Query: '", db);
		bench_sig_lit(s, buf);
		bench_sig_raw(s, ".*', Error_code: MY-00", ".*', Error_code: MY-00", "UPDATE t SET a = 1', Error_code: MY-00");
		bench_sig_lit(s, my_errors[e].code);
	} else if (kind < 70) {
		/* MySQL: a refused login of any of many users from one subnet (an alternation). */
		unsigned k = 6 + bench_rng_below(r, 11), first = bench_rng_below(r, 16);

		s->caseless = false;
		bench_sig_alt(s, "Access denied for user '", db_users, BENCH_COUNT(db_users), first, 3, k, "'@'");
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
		snprintf(buf, sizeof buf, "%s\",\"authenticationDatabase\":\"%s\",\"remote\":\"", BENCH_PICK(r, mongo_users),
			 BENCH_PICK(r, mongo_dbs));
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
		snprintf(buf, sizeof buf, "%s.%s\",", BENCH_PICK(r, mongo_dbs), BENCH_PICK(r, mongo_colls));
		bench_sig_lit(s, buf);
		bench_sig_raw(s, ".*\"planSummary\":\"COLLSCAN\",.*\"durationMillis\":\\d{5,}\\}",
			      ".*\"planSummary\":\"COLLSCAN\",.*\"durationMillis\":[0-9]{5,}\\}",
			      "\"command\":{\"find\":\"x\"},\"planSummary\":\"COLLSCAN\",\"keysExamined\":0,\"docsExamined\":912345,\"durationMillis\":12345}");
	} else if (kind < 88) {
		/* AppArmor: one profile denied one operation on one object. */
		unsigned o = bench_rng_below(r, sizeof aa_ops / sizeof aa_ops[0]);

		snprintf(buf, sizeof buf, "apparmor=\"DENIED\" operation=\"%s\" ", aa_ops[o].op);
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "(?:class=\"[a-z]+\" )?", "(class=\"[a-z]+\" )?", "");
		snprintf(buf, sizeof buf, "profile=\"%s\" name=\"%s", BENCH_PICK(r, aa_profiles), aa_ops[o].name);
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
	unsigned p = bench_rng_below(r, sizeof procs / sizeof procs[0]);
	uint32_t kind = bench_rng_below(r, 100);

	if (kind < 30) {
		unsigned sc = bench_rng_below(r, sizeof syscalls / sizeof syscalls[0]);
		unsigned uid = bench_rng_below(r, 3) ? 0 : 27 + bench_rng_below(r, 990);
		bool ok = bench_rng_below(r, 4) != 0;

		audit_head(f, r, n, "SYSCALL");
		fprintf(f, "arch=c000003e syscall=%u success=%s exit=%d a0=%x a1=%llx a2=%x a3=%x items=%u ppid=%u pid=%u auid=%u uid=%u gid=%u euid=%u suid=%u fsuid=%u egid=%u sgid=%u fsgid=%u tty=%s ses=%u comm=\"%s\" exe=\"%s\" subj=system_u:system_r:%s:s0 key=\"%s\"\n",
			syscalls[sc].nr, ok ? "yes" : "no", ok ? (int)bench_rng_below(r, 8) : -(int)(bench_rng_below(r, 2) ? 13 : 2),
			bench_rng_below(r, 0xFFFFFFFFu), 0x7ffc00000000ull + bench_rng_below(r, 0xFFFFFFFFu),
			bench_rng_below(r, 0x1000), bench_rng_below(r, 0x100), 1 + bench_rng_below(r, 3), 1 + bench_rng_below(r, 3000),
			300 + bench_rng_below(r, 90000), bench_rng_below(r, 3) ? 4294967295u : 1000 + bench_rng_below(r, 5),
			uid, uid, uid, uid, uid, uid, uid, uid, bench_rng_below(r, 3) ? "(none)" : "pts0",
			bench_rng_below(r, 3) ? 4294967295u : 1 + bench_rng_below(r, 400), procs[p].comm, procs[p].exe, procs[p].domain,
			BENCH_PICK(r, audit_keys));
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
			fprintf(f, "proctitle=\"%s\"\n", procs[p].exe);
			return;
		}
		fputs("proctitle=", f);
		for (const char *c = procs[p].exe; *c; c++)
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
			bench_rng_below(r, 2), BENCH_PICK(r, watched), 100000 + bench_rng_below(r, 9000000),
			bench_rng_below(r, 3), bench_rng_below(r, 2) ? 0640u : 0600u, bench_rng_below(r, 50),
			objects[bench_rng_below(r, 10)].type);
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
			BENCH_PICK(r, db_users), a, a);
	} else {
		/* Denials of a permissive domain: the same commands and types, permissive=1. */
		unsigned o = bench_rng_below(r, sizeof objects / sizeof objects[0]);
		char tail[300];

		avc_tail(tail, sizeof tail, o, procs[p].domain, r, 1);
		audit_head(f, r, n, "AVC");
		fprintf(f, "avc:  denied  { %s } for  pid=%u comm=\"%s\" %s\n", perm_for(objects[o].tclass, r),
			300 + bench_rng_below(r, 90000), procs[p].comm, tail);
	}
}

/* The kernel's ring buffer through syslog: AppArmor's audit lines. */
static void
healthy_apparmor(FILE *f, struct bench_rng *r, uint32_t n)
{
	unsigned o = bench_rng_below(r, sizeof aa_ops / sizeof aa_ops[0]);
	const char *profile = BENCH_PICK(r, aa_profiles);

	fprintf(f, "Dec  6 %02u:%02u:%02u %s kernel: [%u.%06u] audit: type=1400 audit(%u.%03u:%u): ",
		n / 36000 % 24, n / 600 % 60, n / 10 % 60, BENCH_PICK(r, hosts), 80000 + n / 10,
		bench_rng_below(r, 1000000), SEC_EPOCH + n / 10, bench_rng_below(r, 1000), 200 + n / 7);
	if (bench_rng_below(r, 6) == 0) {
		fprintf(f, "apparmor=\"STATUS\" operation=\"profile_replace\" info=\"same as current profile, skipping\" profile=\"unconfined\" name=\"%s\" pid=%u comm=\"apparmor_parser\"\n",
			profile, 300 + bench_rng_below(r, 90000));
		return;
	}
	/* Complain mode: the same operations and objects, ALLOWED. */
	fprintf(f, "apparmor=\"ALLOWED\" operation=\"%s\" class=\"%s\" profile=\"%s\" name=\"%s%s\" pid=%u comm=\"%s\"",
		aa_ops[o].op, aa_ops[o].cls, profile, aa_ops[o].name,
		aa_ops[o].name[strlen(aa_ops[o].name) - 1] == '/' ? "stat" : "", 300 + bench_rng_below(r, 90000),
		procs[bench_rng_below(r, sizeof procs / sizeof procs[0])].comm);
	if (*aa_ops[o].mask)
		fprintf(f, " requested_mask=\"%s\" denied_mask=\"%s\" fsuid=%u ouid=0\n", aa_ops[o].mask, aa_ops[o].mask,
			100 + bench_rng_below(r, 30));
	else
		fputs("\n", f);
}

/* fail2ban.log: finds, unbans and bans (the bans from networks no signature names). */
static void
healthy_fail2ban(FILE *f, struct bench_rng *r, uint32_t n)
{
	const char *jail = BENCH_PICK(r, jails);
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
	unsigned c = bench_rng_below(r, sizeof crs / sizeof crs[0]);
	char a[64], uid[32];

	addr(a, sizeof a, r);
	rand_chars(uid, 27, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@-", r);
	if (bench_rng_below(r, 8) == 0) {
		apache_head(f, r, n, "proxy_fcgi:error", a);
		fprintf(f, "AH01071: Got error 'Primary script unknown', referer: https://%s%s\n", BENCH_PICK(r, sites),
			BENCH_PICK(r, paths));
		return;
	}
	apache_head(f, r, n, "security2:error", a);
	if (bench_rng_below(r, 4) == 0)
		fprintf(f, "[client %s] ModSecurity: Access denied with code 403 (phase 2). Operator GE matched 5 at TX:anomaly_score. [file \"/usr/share/modsecurity-crs/rules/REQUEST-949-BLOCKING-EVALUATION.conf\"] [line \"81\"] [id \"949110\"] [msg \"Inbound Anomaly Score Exceeded (Total Score: %u)\"] [severity \"CRITICAL\"] [ver \"OWASP_CRS/3.3.5\"] [tag \"application-multi\"] [tag \"language-multi\"] [tag \"platform-multi\"] [tag \"attack-generic\"] [hostname \"%s\"] [uri \"%s\"] [unique_id \"%s\"]\n",
			a, 5 * (1 + bench_rng_below(r, 6)), BENCH_PICK(r, sites), BENCH_PICK(r, paths), uid);
	else
		fprintf(f, "[client %s] ModSecurity: Warning. Matched phrase \"%s\" at ARGS:q. [file \"/usr/share/modsecurity-crs/rules/%s.conf\"] [line \"%u\"] [id \"%s\"] [msg \"%s\"] [data \"%s\"] [severity \"%s\"] [ver \"OWASP_CRS/3.3.5\"] [tag \"application-multi\"] [tag \"language-multi\"] [tag \"platform-multi\"] [tag \"paranoia-level/1\"] [tag \"OWASP_CRS\"] [tag \"capec/1000/152/248/66\"] [tag \"PCI/6.5.2\"] [hostname \"%s\"] [uri \"%s\"] [unique_id \"%s\"]\n",
			a, bench_rng_below(r, 2) ? "union select" : "/etc/passwd", crs[c].file, 40 + bench_rng_below(r, 1900), crs[c].id,
			crs[c].msg, BENCH_PICK(r, crs_data), crs[c].sev, BENCH_PICK(r, sites), BENCH_PICK(r, paths), uid);
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
			BENCH_PICK(r, app_protos), 1 + bench_rng_below(r, 900), bench_rng_below(r, 900), 60 + bench_rng_below(r, 90000),
			bench_rng_below(r, 9000000), n / 36000 % 24, n / 600 % 60, n / 10 % 60, bench_rng_below(r, 1000000),
			n / 36000 % 24, n / 600 % 60, n / 10 % 60, bench_rng_below(r, 1000000), bench_rng_below(r, 600),
			bench_rng_below(r, 3) ? "closed" : "established", cid, bench_rng_below(r, 0x100));
	} else if (kind < 50) {
		const char *name = BENCH_PICK(r, dns_names);

		fprintf(f, "\"community_id\":\"1:%s=\",\"dns\":{\"version\":2,\"type\":\"%s\",\"id\":%u,\"flags\":\"8180\",\"qr\":true,\"rd\":true,\"ra\":true,\"rrname\":\"%s\",\"rrtype\":\"%s\",\"rcode\":\"%s\",\"answers\":[{\"rrname\":\"%s\",\"rrtype\":\"AAAA\",\"ttl\":%u,\"rdata\":\"%s:%x::%x\"}]}}\n",
			cid, bench_rng_below(r, 2) ? "answer" : "query", bench_rng_below(r, 65536), name,
			bench_rng_below(r, 2) ? "A" : "AAAA", bench_rng_below(r, 8) ? "NOERROR" : "NXDOMAIN", name,
			bench_rng_below(r, 86400), BENCH_PICK(r, v6_first), bench_rng_below(r, 0x10000), 1 + bench_rng_below(r, 0xFFFF));
	} else if (kind < 65) {
		char ja3[40], ja3s[40], fp[64];

		rand_chars(ja3, 32, HEX, r);
		rand_chars(ja3s, 32, HEX, r);
		rand_chars(fp, 59, HEX, r);
		for (int i = 2; i < 59; i += 3)
			fp[i] = ':';
		fprintf(f, "\"app_proto\":\"tls\",\"community_id\":\"1:%s=\",\"tls\":{\"subject\":\"CN=%s\",\"issuerdn\":\"C=US, O=Let's Encrypt, CN=R11\",\"serial\":\"%02X:%02X:%02X:%02X:%02X:%02X:%02X:%02X\",\"fingerprint\":\"%s\",\"sni\":\"%s\",\"version\":\"TLS 1.%u\",\"notbefore\":\"2026-10-01T00:00:00\",\"notafter\":\"2026-12-30T23:59:59\",\"ja3\":{\"hash\":\"%s\"},\"ja3s\":{\"hash\":\"%s\"}}}\n",
			cid, BENCH_PICK(r, sites), bench_rng_below(r, 256), bench_rng_below(r, 256), bench_rng_below(r, 256),
			bench_rng_below(r, 256), bench_rng_below(r, 256), bench_rng_below(r, 256), bench_rng_below(r, 256),
			bench_rng_below(r, 256), fp, BENCH_PICK(r, sites), 2 + bench_rng_below(r, 2), ja3, ja3s);
	} else if (kind < 78) {
		fprintf(f, "\"tx_id\":%u,\"app_proto\":\"http\",\"community_id\":\"1:%s=\",\"http\":{\"hostname\":\"%s\",\"url\":\"%s?q=%s\",\"http_user_agent\":\"%s\",\"http_content_type\":\"text/html\",\"http_method\":\"%s\",\"protocol\":\"HTTP/1.1\",\"status\":%u,\"length\":%u}}\n",
			bench_rng_below(r, 8), cid, BENCH_PICK(r, sites), BENCH_PICK(r, paths),
			bench_rng_below(r, 3) ? "caf%C3%A9" : "M%C3%BCnchen", BENCH_PICK(r, user_agents),
			bench_rng_below(r, 4) ? "GET" : "POST", bench_rng_below(r, 5) ? 200 : 404, bench_rng_below(r, 90000));
	} else if (kind < 86) {
		char md5[40], sha1[48], sha256[72];

		rand_chars(md5, 32, HEX, r);
		rand_chars(sha1, 40, HEX, r);
		rand_chars(sha256, 64, HEX, r);
		fprintf(f, "\"app_proto\":\"http\",\"fileinfo\":{\"filename\":\"%s\",\"sid\":[],\"gaps\":false,\"state\":\"CLOSED\",\"md5\":\"%s\",\"sha1\":\"%s\",\"sha256\":\"%s\",\"stored\":false,\"size\":%u,\"tx_id\":%u}}\n",
			BENCH_PICK(r, paths), md5, sha1, sha256, 100 + bench_rng_below(r, 900000), bench_rng_below(r, 4));
	} else {
		unsigned k = bench_rng_below(r, sizeof rules / sizeof rules[0]);

		fprintf(f, "\"community_id\":\"1:%s=\",\"alert\":{\"action\":\"allowed\",\"gid\":1,\"signature_id\":%u,\"rev\":%u,\"signature\":\"%s\",\"category\":\"%s\",\"severity\":%u,\"metadata\":{\"created_at\":[\"2019_07_26\"],\"signature_severity\":[\"Major\"],\"updated_at\":[\"2026_11_30\"]}},\"app_proto\":\"%s\",\"direction\":\"to_server\",\"flow\":{\"pkts_toserver\":%u,\"pkts_toclient\":%u,\"bytes_toserver\":%u,\"bytes_toclient\":%u,\"start\":\"2026-12-06T%02u:%02u:%02u.%06u+0000\",\"src_ip\":\"%s\",\"dest_ip\":\"%s\"}}\n",
			cid, rules[k].sid, rules[k].rev, rules[k].name, rules[k].cat, 1 + bench_rng_below(r, 3),
			BENCH_PICK(r, app_protos), 1 + bench_rng_below(r, 90), bench_rng_below(r, 90), 60 + bench_rng_below(r, 9000),
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
		unsigned e = bench_rng_below(r, sizeof my_errors / sizeof my_errors[0]);
		const char *db = BENCH_PICK(r, dbs);

		fprintf(f, "[Warning] [MY-010584] [Repl] Replica SQL for channel '': Could not execute Write_rows event on table %s.%s; %s, Error_code: %s; handler error HA_ERR_FOUND_DUPP_KEY; the event's source log binlog.%06u, end_log_pos %u, Error_code: MY-00%s\n",
			db, BENCH_PICK(r, tables), my_errors[e].text, my_errors[e].code, 1 + bench_rng_below(r, 400),
			bench_rng_below(r, 90000000), my_errors[e].code);
	} else if (kind < 6) {
		addr(a, sizeof a, r);
		fprintf(f, "[Note] [MY-010914] [Server] Aborted connection %u to db: '%s' user: '%s' host: '%s' (Got an error reading communication packets).\n",
			bench_rng_below(r, 900000), BENCH_PICK(r, dbs), BENCH_PICK(r, db_users), a);
	} else if (kind < 8) {
		site_addr(a, sizeof a, r);
		fprintf(f, "[Warning] [MY-010055] [Server] Access denied for user '%s'@'%s' (using password: YES)\n",
			BENCH_PICK(r, db_users), a);
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
		fprintf(f, "# User@Host: %s[%s] @  [%s]  Id: %5u\n", BENCH_PICK(r, db_users), BENCH_PICK(r, db_users), a,
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
			BENCH_PICK(r, mongo_users), BENCH_PICK(r, mongo_dbs), peer);
	} else if (kind < 9) {
		/* Slow queries of the same collections: index scans, or collection scans under 10 s. */
		bool coll = bench_rng_below(r, 2);

		fprintf(f, "\"c\":\"COMMAND\",  \"id\":51803,   \"ctx\":\"conn%u\",\"msg\":\"Slow query\",\"attr\":{\"type\":\"command\",\"ns\":\"%s.%s\",\"appName\":\"ingest\",\"command\":{\"find\":\"x\",\"filter\":{\"status\":\"pending\",\"owner\":\"j\xC3\xBCrgen\"},\"lsid\":{\"id\":{\"$uuid\":\"%s\"}},\"$db\":\"shop\"},\"planSummary\":\"%s\",\"keysExamined\":%u,\"docsExamined\":%u,\"cursorExhausted\":true,\"numYields\":%u,\"nreturned\":%u,\"reslen\":%u,\"locks\":{\"Global\":{\"acquireCount\":{\"r\":%u}}},\"protocol\":\"op_msg\",\"durationMillis\":%u}}\n",
			bench_rng_below(r, 900000), BENCH_PICK(r, mongo_dbs), BENCH_PICK(r, mongo_colls), uuid,
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

static void
healthy_line(FILE *f, struct bench_rng *r, uint32_t n)
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
static void
error_line(FILE *f, struct bench_rng *r, uint32_t n, const char *sample)
{
	fprintf(f, "Dec  6 %02u:%02u:%02u %s secmon[%u]: %s\n", n / 36000 % 24, n / 600 % 60, n / 10 % 60,
		BENCH_PICK(r, hosts), 300 + bench_rng_below(r, 60000), sample);
}

int
bench_generate_sec(const char *dir, size_t corpus_bytes)
{
	static const struct bench_corpus sec = {
		.prefix = "sec", .seed = 0x5EC0A0D1u,
		.make_sig = make_sig, .healthy_line = healthy_line, .error_line = error_line,
	};

	return bench_corpus_write(dir, corpus_bytes, &sec);
}
