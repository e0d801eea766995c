#!/usr/bin/env python3
"""Count the drivers under drivers/net that detach/attach their netdev in
their own system-sleep callbacks: the calls that the net class now makes.

Rule: a file counts when a function it registers as a system-sleep callback
(dev_pm_ops .suspend/.resume/.freeze/.thaw/.poweroff/.restore and their
_late/_noirq/_early forms, SET_SYSTEM_SLEEP_PM_OPS, SIMPLE_DEV_PM_OPS,
DEFINE_SIMPLE_DEV_PM_OPS, legacy .suspend/.resume of a bus driver), or a
function of the same file that such a callback calls (three calls deep),
contains netif_device_detach() or netif_device_attach().  A driver is the
directory of such files.

Of those, a file whose callbacks also serve runtime PM (it registers
runtime_suspend/runtime_resume, SET_RUNTIME_PM_OPS/RUNTIME_PM_OPS, or is a
USB driver with supports_autosuspend) cannot simply drop the calls: the net
class runs only for system sleep.  The others can.

Usage: netif-pm-census.py KERNEL_TREE
"""
import os
import re
import sys

tree = sys.argv[1] if len(sys.argv) > 1 else "build/linux"
root = os.path.join(tree, "drivers", "net")
CB = re.compile(r"\.(suspend|resume|freeze|thaw|poweroff|restore)"
                r"(_late|_noirq|_early)?\s*=\s*(?:pm_sleep_ptr\()?&?(\w+)")
MACRO = re.compile(r"(?:SET_SYSTEM_SLEEP_PM_OPS|SET_LATE_SYSTEM_SLEEP_PM_OPS|"
                   r"SET_NOIRQ_SYSTEM_SLEEP_PM_OPS|SYSTEM_SLEEP_PM_OPS|"
                   r"LATE_SYSTEM_SLEEP_PM_OPS|NOIRQ_SYSTEM_SLEEP_PM_OPS)"
                   r"\s*\(\s*(\w+)\s*,\s*(\w+)\s*\)")
SIMPLE = re.compile(r"(?:DEFINE_)?SIMPLE_DEV_PM_OPS\s*\(\s*\w+\s*,\s*(\w+)\s*,\s*(\w+)\s*\)")
FUNC = re.compile(r"^[a-zA-Z][^;()=]*?\b(\w+)\s*\(([^;{]*?)\)\s*\{", re.M | re.S)
CALL = re.compile(r"\b(\w+)\s*\(")
NETIF = re.compile(r"\bnetif_device_(detach|attach)\s*\(")
RUNTIME = re.compile(r"runtime_suspend|RUNTIME_PM_OPS|supports_autosuspend\s*=\s*(1|true)")


def functions(text):
    """name -> body, by brace matching from each definition."""
    out = {}
    for m in FUNC.finditer(text):
        i, depth = m.end(), 1
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        out[m.group(1)] = text[m.end():i]
    return out


files, drivers, anywhere, runtime = [], set(), 0, []
for d, _, names in os.walk(root):
    for n in names:
        if not n.endswith(".c"):
            continue
        path = os.path.join(d, n)
        text = open(path, errors="replace").read()
        if NETIF.search(text):
            anywhere += 1
        else:
            continue
        cbs = {m.group(3) for m in CB.finditer(text)}
        for m in MACRO.finditer(text):
            cbs.update(m.groups())
        for m in SIMPLE.finditer(text):
            cbs.update(m.groups())
        funcs = functions(text)
        seen, todo = set(), [(c, 0) for c in cbs if c in funcs]
        while todo:
            f, depth = todo.pop()
            if f in seen:
                continue
            seen.add(f)
            if depth < 3:
                todo += [(c, depth + 1) for c in CALL.findall(funcs[f]) if c in funcs]
        if any(NETIF.search(funcs[f]) for f in seen):
            files.append(os.path.relpath(path, tree))
            drivers.add(os.path.relpath(d, tree))
            if RUNTIME.search(text):
                runtime.append(files[-1])

for f in sorted(files):
    print(f + ("  (runtime PM too)" if f in runtime else ""))
print(f"{len(files)} files in {len(drivers)} driver directories call netif_device_detach/attach "
      f"from their system-sleep callbacks ({anywhere} files under drivers/net call them at all); "
      f"{len(runtime)} of them share those callbacks with runtime PM, "
      f"so {len(files) - len(runtime)} are candidates to drop them (each after the review e1000 got: "
      f"helpers shared with ->shutdown(), resume error paths)")
