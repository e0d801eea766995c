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
[ "$rc" = 0 ] || say "kunit: FAILED (exit $rc); log $out/kunit.log"
exit "$rc"
