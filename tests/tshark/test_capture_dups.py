#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Capture duplicates against retransmissions, on real negotiations.

A capture duplicate is one datagram recorded twice (same bytes and same
IPv4 identification: two capture points, a SPAN port seen twice); a
retransmission is the daemon sending the message again (a new datagram, a
new identification). The plugin reads the identification from the packet
bytes (packet-isakmpstate.c, ipv4_id()); this test checks that it finds it
where Wireshark's ip.id says it is, on UDP 500, on UDP 4500 after the
non-ESP marker, and for a datagram reassembled from IPv4 fragments.

The captures are derived from the lab's captures (strongSwan peers): one
packet is copied right after itself, which is what a duplicating capture
does; for the fragment case the copied datagram is first cut into two IPv4
fragments, as a router with a small MTU would."""
import os
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "fuzz"))
from isk import SAMPLES, Suite, TShark, build_dir_from_argv  # noqa: E402
from fuzzlib import Pcap, ipv4_checksum, locate_udp  # noqa: E402

S = Suite("capture-dups")
ts = TShark(build_dir_from_argv())
tmp = tempfile.mkdtemp(prefix="iskdup-")
FIELDS = ["isakmpstate.msg", "isakmpstate.retransmission", "isakmpstate.capture_duplicate",
          "isakmpstate.retransmission_of", "ip.id"]


def write(p, name):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(p.to_bytes())
    return path


def fragments(frame, loc, cut):
    """FRAME (Ethernet/IPv4/UDP) as two IPv4 fragments, the first holding
    CUT bytes (a multiple of 8) of the IP payload."""
    ip = loc["ip"]
    ihl = (frame[ip] & 0x0F) * 4
    hdr, body = bytearray(frame[ip:ip + ihl]), frame[ip + ihl:]
    out = []
    for off, chunk, mf in ((0, body[:cut], 0x2000), (cut, body[cut:], 0)):
        h = bytearray(hdr)
        struct.pack_into(">H", h, 2, ihl + len(chunk))
        struct.pack_into(">H", h, 6, mf | (off // 8))
        struct.pack_into(">H", h, 10, 0)
        struct.pack_into(">H", h, 10, ipv4_checksum(h))
        out.append(bytearray(frame[:ip]) + h + chunk)
    return out


def check_dup(name, src, index, frag=False):
    """Copy record INDEX of SRC (0-based) right after itself (fragmented
    first when FRAG) and check the copy is a capture duplicate of it."""
    base = Pcap.load(src)
    p = base.copy()
    rec = p.records[index]
    loc = locate_udp(p.linktype, rec[2])
    if not S.check(loc and loc["ipv"] == 4, f"{name}: frame {index + 1} is IPv4/UDP"):
        return
    copies = [rec[2]]
    if frag:
        copies = fragments(rec[2], loc, ((len(rec[2]) - loc["ip"] - 20) // 2) & ~7)
    new = []
    for r in p.records[:index]:
        new.append(r)
    for data in copies:
        new.append([rec[0], rec[1], bytearray(data), len(data)])
    for k, data in enumerate(copies):
        new.append([rec[0], rec[1] + 100 + k, bytearray(data), len(data)])
    new.extend(p.records[index + 1:])
    p.records = new
    path = write(p, name + ".pcap")
    rows = ts.fields(path, FIELDS)
    first = index + len(copies)          # frame of the (reassembled) original
    dup = index + 2 * len(copies)        # frame of its copy
    r0, r1 = rows.get(first, {}), rows.get(dup, {})
    S.check(r0.get("isakmpstate.msg") and not r0.get("isakmpstate.retransmission"),
            f"{name}: frame {first} is the message itself: {r0}")
    S.eq(r1.get("isakmpstate.capture_duplicate"), str(first), f"{name}: frame {dup} is a capture duplicate")
    S.eq(r1.get("isakmpstate.retransmission", ""), "", f"{name}: frame {dup} is not a retransmission")
    # The same copy with a new IPv4 identification is a retransmission.
    q = p.copy()
    for k in range(len(copies)):
        d = q.records[index + len(copies) + k][2]
        ip = locate_udp(q.linktype, bytes(copies[0]))["ip"]
        struct.pack_into(">H", d, ip + 4, (struct.unpack(">H", d[ip + 4:ip + 6])[0] + 1) & 0xFFFF or 1)
        struct.pack_into(">H", d, ip + 10, 0)
        struct.pack_into(">H", d, ip + 10, ipv4_checksum(d[ip:ip + (d[ip] & 0x0F) * 4]))
    path = write(q, name + "-newid.pcap")
    rows = ts.fields(path, FIELDS)
    r1 = rows.get(dup, {})
    S.check(r1.get("isakmpstate.retransmission") and r1.get("isakmpstate.retransmission_of") == str(first),
            f"{name}: with a new IPv4 ID, frame {dup} is a retransmission of {first}: {r1}")


check_dup("mm3-udp500", os.path.join(SAMPLES, "psk-mismatch-mm.pcapng"), 2)
check_dup("mm3-udp500-fragmented", os.path.join(SAMPLES, "psk-mismatch-mm.pcapng"), 2, frag=True)
# natt-ok-init: MM5 onwards on UDP 4500 behind the non-ESP marker.
nat = os.path.join(SAMPLES, "natt-ok-init.pcapng")
rows = ts.fields(nat, ["isakmpstate.msg", "udp.port"])
mm5 = [f for f, r in rows.items() if r["isakmpstate.msg"] == "MM5"]
if S.check(mm5 and "4500" in rows[mm5[0]]["udp.port"], f"natt-ok-init: MM5 on UDP 4500: {rows}"):
    check_dup("mm5-udp4500", nat, mm5[0] - 1)

S.done()
