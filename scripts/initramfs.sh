#!/usr/bin/env bash
# build/initramfs.cpio: busybox-static, ndctl, daxctl, perf, the kselftests we
# run, our static helpers, the kernel's modules and the guest scripts
# (scripts/guest/, bench-deferred/guest/). Shared libraries are copied for
# every dynamic binary.
. "$(dirname "$0")/lib.sh"

root=$BUILD/initramfs
rel=$(make -s -C "$TREE" O="$OBJ" kernelrelease)
[ -d "$BUILD/modules/lib/modules/$rel" ] || die "no modules for $rel: run 'make kernel'"
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

install -m 755 /bin/busybox "$root/bin/busybox"
for a in $(/bin/busybox --list); do
	[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done
# the kselftests call /sbin/modprobe by its full path
ln -s ../bin/busybox "$root/sbin/modprobe"
for b in ndctl daxctl; do copy_bin "$(command -v $b)"; done
# Debian's perf is a wrapper picking a binary for the running kernel's version; take the newest.
perf=$(ls -v /usr/bin/perf_[0-9]* 2>/dev/null | tail -n 1 || true)
copy_bin "${perf:-/usr/bin/perf}"
if [ -n "$perf" ]; then mv "$root/usr/bin/$(basename "$perf")" "$root/usr/bin/perf"; fi

say "building guest helpers and kselftests"
mkdir -p "$BUILD/guest-bin"
for c in "$TOP"/scripts/guest/*.c; do
	gcc -O2 -Wall -Werror -static -o "$BUILD/guest-bin/$(basename "$c" .c)" "$c"
	install -m 755 "$BUILD/guest-bin/$(basename "$c" .c)" "$root/usr/bin/"
done
make -s -C "$TREE" O="$OBJ" ARCH=x86_64 headers >/dev/null
mkdir -p "$BUILD/selftests-mm"
make -s -C "$TREE/tools/testing/selftests/mm" OUTPUT="$BUILD/selftests-mm" \
	KHDR_INCLUDES="-isystem $OBJ/usr/include" "$BUILD/selftests-mm/hmm-tests" >/dev/null
install -D -m 755 "$BUILD/selftests-mm/hmm-tests" "$root/usr/bin/hmm-tests"
install -m 755 "$TREE/tools/testing/selftests/memory-hotplug/mem-on-off-test.sh" "$root/usr/bin/"
# mem-on-off-test.sh is a bash script (&>, $UID, $FUNCNAME): busybox sh would misparse it.
install -m 755 /bin/bash-static "$root/bin/bash"

cp -a "$BUILD/modules/lib/modules" "$root/lib/"
# bench-deferred's out-of-tree registration module, built in build/ (kbuild
# writes next to the sources it is given); not on a kernel without
# device-private memory (make check-full's MEMORY_HOTPLUG=n)
if grep -q '^CONFIG_DEVICE_PRIVATE=y' "$OBJ/.config"; then
	rm -rf "$BUILD/gpu_register" && cp -r "$TOP/bench-deferred/gpu_register" "$BUILD/gpu_register"
	make -s -C "$TREE" O="$OBJ" ARCH=x86_64 M="$BUILD/gpu_register" modules >/dev/null
	install -m 644 "$BUILD/gpu_register/gpu_register.ko" "$root/lib/modules/"
fi
install -m 755 "$TOP/scripts/guest/init" "$root/init"
cp "$TOP"/scripts/guest/*.sh "$root/mmt/"
[ -d "$TOP/bench-deferred/guest" ] && cp "$TOP"/bench-deferred/guest/*.sh "$root/mmt/"
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$BUILD/initramfs.cpio"
say "initramfs: $(du -h "$BUILD/initramfs.cpio" | cut -f1) for $rel"
