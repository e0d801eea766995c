#!/bin/sh
# Build build/linux: the 6.12 base committed and tagged, then patches/series
# applied with git am.  LINUX_SRC=/path takes the base from an existing tree
# instead of Debian's linux-source-6.12 tarball.
#
# An existing build/linux is never thrown away: its work branch is kept as
# refs/twophase-backup/<time> before the series is applied again.
set -eu
. "$(dirname "$0")/lib.sh"

TARBALL=/usr/src/linux-source-6.12.tar.xz
mkdir -p "$BUILD"
need git git

# kversion DIR: print 6.12.N for a 6.12 tree, fail otherwise.
kversion() {
	[ -f "$1/Makefile" ] || die "$1 is not a kernel tree (no Makefile)"
	v=$(sed -n 's/^VERSION = //p' "$1/Makefile")
	p=$(sed -n 's/^PATCHLEVEL = //p' "$1/Makefile")
	s=$(sed -n 's/^SUBLEVEL = //p' "$1/Makefile")
	[ "$v.$p" = 6.12 ] || die "$1 is Linux $v.$p.$s, not 6.12"
	echo "$v.$p.$s"
}

populate() {
	tmp="$KTREE.new"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	if [ -n "${LINUX_SRC:-}" ]; then
		[ -d "$LINUX_SRC" ] || die "LINUX_SRC=$LINUX_SRC does not exist"
		kversion "$LINUX_SRC" >/dev/null
		need rsync rsync
		say "copying the base from $LINUX_SRC"
		rsync -a --exclude=.git "$LINUX_SRC/" "$tmp/"
		origin="tree at $LINUX_SRC"
	else
		if [ ! -f "$TARBALL" ]; then
			apt_install linux-source-6.12
			[ -f "$TARBALL" ] || die "linux-source-6.12 is installed but $TARBALL is missing"
		fi
		say "extracting $TARBALL (about a minute)"
		tar -xJf "$TARBALL" -C "$tmp" --strip-components=1 ||
			die "could not extract $TARBALL"
		origin="Debian linux-source-6.12 $(dpkg-query -W -f='${Version}' linux-source-6.12)"
	fi
	ver=$(kversion "$tmp")
	say "committing the $ver base ($origin)"
	cd "$tmp"
	git init -q -b base .
	git config user.name "twophase developers"
	git config user.email "twophase@localhost"
	git config core.abbrev 12
	# Debian's .gitignore ends by ignoring every top-level entry; drop
	# that block, or new files in the tree would be invisible to git.
	if grep -q '^# Debian packaging' .gitignore 2>/dev/null; then
		sed -i '/^# Debian packaging/,$d' .gitignore
		sed -i '$ {/^#$/d}' .gitignore
		origin="$origin, without its Debian .gitignore block"
	fi
	# -f: the tarball is the base as it is, including the files that the
	# kernel's own .gitignore would skip in an untracked tree.
	git add -A -f . >/dev/null
	[ "$(git ls-files | wc -l)" -gt 50000 ] || die "git add saw too few files in $tmp"
	# A fixed date makes the base commit the same on every machine.
	GIT_AUTHOR_DATE="2024-11-17 00:00:00 +0000" \
	GIT_COMMITTER_DATE="2024-11-17 00:00:00 +0000" \
		git commit -q -m "Linux $ver" -m "Base for twophase: $origin."
	git tag "v$ver-debian"
	cd "$TOP"
	mv "$tmp" "$KTREE"
}

if [ ! -d "$KTREE/.git" ]; then
	[ -e "$KTREE" ] && die "$KTREE exists but is not a git tree; move it away"
	populate
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
