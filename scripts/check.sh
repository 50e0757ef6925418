#!/usr/bin/env bash
# make check: build, boot, test. Host tests, then one guest boot (2 nodes,
# legacy pmem) that runs the built-in KUnit suites (KTAP) and the guest tests.
# Ends with 'N passed, N failed'.
. "$(dirname "$0")/lib.sh"

start=$(date +%s)
"$TOP"/scripts/setup.sh
"$TOP"/scripts/tree.sh
"$TOP"/scripts/build.sh
"$TOP"/scripts/initramfs.sh
mkdir -p "$LOGS"
"$TOP"/scripts/host-tests.sh > "$LOGS/host.log"
status=$LOGS/check-boot.log
if MEM=8G NODES=2 CPUS=2 PMEM='2G!4G' RUN=check-pmem,check-hmm TIMEOUT=${TIMEOUT:-1800} \
	"$TOP"/scripts/boot.sh check kunit.enable=1 kunit.autorun=1 2> >(tee "$LOGS/check-boot.err" >&2); then
	echo "MMT-TEST ok boot.clean" > "$status"
else
	echo "MMT-TEST not ok boot.clean # $(grep -m1 FAILED "$LOGS/check-boot.err")" > "$status"
fi
# The boot parameter's error path needs a boot of its own.
pstatus=$LOGS/check-param-boot.log
if MEM=2G NODES=1 CPUS=1 RUN=check-param TIMEOUT=300 "$TOP"/scripts/boot.sh check-param memmap_template=bogus \
	2> >(tee "$LOGS/check-param-boot.err" >&2); then
	echo "MMT-TEST ok boot.param-clean" > "$pstatus"
else
	echo "MMT-TEST not ok boot.param-clean # $(grep -m1 FAILED "$LOGS/check-param-boot.err")" > "$pstatus"
fi
say "make check: $(( $(date +%s) - start )) s"
exec python3 "$TOP"/scripts/results.py tests "$LOGS/host.log" "$status" "$LOGS/check.log" \
	"$pstatus" "$LOGS/check-param.log"
