#!/usr/bin/env bash
# The KUnit suite on another architecture, as a reviewer runs it there:
#   tools/testing/kunit/kunit.py run --arch=ARCH --cross_compile=PREFIX \
#       --kunitconfig=mm/tests --kconfig_add ... (QEMU TCG, -M virt)
#
#   scripts/kunit-arch.sh ARCH     ARCH: arm64, riscv or powerpc
#
# On top of mm/tests/.kunitconfig, the memory model the series' kinds need
# (SPARSEMEM_VMEMMAP, hotplug, ZONE_DEVICE, device-private, deferred init,
# THP for the compound kinds) and tracepoints: kunit.py stops if one does
# not stick.
# Debian's cross compiler and QEMU are installed first (setup.sh). Built in
# build/kunit-ARCH; the KTAP goes to build/logs/kunit-ARCH.log for
# results.py, with an MMT-TEST line for the run itself; kunit.py's own
# messages are in build/logs/kunit-ARCH.log.raw. Ends with results.py's
# "N passed, N failed" for that log.
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: kunit-arch.sh arm64|riscv|powerpc}
case $arch in
arm64)   prefix=aarch64-linux-gnu- pkgs=(gcc-aarch64-linux-gnu qemu-system-arm) ;;
# kunit.py's riscv setup leaves the memory model at FLATMEM, and its kernel
# is not SMP (NEED_PER_CPU_KM), which rules out DEFERRED_STRUCT_PAGE_INIT;
# the deferred kind's cases still run: they fill a buffer
riscv)   prefix=riscv64-linux-gnu- pkgs=(gcc-riscv64-linux-gnu qemu-system-misc) model=SPARSEMEM_MANUAL deferred= ;;
powerpc) prefix=powerpc64le-linux-gnu- pkgs=(gcc-powerpc64le-linux-gnu qemu-system-ppc) ;;
*) die "kunit-arch.sh: $arch is not arm64, riscv or powerpc" ;;
esac
"$TOP"/scripts/setup.sh "${pkgs[@]}"
[ -f "$TREE/mm/tests/.kunitconfig" ] || die "no mm/tests/.kunitconfig in build/linux: the series adds it"
# FTRACE + ENABLE_DEFAULT_TRACERS give TRACEPOINTS: the cases that read the
# mode from memmap:memmap_init, and DEBUG_PAGE_REF's page_ref_set fallback.
opts=(${model:-} SPARSEMEM_VMEMMAP MEMORY_HOTPLUG MEMORY_HOTREMOVE ZONE_DEVICE DEVICE_PRIVATE
      ${deferred-DEFERRED_STRUCT_PAGE_INIT} TRANSPARENT_HUGEPAGE MIGRATION
      FTRACE ENABLE_DEFAULT_TRACERS DEBUG_KERNEL DEBUG_PAGE_REF)
add=()
for o in "${opts[@]}"; do add+=(--kconfig_add "CONFIG_$o=y"); done
# ccache as for the guest kernel (build.sh), so that a second run is quick
cc=()
if command -v ccache >/dev/null; then
	cc=(--make_options "CC=ccache ${prefix}gcc")
	export CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=time_macros
fi
out=$LOGS/kunit-$arch.log
mkdir -p "$LOGS"
rm -f "$out" "$out.raw"	# a run that dies early must not leave the last one's results
say "kunit.py run --arch=$arch --kunitconfig=mm/tests (QEMU TCG, build/kunit-$arch): the first build takes a while"
start=$(date +%s)
touch "$BUILD/.kunit-$arch-start"
built() { echo "$(find "$BUILD/kunit-$arch" -name '*.o' -newer "$BUILD/.kunit-$arch-start" 2>/dev/null | wc -l) objects (re)built"; }
rc=0
progress "kunit.py $arch" built env -C "$TREE" python3 tools/testing/kunit/kunit.py run --arch="$arch" \
	--cross_compile="$prefix" --kunitconfig=mm/tests "${add[@]}" "${cc[@]}" --build_dir="$BUILD/kunit-$arch" \
	--jobs="$JOBS" --timeout="${TIMEOUT:-1200}" --raw_output=kunit > "$out.raw" || rc=$?
sed -n '/^KTAP version\|^TAP version/,$p' "$out.raw" > "$out"
if [ -s "$out" ] && [ "$rc" = 0 ]; then
	echo "MMT-TEST ok kunit-$arch.ran # $(( $(date +%s) - start )) s" >> "$out"
else
	echo "MMT-TEST not ok kunit-$arch.ran # kunit.py exited $rc$([ -s "$out" ] || echo ' without KTAP'): $(tail -n 3 "$out.raw" | tr '\n' ' ')" >> "$out"
fi
say "kunit $arch: $(( $(date +%s) - start )) s"
exec python3 "$TOP"/scripts/results.py tests "$out"
