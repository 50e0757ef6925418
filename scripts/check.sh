#!/usr/bin/env bash
# make check: build, boot, test. Host tests, then a guest boot (2 nodes,
# legacy pmem) that runs the built-in KUnit suites (KTAP) and the guest tests,
# and one with memmap_template=bogus for the boot parameter's error path.
# Ends with 'N passed, N failed'.
. "$(dirname "$0")/lib.sh"

start=$(date +%s)
"$TOP"/scripts/prepare.sh
mkdir -p "$LOGS"
"$TOP"/scripts/host-tests.sh > "$LOGS/host.log"

# boot_test NAME TEST [KERNEL ARGS]: boot guest NAME (settings from the
# environment) and write TEST's result, ok or the runner's failure, to
# build/logs/NAME-boot.log.
boot_test() {
	local name=$1 test=$2; shift 2
	if "$TOP"/scripts/boot.sh "$name" "$@" 2> >(tee "$LOGS/$name-boot.err" >&2); then
		echo "MMT-TEST ok $test" > "$LOGS/$name-boot.log"
	else
		echo "MMT-TEST not ok $test # $(grep -m1 FAILED "$LOGS/$name-boot.err")" > "$LOGS/$name-boot.log"
	fi
}
MEM=8G NODES=2 CPUS=2 PMEM='2G!4G' RUN=check-pmem,check-hmm TIMEOUT=${TIMEOUT:-1800} \
	boot_test check boot.clean kunit.enable=1 kunit.autorun=1
# The boot parameter's error path needs a boot of its own.
MEM=2G NODES=1 CPUS=1 RUN=check-param TIMEOUT=300 boot_test check-param boot.param-clean memmap_template=bogus
say "make check: $(( $(date +%s) - start )) s"
exec python3 "$TOP"/scripts/results.py tests "$LOGS/host.log" \
	"$LOGS/check-boot.log" "$LOGS/check.log" "$LOGS/check-param-boot.log" "$LOGS/check-param.log"
