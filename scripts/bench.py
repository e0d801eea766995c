#!/usr/bin/env python3
"""make bench: turn the @@BENCH lines of the bench runs into tables.

usage: bench.py OUT COUNT SHAPE...

OUT/SHAPE-stock/console.log and OUT/SHAPE-patched/console.log hold the
console of one boot of each kernel with COUNT synthetic devices of that
shape (tests/scenarios/bench.sh).  For every shape, mode (sync, async) and
delay, take the median over the cycles of each phase's time (its dpm_*
begin to end event), of the device total (the 8 phases) and of the cycle
(dpm_prepare begin to dpm_complete end), and write OUT/results.md and
OUT/results.json.  Exits non-zero when a run is missing or incomplete.
"""
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
            r, p = parse(os.path.join(out, f"{shape}-{k}", "console.log"), shape, count)
            data[(shape, k)] = r
            problems += p
    rows = []
    for shape in shapes:
        st, pa = data[(shape, "stock")], data[(shape, "patched")]
        dep = depth(shape, count)
        for key in sorted(set(st) | set(pa), key=lambda k: (k[1], k[0] != "sync")):
            mode, delay = key
            a, b = st.get(key, {}), pa.get(key, {})
            if not a or not b:
                problems.append(f"{shape} {mode} delay {delay}: not measured on both kernels")
                continue
            n = min(len(a["cycle"]), len(b["cycle"]))
            if n < 5:
                problems.append(f"{shape} {mode} delay {delay}: {n} cycles, fewer than 5")
            row = {"shape": shape, "mode": mode, "delay_us": delay, "cycles": n,
                   "depth": dep, "metrics": {}}
            for metric in [p for p, _ in PHASES] + ["devices", "cycle"]:
                ms, mp = statistics.median(a[metric]), statistics.median(b[metric])
                row["metrics"][metric] = {"stock": ms, "patched": mp,
                                          "ratio": mp / ms if ms else float("nan")}
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

    lines = [f"# make bench: {count} synthetic devices, pm_test=core, median of the cycles",
             "",
             "Times in ms, stock 6.12 / patched, ratio = patched / stock.  'devices' is the",
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
             "| shape | mode | delay us | cycles | suspend side | resume side | devices | ratio "
             "| cycle | ratio | 6 async phases vs depth x delay |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
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
        lines.append(f"| {r['shape']} | {r['mode']} | {r['delay_us']} | {r['cycles']} "
                     f"| {fmt(s_st)} / {fmt(s_pa)} | {fmt(r_st)} / {fmt(r_pa)} "
                     f"| {fmt(m['devices']['stock'])} / {fmt(m['devices']['patched'])} "
                     f"| {m['devices']['ratio']:.2f} "
                     f"| {fmt(m['cycle']['stock'])} / {fmt(m['cycle']['patched'])} "
                     f"| {m['cycle']['ratio']:.2f} | {crit} |")
    lines += ["", "## Per phase", ""]
    for r in rows:
        lines += [f"### {r['shape']}, {r['mode']}, delay {r['delay_us']} us "
                  f"(depth {r['depth']}, {r['cycles']} cycles)", "",
                  "| phase | stock | patched | ratio |" + (" bound |" if "bound_ms" in r else ""),
                  "|---|---|---|---|" + ("---|" if "bound_ms" in r else "")]
        for metric, v in r["metrics"].items():
            b = r.get("bound_ms", {}).get(metric)
            extra = f" {fmt(b)} |" if "bound_ms" in r and b is not None else \
                (" |" if "bound_ms" in r else "")
            lines.append(f"| {metric} | {fmt(v['stock'])} | {fmt(v['patched'])} "
                         f"| {v['ratio']:.2f} |{extra}")
        lines.append("")
    if problems:
        lines += ["## Problems", ""] + [f"- {p}" for p in problems]
    with open(os.path.join(out, "results.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"count": count, "rows": rows, "problems": problems}, f, indent=1)
    print("\n".join(lines[:lines.index("## Per phase")]))
    for p in problems:
        print(f"bench: problem: {p}")
    print(f"bench: {len(rows)} configurations measured, {len(problems)} problems; "
          f"tables in {os.path.join(out, 'results.md')}")
    sys.exit(1 if problems or not rows else 0)


if __name__ == "__main__":
    main()
