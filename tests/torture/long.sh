#!/bin/bash
# long.sh: many torture schedules in a row, with totals.
#
#   long.sh [--runs R] [--steps S] [--classes LIST] [--first-seed N]
#
# Runs torture.sh with the seeds N .. N+R-1 (N random when not given, and
# printed), stops at the first failing seed (its replay command is printed)
# and sums lines, faults by kind and repeats by cause over all schedules.
set -u
here=$(cd "$(dirname "$0")" && pwd)
runs=50 steps=60 first=$(( $(od -An -N4 -tu4 /dev/urandom) % 1000000 ))
classes=append,rename,recreate,copytruncate,gzip,hup,term,colreset,coldown,colslow
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift 2 ;;
	--steps) steps=$2; shift 2 ;;
	--classes) classes=$2; shift 2 ;;
	--first-seed) first=$2; shift 2 ;;
	*) echo "usage: long.sh [--runs R] [--steps S] [--classes LIST] [--first-seed N]" >&2; exit 2 ;;
	esac
done
echo "long: seeds $first..$((first + runs - 1)), $steps steps, classes $classes"
declare -A sum=()
lines=0 lost=0
for s in $(seq "$first" $((first + runs - 1))); do
	out=$("$here/torture.sh" --seed "$s" --steps "$steps" --classes "$classes" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "$out" | tail -n 30
		echo "long: seed $s failed after $((s - first)) passing schedules"
		exit 1
	fi
	lines=$((lines + $(echo "$out" | sed -n 's/^PASS .* lines=//p')))
	for kv in $(echo "$out" | sed -n 's/^faults://p'); do
		k=${kv%%=*} v=${kv#*=}
		sum[$k]=$(( ${sum[$k]:-0} + v ))
	done
	for o in file unix tcp; do
		for kv in $(echo "$out" | sed -n "s/^$o: .*unexplained_dups=[0-9]*//p"); do
			k=${o}_${kv%%=*} v=${kv#*=}
			sum[$k]=$(( ${sum[$k]:-0} + v ))
		done
	done
done
t=""
for k in $(echo "${!sum[@]}" | tr ' ' '\n' | sort); do t="$t $k=${sum[$k]}"; done
echo "long: $runs schedules passed, $lines lines, 0 lost, 0 damaged, 0 unexplained repeats"
echo "long: totals:$t"
