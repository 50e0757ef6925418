#!/usr/bin/env python3
"""Plots from results.json (gnuplot, PNG).

  plot.py RESULTS.json OUTDIR

- modes-tcg.png: per guest workload, each mode's median time (cached, nt,
  auto) as a ratio to mode off, with its 95% interval; labelled TCG.
- native-fill-PATH-STATE.png: the kernel's own fill natively (kfill-bench),
  ns per struct page vs size: off, cached, nt, auto and the limit.
- native-deferred.png: deferred init + free natively (UML): fused off, the
  ablation rows, split cached and nt, auto and the limit.
- native-online.png: onlining init + free natively (UML): off, the template
  before born-free onlining (cached, nt) and born free (cached, nt, auto).
- native-ratio.png: off / nt with its 95% interval, per path, vs size.
- deferred-tcg.png: per-node deferred init time vs guest size, per mode and
  node count (QEMU TCG).
- gpu-tcg.png: device-private registration time vs GiB, per mode (TCG).
"""
import json
import os
import subprocess
import sys

from stats import ratio_ci


def write_series(path, groups, row):
    """A gnuplot data file: one block (index) per group of results, one
    line per result with the values row(result) gives."""
    with open(path, "w") as f:
        for rs in groups:
            for r in rs:
                f.write(" ".join(str(v) for v in row(r)) + "\n")
            f.write("\n\n")


def by_mode(res, modes, key):
    """res split per mode (in the order of modes), each sorted by key."""
    return [sorted((r for r in res if r["mode"] == m), key=key) for m in modes]


def main(path, outdir):
    doc = json.load(open(path))
    os.makedirs(outdir, exist_ok=True)
    res = doc["results"]

    # 1. guest workloads: ratio of each mode's median to mode off
    rows = []
    for r in res:
        if r["workload"].startswith("native") or not r["metric"].endswith("tp_ns"):
            continue
        p = r["params"]
        label = r["workload"] + "".join(
            " " + str(p[k]) + u for k, u in (("ns", ""), ("map", ""), ("align", ""), ("mem_gib", "G"),
                                           ("nodes", "n"), ("gib", "G")) if k in p)
        if r["workload"] == "pmem-bind":
            label += " %.0fG" % (p["pages"] * 4096 / 2**30)
        label += " " + r["metric"].replace("_tp_ns", "")
        off = next((o for o in res if o["workload"] == r["workload"] and o["params"] == p
                    and o["metric"] == r["metric"] and o["mode"] == "off"), None)
        if off is None or r["mode"] == "off":
            continue
        v, (lo, hi) = ratio_ci(r, off)
        rows.append((label, r["mode"], v, lo, hi))
    labels = sorted({l for l, *_ in rows})
    with open(os.path.join(outdir, "modes-tcg.dat"), "w") as f:
        for i, l in enumerate(labels):
            vals = {m: (v, lo, hi) for ll, m, v, lo, hi in rows if ll == l}
            c, n, a = (vals.get(m, (0, 0, 0)) for m in ("cached", "nt", "auto"))
            f.write(f'{i} "{l}" {c[0]} {c[1]} {c[2]} {n[0]} {n[1]} {n[2]} {a[0]} {a[1]} {a[2]}\n')
    gp = f"""set terminal png size 1100,{200 + 40 * len(labels)} noenhanced
set output '{outdir}/modes-tcg.png'
set title "memmap init time relative to mode off (ratio of medians, bars 95% CI) -- QEMU TCG: path length, no caches"
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6
set yrange [0:*]
set ylabel "time / time(off)"
set xtics rotate by -30 scale 0 font ",8"
set key top right
set grid ytics
plot '{outdir}/modes-tcg.dat' using 3:4:5:xtic(2) title "cached", '' using 6:7:8 title "nt", '' using 9:10:11 title "auto", 1 notitle lc rgb "black" dt 2
"""
    # 2. native, the kernel's own code: fills and init + free vs size
    made = [f"{outdir}/modes-tcg.png"]
    size = lambda r: r["params"]["size_mib"]  # noqa: E731

    def native_plot(name, title, rows, modes, extra=""):
        nonlocal gp
        write_series(os.path.join(outdir, name + ".dat"), by_mode(rows, modes, size),
                     lambda r: (size(r), r["median"], r["ci95"][0], r["ci95"][1]))
        gp += f"""
set terminal png size 900,550 noenhanced
set output '{outdir}/{name}.png'
set title "{title}"
set style data linespoints
set logscale x 2
unset logscale y
set xlabel "struct pages written (MiB)"
set ylabel "ns per struct page (median, bars 95% CI)"
set yrange [0:*]
set key top right
plot for [i=0:{len(modes) - 1}] '{outdir}/{name}.dat' index i using 1:2:3:4 with yerrorlines title word("{' '.join(modes)}", i+1){extra}
"""
        made.append(f"{outdir}/{name}.png")

    nf = [r for r in res if r["workload"] == "native-fill" and r["params"].get("threads") == 1]
    for path, state in sorted({(r["params"]["path"], r["params"]["state"]) for r in nf if "path" in r["params"]}):
        rows = [r for r in nf if r["params"].get("path") == path and r["params"]["state"] == state]
        lim = {}
        for r in nf:
            if r["mode"] == "limit" and r["params"]["state"] == state and r["params"].get("template"):
                if size(r) not in lim or r["median"] < lim[size(r)]["median"]:
                    lim[size(r)] = r
        rows += [dict(r, mode="limit") for r in lim.values()]
        native_plot(f"native-fill-{path}-{state}",
                    f"{path} memmap fill, memmap {state}: the kernel's own code natively (this machine)",
                    rows, ["off", "cached", "nt", "auto", "limit"])
    # init + free: one set of plots per page-check setting (page_checks=1:
    # "-checks", what init_on_alloc=1 turns on)
    nia = [r for r in res if r["workload"] == "native-initfree"]
    dr = []
    for pc in sorted({r["params"].get("page_checks", 0) for r in nia}):
        ni = [r for r in nia if r["params"].get("page_checks", 0) == pc]
        sfx, what = ("-checks", ", page checks on") if pc else ("", "")
        d = [r for r in ni if r["params"].get("path") == "deferred"]
        if not pc:
            dr = d
        if d:
            lim = {}
            for r in ni:
                if r["mode"] == "limit" and r["params"].get("sequence") != "rep-stosb-zero":
                    if size(r) not in lim or r["median"] < lim[size(r)]["median"]:
                        lim[size(r)] = r
            native_plot("native-deferred" + sfx,
                        "Deferred init + free natively (UML, real buddy allocator): fused off, "
                        "ablation, split" + what,
                        d + [dict(r, mode="limit") for r in lim.values()],
                        ["off", "copy", "copy-nt", "cached", "nt", "auto", "limit"])

        # onlining: as before (the early rows: template, then every page
        # freed) against born free (mm/0017), same run
        on = [r for r in ni if r["params"].get("path") == "online"]
        if on:
            before = [dict(r, mode="before-" + r["mode"]) for r in ni
                      if r["params"].get("path") == "early" and r["mode"] in ("cached", "nt")]
            native_plot("native-online" + sfx,
                        "Onlining init + free natively (UML): off, template before mm/0017, born free" + what,
                        on + before, ["off", "before-cached", "before-nt", "cached", "nt", "auto"])

    # off / nt per path vs size, with the ratio's bootstrap interval
    series = []
    for path, state in sorted({(r["params"]["path"], r["params"]["state"]) for r in nf if "path" in r["params"]}):
        series.append((f"fill {path} {state}", [r for r in nf if r["params"].get("path") == path
                                                 and r["params"]["state"] == state]))
    series.append(("deferred init+free", dr))
    with open(os.path.join(outdir, "native-ratio.dat"), "w") as f:
        for _, rows in series:
            for mib in sorted({size(r) for r in rows}):
                o = next((r for r in rows if size(r) == mib and r["mode"] == "off"), None)
                n = next((r for r in rows if size(r) == mib and r["mode"] == "nt"), None)
                if o and n:
                    v, (lo, hi) = ratio_ci(o, n)
                    f.write(f"{mib} {v} {lo} {hi}\n")
            f.write("\n\n")
    if nf or dr:
        titles = "|".join(t for t, _ in series)
        gp += f"""
set terminal png size 900,550 noenhanced
set output '{outdir}/native-ratio.png'
set title "How much faster than the old code (off / nt, bars 95% CI) -- natively, this machine"
set style data linespoints
set logscale x 2
set xlabel "struct pages written (MiB)"
set ylabel "time(off) / time(nt)"
set yrange [0:*]
set key bottom right
set datafile separator whitespace
plot for [i=0:{len(series) - 1}] '{outdir}/native-ratio.dat' index i using 1:2:3:4 with yerrorlines title word("{' '.join(t.replace(' ', '_') for t, _ in series)}", i+1), 1 notitle lc rgb "black" dt 2
"""
        made.append(f"{outdir}/native-ratio.png")

    # 4. deferred init under TCG: per-node time vs guest size
    dt = [r for r in res if r["workload"] == "deferred-init" and r["metric"].endswith("_tp_ns")]
    series = sorted({(r["mode"], r["params"]["nodes"]) for r in dt})
    if dt:
        with open(os.path.join(outdir, "deferred-tcg.dat"), "w") as f:
            for mode, nodes in series:
                sizes = sorted({r["params"]["mem_gib"] for r in dt if r["params"]["nodes"] == nodes})
                for sz in sizes:
                    v = [r for r in dt if r["mode"] == mode and r["params"] == {"mem_gib": sz, "nodes": nodes}]
                    if v:   # the slowest node: when the node's memory is ready
                        w = max(v, key=lambda r: r["median"])
                        f.write(f'{sz} {w["median"] / 1e6} {w["ci95"][0] / 1e6} {w["ci95"][1] / 1e6}\n')
                f.write("\n\n")
        titles = " ".join(f"{m}-{n}node" for m, n in series)
        gp += f"""
set terminal png size 900,550 noenhanced
set output '{outdir}/deferred-tcg.png'
set title "Deferred init, slowest node (memmap:memmap_init ns, median) -- QEMU TCG"
set style data linespoints
unset logscale
set xlabel "guest RAM (GiB)"
set ylabel "ms (bars 95% CI of the median)"
set yrange [0:*]
set key top left
plot for [i=0:{len(series) - 1}] '{outdir}/deferred-tcg.dat' index i using 1:2:3:4 with yerrorlines title word("{titles}", i+1)
"""
        made.append(f"{outdir}/deferred-tcg.png")

    # 5. GPU-scale registration under TCG
    g = [r for r in res if r["workload"] == "gpu-register" and r["metric"] == "memmap_init_tp_ns"]
    if g:
        # each mode on one CPU, and each on the node's CPUs ("MODE-parallel")
        g = [dict(r, mode=r["mode"] + ("-parallel" if r["params"].get("parallel") else "")) for r in g
             if r["params"].get("threads", 1) == 1 or r["params"].get("parallel")]
        gmodes = sorted({r["mode"] for r in g})
        write_series(os.path.join(outdir, "gpu-tcg.dat"), by_mode(g, gmodes, lambda r: r["params"]["gib"]),
                     lambda r: (r["params"]["gib"], r["median"] / 1e6, r["ci95"][0] / 1e6, r["ci95"][1] / 1e6))
        gp += f"""
set terminal png size 900,550 noenhanced
set output '{outdir}/gpu-tcg.png'
set title "Device-private registration (memmap_init_zone_device, tracepoint ns; bars 95% CI) -- QEMU TCG"
set style data linespoints
set logscale x 2
set xlabel "device-private memory registered (GiB)"
set ylabel "ms (median)"
set yrange [0:*]
set key top left
plot for [i=0:{len(gmodes) - 1}] '{outdir}/gpu-tcg.dat' index i using 1:2:3:4 with yerrorlines title word("{' '.join(gmodes)}", i+1)
"""
        made.append(f"{outdir}/gpu-tcg.png")
    with open(os.path.join(outdir, "plots.gp"), "w") as f:
        f.write(gp)
    subprocess.run(["gnuplot", os.path.join(outdir, "plots.gp")], check=True)
    print("plots: " + ", ".join(made))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
