/*
 * term_out: the tool's standard output when it is a terminal.
 *
 * fw_term_out_install() puts a stream in place of stdout that shows every
 * byte able to drive a terminal (C0 controls other than newline and tab,
 * DEL, C1 controls, invalid UTF-8) as \xHH and passes the rest unchanged,
 * so a KB record (a local one can be written by whoever can write
 * kb_local) cannot move the cursor, retitle the window or hide text when
 * `fixwatch test`, `check` or `show` prints it. Only for commands that print
 * no escape sequences of their own (scan's colours are its own; it escapes
 * what it quotes itself).
 */
#ifndef FW_TERM_OUT_H
#define FW_TERM_OUT_H

/* When stdout is a terminal, replaces it as above: 0, or -errno (stdout unchanged). */
int fw_term_out_install(void);

#endif
