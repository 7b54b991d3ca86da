#!/bin/sh
# Severities end to end: each alert carries its record's severity (null when
# the record states none), min_severity keeps less serious alerts off an
# output (a record without one counts as warning) while the checkpoint still
# moves past them, and a real rsyslogd receives PRI = facility * 8 +
# severity. Bad values are refused by `fixwatchd -t`, naming the key.
. "$(dirname "$0")/rsyslog_lib.sh"

mkdir -p "$T/kb"
cat > "$T/kb/sev.jsonl" <<'KB'
{"id":"sev/crit","signature":"crit thing","regex":"A crit thing","domain":"sev","category":"storage_error","severity":"crit"}
{"id":"sev/notice","signature":"notice thing","regex":"B notice thing","domain":"sev","category":"storage_error","severity":"notice"}
{"id":"sev/none","signature":"plain thing","regex":"C plain thing","domain":"sev","category":"storage_error"}
KB
P=$(free_port tcp)
rsyslog_conf pri:tcp:$P
# Record the PRI as rsyslog decoded it ("local3.crit") instead of the SD.
sed -i 's/property(name="structured-data")/property(name="pri-text")/' "$T/rs.conf"
start_rsyslog tcp:$P

write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
cat >> "$T/fw.conf" <<CONF
min_severity = warning
[output.crit]
type = file
address = $T/crit.json
min_severity = crit
[output.syslog]
type = syslog
address = tcp://127.0.0.1:$P
facility = local3
CONF
printf 'l1 A crit thing\nl2 B notice thing\nl3 C plain thing\nl4 B notice thing\n' > "$T/logs/app.log"

"$FIXWATCHD" -c "$T/fw.conf" --oneshot > "$T/out" 2> "$T/err" || fail "fixwatchd --oneshot failed"
expect_lines "l1 A crit thing" "l3 C plain thing"
"$JSONL_GET" severity "$T/out" > "$T/sev"
printf 'crit\nnull\n' | diff -u - "$T/sev" >&2 || fail "stdout: wrong severity members"
[ "$(grep -c '"schema"' "$T/crit.json")" -eq 1 ] && grep -q '"line":"l1 A crit thing"' "$T/crit.json" ||
	fail "min_severity = crit: the file output should hold only the crit alert"
grep -q "^file .* 4 " "$T/state/app.state" || fail "the checkpoint did not move past the filtered lines"

wait_for "4 messages at rsyslog" has_received pri 4
stop_rsyslog
cut -f1 "$T/rs/pri" > "$T/pri"
printf 'local3.crit\nlocal3.notice\nlocal3.warning\nlocal3.notice\n' |
	diff -u - "$T/pri" >&2 || fail "rsyslog decoded other PRIs"

# Bad values: the key is named, and -t agrees with start-up.
bad() {
	key=$1; shift
	write_conf "type = file" "path = $T/logs/app.log"
	for l in "$@"; do echo "$l" >> "$T/fw.conf"; done
	rc=0
	"$FIXWATCHD" -c "$T/fw.conf" -t > /dev/null 2> "$T/terr" || rc=$?
	[ "$rc" -ne 0 ] || fail "-t accepted: $*"
	grep -q "$key" "$T/terr" || { cat "$T/terr" >&2; fail "-t did not name $key"; }
}
bad min_severity "min_severity = error"
bad facility "[output.s]" "type = syslog" "facility = local8"
bad facility "facility = daemon"        # stdout writes no PRI
exit 0
