# Shared helpers for the twophase harness scripts.  Source, do not run.
# shellcheck shell=sh

TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-$TOP/build}
KTREE=${KTREE:-$BUILD/linux}

# One ccache for every checkout: paths below $TOP are hashed relative to
# it, so a fresh clone in another folder (CI) hits what this one built.
CCACHE_BASEDIR=${CCACHE_BASEDIR:-$TOP}
export CCACHE_BASEDIR

say() { printf '%s\n' "twophase: $*" >&2; }
die() { printf '%s\n' "twophase: error: $*" >&2; exit 1; }

# need TOOL PACKAGE: fail with the package to install when TOOL is missing.
need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	die "'$1' is not installed; run 'make deps' or 'apt-get install $2'"
}

# apt_install PKG...: install Debian packages that are not installed yet.
apt_install() {
	missing=
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	[ "$(id -u)" = 0 ] || die "missing packages:$missing (install them as root: apt-get install$missing)"
	say "installing:$missing"
	if ! apt-get update -q >"$BUILD/apt.log" 2>&1; then
		tail -n 5 "$BUILD/apt.log" >&2
		die "apt-get update failed (no network to the Debian mirror?); log: $BUILD/apt.log"
	fi
	# shellcheck disable=SC2086
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >>"$BUILD/apt.log" 2>&1; then
		tail -n 5 "$BUILD/apt.log" >&2
		die "apt-get install$missing failed; log: $BUILD/apt.log"
	fi
}

TARBALL=/usr/src/linux-source-6.12.tar.xz

# kversion DIR: print 6.12.N for a 6.12 tree, fail otherwise.
kversion() {
	[ -f "$1/Makefile" ] || die "$1 is not a kernel tree (no Makefile)"
	_kv_v=$(sed -n 's/^VERSION = //p' "$1/Makefile")
	_kv_p=$(sed -n 's/^PATCHLEVEL = //p' "$1/Makefile")
	_kv_s=$(sed -n 's/^SUBLEVEL = //p' "$1/Makefile")
	[ "$_kv_v.$_kv_p" = 6.12 ] || die "$1 is Linux $_kv_v.$_kv_p.$_kv_s, not 6.12"
	echo "$_kv_v.$_kv_p.$_kv_s"
}

# populate DIR [GITDIR]: the base, from LINUX_SRC or Debian's tarball, in
# DIR, committed and tagged v6.12.N-debian: in a new git tree in DIR on
# branch base, or, with GITDIR, into that existing repository (tag only;
# DIR is then only the files, for the caller to remove).  The commit
# depends only on the files and their origin: the same base gives the
# same commit on every machine and either way.
populate() {
	tmp=$1
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
	if [ -n "${2:-}" ]; then
		GIT_DIR=$2 GIT_WORK_TREE=$tmp GIT_INDEX_FILE=$tmp.index
		export GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
		rm -f "$GIT_INDEX_FILE"
	else
		git init -q -b base .
		git config user.name "twophase developers"
		git config user.email "twophase@localhost"
		git config core.abbrev 12
	fi
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
	# A fixed identity and date make the base commit the same everywhere.
	_pp_commit=$(GIT_AUTHOR_NAME="twophase developers" GIT_AUTHOR_EMAIL="twophase@localhost" \
		GIT_COMMITTER_NAME="twophase developers" GIT_COMMITTER_EMAIL="twophase@localhost" \
		GIT_AUTHOR_DATE="2024-11-17 00:00:00 +0000" \
		GIT_COMMITTER_DATE="2024-11-17 00:00:00 +0000" \
		git commit-tree -m "Linux $ver" -m "Base for twophase: $origin." "$(git write-tree)")
	[ -n "${2:-}" ] || git update-ref refs/heads/base "$_pp_commit"
	git tag "v$ver-debian" "$_pp_commit"
	if [ -n "${2:-}" ]; then
		rm -f "$GIT_INDEX_FILE"
		unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
	fi
	cd "$TOP"
}

# The base tag of the kernel tree, e.g. v6.12.118-debian: the v6.12* tag
# that HEAD is built on (during and after 'make rebase' the tree can hold
# the old base's tag and the new one), else the newest.
base_tag() {
	git -C "$KTREE" describe --tags --abbrev=0 --match 'v6.12*' HEAD 2>/dev/null ||
		git -C "$KTREE" tag -l --sort=-v:refname 'v6.12*' | head -n 1
}

# recorded_base KEY: a field of patches/base, the base that patches/ was
# last exported on (make export writes it): version, base-commit, source.
recorded_base() {
	[ -f "$TOP/patches/base" ] || return 0
	sed -n "s/^$1: //p" "$TOP/patches/base"
}

# base_note TAG: say which base the tree has, and whether it is the one
# patches/ was exported on.  Returns 1 when the two differ.
base_note() {
	_bn_ver=${1#v}
	_bn_ver=${_bn_ver%-debian}
	_bn_commit=$(git -C "$KTREE" rev-parse "$1^{commit}")
	_bn_src=$(git -C "$KTREE" log -1 --format=%b "$1" | sed -n 's/^Base for twophase: //p')
	say "base: Linux $_bn_ver, $1 (${_bn_commit%"${_bn_commit#????????????}"}), from ${_bn_src:-an unknown source}"
	_bn_rver=$(recorded_base version)
	_bn_rcommit=$(recorded_base base-commit)
	if [ -z "$_bn_rcommit" ]; then
		say "note: patches/base records no base; 'make export' writes it"
		return 1
	elif [ "$_bn_rcommit" != "$_bn_commit" ]; then
		say "note: the base differs from the one patches/ was exported on:" \
			"Linux $_bn_rver (${_bn_rcommit%"${_bn_rcommit#????????????}"}) in patches/base;" \
			"'make rebase' records the new one"
		return 1
	fi
	say "base: the one patches/ was exported on (patches/base)"
}

# series_files: the patch files named by patches/series, in order.
series_files() {
	[ -f "$TOP/patches/series" ] || die "patches/series is missing"
	grep -vE '^[[:space:]]*(#|$)' "$TOP/patches/series" || true
}

# apply_patch TREE FILE TAG: git am FILE onto TREE, or stop naming it.
apply_patch() {
	if ! _ap_msg=$(git -C "$1" am -q --keep-cr "$2" 2>&1); then
		git -C "$1" am --abort >/dev/null 2>&1 || true
		printf '%s\n' "$_ap_msg" >&2
		die "patch $(basename "$2") does not apply to $3 (git's message is above)"
	fi
}

# apply_series TREE TAG: git am every patch of patches/series onto TREE.
# (Sourced into the callers' shells: its variables start with _as_.)
apply_series() {
	_as_list=$(series_files) || exit 1
	for _as_p in $_as_list; do
		_as_f="$TOP/patches/$_as_p"
		[ -f "$_as_f" ] || die "patches/series names $_as_p, which does not exist"
		apply_patch "$1" "$_as_f" "$2"
	done
}

# changed_lines TREE FROM FILE: of the "FILE:LINE:..." warnings on stdin,
# those in the lines that FROM..HEAD of TREE adds or changes in FILE, and
# any without a line number.  A warning elsewhere in the file was there
# before (stock pci-driver.c has sparse warnings, stock suspend.h a
# kernel-doc one): check-bisect and docs fail only on new ones.
changed_lines() {
	ranges=$(git -C "$1" diff -U0 "$2" HEAD -- "$3" |
		sed -n 's/^@@ -[0-9,]* +\([0-9]*\)\(,\([0-9]*\)\)\{0,1\} @@.*/\1 \3/p')
	awk -v r="$ranges" '
		BEGIN { n = split(r, a, /[ \n]/)
			for (i = 1; i < n; i += 2) { s[i] = a[i]; c[i] = (a[i+1] == "" ? 1 : a[i+1]) } }
		{ if (split($0, p, ":") < 3 || p[2] !~ /^[0-9]+$/) { print; next }
		  for (i in s) if (p[2] + 0 >= s[i] + 0 && p[2] + 0 < s[i] + c[i]) { print; next } }'
}
