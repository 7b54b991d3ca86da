#!/bin/sh
# fixwatch scan: alerts, formats, match modes, summary, and every bad input named.
. "$top_srcdir/tests/scenarios/lib.sh"
make_kb

TO='2026/11/23 08:00:00 [error] 1234#1234: *5 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.7, server: example.com'
REF='2026/11/23 08:00:01 [error] 1234#1234: *6 connect() failed (111: Connection refused) while connecting to upstream, client: 198.51.100.2'
printf '%s\n%s\nnothing to see here\n%s\n' "$TO" "plain line" "$REF" >"$T/a.log"

# JSON Lines, best match: one alert per matching line, the specific record wins.
expect_exit 1 "$FIXWATCH" scan -k "$T/kb" "$T/a.log"
assert_lines "$T/out" 2
assert_grep "$T/out" '"schema":"fixwatch.alert/1"'
assert_grep "$T/out" '"id":"test/upstream-timeout"'
assert_grep "$T/out" '"also_matched":["test/generic-upstream"]'
assert_grep "$T/out" '"captures":{"phase":"reading response header","client":"203.0.113.7"}'
assert_grep "$T/out" '"source":{"type":"file","path":"'"$T/a.log"'","offset":0,"line_no":1}'
assert_grep "$T/out" '"fix":{"action":"Fix the slow upstream","success_rate":0.8}'
assert_grep "$T/out" '"line_no":4}'
assert_grep "$T/err" '4 lines'
assert_grep "$T/err" '2 matching lines, 2 alerts'

# --match all: one alert per record, in KB order.
expect_exit 1 "$FIXWATCH" scan -k "$T/kb" --match all "$T/a.log"
assert_lines "$T/out" 4
[ "$(sed -n 1p "$T/out" | grep -c '"id":"test/upstream-timeout"')" = 1 ] || fail "--match all order"
[ "$(sed -n 2p "$T/out" | grep -c '"id":"test/generic-upstream"')" = 1 ] || fail "--match all order"
assert_no_grep "$T/out" also_matched

# Text format.
expect_exit 1 "$FIXWATCH" scan -k "$T/kb" --format text "$T/a.log"
assert_grep "$T/out" "$T/a.log:1: test/upstream-timeout [timeout]"
assert_grep "$T/out" "  fix:   Fix the slow upstream (80% success)"

# Nothing found: exit 0; stdin with '-'.
printf 'all fine\n' | expect_exit 0 "$FIXWATCH" scan -k "$T/kb" -
printf '%s\n' "$REF" >"$T/in"
expect_exit 1 "$FIXWATCH" scan -k "$T/kb" - <"$T/in"
assert_grep "$T/out" '"source":{"type":"stdin","offset":0,"line_no":1}'

# CRLF endings are removed; invalid UTF-8 becomes U+FFFD; control characters are escaped.
printf '%s\r\n' "$REF" >"$T/crlf.log"
printf 'x \377\376 \033[31m upstream \000 nul\n' >>"$T/crlf.log"
expect_exit 1 "$FIXWATCH" scan -k "$T/kb" --match all "$T/crlf.log"
assert_no_grep "$T/out" 'upstream, client: 198.51.100.2\r'
assert_grep "$T/out" "x $(printf '\357\277\275\357\277\275') \\u001b[31m upstream \\u0000 nul"
if LC_ALL=C grep -q "$(printf '\033')" "$T/out"; then fail "raw ESC in the output"; fi

# Empty file: no lines, exit 0.
: >"$T/empty.log"
expect_exit 0 "$FIXWATCH" scan -k "$T/kb" "$T/empty.log"
assert_grep "$T/err" '0 lines'

# A 10 MB line without newline is cut to max_line_bytes and flagged; the scan goes on.
head -c 10485760 /dev/zero | tr '\0' 'a' >"$T/long.log"
printf 'upstream at the end' >>"$T/long.log"
printf '\n%s' "$REF" >>"$T/long.log"
expect_exit 1 "$FIXWATCH" scan -k "$T/kb" "$T/long.log"
assert_lines "$T/out" 1
assert_grep "$T/out" '"id":"test/connect-refused"'
assert_grep "$T/err" '1 truncated line'
assert_grep "$T/err" 'longer than 65536 bytes cut'
# With a larger limit the tail of the long line is seen and flagged as truncated only if cut.
expect_exit 1 "$FIXWATCH" scan -k "$T/kb" --max-line-bytes 11000000 "$T/long.log"
assert_lines "$T/out" 2
assert_grep "$T/out" '"truncated":false'

# Missing file and directory: named, the other files still scanned, exit 1.
expect_exit 1 "$FIXWATCH" scan -k "$T/kb" "$T/missing.log" "$T" "$T/a.log"
assert_grep "$T/err" "$T/missing.log: No such file or directory"
assert_grep "$T/err" "$T: is a directory"
assert_grep "$T/err" '2 input errors'
assert_lines "$T/out" 2

# Usage errors: exit 2.
expect_exit 2 "$FIXWATCH" scan -k "$T/kb"
expect_exit 2 "$FIXWATCH" scan --format xml "$T/a.log"
expect_exit 2 "$FIXWATCH" scan --match some "$T/a.log"
expect_exit 2 "$FIXWATCH" scan --max-line-bytes 0 "$T/a.log"
expect_exit 2 "$FIXWATCH" frobnicate
expect_exit 2 "$FIXWATCH"
expect_exit 0 "$FIXWATCH" --help
assert_grep "$T/out" 'Usage: fixwatch COMMAND'
expect_exit 0 "$FIXWATCH" --version
assert_grep "$T/out" 'fixwatch '

# Colours: --color always marks the text form, never and the JSON form carry no ESC, and a
# bad value is a usage error.
ESC=$(printf '\033')
expect_exit 1 "$FIXWATCH" scan -k "$T/kb" --format text --color always "$T/a.log"
grep -q "${ESC}\[1mtest/upstream-timeout${ESC}\[0m" "$T/out" || fail "--color always: no colours"
expect_exit 1 "$FIXWATCH" scan -k "$T/kb" --format text --color never "$T/a.log"
assert_no_grep "$T/out" "$ESC"
expect_exit 2 "$FIXWATCH" scan -k "$T/kb" --color maybe "$T/a.log"
assert_grep "$T/err" "--color: 'maybe' is not auto, always or never"

# Standard output fails (a full disk): said once, the scan still finishes and counts.
if [ -w /dev/full ]; then
	"$FIXWATCH" scan -k "$T/kb" "$T/a.log" >/dev/full 2>"$T/err" && got=0 || got=$?
	[ "$got" = 1 ] || fail "/dev/full: exit $got, expected 1"
	assert_grep "$T/err" 'error writing the alerts to standard output'
	assert_grep "$T/err" '2 matching lines, 2 alerts'
	assert_no_grep "$T/err" 'out of memory'
else
	echo "tool_scan: no /dev/full here: a failing standard output not tried" >&2
fi

# On a terminal (script(1) gives the tool one): text in colour by default; NO_COLOR and
# TERM=dumb keep the text but drop the colours; --format json still writes JSON.
on_tty() {
	script -qec "$*" /dev/null </dev/null >"$T/tty" 2>&1 || true
}
if script -qec true /dev/null </dev/null >/dev/null 2>&1; then
	scan_cmd="'$FIXWATCH' scan -k '$T/kb' '$T/a.log'"
	TERM=xterm on_tty "$scan_cmd"
	assert_grep "$T/tty" "test/upstream-timeout"
	assert_no_grep "$T/tty" '"schema"'
	grep -q "$ESC\[" "$T/tty" || fail "terminal: no colours"
	NO_COLOR=1 TERM=xterm on_tty "$scan_cmd"
	assert_grep "$T/tty" "test/upstream-timeout [timeout]"
	assert_no_grep "$T/tty" "$ESC"
	TERM=dumb on_tty "$scan_cmd"
	assert_grep "$T/tty" "test/upstream-timeout [timeout]"
	assert_no_grep "$T/tty" "$ESC"
	TERM=xterm on_tty "$scan_cmd --format json"
	assert_grep "$T/tty" '"schema":"fixwatch.alert/1"'
	assert_no_grep "$T/tty" "$ESC"
else
	echo "tool_scan: no pseudo-terminal here (script(1) failed): terminal defaults not tried" >&2
fi

# The shipped KB recognises the seed record's text (default KB from the build tree).
printf '%s\n' "2026-11-23T08:00:00Z edge LHR50-C1 $SEED_TEXT" >"$T/seed.log"
expect_exit 1 "$FIXWATCH" scan "$T/seed.log"
assert_grep "$T/out" "\"id\":\"$SEED_ID\""
assert_grep "$T/out" '"fix":{"action":"Make the origin certificate cover'
exit 0
