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


# check-series
if rc("tree") not in (None, 0):
    cases.append(("tree", "make tree", "fail", "see build/check/tree.log"))
r = rc("check-series")
if r is not None:
    cases.append(("series", "check-series", "pass" if r == 0 else "fail",
                  "" if r == 0 else "see build/check/check-series.log"))

# harness bad-input cases
try:
    for line in open(os.path.join(build, "harness", "results.txt")):
        st, name = line.split(None, 1)
        cases.append(("harness", name.strip(), st, ""))
except OSError:
    pass
if rc("harness") not in (None, 0) and not any(c[2] == "fail" for c in cases if c[0] == "harness"):
    cases.append(("harness", "harness run", "fail", "see build/check/harness.log"))

# checkpatch
try:
    for line in open(os.path.join(build, "checkpatch", "results.txt")):
        st, name = line.split(None, 1)
        cases.append(("checkpatch", name.strip(), st, ""))
except OSError:
    pass
if rc("checkpatch") not in (None, 0) and not any(c[2] == "fail" for c in cases if c[0] == "checkpatch"):
    cases.append(("checkpatch", "checkpatch run", "fail", "see build/check/checkpatch.log"))

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

# equivalence of stock and patched callback sequences
before = len(cases)
try:
    for line in open(os.path.join(build, "equiv", "results.txt")):
        st, name = line.split(None, 1)
        cases.append(("equiv", name.strip(), st, ""))
except (OSError, ValueError):
    pass
if rc("equiv") is not None and rc("equiv") != 0 and not any(c[2] == "fail" for c in cases[before:]):
    cases.append(("equiv", "equiv run", "fail", "see build/check/equiv.log"))

# vm.py and a hung guest
before = len(cases)
try:
    for line in open(os.path.join(build, "hang", "results.txt")):
        st, name = line.split(None, 1)
        cases.append(("hang", name.strip(), st, ""))
except (OSError, ValueError):
    pass
if rc("hang") not in (None, 0) and not any(c[2] == "fail" for c in cases[before:]):
    cases.append(("hang", "hang run", "fail", "see build/check/hang.log"))

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
