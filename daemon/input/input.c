/*
 * input: the registry of input types and what all inputs share.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "input/input.h"

/* One line per input type built in; the others are refused by name. */
static const struct {
	enum fw_input_type type;
	int (*create)(const struct fw_input_env *env, const struct fw_input_config *cfg,
		      struct fw_input **out, struct fw_diag *diag);
} registry[] = {
	{FW_INPUT_FILE, fw_input_file_new},
	{FW_INPUT_STDIN, fw_input_stdin_new},
	{FW_INPUT_JOURNAL, fw_input_journal_new},
};

int
fw_input_new(const struct fw_input_env *env, const struct fw_input_config *cfg,
	     struct fw_input **out, struct fw_diag *diag)
{
	*out = NULL;
	for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++)
		if (registry[i].type == cfg->type)
			return registry[i].create(env, cfg, out, diag);
	fw_diag_add(diag, "[input.%s] type: input type %s is not available in this build",
		    cfg->name, fw_input_type_name(cfg->type));
	return -ENOTSUP;
}

struct fw_input *
fw_input_alloc(const struct fw_input_ops *ops, const struct fw_input_env *env,
	       const struct fw_input_config *cfg)
{
	struct fw_input *in = calloc(1, sizeof(*in));
	if (!in)
		return NULL;
	in->ops = ops;
	in->cfg = cfg;
	in->env = *env;
	in->env.checkpoint = NULL;
	return in;
}

void
fw_input_free_common(struct fw_input *in)
{
	free(in);
}

static void
input_closed(void *arg)
{
	struct fw_input *in = arg;

	in->close_done(in);
}

void
fw_input_wait_closed(struct fw_input *in, void (*done)(struct fw_input *in))
{
	in->close_done = done;
	fw_close_barrier_wait(&in->handles, input_closed, in);
}

void
fw_input_finished(struct fw_input *in)
{
	if (in->finished)
		return;
	in->finished = true;
	if (in->env.on_finished)
		in->env.on_finished(in);
}

const char *
fw_input_type_name(enum fw_input_type type)
{
	switch (type) {
	case FW_INPUT_FILE: return "file";
	case FW_INPUT_JOURNAL: return "journal";
	case FW_INPUT_STDIN: return "stdin";
	}
	return "unknown";
}
