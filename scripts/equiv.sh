#!/bin/sh
# make equiv: boot stock 6.12 and the patched kernel on the same VM, both
# with the synthetic devices of CONFIG_TEST_PM_SLEEP_DEVICES beside the real
# ones, record the device PM callback sequence of S3 and of hibernation with
# pm_async=0 (the trace scenario), and check that the two are identical.
set -eu
. "$(dirname "$0")/lib.sh"

# The runs go beside the other runs in build/, where vm.py keeps its KVM
# probe result (build/accel), so that it is probed once, not per run.
out="$BUILD/equiv"
rm -rf "$out" "$BUILD/equiv-stock" "$BUILD/equiv-patched"
mkdir -p "$out"
plan=trace:s3,trace:hibernate
for k in stock patched; do
	if [ $k = stock ]; then
		kernel="$BUILD/vm-stock/arch/x86/boot/bzImage"
	else
		kernel="$BUILD/vm/arch/x86/boot/bzImage"
	fi
	[ -f "$kernel" ] || die "no $k kernel at $kernel; run 'make build stock' first"
	say "equiv: booting the $k kernel with plan $plan"
	python3 "$TOP/scripts/vm.py" --name "equiv-$k" --kernel "$kernel" \
		--initrd "$BUILD/initramfs.cpio.gz" --plan "$plan" \
		--out "$BUILD/equiv-$k" --accel "${ACCEL:-auto}" || true
done
python3 "$TOP/scripts/equiv.py" "$BUILD/equiv-stock" "$BUILD/equiv-patched" "$out" \
	s3 hibernate
