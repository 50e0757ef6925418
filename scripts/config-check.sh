#!/usr/bin/env bash
# The series under other configs: compile mm/ (W=1, a warning fails) of the
# series head with the harness config changed one way at a time, in its own
# object directory under build/obj-config/NAME:
#   no-template   CONFIG_MEMMAP_TEMPLATE=n (every stub)
#   no-deferred   CONFIG_DEFERRED_STRUCT_PAGE_INIT=n (all memory early)
#   no-zone-device  templates for normal memory only (no ZONE_DEVICE, no HMM)
#   i386-flatmem  32-bit x86, FLATMEM, HIGHMEM4G, templates and their KUnit
#                 test only (allnoconfig, not the harness config): the
#                 FLATMEM drain, highmem zones, 32-bit pfn arithmetic
# (x86-64 cannot have SPARSEMEM without VMEMMAP, so the classic-SPARSEMEM
# lookup in memmap_tmpl_fill() is not compiled here.)
# CONFIGS= picks some. Prints MMT-TEST lines.
. "$(dirname "$0")/lib.sh"

declare -A frag=(
	[no-template]="# CONFIG_MEMMAP_TEMPLATE is not set"
	[no-deferred]="# CONFIG_DEFERRED_STRUCT_PAGE_INIT is not set"
	[no-zone-device]="# CONFIG_ZONE_DEVICE is not set"
	[i386-flatmem]=$'CONFIG_HIGHMEM4G=y\nCONFIG_FLATMEM=y\nCONFIG_MEMMAP_TEMPLATE=y\nCONFIG_KUNIT=y\nCONFIG_MEMMAP_TEMPLATE_KUNIT_TEST=y'
)
declare -A arch=([i386-flatmem]=i386)
CONFIGS=${CONFIGS:-no-template no-deferred no-zone-device i386-flatmem}
export CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
fail=0
for c in $CONFIGS; do
	[ -n "${frag[$c]:-}" ] || die "unknown config $c (${!frag[*]})"
	obj=$BUILD/obj-config/$c
	mkdir -p "$obj"
	a=${arch[$c]:-x86_64}
	if [ "$a" = x86_64 ]; then
		cat "$TOP"/Kconfig-notes/*.config "$TOP"/Kconfig-notes/arch/x86_64.config > "$obj/fragments.config"
	else
		: > "$obj/fragments.config"
	fi
	# later lines win in KCONFIG_ALLCONFIG
	printf '%s\n' "${frag[$c]}" >> "$obj/fragments.config"
	make -s -C "$TREE" O="$obj" ARCH="$a" KCONFIG_ALLCONFIG="$obj/fragments.config" allnoconfig >/dev/null 2>"$obj/kconfig.log"
	got=$(while read -r l; do grep -qxF "$l" "$obj/.config" || echo "$l"; done <<<"${frag[$c]}")
	if [ -n "$got" ]; then
		echo "MMT-TEST not ok config.$c # did not stick: $got"; fail=1; continue
	fi
	say "config $c: compiling mm/ with W=1"
	if make -s -C "$TREE" O="$obj" ARCH="$a" CC="ccache gcc" -j"$JOBS" W=1 mm/ >"$obj/build.log" 2>&1 &&
	   ! grep -q 'warning:' "$obj/build.log"; then
		echo "MMT-TEST ok config.$c.mm-builds"
	else
		echo "MMT-TEST not ok config.$c.mm-builds # $(grep -m3 -E 'error|warning' "$obj/build.log" | tr '\n' ' ')"
		fail=1
	fi
done
exit $fail
