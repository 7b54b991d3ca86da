#!/bin/sh
# No silent no-op: `fixwatchd -t` and start-up warn about a missing directory,
# a glob that matches nothing and a binary file on a file input (a compressed
# file is no reason to warn: it is read), and a domain filter that leaves out
# the PHP-FPM errors nginx's error log carries; a clean input gives no warning.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
mkdir -p "$T/logs" "$T/bin" "$T/gz"
printf 'line\n' >"$T/logs/app.log"
printf 'ELF\000\001\002 not a log\n' >"$T/bin/core.dat"
printf 'upstream timed out (110\n' | gzip -c >"$T/gz/a.gz"
write_conf "type = file" "path = $T/nodir/sub/*.log $T/logs/*.txt $T/bin/*.dat $T/gz/*.gz $T/logs/*.log"

"$FIXWATCHD" -t -c "$T/fw.conf" >"$T/tout" 2>"$T/err" || fail "-t failed on warnings only"
grep -q "configuration OK.*(see the warnings)" "$T/tout" || fail "-t did not point at the warnings"
log_has "path $T/nodir/sub/\*.log: directory $T/nodir does not exist" || fail "no warning for the missing directory"
log_has "path $T/logs/\*.txt: no file matches" || fail "no warning for the empty glob"
log_has "$T/bin/core.dat is a binary file, not a log" || fail "no warning for the binary file"
if log_has "a.gz"; then fail "a compressed file was warned about"; fi
if log_has "app.log"; then fail "a good log was warned about"; fi
[ "$(grep -c 'warning' "$T/err")" -eq 3 ] || fail "expected exactly 3 warnings"

# A clean input: no warning at all.
write_conf "type = file" "path = $T/logs/*.log"
"$FIXWATCHD" -t -c "$T/fw.conf" >"$T/tout" 2>"$T/err" || fail "-t failed"
[ ! -s "$T/err" ] || fail "warnings for a clean input: $(cat "$T/err")"

# A domain filter that leaves out what the input's logs carry: nginx's error
# log carries PHP-FPM's errors.
cat >>"$T/kb/test.jsonl" <<'KB'
{"id":"nginx/marker","signature":"nginx","regex":"nginx-marker","domain":"nginx","category":"network_error","root_cause":"r","confidence":0.5}
{"id":"php-fpm/marker","signature":"php","regex":"php-marker","domain":"php-fpm","category":"network_error","root_cause":"r","confidence":0.5}
KB
write_conf "type = file" "path = $T/logs/*.log" "domains = nginx web"
"$FIXWATCHD" -t -c "$T/fw.conf" >"$T/tout" 2>"$T/err" || fail "-t failed on a domain warning: $(cat "$T/err")"
log_has "\[input.app\] domains: nginx's error log carries PHP-FPM's errors (FastCGI sent in stderr: \"PHP ...\"), but php-fpm is not in domains" ||
	fail "no warning for the domains that leave PHP-FPM out: $(cat "$T/err")"
[ "$(grep -c 'warning' "$T/err")" -eq 1 ] || fail "expected exactly 1 warning: $(cat "$T/err")"
write_conf "type = file" "path = $T/logs/*.log" "domains = nginx php-fpm"
"$FIXWATCHD" -t -c "$T/fw.conf" >"$T/tout" 2>"$T/err" || fail "-t failed"
[ ! -s "$T/err" ] || fail "a warning for domains that keep PHP-FPM: $(cat "$T/err")"

# The daemon warns at start-up too.
write_conf "type = file" "path = $T/logs/*.txt"
: >"$T/err"
start_daemon
log_has "path $T/logs/\*.txt: no file matches" || fail "no start-up warning"
stop_daemon
exit 0
