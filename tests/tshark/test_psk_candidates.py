#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The aggressive-mode PSK check (preference isakmpstate.psk_candidates_file)
on the lab's aggressive-mode captures.

The truth is the lab's configuration: each expected file's "psks" holds the
key each daemon was given (am-psk-ok: the same on both sides; am-psk-mismatch:
the responder signed AM2 with its own key, which the initiator rejected).
The check must name the candidate the responder used by its line number,
say "no candidate" when the file lacks it, accept hex keys, never print a
key, and leave main-mode captures alone."""
import json
import os

from isk import SAMPLES, Suite, TShark, build_dir_from_argv

S = Suite("psk-candidates")
ts = TShark(build_dir_from_argv())


def psks(name):
    with open(os.path.join(SAMPLES, name + ".expected.json")) as f:
        return json.load(f)["psks"]


def cand_file(tag, lines):
    path = os.path.join(ts.tmp, "psk-" + tag)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(path, 0o644)
    return path


def run(name, path, extra=()):
    cap = os.path.join(SAMPLES, name + ".pcapng")
    return ts.fields(cap, ["isakmpstate.psk", "_ws.expert.message", "isakmpstate.cause", "isakmpstate.msg"],
                     two_pass=True, extra=["-o", "isakmpstate.psk_candidates_file:" + path] + list(extra))


def am2_rows(rows):
    """The first AM2 (the responder resends it in am-psk-mismatch): the
    check runs once per SA, on the first copy."""
    first = min((f for f, r in rows.items() if r["isakmpstate.msg"] == "AM2"), default=None)
    return {} if first is None else {first: rows[first]}


ok, mm = psks("am-psk-ok"), psks("am-psk-mismatch")
decoy = "not-the-lab-key"
secrets = {ok["responder"], mm["initiator"], mm["responder"], decoy}

# am-psk-ok: the shared key on line 3, behind a decoy and a blank line.
rows = run("am-psk-ok", cand_file("ok", [decoy, "", ok["responder"]]))
am2 = am2_rows(rows)
S.eq(len(am2), 1, "am-psk-ok: an AM2")
for f, r in am2.items():
    S.eq(r["isakmpstate.psk"], "candidate on line 3 matches HASH_R", f"am-psk-ok frame {f}")
    S.check("line 3" in r["_ws.expert.message"], f"am-psk-ok: expert info names line 3: {r['_ws.expert.message']!r}")
    S.eq(r["isakmpstate.cause"], "ok", "am-psk-ok cause")
S.eq(sorted(f for f, r in rows.items() if r["isakmpstate.psk"]), sorted(am2), "am-psk-ok: the result only on AM2")

# am-psk-mismatch: both daemons' keys offered; HASH_R is the responder's.
rows = run("am-psk-mismatch", cand_file("both", [mm["initiator"], mm["responder"]]))
am2 = am2_rows(rows)
S.eq(len(am2), 1, "am-psk-mismatch: an AM2")
for f, r in am2.items():
    S.eq(r["isakmpstate.psk"], "candidate on line 2 matches HASH_R", "am-psk-mismatch: the responder's key")
S.eq(sorted(f for f, r in rows.items() if r["isakmpstate.psk"]), sorted(am2), "am-psk-mismatch: the result only on the first AM2")
stop = [r for r in rows.values() if "aggressive-auth-failed" in r["_ws.expert.message"]]
S.eq(len(stop), 1, "am-psk-mismatch: one aggressive-auth-failed verdict")
S.check(all(r["isakmpstate.cause"] == "aggressive-auth-failed" for r in rows.values() if r["isakmpstate.msg"]),
        "am-psk-mismatch: cause on every packet")

# Only the initiator's key (what the initiator was configured with): none matches.
rows = run("am-psk-mismatch", cand_file("init", [mm["initiator"], decoy]))
S.eq(len(am2_rows(rows)), 1, "initiator's key only: an AM2")
for f, r in am2_rows(rows).items():
    S.check(r["isakmpstate.psk"].startswith("no candidate"), f"initiator's key only: {r['isakmpstate.psk']!r}")

# The responder's key written in hex (0x...) is the same candidate.
rows = run("am-psk-mismatch", cand_file("hex", [decoy, "0x" + mm["responder"].encode().hex()]))
for f, r in am2_rows(rows).items():
    S.eq(r["isakmpstate.psk"], "candidate on line 2 matches HASH_R", "hex candidate")

# No key in any output: packet details, JSON report, table.
path = cand_file("all", sorted(secrets))
for name in ("am-psk-ok", "am-psk-mismatch"):
    _, out, err = ts.run(["-2", "-V", "-z", "isakmpstate,sa", "-z", "isakmpstate,json",
                          "-o", "isakmpstate.psk_candidates_file:" + path],
                         capture=os.path.join(SAMPLES, name + ".pcapng"))
    S.check("matches HASH_R" in out, f"{name}: the check ran in -V output")
    for k in secrets:
        S.check(k not in out and k not in err, f"{name}: key {k[:3]}... never printed")

# A candidates file that cannot be read is reported, not silently ignored
# (and the capture is still read: tshark exits 0 with its packets).
missing = os.path.join(ts.tmp, "no-such-psk-file")
rc, out, err = ts.run(["-o", "isakmpstate.psk_candidates_file:" + missing],
                      capture=os.path.join(SAMPLES, "am-psk-ok.pcapng"), check=False)
S.eq(rc, 0, "unreadable PSK file: tshark still reads the capture")
S.check("PSK candidates file" in err and missing in err and "cannot be read" in err,
        f"unreadable PSK file reported on stderr: {err!r}")
S.check(err.count("PSK candidates file") == 1, f"reported once: {err!r}")

# Main mode: nothing to test, no field.
rows = run("mm-psk-ok-sw-sw", path)
S.eq([f for f, r in rows.items() if r["isakmpstate.psk"]], [], "main mode: no PSK result")

S.done()
