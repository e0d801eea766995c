# hibernate: hibernation to the virtio swap disk.  The guest powers off
# once the image is written; scripts/vm.py boots it again with resume=,
# and the restored image carries on here after "echo disk".
tp_begin hibernate
swap=/dev/vda
if ! in_list disk /sys/power/state; then
	tp_end hibernate fail "no 'disk' in /sys/power/state: $(cat /sys/power/state)"
	exit
fi
tp_lpc_fixup
mode=shutdown
in_list platform /sys/power/disk && mode=platform
echo $mode >/sys/power/disk
mkswap $swap >/dev/null && swapon $swap || {
	tp_end hibernate fail "could not set up swap on $swap"; exit; }
echo "@@TP HIBERNATE $mode $swap"
if echo disk >/sys/power/state; then
	swapoff $swap
	tp_devices_ok hibernate && tp_end hibernate ok "restored ($mode mode)"
else
	swapoff $swap
	tp_end hibernate fail "echo disk > /sys/power/state failed"
fi
