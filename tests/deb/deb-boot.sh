#!/bin/sh
# Boots a clean Debian 12 with a real systemd (systemd-nspawn --boot),
# installs the built package in it with apt while systemd runs, and checks
# what an operator sees: the unit enabled and active, the startup line in the
# journal, a line appended to a log the shipped configuration follows giving
# an alert on the configured output (stdout, so the journal), `fixwatch
# status` showing the input, `systemctl reload` taking a changed
# configuration (a file output, 0640 _fixwatch:adm) and surviving a bad one,
# the logrotate snippet rotating the alert file with the daemon reopening it,
# `systemctl stop` leaving a checkpoint that the next boot resumes from,
# MemoryDenyWriteExecute (JIT off, said once) and the JIT drop-in (no notice,
# JIT on) as README.md documents them, then remove and purge (Debian policy
# 6.5, 10.7.3).
#
# usage: tests/deb/deb-boot.sh DEB
# Needs root, systemd-nspawn (systemd-container) and mmdebstrap. The root
# (minbase bookworm with systemd, logrotate and the package's dependencies,
# so that installing the package needs no network) is made once from the
# mirror (FW_DEB_MIRROR) and kept as a .tar in FW_BOOT_CACHE (default
# /var/cache/fixwatch-test). Exit 77 (skip, with the reason) without root or
# where systemd-nspawn cannot run a container at all, unless
# FW_BOOT_REQUIRED=1 (CI), which makes that a failure. Every wait is bounded
# (60 s).
set -eu

deb=${1:?usage: deb-boot.sh DEB}
mirror=${FW_DEB_MIRROR:-http://deb.debian.org/debian}
cache=${FW_BOOT_CACHE:-/var/cache/fixwatch-test}
fail() { echo "FAIL deb-boot: $*" >&2; exit 1; }
skip() {
	[ "${FW_BOOT_REQUIRED:-0}" = 1 ] && fail "$* (FW_BOOT_REQUIRED=1)"
	echo "SKIP deb-boot: $*"
	exit 77
}
[ -f "$deb" ] || fail "no package $deb"
[ "$(id -u)" = 0 ] || skip "needs root (systemd-nspawn)"
for tool in systemd-nspawn mmdebstrap nsenter; do
	command -v "$tool" >/dev/null 2>&1 ||
		fail "no $tool (apt-get install systemd-container mmdebstrap)"
done
t0=$(date +%s)

# The root: the package's dependencies (with their versions) name the cached
# tar, so a new or raised dependency makes a new one.
fields=$(dpkg-deb -f "$deb" Pre-Depends Depends)
deps=$(echo "$fields" | sed 's/^[^:]*: //' | tr ',' '\n' |
	sed 's/|.*//; s/(.*)//; s/:any//; s/[[:space:]]//g' | grep -v '^$' | sort -u | tr '\n' ',')
include="systemd,systemd-sysv,dbus,logrotate,${deps%,}"
key=$(printf 'bookworm minbase %s %s %s\n' "$include" "$fields" "$mirror" | sha256sum | cut -c1-16)
tarball="$cache/bookworm-$key.tar"
if [ ! -s "$tarball" ]; then
	mkdir -p "$cache"
	echo "deb-boot: making $tarball (mmdebstrap, $include)"
	mmdebstrap --variant=minbase --format=tar --include="$include" bookworm "$tarball.$$" "$mirror" \
		> "$tarball.$$.log" 2>&1 ||
		{ tail -20 "$tarball.$$.log" >&2; rm -f "$tarball.$$" "$tarball.$$.log"; fail "mmdebstrap failed"; }
	[ -f "$tarball.$$" ] || fail "mmdebstrap made no tar"
	mv "$tarball.$$" "$tarball"
	rm -f "$tarball.$$.log"
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/fw-boot.XXXXXX")
R=$W/root
nspawn_pid=
init_pid=
boot=0
stop_container() {
	[ -n "$nspawn_pid" ] || return 0
	# SIGTERM: nspawn asks the container's systemd to power off.
	kill -TERM "$nspawn_pid" 2>/dev/null || true
	i=0
	while kill -0 "$nspawn_pid" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	if kill -0 "$nspawn_pid" 2>/dev/null; then
		# Killing the container's PID 1 ends every process inside it.
		[ -z "$init_pid" ] || kill -KILL "$init_pid" 2>/dev/null || true
		kill -KILL "$nspawn_pid" 2>/dev/null || true
		wait "$nspawn_pid" 2>/dev/null || true
		nspawn_pid=
		return 1
	fi
	wait "$nspawn_pid" 2>/dev/null || true
	nspawn_pid=
}
cleanup() {
	stop_container || true
	# Never delete a root that something still runs in.
	if [ -n "$init_pid" ] && kill -0 "$init_pid" 2>/dev/null; then
		echo "deb-boot: the container's init $init_pid still runs: $W kept" >&2
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mkdir -m 755 "$R"
tar -C "$R" -xf "$tarball"
mkdir -p "$R/srv/fw-test"
cp "$deb" "$R/srv/fw-test/"

machine="fwboot-$$"
# On a host booted with systemd nspawn runs the container in a scope of its
# own; elsewhere (a CI container, a VM without systemd) in the caller's cgroup.
keep_unit=
[ -d /run/systemd/system ] || keep_unit=--keep-unit
nspawn() { exec systemd-nspawn -q --register=no $keep_unit --private-network -M "$machine" -D "$R" "$@"; }

# Can this machine run a container at all (namespaces, mounts)?
(nspawn /bin/true) > "$W/probe.log" 2>&1 ||
	skip "systemd-nspawn cannot run a container here: $(tail -3 "$W/probe.log" | tr '\n' ' ')"

# wait_for WHAT CMD...: CMD succeeds within 60 s, or the test fails naming WHAT.
wait_for() {
	what=$1
	shift
	end=$(($(date +%s) + 60))
	until "$@"; do
		if [ "$(date +%s)" -ge "$end" ]; then
			[ -z "$nspawn_pid" ] || tail -20 "$W/console.$boot.log" >&2
			[ ! -s "$W/status" ] || { echo "--- last fixwatch status"; cat "$W/status"; } >&2
			fail "no $what after 60 s"
		fi
		sleep 0.2
	done
}

# boot: start the container and find its systemd (nspawn's child, PID 1 inside).
find_init() {
	for s in /proc/[0-9]*/status; do
		# (nspawn's first child is still systemd-nspawn until it execs init)
		if grep -q "^PPid:[[:space:]]*$nspawn_pid\$" "$s" 2>/dev/null &&
			grep -qx 'Name:[[:space:]]*systemd' "$s" 2>/dev/null; then
			p=${s#/proc/}
			init_pid=${p%/status}
			return 0
		fi
	done
	return 1
}
booted() {
	st=$(in_ct systemctl is-system-running 2>/dev/null) || true
	case $st in
	running | degraded) return 0 ;;
	*) kill -0 "$nspawn_pid" 2>/dev/null || fail "the container exited: $(tail -20 "$W/console.$boot.log")" ;;
	esac
	return 1
}

boot() {
	boot=$((boot + 1))
	init_pid=
	# (exec: $! is nspawn itself, which cleanup stops)
	(nspawn --boot --console=passive) > "$W/console.$boot.log" 2>&1 &
	nspawn_pid=$!
	wait_for "container systemd (boot $boot)" find_init
	wait_for "finished boot $boot" booted
	if [ "$st" = degraded ]; then
		echo "deb-boot: boot $boot degraded: $(in_ct systemctl --failed --no-legend --plain | tr '\n' ' ')"
	fi
}
in_ct() {
	nsenter -t "$init_pid" -m -u -i -n -p -C -r -w -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive SYSTEMD_PAGER= SYSTEMD_COLORS=0 "$@"
}
# The service's own log lines (its stdout and stderr) since a start.
svc_log() { in_ct journalctl -q -o cat _SYSTEMD_INVOCATION_ID="$(in_ct systemctl show -P InvocationID fixwatchd)"; }
svc_log_has() { svc_log | grep -q -- "$1"; }
active() {
	st=$(in_ct systemctl is-active fixwatchd) || true
	case $st in
	active) return 0 ;;
	failed | inactive) fail "fixwatchd is $st: $(in_ct journalctl -q -u fixwatchd -n 20 -o cat)" ;;
	esac
	return 1
}
alerts_in() { [ -f "$R$1" ] && [ "$(grep -c '"id":"nginx/no-live-upstreams"' "$R$1")" -eq "$2" ]; }
journal_alerts() { [ "$(in_ct journalctl -q -u fixwatchd -o cat | grep -c '"id":"nginx/no-live-upstreams"')" -eq "$1" ]; }
mode_of() { in_ct stat -c '%a %U %G' "$1"; }
nginx_line() {
	echo '2026/11/23 08:32:10 [error] 2231#2231: *48600 no live upstreams while connecting to upstream, client: 192.0.2.7, server: example.org, request: "GET / HTTP/1.1", upstream: "http://backend/", host: "example.org"' \
		>> "$R/var/log/nginx/error.log"
}

boot
echo "deb-boot: root ready and booted in $(($(date +%s) - t0)) s"

# Install as an operator does on a running system: postinst enables and starts it.
in_ct apt-get install -q -y --no-install-recommends "/srv/fw-test/$(basename "$deb")" > "$W/apt.log" 2>&1 ||
	{ tail -30 "$W/apt.log" >&2; fail "apt-get install the package"; }
[ "$(in_ct systemctl is-enabled fixwatchd)" = enabled ] || fail "fixwatchd is not enabled after install"
wait_for "active fixwatchd after install" active
wait_for "startup line in the journal" svc_log_has '^started [0-9.]*: 1 inputs, 1 outputs, KB [0-9]* records'
pid1=$(in_ct systemctl show -P MainPID fixwatchd)
[ "$(mode_of /run/fixwatch)" = "755 _fixwatch adm" ] || fail "/run/fixwatch is $(mode_of /run/fixwatch)"

# OpenSSL is opened by the first tls:// output (daemon/output/tls_lib.c), not
# linked: the installed daemon finds libssl.so.3 and its functions through
# dlopen. (systemd itself depends on libssl3 here, so this does not check the
# package's Depends; tests/deb/deb-check.sh does.)
in_ct sh -c 'cp /etc/fixwatch/fixwatch.conf /tmp/tls.conf &&
	printf "[output.central]\ntype = syslog\naddress = tls://127.0.0.1\n" >> /tmp/tls.conf &&
	fixwatchd -t -c /tmp/tls.conf' > "$W/tls-t" 2>&1 ||
	fail "fixwatchd -t with a tls:// output: $(cat "$W/tls-t")"
# libsystemd likewise, by the first journal input or output
# (daemon/util/journal_lib.c): the installed daemon finds libsystemd.so.0
# through dlopen (systemd depends on libsystemd0, so again not a check of
# Depends). The service's readiness and watchdog above need no library
# (daemon/util/notify.c).
in_ct sh -c 'cp /etc/fixwatch/fixwatch.conf /tmp/journal.conf &&
	printf "[input.sys]\ntype = journal\n[output.j]\ntype = journal\n" >> /tmp/journal.conf &&
	fixwatchd -t -c /tmp/journal.conf' > "$W/journal-t" 2>&1 ||
	fail "fixwatchd -t with a journal input and output: $(cat "$W/journal-t")"

# MemoryDenyWriteExecute=yes: matching without JIT, said once in the log and
# in the unit's status text.
[ "$(in_ct systemctl show -P MemoryDenyWriteExecute fixwatchd)" = yes ] || fail "MemoryDenyWriteExecute is not on"
[ "$(svc_log | grep -c 'JIT is not available')" -eq 1 ] || fail "not one JIT notice: $(svc_log)"
svc_log | grep -q '^started .* JIT off' || fail "the startup line does not say JIT off"
in_ct systemctl show -P StatusText fixwatchd | grep -q 'JIT off' || fail "the status text does not say JIT off"

# The shipped configuration follows /var/log/nginx/*.log; nginx's log appears
# (root:adm 0640, as nginx makes it) and is picked up by the rescan.
in_ct install -d -m 0755 -o root -g adm /var/log/nginx
in_ct install -m 0640 -o root -g adm /dev/null /var/log/nginx/error.log
follows() { in_ct fixwatch status > "$W/status" 2>&1 && grep -q '^ *\/var\/log\/nginx\/error\.log  offset' "$W/status"; }
wait_for "/var/log/nginx/error.log in fixwatch status" follows
nginx_line
wait_for "alert in the journal (stdout output)" journal_alerts 1
in_ct fixwatch status > "$W/status" 2>&1 || fail "fixwatch status: $(cat "$W/status")"
grep -q '^  nginx (file)' "$W/status" || fail "fixwatch status shows no nginx input: $(cat "$W/status")"
grep -q '^  stdout (stdout): up; 1 sent' "$W/status" || fail "fixwatch status: $(cat "$W/status")"
grep -q '^fixwatchd .*, pid [0-9]*, PCRE2 JIT off$' "$W/status" || fail "fixwatch status does not say JIT off: $(cat "$W/status")"

# reload (docs/daemon.md, "Signals"): a new input is taken at once, a new
# output at the next restart (the log says so); the process stays.
mkdir -p "$R/srv/app"
: > "$R/srv/app/app.log"
cat >> "$R/etc/fixwatch/fixwatch.conf" <<'EOF'
[input.app]
type = file
path = /srv/app/app.log
[output.file]
type = file
address = /var/log/fixwatch/alerts.json
EOF
in_ct systemctl reload fixwatchd || fail "systemctl reload: $(in_ct journalctl -q -u fixwatchd -n 5 -o cat)"
wait_for "reloaded line" svc_log_has '^reloaded: .*; 2 inputs'
svc_log | grep -q '^\[output.file\]: new; this takes effect at the next restart' ||
	fail "the reload does not say the new output waits for a restart: $(svc_log | tail -5)"
has_input() { in_ct fixwatch status > "$W/status" 2>&1 && grep -q '^  app (file)' "$W/status"; }
wait_for "input app in fixwatch status after reload" has_input
[ "$(in_ct systemctl show -P MainPID fixwatchd)" = "$pid1" ] || fail "reload restarted the daemon"
# A bad configuration: the reload is refused, the daemon keeps running.
cp "$R/etc/fixwatch/fixwatch.conf" "$W/good.conf"
printf '[input.bad]\ntype = no-such-type\n' >> "$R/etc/fixwatch/fixwatch.conf"
in_ct systemctl reload fixwatchd || true
wait_for "refused reload in the log" svc_log_has 'fixwatch.conf:[0-9]*: \[input.bad\] type'
cp "$W/good.conf" "$R/etc/fixwatch/fixwatch.conf"
active || fail "fixwatchd stopped after a bad reload"
[ "$(in_ct systemctl show -P MainPID fixwatchd)" = "$pid1" ] || fail "a bad reload restarted the daemon"

# restart: the file output, its files readable by adm.
in_ct systemctl restart fixwatchd || fail "systemctl restart: $(in_ct journalctl -q -u fixwatchd -n 5 -o cat)"
wait_for "active fixwatchd after restart" active
pid1=$(in_ct systemctl show -P MainPID fixwatchd)
has_file_output() {
	in_ct fixwatch status > "$W/status" 2>&1 &&
		grep -q '^  file (file /var/log/fixwatch/alerts.json): up' "$W/status"
}
wait_for "file output in fixwatch status after restart" has_file_output
nginx_line
wait_for "alert in /var/log/fixwatch/alerts.json" alerts_in /var/log/fixwatch/alerts.json 1
[ "$(mode_of /var/log/fixwatch/alerts.json)" = "640 _fixwatch adm" ] ||
	fail "alerts.json is $(mode_of /var/log/fixwatch/alerts.json), not 640 _fixwatch adm"
[ "$(mode_of /var/log/fixwatch)" = "750 _fixwatch adm" ] || fail "/var/log/fixwatch is $(mode_of /var/log/fixwatch)"

# logrotate: the snippet rotates the alert file and the daemon writes a new one.
in_ct logrotate -f /etc/logrotate.d/fixwatch > "$W/logrotate.log" 2>&1 ||
	fail "logrotate: $(cat "$W/logrotate.log")"
[ -f "$R/var/log/fixwatch/alerts.json.1" ] || fail "logrotate left no alerts.json.1: $(ls -l "$R/var/log/fixwatch")"
# (the alert file's descriptor names the new file once SIGUSR1 is handled)
reopened() {
	in_ct sh -c "ls -l /proc/$pid1/fd" > "$W/fds" 2>&1 &&
		grep -q ' -> /var/log/fixwatch/alerts\.json$' "$W/fds" &&
		! grep -q ' -> /var/log/fixwatch/alerts\.json\.1$' "$W/fds"
}
wait_for "reopened alerts.json after logrotate" reopened
nginx_line
wait_for "alert in the new alerts.json" alerts_in /var/log/fixwatch/alerts.json 1
alerts_in /var/log/fixwatch/alerts.json.1 1 || fail "the rotated file changed"
[ "$(mode_of /var/log/fixwatch/alerts.json)" = "640 _fixwatch adm" ] ||
	fail "the new alerts.json is $(mode_of /var/log/fixwatch/alerts.json)"

# stop: a checkpoint at the end of the log, resumed from on the next boot
# (the unit is enabled: it starts at boot), nothing read twice.
in_ct systemctl stop fixwatchd || fail "systemctl stop"
[ "$(in_ct systemctl is-active fixwatchd)" = inactive ] || fail "fixwatchd not inactive after stop"
in_ct journalctl -q -u fixwatchd -o cat | grep -q '^stopped (SIGTERM): ' || fail "no stop line in the journal"
grep -lq 'nginx%2Ferror.log' "$R"/var/lib/fixwatch/* 2>/dev/null || fail "no checkpoint in /var/lib/fixwatch after stop"
size=$(stat -c %s "$R/var/log/nginx/error.log")
stop_container || fail "the container did not power off within 60 s"
boot
wait_for "active fixwatchd after reboot" active
wait_for "resumed checkpoint" svc_log_has "error.log: resuming at offset $size "
[ "$(mode_of /run/fixwatch)" = "755 _fixwatch adm" ] || fail "/run/fixwatch after boot is $(mode_of /run/fixwatch)"
nginx_line
wait_for "alert after reboot" alerts_in /var/log/fixwatch/alerts.json 2
[ "$(in_ct fixwatch status --json | grep -c '"lines":1,')" -eq 1 ] || fail "not exactly one line read after reboot"

# The JIT drop-in, installed as README.md says: JIT on, no notice.
in_ct install -D -m 644 /usr/share/doc/fixwatch/jit.conf.example /etc/systemd/system/fixwatchd.service.d/jit.conf
in_ct systemctl daemon-reload
in_ct systemctl restart fixwatchd || fail "restart with jit.conf"
wait_for "active fixwatchd with jit.conf" active
wait_for "startup line with jit.conf" svc_log_has '^started '
! svc_log | grep -q 'JIT is not available' || fail "JIT notice with jit.conf: $(svc_log)"
svc_log | grep -q '^started .* JIT on' || fail "the startup line does not say JIT on: $(svc_log)"
jit_on() { in_ct fixwatch status > "$W/status" 2>&1 && grep -q '^fixwatchd .*, PCRE2 JIT on$' "$W/status"; }
wait_for "fixwatch status saying JIT on" jit_on
rm -r "$R/etc/systemd/system/fixwatchd.service.d"
in_ct systemctl daemon-reload

# remove: stopped, configuration and state kept; purge: they go (the
# _fixwatch user stays, debian/fixwatch.postrm).
echo '# changed by the operator' >> "$R/etc/fixwatch/fixwatch.conf"
in_ct apt-get remove -q -y fixwatch > "$W/apt.log" 2>&1 || { tail -20 "$W/apt.log" >&2; fail "apt-get remove"; }
in_ct systemctl is-active fixwatchd > /dev/null && fail "fixwatchd still active after remove"
in_ct sh -c 'cat /proc/[0-9]*/comm' 2>/dev/null | grep -qx fixwatchd && fail "a fixwatchd process after remove"
grep -q '^# changed by the operator' "$R/etc/fixwatch/fixwatch.conf" || fail "remove lost the configuration"
[ -d "$R/var/lib/fixwatch" ] || fail "remove took the state directory"
in_ct apt-get purge -q -y fixwatch > "$W/apt.log" 2>&1 || { tail -20 "$W/apt.log" >&2; fail "apt-get purge"; }
grep -q 'changed on disk' "$W/apt.log" && fail "purge left systemd with stale units: $(cat "$W/apt.log")"
for p in /etc/fixwatch /var/lib/fixwatch /var/log/fixwatch /etc/logrotate.d/fixwatch \
	/etc/systemd/system/multi-user.target.wants/fixwatchd.service; do
	[ ! -e "$R$p" ] && [ ! -L "$R$p" ] || fail "$p left after purge"
done
in_ct systemctl cat fixwatchd > /dev/null 2>&1 && fail "systemd still knows fixwatchd.service after purge"
in_ct getent passwd _fixwatch > /dev/null || fail "purge removed the _fixwatch user"

stop_container || fail "the container did not power off within 60 s"
echo "deb-boot: install, boot, alerts, reload, logrotate, checkpoint, JIT, remove, purge checked in $(($(date +%s) - t0)) s"
