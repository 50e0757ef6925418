#!/usr/bin/env bash
# Native memmap init, with the kernel's own code on this machine's memory and
# caches (results labelled where=native-kernel):
#  - fills: kfill-bench (bench-deferred/native-kernel/: the tree's
#    mm/memmap_template.c and memmap init paths compiled for userspace with
#    the kernel's flags), every path and mode, NATIVE_SIZES MiB of struct
#    pages, ROUNDS rounds, methods interleaved, on 1 and THREADS threads,
#    next to every store sequence this CPU has for the same bytes;
#  - init + free: a UML kernel of the series with a boot-time benchmark
#    (uml_bench.c): deferred init fused vs split (with the ablation rows)
#    and early init + free, with the real buddy allocator, UML_SIZES MiB.
# Writes build/logs/bench-native-*.log (MMT-SAMPLE lines, read by
# results.py) and, where the CPU has a PMU, perf stat counters.
#   NATIVE_SIZES="1 4 16 64 256 1024 4096" UML_SIZES=1,16,256,1024,4096 ROUNDS=10 bench-deferred/native.sh
. "$(dirname "$0")/../scripts/lib.sh"

NATIVE_SIZES=${NATIVE_SIZES:-1 4 16 64 256 1024 4096} ROUNDS=${ROUNDS:-10}
UML_SIZES=${UML_SIZES:-1,16,256,1024,4096} THREADS=${THREADS:-2}
here=$TOP/bench-deferred/native-kernel
mkdir -p "$LOGS"
"$here"/build.sh
"$here"/uml.sh build
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
say "native: $cpu, $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg) (time on an idle machine)"

to_samples() {	# kfill-bench's JSON lines -> MMT-SAMPLE lines
	python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    p = {"size_mib": r["size_mib"], "pages": r["pages"], "threads": r["threads"]}
    if r["path"] == "limit":
        p["sequence"] = r["method"]
        p["template"] = r["template"]
        mode = "limit"
    else:
        p["path"] = r["path"]
        mode = r["method"]
        if r["mode_used"] != mode:
            sys.exit("kfill-bench: %s ran in mode %s, not %s" % (r["path"], r["mode_used"], mode))
    for v in r["ns_per_page"]:
        print("MMT-SAMPLE " + json.dumps({"workload": "native-fill", "where": "native-kernel",
              "params": p, "mode": mode, "metric": "ns_per_page", "unit": "ns", "value": v}))
'
}

say "native: fills of every path, $NATIVE_SIZES MiB of struct pages, $ROUNDS rounds, 1 thread"
"$BUILD/native-kernel/kfill-bench" -C -r "$ROUNDS" $NATIVE_SIZES | to_samples > "$LOGS/bench-native-fill.log"
for t in $THREADS; do
	say "native: device fill on $t threads (store bandwidth scaling), ${NATIVE_THREAD_SIZES:-1024 4096} MiB"
	"$BUILD/native-kernel/kfill-bench" -r "$ROUNDS" -t "$t" -p device -m off,nt \
		${NATIVE_THREAD_SIZES:-1024 4096} | to_samples >> "$LOGS/bench-native-fill.log"
done
say "native: init + free in UML (real buddy allocator), $UML_SIZES MiB, $ROUNDS rounds"
"$here"/uml.sh run "$LOGS/bench-native-uml.raw" "$UML_SIZES" "$ROUNDS"
grep -a '^MMT-SAMPLE' "$LOGS/bench-native-uml.raw" > "$LOGS/bench-native-initfree.log"
if ! perf stat -x, -e instructions true 2>&1 | grep -q 'not supported'; then
	perf stat -e cycles,instructions,cache-misses -o "$BUILD/native-kernel/perf-stat.txt" \
		"$BUILD/native-kernel/kfill-bench" -r 1 -L 256 >/dev/null
	say "perf stat: $BUILD/native-kernel/perf-stat.txt"
else
	say "no hardware PMU here: perf stat cycles/instructions/cache-misses skipped"
fi
