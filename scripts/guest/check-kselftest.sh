# The series' kselftest (tools/testing/selftests/memory-hotplug/
# memmap_template.sh), run as a user runs it: run_kselftest.sh of the
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
	bash $ks -t memory-hotplug:memmap_template.sh >> /tmp/ks.out 2>&1; rc=$?
	sed 's/^/  kselftest: /' /tmp/ks.out | tail -n 40
	if [ $rc = 0 ] && grep -q '^ok [0-9]* selftests: memory-hotplug: memmap_template.sh$' /tmp/ks.out &&
	   ! grep -q 'not ok' /tmp/ks.out && grep -q '^# # Totals: pass:[1-9][0-9]* fail:0 ' /tmp/ks.out; then
		t_ok kselftest.memory-hotplug.memmap_template
	else
		t_fail kselftest.memory-hotplug.memmap_template "exit $rc: $(grep -m1 -E 'not ok|SKIP|Totals' /tmp/ks.out)"
	fi
else
	t_fail kselftest.memory-hotplug.memmap_template "no $ks: make -C tools/testing/selftests TARGETS=memory-hotplug install"
fi
