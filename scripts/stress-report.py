#!/usr/bin/env python3
"""The stress run's leak figures, from its guest log (make stress).

  stress-report.py STRESS.LOG OUTDIR

Reads the MMT-STATE lines of scripts/guest/stress.sh ("MMT-STATE PHASE OPS
Node0DMA=n ... pcp=n buddy=n slab=kB free=kB", taken with caches dropped,
OPS the operations of the phase done so far) and
- prints, per phase, the least-squares slope of free pages (the buddy
  allocator's and the per-CPU lists') against operations with its 95%
  interval (Student's t over the snapshots): "leak PHASE: S pages/op [LO,
  HI]", and an MMT-TEST line that fails when the interval excludes zero
  by more than one page per operation (HI < -1: pages lost with every
  operation; LO > 1: gained); a phase named *-raw of two snapshots (a
  start and an end in a configuration of their own: pmem-raw) gets its
  difference, "held PHASE: D pages from start to end", and no slope;
- writes OUTDIR/stress.md: per phase, the slope, free pages, MemFree, slab
  and managed pages (all zones) at its start and end, and their
  differences;
- writes OUTDIR/stress.png (gnuplot): free pages and slab against the
  phase's start at every snapshot, by operations, one line per phase.
"""
import os
import subprocess
import sys


def parse(path):
    phases = {}                 # phase -> [(ops, free pages, free kB, slab kB, managed)]
    for line in open(path, errors="replace"):
        f = line.split()
        if len(f) < 4 or f[0] != "MMT-STATE":
            continue
        kv = dict(x.split("=", 1) for x in f[3:] if "=" in x)
        managed = sum(int(v) for k, v in kv.items() if k not in ("slab", "free", "buddy", "pcp"))
        phases.setdefault(f[1], []).append((int(f[2]), int(kv["buddy"]) + int(kv["pcp"]),
                                            int(kv["free"]), int(kv["slab"]), managed))
    return phases


# Student's t, two-sided 95%, by degrees of freedom (1.96 beyond 30)
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def slope(xs, ys):
    """Least-squares slope of ys on xs and its 95% interval, or None."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if n < 3 or not sxx:
        return None
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    a = my - b * mx
    se = (sum((y - a - b * x) ** 2 for x, y in zip(xs, ys)) / (n - 2) / sxx) ** 0.5
    t = T975[n - 3] if n - 2 <= len(T975) else 1.96
    return b, b - t * se, b + t * se


def slopes(phases):
    """Each phase's slope of free pages against operations (slope())."""
    return {name: slope([p[0] for p in s], [p[1] for p in s]) for name, s in phases.items()}


def leak_tests(phases, fits):
    """The leak line and MMT-TEST line of each phase."""
    out = []
    for name, s in phases.items():
        r = fits[name]
        test = "stress.%s.leak-slope" % name
        if name.endswith("-raw") and len(s) == 2:   # a start and an end of their own
            out.append("held %s: %+d pages from start to end (two snapshots, compared, not fitted)" % (
                name, s[1][1] - s[0][1]))
            continue
        if r is None:
            out.append("MMT-TEST not ok %s # %d snapshots over %d operations: no slope" % (
                test, len(s), s[-1][0] - s[0][0]))
            continue
        b, lo, hi = r
        line = "leak %s: %.2f pages/op [%.2f, %.2f] (%d snapshots, %d ops)" % (
            name, b, lo, hi, len(s), s[-1][0] - s[0][0])
        out.append(line)
        bad = hi < -1 or lo > 1
        out.append("MMT-TEST %s %s # %s" % ("not ok" if bad else "ok", test, line))
    return out


def main(log, out):
    phases = parse(log)
    if not phases:
        sys.exit("no MMT-STATE lines in %s" % log)
    os.makedirs(out, exist_ok=True)
    rows = ["| phase | snapshots | free pages: slope per op [95% CI] | free pages start -> end | diff | MemFree start -> end (kB) | diff | slab start -> end (kB) | diff | managed pages diff |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    fits = slopes(phases)
    for name, s in phases.items():
        a, b = s[0], s[-1]
        r = fits[name]
        rows.append("| %s | %d over %d ops | %s | %d -> %d | %+d | %d -> %d | %+d | %d -> %d | %+d (limit 2048) | %+d (limit 0) |" % (
            name, len(s), b[0] - a[0], "%.2f [%.2f, %.2f]" % r if r else "-",
            a[1], b[1], b[1] - a[1], a[2], b[2], b[2] - a[2], a[3], b[3], b[3] - a[3], b[4] - a[4]))
    owner = [l.split(None, 1)[1].rstrip("\n") for l in open(log, errors="replace")
             if l.startswith("MMT-OWNER ")]
    slab = [l.split(None, 1)[1].rstrip("\n") for l in open(log, errors="replace")
            if l.startswith("MMT-SLAB ")]
    with open(os.path.join(out, "stress.md"), "w") as f:
        f.write("Where: QEMU TCG guest of `make stress` (16 GiB, 2 vCPUs, 8 GiB legacy pmem,\n"
                "two 1 GiB pc-dimms); snapshots with caches dropped. A phase fails when\n"
                "the interval of its slope excludes zero by more than one page per operation.\n\n"
                + "\n".join(rows) + "\n")
        if owner:
            f.write("\npage_owner: pages held at the end of the phase less those at its start,\n"
                    "by allocation stack (the page allocator's own frames left out):\n\n"
                    + "\n".join("    " + l for l in owner) + "\n")
        if slab:
            f.write("\nslab caches whose pages changed most over the phase (/proc/slabinfo):\n\n"
                    + "\n".join("    " + l for l in slab) + "\n")
    dat = os.path.join(out, "stress.dat")
    with open(dat, "w") as f:
        for name, s in phases.items():
            f.write("# %s\n" % name)
            for ops, pages, _, slab, _ in s:
                f.write("%d %d %.3f\n" % (ops, pages - s[0][1], (slab - s[0][3]) / 1024.0))
            f.write("\n\n")
    names = list(phases)
    plot = lambda col: ", ".join("'%s' index %d using 1:%d with linespoints title '%s'" % (dat, i, col, n)
                                 for i, n in enumerate(names))
    script = """set terminal pngcairo size 1000,700
set output '%s'
set multiplot layout 2,1 title 'make stress (QEMU TCG guest): state against each phase start, caches dropped'
set ylabel 'free pages - start'
set xlabel 'operations of the phase'
set key outside right
plot %s
set ylabel 'Slab - start (MiB)'
plot %s
unset multiplot
""" % (os.path.join(out, "stress.png"), plot(2), plot(3))
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    print("\n".join(leak_tests(phases, fits)))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
