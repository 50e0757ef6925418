#!/usr/bin/env bash
# Build the guest kernel (bzImage + modules) in build/obj with ccache, and
# install the modules into build/modules for the initramfs.
. "$(dirname "$0")/lib.sh"

"$TOP"/scripts/kconfig.sh
export KBUILD_BUILD_TIMESTAMP="2026-01-01" KBUILD_BUILD_USER=mmt KBUILD_BUILD_HOST=guest
cc=gcc
if command -v ccache >/dev/null; then
	cc="ccache gcc"
	export CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=time_macros
	ccache -z >/dev/null
fi
say "building the kernel in build/obj (-j$JOBS, CC=$cc)"
start=$(date +%s)
# make -s prints nothing for minutes: count the objects written since start.
touch "$OBJ/.build-start"
built() { echo "$(find "$OBJ" -name '*.o' -newer "$OBJ/.build-start" 2>/dev/null | wc -l) objects (re)built"; }
progress "kernel build" built make -s -C "$TREE" O="$OBJ" ARCH=x86_64 CC="$cc" -j"$JOBS" ${W:+W=$W} bzImage modules
rm -rf "$BUILD/modules"
make -s -C "$TREE" O="$OBJ" ARCH=x86_64 INSTALL_MOD_PATH="$BUILD/modules" INSTALL_MOD_STRIP=1 modules_install >/dev/null
say "kernel built in $(( $(date +%s) - start )) s: $(make -s -C "$TREE" O="$OBJ" kernelrelease)"
if command -v ccache >/dev/null; then ccache -s | grep -E 'Hits|Misses' | tr -s ' ' >&2 || true; fi
