# unplug:SECONDS: hot-unplug the usb-kbd (QEMU device_del, by scripts/vm.py
# through the monitor) SECONDS after an S3 transition starts, while the
# devices are being suspended: the synthetic devices' callbacks sleep 20 ms
# each and pm_async is 0, so the suspend phases last seconds.  Nothing may
# crash, no device may be left outside dpm_active, the keyboard must be
# gone once the machine is back, and the next suspend must work.  Run it
# last: the keyboard does not come back.
delay=${1:-1}
name="unplug:$delay"
par=/sys/module/test_pm_sleep_devices/parameters/delay_us
tp_begin "$name"
kbd() { grep -l 'QEMU USB Keyboard' /sys/bus/usb/devices/*/product 2>/dev/null; }
if [ -z "$(kbd)" ]; then
	tp_end "$name" fail "no QEMU USB Keyboard in /sys/bus/usb/devices before the unplug"
	exit 0
fi
if [ ! -w $par ]; then
	tp_end "$name" fail "no writable $par (CONFIG_TEST_PM_SLEEP_DEVICES)"
	exit 0
fi
echo 20000 >$par
echo 0 >/sys/power/pm_async
echo deep >/sys/power/mem_sleep
# The device phases take about 4 s here, and once took 12.5 s when the
# unplug landed in the keyboard's own suspend: wake well after them.
rtc_wake 45
echo "@@TP HMP $delay device_del usbkbd"
tp_suspend "$name" mem
rc=$?
echo 0 >$par
echo 1 >/sys/power/pm_async
[ $rc = 0 ] || exit 0
i=0
while [ -n "$(kbd)" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ -n "$(kbd)" ]; then
	tp_end "$name" fail "the keyboard is still there 5 s after resume"
	exit 0
fi
left=$(tp_dpm_left)
if [ -n "$left" ]; then
	tp_end "$name" fail "devices left behind: $left"
	exit 0
fi
echo deep >/sys/power/mem_sleep
echo core >/sys/power/pm_test
tp_suspend "$name" mem && tp_end "$name" ok "the keyboard went away; the next suspend worked"
echo none >/sys/power/pm_test
