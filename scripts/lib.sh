# shellcheck shell=bash
# Common settings for the harness scripts: paths, the base version, messages.
# Sourced, never run.
set -euo pipefail

say()  { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TREE=${TREE:-$BUILD/linux}   # git tree: tag base + one commit per patch
# ARCH [x86_64]: the guests' architecture, x86_64 (x86 taken for it) or
# arm64: qemu-system-aarch64 -M virt and Debian's cross gcc (docs/arm64.md).
# What is built for a guest (ABUILD: objects, modules, initramfs, logs) goes
# under build/ for x86_64 and build/arm64/ for arm64; build/linux is shared.
case ${ARCH:=x86_64} in
x86|x86_64) ARCH=x86_64 ABUILD=$BUILD CROSS_PREFIX='' QEMU=qemu-system-x86_64 KIMAGE=arch/x86/boot/bzImage ;;
arm64) ABUILD=$BUILD/arm64 CROSS_PREFIX=aarch64-linux-gnu- QEMU=qemu-system-aarch64 KIMAGE=arch/arm64/boot/Image ;;
*) die "ARCH=$ARCH: the harness builds and boots x86_64 or arm64 guests" ;;
esac
OBJ=${OBJ:-$ABUILD/obj}      # kernel object directory (O=)
LOGS=$ABUILD/logs
SHARED=${SHARED:-$TOP/../shared}
BASE_VERSION=7.2.13
BASE_DEB_VERSION=7.2.13-1
JOBS=${JOBS:-$(( $(nproc) + 1 ))}

# host_arch: this machine's architecture as ARCH names it (aarch64: arm64).
host_arch() { case $(uname -m) in aarch64) echo arm64 ;; *) uname -m ;; esac; }

# rotated K WORD...: the words rotated left by K (mod their count), one a
# line: the order of the modes in round K, so that over as many rounds as
# there are modes each mode comes first once (drift and a slow first boot
# then hit every mode alike).
rotated() {
	local k=$1; shift
	local n=$# i
	local words=("$@")
	for ((i = 0; i < n; i++)); do echo "${words[(i + k) % n]}"; done
}

# layout_runs: the boots of a whole-system comparison (compare-layout.py,
# compare-count.py), one a line as MODE-N: twelve off (the noise floor) and
# six nt, interleaved (off nt off, six times) so that whatever drifts on the
# host during a group falls on both modes alike. With every off boot first,
# all four nt boots of one CI run scored outside the off band while no off
# boot did. Under one distribution the rank test fails by chance with
# probability 1/C(18,6) = 1/18564.
layout_runs() {
	local i
	for ((i = 1; i <= 6; i++)); do
		echo "off-$((2 * i - 1))"; echo "nt-$i"; echo "off-$((2 * i))"
	done
}

# kmake ARGS...: make in build/linux for the guest kernel in OBJ, for ARCH.
kmake() { make -s -C "$TREE" O="$OBJ" ARCH="$ARCH" ${CROSS_PREFIX:+CROSS_COMPILE=$CROSS_PREFIX} "$@"; }

# progress LABEL COUNT CMD...: run CMD (a program, not a shell function:
# set -e does not reach into one run this way) and, every PROGRESS_SECS [30]
# seconds until it ends, say "LABEL: $(COUNT) after N s" (COUNT: a function
# printing how far it got). CMD's output and exit status are left alone; the
# ticker goes when CMD ends, when set -e ends the script (EXIT trap), and
# by itself if this shell is gone.
progress() {
	local label=$1 count=$2 tick rc=0 saved=()
	shift 2
	eval "saved=($(trap -p EXIT))"	# the caller's EXIT trap: (trap -- CMD EXIT) or ()
	( start=$SECONDS
	  while sleep "${PROGRESS_SECS:-30}" >/dev/null 2>&1 && kill -0 $$ 2>/dev/null; do
		say "$label: $("$count") after $((SECONDS - start)) s"
	  done ) &
	tick=$!
	# shellcheck disable=SC2064 # the ticker's pid and the caller's trap, now
	trap "kill $tick 2>/dev/null; ${saved[2]:-}" EXIT
	"$@" || rc=$?
	kill "$tick" 2>/dev/null || true
	wait "$tick" 2>/dev/null || true
	if [ ${#saved[@]} = 0 ]; then trap - EXIT; else trap -- "${saved[2]}" EXIT; fi
	return "$rc"
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

# The machine's Debian mirror, from one-line or deb822 sources.
debian_mirror() {
	{ grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
		awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }'
	  grep -hsi '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{ print $2 }'
	} | grep -v -- '-security' | head -n 1 || true
}

# apt_sid KIND [ARCH]: apt-get options for a private configuration under
# build/apt-KIND[-ARCH] (KIND deb or deb-src; ARCH a Debian architecture
# other than the host's, e.g. arm64) with Debian sid from the machine's
# mirror, its lists updated; the system's apt is untouched. apt checks what
# it fetches against the archive's signed lists.
apt_sid() {
	local apt=$BUILD/apt-$1${2:+-$2} mirror keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	mirror=$(debian_mirror)
	[ -n "$mirror" ] && [ -r "$keyring" ] || return 1
	mkdir -p "$apt"/lists/partial "$apt"/cache/archives/partial
	echo "$1 [signed-by=$keyring] $mirror sid main" > "$apt/sources.list"
	APT_OPTS=(-o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
		  -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache"
		  -o Dir::State::status=/dev/null -o APT::Get::List-Cleanup=0)
	[ -z "${2:-}" ] || APT_OPTS+=(-o APT::Architecture="$2" -o APT::Architectures="$2")
	apt-get -q "${APT_OPTS[@]}" update >&2
}

# apt_unpack ARCH DIR PKG...: the current sid .debs of PKG... for Debian
# architecture ARCH, unpacked into DIR (static binaries for a guest of
# another architecture: busybox-static, bash-static).
apt_unpack() {
	local arch=$1 dir=$2 deb; shift 2
	say "fetching $* for $arch with apt-get download (sid, private config)"
	apt_sid deb "$arch" || return 1
	mkdir -p "$BUILD/apt-deb-$arch/files" "$dir"
	(cd "$BUILD/apt-deb-$arch/files" && rm -f ./*.deb && apt-get -q "${APT_OPTS[@]}" -o APT::Sandbox::User=root download "$@" >&2) || return 1
	for deb in "$BUILD/apt-deb-$arch/files"/*.deb; do dpkg-deb -x "$deb" "$dir"; done
}

# apt_download PKG VERSION ARCH: fetch PKG=VERSION's .deb from Debian sid
# into build/apt-deb/files; print its path.
apt_download() {
	local pkg=$1 ver=$2 arch=$3 dir=$BUILD/apt-deb/files
	say "fetching $pkg=$ver with apt-get download (sid, private config)"
	apt_sid deb || return 1
	mkdir -p "$dir"
	(cd "$dir" && apt-get -q "${APT_OPTS[@]}" download "$pkg=$ver" >&2) || return 1
	ls "$dir/${pkg}_${ver}_$arch.deb"
}

# apt_source PKG VERSION DIR: fetch and unpack PKG=VERSION's source from
# Debian sid into DIR (dpkg-source checks it against its .dsc).
apt_source() {
	say "fetching the source of $1=$2 with apt-get source (sid, private config)"
	apt_sid deb-src || return 1
	mkdir -p "$3"
	(cd "$3" && apt-get -q "${APT_OPTS[@]}" source "$1=$2" >&2)
}

# unstuck FRAGMENT CONFIG: the lines of the Kconfig fragment that CONFIG does
# not honour, one a line with what CONFIG has instead. "# CONFIG_X is not
# set" holds when X is not set to anything (kconfig writes nothing for an
# option it hides).
unstuck() {
	grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set)' "$1" |
	while read -r line; do
		case $line in
		"# "*) sym=${line#\# }; sym=${sym%% *}
		       if grep -q "^$sym=" "$2"; then echo "$line (got $(grep "^$sym=" "$2"))"; fi ;;
		*)     grep -qxF "$line" "$2" ||
		       echo "$line (got $(grep -E "^(# )?${line%%=*}[= ]" "$2" || echo 'not offered'))" ;;
		esac
	done
}

# Patches listed in series, in order (comments and blank lines skipped).
series_patches() {
	[ -f "$TOP/series" ] || die "no series file at $TOP/series"
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$TOP/series" | awk 'NF { print $1 }'
}

# qemu_failure RC SECONDS TIMEOUT: why QEMU, run by boot.sh under
# 'timeout -k 10 TIMEOUT', ended with status RC after SECONDS; empty for 0.
# timeout(1) returns 124 when it stopped QEMU, 137 when it had to SIGKILL it
# after -k: both at TIMEOUT or later. Any other 128+N is signal N from
# elsewhere: for SIGKILL most likely the host's OOM killer.
qemu_failure() {
	local rc=$1 secs=$2 limit=$3 sig
	if [ "$rc" = 0 ]; then return 0; fi
	if [ "$rc" = 124 ]; then echo "hung: no poweroff within ${limit}s"
	elif [ "$rc" = 137 ] && [ "$secs" -ge "$limit" ]; then echo "hung: no poweroff within ${limit}s (SIGKILL after -k 10)"
	elif [ "$rc" -gt 128 ]; then
		sig=SIG$(kill -l $((rc - 128)) 2>/dev/null || echo "$((rc - 128))")
		echo "qemu killed by $sig after $secs s, before the $limit s timeout$([ "$sig" != SIGKILL ] ||
			echo ": the host's OOM killer? (dmesg | grep -i -e oom -e killed)")"
	elif [ "$rc" -ge 125 ]; then echo "$QEMU did not run ($rc: not found or not executable; make setup)"
	else echo "qemu exited $rc"
	fi
}
