#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check-versions.sh - compile the Wireshark glue against the headers of
# Wireshark 4.4 (Debian trixie) and 4.6 (Debian sid), besides the installed
# 4.0, with -Werror. A separate command, not part of CI: it downloads the
# -dev packages of other Debian releases with a private apt setup (the
# system's apt configuration is not touched) and unpacks them under a
# temporary folder. Usage: tests/compat/check-versions.sh
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/apt/etc" "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/dl"
cat > "$work/apt/etc/sources.list" <<SRC
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main
SRC
apt_opts=(-o Dir::Etc::SourceList="$work/apt/etc/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o Dir::State::Lists="$work/apt/lists" -o Dir::Cache="$work/apt/cache" -o APT::Get::List-Cleanup=0)
apt-get "${apt_opts[@]}" update -qq
"$top/tests/bootstrap.sh" >/dev/null 2>&1 || true  # for build/plugin/config_isakmpstate.h
glib=$(pkg-config --cflags glib-2.0)
fail=0
check() { # version, include dir
  for f in $(cd "$top/plugin/epan" && ls *.c); do
    if ! gcc -std=c11 -fsyntax-only -Wall -Wextra -Werror -DWS_BUILD_DLL -I"$top/build/plugin" \
         -I"$top/plugin/epan" -I"$top/plugin/core" -I"$2" $glib "$top/plugin/epan/$f"; then
      echo "FAIL: $f against Wireshark $1"; fail=1
    fi
  done
  echo "checked Wireshark $1"
}
check 4.0 /usr/include/wireshark
for spec in "4.4:libwireshark-dev=4.4.*" "4.6:libwireshark-dev=4.6.*"; do
  v=${spec%%:*}; pkgs=(); 
  ver=$(apt-cache "${apt_opts[@]}" madison libwireshark-dev | awk -v v="$v" '$3 ~ "^"v"\\." {print $3; exit}')
  [ -n "$ver" ] || { echo "no libwireshark-dev $v in trixie/sid: skipped"; continue; }
  (cd "$work/dl" && for p in libwireshark-dev libwiretap-dev libwsutil-dev; do
     apt-get "${apt_opts[@]}" download -qq "$p=$ver" 2>/dev/null || true; done)
  dest="$work/ws-$v"; mkdir -p "$dest"
  for d in "$work"/dl/*"$ver"*.deb; do dpkg-deb -x "$d" "$dest"; done
  check "$v" "$dest/usr/include/wireshark"
  # Where that version loads system plugins from (docs/install.md).
  pc=$(find "$dest" -name wireshark.pc | head -n1)
  [ -n "$pc" ] && echo "Wireshark $v plugindir: $(pkg-config --variable=plugindir "$pc")"
done
exit $fail
