#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# sanitize.sh - build isakmpstate with AddressSanitizer + UndefinedBehavior-
# Sanitizer (-DISAKMPSTATE_SANITIZE=ON) into build-asan/ and run the whole
# CTest suite against it, with the system tshark (not instrumented) loading
# the instrumented plugin.
#
#   tests/fuzz/sanitize.sh                 # build-asan/, every test
#   tests/fuzz/sanitize.sh -R fuzz         # extra arguments go to ctest
#   ISAKMPSTATE_BUILD=/tmp/b tests/fuzz/sanitize.sh
#
# How the plugin runs under the sanitizers:
#  - LD_PRELOAD: the ASan runtime must be the first library of the process;
#    tshark does not link it, so it is preloaded (libubsan with it).
#  - abort_on_error=1 / halt_on_error=1, and the build's
#    -fno-sanitize-recover=undefined: any report kills tshark with SIGABRT,
#    which every test sees as a non-zero exit status.
#  - detect_leaks=1: LeakSanitizer reports only unreachable blocks; tshark
#    4.0, GLib and libwireshark keep their global allocations reachable
#    until exit and produce no report on any test of this suite, so a leak
#    report means a block lost for good, and is a failure too.
#    ISAKMPSTATE_LSAN=0 turns it off (e.g. if another Wireshark version
#    does leak by itself).
#  - nodlclose.c, preloaded too: Wireshark unloads plugins before exit,
#    when LeakSanitizer looks; kept mapped, our frames are symbolized.
#
# Only tshark gets the preload. With the ASan runtime preloaded, Debian 12's
# editcap, capinfos, mergecap and the androiddump extcap never exit: p11-kit's
# constructor leaves glibc's setlocale lock corrupt (seen in gdb: newlocale()
# from libp11-kit's init, readers count 0 -> 0xfffffff9) and its destructor
# then waits on it in freelocale() forever. Tests call those tools, and
# `tshark -G plugins` (isk.py's proof of which module is loaded) runs every
# extcap. So, as root, the suite runs in a private mount namespace
# (unshare -m: nothing changes outside it) where
#  - /usr/bin/tshark is a wrapper that adds LD_PRELOAD, ASAN_OPTIONS and
#    UBSAN_OPTIONS and runs the real tshark; every other program runs as is;
#  - an empty tmpfs hides the extcap folder.
# Not root: LD_PRELOAD goes to the whole ctest (isk.py forwards it) and tests
# that run editcap/capinfos or the extcaps will hang (a warning says so).
# tests/fuzz's own scripts do not need this (fuzzlib.FuzzTShark gives the
# preload to tshark only and sets WIRESHARK_EXTCAP_DIR).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

if [ "${1:-}" = "--in-namespace" ]; then
  # Second half, inside the private mount namespace: $ISK_SAN_DIR holds the
  # wrapper and the options; then ctest with the remaining arguments.
  shift
  real=$(readlink -f "$(command -v tshark)")
  : >"$ISK_SAN_DIR/tshark.real"
  mount --bind "$real" "$ISK_SAN_DIR/tshark.real"
  mount --bind "$ISK_SAN_DIR/tshark" "$real"
  [ -n "${ISK_SAN_EXTCAP:-}" ] && mount -t tmpfs -o ro,mode=755,size=4k none "$ISK_SAN_EXTCAP"
  cd "$ISAKMPSTATE_BUILD"
  exec ctest --output-on-failure -j"$(nproc)" "$@"
fi

export ISAKMPSTATE_BUILD=${ISAKMPSTATE_BUILD:-$top/build-asan}
export ISAKMPSTATE_CMAKE_ARGS="-DISAKMPSTATE_SANITIZE=ON ${ISAKMPSTATE_CMAKE_ARGS:-}"
"$top/tests/bootstrap.sh"

cc=${CC:-gcc}
asan=$(readlink -f "$("$cc" -print-file-name=libasan.so)")
ubsan=$(readlink -f "$("$cc" -print-file-name=libubsan.so)")
[ -f "$asan" ] || { echo "sanitize.sh: no libasan.so for $cc (apt-get install gcc)" >&2; exit 1; }
dir=$(mktemp -d /tmp/isakmpstate-asan-XXXXXX)
trap 'rm -rf "$dir"' EXIT
chmod 755 "$dir"  # tshark runs as nobody
preload="$asan${ubsan:+:$ubsan}"
if "$cc" -shared -fPIC -O2 -o "$dir/nodlclose.so" "$top/tests/fuzz/nodlclose.c"; then
  chmod 755 "$dir/nodlclose.so"
  preload="$preload:$dir/nodlclose.so"
fi
asan_options="detect_leaks=${ISAKMPSTATE_LSAN:-1}:abort_on_error=1:halt_on_error=1:symbolize=1:allocator_may_return_null=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
ubsan_options="print_stacktrace=1:halt_on_error=1:abort_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
echo "sanitize.sh: $ISAKMPSTATE_BUILD; tshark gets LD_PRELOAD=$preload" >&2
echo "sanitize.sh: ASAN_OPTIONS=$asan_options UBSAN_OPTIONS=$ubsan_options" >&2
extcap=$(find /usr/lib /usr/local/lib -maxdepth 4 -type d -path '*/wireshark/extcap' 2>/dev/null | head -n1 || true)

start=$(date +%s)
set +e
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
  cat >"$dir/tshark" <<EOF
#!/bin/sh
# tshark under ASan/UBSan (tests/fuzz/sanitize.sh); the preload of the
# caller wins (tests/fuzz's scripts set their own).
case "\${LD_PRELOAD:-}" in
  *libasan*) ;;
  *) export LD_PRELOAD='$preload' ASAN_OPTIONS='$asan_options' UBSAN_OPTIONS='$ubsan_options' ;;
esac
exec '$dir/tshark.real' "\$@"
EOF
  chmod 755 "$dir/tshark"
  ISK_SAN_DIR=$dir ISK_SAN_EXTCAP=$extcap unshare -m --propagation private -- "$0" --in-namespace "$@"
  rc=$?
else
  echo "sanitize.sh: not root (or no unshare): LD_PRELOAD for the whole ctest; tests running editcap," \
       "capinfos or the extcaps (tshark -G plugins) may hang" >&2
  cd "$ISAKMPSTATE_BUILD"
  env LD_PRELOAD="$preload" ASAN_OPTIONS="detect_leaks=0:$asan_options:detect_leaks=0" \
      UBSAN_OPTIONS="$ubsan_options" ctest --output-on-failure -j"$(nproc)" "$@"
  rc=$?
fi
echo "sanitize.sh: ctest exit status $rc after $(( $(date +%s) - start ))s (ASan+UBSan build in $ISAKMPSTATE_BUILD)" >&2
exit $rc
