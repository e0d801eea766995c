#!/bin/sh
# make docs: scripts/kernel-doc -none on every .c and .h file the series
# touches (a warning in a line the series adds or changes fails), then the HTML of Documentation/power/ with
# Debian's Sphinx (make SPHINXDIRS=power htmldocs) into build/docs; a
# Sphinx warning fails too.
set -eu
. "$(dirname "$0")/lib.sh"

[ -d "$KTREE/.git" ] || die "no kernel tree at $KTREE; run 'make tree' first"
tag=$(base_tag)
files=$(git -C "$KTREE" diff --name-only --diff-filter=AM "$tag" HEAD -- '*.c' '*.h' | grep -v '^tools/' || true)
[ -n "$files" ] || die "the series touches no .c or .h file"
say "docs: kernel-doc -none on $(echo "$files" | wc -l) files the series touches"
kd=
for f in $files; do
	kd="$kd$(cd "$KTREE" && scripts/kernel-doc -none "$f" 2>&1 | changed_lines "$KTREE" "$tag" "$f")"
done
[ -z "$kd" ] || { printf '%s\n' "$kd" >&2; die "kernel-doc warns in lines the series changes (above)"; }

apt_install python3-sphinx python3-sphinx-rtd-theme python3-yaml
out="$BUILD/docs"
mkdir -p "$out"
say "docs: make SPHINXDIRS=power htmldocs (about a minute)"
# -E: read every document again, so that a warning of an unchanged one is
# not hidden by Sphinx's saved environment on a second run (-q: the
# summary lines only; warnings still print).
if ! make -C "$KTREE" O="$out" SPHINXDIRS=power SPHINXOPTS="-E -q" htmldocs >"$out/htmldocs.log" 2>&1; then
	tail -n 20 "$out/htmldocs.log" >&2
	die "htmldocs failed; log: $out/htmldocs.log"
fi
# dot(1) is optional (graphviz); every other warning is the documents'.
if grep -i 'warning\|error' "$out/htmldocs.log" | grep -v 'dot(1) not found' >"$out/warnings"; then
	cat "$out/warnings" >&2
	die "htmldocs warns (above); log: $out/htmldocs.log"
fi
say "docs: kernel-doc clean; HTML in $out/Documentation/output/power/ (sleep-model.html)"
