#!/usr/bin/env bash
# The KUnit suite as a reviewer runs it: the kernel's own
#   tools/testing/kunit/kunit.py run --kunitconfig=mm/tests
# (ARCH=um, mm/tests/.kunitconfig), built outside the tree in
# build/kunit-um. Writes its KTAP to build/logs/kunit-uml.log for
# results.py, and MMT-TEST lines for the run itself.
. "$(dirname "$0")/lib.sh"

out=$LOGS/kunit-uml.log
mkdir -p "$LOGS"
[ -f "$TREE/mm/tests/.kunitconfig" ] || die "no mm/tests/.kunitconfig in build/linux: the series adds it"
say "kunit.py run --kunitconfig=mm/tests (UML, build/kunit-um)"
start=$(date +%s)
if (cd "$TREE" && python3 tools/testing/kunit/kunit.py run --kunitconfig=mm/tests \
	--build_dir="$BUILD/kunit-um" --jobs="$JOBS" --raw_output=kunit) > "$out.raw" 2> "$LOGS/kunit-uml.err"; then
	rc=0
else
	rc=$?
fi
# the raw KTAP only (kunit.py prints its build steps around it)
sed -n '/^KTAP version\|^TAP version/,$p' "$out.raw" > "$out"
if [ -s "$out" ]; then
	echo "MMT-TEST ok kunit-uml.ran # $(( $(date +%s) - start )) s" >> "$out"
else
	echo "MMT-TEST not ok kunit-uml.ran # kunit.py exited $rc without KTAP: $(tail -n 3 "$LOGS/kunit-uml.err" | tr '\n' ' ')" >> "$out"
fi
