#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Benchmark isakmpstate against tshark without it, on generated ISAKMP-only
captures (gen_capture.py). A command to run by hand, not a test: it prints
figures and checks nothing but that the right plugin was loaded.

usage: run_bench.py [--sizes 10000,100000] [--seed 1] [--runs 3] [--big-runs 1]
                    [--callgrind-size 10000 | --no-callgrind] [--build DIR]
                    [--workdir /tmp/isakmpstate-bench] [--modes sum,q,io,z,2,tree]

Every tshark runs as 'nobody' (setpriv) with a fresh HOME, like
tests/tshark/isk.py: with the plugin, WIRESHARK_PLUGIN_DIR points at a
world-readable copy of BUILD/plugins; without, at an empty folder; nothing
else differs. `tshark -G plugins` proves which is which before measuring.

Modes (same capture, same run; base = without the plugin):
  sum   tshark -n -r X            > /dev/null   summary lines. Base builds no
                                                protocol tree; the plugin (a
                                                post-dissector wanting fields)
                                                makes tshark build one.
  q     tshark -n -r X -q                       tshark does not dissect at all
                                                without a tap or filter: the
                                                plugin is not even called.
  io    tshark -n -r X -q -z io,stat,0          dissects every packet, prints
                                                nothing per packet (base: no
                                                tree; plugin: tree + tracking):
                                                the plugin's single-pass cost.
  z     tshark -n -r X -q -z isakmpstate,sa     plugin only, compared with base io.
  2     tshark -n -2 -r X         > /dev/null   two passes, verdicts on packets.
  tree  tshark -n -r X -q -Y isakmp             base only: what building the tree
                                                for the plugin's wanted
                                                field costs without the plugin.
  empty the same as io on a capture with no packet: start-up cost.
  annotate  tools/isakmpstate-annotate --tshark 'tools/with-build-plugin --build
            WORKDIR tshark' -j 1 -q -o DIR X (when the tool exists; once, and
            only up to --annotate-max-sas), compared with base 2.

Measures: wall time and user+sys CPU (median of --runs, interleaving with and
without), peak RSS (/usr/bin/time), instructions with callgrind on the
--callgrind-size capture (perf has no hardware counters on this VM), the
plugin's own share of them (inclusive cost of every call from outside
isakmpstate.so into it), and the core's memory by structure (core_mem.c).
Results: WORKDIR/results.md and WORKDIR/results.json.
"""
import argparse
import concurrent.futures
import datetime
import glob
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
GEN = os.path.join(HERE, "gen_capture.py")
sys.path.insert(0, HERE)
import gen_capture  # noqa: E402

MODES = {
    # name: (with plugin?, without plugin?, args after the capture; {cap} is the capture)
    "sum": (True, True, ["-n", "-r", "{cap}"]),
    "q": (True, True, ["-n", "-r", "{cap}", "-q"]),
    "io": (True, True, ["-n", "-r", "{cap}", "-q", "-z", "io,stat,0"]),
    "z": (True, False, ["-n", "-r", "{cap}", "-q", "-z", "isakmpstate,sa"]),
    "2": (True, True, ["-n", "-2", "-r", "{cap}"]),
    "tree": (False, True, ["-n", "-r", "{cap}", "-q", "-Y", "isakmp"]),
}
BASELINE_OF = {"z": "io", "annotate": "2"}  # modes without a base run of their own: compared with this base
DEFAULT_MODES = ["sum", "q", "io", "z", "2", "tree", "annotate"]
BIG_MODES = ["io", "z", "sum", "2"]  # for captures of 500k SAs and more
PLUGIN_SO = "isakmpstate.so"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


class Env:
    """A private, world-readable copy of the plugin, an empty plugin folder,
    and the way to run tshark as nobody with either."""

    def __init__(self, build, workdir):
        src = os.path.join(build, "plugins")
        if not glob.glob(os.path.join(src, "*", "epan", PLUGIN_SO)):
            sys.exit(f"run_bench: no {PLUGIN_SO} under {src}: build first (./tests/bootstrap.sh)")
        self.workdir = workdir
        self.plugins = os.path.join(workdir, "plugins")
        shutil.rmtree(self.plugins, ignore_errors=True)
        shutil.copytree(src, self.plugins)
        self.noplugins = os.path.join(workdir, "noplugins")
        os.makedirs(self.noplugins, exist_ok=True)
        self.so = glob.glob(os.path.join(self.plugins, "*", "epan", PLUGIN_SO))[0]
        self.so_sha = hashlib.sha256(open(self.so, "rb").read()).hexdigest()[:12]
        for root, dirs, files in os.walk(workdir):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
            for f in files:
                os.chmod(os.path.join(root, f), 0o755 if f.endswith(".so") else 0o644)
        os.chmod(workdir, 0o755)
        self.prefix = []
        if os.geteuid() == 0:
            self.prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        self.homes = tempfile.mkdtemp(prefix="homes-", dir=workdir)
        os.chmod(self.homes, 0o755)
        self.n_home = 0

    def env(self, plugin):
        self.n_home += 1
        home = os.path.join(self.homes, str(self.n_home))
        os.mkdir(home)
        os.chmod(home, 0o777)
        return {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": home,
            "XDG_CONFIG_HOME": os.path.join(home, ".config"),
            "WIRESHARK_PLUGIN_DIR": self.plugins if plugin else self.noplugins,
            "LANG": "C.UTF-8",
        }

    def check(self):
        for plugin in (True, False):
            p = subprocess.run(self.prefix + ["tshark", "-G", "plugins"], env=self.env(plugin),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            rows = [line.split("\t") for line in p.stdout.splitlines()]
            loaded = [r[-1].strip() for r in rows if r and r[0].strip() == PLUGIN_SO]
            if plugin and not (loaded and loaded[0].startswith(self.plugins)):
                sys.exit(f"run_bench: tshark -G plugins does not load {PLUGIN_SO} from {self.plugins}: {loaded}")
            if not plugin and loaded:
                sys.exit(f"run_bench: {PLUGIN_SO} is loaded from {loaded[0]} even with an empty plugin folder "
                         "(an installed copy in the system plugin folder?)")
        log(f"run_bench: plugin {self.so} (sha256 {self.so_sha}) loads; the empty folder loads none")

    def time_run(self, plugin, args, stdout=subprocess.DEVNULL):
        """(wall s, cpu s, max RSS KiB) of one tshark run."""
        tf = os.path.join(self.workdir, "time.out")
        cmd = ["/usr/bin/time", "-o", tf, "-f", "%e %U %S %M"] + self.prefix + ["tshark"] + args
        p = subprocess.run(cmd, env=self.env(plugin), stdin=subprocess.DEVNULL, stdout=stdout,
                           stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"tshark {' '.join(args)} exited {p.returncode}: {p.stderr[-2000:]}")
        wall, user, sys_, rss = open(tf).read().split()[-4:]
        return float(wall), float(user) + float(sys_), int(rss)

    def callgrind(self, plugin, args, out):
        cmd = self.prefix + ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, "tshark"] + args
        p = subprocess.run(cmd, env=self.env(plugin), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"callgrind tshark {' '.join(args)} exited {p.returncode}: {p.stderr[-2000:]}")
        return out


# ------------------------------------------------------------ captures ---


def gen_key(sas, seed, extra):
    h = hashlib.sha256(open(GEN, "rb").read())
    for p in gen_capture.default_inputs():
        st = os.stat(p)
        h.update(f"{p}:{st.st_size}:{int(st.st_mtime)}".encode())
    h.update(f"{sas}:{seed}:{extra}".encode())
    return h.hexdigest()[:8]


def capture(workdir, sas, seed, gen_args):
    key = gen_key(sas, seed, " ".join(gen_args))
    path = os.path.join(workdir, f"bench-{sas}-s{seed}-{key}.pcap")
    if not (os.path.exists(path) and os.path.exists(path + ".json")):
        for old in glob.glob(os.path.join(workdir, f"bench-{sas}-s{seed}-*.pcap*")):
            os.unlink(old)  # an older generator or other inputs: big, remove
        est = sas * 10 * 280
        free = shutil.disk_usage(workdir).free
        if est > free * 0.8:
            sys.exit(f"run_bench: {sas} SAs need about {est / 1e9:.1f} GB, {workdir} has {free / 1e9:.1f} GB free")
        log(f"run_bench: generating {path} (about {est / 1e9:.2f} GB)")
        subprocess.run([sys.executable, GEN, "--sas", str(sas), "--seed", str(seed), "-o", path] + gen_args,
                       check=True)
    os.chmod(path, 0o644)
    with open(path + ".json") as f:
        return path, json.load(f)


def empty_capture(workdir):
    path = os.path.join(workdir, "empty.pcap")
    with open(path, "wb") as f:
        f.write(bytes.fromhex("d4c3b2a1020004000000000000000000ffff000001000000"))
    os.chmod(path, 0o644)
    return path


def warm(path):
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


# ------------------------------------------------------------ callgrind ---


class CG:
    """Self and call costs of a callgrind.out file (Ir only)."""

    def __init__(self, path):
        self.total = 0
        self.self_cost = {}   # (obj, fn) -> Ir
        self.calls = {}       # ((obj, fn), (obj, fn)) -> inclusive Ir
        names = {"ob": {}, "fl": {}, "fn": {}}
        kind_of = {"ob": "ob", "cob": "ob", "fl": "fl", "fi": "fl", "fe": "fl", "cfi": "fl", "cfl": "fl",
                   "fn": "fn", "cfn": "fn"}
        ob = fn = None
        cob = cfn = None
        pending_call = False
        rx = re.compile(r"^(ob|cob|fl|fi|fe|cfi|cfl|fn|cfn)=(?:\((\d+)\))?\s*(.*)$")
        with open(path, errors="replace") as f:
            for line in f:
                if not line or line[0] == "#":
                    continue
                c0 = line[0]
                if c0.isdigit() or c0 in "+-*":
                    parts = line.split()
                    cost = int(parts[1]) if len(parts) > 1 else 0
                    if pending_call:
                        key = ((ob, fn), (cob or ob, cfn))
                        self.calls[key] = self.calls.get(key, 0) + cost
                        pending_call = False
                        cob = cfn = None
                    else:
                        k = (ob, fn)
                        self.self_cost[k] = self.self_cost.get(k, 0) + cost
                    continue
                m = rx.match(line)
                if m:
                    spec, ident, name = m.group(1), m.group(2), m.group(3).strip()
                    table = names[kind_of[spec]]
                    if ident is not None:
                        if name:
                            table[ident] = name
                        name = table.get(ident, name)
                    if spec == "ob":
                        ob = name
                    elif spec == "cob":
                        cob = name
                    elif spec == "fn":
                        fn, cob, cfn = name, None, None
                    elif spec == "cfn":
                        cfn = name
                    continue
                if line.startswith("calls="):
                    pending_call = True
                elif line.startswith("summary:") or line.startswith("totals:"):
                    self.total = int(line.split()[1])

    def in_obj(self, key, obj_sub):
        return key[0] is not None and obj_sub in key[0]

    def object_share(self, obj_sub):
        """Inclusive Ir of every call into obj from outside it; self Ir inside obj."""
        inclusive = sum(c for (a, b), c in self.calls.items() if self.in_obj(b, obj_sub) and not self.in_obj(a, obj_sub))
        self_ir = sum(c for k, c in self.self_cost.items() if self.in_obj(k, obj_sub))
        return inclusive, self_ir

    def external_callees(self, obj_sub):
        """[(callee, inclusive Ir)] of calls from obj into other objects (Wireshark, GLib, libc)."""
        acc = {}
        for (a, b), c in self.calls.items():
            if self.in_obj(a, obj_sub) and not self.in_obj(b, obj_sub):
                acc[b[1]] = acc.get(b[1], 0) + c
        return sorted(acc.items(), key=lambda kv: -kv[1])

    def functions(self, obj_sub):
        """[(fn, inclusive, self)] of the functions in obj."""
        out = []
        fns = {k for k in self.self_cost if self.in_obj(k, obj_sub)}
        fns |= {a for (a, b) in self.calls if self.in_obj(a, obj_sub)}
        for k in fns:
            s = self.self_cost.get(k, 0)
            inc = s + sum(c for (a, b), c in self.calls.items() if a == k and b != k)
            out.append((k[1], inc, s))
        return out


# --------------------------------------------------------------- report ---


def fmt_s(x):
    return f"{x:.2f}" if x is not None else "-"


def ratio(a, b):
    return a / b if a and b else None


def fmt_r(r):
    return f"{r:.2f}" if r is not None else "-"


def fmt_g(n):
    return f"{n / 1e9:.2f} G" if n is not None else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000", help="IKE SAs per capture, comma-separated")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3, help="timed runs per mode (median)")
    ap.add_argument("--big-runs", type=int, default=1, help="timed runs per mode from 500k SAs on")
    ap.add_argument("--modes", default=",".join(DEFAULT_MODES))
    ap.add_argument("--big-modes", default=",".join(BIG_MODES), help="modes from 500k SAs on")
    ap.add_argument("--callgrind-size", type=int, default=10000, help="SAs of the capture run under callgrind")
    ap.add_argument("--no-callgrind", action="store_true")
    ap.add_argument("--jobs", type=int, default=2, help="callgrind runs in parallel (instruction counts do not care)")
    ap.add_argument("--build", default=os.environ.get("ISAKMPSTATE_BUILD", os.path.join(REPO, "build")))
    ap.add_argument("--workdir", default="/tmp/isakmpstate-bench")
    ap.add_argument("--annotate", default=os.path.join(REPO, "tools", "isakmpstate-annotate"))
    ap.add_argument("--annotate-max-sas", type=int, default=10000,
                    help="run the annotator (once, not --runs times) only on captures up to this size: "
                         "its time grows with the square of the SAs today")
    ap.add_argument("--gen-args", default="", help="extra arguments for gen_capture.py (quoted)")
    ap.add_argument("--merge", action="store_true",
                    help="add this run's modes to WORKDIR/results.json instead of starting afresh (with "
                         "--no-callgrind the earlier instruction counts are kept)")
    ap.add_argument("--reanalyze", action="store_true",
                    help="re-read WORKDIR/results.json and WORKDIR/callgrind/*.out, rewrite the report; run nothing")
    a = ap.parse_args()
    if a.reanalyze:
        with open(os.path.join(a.workdir, "results.json")) as f:
            res = json.load(f)
        if res.get("callgrind"):
            cg = res["callgrind"]
            cg["top"] = {}
            for m, d in cg["modes"].items():
                out = os.path.join(a.workdir, "callgrind", f"{m}-plugin.out")
                if "plugin" in d and os.path.exists(out):
                    c = CG(out)
                    d["plugin"]["plugin_inclusive"], d["plugin"]["plugin_self"] = c.object_share(PLUGIN_SO)
                    if m in ("io", "2", "z"):
                        fns = c.functions(PLUGIN_SO)
                        cg["top"][m] = {"inclusive": sorted(fns, key=lambda x: -x[1])[:15],
                                        "self": sorted(fns, key=lambda x: -x[2])[:15],
                                        "external": c.external_callees(PLUGIN_SO)[:12]}
        md = report(res)
        with open(os.path.join(a.workdir, "results.md"), "w") as f:
            f.write(md)
        with open(os.path.join(a.workdir, "results.json"), "w") as f:
            json.dump(res, f, indent=1, default=str)
        print(md)
        return

    os.makedirs(a.workdir, exist_ok=True)
    os.chmod(a.workdir, 0o755)
    env = Env(a.build, a.workdir)
    env.check()
    sizes = [int(s) for s in a.sizes.split(",") if s]
    modes = [m for m in a.modes.split(",") if m]
    big_modes = [m for m in a.big_modes.split(",") if m]
    gen_args = a.gen_args.split()
    empty = empty_capture(a.workdir)
    notes = []
    res = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
           "machine": f"{platform.node()} {os.cpu_count()} CPUs, load average at start "
                      f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}",
           "tshark": subprocess.run(["tshark", "--version"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True).stdout.splitlines()[0],
           "plugin_sha256": env.so_sha, "sizes": {}, "callgrind": None, "core": {}, "notes": notes}
    if a.merge and os.path.exists(os.path.join(a.workdir, "results.json")):
        with open(os.path.join(a.workdir, "results.json")) as f:
            old = json.load(f)
        if old.get("plugin_sha256") != env.so_sha:
            sys.exit(f"run_bench: --merge: the plugin changed since {old.get('date')} "
                     f"({old.get('plugin_sha256')} -> {env.so_sha}); run everything again")
        notes[:] = [x for x in old.get("notes", []) if "annotate" not in x]
        old["notes"] = notes
        old["sizes"] = {int(k): v for k, v in old["sizes"].items()}
        old["core"] = {int(k): v for k, v in old.get("core", {}).items()}
        old["merged"] = old.get("merged", []) + [res["date"] + ": " + res["machine"]]
        res = old

    # core memory harness (plain C, no Wireshark)
    core_bin = os.path.join(a.workdir, "core_mem")
    core_lib = os.path.join(a.build, "plugin", "libisakmpstate_core.a")
    cc = subprocess.run(["cc", "-O2", "-g", "-std=gnu11", "-I", os.path.join(REPO, "plugin", "core"),
                         os.path.join(HERE, "core_mem.c"), core_lib, "-lgcrypt", "-o", core_bin],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if cc.returncode != 0:
        notes.append("core_mem.c did not build: " + cc.stdout[-500:])
        core_bin = None

    annotate = a.annotate if os.access(a.annotate, os.X_OK) else None
    if not annotate:
        notes.append(f"{os.path.relpath(a.annotate, REPO)} does not exist (yet): batch annotator not measured")

    caps = {}
    for n in sorted(set(sizes + ([] if a.no_callgrind else [a.callgrind_size]))):
        caps[n] = capture(a.workdir, n, a.seed, gen_args)

    # ---- core breakdown
    for n, (path, man) in caps.items():
        if core_bin:
            p = subprocess.run([core_bin, path], stdout=subprocess.PIPE, text=True)
            kv = dict(line.split(None, 1) for line in p.stdout.splitlines() if " " in line)
            res["core"][n] = {k: (float(v) if "." in v else int(v)) for k, v in kv.items()}

    # ---- timing and memory
    def timing(n):
        path, man = caps[n]
        big = n >= 500_000
        runs = a.big_runs if big else a.runs
        use = [m for m in (big_modes if big else modes) if m in MODES]
        warm(path)
        log(f"run_bench: {n} SAs, {man['packets']} packets, {man['bytes'] / 1e6:.0f} MB: "
            f"{runs} run(s) of {', '.join(use)}")
        jobs = []
        for m in ["empty"] + use:
            wp, wo, args = MODES["io" if m == "empty" else m]
            cap = empty if m == "empty" else path
            argv = [x.replace("{cap}", cap) for x in args]
            if wo:
                jobs.append((m, False, argv))
            if wp:
                jobs.append((m, True, argv))
        if annotate and "annotate" in (big_modes if big else modes) and n <= a.annotate_max_sas:
            jobs.append(("annotate", True, None))
        meas = {}
        for r in range(runs):
            for m, plugin, argv in (jobs if r % 2 == 0 else list(reversed(jobs))):
                if m == "annotate" and r > 0:
                    continue
                if m == "annotate":
                    outdir = os.path.join(a.workdir, "annotate-out")
                    shutil.rmtree(outdir, ignore_errors=True)
                    tf = os.path.join(a.workdir, "time.out")
                    # the annotator runs tshark -2 itself: through tools/with-build-plugin, as nobody,
                    # with the same private copy of the plugin (WORKDIR/plugins)
                    tshark_cmd = f"{os.path.join(REPO, 'tools', 'with-build-plugin')} --build {a.workdir} tshark"
                    p = subprocess.run(["/usr/bin/time", "-o", tf, "-f", "%e %U %S %M", annotate, "--tshark",
                                        tshark_cmd, "-j", "1", "-q", "-o", outdir, path],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                    shutil.rmtree(outdir, ignore_errors=True)
                    if p.returncode != 0:
                        note = f"annotate exited {p.returncode}: {p.stderr[-300:]}"
                        if note not in notes:
                            notes.append(note)
                        continue
                    w, u, s, rss = open(tf).read().split()[-4:]
                    v = (float(w), float(u) + float(s), int(rss))
                else:
                    v = env.time_run(plugin, argv)
                meas.setdefault((m, plugin), []).append(v)
                log(f"  {m:6s} {'plugin' if plugin else 'base  '} wall {v[0]:7.2f} s cpu {v[1]:7.2f} s "
                    f"rss {v[2] / 1024:8.1f} MiB")
        out = {}
        for (m, plugin), vs in meas.items():
            out.setdefault(m, {})["plugin" if plugin else "base"] = {
                "wall": statistics.median(v[0] for v in vs), "cpu": statistics.median(v[1] for v in vs),
                "rss_kib": max(v[2] for v in vs), "runs": len(vs)}
        prev = res["sizes"].get(n, {}).get("modes", {}) if a.merge else {}
        prev.update(out)
        res["sizes"][n] = {"capture": path, "packets": man["packets"], "bytes": man["bytes"],
                           "kinds": {k: v["sas"] for k, v in man["kinds"].items()}, "modes": prev}

    # ---- callgrind
    def run_callgrind():
        n = a.callgrind_size
        path, man = caps[n]
        cgdir = os.path.join(a.workdir, "callgrind")
        shutil.rmtree(cgdir, ignore_errors=True)
        os.makedirs(cgdir)
        os.chmod(cgdir, 0o777)
        todo = []
        for m in ["empty"] + [m for m in modes if m in MODES and m != "q"]:
            wp, wo, args = MODES["io" if m == "empty" else m]
            cap = empty if m == "empty" else path
            argv = [x.replace("{cap}", cap) for x in args]
            for plugin, want in ((False, wo), (True, wp)):
                if want:
                    todo.append((m, plugin, argv, os.path.join(cgdir, f"{m}-{'plugin' if plugin else 'base'}.out")))
        log(f"run_bench: callgrind on {n} SAs: {len(todo)} runs, {a.jobs} at a time")
        with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
            futs = {ex.submit(env.callgrind, plugin, argv, out): (m, plugin) for m, plugin, argv, out in todo}
            for fu in concurrent.futures.as_completed(futs):
                fu.result()
                log(f"  callgrind {futs[fu][0]} {'plugin' if futs[fu][1] else 'base'} done")
        cg = {"size": n, "packets": man["packets"], "modes": {}, "top": {}}
        for m, plugin, argv, out in todo:
            c = CG(out)
            d = {"total": c.total}
            if plugin:
                inc, self_ir = c.object_share(PLUGIN_SO)
                d["plugin_inclusive"], d["plugin_self"] = inc, self_ir
                if m in ("io", "2", "z"):
                    fns = c.functions(PLUGIN_SO)
                    cg["top"][m] = {
                        "inclusive": sorted(fns, key=lambda x: -x[1])[:15],
                        "self": sorted(fns, key=lambda x: -x[2])[:15],
                        "external": c.external_callees(PLUGIN_SO)[:12]}
            cg["modes"].setdefault(m, {})["plugin" if plugin else "base"] = d
        res["callgrind"] = cg

    def save():
        with open(os.path.join(a.workdir, "results.json"), "w") as f:
            json.dump(res, f, indent=1, default=str)
        with open(os.path.join(a.workdir, "results.md"), "w") as f:
            f.write(report(res))

    # small sizes, then callgrind, then big ones; results saved after each step
    for n in [n for n in sizes if n < 500_000]:
        timing(n)
        save()
    if not a.no_callgrind:
        run_callgrind()
        save()
    for n in [n for n in sizes if n >= 500_000]:
        timing(n)
        save()
    print(report(res))


def report(res):
    L = []
    L.append(f"isakmpstate benchmark, {res['date']}; {res['tshark']}; plugin sha256 {res['plugin_sha256']}")
    L.append(f"machine: {res['machine']}")
    L.append("")
    L.append("Wall and CPU (user+sys) are medians; ratio = with plugin / without. RSS = peak resident set.")
    L.append("Memory per SA = (RSS with - RSS without) / SAs; 'slope' between two sizes removes fixed costs.")
    L.append("")
    order = ["empty", "sum", "q", "io", "z", "2", "tree", "annotate"]
    for n, s in res["sizes"].items():
        n = int(n)
        L.append(f"### {n} IKE SAs ({s['packets']} packets, {s['bytes'] / 1e6:.0f} MB; "
                 f"mix: {', '.join(f'{k} {v}' for k, v in s['kinds'].items())})")
        L.append("")
        L.append("| mode | wall base s | wall plugin s | ratio | net ratio | CPU base s | CPU plugin s | ratio | "
                 "net ratio | RSS base MiB | RSS plugin MiB | plugin B/SA |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        em = s["modes"].get("empty", {})

        def net(x, y, key):
            return (x[key] - y[key]) if x and y else None
        for m in order:
            if m not in s["modes"]:
                continue
            d = s["modes"][m]
            b = d.get("base") or s["modes"].get(BASELINE_OF.get(m, ""), {}).get("base")
            p = d.get("plugin")
            if m == "tree":
                continue
            name = m + (f" (base: {BASELINE_OF[m]})" if m in BASELINE_OF else "")
            per_sa = ((p["rss_kib"] - b["rss_kib"]) * 1024 / n) if (p and b and m != "empty") else None
            nr = {}
            for key in ("wall", "cpu"):
                nb, np_ = net(b, em.get("base"), key), net(p, em.get("plugin"), key)
                # q: tshark dissects nothing, the net time is ~0 and its ratio noise
                nr[key] = ratio(np_, nb) if m not in ("empty", "q") and nb and nb > 0 else None
            L.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
                name, fmt_s(b and b["wall"]), fmt_s(p and p["wall"]), fmt_r(ratio(p and p["wall"], b and b["wall"])),
                fmt_r(nr["wall"]), fmt_s(b and b["cpu"]), fmt_s(p and p["cpu"]),
                fmt_r(ratio(p and p["cpu"], b and b["cpu"])), fmt_r(nr["cpu"]),
                f"{b['rss_kib'] / 1024:.1f}" if b else "-", f"{p['rss_kib'] / 1024:.1f}" if p else "-",
                f"{per_sa:.0f}" if per_sa is not None else "-"))
        t, io = s["modes"].get("tree", {}).get("base"), s["modes"].get("io", {}).get("base")
        if t and io:
            L.append("")
            L.append(f"Without the plugin, building the tree for the plugin's wanted field (mode tree: "
                     f"-q -Y isakmp) vs io: wall {t['wall']:.2f} s vs {io['wall']:.2f} s "
                     f"(x{t['wall'] / io['wall']:.2f}), CPU x{t['cpu'] / io['cpu']:.2f}, RSS {t['rss_kib'] / 1024:.1f} MiB.")
        L.append("")
    sizes = sorted(res["sizes"], key=int)
    if len(sizes) >= 2:
        L.append("Memory slope (extra RSS of the plugin per additional SA, between consecutive sizes):")
        L.append("")
        L.append("| mode | " + " | ".join(f"{a}->{b}" for a, b in zip(sizes, sizes[1:])) + " |")
        L.append("|---|" + "---:|" * (len(sizes) - 1))
        for m in order:
            cells = []
            for x, y in zip(sizes, sizes[1:]):
                sx, sy = res["sizes"][x]["modes"], res["sizes"][y]["modes"]

                def delta(sm):
                    d = sm.get(m, {})
                    b = d.get("base") or sm.get(BASELINE_OF.get(m, ""), {}).get("base")
                    p = d.get("plugin")
                    return (p["rss_kib"] - b["rss_kib"]) * 1024 if p and b else None
                dx, dy = delta(sx), delta(sy)
                cells.append(f"{(dy - dx) / (int(y) - int(x)):.0f} B/SA" if dx is not None and dy is not None else "-")
            if any(c != "-" for c in cells) and m != "empty":
                L.append(f"| {m} | " + " | ".join(cells) + " |")
        L.append("")
    cg = res.get("callgrind")
    if cg:
        L.append(f"### Instructions (callgrind, {cg['size']} SAs, {cg['packets']} packets)")
        L.append("")
        L.append("'net' subtracts the start-up run on an empty capture (same plugin setting). 'plugin own' = "
                 "inclusive Ir of all calls into isakmpstate.so from outside it (tracking, verdicts, its fields "
                 "and expert items); 'tree' = what remains of the difference: dissectors building the tree "
                 "the post-dissector asks for.")
        L.append("")
        L.append("| mode | Ir base | Ir plugin | ratio | net ratio | plugin own | own / net base | "
                 "Ir/packet base (net) | Ir/packet plugin (net) |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        e = cg["modes"].get("empty", {})
        eb, ep = e.get("base", {}).get("total"), e.get("plugin", {}).get("total")
        pk = cg["packets"]
        for m in order:
            if m not in cg["modes"]:
                continue
            d = cg["modes"][m]
            b = (d.get("base") or cg["modes"].get(BASELINE_OF.get(m, ""), {}).get("base") or {}).get("total")
            p = (d.get("plugin") or {}).get("total")
            own = (d.get("plugin") or {}).get("plugin_inclusive")
            nb = b - eb if b and eb and m != "empty" else None
            np_ = p - ep if p and ep and m != "empty" else None
            name = m + (f" (base: {BASELINE_OF[m]})" if m in BASELINE_OF else "")
            L.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
                name, fmt_g(b), fmt_g(p), fmt_r(ratio(p, b)), fmt_r(ratio(np_, nb)),
                fmt_g(own) if own is not None else "-",
                f"{own / nb * 100:.1f} %" if own is not None and nb else "-",
                f"{nb / pk:.0f}" if nb else "-", f"{np_ / pk:.0f}" if np_ else "-"))
        L.append("")
        for m, top in cg["top"].items():
            L.append(f"Top plugin functions, mode {m} (Ir, inclusive / self):")
            L.append("")
            L.append("| function | inclusive | self |")
            L.append("|---|---:|---:|")
            seen = set()
            for fn, inc, s in top["inclusive"][:10] + top["self"][:8]:
                if fn in seen:
                    continue
                seen.add(fn)
                L.append(f"| {fn} | {inc / 1e6:.1f} M | {s / 1e6:.1f} M |")
            if top.get("external"):
                L.append("")
                L.append("Where the plugin's calls into Wireshark, GLib and libc go (inclusive Ir): " + ", ".join(
                    f"{fn} {c / 1e6:.1f} M" for fn, c in top["external"]))
            L.append("")
    if res["core"]:
        L.append("### Plugin core memory by structure (core_mem.c, no Wireshark)")
        L.append("")
        L.append("| SAs | records | exchanges | ike_sa | record (packed) | ike_exchange | maps and side tables | tracker B/SA | "
                 "offered strings | verdicts B/SA (of which strings) |")
        L.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for n, c in sorted(res["core"].items(), key=lambda kv: int(kv[0])):
            sas = c["sas"] or 1
            L.append("| {} | {} | {} | {} B x {} = {:.1f} MB | {} B x {} = {:.1f} MB | {} B x {} = {:.1f} MB | "
                     "{:.1f} MB | {:.0f} | {:.1f} MB | {} |".format(
                         c["sas"], c["records"], c["exchanges"],
                         c["sizeof_ike_sa"], c["sas"], c["tracker_sas_vec"] / 1e6,
                         c["sizeof_ike_record"], c["records"], c["tracker_records_vec"] / 1e6,
                         c["sizeof_ike_exchange"], c["exchanges"], c["tracker_exchanges_vec"] / 1e6,
                         c["tracker_maps_and_rest"] / 1e6, c["heap_after_tracking"] / sas,
                         c["offered_string_bytes"] / 1e6,
                         f"{c.get('verdicts_heap', 0) / sas:.0f} ({c.get('verdict_strings_bytes', 0) / sas:.0f})"))
        L.append("")
    for note in res["notes"]:
        L.append(f"Note: {note}")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    main()
