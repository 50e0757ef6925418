#!/usr/bin/env python3
"""Host test of scripts/stats.py: the intervals the tables print contain
their point estimate, are reproducible, shrink with more samples and never
print nan (a clock that did not tick gives inf). Prints MMT-TEST lines."""
import math
import os
import random
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stats  # noqa: E402


def t(name, ok, why=""):
    why = " ".join(str(why).split())     # one line, whatever the output was
    print(f"MMT-TEST {'ok' if ok else 'not ok'} stats.{name}" + ("" if ok else f" # {why}"))


rng = random.Random(1)
a = [10 + rng.gauss(0, 1) for _ in range(15)]
b = [5 + rng.gauss(0, 0.5) for _ in range(15)]
r, (lo, hi) = stats.ratio_ci(a, b)
t("ratio-interval-contains-estimate", lo <= r <= hi and 1.5 < r < 2.5, f"{r} [{lo}, {hi}]")
t("ratio-reproducible", stats.ratio_ci(a, b) == (r, [lo, hi]), "two calls differ")
a2 = [10 + rng.gauss(0, 1) for _ in range(200)]
b2 = [5 + rng.gauss(0, 0.5) for _ in range(200)]
_, (lo2, hi2) = stats.ratio_ci(a2, b2)
t("ratio-interval-shrinks", hi2 - lo2 < hi - lo, f"n=15: {hi - lo}, n=200: {hi2 - lo2}")
m = stats.median_ci(a)
t("median-interval", m[0] <= sorted(a)[7] <= m[1], f"{m}")
# a denominator that is sometimes 0 (a ns clock that did not tick in TCG)
z = stats.fmt_ratio([10, 11, 9, 10, 12], [3, 0, 4, 3, 0])
t("zero-denominator-no-nan", "nan" not in z, z)
r0, ci0 = stats.ratio_ci([1, 2], [0, 0])
t("all-zero-denominator-inf", math.isinf(r0) and all(math.isinf(x) for x in ci0), f"{r0} {ci0}")

# Samples from several runs (processes, boots) with a level shift from run
# to run: the two-stage interval covers the shift, which one that resamples
# the rounds alone does not; a row (dict) with "runs" is read the same way.
lv = [1.0, 1.3, 0.8, 1.6]
ra = [100 * lv[i // 5] + rng.gauss(0, 1) for i in range(20)]
runs = [i // 5 for i in range(20)]
flat = stats.median_ci(ra)
two = stats.median_ci(ra, runs)
t("runs-interval-covers-shift", two[1] - two[0] > 2 * (flat[1] - flat[0]) and two[0] <= statistics.median(ra) <= two[1],
  f"flat {flat}, two-stage {two}")
t("runs-row", stats.median_ci({"samples": ra, "runs": runs}) == two, "a row and a list differ")
rb = [x / 2 for x in ra]
rr, rci = stats.ratio_ci({"samples": ra, "runs": runs}, {"samples": rb, "runs": runs})
t("runs-paired-ratio", abs(rr - 2) < 1e-9 and rci[1] - rci[0] < 1e-9, f"{rr} {rci}: paired by run and round")
rc = [100 + rng.gauss(0, 1) for _ in range(20)]
rr, rci = stats.ratio_ci({"samples": ra, "runs": runs}, {"samples": rc, "runs": [r + 10 for r in runs]})
t("runs-unpaired-ratio", rci[0] < rr < rci[1] and rci[1] - rci[0] > 0.3, f"{rr} {rci}")

# ab-compare.py: a row measured on one kernel only is an error, and a real
# difference between the kernels is reported as one.
import json  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402


def doc(rows):
    return {"accel": "tcg", "results": [
        {"workload": w, "where": "tcg", "params": {"gib": 1}, "mode": "nt", "metric": "ns", "unit": "ns",
         "samples": s, "median": sorted(s)[len(s) // 2]} for w, s in rows]}


same = [100 + rng.gauss(0, 2) for _ in range(10)]
with tempfile.TemporaryDirectory() as d:
    def run(a, b):
        for n, x in (("a", a), ("b", b)):
            with open(os.path.join(d, n + ".json"), "w") as f:
                json.dump(doc(x), f)
        return subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                            "ab-compare.py"),
                               os.path.join(d, "a.json"), os.path.join(d, "b.json")],
                              capture_output=True, text=True)
    p = run([("w1", same), ("w2", same)], [("w1", same)])
    t("ab-missing-row-fails", p.returncode != 0 and "only in" in p.stderr, f"rc {p.returncode}: {p.stderr}")
    p = run([("w1", same), ("w2", same)], [("w1", same), ("w2", [x * 1.5 for x in same])])
    lines = {l.split("|")[1].strip(): l for l in p.stdout.splitlines() if l.startswith("| w")}
    t("ab-shift-found", p.returncode == 0 and lines.get("w2", "").endswith("| no |")
      and lines.get("w1", "").endswith("| yes |") and "1 with B/A" in p.stdout, p.stdout + p.stderr)
    # per-round files: the interval resamples rounds; a 1.5x shift in every
    # round is found, and one wild round among equal ones does not decide
    def run_rounds(a_rounds, b_rounds):
        paths = []
        for n, side in (("a", a_rounds), ("b", b_rounds)):
            ps = []
            for i, x in enumerate(side):
                ps.append(os.path.join(d, f"{n}{i}.json"))
                with open(ps[-1], "w") as f:
                    json.dump(doc([("w1", x)]), f)
            paths.append(",".join(ps))
        return subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                            "ab-compare.py")] + paths,
                              capture_output=True, text=True)
    rounds = [[100 + rng.gauss(0, 2) for _ in range(8)] for _ in range(6)]
    p = run_rounds(rounds, [[x * 1.5 for x in r] for r in rounds])
    t("ab-rounds-shift-found", p.returncode == 0 and "| no |" in p.stdout and "rounds resampled" in p.stdout,
      p.stdout + p.stderr)
    p = run_rounds(rounds, rounds[:5] + [[x * 3 for x in rounds[5]]])
    t("ab-rounds-one-wild-round", p.returncode == 0 and "| yes |" in p.stdout, p.stdout + p.stderr)
