#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Malformed and hostile input: tshark with the plugin never crashes, in one
and two passes, and each malformed ISAKMP message gets a clear note.

The crafted captures come from tcpdump's regression suite
(tests/data/tcpdump/README.md says what each one is)."""
import os
import tempfile

from isk import TCPDUMP, Suite, TShark, build_dir_from_argv

S = Suite("bad-input")
ts = TShark(build_dir_from_argv())

# file -> what isakmpstate must say about it (from the README's description
# and the bytes): a note on the malformed message, or nothing when Wireshark
# itself does not take the packet for ISAKMP.
CASES = {
    "ikev1_id_ipv6_addr_subnet-oobr.pcap": "header length field is beyond the end of the packet",
    "isakmp-various-oobr.pcap": "header length field is beyond the end of the packet",
    "isakmpv1-attr-oobr.pcap": "header length field is beyond the end of the packet",
    "isakmp-delete-segfault.pcap": "header length field is beyond the end of the packet",
    "isakmp-no-none-np.pcapng": "a payload length is below 4 or runs past the end of the message",
    # Zero cookies and a 30-byte message: Wireshark's isakmp dissector does
    # not claim it (shown as Data), so there is nothing to track.
    "isakmp-pointer-loop.pcap": None,
}
for name, want in CASES.items():
    path = os.path.join(TCPDUMP, name)
    for two_pass in (False, True):
        what = name + (" -2" if two_pass else "")
        rc, out, err = ts.run((["-2"] if two_pass else []) + ["-V"], capture=path, check=False)
        S.eq(rc, 0, f"{what}: tshark exit status (stderr: {err.strip()[:300]})")
        rows = ts.fields(path, ["isakmpstate.malformed", "isakmpstate.msg"], two_pass)
        if want is None:
            S.eq(rows, {}, f"{what}: nothing tracked")
        else:
            S.check(any(r["isakmpstate.malformed"] == want for r in rows.values()),
                    f"{what}: malformed note '{want}' in {rows}")
            S.check("Malformed ISAKMP message: " + want in out, f"{what}: expert info text")

# A single main-mode packet with a broken ID payload: tracked as MM5 of an
# SA whose start is not in the capture, flagged as such.
rows = ts.fields(os.path.join(TCPDUMP, "isakmp-identification-segfault.pcap"),
                 ["isakmpstate.msg", "isakmpstate.start_not_seen", "isakmpstate.role_assumed"], True)
S.eq(len(rows), 1, "identification-segfault: one record")
r = rows.get(1, {})
S.check(r.get("isakmpstate.start_not_seen") is not None and r.get("isakmpstate.role_assumed") is not None,
        f"identification-segfault: start-not-seen and role-assumed marked: {r}")

# Not a capture at all: tshark fails cleanly, no crash signal.
with tempfile.NamedTemporaryFile("wb", suffix=".pcap", delete=False) as f:
    f.write(b"this is not a capture file\n" * 10)
    junk = f.name
os.chmod(junk, 0o644)
rc, out, err = ts.run([], capture=junk, check=False)
S.check(rc > 0 and rc < 128, f"not a capture: tshark fails with a message, not a signal (rc={rc}, {err.strip()[:200]})")
os.unlink(junk)

# A truncated capture: every prefix of a real one must be handled.
src = open(os.path.join(TCPDUMP, "isakmp4500.pcap"), "rb").read()
for cut in (40, 100, 333, 700, 1500, len(src) - 7):
    with tempfile.NamedTemporaryFile("wb", suffix=".pcap", delete=False) as f:
        f.write(src[:cut])
        p = f.name
    os.chmod(p, 0o644)
    rc, _, err = ts.run(["-2", "-V"], capture=p, check=False)
    S.check(rc in (0, 2), f"truncated at {cut}: rc={rc} ({err.strip()[:200]})")
    S.check("Segmentation" not in err and "AddressSanitizer" not in err, f"truncated at {cut}: no crash")
    os.unlink(p)
ts.close()
S.done()
