# The series' kselftest (tools/testing/selftests/memory-hotplug/
# memmap_tmpl.sh), run as a user runs it: run_kselftest.sh of the
# kselftests installed with make -C tools/testing/selftests
# TARGETS=memory-hotplug install (in the guest by initramfs.sh, at
# /kselftest; on a real machine by target.sh, KSELFTEST_DIR). Passes only if
# the runner reports it ok, not skipped, and its own KTAP passes tests and
# fails none. On a kernel without the series there is nothing of it to run.
. "${MMT:-/mmt}"/lib.sh
ks=${KSELFTEST_DIR:-/kselftest}/run_kselftest.sh
if [ "$(modes)" = base ]; then
	:
elif [ -x $ks ]; then
	# appended: the runner reopens /dev/stdout for the test's own lines,
	# which a truncating redirection would then write over
	: > /tmp/ks.out
	mt0=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) mode0=$(cat $MODE_KNOB)
	bash $ks -t memory-hotplug:memmap_tmpl.sh >> /tmp/ks.out 2>&1; rc=$?
	mt1=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) mode1=$(cat $MODE_KNOB)
	# the test puts the mode and its block back
	[ "$mt1" = "$mt0" ] && [ "$mode1" = "$mode0" ] && t_ok kselftest.memory-hotplug.memmap_tmpl.restores ||
		t_fail kselftest.memory-hotplug.memmap_tmpl.restores "MemTotal $mt0 -> $mt1 kB, mode $mode0 -> $mode1"
	sed 's/^/  kselftest: /' /tmp/ks.out | tail -n 40
	if [ $rc = 0 ] && grep -q '^ok [0-9]* selftests: memory-hotplug: memmap_tmpl.sh$' /tmp/ks.out &&
	   ! grep -q 'not ok' /tmp/ks.out && grep -q '^# # Totals: pass:[1-9][0-9]* fail:0 ' /tmp/ks.out; then
		t_ok kselftest.memory-hotplug.memmap_tmpl
	else
		t_fail kselftest.memory-hotplug.memmap_tmpl "exit $rc: $(grep -m1 -E 'not ok|SKIP|Totals' /tmp/ks.out)"
	fi
else
	t_fail kselftest.memory-hotplug.memmap_tmpl "no $ks: make -C tools/testing/selftests TARGETS=memory-hotplug install"
fi
