/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_explain.c - explanations of each cause and notification.
 *
 * Written for network engineers from the project's seeds (the states
 * engineers already know) and shared/reference/ike-states.md (failure
 * signatures per implementation). "Initiator" and "responder" are the IKE
 * roles; the verdict text adds the addresses.
 */
#include "ike_explain.h"

#include <stddef.h>

static const ike_cause_text causes[CAUSE__COUNT] = {
    [CAUSE_OK] = {CAUSE_OK, "ok", false,
        "Negotiation succeeded: phase 1 is up and every quick mode seen completed.",
        "", ""},
    [CAUSE_NO_RESPONSE] = {CAUSE_NO_RESPONSE, "no-response", true,
        "The responder never answered the first message (initiator stuck in MM_WAIT_MSG2 / MM_NO_STATE).",
        "Peer down or unreachable, no route to it, UDP 500 filtered on the path, ISAKMP not enabled on the peer's interface, "
        "or (libreswan) no connection defined for the initiator's address: libreswan drops such MM1 silently.",
        "Initiator: the peer address and the route to it. Path: firewalls/ACLs for UDP 500. "
        "Responder: that IKE is enabled on the outside interface and a crypto map / tunnel-group / connection exists for the initiator's address."},
    [CAUSE_PROPOSAL_REJECTED] = {CAUSE_PROPOSAL_REJECTED, "proposal-rejected", true,
        "The responder refused the phase-1 offer with a notification (usually NO-PROPOSAL-CHOSEN).",
        "No IKE policy in common (encryption, key length, hash, authentication method, DH group, lifetime), "
        "or the responder has no configuration or no key for the initiator at all (strongSwan and libreswan answer that with NO-PROPOSAL-CHOSEN too).",
        "Compare the initiator's offered proposals (listed on the notification) with the responder's IKE policies; "
        "check that the responder has a tunnel-group / connection and a pre-shared key for the initiator's address."},
    [CAUSE_REPLY_LOST] = {CAUSE_REPLY_LOST, "reply-lost", true,
        "The responder answered, but the initiator never sent the next message.",
        "The answer was lost on the way back (asymmetric routing, a return-path firewall or NAT), the initiator rejected it, "
        "or this capture was taken on the responder's side and the initiator's next message was dropped before it.",
        "Capture on the initiator's side too: if the answer does not arrive there, trace the return path; if it does, read the initiator's log."},
    [CAUSE_NO_KEY_EXCHANGE_REPLY] = {CAUSE_NO_KEY_EXCHANGE_REPLY, "no-key-exchange-reply", true,
        "The responder did not answer the key exchange (MM3): initiator stuck in MM_WAIT_MSG4 / MM_SA_SETUP.",
        "The responder has no tunnel-group or pre-shared key for the initiator's address (it answers INVALID-KEY-INFORMATION or INVALID-COOKIE, or nothing), "
        "often because NAT in front of the initiator changes the address the responder looks the key up by.",
        "Responder: a tunnel-group / PSK / connection keyed to the address the initiator appears from. Initiator: that it is behind no unexpected NAT."},
    [CAUSE_AUTH_FAILED] = {CAUSE_AUTH_FAILED, "auth-failed", true,
        "Phase-1 authentication failed (MM5 not answered by MM6): initiator stuck in MM_WAIT_MSG6, responder in MM_WAIT_MSG5.",
        "Pre-shared keys differ (the responder cannot decrypt MM5), most likely; otherwise the identity (IDii) does not match "
        "what the responder expects, or a certificate is not trusted.",
        "Both sides: the pre-shared key, character for character; the identities each side sends and expects; certificates and their CA."},
    [CAUSE_NAT_T_BLOCKED] = {CAUSE_NAT_T_BLOCKED, "nat-t-blocked", true,
        "NAT was detected and the negotiation moved to UDP 4500, where nothing came back.",
        "A firewall or the NAT device passes UDP 500 but not UDP 4500, or NAT traversal is disabled on one peer.",
        "Path: permit UDP 4500 both ways. Both peers: NAT traversal enabled (crypto isakmp nat-traversal / nat_traversal=yes)."},
    [CAUSE_AGGRESSIVE_AUTH_FAILED] = {CAUSE_AGGRESSIVE_AUTH_FAILED, "aggressive-auth-failed", true,
        "Aggressive mode failed after the responder's AM2: the initiator did not accept the responder's authentication.",
        "Pre-shared key or group name differs (the initiator cannot verify HASH_R), or the identity does not match; an ASA sends a fake AM2 for an unknown group.",
        "Both sides: the pre-shared key and the group name / identity; if candidate keys were given, see which one matches HASH_R."},
    [CAUSE_PHASE2_PROPOSAL_MISMATCH] = {CAUSE_PHASE2_PROPOSAL_MISMATCH, "phase2-proposal-mismatch", true,
        "Phase 1 is up, but the quick mode was refused with NO-PROPOSAL-CHOSEN.",
        "IPsec transform sets differ (ESP encryption, integrity), PFS on one side only or with another DH group, or incompatible lifetimes.",
        "Both sides: the transform set / ESP proposal, PFS group and lifetimes of this crypto map entry / child SA."},
    [CAUSE_PHASE2_ID_MISMATCH] = {CAUSE_PHASE2_ID_MISMATCH, "phase2-id-mismatch", true,
        "Phase 1 is up, but the quick mode was refused with INVALID-ID-INFORMATION.",
        "The protected networks (proxy identities, crypto ACLs, traffic selectors) are not mirror images of each other, or NAT changes them.",
        "Both sides: the local and remote subnets of the tunnel must mirror each other exactly."},
    [CAUSE_PHASE2_REJECTED] = {CAUSE_PHASE2_REJECTED, "phase2-rejected", true,
        "Phase 1 is up, but the peer answered the quick mode with an encrypted notification instead of QM2.",
        "Without the IKE keys the notification cannot be read: it is either a transform/PFS mismatch (NO-PROPOSAL-CHOSEN) or a proxy-ID mismatch (INVALID-ID-INFORMATION).",
        "Give Wireshark the IKEv1 keys (ikev1_decryption_table) to read it, or compare both the transform sets and the protected networks."},
    [CAUSE_PHASE2_NO_RESPONSE] = {CAUSE_PHASE2_NO_RESPONSE, "phase2-no-response", true,
        "Phase 1 is up, but the quick mode (QM1) was never answered.",
        "The peer dropped QM1 without a notification (some implementations do so on a proxy-ID or proposal mismatch), or could not process it.",
        "The peer's log for this quick mode; transform sets and protected networks on both sides."},
    [CAUSE_PHASE2_NOT_CONFIRMED] = {CAUSE_PHASE2_NOT_CONFIRMED, "phase2-not-confirmed", true,
        "The responder answered the quick mode (QM2) but the initiator never sent QM3.",
        "The initiator did not accept QM2 (e.g. the responder chose a proposal or lifetime it refuses) or could not install its IPsec SAs.",
        "The initiator's log for this quick mode; its kernel / IPsec SA installation."},
    [CAUSE_XAUTH_FAILED] = {CAUSE_XAUTH_FAILED, "xauth-failed", true,
        "Phase 1 is up, but extended authentication (XAUTH) failed.",
        "Wrong user name or password, or the user is not allowed on this group.",
        "The user's credentials and the AAA server / local user database of the gateway."},
    [CAUSE_XAUTH_UNCONFIRMED] = {CAUSE_XAUTH_UNCONFIRMED, "xauth-unconfirmed", true,
        "Phase 1 is up and encrypted XAUTH / mode-config transactions followed, but no quick mode: the remote-access client most likely failed extended authentication.",
        "A wrong XAUTH user name or password (the gateway's status is inside the encrypted transactions), or a client that stopped after mode configuration; or the capture stopped just before the quick mode.",
        "The gateway's AAA / local user log for this client; give Wireshark the IKEv1 keys to read the XAUTH status (xauth-failed when it is FAIL)."},
    [CAUSE_DELETED] = {CAUSE_DELETED, "deleted", false,
        "The negotiation worked, then a peer deleted the IKE SA.",
        "A normal teardown (rekey, shutdown, idle timeout) or a dead peer detected by DPD.",
        "Nothing, unless the tunnel should have stayed up: then the log of the side that sent the delete."},
    [CAUSE_CAPTURE_ENDED] = {CAUSE_CAPTURE_ENDED, "capture-ended", false,
        "The capture ends while the negotiation could still go on.",
        "The capture was stopped too early to tell.",
        "Capture for longer (at least one minute after the last message)."},
    [CAUSE_START_NOT_SEEN] = {CAUSE_START_NOT_SEEN, "start-not-seen", false,
        "The capture starts in the middle of this negotiation; nothing failed in what was seen.",
        "The capture began after phase 1 was negotiated.",
        "Capture from before the tunnel is brought up (clear the SA to renegotiate it)."},
    [CAUSE_UNKNOWN] = {CAUSE_UNKNOWN, "unknown", true,
        "The negotiation stopped in a way that matches no known signature.",
        "See the evidence: the last messages each side sent.",
        "Both peers' logs for this exchange."},
    /* IKEv2-only causes: their words are in causes_v2; the codes here. */
    [CAUSE_KE_REJECTED] = {CAUSE_KE_REJECTED, "ke-rejected", true, "", "", ""},
    [CAUSE_AUTH_REJECTED] = {CAUSE_AUTH_REJECTED, "auth-rejected", true, "", "", ""},
    [CAUSE_AUTH_NO_RESPONSE] = {CAUSE_AUTH_NO_RESPONSE, "auth-no-response", true, "", "", ""},
    [CAUSE_CHILD_PROPOSAL_MISMATCH] = {CAUSE_CHILD_PROPOSAL_MISMATCH, "child-proposal-mismatch", true, "", "", ""},
    [CAUSE_CHILD_TS_UNACCEPTABLE] = {CAUSE_CHILD_TS_UNACCEPTABLE, "child-ts-unacceptable", true, "", "", ""},
    [CAUSE_CHILD_REJECTED] = {CAUSE_CHILD_REJECTED, "child-rejected", true, "", "", ""},
    [CAUSE_PEER_DEAD] = {CAUSE_PEER_DEAD, "peer-dead", true, "", "", ""},
};

/* IKEv2. Codes shared with IKEv1 mean the same kind of stop. */
static const ike_cause_text causes_v2[CAUSE__COUNT] = {
    [CAUSE_OK] = {CAUSE_OK, "ok", false,
        "Negotiation succeeded: the IKE SA is up and every CHILD_SA negotiation seen was accepted.",
        "", ""},
    [CAUSE_NO_RESPONSE] = {CAUSE_NO_RESPONSE, "no-response", true,
        "The responder never answered IKE_SA_INIT (initiator stuck in I_WAIT_INIT / CONNECTING).",
        "Peer down or unreachable, UDP 500 filtered on the path, IKEv2 not enabled on the peer, "
        "or (libreswan) no connection for the initiator's address: libreswan drops such a request silently.",
        "Initiator: the peer address and the route to it. Path: firewalls/ACLs for UDP 500. "
        "Responder: IKEv2 enabled on that interface and a connection / tunnel-group for the initiator."},
    [CAUSE_PROPOSAL_REJECTED] = {CAUSE_PROPOSAL_REJECTED, "proposal-rejected", true,
        "The responder refused IKE_SA_INIT with a notification (usually NO_PROPOSAL_CHOSEN).",
        "No IKE proposal in common (encryption, integrity, PRF, DH group), or the responder has no connection for the initiator at all.",
        "Compare the initiator's IKE proposal with the responder's (crypto ikev2 proposal / ike= / ike_proposals)."},
    [CAUSE_REPLY_LOST] = {CAUSE_REPLY_LOST, "reply-lost", true,
        "The responder answered IKE_SA_INIT, but the initiator never sent IKE_AUTH.",
        "The answer was lost on the way back, or the initiator did not accept it (a proposal it did not offer, a bad KE).",
        "Capture on the initiator's side too; read the initiator's log for this SA."},
    [CAUSE_AUTH_FAILED] = {CAUSE_AUTH_FAILED, "auth-failed", true,
        "IKE_AUTH failed: the peer answered with AUTHENTICATION_FAILED (or another error) instead of its AUTH.",
        "Pre-shared keys differ, the identity (IDi/IDr) is not the one the peer expects, or a certificate is not trusted.",
        "Both sides: the pre-shared key, character for character; the identities sent and expected; certificates and their CA."},
    [CAUSE_NAT_T_BLOCKED] = {CAUSE_NAT_T_BLOCKED, "nat-t-blocked", true,
        "IKE_AUTH moved to UDP 4500 (NAT detected in IKE_SA_INIT, or MOBIKE: strongSwan moves even without NAT), where nothing came back.",
        "A firewall or the NAT device passes UDP 500 but not UDP 4500.",
        "Path: permit UDP 4500 both ways between the peers."},
    [CAUSE_DELETED] = {CAUSE_DELETED, "deleted", false,
        "The negotiation worked, then a peer deleted the IKE SA.",
        "A normal teardown (rekey, shutdown, idle timeout).",
        "Nothing, unless the tunnel should have stayed up: then the log of the side that sent the Delete."},
    [CAUSE_CAPTURE_ENDED] = {CAUSE_CAPTURE_ENDED, "capture-ended", false,
        "The capture ends while the negotiation could still go on.",
        "The capture was stopped too early to tell.",
        "Capture for longer (at least one minute after the last message)."},
    [CAUSE_START_NOT_SEEN] = {CAUSE_START_NOT_SEEN, "start-not-seen", false,
        "The capture starts after this IKE SA was set up; nothing failed in what was seen.",
        "The capture began after IKE_SA_INIT and IKE_AUTH.",
        "Capture from before the tunnel is brought up."},
    [CAUSE_KE_REJECTED] = {CAUSE_KE_REJECTED, "ke-rejected", true,
        "The responder answered IKE_SA_INIT with INVALID_KE_PAYLOAD and no retry with the DH group it asked for succeeded.",
        "The initiator's key exchange is for a DH group the responder does not accept, and the initiator cannot or does not offer the one it asks for.",
        "Both sides: the DH groups of the IKE proposal; put a common group first on the initiator."},
    [CAUSE_AUTH_REJECTED] = {CAUSE_AUTH_REJECTED, "auth-rejected", true,
        "IKE_AUTH was answered by an encrypted message too small to hold the responder's identity and AUTH: a refusal (most likely AUTHENTICATION_FAILED).",
        "Pre-shared keys differ, an identity mismatch, or an untrusted certificate. Without the IKE keys the notification cannot be read.",
        "Give Wireshark the IKEv2 keys (ikev2_decryption_table) to read it; compare the pre-shared keys and identities."},
    [CAUSE_AUTH_NO_RESPONSE] = {CAUSE_AUTH_NO_RESPONSE, "auth-no-response", true,
        "IKE_SA_INIT worked, but IKE_AUTH was never answered (initiator stuck in I_WAIT_AUTH).",
        "The responder dropped IKE_AUTH (it could not decrypt or verify it and stays silent), or IKE_AUTH is lost on the path "
        "(fragmented UDP dropped: large certificates need IKEv2 fragmentation).",
        "The responder's log for this SA; the path for IP fragments; enable IKEv2 fragmentation on both peers."},
    [CAUSE_CHILD_PROPOSAL_MISMATCH] = {CAUSE_CHILD_PROPOSAL_MISMATCH, "child-proposal-mismatch", true,
        "The IKE SA is up, but the CHILD_SA was refused with NO_PROPOSAL_CHOSEN.",
        "ESP proposals differ (encryption, integrity), or PFS on one side only or with another DH group.",
        "Both sides: the ESP proposal (esp= / esp_proposals / crypto ipsec ikev2 ipsec-proposal) and PFS group."},
    [CAUSE_CHILD_TS_UNACCEPTABLE] = {CAUSE_CHILD_TS_UNACCEPTABLE, "child-ts-unacceptable", true,
        "The IKE SA is up, but the CHILD_SA was refused with TS_UNACCEPTABLE.",
        "The traffic selectors (protected networks, crypto ACLs) are not mirror images of each other, or NAT changes them.",
        "Both sides: the local and remote subnets of the tunnel must mirror each other."},
    [CAUSE_CHILD_REJECTED] = {CAUSE_CHILD_REJECTED, "child-rejected", true,
        "The IKE SA is up, but the CHILD_SA was refused: the answer is encrypted and too small to hold the SA and traffic selectors.",
        "An ESP proposal mismatch (NO_PROPOSAL_CHOSEN) or a traffic-selector mismatch (TS_UNACCEPTABLE); without the IKE keys the notification cannot be read.",
        "Give Wireshark the IKEv2 keys to read it, or compare both the ESP proposals and the protected networks."},
    [CAUSE_PEER_DEAD] = {CAUSE_PEER_DEAD, "peer-dead", true,
        "The IKE SA was up, then the peer stopped answering: requests (liveness checks) were resent and never answered.",
        "The peer rebooted or lost its state, or the path broke (a NAT mapping expired, a link went down).",
        "The peer's uptime and log; the path; NAT keepalives and the NAT device's UDP timeout."},
    [CAUSE_UNKNOWN] = {CAUSE_UNKNOWN, "unknown", true,
        "The negotiation stopped in a way that matches no known signature.",
        "See the evidence: the last messages each side sent.",
        "Both peers' logs for this exchange."},
};

const ike_cause_text *ike2_cause_text_for(ike_cause c)
{
    if ((unsigned)c >= CAUSE__COUNT || !causes_v2[c].code)
        return ike_cause_text_for(c);
    return &causes_v2[c];
}

const ike_cause_text *ike_cause_text_for(ike_cause c)
{
    if ((unsigned)c >= CAUSE__COUNT)
        c = CAUSE_UNKNOWN;
    return &causes[c];
}
