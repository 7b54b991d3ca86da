#!/bin/sh
# KB text that fixwatch show / check / test print on a terminal is escaped:
# a local record carrying ESC and BEL cannot clear the operator's screen or
# retitle the window. The tool runs on a pseudo-terminal (script(1)); into a
# pipe the text stays as it is.
. "$top_srcdir/tests/scenarios/lib.sh"
script -qec true /dev/null >/dev/null 2>&1 </dev/null || { echo "no pseudo-terminal: skipped"; exit 77; }
ESC=$(printf '\033')
BEL=$(printf '\007')

mkdir -p "$T/kb"
printf '%s\n' \
	'{"id":"t/esc","signature":"disk \u001b[2J gone","regex":"boom","domain":"t","category":"storage_error","root_cause":"clears \u001b]0;owned\u0007 the screen, caf\u00e9 stays"}' \
	> "$T/kb/r.jsonl"
on_tty() { script -qec "$*" /dev/null </dev/null > "$T/tty" 2>&1; }

on_tty "'$FIXWATCH' show -k '$T/kb' t/esc" || fail "show failed on a terminal: $(cat "$T/tty")"
assert_grep "$T/tty" 'disk \x1b[2J gone'
assert_grep "$T/tty" 'clears \x1b]0;owned\x07 the screen, café stays'
! grep -q "[$ESC$BEL]" "$T/tty" || fail "a control character reached the terminal raw"

on_tty "'$FIXWATCH' check -k '$T/kb'" || fail "check failed on a terminal: $(cat "$T/tty")"
assert_grep "$T/tty" '1 records, 1 patterns'
! grep -q "[$ESC$BEL]" "$T/tty" || fail "check: a control character reached the terminal raw"

# Not a terminal: the Markdown is the record's own text.
expect_exit 0 "$FIXWATCH" show -k "$T/kb" t/esc
grep -q "disk ${ESC}\[2J gone" "$T/out" || fail "show into a pipe changed the text"
echo "tool_terminal: ESC and BEL of a local record shown as \\x1b and \\x07 on a terminal"
