#!/usr/bin/env bash
# Cross-build the series for other architectures:
#
#   scripts/cross-build.sh TREE [ARCH...]     (ARCH: arm64 riscv powerpc i386;
#                                              default all four)
#
# For each ARCH, in build/cross/ARCH (CROSS=): the arch's defconfig (ppc64le
# for powerpc, 64-bit for riscv) plus the series' options, made to stick with
# olddefconfig, then the files the series touches compiled with W=1, then
# vmlinux. Prints per ARCH:
#   MMT-TEST ok|not ok cross.ARCH.config   the series' own options stuck
#       (CONFIG_MEMMAP_TEMPLATE, _KUNIT_TEST, KUNIT); the memory-model options
#       an arch may lack (ZONE_DEVICE, DEVICE_PRIVATE, MEMORY_HOTPLUG, ...) are
#       named when they did not stick, without failing;
#   MMT-TEST ok|not ok cross.ARCH.w1       the series' mm/ objects build with
#       W=1 and have no warning in a file the series touches;
#   MMT-TEST ok|not ok cross.ARCH.vmlinux  vmlinux builds (else the first
#       error), with the warnings in files the series touches, if any.
# Logs: build/cross/ARCH/{config,w1,vmlinux}.log. Exit status 1 if any test
# failed.
#
# Settings:
#   STEPS [w1 vmlinux]   either or both;
#   JOBS [CPUs]          make -j;
#   DEBUG_INFO [0]       0 builds without debug info (CONFIG_DEBUG_INFO_NONE:
#                        the same code, less compile time and disk), 1 keeps
#                        the defconfig's;
#   CROSS [build/cross]  the object directories;
#   CPU_FREE_FILE        if set, make runs only while that file exists: it is
#                        checked every POLL_SECS [5] seconds, make is killed
#                        when the file goes and started again (incrementally)
#                        once it is back.
. "$(dirname "$0")/lib.sh"

usage() { sed -n '2,/^$/s/^# \{0,1\}//p' "$0" >&2; exit 2; }
[ $# -ge 1 ] || usage
case $1 in -h|--help) usage ;; esac
KTREE=$(cd "$1" && pwd) || die "no kernel tree at $1"
shift
{ [ -f "$KTREE/Makefile" ] && [ -d "$KTREE/mm" ]; } || die "$KTREE is not a kernel tree"
ARCHES=("$@")
[ ${#ARCHES[@]} -gt 0 ] || ARCHES=(arm64 riscv powerpc i386)
CROSS=$(realpath -m "${CROSS:-$BUILD/cross}")	# O= is taken relative to the tree
JOBS=${JOBS:-$(nproc)}
POLL_SECS=${POLL_SECS:-5}
STEPS=${STEPS:-w1 vmlinux}
step() { [[ " $STEPS " == *" $1 "* ]]; }

# ARCH -> "make ARCH, CROSS_COMPILE prefix, defconfig target"
declare -A how=(
	[arm64]="arm64 aarch64-linux-gnu- defconfig"
	[riscv]="riscv riscv64-linux-gnu- defconfig"
	[powerpc]="powerpc powerpc64le-linux-gnu- ppc64le_defconfig"
	[i386]="i386 i686-linux-gnu- defconfig"
)
# Debian package of each cross compiler, for the message when it is missing.
declare -A pkg=([arm64]=gcc-aarch64-linux-gnu [riscv]=gcc-riscv64-linux-gnu
		[powerpc]=gcc-powerpc64le-linux-gnu [i386]=gcc-i686-linux-gnu)
# The series' options: these must stick on every arch...
REQUIRED=(CONFIG_KUNIT=y CONFIG_MEMMAP_TEMPLATE=y CONFIG_MEMMAP_TEMPLATE_KUNIT_TEST=y)
# ...these where the arch supports them (MEMORY_HOTREMOVE: ZONE_DEVICE needs it).
OPTIONAL=(CONFIG_SPARSEMEM_VMEMMAP=y CONFIG_MEMORY_HOTPLUG=y CONFIG_MEMORY_HOTREMOVE=y
	  CONFIG_ZONE_DEVICE=y CONFIG_DEVICE_PRIVATE=y CONFIG_DEFERRED_STRUCT_PAGE_INIT=y)
W1_OBJS=(mm/memmap_template.o mm/mm_init.o mm/page_alloc.o mm/tests/memmap_template_kunit.o)

# The files the series touches (for the warnings to report): base..HEAD if
# the tree has the tag, else the sources of W1_OBJS.
if git -C "$KTREE" rev-parse -q --verify "base^{commit}" >/dev/null 2>&1; then
	mapfile -t touched < <(git -C "$KTREE" diff --name-only base HEAD)
else
	touched=("${W1_OBJS[@]/%.o/.c}")
fi
# grep -E pattern: "<path>:<line>:<col>: warning:" for a touched path (with
# O=, the compiler names sources through the tree's path).
touched_re="(^|/)($(printf '%s\n' "${touched[@]}" | sed 's/[.[\*^$+?(){}|]/\\&/g' | paste -sd'|')):[0-9]+:([0-9]+:)? warning:"

export KBUILD_BUILD_TIMESTAMP="2026-01-01" KBUILD_BUILD_USER=mmt KBUILD_BUILD_HOST=cross
export CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=time_macros

PAUSED=0	# seconds spent waiting for CPU_FREE_FILE, per arch
cpu_free() { [ -z "${CPU_FREE_FILE:-}" ] || [ -e "$CPU_FREE_FILE" ]; }

# run LOG CMD...: run CMD (appending to LOG) in its own process group; while
# CPU_FREE_FILE is missing, CMD is killed and waited for to be restarted.
run() {
	local log=$1 pid rc t0
	shift
	while :; do
		if ! cpu_free; then
			t0=$SECONDS
			say "waiting for $CPU_FREE_FILE"
			until cpu_free; do sleep 60; done
			PAUSED=$((PAUSED + SECONDS - t0))
		fi
		setsid "$@" >>"$log" 2>&1 </dev/null &
		pid=$!
		CUR=$pid
		while kill -0 "$pid" 2>/dev/null && cpu_free; do sleep "$POLL_SECS"; done
		if kill -0 "$pid" 2>/dev/null; then
			say "$CPU_FREE_FILE is gone: stopping make (pid $pid), to resume later"
			kill -TERM -- "-$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
			echo "=== stopped: $CPU_FREE_FILE gone; restarted later ===" >>"$log"
			continue
		fi
		rc=0; wait "$pid" || rc=$?
		CUR=
		return "$rc"
	done
}

# make runs in a session of its own: stop it with this script.
CUR=
trap '[ -z "$CUR" ] || kill -TERM -- "-$CUR" 2>/dev/null || true' EXIT
got() { grep -E "^(# )?$1[= ]" "$obj/.config" || echo "$1 not offered"; }

fail=0
declare -A summary
for a in "${ARCHES[@]}"; do
	[ -n "${how[$a]:-}" ] || die "unknown ARCH $a (known: ${!how[*]})"
	read -r karch cross defcfg <<<"${how[$a]}"
	command -v "${cross}gcc" >/dev/null ||
		die "${cross}gcc not found: apt-get install ${pkg[$a]}"
	cc="${cross}gcc"
	! command -v ccache >/dev/null || cc="ccache $cc"
	obj=$CROSS/$a
	mkdir -p "$obj"
	mk=(make -C "$KTREE" O="$obj" ARCH="$karch" CROSS_COMPILE="$cross" CC="$cc" -j"$JOBS")
	PAUSED=0
	start=$SECONDS

	# config: defconfig + the options, olddefconfig resolves the rest
	: >"$obj/config.log"
	run "$obj/config.log" "${mk[@]}" "$defcfg" || die "$a: make $defcfg failed (see $obj/config.log)"
	args=()
	for o in "${REQUIRED[@]}" "${OPTIONAL[@]}"; do args+=(--enable "${o%%=*}"); done
	if [ "${DEBUG_INFO:-0}" = 0 ]; then
		args+=(--enable DEBUG_INFO_NONE --disable DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT
		       --disable DEBUG_INFO_DWARF4 --disable DEBUG_INFO_DWARF5)
	fi
	"$KTREE"/scripts/config --file "$obj/.config" "${args[@]}"
	run "$obj/config.log" "${mk[@]}" olddefconfig || die "$a: olddefconfig failed (see $obj/config.log)"
	bad=() miss=()
	for o in "${REQUIRED[@]}"; do grep -qxF "$o" "$obj/.config" || bad+=("$o (got: $(got "${o%%=*}"))"); done
	for o in "${OPTIONAL[@]}"; do grep -qxF "$o" "$obj/.config" || miss+=("${o%%=*}"); done
	[ "${DEBUG_INFO:-0}" != 0 ] || grep -qx CONFIG_DEBUG_INFO_NONE=y "$obj/.config" ||
		bad+=("CONFIG_DEBUG_INFO_NONE=y (got: $(got CONFIG_DEBUG_INFO_NONE))")
	note=${miss[*]:+; not set on $a (not supported there or a missing dependency): ${miss[*]}}
	if [ ${#bad[@]} -gt 0 ]; then
		echo "MMT-TEST not ok cross.$a.config # did not stick: ${bad[*]}$note"
		summary[$a]="config failed"; fail=1; continue
	fi
	echo "MMT-TEST ok cross.$a.config # $defcfg + the series' options$note"
	[ ${#miss[@]} = 0 ] || say "$a: options that did not stick: $(for m in "${miss[@]}"; do printf '%s ' "$(got "$m")"; done)"

	# W=1 on the objects of the files the series touches
	w1secs=0 secs=0
	if step w1; then
		say "$a: compiling ${W1_OBJS[*]} with W=1 (-j$JOBS, CC=$cc)"
		: >"$obj/w1.log"
		t=$SECONDS
		if run "$obj/w1.log" "${mk[@]}" W=1 "${W1_OBJS[@]}"; then w1ok=1; else w1ok=0; fi
		w1secs=$((SECONDS - t))
		w1warn=$(grep -E "$touched_re" "$obj/w1.log" | sort -u || true)
		w1other=$(grep -E ': warning:' "$obj/w1.log" | grep -cvE "$touched_re" || true)
		if [ $w1ok = 1 ] && [ -z "$w1warn" ]; then
			echo "MMT-TEST ok cross.$a.w1 # ${#W1_OBJS[@]} objects, no warning in the series' files ($w1other elsewhere)"
		elif [ $w1ok = 1 ]; then
			echo "MMT-TEST not ok cross.$a.w1 # warnings in the series' files: $(echo "$w1warn" | head -5 | tr '\n' ' ')"
			fail=1
		else
			echo "MMT-TEST not ok cross.$a.w1 # first error: $(grep -m1 -E 'error:|Error [0-9]' "$obj/w1.log" || tail -1 "$obj/w1.log")"
			fail=1
		fi
	fi
	summary[$a]="W=1 objects only"
	step vmlinux || { summary[$a]+=" ($((SECONDS - start)) s)"; continue; }

	# vmlinux
	say "$a: building vmlinux (-j$JOBS)"
	: >"$obj/vmlinux.log"
	t=$SECONDS
	if run "$obj/vmlinux.log" "${mk[@]}" vmlinux; then ok=1; else ok=0; fi
	secs=$((SECONDS - t))
	warn=$(grep -E "$touched_re" "$obj/vmlinux.log" | sort -u || true)
	nwarn=$(grep -c ': warning:' "$obj/vmlinux.log" || true)
	if [ $ok = 1 ] && [ -z "$warn" ]; then
		echo "MMT-TEST ok cross.$a.vmlinux # built in $secs s ($nwarn warnings, none in the series' files)"
		summary[$a]="built"
	elif [ $ok = 1 ]; then
		echo "MMT-TEST not ok cross.$a.vmlinux # built in $secs s, warnings in the series' files: $(echo "$warn" | head -5 | tr '\n' ' ')"
		summary[$a]="built, with warnings"; fail=1
	else
		echo "MMT-TEST not ok cross.$a.vmlinux # first error: $(grep -m1 -E 'error:|Error [0-9]' "$obj/vmlinux.log" || tail -1 "$obj/vmlinux.log")"
		summary[$a]="failed"; fail=1
	fi
	summary[$a]+=" ($((SECONDS - start)) s in all, W=1 step $w1secs s, vmlinux $secs s$([ "$PAUSED" = 0 ] || echo ", $PAUSED s paused for CPU"))"
done
for a in "${ARCHES[@]}"; do say "$a: ${summary[$a]:-not run}"; done
exit $fail
