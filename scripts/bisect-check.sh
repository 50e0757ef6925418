#!/usr/bin/env bash
# Every patch builds: for each commit base..HEAD of build/linux, in a worktree
# (build/bisect) with its own object directory, configure as the harness does
# and compile with W=1 what the series touches (mm/, lib/string.o,
# arch/x86/lib/); a warning fails the commit. TARGETS= overrides what is
# built (e.g. TARGETS=vmlinux for full links, much slower).
. "$(dirname "$0")/lib.sh"
[ "$ARCH" = x86_64 ] || die "ARCH=$ARCH: the bisect check builds x86_64 commits (docs/arm64.md)"

TARGETS=${TARGETS:-mm/ lib/string.o arch/x86/lib/}
wt=$BUILD/bisect obj=$BUILD/obj-bisect
[ -d "$TREE/.git" ] || die "no build/linux: run 'make tree' first"
[ -d "$wt" ] || git -C "$TREE" worktree add -q --detach "$wt" base
mkdir -p "$obj"
export CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
fail=0
for c in $(git -C "$TREE" rev-list --reverse base..HEAD); do
	subj=$(git -C "$TREE" log -1 --format=%s "$c")
	git -C "$wt" checkout -q --detach "$c"
	# the harness fragments, minus options this commit's Kconfig does not have
	TREE=$wt OBJ=$obj KCONFIG_LENIENT=1 "$TOP"/scripts/kconfig.sh 2>"$obj/kconfig.log" ||
		{ echo "MMT-TEST not ok bisect.$c.config # $(tail -n 3 "$obj/kconfig.log" | tr '\n' ' ')"; fail=1; continue; }
	if make -s -C "$wt" O="$obj" ARCH=x86_64 CC="ccache gcc" -j"$JOBS" W=1 $TARGETS \
		>"$obj/build.log" 2>&1 && ! grep -q 'warning:' "$obj/build.log"; then
		echo "MMT-TEST ok bisect.$(git -C "$TREE" rev-list --count base.."$c").builds # $subj"
	else
		echo "MMT-TEST not ok bisect.$(git -C "$TREE" rev-list --count base.."$c").builds # $subj: $(grep -m3 -E 'error|warning' "$obj/build.log" | tr '\n' ' ')"
		fail=1
	fi
done
exit $fail
