/*
 * gen: deterministic benchmark data (see bench/README.md).
 *
 * Signature sets: 10,000 realistic error signatures, built from templates
 * (literal text with .*, \d+, [^ ]+, alternations; about 5% caseless and 2%
 * without any literal). The set of size N is the first N, so every set
 * contains the smaller ones. Each signature is written as a KB record
 * (sigs-N.jsonl), as a POSIX ERE for grep -E (sigs-N.ere), and as PCRE for
 * Hyperscan (sigs-N.pcre, "i" flag first), with one line that it matches.
 *
 * Corpus: nginx access and error lines, CloudFront W3C lines and syslog
 * lines, of which about 0.1% are error lines made from the first 100
 * signatures (so every set matches the same error lines).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "xorshift.h"

/* The web corpus's own seed: the same bytes on every machine (bench/README.md). */
static struct xorshift rng = { 0x0123456789ABCDEFu };

static uint32_t
rnd(uint32_t n)
{
	return xorshift_below(&rng, n);
}

#define PICK(a) (a[rnd(sizeof(a) / sizeof(a[0]))])

static const char *const components[] = {
	"nginx", "php-fpm", "redis", "mysqld", "postgres", "kafka", "zookeeper", "elasticsearch",
	"kubelet", "containerd", "dockerd", "haproxy", "varnishd", "memcached", "rabbitmq", "etcd",
	"consul", "vault", "gunicorn", "uwsgi", "node", "tomcat", "jetty", "envoy", "traefik",
	"prometheus", "grafana", "fluentd", "logstash", "cassandra", "mongod", "clickhouse",
	"minio", "ceph-osd", "nfsd", "smbd", "postfix", "dovecot", "named", "chronyd",
};
static const char *const phrases[] = {
	"connection reset by peer", "failed to allocate memory", "no live upstreams",
	"certificate verify failed", "too many open files", "disk quota exceeded",
	"permission denied", "deadlock detected", "out of memory", "segmentation fault",
	"broken pipe", "handshake timeout", "invalid credentials", "quota exhausted",
	"lock wait timeout exceeded", "read-only file system", "name resolution failed",
	"cannot assign requested address", "address already in use", "checksum mismatch",
	"replication lag too high", "leader election lost", "snapshot restore failed",
	"unexpected end of stream", "protocol version mismatch", "shard allocation failed",
	"heartbeat missed", "journal is corrupted", "index out of range", "stale file handle",
	"request entity too large", "token has expired", "rate limit reached",
	"backend health check failed", "watchdog timeout", "invalid argument",
	"operation not permitted", "resource temporarily unavailable", "certificate has expired",
	"pool exhausted",
};
static const char *const objects[] = {
	"while loading module", "for shard", "in worker", "on volume", "for tenant", "at offset",
	"during rebalance", "in transaction", "for partition", "on listener", "in pipeline",
	"for bucket", "on socket", "in handler", "for session", "while flushing segment",
	"during compaction", "for replica", "while parsing config", "in scheduler",
	"for consumer group", "on node", "for index", "in cgroup", "during upgrade",
	"while draining queue", "for certificate", "in cache layer", "for route", "on mount",
};

struct sig {
	char re[512], ere[1024], sample[512];
	bool caseless;
};

/* Appends to the three renderings at once. */
static void
put(struct sig *s, const char *re, const char *ere, const char *sample)
{
	strncat(s->re, re, sizeof s->re - strlen(s->re) - 1);
	strncat(s->ere, ere, sizeof s->ere - strlen(s->ere) - 1);
	strncat(s->sample, sample, sizeof s->sample - strlen(s->sample) - 1);
}

/* Literal text: regex-escaped in both syntaxes; caseless ones get [xX] in ERE. */
static void
put_lit(struct sig *s, const char *text)
{
	char re[512] = "", ere[1024] = "";
	size_t r = 0, e = 0;

	for (const char *p = text; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (strchr(".^$*+?()[]{}|\\/", c)) {
			re[r++] = '\\';
			re[r++] = (char)c;
			if (c == '/') {
				ere[e++] = '/';
			} else {
				ere[e++] = '\\';
				ere[e++] = (char)c;
			}
		} else if (s->caseless && ((c | 32) >= 'a' && (c | 32) <= 'z')) {
			re[r++] = (char)c;
			e += (size_t)sprintf(ere + e, "[%c%c]", c | 32, c & ~32);
		} else {
			re[r++] = (char)c;
			ere[e++] = (char)c;
		}
	}
	re[r] = ere[e] = '\0';
	put(s, re, ere, text);
}

static void
put_digits(struct sig *s)
{
	char n[16];

	snprintf(n, sizeof n, "%u", 1 + rnd(99999));
	put(s, "\\d+", "[0-9]+", n);
}

static void
put_token(struct sig *s)
{
	static const char *const tokens[] = { "a3f9", "/srv/data/7", "10.0.3.7:6379", "w-12", "db1" };

	put(s, "[^ ]+", "[^ ]+", PICK(tokens));
}

static void
put_any(struct sig *s)
{
	static const char *const fill[] = { " ", " (retry 3) ", " after 120ms ", ": " };

	put(s, ".*", ".*", PICK(fill));
}

static void
make_sig(struct sig *s, uint32_t i)
{
	const char *comp = PICK(components), *phrase = PICK(phrases), *obj = PICK(objects);
	char code[32];

	memset(s, 0, sizeof *s);
	/* A unique error code keeps signatures distinct, as real ones are. */
	snprintf(code, sizeof code, "%c%c-%05u", 'A' + (int)(i % 26), 'A' + (int)(i / 26 % 26),
		 i * 7919u % 100000u);
	if (rnd(50) == 0) {
		/* No literal at all: structural patterns. */
		char re[256], ere[256], sample[256];
		uint32_t k = 6 + rnd(4);

		switch (rnd(2)) {
		case 0:
			snprintf(re, sizeof re, "^\\d+\\.\\d+\\.\\d+\\.\\d+ [^ ]+ [^ ]+ \\[[^]]+\\] \"[A-Z]+ [^ ]+ [^\"]+\" 5\\d\\d \\d{%u,}", k);
			snprintf(ere, sizeof ere, "^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+ [^ ]+ [^ ]+ \\[[^]]+\\] \"[A-Z]+ [^ ]+ [^\"]+\" 5[0-9][0-9] [0-9]{%u,}", k);
			snprintf(sample, sizeof sample, "10.1.2.3 - - [23/Nov/2026:08:00:00 +0000] \"GET /x HTTP/1.1\" 503 %.*s", (int)k, "1234567890123");
			break;
		default:
			snprintf(re, sizeof re, "^[A-Z][a-z]{2} +\\d+ [\\d:]+ [^ ]+ [a-z]+\\[\\d+\\]: [^ ]+ \\d{%u}$", k + 4);
			snprintf(ere, sizeof ere, "^[A-Z][a-z]{2} +[0-9]+ [0-9:]+ [^ ]+ [a-z]+\\[[0-9]+\\]: [^ ]+ [0-9]{%u}$", k + 4);
			snprintf(sample, sizeof sample, "Nov 23 08:00:00 web-1 app[77]: value %.*s", (int)k + 4, "1234567890123456");
			break;
		}
		put(s, re, ere, sample);
		return;
	}
	s->caseless = rnd(20) == 0;
	switch (rnd(6)) {
	case 0:
		put_lit(s, comp);
		put_lit(s, ": ");
		put_lit(s, phrase);
		put_lit(s, " ");
		put_lit(s, obj);
		put_lit(s, " ");
		put_token(s);
		put_lit(s, " (");
		put_lit(s, code);
		put_lit(s, ")");
		break;
	case 1:
		put_lit(s, comp);
		put(s, "\\[\\d+\\]: ", "\\[[0-9]+\\]: ", "[4242]: ");
		put_lit(s, code);
		put_lit(s, " ");
		put_lit(s, phrase);
		put_any(s);
		put_lit(s, obj);
		break;
	case 2: {
		const char *alt = PICK(phrases);

		put(s, "(?:", "(", "");
		put_lit(s, phrase);
		put(s, "|", "|", "");
		/* The sample takes the first branch; the second is only in the regex. */
		{
			struct sig tmp;

			memset(&tmp, 0, sizeof tmp);
			tmp.caseless = s->caseless;
			put_lit(&tmp, alt);
			put(s, tmp.re, tmp.ere, "");
		}
		put(s, ")", ")", "");
		put_lit(s, " ");
		put_lit(s, obj);
		put_any(s);
		put_lit(s, code);
		break;
	}
	case 3:
		put_lit(s, code);
		put_lit(s, ": ");
		put_lit(s, comp);
		put_lit(s, " ");
		put_lit(s, phrase);
		put_lit(s, " after ");
		put_digits(s);
		put_lit(s, " attempts");
		break;
	case 4:
		put_lit(s, phrase);
		put_lit(s, " (");
		put_digits(s);
		put_lit(s, ": ");
		put_lit(s, code);
		put_lit(s, ") while ");
		put_lit(s, obj + (strncmp(obj, "while ", 6) ? 0 : 6));
		put_lit(s, " ");
		put_token(s);
		break;
	default:
		put_lit(s, comp);
		put_lit(s, " ");
		put_lit(s, obj);
		put_lit(s, " ");
		put_token(s);
		put_lit(s, ": ");
		put_lit(s, phrase);
		put_lit(s, " [");
		put_lit(s, code);
		put_lit(s, "]");
		break;
	}
}

static void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static int
write_sets(const char *dir, struct sig *sigs)
{
	static const uint32_t sizes[] = { 100, 1000, 10000 };
	char path[4096];

	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		FILE *kb, *ere, *pcre;

		snprintf(path, sizeof path, "%s/sigs-%u.jsonl", dir, sizes[k]);
		kb = fopen(path, "w");
		snprintf(path, sizeof path, "%s/sigs-%u.ere", dir, sizes[k]);
		ere = fopen(path, "w");
		snprintf(path, sizeof path, "%s/sigs-%u.pcre", dir, sizes[k]);
		pcre = fopen(path, "w");
		if (!kb || !ere || !pcre) {
			fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
			return -1;
		}
		for (uint32_t i = 0; i < sizes[k]; i++) {
			fprintf(kb, "{\"id\":\"bench/sig-%05u\",\"signature\":", i);
			json_str(kb, sigs[i].sample);
			fprintf(kb, ",\"regex\":");
			json_str(kb, sigs[i].re);
			fprintf(kb, "%s,\"examples\":[", sigs[i].caseless ? ",\"flags\":\"i\"" : "");
			json_str(kb, sigs[i].sample);
			fprintf(kb, "]}\n");
			fprintf(ere, "%s\n", sigs[i].ere);
			fprintf(pcre, "%c%s\n", sigs[i].caseless ? 'i' : '-', sigs[i].re);
		}
		fclose(kb);
		fclose(ere);
		fclose(pcre);
	}
	return 0;
}

static const char *const paths[] = {
	"/", "/index.html", "/api/v1/orders", "/api/v1/users/42", "/static/app.js", "/static/site.css",
	"/img/logo.png", "/favicon.ico", "/login", "/search?q=shoes", "/cart", "/robots.txt",
};
static const char *const agents[] = {
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
	"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
	"curl/8.4.0", "python-requests/2.31.0",
	"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
};

static void
normal_line(FILE *f, uint32_t n)
{
	uint32_t h = (n / 3600) % 24, m = (n / 60) % 60, s = n % 60, kind = rnd(100);

	if (kind < 45) {
		static const int status[] = { 200, 200, 200, 200, 304, 301, 404, 200, 502 };

		fprintf(f, "%u.%u.%u.%u - - [23/Nov/2026:%02u:%02u:%02u +0000] \"%s %s HTTP/1.1\" %d %u \"-\" \"%s\"\n",
			10 + rnd(200), rnd(256), rnd(256), 1 + rnd(254), h, m, s, rnd(5) ? "GET" : "POST",
			PICK(paths), PICK(status), rnd(90000), PICK(agents));
	} else if (kind < 55) {
		switch (rnd(3)) {
		case 0:
			fprintf(f, "2026/11/23 %02u:%02u:%02u [notice] %u#%u: *%u client closed keepalive connection\n",
				h, m, s, 1000 + rnd(50), 1000 + rnd(50), rnd(99999));
			break;
		case 1:
			fprintf(f, "2026/11/23 %02u:%02u:%02u [error] %u#0: *%u open() \"/var/www/html%s\" failed (2: No such file or directory), client: 10.0.%u.%u, server: www.example.com, request: \"GET %s HTTP/1.1\", host: \"www.example.com\"\n",
				h, m, s, 1000 + rnd(50), rnd(99999), PICK(paths), rnd(256), rnd(256), PICK(paths));
			break;
		default:
			fprintf(f, "2026/11/23 %02u:%02u:%02u [warn] %u#0: *%u an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/%u while reading upstream, client: 10.0.%u.%u, server: www.example.com, request: \"GET %s HTTP/1.1\", upstream: \"http://127.0.0.1:8080%s\"\n",
				h, m, s, 1000 + rnd(50), rnd(99999), rnd(9999), rnd(256), rnd(256), PICK(paths), PICK(paths));
			break;
		}
	} else if (kind < 80) {
		static const char *const results[] = { "Hit", "Miss", "RefreshHit", "Hit", "Miss" };
		const char *r = PICK(results);

		fprintf(f, "2026-11-23\t%02u:%02u:%02u\tFRA56-C%u\t%u\t192.0.2.%u\tGET\td111111abcdef8.cloudfront.net\t%s\t200\t-\t%s\t-\t-\t%s\tQm9v%08X==\twww.example.com\thttps\t%u\t0.%03u\t-\tTLSv1.3\tTLS_AES_128_GCM_SHA256\t%s\tHTTP/2.0\t-\t-\t%u\t0.%03u\t%s\ttext/html\t%u\t-\t-\n",
			h, m, s, 1 + rnd(3), 300 + rnd(90000), rnd(256), PICK(paths), "Mozilla/5.0%20(X11;%20Linux)",
			r, rnd(0xFFFFFFFFu), 200 + rnd(800), rnd(999), r, 40000 + rnd(20000), rnd(999), r,
			300 + rnd(90000));
	} else {
		switch (rnd(4)) {
		case 0:
			fprintf(f, "Nov 23 %02u:%02u:%02u web-1 systemd[1]: Started Session %u of user root.\n", h, m, s, rnd(9999));
			break;
		case 1:
			fprintf(f, "Nov 23 %02u:%02u:%02u web-1 sshd[%u]: Accepted publickey for deploy from 192.0.2.%u port %u ssh2: ED25519 SHA256:abcdef\n",
				h, m, s, 2000 + rnd(9000), rnd(256), 40000 + rnd(20000));
			break;
		case 2:
			fprintf(f, "Nov 23 %02u:%02u:%02u web-1 CRON[%u]: (root) CMD (run-parts /etc/cron.hourly)\n", h, m, s, 3000 + rnd(9000));
			break;
		default:
			fprintf(f, "Nov 23 %02u:%02u:%02u web-1 kernel: [%u.%06u] audit: type=1400 audit(%u.%03u:%u): apparmor=\"ALLOWED\" operation=\"open\" profile=\"nginx\" pid=%u\n",
				h, m, s, rnd(99999), rnd(999999), 1700000000 + rnd(9999), rnd(999), rnd(9999), rnd(99999));
			break;
		}
	}
}

int
bench_generate(const char *dir, size_t corpus_bytes)
{
	struct sig *sigs = calloc(BENCH_MAX_SIGS, sizeof *sigs);
	char path[4096];
	FILE *f;
	uint32_t n = 0;

	if (!sigs)
		return -1;
	for (uint32_t i = 0; i < BENCH_MAX_SIGS; i++)
		make_sig(&sigs[i], i);
	if (write_sets(dir, sigs) < 0) {
		free(sigs);
		return -1;
	}
	snprintf(path, sizeof path, "%s/corpus.log", dir);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		free(sigs);
		return -1;
	}
	while ((size_t)ftell(f) < corpus_bytes) {
		if (rnd(1000) == 0)
			fprintf(f, "2026/11/23 08:00:00 [error] 1234#0: *%u %s, client: 10.0.0.1, server: www.example.com\n",
				n, sigs[rnd(100)].sample);
		else
			normal_line(f, n);
		n++;
	}
	fclose(f);
	free(sigs);
	return 0;
}
