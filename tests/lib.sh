# Helpers for the in-VM scenarios (busybox sh).  Sourced by /init.

tp_begin() {
	dmesg -c >/dev/null
	echo "@@TP BEGIN $1"
}

# tp_end NAME ok|fail|skip [reason]
tp_end() {
	echo "@@TP END $1 $2${3:+ $3}"
}

tp_poweroff() {
	tp_lpc_fixup
	sync
	poweroff -f
	sleep 10
}

stat_of() {
	cat "/sys/power/suspend_stats/$1"
}

# tp_suspend NAME STATE: write STATE to /sys/power/state, then check that
# the write succeeded and that suspend_stats counted one success and no
# failure.
tp_suspend() {
	ok0=$(stat_of success)
	fail0=$(stat_of fail)
	if ! echo "$2" >/sys/power/state; then
		tp_end "$1" fail "echo $2 > /sys/power/state failed (last failed step: $(stat_of last_failed_step), errno: $(stat_of last_failed_errno))"
		return 1
	fi
	ok1=$(stat_of success)
	fail1=$(stat_of fail)
	if [ "$ok1" -ne $((ok0 + 1)) ] || [ "$fail1" -ne "$fail0" ]; then
		tp_end "$1" fail "suspend_stats: success $ok0 -> $ok1, fail $fail0 -> $fail1"
		return 1
	fi
	return 0
}

# rtc_wake SECONDS: arm the CMOS RTC alarm.
rtc_wake() {
	echo 0 >/sys/class/rtc/rtc0/wakealarm
	echo "+$1" >/sys/class/rtc/rtc0/wakealarm
}

# tp_enter NAME TRANSITION: go through s3, s2idle or hibernate and come
# back.  Returns 0 when the transition succeeded; otherwise it has already
# ended scenario NAME (fail or skip) and returns non-zero.
#  - s3: mem_sleep=deep, woken by the CMOS RTC alarm.
#  - s2idle: the RTC alarm is armed, but QEMU never wakes s2idle with it:
#    it sets the ACPI RTC_STS bit only when it wakes a VM from S3, so no SCI
#    follows the alarm (README, "s2idle in QEMU").  scripts/vm.py presses
#    the ACPI power button when the guest is still in s2idle after 8 s.
#    Run it before any S3 cycle: QEMU loses the ACPI PM block on S3 wake.
#  - hibernate: swap on the virtio disk, platform mode.  The guest powers
#    off once the image is written; scripts/vm.py boots it again with
#    resume=, and the restored image returns here.
tp_enter() {
	case $2 in
	s3)
		if ! in_list deep /sys/power/mem_sleep; then
			tp_end "$1" skip "no 'deep' in /sys/power/mem_sleep: $(cat /sys/power/mem_sleep)"
			return 2
		fi
		echo deep >/sys/power/mem_sleep
		rtc_wake 3
		tp_suspend "$1" mem ;;
	s2idle)
		if ! in_list freeze /sys/power/state; then
			tp_end "$1" skip "no 'freeze' in /sys/power/state: $(cat /sys/power/state)"
			return 2
		fi
		rtc_wake 3
		tp_suspend "$1" freeze ;;
	hibernate)
		tp_hibernate "$1" ;;
	*)
		tp_end "$1" fail "unknown transition '$2' (s3, s2idle, hibernate)"
		return 1 ;;
	esac
}

# tp_hibernate NAME [SWAP]: hibernate to the swap disk SWAP (/dev/vda).
tp_hibernate() {
	swap=${2:-/dev/vda}
	if ! in_list disk /sys/power/state; then
		tp_end "$1" fail "no 'disk' in /sys/power/state: $(cat /sys/power/state)"
		return 1
	fi
	tp_lpc_fixup
	mode=shutdown
	in_list platform /sys/power/disk && mode=platform
	echo $mode >/sys/power/disk
	# Where the image goes: resume= names the virtio disk; any other
	# disk is named here (the kernel finds no image on it yet).
	if [ "$swap" != /dev/vda ] && ! cat "/sys/block/${swap#/dev/}/dev" >/sys/power/resume; then
		tp_end "$1" fail "could not make $swap the resume device"
		return 1
	fi
	if ! mkswap $swap >/dev/null || ! swapon $swap; then
		tp_end "$1" fail "could not set up swap on $swap"
		return 1
	fi
	echo "@@TP HIBERNATE $mode $swap"
	if ! echo disk >/sys/power/state; then
		swapoff $swap
		tp_end "$1" fail "echo disk > /sys/power/state failed"
		return 1
	fi
	swapoff $swap
	echo "@@TP NOTE restored ($mode mode)"
	return 0
}

# tp_resume_usb: on a restore boot, wait up to 20 s for the swap disks behind
# the xHCI and the EHCI and name each as the resume device; the kernel
# restores the image from the one that holds it and never returns.
tp_resume_usb() {
	i=0
	until usb_disk xhci >/dev/null && usb_disk ehci >/dev/null; do
		i=$((i + 1))
		[ $i -gt 40 ] && break
		sleep 0.5
	done
	for w in xhci ehci; do
		d=$(usb_disk $w) || continue
		echo "@@TP NOTE restore boot: looking for the image on $d ($w)"
		cat "/sys/block/${d#/dev/}/dev" >/sys/power/resume
	done
}

# in_list WORD FILE: is WORD one of the words in FILE?
in_list() {
	tr ' []' '\n\n\n' <"$2" | grep -qx "$1"
}

# The devices that must come back from every transition: the USB disk with
# the same contents, the NIC, the input devices.  tp_snapshot records them.
# usb_serial DISK: the serial number of the USB device that DISK (sda, ...)
# is on.
usb_serial() {
	d=$(readlink -f "/sys/block/$1/device")
	while [ -n "$d" ] && [ ! -f "$d/serial" ]; do d=${d%/*}; done
	cat "$d/serial" 2>/dev/null
}

# usb_disk data|xhci|ehci: the /dev node of the USB disk with the test data,
# or of the swap disk behind the xHCI or the EHCI (scripts/vm.py --usb-swap
# gives them the serials tpswap-xhci and tpswap-ehci).  Fails when absent.
usb_disk() {
	for b in /sys/block/sd*; do
		[ -e "$b" ] || continue
		case $1:$(usb_serial "${b##*/}") in
		data:tpswap-*) ;;
		data:* | "$1:tpswap-$1") echo "/dev/${b##*/}"; return 0 ;;
		esac
	done
	return 1
}

# The USB disk's checksum, read from the device (O_DIRECT), not the page cache.
usbdisk_md5() {
	dd if="$(usb_disk data)" bs=64k iflag=direct 2>/dev/null | md5sum || echo none
}

tp_snapshot() {
	usbdisk_md5 >/tmp/usbdisk.md5
	ls /sys/class/net >/tmp/net.list
	ls /sys/class/input >/tmp/input.list
}

tp_devices_ok() {
	sum=$(usbdisk_md5)
	if [ "$sum" != "$(cat /tmp/usbdisk.md5)" ]; then
		tp_end "$1" fail "USB disk $(usb_disk data) reads back differently after resume"
		return 1
	fi
	if ! ls /sys/class/net | cmp -s - /tmp/net.list; then
		tp_end "$1" fail "network devices changed: $(ls /sys/class/net | tr '\n' ' ')"
		return 1
	fi
	if ! ls /sys/class/input | cmp -s - /tmp/input.list; then
		tp_end "$1" fail "input devices changed: $(ls /sys/class/input | tr '\n' ' ')"
		return 1
	fi
	return 0
}

# QEMU (7.2, q35) resets the ICH9 LPC bridge when it wakes the machine from
# S3, and SeaBIOS's resume path does not program it again: PMBASE and
# ACPI_CTRL (config 0x40-0x44) come back as 0x1 and 0, the ACPI PM block
# is no longer decoded and PM1 reads 0xffff.  Power-off and S4 then never
# happen.  tp_lpc_save at boot and tp_lpc_fixup before a transition that
# needs the PM block put the firmware's values back, and say so.
LPC=/sys/bus/pci/devices/0000:00:1f.0/config
tp_lpc_save() {
	[ -r $LPC ] && dd if=$LPC of=/tmp/lpc.save bs=1 skip=64 count=5 2>/dev/null
}

tp_lpc_fixup() {
	[ -s /tmp/lpc.save ] || return 0
	dd if=$LPC bs=1 skip=64 count=5 2>/dev/null | cmp -s - /tmp/lpc.save && return 0
	echo "@@TP NOTE QEMU lost the ICH9 PMBASE/ACPI_CTRL after an S3 wake ($(od -An -tx1 -j64 -N5 $LPC | tr -d ' ') instead of $(od -An -tx1 /tmp/lpc.save | tr -d ' ')); restoring it"
	dd if=/tmp/lpc.save of=$LPC bs=1 seek=64 conv=notrunc 2>/dev/null
}

# tp_links_up SECONDS: wait until eth0 and eth1 are both up for the stack.
tp_links_up() {
	i=0
	while [ "$(cat /sys/class/net/eth0/operstate)" != up ] ||
	      [ "$(cat /sys/class/net/eth1/operstate)" != up ]; do
		i=$((i + 1))
		[ $i -gt $(($1 * 10)) ] && return 1
		sleep 0.1
	done
}

# tp_dpm_left: print the PM core's lists that still hold devices outside a
# transition (from CONFIG_PM_SLEEP_FAULT_INJECT's debugfs file), or why it
# cannot tell; print nothing when every device is in dpm_active.
tp_dpm_left() {
	if [ ! -r /sys/kernel/debug/pm_sleep/lists ]; then
		echo "no /sys/kernel/debug/pm_sleep/lists (CONFIG_PM_SLEEP_FAULT_INJECT?)"
		return
	fi
	grep -v '^dpm_active ' /sys/kernel/debug/pm_sleep/lists | awk '$2 != 0' | tr '\n' ' '
}
