#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Show isakmpstate's view of captures: every ISAKMP packet with its message
and both sides' states, then the per-SA table with verdicts.

usage: show.py BUILD_DIR [capture ...]   (default: every bundled sample capture)
"""
import glob
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "tshark"))
from isk import SAMPLES, TCPDUMP, TShark  # noqa: E402

COLS = ["frame.number", "frame.time_relative", "isakmpstate.sa", "isakmpstate.msg", "isakmpstate.from",
        "isakmpstate.istate.asa", "isakmpstate.rstate.asa", "isakmpstate.istate.ios", "isakmpstate.rstate.ios",
        "isakmpstate.retransmission_of", "isakmpstate.cause"]


def main():
    build = sys.argv[1]
    caps = sys.argv[2:] or sorted(glob.glob(os.path.join(SAMPLES, "*.pcapng")) + glob.glob(os.path.join(SAMPLES, "*.pcap")))
    if not caps:
        print("no sample captures found in", SAMPLES, "- showing tcpdump's real IKEv1 captures instead")
        caps = [os.path.join(TCPDUMP, f) for f in ("ISAKMP_sa_setup.pcap", "isakmp4500.pcap")]
    ts = TShark(build)
    try:
        for cap in caps:
            print(f"\n##### {os.path.basename(cap)}")
            args = ["-2", "-Y", "isakmpstate", "-T", "fields", "-E", "separator=\t", "-E", "header=n"]
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
            rc, out, err = ts.run(["-q", "-2", "-z", "isakmpstate,sa"], capture=cap, check=False)
            print(out.strip("\n"))
    finally:
        ts.close()


if __name__ == "__main__":
    main()
