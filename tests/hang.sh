#!/bin/sh
# vm.py and a hung guest: a guest that prints nothing for --idle seconds
# (tests/scenarios/stall.sh) must fail the run as a hang, with every
# vCPU's registers and RIP symbol in the log, then the guest kernel's own
# report, which an NMI asks for (unknown_nmi_panic, panic_print: held
# locks, blocked tasks), and QEMU must be gone.  One result line per
# check in build/hang/results.txt.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
out="$BUILD/hang"
rm -rf "$out"
mkdir -p "$out"
res="$out/results.txt"
# The VM's directory is a sibling of the other runs' (build/vm-check, ...)
# so that vm.py finds their cached KVM probe in build/accel.
vm="$BUILD/hang-vm"
rm -rf "$vm"
log="$vm/console.log"
: >"$res"

echo "twophase: hang: a guest silent for 20 s (about a minute; log $log)" >&2
rc=0
python3 "$TOP/scripts/vm.py" --name hang --kernel "$BUILD/vm/arch/x86/boot/bzImage" \
	--initrd "$BUILD/initramfs.cpio.gz" --plan stall:600 --out "$vm" \
	--accel "${ACCEL:-auto}" --idle 20 --timeout 300 >"$out/vm.log" 2>&1 || rc=$?

# check NAME ERE: the console log must have a line matching ERE.
check() {
	if grep -qaE -- "$2" "$log" 2>/dev/null; then
		echo "pass hang: $1" >>"$res"
	else
		echo "fail hang: $1 (no line matching '$2' in $log)" >>"$res"
	fi
}
if [ "$rc" != 0 ]; then
	echo "pass hang: vm.py exits non-zero" >>"$res"
else
	echo "fail hang: vm.py exits non-zero (exit 0; see $out/vm.log)" >>"$res"
fi
check "named as a hang" '^@@HOST boot 1 ended after .*, hang: no console output for 20s$'
check "every vCPU's RIP symbol" '^@@HOST hang: vCPU 1 RIP [0-9a-f]{16} [A-Za-z_][A-Za-z0-9_.]*\+0x'
check "NMI panic" 'Kernel panic - not syncing: NMI: Not continuing'
check "held locks" 'Showing all locks held in the system'
check "report ends" '^@@HOST hang: [1-9][0-9]* console lines after the NMI$'
if python3 -c 'import json, sys
r = [c for c in json.load(open(sys.argv[1])) if c["name"] == "stall:600"]
sys.exit(not (r and r[0]["status"] == "fail" and "hang" in r[0]["detail"]))' \
	"$vm/results.json" 2>/dev/null; then
	echo "pass hang: the stalled scenario fails" >>"$res"
else
	echo "fail hang: the stalled scenario fails (see $vm/results.json)" >>"$res"
fi
sed 's/^/twophase: /' "$res" >&2
! grep -q '^fail' "$res"
