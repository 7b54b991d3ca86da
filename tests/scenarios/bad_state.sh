#!/bin/sh
# A corrupt or foreign state file is reported, set aside and not trusted:
# the input starts as if it had no checkpoint (start_at).
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
printf 'a1 No space left on device (a)\n' > "$T/logs/app.log"
printf 'fixwatch-state 1\ninput app\nfile 1 2 3 4 999999 5 /x\nchecksum 0000000000000000\n' \
	> "$T/state/app.state"
start_daemon
wait_for "the first alert" has_alerts 1
stop_daemon

log_has "app.state: checksum mismatch" || fail "the corrupt state file was not reported"
log_has "set aside as $T/state/app.state.bad" || fail "the state file was not set aside"
[ -f "$T/state/app.state.bad" ] || fail "no app.state.bad"
grep -q '^checksum ' "$T/state/app.state" || fail "no new state file written"
expect_lines "a1 No space left on device (a)"
exit 0
