#!/bin/sh
# Build the test initramfs: Debian's static busybox, tests/init, the
# scenarios and the static selftest binaries in build/selftests/.
set -eu
. "$(dirname "$0")/lib.sh"

OUTF=${1:-$BUILD/initramfs.cpio.gz}
BB=/bin/busybox
[ -x $BB ] || apt_install busybox-static
file -L $BB 2>/dev/null | grep -q 'statically linked' || ldd $BB 2>&1 | grep -q 'not a dynamic' ||
	die "$BB is not static; apt-get install busybox-static"
need cpio cpio

st="$BUILD/initramfs"
rm -rf "$st"
mkdir -p "$st/bin" "$st/sbin" "$st/proc" "$st/sys" "$st/dev" "$st/tmp" "$st/tp/bin"
cp $BB "$st/bin/busybox"
ln -s busybox "$st/bin/sh"
cp "$TOP/tests/init" "$st/init"
cp "$TOP/tests/lib.sh" "$st/tp/lib.sh"
cp -r "$TOP/tests/scenarios" "$st/tp/scenarios"
for t in "$BUILD"/selftests/kselftest/suspend/*; do
	[ -f "$t" ] && [ -x "$t" ] && cp "$t" "$st/tp/bin/"
done
for c in "$TOP"/tests/net/*.c; do
	gcc -O2 -Wall -static -o "$st/tp/bin/$(basename "$c" .c)" "$c" ||
		die "cannot build $c"
done
chmod +x "$st/init"
(cd "$st" && find . | sort | cpio -o -H newc --quiet -R 0:0 | gzip -n -1) >"$OUTF"
say "initramfs: $OUTF ($(ls "$st/tp/bin" | tr '\n' ' '))"
