# benchusb: set up the USB hibernation benchmark (make bench): the
# hibernate scenarios that follow it in the plan run with
# /sys/power/pm_print_times on, so that the kernel logs the time of every
# device's PM callback ("... returned 0 after N usecs"), and
# scripts/benchusb.py sums those of the devices this prints: the USB host
# controllers and everything below them, one "@@BENCH USBDEV NAME LABEL"
# line each.
tp_begin benchusb
if [ ! -w /sys/power/pm_print_times ]; then
	tp_end benchusb fail "no /sys/power/pm_print_times (CONFIG_PM_SLEEP_DEBUG)"
	exit 0
fi
n=0
for hc in /sys/bus/pci/drivers/xhci_hcd/0000:* /sys/bus/pci/drivers/ehci-pci/0000:*; do
	[ -e "$hc" ] || continue
	top=$(readlink -f "$hc")
	drv=${hc%/*}
	drv=${drv##*/}
	for d in $(find "$top" -name uevent | sed 's|/uevent$||'); do
		[ -d "$d/power" ] || continue
		# Bus numbers and device names differ from boot to boot: label
		# each device by the USB device it belongs to (the nearest with
		# a product string, and its speed), or as the controller.
		u=$d
		while [ "$u" != "$top" ] && [ ! -f "$u/product" ]; do u=${u%/*}; done
		if [ "$u" = "$top" ]; then
			label="$drv ${hc##*/}"
		else
			label="$drv: $(cat "$u/product") ($(cat "$u/speed") Mb/s)"
		fi
		echo "@@BENCH USBDEV ${d##*/} $label"
		n=$((n + 1))
	done
done
if [ $n = 0 ]; then
	tp_end benchusb fail "no xHCI or EHCI PCI device"
	exit 0
fi
echo 1 >/sys/power/pm_print_times
tp_end benchusb ok "$n devices below the USB host controllers"
