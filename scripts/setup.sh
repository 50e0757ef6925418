#!/usr/bin/env bash
# Install the Debian packages the harness needs (only those missing), and
# any named as arguments (make check-full's sparse and cross compilers).
. "$(dirname "$0")/lib.sh"

# libmailtools-perl: git send-email's Mail::Address (git-email only recommends it).
pkgs=(build-essential bc bison flex libelf-dev libssl-dev dwarves cpio kmod rsync
      ccache qemu-system-x86 busybox-static bash-static ndctl daxctl linux-perf python3 python3-ply python3-git gnuplot-nox git xz-utils
      b4 git-email libmailtools-perl openssl "$@")
# ARCH=arm64 guests: the cross compiler and C library (static helpers), QEMU
# and the UEFI firmware the hotplug guest boots through (docs/arm64.md)
[ "$ARCH" != arm64 ] || pkgs+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm qemu-efi-aarch64)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
[ "$(id -u)" = 0 ] || die "missing packages: ${missing[*]} (run 'make setup' as root, or install them)"
say "installing ${missing[*]}"
apt-get update -q >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
