# matrix:KIND[:SAMPLE]: the fault-injection matrix of one transition KIND
# (s3 or hibernate): every device × every phase, a device's step made to
# fail with -EIO through /sys/kernel/debug/pm_sleep/inject, one transition
# per case.  SAMPLE runs that many cases spread evenly over the matrix
# instead of all of them (make check runs a sample, make matrix all).
#
# Hibernation uses /sys/power/disk=test_resume: the image is written to the
# swap disk and restored at once, in the same boot.
#
# After each case: the transition failed (suspend phases) or completed
# with the error recorded (resume phases); every device is back in
# dpm_active; the USB disk reads back the same, network and input devices
# are all there, and the e1000 pair passes frames.  scripts/vm.py fails
# the scenario on any lockdep report, WARN or BUG on the console.
# One "@@MATRIX KIND PHASE DEVICE ok|FAIL detail" line per case.
kind=${1%%:*}
sample=${1#"$kind"}
sample=${sample#:}
name="matrix:$1"
inj=/sys/kernel/debug/pm_sleep/inject
phases="prepare suspend suspend_late suspend_noirq resume_noirq resume_early resume"
tp_begin "$name"
case $kind in
s3 | hibernate) ;;
*) tp_end "$name" fail "unknown transition '$kind' (s3, hibernate)"; exit 0 ;;
esac
case $sample in
'' | *[!0-9]*) [ -z "$sample" ] || { tp_end "$name" fail "bad sample '$sample'"; exit 0; } ;;
esac
if [ ! -w $inj ]; then
	tp_end "$name" fail "no $inj (CONFIG_PM_SLEEP_FAULT_INJECT)"
	exit 0
fi
if [ $kind = hibernate ] && ! in_list test_resume /sys/power/disk; then
	tp_end "$name" fail "no test_resume in /sys/power/disk: $(cat /sys/power/disk)"
	exit 0
fi

# Every device the PM core knows: every device directory in sysfs.
find /sys/devices -name uevent | sed 's|/uevent$||' | sort >/tmp/matrix.devs
ndev=$(wc -l </tmp/matrix.devs)
total=$((ndev * 7))
[ -n "$sample" ] && [ "$sample" -lt $total ] || sample=$total
echo "@@TP NOTE $name: $ndev devices x 7 phases = $total cases, running $sample"

ip link set eth0 up
ip link set eth1 up
# net_ok: within 10 s both links are up and frames from eth0 reach eth1.
net_ok() {
	tp_links_up 10 || return 1
	rm -f /tmp/net.stop
	pkttraffic eth0 eth1 /tmp/net.stop >/tmp/net.out 2>&1 &
	sleep 1
	touch /tmp/net.stop
	wait $!
	got=$(sed -n 's/.*received=\([0-9]*\).*/\1/p' /tmp/net.out)
	[ "${got:-0}" -gt 0 ]
}
if ! net_ok; then
	tp_end "$name" fail "the e1000 pair passes no frames before any case: $(cat /tmp/net.out)"
	exit 0
fi
tp_snapshot
if [ $kind = hibernate ]; then
	mkswap /dev/vda >/dev/null && swapon /dev/vda || {
		tp_end "$name" fail "could not set up swap on /dev/vda"
		exit 0
	}
	echo test_resume >/sys/power/disk
fi

stat() { cat "/sys/power/suspend_stats/$1"; }
up_fails() {
	echo $(($(stat failed_resume) + $(stat failed_resume_early) + $(stat failed_resume_noirq)))
}

# case_run DEVICE PHASE: one case; prints why it failed, nothing if clean.
case_run() {
	echo clear >$inj
	if ! echo "fail $1 $2 -5 1" >$inj 2>/dev/null; then
		echo "refused: $(sed -n 's/^error: //p' $inj)"
		return
	fi
	fail0=$(stat fail)
	up0=$(up_fails)
	if [ $kind = s3 ]; then
		echo deep >/sys/power/mem_sleep
		rtc_wake 3
		echo mem >/sys/power/state 2>/dev/null
	else
		tp_lpc_fixup >/dev/null
		echo disk >/sys/power/state 2>/dev/null
	fi
	rc=$?
	fired=$(sed -n 's/.* fired \([0-9]*\).*/\1/p' $inj)
	echo clear >$inj
	[ "$fired" = 1 ] || { echo "the injection fired ${fired:-?} times"; return; }
	case $2 in
	resume*)
		[ $rc = 0 ] || { echo "the transition failed; a resume error must not fail it"; return; }
		[ "$(up_fails)" -gt "$up0" ] ||
			{ echo "suspend_stats counted no resume failure"; return; } ;;
	*)
		[ $rc != 0 ] || { echo "the transition succeeded despite the injected error"; return; }
		# Only suspend (not hibernation) counts failures and errnos.
		if [ $kind = s3 ]; then
			[ "$(stat fail)" -gt "$fail0" ] || { echo "suspend_stats counted no failure"; return; }
			[ "$(stat last_failed_errno)" = -5 ] ||
				{ echo "last_failed_errno is $(stat last_failed_errno)"; return; }
		fi ;;
	esac
	# suspend_stats keeps 39 bytes of a device name.
	[ "$(stat last_failed_dev)" = "$(printf %s "${1##*/}" | cut -c1-39)" ] ||
		{ echo "suspend_stats/last_failed_dev is $(stat last_failed_dev)"; return; }
	[ "$(stat last_failed_step)" = "$2" ] ||
		{ echo "suspend_stats/last_failed_step is $(stat last_failed_step)"; return; }
	left=$(tp_dpm_left)
	[ -z "$left" ] || { echo "devices left behind: $left"; return; }
	sum=$(usbdisk_md5)
	[ "$sum" = "$(cat /tmp/usbdisk.md5)" ] || { echo "the USB disk reads back differently"; return; }
	ls /sys/class/net | cmp -s - /tmp/net.list || { echo "network devices changed"; return; }
	ls /sys/class/input | cmp -s - /tmp/input.list || { echo "input devices changed"; return; }
	net_ok || { echo "the e1000 pair passes no frames: $(cat /tmp/net.out)"; return; }
}

# The cases to run, as "DEVICE-LINE PHASE-NUMBER": all of them, or case k
# of SAMPLE takes device k * ndev / SAMPLE and phase k mod 7, so that the
# sample spreads over the devices and cycles through the phases.
awk -v ndev="$ndev" -v sample="$sample" -v total=$total 'BEGIN {
	if (sample >= total) {
		for (d = 1; d <= ndev; d++)
			for (p = 1; p <= 7; p++)
				print d, p
	} else {
		for (k = 0; k < sample; k++)
			print int(k * ndev / sample) + 1, k % 7 + 1
	}
}' >/tmp/matrix.cases
n=0
bad=0
while read -r d p; do
	dev=$(sed -n "${d}p" /tmp/matrix.devs)
	ph=$(echo $phases | cut -d' ' -f"$p")
	why=$(case_run "$dev" "$ph")
	n=$((n + 1))
	if [ -z "$why" ]; then
		echo "@@MATRIX $kind $ph $dev ok"
	else
		bad=$((bad + 1))
		echo "@@MATRIX $kind $ph $dev FAIL $why"
	fi
	[ $((n % 25)) = 0 ] && echo "@@TP NOTE $name: $n of $sample cases, $bad failed"
done </tmp/matrix.cases
[ $kind = hibernate ] && swapoff /dev/vda
if [ $bad = 0 ]; then
	tp_end "$name" ok "$n cases tried, $n clean"
else
	tp_end "$name" fail "$n cases tried, $((n - bad)) clean, $bad failed (@@MATRIX lines)"
fi
