#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bootstrap.sh - install what isakmpstate needs on Debian 12 and build it.
# Used by the two commands of README.md and by CI. Idempotent: it installs
# only what is missing and rebuilds only what changed.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ISAKMPSTATE_BUILD:-$top/build}

need=()
command -v tshark >/dev/null 2>&1 || need+=(tshark)
[ -f /usr/lib/x86_64-linux-gnu/wireshark/cmake/WiresharkConfig.cmake ] ||
  [ -n "$(find /usr/lib -name WiresharkConfig.cmake 2>/dev/null | head -n1)" ] || need+=(wireshark-dev libwireshark-dev)
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v make >/dev/null 2>&1 || need+=(make)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v setpriv >/dev/null 2>&1 || need+=(util-linux)
pkg-config --exists glib-2.0 2>/dev/null || need+=(libglib2.0-dev pkg-config)
[ -f /usr/include/gcrypt.h ] || need+=(libgcrypt20-dev)
command -v editcap >/dev/null 2>&1 || need+=(wireshark-common)
# The package test (tests/package): dpkg-shlibdeps and dpkg-parsechangelog.
command -v dpkg-shlibdeps >/dev/null 2>&1 || need+=(dpkg-dev)

if [ ${#need[@]} -gt 0 ]; then
  echo "isakmpstate: installing ${need[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "isakmpstate: need root (or sudo) to install: ${need[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  # Do not ask whether non-root users may capture: no debconf prompt in CI.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo ${ISAKMPSTATE_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
echo "isakmpstate: built $build/plugins" >&2
