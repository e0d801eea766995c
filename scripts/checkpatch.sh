#!/bin/sh
# scripts/checkpatch.pl --strict on every patch of the series: no error,
# no warning, no check.  checkpatch's "does MAINTAINERS need updating?" is
# replaced by a real test: get_maintainer.pl must name a subsystem other than
# THE REST for every file a patch adds.  Writes one result per patch to
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
	# Debian's python3 first: checkpatch's SPDX check (scripts/spdxcheck.py)
	# needs python3-ply, which another python3 on PATH may lack.
	# The base is a tarball committed without history, so checkpatch cannot
	# look up the commit of a Fixes: tag (UNKNOWN_COMMIT_ID); its form is
	# still checked (GIT_COMMIT_ID).
	(cd "$KTREE" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict --no-color \
		--showfile --ignore FILE_PATH_CHANGES,UNKNOWN_COMMIT_ID "$TOP/patches/$p") >"$log" 2>&1 || true
	total=$(grep '^total:' "$log" || echo "total: checkpatch did not finish")
	# A check that crashed did not run: never count it as clean.
	if grep -q '^Traceback' "$log"; then
		total="total: a checkpatch helper crashed (see the log)"
	fi
	for f in $(sed -n 's/^ create mode [0-9]* //p' "$TOP/patches/$p"); do
		subsys=$(cd "$KTREE" && perl scripts/get_maintainer.pl --nogit \
			--nogit-fallback --subsystem --norolestats --nol --nor \
			-f "$f" 2>/dev/null | grep -v -e '@' -e '^THE REST$' || true)
		if [ -z "$subsys" ]; then
			echo "WARNING: $f: no MAINTAINERS entry covers it" >>"$log"
			total="total: a new file without a MAINTAINERS entry"
		fi
	done
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
