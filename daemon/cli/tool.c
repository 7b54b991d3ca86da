/*
 * tool: what the subcommands of fixwatch(1) share (tool.h): the default KB,
 * usage errors, loading the KB as fixwatchd does and building a matcher.
 * Apart from fixwatch.c's main so that a test can link a subcommand.
 */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/tool.h"
#include "core/fwconfig.h"
#include "util/log.h"

/* ---- default KB ------------------------------------------------------ */

/*
 * The installed KB, unless this binary runs from its build tree, where the
 * source tree's data/kb is the one that belongs to it.
 */
const char *
fw_tool_default_kb(void)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (strcmp(exe, FW_BUILDDIR) == 0) {
				snprintf(path, sizeof path, "%s/data/kb", FW_SRCDIR);
				return path;
			}
		}
	}
	return FW_DATADIR "/kb";
}

int
fw_tool_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fixwatch: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'fixwatch --help'.\n");
	return EXIT_USAGE;
}

/*
 * The configuration whose kb_local the tools load, as fixwatchd would: the
 * one named by -c, else the default one when the KB is the default one too
 * (an explicit -k means that KB alone) and the file exists.
 */
static const char *
local_config(const struct tool_opts *o)
{
	if (o->no_local)
		return NULL;
	if (o->config)
		return o->config;
	if (o->n_kb == 0 && access(FW_TOOL_DEFAULT_CONFIG, F_OK) == 0)
		return FW_TOOL_DEFAULT_CONFIG;
	return NULL;
}

struct fw_kb *
fw_tool_load_kb(const struct tool_opts *o)
{
	const char *def = fw_tool_default_kb();
	const char *config = local_config(o);
	struct fw_kb_options opts = { 0 };
	struct fw_config *cfg = NULL;
	struct fw_diag diag;
	struct fw_kb *kb;
	int rc;

	fw_diag_init(&diag);
	if (config) {
		if (fw_config_load(config, &cfg, &diag) < 0) {
			fw_diag_print(&diag, stderr);
			fprintf(stderr, "fixwatch: %s: configuration not loaded, so neither its kb_local "
				"(use --no-local to go without)\n", config);
			fw_diag_clear(&diag);
			return NULL;
		}
		opts.local = cfg->kb_local;
	}
	rc = fw_kb_load(o->n_kb ? o->kb : &def, o->n_kb ? o->n_kb : 1, &opts, &kb, &diag);
	fw_config_free(cfg);
	if (rc < 0) {
		fw_diag_print(&diag, stderr);
		fprintf(stderr, "fixwatch: knowledge base not loaded: %zu error%s\n", fw_diag_count(&diag),
			fw_diag_count(&diag) == 1 ? "" : "s");
		fw_diag_clear(&diag);
		return NULL;
	}
	fw_diag_clear(&diag);
	for (uint32_t i = 0; i < kb->n_notices; i++)
		fprintf(stderr, "fixwatch: kb: %s\n", kb->notices[i]);
	if (kb->jit_error)
		log_warn("%s", kb->jit_error);
	return kb;
}

struct fw_matcher *
fw_tool_new_matcher(const struct fw_kb *kb, enum fw_match_engine engine)
{
	struct fw_diag diag;
	struct fw_matcher *m;

	fw_diag_init(&diag);
	if (fw_matcher_new(kb, engine, &m, &diag) < 0) {
		fw_diag_print(&diag, stderr);
		fprintf(stderr, "fixwatch: cannot build the %s matcher\n", fw_match_engine_name(engine));
		m = NULL;
	}
	fw_diag_clear(&diag);
	return m;
}
