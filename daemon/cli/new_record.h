/*
 * new_record: `fixwatch new-record FILE:LINE | -` prints the skeleton of a KB
 * record for one log line: a placeholder id, the signature, a regex made
 * from the line's message with its variable parts generalised (numbers,
 * IPv4/IPv6 addresses, host names, paths, quoted strings, hex ids; the
 * line's prefix - timestamp, pid, syslog header - left out), the line as
 * its first example, a severity guessed from the level the line states,
 * and empty advice with a reminder of the rules (data/kb/README.md). The
 * skeleton passes `fixwatch test` for its example as printed, variants
 * included.
 */
#ifndef FW_NEW_RECORD_H
#define FW_NEW_RECORD_H

#include <stddef.h>

/* The generalised pattern and signature of a message; NULL on out-of-memory (free both). */
struct fw_generalised {
	char *regex;
	char *signature;
};
int fw_generalise(const char *msg, size_t len, struct fw_generalised *out);

/* The command: argv[0] is "new-record"; returns the exit status (0, 1, 2 for usage). */
int fw_new_record_command(int argc, char **argv);

#endif
