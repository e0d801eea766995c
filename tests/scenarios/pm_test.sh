# pm_test:LEVEL: a suspend-to-RAM cycle cut short at LEVEL by /sys/power/pm_test.
name="pm_test:$1"
tp_begin "$name"
if ! in_list "$1" /sys/power/pm_test; then
	tp_end "$name" fail "pm_test level '$1' is not offered: $(cat /sys/power/pm_test)"
	exit
fi
in_list deep /sys/power/mem_sleep && echo deep >/sys/power/mem_sleep
echo "$1" >/sys/power/pm_test
tp_suspend "$name" mem && tp_devices_ok "$name" && tp_end "$name" ok
echo none >/sys/power/pm_test
