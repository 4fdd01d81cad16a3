/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike2_states.c - IKEv2 state names and transitions, as data.
 *
 * Sources: strongSwan 5.9.8 and libreswan 4.10 logs of the lab captures
 * (sample-captures/v2-*.log: "state change" lines, STATE_V2_* names) and
 * their sources; Cisco names from Cisco's IKEv2 debug technotes (see
 * fields/ikev2-states.md for each name's source and which are inferred).
 */
#include "ike2_states.h"
#include "ike_wire.h"

#include <stddef.h>

/* "(i)" in fields/ikev2-states.md marks the Cisco debug names no Cisco
 * document we could read shows; the rest come from real device output. */
static const ike2_state_names_t names[V2__COUNT] = {
    /*                     Cisco status Cisco SM          strongSwan     libreswan 4.10 */
    [V2_NONE]           = {"none",      "none",           "none",        "none"},
    [V2_I_INIT]         = {"IN-NEG",    "I_WAIT_INIT",    "CONNECTING",  "STATE_V2_PARENT_I1"},
    /* Not answered yet: nothing shows that the responder has it (an
     * unanswered request may never have reached it). */
    [V2_R_INIT_GOT]     = {"none",      "none",           "none",        "STATE_V2_PARENT_R0"},
    [V2_R_INIT]         = {"IN-NEG",    "R_WAIT_AUTH",    "CONNECTING",  "STATE_V2_PARENT_R1"},
    [V2_I_AUTH]         = {"IN-NEG",    "I_WAIT_AUTH",    "CONNECTING",  "STATE_V2_PARENT_I2"},
    /* Not answered yet: it may not have it (IKE_AUTH lost on the path), so
     * what shows is what it showed after its IKE_SA_INIT answer. */
    [V2_R_AUTH_GOT]     = {"IN-NEG",    "R_WAIT_AUTH",    "CONNECTING",  "STATE_V2_PARENT_R1"},
    [V2_EST]            = {"READY",     "READY",          "ESTABLISHED", "STATE_V2_ESTABLISHED_IKE_SA"},
    [V2_REKEYING]       = {"READY",     "READY",          "REKEYING",    "STATE_V2_ESTABLISHED_IKE_SA"},
    [V2_REKEYED]        = {"READY",     "READY",          "REKEYED",     "STATE_V2_ESTABLISHED_IKE_SA"},
    [V2_DELETING]       = {"DELETE",    "DELETE",         "DELETING",    "STATE_V2_IKE_SA_DELETE"},
    [V2_DELETE_GOT]     = {"DELETE",    "DELETE",         "DELETING",    "STATE_V2_ESTABLISHED_IKE_SA"},
    /* Refused: strongSwan destroys the SA at once; libreswan deletes its
     * state in the one it was in (a libreswan initiator ignores a clear
     * NO_PROPOSAL_CHOSEN and stays in I1); Cisco lists it no more. */
    [V2_I_INIT_REFUSED] = {"none",      "I_WAIT_INIT",    "DESTROYING",  "STATE_V2_PARENT_I1"},
    [V2_R_INIT_REFUSED] = {"none",      "R_INIT",         "DESTROYING",  "STATE_V2_PARENT_R0"},
    [V2_I_AUTH_REFUSED] = {"none",      "AUTH_DONE",      "DESTROYING",  "STATE_V2_PARENT_I2"},
    [V2_R_AUTH_REFUSED] = {"none",      "R_VERIFY_AUTH",  "DESTROYING",  "STATE_V2_PARENT_R1"},
    [V2_GONE]           = {"none",      "none",           "DESTROYING",  "none"},
};

const ike2_state_names_t *ike2_state_names(ike2_side_state s)
{
    return (unsigned)s < V2__COUNT ? &names[s] : &names[V2_NONE];
}

bool ike2_state_is_established(ike2_side_state s)
{
    return s == V2_EST || s == V2_REKEYING || s == V2_REKEYED;
}

/* The IKE_SA_INIT and IKE_AUTH requester is always the SA's initiator;
 * CREATE_CHILD_SA and INFORMATIONAL may come from either side. */
static const ike2_transition table[] = {
    /* exch                    ask                outcome               requester          responder          establishes */
    {IKE2_EXCH_SA_INIT,       V2_ASK_PLAIN,      V2_OUT_REQUEST,       V2_I_INIT,         V2_R_INIT_GOT,     false},
    {IKE2_EXCH_SA_INIT,       V2_ASK_PLAIN,      V2_OUT_OK,            KEEP,              V2_R_INIT,         false},
    {IKE2_EXCH_SA_INIT,       V2_ASK_PLAIN,      V2_OUT_REFUSED,       V2_I_INIT_REFUSED, V2_R_INIT_REFUSED, false},
    /* Asked to retry: the initiator goes on, the responder kept nothing
     * (strongSwan destroys the SA it made for INVALID_KE_PAYLOAD; a COOKIE
     * is sent before any SA exists). */
    {IKE2_EXCH_SA_INIT,       V2_ASK_PLAIN,      V2_OUT_RETRY,         KEEP,              V2_R_INIT_REFUSED, false},
    {IKE2_EXCH_SA_INIT,       V2_ASK_PLAIN,      V2_OUT_COOKIE,        KEEP,              V2_NONE,           false},
    /* IKE_AUTH (and each EAP round of it) */
    {IKE2_EXCH_AUTH,          V2_ASK_PLAIN,      V2_OUT_REQUEST,       V2_I_AUTH,         V2_R_AUTH_GOT,     false},
    {IKE2_EXCH_AUTH,          V2_ASK_PLAIN,      V2_OUT_OK,            V2_EST,            V2_EST,            true},
    /* The IKE SA is up even when its first CHILD_SA was refused. */
    {IKE2_EXCH_AUTH,          V2_ASK_PLAIN,      V2_OUT_CHILD_REFUSED, V2_EST,            V2_EST,            true},
    {IKE2_EXCH_AUTH,          V2_ASK_PLAIN,      V2_OUT_REFUSED,       V2_I_AUTH_REFUSED, V2_R_AUTH_REFUSED, false},
    /* IKE SA rekey (RFC 7296 2.18): the old SA is replaced. */
    {IKE2_EXCH_CREATE_CHILD,  V2_ASK_REKEY_IKE,  V2_OUT_REQUEST,       V2_REKEYING,       KEEP,              false},
    {IKE2_EXCH_CREATE_CHILD,  V2_ASK_REKEY_IKE,  V2_OUT_OK,            V2_REKEYED,        V2_REKEYED,        false},
    {IKE2_EXCH_CREATE_CHILD,  V2_ASK_REKEY_IKE,  V2_OUT_REFUSED,       V2_EST,            KEEP,              false},
    /* Delete of the IKE SA: both sides are deleting until it is answered. */
    {IKE2_EXCH_INFO,          V2_ASK_DELETE_IKE, V2_OUT_REQUEST,       V2_DELETING,       V2_DELETE_GOT,     false},
    {IKE2_EXCH_INFO,          V2_ASK_DELETE_IKE, V2_OUT_OK,            V2_GONE,           V2_GONE,           false},
    {IKE2_EXCH_INFO,          V2_ASK_DELETE_IKE, V2_OUT_REFUSED,       V2_GONE,           V2_GONE,           false},
};

const ike2_transition *ike2_transition_for(uint8_t exch, ike2_ask ask, ike2_outcome out)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].exch == exch && table[i].ask == ask && table[i].outcome == out)
            return &table[i];
    return NULL;
}

ike_msg ike2_msg_for(uint8_t exch, bool response)
{
    switch (exch) {
    case IKE2_EXCH_SA_INIT:      return response ? MSG_V2_INIT_RESP : MSG_V2_INIT_REQ;
    case IKE2_EXCH_AUTH:         return response ? MSG_V2_AUTH_RESP : MSG_V2_AUTH_REQ;
    case IKE2_EXCH_CREATE_CHILD: return response ? MSG_V2_CHILD_RESP : MSG_V2_CHILD_REQ;
    case IKE2_EXCH_INFO:         return response ? MSG_V2_INFO_RESP : MSG_V2_INFO_REQ;
    default:                     return MSG_IKEV2;
    }
}
