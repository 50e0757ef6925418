#!/usr/bin/env bash
# make tree: build/linux = Linux 7.2.13 at tag `base` plus one commit per patch
# in `series` (git am). Quick when nothing changed; refuses to throw away
# commits or edits made in build/linux that were not exported.
# `tree.sh --check` changes nothing: it exits 0 if build/linux is exactly the
# series (the same test that makes `make tree` a no-op) and fails with the
# reason otherwise (make mail uses it).
. "$(dirname "$0")/lib.sh"

stamp_file=$TREE/.git/mmt-series-stamp

series_stamp() {
	local p
	for p in $(series_patches); do
		[ -f "$TOP/$p" ] || die "series lists $p, which does not exist"
		printf '%s %s\n' "$p" "$(sha256sum < "$TOP/$p" | cut -c1-64)"
	done
}

if [ "${1:-}" = --check ]; then
	[ -d "$TREE/.git" ] || die "no build/linux ($TREE): run 'make tree' first"
	[ -f "$stamp_file" ] ||
		die "build/linux has no record of the series it was made from: run 'make tree'"
	[ "$(git -C "$TREE" rev-parse HEAD)" = "$(sed -n 's/^head //p' "$stamp_file")" ] &&
	[ -z "$(git -C "$TREE" --no-optional-locks status --porcelain --untracked-files=no)" ] ||
		die "build/linux has commits or edits not in the series: run 'make export' first"
	[ "$(grep -v '^head ' "$stamp_file")" = "$(series_stamp)" ] ||
		die "build/linux does not match series (patches or series changed since the last 'make tree'/'make export'): run 'make tree'"
	say "build/linux is up to date with series ($(git -C "$TREE" rev-list --count base..HEAD) patches)"
	exit 0
fi

if [ ! -d "$TREE/.git" ]; then
	rm -rf "$TREE.new"
	"$TOP"/scripts/base.sh "$TREE.new"
	files=$(find "$TREE.new" -type f | wc -l)
	say "committing the base tree (once): git add of $files files, then one commit"
	git -C "$TREE.new" init -q -b series
	git -C "$TREE.new" config core.autocrlf false
	stored() { echo "$(find "$TREE.new/.git/objects" -type f 2>/dev/null | wc -l) objects of $files files stored"; }
	# Debian's linux-source .gitignore ignores the whole top level: add with -f.
	progress "git add" stored git -C "$TREE.new" add -A -f .
	GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z" \
		git -C "$TREE.new" -c user.name=base -c user.email=base@localhost \
		commit -q -m "Linux $BASE_VERSION (Debian linux-source-7.2 $BASE_DEB_VERSION)"
	git -C "$TREE.new" tag base
	mv "$TREE.new" "$TREE"
fi

want=$(series_stamp)
record() { { echo "$want"; echo "head $(git -C "$TREE" rev-parse HEAD)"; } | grep -v '^$' > "$stamp_file"; }
if [ "${1:-}" = --record ]; then	# from export: the tree is the series now
	record
	exit 0
fi
if [ -f "$stamp_file" ]; then
	had_head=$(sed -n 's/^head //p' "$stamp_file")
	if [ "$(git -C "$TREE" rev-parse HEAD)" != "$had_head" ] ||
	   [ -n "$(git -C "$TREE" status --porcelain --untracked-files=no)" ]; then
		[ "${FORCE:-0}" = 1 ] ||
			die "build/linux has commits or edits not in the series: run 'make export' first (or FORCE=1 make tree to drop them)"
	elif [ "$(grep -v '^head ' "$stamp_file")" = "$want" ]; then
		say "build/linux is up to date with series ($(git -C "$TREE" rev-list --count base..HEAD) patches)"
		exit 0
	fi
fi

say "applying series to base"
git -C "$TREE" am --abort >/dev/null 2>&1 || true
git -C "$TREE" checkout -q -f -B series base
n=0
for p in $(series_patches); do
	n=$((n + 1))
	if ! git -C "$TREE" -c user.name=series -c user.email=series@localhost \
		am -q --keep-non-patch "$TOP/$p" >"$BUILD/am.log" 2>&1; then
		cat "$BUILD/am.log" >&2
		git -C "$TREE" am --abort >/dev/null 2>&1 || true
		rm -f "$stamp_file"
		die "patch $n, $p, does not apply"
	fi
done
record
say "build/linux: base + $n patches"
