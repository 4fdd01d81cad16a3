#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Rekeys, against what strongSwan logged (issue 13).

usage: test_rekeys.py BUILD_DIR

For every sample capture whose initiator is strongSwan (its charon log has
"<conn|N>" lines) and that comes with its keys, the initiator's log says:
- which IKE SAs it established, in order ("IKE_SA lab[2] established" or,
  IKEv2, "IKE_SA lab[2] rekeyed"), and which of them replaced one still up:
  IKEv1, established before the log's "deleting IKE_SA lab[1]"; IKEv2,
  "rekeyed";
- which CHILD_SAs each IKE SA made, and with which traffic selectors: a
  CHILD_SA with the TS of an earlier one of the same (or the replaced) IKE
  SA is a phase-2 rekey.
The plugin's per-SA report (`-z isakmpstate,json`, keys given) must give the
same rekey_of / rekeyed_by links and child_rekeys counts; IKE SAs are
matched in the order both first show them. Captures whose established IKE
SAs the plugin does not all report are not compared (said in the output).
At least one IKEv1 and one IKEv2 capture must have a rekey of each kind, and
at least one capture must have CHILD_SAs with different TS and no rekey.
"""
import glob
import os
import re

from isk import SAMPLES, Suite, TShark, build_dir_from_argv, key_options, sa_report

IKE_EST = re.compile(r"<([^|>]+)\|(\d+)> IKE_SA \S+\[(\d+)\] (established|rekeyed) between ([^\[]+)\[")
IKE_DEL = re.compile(r"<[^|>]+\|\d+> deleting IKE_SA \S+\[(\d+)\]")
CHILD = re.compile(r"<[^|>]+\|(\d+)> (?:inbound |outbound )?CHILD_SA \S+\{(\d+)\} established .* and TS (.+)$")


def daemon_view(log_path):
    """IKE SA unique ids in order, each {rekey_of, child_rekeys}; the
    daemon's own address."""
    order, info, deleted, local = [], {}, set(), None
    children = {}  # child id -> (ike id, ts)
    for line in open(log_path, errors="replace"):
        m = IKE_DEL.search(line)
        if m:
            deleted.add(int(m.group(1)))
        m = IKE_EST.search(line)
        if m:
            ike, local = int(m.group(3)), m.group(5)
            if ike in info:
                continue
            rekey_of = None
            if m.group(4) == "rekeyed":
                rekey_of = int(m.group(2))  # logged in the context of the old SA
            elif order and order[-1] not in deleted:
                rekey_of = order[-1]  # IKEv1: a new phase 1 while the last one is up
            order.append(ike)
            info[ike] = {"rekey_of": rekey_of, "child_rekeys": 0}
            continue
        m = CHILD.search(line)
        if m:
            ike, child, ts = int(m.group(1)), int(m.group(2)), m.group(3).strip()
            if child in children:
                continue  # inbound and outbound lines of one CHILD_SA
            lineage = {ike}
            if ike in info and info[ike]["rekey_of"]:
                lineage.add(info[ike]["rekey_of"])
            if any(i in lineage and t == ts for i, t in children.values()) and ike in info:
                info[ike]["child_rekeys"] += 1
            children[child] = (ike, ts)
    return order, info, len({ts for _, ts in children.values()}) > 1, local


def main():
    build = build_dir_from_argv()
    S = Suite("rekeys")
    ts = TShark(build)
    seen = {"p1": set(), "p2": set(), "no_rekey_multi_ts": 0}
    for cap in sorted(glob.glob(os.path.join(SAMPLES, "*.pcapng"))):
        name = os.path.basename(cap)[:-len(".pcapng")]
        log = os.path.join(SAMPLES, name + ".initiator.log")
        keys_file = name + ".keys"
        if not os.path.exists(log) or not os.path.exists(os.path.join(SAMPLES, keys_file)):
            continue
        if not any(IKE_EST.search(l) for l in open(log, errors="replace")):
            continue  # not strongSwan, or nothing established
        version = 2 if name.startswith("v2-") else 1
        table = "ikev2_decryption_table" if version == 2 else "ikev1_decryption_table"
        order, info, multi_ts, local = daemon_view(log)
        got = sa_report(ts, cap, key_options(keys_file, table) or [])
        # This daemon's IKE SAs: the ones it initiated (a capture may hold
        # other peers' too).
        est = sorted((g for g in got.values() if g.get("phase1_complete") and
                      g["initiator"].rsplit(":", 1)[0].strip("[]") == local), key=lambda g: g["sa"])
        if len(est) != len(order):
            print(f"  ({name}: {len(order)} IKE SAs established in the log, {len(est)} in the report: not compared)")
            continue
        ike_to_sa = {ike: g["sa"] for ike, g in zip(order, est)}
        # The text table's per-SA lines say the same.
        _, text, _ = ts.run(["-q", "-z", "isakmpstate,sa"] + (key_options(keys_file, table) or []), capture=cap)
        details = dict(re.findall(r"^SA (\d+): ((?!\[).*)$", text, re.M))
        for ike, g in zip(order, est):
            w = info[ike]
            tag = f"{name} IKE_SA [{ike}] = SA {g['sa']}"
            want_of = ike_to_sa.get(w["rekey_of"]) if w["rekey_of"] else None
            got_of = g["rekey_of"]["sa"] if g.get("rekey_of") else None
            S.eq(got_of, want_of, f"{tag}: rekey_of")
            replaced_by = [ike_to_sa[i] for i in order if info[i]["rekey_of"] == ike]
            S.eq(g.get("rekeyed_by"), replaced_by[0] if replaced_by else None, f"{tag}: rekeyed_by")
            S.eq(g.get("child_rekeys"), w["child_rekeys"], f"{tag}: child_rekeys")
            line = details.get(str(g["sa"]), "")
            S.eq("rekey of SA %s" % want_of in line, bool(want_of), f"{tag}: -z isakmpstate,sa says rekey of")
            n = w["child_rekeys"]
            S.eq(f"{n} phase-2 rekey" in line, n > 0, f"{tag}: -z isakmpstate,sa says {n} phase-2 rekeys")
            if want_of:
                seen["p1"].add(version)
            if w["child_rekeys"]:
                seen["p2"].add(version)
        if multi_ts and not any(w["child_rekeys"] for w in info.values()):
            seen["no_rekey_multi_ts"] += 1
    S.eq(sorted(seen["p1"]), [1, 2], "captures with an IKE SA rekey (IKEv1, IKEv2)")
    S.eq(sorted(seen["p2"]), [1, 2], "captures with a phase-2 rekey (IKEv1, IKEv2)")
    S.check(seen["no_rekey_multi_ts"] >= 1, "a capture with CHILD_SAs of different TS and no rekey")
    S.done()


if __name__ == "__main__":
    main()
