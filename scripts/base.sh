#!/usr/bin/env bash
# Provide the Linux 7.2.13 source as an unpacked tree in $1 (a new directory).
# Order: KSRC= (a tree the user has), ../shared/base/*.deb checked against
# SHA256SUMS, Debian's linux-source-7.2 fetched with apt-get download through a
# private apt configuration under build/apt-deb. Anything else is an error.
. "$(dirname "$0")/lib.sh"

dest=${1:?usage: base.sh DESTDIR}
[ -e "$dest" ] && die "$dest exists already"

check_version() {	# $1: a kernel source tree
	local v
	v=$(awk -F' *= *' '/^VERSION/{a=$2} /^PATCHLEVEL/{b=$2} /^SUBLEVEL/{c=$2} END{print a"."b"."c}' "$1/Makefile")
	[ "$v" = "$BASE_VERSION" ] || die "$1 is Linux $v, the series is against $BASE_VERSION"
}

unpack_deb() {		# $1: linux-source-7.2 .deb
	local tmp
	tmp=$(mktemp -d "$BUILD/deb.XXXXXX")
	say "unpacking $(basename "$1")"
	dpkg-deb -x "$1" "$tmp"
	mkdir -p "$dest"
	unpacked() { echo "$(du -sm "$dest" 2>/dev/null | cut -f1) MiB in $dest"; }
	progress "unpacking" unpacked tar -xf "$tmp"/usr/src/linux-source-7.2.tar.xz -C "$dest" --strip-components=1
	rm -rf "$tmp"
}

mkdir -p "$BUILD"
if [ -n "${KSRC:-}" ]; then
	[ -f "$KSRC/Makefile" ] || die "KSRC=$KSRC is not a kernel tree"
	check_version "$KSRC"
	say "copying KSRC=$KSRC"
	mkdir -p "$dest"
	tar -C "$KSRC" --exclude=.git -cf - . | tar -C "$dest" -xf -
elif deb=$(ls "$SHARED"/base/linux-source-7.2_*_all.deb 2>/dev/null | head -n 1) && [ -n "$deb" ]; then
	check_deb "$deb"
	unpack_deb "$deb"
elif deb=$(apt_download linux-source-7.2 "$BASE_DEB_VERSION" all); then
	unpack_deb "$deb"
else
	die "no Linux $BASE_VERSION source: set KSRC=/path/to/linux-$BASE_VERSION, or put
  linux-source-7.2_${BASE_DEB_VERSION}_all.deb with its SHA256SUMS in $SHARED/base/, or
  give this machine a Debian apt mirror (apt-get download linux-source-7.2=$BASE_DEB_VERSION failed)"
fi
check_version "$dest"
