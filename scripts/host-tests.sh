#!/usr/bin/env bash
# Host-side harness tests, as MMT-TEST lines (read by results.py): the
# tree/export round trip, the base source's error paths, the whole-system
# comparison's verdicts on synthetic boots, and the harness's refusals of bad
# settings and hosts (issue 9), with fakes: no kernel build, no guest boot.
#
#   scripts/host-tests.sh [GROUP...]   (default: all; groups: see the end)
. "$(dirname "$0")/lib.sh"
set +e	# every check reports, none aborts the others

t() { if [ "$2" = 0 ]; then echo "MMT-TEST ok $1"; else echo "MMT-TEST not ok $1 # $3"; fi; }

# A scratch directory for the tests that need files; removed on exit.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tree_tests() {
	# make tree then make export, with no edits, changes nothing in the repo,
	# whatever abbreviation git would pick by default: that depends on the object
	# count of build/linux, i.e. on the machine (a fresh one got 7 hex digits
	# where the committed patches had 9). Run export under two other defaults.
	series_state() { cd "$TOP" && git status --porcelain -- series mm arch selftests; git -C "$TOP" diff -- series mm arch selftests | sha256sum; }
	local before after rc=0 abbrev
	before=$(series_state)
	for abbrev in 7 16; do
		GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.abbrev GIT_CONFIG_VALUE_0=$abbrev \
			"$TOP"/scripts/export.sh >/dev/null 2>&1 || rc=$?
	done
	after=$(series_state)
	[ $rc = 0 ] && [ "$before" = "$after" ]
	t harness.tree-export-roundtrip $? "export after tree (core.abbrev 7 and 16) changed the series or its patches: $(cd "$TOP" && git status --porcelain -- series mm arch selftests | tr '\n' ' ')"
	# ... and the tree then has nothing to do.
	"$TOP"/scripts/tree.sh 2>&1 | grep -q 'up to date'; t harness.tree-idempotent $? "make tree re-applied an unchanged series"
}

base_tests() {
	# A KSRC that is not Linux 7.2.13 is refused with a message naming it.
	local d=$tmp/base out rc
	mkdir -p "$d"
	printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n' > "$d/Makefile"
	out=$(KSRC=$d BUILD=$d/b "$TOP"/scripts/base.sh "$d/out" 2>&1); rc=$?
	[ $rc != 0 ] && grep -q "is Linux 6.1.0, the series is against 7.2.13" <<<"$out"
	t harness.base-wrong-version-refused $? "got rc=$rc: $out"
}

layout_tests() {
	# The whole-system comparison passes boots of one distribution and fails
	# each defect it exists for (synthetic boots, scripts/test-compare-layout.py).
	python3 "$TOP"/scripts/test-compare-layout.py
}

groups=(tree base layout)
for g in "${@:-${groups[@]}}"; do
	[[ " ${groups[*]} " == *" $g "* ]] || { echo "host-tests.sh: no group $g (groups: ${groups[*]})" >&2; exit 2; }
	"${g}_tests"
done
