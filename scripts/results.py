#!/usr/bin/env python3
"""Read guest serial logs: test results and benchmark samples.

  results.py tests LOG...           KTAP (the KUnit suites and the guest tests,
                                    parsed by the kernel's own kunit_parser) and
                                    the host harness's MMT-TEST lines; prints one
                                    line per test and 'N passed, N failed'
                                    (', N skipped'); exit 1 if any failed.
  results.py bench OUT.json LOG...  MMT-SAMPLE lines grouped into results.json
                                    and a markdown table on stdout.
"""
import json
import os
import re
import statistics
import sys

from stats import median_ci

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))


def log_lines(path):
    with open(path, errors="replace") as f:
        return [l.rstrip("\r\n") for l in f]


# A KTAP document starts at an unindented version line (the guest's
# results, printed by its init with no prefix) or at the first version line
# with a prefix (the kernel's KUnit run, printk timestamps before it).
DOC_START = re.compile(r"^(KTAP version \d+|TAP version \d+)$")
RESULT = re.compile(r"^(ok|not ok) \d+ (\S+)(?: # (.*))?$")


def ktap_documents(lines):
    """The log's KTAP documents, each a list of lines from its version line
    on: the kernel parser reads one document a call."""
    docs, cur = [], []
    for l in lines:
        if DOC_START.match(l) and cur:
            docs.append(cur)
            cur = []
        cur.append(l)
    docs.append(cur)
    return [d for d in docs if any("KTAP version" in l or "TAP version" in l for l in d)]


GUEST_DOC = "# mmt guest tests"
TOTALS = re.compile(r"^# Totals: pass:(\d+) fail:(\d+) xfail:\d+ xpass:\d+ skip:(\d+)")


def ktap_results(lines):
    """Leaf tests of every KTAP document in the log as (name, status, why),
    status ok/fail/skip: the KUnit suites' nested output and the guest's flat
    results, all read by the kernel's own parser (tools/testing/kunit).
    Names are kunit:SUITE.CASE or guest:NAME (a document with a "# mmt
    guest tests" line). A guest document is also checked against itself:
    every line that looks like a result was read, and the counts agree
    with its "# Totals:" line (which a guest that died never prints)."""
    sys.path.insert(0, os.path.join(BUILD, "linux", "tools", "testing", "kunit"))
    import kunit_parser
    from kunit_printer import null_printer

    out = []
    guests = 0
    for doc in ktap_documents(lines):
        guest = any(l.startswith(GUEST_DOC) for l in doc)
        guests += guest
        kind = "guest" if guest else "kunit"
        root = kunit_parser.parse_run_tests(doc, null_printer)
        leaves = []

        def walk(t, prefix):
            name = f"{prefix}.{t.name}" if prefix else t.name
            if t.subtests:
                for s in t.subtests:
                    walk(s, name)
                return
            leaves.append((name, t))

        for s in root.subtests:
            walk(s, "")
        # a guest document is flat: its result lines, in order, are the
        # leaves; the parser keeps no reason for a failure, the line does
        results = [m for m in map(RESULT.match, doc) if m] if guest else []
        seen = sum(1 for l in doc if re.match(r"^(not )?ok \d", l))
        start = len(out)
        for i, (name, t) in enumerate(leaves):
            st = t.status
            if st == kunit_parser.TestStatus.SUCCESS:
                out.append((f"{kind}:{name}", "ok", ""))
            elif st == kunit_parser.TestStatus.SKIPPED:
                out.append((f"{kind}:{name}", "skip", t.skip_reason.replace("\\#", "#")))
            else:
                why = results[i].group(3) if guest and i < len(results) else None
                out.append((f"{kind}:{name}", "fail", (why or st.name).replace("\\#", "#")))
        if root.counts.errors:
            out.append((f"{kind}.parse", "fail", f"{root.counts.errors} KTAP errors"))
        if not guest:
            continue
        # a line that looks like a result but that the parser took for a
        # diagnostic must not vanish
        if seen != len(leaves):
            out.append(("guest.parse", "fail", f"{seen} result lines, {len(leaves)} read"))
        got = [sum(1 for n, st, w in out[start:start + len(leaves)] if st == k)
               for k in ("ok", "fail", "skip")]
        tot = [TOTALS.match(l) for l in doc]
        tot = [m for m in tot if m]
        if not tot:
            out.append(("guest.totals", "fail", "no '# Totals:' line: the guest did not finish its tests"))
        elif [int(x) for x in tot[-1].groups()] != got:
            out.append(("guest.totals", "fail", "%s, but read pass:%d fail:%d skip:%d" %
                        (tot[-1].group(0)[2:], *got)))
    # a guest that ran scripts printed a document for them
    if not guests and any(l.startswith("MMT-RUN ") for l in lines):
        out.append(("guest.parse", "fail", "MMT-RUN lines but no guest KTAP document"))
    return out


def mmt_results(lines):
    """The host-side harness's own result lines (host tests, comparisons
    of several boots, builds): MMT-TEST ok|not ok|skip NAME # why."""
    out = []
    for l in lines:
        m = re.match(r"^MMT-TEST (ok|not ok|skip) (\S+)(?: # (.*))?", l)
        if m:
            st = {"ok": "ok", "not ok": "fail", "skip": "skip"}[m.group(1)]
            out.append(("host:" + m.group(2), st, m.group(3) or ""))
    return out


def cmd_tests(logs):
    counts = {"ok": 0, "fail": 0, "skip": 0}
    for path in logs:
        tag = os.path.basename(path).rsplit(".", 1)[0]
        lines = log_lines(path)
        res = ktap_results(lines) + mmt_results(lines)
        for name, st, why in res:
            counts[st] += 1
            word = {"ok": "PASS", "fail": "FAIL", "skip": "SKIP"}[st]
            print(f"{word} {tag}/{name}" + (f"  ({why})" if why else ""))
    line = f"{counts['ok']} passed, {counts['fail']} failed"
    if counts["skip"]:
        line += f", {counts['skip']} skipped"
    return counts, line


def samples_from(logs, accel):
    """Samples grouped by what they measure and where they ran: a sample
    names its `where` (native-kernel, ...); guest samples without one ran
    under ACCEL (tcg or kvm)."""
    groups = {}
    for path in logs:
        for no, l in enumerate(log_lines(path), 1):
            if not l.startswith("MMT-SAMPLE "):
                continue
            s = json.loads(l[len("MMT-SAMPLE "):])
            # a count or a time cannot be negative, and a time of 0 ns is a
            # clock that did not run, not a measurement (a sample printed
            # with a 32-bit %d once came out as -2147483648)
            if not isinstance(s["value"], (int, float)) or s["value"] < 0 or \
                    (s["unit"] == "ns" and s["value"] == 0):
                sys.exit(f"results.py: {path}:{no}: impossible sample {s['value']!r} "
                         f"({s['workload']} {s['metric']}, unit {s['unit']}): {l}")
            where = s.get("where", accel)
            if where not in WHERE:
                sys.exit(f"results.py: {path}: where={where} is not one of {', '.join(WHERE)}")
            key = (s["workload"], where, json.dumps(s["params"], sort_keys=True), s["mode"],
                   s["metric"], s["unit"])
            groups.setdefault(key, []).append((s["value"], s.get("run"), s.get("resolved")))
    return groups


# Where a number ran, strongest evidence first (README, "What runs where").
WHERE = ("native-kernel", "kvm", "host", "native-model", "tcg")


def summary(samples, runs=None):
    q = statistics.quantiles(samples, n=4) if len(samples) >= 2 else [samples[0]] * 3
    return {"median": statistics.median(samples), "ci95": median_ci(samples, runs),
            "min": min(samples), "max": max(samples), "p25": q[0], "p75": q[2],
            "stdev": statistics.stdev(samples) if len(samples) >= 2 else 0.0}


def host_info():
    """The machine the samples ran on: CPU (model, vendor, family/model/
    stepping, microcode, caches, the flags the store results turn on),
    hypervisor, cores, memory, host kernel, project commit and date."""
    import platform
    import subprocess
    import time
    info = {}
    try:
        with open("/proc/cpuinfo") as f:
            cpu = {}
            for line in f:
                if not line.strip():
                    break
                k, _, v = line.partition(":")
                cpu[k.strip()] = v.strip()
    except OSError:
        cpu = {}
    flags = set(cpu.get("flags", "").split())
    info["cpu"] = {"model_name": cpu.get("model name", "?"), "vendor": cpu.get("vendor_id", "?"),
                   "family": cpu.get("cpu family", "?"), "model": cpu.get("model", "?"),
                   "stepping": cpu.get("stepping", "?"), "microcode": cpu.get("microcode", "?"),
                   "flags": {f: f in flags for f in ("erms", "fsrm", "avx2", "avx512f", "clzero", "movdir64b")},
                   "hypervisor": "hypervisor" in flags}
    caches = {}
    for idx in range(8):
        base = f"/sys/devices/system/cpu/cpu0/cache/index{idx}"
        try:
            level = open(base + "/level").read().strip()
            kind = open(base + "/type").read().strip()
            size = open(base + "/size").read().strip()
        except OSError:
            break
        if kind != "Instruction":
            caches[f"L{level}"] = size
    info["cpu"]["caches"] = caches
    try:
        hv = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        info["cpu"]["hypervisor_vendor"] = next((l.split(":", 1)[1].strip() for l in hv.splitlines()
                                                 if l.startswith("Hypervisor vendor")), None)
        l3 = next((l.split(":", 1)[1].strip() for l in hv.splitlines() if l.startswith("L3 cache")), None)
        if l3:
            info["cpu"]["caches"]["L3_total"] = l3
    except OSError:
        pass
    info["cores"] = os.cpu_count()
    try:
        info["memory_kib"] = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal:")))
    except (OSError, StopIteration):
        pass
    info["host_kernel"] = platform.release()
    try:
        info["commit"] = subprocess.run(["git", "-C", TOP, "rev-parse", "HEAD"], capture_output=True,
                                        text=True).stdout.strip() or "?"
        dirty = subprocess.run(["git", "-C", TOP, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        info["commit_dirty"] = bool(dirty)
    except OSError:
        info["commit"] = "?"
    info["date"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return info


def cmd_bench(out, logs, kernel, accel, arch="x86_64"):
    results = []
    for (w, where, p, mode, metric, unit), got in samples_from(logs, accel).items():
        vals = [v for v, _, _ in got]
        # the independent run (process, boot) of each sample, where known:
        # the intervals resample runs, then rounds (stats.py)
        runs = [run for _, run, _ in got] if all(run is not None for _, run, _ in got) else None
        # the mode auto took, sample by sample: how often each
        took = [t for _, _, t in got if t]
        r = {"workload": w, "where": where, "params": json.loads(p), "mode": mode,
             "metric": metric, "unit": unit, "samples": vals}
        if runs:
            r["runs"] = runs
        if took:
            r["resolved"] = ", ".join(f"{m} {took.count(m)}" if len(set(took)) > 1 else m
                                      for m in sorted(set(took)))
        if mode == "limit":
            r["sequence"] = r["params"]["sequence"]
        r.update(summary(vals, runs))
        results.append(r)
    doc = {"kernel": kernel, "accel": accel, "arch": arch, "host": host_info(), "results": results}
    with open(out, "w") as f:
        json.dump(doc, f, indent=1)
    print(f"| workload | where | params | mode | metric | n | median | 95% CI | min-max | unit |")
    print(f"|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        ps = " ".join(f"{k}={v}" for k, v in r["params"].items())
        print(f"| {r['workload']} | {r['where']} | {ps} | {r['mode']} | {r['metric']} | {len(r['samples'])} | "
              f"{r['median']:.4g} | {r['ci95'][0]:.4g}-{r['ci95'][1]:.4g} | {r['min']:.4g}-{r['max']:.4g} | {r['unit']} |")
    return results


def main(argv):
    if len(argv) >= 2 and argv[0] == "tests":
        counts, line = cmd_tests(argv[1:])
        print(line)
        return 1 if counts["fail"] else 0
    if len(argv) >= 3 and argv[0] == "bench":
        res = cmd_bench(argv[1], argv[2:], os.environ.get("KERNEL_RELEASE", "?"),
                        os.environ.get("ACCEL", "tcg"), os.environ.get("ARCH", "x86_64"))
        return 0 if res else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
