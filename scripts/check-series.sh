#!/bin/sh
# Apply patches/ to a fresh tree of the base, export it again and require
# the result to be what patches/ holds.
#
# On the base patches/base records, that is byte for byte.  On another
# base (Debian's 6.12.y moved on), only what depends on the base may
# differ: the cover letter's base-commit: line, the header of
# patches/series and patches/base itself; the drift is reported as a
# note.  A patch that does not apply, or applies with offsets that change
# its export, fails, and so does any other byte of difference.
set -eu
. "$(dirname "$0")/lib.sh"

[ -d "$KTREE/.git" ] || die "no kernel tree at $KTREE; run 'make tree' first"
tag=$(base_tag)
[ -n "$tag" ] || die "$KTREE has no v6.12* base tag"
wt="$BUILD/check-series"
out="$BUILD/check-series.out"
cmp="$BUILD/check-series.cmp"
p="$TOP/patches"

# patches/ must agree with itself on the base it records.
[ -f "$p/base" ] || die "check-series: patches/base is missing; run 'make export'"
rver=$(recorded_base version)
rcommit=$(recorded_base base-commit)
[ -n "$rver" ] && [ -n "$rcommit" ] ||
	die "check-series: patches/base has no 'version:' or 'base-commit:' line"
if [ -f "$p/0000-cover-letter.patch" ]; then
	c=$(sed -n 's/^base-commit: //p' "$p/0000-cover-letter.patch")
	[ "$c" = "$rcommit" ] ||
		die "check-series: the cover letter's base-commit ($c) is not patches/base's ($rcommit); run 'make export'"
fi
head -n 1 "$p/series" | grep -qF "onto v$rver-debian " ||
	die "check-series: the header of patches/series does not name v$rver-debian, the base in patches/base; run 'make export'"

git -C "$KTREE" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"
git -C "$KTREE" worktree prune
drift=0
base_note "$tag" || drift=1
say "check-series: fresh tree of $tag in $wt"
# Only the files the series touches, and the .gitattributes that give the
# hunk headers their function names, are checked out (seconds, not a
# minute): git am and format-patch need no more.
git -C "$KTREE" worktree add -q --detach --no-checkout "$wt" "$tag"
{
	git -C "$KTREE" ls-tree -r --name-only "$tag" | sed -n 's|^\(.*/\)\{0,1\}\.gitattributes$|/&|p'
	for f in $(series_files); do
		[ -f "$p/$f" ] && sed -n 's|^diff --git a/\([^ ]*\) b/\([^ ]*\)$|/\1\n/\2|p' "$p/$f"
	done
} | sort -u | git -C "$wt" sparse-checkout set --no-cone --stdin
git -C "$wt" checkout -q
apply_series "$wt" "$tag"
rm -rf "$out"
KTREE="$wt" sh "$TOP/scripts/export.sh" "$out"

# normalise SRC DEST: a copy of SRC without what depends on the base.
normalise() {
	rm -rf "$2"
	mkdir -p "$2"
	for f in "$1"/*; do
		case ${f##*/} in
		README*|base) ;;
		series) sed '1s/^# twophase: apply with git am onto .* (make tree does)\.$/# (base)/' "$f" >"$2/series" ;;
		0000-cover-letter.patch) sed 's/^base-commit: [0-9a-f]*$/base-commit: (base)/' "$f" >"$2/${f##*/}" ;;
		*) cp "$f" "$2/" ;;
		esac
	done
}

if diff -ru --exclude=README* "$p" "$out" >"$BUILD/check-series.diff"; then
	git -C "$KTREE" worktree remove --force "$wt"
	say "check-series: $(series_files | wc -l) patches apply to $tag and export byte for byte"
	exit 0
fi
normalise "$p" "$cmp/patches"
normalise "$out" "$cmp/export"
if [ "$drift" = 1 ] && diff -ru "$cmp/patches" "$cmp/export" >/dev/null; then
	git -C "$KTREE" worktree remove --force "$wt"
	say "check-series: $(series_files | wc -l) patches apply to $tag and export the same but for the base (note above)"
	exit 0
fi
# What differs beyond the base: the diff shown and kept, and the patches named.
diff -ru "$cmp/patches" "$cmp/export" >"$BUILD/check-series.diff" || true
head -n 40 "$BUILD/check-series.diff" >&2
bad=$(diff -rq "$cmp/patches" "$cmp/export" 2>&1 | sed -n \
	-e 's|^Files .*/patches/\([^ ]*\) and .* differ$|\1|p' \
	-e 's|^Only in [^:]*: \(.*\)$|\1|p' | sort -u | tr '\n' ' ')
if [ -z "$bad" ]; then
	diff -ru "$p" "$out" >"$BUILD/check-series.diff" || true
	head -n 20 "$BUILD/check-series.diff" >&2
	die "check-series: patches/base, the series header or the cover letter's base-commit is not what export writes on $tag, the base patches/base records; run 'make export' (diff: $BUILD/check-series.diff)"
fi
hint="an edit by hand?"
[ "$drift" = 1 ] && hint="offsets or changed lines of this base; if the series is right on it, 'make rebase' records it"
die "check-series: patches/ is not reproduced by export on $tag; differs: ${bad}($hint; diff: $BUILD/check-series.diff)"
