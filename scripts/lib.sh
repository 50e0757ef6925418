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

# Patches listed in series, in order (comments and blank lines skipped).
series_patches() {
	[ -f "$TOP/series" ] || die "no series file at $TOP/series"
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$TOP/series" | awk 'NF { print $1 }'
}
