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
    for p in ({"ns": "fsdax", "map": "dev"}, {"ns": "fsdax", "map": "mem"},
              {"ns": "devdax", "map": "dev"}, {"ns": "devdax", "map": "mem"}):
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
    for node in ("node0_ns", "node1_ns"):
        r = get("deferred-init", {}, "slowpath", node)
        if r:
            print(f"| deferred init {node[:5]}, {r['params']['mem_gib']} GiB, {r['params']['nodes']} nodes: "
                  f"slow path (no template user yet) | {len(r['samples'])} | {r['median']/1e6:.1f} | - | - | - | - |")
    nat = [r for r in res if r["workload"] == "native-fill"]
    if not nat:
        return
    print()
    print("| native userspace model: MiB of struct pages | slow ns/page | cached | nt | limit (MOVNTI stream) | nt / limit | slow / nt | slow / cached |")
    print("|---|---|---|---|---|---|---|---|")
    for s in sorted({r["params"]["size_mib"] for r in nat}):
        v = {r["mode"]: r["median"] for r in nat if r["params"]["size_mib"] == s}
        print(f"| {s} | {v['slow']:.2f} | {v['cached']:.2f} | {v['nt']:.2f} | {v['limit']:.2f} | "
              f"{v['nt']/v['limit']:.2f}x | {v['slow']/v['nt']:.2f}x | {v['slow']/v['cached']:.2f}x |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
