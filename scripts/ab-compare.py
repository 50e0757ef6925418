#!/usr/bin/env python3
"""Two results.json of the same workloads on two kernels, row by row.

  ab-compare.py A.json B.json [PLOT.png]

A markdown table: each row's medians and B/A with its bootstrap 95% interval
(paired by round where both have as many samples, stats.py), and whether the
interval holds 1. Ends with the count of rows whose interval excludes 1; with
a 95% interval about one row in twenty does so by chance alone. Fails when a
row is in one file only (a run that measured less is not a comparison).
With PLOT.png, the times' ratios and intervals as a plot (gnuplot, x from
0.5 to 1.5).
"""
import json
import os
import subprocess
import sys

from stats import ratio_ci


def rows(path):
    with open(path) as f:
        doc = json.load(f)
    return doc, {(r["workload"], r["where"], json.dumps(r["params"], sort_keys=True),
                  r["mode"], r["metric"]): r for r in doc["results"]}


def plot(path, title, ratios):
    """One line a row: B/A's point and 95% interval, and a line at 1."""
    dat = os.path.splitext(path)[0] + ".dat"
    with open(dat, "w") as f:
        for i, (label, r, lo, hi) in enumerate(ratios):
            f.write(f'{i} {r} {lo} {hi} "{label}"\n')
    gp = f"""set terminal png size 1400,{160 + 14 * len(ratios)} noenhanced
set output '{path}'
set lmargin at screen 0.5
set xrange [0.5:1.5]
set title "{title}"
set xlabel "B / A (ratio of medians, bars: bootstrap 95% CI)"
set ytics font ",7"
set yrange [-1:{len(ratios)}] reverse
set grid xtics
set arrow from 1, graph 0 to 1, graph 1 nohead dt 2
plot '{dat}' using 2:1:3:4:ytic(5) with xerrorbars pt 7 ps 0.6 notitle
"""
    subprocess.run(["gnuplot"], input=gp, text=True, check=True)


def main(a_path, b_path, plot_path=None):
    a_doc, a = rows(a_path)
    b_doc, b = rows(b_path)
    only = sorted(set(a) ^ set(b))
    if only:
        for k in only:
            print(f"ab-compare.py: only in {a_path if k in a else b_path}: {k}", file=sys.stderr)
        return 1
    if not a:
        print("ab-compare.py: no rows", file=sys.stderr)
        return 1
    print(f"A: {a_path}, B: {b_path}; where: {a_doc['accel']} unless the row says otherwise")
    print()
    print("| workload | where | params | mode | metric | n | median A | median B | B/A [95% CI] | 1 in CI |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    off = 0
    ratios = []
    for k in sorted(a):
        ra, rb = a[k], b[k]
        r, (lo, hi) = ratio_ci(rb["samples"], ra["samples"])
        inside = lo <= 1.0 <= hi
        off += not inside
        ps = " ".join(f"{p}={v}" for p, v in ra["params"].items())
        if ra["unit"] == "ns":     # times only in the plot, not page counts
            ratios.append((f"{k[0]} {ps} {k[3]} {k[4]}", r, lo, hi))
        n = f"{len(ra['samples'])}/{len(rb['samples'])}"
        print(f"| {k[0]} | {k[1]} | {ps} | {k[3]} | {k[4]} | {n} | {ra['median']:.4g} | "
              f"{rb['median']:.4g} | {r:.3f} [{lo:.3f}, {hi:.3f}] | {'yes' if inside else 'no'} |")
    print()
    print(f"{len(a)} rows; {off} with B/A's 95% interval excluding 1 "
          f"(about {len(a) / 20:.1f} expected by chance)")
    if plot_path:
        plot(plot_path, f"B: {os.path.basename(b_path)} / A: {os.path.basename(a_path)}, "
             f"where: {a_doc['accel']}", ratios)
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
