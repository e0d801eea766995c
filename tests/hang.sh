#!/bin/sh
# vm.py with a hung guest and with a crashed QEMU.  A guest that prints
# nothing for --idle seconds (tests/scenarios/stall.sh) must fail the run
# as a hang, with every vCPU's registers and RIP symbol in the log, then
# the guest kernel's own report, which an NMI asks for (unknown_nmi_panic,
# panic_print: held locks, blocked tasks), and QEMU must be gone.  A QEMU
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
crash="$BUILD/crash-vm"
rm -rf "$hang" "$crash"

# vm DIR IDLE: vm.py on the stall:600 plan, its output in DIR.log.
vm() {
	python3 "$TOP/scripts/vm.py" --name "$(basename "$1")" \
		--kernel "$BUILD/vm/arch/x86/boot/bzImage" --initrd "$BUILD/initramfs.cpio.gz" \
		--plan stall:600 --out "$1" --accel "${ACCEL:-auto}" --idle "$2" \
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

# stalled DIR NAME WORD: the stall:600 scenario failed, WORD in its reason.
stalled() {
	python3 -c 'import json, sys
r = [c for c in json.load(open(sys.argv[1])) if c["name"] == "stall:600"]
sys.exit(not (r and r[0]["status"] == "fail" and sys.argv[2] in r[0]["detail"]))' \
		"$1/results.json" "$3" 2>/dev/null
	result "$2" $? "$1/results.json"
}

echo "twophase: hang: a guest silent for 20 s (about a minute; log $hang/console.log)" >&2
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

echo "twophase: hang: QEMU killed by SIGSEGV (about 30 s; log $crash/console.log)" >&2
vm "$crash" 200 &
pid=$!
i=0
until grep -qa '^@@TP BEGIN stall:600' "$crash/console.log" 2>/dev/null || [ $i -ge 240 ]; do
	sleep 1
	i=$((i + 1))
done
pkill -SEGV -f -- "-monitor unix:$crash/monitor.sock"
rc=0
wait $pid || rc=$?
[ "$rc" != 0 ]
result "crash: vm.py exits non-zero" $? "$crash.log"
check "$crash" "crash: the signal is named" '^@@HOST boot 1 ended after .*, qemu exit -11, QEMU itself died of SIGSEGV$'
stalled "$crash" "crash: the running scenario fails" SIGSEGV

sed 's/^/twophase: /' "$res" >&2
echo "twophase: hang: $(grep -c '^pass' "$res") passed, $(grep -c '^fail' "$res") failed; logs in $hang, $crash" >&2
! grep -q '^fail' "$res"
