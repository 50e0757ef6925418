#!/usr/bin/env bash
# build/initramfs.cpio: busybox-static, ndctl, daxctl, perf, the kselftests we
# run, our static helpers, the kernel's modules and the guest scripts
# (scripts/guest/, bench-deferred/guest/). Shared libraries are copied for
# every dynamic binary. ARCH=arm64: build/arm64/initramfs.cpio, with
# Debian's arm64 busybox-static and bash-static, the helpers and hmm-tests
# cross-compiled static, and no ndctl, daxctl or perf (the guests that use
# them, pmem and the benchmarks, are x86_64's; docs/arm64.md).
. "$(dirname "$0")/lib.sh"

root=$ABUILD/initramfs
rel=$(kmake kernelrelease)
[ -d "$ABUILD/modules/lib/modules/$rel" ] || die "no modules for $rel: run 'make kernel'"
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,tmp,root,mmt,run}

# copy_bin PATH: the binary and every library ld.so resolves for it.
copy_bin() {
	local f=$1 lib
	[ -x "$f" ] || die "$f is missing: run 'make setup'"
	install -D -m 755 "$f" "$root/usr/bin/$(basename "$f")"
	ldd "$f" 2>/dev/null | grep -o '/[^ ]*' | while read -r lib; do
		[ -e "$root$lib" ] || install -D -m 755 "$(readlink -f "$lib")" "$root$lib"
	done
}

# busybox and bash, static: the host's, or Debian's for the guest's architecture
busybox=/bin/busybox bash=/bin/bash-static
if [ -n "$CROSS_PREFIX" ]; then
	# fetched once (rm -r build/arm64/debs to fetch sid's current ones)
	debs=$ABUILD/debs
	if [ ! -f "$debs/.complete" ]; then
		rm -rf "$debs"
		apt_unpack "$ARCH" "$debs" busybox-static bash-static || die "could not fetch busybox-static and bash-static for $ARCH from Debian sid (apt_sid needs a Debian mirror in the apt sources)"
		: > "$debs/.complete"
	fi
	# /usr/bin in sid, /bin before the /usr merge
	for d in usr/bin bin; do
		[ ! -x "$debs/$d/busybox" ] || busybox=$debs/$d/busybox
		[ ! -x "$debs/$d/bash-static" ] || bash=$debs/$d/bash-static
	done
	[ "${busybox#"$debs"}" != "$busybox" ] && [ "${bash#"$debs"}" != "$bash" ] ||
		die "no busybox or bash-static in the $ARCH packages unpacked in $debs"
fi
install -m 755 "$busybox" "$root/bin/busybox"
# the applet list of the host's busybox (the guest's cannot run here)
for a in $(/bin/busybox --list); do
	[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done
# the kselftests call /sbin/modprobe by its full path
ln -s ../bin/busybox "$root/sbin/modprobe"
if [ -z "$CROSS_PREFIX" ]; then
	for b in ndctl daxctl; do copy_bin "$(command -v $b)"; done
	# Debian's perf is a wrapper picking a binary for the running kernel's version; take the newest.
	perf=$(ls -v /usr/bin/perf_[0-9]* 2>/dev/null | tail -n 1 || true)
	copy_bin "${perf:-/usr/bin/perf}"
	if [ -n "$perf" ]; then mv "$root/usr/bin/$(basename "$perf")" "$root/usr/bin/perf"; fi
fi

say "building guest helpers and kselftests"
mkdir -p "$ABUILD/guest-bin"
for c in "$TOP"/scripts/guest/*.c; do
	"${CROSS_PREFIX}gcc" -O2 -Wall -Werror -static -o "$ABUILD/guest-bin/$(basename "$c" .c)" "$c"
	install -m 755 "$ABUILD/guest-bin/$(basename "$c" .c)" "$root/usr/bin/"
done
kmake headers >/dev/null
mkdir -p "$ABUILD/selftests-mm"
# static when cross-compiled: the guest has no C library of its architecture
make -s -C "$TREE/tools/testing/selftests/mm" OUTPUT="$ABUILD/selftests-mm" ARCH="$ARCH" \
	${CROSS_PREFIX:+CROSS_COMPILE=$CROSS_PREFIX EXTRA_CFLAGS=-static} \
	KHDR_INCLUDES="-isystem $OBJ/usr/include" "$ABUILD/selftests-mm/hmm-tests" >/dev/null
install -D -m 755 "$ABUILD/selftests-mm/hmm-tests" "$root/usr/bin/hmm-tests"
install -m 755 "$TREE/tools/testing/selftests/memory-hotplug/mem-on-off-test.sh" "$root/usr/bin/"
# the memory-hotplug kselftests installed as a user installs them, with
# run_kselftest.sh, in /kselftest (check-hotplug.sh runs the series' one)
make -s -C "$TREE/tools/testing/selftests" TARGETS=memory-hotplug ARCH="$ARCH" \
	O="$ABUILD/selftests-install" INSTALL_PATH="$root/kselftest" install >/dev/null
# mem-on-off-test.sh is a bash script (&>, $UID, $FUNCNAME): busybox sh would misparse it.
install -m 755 "$bash" "$root/bin/bash"

cp -a "$ABUILD/modules/lib/modules" "$root/lib/"
# bench-deferred's out-of-tree registration module, built in build/ (kbuild
# writes next to the sources it is given); not on a kernel without
# device-private memory (make check-full's MEMORY_HOTPLUG=n)
if grep -q '^CONFIG_DEVICE_PRIVATE=y' "$OBJ/.config"; then
	rm -rf "$ABUILD/gpu_register" && cp -r "$TOP/bench-deferred/gpu_register" "$ABUILD/gpu_register"
	kmake M="$ABUILD/gpu_register" modules >/dev/null
	install -m 644 "$ABUILD/gpu_register/gpu_register.ko" "$root/lib/modules/"
fi
install -m 755 "$TOP/scripts/guest/init" "$root/init"
cp "$TOP"/scripts/guest/*.sh "$root/mmt/"
[ -d "$TOP/bench-deferred/guest" ] && cp "$TOP"/bench-deferred/guest/*.sh "$root/mmt/"
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$ABUILD/initramfs.cpio"
say "initramfs: $(du -h "$ABUILD/initramfs.cpio" | cut -f1) for $rel ($ARCH)"
