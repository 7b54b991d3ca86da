/*
 * gen_app: the "app" benchmark corpus (see bench/README.md): application
 * runtime logs (Java logback lines and stack frames, Python logging,
 * PostgreSQL, the kernel ring buffer, JSON structured logs) and signatures of
 * the kinds written for them: exception classes with their message, database
 * errors naming a relation, driver errors, JSON fields in any order.
 *
 * Its vocabulary and line shapes are its own, and the healthy lines use the
 * same class, module and table names as the signatures, as real services
 * do: a signature's literal text is often on lines it does not match.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "sigset.h"

static const char *const orgs[] = {
	"acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell", "cyberdyne",
	"soylent", "aperture", "monarch", "oscorp", "wonka", "vandelay", "gringotts",
};
static const char *const modules[] = {
	"billing", "orders", "catalog", "search", "auth", "payments", "shipping", "inventory",
	"notify", "reports", "gateway", "pricing", "accounts", "ledger", "media", "checkout",
	"session", "audit", "export", "tenancy",
};
static const char *const classes[] = {
	"InvoiceWorker", "OrderService", "PaymentClient", "StockSync", "TokenValidator",
	"RateCalculator", "EventPublisher", "SessionStore", "ReportBuilder", "CacheWarmer",
	"RetryScheduler", "WebhookSender", "LedgerWriter", "AccountRepository", "PriceFeedReader",
	"ExportJob", "MediaTranscoder", "SearchIndexer", "AuditTrail", "QuotaEnforcer",
	"ShipmentTracker", "CartMerger", "TenantResolver", "MailDispatcher", "BatchImporter",
};
static const char *const java_exc[] = {
	"java.lang.IllegalStateException", "java.lang.NullPointerException",
	"java.net.SocketTimeoutException", "java.net.ConnectException", "java.io.IOException",
	"java.util.concurrent.TimeoutException", "javax.net.ssl.SSLHandshakeException",
	"org.hibernate.exception.LockAcquisitionException",
	"org.springframework.dao.DataIntegrityViolationException",
	"com.zaxxer.hikari.pool.HikariPool$PoolInitializationException",
	"java.lang.OutOfMemoryError", "java.util.ConcurrentModificationException",
};
static const char *const java_msg[] = {
	"Read timed out", "Connection refused", "Broken pipe", "Java heap space",
	"could not execute statement", "Connection is not available, request timed out after",
	"Received fatal alert: handshake_failure", "Stream closed", "Pool is closed",
	"No enum constant", "Cannot invoke method on null reference", "Too many open files",
};
static const char *const py_errors[] = {
	"psycopg2.OperationalError", "redis.exceptions.ConnectionError", "KeyError",
	"requests.exceptions.ReadTimeout", "sqlalchemy.exc.IntegrityError", "ValueError",
	"celery.exceptions.SoftTimeLimitExceeded", "botocore.exceptions.ClientError",
	"json.decoder.JSONDecodeError", "PermissionError", "UnicodeDecodeError", "MemoryError",
};
static const char *const py_msg[] = {
	"server closed the connection unexpectedly", "Error 111 connecting to", "duplicate key value",
	"Expecting value: line 1 column 1", "An error occurred (ThrottlingException)",
	"invalid literal for int() with base 10", "Read timed out.", "'utf-8' codec can't decode byte",
	"[Errno 13] Permission denied", "SoftTimeLimitExceeded()",
};
static const char *const pg_msg[] = {
	"deadlock detected while locking", "could not serialize access due to concurrent update on",
	"duplicate key value violates unique constraint on", "canceling statement due to lock timeout on",
	"could not extend file of", "permission denied for table", "relation does not exist:",
	"null value in column violates not-null constraint of",
};
static const char *const entities[] = {
	"invoices", "orders", "items", "users", "events", "payments", "sessions", "prices",
	"stock", "tokens", "exports", "accounts",
};
static const char *const drivers[] = {
	"nvme", "ata", "sd", "e1000e", "ixgbe", "mlx5_core", "i915", "xhci_hcd", "usb", "md",
};
static const char *const kmsg[] = {
	"I/O timeout, aborting", "link is down", "hardware error detected", "reset adapter",
	"failed command: READ FPDMA QUEUED", "Buffer I/O error on device", "Medium Error",
	"GPU HANG: ecode", "transmit queue timed out", "device descriptor read/64, error",
};

/* "com.ORG.MODULE.CLASS" from three indexes. */
static void
fqcn(char *out, size_t size, uint32_t o, uint32_t m, uint32_t c)
{
	snprintf(out, size, "com.%s.%s.%s", orgs[o], modules[m], classes[c]);
}

#define N_(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

static void
make_sig(struct bench_sig *s, struct bench_rng *r)
{
	char buf[256];
	uint32_t kind = bench_rng_below(r, 100);

	memset(s, 0, sizeof *s);
	s->caseless = bench_rng_below(r, 25) == 0;
	if (kind < 30) {
		/* An exception thrown from one class of one service. */
		bench_sig_lit(s, BENCH_PICK(r, java_exc));
		bench_sig_lit(s, ": ");
		bench_sig_lit(s, BENCH_PICK(r, java_msg));
		bench_sig_raw(s, ".*", ".*", " ... ");
		bench_sig_raw(s, "\\bat ", "\\bat ", "at ");
		fqcn(buf, sizeof buf, bench_rng_below(r, N_(orgs)), bench_rng_below(r, N_(modules)),
		     bench_rng_below(r, N_(classes)));
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "\\.\\w+\\(", "\\.[A-Za-z0-9_]+\\(", ".run(");
	} else if (kind < 50) {
		/* A Python error in one module's task. */
		snprintf(buf, sizeof buf, "%s.%s.tasks", BENCH_PICK(r, modules), BENCH_PICK(r, entities));
		bench_sig_lit(s, buf);
		bench_sig_raw(s, " - (?:ERROR|CRITICAL) - ", " - (ERROR|CRITICAL) - ", " - ERROR - ");
		bench_sig_lit(s, BENCH_PICK(r, py_errors));
		bench_sig_lit(s, ": ");
		bench_sig_lit(s, BENCH_PICK(r, py_msg));
	} else if (kind < 65) {
		/* A database error on one relation. */
		bench_sig_raw(s, "(?:ERROR|FATAL):  ", "(ERROR|FATAL):  ", "ERROR:  ");
		bench_sig_lit(s, BENCH_PICK(r, pg_msg));
		snprintf(buf, sizeof buf, " \"%s_%s\"", BENCH_PICK(r, modules), BENCH_PICK(r, entities));
		bench_sig_lit(s, buf);
	} else if (kind < 75) {
		/* A driver error on one device number. */
		snprintf(buf, sizeof buf, "%s %u-%u:", BENCH_PICK(r, drivers), bench_rng_below(r, 8),
			 bench_rng_below(r, 4));
		bench_sig_raw(s, "\\[ *\\d+\\.\\d+\\] ", "\\[ *[0-9]+\\.[0-9]+\\] ", "[ 4242.000123] ");
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "\\d+\\.\\d+: ", "[0-9]+\\.[0-9]+: ", "0.0: ");
		bench_sig_lit(s, BENCH_PICK(r, kmsg));
	} else if (kind < 93) {
		/* JSON logs: an error level, then one logger's message. */
		bench_sig_raw(s, "\"level\":\"(?:error|fatal)\"", "\"level\":\"(error|fatal)\"",
			      "\"level\":\"error\"");
		snprintf(buf, sizeof buf, ".*\"logger\":\"%s.%s\"", BENCH_PICK(r, modules),
			 BENCH_PICK(r, entities));
		bench_sig_raw(s, ".*", ".*", ",");
		bench_sig_lit(s, buf + 2);
		bench_sig_raw(s, ".*\"msg\":\"", ".*\"msg\":\"", ",\"msg\":\"");
		bench_sig_lit(s, BENCH_PICK(r, py_msg));
	} else if (kind < 98) {
		/* A commit or digest after a common word: the literal is everywhere. */
		static const char *const words[] = { "commit ", "digest sha256:", "trace_id=", "key " };

		bench_sig_lit(s, BENCH_PICK(r, words));
		bench_sig_hex(s, r, 40 + bench_rng_below(r, 8) * 2, 64, 56);
		bench_sig_lit(s, " rejected");
	} else {
		/* No literal worth a key: a logback ERROR line of any class. */
		s->anchored = true;
		s->caseless = false;
		bench_sig_raw(s, "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} (?:ERROR|FATAL) +\\[[^]]+\\] [a-z.]+\\.[A-Z]\\w+ - \\w+ \\d{3,}",
			      "^[0-9]{4}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]\\.[0-9]{3} (ERROR|FATAL) +\\[[^]]+\\] [a-z.]+\\.[A-Z][A-Za-z0-9_]+ - [A-Za-z0-9_]+ [0-9]{3,}",
			      "2026-11-23 08:00:00.000 ERROR [main] c.acme.Main - code 1234");
	}
}

static void
time_of(uint32_t n, char *out, size_t size, char sep)
{
	snprintf(out, size, "2026-11-23%c%02u:%02u:%02u.%03u", sep, n / 36000 % 24, n / 600 % 60,
		 n / 10 % 60, n * 37 % 1000);
}

static void
healthy_line(FILE *f, struct bench_rng *r, uint32_t n)
{
	static const char *const levels[] = { "INFO ", "INFO ", "DEBUG", "WARN " };
	static const char *const verbs[] = {
		"Created", "Updated", "Loaded", "Scheduled", "Completed", "Skipped", "Refreshed",
	};
	char t[40], cls[160];
	uint32_t kind = bench_rng_below(r, 100);

	time_of(n, t, sizeof t, ' ');
	fqcn(cls, sizeof cls, bench_rng_below(r, N_(orgs)), bench_rng_below(r, N_(modules)),
	     bench_rng_below(r, N_(classes)));
	if (kind < 30) {
		fprintf(f, "%s %s [http-nio-8080-exec-%u] %s - %s %s %u for tenant %u in %u ms\n", t,
			BENCH_PICK(r, levels), 1 + bench_rng_below(r, 200), cls, BENCH_PICK(r, verbs),
			BENCH_PICK(r, entities), bench_rng_below(r, 1000000), bench_rng_below(r, 500),
			bench_rng_below(r, 3000));
	} else if (kind < 40) {
		/* A retried failure logged at WARN with its frames: the names of errors, healthy. */
		fprintf(f, "%s WARN  [pool-%u-thread-%u] %s - retrying after %s: %s\n", t,
			bench_rng_below(r, 9), bench_rng_below(r, 32), cls, BENCH_PICK(r, java_exc),
			BENCH_PICK(r, java_msg));
		fprintf(f, "\tat %s.%s(%s.java:%u)\n", cls, "call", strrchr(cls, '.') + 1,
			10 + bench_rng_below(r, 900));
	} else if (kind < 58) {
		fprintf(f, "%s,%03u - %s.%s.tasks - INFO - Task %s.%s[%08x-%04x] succeeded in %u.%03us\n",
			t, bench_rng_below(r, 1000), BENCH_PICK(r, modules), BENCH_PICK(r, entities),
			BENCH_PICK(r, modules), BENCH_PICK(r, verbs), bench_rng_below(r, 0xFFFFFFFFu),
			bench_rng_below(r, 0xFFFF), bench_rng_below(r, 9), bench_rng_below(r, 1000));
	} else if (kind < 72) {
		if (bench_rng_below(r, 3))
			fprintf(f, "%s UTC [%u] LOG:  duration: %u.%03u ms  statement: SELECT id, status FROM %s_%s WHERE id = %u\n",
				t, 20000 + bench_rng_below(r, 9000), bench_rng_below(r, 900),
				bench_rng_below(r, 1000), BENCH_PICK(r, modules), BENCH_PICK(r, entities),
				bench_rng_below(r, 1000000));
		else
			fprintf(f, "%s UTC [%u] LOG:  checkpoint complete: wrote %u buffers (%u.%u%%); 0 WAL file(s) added, %u removed, %u recycled; write=%u.%03u s\n",
				t, 20000 + bench_rng_below(r, 9000), bench_rng_below(r, 9000),
				bench_rng_below(r, 40), bench_rng_below(r, 10), bench_rng_below(r, 3),
				bench_rng_below(r, 9), bench_rng_below(r, 300), bench_rng_below(r, 1000));
	} else if (kind < 80) {
		static const char *const k[] = {
			"EXT4-fs (nvme0n1p2): re-mounted. Opts: errors=remount-ro",
			"e1000e 0000:00:1f.6 eno1: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: None",
			"audit: type=1400 apparmor=\"STATUS\" operation=\"profile_replace\"",
			"IPv6: ADDRCONF(NETDEV_CHANGE): veth3a1b: link becomes ready",
			"usb 1-4: new high-speed USB device number 7 using xhci_hcd",
		};

		fprintf(f, "[%6u.%06u] %s\n", n / 10, bench_rng_below(r, 1000000), BENCH_PICK(r, k));
	} else {
		time_of(n, t, sizeof t, 'T');
		fprintf(f, "{\"ts\":\"%sZ\",\"level\":\"%s\",\"logger\":\"%s.%s\",\"msg\":\"%s %s\",\"status\":%u,\"duration_ms\":%u.%u,\"trace_id\":\"%08x%08x%08x%08x\"}\n",
			t, bench_rng_below(r, 5) ? "info" : "warn", BENCH_PICK(r, modules),
			BENCH_PICK(r, entities), BENCH_PICK(r, verbs), BENCH_PICK(r, entities),
			bench_rng_below(r, 5) ? 200 : 404, bench_rng_below(r, 900), bench_rng_below(r, 10),
			bench_rng_below(r, 0xFFFFFFFFu), bench_rng_below(r, 0xFFFFFFFFu),
			bench_rng_below(r, 0xFFFFFFFFu), bench_rng_below(r, 0xFFFFFFFFu));
	}
}

static void
error_line(FILE *f, struct bench_rng *r, uint32_t n, const char *sample)
{
	char t[40];

	time_of(n, t, sizeof t, ' ');
	fprintf(f, "%s ERROR [worker-%u] %s\n", t, bench_rng_below(r, 16), sample);
}

int
bench_generate_app(const char *dir, size_t corpus_bytes)
{
	static const struct bench_corpus app = {
		.prefix = "app", .seed = 0xA99A11CEu,
		.make_sig = make_sig, .healthy_line = healthy_line, .error_line = error_line,
	};

	return bench_corpus_write(dir, corpus_bytes, &app);
}
