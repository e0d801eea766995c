#!/bin/sh
# Build build/linux: the 6.12 base committed and tagged, then patches/series
# applied with git am.  LINUX_SRC=/path takes the base from an existing tree
# instead of Debian's linux-source-6.12 tarball.
#
# An existing build/linux is never thrown away: its work branch is kept as
# refs/twophase-backup/<time> before the series is applied again.
set -eu
. "$(dirname "$0")/lib.sh"

mkdir -p "$BUILD"
need git git

if [ ! -d "$KTREE/.git" ]; then
	[ -e "$KTREE" ] && die "$KTREE exists but is not a git tree; move it away"
	populate "$KTREE.new"
	mv "$KTREE.new" "$KTREE"
elif [ -n "${LINUX_SRC:-}" ]; then
	die "LINUX_SRC is only used to create $KTREE, which exists; move it away to take the base from $LINUX_SRC"
fi

cd "$KTREE"
tag=$(base_tag)
[ -n "$tag" ] || die "$KTREE has no v6.12* base tag; move it away and run 'make tree' again"
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
	git status --short --untracked-files=no | head -n 10 >&2
	die "$KTREE has uncommitted changes; commit or stash them, then run 'make tree' again"
fi
gd=$(git rev-parse --git-dir)
for f in rebase-merge rebase-apply MERGE_HEAD CHERRY_PICK_HEAD; do
	[ -e "$gd/$f" ] && die "$KTREE is in the middle of a rebase, am, merge or cherry-pick ($gd/$f); finish or abort it first"
done
# Keep whatever the old tree had that the base does not: HEAD and the
# twophase branch, under refs/twophase-backup/.
base=$(git rev-parse "$tag^{commit}")
stamp=$(date +%Y%m%d-%H%M%S)
for r in HEAD refs/heads/twophase; do
	c=$(git rev-parse -q --verify "$r^{commit}" 2>/dev/null) || continue
	[ "$c" = "$base" ] && continue
	git for-each-ref --format='%(objectname)' refs/twophase-backup | grep -qx "$c" && continue
	git update-ref "refs/twophase-backup/$stamp-${r##*/}" "$c"
	say "kept the previous $r ($(git log -1 --format=%s "$c")) as refs/twophase-backup/$stamp-${r##*/}"
done
git checkout -q -B twophase "$tag"

apply_series "$KTREE" "$tag"
n=$(git rev-list --count "$tag..HEAD")
say "build/linux: $tag + $n patches, branch twophase"
base_note "$tag" || true
