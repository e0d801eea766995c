#!/bin/sh
# Apply patches/ to a fresh tree of the base, export it again and require
# the result to be byte for byte what patches/ holds.
set -eu
. "$(dirname "$0")/lib.sh"

[ -d "$KTREE/.git" ] || die "no kernel tree at $KTREE; run 'make tree' first"
tag=$(base_tag)
wt="$BUILD/check-series"
out="$BUILD/check-series.out"
git -C "$KTREE" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"
git -C "$KTREE" worktree prune
say "check-series: fresh tree of $tag in $wt"
git -C "$KTREE" worktree add -q --detach "$wt" "$tag"
apply_series "$wt" "$tag"
rm -rf "$out"
KTREE="$wt" sh "$TOP/scripts/export.sh" "$out"
if ! diff -ru --exclude=README* "$TOP/patches" "$out" >"$BUILD/check-series.diff"; then
	head -n 40 "$BUILD/check-series.diff" >&2
	die "check-series: patches/ is not reproduced by export (full diff: $BUILD/check-series.diff)"
fi
git -C "$KTREE" worktree remove --force "$wt"
say "check-series: $(grep -vc '^#' "$TOP/patches/series") patches apply and export byte for byte"
