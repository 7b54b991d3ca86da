# Shared helpers for the black-box scenario scripts (sourced, not run).
# Each scenario gets a private temporary directory, removed on exit.
set -u

: "${top_srcdir:?run through make check}"
: "${FIXWATCH:?run through make check}"

T=$(mktemp -d "${TMPDIR:-/tmp}/fixwatch-test.XXXXXX")
trap 'rm -rf "$T"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_exit CODE CMD...: runs CMD with stdout in $T/out, stderr in $T/err.
expect_exit() {
	local want=$1 got
	shift
	"$@" >"$T/out" 2>"$T/err" && got=0 || got=$?
	if [ "$got" != "$want" ]; then
		echo "--- stdout" >&2; head -c 2000 "$T/out" >&2
		echo "--- stderr" >&2; head -c 2000 "$T/err" >&2
		fail "exit $got, expected $want: $*"
	fi
}

# assert_grep FILE PATTERN (fixed string) / assert_no_grep FILE PATTERN
assert_grep() {
	grep -qF -- "$2" "$1" || { echo "--- $1" >&2; head -c 2000 "$1" >&2; fail "'$2' not in $1"; }
}
assert_no_grep() {
	! grep -qF -- "$2" "$1" || { echo "--- $1" >&2; head -c 2000 "$1" >&2; fail "'$2' unexpectedly in $1"; }
}

# assert_lines FILE N: FILE has exactly N lines.
assert_lines() {
	local n
	n=$(wc -l <"$1")
	[ "$n" -eq "$2" ] || fail "$1 has $n lines, expected $2"
}

# wait_for SECONDS CMD...: polls CMD every 0.05 s until it succeeds or time runs out.
wait_for() {
	local deadline=$(( $(date +%s) + $1 ))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

SEED_ID=aws/cloudfront-custom-origin-ssl-handshake-failed
SEED_TEXT="502 ERROR The request could not be satisfied. CloudFront wasn't able to connect to the origin - SSL handshake failed"
# The seed as it came, a format fixture; the shipped KB has a reviewed record under its id.
SEED_FILE="$top_srcdir/tests/data/seed/cloudfront-custom-origin-ssl-handshake-failed.json"

# A small KB of our own, so scenarios do not depend on the shipped KB's contents.
make_kb() {
	mkdir -p "$T/kb/test"
	cat >"$T/kb/test/records.jsonl" <<'JSONL'
{"id":"test/upstream-timeout","signature":"upstream timed out","regex":"upstream timed out \\(110: Connection timed out\\) while (?<phase>[a-z ]+) from upstream, client: (?<client>[0-9.]+)","domain":"test","category":"timeout","root_cause":"The upstream did not answer in time.","workarounds":[{"action":"Raise proxy_read_timeout","success_rate":0.6},{"action":"Fix the slow upstream","success_rate":0.8}],"confidence":0.9}
{"id":"test/connect-refused","signature":"connect() failed (111: Connection refused)","regex":"connect\\(\\) failed \\(111: Connection refused\\) while connecting to upstream","domain":"test","category":"network_error"}
{"id":"test/generic-upstream","signature":"any upstream problem","regex":"upstream","domain":"test","category":"network_error","priority":-1}
JSONL
}
