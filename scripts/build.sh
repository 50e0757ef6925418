#!/usr/bin/env bash
# Build the guest kernel (bzImage or, ARCH=arm64, Image + modules) in OBJ
# with ccache, and install the modules into build/modules (build/arm64/modules)
# for the initramfs.
. "$(dirname "$0")/lib.sh"

"$TOP"/scripts/kconfig.sh
export KBUILD_BUILD_TIMESTAMP="2026-01-01" KBUILD_BUILD_USER=mmt KBUILD_BUILD_HOST=guest
cc=${CROSS_PREFIX}gcc
if command -v ccache >/dev/null; then
	cc="ccache $cc"
	export CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=time_macros
	ccache -z >/dev/null
fi
say "building the $ARCH kernel in ${OBJ#$TOP/} (-j$JOBS, CC=$cc)"
start=$(date +%s)
# make -s prints nothing for minutes: count the objects written since start.
touch "$OBJ/.build-start"
built() { echo "$(find "$OBJ" -name '*.o' -newer "$OBJ/.build-start" 2>/dev/null | wc -l) objects (re)built"; }
progress "kernel build" built make -s -C "$TREE" O="$OBJ" ARCH="$ARCH" ${CROSS_PREFIX:+CROSS_COMPILE=$CROSS_PREFIX} CC="$cc" \
	-j"$JOBS" ${W:+W=$W} "$(basename "$KIMAGE")" modules
rm -rf "$ABUILD/modules"
kmake INSTALL_MOD_PATH="$ABUILD/modules" INSTALL_MOD_STRIP=1 modules_install >/dev/null
say "kernel built in $(( $(date +%s) - start )) s: $(kmake kernelrelease)"
if command -v ccache >/dev/null; then ccache -s | grep -E 'Hits|Misses' | tr -s ' ' >&2 || true; fi
