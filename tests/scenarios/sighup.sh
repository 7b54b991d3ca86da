#!/bin/sh
# SIGHUP with a broken KB is refused and the running KB keeps matching;
# SIGHUP with a good KB takes it; positions are kept across both reloads.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
printf 'a1 No space left on device (a)\n' > "$T/logs/app.log"
start_daemon
wait_for "the first alert" has_alerts 1

# An invalid regex and a duplicate id.
printf '%s\n' '{"id":"test/broken","signature":"x","regex":"unclosed (group"}' \
	'{"id":"web/too-many-files","signature":"dup","regex":"dup"}' > "$T/kb/broken.jsonl"
kill -HUP "$DPID"
wait_for "the reload to be refused" log_has "reload refused"
log_has "broken.jsonl" || fail "the refusal does not name the broken file"
printf 'a2 Too many open files\nseg: Segmentation fault\n' >> "$T/logs/app.log"
wait_for "the old KB to keep matching" has_alerts 2

rm "$T/kb/broken.jsonl"
printf '%s\n' '{"id":"test/segfault","signature":"Segmentation fault","regex":"Segmentation fault","domain":"test"}' > "$T/kb/more.jsonl"
kill -HUP "$DPID"
wait_for "the reload" log_has "reloaded: KB 4 records"
printf 'seg2: Segmentation fault\n' >> "$T/logs/app.log"
wait_for "the new record's alert" has_alerts 3
stop_daemon

# The line read under the old KB is not read again after the reload.
expect_lines "a1 No space left on device (a)" "a2 Too many open files" \
	"seg2: Segmentation fault"
exit 0
