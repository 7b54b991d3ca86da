/*
 * format_nginx_shape: the shapes of nginx variables' values (see
 * format_nginx_shape.h). The facts they rest on, from nginx's HTTP core,
 * log and upstream modules:
 *
 * - escape=default writes `"`, `\`, bytes below 0x20 and from 0x7f up as
 *   \xXX; escape=json writes `"`, `\` and control bytes as JSON escapes. So
 *   a value never holds a bare `"` in those modes, whatever the variable.
 * - A variable that has no value is written as `-`.
 * - `status` is printed with three digits (000 when there was no response).
 * - Times (`request_time`, `msec`, `connection_time`, `upstream_*_time`)
 *   are seconds with a '.' and milliseconds; counts (`*_length`, `bytes_*`,
 *   `body_bytes_sent`, `connection`, `pid`, ports) are decimal integers.
 * - The `upstream_*` values that describe each server tried are lists:
 *   ", " between servers of one group, " : " where an internal redirect
 *   went to another group, `-` for a server with no value.
 *   `upstream_cache_status` is one word; `upstream_http_*`,
 *   `upstream_cookie_*`, `upstream_trailer_*` are header values.
 * - `host` is validated when the request is read: letters, digits and
 *   - . _ ~ ! $ & ' ( ) * + , ; = %, or an IPv6 literal in [ ]; never '/'
 *   or a blank (a request without a host takes the server's name, which a
 *   line then does not fit when that is a regular expression: it is
 *   matched as text). `hostname` is a host name too; `server_name` is the
 *   name as configured, a word.
 * - `request_uri`, `uri` and `document_uri` start with '/' (a request line
 *   with an absolute URI keeps its path); a method is A-Z, '_' and '-'.
 * - `remote_addr`, `server_addr` and the PROXY protocol addresses are
 *   printed IPv4 or IPv6 addresses, or `unix:`.
 * - ngx_http_ssl_module: `ssl_protocol`, `ssl_cipher`, `ssl_ciphers`,
 *   `ssl_curve(s)`, `ssl_alpn_protocol`, `ssl_session_reused` ("r" or
 *   "."), `ssl_early_data` ("1" or empty) are tokens; `ssl_session_id`,
 *   `ssl_client_serial` and `ssl_client_fingerprint` are hex;
 *   `ssl_server_name` is a host; `ssl_client_v_remain` is a count of days.
 *   The DNs, `ssl_client_verify` ("FAILED:reason"), the certificate's dates
 *   and the certificates themselves are free text.
 * - ngx_http_geoip_module: country and continent codes are letters,
 *   `geoip_area_code` and `geoip_dma_code` counts, `geoip_latitude` and
 *   `geoip_longitude` signed decimals, `geoip_region` a token; names,
 *   cities, postal codes and organisations are free text.
 * - `http2` ("h2", "h2c" or empty), `http3`, `is_args` ("?" or empty),
 *   `secure_link`, `invalid_referer`, `uid_got`, `uid_set` are tokens;
 *   `tcpinfo_*`, `limit_rate`, `realip_remote_port` and `proxy_port` are
 *   counts; `limit_req_status` and `limit_conn_status` are upper-case words
 *   (PASSED, REJECTED_DRY_RUN...); `proxy_host` is a host.
 * - Request headers (`http_*`, also `content_length`, which is the header
 *   as the client sent it), response headers (`sent_http_*`,
 *   `sent_trailer_*`), cookies (`cookie_*`), arguments (`arg_*`), `args`,
 *   `request` and `remote_user` are whatever a client sends: free text.
 */
#include "config.h"

#include <string.h>

#include "input/format_int.h"
#include "input/format_nginx_shape.h"

/* Bytes of spec ("a-z0-9._" ranges; a '-' at either end is itself) into s. */
static void
add(struct fw__byteset *s, const char *spec)
{
	for (const unsigned char *p = (const unsigned char *)spec; *p; p++) {
		unsigned lo = *p, hi = *p;

		if (p[1] == '-' && p[2]) {
			hi = p[2];
			p += 2;
		}
		for (unsigned c = lo; c <= hi; c++)
			s->has[c] = 1;
	}
}

/* Every byte but not (0: every byte). */
static void
add_all_but(struct fw__byteset *s, unsigned char not)
{
	memset(s->has, 1, sizeof s->has);
	if (not)
		s->has[not] = 0;
}

void
fw__nginx_shape_bytes(struct fw__shape_bytes bytes[FW__SHAPE_N])
{
	static const struct {
		const char *set, *first;
	} spec[FW__SHAPE_N] = {
		[FW__SHAPE_DIGITS] = { "0-9", "0-9" },
		[FW__SHAPE_STATUS] = { "0-9", "0-9" },
		[FW__SHAPE_DECIMAL] = { "0-9.", "0-9" },
		[FW__SHAPE_SIGNED] = { "0-9.-", "0-9-" },
		[FW__SHAPE_ADDRESS] = { "0-9a-fA-F.:unix", "0-9a-fA-F:u" },
		[FW__SHAPE_HOST] = { "a-zA-Z0-9._~!$&'()*+,;=%[]:-", "a-zA-Z0-9._~!$&'()*+,;=%[-" },
		[FW__SHAPE_METHOD] = { "A-Z_-", "A-Z_-" },
		[FW__SHAPE_PROTOCOL] = { "A-Z0-9./", "A-Z" },
		[FW__SHAPE_URI] = { NULL, "/" },
		[FW__SHAPE_WORD] = { "a-zA-Z", "a-zA-Z" },
		[FW__SHAPE_HEX] = { "0-9a-fA-F", "0-9a-fA-F" },
		[FW__SHAPE_TIME_LOCAL] = { "0-9a-zA-Z/: +-", "0-9" },
		[FW__SHAPE_TIME_ISO8601] = { "0-9T:+-", "0-9" },
		[FW__SHAPE_LIST_DIGITS] = { "0-9 ,:-", "0-9-" },
		[FW__SHAPE_LIST_DECIMAL] = { "0-9. ,:-", "0-9-" },
	};

	memset(bytes, 0, FW__SHAPE_N * sizeof *bytes);
	for (int i = 0; i < FW__SHAPE_N; i++) {
		if (spec[i].set)
			add(&bytes[i].set, spec[i].set);
		if (spec[i].first)
			add(&bytes[i].first, spec[i].first);
	}
	/* no blank in a token (a list's blanks are its separators'); free text and URIs hold anything */
	add_all_but(&bytes[FW__SHAPE_TOKEN].set, ' ');
	add_all_but(&bytes[FW__SHAPE_TOKEN].first, ' ');
	add_all_but(&bytes[FW__SHAPE_LIST_TOKEN].set, 0);
	add_all_but(&bytes[FW__SHAPE_LIST_TOKEN].first, ' ');
	add_all_but(&bytes[FW__SHAPE_FREE].set, 0);
	add_all_but(&bytes[FW__SHAPE_FREE].first, 0);
	add_all_but(&bytes[FW__SHAPE_URI].set, 0);
	bytes[FW__SHAPE_STATUS].width = 3;
	bytes[FW__SHAPE_LIST_DIGITS].lists = bytes[FW__SHAPE_LIST_DECIMAL].lists =
		bytes[FW__SHAPE_LIST_TOKEN].lists = true;
	add(&bytes[FW__SHAPE_LIST_DIGITS].elem, "0-9");
	add(&bytes[FW__SHAPE_LIST_DECIMAL].elem, "0-9.");
	/* addresses ("10.0.0.1:80", "unix:/run/php.sock") or a group's name */
	add_all_but(&bytes[FW__SHAPE_LIST_TOKEN].elem, ' ');
	bytes[FW__SHAPE_LIST_TOKEN].elem.has[','] = 0;
}

/* -- names to shapes ---------------------------------------------------- */

static const struct {
	const char *name;
	enum fw__shape shape;
} known[] = {
	{ "status", FW__SHAPE_STATUS },
	{ "body_bytes_sent", FW__SHAPE_DIGITS }, { "connection", FW__SHAPE_DIGITS },
	{ "connection_requests", FW__SHAPE_DIGITS }, { "pid", FW__SHAPE_DIGITS },
	{ "remote_port", FW__SHAPE_DIGITS }, { "server_port", FW__SHAPE_DIGITS },
	{ "proxy_protocol_port", FW__SHAPE_DIGITS }, { "proxy_protocol_server_port", FW__SHAPE_DIGITS },
	{ "msec", FW__SHAPE_DECIMAL }, { "gzip_ratio", FW__SHAPE_DECIMAL },
	{ "remote_addr", FW__SHAPE_ADDRESS }, { "server_addr", FW__SHAPE_ADDRESS },
	{ "realip_remote_addr", FW__SHAPE_ADDRESS }, { "proxy_protocol_addr", FW__SHAPE_ADDRESS },
	{ "proxy_protocol_server_addr", FW__SHAPE_ADDRESS },
	{ "host", FW__SHAPE_HOST }, { "hostname", FW__SHAPE_HOST },
	/* as configured: also "*.example.com" or a regular expression */
	{ "server_name", FW__SHAPE_TOKEN },
	{ "request_method", FW__SHAPE_METHOD }, { "server_protocol", FW__SHAPE_PROTOCOL },
	{ "request_uri", FW__SHAPE_URI }, { "uri", FW__SHAPE_URI }, { "document_uri", FW__SHAPE_URI },
	{ "scheme", FW__SHAPE_WORD }, { "https", FW__SHAPE_WORD },
	{ "request_completion", FW__SHAPE_WORD }, { "upstream_cache_status", FW__SHAPE_WORD },
	{ "request_id", FW__SHAPE_HEX },
	{ "pipe", FW__SHAPE_TOKEN }, { "nginx_version", FW__SHAPE_TOKEN },
	/* ngx_http_ssl_module (and the stream module's ssl_preread) */
	{ "ssl_protocol", FW__SHAPE_TOKEN }, { "ssl_cipher", FW__SHAPE_TOKEN },
	{ "ssl_ciphers", FW__SHAPE_TOKEN }, { "ssl_curve", FW__SHAPE_TOKEN }, { "ssl_curves", FW__SHAPE_TOKEN },
	{ "ssl_alpn_protocol", FW__SHAPE_TOKEN }, { "ssl_session_reused", FW__SHAPE_TOKEN },
	{ "ssl_early_data", FW__SHAPE_TOKEN }, { "ssl_client_escaped_cert", FW__SHAPE_TOKEN },
	{ "ssl_session_id", FW__SHAPE_HEX }, { "ssl_client_serial", FW__SHAPE_HEX },
	{ "ssl_client_fingerprint", FW__SHAPE_HEX }, { "ssl_server_name", FW__SHAPE_HOST },
	{ "ssl_client_v_remain", FW__SHAPE_DIGITS },
	{ "ssl_preread_server_name", FW__SHAPE_HOST }, { "ssl_preread_protocol", FW__SHAPE_TOKEN },
	{ "ssl_preread_alpn_protocols", FW__SHAPE_TOKEN },
	/* ngx_http_geoip_module */
	{ "geoip_country_code", FW__SHAPE_WORD }, { "geoip_country_code3", FW__SHAPE_WORD },
	{ "geoip_city_country_code", FW__SHAPE_WORD }, { "geoip_city_country_code3", FW__SHAPE_WORD },
	{ "geoip_city_continent_code", FW__SHAPE_WORD },
	{ "geoip_area_code", FW__SHAPE_DIGITS }, { "geoip_dma_code", FW__SHAPE_DIGITS },
	{ "geoip_latitude", FW__SHAPE_SIGNED }, { "geoip_longitude", FW__SHAPE_SIGNED },
	{ "geoip_region", FW__SHAPE_TOKEN },
	/* the other modules' */
	{ "http2", FW__SHAPE_TOKEN }, { "http3", FW__SHAPE_TOKEN }, { "is_args", FW__SHAPE_TOKEN },
	{ "secure_link", FW__SHAPE_TOKEN }, { "invalid_referer", FW__SHAPE_TOKEN },
	{ "uid_got", FW__SHAPE_TOKEN }, { "uid_set", FW__SHAPE_TOKEN },
	{ "limit_rate", FW__SHAPE_DIGITS }, { "realip_remote_port", FW__SHAPE_DIGITS },
	{ "proxy_port", FW__SHAPE_DIGITS }, { "proxy_host", FW__SHAPE_HOST },
	{ "limit_req_status", FW__SHAPE_METHOD }, { "limit_conn_status", FW__SHAPE_METHOD },
	{ "time_local", FW__SHAPE_TIME_LOCAL }, { "time_iso8601", FW__SHAPE_TIME_ISO8601 },
	{ "upstream_addr", FW__SHAPE_LIST_TOKEN }, { "upstream_status", FW__SHAPE_LIST_DIGITS },
	/* a request header as sent, not the length nginx read */
	{ "content_length", FW__SHAPE_FREE },
};

static bool
starts(const char *name, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n > k && memcmp(name, prefix, k) == 0;
}

static bool
ends(const char *name, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n > k && memcmp(name + n - k, suffix, k) == 0;
}

static bool
has(const char *name, size_t n, const char *part)
{
	size_t k = strlen(part);

	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(name + i, part, k) == 0)
			return true;
	return false;
}

enum fw__shape
fw__nginx_shape_of(const char *name, size_t n)
{
	static const char *const free_families[] = {
		"http_", "sent_http_", "sent_trailer_", "cookie_", "arg_",
		"upstream_http_", "upstream_cookie_", "upstream_trailer_",
	};
	bool count, upstream;

	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strlen(known[i].name) == n && memcmp(known[i].name, name, n) == 0)
			return known[i].shape;
	for (size_t i = 0; i < sizeof free_families / sizeof free_families[0]; i++)
		if (starts(name, n, free_families[i]))
			return FW__SHAPE_FREE;
	upstream = starts(name, n, "upstream_");
	count = ends(name, n, "_length") || starts(name, n, "bytes_") || has(name, n, "_bytes_") ||
		starts(name, n, "tcpinfo_");
	if (ends(name, n, "_time"))
		return upstream ? FW__SHAPE_LIST_DECIMAL : FW__SHAPE_DECIMAL;
	if (count)
		return upstream ? FW__SHAPE_LIST_DIGITS : FW__SHAPE_DIGITS;
	return FW__SHAPE_FREE;
}

/* -- values ------------------------------------------------------------- */

/* Whether v holds a '"' that nginx would have escaped (escape=default, json). */
static bool
bare_quote(enum fw__nginx_escape escape, const char *v, size_t n)
{
	const char *q = v, *end = v + n;

	if (escape == FW__ESCAPE_NONE)
		return false;
	while ((q = memchr(q, '"', (size_t)(end - q))) != NULL) {
		size_t k = 0;

		if (escape == FW__ESCAPE_DEFAULT)
			return true;
		while (q - k > v && q[-1 - (ptrdiff_t)k] == '\\')
			k++;
		if (k % 2 == 0)
			return true;
		q++;
	}
	return false;
}

/* The elements of an upstream list: each one of elem's bytes, or '-'. */
static bool
list_fits(const struct fw__byteset *elem, const char *v, size_t n)
{
	size_t i = 0;

	for (;;) {
		size_t start = i;

		while (i < n && fw__byteset_has(elem, (unsigned char)v[i]))
			i++;
		if (i == start) {
			if (i == n || v[i] != '-')
				return false;
			i++;
		}
		if (i == n)
			return true;
		if (n - i > 2 && v[i] == ',' && v[i + 1] == ' ')
			i += 2;
		else if (n - i > 3 && v[i] == ' ' && v[i + 1] == ':' && v[i + 2] == ' ')
			i += 3;
		else
			return false;
	}
}

enum fw__fit
fw__nginx_shape_fits(const struct fw__shape_bytes *bytes, enum fw__shape shape,
		     enum fw__nginx_escape escape, const char *v, size_t n, bool scanned,
		     struct timespec *time)
{
	const struct fw__shape_bytes *b = &bytes[shape];

	if (n == 1 && v[0] == '-')
		return FW__FIT;
	/* a shape without '"' refuses it below */
	if (fw__byteset_has(&b->set, '"') && bare_quote(escape, v, n))
		return FW__FIT_NEVER;
	if (n == 0)
		return shape == FW__SHAPE_FREE || shape == FW__SHAPE_WORD || shape == FW__SHAPE_TOKEN ?
		       FW__FIT : FW__FIT_NOT;
	if (!fw__byteset_has(&b->first, (unsigned char)v[0]))
		return FW__FIT_NEVER;
	if (shape == FW__SHAPE_FREE || shape == FW__SHAPE_URI)
		return FW__FIT;
	/* times are checked whole (a longer value may be one); the access-log time's parser takes
	 * only its own bytes */
	if (shape == FW__SHAPE_TIME_LOCAL)
		return fw__time_clf(v, n, time) ? FW__FIT : FW__FIT_NOT;
	for (size_t i = 1; i < n && !scanned; i++)
		if (!fw__byteset_has(&b->set, (unsigned char)v[i]))
			return FW__FIT_NEVER;
	if (shape == FW__SHAPE_TIME_ISO8601)
		return fw__time_rfc3339(v, n, time) ? FW__FIT : FW__FIT_NOT;
	if (b->width)
		return n == b->width ? FW__FIT : n < b->width ? FW__FIT_NOT : FW__FIT_NEVER;
	if (shape == FW__SHAPE_DECIMAL || shape == FW__SHAPE_SIGNED)
		return v[n - 1] != '.' ? FW__FIT : FW__FIT_NOT;
	if (!b->lists)
		return FW__FIT;
	return list_fits(&b->elem, v, n) ? FW__FIT : FW__FIT_NOT;
}
