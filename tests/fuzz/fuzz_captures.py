#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Mutation fuzzing of real captures through tshark with the plugin.

Each mutant is made from one source capture with one seed, so that any
failure is reproduced by its seed alone:

  editcap  `editcap -E <p> -o <udp payload offset> --seed <seed>`: editcap's
           own byte/bit/string damage, restricted (-o) to the bytes after the
           Ethernet/IP/UDP headers so that the frame still reaches ISAKMP;
  struct   this script's mutator (random.Random(seed)): bit flips and
           interesting values inside the UDP payload only, ISAKMP header
           fields (exchange type, flags, version, next payload, length,
           message ID, cookies), payload lengths and next-payload links of
           the chain, truncation and extension (IP/UDP lengths rewritten to
           match), splicing, duplicated / dropped / reordered / flooded
           packets, timestamps going backwards, mirrored addresses, ports
           moved between 500 and 4500.

Every mutant is read three times: `tshark -V` (one pass), `tshark -2 -V -z
isakmpstate,sa -z isakmpstate,json -z isakmpstate,comments` (two passes,
verdicts, both reports and the annotator's comments; with
the IKEv1 keys of a sample capture that has NAME.keys) and `tshark -2` with
an Expert column (summary lines: no items in the first pass, no tree in the
second), all with a file of candidate pre-shared keys (the aggressive-mode
HASH_R test).
A run fails on a signal (rc >= 128), a hang, a sanitizer report, an
exception escaping the plugin ("Malformed Packet: ISAKMPSTATE", "Dissector
bug"), a non-zero exit, a -z isakmpstate,json document that is not JSON,
the two reports disagreeing on the number of SAs, or comments without their
end line. In a build made with
-DISAKMPSTATE_SANITIZE=ON the plugin runs under ASan/UBSan.

  fuzz_captures.py BUILD_DIR                   # the CTest: a short run
  fuzz_captures.py BUILD_DIR --long -j 2       # >= 10,000 mutants
  fuzz_captures.py BUILD_DIR --seed 123456 --count 1 --keep /tmp/m   # replay one

Failing mutants are kept in BUILD_DIR/fuzz-failures/ with tshark's stderr.
"""
import argparse
import concurrent.futures
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzzlib  # noqa: E402
from fuzzlib import Pcap, isakmp_offset, locate_udp, set_udp_payload_len  # noqa: E402

# The CTest's run: 80 mutants in a sanitizer build, where each one is also
# checked for memory errors; 40 in a plain build, which can only see a
# crash or a hang (CI runs both builds, and must stay within its budget).
SHORT_COUNT = 80
SHORT_COUNT_PLAIN = 40
LONG_COUNT = 10000
DEFAULT_SEED = 20240000  # seeds are DEFAULT_SEED, DEFAULT_SEED+1, ...

# The one-pass run never has keys; the two-pass run has the source's keys
# (if any). Both have candidate pre-shared keys (PSK_CANDIDATES), so that
# every aggressive-mode exchange goes through the HASH_R test.
RUNS = (
    ("1pass", ["-V"], False),
    ("2pass", ["-2", "-V", "-z", "isakmpstate,sa", "-z", "isakmpstate,json", "-z", "isakmpstate,comments"], True),
    # Summary lines with the Expert column: the first pass builds no items
    # (nobody looks at them), the second has no protocol tree at all.
    ("2pass-lean", ["-2", "-o", 'gui.column.format:"No","%m","Info","%i","Expert","%a"'], True),
)
# "0xzz12" is not hex, so it is taken as text (UBSan once caught the
# parser shifting the -1 of a non-hex digit: test_adversarial.py's psk-file).
PSK_CANDIDATES = b"cisco123\n\n0x00ff10\nsecret with spaces\n0x\n0xzz12\n"


class Source:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        self.pcap = Pcap.load(path)
        self.locs = [locate_udp(self.pcap.linktype, r[2]) for r in self.pcap.records]
        offs = [loc["payload"] for loc in self.locs if loc]
        # editcap -o: keep everything before the first UDP payload byte.
        self.edit_offset = min(offs) if offs else 0
        self.useful = any(offs)
        # Real negotiations are worth more mutants than one-packet crafts.
        self.weight = 3 if len(self.pcap.records) >= 5 else 1
        # NAME.keys next to a sample capture: its IKEv1 keys (icookie,key per
        # line) or IKEv2 keys (the 8 fields of ikev2_decryption_table), given
        # to the two-pass run so that the decrypted-payload path reads
        # mutated ciphertext.
        self.keys = []
        kf = os.path.splitext(path)[0] + ".keys"
        if os.path.exists(kf):
            for line in open(kf):
                line = line.strip()
                if line and not line.startswith("#"):
                    table = "ikev2_decryption_table" if line.count(",") == 7 else "ikev1_decryption_table"
                    self.keys += ["-o", f"uat:{table}:" + line]


# ---- the structure-aware mutator ------------------------------------------

INTERESTING8 = (0x00, 0x01, 0x02, 0x04, 0x10, 0x20, 0x7F, 0x80, 0xFE, 0xFF)
EXCH = (0, 1, 2, 3, 4, 5, 6, 32, 33, 34, 35, 36, 37, 127, 255)
PAYLOAD_TYPES = tuple(range(0, 22)) + (33, 46, 128, 130, 131, 132, 255)


class Mutant:
    def __init__(self, src, rng):
        self.p = src.pcap.copy()
        self.rng = rng
        self.ops = []

    def frames(self):
        """(index, loc, isakmp offset) of every frame carrying ISAKMP."""
        out = []
        for i, r in enumerate(self.p.records):
            loc = locate_udp(self.p.linktype, r[2])
            if loc:
                o = isakmp_offset(loc, r[2])
                out.append((i, loc, o))
        return out

    def pick(self, need_isakmp=True, min_len=0):
        cands = [(i, loc, o) for i, loc, o in self.frames()
                 if (o is not None or not need_isakmp) and loc["plen"] >= min_len]
        return self.rng.choice(cands) if cands else None

    def isakmp_len(self, loc, o):
        return loc["payload"] + loc["plen"] - o

    def resize(self, i, loc, new_end):
        """Cut or extend frame i so that the UDP payload ends at new_end."""
        data = self.p.records[i][2]
        pend = loc["payload"] + loc["plen"]
        # An Ethernet trailer after the payload, if any, stays after it.
        if new_end < pend:
            del data[new_end:pend]
        else:
            data[pend:pend] = bytes(self.rng.getrandbits(8) for _ in range(new_end - pend))
        set_udp_payload_len(data, loc, new_end - loc["payload"])
        self.p.records[i][3] = len(data)

    # each op returns a short description, or None when it could not apply
    def op_bitflip(self):
        f = self.pick(need_isakmp=False, min_len=1)
        if not f:
            return None
        i, loc, _ = f
        data = self.p.records[i][2]
        n = self.rng.choice((1, 1, 2, 4, 8, 16))
        for _ in range(n):
            k = loc["payload"] + self.rng.randrange(loc["plen"])
            data[k] ^= 1 << self.rng.randrange(8)
        return f"bitflip{n}@{i + 1}"

    def op_bytes(self):
        f = self.pick(need_isakmp=False, min_len=1)
        if not f:
            return None
        i, loc, _ = f
        data = self.p.records[i][2]
        n = self.rng.choice((1, 2, 4))
        for _ in range(n):
            k = loc["payload"] + self.rng.randrange(loc["plen"])
            data[k] = self.rng.choice(INTERESTING8) if self.rng.random() < 0.7 else self.rng.getrandbits(8)
        return f"bytes{n}@{i + 1}"

    def op_header(self):
        f = self.pick(min_len=1)
        if not f:
            return None
        i, loc, o = f
        data = self.p.records[i][2]
        L = self.isakmp_len(loc, o)
        if L < 28:
            return None
        field = self.rng.choice(("exch", "flags", "version", "np", "length", "msgid", "icookie", "rcookie",
                                 "swapcookies"))
        r = self.rng
        if field == "exch":
            data[o + 18] = r.choice(EXCH)
        elif field == "flags":
            data[o + 19] = r.choice((0, 1, 2, 3, 4, 5, 7, 0x80, 0xFF))
        elif field == "version":
            data[o + 17] = r.choice((0x10, 0x20, 0x00, 0x11, 0x1F, 0x30, 0xFF))
        elif field == "np":
            data[o + 16] = r.choice(PAYLOAD_TYPES)
        elif field == "length":
            v = r.choice((0, 1, 27, 28, 29, L - 1, L + 1, L + 4, 0x7FFFFFFF, 0xFFFFFFFF, r.getrandbits(32)))
            struct.pack_into(">I", data, o + 24, v & 0xFFFFFFFF)
        elif field == "msgid":
            other = self.pick()
            if other and r.random() < 0.5:
                oi, oloc, oo = other
                od = self.p.records[oi][2]
                if self.isakmp_len(oloc, oo) >= 28:
                    data[o + 20:o + 24] = od[oo + 20:oo + 24]
            else:
                struct.pack_into(">I", data, o + 20, r.choice((0, 1, 0xFFFFFFFF, r.getrandbits(32))))
        elif field in ("icookie", "rcookie"):
            at = o if field == "icookie" else o + 8
            how = r.choice(("zero", "random", "copy"))
            if how == "zero":
                data[at:at + 8] = bytes(8)
            elif how == "random":
                data[at:at + 8] = bytes(r.getrandbits(8) for _ in range(8))
            else:
                other = self.pick()
                if other:
                    oi, oloc, oo = other
                    od = self.p.records[oi][2]
                    if self.isakmp_len(oloc, oo) >= 16:
                        src_at = oo + r.choice((0, 8))
                        data[at:at + 8] = od[src_at:src_at + 8]
        else:
            data[o:o + 8], data[o + 8:o + 16] = data[o + 8:o + 16], data[o:o + 8]
        return f"hdr.{field}@{i + 1}"

    def op_chain(self):
        """Damage one generic payload header of the clear chain."""
        f = self.pick(min_len=32)
        if not f:
            return None
        i, loc, o = f
        data = self.p.records[i][2]
        end = loc["payload"] + loc["plen"]
        heads, at, np_ = [], o + 28, data[o + 16]
        while np_ != 0 and at + 4 <= end and len(heads) < 64:
            heads.append(at)
            np_ = data[at]
            ln = struct.unpack(">H", data[at + 2:at + 4])[0]
            if ln < 4:
                break
            at += ln
        if not heads:
            return None
        h = self.rng.choice(heads)
        ln = struct.unpack(">H", data[h + 2:h + 4])[0]
        what = self.rng.choice(("len", "len", "np", "loop", "inner"))
        if what == "len":
            v = self.rng.choice((0, 1, 2, 3, 4, 5, ln - 1, ln + 1, ln + 4, 0x7FFF, 0xFFFF, self.rng.getrandbits(16)))
            struct.pack_into(">H", data, h + 2, v & 0xFFFF)
        elif what == "np":
            data[h] = self.rng.choice(PAYLOAD_TYPES)
        elif what == "loop":
            data[h] = data[o + 16]  # next payload: the first type again
        else:
            # Inside the body: proposal/transform/attribute lengths live at
            # small offsets (SA: 8+2, transform attrs ...): hit a 16-bit word.
            if ln > 8 and h + ln <= end:
                k = h + 4 + 2 * self.rng.randrange((ln - 4) // 2)
                struct.pack_into(">H", data, k, self.rng.choice((0, 1, 4, 8, 0x8000, 0xFFFF)))
        return f"chain.{what}@{i + 1}"

    def op_truncate(self):
        f = self.pick(need_isakmp=False, min_len=1)
        if not f:
            return None
        i, loc, _ = f
        new = loc["payload"] + self.rng.choice((0, 1, 4, 8, 16, 27, 28, 29, self.rng.randrange(loc["plen"])))
        new = min(new, loc["payload"] + loc["plen"] - 1)
        self.resize(i, loc, new)
        return f"truncate@{i + 1}"

    def op_extend(self):
        f = self.pick(need_isakmp=False)
        if not f:
            return None
        i, loc, _ = f
        self.resize(i, loc, loc["payload"] + loc["plen"] + self.rng.choice((1, 4, 28, 100, 1000)))
        return f"extend@{i + 1}"

    def op_splice(self):
        a, b = self.pick(), self.pick()
        if not a or not b:
            return None
        ai, aloc, ao = a
        bi, bloc, bo = b
        body = bytes(self.p.records[bi][2][bo:bloc["payload"] + bloc["plen"]])
        data = self.p.records[ai][2]
        pend = aloc["payload"] + aloc["plen"]
        data[ao:pend] = body
        set_udp_payload_len(data, aloc, ao - aloc["payload"] + len(body))
        self.p.records[ai][3] = len(data)
        return f"splice{bi + 1}->{ai + 1}"

    def op_dup(self):
        recs = self.p.records
        if not recs:
            return None
        i = self.rng.randrange(len(recs))
        r = recs[i]
        copy = [r[0], r[1], bytearray(r[2]), r[3]]
        loc = locate_udp(self.p.linktype, copy[2])
        if loc and loc["ipv"] == 4 and self.rng.random() < 0.5:  # a resend has another IP ID
            struct.pack_into(">H", copy[2], loc["ip"] + 4, self.rng.getrandbits(16))
        j = self.rng.randrange(i + 1, len(recs) + 1)
        recs.insert(j, copy)
        return f"dup{i + 1}->{j + 1}"

    def op_flood(self):
        recs = self.p.records
        if not recs:
            return None
        i = self.rng.randrange(len(recs))
        n = self.rng.choice((10, 50, 200))
        recs[i + 1:i + 1] = [[recs[i][0] + k, recs[i][1], bytearray(recs[i][2]), recs[i][3]] for k in range(n)]
        return f"flood{n}x{i + 1}"

    def op_drop(self):
        recs = self.p.records
        if len(recs) < 2:
            return None
        i = self.rng.randrange(len(recs))
        del recs[i]
        return f"drop{i + 1}"

    def op_swap(self):
        recs = self.p.records
        if len(recs) < 2:
            return None
        i, j = self.rng.sample(range(len(recs)), 2)
        recs[i][2], recs[j][2] = recs[j][2], recs[i][2]
        return f"swap{i + 1}<->{j + 1}"

    def op_time(self):
        recs = self.p.records
        if not recs:
            return None
        i = self.rng.randrange(len(recs))
        recs[i][0] = self.rng.choice((0, 1, recs[i][0] - 3600, recs[i][0] + 86400 * 365, 0x7FFFFFFF, 0xFFFFFFFF))
        return f"time@{i + 1}"

    def op_mirror(self):
        f = self.pick(need_isakmp=False)
        if not f:
            return None
        i, loc, _ = f
        data = self.p.records[i][2]
        ip, al = loc["ip"], (4 if loc["ipv"] == 4 else 16)
        s = ip + (12 if loc["ipv"] == 4 else 8)
        d = s + al
        what = self.rng.choice(("swap", "ports", "samesrc"))
        if what == "swap":
            data[s:s + al], data[d:d + al] = data[d:d + al], data[s:s + al]
        elif what == "ports":
            u = loc["udp"]
            struct.pack_into(">HH", data, u, self.rng.choice((500, 4500, 1024, 0)), self.rng.choice((500, 4500, 0)))
        else:
            data[d:d + al] = data[s:s + al]
        return f"addr.{what}@{i + 1}"

    OPS = (("bitflip", 6), ("bytes", 4), ("header", 6), ("chain", 5), ("truncate", 2), ("extend", 1),
           ("splice", 2), ("dup", 3), ("flood", 1), ("drop", 2), ("swap", 2), ("time", 1), ("mirror", 2))

    def mutate(self):
        names = [n for n, _ in self.OPS]
        weights = [w for _, w in self.OPS]
        n = self.rng.choice((1, 1, 2, 2, 3, 4, 6, 10))
        for _ in range(n):
            for _attempt in range(4):
                d = getattr(self, "op_" + self.rng.choices(names, weights)[0])()
                if d:
                    self.ops.append(d)
                    break
        return self.p.to_bytes()


# ---- the run ---------------------------------------------------------------

def make_mutant(sources, seed, workdir):
    """(description, pcap bytes, source) of mutant SEED."""
    rng = random.Random(seed)
    src = rng.choices(sources, [s.weight for s in sources])[0]
    if rng.random() < 0.3:
        prob = rng.choice((0.002, 0.01, 0.02, 0.05))
        with tempfile.TemporaryDirectory(dir=workdir) as d:
            out = os.path.join(d, "m.pcap")
            # Through a classic pcap copy, so -o counts from the frame start.
            inp = os.path.join(d, "in.pcap")
            with open(inp, "wb") as f:
                f.write(src.pcap.to_bytes())
            subprocess.run(["editcap", "-E", str(prob), "-o", str(src.edit_offset), "--seed", str(seed), inp, out],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env=fuzzlib.tool_env(), timeout=120)
            with open(out, "rb") as f:
                data = f.read()
        return f"{src.name} editcap -E {prob} -o {src.edit_offset} --seed {seed}", data, src
    m = Mutant(src, rng)
    data = m.mutate()
    return f"{src.name} struct[{' '.join(m.ops)}]", data, src


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("build", help="the build folder (build/, build-asan/)")
    ap.add_argument("--count", type=int, help=f"mutants (default {SHORT_COUNT} in a sanitizer build, {SHORT_COUNT_PLAIN} "
                    f"in a plain one; --long: {LONG_COUNT})")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help="first seed (default %(default)s)")
    ap.add_argument("--long", action="store_true", help=f"the long run: {LONG_COUNT} mutants unless --count")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2, help="mutants at once")
    ap.add_argument("--keep", help="also write every mutant into this folder")
    ap.add_argument("--timeout", type=int, default=120, help="seconds per tshark run (default %(default)s)")
    ap.add_argument("--no-samples", action="store_true", help="tcpdump captures only")
    ap.add_argument("--two-pass-only", action="store_true",
                    help="read each mutant only with the two-pass run (its first pass dissects every packet "
                         "too); halves the time of a long run")
    ap.add_argument("--max-failures", type=int, default=20, help="stop after this many failing mutants")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    ts = fuzzlib.FuzzTShark(build)
    sanitize = ts.sanitize
    count = a.count if a.count is not None else \
        (LONG_COUNT if a.long else SHORT_COUNT if sanitize else SHORT_COUNT_PLAIN)
    sources = []
    for p in fuzzlib.source_captures(include_samples=not a.no_samples):
        try:
            s = Source(p)
        except ValueError as e:
            print(f"fuzz_captures: skipping {p}: {e}")
            continue
        if s.useful:
            sources.append(s)
    if not sources:
        print("fuzz_captures: no source capture with UDP found")
        return 1
    psk_opt = ["-o", "isakmpstate.psk_candidates_file:" + ts.scratch("psk-candidates.txt", PSK_CANDIDATES)]
    faildir = os.path.join(build, "fuzz-failures")
    if a.keep:
        os.makedirs(a.keep, exist_ok=True)
    print(f"fuzz_captures: {count} mutants, seeds {a.seed}..{a.seed + count - 1}, -j {a.jobs}, "
          f"{'ASan+UBSan build' if sanitize else 'plain build'} ({build}), plugin {ts.version}")
    print("fuzz_captures: sources: " + ", ".join(
        f"{s.name} ({len(s.pcap.records)} frames, x{s.weight}{', keys' if s.keys else ''})" for s in sources))

    lock = threading.Lock()
    stats = {"done": 0, "runs": 0, "failed": 0, "editcap": 0, "struct": 0, "slowest": (0.0, None), "wireshark": []}
    keepdir_ws = os.path.join(build, "fuzz-wireshark-crashes")
    os.makedirs(keepdir_ws, exist_ok=True)
    failures = []
    stop = threading.Event()
    t0 = time.monotonic()

    def one(seed):
        if stop.is_set():
            return
        desc, data, src = make_mutant(sources, seed, ts.tmp)
        path = ts.scratch(f"mutant-{seed}.pcap", data)
        if a.keep:
            with open(os.path.join(a.keep, f"mutant-{seed}.pcap"), "wb") as f:
                f.write(data)
        bad = []
        runs = 0
        for label, base, with_keys in RUNS:
            if a.two_pass_only and label != "2pass":
                continue
            args = base + psk_opt + (src.keys if with_keys else [])
            rc, out, err, secs = ts.run_file(args, path, timeout=a.timeout)
            runs += 1
            with lock:
                if secs > stats["slowest"][0]:
                    stats["slowest"] = (secs, f"seed {seed} {label}")
            found = fuzzlib.problems(rc, out, err, a.timeout)
            if not found and label == "2pass":
                try:
                    doc = fuzzlib.json_report(out)
                    table = fuzzlib.sa_table_count(out)
                    if doc is None or table is None:
                        found.append("a -z report is missing")
                    elif len(doc["sas"]) != table[0]:
                        found.append(f"-z isakmpstate,json has {len(doc['sas'])} SAs, -z isakmpstate,sa {table[0]}")
                    elif not re.search(r"^E\t\d+$", out, re.M):
                        found.append("-z isakmpstate,comments printed no end line")
                except ValueError as e:
                    found.append(f"-z isakmpstate,json is not JSON: {e}")
            if found and (rc is not None and (rc < 0 or rc >= 128)) and ts.crashes_without_plugin(args, path, a.timeout):
                # Wireshark itself dies on this input (seen: its IKEv1
                # decryption on a damaged encrypted message): reported, not
                # counted against the plugin.
                with lock:
                    stats["wireshark"].append((seed, label, desc))
                    with open(os.path.join(keepdir_ws, f"mutant-{seed}.pcap"), "wb") as f:
                        f.write(data)
                found = []
            if found:
                bad.append((label, args, rc, found, err))
        os.unlink(path)
        with lock:
            stats["done"] += 1
            stats["runs"] += runs
            stats["editcap" if "editcap" in desc else "struct"] += 1
            if bad:
                stats["failed"] += 1
                os.makedirs(faildir, exist_ok=True)
                keep = os.path.join(faildir, f"mutant-{seed}.pcap")
                with open(keep, "wb") as f:
                    f.write(data)
                with open(keep + ".txt", "w") as f:
                    f.write(f"seed {seed}: {desc}\n")
                    for label, args, rc, found, err in bad:
                        f.write(f"\n== tshark {' '.join(args)} -r {keep}: rc={rc}: {'; '.join(found)}\n{err}\n")
                failures.append((seed, desc, bad, keep))
                for label, args, rc, found, err in bad:
                    print(f"FAIL seed {seed} ({desc}) {label}: {'; '.join(found)}")
                    print("   " + fuzzlib.sanitizer_excerpt(err, 1500).replace("\n", "\n   "))
                if stats["failed"] >= a.max_failures:
                    stop.set()
            n = stats["done"]
            if n % max(1, count // 20) == 0 or n == count:
                el = time.monotonic() - t0
                print(f"fuzz_captures: {n}/{count} mutants, {stats['failed']} failing, {el:.0f}s "
                      f"({n / el:.1f} mutants/s)", flush=True)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        for fut in concurrent.futures.as_completed([ex.submit(one, a.seed + k) for k in range(count)]):
            fut.result()
    el = time.monotonic() - t0
    print(f"fuzz_captures: done: {stats['done']} mutants (seeds {a.seed}..{a.seed + count - 1}; "
          f"{stats['struct']} struct, {stats['editcap']} editcap), {stats['runs']} tshark runs, "
          f"{stats['failed']} failing, {el:.1f}s, {stats['done'] / max(el, 1e-9):.2f} mutants/s; "
          f"slowest run {stats['slowest'][0]:.2f}s ({stats['slowest'][1]})")
    if stats["wireshark"]:
        print(f"fuzz_captures: {len(stats['wireshark'])} run(s) crashed tshark without the plugin too "
              f"(Wireshark's own bug, not counted; mutants in {keepdir_ws}):")
        for seed, label, desc in sorted(stats["wireshark"]):
            print(f"  seed {seed} {label}: {desc}")
    for seed, desc, bad, keep in failures:
        print(f"  seed {seed}: {desc}: {'; '.join(f for b in bad for f in b[3])}\n"
              f"    replay: {os.path.abspath(__file__)} {build} --seed {seed} --count 1   (kept: {keep})")
    ts.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
