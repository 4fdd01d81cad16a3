#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# isakmpstate capture lab: runs real strongSwan (charon) and libreswan (pluto)
# IKEv1 and IKEv2 (v2-* scenarios) daemons against each other in network
# namespaces, makes them succeed
# and fail, captures the traffic and keeps what each daemon logged.  Output:
# sample-captures/<name>.pcapng, .keys, .initiator.log, .responder.log,
# .expected.json (see sample-captures/README.md).
#
# usage (as root):  sample-captures/lab/run-lab.sh [--list] [SCENARIO...]
#   no SCENARIO: all of them (about 7 minutes on 2 cores, plus about 2 for v2-*).
#   The raw material of each scenario stays in $ISKLAB_WORK (default /tmp/isklab).
#
# Network rules kept by this script: traffic only flows between namespaces it
# creates (isk-i, isk-r, isk-gw, isk-p), over veth pairs, on documentation
# addresses (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32).
# Nothing is added to the root namespace.  Every daemon, capture and client
# runs under `timeout`; daemons are stopped by PID; the namespaces are deleted
# at the end of each scenario and on any exit (trap).
set -uo pipefail

LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$(cd "$LAB/.." && pwd)
W=${ISKLAB_WORK:-/tmp/isklab}
LSW=$W/libreswan-root          # libreswan unpacked here (conflicts with strongSwan)
SHIM=$W/xfrm-sa-shim.so
CHARON=/usr/lib/ipsec/charon
NSES=(isk-i isk-r isk-gw isk-p)
PIDS=()        # daemons and captures started by this script
CAPPIDS=()

die() { echo "run-lab: $*" >&2; exit 1; }
log() { echo "[$(date +%T)] $*"; }

# ---------------------------------------------------------------- checks
preflight() {
  [ "$(id -u)" = 0 ] || die "must run as root (network namespaces, mounts, apt-get)."
  command -v ip >/dev/null || die "needs iproute2 (ip) - apt-get install iproute2"
  command -v unshare >/dev/null || die "needs util-linux unshare"
  if ! ip netns add isk-probe 2>/dev/null; then
    die "cannot create network namespaces (no CONFIG_NET_NS, or not allowed in this container)."
  fi
  ip netns del isk-probe
}

install_deps() {
  local need=() p
  for p in strongswan-charon strongswan-swanctl libcharon-extra-plugins strongswan-pki \
           libstrongswan-standard-plugins libstrongswan-extra-plugins \
           wireshark-common tshark nftables iproute2 gcc libc6-dev python3 \
           iputils-ping libnss3-tools libevent-pthreads-2.1-7 libldns3 libunbound8 libcurl3-nss; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    log "installing from Debian: ${need[*]}"
    apt-get update -q >/dev/null || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null ||
      die "apt-get install ${need[*]} failed"
  fi
  # no system charon may run: this lab starts its own
  if [ ! -x "$LSW/usr/libexec/ipsec/pluto" ]; then
    log "fetching libreswan (apt-get download; it conflicts with strongSwan, so it is unpacked in $LSW)"
    mkdir -p "$W/deb" && rm -f "$W"/deb/libreswan_*.deb
    (cd "$W/deb" && apt-get download libreswan >/dev/null 2>&1) ||
      { apt-get update -q >/dev/null; (cd "$W/deb" && apt-get download libreswan >/dev/null) ||
        die "apt-get download libreswan failed"; }
    rm -rf "$LSW"; dpkg-deb -x "$W"/deb/libreswan_*.deb "$LSW" || die "dpkg-deb -x libreswan failed"
  fi
  if [ ! -f "$SHIM" ] || [ "$LAB/xfrm-sa-shim.c" -nt "$SHIM" ]; then
    gcc -shared -fPIC -O2 -Wall -o "$SHIM" "$LAB/xfrm-sa-shim.c" -ldl || die "cannot build the XFRM shim"
  fi
  SW_VERSION=$($CHARON --version 2>&1 | sed -n 's/.*strongSwan \([0-9.]*\).*/strongSwan \1/p' | head -1)
  LSW_VERSION=$("$LSW/usr/libexec/ipsec/pluto" --version 2>&1 | sed -n 's/^Libreswan \([0-9.]*\).*/libreswan \1/p' | head -1)
  [ -n "$SW_VERSION" ] || SW_VERSION="strongSwan $(dpkg-query -W -f '${Version}' strongswan-charon)"
  [ -n "$LSW_VERSION" ] || LSW_VERSION="libreswan 4.10"
}

# ---------------------------------------------------------------- cleanup
stop_pid() { # pid [signal]
  local p=$1 i
  kill -0 "$p" 2>/dev/null || return 0
  kill -"${2:-TERM}" "$p" 2>/dev/null
  for i in $(seq 1 30); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null
}

cap_stop() {
  local p
  for p in "${CAPPIDS[@]}"; do stop_pid "$p" INT; done
  CAPPIDS=()
}

teardown() {
  local p n
  cap_stop
  for p in "${PIDS[@]}"; do stop_pid "$p"; done
  PIDS=()
  for n in "${NSES[@]}"; do ip netns del "$n" 2>/dev/null; done
  return 0
}

trap teardown EXIT
trap 'echo "interrupted"; exit 130' INT TERM

# ---------------------------------------------------------------- topology
# Normal:  isk-i 192.0.2.1 --- 192.0.2.254 isk-gw 198.51.100.254 --- 198.51.100.2 isk-r
# IPv6:    isk-i 2001:db8:1::1 --- 2001:db8:1::fe isk-gw 2001:db8:2::fe --- 2001:db8:2::2 isk-r
# Peer p (multi-tunnel): isk-p 203.0.113.3 --- 203.0.113.254 isk-gw
I4=192.0.2.1; R4=198.51.100.2; GWR4=198.51.100.254; P4=203.0.113.3
I6=2001:db8:1::1; R6=2001:db8:2::2
TS_I=203.0.113.0/26; TS_R=203.0.113.64/26; TS_P=203.0.113.128/26

nsx() { local n=$1; shift; ip netns exec "$n" "$@"; }

topo() { # [v6] [peer]
  local opt
  teardown
  for n in isk-i isk-r isk-gw; do ip netns add "$n" || die "ip netns add $n failed"; done
  ip link add i0 netns isk-i type veth peer name gw-i netns isk-gw
  ip link add r0 netns isk-r type veth peer name gw-r netns isk-gw
  for n in isk-i isk-r isk-gw; do nsx $n ip link set lo up; done
  nsx isk-i ip addr add $I4/24 dev i0
  nsx isk-gw ip addr add 192.0.2.254/24 dev gw-i
  nsx isk-gw ip addr add $GWR4/24 dev gw-r
  nsx isk-r ip addr add $R4/24 dev r0
  for n in isk-i isk-r isk-gw; do nsx $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; done
  for opt in "$@"; do
    case $opt in
      v6)
        for n in isk-i isk-r isk-gw; do nsx $n sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0; done
        for n in isk-i isk-r isk-gw; do nsx $n sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0; done
        nsx isk-i ip addr add $I6/64 dev i0 nodad
        nsx isk-gw ip addr add 2001:db8:1::fe/64 dev gw-i nodad
        nsx isk-gw ip addr add 2001:db8:2::fe/64 dev gw-r nodad
        nsx isk-r ip addr add $R6/64 dev r0 nodad
        ;;
      peer)
        ip netns add isk-p
        nsx isk-p sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
        ip link add p0 netns isk-p type veth peer name gw-p netns isk-gw
        nsx isk-p ip link set lo up
        nsx isk-p ip addr add $P4/24 dev p0
        nsx isk-gw ip addr add 203.0.113.254/24 dev gw-p
        ;;
    esac
  done
  for l in "isk-i i0" "isk-r r0" "isk-gw gw-i" "isk-gw gw-r" ; do nsx ${l% *} ip link set ${l#* } up; done
  [ -e /var/run/netns/isk-p ] && { nsx isk-p ip link set p0 up; nsx isk-gw ip link set gw-p up; \
    nsx isk-p ip route add 192.0.2.0/24 via 203.0.113.254; nsx isk-p ip route add 198.51.100.0/24 via 203.0.113.254; \
    nsx isk-i ip route add 203.0.113.0/24 via 192.0.2.254; nsx isk-r ip route add 203.0.113.0/24 via $GWR4; }
  nsx isk-i ip route add 198.51.100.0/24 via 192.0.2.254
  nsx isk-r ip route add 192.0.2.0/24 via $GWR4
  nsx isk-gw sysctl -qw net.ipv4.ip_forward=1
  if [[ " $* " == *" v6 "* ]]; then
    nsx isk-gw sysctl -qw net.ipv6.conf.all.forwarding=1
    nsx isk-i ip -6 route add 2001:db8:2::/64 via 2001:db8:1::fe
    nsx isk-r ip -6 route add 2001:db8:1::/64 via 2001:db8:2::fe
  fi
  # sanity: the path works (bounded)
  timeout 5 ip netns exec isk-i ping -c1 -W2 $R4 >/dev/null || die "topology: no path from isk-i to $R4"
}

# nft rules on the router: masquerade (NAT), drops
gw_nft() { nsx isk-gw nft "$@" || die "nft failed: $*"; }
gw_drop() { # udp port: drop it in the router's forward path (both directions)
  nsx isk-gw nft list table inet isklab >/dev/null 2>&1 || {
    gw_nft add table inet isklab
    gw_nft add chain inet isklab fwd_drop '{ type filter hook forward priority 0; }'
  }
  gw_nft add rule inet isklab fwd_drop udp dport "$1" drop
}
nat_on() {
  gw_nft add table ip isknat
  gw_nft add chain ip isknat post '{ type nat hook postrouting priority srcnat; }'
  gw_nft add rule ip isknat post oifname gw-r masquerade
}

# ---------------------------------------------------------------- capture
cap_start() { # ns iface file
  local f=$3
  rm -f "$f"
  timeout 300 ip netns exec "$1" dumpcap -q -i "$2" -f 'udp port 500 or udp port 4500 or esp or icmp' \
    -w "$f" >"$f.dumpcap.log" 2>&1 &
  CAPPIDS+=($!)
  local i; for i in $(seq 1 50); do [ -s "$f" ] && break; sleep 0.1; done
  sleep 0.3
}

# ---------------------------------------------------------------- strongSwan
# sw_conf INST : writes $W/$SCEN/INST/strongswan.conf; swanctl.conf must be
# written by the scenario to $W/$SCEN/INST/swanctl/swanctl.conf
sw_dir() { echo "$SCEN_DIR/$1"; }
sw_prepare() { # inst
  local d; d=$(sw_dir "$1"); mkdir -p "$d/swanctl"/{x509,x509ca,private,rsa,pubkey}
  cat > "$d/strongswan.conf" <<EOF
charon {
  load = random nonce openssl aes sha1 sha2 md5 hmac gmp pem pkcs1 pkcs8 x509 pubkey revocation constraints kdf kernel-netlink socket-default vici attr xauth-generic
  install_routes = no
  retransmit_tries = 3
  retransmit_timeout = 1.0
  retransmit_base = 1.5
  retransmit_jitter = 0
  i_dont_care_about_security_and_use_aggressive_mode_psk = yes
  delete_rekeyed = yes
  plugins {
    vici { socket = unix://$d/charon.vici }
  }
  filelog {
    lab {
      path = $d/charon.log
      time_format = %H:%M:%S
      time_add_ms = yes
      ike_name = yes
      append = no
      flush_line = yes
      default = 1
      ike = 4
      cfg = 2
      net = 1
      enc = 1
      knl = 1
      lib = 1
    }
  }
  syslog { identifier = charon-lab
    daemon { default = -1 }
  }
}
swanctl { }
EOF
}
sw_start() { # inst ns
  local d; d=$(sw_dir "$1")
  timeout 300 ip netns exec "$2" unshare -m --propagation private sh -c \
    "mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF=$d/strongswan.conf LD_PRELOAD=$SHIM XFRM_SHIM_LOG=$d/shim.log $CHARON" \
    >"$d/charon.stdout" 2>&1 &
  PIDS+=($!)
  local i; for i in $(seq 1 50); do [ -S "$d/charon.vici" ] && break; sleep 0.1; done
  [ -S "$d/charon.vici" ] || { cat "$d/charon.stdout" "$d/charon.log" 2>/dev/null | tail; die "charon $1 did not start"; }
  SWANCTL_DIR=$d/swanctl timeout 20 swanctl --load-all --uri "unix://$d/charon.vici" >"$d/swanctl-load.log" 2>&1 ||
    { cat "$d/swanctl-load.log"; die "swanctl --load-all for $1 failed"; }
}
sw_charon_opt() { # inst "key = value" : one more option in the charon section of INST's strongswan.conf
  local d; d=$(sw_dir "$1")
  sed -i "0,/^  install_routes = no\$/s//&\n  $2/" "$d/strongswan.conf"
}
sw_initiate() { # inst child [timeout]  (runs in background)
  local d; d=$(sw_dir "$1")
  timeout 60 swanctl --initiate --child "$2" --timeout "${3:-20}" --uri "unix://$d/charon.vici" >>"$d/swanctl-initiate.log" 2>&1 &
  PIDS+=($!)
}
sw_initiate_ike() { # inst ike [timeout]
  local d; d=$(sw_dir "$1")
  timeout 60 swanctl --initiate --ike "$2" --timeout "${3:-20}" --uri "unix://$d/charon.vici" >>"$d/swanctl-initiate.log" 2>&1 &
  PIDS+=($!)
}
swanctl_do() { # inst args...
  local d; d=$(sw_dir "$1"); shift
  timeout 30 swanctl "$@" --uri "unix://$d/charon.vici" >>"$d/swanctl-cmd.log" 2>&1
}

# ---------------------------------------------------------------- libreswan
lsw_prepare() { # inst  (ipsec.conf and ipsec.secrets written by the scenario)
  local d; d=$(sw_dir "$1"); mkdir -p "$d/run" "$d/ipsec.d" "$d/nss"
  certutil -N -d "sql:$d/nss" --empty-password >/dev/null 2>&1 || die "certutil -N failed (libnss3-tools)"
}
lsw_setup_section() { # inst  -> prints the 'config setup' section
  local d; d=$(sw_dir "$1")
  cat <<EOF
config setup
	ikev1-policy=accept
	logfile=$d/pluto.log
	logtime=yes
	logappend=no
	plutodebug=${PLUTODEBUG:-none}
	dumpdir=$d/run
	protostack=xfrm
	uniqueids=no
EOF
}
lsw_start() { # inst ns
  local d; d=$(sw_dir "$1")
  timeout 300 ip netns exec "$2" unshare -m --propagation private sh -c \
    "mount -t tmpfs tmpfs /run && mkdir -p /usr/libexec/ipsec && mount --bind $LSW/usr/libexec/ipsec /usr/libexec/ipsec && \
     exec env LD_PRELOAD=$SHIM XFRM_SHIM_LOG=$d/shim.log $LSW/usr/libexec/ipsec/pluto --nofork \
       --config $d/ipsec.conf --secretsfile $d/ipsec.secrets --nssdir $d/nss --rundir $d/run --ipsecdir $d/ipsec.d \
       --logfile $d/pluto.log" >"$d/pluto.stdout" 2>&1 &
  PIDS+=($!)
  local i; for i in $(seq 1 50); do [ -S "$d/run/pluto.ctl" ] && break; sleep 0.1; done
  [ -S "$d/run/pluto.ctl" ] || { cat "$d/pluto.stdout" "$d/pluto.log" 2>/dev/null | tail; die "pluto $1 did not start"; }
  sleep 0.5
  timeout 20 ip netns exec "$2" unshare -m --propagation private sh -c \
    "mkdir -p /usr/libexec/ipsec && mount --bind $LSW/usr/libexec/ipsec /usr/libexec/ipsec && \
     $LSW/usr/libexec/ipsec/addconn --config $d/ipsec.conf --ctlsocket $d/run/pluto.ctl --autoall" \
    >"$d/addconn.log" 2>&1 || { cat "$d/addconn.log"; die "addconn for $1 failed"; }
  lsw_whack "$1" --listen
}
lsw_whack() { # inst args...
  local d; d=$(sw_dir "$1"); shift
  timeout 30 "$LSW/usr/libexec/ipsec/whack" --ctlsocket "$d/run/pluto.ctl" "$@" >>"$d/whack.log" 2>&1
}
lsw_initiate() { # inst conn
  local d; d=$(sw_dir "$1")
  timeout 60 "$LSW/usr/libexec/ipsec/whack" --ctlsocket "$d/run/pluto.ctl" --name "$2" --initiate \
    >>"$d/whack-initiate.log" 2>&1 &
  PIDS+=($!)
}

# ---------------------------------------------------------------- config helpers
# sw_conn INST NAME key=value... ; builds a swanctl connection block from a few knobs
# knobs: local remote lid rid auth(psk|pubkey) ike esp lts rts aggr(yes|no) mode(tunnel) extra_ike extra_child
sw_conn() {
  local inst=$1 name=$2; shift 2
  local -A k=([local]=$I4 [remote]=$R4 [lid]= [rid]= [auth]=psk [ike]=aes128-sha256-modp2048 [esp]=aes128-sha256
              [lts]=$TS_I [rts]=$TS_R [aggr]=no [extra_ike]= [extra_child]= [extra_local]= [extra_remote]=
              [child]=net [rekey]=4h [version]=1)
  local kv
  for kv in "$@"; do k[${kv%%=*}]=${kv#*=}; done
  [ -n "${k[lid]}" ] || k[lid]=${k[local]}
  [ -n "${k[rid]}" ] || k[rid]=${k[remote]}
  cat <<EOF
  ${name} {
    version = ${k[version]}
    aggressive = ${k[aggr]}
    local_addrs = ${k[local]}
    remote_addrs = ${k[remote]}
    proposals = ${k[ike]}
    rekey_time = ${k[rekey]}
    encap = no
    ${k[extra_ike]}
    local { auth = ${k[auth]}
      id = ${k[lid]}
      ${k[extra_local]}
    }
    remote { auth = ${k[auth]}
      id = ${k[rid]}
      ${k[extra_remote]}
    }
    children {
      ${k[child]} {
        local_ts = ${k[lts]}
        remote_ts = ${k[rts]}
        esp_proposals = ${k[esp]}
        mode = tunnel
        start_action = none
        ${k[extra_child]}
      }
    }
  }
EOF
}
sw_write() { # inst "connections-body" "secrets-body" ["pools-body"]
  local d; d=$(sw_dir "$1")
  printf 'connections {\n%s\n}\nsecrets {\n%s\n}\npools {\n%s\n}\n' "$2" "$3" "${4:-}" > "$d/swanctl/swanctl.conf"
}
sw_psk() { # n id1 id2 secret
  printf '  ike-%s {\n    id-1 = %s\n    id-2 = %s\n    secret = "%s"\n  }\n' "$1" "$2" "$3" "$4"
}

# lsw_conn NAME key=value...
lsw_conn() {
  local name=$1; shift
  local -A k=([left]=$I4 [right]=$R4 [leftid]= [rightid]= [authby]=secret [ike]=aes128-sha2_256-modp2048
              [esp]=aes128-sha2_256 [leftsubnet]=$TS_I [rightsubnet]=$TS_R [aggr]=no [pfs]=no [extra]=
              [auto]=add [ikev2]=no)
  local kv
  for kv in "$@"; do k[${kv%%=*}]=${kv#*=}; done
  cat <<EOF
conn ${name}
	ikev2=${k[ikev2]}
	authby=${k[authby]}
	left=${k[left]}
	right=${k[right]}
	leftsubnet=${k[leftsubnet]}
	rightsubnet=${k[rightsubnet]}
	ike=${k[ike]}
	esp=${k[esp]}
	pfs=${k[pfs]}
	aggressive=${k[aggr]}
	retransmit-interval=1000
	retransmit-timeout=8s
	keyingtries=1
	leftupdown=/bin/true
	auto=${k[auto]}
EOF
  [ -n "${k[leftid]}" ] && printf '\tleftid=%s\n' "${k[leftid]}"
  [ -n "${k[rightid]}" ] && printf '\trightid=%s\n' "${k[rightid]}"
  [ -n "${k[extra]}" ] && printf '%b\n' "${k[extra]}"
  return 0
}
lsw_write() { # inst "conns" "secrets"
  local d; d=$(sw_dir "$1")
  { lsw_setup_section "$1"; echo; printf '%s\n' "$2"; } > "$d/ipsec.conf"
  printf '%s\n' "$3" > "$d/ipsec.secrets"; chmod 600 "$d/ipsec.secrets"
}

# ---------------------------------------------------------------- scenario frame
begin() { # name
  SCEN=$1; SCEN_DIR=$W/$1; rm -rf "$SCEN_DIR"; mkdir -p "$SCEN_DIR"
  log "=== $SCEN"
}
# finish NAME INIT_INST RESP_INST CAPFILES... : stop everything, copy results, write expected.json
finish() {
  local spec=$SCEN_DIR/spec.json
  sleep 0.5
  date +%T.%3N > "$SCEN_DIR/cap_end"
  cap_stop
  local p; for p in "${PIDS[@]}"; do stop_pid "$p"; done; PIDS=()
  teardown
  python3 "$LAB/postprocess.py" --work "$SCEN_DIR" --out "$OUT" --spec "$spec" ||
    { echo "!!! $SCEN: postprocess failed"; FAILED+=("$SCEN"); return 1; }
}
spec() { cat > "$SCEN_DIR/spec.json"; }
# IKEv2 scenarios (v2-*): their own spec builder and post-processing
# (postprocess_v2.py), so that nothing of the IKEv1 path changes.
mkspec2() { python3 "$LAB/postprocess_v2.py" --make-spec "$SCEN_DIR/spec.json" "$@"; }
finish2() {
  sleep 0.5
  date +%T.%3N > "$SCEN_DIR/cap_end"
  cap_stop
  local p; for p in "${PIDS[@]}"; do stop_pid "$p"; done; PIDS=()
  teardown
  python3 "$LAB/postprocess_v2.py" --work "$SCEN_DIR" --out "$OUT" --spec "$SCEN_DIR/spec.json" ||
    { echo "!!! $SCEN: postprocess_v2 failed"; FAILED+=("$SCEN"); return 1; }
}
# mkspec key=value... (keys: desc ii ri cap mode n psks cause cnk sentence ev wl p1 qm notes keylog; saN.KEY per SA)
mkspec() { python3 "$LAB/postprocess.py" --make-spec "$SCEN_DIR/spec.json" "$@"; }
wait_log() { # file regex timeout_s : wait until regex appears in file
  local i n=$(( ${3:-10} * 10 ))
  for i in $(seq 1 $n); do grep -Eq "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

wait_count() { # file regex n timeout_s : wait until regex matches n lines of file
  local i t=$(( ${4:-10} * 10 ))
  for i in $(seq 1 $t); do [ "$(grep -Ec "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0; sleep 0.1; done
  return 1
}

# ---------------------------------------------------------------- scenarios
. "$LAB/scenarios.sh"

# ---------------------------------------------------------------- main
ALL=($(declare -F | awk '{print $3}' | sed -n 's/^scn_//p' | tr '_' '-'))
ORDERED=(mm-psk-ok-sw-sw mm-psk-ok-lsw-sw mm-psk-ok-sw-lsw mm-psk-ok-lsw-lsw no-response no-response-lsw
         ike-proposal-mismatch ike-proposal-mismatch-lsw mm1-refused-resend-lsw-sw psk-mismatch-mm psk-mismatch-mm-lsw
         no-psk-for-peer no-conn-for-peer no-conn-for-peer-lsw phase2-proposal-mismatch
         phase2-pfs-mismatch phase2-id-mismatch am-psk-ok am-psk-mismatch natt-ok natt-4500-blocked
         cert-ok cert-untrusted-ca mm-fragmented-sw-sw xauth-ok xauth-bad-password dpd-rekey-delete ipv6-mm-psk-ok multi-tunnel
         v2-ok-sw-sw v2-ok-sw-lsw v2-ok-lsw-sw v2-no-response v2-proposal-mismatch v2-proposal-mismatch-lsw
         v2-ke-retry-ok v2-cookie v2-auth-failed v2-auth-failed-lsw v2-child-proposal-mismatch
         v2-child-ts-unacceptable v2-natt-ok v2-nat-t-blocked v2-peer-dead v2-eap v2-fragmented
         v2-auth-no-response v2-ke-rejected)
want=()
for a in "$@"; do
  case $a in
    --list) printf '%s\n' "${ORDERED[@]}"; exit 0 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) want+=("$a") ;;
  esac
done
[ ${#want[@]} -gt 0 ] || want=("${ORDERED[@]}")
for a in "${want[@]}"; do declare -F "scn_${a//-/_}" >/dev/null || die "unknown scenario $a (--list)"; done

preflight
mkdir -p "$W"
install_deps
export SW_VERSION LSW_VERSION
log "using $SW_VERSION, $LSW_VERSION; work folder $W"
FAILED=()
T0=$(date +%s)
for a in "${want[@]}"; do
  ( trap teardown EXIT; "scn_${a//-/_}" ) || FAILED+=("$a")
  teardown
done
log "done in $(( $(date +%s) - T0 )) s"
if [ ${#FAILED[@]} -gt 0 ]; then echo "FAILED: ${FAILED[*]}"; exit 1; fi
echo "all ${#want[@]} scenarios regenerated"
