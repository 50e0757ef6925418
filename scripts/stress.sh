#!/usr/bin/env bash
# make stress: the stress and fault tests (scripts/guest/stress.sh) in one
# guest with legacy pmem, two pc-dimms and two vCPUs; ends 'N passed, N
# failed' like make check. The log: build/logs/stress.log; the leak slopes
# (scripts/stress-report.py): build/logs/stress-leak.log, with the figures in
# build/logs/stress.md and stress.png.
. "$(dirname "$0")/lib.sh"
[ "$ARCH" = x86_64 ] || die "ARCH=$ARCH: make stress needs legacy pmem, which is x86_64's (docs/arm64.md)"
. "$TOP"/scripts/preflight.sh

stress_guest() {
	MEM=16G NODES=1 CPUS=2 PMEM='8G!8G' SLOTS=2 DIMMS=2 RUN=stress TIMEOUT=${TIMEOUT:-5400} "$@"
}
stress_guest check_guest
check_disk
"$TOP"/scripts/prepare.sh
mkdir -p "$LOGS"
start=$(date +%s)
# page_owner=on: the pmem phase says which allocation stacks hold more
# pages at its end than at its start (MMT-OWNER lines, stress-report.py)
if stress_guest "$TOP"/scripts/boot.sh stress kunit.enable=0 page_owner=on; then
	echo "MMT-TEST ok boot.stress" > "$LOGS/stress-boot.log"
else
	echo "MMT-TEST not ok boot.stress # see $LOGS/stress.log" > "$LOGS/stress-boot.log"
fi
say "make stress: $(( $(date +%s) - start )) s"
# the leak slopes (one test per phase) and figures: build/logs/stress.md
# and stress.png
if python3 "$TOP"/scripts/stress-report.py "$LOGS/stress.log" "$LOGS" > "$LOGS/stress-leak.log"; then
	grep '^leak ' "$LOGS/stress-leak.log" >&2 || true
else
	echo "MMT-TEST not ok stress.figures # no MMT-STATE lines in the log" >> "$LOGS/stress-leak.log"
fi
exec python3 "$TOP"/scripts/results.py tests "$LOGS/stress-boot.log" "$LOGS/stress.log" "$LOGS/stress-leak.log"
