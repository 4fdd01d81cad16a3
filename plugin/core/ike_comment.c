/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_comment.c - packet comments for annotated captures (ike_comment.h).
 * The words are ike_text.h's CMT_* texts.
 */
#include "ike_comment.h"

#include <stdlib.h>
#include <string.h>

#include "ike2_states.h"
#include "ike_explain.h"
#include "ike_notify.h"
#include "ike_states.h"
#include "ike_text.h"
#include "ike_wire.h"

#define T(id) ike_text(IKE_TXT_##id)

void ike_cbuf_free(ike_cbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

static bool cb_room(ike_cbuf *b, size_t more)
{
    if (b->oom)
        return false;
    if (b->len + more + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *s = (char *)realloc(b->s, cap);
    if (!s) {
        b->oom = true;
        return false;
    }
    b->s = s;
    b->cap = cap;
    return true;
}

static void cb_put(ike_cbuf *b, const char *s)
{
    size_t l = strlen(s);
    if (!cb_room(b, l))
        return;
    memcpy(b->s + b->len, s, l + 1);
    b->len += l;
}

/* One ike_txt_* text at the end: tried in the room there is, again after
 * growing when it did not fit (the functions return the length needed). */
#define CB_TXT(b, fn, ...)                                                     \
    do {                                                                       \
        if (cb_room((b), 0)) {                                                 \
            size_t need_ = fn((b)->s + (b)->len, (b)->cap - (b)->len, __VA_ARGS__); \
            if (need_ >= (b)->cap - (b)->len && cb_room((b), need_))          \
                fn((b)->s + (b)->len, (b)->cap - (b)->len, __VA_ARGS__);      \
            if (!(b)->oom)                                                     \
                (b)->len += need_;                                             \
        }                                                                      \
    } while (0)

/* ---- field values shared with the glue ---------------------------------- */

const char *ike_value_natd(const ike_record *rec)
{
    uint32_t f = rec->flags;
    if (!(f & (REC_NATD_MATCH | REC_NATD_SRC | REC_NATD_DST)))
        return NULL;
    if (f & REC_NATD_MATCH)
        return T(NATD_UNCHANGED);
    if ((f & REC_NATD_SRC) && (f & REC_NATD_DST))
        return T(NATD_BOTH);
    return (f & REC_NATD_SRC) ? T(NATD_SENDER) : T(NATD_RECEIVER);
}

const char *ike_value_delete(const ike_record *rec)
{
    if (!rec->delete_proto)
        return NULL;
    if (rec->flags & REC_IKEV2)
        return rec->delete_proto == 1 ? T(DELETES_V2_IKE) : T(DELETES_V2_CHILD);
    return rec->delete_proto == 1 ? T(DELETES_V1_IKE) : T(DELETES_V1_IPSEC);
}

const char *ike_value_xauth(const ike_record *rec)
{
    if ((rec->flags & REC_IKEV2) || rec->xauth_status < 0)
        return NULL;
    return rec->xauth_status ? T(XAUTH_OK) : T(XAUTH_FAIL);
}

const char *ike_value_malformed(const ike_record *rec)
{
    if ((rec->flags & REC_IKEV2) || !(rec->flags & REC_MALFORMED))
        return NULL;
    if (rec->malformed == IKE_MALFORMED_NONE)
        return T(MALFORMED_NOT_V1);
    return ike_malformed_text((ike_malformed_t)rec->malformed);
}

const char *ike_value_psk(const ike_tracker *t, const ike_record *rec, char *buf, size_t len)
{
    const ike_sa *sa = ike_tracker_sa(t, rec->sa);
    if (!sa || (rec->flags & (REC_IKEV2 | REC_RETRANS | REC_CAPTURE_DUP)))
        return NULL;
    const ike_sa_ext *x = ike_sa_x(t, sa);
    if (!x->psk_match || x->psk_frame != rec->frame)
        return NULL;
    if (x->psk_match < 0)
        return T(PSK_NONE_VALUE);
    ike_txt_psk_match_value(buf, len, x->psk_match);
    return buf;
}

uint32_t ike_value_child_rekey_of(const ike_tracker *t, const ike_record *rec)
{
    const ike_exchange *ex = rec->exch ? ike_tracker_exchange(t, rec->exch) : NULL;
    if (!ex || !ex->child_rekey || (rec->flags & (REC_RETRANS | REC_CAPTURE_DUP)))
        return 0;
    uint32_t renews = ike_exchange_part(t, ex)->renews;
    const ike_exchange *old = renews ? ike_tracker_exchange(t, renews) : NULL;
    return old ? ike_exchange_first_frame(t, old) : 0;
}

const char *ike_value_qm_outcome(const ike_verdicts *v, const ike_record *rec)
{
    if (!v || (rec->flags & REC_IKEV2) || !ike_msg_is_quick((ike_msg)rec->msg) || !rec->exch)
        return NULL;
    return ike_qm_outcome_code(ike_verdict_qm_outcome(v, rec->exch));
}

const char *ike_value_v2_child(const ike_tracker *t, const ike_record *rec)
{
    const ike_exchange *ex = rec->exch ? ike_tracker_exchange(t, rec->exch) : NULL;
    uint8_t v2_exch = ike_exchange_part(t, ex)->v2_exch;
    if (!ex || !(rec->flags & REC_IKEV2) || !(rec->flags & REC_RESPONSE) ||
        (v2_exch != IKE2_EXCH_AUTH && v2_exch != IKE2_EXCH_CREATE_CHILD))
        return NULL;
    return ike2_child_outcome(t, rec->exch);
}

/* The notify a comment names: IKEv2's NAT detection ones are left to the
 * NAT-D remark, as every IKE_SA_INIT carries them. 0 for none. */
static bool comment_notify(const ike_record *rec, uint16_t *type, const char **name)
{
    if (!rec->n_notify || (rec->flags & REC_UNREADABLE))
        return false;
    bool v2 = (rec->flags & REC_IKEV2) != 0;
    if (v2 && ike2_notify_is_nat_detection(rec->notify))
        return false;
    *type = rec->notify;
    *name = v2 ? ike2_notify_name(rec->notify) : ike_notify_name(rec->notify);
    return true;
}

/* ---- the frames the verdicts rest on -------------------------------------- */

typedef struct {
    uint32_t frame, sa;
} frame_sa;

struct ike_comment_index {
    frame_sa *e;
    size_t    n;
};

static int cmp_frame_sa(const void *a, const void *b)
{
    const frame_sa *x = (const frame_sa *)a, *y = (const frame_sa *)b;
    if (x->frame != y->frame)
        return x->frame < y->frame ? -1 : 1;
    return x->sa < y->sa ? -1 : x->sa > y->sa;
}

ike_comment_index *ike_comment_index_new(const ike_tracker *t, const ike_verdicts *v)
{
    ike_comment_index *ix = (ike_comment_index *)calloc(1, sizeof *ix);
    if (!ix)
        return NULL;
    uint32_t n_sa = ike_tracker_sa_count(t);
    size_t cap = 0;
    for (uint32_t i = 1; i <= n_sa; i++) {
        const ike_verdict *vd = ike_verdict_for_sa(v, i);
        if (vd)
            cap += 2u + (vd->stuck_copies < IKE_EVIDENCE_FRAMES ? vd->stuck_copies : IKE_EVIDENCE_FRAMES);
    }
    ix->e = (frame_sa *)malloc((cap ? cap : 1) * sizeof *ix->e);
    if (!ix->e) {
        free(ix);
        return NULL;
    }
    for (uint32_t i = 1; i <= n_sa; i++) {
        const ike_verdict *vd = ike_verdict_for_sa(v, i);
        if (!vd)
            continue;
        if (vd->stop_frame)
            ix->e[ix->n++] = (frame_sa){vd->stop_frame, i};
        for (unsigned k = 0; k < vd->stuck_copies && k < IKE_EVIDENCE_FRAMES; k++)
            ix->e[ix->n++] = (frame_sa){vd->stuck_frames[k], i};
        if (vd->notify_frame)
            ix->e[ix->n++] = (frame_sa){vd->notify_frame, i};
    }
    qsort(ix->e, ix->n, sizeof *ix->e, cmp_frame_sa);
    return ix;
}

void ike_comment_index_free(ike_comment_index *ix)
{
    if (!ix)
        return;
    free(ix->e);
    free(ix);
}

/* ---- one record's comment ------------------------------------------------- */

/* One side's states as "ASA / IOS" (IKEv2: strongSwan / Cisco), the one
 * name it has, or "?". */
static const char *side_states(char *buf, size_t len, const char *a, const char *c)
{
    if (*a && *c) {
        ike_txt_cmt_state_pair(buf, len, a, c);
        return buf;
    }
    return *a ? a : *c ? c : T(CMT_UNKNOWN_STATE);
}

/* Each remark after "; ". */
static void remark(ike_cbuf *b)
{
    cb_put(b, T(CMT_SEP));
}

static void record_comment(const ike_tracker *t, const ike_verdicts *v, const ike_record *rec, ike_cbuf *b)
{
    const ike_sa *sa = ike_tracker_sa(t, rec->sa);
    bool v2 = (rec->flags & REC_IKEV2) != 0;
    const char *m = ike_msg_name((ike_msg)rec->msg);
    if (!sa) {
        const char *why = ike_value_malformed(rec);
        if (why) {
            cb_put(b, T(CMT_PREFIX));
            CB_TXT(b, ike_txt_cmt_malformed_no_sa, why);
        } else if (v2) {
            cb_put(b, T(CMT_PREFIX));
            CB_TXT(b, ike_txt_cmt_v2_no_sa, m);
        } else {
            return;
        }
        cb_put(b, "\n");
        return;
    }
    cb_put(b, T(CMT_PREFIX));
    CB_TXT(b, ike_txt_cmt_head, sa->index, m);
    CB_TXT(b, ike_txt_cmt_from, ike_text_role(rec->from));
    const char *ia, *ii, *ra, *ri;
    if (v2) {
        const ike2_state_names_t *si = ike2_state_names((ike2_side_state)rec->state[ROLE_I]);
        const ike2_state_names_t *sr = ike2_state_names((ike2_side_state)rec->state[ROLE_R]);
        ia = si->strongswan, ii = si->cisco_status, ra = sr->strongswan, ri = sr->cisco_status;
    } else {
        const ike_state_names_t *si = ike_state_names((ike_side_state)rec->state[ROLE_I]);
        const ike_state_names_t *sr = ike_state_names((ike_side_state)rec->state[ROLE_R]);
        ia = si->asa, ii = si->ios, ra = sr->asa, ri = sr->ios;
    }
    if (*ia || *ii || *ra || *ri) {
        char is[IKE_TEXT_MAX], rs[IKE_TEXT_MAX];
        CB_TXT(b, ike_txt_cmt_states, side_states(is, sizeof is, ia, ii), side_states(rs, sizeof rs, ra, ri));
    }

    bool resent = (rec->flags & REC_RETRANS) != 0;
    if (resent) {
        remark(b);
        CB_TXT(b, ike_txt_cmt_retrans, rec->retrans_count, rec->ref_frame);
    }
    if (!resent && (rec->flags & REC_CAPTURE_DUP)) {
        remark(b);
        CB_TXT(b, ike_txt_cmt_dup, rec->ref_frame);
    }
    uint16_t ntype;
    const char *nname;
    if (comment_notify(rec, &ntype, &nname)) {
        remark(b);
        if (nname && *nname)
            CB_TXT(b, ike_txt_cmt_notify, ntype, nname);
        else
            CB_TXT(b, ike_txt_cmt_notify_bare, ntype);
    }
    const char *s;
    if ((s = ike_value_delete(rec)) != NULL) {
        remark(b);
        CB_TXT(b, ike_txt_cmt_delete, s);
    }
    if ((s = ike_value_xauth(rec)) != NULL) {
        remark(b);
        CB_TXT(b, ike_txt_cmt_xauth, s);
    }
    if ((s = ike_value_natd(rec)) != NULL) {
        remark(b);
        CB_TXT(b, ike_txt_cmt_natd, s);
    }
    if (rec->flags & REC_FLOAT) {
        remark(b);
        cb_put(b, T(CMT_FLOAT));
    }
    if (rec->flags & (v2 ? REC_OUT_OF_ORDER : (REC_OUT_OF_ORDER | REC_MODE_MISMATCH))) {
        remark(b);
        cb_put(b, T(CMT_OUT_OF_ORDER));
    }
    if ((s = ike_value_malformed(rec)) != NULL) {
        remark(b);
        CB_TXT(b, ike_txt_cmt_malformed, s);
    }
    char psk[IKE_TEXT_MAX];
    if ((s = ike_value_psk(t, rec, psk, sizeof psk)) != NULL) {
        remark(b);
        CB_TXT(b, ike_txt_cmt_psk, s);
    }
    if (sa->rekey_of && (rec->msg == MSG_MM1 || rec->msg == MSG_AM1) && !resent) {
        remark(b);
        CB_TXT(b, ike_txt_cmt_rekey, sa->rekey_of);
    }
    uint32_t old_first;
    if ((rec->msg == MSG_QM1 || rec->msg == MSG_V2_CHILD_REQ) && !resent &&
        (old_first = ike_value_child_rekey_of(t, rec)) != 0) {
        remark(b);
        CB_TXT(b, ike_txt_cmt_child_rekey, old_first);
    }
    if (rec->msg == MSG_QM1 && !resent && (s = ike_value_qm_outcome(v, rec)) != NULL && *s) {
        remark(b);
        CB_TXT(b, ike_txt_cmt_qm_outcome, s);
    }
    if (!resent && (s = ike_value_v2_child(t, rec)) != NULL && *s) {
        remark(b);
        CB_TXT(b, ike_txt_cmt_v2_child, s);
    }
    cb_put(b, "\n");
}

/* Does this message send its SA's verdict a reference (a notify, a
 * delete, an XAUTH status, a retransmission)? */
static bool record_wants_verdict(const ike_record *rec)
{
    uint16_t type;
    const char *name;
    return (rec->flags & REC_RETRANS) || comment_notify(rec, &type, &name) || ike_value_delete(rec) ||
           ike_value_xauth(rec);
}

/* ---- a frame's comments --------------------------------------------------- */

static void verdict_comment(const ike_tracker *t, const ike_verdicts *v, uint32_t sa_no, uint32_t frame, ike_cbuf *b)
{
    const ike_sa *sa = ike_tracker_sa(t, sa_no);
    if (!sa)
        return;
    const ike_verdict *vd = ike_verdict_for_sa(v, sa_no);
    bool v2 = (sa->flags & SA_IKEV2) != 0;
    ike_cause c = vd ? vd->cause : CAUSE_UNKNOWN;
    const ike_cause_text *ct = v2 ? ike2_cause_text_for(c) : ike_cause_text_for(c);
    uint32_t stop = vd ? vd->stop_frame : 0;
    cb_put(b, T(CMT_PREFIX));
    if (stop != frame) {
        CB_TXT(b, ike_txt_cmt_verdict_ref, ct->code, sa_no, stop);
    } else {
        ike_verdict_words w = {0};
        bool have = vd && ike_verdict_words_for(t, v, sa_no, &w);
        CB_TXT(b, ike_txt_cmt_verdict_stop, ct->code, ct->summary, have && w.evidence ? w.evidence : "");
        if (have)
            ike_verdict_words_free(&w);
        /* without evidence (or summary) the text ends in blanks */
        while (b->len && b->s[b->len - 1] == ' ')
            b->s[--b->len] = '\0';
    }
    cb_put(b, "\n");
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

unsigned ike_comment_frame(const ike_tracker *t, const ike_verdicts *v, const ike_comment_index *ix,
                           uint32_t frame, const ike_record *recs, unsigned n, ike_cbuf *out)
{
    unsigned count = 0;
    for (unsigned i = 0; i < n; i++) {
        size_t before = out->len;
        record_comment(t, v, &recs[i], out);
        count += out->len > before;
    }
    /* The SAs whose verdict this frame bears on, by number, once each. */
    uint32_t local[16], *sas = local;
    size_t n_sas = 0, cap = sizeof local / sizeof local[0];
    size_t lo = 0, hi = ix ? ix->n : 0;
    while (lo < hi) { /* first entry of this frame */
        size_t mid = lo + (hi - lo) / 2;
        if (ix->e[mid].frame < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t want = n;
    for (size_t k = lo; ix && k < ix->n && ix->e[k].frame == frame; k++)
        want++;
    if (want > cap) {
        sas = (uint32_t *)malloc(want * sizeof *sas);
        if (!sas) {
            out->oom = true;
            return count;
        }
    }
    for (size_t k = lo; ix && k < ix->n && ix->e[k].frame == frame; k++)
        sas[n_sas++] = ix->e[k].sa;
    for (unsigned i = 0; i < n; i++) {
        const ike_verdict *vd = ike_verdict_for_sa(v, recs[i].sa);
        if (ike_tracker_sa(t, recs[i].sa) && (record_wants_verdict(&recs[i]) || (vd && vd->stop_frame == frame)))
            sas[n_sas++] = recs[i].sa;
    }
    qsort(sas, n_sas, sizeof *sas, cmp_u32);
    for (size_t k = 0; k < n_sas; k++) {
        if (k && sas[k] == sas[k - 1])
            continue;
        verdict_comment(t, v, sas[k], frame, out);
        count++;
    }
    if (sas != local)
        free(sas);
    return count;
}
