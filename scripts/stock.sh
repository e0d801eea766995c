#!/bin/sh
# Stock 6.12: a worktree of the base tag in build/stock, built like the VM
# kernel into build/vm-stock, for side-by-side comparisons.
set -eu
. "$(dirname "$0")/lib.sh"

[ -d "$KTREE/.git" ] || die "no kernel tree at $KTREE; run 'make tree' first"
tag=$(base_tag)
wt="$BUILD/stock"
if [ "$(git -C "$wt" rev-parse HEAD 2>/dev/null)" != "$(git -C "$KTREE" rev-parse "$tag^{commit}")" ]; then
	git -C "$KTREE" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"
	git -C "$KTREE" worktree prune
	say "stock: worktree of $tag in $wt"
	git -C "$KTREE" worktree add -q --detach "$wt" "$tag"
fi
SRC="$wt" VMOUT="$BUILD/vm-stock" sh "$TOP/scripts/build-vm.sh"
