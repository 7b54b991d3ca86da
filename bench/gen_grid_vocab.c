/*
 * gen_grid_vocab: the words of the "grid" corpus (gen_grid.h; gen_grid.c
 * says what the corpus models): the exceptions and loggers of Hadoop, YARN,
 * Spark and ZooKeeper, OpenStack's loggers and errors, Android's tags and
 * packages, the namespaces and images of a Kubernetes cluster, BlueGene/L
 * RAS events, Windows servicing failures, and the cluster's networks.
 * Nothing here draws from a generator but the helpers at the end.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "gen_grid.h"

/* Exceptions the JVM services throw: class, message pattern (PCRE2, ERE), a message. */
const struct grid_exception grid_exceptions[] = {
	{ "java.io.IOException", "Connection reset by peer", "Connection reset by peer", "Connection reset by peer" },
	{ "java.net.SocketTimeoutException", "\\d+ millis timeout while waiting for channel to be ready for read\\. ch : java\\.nio\\.channels\\.SocketChannel\\[connected",
	  "[0-9]+ millis timeout while waiting for channel to be ready for read\\. ch : java\\.nio\\.channels\\.SocketChannel\\[connected",
	  "60000 millis timeout while waiting for channel to be ready for read. ch : java.nio.channels.SocketChannel[connected local=/10.250.4.7:50010 remote=/10.250.9.12:41872]" },
	{ "org.apache.hadoop.hdfs.server.datanode.ReplicaNotFoundException", "Replica not found for BP-\\d+-[^:]+:blk_\\d+_\\d+",
	  "Replica not found for BP-[0-9]+-[^:]+:blk_[0-9]+_[0-9]+", "Replica not found for BP-1385532105-10.250.0.5-1764979200000:blk_1073741913_1089" },
	{ "java.io.EOFException", "Premature EOF: no length prefix available", "Premature EOF: no length prefix available",
	  "Premature EOF: no length prefix available" },
	{ "org.apache.hadoop.hdfs.server.namenode.LeaseExpiredException", "No lease on /[^ ]+ \\(inode \\d+\\)", "No lease on /[^ ]+ \\(inode [0-9]+\\)",
	  "No lease on /user/etl/staging/part-00017 (inode 16734)" },
	{ "java.lang.OutOfMemoryError", "Java heap space", "Java heap space", "Java heap space" },
	{ "java.lang.OutOfMemoryError", "GC overhead limit exceeded", "GC overhead limit exceeded", "GC overhead limit exceeded" },
	{ "org.apache.zookeeper.KeeperException$SessionExpiredException", "KeeperErrorCode = Session expired for /[^ ]*",
	  "KeeperErrorCode = Session expired for /[^ ]*", "KeeperErrorCode = Session expired for /hbase/rs" },
	{ "org.apache.zookeeper.KeeperException$ConnectionLossException", "KeeperErrorCode = ConnectionLoss for /[^ ]*",
	  "KeeperErrorCode = ConnectionLoss for /[^ ]*", "KeeperErrorCode = ConnectionLoss for /yarn-leader-election" },
	{ "org.apache.spark.shuffle.FetchFailedException", "Failed to connect to [^ ]+:\\d+", "Failed to connect to [^ ]+:[0-9]+",
	  "Failed to connect to c07-n12.grid.example:7337" },
	{ "java.util.concurrent.TimeoutException", "Futures timed out after \\[\\d+ seconds\\]", "Futures timed out after \\[[0-9]+ seconds\\]",
	  "Futures timed out after [120 seconds]" },
	{ "org.apache.hadoop.ipc.RemoteException", "Operation category (?:READ|WRITE) is not supported in state standby",
	  "Operation category (READ|WRITE) is not supported in state standby", "Operation category WRITE is not supported in state standby" },
	{ "java.nio.channels.ClosedChannelException", "", "", "" },
	{ "org.apache.hadoop.yarn.exceptions.InvalidResourceRequestException", "Invalid resource request, requested memory < 0, or requested memory > max configured",
	  "Invalid resource request, requested memory < 0, or requested memory > max configured",
	  "Invalid resource request, requested memory < 0, or requested memory > max configured" },
	{ "java.net.ConnectException", "Connection refused", "Connection refused", "Connection refused" },
	{ "org.apache.hadoop.hdfs.protocol.DSQuotaExceededException", "The DiskSpace quota of /[^ ]+ is exceeded",
	  "The DiskSpace quota of /[^ ]+ is exceeded", "The DiskSpace quota of /user/m\xC3\xBCller is exceeded" },
};
const uint32_t grid_exceptions_n = BENCH_COUNT(grid_exceptions);
/* Loggers: the full class name and log4j's %c{2} of it. */
const struct grid_logger grid_loggers[] = {
	{ "org.apache.hadoop.hdfs.server.datanode.DataNode", "datanode.DataNode" },
	{ "org.apache.hadoop.hdfs.server.datanode.DataXceiver", "datanode.DataXceiver" },
	{ "org.apache.hadoop.hdfs.server.datanode.BlockReceiver", "datanode.BlockReceiver" },
	{ "org.apache.hadoop.hdfs.server.namenode.FSNamesystem", "namenode.FSNamesystem" },
	{ "org.apache.hadoop.hdfs.DFSClient", "hdfs.DFSClient" },
	{ "org.apache.hadoop.yarn.server.nodemanager.containermanager.launcher.ContainerLaunch", "launcher.ContainerLaunch" },
	{ "org.apache.hadoop.yarn.server.resourcemanager.scheduler.capacity.CapacityScheduler", "capacity.CapacityScheduler" },
	{ "org.apache.spark.executor.CoarseGrainedExecutorBackend", "executor.CoarseGrainedExecutorBackend" },
	{ "org.apache.spark.executor.Executor", "executor.Executor" },
	{ "org.apache.spark.scheduler.TaskSetManager", "scheduler.TaskSetManager" },
	{ "org.apache.spark.scheduler.DAGScheduler", "scheduler.DAGScheduler" },
	{ "org.apache.spark.storage.BlockManager", "storage.BlockManager" },
	{ "org.apache.spark.network.shuffle.RetryingBlockFetcher", "shuffle.RetryingBlockFetcher" },
	{ "org.apache.zookeeper.ClientCnxn", "zookeeper.ClientCnxn" },
	{ "org.apache.hadoop.hbase.regionserver.HRegionServer", "regionserver.HRegionServer" },
	{ "org.apache.hadoop.ipc.Client", "ipc.Client" },
};
const uint32_t grid_loggers_n = BENCH_COUNT(grid_loggers);
const char *const grid_hdfs_paths[] = {
	"/user/etl/staging", "/user/spark/eventlog", "/tmp/hadoop-yarn/staging", "/hbase/data/default/events",
	"/warehouse/tablespace/managed/hive/orders", "/user/m\xC3\xBCller/notebooks", "/app-logs/yarn/logs",
	"/data/raw/telemetry/2026/12/06", "/user/\xE7\x8E\x8B\xE4\xBC\x9F/models",
};
const uint32_t grid_hdfs_paths_n = BENCH_COUNT(grid_hdfs_paths);
const char *const grid_zk_paths[] = {
	"/hbase/rs", "/hbase/master", "/yarn-leader-election", "/kafka/brokers/ids", "/hadoop-ha/grid1/ActiveStandbyElectorLock",
	"/storm/supervisors", "/solr/live_nodes", "/consumers",
};
const uint32_t grid_zk_paths_n = BENCH_COUNT(grid_zk_paths);
/* Spark and YARN application names. */
const char *const grid_apps[] = {
	"etl-nightly", "sessionize", "feature-store", "clickstream-agg", "fraud-scoring", "hive-on-tez", "reindex",
	"m\xC3\xA9t\xC3\xA9o-ingest",
};
const uint32_t grid_apps_n = BENCH_COUNT(grid_apps);
/* OpenStack: a logger and an error it writes. */
const struct grid_os_error grid_os_errors[] = {
	{ "nova.compute.manager", "Instance failed to spawn", "Instance failed to spawn", "Instance failed to spawn" },
	{ "nova.compute.manager", "Failed to allocate network\\(s\\)", "Failed to allocate network\\(s\\)", "Failed to allocate network(s)" },
	{ "nova.conductor.manager", "Failed to schedule instances: No valid host was found\\. There are not enough hosts available\\.",
	  "Failed to schedule instances: No valid host was found\\. There are not enough hosts available\\.",
	  "Failed to schedule instances: No valid host was found. There are not enough hosts available." },
	{ "nova.virt.libvirt.driver", "Live Migration failure: operation failed: [a-z ]+",
	  "Live Migration failure: operation failed: [a-z ]+", "Live Migration failure: operation failed: domain is not running" },
	{ "nova.api.openstack.wsgi", "Unexpected exception in API method", "Unexpected exception in API method",
	  "Unexpected exception in API method" },
	{ "neutron.plugins.ml2.managers", "Failed to bind port [0-9a-f-]{36} on host [^ ]+ for vnic_type normal using segments",
	  "Failed to bind port [0-9a-f-]{36} on host [^ ]+ for vnic_type normal using segments",
	  "Failed to bind port 5d1e0b6a-93c2-4f7e-8e43-2b7c0a8f1d54 on host cmp-017 for vnic_type normal using segments" },
	{ "neutron.agent.linux.utils", "Exit code: \\d+; Cmd: \\['ovs-vsctl'", "Exit code: [0-9]+; Cmd: \\['ovs-vsctl'",
	  "Exit code: 1; Cmd: ['ovs-vsctl'" },
	{ "neutron.agent.dhcp.agent", "Unable to reload_allocations dhcp for [0-9a-f-]{36}",
	  "Unable to reload_allocations dhcp for [0-9a-f-]{36}", "Unable to reload_allocations dhcp for 0f2b8c1e-6d3a-4b9e-a1c7-53e8d2f4a901" },
	{ "nova.scheduler.client.report", "Failed to update inventory for resource provider [0-9a-f-]{36}",
	  "Failed to update inventory for resource provider [0-9a-f-]{36}",
	  "Failed to update inventory for resource provider 8e3c1a4f-2b7d-4c6e-9f1a-0d5b7e2c3a81" },
	{ "nova.compute.manager", "Error updating resources for node [^ ]+\\.", "Error updating resources for node [^ ]+\\.",
	  "Error updating resources for node cmp-042." },
};
const uint32_t grid_os_errors_n = BENCH_COUNT(grid_os_errors);
const char *const grid_os_paths[] = {
	"servers/detail", "servers", "os-hypervisors/detail", "flavors/detail", "os-availability-zone", "limits",
	"os-server-external-events", "images/detail", "os-keypairs", "os-quota-sets",
};
const uint32_t grid_os_paths_n = BENCH_COUNT(grid_os_paths);
/* Project ids (32 hex digits). */
const char *const grid_projects[] = {
	"54fadb412c4e40cdbaed9335e4c35a9e", "e9746973ac574c6b8a9e8857f56a7608", "113d3f2ae4d44c0eb3d0b5b9b6d7a4c1",
	"7b1e0c3f9a2d4e58b6c7d8e9f0a1b2c3", "c0ffee00d15ea5e5b0a7f1e2d3c4b5a6", "0a6f31b2e4c84d7d9e1f2a3b4c5d6e7f",
	"3d5c7e9f1a2b4c6d8e0f1a3b5c7d9e1f", "f5e4d3c2b1a0498786a5b4c3d2e1f0a9",
};
const uint32_t grid_projects_n = BENCH_COUNT(grid_projects);
/* Android: logcat tags and application packages. */
const char *const grid_tags[] = {
	"ActivityManager", "WindowManager", "PowerManagerService", "AndroidRuntime", "ActivityTaskManager", "InputDispatcher",
	"SurfaceFlinger", "wpa_supplicant", "BluetoothAdapter", "DisplayPowerController", "Zygote", "PackageManager",
	"ConnectivityService", "libc", "DEBUG", "chatty",
};
const uint32_t grid_tags_n = BENCH_COUNT(grid_tags);
const char *const grid_packages[] = {
	"com.android.systemui", "com.google.android.gms", "com.example.fieldlog", "org.mozilla.firefox",
	"com.whatsapp", "com.android.phone", "de.bahn.navigator", "com.tencent.mm", "com.spotify.music",
	"ru.yandex.taxi", "com.android.settings", "jp.naver.line.android",
};
const uint32_t grid_packages_n = BENCH_COUNT(grid_packages);
/* Kubernetes: namespaces, images, the gRPC codes a runtime's errors carry. */
const char *const grid_namespaces[] = {
	"kube-system", "monitoring", "ingress-nginx", "spark-jobs", "airflow", "kafka", "cert-manager", "argocd",
	"istio-system", "default", "logging", "gpu-operator", "jupyterhub", "minio", "trino", "vault",
};
const uint32_t grid_namespaces_n = BENCH_COUNT(grid_namespaces);
const char *const grid_images[] = {
	"registry.k8s.io/pause:3.9", "docker.io/apache/spark:3.5.3", "quay.io/prometheus/node-exporter:v1.8.2",
	"registry.grid.example/etl/sessionize:2026.12.1", "docker.io/bitnami/kafka:3.8", "ghcr.io/dexidp/dex:v2.41.1",
	"registry.k8s.io/ingress-nginx/controller:v1.11.3", "nvcr.io/nvidia/k8s-device-plugin:v0.16.2",
	"docker.io/trinodb/trino:464", "quay.io/jupyterhub/k8s-hub:4.0.0", "docker.io/minio/minio:RELEASE.2026-11-20T00-00-00Z",
	"registry.grid.example/ml/feature-store:1.14.0",
};
const uint32_t grid_images_n = BENCH_COUNT(grid_images);
const char *const grid_grpc_codes[] = {
	"Unknown", "NotFound", "DeadlineExceeded", "Unavailable", "Canceled", "ResourceExhausted", "PermissionDenied",
	"FailedPrecondition",
};
const uint32_t grid_grpc_codes_n = BENCH_COUNT(grid_grpc_codes);
/* BlueGene/L RAS events: facility, message, the alert tag of the fatal ones. */
const struct grid_ras_event grid_ras[] = {
	{ "KERNEL", "data TLB error interrupt", "KERNDTLB" },
	{ "KERNEL", "data storage interrupt", "KERNSTOR" },
	{ "KERNEL", "machine check interrupt", "KERNMC" },
	{ "KERNEL", "instruction cache parity error corrected", "KERNPAR" },
	{ "KERNEL", "rts: kernel terminated for reason 1004rts: bad message header", "KERNTERM" },
	{ "KERNEL", "Error receiving packet on tree network, expecting type 57 instead of type 3", "KERNREC" },
	{ "KERNEL", "ciod: failed to read message prefix on control stream", "KERNSOCK" },
	{ "APP", "ciod: Error loading /bgl/apps/grid/run.elf: invalid or missing program image, Exec format error", "APPREAD" },
	{ "APP", "ciod: Error creating node map from file /p/gb1/map.txt: No such file or directory", "APPCHILD" },
	{ "MMCS", "idoproxydb hit ASSERT condition: ASSERT expression=0", "MASABNORM" },
	{ "HARDWARE", "Ido chip status changed", "HARDSTAT" },
	{ "DISCOVERY", "Node card is not fully functional", "NODEFUNC" },
};
const uint32_t grid_ras_n = BENCH_COUNT(grid_ras);
/* HRESULTs of Windows servicing failures. */
const struct grid_hresult grid_hresults[] = {
	{ "0x800f0805", "CBS_E_INVALID_PACKAGE" }, { "0x800f081f", "CBS_E_SOURCE_MISSING" },
	{ "0x80070002", "ERROR_FILE_NOT_FOUND" }, { "0x800f080d", "CBS_E_MANIFEST_INVALID_ITEM" },
	{ "0x80070490", "ERROR_NOT_FOUND" }, { "0x800f0831", "CBS_E_STORE_CORRUPTION" },
	{ "0x80073701", "ERROR_SXS_ASSEMBLY_MISSING" }, { "0x800f0922", "CBS_E_INSTALLERS_FAILED" },
};
const uint32_t grid_hresults_n = BENCH_COUNT(grid_hresults);
const char *const grid_cbs_packages[] = {
	"Package_for_KB3177467~31bf3856ad364e35~amd64~~6.1.2.0", "Package_for_RollupFix~31bf3856ad364e35~amd64~~7601.23564.1.4",
	"Microsoft-Windows-NetFx3-OnDemand-Package~31bf3856ad364e35~amd64~~10.0.14393.0",
	"Package_for_KB4019990~31bf3856ad364e35~amd64~~6.1.1.0", "Microsoft-Hyper-V-ClientEdition-Package~31bf3856ad364e35~amd64~~10.0.19041.1",
	"Package_for_ServicingStack_3920~31bf3856ad364e35~amd64~~19041.3920.1.1",
};
const uint32_t grid_cbs_packages_n = BENCH_COUNT(grid_cbs_packages);
/* The networks a signature names (the cluster's own, 10.250/15 and fd00:5ca1::/32: gen_grid_lines.c). */
static const unsigned v4_first[] = { 100, 130, 141, 147, 185, 192, 198, 203 };
static const char *const v6_first[] = {
	"2001:db8", "2a0e:b107", "2a02:c207", "2600:1f18", "2a01:7e00", "2001:41d0", "2620:0:2d0", "fd7a:115c",
};
const struct bench_nets grid_nets = BENCH_NETS(v4_first, v6_first);
const char *const grid_nodes[] = { "c01-n03", "c02-n11", "c07-n12", "gpu-a04", "mgmt1", "cmp-017", "cmp-042", "edge2" };
const uint32_t grid_nodes_n = BENCH_COUNT(grid_nodes);

void
grid_bgl_location(char *out, size_t size, struct bench_rng *r, unsigned rack)
{
	snprintf(out, size, "R%02u-M%u-N%X-C:J%02u-U%02u", rack, bench_rng_below(r, 2), bench_rng_below(r, 16),
		 2 + bench_rng_below(r, 17), bench_rng_below(r, 2) ? 11 : 1);
}

void
grid_rand_chars(char *out, unsigned n, const char *set, struct bench_rng *r)
{
	size_t len = strlen(set);

	for (unsigned i = 0; i < n; i++)
		out[i] = set[bench_rng_below(r, (uint32_t)len)];
	out[n] = '\0';
}

void
grid_uuid(char *out, size_t size, struct bench_rng *r)
{
	char h[33];

	grid_rand_chars(h, 32, "0123456789abcdef", r);
	snprintf(out, size, "%.8s-%.4s-4%.3s-%c%.3s-%.12s", h, h + 8, h + 12, "89ab"[bench_rng_below(r, 4)], h + 16,
		 h + 20);
}
