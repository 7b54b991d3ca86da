/*
 * match_fast_report: what the fast engine's prefilter does per pattern and
 * what a pattern costs to confirm, for `fixwatch check` (match_fast.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match/dfa.h"
#include "match/match_engine.h"
#include "match/match_fast.h"
#include "match/match_fast_int.h"

int
fw_match_fast_describe(const struct fw_matcher *m, uint32_t pattern, char *buf, size_t len)
{
	const struct fast *f;
	size_t o = 0;
	bool any = false;

	if (!len)
		return -EINVAL;
	buf[0] = '\0';
	if (!m || m->ops != &fw__match_fast_ops || pattern >= m->kb->n_patterns)
		return -EINVAL;
	f = m->engine_data;
	pattern = f->canon[pattern];    /* an equal pattern's entry stands for it */
	for (uint32_t b = 0; b < FACTORS_MAX; b++) {
		const struct fp_factor *fa = &f->factors[pattern * FACTORS_MAX + b];

		if (!fa->n_lits)
			continue;
		o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s%s", any ? " AND " : "",
				      fa->n_lits > 1 ? "(" : "");
		for (uint32_t i = 0; i < fa->n_lits; i++) {
			const struct fp_lit *l = &f->lits[f->factor_lits[fa->first_lit + i]];

			o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s\"", i ? "|" : "");
			for (uint32_t j = 0; j < l->len; j++) {
				unsigned char ch = l->bytes[j];

				if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
					o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%c", ch);
				else
					o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "\\x%02x", ch);
			}
			o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "\"%s",
					      l->caseless ? "i" : "");
		}
		if (fa->n_lits > 1)
			o += (size_t)snprintf(buf + o, o < len ? len - o : 0, ")");
		any = true;
	}
	if (!any)
		snprintf(buf, len, "none");
	return any ? 1 : 0;
}

int
fw_match_fast_shape(const struct fw_matcher *m, uint32_t pattern, char *buf, size_t len)
{
	const struct fast *f;
	uint32_t s = FW_SHAPE_NONE;

	if (!len)
		return -EINVAL;
	buf[0] = '\0';
	if (!m || m->ops != &fw__match_fast_ops || pattern >= m->kb->n_patterns)
		return -EINVAL;
	f = m->engine_data;
	pattern = f->canon[pattern];
	if (!f->in_dfa[pattern])
		s = f->confirm_shape[pattern];
	/*
	 * A DFA member's shape gates it only when its gate tests shapes; the
	 * gate may test, instead of it, a wider shape of another member that
	 * it implies (gate_shapes() in match_fast_build.c): that one is shown.
	 */
	for (uint32_t i = 0; f->in_dfa[pattern] && i < fw_dfa_size(f->dfa); i++) {
		uint32_t g = f->need[pattern] ? f->dfa_group[i] : DFA_GROUPS_MAX;
		const struct fp_shape_gate *gate = &f->gate_shapes[g];
		uint32_t own = f->member_shape[i];

		if (f->dfa_pattern[i] != pattern || (g != DFA_GROUPS_MAX && !f->n_dfa_groups) || !gate->n ||
		    own == FW_SHAPE_NONE)
			continue;
		s = FW_SHAPE_NONE;
		for (uint32_t k = gate->first; k < gate->first + gate->n && s != own; k++) {
			uint32_t t = f->gate_shape_list[k];

			if (t == own || (s == FW_SHAPE_NONE && fw_shapes_implies(&f->shapes[own], &f->shapes[t])))
				s = t;
		}
	}
	if (s == FW_SHAPE_NONE)
		return 0;
	fw_shapes_format(&f->shapes[s], buf, len);
	return f->shapes[s].n;
}

uint32_t
fw_match_fast_always_count(const struct fw_matcher *m)
{
	const struct fast *f;
	uint32_t n = 0;

	if (!m || m->ops != &fw__match_fast_ops)
		return 0;
	f = m->engine_data;
	for (uint32_t a = 0; a < f->n_always; a++)
		for (uint32_t p = f->always[a]; p != UINT32_MAX; p = f->same_next[p])
			n++;    /* and its equals, confirmed after it */
	return n;
}

uint32_t
fw_match_fast_anchor_count(const struct fw_matcher *m)
{
	if (!m || m->ops != &fw__match_fast_ops)
		return 0;
	return ((const struct fast *)m->engine_data)->n_anchors;
}

bool
fw_match_fast_in_dfa(const struct fw_matcher *m, uint32_t pattern)
{
	const struct fast *f;

	if (!m || m->ops != &fw__match_fast_ops || pattern >= m->kb->n_patterns)
		return false;
	f = m->engine_data;
	return f->in_dfa[f->canon[pattern]] != 0;
}

uint32_t
fw_match_fast_dfa_count(const struct fw_matcher *m)
{
	const struct fast *f;

	if (!m || m->ops != &fw__match_fast_ops)
		return 0;
	f = m->engine_data;
	return f->dfa ? fw_dfa_size(f->dfa) : 0;
}

/* Typical healthy lines: what an always-confirmed pattern mostly runs on. */
static const char *const cost_lines[] = {
	"203.0.113.7 - - [23/Nov/2026:08:00:00 +0000] \"GET /index.html HTTP/1.1\" 200 5123 \"-\" "
	"\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0\"",
	"198.51.100.23 - alice [23/Nov/2026:08:00:01 +0000] \"POST /api/v1/orders?id=42 HTTP/2.0\" "
	"201 87 \"https://www.example.com/cart\" \"curl/8.4.0\"",
	"2026/11/23 08:00:02 [notice] 1234#1234: *99 client closed keepalive connection",
	"2026-11-23\t08:00:03\tFRA56-C1\t1433\t192.0.2.10\tGET\td111111abcdef8.cloudfront.net\t"
	"/static/app.js\t200\t-\tMozilla/5.0\t-\t-\tHit\tAbCdEf==\twww.example.com\thttps\t"
	"312\t0.002\t-\tTLSv1.3\tTLS_AES_128_GCM_SHA256\tHit\tHTTP/2.0",
	"Nov 23 08:00:04 web-1 systemd[1]: Started Session 42 of user root.",
	"Nov 23 08:00:05 web-1 sshd[2211]: Accepted publickey for deploy from 192.0.2.4 port 50022 ssh2",
	"Nov 23 08:00:06 web-1 CRON[3300]: (root) CMD (run-parts /etc/cron.hourly)",
	"Nov 23 08:00:07 web-1 kernel: [12345.678901] IPv4: martian source 10.0.0.1 from 10.0.0.2, on dev eth0",
};

int
fw_match_fast_common(const struct fw_matcher *m, uint32_t pattern, unsigned *hits, unsigned *of)
{
	const struct fast *f;
	bool any = false;

	*hits = 0;
	*of = sizeof cost_lines / sizeof cost_lines[0];
	if (!m || m->ops != &fw__match_fast_ops || pattern >= m->kb->n_patterns)
		return -EINVAL;
	f = m->engine_data;
	pattern = f->canon[pattern];
	for (size_t i = 0; i < *of; i++) {
		bool all = true;

		for (uint32_t b = 0; b < FACTORS_MAX && all; b++) {
			const struct fp_factor *fa = &f->factors[pattern * FACTORS_MAX + b];
			bool one = fa->n_lits == 0;

			any |= fa->n_lits != 0;
			for (uint32_t k = 0; k < fa->n_lits && !one; k++) {
				const struct fp_lit *l = &f->lits[f->factor_lits[fa->first_lit + k]];

				one = fp_lit_in(l, FP_LIT_CTX(f, l), l->find, (const unsigned char *)cost_lines[i],
						strlen(cost_lines[i]));
			}
			all = one;
		}
		*hits += all;
	}
	if (!any)
		*hits = *of;
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
fw_match_fast_cost(const struct fw_matcher *m, uint32_t pattern, double *ns_per_line)
{
	enum { ROUNDS = 9, REPEAT = 50 };
	const size_t n_lines = sizeof cost_lines / sizeof cost_lines[0];
	const struct fw_shapes *gate = NULL;
	double rounds[ROUNDS];
	struct fw_match_ctx *ctx;

	*ns_per_line = 0;
	if (!m || pattern >= m->kb->n_patterns)
		return -EINVAL;
	/* As matching does: a shape-gated pattern is confirmed only where its shape occurs. */
	if (m->ops == &fw__match_fast_ops) {
		const struct fast *f = m->engine_data;

		if (f->confirm_shape[pattern] != FW_SHAPE_NONE)
			gate = &f->shapes[f->confirm_shape[pattern]];
	}
	ctx = fw_match_ctx_new(m);
	if (!ctx)
		return -ENOMEM;
	for (int r = 0; r < ROUNDS; r++) {
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (int k = 0; k < REPEAT; k++) {
			for (size_t i = 0; i < n_lines; i++) {
				ctx->n_hits = 0;
				ctx->n_caps = 0;
				if (gate && !fw_shapes_in(gate, (const unsigned char *)cost_lines[i], strlen(cost_lines[i])))
					continue;
				(void)fw__match_try(ctx, pattern, cost_lines[i], strlen(cost_lines[i]));
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		rounds[r] = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) /
			    (double)(REPEAT * n_lines);
	}
	fw_match_ctx_free(ctx);
	qsort(rounds, ROUNDS, sizeof rounds[0], cmp_double);
	*ns_per_line = rounds[ROUNDS / 2];
	return 0;
}
