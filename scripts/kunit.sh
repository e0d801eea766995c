#!/bin/sh
# Run KUnit under UML with configs/kunit/.kunitconfig; the per-case results
# go to build/kunit/results.json for scripts/check.sh.
set -eu
. "$(dirname "$0")/lib.sh"

[ -d "$KTREE" ] || die "no kernel tree at $KTREE; run 'make tree' first"
out="$BUILD/kunit"
mkdir -p "$out"
say "kunit: building UML and running the suites (cold: about 2 minutes); log $out/kunit.log"
set +e
(cd "$KTREE" && CC="ccache gcc" python3 tools/testing/kunit/kunit.py run \
	--kunitconfig="$TOP/configs/kunit/.kunitconfig" --build_dir="$out" \
	--arch=um --jobs="$(nproc)" --make_options CC="ccache gcc" \
	--timeout=300 --json="$out/results.json") >"$out/kunit.log" 2>&1
rc=$?
set -e
grep -E '^\[..:..:..\] (Testing complete|=+ (PASSED|FAILED|SKIPPED)|.*(PASSED|FAILED|SKIPPED) [a-z])' \
	"$out/kunit.log" | tail -n 40 >&2 || true
[ $rc = 0 ] || say "kunit: FAILED (exit $rc); log $out/kunit.log"
exit $rc
