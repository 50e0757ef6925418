#!/usr/bin/env bash
# Build kfill-bench: the tree's own memmap init code (build/linux, configured
# in $OBJ, default build/obj: the guest kernel's config) compiled with the
# kernel's own flags for a userspace process, linked with bench.c.
#   bench-deferred/native-kernel/build.sh [OUT_DIR]
# Kernel flags dropped, and why: -mcmodel=kernel (the code runs below 2 GiB,
# not in the kernel's top 2 GiB), -pg/-mfentry/-mrecord-mcount (ftrace call
# sites), dependency and output options. Everything else stays, so the code
# is what the kernel runs: -O2, -mno-sse (no vector registers in the kernel),
# -ftrivial-auto-var-init as configured, and so on. distro.h then sets what
# distributions ship where the guest config differs for its tests.
. "$(dirname "$0")/../../scripts/lib.sh"

out=${1:-$BUILD/native-kernel}
here=$TOP/bench-deferred/native-kernel
cmdfile=$OBJ/mm/.mm_init.o.cmd
[ -f "$cmdfile" ] || die "no $cmdfile: build the kernel first ('make kernel'; OBJ=$OBJ)"
mkdir -p "$out"

# The functions the benchmark runs, copied verbatim from the tree.
python3 "$here/extract.py" "$TREE/mm/mm_init.c" \
	zone_idx_is_device __init_single_page overlap_memmap_init defer_init memmap_init_range_tmpl \
	memmap_init_pages memmap_tmpl_pageblocks __memmap_init_range memmap_init_range __init_zone_device_page \
	compound_nr_pages __init_zone_device_tail memmap_init_compound \
	memmap_device_tmpl_prepare memmap_device_tmpl_bulk memmap_device_tmpl_fill memmap_device_slow \
	memmap_init_device_pages deferred_init_pages > "$out/mm_init_extract.c"
python3 "$here/extract.py" "$TREE/mm/page_alloc.c" \
	get_pageblock_bitmap pfn_to_bitidx get_pfnblock_bitmap_bitidx __set_pfnblock_flags_mask \
	init_pageblock_migratetype page_expected_state is_check_pages_enabled free_pages_tmpl_ok \
	free_pages_tmpl_walks_tails > "$out/page_alloc_extract.c"
# ... with the headers those files include.
grep -h '^#include <' "$TREE/mm/mm_init.c" "$TREE/mm/page_alloc.c" | sort -u > "$out/includes.h"

# The kernel's own command line for mm/mm_init.o, minus what cannot run here.
read -r -a kflags < <(sed -n '1{s/^savedcmd_[^ ]* := //; s/ ; .*//; p}' "$cmdfile")
cflags=()
skip=0
for f in "${kflags[@]}"; do
	if [ $skip = 1 ]; then skip=0; continue; fi
	case $f in
	ccache|gcc|*-gcc) ;;
	-o) skip=1 ;;
	-c|-Wp,-MMD,*|-mcmodel=kernel|-pg|-mfentry|-mrecord-mcount) ;;
	-DKBUILD_*|-D__KBUILD_MODNAME=*|*.c) ;;	# quoted: set below
	*) cflags+=("$f") ;;
	esac
done
say "native-kernel: compiling the tree's memmap init code for userspace ($(grep -c '^#line' "$out/mm_init_extract.c") mm_init.c + $(grep -c '^#line' "$out/page_alloc_extract.c") page_alloc.c functions, memmap_template.c)"
# The kernel's include paths are relative to $OBJ.
(cd "$OBJ" && gcc "${cflags[@]}" -include "$here/distro.h" -I"$out" \
	-Wno-missing-prototypes -Wno-missing-declarations \
	-DKBUILD_MODNAME='"memmap_template"' -DKBUILD_BASENAME='"memmap_template"' \
	-c -o "$out/kfill.o" "$here/kfill.c")
gcc -O2 -Wall -Wextra -c -o "$out/bench.o" "$here/bench.c"

# Stand-ins for what the kernel code references but a process cannot have,
# from the kernel's own vmlinux: a function aborts naming itself (nothing
# unset up runs silently); a variable is its bytes as vmlinux initialises
# it (a default-true static key stays true), zero if it is in .bss. Per-cpu
# ones too: %gs is 0 in a process, so a per-cpu access reads the variable
# itself, as CPU 0. A few must work: below.
[ -f "$OBJ/vmlinux" ] || die "no $OBJ/vmlinux: build the kernel first ('make kernel')"
nm -u "$out/kfill.o" | awk '{ print $2 }' | sort -u > "$out/undefined.txt"
python3 - "$OBJ/vmlinux" "$out/undefined.txt" > "$out/stubs.c" <<'PY'
import subprocess, sys
vmlinux, undefined = sys.argv[1], open(sys.argv[2]).read().split()
syms = {}
for line in subprocess.run(["nm", "-S", vmlinux], capture_output=True, text=True, check=True).stdout.splitlines():
    f = line.split()
    if len(f) == 4:
        syms.setdefault(f[3], (f[2], int(f[0], 16), int(f[1], 16)))
    elif len(f) == 3:
        syms.setdefault(f[2], (f[1], int(f[0], 16), 0))
secs = []	# (addr, size, file offset, nobits)
for line in subprocess.run(["readelf", "-SW", vmlinux], capture_output=True, text=True, check=True).stdout.splitlines():
    f = line.replace("[ ", "[").split()
    if len(f) > 6 and f[0].startswith("[") and f[0] != "[Nr]":
        secs.append((int(f[3], 16), int(f[5], 16), int(f[4], 16), f[2] == "NOBITS"))
image = open(vmlinux, "rb")

def initial_bytes(addr, size):
    for a, n, off, nobits in secs:
        if a <= addr and addr + size <= a + n and n:
            if nobits:
                return None
            image.seek(off + addr - a)
            return image.read(size)
    return None

working = {
    # a resched point, as Debian's PREEMPT_DYNAMIC static call makes it
    # (distro.h): kfill-bench -R measures the stretches between them
    "__SCT__cond_resched": "extern void (*kb_resched_hook)(void);\n"
                           "int __SCT__cond_resched(void) { if (kb_resched_hook) kb_resched_hook(); return 0; }",
    "__SCK__cond_resched": "unsigned char __SCK__cond_resched[64] __attribute__((aligned(64)));",
    "ktime_get": "#include <time.h>\nlong long ktime_get(void) { struct timespec t; "
                 "clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }",
    # auto's measurement reads the clock, and says what it chose
    "ktime_get_mono_fast_ns": "#include <time.h>\nunsigned long long ktime_get_mono_fast_ns(void) { "
                              "struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); "
                              "return t.tv_sec * 1000000000ULL + t.tv_nsec; }",
    # called from code built with -mno-sse -mskip-rax-setup and an 8-byte
    # stack boundary: no vector registers in the stub, the stack realigned
    # for libc
    "_printk": "#include <stdarg.h>\n#include <stdio.h>\n__attribute__((target(\"general-regs-only\"), "
               "force_align_arg_pointer)) int _printk(const char *f, ...) { va_list a; int n; "
               "va_start(a, f); if (f[0] == 1 && f[1]) f += 2; n = vfprintf(stderr, f, a); va_end(a); return n; }",
    "memcpy": None, "memset": None, "memcmp": None,   # libc's; not on the timed paths
    "kb_host_alloc": None, "kb_stub_called": None,
}
print("/* generated by build.sh from vmlinux's symbols: what the kernel code references */")
print("void kb_stub_called(const char *name);")
for name in undefined:
    if name in working:
        if working[name]:
            print(working[name])
        continue
    kind, addr, size = syms.get(name, ("?", 0, 0))
    if kind in "TtWw":
        print(f'void {name}(void) {{ kb_stub_called("{name}"); }}')
    elif kind in "DdBbRrVv" and size:
        data = initial_bytes(addr, size)
        init = " = {" + ", ".join(str(b) for b in data) + "}" if data and any(data) else ""
        print(f"unsigned char {name}[{size}] __attribute__((aligned(64))){init};   /* {kind} */")
    else:
        sys.exit(f"build.sh: {name}: not a function or a sized variable in vmlinux ({kind})")
PY
gcc -O2 -w -c -o "$out/stubs.o" "$out/stubs.c"
gcc -no-pie -o "$out/kfill-bench" "$out/bench.o" "$out/kfill.o" "$out/stubs.o" -lpthread
say "native-kernel: $out/kfill-bench ($(grep -c 'kb_stub_called("' "$out/stubs.c") kernel functions that abort if reached, $(grep -c '^unsigned char' "$out/stubs.c") variables as vmlinux has them)"
