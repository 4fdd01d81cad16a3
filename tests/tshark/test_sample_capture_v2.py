#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""End-to-end, IKEv2: one lab capture against what the daemons logged.

usage: test_sample_capture_v2.py BUILD_DIR NAME

sample-captures/NAME.expected.json ("version": 2) is written from the
strongSwan and libreswan logs of the lab run that made NAME.pcapng (see
sample-captures/README.md, IKEv2 section). For every IKE SA (matched by
initiator SPI), the plugin's per-SA report (`tshark -z isakmpstate,json`)
must give: the same establishment, the same cause (without keys
`cause_without_keys`; with NAME.keys in ikev2_decryption_table `cause`), the
daemons' states just after the SA's last packet (`state_at_last_packet`,
strongSwan and libreswan names), the CHILD_SA outcomes, the number of
retransmissions, and, with keys, who deleted it and which SA it rekeyed.
"""
import os
import sys

from isk import SAMPLES, Suite, TShark, frames_per_icookie, key_options, load_json, sa_report

build, name = sys.argv[1], sys.argv[2]
S = Suite("sample " + name)
exp = load_json(os.path.join(SAMPLES, name + ".expected.json"))
S.eq(exp.get("version"), 2, "expected file is for IKEv2")
cap = os.path.join(SAMPLES, name + ".pcapng")
if not S.check(os.path.exists(cap), f"capture for {name}"):
    S.done()
ts = TShark(build)


runs = [("without keys", [], "cause_without_keys")]
keys = key_options(exp.get("keys_file"), "ikev2_decryption_table")
if keys:
    runs.append(("with keys", keys, "cause"))
frames = frames_per_icookie(ts, cap)
by_ispi = {s["ispi"]: s for s in exp["sas"]}

for label, extra, cause_key in runs:
    got = sa_report(ts, cap, extra)
    S.eq(sorted(got), sorted(by_ispi), f"{label}: IKE SAs (initiator SPIs)")
    for ispi, w in by_ispi.items():
        g = got.get(ispi)
        if g is None:
            continue
        tag = f"{label}: SA {ispi}"
        S.eq(g.get("version"), 2, f"{tag} version")
        S.eq(g["cause"], w[cause_key], f"{tag} cause")
        S.eq(g["retransmissions"], w["retransmissions"], f"{tag} retransmissions")
        S.eq(g["packets"], frames.get(ispi), f"{tag} packets = ISAKMP frames")
        # Established: what the daemons logged, or (an SA first seen after
        # its IKE_AUTH, made by a rekey) what its exchanges prove.
        S.eq(g["established"] or bool(w.get("rekey_of")), w["established"], f"{tag} established")
        st = w.get("state_at_last_packet")
        # Without keys a Delete cannot be read (nor told from a CHILD_SA's):
        # the states after one are known with keys only.
        if st and (label == "with keys" or w.get("deleted_by") is None):
            for side, key in (("initiator", "initiator_state"), ("responder", "responder_state")):
                for voc in ("strongswan", "libreswan"):
                    want = st[side].get(voc)
                    if want is not None:
                        S.eq(g[key][voc], want, f"{tag} {side} {voc} state after the last packet")
        want_children = [(c["msgid"], c["exchange"], "established" if c["outcome"] == "rekeyed" else c["outcome"])
                         for c in w.get("child_sas", [])]
        got_children = [(c["msgid"], c["exchange"], c["outcome"]) for c in g.get("child_sas", [])]
        if label == "with keys" or not w.get("rekey_of"):
            S.eq(sorted(got_children), sorted(want_children), f"{tag} CHILD_SA outcomes")
        if label == "with keys":
            S.eq(g["deleted_by"], w.get("deleted_by"), f"{tag} deleted_by")
            want_rk = w.get("rekey_of")
            got_rk = (g.get("rekey_of") or {}).get("ispi")
            S.eq(got_rk, want_rk, f"{tag} rekey_of")
            for c in w.get("child_sas", []):
                gc = [x for x in g.get("child_sas", []) if x["msgid"] == c["msgid"] and x["exchange"] == c["exchange"]]
                if gc and c.get("esp_spis") and c["outcome"] != "failed":
                    S.eq(sorted(gc[0]["esp_spis"]), sorted(s.lower() for s in c["esp_spis"]),
                         f"{tag} CHILD_SA {c['msgid']} ESP SPIs")
ts.close()
S.done()
