#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Show isakmpstate's view of captures: every ISAKMP packet with its message
and both sides' states, then the per-SA table with verdicts.

usage: show.py BUILD_DIR [--keys FILE] [--] [capture ...]   (default: every bundled sample capture)

--keys FILE: IKEv1 keys, lines icookie_hex,key_hex (as for isakmpstate-annotate).
"""
import glob
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "tshark"))
from isk import SAMPLES, TCPDUMP, TShark  # noqa: E402

COLS = ["frame.number", "frame.time_relative", "isakmpstate.sa", "isakmpstate.msg", "isakmpstate.from",
        "isakmpstate.istate.asa", "isakmpstate.rstate.asa", "isakmpstate.istate.ios", "isakmpstate.rstate.ios",
        "isakmpstate.retransmission_of", "isakmpstate.cause"]


def key_options(path):
    opts = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                opts += ["-o", "uat:ikev1_decryption_table:" + line]
    return opts


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__.strip())
    build, rest = sys.argv[1], sys.argv[2:]
    extra = []
    while rest and rest[0].startswith("--"):
        opt = rest.pop(0)
        if opt == "--":
            break
        if opt == "--keys" and rest:
            extra += key_options(rest.pop(0))
        else:
            sys.exit(f"show.py: unknown option {opt}\n" + __doc__.strip())
    caps = []
    for arg in rest:  # folders: their captures, recursively
        if os.path.isdir(arg):
            caps += sorted(p for ext in ("pcap", "pcapng", "cap") for p in
                           glob.glob(os.path.join(arg, "**", "*." + ext), recursive=True))
        else:
            caps.append(arg)
    if not rest:
        caps = sorted(glob.glob(os.path.join(SAMPLES, "*.pcapng")) + glob.glob(os.path.join(SAMPLES, "*.pcap")))
    if not caps:
        print("no sample captures found in", SAMPLES, "- showing tcpdump's real IKEv1 captures instead")
        caps = [os.path.join(TCPDUMP, f) for f in ("ISAKMP_sa_setup.pcap", "isakmp4500.pcap")]
    ts = TShark(build)
    try:
        for cap in caps:
            print(f"\n##### {os.path.basename(cap)}")
            if not os.path.isfile(cap):
                print("  not a file")
                continue
            args = ["-2", "-Y", "isakmpstate", "-T", "fields", "-E", "separator=\t", "-E", "header=n"] + extra
            for c in COLS:
                args += ["-e", c]
            rc, out, err = ts.run(args, capture=cap, check=False)
            if rc != 0:
                print(f"  tshark failed ({rc}): {err.strip()}")
                continue
            print(f"{'frame':>5} {'time':>8} {'SA':>3} {'msg':<8} {'from':<9} {'initiator (ASA)':<16} {'responder (ASA)':<16} "
                  f"{'initiator (IOS)':<15} {'responder (IOS)':<15} note")
            for line in out.splitlines():
                c = (line.split("\t") + [""] * len(COLS))[:len(COLS)]
                note = f"retransmission of {c[9]}" if c[9] else ""
                print(f"{c[0]:>5} {float(c[1] or 0):8.3f} {c[2]:>3} {c[3]:<8} {c[4]:<9} {c[5]:<16} {c[6]:<16} "
                      f"{c[7]:<15} {c[8]:<15} {note}")
            rc, out, err = ts.run(["-q", "-2", "-z", "isakmpstate,sa"] + extra, capture=cap, check=False)
            print(out.strip("\n"))
    finally:
        ts.close()


if __name__ == "__main__":
    main()
