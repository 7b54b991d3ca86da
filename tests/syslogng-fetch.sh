#!/bin/sh
# syslogng-fetch.sh DIR: unpacks Debian's syslog-ng-core into DIR, a private
# root, without installing the package. Debian's syslog-ng-core and rsyslog
# conflict (both provide system-log-daemon) and the suite needs rsyslog, so
# the syslog-ng scenario runs $DIR/usr/sbin/syslog-ng with its libraries
# from $DIR; only syslog-ng's shared-library dependencies, which conflict
# with nothing, are installed with apt (this needs root when one is missing).
# Running it again on a ready DIR does nothing. Exits non-zero with a message
# saying which step failed.
set -eu

die() { echo "syslogng-fetch: $*" >&2; exit 1; }

[ $# -eq 1 ] && [ -n "$1" ] || die "usage: $0 DIR"
case $1 in /*) DIR=$1 ;; *) DIR=$(pwd)/$1 ;; esac

# works ROOT: the unpacked syslog-ng starts and prints its version.
works() {
	[ -x "$1/usr/sbin/syslog-ng" ] &&
		LD_LIBRARY_PATH="$1/usr/lib/syslog-ng" "$1/usr/sbin/syslog-ng" -V >/dev/null 2>&1
}

if works "$DIR"; then
	echo "syslogng-fetch: $DIR is ready"
	exit 0
fi
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
	die "apt-get and dpkg-deb are needed (a Debian system)"

ROOT_USER=no
[ "$(id -u)" = 0 ] && ROOT_USER=yes
export DEBIAN_FRONTEND=noninteractive

# Without package lists (a fresh container) apt knows no candidate.
if ! apt-cache show syslog-ng-core >/dev/null 2>&1; then
	[ $ROOT_USER = yes ] || die "apt does not know syslog-ng-core; run apt-get update as root"
	apt-get update -qq || die "apt-get update failed"
	apt-cache show syslog-ng-core >/dev/null 2>&1 || die "no syslog-ng-core package in the apt sources"
fi

# The library dependencies: every "Depends: lib..." of syslog-ng-core (the
# first alternative of each), those not installed yet.
missing=
for p in $(apt-cache depends syslog-ng-core | sed -n 's/^  Depends: \(lib[^ <>]*\)$/\1/p' | sort -u); do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	[ $ROOT_USER = yes ] || die "missing libraries:$missing (apt-get install them as root)"
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
		die "apt-get install$missing failed"
fi

# Download and unpack next to DIR, then move into place in one step, so an
# interrupted run never leaves a half-unpacked DIR behind.
mkdir -p "$(dirname "$DIR")" || die "cannot create the parent of $DIR"
TMP=$(mktemp -d "$(dirname "$DIR")/.syslogng-fetch.XXXXXX") || die "cannot create a temporary directory"
trap 'rm -rf "$TMP"' EXIT
chmod 755 "$TMP"    # apt's download sandbox user must be able to write here
(cd "$TMP" && apt-get download syslog-ng-core >/dev/null 2>"$TMP/apt.err") || {
	cat "$TMP/apt.err" >&2; die "apt-get download syslog-ng-core failed"; }
deb=$(ls "$TMP"/syslog-ng-core_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || die "apt-get download left no syslog-ng-core .deb"
dpkg-deb -x "$deb" "$TMP/root" || die "dpkg-deb -x $deb failed"
works "$TMP/root" || {
	LD_LIBRARY_PATH="$TMP/root/usr/lib/syslog-ng" "$TMP/root/usr/sbin/syslog-ng" -V >&2 || true
	die "the unpacked syslog-ng does not start (a library missing?)"; }
rm -rf "$DIR"
mv "$TMP/root" "$DIR" || die "cannot move the unpacked root to $DIR"
echo "syslogng-fetch: $(LD_LIBRARY_PATH="$DIR/usr/lib/syslog-ng" "$DIR/usr/sbin/syslog-ng" -V | head -n 1) unpacked into $DIR"
