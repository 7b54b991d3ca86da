/*
 * input_warn: what a file input's configuration will not do, said before it
 * silently does nothing (docs/inputs.md). Checked by `fixwatchd -t` and at
 * start-up; a warning never stops the daemon (a directory may be created
 * later, a glob may match once logs arrive).
 *
 *  - a pattern whose directory does not exist, naming the first missing one;
 *  - a pattern that matches no regular file;
 *  - a matched file that is binary (not text, not gzip/xz/zstd): its bytes
 *    would be matched as lines and give nothing useful;
 *  - (any input) a `domains` list that names a program but not one whose
 *    messages that program's logs carry: nginx's error log carries PHP-FPM's
 *    (`FastCGI sent in stderr: "PHP ..."`).
 */
#ifndef FW_INPUT_WARN_H
#define FW_INPUT_WARN_H

#include "core/fwconfig.h"

/* At most this many matched files of a pattern are opened to look for binary content. */
#define FW_INPUT_WARN_SNIFF_MAX 32u

/* Logs a warning per problem of cfg. Returns how many. */
unsigned fw_input_warn(const struct fw_input_config *cfg);

#endif
