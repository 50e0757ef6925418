# Benchmark: per-node deferred struct page init and early memmap init at
# boot, in the mode the command line asked for (memmap_template=).
# Deferred: the memmap:memmap_init "deferred" event (the kernel's ktime ns
# around the node's padata work; trace_event=memmap:memmap_init in the boot
# trace) and, as before the series had a tracepoint, the pgdatinitN
# kthread's life from sched_wakeup to sched_process_exit (1 us resolution).
# Early: the kernel's "memmap_init: N pages initialised early in T ns" line
# (sched_clock; it runs before tracing exists).
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
	[ -z "$want" ] || [ "$mode" = "$want" ] || t_fail bench.deferred.mode "asked for $want, the kernel used $mode"
	sample deferred-init "$params" "$mode" "node${nid#nid=}_tp_ns" ns "${ns#ns=}"
	sample deferred-init "$params" "$mode" "node${nid#nid=}_pages" pages "${nr#nr_pages=}"
done < /tmp/deferred.ev
awk '{ for (i = 2; i <= NF; i++)
		if ($i == "sched_wakeup:" || $i == "sched_process_exit:") {
			c = $(i + 1); if (c !~ /^comm=pgdatinit/) next
			sub("comm=pgdatinit", "", c); t = $(i - 1); sub(":", "", t); split(t, a, ".")
			ns = a[1] * 1000000000 + a[2] * 1000
			if ($i == "sched_wakeup:" && !(c in w)) w[c] = ns
			if ($i == "sched_process_exit:") x[c] = ns
		} }
	END { for (c in x) if (c in w) print c, x[c] - w[c] }' $T/trace > /tmp/thread.ns
emode=$(sed -n 's/.*mode=\([a-z]*\).*/\1/p' /tmp/deferred.ev | head -n 1)
while read -r node ns; do
	sample deferred-init "$params" "$emode" "node${node}_thread_ns" ns "$ns"
done < /tmp/thread.ns
dmesg | sed -n 's/.*memmap_init: \([0-9]*\) pages initialised early in \([0-9]*\) ns (memmap_template=\([a-z]*\)).*/\1 \2 \3/p' |
while read -r pages ns mode; do
	[ -z "$want" ] || [ "$mode" = "$want" ] || t_fail bench.early.mode "asked for $want, the kernel used $mode"
	sample early-init "$params" "$mode" early_ns ns "$ns"
	sample early-init "$params" "$mode" early_pages pages "$pages"
done
