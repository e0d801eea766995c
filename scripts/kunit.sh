#!/bin/sh
# Run KUnit under UML with configs/kunit/.kunitconfig; the per-case results
# go to build/kunit/results.json for scripts/check.sh.
set -eu
. "$(dirname "$0")/lib.sh"

[ -d "$KTREE" ] || die "no kernel tree at $KTREE; run 'make tree' first"
out="$BUILD/kunit"
mkdir -p "$out"
say "kunit: building UML and running the suites (cold: about 2 minutes); log $out/kunit.log"
(cd "$KTREE" && python3 tools/testing/kunit/kunit.py run \
	--kunitconfig="$TOP/configs/kunit/.kunitconfig" --build_dir="$out" \
	--arch=um --jobs="$(nproc)" --make_options CC="ccache gcc" \
	--timeout=300 --json="$out/results.json"; echo $? >"$out/rc") 2>&1 |
	tee "$out/kunit.log" |
	grep --line-buffered -E '^\[..:..:..\] (Configuring|Building|Starting|Testing complete|=+ .* =+$|.*\[(PASSED|FAILED|SKIPPED|CRASHED)\])' >&2 || true
rc=$(cat "$out/rc")
# kunit.py exits 0 when the UML kernel hangs and its --timeout ends the run
# ("Ran 1 tests: passed: 1, errors: 2"): the cases after the hung one are
# then missing, not failed.  A run counts only if it ended cleanly.
done=$(grep -E '^\[..:..:..\] Testing complete\.' "$out/kunit.log" | tail -n 1 || true)
if [ "$rc" = 0 ] && ! echo "$done" |
	grep -qE 'Testing complete\. Ran [0-9]+ tests: passed: [0-9]+(, skipped: [0-9]+)?$'; then
	say "kunit: FAILED: the run did not end cleanly (${done:-no 'Testing complete' line}): a test hung, crashed or is missing; log $out/kunit.log"
	rc=1
fi
[ "$rc" = 0 ] || say "kunit: FAILED (exit $rc); log $out/kunit.log"
exit "$rc"
