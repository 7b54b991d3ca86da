/*
 * gen_ops: the "ops" benchmark corpus (see bench/README.md): infrastructure
 * logs made of keys and values and numbers (logfmt lines of Go services,
 * klog lines of Kubernetes components, UFW firewall lines, Linux audit
 * records, HAProxy HTTP logs, Go panics) and signatures keyed on field
 * values: a level and a message with a component, a source file and a pod,
 * a blocked port from one subnet, a denied permission for one command, a
 * backend answering 5xx.
 *
 * Its vocabulary and line shapes are its own. Much of the text is digits,
 * hex and "key=" fragments that every line shares, and the healthy lines use
 * the same components, files, ports and backends as the signatures.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "sigset.h"

#define N_(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

static const char *const areas[] = {
	"ingress", "dns", "storage", "metrics", "queue", "cache", "mesh", "registry", "backup",
	"scheduler", "policy", "secrets", "logging", "gateway", "billing", "identity",
};
static const char *const roles[] = {
	"controller", "agent", "proxy", "operator", "syncer", "exporter", "webhook", "relay",
	"reaper", "indexer", "manager", "collector",
};
static const char *const go_msgs[] = {
	"failed to sync", "context deadline exceeded", "lease renewal failed", "watch channel closed",
	"backoff limit reached", "image pull failed", "readiness probe failed",
	"volume attach timed out", "certificate rotation failed", "leader election lost",
	"etcdserver: request timed out", "too many requests", "connection refused", "no route to host",
	"quota exceeded", "invalid memory address or nil pointer dereference",
};
static const char *const go_files[] = {
	"reflector", "kubelet_pods", "pod_workers", "controller_utils", "leaderelection", "cacher",
	"reconciler", "operation_generator", "endpoints_controller", "node_lifecycle_controller",
	"kuberuntime_manager", "csi_attacher", "garbagecollector", "replica_set", "scheduler",
};
static const char *const namespaces[] = {
	"default", "kube-system", "monitoring", "payments", "search", "staging", "prod-eu",
	"prod-us", "ci", "data", "edge", "internal",
};
static const char *const ifaces[] = { "eth0", "eth1", "ens3", "ens5", "bond0", "wg0", "br-lan" };
static const char *const perms[] = {
	"read", "write", "open", "execute", "name_connect", "name_bind", "getattr", "unlink",
	"create", "ioctl",
};
static const char *const comms[] = {
	"nginx", "httpd", "sshd", "postgres", "java", "python3", "node", "containerd-shim",
	"runc", "chronyd", "named", "dnsmasq", "crond", "rsyslogd", "sssd", "smbd", "vsftpd",
	"squid", "haproxy", "keepalived",
};
static const char *const se_types[] = {
	"shadow_t", "etc_t", "var_log_t", "httpd_sys_content_t", "user_home_t", "tmp_t",
	"postgresql_db_t", "container_file_t", "cert_t", "proc_t", "sysfs_t", "unreserved_port_t",
	"http_port_t", "ssh_port_t", "default_t",
};
static const char *const backends[] = {
	"api", "web", "static", "auth", "search", "upload", "ws", "admin", "grpc", "legacy",
};

static void
make_sig(struct bench_sig *s, struct bench_rng *r)
{
	char buf[256];
	uint32_t kind = bench_rng_below(r, 100);

	memset(s, 0, sizeof *s);
	s->caseless = bench_rng_below(r, 30) == 0;
	if (kind < 25) {
		bench_sig_lit(s, "level=error ");
		bench_sig_raw(s, ".*", ".*", "ts=1 ");
		snprintf(buf, sizeof buf, "msg=\"%s\"", BENCH_PICK(r, go_msgs));
		bench_sig_lit(s, buf);
		bench_sig_raw(s, ".*\\bcomponent=", ".*\\bcomponent=", " component=");
		snprintf(buf, sizeof buf, "%s-%s", BENCH_PICK(r, areas), BENCH_PICK(r, roles));
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "\\b", "\\b", "");
	} else if (kind < 45) {
		bench_sig_raw(s, "E\\d{4} [\\d:.]+ +\\d+ ", "E[0-9]{4} [0-9:.]+ +[0-9]+ ",
			      "E1123 08:00:00.000001    42 ");
		snprintf(buf, sizeof buf, "%s.go:", BENCH_PICK(r, go_files));
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "\\d+\\] ", "[0-9]+\\] ", "77] ");
		bench_sig_lit(s, BENCH_PICK(r, go_msgs));
		snprintf(buf, sizeof buf, "%s/%s-%s", BENCH_PICK(r, namespaces), BENCH_PICK(r, areas),
			 BENCH_PICK(r, roles));
		bench_sig_raw(s, ".* pod=\"", ".* pod=\"", " pod=\"");
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "-[a-z0-9]+\"", "-[a-z0-9]+\"", "-7f9c\"");
	} else if (kind < 60) {
		s->caseless = false;
		snprintf(buf, sizeof buf, "[UFW BLOCK] IN=%s ", BENCH_PICK(r, ifaces));
		bench_sig_lit(s, buf);
		snprintf(buf, sizeof buf, "SRC=%u.%u.", 10 + bench_rng_below(r, 200), bench_rng_below(r, 256));
		bench_sig_raw(s, ".*", ".*", "OUT= ");
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "\\d+\\.\\d+ .*PROTO=(?:TCP|UDP) .*DPT=", "[0-9]+\\.[0-9]+ .*PROTO=(TCP|UDP) .*DPT=",
			      "1.2 DST=10.0.0.1 PROTO=TCP SPT=4242 DPT=");
		snprintf(buf, sizeof buf, "%u", 1 + bench_rng_below(r, 65535));
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "\\b", "\\b", " WINDOW=1024");
	} else if (kind < 75) {
		bench_sig_raw(s, "type=AVC msg=audit\\([\\d.:]+\\): avc:  denied  \\{ ",
			      "type=AVC msg=audit\\([0-9.:]+\\): avc:  denied  \\{ ",
			      "type=AVC msg=audit(1700000000.123:42): avc:  denied  { ");
		bench_sig_lit(s, BENCH_PICK(r, perms));
		bench_sig_raw(s, " \\} for .*comm=\"", " \\} for .*comm=\"", " } for  pid=42 comm=\"");
		bench_sig_lit(s, BENCH_PICK(r, comms));
		bench_sig_raw(s, "\".*tcontext=system_u:object_r:", "\".*tcontext=system_u:object_r:",
			      "\" tcontext=system_u:object_r:");
		bench_sig_lit(s, BENCH_PICK(r, se_types));
	} else if (kind < 88) {
		s->caseless = false;
		snprintf(buf, sizeof buf, "fe_%s~? be_%s/%s", BENCH_PICK(r, areas), BENCH_PICK(r, backends),
			 BENCH_PICK(r, backends));
		bench_sig_raw(s, "haproxy\\[\\d+\\]: .* ", "haproxy\\[[0-9]+\\]: .* ",
			      "haproxy[42]: 10.0.0.1:4242 [23/Nov/2026:08:00:00.000] ");
		{
			/* "fe_X~? be_Y/Z": the ~ is optional (TLS frontends). */
			char *q = strchr(buf, '?');
			char lit[128];

			snprintf(lit, sizeof lit, "%.*s", (int)(q - buf - 1), buf);
			bench_sig_lit(s, lit);
			bench_sig_raw(s, "~?", "~?", "~");
			bench_sig_lit(s, q + 1);
		}
		bench_sig_raw(s, "\\d+ .* 5(?:02|03|04) \\d+ ", "[0-9]+ .* 5(02|03|04) [0-9]+ ",
			      "3 0/0/1/2/3 503 217 ");
	} else if (kind < 96) {
		snprintf(buf, sizeof buf, "panic: %s", BENCH_PICK(r, go_msgs));
		bench_sig_lit(s, buf);
		snprintf(buf, sizeof buf, " [recovered] in %s/%s.(*%s).", BENCH_PICK(r, areas),
			 BENCH_PICK(r, roles), BENCH_PICK(r, go_files));
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "\\w+", "[A-Za-z0-9_]+", "Run");
	} else if (kind < 98) {
		/* A request id and a slow duration: literal-free but for "ms". */
		bench_sig_raw(s, "\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b.* \\d{5,}ms\\b",
			      "\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b.* [0-9]{5,}ms\\b",
			      "req 0f8e2a1c-9b7d-4e3a-8c6f-5d4b3a291807 took 123456ms");
	} else {
		s->anchored = true;
		s->caseless = false;
		bench_sig_raw(s, "^[EF]\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} +\\d+ [a-z_]+\\.go:\\d+\\] [^ ]+ \\d{6,}$",
			      "^[EF][0-9]{4} [0-9][0-9]:[0-9][0-9]:[0-9][0-9]\\.[0-9]{6} +[0-9]+ [a-z_]+\\.go:[0-9]+\\] [^ ]+ [0-9]{6,}$",
			      "E1123 08:00:00.000001    42 main.go:1] code 1234567");
	}
}

static void
healthy_line(FILE *f, struct bench_rng *r, uint32_t n)
{
	uint32_t h = n / 36000 % 24, m = n / 600 % 60, sec = n / 10 % 60, kind = bench_rng_below(r, 100);

	if (kind < 25) {
		fprintf(f, "ts=2026-11-23T%02u:%02u:%02u.%06uZ level=%s caller=%s.go:%u msg=\"%s\" component=%s-%s namespace=%s duration=%u.%ums objects=%u\n",
			h, m, sec, bench_rng_below(r, 1000000), bench_rng_below(r, 6) ? "info" : "debug",
			BENCH_PICK(r, go_files), 20 + bench_rng_below(r, 800),
			bench_rng_below(r, 4) ? "reconciled object" : BENCH_PICK(r, go_msgs),
			BENCH_PICK(r, areas), BENCH_PICK(r, roles), BENCH_PICK(r, namespaces),
			bench_rng_below(r, 900), bench_rng_below(r, 10), bench_rng_below(r, 5000));
	} else if (kind < 45) {
		fprintf(f, "%c1123 %02u:%02u:%02u.%06u %6u %s.go:%u] \"%s\" pod=\"%s/%s-%s-%x\" attempt=%u\n",
			bench_rng_below(r, 8) ? 'I' : 'W', h, m, sec, bench_rng_below(r, 1000000),
			1000 + bench_rng_below(r, 9000), BENCH_PICK(r, go_files), 20 + bench_rng_below(r, 800),
			bench_rng_below(r, 3) ? "Synced" : BENCH_PICK(r, go_msgs), BENCH_PICK(r, namespaces),
			BENCH_PICK(r, areas), BENCH_PICK(r, roles), bench_rng_below(r, 0xFFFFF),
			bench_rng_below(r, 5));
	} else if (kind < 60) {
		fprintf(f, "Nov 23 %02u:%02u:%02u fw01 kernel: [%u.%06u] [UFW %s] IN=%s OUT= MAC=52:54:00:%02x:%02x:%02x SRC=%u.%u.%u.%u DST=10.0.%u.%u LEN=%u TOS=0x00 PREC=0x00 TTL=%u ID=%u PROTO=%s SPT=%u DPT=%u WINDOW=%u RES=0x00 SYN URGP=0\n",
			h, m, sec, n / 10, bench_rng_below(r, 1000000),
			bench_rng_below(r, 3) ? "BLOCK" : "ALLOW", BENCH_PICK(r, ifaces),
			bench_rng_below(r, 256), bench_rng_below(r, 256), bench_rng_below(r, 256),
			10 + bench_rng_below(r, 200), bench_rng_below(r, 256), bench_rng_below(r, 256),
			bench_rng_below(r, 256), bench_rng_below(r, 256), bench_rng_below(r, 256),
			40 + bench_rng_below(r, 1400), 30 + bench_rng_below(r, 100), bench_rng_below(r, 65535),
			bench_rng_below(r, 4) ? "TCP" : "UDP", 1024 + bench_rng_below(r, 64000),
			1 + bench_rng_below(r, 65535), bench_rng_below(r, 65535));
	} else if (kind < 75) {
		fprintf(f, "type=SYSCALL msg=audit(%u.%03u:%u): arch=c000003e syscall=%u success=yes exit=0 a0=%x a1=%x items=%u ppid=%u pid=%u auid=%u uid=0 gid=0 tty=(none) ses=%u comm=\"%s\" exe=\"/usr/sbin/%s\" subj=system_u:system_r:%s:s0 key=\"%s\"\n",
			1700000000 + n / 10, bench_rng_below(r, 1000), n, bench_rng_below(r, 300),
			bench_rng_below(r, 0xFFFFFF), bench_rng_below(r, 0xFFFFFF), bench_rng_below(r, 3),
			1 + bench_rng_below(r, 30000), 1 + bench_rng_below(r, 30000), 1000 + bench_rng_below(r, 10),
			bench_rng_below(r, 999), BENCH_PICK(r, comms), BENCH_PICK(r, comms),
			BENCH_PICK(r, se_types), BENCH_PICK(r, perms));
	} else if (kind < 96) {
		static const int status[] = { 200, 200, 200, 204, 301, 304, 401, 404, 200 };

		fprintf(f, "Nov 23 %02u:%02u:%02u lb1 haproxy[%u]: 203.0.113.%u:%u [23/Nov/2026:%02u:%02u:%02u.%03u] fe_%s~ be_%s/%s%u %u/%u/%u/%u/%u %d %u - - ---- %u/%u/%u/%u/0 0/0 \"GET /v%u/%s/%u HTTP/1.1\"\n",
			h, m, sec, 900 + bench_rng_below(r, 99), bench_rng_below(r, 256),
			1024 + bench_rng_below(r, 64000), h, m, sec, bench_rng_below(r, 1000),
			BENCH_PICK(r, areas), BENCH_PICK(r, backends), BENCH_PICK(r, backends),
			1 + bench_rng_below(r, 9), bench_rng_below(r, 3), bench_rng_below(r, 3),
			bench_rng_below(r, 5), bench_rng_below(r, 300), bench_rng_below(r, 400),
			BENCH_PICK(r, status), bench_rng_below(r, 90000), bench_rng_below(r, 900),
			bench_rng_below(r, 900), bench_rng_below(r, 90), bench_rng_below(r, 9),
			1 + bench_rng_below(r, 3), BENCH_PICK(r, backends), bench_rng_below(r, 100000));
	} else {
		fprintf(f, "%08x-%04x-%04x-%04x-%04x%08x %s request %s took %ums\n",
			bench_rng_below(r, 0xFFFFFFFFu), bench_rng_below(r, 0xFFFF), bench_rng_below(r, 0xFFFF),
			bench_rng_below(r, 0xFFFF), bench_rng_below(r, 0xFFFF), bench_rng_below(r, 0xFFFFFFFFu),
			BENCH_PICK(r, backends), bench_rng_below(r, 2) ? "GET" : "PUT", bench_rng_below(r, 9999));
	}
}

/* A syslog line from one of the nodes (the time is the same on every line). */
static void
error_line(FILE *f, struct bench_rng *r, uint32_t n, const char *sample)
{
	(void)n;
	fprintf(f, "Nov 23 08:00:00 node-%u %s\n", bench_rng_below(r, 40), sample);
}

int
bench_generate_ops(const char *dir, size_t corpus_bytes)
{
	static const struct bench_corpus ops = {
		.prefix = "ops", .seed = 0x0B5E4BA7u,
		.make_sig = make_sig, .healthy_line = healthy_line, .error_line = error_line,
	};

	return bench_corpus_write(dir, corpus_bytes, &ops);
}
