#!/bin/sh
# End-to-end benchmark of the daemon (not a test): fixwatchd --oneshot over
# the benchmark corpus against `fixwatch scan` on the same file with the
# same signature set, plus peak RSS at two corpus sizes (it must stay flat)
# and the CPU an idle daemon uses.
#
#   bench/e2e.sh [BUILDDIR [N [CORPUS]]]   (default: ., 1000 signatures, web)
#
# Data comes from `bench/fwbench gen` (made if missing, in BUILDDIR/bench-data);
# CORPUS is one of its corpora: web, app or ops.
set -eu

B=$(cd "${1:-.}" && pwd)
N=${2:-1000}
D=$B/bench-data/${3:-web}
[ -x "$B/fixwatchd" ] && [ -x "$B/fixwatch" ] || { echo "build fixwatch and fixwatchd in $B first" >&2; exit 1; }
if [ ! -f "$B/bench-data/ops/corpus.log" ]; then
	(cd "$B" && make bench/fwbench >/dev/null) && "$B/bench/fwbench" gen "$B/bench-data"
fi
[ -f "$D/corpus.log" ] || { echo "no corpus $D (web, app or ops)" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/fw-e2e.XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/kb" "$W/state"
cp "$D/sigs-$N.jsonl" "$W/kb/"
head -c $(( $(wc -c < "$D/corpus.log") / 10 )) "$D/corpus.log" > "$W/small.log"

conf() {   # conf FILE: a oneshot config over FILE
	cat > "$W/fw.conf" <<CONF
[daemon]
kb = $W/kb
state_dir = $W/state
control_socket =
[input.corpus]
type = file
path = $1
start_at = beginning
[output.out]
type = stdout
CONF
}

mb=$(( $(wc -c < "$D/corpus.log") / 1000000 ))
echo "corpus: $mb MB, $N signatures"
conf "$D/corpus.log"
if command -v hyperfine >/dev/null; then
	hyperfine -w 1 -r 5 --prepare "rm -rf $W/state/*" \
		-n "fixwatch scan" "$B/fixwatch scan --engine fast -k $W/kb $D/corpus.log >/dev/null 2>&1 || true" \
		-n "fixwatchd --oneshot" "$B/fixwatchd -c $W/fw.conf --oneshot >/dev/null 2>&1"
fi
for f in "$W/small.log" "$D/corpus.log"; do
	conf "$f"
	rm -rf "$W/state"/*
	/usr/bin/time -f "fixwatchd --oneshot $(( $(wc -c < "$f") / 1000000 )) MB: %e s, peak RSS %M KiB" \
		"$B/fixwatchd" -c "$W/fw.conf" --oneshot > /dev/null 2> "$W/err" || { cat "$W/err" >&2; exit 1; }
	tail -n 1 "$W/err"
done

# Idle: follow the (fully read) corpus for 10 s and count CPU ticks.
sed -i 's/^start_at = beginning$/start_at = end/' "$W/fw.conf"
"$B/fixwatchd" -c "$W/fw.conf" > /dev/null 2>&1 &
P=$!
sleep 2
a=$(awk '{print $14 + $15}' /proc/$P/stat)
sleep 10
b=$(awk '{print $14 + $15}' /proc/$P/stat)
kill -TERM $P
wait $P || true
echo "idle fixwatchd: $((b - a)) CPU ticks in 10 s (1 tick = 1/$(getconf CLK_TCK) s)"
