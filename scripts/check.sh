#!/usr/bin/env bash
# make check: build, boot, test. Host tests, then a guest boot (2 nodes,
# legacy pmem, every freed page checked) that runs the built-in KUnit suites
# (KTAP) and the guest tests; one with memmap_template=bogus for the boot
# parameter's error path; one with init_on_alloc=1 (page checks on, as
# distributions ship); the whole-system comparison of boots with
# memmap_template=off (12 boots: the noise floor) and nt (6, interleaved),
# with 2 nodes, 1 node and all memory initialised early (early_page_ext); and
# normal memory hotplug of pc-dimms in every mode. Ends with 'N passed, N failed'.
# ARCH=arm64: the same guests on qemu-system-aarch64 -M virt, the main one
# without legacy pmem (x86_64's), and none of the host-side steps, which do
# not depend on the guest's architecture (docs/arm64.md).
. "$(dirname "$0")/lib.sh"
. "$TOP"/scripts/preflight.sh

# The guests: each function runs its arguments (check_guest, or boot_test and
# its arguments) with the guest's settings, so that what is checked up front
# is what boots. check_pages=1 on the main boot: every page freed, deferred
# init's included, is checked.
# legacy pmem and its tests on x86_64 only
main_pmem='' main_run=check-hmm,check-gpu
[ "$ARCH" != x86_64 ] || main_pmem='2G!4G' main_run=check-pmem,$main_run
main_guest()    { MEM=8G NODES=2 CPUS=2 PMEM=$main_pmem RUN=$main_run TIMEOUT=${TIMEOUT:-1800} "$@"; }
param_guest()   { MEM=2G NODES=1 CPUS=1 RUN=check-param TIMEOUT=300 "$@"; }
alloc_guest()   { MEM=4G NODES=2 CPUS=2 RUN=check-hmm TIMEOUT=900 "$@"; }
layout_guest()  { MEM=4G NODES=$1 CPUS=2 RUN=check-layout TIMEOUT=600 "${@:2}"; }
hotplug_guest() { MEM=4G NODES=1 CPUS=2 SLOTS=2 DIMMS=2 RUN=check-hotplug,check-kselftest TIMEOUT=900 "$@"; }
vmem_guest()    { MEM=4G NODES=1 CPUS=2 SLOTS=1 VMEM=2G RUN=check-virtio-mem TIMEOUT=900 "$@"; }
# Checked before anything is built.
main_guest check_guest; param_guest check_guest; alloc_guest check_guest
layout_guest 1 check_guest; layout_guest 2 check_guest; hotplug_guest check_guest
[ "$ARCH" != x86_64 ] || vmem_guest check_guest
check_disk

start=$(date +%s)
"$TOP"/scripts/prepare.sh
mkdir -p "$LOGS"
logs=()
if [ "$ARCH" = x86_64 ]; then
	"$TOP"/scripts/host-tests.sh > "$LOGS/host.log"
	# The series as a reviewer gets it: make mail's files pass checkpatch
	# --strict, apply with git am and are read by b4 (scripts/mail-check.sh);
	# and the KUnit suite run with kunit.py on UML as the rst says.
	"$TOP"/scripts/mail-check.sh > "$LOGS/mail-check.log" 2> "$LOGS/mail-check.err"
	"$TOP"/scripts/kunit-uml.sh
	logs+=("$LOGS/host.log" "$LOGS/mail-check.log" "$LOGS/kunit-uml.log")
fi

# boot_test NAME TEST [KERNEL ARGS]: boot guest NAME (settings from the
# environment) and write TEST's result, ok or the runner's failure, to
# build/logs/NAME-boot.log.
boot_test() {
	local name=$1 test=$2; shift 2
	if "$TOP"/scripts/boot.sh "$name" "$@" 2> >(tee "$LOGS/$name-boot.err" >&2); then
		echo "MMT-TEST ok $test" > "$LOGS/$name-boot.log"
	else
		echo "MMT-TEST not ok $test # $(grep -m1 FAILED "$LOGS/$name-boot.err")" > "$LOGS/$name-boot.log"
	fi
}
# hugepages=8 for hmm-tests' hugetlbfs cases. Its DEVICE_COHERENT cases skip:
# test_hmm's coherent devices oops when they run out (docs/harness.md).
main_guest boot_test check boot.clean kunit.enable=1 kunit.autorun=1 check_pages=1 hugepages=8
# The boot parameter's error path needs a boot of its own: every bad value
# on one command line (the parameter's handler runs once for each). The
# KUnit suite runs here too, without check_pages: the born-free free pass
# then skips its tail loop, which mmt_deferred_real_free checks against the
# real free path.
long=$(printf 'n%.0s' $(seq 1 40))
param_guest boot_test check-param boot.param-clean memmap_template=bogus memmap_template= 	memmap_template=NT memmap_template=nt,x memmap_template="$long" 	kunit.enable=1 kunit.autorun=1 kunit.filter_glob=memmap_template
logs+=("$LOGS/check-boot.log" "$LOGS/check.log" "$LOGS/check-param-boot.log" "$LOGS/check-param.log")
# init_on_alloc=1, the distribution default: page checks on (every free
# checks the pages; born-free blocks through their template), and the
# device memmap that test_hmm registers zeroed by the page allocator
# (auto's cached rule). The KUnit suite and test_hmm's tests run in it.
alloc_guest boot_test check-alloc boot.init-on-alloc init_on_alloc=1 \
	kunit.enable=1 kunit.autorun=1 kunit.filter_glob=memmap_template \
	trace_event=memmap:memmap_init trace_clock=global
logs+=("$LOGS/check-alloc-boot.log" "$LOGS/check-alloc.log")

# layout GROUP NODES [--all-early] [KERNEL ARGS]: twelve boots with
# memmap_template=off (the noise floor: free counts differ from boot to boot)
# and six with nt, interleaved (layout_runs), of the same kernel, compared by
# scripts/compare-layout.py.
layout() {
	local group=$1 nodes=$2 flag=() cmp=() run mode; shift 2
	if [ "${1:-}" = --all-early ]; then flag=(--all-early); shift; fi
	for run in $(layout_runs); do
		mode=${run%-*}
		layout_guest "$nodes" boot_test "layout-$group-$run" \
			"boot.layout-$group-$run" kunit.enable=0 nokaslr memmap_template="$mode" \
			trace_event=memmap:memmap_init trace_clock=global "$@"
		cmp+=("$mode=$LOGS/layout-$group-$run.log")
		logs+=("$LOGS/layout-$group-$run-boot.log" "$LOGS/layout-$group-$run.log")
	done
	python3 "$TOP"/scripts/compare-layout.py "$group" "${flag[@]}" "${cmp[@]}" > "$LOGS/layout-$group.log"
	logs+=("$LOGS/layout-$group.log")
}
layout 2n 2
layout 1n 1
# early_page_ext: no deferred init, as with DEFERRED_STRUCT_PAGE_INIT=n;
# page_owner=on gives page_ext a user and runs its hooks on every free.
layout early 2 --all-early early_page_ext page_owner=on

# Normal memory hotplug: two 1 GiB pc-dimms, onlined/offlined in each mode.
hotplug_guest boot_test check-hotplug boot.hotplug kunit.enable=0
logs+=("$LOGS/check-hotplug-boot.log" "$LOGS/check-hotplug.log")
# A real driver's hotplug: virtio-mem plugged and unplugged by the host in
# every mode, also with memory_hotplug.memmap_on_memory=1 (Debian's
# default). x86_64 only: not tried on the arm64 virt machine.
if [ "$ARCH" = x86_64 ]; then
	vmem_guest boot_test check-virtio-mem boot.virtio-mem kunit.enable=0 memhp_default_state=online_movable
	vmem_guest boot_test check-virtio-mem-mom boot.virtio-mem-memmap-on-memory kunit.enable=0 \
		memhp_default_state=online_movable memory_hotplug.memmap_on_memory=1
	logs+=("$LOGS/check-virtio-mem-boot.log" "$LOGS/check-virtio-mem.log"
	       "$LOGS/check-virtio-mem-mom-boot.log" "$LOGS/check-virtio-mem-mom.log")
fi

say "make check ($ARCH): $(( $(date +%s) - start )) s"
exec python3 "$TOP"/scripts/results.py tests "${logs[@]}"
