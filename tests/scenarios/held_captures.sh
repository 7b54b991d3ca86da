#!/bin/sh
# [alerts] window > 0 in the real daemon with a record whose captures sit in
# optional groups at the end of its pattern: the matcher decides such
# matches without their captures, and the daemon takes them for the alert
# it sends and for the summary's last held line. Both carry the captures
# `fixwatch scan` gives for the same lines, also when a reload replaced
# the KB while the window was open.
. "$(dirname "$0")/daemon_lib.sh"
: "${FIXWATCH:?run through make check (FIXWATCH unset)}"

mkdir -p "$T/kb"
cat > "$T/kb/test.jsonl" <<'KB'
{"id":"test/conn-failed","signature":"connection failed","regex":"conn (?<id>\\d+) failed(?:, client: (?<client>[^,]+))?(?:, host: \"(?<host>[^\"]*)\")?","domain":"test","category":"network_error","root_cause":"The peer went away.","confidence":0.9}
KB
# captures N: the captures object of alert N (1-based) in FILE.
captures() { grep -o '"captures":{[^}]*}' "$2" | sed -n "$1p"; }

write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
printf '[alerts]\nwindow = 1h\n' >> "$T/fw.conf"
{
	i=1; while [ $i -le 19 ]; do echo "x conn $i failed, client: 10.0.0.$i"; i=$((i + 1)); done
	echo 'x conn 20 failed, client: 10.9.9.9, host: "shop.example"'
} > "$T/logs/app.log"
run_oneshot
[ "$(count_alerts)" -eq 2 ] || fail "expected an alert and a summary, got $(count_alerts)"
grep -q '"count":19' "$T/out" || fail "the summary does not count 19 held matches"
# Exit status 1: something was found.
rc=0
"$FIXWATCH" scan -k "$T/kb" --format json "$T/logs/app.log" > "$T/scan" 2> "$T/scan.err" || rc=$?
[ "$rc" -eq 1 ] && [ "$(grep -c . "$T/scan")" -eq 20 ] || fail "scan ($rc): $(cat "$T/scan.err")"
want=$(captures 1 "$T/scan")
[ "$want" = '"captures":{"id":"1","client":"10.0.0.1"}' ] || fail "scan's captures: $want"
[ "$(captures 1 "$T/out")" = "$want" ] || fail "the alert's captures: $(captures 1 "$T/out")"
want=$(captures 20 "$T/scan")
[ "$want" = '"captures":{"id":"20","client":"10.9.9.9","host":"shop.example"}' ] ||
	fail "scan's last captures: $want"
[ "$(captures 2 "$T/out")" = "$want" ] || fail "the summary's captures: $(captures 2 "$T/out")"

# A reload that replaces the KB while the window is open: the held line's
# captures are taken before the old matcher goes. The window cannot close
# by itself within the test, so the summary comes after the reload, when
# the daemon stops: a summary sent before the reload would test nothing.
rm -rf "$T/state" "$T/out" "$T/err"
write_conf "type = file" "path = $T/logs/rl.log" "start_at = beginning"
printf '[alerts]\nwindow = 1h\n' >> "$T/fw.conf"
# Written before the start: one read takes all five, before the reload.
{
	i=1; while [ $i -le 4 ]; do echo "x conn $i failed, client: 10.1.0.$i"; i=$((i + 1)); done
	echo 'x conn 5 failed, client: 10.1.0.5, host: "rl.example"'
} > "$T/logs/rl.log"
start_daemon
wait_for "the first alert" has_alerts 1
# The new KB names the groups differently: the summary must keep the old names.
sed -i 's/The peer went away\./Replaced by the reload./; s/?<client>/?<peer>/' "$T/kb/test.jsonl"
kill -HUP "$DPID"
wait_for "the reload" log_has "reloaded"
[ "$(count_alerts)" -eq 1 ] || fail "a summary before the reload: $(cat "$T/out")"
stop_daemon
[ "$(count_alerts)" -eq 2 ] || fail "expected the alert and one summary at the stop: $(cat "$T/out")"
summary=$(grep '"count":4' "$T/out") || fail "no summary of 4 held matches: $(cat "$T/out")"
case $summary in
*'"line":"x conn 5 failed, client: 10.1.0.5, host: \"rl.example\""'*'"root_cause":"The peer went away."'*) ;;
*) fail "the summary after a reload lost its record or line: $summary" ;;
esac
[ "$(captures 2 "$T/out")" = '"captures":{"id":"5","client":"10.1.0.5","host":"rl.example"}' ] ||
	fail "the summary's captures after a reload: $(captures 2 "$T/out")"
exit 0
