#!/bin/sh
# Runs every libFuzzer target for a bounded time (default 30 s each).
#   fuzz/run.sh [SECONDS_PER_TARGET]
# Build first: ./configure --enable-fuzzing --enable-sanitizers CC=clang && make
# Targets are looked up in $FUZZ_BUILDDIR (default: the current directory);
# seeds come from fuzz/seeds/ next to this script (a _scalar variant takes
# its target's) and are copied, so the source tree is never written.
# Exit status: non-zero if a target failed.
set -eu
secs=${1:-30}
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${FUZZ_BUILDDIR:-.}" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/fw-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
status=0
for t in match_diff match_stream dfa kb_load kb_json config alert fdr fdr_scalar format; do
	bin="$build/fuzz/fuzz_$t"
	if [ ! -x "$bin" ]; then
		echo "fuzz: $bin not built (configure --enable-fuzzing CC=clang)" >&2
		exit 2
	fi
	mkdir -p "$work/$t"
	cp "$here/seeds/${t%_scalar}"/* "$work/$t"/
	echo "fuzz: $t for ${secs}s"
	if ! (cd "$work" && "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		-max_len=4096 -print_final_stats=1 "$work/$t" >"$work/$t.log" 2>&1); then
		echo "fuzz: $t FAILED; last output:" >&2
		tail -40 "$work/$t.log" >&2
		mkdir -p "$build/fuzz-failures"
		cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$build/fuzz-failures/" 2>/dev/null || true
		status=1
	else
		grep -E '^stat::number_of_executed_units' "$work/$t.log" || true
	fi
done
exit $status
