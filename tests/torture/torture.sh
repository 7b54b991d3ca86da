#!/bin/bash
# torture.sh: fault-injection harness for fixwatchd (see README.md, "Guarantees").
#
#   torture.sh [--seed N] [--steps S] [--classes c1,c2,...] [--late S] [--keep]
#
# One schedule: the real fixwatchd follows $T/logs/*.log into three real
# receivers (a file output, a unix stream collector and a TCP collector,
# tests/torture/collector.c). From the seed (printed first; bash's RANDOM
# seeded with it, the writer's chunking seeded per step) it interleaves
# numbered appends (writer.c: every size, lines split across writes) with
# the fault classes asked for. At the end every collector is back, the
# harness waits (bounded) for the outputs to catch up, stops the daemon and
# check.awk proves per output: every line's alert arrived, none damaged,
# repeats only inside an at-least-once window (SIGKILL, collector break, a
# clean stop while the TCP collector is stalled),
# counted per cause. Classes: append; rename, recreate, copytruncate, gzip
# (rotations); hup, hupchg (reloads); term, kill (restarts); colreset,
# coldown (the unix collector resets its connection, stops cleanly and
# comes back); colslow (the TCP collector stops reading, then reads
# again); slowout (the TCP collector stops reading while a burst flows,
# the file output takes it all, then a clean restart: the file output may
# repeat nothing, the TCP output only what its TCP had not taken);
# stallterm (the unix collector stops reading during a burst, SIGTERM, it
# drops the bytes it had not read and reads again, restart: the file and
# TCP outputs get every line exactly once, the unix collector repeats at
# most what the stops said they would send again, window stallterm);
# statefull (state_dir, a 64 KiB tmpfs of a private mount namespace, is
# filled up, then freed: a restart while it is full resumes from the last
# checkpoint saved, window statefull); fdlimit (the daemon's soft
# RLIMIT_NOFILE is cut to about the descriptors it holds (prlimit) while
# new files appear, then restored: their lines must arrive once it is). A
# class that this host cannot inject (no unshare or nsenter, no mount
# namespace, no prlimit) is left out of the schedule with the reason
# printed. The collectors act on a control signal before the harness goes
# on (ctl).
# The same seed, steps and classes replay the same
# schedule: it is drawn from the seed alone (never from timing), and its
# hash is printed ("schedule=") so a replay can be compared.
#
# Late is not lost: when an output has not caught up within 60 s, the
# harness names the missing lines (and the steps that wrote them), dumps the
# daemon's status and log tail, and keeps waiting up to --late seconds more
# (default 240). Lines that arrive then are a stall, reported as such; only
# lines still missing after that are called lost.
#
# Exit 0 = every line arrived in time, no unexplained repeat; 1 = lost,
# damaged or repeated lines, or a harness failure (the replay command is
# printed and the directory kept); 3 = nothing lost, but an output stalled
# (lines arrived late); 77 = skipped.
set -u

: "${FIXWATCHD:?run through make check or set FIXWATCHD}"
here=$(cd "$(dirname "$0")" && pwd)
: "${TORTURE_BIN:=${top_builddir:-$here/../..}/tests/torture}"
TORTURE_BIN=$(cd "$TORTURE_BIN" && pwd)
seed=1
steps=40
classes=append,rename,recreate,copytruncate,gzip,hup,term,kill,colreset,coldown,colslow
keep=0
late_s=240
while [ $# -gt 0 ]; do
	case $1 in
	--seed) seed=$2; shift 2 ;;
	--steps) steps=$2; shift 2 ;;
	--classes) classes=$2; shift 2 ;;
	--late) late_s=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	*) echo "usage: torture.sh [--seed N] [--steps S] [--classes LIST] [--late S] [--keep]" >&2; exit 2 ;;
	esac
done

: "${FIXWATCH:=$(dirname "$FIXWATCHD")/fixwatch}"
T=$(mktemp -d "${TMPDIR:-/tmp}/fw-torture.XXXXXX")
DPID= UPID= NPID= HOLDER=
declare -A faults=()
written=0
tcp_stopped=0
unix_down=0
state_full=0
fd_limited=0
fd_files=0
stall_resent=0
late=0
step=start

stop_all() {
	for p in $DPID $UPID $NPID $HOLDER; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
}
finish() {
	stop_all
	if [ "$keep" = 1 ]; then echo "kept $T" >&2; else rm -rf "$T"; fi
}
trap finish EXIT

replay_cmd() {
	echo "FIXWATCHD=$FIXWATCHD TORTURE_BIN=$TORTURE_BIN bash $here/torture.sh" \
		"--seed $seed --steps $steps --classes $classes --keep"
}
schedule_hash() { md5sum < "$T/schedule" | cut -c1-12; }
# diag: what the daemon says about itself, for a stall or a failure.
diag() {
	echo "--- fixwatch status (step $step):" >&2
	if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then
		timeout 20 "$FIXWATCH" status -s "$T/ctl.sock" >&2 2>&1 || echo "(status failed)" >&2
		echo "--- fixwatchd's open files ($(grep '^Max open files' /proc/"$DPID"/limits 2>/dev/null |
			awk '{print "limit " $4 " soft, " $5 " hard"}')):" >&2
		ls -l /proc/"$DPID"/fd 2>/dev/null | sed -n 's/.* -> //p' | grep -v '^socket:\|^anon_inode:\|^pipe:' >&2
	else
		echo "(fixwatchd is not running)" >&2
	fi
	echo "--- logs/:" >&2
	ls -li "$T/logs" >&2
	echo "--- fixwatchd's log, last 25 lines:" >&2
	tail -n 25 "$T/err" >&2
	[ -s "$T/col.err" ] && { echo "--- collectors:" >&2; tail -n 5 "$T/col.err" >&2; }
	echo "---" >&2
}
fail() {
	keep=1
	echo "FAIL torture seed=$seed steps=$steps classes=$classes schedule=$(schedule_hash): $*" >&2
	diag
	echo "replay: $(replay_cmd)" >&2
	echo "kept: $T (schedule: $T/schedule)" >&2
	exit 1
}
has() { case ",$classes," in *",$1,"*) return 0 ;; esac; return 1; }
note() { faults[$1]=$(( ${faults[$1]:-0} + 1 )); echo "step $step: $1 $2" >> "$T/schedule"; }
touch "$T/schedule"

mkdir -p "$T/logs" "$T/state" "$T/kb"
cat > "$T/kb/t.jsonl" <<'KB'
{"id":"torture/disk-full","signature":"No space left on device","regex":"No space left on device \\((?<dev>[a-z0-9]+)\\)","domain":"test","category":"storage_error","root_cause":"The file system is full.","confidence":0.9}
KB

# Collectors: one TCP port for the whole run (taken at the first start).
# start_unix returns once the new collector listens: it binds only after its
# signal handlers are in place, so a reset (SIGUSR1) sent after this cannot
# kill it. The old socket goes first, or it would pass for the new one.
# Their lifetime (a bound, should the harness die) is far above a run's.
start_unix() {
	rm -f "$T/col.sock"
	"$TORTURE_BIN/collector" "unix:$T/col.sock" "$T/out.unix" 3600 2>> "$T/col.err" &
	UPID=$!
	for i in $(seq 400); do
		[ -S "$T/col.sock" ] && return 0
		kill -0 "$UPID" 2>/dev/null || fail "the unix collector exited at start"
		sleep 0.05
	done
	fail "the unix collector did not listen within 20 s"
}
start_tcp() {
	coproc TCPCOL { exec "$TORTURE_BIN/collector" "tcp:${port:-0}" "$T/out.tcp" 3600 2>> "$T/col.err"; }
	NPID=$TCPCOL_PID
	read -r -t 20 port <&"${TCPCOL[0]}" || fail "the TCP collector did not start"
}
# ctl OUTPUT PID SIGNAL: signals a collector and waits (bounded) until it
# acknowledged that the signal took effect (a line in out.OUTPUT.ctl). One
# control signal at a time: two pending at once are delivered in signal
# number order, not in the order sent (a pause and a resume sent in a row
# to a collector not yet scheduled left it paused for good), and a window
# (below) drawn before a reset took effect would be too narrow.
ctl() {
	local f="$T/out.$1.ctl" n0 i
	n0=$(cat "$f" 2>/dev/null | wc -l)
	kill -"$3" "$2" || fail "the $1 collector is gone (SIG$3)"
	for i in $(seq 1200); do
		[ "$(cat "$f" 2>/dev/null | wc -l)" -gt "$n0" ] && return 0
		kill -0 "$2" 2>/dev/null || fail "the $1 collector exited on SIG$3"
		sleep 0.05
	done
	fail "the $1 collector did not act on SIG$3 within 60 s"
}
# stop_unix: the unix collector stops cleanly (SIGTERM): it writes every
# complete line it read, then closes, unread bytes and all. A SIGKILL would
# lose what it read and had not written yet: lines the daemon saw taken,
# lost by the collector (README, "Guarantees": not a sender's fault).
stop_unix() {
	local i s
	kill -TERM "$UPID"
	for i in $(seq 1200); do
		# Gone or a zombie (the state after "PID (collector) " in /proc).
		s=$(sed 's/.*) //' /proc/"$UPID"/stat 2>/dev/null)
		case $s in ''|Z*) wait "$UPID" 2>/dev/null; UPID=; return 0 ;; esac
		sleep 0.05
	done
	fail "the unix collector did not stop within 60 s of SIGTERM"
}
start_unix
start_tcp

# statefull: the state directory is a 64 KiB tmpfs in a mount namespace of
# its own, held by a process for the whole run (a restarted daemon enters
# it again with nsenter); the harness fills it through /proc/PID/root.
# drop CLASS REASON: leaves a class this host cannot inject out.
drop() {
	echo "skipped: $1: $2"
	classes=$(echo ",$classes," | sed "s/,$1,/,/g; s/^,//; s/,\$//")
	[ -n "$classes" ] || { echo "torture: no class left to run"; exit 77; }
}
state_ns() {
	if ! command -v unshare > /dev/null || ! command -v nsenter > /dev/null; then
		drop statefull "no unshare or nsenter"
		return
	fi
	unshare -m sh -c "mount -t tmpfs -o size=64k none '$T/state' && : > '$T/mounted' &&
		exec tail -f /dev/null" 2> "$T/unshare.err" &
	HOLDER=$!
	for i in $(seq 1200); do
		[ -f "$T/mounted" ] && { STATE=/proc/$HOLDER/root$T/state; return; }
		kill -0 "$HOLDER" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null; HOLDER=
	drop statefull "no private tmpfs for state_dir ($(head -c 200 "$T/unshare.err"))"
}
mkdir -p "$T/state"
has statefull && state_ns
has fdlimit && ! command -v prlimit > /dev/null && drop fdlimit "no prlimit"

maxline=64k
# The config is replaced whole (rename), as an editor saves it: a reload
# must never read it half written.
write_conf() {
	cat > "$T/fw.conf.new" <<CONF
[daemon]
kb = $T/kb
state_dir = $T/state
host = torture
checkpoint_interval = 1s
control_socket = $T/ctl.sock
[input.app]
type = file
path = $T/logs/*.log
start_at = beginning
max_line_bytes = $maxline
partial_flush = 5s
[output.file]
type = file
address = $T/out.file
[output.unix]
type = unix
address = unix://$T/col.sock
[output.tcp]
type = tcp
address = tcp://127.0.0.1:$port
CONF
	mv "$T/fw.conf.new" "$T/fw.conf"
}
write_conf

start_daemon() {
	if [ -n "$HOLDER" ]; then
		nsenter -t "$HOLDER" -m "$FIXWATCHD" -c "$T/fw.conf" >> "$T/daemon.out" 2>> "$T/err" &
	else
		"$FIXWATCHD" -c "$T/fw.conf" >> "$T/daemon.out" 2>> "$T/err" &
	fi
	DPID=$!
	fd_limited=0   # a new process: the limit it inherits is the harness's
	n=$1
	for i in $(seq 400); do
		[ "$(grep -c 'fixwatchd: started' "$T/err")" -gt "$n" ] && return 0
		kill -0 "$DPID" 2>/dev/null || fail "fixwatchd did not start"
		sleep 0.05
	done
	fail "fixwatchd did not start within 20 s"
}
starts=0
start_daemon $starts; starts=$((starts + 1))

# check OUTPUT [quiet]: the oracle on what OUTPUT received so far (exit 1:
# lines missing; 2: damaged or repeated); the missing ranges go to
# $T/missing.OUTPUT.
check() {
	complete "$T/out.$1" >"$T/snap.$1"
	if [ "${2:-}" = quiet ]; then
		awk -v n="$written" -v windows="$T/win.$1" -v name="$1" -v missing="$T/missing.$1" \
			-f "$here/check.awk" "$T/snap.$1" >/dev/null 2>&1
	else
		awk -v n="$written" -v windows="$T/win.$1" -v name="$1" -v missing="$T/missing.$1" \
			-f "$here/check.awk" "$T/snap.$1"
	fi
}
# complete FILE: FILE's complete lines. A reader can see an alert that is
# still being written (a write to a regular file is not atomic for a reader
# that does not lock it): its incomplete last line has not arrived yet, it is
# not damaged. The bytes below the size read first never change (the file
# only grows), so both reads below see the same bytes.
complete() {
	size=$(stat -c %s "$1")
	if [ "$size" -gt 0 ] && [ "$(head -c "$size" "$1" | tail -c 1 | od -An -tx1 | tr -d ' ')" != 0a ]; then
		head -c "$size" "$1" | head -n -1
	else
		head -c "$size" "$1"
	fi
}
# missing OUTPUT: the lines OUTPUT lacks, with the steps that wrote them.
missing() {
	awk -v o="$1" '
		FNR == NR { if (match($0, /lines [0-9]+-[0-9]+/)) {
			split(substr($0, RSTART + 6, RLENGTH - 6), r, "-")
			ns++; slo[ns] = r[1] + 0; shi[ns] = r[2] + 0; sw[ns] = "step " substr($2, 1, length($2) - 1) " (" $3 ")" } next }
		{ n = $2 - $1 + 1; tot += n; s = ""
		  for (i = 1; i <= ns; i++) if (slo[i] <= $2 && shi[i] >= $1) s = s " " sw[i]
		  if (++rows <= 10) printf "%s: missing lines %d-%d (%d), written at%s\n", o, $1, $2, n, s }
		END { if (rows > 10) printf "%s: ... %d ranges in all\n", o, rows
		      printf "%s: %d lines missing\n", o, tot + 0 }' "$T/schedule" "$T/missing.$1" >&2
}
# caught_up OUTPUT...: 0 when every output holds every line; 1 when lines
# are missing; a damaged line or an unexplained repeat fails the run.
caught_up() {
	r=0
	for o in "$@"; do
		check "$o" quiet
		case $? in
		0) ;;
		1) r=1 ;;
		*) check "$o" >&2; fail "damaged or repeated lines at the $o output" ;;
		esac
	done
	return $r
}
# wait_outputs WHAT OUTPUT...: wait until the outputs hold every line
# written: 60 s (bounded, on the condition), then, as a stall, up to late_s
# more with the missing lines and the daemon's state shown; lines still
# missing then are lost.
wait_outputs() {
	what=$1; shift
	t0=$SECONDS
	while [ $((SECONDS - t0)) -lt 60 ]; do
		caught_up "$@" && return 0
		[ -n "$DPID" ] && ! kill -0 "$DPID" 2>/dev/null && fail "fixwatchd died ($what)"
		sleep 0.05
	done
	echo "STALL torture seed=$seed step $step: $what: not caught up within 60 s; waiting up to $late_s s more" >&2
	for o in "$@"; do check "$o" quiet || missing "$o"; done
	diag
	while [ $((SECONDS - t0)) -lt $((60 + late_s)) ]; do
		if caught_up "$@"; then
			late=$((late + 1))
			echo "LATE torture seed=$seed step $step: $what: every line arrived after $((SECONDS - t0)) s (late, not lost)" >&2
			echo "step $step: late $what, caught up after $((SECONDS - t0)) s" >> "$T/late"
			return 0
		fi
		[ -n "$DPID" ] && ! kill -0 "$DPID" 2>/dev/null && fail "fixwatchd died ($what)"
		sleep 0.2
	done
	for o in "$@"; do check "$o" quiet || missing "$o"; done
	fail "lost: $what: lines still missing after $((SECONDS - t0)) s"
}
touch "$T/out.file" "$T/out.unix" "$T/out.tcp" "$T/win.file" "$T/win.unix" "$T/win.tcp"
# Lines in flight may repeat once more after a break: the window is every
# line written so far (the bound the oracle applies per event).
window() { for o in "${@:2}"; do echo "$1 1 $written" >> "$T/win.$o"; done; }

# wait_drained: the file output holds every line written (what a slow
# logrotate would wait for before deleting or truncating: the named limit).
# With restarts in the mix, every output: the lines of a file deleted
# before an output took them cannot be sent again after a restart (a named
# limit, README.md "Guarantees").
wait_drained() {
	# A receiver that is down or paused holds the inputs back (backpressure):
	# it comes back first. Rotating while paused is an open class (README.md).
	collectors_back "before a rotation"
	if [ "$restarts" = 1 ]; then
		wait_outputs "before a rotation, every output" file unix tcp
	else
		wait_outputs "before a rotation, the file output" file
	fi
}
collectors_back() {
	if [ "$unix_down" = 1 ]; then start_unix; unix_down=0; note coldown "up ($1)"; fi
	if [ "$tcp_stopped" = 1 ]; then ctl tcp "$NPID" CONT; tcp_stopped=0; note colslow "resumed ($1)"; fi
	fd_back "$1"
}

# fd_cut: the daemon's soft descriptor limit falls to one above its lowest
# free descriptor (a new descriptor is always the lowest free one, and none
# may be at or above the limit), and 2-3 new files (fdN.log) get numbered
# lines: it can open one at most, the other(s) wait for the limit to rise
# (rescans retry).
fd_cut() {
	local low=0 k n f
	while [ -e /proc/"$DPID"/fd/$low ]; do low=$((low + 1)); done
	fd_soft=$(prlimit --pid "$DPID" --nofile --output SOFT --noheadings | tr -d ' ')
	prlimit --pid "$DPID" --nofile=$((low + 1)): || fail "prlimit failed on fixwatchd"
	fd_limited=1
	n=$((2 + RANDOM % 2))
	f=""
	for k in $(seq "$n"); do
		fd_files=$((fd_files + 1))
		append_to "fd$fd_files.log"
		f="$f fd$fd_files.log:${lines#lines }"
	done
	note fdlimit "soft limit $((low + 1)), new files$f"
}
# fd_back WHY: the daemon's descriptor limit as it was.
fd_back() {
	[ "$fd_limited" = 1 ] || return 0
	prlimit --pid "$DPID" --nofile="$fd_soft": || fail "prlimit failed on fixwatchd"
	fd_limited=0
	note fdlimit "restored ($1)"
}

# wait_open: fixwatchd holds the current app.log open. Deleting a file no
# reader has opened yet destroys its lines for every reader (a named limit,
# README.md "Guarantees"); the daemon must read on from a deleted file it
# had opened, across a stop too.
wait_open() {
	[ -f "$T/logs/app.log" ] || return 0
	id=$(stat -c %d:%i "$T/logs/app.log")
	for i in $(seq 1200); do
		for fd in /proc/"$DPID"/fd/*; do
			[ "$(stat -L -c %d:%i "$fd" 2>/dev/null)" = "$id" ] && return 0
		done
		sleep 0.05
	done
	fail "fixwatchd did not open app.log within 60 s (step $step)"
}

# append [MIN SPAN]: MIN + (0 .. SPAN-1) lines (1 + 0..399 by default).
append() { append_to app.log "$@"; }
# append_to NAME [MIN SPAN]: the same to logs/NAME.
append_to() {
	k=$((${2:-1} + RANDOM % ${3:-400}))
	"$TORTURE_BIN/writer" "$T/logs/$1" $((written + 1)) "$k" "$((seed * 1000 + step))" ||
		fail "writer failed"
	lines="lines $((written + 1))-$((written + k))"
	written=$((written + k))
}
# restart_windows: what a restart may send again beyond its own window: with
# state_dir full, every line since the last checkpoint saved.
restart_windows() { [ "$state_full" = 0 ] || window statefull file unix tcp; }

stop_daemon() {
	kill -TERM "$DPID"
	rc=0
	for i in $(seq 1200); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.05; done
	kill -0 "$DPID" 2>/dev/null && fail "fixwatchd did not stop within 60 s of SIGTERM"
	wait "$DPID" || rc=$?
	DPID=
	[ "$rc" -eq 0 ] || fail "fixwatchd exited with $rc after SIGTERM"
}

echo "torture: seed=$seed steps=$steps classes=$classes dir=$T"
RANDOM=$seed
IFS=, read -r -a pick <<< "$classes"
restarts=0
has term || has kill || has slowout || has stallterm && restarts=1
for step in $(seq "$steps"); do
	c=${pick[RANDOM % ${#pick[@]}]}
	case $c in
	append) append; note append "$lines" ;;
	rename)
		# logrotate's rename: app.log -> app.log.1; the old .1 goes once read.
		wait_drained
		rm -f "$T/logs/app.log.1"
		[ -f "$T/logs/app.log" ] && mv "$T/logs/app.log" "$T/logs/app.log.1"
		append; note rename "then $lines" ;;
	recreate)
		# A deleted file a stalled output has not had is gone for it after
		# a restart: with restarts in the mix, the outputs catch up first.
		if [ "$restarts" = 1 ] && [ "$unix_down$tcp_stopped" != 00 ]; then
			collectors_back "before a delete"
			wait_outputs "before a delete, every output" file unix tcp
		fi
		# Out of descriptors, the new app.log may wait for one behind
		# the fdN.log files: it must be open before it is deleted.
		fd_back "before a delete"
		wait_open; rm -f "$T/logs/app.log"; append; note recreate "then $lines" ;;
	copytruncate)
		# logrotate moves or removes the old .1 first: a copy into it would
		# rewrite a file the daemon may still follow (really repeated lines).
		wait_drained
		rm -f "$T/logs/app.log.1"
		[ -f "$T/logs/app.log" ] && cp "$T/logs/app.log" "$T/logs/app.log.1" &&
			: > "$T/logs/app.log"
		append; note copytruncate "then $lines" ;;
	gzip)
		[ -f "$T/logs/app.log" ] && mv "$T/logs/app.log" "$T/logs/app.log.1"
		append
		wait_drained
		[ -f "$T/logs/app.log.1" ] && gzip -f "$T/logs/app.log.1"
		note gzip "rename, $lines, compress-and-remove" ;;
	hup) kill -HUP "$DPID"; note hup unchanged ;;
	hupchg)
		if [ "$maxline" = 64k ]; then maxline=32k; else maxline=64k; fi
		write_conf; kill -HUP "$DPID"; note hupchg "max_line_bytes=$maxline" ;;
	term)
		# A clean stop gives a stalled collector 5 s; what its TCP had not
		# taken is sent again after the restart, and may arrive twice.
		[ "$tcp_stopped" = 1 ] && window slowterm tcp
		restart_windows
		stop_daemon; append; start_daemon $starts; starts=$((starts + 1)); note term "$lines while stopped" ;;
	slowout)
		# Issue 10, row 8: the TCP collector stops reading while a burst
		# flows, the file output takes all of it, then a clean restart. The
		# file output must repeat nothing; the TCP output gets every line,
		# repeats only of what it had not taken (window slowterm).
		collectors_back "before a stalled restart"
		wait_outputs "before a stalled restart, every output" file unix tcp
		ctl tcp "$NPID" USR2; tcp_stopped=1
		append 1000 2000; burst=$lines
		wait_outputs "the file output, the TCP collector stalled" file
		window slowterm tcp
		restart_windows
		stop_daemon; append; start_daemon $starts; starts=$((starts + 1))
		note slowout "TCP collector paused, $burst, restart, $lines while stopped" ;;
	stallterm)
		# A clean stop while the unix collector stalled part-way through
		# a burst (it stops reading wherever the burst is when it acts on
		# the signal, mid-block as a rule), then it drops what it had not
		# read and reads again, and the daemon restarts: no window. Every
		# line it had taken must not come again, every other must come.
		collectors_back "before a stalled stop"
		append 1000 2000; burst=$lines
		ctl unix "$UPID" USR2
		restart_windows
		window stallterm unix
		e0=$(wc -l < "$T/err")
		stop_daemon
		# What the stop said the collector had not taken: sent again, the
		# bound on its repeats (checked at the end).
		k=$(tail -n +$((e0 + 1)) "$T/err" |
			sed -n 's/.*output unix: \([0-9]*\) alerts not taken by .* at shutdown.*/\1/p' | head -n 1)
		stall_resent=$((stall_resent + ${k:-0}))
		ctl unix "$UPID" USR1
		ctl unix "$UPID" CONT
		append; start_daemon $starts; starts=$((starts + 1))
		note stallterm "unix collector stalled in $burst, SIGTERM, unread bytes dropped, $lines while stopped" ;;
	kill)
		kill -KILL "$DPID"; wait "$DPID" 2>/dev/null; DPID=
		window sigkill file unix tcp
		restart_windows
		append; start_daemon $starts; starts=$((starts + 1)); note kill "$lines while stopped" ;;
	colreset)
		# A collector that is down has no connection to reset.
		if [ "$unix_down" = 0 ]; then ctl unix "$UPID" USR1; window collector unix; fi
		note colreset unix ;;
	coldown)
		if [ "$unix_down" = 0 ]; then
			stop_unix; window collector unix; unix_down=1; note coldown down
		else
			start_unix; unix_down=0; note coldown up
		fi ;;
	colslow)
		if [ "$tcp_stopped" = 0 ]; then ctl tcp "$NPID" USR2; tcp_stopped=1; note colslow paused
		else ctl tcp "$NPID" CONT; tcp_stopped=0; note colslow resumed; fi ;;
	statefull)
		if [ "$state_full" = 0 ]; then
			dd if=/dev/zero of="$STATE/fill" bs=4k 2> /dev/null
			[ -s "$STATE/fill" ] || fail "could not fill the state tmpfs"
			state_full=1; note statefull full
		else
			rm -f "$STATE/fill"; state_full=0; note statefull freed
		fi ;;
	fdlimit)
		if [ "$fd_limited" = 0 ]; then fd_cut; else fd_back "drawn"; fi ;;
	*) fail "unknown fault class '$c'" ;;
	esac
done
[ "$unix_down" = 1 ] && start_unix
[ "$tcp_stopped" = 1 ] && ctl tcp "$NPID" CONT
fd_back end
step=end
wait_outputs "at the end, every output" file unix tcp
stop_daemon
rc=0
for o in file unix tcp; do
	check "$o" > "$T/final.$o" || rc=1
	cat "$T/final.$o"
done
# stallterm: a clean stop repeats at the unix collector no more than the
# stops said they sent again (with no other unix window, which could take
# repeats the oracle counts for the first window that covers a line).
if has stallterm && ! has colreset && ! has coldown && ! has kill && ! has statefull; then
	k=$(sed -n 's/.* dup_stallterm=\([0-9]*\).*/\1/p' "$T/final.unix")
	faults[stallterm_resent]=$stall_resent
	[ "${k:-0}" -le "$stall_resent" ] ||
		fail "the unix collector got ${k:-0} lines twice after stalled stops that sent $stall_resent again"
fi
# What the daemon said of the faults (its counters are per process).
has statefull && faults[state_errors_said]=$(grep -c 'cannot write state: No space left on device' "$T/err")
has statefull && faults[state_recoveries]=$(grep -c 'checkpoint saved again after' "$T/err")
has fdlimit && faults[fd_limit_said]=$(grep -c 'cannot open: Too many open files' "$T/err")
f=""
for c in $(printf '%s\n' "${!faults[@]}" | sort); do f="$f $c=${faults[$c]}"; done
echo "faults:$f"
echo "late: $late"
# A failed save must leave the previous state file whole: never one set aside.
grep -q "set aside" "$T/err" && fail "a state file was set aside: $(grep -m1 "set aside" "$T/err")"
echo "not injected: ENOSPC on an output's directory"
[ "$rc" = 0 ] || fail "the oracle found lost, damaged or repeated lines"
if [ "$late" -gt 0 ]; then
	keep=1
	echo "STALL torture seed=$seed lines=$written schedule=$(schedule_hash): $late late wait(s), 0 lost" >&2
	cat "$T/late" >&2
	echo "replay: $(replay_cmd)" >&2
	exit 3
fi
echo "PASS torture seed=$seed lines=$written schedule=$(schedule_hash)"
