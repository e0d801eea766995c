# diag: print what a developer needs to see when a wake source misbehaves.
tp_begin diag
echo "-- /sys/bus/acpi/devices"; ls /sys/bus/acpi/devices | tr '\n' ' '; echo
echo "-- /proc/interrupts"; cat /proc/interrupts
echo "-- wakeup-enabled devices"
for f in $(find /sys/devices -name wakeup -path '*/power/*' 2>/dev/null); do
	[ "$(cat "$f" 2>/dev/null)" = enabled ] && echo "${f%/power/wakeup}"
done
echo "-- /sys/kernel/debug/wakeup_sources"; cat /sys/kernel/debug/wakeup_sources 2>/dev/null
# ACPI PM1 event block (FADT offset 56): status word, then enable word.
pm1=$(od -An -tu4 -j56 -N4 /sys/firmware/acpi/tables/FACP 2>/dev/null | tr -d ' ')
if [ -n "$pm1" ] && [ -c /dev/port ]; then
	echo "-- PM1a_EVT_BLK at $(printf 0x%x "$pm1"): STS/EN $(od -An -tx2 -j"$pm1" -N4 /dev/port)"
fi
lpc=/sys/bus/pci/devices/0000:00:1f.0/config
[ -r $lpc ] && echo "-- LPC 00:1f.0 config 0x40-0x47 (PMBASE, ACPI_CTRL): $(od -An -tx1 -j64 -N8 $lpc)"
tp_end diag ok
