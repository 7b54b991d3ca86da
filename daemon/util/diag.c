/*
 * diag: collected user-facing error messages.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>

#include "util/diag.h"

void
fw_diag_init(struct fw_diag *d)
{
	d->msgs = NULL;
	d->n = d->cap = d->dropped = 0;
}

void
fw_diag_add(struct fw_diag *d, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (d->n >= FW_DIAG_MAX)
		goto drop;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		char **m = realloc(d->msgs, cap * sizeof *m);
		if (!m)
			goto drop;
		d->msgs = m;
		d->cap = cap;
	}
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg)
		goto drop;
	d->msgs[d->n++] = msg;
	return;
drop:
	d->dropped++;
}

void
fw_diag_print(const struct fw_diag *d, FILE *f)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(f, "%s\n", d->msgs[i]);
	if (d->dropped)
		fprintf(f, "... and %zu more errors\n", d->dropped);
}

size_t
fw_diag_count(const struct fw_diag *d)
{
	return d->n + d->dropped;
}

void
fw_diag_clear(struct fw_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->msgs[i]);
	free(d->msgs);
	fw_diag_init(d);
}
