#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""valgrind memcheck on tshark with the plugin (run by memcheck.sh).

Every tcpdump capture and every sample capture is read in one pass
(`-V -z isakmpstate,sa`) and in two passes (`-2 -V -z isakmpstate,json`),
as 'nobody' with this build's module only (isk.py's way), under

  valgrind --tool=memcheck --error-exitcode=99 --leak-check=full
           --errors-for-leak-kinds=definite,indirect --keep-debuginfo=yes
           --suppressions=tests/fuzz/memcheck.supp --xml=yes

--keep-debuginfo: Wireshark unloads its plugins before exit, when memcheck
looks for leaks; without it the plugin's frames of a leak would be "???".

The XML report is read back: an error (invalid read/write, use of
uninitialised values, bad free...) or a definite/indirect leak whose stack
has a frame in isakmpstate.so or a function ike_* / isakmpstate_* / of
plugin/ fails; anything else is listed as "not ours" and does not fail.
memcheck.supp holds the few suppressions of GLib/libwireshark internals,
each with why.

  memcheck.py BUILD_DIR [-j N] [CAPTURE...]
"""
import argparse
import concurrent.futures
import os
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzzlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = (("1pass", ["-V", "-z", "isakmpstate,sa"]),
        ("2pass", ["-2", "-V", "-z", "isakmpstate,json"]))
LEAK_KINDS = ("Leak_DefinitelyLost", "Leak_IndirectlyLost")


def frames(err):
    out = []
    for st in err.findall("stack"):
        for fr in st.findall("frame"):
            out.append({k: (fr.findtext(k) or "") for k in ("obj", "fn", "dir", "file", "line")})
    return out


def ours(fr):
    return (fr["obj"].endswith("isakmpstate.so") or fr["fn"].startswith(("ike_", "isakmpstate_", "dissect_isakmpstate"))
            or "/plugin/" in fr["dir"] + "/")


ALLOCATORS = ("malloc", "calloc", "realloc", "memalign", "posix_memalign", "aligned_alloc", "operator new",
              "g_malloc", "g_malloc0", "g_realloc", "g_try_malloc", "g_try_malloc0", "g_try_realloc",
              "g_malloc_n", "g_malloc0_n", "g_realloc_n", "g_slice_alloc", "g_slice_alloc0", "g_strdup",
              "g_memdup", "g_memdup2", "g_strndup", "wmem_alloc", "wmem_alloc0", "wmem_strdup")


def signature(err):
    """kind and the first frame after the allocator: how 'not ours' groups."""
    kind = err.findtext("kind")
    for fr in frames(err):
        if fr["fn"].split("(")[0].strip() in ALLOCATORS or "vg_replace_malloc" in fr["file"]:
            continue
        return f"{kind} in {fr['fn'] or '???'} ({os.path.basename(fr['obj'])})"
    return kind


def describe(err):
    kind = err.findtext("kind")
    what = err.findtext("what") or (err.find("xwhat").findtext("text") if err.find("xwhat") is not None else "")
    lines = [f"{kind}: {what}"]
    for fr in frames(err)[:14]:
        loc = f"{fr['file']}:{fr['line']}" if fr["file"] else os.path.basename(fr["obj"])
        lines.append(f"    {fr['fn'] or '???'} ({loc})")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("build")
    ap.add_argument("captures", nargs="*")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--keep", help="copy valgrind's XML reports into this folder")
    a = ap.parse_intermixed_args()
    build = os.path.abspath(a.build)
    if fuzzlib.is_sanitize_build(build):
        sys.exit("memcheck: use a build without -DISAKMPSTATE_SANITIZE (valgrind and ASan do not mix)")
    ts = fuzzlib.FuzzTShark(build)
    logs = os.path.join(ts.tmp, "vg")
    os.makedirs(logs)
    os.chmod(logs, 0o777)
    supp = ts.scratch("memcheck.supp", open(os.path.join(HERE, "memcheck.supp"), "rb").read())
    caps = a.captures or fuzzlib.source_captures()
    jobs = []
    for c in caps:
        path = ts.readable_copy(c)
        for label, args in RUNS:
            jobs.append((os.path.basename(c), label, args, path))
    print(f"memcheck: {len(jobs)} tshark runs under valgrind ({len(caps)} captures x 1 and 2 passes), -j {a.jobs}",
          flush=True)
    t0 = time.monotonic()

    def one(job):
        name, label, args, path = job
        xml = os.path.join(logs, f"{name}.{label}.xml")
        vg = ["valgrind", "--tool=memcheck", "--error-exitcode=99", "--leak-check=full",
              "--show-leak-kinds=definite,indirect", "--errors-for-leak-kinds=definite,indirect",
              "--keep-debuginfo=yes", "--num-callers=40", f"--suppressions={supp}", "--xml=yes",
              f"--xml-file={xml}", "--child-silent-after-fork=yes"]
        cmd_env = dict(ts.env)
        cmd_env["G_SLICE"] = "always-malloc"  # GLib's slice allocator hides blocks from memcheck
        import subprocess
        t = time.monotonic()
        p = subprocess.run(ts.prefix + vg + ["tshark"] + args + ["-r", path], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=cmd_env, timeout=3600)
        return name, label, p.returncode, xml, p.stderr.decode("utf-8", "replace"), time.monotonic() - t

    bad, foreign, n_err = 0, {}, 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        for name, label, rc, xml, err, secs in ex.map(one, jobs):
            try:
                root = ET.parse(xml).getroot()
            except (ET.ParseError, OSError) as e:
                print(f"FAIL {name} {label}: no valgrind report ({e}); rc={rc}\n{err[-2000:]}")
                bad += 1
                continue
            errs = root.findall("error")
            mine = [e for e in errs if any(ours(f) for f in frames(e))]
            n_err += len(errs)
            for e in errs:
                if e not in mine:
                    key = signature(e)
                    foreign[key] = foreign.get(key, 0) + 1
            sup = sum(int(s.findtext("count") or 0) for s in root.iter("pair"))
            status = "FAIL" if mine or (rc not in (0, 99)) else "ok"
            print(f"{status} {name} {label}: rc={rc}, {len(errs)} errors/leaks ({len(mine)} in the plugin), "
                  f"{sup} suppressed, {secs:.0f}s", flush=True)
            if rc not in (0, 99):
                print("   tshark did not exit normally under valgrind:\n   " + err[-1500:].replace("\n", "\n   "))
                bad += 1
            for e in mine:
                print("   " + describe(e).replace("\n", "\n   "))
                bad += 1
    print(f"memcheck: {len(jobs)} runs in {time.monotonic() - t0:.0f}s; {n_err} unsuppressed errors/leaks, "
          f"{bad} in the plugin (or runs that failed)")
    for k, v in sorted(foreign.items()):
        print(f"  not ours ({v}x): {k}")
    if a.keep:
        import shutil
        os.makedirs(a.keep, exist_ok=True)
        for f in os.listdir(logs):
            shutil.copy(os.path.join(logs, f), a.keep)
    ts.close()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
