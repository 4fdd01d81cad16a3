/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * fuzz_tracker.c - libFuzzer harness for isakmpstate's core (no Wireshark).
 *
 * The input is a sequence of records, each one ISAKMP message as the
 * Wireshark glue would see it (plugin/epan/packet-isakmpstate.c, built by
 * plugin/core/ike_event.c as there):
 *
 *   byte 0     bits 0-1 source endpoint, bits 2-3 destination endpoint
 *              (four peers: two IPv4, one IPv4 behind NAT, one IPv6),
 *              bit 4 the sender uses UDP 4500 (NAT-T),
 *              bit 5 quoted inside an ICMP error,
 *              bit 6 "decrypted": when the E flag is set, the bytes after the
 *                    header are handed over as Wireshark's "Decrypted IKE"
 *                    data source would be (same acceptance test as the glue),
 *              bit 7 same frame as the previous record (several ISAKMP
 *                    messages in one frame: the tracker takes several, the glue feeds one)
 *   byte 1     time step, signed, in 1/4 s (captures' clocks go backwards)
 *   bytes 2-3  IPv4 identification
 *   bytes 4-5  message length n (big-endian), cut to what is left
 *   n bytes    the ISAKMP message, header first
 *
 * Every record goes through ike_event_read() into an ike_event and
 * ike_tracker_add(). Then, as Wireshark's later passes and taps do: the same
 * events again (all but the last frame's: must be ignored), every frame's records read back, the
 * verdicts computed, and every string the glue would show built and
 * measured (so a bad pointer or a missing terminator shows up). Two
 * candidate pre-shared keys exercise the aggressive-mode PSK test.
 *
 * Build: -DISAKMPSTATE_FUZZER=ON with CC=clang (tests/fuzz/CMakeLists.txt),
 * or tests/fuzz/run_libfuzzer.sh, which also runs it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_comment.h"
#include "ike_explain.h"
#include "ike_proposal.h"
#include "ike_states.h"
#include "ike_tracker.h"
#include "ike_verdict.h"
#include "ike_wire.h"

#define MAX_EVENTS 4096
#define REC_HDR 6

static const ike_endpoint peers[4] = {
    {4, {192, 0, 2, 1}, 500},
    {4, {198, 51, 100, 2}, 500},
    {4, {203, 0, 113, 9}, 500}, /* "the initiator behind NAT" */
    {6, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 500},
};

static const uint8_t psk1[] = "cisco123";
static const uint8_t psk2[] = {0x00, 0x01, 0xff};
static const uint8_t *const psk_keys[] = {psk1, psk2};
static const size_t psk_lens[] = {sizeof psk1 - 1, sizeof psk2};
static const ike_psk_candidates psks = {2, psk_keys, psk_lens};

/* Use a string the way the glue does (printf-like): its whole length. */
static volatile size_t sink;
static void use(const char *s)
{
    if (s)
        sink += strlen(s);
}

static void build_event(ike_event *ev, uint32_t frame, double t, uint8_t sel, uint16_t ip_id, const uint8_t *bytes,
                        size_t len)
{
    memset(ev, 0, sizeof *ev);
    ev->frame = frame;
    ev->time = t;
    ev->src = peers[sel & 3];
    ev->dst = peers[(sel >> 2) & 3];
    if (sel & 0x10)
        ev->src.port = 4500, ev->dst.port = 4500;
    ev->ip_id = ip_id;
    ev->in_icmp = (sel & 0x20) != 0;

    /* The builder the glue uses (plugin/core/ike_event.c). */
    ike_event_read(ev, bytes, len);
    if (ike_event_wants_plaintext(ev) && (sel & 0x40)) {
        /* The "Decrypted IKE" data source: here, the bytes after the header
         * (the whole rest of the record, as a decrypted buffer is its own
         * allocation and may be longer than the header's length says). */
        ike_event_use_plaintext(ev, len > IKE_HDR_LEN ? bytes + IKE_HDR_LEN : NULL,
                                len > IKE_HDR_LEN ? len - IKE_HDR_LEN : 0);
    }
}

/* What ike_fields.c and ike_stats.c read for one record. */
static void show_record(const ike_tracker *t, const ike_verdicts *v, const ike_record *rec)
{
    char buf[128];
    use(ike_msg_name((ike_msg)rec->msg));
    use(ike_exch_name(rec->exch_type));
    use(ike_malformed_text((ike_malformed_t)rec->malformed));
    use(ike_notify_name(rec->notify));
    use(ike_notify_meaning(rec->notify));
    const ike_state_names_t *s;
    for (int r = 0; r < 2; r++) {
        s = ike_state_names((ike_side_state)rec->state[r]);
        use(s->asa), use(s->ios), use(s->libreswan);
        s = ike_qm_state_names((ike_qm_state)rec->qstate[r]);
        use(s->asa), use(s->ios), use(s->libreswan);
    }
    sink += ike_msg_is_quick((ike_msg)rec->msg) + ike_msg_is_phase1((ike_msg)rec->msg);
    if (rec->exch) {
        const ike_exchange *ex = ike_tracker_exchange(t, rec->exch);
        if (ex)
            use(ike_qm_outcome_code(ike_verdict_qm_outcome(v, rec->exch)));
    }
    if (rec->sa) {
        const ike_sa *sa = ike_tracker_sa(t, rec->sa);
        if (sa) {
            ike_sa_endpoint_format(t, sa, ROLE_I, buf, sizeof buf);
            use(buf);
            ike_sa_endpoint_format(t, sa, ROLE_R, buf, sizeof buf);
            use(buf);
            ike_transform_format(ike_sa_chosen(t, sa), buf, sizeof buf);
            use(buf);
            if (ike_sa_x(t, sa)->offered) {
                char offered[IKE_OFFERED_TEXT_MAX];
                ike_offered_format(ike_sa_x(t, sa)->offered, offered, sizeof offered);
                use(offered);
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ike_event evs[MAX_EVENTS];
    size_t nev = 0;
    ike_tracker *t = ike_tracker_new();
    if (!t)
        return 0;
    ike_tracker_set_psks(t, &psks);

    uint32_t frame = 0;
    unsigned in_frame = 0;
    double now = 1700000000.0;
    size_t off = 0;
    while (off + REC_HDR <= size && nev < MAX_EVENTS) {
        uint8_t sel = data[off];
        int8_t step = (int8_t)data[off + 1];
        uint16_t ip_id = (uint16_t)(data[off + 2] << 8 | data[off + 3]);
        size_t n = (size_t)(data[off + 4] << 8 | data[off + 5]);
        off += REC_HDR;
        if (n > size - off)
            n = size - off;
        if ((sel & 0x80) && frame && in_frame < 8) {
            in_frame++;
        } else {
            frame++;
            in_frame = 1;
        }
        now += step / 4.0;
        /* Each message in its own allocation, exactly n bytes long, so that
         * ASan sees any read past its end (libFuzzer's buffer is one block). */
        uint8_t *msg = n ? malloc(n) : NULL;
        if (n && !msg)
            break;
        if (n)
            memcpy(msg, data + off, n);
        off += n;
        build_event(&evs[nev], frame, now, sel, ip_id, msg, n);
        const ike_record *rec = ike_tracker_add(t, &evs[nev]);
        if (rec)
            show_record(t, NULL, rec);
        /* The tracker may keep pointers into pl_buf only during the call. */
        free(msg);
        evs[nev].pl_buf = NULL;
        evs[nev].pl_len = 0;
        nev++;
    }

    /* A second pass: frames already seen must be ignored. Not the last one:
     * its frame number equals the last frame fed, which the tracker takes
     * for one more message of that frame (the glue never feeds a frame
     * twice: it feeds only while !PINFO_FD_VISITED). */
    uint32_t before = ike_tracker_record_count(t);
    for (size_t i = 0; i < nev && evs[i].frame < frame; i++)
        ike_tracker_add(t, &evs[i]);
    if (ike_tracker_record_count(t) != before) {
        fprintf(stderr, "fuzz_tracker: a second pass added records (%u -> %u)\n", before,
                ike_tracker_record_count(t));
        abort();
    }

    ike_verdicts *v = ike_verdicts_compute(t);
    /* The annotated capture's comments of each frame, as the comments tap
     * makes them from the frame's records. */
    ike_comment_index *ix = ike_comment_index_new(t, v);
    ike_cbuf comments = {0};
    for (uint32_t f = 1; f <= frame; f++) {
        unsigned k = 0;
        uint32_t first = ike_tracker_find_frame(t, f, &k);
        ike_record recs[8];
        unsigned nrec = 0;
        for (unsigned i = 0; first && i < k; i++) {
            ike_record rec;
            if (!ike_tracker_record(t, first + i, &rec) || rec.frame != f) {
                fprintf(stderr, "fuzz_tracker: frame %u record %u reads back as frame %u\n", f, first + i,
                        rec.frame);
                abort();
            }
            show_record(t, v, &rec);
            if (nrec < 8)
                recs[nrec++] = rec;
        }
        comments.len = 0;
        if (nrec && ike_comment_frame(t, v, ix, f, recs, nrec, &comments) && comments.s)
            sink += strlen(comments.s);
    }
    ike_cbuf_free(&comments);
    ike_comment_index_free(ix);
    uint32_t nsa = ike_tracker_sa_count(t);
    for (uint32_t i = 1; i <= nsa; i++) {
        const ike_sa *sa = ike_tracker_sa(t, i);
        const ike_verdict *vd = ike_verdict_for_sa(v, i);
        if (!sa)
            abort();
        const ike_state_names_t *s = ike_state_names((ike_side_state)sa->state[ROLE_I]);
        use(s->asa), use(s->ios), use(s->libreswan);
        s = ike_state_names((ike_side_state)sa->state[ROLE_R]);
        use(s->asa), use(s->ios), use(s->libreswan);
        sink += ike_state_is_established((ike_side_state)sa->state[ROLE_I]);
        if (vd) {
            use(ike_cause_code(vd->cause));
            const ike_cause_text *ct = ike_cause_text_for(vd->cause);
            if (ct)
                use(ct->code), use(ct->summary), use(ct->likely), use(ct->check);
            ike_verdict_words w;
            if (ike_verdict_words_for(t, v, i, &w)) {
                use(w.states), use(w.evidence), use(w.text);
                ike_verdict_words_free(&w);
            }
            use(ike_notify_name(vd->notify));
        }
        uint32_t hops = 0;
        for (uint32_t e = sa->exch_head; e; ) {
            const ike_exchange *ex = ike_tracker_exchange(t, e);
            if (!ex)
                break;
            use(ike_qm_outcome_code(ike_verdict_qm_outcome(v, e)));
            if (++hops > before + 1) {
                fprintf(stderr, "fuzz_tracker: SA %u: exchange list longer than the records (a cycle)\n", i);
                abort();
            }
            e = ike_exchange_next(t, e, ex);
        }
    }
    sink += ike_tracker_bytes(t);
    ike_verdicts_free(v);
    ike_tracker_free(t);
    return 0;
}
