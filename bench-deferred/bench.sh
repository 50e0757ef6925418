#!/usr/bin/env bash
# make bench: the default scenario, on the kernel the harness built.
#   deferred init: 16 GiB guest, 2 NUMA nodes, BOOTS boots [5]
#   pmem bind:     16 GiB guest with 8 GiB legacy pmem, first bind + REBINDS [30]
#                  rebinds for fsdax/devdax x map=dev/mem
#   test_hmm:      LOADS [30] modprobe/rmmod of 2 x 256 MiB device-private memory
#   native model:  bench-deferred/native.sh on this machine's real memory
# Writes build/bench/results.json and prints a table. ACCEL=kvm on hosts where
# KVM boots the guest; every number is labelled with where it ran.
. "$(dirname "$0")/../scripts/lib.sh"

BOOTS=${BOOTS:-5} REBINDS=${REBINDS:-30} LOADS=${LOADS:-30}
out=$BUILD/bench
mkdir -p "$out"
"$TOP"/scripts/prepare.sh
rm -f "$LOGS"/bench-*.log
start=$(date +%s)
trace="trace_event=sched:sched_wakeup,sched:sched_process_exit trace_buf_size=8M traceoff_after_boot trace_clock=global"
for ((i = 1; i <= BOOTS; i++)); do
	say "bench: deferred init boot $i/$BOOTS"
	MEM=16G NODES=2 CPUS=2 RUN=bench-deferred "$TOP"/scripts/boot.sh "bench-deferred-16g-2n-$i" \
		kunit.enable=0 mmt.mem=16 mmt.nodes=2 $trace
done
say "bench: pmem binds and test_hmm registration"
MEM=16G NODES=1 CPUS=2 PMEM='8G!8G' RUN=bench-pmem,bench-hmm TIMEOUT=2400 "$TOP"/scripts/boot.sh bench-pmem-hmm \
	kunit.enable=0 mmt.rebinds="$REBINDS" mmt.loads="$LOADS"
say "bench: native userspace model (real memory, no TCG)"
"$TOP"/bench-deferred/native.sh
say "bench: done in $(( $(date +%s) - start )) s"
KERNEL_RELEASE=$(make -s -C "$TREE" O="$OBJ" kernelrelease) ACCEL=${ACCEL:-tcg} \
	python3 "$TOP"/scripts/results.py bench "$out/results.json" "$LOGS"/bench-*.log | tee "$out/results.md"
python3 "$TOP"/scripts/plot.py "$out/results.json" "$out"
python3 "$TOP"/scripts/summary.py "$out/results.json" | tee "$out/summary.md"
grep -h '^MMT-NOTE' "$LOGS"/bench-*.log | sed 's/^MMT-NOTE/note:/' >&2 || true
! grep -h '^MMT-TEST not ok' "$LOGS"/bench-*.log
