"""Statistics for the benchmark tables: medians with bootstrap 95% intervals.

A median's interval is the 2.5th and 97.5th percentiles of the medians of
BOOT resamples of its samples. A ratio of two medians (a/b) is resampled
the same way; when a and b have as many samples, taken in the same rounds
(methods interleaved: sample i of each is round i), rounds are resampled
together (paired). The resampling is seeded from the data, so a report made
twice from the same samples prints the same intervals.

Samples taken in several independent runs (processes, boots: a results
row's "runs", one id a sample) are resampled in two stages: the runs, then
the rounds inside each run drawn (paired between a and b where both have
the same runs and rounds), so that an interval covers the run-to-run
variation, not only the rounds of one run. Every function takes either a
list of samples or a results row (a dict with "samples" and maybe "runs").
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


def _unpack(x, runs=None):
    """(samples, runs or None) of a list of samples or a results row."""
    if isinstance(x, dict):
        return x["samples"], x.get("runs")
    return x, runs


def _by_run(samples, runs):
    """The samples of each run, runs in order; None if fewer than two runs."""
    if not runs or len(runs) != len(samples) or len(set(runs)) < 2:
        return None
    g = {}
    for v, r in zip(samples, runs):
        g.setdefault(r, []).append(v)
    return [g[k] for k in sorted(g)]


def _resample(rng, groups, idx=None):
    """One two-stage resample: runs drawn, then rounds inside each. With
    idx (the draw, from _draw), the same runs and rounds for paired data."""
    if idx is None:
        idx = _draw(rng, groups)
    return [groups[g][i] for g, rounds in idx for i in rounds]


def _draw(rng, groups):
    out = []
    for _ in groups:
        g = rng.randrange(len(groups))
        out.append((g, rng.choices(range(len(groups[g])), k=len(groups[g]))))
    return out


def median_ci(samples, runs=None):
    """[low, high]: bootstrap 95% interval of the median (two-stage over
    runs where the samples come from several)."""
    samples, runs = _unpack(samples, runs)
    if len(samples) < 2:
        return [samples[0], samples[0]]
    rng = _rng(samples)
    groups = _by_run(samples, runs)
    if groups:
        meds = [statistics.median(_resample(rng, groups)) for _ in range(BOOT)]
    else:
        n = len(samples)
        meds = [statistics.median(rng.choices(samples, k=n)) for _ in range(BOOT)]
    return [_pct(meds, 0.025), _pct(meds, 0.975)]


def _div(x, y):
    return x / y if y else float("inf")


def ratio_ci(a, b):
    """(median(a)/median(b), [low, high]) with a bootstrap 95% interval
    (inf where a median of b is 0: a clock that did not tick)."""
    a, runs_a = _unpack(a)
    b, runs_b = _unpack(b)
    r = _div(statistics.median(a), statistics.median(b))
    if len(a) < 2 or len(b) < 2:
        return r, [r, r]
    rng = _rng(a, b)
    out = []
    ga, gb = _by_run(a, runs_a), _by_run(b, runs_b)
    if ga and gb:
        paired = sorted(set(runs_a)) == sorted(set(runs_b)) and [len(g) for g in ga] == [len(g) for g in gb]
        for _ in range(BOOT):
            if paired:
                idx = _draw(rng, ga)
                sa, sb = _resample(rng, ga, idx), _resample(rng, gb, idx)
            else:
                sa, sb = _resample(rng, ga), _resample(rng, gb)
            out.append(_div(statistics.median(sa), statistics.median(sb)))
    elif len(a) == len(b):
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
