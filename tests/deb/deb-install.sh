#!/bin/sh
# Installs the built package in a clean Debian 12 root, as an operator would
# (with systemd, as on any Debian host), then removes and purges it, and
# checks what each step leaves behind: the layout, the conffiles, the
# package's user and groups, the unit enabled, the programs running on the
# libraries the package depends on, configuration kept on remove, state and
# alerts gone on purge (Debian policy 6.5, 10.7.3).
#
# usage: tests/deb/deb-install.sh DEB debootstrap|ROOT.tar
#   debootstrap: make the root with `debootstrap --variant=minbase bookworm`
#   (about three minutes); ROOT.tar: a .tar of such a root made before.
#   Needs root, chroot and Debian's mirror (apt-get installs the package's
#   dependencies and systemd). deb-check.sh runs it when FW_DEB_ROOT is set.
set -eu

deb=${1:?usage: deb-install.sh DEB ROOT}
root_arg=${2:?usage: deb-install.sh DEB ROOT}
mirror=${FW_DEB_MIRROR:-http://deb.debian.org/debian}
fail() { echo "FAIL deb-install: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root (chroot)"

R=$(mktemp -d "${TMPDIR:-/tmp}/fw-root.XXXXXX")
trap 'rm -rf "$R"' EXIT
chmod 755 "$R"  # the root's /: mktemp makes it 0700, which only root could enter
t0=$(date +%s)
case $root_arg in
debootstrap)
	debootstrap --variant=minbase bookworm "$R" "$mirror" > "$R.log" 2>&1 ||
		{ tail -20 "$R.log" >&2; rm -f "$R.log"; fail "debootstrap failed"; }
	rm -f "$R.log" ;;
*.tar)	tar -C "$R" -xf "$root_arg" ;;
*)	fail "ROOT is debootstrap or a .tar, not '$root_arg'" ;;
esac
cp /etc/resolv.conf "$R/etc/resolv.conf"
# No daemon starts inside the root (Debian's invoke-rc.d convention).
printf '#!/bin/sh\nexit 101\n' > "$R/usr/sbin/policy-rc.d"
chmod 755 "$R/usr/sbin/policy-rc.d"
cp "$deb" "$R/tmp/"
in_root() { chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"; }
apt() { in_root apt-get -q -y -o Dpkg::Use-Pty=0 --no-install-recommends "$@" > "$R/tmp/apt.log" 2>&1 ||
	{ tail -30 "$R/tmp/apt.log" >&2; fail "apt-get $*"; }; }

apt update
apt install systemd
apt install "/tmp/$(basename "$deb")"
echo "installed $(in_root dpkg-query -W -f='${Package} ${Version}' fixwatch) in $(($(date +%s) - t0)) s"

# Layout, and the programs run on the installed libraries.
for p in /usr/sbin/fixwatchd /usr/bin/fixwatch /etc/fixwatch/fixwatch.conf \
	/lib/systemd/system/fixwatchd.service /lib/systemd/system/fixwatchd.service.d/debian.conf \
	/usr/share/fixwatch/kb /usr/share/man/man5/fixwatch-kb.5.gz /etc/logrotate.d/fixwatch \
	/usr/lib/tmpfiles.d/fixwatch.conf; do
	[ -e "$R$p" ] || fail "$p missing after install"
done
[ -d "$R/var/lib/fixwatch" ] || fail "/var/lib/fixwatch missing after install"
in_root fixwatchd -t > "$R/tmp/t.out" 2>&1 || { cat "$R/tmp/t.out" >&2; fail "fixwatchd -t on the shipped configuration"; }
grep -q 'configuration OK' "$R/tmp/t.out" || fail "fixwatchd -t: $(cat "$R/tmp/t.out")"
in_root fixwatch check --quiet > "$R/tmp/check.out" 2>&1 || { cat "$R/tmp/check.out" >&2; fail "fixwatch check"; }
echo "$(head -1 "$R/tmp/check.out") (fixwatch check on the installed KB)"

# Conffiles, the user and its groups, the unit enabled, /run/fixwatch.
conffiles=$(in_root dpkg-query -W -f='${Conffiles}\n' fixwatch)
for c in /etc/fixwatch/fixwatch.conf /etc/logrotate.d/fixwatch; do
	echo "$conffiles" | grep -q "^ $c " || fail "$c is not a conffile"
done
in_root getent passwd _fixwatch > /dev/null || fail "no user _fixwatch"
groups=" $(in_root id -nG _fixwatch) "
for g in adm systemd-journal; do
	case $groups in *" $g "*) ;; *) fail "_fixwatch is not in $g ($groups)" ;; esac
done
[ "$(in_root systemctl is-enabled fixwatchd.service 2>&1)" = enabled ] ||
	fail "fixwatchd.service is not enabled: $(in_root systemctl is-enabled fixwatchd.service 2>&1)"
# /run/fixwatch as the boot makes it (postinst applies the entry only where
# systemd runs, which it does not in this root; the root has no /proc, so the
# host's systemd-tmpfiles applies it, with the root's users).
systemd-tmpfiles --root="$R" --create fixwatch.conf || fail "systemd-tmpfiles rejects fixwatch.conf"
# (Owners are named inside the root: its uids are not the host's.)
[ "$(in_root stat -c '%a %U %G' /run/fixwatch)" = "755 _fixwatch adm" ] ||
	fail "/run/fixwatch is $(in_root stat -c '%a %U %G' /run/fixwatch), not 755 _fixwatch adm"

# The daemon as the unit runs it (its user, group adm, UMask=0027) writes
# alerts that adm can read.
mkdir -p "$R/srv/log"
echo '2026/11/23 08:32:10 [error] 2231#2231: *48600 no live upstreams while connecting to upstream, client: 192.0.2.7, server: example.org, request: "GET / HTTP/1.1", upstream: "http://backend/", host: "example.org"' \
	> "$R/srv/log/error.log"
chmod 644 "$R/srv/log/error.log"
cat > "$R/srv/oneshot.conf" <<EOF
[daemon]
state_dir = /var/lib/fixwatch/oneshot
control_socket =
[input.nginx]
type = file
path = /srv/log/error.log
start_at = beginning
[output.file]
type = file
address = /var/log/fixwatch/alerts.json
EOF
in_root install -d -o _fixwatch -g adm -m 0750 /var/log/fixwatch
in_root install -d -o _fixwatch -g adm -m 0750 /var/lib/fixwatch/oneshot
in_root setpriv --reuid=_fixwatch --regid=adm --init-groups sh -c \
	'umask 0027; exec fixwatchd --oneshot -c /srv/oneshot.conf' > "$R/tmp/oneshot.out" 2>&1 ||
	{ cat "$R/tmp/oneshot.out" >&2; fail "fixwatchd --oneshot as _fixwatch"; }
grep -q '"id":"nginx/no-live-upstreams"' "$R/var/log/fixwatch/alerts.json" ||
	fail "no alert for the nginx line: $(cat "$R/tmp/oneshot.out")"
[ "$(in_root stat -c '%a %U %G' /var/log/fixwatch/alerts.json)" = "640 _fixwatch adm" ] ||
	fail "alerts.json is $(in_root stat -c '%a %U %G' /var/log/fixwatch/alerts.json), not 640 _fixwatch adm"

# Remove: the programs go, the (changed) configuration and the state stay.
echo '# changed by the operator' >> "$R/etc/fixwatch/fixwatch.conf"
apt remove fixwatch
[ ! -e "$R/usr/sbin/fixwatchd" ] || fail "fixwatchd left after remove"
grep -q '^# changed by the operator' "$R/etc/fixwatch/fixwatch.conf" || fail "remove lost the configuration"
[ -d "$R/var/lib/fixwatch" ] || fail "remove took the state directory"
[ "$(in_root dpkg-query -W -f='${db:Status-Abbrev}' fixwatch)" = "rc " ] || fail "not in state rc after remove"

# Purge: configuration, state, alerts and the unit's enablement go.
apt purge fixwatch
for p in /etc/fixwatch /var/lib/fixwatch /var/log/fixwatch /etc/logrotate.d/fixwatch \
	/etc/systemd/system/multi-user.target.wants/fixwatchd.service; do
	[ ! -e "$R$p" ] && [ ! -L "$R$p" ] || fail "$p left after purge"
done
! in_root dpkg-query -W fixwatch > /dev/null 2>&1 || fail "dpkg still knows fixwatch after purge"
echo "deb-install: install, run, remove and purge checked in $(($(date +%s) - t0)) s"
