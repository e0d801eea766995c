#!/bin/sh
# vm.py with a hung guest and with a crashed QEMU.  A guest that prints
# nothing for --idle seconds (tests/scenarios/stall.sh) must fail the run
# as a hang, with every vCPU's registers and RIP symbol in the log, then
# the guest kernel's own report, which an NMI asks for (unknown_nmi_panic,
# panic_print: held locks, blocked tasks), and QEMU must be gone.  A guest
# in S3 that never wakes is a hang too, but gets no NMI.  A QEMU
# killed by SIGSEGV must fail the run naming the signal.  One result line
# per check in build/hang/results.txt.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
out="$BUILD/hang"
rm -rf "$out"
mkdir -p "$out"
res="$out/results.txt"
: >"$res"
# The VMs' directories are siblings of the other runs' (build/vm-check,
# ...) so that vm.py finds their cached KVM probe in build/accel.
hang="$BUILD/hang-vm"
s3="$BUILD/hang-s3-vm"
crash="$BUILD/crash-vm"
rm -rf "$hang" "$s3" "$crash"

# vm DIR IDLE [PLAN]: vm.py on PLAN (stall:600), its output in DIR.log.
vm() {
	python3 "$TOP/scripts/vm.py" --name "$(basename "$1")" \
		--kernel "$BUILD/vm/arch/x86/boot/bzImage" --initrd "$BUILD/initramfs.cpio.gz" \
		--plan "${3:-stall:600}" --out "$1" --accel "${ACCEL:-auto}" --idle "$2" \
		--timeout 300 >"$1.log" 2>&1
}

# result NAME RC [WHERE]: one pass or fail line; a failure says where to look.
result() {
	if [ "$2" = 0 ]; then
		echo "pass $1" >>"$res"
	else
		echo "fail $1 (see ${3:-$out})" >>"$res"
	fi
}

# check DIR NAME ERE: DIR's console log must have a line matching ERE.
check() {
	grep -qaE -- "$3" "$1/console.log" 2>/dev/null
	result "$2" $? "$1/console.log: no line matching '$3'"
}

# stalled DIR NAME WORD [SCENARIO]: SCENARIO (stall:600) failed, WORD in
# its reason.
stalled() {
	python3 -c 'import json, sys
r = [c for c in json.load(open(sys.argv[1])) if c["name"] == sys.argv[3]]
sys.exit(not (r and r[0]["status"] == "fail" and sys.argv[2] in r[0]["detail"]))' \
		"$1/results.json" "$3" "${4:-stall:600}" 2>/dev/null
	result "$2" $? "$1/results.json"
}

echo "twophase: hang: a guest silent for 20 s (about 40 s; log $hang/console.log)" >&2
rc=0
vm "$hang" 20 || rc=$?
[ "$rc" != 0 ]
result "hang: vm.py exits non-zero" $? "$hang.log"
check "$hang" "hang: named as a hang" '^@@HOST boot 1 ended after .*, hang: no console output for 20s$'
check "$hang" "hang: every vCPU's RIP symbol" \
	'^@@HOST hang: vCPU 1 RIP [0-9a-f]{16} [A-Za-z_][A-Za-z0-9_.]*\+0x'
check "$hang" "hang: NMI panic" 'Kernel panic - not syncing: NMI: Not continuing'
check "$hang" "hang: held locks" 'Showing all locks held in the system'
check "$hang" "hang: report ends" '^@@HOST hang: [1-9][0-9]* console lines after the NMI$'
stalled "$hang" "hang: the stalled scenario fails" hang

echo "twophase: hang: a guest in S3 that never wakes (about 30 s; log $s3/console.log)" >&2
rc=0
vm "$s3" 20 stall:s3 || rc=$?
[ "$rc" != 0 ]
result "s3: vm.py exits non-zero" $? "$s3.log"
check "$s3" "s3: named as a hang" '^@@HOST boot 1 ended after .*, hang: no console output for 20s$'
check "$s3" "s3: no NMI to a suspended guest" "^@@HOST hang: no NMI sent, QEMU says 'VM status: paused \\(suspended\\)'$"
stalled "$s3" "s3: the scenario fails" hang stall:s3

echo "twophase: hang: QEMU killed by SIGSEGV (about 15 s; log $crash/console.log)" >&2
# No core file of QEMU's 512 MB in the working directory.
(ulimit -c 0; vm "$crash" 200) &
pid=$!
i=0
until grep -qa '^@@TP BEGIN stall:600' "$crash/console.log" 2>/dev/null; do
	kill -0 $pid 2>/dev/null && [ $i -lt 240 ] || break
	sleep 1
	i=$((i + 1))
done
pkill -SEGV -f -- "-monitor unix:$crash/monitor.sock"
result "crash: a QEMU in stall:600 to kill" $? "$crash.log"
rc=0
wait $pid || rc=$?
[ "$rc" != 0 ]
result "crash: vm.py exits non-zero" $? "$crash.log"
check "$crash" "crash: the signal is named" '^@@HOST boot 1 ended after .*, qemu exit -11, QEMU itself died of SIGSEGV$'
stalled "$crash" "crash: the running scenario fails" SIGSEGV

sed 's/^/twophase: /' "$res" >&2
echo "twophase: hang: $(grep -c '^pass' "$res") passed, $(grep -c '^fail' "$res") failed; logs in $hang, $s3, $crash" >&2
! grep -q '^fail' "$res"
