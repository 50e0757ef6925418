#!/usr/bin/env bash
# Is narrowing the interface neutral? make bench's workloads on two kernels
# that differ only there, booted alternately, compared row by row.
#   series:        the series as it is (boot parameter; debugfs switch)
#   old-interface: the series + bench-deferred/ab/old-interface.patch, the
#                  writable module parameter memmap_template.mode that the
#                  debugfs switch replaced (the guest finds it through
#                  mmt.mode_knob=)
# The Kconfig default the narrowing also removed only set the mode's initial
# value; every row here names its mode, so it has no run-time effect to time.
# ROUNDS [6, even] rounds, each boots both kernels (ABBA order, so that a drift of
# the host hits both alike) with:
#   boot-time init: make bench's 16 GiB 2-node guest, memmap_template=auto
#   in one boot:    pmem binds (8 GiB, REBINDS [5]), test_hmm (LOADS [5]),
#                   GPU-scale registration (1 GiB, GPU_LOOPS [5]), hotplug
#                   (HOTPLUG_ROUNDS [3]), each a series of the four modes
#                   switched through the kernel's run-time switch
# Writes build/ab-interface/{series,old-interface}.json, ab.md and ab.png:
# per row the medians and old-interface/series with a bootstrap 95% CI that
# resamples whole rounds (scripts/ab-compare.py). `ab-interface.sh report` remakes them from the logs (same ROUNDS).
. "$(dirname "$0")/../scripts/lib.sh"
[ "$ARCH" = x86_64 ] || die "ARCH=$ARCH: the A/B boots x86_64 guests (legacy pmem) (docs/arm64.md)"
. "$TOP"/scripts/preflight.sh

ROUNDS=${ROUNDS-6} REBINDS=${REBINDS-5} LOADS=${LOADS-5} GPU_LOOPS=${GPU_LOOPS-5}
HOTPLUG_ROUNDS=${HOTPLUG_ROUNDS-3}
whole ROUNDS 2; whole REBINDS; whole LOADS; whole GPU_LOOPS; whole HOTPLUG_ROUNDS
init_guest() { MEM=16G NODES=2 CPUS=2 RUN=bench-deferred "$@"; }
pmem_guest() {
	MEM=16G NODES=1 CPUS=2 PMEM='8G!8G' SLOTS=2 DIMMS=2 RUN=bench-pmem,bench-hmm,bench-gpu,check-hotplug \
		TIMEOUT=${PMEM_TIMEOUT:-3600} "$@"
}
# report: each kernel's results.json (all rounds) and one per round, and
# the comparison, its interval resampling whole rounds (a boot is the unit)
report() {
	local k r logs rl a=() b=()
	mkdir -p "$out"
	for k in series old-interface; do
		logs=()
		for ((r = 1; r <= ROUNDS; r++)); do
			rl=("$LOGS/ab-$k-deferred-$r.log" "$LOGS/ab-$k-pmem-$r.log")
			for l in "${rl[@]}"; do [ -s "$l" ] || die "no $l: run the boots first (same ROUNDS)"; done
			logs+=("${rl[@]}")
			ACCEL=${ACCEL:-tcg} python3 "$TOP"/scripts/results.py bench "$out/$k-r$r.json" "${rl[@]}" > /dev/null
			if [ "$k" = series ]; then a+=("$out/$k-r$r.json"); else b+=("$out/$k-r$r.json"); fi
		done
		! grep -h '^not ok ' "${logs[@]}" || die "a guest test failed on $k"
		ACCEL=${ACCEL:-tcg} python3 "$TOP"/scripts/results.py bench "$out/$k.json" "${logs[@]}" > "$out/$k.md"
	done
	python3 "$TOP"/scripts/ab-compare.py "$(IFS=,; echo "${a[*]}")" "$(IFS=,; echo "${b[*]}")" "$out/ab.png" |
		tee "$out/ab.md"
}
out=$BUILD/ab-interface
if [ "${1:-}" = report ]; then report; exit; fi
(( ROUNDS % 2 == 0 )) || die "ROUNDS=$ROUNDS: want an even number (ABBA: each kernel first as often)"
init_guest check_guest; pmem_guest check_guest
check_disk

patch=$TOP/bench-deferred/ab/old-interface.patch
mkdir -p "$out"
"$TOP"/scripts/prepare.sh
cp "$OBJ/arch/x86/boot/bzImage" "$out/series.bzImage"
# The other kernel: the patch on build/linux's work tree, built in build/obj
# (only mm/memmap_template.o changes), then the series rebuilt; the tree is
# put back however this script ends.
git -C "$TREE" diff --quiet HEAD || die "build/linux has uncommitted changes: make tree FORCE=1"
trap 'git -C "$TREE" checkout -- .' EXIT
git -C "$TREE" apply "$patch" || die "$patch does not apply to build/linux"
"$TOP"/scripts/build.sh
cp "$OBJ/arch/x86/boot/bzImage" "$out/old-interface.bzImage"
git -C "$TREE" checkout -- .
trap - EXIT
"$TOP"/scripts/build.sh
cmp "$out/series.bzImage" "$out/old-interface.bzImage" >/dev/null 2>&1 && die "the two kernels are the same image"
[ -s "$out/old-interface.bzImage" ] || die "no old-interface.bzImage"

rm -f "$LOGS"/ab-*.log
trace="trace_event=sched:sched_wakeup,sched:sched_process_exit,memmap:memmap_init trace_buf_size=8M traceoff_after_boot trace_clock=global"
knob_series=() knob_old=(mmt.mode_knob=/sys/module/memmap_template/parameters/mode)
# boot_both K ROUND: kernel K's two guests of this round
boot_both() {
	local k=$1 r=$2 knob
	if [ "$k" = series ]; then knob=("${knob_series[@]}"); else knob=("${knob_old[@]}"); fi
	say "ab-interface: round $r/$ROUNDS, $k"
	KERNEL=$out/$k.bzImage init_guest "$TOP"/scripts/boot.sh "ab-$k-deferred-$r" kunit.enable=0 \
		mmt.mem=16 mmt.nodes=2 memmap_template=auto $trace "${knob[@]}"
	KERNEL=$out/$k.bzImage pmem_guest "$TOP"/scripts/boot.sh "ab-$k-pmem-$r" kunit.enable=0 \
		mmt.rebinds="$REBINDS" mmt.loads="$LOADS" mmt.gpu_gib=1 mmt.gpu_loops="$GPU_LOOPS" \
		mmt.hotplug_rounds="$HOTPLUG_ROUNDS" "${knob[@]}"
}
start=$(date +%s)
# The init script warms the host up first: one boot, not recorded.
KERNEL=$out/series.bzImage MEM=4G NODES=1 CPUS=2 RUN=bench-deferred "$TOP"/scripts/boot.sh ab-warmup kunit.enable=0 $trace >/dev/null
for ((r = 1; r <= ROUNDS; r++)); do
	if ((r % 2)); then boot_both series "$r"; boot_both old-interface "$r"
	else boot_both old-interface "$r"; boot_both series "$r"; fi
done
say "ab-interface: boots done in $(( $(date +%s) - start )) s"
report
