#!/usr/bin/env python3
"""Helpers of scripts/mail.sh (make mail).

  mail.py results RESULTS_DIR README      compact results table for the cover letter
  mail.py command RESULTS_DIR README      the command that made that run
  mail.py changes CHANGES_MD VERSION      the changelog section of one version
  mail.py base TREE DEB CACHE             Debian's changes vs the files the series changes
  mail.py fill OUTDIR SUBJECT BODY RCPTDIR EXTRA_CC
                                          fill the cover letter, add To:/Cc: headers
"""
import collections
import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import textwrap
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stats import fmt_ratio  # noqa: E402


def wrap(text, width=72):
    return "\n".join(textwrap.wrap(" ".join(text.split()), width,
                                   break_on_hyphens=False, break_long_words=False))


# ---------------------------------------------------------------- results
def readme_section(readme, name):
    """The bullets 'Command:' and 'Where:' of README's '## name' section."""
    out = {}
    try:
        lines = open(readme).read().split("\n")
    except OSError:
        return out
    try:
        start = lines.index("## " + name) + 1
    except ValueError:
        return out
    bullets, cur = [], None
    for l in lines[start:]:
        if l.startswith("## "):
            break
        if l.startswith("- "):
            cur = [l[2:].strip()]
            bullets.append(cur)
        elif cur is not None and l.startswith("  ") and l.strip():
            cur.append(l.strip())
        else:
            cur = None
    for b in bullets:
        text = " ".join(b)
        m = re.match(r"(\w[\w ]*):\s*(.*)", text)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def gib(x):
    return f"{x:g}G"


def results(rdir, readme):
    """A compact text table of the run: the largest configuration of each
    guest workload (modes off, cached, nt) and of each native model."""
    rdir = rdir.rstrip("/")
    name = os.path.basename(rdir)
    data = json.load(open(os.path.join(rdir, "results.json")))
    accel = data.get("accel", "?")
    by = collections.defaultdict(dict)     # (workload, params) -> {(metric, mode): median}
    ns = collections.defaultdict(dict)     # the same -> {(metric, mode): samples}
    for r in data["results"]:
        params = {k: v for k, v in r["params"].items() if k != "chunk_pages"}
        key = (r["workload"], json.dumps(params, sort_keys=True))
        by[key][(r["metric"], r["mode"])] = r["median"]
        ns[key][(r["metric"], r["mode"])] = len(r["samples"])

    def configs(workload):
        return [(json.loads(p), v, ns[(w, p)]) for (w, p), v in by.items() if w == workload]

    def largest(cs, key, group=None):
        best = {}
        for p, v, n in cs:
            g = p.get(group) if group else None
            if g not in best or p.get(key, 0) > best[g][0].get(key, 0):
                best[g] = (p, v, n)
        return [best[g] for g in sorted(best, key=lambda x: (x is None, x))]

    rows = []   # (label, n, off, nt, auto, off/nt text), times in ns
    samples = {(r["workload"], json.dumps({k: v for k, v in r["params"].items() if k != "chunk_pages"},
                                          sort_keys=True), r["metric"], r["mode"]): r
               for r in data["results"]}

    def add(label, vals, n, metric, key=None):
        if (metric, "off") in vals and (metric, "nt") in vals:
            so, sn = (samples.get(key + (metric, m)) for m in ("off", "nt")) if key else (None, None)
            rt = fmt_ratio(so, sn).replace(", ", ",") if so and sn else \
                f"{vals[(metric, 'off')] / vals[(metric, 'nt')]:.2f}x"
            rows.append((label, n.get((metric, "off"), 0), vals[(metric, "off")],
                         vals[(metric, "nt")], vals.get((metric, "auto")), rt))

    def keyed(workload):
        return [(json.loads(p), v, ns[(w, p)], (w, p)) for (w, p), v in by.items() if w == workload]

    for p, v, n, k in keyed("deferred-init"):
        for node in range(p.get("nodes", 1)):
            add(f"deferred {gib(p['mem_gib'])} {p['nodes']}n node{node}",
                v, n, f"node{node}_tp_ns", k)
    for p, v, n, k in keyed("early-init"):
        add(f"early {gib(p['mem_gib'])} {p['nodes']}n", v, n, "early_ns", k)
    for p, v, n, k in keyed("hotplug-online"):
        add(f"hotplug {p.get('block_mib', '?')}M block", v, n, "online_tp_ns", k)
    for p, v, n, k in keyed("pmem-bind"):
        t = p.get("threads", 1)
        add(f"pmem {p['ns']}" + (f"/{p['align']}" if p["ns"] == "devdax" else "") +
            f"/{p['map']} {p['pages'] * 4096 / 2**30:.0f}G" + (f" {t}cpu" if t > 1 else ""),
            v, n, "rebind_tp_ns", k)
    for p, v, n, k in keyed("hmm-register"):
        add(f"test_hmm {p.get('chunk_mib', '?')}M private", v, n, "memmap_init_tp_ns", k)
    for p, v, n, k in sorted(keyed("gpu-register"), key=lambda c: (c[0]["gib"], c[0].get("threads", 1))):
        t = p.get("threads", 1)
        add(f"dev-private {gib(p['gib'])}" + (f" {t}cpu" if t > 1 else ""), v, n,
            "memmap_init_tp_ns", k)

    def ms(x):
        if x is None:
            return "-"
        x /= 1e6
        return f"{x:.2f}" if x < 10 else f"{x:.1f}"

    def table(title, cols, body):
        # a column nobody measured (auto in an older run) only costs width
        keep = [i for i in range(len(cols)) if any(t[i + 1] != "-" for t in body)]
        cols, body = [cols[i] for i in keep], [[t[0]] + [t[i + 1] for i in keep] for t in body]
        w0 = max([len(title)] + [len(t[0]) for t in body])
        wn = [max([len(cols[i])] + [len(t[i + 1]) for t in body]) for i in range(len(cols))]
        line = lambda c: "  " + c[0].ljust(w0) + "".join("  " + x.rjust(w) for x, w in zip(c[1:], wn))  # noqa: E731
        return [line([title] + cols)] + [line(t) for t in body]

    info = readme_section(readme, name)
    out = [wrap(f"Measured in the run docs/results/{name}/ of the harness."
                + (" Where: " + info["Where"].replace("`", "") if "Where" in info else ""))]
    nat = []
    for r in data["results"]:
        p = r["params"]
        if r.get("where") != "native-kernel" or r["mode"] != "off" or p.get("threads", 1) != 1:
            continue
        big = p.get("size_mib") == 4096
        if r["workload"] == "native-fill" and big and p.get("state") == "cold" \
                and p.get("path") in ("device", "device-compound", "early"):
            label = f"{p['path'].replace('device-', 'dev-')} fill"
        elif r["workload"] == "native-initfree" and big and p.get("path") == "deferred":
            label = "deferred+free"
        elif r["workload"] == "native-initfree" and big and p.get("path") == "online":
            label = "online+free"
        else:
            continue
        if p.get("page_checks"):
            label += ", chk"
        same = lambda m: next((x for x in data["results"] if x["workload"] == r["workload"]  # noqa: E731
                               and x["params"] == p and x["mode"] == m), None)
        lims = [x for x in data["results"] if x["workload"] == r["workload"] and x["mode"] == "limit"
                and x["params"].get("size_mib") == 4096 and x["params"].get("state", "cold") == "cold"
                and x["params"].get("threads", 1) == 1 and x.get("sequence") != "rep-stosb-zero"
                and x["params"].get("page_checks") == p.get("page_checks")]
        lim = min(lims, key=lambda x: x["median"]) if lims else None
        nt, cached, auto = same("nt"), same("cached"), same("auto")
        nat.append([label, f"{r['median']:.2f}", f"{cached['median']:.2f}" if cached else "-",
                    f"{nt['median']:.2f}" if nt else "-", f"{auto['median']:.2f}" if auto else "-",
                    f"{lim['median']:.2f}" if lim else "-",
                    fmt_ratio(r, auto).replace(", ", ",") if auto else "-"])
    if nat:
        out += [""] + table("4 GiB, ns/page", ["off", "cached", "nt", "auto", "limit", "off/auto"],
                            sorted(nat))
        out += ["", wrap("Native rows: the series' own functions run on this machine's "
                         "memory (fills built for userspace with the kernel's flags; "
                         "init + free (+free) in UML with the buddy allocator), memmap "
                         "not in the caches, 4 GiB of struct pages; chk = with page checks (check_pages=1, "
                         "as init_on_alloc=1 turns on); limit = the fastest store "
                         "sequence for the same bytes; ratios with bootstrap 95% "
                         "intervals over runs, then rounds.")]
    if rows:
        out += [""] + table(f"{accel.upper() if accel in ('tcg', 'kvm') else accel}, median ms",
                            ["n", "off", "nt", "auto", "off/nt"],
                            [[r[0], str(r[1]), ms(r[2]), ms(r[3]), ms(r[4]), r[5]] for r in rows])
        if accel == "tcg":
            out += ["", wrap("TCG runs every instruction but models no cache: these rows "
                             "show path length, not what non-temporal stores do.")]
        out += ["", wrap("Rows: nG/nn = memory and nodes of the guest; hotplug = online "
                         "one block; pmem mode[/align]/map size = rebind of a namespace "
                         "with its memmap in RAM (mem) or on the device (dev); test_hmm "
                         "and dev-private = device-private registration; ncpu = CPUs "
                         "the memmap init is split over.")]
    out += ["", wrap(f"Every metric with n, median and 95% interval: docs/results/{name}/results.md.")]
    print("\n".join(out))


def command(rdir, readme):
    """The command that made the run, from its README section."""
    info = readme_section(readme, os.path.basename(rdir.rstrip("/")))
    m = re.search(r"`([^`]*)`", info.get("Command", ""))
    cmd = m.group(1) if m else "make bench"
    if len(cmd) > 68 and " make " in cmd:    # checkpatch: lines under 75
        env, tail = cmd.rsplit(" make ", 1)
        cmd = f"{env} \\\n    make {tail}"
    print(cmd)


# ---------------------------------------------------------------- changes
def changes(path, version):
    text = open(path).read()
    m = re.search(r"^## v%s\b[^\n]*\n(.*?)(?=^## |\Z)" % re.escape(version), text, re.S | re.M)
    if not m or not m.group(1).strip():
        sys.exit(1)
    print(m.group(1).strip("\n"))


# ---------------------------------------------------------------- base
def git(tree, *args):
    return subprocess.run(["git", "-C", tree] + list(args), check=True,
                          capture_output=True).stdout


def base(tree, deb, cache):
    """Which files the series changes did Debian's patches change?

    Debian's linux-source-7.2.tar.xz keeps the upstream release time on
    every file it did not touch and gives the files its build wrote (the
    patched ones, and their directories) the changelog date
    (SOURCE_DATE_EPOCH). Compare the series' files with that."""
    st = git(tree, "diff", "--name-status", "--no-renames", "base", "HEAD").decode().split("\n")
    changed = [l.split("\t", 1)[1] for l in st if l.startswith("M\t")]
    added = [l.split("\t", 1)[1] for l in st if l.startswith("A\t")]
    intro = ("Linux 7.2.13 as Debian packages it (linux-source-7.2 7.2.13-1), "
             "that is upstream v7.2.13 plus Debian's patches. The base-commit "
             "below is that source tree committed in one piece by the harness "
             "(make tree); it is in no public repository.")
    if not os.path.exists(deb):
        print(wrap(intro) + "\n\n" + wrap(
            f"Whether Debian's changes touch the {len(changed)} existing files this "
            f"series changes was not determined: the Debian package "
            f"{os.path.basename(deb)} was not available where this mail was made."))
        return
    s = os.stat(deb)
    key = f"{os.path.basename(deb)} {s.st_size} {int(s.st_mtime)} " + " ".join(sorted(changed + added))
    info = None
    try:
        c = json.load(open(cache))
        if c.get("key") == key:
            info = c
    except (OSError, ValueError):
        pass
    if info is None:
        sys.stderr.write(f"reading {os.path.basename(deb)} (once; cached in {cache})\n")
        log = subprocess.run(
            f"dpkg-deb --fsys-tarfile '{deb}' | tar -xO ./usr/share/doc/linux-source-7.2/changelog.Debian.gz | gzip -dc",
            shell=True, check=True, capture_output=True).stdout.decode(errors="replace")
        first = log.split("\n", 1)[0]
        stamp = re.search(r"^ -- .*?>  (.*)$", log, re.M).group(1)
        date = subprocess.run(["date", "-u", "-d", stamp, "+%s"], check=True,
                              capture_output=True).stdout.decode().strip()
        p = subprocess.Popen(
            f"dpkg-deb --fsys-tarfile '{deb}' | tar -xO ./usr/src/linux-source-7.2.tar.xz | xz -dc",
            shell=True, stdout=subprocess.PIPE)
        times = collections.Counter()
        mtime, digest = {}, {}
        want = set(changed + added)
        with tarfile.open(fileobj=p.stdout, mode="r|") as t:
            for m in t:
                times[int(m.mtime)] += 1
                rel = m.name.split("/", 1)[1] if "/" in m.name else ""
                if rel in want:
                    mtime[rel] = int(m.mtime)
                    if m.isfile():
                        digest[rel] = hashlib.sha1(t.extractfile(m).read()).hexdigest()
        p.wait()
        info = {"key": key, "changelog_first_line": first, "changelog_date": int(date),
                "times": {str(k): v for k, v in times.items()}, "mtime": mtime, "sha1": digest}
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        json.dump(info, open(cache, "w"), indent=1)

    fmt = lambda e: subprocess.run(["date", "-u", "-d", f"@{e}", "+%Y-%m-%d %H:%M:%S UTC"],
                                   capture_output=True).stdout.decode().strip()
    times = {int(k): v for k, v in info["times"].items()}
    upstream = max(times, key=times.get)
    debian = info["changelog_date"]
    strays = sum(v for k, v in times.items() if k not in (upstream, debian))
    by_debian = [f for f in changed if info["mtime"].get(f) == debian]
    as_upstream = [f for f in changed if info["mtime"].get(f) == upstream]
    unknown = [f for f in changed if f not in by_debian and f not in as_upstream]
    in_deb_new = [f for f in added if f in info["mtime"]]
    mismatch = [f for f in changed
                if f in info["sha1"] and
                hashlib.sha1(git(tree, "cat-file", "blob", f"base:{f}")).hexdigest() != info["sha1"][f]]
    verdict = []
    if not by_debian and not unknown:
        verdict.append(f"Debian's changes do not touch any of the {len(changed)} existing "
                       f"files this series changes: all are as upstream released them.")
    else:
        parts = []
        for f in by_debian:
            hunks = [l.split("@@")[1].strip() for l in
                     git(tree, "diff", "base", "HEAD", "--", f).decode().split("\n") if l.startswith("@@")]
            parts.append(f"{f} (the series' hunks there: {', '.join('@@ ' + h + ' @@' for h in hunks)})")
        verdict.append(f"Of the {len(changed)} existing files this series changes, "
                       f"{len(as_upstream)} are as upstream released them"
                       + (f" and {len(by_debian)} {'was' if len(by_debian) == 1 else 'were'} "
                          f"changed by Debian: {'; '.join(parts)}" if by_debian else "") + ".")
        if unknown:
            verdict.append(f"Not classified (no such file, or another timestamp): {', '.join(unknown)}.")
    verdict.append(f"The {len(added)} files the series creates "
                   + ("are not in Debian's tree." if not in_deb_new else
                      f"include {', '.join(in_deb_new)}, which Debian's tree already has!"))
    how = (f"How this was determined: in Debian's linux-source-7.2.tar.xz (from "
           f"{os.path.basename(deb)}) every file carries the upstream release time "
           f"({fmt(upstream)}, {times[upstream]} entries) except the "
           f"{times.get(debian, 0)} files and directories that Debian's build wrote, "
           f"which carry the date of its changelog entry '{info['changelog_first_line']}' "
           f"({fmt(debian)})")
    how += (f"; {strays} entries have neither time, so the method is in doubt." if strays
            else "; no entry has any other time.")
    how += (" The series' files in that tarball are byte for byte the base commit's."
            if not mismatch else
            f" WARNING: {', '.join(mismatch)} in the tarball differ from the base commit.")
    notdone = ""
    if by_debian:
        notdone = ("Not determined here: what Debian changed in "
                   + ", ".join(by_debian) +
                   " (the .deb carries the patched tree, not Debian's patches), "
                   "hence whether the series applies to upstream v7.2.13 there without an offset.")
    print("\n\n".join(wrap(x) for x in [intro, " ".join(verdict), how, notdone] if x))


# ---------------------------------------------------------------- fill
def read_maintainers(path):
    """get_maintainer.pl output (with role stats): (to, cc, lists)."""
    to, cc, lists = [], [], []
    for l in open(path):
        l = l.strip()
        if not l:
            continue
        # "Name <addr> (role:SECTION)" or "addr (role:SECTION)"; SECTION may
        # have parentheses of its own.
        m = re.match(r"^(.*?<[^>]+>|[^\s(]+@[^\s(]+)\s*(?:\((.*)\))?$", l)
        addr, role = (m.group(1), m.group(2) or "") if m else (l, "")
        if role.startswith("maintainer:"):
            to.append(addr)
        else:
            cc.append(addr)
            if "list" in role.split(":", 1)[0]:
                lists.append(addr)
    return to, cc, lists


def email_of(a):
    m = re.search(r"<([^>]+)>", a)
    return (m.group(1) if m else a).strip().lower()


def merge(*lists, exclude=()):
    seen, out = {email_of(a) for a in exclude}, []
    for lst in lists:
        for a in lst:
            if email_of(a) not in seen:
                seen.add(email_of(a))
                out.append(a)
    return out


def fold(name, values):
    return name + ": " + ",\n    ".join(values) + "\n"


def fold_subject(line, width=78):
    if len(line) <= width:
        return line + "\n"
    out, cur = [], ""
    for w in line.split(" "):
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    out.append(cur)
    return "\n ".join(out) + "\n"


def add_headers(text, to, cc):
    head, sep, body = text.partition("\n\n")
    lines = head.split("\n")
    i = next(k for k, l in enumerate(lines) if l.startswith("Subject:"))
    j = i + 1
    while j < len(lines) and lines[j].startswith((" ", "\t")):
        j += 1
    extra = (fold("To", to) if to else "") + (fold("Cc", cc) if cc else "")
    lines[j:j] = extra.rstrip("\n").split("\n") if extra else []
    return "\n".join(lines) + sep + body


def fill(outdir, subject, bodyfile, rcptdir, extra_cc):
    files = sorted(f for f in os.listdir(outdir) if f.endswith(".patch"))
    cover = [f for f in files if "-0000-cover-letter" in f]
    if len(cover) != 1:
        sys.exit("no cover letter in " + outdir)
    extra = []
    if os.path.exists(extra_cc):
        for l in open(extra_cc):
            l = l.split("#", 1)[0].strip()
            if l:
                extra.append(l)
    patches = [f for f in files if f not in cover]
    got = {f: read_maintainers(os.path.join(rcptdir, f + ".txt")) for f in patches}
    all_to, all_cc, all_lists = [], [], []
    for to, cc, lists in got.values():
        all_to, all_cc, all_lists = merge(all_to, to), merge(all_cc, cc), merge(all_lists, lists)
    for f in patches:
        # Each patch: its own people, every list of the series (so that each
        # list's archive has the whole thread) and mail/cc.
        to, cc, _ = got[f]
        cc = merge(cc, all_lists, extra, exclude=to)
        path = os.path.join(outdir, f)
        text = add_headers(open(path).read(), to, cc)
        open(path, "w").write(text)
    all_cc = merge(all_cc, extra, exclude=all_to)
    path = os.path.join(outdir, cover[0])
    text = open(path).read()
    body = open(bodyfile).read().strip("\n")
    if "*** SUBJECT HERE ***" not in text or "*** BLURB HERE ***" not in text:
        sys.exit("git format-patch's cover letter placeholders not found in " + path)
    head, sep, rest = text.partition("\n\n")
    m = re.search(r"^Subject: .*\*\*\* SUBJECT HERE \*\*\*$", head, re.M)
    head = head[:m.start()] + fold_subject(m.group(0).replace("*** SUBJECT HERE ***", subject)).rstrip("\n") + head[m.end():]
    rest = rest.replace("*** BLURB HERE ***", body, 1)
    text = add_headers(head + sep + rest, all_to, all_cc)
    left = sorted(set(re.findall(r"@[A-Z_]+@", text)))
    if left:
        sys.exit(f"unfilled placeholders in the cover letter: {' '.join(left)}")
    open(path, "w").write(text)
    print(f"To: {len(all_to)}, Cc: {len(all_cc)} (cover letter)")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"results": results, "command": command, "changes": changes, "base": base, "fill": fill}[cmd](*args)
