/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_text.h - every sentence isakmpstate shows a user outside the cause
 * explanations (ike_explain.c) and the notify table (ike_notify.c): expert
 * info texts and summaries, tree labels and values that are words, the
 * Info column tags, the verdict's evidence sentences.
 *
 * The texts are data: two lists below, one of fixed words and one of
 * formats. From the lists come an enum (IKE_TXT_<ID>), one table of
 * strings (ike_text()), and for each format a typed function
 * ike_txt_<name>(buf, size, args...) that fills buf like snprintf and
 * returns the length it needed. The format literal sits in that function's
 * body, so the compiler checks it against the declared parameters
 * (-Wformat), and the callers' arguments against those parameters.
 */
#ifndef IKE_TEXT_H
#define IKE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "ike_verdict.h"

/* Room for any one expert text: Wireshark cuts expert and item labels at
 * 240 characters anyway. */
#define IKE_TEXT_MAX 512

/* X(ID, "text"): fixed words. */
#define IKE_TEXT_WORDS(X)                                                                               \
    /* Registered expert info summaries (Expert Information groups by them). */                       \
    X(EI_RETRANS, "IKE retransmission")                                                                 \
    X(EI_DUP, "Duplicate recorded by the capture")                                                      \
    X(EI_START_NOT_SEEN, "Capture starts in the middle of the IKE SA")                                  \
    X(EI_OUT_OF_ORDER, "Message out of sequence")                                                       \
    X(EI_MALFORMED, "Malformed ISAKMP message")                                                         \
    X(EI_WEAK, "Weak cryptography chosen")                                                              \
    X(EI_V2_ESTABLISHED, "IKEv2: IKE SA established")                                                   \
    X(EI_V2_REFUSED, "IKEv2: request refused")                                                          \
    X(EI_V2_RETRY, "IKEv2: IKE_SA_INIT to be sent again (COOKIE or INVALID_KE_PAYLOAD)")                \
    X(EI_V2_UNANSWERED, "IKEv2: request never answered in this capture")                                \
    X(EI_V2_FRAGMENT_MISSING, "IKEv2: fragment missing (RFC 7383)")                                     \
    X(EI_UNKNOWN_EXCH, "Exchange type not followed")                                                    \
    X(EI_P1_COMPLETE, "Phase 1 complete")                                                               \
    X(EI_QM_COMPLETE, "Quick mode complete")                                                            \
    X(EI_CHILD_REKEY, "Phase-2 rekey")                                                                  \
    X(CHILD_REKEY_UNSEEN, "Phase-2 rekey: this exchange renews ESP SAs negotiated before the capture")   \
    X(EI_FLOAT, "The IKE SA moved to UDP 4500")                                                         \
    X(EI_DELETE, "Delete")                                                                              \
    X(EI_NOTIFY, "Notification")                                                                        \
    X(EI_NOTIFY_STATUS, "Status notification")                                                          \
    X(EI_ENC_NOTIFY, "Encrypted informational: type not readable without keys")                         \
    X(EI_DECRYPT_FAILED, "Decrypted payloads do not parse")                                             \
    X(EI_NATD, "NAT detected by recomputing NAT-D")                                                     \
    X(EI_PSK, "Aggressive-mode pre-shared key check")                                                   \
    X(EI_ICMP, "ISAKMP message quoted in an ICMP error: the path or peer rejected it")                  \
    /* What a cause's expert summary says of it, by its class. */                                     \
    X(CLASS_FAILED, "negotiation failed")                                                               \
    X(CLASS_PROBABLY_FAILED, "negotiation probably failed")                                             \
    X(CLASS_ENDED_EARLY, "capture ended during the negotiation")                                        \
    X(CLASS_OUTCOME, "negotiation outcome")                                                             \
    /* Roles, as sentences use them, and as tree labels start. */                                     \
    X(ROLE_I, "initiator")                                                                              \
    X(ROLE_R, "responder")                                                                              \
    X(WHO_I, "Initiator")                                                                               \
    X(WHO_R, "Responder")                                                                               \
    X(WHO_QM_I, "QM initiator")                                                                         \
    X(WHO_QM_R, "QM responder")                                                                         \
    /* Field values (fields/fields.tsv documents them). */                                            \
    X(MODE_MAIN, "main")                                                                                \
    X(MODE_AGGRESSIVE, "aggressive")                                                                    \
    X(MODE_UNKNOWN, "unknown")                                                                          \
    X(PAYLOADS_CLEAR, "clear")                                                                          \
    X(PAYLOADS_DECRYPTED, "decrypted")                                                                  \
    X(PAYLOADS_UNREADABLE, "encrypted, not readable without the IKE keys")                              \
    X(PAYLOADS_EMPTY, "encrypted, empty")                                                               \
    X(NATD_UNCHANGED, "addresses unchanged")                                                            \
    X(NATD_BOTH, "both addresses translated")                                                           \
    X(NATD_SENDER, "sender's address translated")                                                       \
    X(NATD_RECEIVER, "receiver's address translated")                                                   \
    X(NAT_BOTH, "in front of both peers")                                                               \
    X(NAT_INITIATOR, "in front of the initiator")                                                       \
    X(NAT_RESPONDER, "in front of the responder")                                                       \
    X(NAT_NONE, "none")                                                                                 \
    X(DELETES_V1_IKE, "ISAKMP SA")                                                                      \
    X(DELETES_V1_IPSEC, "IPsec SA")                                                                     \
    X(DELETES_V2_IKE, "IKE SA")                                                                         \
    X(DELETES_V2_CHILD, "CHILD SA")                                                                     \
    X(XAUTH_OK, "OK")                                                                                   \
    X(XAUTH_FAIL, "FAIL")                                                                               \
    X(PSK_NONE_VALUE, "no candidate matches HASH_R")                                                    \
    X(MALFORMED_NOT_V1, "not ISAKMP version 1")                                                         \
    /* Pieces of sentences. */                                                                        \
    X(PREFIX_V2, "IKEv2 ")                                                                              \
    X(NATD_HOW_V1, "NAT-D recomputed from the cookies")                                                 \
    X(NATD_HOW_V2, "NAT detection hashes recomputed from the SPIs")                                     \
    X(NATD_FORCEENCAP, " (or the sender forces UDP encapsulation: strongSwan's forceencap sends a random hash)") \
    X(FLOAT_NAT, "NAT detected in IKE_SA_INIT")                                                         \
    X(FLOAT_NO_NAT, "no NAT detected: MOBIKE or forced UDP encapsulation")                              \
    X(DELETE_V1_IKE, "the IKE (ISAKMP) SA")                                                             \
    X(DELETE_V1_IPSEC, "IPsec SAs")                                                                     \
    X(DELETE_V2_IKE, "the IKE SA")                                                                      \
    X(DELETE_V2_CHILD, "CHILD SAs (ESP/AH)")                                                            \
    X(NOTIFY_SEE_RFC, "see RFC 2408 3.14.1")                                                            \
    X(RETRY, "retry")                                                                                   \
    /* Whole expert texts without arguments. */                                                       \
    X(DECRYPT_FAILED_V1, "Decrypted payloads do not parse: the key in ikev1_decryption_table is probably not this SA's; payloads ignored") \
    X(DECRYPT_FAILED_V1_RETRANS, "Decrypted payloads do not parse: expected for a retransmission (Wireshark decrypts it with the next message's IV); ignored") \
    X(DECRYPT_FAILED_V2, "Decrypted payloads do not parse: the keys in ikev2_decryption_table are probably not this SA's; payloads ignored") \
    X(PSK_NONE, "The responder's HASH_R matches none of the candidate pre-shared keys: the responder uses another key (or this is not a PSK exchange)") \
    /* Why a message is malformed (ike_malformed_text()). */                                          \
    X(MALFORMED_NONE, "well formed")                                                                    \
    X(MALFORMED_SHORT_HEADER, "shorter than the 28-byte ISAKMP header")                                 \
    X(MALFORMED_LENGTH_TOO_SMALL, "header length field is below 28")                                    \
    X(MALFORMED_TRUNCATED, "header length field is beyond the end of the packet")                       \
    X(MALFORMED_PAYLOAD_LENGTH, "a payload length is below 4 or runs past the end of the message")      \
    X(MALFORMED_TOO_MANY_PAYLOADS, "payload chain longer than 64 payloads")                             \
    X(MALFORMED_OTHER, "malformed")                                                                     \
    /* The verdict's evidence (ike_verdict_words_for()). */                                           \
    X(EV_NO_REPLY, ", no reply")                                                                        \
    X(EV_FRAMES_MORE, ", ...")                                                                          \
    X(EV_FRAMES_END, ")")                                                                               \
    X(EV_END, ".")                                                                                      \
    X(EV_SEP, " ")                                                                                      \
    X(EV_PSK_NONE, "AM2's HASH_R matches none of the candidate pre-shared keys.")                       \
    X(EV_NATD_V1, "NAT-D")                                                                              \
    X(EV_NATD_V2, "NAT detection")                                                                      \
    X(EV_NAT_BOTH, "NAT in front of both peers")                                                        \
    X(EV_NAT_INITIATOR, "NAT in front of the initiator")                                                \
    X(EV_NAT_RESPONDER, "NAT in front of the responder")                                                \
    X(EV_NAT_NONE, "no NAT")                                                                            \
    /* Packet comments of annotated captures (ike_comment.c). */                                      \
    X(CMT_PREFIX, "isakmpstate: ")                                                                      \
    X(CMT_SEP, "; ")                                                                                    \
    X(CMT_FLOAT, "moved to UDP 4500")                                                                   \
    X(CMT_OUT_OF_ORDER, "out of order, states unchanged")                                               \
    X(CMT_UNKNOWN_STATE, "?")                                                                           \
    X(EV_START_NOT_SEEN, "The capture does not show the start of this SA; earlier states are inferred.") \
    X(EV_AT_THE_END, "At the end, ")                                                                    \
    X(PLURAL_S, "s")                                                                                    \
    /* Info column tags without arguments (the others: IKE_TEXT_TAGS). */                             \
    X(TAG_ICMP, "[quoted in ICMP error] ")                                                              \
    X(TAG_MALFORMED, "[malformed ISAKMP] ")

/* X(ID, name, "format", (parameters), (arguments)): texts with arguments.
 * Field values among them are marked so in their name (_value). */
#define IKE_TEXT_FORMATS(X)                                                                             \
    X(CAUSE_SUMMARY, cause_summary, "%s (%s)", (const char *code, const char *class_words), (code, class_words)) \
    X(VERDICT, verdict, "%s: %s", (const char *code, const char *summary), (code, summary))             \
    X(RETRANS, retrans, "%s%s sent again by the %s: copy #%u of frame %u, %.3f s after it",              \
      (const char *prefix, const char *msg, const char *role, unsigned copy, unsigned first_frame, double after_s), \
      (prefix, msg, role, copy, first_frame, after_s))                                                  \
    X(DUP, dup, "Same bytes and IP ID as frame %u: the capture recorded one datagram twice",             \
      (unsigned frame), (frame))                                                                        \
    X(NATD, natd, "%s and this packet's addresses: %s, so NAT sits in front of the %s%s",                \
      (const char *how, const char *what, const char *role, const char *note), (how, what, role, note)) \
    X(WEAK, weak, "Weak cryptography in the chosen proposal: %s", (const char *what), (what))           \
    X(TOP_NO_SA, top_no_sa, ": %s", (const char *msg), (msg))                                           \
    X(TOP, top, ": SA %u, %s from %s; initiator %s, responder %s",                                     \
      (unsigned sa, const char *msg, const char *from, const char *istate, const char *rstate),         \
      (sa, msg, from, istate, rstate))                                                                  \
    X(TOP_V2_NO_SA, top_v2_no_sa, ": IKEv2 %s", (const char *msg), (msg))                               \
    X(TOP_V2, top_v2, ": IKEv2 SA %u, %s from %s; initiator %s, responder %s",                         \
      (unsigned sa, const char *msg, const char *from, const char *istate, const char *rstate),         \
      (sa, msg, from, istate, rstate))                                                                  \
    X(STATE_LABEL, state_label, "%s state: %s", (const char *who, const char *states), (who, states))   \
    X(STATES_VALUE, states_value, "%s (IOS %s, libreswan %s)",                                          \
      (const char *asa, const char *ios, const char *libreswan), (asa, ios, libreswan))                 \
    X(STATES_V2_VALUE, states_v2_value, "%s (Cisco %s / %s, libreswan %s)",                             \
      (const char *strongswan, const char *cisco, const char *cisco_sm, const char *libreswan),         \
      (strongswan, cisco, cisco_sm, libreswan))                                                         \
    X(UNKNOWN_EXCH, unknown_exch, "Exchange type %u (%s) is not followed by isakmpstate",                \
      (unsigned type, const char *name), (type, name))                                                  \
    X(V2_UNKNOWN_EXCH, v2_unknown_exch, "IKEv2 exchange type %u is not followed by isakmpstate",        \
      (unsigned type), (type))                                                                          \
    X(V2_UNANSWERED, v2_unanswered, "%s from the %s (message ID %u) is never answered in this capture", \
      (const char *msg, const char *role, unsigned msgid), (msg, role, msgid))                          \
    X(V2_UNANSWERED_RESENT, v2_unanswered_resent,                                                       \
      "%s from the %s (message ID %u) is never answered in this capture (sent %u times)",               \
      (const char *msg, const char *role, unsigned msgid, unsigned times), (msg, role, msgid, times))    \
    X(V2_FRAGMENTS_VALUE, v2_fragments_value, "%u fragments", (unsigned total), (total))                \
    X(V2_FRAGMENT_MISSING, v2_fragment_missing, "%s: fragment %u of %u is not in the capture",           \
      (const char *msg, unsigned k, unsigned total), (msg, k, total))                                   \
    X(V2_FLOAT, v2_float, "The IKE SA moved to UDP 4500 here (%s)", (const char *why), (why))           \
    X(START_NOT_SEEN, start_not_seen,                                                                   \
      "The capture starts in the middle of this IKE SA (first message seen: %s); earlier states are inferred", \
      (const char *msg), (msg))                                                                         \
    X(V2_START_NOT_SEEN, v2_start_not_seen,                                                             \
      "The capture starts in the middle of this IKE SA (first message seen: %s)", (const char *msg), (msg)) \
    X(V2_START_NOT_SEEN_REKEY, v2_start_not_seen_rekey,                                                 \
      "The capture starts in the middle of this IKE SA (first message seen: %s); it was made by rekeying IKE SA %u", \
      (const char *msg, unsigned old_sa), (msg, old_sa))                                                \
    X(OUT_OF_ORDER, out_of_order,                                                                       \
      "%s does not fit the exchange's sequence here (late, reordered, changed, or another mode); state unchanged", \
      (const char *msg), (msg))                                                                         \
    X(V2_OUT_OF_ORDER, v2_out_of_order,                                                                 \
      "%s: another message with this message ID and direction came earlier; state unchanged",           \
      (const char *msg), (msg))                                                                         \
    X(P1_COMPLETE, p1_complete, "Phase 1 complete (%s mode): both sides %s / %s",                       \
      (const char *mode, const char *asa, const char *ios), (mode, asa, ios))                           \
    X(V2_ESTABLISHED, v2_established, "IKE SA established: both sides %s (Cisco %s)",                  \
      (const char *strongswan, const char *cisco), (strongswan, cisco))                                 \
    X(QM_COMPLETE, qm_complete, "Quick mode (message ID 0x%08x) complete: IPsec SAs negotiated",        \
      (unsigned msgid), (msgid))                                                                        \
    X(MALFORMED, malformed, "Malformed ISAKMP message: %s; tracked as far as it could be read",          \
      (const char *why), (why))                                                                         \
    X(MALFORMED_UNTRACKED, malformed_untracked, "Malformed ISAKMP message: %s; not tracked",            \
      (const char *why), (why))                                                                         \
    X(NOTIFY_VALUE, notify_value, "%s (%u)", (const char *name, unsigned type), (name, type))          \
    X(NOTIFY, notify, "%s (%u) from the %s: %s",                                                        \
      (const char *name, unsigned type, const char *role, const char *meaning), (name, type, role, meaning)) \
    X(NOTIFY_OFFERED, notify_offered, "%s (%u) from the %s: %s. The initiator offered: %s",             \
      (const char *name, unsigned type, const char *role, const char *meaning, const char *offered),    \
      (name, type, role, meaning, offered))                                                             \
    X(ENC_NOTIFY, enc_notify,                                                                           \
      "Encrypted informational from the %s: a notification or delete whose type cannot be read without the IKE keys", \
      (const char *role), (role))                                                                       \
    X(V2_RETRY, v2_retry, "%s from the %s: %s",                                                         \
      (const char *name, const char *role, const char *meaning), (name, role, meaning))                 \
    X(V2_REFUSED, v2_refused, "%s refused by the %s: %s (%u)",                                          \
      (const char *exch, const char *role, const char *name, unsigned type), (exch, role, name, type))  \
    X(V2_REFUSED_MEANING, v2_refused_meaning, "%s refused by the %s: %s (%u): %s",                      \
      (const char *exch, const char *role, const char *name, unsigned type, const char *meaning),        \
      (exch, role, name, type, meaning))                                                                \
    X(V2_REFUSED_UNREADABLE, v2_refused_unreadable,                                                     \
      "%s refused by the %s: the answer is encrypted, but too small to hold what an acceptance carries", \
      (const char *exch, const char *role), (exch, role))                                               \
    X(DELETE, delete, "The %s deletes %s", (const char *role, const char *what), (role, what))          \
    X(PSK_MATCH_VALUE, psk_match_value, "candidate on line %d matches HASH_R", (int line), (line))      \
    X(PSK_MATCH, psk_match,                                                                             \
      "The responder's HASH_R was made with the candidate pre-shared key on line %d of the candidates file", \
      (int line), (line))                                                                               \
    /* The verdict: states each side is left in, the evidence, the whole. */                          \
    X(EV_STATES, ev_states,                                                                             \
      "initiator %s left in %s (IOS %s, libreswan %s); responder %s left in %s (IOS %s, libreswan %s)",  \
      (const char *ia, const char *iasa, const char *iios, const char *ilsw,                            \
       const char *ra, const char *rasa, const char *rios, const char *rlsw),                           \
      (ia, iasa, iios, ilsw, ra, rasa, rios, rlsw))                                                     \
    X(EV_STATES_V2, ev_states_v2,                                                                       \
      "initiator %s left in %s (Cisco %s / %s, libreswan %s); responder %s left in %s (Cisco %s / %s, libreswan %s)", \
      (const char *ia, const char *isw, const char *icst, const char *icsm, const char *ilsw,           \
       const char *ra, const char *rsw, const char *rcst, const char *rcsm, const char *rlsw),          \
      (ia, isw, icst, icsm, ilsw, ra, rsw, rcst, rcsm, rlsw))                                           \
    /* "MM5 from the initiator sent 3 times (frames 5, 7, 9) over 8.0 s". */                          \
    X(EV_SENT, ev_sent, "%s from the %s sent %u time%s (frame%s",                                       \
      (const char *msg, const char *role, unsigned copies, const char *s1, const char *s2),             \
      (msg, role, copies, s1, s2))                                                                      \
    X(EV_FRAME_FIRST, ev_frame_first, " %u", (unsigned frame), (frame))                                 \
    X(EV_FRAME_NEXT, ev_frame_next, ", %u", (unsigned frame), (frame))                                  \
    X(EV_OVER, ev_over, " over %.1f s", (double seconds), (seconds))                                    \
    X(EV_ANSWERED, ev_answered, "; answered by %s (%u) in frame %u",                                    \
      (const char *name, unsigned type, unsigned frame), (name, type, frame))                           \
    X(EV_ANSWERED_ENCRYPTED, ev_answered_encrypted,                                                     \
      "; answered by an encrypted notification in frame %u that cannot be read without the IKE keys",   \
      (unsigned frame), (frame))                                                                        \
    X(EV_ANSWERED_V2_ENCRYPTED, ev_answered_v2_encrypted,                                               \
      "; answered in frame %u by an encrypted message that cannot be read without the IKE keys "        \
      "(its size and first payload say it is a refusal)", (unsigned frame), (frame))                    \
    X(EV_XAUTH, ev_xauth,                                                                               \
      "Phase 1 complete in frame %u; then %u encrypted transaction message%s (frame%s %u to %u) and no quick mode.", \
      (unsigned p1_frame, unsigned count, const char *s1, const char *s2, unsigned first, unsigned last), \
      (p1_frame, count, s1, s2, first, last))                                                           \
    X(EV_ICMP, ev_icmp,                                                                                 \
      "An ICMP error quoting a message of this SA came back in frame %u: the path or the peer rejects it.", \
      (unsigned frame), (frame))                                                                        \
    X(EV_OFFERED, ev_offered, "The initiator offered: %s.", (const char *offered), (offered))          \
    X(EV_PSK_MATCH, ev_psk_match, "AM2's HASH_R was made with the candidate pre-shared key on line %d.", \
      (int line), (line))                                                                               \
    X(EV_NAT, ev_nat, "%s (frame %u on): %s.", (const char *how, unsigned frame, const char *nat),      \
      (how, frame, nat))                                                                                \
    X(EV_FLOAT, ev_float, "NAT traversal: moved to UDP 4500 at frame %u.", (unsigned frame), (frame))   \
    X(EV_V2_INIT_TRIES, ev_v2_init_tries, "IKE_SA_INIT was sent %u times with new contents after %s (%u).", \
      (unsigned tries, const char *name, unsigned type), (tries, name, type))                           \
    X(EV_V2_AUTH_ROUNDS, ev_v2_auth_rounds, "IKE_AUTH took %u round trips (EAP or several authentications).", \
      (unsigned rounds), (rounds))                                                                      \
    X(EV_V2_REKEY, ev_v2_rekey, "This IKE SA replaced IKE SA %u (rekey).", (unsigned old_sa), (old_sa)) \
    X(EV_V1_REKEY, ev_v1_rekey, "This IKE SA replaced IKE SA %u (phase-1 rekey: a new phase 1 while that one was up).", \
      (unsigned old_sa), (old_sa))                                                                      \
    X(EV_REKEYED_BY, ev_rekeyed_by, "IKE SA %u replaced it (rekey, frame %u).", (unsigned new_sa, unsigned frame), \
      (new_sa, frame))                                                                                  \
    X(EV_V1_CHILD_REKEYS, ev_v1_child_rekeys,                                                           \
      "Phase-2 rekeys: %u (quick modes renewing the proxy IDs of an earlier one; first in frame %u).",  \
      (unsigned n, unsigned frame), (n, frame))                                                         \
    X(EV_V2_CHILD_REKEYS, ev_v2_child_rekeys, "CHILD_SA rekeys: %u (first in frame %u).",              \
      (unsigned n, unsigned frame), (n, frame))                                                         \
    X(CHILD_REKEY_OF, child_rekey_of, "Phase-2 rekey: this exchange renews the ESP SAs negotiated from frame %u", \
      (unsigned frame), (frame))                                                                        \
    X(EV_V2_CHILDREN, ev_v2_children, "CHILD_SAs: %u accepted, %u refused.",                            \
      (unsigned ok, unsigned refused), (ok, refused))                                                   \
    X(EV_QMS, ev_qms, "Quick modes: %u completed, %u failed.", (unsigned completed, unsigned failed),   \
      (completed, failed))                                                                              \
    X(VERDICT_TEXT, verdict_text, "[%s] %s %s%s. %s",                                                   \
      (const char *code, const char *summary, const char *at_the_end, const char *states, const char *evidence), \
      (code, summary, at_the_end, states, evidence))                                                    \
    X(VERDICT_TEXT_ADVICE, verdict_text_advice, " Likely: %s Check: %s",                               \
      (const char *likely, const char *check), (likely, check))                                         \
    /* Packet comments of annotated captures (ike_comment.c), after CMT_PREFIX: what the message      \
     * is and the states it leaves, then remarks, each after "; ". */                                 \
    X(CMT_HEAD, cmt_head, "SA %u %s", (unsigned sa, const char *msg), (sa, msg))                       \
    X(CMT_FROM, cmt_from, " from %s", (const char *role), (role))                                      \
    X(CMT_STATES, cmt_states, " -> initiator %s, responder %s", (const char *i, const char *r), (i, r)) \
    X(CMT_STATE_PAIR, cmt_state_pair, "%s / %s", (const char *a, const char *b), (a, b))              \
    X(CMT_RETRANS, cmt_retrans, "retransmission %u of frame %u", (unsigned copy, unsigned frame), (copy, frame)) \
    X(CMT_DUP, cmt_dup, "capture duplicate of frame %u", (unsigned frame), (frame))                    \
    X(CMT_NOTIFY, cmt_notify, "notify %u %s", (unsigned type, const char *name), (type, name))          \
    X(CMT_NOTIFY_BARE, cmt_notify_bare, "notify %u", (unsigned type), (type))                          \
    X(CMT_DELETE, cmt_delete, "delete %s", (const char *what), (what))                                 \
    X(CMT_XAUTH, cmt_xauth, "XAUTH %s", (const char *status), (status))                                \
    X(CMT_NATD, cmt_natd, "NAT-D: %s", (const char *what), (what))                                     \
    X(CMT_MALFORMED, cmt_malformed, "malformed: %s", (const char *why), (why))                         \
    X(CMT_PSK, cmt_psk, "PSK: %s", (const char *what), (what))                                         \
    X(CMT_REKEY, cmt_rekey, "rekey of SA %u", (unsigned old_sa), (old_sa))                              \
    X(CMT_CHILD_REKEY, cmt_child_rekey, "phase-2 rekey of the exchange of frame %u", (unsigned frame), (frame)) \
    X(CMT_QM_OUTCOME, cmt_qm_outcome, "this quick mode: %s", (const char *outcome), (outcome))         \
    X(CMT_V2_CHILD, cmt_v2_child, "CHILD_SA %s", (const char *outcome), (outcome))                     \
    X(CMT_MALFORMED_NO_SA, cmt_malformed_no_sa, "malformed ISAKMP message: %s", (const char *why), (why)) \
    X(CMT_V2_NO_SA, cmt_v2_no_sa, "IKEv2 %s, in no IKE SA the plugin follows", (const char *msg), (msg)) \
    /* On the stop frame (with the cause's summary and the evidence), and on the other frames the      \
     * verdict rests on. */                                                                           \
    X(CMT_VERDICT_STOP, cmt_verdict_stop, "verdict %s: %s %s",                                          \
      (const char *code, const char *summary, const char *evidence), (code, summary, evidence))         \
    X(CMT_VERDICT_REF, cmt_verdict_ref, "verdict %s (SA %u, stop frame %u)",                            \
      (const char *code, unsigned sa, unsigned stop_frame), (code, sa, stop_frame))

/* X(ID, name, "format", (parameters), (arguments)): the Info column tags,
 * in front of Wireshark's Info text. They are made on every packet, so
 * their functions (ike_tag_<name>) use a formatter that knows %s and %u
 * only, cheaper than vsnprintf (fields of the tag are short). */
#define IKE_TEXT_TAGS(X)                                                                                \
    X(TAG_DUP, dup, "[%s capture duplicate of frame %u] ", (const char *msg, unsigned frame), (msg, frame)) \
    X(TAG_RETRANS, retrans, "[%s resent #%u, first sent in frame %u] ",                                 \
      (const char *msg, unsigned copy, unsigned first_frame), (msg, copy, first_frame))                 \
    X(TAG_V2_UNKNOWN, v2_unknown, "[IKEv2 exchange %u not followed] ", (unsigned type), (type))         \
    X(TAG_V2_FRAGMENT, v2_fragment, "[%s further fragment] ", (const char *msg), (msg))                 \
    X(TAG_V2_REFUSED, v2_refused, "[%s %s -> %s] ",                                                     \
      (const char *msg, const char *notify, const char *state), (msg, notify, state))                   \
    X(TAG_STATE, state, "[%s -> %s] ", (const char *msg, const char *state), (msg, state))              \
    X(TAG_INFO_NOTIFY, info_notify, "[INFO %s] ", (const char *notify), (notify))                       \
    X(TAG_ENCRYPTED, encrypted, "[%s encrypted] ", (const char *msg), (msg))                            \
    X(TAG_MSG, msg, "[%s] ", (const char *msg), (msg))

#define IKE_TEXT_ENUM_WORD(ID, text) IKE_TXT_##ID,
#define IKE_TEXT_ENUM_FMT(ID, name, fmt, params, args) IKE_TXT_##ID,
typedef enum {
    IKE_TEXT_WORDS(IKE_TEXT_ENUM_WORD)
    IKE_TXT__FIRST_FORMAT,
    IKE_TXT__BEFORE_FORMATS = IKE_TXT__FIRST_FORMAT - 1,
    IKE_TEXT_FORMATS(IKE_TEXT_ENUM_FMT)
    IKE_TEXT_TAGS(IKE_TEXT_ENUM_FMT)
    IKE_TXT__COUNT
} ike_text_id;
#undef IKE_TEXT_ENUM_WORD
#undef IKE_TEXT_ENUM_FMT

/* The string of a text: the words, or the format; "" for an id out of
 * range. */
const char *ike_text(ike_text_id id);

/* The typed formatting functions, one per format. */
#define IKE_TEXT_UNWRAP(...) __VA_ARGS__
#define IKE_TEXT_PROTO(ID, name, fmt, params, args) \
    size_t ike_txt_##name(char *buf, size_t size, IKE_TEXT_UNWRAP params);
IKE_TEXT_FORMATS(IKE_TEXT_PROTO)
#undef IKE_TEXT_PROTO
#define IKE_TEXT_TAG_PROTO(ID, name, fmt, params, args) \
    size_t ike_tag_##name(char *buf, size_t size, IKE_TEXT_UNWRAP params);
IKE_TEXT_TAGS(IKE_TEXT_TAG_PROTO)
#undef IKE_TEXT_TAG_PROTO

/* "initiator" or "responder" (ROLE_I / ROLE_R of ike_tracker.h). */
const char *ike_text_role(uint8_t role);

/* How sure a verdict is, which the glue turns into a severity: a failure,
 * a failure inferred from encrypted messages (likely, not certain), a
 * capture that ended too early, or any other outcome. */
typedef enum {
    IKE_CAUSE_CLASS_FAILED,
    IKE_CAUSE_CLASS_PROBABLY_FAILED,
    IKE_CAUSE_CLASS_ENDED_EARLY,
    IKE_CAUSE_CLASS_OUTCOME,
} ike_cause_class;
ike_cause_class ike_text_cause_class(ike_cause c);
/* Its words for an expert summary ("negotiation failed", ...). */
const char *ike_text_cause_class_words(ike_cause_class k);

#endif
