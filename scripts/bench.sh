#!/bin/sh
# make bench: time the device phases of the PM core on stock 6.12 and on
# the patched kernel, side by side in one run, with BENCH_COUNT synthetic
# devices (CONFIG_TEST_PM_SLEEP_DEVICES) in each of BENCH_SHAPES.  For each
# shape, each kernel boots BENCH_BOOTS times (at least 3), the two kernels
# alternating (stock first in odd rounds, patched first in even ones, so
# that a drift of the host favours neither), and each boot runs
# suspend-to-RAM cycles cut short at pm_test=core
# (tests/scenarios/bench.sh): sync and async, without and with a
# BENCH_DELAY us delay in every callback, BENCH_CYCLES cycles each.
# scripts/bench.py takes the medians over the boots and their spread and
# writes build/bench/results.md
# (BENCH_SHAPES= empty skips this part).  Then BENCH_HIB hibernations of
# the VM's USB devices on each kernel (below); scripts/benchusb.py writes
# build/bench/usb.md.
# The kernels are build/vm-bench and build/vm-bench-stock: the VM config
# without lock debugging (configs/bench.config); BENCH_KERNEL and
# BENCH_STOCK_KERNEL name others.
# A benchmark, not a test: it is not part of make check.
set -eu
. "$(dirname "$0")/lib.sh"

shapes=${BENCH_SHAPES-flat tree links}
count=${BENCH_COUNT:-10000}
cycles=${BENCH_CYCLES:-5}
delay=${BENCH_DELAY:-100}
hib=${BENCH_HIB:-5}
nboots=${BENCH_BOOTS:-3}
case "$count$cycles$delay$hib$nboots" in
*[!0-9]*) die "BENCH_COUNT, BENCH_CYCLES, BENCH_DELAY, BENCH_HIB and BENCH_BOOTS must be numbers" ;;
esac
[ "$nboots" -ge 3 ] || die "BENCH_BOOTS=$nboots: the medians and spreads need at least 3 boots of each kernel"
[ "$hib" -ge 3 ] || die "BENCH_HIB=$hib: the medians need at least 3 hibernations"
[ "$cycles" -ge 5 ] || die "BENCH_CYCLES=$cycles: the medians need at least 5 cycles"
for s in $shapes; do
	case $s in
	flat | tree | links) ;;
	*) die "unknown shape '$s' in BENCH_SHAPES (flat, tree, links)" ;;
	esac
done
out="$BUILD/bench"
rm -rf "$out"
mkdir -p "$out"
plan="bench:sync-0,bench:async-0,bench:sync-$delay,bench:async-$delay"
n=0
total=$(($(echo $shapes | wc -w) * 2 * nboots))
for s in $shapes; do
	b=0
	while [ $b -lt "$nboots" ]; do
		b=$((b + 1))
		order="stock patched"
		[ $((b % 2)) = 1 ] || order="patched stock"
		for k in $order; do
			n=$((n + 1))
			if [ $k = stock ]; then
				kernel=${BENCH_STOCK_KERNEL:-$BUILD/vm-bench-stock/arch/x86/boot/bzImage}
			else
				kernel=${BENCH_KERNEL:-$BUILD/vm-bench/arch/x86/boot/bzImage}
			fi
			[ -f "$kernel" ] || die "no $k kernel at $kernel; run 'make bench', which builds it"
			say "bench: run $n of $total: $k kernel, boot $b of $nboots, $count devices, shape $s"
			python3 "$TOP/scripts/vm.py" --name "bench-$s-$k-$b" --kernel "$kernel" \
				--initrd "$BUILD/initramfs.cpio.gz" --plan "$plan" \
				--out "$out/$s-$k-$b" --accel "${ACCEL:-auto}" \
				--timeout 5400 --idle 600 --append \
				"test_pm_sleep_devices.shape=$s test_pm_sleep_devices.count=$count tp.cycles=$cycles" ||
				say "bench: boot $b of the $k kernel, shape $s, failed; console log $out/$s-$k-$b/console.log"
		done
	done
done

# USB host controllers in hibernation: BENCH_HIB hibernations (to the
# virtio swap disk, restored by a second boot) of the VM's usual devices on
# each kernel, the time of every device callback logged
# (tests/scenarios/benchusb.sh) and summed per phase and per device below
# the xHCI and the EHCI by scripts/benchusb.py.
plan=benchusb
i=0
while [ $i -lt "$hib" ]; do
	plan="$plan,hibernate"
	i=$((i + 1))
done
for k in stock patched; do
	if [ $k = stock ]; then
		kernel=${BENCH_STOCK_KERNEL:-$BUILD/vm-bench-stock/arch/x86/boot/bzImage}
	else
		kernel=${BENCH_KERNEL:-$BUILD/vm-bench/arch/x86/boot/bzImage}
	fi
	say "bench: USB hibernation, $k kernel: $hib hibernations and restores"
	python3 "$TOP/scripts/vm.py" --name "benchusb-$k" --kernel "$kernel" \
		--initrd "$BUILD/initramfs.cpio.gz" --plan "$plan" \
		--out "$out/usb-$k" --accel "${ACCEL:-auto}" ||
		say "bench: the $k USB hibernation run failed; console log $out/usb-$k/console.log"
done
rc=0
[ -z "$shapes" ] || python3 "$TOP/scripts/bench.py" "$out" "$count" $shapes || rc=1
python3 "$TOP/scripts/benchusb.py" "$out" || rc=1
exit $rc
