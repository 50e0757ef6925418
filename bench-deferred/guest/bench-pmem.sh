# Benchmark: PMEM bind latency. For each namespace configuration, the first
# bind and REBINDS rebinds, each bind's memmap_init_zone_device() timed in ns
# with perf and a kprobe pair (scripts/guest/pmem.sh).
. /mmt/lib.sh
. /mmt/pmem.sh
mode=$(mmt_mode)
n=$(arg rebinds 30)
modprobe dax_pmem
kprobe_pair memmap_init_zone_device
for cfg in $(arg pmemcfg fsdax:dev:4K,fsdax:mem:4K,devdax:dev:2M,devdax:mem:2M | tr ',' ' '); do
	set -- $(echo "$cfg" | tr ':' ' ')
	echo "MMT-PROGRESS pmem $cfg: first bind + $n rebinds"
	if ! pmem_rebind "$1" "$2" "$3" "$n" 16 2>/tmp/pmem.err; then
		t_fail "bench.pmem.$cfg" "$(tr '\n' ' ' < /tmp/pmem.err)"
		continue
	fi
	params="{\"ns\":\"$1\",\"map\":\"$2\",\"align\":\"$3\",\"pages\":$(pmem_pages)}"
	head -n 1 /tmp/pmem.ns | while read -r ns; do sample pmem-bind "$params" "$mode" first_bind_ns ns "$ns"; done
	tail -n +2 /tmp/pmem.ns | while read -r ns; do sample pmem-bind "$params" "$mode" rebind_ns ns "$ns"; done
done
