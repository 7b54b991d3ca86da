/*
 * gen_sec_vocab: the words of the "sec" corpus (gen_sec.h; gen_sec.c says
 * what the corpus models): the commands, types and classes of SELinux
 * denials, AppArmor's profiles and operations, fail2ban's jails, the OWASP
 * CRS rules and the sites they guard, Suricata's rules, MySQL's databases,
 * users and errors, MongoDB's names, and the networks the outside comes
 * from. Nothing here draws from a generator but the two helpers at the end.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "gen_sec.h"

/* Commands with their executable and SELinux domain. */
const struct sec_proc sec_procs[] = {
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
const uint32_t sec_procs_n = BENCH_COUNT(sec_procs);
/* Object types a denial names, with a path or port of that type, and its class. */
const struct sec_object sec_objects[] = {
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
const uint32_t sec_objects_n = BENCH_COUNT(sec_objects);
/* The permissions of a file, a directory and a socket. */
static const char *const perms_file[] = { "read", "open", "getattr", "write", "append", "ioctl", "map", "execute" };
static const char *const perms_dir[] = { "search", "read", "add_name", "write", "remove_name", "getattr" };
static const char *const perms_sock[] = { "name_connect", "name_bind", "connectto", "write" };
const char *const sec_audit_keys[] = {
	"identity", "privileged", "perm_mod", "access", "time-change", "system-locale", "logins",
	"session", "delete", "modules", "docker", "sshd_config", "etc_shadow", "mounts", "exec",
};
const uint32_t sec_audit_keys_n = BENCH_COUNT(sec_audit_keys);
const struct sec_syscall sec_syscalls[] = {
	{ 257, "openat" }, { 59, "execve" }, { 42, "connect" }, { 49, "bind" }, { 263, "unlinkat" },
	{ 268, "fchmodat" }, { 260, "fchownat" }, { 165, "mount" }, { 313, "finit_module" },
	{ 82, "rename" }, { 105, "setuid" }, { 2, "open" }, { 4, "stat" }, { 322, "execveat" },
};
const uint32_t sec_syscalls_n = BENCH_COUNT(sec_syscalls);
const char *const sec_watched[] = {
	"/etc/shadow", "/etc/passwd", "/etc/sudoers.d/90-ops", "/etc/ssh/sshd_config",
	"/var/lib/mysql/mysql/user.MYD", "/etc/my.cnf.d/server.cnf", "/var/lib/redis/dump.rdb",
	"/etc/mongod.conf", "/etc/suricata/suricata.yaml", "/etc/fail2ban/jail.local",
	"/home/j\xC3\xBCrgen/.ssh/authorized_keys", "/root/.bash_history", "/etc/localtime",
};
const uint32_t sec_watched_n = BENCH_COUNT(sec_watched);
/* AppArmor profiles and what they are denied. */
const char *const sec_aa_profiles[] = {
	"/usr/sbin/mysqld", "/usr/sbin/named", "/usr/bin/redis-server", "/usr/sbin/cupsd",
	"docker-default", "snap.lxd.daemon", "/usr/sbin/tcpdump", "/usr/lib/snapd/snap-confine",
	"/usr/sbin/sssd", "rsyslogd", "/usr/bin/mongod", "/usr/sbin/chronyd",
};
const uint32_t sec_aa_profiles_n = BENCH_COUNT(sec_aa_profiles);
const struct sec_aa_op sec_aa_ops[] = {
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
const uint32_t sec_aa_ops_n = BENCH_COUNT(sec_aa_ops);
const char *const sec_jails[] = {
	"sshd", "nginx-http-auth", "postfix-sasl", "recidive", "apache-modsecurity", "mysqld-auth",
	"dovecot", "apache-auth", "mongodb-auth", "redis-auth", "suricata-drop", "apache-badbots",
};
const uint32_t sec_jails_n = BENCH_COUNT(sec_jails);
/* OWASP CRS 3 rules: file, id, message, severity. */
const struct sec_crs_rule sec_crs[] = {
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
const uint32_t sec_crs_n = BENCH_COUNT(sec_crs);
const char *const sec_crs_data[] = {
	"Matched Data: s&1c found within ARGS:id: 1' or '1'='1",
	"Matched Data: /etc/passwd found within ARGS:file: ../../../../etc/passwd",
	"Matched Data: <script> found within ARGS:q: <script>alert(1)</script>",
	"Matched Data: system( found within ARGS:cmd: system('id')",
	"Matched Data: ;cat found within ARGS:host: 127.0.0.1;cat /etc/shadow",
	"Matched Data: caf\xC3\xA9' union select found within ARGS:q: caf\xC3\xA9' union select 1,2--",
	"Matched Data: nikto found within REQUEST_HEADERS:User-Agent: Mozilla/5.00 (Nikto/2.5.0)",
};
const uint32_t sec_crs_data_n = BENCH_COUNT(sec_crs_data);
const char *const sec_sites[] = {
	"shop.nordlicht.example", "api.kaffeehaus.example", "portal.tajga.example", "wiki.lumen.example",
	"mail.altamira.example", "cdn.sakana.example", "intranet.fjell.example", "pay.kolibri.example",
	"beta.oasis.example", "forum.baltic.example", "sso.meridian.example", "docs.cedar.example",
};
const uint32_t sec_sites_n = BENCH_COUNT(sec_sites);
const char *const sec_paths[] = {
	"/wp-login.php", "/index.php", "/api/v2/orders", "/search", "/admin/config", "/cgi-bin/status",
	"/login", "/graphql", "/upload", "/xmlrpc.php", "/.env", "/api/v1/users", "/report/export",
	"/checkout", "/phpmyadmin/index.php", "/actuator/env",
};
const uint32_t sec_paths_n = BENCH_COUNT(sec_paths);
/* Suricata rules: sid, rev, name, category. */
const struct sec_ids_rule sec_rules[] = {
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
const uint32_t sec_rules_n = BENCH_COUNT(sec_rules);
const char *const sec_app_protos[] = { "tls", "http", "dns", "ssh", "failed", "smb", "mysql" };
const uint32_t sec_app_protos_n = BENCH_COUNT(sec_app_protos);
const char *const sec_user_agents[] = {
	"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
	"curl/8.5.0", "Go-http-client/1.1", "python-requests/2.32.3",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 (compatible; Yandex\xD0\x91ot/3.0)",
};
const uint32_t sec_user_agents_n = BENCH_COUNT(sec_user_agents);
const char *const sec_dns_names[] = {
	"repo.mongodb.org", "deb.debian.org", "rules.emergingthreats.net", "ocsp.digicert.com",
	"api.kaffeehaus.example", "time.cloudflare.com", "registry-1.docker.io", "xn--mnchen-3ya.example",
	"telemetry.nordlicht.example", "ntp.ubuntu.com",
};
const uint32_t sec_dns_names_n = BENCH_COUNT(sec_dns_names);
/* MySQL: databases, tables, users; replication errors (code, text pattern, sample text). */
const char *const sec_dbs[] = { "shop", "billing", "crm", "wp_main", "analytics", "auth", "inventory", "forum" };
const uint32_t sec_dbs_n = BENCH_COUNT(sec_dbs);
const char *const sec_tables[] = { "orders", "customers", "invoices", "sessions", "wp_options", "events", "stock", "posts" };
const uint32_t sec_tables_n = BENCH_COUNT(sec_tables);
const char *const sec_db_users[] = {
	"root", "app", "repl", "backup", "grafana", "wordpress", "admin", "monitor", "exporter", "etl",
	"readonly", "laravel", "django", "sa", "test", "j\xC3\xBCrgen",
};
const uint32_t sec_db_users_n = BENCH_COUNT(sec_db_users);
const struct sec_mysql_error sec_my_errors[] = {
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
const uint32_t sec_my_errors_n = BENCH_COUNT(sec_my_errors);
const char *const sec_mongo_dbs[] = { "admin", "shop", "telemetry", "cms", "sessions", "audit" };
const uint32_t sec_mongo_dbs_n = BENCH_COUNT(sec_mongo_dbs);
const char *const sec_mongo_colls[] = { "orders", "events", "users", "carts", "pages", "metrics", "tokens", "logs" };
const uint32_t sec_mongo_colls_n = BENCH_COUNT(sec_mongo_colls);
const char *const sec_mongo_users[] = { "app", "reporting", "backup", "clusterAdmin", "grafana", "etl", "ingest", "svc-cms" };
const uint32_t sec_mongo_users_n = BENCH_COUNT(sec_mongo_users);
/* First octets and IPv6 prefixes the outside comes from (the site's own networks: gen_sec_lines.c). */
static const unsigned v4_first[] = { 5, 23, 31, 37, 62, 80, 89, 94, 109, 146, 152, 176, 188, 195 };
const char *const sec_v6_first[] = {
	"2a03:2880", "2a0d:5600", "2001:bc8", "2a05:d014", "2604:a880", "2a0a:4cc0", "2001:19f0",
	"2406:da18", "2a02:6b8", "2c0f:fb50",
};
const uint32_t sec_v6_first_n = BENCH_COUNT(sec_v6_first);
const struct bench_nets sec_nets = BENCH_NETS(v4_first, sec_v6_first);
const char *const sec_hosts[] = { "db1", "db2", "waf1", "ids1", "cache1", "mongo-a", "bastion", "web3" };
const uint32_t sec_hosts_n = BENCH_COUNT(sec_hosts);

/* The permissions an object's class takes. */
const char *
sec_perm_for(const char *tclass, struct bench_rng *r)
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
void
sec_avc_tail(char *out, size_t size, unsigned o, const char *domain, struct bench_rng *r, int permissive)
{
	if (strcmp(sec_objects[o].tclass, "tcp_socket") == 0)
		snprintf(out, size, "dest=%s scontext=system_u:system_r:%s:s0 tcontext=system_u:object_r:%s:s0 tclass=%s permissive=%d",
			 sec_objects[o].name, domain, sec_objects[o].type, sec_objects[o].tclass, permissive);
	else
		snprintf(out, size, "name=\"%s\" dev=\"dm-%u\" ino=%u scontext=system_u:system_r:%s:s0 tcontext=system_u:object_r:%s:s0 tclass=%s permissive=%d",
			 sec_objects[o].name, bench_rng_below(r, 3), 1000 + bench_rng_below(r, 9000000), domain,
			 sec_objects[o].type, sec_objects[o].tclass, permissive);
}
