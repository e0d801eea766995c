#!/bin/sh
# make check: every test, each counted as one case, ending in the line
# "N passed, N failed[, N skipped]".  Exits non-zero on any failure.
set -u
. "$(dirname "$0")/lib.sh"

res="$BUILD/check"
rm -rf "$res" "$BUILD/kunit/results.json" "$BUILD/checkpatch/results.txt" \
	"$BUILD/harness/results.txt" "$BUILD/vm-check/results.json" \
	"$BUILD/equiv/results.txt" "$BUILD/hang/results.txt"
mkdir -p "$res"
started=$(date +%s)

# step NAME COMMAND...: run one step, its output to $res/NAME.log.
step() {
	name=$1
	shift
	say "== $name: $* (log $res/$name.log)"
	t0=$(date +%s)
	{ "$@"; echo $? >"$res/$name.rc"; } 2>&1 | tee "$res/$name.log" |
		grep --line-buffered -E '^(twophase: |  (ok|FAILED|skipped|booted|boot|kvm) |\[..:..:..\] |.*: [0-9]+ passed)' >&2
	say "== $name: exit $(cat "$res/$name.rc") after $(( $(date +%s) - t0 ))s"
}

sh "$TOP/scripts/deps.sh" || exit 1
if [ ! -d "$KTREE/.git" ]; then
	step tree sh "$TOP/scripts/tree.sh"
else
	tag=$(base_tag)
	n=$(git -C "$KTREE" rev-list --count "$tag..HEAD")
	[ "$n" = "$(series_files | wc -l)" ] ||
		say "warning: build/linux has $n commits over $tag, patches/series lists $(series_files | wc -l); testing build/linux"
fi
step check-series sh "$TOP/scripts/check-series.sh"
step harness sh "$TOP/tests/harness.sh"
step checkpatch sh "$TOP/scripts/checkpatch.sh"
step kunit sh "$TOP/scripts/kunit.sh"
step vm make -C "$TOP" --no-print-directory vm-check
step hang sh "$TOP/tests/hang.sh"
step equiv make -C "$TOP" --no-print-directory equiv
python3 "$TOP/scripts/count.py" "$BUILD" "$(( $(date +%s) - started ))"
