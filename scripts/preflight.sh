# shellcheck shell=bash
# Preflight: settings that make no sense, and hosts that cannot run the
# guests, are refused with a message before anything long starts. Sourced
# (after lib.sh) by boot.sh, check.sh and bench.sh; the rules are in
# docs/harness.md, "Preflight".

# is_whole VALUE MIN: VALUE is a whole number (digits, no leading zero) >= MIN.
is_whole() { [[ $1 =~ ^(0|[1-9][0-9]{0,8})$ ]] && (( $1 >= $2 )); }
# whole VAR [MIN]: the variable VAR holds a whole number >= MIN [1].
whole() { is_whole "${!1-}" "${2:-1}" || die "$1=${!1-}: want a whole number >= ${2:-1}"; }
# whole_list VAR [MIN]: VAR holds one or more whole numbers >= MIN [1].
whole_list() {
	local words w
	read -ra words <<<"${!1-}"
	[ ${#words[@]} -gt 0 ] || die "$1 is empty: want one or more whole numbers >= ${2:-1}"
	for w in "${words[@]}"; do
		is_whole "$w" "${2:-1}" || die "$1='${!1}': $w is not a whole number >= ${2:-1}"
	done
}
# size VAR: VAR holds a size nG or nM, n >= 1. mib SIZE: that size in MiB.
size() { [[ ${!1-} =~ ^[1-9][0-9]{0,8}[GM]$ ]] || die "$1=${!1-}: want a size such as 4G or 512M"; }
mib() { case $1 in *G) echo $(( ${1%G} * 1024 )) ;; *) echo "${1%M}" ;; esac; }

# check_accel: ACCEL [tcg] is tcg, or kvm with a usable /dev/kvm for a
# guest of the host's architecture.
check_accel() {
	case ${ACCEL:=tcg} in
	tcg) ;;
	kvm) [ "$ARCH" = "$(host_arch)" ] || die "ACCEL=kvm: an $ARCH guest cannot run under KVM on this $(host_arch) host (ACCEL=tcg)"
	     kvm_usable /dev/kvm ;;
	*) die "ACCEL=$ACCEL: want tcg or kvm" ;;
	esac
}
# kvm_usable DEV: DEV (/dev/kvm) is a character device this user can open
# read-write.
kvm_usable() {
	[ -e "$1" ] || die "ACCEL=kvm but there is no $1: no KVM on this host (load kvm_intel or kvm_amd, or ACCEL=tcg)"
	[ -c "$1" ] || die "ACCEL=kvm but $1 is not a character device"
	{ : <>"$1"; } 2>/dev/null || die "ACCEL=kvm but $1 is not read-writable by $(id -un) (add the user to group kvm)"
}

# Free disk under BUILD. Measured here: build/linux 2.1 GiB (the tree and
# its .git), build/obj 0.3 GiB, the .deb's unpack space 0.2 GiB, initramfs
# and logs a few hundred MiB. A cold start (no tree or no kernel built)
# needs twice that; a warm one room for logs and rebuilt objects.
DISK_COLD_GIB=6 DISK_WARM_GIB=1
disk_need_gib() {
	if [ -d "$TREE/.git" ] && [ -f "$OBJ/vmlinux" ]; then echo "$DISK_WARM_GIB"; else echo "$DISK_COLD_GIB"; fi
}
# check_disk: enough free disk on the filesystem that holds (or will hold) BUILD.
check_disk() {
	local dir=$BUILD need avail
	need=$(disk_need_gib)
	while [ ! -d "$dir" ]; do dir=$(dirname "$dir"); done
	avail=$(df -Pk "$dir" | awk 'NR == 2 { print $4 }')
	[[ $avail =~ ^[0-9]+$ ]] || die "no free space figure from 'df -Pk $dir': $avail"
	(( avail >= need * 1024 * 1024 )) ||
		die "only $((avail / 1024 / 1024)) GiB free on the filesystem of $dir (BUILD=$BUILD): $([ "$need" = "$DISK_COLD_GIB" ] &&
			echo "a cold start (tree and kernel build)" || echo "a run with the tree and kernel built") needs $need GiB; free some or set BUILD elsewhere"
}

# Host RAM left beside the guest: QEMU itself (TCG's translation cache is
# 512 MiB, tb-size in boot.sh; a few hundred MiB more) and the host.
HOST_HEADROOM_MIB=2048
# ram_limit_mib MEMTOTAL_KIB: the largest guest RAM this host backs.
ram_limit_mib() { echo $(( $1 / 1024 - HOST_HEADROOM_MIB )); }

# guest_settings: boot.sh's settings from the environment, with their
# defaults, checked; mem_g is MEM in GiB, guest_mib the guest's RAM (MEM and
# the pc-dimms; legacy pmem is carved out of MEM, not added to it), and
# overcommit an MMT-OVERCOMMIT line when the guest exceeds ram_limit_mib and
# OVERCOMMIT=1 lets it boot (else empty).
# shellcheck disable=SC2034 # mem_g, guest_mib, overcommit: for boot.sh
guest_settings() {
	check_accel
	MEM=${MEM:-4G} NODES=${NODES:-1} CPUS=${CPUS:-2} SLOTS=${SLOTS:-0}
	DIMMS=${DIMMS:-0} DIMM_SIZE=${DIMM_SIZE:-1G} TIMEOUT=${TIMEOUT:-600} VMEM=${VMEM:-0}
	size MEM
	whole NODES; whole CPUS; whole SLOTS 0; whole DIMMS 0; whole TIMEOUT
	size DIMM_SIZE
	if [ "$VMEM" != 0 ]; then
		size VMEM
		[ "$ARCH" = x86_64 ] || die "VMEM=$VMEM: the virtio-mem guest is x86_64's (not tried on the arm64 virt machine)"
		(( SLOTS > DIMMS )) || die "VMEM=$VMEM needs a memory slot of its own: SLOTS>$DIMMS (SLOTS=$SLOTS)"
	fi
	(( $(mib "$MEM") % 1024 == 0 )) || die "MEM=$MEM: want whole GiB, e.g. 4G"
	mem_g=$(( $(mib "$MEM") / 1024 ))
	(( mem_g % NODES == 0 )) || die "MEM=$MEM does not split evenly over NODES=$NODES"
	(( CPUS % NODES == 0 )) || die "CPUS=$CPUS: want a multiple of NODES=$NODES (one socket of as many vCPUs per node)"
	(( DIMMS <= SLOTS )) || die "DIMMS=$DIMMS needs SLOTS>=$DIMMS (SLOTS=$SLOTS)"
	case ${OVERCOMMIT:=0} in 0|1) ;; *) die "OVERCOMMIT=$OVERCOMMIT: want 0 or 1" ;; esac
	if [ "$ARCH" = arm64 ]; then
		[ -z "${PMEM:-}" ] || die "PMEM=$PMEM: legacy pmem (memmap=nn!ss) is x86_64's; the arm64 guest has none"
		# shellcheck disable=SC2034 # for boot.sh
		AA64_FIRMWARE=${AA64_FIRMWARE:-/usr/share/qemu-efi-aarch64/QEMU_EFI.fd}
	fi

	# Guest RAM is allocated lazily (reserve=off): a guest larger than the
	# host starts, then swaps. Refused unless asked for.
	local total limit what
	guest_mib=$(( mem_g * 1024 + DIMMS * $(mib "$DIMM_SIZE") + $( [ "$VMEM" = 0 ] && echo 0 || mib "$VMEM") ))
	total=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
	limit=$(ram_limit_mib "$total")
	overcommit=""
	(( guest_mib > limit )) || return 0
	what="guest RAM $guest_mib MiB (MEM=$MEM$( (( DIMMS == 0 )) || echo " + $DIMMS x $DIMM_SIZE pc-dimm")) exceeds the $limit MiB this host can back (MemTotal $((total / 1024)) MiB less $HOST_HEADROOM_MIB MiB for QEMU and the host)"
	[ "$OVERCOMMIT" = 1 ] || die "$what: it would swap if the guest touched it all; OVERCOMMIT=1 boots it anyway"
	say "overcommitting (OVERCOMMIT=1): $what"
	overcommit="MMT-OVERCOMMIT {\"guest_mib\": $guest_mib, \"limit_mib\": $limit, \"memtotal_mib\": $((total / 1024))}"
}

# guest_files: what the guest needs on this host that setup.sh installs (the
# arm64 UEFI firmware for pc-dimms). Only boot.sh asks, after guest_settings:
# the commands check their guests before setup.sh runs, and a package that is
# still to be installed is no reason to refuse them (issue 26).
guest_files() {
	[ "$ARCH" != arm64 ] || (( SLOTS == 0 )) || [ -r "$AA64_FIRMWARE" ] ||
		die "SLOTS=$SLOTS on arm64 boots through UEFI, and there is no firmware at $AA64_FIRMWARE (make setup installs qemu-efi-aarch64)"
}

# check_guest: guest_settings in a subshell (the caller's variables stay as
# they were), for check.sh and bench.sh to check each guest before building:
#   MEM=16G NODES=2 check_guest
check_guest() ( guest_settings )
