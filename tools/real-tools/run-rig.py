#!/usr/bin/python3
"""Drive an unmodified rig MachineController against the emulated board.

    RIG=<checkout of project-rig/rig> /usr/bin/python3 tools/real-tools/run-rig.py

Starts the emulator unbooted on a loopback address, boots it with rig's own
SC&MP image, runs each MachineController call, checks every answer, prints
PASS/FAIL per item and a summary line, and exits non-zero on any failure.

Environment:
  RIG              checkout of project-rig/rig (required unless rig is importable)
  BOARD_ADDR       loopback address for the emulator (default 127.0.0.2)
  SHAPE            emulated machine shape (default spinn-5)
  EXTERNAL_BOARD=1 use an emulator already listening on BOARD_ADDR (unbooted
                   or booted; boot is then only checked if it was needed)
  EMULATOR_CMD     command that starts the emulator (overrides the default)
"""
import collections
import collections.abc
import inspect
import os
import random
import shlex
import signal
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import warnings

# rig targets Python <= 3.9. Put back the two standard-library names it uses
# that later Pythons removed; rig itself stays unmodified.
if not hasattr(inspect, "getargspec"):
    _ArgSpec = collections.namedtuple("ArgSpec", "args varargs keywords defaults")
    inspect.getargspec = lambda f: _ArgSpec(*inspect.getfullargspec(f)[:4])
if not hasattr(collections, "Iterable"):
    collections.Iterable = collections.abc.Iterable
warnings.simplefilter("ignore", DeprecationWarning)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ADDR = os.environ.get("BOARD_ADDR", "127.0.0.2")
SHAPE = os.environ.get("SHAPE", "spinn-5")
APP_ID = 66


def die(msg):
    sys.stderr.write(msg + "\n")
    sys.exit(2)


if not ADDR.startswith("127."):
    die("BOARD_ADDR=%s is not a loopback address (127.0.0.0/8); refusing" % ADDR)
if os.environ.get("RIG"):
    if not os.path.isfile(os.path.join(os.environ["RIG"], "rig", "machine_control", "machine_controller.py")):
        die("RIG=%s is not a checkout of project-rig/rig (no rig/machine_control there)" % os.environ["RIG"])
    sys.path.insert(0, os.environ["RIG"])
for mod, fix in [("numpy", "apt-get install python3-numpy"), ("six", "apt-get install python3-six"),
                 ("pytz", "apt-get install python3-tz"), ("pkg_resources", "apt-get install python3-pkg-resources"),
                 ("sentinel", "install the 'sentinel' package, or put a module providing sentinel.create(name) on PYTHONPATH")]:
    try:
        __import__(mod)
    except ImportError:
        die("rig needs the Python module '%s' (%s). Run this script with Debian's /usr/bin/python3." % (mod, fix))
try:
    from rig.machine_control import MachineController
    from rig.machine_control.machine_controller import SpiNNakerMemoryError
    from rig.machine_control.consts import AppState
    from rig.routing_table import RoutingTableEntry, Routes
    import rig
except ImportError as e:
    die("cannot import rig (%s): set RIG=<checkout of project-rig/rig>" % e)

RESULTS = []


def report(name, ok, detail):
    RESULTS.append(ok)
    print("%s  %-36s %s" % ("PASS" if ok else "FAIL", name, detail))
    sys.stdout.flush()


def item(name):
    """Run one check; an exception or a failed assertion is a FAIL with its message."""
    def wrap(fn):
        try:
            detail = fn()
            report(name, True, detail or "")
        except AssertionError as e:
            report(name, False, str(e))
        except Exception as e:
            report(name, False, "%s: %s" % (type(e).__name__, e))
            if os.environ.get("VERBOSE"):
                traceback.print_exc()
        return fn
    return wrap


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)


def port_bound(port):
    out = subprocess.run(["ss", "-Hunl", "src %s:%d" % (ADDR, port)], capture_output=True, text=True).stdout
    return bool(out.strip())


def start_emulator(logf):
    if port_bound(17893) or port_bound(54321):
        die("something already listens on %s:17893 or :54321; stop it or set EXTERNAL_BOARD=1" % ADDR)
    cmd = os.environ.get("EMULATOR_CMD") or \
        "npx tsx src/cli/main.ts emulator --listen %s --shape %s --unbooted" % (ADDR, SHAPE)
    proc = subprocess.Popen(shlex.split(cmd), cwd=REPO, stdout=logf, stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.time() + 30
    while time.time() < deadline and proc.poll() is None:
        if port_bound(54321):
            return proc
        time.sleep(0.2)
    stop_emulator(proc)
    logf.seek(0)
    die("the emulator did not start listening on %s:54321 (%s):\n%s" % (ADDR, cmd, logf.read()[-2000:]))


def stop_emulator(proc):
    if proc is not None and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def aplx_image():
    # scamp-protocol §5.2: RCOPY image -> ITCM 0, FILL DTCM, EXEC 0, END; image = "b ."
    hdr = struct.pack("<16I", 2, 0x0, 64, 32, 3, 0x400000, 32, 0, 4, 0, 0, 0, 0xFF, 0, 0, 0)
    return hdr + struct.pack("<8I", 0xEAFFFFFE, 0, 0, 0, 0, 0, 0, 0)


def run(mc, tmpdir):
    expected_chips = {"spinn-3": 4, "spinn-5": 48}.get(SHAPE)

    @item("boot (rig's own scamp.boot)")
    def _():
        t0 = time.time()
        booted = mc.boot()
        if os.environ.get("EXTERNAL_BOARD") == "1" and not booted:
            return "already booted (external board)"
        expect(booted is True, "boot() returned %r, expected True (board was unbooted)" % booted)
        return "booted in %.1f s" % (time.time() - t0)

    @item("get_software_version")
    def _():
        v = mc.get_software_version(0, 0, 0)
        expect(v.position == (0, 0), "position %r, expected (0, 0)" % (v.position,))
        expect(v.virt_cpu == 0, "virt_cpu %r" % v.virt_cpu)
        expect(v.version_string.startswith("SC&MP/"), "version_string %r" % v.version_string)
        expect(v.software_version[:2] == (3, 1), "version %r; rig booted SC&MP 3.1.0" % (v.software_version,))
        expect(v.buffer_size == 256, "buffer_size %r, expected 256" % v.buffer_size)
        v11 = mc.get_software_version(1, 1, 0)
        expect(v11.position == (1, 1), "chip (1,1) reports position %r" % (v11.position,))
        return "%s %s at %r, phys cpu %d, buffer %d, built %d" % (
            v.version_string, ".".join(map(str, v.software_version)), v.position, v.physical_cpu,
            v.buffer_size, v.build_date)

    @item("get_system_info")
    def _():
        si = mc.get_system_info()
        if expected_chips is not None:
            expect(len(si) == expected_chips, "%d chips, expected %d for %s" % (len(si), expected_chips, SHAPE))
        expect((0, 0) in si and (1, 1) in si, "chips (0,0)/(1,1) missing: %r" % sorted(si)[:8])
        eth = list(si.ethernet_connected_chips())
        expect(any(xy == (0, 0) for xy, _ in eth), "no Ethernet chip at (0,0): %r" % eth)
        for xy, ci in si.items():
            expect(ci.num_cores == 18, "chip %r has %d cores" % (xy, ci.num_cores))
            expect(ci.core_states[0] == AppState.run, "chip %r monitor state %r" % (xy, ci.core_states[0]))
            expect(all(s == AppState.idle for s in ci.core_states[1:]),
                   "chip %r app cores not idle: %r" % (xy, ci.core_states))
            expect(ci.largest_free_sdram_block > 100 * 1024 * 1024,
                   "chip %r largest free SDRAM block %d" % (xy, ci.largest_free_sdram_block))
            expect(ci.largest_free_rtr_mc_block == 1023,
                   "chip %r largest free router block %d, expected 1023" % (xy, ci.largest_free_rtr_mc_block))
            expect(ci.local_ethernet_chip == (0, 0) or SHAPE not in ("spinn-3", "spinn-5"),
                   "chip %r local Ethernet chip %r" % (xy, ci.local_ethernet_chip))
        links = list(si.links())
        return "%dx%d, %d chips, %d cores, %d links, Ethernet %r, SDRAM block %d" % (
            si.width, si.height, len(si), sum(1 for _ in si.cores()), len(links), eth,
            si[(0, 0)].largest_free_sdram_block)

    ptr_holder = {}

    @item("sdram_alloc + write + read")
    def _():
        data = bytes(random.getrandbits(8) for _ in range(3001))
        ptr = mc.sdram_alloc(len(data), tag=3, x=0, y=0, app_id=APP_ID)
        ptr_holder["ptr"] = ptr
        expect(0x60000000 <= ptr and ptr + len(data) <= 0x68000000, "pointer 0x%08x outside SDRAM" % ptr)
        mc.write(ptr, data, 0, 0)
        back = mc.read(ptr, len(data), 0, 0)
        expect(back == data, "read back differs at byte %s" %
               next((i for i in range(len(data)) if back[i:i + 1] != data[i:i + 1]), "len"))
        mc.write(ptr + 1, b"\xAA\xBB\xCC", 0, 0)   # unaligned, odd length
        expect(mc.read(ptr, 5, 0, 0) == data[:1] + b"\xAA\xBB\xCC" + data[4:5], "unaligned write not read back")
        try:
            mc.sdram_alloc(16, tag=3, x=0, y=0, app_id=APP_ID)
            raise AssertionError("a second allocation with the same (app_id, tag) succeeded")
        except SpiNNakerMemoryError as e:
            expect(e.tag_in_use, "second allocation with tag 3 failed but not as 'tag in use': %s" % e)
        tagged = mc.read(mc.read_struct_field("sv", "alloc_tag", 0, 0) + 4 * ((APP_ID << 8) + 3), 4, 0, 0)
        expect(struct.unpack("<I", tagged)[0] == ptr, "alloc_tag[(app<<8)+3] = 0x%08x, not the pointer" %
               struct.unpack("<I", tagged)[0])
        return "3001 B at 0x%08x read back equal; tag reuse refused" % ptr

    @item("sdram_alloc_as_filelike")
    def _():
        f = mc.sdram_alloc_as_filelike(1000, tag=0, x=1, y=1, app_id=APP_ID)
        start = f.address
        f.write(b"hello spinnaker" * 10)
        f.seek(0)
        expect(f.read(15) == b"hello spinnaker", "file-like read back differs")
        return "1000 B at 0x%08x on (1,1)" % start

    @item("read_struct_field sv")
    def _():
        got = {name: mc.read_struct_field("sv", name, 0, 0) for name in
               ("p2p_addr", "p2p_root", "vcpu_base", "sdram_sys", "sysram_base", "rtr_copy", "sdram_heap")}
        expect(got["p2p_addr"] == 0, "sv.p2p_addr on (0,0) = %r" % got["p2p_addr"])
        expect(mc.read_struct_field("sv", "p2p_addr", 1, 1) == 0x0101, "sv.p2p_addr on (1,1) is not 0x0101")
        expect(got["vcpu_base"] == 0xE5007000, "sv.vcpu_base = 0x%08x, expected 0xe5007000" % got["vcpu_base"])
        expect(got["sdram_sys"] == 0x67800000, "sv.sdram_sys = 0x%08x, expected 0x67800000" % got["sdram_sys"])
        expect(got["sysram_base"] == 0xE5000100, "sv.sysram_base = 0x%08x, expected 0xe5000100" % got["sysram_base"])
        expect(0x67800000 <= got["rtr_copy"] < 0x68000000, "sv.rtr_copy = 0x%08x not in sys_heap" % got["rtr_copy"])
        return ", ".join("%s=0x%x" % kv for kv in sorted(got.items()))

    @item("iptag_set / iptag_get / iptag_clear")
    def _():
        mc.iptag_set(1, "127.0.0.1", 40001, 0, 0)
        t = mc.iptag_get(1, 0, 0)
        expect(t.addr == "127.0.0.1" and t.port == 40001, "tag 1 reads back %r" % (t,))
        expect(t.flags & 0x8000 or t.flags & 0x2000, "tag 1 flags 0x%04x: neither VALID nor ARP" % t.flags)
        mc.iptag_clear(1, 0, 0)
        t2 = mc.iptag_get(1, 0, 0)
        expect(t2.flags == 0, "tag 1 after clear has flags 0x%04x" % t2.flags)
        return "tag 1 -> %s:%d flags 0x%04x; cleared" % (t.addr, t.port, t.flags)

    entries = [RoutingTableEntry({Routes.core(1), Routes.east}, 0x10000000, 0xFFFF0000),
               RoutingTableEntry({Routes.core(2), Routes.north}, 0x20000000, 0xFFFF0000),
               RoutingTableEntry({Routes.south, Routes.west}, 0x30000000, 0xFFFFFF00)]

    @item("routing tables load/get/clear")
    def _():
        mc.load_routing_tables({(0, 0): entries[:2], (1, 1): entries}, app_id=APP_ID)
        for xy, want in (((0, 0), entries[:2]), ((1, 1), entries)):
            table = mc.get_routing_table_entries(*xy)
            expect(len(table) == 1024, "table of %d entries" % len(table))
            mine = [(i, e) for i, e in enumerate(table) if e is not None and e[1] == APP_ID]
            got = [(e[0].route, e[0].key, e[0].mask) for _, e in mine]
            expect(got == [(w.route, w.key, w.mask) for w in want],
                   "chip %r entries for app %d: %r" % (xy, APP_ID, got))
            idx = [i for i, _ in mine]
            expect(idx == list(range(idx[0], idx[0] + len(idx))) and idx[0] >= 1, "indices %r" % idx)
        mc.clear_routing_table_entries(0, 0, APP_ID)
        left = [e for e in mc.get_routing_table_entries(0, 0) if e is not None and e[1] == APP_ID]
        expect(not left, "%d entries of app %d left on (0,0) after clear" % (len(left), APP_ID))
        return "2 entries on (0,0), 3 on (1,1), read back equal; cleared (0,0)"

    @item("get_processor_status (idle)")
    def _():
        s0 = mc.get_processor_status(0, 0, 0)
        s = mc.get_processor_status(1, 0, 0)
        expect(s0.cpu_state == AppState.run, "monitor state %r" % s0.cpu_state)
        expect(s.cpu_state == AppState.idle, "core 1 state %r, expected idle" % s.cpu_state)
        return "core 0 %s %r, core 1 %s" % (s0.cpu_state.name, s0.app_name, s.cpu_state.name)

    aplx = os.path.join(tmpdir, "tiny.aplx")
    with open(aplx, "wb") as f:
        f.write(aplx_image())
    targets = {(0, 0): {1, 2, 3}, (1, 1): {4}, (1, 0): {17}}

    @item("load_application (wait)")
    def _():
        mc.load_application(aplx, targets, app_id=APP_ID, wait=True)
        for (x, y), cores in targets.items():
            for p in cores:
                s = mc.get_processor_status(p, x, y)
                expect(s.cpu_state == AppState.wait and s.app_id == APP_ID,
                       "(%d,%d,%d): %s app %d" % (x, y, p, s.cpu_state.name, s.app_id))
        return "5 cores on 3 chips in WAIT"

    n = sum(len(c) for c in targets.values())

    @item("count_cores_in_state")
    def _():
        c = mc.count_cores_in_state("wait", APP_ID)
        expect(c == n, "count(wait) = %r, expected %d" % (c, n))
        c2 = mc.count_cores_in_state(["run", "idle"], APP_ID)
        expect(c2 == 0, "count(run+idle) for app %d = %r, expected 0" % (APP_ID, c2))
        return "wait=%d" % c

    @item("send_signal start/pause/cont")
    def _():
        mc.send_signal("start", APP_ID)
        time.sleep(0.1)
        expect(mc.count_cores_in_state("run", APP_ID) == n, "after start: run count %r" %
               mc.count_cores_in_state("run", APP_ID))
        mc.send_signal("pause", APP_ID)
        time.sleep(0.1)
        expect(mc.count_cores_in_state("pause", APP_ID) == n, "after pause: pause count %r" %
               mc.count_cores_in_state("pause", APP_ID))
        mc.send_signal("cont", APP_ID)
        time.sleep(0.1)
        expect(mc.count_cores_in_state("run", APP_ID) == n, "after cont: run count %r" %
               mc.count_cores_in_state("run", APP_ID))
        return "run -> pause -> run, %d cores each time" % n

    @item("get_processor_status (running)")
    def _():
        s = mc.get_processor_status(2, 0, 0)
        expect(s.cpu_state == AppState.run and s.app_id == APP_ID, "core 2: %s app %d" % (s.cpu_state.name, s.app_id))
        expect(s.time > 0, "vcpu.time = 0 for a started core")
        return "core 2 %s app_id %d name %r" % (s.cpu_state.name, s.app_id, s.app_name)

    @item("send_signal stop (frees app memory)")
    def _():
        mc.send_signal("stop", APP_ID)
        time.sleep(0.1)
        c = mc.count_cores_in_state(["run", "wait", "pause", "exit"], APP_ID)
        expect(c == 0, "after stop: %d cores of app %d still counted" % (c, APP_ID))
        s = mc.get_processor_status(1, 0, 0)
        expect(s.cpu_state == AppState.idle, "core 1 after stop: %s" % s.cpu_state.name)
        tagged = mc.read(mc.read_struct_field("sv", "alloc_tag", 0, 0) + 4 * ((APP_ID << 8) + 3), 4, 0, 0)
        expect(tagged == b"\0\0\0\0", "alloc_tag entry still set after stop: the app's SDRAM was not freed")
        ptr = mc.sdram_alloc(16, tag=3, x=0, y=0, app_id=APP_ID)
        return "cores idle, SDRAM freed (tag 3 reusable, 0x%08x)" % ptr


def main():
    tmpdir = tempfile.mkdtemp(prefix="real-tools-rig.")
    logf = open(os.path.join(tmpdir, "emulator.log"), "w+")
    proc = None
    if os.environ.get("EXTERNAL_BOARD") != "1":
        proc = start_emulator(logf)
    try:
        print("rig %s (%s) against %s (%s)" % (rig.__version__, os.path.dirname(rig.__file__), ADDR, SHAPE))
        mc = MachineController(ADDR)
        run(mc, tmpdir)
    finally:
        if proc is not None and proc.poll() is not None:
            logf.seek(0)
            report("emulator alive", False, "the emulator exited during the run (code %s): %s" %
                   (proc.returncode, logf.read()[-600:].replace("\n", "|")))
        stop_emulator(proc)
    passed = sum(RESULTS)
    print("rig: %d passed, %d failed" % (passed, len(RESULTS) - passed))
    sys.exit(0 if passed == len(RESULTS) else 1)


if __name__ == "__main__":
    main()
