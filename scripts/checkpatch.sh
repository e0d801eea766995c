#!/bin/sh
# scripts/checkpatch.pl --strict on every patch of the series: no error,
# no warning, no check.  Writes one result per patch to
# build/checkpatch/results.txt ("pass NAME" / "fail NAME").
set -eu
. "$(dirname "$0")/lib.sh"

[ -x "$KTREE/scripts/checkpatch.pl" ] || die "no kernel tree at $KTREE; run 'make tree' first"
out="$BUILD/checkpatch"
rm -rf "$out"
mkdir -p "$out"
: >"$out/results.txt"
bad=0
list=$(series_files) || exit 1
for p in $list; do
	log="$out/$p.log"
	(cd "$KTREE" && perl scripts/checkpatch.pl --strict --no-color --showfile \
		"$TOP/patches/$p") >"$log" 2>&1 || true
	total=$(grep '^total:' "$log" || echo "total: checkpatch did not finish")
	case "$total" in
	"total: 0 errors, 0 warnings, 0 checks,"*)
		echo "pass $p" >>"$out/results.txt"
		say "checkpatch: ok     $p" ;;
	*)
		echo "fail $p" >>"$out/results.txt"
		say "checkpatch: FAILED $p: ${total#total: } (log $log)"
		grep -E '^(ERROR|WARNING|CHECK):' "$log" | head -n 5 >&2 || true
		bad=1 ;;
	esac
done
exit $bad
