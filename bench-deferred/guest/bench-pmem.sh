# Benchmark: PMEM bind latency. For each namespace configuration, a series
# (scripts/guest/pmem.sh): every mode's first bind, then REBINDS rounds of one
# rebind per mode, modes interleaved. Samples per bind: the memmap:memmap_init
# tracepoint's ns (first_bind_tp_ns, rebind_tp_ns), a kprobe pair on
# memmap_init_zone_device() (CLOCK_MONOTONIC), and the whole rebind's wall
# time, ndctl disable + enable (rebind_wall_ns: end to end).
. "${MMT:-/mmt}"/lib.sh
. "${MMT:-/mmt}"/pmem.sh
n=$(arg rebinds 30)
modprobe dax_pmem
for cfg in $(arg pmemcfg fsdax:dev:4K,fsdax:mem:4K,devdax:dev:2M,devdax:mem:2M | tr ',' ' '); do
	set -- $(echo "$cfg" | tr ':' ' ')
	echo "MMT-PROGRESS pmem $cfg: $(modes | wc -w) first binds + $n rounds of rebinds, modes interleaved"
	if ! pmem_series "$1" "$2" "$3" "$n" 16 2>/tmp/pmem.err; then
		t_fail "bench.pmem.$cfg" "$(tr '\n' ' ' < /tmp/pmem.err)"
		continue
	fi
	params="{\"ns\":\"$1\",\"map\":\"$2\",\"align\":\"$3\",\"pages\":$(pmem_pages)}"
	series_samples pmem-bind "$params" < /tmp/pmem.ev
	while read -r m ns; do
		sample pmem-bind "$params" "$m" rebind_wall_ns ns "$ns"
	done < /tmp/pmem.wall
done
