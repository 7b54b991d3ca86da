/*
 * gen_grid_lines: the lines of the "grid" corpus (gen_grid.h): the healthy
 * lines of each log it models, in the formats gen_grid.c cites (HDFS in
 * the older dataset layout and in log4j's ISO 8601 one, Spark executors,
 * ZooKeeper, BlueGene/L RAS, OpenStack, Android logcat, containerd in
 * logrus's text format, CBS.log), and the container runtime's prefix in
 * front of an error line's sample.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "gen_grid.h"

static const char HEX[] = "0123456789abcdef";

/* An outside address: IPv4 or IPv6 equally often. */
static void
addr(char *out, size_t size, struct bench_rng *r)
{
	bench_addr(out, size, r, &grid_nets);
}

/* An address of the cluster's own networks (never in a signature's subnet). */
static void
site_addr(char *out, size_t size, struct bench_rng *r)
{
	if (bench_rng_below(r, 2))
		snprintf(out, size, "10.%u.%u.%u", 250 + bench_rng_below(r, 6), bench_rng_below(r, 256),
			 1 + bench_rng_below(r, 254));
	else
		snprintf(out, size, "fd00:5ca1:%x::%x", bench_rng_below(r, 0x100), 1 + bench_rng_below(r, 0xFFFF));
}

/* Any address: the cluster's own three times in four. */
static void
any_addr(char *out, size_t size, struct bench_rng *r)
{
	if (bench_rng_below(r, 4))
		site_addr(out, size, r);
	else
		addr(out, size, r);
}

/* A block id of HDFS's older layout: a signed 64-bit number. */
static void
old_block(char *out, size_t size, struct bench_rng *r)
{
	snprintf(out, size, "blk_%s%u%09u%06u", bench_rng_below(r, 2) ? "-" : "", 1000 + bench_rng_below(r, 9000),
		 bench_rng_below(r, 1000000000), bench_rng_below(r, 1000000));
}

/* HDFS as the public dataset has it: "yyMMdd HHmmss PID LEVEL CLASS: MSG". */
static void
healthy_hdfs_old(FILE *f, struct bench_rng *r, uint32_t n)
{
	uint32_t kind = bench_rng_below(r, 10);
	char blk[40], a[64], b[64];

	old_block(blk, sizeof blk, r);
	site_addr(a, sizeof a, r);
	fprintf(f, "261206 %02u%02u%02u %u ", n / 36000 % 24, n / 600 % 60, n / 10 % 60, 10 + bench_rng_below(r, 30000));
	switch (kind) {
	case 0:
	case 1:
		fprintf(f, "INFO dfs.DataNode$PacketResponder: PacketResponder %u for block %s terminating\n", bench_rng_below(r, 3),
			blk);
		break;
	case 2:
	case 3:
		any_addr(b, sizeof b, r);
		fprintf(f, "INFO dfs.DataNode$DataXceiver: Receiving block %s src: /%s:%u dest: /%s:50010\n", blk, b,
			30000 + bench_rng_below(r, 30000), a);
		break;
	case 4:
		fprintf(f, "INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap updated: %s:50010 is added to %s size %u\n",
			a, blk, bench_rng_below(r, 67108864));
		break;
	case 5:
		fprintf(f, "INFO dfs.FSNamesystem: BLOCK* NameSystem.allocateBlock: %s/_temporary/_task_202612060%03u_r_%06u_0/part-%05u. %s\n",
			GRID_PICK(r, grid_hdfs_paths), bench_rng_below(r, 1000), bench_rng_below(r, 1000), bench_rng_below(r, 100), blk);
		break;
	case 6:
		/* The signatures' words: a block served with an exception, to the cluster's own networks. */
		site_addr(b, sizeof b, r);
		fprintf(f, "WARN dfs.DataNode$DataXceiver: %s:50010:Got exception while serving %s to /%s:\n", a, blk, b);
		break;
	case 7:
		fprintf(f, "INFO dfs.DataNode$DataXceiver: %s:50010 Served block %s to /%s\n", a, blk, a);
		break;
	case 8:
		fprintf(f, "INFO dfs.DataNode: %s:50010 Starting thread to transfer block %s to %s:50010\n", a, blk, a);
		break;
	default:
		fprintf(f, "INFO dfs.DataBlockScanner: Verification succeeded for %s\n", blk);
		break;
	}
}

/* Hadoop, YARN and HBase in Hadoop's log4j layout ("%d{ISO8601} %p %c: %m"), with pool block ids. */
static void
healthy_hadoop(FILE *f, struct bench_rng *r, uint32_t n)
{
	uint32_t kind = bench_rng_below(r, 8);
	const struct grid_logger *l = &GRID_PICK(r, grid_loggers);
	unsigned id = 1073741825u + bench_rng_below(r, 9000000);
	char a[64];

	site_addr(a, sizeof a, r);
	fprintf(f, "2026-12-06 %02u:%02u:%02u,%03u ", n / 36000 % 24, n / 600 % 60, n / 10 % 60, bench_rng_below(r, 1000));
	if (kind < 2) {
		/* The signatures' exceptions, retried: at WARN, from the same loggers. */
		const struct grid_exception *e = &GRID_PICK(r, grid_exceptions);

		fprintf(f, "WARN %s: Exception for BP-1385532105-10.250.0.5-1764979200000:blk_%u_%u, retrying (%u/10): %s%s%s\n",
			l->full, id, 1001 + bench_rng_below(r, 90000), 1 + bench_rng_below(r, 9), e->cls, *e->text ? ": " : "",
			e->text);
	} else if (kind < 4) {
		fprintf(f, "INFO org.apache.hadoop.hdfs.server.datanode.DataNode.clienttrace: src: /%s:%u, dest: /%s:9866, bytes: %u, op: HDFS_%s, cliID: DFSClient_NONMAPREDUCE_%u_1, offset: 0, srvID: %s, blockid: BP-1385532105-10.250.0.5-1764979200000:blk_%u_%u, duration(ns): %u\n",
			a, 30000 + bench_rng_below(r, 30000), a, bench_rng_below(r, 134217728), bench_rng_below(r, 2) ? "READ" : "WRITE",
			bench_rng_below(r, 2000000000), "9c1e4f7a-2b3d-4e5f-8a6b-7c8d9e0f1a2b", id, 1001 + bench_rng_below(r, 90000),
			bench_rng_below(r, 900000000));
	} else if (kind < 5) {
		fprintf(f, "INFO org.apache.hadoop.hdfs.server.namenode.FSNamesystem: BLOCK* allocate blk_%u_%u, replicas=%s:9866, %s:9866 for %s/part-%05u\n",
			id, 1001 + bench_rng_below(r, 90000), a, a, GRID_PICK(r, grid_hdfs_paths), bench_rng_below(r, 2000));
	} else if (kind < 6) {
		fprintf(f, "INFO org.apache.hadoop.yarn.server.resourcemanager.rmcontainer.RMContainerImpl: container_e17_1764979200000_%04u_01_%06u Container Transitioned from %s\n",
			bench_rng_below(r, 9999), 1 + bench_rng_below(r, 400),
			bench_rng_below(r, 2) ? "ALLOCATED to ACQUIRED" : "RUNNING to COMPLETED");
	} else if (kind < 7) {
		fprintf(f, "INFO org.apache.hadoop.yarn.server.nodemanager.containermanager.monitor.ContainersMonitorImpl: Memory usage of ProcessTree %u for container-id container_e17_1764979200000_%04u_01_%06u: %u.%u MB of %u GB physical memory used; %u.%u GB of %u.%u GB virtual memory used\n",
			1000 + bench_rng_below(r, 90000), bench_rng_below(r, 9999), 1 + bench_rng_below(r, 400), bench_rng_below(r, 4000),
			bench_rng_below(r, 10), 1 + bench_rng_below(r, 8), bench_rng_below(r, 9), bench_rng_below(r, 10),
			2 + bench_rng_below(r, 18), bench_rng_below(r, 10));
	} else {
		fprintf(f, "INFO %s: %s /%s:%u after %u ms, session 0x%08x%08x\n", l->full,
			bench_rng_below(r, 2) ? "Connected to" : "Closed connection to", a, 8020 + bench_rng_below(r, 2),
			bench_rng_below(r, 3000), bench_rng_below(r, 0xFFFFFFFFu), bench_rng_below(r, 0xFFFFFFFFu));
	}
}

/* Spark on YARN: "%d{yy/MM/dd HH:mm:ss} %p %c{2}: %m". */
static void
healthy_spark(FILE *f, struct bench_rng *r, uint32_t n)
{
	uint32_t kind = bench_rng_below(r, 10);
	const struct grid_logger *l = &GRID_PICK(r, grid_loggers);
	const char *node = GRID_PICK(r, grid_nodes);

	fprintf(f, "26/12/06 %02u:%02u:%02u ", n / 36000 % 24, n / 600 % 60, n / 10 % 60);
	if (kind < 3) {
		fprintf(f, "INFO executor.Executor: Finished task %u.0 in stage %u.0 (TID %u). %u bytes result sent to driver\n",
			bench_rng_below(r, 400), bench_rng_below(r, 60), bench_rng_below(r, 90000), 1000 + bench_rng_below(r, 9000));
	} else if (kind < 5) {
		fprintf(f, "INFO storage.BlockManager: Found block rdd_%u_%u locally\n", bench_rng_below(r, 90), bench_rng_below(r, 400));
	} else if (kind < 6) {
		fprintf(f, "INFO executor.CoarseGrainedExecutorBackend: Got assigned task %u\n", bench_rng_below(r, 90000));
	} else if (kind < 7) {
		/* The signatures' exceptions at WARN, from the same loggers. */
		const struct grid_exception *e = &GRID_PICK(r, grid_exceptions);

		fprintf(f, "WARN %s: Error while fetching shuffle_%u_%u_%u from %s.grid.example:7337, retrying: %s%s%s\n", l->brief,
			bench_rng_below(r, 40), bench_rng_below(r, 4000), bench_rng_below(r, 400), node, e->cls, *e->text ? ": " : "",
			e->text);
	} else if (kind < 8) {
		fprintf(f, "INFO cluster.YarnScheduler: Executor %u on %s.grid.example killed by driver.\n", 1 + bench_rng_below(r, 200),
			node);
	} else if (kind < 9) {
		fprintf(f, "WARN scheduler.TaskSetManager: Lost task %u.0 in stage %u.0 (TID %u) (%s.grid.example executor %u): ExecutorLostFailure (executor %u exited caused by one of the running tasks) Reason: Container killed by YARN for exceeding physical memory limits.\n",
			bench_rng_below(r, 400), bench_rng_below(r, 60), bench_rng_below(r, 90000), node, 1 + bench_rng_below(r, 200),
			1 + bench_rng_below(r, 200));
	} else {
		fprintf(f, "INFO memory.MemoryStore: Block broadcast_%u_piece0 stored as bytes in memory (estimated size %u.%u KiB, free %u.%u MiB) [%s]\n",
			bench_rng_below(r, 300), bench_rng_below(r, 90), bench_rng_below(r, 10), 300 + bench_rng_below(r, 9000),
			bench_rng_below(r, 10), GRID_PICK(r, grid_apps));
	}
}

/* ZooKeeper: "%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m". */
static void
healthy_zk(FILE *f, struct bench_rng *r, uint32_t n)
{
	uint32_t kind = bench_rng_below(r, 8);
	unsigned myid = 1 + bench_rng_below(r, 5);
	char a[64];

	site_addr(a, sizeof a, r);
	fprintf(f, "2026-12-06 %02u:%02u:%02u,%03u [myid:%u] - ", n / 36000 % 24, n / 600 % 60, n / 10 % 60,
		bench_rng_below(r, 1000), myid);
	switch (kind) {
	case 0:
		fprintf(f, "INFO  [QuorumPeer[myid=%u](plain=[0:0:0:0:0:0:0:0]:2181)(secure=disabled):FastLeaderElection@%u] - Notification time out: %u\n",
			myid, 700 + bench_rng_below(r, 300), 200 << bench_rng_below(r, 8));
		break;
	case 1:
		fprintf(f, "INFO  [NIOWorkerThread-%u:ZooKeeperServer@%u] - Session establishment complete, sessionid = 0x%x%08x, negotiated timeout = %u\n",
			1 + bench_rng_below(r, 16), 1000 + bench_rng_below(r, 500), 0x100 + bench_rng_below(r, 0xF00),
			bench_rng_below(r, 0xFFFFFFFFu), 4000 * (1 + bench_rng_below(r, 10)));
		break;
	case 2:
	case 3: {
		/* The signatures' messages at WARN, and from anywhere. */
		static const char *const cls[] = { "QuorumCnxManager", "NIOServerCnxnFactory", "Learner", "ZooKeeperServer", "NettyServerCnxn" };
		unsigned c = bench_rng_below(r, 5);

		if (bench_rng_below(r, 2))
			addr(a, sizeof a, r);
		fprintf(f, "WARN  [QuorumConnectionThread-[myid=%u]-%u:%s@%u] - ", myid, bench_rng_below(r, 9), cls[c],
			300 + bench_rng_below(r, 900));
		if (c == 0)
			fprintf(f, "Cannot open channel to %u at election address zk%u.grid.example/%s:3888\n", 1 + bench_rng_below(r, 5),
				1 + bench_rng_below(r, 5), a);
		else if (c == 1)
			fprintf(f, "Too many connections from /%s - max is 60\n", a);
		else if (c == 2)
			fprintf(f, "Unexpected exception, tries=%u, remaining init limit=%u, connecting to zk%u.grid.example/%s:2888\n",
				bench_rng_below(r, 5), bench_rng_below(r, 20000), 1 + bench_rng_below(r, 5), a);
		else if (c == 3)
			fprintf(f, "Connection request from old client /%s:%u; will be dropped if server is in r-o mode\n", a,
				1024 + bench_rng_below(r, 60000));
		else
			fprintf(f, "Closing connection to /%s:%u\n", a, 1024 + bench_rng_below(r, 60000));
		break;
	}
	case 4:
		fprintf(f, "INFO  [SyncThread:%u:FileTxnLog@%u] - Creating new log file: log.%x%08x\n", myid, 200 + bench_rng_below(r, 100),
			bench_rng_below(r, 0x100), bench_rng_below(r, 0xFFFFFFFFu));
		break;
	case 5:
		fprintf(f, "INFO  [ProcessThread(sid:%u cport:-1)::PrepRequestProcessor@%u] - Got user-level KeeperException when processing sessionid:0x%x%08x type:create cxid:0x%x zxid:0x%x%08x txntype:-1 reqpath:n/a Error Path:%s Error:KeeperErrorCode = NodeExists for %s\n",
			myid, 800 + bench_rng_below(r, 200), 0x100 + bench_rng_below(r, 0xF00), bench_rng_below(r, 0xFFFFFFFFu),
			bench_rng_below(r, 0x10000), bench_rng_below(r, 0x100), bench_rng_below(r, 0xFFFFFFFFu),
			GRID_PICK(r, grid_zk_paths), GRID_PICK(r, grid_zk_paths));
		break;
	case 6:
		fprintf(f, "ERROR [LearnerHandler-/%s:%u:LearnerHandler@%u] - Unexpected exception causing shutdown while sock still open\n",
			a, 1024 + bench_rng_below(r, 60000), 600 + bench_rng_below(r, 100));
		break;
	default:
		fprintf(f, "INFO  [NIOServerCxnFactory.AcceptThread:0.0.0.0/0.0.0.0:2181:NIOServerCnxnFactory$AcceptThread@%u] - Accepted socket connection from /%s:%u\n",
			200 + bench_rng_below(r, 100), a, 1024 + bench_rng_below(r, 60000));
		break;
	}
}

/* BlueGene/L RAS: "- EPOCH DATE LOCATION TIMESTAMP LOCATION RAS FACILITY SEVERITY MSG". */
static void
healthy_bgl(FILE *f, struct bench_rng *r, uint32_t n)
{
	static const char *const severities[] = { "INFO", "INFO", "INFO", "INFO", "WARNING", "SEVERE", "ERROR" };
	const struct grid_ras_event *ev = &GRID_PICK(r, grid_ras);
	uint32_t t = GRID_EPOCH + n / 10;
	unsigned rack = bench_rng_below(r, 80);
	const char *sev = BENCH_PICK(r, severities);
	char loc[40];

	/* Fatal events without an alert tag: the service racks (64-79) only. */
	if (bench_rng_below(r, 8) == 0) {
		rack = 64 + bench_rng_below(r, 16);
		sev = "FATAL";
	}
	grid_bgl_location(loc, sizeof loc, r, rack);
	fprintf(f, "- %u 2026.12.06 %s 2026-12-06-%02u.%02u.%02u.%06u %s RAS %s %s ", t, loc, n / 36000 % 24, n / 600 % 60,
		n / 10 % 60, bench_rng_below(r, 1000000), loc, ev->facility, sev);
	if (bench_rng_below(r, 3) == 0)
		fprintf(f, "%u double-hummer alignment exceptions\n", 1 + bench_rng_below(r, 9000));
	else if (bench_rng_below(r, 2))
		fprintf(f, "%s\n", ev->msg);
	else
		fprintf(f, "generating core.%u\n", bench_rng_below(r, 9000));
}

/* oslo.log's context format; nova's API access line. */
static void
healthy_openstack(FILE *f, struct bench_rng *r, uint32_t n)
{
	static const unsigned statuses[] = { 200, 200, 200, 200, 202, 204, 404, 409, 400, 403 };
	uint32_t kind = bench_rng_below(r, 10);
	char req[40], user[40], inst[40], a[64];

	grid_uuid(req, sizeof req, r);
	grid_rand_chars(user, 32, HEX, r);
	fprintf(f, "2026-12-06 %02u:%02u:%02u.%03u %u ", n / 36000 % 24, n / 600 % 60, n / 10 % 60, bench_rng_below(r, 1000),
		2000 + bench_rng_below(r, 60000));
	if (kind < 5) {
		addr(a, sizeof a, r);
		fprintf(f, "INFO nova.osapi_compute.wsgi.server [req-%s %s %s - - -] %s \"%s /v2%s/%s/%s HTTP/1.1\" status: %u len: %u time: %u.%07u\n",
			req, user, GRID_PICK(r, grid_projects), a, bench_rng_below(r, 4) ? "GET" : "POST",
			bench_rng_below(r, 2) ? ".1" : "", GRID_PICK(r, grid_projects), GRID_PICK(r, grid_os_paths),
			BENCH_PICK(r, statuses), 200 + bench_rng_below(r, 90000), bench_rng_below(r, 20) ? 0 : bench_rng_below(r, 100),
			bench_rng_below(r, 10000000));
	} else if (kind < 7) {
		/* The signatures' errors, at WARNING. */
		const struct grid_os_error *e = &GRID_PICK(r, grid_os_errors);

		grid_uuid(inst, sizeof inst, r);
		fprintf(f, "WARNING %s [req-%s %s %s - - -] [instance: %s] %s\n", e->logger, req, user, GRID_PICK(r, grid_projects),
			inst, e->text);
	} else if (kind < 8) {
		grid_uuid(inst, sizeof inst, r);
		fprintf(f, "INFO nova.compute.manager [req-%s %s %s - - -] [instance: %s] Took %u.%02u seconds to spawn the instance on the hypervisor.\n",
			req, user, GRID_PICK(r, grid_projects), inst, bench_rng_below(r, 90), bench_rng_below(r, 100));
	} else if (kind < 9) {
		grid_uuid(inst, sizeof inst, r);
		fprintf(f, "INFO neutron.agent.securitygroups_rpc [req-%s - - - - -] Security group member updated ['%s']\n", req, inst);
	} else {
		grid_rand_chars(inst, 32, HEX, r);
		fprintf(f, "ERROR oslo_messaging.rpc.server [req-%s %s %s - - -] Exception during message handling: oslo_messaging.exceptions.MessagingTimeout: Timed out waiting for a reply to message ID %s\n",
			req, user, GRID_PICK(r, grid_projects), inst);
	}
}

/* Android logcat, threadtime: "MM-DD HH:MM:SS.mmm PID TID LEVEL TAG: MSG" (the tag padded to 8). */
static void
healthy_logcat(FILE *f, struct bench_rng *r, uint32_t n)
{
	static const char levels[] = "VDIIIWW";
	uint32_t kind = bench_rng_below(r, 8);
	unsigned pid = 300 + bench_rng_below(r, 30000);
	const char *pkg = GRID_PICK(r, grid_packages);
	char level = levels[bench_rng_below(r, 7)];

	fprintf(f, "12-06 %02u:%02u:%02u.%03u %5u %5u ", n / 36000 % 24, n / 600 % 60, n / 10 % 60, bench_rng_below(r, 1000), pid,
		pid + bench_rng_below(r, 300));
	switch (kind) {
	case 0:
		/* The signatures' tags and packages at lower levels. */
		fprintf(f, "%c %-8s: %s %s (pid %u) has died: %s\n", level, "ActivityManager", "Process", pkg, pid,
			bench_rng_below(r, 2) ? "cch+5 CEM " : "fg  TOP ");
		break;
	case 1:
		fprintf(f, "W %-8s: ANR in %s\n", "ActivityManager", pkg);
		break;
	case 2:
		fprintf(f, "I %-8s: Displayed %s/.MainActivity: +%ums\n", "ActivityTaskManager", pkg, 100 + bench_rng_below(r, 3000));
		break;
	case 3:
		fprintf(f, "D %-8s: Relayout Window{%x u0 %s/%s.MainActivity}: viewVisibility=0 req=1080x2400 d0\n",
			"WindowManager", bench_rng_below(r, 0xFFFFFFFu), pkg, pkg);
		break;
	case 4:
		fprintf(f, "E %-8s: Failed to query component interface for required system resources: 6\n", "PowerManagerService");
		break;
	case 5:
		fprintf(f, "I %-8s: uid=%u(u0_a%u) %s identical %u lines\n", "chatty", 10000 + bench_rng_below(r, 300),
			bench_rng_below(r, 300), pkg, 1 + bench_rng_below(r, 40));
		break;
	case 6:
		fprintf(f, "%c %-8s: channel '%x %s/.MainActivity (server)' ~ Consumer closed input channel or an error occurred.  events=0x9\n",
			level, "InputDispatcher", bench_rng_below(r, 0xFFFFFFFu), pkg);
		break;
	default:
		fprintf(f, "%c %-8s: %s: Unable to resolve host \"api.%s.example\": No address associated with hostname \xe2\x80\x94 \xd0\xbf\xd0\xbe\xd0\xb2\xd1\x82\xd0\xbe\xd1\x80\n",
			level, "ConnectivityService", pkg, bench_rng_below(r, 2) ? "fieldlog" : "m\xC3\xBCnchen");
		break;
	}
}

/* containerd and the kubelet in logrus's text format. */
static void
healthy_containerd(FILE *f, struct bench_rng *r, uint32_t n)
{
	static const char *const exits[] = { "0", "0", "0", "1", "143", "2" };
	uint32_t kind = bench_rng_below(r, 8);
	char id[72], id2[72], uid[40];
	const char *ns = GRID_PICK(r, grid_namespaces);

	grid_rand_chars(id, 64, HEX, r);
	grid_uuid(uid, sizeof uid, r);
	fprintf(f, "time=\"2026-12-06T%02u:%02u:%02u.%09uZ\" ", n / 36000 % 24, n / 600 % 60, n / 10 % 60,
		bench_rng_below(r, 1000000000));
	if (kind < 2) {
		fprintf(f, "level=info msg=\"RunPodSandbox for &PodSandboxMetadata{Name:%s-%x-%c%c%c%c,Uid:%s,Namespace:%s,Attempt:%u,} returns sandbox id \\\"%s\\\"\"\n",
			ns, bench_rng_below(r, 0xFFFFFF), 'a' + (char)bench_rng_below(r, 26), 'a' + (char)bench_rng_below(r, 26),
			'0' + (char)bench_rng_below(r, 10), 'a' + (char)bench_rng_below(r, 26), uid, ns, bench_rng_below(r, 3), id);
	} else if (kind < 4) {
		grid_rand_chars(id2, 64, HEX, r);
		fprintf(f, "level=info msg=\"TaskExit event in podsandbox handler container_id:\\\"%s\\\" id:\\\"%s\\\" pid:%u exit_status:%s exited_at:{seconds:%u nanos:%u}\"\n",
			id, id2, 1000 + bench_rng_below(r, 4000000), BENCH_PICK(r, exits), GRID_EPOCH + n / 10, bench_rng_below(r, 1000000000));
	} else if (kind < 5) {
		fprintf(f, "level=error msg=\"PullImage \\\"%s\\\" failed\" error=\"rpc error: code = %s desc = failed to pull and unpack image \\\"%s\\\": failed to resolve reference: unexpected status from HEAD request: 429 Too Many Requests\"\n",
			GRID_PICK(r, grid_images), GRID_PICK(r, grid_grpc_codes), GRID_PICK(r, grid_images));
	} else if (kind < 6) {
		fprintf(f, "level=info msg=\"StartContainer for \\\"%s\\\" returns successfully\"\n", id);
	} else if (kind < 7) {
		fprintf(f, "level=error msg=\"StopPodSandbox for \\\"%s\\\" failed\" error=\"rpc error: code = %s desc = failed to destroy network for sandbox \\\"%s\\\": plugin type=\\\"calico\\\" failed (delete): pod %s/%s not found\"\n",
			id, GRID_PICK(r, grid_grpc_codes), id, ns, uid);
	} else {
		fprintf(f, "level=warning msg=\"cleaning up after shim disconnected\" id=%s namespace=k8s.io\n", id);
	}
}

/* CBS.log: "YYYY-MM-DD HH:MM:SS, LEVEL                 SOURCE MSG". */
static void
healthy_cbs(FILE *f, struct bench_rng *r, uint32_t n)
{
	uint32_t kind = bench_rng_below(r, 6);
	static const char *const verbs[] = { "resolve package", "stage package", "install package", "get next package", "initialize package" };

	fprintf(f, "2026-12-06 %02u:%02u:%02u, ", n / 36000 % 24, n / 600 % 60, n / 10 % 60);
	if (kind < 2) {
		/* The signatures' failures, logged at Info as CBS does for the ones it recovers from. */
		const struct grid_hresult *h = &GRID_PICK(r, grid_hresults);

		fprintf(f, "Info                  CBS    Failed to %s: %s [HRESULT = %s - %s]\n", BENCH_PICK(r, verbs),
			GRID_PICK(r, grid_cbs_packages), h->code, h->name);
	} else if (kind < 3) {
		fprintf(f, "Info                  CBS    Loaded Servicing Stack v6.1.7601.%u with Core: C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_6.1.7601.%u_none_%08x%08x\\cbscore.dll\n",
			23000 + bench_rng_below(r, 900), 23000 + bench_rng_below(r, 900), bench_rng_below(r, 0xFFFFFFFFu),
			bench_rng_below(r, 0xFFFFFFFFu));
	} else if (kind < 4) {
		fprintf(f, "Info                  CSI    %08x@2026/12/6:%02u:%02u:%02u.%03u WcpInitialize (wcp.dll version 0.0.0.6) called (stack @0x7fef%07x @0x7fef%07x)\n",
			bench_rng_below(r, 0x1000), n / 36000 % 24, n / 600 % 60, n / 10 % 60, bench_rng_below(r, 1000),
			bench_rng_below(r, 0xFFFFFFF), bench_rng_below(r, 0xFFFFFFF));
	} else if (kind < 5) {
		fprintf(f, "Info                  CBS    Read out cached package applicability for package: %s, ApplicableState: %u, CurrentState:%u\n",
			GRID_PICK(r, grid_cbs_packages), 80 + bench_rng_below(r, 40), bench_rng_below(r, 2) ? 112 : 0);
	} else {
		fprintf(f, "Info                  CBS    Session: 30%06u_%u initialized by client WindowsUpdateAgent, external staging directory: (null)\n",
			bench_rng_below(r, 1000000), bench_rng_below(r, 4000000000u));
	}
}

void
grid_healthy_line(FILE *f, struct bench_rng *r, uint32_t n)
{
	uint32_t kind = bench_rng_below(r, 100);

	if (kind < 14)
		healthy_hdfs_old(f, r, n);
	else if (kind < 24)
		healthy_hadoop(f, r, n);
	else if (kind < 36)
		healthy_spark(f, r, n);
	else if (kind < 44)
		healthy_zk(f, r, n);
	else if (kind < 56)
		healthy_bgl(f, r, n);
	else if (kind < 70)
		healthy_openstack(f, r, n);
	else if (kind < 82)
		healthy_logcat(f, r, n);
	else if (kind < 94)
		healthy_containerd(f, r, n);
	else
		healthy_cbs(f, r, n);
}

/* An error line: the sample behind the CRI log prefix a node's container runtime writes. */
void
grid_error_line(FILE *f, struct bench_rng *r, uint32_t n, const char *sample)
{
	fprintf(f, "2026-12-06T%02u:%02u:%02u.%09uZ %s F %s\n", n / 36000 % 24, n / 600 % 60, n / 10 % 60,
		bench_rng_below(r, 1000000000), bench_rng_below(r, 3) ? "stderr" : "stdout", sample);
}
