#!/usr/bin/env bash
# The benchmarks on a real machine booted with the series: no QEMU. Runs the
# same workload scripts the guests run (bench-deferred/guest, scripts/guest)
# on this kernel, then the native model, and writes build/target/results.json,
# results.md, summary.md and the plots.
#
#   sudo bench-deferred/target.sh [WORKLOAD...]     (default: deferred hmm gpu)
#
#   deferred  this boot's deferred and early init, in the mode it booted
#             with: boot with  trace_event=memmap:memmap_init
#             trace_clock=global traceoff_after_boot  [memmap_template=MODE]
#             and run once per boot and mode (results accumulate in
#             build/target/logs; TARGET_FRESH=1 starts over)
#   hmm       test_hmm registration (CONFIG_TEST_HMM=m), every mode
#   gpu       GPU-scale device-private registration, every mode:
#             gpu_register.ko is built against /lib/modules/$(uname -r)/build;
#             sizes MMT_gpu_gib (default 1,4,16; 80 needs 1.25 GiB of memmap)
#   hotplug   online/offline the memory blocks that are offline now
#   kselftest the series' kselftest (memory-hotplug/memmap_tmpl.sh),
#             installed from the tree and run by run_kselftest.sh
#   pmem      DESTROYS the data of namespace0.0: only with
#             MMT_PMEM_DESTROY=namespace0.0 (fsdax/devdax map=dev/mem binds)
# Knobs of the guest scripts are MMT_<name> variables (MMT_rebinds=30,
# MMT_loads=30, MMT_gpu_loops=5). Every number is labelled "target" with
# this machine's CPU; perf stat counters where the CPU has a PMU.
. "$(dirname "$0")/../scripts/lib.sh"

[ "$(id -u)" = 0 ] || die "run as root: the workloads load modules and write sysfs"
# the run-time mode switch the workloads use (debugfs since the interface
# was narrowed; the module parameter is gone)
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug ||
	die "cannot mount debugfs on /sys/kernel/debug: the workloads switch modes there"
[ -w /sys/kernel/debug/memmap_template/mode ] ||
	die "this kernel has no memmap templates (no /sys/kernel/debug/memmap_template/mode): boot the series"
work=$BUILD/target
logs=$work/logs
[ "${TARGET_FRESH:-0}" = 1 ] && rm -rf "$logs"
mkdir -p "$work/mmt" "$work/bin" "$logs"
cp "$TOP"/scripts/guest/*.sh "$TOP"/bench-deferred/guest/*.sh "$work/mmt/"
for c in "$TOP"/scripts/guest/*.c; do gcc -O2 -Wall -o "$work/bin/$(basename "$c" .c)" "$c"; done
export MMT=$work/mmt MMT_KTAP_STATE=$work/ktap-state PATH=$work/bin:$PATH T=/sys/kernel/tracing
mountpoint -q $T || mount -t tracefs tracefs $T
export MMT_mem=$(( ($(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) + (1 << 20) - 1) >> 20 ))
export MMT_nodes=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)
export MEM_ON_OFF=$TREE/tools/testing/selftests/memory-hotplug/mem-on-off-test.sh
stamp=$(date +%Y%m%d-%H%M%S)

run() {	# run NAME SCRIPT: one workload, one KTAP document and its MMT lines into logs/NAME-STAMP.log
	say "target: $1"
	# shellcheck source=/dev/null
	( . "$MMT/lib.sh"; ktap_start "$1"; sh "$MMT/$2.sh" || t_fail "$2" "script exited $?"; ktap_totals ) |
		tee "$logs/target-$1-$stamp.log" | grep --line-buffered -E '^(MMT-PROGRESS|not ok )' >&2 || true
}
for w in ${*:-deferred hmm gpu}; do
	case $w in
	deferred) grep -q 'kind=deferred' $T/trace 2>/dev/null ||
			die "no memmap:memmap_init deferred event in $T/trace: boot with trace_event=memmap:memmap_init trace_clock=global traceoff_after_boot"
		  run deferred bench-deferred ;;
	hmm)      modinfo test_hmm >/dev/null 2>&1 || die "no test_hmm module (CONFIG_TEST_HMM=m)"
		  run hmm bench-hmm ;;
	gpu)      rm -rf "$work/gpu_register" && cp -r "$TOP/bench-deferred/gpu_register" "$work/"
		  make -s -C "/lib/modules/$(uname -r)/build" M="$work/gpu_register" modules ||
			die "could not build gpu_register.ko against /lib/modules/$(uname -r)/build"
		  GPU_KO=$work/gpu_register/gpu_register.ko run gpu bench-gpu ;;
	hotplug)  run hotplug check-hotplug ;;
	kselftest) make -s -C "$TREE/tools/testing/selftests" TARGETS=memory-hotplug \
			O="$work/selftests" INSTALL_PATH="$work/kselftest" install ||
			die "could not install the memory-hotplug kselftests from $TREE"
		  KSELFTEST_DIR=$work/kselftest run kselftest check-kselftest ;;
	pmem)     [ "${MMT_PMEM_DESTROY:-}" = namespace0.0 ] ||
			die "pmem reconfigures namespace0.0 and destroys its data: set MMT_PMEM_DESTROY=namespace0.0"
		  run pmem bench-pmem ;;
	*)        die "unknown workload $w (deferred hmm gpu hotplug kselftest pmem)" ;;
	esac
done
harch=$(uname -m)
[ "$harch" != aarch64 ] || harch=arm64
if [ "$harch" = x86_64 ]; then
	"$TOP"/bench-deferred/native.sh
	# native.sh's two logs: the fills and UML's init + free
	for n in fill initfree; do
		cp "$LOGS/bench-native-$n.log" "$logs/target-native-$n-$stamp.log"
	done
else
	say "no native rows on $harch: they run x86_64 code (UML, the x86-64 memcpy_nt())"
fi
KERNEL_RELEASE=$(uname -r) ACCEL=target ARCH=$harch python3 "$TOP"/scripts/results.py bench "$work/results.json" "$logs"/*.log |
	tee "$work/results.md"
python3 "$TOP"/scripts/plot.py "$work/results.json" "$work"
python3 "$TOP"/scripts/summary.py "$work/results.json" | tee "$work/summary.md"
grep -h '^MMT-PERF' "$logs"/*.log | sed 's/^MMT-PERF //' > "$work/perf.txt" || true
! grep -h '^not ok ' "$logs"/*.log
