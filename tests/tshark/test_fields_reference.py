#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""fields/fields.tsv and fields/expert.tsv against what the built plugin
registers (`tshark -G fields`): same names, same types, same summaries, an
example filter for every field that tshark accepts, and every cause code of
fields/causes.md known to the plugin."""
import os
import re

from isk import REPO, TCPDUMP, Suite, TShark, build_dir_from_argv

S = Suite("fields-reference")
ts = TShark(build_dir_from_argv())


def read_tsv(path):
    rows = []
    with open(path) as f:
        header = None
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if header is None:
                header = cols
                continue
            rows.append(dict(zip(header, cols)))
    return rows


_, out, _ = ts.run(["-G", "fields"])
registered = {}
for line in out.splitlines():
    c = line.split("\t")
    if len(c) >= 5 and c[0] == "F" and c[4] == "isakmpstate":
        registered[c[2]] = c

doc = {r["field"]: r for r in read_tsv(os.path.join(REPO, "fields", "fields.tsv"))}
real = {k: v for k, v in registered.items() if not k.startswith("isakmpstate.expert.")}
S.eq(sorted(set(doc) - set(real)), [], "documented but not registered")
S.eq(sorted(set(real) - set(doc)), [], "registered but not documented")
for name, r in doc.items():
    if name in real:
        S.eq(r["type"], real[name][3], f"{name} type")
    S.check(r["meaning"].strip() != "", f"{name} has a meaning")
    S.check(name in r["example"], f"{name} example uses the field")

# Every example is a valid display filter (tshark rejects a bad one with
# exit 4). All of them joined with "||" compile only if each one does, so
# one tshark run checks them all; if it fails, each is run alone to name
# the bad ones.
cap = os.path.join(TCPDUMP, "ISAKMP_sa_setup.pcap")
joined = " || ".join(f"({r['example']})" for r in doc.values())
rc, _, err = ts.run(["-Y", joined, "-c", "1"], capture=cap, check=False)
if rc != 0:
    for name, r in doc.items():
        rc, _, err = ts.run(["-Y", r["example"], "-c", "1"], capture=cap, check=False)
        S.eq(rc, 0, f"example filter of {name} ({r['example']}): {err.strip()[:200]}")
S.eq(rc, 0, f"the {len(doc)} example filters, joined: {err.strip()[:200]}")

experts = {r["name"]: r for r in read_tsv(os.path.join(REPO, "fields", "expert.tsv"))}
reg_expert = {k: v for k, v in registered.items() if k.startswith("isakmpstate.expert.")}
S.eq(sorted(experts), sorted(reg_expert), "expert infos documented = registered")
for name, r in experts.items():
    if name in reg_expert:
        S.eq(r["summary"], reg_expert[name][1], f"{name} summary")

# The cause vocabulary: fields/causes.md lists exactly the codes the plugin knows.
src = open(os.path.join(REPO, "plugin", "core", "ike_explain.c")).read()
codes = set(re.findall(r'\[CAUSE_\w+\] = \{CAUSE_\w+, "([a-z0-9-]+)"', src))
md = open(os.path.join(REPO, "fields", "causes.md")).read()
documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", md, re.M))
S.check(len(codes) >= 15, f"cause codes found in the source: {sorted(codes)}")
S.eq(sorted(documented), sorted(codes), "causes documented = causes in the plugin")
# The module states its license and tshark lists its version.
so = os.path.join(ts.plugins, "4.0", "epan", "isakmpstate.so")
if os.path.exists(so):
    S.check(b"SPDX-License-Identifier: GPL-2.0-or-later" in open(so, "rb").read(), "license string in the module")
S.check(re.fullmatch(r"\d+\.\d+\.\d+", ts.version) is not None, f"tshark -G plugins version: {ts.version}")
ts.close()
S.done()
