#!/bin/sh
# make rebase: move build/linux's series onto the base that is installed
# now (Debian's linux-source-6.12, or LINUX_SRC=/path), then export, which
# writes patches/base, the cover letter's base-commit and the series
# header in one step.
#
# The new base is committed exactly as 'make tree' commits it, so a
# fresh tree on another machine gets the same base commit.  The commits
# are moved with git rebase (a three-way merge); on a conflict the rebase
# stops for you to resolve it: 'git rebase --continue' in build/linux,
# then 'make rebase' again.  The old base's tag is kept as
# refs/twophase-backup/<time>-<tag>.
set -eu
. "$(dirname "$0")/lib.sh"

[ -d "$KTREE/.git" ] || die "no kernel tree at $KTREE; run 'make tree' first"
old=$(base_tag)
[ -n "$old" ] || die "$KTREE has no v6.12* base tag"
gd=$(git -C "$KTREE" rev-parse --absolute-git-dir)
for f in rebase-merge rebase-apply MERGE_HEAD CHERRY_PICK_HEAD; do
	[ -e "$gd/$f" ] && die "$KTREE is in the middle of a rebase, am, merge or cherry-pick ($gd/$f); finish it ('git rebase --continue') or abort it, then run 'make rebase' again"
done
if [ -n "$(git -C "$KTREE" status --porcelain --untracked-files=no)" ]; then
	git -C "$KTREE" status --short --untracked-files=no | head -n 10 >&2
	die "$KTREE has uncommitted changes; commit or stash them, then run 'make rebase' again"
fi
[ "$(git -C "$KTREE" symbolic-ref -q --short HEAD || true)" = twophase ] ||
	die "$KTREE is not on branch twophase; check it out first"

# The version of the base on offer, without extracting it.
if [ -n "${LINUX_SRC:-}" ]; then
	ver=$(kversion "$LINUX_SRC")
	from="LINUX_SRC=$LINUX_SRC"
else
	apt_install linux-source-6.12
	pkg=$(dpkg-query -W -f='${Version}' linux-source-6.12)
	ver=${pkg%%-*}
	from="Debian linux-source-6.12 $pkg"
	case $ver in 6.12.[0-9]*) ;; *) die "linux-source-6.12 is version $pkg, not 6.12.N" ;; esac
fi
new="v$ver-debian"
stamp=$(date +%Y%m%d-%H%M%S)

if [ "$new" != "$old" ] && ! git -C "$KTREE" rev-parse -q --verify "refs/tags/$new" >/dev/null; then
	say "rebase: $old -> $new ($from)"
	# The files in a directory of their own, the objects straight into
	# build/linux: no second repository to pack and fetch from.
	nb="$BUILD/rebase-base"
	populate "$nb" "$gd"
	rm -rf "$nb"
elif [ "$new" = "$old" ]; then
	say "rebase: $KTREE is already on $new ($from); exporting"
fi

if ! git -C "$KTREE" merge-base --is-ancestor "$new" HEAD; then
	n=$(git -C "$KTREE" rev-list --count "$old..HEAD")
	say "rebase: moving $n commits from $old onto $new"
	if ! git -C "$KTREE" rebase -q --onto "$new" "$old" twophase >"$BUILD/rebase.log" 2>&1; then
		cat "$BUILD/rebase.log" >&2
		stopped=$(git -C "$KTREE" log -1 --format='%h %s' REBASE_HEAD 2>/dev/null || echo '?')
		die "rebase: '$stopped' does not apply cleanly to $new; resolve it in $KTREE, 'git rebase --continue', then 'make rebase' again (or 'git rebase --abort' to stay on $old)"
	fi
fi

# HEAD is on the new base: retire every other base tag.
for t in $(git -C "$KTREE" tag -l 'v6.12*'); do
	[ "$t" = "$new" ] && continue
	git -C "$KTREE" update-ref "refs/twophase-backup/$stamp-$t" "$t^{commit}"
	git -C "$KTREE" tag -d "$t" >/dev/null
	say "rebase: the old base $t is kept as refs/twophase-backup/$stamp-$t"
done
sh "$TOP/scripts/export.sh"
base_note "$new" || true
