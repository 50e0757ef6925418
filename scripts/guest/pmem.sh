# shellcheck shell=sh
# Legacy pmem namespace0.0 as fsdax or devdax, for the check and the bench.
#   pmem_create MODE MAP ALIGN   (re)create namespace0.0: its first bind
#   $PMEM_REBIND                 disable + enable it: one rebind (sh -c)
#   pmem_dev MODE                its block or dax device
#   pmem_raw                     put it back to raw
#   pmem_pages                   its size in pages (from the last create)
pmem_create() {
	ndctl create-namespace -f -e namespace0.0 -m raw >/dev/null 2>&1
	ndctl create-namespace -f -e namespace0.0 -m "$1" --map="$2" --align="$3" >/tmp/ns.json
}
PMEM_REBIND='ndctl disable-namespace namespace0.0 >/dev/null && ndctl enable-namespace namespace0.0 >/dev/null'
pmem_dev() { case $1 in fsdax) echo /dev/pmem0 ;; devdax) echo /dev/dax0.0 ;; esac; }
pmem_raw() { ndctl create-namespace -f -e namespace0.0 -m raw >/dev/null 2>&1; }
pmem_pages() { sed -n 's/.*"size":\([0-9]*\).*/\1/p' /tmp/ns.json | head -n 1 | awk '{ print int($1 / 4096) }'; }

# pmem_series MODE MAP ALIGN REBINDS MIB: a series on one configuration:
# every mode's first bind (a create), a MIB-MiB pattern written, REBINDS
# rounds of one rebind per mode, modes interleaved, the pattern checked
# every PMEM_CHECK_EVERY [10] rounds and at the end (then PMEM_AT_CHECK
# ROUND runs, if set, and once with ROUND 0 before the first rebind, the
# pattern written); each bind with every
# CPU cap of PMEM_CAPS. Each rebind's wall time (ndctl disable +
# enable) goes to /tmp/pmem.wall as "MODE NS", the traced events to
# /tmp/pmem.ev (series_events). Non-zero, with the reason on stderr, on any
# failure: a bind, the data, or a bind count that is not one memmap init per
# bind.
# PMEM_CAPS: the kernel's CPU caps to run each bind with (debugfs
# memmap_init/device_threads; 0: the node's CPUs, the default, 1: serial);
# the operations are named first_bind-capN and rebind-capN.
THREADS_KNOB=/sys/kernel/debug/memmap_init/device_threads
pmem_caps() { if [ -w $THREADS_KNOB ]; then echo "${PMEM_CAPS:-0}"; else echo 0; fi; }
set_cap() { [ ! -w $THREADS_KNOB ] || echo "$1" > $THREADS_KNOB; }
pmem_series() {
	ns_mode=$1 map=$2 align=$3 n=$4 mib=$5 dev=$(pmem_dev "$1") seed=0x5eed$4
	: > /tmp/pmem.wall
	series_start memmap_init_zone_device
	for cap in $(pmem_caps); do
		set_cap "$cap"
		for m in $(modes); do
			series_op "$m" "first_bind-cap$cap"
			pmem_create "$ns_mode" "$map" "$align" || { series_stop; echo "create-namespace in mode $m failed" >&2; return 1; }
		done
	done
	pattern write "$dev" "$mib" "$seed" || { series_stop; return 1; }
	[ -z "${PMEM_AT_CHECK:-}" ] || $PMEM_AT_CHECK 0
	i=1
	while [ $i -le "$n" ]; do
		[ $((i % 10)) = 1 ] && echo "MMT-PROGRESS pmem $ns_mode map=$map: rebind round $i/$n"
		for cap in $(pmem_caps); do
			set_cap "$cap"
			for m in $(modes); do
				series_op "$m" "rebind-cap$cap"
				wall rebind sh -c "$PMEM_REBIND" || { series_stop; echo "rebind $i in mode $m failed" >&2; return 1; }
				echo "$m $cap $(cat /tmp/rebind.wall)" >> /tmp/pmem.wall
			done
		done
		if [ $((i % ${PMEM_CHECK_EVERY:-10})) = 0 ] || [ $i = "$n" ]; then
			pattern check "$dev" "$mib" "$seed" || { series_stop; echo "data lost after rebind round $i" >&2; return 1; }
			[ -z "${PMEM_AT_CHECK:-}" ] || $PMEM_AT_CHECK "$i"
		fi
		i=$((i + 1))
	done
	series_stop
	set_cap 0
	series_events memmap_init_zone_device > /tmp/pmem.ev
	pmem_raw || { echo "could not put namespace0.0 back to raw" >&2; return 1; }
	# one memmap init per rebind, at least one per create (ndctl's
	# create-namespace binds more than once), counted by the tracepoint
	# where the kernel has it (kprobe pairs can be lost to cross-vCPU
	# order under TCG)
	if grep -q ' tp ' /tmp/pmem.ev; then kind='tp'; else kind='kp|bad'; fi
	nm=$(( $(modes | wc -w) * $(pmem_caps | wc -w) ))
	got=$(grep -E " rebind-cap[0-9]+ ($kind) " /tmp/pmem.ev | wc -l)
	[ "$got" -eq $((n * nm)) ] ||
		{ echo "expected $((n * nm)) memmap_init_zone_device calls in rebinds, traced $got" >&2; return 1; }
	got=$(grep -E " first_bind-cap[0-9]+ ($kind) " /tmp/pmem.ev | wc -l)
	[ "$got" -ge "$nm" ] ||
		{ echo "expected at least $nm memmap_init_zone_device calls in creates, traced $got" >&2; return 1; }
	# a create's binds are not one first bind: rebinds only from here
	grep -v ' first_bind-cap' /tmp/pmem.ev > /tmp/pmem.ev.rebinds && mv /tmp/pmem.ev.rebinds /tmp/pmem.ev
}
