#!/usr/bin/env python3
"""make bench: the USB host controllers in hibernation, stock vs patched.

usage: benchusb.py OUT

OUT/usb-stock/console.log and OUT/usb-patched/console.log hold the console
of the same plan on each kernel: benchusb (pm_print_times on, the devices
below the xHCI and the EHCI listed as "@@BENCH USBDEV NAME"), then
hibernations to the virtio swap disk, each restored by a second boot.

For every hibernation, the time of every device callback the kernel logged
("NAME: PM: CALLBACK returned 0 after N usecs") is given to the phase whose
"PM: PHASE of devices complete after" line follows it.  The ->prepare()
callbacks have no line of their own and count in freeze; the ->complete()
callbacks after thaw and after restore are left out.  Entry is freeze, late freeze and
noirq freeze, then noirq thaw, early thaw and thaw, around the snapshot;
restore is noirq restore, early restore and restore, in the restored
kernel.  For each kernel, take the median over the hibernations of each
phase's time (as the kernel printed it), of the sum of the callback times
of the USB devices in each phase, and of each USB device's entry and
restore time (a device being labelled by the USB device it belongs to, as
bus numbers change from boot to boot); write OUT/usb.md and OUT/usb.json.  Exits non-zero when a run
is missing or has fewer than 3 complete hibernations.
"""
import json
import os
import re
import statistics
import sys

ENTRY = ["freeze", "late freeze", "noirq freeze", "noirq thaw", "early thaw", "thaw"]
RESTORE = ["noirq restore", "early restore", "restore"]
PHASES = ENTRY + RESTORE
# "DRIVER DEVICE: PM: CALLBACK returned 0 after N usecs" (pm_print_times;
# the callback is an address without CONFIG_KALLSYMS).
CB_RE = re.compile(r"^\[\s*[0-9.]+\] .*?(\S+): (?:PM: )?(\S+) returned (-?\d+) after (\d+) usecs$")
PHASE_RE = re.compile(r"PM: (.+?) of devices (complete|aborted) after ([0-9.]+) msecs")
DEV_RE = re.compile(r"^@@BENCH USBDEV (\S+) (.+)$")


def parse(path):
    """Return ({usb device name: label}, [cycle]), a cycle being
    {"phase": {phase: ms}, "usb": {phase: ms}, "dev": {label: {"entry": ms, "restore": ms}},
    "status": status of its hibernate scenario}."""
    devs, cycles = {}, []
    ndev = 0
    cur, pending = None, []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            m = DEV_RE.match(line)
            if m:
                # Endpoint devices (ep_00, ...) share names, but have no
                # PM callbacks.
                devs[m.group(1)] = m.group(2)
                ndev += 1
                continue
            if line.startswith("@@TP BEGIN hibernate"):
                cur = {"phase": {}, "usb": {}, "dev": {}, "status": None}
                cycles.append(cur)
                pending = []
                continue
            if line.startswith("@@HOST boot"):
                pending = []
                continue
            if line.startswith("@@TP END hibernate") and cur is not None:
                cur["status"] = line.split()[3] if len(line.split()) > 3 else "fail"
                continue
            if cur is None:
                continue
            m = CB_RE.match(line)
            if m:
                pending.append((m.group(1), int(m.group(4))))
                continue
            m = PHASE_RE.search(line)
            if m:
                ph = m.group(1)
                if ph in PHASES and m.group(2) == "complete":
                    cur["phase"][ph] = float(m.group(3))
                    usb = [(n, u) for n, u in pending if n in devs]
                    cur["usb"][ph] = sum(u for _, u in usb) / 1000.0
                    part = "entry" if ph in ENTRY else "restore"
                    for n, u in usb:
                        d = cur["dev"].setdefault(devs[n], {"entry": 0.0, "restore": 0.0})
                        d[part] += u / 1000.0
                pending = []
    return devs, ndev, cycles


def med(xs):
    return statistics.median(xs) if xs else None


def fmt(x):
    return "-" if x is None else f"{x:.1f}"


def ratio(a, b):
    return "-" if a is None or b is None or b <= 0 else f"{a / b:.1f}x"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.split("\n\n")[1])
    out = sys.argv[1]
    runs, problems = {}, []
    for k in ("stock", "patched"):
        path = os.path.join(out, f"usb-{k}", "console.log")
        if not os.path.isfile(path):
            problems.append(f"{path}: missing")
            continue
        devs, ndev, cycles = parse(path)
        good = [c for c in cycles if c["status"] == "ok" and all(p in c["phase"] for p in PHASES)]
        if not devs:
            problems.append(f"{path}: no @@BENCH USBDEV line (the benchusb scenario did not run)")
        if good and not any(c["dev"] for c in good):
            problems.append(f"{path}: no callback time of a USB device in any hibernation "
                            "(pm_print_times lines not found or not matched)")
        if len(good) < 3:
            problems.append(f"{path}: {len(good)} complete hibernations of {len(cycles)}, need 3")
        runs[k] = (devs, ndev, good)
    res = {}
    for k, (devs, ndev, good) in runs.items():
        r = {"cycles": len(good), "usb_devices": ndev, "phase": {}, "usb": {}, "dev": {}}
        for ph in PHASES:
            r["phase"][ph] = med([c["phase"][ph] for c in good])
            r["usb"][ph] = med([c["usb"].get(ph, 0.0) for c in good])
        for part, phs in (("entry", ENTRY), ("restore_total", RESTORE)):
            r["phase"][part] = med([sum(c["phase"][p] for p in phs) for c in good])
            r["usb"][part] = med([sum(c["usb"].get(p, 0.0) for p in phs) for c in good])
        for n in sorted(set(devs.values())):
            r["dev"][n] = {part: med([c["dev"].get(n, {}).get(part, 0.0) for c in good])
                           for part in ("entry", "restore")}
        res[k] = r
    with open(os.path.join(out, "usb.json"), "w", encoding="utf-8") as f:
        json.dump({"runs": res, "problems": problems}, f, indent=1)

    s, p = res.get("stock"), res.get("patched")
    lines = ["# USB host controllers in hibernation: stock 6.12 vs patched", ""]
    if s and p:
        lines += [f"Medians over {s['cycles']} (stock) and {p['cycles']} (patched) hibernations, "
                  f"in ms. \"USB\" is the sum of the callback times of the "
                  f"{p['usb_devices']} devices below the xHCI and the EHCI; \"all\" is the "
                  "phase's time as the kernel printed it.", "",
                  "| phase | stock USB | patched USB | stock/patched | stock all | patched all |",
                  "|---|---|---|---|---|---|"]
        for ph in ENTRY + ["entry"] + RESTORE + ["restore_total"]:
            bold = "**" if ph in ("entry", "restore_total") else ""
            label = {"freeze": "freeze (and prepare)", "entry": "freeze + thaw",
                     "restore_total": "restore (3 phases)"}.get(ph, ph)
            lines.append(f"| {bold}{label}{bold} | {fmt(s['usb'][ph])} | {fmt(p['usb'][ph])} | "
                         f"{ratio(s['usb'][ph], p['usb'][ph])} | {fmt(s['phase'][ph])} | "
                         f"{fmt(p['phase'][ph])} |")
        lines += ["", "Per USB device, with its interfaces and the devices below them "
                  "(SCSI, block, input), in ms; under 0.5 ms in both kernels left out:", "",
                  "| device | stock freeze+thaw | patched freeze+thaw | stock restore | patched restore |",
                  "|---|---|---|---|---|"]
        for n in sorted(set(s["dev"]) | set(p["dev"])):
            a, b = s["dev"].get(n, {}), p["dev"].get(n, {})
            vals = [a.get("entry"), b.get("entry"), a.get("restore"), b.get("restore")]
            if max(v or 0 for v in vals) < 0.5:
                continue
            lines.append(f"| {n} | " + " | ".join(fmt(v) for v in vals) + " |")
    for pr in problems:
        lines.append(f"\nproblem: {pr}")
    with open(os.path.join(out, "usb.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nbenchusb: tables in {os.path.join(out, 'usb.md')}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
