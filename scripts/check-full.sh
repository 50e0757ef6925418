#!/usr/bin/env bash
# make check-full: the config matrix. Each configuration builds its own
# kernel (build/full/NAME: objects, initramfs, logs; the tree is the shared
# build/linux), boots it with the KUnit suite (2 nodes, every freed page
# checked) and runs the whole-system comparison: 8 boots with
# memmap_template=off (the noise floor) against 4 with nt, compared by
# scripts/compare-layout.py (or, for page_ref_set, the event count by
# scripts/compare-count.py). Command-line configurations boot make check's
# kernel (build/obj). Three groups build without booting: sparse (C=2 and
# W=1 on the x86-64 objects the series touches, scripts/sparse-check.sh),
# cross (the series on arm64, riscv64, ppc64le and i386 with Debian's cross
# compilers, scripts/cross-build.sh: CROSS_STEPS [w1], "w1 vmlinux" for
# whole kernels, over an hour each here), kunit-arm64 (the KUnit suite on
# arm64 under QEMU with kunit.py, scripts/kunit-arch.sh), arm64 (the whole
# of ARCH=arm64 make check: one result, its count line; its own results are
# in build/arm64/logs and check-full's arm64.out) and bisect (every
# commit builds with W=1, scripts/bisect-check.sh). Ends with 'N passed,
# N failed'.
#
#   CONFIGS="distro debug ..." make check-full     (default: all, in the order below)
#
# Wall time on the 2-core machine: docs/results/README.md (check-full).
. "$(dirname "$0")/lib.sh"
. "$TOP"/scripts/preflight.sh
[ "$ARCH" = x86_64 ] || die "ARCH=$ARCH: make check-full builds x86_64 configurations; its arm64 group runs ARCH=arm64 make check (docs/arm64.md)"

ALL="sparse cross kunit-arm64 arm64 distro debug kasan no-deferred no-tracepoints no-hotplug numa-fake memmap-on-memory page-ref bisect"
CONFIGS=${CONFIGS:-$ALL}
for c in $CONFIGS; do
	[[ " $ALL " == *" $c "* ]] || die "CONFIGS: unknown configuration '$c' (known: $ALL)"
done

# config NAME: sets what configuration NAME is.
#   frag    Kconfig lines appended after the harness's fragments ('' : make
#           check's kernel, build/obj)
#   base    a .config to start from instead of allnoconfig
#   args    kernel command line for every boot
#   flags   compare-layout.py flags
#   nodes   NUMA nodes QEMU gives the guest
#   kind    layout | pageref | hotplug: the whole-system comparison
#   absent  options without a prompt that must come out unset
config() {
	frag='' base='' args='' flags='' nodes=2 kind=layout absent=''
	case $1 in
	distro)	# Debian's own 7.2 config, modules off (mod2noconfig), the
		# harness's options on top; what that changed: build/full/distro/diffconfig.txt
		base=$BUILD/full/debian-config.amd64
		# no debug info (the same code, far less build time and disk);
		# Debian's signing certificates are not in the tree; no Rust (a host
		# with a full Rust toolchain would build it)
		frag='CONFIG_DEBUG_INFO_NONE=y
CONFIG_SYSTEM_TRUSTED_KEYS=""
# CONFIG_RUST is not set' ;;
	debug)	# and lockdep and might_sleep() checks (the parallel device path)
		frag='CONFIG_DEBUG_VM=y
CONFIG_DEBUG_VM_PGFLAGS=y
CONFIG_PAGE_POISONING=y
CONFIG_DEBUG_PAGEALLOC=y
CONFIG_PROVE_LOCKING=y
CONFIG_DEBUG_ATOMIC_SLEEP=y'
		args='init_on_free=1 page_poison=1 debug_pagealloc=on page_owner=on' ;;
	kasan)	# KASAN forces the slow path: every boot must report off
		frag='CONFIG_KASAN=y
CONFIG_KASAN_GENERIC=y
CONFIG_KASAN_OUTLINE=y'
		flags=--forced-off ;;
	no-deferred) frag='# CONFIG_DEFERRED_STRUCT_PAGE_INIT is not set'; flags=--all-early ;;
	no-tracepoints) # no tracers, no kprobes: nothing selects TRACEPOINTS
		# (x86 always selects PERF_EVENTS, which does not need them)
		frag='# CONFIG_FTRACE is not set
# CONFIG_KPROBES is not set'
		flags=--no-trace absent=CONFIG_TRACEPOINTS ;;
	no-hotplug) # what depends on it goes with it
		frag='# CONFIG_MEMORY_HOTPLUG is not set'
		absent='CONFIG_ZONE_DEVICE CONFIG_DEVICE_PRIVATE CONFIG_TEST_HMM' ;;
	numa-fake) args='numa=fake=4'; nodes=1 ;;
	memmap-on-memory) args='memory_hotplug.memmap_on_memory=1'; kind=hotplug ;;
	# trace_clock=global: without it, TCG's unstable TSC makes the tracer
	# switch its default clock at late_initcall, which empties the buffer
	# after traceoff_after_boot stopped it (every boot counted 0 events)
	page-ref) args='trace_event=page_ref:page_ref_set trace_clock=global traceoff_after_boot'; kind=pageref ;;
	esac
}

# The guests, checked before the first build (which can take an hour).
MEM=4G NODES=2 CPUS=2 check_guest; MEM=4G NODES=1 CPUS=2 SLOTS=2 DIMMS=2 check_guest
# the arm64 group's main guest (its hotplug guest needs the firmware setup installs)
[[ " $CONFIGS " != *" arm64 "* ]] || ARCH=arm64 MEM=8G NODES=2 CPUS=2 check_guest
start=$(date +%s)
check_disk
# Each kernel configuration's objects (0.3 GiB for the lean ones, about
# 1.5 GiB for Debian's without debug info), the cross objects and logs.
FULL_DISK_GIB=12
avail=$(df -Pk "$TOP" | awk 'NR == 2 { print $4 }')
(( avail >= FULL_DISK_GIB * 1024 * 1024 )) ||
	die "only $((avail / 1024 / 1024)) GiB free under $TOP: make check-full needs about $FULL_DISK_GIB GiB"
# the packages the groups need beyond make check's
extra=()
[[ " $CONFIGS " != *" sparse "* ]] || extra+=(sparse)
[[ " $CONFIGS " != *" cross "* ]] || extra+=(gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu gcc-powerpc64le-linux-gnu gcc-i686-linux-gnu)
# what setup.sh installs for ARCH=arm64 (docs/arm64.md)
[[ " $CONFIGS " != *" arm64 "* ]] || extra+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm qemu-efi-aarch64)
"$TOP"/scripts/setup.sh "${extra[@]}"
"$TOP"/scripts/prepare.sh	# make check's kernel, and the tree every config builds from
mkdir -p "$BUILD/full"
OUT=$BUILD/full/logs
mkdir -p "$OUT"
logs=()

# Debian's config, from the .deb beside the base source (checked against
# its SHA256SUMS).
if [[ " $CONFIGS " == *" distro "* ]] && [ ! -f "$BUILD/full/debian-config.amd64" ]; then
	deb=$SHARED/base/linux-config-7.2_${BASE_DEB_VERSION}_amd64.deb
	if [ -f "$deb" ]; then
		check_deb "$deb"
	else	# apt checks what it fetches against the archive's signed lists
		deb=$(apt_download linux-config-7.2 "$BASE_DEB_VERSION" amd64) ||
			die "no $deb and apt-get could not fetch linux-config-7.2=$BASE_DEB_VERSION"
	fi
	rm -rf "$BUILD/full/config-deb" && dpkg-deb -x "$deb" "$BUILD/full/config-deb"
	xz -dc "$BUILD/full/config-deb/usr/src/linux-config-7.2/config.amd64_none_amd64.xz" > "$BUILD/full/debian-config.tmp"
	mv "$BUILD/full/debian-config.tmp" "$BUILD/full/debian-config.amd64"
fi

# result NAME TEST OK [WHY]: one MMT-TEST line into NAME's result log.
result() {
	if [ "$3" = 0 ]; then echo "MMT-TEST ok $2"; else echo "MMT-TEST not ok $2 # ${4:-failed}"; fi >> "$OUT/$1.log"
}

# run_config NAME, in a subshell: BUILD, OBJ and LOGS are the config's.
run_config() (
	local name=$1 run mode cmp=() rc trace=() a bad
	config "$name"
	: > "$OUT/$name.log"
	rm -f "$OUT/$name"-*.log	# the guests' logs of a previous run
	if [ -n "$frag" ]; then
		export BUILD=$TOP/build/full/$name TREE=$TREE
		export OBJ=$BUILD/obj LOGS=$BUILD/logs KCONFIG_LENIENT=1
		mkdir -p "$BUILD" "$LOGS"
		printf '%s\n' "$frag" > "$BUILD/extra.config"
		say "check-full $name: building (build/full/$name/build.log)"
		rc=0
		KCONFIG_EXTRA=$BUILD/extra.config KCONFIG_BASE=$base \
			bash -c '"$1"/scripts/build.sh && "$1"/scripts/initramfs.sh' _ "$TOP" > "$BUILD/build.log" 2>&1 || rc=$?
		# the config's own lines and the series' (the KUnit suite) must
		# stick, lenient or not
		bad=$(unstuck "$BUILD/extra.config" "$OBJ/.config" 2>&1
		      unstuck "$TOP/Kconfig-notes/memmap-template.config" "$OBJ/.config" 2>&1)
		for a in $absent; do
			! grep -q "^$a=" "$OBJ/.config" 2>/dev/null || bad+=" $a=y"
		done
		[ -z "$bad" ] || { rc=1; echo "did not stick: $bad" >> "$BUILD/build.log"; }
		result "$name" "full.$name.build" "$rc" "$(grep -m1 -E 'error|did not stick' "$BUILD/build.log" | tr -s ' ')"
		if [ -n "$base" ] && [ -f "$OBJ/.config" ]; then
			"$TREE"/scripts/diffconfig "$base" "$OBJ/.config" > "$BUILD/diffconfig.txt" 2>/dev/null || true
		fi
		if [ "$rc" != 0 ]; then tail -n 20 "$BUILD/build.log" >&2; exit 0; fi
	fi
	mkdir -p "$LOGS"
	rm -f "$LOGS/full-$name"-*	# a boot that dies early must not leave last run's log
	# boot NAME [ARGS]: guest full-CONFIG-NAME, its log $LOGS/full-CONFIG-NAME.log,
	# its messages also in .err (written before boot returns: a pipe, not >())
	# shellcheck disable=SC2086 # args and flags are word lists
	boot() {
		local g=full-$name-$1; shift
		{ "$TOP"/scripts/boot.sh "$g" "$@" $args 2>&1 1>&3 | tee "$LOGS/$g.err" >&2; } 3>&1
	}
	why() { grep -m1 FAILED "$LOGS/full-$name-$1.err" 2>/dev/null | tr -s ' ' || true; }

	say "check-full $name: KUnit boot"
	rc=0
	MEM=4G NODES=$nodes CPUS=2 RUN='' TIMEOUT=1800 boot kunit kunit.enable=1 kunit.autorun=1 \
		kunit.filter_glob=memmap_template check_pages=1 || rc=$?
	result "$name" "full.$name.kunit-boot" "$rc" "$(why kunit)"

	case $kind in
	hotplug)
		say "check-full $name: memory hotplug in every mode"
		rc=0
		MEM=4G NODES=1 CPUS=2 SLOTS=2 DIMMS=2 RUN=check-hotplug TIMEOUT=900 boot hotplug kunit.enable=0 || rc=$?
		result "$name" "full.$name.hotplug-boot" "$rc" "$(why hotplug)" ;;
	layout|pageref)
		[ "$flags" = --no-trace ] || trace=(trace_event=memmap:memmap_init trace_clock=global)
		for run in $(layout_runs); do
			mode=${run%-*}
			say "check-full $name: whole-system comparison, boot $run"
			rc=0
			if [ $kind = layout ]; then
				MEM=4G NODES=$nodes CPUS=2 RUN=check-layout TIMEOUT=900 boot "layout-$run" \
					kunit.enable=0 nokaslr memmap_template="$mode" "${trace[@]}" || rc=$?
			else
				MEM=4G NODES=$nodes CPUS=2 RUN=check-pageref TIMEOUT=900 boot "layout-$run" \
					kunit.enable=0 nokaslr memmap_template="$mode" || rc=$?
			fi
			result "$name" "full.$name.boot-$run" "$rc" "$(why "layout-$run")"
			cmp+=("$mode=$LOGS/full-$name-layout-$run.log")
		done
		rc=0
		if [ $kind = layout ]; then
			# shellcheck disable=SC2086
			python3 "$TOP"/scripts/compare-layout.py "full.$name" $flags "${cmp[@]}" >> "$OUT/$name.log" || rc=$?
		else
			python3 "$TOP"/scripts/compare-count.py "full.$name" "${cmp[@]}" >> "$OUT/$name.log" || rc=$?
		fi
		[ $rc = 0 ] || result "$name" "full.$name.compare" "$rc" "the comparison exited $rc" ;;
	esac
	# every guest's log, for its own results (KTAP): full-NAME-X.log -> NAME-X.log
	for g in "$LOGS/full-$name"-*.log; do
		[ ! -f "$g" ] || cp "$g" "$OUT/$name-${g#"$LOGS/full-$name-"}"
	done
)

for c in $CONFIGS; do
	t=$(date +%s)
	say "check-full $c"
	want=1
	case $c in
	sparse) "$TOP"/scripts/sparse-check.sh > "$OUT/$c.log" || true ;;
	cross) STEPS=${CROSS_STEPS:-w1} CROSS=$BUILD/full/cross "$TOP"/scripts/cross-build.sh "$TREE" > "$OUT/$c.log" || true
	       # config and each step, for each of the 4 arches
	       want=$(( 4 * (1 + $(wc -w <<<"${CROSS_STEPS:-w1}")) )) ;;
	kunit-arm64) "$TOP"/scripts/kunit-arch.sh arm64 > /dev/null || true
		cp "$LOGS/kunit-arm64.log" "$OUT/$c.log" || true ;;
	arm64) rc=0; ARCH=arm64 "$TOP"/scripts/check.sh > "$OUT/$c.out" 2>&1 || rc=$?
		line=$(tail -n 1 "$OUT/$c.out")
		if [ $rc = 0 ] && [[ $line =~ ^[0-9]+\ passed,\ 0\ failed ]]; then
			echo "MMT-TEST ok full.arm64.check # $line" > "$OUT/$c.log"
		else
			echo "MMT-TEST not ok full.arm64.check # exit $rc: $line (check-full's $c.out)" > "$OUT/$c.log"
		fi ;;
	bisect) "$TOP"/scripts/bisect-check.sh > "$OUT/$c.log" || true
		want=$(git -C "$TREE" rev-list --count base..HEAD) ;;
	*) run_config "$c" || echo "MMT-TEST not ok full.$c.ran # stopped with status $?: see the messages above" >> "$OUT/$c.log" ;;
	esac
	# a group that died before all its results fails, not vanishes
	got=$(grep -c '^MMT-TEST' "$OUT/$c.log" 2>/dev/null || true)
	[ "${got:-0}" -ge "$want" ] ||
		echo "MMT-TEST not ok full.$c.ran # ${got:-0} results of $want: see the messages above" >> "$OUT/$c.log"
	logs+=("$OUT/$c.log")
	for g in "$OUT/$c"-*.log; do [ ! -f "$g" ] || logs+=("$g"); done	# its guests' logs
	say "check-full $c: $(( $(date +%s) - t )) s, $(cat "$OUT/$c.log" "$OUT/$c"-*.log 2>/dev/null | grep -acE '^(MMT-TEST )?not ok ') not ok so far"
done
say "make check-full: $(( $(date +%s) - start )) s"
exec python3 "$TOP"/scripts/results.py tests "${logs[@]}"
