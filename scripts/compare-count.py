#!/usr/bin/env python3
"""Compare event counts across boots of one kernel with different
memmap_template= modes (make check-full's page_ref_set check).

  compare-count.py NAME MODE=LOG...      (at least three off boots)

Each LOG holds "MMT-COUNT KEY N" lines (scripts/guest/check-pageref.sh).
For every KEY the off boots give the noise floor: band = [min - spread,
max + spread] of their counts. Prints, per KEY, MMT-TEST count.NAME.KEY:
ok if every other-mode boot's count lies in the band, not ok (naming the
boots and the band) otherwise or if a boot reported no count. An off count
of zero fails too: the event was not traced at all, and nothing was shown.
"""
import sys


def counts(path):
    c = {}
    try:
        lines = open(path, errors="replace").readlines()
    except OSError:             # a boot that died before its log: no count
        return c
    for line in lines:
        f = line.split()
        if len(f) == 3 and f[0] == "MMT-COUNT" and f[2].isdigit():
            c[f[1]] = int(f[2])
    return c


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    name = argv[1]
    boots = []
    for a in argv[2:]:
        mode, path = a.split("=", 1)
        boots.append((mode, path.split("/")[-1], counts(path)))
    offs = [b for b in boots if b[0] == "off"]
    if len(offs) < 3:
        sys.exit("need at least three off boots for the noise floor")
    keys = sorted(set().union(*(c for _, _, c in boots)))
    if not keys:
        print("MMT-TEST not ok count.%s # no MMT-COUNT line in any boot" % name)
        return
    for key in keys:
        test = "count.%s.%s" % (name, key)
        missing = [p for _, p, c in boots if key not in c]
        if missing:
            print("MMT-TEST not ok %s # no count from %s" % (test, ", ".join(missing)))
            continue
        offv = [c[key] for _, _, c in offs]
        lo, hi = min(offv), max(offv)
        lo, hi = lo - (hi - lo), hi + (hi - lo)
        bad = ["%s %s=%d" % (p, m, c[key]) for m, p, c in boots
               if m != "off" and not lo <= c[key] <= hi]
        if min(offv) == 0:
            bad.append("an off boot counted 0 events")
        print("MMT-NOTE %s %s" % (test, " ".join("%s=%d" % (m, c[key]) for m, _, c in boots)))
        if bad:
            print("MMT-TEST not ok %s # outside the off band [%d, %d]: %s" % (test, lo, hi, "; ".join(bad)))
        else:
            print("MMT-TEST ok %s" % test)


if __name__ == "__main__":
    main(sys.argv)
