#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The main job on the bundled sample captures: install, build, then show
# each packet's message and both sides' states, and the per-SA verdicts.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$top/tests/bootstrap.sh"
exec python3 "$top/sample-captures/show.py" "${ISAKMPSTATE_BUILD:-$top/build}" "$@"
