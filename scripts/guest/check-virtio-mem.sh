# virtio-mem, a real hotplug driver (boot.sh VMEM=): it installs its own
# online callback, so its blocks are onlined page by page, never born free
# (online_pages_born_free() is for generic_online_page() only), while their
# memmap is still initialised from a template. In rounds of one plug per
# mode, modes interleaved: ask the host for PLUG bytes (the
# MMT-VMEM-REQUEST line: scripts/vmem-host.py sets requested-size), wait
# for the driver to add them and the kernel to online them
# (memhp_default_state=online_movable), then ask for 0 and wait for the
# driver to offline and remove them. Checked: MemTotal up by PLUG and back,
# one memmap:memmap_init "hotplug" event of the mode asked for per block,
# every onlined page through the driver's callback (a kprobe), and, after
# the rounds, every zone's managed pages exactly as before them (after a
# warm-up cycle) and free pages (the buddy allocator's and the per-CPU
# lists', caches dropped) within 2 MiB: 2 MiB over 8 cycles, a leak of 64
# pages a cycle fails. With memory_hotplug.memmap_on_memory=1 the tests are named
# virtio-mem.memmap-on-memory.*: 7.2's virtio-mem adds its memory without
# MHP_MEMMAP_ON_MEMORY, so each block's memmap stays in RAM and MemTotal
# grows by all of PLUG there too.
. "${MMT:-/mmt}"/lib.sh
MEMDIR=/sys/devices/system/memory
p=virtio-mem
if grep -q 'memory_hotplug.memmap_on_memory=1' /proc/cmdline; then
	p=virtio-mem.memmap-on-memory
	[ "$(cat /sys/module/memory_hotplug/parameters/memmap_on_memory 2>/dev/null)" = Y ] &&
		t_ok $p.parameter ||
		t_fail $p.parameter "asked on the command line, parameter reads '$(cat /sys/module/memory_hotplug/parameters/memmap_on_memory 2>&1)'"
fi
if ! ls -d /sys/bus/virtio/drivers/virtio_mem/virtio* >/dev/null 2>&1; then
	t_fail $p.device "no device bound to the virtio_mem driver (QEMU's virtio-mem-pci, boot.sh VMEM=)"
	exit 0
fi
t_ok $p.device
bs=$(( $(cat $MEMDIR/block_size_bytes | sed 's/^/0x/') ))
block_pages=$((bs / 4096))
plug=$(arg vmem_plug_mib 1024)
nb=$((plug * 1048576 / bs))
memtotal() { awk '/^MemTotal:/ { print $2 }' /proc/meminfo; }
# state: managed pages of every zone, then free pages (buddy + per-CPU)
state() {
	sync; echo 3 > /proc/sys/vm/drop_caches
	awk '/^Node/ { z = $2 $4 } $1 == "managed" { printf "%s=%s ", z, $2 }
	     $1 == "count:" { pcp += $2 } END { printf "%d", pcp }' /proc/zoneinfo |
		awk -v b="$(awk '$1 == "nr_free_pages" { print $2 }' /proc/vmstat)" '{ pcp = $NF; $NF = ""; printf "%sfree=%d\n", $0, b + pcp }'
}
# /tmp/vmreq.sh BYTES KB: ask the host for BYTES plugged, wait (120 s)
# until MemTotal reads KB; fails saying what it reads instead. A script,
# so that wall can time it.
cat > /tmp/vmreq.sh <<'REQ'
echo "MMT-VMEM-REQUEST $1" > /dev/console
n=0
while [ "$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)" != "$2" ]; do
	n=$((n + 1))
	[ $n -le 1200 ] || { echo "MemTotal $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) kB after 120 s, waiting for $2 kB"; exit 1; }
	sleep 0.1
done
REQ
base=$(memtotal)
params="{\"plug_mib\":$plug,\"block_mib\":$((bs >> 20))}"
: > /tmp/vm.walls
# series_start grows the trace buffers (16 MiB a CPU): the state before is
# taken after it, as the state after is
series_start -
# the driver's online callback, probed: every page onlined must pass it
# (a range born free would reach the buddy allocator behind its back)
echo 'p:mmt_vmcb virtio_mem_online_page_cb order=%si:u32' >> $T/kprobe_events &&
	echo 1 > $T/events/kprobes/mmt_vmcb/enable || t_fail "$p.callback-probe" "cannot probe virtio_mem_online_page_cb"
# A warm-up plug and unplug first, tested, not counted: what the first
# cycle allocates once (the driver's block state arrays, sysfs, code
# translated under TCG) is not what the rounds must give back.
sh /tmp/vmreq.sh $((plug * 1048576)) $((base + plug * 1024)) > /tmp/vm.out 2>&1 && t_ok "$p.warmup.plug" ||
	t_fail "$p.warmup.plug" "$(grep -v MMT-VMEM /tmp/vm.out | tail -n 1)"
sh /tmp/vmreq.sh 0 "$base" > /tmp/vm.out 2>&1 && t_ok "$p.warmup.unplug" ||
	t_fail "$p.warmup.unplug" "$(grep -v MMT-VMEM /tmp/vm.out | tail -n 1)"
before=$(state)
rounds=$(arg vmem_rounds 2)
round=1
while [ $round -le "$rounds" ]; do
	for mode in $(modes); do
		tn="$p.$mode.round$round"
		series_op "$mode" plug
		if wall vmplug sh /tmp/vmreq.sh $((plug * 1048576)) $((base + plug * 1024)) > /tmp/vm.out 2>&1; then
			t_ok "$tn.plug"
			echo "$mode $(cat /tmp/vmplug.wall)" >> /tmp/vm.walls
		else
			t_fail "$tn.plug" "$(grep -v MMT-VMEM /tmp/vm.out | tail -n 1)"
		fi
		sh /tmp/vmreq.sh 0 "$base" > /tmp/vm.out 2>&1 && t_ok "$tn.unplug" ||
			t_fail "$tn.unplug" "$(grep -v MMT-VMEM /tmp/vm.out | tail -n 1)"
	done
	round=$((round + 1))
done
series_stop
echo 0 > $T/events/kprobes/mmt_vmcb/enable 2>/dev/null
# pages each mode's plugs passed to the driver's callback
awk '/MMT-OP / { for (i = 1; i <= NF; i++) if ($i == "MMT-OP") m = $(i + 1) }
	/mmt_vmcb:/ { for (i = 1; i <= NF; i++) if ($i ~ /^order=/) { o = substr($i, 7); n = 1; while (o-- > 0) n *= 2; cb[m] += n } }
	END { for (k in cb) print k, cb[k] }' $T/trace > /tmp/vm.cb
awk '/MMT-OP / { for (i = 1; i <= NF; i++) if ($i == "MMT-OP") m = $(i + 1) }
	/memmap_init: kind=hotplug/ { p = u = d = ""
		for (i = 1; i <= NF; i++) { if ($i ~ /^nr_pages=/) p = substr($i, 10)
			if ($i ~ /^mode=/) u = substr($i, 6); if ($i ~ /^ns=/) d = substr($i, 4) }
		print m, p, u, d }' $T/trace > /tmp/vm.ev
for mode in $(modes); do
	ev=$(awk -v m="$mode" '$1 == m' /tmp/vm.ev | wc -l)
	bad=$(awk -v m="$mode" -v p="$block_pages" '$1 == m && $2 != p' /tmp/vm.ev | wc -l)
	wrong=$(awk -v m="$mode" '$1 == m { print $3 }' /tmp/vm.ev | while read -r u; do mode_ok "$mode" "$u" || echo "$u"; done | wc -l)
	if [ "$ev" = $((nb * rounds)) ] && [ "$bad" = 0 ] && [ "$wrong" = 0 ]; then
		t_ok "$p.$mode.events"
	else
		t_fail "$p.$mode.events" "$ev events for $((nb * rounds)) block onlines, $bad not nr_pages=$block_pages, $wrong not mode $mode"
	fi
	cb=$(awk -v m="$mode" '$1 == m { print $2 }' /tmp/vm.cb)
	[ "${cb:-0}" = $((nb * block_pages * rounds)) ] && t_ok "$p.$mode.driver-callback" ||
		t_fail "$p.$mode.driver-callback" "${cb:-0} pages through virtio_mem_online_page_cb, $((nb * block_pages * rounds)) onlined"
	awk -v m="$mode" '$1 == m { print $4 }' /tmp/vm.ev | while read -r ns; do
		sample virtio-mem-plug "$params" "$mode" online_tp_ns ns "$ns"
	done
done
while read -r m ns; do
	sample virtio-mem-plug "$params" "$m" plug_wall_ns ns "$ns"
done < /tmp/vm.walls
after=$(state)
if [ "${before% free=*}" = "${after% free=*}" ]; then
	t_ok "$p.managed-restored"
else
	t_fail "$p.managed-restored" "before: ${before% free=*}; after: ${after% free=*}"
fi
d=$(( ${after##*free=} - ${before##*free=} ))
echo "MMT-NOTE $p free pages before ${before##*free=}, after ${after##*free=} ($d)"
[ $d -gt -512 ] && [ $d -lt 512 ] && t_ok "$p.free-restored" ||
	t_fail "$p.free-restored" "free pages $d after the rounds (less than 512, 2 MiB, either way)"
