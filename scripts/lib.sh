# Shared helpers for the twophase harness scripts.  Source, do not run.
# shellcheck shell=sh

TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-$TOP/build}
KTREE=${KTREE:-$BUILD/linux}

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

# The base tag of the kernel tree, e.g. v6.12.117-debian.
base_tag() {
	git -C "$KTREE" tag -l 'v6.12*' | head -n 1
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
