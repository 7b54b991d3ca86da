/*
 * format_combined: the access-log format nginx calls `combined` (Apache's
 * is the same):
 *   ADDR - USER [04/Dec/2026:14:37:17 +0000] "GET /x HTTP/1.1" 502 157 "REFERER" "AGENT"
 * optionally after a virtual host (nginx `$host ...`, Apache
 * `%v` / `%v:%p`), and with anything after the user agent (upstream
 * times, ...). Fields take nginx's variable names: host, remote_addr,
 * remote_user, time_local, request, request_method, request_uri,
 * server_protocol, status, body_bytes_sent, http_referer, http_user_agent.
 * Quoted values are kept as written (nginx escapes '"' as \x22, Apache as
 * \"). The event time is time_local.
 */
#include "config.h"

#include <string.h>

#include "input/format_int.h"

/* The quoted value at s[*i] ('"'): its inside; *i moves past the closing quote. */
static bool
quoted(const char *s, size_t len, size_t *i, const char **v, size_t *n)
{
	size_t j = *i + 1;

	if (*i >= len || s[*i] != '"')
		return false;
	for (; j < len && s[j] != '"'; j++)
		if (s[j] == '\\' && j + 1 < len)
			j++;
	if (j >= len)
		return false;
	*v = s + *i + 1;
	*n = j - *i - 1;
	*i = j + 1;
	return true;
}

/* A run of bytes up to the next blank (or the end): false when empty. */
static bool
word(const char *s, size_t len, size_t *i, const char **v, size_t *n)
{
	size_t j = *i;

	while (j < len && s[j] != ' ')
		j++;
	if (j == *i)
		return false;
	*v = s + *i;
	*n = j - *i;
	*i = j;
	return true;
}

static bool
blank(const char *s, size_t len, size_t *i)
{
	if (*i >= len || s[*i] != ' ')
		return false;
	(*i)++;
	return true;
}

static bool
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

void
fw__request_parts(struct fw_parsed *out, const char *r, size_t n)
{
	const char *sp1 = memchr(r, ' ', n), *sp2;

	if (!sp1)
		return;
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - r));
	if (!sp2 || memchr(sp2 + 1, ' ', n - (size_t)(sp2 + 1 - r)))
		return;
	FW__LIT_FIELD(out, "request_method", r, (size_t)(sp1 - r));
	FW__LIT_FIELD(out, "request_uri", sp1 + 1, (size_t)(sp2 - sp1 - 1));
	FW__LIT_FIELD(out, "server_protocol", sp2 + 1, n - (size_t)(sp2 + 1 - r));
}

bool
fw__combined_parse(struct fw_format_parser *fp, struct fw_parsed *out)
{
	const char *s = out->text, *tok[4], *v, *close;
	size_t len = out->len, i = 0, tok_len[4], n, ntok = 0, first;

	(void)fp;
	out->names_static = true;
	/* [HOST] ADDR IDENT USER before the bracketed time. */
	while (i < len && s[i] != '[') {
		if (ntok == 4 || !word(s, len, &i, &tok[ntok], &tok_len[ntok]) || !blank(s, len, &i))
			goto bad;
		ntok++;
	}
	if (ntok < 3 || i == len)
		goto bad;
	close = memchr(s + i, ']', len - i);
	if (!close)
		goto bad;
	first = ntok - 3;
	if (first)
		FW__LIT_FIELD(out, "host", tok[0], tok_len[0]);
	FW__LIT_FIELD(out, "remote_addr", tok[first], tok_len[first]);
	FW__LIT_FIELD(out, "remote_user", tok[first + 2],
		      tok_len[first + 2] == 1 && tok[first + 2][0] == '-' ? 0 : tok_len[first + 2]);
	FW__LIT_FIELD(out, "time_local", s + i + 1, (size_t)(close - s - i - 1));
	out->has_time = fw__time_clf(s + i + 1, (size_t)(close - s - i - 1), &out->time);
	if (!out->has_time)
		goto bad;
	i = (size_t)(close - s) + 1;
	if (!blank(s, len, &i) || !quoted(s, len, &i, &v, &n))
		goto bad;
	FW__LIT_FIELD(out, "request", v, n);
	fw__request_parts(out, v, n);
	if (!blank(s, len, &i) || !word(s, len, &i, &v, &n) || n != 3 || !all_digits(v, n))
		goto bad;
	FW__LIT_FIELD(out, "status", v, n);
	if (!blank(s, len, &i) || !word(s, len, &i, &v, &n) ||
	    (!all_digits(v, n) && !(n == 1 && v[0] == '-')))
		goto bad;
	FW__LIT_FIELD(out, "body_bytes_sent", v, n);
	/* The common log format ends here; combined adds referer and agent. */
	if (i + 1 < len && s[i] == ' ' && s[i + 1] == '"') {
		i++;
		if (!quoted(s, len, &i, &v, &n))
			goto bad;
		FW__LIT_FIELD(out, "http_referer", v, n == 1 && v[0] == '-' ? 0 : n);
		if (i + 1 < len && s[i] == ' ' && s[i + 1] == '"') {
			i++;
			if (!quoted(s, len, &i, &v, &n))
				goto bad;
			FW__LIT_FIELD(out, "http_user_agent", v, n == 1 && v[0] == '-' ? 0 : n);
		}
	}
	return true;
bad:
	out->why = "not an access-log line (ADDR - USER [TIME] \"REQUEST\" STATUS BYTES ...)";
	return false;
}
