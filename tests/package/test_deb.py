# SPDX-License-Identifier: GPL-2.0-or-later
"""The Debian package (packaging/make-deb, `cmake --build build --target deb`):
build it into a temporary folder, check its control fields and file list
against what this machine says (dpkg, pkg-config, the built plugin), unpack
it with dpkg-deb -x (never installed) and show that the unpacked plugin
loads into tshark, as an unprivileged user, and dissects a sample capture."""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tshark"))
import isk  # noqa: E402

build = os.path.abspath(isk.build_dir_from_argv())
s = isk.Suite("package.deb")
make_deb = os.path.join(isk.REPO, "packaging", "make-deb")


def sh(*cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def project_version():
    m = re.search(r"project\(isakmpstate VERSION ([0-9.]+)", open(os.path.join(isk.REPO, "CMakeLists.txt")).read())
    return m.group(1)


tmp = tempfile.mkdtemp(prefix="isk-deb-")
try:
    # A folder that is not a configured build: refused, nothing written.
    empty = os.path.join(tmp, "empty")
    os.mkdir(empty)
    p = sh(make_deb, "--build", empty, "--out", empty)
    s.check(p.returncode != 0 and not glob.glob(empty + "/*.deb"), "make-deb on an unconfigured folder must fail")

    out = os.path.join(tmp, "out")
    p = sh(make_deb, "--build", build, "--out", out)
    if not s.check(p.returncode == 0, f"make-deb failed: {p.stderr[-2000:]}"):
        s.done()
    arch = sh("dpkg", "--print-architecture").stdout.strip()
    version = project_version()
    debs = glob.glob(out + "/*.deb")
    s.eq([os.path.basename(d) for d in debs], [f"wireshark-plugin-isakmpstate_{version}_{arch}.deb"], "package file")
    deb = debs[0]
    s.eq(p.stdout.strip().splitlines()[-1], deb, "path printed last")
    s.eq(sorted(os.listdir(out)), [os.path.basename(deb)], "no temporary file left")

    field = lambda f: sh("dpkg-deb", "-f", deb, f).stdout.strip()  # noqa: E731
    s.eq(field("Package"), "wireshark-plugin-isakmpstate", "Package")
    s.eq(field("Version"), version, "Version")
    s.eq(field("Architecture"), arch, "Architecture")
    s.eq(field("Suggests"), "tshark | wireshark", "Suggests")
    s.check(re.fullmatch(r".+ <[^<>@ ]+@[^<>@ ]+>", field("Maintainer")), "Maintainer: " + field("Maintainer"))
    s.check(field("Installed-Size").isdigit(), "Installed-Size")
    # The libwireshark package the plugin really links (its NEEDED entry,
    # resolved by the dynamic linker, owner from dpkg), pinned to the
    # Wireshark minor version of the build (build/plugins/<X.Y>).
    ws = os.listdir(os.path.join(build, "plugins"))
    s.eq(len(ws), 1, "one Wireshark version folder in the build")
    major, minor = ws[0].split(".")
    so = os.path.join(build, "plugins", ws[0], "epan", "isakmpstate.so")
    needed = re.search(r"\[(libwireshark\.so\.\d+)\]", sh("readelf", "-d", so).stdout).group(1)
    libpath = re.search(re.escape(needed) + r" => (\S+)", sh("ldd", so).stdout).group(1)
    libpkg = sh("dpkg-query", "-S", os.path.realpath(libpath)).stdout.split(":")[0]
    deps = [d.strip() for d in field("Depends").split(",")]
    s.check(f"{libpkg} (>= {major}.{minor})" in deps, f"Depends {deps} lacks {libpkg} (>= {major}.{minor})")
    s.check(f"{libpkg} (<< {major}.{int(minor) + 1}~)" in deps, f"Depends {deps} lacks the upper bound")
    s.check(not any(d.startswith(libpkg + " (>= 2") for d in deps), "the loose shlibs bound on libwireshark is replaced")
    s.check("python3" in deps and any(d.startswith("libc6") for d in deps), f"Depends {deps}: python3, libc6")

    # The file list: plugin where pkg-config's wireshark.pc says, modes, owners.
    plugindir = sh("pkg-config", "--variable=plugindir", "wireshark").stdout.strip().lstrip("/")
    listing = {}
    for line in sh("dpkg-deb", "-c", deb).stdout.splitlines():
        cols = line.split()
        listing[cols[5].lstrip("./").rstrip("/")] = (cols[0], cols[1])
    doc = "usr/share/doc/wireshark-plugin-isakmpstate/"
    want = {
        f"{plugindir}/epan/isakmpstate.so": "-rw-r--r--",
        "usr/bin/isakmpstate-annotate": "-rwxr-xr-x",
        doc + "copyright": "-rw-r--r--",
        doc + "changelog.gz": "-rw-r--r--",
        doc + "install.md": "-rw-r--r--",
        "usr/share/man/man1/isakmpstate-annotate.1.gz": "-rw-r--r--",
        "usr/share/wireshark/profiles/isakmpstate/colorfilters": "-rw-r--r--",
        "usr/share/wireshark/profiles/isakmpstate/dfilter_buttons": "-rw-r--r--",
    }
    for path, mode in want.items():
        s.eq(listing.get(path, ("missing",))[0], mode, path)
    s.eq(sorted({p.split("/")[0] for p in listing if p}), ["usr"], "top-level folders")
    s.eq(sorted({o for _, o in listing.values()}), ["root/root"], "owners")
    s.check(all(m[0] == "d" and m == "drwxr-xr-x" or m[0] == "-" and m in ("-rw-r--r--", "-rwxr-xr-x")
                for m, _ in listing.values()), "modes 0755/0644 only")

    x = os.path.join(tmp, "x")
    s.eq(sh("dpkg-deb", "-x", deb, x).returncode, 0, "dpkg-deb -x")
    copyright_text = open(os.path.join(x, doc, "copyright")).read()
    s.check("License: GPL-2.0-or-later" in copyright_text and "/usr/share/common-licenses/GPL-2" in copyright_text,
            "copyright: GPL-2.0-or-later, pointing at common-licenses")
    s.eq(open(os.path.join(x, "usr/bin/isakmpstate-annotate")).readline().strip(), "#!/usr/bin/python3", "shebang")
    s.check(sh("file", "-b", os.path.join(x, plugindir, "epan/isakmpstate.so")).stdout.find("not stripped") < 0
            if shutil.which("file") else True, "plugin stripped")

    # The unpacked plugin in tshark: isk.TShark takes DIR/plugins, copies it
    # where 'nobody' can read it and checks -G plugins loads that copy.
    ts = isk.TShark(os.path.join(x, os.path.dirname(os.path.dirname(plugindir))))
    s.eq(ts.version, version, "version tshark -G plugins gives for the unpacked plugin")
    # am-psk-mismatch: the cause written from the daemons' logs (expected.json).
    exp = isk.load_json(os.path.join(isk.SAMPLES, "am-psk-mismatch.expected.json"))["sas"][0]["cause_without_keys"]
    rows = ts.fields(os.path.join(isk.SAMPLES, "am-psk-mismatch.pcapng"), ["isakmpstate.cause"], two_pass=True)
    s.check(rows and all(r["isakmpstate.cause"] == exp for r in rows.values()),
            f"isakmpstate.cause from the unpacked plugin: {sorted(set(r['isakmpstate.cause'] for r in rows.values()))}, want {exp}")

    # The same sources give the same bytes (dates from the changelog entry).
    again = os.path.join(tmp, "again")
    sh(make_deb, "--build", build, "--out", again)
    s.check(open(deb, "rb").read() == open(glob.glob(again + "/*.deb")[0], "rb").read(), "package is reproducible")

    if shutil.which("lintian"):
        tags = [t for t in sh("lintian", deb).stdout.splitlines() if t[:2] in ("E:", "W:")]
        s.eq(tags, [], "lintian errors and warnings")
    else:
        print("package.deb: lintian not installed, not run")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
s.done()
