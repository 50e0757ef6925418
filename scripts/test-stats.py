#!/usr/bin/env python3
"""Host test of scripts/stats.py: the intervals the tables print contain
their point estimate, are reproducible, shrink with more samples and never
print nan (a clock that did not tick gives inf). Prints MMT-TEST lines."""
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stats  # noqa: E402


def t(name, ok, why=""):
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
