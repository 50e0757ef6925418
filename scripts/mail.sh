#!/usr/bin/env bash
# make mail [V=n] [RFC=1]: the series as mails in build/mail/, ready for
# git send-email: git format-patch --cover-letter --thread -n -v V of
# base..HEAD of build/linux, subject prefix "PATCH" ("RFC PATCH" with RFC=1),
# --base (the base-commit: trailer) and --abbrev=12 (as make export).
#
# Refuses unless build/linux is exactly `series` (scripts/tree.sh --check:
# no unexported commits or edits, no patch changed since make tree).
#
# The cover letter is mail/cover-letter.in with its placeholders filled:
# the section of version V of mail/changes.md, a table of the newest run in
# docs/results/ (see below), the command of that
# run, HARNESS_URL, and the base: what Debian's linux-source package
# changed among the files the series changes (scripts/mail.py base).
#
# Recipients: scripts/get_maintainer.pl of build/linux (the MAINTAINERS of
# the series' HEAD, so its own entries count) run on each generated patch
# with --no-git --no-git-fallback: MAINTAINERS only, no git history, no
# network. Role "maintainer" -> To:, reviewers and lists -> Cc:. Each patch
# gets its own maintainers and reviewers, every mailing list of the series
# (so that each list's archive has the whole thread) and the addresses in
# mail/cc; the cover letter gets all of them.
#
# Optional: FROM="Name <addr>" (the From: of the mails, else git's
# user.name/user.email), HARNESS_URL=, MAIL_DIR= (default build/mail).
. "$(dirname "$0")/lib.sh"

V=${V:-1}
RFC=${RFC:-0}
OUT=${MAIL_DIR:-$BUILD/mail}
[[ $V =~ ^[1-9][0-9]*$ ]] || die "V=$V: the version must be a number, 1 or more"
[[ $RFC =~ ^[01]$ ]] || die "RFC=$RFC: use RFC=1 or nothing"
case $(realpath -m "$OUT") in
/ | "$TOP" | "$(realpath -m "$BUILD")") die "MAIL_DIR=$OUT: refusing to clean that directory" ;;
esac

"$TOP"/scripts/tree.sh --check || die "not writing mail: build/linux must be exactly the series"

base=$(git -C "$TREE" rev-parse base)
n=$(git -C "$TREE" rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "build/linux has no commits on top of base"

# Everything that can fail comes before build/mail is cleaned.
template=$TOP/mail/cover-letter.in
changes=$TOP/mail/changes.md
[ -f "$template" ] || die "no cover letter template $template"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$V" = 1 ]; then changes_title="Relation to earlier work"; else changes_title="Changes since v$((V - 1))"; fi
python3 "$TOP"/scripts/mail.py changes "$changes" "$V" > "$tmp/changes" ||
	die "mail/changes.md has no section '## v$V': write what changed in v$V there first"
# The newest run: by the date its name starts with; runs of the same date by
# when their results.json was committed (else its mtime), then by name.
results_dir=$(for d in "$TOP"/docs/results/[0-9]*-*/; do
		[ -f "$d/results.json" ] || continue
		t=$(git -C "$TOP" log -1 --format=%ct -- "$d/results.json" 2>/dev/null)
		printf '%s %s %s\n' "$(basename "$d" | grep -o '^[0-9-]*[0-9]')" "${t:-$(stat -c %Y "$d/results.json")}" "${d%/}"
	done | sort -k1,1 -k2,2n -k3 | tail -n 1 | cut -d' ' -f3-)
[ -n "$results_dir" ] || die "no docs/results/<date>-*/ run with a results.json to quote"
say "results from ${results_dir#"$TOP"/}"
python3 "$TOP"/scripts/mail.py results "$results_dir" "$TOP/docs/results/README.md" > "$tmp/results"
python3 "$TOP"/scripts/mail.py command "$results_dir" "$TOP/docs/results/README.md" > "$tmp/command"
deb=$SHARED/base/linux-source-7.2_${BASE_DEB_VERSION}_all.deb
python3 "$TOP"/scripts/mail.py base "$TREE" "$deb" "$BUILD/mail-base.json" > "$tmp/base"
if [ -n "${HARNESS_URL:-}" ]; then
	echo "$HARNESS_URL" > "$tmp/harness"
else
	echo "[the harness's public address: not published yet]" > "$tmp/harness"
	say "warning: HARNESS_URL is not set: the cover letter says the harness is not published yet"
fi

# The template: comments, subject, blank line, body; placeholders on lines
# of their own are replaced by the files above.
python3 - "$template" "$tmp" "$changes_title" <<'PY'
import sys
tpl, tmp, title = sys.argv[1:]
lines = open(tpl).read().split("\n")
while lines and lines[0].startswith("#"):
    lines.pop(0)
subject, body = lines[0].strip(), "\n".join(lines[1:]).strip("\n")
fill = {"@CHANGES_TITLE@": title + "\n" + "=" * len(title)}
for name in ("changes", "results", "base", "harness"):
    fill["@%s@" % name.upper()] = open(f"{tmp}/{name}").read().rstrip("\n")
fill["@RESULTS_COMMAND@"] = open(f"{tmp}/command").read().strip()
out = []
for l in body.split("\n"):
    key = l.strip()
    if key in fill:
        indent = l[: len(l) - len(l.lstrip())]
        out += [indent + x if x else x for x in fill[key].split("\n")]
    else:
        out.append(l)
open(f"{tmp}/subject", "w").write(subject + "\n")
open(f"{tmp}/body", "w").write("\n".join(out) + "\n")
PY

# The mails are made in $tmp/out and replace build/mail only when complete.
prefix=PATCH
[ "$RFC" = 1 ] && prefix="RFC PATCH"
git -C "$TREE" format-patch -q --cover-letter --thread -n -v "$V" --subject-prefix="$prefix" \
	--base="$base" --abbrev=12 ${FROM:+--from="$FROM"} -o "$tmp/out" base..HEAD

say "recipients: scripts/get_maintainer.pl --no-git --no-git-fallback on each patch"
mkdir -p "$tmp/rcpt"
for p in "$tmp"/out/*.patch; do
	case $p in *-0000-cover-letter.patch) continue ;; esac
	(cd "$TREE" && perl scripts/get_maintainer.pl --no-git --no-git-fallback "$p") \
		> "$tmp/rcpt/$(basename "$p").txt" || die "get_maintainer.pl failed on $(basename "$p")"
done
python3 "$TOP"/scripts/mail.py fill "$tmp/out" "$(cat "$tmp/subject")" "$tmp/body" "$tmp/rcpt" "$TOP/mail/cc" >&2 ||
	die "could not fill in the cover letter"
rm -rf "$OUT"
mkdir -p "$(dirname "$OUT")"
mv "$tmp/out" "$OUT"

say "wrote $(find "$OUT" -name '*.patch' | wc -l) mails to ${OUT#"$TOP"/}: $n patches + cover letter, [$prefix v$V]"
say "check them: scripts/mail-check.sh $OUT; send: git send-email $OUT/*.patch"
