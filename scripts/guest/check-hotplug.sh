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
# memory_hotplug.memmap_on_memory=1 (make check-full): each block's memmap
# is carved from its own first pages (vm of them), initialised by a
# separate call of its own (a second memmap_init event per online) and not
# counted in MemTotal.
vm=0
if grep -q 'memory_hotplug.memmap_on_memory=1' /proc/cmdline; then
	if [ "$(cat /sys/module/memory_hotplug/parameters/memmap_on_memory 2>/dev/null)" = Y ]; then
		vm=$((block_pages * 64 / 4096))
		t_ok hotplug.memmap-on-memory
	else
		t_fail hotplug.memmap-on-memory "asked on the command line, parameter reads '$(cat /sys/module/memory_hotplug/parameters/memmap_on_memory 2>&1)'"
	fi
fi
memtotal() { awk '/^MemTotal:/ { print $2 }' /proc/meminfo; }
set_state() { for b in $blocks; do echo "$1" > $MEMDIR/memory$b/state || return 1; done; }
params="{\"block_mib\":$((bs >> 20)),\"blocks\":$nb}"

# A warm-up cycle first (under TCG the first online translates the code):
# tested, not sampled.
echo "for b in $blocks; do echo online_movable > $MEMDIR/memory\$b/state || exit 1; done" > /tmp/online.sh
t_check hotplug.warmup.online sh /tmp/online.sh
t_check hotplug.warmup.offline set_state offline

# Rounds of one online + offline per mode, modes interleaved, in one trace
# session: each online's wall time (online_wall_ns: end to end, the free
# pass included) and each block's memmap:memmap_init event.
: > /tmp/hp.walls
series_start -
rounds=$(arg hotplug_rounds 2)
round=1
while [ $round -le "$rounds" ]; do
	for mode in $(modes); do
		tn="hotplug.$mode.round$round"
		base=$(memtotal)
		series_op "$mode" online
		wall hp sh /tmp/online.sh > /tmp/hp.out 2>&1 || { t_fail "$tn.online" "$(tail -n 2 /tmp/hp.out | tr '\n' ' ')"; continue; }
		t_ok "$tn.online"
		echo "$mode $(cat /tmp/hp.wall)" >> /tmp/hp.walls
		grew=$(( $(memtotal) - base ))
		[ "$grew" = $((nb * (bs - vm * 4096) / 1024)) ] && t_ok "$tn.memtotal" ||
			t_fail "$tn.memtotal" "MemTotal grew by $grew kB, expected $((nb * (bs - vm * 4096) / 1024))"
		t_check "$tn.offline" set_state offline
		[ "$(memtotal)" = "$base" ] && t_ok "$tn.memtotal-after-offline" ||
			t_fail "$tn.memtotal-after-offline" "MemTotal $(memtotal) kB, $base before online"
	done
	round=$((round + 1))
done
series_stop
# per online: its mode asked, and each event's pages, mode used and ns
awk '/MMT-OP / { for (i = 1; i <= NF; i++) if ($i == "MMT-OP") { m = $(i + 1); op++ } }
	/memmap_init: kind=hotplug/ { p = u = d = ""
		for (i = 1; i <= NF; i++) { if ($i ~ /^nr_pages=/) p = substr($i, 10)
			if ($i ~ /^mode=/) u = substr($i, 6); if ($i ~ /^ns=/) d = substr($i, 4) }
		print op, m, p, u, d }' $T/trace > /tmp/hp.ev
# one event per block, nr_pages the block; with memmap_on_memory two, its
# memmap's pages and the rest
epb=$([ "$vm" = 0 ] && echo 1 || echo 2)
for mode in $(modes); do
	ev=$(awk -v m="$mode" '$2 == m' /tmp/hp.ev | wc -l)
	bad=$(awk -v m="$mode" -v p="$block_pages" -v v="$vm" '$2 == m && !(v == 0 && $3 == p || v > 0 && ($3 == v || $3 == p - v))' /tmp/hp.ev | wc -l)
	wrong=$(awk -v m="$mode" '$2 == m { print $4 }' /tmp/hp.ev | while read -r u; do mode_ok "$mode" "$u" || echo "$u"; done | wc -l)
	if [ "$ev" = $((nb * rounds * epb)) ] && [ "$bad" = 0 ] && [ "$wrong" = 0 ]; then
		t_ok "hotplug.$mode.events"
	else
		t_fail "hotplug.$mode.events" "$ev events for $((nb * rounds)) block onlines ($epb each), $bad not nr_pages=$block_pages (memmap on memory: $vm), $wrong not mode $mode"
	fi
	awk -v m="$mode" '$2 == m { print $5 }' /tmp/hp.ev | while read -r ns; do
		sample hotplug-online "$params" "$mode" online_tp_ns ns "$ns"
	done
done
while read -r m ns; do
	sample hotplug-online "$params" "$m" online_wall_ns ns "$ns"
done < /tmp/hp.walls

# The selftest onlines what is offline, offlines 10% of the removable blocks
# and onlines them again, then makes the memory notifier fail onlines and
# offlines (memory-notifier-error-inject, built by the harness config) and
# checks that they fail cleanly and can be redone.
set_mode "$(modes | awk '{ print $NF }')"	# auto, the default
bash "${MEM_ON_OFF:-/usr/bin/mem-on-off-test.sh}" -r 10 > /tmp/moot.out 2>&1; rc=$?
sed 's/^/  mem-on-off: /' /tmp/moot.out | tail -n 20
[ $rc = 0 ] && t_ok hotplug.selftest.mem-on-off-test ||
	t_fail hotplug.selftest.mem-on-off-test "exit $rc: $(grep -m1 -E 'FAIL|unexpected' /tmp/moot.out)"
if grep -q 'skip extra tests' /tmp/moot.out; then
	t_fail hotplug.selftest.notifier-error-inject "$(grep -m1 'skip extra tests' /tmp/moot.out): the harness config builds it"
else
	t_ok hotplug.selftest.notifier-error-inject
fi
