#!/usr/bin/env bash
# Native memmap init, with the kernel's own code on this machine's memory and
# caches (results labelled where=native-kernel):
#  - fills: kfill-bench (bench-deferred/native-kernel/: the tree's
#    mm/memmap_template.c and memmap init paths compiled for userspace with
#    the kernel's flags), every path and mode, NATIVE_SIZES MiB of struct
#    pages, ROUNDS rounds, methods interleaved, each path in the cache state
#    its memmap is in, on 1 and THREADS threads, next to every store
#    sequence this CPU has for the same bytes (docs/native.md);
#  - init + free: a UML kernel of the series with a boot-time benchmark
#    (uml_bench.c): deferred init fused vs split (with the ablation rows),
#    early init + free, and onlining's init + free as before and born free,
#    with the real buddy allocator, UML_SIZES MiB.
# Writes build/logs/bench-native-*.log (MMT-SAMPLE lines, read by
# results.py) and, where the CPU has a PMU, perf stat counters.
# Every row comes from RUNS [3] separate processes (kfill-bench) or UML
# boots, of ROUNDS [5] interleaved rounds each: each sample names its run,
# and the intervals resample runs, then rounds (scripts/stats.py). The init
# + free rows run with page checks off and on (check_pages=1: what
# init_on_alloc=1, a distribution default, turns on), boots alternating.
#   NATIVE_SIZES="1 4 16 64 256 1024 4096" UML_SIZES=1,16,64,256,1024,4096 RUNS=3 ROUNDS=5 bench-deferred/native.sh
. "$(dirname "$0")/../scripts/lib.sh"
[ "$ARCH" = x86_64 ] || die "ARCH=$ARCH: the native rows run x86_64 code (UML and the x86-64 memcpy_nt()) on this host (docs/arm64.md)"

NATIVE_SIZES=${NATIVE_SIZES:-1 4 16 64 256 1024 4096} ROUNDS=${ROUNDS:-5} RUNS=${RUNS:-3}
UML_SIZES=${UML_SIZES:-1,16,64,256,1024,4096} THREADS=${THREADS:-2}
here=$TOP/bench-deferred/native-kernel
mkdir -p "$LOGS"
"$here"/build.sh
"$here"/uml.sh build
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
say "native: $cpu, $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg) (time on an idle machine)"

to_samples() {	# kfill-bench's JSON lines -> MMT-SAMPLE lines of run $1
	python3 -c '
import json, sys
run = int(sys.argv[1])
for line in sys.stdin:
    r = json.loads(line)
    p = {"size_mib": r["size_mib"], "pages": r["pages"], "threads": r["threads"], "state": r["state"]}
    if r["path"] == "limit":
        p["sequence"] = r["method"]
        p["template"] = r["template"]
        mode = "limit"
    else:
        p["path"] = r["path"]
        mode = r["method"]
        if r["mode_used"] != mode and not (mode == "auto" and r["mode_used"] in ("cached", "nt")):
            sys.exit("kfill-bench: %s ran in mode %s, not %s" % (r["path"], r["mode_used"], mode))
    for v in r["ns_per_page"]:
        print("MMT-SAMPLE " + json.dumps({"workload": "native-fill", "where": "native-kernel",
              "params": p, "mode": mode, "metric": "ns_per_page", "unit": "ns", "run": run, "value": v,
              **({"resolved": r["mode_used"]} if mode == "auto" else {})}))
' "$1"
}

# Each path in the cache state its memmap is in (docs/native.md): cold for
# all (boot, deferred, hotplug, pmem's altmap; device memory without
# init_on_alloc), zeroed for device memory with init_on_alloc.
# kfill RUN ARGS...: one kfill-bench process, its samples those of run RUN
kfill() { "$BUILD/native-kernel/kfill-bench" -r "$ROUNDS" "${@:2}" | to_samples "$1" >> "$LOGS/bench-native-fill.log"; }
: > "$LOGS/bench-native-fill.log"
for ((run = 1; run <= RUNS; run++)); do
	say "native: run $run of $RUNS: fills of every path, memmap cold, $NATIVE_SIZES MiB of struct pages, $ROUNDS rounds"
	kfill "$run" -C -s cold $NATIVE_SIZES
	# Only device memory initialises a memmap the page allocator has just
	# zeroed: add_memory() zeroes a hotplugged range's whole vmemmap before
	# its blocks are onlined one by one (docs/native.md).
	say "native: run $run of $RUNS: device fills, memmap just zeroed, ${NATIVE_ZEROED_SIZES:-1 4 8 12 16 24 32 64} MiB"
	kfill "$run" -s zeroed -p device ${NATIVE_ZEROED_SIZES:-1 4 8 12 16 24 32 64}
	for t in $THREADS; do
		say "native: run $run of $RUNS: device fill on $t threads (store bandwidth scaling), ${NATIVE_THREAD_SIZES:-1024 4096} MiB"
		kfill "$run" -t "$t" -s cold -p device -m off,nt ${NATIVE_THREAD_SIZES:-1024 4096}
	done
done
: > "$LOGS/bench-native-initfree.log"
for ((run = 1; run <= RUNS; run++)); do
	for checks in 0 1; do
		say "native: UML boot $run of $RUNS, page checks $checks: init + free (real buddy allocator), $UML_SIZES MiB, $ROUNDS rounds"
		UML_ARGS="memmap_bench_uml.run=$run check_pages=$checks ${UML_ARGS:-}" "$here"/uml.sh run \
			"$LOGS/bench-native-uml-$run-$checks.raw" "$UML_SIZES" "$ROUNDS" \
			deferred:off,deferred:copy,deferred:copy-nt,deferred:cached,deferred:nt,deferred:auto,early:off,early:cached,early:nt,early:auto,online:off,online:cached,online:nt,online:auto,limit:movnti,limit:stores,limit:rep-stosb-zero
		grep -a '^MMT-SAMPLE' "$LOGS/bench-native-uml-$run-$checks.raw" >> "$LOGS/bench-native-initfree.log"
	done
	# where a just-zeroed memmap (onlining hotplugged memory) stops being
	# worth ordinary stores, when a free pass follows: small sizes
	say "native: UML boot $run of $RUNS: init + free on a just-zeroed memmap, ${UML_ZEROED_SIZES:-1,2,4,8,16} MiB"
	UML_ARGS="memmap_bench_uml.run=$run ${UML_ARGS:-}" "$here"/uml.sh run "$LOGS/bench-native-uml-zeroed-$run.raw" \
		"${UML_ZEROED_SIZES:-1,2,4,8,16}" "$ROUNDS" \
		early-zeroed:off,early-zeroed:cached,early-zeroed:nt,online-zeroed:off,online-zeroed:cached,online-zeroed:nt
	grep -a '^MMT-SAMPLE' "$LOGS/bench-native-uml-zeroed-$run.raw" >> "$LOGS/bench-native-initfree.log"
done
if ! perf stat -x, -e instructions true 2>&1 | grep -q 'not supported'; then
	perf stat -e cycles,instructions,cache-misses -o "$BUILD/native-kernel/perf-stat.txt" \
		"$BUILD/native-kernel/kfill-bench" -r 1 -L 256 >/dev/null
	say "perf stat: $BUILD/native-kernel/perf-stat.txt"
else
	say "no hardware PMU here: perf stat cycles/instructions/cache-misses skipped"
fi
