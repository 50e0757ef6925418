# Guest test: test_hmm registers device-private memory; the tree's own
# hmm-tests kselftest passes on it; the module unloads cleanly.
. "${MMT:-/mmt}"/lib.sh
t_check hmm.modprobe modprobe test_hmm
# One line per kselftest case, as the kselftest harness reports them.
hmm-tests > /tmp/hmm.out 2>&1
rc=$?
grep -E '^(not )?ok [0-9]+ ' /tmp/hmm.out | while read -r line; do
	case $line in
	"not ok"*) t_fail "hmm-tests.$(echo "$line" | cut -d' ' -f4)" "$line" ;;
	*"# SKIP"*) t_skip hmm-tests.$(echo "$line" | cut -d' ' -f3) "${line#* # SKIP}" ;;
	*) t_ok "hmm-tests.$(echo "$line" | cut -d' ' -f3)" ;;
	esac
done
[ "$rc" = 0 ] || t_fail hmm-tests.exit "hmm-tests exited $rc: $(tail -n 3 /tmp/hmm.out | tr '\n' ' ')"
grep -q '^ok\|^not ok' /tmp/hmm.out || t_fail hmm-tests.ran "no results: $(tail -n 5 /tmp/hmm.out | tr '\n' ' ')"
t_check hmm.rmmod rmmod test_hmm
