#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""isakmpstate-annotate on a folder of real and broken captures.

usage: test_annotate.py BUILD_DIR

The tool runs tshark through tools/with-build-plugin (the build's plugin,
as nobody when root); the reference results come from tests/tshark/isk.py
(the same plugin, independently) and from plain tshark/capinfos, which need
no plugin to read packets and comments. Checks:
- exit status 1, every broken input named with its reason, the good ones
  annotated; inputs untouched (hashes, FIFO, symlink);
- report.json SA records == the plugin's own `-z isakmpstate,json` for each
  good file (plus "file"), tcpdump verdicts ok; report.csv agrees;
- annotated captures keep every packet: capinfos -c, per-packet SHA-256 of
  bytes + lengths + exact timestamps with the tool's reader, and tshark's
  frame.time_epoch / len / cap_len / md5_hash / encap_type / interface_id;
- comments visible to tshark (frame.comment) on exactly the isakmpstate
  frames, verdict on each SA's stop frame, a foreign comment kept;
- re-annotating annotated captures gives the same comments (not doubled);
- the tool refuses a tshark without the plugin, bad key files, and never
  writes a PSK anywhere.
"""
import concurrent.futures
import csv
import glob
import hashlib
import io
import importlib.machinery
import importlib.util
import json
import os
import re
import shlex
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "tshark"))
from isk import SAMPLES, TCPDUMP, Suite, TShark  # noqa: E402

TOOL = os.path.join(REPO, "tools", "isakmpstate-annotate")
WRAPPER = os.path.join(REPO, "tools", "with-build-plugin")
loader = importlib.machinery.SourceFileLoader("isakmpstate_annotate", TOOL)
spec = importlib.util.spec_from_loader("isakmpstate_annotate", loader)
ann = importlib.util.module_from_spec(spec)
loader.exec_module(ann)

build = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else sys.exit("usage: test_annotate.py BUILD_DIR")
S = Suite("annotate")
ts = TShark(build)
TSHARK_CMD = f"{shlex.quote(WRAPPER)} --build {shlex.quote(build)} tshark"
tmp = tempfile.mkdtemp(prefix="isk-annotate-")


def run_tool(args, timeout=300):
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, TOOL] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout.decode(), p.stderr.decode(), time.monotonic() - t0


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def packets(path):
    """Per packet with the tool's reader: (sha256 of bytes, caplen, origlen,
    exact time, interface linktype, comments)."""
    kind = ann.sniff(path)
    f, raw = ann.open_capture(path, kind)
    out, ifaces = [], []
    try:
        for it in ann.read_capture(f, kind):
            if isinstance(it, ann.Section):
                ifaces = []
            elif isinstance(it, ann.Interface):
                ifaces.append(it.linktype)
            elif isinstance(it, ann.Packet):
                out.append((hashlib.sha256(it.data).hexdigest(), it.caplen, it.origlen, it.time(),
                            ifaces[it.iface], it.comments()))
    finally:
        f.close()
        raw.close()
    return out


def tshark_plain(path, args):
    """System tshark as it is (no plugin needed): reads packets and comments."""
    p = subprocess.run(["tshark", "-n", "-r", path] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def tshark_frames(path):
    rc, out = tshark_plain(path, ["-o", "frame.generate_md5_hash:TRUE", "-T", "fields", "-E", "separator=\t",
                                  "-e", "frame.number", "-e", "frame.time_epoch", "-e", "frame.len",
                                  "-e", "frame.cap_len", "-e", "frame.md5_hash", "-e", "frame.encap_type",
                                  "-e", "frame.interface_id"])
    # pcap has no interface IDs; its one interface becomes interface 0.
    return rc, [l.split("\t")[1:-1] + [l.split("\t")[-1] or "0"] for l in out.splitlines()]


def capinfos_count(path):
    p = subprocess.run(["capinfos", "-c", "-M", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for line in p.stdout.decode().splitlines():
        if "Number of packets" in line:
            return line.split(":", 1)[1].strip()
    return None


def pcap_be_ns(src, dst):
    """Rewrite a little-endian microsecond pcap as big-endian nanosecond."""
    b = open(src, "rb").read()
    assert b[:4] == b"\xd4\xc3\xb2\xa1"
    out = bytearray(b"\xa1\xb2\x3c\x4d" + struct.pack(">HHiIII", *struct.unpack("<HHiIII", b[4:24])))
    i = 24
    while i < len(b):
        sec, usec, incl, orig = struct.unpack_from("<IIII", b, i)
        out += struct.pack(">IIII", sec, usec * 1000 + 7, incl, orig) + b[i + 16:i + 16 + incl]
        i += 16 + incl
    open(dst, "wb").write(out)


def synthetic_pcapng(dst):
    """pcapng with what real writers produce less often: a big-endian section
    and a little-endian one, three interfaces (ns, us, 2^-20 s with a time
    offset), an EPB with flags and someone's comment, a simple packet block,
    an obsolete packet block carrying a stale isakmpstate comment, name
    resolution, interface statistics and decryption secrets blocks."""
    src = open(os.path.join(TCPDUMP, "ISAKMP_sa_setup.pcap"), "rb").read()
    pk, i = [], 24
    while i < len(src):
        sec, us, incl, _ = struct.unpack_from("<IIII", src, i)
        pk.append((sec, us, src[i + 16:i + 16 + incl]))
        i += 16 + incl
    B, O = ann.make_block, ann.encode_options

    def pad(d):
        return d + b"\0" * (-len(d) % 4)

    def epb(e, iface, t, d, o=()):
        return B(e, 6, struct.pack(e + "IIIII", iface, t >> 32, t & 0xFFFFFFFF, len(d), len(d)) + pad(d) + O(list(o), e))
    out = bytearray()
    e = ">"
    out += B(e, 0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1) + O([(1, b"section one"), (4, b"gen")], e))
    out += B(e, 1, struct.pack(e + "HHI", 1, 0, 0) + O([(2, b"eth0"), (9, b"\x09")], e))
    out += B(e, 1, struct.pack(e + "HHI", 1, 0, 0) + O([(2, b"eth1"), (9, b"\x06")], e))
    out += B(e, 4, pad(struct.pack(e + "HH", 1, 13) + bytes([10, 0, 0, 1]) + b"peer-one\0") + b"\0" * 4)
    out += epb(e, 0, pk[0][0] * 10**9 + pk[0][1] * 1000 + 123, pk[0][2],
               [(1, b"hello from Bob"), (2, struct.pack(e + "I", 1))])
    out += B(e, 3, struct.pack(e + "I", len(pk[1][2])) + pad(pk[1][2]))
    t = pk[2][0] * 10**6 + pk[2][1]
    out += B(e, 2, struct.pack(e + "HHIIII", 1, 0xFFFF, t >> 32, t & 0xFFFFFFFF, len(pk[2][2]), len(pk[2][2]))
             + pad(pk[2][2]) + O([(1, b"isakmpstate: stale comment")], e))
    out += epb(e, 1, pk[3][0] * 10**6 + pk[3][1], pk[3][2])
    out += B(e, 5, struct.pack(e + "III", 0, 0, 0) + O([(4, struct.pack(e + "Q", 9))], e))
    e = "<"
    out += B(e, 0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1))
    out += B(e, 1, struct.pack(e + "HHI", 1, 0, 0) + O([(9, b"\x94"), (14, struct.pack("<q", 100))], e))
    for k in range(4, 9):
        out += epb(e, 0, (pk[k][0] - 100) * 2**20 + pk[k][1] * 2**20 // 10**6, pk[k][2])
    out += B(e, 0x0A, struct.pack("<II", 0x544C534B, 5) + pad(b"abcde"))
    open(dst, "wb").write(out)


def other_blocks(path):
    kind = ann.sniff(path)
    f, raw = ann.open_capture(path, kind)
    try:
        return [(it.btype, it.raw) for it in ann.read_capture(f, kind) if isinstance(it, ann.Other)]
    finally:
        f.close()
        raw.close()


# ---------------------------------------------------------------- inputs
IN = os.path.join(tmp, "in")
OUT = os.path.join(tmp, "out")
os.makedirs(os.path.join(IN, "sub"))
shutil.copy(os.path.join(TCPDUMP, "ISAKMP_sa_setup.pcap"), IN)
shutil.copy(os.path.join(TCPDUMP, "isakmp4500.pcap"), os.path.join(IN, "sub"))
shutil.copy(os.path.join(TCPDUMP, "isakmp-no-none-np.pcapng"), IN)   # a real pcapng
pcap_be_ns(os.path.join(TCPDUMP, "ISAKMP_sa_setup.pcap"), os.path.join(IN, "sub", "setup-be-ns.pcap"))
shutil.copy(os.path.join(TCPDUMP, "isakmp4500.pcap"), os.path.join(IN, "sub", "no-extension"))
with open(os.path.join(TCPDUMP, "isakmp4500.pcap"), "rb") as f, \
        open(os.path.join(IN, "sub", "zipped.pcap.gz"), "wb") as g:
    import gzip
    g.write(gzip.compress(f.read()))
# A pcapng with a comment somebody else wrote.
subprocess.run(["editcap", "-a", "1:note from Alice", os.path.join(TCPDUMP, "ISAKMP_sa_setup.pcap"),
                os.path.join(IN, "alice.pcapng")], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
synthetic_pcapng(os.path.join(IN, "sub", "synthetic.pcapng"))
samples = sorted(glob.glob(os.path.join(SAMPLES, "*.pcapng")))
if samples:
    os.makedirs(os.path.join(IN, "samples"))
    for s in samples:
        shutil.copy(s, os.path.join(IN, "samples"))
GOOD = {  # input (relative to IN) -> output (relative to OUT)
    "ISAKMP_sa_setup.pcap": "ISAKMP_sa_setup.annotated.pcapng",
    "sub/isakmp4500.pcap": "sub/isakmp4500.annotated.pcapng",
    "isakmp-no-none-np.pcapng": "isakmp-no-none-np.annotated.pcapng",
    "sub/setup-be-ns.pcap": "sub/setup-be-ns.annotated.pcapng",
    "sub/no-extension": "sub/no-extension.annotated.pcapng",
    "sub/zipped.pcap.gz": "sub/zipped.annotated.pcapng",
    "alice.pcapng": "alice.annotated.pcapng",
    "sub/synthetic.pcapng": "sub/synthetic.annotated.pcapng",
}
for s in samples:
    n = os.path.basename(s)
    GOOD["samples/" + n] = "samples/" + n[:-len(".pcapng")] + ".annotated.pcapng"
OK_VERDICT = {"ISAKMP_sa_setup.pcap", "sub/isakmp4500.pcap", "sub/setup-be-ns.pcap", "sub/no-extension",
              "sub/zipped.pcap.gz", "alice.pcapng"}

# Broken inputs, with a word their error must contain.
with open(os.path.join(IN, "x.pcap"), "w") as f:
    f.write("this is not a capture file\n" * 10)
src = open(os.path.join(TCPDUMP, "ISAKMP_sa_setup.pcap"), "rb").read()
open(os.path.join(IN, "sub", "trunc.pcap"), "wb").write(src[:700])
open(os.path.join(IN, "empty.pcap"), "wb").close()
os.symlink(os.path.join(tmp, "nowhere.pcap"), os.path.join(IN, "z.pcap"))   # unreadable, even as root
os.mkfifo(os.path.join(IN, "w.pcap"))                                       # would block a naive reader
os.mkdir(os.path.join(IN, "y.pcap"))                                        # a folder, given as an argument
BAD = {"x.pcap": "not a capture", "sub/trunc.pcap": "truncated", "empty.pcap": "empty",
       "z.pcap": "dangling", "w.pcap": "not a regular file", "y.pcap": "no capture"}


def snapshot():
    snap = {}
    for root, dirs, files in os.walk(IN):
        for n in dirs + files:
            p = os.path.join(root, n)
            st = os.lstat(p)
            snap[p] = (stat.S_IFMT(st.st_mode), st.st_mode, st.st_mtime_ns,
                       sha(p) if stat.S_ISREG(st.st_mode) else os.readlink(p) if stat.S_ISLNK(st.st_mode) else "")
    return snap


before = snapshot()

# ---------------------------------------------------------------- the batch
rc, out, err, secs = run_tool(["-j", "2", "--tshark", TSHARK_CMD, "-o", OUT, IN, os.path.join(IN, "y.pcap")])
S.eq(rc, 1, f"exit status with broken inputs (stderr: {err[-500:]})")
S.eq(snapshot(), before, "inputs untouched")
S.check(os.path.exists(os.path.join(OUT, "summary.txt")) and open(os.path.join(OUT, "summary.txt")).read() == out,
        "summary printed and written")
report = json.load(open(os.path.join(OUT, "report.json")))
S.eq(report.get("isakmpstate_annotate"), 1, "report schema version")
files = {os.path.relpath(r["file"], IN): r for r in report["files"]}
S.eq(sorted(files), sorted(list(GOOD) + list(BAD)), "every input listed once")
for rel, word in BAD.items():
    r = files.get(rel, {})
    S.check(r.get("status") == "failed" and word in (r.get("error") or ""),
            f"{rel}: failed with '{word}': {r}")
    S.check(os.path.join(IN, rel) in out and word in out.split("could not be annotated:")[-1],
            f"{rel}: named in the summary")
S.check("Inputs that could not be annotated" in out, "summary lists the failed inputs")
S.eq(report["summary"]["failed_files"], len(BAD), "summary count of failed inputs")
left = [n for _, _, fs in os.walk(OUT) for n in fs if n.startswith(".") or n.endswith(".tmp")]
S.eq(left, [], "no temporary file left in the output folder")

by_file = {}
for s in report["sas"]:
    by_file.setdefault(os.path.relpath(s["file"], IN), []).append({k: v for k, v in s.items() if k != "file"})


class Rec:
    """Checks made in a worker thread, replayed into S in order."""

    def __init__(self):
        self.items = []

    def check(self, cond, what):
        self.items.append((bool(cond), what))
        return cond

    def eq(self, got, want, what):
        return self.check(got == want, f"{what}: got {got!r}, want {want!r}")


def verify(rel, orel):
    """Every check of one good input and its annotated capture."""
    C = Rec()
    path, opath = os.path.join(IN, rel), os.path.join(OUT, orel)
    r = files.get(rel, {})
    if not C.check(r.get("status") == "ok" and r.get("output") == orel and os.path.isfile(opath),
                   f"{rel}: annotated as {orel}: {r}"):
        return C.items
    # Verdict consistency: the plugin's own report, one pass, independently.
    _, jout, _ = ts.run(["-q", "-z", "isakmpstate,json"], capture=path)
    ref = json.loads(jout[jout.index('{"isakmpstate"'):])["sas"]
    C.eq(by_file.get(rel, []), ref, f"{rel}: SA records == -z isakmpstate,json")
    if rel in OK_VERDICT:
        C.eq([s["cause"] for s in ref], ["ok"], f"{rel}: verdict")
    # Same packets: count, bytes, lengths, exact timestamps, link types.
    C.eq(capinfos_count(opath), capinfos_count(path), f"{rel}: capinfos -c")
    pin, pout = packets(path), packets(opath)
    C.eq([p[:5] for p in pout], [p[:5] for p in pin], f"{rel}: packets (reader)")
    rci, tin = tshark_frames(path)
    rco, tout = tshark_frames(opath)
    C.check(rci == 0 and rco == 0 and len(tin) == len(pin) and tin == tout,
            f"{rel}: packets (tshark time/len/cap_len/md5/encap/interface): {len(tin)} vs {len(tout)}")
    # Comments: on exactly the frames isakmpstate labels, readable by tshark.
    labelled = ts.fields(path, ["isakmpstate.sa", "isakmpstate.malformed", "isakmpstate.ikev2"], True)
    _, cout = tshark_plain(opath, ["-Y", 'frame.comment contains "isakmpstate:"', "-T", "fields",
                                   "-e", "frame.number"])
    # (a simple packet block cannot hold a comment: the report says which)
    C.eq(sorted([int(x) for x in cout.split()] + r["uncommented_frames"]), sorted(labelled),
         f"{rel}: frames with isakmpstate comments")
    C.eq(other_blocks(opath), other_blocks(path), f"{rel}: other pcapng blocks kept as they are")
    ours = {i + 1: [c for c in p[5] if c.startswith("isakmpstate: ")] for i, p in enumerate(pout)}
    for sa in ref:
        stop = sa["stop_frame"]
        C.check(any(c.startswith(f"isakmpstate: verdict {sa['cause']}: ") for c in ours.get(stop, [])),
                f"{rel}: SA {sa['sa']} verdict on stop frame {stop}: {ours.get(stop)}")
    foreign_in = [[c for c in p[5] if not c.startswith("isakmpstate: ")] for p in pin]
    foreign_out = [[c for c in p[5] if not c.startswith("isakmpstate: ")] for p in pout]
    C.eq(foreign_out, foreign_in, f"{rel}: other comments kept")
    return C.items


timing = [files[rel]["seconds"] for rel in GOOD if files.get(rel, {}).get("seconds") is not None]


def verify_safely(kv):
    try:
        return verify(*kv)
    except Exception as e:  # noqa: BLE001 - a crash is one failed check
        return [(False, f"{kv[0]}: {type(e).__name__}: {e}")]


with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
    for items in pool.map(verify_safely, GOOD.items()):
        for cond, what in items:
            S.check(cond, what)

S.eq(packets(os.path.join(OUT, GOOD["alice.pcapng"]))[0][5][0], "note from Alice", "Alice's comment kept first")
c1 = packets(os.path.join(OUT, GOOD["ISAKMP_sa_setup.pcap"]))[4][5]
S.eq(c1, ["isakmpstate: SA 1 MM5 from initiator -> initiator MM_WAIT_MSG6 / MM_KEY_EXCH, "
          "responder MM_WAIT_MSG5 / MM_KEY_EXCH"], "comment on MM5")
c2 = packets(os.path.join(OUT, GOOD["sub/isakmp4500.pcap"]))[14][5]
S.check(len(c2) == 2 and "retransmission 1 of frame 10" in c2[0] and c2[1].startswith("isakmpstate: verdict ok"),
        f"comments on a retransmission: {c2}")

# IKEv2 comments carry both sides' states and the refusing notify, as the
# strongSwan logs of the sample tell them (its short notify names: N(X)).
SW_NOTIFY = {"INVAL_KE": (17, "INVALID_KE_PAYLOAD"), "NO_PROP": (14, "NO_PROPOSAL_CHOSEN"), "COOKIE": (16390, "COOKIE")}
for name in ("v2-ke-rejected", "v2-proposal-mismatch", "v2-cookie"):
    log = open(os.path.join(REPO, "sample-captures", name + ".responder.log")).read()
    first = re.search(r"generating IKE_SA_INIT response 0 \[ N\((\w+)\) \]", log).group(1)
    num, iana = SW_NOTIFY[first]
    # The states are the plugin's for that packet (its own tests hold them
    # against the daemons).
    cs = [c for p in packets(os.path.join(OUT, GOOD["samples/" + name + ".pcapng"])) for c in p[5]]
    resp = [c for c in cs if " INIT-resp from responder" in c]
    st = ts.fields(os.path.join(SAMPLES, name + ".pcapng"),
                   ["isakmpstate.v2.istate.strongswan", "isakmpstate.v2.istate.cisco",
                    "isakmpstate.v2.rstate.strongswan", "isakmpstate.v2.rstate.cisco", "isakmpstate.msg"], True)
    row = next((st[k] for k in sorted(st) if st[k]["isakmpstate.msg"] == "INIT-resp"), None)
    want = (f" -> initiator {row['isakmpstate.v2.istate.strongswan']} / {row['isakmpstate.v2.istate.cisco']}, "
            f"responder {row['isakmpstate.v2.rstate.strongswan']} / {row['isakmpstate.v2.rstate.cisco']}; "
            f"notify {num} {iana}") if row else "?"
    S.check(resp and want in resp[0], f"{name}: the first IKE_SA_INIT answer: N({first}) and states ({want}): {resp[:1]}")
log = open(os.path.join(REPO, "sample-captures", "v2-ok-sw-sw.initiator.log")).read()
S.check("state change: CONNECTING => ESTABLISHED" in log and "CHILD_SA net{1} established" in log, "v2-ok-sw-sw log")
cs = [c for p in packets(os.path.join(OUT, GOOD["samples/v2-ok-sw-sw.pcapng"])) for c in p[5]]
auth = [c for c in cs if " AUTH-resp from responder" in c]
S.check(auth and auth[0].endswith(" -> initiator ESTABLISHED / READY, responder ESTABLISHED / READY; CHILD_SA established"),
        f"v2-ok-sw-sw: IKE_AUTH answer: both ESTABLISHED, CHILD_SA established: {auth[:1]}")
S.check(not any("NAT_DETECTION" in c for c in cs), "IKEv2: the NAT detection notifies are left to the NAT-D remark")

syn = packets(os.path.join(OUT, GOOD["sub/synthetic.pcapng"]))
S.check(syn[0][5][0] == "hello from Bob" and len(syn[0][5]) == 2 and syn[1][5] == []
        and syn[2][5] and "stale" not in " ".join(syn[2][5]),
        f"synthetic pcapng: comments kept, added, stale one replaced: {[p[5] for p in syn[:3]]}")
S.eq(files["sub/synthetic.pcapng"].get("uncommented_frames"), [2], "synthetic pcapng: SPB frame reported")

# report.csv: one row per SA, the same facts.
rows = list(csv.DictReader(open(os.path.join(OUT, "report.csv"), newline="")))
S.eq(len(rows), len(report["sas"]), "report.csv: one row per SA")
S.eq([(r["file"], r["sa"], r["cause"], r["initiator_asa"], r["responder_ios"], r["initiator_strongswan"],
       r["responder_libreswan"], r["failed"]) for r in rows],
     [(s["file"], str(s["sa"]), s["cause"], s["initiator_state"].get("asa", ""), s["responder_state"].get("ios", ""),
       s["initiator_state"].get("strongswan", ""), s["responder_state"]["libreswan"],
       "true" if s["failed"] else "false") for s in report["sas"]], "report.csv agrees with report.json")
v2rows = [r for r in rows if r["version"] == "2"]
S.check(len(v2rows) > 0 and all(r["initiator_strongswan"] and not r["initiator_asa"] for r in v2rows),
        f"report.csv: IKEv2 SAs fill the strongSwan/Cisco columns: {len(v2rows)} rows")
r4500 = [r for r in rows if r["file"].endswith("sub/isakmp4500.pcap")]
S.check(len(r4500) == 1 and r4500[0]["retransmissions"] == "5" and r4500[0]["nat"] == "initiator"
        and r4500[0]["quick_mode_outcomes"] == "0x8b7e8947 initiator completed 9,10,11",
        f"report.csv row of isakmp4500: {r4500}")

# ---------------------------------------------------------------- again
# Re-annotating annotated captures: same comments, not doubled, Alice kept.
IN2, OUT2 = os.path.join(tmp, "in2"), os.path.join(tmp, "out2")
shutil.copytree(OUT, IN2, ignore=shutil.ignore_patterns("report.*", "summary.txt"))
rc2, out2, err2, _ = run_tool(["-j", "2", "--tshark", TSHARK_CMD, "-o", OUT2, IN2])
S.eq(rc2, 0, f"re-annotation exit status ({err2[-300:]})")
for rel, orel in GOOD.items():
    a, b = os.path.join(OUT, orel), os.path.join(OUT2, orel)
    if os.path.exists(a) and S.check(os.path.exists(b), f"re-annotated {orel}"):
        S.eq(packets(b), packets(a), f"{orel}: re-annotation gives the same packets and comments")
rep2 = json.load(open(os.path.join(OUT2, "report.json")))
by_file2 = {}
for s in rep2["sas"]:
    by_file2.setdefault(os.path.relpath(s["file"], IN2), []).append({k: v for k, v in s.items() if k != "file"})
S.eq(by_file2, {orel: by_file[rel] for rel, orel in GOOD.items() if rel in by_file},
     "re-annotation: same SA records")

# ---------------------------------------------------------------- refusals
fake = os.path.join(tmp, "fake-tshark")
with open(fake, "w") as f:
    f.write("#!/bin/sh\nprintf 'mate.so\\t1.0\\tdissector\\t/x/mate.so\\n'\n")
os.chmod(fake, 0o755)
rc3, _, err3, _ = run_tool(["--tshark", fake, "-o", os.path.join(tmp, "out3"), IN])
S.check(rc3 == 2 and "not loaded" in err3, f"tshark without the plugin refused early: rc={rc3} {err3}")
S.check(not os.path.exists(os.path.join(tmp, "out3", "report.json")), "nothing written without the plugin")

# A plugin without -z isakmpstate,comments (older than the annotator):
# the file fails with a message that says so, and leaves no copy behind.
old = os.path.join(tmp, "old-plugin-tshark")
with open(old, "w") as f:
    f.write("#!/bin/sh\ncase \"$*\" in *-G*plugins*) printf 'isakmpstate.so\\t0.0.9\\tdissector\\t/x/isakmpstate.so\\n'; exit 0;; esac\n"
            "echo 'tshark: invalid -z argument \"isakmpstate,comments\"; it must be one of:' >&2; exit 1\n")
os.chmod(old, 0o755)
OUT_OLD = os.path.join(tmp, "out-old")
rco, outo, erro, _ = run_tool(["--tshark", old, "-o", OUT_OLD, os.path.join(IN, "ISAKMP_sa_setup.pcap")])
S.check(rco == 1 and "has no -z isakmpstate,comments: it is older than this annotator" in outo,
        f"plugin without the comments tap named: rc={rco} {outo[-300:]} {erro[-300:]}")
S.eq(sorted(n for n in os.listdir(OUT_OLD) if n.endswith(".pcapng") or n.endswith(".tmp")), [],
     "no annotated copy (nor a hidden temporary one) from a failed file")

# The tap itself: one pass has no verdicts yet, so it refuses, in a line
# the annotator reports; two passes give a line per ISAKMP frame and the end.
_, one, _ = ts.run(["-n", "-q", "-z", "isakmpstate,comments"], os.path.join(SAMPLES, "mm-psk-ok-sw-sw.pcapng"))
S.check(one.startswith("!\tisakmpstate,comments needs two passes") and "\nC\t" not in one,
        f"-z isakmpstate,comments without -2 refuses: {one[:200]!r}")
_, two, _ = ts.run(["-n", "-2", "-q", "-z", "isakmpstate,comments"], os.path.join(SAMPLES, "mm-psk-ok-sw-sw.pcapng"))
lines = two.splitlines()
S.eq([l.split("\t")[0] for l in lines], ["C"] * (len(lines) - 1) + ["E"], "-2: C lines, then the E line")
S.eq(lines[-1], "E\t" + str(len(lines) - 1), "E gives the frames read (every frame of this capture is ISAKMP)")

keys = os.path.join(tmp, "bad.keys")
with open(keys, "w") as f:
    f.write("# comment\ncf02326f14a95b93,00112233\nnot-hex-cookie,deadbeefsecret\n")
rc4, _, err4, _ = run_tool(["--keys", keys, "--tshark", TSHARK_CMD, "-o", os.path.join(tmp, "out4"), IN])
S.check(rc4 == 2 and "line 3" in err4 and "deadbeefsecret" not in err4, f"bad key file refused: {err4}")

SECRET = "correct horse battery staple 42"
psk = os.path.join(tmp, "psk.txt")
with open(psk, "w") as f:
    f.write(SECRET + "\n")
os.chmod(psk, 0o600)
keys = os.path.join(tmp, "good.keys")
with open(keys, "w") as f:
    f.write("cf02326f14a95b93,00112233445566778899aabbccddeeff\n")
OUT5 = os.path.join(tmp, "out5")
rc5, out5, err5, _ = run_tool(["--psk-file", psk, "--keys", keys, "--tshark", TSHARK_CMD, "-o", OUT5,
                               os.path.join(IN, "ISAKMP_sa_setup.pcap")])
S.eq(rc5, 0, f"--psk-file and --keys run ({err5})")
psk_pref = "isakmpstate.psk_candidates_file" in ts.run(["-G", "defaultprefs"])[1]
S.eq("--psk-file is ignored" in err5, not psk_pref, "PSK preference detected (warning only when absent)")
leaked = [n for n in os.listdir(OUT5) if SECRET.encode() in open(os.path.join(OUT5, n), "rb").read()]
S.check(not leaked and SECRET not in out5 + err5, f"the PSK is written nowhere: {leaked}")
S.eq(oct(os.stat(psk).st_mode & 0o777), "0o600", "the PSK file stays private")

# ---------------------------------------------------------------- parallel
# Generated captures of many SAs (their names say nothing of that) and an
# IKEv2 sample: -j 2 runs each file in a forked process and must give what
# -j 1 (everything in one process) gives, byte for byte, and keep every
# packet; --progress prints stages, none without it.
GEN = os.path.join(REPO, "tests", "bench", "gen_capture.py")
MANY = os.path.join(tmp, "many", "capture-a.pcapng")
MANY_B = os.path.join(tmp, "many", "capture-b.pcapng")
os.makedirs(os.path.dirname(MANY))
for path, seed in ((MANY, "7"), (MANY_B, "8")):
    subprocess.run([sys.executable, GEN, "--sas", "300", "--seed", seed, "-o", path], check=True,
                   stdout=subprocess.DEVNULL)
V2 = os.path.join(REPO, "sample-captures", "v2-auth-failed.pcapng")
shutil.copy(V2, os.path.join(tmp, "many", "v2.pcapng"))
many_sha = sha(MANY)
outs = {}
for label, extra in (("serial", ["-j", "1"]), ("parallel", ["-j", "2", "--progress"])):
    o = os.path.join(tmp, "many-" + label)
    rcm, _, errm, _ = run_tool(extra + ["-q", "--tshark", TSHARK_CMD, "-o", o, os.path.dirname(MANY)])
    S.eq(rcm, 0, f"{label} run on many-SA captures ({errm[-300:]})")
    outs[label] = (o, errm)
(so, serr), (po, perr) = outs["serial"], outs["parallel"]
S.eq(sha(MANY), many_sha, "many-SA input untouched")
S.eq(serr, "", "no progress on stderr without a terminal nor --progress")
S.check("tshark (2 passes) + writing:" in perr and "records:" in perr and "[3/3 files" in perr,
        f"--progress shows the stages and files done: {perr[-400:]}")
S.check("capture-b.pcapng: records: 300 SAs" in perr,
        f"--progress gives a forked file's last count: {perr[-400:]}")
for n in ("capture-a.annotated.pcapng", "capture-b.annotated.pcapng", "v2.annotated.pcapng", "report.csv",
          "summary.txt"):
    a, b = open(os.path.join(so, n), "rb").read(), open(os.path.join(po, n), "rb").read()
    if n == "summary.txt":  # names its output folder
        a, b = a.replace(so.encode(), b"OUT"), b.replace(po.encode(), b"OUT")
    S.check(a == b, f"parallel and serial give the same {n}")
js, jp = json.load(open(os.path.join(so, "report.json"))), json.load(open(os.path.join(po, "report.json")))
for j in (js, jp):  # wall time, and the plugin's private copy (with-build-plugin)
    j["plugin"]["path"] = None
    for r in j["files"]:
        r["seconds"] = None
S.check(jp == js, "parallel and serial give the same report.json (but for seconds and the plugin copy's path)")
S.eq(jp["plugin"]["report_schema"], 1, "a forked file's report schema reaches report.json")
# The CSV columns do not depend on the files: an IKEv1-only run has the
# IKEv2 columns too, and a key a newer plugin adds becomes a last column,
# empty for files without it.
only_v1 = os.path.join(tmp, "many-v1")
rcv, _, errv, _ = run_tool(["-q", "-j", "2", "--tshark", TSHARK_CMD, "-o", only_v1, MANY, MANY_B])
S.eq(rcv, 0, f"IKEv1-only run ({errv[-300:]})")
head_v1 = open(os.path.join(only_v1, "report.csv"), newline="").readline().rstrip("\n").split(",")
head_mixed = open(os.path.join(po, "report.csv"), newline="").readline().rstrip("\n").split(",")
S.eq(head_v1, ann.CSV_HEAD, "report.csv columns of an IKEv1-only run: CSV_HEAD")
S.eq(head_mixed, ann.CSV_HEAD, "report.csv columns with IKEv2 SAs: the same")
S.check("established" in head_v1 and "ike_auth_rounds" in head_v1, "the IKEv2 columns are there")
ra0 = [s for s in jp["sas"] if s["file"].endswith("capture-a.pcapng")][:3]
ra = [dict(s, newer_key={"x": 1}) for s in ra0]
rb = [s for s in jp["sas"] if s["file"].endswith("capture-b.pcapng")][:2]
got = list(csv.reader(io.StringIO("".join(ann.csv_pieces([ann.encode_records(ra), None, ann.encode_records(rb)])))))
plain = list(csv.reader(io.StringIO("".join(ann.csv_pieces([ann.encode_records(ra0 + rb)])))))
S.eq(got[0], ann.CSV_HEAD + ["newer_key"], "a newer plugin's key: one last column")
S.eq([r[-1] for r in got[1:]], ['{"x": 1}'] * 3 + [""] * 2, "its cells: JSON text, empty for the file without it")
S.eq([r[:-1] for r in got[1:]], plain[1:], "the other cells as without that key")
many_out = os.path.join(po, "capture-a.annotated.pcapng")
S.eq(capinfos_count(many_out), capinfos_count(MANY), "many-SA capture: no packet lost (capinfos -c)")
S.eq(jp["files"][0]["frames"], len(packets(MANY)), "many-SA capture: frames reported == packets in the input")
S.eq(sum(1 for s in jp["sas"] if s["file"].endswith("capture-a.pcapng")), 300, "many-SA capture: every SA reported")
S.eq([p[:5] for p in packets(many_out)], [p[:5] for p in packets(MANY)], "many-SA capture: same packets")
# The report encoder gives json.dumps(indent=1)'s text, character for character.
sample = {"a": [1, 2.5, -0.0, 1e300, None, True, False, "\u00e9\n\"x\"", [], {}, [[{}]]],
          "b": {"c": {"d": [{"e": "f"}]}}, "": 0}
S.eq(ann.json_text(sample), json.dumps(sample, indent=1, ensure_ascii=False), "json_text == json.dumps indent=1")
S.eq("".join(ann.report_pieces(jp, [ann.encode_records(jp["sas"])])), json.dumps(jp, indent=1, ensure_ascii=False) + "\n",
     "report_pieces (per-file SA texts) == json.dumps for a whole report")

# ---------------------------------------------------------------- figures
good_files = len(GOOD)
print(f"annotate: {len(GOOD) + len(BAD)} inputs in {secs:.1f} s with -j2 "
      f"({good_files / secs:.2f} good files/s); per capture {min(timing):.2f}-{max(timing):.2f} s "
      f"(mean {sum(timing) / len(timing):.2f} s)")
ts.close()
shutil.rmtree(tmp, ignore_errors=True)
# A concentrator's capture has thousands of peer pairs: the terminal shows
# the worst first and says how many more summary.txt holds; the file keeps all.
fake_sas = [{"file": "big.pcap", "sa": i, "initiator": f"192.0.2.{i % 250}:500",
             "responder": f"198.51.100.{i // 250}:500", "cause": "auth-failed" if i % 7 == 0 else "ok",
             "failed": i % 7 == 0, "stop_frame": i, "summary": "x"} for i in range(1, 101)]
fake_res = [{"file": "big.pcap", "status": "ok", "sas": 100, "uncommented_frames": []}]
summ = ann.summarize(fake_res, fake_sas)
full = ann.summary_text(fake_res, fake_sas, summ, tmp, "test")
short = ann.summary_text(fake_res, fake_sas, summ, tmp, "test", limit=ann.TERMINAL_ROWS)
# Rows only: the heading "By peer pair (initiator <-> responder):" is not one.
pair_rows = [l for l in full.split("By peer pair")[1].split("\n\n")[0].splitlines()[1:] if " <-> " in l]
S.eq(len(pair_rows), 100, "summary.txt: every peer pair")
S.eq(len(set(pair_rows)), 100, "summary.txt: each peer pair once")
S.check(f"... and {100 - ann.TERMINAL_ROWS} more peer pairs: see summary.txt" in short, "terminal: pairs cut")
first_pair = short.split("By peer pair")[1].splitlines()[1]
S.check("auth-failed" in first_pair, f"terminal: a failing pair first: {first_pair!r}")
S.check("more failed negotiations" not in short, "14 failed negotiations are all shown")

S.done()
