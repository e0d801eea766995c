#!/usr/bin/env python3
"""Count the cases of a make check run and print 'N passed, N failed'.

Cases: check-series (one), checkpatch (one per patch), every KUnit case,
every VM scenario and selftest TAP case, each check of tests/hang.sh, and
each stock/patched callback sequence comparison of make equiv.  A step that could not run at all
counts as one failed case; a skipped case is never counted as passed.
"""
import json
import os
import sys

build, secs = sys.argv[1], sys.argv[2]
res = os.path.join(build, "check")
cases = []  # (section, name, status, detail)


def rc(step):
    try:
        return int(open(os.path.join(res, step + ".rc")).read())
    except (OSError, ValueError):
        return None


def kunit_cases(node, prefix=""):
    name = (prefix + "." if prefix else "") + node.get("name", "?")
    for c in node.get("test_cases", []):
        st = {"PASS": "pass", "SKIP": "skip"}.get(c.get("status"), "fail")
        cases.append(("kunit", name + "." + c.get("name", "?"), st, ""))
    for g in node.get("sub_groups", []):
        kunit_cases(g, name if prefix else "")


def text_results(step):
    """The cases of build/STEP/results.txt, one 'pass|fail NAME' a line.  A
    step that failed without a failed case counts as one failed case."""
    before = len(cases)
    try:
        lines = open(os.path.join(build, step, "results.txt")).read().splitlines()
    except OSError:
        lines = []
    for line in lines:
        st, _, name = line.partition(" ")
        if st in ("pass", "fail", "skip") and name.strip():
            cases.append((step, name.strip(), st, ""))
        else:
            cases.append((step, f"results.txt line '{line}'", "fail", "not 'pass|fail|skip NAME'"))
    if rc(step) not in (None, 0) and not any(c[2] == "fail" for c in cases[before:]):
        cases.append((step, step + " run", "fail", f"see build/check/{step}.log"))


# check-series
if rc("tree") not in (None, 0):
    cases.append(("tree", "make tree", "fail", "see build/check/tree.log"))
r = rc("check-series")
if r is not None:
    cases.append(("series", "check-series", "pass" if r == 0 else "fail",
                  "" if r == 0 else "see build/check/check-series.log"))

# harness bad-input cases, checkpatch
text_results("harness")
text_results("checkpatch")

# KUnit
before = len(cases)
try:
    kunit_cases(json.load(open(os.path.join(build, "kunit", "results.json"))))
except (OSError, ValueError):
    pass
if rc("kunit") not in (None, 0) and not any(c[2] == "fail" for c in cases[before:]):
    cases.append(("kunit", "kunit run", "fail", "see build/kunit/kunit.log"))
if rc("kunit") == 0 and len(cases) == before:
    cases.append(("kunit", "kunit run", "fail", "no KUnit case ran"))

# VM
before = len(cases)
try:
    for r in json.load(open(os.path.join(build, "vm-check", "results.json"))):
        cases.append(("vm", r["name"], r["status"], r["detail"]))
except (OSError, ValueError):
    pass
if rc("vm") not in (None, 0) and not any(c[2] == "fail" for c in cases[before:]):
    cases.append(("vm", "vm run", "fail", "see build/check/vm.log"))

# equivalence of stock and patched callback sequences; vm.py and a hung guest
text_results("equiv")
text_results("hang")

npass = sum(c[2] == "pass" for c in cases)
nfail = sum(c[2] == "fail" for c in cases)
nskip = sum(c[2] == "skip" for c in cases)
print()
for sec in dict.fromkeys(c[0] for c in cases):
    s = [c for c in cases if c[0] == sec]
    print(f"{sec:12} {sum(c[2] == 'pass' for c in s):4} passed {sum(c[2] == 'fail' for c in s):4} failed"
          f" {sum(c[2] == 'skip' for c in s):4} skipped")
for c in cases:
    if c[2] != "pass":
        print(f"  {c[2].upper():5} {c[0]}: {c[1]}" + (f" ({c[3]})" if c[3] else ""))
print(f"logs: {res}/, console: {build}/vm-check/console.log; took {secs}s")
print(f"{npass} passed, {nfail} failed" + (f", {nskip} skipped" if nskip else ""))
sys.exit(1 if nfail or not cases else 0)
