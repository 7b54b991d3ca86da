/*
 * test_output_hostile: outputs against peers and disks that misbehave: a
 * unix stream peer that accepts but never reads while drop-oldest throws
 * alerts away, datagrams larger than the socket takes, a file output whose
 * disk fills in the middle of an alert just before logrotate moves it.
 * Each case failed before its fix (heap-use-after-free, a queue stuck
 * forever, an alert torn across two files), and links planted where the
 * file output writes.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <uv.h>

#include "output/output.h"
#include "output_harness.h"

/* An alert numbered h->seq + 1 whose JSON carries `bulk` bytes of 'x' in field `key`. */
static int
submit_big(struct harness *h, const char *key, size_t bulk)
{
	struct fw_alert_msg *m;
	char *json = malloc(bulk + 128);
	int n, r;

	assert_non_null(json);
	h->seq++;
	n = snprintf(json, 128, "{\"schema\":\"fixwatch.alert/1\",\"seq\":%llu,\"%s\":\"",
		     (unsigned long long)h->seq, key);
	memset(json + n, 'x', bulk);
	memcpy(json + n + bulk, "\",\"id\":\"d/e\",\"count\":1}", 24);
	m = fw_alert_msg_new(json, (size_t)n + bulk + 23, NULL);
	free(json);
	assert_non_null(m);
	m->seq = h->seq;
	m->confidence = NAN;
	r = h->out->ops->submit(h->out, m);
	fw_alert_msg_unref(m);
	if (r < 0)
		h->seq--;
	return r;
}

/*
 * A unix stream peer that accepts and never reads; 1 MiB alerts, so the
 * first write stays pending in libuv; queue_max 4 with drop-oldest. The
 * frames handed to that write must not be the ones dropped (they were
 * freed while libuv still wrote them) and nothing not written may be
 * counted as sent. Once the peer reads, every alert that was not dropped
 * arrives once and whole.
 */
static void
test_unix_never_reads_drop_oldest(void **state)
{
	struct harness h;
	struct peer p = { .reading = false };
	char path[128];
	int i, refused = 0;

	harness_init(&h);
	snprintf(path, sizeof path, "%s/sock", h.dir);
	peer_listen_unix(&p, &h.loop, path);
	harness_config(&h, FW_OUTPUT_UNIX, "unix://%s", path);
	h.cfg.queue_max = 4;
	h.cfg.overflow = FW_OVERFLOW_DROP_OLDEST;
	harness_new_output(&h);
	for (i = 0; i < 40; i++) {
		refused += submit_big(&h, "line", 1 << 20) == -ENOBUFS;
		uv_run(&h.loop, UV_RUN_NOWAIT);
	}
	assert_non_null(p.client);
	assert_int_equal(h.out->stats.errors, 0);
	assert_int_equal(h.out->stats.sent, 0);
	assert_int_equal(h.out->acked, 0);
	p.reading = true;
	uv_read_start(p.client, on_peer_alloc, on_peer_read);
	assert_true(DELIVERED(&h, &p.data, "\n", (unsigned)(h.seq - h.out->stats.dropped)));
	assert_int_equal(h.out->stats.errors, 0);
	assert_int_equal(h.out->stats.reconnects, 0);
	assert_int_equal(h.out->stats.sent + h.out->stats.dropped, h.seq);
	assert_int_equal(count_str(p.data, "\n"), h.out->stats.sent);
	assert_int_equal(count_str(p.data, "{\"schema\""), h.out->stats.sent);
	/* The newest alert is never the one dropped. */
	{
		char want[32];

		snprintf(want, sizeof want, "\"seq\":%llu,", (unsigned long long)h.seq);
		assert_int_equal(count_str(p.data, want), 1);
	}
	print_message("never-reading peer: %llu sent, %llu dropped, %d refused\n",
		      (unsigned long long)h.out->stats.sent,
		      (unsigned long long)h.out->stats.dropped, refused);
	harness_free(&h, &p);
}

struct dgram_reader {
	int fd;
	char *buf;
	size_t cap;
	unsigned n;
	size_t last_len;
	char *last;                 /* the last datagram, NUL-terminated */
	struct harness *h;
	unsigned want;
};

static bool
dgram_read(void *arg)
{
	struct dgram_reader *d = arg;
	ssize_t r;

	while ((r = recv(d->fd, d->buf, d->cap - 1, MSG_DONTWAIT)) > 0) {
		d->buf[r] = '\0';
		free(d->last);
		d->last = strdup(d->buf);
		assert_non_null(d->last);
		d->last_len = (size_t)r;
		d->n++;
	}
	return d->n >= d->want && all_acked(d->h);
}

static void
dgram_reader_open(struct dgram_reader *d, struct harness *h, char *path, size_t path_cap)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	memset(d, 0, sizeof *d);
	d->h = h;
	snprintf(path, path_cap, "%s/dgram", h->dir);
	strcpy(sun.sun_path, path);
	d->fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_true(d->fd >= 0);
	assert_int_equal(bind(d->fd, (struct sockaddr *)&sun, sizeof sun), 0);
	d->cap = 2u << 20;
	d->buf = malloc(d->cap);
	assert_non_null(d->buf);
}

static void
dgram_reader_close(struct dgram_reader *d)
{
	close(d->fd);
	free(d->buf);
	free(d->last);
}

/* The last datagram parses as one JSON object; returns its "line" length (-1: none). */
static int
last_line_len(struct dgram_reader *d, bool *truncated)
{
	json_object *o = json_tokener_parse(d->last), *v;
	int n = -1;

	assert_non_null(o);
	*truncated = json_object_object_get_ex(o, "truncated", &v) && json_object_get_boolean(v);
	if (json_object_object_get_ex(o, "line", &v))
		n = json_object_get_string_len(v);
	json_object_put(o);
	return n;
}

/* JSON over unixgram honours max_message_bytes: a long line is cut, the JSON stays whole. */
static void
test_unixgram_json_capped(void **state)
{
	struct harness h;
	struct dgram_reader d;
	char path[128];
	bool truncated;

	harness_init(&h);
	dgram_reader_open(&d, &h, path, sizeof path);
	harness_config(&h, FW_OUTPUT_UNIX, "unixgram://%s", path);
	h.cfg.max_message_bytes = 8192;
	harness_new_output(&h);
	assert_int_equal(submit_big(&h, "line", 20000), 0);
	d.want = 1;
	assert_true(run_until(&h, dgram_read, &d, DEADLINE_MS));
	assert_true(d.last_len <= 8192 && d.last_len > 8000);
	assert_true(last_line_len(&d, &truncated) > 7000);
	assert_true(truncated);
	assert_int_equal(h.out->stats.sent, 1);
	dgram_reader_close(&d);
	harness_free(&h, NULL);
}

/*
 * Larger than the socket takes in one datagram (its send buffer, about
 * 208 KiB by default, below max_message_bytes = 1 MiB): the alert is
 * shortened until it fits. One that cannot be shortened is dropped and
 * counted, and the alerts behind it still go: nothing is stuck.
 */
static void
test_unixgram_oversize(void **state)
{
	struct harness h;
	struct dgram_reader d;
	char path[128];
	bool truncated;

	harness_init(&h);
	dgram_reader_open(&d, &h, path, sizeof path);
	harness_config(&h, FW_OUTPUT_UNIX, "unixgram://%s", path);
	h.cfg.max_message_bytes = 1u << 20;
	harness_new_output(&h);
	assert_int_equal(submit_big(&h, "line", 900000), 0);
	d.want = 1;
	assert_true(run_until(&h, dgram_read, &d, DEADLINE_MS));
	assert_true(last_line_len(&d, &truncated) > 50000);
	assert_true(truncated);
	assert_int_equal(h.out->stats.sent, 1);
	assert_int_equal(h.out->stats.oversize, 0);

	/* Nothing here can be cut: dropped with a count, then the next alert goes. */
	assert_int_equal(submit_big(&h, "unknown_field", 900000), 0);
	assert_int_equal(submit_big(&h, "line", 100), 0);
	d.want = 2;
	assert_true(run_until(&h, dgram_read, &d, DEADLINE_MS));
	assert_int_equal(h.out->stats.oversize, 1);
	assert_int_equal(h.out->stats.dropped, 1);
	assert_int_equal(h.out->stats.sent, 2);
	assert_int_equal(last_line_len(&d, &truncated), 100);
	assert_int_equal(h.out->state, FW_OUTPUT_UP);
	assert_int_equal(h.out->stats.reconnects, 0);
	dgram_reader_close(&d);
	harness_free(&h, NULL);
}

static bool
is_down(void *arg)
{
	return ((struct harness *)arg)->out->state == FW_OUTPUT_DOWN;
}

static off_t
file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

/* Every line of the file is one whole JSON object; returns how many. */
static unsigned
whole_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned k = 0;

	assert_non_null(f);
	while ((n = getline(&line, &cap, f)) > 0) {
		json_object *o;

		assert_int_equal(line[n - 1], '\n');
		line[n - 1] = '\0';
		o = json_tokener_parse(line);
		assert_non_null(o);
		json_object_put(o);
		k++;
	}
	free(line);
	fclose(f);
	return k;
}

/*
 * The disk fills in the middle of an alert (a file size limit stands in
 * for it: the write stops short, then fails with EFBIG), logrotate moves
 * the file and sends SIGUSR1 (reopen): the old file keeps only whole
 * alerts, the new one gets the interrupted alert whole.
 */
static void
test_file_reopen_after_disk_full(void **state)
{
	struct harness h;
	struct rlimit saved, lim;
	char path[128], rotated[140];
	off_t before;
	FILE *pad;
	int i;

	harness_init(&h);
	snprintf(path, sizeof path, "%s/alerts.jsonl", h.dir);
	snprintf(rotated, sizeof rotated, "%s.1", path);
	/* Padding keeps the limit above every other file this process writes (its log). */
	pad = fopen(path, "w");
	assert_non_null(pad);
	for (i = 0; i < 4096; i++)
		fprintf(pad, "{\"pad\":\"%0500d\"}\n", i);
	assert_int_equal(fclose(pad), 0);
	harness_config(&h, FW_OUTPUT_FILE, "%s", path);
	harness_new_output(&h);
	assert_int_equal(submit(&h, NAN), 0);
	assert_true(run_until(&h, all_acked, &h, DEADLINE_MS));
	before = file_size(path);

	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	signal(SIGXFSZ, SIG_IGN);
	lim = saved;
	lim.rlim_cur = (rlim_t)before + 40;     /* the next alert stops after 40 bytes */
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(submit(&h, NAN), 0);
	assert_true(run_until(&h, is_down, &h, DEADLINE_MS));
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_int_equal(h.out->acked, 1);

	assert_int_equal(rename(path, rotated), 0);
	h.out->ops->reopen(h.out);
	assert_int_equal(submit(&h, NAN), 0);
	assert_true(run_until(&h, all_acked, &h, DEADLINE_MS));
	assert_int_equal(file_size(rotated), before);
	assert_int_equal(whole_lines(rotated), 4096 + 1);
	assert_int_equal(whole_lines(path), 2);
	harness_free(&h, NULL);
}

/*
 * A symbolic link or a second hard link planted at the output's path (by
 * whoever can write its directory) is not written through: the output
 * stays down and the file it points to is untouched. Once the path is a
 * plain file again, the queued alerts go there.
 */
static void
test_file_planted_links(void **state)
{
	struct harness h;
	char path[128], victim[140];
	FILE *v;
	int k;

	for (k = 0; k < 2; k++) {
		harness_init(&h);
		snprintf(path, sizeof path, "%s/alerts.jsonl", h.dir);
		snprintf(victim, sizeof victim, "%s/victim", h.dir);
		v = fopen(victim, "w");
		assert_non_null(v);
		fputs("secret\n", v);
		assert_int_equal(fclose(v), 0);
		if (k == 0)
			assert_int_equal(symlink(victim, path), 0);
		else
			assert_int_equal(link(victim, path), 0);
		harness_config(&h, FW_OUTPUT_FILE, "%s", path);
		harness_new_output(&h);
		assert_int_equal(h.out->state, FW_OUTPUT_DOWN);
		assert_int_equal(submit(&h, NAN), 0);
		assert_int_equal(h.out->acked, 0);
		assert_int_equal(file_size(victim), 7);
		assert_int_equal(unlink(path), 0);
		assert_true(run_until(&h, all_acked, &h, DEADLINE_MS));
		assert_int_equal(whole_lines(path), 1);
		assert_int_equal(file_size(victim), 7);
		harness_free(&h, NULL);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unix_never_reads_drop_oldest),
		cmocka_unit_test(test_unixgram_json_capped),
		cmocka_unit_test(test_unixgram_oversize),
		cmocka_unit_test(test_file_reopen_after_disk_full),
		cmocka_unit_test(test_file_planted_links),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
