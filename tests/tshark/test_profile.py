#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The isakmpstate configuration profile (fields/profile/isakmpstate): every
coloring rule and filter button is a valid display filter, and tshark with
-C isakmpstate prints the state columns of the reference labels."""
import os
import re
import shutil

import subprocess
import tempfile

from isk import REPO, SAMPLES, TCPDUMP, Suite, TShark, build_dir_from_argv

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
# IKEv2 in the same columns: Cisco's debug state and strongSwan's.
v2cap = os.path.join(SAMPLES, "v2-ok-sw-sw.pcapng")
_, out, _ = ts.run(["-C", "isakmpstate"], capture=v2cap)
v2 = out.splitlines()
S.check(len(v2) >= 4 and re.search(r"\bINIT-req\s+initiator\s+I_WAIT_INIT\s+none\s+CONNECTING\s+none\b", v2[0]) is not None,
        f"profile columns on IKE_SA_INIT request: {v2[:1]}")
S.check(len(v2) >= 4 and re.search(r"\bAUTH-resp\s+responder\s+READY\s+READY\s+ESTABLISHED\s+ESTABLISHED\b", v2[3]) is not None,
        f"profile columns on IKE_AUTH response: {v2[3:4]}")

# Every column of the profile has a width in its recent file.
prefs = open(os.path.join(prof, "preferences")).read()
fmts = re.findall(r'"(%[^"]+)"', prefs.split("gui.column.format:")[1])
widths = open(os.path.join(prof, "recent")).read()
for f in fmts:
    key = re.sub(r":\d+:R$", "", f)
    want = f'"{key}"' if key.startswith("%Cus:") else key + ","
    S.check(want in widths, f"column {f} has a width in recent")

# Installed, the profile keeps Wireshark's default coloring rules after its own.
build = build_dir_from_argv()
with tempfile.TemporaryDirectory() as dest:
    r = subprocess.run(["cmake", "--install", build], env=dict(os.environ, DESTDIR=dest),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    S.eq(r.returncode, 0, f"cmake --install with DESTDIR: {r.stdout[-300:]}")
    got = [p for p in (os.path.join(root, f) for root, _, files in os.walk(dest) for f in files)
           if p.endswith(os.path.join("profiles", "isakmpstate", "colorfilters"))]
    S.eq(len(got), 1, "installed profile colorfilters")
    system = "/usr/share/wireshark/colorfilters"
    if got and os.path.exists(system):
        names = [l.split("@")[1] for l in open(got[0]) if l.startswith("@")]
        defaults = [l.split("@")[1] for l in open(system) if l.startswith("@")]
        ours = [l.split("@")[1] for l in open(os.path.join(prof, "colorfilters")) if l.startswith("@")]
        S.eq(names, ours + defaults, "installed rules: the profile's, then Wireshark's defaults")
ts.close()
S.done()
