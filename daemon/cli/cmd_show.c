/*
 * fixwatch show: prints one record as Markdown.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/tool.h"
#include "core/render.h"
#include "util/log.h"

int
fw_show_command(const struct tool_opts *o, int argc, char **argv)
{
	const struct fw_record *rec;
	struct fw_kb *kb;

	if (argc != 1)
		return fw_tool_usage_error("%s", "show: give exactly one record ID");
	kb = fw_tool_load_kb(o);
	if (!kb)
		return EXIT_FINDINGS;
	rec = fw_kb_find(kb, argv[0]);
	if (!rec) {
		log_err("show: no record with id '%s' (list them with: fixwatch check)", argv[0]);
		fw_kb_free(kb);
		return EXIT_FINDINGS;
	}
	fw_render_markdown(stdout, kb, rec, o->zh);
	fw_kb_free(kb);
	return fflush(stdout) == EOF ? EXIT_FINDINGS : EXIT_SUCCESS;
}
