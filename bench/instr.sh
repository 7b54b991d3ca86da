#!/bin/sh
# Instruction counts of the matching loop alone (valgrind callgrind), a
# measure that does not depend on how busy the machine is.
#   bench/instr.sh CORPUS_DIR [FWBENCH]   (a corpus: bench-data/web, ...)
# Prints: engine N MB instructions instructions/byte. Input is capped (MB
# column) because callgrind runs ~50x slower than native; Hyperscan at
# N=10,000 is left out (its compile alone takes minutes under callgrind).
set -eu
dir=$1
fwbench=${2:-bench/fwbench}
run() { # engine N MB
	out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect='loop_*' \
		"$fwbench" one "$dir" "$2" "$1" "$3" 2>&1)
	ir=$(printf '%s\n' "$out" | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
	mb=$(printf '%s\n' "$out" | sed -n 's/^[a-z-]* [^ ]*: \([0-9.]*\) MB.*/\1/p')
	awk -v e="$1" -v n="$2" -v mb="$mb" -v ir="$ir" \
		'BEGIN { printf "| %s | %s | %.2f | %.0f | %.1f |\n", e, n, mb, ir, ir / (mb * 1e6) }'
}
echo "| engine | N | input MB | instructions | instructions/byte |"
echo "|---|---:|---:|---:|---:|"
run fast 100 4
run fast 1000 4
run fast 10000 1
run reference 100 0.5
run reference 1000 0.25
grep_run() { # N MB: the whole grep process, compile included
	tmp=$(mktemp "${TMPDIR:-/tmp}/fw-instr.XXXXXX")
	head -c "$(($2 * 1048576))" "$dir/corpus.log" | sed '$d' >"$tmp"
	ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null grep -E -c -f "$dir/sigs-$1.ere" \
		"$tmp" 2>&1 | cat | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
	bytes=$(wc -c <"$tmp")
	rm -f "$tmp"
	awk -v n="$1" -v b="$bytes" -v ir="$ir" \
		'BEGIN { printf "| grep -E -c -f (whole process) | %s | %.2f | %.0f | %.1f |\n", n, b / 1e6, ir, ir / b }'
}
grep_run 100 4
grep_run 1000 1
grep_run 1000 4
if "$fwbench" one "$dir" 100 hyperscan 1 >/dev/null 2>&1; then
	run hyperscan 100 4
	run hyperscan 1000 4
	run hyperscan-buffer 100 4
	run hyperscan-buffer 1000 4
fi
