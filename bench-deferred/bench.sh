#!/usr/bin/env bash
# make bench: the default scenario, on the kernel the harness built.
#   deferred and early init: BOOTS [10] boots per mode (MODES [off cached nt auto],
#                  memmap_template= on the command line) per guest size
#                  (SIZES [16] GiB) and NUMA node count (NODESET [2]);
#                  the full run is SIZES="4 16" NODESET="1 2" (160 boots),
#                  modes interleaved boot by boot, their order rotated
#                  (each mode first as often), after one dropped warm-up boot
#   in one boot, each a series with the modes interleaved (off, cached, nt,
#   auto, off, ...) through the run-time knob:
#   pmem bind:     16 GiB guest with 8 GiB legacy pmem, first bind + REBINDS [30]
#                  rounds of rebinds for fsdax/devdax x map=dev/mem
#   test_hmm:      LOADS [30] rounds of modprobe/rmmod, 2 x 256 MiB device-private
#   GPU-scale:     GPU_GIB [1,4,16] GiB of device-private memory registered,
#                  GPU_LOOPS [30] rounds (full run: 1,4,16,80), with perf
#                  ftrace latency and cpu-clock profiles for the largest
#   hotplug:       two 1 GiB pc-dimms onlined/offlined, HOTPLUG_ROUNDS [15] rounds
#   large pmem:    PMEM_LARGE_GIB [none] GiB namespaces, same binds
# The full run (docs/results/): OVERCOMMIT=1 SIZES="4 16 48" NODESET="1 2"
#   GPU_GIB=1,4,16,80 PMEM_LARGE_GIB=32 make bench
#   (OVERCOMMIT=1: guests larger than the host can back, boot.sh)
#   native:        bench-deferred/native.sh: the kernel's own code natively
# Writes build/bench/results.json and prints a table. ACCEL=kvm on hosts where
# KVM boots the guest; every number is labelled with where it ran.
# ARCH=arm64 (build/arm64/bench): the boot-time rows, and an in-boot guest
# without legacy pmem (x86_64's): test_hmm, GPU-scale registration and
# hotplug, booted through UEFI for its pc-dimms; no perf figures (the arm64
# initramfs has no perf) and no native rows (this host is x86_64).
. "$(dirname "$0")/../scripts/lib.sh"
. "$TOP"/scripts/preflight.sh

# Set but empty is an error, not the default.
BOOTS=${BOOTS-10} REBINDS=${REBINDS-30} LOADS=${LOADS-30} GPU_LOOPS=${GPU_LOOPS-30}
HOTPLUG_ROUNDS=${HOTPLUG_ROUNDS-15}
SIZES=${SIZES-16} NODESET=${NODESET-2} MODES=${MODES-off cached nt auto}
# The guests: each function runs its arguments (check_guest, or boot.sh and
# its arguments) with the guest's settings, so that what is checked up front
# is what boots.
init_guest() { MEM=${1}G NODES=$2 CPUS=2 RUN=bench-deferred "${@:3}"; }
# 16 GiB of RAM: 8 GiB of it is the legacy pmem, the rest must hold the
# memmap of the largest device-private registration (80 GiB: 1.25 GiB).
# (legacy pmem and its bench on x86_64 only)
inboot_pmem='' inboot_run=bench-hmm,bench-gpu,check-hotplug
[ "$ARCH" != x86_64 ] || inboot_pmem='8G!8G' inboot_run=bench-pmem,$inboot_run
pmem_guest() {
	MEM=16G NODES=1 CPUS=2 PMEM=$inboot_pmem SLOTS=2 DIMMS=2 RUN=$inboot_run \
		TIMEOUT=${PMEM_TIMEOUT:-3600} "$@"
}
large_pmem_guest() { MEM=$(($1 + 8))G NODES=1 CPUS=2 PMEM="${1}G!8G" RUN=bench-pmem TIMEOUT=${PMEM_TIMEOUT:-3600} "${@:2}"; }

# Every setting and every guest checked before anything is built or booted.
whole BOOTS; whole REBINDS; whole LOADS; whole GPU_LOOPS; whole HOTPLUG_ROUNDS
whole_list SIZES; whole_list NODESET
[ -z "${PMEM_LARGE_GIB:-}" ] || whole_list PMEM_LARGE_GIB
[ -z "${PMEM_LARGE_GIB:-}" ] || [ "$ARCH" = x86_64 ] || die "PMEM_LARGE_GIB=$PMEM_LARGE_GIB: legacy pmem is x86_64's, not $ARCH's"
read -ra modes <<<"$MODES"
[ ${#modes[@]} -gt 0 ] || die "MODES is empty: want some of off cached nt auto"
for mode in "${modes[@]}"; do
	case $mode in off|cached|nt|auto) ;; *) die "MODES='$MODES': $mode is not off, cached, nt or auto" ;; esac
done
for mem in $SIZES; do for nodes in $NODESET; do init_guest "$mem" "$nodes" check_guest; done; done
pmem_guest check_guest
for pg in ${PMEM_LARGE_GIB:-}; do large_pmem_guest "$pg" check_guest; done
check_disk

out=$ABUILD/bench
mkdir -p "$out"
"$TOP"/scripts/prepare.sh
rm -f "$LOGS"/bench-*.log
start=$(date +%s)
trace="trace_event=sched:sched_wakeup,sched:sched_process_exit,memmap:memmap_init trace_buf_size=8M traceoff_after_boot trace_clock=global"
# The first guest after a pause runs slower (seen: early init 197 ms, then
# 54 ms, in three identical boots; and the first 16 GiB boot after a 4 GiB
# warm-up): one boot of the first measured guest to warm up, not recorded.
first_mem=${SIZES%% *} first_nodes=${NODESET%% *}
say "bench: warm-up boot, ${first_mem} GiB, $first_nodes node(s) (dropped: not recorded)"
init_guest "$first_mem" "$first_nodes" "$TOP"/scripts/boot.sh warmup kunit.enable=0 $trace >/dev/null
nboots=$(( $(wc -w <<<"$SIZES") * $(wc -w <<<"$NODESET") * BOOTS * $(wc -w <<<"$MODES") )) b=0
for mem in $SIZES; do
	for nodes in $NODESET; do
		# modes interleaved, and their order rotated boot by boot (each
		# mode first as often), so that drift on the host hits them alike
		for ((i = 1; i <= BOOTS; i++)); do
			# shellcheck disable=SC2086 # MODES: words
			for mode in $(rotated $((i - 1)) $MODES); do
				b=$((b + 1))
				say "bench: boot-time init, boot $b/$nboots: ${mem} GiB, $nodes node(s), memmap_template=$mode"
				init_guest "$mem" "$nodes" "$TOP"/scripts/boot.sh \
					"bench-deferred-${mem}g-${nodes}n-$mode-$i" kunit.enable=0 \
					mmt.mem="$mem" mmt.nodes="$nodes" memmap_template="$mode" $trace
			done
		done
	done
done
say "bench: $([ "$ARCH" = x86_64 ] && echo "pmem binds, ")test_hmm and GPU-scale registration, memory hotplug"
pmem_guest "$TOP"/scripts/boot.sh bench-pmem-hmm \
	kunit.enable=0 mmt.rebinds="$REBINDS" mmt.loads="$LOADS" mmt.gpu_gib="${GPU_GIB:-1,4,16}" mmt.gpu_loops="$GPU_LOOPS" \
	mmt.hotplug_rounds="$HOTPLUG_ROUNDS"
# Larger pmem (PMEM_LARGE_GIB, e.g. 32): guest RAM is allocated lazily by
# the host, so with OVERCOMMIT=1 the limit is time, not this machine's 24 GiB.
for pg in ${PMEM_LARGE_GIB:-}; do
	say "bench: pmem binds, ${pg} GiB namespace"
	large_pmem_guest "$pg" "$TOP"/scripts/boot.sh "bench-pmem-${pg}g" kunit.enable=0 mmt.rebinds="$REBINDS"
done
if [ "$ARCH" = x86_64 ] && [ "$(host_arch)" = x86_64 ]; then
	say "bench: native, the kernel's own code on this machine's memory (no TCG)"
	"$TOP"/bench-deferred/native.sh
else
	say "bench: no native rows: they run x86_64 code on the host; the guests are $ARCH, the host $(host_arch) (docs/arm64.md)"
fi
say "bench: done in $(( $(date +%s) - start )) s"
exec "$TOP"/bench-deferred/report.sh
