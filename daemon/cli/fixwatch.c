/*
 * fixwatch: the command-line tool (design.md §8).
 *
 *   fixwatch scan  [-k KB]... [--format json|text] [--color auto|always|never] [--match best|all]
 *                  [--input-format F] FILE...|-
 *   fixwatch check [-k KB]... [--quiet]
 *   fixwatch test  [-k KB]... [--strict [--known-failures FILE]] [--allow-untested ID]...
 *   fixwatch show  [-k KB]... [--locale en|zh] ID
 *   fixwatch new-record FILE:LINE|-      (new_record.c)
 *   fixwatch status [-s SOCKET] [--json] (status_cmd.c)
 *
 * This file parses the command line and dispatches; each subcommand is its
 * own file (cmd_scan.c, cmd_check.c, cmd_test.c, cmd_show.c; tool.h).
 *
 * Exit status (contract): 0 ok, 1 findings or errors in the input, 2 usage.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/new_record.h"
#include "cli/term_out.h"
#include "cli/tool.h"
#include "core/fwconfig.h"
#include "core/status.h"
#include "util/log.h"

static const char usage_text[] =
	"Usage: fixwatch COMMAND [OPTIONS] [ARGS]\n"
	"\n"
	"Recognise known errors in logs and print their diagnosis and fix.\n"
	"\n"
	"Commands:\n"
	"  scan [-k KB]... [--format json|text] [--color auto|always|never] [--match best|all]\n"
"       [--engine fast|reference] [--max-line-bytes N] [--input-format FORMAT]\n"
	"       [--log-format NGINX_LOG_FORMAT] FILE...|-\n"
	"                 match log files (or stdin) against the knowledge base and print\n"
	"                 one alert per matching line; a summary goes to stderr;\n"
	"                 --format: text on a terminal, JSON Lines otherwise by default;\n"
	"                 --color: colours in the text form (auto: on a terminal, unless\n"
	"                 NO_COLOR is set);\n"
	"                 --input-format plain|w3c|json|combined|syslog|auto parses the\n"
	"                 lines into fields (default plain); --log-format reads the\n"
	"                 access log of an nginx log_format (as the daemon's log_format)\n"
	"  check [-k KB]... [-q|--quiet]\n"
	"                 validate a knowledge base and report its patterns (--quiet: only\n"
	"                 the summary and the warnings)\n"
	"  test [-k KB]... [--strict [--known-failures FILE]] [--allow-untested ID]...\n"
	"                 run every record's examples (and their variants: IPv6, other\n"
	"                 numbers, syslog/journal/Docker prefixes) and counterexamples;\n"
	"                 --strict also holds each record's advice to the rules of\n"
	"                 data/kb/README.md\n"
	"  show [-k KB]... [--locale en|zh] ID\n"
	"                 print one record as Markdown\n"
	"  new-record FILE:LINE|-\n"
	"                 print the skeleton of a record for one log line (- reads it\n"
	"                 from stdin): a generalised regex, the line as its example\n"
	"  status [-s|--socket SOCKET] [--json]\n"
	"                 ask the running fixwatchd for its inputs, outputs and counters\n"
	"                 (default socket: /run/fixwatch/control.sock)\n"
	"\n"
	"Common options:\n"
	"  -k, --kb PATH  knowledge base directory or file (repeatable; default: %s)\n"
	"  -c, --config FILE\n"
	"                 also load the operators' records of FILE's [daemon] kb_local\n"
	"                 (without -c and -k: those of " FW_TOOL_DEFAULT_CONFIG " if it exists)\n"
	"  --no-local     leave the operators' records (kb_local) out\n"
	"  -h, --help     show this help\n"
	"  -V, --version  show the version\n"
	"\n"
	"Exit status: 0 ok, 1 findings or errors in the input, 2 usage error.\n";

static void
usage(FILE *f)
{
	fprintf(f, usage_text, fw_tool_default_kb());
}

/* ---- main ------------------------------------------------------------ */

/*
 * A person at a terminal reads text, a program reads JSON Lines; colours
 * only on a terminal that can show them, and never with NO_COLOR set to
 * anything (no-color.org).
 */
static void
terminal_defaults(struct tool_opts *o)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
	bool tty = isatty(STDOUT_FILENO);

	if (!o->format_set)
		o->json = !tty;
	if (o->color < 0)
		o->color = tty && !(no_color && *no_color) && !(term && strcmp(term, "dumb") == 0);
}

enum { OPT_NO_LOCAL = 255, OPT_FORMAT = 256, OPT_MATCH, OPT_ENGINE, OPT_LOCALE, OPT_STRICT, OPT_ALLOW_UNTESTED, OPT_KNOWN_FAILURES,
       OPT_MAX_LINE, OPT_INPUT_FORMAT, OPT_LOG_FORMAT, OPT_COLOR };

static const struct option long_options[] = {
	{ "kb", required_argument, NULL, 'k' },
	{ "config", required_argument, NULL, 'c' },
	{ "no-local", no_argument, NULL, OPT_NO_LOCAL },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "match", required_argument, NULL, OPT_MATCH },
	{ "engine", required_argument, NULL, OPT_ENGINE },
	{ "locale", required_argument, NULL, OPT_LOCALE },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "allow-untested", required_argument, NULL, OPT_ALLOW_UNTESTED },
	{ "known-failures", required_argument, NULL, OPT_KNOWN_FAILURES },
	{ "max-line-bytes", required_argument, NULL, OPT_MAX_LINE },
	{ "input-format", required_argument, NULL, OPT_INPUT_FORMAT },
	{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const struct {
	const char *name;
	int (*run)(const struct tool_opts *o, int argc, char **argv);
} commands[] = {
	{ "scan", fw_scan_command },
	{ "check", fw_check_command },
	{ "test", fw_test_command },
	{ "show", fw_show_command },
};

int
main(int argc, char **argv)
{
	struct tool_opts o = { .engine = FW_ENGINE_DEFAULT, .json = true, .max_line = FW_MAX_LINE_DEFAULT,
			       .color = -1 };
	int (*run)(const struct tool_opts *, int, char **) = NULL;
	int c;

	fw_log_init("fixwatch", FW_LOG_INFO, false);
	if (argc >= 2 && strcmp(argv[1], "status") == 0)
		return fw_status_command(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "new-record") == 0)
		return fw_new_record_command(argc - 1, argv + 1);
	if (argc >= 2 && argv[1][0] != '-') {
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
			if (strcmp(argv[1], commands[i].name) == 0)
				run = commands[i].run;
		if (!run)
			return fw_tool_usage_error("unknown command '%s'", argv[1]);
		argv++;
		argc--;
	}
	/* getopt would name argv[0], which is the command here ("scan: ..."). */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":k:c:qhV", long_options, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (o.n_kb == sizeof o.kb / sizeof o.kb[0])
				return fw_tool_usage_error("%s", "too many -k options");
			o.kb[o.n_kb++] = optarg;
			break;
		case 'c':
			o.config = optarg;
			break;
		case OPT_NO_LOCAL:
			o.no_local = true;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "json") == 0)
				o.json = true;
			else if (strcmp(optarg, "text") == 0)
				o.json = false;
			else
				return fw_tool_usage_error("--format: '%s' is not json or text", optarg);
			o.format_set = true;
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0)
				o.color = -1;
			else if (strcmp(optarg, "always") == 0)
				o.color = 1;
			else if (strcmp(optarg, "never") == 0)
				o.color = 0;
			else
				return fw_tool_usage_error("--color: '%s' is not auto, always or never", optarg);
			break;
		case OPT_MATCH:
			if (strcmp(optarg, "best") == 0)
				o.match_all = false;
			else if (strcmp(optarg, "all") == 0)
				o.match_all = true;
			else
				return fw_tool_usage_error("--match: '%s' is not best or all", optarg);
			break;
		case OPT_ENGINE:
			if (strcmp(optarg, "fast") == 0)
				o.engine = FW_ENGINE_FAST;
			else if (strcmp(optarg, "reference") == 0)
				o.engine = FW_ENGINE_REFERENCE;
			else
				return fw_tool_usage_error("--engine: '%s' is not fast or reference", optarg);
			break;
		case OPT_LOCALE:
			if (strcmp(optarg, "zh") == 0)
				o.zh = true;
			else if (strcmp(optarg, "en") == 0)
				o.zh = false;
			else
				return fw_tool_usage_error("--locale: '%s' is not en or zh", optarg);
			break;
		case OPT_STRICT:
			o.strict = true;
			break;
		case 'q':
			o.quiet = true;
			break;
		case OPT_KNOWN_FAILURES:
			o.known_failures = optarg;
			break;
		case OPT_ALLOW_UNTESTED:
			if (o.n_allow_untested == sizeof o.allow_untested / sizeof o.allow_untested[0])
				return fw_tool_usage_error("%s", "too many --allow-untested options");
			o.allow_untested[o.n_allow_untested++] = optarg;
			break;
		case OPT_INPUT_FORMAT: {
			int f = -1;

			for (int i = 0; fw_line_format_names[i]; i++)
				if (strcmp(optarg, fw_line_format_names[i]) == 0)
					f = i;
			if (o.log_format)
				return fw_tool_usage_error("%s", "--input-format: not with --log-format");
			if (f < 0)
				return fw_tool_usage_error("--input-format: '%s' is not plain, w3c, json, combined, "
						   "syslog or auto", optarg);
			o.input_format = (enum fw_line_format)f;
			break;
		}
		case OPT_LOG_FORMAT: {
			struct fw_format_parser *fp;
			char why[300];

			if (o.input_format != FW_LINE_PLAIN)
				return fw_tool_usage_error("%s", "--log-format: not with --input-format");
			if (fw_format_parser_new_log_format(optarg, 64, &fp, why, sizeof why) < 0)
				return fw_tool_usage_error("--log-format: %s", why);
			fw_format_parser_free(fp);
			o.log_format = optarg;
			o.input_format = FW_LINE_COMBINED;
			break;
		}
		case OPT_MAX_LINE: {
			char *end;
			unsigned long long v;

			errno = 0;
			v = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > 64ull * 1024 * 1024)
				return fw_tool_usage_error("--max-line-bytes: '%s' is not a number of bytes from 1 to 67108864",
						   optarg);
			o.max_line = (size_t)v;
			break;
		}
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		case 'V':
			printf("fixwatch %s\n", PACKAGE_VERSION);
			return EXIT_SUCCESS;
		case ':':
			return fw_tool_usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			if (optopt)
				return fw_tool_usage_error("unrecognized option '-%c'", optopt);
			return fw_tool_usage_error("unrecognized option '%s'", argv[optind - 1]);
		}
	}
	if (!run) {
		if (optind < argc)
			return fw_tool_usage_error("unknown command '%s'", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	terminal_defaults(&o);
	/* KB text reaches a terminal escaped; scan escapes what it quotes and colours itself. */
	if (run != fw_scan_command) {
		int err = fw_term_out_install();

		if (err < 0)
			log_warn("cannot escape the output for the terminal: %s", strerror(-err));
	}
	return run(&o, argc - optind, argv + optind);
}
