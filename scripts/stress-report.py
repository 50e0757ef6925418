#!/usr/bin/env python3
"""The stress run's leak figures, from its guest log (make stress).

  stress-report.py STRESS.LOG OUTDIR

Reads the MMT-STATE lines of scripts/guest/stress.sh ("MMT-STATE PHASE STEP
Node0DMA=n ... slab=kB free=kB", taken with caches dropped) and writes:
- OUTDIR/stress.md: per phase, MemFree, slab and managed pages (all zones)
  at its start and end, the differences and the tolerance the guest test
  applies (managed exact, slab 2 MiB, MemFree 1%);
- OUTDIR/stress.png (gnuplot): MemFree and slab against the phase's start
  at every snapshot, one line per phase.
"""
import os
import subprocess
import sys


def parse(path):
    phases = {}                 # phase -> [(step, free, slab, managed)]
    for line in open(path, errors="replace"):
        f = line.split()
        if len(f) < 4 or f[0] != "MMT-STATE":
            continue
        kv = dict(x.split("=", 1) for x in f[3:] if "=" in x)
        managed = sum(int(v) for k, v in kv.items() if k not in ("slab", "free"))
        phases.setdefault(f[1], []).append((f[2], int(kv["free"]), int(kv["slab"]), managed))
    return phases


def main(log, out):
    phases = parse(log)
    if not phases:
        sys.exit("no MMT-STATE lines in %s" % log)
    os.makedirs(out, exist_ok=True)
    rows = ["| phase | snapshots | MemFree start -> end (kB) | diff | slab start -> end (kB) | diff | managed pages diff |",
            "|---|---|---|---|---|---|---|"]
    for name, s in phases.items():
        a, b = s[0], s[-1]
        rows.append("| %s | %d | %d -> %d | %+d (%+.2f%%, limit 1%%) | %d -> %d | %+d (limit 2048) | %+d (limit 0) |" % (
            name, len(s), a[1], b[1], b[1] - a[1], 100.0 * (b[1] - a[1]) / a[1],
            a[2], b[2], b[2] - a[2], b[3] - a[3]))
    with open(os.path.join(out, "stress.md"), "w") as f:
        f.write("Where: QEMU TCG guest of `make stress` (16 GiB, 2 vCPUs, 8 GiB legacy pmem,\n"
                "two 1 GiB pc-dimms); snapshots with caches dropped.\n\n" + "\n".join(rows) + "\n")
    dat = os.path.join(out, "stress.dat")
    with open(dat, "w") as f:
        for name, s in phases.items():
            f.write("# %s\n" % name)
            for i, (step, free, slab, _) in enumerate(s):
                f.write("%d %.3f %.3f %s\n" % (i, (free - s[0][1]) / 1024.0, (slab - s[0][2]) / 1024.0, step))
            f.write("\n\n")
    names = list(phases)
    plot = lambda col: ", ".join("'%s' index %d using 1:%d with linespoints title '%s'" % (dat, i, col, n)
                                 for i, n in enumerate(names))
    script = """set terminal pngcairo size 1000,700
set output '%s'
set multiplot layout 2,1 title 'make stress (QEMU TCG guest): state against each phase start, caches dropped'
set ylabel 'MemFree - start (MiB)'
set xlabel 'snapshot'
set key outside right
plot %s
set ylabel 'Slab - start (MiB)'
plot %s
unset multiplot
""" % (os.path.join(out, "stress.png"), plot(2), plot(3))
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    print("\n".join(rows))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
