"""Statistics for the benchmark tables: medians with bootstrap 95% intervals.

A median's interval is the 2.5th and 97.5th percentiles of the medians of
BOOT resamples of its samples. A ratio of two medians (a/b) is resampled
the same way; when a and b have as many samples, taken in the same rounds
(methods interleaved: sample i of each is round i), rounds are resampled
together (paired). The resampling is seeded from the data, so a report made
twice from the same samples prints the same intervals.
"""
import random
import statistics

BOOT = 2000


def _rng(*samples):
    return random.Random(hash(tuple(round(x, 9) for s in samples for x in s)) & 0xffffffff)


def _pct(xs, q):
    xs = sorted(xs)
    i = (len(xs) - 1) * q
    lo = int(i)
    hi = min(lo + 1, len(xs) - 1)
    if i == lo or xs[hi] == xs[lo]:
        return xs[lo]       # no interpolation: inf - inf would be nan
    return xs[lo] + (xs[hi] - xs[lo]) * (i - lo)


def median_ci(samples):
    """[low, high]: bootstrap 95% interval of the median."""
    if len(samples) < 2:
        return [samples[0], samples[0]]
    rng = _rng(samples)
    n = len(samples)
    meds = [statistics.median(rng.choices(samples, k=n)) for _ in range(BOOT)]
    return [_pct(meds, 0.025), _pct(meds, 0.975)]


def _div(x, y):
    return x / y if y else float("inf")


def ratio_ci(a, b):
    """(median(a)/median(b), [low, high]) with a bootstrap 95% interval
    (inf where a median of b is 0: a clock that did not tick)."""
    r = _div(statistics.median(a), statistics.median(b))
    if len(a) < 2 or len(b) < 2:
        return r, [r, r]
    rng = _rng(a, b)
    out = []
    if len(a) == len(b):
        idx = range(len(a))
        for _ in range(BOOT):
            k = rng.choices(idx, k=len(a))
            out.append(_div(statistics.median([a[i] for i in k]), statistics.median([b[i] for i in k])))
    else:
        for _ in range(BOOT):
            out.append(_div(statistics.median(rng.choices(a, k=len(a))),
                            statistics.median(rng.choices(b, k=len(b)))))
    return r, [_pct(out, 0.025), _pct(out, 0.975)]


def fmt_ratio(a, b):
    """'2.51x [2.40, 2.63]' for the tables."""
    r, (lo, hi) = ratio_ci(a, b)
    return f"{r:.2f}x [{lo:.2f}, {hi:.2f}]"
