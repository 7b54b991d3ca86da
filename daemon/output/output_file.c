/*
 * output_file: alerts as JSON Lines appended to a file.
 *
 * The file is opened O_APPEND (created 0640 if missing) and reopened by
 * reopen() (SIGHUP, SIGUSR1), the logrotate way: after a rename the next
 * alert goes to a new file at the configured path. Writes are synchronous
 * (a regular file does not block for long) and batched as output_stdout
 * does: a full writev() at once, the rest per loop iteration by a prepare
 * handle. A message is acknowledged once its newline was written.
 *
 * When a write or the open fails (disk full, directory gone) the queue is
 * kept, the output goes DOWN and retries with the local backoff of
 * backoff.h (reopening the path), logging the first failure of an outage
 * and counting every one (stats.errors). A full disk may take part of an
 * alert: that part is taken back at once (truncated off the file, which
 * needs no space), so the file never holds a cut line while the alert
 * waits; it is written whole once there is room. When the queue fills the
 * inputs pause (overflow = block) or the oldest unwritten alerts are
 * dropped and counted (drop-oldest). A file found ending in a cut alert when
 * it is opened (a process killed in the middle of a write) has that part
 * taken off too: see file_end_cut().
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "util/backoff.h"
#include "util/close_barrier.h"
#include "util/log.h"
#include "output/outq.h"

#define FILE_DEFAULT_QUEUE 10000u
#define FILE_IOV_MAX 64u

struct file_out {
	struct fw_output *out;
	int fd;
	struct fw_outq q;
	size_t head_written;        /* bytes of the head message already written */
	uv_prepare_t prepare;
	struct fw_retry retry;      /* reopening after a failure */
	struct fw_close_barrier handles;    /* prepare, retry.timer */
	unsigned failures;          /* failed opens and writes since the last write that went through */
	void (*done)(struct fw_output *out);
};

/*
 * Takes a partly written head alert back out of the file: our file is
 * O_APPEND and only we write it, so the part is its last head_written
 * bytes. 0 (head_written is then 0) or an errno (it stays).
 */
static int
file_take_back(struct file_out *f)
{
	struct stat st;

	if (fstat(f->fd, &st) < 0)
		return errno;
	if ((uint64_t)st.st_size < f->head_written)
		return ESPIPE;      /* truncated by someone else meanwhile */
	if (ftruncate(f->fd, st.st_size - (off_t)f->head_written) < 0)
		return errno;
	f->head_written = 0;
	return 0;
}

/*
 * An alert is never split across two files. When the file is switched
 * (reopen after logrotate's rename, or a retry after the disk filled) while
 * the head alert is partly written, that part is cut off the old file
 * again and the whole alert goes to the new one.
 */
static void
file_unwrite_head(struct file_out *f, const char *path)
{
	int err;

	if (f->head_written == 0 || f->fd < 0)
		return;
	err = file_take_back(f);
	if (err)
		log_warn("output %s: %s: cannot take back the partly written alert %llu (%s); "
			 "it is written whole to the reopened file", f->out->cfg->name, path,
			 (unsigned long long)fw_outq_at(&f->q, 0)->msg->seq, strerror(err));
	f->head_written = 0;
}

/*
 * Opens the alerts file without following a symbolic link (a link planted
 * in a directory others can write would make a root daemon append to any
 * file) and only if it is a regular file with one name (a hard link to
 * someone else's file is refused the same way). -errno; why says which.
 */
static int
file_open_path(const char *path, const char **why)
{
	struct stat st;
	/* Read too, for file_end_cut(); a file we may only write is written all the same. */
	int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0640);

	if (fd < 0 && errno == EACCES)
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0640);
	*why = NULL;
	if (fd < 0) {
		if (errno == ELOOP)
			*why = "a symbolic link, not followed";
		return -errno;
	}
	if (fstat(fd, &st) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	if (!S_ISREG(st.st_mode) || st.st_nlink > 1) {
		*why = S_ISREG(st.st_mode) ? "a file with other hard links, not written"
					   : "not a regular file";
		close(fd);
		return -EPERM;
	}
	return fd;
}

static const char *
file_path(const struct file_out *f)
{
	return f->out->cfg->addr.path ? f->out->cfg->addr.path : f->out->cfg->address;
}

/*
 * An open or a write failed: the output goes DOWN and retries with backoff.
 * Only the first failure of an outage is logged; the later ones are counted
 * (stats.errors, and stats.write_errors for writes), and file_up() says
 * when alerts go through again.
 */
static void
file_failed(struct file_out *f, bool write, const char *why)
{
	f->out->stats.errors++;
	if (write)
		f->out->stats.write_errors++;
	if (f->failures++ == 0)
		log_err("output %s: %s %s: %s; alerts are held and retried", f->out->cfg->name,
			write ? "write" : "open", file_path(f), why);
	f->out->state = FW_OUTPUT_DOWN;
	(void)fw_retry_failed(&f->retry);
}

/* Alerts went through: the outage, if any, is over. */
static void
file_up(struct file_out *f)
{
	if (f->failures == 0)
		return;
	log_info("output %s: %s written again after %u failed attempts", f->out->cfg->name,
		 file_path(f), f->failures);
	f->failures = 0;
	fw_retry_ok(&f->retry);
}

/*
 * SIGKILL stops a writev() of several pages at a page boundary: the process
 * is gone with an alert cut in the file. That alert's newline was never
 * written, so it was never acknowledged and the restarted daemon sends it
 * again whole; appended to as it is, the file would hold the cut part and
 * the next alert as one damaged line. The cut part (an unfinished last
 * line that starts as an alert does) is taken off, as file_take_back() does
 * for a partly written head; another unfinished last line (a file that was
 * not ours) gets its newline, so that every alert starts a line of its own.
 * A file that cannot be read back (write-only for us) is left as it is.
 */
static void
file_end_cut(struct file_out *f, int fd, const char *path)
{
	char buf[4096];
	struct stat st;
	off_t line;

	if (fstat(fd, &st) < 0 || st.st_size == 0)
		return;
	/* The start of the last line: just after the last newline, or 0. */
	for (line = st.st_size; line > 0;) {
		size_t n = line < (off_t)sizeof buf ? (size_t)line : sizeof buf;
		const char *nl;

		if (pread(fd, buf, n, line - (off_t)n) != (ssize_t)n)
			return;
		nl = memrchr(buf, '\n', n);
		if (nl) {
			line += (off_t)(nl - buf) + 1 - (off_t)n;
			break;
		}
		line -= (off_t)n;
	}
	if (line == st.st_size)
		return;     /* ends with a newline */
	if (pread(fd, buf, 1, line) != 1)
		return;
	if (buf[0] == '{' && ftruncate(fd, line) == 0) {
		log_warn("output %s: %s ended in a cut alert (%lld bytes: a stop in the middle "
			 "of a write); taken off, the alert is sent again whole", f->out->cfg->name,
			 path, (long long)(st.st_size - line));
		return;
	}
	/* (A cut alert that cannot be taken off is at least ended here.) */
	if (write(fd, "\n", 1) == 1)
		log_warn("output %s: %s did not end with a newline; one was added before the "
			 "alerts", f->out->cfg->name, path);
}

static int
file_open_fd(struct file_out *f)
{
	const char *path = file_path(f);
	const char *why;
	int fd = file_open_path(path, &why);

	if (fd < 0) {
		file_failed(f, false, why ? why : strerror(-fd));
		return fd;
	}
	/* Not file_up(): a full disk lets the file open and refuses the write. */
	file_unwrite_head(f, path);
	/* After our own head is taken back: the same file may end in it. */
	file_end_cut(f, fd, path);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = fd;
	f->out->state = FW_OUTPUT_UP;
	return 0;
}

static void
file_write(struct file_out *f)
{
	struct fw_output *out = f->out;
	uint64_t last = 0;

	if (f->fd < 0 && file_open_fd(f) < 0)
		return;
	while (f->q.count > 0) {
		struct iovec iov[2 * FILE_IOV_MAX];
		size_t n_iov = 0, i, left;
		ssize_t w;

		for (i = 0; i < f->q.count && i < FILE_IOV_MAX; i++) {
			struct fw_alert_msg *m = fw_outq_at(&f->q, i)->msg;
			size_t skip = i == 0 ? f->head_written : 0;

			if (skip < m->json_len)
				iov[n_iov++] = (struct iovec){ (char *)m->json + skip, m->json_len - skip };
			iov[n_iov++] = (struct iovec){ (char *)"\n", 1 };
		}
		w = writev(f->fd, iov, (int)n_iov);
		if (w < 0) {
			int err = errno;

			if (err == EINTR)
				continue;
			/*
			 * No alert is left cut in the file while it waits (a
			 * full disk takes part of one): when it cannot be taken
			 * back, it is finished once the file takes more.
			 */
			if (f->head_written)
				(void)file_take_back(f);
			file_failed(f, true, strerror(err));
			break;
		}
		for (left = (size_t)w; left > 0;) {
			size_t rest = fw_outq_at(&f->q, 0)->msg->json_len + 1 - f->head_written;

			if (left < rest) {
				f->head_written += left;
				break;
			}
			left -= rest;
			last = fw_outq_pop(&f->q);
			f->head_written = 0;
			out->stats.sent++;
			file_up(f);
		}
	}
	out->queued = f->q.count;
	last = fw_outq_ack_point(&f->q, last);
	if (last)
		fw_output_ack(out, last);
}

static void
on_prepare(uv_prepare_t *h)
{
	struct file_out *f = h->data;

	if (f->q.count > 0 && f->out->state == FW_OUTPUT_UP)
		file_write(f);
}

static void
on_retry(struct fw_retry *r)
{
	struct file_out *f = r->data;

	/* Reopen: the directory may be back, or the disk has room again. */
	if (f->out->state == FW_OUTPUT_DOWN && file_open_fd(f) == 0)
		file_write(f);
}

static int
file_open(struct fw_output *out)
{
	struct file_out *f = out->priv;

	uv_prepare_init(out->loop, &f->prepare);
	fw_retry_init(out->loop, &f->retry, FW_BACKOFF_LOCAL_CAP_MS, on_retry, f);
	f->prepare.data = f;
	fw_close_barrier_add(&f->handles);
	fw_close_barrier_add(&f->handles);
	uv_prepare_start(&f->prepare, on_prepare);
	uv_unref((uv_handle_t *)&f->prepare);
	/* Retries only matter while something waits; they must not keep the loop alive. */
	uv_unref((uv_handle_t *)&f->retry.timer);
	/* A file that cannot be opened yet is retried, like a collector that is down. */
	(void)file_open_fd(f);
	return 0;
}

static int
file_submit(struct fw_output *out, struct fw_alert_msg *msg)
{
	struct file_out *f = out->priv;
	int err;

	/* A full queue first makes room if the file takes more now. */
	if (f->q.count == f->q.cap && out->state == FW_OUTPUT_UP)
		file_write(f);
	/* A partly written head stays: it is finished or taken back whole. */
	(void)fw_output_enqueue(out, &f->q, msg, f->head_written ? 1 : 0, &err);
	/* A full writev() at once, as output_stdout does (see there why). */
	if (f->q.count >= FILE_IOV_MAX && out->state == FW_OUTPUT_UP)
		file_write(f);
	return err;
}

static void
file_reopen(struct fw_output *out)
{
	struct file_out *f = out->priv;

	/* Write what was queued for the old file first, then switch. */
	if (out->state == FW_OUTPUT_UP)
		file_write(f);
	if (file_open_fd(f) == 0)
		file_write(f);
}

static void
file_closed(void *arg)
{
	struct file_out *f = arg;

	f->done(f->out);
}

static void
file_close(struct fw_output *out, void (*done)(struct fw_output *out))
{
	struct file_out *f = out->priv;

	if (out->state == FW_OUTPUT_UP)
		file_write(f);
	if (f->q.count > 0)
		log_warn("output %s: %zu alerts not written at shutdown; they are sent again "
			 "after a restart", out->cfg->name, f->q.count);
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
	out->state = FW_OUTPUT_CLOSED;
	f->done = done;
	if (!fw_close_barrier_idle(&f->handles)) {
		fw_close_barrier_close(&f->handles, (uv_handle_t *)&f->prepare);
		fw_close_barrier_close(&f->handles, (uv_handle_t *)&f->retry.timer);
	}
	fw_close_barrier_wait(&f->handles, file_closed, f);
}

static void
file_destroy(struct fw_output *out)
{
	struct file_out *f = out->priv;

	if (!f)
		return;
	fw_outq_fini(&f->q);
	if (f->fd >= 0)
		close(f->fd);
	free(f);
	out->priv = NULL;
	out->queue = NULL;
}

static const struct fw_output_ops file_ops = {
	.type = "file",
	.open = file_open,
	.submit = file_submit,
	.reopen = file_reopen,
	.close = file_close,
	.destroy = file_destroy,
};

int
fw_output_file_init(struct fw_output *out, struct fw_diag *diag)
{
	struct file_out *f = calloc(1, sizeof *f);

	if (!f)
		return -ENOMEM;
	if (fw_outq_init(&f->q, out->cfg->queue_max ? out->cfg->queue_max : FILE_DEFAULT_QUEUE) < 0) {
		free(f);
		return -ENOMEM;
	}
	f->fd = -1;
	f->out = out;
	out->ops = &file_ops;
	out->priv = f;
	out->queue = &f->q;
	return 0;
}
