# soak:N: N transitions in a row, alternating s2idle, a suspend cycle cut
# short at pm_test=core, S3 and hibernation (written to the swap disk,
# powered off, restored by another boot).  Stops at the first failure.
# After every cycle: every device is back in dpm_active (which needs
# CONFIG_PM_SLEEP_FAULT_INJECT), the USB disk reads back the same, and the
# network and input devices are all there.  One "@@TP NOTE" every 10 cycles.
n=${1:-100}
name="soak:$n"
tp_begin "$name"
case $n in
'' | *[!0-9]*) tp_end "$name" fail "bad cycle count '$n'"; exit 0 ;;
esac
tp_snapshot
i=1
while [ $i -le "$n" ]; do
	# s2idle first: QEMU's power button no longer wakes s2idle once the
	# machine woke from S3; the hibernation's restore boot starts a fresh
	# machine for the next round (tests/lib.sh, README "s2idle in QEMU").
	case $((i % 4)) in
	1) kind=s2idle ;;
	2) kind=pm_test ;;
	3) kind=s3 ;;
	0) kind=hibernate ;;
	esac
	# QEMU loses the ACPI PM block on every S3 wake (tests/lib.sh).
	tp_lpc_fixup >/dev/null
	if [ $kind = pm_test ]; then
		echo deep >/sys/power/mem_sleep
		echo core >/sys/power/pm_test
		tp_suspend "$name" mem
		rc=$?
		echo none >/sys/power/pm_test
	else
		tp_enter "$name" $kind
		rc=$?
	fi
	if [ $rc != 0 ]; then
		echo "@@TP NOTE $name: cycle $i ($kind) failed"
		exit 0
	fi
	left=$(tp_dpm_left)
	if [ -n "$left" ]; then
		tp_end "$name" fail "cycle $i ($kind): devices left behind: $left"
		exit 0
	fi
	tp_devices_ok "$name" || { echo "@@TP NOTE $name: cycle $i ($kind)"; exit 0; }
	[ $((i % 10)) = 0 ] && echo "@@TP NOTE $name: $i of $n cycles done"
	i=$((i + 1))
done
tp_end "$name" ok "$n cycles: $((n - n / 4)) suspend (s2idle, pm_test=core, S3), $((n / 4)) hibernation"
