#!/bin/bash
# long.sh: many torture schedules in a row, with totals.
#
#   long.sh [--runs R] [--steps S] [--classes LIST] [--first-seed N] [--keep-going]
#
# Runs torture.sh with the seeds N .. N+R-1 (N random when not given, and
# printed). It stops at the first failing seed (its replay command is
# printed) unless --keep-going, which runs every seed and lists the failing
# ones. Totals over all schedules: lines, faults by kind, and per output
# lines lost, damaged and repeated (by cause); a stall (lines that arrived,
# but only after torture.sh's 60 s wait) is counted apart from a loss.
# Exit 0 only when every schedule passed in time.
set -u
here=$(cd "$(dirname "$0")" && pwd)
runs=50 steps=60 first=$(( $(od -An -N4 -tu4 /dev/urandom) % 1000000 ))
classes=append,rename,recreate,copytruncate,gzip,hup,term,colreset,coldown,colslow
keep_going=0
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift 2 ;;
	--steps) steps=$2; shift 2 ;;
	--classes) classes=$2; shift 2 ;;
	--first-seed) first=$2; shift 2 ;;
	--keep-going) keep_going=1; shift ;;
	*) echo "usage: long.sh [--runs R] [--steps S] [--classes LIST] [--first-seed N] [--keep-going]" >&2; exit 2 ;;
	esac
done
echo "long: seeds $first..$((first + runs - 1)), $steps steps, classes $classes"
declare -A sum=()
lines=0 passed=0 stalled=0 failed=0 ran=0 bad=""
for s in $(seq "$first" $((first + runs - 1))); do
	out=$("$here/torture.sh" --seed "$s" --steps "$steps" --classes "$classes" 2>&1)
	rc=$?
	ran=$((ran + 1))
	case $rc in
	0) passed=$((passed + 1)) ;;
	3) stalled=$((stalled + 1)); bad="$bad $s(stall)" ;;
	*) failed=$((failed + 1)); bad="$bad $s(fail)" ;;
	esac
	if [ "$rc" -ne 0 ]; then
		# The verdict first (the diagnosis after it can be long), then the end.
		echo "$out" | grep -E '^(FAIL|STALL|LATE) torture' | head -n 5
		echo "$out" | tail -n 60
		echo "long: seed $s: rc=$rc after $((s - first)) schedules"
		[ "$keep_going" = 1 ] || break
	fi
	lines=$((lines + $(echo "$out" | sed -n 's/^\(PASS\|STALL\) torture .* lines=\([0-9]*\).*/\2/p' | head -n 1) + 0))
	for kv in $(echo "$out" | sed -n 's/^faults://p'); do
		k=${kv%%=*} v=${kv#*=}
		sum[$k]=$(( ${sum[$k]:-0} + v ))
	done
	for o in file unix tcp; do
		for kv in $(echo "$out" | sed -n "s/^$o: lines=[0-9]* //p"); do
			k=${o}_${kv%%=*} v=${kv#*=}
			sum[$k]=$(( ${sum[$k]:-0} + v ))
		done
	done
done
t=""
for k in $(echo "${!sum[@]}" | tr ' ' '\n' | sort); do t="$t $k=${sum[$k]}"; done
echo "long: $ran schedules run: $passed passed, $stalled stalled (late, 0 lost), $failed failed; $lines lines"
echo "long: totals:$t"
[ -n "$bad" ] && echo "long: not passed:$bad"
[ "$passed" = "$ran" ] && [ "$ran" = "$runs" ]
