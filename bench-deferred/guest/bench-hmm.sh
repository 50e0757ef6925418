# Benchmark: test_hmm registration, the way a GPU driver registers device-
# private memory (2 devices x 256 MiB through memremap_pages()). Each modprobe
# timed with nstime, each memmap_init_zone_device() call with perf + kprobes.
. "${MMT:-/mmt}"/lib.sh
n=$(arg loads 30)
params='{"devices":2,"chunk_mib":256}'
kprobe_pair memmap_init_zone_device
for mode in $(modes); do
	set_mode "$mode"
	i=0
	while [ $i -lt "$n" ]; do
		[ $((i % 10)) = 0 ] && echo "MMT-PROGRESS hmm mode $mode: modprobe/rmmod $i/$n"
		if ! perf_calls memmap_init_zone_device nstime modprobe test_hmm > /tmp/hmm.ns; then
			t_fail "bench.hmm.$mode" "modprobe test_hmm failed: $(tail -n 2 /tmp/calls.out | tr '\n' ' ')"
			break
		fi
		emit hmm-register "$params" "$mode" memmap_init memmap_init < /tmp/hmm.ns
		sample hmm-register "$params" "$mode" modprobe_ns ns "$(sed -n 's/^nstime \([0-9]*\) .*/\1/p' /tmp/calls.out)"
		rmmod test_hmm || { t_fail "bench.hmm.$mode" "rmmod test_hmm failed"; break; }
		i=$((i + 1))
	done
done
