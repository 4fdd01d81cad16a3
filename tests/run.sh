#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole test suite: install, build, run every CTest (unit and tshark).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$top/tests/bootstrap.sh"
cd "${ISAKMPSTATE_BUILD:-$top/build}"
ctest --output-on-failure -j"$(nproc)" "$@"
