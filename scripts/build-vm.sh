#!/bin/sh
# Build the VM kernel from build/linux into $VMOUT (default build/vm):
# x86_64 tinyconfig + configs/vm.config ($VM_CONFIG) + configs/series.config
# (the series' own options; $SERIES_CONFIG, empty for stock) (+ $EXTRA_CONFIG
# fragments), with ccache.  A requested option that does not reach .config is an error.
set -eu
. "$(dirname "$0")/lib.sh"

OUT=${VMOUT:-$BUILD/vm}
SRC=${SRC:-$KTREE}
FRAGS="${VM_CONFIG:-$TOP/configs/vm.config} ${SERIES_CONFIG-$TOP/configs/series.config} ${EXTRA_CONFIG:-}"
JOBS=${JOBS:-$(nproc)}

[ -f "$SRC/Makefile" ] || die "no kernel tree at $SRC; run 'make tree' first"
need gcc gcc
need flex flex
need bison bison
need bc bc
need ccache ccache
[ -f /usr/include/libelf.h ] || die "libelf headers missing: apt-get install libelf-dev"
[ -f /usr/include/openssl/ssl.h ] || die "openssl headers missing: apt-get install libssl-dev"
mkdir -p "$OUT"

kmake() {
	make -s -C "$SRC" O="$OUT" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" "$@"
}

# Regenerate .config from scratch whenever the fragments or the tree's
# Kconfig files changed (their checksums, not their dates: a make in $OUT
# may rewrite .config at any time).
stamp="$OUT/.config.frags"
# shellcheck disable=SC2086
want="$FRAGS $(cat $FRAGS | cksum) $(find "$SRC" -name 'Kconfig*' -newer "$SRC/Makefile" 2>/dev/null | sort | xargs cat 2>/dev/null | cksum)"
if [ ! -f "$OUT/.config" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	say "configuring $OUT: tinyconfig + $(echo "$FRAGS" | sed "s|$TOP/||g")"
	kmake tinyconfig >/dev/null
	# shellcheck disable=SC2086
	"$SRC/scripts/kconfig/merge_config.sh" -m -O "$OUT" "$OUT/.config" $FRAGS \
		>"$OUT/merge_config.log" 2>&1 || {
		tail -n 20 "$OUT/merge_config.log" >&2
		die "merge_config.sh failed; log: $OUT/merge_config.log"
	}
	kmake olddefconfig
	echo "$want" >"$stamp"
fi

# Every requested option must be in the final .config as asked; a later
# fragment overrides an earlier one, as in merge_config.sh.
tab=$(printf '\t')
bad=0
# shellcheck disable=SC2086
awk '
	/^CONFIG_[A-Za-z0-9_]+=/ { o = $0; sub(/=.*/, "", o); req[o] = $0; src[o] = FILENAME; next }
	/^# CONFIG_[A-Za-z0-9_]+ is not set/ { req[$2] = $0; src[$2] = FILENAME }
	END { for (o in req) print src[o] "\t" req[o] }
' $FRAGS | {
	fail=0
	while IFS=$tab read -r f line; do
		case "$line" in
		"# "*)	opt=${line#\# }; opt=${opt%% *}
			if grep -q "^$opt=" "$OUT/.config"; then
				echo "  $opt: requested off in $f, but it is on"; fail=1
			fi ;;
		*)	if ! grep -qxF "$line" "$OUT/.config"; then
				opt=${line%%=*}
				got=$(grep -E "^($opt=|# $opt is not set)" "$OUT/.config" || echo "absent")
				echo "  $line: requested in $f, .config has: $got"; fail=1
			fi ;;
		esac
	done
	exit $fail
} >&2 || bad=1
[ "$bad" = 0 ] || { rm -f "$stamp"; die "requested options did not reach $OUT/.config (missing dependencies?)"; }

say "building $(kmake kernelrelease) in $OUT (cold: about 6 minutes; warm: seconds)"
start=$(date +%s)
make -C "$SRC" O="$OUT" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" \
	-j"$JOBS" bzImage >"$OUT/build.log" 2>&1 &
pid=$!
n=0
while kill -0 $pid 2>/dev/null; do
	sleep 1
	n=$((n + 1))
	[ $((n % 30)) = 0 ] &&
		say "  ... $(grep -c '^  CC ' "$OUT/build.log") files compiled, $(( $(date +%s) - start ))s"
done
if ! wait $pid; then
	grep -E 'error|Error' "$OUT/build.log" | head -n 20 >&2
	die "kernel build failed; log: $OUT/build.log"
fi
say "built $OUT/arch/x86/boot/bzImage in $(( $(date +%s) - start ))s"
