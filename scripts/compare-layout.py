#!/usr/bin/env python3
"""Compare the page state that memmap init leaves, across boots of one kernel
with different memmap_template= modes (issue 4's whole-system test).

  compare-layout.py GROUP [--all-early] [--no-trace] [--forced-off] MODE=LOG...
                                          (at least three off boots)

Each LOG is the serial log of a boot that ran scripts/guest/check-layout.sh.
Prints MMT-TEST lines (read by results.py):
  layout.GROUP.modes      every boot's early (and deferred) init reported the
                          mode its command line asked for; with --all-early,
                          no deferred init ran (early_page_ext); with
                          --forced-off (KASAN, KMSAN), every path reported
                          off whatever the command line asked
  layout.GROUP.knob-mode  with --no-trace (a kernel without tracepoints,
                          which reports no mode), instead: the mode the
                          debugfs knob shows is the one asked for
  layout.GROUP.zones      per zone start_pfn, spanned, present and managed
                          pages identical in every boot
  layout.GROUP.kpageflags the runs of the init-determined /proc/kpageflags
                          bits (nopage, offline, reserved) identical
  layout.GROUP.free       free counts (per zone, buddyinfo per order,
                          pagetypeinfo): a boot's score is how many counters
                          fall outside the band of the off boots (min..max
                          widened by max-min; an off boot against the others);
                          fails only if every other-mode boot scores above
                          every off boot (by chance: 1/C(n+k,k))
  layout.GROUP.nr-free-pages  fails if every other-mode boot's nr_free_pages
                          is below every off boot's, or every one above
                          (by chance: 2/C(n+k,k))
"""
import re
import sys


def parse(path):
    d = {"zone": {}, "free": {}, "kpf": [], "early": [], "deferred": [], "knob": None, "end": False}
    for line in open(path, errors="replace"):
        f = line.split()
        if not f:
            continue
        tag = f[0]
        if tag == "MMT-ZONE" and len(f) == 5:
            key = (f[1], f[2])
            if f[3] == "free":
                d["free"]["zone %s %s free" % key] = int(f[4])
            else:
                d["zone"][key + (f[3],)] = int(f[4])
        elif tag == "MMT-BUDDY":
            # MMT-BUDDY Node 0 zone DMA32 c0 c1 ...
            for order, c in enumerate(f[5:]):
                d["free"]["buddy %s %s order %d" % (f[2], f[4], order)] = int(c)
        elif tag == "MMT-PTI":
            # free counts per type and order, or block counts per type
            m = re.match(r"MMT-PTI Node (\d+) zone (\S+) type (\S+) (.*)", line.strip())
            if m:
                for order, c in enumerate(m.group(4).split()):
                    d["free"]["pagetype %s %s %s order %d" % (m.group(1), m.group(2), m.group(3), order)] = int(c)
            else:
                m = re.match(r"MMT-PTI Node (\d+) zone (\S+) (.*)", line.strip())
                if m:
                    for i, c in enumerate(m.group(3).split()):
                        d["free"]["blocks %s %s col %d" % (m.group(1), m.group(2), i)] = int(c)
        elif tag == "MMT-VMSTAT":
            d["free"][f[1]] = int(f[2])
        elif tag == "MMT-KPF":
            d["kpf"].append(tuple(f[1:4]))
        elif tag == "MMT-KPF-PFNS":
            d["kpf"].append(("pfns", f[1]))
        elif tag == "MMT-EARLY":
            d["early"].append(f[2])
        elif tag == "MMT-DEFERRED":
            m = re.search(r"mode=(\S+)", line)
            d["deferred"].append(m.group(1) if m else "?")
        elif tag == "MMT-KNOB":
            d["knob"] = f[1]
        elif tag == "MMT-LAYOUT-END":
            d["end"] = True
    return d


def test(name, ok, why=""):
    print("MMT-TEST %s %s%s" % ("ok" if ok else "not ok", name, "" if ok else " # " + why))


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    group, args = argv[1], argv[2:]
    all_early = "--all-early" in args
    no_trace = "--no-trace" in args
    forced_off = "--forced-off" in args
    boots = []
    for a in args:
        if a in ("--all-early", "--no-trace", "--forced-off"):
            continue
        mode, path = a.split("=", 1)
        boots.append((mode, path, parse(path)))
    offs = [b for b in boots if b[0] == "off"]
    if len(offs) < 3:
        sys.exit("need at least three off boots for the noise floor")
    p = "layout." + group
    missing = [path for _, path, d in boots if not d["end"]]
    first = "knob-mode" if no_trace else "modes"
    if missing:
        for t in (first, "zones", "kpageflags", "free", "nr-free-pages"):
            test("%s.%s" % (p, t), False, "no layout from " + ", ".join(missing))
        return

    bad = []
    for mode, path, d in boots:
        if no_trace:
            if d["knob"] != mode or d["early"] or d["deferred"]:
                bad.append("%s: knob %s, events %s %s" % (path.split("/")[-1], d["knob"],
                                                          d["early"], d["deferred"]))
            continue
        if forced_off:
            mode = "off"
        if d["early"] != [mode]:
            bad.append("%s: early %s" % (path.split("/")[-1], d["early"]))
        if all_early and d["deferred"]:
            bad.append("%s: deferred init ran %s" % (path.split("/")[-1], d["deferred"]))
        if not all_early and (not d["deferred"] or set(d["deferred"]) != {mode}):
            bad.append("%s: deferred %s" % (path.split("/")[-1], d["deferred"]))
    test(p + "." + first, not bad, "; ".join(bad))

    ref_mode, ref_path, ref = boots[0]
    bad = []
    for mode, path, d in boots[1:]:
        keys = set(ref["zone"]) | set(d["zone"])
        diff = sorted(k for k in keys if ref["zone"].get(k) != d["zone"].get(k))
        if diff:
            k = diff[0]
            bad.append("%s vs %s: %d differ, first node %s zone %s %s: %s vs %s" % (
                mode, ref_mode, len(diff), k[0], k[1], k[2], ref["zone"].get(k), d["zone"].get(k)))
    test(p + ".zones", not bad and ref["zone"], "; ".join(bad) or "no zones")

    bad = []
    for mode, path, d in boots[1:]:
        if d["kpf"] != ref["kpf"]:
            diff = [i for i, (x, y) in enumerate(zip(ref["kpf"], d["kpf"])) if x != y]
            first = diff[0] if diff else min(len(ref["kpf"]), len(d["kpf"]))
            bad.append("%s vs %s (%s): %d vs %d runs, first difference at run %d: %s vs %s" % (
                mode, ref_mode, path.split("/")[-1], len(ref["kpf"]), len(d["kpf"]), first,
                ref["kpf"][first] if first < len(ref["kpf"]) else "-",
                d["kpf"][first] if first < len(d["kpf"]) else "-"))
    test(p + ".kpageflags", not bad and len(ref["kpf"]) > 1, "; ".join(bad) or "no kpageflags runs")

    # The free counts depend on what boot allocated and when, and off boots
    # already differ (at low orders by a few blocks, in nr_free_pages by
    # thousands of pages). The noise floor is measured, not assumed:
    # band(R) = [min R - spread R, max R + spread R] for a set R of off
    # boots; outliers(X, R) = counters of boot X outside band(R).
    keys = sorted(set().union(*(d["free"] for _, _, d in boots)))

    def outliers(d, refs):
        n = []
        for k in keys:
            v = [r["free"].get(k, 0) for r in refs]
            lo, hi = min(v), max(v)
            if not lo - (hi - lo) <= d["free"].get(k, 0) <= hi + (hi - lo):
                n.append(k)
        return n

    # Each off boot is scored against the other off boots, each other boot
    # (mean) against the same leave-one-out sets, so all scores use as many
    # references. Under "nt is off's distribution" the scores are
    # exchangeable, and all k other-mode boots scoring above every one of n
    # off boots has probability 1/C(n+k, k) (1/18564 for 12 off and 6 nt boots):
    # that, and only that, fails the test.
    offd = [d for _, _, d in offs]
    loo = [[o for j, o in enumerate(offd) if j != i] for i in range(len(offd))]
    off_scores = [len(outliers(o, loo[i])) for i, o in enumerate(offd)]
    other = [(mode, path, sum(len(outliers(d, r)) for r in loo) / len(loo))
             for mode, path, d in boots if mode != "off"]
    floor = max(off_scores)
    fails = bool(other) and min(sc for _, _, sc in other) > floor
    test(p + ".free", not fails,
         "every other-mode boot has more counters outside the off band (%s) than any off boot (%s) of %d" % (
             ", ".join("%.1f" % sc for _, _, sc in other), ", ".join(map(str, off_scores)), len(keys)))
    print("MMT-NOTE %s free counters outside the off band (of %d): off boots %s, %s" % (
        p, len(keys), off_scores, ", ".join("%s %.1f" % (m, sc) for m, _, sc in other)))
    # nr_free_pages moves by thousands of pages from boot to boot (what
    # sits on the per-cpu lists when it is read). A rank test with a known
    # false-failure rate: fail if every other-mode boot lies below every
    # off boot, or every one above (2/C(n+k, k): 2/18564 for 12 and 6 boots
    # of one distribution). Lost pages show exactly in .zones (managed).
    nf = [(m, d["free"].get("nr_free_pages")) for m, _, d in boots]
    offv = [v for m, v in nf if m == "off"]
    othv = [v for m, v in nf if m != "off"]
    lo, hi = min(offv), max(offv)
    below, above = all(v < lo for v in othv), all(v > hi for v in othv)
    test(p + ".nr-free-pages", not othv or not (below or above),
         "every other-mode boot %s every off boot [%d, %d]: %s" % (
             "below" if below else "above", lo, hi, othv))
    print("MMT-NOTE %s nr_free_pages %s" % (p, " ".join("%s=%s" % x for x in nf)))


if __name__ == "__main__":
    main(sys.argv)
