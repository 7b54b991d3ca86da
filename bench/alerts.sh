#!/bin/sh
# The alert path's throughput (not a test): how many alerts per second
# `fixwatch scan` writes as JSON, and how many matching lines per second
# fixwatchd gets through when aggregation holds them back, with the
# shipped KB. The lines are nginx error-log messages as nginx writes them
# (ngx_http_upstream.c), over IPv4 and IPv6 clients, with distinct numbers
# on every line; each one is matched and alerted (or held).
#
#   bench/alerts.sh [BUILDDIR [LINES]]      (default: . and 400000)
#
# Prints the best of 3 runs of each case; a run reads the file from the
# page cache (one warm-up run first) and writes to /dev/null. Each figure
# is a whole process, start-up included (KB load and matcher build); the
# same command over an empty file of the same configuration measures that
# start-up, and the last column is the rate without it:
# LINES / (time - start-up).
set -eu

B=$(cd "${1:-.}" && pwd)
N=${2:-400000}
S=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$B/fixwatchd" ] && [ -x "$B/fixwatch" ] || { echo "build fixwatch and fixwatchd in $B first" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/fw-alerts.XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/state"

awk -v n="$N" 'BEGIN {
	for (i = 0; i < n; i++) {
		c = (i % 3 == 0) ? sprintf("2001:db8:%x::%x", i % 4096, i % 65536) \
				 : sprintf("203.0.%d.%d", i % 256, (i * 7) % 256);
		t = sprintf("2026/12/01 %02d:%02d:%02d [error] %d#%d: *%d ", (i / 3600) % 24,
			    (i / 60) % 60, i % 60, 1000 + i % 8, 1000 + i % 8, i);
		r = sprintf("client: %s, server: shop.example.com, request: \"GET /api/v1/items/%d HTTP/1.1\", upstream: \"http://10.0.%d.%d:8080/api/v1/items/%d\", host: \"shop.example.com\"",
			    c, i, i % 200, i % 250, i);
		if (i % 3 == 0)
			print t "upstream timed out (110: Connection timed out) while reading response header from upstream, " r
		else if (i % 3 == 1)
			print t "connect() failed (111: Connection refused) while connecting to upstream, " r
		else
			print t "no live upstreams while connecting to upstream, " r
	}
}' > "$W/storm.log"

conf() {   # conf WINDOW [FILE]: a oneshot config over the storm (or FILE)
	cat > "$W/fw.conf" <<CONF
[daemon]
kb = $S/data/kb
state_dir = $W/state
control_socket =
[alerts]
window = $1
[input.storm]
type = file
path = ${2:-$W/storm.log}
start_at = beginning
[output.out]
type = stdout
CONF
}

now() { date +%s.%N; }

# best CMD...: the shortest of 3 timed runs after a warm-up, in seconds.
best() {
	"$@" >/dev/null 2>&1 || true
	b=
	for r in 1 2 3; do
		rm -rf "$W/state"/*
		t0=$(now)
		"$@" >/dev/null 2>&1 || true
		t=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
		b=$(awk -v t="$t" -v b="${b:-$t}" 'BEGIN { print (t < b) ? t : b }')
	done
	echo "$b"
}

rate() { awk -v n="$N" -v t="$1" 'BEGIN { printf "%.0f", n / t }'; }
# net T START: the rate without start-up, or "-" when the difference is too small to say.
net() { awk -v n="$N" -v t="$1" -v s="$2" 'BEGIN { if (t - s > 0.005) printf "%.0f", n / (t - s); else print "-" }'; }
# row LABEL T START UNIT
row() { printf '  %-38s %8s s  %10s %-8s %10s\n' "$1" "$2" "$(rate "$2")" "$4" "$(net "$2" "$3")"; }

: > "$W/empty.log"
echo "alert path, $N matching nginx error lines, shipped KB, $(nproc) CPUs"
s=$(best "$B/fixwatch" scan -k "$S/data/kb" --format json "$W/empty.log")
conf 1h "$W/empty.log"
d=$(best "$B/fixwatchd" -c "$W/fw.conf" --oneshot)
printf '  start-up (empty input): fixwatch scan %s s, fixwatchd %s s\n' "$s" "$d"
printf '  %-38s %8s    %10s %-8s %10s\n' "" "time" "rate" "" "without start-up"
t=$(best "$B/fixwatch" scan -k "$S/data/kb" --format json "$W/storm.log")
row "fixwatch scan --format json:" "$t" "$s" alerts/s
conf 0
t=$(best "$B/fixwatchd" -c "$W/fw.conf" --oneshot)
row "fixwatchd, window = 0 (every alert):" "$t" "$d" alerts/s
conf 1h
t=$(best "$B/fixwatchd" -c "$W/fw.conf" --oneshot)
row "fixwatchd, window = 1h (held):" "$t" "$d" lines/s
# The same bytes with no record matching: what reading and matching alone cost.
sed 's/ (11[01]: / (9: /; s/no live upstreams/no lively upstreams/' "$W/storm.log" > "$W/nomatch.log"
mv "$W/nomatch.log" "$W/storm.log"
m=$("$B/fixwatch" scan -k "$S/data/kb" --format json "$W/storm.log" 2>/dev/null | wc -l) || true
[ "$m" -eq 0 ] || echo "  (note: $m of the unmatched lines still match a record)"
t=$(best "$B/fixwatchd" -c "$W/fw.conf" --oneshot)
row "fixwatchd, the same lines unmatched:" "$t" "$d" lines/s
