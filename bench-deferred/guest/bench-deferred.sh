# Benchmark: per-node deferred struct page init and early memmap init at
# boot, in the mode the command line asked for (memmap_template=).
# Deferred: the memmap:memmap_init "deferred" event (sched_clock ns around
# the node's padata work; trace_event=memmap:memmap_init in the boot trace),
# checked against two independent clocks: the pgdatinitN kthread's life from
# sched_wakeup to sched_process_exit (trace clock, 1 us resolution) and the
# kernel's own "node N deferred pages initialised in Xms" line (jiffies).
# End to end: boot to init (/proc/uptime when init starts).
# Early: the memmap:memmap_init kind=early event, which page_alloc_init_late()
# emits for early init (sched_clock ns; it ran before tracing existed).
. "${MMT:-/mmt}"/lib.sh
mem=$(arg mem 0) nodes=$(arg nodes 1)
want=$(sed -n 's/.*memmap_template=\([a-z]*\).*/\1/p' /proc/cmdline)
params="{\"mem_gib\":$mem,\"nodes\":$nodes}"

grep -o 'memmap_init: kind=deferred.*' $T/trace > /tmp/deferred.ev || true
[ -s /tmp/deferred.ev ] || { t_fail bench.deferred "no memmap:memmap_init deferred event in the boot trace"; exit 0; }
[ "$(wc -l < /tmp/deferred.ev)" = "$nodes" ] ||
	t_fail bench.deferred.events "$(wc -l < /tmp/deferred.ev) deferred events for $nodes nodes"
while read -r _ kind nid start nr mode ns; do
	mode=${mode#mode=}
	[ -z "$want" ] || mode_ok "$want" "$mode" || t_fail bench.deferred.mode "asked for $want, the kernel used $mode"
	sample deferred-init "$params" "${want:-$mode}" "node${nid#nid=}_tp_ns" ns "${ns#ns=}"
	sample deferred-init "$params" "${want:-$mode}" "node${nid#nid=}_pages" pages "${nr#nr_pages=}"
done < /tmp/deferred.ev
awk '{ for (i = 2; i <= NF; i++)
		if ($i == "sched_wakeup:" || $i == "sched_process_exit:") {
			c = $(i + 1); if (c !~ /^comm=pgdatinit/) next
			sub("comm=pgdatinit", "", c); t = $(i - 1); sub(":", "", t); split(t, a, ".")
			ns = a[1] * 1000000000 + a[2] * 1000
			if ($i == "sched_wakeup:" && !(c in w)) w[c] = ns
			if ($i == "sched_process_exit:") x[c] = ns
		} }
	END { for (c in x) if (c in w) printf "%s %.0f\n", c, x[c] - w[c] }' $T/trace > /tmp/thread.ns
emode=${want:-$(sed -n 's/.*mode=\([a-z]*\).*/\1/p' /tmp/deferred.ev | head -n 1)}
while read -r node ns; do
	sample deferred-init "$params" "$emode" "node${node}_thread_ns" ns "$ns"
done < /tmp/thread.ns
grep -o 'memmap_init: kind=early.*' $T/trace |
	sed -n 's/.* nr_pages=\([0-9]*\) mode=\([a-z]*\) ns=\([0-9]*\).*/\1 \3 \2/p' |
while read -r pages ns mode; do
	[ -z "$want" ] || mode_ok "$want" "$mode" || t_fail bench.early.mode "asked for $want, the kernel used $mode"
	# ns=0: sched_clock() was not running yet (arm64; x86 before its TSC
	# calibration): untimed, not a sample of 0
	if [ "$ns" = 0 ]; then
		echo "MMT-NOTE early init of $pages pages ran before sched_clock(): untimed"
	else
		sample early-init "$params" "${want:-$mode}" early_ns ns "$ns"
	fi
	sample early-init "$params" "${want:-$mode}" early_pages pages "$pages"
done
dmesg | sed -n 's/.*node \([0-9]*\) deferred pages initialised in \([0-9]*\)ms.*/\1 \2/p' |
while read -r node ms; do
	sample deferred-init "$params" "$emode" "node${node}_kernel_ns" ns "$((ms * 1000000))"
done
# boot to init: /proc/uptime as init started (10 ms resolution); %.0f, not
# %d: busybox awk's %d wraps at 2^31 ns, and boots take longer than 2.1 s
sample boot "$params" "$emode" boot_to_init_ns ns "$(awk '{ printf "%.0f", $1 * 1e9 }' /tmp/init-uptime)"
