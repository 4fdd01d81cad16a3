#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""IKEv2 counterpart of postprocess.py, for the lab's v2-* scenarios.

usage: postprocess_v2.py --make-spec spec.json key=value...     (mkspec2)
       postprocess_v2.py --work DIR --out SAMPLE_CAPTURES_DIR --spec spec.json

Writes, for each capture NAME of the scenario:
  NAME.pcapng, NAME.initiator.log, NAME.responder.log (as postprocess.py),
  NAME.keys           one line per IKE SA: the value of a tshark option
                      -o "uat:ikev2_decryption_table:<line>", verified
  NAME.expected.json  "version": 2 shape (sample-captures/README.md)

Per IKE SA (grouped by initiator SPI), the wire facts (SPIs, endpoints,
exchanges, retransmissions, Delete sender) come from tshark, with and
without the keys; the verdicts (cause, established, states, child SAs)
come from the scenario's spec, i.e. from what the daemons logged, and are
cross-checked with the wire and the logs: evidence lines must be found
verbatim, strongSwan's final IKE_SA state is read from its own
"state change" lines (and, for state_at_last_packet, at the time of the SA's
last frame: the logs and the capture share a clock, checked by matching
sent/received log lines to frames), its "sending retransmit" lines must match the
retransmissions on the wire, keys must decrypt every encrypted frame of
their SA with a correct integrity checksum.  On any disagreement nothing is
written to --out and the exit status is 1.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import postprocess as pp  # noqa: E402  (tshark reader and trimming helpers shared with IKEv1)

EXCH = {34: "IKE_SA_INIT", 35: "IKE_AUTH", 36: "CREATE_CHILD_SA", 37: "INFORMATIONAL", 43: "IKE_INTERMEDIATE"}
NOTIFY = {14: "NO_PROPOSAL_CHOSEN", 17: "INVALID_KE_PAYLOAD", 24: "AUTHENTICATION_FAILED",
          35: "NO_ADDITIONAL_SAS", 36: "INTERNAL_ADDRESS_FAILURE", 38: "TS_UNACCEPTABLE",
          16390: "COOKIE", 16388: "NAT_DETECTION_SOURCE_IP", 16389: "NAT_DETECTION_DESTINATION_IP",
          16393: "REKEY_SA", 16430: "IKEV2_FRAGMENTATION_SUPPORTED", 16384: "INITIAL_CONTACT",
          16396: "MOBIKE_SUPPORTED", 16399: "NO_ADDITIONAL_ADDRESSES", 16404: "MULTIPLE_AUTH_SUPPORTED",
          16431: "SIGNATURE_HASH_ALGORITHMS", 16418: "CHILDLESS_IKEV2_SUPPORTED", 16406: "REDIRECT_SUPPORTED",
          16417: "EAP_ONLY_AUTHENTICATION", 16420: "IKEV2_MESSAGE_ID_SYNC_SUPPORTED",
          16394: "ESP_TFC_PADDING_NOT_SUPPORTED", 16395: "NON_FIRST_FRAGMENTS_ALSO", 16386: "ADDITIONAL_TS_POSSIBLE",
          16387: "IPCOMP_SUPPORTED", 16392: "USE_TRANSPORT_MODE", 16385: "SET_WINDOW_SIZE"}
PAYLOAD = {33: "SA", 34: "KE", 35: "IDi", 36: "IDr", 37: "CERT", 38: "CERTREQ", 39: "AUTH", 40: "Ni/Nr",
           41: "N", 42: "D", 43: "V", 44: "TSi", 45: "TSr", 46: "SK", 47: "CP", 48: "EAP", 53: "SKF"}
ENC = {16: "AES-CBC-128 [RFC3602]", 24: "AES-CBC-192 [RFC3602]", 32: "AES-CBC-256 [RFC3602]"}
INTEG = {20: "HMAC_SHA1_96 [RFC2404]", 32: "HMAC_SHA2_256_128 [RFC4868]",
         48: "HMAC_SHA2_384_192 [RFC4868]", 64: "HMAC_SHA2_512_256 [RFC4868]"}
CAUSES = {"ok", "no-response", "proposal-rejected", "ke-rejected", "auth-failed", "auth-rejected",
          "auth-no-response", "nat-t-blocked", "child-proposal-mismatch", "child-ts-unacceptable",
          "child-rejected", "deleted", "peer-dead", "capture-ended"}
FIELDS = ["frame.number", "frame.time_relative", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst",
          "udp.srcport", "udp.dstport", "isakmp.ispi", "isakmp.rspi", "isakmp.exchangetype",
          "isakmp.flags", "isakmp.messageid", "isakmp.nextpayload", "isakmp.typepayload",
          "isakmp.notify.msgtype", "isakmp.delete.protoid", "udp.payload", "frame.len",
          "isakmp.version", "isakmp.frag.number", "isakmp.frag.total", "isakmp.spi",
          "frame.time_epoch", "udp.length"]


def tshark_rows(cap, opts=()):
    return pp.tshark(cap, opts, FIELDS)


first, ints, fmt_ep = pp.first, pp.ints, pp.fmt_ep


def packets(rows):
    seen = {}
    pk = []
    for r in rows:
        src = first(r["ip.src"]) or first(r["ipv6.src"])
        dst = first(r["ip.dst"]) or first(r["ipv6.dst"])
        flags = int(first(r["isakmp.flags"]) or "0", 0)
        p = {"frame": int(r["frame.number"]), "time": float(r["frame.time_relative"] or 0),
             "epoch": float(r["frame.time_epoch"] or 0), "udplen": int(first(r["udp.length"]) or 0),
             "src": src, "dst": dst, "sport": int(first(r["udp.srcport"]) or 0),
             "dport": int(first(r["udp.dstport"]) or 0),
             "ispi": first(r["isakmp.ispi"]).replace(":", ""), "rspi": first(r["isakmp.rspi"]).replace(":", ""),
             "exch": int(first(r["isakmp.exchangetype"]) or 0), "flags": flags,
             "iflag": bool(flags & 0x08), "response": bool(flags & 0x20),
             "msgid": int(first(r["isakmp.messageid"]) or "0", 0), "np": int(first(r["isakmp.nextpayload"]) or 0),
             "payloads": ints(r["isakmp.typepayload"]), "notify": ints(r["isakmp.notify.msgtype"]),
             "delete": ints(r["isakmp.delete.protoid"]), "size": int(r["frame.len"] or 0),
             "frag": first(r["isakmp.frag.number"]), "fragtotal": first(r["isakmp.frag.total"]),
             "spis": [x.replace(":", "") for x in r["isakmp.spi"].split("|") if x]}
        p["enc"] = p["np"] in (46, 53)
        body = r["udp.payload"]
        if body.startswith("00000000") and 4500 in (p["sport"], p["dport"]):
            body = body[8:]
        k = (p["src"], body)
        p["retrans_of"] = seen.get(k)
        seen.setdefault(k, p["frame"])
        pk.append(p)
    return pk


def describe(p):
    """Short human text for the frame table."""
    ex = EXCH.get(p["exch"], f"EXCH{p['exch']}")
    rr = "response" if p["response"] else "request"
    pls = [PAYLOAD.get(x, str(x)) for x in p["payloads"] if x not in (2, 3)]
    nt = [NOTIFY.get(n, str(n)) for n in p["notify"]]
    s = f"{ex} {rr}"
    if p["retrans_of"] is not None:
        s += f" (retransmission of frame {p['retrans_of']})"
    if p["frag"]:
        s += f" fragment {p['frag']}/{p['fragtotal']}"
    s += " [" + " ".join(pls) + "]"
    if nt:
        s += " N(" + ",".join(nt) + ")"
    if p["delete"]:
        s += " Delete(" + ",".join({1: "IKE", 2: "AH", 3: "ESP"}.get(d, str(d)) for d in p["delete"]) + ")"
    return s


def group(pk):
    sas, order = {}, []
    for p in pk:
        if p["ispi"] not in sas:
            sas[p["ispi"]] = []
            order.append(p["ispi"])
        sas[p["ispi"]].append(p)
    return [(k, sas[k]) for k in order]


# ---------------------------------------------------------------- keys
def key_candidates(logtext):
    """Sk_ai, Sk_ar, Sk_ei, Sk_er as charon logs them at ike = 4, per derivation."""
    lines = logtext.splitlines()
    sets, cur = [], {}
    for i, l in enumerate(lines):
        m = re.search(r"Sk_(ai|ar|ei|er) secret => (\d+) bytes", l)
        if not m:
            continue
        h = ""
        for l2 in lines[i + 1:i + 8]:
            if not pp.HEXDUMP.match(l2):
                break
            h += "".join(re.findall(r"\b[0-9A-F]{2}\b", l2.split(": ", 1)[1][:48]))
        cur[m[1]] = h.lower()
        if len(cur) == 4:
            if cur not in sets:
                sets.append(cur)
            cur = {}
    return sets


def uat_line(ispi, rspi, k):
    enc = ENC.get(len(k["ei"]) // 2)
    integ = INTEG.get(len(k["ai"]) // 2)
    if not enc or not integ:
        return None
    return f'{ispi},{rspi},{k["ei"]},{k["er"]},"{enc}",{k["ai"]},{k["ar"]},"{integ}"'


def key_opts(lines):
    o = []
    for l in lines:
        o += ["-o", "uat:ikev2_decryption_table:" + l]
    return o


def verbose_frames(cap, opts):
    out = subprocess.run(["tshark", "-n", "-r", cap, "-V"] + list(opts), capture_output=True, text=True).stdout
    frames = {}
    cur = None
    for l in out.splitlines():
        m = re.match(r"^Frame (\d+):", l)
        if m:
            cur = int(m[1])
            frames[cur] = []
        elif cur is not None:
            frames[cur].append(l)
    return {k: "\n".join(v) for k, v in frames.items()}


def frame_decrypts(text):
    """A frame decrypted under a key: checksum correct, payloads parsed, nothing malformed."""
    if "Malformed" in text or "Decrypted Data" not in text:
        return False
    icd = re.findall(r"Integrity Checksum Data: .*", text)
    return bool(icd) and all("[correct]" in x for x in icd)


# ---------------------------------------------------------------- specs
def make_spec(path, pairs):
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
        elif k == "notes":
            tgt["notes"] = v
        elif k == "established":
            tgt["established"] = v == "true"
        elif k == "rekey_of":        # index of the SA this one replaces
            tgt["rekey_of"] = int(v)
        elif k == "deleted_by":
            tgt["deleted_by"] = v or None
        elif k == "ids":             # strongSwan IKE_SA unique ids: INI|RES ('-' for none)
            a, b = v.split("|")
            tgt["ids"] = {"initiator": a, "responder": b}
        elif k == "lsw":             # libreswan IKE SA serial per side: INI|RES, e.g. 1|- or -|1
            a, b = v.split("|")
            tgt["lsw"] = {"initiator": a, "responder": b}
        elif k == "final":           # explicit final state: side|STATE
            side, st = v.split("|")
            tgt.setdefault("final", {})[side] = st
        elif k == "last":            # explicit state at the SA's last frame: side|STATE
            side, st = v.split("|")
            tgt.setdefault("at_last", {})[side] = st
        elif k == "lnotes":          # extra text for state_notes
            tgt["at_last_notes"] = v
        elif k == "child":           # msgid|exchange|outcome|side:ref  (ref: net{1} or #2 or '')
            msgid, ex, outcome, ref = v.split("|")
            tgt.setdefault("children", []).append({"msgid": int(msgid), "exchange": ex, "outcome": outcome, "ref": ref})
        elif k == "rtx_log":         # expected count of retransmit log lines if not the wire count
            tgt["rtx_log"] = int(v)
        elif k == "nat":
            spec["nat"] = v == "yes"
        elif k == "xlog":
            suffix, rel, impl = v.split("|")
            spec.setdefault("extra_logs", []).append({"suffix": suffix, "path": rel, "impl": impl})
        elif k == "snotes":
            spec["notes"] = v
        else:
            sys.exit(f"make-spec2: unknown key {k}")
    spec.setdefault("psks", None)
    json.dump(spec, open(path, "w"), indent=1)
    return 0


# ---------------------------------------------------------------- wire checks
def wire_view(ps, init_addr):
    """Exchanges of one IKE SA: requests and responses by message ID."""
    ex = []
    byid = {}
    for p in ps:
        key = (p["msgid"], p["exch"], p["iflag"] == (not p["response"]))
        if not p["response"]:
            # a new request with the same message ID but new bytes (COOKIE or
            # INVALID_KE retry of IKE_SA_INIT) starts a new attempt
            if p["retrans_of"] is None and key in byid and byid[key]["responses"]:
                key = key + (p["frame"],)
            e = byid.get(key)
            if e is None:
                e = {"msgid": p["msgid"], "exch": p["exch"], "requests": [], "responses": [],
                     "by": "initiator" if p["iflag"] else "responder"}
                byid[key] = e
                ex.append(e)
            e["requests"].append(p)
        else:
            cands = [e for e in ex if e["msgid"] == p["msgid"] and e["exch"] == p["exch"]]
            if cands:
                cands[-1]["responses"].append(p)
            else:
                ex.append({"msgid": p["msgid"], "exch": p["exch"], "requests": [], "responses": [p],
                           "by": "responder" if p["iflag"] else "initiator"})
    return ex


def wire_cause(exs, with_keys, nat, established_cc):
    """What the wire alone shows, in the cause vocabulary (a check on the spec)."""
    init = [e for e in exs if e["exch"] == 34]
    auth = [e for e in exs if e["exch"] == 35]
    if init and not established_cc:
        last = init[-1]
        if not last["responses"]:
            return "no-response"
        n = [x for r in last["responses"] for x in r["notify"]]
        if 14 in n:
            return "proposal-rejected"
        if 17 in n:
            return "ke-rejected"
        if 16390 in n:
            return "no-response"  # cookie demanded, never resent
        if not auth:
            return "capture-ended"
        a = auth[0]
        if not a["responses"]:
            if nat and any(4500 in (p["sport"], p["dport"]) for p in a["requests"]):
                return "nat-t-blocked"
            return "auth-no-response"
        if not with_keys:
            # the IKE_AUTH response is encrypted: the spec decides (auth-rejected,
            # child-rejected, ok) unless later exchanges show the SA in use
            if not [e for e in exs if e["exch"] in (36, 37)]:
                return None
        n = [x for r in a["responses"] for x in r["notify"]]
        pl = [x for r in a["responses"] for x in r["payloads"]]
        if not with_keys:
            pass
        elif 24 in n:
            return "auth-failed"
        elif 39 in pl:
            if 14 in n:
                return "child-proposal-mismatch"
            if 38 in n:
                return "child-ts-unacceptable"
    # established (by IKE_AUTH or by a rekey): liveness / delete
    unanswered = [e for e in exs if e["requests"] and not e["responses"]]
    if unanswered and len(unanswered[-1]["requests"]) > 1 and unanswered[-1]["exch"] == 37:
        return "peer-dead"
    if with_keys and any(1 in p["delete"] for e in exs for p in e["requests"] if p["exch"] == 37):
        return "deleted"
    return "ok"


# ---------------------------------------------------------------- log facts
def sw_final_state(log, uid):
    st = None
    for l in log.splitlines():
        m = re.search(r"IKE_SA \S+\[" + re.escape(uid) + r"\] state change: \S+ => (\S+)", l)
        if m:
            st = m[1]
    return st


def sw_retransmits(log, uid):
    return len([l for l in log.splitlines()
                if re.search(r"<(?:[^>|]*\|)?" + re.escape(uid) + r"> (sending )?retransmit \d+ of request", l)])


def lsw_final_state(states, serial):
    st = None
    for l in states.splitlines():
        m = re.search(r"#" + re.escape(serial) + r": \"[^\"]*\"\S* (STATE_\w+)", l)
        if m:
            st = m[1]
    return st


# ---------------------------------------------------------------- state at the last packet
# The state each daemon's IKE SA was in just after the SA's last frame on the
# wire (the plugin labels every packet with the states right after it).  The
# logs and the capture share one clock; log lines up to WINDOW after the last
# frame count when they are the daemon's handling of that frame (the
# receiver's processing, the sender's clean-up right after answering), a
# give-up after retransmission timeouts, a DPD or an unprompted delete later
# do not (the STOP lines end the window early).
WINDOW = 0.050
SW_STOP = re.compile(r"giving up after|retransmit \d+ of request|sending DPD|peer not responding|"
                     r"sending packet|initiating IKE_SA|reauthenticating|rekeying|deleting IKE_SA")
# libreswan 4.10 programs/pluto/ikev2_states.c, v2_states[]: the IKE SA
# states' "story" (what pluto logs at default logging when the state object
# enters the state) and the state's name.
LSW_STORIES = [
    ("sent IKE_SA_INIT request", "STATE_V2_PARENT_I1"),
    ("sent IKE_SA_INIT reply", "STATE_V2_PARENT_R1"),
    ("sent EAP request", "STATE_V2_PARENT_R_EAP"),
    ("sent IKE_AUTH request", "STATE_V2_PARENT_I2"),
    ("sent CREATE_CHILD_SA request to rekey IKE SA", "STATE_V2_REKEY_IKE_I1"),
    ("established IKE SA", "STATE_V2_ESTABLISHED_IKE_SA"),
]
LSW_STOP = re.compile(r"retransmi|timeout|liveness|deleting other state|initiating IKEv2 connection to replace")


def tod(line):
    """Time of day (seconds) a log line is stamped with, or None."""
    m = re.search(r"(\d\d):(\d\d):(\d\d)(\.\d+)?", line[:40])
    return int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3]) + float(m[4] or 0) if m else None


def sw_timeline(log, uid):
    """[(time, state, line)] of one charon IKE_SA: the implied CREATED at its
    first log line, then each "state change" line's new state."""
    tl = []
    pre = re.compile(r"<(?:[^>|]*\|)?" + re.escape(uid) + r">|IKE_SA \S+\[" + re.escape(uid) + r"\]")
    sc = re.compile(r"IKE_SA \S+\[" + re.escape(uid) + r"\] state change: (\S+) => (\S+)")
    for l in log.splitlines():
        t = tod(l)
        if t is None:
            continue
        m = sc.search(l)
        if m:
            if not tl:
                tl.append((t, m[1], "(implied: the IKE_SA exists in " + m[1] + " before its first state change)"))
            tl.append((t, m[2], l))
        elif not tl and pre.search(l):
            tl.append((t, "CREATED", l))
    return tl


def lsw_timeline(log, serial):
    """[(time, state, line)] of one pluto IKE SA state object #serial."""
    tl = []
    for l in log.splitlines():
        t = tod(l)
        m = re.search(r"#" + re.escape(serial) + r": (.*)", l)
        if t is None or not m or l.startswith("000 "):
            continue
        msg = m[1]
        st = None
        d = re.match(r"deleting state \((STATE_\w+)\)", msg)
        if d:
            st = d[1]
        elif not tl:
            st = "STATE_V2_PARENT_I0" if msg.startswith("initiating IKEv2 connection") else "STATE_V2_PARENT_R0"
        else:
            f = re.match(r"encountered fatal error in state (STATE_\w+)", msg)
            if f:
                st = f[1]
            for story, name in LSW_STORIES:
                if msg.startswith(story) or (name == "STATE_V2_ESTABLISHED_IKE_SA" and
                                             re.match(r"(initiator|responder) established IKE SA", msg)):
                    st = name
                    break
        if st:
            tl.append((t, st, l))
    return tl


def state_at(tl, t_last, stop, log, tag):
    """The timeline's state just after a frame seen at t_last (log clock):
    what was logged up to then, plus changes within WINDOW after it unless a
    STOP line of this SA (tag) comes first.  Returns (state, line, late)."""
    limit = t_last + WINDOW
    if stop is not None:
        for l in log.splitlines():
            t = tod(l)
            if t is not None and t_last + 0.002 < t <= limit and tag.search(l) and stop.search(l):
                limit = t - 1e-6
                break
    st, why, late = "none", None, False
    for t, s, l in tl:
        if t <= limit:
            st, why, late = s, l, t > t_last + 0.0015
    return st, why, late


def ptod_of(p):
    """A frame's time of day (UTC, seconds), as the logs print theirs."""
    return p["epoch"] % 86400


def clock_check(logs, impls, pk):
    """Match the daemons' "sending packet"/"received packet" lines (charon) and
    "sent ... request/reply"/"responding to ..." lines (pluto) to frames; return
    (offset log-minus-pcap in s, [residuals], number matched)."""
    ptod = {p["frame"]: ptod_of(p) for p in pk}
    addrs = {p["src"] for p in pk} | {p["dst"] for p in pk}
    pairs = []
    for side, log in logs.items():
        if side not in impls:
            continue
        for l in log.splitlines():
            t = tod(l)
            m = re.search(r"(sending|received) packet: from (\S+)\[(\d+)\] to (\S+)\[(\d+)\] \((\d+) bytes\)", l)
            cands = []
            if m and not {m[2], m[4]} <= addrs:
                continue    # a packet with a host not in the capture (v2-cookie's half-open peer, NAT)
            if m:
                n = int(m[6])
                cands = [p for p in pk if p["udplen"] - 8 in (n, n + 4) and
                         ((p["src"], p["sport"]) == (m[2], int(m[3])) or (p["dst"], p["dport"]) == (m[4], int(m[5])))]
            else:
                m = re.search(r"sent (IKE_SA_INIT|IKE_AUTH) (request|reply)|responding to (IKE_SA_INIT|IKE_AUTH) message \(ID (\d+)\)", l)
                if m and impls[side] == "lsw":
                    ex = m[1] or m[3]
                    resp = m[2] != "request"
                    cands = [p for p in pk if EXCH.get(p["exch"]) == ex and p["response"] == resp and p["retrans_of"] is None]
            if t is None or not cands:
                continue
            best = min(cands, key=lambda p: abs(((t - ptod[p["frame"]] + 43200) % 86400) - 43200))
            pairs.append((t, ptod[best["frame"]]))
    if not pairs:
        return 0.0, [], 0
    offs = sorted(t - pt for t, pt in pairs)
    tz = round(offs[len(offs) // 2] / 900) * 900
    return tz, [o - tz for o in offs], len(pairs)


def child_spis(logs, impls, ref):
    """ESP SPIs of a CHILD_SA from one daemon's log, as [SPI the initiator
    chose (its inbound SA), SPI the responder chose (its inbound SA)]."""
    side, r = ref.split(":", 1)
    log = logs[side]
    if impls[side] == "sw":
        m = re.search(r"CHILD_SA " + re.escape(r) + r" established with SPIs ([0-9a-f]{8})_i ([0-9a-f]{8})_o", log)
        if not m:
            return None
        return [m[1], m[2]] if side == "initiator" else [m[2], m[1]]
    for l in log.splitlines():
        if r + ":" in l and ("established Child SA" in l or "IPsec SA established" in l):
            m = re.search(r"=>0x([0-9a-f]{8}) <0x([0-9a-f]{8})", l)   # outbound, inbound
            if m:
                return [m[2], m[1]] if side == "initiator" else [m[1], m[2]]
    return None


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
    impls = {"initiator": spec["initiator"]["impl"], "responder": spec["responder"]["impl"]}
    end = None
    try:
        h, m, sec = open(os.path.join(a.work, "cap_end")).read().strip().split(":")
        end = int(h) * 3600 + int(m) * 60 + float(sec)
    except (OSError, ValueError):
        pass
    logs, states, keys = {}, {}, []
    for side in ("initiator", "responder"):
        d = os.path.join(a.work, spec[side]["dir"])
        if impls[side] == "sw":
            raw = open(os.path.join(d, "charon.log"), errors="replace").read()
            keys += [k for k in key_candidates(raw) if k not in keys]
            logs[side] = pp.cut_after(pp.trim_charon(raw), end)
        else:
            raw = open(os.path.join(d, "pluto.log"), errors="replace").read()
            logs[side] = pp.cut_after(pp.trim_pluto(raw), end)
            sf = os.path.join(d, "showstates.txt")
            states[side] = open(sf, errors="replace").read() if os.path.exists(sf) else ""
            if states[side]:
                logs[side] += "# whack --showstates at the end of the capture:\n" + states[side]
    for x in spec.get("extra_logs", []):
        raw = open(os.path.join(a.work, x["path"]), errors="replace").read()
        logs[x["suffix"]] = pp.cut_after(pp.trim_charon(raw) if x["impl"] == "sw" else pp.trim_pluto(raw), end)

    problems, outputs = [], []
    for capspec in spec["captures"]:
        name = capspec["name"]
        cap = os.path.join(a.work, name + ".pcapng")
        subprocess.run(["reordercap", os.path.join(a.work, capspec["file"]), cap], check=True, capture_output=True)
        plain = packets(tshark_rows(cap))
        sas = group(plain)
        # keys: per SA with encrypted frames, the candidate under which all of them decrypt
        table = {}
        for ispi, ps in sas:
            encf = [p["frame"] for p in ps if p["enc"]]
            if not encf:
                continue
            rspi = next((p["rspi"] for p in ps if p["rspi"] != "0" * 16), "0" * 16)
            best = None
            for k in keys:
                line = uat_line(ispi, rspi, k)
                if not line:
                    continue
                vf = verbose_frames(cap, key_opts([line]))
                ok = [f for f in encf if frame_decrypts(vf.get(f, ""))]
                if best is None or len(ok) > best[1]:
                    best = (line, len(ok), len(encf))
            if best and best[1] == best[2]:
                table[ispi] = best[0]
                print(f"  {name}: keys for {ispi} verified: {best[1]}/{best[2]} encrypted frames decrypt, checksums correct")
            elif best and best[1]:
                problems.append(f"{name}: keys for {ispi} decrypt only {best[1]}/{best[2]} encrypted frames")
            else:
                print(f"  {name}: no keys for {ispi} ({len(keys)} candidates)")
        dec = packets(tshark_rows(cap, key_opts(table.values()))) if table else plain
        decby = {p["frame"]: p for p in dec}

        print(f"  {name}: frame table (with keys where known)")
        print("   frame  time     ispi             rspi             exchange         msgid  flags  size  what")
        for p in dec:
            fl = ("I" if p["iflag"] else "-") + ("R" if p["response"] else "-")
            print(f"   {p['frame']:>5} {p['time']:7.3f}  {p['ispi']} {p['rspi']} {EXCH.get(p['exch'], p['exch']):<16} "
                  f"{p['msgid']:>5}  {fl:<5} {p['size']:>5}  {fmt_ep(p['src'], p['sport'])} -> {fmt_ep(p['dst'], p['dport'])} {describe(p)}")

        # the logs and the capture on one clock: match sent/received lines to frames
        clk = clock_check(logs, impls, dec)
        bad = [r for r in clk[1] if abs(r) > WINDOW]
        print(f"  {name}: clock check: {clk[2]} log lines matched to frames, log - pcap offset {clk[0]:.0f} s, "
              f"residuals {min(clk[1], default=0) * 1000:+.1f} .. {max(clk[1], default=0) * 1000:+.1f} ms")
        if not clk[2] or bad:
            problems.append(f"{name}: log and capture clocks do not agree ({clk[2]} matches, {len(bad)} off by > {WINDOW}s)")
        ov = spec.get("sas", [])
        if "n_sas" in spec and len(sas) != spec["n_sas"]:
            problems.append(f"{name}: {len(sas)} IKE SAs on the wire, spec expects {spec['n_sas']}")
        exp = []
        for i, (ispi, ps) in enumerate(sas):
            psk = [decby[p["frame"]] for p in ps]
            facts = dict(spec.get("sa", {}))
            if i < len(ov):
                facts.update(ov[i])
            has_keys = ispi in table
            p0 = ps[0]
            rspi = next((p["rspi"] for p in ps if p["rspi"] != "0" * 16), "0" * 16)
            init_addr = p0["src"] if p0["iflag"] == (not p0["response"]) else p0["dst"]
            resp_addr = p0["dst"] if init_addr == p0["src"] else p0["src"]
            iport = p0["sport"] if init_addr == p0["src"] else p0["dport"]
            rport = p0["dport"] if init_addr == p0["src"] else p0["sport"]
            exs = wire_view(psk, init_addr)
            retrans = len([p for p in ps if not p["response"] and p["retrans_of"] is not None])
            rekey_of = None
            if "rekey_of" in facts:
                rekey_of = sas[facts["rekey_of"]][0]
                # with keys the old SA's CREATE_CHILD_SA carries the new SPI in its SA payload
                old = [decby[p["frame"]] for p in sas[facts["rekey_of"]][1]]
                if any(old_p["exch"] == 36 for old_p in old) and table.get(rekey_of):
                    spis = {s for old_p in old if old_p["exch"] == 36 for s in old_p["spis"]}
                    if ispi not in spis:
                        problems.append(f"{name} SA {i}: rekey_of {rekey_of}, but no CREATE_CHILD_SA there carries SPI {ispi}")
            est = facts.get("established")
            if est is None:
                problems.append(f"{name} SA {i}: spec lacks established")
            cause = facts.get("cause")
            cnk = facts.get("cause_without_keys", cause)
            for c in (cause, cnk):
                if c not in CAUSES:
                    problems.append(f"{name} SA {i}: cause {c} not in the vocabulary")
            wk = wire_cause(exs, True, spec.get("nat"), rekey_of is not None) if has_keys else None
            wn = wire_cause(exs, False, spec.get("nat"), rekey_of is not None)
            if has_keys and wk != cause:
                problems.append(f"{name} SA {i} {ispi}: spec cause {cause}, wire with keys shows {wk}")
            if not has_keys and wn is not None and wn != cause and cause not in ("ok",) :
                problems.append(f"{name} SA {i} {ispi}: spec cause {cause} (no keys), wire shows {wn}")
            if wn is not None and cnk != wn and not (wn == "ok" and cnk == "ok"):
                problems.append(f"{name} SA {i} {ispi}: spec cause_without_keys {cnk}, wire shows {wn}")
            # deleted_by: the log says (spec); with keys the wire must agree
            deleted_by = facts.get("deleted_by")
            if has_keys:
                wd = None
                for p in psk:
                    if p["exch"] == 37 and not p["response"] and 1 in p["delete"]:
                        wd = "initiator" if p["iflag"] else "responder"
                        break
                if wd != deleted_by:
                    problems.append(f"{name} SA {i}: deleted_by {deleted_by} in spec, wire with keys shows {wd}")
            # final states
            final = {}
            ids = facts.get("ids", {"initiator": str(i + 1), "responder": str(i + 1)})
            lsw = facts.get("lsw", {"initiator": "1", "responder": "1"})
            for side in ("initiator", "responder"):
                fs = {"strongswan": None, "libreswan": None}
                given = facts.get("final", {}).get(side)
                if impls[side] == "sw":
                    got = sw_final_state(logs[side], ids[side]) if ids[side] != "-" else None
                    if given and got and given != got:
                        problems.append(f"{name} SA {i}: {side} final state {given} in spec, log shows {got}")
                    fs["strongswan"] = given or got or "none"
                else:
                    got = None
                    if lsw[side] != "-":
                        got = lsw_final_state(states.get(side, ""), lsw[side])
                        if not got:   # gone: the state pluto deleted it in
                            m = re.findall(r"#" + re.escape(lsw[side]) + r": deleting state \((STATE_\w+)\)", logs[side])
                            got = m[-1] if m else None
                    fs["libreswan"] = given or got or "none"
                final[side] = fs
            # states just after the SA's last frame (the logs' clock = the capture's)
            last = ps[-1]
            t_last = ptod_of(last) + clk[0]
            at_last, snotes = {}, []
            for side in ("initiator", "responder"):
                fs = {"strongswan": None, "libreswan": None}
                given = facts.get("at_last", {}).get(side)
                if impls[side] == "sw":
                    key, ref = "strongswan", ids[side]
                    tl = sw_timeline(logs[side], ref) if ref != "-" else []
                    tag = re.compile(r"<(?:[^>|]*\|)?" + re.escape(ref) + r">|IKE_SA \S+\[" + re.escape(ref) + r"\]")
                    got = state_at(tl, t_last, SW_STOP, logs[side], tag)
                else:
                    key, ref = "libreswan", lsw[side]
                    tl = lsw_timeline(logs[side], ref) if ref != "-" else []
                    tag = re.compile(r"#" + re.escape(ref) + r": ")
                    got = state_at(tl, t_last, LSW_STOP, logs[side], tag)
                st = given or got[0]
                if given and given != got[0]:
                    snotes.append(f"{side}: {given} from the spec, the log's timeline gives {got[0]}")
                fs[key] = st
                at_last[side] = fs
                if st == "none":
                    snotes.append(f"{side}: no state for this SA in the log up to the last frame")
                elif key == "libreswan" and got[1]:
                    msg = re.sub(r'^.*?#' + ref + ': ', '', got[1])
                    snotes.append(f"{side}: pluto #{ref} {got[0]} from \"{msg[:80]}\""
                                  + (" (pluto names the state it deletes, right after answering)"
                                     if msg.startswith("deleting state") else
                                     " (state story -> name: libreswan 4.10 ikev2_states.c)"))
                if got[2]:
                    snotes.append(f"{side}: {got[0]} logged within {int(WINDOW * 1000)} ms after the last frame "
                                  f"(handling it): {got[1]}")
                elif got[1] and got[1].startswith("(implied"):
                    snotes.append(f"{side}: {got[0]} {got[1][1:-1]}")
                if st != final[side][key]:
                    later = tl[-1][2] if tl and tl[-1][1] == final[side][key] and tl[-1][0] > t_last else ""
                    snotes.append(f"{side}: {st} at the last frame, {final[side][key]} at the end of the capture"
                                  + (f" (later: {later.strip()})" if later else ""))
            if facts.get("at_last_notes"):
                snotes.append(facts["at_last_notes"])
            print(f"  {name} SA {i} {ispi}: last frame {last['frame']} at {t_last % 86400:.6f} (log clock): "
                  + "; ".join(f"{sd} {v}" for sd, v in at_last.items()))
            # retransmissions: the daemons' own count
            nlog = 0
            for side in ("initiator", "responder"):
                if impls[side] == "sw" and ids[side] != "-":
                    nlog += sw_retransmits(logs[side], ids[side])
                elif impls[side] == "lsw" and lsw[side] != "-":
                    nlog += len([l for l in logs[side].splitlines()
                                 if re.search(r"#" + lsw[side] + r": .*retransmi", l) and "timeout" not in l])
            want_log = facts.get("rtx_log", retrans)
            if nlog != want_log:
                problems.append(f"{name} SA {i}: {retrans} request retransmissions on the wire, {nlog} retransmit lines in the logs (spec expects {want_log})")
            children = []
            for c in facts.get("children", []):
                spis = []
                if c["ref"]:
                    spis = child_spis(logs, impls, c["ref"])
                    if spis is None:
                        problems.append(f"{name} SA {i}: no SPIs for child {c['ref']} in the logs")
                        spis = []
                if not any(e["msgid"] == c["msgid"] and EXCH.get(e["exch"]) == c["exchange"] for e in exs):
                    problems.append(f"{name} SA {i}: no {c['exchange']} with message ID {c['msgid']} on the wire")
                children.append({"msgid": c["msgid"], "exchange": c["exchange"], "outcome": c["outcome"],
                                 "esp_spis": spis})
            ev = []
            for e in facts.get("evidence", []):
                pat = re.compile(e["re"])
                hits = [l for l in logs[e["side"]].splitlines() if pat.search(l)]
                if not hits:
                    problems.append(f"{name} SA {i}: no {e['side']} log line matches {e['re']!r}")
                    continue
                ev.append(hits[0])
            exp.append({
                "ispi": ispi, "rspi": rspi,
                "initiator": fmt_ep(init_addr, iport), "responder": fmt_ep(resp_addr, rport),
                "established": est, "final_state": final, "state_at_last_packet": at_last,
                "state_notes": "; ".join(snotes), "rekey_of": rekey_of,
                "child_sas": children, "deleted_by": deleted_by,
                "retransmissions": retrans,
                "exchanges": [{"exchange": EXCH.get(e["exch"], str(e["exch"])), "msgid": e["msgid"],
                               "initiated_by": e["by"], "requests": len(e["requests"]),
                               "responses": len(e["responses"])} for e in exs],
                "cause": cause, "cause_without_keys": cnk,
                "cause_sentence": facts.get("cause_sentence", ""),
                "daemon_evidence": ev,
                "notes": facts.get("notes", ""),
            })
        doc = {
            "name": name, "version": 2,
            "description": spec["description"] + ((" " + spec["notes"]) if spec.get("notes") else ""),
            "capture_point": capspec["capture_point"],
            "initiator": {"implementation": impl[impls["initiator"]], "address": spec["initiator"]["address"]},
            "responder": {"implementation": impl[impls["responder"]], "address": spec["responder"]["address"]},
            "keys_file": (name + ".keys") if table else None,
            "psks": spec.get("psks"),
            "sas": exp,
        }
        outputs.append((name, cap, table, doc))

    for p in problems:
        print("  PROBLEM:", p)
    for name, cap, table, doc in outputs:
        print(f"  {name}: " + "; ".join(f"{s['ispi']}/{s['rspi']} est={s['established']} rtx={s['retransmissions']} "
                                        f"cause={s['cause']}/{s['cause_without_keys']} final={s['final_state']}"
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
                for line in table.values():
                    f.write(line + "\n")
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
