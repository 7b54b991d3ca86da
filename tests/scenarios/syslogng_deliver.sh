#!/bin/sh
# Alerts reach a real syslog-ng running the receiving snippet of README.md
# and docs/delivery.md (the two must be the same), changed only in its
# addresses and its file path: over TCP with octet counting and over UDP,
# each alert arrives exactly once as valid JSON with the STRUCTURED-DATA
# params intact, and a hostile log line arrives escaped.
#
# syslog-ng is not installed (its package conflicts with rsyslog's); it runs
# from a private root that tests/syslogng-fetch.sh unpacks, named by
# FW_SYSLOGNG_ROOT. Without it the scenario skips.
. "$(dirname "$0")/daemon_lib.sh"

ROOT=${FW_SYSLOGNG_ROOT:-}
if [ -z "$ROOT" ] || [ ! -e "$ROOT/usr/sbin/syslog-ng" ]; then
	echo "SKIP $SCENARIO: no syslog-ng root; run tests/syslogng-fetch.sh DIR and set FW_SYSLOGNG_ROOT=DIR" >&2
	exit 77
fi
: "${top_builddir:?run through make check}"
: "${top_srcdir:?run through make check}"
JSONL_GET="$top_builddir/tests/jsonl_get"
SNG="$ROOT/usr/sbin/syslog-ng"
MODDIR=
for d in "$ROOT"/usr/lib/syslog-ng/[0-9]*; do [ -d "$d" ] && MODDIR=$d; done
[ -n "$MODDIR" ] || fail "no module directory under $ROOT/usr/lib/syslog-ng"
LD_LIBRARY_PATH="$ROOT/usr/lib/syslog-ng${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LD_LIBRARY_PATH
VERSION=$("$SNG" -V 2>/dev/null | sed -n "s/^Installer-Version: *\([0-9]*\.[0-9]*\).*/\1/p")
[ -n "$VERSION" ] || fail "$SNG does not start ($SNG -V failed)"

SPID=
cleanup_syslogng() {
	if [ -n "$SPID" ] && kill -0 "$SPID" 2>/dev/null; then
		kill -KILL "$SPID" 2>/dev/null || true
		wait "$SPID" 2>/dev/null || true
	fi
	[ -n "${FW_KEEP:-}" ] && echo "kept $T" >&2 && return 0
	cleanup
}
trap cleanup_syslogng EXIT


# snippet FILE HEADING: the first code block after the line starting with HEADING.
snippet() {
	awk -v h="$2" 'index($0, h) == 1 { on = 1; next }
		on && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }' "$1"
}
snippet "$top_srcdir/README.md" "Receiving on syslog-ng" > "$T/readme.snippet"
snippet "$top_srcdir/docs/delivery.md" "## Forwarding to syslog-ng" > "$T/docs.snippet"
[ -s "$T/docs.snippet" ] || fail "docs/delivery.md: no syslog-ng snippet found"
diff -u "$T/docs.snippet" "$T/readme.snippet" >&2 ||
	fail "the syslog-ng snippets of README.md and docs/delivery.md differ"

PT=$(free_port tcp); PU=$(free_port udp)
mkdir -p "$T/sng"
{
	echo "@version: $VERSION"
	sed -e "s|port(601)|ip(\"127.0.0.1\") port($PT)|" \
	    -e "s|port(514)|ip(\"127.0.0.1\") port($PU)|" \
	    -e "s|/var/log/fixwatch/alerts.jsonl|$T/sng/alerts.jsonl|" "$T/docs.snippet"
	# Beyond the snippet, for the test: the STRUCTURED-DATA as syslog-ng
	# parsed it, a TAB, then MSG, in a second file.
	printf '%s\n' "destination d_test { file(\"$T/sng/sd\" template(\"\${SDATA}\\t\${MSG}\\n\")); };"
	printf '%s\n' 'log { source(s_fixwatch); filter(f_fixwatch); destination(d_test); };'
} > "$T/sng.conf"
grep -q "port($PT)" "$T/sng.conf" && grep -q "port($PU)" "$T/sng.conf" &&
	grep -qF "$T/sng/alerts.jsonl" "$T/sng.conf" ||
	fail "the snippet no longer has port(601), port(514) and /var/log/fixwatch/alerts.jsonl"
"$SNG" -s -f "$T/sng.conf" --module-path="$MODDIR" > "$T/sng.err" 2>&1 ||
	{ cat "$T/sng.err" >&2; fail "syslog-ng rejects the snippet"; }

"$SNG" -F --no-caps -f "$T/sng.conf" -R "$T/sng/persist" -p "$T/sng/pid" \
	-c "$T/sng/ctl" --module-path="$MODDIR" >> "$T/sng.err" 2>&1 &
SPID=$!
sng_up() {
	kill -0 "$SPID" 2>/dev/null || { cat "$T/sng.err" >&2; fail "syslog-ng exited"; }
	listening t "$PT" && listening u "$PU"
}
wait_for "syslog-ng on tcp:$PT and udp:$PU" sng_up

# The log: N matching lines; line 7 hostile (quotes, backslash, ']', a
# terminal escape, DEL, CR, an invalid byte), line 9 too long for a 2k
# datagram. UDP has no flow control: N stays well under what the receiving
# socket buffer holds.
N=60
write_kb
write_conf "type = file" "path = $T/logs/app.log" "start_at = beginning"
sed -i '/^\[output\.out\]$/,$d' "$T/fw.conf"
write_hostile_log "$T/logs/app.log" "$N"

count() { if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi; }
has_lines() { [ "$(count "$1")" -ge "$2" ]; }

# deliver NAME OUTPUT_LINES...: one fixwatchd --oneshot run from a fresh
# state with one syslog output; its N alerts must be the next N lines of
# both syslog-ng files, then copied to $T/NAME.jsonl and $T/NAME.sd.
deliver() {
	name=$1; shift
	before=$(count "$T/sng/alerts.jsonl")
	rm -rf "$T/state"; mkdir -p "$T/state"
	cp "$T/fw.conf" "$T/fw.$name.conf"
	{ echo "[output.$name]"; echo "type = syslog"; printf '%s\n' "$@"; } >> "$T/fw.$name.conf"
	"$FIXWATCHD" -c "$T/fw.$name.conf" --oneshot > "$T/out" 2> "$T/err" ||
		fail "$name: fixwatchd --oneshot failed"
	want=$((before + N))
	wait_for "$N alerts over $name" has_lines "$T/sng/alerts.jsonl" "$want"
	wait_for "$N alerts over $name (second file)" has_lines "$T/sng/sd" "$want"
	# A late duplicate of this run would land after these N lines: the
	# total counted once syslog-ng has stopped catches it.
	tail -n "+$((before + 1))" "$T/sng/alerts.jsonl" > "$T/$name.jsonl"
	tail -n "+$((before + 1))" "$T/sng/sd" > "$T/$name.sd"
}

deliver tcp "address = tcp://127.0.0.1:$PT"
deliver udp "address = udp://127.0.0.1:$PU" "max_message_bytes = 2k"
# Let syslog-ng write out anything still queued, then count.
kill -TERM "$SPID"; wait "$SPID" 2>/dev/null || true; SPID=
[ "$(count "$T/sng/alerts.jsonl")" -eq $((2 * N)) ] ||
	fail "$(count "$T/sng/alerts.jsonl") messages in alerts.jsonl, expected $((2 * N))"

SD='[fixwatch@32473 id="test/disk-full" domain="test" category="storage_error" confidence="0.90" input="app" count="1"]'
for o in tcp udp; do
	[ "$(count "$T/$o.jsonl")" -eq $N ] || fail "$o: $(count "$T/$o.jsonl") messages, expected $N"
	"$JSONL_GET" source.line_no "$T/$o.jsonl" > "$T/seen.$o" ||
		fail "$o: a line of alerts.jsonl is not valid JSON"
	seq 1 $N > "$T/want"
	sort -n -u "$T/seen.$o" | diff -u "$T/want" - >&2 || fail "$o: lines missing or unexpected"
	dups=$(sort -n "$T/seen.$o" | uniq -d | wc -l)
	[ "$dups" -eq 0 ] || fail "$o: $dups alerts arrived more than once"
	"$JSONL_GET" schema "$T/$o.jsonl" | sort -u | grep -qx 'fixwatch.alert/1' ||
		fail "$o: schema is not fixwatch.alert/1"
	[ "$(grep -cF "$SD	" "$T/$o.sd")" -eq $N ] || fail "$o: STRUCTURED-DATA not intact"
	# The hostile line: escaped inside the JSON, nothing raw reaches the file.
	grep -F '(sda) \"q\" ]\\ \u001b[31m red ' "$T/$o.jsonl" | grep -qF ' \r ' ||
		fail "$o: the hostile line is not there, escaped"
	for c in "$ESC" "$DEL" "$CR"; do
		! grep -qF "$c" "$T/$o.jsonl" || fail "$o: a raw control character reached the collector"
	done
	"$JSONL_GET" line "$T/$o.jsonl" | grep -qF "(sda) \"q\" ]\\ ${ESC}[31m red " ||
		fail "$o: the hostile line does not decode back to the original"
done
# Line 9 does not fit a 2k datagram: cut and flagged, the JSON still valid.
"$JSONL_GET" truncated "$T/udp.jsonl" | sed -n 9p | grep -qx true || fail "udp: line 9 not truncated"
"$JSONL_GET" truncated "$T/tcp.jsonl" | sed -n 9p | grep -qx false || fail "tcp: line 9 truncated"
exit 0
