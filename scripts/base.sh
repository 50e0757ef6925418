#!/usr/bin/env bash
# Provide the Linux 7.2.13 source as an unpacked tree in $1 (a new directory).
# Order: KSRC= (a tree the user has), ../shared/base/*.deb checked against
# SHA256SUMS, Debian's linux-source-7.2 fetched with apt-get download through a
# private apt configuration under build/apt. Anything else is an error.
. "$(dirname "$0")/lib.sh"

dest=${1:?usage: base.sh DESTDIR}
[ -e "$dest" ] && die "$dest exists already"

check_version() {	# $1: a kernel source tree
	local v
	v=$(awk -F' *= *' '/^VERSION/{a=$2} /^PATCHLEVEL/{b=$2} /^SUBLEVEL/{c=$2} END{print a"."b"."c}' "$1/Makefile")
	[ "$v" = "$BASE_VERSION" ] || die "$1 is Linux $v, the series is against $BASE_VERSION"
}

# check_deb DEB: DEB is listed in the SHA256SUMS beside it and matches it
# (sha256sum -c alone checks only the files listed: an unlisted .deb passed).
check_deb() {
	local sums want got
	sums=$(dirname "$1")/SHA256SUMS
	say "checking $1 against SHA256SUMS"
	[ -f "$sums" ] || die "no SHA256SUMS beside $1: cannot check it"
	want=$(awk -v f="$(basename "$1")" '$2 == f || $2 == "*" f { print $1; exit }' "$sums")
	[ -n "$want" ] || die "$sums does not list $(basename "$1")"
	got=$(sha256sum < "$1" | cut -c1-64)
	[ "$got" = "$want" ] || die "$1 does not match $sums (sha256 $got, listed $want)"
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

# The machine's Debian mirror, from one-line or deb822 sources.
debian_mirror() {
	{ grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
		awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }'
	  grep -hsi '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{ print $2 }'
	} | grep -v -- '-security' | head -n 1
}

apt_download() {
	local apt=$BUILD/apt mirror keyring opts
	mirror=$(debian_mirror)
	[ -n "$mirror" ] || return 1
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	[ -r "$keyring" ] || return 1
	mkdir -p "$apt"/lists/partial "$apt"/cache/archives/partial "$apt"/deb
	echo "deb [signed-by=$keyring] $mirror sid main" > "$apt/sources.list"
	opts=(-o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
	      -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache"
	      -o Dir::State::status=/dev/null -o APT::Get::List-Cleanup=0)
	say "fetching linux-source-7.2=$BASE_DEB_VERSION with apt-get download (sid, private config)"
	apt-get -q "${opts[@]}" update >&2 || return 1
	(cd "$apt/deb" && apt-get -q "${opts[@]}" download "linux-source-7.2=$BASE_DEB_VERSION" >&2) || return 1
	ls "$apt"/deb/linux-source-7.2_*_all.deb
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
elif deb=$(apt_download); then
	unpack_deb "$deb"
else
	die "no Linux $BASE_VERSION source: set KSRC=/path/to/linux-$BASE_VERSION, or put
  linux-source-7.2_${BASE_DEB_VERSION}_all.deb with its SHA256SUMS in $SHARED/base/, or
  give this machine a Debian apt mirror (apt-get download linux-source-7.2=$BASE_DEB_VERSION failed)"
fi
check_version "$dest"
