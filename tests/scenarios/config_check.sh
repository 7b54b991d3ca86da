#!/bin/sh
# `fixwatchd -t` and start-up agree: what -t accepts starts, what it refuses
# does not start, with the same message; limits (threshold at its maximum
# and one above), unusable state_dir and control socket directories, a
# missing file named plainly. Usage errors of both programs start with the
# program's name.
. "$(dirname "$0")/daemon_lib.sh"

write_kb
mkdir -p "$T/state"
: > "$T/empty.log"

# conf STATE_DIR CONTROL_SOCKET [ALERTS_LINE...]: a config reading an empty file.
conf() {
	{
		echo "[daemon]"
		echo "kb = $T/kb"
		echo "state_dir = $1"
		echo "control_socket = $2"
		echo "[input.app]"
		echo "type = file"
		echo "path = $T/empty.log"
		echo "[output.out]"
		echo "type = stdout"
		echo "[alerts]"
		shift 2
		for l in "$@"; do echo "$l"; done
	} > "$T/fw.conf"
}

# agree 0|1 WHAT: -t and a --oneshot start both exit with the status given;
# on 1 both print the same errors.
agree() {
	rc=0
	"$FIXWATCHD" -t -c "$T/fw.conf" > "$T/t.out" 2> "$T/t.err" || rc=$?
	[ "$rc" -eq "$1" ] || { cat "$T/t.err" >&2; fail "$2: -t exited $rc, expected $1"; }
	rc=0
	timeout 20 "$FIXWATCHD" --oneshot -c "$T/fw.conf" > "$T/s.out" 2> "$T/s.err" || rc=$?
	[ "$rc" -eq "$1" ] || { cat "$T/s.err" >&2; fail "$2: start-up exited $rc, expected $1"; }
	if [ "$1" -eq 1 ]; then
		grep -v 'not started' "$T/t.err" > "$T/t.why"
		grep -v 'not started' "$T/s.err" > "$T/s.why"
		[ -s "$T/t.why" ] || fail "$2: -t refused without saying why"
		diff -u "$T/t.why" "$T/s.why" >&2 || fail "$2: -t and start-up give different reasons"
	else
		grep -q 'configuration OK' "$T/t.out" || fail "$2: -t did not say OK"
	fi
}

# threshold: the aggregator's limit is the parser's.
conf "$T/state" "" "window = 1m" "threshold = 10000"
agree 0 "threshold = 10000"
conf "$T/state" "" "window = 1m" "threshold = 10001"
agree 1 "threshold = 10001"
grep -q '\[alerts\] threshold: expected a whole number from 1 to 10000' "$T/t.err" ||
	fail "threshold error does not give the limit"

# state_dir: a file, a missing parent, a directory to create.
: > "$T/a-file"
conf "$T/a-file" ""
agree 1 "state_dir is a file"
grep -q "\[daemon\] state_dir: $T/a-file is not a directory" "$T/t.err" || fail "state_dir file"
conf "$T/no/such" ""
agree 1 "state_dir under a missing directory"
grep -q "\[daemon\] state_dir: cannot create $T/no/such: $T/no: No such file" "$T/t.err" ||
	fail "state_dir missing parent"
conf "$T/new-state" ""
agree 0 "state_dir to create"
[ -d "$T/new-state" ] || fail "start-up did not create state_dir"

# control_socket: its directory must exist or be creatable; start-up creates it.
conf "$T/state" "$T/no/such/c.sock"
agree 1 "control socket under a missing directory"
grep -q "\[daemon\] control_socket: cannot create $T/no/such" "$T/t.err" || fail "control_socket"
conf "$T/state" "$T/run/c.sock"
agree 0 "control socket in a directory to create"
start_daemon
wait_for "the control socket" test -S "$T/run/c.sock"
stop_daemon

# A missing file is named, without the parser's place markers.
rc=0
"$FIXWATCHD" -t -c "$T/absent.conf" 2> "$T/err.missing" || rc=$?
[ "$rc" -eq 1 ] || fail "-t on a missing file exited $rc"
grep -q "$T/absent.conf: cannot open the configuration file: No such file or directory" \
	"$T/err.missing" || { cat "$T/err.missing" >&2; fail "missing file message"; }
! grep -q ':-: \[-\]' "$T/err.missing" || fail "missing file message has parser markers"

# Usage errors start with the program's name.
usage() {
	want=$1
	shift
	rc=0
	"$@" > /dev/null 2> "$T/usage.err" || rc=$?
	[ "$rc" -ne 0 ] || fail "$* succeeded"
	head -n 1 "$T/usage.err" | grep -qxF "$want" ||
		{ cat "$T/usage.err" >&2; fail "$*: first line is not '$want'"; }
}
usage "fixwatchd: unrecognized option '--bogus'" "$FIXWATCHD" --bogus
usage "fixwatchd: unrecognized option '-x'" "$FIXWATCHD" -x
usage "fixwatchd: option '-c' needs an argument" "$FIXWATCHD" -c
usage "fixwatch: unrecognized option '--bogus'" "$FIXWATCH" scan --bogus -
usage "fixwatch: unrecognized option '-x'" "$FIXWATCH" check -x
usage "fixwatch: option '--format' needs an argument" "$FIXWATCH" scan --format
exit 0
