# timeline[:KIND]: trace one transition (s3, s2idle or hibernate; default
# s3) with the device_pm_callback_start/end and suspend_resume
# tracepoints, async as configured, and print every event as one
# "@@TL KIND SECONDS start|end|phase REST" line, from which
# scripts/timeline.py draws the per-device timeline after make run.
kind=${1:-s3}
name=timeline:$kind
t=/sys/kernel/tracing
tp_begin "$name"
[ -d "$t/events" ] || mount -t tracefs tracefs "$t" 2>/dev/null
for e in device_pm_callback_start device_pm_callback_end suspend_resume; do
	if [ ! -d "$t/events/power/$e" ]; then
		tp_end "$name" fail "no power/$e tracepoint in $t (CONFIG_FTRACE?)"
		exit 0
	fi
done
echo 0 >"$t/tracing_on"
echo >"$t/trace"
# "1408" or "7 (expanded: 1408)": put the expanded size back afterwards.
size=$(sed 's/.*expanded: \([0-9]*\).*/\1/; s/ .*//' "$t/buffer_size_kb")
echo 4096 >"$t/buffer_size_kb"
for e in device_pm_callback_start device_pm_callback_end suspend_resume; do
	echo 1 >"$t/events/power/$e/enable"
done
echo 1 >"$t/tracing_on"
ok=0
tp_enter "$name" "$kind" && ok=1
echo 0 >"$t/tracing_on"
for e in device_pm_callback_start device_pm_callback_end suspend_resume; do
	echo 0 >"$t/events/power/$e/enable"
done
if [ $ok != 1 ]; then
	echo >"$t/trace"
	echo "$size" >"$t/buffer_size_kb"
	exit 0
fi
lost=$(cat "$t"/per_cpu/cpu*/stats | sed -n 's/^overrun: //p' | awk '{ n += $1 } END { print n + 0 }')
# "<task>-<pid> [cpu] flags SECONDS: device_pm_callback_start: DRIVER
# DEVICE, parent: PARENT, OPS[EVENT]" and the like, without the task
# and the parent.
sed -n -e "s/^.* \([0-9]*\.[0-9]*\): device_pm_callback_start: \(.*\), parent: [^,]*, /@@TL $kind \1 start \2, /p" \
	-e "s/^.* \([0-9]*\.[0-9]*\): device_pm_callback_end: /@@TL $kind \1 end /p" \
	-e "s/^.* \([0-9]*\.[0-9]*\): suspend_resume: /@@TL $kind \1 phase /p" "$t/trace"
n=$(grep -c 'device_pm_callback_start:' "$t/trace")
echo >"$t/trace"
echo "$size" >"$t/buffer_size_kb"
if [ "$lost" != 0 ]; then
	tp_end "$name" fail "the trace buffer overran: $lost events lost"
elif [ "$n" = 0 ]; then
	tp_end "$name" fail "no device PM callback in the trace"
else
	tp_end "$name" ok "$n callbacks traced"
fi
