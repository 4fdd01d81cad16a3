/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike2_states.h - IKEv2: the state of each side of an IKE SA, its names in
 * the vocabularies engineers read (Cisco `show crypto ikev2 sa` status and
 * the state names of Cisco's IKEv2 debugs, strongSwan's IKE_SA state,
 * libreswan 4.10's STATE_V2_*), and the transition table, as data.
 *
 * A message's effect depends on its exchange, whether it is the request or
 * the response, and what the response says (accepted, refused, asked to
 * retry); the tracker classifies, the table decides.
 */
#ifndef IKE2_STATES_H
#define IKE2_STATES_H

#include <stdbool.h>
#include <stdint.h>

#include "ike_states.h"

typedef enum {
    V2_NONE = 0,     /* holds no IKE SA */
    V2_I_INIT,       /* initiator: IKE_SA_INIT sent, waiting for the response */
    V2_R_INIT_GOT,   /* responder: IKE_SA_INIT received, not answered yet */
    V2_R_INIT,       /* responder: IKE_SA_INIT answered, waiting for IKE_AUTH */
    V2_I_AUTH,       /* initiator: IKE_AUTH sent, waiting for the response */
    V2_R_AUTH_GOT,   /* responder: IKE_AUTH received, not answered yet */
    V2_EST,          /* IKE SA established */
    V2_REKEYING,     /* established; an IKE SA rekey was requested */
    V2_REKEYED,      /* replaced by a new IKE SA (rekey answered) */
    V2_DELETING,     /* sent a Delete of the IKE SA, waiting for the answer */
    V2_DELETE_GOT,   /* received a Delete of the IKE SA, answering it */
    V2_I_INIT_REFUSED, /* initiator: IKE_SA_INIT refused */
    V2_R_INIT_REFUSED, /* responder: refused IKE_SA_INIT (or asked for another DH group) */
    V2_I_AUTH_REFUSED, /* initiator: IKE_AUTH refused */
    V2_R_AUTH_REFUSED, /* responder: refused IKE_AUTH */
    V2_GONE,         /* deleted */
    V2__COUNT
} ike2_side_state;

/* What a message says, as far as it can be read (the tracker decides). */
typedef enum {
    V2_OUT_REQUEST = 0,   /* a request (what it asks does not change the row) */
    V2_OUT_OK,            /* a response that accepts */
    V2_OUT_REFUSED,       /* a response with an error notify (or, encrypted, too small to accept) */
    V2_OUT_RETRY,         /* IKE_SA_INIT answered with INVALID_KE_PAYLOAD: try another DH group */
    V2_OUT_COOKIE,        /* IKE_SA_INIT answered with COOKIE: try again with it */
    V2_OUT_CHILD_REFUSED, /* IKE_AUTH accepted the IKE SA but refused the CHILD_SA */
    V2_OUT__COUNT
} ike2_outcome;

/* The request's purpose, where it matters for the states. */
typedef enum {
    V2_ASK_PLAIN = 0,     /* nothing that moves the IKE SA (liveness, a CHILD_SA, ...) */
    V2_ASK_REKEY_IKE,     /* CREATE_CHILD_SA for a new IKE SA */
    V2_ASK_DELETE_IKE,    /* INFORMATIONAL with a Delete of the IKE SA */
    V2_ASK_LIVENESS,      /* an empty INFORMATIONAL: a liveness check (no state moves) */
} ike2_ask;

typedef struct {
    const char *cisco_status;  /* `show crypto ikev2 sa` Status column */
    const char *cisco_sm;      /* Cisco IKEv2 debug state-machine name */
    const char *strongswan;    /* strongSwan IKE_SA state */
    const char *libreswan;     /* libreswan 4.10 state */
} ike2_state_names_t;

typedef struct {
    uint8_t exch;          /* IKE2_EXCH_* */
    uint8_t ask;           /* ike2_ask (requests) or of the request answered */
    uint8_t outcome;       /* ike2_outcome */
    uint8_t requester_after;  /* ike2_side_state or KEEP */
    uint8_t responder_after;
    bool    establishes;   /* the IKE SA is up after this message */
} ike2_transition;

const ike2_state_names_t *ike2_state_names(ike2_side_state s);
bool ike2_state_is_established(ike2_side_state s);
/* The row for a message, or NULL: the IKE SA's states do not move. */
const ike2_transition *ike2_transition_for(uint8_t exch, ike2_ask ask, ike2_outcome out);
/* MSG_V2_* of a request or response of this exchange (MSG_IKEV2 if unknown). */
ike_msg ike2_msg_for(uint8_t exch, bool response);

#endif
