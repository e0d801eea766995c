# s3: suspend to RAM (ACPI S3, mem_sleep=deep), woken by the CMOS RTC alarm.
tp_begin s3
tp_enter s3 s3 && tp_devices_ok s3 && tp_end s3 ok
