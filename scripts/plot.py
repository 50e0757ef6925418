#!/usr/bin/env python3
"""Plots from results.json (gnuplot, PNG).

  plot.py RESULTS.json OUTDIR

- modes-tcg.png: per guest workload, median time per mode (off, cached, nt)
  as a ratio to mode off, with the p25-p75 range; labelled TCG.
- native.png: ns per struct page vs working-set size, one line per method
  (slow, cached, nt, limit), from the native userspace model.
"""
import json
import os
import subprocess
import sys


def main(path, outdir):
    doc = json.load(open(path))
    os.makedirs(outdir, exist_ok=True)
    res = doc["results"]

    # 1. guest workloads: ratio of each mode's median to mode off
    rows = []
    for r in res:
        if r["workload"] == "native-fill" or not r["metric"].endswith("tp_ns"):
            continue
        p = r["params"]
        label = r["workload"] + "".join(
            " " + str(p[k]) for k in ("ns", "map", "align") if k in p)
        label += " " + r["metric"].replace("_tp_ns", "")
        off = next((o for o in res if o["workload"] == r["workload"] and o["params"] == p
                    and o["metric"] == r["metric"] and o["mode"] == "off"), None)
        if off is None or r["mode"] == "off":
            continue
        rows.append((label, r["mode"], r["median"] / off["median"],
                     r["p25"] / off["median"], r["p75"] / off["median"]))
    labels = sorted({l for l, *_ in rows})
    with open(os.path.join(outdir, "modes-tcg.dat"), "w") as f:
        for i, l in enumerate(labels):
            vals = {m: (v, lo, hi) for ll, m, v, lo, hi in rows if ll == l}
            c = vals.get("cached", (0, 0, 0))
            n = vals.get("nt", (0, 0, 0))
            f.write(f'{i} "{l}" {c[0]} {c[1]} {c[2]} {n[0]} {n[1]} {n[2]}\n')
    gp = f"""set terminal png size 1100,{200 + 40 * len(labels)} noenhanced
set output '{outdir}/modes-tcg.png'
set title "memmap init time relative to mode off (median, bars p25-p75) -- QEMU TCG: path length, no caches"
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6
set yrange [0:*]
set ylabel "time / time(off)"
set xtics rotate by -30 scale 0 font ",8"
set key top right
set grid ytics
plot '{outdir}/modes-tcg.dat' using 3:4:5:xtic(2) title "cached", '' using 6:7:8 title "nt", 1 notitle lc rgb "black" dt 2
"""
    # 2. native model
    nat = [r for r in res if r["workload"] == "native-fill"]
    methods = ["slow", "cached", "nt", "limit"]
    with open(os.path.join(outdir, "native.dat"), "w") as f:
        for m in methods:
            for r in sorted((r for r in nat if r["mode"] == m),
                            key=lambda r: r["params"]["size_mib"]):
                f.write(f'{r["params"]["size_mib"]} {r["median"]} {r["p25"]} {r["p75"]}\n')
            f.write("\n\n")
    if nat:
        gp += f"""
set terminal png size 900,550 noenhanced
set output '{outdir}/native.png'
set title "Writing 64-byte struct pages natively (userspace model, this machine)"
set style data linespoints
set logscale x 2
set xtics auto rotate by 0 font ",10"
set xlabel "memmap size (MiB)"
set ylabel "ns per struct page (median, bars p25-p75)"
set yrange [0:*]
set key top right
plot for [i=0:3] '{outdir}/native.dat' index i using 1:2:3:4 with yerrorlines title word("{' '.join(methods)}", i+1)
"""
    with open(os.path.join(outdir, "plots.gp"), "w") as f:
        f.write(gp)
    subprocess.run(["gnuplot", os.path.join(outdir, "plots.gp")], check=True)
    print(f"plots: {outdir}/modes-tcg.png" + (f", {outdir}/native.png" if nat else ""))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
