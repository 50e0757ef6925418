# Benchmark: GPU-scale device-private registration. gpu_register.ko
# (bench-deferred/gpu_register, out of tree) registers mmt.gpu_gib= GiB
# (comma-separated sizes) of MEMORY_DEVICE_PRIVATE memory as a GPU driver
# registers its VRAM, mmt.gpu_loops= rounds of one registration per mode,
# serially and on the node's CPUs (params threads, parallel), all
# interleaved. Samples:
# the module's register_ns (ktime around memremap_pages()), the
# memmap:memmap_init tracepoint's ns and a kprobe pair on
# memmap_init_zone_device under perf. For the largest size, perf's own view
# per mode: `perf ftrace latency` of memmap_init_zone_device and the top
# symbols of a cpu-clock profile (MMT-PERF lines).
. "${MMT:-/mmt}"/lib.sh
sizes=$(arg gpu_gib 1,4,16 | tr ',' ' ') loops=$(arg gpu_loops 5)
ko=${GPU_KO:-/lib/modules/gpu_register.ko}
[ -f $ko ] || { t_fail bench.gpu "no $ko in the initramfs"; exit 0; }
# The kernel's CPU cap for large device ranges (debugfs; 0: the node's CPUs):
# each round runs every mode serially (1) and in parallel (0).
THREADS_KNOB=/sys/kernel/debug/memmap_init/device_threads
if [ -w $THREADS_KNOB ]; then caps="1 0"; else caps=1; fi
ncpu=$(grep -c ^processor /proc/cpuinfo)
for gib in $sizes; do
	: > /tmp/gpu.ns
	series_start memmap_init_zone_device
	i=1
	while [ $i -le "$loops" ]; do
		echo "MMT-PROGRESS gpu: $gib GiB, round $i/$loops of one registration per mode and CPU cap"
		for cap in $caps; do
			[ ! -w $THREADS_KNOB ] || echo "$cap" > $THREADS_KNOB
			for m in $(modes); do
				series_op "$m" "cap$cap"
				dmesg -c > /dev/null
				if ! insmod $ko size_mib=$((gib * 1024)) loops=1; then
					t_fail "bench.gpu.$gib.$m" "insmod gpu_register: $(dmesg | tail -n 2 | tr '\n' ' ')"
					break 3
				fi
				rmmod gpu_register
				dmesg | sed -n "s/.*gpu_register: size_mib=[0-9]* loop=[0-9]* register_ns=\([0-9]*\) unregister_ns=\([0-9]*\).*/$m $cap \1 \2/p" >> /tmp/gpu.ns
			done
		done
		i=$((i + 1))
	done
	series_stop
	[ ! -w $THREADS_KNOB ] || echo 0 > $THREADS_KNOB
	series_events memmap_init_zone_device > /tmp/gpu.ev
	# threads: what the kernel's split gives this size on this guest
	# (at least 1 GiB a CPU, at most the CPUs), or 1 with the cap at 1
	for cap in $caps; do
		t=1
		[ "$cap" = 1 ] || t=$(( gib < ncpu ? gib : ncpu ))
		[ "$t" -ge 1 ] || t=1
		params="{\"gib\":$gib,\"pages\":$((gib * 262144)),\"threads\":$t,\"parallel\":$([ "$t" -gt 1 ] && echo true || echo false)}"
		awk -v w="cap$cap" '$2 == w { $2 = "memmap_init"; print }' /tmp/gpu.ev | series_samples gpu-register "$params"
		awk -v c="$cap" '$2 == c' /tmp/gpu.ns | while read -r m _ reg unreg; do
			sample gpu-register "$params" "$m" register_ns ns "$reg"
			sample gpu-register "$params" "$m" unregister_ns ns "$unreg"
		done
	done
	[ "$(wc -l < /tmp/gpu.ns)" = $((loops * $(modes | wc -w) * $(echo $caps | wc -w))) ] ||
		t_fail "bench.gpu.$gib" "$(wc -l < /tmp/gpu.ns) of $((loops * $(modes | wc -w) * $(echo $caps | wc -w))) registrations reported"
done

# perf's own figures for the largest size, per mode
if ! command -v perf > /dev/null; then
	t_skip bench.gpu.perf "no perf in this initramfs (the arm64 one has none: docs/arm64.md)"
	exit 0
fi
gib=$(echo $sizes | awk '{ print $NF }')
for mode in $(modes); do
	set_mode "$mode"
	perf ftrace latency -T memmap_init_zone_device -- \
		insmod $ko size_mib=$((gib * 1024)) loops="$loops" > /tmp/lat.out 2>&1 && rmmod gpu_register ||
		t_fail "bench.gpu.perf-ftrace-latency.$mode" "$(tail -n 2 /tmp/lat.out | tr '\n' ' ')"
	grep -E 'DURATION|\| +[1-9][0-9]* \|' /tmp/lat.out | sed "s/^/MMT-PERF ftrace-latency gpu $gib GiB $mode: /"
	# the insmod task only (kernel included): -a would be mostly the idle vCPU
	perf record -q -e cpu-clock -F 4999 -o /tmp/prof.data -- \
		insmod $ko size_mib=$((gib * 1024)) loops="$loops" > /tmp/prof.out 2>&1 && rmmod gpu_register ||
		t_fail "bench.gpu.perf-profile.$mode" "$(tail -n 2 /tmp/prof.out | tr '\n' ' ')"
	perf report -i /tmp/prof.data --stdio --sort sym 2>/dev/null | grep -E '^ +[0-9]' | head -n 8 |
		sed "s/^/MMT-PERF cpu-clock gpu $gib GiB $mode: /"
	# the series' tracepoint counted by perf (one per registration), and
	# the hardware counters where the (virtual) CPU has a PMU
	ev=memmap:memmap_init
	perf stat -e instructions true 2>&1 | grep -q 'not supported' || ev="$ev,cycles,instructions,cache-misses"
	perf stat -x, -e "$ev" -a -- insmod $ko size_mib=$((gib * 1024)) loops="$loops" > /tmp/stat.out 2>&1 && rmmod gpu_register ||
		t_fail "bench.gpu.perf-stat.$mode" "$(tail -n 2 /tmp/stat.out | tr '\n' ' ')"
	grep -E ',(memmap:memmap_init|cycles|instructions|cache-misses),' /tmp/stat.out | cut -d, -f1,3 |
		sed "s/^/MMT-PERF perf-stat gpu $gib GiB x $loops $mode: /"
done
