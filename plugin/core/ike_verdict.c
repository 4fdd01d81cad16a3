/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_verdict.c - decide, per IKE SA, where the negotiation stopped and the
 * most likely cause, from what the capture shows.
 *
 * The rules follow the failure signatures of shared/reference/ike-states.md
 * section 10, checked against strongSwan and libreswan captures (see
 * sample-captures/). They look at: the last phase-1 message and who sent it,
 * readable notifications, encrypted answers that cannot be read, the port
 * float, and each quick mode's messages. Cost: one pass over the records
 * plus one over the SAs, whatever the capture holds.
 */
#include "ike_verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike2_states.h"
#include "ike2_verdict.h"
#include "ike_explain.h"
#include "ike_notify.h"
#include "ike_text.h"
#include "ike_vendor.h"
#include "ike_weak.h"

/* A message sent once whose wait ends within this long before the capture
 * does might still have been answered or resent: "capture-ended". The
 * shortest first retransmission interval seen (strongSwan 4 s, IOS 10 s)
 * sets the scale. */
#define CAPTURE_END_GRACE 10.0

struct ike_verdicts {
    uint32_t     n;
    ike_verdict *v;        /* indexed by SA number; [0] unused */
    uint32_t     n_exch;
    uint8_t     *qm_outcome; /* indexed by exchange index */
};

/* What one pass over the records gathers per SA. */
typedef struct {
    uint32_t last_rec, last_frame;
    uint16_t reject_notify;       /* first readable error notify in phase 1 */
    uint32_t reject_frame;
    uint8_t  reject_from;
    bool     has_reject;
    bool     r_after_float;       /* responder sent something after the float */
    bool     i_info_after_am2;    /* initiator sent an informational after AM2 */
    bool     i_info_unreadable;   /* ... encrypted, no keys */
    uint32_t i_info_frame;
    bool     r_enc_info_p1;       /* responder sent an unreadable informational before phase 1 completed */
    uint32_t r_enc_info_frame;
    bool     xauth_fail;
    uint32_t xauth_fail_frame;
    bool     has_txn;
    bool     any_encrypted;       /* some message of the SA was encrypted: keys existed */
    bool     txn_unreadable;      /* a transaction message after phase 1 could not be read */
    bool     xauth_ok;            /* a readable XAUTH status OK */
    uint16_t txn_count;
    uint32_t txn_first_frame, txn_last_frame;
    uint32_t icmp_frame;          /* first ICMP error quoting a message of the SA */
    uint32_t p1_delete_frame;     /* first readable ISAKMP-SA delete */
} sa_facts;

const char *ike_cause_code(ike_cause c) { return ike_cause_text_for(c)->code; }

const char *ike_qm_outcome_code(ike_qm_outcome o)
{
    static const char *const names[QM_OUT__COUNT] = {"completed", "no-reply", "no-confirm", "rejected"};
    return (unsigned)o < QM_OUT__COUNT ? names[o] : "unknown";
}

const ike_verdict *ike_verdict_for_sa(const ike_verdicts *v, uint32_t sa)
{
    if (!v || sa == 0 || sa > v->n)
        return NULL;
    return &v->v[sa];
}

ike_qm_outcome ike_verdict_qm_outcome(const ike_verdicts *v, uint32_t exch)
{
    if (!v || exch == 0 || exch > v->n_exch)
        return QM_OUT_NO_REPLY;
    return (ike_qm_outcome)v->qm_outcome[exch];
}

void ike_verdicts_free(ike_verdicts *v)
{
    if (!v)
        return;
    free(v->v);
    free(v->qm_outcome);
    free(v);
}

/* ---- quick modes ------------------------------------------------------- */

/* An informational from 'from' that started after 'after' in this SA. */
static const ike_exchange *info_after(const ike_tracker *t, const ike_sa *sa, uint8_t from,
                                      uint32_t after, uint32_t before)
{
    for (uint32_t i = sa->exch_head; i;) {
        const ike_exchange *ex = ike_tracker_exchange(t, i);
        if (ex->kind == EX_INFO && ex->initiator == from && ike_slot_first_frame(t, &ex->slot[from]) > after &&
            (before == 0 || ike_slot_first_frame(t, &ex->slot[from]) < before))
            return ex;
        i = ike_exchange_next(t, i, ex);
    }
    return NULL;
}

static uint16_t first_notify(const ike_tracker *t, const ike_exchange *ex, bool *readable)
{
    const ike_record *r = NULL;
    ike_record c;
    unsigned n;
    uint32_t idx = ike_tracker_find_frame(t, ike_slot_first_frame(t, &ex->slot[ex->initiator]), &n);
    for (unsigned k = 0; k < n; k++) {
        ike_tracker_record(t, idx + k, &c);
        if (c.sa == ex->sa && c.msg == MSG_INFO) {
            r = &c;
            break;
        }
    }
    *readable = r && !(r->flags & REC_UNREADABLE);
    return r ? r->notify : 0;
}

static ike_qm_outcome qm_outcome(const ike_tracker *t, const ike_sa *sa, const ike_exchange *ex,
                                 uint16_t *notify, bool *notify_readable, uint32_t *notify_frame)
{
    *notify = 0;
    *notify_readable = false;
    *notify_frame = 0;
    if (ex->complete)
        return QM_OUT_COMPLETED;
    const ike_exch_part *q = ike_exchange_part(t, ex);
    if (q->last_ord >= 2)
        return QM_OUT_NO_CONFIRM;
    /* Refused: the QM responder opened an informational after QM1. */
    uint8_t qm_responder = (uint8_t)!ex->initiator;
    const ike_exchange *info = info_after(t, sa, qm_responder, q->frames[0], 0);
    if (info) {
        *notify = first_notify(t, info, notify_readable);
        *notify_frame = ike_slot_first_frame(t, &info->slot[qm_responder]);
        /* A readable delete or status notify alone is not a refusal. */
        if (!*notify_readable || (*notify != 0 && ike_notify_in_error_range(*notify)))
            return QM_OUT_REJECTED;
    }
    return QM_OUT_NO_REPLY;
}

/* ---- text ---------------------------------------------------------------- */

typedef struct { char *buf; size_t len, cap; } strbuf;

static void sb_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        size_t room = sb->cap - sb->len;
        va_start(ap, fmt);
        int w = vsnprintf(sb->buf ? sb->buf + sb->len : NULL, sb->buf ? room : 0, fmt, ap);
        va_end(ap);
        if (w < 0)
            return;
        if (sb->buf && (size_t)w < room) {
            sb->len += (size_t)w;
            return;
        }
        size_t ncap = (sb->cap ? sb->cap : 128);
        while (ncap < sb->len + (size_t)w + 1)
            ncap *= 2;
        char *nb = realloc(sb->buf, ncap);
        if (!nb)
            return;
        sb->buf = nb;
        sb->cap = ncap;
    }
}

/* Appends one of ike_text.h's texts. */
/* Written straight into the room left; formatted a second time only when
 * it did not fit (measuring every text first doubled the verdicts' cost). */
#define SB_TXT(sb, fn, ...)                                                        \
    do {                                                                           \
        size_t room_ = (sb)->buf ? (sb)->cap - (sb)->len : 0;                      \
        size_t need_ = fn(room_ ? (sb)->buf + (sb)->len : NULL, room_, __VA_ARGS__); \
        if (need_ < room_)                                                         \
            (sb)->len += need_;                                                    \
        else if (sb_reserve((sb), need_))                                          \
            (sb)->len += fn((sb)->buf + (sb)->len, (sb)->cap - (sb)->len, __VA_ARGS__); \
    } while (0)
#define SB_WORDS(sb, id) sb_printf((sb), "%s", ike_text(IKE_TXT_##id))
/* A sentence after another one is separated by a space. */
#define SB_SEP(sb) do { if ((sb)->len) SB_WORDS((sb), EV_SEP); } while (0)

static bool sb_reserve(strbuf *sb, size_t more)
{
    if (sb->buf && sb->len + more < sb->cap)
        return true;
    size_t ncap = sb->cap ? sb->cap : 128;
    while (ncap < sb->len + more + 1)
        ncap *= 2;
    char *nb = realloc(sb->buf, ncap);
    if (!nb)
        return false;
    if (!sb->buf)
        nb[0] = '\0';
    sb->buf = nb;
    sb->cap = ncap;
    return true;
}

static void describe(const ike_tracker *t, const ike_sa *sa, const ike_verdict *vd, ike_verdict_words *w)
{
    strbuf st = {0}, ev = {0}, all = {0};
    char ia[64], ra[64];
    ike_sa_endpoint_format(t, sa, ROLE_I, ia, sizeof ia);
    ike_sa_endpoint_format(t, sa, ROLE_R, ra, sizeof ra);
    bool v2 = (sa->flags & SA_IKEV2) != 0;
    const ike_cause_text *ct = v2 ? ike2_cause_text_for(vd->cause) : ike_cause_text_for(vd->cause);
    const char *(*notify_name)(uint16_t) = v2 ? ike2_notify_name : ike_notify_name;
    const char *plural = ike_text(IKE_TXT_PLURAL_S);

    if (v2) {
        const ike2_state_names_t *si = ike2_state_names((ike2_side_state)vd->final_state[ROLE_I]);
        const ike2_state_names_t *sr = ike2_state_names((ike2_side_state)vd->final_state[ROLE_R]);
        SB_TXT(&st, ike_txt_ev_states_v2, ia, si->strongswan, si->cisco_status, si->cisco_sm, si->libreswan, ra,
               sr->strongswan, sr->cisco_status, sr->cisco_sm, sr->libreswan);
    } else {
        const ike_state_names_t *si = ike_state_names((ike_side_state)sa->state[ROLE_I]);
        const ike_state_names_t *sr = ike_state_names((ike_side_state)sa->state[ROLE_R]);
        SB_TXT(&st, ike_txt_ev_states, ia, si->asa, si->ios, si->libreswan, ra, sr->asa, sr->ios, sr->libreswan);
    }
    if (vd->stuck_msg != MSG_NONE && vd->stuck_copies > 0) {
        const char *s = vd->stuck_copies == 1 ? "" : plural;
        SB_TXT(&ev, ike_txt_ev_sent, ike_msg_name((ike_msg)vd->stuck_msg), ike_text_role(vd->stuck_from),
               vd->stuck_copies, s, s);
        unsigned shown = vd->stuck_copies < IKE_EVIDENCE_FRAMES ? vd->stuck_copies : IKE_EVIDENCE_FRAMES;
        for (unsigned i = 0; i < shown; i++) {
            if (i)
                SB_TXT(&ev, ike_txt_ev_frame_next, vd->stuck_frames[i]);
            else
                SB_TXT(&ev, ike_txt_ev_frame_first, vd->stuck_frames[i]);
        }
        if (vd->stuck_copies > shown)
            SB_WORDS(&ev, EV_FRAMES_MORE);
        SB_WORDS(&ev, EV_FRAMES_END);
        if (vd->stuck_copies > 1)
            SB_TXT(&ev, ike_txt_ev_over, vd->stuck_last_time - vd->stuck_first_time);
        if (vd->notify_frame) {
            if (vd->notify_encrypted && v2)
                SB_TXT(&ev, ike_txt_ev_answered_v2_encrypted, vd->notify_frame);
            else if (vd->notify_encrypted)
                SB_TXT(&ev, ike_txt_ev_answered_encrypted, vd->notify_frame);
            else
                SB_TXT(&ev, ike_txt_ev_answered, notify_name(vd->notify), vd->notify, vd->notify_frame);
        } else if (vd->failed) {
            SB_WORDS(&ev, EV_NO_REPLY);
        }
        SB_WORDS(&ev, EV_END);
    }
    if (vd->cause == CAUSE_XAUTH_UNCONFIRMED) {
        SB_SEP(&ev);
        SB_TXT(&ev, ike_txt_ev_xauth, ike_sa_p1_done_frame(t, sa), vd->txn_count, vd->txn_count == 1 ? "" : plural,
               vd->txn_first_frame == vd->txn_last_frame ? "" : plural, vd->txn_first_frame, vd->txn_last_frame);
    }
    if (vd->icmp_frame) {
        SB_SEP(&ev);
        SB_TXT(&ev, ike_txt_ev_icmp, vd->icmp_frame);
    }
    if (vd->cause == CAUSE_PROPOSAL_REJECTED && ike_sa_x(t, sa)->offered) {
        char offered[IKE_OFFERED_TEXT_MAX];
        ike_offered_format(ike_sa_x(t, sa)->offered, offered, sizeof offered);
        SB_SEP(&ev);
        SB_TXT(&ev, ike_txt_ev_offered, offered);
    }
    if (ike_sa_x(t, sa)->psk_match > 0) {
        SB_SEP(&ev);
        SB_TXT(&ev, ike_txt_ev_psk_match, ike_sa_x(t, sa)->psk_match);
    } else if (ike_sa_x(t, sa)->psk_match < 0) {
        SB_SEP(&ev);
        SB_WORDS(&ev, EV_PSK_NONE);
    }
    if (sa->flags & SA_NAT_CHECKED) {
        ike_text_id nat = (sa->flags & SA_NAT_I) && (sa->flags & SA_NAT_R) ? IKE_TXT_EV_NAT_BOTH
                          : (sa->flags & SA_NAT_I) ? IKE_TXT_EV_NAT_INITIATOR
                          : (sa->flags & SA_NAT_R) ? IKE_TXT_EV_NAT_RESPONDER : IKE_TXT_EV_NAT_NONE;
        SB_SEP(&ev);
        SB_TXT(&ev, ike_txt_ev_nat, ike_text(v2 ? IKE_TXT_EV_NATD_V2 : IKE_TXT_EV_NATD_V1), ike_sa_natd_frame(t, sa),
               ike_text(nat));
    }
    if (sa->flags & SA_FLOATED) {
        SB_SEP(&ev);
        SB_TXT(&ev, ike_txt_ev_float, ike_sa_float_frame(t, sa));
    }
    if (v2 && vd->v2_init_tries > 1) {
        SB_SEP(&ev);
        SB_TXT(&ev, ike_txt_ev_v2_init_tries, vd->v2_init_tries, ike2_notify_name(vd->v2_retry_notify),
               vd->v2_retry_notify);
    }
    if (v2 && vd->v2_auth_rounds > 1) {
        SB_SEP(&ev);
        SB_TXT(&ev, ike_txt_ev_v2_auth_rounds, vd->v2_auth_rounds);
    }
    if (sa->rekey_of) {
        SB_SEP(&ev);
        if (v2)
            SB_TXT(&ev, ike_txt_ev_v2_rekey, sa->rekey_of);
        else
            SB_TXT(&ev, ike_txt_ev_v1_rekey, sa->rekey_of);
    }
    const ike_sa *next = sa->rekeyed_by ? ike_tracker_sa(t, sa->rekeyed_by) : NULL;
    if (next) {
        SB_SEP(&ev);
        SB_TXT(&ev, ike_txt_ev_rekeyed_by, next->index, ike_sa_first_frame(t, next));
    }
    uint32_t rk_first = 0;
    unsigned rekeys = ike_sa_child_rekeys(t, sa, &rk_first);
    if (rekeys) {
        SB_SEP(&ev);
        if (v2)
            SB_TXT(&ev, ike_txt_ev_v2_child_rekeys, rekeys, rk_first);
        else
            SB_TXT(&ev, ike_txt_ev_v1_child_rekeys, rekeys, rk_first);
    }
    if (v2 && (vd->v2_children_ok || vd->v2_children_failed)) {
        SB_SEP(&ev);
        SB_TXT(&ev, ike_txt_ev_v2_children, vd->v2_children_ok, vd->v2_children_failed);
    }
    if (vd->qm_completed || vd->qm_failed) {
        SB_SEP(&ev);
        SB_TXT(&ev, ike_txt_ev_qms, vd->qm_completed, vd->qm_failed);
    }
    if (sa->flags & SA_START_NOT_SEEN) {
        SB_SEP(&ev);
        SB_WORDS(&ev, EV_START_NOT_SEEN);
    }
    if (!ev.buf)
        sb_printf(&ev, "%s", "");

    SB_TXT(&all, ike_txt_verdict_text, ct->code, ct->summary, st.buf ? ike_text(IKE_TXT_EV_AT_THE_END) : "",
           st.buf ? st.buf : "", ev.buf ? ev.buf : "");
    if (ct->failure)
        SB_TXT(&all, ike_txt_verdict_text_advice, ct->likely, ct->check);
    w->states = st.buf;
    w->evidence = ev.buf;
    w->text = all.buf;
}

bool ike_verdict_words_for(const ike_tracker *t, const ike_verdicts *v, uint32_t sa, ike_verdict_words *w)
{
    memset(w, 0, sizeof *w);
    const ike_verdict *vd = ike_verdict_for_sa(v, sa);
    const ike_sa *s = ike_tracker_sa(t, sa);
    if (!vd || !s)
        return false;
    describe(t, s, vd, w);
    if (!w->states || !w->evidence || !w->text) {
        ike_verdict_words_free(w);
        return false;
    }
    return true;
}

void ike_verdict_words_free(ike_verdict_words *w)
{
    free(w->states);
    free(w->evidence);
    free(w->text);
    memset(w, 0, sizeof *w);
}

/* ---- the rules ------------------------------------------------------------ */

static bool near_end(double last, double end) { return end - last < CAPTURE_END_GRACE; }

/* ---- IKEv1: facts, then the first rule of a table that holds ----------- */

/* What decides an IKEv1 SA's cause, gathered before any rule is tried. */
typedef struct {
    const ike_sa   *sa;
    const sa_facts *f;
    bool     p1_done;
    /* phase 1 not complete: the last message and its sender */
    uint8_t  p1_msg, p1_sender;
    bool     p1_ended;      /* sent once, and the capture ends soon after */
    bool     p1_resent;
    bool     nat;           /* NAT-D showed NAT */
    /* phase 1 complete: quick modes */
    uint16_t qm_completed, qm_failed;
    uint32_t last_failed;   /* exchange index of the last failed quick mode */
    ike_qm_outcome failed_out;
    uint16_t failed_notify;
    bool     failed_readable, qm_failed_last, qm_ended, deleted_first;
    uint32_t failed_notify_frame;
} v1_facts;

typedef enum { EV_NONE, EV_P1, EV_QM, EV_TXN } v1_evidence;

typedef struct {
    bool (*holds)(const v1_facts *x);
    ike_cause   cause;
    v1_evidence evidence;   /* which facts go into the verdict's evidence */
} v1_rule;

static bool p1_is(const v1_facts *x, ike_msg a, ike_msg b) { return !x->p1_done && (x->p1_msg == a || x->p1_msg == b); }
static bool r1_nothing_seen(const v1_facts *x) { return !x->p1_done && x->sa->p1_last == 0; }
static bool r1_start_not_seen(const v1_facts *x)
{
    return r1_nothing_seen(x) && ((x->sa->flags & SA_START_NOT_SEEN) || x->f->any_encrypted);
}
static bool r1_first_refused(const v1_facts *x)
{
    return p1_is(x, MSG_MM1, MSG_AM1) && x->f->has_reject && x->f->reject_from == ROLE_R;
}
static bool r1_first_ended(const v1_facts *x) { return p1_is(x, MSG_MM1, MSG_AM1) && x->p1_ended; }
static bool r1_first(const v1_facts *x) { return p1_is(x, MSG_MM1, MSG_AM1); }
static bool r1_mm2_ended(const v1_facts *x) { return p1_is(x, MSG_MM2, MSG_MM2) && x->p1_ended; }
static bool r1_mm2(const v1_facts *x) { return p1_is(x, MSG_MM2, MSG_MM2); }
static bool r1_am2_refused(const v1_facts *x)
{
    return p1_is(x, MSG_AM2, MSG_AM2) && (x->f->i_info_after_am2 || x->p1_resent);
}
static bool r1_am2_ended(const v1_facts *x) { return p1_is(x, MSG_AM2, MSG_AM2) && x->p1_ended; }
static bool r1_am2(const v1_facts *x) { return p1_is(x, MSG_AM2, MSG_AM2); }
static bool r1_mm3_ended(const v1_facts *x) { return p1_is(x, MSG_MM3, MSG_MM3) && x->p1_ended && !x->f->has_reject; }
static bool r1_mm3(const v1_facts *x) { return p1_is(x, MSG_MM3, MSG_MM3); }
/* An initiator sends MM5 at once after MM4, on UDP 4500 once NAT-D shows
 * NAT: with NAT detected, a capture (at the responder) without MM5 is the
 * signature of 4500 blocked, however soon it ends (reference 10.1). */
static bool r1_mm4_nat(const v1_facts *x) { return p1_is(x, MSG_MM4, MSG_MM4) && x->nat; }
static bool r1_mm4_ended(const v1_facts *x) { return p1_is(x, MSG_MM4, MSG_MM4) && x->p1_ended; }
static bool r1_mm4(const v1_facts *x) { return p1_is(x, MSG_MM4, MSG_MM4); }
static bool mm5_float_silent(const v1_facts *x)
{
    return p1_is(x, MSG_MM5, MSG_MM5) && (x->sa->flags & SA_FLOATED) && !x->f->r_after_float;
}
static bool r1_mm5_float_ended(const v1_facts *x) { return mm5_float_silent(x) && x->p1_ended; }
static bool r1_mm5_float(const v1_facts *x) { return mm5_float_silent(x); }
static bool r1_mm5_ended(const v1_facts *x)
{
    return p1_is(x, MSG_MM5, MSG_MM5) && x->p1_ended && !x->f->r_enc_info_p1 && !x->f->has_reject;
}
static bool r1_mm5(const v1_facts *x) { return p1_is(x, MSG_MM5, MSG_MM5); }
static bool r1_p1_other(const v1_facts *x) { return !x->p1_done; }
/* Phase 1 is up: quick modes and XAUTH decide. A completed quick mode wins
 * over an XAUTH FAIL status: the tunnel came up. */
static bool r2_xauth_failed(const v1_facts *x) { return x->f->xauth_fail && x->qm_completed == 0; }
static bool r2_deleted_first(const v1_facts *x) { return x->deleted_first; }
static bool qm_rejected(const v1_facts *x) { return x->qm_failed_last && x->failed_out == QM_OUT_REJECTED; }
static bool r2_qm_proposal(const v1_facts *x) { return qm_rejected(x) && x->failed_readable && x->failed_notify == 14; }
static bool r2_qm_id(const v1_facts *x) { return qm_rejected(x) && x->failed_readable && x->failed_notify == 18; }
static bool r2_qm_rejected(const v1_facts *x) { return qm_rejected(x); }
static bool qm_unconfirmed(const v1_facts *x) { return x->qm_failed_last && x->failed_out == QM_OUT_NO_CONFIRM; }
static bool r2_qm_unconfirmed_ended(const v1_facts *x) { return qm_unconfirmed(x) && x->qm_ended; }
static bool r2_qm_unconfirmed(const v1_facts *x) { return qm_unconfirmed(x); }
static bool r2_qm_unanswered_ended(const v1_facts *x) { return x->qm_failed_last && x->qm_ended; }
static bool r2_qm_unanswered(const v1_facts *x) { return x->qm_failed_last; }
static bool r2_deleted(const v1_facts *x) { return (x->sa->flags & SA_DELETED) != 0; }
/* Remote access: XAUTH and mode config run, encrypted, between phase 1 and
 * the first quick mode. A client that passed them goes on to a quick mode
 * within milliseconds (strongSwan, the Cisco client); stopping after them
 * is the wire's only sign of an XAUTH FAIL status that the keys would show
 * (xauth-bad-password). */
static bool r2_xauth_unconfirmed(const v1_facts *x)
{
    return x->f->has_txn && x->f->txn_unreadable && !x->f->xauth_ok && x->qm_completed == 0 && x->qm_failed == 0;
}
static bool r2_start_not_seen(const v1_facts *x) { return (x->sa->flags & SA_START_NOT_SEEN) && x->qm_completed == 0; }
static bool r_always(const v1_facts *x) { (void)x; return true; }

static const v1_rule v1_rules[] = {
    /* phase 1 did not complete: where it stopped */
    {r1_start_not_seen,       CAUSE_START_NOT_SEEN,           EV_P1},
    {r1_nothing_seen,         CAUSE_UNKNOWN,                  EV_P1},
    {r1_first_refused,        CAUSE_PROPOSAL_REJECTED,        EV_P1},
    {r1_first_ended,          CAUSE_CAPTURE_ENDED,            EV_P1},
    {r1_first,                CAUSE_NO_RESPONSE,              EV_P1},
    {r1_mm2_ended,            CAUSE_CAPTURE_ENDED,            EV_P1},
    {r1_mm2,                  CAUSE_REPLY_LOST,               EV_P1},
    {r1_am2_refused,          CAUSE_AGGRESSIVE_AUTH_FAILED,   EV_P1},
    {r1_am2_ended,            CAUSE_CAPTURE_ENDED,            EV_P1},
    {r1_am2,                  CAUSE_REPLY_LOST,               EV_P1},
    {r1_mm3_ended,            CAUSE_CAPTURE_ENDED,            EV_P1},
    {r1_mm3,                  CAUSE_NO_KEY_EXCHANGE_REPLY,    EV_P1},
    {r1_mm4_nat,              CAUSE_NAT_T_BLOCKED,            EV_P1},
    {r1_mm4_ended,            CAUSE_CAPTURE_ENDED,            EV_P1},
    {r1_mm4,                  CAUSE_REPLY_LOST,               EV_P1},
    {r1_mm5_float_ended,      CAUSE_CAPTURE_ENDED,            EV_P1},
    {r1_mm5_float,            CAUSE_NAT_T_BLOCKED,            EV_P1},
    {r1_mm5_ended,            CAUSE_CAPTURE_ENDED,            EV_P1},
    {r1_mm5,                  CAUSE_AUTH_FAILED,              EV_P1},
    {r1_p1_other,             CAUSE_UNKNOWN,                  EV_P1},
    /* phase 1 is up */
    {r2_xauth_failed,         CAUSE_XAUTH_FAILED,             EV_NONE},
    {r2_deleted_first,        CAUSE_DELETED,                  EV_NONE},
    {r2_qm_proposal,          CAUSE_PHASE2_PROPOSAL_MISMATCH, EV_QM},
    {r2_qm_id,                CAUSE_PHASE2_ID_MISMATCH,       EV_QM},
    {r2_qm_rejected,          CAUSE_PHASE2_REJECTED,          EV_QM},
    {r2_qm_unconfirmed_ended, CAUSE_CAPTURE_ENDED,            EV_QM},
    {r2_qm_unconfirmed,       CAUSE_PHASE2_NOT_CONFIRMED,     EV_QM},
    {r2_qm_unanswered_ended,  CAUSE_CAPTURE_ENDED,            EV_QM},
    {r2_qm_unanswered,        CAUSE_PHASE2_NO_RESPONSE,       EV_QM},
    {r2_deleted,              CAUSE_DELETED,                  EV_NONE},
    {r2_xauth_unconfirmed,    CAUSE_XAUTH_UNCONFIRMED,        EV_TXN},
    {r2_start_not_seen,       CAUSE_START_NOT_SEEN,           EV_NONE},
    {r_always,                CAUSE_OK,                       EV_NONE},
};

static void gather_v1(const ike_tracker *t, const ike_sa *sa, const sa_facts *f, ike_verdicts *all,
                      double capture_end, v1_facts *x)
{
    memset(x, 0, sizeof *x);
    x->sa = sa;
    x->f = f;
    x->p1_done = (sa->flags & SA_P1_COMPLETE) != 0;
    x->nat = (sa->flags & SA_NAT_CHECKED) && (sa->flags & (SA_NAT_I | SA_NAT_R));
    if (!x->p1_done) {
        int last = sa->p1_last;
        uint8_t sender = ROLE_I;
        if (last > 0) {
            bool aggr = sa->mode == IKE_EXCH_AGGRESSIVE;
            sender = aggr ? (last == 2 ? ROLE_R : ROLE_I) : (last % 2 == 1 ? ROLE_I : ROLE_R);
            x->p1_msg = ike_slot_msg(t, &sa->p1[sender]);
        }
        x->p1_sender = sender;
        const ike_slot *s = &sa->p1[sender];
        x->p1_resent = s->count > 0;
        x->p1_ended = s->count == 0 && near_end(ike_slot_time(t, s), capture_end);
        return;
    }
    uint32_t last_failed_frame = 0, last_ok_frame = 0;
    for (uint32_t i = sa->exch_head; i;) {
        const ike_exchange *ex = ike_tracker_exchange(t, i);
        if (ex->kind == EX_QUICK) {
            uint16_t nt;
            bool rd;
            uint32_t nf;
            ike_qm_outcome o = qm_outcome(t, sa, ex, &nt, &rd, &nf);
            all->qm_outcome[i] = (uint8_t)o;
            if (o == QM_OUT_COMPLETED) {
                x->qm_completed++;
                uint32_t qm3 = ike_exchange_part(t, ex)->frames[2];
                if (qm3 > last_ok_frame)
                    last_ok_frame = qm3;
            } else {
                x->qm_failed++;
                x->last_failed = i;
                last_failed_frame = ike_exchange_part(t, ex)->frames[0];
                x->failed_out = o;
                x->failed_notify = nt;
                x->failed_readable = rd;
                x->failed_notify_frame = nf;
            }
        }
        i = ike_exchange_next(t, i, ex);
    }
    x->qm_failed_last = x->last_failed && last_failed_frame > last_ok_frame;
    if (x->qm_failed_last) {
        const ike_exchange *ex = ike_tracker_exchange(t, x->last_failed);
        const ike_slot *s = &ex->slot[x->failed_out == QM_OUT_NO_CONFIRM ? ROLE_R : ROLE_I];
        x->qm_ended = s->count == 0 && near_end(ike_slot_time(t, s), capture_end);
    }
    /* A peer that deleted the ISAKMP SA before a quick mode that then went
     * unanswered explains the silence: the responder no longer has the SA
     * (issue 12, defect 2). A refused quick mode keeps its own cause. */
    x->deleted_first = f->p1_delete_frame && x->qm_failed_last && f->p1_delete_frame < last_failed_frame &&
                       x->failed_out != QM_OUT_REJECTED;
}

static void decide(const ike_tracker *t, const ike_sa *sa, const sa_facts *f, ike_verdict *vd,
                   ike_verdicts *all, double capture_end)
{
    vd->stop_frame = f->last_frame;
    vd->stop_record = f->last_rec;
    v1_facts x;
    gather_v1(t, sa, f, all, capture_end, &x);
    size_t k = 0;
    while (!v1_rules[k].holds(&x))
        k++;
    vd->cause = v1_rules[k].cause;
    vd->qm_completed = x.qm_completed;
    vd->qm_failed = x.qm_failed;

    switch (v1_rules[k].evidence) {
    case EV_P1:
        /* The message left unanswered, and the notification that answered it. */
        if (sa->p1_last > 0) {
            vd->stuck_msg = x.p1_msg;
            vd->stuck_from = x.p1_sender;
        }
        if (f->has_reject && f->reject_from != x.p1_sender) {
            vd->notify = f->reject_notify;
            vd->notify_frame = f->reject_frame;
        }
        /* An answer that cannot be read is evidence too (strongSwan's
         * encrypted AUTHENTICATION-FAILED after AM2, PAYLOAD-MALFORMED after
         * MM5): the words must not say "no reply". */
        if (x.p1_msg == MSG_AM2 && f->i_info_after_am2 && !vd->notify_frame && f->i_info_unreadable) {
            vd->notify_frame = f->i_info_frame;
            vd->notify_encrypted = true;
        }
        if (x.p1_msg == MSG_MM5 && f->r_enc_info_p1) {
            vd->notify_frame = f->r_enc_info_frame;
            vd->notify_encrypted = true;
        }
        vd->stuck_copies = 0; /* counted from the records */
        break;
    case EV_QM: {
        const ike_exchange *ex = ike_tracker_exchange(t, x.last_failed);
        vd->failed_qm_exch = x.last_failed;
        vd->stuck_from = ex->initiator;
        vd->stuck_msg = x.failed_out == QM_OUT_NO_CONFIRM ? MSG_QM2 : MSG_QM1;
        if (x.failed_out == QM_OUT_NO_CONFIRM)
            vd->stuck_from = (uint8_t)!ex->initiator;
        if (x.failed_out == QM_OUT_REJECTED) {
            vd->notify = x.failed_notify;
            vd->notify_frame = x.failed_notify_frame;
            vd->notify_encrypted = !x.failed_readable;
        }
        break;
    }
    case EV_TXN:
        vd->txn_count = f->txn_count;
        vd->txn_first_frame = f->txn_first_frame;
        vd->txn_last_frame = f->txn_last_frame;
        break;
    case EV_NONE:
        break;
    }
    vd->failed = ike_cause_text_for(vd->cause)->failure;
}

ike_verdicts *ike_verdicts_compute(const ike_tracker *t)
{
    ike_verdicts *all = calloc(1, sizeof *all);
    if (!all)
        return NULL;
    all->n = ike_tracker_sa_count(t);
    all->v = calloc((size_t)all->n + 1, sizeof *all->v);
    sa_facts *facts = calloc((size_t)all->n + 1, sizeof *facts);
    /* Exchanges are numbered densely from 1; find how many. */
    uint32_t n_exch = 0;
    for (uint32_t s = 1; s <= all->n; s++) {
        const ike_sa *sa = ike_tracker_sa(t, s);
        if (sa->exch_tail > n_exch)
            n_exch = sa->exch_tail;
    }
    all->n_exch = n_exch;
    all->qm_outcome = calloc((size_t)n_exch + 1, 1);
    if (!all->v || !facts || !all->qm_outcome) {
        free(facts);
        ike_verdicts_free(all);
        return NULL;
    }

    /* Every SA was made by one of the records: the end of the capture is
     * the last message of one of them. */
    double capture_end = 0;
    for (uint32_t s = 1; s <= all->n; s++) {
        double last = ike_sa_last_time(t, ike_tracker_sa(t, s));
        if (last > capture_end)
            capture_end = last;
    }
    /* Pass 1 over the records: facts per SA. */
    uint32_t nrec = ike_tracker_record_count(t);
    for (uint32_t i = 1; i <= nrec; i++) {
        ike_record_brief rb;
        ike_tracker_record_brief(t, i, &rb);
        const ike_record_brief *r = &rb;
        if (!r->sa || r->sa > all->n)
            continue;
        /* The notify, delete and XAUTH details only where they are read. */
        ike_record full;
        if ((r->flags & (REC_REJECT | REC_DELETE)) || r->msg == MSG_TXN)
            ike_tracker_record(t, i, &full);
        const ike_sa *sa = ike_tracker_sa(t, r->sa);
        sa_facts *f = &facts[r->sa];
        if ((r->flags & REC_ICMP) && !f->icmp_frame)
            f->icmp_frame = r->frame;
        if (r->flags & (REC_ICMP | REC_CAPTURE_DUP))
            continue;
        f->last_rec = i;
        f->last_frame = r->frame;
        if (r->flags & REC_ENCRYPTED)
            f->any_encrypted = true;
        bool p1_done_before = (sa->flags & SA_P1_COMPLETE) && r->frame > ike_sa_p1_done_frame(t, sa);
        if ((r->flags & REC_REJECT) && !f->has_reject) {
            f->has_reject = true;
            f->reject_notify = full.notify;
            f->reject_frame = r->frame;
            f->reject_from = r->from;
        }
        if ((sa->flags & SA_FLOATED) && r->from == ROLE_R && r->frame > ike_sa_float_frame(t, sa))
            f->r_after_float = true;
        if (r->msg == MSG_INFO && r->from == ROLE_I && sa->mode == IKE_EXCH_AGGRESSIVE &&
            sa->p1_last == 2 && !f->i_info_after_am2) {
            f->i_info_after_am2 = true;
            f->i_info_frame = r->frame;
            f->i_info_unreadable = (r->flags & REC_UNREADABLE) != 0;
        }
        if (r->msg == MSG_INFO && r->from == ROLE_R && (r->flags & REC_UNREADABLE) &&
            !p1_done_before && !f->r_enc_info_p1) {
            f->r_enc_info_p1 = true;
            f->r_enc_info_frame = r->frame;
        }
        if ((r->flags & REC_DELETE) && full.delete_proto == 1 && !f->p1_delete_frame)
            f->p1_delete_frame = r->frame;
        if (r->msg == MSG_TXN) {
            f->has_txn = true;
            if (!(r->flags & (REC_RETRANS | REC_FRAGMENT))) {
                if (!f->txn_first_frame)
                    f->txn_first_frame = r->frame;
                f->txn_last_frame = r->frame;
                f->txn_count++;
            }
            if (r->flags & REC_UNREADABLE)
                f->txn_unreadable = true;
            if (full.xauth_status == 1)
                f->xauth_ok = true;
            if (full.xauth_status == 0 && !f->xauth_fail) {
                f->xauth_fail = true;
                f->xauth_fail_frame = r->frame;
            }
        }
    }

    for (uint32_t s = 1; s <= all->n; s++) {
        ike_verdict *vd = &all->v[s];
        vd->sa = s;
        const ike_sa *sa = ike_tracker_sa(t, s);
        vd->final_state[0] = sa->state[0];
        vd->final_state[1] = sa->state[1];
        if (sa->flags & SA_IKEV2) {
            vd->stop_frame = facts[s].last_frame;
            vd->stop_record = facts[s].last_rec;
            ike2_decide(t, sa, vd, capture_end, CAPTURE_END_GRACE);
            vd->failed = ike_cause_text_for(vd->cause)->failure;
        } else {
            decide(t, sa, &facts[s], vd, all, capture_end);
        }
    }

    /* Pass 2 over the records: every copy of each stuck message. */
    for (uint32_t i = 1; i <= nrec; i++) {
        ike_record_brief rb;
        ike_tracker_record_brief(t, i, &rb);
        const ike_record_brief *r = &rb;
        if (!r->sa || r->sa > all->n)
            continue;
        ike_verdict *vd = &all->v[r->sa];
        if (vd->stuck_msg == MSG_NONE || r->msg != vd->stuck_msg || r->from != vd->stuck_from ||
            (r->flags & (REC_CAPTURE_DUP | REC_ICMP | REC_FRAGMENT | REC_OUT_OF_ORDER)))
            continue;
        if (vd->failed_qm_exch && r->exch != vd->failed_qm_exch)
            continue;
        if (vd->stuck_copies < IKE_EVIDENCE_FRAMES)
            vd->stuck_frames[vd->stuck_copies] = r->frame;
        if (vd->stuck_copies == 0)
            vd->stuck_first_time = 0;
        vd->stuck_copies++;
    }
    /* Times of the first and last copy come from the slots. */
    for (uint32_t s = 1; s <= all->n; s++) {
        ike_verdict *vd = &all->v[s];
        const ike_sa *sa = ike_tracker_sa(t, s);
        const ike_slot *slot = NULL;
        if (vd->failed_qm_exch) {
            const ike_exchange *ex = ike_tracker_exchange(t, vd->failed_qm_exch);
            /* quick mode: by QM role; IKEv2: the request is slot 0 */
            slot = &ex->slot[vd->stuck_msg == MSG_QM2 ? ROLE_R : ROLE_I];
        } else if (vd->stuck_msg != MSG_NONE) {
            slot = &sa->p1[vd->stuck_from];
        }
        if (slot) {
            vd->stuck_first_time = ike_slot_first_time(t, slot);
            vd->stuck_last_time = ike_slot_time(t, slot);
        }
        vd->icmp_frame = facts[s].icmp_frame;
    }
    free(facts);
    return all;
}

bool ike_sa_details(const ike_tracker *t, const ike_sa *sa, char *buf, size_t len)
{
    size_t o = 0;
#define PART(...)                                                                   \
    do {                                                                            \
        int k_ = snprintf(buf + o, len > o ? len - o : 0, "%s", o ? "; " : "");     \
        if (k_ > 0) o += (size_t)k_;                                                \
        k_ = snprintf(buf + o, len > o ? len - o : 0, __VA_ARGS__);                 \
        if (k_ > 0) o += (size_t)k_;                                                \
    } while (0)
    if (!len)
        return false;
    buf[0] = '\0';
    const char *ii = ike_vendor_implementation(ike_sa_vendor(t, sa, ROLE_I));
    const char *ri = ike_vendor_implementation(ike_sa_vendor(t, sa, ROLE_R));
    if (ii || ri)
        PART("initiator %s, responder %s", ii ? ii : "unknown", ri ? ri : "unknown");
    char prop[IKE_TRANSFORM_TEXT];
    if (ike_sa_proposal_text(t, sa, prop, sizeof prop))
        PART("proposal %s", prop);
    char weak[160];
    if (ike_weak_format(ike_sa_weak(t, sa), weak, sizeof weak))
        PART("weak: %s", weak);
    if (!(sa->flags & SA_IKEV2) && ike_sa_chosen(t, sa)->life_s)
        PART("lifetime %u s", ike_sa_chosen(t, sa)->life_s);
    if (ike_sa_x(t, sa)->dpd_requests || ike_sa_x(t, sa)->dpd_answered)
        PART("DPD %u sent, %u answered", ike_sa_x(t, sa)->dpd_requests, ike_sa_x(t, sa)->dpd_answered);
    if (sa->rekey_of)
        PART("rekey of SA %u", sa->rekey_of);
    if (sa->rekeyed_by)
        PART("rekeyed by SA %u", sa->rekeyed_by);
    unsigned rk = ike_sa_child_rekeys(t, sa, NULL);
    if (rk)
        PART("%u phase-2 rekey%s", rk, rk == 1 ? "" : "s");
#undef PART
    if (o >= len)
        buf[len - 1] = '\0';
    return o > 0;
}
