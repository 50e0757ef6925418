# shellcheck shell=sh
# Guest-side helpers shared by the check and bench scripts (busybox sh).
T=/sys/kernel/tracing

t_ok()   { echo "MMT-TEST ok $1"; }
t_fail() { echo "MMT-TEST not ok $1 # $2"; }
t_skip() { echo "MMT-TEST skip $1 # $2"; }
# t_check NAME COMMAND...: one test, passed when COMMAND succeeds.
t_check() {
	n=$1; shift
	if out=$("$@" 2>&1); then t_ok "$n"; else t_fail "$n" "$(echo "$out" | tail -n 3 | tr '\n' ' ')"; fi
}

# sample WORKLOAD PARAMS_JSON MODE METRIC UNIT VALUE: one measured sample.
sample() {
	echo "MMT-SAMPLE {\"workload\":\"$1\",\"params\":$2,\"mode\":\"$3\",\"metric\":\"$4\",\"unit\":\"$5\",\"value\":$6}"
}

# kprobe_pair FUNC: kprobe + kretprobe events mmt:FUNC_in / mmt:FUNC_out.
kprobe_pair() {
	echo "p:mmt/${1}_in $1" >> $T/kprobe_events &&
	echo "r:mmt/${1}_out $1" >> $T/kprobe_events
}

# perf_calls FUNC CMD...: run CMD under perf record with FUNC's kprobe pair and
# print one duration in ns per completed call of FUNC (from perf's ns timestamps).
perf_calls() {
	f=$1; shift
	perf record -q -k CLOCK_MONOTONIC -o /tmp/calls.data -e "mmt:${f}_in" -e "mmt:${f}_out" -a -- "$@" >/tmp/calls.out 2>&1 ||
		{ cat /tmp/calls.out >&2; return 1; }
	perf script -i /tmp/calls.data --ns -F time,event 2>/dev/null | awk -v f="$f" '
		{ t = $1; sub(":", "", t); split(t, a, "."); ns = a[1] * 1000000000 + a[2] }
		$2 == "mmt:" f "_in:"  { start = ns }
		$2 == "mmt:" f "_out:" && start { print ns - start; start = 0 }'
}

# The memmap init mode this boot runs: the memmap_template= argument of a
# series kernel, or "base" on a kernel without the series.
mmt_mode() {
	m=$(sed -n 's/.*memmap_template=\([a-z]*\).*/\1/p' /proc/cmdline)
	if [ -z "$m" ] && [ -d /sys/module/memmap_template ]; then m=$(cat /sys/module/memmap_template/parameters/mode); fi
	echo "${m:-base}"
}
# arg NAME DEFAULT: the value of mmt.NAME= on the kernel command line.
arg() { v=$(sed -n "s/.*mmt\.$1=\([^ ]*\).*/\1/p" /proc/cmdline); echo "${v:-$2}"; }
