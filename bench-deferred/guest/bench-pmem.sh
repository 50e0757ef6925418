# Benchmark: PMEM bind latency. For each namespace configuration, the first
# bind and REBINDS rebinds, each bind's memmap_init_zone_device() timed in ns
# with perf and a kprobe pair (scripts/guest/pmem.sh).
. "${MMT:-/mmt}"/lib.sh
. "${MMT:-/mmt}"/pmem.sh
n=$(arg rebinds 30)
modprobe dax_pmem
kprobe_pair memmap_init_zone_device
for cfg in $(arg pmemcfg fsdax:dev:4K,fsdax:mem:4K,devdax:dev:2M,devdax:mem:2M | tr ',' ' '); do
	set -- $(echo "$cfg" | tr ':' ' ')
	for mode in $(modes); do
		set_mode "$mode"
		echo "MMT-PROGRESS pmem $cfg mode $mode: first bind + $n rebinds"
		if ! pmem_rebind "$1" "$2" "$3" "$n" 16 2>/tmp/pmem.err; then
			t_fail "bench.pmem.$cfg.$mode" "$(tr '\n' ' ' < /tmp/pmem.err)"
			continue
		fi
		params="{\"ns\":\"$1\",\"map\":\"$2\",\"align\":\"$3\",\"pages\":$(pmem_pages)}"
		emit pmem-bind "$params" "$mode" first_bind rebind < /tmp/pmem.ns
	done
done
