# Helpers of the fixwatchd scenarios (lib.sh serves the tool's ones): a
# temp dir with a small KB of our own, a config, the real fixwatchd in the
# background, and polling with deadlines (never sleep-and-hope).

set -eu

: "${FIXWATCHD:?run through make check (FIXWATCHD unset)}"
T=$(mktemp -d "${TMPDIR:-/tmp}/fw-scenario.XXXXXX")
DPID=
SCENARIO=$(basename "$0" .sh)

cleanup() {
	if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then
		kill -KILL "$DPID" 2>/dev/null || true
		wait "$DPID" 2>/dev/null || true
	fi
	rm -rf "$T"
}
trap cleanup EXIT

fail() {
	echo "FAIL $SCENARIO: $*" >&2
	if [ -f "$T/err" ]; then
		echo "--- fixwatchd stderr:" >&2
		tail -n 30 "$T/err" >&2
	fi
	exit 1
}

# A KB of three records; every test line names which one it should hit.
write_kb() {
	mkdir -p "$T/kb"
	cat > "$T/kb/test.jsonl" <<'KB'
{"id":"test/disk-full","signature":"No space left on device","regex":"No space left on device \\((?<dev>[a-z0-9]+)\\)","domain":"test","category":"storage_error","root_cause":"The file system is full.","workarounds":[{"action":"Free space","success_rate":0.9}],"confidence":0.9}
{"id":"web/upstream-timeout","signature":"upstream timed out","regex":"upstream timed out \\(110","domain":"web","category":"network_error","root_cause":"The upstream is too slow.","confidence":0.8}
{"id":"web/too-many-files","signature":"Too many open files","regex":"Too many open files","domain":"web","category":"resource_exhausted","root_cause":"The worker hit its file descriptor limit.","confidence":0.7}
KB
}

# write_conf INPUT_LINES...: [daemon] + one input "app" + stdout output.
write_conf() {
	mkdir -p "$T/state" "$T/logs"
	{
		echo "[daemon]"
		echo "kb = $T/kb"
		echo "kb_local = $T/kb.d"
		echo "state_dir = $T/state"
		echo "host = scenario"
		echo "checkpoint_interval = 1s"
		echo "control_socket ="
		echo "[input.app]"
		for l in "$@"; do echo "$l"; done
		echo "[output.out]"
		echo "type = stdout"
	} > "$T/fw.conf"
}

# with_file_output PATH: a file output writing PATH, after the config write_conf wrote.
with_file_output() {
	printf '[output.file]\ntype = file\naddress = %s\n' "$1" >> "$T/fw.conf"
}

# lines_in FILE N: FILE is there and holds N lines or more.
lines_in() { [ -f "$1" ] && [ "$(wc -l < "$1")" -ge "$2" ]; }

# with_control [METRICS_FILE]: the daemon's control socket at $T/ctl.sock
# (what `fixwatch status -s "$T/ctl.sock"` asks) in the config write_conf
# wrote, and its metrics_file when one is given.
with_control() {
	sed -i "s|^control_socket =\$|control_socket = $T/ctl.sock|" "$T/fw.conf"
	[ $# -eq 0 ] || sed -i "s|^control_socket = $T/ctl.sock\$|&\\
metrics_file = $1|" "$T/fw.conf"
}

# wait_for DESCRIPTION COMMAND...: polls COMMAND until it succeeds, 60 s max.
wait_for() {
	what=$1
	shift
	i=0
	until "$@"; do
		i=$((i + 1))
		[ "$i" -le 1200 ] || fail "timed out (60 s) waiting for $what"
		if [ -n "$DPID" ] && ! kill -0 "$DPID" 2>/dev/null; then
			# It may have done what we wait for just before it exited.
			"$@" && return 0
			fail "fixwatchd died while waiting for $what"
		fi
		sleep 0.05
	done
}

count_alerts() {
	if [ -f "$T/out" ]; then grep -c '"schema":"fixwatch.alert/1"' "$T/out" || true; else echo 0; fi
}

has_alerts() { [ "$(count_alerts)" -ge "$1" ]; }
log_has() { grep -q -- "$1" "$T/err" 2>/dev/null; }

# start_daemon [ARGS...]: starts fixwatchd (alerts appended to $T/out) and
# waits for its start-up line.
start_daemon() {
	n_started=$(grep -c 'fixwatchd: started' "$T/err" 2>/dev/null || true)
	"$FIXWATCHD" -c "$T/fw.conf" "$@" >> "$T/out" 2>> "$T/err" &
	DPID=$!
	wait_for "the start-up line" started_more "${n_started:-0}"
}
started_more() {
	n=$(grep -c 'fixwatchd: started' "$T/err" 2>/dev/null || true)
	[ "${n:-0}" -gt "$1" ]
}

# paused_collector: the control socket at $T/ctl.sock and [output.col], a
# unix output (queue_max 20) to a torture collector that stops reading at
# once, so the queue fills and the inputs pause as soon as lines flow. CPID
# is the collector's pid: `kill -CONT "$CPID"` makes it read again. It
# returns once the collector said it stopped reading ($T/col.out.ctl), so a
# SIGCONT sent later cannot overtake the SIGUSR2.
paused_collector() {
	with_control
	with_unix_output col col.sock 20
	"$top_builddir/tests/torture/collector" "unix:$T/col.sock" "$T/col.out" 120 2> "$T/col.err" &
	CPID=$!
	trap 'kill -KILL $CPID 2>/dev/null; cleanup' EXIT
	wait_for "the collector" test -S "$T/col.sock"
	kill -USR2 "$CPID"
	wait_for "the collector to stop reading" grep -qs '^paused$' "$T/col.out.ctl"
}

# inputs_paused [PATTERN]: fixwatch status (left in $T/status) says
# backpressure has paused the inputs, and has a line matching PATTERN (a
# grep regex, e.g. an output's queue) when one is given.
inputs_paused() {
	"$FIXWATCH" status -s "$T/ctl.sock" > "$T/status" 2>/dev/null &&
		grep -q "inputs paused [1-9][0-9]* times" "$T/status" &&
		{ [ $# -eq 0 ] || grep -q "$1" "$T/status"; }
}

# many_files N: N one-line files $T/logs/f01.log ... (each line names its
# file and matches test/disk-full); many_files_want N: those lines, sorted.
many_files() {
	n=1
	while [ $n -le "$1" ]; do
		printf 'f%02d No space left on device (sda)\n' $n > "$T/logs/f$(printf %02d $n).log"
		n=$((n + 1))
	done
}
many_files_want() {
	n=1
	while [ $n -le "$1" ]; do
		printf 'f%02d No space left on device (sda)\n' $n
		n=$((n + 1))
	done
}

# start_daemon_fd_limit N: starts fixwatchd under `ulimit -n N` and waits
# until it started and said it ran out of descriptors (the limit bit).
FD_LIMIT_SAID='\[input.app\] .*: cannot open: Too many open files; the files open stay followed'
start_daemon_fd_limit() {
	( ulimit -n "$1" && exec "$FIXWATCHD" -c "$T/fw.conf" ) >> "$T/out" 2>> "$T/err" &
	DPID=$!
	wait_for "the start-up line" log_has "fixwatchd: started"
	wait_for "the lack of descriptors to be said" log_has "$FD_LIMIT_SAID"
}

# fds: how many descriptors the daemon holds. fds_back_to N WHEN: polls
# (60 s at most) until it holds N or fewer, naming the log files still
# open when it does not.
fds() { ls "/proc/$DPID/fd" | wc -l; }
fds_back_to() {
	i=0
	until [ "$(fds)" -le "$1" ]; do
		i=$((i + 1))
		[ "$i" -le 1200 ] ||
			fail "the daemon holds $(fds) descriptors, not $1, 60 s $2 ($(ls -l "/proc/$DPID/fd" | grep -c "$T/logs") log files open)"
		kill -0 "$DPID" 2>/dev/null || fail "fixwatchd died"
		sleep 0.05
	done
}

# private_tmpfs DIR: mounts a 64 KiB tmpfs on DIR in a mount namespace of
# its own, held by a process (HOLDER) that outlives daemon restarts, so a
# test can fill a file system without touching the host's. A user
# namespace too when not root; NSENTER holds the nsenter options that join
# it. Exits 77 (skip), saying why, where no such namespace can be made.
private_tmpfs() {
	command -v unshare > /dev/null && command -v nsenter > /dev/null ||
		{ echo "$SCENARIO: no unshare or nsenter; skipped"; exit 77; }
	if [ "$(id -u)" -eq 0 ]; then ns=-m; NSENTER=-m; else ns=-rm; NSENTER="-U -m --preserve-credentials"; fi
	unshare $ns sh -c "mount -t tmpfs -o size=64k none '$1' && : > '$T/mounted' &&
		exec tail -f /dev/null" 2> "$T/unshare.err" &
	HOLDER=$!
	trap 'kill -KILL $HOLDER 2>/dev/null || true; cleanup' EXIT
	i=0
	until [ -f "$T/mounted" ]; do
		i=$((i + 1))
		if ! kill -0 "$HOLDER" 2>/dev/null || [ $i -gt 1200 ]; then
			echo "$SCENARIO: no private tmpfs ($(cat "$T/unshare.err")); skipped"
			exit 77
		fi
		sleep 0.05
	done
}

# run_oneshot [ARGS...]: fixwatchd --oneshot in the foreground (alerts
# appended to $T/out); it must exit 0, and within 60 s however loaded the
# machine is.
run_oneshot() {
	rc=0
	timeout 60 "$FIXWATCHD" -c "$T/fw.conf" --oneshot "$@" >> "$T/out" 2>> "$T/err" || rc=$?
	[ "$rc" -eq 0 ] || fail "--oneshot exited with $rc"
}

# stop_daemon: SIGTERM, then the exit status must be 0 within 20 s.
stop_daemon() {
	kill -TERM "$DPID"
	i=0
	while kill -0 "$DPID" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -le 400 ] || fail "fixwatchd did not stop within 20 s of SIGTERM"
		sleep 0.05
	done
	rc=0
	wait "$DPID" || rc=$?
	DPID=
	[ "$rc" -eq 0 ] || fail "fixwatchd exited with $rc after SIGTERM"
}

# The "line" field of every alert, in order.
alert_lines() { grep -o '"line":"[^"]*"' "$T/out" | sed 's/^"line":"//; s/"$//'; }
# has_line LINE: an alert carries exactly this line (repeats do not count as new lines).
has_line() { alert_lines | grep -qxF -- "$1"; }

# expect_lines LINE...: the alert stream is exactly these lines, in order.
expect_lines() {
	printf '%s\n' "$@" > "$T/expected"
	alert_lines > "$T/got" || true
	diff -u "$T/expected" "$T/got" >&2 || fail "alert lines differ from the expected ones"
}

# free_port tcp|udp: a loopback port nobody listens on right now.
free_port() {
	i=0
	while :; do
		i=$((i + 1))
		[ "$i" -le 200 ] || fail "no free $1 port found"
		p=$(( 20000 + ($(od -An -N2 -tu2 /dev/urandom) % 40000) ))
		if [ "$1" = tcp ]; then flag=-Htan; else flag=-Huan; fi
		ss $flag "sport = :$p" | grep -q . || { echo "$p"; return 0; }
	done
}

# listening tcp|udp PORT: something listens on the loopback port.
listening() { ss "-Hl$1n" "sport = :$2" | grep -q .; }

# Bytes a collector must never receive raw.
ESC=$(printf '\033'); DEL=$(printf '\177'); CR=$(printf '\r'); BAD=$(printf '\377')

# enospc_lines FIRST LAST: the numbered lines FIRST..LAST, each one matched
# by write_kb's record: "line N No space left on device (sdN)".
enospc_lines() {
	awk -v a="$1" -v b="$2" 'BEGIN { for (i = a; i <= b; i++) printf "line %d No space left on device (sd%d)\n", i, i }'
}

# with_unix_output NAME SOCKET [QUEUE_MAX]: a unix stream output [output.NAME]
# to $T/SOCKET in $T/fw.conf.
with_unix_output() {
	{
		echo "[output.$1]"
		echo "type = unix"
		echo "address = unix://$T/$2"
		[ -z "${3:-}" ] || echo "queue_max = $3"
	} >> "$T/fw.conf"
}

# write_hostile_log FILE N: N lines matching test/disk-full (see write_kb);
# line 7 carries a quote, "]", a backslash, ESC, DEL, CR and an invalid byte,
# line 9 is over 3,000 bytes long.
write_hostile_log() {
	long=$(awk 'BEGIN { for (i = 0; i < 3000; i++) printf "x" }')
	i=1
	while [ $i -le "$2" ]; do
		case $i in
		7) printf 'No space left on device (sda) "q" ]\\ %s[31m red %s %s %s end\n' \
			"$ESC" "$DEL" "$CR" "$BAD" ;;
		9) printf 'No space left on device (sdb) %s\n' "$long" ;;
		*) printf 'line %d No space left on device (sd%d)\n' $i $i ;;
		esac
		i=$((i + 1))
	done > "$1"
}
