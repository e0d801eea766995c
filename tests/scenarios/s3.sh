# s3: suspend to RAM (ACPI S3, mem_sleep=deep), woken by the CMOS RTC alarm.
tp_begin s3
if ! in_list deep /sys/power/mem_sleep; then
	tp_end s3 skip "no 'deep' in /sys/power/mem_sleep: $(cat /sys/power/mem_sleep)"
	exit
fi
echo deep >/sys/power/mem_sleep
rtc_wake 3
tp_suspend s3 mem && tp_devices_ok s3 && tp_end s3 ok
