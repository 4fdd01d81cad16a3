#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""When nobody looks at the isakmpstate items (summary lines, -q with a tap),
the plugin skips building them (details_wanted() in packet-isakmpstate.c),
and in the second pass of -2 there is no tree at all. What a user sees must
not change: the Info column, the Expert column (the highest severity of
each packet, which Wireshark keeps on the items the expert infos hang on)
and the verdicts of the per-SA table.

Each capture is printed twice with the same columns: once as is (lean: no
isakmpstate field is referenced) and once with a display filter that names
the isakmpstate protocol and matches every packet (full: every item built).
The lines must be equal, in one and two passes."""
import os

from isk import SAMPLES, TCPDUMP, Suite, TShark, build_dir_from_argv

S = Suite("lean-path")
ts = TShark(build_dir_from_argv())

TAGS = ("[MM1 -> ", "[AM1 -> ", "[QM1 -> ", "[other-exchange]", "[malformed ISAKMP]")
# Registered expert summaries that the plugin's messages replace with facts.
BARE = ("IKE retransmission", "no-response (negotiation failed)", "ok (negotiation outcome)", "Phase 1 complete",
        "Encrypted informational: type not readable without keys", "Notification", "Quick mode complete")
COLS = ["-o", 'gui.column.format:"No","%m","Info","%i","Expert","%a"']
CAPS = [os.path.join(SAMPLES, n) for n in (
    "psk-mismatch-mm.pcapng", "am-psk-mismatch.pcapng", "natt-4500-blocked-init.pcapng",
    "ike-proposal-mismatch.pcapng", "phase2-id-mismatch.pcapng", "xauth-bad-password.pcapng",
    "dpd-rekey-delete.pcapng")] + [os.path.join(TCPDUMP, n) for n in (
    "isakmp4500.pcap", "isakmpv1-attr-oobr.pcap", "isakmp-various-oobr.pcap")]

for cap in CAPS:
    name = os.path.basename(cap)
    if not os.path.exists(cap):
        S.check(False, f"{name}: missing")
        continue
    for two in ([], ["-2"]):
        what = name + (" -2" if two else "")
        _, lean, _ = ts.run(two + ["-n"] + COLS, capture=cap)
        _, full, _ = ts.run(two + ["-n"] + COLS + ["-Y", "isakmpstate or not isakmpstate"], capture=cap)
        S.check(len(lean.splitlines()) > 0, f"{what}: packets printed")
        # The second pass of -2 prints without a protocol tree (the filter
        # makes one): the Expert column must still show the highest
        # severity of the packet's isakmpstate expert infos.
        lean_l, full_l = lean.splitlines(), full.splitlines()
        S.eq(lean_l, full_l, f"{what}: summary lines with and without the items")
        # Not vacuous: the tags of the plugin are in what was compared.
        S.check(any(t in lean for t in TAGS), f"{what}: isakmpstate tags in the Info column")

# The expert tap reads the messages themselves, also where there is no
# tree: the second pass of -2 (as the GUI's Expert Information dialog,
# which retaps without one). Its report must equal the one made with a
# tree, message for message, and hold the formatted verdict.
for cap in CAPS[:4]:
    name = os.path.basename(cap)
    for two in ([], ["-2"]):
        what = name + (" -2" if two else "")
        _, lean, _ = ts.run(two + ["-n", "-q", "-z", "expert"], capture=cap)
        _, full, _ = ts.run(two + ["-n", "-q", "-z", "expert", "-Y", "isakmpstate or not isakmpstate"], capture=cap)
        S.eq(lean.splitlines(), full.splitlines(), f"{what}: -z expert with and without a tree")
        ours = [l.split("ISAKMPSTATE", 1)[1].strip() for l in lean.splitlines() if "ISAKMPSTATE" in l]
        S.check(ours and not [m for m in ours if m in BARE],
                f"{what}: -z expert has the formatted messages, not bare summaries: {ours}")
_, lean, _ = ts.run(["-2", "-n", "-q", "-z", "expert"], capture=os.path.join(SAMPLES, "psk-mismatch-mm.pcapng"))
S.check("auth-failed: Phase-1 authentication failed" in lean and "MM5 sent again by the initiator: copy #3 of frame 5" in lean,
        f"psk-mismatch-mm -2 -z expert: the verdict and retransmission messages: {lean}")

# The stop frame of a failed negotiation shows Error in the Expert column
# (the verdict, an Error expert info, is raised on the second pass of -2,
# after the retransmission and notification notes of that packet).
cap = os.path.join(SAMPLES, "psk-mismatch-mm.pcapng")
stop = ts.fields(cap, ["isakmpstate.stop", "isakmpstate.cause"], two_pass=True)
stops = [f for f, r in stop.items() if r["isakmpstate.stop"]]
S.eq(len(stops), 1, "psk-mismatch-mm: one stop frame")
_, lean, _ = ts.run(["-2", "-n"] + COLS, capture=cap)
line = [l for l in lean.splitlines() if l.split() and l.split()[0] == str(stops[0] if stops else -1)]
S.check(line and line[0].rstrip().endswith("Error"), f"psk-mismatch-mm: Expert column of the stop frame: {line}")

# The per-SA table (a tap: the items are not built for it) gives the same
# causes as the fields of the full path.
_, table, _ = ts.run(["-q", "-z", "isakmpstate,sa"], capture=cap)
causes = {r["isakmpstate.cause"] for r in stop.values() if r["isakmpstate.cause"]}
S.eq(causes, {"auth-failed"}, "psk-mismatch-mm: cause from the fields")
S.check("auth-failed" in table, "psk-mismatch-mm: cause in the table")

# The post-dissector's handle has no protocol (packet-isakmpstate.c), so
# the plugin itself must honour Enabled Protocols: disabled, it adds
# nothing (no item, no tag, no expert info); enabled, the same run has them.
for extra, want in (([], True), (["--disable-protocol", "isakmpstate"], False)):
    _, out, _ = ts.run(extra + ["-n", "-V"], capture=cap)
    _, lines, _ = ts.run(extra + ["-n"], capture=cap)
    _, ex, _ = ts.run(extra + ["-n", "-q", "-z", "expert"], capture=cap)
    what = "disabled" if extra else "enabled"
    S.eq("[Initiator state: " in out, want, f"psk-mismatch-mm {what}: isakmpstate items in -V")
    S.eq(any(t in lines for t in TAGS), want, f"psk-mismatch-mm {what}: tags in the Info column")
    S.eq("ISAKMPSTATE" in ex, want, f"psk-mismatch-mm {what}: isakmpstate expert infos")

S.done()
