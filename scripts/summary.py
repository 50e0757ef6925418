#!/usr/bin/env python3
"""Summary tables (markdown) from a results.json: TCG modes side by side with
their ratios to mode off, and the native model against its streaming limit.

  summary.py RESULTS.json
"""
import json
import sys


def main(path):
    res = json.load(open(path))["results"]

    def get(w, p, mode, metric):
        for r in res:
            if (r["workload"] == w and r["mode"] == mode and r["metric"] == metric
                    and all(r["params"].get(k) == v for k, v in p.items())):
                return r
        return None

    print("| workload (QEMU TCG; memmap:memmap_init ns, median) | n per mode | off ms | cached ms | nt ms | off/cached | off/nt |")
    print("|---|---|---|---|---|---|---|")
    sizes = sorted({(r["params"]["ns"], r["params"]["map"], r["params"]["pages"])
                    for r in res if r["workload"] == "pmem-bind"}, key=lambda k: (k[2] > 4e6, k))
    for ns, mp, pages in sizes:
        p = {"ns": ns, "map": mp, "pages": pages}
        for metric in ("first_bind_tp_ns", "rebind_tp_ns"):
            o, c, n = (get("pmem-bind", p, m, metric) for m in ("off", "cached", "nt"))
            if not (o and c and n):
                continue
            label = (f"pmem {p['ns']} map={p['map']} ({o['params']['pages']} pages) "
                     + metric.replace("_tp_ns", "").replace("_", " "))
            print(f"| {label} | {len(o['samples'])} | {o['median']/1e6:.1f} | {c['median']/1e6:.1f} | "
                  f"{n['median']/1e6:.1f} | {o['median']/c['median']:.2f}x | {o['median']/n['median']:.2f}x |")
    o, c, n = (get("hmm-register", {}, m, "memmap_init_tp_ns") for m in ("off", "cached", "nt"))
    if o and c and n:
        print(f"| test_hmm: 256 MiB device-private range (65536 pages) | {len(o['samples'])} | "
              f"{o['median']/1e6:.2f} | {c['median']/1e6:.2f} | {n['median']/1e6:.2f} | "
              f"{o['median']/c['median']:.2f}x | {o['median']/n['median']:.2f}x |")
    def row(label, o, c, n, scale=1e6, fmt=".1f"):
        def v(r):
            return format(r["median"] / scale, fmt) if r else "-"

        def q(a, b):
            return f"{a['median']/b['median']:.2f}x" if a and b else "-"
        print(f"| {label} | {len((o or c or n)['samples'])} | {v(o)} | {v(c)} | {v(n)} | {q(o, c)} | {q(o, n)} |")

    for mem, nodes in sorted({(r["params"]["mem_gib"], r["params"]["nodes"]) for r in res
                              if r["workload"] == "deferred-init"}):
        p = {"mem_gib": mem, "nodes": nodes}
        for node in range(nodes):
            o, c, n = (get("deferred-init", p, m, f"node{node}_tp_ns") for m in ("off", "cached", "nt"))
            pg = next((r for r in (get("deferred-init", p, m, f"node{node}_pages")
                                   for m in ("off", "cached", "nt")) if r), None)
            if o or c or n:
                row(f"deferred init node{node}, {mem} GiB, {nodes} node(s)"
                    + (f" ({pg['median']:.0f} pages)" if pg else ""), o, c, n)
        o, c, n = (get("early-init", p, m, "early_ns") for m in ("off", "cached", "nt"))
        if o or c or n:
            row(f"early init (all nodes), {mem} GiB, {nodes} node(s) (sched_clock)", o, c, n)
    hp = [r for r in res if r["workload"] == "hotplug-online"]
    if hp:
        p = hp[0]["params"]
        o, c, n = (get("hotplug-online", p, m, "online_tp_ns") for m in ("off", "cached", "nt"))
        row(f"hotplug: memmap init when onlining a {p['block_mib']} MiB block", o, c, n, fmt=".2f")
    for gib in sorted({r["params"]["gib"] for r in res if r["workload"] == "gpu-register"}):
        p = {"gib": gib}
        o, c, n = (get("gpu-register", p, m, "memmap_init_tp_ns") for m in ("off", "cached", "nt"))
        row(f"GPU-scale: {gib} GiB device-private, memmap_init_zone_device", o, c, n)
        o, c, n = (get("gpu-register", p, m, "register_ns") for m in ("off", "cached", "nt"))
        row(f"GPU-scale: {gib} GiB device-private, whole memremap_pages()", o, c, n)
    nat = [r for r in res if r["workload"] == "native-fill"]
    nd = [r for r in res if r["workload"] == "native-deferred"]
    if nd:
        print()
        print("| native model, deferred init (init + free): MiB of struct pages | fused-slow ns/page | fused-cached | split-cached | split-nt | limit | fused-slow / split-nt | split-nt / limit | fused-cached / split-nt | split-nt GB/s of struct pages | limit GB/s |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for sz in sorted({r["params"]["size_mib"] for r in nd}):
            v = {r["mode"]: r["median"] for r in nd if r["params"]["size_mib"] == sz}
            print(f"| {sz} | {v['fused-slow']:.2f} | {v['fused-cached']:.2f} | {v['split-cached']:.2f} | "
                  f"{v['split-nt']:.2f} | {v['limit']:.2f} | {v['fused-slow']/v['split-nt']:.2f}x | "
                  f"{v['split-nt']/v['limit']:.2f}x | {v['fused-cached']/v['split-nt']:.2f}x | "
                  f"{64 / v['split-nt']:.1f} | {64 / v['limit']:.1f} |")
    ch = [r for r in res if r["workload"] in ("native-deferred-chunk", "native-deferred")
          and "chunk_pages" in r["params"]]
    if ch:
        print()
        print("| native model, split init: chunk (pages) | MiB | split-cached ns/page | split-nt ns/page |")
        print("|---|---|---|---|")
        for c, sz in sorted({(r["params"]["chunk_pages"], r["params"]["size_mib"]) for r in ch}):
            v = {r["mode"]: r["median"] for r in ch if r["params"]["chunk_pages"] == c and r["params"]["size_mib"] == sz}
            if "split-nt" in v and "split-cached" in v:
                print(f"| {c} | {sz} | {v['split-cached']:.2f} | {v['split-nt']:.2f} |")
    if not nat:
        return
    print()
    print("| native userspace model, ZONE_DEVICE fill: MiB of struct pages | slow ns/page | cached | nt | limit (MOVNTI stream) | nt / limit | slow / nt | slow / cached | nt GB/s | limit GB/s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for s in sorted({r["params"]["size_mib"] for r in nat}):
        v = {r["mode"]: r["median"] for r in nat if r["params"]["size_mib"] == s}
        print(f"| {s} | {v['slow']:.2f} | {v['cached']:.2f} | {v['nt']:.2f} | {v['limit']:.2f} | "
              f"{v['nt']/v['limit']:.2f}x | {v['slow']/v['nt']:.2f}x | {v['slow']/v['cached']:.2f}x | "
              f"{64 / v['nt']:.1f} | {64 / v['limit']:.1f} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
