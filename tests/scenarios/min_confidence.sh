#!/bin/sh
# min_confidence on the stdout output: alerts of records below it are not
# written, yet count as done: the checkpoint moves past them, so a second
# run neither writes nor re-reads them.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
printf 'min_confidence = 0.85\n' >> "$T/fw.conf"
{
	printf 'l1 Too many open files\n'               # confidence 0.7: filtered
	printf 'l2 No space left on device (a)\n'       # 0.9: written
	printf 'l3 upstream timed out (110: x)\n'       # 0.8: filtered
} > "$T/logs/app.log"
run_oneshot
expect_lines "l2 No space left on device (a)"
grep -q "^file .* 3 " "$T/state/app.state" || fail "the checkpoint did not move past the filtered lines"
printf 'l4 No space left on device (b)\n' >> "$T/logs/app.log"
run_oneshot
expect_lines "l2 No space left on device (a)" "l4 No space left on device (b)"
exit 0
