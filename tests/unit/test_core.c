/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * test_core.c - unit tests of the tracker and verdicts on synthetic
 * sequences. Expected states come from shared/reference/ike-states.md
 * section 2 (per-packet conventions) and section 10 (failure signatures).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike2_states.h"
#include "ike_comment.h"
#include "ike_explain.h"
#include "ike_event.h"
#include "ike_info_tag.h"
#include "ike_notify.h"
#include "ike_text.h"
#include "ike_natd.h"
#include "ike_session.h"
#include "ike_weak.h"
#include "ike_tracker.h"
#include "ike_tracker_int.h" /* test_packed_records looks at the packing */
#include "ike_verdict.h"
#include "ike_wire.h"

/* Records are stored packed: a frame's first record, unpacked. */
static ike_record rec_at_frame(const ike_tracker *t, uint32_t frame, unsigned *n)
{
    ike_record r;
    ike_tracker_record(t, ike_tracker_find_frame(t, frame, n), &r);
    return r;
}

static int failures, checks;

#define CHECK(cond, ...)                                                              \
    do {                                                                              \
        checks++;                                                                     \
        if (!(cond)) {                                                                \
            failures++;                                                               \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                    \
            printf(__VA_ARGS__);                                                      \
            printf("\n");                                                             \
        }                                                                             \
    } while (0)
#define CHECK_STR(a, b) CHECK(strcmp((a), (b)) == 0, "'%s' != '%s'", (a), (b))

/* ---- building events ------------------------------------------------------ */

static const uint8_t A[4] = {192, 0, 2, 1}, B[4] = {198, 51, 100, 2}, C[4] = {203, 0, 113, 3};

/* SA sa's initiator has IPv4 address a. */
static bool initiator_is(const ike_tracker *t, uint32_t sa, const uint8_t a[4])
{
    ike_endpoint e;
    ike_sa_endpoint(t, ike_tracker_sa(t, sa), ROLE_I, &e);
    return e.family == 4 && memcmp(e.addr, a, 4) == 0;
}

typedef struct {
    ike_tracker *t;
    uint32_t frame;
    double time;
} seq;

static ike_event mk(seq *s, const uint8_t *src, uint16_t sport, const uint8_t *dst, uint16_t dport,
                    uint64_t icookie, uint64_t rcookie, uint8_t exch, uint32_t msgid, bool enc,
                    uint32_t mask, uint64_t digest)
{
    ike_event ev;
    memset(&ev, 0, sizeof ev);
    ev.frame = ++s->frame;
    ev.time = s->time;
    ev.src.family = ev.dst.family = 4;
    memcpy(ev.src.addr, src, 4);
    memcpy(ev.dst.addr, dst, 4);
    ev.src.port = sport;
    ev.dst.port = dport;
    ev.have_header = true;
    for (int i = 0; i < 8; i++) {
        ev.hdr.icookie[i] = (uint8_t)(icookie >> (56 - 8 * i));
        ev.hdr.rcookie[i] = (uint8_t)(rcookie >> (56 - 8 * i));
    }
    ev.hdr.version = 0x10;
    ev.hdr.exch = exch;
    ev.hdr.flags = enc ? IKE_FLAG_ENCRYPTED : 0;
    ev.hdr.msgid = msgid;
    ev.pl.xauth_status = -1;
    ev.pl.mask = mask;
    ev.readable = !enc;
    ev.digest = digest ? digest : (uint64_t)ev.frame * 7919u + icookie;
    return ev;
}

/* ike_tracker_add's record lasts until the next message is fed: the checks
 * that compare several get copies (as they were when fed). */
static const ike_record *feed(seq *s, ike_event ev)
{
    static ike_record ring[16];
    static unsigned next;
    const ike_record *r = ike_tracker_add(s->t, &ev);
    CHECK(r != NULL, "record for frame %u", ev.frame);
    if (!r)
        return NULL;
    /* The glue's shortcut on a first pass finds what the search finds. */
    unsigned n1, n2;
    uint32_t f1 = ike_tracker_last_added(s->t, &n1), f2 = ike_tracker_find_frame(s->t, ev.frame, &n2);
    CHECK(f1 == f2 && n1 == n2, "frame %u: last added %u (%u), found %u (%u)", ev.frame, f1, n1, f2, n2);
    ike_record *c = &ring[next++ % 16];
    *c = *r;
    return c;
}

#define SA_PL IKE_PMASK(IKE_PL_SA)
#define KE_PL (IKE_PMASK(IKE_PL_KE) | IKE_PMASK(IKE_PL_NONCE))
#define MM 2
#define AM 4
#define QM 32
#define INFO 5
#define TXN 6

static const char *asa(const ike_record *r, int side) { return ike_state_names((ike_side_state)r->state[side])->asa; }
static const char *ios(const ike_record *r, int side) { return ike_state_names((ike_side_state)r->state[side])->ios; }
static const char *lsw(const ike_record *r, int side) { return ike_state_names((ike_side_state)r->state[side])->libreswan; }

/* The main-mode part of a negotiation from A (initiator) to B. */
static void main_mode(seq *s, uint64_t ic, uint64_t rc)
{
    feed(s, mk(s, A, 500, B, 500, ic, 0, MM, 0, false, SA_PL, 0));
    feed(s, mk(s, B, 500, A, 500, ic, rc, MM, 0, false, SA_PL, 0));
    feed(s, mk(s, A, 500, B, 500, ic, rc, MM, 0, false, KE_PL, 0));
    feed(s, mk(s, B, 500, A, 500, ic, rc, MM, 0, false, KE_PL, 0));
    feed(s, mk(s, A, 500, B, 500, ic, rc, MM, 0, true, 0, 0));
    feed(s, mk(s, B, 500, A, 500, ic, rc, MM, 0, true, 0, 0));
}

/* The evidence sentence of SA 1 (written on demand by the verdicts). */
static char evidence_buf[4096];
static const char *evidence_of(const ike_tracker *t, const ike_verdicts *v, uint32_t sa)
{
    ike_verdict_words w;
    evidence_buf[0] = '\0';
    if (ike_verdict_words_for(t, v, sa, &w)) {
        snprintf(evidence_buf, sizeof evidence_buf, "%s", w.evidence);
        ike_verdict_words_free(&w);
    }
    return evidence_buf;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_main_and_quick_mode(void)
{
    seq s = {ike_tracker_new(), 0, 100};
    const uint64_t ic = 0x1111, rc = 0x2222;
    /* After each message: initiator ASA/IOS/libreswan, responder ASA/IOS/libreswan. */
    static const char *want[6][6] = {
        {"MM_WAIT_MSG2", "MM_NO_STATE", "STATE_MAIN_I1", "none", "none", "STATE_MAIN_R0"},
        {"MM_WAIT_MSG2", "MM_NO_STATE", "STATE_MAIN_I1", "MM_WAIT_MSG3", "MM_SA_SETUP", "STATE_MAIN_R1"},
        {"MM_WAIT_MSG4", "MM_SA_SETUP", "STATE_MAIN_I2", "MM_WAIT_MSG3", "MM_SA_SETUP", "STATE_MAIN_R1"},
        {"MM_WAIT_MSG4", "MM_SA_SETUP", "STATE_MAIN_I2", "MM_WAIT_MSG5", "MM_KEY_EXCH", "STATE_MAIN_R2"},
        {"MM_WAIT_MSG6", "MM_KEY_EXCH", "STATE_MAIN_I3", "MM_WAIT_MSG5", "MM_KEY_EXCH", "STATE_MAIN_R2"},
        {"MM_ACTIVE", "QM_IDLE", "STATE_MAIN_I4", "MM_ACTIVE", "QM_IDLE", "STATE_MAIN_R3"},
    };
    main_mode(&s, ic, rc);
    for (uint32_t f = 1; f <= 6; f++) {
        unsigned n;
        ike_record r_v = rec_at_frame(s.t, f, &n);
        const ike_record *r = &r_v;
        CHECK(n == 1, "one record in frame %u", f);
        CHECK(r->msg == MSG_MM1 + f - 1, "frame %u is MM%u, got %s", f, f, ike_msg_name((ike_msg)r->msg));
        CHECK(r->from == (f % 2 ? ROLE_I : ROLE_R), "frame %u sender", f);
        CHECK_STR(asa(r, ROLE_I), want[f - 1][0]);
        CHECK_STR(ios(r, ROLE_I), want[f - 1][1]);
        CHECK_STR(lsw(r, ROLE_I), want[f - 1][2]);
        CHECK_STR(asa(r, ROLE_R), want[f - 1][3]);
        CHECK_STR(ios(r, ROLE_R), want[f - 1][4]);
        CHECK_STR(lsw(r, ROLE_R), want[f - 1][5]);
        if (f > 1)
            CHECK(r->ref_frame == f - 1, "frame %u answers %u, got %u", f, f - 1, r->ref_frame);
        CHECK((r->flags & REC_P1_COMPLETE) == (f == 6 ? REC_P1_COMPLETE : 0u), "P1 complete flag at %u", f);
    }
    const ike_record *q1 = feed(&s, mk(&s, A, 500, B, 500, ic, rc, QM, 0xabc, true, 0, 0));
    CHECK(q1->msg == MSG_QM1, "QM1");
    CHECK_STR(ike_qm_state_names((ike_qm_state)q1->qstate[ROLE_I])->libreswan, "STATE_QUICK_I1");
    CHECK_STR(ike_qm_state_names((ike_qm_state)q1->qstate[ROLE_R])->libreswan, "STATE_QUICK_R0");
    CHECK_STR(asa(q1, ROLE_I), "MM_ACTIVE"); /* quick mode leaves the phase-1 labels alone */
    const ike_record *q2 = feed(&s, mk(&s, B, 500, A, 500, ic, rc, QM, 0xabc, true, 0, 0));
    CHECK(q2->msg == MSG_QM2, "QM2");
    CHECK_STR(ike_qm_state_names((ike_qm_state)q2->qstate[ROLE_R])->libreswan, "STATE_QUICK_R1");
    CHECK_STR(ike_qm_state_names((ike_qm_state)q2->qstate[ROLE_I])->ios, "IKE_QM_IPSEC_INSTALL_AWAIT");
    const ike_record *q3 = feed(&s, mk(&s, A, 500, B, 500, ic, rc, QM, 0xabc, true, 0, 0));
    CHECK(q3->msg == MSG_QM3 && (q3->flags & REC_QM_COMPLETE), "QM3 completes");
    CHECK_STR(ike_qm_state_names((ike_qm_state)q3->qstate[ROLE_I])->libreswan, "STATE_QUICK_I2");
    CHECK_STR(ike_qm_state_names((ike_qm_state)q3->qstate[ROLE_R])->libreswan, "STATE_QUICK_R2");
    CHECK(ike_tracker_sa_count(s.t) == 1, "one SA");

    ike_verdicts *v = ike_verdicts_compute(s.t);
    const ike_verdict *vd = ike_verdict_for_sa(v, 1);
    CHECK(vd->cause == CAUSE_OK, "ok, got %s", ike_cause_code(vd->cause));
    CHECK(vd->qm_completed == 1 && vd->qm_failed == 0, "qm counts");
    CHECK(vd->stop_frame == 9, "stop frame 9, got %u", vd->stop_frame);
    CHECK(ike_verdict_qm_outcome(v, q3->exch) == QM_OUT_COMPLETED, "QM outcome");
    ike_verdicts_free(v);
    ike_tracker_free(s.t);
}

static void test_aggressive_mode(void)
{
    seq s = {ike_tracker_new(), 0, 0};
    const ike_record *r;
    r = feed(&s, mk(&s, A, 500, B, 500, 7, 0, AM, 0, false, SA_PL | KE_PL | IKE_PMASK(IKE_PL_ID), 0));
    CHECK(r->msg == MSG_AM1, "AM1");
    CHECK_STR(asa(r, ROLE_I), "AM_WAIT_MSG2");
    CHECK_STR(ios(r, ROLE_I), "AG_NO_STATE");
    CHECK_STR(lsw(r, ROLE_R), "STATE_AGGR_R0");
    r = feed(&s, mk(&s, B, 500, A, 500, 7, 8, AM, 0, false, SA_PL | KE_PL | IKE_PMASK(IKE_PL_HASH), 0));
    CHECK(r->msg == MSG_AM2, "AM2");
    CHECK_STR(asa(r, ROLE_R), "AM_WAIT_MSG3");
    CHECK_STR(ios(r, ROLE_R), "AG_INIT_EXCH");
    CHECK_STR(lsw(r, ROLE_R), "STATE_AGGR_R1");
    CHECK_STR(asa(r, ROLE_I), "AM_WAIT_MSG2");
    r = feed(&s, mk(&s, A, 500, B, 500, 7, 8, AM, 0, true, 0, 0));
    CHECK(r->msg == MSG_AM3, "AM3");
    CHECK_STR(asa(r, ROLE_I), "AM_ACTIVE");
    CHECK_STR(asa(r, ROLE_R), "AM_ACTIVE");
    CHECK_STR(lsw(r, ROLE_I), "STATE_AGGR_I2");
    CHECK_STR(lsw(r, ROLE_R), "STATE_AGGR_R2");
    CHECK(r->flags & REC_P1_COMPLETE, "AM phase 1 complete");
    ike_tracker_free(s.t);
}

static void test_retransmissions(void)
{
    seq s = {ike_tracker_new(), 0, 10};
    ike_event mm1 = mk(&s, A, 500, B, 500, 5, 0, MM, 0, false, SA_PL, 0xfeed);
    feed(&s, mm1);
    const ike_record *r;
    for (int i = 1; i <= 3; i++) {
        s.time += 4;
        ike_event again = mk(&s, A, 500, B, 500, 5, 0, MM, 0, false, SA_PL, 0xfeed);
        r = feed(&s, again);
        CHECK(r->flags & REC_RETRANS, "copy %d is a retransmission", i);
        CHECK(r->retrans_count == i, "count %d, got %u", i, r->retrans_count);
        CHECK(r->ref_frame == 1, "repeats frame 1");
        CHECK(r->msg == MSG_MM1, "still MM1");
        CHECK_STR(asa(r, ROLE_I), "MM_WAIT_MSG2");
    }
    /* The same datagram recorded twice: same IP ID, same time. */
    ike_event d1 = mk(&s, A, 500, B, 500, 5, 0, MM, 0, false, SA_PL, 0xfeed);
    d1.ip_id = 0x1234;
    feed(&s, d1);
    ike_event d2 = mk(&s, A, 500, B, 500, 5, 0, MM, 0, false, SA_PL, 0xfeed);
    d2.ip_id = 0x1234;
    r = feed(&s, d2);
    CHECK((r->flags & REC_CAPTURE_DUP) && !(r->flags & REC_RETRANS), "capture duplicate");
    ike_verdicts *v = ike_verdicts_compute(s.t);
    const ike_verdict *vd = ike_verdict_for_sa(v, 1);
    CHECK(vd->cause == CAUSE_NO_RESPONSE, "no-response, got %s", ike_cause_code(vd->cause));
    CHECK(vd->stuck_copies == 5, "MM1 sent 5 times (duplicate not counted), got %u", vd->stuck_copies);
    CHECK(vd->stuck_frames[0] == 1 && vd->stuck_frames[4] == 5, "evidence frames");
    CHECK(strstr(evidence_of(s.t, v, 1), "frames 1, 2, 3, 4, 5") != NULL, "evidence text: %s", evidence_of(s.t, v, 1));
    ike_verdicts_free(v);

    /* The reply links to the latest copy. */
    r = feed(&s, mk(&s, B, 500, A, 500, 5, 6, MM, 0, false, SA_PL, 0));
    CHECK(r->msg == MSG_MM2 && r->ref_frame == 5, "MM2 answers frame 5, got %u", r->ref_frame);
    unsigned n;
    ike_record q_v = rec_at_frame(s.t, 5, &n);
        const ike_record *q = &q_v;
    CHECK(q->answered_by == 7, "frame 5 answered in 7, got %u", q->answered_by);
    ike_tracker_free(s.t);
}

static void test_icmp_error(void)
{
    /* MM1 to B; a router C answers with an ICMP error quoting it. */
    seq s = {ike_tracker_new(), 0, 0};
    feed(&s, mk(&s, A, 500, B, 500, 0x42, 0, MM, 0, false, SA_PL, 0));
    ike_event icmp = mk(&s, A, 500, B, 500, 0x42, 0, MM, 0, false, SA_PL, 0);
    memcpy(icmp.src.addr, C, 4); /* what the glue may see: the error's addresses */
    icmp.in_icmp = true;
    const ike_record *r = feed(&s, icmp);
    CHECK((r->flags & REC_ICMP) && r->sa == 1 && r->msg == MSG_NONE, "ICMP error attached to SA 1");
    CHECK(ike_tracker_sa_count(s.t) == 1, "no SA made from an ICMP error");
    s.time += 20;
    feed(&s, mk(&s, A, 500, B, 500, 0x42, 0, MM, 0, false, SA_PL, 0));
    ike_verdicts *v = ike_verdicts_compute(s.t);
    const ike_verdict *vd = ike_verdict_for_sa(v, 1);
    CHECK(vd->cause == CAUSE_NO_RESPONSE && vd->icmp_frame == 2, "no-response with ICMP evidence");
    CHECK(strstr(evidence_of(s.t, v, 1), "ICMP error") != NULL, "evidence names the ICMP error: %s", evidence_of(s.t, v, 1));
    ike_verdicts_free(v);
    ike_tracker_free(s.t);
}

static void test_capture_ended_and_new_attempt(void)
{
    seq s = {ike_tracker_new(), 0, 0};
    feed(&s, mk(&s, A, 500, B, 500, 0x10, 0, MM, 0, false, SA_PL, 0));
    s.time += 30;
    const ike_record *r = feed(&s, mk(&s, A, 500, B, 500, 0x11, 0, MM, 0, false, SA_PL, 0));
    CHECK(r->sa == 2 && (r->flags & REC_NEW_ATTEMPT), "new I-cookie is a new SA");
    const ike_sa *sa2 = ike_tracker_sa(s.t, 2);
    CHECK(sa2->prev_attempt == 1 && sa2->attempt == 2, "grouped with attempt 1");
    ike_verdicts *v = ike_verdicts_compute(s.t);
    CHECK(ike_verdict_for_sa(v, 1)->cause == CAUSE_NO_RESPONSE, "first attempt: no-response (30 s of silence)");
    CHECK(ike_verdict_for_sa(v, 2)->cause == CAUSE_CAPTURE_ENDED, "second: capture ended right after MM1");
    ike_verdicts_free(v);
    ike_tracker_free(s.t);
}

static void test_both_initiate_and_many_peers(void)
{
    seq s = {ike_tracker_new(), 0, 0};
    feed(&s, mk(&s, A, 500, B, 500, 0xa, 0, MM, 0, false, SA_PL, 0));
    feed(&s, mk(&s, B, 500, A, 500, 0xb, 0, MM, 0, false, SA_PL, 0));
    const ike_record *r1 = feed(&s, mk(&s, B, 500, A, 500, 0xa, 0xaa, MM, 0, false, SA_PL, 0));
    const ike_record *r2 = feed(&s, mk(&s, A, 500, B, 500, 0xb, 0xbb, MM, 0, false, SA_PL, 0));
    CHECK(r1->sa == 1 && r1->msg == MSG_MM2 && r1->from == ROLE_R, "B answers A's SA");
    CHECK(r2->sa == 2 && r2->msg == MSG_MM2 && r2->from == ROLE_R, "A answers B's SA");
    CHECK(initiator_is(s.t, 2, B), "B initiated SA 2");
    /* One host, two peers; and the same I-cookie from another peer. */
    const ike_record *r3 = feed(&s, mk(&s, A, 500, C, 500, 0xa, 0, MM, 0, false, SA_PL, 0));
    CHECK(r3->sa == 3, "same I-cookie towards another peer is another SA, got %u", r3->sa);
    CHECK(ike_tracker_sa(s.t, 3)->attempt == 1, "first SA between A and C");
    ike_tracker_free(s.t);
}

static void test_mid_capture_start(void)
{
    seq s = {ike_tracker_new(), 0, 0};
    const ike_record *r = feed(&s, mk(&s, A, 500, B, 500, 0x33, 0x44, MM, 0, false, KE_PL, 0));
    CHECK(r->msg == MSG_MM3, "KE from the assumed initiator is MM3");
    CHECK(r->flags & REC_START_NOT_SEEN, "start not seen");
    CHECK(r->flags & REC_ROLE_ASSUMED, "roles assumed");
    CHECK_STR(asa(r, ROLE_I), "MM_WAIT_MSG4");
    CHECK_STR(asa(r, ROLE_R), "MM_WAIT_MSG3"); /* MM2 must have been sent */
    ike_tracker_free(s.t);

    /* A quick mode of an SA whose phase 1 is not in the capture. */
    seq q = {ike_tracker_new(), 0, 0};
    r = feed(&q, mk(&q, B, 4500, A, 4500, 0x55, 0x66, QM, 0x77, true, 0, 0));
    CHECK(r->msg == MSG_QM1 && (r->flags & REC_START_NOT_SEEN) && (r->flags & REC_INFERRED), "QM1 first");
    CHECK_STR(asa(r, ROLE_I), "MM_ACTIVE");
    CHECK_STR(asa(r, ROLE_R), "MM_ACTIVE");
    feed(&q, mk(&q, A, 4500, B, 4500, 0x55, 0x66, QM, 0x77, true, 0, 0));
    r = feed(&q, mk(&q, B, 4500, A, 4500, 0x55, 0x66, QM, 0x77, true, 0, 0));
    CHECK(r->msg == MSG_QM3, "QM3");
    ike_verdicts *v = ike_verdicts_compute(q.t);
    CHECK(ike_verdict_for_sa(v, 1)->cause == CAUSE_OK, "complete QM on an unseen phase 1 is ok");
    ike_verdicts_free(v);
    ike_tracker_free(q.t);
}

static void test_one_direction(void)
{
    /* Only the responder's packets are visible (an asymmetric capture
     * point): MM2 names its sender by its non-zero R-cookie, MM4 follows. */
    seq s = {ike_tracker_new(), 0, 0};
    const ike_record *r = feed(&s, mk(&s, B, 500, A, 500, 0x7, 0x8, MM, 0, false, SA_PL, 0));
    CHECK(r->msg == MSG_MM2 && r->from == ROLE_R && !(r->flags & REC_ROLE_ASSUMED), "MM2 from the responder");
    CHECK(r->flags & REC_START_NOT_SEEN, "MM1 not seen");
    CHECK_STR(asa(r, ROLE_I), "MM_WAIT_MSG2"); /* MM1 inferred */
    CHECK_STR(asa(r, ROLE_R), "MM_WAIT_MSG3");
    r = feed(&s, mk(&s, B, 500, A, 500, 0x7, 0x8, MM, 0, false, KE_PL, 0));
    CHECK(r->msg == MSG_MM4 && (r->flags & REC_INFERRED), "MM4, MM3 inferred");
    CHECK_STR(asa(r, ROLE_I), "MM_WAIT_MSG4");
    CHECK_STR(asa(r, ROLE_R), "MM_WAIT_MSG5");
    CHECK(initiator_is(s.t, 1, A), "initiator is the receiver");
    ike_tracker_free(s.t);
}

static void test_out_of_order(void)
{
    seq s = {ike_tracker_new(), 0, 0};
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0, MM, 0, false, SA_PL, 0));
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, MM, 0, false, KE_PL, 0)); /* MM3 before MM2 */
    const ike_record *r = feed(&s, mk(&s, B, 500, A, 500, 0x1, 0x2, MM, 0, false, SA_PL, 0));
    CHECK(r->msg == MSG_MM2 && (r->flags & REC_OUT_OF_ORDER), "late MM2 flagged");
    CHECK_STR(asa(r, ROLE_I), "MM_WAIT_MSG4"); /* no regression */
    CHECK_STR(asa(r, ROLE_R), "MM_WAIT_MSG3");
    ike_tracker_free(s.t);
}

static void test_responder_initiates_quick_mode(void)
{
    seq s = {ike_tracker_new(), 0, 0};
    main_mode(&s, 0x9, 0x99);
    const ike_record *r = feed(&s, mk(&s, B, 500, A, 500, 0x9, 0x99, QM, 0x1, true, 0, 0));
    const ike_exchange *ex = ike_tracker_exchange(s.t, r->exch);
    CHECK(r->msg == MSG_QM1 && ex->initiator == ROLE_R, "QM1 from the phase-1 responder");
    r = feed(&s, mk(&s, A, 500, B, 500, 0x9, 0x99, QM, 0x1, true, 0, 0));
    CHECK(r->msg == MSG_QM2 && r->from == ROLE_I, "QM2 from the phase-1 initiator");
    ike_tracker_free(s.t);
}

static void test_notifications_and_causes(void)
{
    /* Proposal refused: clear N(14) answering MM1. */
    seq s = {ike_tracker_new(), 0, 0};
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0, MM, 0, false, SA_PL, 0));
    ike_event n = mk(&s, B, 500, A, 500, 0x1, 0x2, INFO, 0, false, IKE_PMASK(IKE_PL_NOTIFY), 0);
    n.pl.n_notify = 1;
    n.pl.notify[0] = 14;
    const ike_record *r = feed(&s, n);
    CHECK(r->msg == MSG_INFO && (r->flags & REC_REJECT) && r->ref_frame == 1, "N(14) answers MM1");
    CHECK_STR(asa(r, ROLE_R), "none");
    ike_verdicts *v = ike_verdicts_compute(s.t);
    const ike_verdict *vd = ike_verdict_for_sa(v, 1);
    CHECK(vd->cause == CAUSE_PROPOSAL_REJECTED && vd->notify == 14 && vd->notify_frame == 2, "proposal-rejected");
    ike_verdicts_free(v);
    ike_tracker_free(s.t);

    /* No key for the peer: N(17) answering MM3. */
    s = (seq){ike_tracker_new(), 0, 0};
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0, MM, 0, false, SA_PL, 0));
    feed(&s, mk(&s, B, 500, A, 500, 0x1, 0x2, MM, 0, false, SA_PL, 0));
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, MM, 0, false, KE_PL, 0));
    n = mk(&s, B, 500, A, 500, 0x1, 0x2, INFO, 0, false, IKE_PMASK(IKE_PL_NOTIFY), 0);
    n.pl.n_notify = 1;
    n.pl.notify[0] = 17;
    feed(&s, n);
    v = ike_verdicts_compute(s.t);
    vd = ike_verdict_for_sa(v, 1);
    CHECK(vd->cause == CAUSE_NO_KEY_EXCHANGE_REPLY, "no-key-exchange-reply, got %s", ike_cause_code(vd->cause));
    CHECK(strstr(evidence_of(s.t, v, 1), "INVALID-KEY-INFORMATION (17) in frame 4") != NULL, "evidence: %s", evidence_of(s.t, v, 1));
    ike_verdicts_free(v);
    ike_tracker_free(s.t);

    /* PSK mismatch: MM5 resent, encrypted informational from the responder. */
    s = (seq){ike_tracker_new(), 0, 0};
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0, MM, 0, false, SA_PL, 0));
    feed(&s, mk(&s, B, 500, A, 500, 0x1, 0x2, MM, 0, false, SA_PL, 0));
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, MM, 0, false, KE_PL, 0));
    feed(&s, mk(&s, B, 500, A, 500, 0x1, 0x2, MM, 0, false, KE_PL, 0));
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, MM, 0, true, 0, 0x55));
    feed(&s, mk(&s, B, 500, A, 500, 0x1, 0x2, INFO, 0x1234, true, 0, 0));
    s.time += 4;
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, MM, 0, true, 0, 0x55));
    v = ike_verdicts_compute(s.t);
    vd = ike_verdict_for_sa(v, 1);
    CHECK(vd->cause == CAUSE_AUTH_FAILED, "auth-failed, got %s", ike_cause_code(vd->cause));
    CHECK(vd->notify_encrypted && vd->notify_frame == 6, "encrypted answer noted");
    CHECK(vd->stuck_copies == 2, "MM5 twice");
    ike_verdicts_free(v);
    ike_tracker_free(s.t);
}

static void test_nat_t(void)
{
    seq s = {ike_tracker_new(), 0, 0};
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0, MM, 0, false, SA_PL, 0));
    feed(&s, mk(&s, B, 500, A, 500, 0x1, 0x2, MM, 0, false, SA_PL, 0));
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, MM, 0, false, KE_PL | IKE_PMASK(IKE_PL_NATD), 0));
    feed(&s, mk(&s, B, 500, A, 500, 0x1, 0x2, MM, 0, false, KE_PL | IKE_PMASK(IKE_PL_NATD), 0));
    const ike_record *r = feed(&s, mk(&s, A, 4500, B, 4500, 0x1, 0x2, MM, 0, true, 0, 0x77));
    CHECK(r->msg == MSG_MM5 && r->sa == 1 && (r->flags & REC_FLOAT), "MM5 floats to 4500 in the same SA");
    for (int i = 0; i < 3; i++) {
        s.time += 5;
        feed(&s, mk(&s, A, 4500, B, 4500, 0x1, 0x2, MM, 0, true, 0, 0x77));
    }
    ike_verdicts *v = ike_verdicts_compute(s.t);
    CHECK(ike_verdict_for_sa(v, 1)->cause == CAUSE_NAT_T_BLOCKED, "nat-t-blocked, got %s",
          ike_cause_code(ike_verdict_for_sa(v, 1)->cause));
    ike_verdicts_free(v);
    /* The responder answers on 4500: floated, not blocked. */
    r = feed(&s, mk(&s, B, 4500, A, 4500, 0x1, 0x2, MM, 0, true, 0, 0));
    CHECK(r->msg == MSG_MM6 && !(r->flags & REC_FLOAT), "MM6 on 4500");
    ike_tracker_free(s.t);
}

/* MM3 whose NAT-D says the initiator's address was translated: the
 * destination hash matches the packet, the source hash does not. */
static ike_event natd_mm3(seq *s)
{
    ike_event e = mk(s, A, 500, B, 500, 0x1, 0x2, MM, 0, false, KE_PL | IKE_PMASK(IKE_PL_NATD), 0);
    e.pl.n_natd = 2;
    e.pl.natd_len[0] = (uint8_t)ike_natd_hash(2, e.hdr.icookie, e.hdr.rcookie, &e.dst, e.pl.natd[0]);
    e.pl.natd_len[1] = 20;
    memset(e.pl.natd[1], 0xab, 20); /* made with the private address */
    return e;
}

static void test_natt_blocked_at_responder(void)
{
    /* Captured at the responder: MM1-MM4, NAT detected, no MM5 ever. */
    seq s = {ike_tracker_new(), 0, 0};
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0, MM, 0, false, SA_PL, 0));
    feed(&s, mk(&s, B, 500, A, 500, 0x1, 0x2, MM, 0, false, SA_PL, 0));
    const ike_record *r = feed(&s, natd_mm3(&s));
    CHECK(r->flags & REC_NATD_SRC, "NAT-D: sender translated");
    feed(&s, mk(&s, B, 500, A, 500, 0x1, 0x2, MM, 0, false, KE_PL, 0));
    const ike_sa *sa = ike_tracker_sa(s.t, 1);
    CHECK((sa->flags & SA_NAT_CHECKED) && (sa->flags & SA_NAT_I), "NAT in front of the initiator");
    ike_verdicts *v = ike_verdicts_compute(s.t);
    CHECK(ike_verdict_for_sa(v, 1)->cause == CAUSE_NAT_T_BLOCKED, "nat-t-blocked, got %s",
          ike_cause_code(ike_verdict_for_sa(v, 1)->cause));
    ike_verdicts_free(v);
    ike_tracker_free(s.t);

    /* The same without NAT: the capture simply ended after MM4. */
    seq q = {ike_tracker_new(), 0, 0};
    feed(&q, mk(&q, A, 500, B, 500, 0x1, 0, MM, 0, false, SA_PL, 0));
    feed(&q, mk(&q, B, 500, A, 500, 0x1, 0x2, MM, 0, false, SA_PL, 0));
    feed(&q, mk(&q, A, 500, B, 500, 0x1, 0x2, MM, 0, false, KE_PL, 0));
    feed(&q, mk(&q, B, 500, A, 500, 0x1, 0x2, MM, 0, false, KE_PL, 0));
    v = ike_verdicts_compute(q.t);
    CHECK(ike_verdict_for_sa(v, 1)->cause == CAUSE_CAPTURE_ENDED, "no NAT: capture-ended");
    ike_verdicts_free(v);
    ike_tracker_free(q.t);
}

/* Phase 1, then QM1 answered by a decrypted informational with one
 * notification of this type (what Wireshark shows with the keys). */
static ike_cause qm1_refused_with(uint16_t type)
{
    seq s = {ike_tracker_new(), 0, 0};
    main_mode(&s, 0x1, 0x2);
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, QM, 0x10, true, 0, 0));
    ike_event n = mk(&s, B, 500, A, 500, 0x1, 0x2, INFO, 0x20, true, IKE_PMASK(IKE_PL_HASH) | IKE_PMASK(IKE_PL_NOTIFY), 0);
    n.readable = n.decrypted = true;
    n.pl.n_notify = 1;
    n.pl.notify[0] = type;
    feed(&s, n);
    ike_verdicts *v = ike_verdicts_compute(s.t);
    ike_cause c = ike_verdict_for_sa(v, 1)->cause;
    ike_verdicts_free(v);
    ike_tracker_free(s.t);
    return c;
}

static void test_phase2_causes(void)
{
    /* Refused quick mode, notification encrypted and no keys. */
    seq s = {ike_tracker_new(), 0, 0};
    main_mode(&s, 0x1, 0x2);
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, QM, 0x10, true, 0, 0));
    feed(&s, mk(&s, B, 500, A, 500, 0x1, 0x2, INFO, 0x20, true, 0, 0));
    ike_verdicts *v = ike_verdicts_compute(s.t);
    const ike_verdict *vd = ike_verdict_for_sa(v, 1);
    CHECK(vd->cause == CAUSE_PHASE2_REJECTED, "phase2-rejected, got %s", ike_cause_code(vd->cause));
    CHECK(vd->qm_failed == 1, "one failed QM");
    ike_verdicts_free(v);
    ike_tracker_free(s.t);

    /* The same with keys: N(18) readable. */
    CHECK(qm1_refused_with(18) == CAUSE_PHASE2_ID_MISMATCH, "phase2-id-mismatch");

    /* QM1 resent, never answered. */
    s = (seq){ike_tracker_new(), 0, 0};
    main_mode(&s, 0x1, 0x2);
    for (int i = 0; i < 3; i++) {
        feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, QM, 0x10, true, 0, 0x99));
        s.time += 5;
    }
    v = ike_verdicts_compute(s.t);
    vd = ike_verdict_for_sa(v, 1);
    CHECK(vd->cause == CAUSE_PHASE2_NO_RESPONSE, "phase2-no-response, got %s", ike_cause_code(vd->cause));
    CHECK(vd->stuck_copies == 3 && vd->stuck_frames[0] == 7, "QM1 evidence");
    ike_verdicts_free(v);
    ike_tracker_free(s.t);
}

static void test_xauth_and_delete(void)
{
    seq s = {ike_tracker_new(), 0, 0};
    main_mode(&s, 0x1, 0x2);
    ike_event x = mk(&s, B, 500, A, 500, 0x1, 0x2, TXN, 0x30, true, IKE_PMASK(IKE_PL_HASH) | IKE_PMASK(IKE_PL_ATTR), 0);
    x.readable = x.decrypted = true;
    x.pl.cfg_type = IKE_CFG_SET;
    x.pl.xauth_status = 0;
    const ike_record *r = feed(&s, x);
    CHECK(r->msg == MSG_TXN && r->xauth_status == 0, "XAUTH SET(FAIL)");
    ike_verdicts *v = ike_verdicts_compute(s.t);
    CHECK(ike_verdict_for_sa(v, 1)->cause == CAUSE_XAUTH_FAILED, "xauth-failed");
    ike_verdicts_free(v);
    ike_tracker_free(s.t);

    s = (seq){ike_tracker_new(), 0, 0};
    main_mode(&s, 0x1, 0x2);
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, QM, 0x10, true, 0, 0));
    feed(&s, mk(&s, B, 500, A, 500, 0x1, 0x2, QM, 0x10, true, 0, 0));
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, QM, 0x10, true, 0, 0));
    ike_event d = mk(&s, A, 500, B, 500, 0x1, 0x2, INFO, 0x40, true, IKE_PMASK(IKE_PL_HASH) | IKE_PMASK(IKE_PL_DELETE), 0);
    d.readable = d.decrypted = true;
    d.pl.delete_proto = 1;
    r = feed(&s, d);
    CHECK(r->flags & REC_DELETE, "delete seen");
    CHECK(ike_tracker_sa(s.t, 1)->deleted_by == 1, "deleted by the initiator");
    v = ike_verdicts_compute(s.t);
    CHECK(ike_verdict_for_sa(v, 1)->cause == CAUSE_DELETED, "deleted");
    ike_verdicts_free(v);
    ike_tracker_free(s.t);
}

/* Causes not covered above, one synthetic signature each (reference
 * section 10), and the xauth-unconfirmed heuristic with its negatives. */
static ike_cause cause_of(seq *s, uint32_t sa)
{
    ike_verdicts *v = ike_verdicts_compute(s->t);
    ike_cause c = ike_verdict_for_sa(v, sa)->cause;
    ike_verdicts_free(v);
    return c;
}

static void xauth_txns(seq *s, uint64_t ic, uint64_t rc)
{
    /* REQUEST/REPLY then SET/ACK, encrypted, as strongSwan sends them. */
    feed(s, mk(s, B, 500, A, 500, ic, rc, TXN, 0x30, true, 0, 0));
    feed(s, mk(s, A, 500, B, 500, ic, rc, TXN, 0x30, true, 0, 0));
    feed(s, mk(s, B, 500, A, 500, ic, rc, TXN, 0x31, true, 0, 0));
    feed(s, mk(s, A, 500, B, 500, ic, rc, TXN, 0x31, true, 0, 0));
}

/* Issue 12, defects 2 and 3: a delete before an unanswered quick mode
 * explains it; a client's CFG_ACK echo is no XAUTH status; a completed
 * quick mode wins over a FAIL. */
static void test_delete_then_qm_and_xauth_ack(void)
{
    /* MM6, then the responder deletes the ISAKMP SA (readable, keys given),
     * then the initiator's QM1 goes unanswered and the capture goes on for
     * only milliseconds: deleted, not capture-ended. */
    seq s = {ike_tracker_new(), 0, 0};
    main_mode(&s, 0x1, 0x2);
    s.time += 0.001;
    ike_event d = mk(&s, B, 500, A, 500, 0x1, 0x2, INFO, 0x40, true, IKE_PMASK(IKE_PL_HASH) | IKE_PMASK(IKE_PL_DELETE), 0);
    d.readable = d.decrypted = true;
    d.pl.delete_proto = 1;
    feed(&s, d);
    s.time += 0.001;
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, QM, 0x10, true, 0, 0x77));
    ike_verdicts *v = ike_verdicts_compute(s.t);
    const ike_verdict *vd = ike_verdict_for_sa(v, 1);
    CHECK(vd->cause == CAUSE_DELETED, "delete before QM1 wins, got %s", ike_cause_code(vd->cause));
    ike_verdicts_free(v);
    ike_tracker_free(s.t);

    /* The same without the delete still says capture-ended (negative). */
    s = (seq){ike_tracker_new(), 0, 0};
    main_mode(&s, 0x1, 0x2);
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, QM, 0x10, true, 0, 0x77));
    CHECK(cause_of(&s, 1) == CAUSE_CAPTURE_ENDED, "no delete: capture-ended");
    ike_tracker_free(s.t);

    /* An ESP-SA delete before the QM1 does not count as an IKE SA delete. */
    s = (seq){ike_tracker_new(), 0, 0};
    main_mode(&s, 0x1, 0x2);
    d = mk(&s, B, 500, A, 500, 0x1, 0x2, INFO, 0x40, true, IKE_PMASK(IKE_PL_HASH) | IKE_PMASK(IKE_PL_DELETE), 0);
    d.readable = d.decrypted = true;
    d.pl.delete_proto = 3;
    feed(&s, d);
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, QM, 0x10, true, 0, 0x77));
    CHECK(cause_of(&s, 1) == CAUSE_CAPTURE_ENDED, "ESP delete: capture-ended");
    ike_tracker_free(s.t);

    /* The wire parser: XAUTH_STATUS 0 in a CFG_ACK is the client's echo;
     * the same in a CFG_SET is the gateway's FAIL. */
    for (int set = 0; set < 2; set++) {
        uint8_t m[28 + 4 + 4 + 4];
        memset(m, 0, sizeof m);
        m[0] = 1;
        m[16] = IKE_PL_ATTR;
        m[17] = 0x10;
        m[18] = IKE_EXCH_TRANSACTION;
        m[27] = sizeof m;
        /* attribute payload: next 0, reserved, length 12; type, reserved, id 0x1234;
         * XAUTH_STATUS as TV (0x8000 | 16527) with value 0 */
        uint8_t a[12] = {0, 0, 0, 12, set ? IKE_CFG_SET : IKE_CFG_ACK, 0, 0x12, 0x34,
                         (uint8_t)(0x80 | (IKE_ATTR_XAUTH_STATUS >> 8)),
                         (uint8_t)(IKE_ATTR_XAUTH_STATUS & 0xff), 0, 0};
        memcpy(m + 28, a, sizeof a);
        ike_header h;
        ike_payloads pl;
        CHECK(ike_wire_parse_message(m, sizeof m, &h, &pl), "attr parses");
        CHECK(pl.cfg_type == (set ? IKE_CFG_SET : IKE_CFG_ACK), "cfg type %u", pl.cfg_type);
        CHECK(pl.xauth_status == (set ? 0 : -1), "%s status %d", set ? "SET" : "ACK", pl.xauth_status);
    }

    /* Verdict: SET(FAIL) read, then a completed quick mode: the tunnel is up. */
    s = (seq){ike_tracker_new(), 0, 0};
    main_mode(&s, 0x1, 0x2);
    ike_event x = mk(&s, B, 500, A, 500, 0x1, 0x2, TXN, 0x30, true, IKE_PMASK(IKE_PL_HASH) | IKE_PMASK(IKE_PL_ATTR), 0);
    x.readable = x.decrypted = true;
    x.pl.cfg_type = IKE_CFG_SET;
    x.pl.xauth_status = 0;
    feed(&s, x);
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, QM, 0x10, true, 0, 0));
    feed(&s, mk(&s, B, 500, A, 500, 0x1, 0x2, QM, 0x10, true, 0, 0));
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, QM, 0x10, true, 0, 0));
    CHECK(cause_of(&s, 1) == CAUSE_OK, "completed QM wins over XAUTH FAIL");
    ike_tracker_free(s.t);
}

/* Issue 12, defect 1: an initiator resends MM1 and the responder refuses each
 * copy with NO-PROPOSAL-CHOSEN under a new responder cookie (strongSwan keeps
 * no state for a refused MM1). One initiator cookie, one IKE SA; the MM1
 * copies are retransmissions, the roles are known, and the verdict is the
 * refusal. */
static void test_refusals_with_new_rcookies(void)
{
    seq s = {ike_tracker_new(), 0, 0};
    const uint64_t ic = 0xabc;
    for (int k = 0; k < 3; k++) {
        const ike_record *r = feed(&s, mk(&s, A, 500, B, 500, ic, 0, MM, 0, false, SA_PL, 0x99));
        CHECK(r->sa == 1 && r->msg == MSG_MM1 && r->from == ROLE_I, "copy %d is MM1 of SA 1 from the initiator (sa %u, %s)",
              k, r->sa, ike_msg_name((ike_msg)r->msg));
        CHECK(k == 0 ? !(r->flags & REC_RETRANS) : (r->flags & REC_RETRANS) && r->ref_frame == 1,
              "copy %d retransmission flag", k);
        ike_event n = mk(&s, B, 500, A, 500, ic, 0x100 + (uint64_t)k, INFO, 0, false, IKE_PMASK(IKE_PL_NOTIFY), 0);
        n.pl.n_notify = 1;
        n.pl.notify[0] = 14;
        r = feed(&s, n);
        CHECK(r->sa == 1 && r->from == ROLE_R && (r->flags & REC_REJECT) && !(r->flags & REC_ROLE_ASSUMED),
              "refusal %d belongs to SA 1 from the responder (sa %u)", k, r->sa);
        s.time += 2;
    }
    CHECK(ike_tracker_sa_count(s.t) == 1, "one IKE SA, got %u", ike_tracker_sa_count(s.t));
    ike_verdicts *v = ike_verdicts_compute(s.t);
    const ike_verdict *vd = ike_verdict_for_sa(v, 1);
    CHECK(vd->cause == CAUSE_PROPOSAL_REJECTED && vd->failed, "proposal-rejected, got %s", ike_cause_code(vd->cause));
    ike_verdicts_free(v);
    ike_tracker_free(s.t);

    /* Negative: after a completed main mode, a new MM1 exchange with the
     * same initiator cookie and another responder cookie stays a new SA. */
    s = (seq){ike_tracker_new(), 0, 0};
    main_mode(&s, ic, 0x200);
    feed(&s, mk(&s, B, 500, A, 500, ic, 0x201, MM, 0, false, SA_PL, 0));
    CHECK(ike_tracker_sa_count(s.t) == 2, "established SA: other R-cookie is another SA");
    ike_tracker_free(s.t);
}

/* The shared event builder and the session (issue 12: one builder for the
 * glue, the fuzzer and the benchmark; keys and verdict cache in the core). */
static void test_event_builder_and_session(void)
{
    /* A clear MM1 header with one SA payload of 8 bytes (header only). */
    uint8_t m[36];
    memset(m, 0, sizeof m);
    m[0] = 0x11;
    m[8] = 0;
    m[16] = IKE_PL_SA;
    m[17] = 0x10;
    m[18] = IKE_EXCH_MAIN;
    m[27] = sizeof m;
    m[31] = 8;
    ike_event ev;
    memset(&ev, 0, sizeof ev);
    ike_event_read(&ev, m, sizeof m);
    CHECK(ev.have_header && ev.readable && !ev.decrypted && ev.pl_len == 8 && ev.pl_buf == m + 28,
          "clear message readable, payload chain after the header");
    CHECK(!ike_event_wants_plaintext(&ev), "a clear message wants no plaintext");
    ike_event_read(&ev, m, 20);
    CHECK(!ev.have_header && !ev.readable && ev.wire_len == 20, "20 bytes: no header");
    ike_event_read(&ev, NULL, 0);
    CHECK(!ev.have_header, "no bytes: no header");

    /* Encrypted: unreadable until a plaintext that parses is offered. */
    m[19] = IKE_FLAG_ENCRYPTED;
    m[16] = IKE_PL_ID;
    ike_event_read(&ev, m, sizeof m);
    CHECK(ev.have_header && !ev.readable && ike_event_wants_plaintext(&ev), "encrypted: wants plaintext");
    uint8_t garbage[8] = {0x77, 0, 0, 200, 1, 2, 3, 4};
    ike_event_use_plaintext(&ev, garbage, sizeof garbage);
    CHECK(!ev.readable && ev.decrypt_failed, "garbage plaintext is not believed");
    ike_event_read(&ev, m, sizeof m);
    uint8_t plain[12] = {0, 0, 0, 12, 1, 17, 1, 244, 192, 0, 2, 1}; /* ID payload, IPv4 addr */
    ike_event_use_plaintext(&ev, plain, sizeof plain);
    CHECK(ev.readable && ev.decrypted && !ev.decrypt_failed && ev.pl_buf == plain &&
              (ev.pl.mask & IKE_PMASK(IKE_PL_ID)),
          "a parsing plaintext makes it readable");

    /* Keys from a file's text: hex, text, bad hex as text, a blank line
     * keeps the numbering, CRLF, the final newline ends the file. */
    ike_session *ss = ike_session_new();
    const char *text = "secret\r\n0x6b6579\n\n0xzz\n";
    CHECK(ike_session_set_psk_text(ss, text, strlen(text)) == 4, "four candidates");
    CHECK(ike_session_set_psk_text(ss, "", 0) == 0, "no text, no candidate");
    CHECK(ike_session_set_psk_text(ss, "a", 1) == 1, "no final newline");

    /* The verdict cache: recomputed only when records were added, and
     * not offered for the frame being fed. */
    seq q = {NULL, 0, 0};
    ike_event e1 = mk(&q, A, 500, B, 500, 0x1, 0, MM, 0, false, SA_PL, 0);
    ike_session_begin_frame(ss, e1.frame);
    CHECK(ike_session_add(ss, &e1) != NULL, "added");
    CHECK(ike_session_verdicts_if_cheap(ss, e1.frame) == NULL, "not while frame 1 is fed");
    const ike_verdicts *v1 = ike_session_verdicts(ss);
    CHECK(v1 && ike_verdict_for_sa(v1, 1)->cause == CAUSE_CAPTURE_ENDED, "one MM1: capture-ended");
    CHECK(ike_session_verdicts(ss) == v1, "cached while nothing is added");
    ike_session_begin_frame(ss, e1.frame);
    CHECK(ike_session_verdicts_if_cheap(ss, e1.frame) == v1, "a later pass gets them");
    ike_event e2 = mk(&q, B, 500, A, 500, 0x1, 0x2, MM, 0, false, SA_PL, 0);
    ike_session_begin_frame(ss, e2.frame);
    ike_session_add(ss, &e2);
    CHECK(ike_tracker_record_count(ike_session_tracker(ss)) == 2, "two records");
    ike_session_free(ss);
    ike_session_free(NULL);
}

/* ---- IKEv2 ------------------------------------------------------------------- */

/* One IKEv2 message: I flag from the SA's initiator, R flag on responses.
 * sk: SK payload length (0: clear), next: its first inner payload. */
static ike_event v2msg(seq *s, bool from_i, uint64_t spii, uint64_t spir, uint8_t exch, uint32_t msgid, bool resp,
                       uint16_t sk, uint8_t next, uint64_t digest)
{
    ike_event e = from_i ? mk(s, A, 500, B, 500, spii, spir, exch, msgid, false, 0, digest)
                         : mk(s, B, 500, A, 500, spii, spir, exch, msgid, false, 0, digest);
    e.hdr.version = 0x20;
    e.hdr.flags = (uint8_t)((from_i ? IKE2_FLAG_INITIATOR : 0) | (resp ? IKE2_FLAG_RESPONSE : 0));
    e.pl.sk_len = sk;
    e.pl.sk_next = next;
    e.readable = sk == 0 || next == 0;
    if (exch == IKE2_EXCH_SA_INIT && !sk)
        e.pl.v2_mask = IKE2_PMASK(IKE2_PL_SA) | IKE2_PMASK(IKE2_PL_KE) | IKE2_PMASK(IKE2_PL_NONCE);
    return e;
}

static const char *sw(const ike_record *r, int side)
{
    return ike2_state_names((ike2_side_state)r->state[side])->strongswan;
}

static void v2_handshake(seq *s, uint64_t i, uint64_t r)
{
    feed(s, v2msg(s, true, i, 0, IKE2_EXCH_SA_INIT, 0, false, 0, 0, 0));
    feed(s, v2msg(s, false, i, r, IKE2_EXCH_SA_INIT, 0, true, 0, 0, 0));
    feed(s, v2msg(s, true, i, r, IKE2_EXCH_AUTH, 1, false, 300, IKE2_PL_IDI, 0));
    feed(s, v2msg(s, false, i, r, IKE2_EXCH_AUTH, 1, true, 260, IKE2_PL_IDR, 0));
}

static void test_ikev2_table(void)
{
    /* Every row's states exist, and the established ones are the table's. */
    const uint8_t ex[] = {IKE2_EXCH_SA_INIT, IKE2_EXCH_AUTH, IKE2_EXCH_CREATE_CHILD, IKE2_EXCH_INFO};
    int rows = 0;
    for (unsigned e = 0; e < sizeof ex; e++)
        for (int ask = 0; ask <= V2_ASK_LIVENESS; ask++)
            for (int o = 0; o < V2_OUT__COUNT; o++) {
                const ike2_transition *tr = ike2_transition_for(ex[e], (ike2_ask)ask, (ike2_outcome)o);
                if (!tr)
                    continue;
                rows++;
                CHECK(tr->requester_after == KEEP || tr->requester_after < V2__COUNT, "row state in range");
                CHECK(tr->responder_after == KEEP || tr->responder_after < V2__COUNT, "row state in range");
                if (tr->establishes)
                    CHECK(tr->requester_after == V2_EST && tr->responder_after == V2_EST, "establishing rows end in EST");
            }
    CHECK(rows >= 14, "transition rows: %d", rows);
    for (int st = 0; st < V2__COUNT; st++) {
        const ike2_state_names_t *n = ike2_state_names((ike2_side_state)st);
        CHECK(n->cisco_status && n->cisco_sm && n->strongswan && n->libreswan, "state %d named", st);
    }
    CHECK_STR(ike2_state_names(V2_I_INIT)->cisco_sm, "I_WAIT_INIT");
    CHECK_STR(ike2_state_names(V2_R_INIT)->libreswan, "STATE_V2_PARENT_R1");
    CHECK(ike2_msg_for(IKE2_EXCH_AUTH, true) == MSG_V2_AUTH_RESP && ike2_msg_for(99, false) == MSG_IKEV2, "msg kinds");
}

static void test_ikev2_tracking(void)
{
    /* A whole negotiation: states after each message, links, ok. */
    seq s = {ike_tracker_new(), 0, 0};
    v2_handshake(&s, 0x11, 0x22);
    unsigned n;
    ike_record r1_v = rec_at_frame(s.t, 1, &n);
        const ike_record *r1 = &r1_v;
    ike_record r2_v = rec_at_frame(s.t, 2, &n);
        const ike_record *r2 = &r2_v;
    ike_record r3_v = rec_at_frame(s.t, 3, &n);
        const ike_record *r3 = &r3_v;
    ike_record r4_v = rec_at_frame(s.t, 4, &n);
        const ike_record *r4 = &r4_v;
    CHECK(r1->msg == MSG_V2_INIT_REQ && r1->from == ROLE_I && r1->answered_by == 2, "INIT req answered by 2");
    CHECK_STR(sw(r1, ROLE_I), "CONNECTING");
    CHECK(r2->msg == MSG_V2_INIT_RESP && r2->from == ROLE_R && r2->ref_frame == 1 && (r2->flags & REC_RESPONSE), "INIT resp");
    CHECK_STR(ike2_state_names((ike2_side_state)r2->state[ROLE_R])->cisco_sm, "R_WAIT_AUTH");
    CHECK_STR(ike2_state_names((ike2_side_state)r3->state[ROLE_I])->libreswan, "STATE_V2_PARENT_I2");
    CHECK(r4->msg == MSG_V2_AUTH_RESP && (r4->flags & REC_P1_COMPLETE), "AUTH resp establishes");
    CHECK_STR(sw(r4, ROLE_I), "ESTABLISHED");
    CHECK_STR(sw(r4, ROLE_R), "ESTABLISHED");
    CHECK(ike_tracker_sa_count(s.t) == 1, "one SA");
    /* A request from the responder uses its own message IDs: msgid 1 again
     * is another exchange, not a retransmission of IKE_AUTH. */
    const ike_record *q = feed(&s, v2msg(&s, false, 0x11, 0x22, IKE2_EXCH_INFO, 1, false, 60, 0, 0));
    CHECK(q->msg == MSG_V2_INFO_REQ && !(q->flags & (REC_RETRANS | REC_OUT_OF_ORDER)) && q->exch != r4->exch,
          "responder's request 1 is its own exchange");
    const ike_record *qa = feed(&s, v2msg(&s, true, 0x11, 0x22, IKE2_EXCH_INFO, 1, true, 60, 0, 0));
    CHECK(qa->ref_frame == q->frame, "answered by the initiator");
    CHECK(ike_sa_x(s.t, ike_tracker_sa(s.t, 1))->dpd_requests == 1 && ike_sa_x(s.t, ike_tracker_sa(s.t, 1))->dpd_answered == 1,
          "an empty INFORMATIONAL is a liveness check, answered");
    CHECK(cause_of(&s, 1) == CAUSE_OK, "ok, got %s", ike_cause_code(cause_of(&s, 1)));
    ike_tracker_free(s.t);

    /* IKE_SA_INIT never answered, resent: no-response; sent once at the
     * end of the capture: capture-ended. */
    s = (seq){ike_tracker_new(), 0, 0};
    feed(&s, v2msg(&s, true, 0x31, 0, IKE2_EXCH_SA_INIT, 0, false, 0, 0, 0x5));
    s.time += 1;
    const ike_record *rt = feed(&s, v2msg(&s, true, 0x31, 0, IKE2_EXCH_SA_INIT, 0, false, 0, 0, 0x5));
    CHECK((rt->flags & REC_RETRANS) && rt->ref_frame == 1 && rt->retrans_count == 1, "same bytes: retransmission");
    CHECK(cause_of(&s, 1) == CAUSE_NO_RESPONSE, "no-response");
    ike_tracker_free(s.t);
    s = (seq){ike_tracker_new(), 0, 0};
    feed(&s, v2msg(&s, true, 0x31, 0, IKE2_EXCH_SA_INIT, 0, false, 0, 0, 0x5));
    CHECK(cause_of(&s, 1) == CAUSE_CAPTURE_ENDED, "sent once: capture-ended");
    ike_tracker_free(s.t);

    /* Refused with NO_PROPOSAL_CHOSEN (SPIr 0). */
    s = (seq){ike_tracker_new(), 0, 0};
    feed(&s, v2msg(&s, true, 0x41, 0, IKE2_EXCH_SA_INIT, 0, false, 0, 0, 0));
    ike_event np = v2msg(&s, false, 0x41, 0, IKE2_EXCH_SA_INIT, 0, true, 0, 0, 0);
    np.pl.v2_mask = IKE2_PMASK(IKE2_PL_NOTIFY);
    np.pl.n_notify = 1;
    np.pl.notify[0] = 14;
    const ike_record *rn = feed(&s, np);
    CHECK(rn->sa == 1 && (rn->flags & REC_REJECT), "refusal joins the SA");
    CHECK_STR(sw(rn, ROLE_I), "DESTROYING");
    CHECK(cause_of(&s, 1) == CAUSE_PROPOSAL_REJECTED, "proposal-rejected");
    ike_tracker_free(s.t);

    /* INVALID_KE_PAYLOAD, then a retry with new bytes under the same SPIi
     * that works: one SA, ok; without the retry: ke-rejected. */
    for (int retry = 0; retry < 2; retry++) {
        s = (seq){ike_tracker_new(), 0, 0};
        feed(&s, v2msg(&s, true, 0x51, 0, IKE2_EXCH_SA_INIT, 0, false, 0, 0, 0x71));
        ike_event ke = v2msg(&s, false, 0x51, 0, IKE2_EXCH_SA_INIT, 0, true, 0, 0, 0);
        ke.pl.v2_mask = IKE2_PMASK(IKE2_PL_NOTIFY);
        ke.pl.n_notify = 1;
        ke.pl.notify[0] = 17;
        feed(&s, ke);
        if (retry) {
            s.time += 0.01;
            const ike_record *again = feed(&s, v2msg(&s, true, 0x51, 0, IKE2_EXCH_SA_INIT, 0, false, 0, 0, 0x72));
            CHECK((again->flags & REC_V2_RETRY) && !(again->flags & REC_RETRANS), "retry flagged, not a retransmission");
            feed(&s, v2msg(&s, false, 0x51, 0x52, IKE2_EXCH_SA_INIT, 0, true, 0, 0, 0));
            feed(&s, v2msg(&s, true, 0x51, 0x52, IKE2_EXCH_AUTH, 1, false, 300, IKE2_PL_IDI, 0));
            feed(&s, v2msg(&s, false, 0x51, 0x52, IKE2_EXCH_AUTH, 1, true, 260, IKE2_PL_IDR, 0));
        }
        CHECK(ike_tracker_sa_count(s.t) == 1, "one SA");
        ike_cause c = cause_of(&s, 1);
        CHECK(c == (retry ? CAUSE_OK : CAUSE_KE_REJECTED), "retry %d: %s", retry, ike_cause_code(c));
        ike_tracker_free(s.t);
    }

    /* IKE_AUTH answered by a small encrypted message: auth-rejected; by
     * one with room for IDr and AUTH but not a CHILD_SA: child-rejected;
     * decrypted AUTHENTICATION_FAILED: auth-failed. */
    struct { uint16_t sk; uint8_t next; ike_cause want; } sizes[] = {
        {52, IKE2_PL_NOTIFY, CAUSE_AUTH_REJECTED},
        {116, IKE2_PL_IDR, CAUSE_CHILD_REJECTED},
        {212, IKE2_PL_IDR, CAUSE_OK},
    };
    for (unsigned k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        s = (seq){ike_tracker_new(), 0, 0};
        feed(&s, v2msg(&s, true, 0x61, 0, IKE2_EXCH_SA_INIT, 0, false, 0, 0, 0));
        feed(&s, v2msg(&s, false, 0x61, 0x62, IKE2_EXCH_SA_INIT, 0, true, 0, 0, 0));
        feed(&s, v2msg(&s, true, 0x61, 0x62, IKE2_EXCH_AUTH, 1, false, 300, IKE2_PL_IDI, 0));
        feed(&s, v2msg(&s, false, 0x61, 0x62, IKE2_EXCH_AUTH, 1, true, sizes[k].sk, sizes[k].next, 0));
        ike_cause c = cause_of(&s, 1);
        CHECK(c == sizes[k].want, "IKE_AUTH response of %u bytes: %s", sizes[k].sk, ike_cause_code(c));
        ike_tracker_free(s.t);
    }
    s = (seq){ike_tracker_new(), 0, 0};
    feed(&s, v2msg(&s, true, 0x61, 0, IKE2_EXCH_SA_INIT, 0, false, 0, 0, 0));
    feed(&s, v2msg(&s, false, 0x61, 0x62, IKE2_EXCH_SA_INIT, 0, true, 0, 0, 0));
    feed(&s, v2msg(&s, true, 0x61, 0x62, IKE2_EXCH_AUTH, 1, false, 300, IKE2_PL_IDI, 0));
    ike_event af = v2msg(&s, false, 0x61, 0x62, IKE2_EXCH_AUTH, 1, true, 52, IKE2_PL_NOTIFY, 0);
    af.readable = af.decrypted = true;
    af.pl.v2_mask = IKE2_PMASK(IKE2_PL_NOTIFY);
    af.pl.n_notify = 1;
    af.pl.notify[0] = 24;
    feed(&s, af);
    CHECK(cause_of(&s, 1) == CAUSE_AUTH_FAILED, "decrypted AUTHENTICATION_FAILED: auth-failed");
    ike_tracker_free(s.t);

    /* Liveness checks never answered after establishment: peer-dead. */
    s = (seq){ike_tracker_new(), 0, 0};
    v2_handshake(&s, 0x81, 0x82);
    for (int k = 0; k < 3; k++) {
        s.time += 1.5;
        feed(&s, v2msg(&s, true, 0x81, 0x82, IKE2_EXCH_INFO, 2, false, 52, 0, 0x99));
    }
    CHECK(cause_of(&s, 1) == CAUSE_PEER_DEAD, "peer-dead, got %s", ike_cause_code(cause_of(&s, 1)));
    CHECK(ike_sa_x(s.t, ike_tracker_sa(s.t, 1))->dpd_requests == 1 && ike_sa_x(s.t, ike_tracker_sa(s.t, 1))->dpd_answered == 0,
          "one liveness check (its copies are retransmissions), unanswered");
    ike_tracker_free(s.t);

    /* IKE_AUTH unanswered on 4500 after a float: nat-t-blocked without NAT
     * detection needs the float; plain resend on 500: auth-no-response. */
    s = (seq){ike_tracker_new(), 0, 0};
    feed(&s, v2msg(&s, true, 0x91, 0, IKE2_EXCH_SA_INIT, 0, false, 0, 0, 0));
    feed(&s, v2msg(&s, false, 0x91, 0x92, IKE2_EXCH_SA_INIT, 0, true, 0, 0, 0));
    for (int k = 0; k < 2; k++) {
        ike_event a = v2msg(&s, true, 0x91, 0x92, IKE2_EXCH_AUTH, 1, false, 300, IKE2_PL_IDI, 0x33);
        a.src.port = a.dst.port = 4500;
        feed(&s, a);
        s.time += 1;
    }
    CHECK(cause_of(&s, 1) == CAUSE_NAT_T_BLOCKED, "nat-t-blocked, got %s", ike_cause_code(cause_of(&s, 1)));
    ike_tracker_free(s.t);
    s = (seq){ike_tracker_new(), 0, 0};
    feed(&s, v2msg(&s, true, 0x91, 0, IKE2_EXCH_SA_INIT, 0, false, 0, 0, 0));
    feed(&s, v2msg(&s, false, 0x91, 0x92, IKE2_EXCH_SA_INIT, 0, true, 0, 0, 0));
    for (int k = 0; k < 2; k++) {
        feed(&s, v2msg(&s, true, 0x91, 0x92, IKE2_EXCH_AUTH, 1, false, 300, IKE2_PL_IDI, 0x33));
        s.time += 1;
    }
    CHECK(cause_of(&s, 1) == CAUSE_AUTH_NO_RESPONSE, "auth-no-response");
    ike_tracker_free(s.t);

    /* An IKEv1 SA and an IKEv2 SA with the same initiator cookie stay apart. */
    s = (seq){ike_tracker_new(), 0, 0};
    feed(&s, mk(&s, A, 500, B, 500, 0xaa, 0, MM, 0, false, SA_PL, 0));
    const ike_record *v2r = feed(&s, v2msg(&s, true, 0xaa, 0, IKE2_EXCH_SA_INIT, 0, false, 0, 0, 0));
    CHECK(v2r->sa == 2 && ike_tracker_sa_count(s.t) == 2, "IKEv2 message opens its own SA");
    ike_tracker_free(s.t);
}

/* Weak cryptography of a chosen proposal (issue 13). */
static void test_weak_crypto(void)
{
    ike_p1_transform t = {.enc = 5, .hash = 1, .auth = 1, .group = 2};
    CHECK(ike_weak_v1(&t, IKE_EXCH_MAIN) == (WEAK_3DES | WEAK_MD5 | WEAK_DH2), "3DES/MD5/group 2 in main mode");
    CHECK(ike_weak_v1(&t, IKE_EXCH_AGGRESSIVE) & WEAK_AGGR_PSK, "aggressive mode with PSK");
    ike_p1_transform rsa = {.enc = 7, .hash = 4, .auth = 3, .group = 14, .keylen = 256};
    CHECK(ike_weak_v1(&rsa, IKE_EXCH_AGGRESSIVE) == 0, "AES-256/SHA2-256/RSA/group 14: nothing weak, even aggressive");
    CHECK(ike_weak_v2(12, 5, 12, 14) == 0, "IKEv2 AES-CBC/SHA2-256/MODP2048: nothing weak");
    CHECK(ike_weak_v2(3, 1, 1, 5) == (WEAK_3DES | WEAK_MD5 | WEAK_DH5), "IKEv2 3DES/MD5/group 5");
    char buf[128];
    ike_weak_format(WEAK_DES | WEAK_DH1, buf, sizeof buf);
    CHECK_STR(buf, "DES, MODP768 (group 1)");
    ike_weak_format(0, buf, sizeof buf);
    CHECK_STR(buf, "");
    char small[8];
    ike_weak_format(WEAK_AGGR_PSK, small, sizeof small);
    CHECK(strlen(small) < sizeof small, "truncated, terminated");
    ike2_transform_format(12, 128, 5, 12, 14, buf, sizeof buf);
    CHECK_STR(buf, "AES-CBC-128/PRF-HMAC-SHA2-256/HMAC-SHA2-256-128/MODP2048");
}

static void test_remaining_causes(void)
{
    /* Encrypted XAUTH, no quick mode: probably failed. */
    seq s = {ike_tracker_new(), 0, 0};
    main_mode(&s, 0x1, 0x2);
    xauth_txns(&s, 0x1, 0x2);
    ike_verdicts *v = ike_verdicts_compute(s.t);
    const ike_verdict *vd = ike_verdict_for_sa(v, 1);
    CHECK(vd->cause == CAUSE_XAUTH_UNCONFIRMED, "xauth-unconfirmed, got %s", ike_cause_code(vd->cause));
    CHECK(vd->failed, "xauth-unconfirmed counts as failed");
    CHECK(vd->txn_count == 4 && vd->txn_first_frame == 7 && vd->txn_last_frame == 10, "txn evidence %u %u-%u",
          vd->txn_count, vd->txn_first_frame, vd->txn_last_frame);
    CHECK(strstr(evidence_of(s.t, v, 1), "4 encrypted transaction messages (frames 7 to 10)"),
          "evidence names the transactions: %s", evidence_of(s.t, v, 1));
    ike_verdicts_free(v);
    ike_tracker_free(s.t);

    /* ... followed by a completed quick mode: ok. */
    s = (seq){ike_tracker_new(), 0, 0};
    main_mode(&s, 0x1, 0x2);
    xauth_txns(&s, 0x1, 0x2);
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, QM, 0x10, true, 0, 0));
    feed(&s, mk(&s, B, 500, A, 500, 0x1, 0x2, QM, 0x10, true, 0, 0));
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, QM, 0x10, true, 0, 0));
    CHECK(cause_of(&s, 1) == CAUSE_OK, "XAUTH then QM: ok");
    ike_tracker_free(s.t);

    /* ... with the keys and a status OK: ok, even without a quick mode. */
    s = (seq){ike_tracker_new(), 0, 0};
    main_mode(&s, 0x1, 0x2);
    feed(&s, mk(&s, B, 500, A, 500, 0x1, 0x2, TXN, 0x30, true, 0, 0));
    ike_event x = mk(&s, B, 500, A, 500, 0x1, 0x2, TXN, 0x31, true, IKE_PMASK(IKE_PL_HASH) | IKE_PMASK(IKE_PL_ATTR), 0);
    x.readable = x.decrypted = true;
    x.pl.cfg_type = IKE_CFG_SET;
    x.pl.xauth_status = 1;
    feed(&s, x);
    CHECK(cause_of(&s, 1) == CAUSE_OK, "readable XAUTH OK: ok");
    ike_tracker_free(s.t);

    /* Readable mode-config transactions only (no XAUTH, no quick mode): ok. */
    s = (seq){ike_tracker_new(), 0, 0};
    main_mode(&s, 0x1, 0x2);
    x = mk(&s, A, 500, B, 500, 0x1, 0x2, TXN, 0x32, true, IKE_PMASK(IKE_PL_HASH) | IKE_PMASK(IKE_PL_ATTR), 0);
    x.readable = x.decrypted = true;
    x.pl.cfg_type = IKE_CFG_REQUEST;
    feed(&s, x);
    CHECK(cause_of(&s, 1) == CAUSE_OK, "readable mode config, no XAUTH: ok");
    ike_tracker_free(s.t);

    /* reply-lost: MM2 is the last message, 30 s before the capture ends. */
    s = (seq){ike_tracker_new(), 0, 0};
    feed(&s, mk(&s, A, 500, B, 500, 0x5, 0, MM, 0, false, SA_PL, 0));
    feed(&s, mk(&s, B, 500, A, 500, 0x5, 0x6, MM, 0, false, SA_PL, 0));
    s.time += 30;
    feed(&s, mk(&s, C, 500, B, 500, 0x7, 0, MM, 0, false, SA_PL, 0));
    CHECK(cause_of(&s, 1) == CAUSE_REPLY_LOST, "reply-lost, got %s", ike_cause_code(cause_of(&s, 1)));
    ike_tracker_free(s.t);

    /* aggressive-auth-failed: AM1, AM2, then a notification from the initiator. */
    s = (seq){ike_tracker_new(), 0, 0};
    feed(&s, mk(&s, A, 500, B, 500, 0x8, 0, AM, 0, false, SA_PL | KE_PL | IKE_PMASK(IKE_PL_ID), 0));
    feed(&s, mk(&s, B, 500, A, 500, 0x8, 0x9, AM, 0, false, SA_PL | KE_PL | IKE_PMASK(IKE_PL_HASH), 0));
    feed(&s, mk(&s, A, 500, B, 500, 0x8, 0x9, INFO, 0xabc, true, 0, 0));
    CHECK(cause_of(&s, 1) == CAUSE_AGGRESSIVE_AUTH_FAILED, "aggressive-auth-failed, got %s",
          ike_cause_code(cause_of(&s, 1)));
    {
        /* The encrypted answer is evidence, not "no reply". */
        ike_verdicts *av = ike_verdicts_compute(s.t);
        const ike_verdict *avd = ike_verdict_for_sa(av, 1);
        CHECK(avd->notify_frame == 3 && avd->notify_encrypted, "AM2 answered by the encrypted INFO in frame 3");
        CHECK(strstr(evidence_of(s.t, av, 1), "encrypted notification in frame 3") &&
                  !strstr(evidence_of(s.t, av, 1), "no reply"),
              "evidence: %s", evidence_of(s.t, av, 1));
        ike_verdicts_free(av);
    }
    ike_tracker_free(s.t);

    /* phase2-proposal-mismatch: QM1 answered by a decrypted N(14). */
    CHECK(qm1_refused_with(14) == CAUSE_PHASE2_PROPOSAL_MISMATCH, "phase2-proposal-mismatch");

    /* phase2-not-confirmed: QM2 resent, no QM3, capture goes on. */
    s = (seq){ike_tracker_new(), 0, 0};
    main_mode(&s, 0x1, 0x2);
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, QM, 0x10, true, 0, 0));
    for (int i = 0; i < 3; i++) {
        feed(&s, mk(&s, B, 500, A, 500, 0x1, 0x2, QM, 0x10, true, 0, 0x77));
        s.time += 5;
    }
    CHECK(cause_of(&s, 1) == CAUSE_PHASE2_NOT_CONFIRMED, "phase2-not-confirmed, got %s",
          ike_cause_code(cause_of(&s, 1)));
    ike_tracker_free(s.t);

    /* start-not-seen: only an informational exchange of an SA set up before the capture. */
    s = (seq){ike_tracker_new(), 0, 0};
    feed(&s, mk(&s, A, 500, B, 500, 0x3, 0x4, INFO, 0x50, true, 0, 0));
    feed(&s, mk(&s, B, 500, A, 500, 0x3, 0x4, INFO, 0x51, true, 0, 0));
    CHECK(cause_of(&s, 1) == CAUSE_START_NOT_SEEN, "start-not-seen, got %s", ike_cause_code(cause_of(&s, 1)));
    ike_tracker_free(s.t);
}

static void test_not_ikev1(void)
{
    seq s = {ike_tracker_new(), 0, 0};
    /* An IKEv2 message of an unknown exchange type starts no SA. */
    ike_event e = mk(&s, A, 500, B, 500, 0x9, 0, 40, 0, false, 0, 0);
    e.hdr.version = 0x20;
    e.hdr.flags = IKE2_FLAG_INITIATOR;
    const ike_record *r = feed(&s, e);
    CHECK(r->msg == MSG_IKEV2 && (r->flags & REC_UNKNOWN_EXCH) && r->sa == 0, "unknown IKEv2 exchange: no SA");
    ike_event g = mk(&s, A, 500, B, 500, 0x1, 0, MM, 0, false, 0, 0);
    g.have_header = false;
    r = feed(&s, g);
    CHECK(r->msg == MSG_MALFORMED && (r->flags & REC_MALFORMED) && r->sa == 0, "short garbage");
    ike_event u = mk(&s, A, 500, B, 500, 0x1, 0, 99, 0, false, 0, 0);
    r = feed(&s, u);
    CHECK(r->msg == MSG_OTHER_EXCH && (r->flags & REC_UNKNOWN_EXCH) && r->sa == 0, "unknown exchange");
    ike_event z = mk(&s, A, 500, B, 500, 0x0, 0, INFO, 0, false, IKE_PMASK(IKE_PL_NOTIFY), 0);
    r = feed(&s, z);
    CHECK((r->flags & REC_ZERO_ICOOKIE) && r->sa == 0, "zero I-cookie names no SA");
    CHECK(ike_tracker_sa_count(s.t) == 0, "no SA created");
    /* A frame fed twice (a second pass) is ignored. */
    ike_event again = mk(&s, A, 500, B, 500, 0x1, 0, MM, 0, false, SA_PL, 0);
    again.frame = 1;
    CHECK(ike_tracker_add(s.t, &again) == NULL, "earlier frame ignored");
    ike_tracker_free(s.t);
}

static void test_wire_parser(void)
{
    uint8_t m[28 + 12];
    memset(m, 0, sizeof m);
    m[0] = 1;               /* I-cookie */
    m[16] = IKE_PL_NOTIFY;  /* next payload */
    m[17] = 0x10;
    m[18] = IKE_EXCH_INFO;
    m[27] = sizeof m;
    /* notify: next 0, reserved, length 12, DOI 1, proto 1, spi size 0, type 14 */
    uint8_t n[12] = {0, 0, 0, 12, 0, 0, 0, 1, 1, 0, 0, 14};
    memcpy(m + 28, n, 12);
    ike_header h;
    ike_payloads pl;
    CHECK(ike_wire_parse_message(m, sizeof m, &h, &pl), "parses");
    CHECK(pl.malformed == IKE_MALFORMED_NONE && pl.n_notify == 1 && pl.notify[0] == 14, "N(14)");
    CHECK_STR(ike_notify_name(14), "NO-PROPOSAL-CHOSEN");
    /* A payload length of 0 must not loop. */
    m[28 + 3] = 0;
    ike_wire_parse_message(m, sizeof m, &h, &pl);
    CHECK(pl.malformed == IKE_MALFORMED_PAYLOAD_LENGTH, "zero payload length");
    /* Header claims more than there is. */
    m[28 + 3] = 12;
    m[27] = 200;
    ike_wire_parse_message(m, sizeof m, &h, &pl);
    CHECK(pl.malformed == IKE_MALFORMED_TRUNCATED, "truncated");
    CHECK(!ike_wire_parse_message(m, 10, &h, &pl) && pl.malformed == IKE_MALFORMED_SHORT_HEADER, "short");
    /* A chain that points at itself forever ends at the 64-payload cap or the end. */
    uint8_t loop[28 + 4 * 100];
    memset(loop, 0, sizeof loop);
    loop[16] = IKE_PL_VID;
    loop[17] = 0x10;
    loop[18] = IKE_EXCH_MAIN;
    loop[26] = (uint8_t)(sizeof loop >> 8);
    loop[27] = (uint8_t)(sizeof loop & 0xff);
    for (int i = 0; i < 100; i++) {
        loop[28 + 4 * i] = IKE_PL_VID;
        loop[28 + 4 * i + 3] = 4;
    }
    ike_wire_parse_message(loop, sizeof loop, &h, &pl);
    CHECK(pl.malformed == IKE_MALFORMED_TOO_MANY_PAYLOADS, "long chain capped");
}

static void test_adversarial_scale(void)
{
    /* Many SAs and a flood of retransmissions: linear, no crash. */
    seq s = {ike_tracker_new(), 0, 0};
    for (uint64_t i = 1; i <= 20000; i++)
        feed(&s, mk(&s, A, 500, B, 500, i, 0, MM, 0, false, SA_PL, 0));
    for (int i = 0; i < 20000; i++)
        feed(&s, mk(&s, A, 500, B, 500, 1, 0, MM, 0, false, SA_PL, 1 * 7919u + 1 + 0));
    CHECK(ike_tracker_sa_count(s.t) == 20000, "20000 SAs, got %u", ike_tracker_sa_count(s.t));
    /* Message IDs reused across exchange types are separate exchanges. */
    seq q = {ike_tracker_new(), 0, 0};
    main_mode(&q, 0x1, 0x2);
    const ike_record *a = feed(&q, mk(&q, A, 500, B, 500, 0x1, 0x2, QM, 0x5, true, 0, 0));
    const ike_record *b = feed(&q, mk(&q, A, 500, B, 500, 0x1, 0x2, INFO, 0x5, true, 0, 0));
    CHECK(a->exch != b->exch && b->msg == MSG_INFO, "same msgid, other exchange type");
    ike_verdicts *v = ike_verdicts_compute(s.t);
    CHECK(v != NULL, "verdicts for 20000 SAs");
    ike_verdicts_free(v);
    ike_tracker_free(q.t);
    ike_tracker_free(s.t);
}

static void test_packed_records(void)
{
    /* Records are stored packed (ike_tracker_int.h): frames, owners and
     * times as offsets from their block's bases, what a message is as a
     * shared kind. An SA whose messages come after 40,000 newer SAs, frames
     * 70,000 apart and times 1,000 s apart take the far paths; so do an
     * exchange resent after 20,000 newer exchanges, more than 254 kinds (a
     * retransmission count is part of the kind up to 254), and copies of a
     * message resent more than 65,535 records after its first copy (the
     * slot's link to that first copy); every record must unpack as it was
     * made (answers, which come later, aside). */
    seq s = {ike_tracker_new(), 0, 1.7e9};
    enum { NSA = 40000, NX = 100, NR = 140000, NE = 20000 };
    ike_record *made = calloc(NSA + NX + NR + NE + 16, sizeof *made);
    uint32_t n = 0;
    const uint32_t mm[6] = {SA_PL, SA_PL, KE_PL, KE_PL, 0, 0};
    for (int k = 0; k < 6; k++) {
        bool from_a = k % 2 == 0;
        const ike_record *r = feed(&s, mk(&s, from_a ? A : B, 500, from_a ? B : A, 500, 0x1, k ? 0x2 : 0, MM, 0,
                                          k >= 4, mm[k], 0));
        if (r)
            made[n++] = *r;
    }
    for (uint64_t i = 0; i < NSA; i++) {
        const ike_record *r = feed(&s, mk(&s, C, 500, B, 500, 0x100000 + i, 0, MM, 0, false, SA_PL, 0));
        if (r)
            made[n++] = *r;
    }
    for (int k = 0; k < NX; k++) {
        s.frame += 70000;
        s.time += 1000;
        const ike_record *r = feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, INFO, 7, true, 0, 0xfeed));
        if (r)
            made[n++] = *r;
    }
    uint32_t info1 = made[6 + NSA].frame, d1 = s.frame + 1;
    /* Every other record a copy of one MM1: the last copy is NR records
     * after the first, and NR / 2 retransmissions saturate the count. */
    for (int k = 0; k <= NR; k++) {
        const ike_record *r = k % 2 ? feed(&s, mk(&s, C, 500, B, 500, 0x300000 + (uint64_t)k, 0, MM, 0, false, SA_PL, 0))
                                    : feed(&s, mk(&s, C, 500, B, 500, 0x200000, 0, MM, 0, false, SA_PL, 0xbeef));
        if (r)
            made[n++] = *r;
    }
    uint32_t dl_frame = s.frame;
    for (int k = 0; k < NE; k++) {
        const ike_record *r = feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, INFO, 1000 + (uint32_t)k, true, 0,
                                          0x50000 + (uint64_t)k));
        if (r)
            made[n++] = *r;
    }
    const ike_record *again = feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, INFO, 7, true, 0, 0xfeed));
    if (again)
        made[n++] = *again;
    CHECK(n == 6 + NSA + NX + NR + NE + 2 && ike_tracker_record_count(s.t) == n, "%u records", n);
    CHECK(ike_map_bytes(&s.t->far_fields) > 0, "far frames and SAs kept aside");
    const trk_crec *far_ex = ike_vec_at(&s.t->records, n);
    CHECK(far_ex && far_ex->owner == OWN_EXCH_FAR, "the far exchange's record: owner %#x",
          far_ex ? far_ex->owner : 0);
    CHECK(ike_vec_len(&s.t->kinds.items) > TRK_KIND_ESC && s.t->kind_of.used > 0, "%u kinds, %u kept aside",
          ike_vec_len(&s.t->kinds.items), s.t->kind_of.used);
    unsigned bad = 0;
    for (uint32_t i = 1; i <= n; i++) {
        ike_record r;
        ike_tracker_record(s.t, i, &r);
        r.answered_by = made[i - 1].answered_by;
        if (memcmp(&r, &made[i - 1], sizeof r) != 0)
            bad++;
    }
    CHECK(bad == 0, "%u of %u records unpack otherwise than made", bad, n);
    unsigned cnt = 0;
    ike_record last = rec_at_frame(s.t, s.frame, &cnt);
    CHECK(cnt == 1 && last.sa == 1 && last.frame == s.frame && (last.flags & REC_RETRANS) &&
              last.retrans_count == NX && last.ref_frame == info1,
          "the last far message: SA %u frame %u, resent %u, first copy %u (want %u)", last.sa, last.frame,
          last.retrans_count, last.ref_frame, info1);
    ike_record dl = rec_at_frame(s.t, dl_frame, &cnt);
    CHECK(cnt == 1 && (dl.flags & REC_RETRANS) && dl.retrans_count == UINT16_MAX && dl.ref_frame == d1,
          "an MM1 resent %u times (saturated), first copy %u (want %u)", dl.retrans_count, dl.ref_frame, d1);
    ike_record mm1 = rec_at_frame(s.t, 1, &cnt);
    CHECK(mm1.answered_by == 2, "MM1 answered by frame 2, got %u", mm1.answered_by);
    free(made);
    ike_tracker_free(s.t);
}

static void test_ip_id_ring(void)
{
    /* The capture-duplicate test reads the original's IPv4 ID from a ring
     * of the last TRK_IP_RING records: past the ring's first wrap a copy
     * right after its original is still a duplicate, and a copy more than
     * TRK_IP_RING records after it (time standing still) is a resend, not
     * a duplicate matched against a newer record's ID in the same place. */
    seq s = {ike_tracker_new(), 0, 1.7e9};
    ike_event o = mk(&s, A, 500, B, 500, 0x7, 0, MM, 0, false, SA_PL, 0xd0d0);
    o.ip_id = 77;
    feed(&s, o);
    for (uint32_t k = 0; k < TRK_IP_RING + 10; k++) {
        ike_event e = mk(&s, C, 500, B, 500, 0x1000000 + (uint64_t)k, 0, MM, 0, false, SA_PL, 0);
        e.ip_id = 77; /* the same ID everywhere in the ring */
        feed(&s, e);
    }
    ike_event again = mk(&s, A, 500, B, 500, 0x7, 0, MM, 0, false, SA_PL, 0xd0d0);
    again.ip_id = 77;
    const ike_record *r = feed(&s, again);
    CHECK(r && (r->flags & REC_RETRANS) && !(r->flags & REC_CAPTURE_DUP),
          "a copy %u records later is a resend (flags %#x)", TRK_IP_RING + 11, r ? r->flags : 0);
    ike_event dup = mk(&s, A, 500, B, 500, 0x7, 0, MM, 0, false, SA_PL, 0xd0d0);
    dup.ip_id = 77;
    r = feed(&s, dup);
    CHECK(r && (r->flags & REC_CAPTURE_DUP) && !(r->flags & REC_RETRANS),
          "the next copy with the same ID is a duplicate (flags %#x)", r ? r->flags : 0);
    ike_tracker_free(s.t);
}

static void test_last_added(void)
{
    /* Two messages in one frame: the frame's two records, both on the
     * first pass's shortcut (checked against the search in feed()). */
    seq s = {ike_tracker_new(), 0, 1.7e9};
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0, MM, 0, false, SA_PL, 0x11));
    s.frame--; /* the next message shares the frame */
    feed(&s, mk(&s, B, 500, A, 500, 0x1, 0x2, MM, 0, false, SA_PL, 0x12));
    unsigned n;
    uint32_t first = ike_tracker_last_added(s.t, &n);
    CHECK(first == 1 && n == 2, "frame 1: first record %u, %u records", first, n);
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0x2, MM, 0, false, KE_PL, 0x13));
    first = ike_tracker_last_added(s.t, &n);
    CHECK(first == 3 && n == 1, "frame 2: first record %u, %u records", first, n);
    ike_tracker_free(s.t);
}

static void test_store(void)
{
    /* ike_vec_pop drops the last element and leaves its place clean for
     * the next push; ike_set_intern names equal values by one index. */
    ike_vec v;
    ike_vec_init(&v, sizeof(uint64_t));
    uint32_t a = ike_vec_push(&v), b = ike_vec_push(&v);
    *(uint64_t *)ike_vec_at(&v, b) = 0xdeadbeef;
    ike_vec_pop(&v);
    CHECK(ike_vec_len(&v) == 1 && ike_vec_at(&v, b) == NULL, "popped: %u left", ike_vec_len(&v));
    uint32_t c = ike_vec_push(&v);
    CHECK(a == 1 && c == b && *(uint64_t *)ike_vec_at(&v, c) == 0, "pushed again at %u, value %llx", c,
          (unsigned long long)*(uint64_t *)ike_vec_at(&v, c));
    ike_vec_free(&v);
    ike_set set;
    ike_set_init(&set, 12);
    uint8_t x[12] = {1, 2, 3}, y[12] = {1, 2, 4};
    uint32_t ix = ike_set_intern(&set, x), iy = ike_set_intern(&set, y);
    unsigned same = 0;
    for (int k = 0; k < 1000; k++) {
        uint8_t z[12] = {0};
        memcpy(z, &k, sizeof k);
        if (ike_set_intern(&set, z) == ike_set_intern(&set, z))
            same++;
    }
    CHECK(ix && iy && ix != iy && ike_set_intern(&set, x) == ix && same == 1000 &&
              memcmp(ike_set_at(&set, iy), y, 12) == 0,
          "set: %u %u, %u of 1000 found again", ix, iy, same);
    ike_set_free(&set);
}

static void test_endpoints(void)
{
    ike_endpoint e = {6, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 500};
    char buf[64];
    ike_endpoint_format(&e, buf, sizeof buf);
    CHECK_STR(buf, "[2001:db8::1]:500");
    ike_endpoint f = {6, {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0}, 4500};
    ike_endpoint_format(&f, buf, sizeof buf);
    CHECK_STR(buf, "[2001:db8:1::2:0:0]:4500");
    ike_endpoint g = {4, {203, 0, 113, 7}, 4500};
    ike_endpoint_format(&g, buf, sizeof buf);
    CHECK_STR(buf, "203.0.113.7:4500");
    ike_endpoint h = {4, {255, 255, 0, 10}, 65535};
    ike_endpoint_format(&h, buf, sizeof buf);
    CHECK_STR(buf, "255.255.0.10:65535");
    char cut[6];
    ike_endpoint_format(&g, cut, sizeof cut);
    CHECK_STR(cut, "203.0");
}

/* What MM1 offered, as shown on a NO-PROPOSAL-CHOSEN: RFC 2409 appendix A
 * values (7 AES-CBC, 2 SHA, 1 pre-shared key, 14 MODP 2048 from RFC 3526,
 * 5 3DES-CBC, 1 MD5, 3 RSA signatures, 2 MODP 1024). */
static void test_offered_format(void)
{
    struct { ike_p1_offered o; ike_p1_transform t[2]; } x;
    memset(&x, 0, sizeof x);
    x.o.n = 2;
    x.o.total = 5;
    x.o.t[0] = (ike_p1_transform){.enc = 7, .hash = 2, .auth = 1, .group = 14, .keylen = 128, .life_s = 3600};
    x.o.t[1] = (ike_p1_transform){.enc = 5, .hash = 1, .auth = 3, .group = 2};
    char buf[512];
    size_t n = ike_offered_format(&x.o, buf, sizeof buf);
    CHECK_STR(buf, "#1 AES-CBC-128/SHA1/PSK/MODP2048/3600 s; #2 3DES/MD5/RSA-sig/MODP1024; and 3 more");
    CHECK(n == strlen(buf), "length %zu for '%s'", n, buf);
    CHECK(ike_offered_text_size(&x.o) > n, "room for the text: %zu", ike_offered_text_size(&x.o));
    /* A short buffer is cut, never overrun, and stays terminated. */
    char small[20];
    memset(small, 'x', sizeof small);
    n = ike_offered_format(&x.o, small, 12);
    CHECK(n == 11 && small[11] == '\0' && small[12] == 'x' && strncmp(small, "#1 AES-CBC-", 11) == 0,
          "cut at 12: %zu '%s'", n, small);
}


/* ---- the notify table and the text module --------------------------------- */

static void test_notify_table(void)
{
    size_t n = 0;
    const ike_notify_info *t = ike_notify_table(&n);
    CHECK(n > 60, "notify table holds %zu entries", n);
    for (size_t i = 0; i < n; i++) {
        CHECK(t[i].version == 1 || t[i].version == 2, "entry %zu version %u", i, t[i].version);
        CHECK(t[i].name && *t[i].name, "type %u has a name", t[i].type);
        /* Wireshark's spelling: IKEv1 with hyphens, IKEv2 with underscores. */
        CHECK(strchr(t[i].name, t[i].version == 1 ? '_' : '-') == NULL, "%s spelled as Wireshark does", t[i].name);
        CHECK(!t[i].meaning || *t[i].meaning, "%s: a meaning is NULL or words", t[i].name);
        /* RFC 2408 3.14.1 / RFC 7296 3.10.1: below 16384 errors, from 16384
         * status; a retry request (INVALID_KE_PAYLOAD, COOKIE) is in either. */
        bool error_range = t[i].type < 16384;
        if (t[i].category != IKE_NOTIFY_RETRY)
            CHECK(error_range == (t[i].category == IKE_NOTIFY_ERROR), "%s (%u): category %d fits its range",
                  t[i].name, t[i].type, t[i].category);
        CHECK(ike_notify_find(t[i].version, t[i].type) == &t[i], "%s (%u) listed once", t[i].name, t[i].type);
    }
    /* Normal traffic must not look like an error (it decides the severity). */
    CHECK(ike_notify_category_of(1, 24578) == IKE_NOTIFY_STATUS, "INITIAL-CONTACT is status");
    CHECK(ike_notify_category_of(2, 16384) == IKE_NOTIFY_STATUS, "INITIAL_CONTACT is status");
    CHECK(ike_notify_category_of(1, 36136) == IKE_NOTIFY_LIVENESS, "R-U-THERE is liveness");
    CHECK(ike_notify_category_of(1, 36137) == IKE_NOTIFY_LIVENESS, "R-U-THERE-ACK is liveness");
    CHECK(ike_notify_category_of(1, 14) == IKE_NOTIFY_ERROR, "NO-PROPOSAL-CHOSEN is an error");
    CHECK(ike_notify_category_of(2, 17) == IKE_NOTIFY_RETRY, "INVALID_KE_PAYLOAD asks for a retry");
    CHECK(ike_notify_category_of(2, 16390) == IKE_NOTIFY_RETRY, "COOKIE asks for a retry");
    CHECK(ike_notify_category_of(2, 24) == IKE_NOTIFY_ERROR, "AUTHENTICATION_FAILED is an error");
    /* Unknown types: by range, with a name that says so. */
    CHECK(ike_notify_category_of(1, 9999) == IKE_NOTIFY_ERROR && ike_notify_category_of(2, 50000) == IKE_NOTIFY_STATUS,
          "unknown types by range");
    CHECK_STR(ike_notify_name(9999), "unknown error");
    CHECK_STR(ike2_notify_name(50000), "unknown status");
    /* The same number, two versions, two names. */
    CHECK_STR(ike_notify_name(18), "INVALID-ID-INFORMATION");
    CHECK_STR(ike2_notify_name(18), "unknown error");
    CHECK_STR(ike_notify_name(24), "AUTHENTICATION-FAILED");
    CHECK_STR(ike2_notify_name(24), "AUTHENTICATION_FAILED");
    CHECK_STR(ike2_notify_name(38), "TS_UNACCEPTABLE");
    CHECK(ike_notify_meaning(16) && strstr(ike_notify_meaning(16), "pre-shared key"), "PAYLOAD-MALFORMED meaning");
    CHECK(ike2_notify_meaning(16390) && strstr(ike2_notify_meaning(16390), "cookie"), "COOKIE meaning");
    CHECK(ike_notify_meaning(1) == NULL, "nothing to add to INVALID-PAYLOAD-TYPE");
}

/* The conversions a format uses, one letter each: s, u, d, x, f. */
static void conversions(const char *fmt, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = fmt; *p && n + 1 < size; p++) {
        if (*p != '%')
            continue;
        p++;
        while (*p && strchr("0123456789.", *p))
            p++;
        if (*p == '%')
            continue;
        out[n++] = *p == 'x' || *p == 'u' ? 'u' : *p;
    }
    out[n] = '\0';
}

/* What the declared parameters take, in the same letters. */
static void parameters(const char *params, char *out, size_t size)
{
    size_t n = 0;
    const char *p = params;
    while (*p && n + 1 < size) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char one[96];
        snprintf(one, sizeof one, "%.*s", (int)len, p);
        out[n++] = strstr(one, "char *") ? 's' : strstr(one, "unsigned") ? 'u' : strstr(one, "double") ? 'f'
                   : strstr(one, "int") ? 'd' : '?';
        if (!comma)
            break;
        p = comma + 1;
    }
    out[n] = '\0';
}

static void test_text_table(void)
{
    /* Every id has words; formats and tags use only the conversions their
     * parameters match (the compiler checks the functions; this checks the
     * lists' parameter spellings too), tags only %s and %u. */
    for (int id = 0; id < IKE_TXT__COUNT; id++)
        CHECK(*ike_text((ike_text_id)id), "text %d has words", id);
    CHECK_STR(ike_text(IKE_TXT__COUNT), "");
    CHECK_STR(ike_text((ike_text_id)-1), "");
    struct { const char *fmt, *params; bool tag; } f[] = {
#define ROW(ID, name, fmt, params, args) {fmt, #params, false},
        IKE_TEXT_FORMATS(ROW)
#undef ROW
#define ROW(ID, name, fmt, params, args) {fmt, #params, true},
        IKE_TEXT_TAGS(ROW)
#undef ROW
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        char c[32], p[32];
        conversions(f[i].fmt, c, sizeof c);
        parameters(f[i].params, p, sizeof p);
        CHECK(strcmp(c, p) == 0, "'%s': conversions %s, parameters %s %s", f[i].fmt, c, p, f[i].params);
        if (f[i].tag)
            CHECK(strspn(c, "su") == strlen(c) && strncmp(f[i].fmt, "[", 1) == 0, "tag '%s'", f[i].fmt);
    }
    /* The words themselves. */
    char b[IKE_TEXT_MAX];
    size_t n = ike_txt_retrans(b, sizeof b, "", "MM5", ike_text_role(ROLE_I), 3, 5, 8.25);
    CHECK_STR(b, "MM5 sent again by the initiator: copy #3 of frame 5, 8.250 s after it");
    CHECK(n == strlen(b), "length returned");
    CHECK(ike_txt_retrans(NULL, 0, "", "MM5", "initiator", 3, 5, 8.25) == n, "measured without a buffer");
    char small[8];
    CHECK(ike_txt_qm_complete(small, sizeof small, 0xabcdef01u) > sizeof small && strlen(small) == 7, "cut");
    ike_txt_notify(b, sizeof b, ike_notify_name(24578), 24578, ike_text_role(ROLE_I), ike_notify_meaning(24578));
    CHECK_STR(b, "INITIAL-CONTACT (24578) from the initiator: the sender has no other SA with this peer and asks it to drop old ones");
    /* The formats of only %s/%u/%d are written without vsnprintf: the
     * same text, and cut as snprintf cuts, at every size. */
    char want[IKE_TEXT_MAX];
    for (int line = -12; line <= 12; line += 12) {
        int wn = snprintf(want, sizeof want, "candidate on line %d matches HASH_R", line);
        for (size_t sz = 0; sz <= (size_t)wn + 1; sz++) {
            char got[64];
            memset(got, 'x', sizeof got);
            size_t gn = ike_txt_psk_match_value(sz ? got : NULL, sz, line);
            CHECK(gn == (size_t)wn, "length %zu for line %d", gn, line);
            if (sz)
                CHECK(strncmp(got, want, sz - 1) == 0 && got[sz - 1] == '\0' && got[sz] == 'x',
                      "cut at %zu: '%s'", sz, got);
        }
    }
    ike_txt_ev_states(b, sizeof b, "I", "MM_WAIT_MSG4", "MM_SA_SETUP", "STATE_MAIN_I2", "R", "MM_WAIT_MSG5",
                      "MM_KEY_EXCH", "STATE_MAIN_R2");
    CHECK_STR(b, "initiator I left in MM_WAIT_MSG4 (IOS MM_SA_SETUP, libreswan STATE_MAIN_I2); "
                 "responder R left in MM_WAIT_MSG5 (IOS MM_KEY_EXCH, libreswan STATE_MAIN_R2)");
    ike_tag_retrans(b, sizeof b, "MM5", 2, 9);
    CHECK_STR(b, "[MM5 resent #2, first sent in frame 9] ");
    ike_tag_v2_unknown(b, sizeof b, 4294967295u);
    CHECK_STR(b, "[IKEv2 exchange 4294967295 not followed] ");
    CHECK(ike_tag_state(small, sizeof small, "MM5", "MM_WAIT_MSG6") == strlen("[MM5 -> MM_WAIT_MSG6] ") &&
              strcmp(small, "[MM5 ->") == 0, "tag cut as snprintf: '%s'", small);
    /* Causes: a class for each, as the expert severities need. */
    CHECK(ike_text_cause_class(CAUSE_AUTH_FAILED) == IKE_CAUSE_CLASS_FAILED, "auth-failed fails");
    CHECK(ike_text_cause_class(CAUSE_AUTH_REJECTED) == IKE_CAUSE_CLASS_PROBABLY_FAILED, "auth-rejected inferred");
    CHECK(ike_text_cause_class(CAUSE_CAPTURE_ENDED) == IKE_CAUSE_CLASS_ENDED_EARLY, "capture-ended");
    CHECK(ike_text_cause_class(CAUSE_OK) == IKE_CAUSE_CLASS_OUTCOME, "ok");
    CHECK_STR(ike_text_cause_class_words(IKE_CAUSE_CLASS_PROBABLY_FAILED), "negotiation probably failed");
}

static void test_info_tags(void)
{
    seq s = {ike_tracker_new(), 0, 0};
    char tag[IKE_INFO_TAG_MAX];
    const ike_record *r = feed(&s, mk(&s, A, 500, B, 500, 0x1, 0, MM, 0, false, SA_PL, 0));
    ike_info_tag(r, tag, sizeof tag);
    CHECK_STR(tag, "[MM1 -> MM_WAIT_MSG2] ");
    r = feed(&s, mk(&s, A, 500, B, 500, 0x1, 0, MM, 0, false, SA_PL, 1 * 7919u + 1));
    ike_info_tag(r, tag, sizeof tag);
    CHECK_STR(tag, "[MM1 resent #1, first sent in frame 1] ");
    ike_event e = mk(&s, B, 500, A, 500, 0x1, 0x2, INFO, 0, false, IKE_PMASK(IKE_PL_NOTIFY), 0);
    e.pl.n_notify = 1;
    e.pl.notify[0] = 14;
    r = feed(&s, e);
    ike_info_tag(r, tag, sizeof tag);
    CHECK_STR(tag, "[INFO NO-PROPOSAL-CHOSEN] ");
    ike_event g = mk(&s, A, 500, B, 500, 0x1, 0, MM, 0, false, 0, 0);
    g.have_header = false;
    r = feed(&s, g);
    ike_info_tag(r, tag, sizeof tag);
    CHECK_STR(tag, "[malformed ISAKMP] ");
    ike_tracker_free(s.t);
}


/* The comments of annotated captures: MM1 sent twice, refused twice with
 * NO-PROPOSAL-CHOSEN. Each frame: its message and states, then the
 * verdict: a reference to it on the frames it rests on, in full on the
 * stop frame. */
static char *frame_comments(const ike_tracker *t, const ike_verdicts *v, const ike_comment_index *ix,
                            uint32_t frame, unsigned *count)
{
    static ike_cbuf b;
    ike_record recs[4];
    unsigned n = 0;
    uint32_t first = ike_tracker_find_frame(t, frame, &n);
    for (unsigned i = 0; i < n && i < 4; i++)
        ike_tracker_record(t, first + i, &recs[i]);
    b.len = 0;
    *count = ike_comment_frame(t, v, ix, frame, recs, n, &b);
    return b.s ? b.s : (char *)"";
}

static void test_comments(void)
{
    seq s = {ike_tracker_new(), 0, 10};
    ike_event n14 = mk(&s, B, 500, A, 500, 0x1, 0x2, INFO, 0, false, IKE_PMASK(IKE_PL_NOTIFY), 0x77);
    s.frame = 0;
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0, MM, 0, false, SA_PL, 0xfeed));
    n14.frame = ++s.frame;
    n14.pl.n_notify = 1;
    n14.pl.notify[0] = 14;
    feed(&s, n14);
    s.time += 4;
    feed(&s, mk(&s, A, 500, B, 500, 0x1, 0, MM, 0, false, SA_PL, 0xfeed));
    n14.frame = ++s.frame;
    n14.digest = 0x78;
    feed(&s, n14);
    ike_verdicts *v = ike_verdicts_compute(s.t);
    const ike_verdict *vd = ike_verdict_for_sa(v, 1);
    CHECK(vd && vd->cause == CAUSE_PROPOSAL_REJECTED && vd->stop_frame == 4, "refused, stop frame %u",
          vd ? vd->stop_frame : 0);
    ike_comment_index *ix = ike_comment_index_new(s.t, v);
    CHECK(ix != NULL, "index");
    unsigned c;
    CHECK_STR(frame_comments(s.t, v, ix, 1, &c),
              "isakmpstate: SA 1 MM1 from initiator -> initiator MM_WAIT_MSG2 / MM_NO_STATE, responder none / none\n"
              "isakmpstate: verdict proposal-rejected (SA 1, stop frame 4)\n");
    CHECK(c == 2, "two comments on frame 1, got %u", c);
    CHECK_STR(frame_comments(s.t, v, ix, 3, &c),
              "isakmpstate: SA 1 MM1 from initiator -> initiator MM_WAIT_MSG2 / MM_NO_STATE, responder none / none; "
              "retransmission 1 of frame 1\n"
              "isakmpstate: verdict proposal-rejected (SA 1, stop frame 4)\n");
    /* The stop frame: the notify named, then the verdict with its summary
     * and evidence. */
    char want[4096];
    snprintf(want, sizeof want,
             "isakmpstate: SA 1 INFO from responder -> initiator MM_WAIT_MSG2 / MM_NO_STATE, responder none / none; "
             "notify 14 NO-PROPOSAL-CHOSEN\nisakmpstate: verdict proposal-rejected: %s %s\n",
             ike_cause_text_for(CAUSE_PROPOSAL_REJECTED)->summary, evidence_of(s.t, v, 1));
    CHECK_STR(frame_comments(s.t, v, ix, 4, &c), want);
    CHECK(strstr(want, "sent 2 times (frames 1, 3)") != NULL, "evidence names both copies: %s", want);

    /* Records of two SAs in one frame: their comments in the given order,
     * the verdicts by SA number, each once. */
    main_mode(&s, 0x10, 0x20);
    ike_verdicts_free(v);
    v = ike_verdicts_compute(s.t);
    ike_comment_index_free(ix);
    ix = ike_comment_index_new(s.t, v);
    ike_record two[3];
    unsigned n;
    two[0] = rec_at_frame(s.t, 10, &n); /* SA 2's MM6: its stop frame */
    two[1] = rec_at_frame(s.t, 3, &n);  /* SA 1's resent MM1 */
    two[2] = two[1];
    ike_cbuf b = {0};
    c = ike_comment_frame(s.t, v, ix, 10, two, 3, &b);
    CHECK(c == 5, "3 state comments + 2 verdicts, got %u", c);
    const char *ref1 = b.s ? strstr(b.s, "isakmpstate: verdict proposal-rejected (SA 1, stop frame 4)\n") : NULL;
    const char *stop2 = b.s ? strstr(b.s, "isakmpstate: verdict ") : NULL;
    CHECK(ref1 && stop2 == ref1, "SA 1's verdict first: %s", b.s ? b.s : "");
    CHECK(b.s && strstr(b.s, "(SA 2, stop frame") == NULL && ref1 && strstr(ref1 + 1, "isakmpstate: verdict ") != NULL,
          "SA 2's verdict in full on its stop frame: %s", b.s ? b.s : "");
    CHECK(b.s && b.s[b.len - 1] == '\n' && b.s[b.len - 2] != ' ', "no blank before the end of a comment");
    ike_cbuf_free(&b);

    /* Finding a frame's records: in order (a later pass, which the
     * lookup guesses), backwards and by jumps, the same as a scan. */
    s.frame += 2; /* frames 11 and 12 hold no ISAKMP */
    feed(&s, mk(&s, A, 500, B, 500, 0x30, 0, MM, 0, false, SA_PL, 0));
    uint32_t nrec = ike_tracker_record_count(s.t);
    for (int round = 0; round < 3; round++) {
        for (uint32_t k = 0; k <= s.frame + 1; k++) {
            uint32_t f = round == 0 ? k : round == 1 ? s.frame + 1 - k : (k * 7u) % (s.frame + 2);
            uint32_t want_first = 0;
            unsigned want_n = 0, got_n = 9;
            for (uint32_t i = 1; i <= nrec; i++) {
                ike_record x;
                if (ike_tracker_record(s.t, i, &x) && x.frame == f) {
                    if (!want_first)
                        want_first = i;
                    want_n++;
                }
            }
            uint32_t got = ike_tracker_find_frame(s.t, f, &got_n);
            CHECK(got == want_first && got_n == want_n, "round %d frame %u: %u/%u, want %u/%u", round, f, got,
                  got_n, want_first, want_n);
        }
    }

    /* The shared field values. */
    ike_record r;
    memset(&r, 0, sizeof r);
    r.xauth_status = -1;
    CHECK(!ike_value_natd(&r) && !ike_value_delete(&r) && !ike_value_xauth(&r) && !ike_value_malformed(&r),
          "no values on a plain record");
    r.flags = REC_NATD_SRC | REC_NATD_DST;
    CHECK_STR(ike_value_natd(&r), "both addresses translated");
    r.delete_proto = 1;
    CHECK_STR(ike_value_delete(&r), "ISAKMP SA");
    r.flags |= REC_IKEV2;
    CHECK_STR(ike_value_delete(&r), "IKE SA");
    r.xauth_status = 1;
    CHECK(ike_value_xauth(&r) == NULL, "no XAUTH status in IKEv2");
    ike_comment_index_free(ix);
    ike_verdicts_free(v);
    ike_tracker_free(s.t);
}

int main(void)
{
    test_offered_format();
    test_store();
    test_last_added();
    test_ip_id_ring();
    test_endpoints();
    test_icmp_error();
    test_main_and_quick_mode();
    test_aggressive_mode();
    test_retransmissions();
    test_capture_ended_and_new_attempt();
    test_both_initiate_and_many_peers();
    test_mid_capture_start();
    test_out_of_order();
    test_natt_blocked_at_responder();
    test_one_direction();
    test_responder_initiates_quick_mode();
    test_notifications_and_causes();
    test_nat_t();
    test_phase2_causes();
    test_xauth_and_delete();
    test_remaining_causes();
    test_delete_then_qm_and_xauth_ack();
    test_refusals_with_new_rcookies();
    test_event_builder_and_session();
    test_ikev2_table();
    test_ikev2_tracking();
    test_weak_crypto();
    test_not_ikev1();
    test_wire_parser();
    test_adversarial_scale();
    test_packed_records();
    test_notify_table();
    test_text_table();
    test_info_tags();
    test_comments();
    printf("%d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
