#!/usr/bin/env bash
# sparse (C=2) and W=1 on the x86-64 objects the series touches, in make
# check's object directory: a warning on a line the series adds or changes
# (git diff base..HEAD of build/linux) fails; warnings the base already has
# on lines the series leaves alone are counted, not failed. Prints
# MMT-TEST sparse.x86_64.series-lines; log in build/obj/sparse.log.
. "$(dirname "$0")/lib.sh"
[ "$ARCH" = x86_64 ] || die "ARCH=$ARCH: the sparse check is of the x86_64 objects (docs/arm64.md)"

SPARSE_OBJS=(mm/memmap_template.o mm/mm_init.o mm/page_alloc.o mm/tests/memmap_template_kunit.o lib/string.o)
[ -f "$OBJ/.config" ] || die "no $OBJ/.config: run 'make kernel' first"
log=$OBJ/sparse.log

# A sparse this kernel accepts (scripts/checker-valid.sh: __typeof_unqual__).
# Debian 12's 0.6.4 is too old, and kbuild then skips C=2 with a warning
# only; sid's 0.6.5~rc1 is new enough, and builds in seconds from source
# (with this machine's gcc: Debian's packaging names gcc-16).
SPARSE_SRC_VERSION=0.6.5~rc1-2
valid() { [ "$(sh "$TREE"/scripts/checker-valid.sh "$1" 2>/dev/null)" = 1 ]; }
checker=sparse
if ! valid "$checker"; then
	checker=$BUILD/sparse/sparse
	if ! valid "$checker"; then
		say "sparse $(sparse --version 2>/dev/null || echo '(none)') cannot check Linux $BASE_VERSION: building $SPARSE_SRC_VERSION from Debian sid's source"
		rm -rf "$BUILD/sparse" "$BUILD/sparse-src"
		apt_source sparse "$SPARSE_SRC_VERSION" "$BUILD/sparse-src" >/dev/null ||
			die "could not fetch the source of sparse=$SPARSE_SRC_VERSION"
		src=$(find "$BUILD/sparse-src" -mindepth 1 -maxdepth 1 -type d -name 'sparse-*' | head -n 1)
		make -s -C "$src" -j"$JOBS" CC=gcc sparse >/dev/null 2>&1 || die "sparse did not build in $src"
		mkdir -p "$BUILD/sparse" && cp "$src/sparse" "$checker"
		valid "$checker" || die "$checker does not pass $TREE/scripts/checker-valid.sh either"
	fi
fi
# C=2 checks every object named, built or not
make -C "$TREE" O="$OBJ" ARCH=x86_64 C=2 CHECK="$checker" W=1 -j"$JOBS" "${SPARSE_OBJS[@]}" > "$log" 2>&1 ||
	{ echo "MMT-TEST not ok sparse.x86_64.series-lines # the build failed: $(grep -m1 error: "$log")"; exit 0; }
# kbuild skips the checker with a warning only: that is no pass
checked=$(grep -c '^  CHECK ' "$log" || true)
if grep -q 'sparse is not available' "$log" || [ "$checked" -lt ${#SPARSE_OBJS[@]} ]; then
	echo "MMT-TEST not ok sparse.x86_64.series-lines # sparse checked $checked of ${#SPARSE_OBJS[@]} files ($log)"
	exit 0
fi
git -C "$TREE" diff -U0 base HEAD | python3 -c '
import re, sys
added = {}                      # file -> set of line numbers in HEAD
f = None
for l in sys.stdin:
    if l.startswith("+++ "):
        f = l[6:].strip() if l.startswith("+++ b/") else None
    m = re.match(r"@@ -\S+ \+(\d+)(?:,(\d+))? @@", l)
    if m and f:
        a, n = int(m.group(1)), int(m.group(2) or 1)
        added.setdefault(f, set()).update(range(a, a + n))
ours, other = [], 0
for l in open(sys.argv[1], errors="replace"):
    m = re.match(r"(\S+?):(\d+):(?:\d+:)? (?:warning|error):", l)
    if not m:
        continue
    f = m.group(1)              # under the tree or relative to it
    f = f[len(sys.argv[2]) + 1:] if f.startswith(sys.argv[2] + "/") else f
    if int(m.group(2)) in added.get(f, ()):
        ours.append(l.strip())
    else:
        other += 1
ok = not ours
print("MMT-TEST %s sparse.x86_64.series-lines%s" % ("ok" if ok else "not ok",
      " # sparse and W=1: none on the series lines, %d elsewhere in these files" % other if ok
      else " # %d on the series lines: %s" % (len(ours), "; ".join(ours[:3]))))
' "$log" "$(cd "$TREE" && pwd)"
