#!/usr/bin/env python3
"""Host test of scripts/compare-layout.py on synthetic boots: it passes boots
drawn from one distribution and fails each kind of defect it is there to
catch. Prints MMT-TEST lines."""
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def boot(path, mode, rng, managed=509007, free_shift=0, kpf_extra=False, early_mode=None, knob=None, deferred_mode=None):
    lines = ["MMT-ZONE 0 DMA32 start_pfn 4096", "MMT-ZONE 0 DMA32 spanned 520192",
             "MMT-ZONE 0 DMA32 present 520192", "MMT-ZONE 0 DMA32 managed %d" % managed,
             "MMT-ZONE 0 DMA32 free %d" % (478000 + rng.randint(-3000, 3000) + free_shift)]
    counts = [max(0, rng.choice((0, 1, 1, 2, 3)) + (free_shift // 1000)) for _ in range(11)]
    lines.append("MMT-BUDDY Node 0 zone DMA32 " + " ".join(map(str, counts)))
    for t in ("Unmovable", "Movable", "Reclaimable"):
        lines.append("MMT-PTI Node 0 zone DMA32 type %s %s" % (
            t, " ".join(str(max(0, rng.choice((0, 0, 1, 1, 2)) + free_shift // 1000)) for _ in range(11))))
    lines.append("MMT-PTI Node 0 zone DMA32 %d %d 2 0 0" % (rng.choice((6, 8, 10)), 1000 + rng.randint(0, 8)))
    lines.append("MMT-VMSTAT nr_free_pages %d" % (978000 + rng.randint(-3000, 3000) + free_shift))
    lines += ["MMT-KPF 0 ff 100000000", "MMT-KPF 100 fff 0"]
    if kpf_extra:
        lines += ["MMT-KPF 1000 1000 100000000", "MMT-KPF 1001 13ffff 0"]
    else:
        lines += ["MMT-KPF 1000 13ffff 0"]
    lines += ["MMT-KPF-PFNS 140000"]
    if knob:    # a kernel without tracepoints: no events, the knob's mode
        lines += ["MMT-KNOB %s" % knob]
    else:
        lines += ["MMT-EARLY 360318 %s" % (early_mode or mode),
                  "MMT-DEFERRED kind=deferred nid=0 start_pfn=0x1 nr_pages=1 mode=%s ns=1" % (deferred_mode or mode)]
    lines += ["MMT-LAYOUT-END"]
    open(path, "w").write("\n".join(lines) + "\n")


def run(tmp, name, nt_kwargs, seed, flags=(), off_kwargs=None):
    rng = random.Random(seed)
    args = list(flags)
    for i in range(8):
        p = os.path.join(tmp, "%s-off-%d.log" % (name, i))
        boot(p, "off", rng, **(off_kwargs or {}))
        args.append("off=" + p)
    for i in range(4):
        p = os.path.join(tmp, "%s-nt-%d.log" % (name, i))
        boot(p, "nt", rng, **nt_kwargs)
        args.append("nt=" + p)
    out = subprocess.run([sys.executable, os.path.join(HERE, "compare-layout.py"), name] + args,
                         capture_output=True, text=True).stdout
    res = {}
    for line in out.splitlines():
        m = re.match(r"MMT-TEST (ok|not ok) \S+\.(\S+)", line)
        if m:
            res[m.group(2)] = m.group(1) == "ok"
    return res


def check(name, got, want_fail):
    bad = [t for t, ok in got.items() if (t in want_fail) == ok]
    print("MMT-TEST %s harness.compare-layout.%s%s" % (
        "not ok" if bad or not got else "ok", name,
        " # wrong verdicts: %s (all: %s)" % (bad, got) if bad or not got else ""))


with tempfile.TemporaryDirectory() as tmp:
    for seed in range(3):
        check("same-distribution-passes-%d" % seed, run(tmp, "same", {}, seed), set())
    check("managed-difference-fails", run(tmp, "managed", {"managed": 509006}, 7), {"zones"})
    check("kpageflags-difference-fails", run(tmp, "kpf", {"kpf_extra": True}, 7), {"kpageflags"})
    check("free-shift-fails", run(tmp, "shift", {"free_shift": 20000}, 7), {"free", "nr-free-pages"})
    check("wrong-mode-fails", run(tmp, "mode", {"early_mode": "off"}, 7), {"modes"})
    # --no-trace: the knob's mode is checked instead of the events'
    check("no-trace-passes", run(tmp, "nt0", {"knob": "nt"}, 7, ("--no-trace",), {"knob": "off"}), set())
    check("no-trace-wrong-knob-fails", run(tmp, "nt1", {"knob": "off"}, 7, ("--no-trace",), {"knob": "off"}),
          {"knob-mode"})
    # --forced-off (KASAN): every boot must report off, whatever it asked
    forced = {"early_mode": "off", "deferred_mode": "off"}
    check("forced-off-passes", run(tmp, "fo0", forced, 7, ("--forced-off",)), set())
    check("forced-off-template-used-fails", run(tmp, "fo1", {"early_mode": "off"}, 7, ("--forced-off",)),
          {"modes"})


# scripts/compare-count.py (make check-full's page_ref_set count): nt counts
# inside the off band pass; one outside it, a missing count or an off count
# of zero (the event never traced) fail.
def count(tmp, name, offs, nts):
    args = []
    for i, v in enumerate(offs + nts):
        p = os.path.join(tmp, "%s-%d.log" % (name, i))
        open(p, "w").write("" if v is None else "MMT-COUNT page_ref_set %d\n" % v)
        args.append(("off=" if i < len(offs) else "nt=") + p)
    out = subprocess.run([sys.executable, os.path.join(HERE, "compare-count.py"), name] + args,
                         capture_output=True, text=True).stdout
    return re.findall(r"MMT-TEST (ok|not ok) ", out)


with tempfile.TemporaryDirectory() as tmp:
    offs = [6291000, 6291240, 6290880, 6291100]
    for name, nts, want in (("inside-band-passes", [6291050, 6290700], ["ok"]),
                            ("outside-band-fails", [6291050, 6100000], ["not ok"]),
                            ("missing-count-fails", [6291050, None], ["not ok"])):
        got = count(tmp, name, offs, nts)
        print("MMT-TEST %s harness.compare-count.%s%s" % (
            "ok" if got == want else "not ok", name, "" if got == want else " # got %s" % got))
    got = count(tmp, "zero", [0, 0, 0], [0])
    print("MMT-TEST %s harness.compare-count.zero-events-fails" % ("ok" if got == ["not ok"] else "not ok"))
