# bench:MODE-DELAY: time the device phases of suspend-to-RAM cycles cut
# short at pm_test=core, for scripts/bench.py (make bench).  MODE is sync
# or async (/sys/power/pm_async); DELAY is the synthetic devices' callback
# delay in microseconds (test_pm_sleep_devices.delay_us).  The number of
# cycles is tp.cycles= on the command line (default 5).
#
# Every cycle records the suspend_resume tracepoint's dpm_* begin and end
# events, with the boot clock, and prints them as
#   @@BENCH MODE DELAY CYCLE TIMESTAMP EVENT begin|end
# Only those events are enabled, so tracing costs a few events per phase.
name="bench:$1"
mode=${1%-*}
delay=${1#*-}
t=/sys/kernel/tracing
ev=$t/events/power/suspend_resume
par=/sys/module/test_pm_sleep_devices/parameters/delay_us
cycles=$(sed -n 's/.*tp\.cycles=\([0-9][0-9]*\).*/\1/p' /proc/cmdline)
cycles=${cycles:-5}
tp_begin "$name"
case $mode in
sync) async=0 ;;
async) async=1 ;;
*) tp_end "$name" fail "unknown mode '$mode' (sync, async)"; exit 0 ;;
esac
case $delay in
'' | *[!0-9]*) tp_end "$name" fail "bad delay '$delay' (microseconds)"; exit 0 ;;
esac
[ -d "$t/events" ] || mount -t tracefs tracefs "$t" 2>/dev/null
if [ ! -d "$ev" ]; then
	tp_end "$name" fail "no suspend_resume tracepoint in $t (CONFIG_FTRACE?)"
	exit 0
fi
if [ ! -w "$par" ]; then
	tp_end "$name" fail "no writable $par (CONFIG_TEST_PM_SLEEP_DEVICES)"
	exit 0
fi
if ! in_list core /sys/power/pm_test; then
	tp_end "$name" fail "pm_test level 'core' is not offered: $(cat /sys/power/pm_test)"
	exit 0
fi
echo deep >/sys/power/mem_sleep
echo "$async" >/sys/power/pm_async
echo "$delay" >"$par"
echo boot >"$t/trace_clock"
echo 0 >"$t/tracing_on"
echo 1 >"$ev/enable"
echo core >/sys/power/pm_test
i=1
ok=1
while [ $i -le "$cycles" ]; do
	echo "@@TP NOTE $name: cycle $i of $cycles"
	echo >"$t/trace"
	echo 1 >"$t/tracing_on"
	tp_suspend "$name" mem || { ok=0; break; }
	echo 0 >"$t/tracing_on"
	sed -n -E "s/.* ([0-9]+\.[0-9]+): suspend_resume: (dpm_[a-z_]+)\[[0-9]+\] (begin|end)$/@@BENCH $mode $delay $i \1 \2 \3/p" \
		"$t/trace"
	if ! grep -q 'dpm_complete\[[0-9]*\] end' "$t/trace"; then
		tp_end "$name" fail "cycle $i: no dpm_complete end event in the trace"
		ok=0
		break
	fi
	i=$((i + 1))
done
echo 0 >"$t/tracing_on"
echo 0 >"$ev/enable"
echo none >/sys/power/pm_test
echo 0 >"$par"
echo 1 >/sys/power/pm_async
[ $ok = 1 ] && tp_end "$name" ok "$cycles cycles"
