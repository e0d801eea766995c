#!/usr/bin/env python3
"""Draw the per-device suspend/resume timeline of a VM run as SVG.

Reads the "@@TL KIND SECONDS start|end|phase ..." lines that
tests/scenarios/timeline.sh prints from the device_pm_callback_start/end
and suspend_resume tracepoints, and writes OUTDIR/timeline-KIND.svg for
each traced transition: one row per device, one bar per callback coloured
by phase, the suspend half on the left and the resume half on the right,
each on its own time scale (the time asleep is left out).  Hovering over a
bar shows the device, driver, callback, start and duration.

usage: timeline.py CONSOLE_LOG OUTDIR
"""
import html
import os
import re
import sys

PHASES = ["prepare", "suspend", "suspend_late", "suspend_noirq",
          "resume_noirq", "resume_early", "resume", "complete"]
COLOURS = {
    "prepare": "#b0c4de", "suspend": "#3a7bd5", "suspend_late": "#1b4f9c",
    "suspend_noirq": "#0b2a5b", "resume_noirq": "#7a1f1f",
    "resume_early": "#c0392b", "resume": "#e67e22", "complete": "#f5c28b",
}
DOWN = {"suspend", "freeze", "hibernate", "quiesce"}

# "start DRIVER DEVICE, OPS[EVENT]" and "end DRIVER DEVICE, err=N": a
# driver name may hold spaces ("i8042 kbd"), a device name does not.
START_RE = re.compile(r"^@@TL (\S+) ([\d.]+) start (.*) (\S+), (.*)\[(\w+)\]\s*$")
END_RE = re.compile(r"^@@TL (\S+) ([\d.]+) end (.*) (\S+), err=(-?\d+)\s*$")
PHASE_RE = re.compile(r"^@@TL (\S+) ([\d.]+) phase (\w+)\[\d+\] (begin|end)\s*$")

ROW = 11
LABEL = 300
PANEL = 560
GAP = 30
TOP = 96


def phase_of(ops, event):
    down = event in DOWN
    ops = ops.strip()
    if not ops:
        return "prepare" if down else "complete"
    if ops.startswith("late"):
        return "suspend_late"
    if ops.startswith("early"):
        return "resume_early"
    if ops.startswith("noirq"):
        return "suspend_noirq" if down else "resume_noirq"
    return "suspend" if down else "resume"


def parse(path):
    runs = {}
    version = ""
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("@@TP BOOT ") and len(line.split()) > 2:
                version = line.split()[2]
            if not line.startswith("@@TL ") or len(line.split()) < 2:
                continue
            kind = line.split()[1]
            run = runs.setdefault(kind, {"open": {}, "bars": [], "marks": [], "unpaired": 0})
            m = START_RE.match(line)
            if m:
                _, t, drv, dev, ops, event = m.groups()
                # Device names repeat across buses and classes (a SCSI
                # host is a bus and a class device): pair on both.
                if (drv, dev) in run["open"]:
                    run["unpaired"] += 1
                run["open"][(drv, dev)] = (float(t), ops.strip(), event)
                continue
            m = END_RE.match(line)
            if m:
                _, t, drv, dev, err = m.groups()
                if (drv, dev) not in run["open"]:
                    run["unpaired"] += 1
                    continue
                t0, ops, event = run["open"].pop((drv, dev))
                run["bars"].append({"dev": dev, "drv": drv, "t0": t0, "t1": float(t),
                                    "ops": ops, "event": event, "err": int(err),
                                    "phase": phase_of(ops, event)})
                continue
            m = PHASE_RE.match(line)
            if m:
                _, t, what, edge = m.groups()
                run["marks"].append((float(t), what, edge))
    for run in runs.values():
        run["unpaired"] += len(run["open"])
    return runs, version


def spans(marks, names):
    """(name, begin, end) of each dpm_* phase the suspend_resume events bracket."""
    out, begun = [], {}
    for t, what, edge in marks:
        if what not in names:
            continue
        if edge == "begin":
            begun[what] = t
        elif what in begun:
            out.append((what, begun.pop(what), t))
    return out


def ticks(span_ms):
    step = 1
    for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        step = s
        if span_ms / s <= 8:
            break
    return step


def draw(kind, run, version):
    bars = run["bars"]
    sleep = [t for t, what, edge in run["marks"] if what == "machine_suspend"]
    if len(sleep) >= 2:
        split0, split1 = sleep[0], sleep[-1]
    else:
        ups = [b["t0"] for b in bars if b["phase"] in PHASES[4:]]
        split0 = split1 = min(ups) if ups else max(b["t1"] for b in bars)
    halves = [[b for b in bars if b["t0"] < split0], [b for b in bars if b["t0"] >= split1]]

    order = {}
    for b in sorted(halves[0], key=lambda b: b["t0"]) + sorted(halves[1], key=lambda b: b["t0"]):
        order.setdefault((b["dev"], b["drv"]), len(order))
    rows = sorted(order, key=order.get)

    names = ["dpm_prepare", "dpm_suspend", "dpm_suspend_late", "dpm_suspend_noirq",
             "dpm_resume_noirq", "dpm_resume_early", "dpm_resume", "dpm_complete"]
    bands = spans(run["marks"], names)
    panels = []
    for i, half in enumerate(halves):
        if not half:
            panels.append(None)
            continue
        t0 = min(b["t0"] for b in half)
        t1 = max(b["t1"] for b in half)
        for name, b0, b1 in bands:
            if (b0 < split0) == (i == 0):
                t0, t1 = min(t0, b0), max(t1, b1)
        panels.append((t0, max(t1, t0 + 1e-6)))

    width = LABEL + 2 * PANEL + GAP + 20
    height = TOP + ROW * len(rows) + 40
    out = []
    w = out.append
    w(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
      f'font-family="sans-serif" font-size="9">')
    w(f'<rect width="{width}" height="{height}" fill="white"/>')
    ncb = len(bars)
    durs = []
    for p in panels:
        durs.append("-" if p is None else f"{(p[1] - p[0]) * 1000:.1f} ms")
    title = (f"{kind} timeline, Linux {version}: {len(rows)} devices, {ncb} callbacks; "
             f"suspend {durs[0]}, resume {durs[1]}")
    w(f'<text x="10" y="18" font-size="14" font-weight="bold">{html.escape(title)}</text>')
    # Legend.
    x = 10
    for ph in PHASES:
        w(f'<rect x="{x}" y="28" width="12" height="10" fill="{COLOURS[ph]}"/>')
        w(f'<text x="{x + 16}" y="37">{ph}</text>')
        x += 16 + 7 * len(ph) + 14
    if run["unpaired"]:
        w(f'<text x="{x}" y="37" fill="red">{run["unpaired"]} unpaired events left out</text>')

    for i, p in enumerate(panels):
        x0 = LABEL + i * (PANEL + GAP)
        label = "suspend" if i == 0 else "resume"
        w(f'<text x="{x0}" y="56" font-size="11" font-weight="bold">{label}</text>')
        if p is None:
            w(f'<text x="{x0}" y="{TOP + 10}">no callbacks</text>')
            continue
        t0, t1 = p
        scale = PANEL / (t1 - t0)
        for name, b0, b1 in bands:
            if (b0 < split0) != (i == 0):
                continue
            bx, bw = x0 + (b0 - t0) * scale, max((b1 - b0) * scale, 1)
            w(f'<rect x="{bx:.1f}" y="{TOP - 24}" width="{bw:.1f}" height="{ROW * len(rows) + 24}" '
              f'fill="#f2f2f2" stroke="#ccc" stroke-width="0.5">'
              f'<title>{name}: {(b1 - b0) * 1000:.3f} ms</title></rect>')
            w(f'<text x="{bx + 2:.1f}" y="{TOP - 14}" font-size="8">{name[4:]}</text>')
        span_ms = (t1 - t0) * 1000
        step = ticks(span_ms)
        v = 0
        while v <= span_ms:
            tx = x0 + v / 1000 * scale
            w(f'<line x1="{tx:.1f}" y1="{TOP - 4}" x2="{tx:.1f}" y2="{TOP + ROW * len(rows)}" '
              f'stroke="#ddd" stroke-width="0.5"/>')
            w(f'<text x="{tx:.1f}" y="{TOP - 28}" text-anchor="middle" font-size="8">{v} ms</text>')
            v += step
        for b in sorted(halves[i], key=lambda b: b["t0"]):
            y = TOP + order[(b["dev"], b["drv"])] * ROW
            bx = x0 + (b["t0"] - t0) * scale
            bw = max((b["t1"] - b["t0"]) * scale, 1.0)
            tip = (f'{b["dev"]} ({b["drv"] or "no driver"}): {b["phase"]} '
                   f'{b["ops"] or ""}[{b["event"]}] at +{(b["t0"] - t0) * 1000:.3f} ms, '
                   f'{(b["t1"] - b["t0"]) * 1000:.3f} ms' + (f', error {b["err"]}' if b["err"] else ""))
            stroke = ' stroke="red" stroke-width="1"' if b["err"] else ""
            w(f'<rect x="{bx:.2f}" y="{y + 1}" width="{bw:.2f}" height="{ROW - 2}" '
              f'fill="{COLOURS[b["phase"]]}"{stroke}><title>{html.escape(tip)}</title></rect>')
    for dev, drv in rows:
        idx = order[(dev, drv)]
        y = TOP + idx * ROW
        if idx % 2:
            w(f'<rect x="0" y="{y}" width="{LABEL - 4}" height="{ROW}" fill="#f7f7f7"/>')
        name = dev if len(dev) <= 40 else dev[:37] + "..."
        w(f'<text x="{LABEL - 6}" y="{y + ROW - 2}" text-anchor="end">{html.escape(name)}'
          f'<tspan fill="#888" dx="4">{html.escape(drv)}</tspan></text>')
    w("</svg>")
    return "\n".join(out) + "\n", len(rows), ncb


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: timeline.py CONSOLE_LOG OUTDIR")
    log, outdir = sys.argv[1], sys.argv[2]
    if not os.path.isfile(log):
        sys.exit(f"timeline.py: error: {log} does not exist")
    runs, version = parse(log)
    runs = {k: r for k, r in runs.items() if r["bars"]}
    if not runs:
        sys.exit(f"timeline.py: error: no @@TL callback events in {log} "
                 "(was a timeline scenario in the plan, and did it pass?)")
    os.makedirs(outdir, exist_ok=True)
    for kind, run in sorted(runs.items()):
        svg, ndev, ncb = draw(kind, run, version)
        path = os.path.join(outdir, f"timeline-{kind}.svg")
        with open(path, "w", encoding="utf-8") as f:
            f.write(svg)
        print(f"timeline: {kind}: {ndev} devices, {ncb} callbacks -> {path}")


if __name__ == "__main__":
    main()
