# Stress and faults (issue 9), in one guest: rebinds, test_hmm cycles,
# hotplug loops under memory pressure, onlining made to fail part-way, the
# run-time switch written while binds and onlines run, and device-private
# registrations (the parallel path) while a CPU goes offline and online.
# After each part: slab and every zone's managed count back where they
# started; free memory is snapshotted every few operations, for the
# host's least-squares slope in pages per operation (a leak is a slope, a
# cache filled once a step: scripts/stress-report.py). Any splat fails the
# boot.
. "${MMT:-/mmt}"/lib.sh
. "${MMT:-/mmt}"/pmem.sh
MEMDIR=/sys/devices/system/memory

# managed pages per zone, slab kB, MemFree kB, and free pages: the buddy
# allocator's plus those on the per-CPU lists (counted, so that pages a
# free left there are not taken for lost)
state() {
	sync; echo 3 > /proc/sys/vm/drop_caches
	awk '/^Node/ { z = $2 $4 } $1 == "managed" { printf "%s=%s ", z, $2 }
	     $1 == "count:" { pcp += $2 } END { printf "pcp=%d ", pcp }' /proc/zoneinfo
	awk '$1 == "nr_free_pages" { printf "buddy=%d ", $2 }' /proc/vmstat
	awk '/^Slab:/ { s = $2 } /^MemFree:/ { f = $2 } END { printf "slab=%d free=%d\n", s, f }' /proc/meminfo
}
# snap PHASE OPS: the state into S, and an MMT-STATE line for the host's
# slope and figures (scripts/stress-report.py): OPS operations done so far
snap() { S=$(state); echo "MMT-STATE $1 $2 $S"; }
# same_state NAME BEFORE OPS: after OPS operations, managed is BEFORE's
# exactly and slab within 2 MiB; free memory is judged by its slope on
# the host
same_state() {
	snap "$1" "$3"; after=$S
	if echo "$2 $after" | awk '{
		n = NF / 2
		for (i = 1; i <= n; i++) { split($i, b, "="); split($(i + n), a, "=")
			if (b[1] != a[1]) exit 1
			if (b[1] == "slab") { if (a[2] - b[2] > 2048 || b[2] - a[2] > 2048) exit 1 }
			else if (b[1] == "free" || b[1] == "buddy" || b[1] == "pcp") continue
			else if (a[2] != b[2]) exit 1 }
		}'; then
		t_ok "stress.$1.state-restored"
	else
		t_fail "stress.$1.state-restored" "before: $2; after: $after"
	fi
}

# owner_snap PHASE WHEN: pages allocated now, by allocation stack
# (page_owner, booted with page_owner=on): "PAGES frame;frame;..." lines,
# the page allocator's own frames left out, into /tmp/owner.PHASE.WHEN.
# owner_diff PHASE BEFORE AFTER: the stacks that hold more pages, or fewer, after the phase than before, as
# MMT-OWNER lines for the host (scripts/stress-report.py).
# page_owner's read() fails with ENOMEM when a record does not fit the
# count asked for (busybox awk reads in small pieces): read it a page at
# a time with dd.
PAGE_OWNER=/sys/kernel/debug/page_owner
owner_snap() {
	[ -r $PAGE_OWNER ] || { t_fail "stress.$1.page-owner" "no $PAGE_OWNER (page_owner=on?)"; return 0; }
	{ dd if=$PAGE_OWNER bs=4096 2>/dev/null || echo MMT-READ-FAILED; } |
	awk '/^MMT-READ-FAILED/ { bad = 1 }
	     /^Page allocated via order/ { o = $5; sub(",", "", o); for (pages = 1; o > 0; o--) pages *= 2; st = ""; n = 0; rec = 1; next }
	     rec && /^ / { f = $1; sub(/\+0x.*/, "", f)
		if (f ~ /stack_trace|page_owner|alloc_hook|prep_new_page|get_page_from_freelist|alloc_pages|alloc_frozen|folio_alloc|__alloc/) next
		if (n++ < 6) st = st ";" f; next }
	     rec && /^$/ { held[st] += pages; rec = 0 }
	     END { if (bad) exit 1; for (k in held) print held[k], k }' > "/tmp/owner.$1.$2" ||
		t_fail "stress.$1.page-owner" "reading $PAGE_OWNER failed"
}
owner_diff() {
	[ -s "$2" ] && [ -s "$3" ] || { t_fail "stress.$1.page-owner" "no page_owner snapshot to compare"; return 0; }
	awk 'NR == FNR { b[$2] = $1; next } { d = $1 - b[$2]; delete b[$2]; if (d) print d, $2 }
	     END { for (k in b) print -b[k], k }' "$2" "$3" | sort -n > /tmp/owner.diff
	awk -v p="$1" '{ t += $1 } END { printf "MMT-OWNER %s total %+d pages\n", p, t }' /tmp/owner.diff
	{ head -n 5 /tmp/owner.diff; tail -n 10 /tmp/owner.diff; } | sort -n -u |
		awk -v p="$1" '{ printf "MMT-OWNER %s %+d %s\n", p, $1, $2 }'
}

# slab_snap PHASE WHEN: per slab cache, its pages and the kB its objects
# in use take (/proc/slabinfo), into /tmp/slab.PHASE.WHEN. slab_diff PHASE
# BEFORE AFTER: the caches whose pages changed most, as MMT-SLAB lines
# (PHASE CACHE +PAGES pages +KB kB in use) for the host.
slab_snap() {
	awk 'NR > 2 { print $1, $15 * $6, int($2 * $4 / 1024) }' /proc/slabinfo > "/tmp/slab.$1.$2"
}
slab_diff() {
	awk 'NR == FNR { p[$1] = $2; k[$1] = $3; next }
	     { d = $2 - p[$1]; if (d) printf "%d %s %+d %+d\n", d < 0 ? -d : d, $1, d, $3 - k[$1] }' "$2" "$3" |
		sort -rn | head -n 8 | awk -v p="$1" '{ printf "MMT-SLAB %s %s %s pages %s kB in use\n", p, $2, $3, $4 }'
}

# 200 rebinds of fsdax and devdax (50 rounds x 4 modes), data checked every
# 5 rounds (20 binds); a snapshot before the first rebind and every 20
# rebinds, so that the slope tells a per-rebind leak from caches filled
# once (a step). t_check keeps the series' output, so the snapshots wait in
# a file. Each configuration is a phase of its own (pmem-fsdax,
# pmem-devdax), OPS its rebinds. Both keep the memmap on the device
# (map=dev); the raw namespace before and after (phase pmem-raw) maps its
# pages with the memmap in RAM, 8 GiB of pmem: 128 MiB more in use, so its
# two snapshots are compared with each other, not fitted.
pmem_snap() {
	[ $(($2 % 5)) != 0 ] || snap "pmem-$1" $(($2 * 4)) >> /tmp/pmem.snaps
}
modprobe dax_pmem
# series_start grows the trace buffers to 16 MiB a CPU: grown before the
# first snapshot and shrunk after the last, so that every snapshot has
# them (else they would show as memory lost, then found)
tbuf=$(cut -d' ' -f1 $T/buffer_size_kb)
echo 16384 > $T/buffer_size_kb
snap pmem-raw 0; before=$S
owner_snap pmem 0
slab_snap pmem 0
: > /tmp/pmem.snaps
pmem_done=0
for cfg in "fsdax dev 4K" "devdax dev 2M"; do
	set -- $cfg
	PMEM_CHECK_EVERY=5 PMEM_AT_CHECK="pmem_snap $1" t_check "stress.pmem.$1.200-rebinds" pmem_series "$1" "$2" "$3" 50 64
	cat /tmp/pmem.snaps; : > /tmp/pmem.snaps
	pmem_done=$((pmem_done + 200))
done
same_state pmem-raw "$before" $pmem_done
owner_snap pmem 1
owner_diff pmem /tmp/owner.pmem.0 /tmp/owner.pmem.1
slab_snap pmem 1
slab_diff pmem /tmp/slab.pmem.0 /tmp/slab.pmem.1
rm -f /tmp/owner.pmem.* /tmp/owner.diff /tmp/slab.pmem.*
echo "$tbuf" > $T/buffer_size_kb

# knob_race: the run-time switch cycles through every mode in the
# background until $knob is killed
knob_race() {
	( while :; do for m in off cached nt auto; do echo $m > $MODE_KNOB; done; done ) &
	knob=$!
}

# 100 test_hmm load/unload cycles, the run-time switch cycling meanwhile
snap hmm 0; before=$S
knob_race
i=0 bad=0
while [ $i -lt 100 ]; do
	modprobe test_hmm && rmmod test_hmm || bad=$((bad + 1))
	i=$((i + 1))
	[ $((i % 10)) != 0 ] || snap hmm "$i"
done
kill $knob; wait $knob 2>/dev/null
[ $bad = 0 ] && t_ok stress.hmm.100-cycles-switch-racing || t_fail stress.hmm.100-cycles-switch-racing "$bad of 100 cycles failed"
same_state hmm "$before" 100

# memory hotplug: online/offline loops under memory pressure, the switch racing
blocks=$(for m in $MEMDIR/memory*; do grep -q offline $m/state && echo ${m##*/memory}; done | tr '\n' ' ')
if [ -z "$blocks" ]; then
	t_fail stress.hotplug "no offline memory block: the pc-dimms did not arrive"
else
	set_state() { for b in $blocks; do echo "$1" > $MEMDIR/memory$b/state || return 1; done; }
	# memhog's 512 MiB come and go as it runs: each snapshot is taken
	# with it ended (and the switch still), then both start again
	snap hotplug 0; before=$S
	memhog 512 & hog=$!
	knob_race
	i=0 bad=0
	while [ $i -lt 20 ]; do
		set_state online_movable && set_state offline || bad=$((bad + 1))
		i=$((i + 1))
		[ $((i % 2)) != 0 ] || [ $i = 20 ] || {
			kill $hog $knob; wait $hog $knob 2>/dev/null
			snap hotplug "$i"
			memhog 512 & hog=$!
			knob_race
		}
	done
	kill $hog $knob; wait $hog $knob 2>/dev/null
	[ $bad = 0 ] && t_ok stress.hotplug.20-loops-under-pressure || t_fail stress.hotplug.20-loops-under-pressure "$bad of 20 loops failed"
	same_state hotplug "$before" 20

	# onlining made to fail part-way: the memory notifier refuses to online
	if modprobe memory-notifier-error-inject 2>/dev/null; then
		inj=/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_ONLINE/error
		# three rounds of the four modes: twelve operations for the slope
		snap hotplug-fail 0; before=$S
		k=0
		for m in off cached nt auto off cached nt auto off cached nt auto; do
			echo $m > $MODE_KNOB
			echo -12 > $inj
			ok=0 n=0
			for b in $blocks; do
				n=$((n + 1))
				# every other block fails: the others online
				[ $((n % 2)) = 0 ] && echo 0 > $inj || echo -12 > $inj
				echo online_movable > $MEMDIR/memory$b/state 2>/dev/null && ok=$((ok + 1))
			done
			echo 0 > $inj
			t="stress.hotplug.fail-part-way.$m.round$((k / 4 + 1))"
			[ $ok = $((n / 2)) ] && t_ok "$t" || t_fail "$t" "$ok of $n blocks onlined, expected $((n / 2))"
			# offline what onlined (writing offline to an offline
			# block is -EINVAL, so not set_state), then check all
			for b in $blocks; do
				grep -q '^online' $MEMDIR/memory$b/state || continue
				out=$(echo offline 2>&1 > $MEMDIR/memory$b/state) ||
					t_fail "$t" "block $b did not offline: $out"
			done
			for b in $blocks; do
				grep -q offline $MEMDIR/memory$b/state || t_fail "$t" "block $b not offline again"
			done
			k=$((k + 1))
			[ $k = 12 ] || snap hotplug-fail $k
		done
		rmmod memory-notifier-error-inject
		same_state hotplug-fail "$before" 12
	else
		t_fail stress.hotplug.fail-part-way "no memory-notifier-error-inject module"
	fi
fi

# device-private registrations on the parallel path (4 GiB: two chunks)
# while CPU 1 goes offline and online
ko=${GPU_KO:-/lib/modules/gpu_register.ko}
cpu1=/sys/devices/system/cpu/cpu1/online
if [ -f $ko ] && [ -w $cpu1 ]; then
	snap gpu 0; before=$S
	( while :; do echo 0 > $cpu1; echo 1 > $cpu1; done ) & flip=$!
	i=0 bad=0
	while [ $i -lt 20 ]; do
		echo "$(echo off cached nt auto | cut -d' ' -f$((i % 4 + 1)))" > $MODE_KNOB
		insmod $ko size_mib=4096 loops=1 && rmmod gpu_register || bad=$((bad + 1))
		i=$((i + 1))
		# each snapshot with both CPUs online and still (what a CPU's
		# going offline drains and its coming online refills moves
		# thousands of pages), then the flipping starts again
		[ $((i % 4)) != 0 ] || [ $i = 20 ] || {
			kill $flip; wait $flip 2>/dev/null; echo 1 > $cpu1
			snap gpu "$i"
			( while :; do echo 0 > $cpu1; echo 1 > $cpu1; done ) & flip=$!
		}
	done
	kill $flip; wait $flip 2>/dev/null
	echo 1 > $cpu1
	[ $bad = 0 ] && t_ok stress.gpu.20-registrations-cpu-hotplug-racing ||
		t_fail stress.gpu.20-registrations-cpu-hotplug-racing "$bad of 20 registrations failed"
	same_state gpu "$before" 20
else
	t_fail stress.gpu "no $ko or no CPU 1 to take offline"
fi
echo auto > $MODE_KNOB
