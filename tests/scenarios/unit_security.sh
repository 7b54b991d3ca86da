#!/bin/sh
# The systemd unit: `systemd-analyze security` holds its exposure score at or
# below the recorded level, and the unit file is well-formed.
. "$top_srcdir/tests/scenarios/lib.sh"

# Exposure on systemd's 0-100 scale (the 0.0-10.0 score times ten). Raising
# it needs a reason in the commit and a new score in README.
THRESHOLD=15

command -v systemd-analyze >/dev/null 2>&1 || { echo "SKIP: no systemd-analyze"; exit 77; }
UNIT="$top_builddir/systemd/fixwatchd.service"
[ -f "$UNIT" ] || fail "$UNIT not built"

# The generated unit carries the configured paths, no placeholders.
assert_no_grep "$UNIT" '@sbindir@'
assert_no_grep "$UNIT" '@sysconfdir@'
assert_grep "$UNIT" 'Type=notify'
assert_grep "$UNIT" "ExecReload=/bin/sh -c 'kill -HUP \"\$MAINPID\"'"
assert_grep "$UNIT" 'MemoryDenyWriteExecute=yes'

# systemd parses every line: an unknown or misspelt setting is reported
# (on stderr, with status 0), and the test takes any report as a failure.
# ExecStart points at the built daemon, which verify checks exists.
mkdir -p "$T/verify"
sed "s|^ExecStart=[^ ]*|ExecStart=$FIXWATCHD|" "$UNIT" >"$T/verify/fixwatchd.service"
expect_exit 0 systemd-analyze verify "$T/verify/fixwatchd.service"
[ ! -s "$T/err" ] || { cat "$T/err" >&2; fail "systemd-analyze verify reported problems"; }

# The file name must end in .service for systemd-analyze to take it.
expect_exit 0 systemd-analyze security --offline=yes --threshold=$THRESHOLD "$UNIT"
score=$(sed -n 's/.*Overall exposure level for fixwatchd.service: \([0-9.]*\).*/\1/p' "$T/out")
[ -n "$score" ] || fail "no exposure score in the output"
echo "fixwatchd.service: systemd-analyze security --offline=yes exposure $score (gate: $THRESHOLD/100)"

# A hardening line lost on the way must fail the gate: drop the sandboxing
# and the score rises above the threshold.
grep -v -e '^Protect' -e '^Private' -e '^DynamicUser' -e '^SystemCall' -e '^Restrict' \
	-e '^CapabilityBoundingSet' -e '^MemoryDenyWriteExecute' -e '^NoNewPrivileges' \
	"$UNIT" >"$T/fixwatchd.service"
expect_exit 1 systemd-analyze security --offline=yes --threshold=$THRESHOLD "$T/fixwatchd.service"

# The adm drop-in (the Debian package's too): the unit with it, its lines last
# in [Service] as systemd applies a drop-in, is well-formed and as exposed
# as without it; files it writes are group-readable, not world-readable.
ADM="$top_srcdir/systemd/adm.conf.example"
for line in DynamicUser=no User=_fixwatch Group=adm UMask=0027; do
	grep -qx "$line" "$ADM" || fail "adm.conf.example does not say $line"
done
mkdir -p "$T/adm"
sed -n '/^\[Service\]$/,$p' "$ADM" | sed 1d >"$T/adm.lines"
[ -s "$T/adm.lines" ] || fail "adm.conf.example has no [Service] settings"
awk -v lines="$T/adm.lines" '/^\[Install\]$/ { while ((getline l < lines) > 0) print l; print "" } { print }' \
	"$T/verify/fixwatchd.service" >"$T/adm/fixwatchd.service"
[ "$(grep '^UMask=' "$T/adm/fixwatchd.service" | tail -1)" = UMask=0027 ] ||
	fail "the unit with adm.conf.example does not end with UMask=0027"
expect_exit 0 systemd-analyze verify "$T/adm/fixwatchd.service"
[ ! -s "$T/err" ] || { cat "$T/err" >&2; fail "systemd-analyze verify: the unit with adm.conf.example"; }
expect_exit 0 systemd-analyze security --offline=yes --threshold=$THRESHOLD "$T/adm/fixwatchd.service"
adm_score=$(sed -n 's/.*Overall exposure level for fixwatchd.service: \([0-9.]*\).*/\1/p' "$T/out")
echo "with adm.conf.example: exposure $adm_score"

# The JIT drop-in only turns MemoryDenyWriteExecute off.
assert_grep "$top_srcdir/systemd/jit.conf.example" 'MemoryDenyWriteExecute=no'
[ "$(grep -c '^[A-Za-z]' "$top_srcdir/systemd/jit.conf.example")" -eq 1 ] ||
	fail "jit.conf.example should change exactly one setting"
exit 0
