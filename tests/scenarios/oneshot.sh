#!/bin/sh
# --oneshot reads every input to its end (a last line without newline
# included), flushes, checkpoints and exits 0; a second run reads only what
# was added. stdin works as an input, from a file and from a pipe.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/*.log" "start_at = beginning"
printf 'a1 No space left on device (a)\nfine\n' > "$T/logs/a.log"
printf 'b1 Too many open files\nb2 upstream timed out (110: b)' > "$T/logs/b.log"

run_oneshot
[ "$(count_alerts)" -eq 3 ] || fail "first run: expected 3 alerts, got $(count_alerts)"
grep -q 'stopped (every input was read to its end)' "$T/err" || fail "no shutdown line"

printf 'a2 Too many open files\n' >> "$T/logs/a.log"
run_oneshot
[ "$(count_alerts)" -eq 4 ] || fail "second run: expected 1 more alert, got $(count_alerts)"
alert_lines | tail -n 1 | grep -q '^a2 Too many open files$' || fail "second run alerted the wrong line"

# stdin, as a file and as a pipe.
write_conf "type = stdin"
: > "$T/out"
run_oneshot < "$T/logs/b.log"
cat "$T/logs/a.log" | run_oneshot
expect_lines "b1 Too many open files" "b2 upstream timed out (110: b)" \
	"a1 No space left on device (a)" "a2 Too many open files"
grep -q '"source":{"type":"stdin"' "$T/out" || fail "stdin alerts do not say so"
exit 0
