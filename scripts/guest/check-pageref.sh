# Guest script: how many page_ref:page_ref_set events the boot emitted
# (trace_event=page_ref:page_ref_set traceoff_after_boot on the command
# line). Memmap init sets every struct page's refcount; with that tracepoint
# on, the templates must take the slow path so that each set is traced, and
# a boot with memmap_template=nt emits as many as one with off (compared on
# the host by scripts/compare-count.py). Counted from the ring buffer's
# per-CPU statistics: entries still held plus those overwritten.
. "${MMT:-/mmt}"/lib.sh
ev=$T/events/page_ref/page_ref_set/enable
if [ "$(cat $ev 2>/dev/null)" != 1 ]; then
	t_fail pageref.enabled "page_ref_set is not enabled (CONFIG_DEBUG_PAGE_REF and trace_event=page_ref:page_ref_set?)"
	exit 0
fi
t_ok pageref.enabled
# the only event enabled: every entry is a page_ref_set
others=$(grep -lx 1 $T/events/*/*/enable 2>/dev/null | grep -vc page_ref_set)
if [ "$others" = 0 ]; then t_ok pageref.only-event
else t_fail pageref.only-event "$others other events enabled: the count would mix them"; fi
n=$(cat $T/per_cpu/cpu*/stats | awk '$1 == "entries:" || $1 == "overrun:" { n += $2 } END { print n + 0 }')
echo "MMT-COUNT page_ref_set $n"
