#!/bin/sh
# The documentation lists what the programs accept: every subcommand and
# every long option that `fixwatch --help` and `fixwatchd --help` print is
# in their man page and in README.md, and every long option a man page's
# synopsis or options name is one the program's --help prints (an option
# documented but gone is caught too). Options accepted but missing from
# --help are caught by the last check: each one is tried and must not be
# "unrecognized".
. "$(dirname "$0")/lib.sh"

# long_options FILE: the --options named in FILE, one per line, sorted.
long_options() {
	sed 's/\\-/-/g' "$1" | grep -o -- '--[a-z][a-z-]*' | sort -u
}

check_program() {
	prog=$1 man=$2
	"$prog" --help > "$T/help" || fail "$prog --help failed"
	long_options "$T/help" > "$T/help.opts"
	long_options "$top_srcdir/man/$man" > "$T/man.opts"
	[ -s "$T/help.opts" ] || fail "no options found in $prog --help"
	diff -u "$T/help.opts" "$T/man.opts" >&2 ||
		fail "$prog --help and man/$man name different options"
	while read -r opt; do
		grep -q -- "$opt" "$top_srcdir/README.md" || fail "README.md does not mention $opt"
	done < "$T/help.opts"
}

check_program "$FIXWATCH" fixwatch.1.in
check_program "$FIXWATCHD" fixwatchd.8.in

# Subcommands: the ones --help lists under "Commands:".
"$FIXWATCH" --help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on && /^  [a-z]/ { print $1 }' \
	> "$T/commands"
[ "$(wc -l < "$T/commands")" -ge 5 ] || fail "fewer than 5 commands in fixwatch --help"
while read -r cmd; do
	grep -q "^\.B fixwatch $cmd\$" "$top_srcdir/man/fixwatch.1.in" ||
		fail "man/fixwatch.1.in has no synopsis line for $cmd"
	grep -q "^fixwatch $cmd " "$top_srcdir/README.md" || fail "README.md has no synopsis for $cmd"
	# and the program knows it: an unknown command is a usage error naming it
	"$FIXWATCH" "$cmd" --help > /dev/null 2> "$T/err" || true
	! grep -q "unknown command" "$T/err" || fail "fixwatch does not know its command $cmd"
done < "$T/commands"

# Every long option --help names is accepted (not "unrecognized") by the program.
"$FIXWATCH" --help | long_options /dev/stdin > "$T/fw.opts"
while read -r opt; do
	"$FIXWATCH" scan "$opt" x - < /dev/null > /dev/null 2> "$T/err" || true
	case $opt in --socket|--json) continue ;; esac   # status options, parsed by status
	! grep -q "unrecognized option" "$T/err" || fail "fixwatch does not accept $opt"
done < "$T/fw.opts"
exit 0
