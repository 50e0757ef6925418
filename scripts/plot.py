#!/usr/bin/env python3
"""Plots from results.json (gnuplot, PNG).

  plot.py RESULTS.json OUTDIR

- modes-tcg.png: per guest workload, median time per mode (off, cached, nt)
  as a ratio to mode off, with the p25-p75 range; labelled TCG.
- native.png: ns per struct page vs working-set size, one line per method
  (slow, cached, nt, limit), from the native userspace model.
- native-deferred.png: deferred init (init + free) natively: fused slow,
  fused cached, split cached, split nt, limit; ns per page vs size.
- native-ratio.png: each method's time as a ratio to the streaming limit.
- deferred-tcg.png: per-node deferred init time vs guest size, per mode and
  node count (QEMU TCG).
- gpu-tcg.png: device-private registration time vs GiB, per mode (TCG).
"""
import json
import os
import subprocess
import sys


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
    size = lambda r: r["params"]["size_mib"]  # noqa: E731
    write_series(os.path.join(outdir, "native.dat"), by_mode(nat, methods, size),
                 lambda r: (size(r), r["median"], r["p25"], r["p75"]))
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
    made = [f"{outdir}/modes-tcg.png"] + ([f"{outdir}/native.png"] if nat else [])

    # 3. native deferred init: fused vs split, and the ratio to the limit
    nd = [r for r in res if r["workload"] == "native-deferred"]
    dm = ["fused-slow", "fused-cached", "split-cached", "split-nt", "limit"]
    if nd:
        lim = {r["params"]["size_mib"]: r["median"] for r in nd if r["mode"] == "limit"}
        write_series(os.path.join(outdir, "native-deferred.dat"), by_mode(nd, dm, size),
                     lambda r: (size(r), r["median"], r["p25"], r["p75"], r["median"] / lim[size(r)]))
        gp += f"""
set terminal png size 900,550 noenhanced
set output '{outdir}/native-deferred.png'
set title "Deferred init natively (init + free; userspace model, this machine)"
set style data linespoints
set logscale x 2
unset logscale y
set xlabel "memmap size (MiB)"
set ylabel "ns per struct page (median, bars p25-p75)"
set yrange [0:*]
set key top right
plot for [i=0:4] '{outdir}/native-deferred.dat' index i using 1:2:3:4 with yerrorlines title word("{' '.join(dm)}", i+1)
set output '{outdir}/native-ratio.png'
set title "Deferred init natively: time / streaming-store limit (1 = the limit)"
set ylabel "time / limit (median)"
plot for [i=0:3] '{outdir}/native-deferred.dat' index i using 1:5 title word("{' '.join(dm)}", i+1), 1 title "limit" lc rgb "black" dt 2
"""
        made += [f"{outdir}/native-deferred.png", f"{outdir}/native-ratio.png"]

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
                        f.write(f'{sz} {w["median"] / 1e6} {w["p25"] / 1e6} {w["p75"] / 1e6}\n')
                f.write("\n\n")
        titles = " ".join(f"{m}-{n}node" for m, n in series)
        gp += f"""
set terminal png size 900,550 noenhanced
set output '{outdir}/deferred-tcg.png'
set title "Deferred init, slowest node (memmap:memmap_init ns, median) -- QEMU TCG"
set style data linespoints
unset logscale
set xlabel "guest RAM (GiB)"
set ylabel "ms (bars p25-p75)"
set yrange [0:*]
set key top left
plot for [i=0:{len(series) - 1}] '{outdir}/deferred-tcg.dat' index i using 1:2:3:4 with yerrorlines title word("{titles}", i+1)
"""
        made.append(f"{outdir}/deferred-tcg.png")

    # 5. GPU-scale registration under TCG
    g = [r for r in res if r["workload"] == "gpu-register" and r["metric"] == "memmap_init_tp_ns"]
    if g:
        gmodes = sorted({r["mode"] for r in g})
        write_series(os.path.join(outdir, "gpu-tcg.dat"), by_mode(g, gmodes, lambda r: r["params"]["gib"]),
                     lambda r: (r["params"]["gib"], r["median"] / 1e6, r["p25"] / 1e6, r["p75"] / 1e6))
        gp += f"""
set terminal png size 900,550 noenhanced
set output '{outdir}/gpu-tcg.png'
set title "Device-private registration (memmap_init_zone_device, tracepoint ns) -- QEMU TCG"
set style data linespoints
set logscale x 2
set xlabel "device-private memory registered (GiB)"
set ylabel "ms (median, bars p25-p75)"
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
