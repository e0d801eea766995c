#!/bin/sh
# make matrix: the fault-injection matrix (tests/scenarios/matrix.sh) of
# every kind in MATRIX_KINDS, each split into MATRIX_PARTS parts that run
# side by side, one VM each.  A case spends most of its time waiting for
# the e1000 link and the RTC alarm, not computing, so parts in parallel
# shorten the run even on 2 cores.
#
# usage: matrix.sh KERNEL INITRD OUTDIR ACCEL
# env:   MATRIX_KINDS (s3 hibernate), MATRIX_PARTS (2),
#        MATRIX_SAMPLE (empty: every case; N: a sample of N failure cases)
set -u
[ $# = 4 ] || { echo "usage: matrix.sh KERNEL INITRD OUTDIR ACCEL" >&2; exit 2; }
kernel=$1 initrd=$2 out=$3 accel=$4
here=$(cd "$(dirname "$0")" && pwd)
kinds=${MATRIX_KINDS:-s3 hibernate}
parts=${MATRIX_PARTS:-2}
sample=${MATRIX_SAMPLE:-}

die() { echo "matrix: error: $*" >&2; exit 2; }
case $parts in '' | *[!0-9]* | 0*) die "MATRIX_PARTS=$parts is not a positive number" ;; esac
[ "$parts" -le 8 ] || die "MATRIX_PARTS=$parts: at most 8 VMs per transition"
case $sample in *[!0-9]* | 0*) die "MATRIX_SAMPLE=$sample is not a positive number" ;; esac
for k in $kinds; do
	case $k in s3 | hibernate) ;; *) die "unknown kind '$k' in MATRIX_KINDS (s3, hibernate)" ;; esac
done

mkdir -p "$out"
start=$(date +%s)
runs=
# Stopping make matrix stops every part (vm.py stops its QEMU).
trap 'for r in $runs; do kill "$(cat "$out/$r.pid")" 2>/dev/null; done; exit 130' INT TERM
for k in $kinds; do
	p=1
	while [ $p -le "$parts" ]; do
		run=$k-$p
		plan=matrix:$k${sample:+:$sample}:$p/$parts
		rm -rf "${out:?}/$run"
		mkdir -p "$out/$run"
		python3 "$here/vm.py" --name "matrix-$run" --kernel "$kernel" --initrd "$initrd" \
			--plan "$plan" --out "$out/$run" --accel "$accel" \
			--timeout 172800 --idle 900 >"$out/$run.log" 2>&1 &
		echo $! >"$out/$run.pid"
		echo "matrix: started $plan (log $out/$run.log)"
		# vm.py caches its KVM probe in $out/accel: let the first part
		# write it before the others start (up to 60 s).
		t=0
		while [ "$accel" = auto ] && [ ! -s "$out/accel" ] && [ $t -lt 60 ]; do
			sleep 1
			t=$((t + 1))
		done
		runs="$runs $run"
		p=$((p + 1))
	done
done

# Progress every minute: the cases each part has reported so far.
progress() {
	line=
	for r in $runs; do
		c=$(grep -c '^@@MATRIX ' "$out/$r/console.log" 2>/dev/null)
		f=$(grep -c '^@@MATRIX .* FAIL ' "$out/$r/console.log" 2>/dev/null)
		line="$line $r ${c:-0}/${f:-0}"
	done
	echo "matrix: $((($(date +%s) - start) / 60)) min; cases/failed:$line"
}
while :; do
	alive=0
	for r in $runs; do
		kill -0 "$(cat "$out/$r.pid")" 2>/dev/null && alive=$((alive + 1))
	done
	[ $alive = 0 ] && break
	sleep 60 &
	wait $! 2>/dev/null
	progress
done
rc=0
for r in $runs; do
	wait "$(cat "$out/$r.pid")" 2>/dev/null || rc=1
done

python3 - "$out" $runs <<'EOF' || rc=1
import json, os, sys
out, runs = sys.argv[1], sys.argv[2:]
tried = clean = skipped = 0
bad = []
for r in runs:
    path = os.path.join(out, r, "results.json")
    try:
        results = json.load(open(path, encoding="utf-8"))
    except (OSError, ValueError) as e:
        bad.append(f"{r}: no results ({e})")
        continue
    for res in results:
        if res["name"].startswith("matrix: ") and res["status"] == "skip":
            skipped += 1
        elif res["name"].startswith("matrix: "):
            tried += 1
            clean += res["status"] == "pass"
            if res["status"] != "pass":
                bad.append(f"{r}: {res['name'][8:]}: {res.get('detail', '')}")
        elif res["status"] == "fail":
            bad.append(f"{r}: {res['name']}: {res.get('detail', '')}")
print(f"matrix: {tried} cases tried, {clean} clean, {tried - clean} failed, "
      f"{skipped} skipped (devices gone since a USB recovery)")
for b in bad:
    print("  FAIL " + b)
sys.exit(1 if bad or not tried else 0)
EOF
echo "matrix: $((($(date +%s) - start) / 60)) min; logs: $out/KIND-PART/console.log, results.json"
exit $rc
