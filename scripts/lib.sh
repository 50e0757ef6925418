# shellcheck shell=bash
# Common settings for the harness scripts: paths, the base version, messages.
# Sourced, never run.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TREE=${TREE:-$BUILD/linux}   # git tree: tag base + one commit per patch
OBJ=${OBJ:-$BUILD/obj}       # kernel object directory (O=)
LOGS=$BUILD/logs
SHARED=${SHARED:-$TOP/../shared}
BASE_VERSION=7.2.13
BASE_DEB_VERSION=7.2.13-1
JOBS=${JOBS:-$(( $(nproc) + 1 ))}

say()  { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# progress LABEL COUNT CMD...: run CMD (a program, not a shell function:
# set -e does not reach into one run this way) and, every PROGRESS_SECS [30]
# seconds until it ends, say "LABEL: $(COUNT) after N s" (COUNT: a function
# printing how far it got). CMD's output and exit status are left alone; the
# ticker goes when CMD ends, when set -e ends the script (EXIT trap), and
# by itself if this shell is gone.
progress() {
	local label=$1 count=$2 tick rc=0 saved=()
	shift 2
	eval "saved=($(trap -p EXIT))"	# the caller's EXIT trap: (trap -- CMD EXIT) or ()
	( start=$SECONDS
	  while sleep "${PROGRESS_SECS:-30}" >/dev/null 2>&1 && kill -0 $$ 2>/dev/null; do
		say "$label: $("$count") after $((SECONDS - start)) s"
	  done ) &
	tick=$!
	# shellcheck disable=SC2064 # the ticker's pid and the caller's trap, now
	trap "kill $tick 2>/dev/null; ${saved[2]:-}" EXIT
	"$@" || rc=$?
	kill "$tick" 2>/dev/null || true
	wait "$tick" 2>/dev/null || true
	if [ ${#saved[@]} = 0 ]; then trap - EXIT; else trap -- "${saved[2]}" EXIT; fi
	return "$rc"
}

# Patches listed in series, in order (comments and blank lines skipped).
series_patches() {
	[ -f "$TOP/series" ] || die "no series file at $TOP/series"
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$TOP/series" | awk 'NF { print $1 }'
}

# qemu_failure RC SECONDS TIMEOUT: why QEMU, run by boot.sh under
# 'timeout -k 10 TIMEOUT', ended with status RC after SECONDS; empty for 0.
# timeout(1) returns 124 when it stopped QEMU, 137 when it had to SIGKILL it
# after -k: both at TIMEOUT or later. Any other 128+N is signal N from
# elsewhere: for SIGKILL most likely the host's OOM killer.
qemu_failure() {
	local rc=$1 secs=$2 limit=$3 sig
	if [ "$rc" = 0 ]; then return 0; fi
	if [ "$rc" = 124 ]; then echo "hung: no poweroff within ${limit}s"
	elif [ "$rc" = 137 ] && [ "$secs" -ge "$limit" ]; then echo "hung: no poweroff within ${limit}s (SIGKILL after -k 10)"
	elif [ "$rc" -gt 128 ]; then
		sig=SIG$(kill -l $((rc - 128)) 2>/dev/null || echo "$((rc - 128))")
		echo "qemu killed by $sig after $secs s, before the $limit s timeout$([ "$sig" != SIGKILL ] ||
			echo ": the host's OOM killer? (dmesg | grep -i -e oom -e killed)")"
	elif [ "$rc" -ge 125 ]; then echo "qemu-system-x86_64 did not run ($rc: not found or not executable; make setup)"
	else echo "qemu exited $rc"
	fi
}
