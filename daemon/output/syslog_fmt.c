/*
 * syslog_fmt: RFC 5424 / RFC 3164 messages and RFC 6587 framing for alerts.
 * See syslog_fmt.h for the contract.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "output/syslog_fmt.h"
#include "util/severity.h"
#include "util/utf8.h"

#define HEADER_MAX 1024     /* header + SD: each part is capped below */
#define FIELD_MAX 200       /* an SD-PARAM value before escaping */

size_t
fw_syslog_sd_escape(const char *s, char *buf, size_t cap)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), i = 0, o = 0, k;

#define PUT(c) do { if (o + 1 < cap) buf[o] = (char)(c); o++; } while (0)
	while (i < n) {
		/* Controls (C0, DEL, C1) and invalid UTF-8 bytes: one '?' each. */
		k = fw_utf8_safe_seq(p + i, n - i);
		if (k == 0) {
			PUT('?');
			i += p[i] == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] < 0xa0 ? 2 : 1;
			continue;
		}
		/* RFC 5424 §6.3.3: '"', '\' and ']' MUST be escaped. */
		if (p[i] == '"' || p[i] == '\\' || p[i] == ']')
			PUT('\\');
		for (; k > 0; k--, i++)
			PUT(p[i]);
	}
#undef PUT
	if (cap > 0)
		buf[o < cap ? o : cap - 1] = '\0';
	return o;
}

char *
fw_syslog_json_sanitize(const char *json, size_t len, size_t *out_len)
{
	const unsigned char *p = (const unsigned char *)json;
	size_t i, extra = 0, o = 0;
	char *out;

	for (i = 0; i < len; i++) {
		if (p[i] == 0x7f)
			extra += 5;
		else if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] < 0xa0)
			extra += 4;
	}
	out = malloc(len + extra + 1);
	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		if (p[i] == 0x7f) {
			memcpy(out + o, "\\u007f", 6);
			o += 6;
		} else if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] < 0xa0) {
			snprintf(out + o, 7, "\\u00%02x", p[i + 1]);
			o += 6;
			i++;
		} else {
			out[o++] = (char)p[i];
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

/* RFC 5424 §6.2: HOSTNAME, APP-NAME... are PRINTUSASCII (33..126), or "-". */
static void
printusascii(const char *s, size_t max, char *buf)
{
	size_t i;

	for (i = 0; s && s[i] && i < max; i++)
		buf[i] = (s[i] > 32 && s[i] < 127) ? s[i] : '_';
	buf[i] = '\0';
	if (i == 0)
		strcpy(buf, "-");
}

static int
append_sd_param(char *buf, size_t cap, size_t *len, const char *name, const char *value)
{
	char esc[FIELD_MAX * 2 + 8];
	char val[FIELD_MAX + 1];
	int n;

	if (!value)
		return 0;
	/* Values come from the KB and the config; cap them so the header stays bounded. */
	snprintf(val, sizeof val, "%s", value);
	fw_syslog_sd_escape(val, esc, sizeof esc);
	n = snprintf(buf + *len, cap - *len, " %s=\"%s\"", name, esc);
	if (n < 0 || (size_t)n >= cap - *len)
		return -EMSGSIZE;
	*len += (size_t)n;
	return 0;
}

/* Writes everything before MSG into hdr; returns its length or -errno. */
static int
format_header(const struct fw_syslog_params *p, const struct fw_alert_msg *msg, char *hdr,
	      size_t cap, size_t *len)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	const int pri = p->facility * 8 + (msg->severity >= 0 && msg->severity < FW_SEVERITY_COUNT ?
					   msg->severity : FW_SEVERITY_DEFAULT);
	char host[256], procid[24], num[32];
	struct tm tm;
	time_t t = msg->time.tv_sec;
	int n;

	printusascii(p->hostname && *p->hostname ? p->hostname : msg->keys.host, 255, host);
	if (p->format == FW_FORMAT_RFC3164) {
		/* RFC 3164 §4.1.2: local time, "Mmm dd hh:mm:ss", day padded with a space. */
		localtime_r(&t, &tm);
		if (p->procid > 0)
			snprintf(procid, sizeof procid, "[%d]", p->procid);
		else
			procid[0] = '\0';
		n = snprintf(hdr, cap, "<%d>%s %2d %02d:%02d:%02d %s %s%s: ", pri, mon[tm.tm_mon],
			     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, host, FW_SYSLOG_APP_NAME,
			     procid);
		if (n < 0 || (size_t)n >= cap)
			return -EMSGSIZE;
		*len = (size_t)n;
		return 0;
	}
	if (p->format != FW_FORMAT_RFC5424)
		return -EINVAL;
	/* RFC 5424 §6.2.3: RFC 3339 time, UTC, at most microseconds. */
	gmtime_r(&t, &tm);
	if (p->procid > 0)
		snprintf(procid, sizeof procid, "%d", p->procid);
	else
		strcpy(procid, "-");
	n = snprintf(hdr, cap, "<%d>1 %04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s %s %s %s [%s", pri,
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		     msg->time.tv_nsec / 1000000, host, FW_SYSLOG_APP_NAME, procid,
		     msg->count > 1 ? "summary" : "alert", FW_SYSLOG_SD_ID);
	if (n < 0 || (size_t)n >= cap)
		return -EMSGSIZE;
	*len = (size_t)n;
	if (append_sd_param(hdr, cap, len, "id", msg->keys.id) ||
	    append_sd_param(hdr, cap, len, "domain", msg->keys.domain) ||
	    append_sd_param(hdr, cap, len, "category", msg->keys.category))
		return -EMSGSIZE;
	if (!isnan(msg->confidence)) {
		snprintf(num, sizeof num, "%.2f", msg->confidence);
		if (append_sd_param(hdr, cap, len, "confidence", num))
			return -EMSGSIZE;
	}
	snprintf(num, sizeof num, "%llu", (unsigned long long)(msg->count ? msg->count : 1));
	if (append_sd_param(hdr, cap, len, "input", msg->keys.input) ||
	    append_sd_param(hdr, cap, len, "count", num))
		return -EMSGSIZE;
	if (*len + 3 >= cap)
		return -EMSGSIZE;
	memcpy(hdr + *len, "] ", 3);
	*len += 2;
	return 0;
}

/*
 * Bytes that s[0..n) takes in the sanitized JSON: the escapes json-c writes
 * (\" \\ \b \f \n \r \t, \u00XX for the other C0 controls) and those
 * fw_syslog_json_sanitize adds (DEL, C1 controls). The line must be cut by
 * what it costs serialized, not by its raw length: a control byte costs six.
 */
static size_t
escaped_len(const unsigned char *s, size_t n)
{
	size_t i, cost = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\' || s[i] == '\b' || s[i] == '\f' || s[i] == '\n' ||
		    s[i] == '\r' || s[i] == '\t')
			cost += 2;
		else if (s[i] < 0x20 || s[i] == 0x7f)
			cost += 6;
		else if (s[i] == 0xc2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] < 0xa0)
			cost += 6, i++;
		else
			cost++;
	}
	return cost;
}

/* The longest prefix of the line, cut at a UTF-8 boundary, that costs at most room escaped. */
static size_t
line_prefix(const unsigned char *s, size_t n, size_t room)
{
	size_t keep = 0, cost = 0, step;

	while (keep < n) {
		step = s[keep] == 0xc2 && keep + 1 < n && s[keep + 1] >= 0x80 && s[keep + 1] < 0xa0
			       ? 2 : 1;
		cost += escaped_len(s + keep, step);
		if (cost > room)
			break;
		keep += step;
	}
	while (keep > 0 && keep < n && (s[keep] & 0xc0) == 0x80)
		keep--;
	return keep;
}

/*
 * Shortens the alert JSON until its sanitized form fits budget bytes:
 * first the "line" (marked truncated), then the bulky fields. Returns the
 * sanitized JSON (caller frees) or NULL with *err set.
 */
static char *
shrink_json(const char *json, size_t budget, size_t *out_len, int *err)
{
	static const char *const bulky[] = { "dead_ends", "workarounds", "also_matched",
					     "captures", "root_cause", "signature", NULL };
	json_object *obj, *line;
	const char *s;
	char *cur = NULL;
	size_t cur_len, i = 0;
	int round;

	obj = json_tokener_parse(json);
	if (!obj || !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		*err = -EINVAL;
		return NULL;
	}
	for (round = 0; round < 64; round++) {
		s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
							JSON_C_TO_STRING_NOSLASHESCAPE);
		free(cur);
		cur = fw_syslog_json_sanitize(s, strlen(s), &cur_len);
		if (!cur) {
			*err = -ENOMEM;
			break;
		}
		if (cur_len <= budget) {
			json_object_put(obj);
			*out_len = cur_len;
			return cur;
		}
		if (json_object_object_get_ex(obj, "line", &line) &&
		    json_object_is_type(line, json_type_string) && json_object_get_string_len(line) > 0) {
			const unsigned char *ls = (const unsigned char *)json_object_get_string(line);
			size_t ll = (size_t)json_object_get_string_len(line);
			size_t line_cost = escaped_len(ls, ll), excess = cur_len - budget;
			/* "truncated":true costs 18 more bytes the first time. */
			size_t room = line_cost > excess + 18 ? line_cost - excess - 18 : 0;
			char *copy = strndup((const char *)ls, line_prefix(ls, ll, room));

			if (!copy) {
				*err = -ENOMEM;
				break;
			}
			json_object_object_add(obj, "line", json_object_new_string(copy));
			json_object_object_add(obj, "truncated", json_object_new_boolean(1));
			free(copy);
			continue;
		}
		while (bulky[i] && !json_object_object_get_ex(obj, bulky[i], NULL))
			i++;
		if (!bulky[i]) {
			*err = -EMSGSIZE;
			break;
		}
		json_object_object_del(obj, bulky[i]);
	}
	if (round == 64)
		*err = -EMSGSIZE;
	free(cur);
	json_object_put(obj);
	return NULL;
}

char *
fw_syslog_json_fit(const char *json, size_t budget, size_t *out_len, int *err)
{
	return shrink_json(json, budget, out_len, err);
}

int
fw_syslog_format(const struct fw_syslog_params *p, const struct fw_alert_msg *msg, char **out,
		 size_t *len)
{
	char hdr[HEADER_MAX];
	const char *cee = p->cee ? "@cee: " : "";
	size_t hdr_len, cee_len = strlen(cee), body_len, budget;
	char *body, *buf;
	int r;

	if ((p->max_bytes && p->max_bytes < FW_SYSLOG_MIN_BYTES) || p->facility < 0 || p->facility > 23)
		return -EINVAL;
	r = format_header(p, msg, hdr, sizeof hdr, &hdr_len);
	if (r < 0)
		return r;
	body = fw_syslog_json_sanitize(msg->json, msg->json_len, &body_len);
	if (!body)
		return -ENOMEM;
	if (p->max_bytes && hdr_len + cee_len + body_len > p->max_bytes) {
		free(body);
		if (hdr_len + cee_len >= p->max_bytes)
			return -EMSGSIZE;
		budget = p->max_bytes - hdr_len - cee_len;
		body = shrink_json(msg->json, budget, &body_len, &r);
		if (!body)
			return r;
	}
	buf = malloc(hdr_len + cee_len + body_len + 1);
	if (!buf) {
		free(body);
		return -ENOMEM;
	}
	memcpy(buf, hdr, hdr_len);
	memcpy(buf + hdr_len, cee, cee_len);
	memcpy(buf + hdr_len + cee_len, body, body_len);
	buf[hdr_len + cee_len + body_len] = '\0';
	free(body);
	*out = buf;
	*len = hdr_len + cee_len + body_len;
	return 0;
}

int
fw_syslog_frame(enum fw_framing framing, char **buf, size_t *len)
{
	char prefix[24];
	size_t plen;
	char *n;

	if (framing == FW_FRAMING_LF) {
		n = realloc(*buf, *len + 2);
		if (!n)
			return -ENOMEM;
		n[*len] = '\n';
		n[*len + 1] = '\0';
		*buf = n;
		*len += 1;
		return 0;
	}
	/* RFC 6587 §3.4.1: MSG-LEN SP SYSLOG-MSG, MSG-LEN in octets. */
	plen = (size_t)snprintf(prefix, sizeof prefix, "%zu ", *len);
	n = malloc(plen + *len + 1);
	if (!n)
		return -ENOMEM;
	memcpy(n, prefix, plen);
	memcpy(n + plen, *buf, *len);
	n[plen + *len] = '\0';
	free(*buf);
	*buf = n;
	*len += plen;
	return 0;
}
