# SPDX-License-Identifier: GPL-2.0-or-later
"""Run tshark with the freshly built isakmpstate plugin, and only that one.

Wireshark ignores WIRESHARK_PLUGIN_DIR and the personal plugin folder when
it runs as root, and would then load whatever copy is installed system-wide.
So, as root, tshark runs as 'nobody' with a throw-away HOME, and the plugin is
copied to a private world-readable folder first. Every session checks with
`tshark -G plugins` that the module loaded is that copy.
"""
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
# tcpdump's IKEv1 test captures, copied into the repository so that the
# tests need nothing outside it (tests/data/tcpdump/README.md says whence).
TCPDUMP = os.path.join(REPO, "tests", "data", "tcpdump")
SAMPLES = os.path.join(REPO, "sample-captures")


class Failure(Exception):
    pass


class TShark:
    def __init__(self, build_dir):
        src = os.path.join(build_dir, "plugins")
        if not os.path.isdir(src):
            raise Failure(f"no built plugin under {src}: build first")
        self.tmp = tempfile.mkdtemp(prefix="isktest-")
        atexit.register(self.close)  # also when a test dies half-way
        os.chmod(self.tmp, 0o755)
        self.plugins = os.path.join(self.tmp, "plugins")
        shutil.copytree(src, self.plugins)
        self.home = os.path.join(self.tmp, "home")
        os.mkdir(self.home)
        os.chmod(self.home, 0o777)
        for root, dirs, files in os.walk(self.tmp):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755 if "home" not in root + d else 0o777)
            for f in files:
                os.chmod(os.path.join(root, f), 0o755)
        self.prefix = []
        if os.geteuid() == 0:
            self.prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        self.env = {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": self.home,
            "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
            "WIRESHARK_PLUGIN_DIR": self.plugins,
            "LANG": "C.UTF-8",
        }
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LD_PRELOAD"):
            if k in os.environ:
                self.env[k] = os.environ[k]
        self.check_loaded()

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run(self, args, capture=None, check=True, timeout=300):
        """Run tshark on a private copy of the capture, so that 'nobody' needs
        no access to the original. Returns (returncode, stdout, stderr)."""
        cmd = self.prefix + ["tshark"] + list(args)
        if capture is not None:
            cmd += ["-r", self.readable_copy(capture)]
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=self.env, timeout=timeout)
        out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
        if check and p.returncode != 0:
            raise Failure(f"tshark {' '.join(args)} exited {p.returncode}: {err.strip()[:2000]}")
        return p.returncode, out, err

    def readable_copy(self, capture):
        """A copy 'nobody' can read (tshark -2 cannot read standard input)."""
        dst = os.path.join(self.tmp, "cap-" + os.path.basename(capture))
        if not os.path.exists(dst):
            shutil.copyfile(capture, dst)
            os.chmod(dst, 0o644)
        return dst

    def check_loaded(self):
        _, out, _ = self.run(["-G", "plugins"])
        for line in out.splitlines():
            cols = line.split("\t")
            if cols and cols[0].strip() == "isakmpstate.so":
                path = cols[-1].strip()
                if not path.startswith(self.plugins):
                    raise Failure(f"isakmpstate loaded from {path}, not from this build")
                self.version = cols[1].strip()
                return
        raise Failure("tshark -G plugins does not list isakmpstate.so:\n" + out)

    def fields(self, capture, names, two_pass=False, extra=()):
        """One dict per frame that has any of the fields (multi-values joined by ',')."""
        args = ["-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=,",
                "-e", "frame.number"]
        for n in names:
            args += ["-e", n]
        if two_pass:
            args = ["-2"] + args
        _, out, _ = self.run(list(args) + list(extra), capture=capture)
        rows = {}
        for line in out.splitlines():
            cols = line.split("\t")
            if len(cols) < len(names) + 1:
                cols += [""] * (len(names) + 1 - len(cols))
            row = dict(zip(names, cols[1:]))
            if any(row.values()):
                rows[int(cols[0])] = row
        return rows


class Suite:
    """A tiny runner: each check prints PASS/FAIL; exit status says it all."""

    def __init__(self, name):
        self.name, self.passed, self.failed = name, 0, 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {self.name}: {what}")
        return cond

    def eq(self, got, want, what):
        return self.check(got == want, f"{what}: got {got!r}, want {want!r}")

    def done(self):
        print(f"{self.name}: {self.passed} passed, {self.failed} failed")
        if self.passed == 0 and self.failed == 0:
            print(f"{self.name}: no check ran")
            sys.exit(1)
        sys.exit(1 if self.failed else 0)


def build_dir_from_argv():
    if len(sys.argv) < 2:
        sys.exit("usage: test.py BUILD_DIR")
    return sys.argv[1]


def load_json(path):
    with open(path) as f:
        return json.load(f)


# ---- what the end-to-end tests of the sample captures share ---------------

def sa_report(ts, capture, extra=()):
    """The per-SA report (-z isakmpstate,json) of a capture, by initiator
    cookie (IKEv2: initiator SPI)."""
    _, out, _ = ts.run(["-q", "-z", "isakmpstate,json"] + list(extra), capture=capture)
    doc = json.loads(out[out.index('{"isakmpstate"'):])
    return {sa["icookie"]: sa for sa in doc["sas"]}


def key_options(keys_file, table):
    """tshark -o options for each line of a sample capture's keys file
    (uat:TABLE:LINE), or None when there is no such file."""
    if not keys_file:
        return None
    path = os.path.join(SAMPLES, keys_file)
    if not os.path.exists(path):
        return None
    opts = []
    for line in open(path):
        line = line.strip()
        if line and not line.startswith("#"):
            opts += ["-o", f"uat:{table}:" + line]
    return opts or None


def frames_per_icookie(ts, capture):
    """ISAKMP frames per initiator cookie/SPI, from Wireshark's own ISAKMP
    fields (a frame with a reassembled message shows the cookie twice: one
    frame)."""
    _, out, _ = ts.run(["-T", "fields", "-e", "isakmp.ispi", "-Y", "isakmp"], capture=capture)
    n = {}
    for line in out.splitlines():
        for ck in set(c.lower() for c in line.strip().split(",") if c):
            n[ck] = n.get(ck, 0) + 1
    return n
