#!/bin/sh
# make check-bisect: apply patches/series to a fresh tree of the base one
# patch at a time and, after each patch:
#  - build the VM kernel: configs/vm.config, configs/series.config and
#    configs/bisect.config (the KUnit tests and PM_TRACE, so that every file
#    the series touches is compiled), each option kept once the tree
#    defines it; a kept option that does not reach .config is an error;
#  - build the same kernel without system sleep (configs/nopm.config:
#    SUSPEND=n, HIBERNATION=n, so PM_SLEEP=n);
#  - compile every .c file the patch touches with W=1 and sparse (C=1), and
#    run scripts/kernel-doc -none on every .c and .h file it touches: a
#    warning in a line the patch adds or changes fails it (one elsewhere in
#    the file was there before);
#  - build the suspend selftest if the patch touches it (-Wall).
# Any warning or error fails the patch.  BISECT_FROM=N checks from patch N
# on (the earlier ones are applied, not checked).
set -eu
. "$(dirname "$0")/lib.sh"

from=${BISECT_FROM:-1}
case $from in '' | *[!0-9]* | 0*) die "BISECT_FROM=$from is not a patch number (1, 2, ...)" ;; esac
total=$(series_files | wc -l)
[ "$from" -le "$total" ] || die "BISECT_FROM=$from, but the series has $total patches"
[ -d "$KTREE/.git" ] || die "no kernel tree at $KTREE; run 'make tree' first"
need sparse sparse
tag=$(base_tag)
dir="$BUILD/bisect"
wt="$dir/linux"
mkdir -p "$dir"
log="$dir/check-bisect.log"
: >"$log"

git -C "$KTREE" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"
git -C "$KTREE" worktree prune
git -C "$KTREE" worktree add -q --detach "$wt" "$tag"

kmake() {
	out=$1
	shift
	make -C "$wt" O="$out" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" "$@"
}

# filter FRAGMENT: the lines of FRAGMENT whose option the tree defines.
filter() {
	awk 'NR == FNR { def[$1] = 1; next }
	     /^CONFIG_/ { o = $0; sub(/^CONFIG_/, "", o); sub(/=.*/, "", o); if (!(o in def)) next }
	     /^# CONFIG_.* is not set/ { o = $2; sub(/^CONFIG_/, "", o); if (!(o in def)) next }
	     { print }' "$dir/defined" "$1"
}

# check_patch N FILE: the checks after patch N; prints what failed.
check_patch() {
	# Configuration options the tree defines now.
	find "$wt" -name 'Kconfig*' -not -path '*/tools/*' -print0 | xargs -0 cat |
		sed -n 's/^[[:space:]]*\(menu\)\{0,1\}config[[:space:]]\{1,\}\([A-Za-z0-9_]*\).*/\2/p' |
		sort -u >"$dir/defined"
	filter "$TOP/configs/vm.config" >"$dir/vm.config"
	filter "$TOP/configs/series.config" >"$dir/series.config"
	filter "$TOP/configs/bisect.config" >"$dir/bisect.config"
	filter "$TOP/configs/nopm.config" >"$dir/nopm.config"

	if ! SRC="$wt" VMOUT="$dir/vm" VM_CONFIG="$dir/vm.config" \
		SERIES_CONFIG="$dir/series.config" EXTRA_CONFIG="$dir/bisect.config" \
		sh "$TOP/scripts/build-vm.sh" >>"$log"; then
		echo "the VM kernel does not build (log: $dir/vm/build.log)"
		return
	fi

	# PM_SLEEP=n: the same options, then nopm.config on top, without the
	# check that every option arrived (those that need PM_SLEEP cannot).
	nopm="$dir/nopm"
	mkdir -p "$nopm"
	kmake "$nopm" -s tinyconfig >/dev/null
	if ! "$wt/scripts/kconfig/merge_config.sh" -m -O "$nopm" "$nopm/.config" \
		"$dir/vm.config" "$dir/series.config" "$dir/bisect.config" "$dir/nopm.config" \
		>"$nopm/merge_config.log" 2>&1; then
		echo "merge_config.sh failed for PM_SLEEP=n (log: $nopm/merge_config.log)"
		return
	fi
	kmake "$nopm" -s olddefconfig >/dev/null
	if grep -q '^CONFIG_PM_SLEEP=y' "$nopm/.config"; then
		echo "the PM_SLEEP=n configuration still has CONFIG_PM_SLEEP=y"
		return
	fi
	say "  PM_SLEEP=n kernel in $nopm"
	if ! kmake "$nopm" -j"$(nproc)" bzImage >"$nopm/build.log" 2>&1; then
		grep -E 'error|Error' "$nopm/build.log" | head -n 5
		echo "the PM_SLEEP=n kernel does not build (log: $nopm/build.log)"
		return
	fi
	if grep -q 'warning:' "$nopm/build.log"; then
		grep 'warning:' "$nopm/build.log" | head -n 5
		echo "the PM_SLEEP=n kernel builds with warnings (log: $nopm/build.log)"
		return
	fi

	# W=1 and sparse on the .c files the patch touches, kernel-doc on the
	# .c and .h files.
	files=$(git -C "$wt" diff --name-only --diff-filter=AM HEAD~1 HEAD)
	for f in $files; do
		case $f in
		tools/*) continue ;;
		*.c) ;;
		*.h) ;;
		*) continue ;;
		esac
		kd=$("$wt/scripts/kernel-doc" -none "$wt/$f" 2>&1 | changed_lines "$wt" HEAD~1 "$f") || true
		[ -z "$kd" ] || { echo "$kd" | head -n 5; echo "kernel-doc warns on $f in the lines the patch changes"; }
		case $f in *.h) continue ;; esac
		o=${f%.c}.o
		if [ ! -f "$dir/vm/$o" ]; then
			echo "$f is not compiled in the VM configuration: W=1 and sparse cannot check it"
			continue
		fi
		rm -f "$dir/vm/$o"
		w=$(kmake "$dir/vm" -s W=1 C=1 "$o" 2>&1) || { echo "$w" | tail -n 5; echo "$f does not compile with W=1"; continue; }
		new=$(echo "$w" | grep 'warning:\|error:' | changed_lines "$wt" HEAD~1 "$f")
		if [ -n "$new" ]; then
			echo "$new" | head -n 5
			echo "$f is not W=1 and sparse clean in the lines the patch changes"
		fi
	done

	if echo "$files" | grep -q '^tools/testing/selftests/suspend/'; then
		st="$dir/selftests"
		mkdir -p "$st"
		if ! make -C "$wt/tools/testing/selftests" TARGETS=suspend O="$st" \
			>"$st/build.log" 2>&1; then
			tail -n 5 "$st/build.log"
			echo "the suspend selftest does not build (log: $st/build.log)"
		elif grep -q 'warning:' "$st/build.log"; then
			grep 'warning:' "$st/build.log" | head -n 5
			echo "the suspend selftest builds with warnings (log: $st/build.log)"
		fi
	fi
}

# A copy of the series, so that a make export meanwhile changes nothing.
rm -rf "$dir/patches"
mkdir -p "$dir/patches"
for p in $(series_files); do
	[ -f "$TOP/patches/$p" ] || die "patches/series names $p, which does not exist"
	cp "$TOP/patches/$p" "$dir/patches/"
done
start=$(date +%s)
n=0
bad=0
for p in $(series_files); do
	n=$((n + 1))
	apply_patch "$wt" "$dir/patches/$p" "$tag"
	[ $n -ge "$from" ] || continue
	t0=$(date +%s)
	say "check-bisect: [$n/$total] $p"
	# A command that fails outside the checks (set -e) aborts the patch's
	# checks, not the whole run.
	why=$(check_patch) || why="${why:+$why
}the checks stopped early (exit $?)"
	t=$(($(date +%s) - t0))
	if [ -z "$why" ]; then
		say "check-bisect: [$n/$total] ok in ${t}s"
		echo "ok $p ${t}s" >>"$log"
	else
		bad=$((bad + 1))
		printf '%s\n' "$why" | sed 's/^/    /' >&2
		say "check-bisect: [$n/$total] FAILED in ${t}s"
		printf 'FAIL %s %ss\n%s\n' "$p" "$t" "$why" >>"$log"
	fi
done
git -C "$KTREE" worktree remove --force "$wt"
checked=$((total - from + 1))
el=$(($(date +%s) - start))
say "check-bisect: $((checked - bad)) of $checked patches passed, $bad failed, in $((el / 60)) min $((el % 60)) s; log: $log"
[ $bad = 0 ]
