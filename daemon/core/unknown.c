/*
 * unknown: see unknown.h. The level is read only where the log states it
 * in a fixed place: nginx's error log format (ngx_log_error_core writes
 * "YYYY/MM/DD HH:MM:SS [level] "), a leading syslog PRI (RFC 5424 section
 * 6.2.1, RFC 3164 section 4.1.1: severity = PRI mod 8) and the journal's
 * PRIORITY field. Words like "CRITICAL" elsewhere in a line prove nothing.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "core/unknown.h"
#include "input/format.h"

/* "YYYY/MM/DD HH:MM:SS [level] ": the level's severity, or none. */
static int
nginx_level(const char *s, size_t len)
{
	const char *level;
	size_t n;

	if (!fw_format_nginx_error_prefix(s, len, NULL, &level, &n))
		return FW_SEVERITY_NONE;
	return fw_unknown_nginx_level(level, n);
}

int
fw_unknown_nginx_level(const char *level, size_t len)
{
	return len ? fw_severity_from_word(level, len) : FW_SEVERITY_NONE;
}

/* "<PRI>" with PRI 0..191 written without leading zeros. */
static int
syslog_level(const char *s, size_t len)
{
	unsigned pri = 0;
	size_t i = 1;

	if (len < 3 || s[0] != '<')
		return FW_SEVERITY_NONE;
	for (; i < len && i <= 3 && s[i] >= '0' && s[i] <= '9'; i++)
		pri = pri * 10 + (unsigned)(s[i] - '0');
	if (i == 1 || i >= len || s[i] != '>' || pri > 191 || (s[1] == '0' && i > 2))
		return FW_SEVERITY_NONE;
	return (int)(pri % 8);
}

int
fw_unknown_level(const char *line, size_t len, int priority, enum fw_unknown_log *log)
{
	int level;

	if (priority >= 0 && priority < 8) {
		*log = FW_UNKNOWN_JOURNAL;
		return priority;
	}
	if ((level = nginx_level(line, len)) != FW_SEVERITY_NONE) {
		*log = FW_UNKNOWN_NGINX_ERROR;
		return level;
	}
	if ((level = syslog_level(line, len)) != FW_SEVERITY_NONE) {
		*log = FW_UNKNOWN_SYSLOG;
		return level;
	}
	return FW_SEVERITY_NONE;
}

#define UNKNOWN_CAUSE \
	"No record in the knowledge base recognises this line, and its log marks it at or " \
	"above the input's unknown_level (crit unless set): something failed that fixwatch " \
	"cannot explain yet. The line itself, and the lines the same program logged just " \
	"before it, say what."
#define UNKNOWN_CAUSE_ZH \
	"知识库中没有任何记录能识别这一行，而日志给它标注的级别达到或超过了该输入的 " \
	"unknown_level（未设置时为 crit）：出现了 fixwatch 还无法解释的故障。" \
	"这一行本身，以及同一程序在它之前记录的几行，会说明发生了什么。"

static const struct fw_workaround unknown_workarounds[] = {
	{
		.action = "Write a record for this message so that the next alert carries its cause and fix",
		.action_zh = "为这条消息编写一条记录，下次告警即可带上原因和修复方法",
		.how = "Run `fixwatch new-record FILE:LINE` (or `echo 'LINE' | fixwatch new-record -`) "
		       "for a record skeleton with a generalised regex and this line as its example; "
		       "complete it (data/kb/README.md), save it in kb_local (/etc/fixwatch/kb.d), "
		       "check it with `fixwatch test -k FILE`, then reload fixwatchd "
		       "(systemctl reload fixwatchd).",
		.success_rate = NAN,
	},
};

#define UNKNOWN_RECORD(slug, what, what_zh) { \
		.id = "unknown/" slug, \
		.signature = what " at a serious level that no record knows", \
		.signature_zh = what_zh, \
		.domain = "unknown", .category = "unknown", \
		.root_cause = UNKNOWN_CAUSE, .root_cause_zh = UNKNOWN_CAUSE_ZH, \
		.verification_tier = "built-in", \
		.confidence = NAN, .fix_success_rate = NAN, .severity = FW_SEVERITY_NONE, \
		.workarounds = unknown_workarounds, .n_workarounds = 1, .fix = 0, \
	}

static const struct fw_record unknown_records[FW_UNKNOWN_N] = {
	[FW_UNKNOWN_NGINX_ERROR] = UNKNOWN_RECORD("nginx-error", "An nginx error-log line",
						  "无记录可识别的高级别 nginx 错误日志行"),
	[FW_UNKNOWN_SYSLOG] = UNKNOWN_RECORD("syslog", "A syslog message",
					     "无记录可识别的高级别 syslog 消息"),
	[FW_UNKNOWN_JOURNAL] = UNKNOWN_RECORD("journal", "A journal entry",
					      "无记录可识别的高级别 journal 条目"),
};

const struct fw_record *
fw_unknown_record(enum fw_unknown_log log)
{
	return &unknown_records[log];
}
