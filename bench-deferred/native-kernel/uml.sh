#!/usr/bin/env bash
# Native init + free with the real buddy allocator: build a UML kernel of the
# series (build/linux HEAD) plus the harness's boot-time benchmark
# (uml_bench.c, added as mm/memmap_bench_uml.c in a separate worktree,
# build/linux-um; the series tree is not touched) and run it.
#   bench-deferred/native-kernel/uml.sh build
#   bench-deferred/native-kernel/uml.sh run LOG SIZES_MIB ROUNDS [METHODS]
# UML_ARGS: more kernel parameters for the run, e.g. check_pages=1: the page
# checks that init_on_alloc=1 (a distribution default) also turns on, without
# its zeroing of every block the benchmark takes.
# UML's memory is a file in $UML_TMPDIR whose pages fault in the host on
# first touch: the benchmark touches everything it times once before timing.
. "$(dirname "$0")/../../scripts/lib.sh"

wt=$BUILD/linux-um obj=$BUILD/obj-um
here=$TOP/bench-deferred/native-kernel

build() {
	[ -d "$TREE/.git" ] || die "no build/linux: run 'make tree' first"
	local head
	head=$(git -C "$TREE" rev-parse HEAD)
	if [ ! -d "$wt" ]; then
		say "uml: worktree $wt of build/linux"
		git -C "$TREE" worktree prune
		git -C "$TREE" worktree add -q --detach "$wt" "$head"
	fi
	git -C "$wt" checkout -q -f --detach "$head"
	cp "$here/uml_bench.c" "$wt/mm/memmap_bench_uml.c"
	echo 'obj-y += memmap_bench_uml.o' >> "$wt/mm/Makefile"
	mkdir -p "$obj"
	local cc=gcc
	command -v ccache >/dev/null && cc="ccache gcc"
	make -s -C "$wt" O="$obj" ARCH=um allnoconfig
	"$wt"/scripts/config --file "$obj/.config" -e 64BIT -e PRINTK -e STDERR_CONSOLE \
		-e MEMMAP_TEMPLATE -d SMP -e HZ_250 -e CGROUPS -e MEMCG
	make -s -C "$wt" O="$obj" ARCH=um olddefconfig
	for o in MEMMAP_TEMPLATE STDERR_CONSOLE 64BIT; do
		grep -q "^CONFIG_$o=y" "$obj/.config" || die "uml: CONFIG_$o did not stick"
	done
	say "uml: building build/obj-um/linux (-j$JOBS)"
	make -s -C "$wt" O="$obj" ARCH=um CC="$cc" -j"$JOBS" linux
	git -C "$wt" checkout -q -- mm/Makefile
}

run() {
	local log=$1 sizes=$2 rounds=$3 methods=${4:-} max mem shm
	[ -x "$obj/linux" ] || die "no $obj/linux: run '$0 build' first"
	max=$(tr ',' '\n' <<<"$sizes" | sort -n | tail -1)
	# a block of 1024 pages (4 MiB) has 64 KiB of struct pages: memory for
	# the largest size, its own memmap (1/64 of it), the limits' destination
	# (as many bytes as the struct pages) and 3 GiB for the kernel
	mem=$(( max * 64 / 1024 + max / 1024 + (max + 1023) / 1024 + 3 ))
	shm=${UML_TMPDIR:-/dev/shm}
	say "uml: mem=${mem}G (${max} MiB of struct pages), memory file in $shm, sizes $sizes MiB, $rounds rounds"
	TMPDIR=$shm timeout --foreground 3600 "$obj/linux" mem="${mem}G" \
		memmap_bench_uml.sizes="$sizes" memmap_bench_uml.rounds="$rounds" \
		${methods:+memmap_bench_uml.methods=$methods} ${UML_ARGS:-} </dev/null > "$log" 2>&1 || true
	grep -q 'MMT-NATIVE-DONE' "$log" || { tail -20 "$log" >&2; die "uml: the benchmark did not finish (log: $log)"; }
	grep -q 'MMT-NATIVE sizeof' "$log" && grep -m1 'MMT-NATIVE sizeof' "$log" >&2
}

case ${1:-} in
build) build ;;
run) shift; run "$@" ;;
*) die "usage: $0 build | run LOG SIZES_MIB ROUNDS [METHODS]" ;;
esac
