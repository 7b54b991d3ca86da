/*
 * format_syslog: syslog lines, as received or as rsyslog writes them:
 *   RFC 5424 §6:   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]
 *   RFC 3164 §4.1: [<PRI>]Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG
 *   rsyslog files: RFC 3339 TIMESTAMP HOSTNAME TAG[PID]: MSG (Debian 12's default)
 * Fields take RFC 5424's names: pri, timestamp, hostname, app_name,
 * procid, msgid, structured_data, message ("-", the nil value, is empty).
 * A 3164 line needs its TAG and ':' so that an arbitrary line with a date
 * in front is not taken for syslog. The event time is the timestamp
 * (RFC 3164's is local time without a year: format_time.c).
 */
#include "config.h"

#include <string.h>

#include "input/format_int.h"

/* The next blank-free token; *i moves past it and one blank after it. */
static bool
token(const char *s, size_t len, size_t *i, const char **v, size_t *n)
{
	size_t j = *i;

	while (j < len && s[j] != ' ')
		j++;
	if (j == *i)
		return false;
	*v = s + *i;
	*n = j - *i;
	*i = j < len ? j + 1 : j;
	return true;
}

static void
nil_field(struct fw_parsed *out, const char *name, size_t name_len, const char *v, size_t n)
{
	fw__fmt_field(out, name, name_len, v, n == 1 && v[0] == '-' ? 0 : n);
}

#define NIL_FIELD(out, lit, v, n) nil_field((out), (lit), sizeof(lit) - 1, (v), (n))

/* RFC 5424 §6.3: "-" or [ID PARAM="VALUE" ...]... with \] and \" escaped in values. */
static bool
structured_data(const char *s, size_t len, size_t *i)
{
	if (*i < len && s[*i] == '-') {
		(*i)++;
		return true;
	}
	if (*i >= len || s[*i] != '[')
		return false;
	while (*i < len && s[*i] == '[') {
		bool in_value = false;

		for ((*i)++; *i < len; (*i)++) {
			if (in_value && s[*i] == '\\') {
				(*i)++;
				continue;
			}
			if (s[*i] == '"')
				in_value = !in_value;
			else if (!in_value && s[*i] == ']')
				break;
		}
		if (*i >= len)
			return false;
		(*i)++;
	}
	return true;
}

static bool
parse_5424(struct fw_parsed *out, const char *s, size_t len, size_t i)
{
	const char *v;
	size_t n, sd;
	static const char *const names[] = { "hostname", "app_name", "procid", "msgid" };

	if (!token(s, len, &i, &v, &n))
		return false;
	NIL_FIELD(out, "timestamp", v, n);
	if (!(n == 1 && v[0] == '-')) {
		out->has_time = fw__time_rfc3339(v, n, &out->time);
		if (!out->has_time)
			return false;
	}
	for (size_t k = 0; k < 4; k++) {
		if (!token(s, len, &i, &v, &n))
			return false;
		nil_field(out, names[k], strlen(names[k]), v, n);
	}
	sd = i;
	if (!structured_data(s, len, &i) || (i < len && s[i] != ' '))
		return false;
	NIL_FIELD(out, "structured_data", s + sd, i - sd);
	if (i < len)
		i++;
	/* §6.4: a UTF-8 MSG may start with a BOM. */
	if (len - i >= 3 && memcmp(s + i, "\xEF\xBB\xBF", 3) == 0)
		i += 3;
	FW__LIT_FIELD(out, "message", s + i, len - i);
	return true;
}

static bool
parse_3164(struct fw_parsed *out, const char *s, size_t len, size_t i, const struct timespec *now)
{
	const char *v, *tag;
	size_t n, tag_len, j;

	/* "Mmm dd hh:mm:ss" has blanks in it; an RFC 3339 time has none. */
	if (len - i >= 16 && s[i + 15] == ' ' && fw__time_rfc3164(s + i, 15, now, &out->time)) {
		FW__LIT_FIELD(out, "timestamp", s + i, 15);
		i += 16;
	} else if (token(s, len, &i, &v, &n) && fw__time_rfc3339(v, n, &out->time)) {
		FW__LIT_FIELD(out, "timestamp", v, n);
	} else {
		return false;
	}
	out->has_time = true;
	if (!token(s, len, &i, &v, &n))
		return false;
	FW__LIT_FIELD(out, "hostname", v, n);
	/* TAG: up to '[' or ':' (RFC 3164 §4.1.3), then an optional [PID], then ':'. */
	tag = s + i;
	for (j = i; j < len && s[j] != '[' && s[j] != ':' && s[j] != ' '; j++)
		;
	tag_len = j - i;
	if (tag_len == 0 || j == len || s[j] == ' ')
		return false;
	FW__LIT_FIELD(out, "app_name", tag, tag_len);
	if (s[j] == '[') {
		const char *pid = s + j + 1, *end = memchr(pid, ']', len - j - 1);

		if (!end || (size_t)(end - s) + 1 >= len || end[1] != ':')
			return false;
		FW__LIT_FIELD(out, "procid", pid, (size_t)(end - pid));
		j = (size_t)(end - s) + 1;
	}
	j++;    /* the ':' */
	if (j < len && s[j] == ' ')
		j++;
	FW__LIT_FIELD(out, "message", s + j, len - j);
	return true;
}

bool
fw__syslog_parse(struct fw_format_parser *fp, const struct timespec *now, struct fw_parsed *out)
{
	const char *s = out->text;
	size_t len = out->len, i = 0;

	(void)fp;
	out->names_static = true;
	/* RFC 5424 §6.2.1: PRI is 1 to 3 digits, at most 191. */
	if (len && s[0] == '<') {
		unsigned pri = 0;

		for (i = 1; i < len && i <= 4 && s[i] >= '0' && s[i] <= '9'; i++)
			pri = pri * 10 + (unsigned)(s[i] - '0');
		if (i == 1 || i > 4 || i == len || s[i] != '>' || pri > 191)
			goto bad;
		FW__LIT_FIELD(out, "pri", s + 1, i - 1);
		i++;
		if (len - i >= 2 && s[i] == '1' && s[i + 1] == ' ') {
			if (parse_5424(out, s, len, i + 2))
				return true;
			goto bad;
		}
	}
	if (parse_3164(out, s, len, i, now))
		return true;
bad:
	out->why = "not a syslog line (RFC 5424, RFC 3164 or TIMESTAMP HOST TAG: MSG)";
	return false;
}
