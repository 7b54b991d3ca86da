/*
 * output_journal: alerts as native systemd journal entries (design.md §7).
 *
 * On systemd hosts /dev/log is journald, which keeps RFC 5424 text as an
 * opaque MESSAGE; a native entry keeps the fields: MESSAGE (one-line
 * summary), PRIORITY (the alert's severity; 4, warning, when its record
 * states none), FIXWATCH_SEVERITY (its keyword, when stated),
 * SYSLOG_IDENTIFIER=fixwatch,
 * FIXWATCH_ID, FIXWATCH_DOMAIN, FIXWATCH_CATEGORY, FIXWATCH_CONFIDENCE,
 * FIXWATCH_INPUT, FIXWATCH_COUNT and FIXWATCH_ALERT (the alert JSON), e.g.
 *   journalctl -t fixwatch FIXWATCH_DOMAIN=aws -o json
 *
 * sd_journal_sendv() writes one datagram to journald's socket; it does not
 * block for long, so entries are sent from submit() and acknowledged at
 * once. When journald is not there (ENOENT, ECONNREFUSED) or its socket is
 * full (EAGAIN), the alert waits in the queue and is retried with the
 * local backoff of backoff.h; the queue full means -ENOBUFS (or drop-oldest).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "util/backoff.h"
#include "util/close_barrier.h"
#include "util/journal_lib.h"
#include "util/log.h"
#include "output/outq.h"
#include "util/severity.h"

#define JOURNAL_DEFAULT_QUEUE 10000u
#define JOURNAL_SOCKET "/run/systemd/journal/socket"

struct journal_out {
	struct fw_output *out;
	struct fw_outq q;
	struct fw_retry retry;      /* while the journal does not take entries */
	struct fw_close_barrier handles;    /* retry.timer, once opened */
	void (*done)(struct fw_output *out);
};

/* The journal fields of one alert, as "KEY=value" strings (build_fields writes at most 11). */
#define FIELDS_MAX 11
struct fields {
	char *s[FIELDS_MAX];
	size_t n;
};

static void
fields_free(struct fields *f)
{
	while (f->n > 0)
		free(f->s[--f->n]);
}

static int
field(struct fields *f, const char *key, const char *value)
{
	if (!value)
		return 0;
	if (f->n == FIELDS_MAX)
		return -ENOBUFS;
	if (asprintf(&f->s[f->n], "%s=%s", key, value) < 0)
		return -ENOMEM;
	f->n++;
	return 0;
}

/* Builds the fields of m. 0 or -ENOMEM. */
static int
build_fields(const struct fw_alert_msg *m, struct fields *f)
{
	char summary[512], num[32], *alert;
	int r = 0;

	/* MESSAGE: one line for journalctl's default view. */
	snprintf(summary, sizeof summary, "%s%s on %s: %s", m->count > 1 ? "summary: " : "",
		 m->keys.id ? m->keys.id : "?", m->keys.input ? m->keys.input : "?",
		 m->keys.signature ? m->keys.signature : "");
	for (char *p = summary; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	r |= field(f, "MESSAGE", summary);
	snprintf(num, sizeof num, "%d", m->severity >= 0 && m->severity < FW_SEVERITY_COUNT ?
					m->severity : FW_SEVERITY_DEFAULT);
	r |= field(f, "PRIORITY", num);
	r |= field(f, "FIXWATCH_SEVERITY", fw_severity_name(m->severity));
	r |= field(f, "SYSLOG_IDENTIFIER", "fixwatch");
	r |= field(f, "FIXWATCH_ID", m->keys.id);
	r |= field(f, "FIXWATCH_DOMAIN", m->keys.domain);
	r |= field(f, "FIXWATCH_CATEGORY", m->keys.category);
	if (!isnan(m->confidence)) {
		snprintf(num, sizeof num, "%.2f", m->confidence);
		r |= field(f, "FIXWATCH_CONFIDENCE", num);
	}
	r |= field(f, "FIXWATCH_INPUT", m->keys.input);
	snprintf(num, sizeof num, "%llu", (unsigned long long)(m->count ? m->count : 1));
	r |= field(f, "FIXWATCH_COUNT", num);
	alert = strndup(m->json, m->json_len);
	if (!alert)
		return -ENOMEM;
	r |= field(f, "FIXWATCH_ALERT", alert);
	free(alert);
	return r ? -ENOMEM : 0;
}

int
fw_journal_fields(const struct fw_alert_msg *m, char ***out, size_t *n)
{
	struct fields f = { .n = 0 };
	char **v;
	int r = build_fields(m, &f);

	if (r < 0 || !(v = calloc(f.n, sizeof *v))) {
		fields_free(&f);
		return -ENOMEM;
	}
	memcpy(v, f.s, f.n * sizeof *v);
	*out = v;
	*n = f.n;
	return 0;
}

/* 0 sent, -EAGAIN retry later, another -errno: dropped as unsendable. */
static int
journal_send(struct journal_out *j, const struct fw_alert_msg *m)
{
	struct fields f = { .n = 0 };
	struct iovec iov[FIELDS_MAX];
	size_t i;
	int r;

	/* sd_journal_sendv() reports success when journald's socket is missing
	 * (it drops the entry): look first, so the alert waits instead. */
	if (access(JOURNAL_SOCKET, W_OK) != 0)
		return -EAGAIN;
	r = build_fields(m, &f);
	if (r == 0) {
		for (i = 0; i < f.n; i++)
			iov[i] = (struct iovec){ f.s[i], strlen(f.s[i]) };
		r = sd_journal_sendv(iov, (int)f.n);
	}
	fields_free(&f);
	if (r == -ENOENT || r == -ECONNREFUSED || r == -EAGAIN || r == -ENOBUFS)
		return -EAGAIN;
	return r;
}

static void
journal_flush(struct journal_out *j)
{
	struct fw_output *out = j->out;
	uint64_t last = 0;

	while (j->q.count > 0) {
		struct fw_alert_msg *m = fw_outq_at(&j->q, 0)->msg;
		int r = journal_send(j, m);

		if (r == -EAGAIN) {
			if (out->state == FW_OUTPUT_UP)
				log_warn("output %s: the journal does not take entries; retrying",
					 out->cfg->name);
			out->state = FW_OUTPUT_DOWN;
			out->stats.errors++;
			(void)fw_retry_failed(&j->retry);
			break;
		}
		if (r < 0) {
			log_err("output %s: alert %llu: %s", out->cfg->name,
				(unsigned long long)m->seq, strerror(-r));
			out->stats.errors++;
			out->stats.dropped++;
		} else {
			out->stats.sent++;
		}
		if (out->state != FW_OUTPUT_UP && r == 0) {
			fw_retry_ok(&j->retry);
			out->state = FW_OUTPUT_UP;
			log_info("output %s: the journal takes entries again", out->cfg->name);
		}
		last = fw_outq_pop(&j->q);
	}
	out->queued = j->q.count;
	last = fw_outq_ack_point(&j->q, last);
	if (last)
		fw_output_ack(out, last);
}

static void
on_retry(struct fw_retry *r)
{
	struct journal_out *j = r->data;

	if (j->q.count > 0)
		journal_flush(j);
}

static int
journal_open(struct fw_output *out)
{
	struct journal_out *j = out->priv;

	fw_retry_init(out->loop, &j->retry, FW_BACKOFF_LOCAL_CAP_MS, on_retry, j);
	/* Retries only matter while something waits; they must not keep the loop alive. */
	uv_unref((uv_handle_t *)&j->retry.timer);
	fw_close_barrier_add(&j->handles);
	out->state = FW_OUTPUT_UP;
	return 0;
}

static int
journal_submit(struct fw_output *out, struct fw_alert_msg *msg)
{
	struct journal_out *j = out->priv;
	int err;

	if (j->q.count == j->q.cap)
		journal_flush(j);   /* make room now if journald takes entries again */
	if (!fw_output_enqueue(out, &j->q, msg, 0, &err))
		return err;
	if (out->state == FW_OUTPUT_UP)
		journal_flush(j);
	return 0;
}

static void
journal_closed(void *arg)
{
	struct journal_out *j = arg;

	j->done(j->out);
}

static void
journal_close(struct fw_output *out, void (*done)(struct fw_output *out))
{
	struct journal_out *j = out->priv;

	journal_flush(j);
	out->state = FW_OUTPUT_CLOSED;
	j->done = done;
	if (!fw_close_barrier_idle(&j->handles))
		fw_close_barrier_close(&j->handles, (uv_handle_t *)&j->retry.timer);
	fw_close_barrier_wait(&j->handles, journal_closed, j);
}

static void
journal_destroy(struct fw_output *out)
{
	struct journal_out *j = out->priv;

	if (!j)
		return;
	fw_outq_fini(&j->q);
	free(j);
	out->priv = NULL;
	out->queue = NULL;
}

static const struct fw_output_ops journal_ops = {
	.type = "journal",
	.open = journal_open,
	.submit = journal_submit,
	.reopen = NULL,
	.close = journal_close,
	.destroy = journal_destroy,
};

int
fw_output_journal_init(struct fw_output *out, struct fw_diag *diag)
{
	struct journal_out *j;
	int r = fw_journal_lib_need(diag, NULL, 0, "output", out->cfg->name);

	if (r < 0)
		return r;
	j = calloc(1, sizeof *j);
	if (!j)
		return -ENOMEM;
	if (fw_outq_init(&j->q, out->cfg->queue_max ? out->cfg->queue_max : JOURNAL_DEFAULT_QUEUE) < 0) {
		free(j);
		return -ENOMEM;
	}
	j->out = out;
	out->ops = &journal_ops;
	out->priv = j;
	out->queue = &j->q;
	return 0;
}
