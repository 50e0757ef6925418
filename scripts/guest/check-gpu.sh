# Guest test: device-private memory registered the way a GPU driver
# registers its VRAM (bench-deferred/gpu_register: request_free_mem_region()
# + memremap_pages(), then memunmap_pages()), mmt.gpu_mib [1024] MiB once in
# each mode: the module loads (a failed registration fails the load) and
# logs the registration, memmap:memmap_init reports one kind=device event of
# every page of it in the mode asked for, and the module unloads.
. "${MMT:-/mmt}"/lib.sh
ko=/lib/modules/gpu_register.ko
if [ ! -f $ko ]; then
	t_fail gpu.module "no $ko in the initramfs"
	exit 0
fi
mib=$(arg gpu_mib 1024)
series_start -
for mode in $(modes); do
	series_op "$mode" register
	logged=$(dmesg | grep -c "gpu_register: size_mib=$mib loop=0 register_ns=")
	t_check "gpu.$mode.insmod" insmod $ko size_mib="$mib" loops=1
	now=$(dmesg | grep -c "gpu_register: size_mib=$mib loop=0 register_ns=")
	[ "$now" = $((logged + 1)) ] && t_ok "gpu.$mode.logged" ||
		t_fail "gpu.$mode.logged" "$((now - logged)) registration lines logged, want 1"
	t_check "gpu.$mode.rmmod" rmmod gpu_register
done
series_stop
# per registration: the mode asked, and each event's pages and mode used
awk '/MMT-OP / { for (i = 1; i <= NF; i++) if ($i == "MMT-OP") m = $(i + 1) }
	/memmap_init: kind=device/ { p = u = ""
		for (i = 1; i <= NF; i++) { if ($i ~ /^nr_pages=/) p = substr($i, 10)
			if ($i ~ /^mode=/) u = substr($i, 6) }
		print m, p, u }' $T/trace > /tmp/gpu.ev
if [ ! -d $T/events/memmap/memmap_init ]; then
	if [ "$(modes)" = base ]; then
		t_skip gpu.memmap-init-events "a kernel without the series: no memmap:memmap_init"
	else
		t_fail gpu.memmap-init-events "the series' mode switch is there, its tracepoint is not"
	fi
	exit 0
fi
for mode in $(modes); do
	got=$(awk -v m="$mode" '$1 == m { print $2, $3 }' /tmp/gpu.ev | tr '\n' ' ')
	set -- $got
	if [ $# = 2 ] && [ "$1" = $((mib * 256)) ] && mode_ok "$mode" "$2"; then
		t_ok "gpu.$mode.memmap-init-event"
	else
		t_fail "gpu.$mode.memmap-init-event" "want one event of nr_pages=$((mib * 256)) in mode $mode, got: ${got:-none}"
	fi
done
