# s2idle: suspend to idle.  The CMOS RTC alarm is armed, but QEMU never
# wakes s2idle with it: it sets the ACPI RTC_STS bit only when it wakes a
# VM from S3, so no SCI follows the alarm (README, "s2idle").  scripts/vm.py
# presses the ACPI power button (QEMU's system_powerdown) when the guest is
# still in s2idle after 8 s; the SCI is a wakeup IRQ and PWRBTN_STS makes
# acpi_s2idle_wake() accept it.  Run it before any S3 cycle: QEMU loses the
# ACPI PM block on S3 wake (tests/lib.sh, tp_lpc_fixup).
tp_begin s2idle
if ! in_list freeze /sys/power/state; then
	tp_end s2idle skip "no 'freeze' in /sys/power/state: $(cat /sys/power/state)"
	exit
fi
rtc_wake 3
tp_suspend s2idle freeze && tp_devices_ok s2idle && tp_end s2idle ok
