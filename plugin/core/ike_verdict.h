/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_verdict.h - where each IKE SA's negotiation stopped, and why.
 *
 * Plain C. Computed once the whole capture has been tracked (the end of the
 * first pass), from the tracker's SAs, exchanges and records. The wording a
 * user reads lives in ike_explain.c, one table.
 */
#ifndef IKE_VERDICT_H
#define IKE_VERDICT_H

#include "ike_tracker.h"

typedef enum {
    CAUSE_OK = 0,
    CAUSE_NO_RESPONSE,
    CAUSE_PROPOSAL_REJECTED,
    CAUSE_REPLY_LOST,
    CAUSE_NO_KEY_EXCHANGE_REPLY,
    CAUSE_AUTH_FAILED,
    CAUSE_NAT_T_BLOCKED,
    CAUSE_AGGRESSIVE_AUTH_FAILED,
    CAUSE_PHASE2_PROPOSAL_MISMATCH,
    CAUSE_PHASE2_ID_MISMATCH,
    CAUSE_PHASE2_REJECTED,
    CAUSE_PHASE2_NO_RESPONSE,
    CAUSE_PHASE2_NOT_CONFIRMED,
    CAUSE_XAUTH_FAILED,
    CAUSE_XAUTH_UNCONFIRMED,
    CAUSE_DELETED,
    CAUSE_CAPTURE_ENDED,
    CAUSE_START_NOT_SEEN,
    /* IKEv2 only */
    CAUSE_KE_REJECTED,
    CAUSE_AUTH_REJECTED,
    CAUSE_AUTH_NO_RESPONSE,
    CAUSE_CHILD_PROPOSAL_MISMATCH,
    CAUSE_CHILD_TS_UNACCEPTABLE,
    CAUSE_CHILD_REJECTED,
    CAUSE_PEER_DEAD,
    CAUSE_UNKNOWN,
    CAUSE__COUNT
} ike_cause;

typedef enum {
    QM_OUT_COMPLETED = 0,
    QM_OUT_NO_REPLY,     /* QM1 only */
    QM_OUT_NO_CONFIRM,   /* QM2 seen, QM3 never */
    QM_OUT_REJECTED,     /* answered by a notification */
    QM_OUT__COUNT
} ike_qm_outcome;

#define IKE_EVIDENCE_FRAMES 8

typedef struct {
    uint32_t  sa;
    ike_cause cause;
    bool      failed;          /* cause is a failure (not ok/deleted/capture-ended) */
    uint32_t  stop_frame;      /* the SA's last message: where the expert info goes */
    uint32_t  stop_record;
    uint8_t   stuck_msg;       /* message left unanswered (ike_msg), MSG_NONE if none */
    uint8_t   stuck_from;      /* its sender's role */
    uint16_t  stuck_copies;    /* how many times it was sent */
    uint32_t  stuck_frames[IKE_EVIDENCE_FRAMES];
    double    stuck_first_time, stuck_last_time;
    uint16_t  notify;          /* the notification behind the cause, 0 if none */
    uint32_t  notify_frame;
    bool      notify_encrypted;/* an answer was seen but could not be read */
    uint16_t  qm_completed, qm_failed;
    uint32_t  failed_qm_exch;  /* exchange index of the quick mode (IKEv2: the exchange) behind the cause */
    uint32_t  icmp_frame;      /* an ICMP error quoting one of the SA's messages */
    uint16_t  txn_count;       /* transaction (XAUTH / mode-config) messages after phase 1 */
    uint32_t  txn_first_frame, txn_last_frame;
    /* IKEv2 */
    uint16_t  v2_init_tries;   /* IKE_SA_INIT requests with new bytes */
    uint16_t  v2_retry_notify; /* COOKIE / INVALID_KE_PAYLOAD that made it retry */
    uint16_t  v2_auth_rounds;  /* IKE_AUTH exchanges (more than one: EAP or multiple auth) */
    uint16_t  v2_children_ok, v2_children_failed;
    bool      v2_by_size;      /* an encrypted response's meaning was read from its size */
    uint8_t   final_state[2];  /* each side's state once the SA ended: the state after its last
                                * packet, unless the verdict shows more (IKEv2 ke-rejected: no
                                * retry came, the initiator gave up) */
} ike_verdict;

/* A verdict in words, written when asked for rather than kept: the three
 * strings took 1,230 bytes per IKE SA, more than the tracker itself. */
typedef struct {
    char *states;   /* "initiator 192.0.2.1:500 left in MM_WAIT_MSG6 (IOS ..., libreswan ...); responder ..." */
    char *evidence; /* the frames and facts behind the cause */
    char *text;     /* the whole verdict in one paragraph (reports) */
} ike_verdict_words;

typedef struct ike_verdicts ike_verdicts;

ike_verdicts      *ike_verdicts_compute(const ike_tracker *t);
void               ike_verdicts_free(ike_verdicts *v);
const ike_verdict *ike_verdict_for_sa(const ike_verdicts *v, uint32_t sa);
ike_qm_outcome     ike_verdict_qm_outcome(const ike_verdicts *v, uint32_t exch);

/* Fill *w for SA number sa (malloc'd strings, never NULL on success);
 * false when out of memory or no such SA. Free with ike_verdict_words_free. */
bool ike_verdict_words_for(const ike_tracker *t, const ike_verdicts *v, uint32_t sa, ike_verdict_words *w);
void ike_verdict_words_free(ike_verdict_words *w);

/* What else a report tells of an SA, whatever its verdict, as one line into
 * buf: the implementations its Vendor IDs name, the chosen proposal, its
 * weak algorithms, the phase-1 lifetime, liveness checks and rekeys. Empty
 * (returns false) when there is nothing to say. */
bool ike_sa_details(const ike_tracker *t, const ike_sa *sa, char *buf, size_t len);

const char *ike_cause_code(ike_cause c);      /* "auth-failed" */
/* IKEv2: the outcome of one CHILD_SA negotiation (IKE_AUTH or
 * CREATE_CHILD_SA), as in reports: "established" or "failed" (refused or
 * never answered), or NULL when the exchange makes no CHILD_SA. */
const char *ike2_child_outcome(const ike_tracker *t, uint32_t exch);
const char *ike_qm_outcome_code(ike_qm_outcome o);

#endif
