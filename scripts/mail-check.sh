#!/usr/bin/env bash
# Checks of the mails `make mail` writes, as MMT-TEST lines (like
# host-tests.sh, read by results.py):
#
#   scripts/mail-check.sh DIR   check the mails in DIR (e.g. build/mail)
#   scripts/mail-check.sh       first make them (scripts/mail.sh, V=1 RFC=1
#                               unless set) into build/mail-check/mail
#
# - the files: a cover letter and N patches, numbered [... n/N] alike, the
#   cover letter filled in, every patch threaded to it, To:/Cc: on each,
#   linux-mm on each, no body line an mbox reader would split at;
# - every file passes build/linux's scripts/checkpatch.pl --strict, except
#   for CamelCase CHECKs on the kernel's own page-flag helpers
#   (__SetPageOffline() and the like are made by macros, so checkpatch
#   cannot see them defined), and for "Unknown commit id" WARNINGs (the
#   base tree is a Debian source tarball without upstream history, so
#   checkpatch cannot look a Fixes: id up; the id's form is still
#   checked): both are listed on the ok line;
# - the patches apply with git am to tag base of a fresh clone of
#   build/linux and give exactly the tree of the commit they were made
#   from (the cover letter's first line);
# - b4 reads them: `b4 am` on the files as one mbox, and on the mbox that
#   `git send-email` would send (captured by a stand-in for sendmail, no
#   network), each giving an mbox that git am turns into the same tree.
#
# Needs build/linux (read only), b4 and git send-email (Debian packages b4
# and git-email; their checks are skipped without them). Takes about a
# minute here (checkpatch most of it), 15 s more without DIR.
. "$(dirname "$0")/lib.sh"
set +e	# every check reports, none aborts the others

t() { if [ "$2" = 0 ]; then echo "MMT-TEST ok $1${4:+ # $4}"; else echo "MMT-TEST not ok $1 # $3"; fi; }
skip() { echo "MMT-TEST skip $1 # $2"; }

work=$BUILD/mail-check
mkdir -p "$work"
if [ $# -ge 1 ]; then
	dir=$(realpath "$1")
else
	dir=$work/mail
	# last run's mails must not be checked in place of mails not made
	rm -rf "$dir"
	V=${V:-1} RFC=${RFC:-1} MAIL_DIR=$dir "$TOP"/scripts/mail.sh > "$work/mail.log" 2>&1
	t mail.generate $? "scripts/mail.sh failed: $(grep -m1 '^error' "$work/mail.log")"
fi

shopt -s nullglob
files=("$dir"/*.patch)
covers=("$dir"/*-0000-cover-letter.patch)
patches=()
for f in "${files[@]}"; do case $f in *-0000-cover-letter.patch) ;; *) patches+=("$f") ;; esac; done
n=${#patches[@]}
if [ ${#covers[@]} != 1 ] || [ "$n" = 0 ]; then
	t mail.files 1 "no cover letter and patches in $dir: run make mail"
	exit 0
fi
cover=${covers[0]}

header() {	# header NAME FILE: the value of a header, unfolded
	python3 - "$1" "$2" <<'PY'
import sys, email
from email import policy
m = email.message_from_string(open(sys.argv[2]).read().partition("\n\n")[0] + "\n\n", policy=policy.compat32)
v = m.get(sys.argv[1])
print(" ".join(str(v).split()) if v is not None else "")
PY
}

# --- the files
subj=$(header Subject "$cover")
prefix=$(sed -n 's/^\[\(.*\) 0*0\/'"$n"'\].*/\1/p' <<<"$subj")
bad=""
i=0
for f in "${patches[@]}"; do
	i=$((i + 1))
	s=$(header Subject "$f")
	[[ $s == "[$prefix $(printf "%0${#n}d" $i)/$n] "* ]] || bad+=" $(basename "$f"): $s;"
done
[ -n "$prefix" ] && [ -z "$bad" ]
t mail.files $? "cover letter '$subj', patches not numbered 1..$n with [$prefix]:$bad" "[$prefix 0/$n] and $n patches"

left=$(grep -n -e '\*\*\* SUBJECT HERE \*\*\*' -e '\*\*\* BLURB HERE \*\*\*' -e '@[A-Z_][A-Z_]*@' "$cover" | head -3)
[ -z "$left" ]; t mail.cover-letter-filled $? "placeholders left: $left"

grep -q '^base-commit: [0-9a-f]\{40\}$' "$cover" &&
	[ "$(sed -n 's/^base-commit: //p' "$cover")" = "$(git -C "$TREE" rev-parse base 2>/dev/null)" ]
t mail.base-commit $? "the cover letter has no base-commit: line naming build/linux's tag base"

cid=$(header Message-Id "$cover")
bad=""
for f in "${patches[@]}"; do
	[ -n "$cid" ] && [ "$(header In-Reply-To "$f")" = "$cid" ] || bad+=" $(basename "$f")"
done
[ -z "$bad" ]; t mail.threaded $? "not In-Reply-To the cover letter ($cid):$bad"

bad=""
for f in "${files[@]}"; do
	to=$(header To "$f"); cc=$(header Cc "$f")
	[ -n "$to" ] && grep -q 'linux-mm@kvack.org' <<<"$to $cc" || bad+=" $(basename "$f")"
done
[ -z "$bad" ]; t mail.recipients $? "no To:, or linux-mm@kvack.org missing:$bad"

# A body line starting with "From " is where mbox readers (b4's python
# mailbox) split messages. Only each file's first line may be one.
bad=$(for f in "${files[@]}"; do tail -n +2 "$f" | grep -n '^From ' | sed "s|^|$(basename "$f"):|"; done | head -3)
[ -z "$bad" ]; t mail.mbox-safe $? "lines an mbox reader splits at: $bad"

# --- checkpatch --strict, from a directory of its own (its CamelCase cache)
mkdir -p "$work/checkpatch"
known_camel='^(__)?(Set|Clear|TestSet|TestClear)?Page[A-Z][A-Za-z]*$'
for f in "${files[@]}"; do
	name=mail.checkpatch.$(basename "$f" .patch | sed 's/^v[0-9]*-//; s/-.*//')
	[ "$f" = "$cover" ] && name=mail.checkpatch.cover-letter
	# /usr/bin first: checkpatch runs spdxcheck.py with python3, which needs
	# Debian's python3-ply, not another python3 on PATH
	out=$(cd "$work/checkpatch" && PATH=/usr/bin:$PATH perl "$TREE"/scripts/checkpatch.pl --strict --color=never "$f" 2>&1)
	total=$(grep -m1 '^total:' <<<"$out")
	if [ -z "$total" ]; then t "$name" 1 "checkpatch did not run: $(head -1 <<<"$out")"; continue; fi
	camel=$(sed -n 's/^CHECK: Avoid CamelCase: <\(.*\)>$/\1/p' <<<"$out" | sort -u)
	ids=$(sed -n "s/^WARNING: Unknown commit id '\([0-9a-f]*\)'.*/\1/p" <<<"$out" | sort -u)
	other=$(grep -E '^(ERROR|WARNING|CHECK):' <<<"$out" |
		grep -v -e '^CHECK: Avoid CamelCase: <' -e "^WARNING: Unknown commit id '[0-9a-f]*'")
	unknown=$(grep -Ev "$known_camel" <<<"$camel" | grep .)
	if [ -z "$other" ] && [ -z "$unknown" ]; then
		note="${camel:+known CamelCase CHECKs on page-flag helpers: $(paste -sd' ' - <<<"$camel")}"
		[ -n "$ids" ] && note="${note:+$note; }commit ids not in this tree's history (a tarball): $(paste -sd' ' - <<<"$ids")"
		t "$name" 0 "" "$note"
	else
		t "$name" 1 "$total: $(paste -sd' ' - <<<"$other" | cut -c1-200)${unknown:+ CamelCase: $(paste -sd' ' - <<<"$unknown")}"
	fi
done

# --- git am on a fresh clone at tag base (sparse: only the files the patches touch)
tip=$(head -1 "$cover" | awk '{ print $2 }')
want=$(git -C "$TREE" rev-parse -q --verify "$tip^{tree}" 2>/dev/null)
clone=$work/clone
rm -rf "$clone"
# shellcheck disable=SC2046 # one pattern per path (kernel paths have no spaces)
git clone -q --shared --no-checkout "$TREE" "$clone" &&
	git -C "$clone" sparse-checkout set --no-cone \
		$(sed -n 's|^diff --git a/\(.*\) b/.*|/\1|p' "${patches[@]}" | sort -u) &&
	git -C "$clone" checkout -q --detach base
t mail.clone $? "could not clone build/linux ($TREE) at tag base"

am() {	# am NAME MBOX...: git am at base, then compare the tree with the tip's
	local name=$1 log; shift
	git -C "$clone" am --abort >/dev/null 2>&1
	git -C "$clone" checkout -q -f --detach base
	log=$(git -C "$clone" -c user.name=mail-check -c user.email=mail-check@localhost am -q "$@" 2>&1)
	t "$name" $? "git am: $(head -3 <<<"$log" | tr '\n' ' ')" "$(git -C "$clone" rev-list --count base..HEAD) commits"
	if [ -n "$want" ]; then
		[ "$(git -C "$clone" rev-parse 'HEAD^{tree}')" = "$want" ]
		t "$name-same-tree" $? "the result is not the tree of $tip, which the mails were made from"
	else
		skip "$name-same-tree" "$tip, the commit the mails were made from, is not in build/linux"
	fi
}
am mail.git-am "${patches[@]}"

# --- b4
unfold() {	# the files as one mbox, headers unfolded as git send-email sends them
	local f
	for f in "$@"; do
		python3 - "$f" <<'PY'
import re, sys
head, sep, body = open(sys.argv[1]).read().partition("\n\n")
sys.stdout.write(re.sub(r"\n[ \t]+", " ", head) + sep + body.rstrip("\n") + "\n\n")
PY
	done
}
b4am() {	# b4am NAME MBOX: b4 am, then git am of what it wrote
	local name=$1 mbox=$2 out=$work/b4-$1 log mbx
	rm -rf "$out"; mkdir -p "$out"
	log=$(cd "$clone" && b4 --offline-mode -n am -m "$mbox" -o "$out" 2>&1)
	mbx=("$out"/*.mbx)
	[ ${#mbx[@]} = 1 ] && grep -q "^Total patches: $n$" <<<"$log"
	t "$name" $? "b4 am: $(grep -m1 -e Error -e 'Total patches' <<<"$log")" "Total patches: $n"
	[ ${#mbx[@]} = 1 ] && am "$name-git-am" "${mbx[0]}"
}
if ! command -v b4 >/dev/null; then
	skip mail.b4-am "b4 is not installed (apt-get install b4)"
else
	# b4 0.12 copies From:, Date: and Subject: into a strict email policy
	# that rejects folded header lines, which git format-patch writes for
	# long ones: give it the files as git send-email would send them.
	unfold "$cover" "${patches[@]}" > "$work/files.mbox"
	b4am mail.b4-am "$work/files.mbox"
	if [ -x "$(git --exec-path)/git-send-email" ]; then
		# What git send-email sends, captured by a sendmail stand-in.
		cat > "$work/sendmail" <<'EOF'
#!/bin/sh
{ echo "From mboxrd@z Thu Jan  1 00:00:00 1970"; sed 's/^\(>*From \)/>\1/'; echo; } >> "$MAIL_CHECK_MBOX"
EOF
		chmod +x "$work/sendmail"
		rm -f "$work/sent.mbox"
		MAIL_CHECK_MBOX=$work/sent.mbox git -C "$clone" send-email --smtp-server="$work/sendmail" \
			--confirm=never --quiet --from="mail-check <mail-check@localhost>" \
			"$cover" "${patches[@]}" > "$work/send-email.log" 2>&1
		t mail.send-email $? "git send-email (to a file): $(tail -1 "$work/send-email.log")" \
			"$(grep -c '^From mboxrd@z' "$work/sent.mbox" 2>/dev/null) messages"
		b4am mail.b4-am-sent "$work/sent.mbox"
	else
		skip mail.b4-am-sent "git send-email is not installed (apt-get install git-email)"
	fi
fi
rm -rf "$clone"
