#!/usr/bin/env bash
# What make check and make bench need before the first boot: packages, the
# series tree, the guest kernel and the initramfs (each step quick when done).
. "$(dirname "$0")/lib.sh"
"$TOP"/scripts/setup.sh
"$TOP"/scripts/tree.sh
"$TOP"/scripts/build.sh
"$TOP"/scripts/initramfs.sh
