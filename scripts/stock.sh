#!/bin/sh
# Stock 6.12: a worktree of the base tag in build/stock, built like the VM
# kernel into build/vm-stock (or $STOCK_VMOUT, with $EXTRA_CONFIG), for
# side-by-side comparisons.  The only patch
# applied is the series' test driver (CONFIG_TEST_PM_SLEEP_DEVICES), which
# adds synthetic devices and changes nothing else, so that both kernels see
# the same device set (make equiv).
set -eu
. "$(dirname "$0")/lib.sh"

[ -d "$KTREE/.git" ] || die "no kernel tree at $KTREE; run 'make tree' first"
tag=$(base_tag)
wt="$BUILD/stock"
extra=$(series_files | grep -e '-add-synthetic-devices-' || true)
[ -n "$extra" ] || die "patches/series has no '*-add-synthetic-devices-*' patch for the stock kernel"
want="$(git -C "$KTREE" rev-parse "$tag^{commit}") $(cat "$TOP/patches/$extra" | cksum)"
if [ "$(cat "$BUILD/stock.stamp" 2>/dev/null)" != "$want" ] || [ ! -d "$wt" ]; then
	# Reuse the worktree: a reset rewrites only the files the patch
	# touched, so the builds stay incremental.
	if [ -f "$wt/.git" ] && git -C "$wt" rev-parse -q --verify HEAD >/dev/null; then
		say "stock: $wt back to $tag, plus $extra"
		git -C "$wt" am --abort >/dev/null 2>&1 || true
		git -C "$wt" reset -q --hard "$tag"
	else
		rm -rf "$wt"
		git -C "$KTREE" worktree prune
		say "stock: worktree of $tag in $wt, plus $extra"
		git -C "$KTREE" worktree add -q --detach "$wt" "$tag"
	fi
	git -C "$wt" am -q "$TOP/patches/$extra" ||
		{ git -C "$wt" am --abort; die "stock: $extra does not apply to $tag"; }
	echo "$want" >"$BUILD/stock.stamp"
fi
SRC="$wt" SERIES_CONFIG= VMOUT="${STOCK_VMOUT:-$BUILD/vm-stock}" sh "$TOP/scripts/build-vm.sh"
