/*
 * input_journal: entries of the systemd journal as lines (design.md §5).
 *
 * sd-journal is driven by the event loop: its inotify descriptor
 * (sd_journal_get_fd) is watched with a uv_poll, and sd_journal_get_timeout
 * arms a uv_timer for the cases inotify cannot report; after each wakeup
 * sd_journal_process() is called and new entries are read. No polling loop:
 * an idle daemon sleeps. Entries are read in rounds of ENTRIES_PER_ROUND so
 * a large backlog does not starve the other inputs and outputs.
 *
 * Which entries: the local journal (sd_journal_open, local only) or the
 * journal files in `directory` (sd_journal_open_directory: a container's or
 * another host's). `units` adds _SYSTEMD_UNIT= matches, `identifiers`
 * SYSLOG_IDENTIFIER= matches; an entry is taken when it matches any of them
 * (sd-journal ORs matches on one field; the two groups are joined with
 * sd_journal_add_disjunction).
 *
 * The line of an entry is its MESSAGE with trailing line endings removed
 * (a multi-line message stays one line), cut at max_line_bytes and flagged.
 * Entries without MESSAGE are passed over. The alert source carries the
 * entry's _SYSTEMD_UNIT, SYSLOG_IDENTIFIER and cursor.
 *
 * Position: the cursor of the last entry whose alerts every output took
 * (marks, see input.h). On start with a checkpoint the journal is sought to
 * that cursor and the entry itself is skipped; if it was vacuumed away
 * meanwhile, reading goes on at the entry after it. Without a checkpoint,
 * start_at = beginning reads from the head; end starts after the current
 * last entry, whose cursor becomes the position, so entries written while
 * the daemon is down later are not lost.
 *
 * Cost per entry: sd_journal_get_cursor() allocates the cursor string (the
 * API gives no other way to get it); it is freed when the next entry is
 * read. Unit and identifier are copied into fixed buffers.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "input/input.h"
#include "util/journal_lib.h"
#include "util/log.h"
#include "core/pipeline.h"

#define ENTRIES_PER_ROUND 4096u
#define MAX_MARKS 32u
#define CURSOR_MAX 256u            /* real cursors are about 150 bytes */
#define FIELD_MAX 256u             /* unit and identifier are kept up to this */

struct mark {
	uint64_t seq;
	char cursor[CURSOR_MAX];
};

struct journal_input {
	struct fw_input *in;
	sd_journal *j;
	uv_poll_t poll;
	uv_timer_t timer;           /* sd_journal_get_timeout() */
	uv_idle_t more;             /* another round: a backlog is being read */
	bool poll_open;             /* poll initialized (timer and more always are) */
	bool positioned;            /* the journal sits on an entry not read yet */
	bool closing;
	bool read_error_logged;

	char *cursor;               /* of the last entry read (from sd-journal) */
	uint64_t entries;           /* entries read */
	uint64_t bytes;
	struct mark marks[MAX_MARKS];
	unsigned n_marks;
	char committed[CURSOR_MAX]; /* the last position known safe; "" = none */
	char start_cursor[CURSOR_MAX]; /* from the checkpoint; "" = none */
	char unit[FIELD_MAX];
	char identifier[FIELD_MAX];
};

static void read_round(struct journal_input *ji);

/* -- marks ------------------------------------------------------------------- */

static void
copy_cursor(char *dst, const char *src)
{
	size_t n = strlen(src);

	if (n >= CURSOR_MAX)
		n = 0;      /* never happens with sd-journal's format; an empty mark is harmless */
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
add_mark(struct journal_input *ji)
{
	struct mark *m;

	if (!ji->cursor)
		return;
	if (ji->n_marks == MAX_MARKS)
		/* Full: the newest replaces the last; only less fine-grained. */
		m = &ji->marks[MAX_MARKS - 1];
	else
		m = &ji->marks[ji->n_marks++];
	m->seq = fw_pipeline_seq(ji->in->env.pipeline);
	copy_cursor(m->cursor, ji->cursor);
}

static void
advance_committed(struct journal_input *ji, uint64_t safe)
{
	unsigned i = 0;

	while (i < ji->n_marks && ji->marks[i].seq <= safe) {
		if (ji->marks[i].cursor[0])
			memcpy(ji->committed, ji->marks[i].cursor, CURSOR_MAX);
		i++;
	}
	memmove(ji->marks, ji->marks + i, (ji->n_marks - i) * sizeof ji->marks[0]);
	ji->n_marks -= i;
}

/* -- entries ----------------------------------------------------------------- */

/* Copies FIELD's value into buf (cut to fit); NULL when the entry has none. */
static const char *
get_field(sd_journal *j, const char *field, char *buf, size_t size)
{
	size_t flen = strlen(field), len;
	const void *data;

	if (sd_journal_get_data(j, field, &data, &len) < 0 || len <= flen)
		return NULL;
	len -= flen + 1;            /* "FIELD=" */
	if (len >= size)
		len = size - 1;
	memcpy(buf, (const char *)data + flen + 1, len);
	buf[len] = '\0';
	return buf;
}

static void
read_entry(struct journal_input *ji)
{
	struct fw_input *in = ji->in;
	size_t max = in->cfg->max_line_bytes, len;
	struct fw_alert_source src = { .type = FW_SOURCE_JOURNAL };
	struct fw_line line = { 0 };
	const char *msg;
	const void *data;
	int r;

	free(ji->cursor);
	ji->cursor = NULL;
	r = sd_journal_get_cursor(ji->j, &ji->cursor);
	if (r < 0) {
		in->stats.errors++;
		ji->cursor = NULL;
		return;
	}
	/* Fields first: get_data() invalidates the previous field's data. */
	src.unit = get_field(ji->j, "_SYSTEMD_UNIT", ji->unit, sizeof ji->unit);
	src.identifier = get_field(ji->j, "SYSLOG_IDENTIFIER", ji->identifier,
				   sizeof ji->identifier);
	src.cursor = ji->cursor;
	/* PRIORITY=N, a single digit 0 (emerg) .. 7 (debug): unknown/journal uses it. */
	if (sd_journal_get_data(ji->j, "PRIORITY", &data, &len) >= 0 && len == 10 &&
	    ((const char *)data)[9] >= '0' && ((const char *)data)[9] <= '7') {
		src.has_priority = true;
		src.priority = ((const char *)data)[9] - '0';
	}
	r = sd_journal_get_data(ji->j, "MESSAGE", &data, &len);
	if (r < 0 || len < 8)
		return;     /* no MESSAGE: nothing to match */
	msg = (const char *)data + 8;
	len -= 8;
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		len--;
	line.data = msg;
	line.len = len;
	if (len > max) {
		line.len = max;
		line.truncated = true;
		in->stats.truncated++;
	}
	ji->entries++;
	ji->bytes += len;
	line.line_no = ji->entries;
	line.end = len;
	in->stats.lines++;
	in->stats.bytes += len;
	(void)fw_pipeline_line(in->env.pipeline, in, &line, &src);
}

static uint64_t
monotonic_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void
on_timeout(uv_timer_t *h)
{
	struct journal_input *ji = h->data;

	sd_journal_process(ji->j);
	read_round(ji);
}

/* sd-journal may need a wakeup without an inotify event (sd_journal_get_timeout(3)). */
static void
arm_timeout(struct journal_input *ji)
{
	uint64_t t = UINT64_MAX, now;

	if (ji->closing || ji->in->env.oneshot || sd_journal_get_timeout(ji->j, &t) < 0 ||
	    t == UINT64_MAX) {
		uv_timer_stop(&ji->timer);
		return;
	}
	now = monotonic_usec();
	/* At least 1 ms, as a 0 ms timer re-armed from its callback would run
	 * again in the same loop pass. */
	uv_timer_start(&ji->timer, on_timeout, t > now ? (t - now + 999) / 1000 : 1, 0);
}

static void
on_more(uv_idle_t *h)
{
	read_round(h->data);
}

/* Reads up to one round of entries; schedules the next round or waits. */
static void
read_round(struct journal_input *ji)
{
	struct fw_input *in = ji->in;
	bool at_end = false;
	unsigned n = 0;

	while (!in->paused && !ji->closing && n < ENTRIES_PER_ROUND) {
		int r = 1;

		if (ji->positioned)
			ji->positioned = false;
		else
			r = sd_journal_next(ji->j);
		if (r < 0) {
			in->stats.errors++;
			if (!ji->read_error_logged)
				log_warn("[input.%s] journal: cannot read the next entry: %s",
					 in->cfg->name, strerror(-r));
			ji->read_error_logged = true;
			at_end = true;
			break;
		}
		if (r == 0) {
			at_end = true;
			break;
		}
		read_entry(ji);
		n++;
	}
	if (n)
		add_mark(ji);
	if (!at_end && !in->paused && !ji->closing)
		uv_idle_start(&ji->more, on_more);
	else
		uv_idle_stop(&ji->more);
	if (at_end && in->env.oneshot)
		fw_input_finished(in);
	else
		arm_timeout(ji);
}

static void
on_poll(uv_poll_t *h, int status, int events)
{
	struct journal_input *ji = h->data;

	if (status < 0) {
		ji->in->stats.errors++;
		log_warn("[input.%s] journal: poll: %s", ji->in->cfg->name, uv_strerror(status));
	}
	/* Drains the inotify events and tells us whether files came or went. */
	sd_journal_process(ji->j);
	read_round(ji);
}

/* -- start: where to begin ----------------------------------------------------- */

static int
seek_start(struct journal_input *ji)
{
	struct fw_input *in = ji->in;
	char *c = NULL;
	int r;

	if (ji->start_cursor[0]) {
		r = sd_journal_seek_cursor(ji->j, ji->start_cursor);
		if (r >= 0) {
			memcpy(ji->committed, ji->start_cursor, CURSOR_MAX);
			r = sd_journal_next(ji->j);
			/* The checkpointed entry was read already: skip it. Another
			 * entry here means it is gone and this one follows it. */
			if (r > 0 && sd_journal_test_cursor(ji->j, ji->start_cursor) <= 0)
				ji->positioned = true;
			return r < 0 ? r : 0;
		}
		log_warn("[input.%s] journal: checkpoint cursor not usable (%s): starting at %s",
			 in->cfg->name, strerror(-r),
			 in->cfg->start_at == FW_START_BEGINNING ? "the beginning" : "the end");
	}
	if (in->cfg->start_at == FW_START_BEGINNING)
		return sd_journal_seek_head(ji->j);
	r = sd_journal_seek_tail(ji->j);
	if (r < 0)
		return r;
	/* On the last entry, so that next() gives only what comes after it. */
	r = sd_journal_previous(ji->j);
	if (r > 0 && sd_journal_get_cursor(ji->j, &c) >= 0) {
		copy_cursor(ji->committed, c);
		free(c);
	}
	return r < 0 ? r : 0;
}

static int
add_matches(struct journal_input *ji, const struct fw_strv *values, const char *field)
{
	char buf[FIELD_MAX + 32];
	int r;

	for (size_t i = 0; i < values->n; i++) {
		int n = snprintf(buf, sizeof buf, "%s=%s", field, values->v[i]);
		if (n < 0 || (size_t)n >= sizeof buf)
			return -ENAMETOOLONG;
		r = sd_journal_add_match(ji->j, buf, 0);
		if (r < 0)
			return r;
	}
	return 0;
}

static int
journal_start(struct fw_input *in)
{
	struct journal_input *ji = in->priv;
	uv_loop_t *loop = in->env.loop;
	int fd, r;

	uv_timer_init(loop, &ji->timer);
	fw_close_barrier_add(&in->handles);
	uv_idle_init(loop, &ji->more);
	fw_close_barrier_add(&in->handles);
	ji->timer.data = ji->more.data = ji;
	if (!in->env.oneshot) {
		/* Before the first read, so that no change is missed. */
		fd = sd_journal_get_fd(ji->j);
		if (fd < 0) {
			log_err("[input.%s] journal: cannot watch the journal: %s", in->cfg->name,
				strerror(-fd));
			return fd;
		}
		r = uv_poll_init(loop, &ji->poll, fd);
		if (r < 0) {
			log_err("[input.%s] journal: %s", in->cfg->name, uv_strerror(r));
			return r;
		}
		ji->poll.data = ji;
		ji->poll_open = true;
		fw_close_barrier_add(&in->handles);
		r = sd_journal_get_events(ji->j);
		r = uv_poll_start(&ji->poll, (r & POLLOUT) ? UV_READABLE | UV_WRITABLE : UV_READABLE,
				  on_poll);
		if (r < 0) {
			log_err("[input.%s] journal: %s", in->cfg->name, uv_strerror(r));
			return r;
		}
	}
	r = seek_start(ji);
	if (r < 0) {
		log_err("[input.%s] journal: cannot find where to start: %s", in->cfg->name,
			strerror(-r));
		return r;
	}
	if (!in->paused)
		uv_idle_start(&ji->more, on_more);
	return 0;
}

/* -- the rest of the interface ------------------------------------------------- */

static void
journal_pause(struct fw_input *in)
{
	struct journal_input *ji = in->priv;

	uv_idle_stop(&ji->more);
}

static void
journal_resume(struct fw_input *in)
{
	struct journal_input *ji = in->priv;

	if (!ji->closing)
		uv_idle_start(&ji->more, on_more);
}

static int
journal_save(struct fw_input *in, uint64_t safe_seq, struct fw_checkpoint *ck)
{
	struct journal_input *ji = in->priv;

	advance_committed(ji, safe_seq);
	return ji->committed[0] ? fw_checkpoint_set_cursor(ck, ji->committed) : 0;
}

static void
journal_streams(struct fw_input *in,
		void (*cb)(const struct fw_input_stream_status *st, void *ctx), void *ctx)
{
	struct journal_input *ji = in->priv;
	struct fw_input_stream_status st = {
		.name = in->cfg->directory ? in->cfg->directory : "journal",
		.offset = ji->bytes, .line_no = ji->entries,
	};

	cb(&st, ctx);
}

static void
journal_close(struct fw_input *in, void (*done)(struct fw_input *in))
{
	struct journal_input *ji = in->priv;

	ji->closing = true;
	if (!fw_close_barrier_idle(&in->handles)) {   /* started: timer and more are open */
		if (ji->poll_open)
			fw_close_barrier_close(&in->handles, (uv_handle_t *)&ji->poll);
		fw_close_barrier_close(&in->handles, (uv_handle_t *)&ji->timer);
		fw_close_barrier_close(&in->handles, (uv_handle_t *)&ji->more);
	}
	fw_input_wait_closed(in, done);
}

static void
journal_destroy(struct fw_input *in)
{
	struct journal_input *ji = in->priv;

	if (ji) {
		sd_journal_close(ji->j);
		free(ji->cursor);
		free(ji);
	}
	fw_input_free_common(in);
}

static const struct fw_input_ops journal_ops = {
	.type = "journal",
	.start = journal_start,
	.pause = journal_pause,
	.resume = journal_resume,
	.save = journal_save,
	.streams = journal_streams,
	.close = journal_close,
	.destroy = journal_destroy,
};

int
fw_input_journal_new(const struct fw_input_env *env, const struct fw_input_config *cfg,
		     struct fw_input **out, struct fw_diag *diag)
{
	struct fw_input *in;
	struct journal_input *ji;
	const char *what = "journal";
	int r;

	*out = NULL;
	r = fw_journal_lib_need(diag, NULL, 0, "input", cfg->name);
	if (r < 0)
		return r;
	in = fw_input_alloc(&journal_ops, env, cfg);
	ji = calloc(1, sizeof *ji);
	if (!in || !ji) {
		free(ji);
		free(in);
		fw_diag_add(diag, "[input.%s] -: out of memory", cfg->name);
		return -ENOMEM;
	}
	ji->in = in;
	in->priv = ji;
	if (cfg->directory) {
		what = "directory";
		r = sd_journal_open_directory(&ji->j, cfg->directory, 0);
	} else {
		r = sd_journal_open(&ji->j, SD_JOURNAL_LOCAL_ONLY);
	}
	if (r < 0) {
		fw_diag_add(diag, "[input.%s] %s: cannot open the journal%s%s: %s", cfg->name, what,
			    cfg->directory ? " in " : "", cfg->directory ? cfg->directory : "",
			    strerror(-r));
		goto fail;
	}
	/* Enough of MESSAGE to fill a line and see that it is longer. */
	sd_journal_set_data_threshold(ji->j, cfg->max_line_bytes + 9);
	r = add_matches(ji, &cfg->units, "_SYSTEMD_UNIT");
	if (r == 0 && cfg->units.n && cfg->identifiers.n)
		r = sd_journal_add_disjunction(ji->j);
	if (r == 0)
		r = add_matches(ji, &cfg->identifiers, "SYSLOG_IDENTIFIER");
	if (r < 0) {
		fw_diag_add(diag, "[input.%s] %s: cannot add the journal match: %s", cfg->name,
			    cfg->units.n ? "units" : "identifiers", strerror(-r));
		goto fail;
	}
	if (env->checkpoint && env->checkpoint->cursor) {
		if (strlen(env->checkpoint->cursor) < CURSOR_MAX)
			copy_cursor(ji->start_cursor, env->checkpoint->cursor);
		else
			log_warn("[input.%s] journal: checkpoint cursor too long, ignored", cfg->name);
	}
	*out = in;
	return 0;
fail:
	if (ji->j)
		sd_journal_close(ji->j);
	free(ji);
	fw_input_free_common(in);
	return r < 0 ? r : -EINVAL;
}
