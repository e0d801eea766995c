# matrix:KIND[:SAMPLE][:PART/PARTS]: the fault-injection matrix of one
# transition KIND (s3 or hibernate): every device × every phase, a device's
# step made to fail with -EIO through /sys/kernel/debug/pm_sleep/inject, one
# transition per case, then a wakeup event raised in each suspend phase.
# SAMPLE runs that many failure cases spread evenly over the matrix instead
# of all of them (make check runs a sample, make matrix all).  PART/PARTS
# runs every PARTS-th case from the PART-th, so that make matrix can split
# the matrix over several VMs; the wakeup cases run in part 1.
#
# Hibernation uses /sys/power/disk=test_resume: the image is written to the
# swap disk and restored at once, in the same boot.
#
# After each case: the transition failed (suspend phases) or completed
# with the error recorded (resume phases); every device is back in
# dpm_active; the USB disk reads back the same, network and input devices
# are all there, and the e1000 pair passes frames.  scripts/vm.py fails
# the scenario on any lockdep report, WARN or BUG on the console.
# One "@@MATRIX KIND PHASE DEVICE ok|FAIL detail" line per case; the
# wakeup cases say "wakeup:PHASE".
kind=${1%%:*}
name="matrix:$1"
sample=
part=1
parts=1
inj=/sys/kernel/debug/pm_sleep/inject
phases="prepare suspend suspend_late suspend_noirq resume_noirq resume_early resume"
tp_begin "$name"
case $kind in
s3 | hibernate) ;;
*) tp_end "$name" fail "unknown transition '$kind' (s3, hibernate)"; exit 0 ;;
esac
for arg in $(echo "${1#"$kind"}" | tr : ' '); do
	case $arg in
	*[!0-9/]* | /* | */ | */*/* | 0* | */0*) badarg=$arg ;;
	*/*) part=${arg%/*} parts=${arg#*/} ;;
	*) sample=$arg ;;
	esac
	if [ -n "${badarg:-}" ] || [ "$part" -gt "$parts" ]; then
		tp_end "$name" fail "bad argument '$arg': SAMPLE or PART/PARTS, 1 <= PART <= PARTS"
		exit 0
	fi
done
if [ ! -w $inj ]; then
	tp_end "$name" fail "no $inj (CONFIG_PM_SLEEP_FAULT_INJECT)"
	exit 0
fi
if [ $kind = hibernate ] && ! in_list test_resume /sys/power/disk; then
	tp_end "$name" fail "no test_resume in /sys/power/disk: $(cat /sys/power/disk)"
	exit 0
fi

# Every device the PM core knows: every device directory in sysfs with a
# power/ directory.  device_set_pm_not_required() devices (CPU caches,
# some class devices) have none, are on no list and have no step to fail.
# Their number must be what the PM core counts on its lists.
find /sys/devices -name uevent | sed 's|/uevent$||' | sort |
	while read -r d; do [ -d "$d/power" ] && echo "$d"; done >/tmp/matrix.devs
ndev=$(wc -l </tmp/matrix.devs)
ndpm=$(awk '{ n += $2 } END { print n + 0 }' /sys/kernel/debug/pm_sleep/lists)
if [ "$ndev" != "$ndpm" ]; then
	tp_end "$name" fail "$ndev device directories with power/ in sysfs, $ndpm devices on the PM core's lists"
	exit 0
fi
total=$((ndev * 7))
[ -n "$sample" ] && [ "$sample" -lt $total ] || sample=$total

ip link set eth0 up
ip link set eth1 up
# net_ok: within 10 s both links are up, and frames sent from eth0 for
# 0.3 s reach eth1 (or, on a busy host, for 2 s).
net_ok() {
	tp_links_up 10 || return 1
	for t in 0.3 2; do
		rm -f /tmp/net.stop
		pkttraffic eth0 eth1 /tmp/net.stop >/tmp/net.out 2>&1 &
		sleep $t
		touch /tmp/net.stop
		wait $!
		got=$(sed -n 's/.*received=\([0-9]*\).*/\1/p' /tmp/net.out)
		[ "${got:-0}" -gt 0 ] && return 0
	done
	return 1
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

# Every case writes a mark to /dev/kmsg: do not rate-limit them.
echo on >/proc/sys/kernel/printk_devkmsg
stat() { cat "/sys/power/suspend_stats/$1"; }
up_fails() {
	echo $(($(stat failed_resume) + $(stat failed_resume_early) + $(stat failed_resume_noirq)))
}

# usbdisk_read SECONDS: "same" if the USB disk reads back what it held
# before the first case, "stalled" if the read did not end in SECONDS
# (it goes on in the background), anything else if it differs.
# Each read has files of its own, so that a stalled one that ends later
# cannot stand in for a newer one.
usbdisk_read() {
	rd=$(($(cat /tmp/md5.seq 2>/dev/null || echo 0) + 1))
	echo $rd >/tmp/md5.seq
	(usbdisk_md5 >/tmp/md5.$rd.tmp && mv /tmp/md5.$rd.tmp /tmp/md5.$rd) >/dev/null 2>&1 &
	i=0
	while [ ! -e /tmp/md5.$rd ]; do
		i=$((i + 1))
		[ $i -gt $(($1 * 10)) ] && { echo stalled; return; }
		sleep 0.1
	done
	cmp -s /tmp/md5.$rd /tmp/usbdisk.md5 && echo same || echo differs
	rm -f /tmp/md5.$rd
}

# usb_recover: after a case that left the USB disk or keyboard broken, bind
# the xHCI driver again, so that the next case starts from working USB and
# its result is its own.  The disk must come back with the same contents.
# The keyboard's input device comes back under a new number.
usb_recover() {
	drv=/sys/bus/pci/drivers/xhci_hcd
	for d in $drv/0000:*; do
		[ -e "$d" ] || continue
		echo "${d##*/}" >$drv/unbind
		echo "${d##*/}" >$drv/bind
	done
	i=0
	until usb_disk data >/dev/null && [ "$(usbdisk_read 20)" = same ] &&
	      [ "$(ls /sys/class/input | wc -l)" = "$(wc -l </tmp/input.list)" ]; do
		i=$((i + 1))
		[ $i -gt 15 ] && return 1
		sleep 2
	done
	ls /sys/class/input >/tmp/input.list
	recovered=yes
}

# case_run ACTION DEVICE PHASE: one case, "fail DEVICE PHASE -5" or
# "wakeup DEVICE PHASE" written to $inj, then one transition; prints why
# the case failed, nothing if it was clean.
case_run() {
	echo clear >$inj
	if ! echo "$1 $2 $3 $([ $1 = fail ] && echo -5) 1" >$inj 2>/dev/null; then
		echo "refused: $(sed -n 's/^error: //p' $inj)"
		return
	fi
	fail0=$(stat fail)
	up0=$(up_fails)
	# What in the kernel log since $mark says the machine slept (a
	# hibernation: that the snapshot was taken; the log after the restore
	# is the one the snapshot holds).
	mark="tp: matrix $kind case $n $(cut -d' ' -f1 /proc/uptime)"
	echo "$mark" >/dev/kmsg
	if [ $kind = s3 ]; then
		slept="ACPI: PM: Low-level resume complete"
		echo deep >/sys/power/mem_sleep
		rtc_wake 3
		echo mem >/sys/power/state 2>/tmp/matrix.err
	else
		slept="PM: hibernation: Creating image"
		tp_lpc_fixup >/dev/null
		echo disk >/sys/power/state 2>/tmp/matrix.err
	fi
	rc=$?
	echo 0 >/sys/class/rtc/rtc0/wakealarm
	dmesg | grep -qF "$mark" || { echo "the case's mark is not in the kernel log"; return; }
	dmesg | sed -n "/$mark\$/,\$p" | grep -q "$slept" && slept=yes || slept=no
	fired=$(sed -n 's/.* fired \([0-9]*\).*/\1/p' $inj)
	echo clear >$inj
	[ "$fired" = 1 ] || { echo "the injection fired ${fired:-?} times"; return; }
	# What the case expects: the errno (0 for none), whether the machine
	# sleeps, the step and device suspend_stats record ("" for none, "-"
	# for any device).
	case $1:$3 in
	fail:resume*) want=0 sleep=yes step=$3 dev=${2##*/} ;;
	fail:*) want=-5 sleep=no step=$3 dev=${2##*/} ;;
	# A wakeup raised in prepare is seen by the suspend phase.
	wakeup:prepare) want=-16 sleep=no step=suspend dev=- ;;
	# One raised in suspend_noirq aborts no device phase: taking the
	# second CPU down sees it and fails, with no step recorded.
	wakeup:suspend_noirq) want=-16 sleep=no step= dev= ;;
	wakeup:*) want=-16 sleep=no step=$3 dev=- ;;
	esac
	if [ $want = 0 ]; then
		[ $rc = 0 ] || { echo "the transition failed: $(cat /tmp/matrix.err)"; return; }
	else
		[ $rc != 0 ] || { echo "the transition succeeded despite the injected event"; return; }
	fi
	[ $slept = $sleep ] || { echo "slept: $slept, expected $sleep"; return; }
	if [ $1:${3%%_*} = fail:resume ]; then
		[ "$(up_fails)" -gt "$up0" ] ||
			{ echo "suspend_stats counted no resume failure"; return; }
	fi
	# Only suspend (not hibernation) counts failures and errnos.
	if [ $kind = s3 ] && [ $want != 0 ]; then
		[ "$(stat fail)" -gt "$fail0" ] || { echo "suspend_stats counted no failure"; return; }
		[ "$(stat last_failed_errno)" = $want ] ||
			{ echo "last_failed_errno is $(stat last_failed_errno), not $want"; return; }
	fi
	# suspend_stats keeps 39 bytes of a device name.
	if [ -n "$dev" ] && [ "$dev" != - ]; then
		[ "$(stat last_failed_dev)" = "$(printf %s "$dev" | cut -c1-39)" ] ||
			{ echo "suspend_stats/last_failed_dev is $(stat last_failed_dev)"; return; }
	fi
	if [ -n "$step" ]; then
		[ "$(stat last_failed_step)" = "$step" ] ||
			{ echo "suspend_stats/last_failed_step is $(stat last_failed_step)"; return; }
	fi
	left=$(tp_dpm_left)
	[ -z "$left" ] || { echo "devices left behind: $left"; return; }
	case $(usbdisk_read 10) in
	stalled) echo "USB: reading the disk stalled for 10 s"; return ;;
	same) ;;
	*) echo "USB: the disk reads back differently"; return ;;
	esac
	ls /sys/class/net | cmp -s - /tmp/net.list || { echo "network devices changed"; return; }
	ls /sys/class/input | cmp -s - /tmp/input.list ||
		{ echo "USB: input devices changed: $(ls /sys/class/input | tr '\n' ' ')"; return; }
	net_ok || { echo "the e1000 pair passes no frames: $(cat /tmp/net.out)"; return; }
}

# The cases to run, as "ACTION DEVICE-LINE PHASE-NUMBER": all of them, or
# case k of SAMPLE takes device k * ndev / SAMPLE and phase k mod 7, so
# that the sample spreads over the devices and cycles through the phases;
# then part PART of PARTS of those; then a wakeup event in each suspend
# phase, at whichever device the phase reaches first.
awk -v ndev="$ndev" -v sample="$sample" -v total=$total \
    -v part="$part" -v parts="$parts" 'BEGIN {
	if (sample >= total) {
		for (d = 1; d <= ndev; d++)
			for (p = 1; p <= 7; p++)
				if (i++ % parts == part - 1)
					print "fail", d, p
	} else {
		for (k = 0; k < sample; k++)
			if (k % parts == part - 1)
				print "fail", int(k * ndev / sample) + 1, k % 7 + 1
	}
	if (part == 1)
		for (p = 1; p <= 4; p++)
			print "wakeup", 0, p
}' >/tmp/matrix.cases
todo=$(wc -l </tmp/matrix.cases)
echo "@@TP NOTE $name: $ndev devices x 7 phases = $total failure cases; part $part of $parts: $todo cases with the wakeups"
n=0
bad=0
skipped=0
stopped=no
recovered=no
while read -r act d p; do
	dev='*'
	[ "$d" = 0 ] || dev=$(sed -n "${d}p" /tmp/matrix.devs)
	ph=$(echo $phases | cut -d' ' -f"$p")
	n=$((n + 1))
	what=$ph
	[ $act = fail ] || what=$act:$ph
	# A device usb_recover replaced is not there any more; any other
	# device that went away is a failure.
	if [ "$dev" != '*' ] && [ ! -d "$dev" ]; then
		if [ $recovered = yes ]; then
			echo "@@MATRIX $kind $what $dev skip gone since a USB recovery"
			skipped=$((skipped + 1))
		else
			echo "@@MATRIX $kind $what $dev FAIL the device is gone"
			bad=$((bad + 1))
		fi
		continue
	fi
	why=$(case_run $act "$dev" "$ph")
	if [ -z "$why" ]; then
		echo "@@MATRIX $kind $what $dev ok"
	else
		bad=$((bad + 1))
		echo "@@MATRIX $kind $what $dev FAIL $why"
		# Whatever the case failed on, USB may be broken too.
		usb_ok=no
		case $why in
		USB:*) ;;
		*) [ "$(usbdisk_read 10)" = same ] && ls /sys/class/input | cmp -s - /tmp/input.list &&
			usb_ok=yes ;;
		esac
		if [ $usb_ok = yes ]; then
			:
		elif usb_recover; then
			echo "@@TP NOTE $name: USB recovered after case $n (xhci_hcd bound again)"
		else
			echo "@@TP NOTE $name: USB did not recover after case $n; stopping"
			stopped=yes
			break
		fi
	fi
	[ $((n % 25)) = 0 ] && echo "@@TP NOTE $name: $n of $todo cases, $bad failed"
done </tmp/matrix.cases
[ $kind = hibernate ] && swapoff /dev/vda
tried=$((n - skipped))
if [ $stopped = yes ]; then
	tp_end "$name" fail "stopped after $n of $todo cases: $tried tried, $((tried - bad)) clean, $bad failed, $skipped skipped"
elif [ $bad = 0 ]; then
	tp_end "$name" ok "$tried cases tried, $tried clean, $skipped skipped"
else
	tp_end "$name" fail "$tried cases tried, $((tried - bad)) clean, $bad failed, $skipped skipped (@@MATRIX lines)"
fi
