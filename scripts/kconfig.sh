#!/usr/bin/env bash
# The guest kernel's .config in OBJ: allnoconfig + Kconfig-notes/*.config
# (harness.config and arch/ARCH.config first, then the others in name order,
# e.g. the series' own options), then KCONFIG_EXTRA (a fragment file: make check-full's configs).
# KCONFIG_BASE=FILE starts from that .config instead of allnoconfig, with its
# modules turned off (mod2noconfig): a distribution's config. Fails, naming
# them, if requested options did not stick.
. "$(dirname "$0")/lib.sh"

frags=("$TOP"/Kconfig-notes/harness.config "$TOP/Kconfig-notes/arch/$ARCH.config")
for f in "$TOP"/Kconfig-notes/*.config; do
	[ "$f" = "$TOP/Kconfig-notes/harness.config" ] || frags+=("$f")
done
# Options that need the series (e.g. CONFIG_MEMMAP_TEMPLATE) are only asked
# for once the tree has it: a fragment names its Kconfig file on a
# '# needs: path/Kconfig SYMBOL' line.
use=()
for f in "${frags[@]}"; do
	need=$(sed -n 's/^# needs: //p' "$f")
	if [ -n "$need" ] && ! grep -qs "^config ${need#* }\$" "$TREE/${need%% *}"; then
		say "skipping $(basename "$f"): build/linux has no ${need#* } in ${need%% *}"
		continue
	fi
	use+=("$f")
done

[ -z "${KCONFIG_EXTRA:-}" ] || use+=("$KCONFIG_EXTRA")
mkdir -p "$OBJ"
cat "${use[@]}" > "$OBJ/fragments.config"
# Generated aside and installed only when it differs, so an unchanged config
# does not make kbuild re-sync and rebuild.
if [ -n "${KCONFIG_BASE:-}" ]; then
	[ -f "$KCONFIG_BASE" ] || die "KCONFIG_BASE=$KCONFIG_BASE: no such file"
	cp "$KCONFIG_BASE" "$OBJ/.config.new"
	KCONFIG_CONFIG=.config.new kmake mod2noconfig >/dev/null
	# a symbol set twice: kconfig takes the later line
	cat "$OBJ/fragments.config" >> "$OBJ/.config.new"
	KCONFIG_CONFIG=.config.new kmake olddefconfig >/dev/null 2>"$OBJ/kconfig.log"
else
	KCONFIG_CONFIG=.config.new kmake \
		KCONFIG_ALLCONFIG="$OBJ/fragments.config" allnoconfig >/dev/null
fi
if cmp -s "$OBJ/.config.new" "$OBJ/.config"; then rm "$OBJ/.config.new"; else mv "$OBJ/.config.new" "$OBJ/.config"; fi
# A merged fragment must be honoured as written: compare every line.
bad=$(unstuck "$OBJ/fragments.config" "$OBJ/.config")
if [ -n "$bad" ]; then
	# bisect-check builds commits that predate some of the series' options
	[ "${KCONFIG_LENIENT:-0}" = 1 ] || die "options that did not stick (missing dependency?):
$bad"
	say "options this tree does not offer (KCONFIG_LENIENT=1): $(echo "$bad" | cut -d= -f1 | tr '\n' ' ')"
fi
start="allnoconfig"
[ -z "${KCONFIG_BASE:-}" ] || start="$(basename "$KCONFIG_BASE") without modules"
say "config ($ARCH): $start + $(printf '%s ' "${use[@]##*/}")"
