/*
 * checkpoint: state files in state_dir, one per input.
 *
 * Format (text, one record per line, fields separated by one space; paths,
 * names and cursors percent-encoded so they hold no space or newline):
 *
 *   fixwatch-state 3
 *   input NAME
 *   file DEV INO FPHASH FPLEN WINHASH WINLEN OFFSET LINE_NO PATH
 *   rotated PREV_PATH
 *   ack OUTPUT OFFSET
 *   cursor CURSOR
 *   checksum HASH
 *
 * HASH is FNV-1a 64 (hex) of every byte before the "checksum" line, so a
 * torn or edited file is detected rather than trusted. WINHASH and WINLEN
 * fingerprint the WINLEN bytes before OFFSET. An "ack" line belongs to the
 * "file" line before it: an output ahead of OFFSET and its own position
 * (checkpoint.h: per-output progress). A "rotated" line, at most one, right
 * after its "file" line: the file's name before rotation renamed it
 * (checkpoint.h: rotated files). Version 1 files (written before there was
 * a window or acks: "file DEV INO FPHASH FPLEN OFFSET LINE_NO PATH") and
 * version 2 files (no "rotated" lines) still load. A save writes version 3
 * only when it has a "rotated" line, version 2 otherwise, so that a daemon
 * of the version before (which refuses version 3) keeps its positions
 * after a downgrade in the common case.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/checkpoint.h"
#include "util/hex.h"

#define STATE_MAGIC "fixwatch-state 3"
#define STATE_MAGIC_V2 "fixwatch-state 2"
#define STATE_MAGIC_V1 "fixwatch-state 1"
#define STATE_MAX_BYTES (16u << 20)

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t
fnv1a(uint64_t h, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= FNV_PRIME;
	}
	return h;
}

void
fw_fingerprint_of(const void *buf, size_t len, struct fw_fingerprint *fp)
{
	if (len > FW_FINGERPRINT_MAX)
		len = FW_FINGERPRINT_MAX;
	fp->len = (uint32_t)len;
	fp->hash = fnv1a(FNV_OFFSET, buf, len);
}

/* Reads up to len bytes at off; returns how many (short at the end of the file) or -errno. */
static ssize_t
read_at(int fd, char *buf, size_t len, uint64_t off)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = pread(fd, buf + got, len - got, (off_t)(off + got));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int
fw_fingerprint_fd(int fd, struct fw_fingerprint *fp)
{
	char buf[FW_FINGERPRINT_MAX];
	ssize_t got = read_at(fd, buf, sizeof buf, 0);
	if (got < 0)
		return (int)got;
	fw_fingerprint_of(buf, (size_t)got, fp);
	return 0;
}

bool
fw_fingerprint_matches(int fd, const struct fw_fingerprint *fp)
{
	char buf[FW_FINGERPRINT_MAX];
	/* Shorter than when seen: not the same file. */
	return read_at(fd, buf, fp->len, 0) == (ssize_t)fp->len &&
	       fnv1a(FNV_OFFSET, buf, fp->len) == fp->hash;
}

int
fw_fingerprint_window_fd(int fd, uint64_t end, struct fw_fingerprint *fp)
{
	char buf[FW_FINGERPRINT_MAX];
	size_t len = end < sizeof buf ? (size_t)end : sizeof buf;
	ssize_t got = read_at(fd, buf, len, end - len);
	if (got < 0)
		return (int)got;
	if ((size_t)got < len)
		return -ENODATA;   /* shorter than end now */
	fw_fingerprint_of(buf, len, fp);
	return 0;
}

bool
fw_fingerprint_window_matches(int fd, uint64_t end, const struct fw_fingerprint *fp)
{
	char buf[FW_FINGERPRINT_MAX];
	if (fp->len == 0)
		return true;   /* nothing to compare (an older state file, or offset 0) */
	if (end < fp->len)
		return false;
	return read_at(fd, buf, fp->len, end - fp->len) == (ssize_t)fp->len &&
	       fnv1a(FNV_OFFSET, buf, fp->len) == fp->hash;
}

int
fw_checkpoint_init(struct fw_checkpoint *ck, const char *input)
{
	memset(ck, 0, sizeof(*ck));
	ck->input = strdup(input);
	return ck->input ? 0 : -ENOMEM;
}

static void
free_acks(struct fw_checkpoint_file *f)
{
	for (size_t i = 0; i < f->n_acks; i++)
		free(f->acks[i].output);
	free(f->acks);
	f->acks = NULL;
	f->n_acks = 0;
}

void
fw_checkpoint_clear(struct fw_checkpoint *ck)
{
	for (size_t i = 0; i < ck->n_files; i++) {
		free(ck->files[i].path);
		free(ck->files[i].rotated_from);
		free_acks(&ck->files[i]);
	}
	free(ck->files);
	free(ck->cursor);
	ck->files = NULL;
	ck->n_files = ck->cap_files = 0;
	ck->cursor = NULL;
	/* input is kept: the checkpoint stays usable for the same input. */
}

void
fw_checkpoint_free(struct fw_checkpoint *ck)
{
	fw_checkpoint_clear(ck);
	free(ck->input);
	ck->input = NULL;
}

int
fw_checkpoint_add_file(struct fw_checkpoint *ck, const struct fw_checkpoint_file *f)
{
	if (ck->n_files == ck->cap_files) {
		size_t cap = ck->cap_files ? ck->cap_files * 2 : 4;
		struct fw_checkpoint_file *v = realloc(ck->files, cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		ck->files = v;
		ck->cap_files = cap;
	}
	struct fw_checkpoint_file *dst = &ck->files[ck->n_files];
	*dst = *f;
	dst->acks = NULL;
	dst->n_acks = 0;
	dst->rotated_from = NULL;
	dst->path = strdup(f->path ? f->path : "");
	if (!dst->path)
		return -ENOMEM;
	if (f->rotated_from && !(dst->rotated_from = strdup(f->rotated_from)))
		goto oom;
	if (f->n_acks > 0) {
		dst->acks = calloc(f->n_acks, sizeof *dst->acks);
		if (!dst->acks)
			goto oom;
		for (; dst->n_acks < f->n_acks; dst->n_acks++) {
			dst->acks[dst->n_acks].offset = f->acks[dst->n_acks].offset;
			dst->acks[dst->n_acks].output = strdup(f->acks[dst->n_acks].output);
			if (!dst->acks[dst->n_acks].output)
				goto oom;
		}
	}
	ck->n_files++;
	return 0;
oom:
	free(dst->path);
	free(dst->rotated_from);
	free_acks(dst);
	return -ENOMEM;
}

uint64_t
fw_checkpoint_file_ack(const struct fw_checkpoint_file *f, const char *output)
{
	for (size_t i = 0; i < f->n_acks; i++)
		if (strcmp(f->acks[i].output, output) == 0 && f->acks[i].offset > f->offset)
			return f->acks[i].offset;
	return f->offset;
}

/* Adds output's position to the last file entry (parse_state). 0, -EEXIST, -ENOMEM. */
static int
add_ack(struct fw_checkpoint *ck, const char *output, uint64_t offset)
{
	struct fw_checkpoint_file *f = &ck->files[ck->n_files - 1];
	struct fw_checkpoint_ack *v;

	for (size_t i = 0; i < f->n_acks; i++)
		if (strcmp(f->acks[i].output, output) == 0)
			return -EEXIST;
	v = realloc(f->acks, (f->n_acks + 1) * sizeof *v);
	if (!v)
		return -ENOMEM;
	f->acks = v;
	v[f->n_acks].output = strdup(output);
	if (!v[f->n_acks].output)
		return -ENOMEM;
	v[f->n_acks++].offset = offset;
	return 0;
}

int
fw_checkpoint_set_cursor(struct fw_checkpoint *ck, const char *cursor)
{
	char *c = NULL;
	if (cursor && !(c = strdup(cursor)))
		return -ENOMEM;
	free(ck->cursor);
	ck->cursor = c;
	return 0;
}

const struct fw_checkpoint_file *
fw_checkpoint_find(const struct fw_checkpoint *ck, uint64_t dev, uint64_t ino)
{
	for (size_t i = 0; i < ck->n_files; i++)
		if (ck->files[i].dev == dev && ck->files[i].ino == ino)
			return &ck->files[i];
	return NULL;
}

/* Percent-encodes what would break the line format or a file name. */
static void
put_escaped(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p == '%' || *p == '/' || *p >= 0x7f)
			fprintf(f, "%%%02X", *p);
		else
			fputc(*p, f);
	}
}

/* Decodes s in place; false on a malformed escape or an encoded NUL. */
static bool
unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (*r != '%') {
			*w++ = *r;
			continue;
		}
		int hi = fw_hex_value(r[1]), lo = hi < 0 ? -1 : fw_hex_value(r[2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			return false;
		*w++ = (char)(hi * 16 + lo);
		r += 2;
	}
	*w = '\0';
	return true;
}

/* "DIR/NAME.state" with NAME escaped; NULL on OOM. */
static char *
state_path(const char *state_dir, const char *input, const char *suffix)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fprintf(f, "%s/", state_dir);
	put_escaped(f, input);
	fprintf(f, ".state%s", suffix);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static bool
parse_u64(const char *s, int base, uint64_t *v)
{
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, base);
	if (errno || *end)
		return false;
	*v = x;
	return true;
}

/* Splits line into at most max fields on single spaces; returns the count. */
static size_t
split_fields(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *p = line;
	while (n < max) {
		fields[n++] = p;
		char *sp = strchr(p, ' ');
		if (!sp)
			break;
		*sp = '\0';
		p = sp + 1;
	}
	return n;
}

/* Parses the verified text; on error names the line in diag. */
static int
parse_state(char *text, const char *path, const char *input, struct fw_checkpoint *ck,
	    struct fw_diag *diag)
{
	unsigned line_no = 0;
	char *save = NULL;
	bool seen_input = false, v1 = false, v2 = false;
	bool after_file = false;    /* the record before was "file", "rotated" or "ack" */
	bool after_file_line = false;   /* the record before was "file" */
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		line_no++;
		char *f[11];
		if (line_no == 1) {
			v1 = strcmp(line, STATE_MAGIC_V1) == 0;
			v2 = strcmp(line, STATE_MAGIC_V2) == 0;
			if (!v1 && !v2 && strcmp(line, STATE_MAGIC) != 0) {
				fw_diag_add(diag, "%s:1: not a fixwatch state file (version 1, 2 or 3)",
					    path);
				return -EBADMSG;
			}
			continue;
		}
		size_t n = split_fields(line, f, 11);
		bool was_after_file = after_file, was_after_file_line = after_file_line;

		after_file = after_file_line = false;
		if (strcmp(f[0], "input") == 0 && n == 2 && !seen_input) {
			if (!unescape(f[1]) || strcmp(f[1], input) != 0) {
				fw_diag_add(diag, "%s:%u: state of another input", path, line_no);
				return -EBADMSG;
			}
			seen_input = true;
		} else if (strcmp(f[0], "file") == 0 && seen_input) {
			struct fw_checkpoint_file e = {0};
			uint64_t fplen, winlen = 0;
			char **rest = v1 ? f + 5 : f + 7;   /* OFFSET LINE_NO PATH */
			if (n != (v1 ? 8u : 10u) || !parse_u64(f[1], 10, &e.dev) || !parse_u64(f[2], 10, &e.ino) ||
			    !parse_u64(f[3], 16, &e.fp.hash) || !parse_u64(f[4], 10, &fplen) ||
			    fplen > FW_FINGERPRINT_MAX ||
			    (!v1 && (!parse_u64(f[5], 16, &e.window.hash) ||
				     !parse_u64(f[6], 10, &winlen) || winlen > FW_FINGERPRINT_MAX)) ||
			    !parse_u64(rest[0], 10, &e.offset) || !parse_u64(rest[1], 10, &e.line_no) ||
			    winlen > e.offset || !unescape(rest[2])) {
				fw_diag_add(diag, "%s:%u: bad file entry", path, line_no);
				return -EBADMSG;
			}
			e.fp.len = (uint32_t)fplen;
			e.window.len = (uint32_t)winlen;
			e.path = rest[2];
			if (fw_checkpoint_add_file(ck, &e) < 0)
				return -ENOMEM;
			after_file = after_file_line = true;
		} else if (strcmp(f[0], "rotated") == 0 && n == 2 && !v1 && !v2 &&
			   was_after_file_line) {
			struct fw_checkpoint_file *last = &ck->files[ck->n_files - 1];

			if (!unescape(f[1]) || !*f[1]) {
				fw_diag_add(diag, "%s:%u: bad rotated entry", path, line_no);
				return -EBADMSG;
			}
			if (!(last->rotated_from = strdup(f[1])))
				return -ENOMEM;
			after_file = true;
		} else if (strcmp(f[0], "ack") == 0 && n == 3 && !v1 && was_after_file) {
			uint64_t offset;
			int err;

			if (!unescape(f[1]) || !*f[1] || !parse_u64(f[2], 10, &offset)) {
				fw_diag_add(diag, "%s:%u: bad ack entry", path, line_no);
				return -EBADMSG;
			}
			err = add_ack(ck, f[1], offset);
			if (err == -EEXIST) {
				fw_diag_add(diag, "%s:%u: output \"%s\" acknowledged twice", path,
					    line_no, f[1]);
				return -EBADMSG;
			}
			if (err < 0)
				return err;
			after_file = true;
		} else if (strcmp(f[0], "cursor") == 0 && n == 2 && seen_input && !ck->cursor) {
			if (!unescape(f[1]) || !*f[1]) {
				fw_diag_add(diag, "%s:%u: bad cursor", path, line_no);
				return -EBADMSG;
			}
			if (fw_checkpoint_set_cursor(ck, f[1]) < 0)
				return -ENOMEM;
		} else {
			fw_diag_add(diag, "%s:%u: unexpected \"%s\" record", path, line_no, f[0]);
			return -EBADMSG;
		}
	}
	if (!seen_input) {
		fw_diag_add(diag, "%s: no input record", path);
		return -EBADMSG;
	}
	return 0;
}

/* Checks and strips the trailing checksum line; on error names the place. */
static int
verify_checksum(char *text, size_t len, const char *path, struct fw_diag *diag)
{
	if (len == 0 || text[len - 1] != '\n') {
		fw_diag_add(diag, "%s: truncated (no final newline)", path);
		return -EBADMSG;
	}
	text[len - 1] = '\0';
	char *last = strrchr(text, '\n');
	size_t body = last ? (size_t)(last - text) + 1 : 0;
	const char *sum = text + body;
	uint64_t want;
	if (strncmp(sum, "checksum ", 9) != 0 || !parse_u64(sum + 9, 16, &want)) {
		fw_diag_add(diag, "%s: no checksum line at the end", path);
		return -EBADMSG;
	}
	if (fnv1a(FNV_OFFSET, text, body) != want) {
		fw_diag_add(diag, "%s: checksum mismatch (torn or edited)", path);
		return -EBADMSG;
	}
	text[body] = '\0';
	return 0;
}

static int
read_file(const char *path, char **out, size_t *out_len)
{
	/* O_NONBLOCK: a FIFO put in its place must not hang the start. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	struct stat st;
	int err = 0;
	if (fstat(fd, &st) < 0)
		err = -errno;
	else if (!S_ISREG(st.st_mode))
		err = -EINVAL;
	else if (st.st_size > STATE_MAX_BYTES)
		err = -EFBIG;
	if (err < 0) {
		close(fd);
		return err;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*out_len = got;
	return 0;
}

int
fw_checkpoint_load(const char *state_dir, const char *input, struct fw_checkpoint *ck,
		   struct fw_diag *diag)
{
	int err = fw_checkpoint_init(ck, input);
	if (err < 0)
		return err;
	char *path = state_path(state_dir, input, "");
	if (!path)
		return -ENOMEM;
	char *text = NULL;
	size_t len = 0;
	err = read_file(path, &text, &len);
	if (err == -ENOENT) {
		free(path);
		return -ENOENT;
	}
	if (err == -ELOOP || err == -EINVAL || err == -EFBIG) {
		/* Not a state file we wrote: a symlink, a directory, a FIFO... */
		fw_diag_add(diag, "%s: %s", path,
			    err == -ELOOP ? "is a symbolic link" :
			    err == -EFBIG ? "is larger than a state file can be" :
			    "is not a regular file");
		err = -EBADMSG;
	} else if (err < 0) {
		fw_diag_add(diag, "%s: cannot read state: %s", path, strerror(-err));
		free(path);
		return err;
	} else if (memchr(text, '\0', len)) {
		fw_diag_add(diag, "%s: contains NUL bytes", path);
		err = -EBADMSG;
	} else {
		err = verify_checksum(text, len, path, diag);
		if (err == 0)
			err = parse_state(text, path, input, ck, diag);
	}
	free(text);
	if (err == -EBADMSG) {
		/* Never trust it, never lose it: keep it aside for a human. */
		fw_checkpoint_clear(ck);
		char *bad = state_path(state_dir, input, ".bad");
		if (bad && rename(path, bad) == 0)
			fw_diag_add(diag, "%s: set aside as %s; the input starts without a checkpoint",
				    path, bad);
		else
			fw_diag_add(diag, "%s: could not set it aside: %s", path, strerror(errno));
		free(bad);
	} else if (err < 0) {
		fw_checkpoint_clear(ck);
	}
	free(path);
	return err;
}

/*
 * The descriptor kept in reserve for saving (fw_checkpoint_reserve()). Out
 * of descriptors, a save gives it up for the file it opens and takes it
 * back once that is closed. Saves run on the loop thread only.
 */
static int reserve_fd = -1;
static bool reserve_wanted;

int
fw_checkpoint_reserve(void)
{
	reserve_wanted = true;
	if (reserve_fd < 0)
		reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return reserve_fd < 0 ? -errno : 0;
}

void
fw_checkpoint_unreserve(void)
{
	reserve_wanted = false;
	if (reserve_fd >= 0)
		close(reserve_fd);
	reserve_fd = -1;
}

/* open(2), falling back on the reserved descriptor at EMFILE or ENFILE: fd or -errno. */
static int
open_reserved(const char *path, int flags, mode_t mode)
{
	int fd = open(path, flags, mode);
	if (fd < 0 && (errno == EMFILE || errno == ENFILE) && reserve_fd >= 0) {
		close(reserve_fd);
		reserve_fd = -1;
		fd = open(path, flags, mode);
	}
	return fd < 0 ? -errno : fd;
}

/* Takes the reserved descriptor back, if it was given up (and can be had now). */
static void
take_back_reserve(void)
{
	if (reserve_wanted && reserve_fd < 0)
		reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static int
fsync_dir(const char *dir)
{
	int fd = open_reserved(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	int err = fsync(fd) < 0 ? -errno : 0;
	close(fd);
	return err;
}

int
fw_checkpoint_save(const char *state_dir, const struct fw_checkpoint *ck, struct fw_diag *diag)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (!m)
		return -ENOMEM;
	/* Version 3 only for what version 2 cannot say (see the top). */
	bool v3 = false;
	for (size_t i = 0; i < ck->n_files && !v3; i++)
		v3 = ck->files[i].rotated_from && *ck->files[i].rotated_from;
	fprintf(m, "%s\ninput ", v3 ? STATE_MAGIC : STATE_MAGIC_V2);
	put_escaped(m, ck->input);
	fputc('\n', m);
	for (size_t i = 0; i < ck->n_files; i++) {
		const struct fw_checkpoint_file *e = &ck->files[i];
		fprintf(m, "file %" PRIu64 " %" PRIu64 " %016" PRIx64 " %" PRIu32 " %016" PRIx64
			   " %" PRIu32 " %" PRIu64 " %" PRIu64 " ",
			e->dev, e->ino, e->fp.hash, e->fp.len, e->window.hash, e->window.len,
			e->offset, e->line_no);
		put_escaped(m, e->path ? e->path : "");
		fputc('\n', m);
		if (e->rotated_from && *e->rotated_from) {
			fputs("rotated ", m);
			put_escaped(m, e->rotated_from);
			fputc('\n', m);
		}
		for (size_t k = 0; k < e->n_acks; k++) {
			fputs("ack ", m);
			put_escaped(m, e->acks[k].output);
			fprintf(m, " %" PRIu64 "\n", e->acks[k].offset);
		}
	}
	if (ck->cursor) {
		fputs("cursor ", m);
		put_escaped(m, ck->cursor);
		fputc('\n', m);
	}
	if (fflush(m) != 0) {
		fclose(m);
		free(text);
		return -ENOMEM;
	}
	fprintf(m, "checksum %016" PRIx64 "\n", fnv1a(FNV_OFFSET, text, len));
	if (fclose(m) != 0) {
		free(text);
		return -ENOMEM;
	}

	char *path = state_path(state_dir, ck->input, "");
	char *tmp = state_path(state_dir, ck->input, ".tmp");
	int err = 0;
	if (!path || !tmp) {
		err = -ENOMEM;
		goto out;
	}
	/*
	 * A new file, never an existing one: O_EXCL refuses a symbolic or hard
	 * link planted under the temporary name (O_TRUNC on it would cut
	 * another file). What a crash left there is ours and goes first.
	 */
	if (unlink(tmp) < 0 && errno != ENOENT) {
		err = -errno;
		fw_diag_add(diag, "%s: cannot remove the old temporary file: %s", tmp,
			    strerror(-err));
		goto out;
	}
	take_back_reserve();
	int fd = open_reserved(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0) {
		err = fd;
		fw_diag_add(diag, "%s: cannot write state: %s", tmp, strerror(-err));
		goto out;
	}
	size_t done = 0;
	while (done < len && err == 0) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = -errno;
		else
			done += (size_t)n;
	}
	if (err == 0 && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && err == 0)
		err = -errno;
	if (err == 0 && rename(tmp, path) < 0)
		err = -errno;
	if (err < 0) {
		fw_diag_add(diag, "%s: cannot write state: %s", path, strerror(-err));
		unlink(tmp);
		goto out;
	}
	/* The rename is durable only once the directory is. */
	err = fsync_dir(state_dir);
	if (err < 0)
		fw_diag_add(diag, "%s: cannot sync: %s", state_dir, strerror(-err));
out:
	take_back_reserve();
	free(path);
	free(tmp);
	free(text);
	return err;
}
