# hibernate[:xhci|:ehci]: hibernation to the virtio swap disk, or to the
# USB swap disk behind the xHCI or the EHCI (scripts/vm.py --usb-swap: the
# seeds' "system disk behind USB"), restored by a second boot.
#
# The USB variants first freeze and thaw every device without an image
# (pm_test=core).  The host controllers keep running through that freeze:
# the thaw must not reset or re-enumerate any USB device, and the
# keyboard, the tablet and both disks must work afterwards.  After the
# restore, which resets the controllers and every USB device, the same.
arg=$1
name=hibernate${arg:+:$arg}
tp_begin "$name"

# usb_ok: the USB devices, the data disk's contents and the swap disk.
usb_ok() {
	tp_devices_ok "$name" || return 1
	if ! ls /sys/bus/usb/devices | cmp -s - /tmp/usb.list; then
		tp_end "$name" fail "$1: USB devices changed: $(ls /sys/bus/usb/devices | tr '\n' ' ')"
		return 1
	fi
	if ! dd if="$swap" of=/dev/null bs=64k count=64 iflag=direct 2>/dev/null; then
		tp_end "$name" fail "$1: the swap disk $swap cannot be read"
		return 1
	fi
	return 0
}

case $arg in
'')
	tp_enter "$name" hibernate && tp_devices_ok "$name" && tp_end "$name" ok
	exit 0 ;;
xhci | ehci) ;;
*)
	tp_end "$name" fail "unknown swap disk '$arg' (xhci, ehci, or none for virtio)"
	exit 0 ;;
esac

if ! swap=$(usb_disk "$arg"); then
	tp_end "$name" fail "no swap disk behind the $arg: run scripts/vm.py with --usb-swap"
	exit 0
fi
ls /sys/bus/usb/devices >/tmp/usb.list

echo core >/sys/power/pm_test
dmesg -c >/dev/null
if ! echo disk >/sys/power/state; then
	echo none >/sys/power/pm_test
	tp_end "$name" fail "freeze and thaw (pm_test=core) failed: errno $(stat_of last_failed_errno), step $(stat_of last_failed_step)"
	exit 0
fi
echo none >/sys/power/pm_test
reset=$(dmesg | grep -E 'xHC error in resume|USB disconnect|reset (full|low|high|super|Super)[a-z+ -]*speed USB device' | head -1)
if [ -n "$reset" ]; then
	tp_end "$name" fail "the thaw reset USB: $reset"
	exit 0
fi
usb_ok "after thaw" || exit 0
echo "@@TP NOTE freeze and thaw: no USB device reset; disks, keyboard and tablet work"

# The freeze fails at the host controller itself, once its root hubs and
# devices froze: in 6.12 that left the xHCI dead ("xHCI host not responding
# to stop endpoint command").  The recovery must leave USB working.
inj=/sys/kernel/debug/pm_sleep/inject
hc=$(ls -d /sys/bus/pci/drivers/${arg}*/0000:* 2>/dev/null | head -1)
if [ -z "$hc" ]; then
	tp_end "$name" fail "no PCI device bound to a ${arg} driver"
	exit 0
fi
if [ ! -w $inj ]; then
	tp_end "$name" fail "no $inj (CONFIG_PM_SLEEP_FAULT_INJECT)"
	exit 0
fi
echo "fail ${hc##*/} suspend -5 1" >$inj
if echo disk >/sys/power/state 2>/dev/null; then
	echo clear >$inj
	tp_end "$name" fail "hibernation succeeded with the freeze of ${hc##*/} made to fail"
	exit 0
fi
echo clear >$inj
usb_ok "after a failed freeze of ${hc##*/}" || exit 0
echo "@@TP NOTE freeze of ${hc##*/} made to fail: disks, keyboard and tablet work after the recovery"

tp_hibernate "$name" "$swap" || exit 0
usb_ok "after restore" && tp_end "$name" ok "image on $swap ($arg)"
