#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Build a large ISAKMP-only pcap for benchmarking isakmpstate by replaying
the IKEv1 negotiations of real captures many times, interleaved in time like
a busy VPN concentrator.

usage: gen_capture.py --sas N [--seed S] [-o OUT.pcap] [--window W]
                      [--success-share F] [--servers K] [INPUT ...]

Inputs (default): the two real negotiations of tcpdump's test suite
(<shared>/captures/tcpdump/ISAKMP_sa_setup.pcap, isakmp4500.pcap) and every
sample-captures/*.pcapng (and *.pcap) of this repository. pcap and pcapng
(EPB, SPB and the obsolete PB), Ethernet (with 802.1Q tags), Linux cooked
(SLL, SLL2), raw IP and BSD loopback link types are read.

Each IKE SA of an input (the ISAKMP messages sharing an initiator cookie) is a
template. A replay of a template gets, consistently in every packet:
  * fresh initiator and responder cookies (random, unique) in every ISAKMP
    header, on UDP 500 and on UDP 4500 after the 4-byte non-ESP marker;
  * fresh IPv4 addresses: the first address of the template (usually the
    initiator) becomes one of 731 "clients" from 192.0.2.0/24,
    198.51.100.0/24 and 203.0.113.1-223, the other one of --servers (16)
    "concentrator" addresses, 203.0.113.224 to .239; the client's UDP ports
    become ephemeral ports (>= 49152, one per client port of the original:
    500 and 4500 become P and P+1), the server keeps 500 and 4500. SA n uses
    client n mod 731, server (n div 731) mod 16 and a port pair that changes
    every 11,696 SAs: 11,696 address pairs (so SAs between the same two
    addresses, `isakmpstate.attempt` 2, 3, ..., are 11,696 SAs apart) and
    over 5 million distinct client endpoints;
  * IPv4 identification shifted by a per-replay offset (equal IDs stay equal,
    so capture duplicates stay duplicates; ID 0 stays 0), the IP header checksum
    recomputed, the UDP checksum set to 0 (allowed for IPv4);
  * NAT-D payloads (types 20, 130 and draft-02's 15) that matched the original addresses,
    ports and cookies are recomputed for the new ones (so a negotiation
    without NAT still shows none, and one behind NAT still shows it);
  * timestamps shifted: SA starts are a Poisson process whose rate keeps
    about --window negotiations in progress at any time, and the packets of
    all SAs are merged in time order.
Encrypted payloads are left as they are. Only ISAKMP packets (and IP
fragments of ISAKMP datagrams) are written: ARP, ESP, NAT keep-alives, ICMP
and IKEv2 are skipped. Original time gaps are kept; a template whose
timestamps are all equal (isakmp4500.pcap) gets 20 ms between packets.

Limits: IPv4 only (IPv6 packets are skipped, and counted); NAT-D payloads of
IP-fragmented messages are left as they were (they then show NAT); ICMP
errors quoting ISAKMP are not replayed.

Mix: each template has a kind. For sample-captures/NAME.pcapng with a
NAME.expected.json the kind is the SA's expected cause without keys
(causes.md); otherwise it is read from the messages (ok, no-response after
MM1, reply-lost after MM2, ..., rejected by notify N, quick mode without
QM3 ...). "ok" and "deleted" are successes; --success-share (default 0.6) of
the SAs replay successes and the rest is split evenly over every failure
kind present (all SAs are successes when the inputs hold no failure). Within
a kind, templates are drawn uniformly. Deterministic for a given --seed and
set of inputs.

Writes OUT (pcap, microseconds, Ethernet) and OUT.json, a manifest with the
counts per kind, packets and bytes. Note: the verdicts of replayed failures
that depend on what follows in the capture may change (an MM1 sent once is
`capture-ended` at the end of a lab capture, `no-response` in the middle of
a long one).
"""
import argparse
import glob
import hashlib
import heapq
import json
import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
# tcpdump's IKEv1 test captures, copied into the repository so that the
# tests need nothing outside it (tests/data/tcpdump/README.md says whence).
TCPDUMP = os.path.join(REPO, "tests", "data", "tcpdump")
SAMPLES = os.path.join(REPO, "sample-captures")

SUCCESS_KINDS = {"ok", "deleted"}
NATD_TYPES = (20, 130, 15)  # RFC 3947, drafts 03..08, draft 02 (Cisco IOS)
EXCH_NAMES = {2: "MM", 4: "AM", 5: "INFO", 6: "TXN", 32: "QM"}

# ---------------------------------------------------------------- reading ---


def read_pcap(data):
    """Yield (ts_ns, linktype, bytes, orig_len) from a pcap file."""
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        raise ValueError("not a pcap file")
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(e + "I", data[20:24])[0] & 0xFFFF
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(e + "IIII", data[off:off + 16])
        off += 16
        pkt = data[off:off + incl]
        off += incl
        yield sec * 10**9 + (frac if nano else frac * 1000), linktype, pkt, orig


def read_pcapng(data):
    """Yield (ts_ns, linktype, bytes, orig_len) from a pcapng file."""
    off = 0
    e = "<"
    ifaces = []
    last_ts = 0
    while off + 12 <= len(data):
        btype = struct.unpack("<I", data[off:off + 4])[0]
        if btype == 0x0A0D0D0A:  # section header: byte order
            bom = data[off + 8:off + 12]
            e = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">"
            ifaces = []
        else:
            btype = struct.unpack(e + "I", data[off:off + 4])[0]
        blen = struct.unpack(e + "I", data[off + 4:off + 8])[0]
        if blen < 12 or off + blen > len(data):
            break
        body = data[off + 8:off + blen - 4]
        off += blen
        if btype == 1:  # interface description
            lt, _, snap = struct.unpack(e + "HHI", body[:8])
            res, tsoff = 10**9 // 10**6, 0  # ns per tick (default: microseconds)
            units_per_sec = 10**6
            o = 8
            while o + 4 <= len(body):
                code, ln = struct.unpack(e + "HH", body[o:o + 4])
                val = body[o + 4:o + 4 + ln]
                if code == 0:
                    break
                if code == 9 and ln >= 1:
                    v = val[0]
                    units_per_sec = 2 ** (v & 0x7F) if v & 0x80 else 10 ** v
                if code == 14 and ln >= 8:
                    tsoff = struct.unpack(e + "q", val[:8])[0]
                o += 4 + ((ln + 3) & ~3)
            del res
            ifaces.append((lt, snap, units_per_sec, tsoff))
        elif btype in (6, 2):  # enhanced packet / obsolete packet
            if btype == 6:
                ifid, hi, lo, incl, orig = struct.unpack(e + "IIIII", body[:20])
            else:
                ifid, _, hi, lo, incl, orig = struct.unpack(e + "HHIIII", body[:20])
            if ifid >= len(ifaces):
                continue
            lt, snap, ups, tsoff = ifaces[ifid]
            ticks = hi << 32 | lo
            last_ts = (ticks * 10**9) // ups + tsoff * 10**9
            yield last_ts, lt, body[20:20 + incl], orig
        elif btype == 3:  # simple packet: interface 0, no timestamp
            if not ifaces:
                continue
            lt, snap, _, _ = ifaces[0]
            orig = struct.unpack(e + "I", body[:4])[0]
            incl = min(orig, len(body) - 4, snap or orig)
            yield last_ts, lt, body[4:4 + incl], orig


def read_capture(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] == b"\x0a\x0d\x0d\x0a":
        return list(read_pcapng(data))
    return list(read_pcap(data))


def ip_of(linktype, pkt):
    """The IPv4 packet inside a frame, or None."""
    if linktype == 1:  # Ethernet
        o, et = 12, None
        while o + 2 <= len(pkt):
            et = struct.unpack(">H", pkt[o:o + 2])[0]
            if et in (0x8100, 0x88A8, 0x9100):
                o += 4
                continue
            break
        return pkt[o + 2:] if et == 0x0800 else None
    if linktype == 113:  # Linux cooked
        return pkt[16:] if len(pkt) >= 16 and pkt[14:16] == b"\x08\x00" else None
    if linktype == 276:  # Linux cooked v2
        return pkt[20:] if len(pkt) >= 20 and pkt[0:2] == b"\x08\x00" else None
    if linktype in (101, 228, 12, 14):  # raw IP
        return pkt if pkt and pkt[0] >> 4 == 4 else None
    if linktype in (0, 108):  # BSD loopback
        if len(pkt) < 4:
            return None
        fam = struct.unpack("<I" if linktype == 0 else ">I", pkt[:4])[0]
        if linktype == 0 and fam not in (2,):
            fam = struct.unpack(">I", pkt[:4])[0]
        return pkt[4:] if fam == 2 else None
    return None


# ----------------------------------------------------------- ISAKMP view ---


def payloads(msg):
    """[(type, offset_in_msg, length)] of an ISAKMP message's clear chain."""
    out = []
    if len(msg) < 28:
        return out
    nxt, o = msg[16], 28
    end = min(len(msg), struct.unpack(">I", msg[24:28])[0])
    while nxt and o + 4 <= end and len(out) < 64:
        ln = struct.unpack(">H", msg[o + 2:o + 4])[0]
        if ln < 4 or o + ln > end:
            break
        out.append((nxt, o, ln))
        nxt, o = msg[o], o + ln
    return out


HASHES = {16: ["md5"], 20: ["sha1"], 32: ["sha256"], 48: ["sha384"], 64: ["sha512"]}


def natd_hash(alg, icookie, rcookie, ip, port):
    return hashlib.new(alg, icookie + rcookie + ip + struct.pack(">H", port)).digest()


class Pkt:
    """One packet of a template, split into what a replay rewrites."""
    __slots__ = ("t", "ip_hdr", "ihl", "payload", "src", "dst", "sport", "dport", "ipid",
                 "frag_first", "frag_later", "isk_off", "icookie", "rcookie", "natd",
                 "orig_len", "exch", "flags", "msgid", "clear", "from_first", "digest", "notify",
                 "has_sa_pl", "ip_sum_base")


class Template:
    def __init__(self, source, icookie):
        self.source, self.icookie = source, icookie
        self.pkts = []
        self.kind = None
        self.kind_from = None

    @property
    def duration_ns(self):
        return self.pkts[-1].t - self.pkts[0].t if self.pkts else 0


def split_templates(path):
    """Templates (one per initiator cookie, in order of first packet) of a capture,
    and counts of what was skipped."""
    frames = read_capture(path)
    skipped = {}
    by_cookie = {}
    order = []
    frag_owner = {}  # (src, dst, id) -> template of an ISAKMP first fragment

    def skip(why):
        skipped[why] = skipped.get(why, 0) + 1

    for ts, lt, frame, orig in frames:
        ip = ip_of(lt, frame)
        if ip is None or len(ip) < 20 or ip[0] >> 4 != 4:
            skip("not IPv4")
            continue
        ihl = (ip[0] & 15) * 4
        total = struct.unpack(">H", ip[2:4])[0]
        if ihl < 20 or len(ip) < ihl or total < ihl:
            skip("bad IPv4 header")
            continue
        ip = ip[:total]
        if ip[9] != 17:
            skip("not UDP")
            continue
        src, dst, ipid = ip[12:16], ip[16:20], struct.unpack(">H", ip[4:6])[0]
        fo = struct.unpack(">H", ip[6:8])[0]
        more, offset = bool(fo & 0x2000), fo & 0x1FFF
        orig_ip_len = orig - (len(frame) - len(ip)) if orig >= len(frame) else total
        p = Pkt()
        p.t, p.ip_hdr, p.ihl = ts, bytes(ip[:ihl]), ihl
        p.src, p.dst, p.ipid = src, dst, ipid
        p.orig_len = max(total, orig_ip_len if orig_ip_len > 0 else total)
        p.natd, p.notify, p.has_sa_pl = [], None, False
        if offset:
            tpl = frag_owner.get((src, dst, ipid))
            if tpl is None:
                skip("IP fragment of something else")
                continue
            p.frag_first, p.frag_later = False, True
            p.payload = bytes(ip[ihl:])
            p.sport = p.dport = None
            p.isk_off = None
            p.from_first = None
            tpl.pkts.append(p)
            continue
        udp = ip[ihl:]
        if len(udp) < 8:
            skip("short UDP")
            continue
        sport, dport = struct.unpack(">HH", udp[:4])
        if 500 in (sport, dport):
            isk = 8
        elif 4500 in (sport, dport):
            if len(udp) >= 12 and udp[8:12] == b"\0\0\0\0":
                isk = 12
            else:
                skip("ESP in UDP / NAT keep-alive")
                continue
        else:
            skip("not UDP 500/4500")
            continue
        msg = udp[isk:]
        if len(msg) < 28:
            skip("short ISAKMP")
            continue
        if msg[17] >> 4 != 1:
            skip("not IKEv1")
            continue
        icookie, rcookie = bytes(msg[0:8]), bytes(msg[8:16])
        if icookie == b"\0" * 8:
            skip("zero initiator cookie")
            continue
        tpl = by_cookie.get(icookie)
        if tpl is None:
            tpl = by_cookie[icookie] = Template(os.path.basename(path), icookie)
            order.append(tpl)
        p.frag_first, p.frag_later = more, False
        p.payload = bytes(udp)
        p.sport, p.dport = sport, dport
        p.isk_off = isk
        p.icookie, p.rcookie = icookie, rcookie
        p.exch, p.flags = msg[18], msg[19]
        p.msgid = struct.unpack(">I", msg[20:24])[0]
        p.clear = not (p.flags & 1)
        p.digest = hashlib.sha1(bytes(msg)).digest()
        if p.clear:
            whole = struct.unpack(">I", msg[24:28])[0] <= len(msg)
            for typ, o, ln in payloads(msg):
                if typ == 1:
                    p.has_sa_pl = True
                if typ == 11 and ln >= 12 and p.notify is None:
                    p.notify = struct.unpack(">H", msg[o + 10:o + 12])[0]
                if typ in NATD_TYPES and whole and ln > 4:
                    h = bytes(msg[o + 4:o + ln])
                    for alg in HASHES.get(len(h), []):
                        for which, (a, port) in (("src", (src, sport)), ("dst", (dst, dport))):
                            if natd_hash(alg, icookie, rcookie, a, port) == h:
                                p.natd.append((isk + o + 4, alg, which))
                                break
                        else:
                            continue
                        break
        if more:
            frag_owner[(src, dst, ipid)] = tpl
        tpl.pkts.append(p)
    for tpl in order:
        first = tpl.pkts[0]
        for p in tpl.pkts:
            p.from_first = p.src == first.src
        if len(tpl.pkts) > 1 and tpl.duration_ns == 0:
            for i, p in enumerate(tpl.pkts):  # all timestamps equal: 20 ms apart
                p.t = first.t + i * 20_000_000
    return order, skipped, len(frames)


def heuristic_kind(tpl):
    """A kind read from the messages themselves (no keys, no verdict code)."""
    seen = set()
    p1 = {True: [], False: []}  # distinct phase-1 messages per side (True: first sender)
    qms = {}
    mode = None
    reject = None
    for p in tpl.pkts:
        if p.frag_later:
            continue
        if p.digest in seen:
            continue
        seen.add(p.digest)
        if p.exch in (2, 4):
            mode = mode or p.exch
            p1[p.from_first].append(p)
        elif p.exch == 32:
            qms.setdefault(p.msgid, []).append(p)
        elif p.exch == 5 and p.clear and p.notify is not None and p.notify < 16384:
            reject = reject or p.notify
    first = tpl.pkts[0]
    initiator_first = first.exch in (2, 4) and first.has_sa_pl and first.rcookie == b"\0" * 8
    if not initiator_first and (mode is None or not p1[True]):
        return "start-not-seen"
    ni, nr = len(p1[True]), len(p1[False])
    if mode == 4:
        p1_done = ni >= 2 and nr >= 1 or bool(qms)
        last = "AM%d" % min(3, (2 * ni - 1) if ni > nr else 2 * nr)
    else:
        p1_done = ni >= 3 and nr >= 3 or bool(qms)
        last = "MM%d" % min(6, (2 * ni - 1) if ni > nr else 2 * nr)
    if not p1_done:
        if reject is not None:
            return "rejected-by-notify-%d-after-%s" % (reject, last)
        return "stopped-after-%s" % last
    outcomes = sorted({len(v) for v in qms.values()})
    if not qms or outcomes == [3] or min(outcomes) >= 3:
        return "ok"
    return "quick-mode-stopped-after-QM%d" % min(outcomes)


def expected_kinds(path):
    """icookie -> expected cause without keys, from NAME.expected.json."""
    base = path
    for ext in (".pcapng", ".pcap"):
        if base.endswith(ext):
            base = base[: -len(ext)]
    exp = base + ".expected.json"
    if not os.path.exists(exp):
        return {}
    try:
        with open(exp) as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return {}
    out = {}
    for sa in doc.get("sas", []):
        c = sa.get("icookie", "")
        cause = sa.get("cause_without_keys") or sa.get("cause")
        c = c.lower().replace(":", "").replace("0x", "")
        if len(c) == 16 and cause:
            try:
                out[bytes.fromhex(c)] = cause
            except ValueError:
                pass
    return out


def default_inputs():
    ins = [os.path.join(TCPDUMP, f) for f in ("ISAKMP_sa_setup.pcap", "isakmp4500.pcap")]
    ins = [p for p in ins if os.path.exists(p)]
    ins += sorted(glob.glob(os.path.join(SAMPLES, "*.pcapng")) + glob.glob(os.path.join(SAMPLES, "*.pcap")))
    return ins


# ---------------------------------------------------------------- writing ---


def csum_words(b):
    if len(b) % 2:
        b += b"\0"
    return sum(struct.unpack(">%dH" % (len(b) // 2), b))


class Compiled:
    """A template packet, with its fixed bytes precomputed."""
    __slots__ = ("dt", "eth", "ip_pre", "ip_mid", "ip_opts", "sum_base", "later", "udp_tail",
                 "isk_pre", "after_cookies", "from_first", "sport", "dport", "ipid", "rcookie",
                 "natd", "src", "dst", "incl", "orig")


def compile_template(tpl):
    out = []
    t0 = tpl.pkts[0].t
    for p in tpl.pkts:
        c = Compiled()
        c.dt = p.t - t0
        c.from_first = p.from_first if p.from_first is not None else (p.src == tpl.pkts[0].src)
        c.src, c.dst = p.src, p.dst
        mac_a, mac_b = b"\x02\x00\x00\x00\x00\x01", b"\x02\x00\x00\x00\x00\x02"
        c.eth = (mac_b + mac_a if c.from_first else mac_a + mac_b) + b"\x08\x00"
        h = p.ip_hdr
        c.ip_pre = h[0:4]          # version..total length
        c.ip_mid = h[6:10]         # flags/fragment, TTL, protocol
        c.ip_opts = h[20:]
        c.sum_base = csum_words(h[0:4] + h[6:10] + h[20:])
        c.ipid = p.ipid
        c.later = p.frag_later
        ip_len = len(p.ip_hdr) + len(p.payload)
        c.incl = 14 + ip_len
        c.orig = 14 + max(p.orig_len, ip_len)
        if p.frag_later:
            c.udp_tail = p.payload
            c.natd = []
            out.append(c)
            continue
        c.sport, c.dport = p.sport, p.dport
        udp = p.payload
        # UDP: ports (rewritten), length (kept), checksum 0; then the marker
        c.udp_tail = udp[4:6] + b"\0\0" + udp[8:p.isk_off]
        c.rcookie = p.rcookie
        c.after_cookies = udp[p.isk_off + 16:]
        c.natd = [(o - p.isk_off - 16, alg, which) for o, alg, which in p.natd]
        out.append(c)
    return out


POOL = ([bytes((192, 0, 2, i)) for i in range(1, 255)] + [bytes((198, 51, 100, i)) for i in range(1, 255)] +
        [bytes((203, 0, 113, i)) for i in range(1, 240)])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sas", type=int, required=True, help="IKE SAs to write")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", help="output pcap (default /tmp/isakmpstate-bench-<sas>-s<seed>.pcap)")
    ap.add_argument("--window", type=int, default=500, help="negotiations in progress at once, on average")
    ap.add_argument("--success-share", type=float, default=0.6,
                    help="share of successes when the inputs hold failures too (default 0.6)")
    ap.add_argument("--servers", type=int, default=16, help="concentrator addresses (1..16)")
    ap.add_argument("--list", action="store_true", help="only list the templates and their kinds")
    ap.add_argument("inputs", nargs="*", help="captures (default: tcpdump's real IKEv1 captures + sample-captures)")
    a = ap.parse_args(argv)
    inputs = a.inputs or default_inputs()
    if not inputs:
        sys.exit("gen_capture: no input captures")
    a.servers = max(1, min(16, a.servers))

    templates = []
    report_inputs = []
    for path in inputs:
        tpls, skipped, nframes = split_templates(path)
        exp = expected_kinds(path)
        for t in tpls:
            if t.icookie in exp:
                t.kind, t.kind_from = exp[t.icookie], "expected"
            else:
                t.kind, t.kind_from = heuristic_kind(t), "heuristic"
        templates += tpls
        report_inputs.append({"file": path, "frames": nframes, "templates": len(tpls), "skipped": skipped})
        if a.list:
            print(f"{path}: {nframes} frames, {len(tpls)} IKE SAs; skipped {skipped}")
            for t in tpls:
                print(f"  {t.icookie.hex()} {len(t.pkts):4d} pkts {t.duration_ns / 1e9:9.3f} s  {t.kind} ({t.kind_from})")
    if not templates:
        sys.exit("gen_capture: no IKEv1 negotiation in the inputs")
    if a.list:
        return

    kinds = {}
    for t in templates:
        kinds.setdefault(t.kind, []).append(t)
    succ = sorted(k for k in kinds if k in SUCCESS_KINDS)
    fail = sorted(k for k in kinds if k not in SUCCESS_KINDS)
    weights = {}
    if succ and fail:
        for k in succ:
            weights[k] = a.success_share / len(succ)
        for k in fail:
            weights[k] = (1 - a.success_share) / len(fail)
    else:
        for k in kinds:
            weights[k] = 1 / len(kinds)
    kind_names = sorted(weights)
    cum, acc = [], 0.0
    for k in kind_names:
        acc += weights[k]
        cum.append(acc)

    rng = random.Random(a.seed)
    compiled = {id(t): compile_template(t) for t in templates}
    mean_dur = sum(weights[k] * sum(t.duration_ns for t in kinds[k]) / len(kinds[k]) for k in kind_names)
    mean_gap = max(mean_dur, 50_000_000) / max(1, a.window)  # ns between SA starts

    out = a.output or f"/tmp/isakmpstate-bench-{a.sas}-s{a.seed}.pcap"
    counts = {k: 0 for k in kind_names}
    used_cookies = set()

    def cookie():
        while True:
            c = rng.getrandbits(64)
            if c and c not in used_cookies:
                used_cookies.add(c)
                return c.to_bytes(8, "big")

    n_clients = len(POOL) - 16
    servers = POOL[n_clients:n_clients + a.servers]
    clients = POOL[:n_clients]
    base_ns = 1_700_000_000 * 10**9  # 2023-11-14, fixed for determinism
    t_start = 0

    def new_replay(n, start_ns):
        r = rng.random()
        for i, c in enumerate(cum):
            if r < c:
                break
        k = kind_names[i]
        tl = kinds[k]
        tpl = tl[rng.randrange(len(tl))] if len(tl) > 1 else tl[0]
        counts[k] += 1
        pk = compiled[id(tpl)]
        # addresses: the template's first sender is the client
        first_src = pk[0].src
        addr = {}
        extra = 0
        client = clients[n % n_clients]
        server = servers[(n // n_clients) % len(servers)]
        cport_base = 49152 + 2 * ((n // (n_clients * len(servers))) % 8000)
        for c in pk:
            for a_ in (c.src, c.dst):
                if a_ not in addr:
                    if a_ == first_src:
                        addr[a_] = client
                    elif not any(v == server for v in addr.values()):
                        addr[a_] = server
                    else:
                        extra += 1
                        addr[a_] = clients[(n + extra * 7919) % n_clients]
        ports = {}
        icookie = cookie()
        rmap = {b"\0" * 8: b"\0" * 8}
        idoff = rng.getrandbits(16)
        return {"pk": pk, "start": start_ns, "addr": addr, "ports": ports, "i": icookie,
                "rmap": rmap, "idoff": idoff, "client": client, "cport": cport_base}

    def port_for(rp, ip_orig, port, is_client):
        """The client's ports become ephemeral ones (one per original port);
        the server keeps its own (500, 4500)."""
        if not is_client:
            return port
        pm = rp["ports"]
        v = pm.get((ip_orig, port))
        if v is None:
            v = pm[(ip_orig, port)] = 49152 + (rp["cport"] - 49152 + len(pm)) % 16384
        return v

    pack_rec = struct.Struct("<IIII").pack
    pack_h = struct.Struct(">H").pack
    pack_hh = struct.Struct(">HH").pack
    heap = []
    seq = 0
    n_started = 0
    next_start = 0
    packets = 0
    last_t = 0
    nbytes = 24
    buf = []
    bsize = 0
    with open(out + ".part", "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        while True:
            # admit every SA that starts before the earliest pending packet
            while n_started < a.sas and (not heap or next_start <= heap[0][0]):
                rp = new_replay(n_started, next_start)
                heapq.heappush(heap, (next_start, seq, rp, 0))
                seq += 1
                n_started += 1
                next_start += max(1, int(rng.expovariate(1.0) * mean_gap))
            if not heap:
                break
            t, _, rp, i = heapq.heappop(heap)
            last_t = t
            c = rp["pk"][i]
            addr = rp["addr"]
            src, dst = addr[c.src], addr[c.dst]
            ipid = (c.ipid + rp["idoff"]) & 0xFFFF if c.ipid else 0  # 0: "no ID" (DF), kept
            s = c.sum_base + ipid + (src[0] << 8 | src[1]) + (src[2] << 8 | src[3]) + \
                (dst[0] << 8 | dst[1]) + (dst[2] << 8 | dst[3])
            s = (s & 0xFFFF) + (s >> 16)
            s = (s & 0xFFFF) + (s >> 16)
            ip = c.ip_pre + pack_h(ipid) + c.ip_mid + pack_h(~s & 0xFFFF) + src + dst + c.ip_opts
            if c.later:
                body = c.udp_tail
            else:
                client = rp["client"]
                sport = port_for(rp, c.src, c.sport, src == client and c.src != c.dst)
                dport = port_for(rp, c.dst, c.dport, dst == client and c.src != c.dst)
                rc = rp["rmap"].get(c.rcookie)
                if rc is None:
                    rc = rp["rmap"][c.rcookie] = cookie()
                tail = c.after_cookies
                if c.natd:
                    tail = bytearray(tail)
                    for o, alg, which in c.natd:
                        a_, p_ = (src, sport) if which == "src" else (dst, dport)
                        h = natd_hash(alg, rp["i"], rc, a_, p_)
                        tail[o:o + len(h)] = h
                    tail = bytes(tail)
                body = pack_hh(sport, dport) + c.udp_tail + rp["i"] + rc + tail
            ts = base_ns + t
            rec = pack_rec(ts // 10**9, (ts % 10**9) // 1000, c.incl, c.orig)
            frame = b"".join((rec, c.eth, ip, body))
            buf.append(frame)
            bsize += len(frame)
            packets += 1
            if bsize > 1 << 22:
                f.write(b"".join(buf))
                nbytes += bsize
                buf, bsize = [], 0
            if i + 1 < len(rp["pk"]):
                heapq.heappush(heap, (rp["start"] + rp["pk"][i + 1].dt, seq, rp, i + 1))
                seq += 1
        f.write(b"".join(buf))
        nbytes += bsize
    os.replace(out + ".part", out)
    manifest = {
        "output": out, "sas": a.sas, "seed": a.seed, "window": a.window, "packets": packets, "bytes": nbytes,
        "duration_s": round(last_t / 1e9, 3),
        "mean_gap_ms": round(mean_gap / 1e6, 4),
        "kinds": {k: {"sas": counts[k], "weight": round(weights[k], 4), "templates": len(kinds[k]),
                      "success": k in SUCCESS_KINDS} for k in kind_names},
        "inputs": report_inputs,
        "templates": [{"source": t.source, "icookie": t.icookie.hex(), "packets": len(t.pkts), "kind": t.kind,
                       "kind_from": t.kind_from, "duration_s": round(t.duration_ns / 1e9, 3)} for t in templates],
    }
    with open(out + ".json", "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"{out}: {a.sas} IKE SAs, {packets} packets, {nbytes / 1e6:.1f} MB, "
          f"{manifest['duration_s']} s of traffic; kinds: " +
          ", ".join(f"{k} {counts[k]}" for k in kind_names), file=sys.stderr)


if __name__ == "__main__":
    main()
