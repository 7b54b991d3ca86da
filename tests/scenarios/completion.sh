#!/bin/bash
# The bash completion (completion/fixwatch.bash.in, as built): subcommands,
# each one's options, option values, record ids for `show` from the KB given
# with -k, and fixwatchd's options. Runs the completion functions in a real
# bash the way readline calls them.
. "$(dirname "$0")/lib.sh"

COMPLETION="$top_builddir/completion/fixwatch"
[ -f "$COMPLETION" ] || fail "$COMPLETION not built"
command -v bash > /dev/null || fail "bash is needed"

# complete FUNCTION WORD...: the candidates for the last WORD, sorted, one a line.
complete_words() {
	bash -c '. "$1"; f=$2; shift 2; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
		"$f"; printf "%s\n" "${COMPREPLY[@]}"' sh "$COMPLETION" "$@" | sed '/^$/d' | sort
}

# expect FUNCTION WORD... -- CANDIDATE...: exactly these candidates.
expect() {
	local f=$1 words=()
	shift
	while [ "$1" != -- ]; do words+=("$1"); shift; done
	shift
	printf '%s\n' "$@" | sed '/^$/d' | sort > "$T/want"
	complete_words "$f" "${words[@]}" > "$T/got"
	diff -u "$T/want" "$T/got" >&2 || fail "completion of '${words[*]}' differs"
}

expect _fixwatch fixwatch "" -- scan check test show status new-record --help --version
expect _fixwatch fixwatch s -- scan show status
expect _fixwatch fixwatch check --q -- --quiet
expect _fixwatch fixwatch scan --f -- --format
expect _fixwatch fixwatch scan --c -- --color --config
expect _fixwatch fixwatch test --n -- --no-local
expect _fixwatch fixwatch scan --color "" -- auto always never
expect _fixwatch fixwatch scan --format "" -- json text
expect _fixwatch fixwatch scan --engine r -- reference
expect _fixwatch fixwatch show --locale "" -- en zh
expect _fixwatch fixwatch status - -- -s --socket --json
expect _fixwatch fixwatch n -- new-record

# Record ids from the KB named with -k: a .json file and a .jsonl file.
mkdir -p "$T/kb/web"
printf '{\n  "id": "web/one",\n  "signature": "x"\n}\n' > "$T/kb/web/one.json"
printf '{"id":"web/two","signature":"y"}\n{"id": "db/three"}\n' > "$T/kb/more.jsonl"
printf 'not a record\n' > "$T/kb/README.md"
expect _fixwatch fixwatch show -k "$T/kb" "" -- web/one web/two db/three
expect _fixwatch fixwatch show -k "$T/kb" web/ -- web/one web/two
expect _fixwatch fixwatch show --kb="$T/kb" d -- db/three

# The shipped KB: every id `fixwatch check` counts.
n=$(complete_words _fixwatch fixwatch show -k "$top_srcdir/data/kb" "" | wc -l)
records=$("$FIXWATCH" check -q -k "$top_srcdir/data/kb" | sed -n '1s/ records.*//p')
[ "$n" -eq "$records" ] || fail "completion offers $n ids, the KB holds $records records"

expect _fixwatchd fixwatchd --t -- --test
expect _fixwatchd fixwatchd - -- -c --config -t --test --oneshot --version -h --help
exit 0
