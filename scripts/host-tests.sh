#!/usr/bin/env bash
# Host-side harness tests, as MMT-TEST lines (read by results.py): the
# tree/export round trip, the base source's error paths, the whole-system
# comparison's verdicts on synthetic boots, and the harness's refusals of bad
# settings and hosts (issue 9), with fakes: no kernel build, no guest boot.
#
#   scripts/host-tests.sh [GROUP...]   (default: all; groups: see the end)
. "$(dirname "$0")/lib.sh"
set +e	# every check reports, none aborts the others

t() { if [ "$2" = 0 ]; then echo "MMT-TEST ok $1"; else echo "MMT-TEST not ok $1 # $3"; fi; }

# A scratch directory for the tests that need files; removed on exit.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tree_tests() {
	# make tree then make export, with no edits, changes nothing in the repo,
	# whatever abbreviation git would pick by default: that depends on the object
	# count of build/linux, i.e. on the machine (a fresh one got 7 hex digits
	# where the committed patches had 9). Run export under two other defaults.
	series_state() { cd "$TOP" && git status --porcelain -- series mm arch selftests; git -C "$TOP" diff -- series mm arch selftests | sha256sum; }
	local before after rc=0 abbrev
	before=$(series_state)
	for abbrev in 7 16; do
		GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.abbrev GIT_CONFIG_VALUE_0=$abbrev \
			"$TOP"/scripts/export.sh >/dev/null 2>&1 || rc=$?
	done
	after=$(series_state)
	[ $rc = 0 ] && [ "$before" = "$after" ]
	t harness.tree-export-roundtrip $? "export after tree (core.abbrev 7 and 16) changed the series or its patches: $(cd "$TOP" && git status --porcelain -- series mm arch selftests | tr '\n' ' ')"
	# ... and the tree then has nothing to do.
	"$TOP"/scripts/tree.sh 2>&1 | grep -q 'up to date'; t harness.tree-idempotent $? "make tree re-applied an unchanged series"
}

base_tests() {
	# A KSRC that is not Linux 7.2.13 is refused with a message naming it.
	local d=$tmp/base out rc
	mkdir -p "$d"
	printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n' > "$d/Makefile"
	out=$(KSRC=$d BUILD=$d/b "$TOP"/scripts/base.sh "$d/out" 2>&1); rc=$?
	[ $rc != 0 ] && grep -q "is Linux 6.1.0, the series is against 7.2.13" <<<"$out"
	t harness.base-wrong-version-refused $? "got rc=$rc: $out"

	# The .deb in SHARED must be listed in its SHA256SUMS and match it: a
	# small linux-source .deb made here (a Makefile of 7.2.13 and one file).
	local deb=linux-source-7.2_${BASE_DEB_VERSION}_all.deb bad="" n=0 sums r=$d/debroot
	mkdir -p "$d/shared/base" "$r/DEBIAN" "$r/usr/src" "$d/src/linux-source-7.2"
	printf 'VERSION = 7\nPATCHLEVEL = 2\nSUBLEVEL = 13\n' > "$d/src/linux-source-7.2/Makefile"
	tar -C "$d/src" -cJf "$r/usr/src/linux-source-7.2.tar.xz" linux-source-7.2
	printf 'Package: linux-source-7.2\nVersion: %s\nArchitecture: all\nMaintainer: host-tests <t@localhost>\nDescription: test\n' \
		"$BASE_DEB_VERSION" > "$r/DEBIAN/control"
	dpkg-deb -Zxz -b "$r" "$d/shared/base/$deb" >/dev/null
	echo "the config deb" > "$d/shared/base/other.deb"
	debcase() {	# debcase NAME PATTERN SHA256SUMS-CONTENT|- (none): refused with PATTERN
		n=$((n + 1))
		rm -f "$d/shared/base/SHA256SUMS"
		[ "$3" = - ] || printf '%s\n' "$3" > "$d/shared/base/SHA256SUMS"
		out=$(env -u KSRC SHARED="$d/shared" BUILD="$d/b" "$TOP"/scripts/base.sh "$d/out$n" 2>&1); rc=$?
		[ $rc != 0 ] && grep -qE "$2" <<<"$out" && [ ! -e "$d/out$n" ] || bad+="[$1: rc=$rc: $(tr '\n' ' ' <<<"$out")] "
	}
	sums=$(cd "$d/shared/base" && sha256sum other.deb "$deb")
	debcase not-listed "^error: .*SHA256SUMS does not list $deb" "$(head -n 1 <<<"$sums")"
	debcase no-sums "^error: .*no SHA256SUMS" -
	debcase wrong-sum "^error: .*$deb does not match" \
		"$(awk 'NR == 2 { $0 = (substr($1, 1, 1) == "0" ? "1" : "0") substr($1, 2) "  " $2 } 1' <<<"$sums")"
	# listed (binary-mode line) and matching: unpacked
	sed 's/  / */' <<<"$sums" > "$d/shared/base/SHA256SUMS"
	out=$(env -u KSRC SHARED="$d/shared" BUILD="$d/b" "$TOP"/scripts/base.sh "$d/out-ok" 2>&1); rc=$?
	[ $rc = 0 ] && [ -f "$d/out-ok/Makefile" ] || bad+="[listed: rc=$rc: $(tr '\n' ' ' <<<"$out")] "
	[ -z "$bad" ]; t harness.base-deb-must-be-listed-and-match $? "$bad"
}

layout_tests() {
	# The whole-system comparison passes boots of one distribution and fails
	# each defect it exists for (synthetic boots, scripts/test-compare-layout.py).
	python3 "$TOP"/scripts/test-compare-layout.py
}

stats_tests() {
	# The intervals every table prints (scripts/test-stats.py).
	python3 "$TOP"/scripts/test-stats.py
}

# unstuck (lib.sh): which fragment lines a .config does not honour. A hidden
# option ("# CONFIG_X is not set" with no line at all) holds, and a fragment
# ending in such a line must not make the check itself fail (it did: set -e
# ended kconfig.sh silently, for check-full's one-line fragments).
kconfig_tests() {
	printf 'CONFIG_A=y\n# CONFIG_B is not set\n# CONFIG_C is not set\nCONFIG_D=y\nCONFIG_E=y\n# CONFIG_F is not set\n' > "$tmp/frag"
	printf 'CONFIG_A=y\nCONFIG_C=y\n# CONFIG_D is not set\n# CONFIG_F is not set\n' > "$tmp/cfg"
	out=$(bash -c '. "$1"/scripts/lib.sh; unstuck "$2/frag" "$2/cfg"; echo "rc=$?"' _ "$TOP" "$tmp" 2>&1)
	[ "$out" = "# CONFIG_C is not set (got CONFIG_C=y)
CONFIG_D=y (got # CONFIG_D is not set)
CONFIG_E=y (got not offered)
rc=0" ]; t harness.kconfig-unstuck-lines $? "got: $(tr '\n' '|' <<<"$out")"
}

# Fakes for running boot.sh, check.sh and bench.sh without QEMU or a build:
# a qemu-system-x86_64 earlier in PATH (FAKE_QEMU=done: prints MMT-DONE
# on the serial log; kill: kills itself with SIGKILL; sleep: never ends)
# that leaves $tmp/qemu-ran, a kernel and an initramfs that are empty files,
# BUILD in $tmp, and a KSRC that is no tree, so that a script that went on
# to prepare.sh would stop at once in base.sh. The user's settings are
# dropped: each test sets its own.
fakes() {
	mkdir -p "$tmp/bin" "$tmp/b"
	cat > "$tmp/bin/qemu-system-x86_64" <<-'FAKE'
	#!/bin/bash
	: > "$FAKE_DIR/qemu-ran"
	for a; do case $a in file:*) log=${a#file:} ;; esac; done
	case ${FAKE_QEMU:-done} in
	done)  echo MMT-DONE >> "$log" ;;
	kill)  kill -9 $$ ;;
	sleep) exec sleep 60 ;;
	esac
	FAKE
	chmod +x "$tmp/bin/qemu-system-x86_64"
	# df: FAKE_DF_KIB KiB free, if set
	cat > "$tmp/bin/df" <<-FAKE
	#!/bin/sh
	[ -n "\$FAKE_DF_KIB" ] || exec $(command -v df) "\$@"
	echo "Filesystem 1024-blocks Used Available Capacity Mounted on"
	echo "fake 999999999 1 \$FAKE_DF_KIB 1% /"
	FAKE
	chmod +x "$tmp/bin/df"
	: > "$tmp/bzImage"; : > "$tmp/initramfs.cpio"
}
knobs=(MEM NODES CPUS SLOTS MAXMEM DIMMS DIMM_SIZE VMEM PMEM RUN TIMEOUT ACCEL MTTCG OVERCOMMIT
       SIZES NODESET BOOTS MODES REBINDS CONFIGS FAKE_MISSING LOADS GPU_GIB GPU_LOOPS PMEM_LARGE_GIB PMEM_TIMEOUT
       KSRC SHARED TREE OBJ KERNEL INITRD FAKE_QEMU FAKE_DF_KIB PROGRESS_SECS ARCH AA64_FIRMWARE)
clean=(env); for k in "${knobs[@]}"; do clean+=(-u "$k"); done	# "${clean[@]}" CMD: without them
# faked SCRIPT [VAR=VALUE...]: run SCRIPT (boot.sh with the name hosttest)
# with the fakes and these settings; stdout and stderr together.
faked() {
	local script=$1 args=(); shift
	[ "$script" = scripts/boot.sh ] && args=(hosttest)
	rm -f "$tmp/qemu-ran"
	"${clean[@]}" PATH="$tmp/bin:$PATH" FAKE_DIR="$tmp" BUILD="$tmp/b" KSRC="$tmp/no-ksrc" \
		KERNEL="$tmp/bzImage" INITRD="$tmp/initramfs.cpio" "$@" \
		timeout 60 "$TOP/$script" "${args[@]}" 2>&1
}
# refused NAME SCRIPT EXPECTED [VAR=VALUE...]: SCRIPT with these settings
# must exit non-zero with a single line, 'error: ' and EXPECTED (a grep -E
# pattern), and start no QEMU: the refusal comes before anything else.
# Failures are collected in $bad.
refused() {
	local name=$1 script=$2 want=$3 out rc; shift 3
	out=$(faked "$script" "$@"); rc=$?
	if [ $rc = 0 ] || [ "$(wc -l <<<"$out")" != 1 ] || ! grep -qE "^error: .*($want)" <<<"$out" || [ -e "$tmp/qemu-ran" ]; then
		bad+="[$name: rc=$rc$([ -e "$tmp/qemu-ran" ] && echo ', qemu ran'): $(head -c 300 <<<"$out" | tr '\n' ' ')] "
	fi
}

# Settings that make no sense stop boot.sh before anything else (the kernel
# is not even looked for), bench.sh and check.sh before any build.
settings_tests() {
	local bad=""
	fakes
	rm "$tmp/bzImage"	# boot.sh must not get as far as looking for it
	refused mem-zero scripts/boot.sh 'MEM=0G' MEM=0G
	refused mem-unit scripts/boot.sh 'MEM=4X' MEM=4X
	refused mem-words scripts/boot.sh 'MEM=lots' MEM=lots
	refused mem-not-gib scripts/boot.sh 'MEM=512M' MEM=512M
	refused nodes-zero scripts/boot.sh 'NODES=0' NODES=0
	refused nodes-word scripts/boot.sh 'NODES=two' NODES=two
	refused mem-split scripts/boot.sh 'MEM=5G.*NODES=2' MEM=5G NODES=2
	refused cpus-zero scripts/boot.sh 'CPUS=0' CPUS=0
	refused cpus-split scripts/boot.sh 'CPUS=3.*NODES=2' MEM=4G NODES=2 CPUS=3
	refused dimms-word scripts/boot.sh 'DIMMS=x' DIMMS=x
	refused dimms-slots scripts/boot.sh 'DIMMS=2.*SLOTS' DIMMS=2
	refused dimm-size scripts/boot.sh 'DIMM_SIZE=0G' SLOTS=1 DIMMS=1 DIMM_SIZE=0G
	refused vmem-size scripts/boot.sh 'VMEM=2' SLOTS=1 VMEM=2
	refused vmem-slot scripts/boot.sh 'VMEM=2G needs a memory slot' SLOTS=1 DIMMS=1 VMEM=2G
	refused vmem-arm64 scripts/boot.sh 'VMEM=2G: the virtio-mem guest is x86_64' ARCH=arm64 SLOTS=1 VMEM=2G
	refused timeout-zero scripts/boot.sh 'TIMEOUT=0' TIMEOUT=0
	refused timeout-unit scripts/boot.sh 'TIMEOUT=10m' TIMEOUT=10m
	refused boot-accel scripts/boot.sh 'ACCEL=xen' ACCEL=xen
	refused boot-arch scripts/boot.sh 'ARCH=mips: the harness builds and boots x86_64 or arm64' ARCH=mips
	refused arm64-pmem scripts/boot.sh "PMEM=2G!4G: legacy pmem .* x86_64's" ARCH=arm64 PMEM='2G!4G'
	refused arm64-kvm scripts/boot.sh 'ACCEL=kvm: an arm64 guest cannot run under KVM' ARCH=arm64 ACCEL=kvm
	refused arm64-firmware scripts/boot.sh 'SLOTS=1 on arm64 boots through UEFI, and there is no firmware at /no/such.fd' \
		ARCH=arm64 SLOTS=1 AA64_FIRMWARE=/no/such.fd
	: > "$tmp/bzImage"
	refused bench-sizes-zero bench-deferred/bench.sh "SIZES='0'" SIZES=0
	refused bench-sizes-word bench-deferred/bench.sh 'SIZES=.*big' SIZES='4 big'
	refused bench-sizes-empty bench-deferred/bench.sh 'SIZES is empty' SIZES=
	refused bench-sizes-split bench-deferred/bench.sh 'MEM=5G.*NODES=2' SIZES=5
	refused bench-nodeset-zero bench-deferred/bench.sh "NODESET='0'" NODESET=0
	refused bench-nodeset-cpus bench-deferred/bench.sh 'CPUS=2.*NODES=3' NODESET=3 SIZES=6
	refused bench-boots bench-deferred/bench.sh 'BOOTS=0' BOOTS=0
	refused bench-rebinds bench-deferred/bench.sh 'REBINDS=-1' REBINDS=-1
	refused bench-loads bench-deferred/bench.sh 'LOADS=many' LOADS=many
	refused bench-modes bench-deferred/bench.sh 'MODES=.*fast' MODES='off fast'
	refused bench-accel bench-deferred/bench.sh 'ACCEL=xen' ACCEL=xen
	refused check-accel scripts/check.sh 'ACCEL=xen' ACCEL=xen
	refused check-arch scripts/check.sh 'ARCH=x86-64: the harness' ARCH=x86-64
	refused check-arm64-kvm scripts/check.sh 'ACCEL=kvm: an arm64 guest' ARCH=arm64 ACCEL=kvm
	refused stress-arm64 scripts/stress.sh 'ARCH=arm64: make stress needs legacy pmem' ARCH=arm64
	refused check-full-arm64 scripts/check-full.sh 'ARCH=arm64: make check-full builds x86_64' ARCH=arm64
	refused native-arm64 bench-deferred/native.sh 'ARCH=arm64: the native rows run x86_64 code' ARCH=arm64
	refused check-timeout scripts/check.sh 'TIMEOUT=soon' TIMEOUT=soon
	refused check-full-configs scripts/check-full.sh "unknown configuration 'kasn'" CONFIGS='debug kasn'
	[ -z "$bad" ]; t harness.bad-settings-refused-first $? "$bad"
}

# Every command the README names installs its packages before any check
# that needs them (issue 26: ARCH=arm64 make check refused a fresh machine
# for want of the UEFI firmware that setup.sh installs). dpkg-query says one
# package is missing, apt-get records its arguments and fails the install,
# and the firmware is nowhere: each command must reach 'apt-get install' of
# that package, not a refusal.
install_tests() {
	local bad="" out rc c cmd pkg
	fakes
	cat > "$tmp/bin/dpkg-query" <<-'FAKE'
	#!/bin/bash
	[ "${!#}" = "$FAKE_MISSING" ] || printf 'install ok installed'
	FAKE
	cat > "$tmp/bin/apt-get" <<-'FAKE'
	#!/bin/bash
	echo "$*" >> "$FAKE_DIR/apt-get"
	[ "$1" = update ]
	FAKE
	cat > "$tmp/bin/id" <<-FAKE
	#!/bin/sh
	[ "\$1" = -u ] && echo 0 && exit 0
	exec $(command -v id) "\$@"
	FAKE
	chmod +x "$tmp/bin/dpkg-query" "$tmp/bin/apt-get" "$tmp/bin/id"
	for c in "check.sh|x86_64|qemu-system-x86|" "check.sh|arm64|qemu-efi-aarch64|" \
		 "bench.sh|x86_64|qemu-system-x86|" "bench.sh|arm64|qemu-efi-aarch64|" \
		 "stress.sh|x86_64|qemu-system-x86|" "check-full.sh|x86_64|sparse|sparse" \
		 "check-full.sh|x86_64|qemu-efi-aarch64|arm64"; do
		IFS='|' read -r cmd arch pkg configs <<<"$c"
		case $cmd in bench.sh) cmd=bench-deferred/$cmd ;; *) cmd=scripts/$cmd ;; esac
		rm -f "$tmp/apt-get"
		out=$(faked "$cmd" ARCH="$arch" FAKE_MISSING="$pkg" AA64_FIRMWARE=/no/such.fd \
			FAKE_DF_KIB=999999999 ${configs:+CONFIGS=$configs}); rc=$?
		[ $rc != 0 ] && grep -qE "^install .*\b$pkg\b" "$tmp/apt-get" 2>/dev/null && [ ! -e "$tmp/qemu-ran" ] ||
			bad+="[$cmd ARCH=$arch${configs:+ CONFIGS=$configs}, $pkg missing: rc=$rc, apt-get: $(tr '\n' ' ' 2>/dev/null < "$tmp/apt-get"); $(tail -n 2 <<<"$out" | tr '\n' ' ')] "
	done
	rm -f "$tmp/bin/dpkg-query" "$tmp/bin/apt-get" "$tmp/bin/id"
	[ -z "$bad" ]; t harness.commands-install-before-checking $? "$bad"
}

# A guest larger than this host can back (MemTotal less 2 GiB) is refused,
# naming the numbers, unless OVERCOMMIT=1; then it boots, says so, and its
# log starts with an MMT-OVERCOMMIT line. pc-dimms count, legacy pmem does not.
ram_tests() {
	local bad="" out rc total log=$tmp/b/logs/hosttest.log
	fakes
	total=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
	refused huge-mem scripts/boot.sh "guest RAM 1073741824 MiB \\(MEM=1048576G\\) exceeds .*MemTotal $total MiB.*OVERCOMMIT=1" MEM=1048576G
	refused huge-dimm scripts/boot.sh "guest RAM 1073743872 MiB \\(MEM=2G \\+ 1 x 1048576G pc-dimm\\) exceeds" \
		MEM=2G SLOTS=1 DIMMS=1 DIMM_SIZE=1048576G
	refused huge-bench bench-deferred/bench.sh "guest RAM 1073741824 MiB" SIZES=1048576 NODESET=1
	refused overcommit-word scripts/boot.sh "OVERCOMMIT=yes" OVERCOMMIT=yes MEM=1048576G
	[ -z "$bad" ]; t harness.guest-larger-than-host-refused $? "$bad"

	out=$(faked scripts/boot.sh OVERCOMMIT=1 MEM=1048576G); rc=$?
	[ $rc = 0 ] && [ -e "$tmp/qemu-ran" ] && grep -q "overcommitting.*1073741824 MiB" <<<"$out" &&
		head -n 1 "$log" | grep -q '^MMT-OVERCOMMIT {"guest_mib": 1073741824, "limit_mib": '
	t harness.overcommit-boots-and-is-recorded $? "rc=$rc: $(tr '\n' ' ' <<<"$out") log: $(head -n 1 "$log")"
	out=$(faked scripts/boot.sh MEM=1G); rc=$?
	[ $rc = 0 ] && [ -e "$tmp/qemu-ran" ] && ! grep -q MMT-OVERCOMMIT "$log" && ! grep -q overcommitting <<<"$out"
	t harness.guest-that-fits-boots $? "rc=$rc: $(tr '\n' ' ' <<<"$out")"

	out=$("${clean[@]}" bash -c '. "$1"/scripts/lib.sh; . "$1"/scripts/preflight.sh
		MEM=16G PMEM="8G!8G" SLOTS=2 DIMMS=2 DIMM_SIZE=512M guest_settings
		echo "$guest_mib $(ram_limit_mib 24684096)"' _ "$TOP" 2>&1)
	[ "$out" = "17408 22057" ]
	t harness.guest-ram-rule $? "want 17408 MiB for 16G with 8G of pmem and 2 x 512M pc-dimms, and a 22057 MiB limit on a 24684096 kB MemTotal; got $out"
}

# A QEMU killed by a signal before the timeout is reported as killed (which
# signal; for SIGKILL, the OOM killer and dmesg), not as hung; a real
# timeout still is hung.
qemu_tests() {
	local out rc bad=""
	fakes
	out=$(faked scripts/boot.sh MEM=1G TIMEOUT=600 FAKE_QEMU=kill); rc=$?
	[ $rc = 1 ] && grep -q "FAILED after .*: qemu killed by SIGKILL after 0 s, before the 600 s timeout: .*OOM killer.*dmesg" <<<"$out" && ! grep -q hung <<<"$out"
	t harness.boot-qemu-killed-is-not-hung $? "rc=$rc: $(grep FAILED <<<"$out")"
	out=$(faked scripts/boot.sh MEM=1G TIMEOUT=1 FAKE_QEMU=sleep); rc=$?
	[ $rc = 1 ] && grep -q "FAILED after .*: hung: no poweroff within 1s" <<<"$out"
	t harness.boot-timeout-is-hung $? "rc=$rc: $(grep FAILED <<<"$out")"
	# The classification itself: timeout(1) returns 124, or 137 when it had
	# to SIGKILL QEMU after -k, i.e. after TIMEOUT seconds.
	out=$("${clean[@]}" bash -c '. "$1"/scripts/lib.sh
		for c in "0 5 600" "124 600 600" "137 610 600" "137 5 600" "143 5 600" "127 0 600" "1 5 600"; do
			echo "$c: $(qemu_failure $c)"
		done' _ "$TOP" 2>&1)
	local want="0 5 600: 
124 600 600: hung: no poweroff within 600s
137 610 600: hung: no poweroff within 600s (SIGKILL after -k 10)
137 5 600: qemu killed by SIGKILL after 5 s, before the 600 s timeout: the host's OOM killer? (dmesg | grep -i -e oom -e killed)
143 5 600: qemu killed by SIGTERM after 5 s, before the 600 s timeout
127 0 600: qemu-system-x86_64 did not run (127: not found or not executable; make setup)
1 5 600: qemu exited 1"
	[ "$out" = "$want" ]; t harness.qemu-exit-classified $? "got: $(tr '\n' '|' <<<"$out")"
}

# 'make help' lists every target and the main settings, and a bare 'make'
# is 'make help' (it used to start a full make check): compared with -n,
# which prints the recipe without running it.
make_tests() {
	local out rc bare help target bad=""
	out=$(make -s --no-print-directory -C "$TOP" help 2>&1); rc=$?
	for target in $(sed -n 's/^\.PHONY://p' "$TOP/Makefile"); do
		grep -qE "^  $target +[A-Za-z]" <<<"$out" || bad+="$target "
	done
	for k in ACCEL OVERCOMMIT KSRC SHARED SIZES NODESET BOOTS TIMEOUT; do grep -q "^  $k\b" <<<"$out" || bad+="$k "; done
	[ $rc = 0 ] && [ -z "$bad" ]; t harness.make-help-lists-targets-and-settings $? "rc=$rc, missing: $bad: $(head -c 300 <<<"$out")"
	bare=$(make -n --no-print-directory -C "$TOP" 2>&1)
	help=$(make -n --no-print-directory -C "$TOP" help 2>&1)
	[ -n "$help" ] && [ "$bare" = "$help" ]; t harness.make-default-is-help $? "bare make would run: $(head -c 200 <<<"$bare")"
}

# Long steps show progress: progress (lib.sh) runs a command with a ticker
# every PROGRESS_SECS, gone when the command ends, whose output and exit
# status it leaves alone, also when set -e ends the script (whose own EXIT
# trap still runs); tree.sh says
# how many files the base commit adds.
progress_tests() {
	local out rc ticks
	out=$("${clean[@]}" PROGRESS_SECS=1 timeout 20 bash -c '. "$1"/scripts/lib.sh
		trap "echo cleanup" EXIT
		n() { echo "7 things"; }
		progress ticking n sh -c "sleep 3.5; echo out; echo err >&2; exit 3"
		echo "not reached"' _ "$TOP" 2>&1); rc=$?
	ticks=$(grep -c '\] ticking: 7 things after [0-9]* s$' <<<"$out")
	[ $rc = 3 ] && [ "$ticks" -ge 1 ] && grep -qx out <<<"$out" && grep -qx err <<<"$out" &&
		! grep -q 'not reached' <<<"$out" && [ "$(tail -n 1 <<<"$out")" = cleanup ]
	t harness.progress-ticker-under-set-e $? "rc=$rc (3 wanted, 124: the ticker outlived the script), $ticks ticks: $(tr '\n' '|' <<<"$out")"
	out=$("${clean[@]}" PROGRESS_SECS=1 timeout 20 bash -c '. "$1"/scripts/lib.sh; set +e
		n() { echo "7 things"; }
		progress ticking n sh -c "sleep 2.5; exit 3"
		echo "rc=$?"; sleep 2.5; echo end' _ "$TOP" 2>&1); rc=$?
	[ $rc = 0 ] && grep -q 'ticking: 7 things' <<<"$out" && [ "$(sed -n '/^rc=/,$p' <<<"$out" | tr '\n' ' ')" = "rc=3 end " ]
	t harness.progress-ticker-stops-with-command $? "rc=$rc: $(tr '\n' '|' <<<"$out")"

	local d=$tmp/tree
	mkdir -p "$d/src/sub"
	printf 'VERSION = 7\nPATCHLEVEL = 2\nSUBLEVEL = 13\n' > "$d/src/Makefile"
	echo a > "$d/src/sub/a.c"; echo b > "$d/src/b.c"
	out=$("${clean[@]}" KSRC="$d/src" BUILD="$d/b" "$TOP"/scripts/tree.sh 2>&1); rc=$?
	grep -q 'committing the base tree (once): git add of 3 files' <<<"$out"
	t harness.tree-base-commit-says-file-count $? "rc=$rc: $(tr '\n' '|' <<<"$out")"
}

# check.sh and bench.sh refuse to start on too little free disk under
# BUILD (6 GiB cold, 1 GiB with the tree and a kernel built), and ACCEL=kvm
# without a usable /dev/kvm.
host_tests() {
	local bad="" out w=$tmp/warm
	fakes
	refused check-disk scripts/check.sh "only 1 GiB free .* $tmp.*needs 6 GiB" FAKE_DF_KIB=1048576
	refused bench-disk bench-deferred/bench.sh "only 1 GiB free .* $tmp.*needs 6 GiB" FAKE_DF_KIB=1048576
	[ -z "$bad" ]; t harness.too-little-disk-refused $? "$bad"
	mkdir -p "$w/linux/.git" "$w/obj"; : > "$w/obj/vmlinux"
	out=$("${clean[@]}" bash -c '. "$1"/scripts/lib.sh; . "$1"/scripts/preflight.sh
		BUILD=$2/cold TREE=$2/cold/linux OBJ=$2/cold/obj disk_need_gib
		BUILD=$2/warm TREE=$2/warm/linux OBJ=$2/warm/obj disk_need_gib' _ "$TOP" "$tmp" 2>&1)
	[ "$out" = "6
1" ]; t harness.disk-need-cold-and-warm $? "want 6 and 1 GiB, got: $out"
	bad=""
	: > "$tmp/not-a-device"
	for c in "$tmp/no-kvm|there is no $tmp/no-kvm" "$tmp/not-a-device|$tmp/not-a-device is not a character device" "/dev/null|^ok$"; do
		out=$("${clean[@]}" bash -c '. "$1"/scripts/lib.sh; . "$1"/scripts/preflight.sh; kvm_usable "$2"; echo ok' _ "$TOP" "${c%%|*}" 2>&1)
		grep -qE "^(error: ACCEL=kvm but )?${c#*|}" <<<"$out" && [ "$(wc -l <<<"$out")" = 1 ] || bad+="[${c%%|*}: $out] "
	done
	[ -z "$bad" ]; t harness.kvm-unusable-refused $? "$bad"
}

# The guest's KTAP (scripts/guest/lib.sh, run by the guest's busybox sh)
# after a kernel's KUnit run in one log, read by results.py with the kernel's
# parser: every result counted once with its own reason (a "# SKIP" inside a
# failure's reason leaves it a failure), results from subshells numbered in
# order; a numbering error, a document without results or without its
# totals, or scripts run with no document, fail.
ktap_tests() {
	local d=$tmp/ktap out want
	mkdir -p "$d"
	printf '%s\n' '[    1.0] KTAP version 1' '[    1.0] 1..1' '[    1.1]     KTAP version 1' \
		'[    1.1]     # Subtest: suite' '[    1.1]     1..2' '[    1.2]     ok 1 case_a' \
		'[    1.2]     ok 2 case_b # SKIP no device' '[    1.3] ok 1 suite' 'MMT-BOOTED x 1.0' > "$d/k.log"
	MMT_KTAP_STATE=$d/state busybox sh -c '. "$1"/scripts/guest/lib.sh; ktap_start one,two
		t_ok a; (t_fail b "exited 1: ok 76 x # SKIP coherent")
		echo x | while read -r _; do t_skip c "not
here"; done
		echo "MMT-SAMPLE {}"; t_check d true; t_check e false; t_fail e second; ktap_totals' _ "$TOP" >> "$d/k.log"
	out=$(BUILD=$BUILD python3 "$TOP"/scripts/results.py tests "$d/k.log" 2>&1)
	want="PASS k/kunit:suite.case_a
SKIP k/kunit:suite.case_b  (no device)
PASS k/guest:a
FAIL k/guest:b  (exited 1: ok 76 x # SKIP coherent)
SKIP k/guest:c  (not here)
PASS k/guest:d
FAIL k/guest:e  (failed)
FAIL k/guest:e  (second)
3 passed, 3 failed, 2 skipped"
	[ "$out" = "$want" ]; t harness.ktap-kunit-and-guest $? "got: $(echo "$out" | tr '\n' '|')"
	grep -qx '# Totals: pass:2 fail:3 xfail:0 xpass:0 skip:1 error:0' "$d/k.log"
	t harness.ktap-totals $? "$(grep Totals "$d/k.log")"
	# rejected NAME TEST WHY LINE...: a log of LINEs gives FAIL NAME/TEST
	rejected() {
		local f=$d/$1.log test=$2 why=$3; shift 3
		printf '%s\n' "$@" > "$f"
		out=$(BUILD=$BUILD python3 "$TOP"/scripts/results.py tests "$f")
		grep -q "^FAIL $(basename "$f" .log)/$test" <<<"$out"
		t "harness.ktap-$why" $? "no FAIL $test: $(echo "$out" | tr '\n' '|')"
	}
	rejected dup guest.parse numbering-error-fails 'KTAP version 1' '# mmt guest tests: x' 'ok 1 a' 'ok 1 b'
	rejected none guest.parse no-results-fails 'KTAP version 1' '# mmt guest tests: x' 'MMT-LAYOUT-END'
	rejected bad guest.parse unread-result-fails 'KTAP version 1' '# mmt guest tests: x' 'ok 1 a' 'not ok 2 b #'
	rejected tot guest.totals totals-mismatch-fails 'KTAP version 1' '# mmt guest tests: x' 'ok 1 a' \
		'# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0'
	rejected nodoc guest.parse run-without-document-fails 'MMT-BOOTED x 1.0' 'MMT-RUN check-x' 'MMT-DONE'
}

# results.py bench keeps 64-bit samples (a 3 s boot is 3e9 ns, beyond the
# 2^31 of a 32-bit printf) and refuses impossible ones (a negative time,
# 0 ns) naming the log and line.
results_tests() {
	local d=$tmp/results out rc s
	mkdir -p "$d"
	s='MMT-SAMPLE {"workload":"boot","params":{"mem_gib":16},"mode":"off","metric":"boot_to_init_ns","unit":"ns","value":'
	printf '%s3000000000}\n%s3010000000}\n' "$s" "$s" > "$d/ok.log"
	out=$(python3 "$TOP"/scripts/results.py bench "$d/ok.json" "$d/ok.log" 2>&1); rc=$?
	[ $rc = 0 ] && python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["results"][0]; sys.exit(r["samples"] != [3000000000, 3010000000] or r["median"] != 3005000000)' "$d/ok.json"
	t harness.results-64-bit-samples $? "rc=$rc: $(tail -n 2 <<<"$out" | tr '\n' ' ')"
	for v in -2147483648 0; do
		printf '%s3000000000}\nnoise\n%s%s}\n' "$s" "$s" "$v" > "$d/bad.log"
		out=$(python3 "$TOP"/scripts/results.py bench "$d/bad.json" "$d/bad.log" 2>&1); rc=$?
		[ $rc != 0 ] && grep -q "bad.log:3: impossible sample $v" <<<"$out"
		t "harness.results-refuses-sample-$( [ "$v" = 0 ] && echo zero || echo negative)" $? "rc=$rc: $out"
	done
}

# make bench's boot order: over as many rounds as there are modes, each
# mode comes first once and every round has every mode once.
order_tests() {
	local firsts="" k out bad=""
	for k in 0 1 2 3; do
		out=$(bash -c '. "$1"/scripts/lib.sh; rotated "$2" off cached nt auto | tr "\n" " "' _ "$TOP" "$k")
		[ "$(tr ' ' '\n' <<<"$out" | grep . | sort | tr '\n' ' ')" = "auto cached nt off " ] || bad+="[round $k: $out] "
		firsts+="${out%% *} "
	done
	[ -z "$bad" ] && [ "$(tr ' ' '\n' <<<"$firsts" | grep . | sort | tr '\n' ' ')" = "auto cached nt off " ]
	t harness.bench-modes-rotate $? "${bad}first modes: $firsts"
}

# make numbers: every figure of the prose matches the results folder it
# names; and the checker fails a figure that differs from its folder, or
# names none, with its file and line.
numbers_tests() {
	local out rc f=$tmp/numbers.md
	out=$(python3 "$TOP"/scripts/check-numbers.py 2>&1); rc=$?
	t "harness.numbers # $(tail -n 1 <<<"$out")" $rc "$(grep -v 'figures checked' <<<"$out" | head -n 5 | tr '\n' ' ')"
	printf '# t\n\nFrom 2026-11-28-native-auto-parallel: 9.99x [9.98, 9.99].\n\nNo folder: 1.50 ns.\n' > "$f"
	out=$(python3 "$TOP"/scripts/check-numbers.py "$f" 2>&1); rc=$?
	[ $rc = 1 ] && grep -q "numbers.md:3: ci 9.99x \[9.98, 9.99\]: not in 2026-11-28-native-auto-parallel" <<<"$out" &&
		grep -q "numbers.md:5: time 1.50 ns: names no results folder" <<<"$out"
	t harness.numbers-fails-wrong-figures $? "rc=$rc: $(tr '\n' ' ' <<<"$out")"
}

# make stress's leak slopes: a phase that loses pages with every operation
# fails, one whose free count only moves with noise passes.
leak_tests() {
	local out f=$tmp/stress.log st
	: > "$f"
	for ops in 0 10 20 30 40; do
		st="Node0Normal=1000 slab=100 free=4000"
		echo "MMT-STATE lost $ops pcp=5 buddy=$((100000 - ops * 10)) $st" >> "$f"
		echo "MMT-STATE noise $ops pcp=$((ops % 20)) buddy=$((100000 + (ops % 3) * 7)) $st" >> "$f"
	done
	out=$(python3 "$TOP"/scripts/stress-report.py "$f" "$tmp/stress" 2>/dev/null)
	grep -q '^MMT-TEST not ok stress.lost.leak-slope # leak lost: -10.00 pages/op' <<<"$out" &&
		grep -q '^MMT-TEST ok stress.noise.leak-slope' <<<"$out"
	t harness.stress-leak-slopes $? "$(tr '\n' ' ' <<<"$out")"
}

# Latency (issue 24): the kernel's own fills, built for userspace as
# Debian builds them (PREEMPT_DYNAMIC: cond_resched() a call), reach a
# resched point at least every 32 MiB of struct pages: 1 GiB of struct
# pages (a 64 GiB device, serial and on 2 threads, compound 2 MiB pages
# too; early init) and 32 MiB (onlining a 2 GiB block), every mode; and
# every struct page written. Needs the guest kernel's objects (make check
# builds them first).
resched_tests() {
	local out rc
	if [ ! -f "$OBJ/vmlinux" ]; then
		echo "MMT-TEST skip harness.resched-stretch # no $OBJ/vmlinux: run make kernel first"
		return
	fi
	out=$("$TOP"/bench-deferred/native-kernel/build.sh 2>&1 >/dev/null) ||
		{ t harness.resched-stretch 1 "build.sh: $(tail -n 2 <<<"$out" | tr '\n' ' ')"; return; }
	out=$( { "$BUILD/native-kernel/kfill-bench" -R -p device,device-compound,early -m off,cached,nt,auto 1024 &&
		 "$BUILD/native-kernel/kfill-bench" -R -t 2 -p device,device-compound -m nt 1024 &&
		 "$BUILD/native-kernel/kfill-bench" -R -p hotplug -m off,cached,nt,auto 32; } 2>/dev/null); rc=$?
	python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.startswith("{")]
bad = [r for r in rows if r["longest_mib"] > 32 or r["unwritten"] or not r["resched_points"]]
print("%d fills, longest %.1f MiB of struct pages without a resched point" % (
    len(rows), max(r["longest_mib"] for r in rows)) if rows else "no fills")
sys.exit(1 if bad or len(rows) != 18 else 0)' <<<"$out" > "$tmp/resched" || rc=1
	t "harness.resched-stretch # $(cat "$tmp/resched")" $rc "$(tr '\n' ' ' <<<"$out" | cut -c1-400)"
}

groups=(tree base layout stats kconfig settings install results order ram qemu make progress host ktap numbers leak resched)
for g in "${@:-${groups[@]}}"; do
	[[ " ${groups[*]} " == *" $g "* ]] || { echo "host-tests.sh: no group $g (groups: ${groups[*]})" >&2; exit 2; }
	"${g}_tests"
done
