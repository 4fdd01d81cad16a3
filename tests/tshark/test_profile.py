#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The isakmpstate configuration profile (fields/profile/isakmpstate): every
coloring rule and filter button is a valid display filter, and tshark with
-C isakmpstate prints the state columns of the reference labels."""
import os
import re
import shutil

from isk import REPO, TCPDUMP, Suite, TShark, build_dir_from_argv

S = Suite("profile")
ts = TShark(build_dir_from_argv())
prof = os.path.join(REPO, "fields", "profile", "isakmpstate")
cap = os.path.join(TCPDUMP, "ISAKMP_sa_setup.pcap")

filters = []
for line in open(os.path.join(prof, "colorfilters")):
    if line.startswith("@"):
        name, flt = line.split("@")[1:3]
        filters.append(("colorfilter " + name, flt))
for line in open(os.path.join(prof, "dfilter_buttons")):
    if line.startswith('"'):
        cols = re.findall(r'"((?:[^"\\]|\\.)*)"', line)
        S.check("\\\"" not in cols[2], f"button {cols[1]}: no backslash-quote (Wireshark cuts the filter there)")
        filters.append(("button " + cols[1], cols[2].replace("\\x22", '"')))
S.check(len(filters) >= 10, f"{len(filters)} filters in the profile")
for what, flt in filters:
    rc, _, err = ts.run(["-2", "-Y", flt, "-c", "1"], capture=cap, check=False)
    S.eq(rc, 0, f"{what}: '{flt}' is a valid filter ({err.strip()[:200]})")

# Install the profile as a user would (personal profiles folder) and use it.
dst = os.path.join(ts.home, ".config", "wireshark", "profiles", "isakmpstate")
shutil.copytree(prof, dst)
for root, dirs, files in os.walk(os.path.join(ts.home, ".config")):
    for d in dirs:
        os.chmod(os.path.join(root, d), 0o777)
    for f in files:
        os.chmod(os.path.join(root, f), 0o666)
os.chmod(os.path.join(ts.home, ".config"), 0o777)
_, out, err = ts.run(["-C", "isakmpstate"], capture=cap)
lines = out.splitlines()
S.eq(len(lines), 9, "nine packets")
# Reference section 2: after MM1 the initiator is MM_WAIT_MSG2/MM_NO_STATE;
# after MM4 the responder is MM_WAIT_MSG5/MM_KEY_EXCH.
S.check(re.search(r"\bMM1\s+initiator\s+MM_WAIT_MSG2\s+none\s+MM_NO_STATE\s+none\b", lines[0]) is not None,
        f"profile columns on MM1: {lines[0]}")
S.check(re.search(r"\bMM4\s+responder\s+MM_WAIT_MSG4\s+MM_WAIT_MSG5\s+MM_SA_SETUP\s+MM_KEY_EXCH\b", lines[3]) is not None,
        f"profile columns on MM4: {lines[3]}")
ts.close()
S.done()
