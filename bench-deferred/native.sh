#!/usr/bin/env bash
# Native (not TCG) memmap init: bench-deferred/native/memmap_model.c on this
# machine's real memory, for working sets from L2-sized to GiBs: ZONE_DEVICE
# fill, and deferred init fused (old) vs split (series) with its chunk size. Writes
# MMT-SAMPLE lines to build/logs/bench-native.log (read by results.py like
# the guest logs) and, where the CPU has a PMU, perf stat counters.
#   NATIVE_SIZES="1 16 256 4096" SAMPLES=7 bench-deferred/native.sh
. "$(dirname "$0")/../scripts/lib.sh"

NATIVE_SIZES=${NATIVE_SIZES:-1 4 16 64 256 1024 4096} SAMPLES=${SAMPLES:-7}
mkdir -p "$BUILD/native" "$LOGS"
gcc -O2 -Wall -Wextra -Werror -o "$BUILD/native/memmap_model" "$TOP/bench-deferred/native/memmap_model.c"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
say "native model on $cpu: sizes $NATIVE_SIZES MiB, $SAMPLES samples"
# ZONE_DEVICE fill; deferred init fused vs split (section chunks); and the
# split's chunk size: a MAX_ORDER block, a section, 8 sections.
{
	"$BUILD/native/memmap_model" -s "$SAMPLES" $NATIVE_SIZES
	"$BUILD/native/memmap_model" -k deferred -s "$SAMPLES" $NATIVE_SIZES
	for c in ${CHUNKS:-1024 262144}; do
		"$BUILD/native/memmap_model" -k deferred -c "$c" -s "$SAMPLES" ${CHUNK_SIZES:-64 1024}
	done
} | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    params = {"size_mib": r["size_mib"], "pages": r["pages"], "where": "native-userspace-model"}
    workload = "native-fill" if r["kind"] == "device" else "native-deferred"
    if "chunk_pages" in r:
        if r["chunk_pages"] != 32768:
            # the chunk sweep: only the split methods depend on the chunk
            if not r["method"].startswith("split"):
                continue
            workload = "native-deferred-chunk"
        if r["method"].startswith("split"):
            params["chunk_pages"] = r["chunk_pages"]
    for v in r["ns_per_page"]:
        print("MMT-SAMPLE " + json.dumps({"workload": workload, "params": params,
              "mode": r["method"], "metric": "ns_per_page", "unit": "ns", "value": v}))
    sys.stderr.write("  %-22s %5s MiB %-12s%s median %.3f ns/page\n" % (workload, r["size_mib"], r["method"],
                     " chunk %d" % r["chunk_pages"] if "chunk_pages" in r else "",
                     sorted(r["ns_per_page"])[len(r["ns_per_page"]) // 2]))
' > "$LOGS/bench-native.log"
if ! perf stat -x, -e instructions true 2>&1 | grep -q 'not supported'; then
	perf stat -e cycles,instructions,cache-misses -o "$BUILD/native/perf-stat.txt" \
		"$BUILD/native/memmap_model" -s 1 256 >/dev/null
	perf stat -e cycles,instructions,cache-misses -o "$BUILD/native/perf-stat-deferred.txt" \
		"$BUILD/native/memmap_model" -k deferred -s 1 256 >/dev/null
	say "perf stat: $BUILD/native/perf-stat.txt"
else
	say "no hardware PMU here: perf stat cycles/instructions/cache-misses skipped"
fi
