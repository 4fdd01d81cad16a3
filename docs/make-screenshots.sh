#!/bin/sh
# Regenerates the screenshots in docs/ from the freshly built module, in a
# real Wireshark (Qt) on a virtual X display. Run as root from anywhere:
#
#   ./docs/make-screenshots.sh            # all screenshots
#   KEEP=1 ./docs/make-screenshots.sh     # keep the temporary folder (raw shots, logs)
#   ONLY=gui-actions ./docs/make-screenshots.sh   # only the Tools > isakmpstate shots
#
# What it does: installs wireshark-qt, xvfb, xdotool and imagemagick if
# missing; copies build/plugins, the isakmpstate profile and the captures into
# a private temporary folder; starts Xvfb; runs Wireshark as "nobody"
# (Wireshark ignores WIRESHARK_PLUGIN_DIR and personal folders when run as
# root) once per screenshot, drives it with xdotool, and takes the picture
# with ImageMagick's import. Everything it starts is stopped by PID and the
# folder is removed at the end. Needs build/plugins/4.0/epan/isakmpstate.so
# (./tests/bootstrap.sh).
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)
DOCS=$REPO/docs
TCPDUMP=${TCPDUMP_CAPTURES:-/work/shared/captures/tcpdump}
W=1600 H=1200 WIDE=1920   # the screen is WIDE x H; most shots use a W x H main window

[ "$(id -u)" = 0 ] || { echo "run me as root (I start Wireshark as nobody myself)" >&2; exit 1; }
[ -f "$REPO/build/plugins/4.0/epan/isakmpstate.so" ] || { echo "build first: ./tests/bootstrap.sh" >&2; exit 1; }

need=""
for p in wireshark-qt:/usr/bin/wireshark xvfb:/usr/bin/Xvfb xdotool:/usr/bin/xdotool \
         imagemagick:/usr/bin/import wireshark-common:/usr/bin/mergecap; do
    [ -x "${p#*:}" ] || need="$need ${p%%:*}"
done
if [ -n "$need" ]; then
    echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get install -y $need
fi
CONVERT=/usr/bin/convert   # the real ImageMagick, not a stand-in earlier in PATH

T=$(mktemp -d /tmp/isakmpstate-shots.XXXXXX)
chmod 755 "$T"
XPID="" WPID=""
cleanup() {
    if [ -n "$WPID" ]; then kill "$WPID" 2>/dev/null || true; wait "$WPID" 2>/dev/null || true; fi
    if [ -n "$XPID" ]; then kill "$XPID" 2>/dev/null || true; wait "$XPID" 2>/dev/null || true; fi
    if [ -n "${KEEP:-}" ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---- private copies, readable by nobody ----------------------------------
PROF=$T/home/.config/wireshark/profiles/isakmpstate
mkdir -p "$T/plugins" "$T/caps" "$T/raw" "$PROF" "$T/home/run"
cp -r "$REPO/build/plugins/." "$T/plugins/"
cp "$REPO/fields/profile/isakmpstate/"* "$PROF/"
# as `cmake --install` does: the profile's coloring rules, then Wireshark's
# default ones (a profile's colorfilters file replaces the defaults otherwise)
cmake -DOURS="$REPO/fields/profile/isakmpstate/colorfilters" \
      -DDEFAULTS=/usr/share/wireshark/colorfilters -DOUT="$PROF/colorfilters" \
      -P "$REPO/fields/profile/merge-colorfilters.cmake"
cp "$TCPDUMP/isakmp4500.pcap" "$TCPDUMP/ISAKMP_sa_setup.pcap" "$T/caps/"

# Failure capture: the lab's main-mode pre-shared key mismatch (strongSwan
# on both sides; the initiator left in MM_WAIT_MSG6), or FAILCAP_FILE=path.
FAIL=${FAILCAP_FILE:-$REPO/sample-captures/psk-mismatch-mm.pcapng}
[ -f "$FAIL" ] || { echo "no failure capture $FAIL" >&2; exit 1; }
FAILCAP=$(basename "$FAIL"); cp "$FAIL" "$T/caps/$FAILCAP"
# the statistics table: the success of isakmp4500.pcap and the failure in one file
mergecap -w "$T/caps/isakmp4500-and-failure.pcapng" "$T/caps/isakmp4500.pcap" "$T/caps/$FAILCAP"
# IKEv2 lab captures (v2-auth-failed.keys: see withkeys below)
for c in v2-nat-t-blocked v2-auth-failed v2-ok-sw-sw; do
    cp "$REPO/sample-captures/$c.pcapng" "$T/caps/"
done
# Expert Information: success, authentication failure, NAT-T blocked (one
# file after the other)
mergecap -a -w "$T/caps/ikev2-ok-auth-failed-nat-t-blocked.pcapng" "$T/caps/v2-ok-sw-sw.pcapng" \
    "$T/caps/v2-auth-failed.pcapng" "$T/caps/v2-nat-t-blocked.pcapng"
chown -R nobody:nogroup "$T/home"
chmod -R a+rX "$T/plugins" "$T/caps"
echo "failure capture: $FAILCAP"

# ---- X display -------------------------------------------------------------
D=99
while [ -e /tmp/.X11-unix/X$D ] || [ -e /tmp/.X$D-lock ]; do D=$((D - 1)); done
Xvfb :$D -screen 0 ${WIDE}x${H}x24 -ac -nolisten tcp >"$T/xvfb.log" 2>&1 &
XPID=$!
export DISPLAY=:$D
i=0; until xdotool getmouselocation >/dev/null 2>&1; do i=$((i + 1)); [ $i -lt 50 ] || exit 1; sleep 0.2; done

# ---- helpers -----------------------------------------------------------------
# ws WIDTH UPPER_PANE ARGS...: start Wireshark as nobody with the isakmpstate
# profile, main window WIDTH x H at 0,0, packet list pane UPPER_PANE pixels.
# The view settings (recent files) are for the screenshots only: no bytes
# pane, no packet diagram; the shipped profile files are used as they are.
ws() {
    width=$1 upper=$2; shift 2
    printf '%s\n' "gui.geometry_main_x: 0" "gui.geometry_main_y: 0" \
        "gui.geometry_main_width: $width" "gui.geometry_main_height: $H" \
        "gui.geometry_main_maximized: FALSE" "gui.last_used_profile: isakmpstate" \
        "privs.warn_if_elevated: FALSE" > "$T/home/.config/wireshark/recent_common"
    { cat "$REPO/fields/profile/isakmpstate/recent"   # the shipped column widths
      printf '%s\n' "gui.byte_view_show: FALSE" "gui.packet_diagram_show: FALSE" \
        "gui.geometry_main_upper_pane: $upper"; } > "$PROF/recent"
    chown nobody:nogroup "$T/home/.config/wireshark/recent_common" "$PROF/recent"
    setpriv --reuid=nobody --regid=nogroup --clear-groups \
        env -i HOME="$T/home" USER=nobody DISPLAY="$DISPLAY" PATH=/usr/bin:/bin LANG=C.UTF-8 \
        XDG_RUNTIME_DIR="$T/home/run" WIRESHARK_PLUGIN_DIR="$T/plugins" \
        wireshark -C isakmpstate "$@" >>"$T/wireshark.log" 2>&1 &
    WPID=$!
}
# waitwin NAME: the id of the first window whose name matches NAME (30 s at most)
waitwin() {
    i=0
    while :; do
        id=$(xdotool search --name "$1" 2>/dev/null | head -1) || true
        if [ -n "$id" ]; then echo "$id"; return 0; fi
        i=$((i + 1)); [ $i -lt 150 ] || { echo "no window '$1'" >&2; return 1; }
        sleep 0.2
    done
}
# withkeys KEYFILE CMD ARGS...: run CMD ARGS... -o uat:ikev2_decryption_table:LINE
# for each line of KEYFILE (one IKE SA per line, exactly the UAT record)
withkeys() {
    k=$1; shift
    while IFS= read -r line; do
        [ -z "$line" ] || set -- "$@" -o "uat:ikev2_decryption_table:$line"
    done < "$k"
    "$@"
}
stopws() { kill "$WPID" 2>/dev/null || true; wait "$WPID" 2>/dev/null || true; WPID=""; sleep 0.5; }
click() { xdotool mousemove "$1" "$2" click "${3:-1}"; sleep 0.4; }
clickw() { xdotool mousemove --window "$1" "$2" "$3" click "${4:-1}"; sleep 0.4; }  # relative to a window
park() { xdotool mousemove $((WIDE - 5)) $((H - 5)); sleep 0.5; }   # no hover highlight
activate() { click 700 $((H - 10)); }   # a click on the status bar gives the main window the keyboard
shot() { import -window root "$T/raw/$1.png"; }
# out NAME GEOMETRY: crop the raw shot NAME to GEOMETRY (WxH+X+Y) into docs/NAME.png
out() {
    "$CONVERT" "$T/raw/$1.png" -crop "$2" +repage -strip -define png:compression-level=9 "$DOCS/$1.png"
    if [ "$(stat -c %s "$DOCS/$1.png")" -gt 300000 ]; then
        "$CONVERT" "$DOCS/$1.png" -colors 256 -define png:compression-level=9 "PNG8:$DOCS/$1.png"
    fi
    echo "docs/$1.png $(stat -c %s "$DOCS/$1.png") bytes"
}

# ---- 0. Tools > isakmpstate: the GUI actions (ike_gui_actions.c) ----------
# The merged capture (isakmp4500's success is SA 1, the failure SA 2); -J
# selects the failed SA's first packet. Tools is the 9th menu; isakmpstate is
# its 4th item (after Firewall ACL Rules, Credentials, Lua); Right opens it.
toolsmenu() {  # ITEM (1-based in Tools > isakmpstate) [OPEN_ONLY]
    activate; click 535 10; xdotool key Down Down Down Down Right; sleep 0.6
    k=1; while [ $k -lt "$1" ]; do xdotool key Down; k=$((k + 1)); done
    [ -n "${2:-}" ] || { xdotool key Return; sleep 2; }
}
guiactions() {
    ws $W 500 -r "$T/caps/isakmp4500-and-failure.pcapng" -J 'isakmpstate.failed == 1'
    waitwin '^isakmp4500-and-failure.pcapng$' >/dev/null; sleep 4
    toolsmenu 1 open; shot gui-actions-menu; xdotool key Escape Escape; sleep 0.5
    out gui-actions-menu "1100x240+400+0"
    toolsmenu 1; park; shot gui-actions-show-sa      # filter isakmpstate.sa == 2
    out gui-actions-show-sa "${W}x330+0+0"
    toolsmenu 2; park; shot gui-actions-goto-stop    # its stop frame selected
    out gui-actions-goto-stop "${W}x330+0+0"
    stopws
}
guiactions
[ "${ONLY:-}" != gui-actions ] || { echo "done: gui-actions only"; exit 0; }

# ---- 1. packet list: state columns and coloring -----------------------------
# View > Resize Columns (Ctrl+Shift+R) after selecting the first packet.
# RESIZE=no keeps the column widths of the profile's recent file.
plist() {  # NAME CAPTURE HEIGHT [WIRESHARK ARGS...]
    n=$1 c=$2 h=$3; shift 3
    ws $WIDE 640 -r "$T/caps/$c" "$@"
    set -- "$n" "$c" "$h"
    waitwin "^$2\$" >/dev/null; sleep 4
    # no selection either then, so that the first row shows its colour
    [ "${RESIZE:-yes}" = no ] || { activate; click 60 120; xdotool key ctrl+shift+r; sleep 1; }
    park; shot "$1"
    out "$1" "${WIDE}x$3+0+0"
    stopws
}
plist packet-list-isakmp4500 isakmp4500.pcap 740
plist packet-list-failure "$FAILCAP" 360
# IKEv2: the profile's own column widths (no View > Resize Columns)
RESIZE=no plist packet-list-ikev2-nat-t-blocked v2-nat-t-blocked.pcapng 300

# ---- 2. packet details: the isakmpstate subtree expanded ---------------------
# -J selects the first packet matching the filter; a click on the first
# details row, End (the last top-level item: isakmpstate is a postdissector),
# Shift+Right (expand it and all its subtrees).
# DW (window width, default W) and UPPER (packet list pane, default 160) for
# trees that need more room.
details() {  # NAME CAPTURE JUMPFILTER HEIGHT [WIRESHARK ARGS...]
    n=$1 c=$2 j=$3 h=$4; shift 4
    dw=${DW:-$W}
    ws "$dw" "${UPPER:-160}" -r "$T/caps/$c" -J "$j" "$@"
    set -- "$n" "$c" "$j" "$h"
    waitwin "^$2\$" >/dev/null; sleep 4
    activate
    click 300 265; xdotool key End; sleep 0.3; xdotool key shift+Right; sleep 1
    # Down: select the first child, so that the subtree's top line shows the
    # colour of its highest expert severity
    xdotool key Down; sleep 0.5
    park; shot "$1"
    out "$1" "${dw}x$4+0+0"
    stopws
}
details packet-details-mm5-isakmp4500 isakmp4500.pcap 'isakmpstate.msg == "MM5"' 1000
details packet-details-verdict-failure "$FAILCAP" 'isakmpstate.stop && isakmpstate.failed == 1' 1120
details packet-details-verdict-ok-isakmp4500 isakmp4500.pcap 'isakmpstate.stop' 1060
# IKEv2 authentication failure, frame 4, decrypted with the lab's keys (the
# verdict is auth-failed; without the keys it would be auth-rejected)
# (the whole window: its tree is longer and wider than the IKEv1 ones)
DW=$WIDE UPPER=110 withkeys "$REPO/sample-captures/v2-auth-failed.keys" \
    details packet-details-ikev2-auth-failed v2-auth-failed.pcapng 'frame.number == 4' $H

# ---- 3. Analyze > Expert Information (-z expert opens it) -------------------
expert() {  # NAME CAPTURE HEIGHT [WIRESHARK ARGS...]
    n=$1 c=$2 h=$3; shift 3
    ws $W 500 -r "$T/caps/$c" -z expert "$@"
    set -- "$n" "$c" "$h"
    dlg=$(waitwin 'Expert Information'); sleep 3
    xdotool windowmove "$dlg" 0 0 windowsize "$dlg" $W "$3"; sleep 1
    # untick "Group by summary" (each entry with its own message; GROUP=yes
    # keeps it: one group per expert info, e.g. per cause), then
    # right-click > Expand All (the last item of the context menu)
    [ "${GROUP:-no}" = yes ] || clickw "$dlg" 208 $(($3 - 55))
    clickw "$dlg" 580 40 3; xdotool key Up Return; sleep 0.5
    # widen the Summary column: drag its right border
    xdotool mousemove --window "$dlg" 541 22 mousedown 1 mousemove --window "$dlg" 900 22 \
        mousemove --window "$dlg" 1270 22 mouseup 1; sleep 0.5
    clickw "$dlg" 60 57; park; shot "$1"   # select the first entry
    out "$1" "${W}x$3+0+0"
    stopws
}
expert expert-info-failure "$FAILCAP" 420
expert expert-info-isakmp4500 isakmp4500.pcap 480
# IKEv2 success, authentication failure (with keys) and NAT-T blocked merged,
# grouped by summary: one group per cause
GROUP=yes withkeys "$REPO/sample-captures/v2-auth-failed.keys" \
    expert expert-info-ikev2 ikev2-ok-auth-failed-nat-t-blocked.pcapng 620

# ---- 4. Statistics: the isakmpstate table (-z isakmpstate,table opens it) ----
stats() {  # NAME CAPTURE
    ws $WIDE 500 -r "$T/caps/$2" -z isakmpstate,table
    dlg=$(waitwin 'ISAKMP negotiations'); sleep 3
    xdotool windowmove "$dlg" 0 560 windowsize "$dlg" $WIDE 260; sleep 1
    clickw "$dlg" 100 40; park; shot "$1"
    out "$1" "${WIDE}x820+0+0"
    stopws
}
stats stats-table-isakmp4500-and-failure isakmp4500-and-failure.pcapng
stats stats-table-ikev2 v2-ok-sw-sw.pcapng

# ---- 5. Statistics > Flow Graph, ISAKMP only ---------------------------------
ws $W 500 -r "$T/caps/isakmp4500.pcap" -Y isakmp
waitwin '^isakmp4500.pcap$' >/dev/null; sleep 4
activate
# Statistics menu; Flow Graph is the 12th item from the bottom (End, Up x11)
click 325 10; xdotool key End Up Up Up Up Up Up Up Up Up Up Up Return
dlg=$(waitwin ' Flow '); sleep 2
xdotool windowmove "$dlg" 0 0 windowsize "$dlg" $W 760; sleep 1
clickw "$dlg" 18 708   # "Limit to display filter"
sleep 2; park; shot flow-graph-isakmp4500
out flow-graph-isakmp4500 "${W}x760+0+0"
stopws

echo "done: $(ls "$DOCS"/*.png | wc -l) screenshots in docs/"
