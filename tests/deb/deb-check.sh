#!/bin/sh
# Builds the Debian package from a release tree and checks what it installs:
# `make deb-check` runs it (not part of `make check`: the build takes about
# three minutes). Needs dpkg-dev, debhelper and the Build-Depends of
# debian/control; lintian when installed (errors fail, warnings are shown).
# With FW_DEB_ROOT set (debootstrap, or a .tar of a minbase bookworm root)
# deb-install.sh then installs, removes and purges it in a clean root; with
# FW_DEB_BOOT=1 deb-boot.sh installs it in a Debian 12 booted by systemd.
#
# usage: tests/deb/deb-check.sh DISTDIR   (a tree made by `make distdir`)
set -eu

src=${1:?usage: deb-check.sh DISTDIR}
W=$(mktemp -d "${TMPDIR:-/tmp}/fw-deb.XXXXXX")
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL deb-check: $*" >&2; exit 1; }

# One maintainer, the project's team address (debian/README.source).
m_control=$(sed -n 's/^Maintainer: //p' "$src/debian/control")
m_changelog=$(cd "$src" && dpkg-parsechangelog -S Maintainer)
[ -n "$m_control" ] && [ "$m_control" = "$m_changelog" ] ||
	fail "debian/control's Maintainer '$m_control' is not the changelog's '$m_changelog'"
case $m_control in
"fixwatch developers <"*"@"*">") ;;
*) fail "Maintainer '$m_control' is not the team's address (debian/README.source)" ;;
esac

cp -a "$src" "$W/src"
(cd "$W/src" && dpkg-buildpackage -us -uc -b) > "$W/build.log" 2>&1 ||
	{ tail -40 "$W/build.log" >&2; fail "dpkg-buildpackage failed"; }
deb=$(ls "$W"/fixwatch_*_*.deb)
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' > "$W/files"
dpkg-deb -I "$deb" > "$W/info"

# has PATH...: each path is in the package.
has() {
	for p in "$@"; do
		grep -qx -- "$p" "$W/files" || fail "$p is not in the package"
	done
}
has /usr/sbin/fixwatchd /usr/bin/fixwatch \
	/etc/fixwatch/fixwatch.conf /etc/logrotate.d/fixwatch \
	/lib/systemd/system/fixwatchd.service \
	/lib/systemd/system/fixwatchd.service.d/debian.conf \
	/usr/lib/tmpfiles.d/fixwatch.conf /var/lib/fixwatch/ \
	/usr/share/man/man1/fixwatch.1.gz /usr/share/man/man8/fixwatchd.8.gz \
	/usr/share/man/man5/fixwatch.conf.5.gz /usr/share/man/man5/fixwatch-kb.5.gz \
	/usr/share/bash-completion/completions/fixwatch /usr/share/doc/fixwatch/copyright \
	/usr/share/fixwatch/kb/
! grep -q '^/usr/local' "$W/files" || fail "files under /usr/local"
# every KB file of the tree is installed
n_kb=$(cd "$src/data/kb" && find . -name '*.json' -o -name '*.jsonl' | wc -l)
n_pkg=$(grep -c '^/usr/share/fixwatch/kb/.*\.jsonl*$' "$W/files" || true)
[ "$n_kb" -gt 0 ] && [ "$n_pkg" -eq "$n_kb" ] || fail "$n_pkg KB files packaged, $n_kb in the tree"

# conffiles, and the maintainer scripts: the user, the unit enabled and started.
mkdir "$W/ctl"
dpkg-deb -e "$deb" "$W/ctl"
grep -qx /etc/fixwatch/fixwatch.conf "$W/ctl/conffiles" || fail "fixwatch.conf is not a conffile"
grep -qx /etc/logrotate.d/fixwatch "$W/ctl/conffiles" || fail "the logrotate snippet is not a conffile"
grep -A1 'adduser --system' "$W/ctl/postinst" | grep -q '_fixwatch$' ||
	fail "postinst makes no _fixwatch user"
grep -q 'adduser --quiet _fixwatch "\$g"' "$W/ctl/postinst" || fail "postinst puts _fixwatch in no group"
grep -qF "deb-systemd-helper enable 'fixwatchd.service'" "$W/ctl/postinst" || fail "the unit is not enabled on install"
grep -q 'systemd-tmpfiles .*--create fixwatch.conf' "$W/ctl/postinst" || fail "postinst does not apply the tmpfiles entry"
grep -q 'rm -rf /var/lib/fixwatch' "$W/ctl/postrm" || fail "purge leaves the state directory"
# fixwatchd opens libssl and libsystemd with dlopen (no shlibs entry): debian/control names them.
grep -q '^ Depends: .*libssl3' "$W/info" || fail "no dependency on libssl3"
grep -q '^ Depends: .*libsystemd0' "$W/info" || fail "no dependency on libsystemd0"
dpkg-deb --fsys-tarfile "$deb" |
	tar -xOf - ./lib/systemd/system/fixwatchd.service.d/debian.conf > "$W/dropin"
grep -qx 'User=_fixwatch' "$W/dropin" || fail "the unit does not run as _fixwatch"
grep -qx 'UMask=0027' "$W/dropin" || fail "files written by the unit are not readable by adm"

if command -v lintian >/dev/null 2>&1; then
	# exit status 1: errors (the default --fail-on); 2: lintian itself failed
	rc=0
	lintian "$W"/fixwatch_*.changes > "$W/lintian" 2>&1 || rc=$?
	cat "$W/lintian"
	[ "$rc" -eq 0 ] && ! grep -q '^E:' "$W/lintian" || fail "lintian: errors (exit status $rc)"
	echo "lintian: $(grep -c '^W:' "$W/lintian" || true) warnings, no errors"
else
	echo "lintian not installed: not run"
fi
echo "deb-check: $(basename "$deb"), $(wc -l < "$W/files") paths, $n_pkg KB files"

# Installed for real in a clean Debian 12 root, when there is one to make.
if [ -n "${FW_DEB_ROOT:-}" ]; then
	sh "$(dirname "$0")/deb-install.sh" "$deb" "$FW_DEB_ROOT"
else
	echo "deb-check: not installed (FW_DEB_ROOT=debootstrap, as root, installs it in a clean root)"
fi

# Installed in a Debian 12 booted by systemd (`make deb-boot-check`).
# A skip (77: no root, or no containers here) has printed its reason.
if [ "${FW_DEB_BOOT:-0}" = 1 ]; then
	rc=0
	sh "$(dirname "$0")/deb-boot.sh" "$deb" || rc=$?
	case $rc in
	0) ;;
	77) echo "deb-check: the boot check was skipped (the reason is above)" ;;
	*) exit "$rc" ;;
	esac
fi
