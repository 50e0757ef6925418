# Guest test (booted with memmap_template=bogus): the value is rejected with a
# message naming it, and the mode stays the Kconfig default (nt), not some
# mode the bad value was mapped to.
. "${MMT:-/mmt}"/lib.sh
if [ ! -w "$MODE_KNOB" ]; then
	t_fail param.knob "no $MODE_KNOB on a kernel with the series"
	exit 0
fi
t_check param.bogus-rejected-with-message sh -c 'dmesg | grep -q "invalid memmap_template=bogus (off, cached or nt): keeping nt"'
t_check param.mode-stays-default sh -c '[ "$(cat '"$MODE_KNOB"')" = nt ]'
t_check param.knob-rejects-bogus sh -c '! echo bogus > '"$MODE_KNOB"' 2>/dev/null && [ "$(cat '"$MODE_KNOB"')" = nt ]'
t_check param.knob-takes-cached sh -c 'echo cached > '"$MODE_KNOB"' && [ "$(cat '"$MODE_KNOB"')" = cached ]'
