#!/usr/bin/env python3
"""Summary tables (markdown) from a results.json. Every number is a median,
every ratio a ratio of medians with its bootstrap 95% interval (stats.py),
and every table says where it ran.

  summary.py RESULTS.json              every table
  summary.py --cpus RUN_DIR...         the README's table: the native rows
                                       of the latest run of each CPU
"""
import json
import os
import sys

from stats import fmt_ratio, ratio_ci

MODES = ("off", "cached", "nt", "auto")


class Results:
    def __init__(self, res):
        self.res = res

    def get(self, workload, mode, metric=None, **params):
        for r in self.res:
            if (r["workload"] == workload and r["mode"] == mode
                    and (metric is None or r["metric"] == metric)
                    and all(r["params"].get(k) == v for k, v in params.items())):
                return r
        return None

    def values(self, workload, key, **params):
        return sorted({r["params"][key] for r in self.res if r["workload"] == workload
                       and key in r["params"]
                       and all(r["params"].get(k) == v for k, v in params.items())})


def med(r, scale=1.0, fmt=".2f"):
    return format(r["median"] / scale, fmt) if r else "-"


def ratio(a, b):
    return fmt_ratio(a, b) if a and b else "-"


def limit_of(R, workload, **params):
    """The fastest store sequence that can write the template (the limit),
    and the zeroing bound no template can reach."""
    lims = [r for r in R.res if r["workload"] == workload and r["mode"] == "limit"
            and all(r["params"].get(k) == v for k, v in params.items())]
    tmpl = [r for r in lims if r["params"].get("template", True)
            and r["sequence"] != "rep-stosb-zero"]
    best = min(tmpl, key=lambda r: r["median"]) if tmpl else None
    zero = next((r for r in lims if r["sequence"] == "rep-stosb-zero"), None)
    return best, zero


def auto_verdict(auto, fixed):
    """auto against the best fixed mode: 'x% slower [CI]' when the interval
    of auto/best lies above 1, else '= best'. Where auto took the best mode
    itself, a difference is between two runs of the same code: said so."""
    fixed = [f for f in fixed if f]
    if not auto or not fixed:
        return "-"
    best = min(fixed, key=lambda r: r["median"])
    r, (lo, hi) = ratio_ci(auto, best)
    same = (auto.get("resolved") or auto["params"].get("resolved")) == best["mode"]
    if lo > 1:
        return (f"{(r - 1) * 100:.0f}% slower than {best['mode']} [{lo:.2f}, {hi:.2f}]"
                + (f" (auto took {best['mode']}: the same code, measured twice)" if same else ""))
    return f"= best ({best['mode']}; {r:.2f}x [{lo:.2f}, {hi:.2f}])"


def native_fill(R):
    paths = R.values("native-fill", "path")
    if not paths:
        return
    print("## Native, the kernel's own fill code (kfill-bench; where: native-kernel)\n")
    print("ns per struct page, median of the rounds; the limit is the fastest store sequence "
          "this CPU has for the same bytes, measured in the same run (its name in brackets); "
          "state: the memmap's cache state the path finds (cold: not in the caches; "
          "zeroed: just zeroed by the page allocator).\n")
    print("| path | state | MiB | off | cached | nt | auto (took) | limit | off/nt | off/auto | nt/limit | nt GB/s | auto vs best fixed |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for path in paths:
        for state in R.values("native-fill", "state", path=path):
            for mib in R.values("native-fill", "size_mib", path=path, state=state, threads=1):
                p = dict(path=path, state=state, size_mib=mib, threads=1)
                o, c, n, a = (R.get("native-fill", m, **p) for m in MODES)
                lim, _ = limit_of(R, "native-fill", state=state, size_mib=mib, threads=1)
                took = f" ({a.get('resolved') or a['params'].get('resolved', '?')})" if a else ""
                print(f"| {path} | {state} | {mib} | {med(o)} | {med(c)} | {med(n)} | {med(a)}{took} | "
                      f"{med(lim)} [{lim['sequence'] if lim else '-'}] | {ratio(o, n)} | {ratio(o, a)} | "
                      f"{ratio(n, lim)} | {64 / n['median'] if n else 0:.1f} | {auto_verdict(a, [o, c, n])} |")
    print()
    seqs = R.values("native-fill", "sequence")
    if seqs:
        print("Every store sequence for the same bytes (ns per 64-byte struct page; rep-stosb-zero "
              "writes zeros, a bound no template reaches):\n")
        print("| state | MiB | " + " | ".join(seqs) + " |")
        print("|---|---|" + "---|" * len(seqs))
        for state in R.values("native-fill", "state", threads=1):
            for mib in R.values("native-fill", "size_mib", state=state, threads=1):
                row = [med(R.get("native-fill", "limit", state=state, size_mib=mib, threads=1, sequence=s))
                       for s in seqs]
                if any(v != "-" for v in row):
                    print(f"| {state} | {mib} | " + " | ".join(row) + " |")
        print()
    th = sorted({r["params"]["threads"] for r in R.res if r["workload"] == "native-fill"} - {1})
    if th:
        print("Store bandwidth on more threads (device path, cold memmap, the range split in whole "
              "sections), ns per struct page of the whole range:\n")
        print("| MiB | mode | 1 thread | " + " | ".join(f"{t} threads | speed-up" for t in th) + " |")
        print("|---|---|---|" + "---|---|" * len(th))
        for mib in R.values("native-fill", "size_mib", path="device", threads=th[0]):
            for m in ("off", "nt"):
                one = R.get("native-fill", m, path="device", size_mib=mib, threads=1, state="cold")
                cells = []
                for t in th:
                    r = R.get("native-fill", m, path="device", size_mib=mib, threads=t)
                    cells.append(f"{med(r)} | {ratio(one, r)}")
                print(f"| {mib} | {m} | {med(one)} | " + " | ".join(cells) + " |")
        print()


def native_initfree(R):
    if not R.values("native-initfree", "path"):
        return
    for pc in R.values("native-initfree", "page_checks") or [None]:
        native_initfree_checks(R, {} if pc is None else {"page_checks": pc})


def native_initfree_checks(R, pc):
    """The init + free tables of one page-check setting (pc: {} or
    {"page_checks": 0 or 1})."""
    what = ("" if not pc else ", page checks on (check_pages=1, as with init_on_alloc=1)"
            if pc["page_checks"] else ", page checks off")
    print(f"## Native, init + free with the real buddy allocator (UML; where: native-kernel){what}\n")
    print("Deferred init, per struct page: off is the old fused loop (init a MAX_ORDER block, "
          "free it at once); copy and copy-nt keep that loop but copy a template (ordinary or "
          "NT stores); cached and nt are the series' split (born-free template, then a free pass "
          "that touches the heads only); auto is the default. The ablation: template copy alone "
          "= off/copy, the free pass skipping its per-page loops = copy/cached, NT stores = "
          "cached/nt.\n")
    print("| MiB | off | copy | copy-nt | cached | nt | auto | limit | off/nt | off/auto | nt/limit | off/copy | copy/cached | cached/nt |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for mib in R.values("native-initfree", "size_mib", path="deferred", **pc):
        g = {m: R.get("native-initfree", m, path="deferred", size_mib=mib, **pc)
             for m in ("off", "copy", "copy-nt", "cached", "nt", "auto")}
        lim, _ = limit_of(R, "native-initfree", size_mib=mib, **pc)
        print(f"| {mib} | " + " | ".join(med(g[m]) for m in g) +
              f" | {med(lim)} [{lim['sequence'] if lim else '-'}] | {ratio(g['off'], g['nt'])} | "
              f"{ratio(g['off'], g['auto'])} | {ratio(g['nt'], lim)} | {ratio(g['off'], g['copy'])} | "
              f"{ratio(g['copy'], g['cached'])} | {ratio(g['cached'], g['nt'])} |")
    print()
    print("Early init then free (memmap_init_range(MEMINIT_EARLY) over the range, then "
          "__free_pages_core() on every block: boot, whose memmap is cold), and the same on a "
          "memmap zeroed just before (early-zeroed: the shape of onlining hotplugged memory "
          "with init_on_alloc; auto takes cached there up to half the last-level cache):\n")
    print("| path | MiB | off | cached | nt | auto | off/nt | off/cached | cached/nt |")
    print("|---|---|---|---|---|---|---|---|---|")
    for path in ("early", "early-zeroed"):
        for mib in R.values("native-initfree", "size_mib", path=path, **pc):
            g = {m: R.get("native-initfree", m, path=path, size_mib=mib, **pc) for m in MODES}
            print(f"| {path} | {mib} | " + " | ".join(med(g[m]) for m in MODES) +
                  f" | {ratio(g['off'], g['nt'])} | {ratio(g['off'], g['cached'])} | {ratio(g['cached'], g['nt'])} |")
    print()
    if not R.values("native-initfree", "size_mib", path="online", **pc):
        return
    print("Onlining, init + free: off as before (page by page, then __free_pages_core() on "
          "every block); cached, nt and auto born free (the whole range from a born-free "
          "template, then __free_pages_memmap_tmpl(), which touches the heads only). "
          "Before born free, a template's onlining was the early rows' shape: early/online "
          "is the born-free effect, mode by mode, measured in the same run (online-zeroed "
          "against early-zeroed):\n")
    print("| path | MiB | off | cached | nt | auto | off/nt | off/cached | cached/nt | early/online cached | early/online nt |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for path, before in (("online", "early"), ("online-zeroed", "early-zeroed")):
        for mib in R.values("native-initfree", "size_mib", path=path, **pc):
            g = {m: R.get("native-initfree", m, path=path, size_mib=mib, **pc) for m in MODES}
            b = {m: R.get("native-initfree", m, path=before, size_mib=mib, **pc) for m in ("cached", "nt")}
            print(f"| {path} | {mib} | " + " | ".join(med(g[m]) for m in MODES) +
                  f" | {ratio(g['off'], g['nt'])} | {ratio(g['off'], g['cached'])} | {ratio(g['cached'], g['nt'])}"
                  f" | {ratio(b['cached'], g['cached'])} | {ratio(b['nt'], g['nt'])} |")
    print()


def ci_overlap(a, b):
    return a["ci95"][0] <= b["ci95"][1] and b["ci95"][0] <= a["ci95"][1]


def store_goals(R):
    """Issue 22's goals for the default store, group by group: auto against
    the best fixed mode and against off; with page checks against without;
    auto against the fastest sequence that writes a template (the limit).
    Each line says its verdict; the last counts them."""
    rows, verdicts = [], []

    def judge(label, auto, off, fixed, lim, extra=()):
        best = min([f for f in fixed if f], key=lambda r: r["median"])
        ok_best = auto["ci95"][0] <= best["ci95"][1]
        r_off = off["median"] / auto["median"]
        ok_off = r_off >= 0.97 and (r_off >= 1 or ci_overlap(off, auto))
        cells = [f"{auto['median']:.2f} [{auto['ci95'][0]:.2f}, {auto['ci95'][1]:.2f}] "
                 f"({auto.get('resolved') or auto['params'].get('resolved', '') or 'auto'})",
                 f"{best['mode']} {best['median']:.2f} [{best['ci95'][0]:.2f}, {best['ci95'][1]:.2f}]",
                 ("yes" if ok_best else "**no**"), f"{ratio(off, auto)}", ("yes" if ok_off else "**no**")]
        ok = ok_best and ok_off
        if lim is not None:
            r_lim = auto["median"] / lim["median"]
            cells.append(f"{r_lim:.2f} ({lim['sequence']}) " + ("yes" if r_lim <= 1.15 else "**no**"))
            ok = ok and r_lim <= 1.15
        else:
            cells.append("-")
        for text, good in extra:
            cells.append(text + (" yes" if good else " **no**"))
            ok = ok and good
        cells += ["-"] * (8 - len(cells))
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
        verdicts.append(ok)

    for path in R.values("native-fill", "path", threads=1):
        for state in R.values("native-fill", "state", path=path, threads=1):
            for mib in R.values("native-fill", "size_mib", path=path, state=state, threads=1):
                p = dict(path=path, state=state, size_mib=mib, threads=1)
                g = {m: R.get("native-fill", m, **p) for m in MODES}
                if not (g["auto"] and g["off"]):
                    continue
                lim, _ = limit_of(R, "native-fill", state=state, size_mib=mib, threads=1)
                judge(f"fill {path}, {state}, {mib} MiB", g["auto"], g["off"],
                      [g["off"], g["cached"], g["nt"]], lim if mib >= 64 else None)
    for path in ("deferred", "early", "online"):
        for pc in R.values("native-initfree", "page_checks", path=path):
            for mib in R.values("native-initfree", "size_mib", path=path, page_checks=pc):
                p = dict(path=path, size_mib=mib, page_checks=pc)
                g = {m: R.get("native-initfree", m, **p) for m in MODES}
                if not (g["auto"] and g["off"]):
                    continue
                lim, _ = limit_of(R, "native-initfree", size_mib=mib, page_checks=pc)
                extra = []
                if pc == 1 and path in ("deferred", "online"):
                    no = R.get("native-initfree", "auto", path=path, size_mib=mib, page_checks=0)
                    if no:
                        r = g["auto"]["median"] / no["median"]
                        extra.append((f"{r:.2f}x of page checks off", r <= 1.1))
                    if mib >= 256:
                        r = g["off"]["median"] / g["auto"]["median"]
                        extra.append((f"off/auto {r:.2f}x", r >= 1.5))
                judge(f"init + free {path}, page checks {pc}, {mib} MiB", g["auto"], g["off"],
                      [g["off"], g["cached"], g["nt"]],
                      lim if mib >= 64 and path in ("deferred", "online") else None, extra)
    if not rows:
        return
    print("## The default store against its goals (issue 22; where: native-kernel)\n")
    print("ns per struct page, median [95% CI over runs, then rounds]. auto must not be slower "
          "than the best fixed mode beyond their intervals (auto's low end not above the best's "
          "high end), nor than off (off/auto >= 0.97, the intervals overlapping where it is "
          "below 1); at >= 64 MiB the fills and deferred/online init + free within 1.15x of the "
          "fastest sequence that writes a template; with page checks on, deferred and online "
          "within 1.1x of the same row without, and >= 1.5x faster than off at >= 256 MiB.\n")
    print("| group | auto (took) | best fixed | auto not slower | off/auto | not slower than off | auto/limit | page checks | vs off |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(r)
    print(f"\n{sum(verdicts)} of {len(verdicts)} groups meet every goal.\n")


def tcg(R):
    def row(label, w, metric, scale=1e6, fmt=".1f", **p):
        g = {m: R.get(w, m, metric, **p) for m in MODES}
        if not any(g.values()):
            return
        n = len(next(r for r in g.values() if r)["samples"])
        print(f"| {label} | {n} | " + " | ".join(med(g[m], scale, fmt) for m in MODES) +
              f" | {ratio(g['off'], g['cached'])} | {ratio(g['off'], g['nt'])} | {ratio(g['off'], g['auto'])} |")

    ws = {r["workload"] for r in R.res if r["where"] in ("tcg", "kvm")}
    if not ws:
        return
    where = next(r["where"] for r in R.res if r["where"] in ("tcg", "kvm"))
    print(f"## Guests ({'QEMU TCG: path length, no caches' if where == 'tcg' else 'KVM'})\n")
    print("Medians in ms (memmap:memmap_init ns unless said); in-boot series interleave the "
          "modes; boot rows are one sample per boot, modes interleaved boot by boot.\n")
    print("| workload | n per mode | off | cached | nt | auto | off/cached | off/nt | off/auto |")
    print("|---|---|---|---|---|---|---|---|---|")
    for mem in R.values("deferred-init", "mem_gib"):
        for nodes in R.values("deferred-init", "nodes", mem_gib=mem):
            p = dict(mem_gib=mem, nodes=nodes)
            for node in range(nodes):
                row(f"deferred init node{node}, {mem} GiB, {nodes} node(s)", "deferred-init",
                    f"node{node}_tp_ns", **p)
                row(f"... the kernel's own line (jiffies)", "deferred-init", f"node{node}_kernel_ns", **p)
            row(f"early init, {mem} GiB, {nodes} node(s) (sched_clock)", "early-init", "early_ns", **p)
            row(f"end to end: boot to init, {mem} GiB, {nodes} node(s)", "boot", "boot_to_init_ns", **p)
    for ns, mp in sorted({(r["params"]["ns"], r["params"]["map"]) for r in R.res if r["workload"] == "pmem-bind"}):
        for pages in R.values("pmem-bind", "pages", ns=ns, map=mp):
            for t in R.values("pmem-bind", "threads", ns=ns, map=mp, pages=pages) or [None]:
                p = dict(ns=ns, map=mp, pages=pages)
                cpus = ""
                if t is not None:
                    p["threads"] = t
                    cpus = f", {t} CPU{'s' if t > 1 else ''}"
                gib = pages * 4096 / 2**30
                row(f"pmem {ns} map={mp} {gib:.0f} GiB{cpus}, rebind", "pmem-bind", "rebind_tp_ns", **p)
                row(f"... end to end: ndctl disable + enable", "pmem-bind", "rebind_wall_ns", **p)
    row("test_hmm: 2 x 256 MiB device-private, each memmap init", "hmm-register", "memmap_init_tp_ns", fmt=".2f")
    row("... end to end: modprobe test_hmm", "hmm-register", "modprobe_ns")
    for gib in R.values("gpu-register", "gib"):
        for t in R.values("gpu-register", "threads", gib=gib) or [None]:
            p = dict(gib=gib) if t is None else dict(gib=gib, threads=t)
            row(f"GPU-scale: {gib} GiB device-private, memmap_init_zone_device"
                + ("" if t is None else f", {t} CPU(s)"), "gpu-register", "memmap_init_tp_ns", **p)
            row(f"... end to end: memremap_pages()", "gpu-register", "register_ns", **p)
    for mib in R.values("hotplug-online", "block_mib"):
        row(f"hotplug: memmap init onlining a {mib} MiB block", "hotplug-online", "online_tp_ns",
            fmt=".2f", block_mib=mib)
        row(f"... end to end: onlining all blocks, free pass included", "hotplug-online",
            "online_wall_ns", block_mib=mib)
    print()


def parallel(R):
    gibs = [g for g in R.values("gpu-register", "gib")
            if len(R.values("gpu-register", "threads", gib=g)) > 1]
    if not gibs:
        return
    print("### Device-private registration on several CPUs (memmap_init_zone_device, tracepoint ns)\n")
    print("| GiB | CPUs | nt, 1 CPU | nt, parallel | auto, parallel | off, 1 CPU | serial nt / parallel nt | serial off / parallel nt | serial auto / parallel auto |")
    print("|---|---|---|---|---|---|---|---|---|")
    for gib in gibs:
        ts = R.values("gpu-register", "threads", gib=gib)
        one, many = ts[0], ts[-1]
        g = lambda m, t: R.get("gpu-register", m, "memmap_init_tp_ns", gib=gib, threads=t)  # noqa: E731
        print(f"| {gib} | {many} | {med(g('nt', one), 1e6, '.1f')} | {med(g('nt', many), 1e6, '.1f')} | "
              f"{med(g('auto', many), 1e6, '.1f')} | {med(g('off', one), 1e6, '.1f')} | "
              f"{ratio(g('nt', one), g('nt', many))} | {ratio(g('off', one), g('nt', many))} | "
              f"{ratio(g('auto', one), g('auto', many))} |")
    print()


def cpu_label(doc, rdir):
    """A short name for the CPU a run ran on: from results.json's host, or
    from host.json beside an older results.json that has none."""
    h = doc.get("host")
    if not h and os.path.exists(os.path.join(rdir, "host.json")):
        h = json.load(open(os.path.join(rdir, "host.json")))
    if not h:
        return "CPU not recorded"
    c = h["cpu"]
    avx = "AVX-512" if c["flags"].get("avx512f") else "no AVX-512"
    return f"{c['model_name']} f{c['family']} m{c['model']}, {avx}, L3 {c['caches'].get('L3', 'not reported')}"


def headline_runs(dirs):
    """The README's table: the native rows of the latest run of each CPU,
    side by side, all four modes and the limit (the fastest sequence that
    writes a template, same run), with the CPU and the run named."""
    print("| what | CPU (run) | off | cached | nt | auto | limit | off/auto | best fixed/auto |")
    print("|---|---|---|---|---|---|---|---|---|")
    rows = (("device fill, 4 GiB, cold", "native-fill", dict(path="device", state="cold", size_mib=4096, threads=1)),
            ("device fill, 1 MiB, just zeroed", "native-fill", dict(path="device", state="zeroed", size_mib=1, threads=1)),
            ("early fill, 4 GiB, cold", "native-fill", dict(path="early", state="cold", size_mib=4096, threads=1)),
            ("deferred init + free, 4 GiB", "native-initfree", dict(path="deferred", size_mib=4096, page_checks=0)),
            ("deferred init + free, 4 GiB, page checks on", "native-initfree",
             dict(path="deferred", size_mib=4096, page_checks=1)),
            ("online init + free, 4 GiB", "native-initfree", dict(path="online", size_mib=4096, page_checks=0)),
            ("online init + free, 4 GiB, page checks on", "native-initfree",
             dict(path="online", size_mib=4096, page_checks=1)))
    runs = []
    for d in dirs:
        doc = json.load(open(os.path.join(d, "results.json")))
        runs.append((os.path.basename(d.rstrip("/")), cpu_label(doc, d), Results(doc["results"])))
    for label, w, p in rows:
        for name, cpu, R in runs:
            q = dict(p)
            if "page_checks" in q and not R.values(w, "page_checks"):
                if q["page_checks"]:
                    continue        # a run from before the page-check rows
                del q["page_checks"]
            g = {m: R.get(w, m, **q) for m in MODES}
            if not g["off"]:
                continue
            lq = {k: v for k, v in q.items() if k not in ("path",)}
            lim, _ = limit_of(R, w, **lq)
            fixed = [g[m] for m in ("off", "cached", "nt") if g[m]]
            best = min(fixed, key=lambda r: r["median"])
            print(f"| {label} | {cpu} ({name}) | " + " | ".join(med(g[m]) for m in MODES) +
                  f" | {med(lim)} | {ratio(g['off'], g['auto'])} | {ratio(best, g['auto'])} ({best['mode']}) |")


def host_line(doc):
    """Where the samples ran: results.json's host object, one line."""
    h = doc.get("host")
    if not h:
        return "Host: not recorded in this results.json."
    c = h["cpu"]
    flags = " ".join(f for f, on in c["flags"].items() if on)
    caches = (", ".join(f"{k} {v}" for k, v in c["caches"].items() if k != "L3_total") or
              "caches not reported (no cacheinfo in sysfs)")
    return (f"Host: {c['model_name']} ({c['vendor']}, family {c['family']} model {c['model']} "
            f"stepping {c['stepping']}, microcode {c['microcode']}), {caches}; {flags}; "
            f"{'a ' + (c.get('hypervisor_vendor') or 'virtual machine') + ' guest' if c['hypervisor'] else 'bare metal'}, "
            f"{h['cores']} CPUs, {h.get('memory_kib', 0) // 1024} MiB; host kernel {h['host_kernel']}; "
            f"commit {h['commit'][:12]}{' (with local changes)' if h.get('commit_dirty') else ''}, {h['date']}.")


def main(path):
    doc = json.load(open(path))
    R = Results(doc["results"])
    print(host_line(doc) + "\n")
    store_goals(R)
    native_fill(R)
    native_initfree(R)
    tcg(R)
    parallel(R)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--cpus":
        headline_runs(sys.argv[2:])
    elif len(sys.argv) == 2:
        main(sys.argv[1])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
