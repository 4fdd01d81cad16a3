#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The main job on the bundled sample captures: install, build, then
#  1. show each packet's message and both sides' states, and the per-SA
#     verdicts (show.py), capture by capture;
#  2. annotate every capture (tools/isakmpstate-annotate): a copy with the
#     states and verdicts as packet comments, report.json, report.csv and a
#     summary, in build/annotated/; the summary is printed last.
# usage: sample-captures/run.sh [CAPTURE_OR_FOLDER...]   (default: the bundled captures)
# The fresh build's plugin is used through tools/with-build-plugin (as root,
# tshark runs as nobody: Wireshark ignores WIRESHARK_PLUGIN_DIR for root).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ISAKMPSTATE_BUILD:-$top/build}
"$top/tests/bootstrap.sh"

caps=("$@")
if [ ${#caps[@]} -eq 0 ]; then
  shopt -s nullglob
  caps=("$top"/sample-captures/*.pcap "$top"/sample-captures/*.pcapng)
  shopt -u nullglob
  if [ ${#caps[@]} -eq 0 ]; then
    tcpdump=$top/tests/data/tcpdump
    echo "no sample captures in $top/sample-captures - using tcpdump's real IKEv1 captures from $tcpdump"
    caps=("$tcpdump/ISAKMP_sa_setup.pcap" "$tcpdump/isakmp4500.pcap")
  fi
fi

# IKEv1 keys that come with the samples (NAME.keys, lines icookie,key) let
# the plugin read encrypted notifications.
keyargs=()
if [ $# -eq 0 ]; then
  shopt -s nullglob
  keyfiles=("$top"/sample-captures/*.keys)
  shopt -u nullglob
  if [ ${#keyfiles[@]} -gt 0 ]; then
    mkdir -p "$build"
    # IKEv1 lines (icookie,key) and IKEv2 lines (ikev2_decryption_table's 8 fields)
    cat "${keyfiles[@]}" > "$build/sample-captures.keys"
    keyargs=(--keys "$build/sample-captures.keys")
  fi
fi

python3 "$top/sample-captures/show.py" "$build" "${keyargs[@]}" -- "${caps[@]}"

out=$build/annotated
echo
echo "##### Annotating into $out"
status=0
python3 "$top/tools/isakmpstate-annotate" -o "$out" "${keyargs[@]}" \
  --tshark "$(printf '%q --build %q tshark' "$top/tools/with-build-plugin" "$build")" "${caps[@]}" || status=$?
cat <<EOF

The annotated captures open in any Wireshark, plugin or not: the states and verdicts are
packet comments (Statistics > Capture File Properties lists them all). Filter with
  frame.comment contains "isakmpstate: verdict"      (where each negotiation stops, and why)
The per-SA records are in $out/report.json and report.csv (schema: tools/README.md).
EOF
exit $status
