#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# memcheck.sh - valgrind memcheck on tshark with the plugin, over the
# tcpdump and sample captures, one and two passes (tests/fuzz/memcheck.py
# says how, and what fails). Builds build/ as tests/run.sh does.
#
#   tests/fuzz/memcheck.sh                  # every capture
#   tests/fuzz/memcheck.sh -j 1 some.pcap   # one capture
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
command -v valgrind >/dev/null 2>&1 || {
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends valgrind >/dev/null
}
"$top/tests/bootstrap.sh"
exec python3 "$top/tests/fuzz/memcheck.py" "${ISAKMPSTATE_BUILD:-$top/build}" "$@"
