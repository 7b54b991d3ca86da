/*
 * tool: what the subcommands of fixwatch(1) share - the parsed options, the
 * exit statuses, usage errors and loading the knowledge base (tool.c). Each
 * subcommand is one file (cmd_scan.c, cmd_check.c, cmd_test.c, cmd_show.c);
 * fixwatch.c parses the command line and calls one of them. A subcommand
 * links without fixwatch.c, so that a test can call it.
 */
#ifndef FW_TOOL_H
#define FW_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "input/format.h"
#include "kb/kb.h"
#include "match/match.h"

/* Exit status (contract): 0 ok, 1 findings or errors in the input, 2 usage. */
#define EXIT_FINDINGS 1
#define EXIT_USAGE 2

struct tool_opts {
	const char *kb[64];
	size_t n_kb;
	const char *config;     /* -c: whose [daemon] kb_local to load (NULL: see fw_tool_load_kb) */
	bool no_local;          /* --no-local: leave kb_local out */
	enum fw_match_engine engine;
	bool json;
	bool format_set;        /* --format given */
	int color;              /* -1 auto (until main decides), 0 never, 1 always */
	bool match_all;
	bool zh;
	bool strict;
	bool quiet;
	const char *allow_untested[256];
	size_t n_allow_untested;
	const char *known_failures;
	size_t max_line;
	enum fw_line_format input_format;
	const char *log_format;     /* scan --log-format (argv's): an nginx log_format, or NULL */
};

/* The configuration whose kb_local the tools load when neither -c nor -k is given. */
#define FW_TOOL_DEFAULT_CONFIG FW_SYSCONFDIR "/fixwatch/fixwatch.conf"

/*
 * The installed KB, or the source tree's data/kb when the running binary is
 * in the build tree.
 */
const char *fw_tool_default_kb(void);

/* "fixwatch: MESSAGE" and a hint to --help on stderr; returns EXIT_USAGE. */
int fw_tool_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The KB of -k (or the default one) and the operators' records of
 * `[daemon] kb_local`, as fixwatchd loads them: kb_local comes from the
 * configuration of -c, or, when neither -c nor -k is given, from the default
 * configuration if that file exists; --no-local leaves it out. Errors and the
 * load's notices (a local record replacing a shipped one) go to stderr.
 * NULL if it did not load. Free with fw_kb_free.
 */
struct fw_kb *fw_tool_load_kb(const struct tool_opts *o);

/* A matcher for kb, its errors printed; NULL if it could not be built. Free with fw_matcher_free. */
struct fw_matcher *fw_tool_new_matcher(const struct fw_kb *kb, enum fw_match_engine engine);

/* The subcommands: argc/argv are the operands after the options; each returns the exit status. */
int fw_scan_command(const struct tool_opts *o, int argc, char **argv);
int fw_check_command(const struct tool_opts *o, int argc, char **argv);
int fw_test_command(const struct tool_opts *o, int argc, char **argv);
int fw_show_command(const struct tool_opts *o, int argc, char **argv);

#endif
