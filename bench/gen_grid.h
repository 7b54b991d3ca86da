/*
 * gen_grid: the "grid" corpus's vocabulary (gen_grid_vocab.c), shared by its
 * signature maker (gen_grid.c, which says what the corpus models) and its
 * line writers (gen_grid_lines.c): the healthy lines draw on the words the
 * signatures name, so that they come close to the signatures without
 * matching them. Table grid_NAME holds grid_NAME_n entries.
 */
#ifndef FW_BENCH_GEN_GRID_H
#define FW_BENCH_GEN_GRID_H

#include <stdint.h>
#include <stdio.h>

#include "sigset.h"

#define GRID_EPOCH 1796515200u /* 2026-12-06T00:00:00Z */

/* An entry of table t drawn from r, as BENCH_PICK() draws from an array in scope. */
#define GRID_PICK(r, t) ((t)[bench_rng_below((r), t##_n)])

/* A Java exception: class, message pattern (PCRE2 and ERE) and a message it matches. */
struct grid_exception {
	const char *cls, *re, *ere, *text;
};
/* A logger of a JVM service: its full class name and the short one log4j's %c{2} writes. */
struct grid_logger {
	const char *full, *brief;
};
/* An OpenStack service's logger and an error it logs (PCRE2 and ERE), with its text. */
struct grid_os_error {
	const char *logger, *re, *ere, *text;
};
/* A BlueGene/L RAS event: facility, severity, message, and the alert tag it carries as fatal. */
struct grid_ras_event {
	const char *facility, *msg, *alert;
};
/* A CBS failure: the HRESULT and its name. */
struct grid_hresult {
	const char *code, *name;
};

/* Hadoop, YARN, Spark and ZooKeeper. */
extern const struct grid_exception grid_exceptions[];
extern const uint32_t grid_exceptions_n;
extern const struct grid_logger grid_loggers[];
extern const uint32_t grid_loggers_n;
extern const char *const grid_hdfs_paths[];
extern const uint32_t grid_hdfs_paths_n;
extern const char *const grid_zk_paths[];
extern const uint32_t grid_zk_paths_n;
extern const char *const grid_apps[];
extern const uint32_t grid_apps_n;
/* OpenStack: loggers with errors, the API's paths, the projects. */
extern const struct grid_os_error grid_os_errors[];
extern const uint32_t grid_os_errors_n;
extern const char *const grid_os_paths[];
extern const uint32_t grid_os_paths_n;
extern const char *const grid_projects[];
extern const uint32_t grid_projects_n;
/* Android logcat: tags and packages. */
extern const char *const grid_tags[];
extern const uint32_t grid_tags_n;
extern const char *const grid_packages[];
extern const uint32_t grid_packages_n;
/* Kubernetes and containerd: namespaces, images, gRPC status codes. */
extern const char *const grid_namespaces[];
extern const uint32_t grid_namespaces_n;
extern const char *const grid_images[];
extern const uint32_t grid_images_n;
extern const char *const grid_grpc_codes[];
extern const uint32_t grid_grpc_codes_n;
/* BlueGene/L RAS and Windows servicing. */
extern const struct grid_ras_event grid_ras[];
extern const uint32_t grid_ras_n;
extern const struct grid_hresult grid_hresults[];
extern const uint32_t grid_hresults_n;
extern const char *const grid_cbs_packages[];
extern const uint32_t grid_cbs_packages_n;
/* The cluster's networks (grid_nets) and the nodes that ship the logs. */
extern const struct bench_nets grid_nets;
extern const char *const grid_nodes[];
extern const uint32_t grid_nodes_n;

/* A BlueGene/L location: rack (0-79), midplane, node card, card and unit ("R23-M1-N4-C:J12-U11"). */
void grid_bgl_location(char *out, size_t size, struct bench_rng *r, unsigned rack);
/* n random characters of set into out (NUL-terminated). */
void grid_rand_chars(char *out, unsigned n, const char *set, struct bench_rng *r);
/* A UUID in its 8-4-4-4-12 text. */
void grid_uuid(char *out, size_t size, struct bench_rng *r);

/* Line n of the corpus, healthy: matched by no signature (bench_corpus's healthy_line). */
void grid_healthy_line(FILE *f, struct bench_rng *r, uint32_t n);
/* Line n with a signature's sample behind the log shipper's prefix (error_line). */
void grid_error_line(FILE *f, struct bench_rng *r, uint32_t n, const char *sample);

#endif
