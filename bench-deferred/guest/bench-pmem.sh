# Benchmark: PMEM bind latency. For each namespace configuration, a series
# (scripts/guest/pmem.sh): every mode's namespace creation, then REBINDS
# rounds of one rebind per mode, modes interleaved. Samples per rebind (a
# creation binds more than once: not sampled): the memmap:memmap_init
# tracepoint's ns (rebind_tp_ns), a kprobe pair on
# memmap_init_zone_device() (CLOCK_MONOTONIC), and the whole rebind's wall
# time, ndctl disable + enable (rebind_wall_ns: end to end); every bind both
# serially and on the node's CPUs (params threads).
. "${MMT:-/mmt}"/lib.sh
. "${MMT:-/mmt}"/pmem.sh
n=$(arg rebinds 30)
ncpu=$(grep -c ^processor /proc/cpuinfo)
modprobe dax_pmem
for cfg in $(arg pmemcfg fsdax:dev:4K,fsdax:mem:4K,devdax:dev:2M,devdax:mem:2M | tr ',' ' '); do
	set -- $(echo "$cfg" | tr ':' ' ')
	echo "MMT-PROGRESS pmem $cfg: $(modes | wc -w) first binds + $n rounds of rebinds, modes interleaved"
	if ! PMEM_CAPS="1 0" pmem_series "$1" "$2" "$3" "$n" 16 2>/tmp/pmem.err; then
		t_fail "bench.pmem.$cfg" "$(tr '\n' ' ' < /tmp/pmem.err)"
		continue
	fi
	pages=$(pmem_pages)
	for cap in $(PMEM_CAPS="1 0" pmem_caps); do
		# threads: what the kernel's split gives (a CPU per GiB at most)
		t=1
		[ "$cap" = 1 ] || t=$(( pages / 262144 < ncpu ? pages / 262144 : ncpu ))
		[ "$t" -ge 1 ] || t=1
		params="{\"ns\":\"$1\",\"map\":\"$2\",\"align\":\"$3\",\"pages\":$pages,\"threads\":$t}"
		awk -v c="-cap$cap" '{ n = split($2, w, "-"); if ("-" w[n] == c) { $2 = w[1]; print } }' /tmp/pmem.ev |
			series_samples pmem-bind "$params"
		awk -v c="$cap" '$2 == c { print $1, $3 }' /tmp/pmem.wall | while read -r m ns; do
			sample pmem-bind "$params" "$m" rebind_wall_ns ns "$ns"
		done
	done
done
