#!/usr/bin/env python3
"""Boot the twophase VM in QEMU, run a plan of in-guest scenarios, and report.

The guest's /init (tests/init) frames every scenario with "@@TP BEGIN name"
and "@@TP END name STATUS [reason]" on the serial console.  This script
reads the console, keeps the full log, enforces hard timeouts, boots a
second time to restore a hibernation image, and writes results.json:
one entry per scenario and per selftest TAP case, with the device-phase
times the kernel printed (pm_debug_messages) while it ran.
"""
import argparse
import bisect
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time

PHASE_RE = re.compile(r"PM: (.+?) of devices (complete|aborted) after ([0-9.]+) msecs")
PROBLEM_RE = re.compile(r"(WARNING: |BUG: |Oops|Kernel panic|possible circular locking|"
                        r"NETDEV WATCHDOG|transmit queue \d+ timed out|"
                        r"possible recursive locking|inconsistent lock state|"
                        r"suspicious RCU usage|INFO: task .* blocked)")
PANIC_RE = re.compile(r"Kernel panic - not syncing")
# How long a hung guest may take to print its NMI panic report (hang_dump).
NMI_REPORT_SECS = 60
NMI_QUIET_SECS = 10    # ... and it is over once the guest is quiet this long
TAP_RE = re.compile(r"^(not ok|ok) (\d+) (.*?)(?:\s+#\s*(SKIP|TODO)\b\s*(.*))?$")
TS_RE = re.compile(r"^\[\s*\d+\.\d+\] ")
# What the kernel prints when a transition really happened; a scenario of
# that kind that ends ok without it fails.
EVIDENCE = {
    "pm_test": ["suspend debug: Waiting for"],
    "s2idle": ["PM: suspend-to-idle", "PM: resume from suspend-to-idle"],
    "s3": ["ACPI: PM: Low-level resume complete"],
    "hibernate": ["PM: hibernation: Hibernation image restored successfully"],
}
MARKERS = [m for ms in EVIDENCE.values() for m in ms]


def evidence_for(name):
    """pm_test:core -> pm_test's; net:s3, trace:s3, timeline:s3 -> s3's; s3 -> s3's."""
    wrapped = name.startswith(("net:", "trace:", "timeline:"))
    kind = name.split(":", 1)[1] if wrapped else name.split(":", 1)[0]
    return EVIDENCE.get(kind, [])


def log(msg):
    print(msg, flush=True)


# The QEMU processes running, killed with vm.py when it is killed.
GUESTS = set()


def on_signal(signum, frame):
    for g in list(GUESTS):
        g.kill()
    sys.exit(f"vm.py: killed by signal {signum}; QEMU stopped")


class Guest:
    """One QEMU process with its console reader and monitor socket."""

    def __init__(self, cmd, monitor):
        self.monitor = monitor
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        GUESTS.add(self)
        self.lines = queue.Queue()
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        buf = b""
        while True:
            chunk = self.proc.stdout.read1(4096)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                self.lines.put(line.decode("utf-8", "replace").rstrip("\r"))
        if buf:
            self.lines.put(buf.decode("utf-8", "replace"))
        self.lines.put(None)

    def hmp(self, command):
        """Send one human-monitor command; return True when it was answered.
        The monitor socket may not be there yet right after QEMU starts."""
        for _ in range(20):
            if self.hmp_answer(command) is not None:
                return True
            time.sleep(0.1)
        return False

    def hmp_answer(self, command):
        """Send one monitor command; return its answer, or None."""
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(5)
                s.connect(self.monitor)
                out = b""
                while not out.endswith(b"(qemu) "):
                    out += s.recv(4096) or b"(qemu) "
                s.sendall(command.encode() + b"\n")
                out = b""
                while not out.endswith(b"(qemu) "):
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    out += chunk
        except OSError:
            return None
        text = out.decode("utf-8", "replace").replace("\r", "")
        lines = text.split("\n")[1:]      # the echoed command
        return "\n".join(lines).removesuffix("(qemu) ").rstrip()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        GUESTS.discard(self)


class Run:
    def __init__(self, args):
        self.args = args
        self.results = []          # dicts: name, status, detail, phases, notes
        self.current = None
        self.tail = []
        self.logf = open(args.log, "w", encoding="utf-8")
        self.s2idle_since = None
        self.hibernating = False
        self.hibernate_boot = None  # the boot in which "@@TP HIBERNATE" was seen
        self.boot_no = 0
        self.hmp_due = []           # (time, command) asked for by "@@TP HMP"
        self.suspending = False     # between "PM: suspend entry" and "exit"
        self.done = False
        self.orphans = []           # kernel problems seen outside any scenario
        self.tap_plan = None        # "1..N" of the running selftest
        self.tap_seen = 0

    # -- results -----------------------------------------------------------
    def begin(self, name):
        if self.current is not None:
            self.end(self.current["name"], "fail", "it never reported its end")
        self.current = {"name": name, "status": None, "detail": "", "phases": [],
                        "notes": [], "problems": []}

    def end(self, name, status, detail):
        cur = self.current
        if cur is not None and cur["name"] != name:
            self.current = None
            self.end(cur["name"], "fail", f"it never reported its end (got the end of {name})")
            cur = None
        if cur is None:
            cur = {"name": name, "status": None, "detail": "", "phases": [],
                   "notes": [], "problems": []}
        if status == "ok" and cur.get("host_problems"):
            status, detail = "fail", cur["host_problems"][0]
        if status == "ok" and cur["problems"]:
            status, detail = "fail", "kernel reported: " + cur["problems"][0]
        missing = [m for m in evidence_for(name) if m not in cur.get("markers", ())]
        if status == "ok" and missing:
            status, detail = "fail", f"the console never showed '{missing[0]}'"
        if status == "ok" and self.hibernate_boot == self.boot_no:
            status, detail = "fail", "hibernation returned without powering off and restoring"
        self.hibernate_boot = None
        if status == "ok" and name == "selftest":
            if self.tap_plan is None:
                status, detail = "fail", "the selftest printed no TAP plan"
            elif self.tap_seen != self.tap_plan:
                status, detail = "fail", (f"the selftest planned {self.tap_plan} cases "
                                          f"and reported {self.tap_seen}")
        cur["status"] = {"ok": "pass", "fail": "fail", "skip": "skip"}.get(status, "fail")
        cur["detail"] = detail
        self.results.append(cur)
        self.current = None
        self.show(cur)

    def show(self, r):
        word = {"pass": "ok", "fail": "FAILED", "skip": "skipped"}[r["status"]]
        log(f"  {word:8} {r['name']}" + (f"  ({r['detail']})" if r["detail"] else ""))
        for ph in r["phases"]:
            log(f"             {ph['phase']:<22} {ph['msecs']:>10.3f} ms"
                + ("" if ph["complete"] else "  ABORTED"))
        for n in r["notes"]:
            log(f"             note: {n}")

    def add_case(self, name, status, detail):
        r = {"name": name, "status": status, "detail": detail, "phases": [],
             "notes": [], "problems": []}
        self.results.append(r)
        self.show(r)

    # -- console -----------------------------------------------------------
    def line(self, guest, raw):
        self.logf.write(raw + "\n")
        self.logf.flush()
        self.tail = (self.tail + [raw])[-30:]
        text = TS_RE.sub("", raw)
        cur = self.current
        m = PHASE_RE.search(text)
        if m and cur is not None:
            cur["phases"].append({"phase": m.group(1), "msecs": float(m.group(3)),
                                  "complete": m.group(2) == "complete"})
        if cur is not None:
            cur.setdefault("markers", set()).update(m for m in MARKERS if m in text)
        if PROBLEM_RE.search(text):
            (cur["problems"] if cur is not None else self.orphans).append(text.strip())
        if "ACPI Error" in text and cur is not None and text.strip() not in cur["notes"]:
            cur["notes"].append(text.strip())
        if "PM: suspend entry (s2idle)" in text:
            self.s2idle_since = time.monotonic()
        elif "PM: suspend exit" in text:
            self.s2idle_since = None
        if "PM: suspend entry" in text:
            self.suspending = True
        elif "PM: suspend exit" in text:
            self.suspending = False
        if text.startswith("@@TP BEGIN "):
            self.begin(text.split(" ", 2)[2].strip())
        elif text.startswith("@@TP END "):
            parts = text.split(" ", 4)
            self.end(parts[2], parts[3] if len(parts) > 3 else "fail",
                     parts[4] if len(parts) > 4 else "")
        elif text.startswith("@@TP HIBERNATE"):
            self.hibernating = True
            self.hibernate_boot = self.boot_no
        elif text.startswith("@@TP HMP "):
            # @@TP HMP SECONDS COMMAND: a monitor command SECONDS from now,
            # while the guest goes on (hot-unplug during a transition).  It
            # must land between "PM: suspend entry" and "PM: suspend exit",
            # or the scenario fails: it would not test what it says.
            parts = text.split(" ", 3)
            try:
                self.hmp_due.append((time.monotonic() + float(parts[2]), parts[3]))
            except (IndexError, ValueError):
                self.note_host(f"bad @@TP HMP line: {text}")
        elif text.startswith("@@TP NOTE ") and cur is not None:
            cur["notes"].append(text[10:])
        elif text.startswith("@@TP BOOT"):
            log(f"  booted: {text[10:]}")
        elif text.startswith("@@TP DONE"):
            self.done = True
        elif text.startswith("@@TAP "):
            self.tap(text[6:])
        elif text.startswith("@@MATRIX "):
            # @@MATRIX KIND PHASE DEVICE ok|FAIL|skip [why]: one case each.
            parts = text.split(" ", 5)
            if len(parts) >= 5:
                self.add_case(f"matrix: {parts[1]} {parts[2]} {parts[3]}",
                              {"ok": "pass", "skip": "skip"}.get(parts[4], "fail"),
                              parts[5] if len(parts) > 5 else "")

    def tap(self, text):
        plan = re.match(r"^1\.\.(\d+)", text.strip())
        if plan:
            self.tap_plan, self.tap_seen = int(plan.group(1)), 0
            return
        m = TAP_RE.match(text.strip())
        if not m:
            return
        self.tap_seen += 1
        res, _, desc, directive, reason = m.groups()
        if directive == "SKIP":
            status = "skip"
        else:
            status = "pass" if res == "ok" else "fail"
        self.add_case("selftest: " + desc, status, reason or "")

    def note_host(self, msg):
        self.logf.write(f"@@HOST {msg}\n")
        self.logf.flush()
        if self.current is not None:
            self.current["notes"].append(msg)

    # -- one boot ----------------------------------------------------------
    def boot(self, append, label):
        a = self.args
        mon = os.path.join(a.out, "monitor.sock")
        if os.path.exists(mon):
            os.unlink(mon)
        cmd = qemu_cmd(a, append, mon)
        self.append = append
        self.logf.write(f"@@HOST {label}: {' '.join(cmd)}\n")
        guest = Guest(cmd, mon)
        self.boot_no += 1
        self.s2idle_since = None
        start = time.monotonic()
        last = start
        why = None
        while True:
            try:
                raw = guest.lines.get(timeout=0.2)
            except queue.Empty:
                raw = ""
            now = time.monotonic()
            if raw is None:
                break
            if raw:
                last = now
                self.line(guest, raw)
                if PANIC_RE.search(raw):
                    time.sleep(1)
                    why = "kernel panic"
                    break
            for due, command in [d for d in self.hmp_due if d[0] <= now]:
                self.hmp_due.remove((due, command))
                ok = guest.hmp(command)
                self.note_host(f"monitor: {command} ({'sent' if ok else 'monitor unreachable'})")
                if not self.suspending and self.current is not None:
                    self.current.setdefault("host_problems", []).append(
                        f"the monitor command '{command}' was sent outside a suspend transition")
            if self.s2idle_since and now - self.s2idle_since > a.s2idle_kick:
                self.s2idle_since = None
                ok = guest.hmp("system_powerdown")
                self.note_host(f"guest still in s2idle after {a.s2idle_kick}s: "
                               f"pressed the ACPI power button ({'sent' if ok else 'monitor unreachable'})")
            if now - start > a.timeout:
                why = f"timeout: the VM ran longer than {a.timeout}s"
                break
            if now - last > a.idle:
                why = f"hang: no console output for {a.idle}s"
                self.hang_dump(guest)
                break
        if why is None:
            # QEMU closed its output: let it exit on its own.
            try:
                guest.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        guest.kill()
        rc = guest.proc.returncode
        if why is None and rc < 0:
            # Not killed here: QEMU crashed (the host's dmesg has the
            # faulting address) or something else killed it.
            why = f"QEMU itself died of {signal_name(-rc)}"
        # The reader thread ends with None once QEMU's output is drained.
        while True:
            try:
                raw = guest.lines.get(timeout=5)
            except queue.Empty:
                break
            if raw is None:
                break
            self.line(guest, raw)
        self.logf.write(f"@@HOST {label} ended after {time.monotonic() - start:.1f}s, "
                        f"qemu exit {rc}{', ' + why if why else ''}\n")
        self.logf.flush()
        log(f"  {label}: {time.monotonic() - start:.1f}s wall")
        return why

    def hang_dump(self, guest):
        """Before a hung guest is killed: where each vCPU is, then the
        guest kernel's own report.  The guest boots with unknown_nmi_panic
        and panic_print (held locks, blocked tasks): an NMI from the
        monitor makes it print them and panic, and panic=-1 with QEMU's
        -no-reboot ends QEMU."""
        regs = guest.hmp_answer("info registers -a")
        if regs is None:
            self.note_host("hang: the monitor did not answer 'info registers -a'")
            return
        syms = kernel_symbols(self.args.kernel)
        for cpu, rip in enumerate(re.findall(r"RIP=([0-9a-f]{16})", regs)):
            self.note_host(f"hang: vCPU {cpu} RIP {rip} {syms(int(rip, 16))}")
        for line in regs.splitlines():
            self.logf.write(f"@@HOST regs: {line}\n")
        self.logf.flush()
        status = guest.hmp_answer("info status") or ""
        if "running" not in status:
            # A guest in S3 has its vCPUs stopped: an NMI would stay pending.
            self.note_host(f"hang: no NMI sent, QEMU says '{status}'")
            return
        if "unknown_nmi_panic" not in self.append:
            self.note_host("hang: no NMI sent, the guest does not panic on one")
            return
        if guest.hmp_answer("nmi") is None:
            self.note_host("hang: the monitor did not answer 'nmi'")
            return
        self.note_host("hang: sent an NMI; the guest's panic report follows")
        end, quiet, n = time.monotonic() + NMI_REPORT_SECS, time.monotonic() + NMI_QUIET_SECS, 0
        while time.monotonic() < min(end, quiet):
            try:
                raw = guest.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            quiet = time.monotonic() + NMI_QUIET_SECS
            if raw is None:
                guest.lines.put(None)
                break
            self.line(guest, raw)
            n += 1
        self.note_host(f"hang: {n} console lines after the NMI")

    def fail_open(self, why):
        """Close the scenario that was running when the VM died."""
        name = self.current["name"] if self.current else "vm"
        self.end(name, "fail", why)
        log("  last console lines:")
        for t in self.tail[-15:]:
            log("    | " + t)


def signal_name(signum):
    """SIGSEGV for 11; SIGKILL says who sends it unasked."""
    try:
        name = signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"
    return name + (" (the host's OOM killer?)" if signum == signal.SIGKILL else "")


def kernel_symbols(kernel):
    """A lookup address -> 'symbol+0xoff' from the System.map beside the
    kernel's build directory (ARCH/x86/boot/bzImage), or '' without one."""
    path = os.path.join(os.path.dirname(kernel), "..", "..", "..", "System.map")
    table = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                addr, kind, name = line.split()[:3]
                if kind in ("t", "T", "w", "W"):
                    table.append((int(addr, 16), name))
    except (OSError, ValueError):
        return lambda addr: ""
    table.sort()
    keys = [t[0] for t in table]

    def lookup(addr):
        i = bisect.bisect_right(keys, addr) - 1
        return f"{table[i][1]}+{addr - keys[i]:#x}" if i >= 0 else ""
    return lookup


def qemu_cmd(a, append, mon):
    cmd = ["qemu-system-x86_64", "-M", "q35", "-m", str(a.mem), "-smp", str(a.smp),
           "-accel", a.accel, "-nodefaults", "-no-user-config", "-display", "none",
           "-no-reboot", "-chardev", "stdio,id=con,signal=off", "-serial", "chardev:con",
           "-monitor", f"unix:{mon},server=on,wait=off",
           "-global", "ICH9-LPC.disable_s3=0",
           "-kernel", a.kernel, "-initrd", a.initrd, "-append", append,
           "-drive", f"if=none,id=swap,file={a.out}/swap.img,format=raw",
           "-device", "virtio-blk-pci,drive=swap",
           "-device", "qemu-xhci,id=xhci",
           "-drive", f"if=none,id=usbdisk,file={a.out}/usb.img,format=raw",
           "-device", "usb-storage,bus=xhci.0,drive=usbdisk",
           "-device", "usb-kbd,bus=xhci.0,id=usbkbd",
           "-device", "usb-ehci,id=ehci",
           "-device", "usb-tablet,bus=ehci.0",
           # Two e1000 NICs on one QEMU hub: traffic never leaves QEMU.
           "-netdev", "hubport,id=n0,hubid=0", "-device", "e1000,netdev=n0",
           "-netdev", "hubport,id=n1,hubid=0", "-device", "e1000,netdev=n1"]
    if a.usb_swap:
        for hc in ("xhci", "ehci"):
            cmd += ["-drive", f"if=none,id=swap{hc},file={a.out}/swap-{hc}.img,format=raw",
                    "-device", f"usb-storage,bus={hc}.0,drive=swap{hc},serial=tpswap-{hc}"]
    return cmd + a.qemu_arg


def make_disks(out):
    for name in ("swap.img", "swap-xhci.img", "swap-ehci.img"):
        with open(os.path.join(out, name), "wb") as f:
            f.truncate(256 << 20)
    # The USB disk holds a fixed pseudo-random pattern; the guest checks
    # that it reads back the same after every transition.
    x = 0x2545F4914F6CDD1D
    block = bytearray()
    for _ in range(8192):
        x ^= (x << 13) & 0xFFFFFFFFFFFFFFFF
        x ^= x >> 7
        x ^= (x << 17) & 0xFFFFFFFFFFFFFFFF
        block += x.to_bytes(8, "little")
    with open(os.path.join(out, "usb.img"), "wb") as f:
        for i in range(64):
            f.write(bytes([i]) + bytes(block[1:]))


def probe_accel(a):
    """KVM only if it really boots this kernel; the answer is cached."""
    cache = os.path.join(os.path.dirname(os.path.abspath(a.out)), "accel")
    if os.path.exists(cache):
        return open(cache).read().strip()
    accel = "tcg"
    if os.access("/dev/kvm", os.R_OK | os.W_OK):
        log("probing KVM (a 30 s boot; the answer is cached in " + cache + ")")
        a.log = os.path.join(a.out, "kvm-probe.log")
        saved = (a.accel, a.timeout, a.idle)
        a.accel, a.timeout, a.idle = "kvm", 30, 20
        run = Run(a)
        run.boot("console=ttyS0 panic=-1 tp.plan=", "kvm probe")
        a.accel, a.timeout, a.idle = saved
        if run.done:
            accel = "kvm"
        log(f"KVM {'boots' if run.done else 'does not boot'} here: using {accel}")
    with open(cache, "w") as f:
        f.write(accel + "\n")
    return accel


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kernel", required=True)
    p.add_argument("--initrd", required=True)
    p.add_argument("--plan", required=True, help="comma-separated scenarios")
    p.add_argument("--out", required=True, help="directory for logs, disks, results")
    p.add_argument("--name", default="vm")
    p.add_argument("--append", default="")
    p.add_argument("--accel", default="auto", help="tcg, kvm or auto (kvm if it boots)")
    p.add_argument("--mem", type=int, default=512)
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--timeout", type=int, default=900, help="hard limit per boot (s)")
    p.add_argument("--idle", type=int, default=120, help="limit without console output (s)")
    p.add_argument("--s2idle-kick", type=int, default=8,
                   help="press the power button when s2idle lasts longer (s)")
    p.add_argument("--qemu-arg", action="append", default=[])
    p.add_argument("--usb-swap", action="store_true",
                   help="two more swap disks: usb-storage behind the xHCI and behind the EHCI")
    a = p.parse_args()
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, on_signal)

    for f in (a.kernel, a.initrd):
        if not os.path.isfile(f):
            sys.exit(f"vm.py: error: {f} does not exist")
    if not any(os.access(os.path.join(d, "qemu-system-x86_64"), os.X_OK)
               for d in os.environ.get("PATH", "").split(os.pathsep)):
        sys.exit("vm.py: error: qemu-system-x86_64 is not installed; "
                 "apt-get install qemu-system-x86")
    os.makedirs(a.out, exist_ok=True)
    make_disks(a.out)
    if a.accel == "auto":
        a.accel = probe_accel(a)
    a.log = os.path.join(a.out, "console.log")

    base = ("console=ttyS0,115200 loglevel=8 pm_debug_messages no_console_suspend "
            "panic=-1 unknown_nmi_panic panic_print=0x88 "
            "mem_sleep_default=deep suspend.pm_test_delay=0 "
            f"resume=/dev/vda tp.plan={a.plan}{' tp.usbswap' if a.usb_swap else ''} "
            f"{a.append}").strip()
    run = Run(a)
    log(f"{a.name}: booting ({a.accel}), plan {a.plan}; console log {a.log}")
    why = run.boot(base, "boot 1")
    nboot = 1
    while why is None and run.hibernating and not run.done and run.current is not None:
        nboot += 1
        run.hibernating = False
        log(f"{a.name}: guest powered off after writing the image; booting to restore it")
        why = run.boot(f"{base} tp.boot=restore tp.scenario={run.current['name']}",
                       f"boot {nboot} (restore)")
    if why:
        run.fail_open(why)
    elif not run.done:
        run.fail_open("the VM stopped before the plan finished")

    if run.orphans:
        run.add_case("kernel log", "fail", "outside any scenario: " + run.orphans[0])

    # Every scenario of the plan must have reported; one that did not is a
    # failure, never silently absent.
    names = {r["name"] for r in run.results}
    for want in ["boot"] + [p for p in a.plan.split(",") if p]:
        if want not in names:
            run.add_case(want, "fail", "the scenario never ran")

    for r in run.results:
        r.pop("markers", None)
    with open(os.path.join(a.out, "results.json"), "w", encoding="utf-8") as f:
        json.dump(run.results, f, indent=1)
    npass = sum(r["status"] == "pass" for r in run.results)
    nfail = sum(r["status"] == "fail" for r in run.results)
    nskip = sum(r["status"] == "skip" for r in run.results)
    log(f"{a.name}: {npass} passed, {nfail} failed, {nskip} skipped; console log {a.log}")
    sys.exit(1 if nfail or not run.results else 0)


if __name__ == "__main__":
    main()
