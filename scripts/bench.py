#!/usr/bin/env python3
"""make bench: turn the @@BENCH lines of the bench runs into tables.

usage: bench.py OUT COUNT SHAPE...

OUT/SHAPE-stock-B/console.log and OUT/SHAPE-patched-B/console.log hold the
console of boot B (1, 2, ...) of each kernel with COUNT synthetic devices of
that shape (tests/scenarios/bench.sh); bench.sh alternates the two kernels'
boots.  For every shape, mode (sync, async) and delay, take for each boot
the median over its cycles of each phase's time (its dpm_* begin to end
event), of the device total (the 8 phases) and of the cycle (dpm_prepare
begin to dpm_complete end); then for each kernel the median of those over
the boots and their spread (largest minus smallest).  A value whose spread,
on either kernel, is larger than the difference between the kernels is
marked: the boots do not tell the two apart.  Writes OUT/results.md and
OUT/results.json.  Exits non-zero when a run is missing or incomplete, or a
kernel has fewer than MIN_BOOTS boots.
"""
import glob
import json
import os
import re
import statistics
import sys

PHASES = [("prepare", "dpm_prepare"), ("suspend", "dpm_suspend"),
          ("late", "dpm_suspend_late"), ("noirq", "dpm_suspend_noirq"),
          ("resume_noirq", "dpm_resume_noirq"), ("early", "dpm_resume_early"),
          ("resume", "dpm_resume"), ("complete", "dpm_complete")]
# 6.12 walks prepare and complete one device at a time even with pm_async.
SYNC_ONLY = {"prepare", "complete"}
BENCH_RE = re.compile(r"@@BENCH (\S+) (\d+) (\d+) ([0-9.]+) (dpm_[a-z_]+) (begin|end)$")
DEVS_RE = re.compile(r"test_pm_sleep_devices: (\d+) devices, shape (\S+),")
END_RE = re.compile(r"@@TP END (bench:\S+) (\w+)(.*)$")
MIN_BOOTS = 3
NOISE = "spread > difference"


def depth(shape, count):
    """Longest chain of synthetic devices that must be handled one after
    the other (parent before child, supplier before consumer); the layout
    is tpd_layout() of drivers/base/test/test_pm_sleep_devices.c."""
    d = [0] * count
    for i in range(count):
        p = s = -1
        if shape == "tree":
            p = (i - 1) // 4 if i else -1
        elif shape == "links":
            s = i // 2 if i else -1
        d[i] = 1 + max(d[p] if p >= 0 else 0, d[s] if s >= 0 else 0)
    return max(d) if d else 0


def parse(path, shape, count):
    """Return ({(mode, delay): {metric: [ms per cycle]}}, [problems])."""
    if not os.path.isfile(path):
        return {}, [f"{path}: missing"]
    events = {}
    seen = None
    problems = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = BENCH_RE.search(line)
            if m:
                mode, delay, cyc, ts, ev, edge = m.groups()
                key = (mode, int(delay))
                events.setdefault(key, {}).setdefault(int(cyc), {})[(ev, edge)] = float(ts)
                continue
            m = DEVS_RE.search(line)
            if m:
                seen = (int(m.group(1)), m.group(2))
                continue
            m = END_RE.search(line)
            if m and m.group(2) != "ok":
                problems.append(f"{path}: {m.group(1)} {m.group(2)}{m.group(3)}")
    if seen != (count, shape):
        problems.append(f"{path}: the kernel registered {seen} devices, not ({count}, {shape})")
    out = {}
    for key, cycles in events.items():
        res = {}
        for cyc, ev in sorted(cycles.items()):
            try:
                per = {n: (ev[(e, "end")] - ev[(e, "begin")]) * 1000 for n, e in PHASES}
                per["devices"] = sum(per.values())
                per["cycle"] = (ev[("dpm_complete", "end")] - ev[("dpm_prepare", "begin")]) * 1000
            except KeyError as e:
                problems.append(f"{path}: {key} cycle {cyc}: no {e.args[0]} event")
                continue
            for k, v in per.items():
                res.setdefault(k, []).append(v)
        out[key] = res
    return out, problems


def fmt(ms):
    return f"{ms:.1f}" if ms < 1000 else f"{ms:.0f}"


def boots(out, shape, kernel, count):
    """Every boot of one kernel for one shape: [(boot, parse result)]."""
    problems = []
    found = []
    for path in glob.glob(os.path.join(out, f"{shape}-{kernel}-*", "console.log")):
        b = os.path.basename(os.path.dirname(path)).rsplit("-", 1)[1]
        if b.isdigit():
            found.append((int(b), path))
    if not found:
        return [], [f"{os.path.join(out, f'{shape}-{kernel}-1', 'console.log')}: missing"]
    if len(found) < MIN_BOOTS:
        problems.append(f"{shape} {kernel}: {len(found)} boots, fewer than {MIN_BOOTS}")
    res = []
    for b, path in sorted(found):
        r, p = parse(path, shape, count)
        res.append((b, r))
        problems += p
    return res, problems


def over_boots(runs, key, metric):
    """The per-boot medians of one metric: [ms], one per boot that has it."""
    return [statistics.median(r[key][metric]) for _, r in runs if r.get(key, {}).get(metric)]


def noisy(v):
    return max(v["spread_stock"], v["spread_patched"]) > abs(v["patched"] - v["stock"])


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.split("\n\n")[1])
    out, count, shapes = sys.argv[1], sys.argv[2], sys.argv[3:]
    if not count.isdigit():
        sys.exit(f"bench.py: error: COUNT '{count}' is not a number")
    count = int(count)
    if not os.path.isdir(out):
        sys.exit(f"bench.py: error: {out} is missing: no bench runs to read (make bench)")
    problems = []
    data = {}
    for shape in shapes:
        for k in ("stock", "patched"):
            data[(shape, k)], p = boots(out, shape, k, count)
            problems += p
    rows = []
    for shape in shapes:
        st, pa = data[(shape, "stock")], data[(shape, "patched")]
        dep = depth(shape, count)
        keys = {key for _, r in st + pa for key in r}
        for key in sorted(keys, key=lambda k: (k[1], k[0] != "sync")):
            mode, delay = key
            a = [r[key] for _, r in st if key in r]
            b = [r[key] for _, r in pa if key in r]
            if len(a) < MIN_BOOTS or len(b) < MIN_BOOTS:
                problems.append(f"{shape} {mode} delay {delay}: measured in {len(a)} stock and "
                                f"{len(b)} patched boots, fewer than {MIN_BOOTS}")
                if not a or not b:
                    continue
            n = min(len(r["cycle"]) for r in a + b)
            if n < 5:
                problems.append(f"{shape} {mode} delay {delay}: {n} cycles in a boot, fewer than 5")
            row = {"shape": shape, "mode": mode, "delay_us": delay, "cycles": n,
                   "boots": min(len(a), len(b)), "depth": dep, "metrics": {}}
            for metric in [p for p, _ in PHASES] + ["devices", "cycle"]:
                vs, vp = over_boots(st, key, metric), over_boots(pa, key, metric)
                ms, mp = statistics.median(vs), statistics.median(vp)
                row["metrics"][metric] = {"stock": ms, "patched": mp,
                                          "ratio": mp / ms if ms else float("nan"),
                                          "spread_stock": max(vs) - min(vs),
                                          "spread_patched": max(vp) - min(vp),
                                          "boots_stock": vs, "boots_patched": vp}
            if delay:
                # What the synthetic devices' callbacks alone must take:
                # count x delay for a device-at-a-time walk, depth x delay
                # for an async one.
                bound = {}
                for p, _ in PHASES:
                    one = mode == "sync" or p in SYNC_ONLY
                    bound[p] = (count if one else dep) * delay / 1000
                bound["devices"] = sum(bound.values())
                row["bound_ms"] = bound
            rows.append(row)

    lines = [f"# make bench: {count} synthetic devices, pm_test=core, "
             "median over the boots of each boot's median over its cycles",
             "",
             "Times in ms, stock 6.12 / patched, ratio = patched / stock.  The kernels'",
             "boots alternate; 'spread' is the largest minus the smallest per-boot median,",
             f"stock / patched, and '{NOISE}' marks a value whose spread on either",
             "kernel is larger than the difference between the kernels.  'devices' is the",
             "sum of the 8 phases; 'cycle' runs from dpm_prepare begin to dpm_complete end.",
             "'bound' is what the synthetic callbacks alone need: count x delay for a",
             "device-at-a-time walk (sync, and prepare and complete always), depth x delay",
             "for an async walk.  The last column compares the 6 async phases (all but",
             "prepare and complete, which 6.12 walks one device at a time) of stock and",
             "patched with that bound, and with the bound plus what the same phases",
             "take without a delay (the walk itself and the real devices), as ratios.",
             "",
             "## Summary",
             "",
             "| shape | mode | delay us | boots x cycles | suspend side | resume side | devices "
             "| ratio | spread | cycle | ratio | 6 async phases vs depth x delay |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    zero = {(r["shape"], r["mode"]): r for r in rows if r["delay_us"] == 0}
    for r in rows:
        m = r["metrics"]
        sus = [p for p, _ in PHASES[:4]]
        res = [p for p, _ in PHASES[4:]]
        s_st, s_pa = sum(m[p]["stock"] for p in sus), sum(m[p]["patched"] for p in sus)
        r_st, r_pa = sum(m[p]["stock"] for p in res), sum(m[p]["patched"] for p in res)
        crit = "-"
        if "bound_ms" in r and r["mode"] == "async":
            # The async phases against the chain of delays alone, and
            # against that chain plus what the same phases cost without
            # a delay (the PM core's walk and the real devices).
            ph = [p for p, _ in PHASES if p not in SYNC_ONLY]
            b = sum(r["bound_ms"][p] for p in ph)
            z = zero.get((r["shape"], r["mode"]))
            t = {k: sum(m[p][k] for p in ph) for k in ("stock", "patched")}
            crit = f"{fmt(t['stock'])} / {fmt(t['patched'])} vs {fmt(b)}"
            if z:
                zb = {k: b + sum(z["metrics"][p][k] for p in ph) for k in ("stock", "patched")}
                crit += (f"; vs bound + no-delay time: {t['stock'] / zb['stock']:.2f}x"
                         f" / {t['patched'] / zb['patched']:.2f}x")
                r["async_vs_bound_plus_nodelay"] = {k: t[k] / zb[k] for k in t}
        d = m["devices"]
        spread = f"{fmt(d['spread_stock'])} / {fmt(d['spread_patched'])}"
        if noisy(d):
            spread += f": {NOISE}"
        lines.append(f"| {r['shape']} | {r['mode']} | {r['delay_us']} "
                     f"| {r['boots']} x {r['cycles']} "
                     f"| {fmt(s_st)} / {fmt(s_pa)} | {fmt(r_st)} / {fmt(r_pa)} "
                     f"| {fmt(d['stock'])} / {fmt(d['patched'])} "
                     f"| {d['ratio']:.2f} | {spread} "
                     f"| {fmt(m['cycle']['stock'])} / {fmt(m['cycle']['patched'])} "
                     f"| {m['cycle']['ratio']:.2f} | {crit} |")
    lines += ["", "## Per phase", ""]
    for r in rows:
        lines += [f"### {r['shape']}, {r['mode']}, delay {r['delay_us']} us "
                  f"(depth {r['depth']}, {r['boots']} boots x {r['cycles']} cycles)", "",
                  "| phase | stock | patched | ratio | spread stock | spread patched | |"
                  + (" bound |" if "bound_ms" in r else ""),
                  "|---|---|---|---|---|---|---|" + ("---|" if "bound_ms" in r else "")]
        for metric, v in r["metrics"].items():
            b = r.get("bound_ms", {}).get(metric)
            extra = f" {fmt(b)} |" if "bound_ms" in r and b is not None else \
                (" |" if "bound_ms" in r else "")
            lines.append(f"| {metric} | {fmt(v['stock'])} | {fmt(v['patched'])} "
                         f"| {v['ratio']:.2f} | {fmt(v['spread_stock'])} "
                         f"| {fmt(v['spread_patched'])} | {NOISE if noisy(v) else ''} |{extra}")
        lines.append("")
    cells = [v for r in rows for v in r["metrics"].values()]
    lines += [f"{sum(map(noisy, cells))} of {len(cells)} values have a spread larger than "
              "the difference between the kernels.", ""]
    if problems:
        lines += ["## Problems", ""] + [f"- {p}" for p in problems]
    with open(os.path.join(out, "results.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"count": count, "rows": rows, "problems": problems}, f, indent=1)
    print("\n".join(lines[:lines.index("## Per phase")]))
    for p in problems:
        print(f"bench: problem: {p}")
    print(lines[-2])
    print(f"bench: {len(rows)} configurations measured, {len(problems)} problems; "
          f"tables in {os.path.join(out, 'results.md')}")
    sys.exit(1 if problems or not rows else 0)


if __name__ == "__main__":
    main()
