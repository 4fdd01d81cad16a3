# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared pieces of the robustness tests (tests/fuzz): pcap reading and
writing, locating the UDP payload of a frame, building Ethernet/IPv4/UDP
frames byte by byte, running tshark with the plugin (sanitizer builds
included), and telling a crash from an ordinary exit.

These tests check that tshark with isakmpstate survives hostile input and
stays consistent; they say nothing about whether a state label is right
(that is tests/tshark and the sample captures' job).
"""
import glob
import os
import re
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tshark"))

from isk import SAMPLES, TCPDUMP, Failure, TShark  # noqa: E402

# ---- sanitizer builds ------------------------------------------------------

def tool_env():
    """The environment for editcap and the like: never the ASan preload
    (sanitize.sh's fallback exports it), under which Debian 12's editcap,
    capinfos and mergecap hang at exit (see sanitize.sh)."""
    env = dict(os.environ)
    for k in ("LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS"):
        env.pop(k, None)
    return env



def cmake_cache(build_dir, key):
    """Value of KEY in BUILD_DIR/CMakeCache.txt, or None."""
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return None


def is_sanitize_build(build_dir):
    return (cmake_cache(build_dir, "ISAKMPSTATE_SANITIZE") or "").upper() in ("ON", "1", "TRUE", "YES")


def sanitizer_env(shim_dir=None):
    """The environment that lets the system tshark (not instrumented) load
    an -fsanitize=address,undefined plugin: the ASan runtime must be the
    first library of the process, so it is preloaded (libubsan too).
    abort_on_error turns any report into SIGABRT (exit status >= 128).
    LeakSanitizer is on: it reports unreachable blocks only, and tshark 4.0,
    GLib and libwireshark keep theirs reachable until exit (no report on
    any capture of the test suite), so a report is a block really lost.
    ISAKMPSTATE_LSAN=0 in the environment turns it off."""
    cc = os.environ.get("CC", "gcc")

    def rt(name):
        try:
            p = subprocess.run([cc, "-print-file-name=" + name], stdout=subprocess.PIPE, env=tool_env(),
                               stderr=subprocess.DEVNULL, check=True).stdout.decode().strip()
        except (OSError, subprocess.CalledProcessError):
            return None
        return os.path.realpath(p) if os.path.isabs(p) and os.path.exists(p) else None

    libs = [p for p in (rt("libasan.so"), rt("libubsan.so")) if p]
    if not libs:
        raise Failure("sanitizer build, but no libasan.so found (gcc -print-file-name=libasan.so)")
    if shim_dir:
        # nodlclose.c: plugins stay mapped at exit, so that LeakSanitizer's
        # reports name the plugin's frames instead of "<unknown module>".
        shim = os.path.join(shim_dir, "nodlclose.so")
        r = subprocess.run([cc, "-shared", "-fPIC", "-O2", "-o", shim, os.path.join(HERE, "nodlclose.c")],
                           env=tool_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode == 0:
            os.chmod(shim, 0o755)
            libs.append(shim)
    leaks = os.environ.get("ISAKMPSTATE_LSAN", "1")
    return {
        "LD_PRELOAD": ":".join(libs),
        "ASAN_OPTIONS": f"detect_leaks={leaks}:abort_on_error=1:halt_on_error=1:symbolize=1:"
                        "allocator_may_return_null=1",
        "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1:abort_on_error=1",
    }


class FuzzTShark(TShark):
    """isk.TShark with two additions.

    In a build made with -DISAKMPSTATE_SANITIZE=ON, tshark (only tshark: not
    editcap, not this script) gets sanitizer_env(), unless the environment
    already has LD_PRELOAD / ASAN_OPTIONS (sanitize.sh sets them; isk.TShark
    forwards them).

    No extcap programs: `tshark -G plugins` (isk's proof that this build's
    module is the one loaded) runs every extcap helper; with the ASan runtime
    preloaded, Debian's androiddump never exits (glibc's setlocale lock is
    found corrupt when p11-kit's destructor calls freelocale), so tshark
    never returns. Reading files needs no extcap: WIRESHARK_EXTCAP_DIR points
    at an empty folder."""

    def __init__(self, build_dir):
        self.sanitize = is_sanitize_build(build_dir)
        super().__init__(build_dir)

    def check_loaded(self):
        empty = os.path.join(self.tmp, "no-extcap")
        os.makedirs(empty, exist_ok=True)
        os.chmod(empty, 0o755)
        self.env["WIRESHARK_EXTCAP_DIR"] = empty
        if self.sanitize:
            for k, v in sanitizer_env(self.tmp).items():
                self.env.setdefault(k, v)
        super().check_loaded()

    def scratch(self, name, data):
        """Write DATA into the private folder where 'nobody' can read it."""
        p = os.path.join(self.tmp, name)
        with open(p, "wb") as f:
            f.write(data)
        os.chmod(p, 0o644)
        return p

    def run_file(self, args, path, timeout=300, env=None):
        """tshark ARGS -r PATH; returns (rc, out, err, seconds); rc is None on
        a timeout. PATH must be readable by 'nobody' (see scratch())."""
        import time
        cmd = self.prefix + ["tshark"] + list(args) + ["-r", path]
        t0 = time.monotonic()
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=self.env if env is None else env, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            return None, (e.stdout or b"").decode("utf-8", "replace"), \
                (e.stderr or b"").decode("utf-8", "replace"), time.monotonic() - t0
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), \
            time.monotonic() - t0


    def crashes_without_plugin(self, args, path, timeout=300):
        """Does plain tshark (no plugin at all, no sanitizer preload) die by
        a signal on the same command? Then the crash is Wireshark's own."""
        empty = os.path.join(self.tmp, "no-plugins")
        os.makedirs(empty, exist_ok=True)
        os.chmod(empty, 0o755)
        env = {k: v for k, v in self.env.items() if k not in ("LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS")}
        env["WIRESHARK_PLUGIN_DIR"] = empty
        # The plugin's own options and reports do not exist without it.
        plain, i = [], 0
        args = list(args)
        while i < len(args):
            if args[i] in ("-o", "-z") and i + 1 < len(args) and args[i + 1].startswith("isakmpstate"):
                i += 2
                continue
            plain.append(args[i])
            i += 1
        rc = self.run_file(plain, path, timeout, env)[0]
        return rc is not None and (rc < 0 or rc >= 128)


# ---- what counts as a crash ------------------------------------------------

SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer", "runtime error:")
# An exception escaping our post-dissector, or a DISSECTOR_ASSERT of ours.
OURS_MARKS = ("Dissector bug, protocol ISAKMPSTATE", "Malformed Packet: ISAKMPSTATE")


def problems(rc, out, err, timeout_s=None):
    """What is wrong with one tshark run, as short strings; [] if nothing."""
    found = []
    if rc is None:
        found.append(f"hang (no exit within {timeout_s}s)")
    elif rc < 0 or rc >= 128:
        sig = -rc if rc < 0 else rc - 128
        found.append(f"killed by signal {sig} (rc={rc})")
    for m in SANITIZER_MARKS:
        if m in err:
            found.append(f"sanitizer report ({m})")
            break
    for m in OURS_MARKS:
        if m in out or m in err:
            found.append(f"plugin exception ({m.strip('[: ')})")
            break
    for line in err.splitlines():
        if re.search(r"\b(CRITICAL|ERROR)\b", line) and "isakmpstate" in line.lower():
            found.append("GLib critical from isakmpstate: " + line.strip()[:200])
            break
    if rc is not None and 0 < rc < 128 and not found:
        found.append(f"exit status {rc}")
    return found


def sanitizer_excerpt(err, limit=4000):
    """The sanitizer report (or the end of stderr) for a failure log."""
    for m in ("==ERROR", "runtime error:", "=================="):
        i = err.find(m)
        if i >= 0:
            return err[max(0, i - 200):i + limit]
    return err[-limit:]


def json_report(out):
    """The -z isakmpstate,json document inside tshark's stdout, or None."""
    import json
    m = re.search(r'\{"isakmpstate":\s*"', out)
    if not m:
        return None
    i = m.start()
    j = out.find("\n]}\n", i)
    if j < 0:
        raise ValueError("-z isakmpstate,json output does not end with ]}")
    return json.loads(out[i:j + 3])


def sa_table_count(out):
    """'N IKE SAs, F failed' of -z isakmpstate,sa: (N, F) or None."""
    m = re.search(r"^(\d+) IKE SAs?, (\d+) failed$", out, re.M)
    return (int(m.group(1)), int(m.group(2))) if m else None


# ---- captures --------------------------------------------------------------

def source_captures(include_samples=True):
    """The captures the fuzzers start from: tcpdump's (real and crafted)
    and whatever *.pcap / *.pcapng sample-captures/ holds (maybe none)."""
    files = sorted(glob.glob(os.path.join(TCPDUMP, "*.pcap")) + glob.glob(os.path.join(TCPDUMP, "*.pcapng")))
    if include_samples and os.path.isdir(SAMPLES):
        for pat in ("*.pcap", "*.pcapng", "*/*.pcap", "*/*.pcapng"):
            files += sorted(glob.glob(os.path.join(SAMPLES, pat)))
    return files


class Pcap:
    """A classic pcap file in memory: link type, timestamp resolution and a
    list of records [sec, frac, bytearray data, orig_len]."""

    def __init__(self, linktype=1, nsec=False, snaplen=262144):
        self.linktype, self.nsec, self.snaplen = linktype, nsec, snaplen
        self.records = []

    @classmethod
    def parse(cls, data):
        if len(data) < 24:
            raise ValueError("not a pcap file")
        magic = data[:4]
        table = {b"\xd4\xc3\xb2\xa1": ("<", False), b"\xa1\xb2\xc3\xd4": (">", False),
                 b"\x4d\x3c\xb2\xa1": ("<", True), b"\xa1\xb2\x3c\x4d": (">", True)}
        if magic not in table:
            raise ValueError("not a classic pcap file")
        e, nsec = table[magic]
        _, _, _, _, snaplen, linktype = struct.unpack(e + "HHiIII", data[4:24])
        p = cls(linktype & 0xFFFF, nsec, snaplen or 262144)
        off = 24
        while off + 16 <= len(data):
            sec, frac, incl, orig = struct.unpack(e + "IIII", data[off:off + 16])
            off += 16
            if incl > len(data) - off:
                break
            p.records.append([sec, frac, bytearray(data[off:off + incl]), orig])
            off += incl
        return p

    @classmethod
    def load(cls, path):
        """Read PATH; pcapng (or anything not classic pcap) goes through
        `editcap -F pcap` first. Raises ValueError if that is impossible
        (several link types, say)."""
        with open(path, "rb") as f:
            data = f.read()
        try:
            return cls.parse(data)
        except ValueError:
            pass
        with tempfile.TemporaryDirectory(prefix="iskfz-") as d:
            dst = os.path.join(d, "x.pcap")
            for fmt in ("pcap", "nsecpcap"):
                r = subprocess.run(["editcap", "-F", fmt, path, dst], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, env=tool_env(), timeout=120)
                if r.returncode == 0:
                    with open(dst, "rb") as f:
                        return cls.parse(f.read())
        raise ValueError(f"{path}: cannot be converted to classic pcap")

    def copy(self):
        p = Pcap(self.linktype, self.nsec, self.snaplen)
        p.records = [[r[0], r[1], bytearray(r[2]), r[3]] for r in self.records]
        return p

    def to_bytes(self):
        magic = 0xA1B23C4D if self.nsec else 0xA1B2C3D4
        out = [struct.pack("<IHHiIII", magic, 2, 4, 0, 0, max(self.snaplen, 65535), self.linktype)]
        for sec, frac, data, orig in self.records:
            out.append(struct.pack("<IIII", sec & 0xFFFFFFFF, frac, len(data), max(orig, len(data))))
            out.append(bytes(data))
        return b"".join(out)

    def add(self, t, data):
        sec = int(t)
        frac = int(round((t - sec) * (1e9 if self.nsec else 1e6)))
        self.records.append([sec, frac, bytearray(data), len(data)])


def locate_udp(linktype, frame):
    """Where the UDP payload of FRAME is: a dict with ip (offset of the IP
    header), ipv (4/6), udp (offset of the UDP header), payload, plen
    (payload bytes present), sport, dport; or None when the frame is not
    a UDP datagram (or its first fragment) we can find."""
    n = len(frame)
    off, et = 0, None
    if linktype == 1:  # Ethernet, with any number of 802.1Q / 802.1ad tags
        off = 12
        while off + 2 <= n:
            et = struct.unpack(">H", frame[off:off + 2])[0]
            if et in (0x8100, 0x88A8, 0x9100):
                off += 4
                continue
            off += 2
            break
    elif linktype == 113:  # Linux cooked v1
        if n < 16:
            return None
        et, off = struct.unpack(">H", frame[14:16])[0], 16
    elif linktype == 276:  # Linux cooked v2
        if n < 20:
            return None
        et, off = struct.unpack(">H", frame[0:2])[0], 20
    elif linktype in (0, 108):  # BSD loopback: 4-byte address family
        if n < 4:
            return None
        off = 4
        et = 0x0800 if (frame[4] >> 4 if n > 4 else 0) == 4 else 0x86DD
    elif linktype in (12, 14, 101, 228, 229):  # raw IP
        off = 0
        et = 0x0800 if n and frame[0] >> 4 == 4 else 0x86DD
    else:
        return None
    if et == 0x0800:
        if off + 20 > n or frame[off] >> 4 != 4:
            return None
        ihl = (frame[off] & 0x0F) * 4
        frag = struct.unpack(">H", frame[off + 6:off + 8])[0]
        # A first fragment (offset 0, more-fragments set) still starts with
        # the UDP header, and Wireshark dissects what it has.
        if ihl < 20 or frame[off + 9] != 17 or (frag & 0x1FFF) != 0:
            return None
        ip, ipv, udp = off, 4, off + ihl
    elif et == 0x86DD:
        if off + 40 > n or frame[off] >> 4 != 6 or frame[off + 6] != 17:
            return None
        ip, ipv, udp = off, 6, off + 40
    else:
        return None
    if udp + 8 > n:
        return None
    sport, dport, ulen = struct.unpack(">HHH", frame[udp:udp + 6])
    payload = udp + 8
    plen = n - payload
    if ulen >= 8:
        plen = min(plen, ulen - 8)
    return {"ip": ip, "ipv": ipv, "udp": udp, "payload": payload, "plen": plen, "sport": sport, "dport": dport}


def isakmp_offset(loc, frame):
    """Offset of the ISAKMP header inside a located UDP frame (after the
    non-ESP marker on UDP 4500), or None for ESP-in-UDP and keep-alives."""
    p = loc["payload"]
    if 4500 in (loc["sport"], loc["dport"]):
        if loc["plen"] >= 4 and frame[p:p + 4] == b"\0\0\0\0":
            return p + 4
        return None
    return p


def set_udp_payload_len(frame, loc, new_plen):
    """Rewrite the IP and UDP length fields after the payload changed size
    (and the IPv4 header checksum), so that the headers stay consistent."""
    udp_len = 8 + new_plen
    struct.pack_into(">H", frame, loc["udp"] + 4, udp_len & 0xFFFF)
    struct.pack_into(">H", frame, loc["udp"] + 6, 0)  # no UDP checksum
    ip = loc["ip"]
    if loc["ipv"] == 4:
        ihl = (frame[ip] & 0x0F) * 4
        struct.pack_into(">H", frame, ip + 2, (ihl + udp_len) & 0xFFFF)
        struct.pack_into(">H", frame, ip + 10, 0)
        struct.pack_into(">H", frame, ip + 10, ipv4_checksum(frame[ip:ip + ihl]))
    else:
        struct.pack_into(">H", frame, ip + 4, udp_len & 0xFFFF)


def ipv4_checksum(hdr):
    s = 0
    for i in range(0, len(hdr) - 1, 2):
        s += (hdr[i] << 8) | hdr[i + 1]
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


# ---- building frames byte by byte -----------------------------------------

def ip4(s):
    return bytes(int(x) for x in s.split("."))


def eth_ipv4_udp(src, dst, sport, dport, payload, ip_id=0, ttl=64,
                 smac=b"\x02\0\0\0\0\x01", dmac=b"\x02\0\0\0\0\x02"):
    """An Ethernet II / IPv4 / UDP frame around PAYLOAD (addresses as 4
    bytes). Checksums: IPv4 computed, UDP zero (none)."""
    udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload
    hdr = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), ip_id & 0xFFFF, 0x4000, ttl, 17, 0,
                                src, dst))
    struct.pack_into(">H", hdr, 10, ipv4_checksum(hdr))
    return dmac + smac + b"\x08\x00" + bytes(hdr) + udp


def isakmp(icookie, rcookie, exch, payloads=b"", np_first=0, flags=0, msgid=0, version=0x10, length=None):
    """An ISAKMP message: the 28-byte header (length = header + PAYLOADS
    unless LENGTH overrides it) followed by PAYLOADS as given."""
    if length is None:
        length = 28 + len(payloads)
    return struct.pack(">8s8sBBBBII", icookie, rcookie, np_first, version, exch, flags, msgid,
                       length & 0xFFFFFFFF) + payloads


def payload(np_next, body, length=None):
    """A generic ISAKMP payload: next payload, reserved, length, body."""
    if length is None:
        length = 4 + len(body)
    return struct.pack(">BBH", np_next, 0, length & 0xFFFF) + body


def sa_payload_main(np_next=0):
    """An SA payload with one ISAKMP proposal and one main-mode transform
    (AES-128, SHA1, DH group 2, pre-shared key, lifetime 86400)."""
    attrs = b"".join(struct.pack(">HH", 0x8000 | t, v) for t, v in
                     ((1, 7), (14, 128), (2, 2), (4, 2), (3, 1), (11, 1))) + \
        struct.pack(">HHI", 12, 4, 86400)
    transform = payload(0, struct.pack(">BBH", 1, 1, 0) + attrs)
    proposal = payload(0, struct.pack(">BBBB", 1, 1, 0, 1) + transform)
    body = struct.pack(">II", 1, 1) + proposal  # DOI IPsec, SIT_IDENTITY_ONLY
    return payload(np_next, body)
