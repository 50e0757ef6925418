. "${MMT:-/mmt}"/lib.sh
MEMDIR=/sys/devices/system/memory
blocks=$(for m in $MEMDIR/memory*; do grep -q offline $m/state && echo ${m##*/memory}; done | tr '\n' ' ')
modprobe memory-notifier-error-inject
inj=/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_ONLINE/error
st() { sync; echo 3 > /proc/sys/vm/drop_caches; awk '$1 == "count:" { p += $2 } END { printf "%d ", p }' /proc/zoneinfo; awk '$1 == "nr_free_pages" { print $2 }' /proc/vmstat; }
# (a one-off follow-up of make stress, run as mmt.run=hotplug-fail-by-mode
# from scripts/guest/ in a guest of 4 GiB with two 1 GiB pc-dimms)
for m in off nt off nt; do
	echo $m > $MODE_KNOB
	for k in 0 1 2 3 4 5 6 7 8 9 10 11 12; do
		echo "DBG $m $k $(st)"
		n=0
		for b in $blocks; do n=$((n + 1)); [ $((n % 2)) = 0 ] && echo 0 > $inj || echo -12 > $inj
			echo online_movable > $MEMDIR/memory$b/state 2>/dev/null; done
		echo 0 > $inj
		for b in $blocks; do grep -q '^online' $MEMDIR/memory$b/state && echo offline > $MEMDIR/memory$b/state; done
	done
done
