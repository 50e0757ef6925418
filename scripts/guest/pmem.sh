# shellcheck shell=sh
# pmem_rebind MODE MAP ALIGN REBINDS MIB: reconfigure legacy pmem
# namespace0.0 as MODE (fsdax|devdax) with MAP (dev|mem) and ALIGN, write a
# MIB-MiB pattern, disable+enable the namespace REBINDS times, verify the
# pattern, and put the namespace back to raw. Each bind's
# memmap_init_zone_device() time (ns, perf + kprobes) goes to /tmp/pmem.ns,
# first bind first. Returns non-zero, with the reason on stderr, on any failure.
pmem_rebind() {
	ns_mode=$1 map=$2 align=$3 n=$4 mib=$5
	case $ns_mode in fsdax) dev=/dev/pmem0 ;; devdax) dev=/dev/dax0.0 ;; *) echo "mode $ns_mode?" >&2; return 2 ;; esac
	ndctl create-namespace -f -e namespace0.0 -m raw >/dev/null 2>&1
	cat > /tmp/rebind.sh <<EOS
set -e
ndctl create-namespace -f -e namespace0.0 -m $ns_mode --map=$map --align=$align >/tmp/ns.json
pattern write $dev $mib 0x5eed$n
i=0
while [ \$i -lt $n ]; do
	ndctl disable-namespace namespace0.0 >/dev/null
	ndctl enable-namespace namespace0.0 >/dev/null
	i=\$((i + 1))
done
pattern check $dev $mib 0x5eed$n
EOS
	perf_calls memmap_init_zone_device sh /tmp/rebind.sh > /tmp/pmem.ns || return 1
	ndctl create-namespace -f -e namespace0.0 -m raw >/dev/null 2>&1 ||
		{ echo "could not put namespace0.0 back to raw" >&2; return 1; }
	# Count the binds by the series' tracepoint where the kernel has it
	# (kprobe pairs can be lost to cross-vCPU timestamp order under TCG).
	if grep -q '^tp' /tmp/pmem.ns; then kind=tp; else kind='\(kp\|bad\)'; fi
	got=$(grep -c "^$kind" /tmp/pmem.ns)
	[ "$got" -eq $((n + 1)) ] ||
		{ echo "expected $((n + 1)) memmap_init_zone_device calls, perf saw $got" >&2; return 1; }
}

# The pmem namespace size in pages (from the last create-namespace).
pmem_pages() { sed -n 's/.*"size":\([0-9]*\).*/\1/p' /tmp/ns.json | head -n 1 | awk '{ print int($1 / 4096) }'; }
