# boot: the VM's devices are all there: the USB disk (xHCI), the USB
# keyboard and tablet (xHCI, EHCI), two e1000 NICs, the virtio swap disk.
tp_begin boot
i=0
while [ $i -lt 60 ]; do
	usb_disk data >/dev/null && [ -b /dev/vda ] && [ -e /sys/class/net/eth0 ] && [ -e /sys/class/net/eth1 ] &&
		[ "$(ls /sys/class/input | grep -c '^input')" -ge 2 ] && break
	sleep 0.5
	i=$((i + 1))
done
tp_snapshot
tp_lpc_save
missing=
usb_disk data >/dev/null || missing="$missing usb-storage(data disk)"
[ -b /dev/vda ] || missing="$missing virtio-blk(/dev/vda)"
[ -e /sys/class/net/eth0 ] || missing="$missing e1000(eth0)"
[ -e /sys/class/net/eth1 ] || missing="$missing e1000(eth1)"
[ "$(ls /sys/class/input | grep -c '^input')" -ge 2 ] || missing="$missing usb-kbd/usb-tablet"
if [ -n "$missing" ]; then
	tp_end boot fail "missing after 30 s:$missing"
else
	tp_end boot ok "$(ls /sys/bus/usb/devices | grep -c -- '-') USB devices, $(ls /sys/class/input | grep -c '^input') input devices"
fi
