# Helpers of the rsyslog scenarios: a real rsyslogd, unprivileged, listening
# on loopback ports chosen free at test time, writing what it receives with
# a template of ours: STRUCTURED-DATA, a TAB, MSG, one message per line.

. "$(dirname "$0")/daemon_lib.sh"

[ -n "${RSYSLOGD:-}" ] && [ -x "$RSYSLOGD" ] ||
	fail "rsyslogd not found (apt-get install rsyslog, then configure again)"
: "${top_builddir:?run through make check}"
JSONL_GET="$top_builddir/tests/jsonl_get"
RPID=

cleanup_rsyslog() {
	if [ -n "$RPID" ] && kill -0 "$RPID" 2>/dev/null; then
		kill -KILL "$RPID" 2>/dev/null || true
		wait "$RPID" 2>/dev/null || true
	fi
	[ -n "${FW_KEEP:-}" ] && echo "kept $T" >&2 && return 0
	cleanup
}
trap cleanup_rsyslog EXIT


# rsyslog_conf NAME:tcp:PORT NAME:udp:PORT...: one input and one output file
# ($T/rs/NAME) per listener.
rsyslog_conf() {
	mkdir -p "$T/rs"
	{
		echo "global(workDirectory=\"$T/rs\" maxMessageSize=\"64k\")"
		echo 'module(load="imtcp")'
		echo 'module(load="imudp")'
		echo 'template(name="fw" type="list") {'
		echo '  property(name="structured-data") constant(value="\t")'
		echo '  property(name="msg") constant(value="\n") }'
		for l in "$@"; do
			name=${l%%:*}; rest=${l#*:}; proto=${rest%%:*}; port=${rest#*:}
			echo "ruleset(name=\"$name\") { if \$app-name == \"fixwatch\" then {"
			echo "  action(type=\"omfile\" file=\"$T/rs/$name\" template=\"fw\") } }"
			echo "input(type=\"im$proto\" address=\"127.0.0.1\" port=\"$port\" ruleset=\"$name\")"
		done
	} > "$T/rs.conf"
}


# start_rsyslog PROTO:PORT...: starts rsyslogd and waits until each listens.
start_rsyslog() {
	"$RSYSLOGD" -n -f "$T/rs.conf" -i "$T/rs.pid" >> "$T/rs.err" 2>&1 &
	RPID=$!
	for l in "$@"; do
		if [ "${l%%:*}" = tcp ]; then f=t; else f=u; fi
		wait_for "rsyslogd on ${l}" listening "$f" "${l#*:}"
	done
}

stop_rsyslog() {
	kill -TERM "$RPID"
	wait "$RPID" 2>/dev/null || true
	RPID=
}

# received NAME: messages in $T/rs/NAME (0 when none yet).
received() { if [ -f "$T/rs/$1" ]; then wc -l < "$T/rs/$1"; else echo 0; fi; }
has_received() { [ "$(received "$1")" -ge "$2" ]; }

# distinct_lines NAME: how many different source lines arrived (every message must parse).
distinct_lines() {
	"$JSONL_GET" source.line_no "$T/rs/$1" > "$T/seen.$1" || fail "$1: a message is not valid JSON"
	sort -n -u "$T/seen.$1" | wc -l
}
has_distinct() { [ "$(distinct_lines "$1")" -ge "$2" ]; }

# expect_each_once NAME N: lines 1..N each arrived, and nothing else.
expect_each_once() {
	"$JSONL_GET" source.line_no "$T/rs/$1" > "$T/seen.$1" || fail "$1: a message is not valid JSON"
	seq 1 "$2" > "$T/want"
	sort -n -u "$T/seen.$1" | diff -u "$T/want" - >&2 || fail "$1: lines missing or unexpected"
	dups=$(sort -n "$T/seen.$1" | uniq -d | wc -l)
	[ "$dups" -eq 0 ] || fail "$1: $dups lines arrived more than once"
}
