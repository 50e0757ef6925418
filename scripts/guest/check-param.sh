# Guest test (booted with memmap_template= given bad values, each on its own:
# bogus, empty, mixed-case, trailing junk, overlong): each is rejected with a
# message naming it, and the mode stays the default (auto), not some mode a
# bad value was mapped to. The run-time switch (debugfs) refuses the same
# values and one with a NUL inside, and takes a good one.
. "${MMT:-/mmt}"/lib.sh
if [ ! -w "$MODE_KNOB" ]; then
	t_fail param.knob "no $MODE_KNOB on a kernel with the series"
	exit 0
fi
long=$(printf 'n%.0s' $(seq 1 40))
for v in bogus '' NT 'nt,x' "$long"; do
	n=$(echo "${v:-empty}" | cut -c1-12)
	t_check "param.boot-rejects-$n" sh -c "dmesg | grep -qF 'invalid memmap_template=$v (auto, off, cached or nt): keeping auto'"
done
t_check param.mode-stays-default sh -c '[ "$(cat '"$MODE_KNOB"')" = auto ]'
knob_rejects() {	# knob_rejects NAME PRINTF-FORMAT
	if printf "$2" > "$MODE_KNOB" 2>/dev/null; then
		t_fail "param.knob-rejects-$1" "the write of '$2' succeeded"
	elif [ "$(cat "$MODE_KNOB")" != auto ]; then
		t_fail "param.knob-rejects-$1" "the mode changed to $(cat "$MODE_KNOB")"
	else
		t_ok "param.knob-rejects-$1"
	fi
}
knob_rejects bogus 'bogus'
knob_rejects empty '\n'
knob_rejects mixed-case 'NT'
knob_rejects trailing-junk 'nt x'
knob_rejects overlong "$long"
knob_rejects nul-inside 'nt\000junk'
t_check param.knob-takes-cached sh -c 'echo cached > '"$MODE_KNOB"' && [ "$(cat '"$MODE_KNOB"')" = cached ]'
t_check param.knob-takes-nt-without-newline sh -c 'printf nt > '"$MODE_KNOB"' && [ "$(cat '"$MODE_KNOB"')" = nt ]'
