# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario definitions for run-lab.sh (sourced).  Each scn_NAME builds the
# topology, writes the daemons' configuration, captures, triggers, waits,
# and writes spec.json (what the scenario is meant to show) for postprocess.py.
PSK=isakmpstate-lab-psk

scn_mm_psk_ok_sw_sw() {
  begin mm-psk-ok-sw-sw
  topo
  sw_prepare ini; sw_prepare res
  sw_write ini "$(sw_conn ini lab)" "$(sw_psk 1 $I4 $R4 $PSK)"
  sw_write res "$(sw_conn res lab local=$R4 remote=$I4 lts=$TS_R rts=$TS_I)" "$(sw_psk 1 $R4 $I4 $PSK)"
  cap_start isk-i i0 "$SCEN_DIR/cap.pcapng"
  sw_start res isk-r; sw_start ini isk-i
  sw_initiate ini net 15
  wait_log "$SCEN_DIR/ini/charon.log" 'CHILD_SA net\{[0-9]+\} established|failed to establish' 15
  sleep 1
  spec <<JSON
{ "description": "strongSwan initiator and strongSwan responder, main mode with a pre-shared key, then one quick mode (ESP tunnel 203.0.113.0/26 <-> 203.0.113.64/26). Everything works.",
  "captures": [{"file": "cap.pcapng", "name": "$SCEN", "capture_point": "initiator"}],
  "initiator": {"impl": "sw", "dir": "ini", "address": "$I4"},
  "responder": {"impl": "sw", "dir": "res", "address": "$R4"},
  "mode": "main", "psks": {"initiator": "$PSK", "responder": "$PSK"}, "n_sas": 1,
  "sa": {"cause": "ok", "cause_without_keys": "ok",
    "cause_sentence": "Main mode completed (MM1-MM6) and the quick mode completed (QM1-QM3): the tunnel is up.",
    "check": {"phase1_complete": true, "qm_outcomes": ["completed"]},
    "evidence": [{"side": "initiator", "re": "IKE_SA lab.1. established between"},
                 {"side": "initiator", "re": "CHILD_SA net.1. established"},
                 {"side": "responder", "re": "CHILD_SA net.1. established"}]}
}
JSON
  finish
}

# generic successful PSK main mode + quick mode between implementations
# ok_pair INIT_IMPL RESP_IMPL
ok_pair() {
  local ii=$1 ri=$2
  topo
  if [ $ri = sw ]; then
    sw_prepare res
    sw_write res "$(sw_conn res lab local=$R4 remote=$I4 lts=$TS_R rts=$TS_I)" "$(sw_psk 1 $R4 $I4 $PSK)"
  else
    lsw_prepare res
    lsw_write res "$(lsw_conn lab left=$R4 right=$I4 leftsubnet=$TS_R rightsubnet=$TS_I)" "$R4 $I4 : PSK \"$PSK\""
  fi
  if [ $ii = sw ]; then
    sw_prepare ini
    sw_write ini "$(sw_conn ini lab)" "$(sw_psk 1 $I4 $R4 $PSK)"
  else
    lsw_prepare ini
    lsw_write ini "$(lsw_conn lab)" "$I4 $R4 : PSK \"$PSK\""
  fi
  cap_start isk-i i0 "$SCEN_DIR/cap.pcapng"
  if [ $ri = sw ]; then sw_start res isk-r; else lsw_start res isk-r; fi
  if [ $ii = sw ]; then
    sw_start ini isk-i; sw_initiate ini net 15
    wait_log "$SCEN_DIR/ini/charon.log" 'CHILD_SA net\{[0-9]+\} established|failed to establish' 15
  else
    lsw_start ini isk-i; lsw_initiate ini lab
    wait_log "$SCEN_DIR/ini/pluto.log" 'IPsec SA established|STATE_QUICK_I2|failed|timeout' 15
  fi
  sleep 2
}
impl_name() { [ $1 = sw ] && echo strongSwan || echo libreswan; }
ev_established() { # side impl
  if [ $2 = sw ]; then
    echo "{\"side\": \"$1\", \"re\": \"IKE_SA lab.1. established between\"}, {\"side\": \"$1\", \"re\": \"CHILD_SA net.1. established\"}"
  else
    echo "{\"side\": \"$1\", \"re\": \"IKE SA established\"}, {\"side\": \"$1\", \"re\": \"IPsec SA established\"}"
  fi
}
ok_spec() { # ii ri
  spec <<JSON
{ "description": "$(impl_name $1) initiator and $(impl_name $2) responder, main mode with a pre-shared key, then one quick mode (ESP tunnel 203.0.113.0/26 <-> 203.0.113.64/26). Everything works.",
  "captures": [{"file": "cap.pcapng", "name": "$SCEN", "capture_point": "initiator"}],
  "initiator": {"impl": "$1", "dir": "ini", "address": "$I4"},
  "responder": {"impl": "$2", "dir": "res", "address": "$R4"},
  "mode": "main", "psks": {"initiator": "$PSK", "responder": "$PSK"}, "n_sas": 1,
  "sa": {"cause": "ok", "cause_without_keys": "ok",
    "cause_sentence": "Main mode completed (MM1-MM6) and the quick mode completed (QM1-QM3): the tunnel is up.",
    "check": {"phase1_complete": true, "qm_outcomes": ["completed"]},
    "evidence": [$(ev_established initiator $1), $(ev_established responder $2)]}
}
JSON
}
scn_mm_psk_ok_lsw_sw() { begin mm-psk-ok-lsw-sw; ok_pair lsw sw; ok_spec lsw sw; finish; }
scn_mm_psk_ok_sw_lsw() { begin mm-psk-ok-sw-lsw; ok_pair sw lsw; ok_spec sw lsw; finish; }
scn_mm_psk_ok_lsw_lsw() { begin mm-psk-ok-lsw-lsw; ok_pair lsw lsw; ok_spec lsw lsw; finish; }

# ------------------------------------------------------------------ helpers
# sw pair with custom knobs: swpair "INI_KNOBS" "RES_KNOBS" INI_PSK RES_PSK [no-res-secret]
sw_pair_conf() {
  sw_prepare ini; sw_prepare res
  local ipsk=${3:-$PSK} rpsk=${4:-$PSK}
  sw_write ini "$(sw_conn ini lab $1)" "$(sw_psk 1 $I4 $R4 "$ipsk")"
  if [ "${5:-}" = no-res-secret ]; then
    sw_write res "$(sw_conn res lab local=$R4 remote=$I4 lts=$TS_R rts=$TS_I $2)" ""
  else
    sw_write res "$(sw_conn res lab local=$R4 remote=$I4 lts=$TS_R rts=$TS_I $2)" "$(sw_psk 1 $R4 $I4 "$rpsk")"
  fi
}
sw_run_pair() { # wait-regex seconds : start responder, initiator, initiate, wait
  cap_start isk-i i0 "$SCEN_DIR/cap.pcapng"
  sw_start res isk-r; sw_start ini isk-i
  sw_initiate ini net 20
  wait_log "$SCEN_DIR/ini/charon.log" "${1:-CHILD_SA net\{[0-9]+\} established|failed to establish|giving up|destroying IKE_SA}" "${2:-20}"
}
CAP_I="cap=cap.pcapng|\$SCEN|initiator"
SWI="ii=sw|ini|$I4"; SWR="ri=sw|res|$R4"; LSWI="ii=lsw|ini|$I4"; LSWR="ri=lsw|res|$R4"

# ------------------------------------------------------------------ 3. no response
scn_no_response() {
  begin no-response
  topo
  gw_drop 500
  sw_pair_conf "" ""
  sw_run_pair 'giving up after|establishing IKE_SA failed|destroying IKE_SA' 20
  sleep 1
  mkspec desc="strongSwan initiator, strongSwan responder behind a router that drops UDP 500 towards it (nftables). MM1 is sent and retransmitted, nothing comes back; the initiator gives up." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" mode=main n=1 "psks=$PSK|$PSK" \
    cause=no-response cnk=no-response p1=false qm= \
    sentence="MM1 was sent four times (1 + 3 retransmissions) and never answered: UDP 500 towards the responder is dropped on the way (the responder logged nothing)." \
    "ev=initiator|sending retransmit 1 of request message ID 0" "ev=initiator|giving up after 3 retransmits" \
    wl="The drop happens on the router: the responder's log shows no packet at all, and the capture cannot tell a filter from a dead peer."
  finish
}

# ------------------------------------------------------------------ 4. phase-1 proposal mismatch
scn_ike_proposal_mismatch() {
  begin ike-proposal-mismatch
  topo
  sw_pair_conf "ike=aes256-sha256-modp2048" "ike=3des-sha1-modp1024"
  sw_run_pair 'NO_PROPOSAL_CHOSEN|giving up|destroying IKE_SA' 20
  sleep 1
  mkspec desc="strongSwan initiator offers only aes256-sha256-modp2048; the strongSwan responder accepts only 3des-sha1-modp1024 and answers MM1 with a clear NO-PROPOSAL-CHOSEN notification." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" mode=main n=1 "psks=$PSK|$PSK" \
    cause=proposal-rejected cnk=proposal-rejected p1=false qm= \
    sentence="The responder found none of the offered phase-1 proposals acceptable and answered MM1 with an unencrypted NO-PROPOSAL-CHOSEN (14) informational." \
    "ev=responder|no acceptable ENCRYPTION_ALGORITHM found" "ev=responder|generating INFORMATIONAL_V1 request .* N\(NO_PROP\)" "ev=initiator|received NO_PROPOSAL_CHOSEN error notify"
  finish
}
scn_ike_proposal_mismatch_lsw() {
  begin ike-proposal-mismatch-lsw
  topo
  sw_prepare ini; lsw_prepare res
  sw_write ini "$(sw_conn ini lab ike=aes256-sha256-modp2048)" "$(sw_psk 1 $I4 $R4 $PSK)"
  lsw_write res "$(lsw_conn lab left=$R4 right=$I4 leftsubnet=$TS_R rightsubnet=$TS_I ike=3des-sha1-modp1536)" "$R4 $I4 : PSK \"$PSK\""
  cap_start isk-i i0 "$SCEN_DIR/cap.pcapng"
  lsw_start res isk-r; sw_start ini isk-i
  sw_initiate ini net 20
  wait_log "$SCEN_DIR/ini/charon.log" 'NO_PROPOSAL_CHOSEN|giving up|destroying IKE_SA' 20
  sleep 1
  mkspec desc="strongSwan initiator offers only aes256-sha256-modp2048; the libreswan responder accepts only 3des-sha1-modp1536 and answers MM1 with a clear NO-PROPOSAL-CHOSEN notification." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$LSWR" mode=main n=1 "psks=$PSK|$PSK" \
    cause=proposal-rejected cnk=proposal-rejected p1=false qm= \
    sentence="The libreswan responder found no acceptable phase-1 transform and answered MM1 with an unencrypted NO-PROPOSAL-CHOSEN (14) informational; the strongSwan initiator stopped at once." \
    "ev=responder|no acceptable Oakley Transform" "ev=responder|sending notification NO_PROPOSAL_CHOSEN" "ev=initiator|received NO_PROPOSAL_CHOSEN error notify"
  finish
}

# libreswan initiator against a strongSwan responder that refuses the proposal:
# pluto ignores the NO-PROPOSAL-CHOSEN and resends MM1 (same cookie) at 1, 2
# and 4 s; charon answers every copy with a new IKE_SA, so a new responder
# cookie each time.  Stopped after the 4th answer, before pluto's 8 s timeout
# (after which it would revive the connection with a new initiator cookie).
scn_mm1_refused_resend_lsw_sw() {
  begin mm1-refused-resend-lsw-sw
  topo
  lsw_prepare ini; sw_prepare res
  lsw_write ini "$(lsw_conn lab ike=aes128-sha2_256-modp2048)" "$I4 $R4 : PSK \"$PSK\""
  sw_write res "$(sw_conn res lab local=$R4 remote=$I4 lts=$TS_R rts=$TS_I ike=3des-sha1-modp1024)" "$(sw_psk 1 $R4 $I4 $PSK)"
  cap_start isk-i i0 "$SCEN_DIR/cap.pcapng"
  sw_start res isk-r; lsw_start ini isk-i
  lsw_initiate ini lab
  wait_log "$SCEN_DIR/ini/pluto.log" '#1: STATE_MAIN_I1: retransmission; will wait 4 seconds' 10
  wait_count "$SCEN_DIR/res/charon.log" 'generating INFORMATIONAL_V1 request .* N\(NO_PROP\)' 4 3
  sleep 1
  mkspec desc="libreswan initiator offers only aes128-sha2_256-modp2048; the strongSwan responder accepts only 3des-sha1-modp1024. It answers MM1 with a clear NO-PROPOSAL-CHOSEN, which libreswan ignores: libreswan resends MM1 (same initiator cookie) after 1, 2 and 4 s, and strongSwan answers each copy with a new NO-PROPOSAL-CHOSEN under a new responder cookie. The capture stops before libreswan's 8 s timeout." \
    "cap=cap.pcapng|$SCEN|initiator" "$LSWI" "$SWR" mode=main n=1 "psks=$PSK|$PSK" \
    cause=proposal-rejected cnk=proposal-rejected p1=false qm= \
    sentence="The strongSwan responder found none of the offered phase-1 proposals acceptable and answered MM1 and each of its three retransmissions with an unencrypted NO-PROPOSAL-CHOSEN (14) informational, each time under a new responder cookie; libreswan ignored the notifications and kept resending MM1." \
    "ev=responder|<1>   no acceptable ENCRYPTION_ALGORITHM found" "ev=responder|<1> generating INFORMATIONAL_V1 request .* N\(NO_PROP\)" \
    "ev=responder|<2> 192.0.2.1 is initiating a Main Mode IKE_SA" "ev=responder|<4> generating INFORMATIONAL_V1 request .* N\(NO_PROP\)" \
    "ev=initiator|#1: sent Main Mode request" "ev=initiator|#1: ignoring informational payload NO_PROPOSAL_CHOSEN" "ev=initiator|#1: STATE_MAIN_I1: retransmission; will wait 4 seconds" \
    wl="The wire shows four responder cookies for one initiator cookie; only the responder's log shows that each belongs to a short-lived IKE_SA that strongSwan created for one copy of MM1 and destroyed right after refusing it (IKE_SA 1 to 4): none of them is a negotiation of its own."
  finish
}

# ------------------------------------------------------------------ 5. PSK mismatch (main mode)
scn_psk_mismatch_mm() {
  begin psk-mismatch-mm
  topo
  sw_pair_conf "" "" "initiator-secret-A1" "responder-secret-B2"
  sw_run_pair 'giving up after|destroying IKE_SA' 25
  sleep 1
  mkspec desc="strongSwan initiator and strongSwan responder configured with different pre-shared keys. The responder cannot decrypt MM5 and answers it with an encrypted PAYLOAD-MALFORMED informational; the initiator retransmits MM5 and gives up." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" mode=main n=1 "psks=initiator-secret-A1|responder-secret-B2" \
    cause=auth-failed cnk=auth-failed p1=false qm= \
    sentence="The responder could not decrypt MM5 because the pre-shared keys differ; it answered each MM5 with an encrypted PAYLOAD-MALFORMED informational and never sent MM6." \
    "ev=responder|decryption failed" "ev=responder|generating INFORMATIONAL_V1 request .* N\(PLD_MAL\)" "ev=initiator|giving up after 3 retransmits" \
    wl="The keys file holds the initiator's key (MM5 decrypts with it); the responder's PAYLOAD-MALFORMED informationals are encrypted under the responder's different key, so they stay unreadable even with the keys: only the responder's log shows the notify type."
  finish
}
scn_psk_mismatch_mm_lsw() {
  begin psk-mismatch-mm-lsw
  topo
  sw_prepare ini; lsw_prepare res
  sw_write ini "$(sw_conn ini lab)" "$(sw_psk 1 $I4 $R4 initiator-secret-A1)"
  lsw_write res "$(lsw_conn lab left=$R4 right=$I4 leftsubnet=$TS_R rightsubnet=$TS_I)" "$R4 $I4 : PSK \"responder-secret-B2\""
  cap_start isk-i i0 "$SCEN_DIR/cap.pcapng"
  lsw_start res isk-r; sw_start ini isk-i
  sw_initiate ini net 20
  wait_log "$SCEN_DIR/ini/charon.log" 'giving up after|destroying IKE_SA' 25
  sleep 1
  mkspec desc="strongSwan initiator and libreswan responder configured with different pre-shared keys. The responder cannot decrypt MM5, sends no notification, and retransmits MM4; MM6 never comes." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$LSWR" mode=main n=1 "psks=initiator-secret-A1|responder-secret-B2" \
    cause=auth-failed cnk=auth-failed p1=false qm= \
    sentence="The libreswan responder could not decrypt MM5 (pre-shared keys differ) and stayed silent apart from MM4 retransmissions; the initiator retransmitted MM5 and gave up without MM6." \
    "ev=responder|probable authentication failure" "ev=responder|timeout exceeded after" "ev=initiator|giving up after 3 retransmits"
  finish
}

# ------------------------------------------------------------------ 6. no PSK / no conn
scn_no_psk_for_peer() {
  begin no-psk-for-peer
  topo
  sw_pair_conf "" "" "$PSK" "" no-res-secret
  sw_run_pair 'giving up after|destroying IKE_SA|INVALID_KE|received .*N\(' 20
  sleep 1
  mkspec desc="strongSwan initiator; the strongSwan responder has a connection for the initiator but no pre-shared key for it. It answers MM3 with a clear notification 17 (INVALID-KEY-INFORMATION; strongSwan logs its IKEv2 name INVALID_KE_PAYLOAD) instead of MM4." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" mode=main n=1 "psks=$PSK|" \
    cause=no-key-exchange-reply cnk=no-key-exchange-reply p1=false qm= \
    sentence="The responder has no pre-shared key for the initiator: it answered MM3 with an unencrypted notification 17 (INVALID-KEY-INFORMATION) instead of MM4." \
    "ev=responder|no shared key found for 198" "ev=responder|generating INFORMATIONAL_V1 request .* N\(INVAL_KE\)" "ev=initiator|received INVALID_KE_PAYLOAD error notify"
  finish
}
scn_no_conn_for_peer() {
  begin no-conn-for-peer
  topo
  sw_pair_conf "" "remote=192.0.2.99 rid=192.0.2.99"
  sw_run_pair 'NO_PROPOSAL_CHOSEN|giving up after|destroying IKE_SA' 20
  sleep 1
  mkspec desc="strongSwan initiator; the strongSwan responder has no connection for the initiator's address (its only connection is for 192.0.2.99) and answers MM1 with NO-PROPOSAL-CHOSEN." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" mode=main n=1 "psks=$PSK|$PSK" \
    cause=proposal-rejected cnk=proposal-rejected p1=false qm= \
    sentence="The responder has no IKE configuration for the initiator's address and answered MM1 with an unencrypted NO-PROPOSAL-CHOSEN (14): on the wire this is indistinguishable from a proposal mismatch." \
    "ev=responder|no IKE config found" "ev=initiator|NO_PROPOSAL_CHOSEN" \
    wl="The notification is the same NO-PROPOSAL-CHOSEN a transform mismatch gives; only the responder's log says that no configuration matched the peer."
  finish
}
scn_no_conn_for_peer_lsw() {
  begin no-conn-for-peer-lsw
  topo
  sw_prepare ini; lsw_prepare res
  sw_write ini "$(sw_conn ini lab)" "$(sw_psk 1 $I4 $R4 $PSK)"
  lsw_write res "$(lsw_conn lab left=$R4 right=192.0.2.99 leftsubnet=$TS_R rightsubnet=$TS_I)" "$R4 192.0.2.99 : PSK \"$PSK\""
  cap_start isk-i i0 "$SCEN_DIR/cap.pcapng"
  lsw_start res isk-r; sw_start ini isk-i
  sw_initiate ini net 20
  wait_log "$SCEN_DIR/ini/charon.log" 'giving up after|destroying IKE_SA' 20
  sleep 1
  mkspec desc="strongSwan initiator; the libreswan responder has no connection for the initiator's address (only one for 192.0.2.99) and silently drops MM1: it looks exactly like an unreachable peer." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$LSWR" mode=main n=1 "psks=$PSK|$PSK" \
    cause=no-response cnk=no-response p1=false qm= \
    sentence="MM1 was never answered: the libreswan responder has no connection for this initiator and drops Main Mode requests from it without a notification." \
    "ev=responder|initial Main Mode message received on|no connection|ignoring" "ev=initiator|giving up after 3 retransmits" \
    wl="The wire shows an unanswered MM1, the same as a dead peer or a UDP 500 filter; only the responder's log shows that it received MM1 and found no connection for the initiator."
  finish
}

# ------------------------------------------------------------------ 7. phase 2 failures
scn_phase2_proposal_mismatch() {
  begin phase2-proposal-mismatch
  topo
  sw_pair_conf "esp=aes256-sha256" "esp=aes128-sha1"
  sw_run_pair 'NO_PROPOSAL_CHOSEN|failed to establish|giving up|received .*N\(|destroying' 20
  sleep 2
  mkspec desc="strongSwan initiator and responder; phase 1 completes, but the quick mode offers only ESP aes256-sha256 while the responder accepts only aes128-sha1: the responder answers QM1 with an encrypted NO-PROPOSAL-CHOSEN informational." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" mode=main n=1 "psks=$PSK|$PSK" \
    cause=phase2-proposal-mismatch cnk=phase2-rejected p1=true qm=rejected \
    sentence="Phase 1 completed; the responder found no acceptable ESP proposal in QM1 and answered with an encrypted informational carrying NO-PROPOSAL-CHOSEN (14)." \
    "ev=responder|no matching proposal found|no acceptable proposal|NO_PROPOSAL_CHOSEN" "ev=initiator|NO_PROPOSAL_CHOSEN" \
    wl="Without the keys the notification is encrypted: the capture only shows that QM1 was answered by an informational instead of QM2."
  finish
}
scn_phase2_pfs_mismatch() {
  begin phase2-pfs-mismatch
  topo
  sw_pair_conf "esp=aes128-sha256-modp2048" "esp=aes128-sha256"
  sw_run_pair 'NO_PROPOSAL_CHOSEN|failed to establish|giving up|received .*N\(|destroying' 20
  sleep 2
  mkspec desc="strongSwan initiator and responder; phase 1 completes, but the initiator requires PFS (modp2048 in quick mode) while the responder's ESP proposal has no DH group: QM1 is rejected with an encrypted NO-PROPOSAL-CHOSEN." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" mode=main n=1 "psks=$PSK|$PSK" \
    cause=phase2-proposal-mismatch cnk=phase2-rejected p1=true qm=rejected \
    sentence="Phase 1 completed; the PFS setting differs (the initiator's QM1 carries a KE payload and a DH group the responder does not accept), so the responder answered with an encrypted NO-PROPOSAL-CHOSEN (14)." \
    "ev=responder|no acceptable KEY_EXCHANGE_METHOD found" "ev=responder|no matching proposal found, sending NO_PROPOSAL_CHOSEN" "ev=initiator|NO_PROPOSAL_CHOSEN" \
    wl="Without the keys the notification is encrypted: the capture only shows that QM1 was answered by an informational instead of QM2."
  finish
}
scn_phase2_id_mismatch() {
  begin phase2-id-mismatch
  topo
  sw_pair_conf "" "lts=203.0.113.192/26"
  sw_run_pair 'INVALID_ID_INFORMATION|failed to establish|giving up|received .*N\(|destroying' 20
  sleep 2
  mkspec desc="strongSwan initiator and responder; phase 1 completes, but the quick mode proposes 203.0.113.0/26 <-> 203.0.113.64/26 while the responder's tunnel is for 203.0.113.192/26: the responder answers QM1 with an encrypted INVALID-ID-INFORMATION." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" mode=main n=1 "psks=$PSK|$PSK" \
    cause=phase2-id-mismatch cnk=phase2-rejected p1=true qm=rejected \
    sentence="Phase 1 completed; the traffic selectors (proxy IDs) in QM1 match no tunnel on the responder, which answered with an encrypted INVALID-ID-INFORMATION (18)." \
    "ev=responder|no matching CHILD_SA config found" "ev=responder|generating INFORMATIONAL_V1 request .* N\(INVAL_ID\)" "ev=initiator|received INVALID_ID_INFORMATION error notify" \
    wl="Without the keys the notification is encrypted: the capture only shows that QM1 was answered by an informational instead of QM2."
  finish
}

# ------------------------------------------------------------------ 8. aggressive mode
scn_am_psk_ok() {
  begin am-psk-ok
  topo
  sw_pair_conf "aggr=yes" "aggr=yes"
  sw_run_pair 'CHILD_SA net\{[0-9]+\} established|failed to establish|giving up|destroying' 20
  sleep 1
  mkspec desc="strongSwan initiator and responder in aggressive mode with a pre-shared key (AM1-AM3), then one quick mode. Everything works." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" mode=aggressive n=1 "psks=$PSK|$PSK" \
    cause=ok cnk=ok p1=true qm=completed \
    sentence="Aggressive mode completed (AM1-AM3) and the quick mode completed (QM1-QM3)." \
    "ev=initiator|IKE_SA lab.1. established between" "ev=initiator|CHILD_SA net.1. established" "ev=responder|CHILD_SA net.1. established"
  finish
}
scn_am_psk_mismatch() {
  begin am-psk-mismatch
  topo
  sw_pair_conf "aggr=yes" "aggr=yes" "initiator-secret-A1" "responder-secret-B2"
  sw_run_pair 'N\(AUTH_FAILED\)|giving up|destroying' 20
  sleep 6
  mkspec desc="strongSwan initiator and responder in aggressive mode with different pre-shared keys. The initiator finds AM2's HASH_R wrong and sends an AUTHENTICATION-FAILED notification instead of AM3." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" mode=aggressive n=1 "psks=initiator-secret-A1|responder-secret-B2" \
    cause=aggressive-auth-failed cnk=aggressive-auth-failed p1=false qm= \
    sentence="AM2's HASH_R did not verify with the initiator's pre-shared key: the initiator sent AUTHENTICATION-FAILED instead of AM3, and the responder waited for AM3." \
    "ev=initiator|calculated HASH does not match HASH payload" "ev=initiator|generating INFORMATIONAL_V1 request .* N\(AUTH_FAILED\)" "ev=responder|sending retransmit 1 of response message ID 0" \
    wl="The AUTHENTICATION-FAILED notification is encrypted (readable with the keys file, which holds the initiator's key); strongSwan's responder ignored it and retransmitted AM2 three times."
  finish
}

# ------------------------------------------------------------------ 9. NAT-T
# isk-i 192.0.2.1 behind the router, which masquerades it as 198.51.100.254
natt_common() { # blocked(yes|no)
  topo; nat_on
  [ "$1" = yes ] && gw_drop 4500
  sw_prepare ini; sw_prepare res
  sw_write ini "$(sw_conn ini lab)" "$(sw_psk 1 $I4 $R4 $PSK)"
  sw_write res "$(sw_conn res lab local=$R4 remote=%any rid=$I4 lts=$TS_R rts=$TS_I)" "$(sw_psk 1 $R4 $I4 $PSK)"
  cap_start isk-i i0 "$SCEN_DIR/cap-i.pcapng"
  cap_start isk-r r0 "$SCEN_DIR/cap-r.pcapng"
  sw_start res isk-r; sw_start ini isk-i
  sw_initiate ini net 20
  wait_log "$SCEN_DIR/ini/charon.log" 'CHILD_SA net\{[0-9]+\} established|giving up after|destroying IKE_SA' 25
  sleep 1
}
scn_natt_ok() {
  begin natt-ok
  natt_common no
  mkspec desc="strongSwan initiator 192.0.2.1 behind a masquerading router (198.51.100.254), strongSwan responder 198.51.100.2. NAT-D in MM3/MM4 shows the NAT, MM5 onwards float to UDP 4500, main mode and quick mode complete." \
    "cap=cap-i.pcapng|natt-ok-init|initiator" "cap=cap-r.pcapng|natt-ok-resp|responder" "$SWI" "$SWR" mode=main n=1 "psks=$PSK|$PSK" nat=yes \
    cause=ok cnk=ok p1=true qm=completed \
    sentence="NAT detected (the initiator is translated to 198.51.100.254); the exchange floated to UDP 4500 at MM5 and both phase 1 and the quick mode completed." \
    "ev=initiator|local host is behind NAT" "ev=initiator|CHILD_SA net.1. established" "ev=responder|remote host is behind NAT" "ev=responder|CHILD_SA net.1. established" \
    notes="Two captures of the same negotiation: natt-ok-init on the initiator's link (before NAT, 192.0.2.1) and natt-ok-resp on the responder's link (after NAT, 198.51.100.254)."
  finish
}
scn_natt_4500_blocked() {
  begin natt-4500-blocked
  natt_common yes
  mkspec desc="strongSwan initiator 192.0.2.1 behind a masquerading router that also drops UDP 4500; strongSwan responder 198.51.100.2. MM1-MM4 pass on UDP 500, NAT is detected, MM5 goes to UDP 4500 and never arrives." \
    "cap=cap-i.pcapng|natt-4500-blocked-init|initiator" "cap=cap-r.pcapng|natt-4500-blocked-resp|responder" "$SWI" "$SWR" mode=main n=1 "psks=$PSK|$PSK" nat=yes \
    cause=nat-t-blocked cnk=nat-t-blocked p1=false qm= \
    sentence="NAT was detected in MM3/MM4, so MM5 moved to UDP 4500, which the router drops: MM5 was retransmitted without answer and the responder never saw it." \
    "ev=initiator|local host is behind NAT" "ev=initiator|sending packet: from 192.0.2.1.4500. to 198.51.100.2.4500" "ev=initiator|giving up after 3 retransmits" "ev=responder|remote host is behind NAT" \
    sa0.wl="Only the initiator's side (natt-4500-blocked-init) shows MM5 retransmitted on UDP 4500; on the responder's side (natt-4500-blocked-resp) MM5 never appears: that capture ends with MM4, with NAT-D showing the NAT, and the initiator apparently silent."
  finish
}

# ------------------------------------------------------------------ 10. certificates
make_pki() { # dir : CA + initiator + responder certs, and a second (untrusted) CA
  local d=$1; mkdir -p "$d"
  ( cd "$d"
    exec 2>>pki.log
    pki --gen --type rsa --size 2048 --outform pem > ca.key
    pki --self --ca --lifetime 30 --in ca.key --dn "C=XX, O=isakmpstate lab, CN=isakmpstate lab CA" --outform pem > ca.crt
    pki --gen --type rsa --size 2048 --outform pem > other-ca.key
    pki --self --ca --lifetime 30 --in other-ca.key --dn "C=XX, O=someone else, CN=untrusted CA" --outform pem > other-ca.crt
    for h in "ini:initiator.lab.example:$I4" "res:responder.lab.example:$R4"; do
      IFS=: read -r n cn ip <<<"$h"
      pki --gen --type rsa --size 2048 --outform pem > $n.key
      pki --pub --in $n.key | pki --issue --cacert ca.crt --cakey ca.key --lifetime 30 \
        --dn "C=XX, O=isakmpstate lab, CN=$cn" --san $cn --san $ip --outform pem > $n.crt
    done ) || die "pki failed"
}
cert_common() { # responder-trusts(ca|other-ca) [extra_ike] [charon option]
  topo
  make_pki "$SCEN_DIR/pki"
  sw_prepare ini; sw_prepare res
  [ -n "${3:-}" ] && { sw_charon_opt ini "$3"; sw_charon_opt res "$3"; }
  local p=$SCEN_DIR/pki
  cp $p/ini.crt "$(sw_dir ini)/swanctl/x509/"; cp $p/ini.key "$(sw_dir ini)/swanctl/private/"; cp $p/ca.crt "$(sw_dir ini)/swanctl/x509ca/"
  cp $p/res.crt "$(sw_dir res)/swanctl/x509/"; cp $p/res.key "$(sw_dir res)/swanctl/private/"; cp $p/$1.crt "$(sw_dir res)/swanctl/x509ca/"
  sw_write ini "$(sw_conn ini lab auth=pubkey lid=initiator.lab.example rid=responder.lab.example extra_local='certs = ini.crt' "extra_ike=${2:-}")" ""
  sw_write res "$(sw_conn res lab auth=pubkey local=$R4 remote=$I4 lts=$TS_R rts=$TS_I lid=responder.lab.example rid=initiator.lab.example extra_local='certs = res.crt' "extra_ike=${2:-}")" ""
  sw_run_pair 'CHILD_SA net\{[0-9]+\} established|giving up after|destroying IKE_SA|AUTH_FAILED|AUTHENTICATION_FAILED' 20
  sleep 2
}
scn_cert_ok() {
  begin cert-ok
  cert_common ca
  mkspec desc="strongSwan initiator and responder authenticate with RSA signatures and X.509 certificates from the same lab CA (made with pki at run time); MM5/MM6 carry the certificates and are sent as IKEv1 fragments. Main mode and quick mode complete." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" mode=main n=1 "psks=|" \
    cause=ok cnk=ok p1=true qm=completed \
    sentence="Main mode with RSA signatures completed (certificates verified against the lab CA) and the quick mode completed." \
    "ev=initiator|IKE_SA lab.1. established between" "ev=initiator|CHILD_SA net.1. established" "ev=responder|authentication of 'initiator.lab.example' with RSA.* successful|CHILD_SA net.1. established"
  finish
}
scn_cert_untrusted_ca() {
  begin cert-untrusted-ca
  cert_common other-ca
  mkspec desc="strongSwan initiator and responder with RSA certificates; the responder trusts only another CA, so it cannot verify the initiator's certificate in MM5 and rejects the authentication." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" mode=main n=1 "psks=|" \
    cause=auth-failed cnk=auth-failed p1=false qm= \
    sentence="The responder found no trusted public key for the initiator (its certificate is signed by a CA the responder does not trust) and answered MM5 with an encrypted AUTHENTICATION-FAILED informational instead of MM6." \
    "ev=responder|no trusted RSA public key found|no issuer certificate found|not trusted" "ev=responder|generating INFORMATIONAL_V1 request .* N\(AUTH_FAILED\)" "ev=initiator|received AUTHENTICATION_FAILED error notify|giving up"
  finish
}

# certificates, fragmentation forced on both sides and 560-byte fragments:
# MM5 and MM6 both go out as several IKEv1 fragments (payload 132)
scn_mm_fragmented_sw_sw() {
  begin mm-fragmented-sw-sw
  cert_common ca "fragmentation = force" "fragment_size = 560"
  mkspec desc="strongSwan initiator and responder authenticate with RSA signatures and X.509 certificates from the same lab CA, with IKEv1 fragmentation forced (fragmentation = force) and charon.fragment_size = 560 on both sides: MM5 and MM6 are each sent as several IKEv1 fragments (payload 132). Main mode and quick mode complete." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" mode=main n=1 "psks=|" \
    cause=ok cnk=ok p1=true qm=completed \
    sentence="Main mode with RSA signatures completed although MM5 and MM6 each arrived in several fragments (both daemons reassembled them), and the quick mode completed." \
    "ev=initiator|splitting IKE message .* into [0-9]+ fragments" "ev=responder|reassembled fragmented IKE message" \
    "ev=responder|splitting IKE message .* into [0-9]+ fragments" "ev=initiator|reassembled fragmented IKE message" \
    "ev=initiator|IKE_SA lab.1. established between" "ev=initiator|CHILD_SA net.1. established" "ev=responder|CHILD_SA net.1. established"
  finish
}

# ------------------------------------------------------------------ 11. XAUTH
xauth_common() { # client-password
  topo
  sw_prepare ini; sw_prepare res
  sw_write res "  xauth {
    version = 1
    local_addrs = $R4
    remote_addrs = $I4
    proposals = aes128-sha256-modp2048
    pools = xpool
    local { auth = psk
      id = $R4 }
    remote { auth = psk
      id = $I4 }
    remote-2 { auth = xauth }
    children { net { local_ts = $TS_R
        esp_proposals = aes128-sha256 } }
  }" "$(sw_psk 1 $R4 $I4 $PSK)
  xauth-1 { id = labuser
    secret = \"lab-xauth-password\" }" "  xpool { addrs = 203.0.113.200/29 }"
  sw_write ini "  lab {
    version = 1
    local_addrs = $I4
    remote_addrs = $R4
    proposals = aes128-sha256-modp2048
    vips = 0.0.0.0
    local { auth = psk
      id = $I4 }
    local-2 { auth = xauth
      xauth_id = labuser }
    remote { auth = psk
      id = $R4 }
    children { net { remote_ts = $TS_R
        esp_proposals = aes128-sha256 } }
  }" "$(sw_psk 1 $I4 $R4 $PSK)
  xauth-1 { id = labuser
    secret = \"$1\" }"
  sw_run_pair 'CHILD_SA net\{[0-9]+\} established|giving up after|destroying IKE_SA|XAuth authentication of .* failed|failed' 20
  sleep 2
}
scn_xauth_ok() {
  begin xauth-ok
  xauth_common lab-xauth-password
  mkspec desc="strongSwan XAUTH client and strongSwan XAUTH/mode-config server: main mode with a pre-shared key, then XAUTH (transaction exchanges: REQUEST, REPLY, SET, ACK), mode-config assigns a virtual IP, then the quick mode." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" mode=main n=1 "psks=$PSK|$PSK" \
    cause=ok cnk=ok p1=true qm=completed \
    sentence="Main mode completed, XAUTH succeeded (status OK), mode-config assigned a virtual IP from 203.0.113.200/29 and the quick mode completed." \
    "ev=responder|XAuth authentication of 'labuser' successful" "ev=initiator|installing new virtual IP|assigned virtual IP|handling INTERNAL_IP4_ADDRESS" "ev=initiator|CHILD_SA net.1. established" \
    notes="XAUTH user labuser, password lab-xauth-password."
  finish
}
scn_xauth_bad_password() {
  begin xauth-bad-password
  xauth_common wrong-password
  mkspec desc="strongSwan XAUTH client with a wrong XAUTH password against a strongSwan XAUTH server: main mode completes, the server answers the client's credentials with XAUTH status FAIL, and no quick mode follows." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" mode=main n=1 "psks=$PSK|$PSK" \
    cause=xauth-failed cnk=xauth-unconfirmed p1=true qm= \
    sentence="Phase 1 completed, but extended authentication failed: the server sent an XAUTH status of FAIL (0) for user labuser and the negotiation went no further." \
    "ev=responder|XAuth authentication of 'labuser' failed" "ev=initiator|XAuth authentication of 'labuser' .myself. failed" \
    wl="All transaction (XAUTH) messages are encrypted: without the keys the capture shows phase 1 complete followed by a few transaction messages and no quick mode, which isakmpstate reads as xauth-unconfirmed (probable XAUTH failure); only with the keys is the XAUTH status FAIL readable." \
    notes="XAUTH user labuser; the server expects lab-xauth-password, the client sent wrong-password."
  finish
}

# ------------------------------------------------------------------ 12. DPD, rekey, delete
scn_dpd_rekey_delete() {
  begin dpd-rekey-delete
  topo
  sw_prepare ini; sw_prepare res
  sw_write ini "$(sw_conn ini lab rekey=8s "extra_ike=dpd_delay = 2s
    rand_time = 0s
    over_time = 4s")" "$(sw_psk 1 $I4 $R4 $PSK)"
  sw_write res "$(sw_conn res lab local=$R4 remote=$I4 lts=$TS_R rts=$TS_I rekey=0s)" "$(sw_psk 1 $R4 $I4 $PSK)"
  cap_start isk-i i0 "$SCEN_DIR/cap.pcapng"
  sw_start res isk-r; sw_start ini isk-i
  sw_initiate ini net 15
  wait_log "$SCEN_DIR/ini/charon.log" 'CHILD_SA net\{[0-9]+\} established' 15
  sleep 5          # DPD R-U-THERE / ACK while idle
  swanctl_do ini --rekey --child net
  # the IKE SA rekeys itself after 8 s (a new main mode); the old one
  # expires 4 s later and is deleted
  wait_log "$SCEN_DIR/ini/charon.log" 'IKE_SA lab.2. established' 10
  wait_log "$SCEN_DIR/ini/charon.log" 'deleting IKE_SA lab.1.' 8
  sleep 1
  swanctl_do ini --terminate --ike-id 2 --timeout 5
  sleep 2
  mkspec desc="strongSwan initiator and responder with short timers: main mode + quick mode; DPD R-U-THERE / R-U-THERE-ACK every 2 s while idle; a forced phase-2 rekey (a second quick mode, then a Delete for the old ESP SAs); a phase-1 rekey after 8 s (a new main mode with new cookies, no quick mode); the old ISAKMP SA is deleted when it expires; finally the initiator deletes the new one." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" mode=main n=2 "psks=$PSK|$PSK" \
    sa0.cause=deleted sa0.cnk=ok sa0.p1=true sa0.qm=completed,completed \
    sa0.sentence="The first IKE SA worked (DPD answered, CHILD SA rekeyed by a second quick mode) and was deleted by the initiator when it expired after being replaced by a new main mode (phase-1 rekey)." \
    "sa0.ev=initiator|IKE_SA lab.1. established between" "sa0.ev=initiator|CHILD_SA net.2. established" "sa0.ev=initiator|deleting IKE_SA lab.1." \
    sa1.cause=deleted sa1.cnk=ok sa1.p1=true sa1.qm= \
    sa1.sentence="The IKE SA that replaced the first one (phase-1 rekey; no quick mode: strongSwan moves the existing CHILD SA over) was deleted by the initiator when the connection was terminated." \
    "sa1.ev=initiator|IKE_SA lab.2. established between" "sa1.ev=initiator|deleting IKE_SA lab.2." \
    wl="DPD messages and Deletes are encrypted informationals: without the keys they cannot be told apart, and both SAs look healthy (ok)."
  finish
}

# ------------------------------------------------------------------ 13. IPv6
scn_ipv6_mm_psk_ok() {
  begin ipv6-mm-psk-ok
  topo v6
  sw_prepare ini; sw_prepare res
  sw_write ini "$(sw_conn ini lab local=$I6 remote=$R6 lts=2001:db8:a::/64 rts=2001:db8:b::/64)" "$(sw_psk 1 $I6 $R6 $PSK)"
  sw_write res "$(sw_conn res lab local=$R6 remote=$I6 lts=2001:db8:b::/64 rts=2001:db8:a::/64)" "$(sw_psk 1 $R6 $I6 $PSK)"
  sw_run_pair 'CHILD_SA net\{[0-9]+\} established|failed to establish|giving up|destroying' 20
  sleep 1
  mkspec desc="strongSwan initiator and responder over IPv6 (2001:db8:1::1 -> 2001:db8:2::2): main mode with a pre-shared key and one quick mode for 2001:db8:a::/64 <-> 2001:db8:b::/64. Everything works." \
    "cap=cap.pcapng|$SCEN|initiator" "ii=sw|ini|$I6" "ri=sw|res|$R6" mode=main n=1 "psks=$PSK|$PSK" \
    cause=ok cnk=ok p1=true qm=completed \
    sentence="Main mode and the quick mode completed over IPv6." \
    "ev=initiator|IKE_SA lab.1. established between" "ev=initiator|CHILD_SA net.1. established" "ev=responder|CHILD_SA net.1. established"
  finish
}

# ------------------------------------------------------------------ 14. several tunnels, two peers
scn_multi_tunnel() {
  begin multi-tunnel
  topo peer
  sw_prepare ini; sw_prepare res; lsw_prepare p2
  # two children (tunnels) in one connection: net and net2
  local second='}
      net2 { local_ts = 192.0.2.128/26
        remote_ts = 198.51.100.128/26
        esp_proposals = aes128-sha256
        start_action = none'
  local second_r='}
      net2 { local_ts = 198.51.100.128/26
        remote_ts = 192.0.2.128/26
        esp_proposals = aes128-sha256
        start_action = none'
  sw_write ini "$(sw_conn ini lab "extra_child=$second")" "$(sw_psk 1 $I4 $R4 $PSK)"
  sw_write res "$(sw_conn res lab local=$R4 remote=$I4 lts=$TS_R rts=$TS_I "extra_child=$second_r")
$(sw_conn res labp local=$R4 remote=$P4 lts=$TS_R rts=$TS_P child=netp)" "$(sw_psk 1 $R4 $I4 $PSK)
$(sw_psk 2 $R4 $P4 second-peer-psk-0001)"
  lsw_write p2 "$(lsw_conn lab left=$P4 right=$R4 leftsubnet=$TS_P rightsubnet=$TS_R)" "$P4 $R4 : PSK \"second-peer-psk-0001\""
  cap_start isk-r r0 "$SCEN_DIR/cap.pcapng"
  sw_start res isk-r; sw_start ini isk-i; lsw_start p2 isk-p
  sw_initiate ini net 15
  wait_log "$SCEN_DIR/ini/charon.log" 'CHILD_SA net\{[0-9]+\} established' 15
  sw_initiate ini net2 15
  wait_log "$SCEN_DIR/ini/charon.log" 'CHILD_SA net2\{[0-9]+\} established' 15
  lsw_initiate p2 lab
  wait_log "$SCEN_DIR/p2/pluto.log" 'IPsec SA established' 15
  sleep 2
  mkspec desc="One strongSwan responder (198.51.100.2) with two peers, captured on its link: the strongSwan peer 192.0.2.1 brings up two tunnels (two quick modes under one main mode), then the libreswan peer 203.0.113.3 brings up its own tunnel (its own main mode and quick mode)." \
    "cap=cap.pcapng|$SCEN|responder" "$SWI" "$SWR" mode=main n=2 "psks=$PSK|$PSK" \
    "xlog=peer2|p2/pluto.log|lsw" \
    sa0.cause=ok sa0.cnk=ok sa0.p1=true sa0.qm=completed,completed \
    sa0.sentence="The strongSwan peer's main mode completed and both of its quick modes (two tunnels between the same hosts) completed." \
    "sa0.ev=initiator|CHILD_SA net.1. established" "sa0.ev=initiator|CHILD_SA net2.2. established" \
    sa1.cause=ok sa1.cnk=ok sa1.p1=true sa1.qm=completed \
    sa1.sentence="The libreswan peer's main mode and quick mode completed: the responder holds two IKE SAs with two peers." \
    "sa1.ev=peer2|IKE SA established" "sa1.ev=peer2|IPsec SA established" "sa1.ev=responder|CHILD_SA netp.3. established" \
    notes="The second peer is libreswan 4.10 at 203.0.113.3 with PSK second-peer-psk-0001; the initiator and responder fields describe the first peer; the second peer's pluto log is multi-tunnel.peer2.log."
  finish
}

# ------------------------------------------------------------------ 3b. no response, libreswan initiator
scn_no_response_lsw() {
  begin no-response-lsw
  topo
  gw_drop 500
  lsw_prepare ini; sw_prepare res
  lsw_write ini "$(lsw_conn lab)" "$I4 $R4 : PSK \"$PSK\""
  sw_write res "$(sw_conn res lab local=$R4 remote=$I4 lts=$TS_R rts=$TS_I)" "$(sw_psk 1 $R4 $I4 $PSK)"
  cap_start isk-i i0 "$SCEN_DIR/cap.pcapng"
  sw_start res isk-r; lsw_start ini isk-i
  lsw_initiate ini lab
  # attempt #1 times out after 8 s; pluto revives the connection at once
  # (a new main mode, new cookies): stop after its second retransmission
  wait_log "$SCEN_DIR/ini/pluto.log" '#2: STATE_MAIN_I1: retransmission; will wait 2' 20
  sleep 0.5
  mkspec desc="libreswan initiator, strongSwan responder behind a router that drops UDP 500 towards it (nftables). libreswan retransmits MM1 after 1, 1, 2 and 4 s, gives up at its 8 s retransmit-timeout, then revives the connection at once with a new main mode (new initiator cookie), which meets the same silence; the capture is stopped during that second attempt." \
    "cap=cap.pcapng|$SCEN|initiator" "$LSWI" "$SWR" mode=main n=2 "psks=$PSK|$PSK" \
    cause=no-response cnk=no-response p1=false qm= \
    sa0.sentence="MM1 was sent and retransmitted three times (after 1, 1 and 2 s) and never answered: UDP 500 towards the responder is dropped on the way; libreswan gave up after 8 s." \
    "sa0.ev=initiator|#1: sent Main Mode request" "sa0.ev=initiator|#1: STATE_MAIN_I1: retransmission; will wait 1 seconds" "sa0.ev=initiator|#1: STATE_MAIN_I1: 8 second timeout exceeded" \
    sa1.sentence="libreswan revived the connection with a new main mode (new initiator cookie); its MM1 was retransmitted and never answered either, until the capture stopped." \
    "sa1.ev=initiator|must remain up per local policy" "sa1.ev=initiator|#2: sent Main Mode request" "sa1.ev=initiator|#2: STATE_MAIN_I1: retransmission" \
    wl="The drop happens on the router: the responder's log shows no packet at all, and the capture cannot tell a filter from a dead peer."
  finish
}

# ================================================================== IKEv2 (v2-*)
# These scenarios use mkspec2/finish2 (postprocess_v2.py); sw_conn's
# version=2 knob and lsw_conn's ikev2=yes knob select IKEv2.  Expected-file
# shape and keys format: sample-captures/README.md, "IKEv2 captures".
IL=ini/charon.log; RL=res/charon.log
wl_i() { wait_log "$SCEN_DIR/$IL" "$@"; }
wl_r() { wait_log "$SCEN_DIR/$RL" "$@"; }
v2_pair_conf() { # "extra_ike for ini" "extra_ike for res" [ini knobs...] -- [res knobs...]
  local xi=$1 xr=$2; shift 2
  local ik=() rk=() to=ik a
  for a in "$@"; do
    if [ "$a" = -- ]; then to=rk; continue; fi
    if [ $to = ik ]; then ik+=("$a"); else rk+=("$a"); fi
  done
  sw_prepare ini; sw_prepare res
  sw_write ini "$(sw_conn ini lab version=2 "extra_ike=$xi" "${ik[@]}")" "$(sw_psk 1 $I4 $R4 "${V2_IPSK:-$PSK}")"
  sw_write res "$(sw_conn res lab version=2 local=$R4 remote=$I4 lts=$TS_R rts=$TS_I "extra_ike=$xr" "${rk[@]}")" \
    "$(sw_psk 1 $R4 $I4 "${V2_RPSK:-$PSK}")"
}
V2_END='CHILD_SA net\{[0-9]+\} established|failed to establish|giving up after|destroying IKE_SA'

# ------------------------------------------------------------------ v2 1. all works, then rekeys, DPD, delete
scn_v2_ok_sw_sw() {
  begin v2-ok-sw-sw
  topo
  v2_pair_conf "dpd_delay = 3s" ""
  cap_start isk-i i0 "$SCEN_DIR/cap.pcapng"
  sw_start res isk-r; sw_start ini isk-i
  sw_initiate ini net 15
  wl_i 'CHILD_SA net\{1\} established' 15
  sleep 1
  swanctl_do ini --rekey --child net
  wl_i 'CHILD_SA net\{2\} established' 5
  sleep 1
  swanctl_do ini --rekey --ike lab
  wl_i 'IKE_SA lab\[2\] (established|rekeyed)|rekeyed|ESTABLISHED => ' 5
  sleep 1
  # one liveness check on the new IKE SA (dpd_delay 3 s without traffic)
  wl_i 'sending DPD request' 6
  sleep 1
  swanctl_do ini --terminate --ike lab --timeout 5
  sleep 1
  mkspec2 desc="strongSwan initiator and strongSwan responder, IKEv2 with a pre-shared key: IKE_SA_INIT, IKE_AUTH with one CHILD_SA (203.0.113.0/26 <-> 203.0.113.64/26), then a forced CHILD_SA rekey (CREATE_CHILD_SA with N(REKEY_SA), then an INFORMATIONAL deleting the old ESP SA), a forced IKE SA rekey (CREATE_CHILD_SA making a new IKE SA, then an INFORMATIONAL deleting the old IKE SA), one liveness check (empty INFORMATIONAL, dpd_delay 3 s) on the new IKE SA and finally the initiator's delete (swanctl --terminate)." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" n=2 "psks=$PSK|$PSK" \
    sa0.established=true sa0.cause=deleted sa0.cnk=ok sa0.deleted_by=initiator \
    "sa0.child=1|IKE_AUTH|rekeyed|initiator:net{1}" "sa0.child=2|CREATE_CHILD_SA|established|initiator:net{2}" \
    sa0.sentence="The IKE SA was established (IKE_SA_INIT, IKE_AUTH), its CHILD_SA was rekeyed, and it was itself rekeyed: the initiator deleted it after the new IKE SA was in place." \
    "sa0.ev=initiator|IKE_SA lab.1. established between" "sa0.ev=initiator|CHILD_SA net.1. established with SPIs" \
    "sa0.ev=initiator|generating CREATE_CHILD_SA request 2 .*N\(REKEY_SA\)" "sa0.ev=initiator|CHILD_SA net.2. established with SPIs" \
    "sa0.ev=initiator|sending DELETE for ESP CHILD_SA" "sa0.ev=initiator|IKE_SA lab.2. rekeyed between" "sa0.ev=initiator|sending DELETE for IKE_SA lab.1." \
    "sa0.ev=responder|IKE_SA lab.1. state change: REKEYED => DELETING|IKE_SA lab.1. state change: .* => DELETING" \
    sa0.notes="Deleted by the initiator right after its own IKE SA rekey (delete_rekeyed behaviour of IKEv2: the rekeying side deletes the old SA). The CHILD_SA net{2} moved to the new IKE SA." \
    sa1.established=true sa1.rekey_of=0 sa1.cause=deleted sa1.cnk=ok sa1.deleted_by=initiator \
    sa1.sentence="The IKE SA made by the rekey (CREATE_CHILD_SA in the old one) answered a liveness check (empty INFORMATIONAL) and was deleted by the initiator when the connection was terminated." \
    "sa1.ev=initiator|IKE_SA lab.2. rekeyed between" "sa1.ev=initiator|<lab\|2> sending DPD request" "sa1.ev=initiator|sending DELETE for IKE_SA lab.2." "sa1.ev=responder|<lab\|2> .*IKE_SA deleted|received DELETE for IKE_SA lab.2." \
    sa1.notes="Has no IKE_SA_INIT of its own: its SPIs were exchanged inside the encrypted CREATE_CHILD_SA of the old IKE SA, and it inherited the CHILD_SA net{2} (no child_sas entry: none was negotiated in it). The liveness check is message ID 0 of this SA." \
    snotes="Verdict of the scenario: everything worked; both IKE SAs end with a Delete sent by the initiator (cause deleted with keys, as in the IKEv1 dpd-rekey-delete; ok without keys). strongSwan floats to UDP 4500 at IKE_AUTH although there is no NAT (MOBIKE)."
  finish2
}

lsw_states() { # inst : pluto's own state names at the end (whack --showstates), read by postprocess_v2.py
  local d; d=$(sw_dir "$1")
  timeout 10 "$LSW/usr/libexec/ipsec/whack" --ctlsocket "$d/run/pluto.ctl" --showstates > "$d/showstates.txt" 2>&1
}
r_drop() { # udp ports... : drop them on input in the responder's namespace
  nsx isk-r nft add table inet iskr || die "nft failed"
  nsx isk-r nft add chain inet iskr in_drop '{ type filter hook input priority 0; }' || die "nft failed"
  local port; for port in "$@"; do nsx isk-r nft add rule inet iskr in_drop udp dport "$port" drop || die "nft failed"; done
}

# ------------------------------------------------------------------ v2 2. strongSwan <-> libreswan
v2_lsw_pair() { # ii ri
  local ii=$1 ri=$2
  topo
  if [ $ri = sw ]; then
    sw_prepare res
    sw_write res "$(sw_conn res lab version=2 local=$R4 remote=$I4 lts=$TS_R rts=$TS_I)" "$(sw_psk 1 $R4 $I4 $PSK)"
  else
    lsw_prepare res
    lsw_write res "$(lsw_conn lab ikev2=yes left=$R4 right=$I4 leftsubnet=$TS_R rightsubnet=$TS_I)" "$R4 $I4 : PSK \"$PSK\""
  fi
  if [ $ii = sw ]; then
    sw_prepare ini
    sw_write ini "$(sw_conn ini lab version=2)" "$(sw_psk 1 $I4 $R4 $PSK)"
  else
    lsw_prepare ini
    lsw_write ini "$(lsw_conn lab ikev2=yes)" "$I4 $R4 : PSK \"$PSK\""
  fi
  cap_start isk-i i0 "$SCEN_DIR/cap.pcapng"
  if [ $ri = sw ]; then sw_start res isk-r; else lsw_start res isk-r; fi
  if [ $ii = sw ]; then
    sw_start ini isk-i; sw_initiate ini net 15
    wl_i 'CHILD_SA net\{[0-9]+\} established|failed to establish' 15
  else
    lsw_start ini isk-i; lsw_initiate ini lab
    wait_log "$SCEN_DIR/ini/pluto.log" 'established Child SA|failed|timeout' 15
  fi
  sleep 2
  [ $ii = lsw ] && lsw_states ini
  [ $ri = lsw ] && lsw_states res
}
v2_ev_ok() { # side impl
  if [ $2 = sw ]; then
    echo "sa0.ev=$1|IKE_SA lab.1. (established|state change: CONNECTING => ESTABLISHED)"; echo "sa0.ev=$1|CHILD_SA net.1. established with SPIs"
  else
    echo "sa0.ev=$1|#1: (initiator|responder) established IKE SA"; echo "sa0.ev=$1|#2: (initiator|responder) established Child SA"
  fi
}
scn_v2_ok_sw_lsw() {
  begin v2-ok-sw-lsw
  v2_lsw_pair sw lsw
  local ev=(); mapfile -t ev < <(v2_ev_ok initiator sw; v2_ev_ok responder lsw)
  mkspec2 desc="strongSwan initiator and libreswan responder, IKEv2 with a pre-shared key: IKE_SA_INIT and IKE_AUTH with one CHILD_SA (203.0.113.0/26 <-> 203.0.113.64/26). Everything works." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$LSWR" n=1 "psks=$PSK|$PSK" \
    sa0.established=true sa0.cause=ok sa0.cnk=ok "sa0.ids=1|-" "sa0.lsw=-|1" \
    "sa0.child=1|IKE_AUTH|established|initiator:net{1}" \
    sa0.sentence="IKE_SA_INIT and IKE_AUTH completed: the IKE SA and its CHILD_SA are up on both sides." "${ev[@]}"
  finish2
}
scn_v2_ok_lsw_sw() {
  begin v2-ok-lsw-sw
  v2_lsw_pair lsw sw
  local ev=(); mapfile -t ev < <(v2_ev_ok initiator lsw; v2_ev_ok responder sw)
  mkspec2 desc="libreswan initiator and strongSwan responder, IKEv2 with a pre-shared key: IKE_SA_INIT and IKE_AUTH with one CHILD_SA (203.0.113.0/26 <-> 203.0.113.64/26). Everything works." \
    "cap=cap.pcapng|$SCEN|initiator" "$LSWI" "$SWR" n=1 "psks=$PSK|$PSK" \
    sa0.established=true sa0.cause=ok sa0.cnk=ok "sa0.ids=-|1" "sa0.lsw=1|-" \
    "sa0.child=1|IKE_AUTH|established|responder:net{1}" \
    sa0.sentence="IKE_SA_INIT and IKE_AUTH completed: the IKE SA and its CHILD_SA are up on both sides." "${ev[@]}"
  finish2
}

# ------------------------------------------------------------------ v2 3. no response
scn_v2_no_response() {
  begin v2-no-response
  topo
  r_drop 500 4500
  v2_pair_conf "" ""
  sw_run_pair 'giving up after|establishing IKE_SA failed|destroying IKE_SA' 20
  sleep 1
  mkspec2 desc="strongSwan initiator, IKEv2; the strongSwan responder runs but its namespace drops UDP 500 and 4500 on input (nftables). IKE_SA_INIT is sent, retransmitted three times and never answered; the initiator gives up." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" n=1 "psks=$PSK|$PSK" \
    sa0.established=false sa0.cause=no-response sa0.cnk=no-response "sa0.ids=1|-" \
    sa0.sentence="IKE_SA_INIT was sent four times (1 + 3 retransmissions) and never answered: the responder's host drops UDP 500 (its daemon logged nothing)." \
    "sa0.ev=initiator|retransmit 1 of request with message ID 0" "sa0.ev=initiator|retransmit 3 of request with message ID 0" "sa0.ev=initiator|giving up after 3 retransmits" "sa0.ev=initiator|establishing IKE_SA failed, peer not responding" \
    sa0.notes="The responder's daemon never saw a packet: the capture cannot tell a filter from a dead or absent peer."
  finish2
}

# ------------------------------------------------------------------ v2 4. IKE proposal mismatch
scn_v2_proposal_mismatch() {
  begin v2-proposal-mismatch
  topo
  v2_pair_conf "" "" ike=aes256-sha256-modp2048 -- ike=3des-sha1-modp1024
  sw_run_pair 'NO_PROPOSAL_CHOSEN|giving up|destroying IKE_SA' 20
  sleep 1
  mkspec2 desc="strongSwan initiator offers only aes256-sha256-modp2048 (IKEv2); the strongSwan responder accepts only 3des-sha1-modp1024 and answers IKE_SA_INIT with N(NO_PROPOSAL_CHOSEN)." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" n=1 "psks=$PSK|$PSK" \
    sa0.established=false sa0.cause=proposal-rejected sa0.cnk=proposal-rejected \
    sa0.sentence="The responder found none of the offered IKE proposals acceptable and answered IKE_SA_INIT with an unencrypted NO_PROPOSAL_CHOSEN (14) notify; the initiator stopped." \
    "sa0.ev=responder|received proposals: IKE:AES_CBC_256" "sa0.ev=responder|no acceptable ENCRYPTION_ALGORITHM found" "sa0.ev=responder|received proposals unacceptable" "sa0.ev=responder|generating IKE_SA_INIT response 0 \[ N\(NO_PROP\) \]" \
    "sa0.ev=initiator|received NO_PROPOSAL_CHOSEN notify error"
  finish2
}

# ------------------------------------------------------------------ v2 5. INVALID_KE_PAYLOAD then retry
scn_v2_ke_retry_ok() {
  begin v2-ke-retry-ok
  topo
  v2_pair_conf "" "" ike=aes128-sha256-modp2048-modp3072 -- ike=aes128-sha256-modp3072
  sw_run_pair "$V2_END" 20
  sleep 1
  mkspec2 desc="strongSwan initiator proposes aes128-sha256 with DH groups modp2048 and modp3072 and sends its KE for modp2048; the strongSwan responder accepts only modp3072 and answers with N(INVALID_KE_PAYLOAD) naming modp3072; the initiator resends IKE_SA_INIT (same initiator SPI, KE for modp3072) and everything completes." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" n=1 "psks=$PSK|$PSK" \
    sa0.established=true sa0.cause=ok sa0.cnk=ok "sa0.ids=1|2" "sa0.child=1|IKE_AUTH|established|initiator:net{1}" \
    sa0.sentence="The first IKE_SA_INIT carried a KE for a group the responder does not want; after INVALID_KE_PAYLOAD the initiator retried with the requested group under the same initiator SPI, and IKE_SA_INIT and IKE_AUTH completed." \
    "sa0.ev=responder|DH group MODP_2048 unacceptable, requesting MODP_3072" "sa0.ev=initiator|peer didn't accept DH group MODP_2048, it requested MODP_3072" \
    "sa0.ev=initiator|IKE_SA lab.1. established between" "sa0.ev=initiator|CHILD_SA net.1. established with SPIs" \
    sa0.notes="INVALID_KE_PAYLOAD then a successful retry: two IKE_SA_INIT requests with the same initiator SPI and message ID 0 (not a retransmission: new KE, new nonce). The responder keeps no state for the refused attempt: its IKE_SA 1 is destroyed at once and the retry makes IKE_SA 2."
  finish2
}

# ------------------------------------------------------------------ v2 6. COOKIE
# The responder demands cookies while it holds cookie_threshold (1) half-open
# IKE SAs: a strongSwan peer in isk-p (203.0.113.3) opens one first and stays
# half-open (its IKE_AUTH on UDP 4500 is dropped by the router).  The capture
# is on the initiator's link, so only the initiator's exchanges are in it.
scn_v2_cookie() {
  begin v2-cookie
  topo peer
  nsx isk-gw nft add table inet isklab && nsx isk-gw nft add chain inet isklab fwd_drop '{ type filter hook forward priority 0; }' &&
    nsx isk-gw nft add rule inet isklab fwd_drop ip saddr $P4 udp dport 4500 drop || die "nft failed"
  sw_prepare ini; sw_prepare res; sw_prepare p2
  sw_charon_opt res "cookie_threshold = 1"
  sw_charon_opt res "dos_protection = yes"
  sw_write ini "$(sw_conn ini lab version=2)" "$(sw_psk 1 $I4 $R4 $PSK)"
  sw_write p2 "$(sw_conn p2 lab version=2 local=$P4 lts=$TS_P)" "$(sw_psk 1 $P4 $R4 second-peer-psk-0001)"
  sw_write res "$(sw_conn res lab version=2 local=$R4 remote=$I4 lts=$TS_R rts=$TS_I)
$(sw_conn res labp version=2 local=$R4 remote=$P4 lts=$TS_R rts=$TS_P child=netp)" "$(sw_psk 1 $R4 $I4 $PSK)
$(sw_psk 2 $R4 $P4 second-peer-psk-0001)"
  cap_start isk-i i0 "$SCEN_DIR/cap.pcapng"
  sw_start res isk-r; sw_start ini isk-i; sw_start p2 isk-p
  sw_initiate p2 net 15
  wl_r 'generating IKE_SA_INIT response 0' 5
  sleep 0.3
  sw_initiate ini net 15
  wl_i "$V2_END" 15
  sleep 1
  mkspec2 desc="strongSwan initiator and strongSwan responder, IKEv2 PSK; the responder has dos_protection = yes and cookie_threshold = 1 and already holds one half-open IKE SA (from a second peer, 203.0.113.3, whose IKE_AUTH is dropped; not in this capture), so it answers the initiator's IKE_SA_INIT with N(COOKIE); the initiator resends IKE_SA_INIT with the cookie (same initiator SPI) and everything completes." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" n=1 "psks=$PSK|$PSK" "xlog=peer2|p2/charon.log|sw" \
    sa0.established=true sa0.cause=ok sa0.cnk=ok "sa0.ids=1|2" "sa0.child=1|IKE_AUTH|established|initiator:net{1}" \
    sa0.sentence="The responder demanded a cookie (it was under its half-open threshold); the initiator repeated IKE_SA_INIT with N(COOKIE) first, under the same initiator SPI, and IKE_SA_INIT and IKE_AUTH completed." \
    "sa0.ev=responder|generating IKE_SA_INIT response 0 \[ N\(COOKIE\) \]" "sa0.ev=initiator|received COOKIE notify|COOKIE" \
    "sa0.ev=initiator|generating IKE_SA_INIT request 0 \[ N\(COOKIE\)" "sa0.ev=initiator|IKE_SA lab.1. established between" "sa0.ev=initiator|CHILD_SA net.1. established with SPIs" \
    sa0.notes="N(COOKIE) then a successful retry with the cookie: two IKE_SA_INIT requests with the same initiator SPI and message ID 0. The responder's IKE_SA with unique id 1 belongs to the second peer (its log, v2-cookie.peer2.log, is the half-open peer's)."
  finish2
}

# ------------------------------------------------------------------ v2 7. PSK mismatch
scn_v2_auth_failed() {
  begin v2-auth-failed
  topo
  V2_IPSK=initiator-secret-A1 V2_RPSK=responder-secret-B2 v2_pair_conf "" ""
  sw_run_pair 'AUTHENTICATION_FAILED|giving up|destroying IKE_SA|failed' 20
  sleep 1
  mkspec2 desc="strongSwan initiator and strongSwan responder, IKEv2, with different pre-shared keys: the responder cannot verify the initiator's AUTH and answers IKE_AUTH with an encrypted N(AUTHENTICATION_FAILED)." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" n=1 "psks=initiator-secret-A1|responder-secret-B2" \
    sa0.established=false sa0.cause=auth-failed sa0.cnk=auth-rejected "sa0.child=1|IKE_AUTH|failed|" \
    sa0.sentence="The pre-shared keys differ: the responder found the initiator's AUTH payload wrong and answered IKE_AUTH with an encrypted AUTHENTICATION_FAILED (24) notify; no IKE SA and no CHILD_SA came up." \
    "sa0.ev=responder|tried 1 shared key for '198.51.100.2' - '192.0.2.1', but MAC mismatched|MAC mismatched" "sa0.ev=responder|generating IKE_AUTH response 1 \[ N\(AUTH_FAILED\) \]" \
    "sa0.ev=initiator|received AUTHENTICATION_FAILED notify error" \
    sa0.notes="Without the keys the IKE_AUTH response is an opaque encrypted message (short, no AUTH payload visible): auth-rejected. The SK_* keys do not depend on the PSK, so both peers hold the same keys and the response decrypts."
  finish2
}

# ------------------------------------------------------------------ v2 8. CHILD_SA proposal mismatch
scn_v2_child_proposal_mismatch() {
  begin v2-child-proposal-mismatch
  topo
  v2_pair_conf "" "" esp=aes256-sha256 -- esp=aes128-sha1
  sw_run_pair "$V2_END" 20
  sleep 1
  mkspec2 desc="strongSwan initiator and strongSwan responder, IKEv2 PSK; the IKE SA is fine, but the CHILD_SA offers only ESP aes256-sha256 while the responder accepts only aes128-sha1: the IKE_AUTH response authenticates the responder and carries N(NO_PROPOSAL_CHOSEN) instead of SA/TSi/TSr." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" n=1 "psks=$PSK|$PSK" \
    sa0.established=true sa0.cause=child-proposal-mismatch sa0.cnk=child-rejected "sa0.child=1|IKE_AUTH|failed|" \
    sa0.sentence="IKE_AUTH authenticated both peers (the IKE SA is established), but the responder found no acceptable ESP proposal for the CHILD_SA and put NO_PROPOSAL_CHOSEN (14) in the IKE_AUTH response." \
    "sa0.ev=responder|no acceptable proposal found|received proposals: ESP:AES_CBC_256" "sa0.ev=responder|failed to establish CHILD_SA, keeping IKE_SA" "sa0.ev=responder|generating IKE_AUTH response 1 \[ IDr AUTH .*N\(NO_PROP\)" \
    "sa0.ev=initiator|received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built" "sa0.ev=initiator|failed to establish CHILD_SA, keeping IKE_SA" "sa0.ev=initiator|IKE_SA lab.1. established between"
  finish2
}

# ------------------------------------------------------------------ v2 9. traffic selectors
scn_v2_child_ts_unacceptable() {
  begin v2-child-ts-unacceptable
  topo
  v2_pair_conf "" "" -- lts=203.0.113.192/26
  sw_run_pair "$V2_END" 20
  sleep 1
  mkspec2 desc="strongSwan initiator and strongSwan responder, IKEv2 PSK; the initiator proposes traffic selectors 203.0.113.0/26 <-> 203.0.113.64/26, the responder's tunnel is for 203.0.113.192/26: the IKE_AUTH response carries N(TS_UNACCEPTABLE)." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" n=1 "psks=$PSK|$PSK" \
    sa0.established=true sa0.cause=child-ts-unacceptable sa0.cnk=child-rejected "sa0.child=1|IKE_AUTH|failed|" \
    sa0.sentence="IKE_AUTH authenticated both peers (the IKE SA is established), but the traffic selectors match no child configuration of the responder, which put TS_UNACCEPTABLE (38) in the IKE_AUTH response." \
    "sa0.ev=responder|traffic selectors .* unacceptable" "sa0.ev=responder|generating IKE_AUTH response 1 \[ IDr AUTH .*N\(TS_UNACCEPT\)" \
    "sa0.ev=initiator|received TS_UNACCEPTABLE notify, no CHILD_SA built" "sa0.ev=initiator|failed to establish CHILD_SA, keeping IKE_SA" "sa0.ev=initiator|IKE_SA lab.1. established between"
  finish2
}

# ------------------------------------------------------------------ v2 10. NAT-T
v2_natt_common() { # blocked(yes|no)
  topo; nat_on
  [ "$1" = yes ] && gw_drop 4500
  v2_pair_conf "" "" -- remote=%any rid=$I4
  sw_run_pair 'CHILD_SA net\{[0-9]+\} established|giving up after|destroying IKE_SA' 25
  sleep 1
}
scn_v2_natt_ok() {
  begin v2-natt-ok
  v2_natt_common no
  mkspec2 desc="strongSwan initiator 192.0.2.1 behind a masquerading router (198.51.100.254), strongSwan responder 198.51.100.2, IKEv2 PSK. The NAT-D notifies in IKE_SA_INIT show the NAT; IKE_AUTH and everything after it use UDP 4500; all completes. Captured on the initiator's link (before the NAT)." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" n=1 "psks=$PSK|$PSK" nat=yes \
    sa0.established=true sa0.cause=ok sa0.cnk=ok "sa0.child=1|IKE_AUTH|established|initiator:net{1}" \
    sa0.sentence="NAT detected in IKE_SA_INIT (the initiator is translated to 198.51.100.254); IKE_AUTH on UDP 4500 completed with the CHILD_SA." \
    "sa0.ev=initiator|local host is behind NAT, sending keep alives" "sa0.ev=responder|remote host is behind NAT" "sa0.ev=initiator|CHILD_SA net.1. established with SPIs"
  finish2
}
scn_v2_nat_t_blocked() {
  begin v2-nat-t-blocked
  v2_natt_common yes
  mkspec2 desc="strongSwan initiator 192.0.2.1 behind a masquerading router that also drops UDP 4500; strongSwan responder 198.51.100.2, IKEv2 PSK. IKE_SA_INIT on UDP 500 is answered and shows the NAT; IKE_AUTH goes to UDP 4500, is retransmitted and never arrives." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" n=1 "psks=$PSK|$PSK" nat=yes \
    sa0.established=false sa0.cause=nat-t-blocked sa0.cnk=nat-t-blocked "sa0.child=1|IKE_AUTH|failed|" \
    sa0.sentence="NAT was detected in IKE_SA_INIT, so IKE_AUTH moved to UDP 4500, which the router drops: IKE_AUTH was sent four times without answer and the initiator gave up; the responder never saw it." \
    "sa0.ev=initiator|local host is behind NAT" "sa0.ev=initiator|sending packet: from 192.0.2.1.4500. to 198.51.100.2.4500" "sa0.ev=initiator|giving up after 3 retransmits" "sa0.ev=responder|remote host is behind NAT"
  finish2
}

# ------------------------------------------------------------------ v2 11. dead peer
scn_v2_peer_dead() {
  begin v2-peer-dead
  topo
  v2_pair_conf "dpd_delay = 2s" ""
  sw_run_pair 'CHILD_SA net\{[0-9]+\} established|giving up after|destroying IKE_SA' 15
  sleep 0.5
  r_drop 500 4500      # the responder's host goes silent
  wl_i 'giving up after 3 retransmits' 20
  sleep 1
  mkspec2 desc="strongSwan initiator (dpd_delay 2 s) and strongSwan responder, IKEv2 PSK. After the IKE SA and CHILD_SA are up, the responder's namespace starts dropping UDP 500/4500; the initiator's liveness checks (empty INFORMATIONAL requests) are retransmitted without answer and it gives up and deletes the IKE SA locally (nothing on the wire)." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" n=1 "psks=$PSK|$PSK" \
    sa0.established=true sa0.cause=peer-dead sa0.cnk=peer-dead "sa0.child=1|IKE_AUTH|established|initiator:net{1}" \
    sa0.sentence="The IKE SA was up; then the peer stopped answering: the initiator's liveness INFORMATIONAL was sent four times (1 + 3 retransmissions) without a response, and it declared the peer dead and removed the SA." \
    "sa0.ev=initiator|IKE_SA lab.1. established between" "sa0.ev=initiator|sending DPD request" "sa0.ev=initiator|retransmit 1 of request with message ID" "sa0.ev=initiator|giving up after 3 retransmits" \
    sa0.notes="The responder still believes the IKE SA is established at the end of the capture (it never learnt of the failure)."
  finish2
}

# ------------------------------------------------------------------ v2 12. EAP-MD5
scn_v2_eap() {
  begin v2-eap
  topo
  sw_prepare ini; sw_prepare res
  sed -i 's/^  load = .*/& eap-md5/' "$(sw_dir ini)/strongswan.conf" "$(sw_dir res)/strongswan.conf"
  sw_write ini "  lab {
    version = 2
    local_addrs = $I4
    remote_addrs = $R4
    proposals = aes128-sha256-modp2048
    local { auth = eap-md5
      id = labuser
    }
    remote { auth = psk
      id = $R4
    }
    children { net { local_ts = $TS_I
        remote_ts = $TS_R
        esp_proposals = aes128-sha256
        start_action = none } }
  }" "$(sw_psk 1 $I4 $R4 $PSK)
  eap-1 { id = labuser
    secret = \"lab-eap-password\" }"
  sw_write res "  lab {
    version = 2
    local_addrs = $R4
    remote_addrs = $I4
    proposals = aes128-sha256-modp2048
    local { auth = psk
      id = $R4
    }
    remote { auth = eap-md5
      eap_id = %any
    }
    children { net { local_ts = $TS_R
        remote_ts = $TS_I
        esp_proposals = aes128-sha256
        start_action = none } }
  }" "$(sw_psk 1 $R4 labuser $PSK)
  eap-1 { id = labuser
    secret = \"lab-eap-password\" }"
  sw_run_pair "$V2_END" 20
  sleep 1
  mkspec2 desc="strongSwan initiator authenticates with EAP-MD5 (user labuser, password lab-eap-password) inside IKE_AUTH; the strongSwan responder authenticates with a pre-shared key. IKE_AUTH takes three round trips (message ID 1: IDi without AUTH, answered by IDr, AUTH and the EAP-MD5 challenge; 2: EAP-MD5 response, answered by EAP-Success; 3: the initiator's AUTH, answered by AUTH, SA, TSi, TSr), then the CHILD_SA is up. There is no EAP-Identity round (the eap-identity plugin is not loaded, so the IKE identity labuser is the EAP identity)." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" n=1 "psks=$PSK|$PSK" \
    sa0.established=true sa0.cause=ok sa0.cnk=ok "sa0.child=1|IKE_AUTH|established|initiator:net{1}" \
    sa0.sentence="IKE_SA_INIT completed and the multi-round IKE_AUTH with EAP-MD5 completed: the IKE SA and its CHILD_SA are up." \
    "sa0.ev=responder|EAP method EAP_MD5 succeeded|authentication of 'labuser' with EAP successful" "sa0.ev=initiator|EAP method EAP_MD5 succeeded" \
    "sa0.ev=initiator|IKE_SA lab.1. established between" "sa0.ev=initiator|CHILD_SA net.1. established with SPIs" \
    sa0.notes="The CHILD_SA is negotiated in the first IKE_AUTH request (message ID 1) and confirmed in the last IKE_AUTH response; the child_sas entry carries the message ID of the first IKE_AUTH exchange."
  finish2
}

# ------------------------------------------------------------------ v2 13. RFC 7383 fragmentation
scn_v2_fragmented() {
  begin v2-fragmented
  topo
  make_pki "$SCEN_DIR/pki"
  sw_prepare ini; sw_prepare res
  sw_charon_opt ini "fragment_size = 560"; sw_charon_opt res "fragment_size = 560"
  local p=$SCEN_DIR/pki
  cp $p/ini.crt "$(sw_dir ini)/swanctl/x509/"; cp $p/ini.key "$(sw_dir ini)/swanctl/private/"; cp $p/ca.crt "$(sw_dir ini)/swanctl/x509ca/"
  cp $p/res.crt "$(sw_dir res)/swanctl/x509/"; cp $p/res.key "$(sw_dir res)/swanctl/private/"; cp $p/ca.crt "$(sw_dir res)/swanctl/x509ca/"
  sw_write ini "$(sw_conn ini lab version=2 auth=pubkey lid=initiator.lab.example rid=responder.lab.example extra_local='certs = ini.crt' 'extra_ike=fragmentation = force')" ""
  sw_write res "$(sw_conn res lab version=2 auth=pubkey local=$R4 remote=$I4 lts=$TS_R rts=$TS_I lid=responder.lab.example rid=initiator.lab.example extra_local='certs = res.crt' 'extra_ike=fragmentation = force')" ""
  sw_run_pair "$V2_END" 20
  sleep 1
  mkspec2 desc="strongSwan initiator and responder authenticate with RSA signatures and X.509 certificates from a lab CA (made with pki at run time), IKEv2 with fragmentation = force and charon.fragment_size = 560: the IKE_AUTH request and response are each sent as several RFC 7383 encrypted fragments (SKF, payload 53). All completes." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" n=1 "psks=|" \
    sa0.established=true sa0.cause=ok sa0.cnk=ok "sa0.child=1|IKE_AUTH|established|initiator:net{1}" \
    sa0.sentence="IKE_AUTH with certificates completed although request and response each arrived in several encrypted fragments (both daemons reassembled them); the CHILD_SA is up." \
    "sa0.ev=initiator|splitting IKE message .* into [0-9]+ fragments" "sa0.ev=responder|reassembled fragmented IKE message" \
    "sa0.ev=responder|splitting IKE message .* into [0-9]+ fragments" "sa0.ev=initiator|reassembled fragmented IKE message" \
    "sa0.ev=initiator|IKE_SA lab.1. established between" "sa0.ev=initiator|CHILD_SA net.1. established with SPIs"
  finish2
}

# ------------------------------------------------------------------ v2 4b/7b. failures against a libreswan responder
scn_v2_proposal_mismatch_lsw() {
  begin v2-proposal-mismatch-lsw
  topo
  sw_prepare ini; lsw_prepare res
  sw_write ini "$(sw_conn ini lab version=2 ike=aes256-sha256-modp2048)" "$(sw_psk 1 $I4 $R4 $PSK)"
  lsw_write res "$(lsw_conn lab ikev2=yes left=$R4 right=$I4 leftsubnet=$TS_R rightsubnet=$TS_I ike=3des-sha1-modp1536)" "$R4 $I4 : PSK \"$PSK\""
  cap_start isk-i i0 "$SCEN_DIR/cap.pcapng"
  lsw_start res isk-r; sw_start ini isk-i
  sw_initiate ini net 20
  wl_i 'NO_PROPOSAL_CHOSEN|giving up|destroying IKE_SA' 20
  sleep 1
  lsw_states res
  mkspec2 desc="strongSwan initiator offers only aes256-sha256-modp2048 (IKEv2); the libreswan responder accepts only 3des-sha1-modp1536 and answers IKE_SA_INIT with N(NO_PROPOSAL_CHOSEN)." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$LSWR" n=1 "psks=$PSK|$PSK" \
    sa0.established=false sa0.cause=proposal-rejected sa0.cnk=proposal-rejected "sa0.ids=1|-" "sa0.lsw=-|1" \
    sa0.sentence="The libreswan responder found no acceptable IKE proposal and answered IKE_SA_INIT with an unencrypted NO_PROPOSAL_CHOSEN (14) notify; the strongSwan initiator stopped." \
    "sa0.ev=responder|#1: no local proposal matches remote proposals" "sa0.ev=responder|#1: responding to IKE_SA_INIT message \(ID 0\) from .* with unencrypted notification NO_PROPOSAL_CHOSEN" \
    "sa0.ev=responder|#1: deleting state \(STATE_V2_PARENT_R0\)" "sa0.ev=initiator|received NO_PROPOSAL_CHOSEN notify error" \
    sa0.notes="Unlike strongSwan (responder SPI 0), libreswan puts a fresh non-zero responder SPI in its NO_PROPOSAL_CHOSEN answer. The libreswan final state is the one it deleted the state in."
  finish2
}
scn_v2_auth_failed_lsw() {
  begin v2-auth-failed-lsw
  topo
  sw_prepare ini; lsw_prepare res
  sw_write ini "$(sw_conn ini lab version=2)" "$(sw_psk 1 $I4 $R4 initiator-secret-A1)"
  lsw_write res "$(lsw_conn lab ikev2=yes left=$R4 right=$I4 leftsubnet=$TS_R rightsubnet=$TS_I)" "$R4 $I4 : PSK \"responder-secret-B2\""
  cap_start isk-i i0 "$SCEN_DIR/cap.pcapng"
  lsw_start res isk-r; sw_start ini isk-i
  sw_initiate ini net 20
  wl_i 'AUTHENTICATION_FAILED|giving up|destroying IKE_SA|failed' 20
  sleep 1
  lsw_states res
  mkspec2 desc="strongSwan initiator and libreswan responder, IKEv2, with different pre-shared keys: the responder cannot verify the initiator's AUTH and answers IKE_AUTH with an encrypted N(AUTHENTICATION_FAILED)." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$LSWR" n=1 "psks=initiator-secret-A1|responder-secret-B2" \
    sa0.established=false sa0.cause=auth-failed sa0.cnk=auth-rejected "sa0.ids=1|-" "sa0.lsw=-|1" "sa0.child=1|IKE_AUTH|failed|" \
    sa0.sentence="The pre-shared keys differ: the libreswan responder found the initiator's AUTH payload wrong and answered IKE_AUTH with an encrypted AUTHENTICATION_FAILED (24) notify; no IKE SA and no CHILD_SA came up." \
    "sa0.ev=responder|#1: authentication failed: computed hash does not match" "sa0.ev=responder|#1: responding to IKE_AUTH message \(ID 1\) .* with encrypted notification AUTHENTICATION_FAILED" \
    "sa0.ev=responder|#1: deleting state \(STATE_V2_PARENT_R1\)" "sa0.ev=initiator|received AUTHENTICATION_FAILED notify error" \
    sa0.notes="libreswan deletes its state right after sending the notification (no Delete on the wire); the libreswan final state is the one it deleted the state in."
  finish2
}

# ------------------------------------------------------------------ v2 14. IKE_AUTH never answered, no NAT
# IKE_SA_INIT completes; an nft rule in the responder's namespace drops only
# incoming IKE_AUTH requests on UDP 500: exchange type (byte 18 of the IKE
# header) = 35, i.e. transport header + 8 (UDP) + 18 = byte 26 = bit 208.
# mobike = no keeps the strongSwan initiator on UDP 500 (no float to 4500):
# the failure is not a NAT-T one.  The responder's half_open_timeout (10 s)
# makes it give up its half-open IKE_SA inside the capture.
r_drop_ike_auth() {
  nsx isk-r nft add table inet iskr || die "nft failed"
  nsx isk-r nft add chain inet iskr in_drop '{ type filter hook input priority 0; }' || die "nft failed"
  nsx isk-r nft add rule inet iskr in_drop udp dport 500 @th,208,8 35 counter drop || die "nft failed"
}
scn_v2_auth_no_response() {
  begin v2-auth-no-response
  topo
  r_drop_ike_auth
  v2_pair_conf "mobike = no" ""
  sw_charon_opt res "half_open_timeout = 10"
  sw_run_pair 'giving up after|establishing IKE_SA failed|destroying IKE_SA' 20
  wl_r 'deleting half open IKE_SA' 6
  sleep 0.5
  nsx isk-r nft list table inet iskr > "$SCEN_DIR/nft-responder.txt" 2>&1
  mkspec2 desc="strongSwan initiator (mobike = no, so IKE_AUTH stays on UDP 500) and strongSwan responder (half_open_timeout = 10 s), IKEv2 PSK, no NAT. IKE_SA_INIT is answered; an nft rule in the responder's namespace (udp dport 500 @th,208,8 35 drop: IKE exchange type 35) drops every IKE_AUTH request before the daemon sees it. IKE_AUTH is sent four times on UDP 500, never answered; the initiator gives up, the responder later deletes its half-open IKE_SA." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" n=1 "psks=$PSK|$PSK" \
    sa0.established=false sa0.cause=auth-no-response sa0.cnk=auth-no-response "sa0.ids=1|1" "sa0.child=1|IKE_AUTH|failed|" \
    sa0.sentence="IKE_SA_INIT completed on UDP 500, but IKE_AUTH (also on UDP 500, no NAT) was sent four times (1 + 3 retransmissions) without an answer: the initiator gave up; the responder, which never received IKE_AUTH, deleted its half-open IKE_SA after its timeout." \
    "sa0.ev=responder|generating IKE_SA_INIT response 0 \[ SA KE No" \
    "sa0.ev=initiator|generating IKE_AUTH request 1" "sa0.ev=initiator|sending packet: from 192.0.2.1\[500\] to 198.51.100.2\[500\] \([1-3][0-9][0-9] bytes\)" \
    "sa0.ev=initiator|retransmit 1 of request with message ID 1" "sa0.ev=initiator|retransmit 3 of request with message ID 1" \
    "sa0.ev=initiator|giving up after 3 retransmits" "sa0.ev=initiator|establishing IKE_SA failed, peer not responding" \
    "sa0.ev=responder|deleting half open IKE_SA with 192.0.2.1 after timeout" \
    sa0.notes="No NAT (the NAT-D notifies match) and mobike = no: IKE_AUTH stays on UDP 500, so this is not nat-t-blocked. The responder's log has no IKE_AUTH at all (the filter drops it before charon; nft-responder.txt in the work folder shows the rule's counter) and its IKE_SA stays CONNECTING until half_open_timeout."
  finish2
}

# ------------------------------------------------------------------ v2 15. INVALID_KE_PAYLOAD, no retry
# A strongSwan responder only names a group of a proposal the initiator
# offered, and a strongSwan or libreswan initiator retries with it.  What
# ends it here: the initiator offers aes128-sha256-modp2048-ecp256 (KE for
# modp2048, the first group) but its charon does not load the openssl plugin,
# its only ECP provider; the responder accepts only aes128-sha256-ecp256 and
# requests ECP_256; the initiator resets the IKE_SA to retry and cannot build
# the retry ("requested DH group ECP_256 not supported", strongSwan 5.9.8
# ike_init.c build_i): nothing more is sent.
scn_v2_ke_rejected() {
  begin v2-ke-rejected
  topo
  v2_pair_conf "" "" ike=aes128-sha256-modp2048-ecp256 -- ike=aes128-sha256-ecp256
  sed -i 's/^\(  load = .*\) openssl /\1 /' "$(sw_dir ini)/strongswan.conf"
  grep -q '^  load = .* openssl ' "$(sw_dir ini)/strongswan.conf" && die "openssl still loaded by the initiator"
  sw_run_pair 'not supported|giving up|establishing IKE_SA failed|destroying IKE_SA' 20
  sleep 1
  mkspec2 desc="strongSwan initiator offers aes128-sha256 with DH groups modp2048 and ecp256 (one proposal) and sends its KE for modp2048, but its charon has no ECP implementation (the openssl plugin is not loaded); the strongSwan responder accepts only aes128-sha256-ecp256 and answers IKE_SA_INIT with N(INVALID_KE_PAYLOAD) requesting ECP_256. The initiator cannot make an ECP_256 key exchange, so it sends no retry and gives up." \
    "cap=cap.pcapng|$SCEN|initiator" "$SWI" "$SWR" n=1 "psks=$PSK|$PSK" \
    sa0.established=false sa0.cause=ke-rejected sa0.cnk=ke-rejected "sa0.ids=1|1" \
    sa0.sentence="The responder refused the KE payload's group (MODP_2048) and answered with an unencrypted INVALID_KE_PAYLOAD (17) notify naming ECP_256; no second IKE_SA_INIT followed: the initiator, which offered ECP_256 but cannot compute it, gave up." \
    "sa0.ev=responder|DH group MODP_2048 unacceptable, requesting ECP_256" "sa0.ev=responder|generating IKE_SA_INIT response 0 \[ N\(INVAL_KE\) \]" \
    "sa0.ev=initiator|peer didn't accept DH group MODP_2048, it requested ECP_256" "sa0.ev=initiator|requested DH group ECP_256 not supported" \
    "sa0.last=initiator|DESTROYING" \
    sa0.lnotes="initiator: DESTROYING is its handling of the INVALID_KE_PAYLOAD (last frame), all logged within the same 3 ms as the received packet: CONNECTING => CREATED (reset for the retry), initiating IKE_SA, CREATED => CONNECTING, requested DH group ECP_256 not supported, CONNECTING => DESTROYING; no retry was sent. Set in the spec because the automatic window closes at an 'initiating IKE_SA' line logged more than 2 ms after the frame (normally a new packet), which, depending on the run's timing, would give CONNECTING; as for NO_PROPOSAL_CHOSEN in v2-proposal-mismatch, the initiator's state after the refusal is DESTROYING." \
    sa0.notes="One IKE_SA_INIT request and one refusal (responder SPI 0); the initiator's IKE_SA is destroyed within milliseconds of the INVALID_KE_PAYLOAD, with nothing more on the wire. A libreswan 4.10 initiator cannot end this way: it retries with any requested group that is in its own proposal (and a responder only requests an offered one) and can compute every group it offers; tried (aes128-sha2_256-modp2048+dh19 against this responder): 'Received unauthenticated INVALID_KE_PAYLOAD response to DH MODP2048; resending with suggested DH DH19', then IKE_AUTH and established."
  finish2
}
