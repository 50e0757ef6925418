# shellcheck shell=sh
# Guest-side helpers shared by the check and bench scripts (busybox sh).
T=/sys/kernel/tracing

# Test results are KTAP (Documentation/dev-tools/ktap.rst), one flat
# document per boot (or per target.sh workload), read with the kernel's own
# KUnit parser like the KUnit suites before it: ktap_start prints the
# version line, t_ok/t_fail/t_skip one numbered result line each, and
# ktap_totals the kselftest-style totals. The number and the totals live in
# a file, not in shell variables as in the tree's ktap_helpers.sh: results
# are printed from subshells (pipelines, $(...)) too. There is no plan line:
# how many results a script gives is known only at its end, and KTAP lets the
# plan be omitted then.
KTAP_STATE=${MMT_KTAP_STATE:-/tmp/mmt-ktap}
ktap_start() { : > "$KTAP_STATE"; printf 'KTAP version 1\n# mmt guest tests: %s\n' "${1:-}"; }
# ktap_why TEXT: a reason on one line, its '#' escaped (KTAP: a " # SKIP" in
# a failure's reason would make it a skip), and never a directive word first.
ktap_why() {
	_kw=$(echo "$1" | tr -s '\n' ' ' | sed 's/^ *//; s/ *$//; s/#/\\#/g')
	case $_kw in SKIP*|TODO*|XFAIL*) _kw="- $_kw" ;; esac
	echo "${_kw:-$2}"
}
# ktap_result pass|fail|skip NAME [WHY]: the next numbered result line.
ktap_result() {
	echo "$1" >> "$KTAP_STATE"
	_kn=$(( $(wc -l < "$KTAP_STATE") ))
	case $1 in
	pass) echo "ok $_kn $2" ;;
	fail) echo "not ok $_kn $2 # $(ktap_why "$3" failed)" ;;
	skip) echo "ok $_kn $2 # SKIP $(ktap_why "$3")" ;;
	esac
}
t_ok()   { ktap_result pass "$1"; }
t_fail() { ktap_result fail "$1" "$2"; }
t_skip() { ktap_result skip "$1" "$2"; }
ktap_totals() {
	echo "# Totals: pass:$(grep -c '^pass$' "$KTAP_STATE") fail:$(grep -c '^fail$' "$KTAP_STATE") xfail:0 xpass:0 skip:$(grep -c '^skip$' "$KTAP_STATE") error:0"
}
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

# perf_calls FUNC CMD...: run CMD under perf record with FUNC's kprobe pair
# (and the series' memmap:memmap_init tracepoint where the kernel has it).
# Prints "kp NS" per completed call of FUNC, from perf's CLOCK_MONOTONIC
# timestamps (sched_clock is not synchronised across vCPUs under TCG), and
# "tp NS MODE" per memmap:memmap_init event (the kernel's own ktime).
perf_calls() {
	f=$1; shift
	ev="-e mmt:${f}_in -e mmt:${f}_out"
	[ -d $T/events/memmap/memmap_init ] && ev="$ev -e memmap:memmap_init"
	# shellcheck disable=SC2086
	perf record -q -k CLOCK_MONOTONIC -o /tmp/calls.data $ev -a -- "$@" >/tmp/calls.out 2>&1 ||
		{ cat /tmp/calls.out >&2; return 1; }
	# Pairs are matched per thread. Under TCG, a call that migrates between
	# vCPUs can get an exit stamped before its entry: reported ("bad"),
	# never turned into a sample. The tracepoint's ns is immune to this.
	perf script -i /tmp/calls.data --ns -F tid,time,event,trace 2>/dev/null | awk -v f="$f" '
		{ t = $2; sub(":", "", t); split(t, a, "."); ns = a[1] * 1000000000 + a[2] }
		$3 == "mmt:" f "_in:"  { start[$1] = ns }
		$3 == "mmt:" f "_out:" && ($1 in start) {
			d = ns - start[$1]; delete start[$1]
			if (d < 0) print "bad", d; else print "kp", d }
		$3 == "memmap:memmap_init:" { m = ""; d = ""
			for (i = 4; i <= NF; i++) { if ($i ~ /^mode=/) m = substr($i, 6); if ($i ~ /^ns=/) d = substr($i, 4) }
			print "tp", d, m }'
}

# The modes to compare in one boot, in the order each round of a series runs
# them: off, cached, nt and auto through the series' run-time switch for
# measurements (debugfs), or just "base" on a kernel without it.
# mmt.mode_knob=PATH names another switch: bench-deferred/ab-interface.sh's
# kernel with the interface before the narrowing has a module parameter.
# A switch named there that is missing still gets all four modes: the writes
# fail and so does each bench's check of the mode the kernel used.
MODE_KNOB_ASKED=$(sed -n 's/.*mmt\.mode_knob=\([^ ]*\).*/\1/p' /proc/cmdline)
MODE_KNOB=${MODE_KNOB_ASKED:-/sys/kernel/debug/memmap_template/mode}
modes() { if [ -w $MODE_KNOB ] || [ -n "$MODE_KNOB_ASKED" ]; then echo off cached nt auto; else echo base; fi; }
set_mode() { [ "$1" = base ] || echo "$1" > $MODE_KNOB; }
# mode_ok ASKED USED: the kernel used the mode asked for (auto: cached or nt).
mode_ok() {
	[ "$1" = "$2" ] || [ "$1" = base ] ||
		{ [ "$1" = auto ] && { [ "$2" = cached ] || [ "$2" = nt ]; }; }
}

# A series: operations of every mode interleaved (off, cached, nt, auto, off,
# ...), recorded in one trace session: memmap:memmap_init and FUNC's kprobe
# pair (FUNC "-": none), CLOCK_MONOTONIC. series_op MODE WHAT announces each operation with a
# trace marker; series_events then prints, per traced event, the operation
# it belongs to: "MODE WHAT tp NS USED" (the tracepoint's own ns, the mode the
# kernel used) and "MODE WHAT kp NS" (the kprobe pair, matched per thread;
# an exit stamped before its entry across vCPUs under TCG is "bad", never a
# sample). Prints nothing for a kernel without the tracepoint but kp lines.
series_start() {
	echo 0 > $T/tracing_on
	echo > $T/trace
	echo > $T/kprobe_events
	[ "$1" = - ] || kprobe_pair "$1"
	echo mono > $T/trace_clock
	echo 16384 > $T/buffer_size_kb
	[ "$1" = - ] || echo 1 > $T/events/mmt/enable
	[ ! -d $T/events/memmap/memmap_init ] || echo 1 > $T/events/memmap/memmap_init/enable
	echo 1 > $T/tracing_on
}
series_op() { set_mode "$1"; echo "MMT-OP $1 $2" > $T/trace_marker; }
# Stops recording; the kprobes stay until the next series_start: removing a
# dynamic event resets the trace buffer, before series_events could read it.
series_stop() {
	echo 0 > $T/tracing_on
	[ ! -d $T/events/mmt ] || echo 0 > $T/events/mmt/enable
	[ ! -d $T/events/memmap/memmap_init ] || echo 0 > $T/events/memmap/memmap_init/enable
}
series_events() {
	awk -v f="$1" '
		{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { t = $i; break }
		  sub(":", "", t); split(t, a, "."); ns = a[1] * 1000000000 + a[2] * 1000 }
		/MMT-OP / { for (i = 1; i <= NF; i++) if ($i == "MMT-OP") { m = $(i + 1); w = $(i + 2) } }
		$0 ~ "mmt:" f "_in:|" f "_in:" { start[$1] = ns }
		($0 ~ "mmt:" f "_out:|" f "_out:") && ($1 in start) {
			d = ns - start[$1]; delete start[$1]
			print m, w, (d < 0 ? "bad" : "kp"), d }
		/memmap_init: kind=/ { u = ""; d = ""
			for (i = 1; i <= NF; i++) { if ($i ~ /^mode=/) u = substr($i, 6); if ($i ~ /^ns=/) d = substr($i, 4) }
			print m, w, "tp", d, u }' $T/trace
}

# series_samples WORKLOAD PARAMS FUNC < series_events output: every event a
# sample, named by the operation (WHAT_tp_ns, WHAT_ns for the kprobe pair);
# a tracepoint whose mode is not the one asked for is a failure.
series_samples() {
	while read -r m w kind ns used; do
		case $kind in
		bad) echo "MMT-NOTE $1 $m: kprobe pair out of order across vCPUs (${ns} ns), sample dropped" ;;
		kp) sample "$1" "$2" "$m" "${w}_ns" ns "$ns" ;;
		tp) mode_ok "$m" "$used" || t_fail "bench.$1.mode" "asked for $m, the kernel used $used"
		    sample "$1" "$2" "$m" "${w}_tp_ns" ns "$ns" ;;
		esac
	done
}

# wall NAME CMD...: run CMD under nstime; its wall time in ns in /tmp/NAME.wall.
wall() {
	_wn=$1; shift
	nstime "$@" 2>/tmp/"$_wn".nst; _wr=$?
	sed -n 's/^nstime \([0-9]*\) .*/\1/p' /tmp/"$_wn".nst > /tmp/"$_wn".wall
	grep -v '^nstime ' /tmp/"$_wn".nst >&2
	return $_wr
}

# arg NAME DEFAULT: $MMT_NAME if set (bench-deferred/target.sh on a real
# host), else the value of mmt.NAME= on the kernel command line.
arg() {
	eval "v=\${MMT_$1:-}"
	[ -n "$v" ] || v=$(sed -n "s/.*mmt\.$1=\([^ ]*\).*/\1/p" /proc/cmdline)
	echo "${v:-$2}"
}

# emit WORKLOAD PARAMS MODE FIRST REST < perf_calls output: every call a
# sample, the first named FIRST and the others REST (e.g. first_bind/rebind,
# or memmap_init twice): FIRST_ns/REST_ns from the kprobe pair and, where the
# kernel reports it, FIRST_tp_ns/REST_tp_ns from the tracepoint. A tracepoint
# whose mode is not MODE is a failure: the knob did not take.
emit() {
	k=0; t=0
	while read -r what ns tpmode; do
		case $what in
		bad) echo "MMT-NOTE $1 $3: kprobe pair out of order across vCPUs (${ns} ns), sample dropped" ;;
		kp) k=$((k + 1)); [ $k = 1 ] && m=$4 || m=$5
		    sample "$1" "$2" "$3" "${m}_ns" ns "$ns" ;;
		tp) t=$((t + 1)); [ $t = 1 ] && m=$4 || m=$5
		    [ "$tpmode" = "$3" ] || t_fail "bench.$1.mode" "asked for $3, the kernel used $tpmode"
		    sample "$1" "$2" "$3" "${m}_tp_ns" ns "$ns" ;;
		esac
	done
}
