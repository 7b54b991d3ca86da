#!/bin/sh
# The operators' own records (kb_local): a local record replaces the shipped
# one with its id and the log says so; a bad category and a duplicate id are
# refused together, each with its file:line, id and key, by `fixwatchd -t`
# and by a reload; a good change is taken on reload.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
mkdir -p "$T/kb.d"
printf '%s\n' '{"id":"web/too-many-files","signature":"Too many open files","regex":"Too many open files","domain":"web","category":"resource_exhausted","root_cause":"Our own cause: the batch job leaks sockets."}' \
	> "$T/kb.d/mine.jsonl"
printf 'a1 Too many open files\n' > "$T/logs/app.log"
start_daemon
wait_for "the first alert" has_alerts 1
log_has "$T/kb.d/mine.jsonl:1: web/too-many-files: replaces the shipped record of $T/kb/test.jsonl:3" ||
	fail "no log line says that the local record replaces the shipped one"
grep -q 'Our own cause' "$T/out" || fail "the alert does not carry the local record's diagnosis"

# A category outside the documented list and a duplicate id: both reported in
# one pass, by the configuration check and by a reload, which is refused.
printf '%s\n' '{"id":"local/disk","signature":"disk","regex":"disk on fire","category":"disk"}' \
	'{"id":"local/disk","signature":"disk","regex":"disk on fire"}' > "$T/kb.d/bad.jsonl"
rc=0
"$FIXWATCHD" -t -c "$T/fw.conf" > "$T/check.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "fixwatchd -t accepted a bad local record"
grep -q "$T/kb.d/bad.jsonl:1: local/disk: category: unknown category \"disk\"" "$T/check.out" ||
	fail "fixwatchd -t does not name the bad category: $(cat "$T/check.out")"
grep -q "$T/kb.d/bad.jsonl:2: local/disk: id: duplicate id, first defined at $T/kb.d/bad.jsonl:1" "$T/check.out" ||
	fail "fixwatchd -t does not report the duplicate id with the other error: $(cat "$T/check.out")"
kill -HUP "$DPID"
wait_for "the reload to be refused" log_has "reload refused"
log_has 'local/disk: category: unknown category' || fail "the refused reload does not name the category"
log_has 'local/disk: id: duplicate id' || fail "the refused reload does not name the duplicate"
printf 'a2 Too many open files\n' >> "$T/logs/app.log"
wait_for "the running KB to keep matching" has_alerts 2

# Fixed: the reload takes the local directory again.
printf '%s\n' '{"id":"local/disk","signature":"disk","regex":"disk on fire","category":"storage_error","root_cause":"Smoke."}' \
	> "$T/kb.d/bad.jsonl"
kill -HUP "$DPID"
wait_for "the reload" log_has "reloaded: KB 4 records"
printf 'a3 disk on fire\n' >> "$T/logs/app.log"
wait_for "the new local record's alert" has_alerts 3
stop_daemon
grep -q '"id":"local/disk"' "$T/out" || fail "no alert from the local record added on reload"

# Without the directory, the shipped record is back and nothing complains.
rm -r "$T/kb.d"
: > "$T/err"
"$FIXWATCHD" -t -c "$T/fw.conf" > "$T/check.out" 2>&1 || fail "fixwatchd -t refused a missing kb_local: $(cat "$T/check.out")"
exit 0
