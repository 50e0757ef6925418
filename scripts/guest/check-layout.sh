# The page state memmap init leaves, for the host's comparison of boots of
# the same kernel with different memmap_template= (scripts/compare-layout.py):
# zones (present, managed, spanned, free), buddy and pagetype counts, free
# pages, runs of the init-determined /proc/kpageflags bits, and the mode each
# path reported (memmap:memmap_init events kind=early and kind=deferred in the
# boot trace).
. "${MMT:-/mmt}"/lib.sh
awk '/^Node/ { node = $2; sub(",", "", node); zone = $4 }
	$1 == "pages" && $2 == "free" { print "MMT-ZONE", node, zone, "free", $3 }
	$1 == "spanned" || $1 == "present" || $1 == "managed" { print "MMT-ZONE", node, zone, $1, $2 }
	$1 == "start_pfn:" { print "MMT-ZONE", node, zone, "start_pfn", $2 }' /proc/zoneinfo
sed 's/,//g; s/^/MMT-BUDDY /' /proc/buddyinfo | tr -s ' '
grep -E '^Node' /proc/pagetypeinfo | sed 's/,//g; s/^/MMT-PTI /' | tr -s ' '
grep -E '^nr_free_pages ' /proc/vmstat | sed 's/^/MMT-VMSTAT /'
if kpfruns; then t_ok layout.kpageflags; else t_fail layout.kpageflags "kpfruns failed"; fi
grep -o 'memmap_init: kind=early.*' $T/trace 2>/dev/null |
	sed -n 's/.* nr_pages=\([0-9]*\) mode=\([a-z]*\) .*/MMT-EARLY \1 \2/p'
grep -o 'memmap_init: kind=deferred.*' $T/trace 2>/dev/null | sed 's/^memmap_init: /MMT-DEFERRED /'
# the mode asked for, as the knob shows it: all a kernel without tracepoints
# reports (compare-layout.py --no-trace)
[ -r $MODE_KNOB ] && echo "MMT-KNOB $(cat $MODE_KNOB)"
echo "MMT-LAYOUT-END"
