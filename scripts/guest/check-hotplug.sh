# Normal memory hotplug in every mode: the pc-dimms the runner plugged
# (DIMMS=) arrive offline; online them (movable), offline, online again, and
# check MemTotal, the memmap:memmap_init "hotplug" events (one per block,
# the mode asked for, every page of the block) and the onlined pages' state.
# Then tools/testing/selftests/memory-hotplug/mem-on-off-test.sh.
. "${MMT:-/mmt}"/lib.sh
MEMDIR=/sys/devices/system/memory
bs=$(( $(cat $MEMDIR/block_size_bytes | sed 's/^/0x/') ))
block_pages=$((bs / 4096))
blocks=$(for m in $MEMDIR/memory*; do grep -q offline $m/state && echo ${m##*/memory}; done | tr '\n' ' ')
nb=$(echo $blocks | wc -w)
if [ "$nb" = 0 ]; then
	t_fail hotplug.dimm-arrived "no offline memory block: the pc-dimm did not arrive"
	exit 0
fi
t_ok hotplug.dimm-arrived
memtotal() { awk '/^MemTotal:/ { print $2 }' /proc/meminfo; }
set_state() { for b in $blocks; do echo "$1" > $MEMDIR/memory$b/state || return 1; done; }
params="{\"block_mib\":$((bs >> 20)),\"blocks\":$nb}"

# A warm-up cycle first (under TCG the first online translates the code):
# tested, not sampled.
echo "for b in $blocks; do echo online_movable > $MEMDIR/memory\$b/state || exit 1; done" > /tmp/online.sh
t_check hotplug.warmup.online sh /tmp/online.sh
t_check hotplug.warmup.offline set_state offline

for mode in $(modes); do
	set_mode "$mode"
	base=$(memtotal)
	for round in 1 2; do
		tn="hotplug.$mode.round$round"
		perf record -q -k CLOCK_MONOTONIC -e memmap:memmap_init -a -o /tmp/hp.data -- sh /tmp/online.sh \
			> /tmp/hp.out 2>&1 || { t_fail "$tn.online" "$(tail -n 2 /tmp/hp.out | tr '\n' ' ')"; continue; }
		t_ok "$tn.online"
		grew=$(( $(memtotal) - base ))
		[ "$grew" = $((nb * bs / 1024)) ] && t_ok "$tn.memtotal" ||
			t_fail "$tn.memtotal" "MemTotal grew by $grew kB, expected $((nb * bs / 1024))"
		perf script -i /tmp/hp.data 2>/dev/null | grep -o 'kind=hotplug.*' > /tmp/hp.ev
		ev=$(wc -l < /tmp/hp.ev)
		bad=$(grep -vc "nr_pages=$block_pages mode=$mode ns=" /tmp/hp.ev)
		if [ "$ev" = "$nb" ] && [ "$bad" = 0 ]; then
			t_ok "$tn.events"
		else
			t_fail "$tn.events" "$ev events for $nb blocks, $bad not nr_pages=$block_pages mode=$mode: $(head -n 2 /tmp/hp.ev | tr '\n' ' ')"
		fi
		sed -n 's/.*ns=\([0-9]*\).*/\1/p' /tmp/hp.ev | while read -r ns; do
			sample hotplug-online "$params" "$mode" online_tp_ns ns "$ns"
		done
		t_check "$tn.offline" set_state offline
		[ "$(memtotal)" = "$base" ] && t_ok "$tn.memtotal-after-offline" ||
			t_fail "$tn.memtotal-after-offline" "MemTotal $(memtotal) kB, $base before online"
	done
done

# The selftest onlines what is offline, offlines 10% of the removable blocks
# and onlines them again (its error-injection part needs
# CONFIG_MEMORY_NOTIFIER_ERROR_INJECT, not in the harness config: it says so
# and exits with the result of the first part).
set_mode "$(modes | awk '{ print $NF }')"
bash "${MEM_ON_OFF:-/usr/bin/mem-on-off-test.sh}" -r 10 > /tmp/moot.out 2>&1; rc=$?
sed 's/^/  mem-on-off: /' /tmp/moot.out | tail -n 20
[ $rc = 0 ] && t_ok hotplug.selftest.mem-on-off-test ||
	t_fail hotplug.selftest.mem-on-off-test "exit $rc: $(grep -m1 -E 'FAIL|unexpected' /tmp/moot.out)"
grep -q 'skip extra tests' /tmp/moot.out &&
	t_skip hotplug.selftest.notifier-error-inject "$(grep -m1 'skip extra tests' /tmp/moot.out) (CONFIG_MEMORY_NOTIFIER_ERROR_INJECT is not in the harness config)"
