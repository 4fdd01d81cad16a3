/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_states.c - the state vocabularies and the transition table, as data.
 *
 * Sources for every cell: shared/reference/ike-states.md sections 2-5
 * (Cisco ASA/IOS from published debugs, libreswan from ikev1_states.c).
 * "none" means the side holds no SA that `show crypto isakmp sa` would list.
 */
#include "ike_states.h"
#include "ike_wire.h"

#include <stddef.h>

static const ike_state_names_t side_names[S__COUNT] = {
    [S_NONE]  = {"none",         "none",         "none"},
    [S_MM_I1] = {"MM_WAIT_MSG2", "MM_NO_STATE",  "STATE_MAIN_I1"},
    [S_MM_I2] = {"MM_WAIT_MSG4", "MM_SA_SETUP",  "STATE_MAIN_I2"},
    [S_MM_I3] = {"MM_WAIT_MSG6", "MM_KEY_EXCH",  "STATE_MAIN_I3"},
    [S_MM_I4] = {"MM_ACTIVE",    "QM_IDLE",      "STATE_MAIN_I4"},
    /* A responder that has MM1 but has not answered is "processing" in
     * libreswan and shows nothing on Cisco. */
    [S_MM_R0] = {"none",         "none",         "STATE_MAIN_R0"},
    [S_MM_R1] = {"MM_WAIT_MSG3", "MM_SA_SETUP",  "STATE_MAIN_R1"},
    [S_MM_R2] = {"MM_WAIT_MSG5", "MM_KEY_EXCH",  "STATE_MAIN_R2"},
    [S_MM_R3] = {"MM_ACTIVE",    "QM_IDLE",      "STATE_MAIN_R3"},
    [S_AM_I1] = {"AM_WAIT_MSG2", "AG_NO_STATE",  "STATE_AGGR_I1"},
    [S_AM_I2] = {"AM_ACTIVE",    "QM_IDLE",      "STATE_AGGR_I2"},
    [S_AM_R0] = {"none",         "none",         "STATE_AGGR_R0"},
    /* AM_WAIT_MSG3 is inferred by symmetry (reference section 14). */
    [S_AM_R1] = {"AM_WAIT_MSG3", "AG_INIT_EXCH", "STATE_AGGR_R1"},
    [S_AM_R2] = {"AM_ACTIVE",    "QM_IDLE",      "STATE_AGGR_R2"},
};

/* Phase 2 has no `show` state: ASA syslog message IDs, IOS debug states. */
static const ike_state_names_t qm_names[Q__COUNT] = {
    [Q_NONE]    = {"none",          "none",                       "none"},
    [Q_I1]      = {"714002,714004", "IKE_QM_I_QM1",               "STATE_QUICK_I1"},
    [Q_I1_GOT2] = {"714004",        "IKE_QM_IPSEC_INSTALL_AWAIT", "STATE_QUICK_I1"},
    [Q_I2]      = {"714006,713120", "IKE_QM_PHASE2_COMPLETE",     "STATE_QUICK_I2"},
    [Q_R0]      = {"714003",        "IKE_QM_IPSEC_INSTALL_AWAIT", "STATE_QUICK_R0"},
    [Q_R1]      = {"714005",        "IKE_QM_R_QM2",               "STATE_QUICK_R1"},
    [Q_R2]      = {"713120",        "IKE_QM_PHASE2_COMPLETE",     "STATE_QUICK_R2"},
};

/* The transition table. For quick mode, "sender" is relative to the quick
 * mode's own initiator, which may be either phase-1 peer. */
static const ike_transition transitions[] = {
    /* msg      exch                 sender  answers  sender_after receiver_after completes */
    {MSG_MM1, IKE_EXCH_MAIN,       ROLE_I, MSG_NONE, S_MM_I1, S_MM_R0, false},
    {MSG_MM2, IKE_EXCH_MAIN,       ROLE_R, MSG_MM1,  S_MM_R1, KEEP,    false},
    {MSG_MM3, IKE_EXCH_MAIN,       ROLE_I, MSG_MM2,  S_MM_I2, KEEP,    false},
    {MSG_MM4, IKE_EXCH_MAIN,       ROLE_R, MSG_MM3,  S_MM_R2, KEEP,    false},
    {MSG_MM5, IKE_EXCH_MAIN,       ROLE_I, MSG_MM4,  S_MM_I3, KEEP,    false},
    /* The initiator is established once MM6 verifies; the wire shows MM6. */
    {MSG_MM6, IKE_EXCH_MAIN,       ROLE_R, MSG_MM5,  S_MM_R3, S_MM_I4, true},
    {MSG_AM1, IKE_EXCH_AGGRESSIVE, ROLE_I, MSG_NONE, S_AM_I1, S_AM_R0, false},
    {MSG_AM2, IKE_EXCH_AGGRESSIVE, ROLE_R, MSG_AM1,  S_AM_R1, KEEP,    false},
    {MSG_AM3, IKE_EXCH_AGGRESSIVE, ROLE_I, MSG_AM2,  S_AM_I2, S_AM_R2, true},
    {MSG_QM1, IKE_EXCH_QUICK,      ROLE_I, MSG_NONE, Q_I1,    Q_R0,    false},
    {MSG_QM2, IKE_EXCH_QUICK,      ROLE_R, MSG_QM1,  Q_R1,    Q_I1_GOT2, false},
    {MSG_QM3, IKE_EXCH_QUICK,      ROLE_I, MSG_QM2,  Q_I2,    Q_R2,    true},
};

const ike_transition *ike_transition_for(ike_msg m)
{
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
        if (transitions[i].msg == m)
            return &transitions[i];
    return NULL;
}

const ike_state_names_t *ike_state_names(ike_side_state s)
{
    return (unsigned)s < S__COUNT ? &side_names[s] : &side_names[S_NONE];
}

const ike_state_names_t *ike_qm_state_names(ike_qm_state s)
{
    return (unsigned)s < Q__COUNT ? &qm_names[s] : &qm_names[Q_NONE];
}

bool ike_state_is_established(ike_side_state s)
{
    return s == S_MM_I4 || s == S_MM_R3 || s == S_AM_I2 || s == S_AM_R2;
}

static const char *const msg_names[MSG__COUNT] = {
    [MSG_NONE] = "-",
    [MSG_MM1] = "MM1", [MSG_MM2] = "MM2", [MSG_MM3] = "MM3",
    [MSG_MM4] = "MM4", [MSG_MM5] = "MM5", [MSG_MM6] = "MM6",
    [MSG_AM1] = "AM1", [MSG_AM2] = "AM2", [MSG_AM3] = "AM3",
    [MSG_QM1] = "QM1", [MSG_QM2] = "QM2", [MSG_QM3] = "QM3",
    [MSG_QM_EXTRA] = "QM-extra",
    [MSG_INFO] = "INFO", [MSG_TXN] = "TXN",
    [MSG_P1_UNPLACED] = "P1-unplaced", [MSG_OTHER_EXCH] = "other-exchange",
    [MSG_IKEV2] = "IKEv2-other", [MSG_MALFORMED] = "malformed",
    [MSG_V2_INIT_REQ] = "INIT-req", [MSG_V2_INIT_RESP] = "INIT-resp",
    [MSG_V2_AUTH_REQ] = "AUTH-req", [MSG_V2_AUTH_RESP] = "AUTH-resp",
    [MSG_V2_CHILD_REQ] = "CHILD-req", [MSG_V2_CHILD_RESP] = "CHILD-resp",
    [MSG_V2_INFO_REQ] = "INFO-req", [MSG_V2_INFO_RESP] = "INFO-resp",
};

const char *ike_msg_name(ike_msg m)
{
    return (unsigned)m < MSG__COUNT && msg_names[m] ? msg_names[m] : "?";
}

int ike_msg_ordinal(ike_msg m)
{
    if (m >= MSG_MM1 && m <= MSG_MM6) return (int)(m - MSG_MM1) + 1;
    if (m >= MSG_AM1 && m <= MSG_AM3) return (int)(m - MSG_AM1) + 1;
    if (m >= MSG_QM1 && m <= MSG_QM3) return (int)(m - MSG_QM1) + 1;
    return 0;
}

bool ike_msg_is_phase1(ike_msg m) { return m >= MSG_MM1 && m <= MSG_AM3; }
bool ike_msg_is_quick(ike_msg m) { return m >= MSG_QM1 && m <= MSG_QM_EXTRA; }
bool ike_msg_is_v2(ike_msg m) { return m == MSG_IKEV2 || (m >= MSG_V2_INIT_REQ && m <= MSG_V2_INFO_RESP); }
