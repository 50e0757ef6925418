#!/usr/bin/env python3
"""Two kernels' results of the same workloads, row by row.

  ab-compare.py A.json[,A2.json,...] B.json[,B2.json,...] [PLOT.png]

Each side is one results.json, or one per round (boot) as a comma-separated
list, rounds in the same order on both sides. A markdown table: each row's
medians (all samples pooled) and B/A with a bootstrap 95% interval. With
rounds, the interval resamples whole rounds, both kernels' round i together:
samples from one boot are not independent, a boot is the unit. Then whether
the interval holds 1. Fails when a row is in one side only (a run that
measured less is not a comparison). With PLOT.png, the times' ratios and
intervals as a plot (gnuplot, x from 0.5 to 1.5).
"""
import json
import os
import random
import statistics
import subprocess
import sys

from stats import BOOT, _pct, ratio_ci


def key(r):
    return (r["workload"], r["where"], json.dumps(r["params"], sort_keys=True), r["mode"], r["metric"])


def side(paths):
    """(accel, {row key: result}, {row key: [samples of round i]})"""
    docs = []
    for p in paths.split(","):
        with open(p) as f:
            docs.append(json.load(f))
    rows, rounds = {}, {}
    for i, d in enumerate(docs):
        for r in d["results"]:
            k = key(r)
            rows.setdefault(k, dict(r, samples=[]))["samples"] += r["samples"]
            rounds.setdefault(k, [[] for _ in docs])[i] = r["samples"]
    return docs[0]["accel"], rows, rounds


def round_ratio_ci(a, b):
    """B/A over rounds: (ratio of pooled medians, [low, high]) resampling
    round indices, the same for both kernels (paired by round)."""
    med = lambda rs: statistics.median([x for s in rs for x in s])  # noqa: E731
    r = med(b) / med(a)
    rng = random.Random(hash(tuple(x for s in a + b for x in s)) & 0xffffffff)
    out = []
    for _ in range(BOOT):
        k = rng.choices(range(len(a)), k=len(a))
        sa, sb = [a[i] for i in k], [b[i] for i in k]
        if any(sa) and any(sb):
            out.append(med(sb) / med(sa))
    return r, [_pct(out, 0.025), _pct(out, 0.975)]


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


def main(a_paths, b_paths, plot_path=None):
    accel, a, a_rounds = side(a_paths)
    _, b, b_rounds = side(b_paths)
    nr = len(a_paths.split(","))
    if nr != len(b_paths.split(",")):
        print("ab-compare.py: A and B have different numbers of rounds", file=sys.stderr)
        return 1
    only = sorted(set(a) ^ set(b))
    if only:
        for k in only:
            print(f"ab-compare.py: only in {'A' if k in a else 'B'}: {k}", file=sys.stderr)
        return 1
    if not a:
        print("ab-compare.py: no rows", file=sys.stderr)
        return 1
    unit = f"{nr} rounds resampled, paired" if nr > 1 else "samples resampled"
    print(f"A: {a_paths}, B: {b_paths}; where: {accel} unless the row says otherwise; "
          f"95% CI: bootstrap, {unit}")
    print()
    print("| workload | where | params | mode | metric | n | median A | median B | B/A [95% CI] | 1 in CI |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    off = 0
    ratios = []
    for k in sorted(a):
        ra, rb = a[k], b[k]
        if nr > 1:
            r, (lo, hi) = round_ratio_ci(a_rounds[k], b_rounds[k])
        else:
            r, (lo, hi) = ratio_ci(rb["samples"], ra["samples"])
        inside = lo <= 1.0 <= hi
        off += not inside
        ps = " ".join(f"{p}={v}" for p, v in ra["params"].items())
        if ra["unit"] == "ns":     # times only in the plot, not page counts
            ratios.append((f"{k[0]} {ps} {k[3]} {k[4]}", r, lo, hi))
        n = f"{len(ra['samples'])}/{len(rb['samples'])}"
        print(f"| {k[0]} | {k[1]} | {ps} | {k[3]} | {k[4]} | {n} | {statistics.median(ra['samples']):.4g} | "
              f"{statistics.median(rb['samples']):.4g} | {r:.3f} [{lo:.3f}, {hi:.3f}] | {'yes' if inside else 'no'} |")
    print()
    print(f"{len(a)} rows; {off} with B/A's 95% interval excluding 1")
    if plot_path:
        plot(plot_path, f"B / A, where: {accel}, 95% CI: {unit}", ratios)
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
