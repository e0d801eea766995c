#!/bin/sh
# Bad input to the harness gets a clear error naming the problem, and a
# non-zero exit.  One result line per case in build/harness/results.txt.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
out="$BUILD/harness"
rm -rf "$out"
mkdir -p "$out"
res="$out/results.txt"
: >"$res"

# expect NAME TEXT COMMAND...: COMMAND must fail and print TEXT.
expect() {
	name=$1 text=$2
	shift 2
	if (cd "$out" && env "$@") >"$out/$name.log" 2>&1; then
		echo "fail $name (exit 0)" >>"$res"
	elif grep -q 'Traceback' "$out/$name.log"; then
		echo "fail $name (crashed)" >>"$res"
	elif grep -qF -- "$text" "$out/$name.log"; then
		echo "pass $name" >>"$res"
	else
		echo "fail $name (no '$text' in $out/$name.log)" >>"$res"
	fi
	sed -n "\$s/^/twophase: harness: /p" "$res" >&2
}

# A top directory of our own, so that the real patches/ and build/ are
# never touched.
fake="$out/top"
mkdir -p "$fake/patches" "$fake/build" "$out/linux-5.10"
printf 'VERSION = 5\nPATCHLEVEL = 10\nSUBLEVEL = 0\n' >"$out/linux-5.10/Makefile"

expect linux-src-missing "LINUX_SRC=/nonexistent does not exist" \
	TOP="$fake" BUILD="$fake/build" KTREE="$fake/build/linux" \
	LINUX_SRC=/nonexistent sh "$TOP/scripts/tree.sh"
expect linux-src-not-6.12 "is Linux 5.10.0, not 6.12" \
	TOP="$fake" BUILD="$fake/build" KTREE="$fake/build/linux" \
	LINUX_SRC="$out/linux-5.10" sh "$TOP/scripts/tree.sh"
expect vm-kernel-missing "does not exist" \
	python3 "$TOP/scripts/vm.py" --kernel /nonexistent/bzImage \
	--initrd /nonexistent/initrd --plan boot --out "$out/vm"
: >"$out/empty"
py=$(python3 -c 'import sys; print(sys.executable)')
expect qemu-missing "qemu-system-x86_64 is not installed" \
	PATH=/nonexistent "$py" "$TOP/scripts/vm.py" --kernel "$out/empty" \
	--initrd "$out/empty" --plan boot --out "$out/vm"
printf 'CONFIG_TWOPHASE_NO_SUCH_OPTION=y\n' >"$out/bad.config"
if [ -f "$BUILD/linux/Makefile" ]; then
	expect config-option-missing "CONFIG_TWOPHASE_NO_SUCH_OPTION=y: requested in" \
		VMOUT="$out/vm-badcfg" EXTRA_CONFIG="$out/bad.config" \
		sh "$TOP/scripts/build-vm.sh"
	rm -rf "$out/vm-badcfg"
fi
expect bench-unknown-shape "unknown shape 'bogus' in BENCH_SHAPES" \
	TOP="$fake" BUILD="$fake/build" BENCH_SHAPES="flat bogus" sh "$TOP/scripts/bench.sh"
expect bench-too-few-cycles "the medians need at least 5 cycles" \
	TOP="$fake" BUILD="$fake/build" BENCH_CYCLES=3 sh "$TOP/scripts/bench.sh"
expect bench-no-runs "missing" \
	python3 "$TOP/scripts/bench.py" "$out/no-bench" 10000 flat
mkdir -p "$out/no-usb-bench"
expect benchusb-no-runs "usb-stock/console.log: missing" \
	python3 "$TOP/scripts/benchusb.py" "$out/no-usb-bench"
expect bench-bad-hib "BENCH_HIB=2" \
	TOP="$fake" BUILD="$fake/build" BENCH_HIB=2 sh "$TOP/scripts/bench.sh"
expect timeline-no-log "does not exist" \
	python3 "$TOP/scripts/timeline.py" "$out/no-such-console.log" "$out"
printf 'boot\n@@TL s3 1.0 start garbage\n' >"$out/no-tl.log"
expect timeline-no-events "no @@TL callback events" \
	python3 "$TOP/scripts/timeline.py" "$out/no-tl.log" "$out"
# A good timeline: 2 devices (one with a driver name holding a space),
# 5 callbacks on either side of machine_suspend -> 5 bars.
cat >"$out/tl.log" <<'TLEOF'
@@TP BOOT 6.12.0 plan: timeline:s3
@@TL s3 10.000000 phase dpm_prepare[2] begin
@@TL s3 10.000100 start  platform, [suspend]
@@TL s3 10.000200 end  platform, err=0
@@TL s3 10.000300 start i8042 kbd 00:00, [suspend]
@@TL s3 10.000400 end i8042 kbd 00:00, err=0
@@TL s3 10.000500 phase dpm_prepare[2] end
@@TL s3 10.001000 start i8042 kbd 00:00, bus [suspend]
@@TL s3 10.003000 end i8042 kbd 00:00, err=-5
@@TL s3 10.004000 phase machine_suspend[3] begin
@@TL s3 10.005000 phase machine_suspend[3] end
@@TL s3 10.006000 start i8042 kbd 00:00, bus [resume]
@@TL s3 10.007000 end i8042 kbd 00:00, err=0
@@TL s3 10.008000 start  platform, [resume]
@@TL s3 10.009000 end  platform, err=0
TLEOF
if python3 "$TOP/scripts/timeline.py" "$out/tl.log" "$out" >"$out/timeline-good.log" 2>&1 &&
	grep -q '2 devices, 5 callbacks' "$out/timeline-good.log" &&
	[ "$(grep -c '\] at +' "$out/timeline-s3.svg")" = 5 ] &&
	grep -q 'error -5' "$out/timeline-s3.svg"; then
	echo "pass timeline-draws" >>"$res"
else
	echo "fail timeline-draws (see $out/timeline-good.log, $out/timeline-s3.svg)" >>"$res"
fi
sed -n "\$s/^/twophase: harness: /p" "$res" >&2
expect bench-too-few-boots "BENCH_BOOTS=2" \
	TOP="$fake" BUILD="$fake/build" BENCH_BOOTS=2 sh "$TOP/scripts/bench.sh"
# fake_bench DIR SUSPEND_MS RESUME_MS: a bench boot's console, 10 flat
# devices, 5 sync cycles without a delay; every phase takes 1 ms but
# suspend and resume, which take what is given.
fake_bench() {
	mkdir -p "$1"
	awk -v sus="$2" -v res="$3" 'BEGIN {
		print "test_pm_sleep_devices: 10 devices, shape flat, delay 0 us"
		n = split("prepare suspend suspend_late suspend_noirq resume_noirq resume_early resume complete", ph)
		for (c = 1; c <= 5; c++) {
			t = c * 100
			for (i = 1; i <= n; i++) {
				d = ph[i] == "suspend" ? sus : ph[i] == "resume" ? res : 1
				printf "@@BENCH sync 0 %d %.6f dpm_%s begin\n", c, t, ph[i]
				t += d / 1000
				printf "@@BENCH sync 0 %d %.6f dpm_%s end\n", c, t, ph[i]
			}
		}
		print "@@TP END bench:sync-0 ok"
	}' >"$1/console.log"
}
# Three boots per kernel: patched suspends in twice the time, every boot
# alike; its resume is 10 ms slower in the median, but stock's boots
# spread over 30 ms, which must be marked.
b=0
for r in 95 125 105; do
	b=$((b + 1))
	fake_bench "$out/bench3/flat-stock-$b" 10 $r
	fake_bench "$out/bench3/flat-patched-$b" 20 115
done
if python3 "$TOP/scripts/bench.py" "$out/bench3" 10 flat >"$out/bench-boots.log" 2>&1 &&
	grep -q '^| flat | sync | 0 | 3 x 5 |' "$out/bench-boots.log" &&
	grep -q '^| suspend | 10.0 | 20.0 | 2.00 | 0.0 | 0.0 |  |$' "$out/bench3/results.md" &&
	grep -q '^| resume | 105.0 | 115.0 | 1.10 | 30.0 | 0.0 | spread > difference |$' "$out/bench3/results.md"; then
	echo "pass bench-boots-medians-spread" >>"$res"
else
	echo "fail bench-boots-medians-spread (see $out/bench-boots.log, $out/bench3/results.md)" >>"$res"
fi
sed -n "\$s/^/twophase: harness: /p" "$res" >&2
rm -r "$out/bench3/flat-patched-3"
expect bench-two-boots "flat patched: 2 boots, fewer than 3" \
	python3 "$TOP/scripts/bench.py" "$out/bench3" 10 flat
expect matrix-bad-parts "MATRIX_PARTS=0 is not a positive number" \
	MATRIX_PARTS=0 sh "$TOP/scripts/matrix.sh" k i "$out/matrix" tcg
expect matrix-bad-kind "unknown kind 's4' in MATRIX_KINDS" \
	MATRIX_KINDS="s3 s4" sh "$TOP/scripts/matrix.sh" k i "$out/matrix" tcg
expect bisect-bad-from "BISECT_FROM=x is not a patch number" \
	TOP="$fake" BUILD="$fake/build" KTREE="$fake/build/linux" BISECT_FROM=x sh "$TOP/scripts/check-bisect.sh"
echo 0001-one.patch >"$fake/patches/series"
expect bisect-from-too-far "BISECT_FROM=5, but the series has 1 patches" \
	TOP="$fake" BUILD="$fake/build" KTREE="$fake/build/linux" BISECT_FROM=5 sh "$TOP/scripts/check-bisect.sh"
rm -f "$fake/patches/series"
expect unknown-make-target "No rule to make target" \
	make -C "$TOP" --no-print-directory no-such-target

# Series errors, against a clone of the real tree's base.
if [ -d "$BUILD/linux/.git" ]; then
	tag=$(git -C "$BUILD/linux" tag -l 'v6.12*' | head -n 1)
	git clone -q --shared --no-checkout "$BUILD/linux" "$fake/build/linux"
	# Sparse: these cases need only the files they touch (seconds, not a
	# minute of checkout).
	git -C "$fake/build/linux" sparse-checkout set --no-cone /Makefile /.gitattributes
	git -C "$fake/build/linux" checkout -q "$tag"
	git -C "$fake/build/linux" config user.name test
	git -C "$fake/build/linux" config user.email test@localhost

	echo 0001-missing.patch >"$fake/patches/series"
	expect series-names-missing-patch "names 0001-missing.patch, which does not exist" \
		TOP="$fake" BUILD="$fake/build" KTREE="$fake/build/linux" sh "$TOP/scripts/tree.sh"

	cat >"$fake/patches/0001-bad.patch" <<'EOF'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: test <test@localhost>
Date: Thu, 1 Jan 2026 00:00:00 +0000
Subject: [PATCH] test: a patch that does not apply

---
 Makefile | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/Makefile b/Makefile
--- a/Makefile
+++ b/Makefile
@@ -1,3 +1,3 @@
 # this context
-is not in
+the 6.12 Makefile
 at all
EOF
	echo 0001-bad.patch >"$fake/patches/series"
	expect series-patch-does-not-apply "patch 0001-bad.patch does not apply" \
		TOP="$fake" BUILD="$fake/build" KTREE="$fake/build/linux" sh "$TOP/scripts/tree.sh"
	expect dirty-tree-export "has uncommitted changes" \
		sh -c "echo x >>'$fake/build/linux/Makefile'; TOP='$fake' KTREE='$fake/build/linux' sh '$TOP/scripts/export.sh'"
	# On its own base, any byte that export does not write again fails,
	# naming the patch: here a diffstat edited by hand.
	he="$fake/handedit"
	mkdir -p "$he/build"
	cp -r "$TOP/patches" "$he/patches"
	ln -s "$TOP/scripts" "$he/scripts"
	first=$(grep -vE '^[[:space:]]*(#|$)' "$TOP/patches/series" | head -n 1)
	sed -i 's/^\( [0-9]* files\{0,1\} changed\)/\1 (edited)/' "$he/patches/$first"
	expect series-edited-patch-differs "differs: $first (an edit by hand?" \
		TOP="$he" BUILD="$he/build" KTREE="$fake/build/linux" sh "$TOP/scripts/check-series.sh"

	# The base moves (issue 17): check-series against fake newer bases,
	# each a commit on the real base in a clone of build/linux that sets
	# SUBLEVEL to 999 and is the clone's only v6.12* tag.
	bt="$fake/moved/linux"
	git clone -q --shared --no-checkout "$BUILD/linux" "$bt"
	git -C "$bt" config user.name test
	git -C "$bt" config user.email test@localhost
	realbase=$(git -C "$BUILD/linux" rev-parse "$tag^{commit}")
	# moved_base WHAT [FILE SED]: the fake base, with SED run on FILE too.
	moved_base() {
		what=$1
		git -C "$bt" tag -l 'v6.12*' | xargs -r git -C "$bt" tag -d >/dev/null
		idx="$fake/moved/index"
		rm -f "$idx"
		GIT_INDEX_FILE=$idx git -C "$bt" read-tree "$realbase"
		set -- Makefile 's/^SUBLEVEL = .*/SUBLEVEL = 999/' "${2:-}" "${3:-}"
		while [ -n "${1:-}" ]; do
			mode=$(git -C "$bt" ls-tree "$realbase" -- "$1" | cut -d' ' -f1)
			blob=$(git -C "$bt" cat-file blob "$realbase:$1" | sed "$2" | git -C "$bt" hash-object -w --stdin)
			GIT_INDEX_FILE=$idx git -C "$bt" update-index --cacheinfo "$mode,$blob,$1"
			shift 2
		done
		c=$(git -C "$bt" commit-tree -p "$realbase" -m "Linux 6.12.999" \
			-m "Base for twophase: a fake newer base ($what)." \
			"$(GIT_INDEX_FILE=$idx git -C "$bt" write-tree)")
		git -C "$bt" tag v6.12.999-debian "$c"
		git -C "$bt" update-ref --no-deref HEAD "$c"
	}
	moved="TOP=$TOP BUILD=$fake/moved/build KTREE=$bt sh $TOP/scripts/check-series.sh"
	moved_base "one unrelated commit"
	if env $moved >"$out/base-moved-passes.log" 2>&1 &&
		grep -q 'note: the base differs from the one patches/ was exported on' "$out/base-moved-passes.log" &&
		grep -q 'export the same but for the base' "$out/base-moved-passes.log"; then
		echo "pass base-moved-passes" >>"$res"
	else
		echo "fail base-moved-passes (see $out/base-moved-passes.log)" >>"$res"
	fi
	sed -n "\$s/^/twophase: harness: /p" "$res" >&2
	# The last patch that is the first to change (not add) a file, in a
	# hunk past its line 5: "PATCH FILE LINE".
	pick=$(cd "$TOP/patches" && awk '
		FNR == 1 { patch = FILENAME }
		/^diff --git a\// { file = substr($3, 3); hunk = 0; isnew = 0; next }
		/^new file mode/ { isnew = 1; next }
		/^@@ -[0-9]/ && !hunk { hunk = 1; split(substr($2, 2), a, ",")
			if (!isnew && !(file in seen) && a[1] > 5) pick = patch " " file " " a[1]
			seen[file] = 1 }
		END { print pick }' $(grep -vE '^[[:space:]]*(#|$)' series))
	set -- $pick
	if [ $# = 3 ]; then
		l=$3
		moved_base "$2 changed where $1 changes it" "$2" "$l,$((l + 2))s/\$/ twophase-moved/"
		expect base-moved-patch-does-not-apply "patch $1 does not apply to v6.12.999-debian" $moved
		moved_base "a line added at the top of $2, which $1 changes" "$2" "1a\\
twophase-moved"
		expect base-moved-offsets-change-export "differs: $1" $moved
	else
		echo "fail base-moved-patch-cases (no patch changes a file past its line 5: '$pick')" >>"$res"
	fi
else
	echo "fail series-errors (no build/linux to test against)" >>"$res"
fi
rm -rf "$fake"
[ -s "$res" ] || { echo "harness: no case ran" >&2; exit 1; }
! grep -q '^fail' "$res"
