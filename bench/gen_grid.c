/*
 * gen_grid: the "grid" benchmark corpus (see bench/README.md): the logs of
 * distributed and HPC systems, of the kinds public log-analysis datasets
 * are made of. HDFS (DataNode, NameNode, DataXceiver; block ids), YARN and
 * Spark executors, HBase and ZooKeeper in log4j layouts; BlueGene/L RAS
 * records; OpenStack nova and neutron; Android logcat; containerd and
 * Kubernetes in logrus's text format; Windows servicing (CBS). Numeric and
 * hex ids everywhere (block ids, UUIDs, request, project and container ids),
 * deep Java class names, IPv6 addresses as often as IPv4, UTF-8 in paths
 * and application names. Signatures: a Java exception (class and message)
 * logged at ERROR by one logger, a block id family served to one subnet, a
 * nova or neutron error of one project with its request shape (the level
 * and logger caseless), a logcat tag at one level for one package, a RAS
 * fatal event kind on one rack, a sandbox failure in any of many
 * namespaces (an alternation), a servicing failure of one package with its
 * HRESULT, a ZooKeeper error from one subnet, API calls answered 5xx for
 * one project and path, Spark executors lost on one node for one reason, a
 * literal-free 64-digit container id after a common word, and anchored
 * shapes (a slow API call; a RAS fatal event with an alert tag).
 *
 * Its vocabulary (gen_grid_vocab.c) and line shapes (gen_grid_lines.c) are
 * its own; this file makes the signatures. The healthy lines use the same
 * words: the same exceptions logged at WARN or INFO, the same block ids
 * served to the cluster's own networks, the same errors at WARNING, other
 * levels of the same tags and packages, the same RAS events at INFO to
 * SEVERE (fatal ones on the service racks, without an alert tag), sandboxes
 * of the same namespaces started, servicing failures logged at Info, the
 * same ZooKeeper messages at WARN, 2xx and 4xx answers, executors removed
 * by the driver, tasks that exited 0, 1 or 143.
 *
 * The formats follow the programs' documentation and configuration: log4j
 * 1.2's PatternLayout as Hadoop's log4j.properties sets it ("%d{ISO8601} %p
 * %c: %m%n"), Spark's ("%d{yy/MM/dd HH:mm:ss} %p %c{2}: %m%n"), ZooKeeper's
 * ("%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n") and the older
 * HDFS one of public datasets ("yyMMdd HHmmss PID LEVEL CLASS: MSG");
 * oslo.log's logging_context_format_string ("%(asctime)s.%(msecs)03d
 * %(process)d %(levelname)s %(name)s [%(request_id)s %(user_identity)s]
 * %(instance)s%(message)s") and nova's wsgi access line; logcat's
 * threadtime format (the AOSP logcat documentation); logrus's
 * TextFormatter (time="..." level=... msg="..." key=value, quoted values
 * escaped); the BlueGene/L RAS record of the public dataset (alert tag or
 * "-", epoch, date, location, timestamp, location, RAS, facility,
 * severity, message); CBS.log ("DATE TIME, LEVEL   SOURCE   MSG").
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "gen_grid.h"

/* A logcat event of one tag naming a package: message head and tail around it. */
struct logcat_event {
	const char *tag, *head, *tail;
};
static const struct logcat_event logcat_events[] = {
	{ "AndroidRuntime", "Process: ", ", PID: 4242" },
	{ "ActivityManager", "ANR in ", "" },
	{ "ActivityManager", "Process ", " (pid 4242) has died: fg  TOP " },
	{ "ActivityTaskManager", "Force finishing activity ", "/.MainActivity" },
	{ "PackageManager", "Failed to parse /data/app/", "-1/base.apk" },
	{ "libc", "Fatal signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0 in tid 4250 (RenderThread), pid 4242 (", ")" },
	{ "InputDispatcher", "channel '", "/.MainActivity (server)' ~ Channel is unrecoverably broken and will be disposed!" },
	{ "WindowManager", "Exception thrown while dispatching app visibility for ", "" },
};
/* ZooKeeper: a class, and the head of its message before an address. */
struct zk_event {
	const char *cls, *re, *ere, *sample;
};
static const struct zk_event zk_events[] = {
	{ "QuorumCnxManager", "Cannot open channel to \\d+ at election address [^/ ]*/", "Cannot open channel to [0-9]+ at election address [^/ ]*/",
	  "Cannot open channel to 3 at election address zk3.grid.example/" },
	{ "NIOServerCnxnFactory", "Too many connections from /", "Too many connections from /", "Too many connections from /" },
	{ "Learner", "Unexpected exception, tries=\\d+, remaining init limit=\\d+, connecting to [^/ ]*/",
	  "Unexpected exception, tries=[0-9]+, remaining init limit=[0-9]+, connecting to [^/ ]*/",
	  "Unexpected exception, tries=2, remaining init limit=16997, connecting to zk1.grid.example/" },
	{ "ZooKeeperServer", "Connection request from old client /", "Connection request from old client /",
	  "Connection request from old client /" },
	{ "NettyServerCnxn", "Closing connection to /", "Closing connection to /", "Closing connection to /" },
};
/* Why Spark loses an executor (the reasons a YARN scheduler reports). */
static const char *const lost_reasons[] = {
	"Container killed by YARN for exceeding physical memory limits.",
	"Container marked as failed: container_e17_1764979200000_0042_01_000007 on host: ",
	"Container from a bad node: container_e17_1764979200000_0042_01_000003 on host: ",
	"Slave lost",
	"Container killed on request. Exit code is 137",
	"Unable to create executor due to Connection refused",
};
static const char *const cbs_verbs[] = { "resolve package", "stage package", "install package", "get next package", "initialize package" };

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

/* A subnet's text as an address begins with it. */
static void
subnet(char *out, size_t size, struct bench_rng *r)
{
	bench_subnet(out, size, r, &grid_nets);
}

/* The rest of an address of a subnet's sample (after its text). */
static const char *
addr_rest(const char *net)
{
	return strchr(net, ':') ? "7::21" : "21";
}

/* One signature (bench_corpus's make_sig), of the kinds above in their shares. */
static void
make_sig(struct bench_sig *s, struct bench_rng *r)
{
	char buf[400], net[48];
	uint32_t kind = bench_rng_below(r, 100);

	memset(s, 0, sizeof *s);
	s->caseless = bench_rng_below(r, 25) == 0;
	if (kind < 14) {
		/* A Java exception, class and message, logged at ERROR by one logger. */
		const struct grid_logger *l = &GRID_PICK(r, grid_loggers);
		const struct grid_exception *e = &GRID_PICK(r, grid_exceptions);

		snprintf(buf, sizeof buf, "ERROR %s: ", l->brief);
		bench_sig_lit(s, buf);
		bench_sig_raw(s, ".*\\b", ".*\\b", "Exception in receiveBlock for block blk_1073741913_1089 ");
		bench_sig_lit(s, e->cls);
		if (*e->re) {
			bench_sig_lit(s, ": ");
			bench_sig_raw(s, e->re, e->ere, e->text);
		}
	} else if (kind < 24) {
		/* A block id family served to one subnet (HDFS's older layout: signed 64-bit ids). */
		char family[8];

		s->caseless = false;
		snprintf(family, sizeof family, "%u", 1000 + bench_rng_below(r, 9000));
		bench_sig_raw(s, "WARN dfs\\.DataNode\\$DataXceiver: [0-9.]+:50010:Got exception while serving blk_-?",
			      "WARN dfs\\.DataNode\\$DataXceiver: [0-9.]+:50010:Got exception while serving blk_-?",
			      bench_rng_below(r, 2) ? "WARN dfs.DataNode$DataXceiver: 10.250.19.102:50010:Got exception while serving blk_-"
						    : "WARN dfs.DataNode$DataXceiver: 10.250.19.102:50010:Got exception while serving blk_");
		bench_sig_lit(s, family);
		bench_sig_raw(s, "\\d+ to /", "[0-9]+ to /", "04906413966 to /");
		subnet(net, sizeof net, r);
		bench_sig_lit(s, net);
		bench_sig_raw(s, "", "", addr_rest(net));
	} else if (kind < 36) {
		/* A nova or neutron error of one project with its request shape, level and logger caseless. */
		const struct grid_os_error *e = &GRID_PICK(r, grid_os_errors);
		const char *project = GRID_PICK(r, grid_projects);

		s->caseless = false;
		snprintf(buf, sizeof buf, "ERROR %s ", e->logger);
		sig_caseless(s, buf);
		bench_sig_raw(s, "\\[req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} [0-9a-f]{32} ",
			      "\\[req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} [0-9a-f]{32} ",
			      "[req-3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c7f 9b2e4d6f8a0c4e1b3d5f7a9c1e3b5d7f ");
		snprintf(buf, sizeof buf, "%s - - -] ", project);
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "(?:\\[instance: [0-9a-f-]{36}\\] )?", "(\\[instance: [0-9a-f-]{36}\\] )?",
			      bench_rng_below(r, 2) ? "[instance: 6c2f0e1a-4b8d-4f3e-9a7c-1e5d3b9f0a2c] " : "");
		bench_sig_raw(s, e->re, e->ere, e->text);
	} else if (kind < 44) {
		/* A logcat tag at one level (E or F) for one package, in threadtime's columns. */
		const struct logcat_event *ev = &BENCH_PICK(r, logcat_events);
		const char *pkg = GRID_PICK(r, grid_packages);
		char level = bench_rng_below(r, 4) ? 'E' : 'F';

		bench_sig_raw(s, "\\d+ +\\d+ ", "[0-9]+ +[0-9]+ ", " 1702  2395 ");
		snprintf(buf, sizeof buf, "%c %-8s: %s%s%s", level, ev->tag, ev->head, pkg, ev->tail);
		bench_sig_lit(s, buf);
	} else if (kind < 52) {
		/* A RAS fatal event kind on one rack (racks 0-63: 64-79 are the service racks). */
		const struct grid_ras_event *ev = &GRID_PICK(r, grid_ras);
		unsigned rack = bench_rng_below(r, 64);
		char loc[40];

		s->caseless = false;
		grid_bgl_location(loc, sizeof loc, r, rack);
		snprintf(buf, sizeof buf, "R%02u-M", rack);
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "[01]-N[0-9A-F]-C:J\\d\\d-U\\d\\d RAS ", "[01]-N[0-9A-F]-C:J[0-9][0-9]-U[0-9][0-9] RAS ", loc + 5);
		bench_sig_raw(s, "", "", " RAS ");
		snprintf(buf, sizeof buf, "%s FATAL %s", ev->facility, ev->msg);
		bench_sig_lit(s, buf);
	} else if (kind < 62) {
		/* A pod sandbox failing in any of many namespaces (an alternation), with one gRPC code. */
		unsigned k = 6 + bench_rng_below(r, 11), first = bench_rng_below(r, grid_namespaces_n);
		const char *code = GRID_PICK(r, grid_grpc_codes);

		s->caseless = false;
		bench_sig_raw(s, "level=error msg=\"RunPodSandbox for &PodSandboxMetadata\\{Name:[^,]*,Uid:[0-9a-f-]{36},",
			      "level=error msg=\"RunPodSandbox for &PodSandboxMetadata\\{Name:[^,]*,Uid:[0-9a-f-]{36},",
			      "level=error msg=\"RunPodSandbox for &PodSandboxMetadata{Name:etl-7d9f6c-x2kq,Uid:1f0e2d3c-4b5a-4978-8695-a4b3c2d1e0f9,");
		bench_sig_alt(s, "Namespace:", grid_namespaces, grid_namespaces_n, first, 3, k, "");
		bench_sig_raw(s, ",Attempt:\\d+,\\} failed, error\" error=\"rpc error: code = ",
			      ",Attempt:[0-9]+,\\} failed, error\" error=\"rpc error: code = ", ",Attempt:0,} failed, error\" error=\"rpc error: code = ");
		bench_sig_lit(s, code);
		bench_sig_lit(s, " desc = ");
	} else if (kind < 70) {
		/* A servicing failure of one package with its HRESULT. */
		const struct grid_hresult *h = &GRID_PICK(r, grid_hresults);

		bench_sig_raw(s, ", Error +CBS +Failed to ", ", Error +CBS +Failed to ", ", Error                 CBS    Failed to ");
		snprintf(buf, sizeof buf, "%s: %s ", BENCH_PICK(r, cbs_verbs), GRID_PICK(r, grid_cbs_packages));
		bench_sig_lit(s, buf);
		snprintf(buf, sizeof buf, "[HRESULT = %s - %s]", h->code, h->name);
		bench_sig_raw(s, ".*", ".*", "");
		bench_sig_lit(s, buf);
	} else if (kind < 78) {
		/* A ZooKeeper error of one class from one subnet. */
		const struct zk_event *ev = &BENCH_PICK(r, zk_events);

		s->caseless = false;
		bench_sig_raw(s, "- ERROR \\[.*:", "- ERROR \\[.*:", "- ERROR [QuorumConnectionThread-[myid=2]-3:");
		snprintf(buf, sizeof buf, "%s@", ev->cls);
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "\\d+\\] - ", "[0-9]+\\] - ", "400] - ");
		bench_sig_raw(s, ev->re, ev->ere, ev->sample);
		subnet(net, sizeof net, r);
		bench_sig_lit(s, net);
		bench_sig_raw(s, "", "", addr_rest(net));
	} else if (kind < 86) {
		/* API calls of one project to one path answered 5xx. */
		const char *project = GRID_PICK(r, grid_projects), *path = GRID_PICK(r, grid_os_paths);

		s->caseless = false;
		bench_sig_raw(s, "\"(?:GET|POST|PUT|DELETE) /v2(?:\\.1)?/", "\"(GET|POST|PUT|DELETE) /v2(\\.1)?/", "\"GET /v2.1/");
		snprintf(buf, sizeof buf, "%s/%s", project, path);
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "[^\"]* HTTP/1\\.1\" status: 5\\d\\d len: ", "[^\"]* HTTP/1\\.1\" status: 5[0-9][0-9] len: ",
			      " HTTP/1.1\" status: 503 len: ");
		bench_sig_digits(s, r, 9000);
	} else if (kind < 92) {
		/* Spark executors lost on one node for one reason. */
		const char *node = GRID_PICK(r, grid_nodes), *why = BENCH_PICK(r, lost_reasons);

		bench_sig_raw(s, "ERROR cluster\\.YarnScheduler: Lost executor \\d+ on ", "ERROR cluster\\.YarnScheduler: Lost executor [0-9]+ on ",
			      "ERROR cluster.YarnScheduler: Lost executor 7 on ");
		snprintf(buf, sizeof buf, "%s.grid.example: %s", node, why);
		bench_sig_lit(s, buf);
	} else if (kind < 96) {
		/* A 64-digit container id after a common word, no literal of its own but the exit status. */
		s->caseless = false;
		bench_sig_lit(s, "TaskExit event in podsandbox handler container_id:\\\"");
		bench_sig_hex(s, r, 64, 64, 64);
		bench_sig_lit(s, "\\\" id:\\\"");
		bench_sig_raw(s, "[0-9a-f]{64}", "[0-9a-f]{64}",
			      "4c1e9b0f3a7d2e6c8b5a4f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c");
		bench_sig_lit(s, "\\\" pid:");
		bench_sig_raw(s, "\\d+ exit_status:13[79] ", "[0-9]+ exit_status:13[79] ", "4242 exit_status:137 ");
	} else if (bench_rng_below(r, 2)) {
		/* No literal worth a key: an API call answered after 100 s or more. */
		s->anchored = true;
		s->caseless = false;
		bench_sig_raw(s, "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\d+ INFO nova\\.osapi_compute\\.wsgi\\.server \\[req-[0-9a-f-]{36} [0-9a-f]{32} [0-9a-f]{32} - - -\\] [0-9a-f.:]+ \"[A-Z]+ [^\"]+ HTTP/1\\.1\" status: \\d{3} len: \\d+ time: \\d{3,}\\.\\d{7}$",
			      "^[0-9]{4}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]\\.[0-9]{3} [0-9]+ INFO nova\\.osapi_compute\\.wsgi\\.server \\[req-[0-9a-f-]{36} [0-9a-f]{32} [0-9a-f]{32} - - -\\] [0-9a-f.:]+ \"[A-Z]+ [^\"]+ HTTP/1\\.1\" status: [0-9]{3} len: [0-9]+ time: [0-9]{3,}\\.[0-9]{7}$",
			      "2026-12-06 03:12:45.117 25746 INFO nova.osapi_compute.wsgi.server [req-0b7e3c1d-9f2a-4e6b-8d5c-3a1f7e9b2d4c 9b2e4d6f8a0c4e1b3d5f7a9c1e3b5d7f e9746973ac574c6b8a9e8857f56a7608 - - -] 2001:db8:1c2e::15 \"GET /v2.1/e9746973ac574c6b8a9e8857f56a7608/servers/detail HTTP/1.1\" status: 200 len: 18934 time: 127.4102215");
	} else {
		/* No literal worth a key: a RAS fatal kernel event that carries an alert tag. */
		s->anchored = true;
		s->caseless = false;
		bench_sig_raw(s, "^[A-Z]{4,9} \\d{10} \\d{4}\\.\\d\\d\\.\\d\\d R\\d\\d-M[01]-N[0-9A-F]-C:J\\d\\d-U\\d\\d \\d{4}-\\d\\d-\\d\\d-\\d\\d\\.\\d\\d\\.\\d\\d\\.\\d{6} R\\d\\d-M[01]-N[0-9A-F]-C:J\\d\\d-U\\d\\d RAS KERNEL FATAL ",
			      "^[A-Z]{4,9} [0-9]{10} [0-9]{4}\\.[0-9][0-9]\\.[0-9][0-9] R[0-9][0-9]-M[01]-N[0-9A-F]-C:J[0-9][0-9]-U[0-9][0-9] [0-9]{4}-[0-9][0-9]-[0-9][0-9]-[0-9][0-9]\\.[0-9][0-9]\\.[0-9][0-9]\\.[0-9]{6} R[0-9][0-9]-M[01]-N[0-9A-F]-C:J[0-9][0-9]-U[0-9][0-9] RAS KERNEL FATAL ",
			      "KERNDTLB 1796520193 2026.12.06 R71-M0-N9-C:J04-U11 2026-12-06-01.23.13.482106 R71-M0-N9-C:J04-U11 RAS KERNEL FATAL data TLB error interrupt");
	}
}

int
bench_generate_grid(const char *dir, size_t corpus_bytes)
{
	static const struct bench_corpus grid = {
		.prefix = "grid", .seed = 0x6121D0B5u,
		.make_sig = make_sig, .healthy_line = grid_healthy_line, .error_line = grid_error_line,
	};

	return bench_corpus_write(dir, corpus_bytes, &grid);
}
