# trace: record the device PM callback sequence of one transition (s3 or
# hibernate; default s3) with pm_async=0, from the device_pm_callback_start
# tracepoint, and print it as "@@TRACE KIND <event>" lines for
# scripts/equiv.py.  Needs CONFIG_FTRACE and the synthetic devices of
# CONFIG_TEST_PM_SLEEP_DEVICES (configs/vm.config).
kind=${1:-s3}
name=trace:$kind
t=/sys/kernel/tracing
ev=$t/events/power/device_pm_callback_start
tp_begin "$name"
[ -d "$t/events" ] || mount -t tracefs tracefs "$t" 2>/dev/null
if [ ! -d "$ev" ]; then
	tp_end "$name" fail "no device_pm_callback_start tracepoint in $t (CONFIG_FTRACE?)"
	exit 0
fi
if [ ! -d /sys/devices/pm_test_devices/tpd0 ]; then
	tp_end "$name" fail "no synthetic devices (CONFIG_TEST_PM_SLEEP_DEVICES)"
	exit 0
fi
echo 0 >/sys/power/pm_async
echo 0 >"$t/tracing_on"
echo >"$t/trace"
echo 1 >"$ev/enable"
echo 1 >"$t/tracing_on"
ok=0
tp_enter "$name" "$kind" && ok=1
echo 0 >"$t/tracing_on"
echo 0 >"$ev/enable"
echo 1 >/sys/power/pm_async
[ $ok = 1 ] || exit 0
lost=$(cat "$t"/per_cpu/cpu*/stats | sed -n 's/^overrun: //p' | awk '{ n += $1 } END { print n + 0 }')
n=$(grep -c 'device_pm_callback_start:' "$t/trace")
sed -n "s/.*device_pm_callback_start: /@@TRACE $kind /p" "$t/trace"
if [ "$lost" != 0 ]; then
	tp_end "$name" fail "the trace buffer overran: $lost events lost"
elif ! grep -q 'tpd0,' "$t/trace"; then
	tp_end "$name" fail "no callback of the synthetic devices in the trace"
else
	tp_end "$name" ok "$n callbacks traced"
fi
