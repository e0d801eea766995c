"""Compare the device PM callback sequences of stock 6.12 and the series.

usage: equiv.py STOCK_RUN_DIR PATCHED_RUN_DIR OUT_DIR KIND...

Each run directory holds the console.log and results.json of a
scripts/vm.py run of the plan trace:KIND,...  The "@@TRACE KIND <event>"
lines are the device_pm_callback_start events of that transition, recorded
with pm_async=0.  For every KIND the two must be the same sequence:

 - exactly the same, or else
 - the same up to the registration order of the real devices, which varies
   from boot to boot (USB and input devices are registered by async work),
   as do the numbers a boot hands out in enumeration order (USB bus and
   port numbers, input and HID device numbers): in each kernel every phase
   walks its own device list in order (prepare and the resume phases head
   first, the other suspend phases and complete tail first; the list order
   is the order of the prepare phase); the synthetic devices' subsequence is
   identical; the phases come in the same order; and each phase makes the
   same callbacks to the same kinds of device (driver, or name without
   numbers), counted.

The net class's callbacks, which the series adds on purpose, are left out
of the comparison and counted.  Writes OUT_DIR/results.txt
("pass equiv:KIND" / "fail equiv:KIND") and, when the sequences are not
exactly the same, OUT_DIR/KIND.diff.
"""
import difflib
import json
import os
import re
import sys

TRACE_RE = re.compile(r"@@TRACE (\S+) (.*)$")
# A kernel message printed while a trace line goes out on the same console
# cuts it in two: "@@TRACE s3 tty tt[    9.75] clocksource: ...", then
# "y61, parent: none, [suspend]" on the next line.
KMSG_RE = re.compile(r"\[\s*\d+\.\d+\] ")


def load(run_dir):
    seqs, status = {}, {}
    try:
        with open(os.path.join(run_dir, "console.log"), errors="replace") as f:
            cut = None
            for line in f:
                line = line.rstrip("\r\n")
                if cut is not None:
                    # A new trace line: the cut one was whole.
                    if TRACE_RE.match(line):
                        m = TRACE_RE.match(cut)
                        seqs.setdefault(m.group(1), []).append(m.group(2).strip())
                    else:
                        line = cut + line
                    cut = None
                m = TRACE_RE.search(line)
                if not m:
                    continue
                k = KMSG_RE.search(line, m.start())
                if k:
                    cut = line[m.start():k.start()]
                    continue
                seqs.setdefault(m.group(1), []).append(m.group(2).strip())
            if cut is not None:
                m = TRACE_RE.match(cut)
                seqs.setdefault(m.group(1), []).append(m.group(2).strip())
    except OSError as e:
        sys.exit(f"equiv: cannot read the console log of {run_dir}: {e}")
    try:
        with open(os.path.join(run_dir, "results.json")) as f:
            for case in json.load(f):
                status[case.get("name")] = (case.get("status"), case.get("detail", ""))
    except (OSError, ValueError) as e:
        sys.exit(f"equiv: cannot read the results of {run_dir}: {e}")
    return seqs, status


EVENT_RE = re.compile(r"^(.*?), parent: (.*?), (.*)\[(\w+)\]$")
DOWN = {"suspend", "freeze", "quiesce", "hibernate"}
# Phase of an event, from its direction and the message prefix, and whether
# the walk goes down the list (True) or up (False).
ORDER = {"prepare": True, "suspend": False, "late": False, "noirq_down": False,
         "noirq_up": True, "early": True, "resume": True, "complete": False}


def parse(line):
    m = EVENT_RE.match(line)
    if not m:
        return None
    # Device names are not unique (USB endpoints: ep_81 on every hub).
    dev = m.group(1).strip() + " < " + m.group(2)
    ops, ev = m.group(3).strip(), m.group(4)
    down = ev in DOWN
    if not ops:
        phase = "prepare" if down else "complete"
    elif ops.startswith("late") or ops.startswith("early"):
        phase = "late" if down else "early"
    elif ops.startswith("noirq"):
        phase = "noirq_down" if down else "noirq_up"
    else:
        phase = "suspend" if down else "resume"
    return dev, phase, ops, ev


def segments(seq):
    """[(phase, [events])] of consecutive events of one phase."""
    out = []
    for e in seq:
        if out and out[-1][0] == e[1]:
            out[-1][1].append(e)
        else:
            out.append((e[1], [e]))
    return out


def walk_order_errors(segs):
    """Events out of list order, the list order being that of prepare."""
    rank, errs = {}, []
    for phase, evs in segs:
        if phase == "prepare":
            for e in evs:
                rank.setdefault(e[0], len(rank))
    for phase, evs in segs:
        r = [rank[e[0]] for e in evs if e[0] in rank]
        ok = all(a < b for a, b in zip(r, r[1:])) if ORDER[phase] else \
            all(a > b for a, b in zip(r, r[1:]))
        if not ok:
            errs.append(phase)
    return errs


def kind_of(e):
    """What a device is, without the numbers a boot hands out in enumeration
    order (USB bus and port numbers, input and HID numbers): its driver,
    or without one its name with the digits replaced."""
    name = e[0].split(" < ")[0]
    parts = name.split(None, 1)
    return parts[0] if len(parts) == 2 else re.sub(r"\d+", "N", name)


def compare(a, b):
    """None when a and b are the same sequence up to real-device order."""
    for who, seq in (("stock", a), ("patched", b)):
        errs = walk_order_errors(segments(seq))
        if errs:
            return f"{who}: phases {', '.join(errs)} not walked in list order"
    synth_a = [e for e in a if e[0].startswith("tpd")]
    synth_b = [e for e in b if e[0].startswith("tpd")]
    if synth_a != synth_b:
        return "the synthetic devices' sequences differ"
    sa, sb = segments(a), segments(b)
    if [p for p, _ in sa] != [p for p, _ in sb]:
        return f"different phases: {[p for p, _ in sa]} vs {[p for p, _ in sb]}"
    for (p, ea), (_, eb) in zip(sa, sb):
        ka = sorted((kind_of(e),) + e[2:] for e in ea)
        kb = sorted((kind_of(e),) + e[2:] for e in eb)
        if ka != kb:
            diff = sorted(set(ka) ^ set(kb))[:3] or "different counts"
            return f"phase {p}: different callbacks ({diff})"
    return None


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    stock_dir, patched_dir, out = sys.argv[1:4]
    kinds = sys.argv[4:]
    os.makedirs(out, exist_ok=True)
    stock, stock_st = load(stock_dir)
    patched, patched_st = load(patched_dir)
    results, bad = [], 0
    for kind in kinds:
        name = "trace:" + kind
        a, b = stock.get(kind, []), patched.get(kind, [])
        why = None
        for who, st in (("stock", stock_st), ("patched", patched_st)):
            s, detail = st.get(name, ("missing", "never reported"))
            if s != "pass" and why is None:
                why = f"{who} run: {name} {s} {detail}".strip()
        net = [x for x in a + b if re.match(r"^net \S+, .*, class \[", x)]
        a = [e for e in map(parse, a) if e and not (e[0].startswith("net ") and e[2] == "class")]
        b = [e for e in map(parse, b) if e and not (e[0].startswith("net ") and e[2] == "class")]
        synth = sum(1 for e in a if e[0].startswith("tpd"))
        exact = a == b
        if why is None and (not a or not synth):
            why = "the stock trace has no callbacks of the synthetic devices"
        if why is None and not exact:
            diff = difflib.unified_diff([" ".join(e) for e in a], [" ".join(e) for e in b],
                                        "stock", "patched", lineterm="", n=2)
            with open(os.path.join(out, kind + ".diff"), "w") as f:
                f.write("\n".join(diff) + "\n")
            why = compare(a, b)
            if why:
                why += f"; see {os.path.join(out, kind + '.diff')}"
        if why:
            bad += 1
            results.append(f"fail equiv:{kind}")
            print(f"  FAILED   equiv:{kind}  ({why})", flush=True)
        else:
            results.append(f"pass equiv:{kind}")
            how = "identical" if exact else "the same up to the boot's real-device order"
            print(f"  ok       equiv:{kind}  ({len(a)} callbacks {how}, {synth} of them "
                  f"synthetic devices; {len(net)} net class callbacks left out)",
                  flush=True)
    with open(os.path.join(out, "results.txt"), "w") as f:
        f.write("\n".join(results) + "\n")
    print(f"equiv: {len(kinds) - bad} passed, {bad} failed; logs in {out}", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
