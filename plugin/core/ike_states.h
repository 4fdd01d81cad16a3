/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_states.h - messages, side states and the transition table.
 *
 * One state value per side of an IKE SA; ike_state_names() turns it into the
 * three vocabularies engineers know (Cisco ASA and IOS `show crypto isakmp
 * sa`, libreswan STATE_*). The conventions are those of
 * shared/reference/ike-states.md section 2: after message k, its sender is
 * "sent k, waiting k+1"; the receiver keeps its label until it sends.
 */
#ifndef IKE_STATES_H
#define IKE_STATES_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    ROLE_I = 0, /* phase-1 initiator: sent the SA's first message */
    ROLE_R = 1
} ike_role;

typedef enum {
    MSG_NONE = 0,
    MSG_MM1, MSG_MM2, MSG_MM3, MSG_MM4, MSG_MM5, MSG_MM6,
    MSG_AM1, MSG_AM2, MSG_AM3,
    MSG_QM1, MSG_QM2, MSG_QM3, MSG_QM_EXTRA,
    MSG_INFO,          /* informational (exchange 5) */
    MSG_TXN,           /* transaction (exchange 6): XAUTH / mode-config */
    MSG_P1_UNPLACED,   /* phase-1 message that fits no slot */
    MSG_OTHER_EXCH,    /* exchange type isakmpstate does not follow */
    MSG_IKEV2,         /* IKEv2 message that fits no exchange (unknown type) */
    MSG_MALFORMED,     /* not readable as ISAKMP */
    /* IKEv2: each exchange is one request and its response. */
    MSG_V2_INIT_REQ, MSG_V2_INIT_RESP,
    MSG_V2_AUTH_REQ, MSG_V2_AUTH_RESP,
    MSG_V2_CHILD_REQ, MSG_V2_CHILD_RESP,
    MSG_V2_INFO_REQ, MSG_V2_INFO_RESP,
    MSG__COUNT
} ike_msg;

/* Phase-1 state of one side. */
typedef enum {
    S_NONE = 0,    /* holds no SA (never created, or rejected the offer) */
    S_MM_I1, S_MM_I2, S_MM_I3, S_MM_I4,
    S_MM_R0, S_MM_R1, S_MM_R2, S_MM_R3,
    S_AM_I1, S_AM_I2,
    S_AM_R0, S_AM_R1, S_AM_R2,
    S__COUNT
} ike_side_state;

/* Phase-2 (quick mode) state of one side of one quick mode. */
typedef enum {
    Q_NONE = 0,
    Q_I1,       /* sent QM1 */
    Q_I1_GOT2,  /* got QM2, QM3 not yet sent */
    Q_I2,       /* sent QM3: done */
    Q_R0,       /* got QM1 */
    Q_R1,       /* sent QM2 */
    Q_R2,       /* got QM3: done */
    Q__COUNT
} ike_qm_state;

typedef struct {
    const char *asa;        /* Cisco ASA `show crypto isakmp sa` (phase 2: syslog IDs) */
    const char *ios;        /* Cisco IOS `show crypto isakmp sa` (phase 2: debug state) */
    const char *libreswan;  /* libreswan pluto STATE_* */
} ike_state_names_t;

const ike_state_names_t *ike_state_names(ike_side_state s);
const ike_state_names_t *ike_qm_state_names(ike_qm_state s);
bool ike_state_is_established(ike_side_state s);

/* A row of the transition table: what a message does to both sides. */
#define KEEP 0xff
typedef struct {
    ike_msg  msg;
    uint8_t  exch;            /* IKE_EXCH_MAIN / AGGRESSIVE / QUICK */
    ike_role sender;          /* for quick mode: the QM initiator is ROLE_I */
    ike_msg  answers;         /* the message this one replies to */
    uint8_t  sender_after;    /* ike_side_state / ike_qm_state, or KEEP */
    uint8_t  receiver_after;
    bool     completes;       /* phase 1 (or this quick mode) is complete */
} ike_transition;

/* The row for a phase-1 or quick-mode message, or NULL. */
const ike_transition *ike_transition_for(ike_msg m);

const char *ike_msg_name(ike_msg m);
/* Position of a phase-1 message in its exchange (MM3 -> 3), 0 otherwise. */
int ike_msg_ordinal(ike_msg m);
bool ike_msg_is_phase1(ike_msg m);
bool ike_msg_is_quick(ike_msg m);
bool ike_msg_is_v2(ike_msg m);

#endif
