#!/usr/bin/env python3
"""make numbers: every measured figure in the prose, checked against its data.

Reads README.md, docs/*.md, the cover letter (mail/cover-letter.in) and the
changelogs of the patches in series (the text before their first '---'),
or the FILES given. A unit is a paragraph, a list item or a table row; its
sources are the results folders it names (docs/results/<name>, or <name>
alone where such a folder exists), else those its section heading names,
else, in a changelog, those the changelog names. A figure is a number
with decimals: "4 ms" (a jiffy) or "5x" are settings or round words.
Each figure of a unit is checked against the results files of its sources
(every *.json with a "results" list under the folder):

  - a ratio with its interval, "1.87x [1.75, 2.26]": some like-for-like
    pair of rows (a, b): one workload and metric, the same mode and params
    but one (or but parallel and threads, which go together); whose ratio of medians a/b and bootstrap 95% interval
    (scripts/stats.py, as the tables print them) round to the three
    figures;
  - a ratio alone, "1.87x" (and each end of "1.2-1.3x"): some
    like-for-like pair's ratio of medians rounds to it (a weak check for a
    figure of one decimal: say where it comes from with its interval);
  - a time, "2.52 ns", "76.2 ms", "3 us" (and each end of "2.5-3.1 ns"):
    some row's median, interval bound, quartile, minimum or maximum in
    that unit rounds to it.

A figure fails, with its file and line, if its unit names no results
folder, or if no quantity of its sources gives it at the precision it is
written with. Sizes (MiB, GiB), counts and wall times are not figures
here: they are settings, or come from logs that are not kept. The last
line says how many figures were checked and how many failed; the exit
status is 1 if any failed.

  scripts/check-numbers.py [-v] [FILES...]
"""
import bisect
import glob
import json
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "scripts"))
import stats  # noqa: E402

RESULTS = os.path.join(TOP, "docs", "results")
NUM = r"(\d+(?:\.\d+)?)"
DEC = r"(\d+\.\d+)"    # a measured figure has decimals: "4 ms" (a jiffy), "5x" are not
CI_RE = re.compile(DEC + r"x \[" + DEC + r", " + DEC + r"\]")
RATIO_RE = re.compile(r"(?<![\w.\[])" + DEC + r"(?:-" + DEC + r")?x\b(?! \[)")
TIME_RE = re.compile(r"(?<![\w.])" + DEC + r"(?:-" + DEC + r")? ?(ns|ms|us|µs)\b")
SCALE = {"ns": 1.0, "us": 1e3, "µs": 1e3, "ms": 1e6}


def default_files():
    files = [os.path.join(TOP, "README.md")] + sorted(glob.glob(os.path.join(TOP, "docs", "*.md")))
    files.append(os.path.join(TOP, "mail", "cover-letter.in"))
    with open(os.path.join(TOP, "series")) as f:
        files += [os.path.join(TOP, line.strip()) for line in f
                  if line.strip() and not line.startswith("#")]
    return files


def text_of(path):
    """The lines to read: a patch's changelog only."""
    with open(path) as f:
        lines = f.read().split("\n")
    if path.endswith(".patch"):
        end = lines.index("---") if "---" in lines else len(lines)
        lines = lines[:end]
    return lines


def units(lines):
    """(first line number, text, heading) of each paragraph, item and row."""
    out, cur, start, heading = [], [], 0, ""
    for i, line in enumerate(lines + [""], 1):
        s = line.strip()
        new_unit = (not s or s.startswith("#") or s.startswith("|") or
                    re.match(r"^([-*]|\d+\.) ", s))
        if new_unit and cur:
            out.append((start, " ".join(cur), heading))
            cur = []
        if s.startswith("#"):
            heading = s
            continue
        if s:
            if not cur:
                start = i
            cur.append(s)
    return out


_folders = None


def folders():
    global _folders
    if _folders is None:
        _folders = sorted(d for d in os.listdir(RESULTS) if os.path.isdir(os.path.join(RESULTS, d)))
    return _folders


def sources(text):
    return [d for d in folders() if d in text]


_data = {}


# Settings that change together, and so make one difference between two
# rows: the parallel path is on more threads (serial against parallel).
TOGETHER = [("parallel", "threads")]


def signature(r, without):
    p = dict(r.get("params") or {}, mode=r.get("mode"))
    for k in without:
        p.pop(k, None)
    p.pop("resolved", None)     # the store auto took: an outcome, not a setting
    return json.dumps(p, sort_keys=True)


def data(folder):
    """The rows of every results file under a folder, and the ratios of
    their like-for-like pairs (one workload and metric, all but one of
    mode and params the same), sorted."""
    if folder in _data:
        return _data[folder]
    rows = []
    for path in sorted(glob.glob(os.path.join(RESULTS, folder, "**", "*.json"), recursive=True)):
        try:
            with open(path) as f:
                doc = json.load(f)
        except (OSError, ValueError):
            continue
        if isinstance(doc, dict) and isinstance(doc.get("results"), list):
            rows += [r for r in doc["results"] if r.get("samples")]
    ratios, seen = [], set()
    for r in rows:
        r.setdefault("median", stats.statistics.median(r["samples"]))
    keys = {"mode"} | {k for r in rows for k in (r.get("params") or {})} - {"resolved"}
    for k in sorted((k,) for k in keys) + TOGETHER:
        buckets = {}
        for i, r in enumerate(rows):
            buckets.setdefault((r["workload"], r["metric"], signature(r, k)), []).append(i)
        for idx in buckets.values():
            for i in idx:
                for j in idx:
                    a, b = rows[i], rows[j]
                    if i != j and (i, j) not in seen and a["median"] and b["median"]:
                        seen.add((i, j))
                        ratios.append((a["median"] / b["median"], i, j))
    ratios.sort()
    _data[folder] = (rows, ratios)
    return _data[folder]


def rounds_to(value, figure):
    """Whether value, written with figure's decimals, is figure."""
    d = len(figure.split(".")[1]) if "." in figure else 0
    return abs(value - float(figure)) <= 0.5 * 10 ** -d + 1e-9


def pairs(folder, figure):
    """The like-for-like pairs (a, b) whose ratio of medians rounds to figure."""
    rows, ratios = data(folder)
    d = len(figure.split(".")[1]) if "." in figure else 0
    lo = float(figure) - 0.5 * 10 ** -d - 1e-9
    i = bisect.bisect_left(ratios, (lo, -1, -1))
    while i < len(ratios) and rounds_to(ratios[i][0], figure):
        yield rows[ratios[i][1]], rows[ratios[i][2]]
        i += 1


_ci = {}


def ratio_ci(a, b):
    key = (id(a), id(b))
    if key not in _ci:
        _ci[key] = stats.ratio_ci(a, b)[1]
    return _ci[key]


def check_ci(srcs, r, lo, hi):
    for s in srcs:
        for a, b in pairs(s, r):
            clo, chi = ratio_ci(a, b)
            if rounds_to(clo, lo) and rounds_to(chi, hi):
                return True
    return False


def check_ratio(srcs, r):
    return any(True for s in srcs for _ in pairs(s, r))


def check_time(srcs, t, unit):
    scale = SCALE[unit]
    for s in srcs:
        for row in data(s)[0]:
            if row.get("unit") != "ns":
                continue
            vals = [row["median"], row.get("min"), row.get("max"), row.get("p25"), row.get("p75")]
            vals += list(row.get("ci95") or [])
            if any(v is not None and rounds_to(v / scale, t) for v in vals):
                return True
    return False


def main(argv):
    verbose = "-v" in argv
    files = [a for a in argv if a != "-v"] or default_files()
    checked = failed = 0
    for path in files:
        rel = os.path.relpath(path, TOP)
        lines = text_of(path)
        whole = sources(" ".join(lines)) if path.endswith(".patch") else []
        for line, text, heading in units(lines):
            srcs = sources(text) or sources(heading) or whole
            figs = []
            for m in CI_RE.finditer(text):
                figs.append(("ci", m.group(0), lambda m=m: check_ci(srcs, *m.groups())))
            masked = CI_RE.sub(" ", text)
            for m in RATIO_RE.finditer(masked):
                for g in filter(None, m.groups()):
                    figs.append(("ratio", g + "x", lambda g=g: check_ratio(srcs, g)))
            for m in TIME_RE.finditer(masked):
                for g in filter(None, m.groups()[:2]):
                    figs.append(("time", g + " " + m.group(3),
                                 lambda g=g, u=m.group(3): check_time(srcs, g, u)))
            for kind, fig, check in figs:
                checked += 1
                if not srcs:
                    why = "names no results folder"
                elif check():
                    if verbose:
                        print("ok %s:%d: %s (%s)" % (rel, line, fig, ", ".join(srcs)))
                    continue
                else:
                    why = "not in %s" % ", ".join(srcs)
                failed += 1
                print("%s:%d: %s %s: %s" % (rel, line, kind, fig, why))
    print("%d figures checked, %d failed" % (checked, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
