#!/bin/sh
# A corpus of real log lines for the shipped KB (bench/README.md): every
# *.log under DATA/real and DATA/benign (tests/data: public logs of others
# and the benign corpora), in path order, repeated to MB MiB.
#   bench/real.sh DATA OUTDIR [MB]     writes OUTDIR/corpus.log
set -eu
data=$1
out=$2
mb=${3:-16}
mkdir -p "$out"
tmp=$(mktemp "${TMPDIR:-/tmp}/fw-real.XXXXXX")
trap 'rm -f "$tmp"' EXIT
find "$data/real" "$data/benign" -name '*.log' -type f | LC_ALL=C sort | while read -r f; do
	cat "$f"
	# a file that does not end in a newline must not join the next one's first line
	if [ -n "$(tail -c 1 "$f")" ]; then echo; fi
done >"$tmp"
if [ ! -s "$tmp" ]; then
	echo "bench/real.sh: no *.log under $data/real or $data/benign" >&2
	exit 1
fi
: >"$out/corpus.log"
while [ "$(wc -c <"$out/corpus.log")" -lt $((mb * 1048576)) ]; do
	cat "$tmp" >>"$out/corpus.log"
done
