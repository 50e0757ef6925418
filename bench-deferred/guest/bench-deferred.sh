# Benchmark: per-node deferred struct page init at boot. The pgdatinitN
# kthread runs deferred_init_memmap() (an __init function: no ftrace, and boot
# kprobes arrive too late), so it is timed from the sched_wakeup that starts
# it to its sched_process_exit, from the boot-time trace buffer
# (trace_event=, traceoff_after_boot). Trace timestamps: 1 us resolution.
. /mmt/lib.sh
params="{\"mem_gib\":$(arg mem 0),\"nodes\":$(arg nodes 1)}"
# Deferred init has no memmap template user yet: it is the slow path here.
mode=slowpath
awk '{ for (i = 2; i <= NF; i++)
		if ($i == "sched_wakeup:" || $i == "sched_process_exit:") {
			c = $(i + 1); if (c !~ /^comm=pgdatinit/) next
			sub("comm=pgdatinit", "", c); t = $(i - 1); sub(":", "", t); split(t, a, ".")
			ns = a[1] * 1000000000 + a[2] * 1000
			if ($i == "sched_wakeup:" && !(c in w)) w[c] = ns
			if ($i == "sched_process_exit:") x[c] = ns
		} }
	END { for (c in x) if (c in w) print c, x[c] - w[c] }' $T/trace > /tmp/deferred.ns
[ -s /tmp/deferred.ns ] || { t_fail bench.deferred "no pgdatinit start/exit pair in the boot trace"; exit 0; }
while read -r node ns; do
	sample deferred-init "$params" "$mode" "node${node}_ns" ns "$ns"
done < /tmp/deferred.ns
