#!/bin/sh
# Write base..HEAD of build/linux back to patches/ (or $1) as numbered
# git format-patch files plus patches/series.  The output depends only on
# the commits: no git version, no commit ids, no message ids.
# patches/0000-cover-letter.patch keeps its subject and body; its header,
# shortlog and diffstat are written again from the commits.  patches/base
# records the base (version, base-commit, source).
set -eu
. "$(dirname "$0")/lib.sh"

DEST=${1:-$TOP/patches}
[ -e "$KTREE/.git" ] || die "no kernel tree at $KTREE; run 'make tree' first"
tag=$(base_tag)
[ -n "$tag" ] || die "$KTREE has no v6.12* base tag"
if [ -n "$(git -C "$KTREE" status --porcelain --untracked-files=no)" ]; then
	git -C "$KTREE" status --short --untracked-files=no | head -n 10 >&2
	die "$KTREE has uncommitted changes; commit them (or stash) before exporting"
fi

if [ "$(git -C "$KTREE" rev-list --count "$tag..HEAD")" = 0 ] && [ -n "$(series_files)" ]; then
	die "$KTREE has no commits over $tag; refusing to empty patches/ (run 'make tree' to apply the series)"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$KTREE" -c core.abbrev=12 -c diff.algorithm=myers -c diff.noprefix=false \
	format-patch -q -o "$tmp" --zero-commit --no-signature --no-thread \
	--abbrev=12 -M --stat=80 --no-numbered --subject-prefix=PATCH "$tag..HEAD"

mkdir -p "$DEST"
cover=$TOP/patches/0000-cover-letter.patch
if [ -f "$cover" ]; then
	n=$(git -C "$KTREE" rev-list --count "$tag..HEAD")
	title=$(sed -n 's/^Subject: \[PATCH [0-9]*\/[0-9]*\] //p' "$cover")
	[ -n "$title" ] || die "$cover has no 'Subject: [PATCH 00/NN] TITLE' line"
	grep -q '^twophase developers ([0-9]*):$' "$cover" ||
		die "$cover has no shortlog line 'twophase developers (N):' after its body"
	{
		echo "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001"
		echo "From: twophase developers <twophase@localhost>"
		git -C "$KTREE" log -1 --format='Date: %aD' HEAD
		printf 'Subject: [PATCH %02d/%02d] %s\n' 0 "$n" "$title"
		# The body: from the blank line after the headers to the shortlog.
		awk '/^$/ && !body { body = 1 } body && /^twophase developers \([0-9]+\):$/ { exit } body' "$cover"
		git -C "$KTREE" shortlog --no-merges -w72,2,4 "$tag..HEAD" | sed '$d'
		echo
		git -C "$KTREE" -c diff.algorithm=myers diff --stat=72 --summary -M "$tag..HEAD"
		echo
		echo "base-commit: $(git -C "$KTREE" rev-parse "$tag^{commit}")"
	} >"$tmp/cover"
	mv "$tmp/cover" "$DEST/0000-cover-letter.patch"
fi
find "$DEST" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
	! -name 0000-cover-letter.patch -delete
{
	echo "# twophase: apply with git am onto $tag (make tree does)."
	for f in "$tmp"/*.patch; do
		[ -e "$f" ] || continue
		cp "$f" "$DEST/"
		basename "$f"
	done
} >"$DEST/series"
# The base, recorded in one place: check-series and make tree compare the
# tree's base with it.
ver=${tag#v}
{
	echo "# The base that patches/ was last exported on (make export and make rebase write it)."
	echo "version: ${ver%-debian}"
	echo "base-commit: $(git -C "$KTREE" rev-parse "$tag^{commit}")"
	git -C "$KTREE" log -1 --format=%b "$tag" | sed -n 's/^Base for twophase: \(.*\)\.$/source: \1/p'
} >"$DEST/base"
say "exported $(grep -vc '^#' "$DEST/series") patches over $tag to $DEST"
