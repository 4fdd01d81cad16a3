/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike2_verdict.c - where an IKEv2 SA stopped, and why: facts gathered from
 * its exchanges, then the first rule of a table that matches.
 */
#include <stddef.h>
#include <string.h>

#include "ike2_states.h"
#include "ike2_verdict.h"
#include "ike_wire.h"

/* What the exchanges of one SA show, in the order they started. */
typedef struct {
    const ike_tracker  *t;
    const ike_sa       *sa;
    const ike_exchange *init, *auth, *unanswered, *child_fail, *info_unanswered;
    uint32_t init_i, auth_i, unanswered_i, child_fail_i;
    uint16_t auth_rounds, children_ok, answered;
    bool     later_child_ok;  /* a CHILD_SA accepted after child_fail */
    bool     deleted;         /* a Delete of the IKE SA was read */
    bool     established;
    bool     nat;             /* NAT detected (NAT_DETECTION_* hashes) */
    bool     ended;           /* the unanswered request was sent once, just before the capture ends */
} v2_facts;


static bool answered(const ike_exchange *ex) { return ex->slot[1].rec != 0; }

/* ---- the rules: the first that holds gives the cause ---------------------- */

static bool r_init_unanswered(const v2_facts *f) { return f->init && !answered(f->init); }
static bool r_init_refused(const v2_facts *f) { return f->init && ike_exchange_part(f->t, f->init)->v2_outcome == V2_OUT_REFUSED; }
static bool r_ke_rejected(const v2_facts *f)
{
    const ike_exch_part *p = ike_exchange_part(f->t, f->init);
    return f->init && p->v2_outcome == V2_OUT_RETRY && p->v2_notify == 17;
}
static bool r_auth_unanswered_nat(const v2_facts *f)
{
    return f->auth && !answered(f->auth) && !f->ended &&
           (f->nat || ike_slot_frame(f->t, &f->auth->slot[0]) >= ike_sa_float_frame(f->t, f->sa)) && (f->sa->flags & SA_FLOATED);
}
static bool r_auth_unanswered(const v2_facts *f) { return f->auth && !answered(f->auth) && !f->ended; }
static bool r_auth_failed(const v2_facts *f)
{
    const ike_exch_part *p = ike_exchange_part(f->t, f->auth);
    return f->auth && p->v2_outcome == V2_OUT_REFUSED && !p->v2_unreadable;
}
static bool r_auth_rejected(const v2_facts *f)
{
    const ike_exch_part *p = ike_exchange_part(f->t, f->auth);
    return f->auth && p->v2_outcome == V2_OUT_REFUSED && p->v2_unreadable;
}
static bool child_notify(const v2_facts *f, uint16_t n)
{
    const ike_exch_part *p = ike_exchange_part(f->t, f->child_fail);
    return f->child_fail && !f->later_child_ok && !p->v2_unreadable && p->v2_notify == n;
}
static bool r_child_proposal(const v2_facts *f) { return child_notify(f, 14); }
static bool r_child_ts(const v2_facts *f) { return child_notify(f, 38); }
static bool r_child_rejected(const v2_facts *f) { return f->child_fail && !f->later_child_ok; }
static bool r_peer_dead(const v2_facts *f) { return f->established && f->info_unanswered && !f->ended; }
static bool r_capture_ended(const v2_facts *f) { return f->ended; }
static bool r_reply_lost(const v2_facts *f)
{
    return f->init && ike_exchange_part(f->t, f->init)->v2_outcome == V2_OUT_OK && !f->auth && !f->established;
}
static bool r_deleted(const v2_facts *f) { return f->deleted; }
static bool r_ok(const v2_facts *f) { return f->established; }
static bool r_start_not_seen(const v2_facts *f) { return (f->sa->flags & SA_START_NOT_SEEN) && !f->init; }
static bool r_any(const v2_facts *f) { (void)f; return true; }

typedef struct {
    bool (*holds)(const v2_facts *f);
    ike_cause cause;
} v2_rule;

/* Order matters: the earliest stop wins, and a readable notification wins
 * over what sizes suggest. */
static const v2_rule rules[] = {
    {r_init_unanswered,     CAUSE_NO_RESPONSE},     /* or capture-ended, below */
    {r_init_refused,        CAUSE_PROPOSAL_REJECTED},
    {r_ke_rejected,         CAUSE_KE_REJECTED},
    {r_auth_unanswered_nat, CAUSE_NAT_T_BLOCKED},
    {r_auth_unanswered,     CAUSE_AUTH_NO_RESPONSE},
    {r_auth_failed,         CAUSE_AUTH_FAILED},
    {r_auth_rejected,       CAUSE_AUTH_REJECTED},
    {r_child_proposal,      CAUSE_CHILD_PROPOSAL_MISMATCH},
    {r_child_ts,            CAUSE_CHILD_TS_UNACCEPTABLE},
    {r_child_rejected,      CAUSE_CHILD_REJECTED},
    {r_peer_dead,           CAUSE_PEER_DEAD},
    {r_capture_ended,       CAUSE_CAPTURE_ENDED},
    {r_reply_lost,          CAUSE_REPLY_LOST},
    {r_deleted,             CAUSE_DELETED},
    {r_ok,                  CAUSE_OK},
    {r_start_not_seen,      CAUSE_START_NOT_SEEN},
    {r_any,                 CAUSE_UNKNOWN},
};

static bool is_child_exchange(const ike_tracker *t, const ike_exchange *ex)
{
    const ike_exch_part *p = ike_exchange_part(t, ex);
    return p->v2_exch == IKE2_EXCH_CREATE_CHILD && p->v2_ask != V2_ASK_REKEY_IKE;
}

const char *ike2_child_outcome(const ike_tracker *t, uint32_t exch)
{
    const ike_exchange *ex = ike_tracker_exchange(t, exch);
    if (!ex || (ex->kind != EX_V2_BY_I && ex->kind != EX_V2_BY_R))
        return NULL;
    /* Unanswered counts as failed: no CHILD_SA came of it. */
    const ike_exch_part *p = ike_exchange_part(t, ex);
    if (p->v2_exch != IKE2_EXCH_AUTH && !is_child_exchange(t, ex))
        return NULL;
    return answered(ex) && p->v2_outcome == V2_OUT_OK ? "established" : "failed";
}

void ike2_decide(const ike_tracker *t, const ike_sa *sa, ike_verdict *vd, double capture_end,
                 double grace)
{
    v2_facts f;
    memset(&f, 0, sizeof f);
    f.t = t;
    f.sa = sa;
    f.nat = (sa->flags & SA_NAT_CHECKED) && (sa->flags & (SA_NAT_I | SA_NAT_R));
    f.deleted = (sa->flags & SA_DELETED) != 0;
    for (uint32_t i = sa->exch_head; i;) {
        const ike_exchange *ex = ike_tracker_exchange(t, i);
        if (!ex)
            break;
        if (ex->kind == EX_V2_BY_I || ex->kind == EX_V2_BY_R) {
            const ike_exch_part *p = ike_exchange_part(t, ex);
            if (answered(ex))
                f.answered++;
            else if (ex->slot[0].rec) {
                f.unanswered = ex;
                f.unanswered_i = i;
                if (p->v2_exch == IKE2_EXCH_INFO || p->v2_exch == IKE2_EXCH_CREATE_CHILD)
                    f.info_unanswered = ex;
            }
            if (p->v2_exch == IKE2_EXCH_SA_INIT) {
                f.init = ex;
                f.init_i = i;
            } else if (p->v2_exch == IKE2_EXCH_AUTH) {
                f.auth = ex;
                f.auth_i = i;
                f.auth_rounds++;
            } else if (is_child_exchange(t, ex) && answered(ex)) {
                if (p->v2_outcome == V2_OUT_OK) {
                    f.children_ok++;
                    if (f.child_fail)
                        f.later_child_ok = true;
                } else if (!f.child_fail) {
                    f.child_fail = ex;
                    f.child_fail_i = i;
                }
            }
        }
        i = ike_exchange_next(t, i, ex);
    }
    /* The first CHILD_SA rides in the last IKE_AUTH response. */
    uint8_t auth_outcome = ike_exchange_part(t, f.auth)->v2_outcome;
    if (f.auth && auth_outcome == V2_OUT_CHILD_REFUSED && !f.child_fail) {
        f.child_fail = f.auth;
        f.child_fail_i = f.auth_i;
        f.later_child_ok = f.children_ok > 0;
    } else if (f.auth && auth_outcome == V2_OUT_OK) {
        f.children_ok++;
    }
    /* An SA first seen after its IKE_AUTH is up once anything is answered. */
    f.established = (sa->flags & SA_P1_COMPLETE) || ((sa->flags & SA_START_NOT_SEEN) && !f.init && f.answered > 0);
    if (f.unanswered && f.unanswered->slot[0].count == 0 &&
        capture_end - ike_slot_time(t, &f.unanswered->slot[0]) < grace)
        f.ended = true;

    size_t k = 0;
    while (!rules[k].holds(&f))
        k++;
    vd->cause = rules[k].cause;
    if (vd->cause == CAUSE_NO_RESPONSE && f.ended)
        vd->cause = CAUSE_CAPTURE_ENDED;
    /* Asked for another DH group and no retry came: the initiator gave up
     * (strongSwan destroys the SA when it cannot make the group). */
    if (vd->cause == CAUSE_KE_REJECTED)
        vd->final_state[ROLE_I] = V2_I_INIT_REFUSED;

    /* Evidence: the message left unanswered, or the refusal. */
    const ike_exchange *stuck = NULL;
    uint32_t stuck_i = 0;
    switch (vd->cause) {
    case CAUSE_NO_RESPONSE: case CAUSE_CAPTURE_ENDED: case CAUSE_NAT_T_BLOCKED:
    case CAUSE_AUTH_NO_RESPONSE: case CAUSE_PEER_DEAD:
        stuck = f.unanswered;
        stuck_i = f.unanswered_i;
        break;
    case CAUSE_PROPOSAL_REJECTED: case CAUSE_KE_REJECTED:
        stuck = f.init;
        stuck_i = f.init_i;
        break;
    case CAUSE_AUTH_FAILED: case CAUSE_AUTH_REJECTED:
        stuck = f.auth;
        stuck_i = f.auth_i;
        break;
    case CAUSE_CHILD_PROPOSAL_MISMATCH: case CAUSE_CHILD_TS_UNACCEPTABLE: case CAUSE_CHILD_REJECTED:
        stuck = f.child_fail;
        stuck_i = f.child_fail_i;
        break;
    default:
        break;
    }
    const ike_exch_part *sp = ike_exchange_part(t, stuck);
    if (stuck && stuck->slot[0].rec) {
        vd->stuck_msg = (uint8_t)ike2_msg_for(sp->v2_exch, false);
        vd->stuck_from = stuck->initiator;
        vd->failed_qm_exch = stuck_i;
        if (answered(stuck)) {
            vd->notify = sp->v2_notify;
            vd->notify_frame = ike_slot_first_frame(t, &stuck->slot[1]);
            vd->notify_encrypted = sp->v2_unreadable != 0;
        }
    }
    vd->v2_init_tries = ike_sa_x(t, sa)->init_tries;
    vd->v2_retry_notify = ike_sa_x(t, sa)->retry_notify;
    vd->v2_auth_rounds = f.auth_rounds;
    vd->v2_children_ok = f.children_ok;
    vd->v2_children_failed = f.child_fail ? 1 : 0;
    vd->v2_by_size = stuck && sp->v2_unreadable && answered(stuck);
}
