/*
 * syslog_fmt: turns one alert into one syslog message (pure, no I/O).
 *
 * RFC 5424 (remote collectors, and /dev/log when asked):
 *   <PRI>1 TIMESTAMP HOSTNAME fixwatch PROCID MSGID [fixwatch@32473 ...] MSG
 * RFC 3164 (the traditional /dev/log format):
 *   <PRI>Mmm dd hh:mm:ss HOSTNAME fixwatch[PROCID]: MSG
 *
 * PRI is the output's facility (daemon, 3, unless configured) times 8 plus
 * the alert's severity: its record's, or warning (4) for a record that
 * states none (daemon.warning = 28). MSGID is
 * "alert", or "summary" for an aggregated alert (count > 1). The SD-ID
 * fixwatch@32473 uses 32473, the enterprise number reserved for
 * documentation (RFC 5612): a site with its own number can change
 * FW_SYSLOG_SD_ID; the collector-side examples in docs/delivery.md use it.
 * SD-PARAMs: id, domain, category, confidence, input, count.
 *
 * MSG is the alert JSON, optionally after the "@cee: " cookie (for
 * rsyslog's mmjsonparse). No BOM is written: RFC 5424 §6.4 makes it
 * optional and many collectors keep it as part of the text, which breaks
 * JSON parsing downstream.
 *
 * No control character from a log line reaches the collector raw: the
 * alert JSON already escapes C0 controls; DEL and the C1 controls
 * (U+0080..U+009F, e.g. the 8-bit CSI of terminal escapes) are escaped
 * here as \u00XX inside the JSON. SD values escape '"', '\' and ']'
 * (RFC 5424 §6.3.3) and replace control characters and invalid UTF-8
 * with '?'.
 *
 * Size cap: with max_bytes set, a message longer than that is shortened by
 * cutting the alert's "line" (at a UTF-8 boundary, "truncated":true) and,
 * if that is not enough, by leaving out the bulky fields (dead_ends,
 * workarounds, also_matched, captures, root_cause), so MSG always stays
 * one valid JSON object. The message never exceeds max_bytes.
 */
#ifndef FW_SYSLOG_FMT_H
#define FW_SYSLOG_FMT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/fwconfig.h"
#include "output/output.h"

#define FW_SYSLOG_SD_ID "fixwatch@32473"
#define FW_SYSLOG_APP_NAME "fixwatch"
/* Smallest cap accepted: headers, SD and a JSON skeleton must fit. */
#define FW_SYSLOG_MIN_BYTES 480

struct fw_syslog_params {
	enum fw_output_format format;   /* FW_FORMAT_RFC5424 or FW_FORMAT_RFC3164 */
	const char *hostname;           /* NULL or "": msg->host, else "-" */
	int procid;                     /* <= 0: "-" (5424) / no [PID] (3164) */
	int facility;                   /* 0..23 (FW_FACILITY_DAEMON is usual) */
	bool cee;
	size_t max_bytes;               /* 0: no cap */
};

/*
 * Formats msg into a new buffer (*out, caller frees; no trailing newline,
 * no framing). 0, -ENOMEM, -EINVAL (bad params) or -EMSGSIZE (cannot fit
 * even without the bulky fields).
 */
int fw_syslog_format(const struct fw_syslog_params *p, const struct fw_alert_msg *msg,
		     char **out, size_t *len);

/*
 * Adds RFC 6587 framing to a formatted message: "LEN " before it (octet
 * counting, §3.4.1) or "\n" after it (non-transparent framing, §3.4.2).
 * Reallocates *buf; 0 or -ENOMEM.
 */
int fw_syslog_frame(enum fw_framing framing, char **buf, size_t *len);

/*
 * Copies json[0..len) to a new buffer, escaping DEL and C1 controls as
 * \u00XX (they can only occur inside JSON strings). Caller frees.
 */
char *fw_syslog_json_sanitize(const char *json, size_t len, size_t *out_len);

/*
 * The alert JSON (NUL-terminated) sanitized and shortened as described
 * above until it takes at most budget bytes, for a JSON datagram with a
 * size cap. Caller frees; NULL with *err = -ENOMEM, -EINVAL (not a JSON
 * object) or -EMSGSIZE (cannot fit).
 */
char *fw_syslog_json_fit(const char *json, size_t budget, size_t *out_len, int *err);

/*
 * Writes s as an RFC 5424 PARAM-VALUE body (without the quotes) into
 * buf[0..cap): returns the length it needs (like snprintf).
 */
size_t fw_syslog_sd_escape(const char *s, char *buf, size_t cap);

#endif
