/*
 * output: alert messages and the registry of output types.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output/output.h"
#include "util/severity.h"

/* Copies s (when not NULL) to *at and moves *at past it; the copy or NULL. */
static const char *
put(char **at, const char *s, size_t len)
{
	char *copy = *at;

	if (!s)
		return NULL;
	memcpy(copy, s, len + 1);
	*at += len + 1;
	return copy;
}

struct fw_alert_msg *
fw_alert_msg_new(const char *json, size_t json_len, const struct fw_alert_keys *keys)
{
	static const struct fw_alert_keys none;
	const struct fw_alert_keys *k = keys ? keys : &none;
	const char *s[] = { k->id, k->domain, k->category, k->signature, k->input, k->host };
	size_t len[sizeof s / sizeof s[0]];
	size_t size = sizeof(struct fw_alert_msg) + json_len + 1;
	struct fw_alert_msg *msg;
	char *at;

	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
		len[i] = s[i] ? strlen(s[i]) : 0;
		size += s[i] ? len[i] + 1 : 0;
	}
	msg = malloc(size);
	if (!msg)
		return NULL;
	*msg = (struct fw_alert_msg){
		.refs = 1,
		.json_len = json_len,
		.count = 1,
		.confidence = NAN,
		.severity = FW_SEVERITY_NONE,
	};
	at = (char *)(msg + 1);
	memcpy(at, json, json_len);
	at[json_len] = '\0';
	msg->json = at;
	at += json_len + 1;
	msg->keys.id = put(&at, s[0], len[0]);
	msg->keys.domain = put(&at, s[1], len[1]);
	msg->keys.category = put(&at, s[2], len[2]);
	msg->keys.signature = put(&at, s[3], len[3]);
	msg->keys.input = put(&at, s[4], len[4]);
	msg->keys.host = put(&at, s[5], len[5]);
	return msg;
}

struct fw_alert_msg *
fw_alert_msg_ref(struct fw_alert_msg *msg)
{
	msg->refs++;
	return msg;
}

void
fw_alert_msg_unref(struct fw_alert_msg *msg)
{
	if (!msg || --msg->refs > 0)
		return;
	free(msg);
}

/* The one table of output types: the name status and errors print, the constructor. */
static const struct {
	const char *name;
	int (*init)(struct fw_output *out, struct fw_diag *diag);
} registry[] = {
	[FW_OUTPUT_STDOUT] = { "stdout", fw_output_stdout_init },
	[FW_OUTPUT_FILE] = { "file", fw_output_file_init },
	[FW_OUTPUT_UNIX] = { "unix", fw_output_unix_init },
	[FW_OUTPUT_TCP] = { "tcp", fw_output_tcp_init },
	[FW_OUTPUT_SYSLOG] = { "syslog", fw_output_syslog_init },
	[FW_OUTPUT_JOURNAL] = { "journal", fw_output_journal_init },
};

const char *
fw_output_type_name(enum fw_output_type type)
{
	return (unsigned)type < sizeof registry / sizeof registry[0] && registry[type].name
		       ? registry[type].name : "?";
}

int
fw_output_new(uv_loop_t *loop, const struct fw_output_config *cfg, struct fw_output **out,
	      struct fw_diag *diag)
{
	struct fw_output *o;
	int err;

	*out = NULL;
	if ((unsigned)cfg->type >= sizeof registry / sizeof registry[0] ||
	    !registry[cfg->type].init) {
		fw_diag_add(diag, "[output.%s] type: output type %s is not available in this build",
			    cfg->name, fw_output_type_name(cfg->type));
		return -ENOTSUP;
	}
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->loop = loop;
	o->cfg = cfg;
	o->state = FW_OUTPUT_CLOSED;
	err = registry[cfg->type].init(o, diag);
	if (err < 0) {
		free(o);
		return err;
	}
	*out = o;
	return 0;
}

void
fw_output_free(struct fw_output *out)
{
	if (!out)
		return;
	if (out->ops && out->ops->destroy)
		out->ops->destroy(out);
	free(out);
}

void
fw_output_ack(struct fw_output *out, uint64_t seq)
{
	if (seq <= out->acked)
		return;
	out->acked = seq;
	if (out->on_progress)
		out->on_progress(out);
}

const char *
fw_output_state_name(enum fw_output_state state)
{
	switch (state) {
	case FW_OUTPUT_UP: return "up";
	case FW_OUTPUT_CONNECTING: return "connecting";
	case FW_OUTPUT_DOWN: return "down";
	case FW_OUTPUT_CLOSED: return "closed";
	}
	return "unknown";
}
