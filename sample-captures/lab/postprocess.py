#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turn one lab scenario's raw results into the bundled sample files.

usage: postprocess.py --work SCENARIO_WORK_DIR --out SAMPLE_CAPTURES_DIR --spec spec.json

Reads the capture(s), the daemons' logs and spec.json (written by the
scenario in scenarios.sh: what it is meant to show), and writes for each
capture NAME:
  NAME.pcapng          the capture (time-ordered with reordercap)
  NAME.keys            icookie,Ka lines, each verified with tshark (if any)
  NAME.initiator.log   the initiator daemon's log, trimmed, no key material
  NAME.responder.log   the responder daemon's log, trimmed
  NAME.expected.json   the ground truth (schema in sample-captures/README.md)

The per-SA facts come from the wire (tshark, with and without the keys) by the
labelling convention of shared/reference/ike-states.md section 2; the cause
comes from the spec and is checked against what the wire shows, and the
evidence lines must be found verbatim in the daemons' logs.  When the wire or
the logs do not show what the spec says, nothing is written to --out and the
exit status is 1: a scenario that misbehaved never becomes ground truth.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

MM_I = {1: ("MM_WAIT_MSG2", "MM_NO_STATE", "STATE_MAIN_I1"),
        3: ("MM_WAIT_MSG4", "MM_SA_SETUP", "STATE_MAIN_I2"),
        5: ("MM_WAIT_MSG6", "MM_KEY_EXCH", "STATE_MAIN_I3"),
        6: ("MM_ACTIVE", "QM_IDLE", "STATE_MAIN_I4")}
MM_R = {0: ("none", "none", "STATE_MAIN_R0"),
        2: ("MM_WAIT_MSG3", "MM_SA_SETUP", "STATE_MAIN_R1"),
        4: ("MM_WAIT_MSG5", "MM_KEY_EXCH", "STATE_MAIN_R2"),
        6: ("MM_ACTIVE", "QM_IDLE", "STATE_MAIN_R3"),
        "rejected": ("none", "none", "none")}
AM_I = {1: ("AM_WAIT_MSG2", "AG_NO_STATE", "STATE_AGGR_I1"),
        3: ("AM_ACTIVE", "QM_IDLE", "STATE_AGGR_I2")}
AM_R = {0: ("none", "none", "STATE_AGGR_R0"),
        2: ("AM_WAIT_MSG3", "AG_INIT_EXCH", "STATE_AGGR_R1"),
        3: ("AM_ACTIVE", "QM_IDLE", "STATE_AGGR_R2"),
        "rejected": ("none", "none", "none")}

FIELDS = ["frame.number", "frame.time_relative", "ip.src", "ipv6.src", "udp.srcport", "udp.dstport",
          "isakmp.ispi", "isakmp.rspi", "isakmp.exchangetype", "isakmp.flags", "isakmp.messageid",
          "isakmp.nextpayload", "isakmp.notify.msgtype", "isakmp.delete.protoid",
          "isakmp.cfg.type", "isakmp.cfg.attr.xauth.status", "udp.payload", "_ws.malformed",
          "isakmp.enc.decrypted", "isakmp.typepayload", "ip.dst", "ipv6.dst"]

VALID_PAYLOADS = set(range(1, 21)) | {130, 131, 132}
HEXDUMP = re.compile(r"^\S+ \d+\[\w+\] (<[^>]*> )?\s*\d+: ([0-9A-F]{2} )")
SECRET = re.compile(r"=> \d+ bytes @ 0x|Diffie Hellman secret|SKEYID|encryption key|initial IV|"
                    r"private key|natd_(chunk|hash)|IV =>|Ka =>")


def tshark(cap, extra=(), fields=None):
    """The ISAKMP packets of cap (not those quoted in ICMP errors) as dicts
    of fields (default FIELDS; postprocess_v2.py passes its own); a field
    given several times is joined with "|"."""
    fields = fields or FIELDS
    cmd = ["tshark", "-n", "-r", cap, "-Y", "isakmp && !icmp && !icmpv6", "-T", "fields",
           "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=|"] + list(extra)
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        v = line.split("\t")
        v += [""] * (len(fields) - len(v))
        rows.append(dict(zip(fields, v)))
    return rows


def first(v):
    return v.split("|")[0] if v else ""


def ints(v):
    out = []
    for x in v.split("|") if v else []:
        try:
            out.append(int(x, 0))
        except ValueError:
            pass
    return out


def key_opts(table):
    opts = []
    for ck, key in table.items():
        opts += ["-o", f"uat:ikev1_decryption_table:{ck},{key}"]
    return opts


def packets(rows):
    """Normalise tshark rows into packet dicts, with retransmission marks."""
    seen = {}
    pk = []
    for r in rows:
        src = first(r["ip.src"]) or first(r["ipv6.src"])
        dst = first(r["ip.dst"]) or first(r["ipv6.dst"])
        p = {
            "frame": int(r["frame.number"]), "time": float(r["frame.time_relative"] or 0),
            "src": src, "dst": dst, "sport": int(first(r["udp.srcport"]) or 0),
            "dport": int(first(r["udp.dstport"]) or 0),
            "icookie": first(r["isakmp.ispi"]).replace(":", ""), "rcookie": first(r["isakmp.rspi"]).replace(":", ""),
            "exch": int(first(r["isakmp.exchangetype"]) or 0), "flags": int(first(r["isakmp.flags"]) or "0", 0),
            "msgid": int(first(r["isakmp.messageid"]) or "0", 0), "np": int(first(r["isakmp.nextpayload"]) or 0),
            "notify": ints(r["isakmp.notify.msgtype"]), "delete": ints(r["isakmp.delete.protoid"]),
            "cfgtype": ints(r["isakmp.cfg.type"]), "xauth_status": ints(r["isakmp.cfg.attr.xauth.status"]),
            "malformed": bool(r["_ws.malformed"]), "decrypted": bool(r["isakmp.enc.decrypted"]),
            "payloads": ints(r["isakmp.typepayload"]),
        }
        p["enc"] = bool(p["flags"] & 1)
        body = r["udp.payload"]
        if body.startswith("00000000") and (p["sport"] == 4500 or p["dport"] == 4500):
            body = body[8:]  # non-ESP marker
        k = (p["src"], body)
        p["retrans_of"] = seen.get(k)
        seen.setdefault(k, p["frame"])
        pk.append(p)
    return pk


def fmt_ep(addr, port):
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"


def analyse(pk):
    """Group by initiator cookie and derive messages, states, quick modes."""
    sas = {}
    order = []
    for p in pk:
        ck = p["icookie"]
        if ck not in sas:
            sas[ck] = {"icookie": ck, "packets": []}
            order.append(ck)
        sas[ck]["packets"].append(p)
    res = []
    for ck in order:
        sa = sas[ck]
        ps = sa["packets"]
        p0 = ps[0]
        init_addr = p0["src"] if p0["rcookie"] == "0" * 16 else None
        if init_addr is None:
            sys.exit(f"SA {ck}: capture does not start with the initiator's first message")
        resp_addr = p0["dst"]
        rcookie = next((p["rcookie"] for p in ps if p["rcookie"] != "0" * 16), "0" * 16)
        mode = "aggressive" if p0["exch"] == 4 else "main"
        sent = {"I": set(), "R": set()}   # phase-1 message numbers seen per sender
        msgs = []
        rejected_first = False
        infos = []
        qms = {}
        qm_order = []
        xauth = []
        floated = False
        after_float_from_r = 0
        mm5_port = None
        for p in ps:
            side = "I" if p["src"] == init_addr else "R"
            p["side"] = side
            if p["sport"] == 4500 or p["dport"] == 4500:
                floated = True
                if side == "R":
                    after_float_from_r += 1
            ex = p["exch"]
            if ex in (2, 4):
                if ex == 2:
                    if side == "I":
                        k = 1 if (not p["enc"] and p["np"] == 1) else 3 if (not p["enc"] and p["np"] == 4) else 5
                    else:
                        k = 2 if (not p["enc"] and p["np"] == 1) else 4 if (not p["enc"] and p["np"] == 4) else 6
                else:
                    if side == "I":
                        k = 1 if (not p["enc"] and p["np"] == 1) else 3
                    else:
                        k = 2
                sent[side].add(k)
                p["msg"] = ("MM" if ex == 2 else "AM") + str(k)
                if k == 5 and ex == 2 and mm5_port is None:
                    mm5_port = p["dport"]
            elif ex == 5:
                p["msg"] = "INFO"
                infos.append(p)
                if side == "R" and not sent["R"] and not p["enc"]:
                    rejected_first = True
            elif ex == 32:
                m = p["msgid"]
                if m not in qms:
                    qms[m] = {"msgid": m, "by": side, "first": p, "from_i": [], "from_r": [], "info_after": False}
                    qm_order.append(m)
                q = qms[m]
                if p["retrans_of"] is None:
                    (q["from_i"] if side == q["by"] else q["from_r"]).append(p)
                p["msg"] = "QM"
            elif ex == 6:
                p["msg"] = "TRANS"
                xauth.append(p)
            else:
                p["msg"] = f"EXCH{ex}"
        # quick mode outcomes
        quick = []
        for m in qm_order:
            q = qms[m]
            n_init, n_resp = len(q["from_i"]), len(q["from_r"])
            if n_init >= 2 and n_resp >= 1:
                outcome = "completed"
            elif n_resp >= 1:
                outcome = "no-confirm"
            else:
                qresp = "R" if q["by"] == "I" else "I"
                rej = [p for p in infos if p["side"] == qresp and p["frame"] > q["first"]["frame"]]
                outcome = "rejected" if rej else "no-reply"
                q["reject_infos"] = rej
            q["outcome"] = outcome
            quick.append({"msgid": f"0x{m:08x}", "initiated_by": "initiator" if q["by"] == "I" else "responder",
                          "outcome": outcome})
        # states
        if mode == "main":
            ik = max(sent["I"]) if sent["I"] else 1
            istate = MM_I[6] if 6 in sent["R"] else MM_I[ik if ik in MM_I else 1]
            rk = max(sent["R"]) if sent["R"] else 0
            rstate = MM_R["rejected"] if (rejected_first and not sent["R"]) else MM_R[rk]
            complete = 6 in sent["R"]
        else:
            ik = max(sent["I"]) if sent["I"] else 1
            istate = AM_I[3] if 3 in sent["I"] else AM_I[1]
            if rejected_first and not sent["R"]:
                rstate = AM_R["rejected"]
            elif 3 in sent["I"]:
                rstate = AM_R[3]
            elif 2 in sent["R"]:
                rstate = AM_R[2]
            else:
                rstate = AM_R[0]
            complete = 3 in sent["I"]
        res.append({"icookie": ck, "rcookie": rcookie, "init_addr": init_addr, "resp_addr": resp_addr,
                    "initiator": fmt_ep(init_addr, p0["sport"]), "responder": fmt_ep(resp_addr, p0["dport"]),
                    "mode": mode, "complete": complete, "istate": istate, "rstate": rstate,
                    "sent": sent, "rejected_first": rejected_first, "infos": infos, "qms": qms,
                    "quick_modes": quick, "xauth": xauth, "floated": floated, "mm5_port": mm5_port,
                    "after_float_from_r": after_float_from_r, "packets": ps})
    return res


def wire_cause(sa, with_keys):
    """What the wire shows, by the cause vocabulary (a check on the spec)."""
    s = sa["sent"]
    if sa["mode"] == "main":
        if sa["complete"]:
            for q in sa["quick_modes"]:
                if q["outcome"] == "completed":
                    continue
                qq = sa["qms"][int(q["msgid"], 16)]
                if q["outcome"] == "rejected":
                    if with_keys:
                        n = [x for p in qq["reject_infos"] for x in p["notify"]]
                        if 14 in n:
                            return "phase2-proposal-mismatch"
                        if 18 in n:
                            return "phase2-id-mismatch"
                    return "phase2-rejected"
                if q["outcome"] == "no-reply":
                    return "phase2-no-response"
                return "phase2-not-confirmed"
            if with_keys:
                if any(0 in p["xauth_status"] for p in sa["xauth"]):
                    return "xauth-failed"
                if any(1 in p["delete"] for p in sa["packets"] if p["exch"] == 5):
                    return "deleted"
            # Encrypted transactions and no quick mode at all: XAUTH most
            # likely failed (the status is only readable with the keys).
            if (not sa["quick_modes"] and sa["xauth"] and
                    not any(1 in p["xauth_status"] for p in sa["xauth"]) and
                    any(not p["decrypted"] and p["flags"] & 1 for p in sa["xauth"])):
                return "xauth-unconfirmed"
            return "ok"
        if sa["rejected_first"] and not s["R"]:
            return "proposal-rejected"
        if not s["R"]:
            return "no-response"
        if 5 in s["I"]:
            if sa["floated"] and sa["mm5_port"] == 4500 and sa["after_float_from_r"] == 0:
                return "nat-t-blocked"
            return "auth-failed"
        if 4 in s["R"]:
            # MM4 was the last message: on the responder's side of a NAT whose
            # UDP 4500 is filtered, MM5 never arrives (spec says nat=yes)
            return "nat-t-blocked" if sa.get("nat") else "reply-lost"
        if 3 in s["I"]:
            return "no-key-exchange-reply"
        return "reply-lost"
    else:
        if sa["complete"]:
            return "ok"
        if sa["rejected_first"] and not s["R"]:
            return "proposal-rejected"
        if not s["R"]:
            return "no-response"
        return "aggressive-auth-failed"


def parse_keys(logtext):
    keys = []
    lines = logtext.splitlines()
    for i, l in enumerate(lines):
        if "encryption key Ka =>" in l:
            hexs = ""
            for l2 in lines[i + 1:i + 6]:
                m = HEXDUMP.match(l2)
                if not m:
                    break
                hexs += "".join(re.findall(r"\b[0-9A-F]{2}\b", l2.split(": ", 1)[1][:48]))
            if hexs and hexs.lower() not in keys:
                keys.append(hexs.lower())
    return keys


def trim_charon(text):
    out = []
    for l in text.splitlines():
        if HEXDUMP.match(l) or SECRET.search(l):
            continue
        if "[DMN] Starting IKE charon" in l:
            out.append(l)
            continue
        if re.search(r"\d+\[(IKE|NET|ENC|CFG|KNL|CHD|MGR|JOB)\] <", l):
            if re.search(r"(queueing|activating|reinitiating already active tasks|^\S+ \d+\[IKE\] <[^>]*>   \S+ task$)", l):
                continue
            out.append(l)
        elif re.search(r"\[(NET|ENC|IKE)\] ", l) and "vici" not in l:
            out.append(l)
        elif re.search(r"\[CFG\] (loaded|vici initiate|vici terminate|vici rekey|selected|received|configured|no )", l):
            out.append(l)
    return "\n".join(out) + "\n"


def trim_pluto(text):
    """pluto's start-up banner (algorithm tables, self-tests) is dropped up to
    the first connection line; version line kept; secrets never appear."""
    out = []
    started = False
    for l in text.splitlines():
        if not l.strip() or re.match(r"^\S+ \S+ \S+: \| ", l):
            continue  # plutodebug lines (only with PLUTODEBUG set)
        if "Starting Pluto" in l:
            out.append(l)
            continue
        if not started and '"' in l and ("added" in l or "#" in l):
            started = True
        if not started:
            continue
        if re.search(r"(forgetting secrets|loading secrets from|terminating SAs using this connection)", l):
            continue
        out.append(l)
    return "\n".join(out) + "\n"


def cut_after(text, end):
    """Drop log lines stamped after the capture ended (e.g. the shutdown)."""
    if not end:
        return text
    out = []
    for l in text.splitlines():
        m = re.search(r"(\d\d):(\d\d):(\d\d)(\.\d+)?", l[:40])
        if m:
            t = int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3]) + float(m[4] or 0)
            if t > end:
                break
        out.append(l)
    return "\n".join(out) + "\n"


def make_spec(path, pairs):
    """Build spec.json from key=value words (see mkspec in run-lab.sh)."""
    spec = {"captures": [], "sa": {"evidence": []}, "sas": []}
    for kv in pairs:
        k, v = kv.split("=", 1)
        tgt = spec["sa"]
        m = re.match(r"sa(\d+)\.(.*)", k)
        if m:
            i = int(m[1])
            while len(spec["sas"]) <= i:
                spec["sas"].append({})
            tgt = spec["sas"][i]
            k = m[2]
        if k == "cap":
            f, n, cp = v.split("|")
            spec["captures"].append({"file": f, "name": n, "capture_point": cp})
        elif k in ("ii", "ri"):
            impl, d, addr = v.split("|")
            spec["initiator" if k == "ii" else "responder"] = {"impl": impl, "dir": d, "address": addr}
        elif k == "desc":
            spec["description"] = v
        elif k == "mode":
            spec["mode"] = v
        elif k == "n":
            spec["n_sas"] = int(v)
        elif k == "psks":
            a, b = v.split("|")
            spec["psks"] = {"initiator": a or None, "responder": b or None}
        elif k == "ev":
            side, rx = v.split("|", 1)
            tgt.setdefault("evidence", []).append({"side": side, "re": rx})
        elif k == "cause":
            tgt["cause"] = v
        elif k == "cnk":
            tgt["cause_without_keys"] = v
        elif k == "sentence":
            tgt["cause_sentence"] = v
        elif k == "wl":
            tgt["wire_limit"] = v
        elif k == "deleted_by_log":
            tgt["deleted_by_log"] = v
        elif k == "p1":
            tgt.setdefault("check", {})["phase1_complete"] = v == "true"
        elif k == "qm":
            tgt.setdefault("check", {})["qm_outcomes"] = v.split(",") if v else []
        elif k == "nat":
            spec["nat"] = v == "yes"
        elif k == "notes":
            spec["notes"] = v
        elif k == "xlog":
            suffix, rel, impl = v.split("|")
            spec.setdefault("extra_logs", []).append({"suffix": suffix, "path": rel, "impl": impl})
        elif k == "keylog":
            spec.setdefault("extra_key_logs", []).append(v)
        else:
            sys.exit(f"make-spec: unknown key {k}")
    spec.setdefault("psks", None)
    json.dump(spec, open(path, "w"), indent=1)
    return 0


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--make-spec":
        return make_spec(sys.argv[2], sys.argv[3:])
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--spec", required=True)
    a = ap.parse_args()
    spec = json.load(open(a.spec))
    impl = {"sw": os.environ.get("SW_VERSION", "strongSwan 5.9.8"),
            "lsw": os.environ.get("LSW_VERSION", "libreswan 4.10")}
    logs = {}
    keys = []
    end = None
    try:
        h, m, sec = open(os.path.join(a.work, "cap_end")).read().strip().split(":")
        end = int(h) * 3600 + int(m) * 60 + float(sec)
    except (OSError, ValueError):
        pass
    for side in ("initiator", "responder"):
        d = os.path.join(a.work, spec[side]["dir"])
        if spec[side]["impl"] == "sw":
            raw = open(os.path.join(d, "charon.log"), errors="replace").read()
            keys += [k for k in parse_keys(raw) if k not in keys]
            logs[side] = cut_after(trim_charon(raw), end)
        else:
            raw = open(os.path.join(d, "pluto.log"), errors="replace").read()
            logs[side] = cut_after(trim_pluto(raw), end)
    for x in spec.get("extra_logs", []):
        raw = open(os.path.join(a.work, x["path"]), errors="replace").read()
        if x["impl"] == "sw":
            keys += [k for k in parse_keys(raw) if k not in keys]
            logs[x["suffix"]] = cut_after(trim_charon(raw), end)
        else:
            logs[x["suffix"]] = cut_after(trim_pluto(raw), end)
    for extra in spec.get("extra_key_logs", []):
        raw = open(os.path.join(a.work, extra), errors="replace").read()
        keys += [k for k in parse_keys(raw) if k not in keys]

    problems = []
    results = []
    for capspec in spec["captures"]:
        name = capspec["name"]
        cap_in = os.path.join(a.work, capspec["file"])
        cap = os.path.join(a.work, name + ".pcapng")
        subprocess.run(["reordercap", cap_in, cap], check=True, capture_output=True)
        sas = analyse(packets(tshark(cap)))
        # keys: for each SA with encrypted frames, the candidate under which its
        # first-sent encrypted messages parse without "Malformed Packet"
        table = {}
        for sa in sas:
            encf = [p["frame"] for p in sa["packets"] if p["enc"] and p["retrans_of"] is None]
            if not encf:
                continue
            best = None
            for k in keys:
                pk = packets(tshark(cap, key_opts({sa["icookie"]: k})))
                byf = {p["frame"]: p for p in pk}
                ok = [f for f in encf if byf[f]["payloads"] and not byf[f]["malformed"]
                      and all(t in VALID_PAYLOADS for t in byf[f]["payloads"])]
                if encf[0] in ok and (best is None or len(ok) > best[1]):
                    best = (k, len(ok), len(encf))
            if best:
                table[sa["icookie"]] = best[0]
                print(f"  {name}: key for {sa['icookie']} verified: {best[1]}/{best[2]} encrypted messages parse")
            else:
                print(f"  {name}: no verified key for {sa['icookie']} ({len(keys)} candidates)")
        sas_k = analyse(packets(tshark(cap, key_opts(table)))) if table else sas
        results.append((capspec, cap, sas, sas_k, table))

    # per SA facts from the spec: "sa" (defaults) and "sas" (list by index, overrides)
    outputs = []
    for capspec, cap, sas, sas_k, table in results:
        name = capspec["name"]
        exp_sas = []
        ov = capspec.get("sas", spec.get("sas", []))
        if "n_sas" in spec and len(sas) != spec["n_sas"] and "n_sas" not in capspec:
            problems.append(f"{name}: {len(sas)} IKE SAs on the wire, spec expects {spec['n_sas']}")
        if "n_sas" in capspec and len(sas) != capspec["n_sas"]:
            problems.append(f"{name}: {len(sas)} IKE SAs on the wire, spec expects {capspec['n_sas']}")
        for i, (sa, sak) in enumerate(zip(sas, sas_k)):
            sa["nat"] = sak["nat"] = bool(spec.get("nat"))
            facts = dict(spec.get("sa", {}))
            facts.update(capspec.get("sa", {}))
            if i < len(ov):
                facts.update(ov[i])
            has_keys = sa["icookie"] in table
            wc_nokeys = wire_cause(sa, False)
            wc_keys = wire_cause(sak, True) if has_keys else wc_nokeys
            cause = facts.get("cause")
            cnk = facts.get("cause_without_keys", cause)
            if cause != wc_keys:
                problems.append(f"{name} SA {i} {sa['icookie']}: spec cause {cause}, wire (keys={has_keys}) shows {wc_keys}")
            if cnk != wc_nokeys:
                problems.append(f"{name} SA {i} {sa['icookie']}: spec cause_without_keys {cnk}, wire shows {wc_nokeys}")
            for k, want in facts.get("check", {}).items():
                got = {"phase1_complete": sa["complete"], "initiator_libreswan": sa["istate"][2],
                       "responder_libreswan": sa["rstate"][2],
                       "qm_outcomes": [q["outcome"] for q in sa["quick_modes"]]}.get(k)
                if got != want:
                    problems.append(f"{name} SA {i}: {k} is {got}, spec expects {want}")
            deleted_by = None
            for p in sak["packets"]:
                if p["exch"] == 5 and 1 in p["delete"] and (has_keys or not p["enc"]):
                    deleted_by = "initiator" if p["side"] == "I" else "responder"
                    break
            if deleted_by is None and facts.get("deleted_by_log"):
                deleted_by = facts["deleted_by_log"]
            ev = []
            for e in facts.get("evidence", []):
                pat = re.compile(e["re"])
                hits = [l for l in logs[e["side"]].splitlines() if pat.search(l)]
                if not hits:
                    problems.append(f"{name} SA {i}: no {e['side']} log line matches {e['re']!r}")
                    continue
                idx = e.get("nth", 0)
                ev.append(hits[idx if idx < len(hits) else -1])
            d = {
                "icookie": sa["icookie"], "rcookie": sa["rcookie"],
                "initiator": sa["initiator"], "responder": sa["responder"], "mode": sa["mode"],
                "phase1_complete": sa["complete"],
                "initiator_state": dict(zip(("asa", "ios", "libreswan"), sa["istate"])),
                "responder_state": dict(zip(("asa", "ios", "libreswan"), sa["rstate"])),
                "quick_modes": sa["quick_modes"],
                "deleted_by": deleted_by,
                "cause": cause, "cause_without_keys": cnk,
                "cause_sentence": facts.get("cause_sentence", ""),
                "daemon_evidence": ev,
            }
            if facts.get("wire_limit"):
                d["wire_limit"] = facts["wire_limit"]
            exp_sas.append(d)
        doc = {
            "name": name,
            "description": capspec.get("description", spec["description"]),
            "capture_point": capspec.get("capture_point", spec.get("capture_point", "initiator")),
            "initiator": {"implementation": impl[spec["initiator"]["impl"]], "address": spec["initiator"]["address"]},
            "responder": {"implementation": impl[spec["responder"]["impl"]], "address": spec["responder"]["address"]},
            "mode": spec.get("mode", "main"),
            "keys_file": (name + ".keys") if table else None,
            "psks": spec.get("psks"),
            "sas": exp_sas,
        }
        if spec.get("notes"):
            doc["description"] += " " + spec["notes"]
        outputs.append((name, cap, table, doc))

    for p in problems:
        print("  PROBLEM:", p)
    for name, cap, table, doc in outputs:
        print(f"  {name}: {len(doc['sas'])} IKE SA(s): " +
              "; ".join(f"{s['icookie']} {s['initiator_state']['asa']}/{s['responder_state']['asa']} "
                        f"qm={[q['outcome'] for q in s['quick_modes']]} cause={s['cause']}/{s['cause_without_keys']}"
                        for s in doc["sas"]))
    if problems:
        print(f"  NOT written to {a.out}; raw results stay in {a.work}")
        return 1
    for name, cap, table, doc in outputs:
        shutil.copyfile(cap, os.path.join(a.out, name + ".pcapng"))
        os.chmod(os.path.join(a.out, name + ".pcapng"), 0o644)
        kf = os.path.join(a.out, name + ".keys")
        if table:
            with open(kf, "w") as f:
                for ck, k in table.items():
                    f.write(f"{ck},{k}\n")
        elif os.path.exists(kf):
            os.remove(kf)
        for side in logs:
            with open(os.path.join(a.out, f"{name}.{side}.log"), "w") as f:
                f.write(logs[side])
        with open(os.path.join(a.out, name + ".expected.json"), "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
