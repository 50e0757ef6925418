#!/usr/bin/env bash
# Boot the guest kernel with the initramfs in QEMU and keep its serial log.
#
#   scripts/boot.sh NAME [KERNEL ARGS...]
#
# Environment (defaults in brackets):
#   MEM [4G] guest RAM, whole GiB; NODES [1] NUMA nodes (RAM and vCPUs split evenly);
#   CPUS [2] vCPUs; PMEM legacy pmem as memmap=SIZE!START (e.g. 8G!8G);
#   SLOTS [0] memory-hotplug slots, MAXMEM [MEM+16G] their ceiling;
#   DIMMS [0] pc-dimms of DIMM_SIZE [1G] present at boot on node 0 (ACPI
#   memory devices: added through memory hotplug, offline until onlined);
#   VMEM [0] a virtio-mem-pci device of that size on node 0 (x86_64, needs
#   SLOTS), nothing plugged at boot: each "MMT-VMEM-REQUEST BYTES" line the
#   guest prints becomes its requested-size (scripts/vmem-host.py, QMP);
#   RUN guest scripts for mmt.run=; TIMEOUT [600] seconds;
#   ACCEL [tcg] tcg or kvm; KERNEL, INITRD [OBJ's bzImage or Image, the initramfs];
#   ARCH [x86_64] or arm64: qemu-system-aarch64 -M virt, booted from QEMU's
#   device tree, or through UEFI with ACPI when pc-dimms are asked for
#   (QEMU plugs them only through its ACPI event device; docs/arm64.md);
#   OVERCOMMIT [0] 1 to boot a guest larger than this host can back.
# Settings that make no sense are refused first, and so is a guest larger
# than the host can back (scripts/preflight.sh; docs/harness.md, Preflight).
# An overcommitted guest's log starts with an MMT-OVERCOMMIT {json} line.
# The log is build/logs/NAME.log. Exit status: 0 when the guest printed
# MMT-DONE and powered off with no panic, oops, BUG or WARNING in the log;
# otherwise 1, with the log's tail on stderr.
. "$(dirname "$0")/lib.sh"
. "$TOP"/scripts/preflight.sh

name=${1:?usage: boot.sh NAME [KERNEL ARGS...]}; shift
guest_settings	# the settings above, defaulted and checked before anything else
guest_files	# and what setup.sh installs for it
KERNEL=${KERNEL:-$OBJ/$KIMAGE} INITRD=${INITRD:-$ABUILD/initramfs.cpio}
[ -f "$KERNEL" ] || die "no kernel at $KERNEL: run 'make kernel'"
[ -f "$INITRD" ] || die "no initramfs at $INITRD: run 'make initramfs'"
mkdir -p "$LOGS"
log=$LOGS/$name.log

# One socket per node, so that CPUs of different nodes share no LLC.
args=(-smp "$CPUS,sockets=$NODES,cores=$((CPUS / NODES)),threads=1" -nographic -no-reboot -nodefaults
      -serial "file:$log" -kernel "$KERNEL" -initrd "$INITRD")
extra="" console=ttyS0
if [ "$ARCH" = arm64 ]; then
	# pauth-impdef (TCG only): QEMU's own pointer-authentication hash;
	# the architected QARMA is many times slower to emulate
	args+=(-machine virt,gic-version=3 -cpu "$([ "$ACCEL" = tcg ] && echo max,pauth-impdef=on || echo host)")
	console=ttyAMA0
	# pc-dimms need the firmware's ACPI (the virt machine's generic event device)
	[ "$SLOTS" = 0 ] || args+=(-bios "$AA64_FIRMWARE")
else
	args+=(-machine pc -cpu max)
fi
case $ACCEL in
# One TCG thread per vCPU (MTTCG), so that two nodes' deferred init runs in
# parallel as on hardware (MTTCG=0: one thread for all vCPUs). tsc=unstable:
# under MTTCG the vCPUs' TSCs drift, and a late "TSC unstable" flips the
# __sched_clock_stable static key with text_poke_bp() while the other vCPU
# runs sched_clock_cpu(); TCG's cross-modifying-code handling can then run
# the stale int3 ("Oops: int3" in sched_clock_cpu). Declaring the TSC
# unstable from the start means the key is never flipped. docs/harness.md.
# tsc_early_khz: the early TSC calibration against the PIT fails in some TCG
# boots, and sched_clock() then reads 0 until the late calibration, so the
# early memmap init could not be timed; the guest's TSC runs at the host's.
tcg) args+=(-accel "tcg,thread=$([ "${MTTCG:-1}" = 1 ] && echo multi || echo single),tb-size=512")
     [ "$ARCH" != x86_64 ] ||
	extra="tsc=unstable tsc_early_khz=$(awk '/^cpu MHz/ { printf "%d", $4 * 1000; exit }' /proc/cpuinfo)" ;;
kvm) args+=(-accel kvm) ;;
esac
memopt="$MEM"
if [ "$SLOTS" -gt 0 ]; then
	memopt="$MEM,slots=$SLOTS,maxmem=${MAXMEM:-$((mem_g + 16))G}"
fi
args+=(-m "$memopt")
for ((d = 0; d < DIMMS; d++)); do
	args+=(-object "memory-backend-ram,id=dimm$d,size=$DIMM_SIZE" -device "pc-dimm,id=dimm$d,memdev=dimm$d,node=0")
done
qmp=""
if [ "$VMEM" != 0 ]; then
	# short: a socket's path must fit in 108 bytes
	qmp=$(mktemp -u /tmp/mmt-qmp.XXXXXX)
	args+=(-object "memory-backend-ram,id=vmem0,size=$VMEM,reserve=off"
	       -device "virtio-mem-pci,id=vmemdev0,memdev=vmem0,node=0,requested-size=0"
	       -qmp "unix:$qmp,server=on,wait=off")
fi
# Guest RAM is touched lazily (struct pages, not the pages), so guests larger
# than this machine's RAM can work (OVERCOMMIT=1); reserve=off (MAP_NORESERVE)
# keeps the host's overcommit heuristic from refusing them ("cannot set up
# guest memory").
if [ "$NODES" -gt 1 ]; then
	per=$((mem_g / NODES)) cpn=$((CPUS / NODES))
	for ((n = 0; n < NODES; n++)); do
		args+=(-object "memory-backend-ram,id=ram$n,size=${per}G,reserve=off"
		       -numa "node,nodeid=$n,memdev=ram$n,cpus=$((n * cpn))-$((n * cpn + cpn - 1))")
	done
else
	args+=(-object "memory-backend-ram,id=ram0,size=${mem_g}G,reserve=off" -machine memory-backend=ram0)
fi
cmdline="console=$console,115200 panic=-1 oops=panic loglevel=7 $extra ${PMEM:+memmap=$PMEM} ${RUN:+mmt.run=$RUN} $*"
args+=(-append "$cmdline")

say "boot $name: $ARCH $ACCEL, $MEM, $NODES node(s), $CPUS vCPU(s)${PMEM:+, pmem $PMEM}$([ "$DIMMS" = 0 ] || echo ", $DIMMS x $DIMM_SIZE pc-dimm")$([ "$VMEM" = 0 ] || echo ", $VMEM virtio-mem") (log: ${log#$TOP/})"
: > "$log"
start=$(date +%s%N)
set +e
timeout --foreground -k 10 "$TIMEOUT" "$QEMU" "${args[@]}" </dev/null &
qpid=$!
# virtio-mem: the guest's size requests, set over QMP while it runs
vpid=""
if [ -n "$qmp" ]; then
	python3 "$TOP"/scripts/vmem-host.py "$log" "$qmp" vmemdev0 "$qpid" &
	vpid=$!
fi
# Progress: each MMT-RUN line as the guest reaches it, and each failed test.
( tail -n +1 -f --pid=$qpid "$log" 2>/dev/null | grep --line-buffered -aE '^(MMT-(RUN|BOOTED|PROGRESS)|not ok )' |
	sed -u "s/^/  [$name] /" >&2 ) &
tpid=$!
wait $qpid; rc=$?
kill $tpid 2>/dev/null; wait $tpid 2>/dev/null
if [ -n "$vpid" ]; then wait "$vpid" || say "boot $name: vmem-host.py exited $? (its reason above)"; rm -f "$qmp"; fi
set -e
secs=$(( ($(date +%s%N) - start) / 1000000 ))
# Recorded for whoever reads the log (QEMU truncates the log when it opens it).
if [ -n "$overcommit" ]; then { echo "$overcommit"; cat "$log"; } > "$log.new" && mv "$log.new" "$log"; fi
why=$(qemu_failure "$rc" $((secs / 1000)) "$TIMEOUT")
bad=$(grep -a -m 1 -E 'Kernel panic|Oops|BUG:|WARNING:|general protection fault|Call Trace:' "$log" || true)
[ -n "$bad" ] && why="${why:+$why; }kernel: $bad"
grep -aq '^MMT-DONE' "$log" || why="${why:+$why; }the guest did not finish (no MMT-DONE)"
if [ -n "$why" ]; then
	printf 'boot %s FAILED after %d ms: %s\n--- last lines of %s ---\n' "$name" "$secs" "$why" "${log#$TOP/}" >&2
	tail -n 40 "$log" | tr -d '\r' >&2
	exit 1
fi
say "boot $name: done in $secs ms"
