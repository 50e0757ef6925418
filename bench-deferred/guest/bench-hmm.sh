# Benchmark: test_hmm registration, the way a GPU driver registers device-
# private memory (2 devices x 256 MiB through memremap_pages()): LOADS rounds
# of one modprobe + rmmod per mode, modes interleaved. Samples: each
# memmap_init_zone_device() call (tracepoint ns, kprobe pair) and each
# modprobe's wall time (modprobe_ns: end to end).
. "${MMT:-/mmt}"/lib.sh
n=$(arg loads 30)
params='{"devices":2,"chunk_mib":256}'
: > /tmp/hmm.walls
series_start memmap_init_zone_device
i=1
while [ $i -le "$n" ]; do
	[ $((i % 10)) = 1 ] && echo "MMT-PROGRESS hmm: round $i/$n of modprobe/rmmod per mode"
	for m in $(modes); do
		series_op "$m" memmap_init
		if ! wall hmm modprobe test_hmm; then
			t_fail "bench.hmm.$m" "modprobe test_hmm failed in round $i"
			break 2
		fi
		echo "$m $(cat /tmp/hmm.wall)" >> /tmp/hmm.walls
		rmmod test_hmm || { t_fail "bench.hmm.$m" "rmmod test_hmm failed in round $i"; break 2; }
	done
	i=$((i + 1))
done
series_stop
series_events memmap_init_zone_device | series_samples hmm-register "$params"
while read -r m ns; do
	sample hmm-register "$params" "$m" modprobe_ns ns "$ns"
done < /tmp/hmm.walls
