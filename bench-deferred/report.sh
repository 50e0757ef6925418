#!/usr/bin/env bash
# The report of make bench from the logs it left (build/logs/bench-*.log):
# build/bench/results.json, results.md, summary.md, perf.txt and the plots.
# make bench ends with it; run alone, it remakes the report from the logs.
. "$(dirname "$0")/../scripts/lib.sh"

out=$ABUILD/bench
mkdir -p "$out"
KERNEL_RELEASE=$(kmake kernelrelease) ACCEL=${ACCEL:-tcg} ARCH=$ARCH \
	python3 "$TOP"/scripts/results.py bench "$out/results.json" "$LOGS"/bench-*.log | tee "$out/results.md"
# perf's own figures (ftrace latency histograms, cpu-clock top symbols, perf stat)
grep -h '^MMT-PERF' "$LOGS"/bench-*.log | sed 's/^MMT-PERF //' > "$out/perf.txt" || true
python3 "$TOP"/scripts/plot.py "$out/results.json" "$out"
python3 "$TOP"/scripts/summary.py "$out/results.json" | tee "$out/summary.md"
grep -h '^MMT-NOTE' "$LOGS"/bench-*.log | sed 's/^MMT-NOTE/note:/' >&2 || true
! grep -h '^not ok ' "$LOGS"/bench-*.log
