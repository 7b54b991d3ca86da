/*
 * decomp_files: the compressed files a file input has read (see
 * decomp_files.h): a sorted array, binary search by (device, inode).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "input/decomp_files.h"

/* Index of the first entry >= (dev, ino). */
static size_t
lower_bound(const struct fw_decomp_files *s, uint64_t dev, uint64_t ino)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct fw_decomp_file *f = &s->v[mid];
		if (f->dev < dev || (f->dev == dev && f->ino < ino))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct fw_decomp_file *
fw_decomp_files_find(struct fw_decomp_files *s, uint64_t dev, uint64_t ino)
{
	size_t i = lower_bound(s, dev, ino);
	if (i < s->n && s->v[i].dev == dev && s->v[i].ino == ino)
		return &s->v[i];
	return NULL;
}

int
fw_decomp_files_put(struct fw_decomp_files *s, const struct fw_decomp_file *f)
{
	char *path = strdup(f->path ? f->path : "");
	if (!path)
		return -ENOMEM;
	size_t i = lower_bound(s, f->dev, f->ino);
	if (i < s->n && s->v[i].dev == f->dev && s->v[i].ino == f->ino) {
		free(s->v[i].path);
	} else {
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 64;
			struct fw_decomp_file *v = realloc(s->v, cap * sizeof(*v));
			if (!v) {
				free(path);
				return -ENOMEM;
			}
			s->v = v;
			s->cap = cap;
		}
		memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(s->v[0]));
		s->n++;
	}
	s->v[i] = *f;
	s->v[i].path = path;
	return 0;
}

size_t
fw_decomp_files_expire(struct fw_decomp_files *s, uint64_t now_ms)
{
	size_t kept = 0, n = s->n;
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].last_seen_ms + FW_DECOMP_RETAIN_MS < now_ms) {
			free(s->v[i].path);
			continue;
		}
		s->v[kept++] = s->v[i];
	}
	s->n = kept;
	return n - kept;
}

int
fw_decomp_files_save(const struct fw_decomp_files *s, struct fw_checkpoint *ck)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct fw_decomp_file *f = &s->v[i];
		if (f->waiting)
			continue;
		struct fw_checkpoint_file e = {
			.dev = f->dev, .ino = f->ino, .fp = f->fp,
			.offset = f->size, .line_no = f->lines, .path = f->path,
		};
		int err = fw_checkpoint_add_file(ck, &e);
		if (err < 0)
			return err;
	}
	return 0;
}

void
fw_decomp_files_free(struct fw_decomp_files *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].path);
	free(s->v);
	*s = (struct fw_decomp_files){0};
}
