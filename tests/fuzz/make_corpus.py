#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpus of fuzz_tracker (tests/fuzz/corpus/) from the
ISAKMP messages of the tcpdump captures (tests/data/tcpdump) and of
the sample captures (sample-captures/*.pcapng, whole negotiations only), in
the harness's input format (see fuzz_tracker.c): per message a 6-byte record
header (peers, NAT-T, time step, IP ID, length) and the message itself
(the UDP payload; on UDP 4500 after the non-ESP marker).

One file per capture with all its messages in order, one per distinct
message alone, and the encrypted messages again with the "decrypted" bit
(their ciphertext then goes through the decrypted-payload path and is
refused, as a wrong key would be). Plus one synthetic aggressive-mode
exchange, which none of the captures has. File names are the content's
SHA-1, as libFuzzer names its own; rerunning gives the same files.

  tests/fuzz/make_corpus.py [OUT_DIR]     # default tests/fuzz/corpus
"""
import hashlib
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzzlib  # noqa: E402
from fuzzlib import Pcap, isakmp, isakmp_offset, locate_udp, payload, sa_payload_main  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def record(src, dst, nat_t, icmp, decrypted, same_frame, step, ip_id, msg):
    sel = (src & 3) | (dst & 3) << 2 | nat_t << 4 | icmp << 5 | decrypted << 6 | same_frame << 7
    return struct.pack(">BbHH", sel, max(-128, min(127, step)), ip_id & 0xFFFF, len(msg)) + msg


def messages(path):
    """(src peer, dst peer, nat_t, time step, ip id, encrypted, message) per ISAKMP message."""
    p = Pcap.load(path)
    peers, out, last = {}, [], None
    for sec, frac, data, _ in p.records:
        loc = locate_udp(p.linktype, data)
        if not loc:
            continue
        o = isakmp_offset(loc, data)
        if o is None:
            continue
        msg = bytes(data[o:loc["payload"] + loc["plen"]])
        if len(msg) < 8:
            continue
        al = 4 if loc["ipv"] == 4 else 16
        s = loc["ip"] + (12 if loc["ipv"] == 4 else 8)
        src, dst = bytes(data[s:s + al]), bytes(data[s + al:s + 2 * al])
        for a in (src, dst):
            peers.setdefault(a, len(peers) % 4)
        t = sec + frac / (1e9 if p.nsec else 1e6)
        step = 0 if last is None else int(round((t - last) * 4))
        last = t
        ip_id = struct.unpack(">H", data[loc["ip"] + 4:loc["ip"] + 6])[0] if loc["ipv"] == 4 else 0
        enc = len(msg) >= 28 and bool(msg[19] & 1)
        out.append((peers[src], peers[dst], int(4500 in (loc["sport"], loc["dport"])), step, ip_id, enc, msg))
    return out


def aggressive_mode():
    """AM1 / AM2 / AM3 between peers 0 and 1, clear, pre-shared key."""
    ic, rc = bytes.fromhex("0011223344556677"), bytes.fromhex("8899aabbccddeeff")
    ke = bytes(range(128))
    am1 = isakmp(ic, bytes(8), 4, sa_payload_main(4) + payload(10, ke) + payload(5, b"\x42" * 16) +
                 payload(0, struct.pack(">BBH", 1, 17, 500) + bytes([192, 0, 2, 1])), np_first=1)
    am2 = isakmp(ic, rc, 4, sa_payload_main(4) + payload(10, ke[::-1]) + payload(5, b"\x17" * 16) +
                 payload(8, struct.pack(">BBH", 1, 17, 500) + bytes([198, 51, 100, 2])) +
                 payload(0, b"\x99" * 20), np_first=1)
    am3 = isakmp(ic, rc, 4, payload(0, b"\x55" * 20), np_first=8)
    return [record(0, 1, 0, 0, 0, 0, 1, 1, am1), record(1, 0, 0, 0, 0, 0, 1, 2, am2),
            record(0, 1, 0, 0, 0, 0, 1, 3, am3)]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")
    os.makedirs(out, exist_ok=True)
    files = {}

    def put(data, why):
        h = hashlib.sha1(data).hexdigest()
        files.setdefault(h, (data, why))

    for path in fuzzlib.source_captures(include_samples=True):
        sample = not path.startswith(fuzzlib.TCPDUMP)
        try:
            msgs = messages(path)
        except ValueError as e:
            print(f"make_corpus: {path}: {e}")
            continue
        if not msgs:
            continue
        name = os.path.basename(path)
        put(b"".join(record(s, d, n, 0, 0, 0, st, i, m) for s, d, n, st, i, e, m in msgs), name)
        if any(e for *_, e, m in msgs):
            put(b"".join(record(s, d, n, 0, int(e), 0, st, i, m) for s, d, n, st, i, e, m in msgs),
                name + " (decrypted bit)")
        if sample:
            continue  # the lab's captures: whole negotiations only
        for s, d, n, st, i, e, m in msgs:
            put(record(s, d, n, 0, 0, 0, 0, i, m), name + " one message")
    put(b"".join(aggressive_mode()), "synthetic aggressive mode")
    for h, (data, why) in sorted(files.items()):
        with open(os.path.join(out, h), "wb") as f:
            f.write(data)
    print(f"make_corpus: {len(files)} files, {sum(len(d) for d, _ in files.values())} bytes in {out}")


if __name__ == "__main__":
    main()
