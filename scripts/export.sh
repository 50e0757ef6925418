#!/usr/bin/env bash
# make export: write the commits base..HEAD of build/linux back to the files
# `series` names, in order. Commits beyond the series get a new file in mm/,
# arch/ or selftests/ (by the paths they touch) and a new line in series.
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no build/linux: run 'make tree' first"
[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
	die "build/linux has uncommitted edits: commit them first"

mapfile -t commits < <(git -C "$TREE" rev-list --reverse base..HEAD)
mapfile -t listed < <(series_patches)

area_of() {	# the patch folder for commit $1
	local files
	files=$(git -C "$TREE" diff-tree --no-commit-id --name-only -r "$1")
	if grep -q -e '^tools/testing/' -e '/tests/' -e '_kunit\.c$' <<<"$files" &&
	   ! grep -v -e '^tools/testing/' -e '/tests/' -e '_kunit\.c$' -e 'Kconfig' -e 'Makefile' -e '^MAINTAINERS$' <<<"$files" | grep -q .; then
		echo selftests
	elif grep -q -e '^mm/' <<<"$files"; then
		echo mm
	else
		echo arch
	fi
}

i=0
for c in "${commits[@]}"; do
	if [ "$i" -lt "${#listed[@]}" ]; then
		p=${listed[$i]}
	else
		slug=$(git -C "$TREE" log -1 --format=%s "$c" | sed -e 's/^[^:]*: *//' |
			tr 'A-Z' 'a-z' | tr -cs 'a-z0-9' '-' | sed -e 's/^-*//' -e 's/-*$//' | cut -c1-52)
		# numbered after the last patch of the series (which starts at 0000)
		last=$(tail -n 1 <(series_patches) | sed -e 's|.*/||' -e 's|-.*||')
		p=$(area_of "$c")/$(printf '%04d' $((10#${last:-0} + 1)))-$slug.patch
		echo "$p" >> "$TOP/series"
		say "new patch $p"
	fi
	mkdir -p "$TOP/$(dirname "$p")"
	# --abbrev=12 (the kernel's own core.abbrev): git's default abbreviation
	# grows with the object count of build/linux, which differs between
	# machines, and would rewrite every index line.
	git -C "$TREE" format-patch -1 --stdout --zero-commit --no-signature --no-numbered \
		--abbrev=12 "$c" > "$TOP/$p.new"
	if cmp -s "$TOP/$p.new" "$TOP/$p"; then rm "$TOP/$p.new"; else mv "$TOP/$p.new" "$TOP/$p"; say "wrote $p"; fi
	i=$((i + 1))
done
# Patches the tree no longer has: drop them from series (git keeps their history).
while [ "$i" -lt "${#listed[@]}" ]; do
	p=${listed[$i]}
	say "dropping $p (no commit for it in build/linux)"
	grep -vxF "$p" "$TOP/series" > "$TOP/series.new" && mv "$TOP/series.new" "$TOP/series"
	rm -f "$TOP/$p"
	i=$((i + 1))
done
# The tree now matches the series: record it so 'make tree' has nothing to do.
"$TOP"/scripts/tree.sh --record
