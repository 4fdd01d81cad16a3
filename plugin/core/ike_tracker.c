/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_tracker.c - per-IKE-SA tracking of IKEv1 exchanges.
 *
 * The decisions, in the order they are taken for each message:
 *  1. Not ISAKMP version 1 (IKEv2, garbage): a record with no SA.
 *  2. Find the SA by initiator cookie, then responder cookie, then the two
 *     addresses (ports ignored: NAT-T changes them). A message that fits no
 *     SA starts a new one.
 *  3. Which side sent it: by address (by port when both sides share one).
 *  4. Identical bytes to that sender's last message in the same exchange:
 *     a retransmission (or a capture duplicate with the same IPv4 ID),
 *     which changes no state.
 *  5. Otherwise place the message (MM1..MM6, AM1..AM3, QM1..QM3) from its
 *     payloads when readable and its position in the exchange otherwise,
 *     and apply the row of the transition table (ike_states.c).
 */
#include "ike_tracker.h"
#include "ike_tracker_int.h"

#include "ike_natd.h"
#include "ike_notify.h"
#include "ike_weak.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


void ike_tracker_set_psks(ike_tracker *t, const ike_psk_candidates *c) { t->psks = c; }



/* The keys the maps find their elements by, read back from the elements. */
static uint64_t peers_key(uint32_t a, uint32_t b);
static uint64_t msgid_key(uint32_t sa, uint8_t kind, uint32_t msgid);

static uint64_t sa_cookie_key(const void *ctx, uint32_t i)
{
    return trk_cookie_key(((const ike_sa *)ike_vec_at(&((const ike_tracker *)ctx)->sas, i))->icookie);
}

static uint64_t sa_peers_key(const void *ctx, uint32_t i)
{
    const ike_sa *sa = ike_vec_at(&((const ike_tracker *)ctx)->sas, i);
    return peers_key(sa->addr[ROLE_I], sa->addr[ROLE_R]);
}

static uint64_t exch_msgid_key(const void *ctx, uint32_t i)
{
    const ike_exchange *ex = ike_vec_at(&((const ike_tracker *)ctx)->exchanges, i);
    return msgid_key(ex->sa, ex->kind, ex->msgid);
}

ike_tracker *ike_tracker_new(void)
{
    ike_tracker *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    ike_vec_init(&t->sas, sizeof(ike_sa));
    ike_vec_init(&t->exchanges, sizeof(ike_exchange));
    ike_vec_init(&t->parts, sizeof(ike_exch_part));
    ike_vec_init(&t->records, sizeof(trk_crec));
    ike_set_init(&t->kinds, sizeof(trk_kind));
    ike_set_init(&t->addrs, sizeof(trk_addr));
    ike_vec_init(&t->exts, sizeof(ike_sa_ext));
    ike_vec_init(&t->ext_free, sizeof(uint32_t));
    ike_set_init(&t->chosen, sizeof(ike_p1_transform));
    ike_set_init(&t->vendors, 2 * sizeof(uint32_t));
    ike_map_init(&t->kind_of);
    ike_map_init(&t->far_fields);
    ike_vec_init(&t->rare, sizeof(trk_rare));
    ike_map_init(&t->rare_of);
    ike_map_init(&t->escaped);
    ike_vec_init(&t->far_times, sizeof(double));
    ike_map_init(&t->far_of);
    ike_map_init(&t->sa_far);
    ike_map_init(&t->far_next);
    ike_imap_init(&t->by_icookie, sa_cookie_key, t);
    ike_imap_init(&t->by_msgid, exch_msgid_key, t);
    ike_imap_init(&t->by_peers, sa_peers_key, t);
    ike_map_init(&t->by_rekey);
    return t;
}

void ike_tracker_free(ike_tracker *t)
{
    if (!t)
        return;
    for (uint32_t i = 1; i < t->sas.count; i++) {
        ike_sa *sa = ike_vec_at(&t->sas, i);
        ike_sa_ext *x = ike_vec_at(&t->exts, sa->x);
        if (x) {
            free(x->offered);
            free(x->am1_copy);
        }
    }
    ike_vec_free(&t->sas);
    ike_vec_free(&t->exchanges);
    ike_vec_free(&t->parts);
    ike_vec_free(&t->records);
    ike_set_free(&t->kinds);
    ike_set_free(&t->addrs);
    ike_vec_free(&t->exts);
    ike_vec_free(&t->ext_free);
    ike_set_free(&t->chosen);
    ike_set_free(&t->vendors);
    ike_map_free(&t->kind_of);
    free(t->blocks);
    free(t->ip_ring);
    ike_map_free(&t->far_fields);
    ike_vec_free(&t->rare);
    ike_map_free(&t->rare_of);
    ike_map_free(&t->escaped);
    ike_vec_free(&t->far_times);
    ike_map_free(&t->far_of);
    ike_map_free(&t->sa_far);
    ike_map_free(&t->far_next);
    ike_imap_free(&t->by_icookie);
    ike_imap_free(&t->by_msgid);
    ike_imap_free(&t->by_peers);
    ike_map_free(&t->by_rekey);
    free(t);
}

void ike_tracker_mem_of(const ike_tracker *t, ike_tracker_mem *m)
{
    m->record_size = sizeof(trk_crec);
    m->sas = ike_vec_bytes(&t->sas) + ike_vec_bytes(&t->exts) + ike_vec_bytes(&t->ext_free) + ike_set_bytes(&t->addrs) +
             ike_set_bytes(&t->chosen) + ike_set_bytes(&t->vendors) + ike_map_bytes(&t->sa_far);
    m->exchanges = ike_vec_bytes(&t->exchanges) + ike_vec_bytes(&t->parts) + ike_map_bytes(&t->far_next);
    m->records = ike_vec_bytes(&t->records) + (size_t)t->n_blocks * sizeof(trk_block) + ike_set_bytes(&t->kinds) +
                 ike_map_bytes(&t->kind_of) + ike_map_bytes(&t->far_fields);
    m->rare = ike_vec_bytes(&t->rare) + ike_map_bytes(&t->rare_of) + ike_map_bytes(&t->escaped) +
              ike_vec_bytes(&t->far_times) + ike_map_bytes(&t->far_of) + t->ip_ring_size * sizeof *t->ip_ring;
    m->maps = ike_imap_bytes(&t->by_icookie) + ike_imap_bytes(&t->by_msgid) + ike_imap_bytes(&t->by_peers) +
              ike_map_bytes(&t->by_rekey);
}

size_t ike_tracker_bytes(const ike_tracker *t)
{
    ike_tracker_mem m;
    ike_tracker_mem_of(t, &m);
    return sizeof *t + m.sas + m.exchanges + m.records + m.rare + m.maps;
}

/* ---- endpoints ---------------------------------------------------------- */


static uint64_t peers_key(uint32_t a, uint32_t b)
{
    /* Unordered pair of addresses (their t->addrs indices), ports left
     * out: two pairs never share a key (the map mixes its keys itself). */
    return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
}

/* An event's address as the tracker keeps it: the family and all 16 bytes
 * (IPv4 in the first 4, as ike_endpoint has them). */
static uint32_t intern_addr(ike_tracker *t, const ike_endpoint *e)
{
    trk_addr a;
    a.family = e->family;
    memcpy(a.addr, e->addr, sizeof a.addr);
    return ike_set_intern(&t->addrs, &a);
}

/* ike_endpoint_addr_eq() against a kept address (NULL: none matches). */
static bool addr_is(const trk_addr *a, const ike_endpoint *e)
{
    if (!a || a->family != e->family)
        return false;
    if (a->family == 6)
        return memcmp(a->addr, e->addr, 16) == 0;
    uint32_t x, y; /* a fixed-size copy: no call to memcmp per message */
    memcpy(&x, a->addr, 4);
    memcpy(&y, e->addr, 4);
    return x == y;
}

void ike_sa_endpoint(const ike_tracker *t, const ike_sa *sa, int role, ike_endpoint *out)
{
    memset(out, 0, sizeof *out);
    const trk_addr *a = ike_set_at(&t->addrs, sa->addr[role]);
    if (a) {
        out->family = a->family;
        memcpy(out->addr, a->addr, sizeof out->addr);
    }
    out->port = sa->port[role];
}

void ike_sa_endpoint_format(const ike_tracker *t, const ike_sa *sa, int role, char *buf, size_t len)
{
    ike_endpoint e;
    ike_sa_endpoint(t, sa, role, &e);
    ike_endpoint_format(&e, buf, len);
}

uint64_t trk_cookie_key(const uint8_t c[8])
{
    /* The cookie as a big-endian number: the maps read it back from the SA
     * on every probe, so one load instead of a byte loop. */
    uint64_t k;
    memcpy(&k, c, sizeof k);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    k = __builtin_bswap64(k);
#elif !defined(__BYTE_ORDER__)
    k = 0;
    for (int i = 0; i < 8; i++)
        k = k << 8 | c[i];
#endif
    return k;
}

bool trk_is_zero8(const uint8_t c[8])
{
    static const uint8_t z[8];
    return memcmp(c, z, 8) == 0;
}

/* Which side of the SA sent ev: ROLE_I, ROLE_R or -1 when the addresses fit
 * neither way round. */
int trk_side_of(const ike_tracker *t, const ike_sa *sa, const ike_event *ev)
{
    const trk_addr *I = ike_set_at(&t->addrs, sa->addr[ROLE_I]), *R = ike_set_at(&t->addrs, sa->addr[ROLE_R]);
    bool si = addr_is(I, &ev->src), sr = addr_is(R, &ev->src);
    bool di = addr_is(I, &ev->dst), dr = addr_is(R, &ev->dst);
    if (si && dr && !(sr && di))
        return ROLE_I;
    if (sr && di && !(si && dr))
        return ROLE_R;
    if (si && dr && sr && di) {
        /* Both peers on one address (a lab on loopback): ports decide. */
        if (ev->src.port == sa->cur_port[ROLE_I] && ev->src.port != sa->cur_port[ROLE_R])
            return ROLE_I;
        if (ev->src.port == sa->cur_port[ROLE_R] && ev->src.port != sa->cur_port[ROLE_I])
            return ROLE_R;
        if (ev->dst.port == sa->cur_port[ROLE_R])
            return ROLE_I;
        return ROLE_R;
    }
    return -1;
}

/* ---- records ------------------------------------------------------------ */

static const trk_crec *crec_at(const ike_tracker *t, uint32_t i) { return ike_vec_at(&t->records, i); }

/* What t->far_fields holds for record i: its frame or its SA when the
 * offsets do not fit, and the first copy of the slot whose latest copy it
 * is when that is too far back for ike_slot.first_back. */
enum { FAR_FRAME, FAR_SA, FAR_SLOT_FIRST };
static uint64_t far_key(uint32_t i, unsigned field) { return (uint64_t)i << 2 | field; }

/* What t->escaped holds for record i: the links, the exchange and the delta
 * whose packed forms do not hold them. */
enum { ESC_REF = 0, ESC_ANS = 1, ESC_EXCH = 2, ESC_DELTA = 3 };
static uint64_t esc_key(uint32_t i, unsigned field) { return (uint64_t)i << 2 | field; }

static double time_unit(double base);

/* Record i's frame and SA (c: its packed record). */
static uint32_t crec_frame(const ike_tracker *t, uint32_t i, const trk_crec *c)
{
    if (c->frame == TRK_ESC)
        return ike_map_get(&t->far_fields, far_key(i, FAR_FRAME));
    return t->blocks[i >> TRK_BLOCK_BITS].fbase + c->frame;
}

/* Record i's exchange and SA (0: none), from its owner. */
static void crec_owner(const ike_tracker *t, uint32_t i, const trk_crec *c, uint32_t *sa, uint32_t *exch)
{
    uint16_t o = c->owner;
    const trk_block *bk = &t->blocks[i >> TRK_BLOCK_BITS];
    *sa = *exch = 0;
    if (o == 0 || o == OWN_EXCH)
        return;
    if (o == OWN_SA_FAR || o == OWN_EXCH_FAR) {
        *sa = ike_map_get(&t->far_fields, far_key(i, FAR_SA));
        if (o == OWN_EXCH_FAR)
            *exch = ike_map_get(&t->escaped, esc_key(i, ESC_EXCH));
        return;
    }
    if (!(o & OWN_EXCH)) {
        *sa = (uint32_t)((int64_t)bk->sbase + o - OWN_MID);
        return;
    }
    *exch = (uint32_t)((int64_t)bk->ebase + (o & 0x7FFFu) - OWN_MID);
    const ike_exchange *ex = ike_vec_at(&t->exchanges, *exch);
    *sa = ex ? ex->sa : 0;
}

static uint32_t frame_at(const ike_tracker *t, uint32_t i)
{
    const trk_crec *c = crec_at(t, i);
    return c ? crec_frame(t, i, c) : 0;
}

/* The frame of a record index; 0 for none. */
static uint32_t rec_frame(const ike_tracker *t, uint32_t rec)
{
    return rec ? frame_at(t, rec) : 0;
}

/* Set record i's frame, the first thing known of it; the first record of
 * a block sets its bases (time: the record's). False when out of memory. */
static bool set_crec_frame(ike_tracker *t, uint32_t i, trk_crec *c, uint32_t frame, double time)
{
    uint32_t b = i >> TRK_BLOCK_BITS;
    if (b >= t->n_blocks) {
        /* Records come in order: block b is the next one. */
        uint32_t n = t->n_blocks ? t->n_blocks * 2 : 16;
        trk_block *nb = realloc(t->blocks, n * sizeof *nb);
        if (!nb)
            return false;
        t->blocks = nb;
        /* Blocks past b get their bases when their first record comes. */
        for (uint32_t k = t->n_blocks; k < n; k++)
            t->blocks[k].fbase = UINT32_MAX;
        t->n_blocks = n;
    }
    trk_block *bk = &t->blocks[b];
    if (bk->fbase == UINT32_MAX) {
        bk->fbase = frame;
        bk->sbase = ike_vec_len(&t->sas);
        bk->ebase = ike_vec_len(&t->exchanges);
        bk->tbase = time;
        bk->tunit = time_unit(time);
    }
    if (frame >= bk->fbase && frame - bk->fbase < TRK_ESC) {
        c->frame = (uint16_t)(frame - bk->fbase);
        return true;
    }
    c->frame = TRK_ESC;
    return ike_map_put(&t->far_fields, far_key(i, FAR_FRAME), frame);
}

/* Record i's owner: its exchange (whose SA must be sa) or its SA. */
static void set_crec_owner(ike_tracker *t, uint32_t i, trk_crec *c, uint32_t sa, uint32_t exch)
{
    const trk_block *bk = &t->blocks[i >> TRK_BLOCK_BITS];
    if (exch) {
        const ike_exchange *ex = ike_vec_at(&t->exchanges, exch);
        int64_t d = (int64_t)exch - bk->ebase;
        if (ex && ex->sa == sa && d >= 1 - OWN_MID && d <= OWN_MID - 2) {
            c->owner = (uint16_t)(OWN_EXCH | (uint32_t)(d + OWN_MID));
            return;
        }
        c->owner = OWN_EXCH_FAR;
        ike_map_put(&t->escaped, esc_key(i, ESC_EXCH), exch);
        ike_map_put(&t->far_fields, far_key(i, FAR_SA), sa);
        return;
    }
    if (!sa) {
        c->owner = 0;
        return;
    }
    int64_t d = (int64_t)sa - bk->sbase;
    if (d >= 1 - OWN_MID && d <= OWN_MID - 2) {
        c->owner = (uint16_t)(d + OWN_MID);
        return;
    }
    c->owner = OWN_SA_FAR;
    ike_map_put(&t->far_fields, far_key(i, FAR_SA), sa);
}

/* The last bit of a time's significand: the unit of the offsets from it
 * (built from the exponent bits, so that the core needs no libm). */
static double time_unit(double base)
{
    uint64_t b, u;
    memcpy(&b, &base, sizeof b);
    unsigned be = (unsigned)(b >> 52 & 0x7ffu);
    if (be > 52)
        u = (uint64_t)(be - 52) << 52; /* 2^(exponent - 52) */
    else
        u = be ? (uint64_t)1 << (be - 1) : 1; /* subnormal units */
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* The signed 24-bit time offset of a packed record. */
static int32_t crec_toff(const trk_crec *c) { return (int32_t)((c->tk >> 8) ^ 0x800000u) - 0x800000; }

static double rec_time(const ike_tracker *t, uint32_t i)
{
    const trk_crec *c = crec_at(t, i);
    if (!c)
        return 0;
    int32_t off = crec_toff(c);
    if (off == TRK_FAR_TIME) {
        const double *far = ike_vec_at(&t->far_times, ike_map_get(&t->far_of, i));
        return far ? *far : 0;
    }
    const trk_block *bk = &t->blocks[i >> TRK_BLOCK_BITS];
    return bk->tbase + (double)off * bk->tunit;
}

/* Store record i's time: as an offset when that gives it back bit for bit
 * (its block is open: set_crec_frame). */
static void set_rec_time(ike_tracker *t, uint32_t i, trk_crec *c, double time)
{
    const trk_block *bk = &t->blocks[i >> TRK_BLOCK_BITS];
    double k = (time - bk->tbase) / bk->tunit;
    if (k > TRK_FAR_TIME && k < -TRK_FAR_TIME && k == (double)(int32_t)k) {
        int32_t off = (int32_t)k;
        double back = bk->tbase + (double)off * bk->tunit;
        if (memcmp(&back, &time, sizeof back) == 0) {
            c->tk = (c->tk & 0xFFu) | ((uint32_t)off & 0xFFFFFFu) << 8;
            return;
        }
    }
    c->tk = (c->tk & 0xFFu) | ((uint32_t)TRK_FAR_TIME & 0xFFFFFFu) << 8;
    uint32_t f = ike_vec_push(&t->far_times);
    if (f && ike_map_put(&t->far_of, i, f))
        *(double *)ike_vec_at(&t->far_times, f) = time;
}


static uint32_t float_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}


/* The header exchange type each message implies: records whose header says
 * so need no rare entry for it. */
static const uint8_t exch_of_msg[MSG__COUNT] = {
    [MSG_MM1] = IKE_EXCH_MAIN, [MSG_MM2] = IKE_EXCH_MAIN, [MSG_MM3] = IKE_EXCH_MAIN,
    [MSG_MM4] = IKE_EXCH_MAIN, [MSG_MM5] = IKE_EXCH_MAIN, [MSG_MM6] = IKE_EXCH_MAIN,
    [MSG_AM1] = IKE_EXCH_AGGRESSIVE, [MSG_AM2] = IKE_EXCH_AGGRESSIVE, [MSG_AM3] = IKE_EXCH_AGGRESSIVE,
    [MSG_QM1] = IKE_EXCH_QUICK, [MSG_QM2] = IKE_EXCH_QUICK, [MSG_QM3] = IKE_EXCH_QUICK,
    [MSG_QM_EXTRA] = IKE_EXCH_QUICK, [MSG_INFO] = IKE_EXCH_INFO, [MSG_TXN] = IKE_EXCH_TRANSACTION,
    [MSG_V2_INIT_REQ] = IKE2_EXCH_SA_INIT, [MSG_V2_INIT_RESP] = IKE2_EXCH_SA_INIT,
    [MSG_V2_AUTH_REQ] = IKE2_EXCH_AUTH, [MSG_V2_AUTH_RESP] = IKE2_EXCH_AUTH,
    [MSG_V2_CHILD_REQ] = IKE2_EXCH_CREATE_CHILD, [MSG_V2_CHILD_RESP] = IKE2_EXCH_CREATE_CHILD,
    [MSG_V2_INFO_REQ] = IKE2_EXCH_INFO, [MSG_V2_INFO_RESP] = IKE2_EXCH_INFO,
};

static uint8_t implied_exch(uint8_t msg) { return msg < MSG__COUNT ? exch_of_msg[msg] : 0; }

/* Offset from record i back to a record of frame 'frame' (hint: one that
 * may be it), 0 when none fits in 16 bits. */
static uint32_t back_offset(const ike_tracker *t, uint32_t i, uint32_t frame, uint32_t hint)
{
    if (hint && hint < i && i - hint < TRK_ESC && frame_at(t, hint) == frame)
        return i - hint;
    unsigned n;
    uint32_t j = ike_tracker_find_frame(t, frame, &n);
    return j && j < i && i - j < TRK_ESC ? i - j : 0;
}

/* ---- kinds: what a message is, kept once (t->kinds) -------------------- */

/* A packed record's kind (all zero when it has none: out of memory). */
static const trk_kind *kind_at(const ike_tracker *t, uint32_t index, const trk_crec *c)
{
    static const trk_kind none;
    uint32_t k = c->tk & 0xFFu;
    if (k == TRK_KIND_ESC)
        k = ike_map_get(&t->kind_of, index);
    const trk_kind *p = k ? ike_set_at(&t->kinds, k) : NULL;
    return p ? p : &none;
}

/* Pack t->cur into its stored record. */
static void store_cur(ike_tracker *t)
{
    const ike_record *r = &t->cur;
    uint32_t i = t->cur_idx;
    trk_crec *c = ike_vec_at(&t->records, i);
    /* The frame and the time were set when the message came in. */
    set_crec_owner(t, i, c, r->sa, r->exch);
    trk_kind kd;
    memset(&kd, 0, sizeof kd);
    kd.flags = (r->flags & REC_PUBLIC_MASK) | (uint32_t)(r->from & 3u) << REC_FROM_SHIFT;
    kd.msg = r->msg;
    kd.state[0] = r->state[0];
    kd.state[1] = r->state[1];
    kd.qstate[0] = r->qstate[0];
    kd.qstate[1] = r->qstate[1];
    c->ans = 0; /* answers come later (trk_set_answered), or it answered itself: */
    if (r->answered_by) {
        c->ans = TRK_ESC;
        ike_map_put(&t->escaped, esc_key(i, ESC_ANS), r->answered_by);
    }
    if (r->ref_frame) {
        uint32_t off = back_offset(t, i, r->ref_frame, t->cur_ref_rec);
        c->ref = (uint16_t)(off ? off : TRK_ESC);
        if (!off)
            ike_map_put(&t->escaped, esc_key(i, ESC_REF), r->ref_frame);
    }
    /* Records of one frame share its time, so any record of ref_frame gives
     * the delta back when it was taken from it (checked, bit for bit). */
    if (c->ref && c->ref != TRK_ESC && float_bits((float)(rec_time(t, i) - rec_time(t, i - c->ref))) == float_bits(r->delta))
        kd.flags |= REC_DELTA_CALC;
    else if (float_bits(r->delta) != 0)
        ike_map_put(&t->escaped, esc_key(i, ESC_DELTA), float_bits(r->delta));
    kd.retrans = (uint8_t)(r->retrans_count < 255 ? r->retrans_count : 255);
    if (r->notify || r->n_notify || r->cfg_type || r->delete_proto || r->malformed || r->xauth_status != -1 ||
        r->exch_type != implied_exch(r->msg) || r->retrans_count >= 255) {
        uint32_t k = ike_vec_push(&t->rare);
        if (k && ike_map_put(&t->rare_of, i, k)) {
            trk_rare *e = ike_vec_at(&t->rare, k);
#define COPY_RARE(type, field) e->field = r->field;
            TRK_RARE_FIELDS(COPY_RARE)
#undef COPY_RARE
            kd.flags |= REC_HAS_RARE;
        }
    }
    uint32_t ki = ike_set_intern(&t->kinds, &kd);
    c->tk &= ~0xFFu;
    if (ki && ki < TRK_KIND_ESC)
        c->tk |= ki;
    else if (ki && ike_map_put(&t->kind_of, i, ki))
        c->tk |= TRK_KIND_ESC;
}

void trk_set_answered(ike_tracker *t, uint32_t q)
{
    if (q == t->cur_idx) {
        if (!t->cur.answered_by)
            t->cur.answered_by = t->cur.frame;
        return;
    }
    trk_crec *c = ike_vec_at(&t->records, q);
    if (!c || c->ans)
        return;
    uint32_t off = t->cur_idx - q;
    if (q < t->cur_idx && off < TRK_ESC) {
        c->ans = (uint16_t)off;
    } else {
        c->ans = TRK_ESC;
        ike_map_put(&t->escaped, esc_key(q, ESC_ANS), t->cur.frame);
    }
}

bool ike_tracker_record(const ike_tracker *t, uint32_t index, ike_record *out)
{
    memset(out, 0, sizeof *out);
    const trk_crec *c = crec_at(t, index);
    if (!c)
        return false;
    const trk_kind *k = kind_at(t, index, c);
    out->frame = crec_frame(t, index, c);
    crec_owner(t, index, c, &out->sa, &out->exch);
    out->flags = k->flags & REC_PUBLIC_MASK;
    out->from = (uint8_t)(k->flags >> REC_FROM_SHIFT & 3u);
    if (k->flags & REC_DELTA_CALC) {
        out->delta = (float)(rec_time(t, index) - rec_time(t, index - c->ref));
    } else {
        uint32_t bits = ike_map_get(&t->escaped, esc_key(index, ESC_DELTA));
        memcpy(&out->delta, &bits, sizeof out->delta);
    }
    out->msg = k->msg;
    out->state[0] = k->state[0];
    out->state[1] = k->state[1];
    out->qstate[0] = k->qstate[0];
    out->qstate[1] = k->qstate[1];
    if (c->ref)
        out->ref_frame = c->ref == TRK_ESC ? ike_map_get(&t->escaped, esc_key(index, ESC_REF))
                                           : frame_at(t, index - c->ref);
    if (c->ans)
        out->answered_by = c->ans == TRK_ESC ? ike_map_get(&t->escaped, esc_key(index, ESC_ANS))
                                             : frame_at(t, index + c->ans);
    out->retrans_count = k->retrans;
    out->xauth_status = -1;
    out->exch_type = implied_exch(k->msg);
    const trk_rare *e = (k->flags & REC_HAS_RARE) ? ike_vec_at(&t->rare, ike_map_get(&t->rare_of, index)) : NULL;
    if (e) {
#define COPY_RARE(type, field) out->field = e->field;
        TRK_RARE_FIELDS(COPY_RARE)
#undef COPY_RARE
    }
    return true;
}

bool ike_tracker_record_brief(const ike_tracker *t, uint32_t index, ike_record_brief *out)
{
    const trk_crec *c = crec_at(t, index);
    if (!c) {
        memset(out, 0, sizeof *out);
        return false;
    }
    const trk_kind *k = kind_at(t, index, c);
    out->frame = crec_frame(t, index, c);
    crec_owner(t, index, c, &out->sa, &out->exch);
    out->flags = k->flags & REC_PUBLIC_MASK;
    out->from = (uint8_t)(k->flags >> REC_FROM_SHIFT & 3u);
    out->msg = k->msg;
    return true;
}

uint32_t ike_tracker_record_count(const ike_tracker *t) { return ike_vec_len(&t->records); }

uint32_t ike_tracker_last_added(const ike_tracker *t, unsigned *n)
{
    uint32_t last = ike_vec_len(&t->records);
    *n = t->last_first && t->last_first <= last ? last - t->last_first + 1 : 0;
    return *n ? t->last_first : 0;
}

uint32_t ike_tracker_find_frame(const ike_tracker *t, uint32_t frame, unsigned *n)
{
    *n = 0;
    uint32_t lo = 1, hi = t->records.count ? t->records.count - 1 : 0;
    if (hi == 0)
        return 0;
    /* On a first pass the frame asked for is the one just fed. */
    uint32_t last = frame_at(t, hi);
    if (last < frame)
        return 0;
    if (last == frame && (hi == 1 || frame_at(t, hi - 1) != frame)) {
        *n = 1;
        return hi;
    }
    /* A later pass: the frame after the last one found, or one without
     * records between the two. */
    uint32_t g = t->find_next;
    if (g > 1 && g <= hi && frame_at(t, g - 1) < frame) {
        uint32_t gf = frame_at(t, g);
        if (gf > frame)
            return 0;
        if (gf == frame) {
            lo = g;
            goto count;
        }
    }
    /* Records are in frame order: binary search for the first with frame. */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (frame_at(t, mid) < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!crec_at(t, lo) || frame_at(t, lo) != frame)
        return 0;
count:;
    unsigned c = 0;
    for (uint32_t i = lo; i < t->records.count; i++) {
        if (frame_at(t, i) != frame)
            break;
        c++;
    }
    *n = c;
    ((ike_tracker *)t)->find_next = lo + c;
    return lo;
}

const ike_sa *ike_tracker_sa(const ike_tracker *t, uint32_t index) { return ike_vec_at(&t->sas, index); }
uint32_t ike_tracker_sa_count(const ike_tracker *t) { return ike_vec_len(&t->sas); }
const ike_exchange *ike_tracker_exchange(const ike_tracker *t, uint32_t index)
{
    return ike_vec_at(&t->exchanges, index);
}

/* ---- SAs ---------------------------------------------------------------- */

/* t->sa_far's key for an SA's field (SA_AT_*, SA_FAR_*). */
static uint64_t sa_far_key(const ike_sa *sa, unsigned field) { return (uint64_t)sa->index << 3 | field; }

/* A set index as the SA keeps it in 16 bits (SA_FAR16: in t->sa_far), and
 * back. */
static uint16_t sa_keep16(ike_tracker *t, const ike_sa *sa, unsigned field, uint32_t v)
{
    if (v < SA_FAR16)
        return (uint16_t)v;
    ike_map_put(&t->sa_far, sa_far_key(sa, field), v);
    return SA_FAR16;
}

static uint32_t sa_read16(const ike_tracker *t, const ike_sa *sa, unsigned field, uint16_t v)
{
    return v == SA_FAR16 ? ike_map_get(&t->sa_far, sa_far_key(sa, field)) : v;
}

const ike_sa_ext ike_sa_ext_none;

const ike_sa_ext *ike_sa_x(const ike_tracker *t, const ike_sa *sa)
{
    const ike_sa_ext *x = ike_vec_at(&t->exts, sa->x);
    return x ? x : &ike_sa_ext_none;
}

ike_sa_ext *trk_sa_ext_if(ike_tracker *t, const ike_sa *sa) { return ike_vec_at(&t->exts, sa->x); }

/* Extensions live in t->exts; the indices of trimmed ones wait in
 * t->ext_free for the next SA that needs one. */
ike_sa_ext *trk_sa_ext(ike_tracker *t, ike_sa *sa)
{
    if (!sa->x) {
        uint32_t n = ike_vec_len(&t->ext_free);
        uint32_t i = n ? *(uint32_t *)ike_vec_at(&t->ext_free, n) : ike_vec_push(&t->exts);
        if (!i)
            return NULL;
        if (n)
            ike_vec_pop(&t->ext_free);
        sa->x = i;
        t->n_ext++;
    }
    return ike_vec_at(&t->exts, sa->x);
}

void trk_sa_ext_trim(ike_tracker *t, ike_sa *sa)
{
    ike_sa_ext *x = ike_vec_at(&t->exts, sa->x);
    if (x && memcmp(x, &ike_sa_ext_none, sizeof *x) == 0) {
        uint32_t k = ike_vec_push(&t->ext_free);
        if (!k)
            return; /* out of memory: the SA keeps its empty extension */
        *(uint32_t *)ike_vec_at(&t->ext_free, k) = sa->x;
        sa->x = 0;
        t->n_ext--;
    }
}

ike_sa *trk_sa_at(ike_tracker *t, uint32_t i) { return ike_vec_at(&t->sas, i); }

/* An unencrypted informational from the responder of an SA that got no
 * further than MM1/AM1 and was already refused. */
static bool refuses_again(const ike_tracker *t, const ike_sa *sa, const ike_event *ev)
{
    return (sa->flags & SA_REJECTED) && sa->p1_last <= 1 && ev->hdr.exch == IKE_EXCH_INFO &&
           !(ev->hdr.flags & IKE_FLAG_ENCRYPTED) && trk_side_of(t, sa, ev) == ROLE_R;
}

/* The SA ev belongs to, NULL for none; *side: which side of it sent ev
 * (trk_side_of). */
static ike_sa *find_sa(ike_tracker *t, const ike_event *ev, ike_sa **rcookie_conflict, int *side)
{
    *rcookie_conflict = NULL;
    bool rz = trk_is_zero8(ev->hdr.rcookie);
    uint32_t idx = ike_imap_get(&t->by_icookie, trk_cookie_key(ev->hdr.icookie));
    for (int n = 0; idx && n < MAX_CHAIN; n++) {
        ike_sa *sa = trk_sa_at(t, idx);
        idx = trk_next_same_icookie(t, sa);
        if (sa->flags & SA_IKEV2)
            continue; /* IKEv1 and IKEv2 SAs never share a message */
        *side = trk_side_of(t, sa, ev);
        bool fits = *side >= 0;
        if (rz) {
            if (fits)
                return sa;
            continue;
        }
        if (sa->flags & SA_RCOOKIE_KNOWN) {
            /* Sixteen cookie bytes are enough: the same SA seen from
             * another vantage point (both sides of a NAT) is still it. */
            if (memcmp(sa->rcookie, ev->hdr.rcookie, 8) == 0)
                return sa;
            /* A responder that keeps no state for a refused MM1/AM1
             * (strongSwan) refuses each retransmitted copy under a new
             * R-cookie: still this SA's one attempt. */
            if (fits && refuses_again(t, sa, ev))
                return sa;
            if (fits && !*rcookie_conflict)
                *rcookie_conflict = sa;
            continue;
        }
        if (fits)
            return sa;
    }
    return NULL;
}

ike_sa *trk_new_sa(ike_tracker *t, const ike_event *ev, ike_role sender)
{
    uint32_t idx = ike_vec_push(&t->sas);
    if (!idx)
        return NULL;
    ike_sa *sa = trk_sa_at(t, idx);
    sa->index = idx;
    memcpy(sa->icookie, ev->hdr.icookie, 8);
    if (!trk_is_zero8(ev->hdr.rcookie)) {
        memcpy(sa->rcookie, ev->hdr.rcookie, 8);
        sa->flags |= SA_RCOOKIE_KNOWN;
    }
    sa->addr[sender] = intern_addr(t, &ev->src);
    sa->addr[!sender] = intern_addr(t, &ev->dst);
    sa->port[sender] = ev->src.port;
    sa->port[!sender] = ev->dst.port;
    sa->cur_port[sender] = ev->src.port;
    sa->cur_port[!sender] = ev->dst.port;
    sa->first_rec = t->cur_idx;

    uint64_t ck = trk_cookie_key(ev->hdr.icookie);
    uint32_t older = ike_imap_get(&t->by_icookie, ck);
    if (older && ike_map_put(&t->sa_far, sa_far_key(sa, SA_FAR_SAME_ICOOKIE), older))
        sa->flags |= SA_SAME_ICOOKIE;
    ike_imap_put(&t->by_icookie, ck, idx);

    uint64_t pk = peers_key(sa->addr[ROLE_I], sa->addr[ROLE_R]);
    sa->prev_attempt = ike_imap_get(&t->by_peers, pk);
    ike_sa *prev = trk_sa_at(t, sa->prev_attempt);
    sa->attempt = (uint16_t)(prev ? (prev->attempt < UINT16_MAX ? prev->attempt + 1 : UINT16_MAX) : 1);
    ike_imap_put(&t->by_peers, pk, idx);
    return sa;
}

/* ---- exchanges (per message ID) ------------------------------------------ */

/* One exchange per SA, kind and message ID: the key names it alone (SA
 * numbers below 2^29, kinds below 8), so no chain of exchanges sharing an
 * SA and message ID is kept. */
static uint64_t msgid_key(uint32_t sa, uint8_t kind, uint32_t msgid)
{
    return (uint64_t)sa << 35 | (uint64_t)(kind & 7u) << 32 | msgid;
}

ike_exchange *trk_find_exchange(ike_tracker *t, ike_sa *sa, uint32_t msgid, uint8_t kind,
                                   ike_role starter, bool *created)
{
    *created = false;
    uint64_t key = msgid_key(sa->index, kind, msgid);
    uint32_t found = ike_imap_get(&t->by_msgid, key);
    if (found) {
        t->last_exch = found;
        return ike_vec_at(&t->exchanges, found);
    }
    uint32_t idx = ike_vec_push(&t->exchanges);
    if (!idx)
        return NULL;
    ike_exchange *ex = ike_vec_at(&t->exchanges, idx);
    ex->sa = sa->index;
    ex->msgid = msgid;
    ex->kind = kind & 7u;
    ex->initiator = (unsigned)starter & 1u;
    if (ike_exch_kind_has_part(kind) && !(ex->part = ike_vec_push(&t->parts))) {
        ike_vec_pop(&t->exchanges); /* out of memory: no exchange either */
        return NULL;
    }
    ike_imap_put(&t->by_msgid, key, idx);
    if (sa->exch_tail) {
        ike_exchange *tail = ike_vec_at(&t->exchanges, sa->exch_tail);
        if (idx - sa->exch_tail < EXCH_FAR_NEXT) {
            tail->next_off = (idx - sa->exch_tail) & EXCH_FAR_NEXT;
        } else {
            tail->next_off = EXCH_FAR_NEXT;
            ike_map_put(&t->far_next, sa->exch_tail, idx);
        }
    } else {
        sa->exch_head = idx;
    }
    sa->exch_tail = idx;
    t->last_exch = idx;
    *created = true;
    return ex;
}

static const ike_exch_part no_part;

const ike_exch_part *ike_exchange_part(const ike_tracker *t, const ike_exchange *ex)
{
    const ike_exch_part *p = ex ? ike_vec_at(&t->parts, ex->part) : NULL;
    return p ? p : &no_part;
}

ike_exch_part *trk_part(ike_tracker *t, const ike_exchange *ex) { return ex ? ike_vec_at(&t->parts, ex->part) : NULL; }

uint32_t trk_exchange_index(ike_tracker *t, const ike_exchange *ex)
{
    /* Usually the one trk_find_exchange() just returned. Exchanges never
     * move; the map names each one. */
    if (t->last_exch && ike_vec_at(&t->exchanges, t->last_exch) == ex)
        return t->last_exch;
    uint32_t i = ike_imap_get(&t->by_msgid, msgid_key(ex->sa, ex->kind, ex->msgid));
    return ike_vec_at(&t->exchanges, i) == ex ? i : 0;
}

/* ---- retransmissions and links ------------------------------------------ */

/* A slot keeps 32 bits of the 64-bit message digest: it is compared only
 * with the next messages of one sender in one exchange, where two different
 * messages agree on 32 bits once in 4 billion. */
static uint32_t slot_digest(uint64_t d) { return (uint32_t)(d ^ d >> 32); }

/* A slot's first_back: bit 15 says its message came in fragments, the
 * rest how many records before its latest copy its first copy is
 * (SLOT_FAR_BACK: kept aside under the latest one's index). */
#define SLOT_FRAGMENTED 0x8000u
#define SLOT_FAR_BACK 0x7FFFu

/* The record of a slot's first copy. */
static uint32_t slot_first_rec(const ike_tracker *t, const ike_slot *s)
{
    uint32_t back = s->first_back & SLOT_FAR_BACK;
    if (back == SLOT_FAR_BACK)
        return ike_map_get(&t->far_fields, far_key(s->rec, FAR_SLOT_FIRST));
    return s->rec - back;
}

/* The slot's latest copy becomes record rec; its first is 'first'. */
static void set_slot_rec(ike_tracker *t, ike_slot *s, uint32_t rec, uint32_t first)
{
    s->rec = rec;
    s->first_back &= SLOT_FRAGMENTED;
    if (rec - first < SLOT_FAR_BACK) {
        s->first_back |= (uint16_t)(rec - first);
        return;
    }
    s->first_back |= SLOT_FAR_BACK;
    ike_map_put(&t->far_fields, far_key(rec, FAR_SLOT_FIRST), first);
}

/* The IPv4 ID of record rec when it is among the last TRK_IP_RING records
 * (a capture duplicate comes within a second of its original); -1 when
 * it is older or unknown. */
static int32_t ring_ip_id(const ike_tracker *t, uint32_t rec)
{
    if (!t->ip_ring || rec > t->cur_idx || t->cur_idx - rec >= t->ip_ring_size)
        return -1;
    return t->ip_ring[rec & (t->ip_ring_size - 1)];
}

/* Keep the IPv4 ID of the record being fed (cur_idx), growing the ring with
 * the records up to TRK_IP_RING: while it grows, no record has wrapped
 * yet, so each keeps its place. */
static void ring_put_ip_id(ike_tracker *t, uint16_t ip_id)
{
    uint32_t i = t->cur_idx;
    if (i >= t->ip_ring_size && t->ip_ring_size < TRK_IP_RING) {
        uint32_t n = t->ip_ring_size ? t->ip_ring_size * 2 : 256;
        while (n <= i && n < TRK_IP_RING)
            n *= 2;
        uint16_t *r = realloc(t->ip_ring, n * sizeof *r);
        if (!r)
            return;
        memset(r + t->ip_ring_size, 0, (n - t->ip_ring_size) * sizeof *r);
        t->ip_ring = r;
        t->ip_ring_size = n;
    }
    if (t->ip_ring)
        t->ip_ring[i & (t->ip_ring_size - 1)] = ip_id;
}

/* Same bytes as the sender's last message in this exchange? Marks rec and
 * returns true when so. */
bool trk_check_repeat(ike_tracker *t, ike_sa *sa, ike_slot *slot, const ike_event *ev, ike_record *rec,
                      uint32_t rec_idx)
{
    if (!slot->rec || slot->digest != slot_digest(ev->digest))
        return false;
    rec->msg = ike_slot_msg(t, slot);
    uint32_t first = slot_first_rec(t, slot);
    trk_set_ref(t, rec, rec_frame(t, first), first);
    rec->delta = (float)(ev->time - rec_time(t, first));
    double since = ev->time - ike_slot_time(t, slot);
    if (ev->ip_id != 0 && ev->ip_id == ring_ip_id(t, slot->rec) && since < 1.0 && since > -1.0) {
        /* A daemon's resend is a new IP datagram with a new ID; the same
         * ID means the capture recorded one datagram twice. */
        rec->flags |= REC_CAPTURE_DUP;
        return true;
    }
    rec->flags |= REC_RETRANS;
    if (slot->count < UINT16_MAX) /* a count that would wrap stays at its top */
        slot->count++;
    rec->retrans_count = slot->count;
    set_slot_rec(t, slot, rec_idx, first);
    sa->n_retrans++;
    return true;
}

void trk_fill_slot(ike_slot *slot, const ike_event *ev, uint32_t rec_idx)
{
    slot->rec = rec_idx;
    slot->first_back = ev->readable && ev->pl.frag_num != 0 ? SLOT_FRAGMENTED : 0;
    slot->digest = slot_digest(ev->digest);
    slot->count = 0;
}

uint8_t ike_slot_msg(const ike_tracker *t, const ike_slot *s)
{
    if (!s->rec)
        return MSG_NONE;
    if (s->rec == t->cur_idx)
        return t->cur.msg;
    const trk_crec *c = crec_at(t, s->rec);
    return c ? kind_at(t, s->rec, c)->msg : MSG_NONE;
}

/* rec answers the latest copy in 'asked' when that copy is message 'want'. */
void trk_link_answer(ike_tracker *t, const ike_slot *asked, ike_msg want, ike_record *rec,
                        const ike_event *ev)
{
    if (!asked->rec || (want != MSG_NONE && ike_slot_msg(t, asked) != want))
        return;
    trk_set_ref(t, rec, ike_slot_frame(t, asked), asked->rec);
    rec->delta = (float)(ev->time - ike_slot_time(t, asked));
    trk_set_answered(t, asked->rec);
}

/* ---- phase 1 ------------------------------------------------------------- */

static ike_msg classify_p1(uint8_t exch, ike_role from, const ike_event *ev)
{
    bool main_mode = exch == IKE_EXCH_MAIN;
    uint32_t m = ev->readable ? ev->pl.mask : 0;
    if (ev->readable && !(ev->hdr.flags & IKE_FLAG_ENCRYPTED) && ev->pl.frag_num == 0) {
        if (m & IKE_PMASK(IKE_PL_SA))
            return main_mode ? (from == ROLE_I ? MSG_MM1 : MSG_MM2)
                             : (from == ROLE_I ? MSG_AM1 : MSG_AM2);
        if (main_mode && (m & IKE_PMASK(IKE_PL_KE)))
            return from == ROLE_I ? MSG_MM3 : MSG_MM4;
        if (m & (IKE_PMASK(IKE_PL_ID) | IKE_PMASK(IKE_PL_HASH) | IKE_PMASK(IKE_PL_SIG)))
            return main_mode ? (from == ROLE_I ? MSG_MM5 : MSG_MM6)
                             : (from == ROLE_I ? MSG_AM3 : MSG_NONE);
        return MSG_NONE; /* nothing telling: decided by position */
    }
    /* Encrypted, or a fragment of a (usually encrypted) message. */
    if (main_mode)
        return from == ROLE_I ? MSG_MM5 : MSG_MM6;
    return from == ROLE_I ? MSG_AM3 : MSG_NONE;
}

/* The message a sender sends next in sequence. */
static ike_msg next_in_sequence(const ike_sa *sa, ike_role from)
{
    int last = sa->p1_last;
    if (sa->mode == IKE_EXCH_AGGRESSIVE) {
        if (from == ROLE_I)
            return last < 1 ? MSG_AM1 : (last < 3 ? MSG_AM3 : MSG_NONE);
        return last < 2 ? MSG_AM2 : MSG_NONE;
    }
    if (from == ROLE_I)
        return last < 1 ? MSG_MM1 : last < 3 ? MSG_MM3 : last < 5 ? MSG_MM5 : MSG_NONE;
    return last < 2 ? MSG_MM2 : last < 4 ? MSG_MM4 : last < 6 ? MSG_MM6 : MSG_NONE;
}

static void apply_transition(ike_sa *sa, const ike_transition *tr)
{
    if (tr->sender_after != KEEP)
        sa->state[tr->sender] = tr->sender_after;
    if (tr->receiver_after != KEEP)
        sa->state[!tr->sender] = tr->receiver_after;
    sa->p1_last = (uint8_t)ike_msg_ordinal(tr->msg);
}

/* Apply the messages between the last one seen and 'upto' (exclusive):
 * they must have happened for 'upto' to exist. */
static bool infer_p1_until(ike_sa *sa, ike_msg upto)
{
    ike_msg base = sa->mode == IKE_EXCH_AGGRESSIVE ? MSG_AM1 : MSG_MM1;
    bool any = false;
    for (int ord = sa->p1_last + 1; ord < ike_msg_ordinal(upto); ord++) {
        const ike_transition *tr = ike_transition_for((ike_msg)((int)base + ord - 1));
        if (tr) {
            apply_transition(sa, tr);
            any = true;
        }
    }
    return any;
}

static void finish_p1(ike_tracker *t, ike_sa *sa, ike_record *rec, const ike_event *ev)
{
    if (!(sa->flags & SA_P1_COMPLETE)) {
        sa->flags |= SA_P1_COMPLETE;
        trk_sa_set_frame(t, sa, SA_AT_P1_DONE, ev->frame);
        rec->flags |= REC_P1_COMPLETE;
    }
}

/* What MM1/AM1 offered (kept for a NO-PROPOSAL-CHOSEN) and what MM2/AM2
 * chose (for the tables, and the hash NAT-D uses). */
static void read_proposals(ike_tracker *t, ike_sa *sa, ike_msg msg, const ike_event *ev)
{
    if (!ev->readable || !ev->pl_buf || ev->pl.sa_len == 0 ||
        (size_t)ev->pl.sa_off + ev->pl.sa_len > ev->pl_len)
        return;
    if ((msg == MSG_MM1 || msg == MSG_AM1) && ike_sa_x(t, sa)->offered)
        return; /* a retransmission, or a new offer after a refusal: the first one is shown */
    ike_p1_offer offer;
    ike_proposal_parse(ev->pl_buf + ev->pl.sa_off, ev->pl.sa_len, &offer);
    if (offer.n == 0)
        return;
    if (msg == MSG_MM1 || msg == MSG_AM1) {
        ike_sa_ext *x = trk_sa_ext(t, sa);
        ike_p1_offered *o = x ? malloc(sizeof *o + offer.n * sizeof o->t[0]) : NULL;
        if (!o)
            return;
        o->n = offer.n;
        o->total = offer.total;
        memcpy(o->t, offer.t, offer.n * sizeof o->t[0]);
        x->offered = o;
    } else if (msg == MSG_MM2 || msg == MSG_AM2) {
        trk_set_chosen(t, sa, &offer.t[0]);
        ike_sa_ext *x = trk_sa_ext_if(t, sa);
        if (x) {
            free(x->offered);
            x->offered = NULL;
            trk_sa_ext_trim(t, sa);
        }
    }
}

/* Aggressive mode: keep what HASH_R covers from AM1, test the candidates
 * on AM2. The copy exists only while an AM1 waits for its AM2, and only
 * when the user gave candidates. */
static bool pl_span(const ike_event *ev, uint32_t off, uint32_t len)
{
    return len > 0 && ev->pl_buf && (size_t)off + len <= ev->pl_len;
}

static void test_psks(ike_tracker *t, ike_sa *sa, ike_msg msg, const ike_event *ev)
{
    if (!t->psks || t->psks->n == 0 || !ev->readable)
        return;
    const ike_payloads *pl = &ev->pl;
    if (msg == MSG_AM1) {
        if (ike_sa_x(t, sa)->am1_copy || !pl_span(ev, pl->ke_off, pl->ke_len) || !pl_span(ev, pl->nonce_off, pl->nonce_len) ||
            !pl_span(ev, pl->sa_off, pl->sa_len))
            return;
        /* [len32 ke][len32 nonce][len32 sa] then the bytes */
        size_t total = 12u + pl->ke_len + pl->nonce_len + pl->sa_len;
        ike_sa_ext *x = trk_sa_ext(t, sa);
        uint8_t *c = x ? malloc(total) : NULL;
        if (!c)
            return;
        uint32_t lens[3] = {pl->ke_len, pl->nonce_len, pl->sa_len};
        memcpy(c, lens, sizeof lens);
        uint8_t *w = c + 12;
        memcpy(w, ev->pl_buf + pl->ke_off, pl->ke_len);
        w += pl->ke_len;
        memcpy(w, ev->pl_buf + pl->nonce_off, pl->nonce_len);
        w += pl->nonce_len;
        memcpy(w, ev->pl_buf + pl->sa_off, pl->sa_len);
        x->am1_copy = c;
        return;
    }
    ike_sa_ext *x = trk_sa_ext_if(t, sa);
    if (msg != MSG_AM2 || !x || !x->am1_copy || !pl_span(ev, pl->ke_off, pl->ke_len) ||
        !pl_span(ev, pl->nonce_off, pl->nonce_len) || !pl_span(ev, pl->id_off, pl->id_len) ||
        !pl_span(ev, pl->hash_off, pl->hash_len))
        return;
    uint32_t lens[3];
    memcpy(lens, x->am1_copy, sizeof lens);
    const uint8_t *r = x->am1_copy + 12;
    ike_am_material m;
    m.gxi = (ike_bytes){r, lens[0]};
    m.ni = (ike_bytes){r + lens[0], lens[1]};
    m.sai = (ike_bytes){r + lens[0] + lens[1], lens[2]};
    m.gxr = (ike_bytes){ev->pl_buf + pl->ke_off, pl->ke_len};
    m.nr = (ike_bytes){ev->pl_buf + pl->nonce_off, pl->nonce_len};
    m.idir = (ike_bytes){ev->pl_buf + pl->id_off, pl->id_len};
    m.hash_r = (ike_bytes){ev->pl_buf + pl->hash_off, pl->hash_len};
    m.icookie = ev->hdr.icookie;
    m.rcookie = ev->hdr.rcookie;
    uint8_t alg = ike_sa_chosen(t, sa)->hash;
    if (!alg)
        alg = ike_natd_alg_for_len(pl->hash_len);
    x->psk_match = -1;
    for (size_t k = 0; k < t->psks->n; k++)
        if (ike_am_psk_matches(alg, t->psks->key[k], t->psks->len[k], &m)) {
            x->psk_match = (int16_t)(k + 1);
            break;
        }
    x->psk_frame = ev->frame;
    free(x->am1_copy);
    x->am1_copy = NULL;
}

void trk_check_natd(ike_tracker *t, ike_sa *sa, ike_role from, const ike_event *ev, ike_record *rec)
{
    if (!ev->readable || ev->pl.n_natd < 2)
        return;
    ike_natd_result r = ike_natd_check(ev, ike_sa_chosen(t, sa)->hash);
    if (r == NATD_NONE)
        return;
    if (!(sa->flags & SA_NAT_CHECKED)) {
        sa->flags |= SA_NAT_CHECKED;
        trk_sa_set_frame(t, sa, SA_AT_NATD, ev->frame);
    }
    if (r == NATD_MATCH)
        rec->flags |= REC_NATD_MATCH;
    if (r == NATD_SRC_CHANGED || r == NATD_BOTH_CHANGED) {
        rec->flags |= REC_NATD_SRC;
        sa->flags |= from == ROLE_I ? SA_NAT_I : SA_NAT_R;
    }
    if (r == NATD_DST_CHANGED || r == NATD_BOTH_CHANGED) {
        rec->flags |= REC_NATD_DST;
        sa->flags |= from == ROLE_I ? SA_NAT_R : SA_NAT_I;
    }
}

static void do_phase1(ike_tracker *t, ike_sa *sa, ike_role from, const ike_event *ev,
                      ike_record *rec, uint32_t rec_idx)
{
    uint8_t exch = ev->hdr.exch;
    if (sa->mode == 0)
        sa->mode = exch;
    if (sa->mode != exch) {
        rec->flags |= REC_MODE_MISMATCH;
        rec->msg = MSG_P1_UNPLACED;
        return;
    }
    ike_slot *slot = &sa->p1[from];
    if (trk_check_repeat(t, sa, slot, ev, rec, rec_idx))
        return;

    ike_msg msg = classify_p1(exch, from, ev);
    ike_msg seq = next_in_sequence(sa, from);
    if (msg == MSG_NONE)
        msg = seq;
    if (msg == MSG_NONE) {
        rec->msg = MSG_P1_UNPLACED;
        return;
    }
    int ord = ike_msg_ordinal(msg);
    if (ord <= sa->p1_last) {
        uint8_t slot_msg = ike_slot_msg(t, slot);
        if (ev->readable && ev->pl.frag_num > 1 && slot_msg == msg) {
            rec->flags |= REC_FRAGMENT;
        } else if (ev->readable && ev->pl.frag_num == 1 && slot_msg == msg && (slot->first_back & SLOT_FRAGMENTED)) {
            /* The fragmented message sent again: its first fragment. */
            rec->flags |= REC_RETRANS;
            uint32_t first = slot_first_rec(t, slot);
            trk_set_ref(t, rec, rec_frame(t, first), first);
            if (slot->count < UINT16_MAX)
                slot->count++;
            rec->retrans_count = slot->count;
            sa->n_retrans++;
        } else {
            rec->flags |= REC_OUT_OF_ORDER;
        }
        rec->msg = (uint8_t)msg;
        return;
    }
    if (sa->p1_last == 0 && ord > 1) {
        sa->flags |= SA_START_NOT_SEEN;
        rec->flags |= REC_START_NOT_SEEN;
    }
    if (infer_p1_until(sa, msg)) {
        sa->flags |= SA_INFERRED;
        rec->flags |= REC_INFERRED;
    }
    const ike_transition *tr = ike_transition_for(msg);
    apply_transition(sa, tr);
    rec->msg = (uint8_t)msg;
    read_proposals(t, sa, msg, ev);
    test_psks(t, sa, msg, ev);
    trk_check_natd(t, sa, from, ev, rec);
    trk_link_answer(t, &sa->p1[!from], tr->answers, rec, ev);
    trk_fill_slot(slot, ev, rec_idx);
    if (tr->completes)
        finish_p1(t, sa, rec, ev);
}

/* A quick mode or an informational after keys exist proves phase 1 is done
 * (it may not have been captured). */
static void infer_p1_complete(ike_tracker *t, ike_sa *sa, ike_record *rec, const ike_event *ev)
{
    if (sa->flags & SA_P1_COMPLETE)
        return;
    if (sa->mode == 0) {
        /* Phase 1 never seen: main mode assumed for the labels. */
        sa->mode = IKE_EXCH_MAIN;
        sa->flags |= SA_START_NOT_SEEN;
        rec->flags |= REC_START_NOT_SEEN;
    }
    ike_msg last = sa->mode == IKE_EXCH_AGGRESSIVE ? MSG_AM3 : MSG_MM6;
    infer_p1_until(sa, last);
    apply_transition(sa, ike_transition_for(last));
    sa->flags |= SA_INFERRED;
    rec->flags |= REC_INFERRED;
    finish_p1(t, sa, rec, ev);
}

/* ---- rekeys ------------------------------------------------------------- */

/* IKEv1 says nothing in a new main mode about an old IKE SA: a phase-1
 * rekey is a new MM1/AM1 between the same two addresses while the previous
 * IKE SA between them is established and no Delete of it has been read
 * (Cisco and strongSwan start the new one before deleting the old one).
 * Without keys a Delete cannot be read, so a new phase 1 after a peer lost
 * its state silently is taken for a rekey too: the evidence says so. */
static void note_p1_rekey(ike_tracker *t, ike_sa *sa, const ike_event *ev)
{
    ike_sa *old = trk_sa_at(t, sa->prev_attempt);
    if (!old || (old->flags & (SA_IKEV2 | SA_DELETED)) || !(old->flags & SA_P1_COMPLETE) || old->rekeyed_by)
        return;
    if (!(ev->hdr.exch == IKE_EXCH_MAIN || ev->hdr.exch == IKE_EXCH_AGGRESSIVE) || !trk_is_zero8(ev->hdr.rcookie))
        return;
    sa->rekey_of = old->index;
    old->rekeyed_by = sa->index;
}

/* A completed quick mode whose QM1 carried the same IDs as an earlier
 * completed one of the same IKE SA (or of the IKE SA it replaced) renews
 * that one's ESP SAs: a phase-2 rekey, not a new tunnel. Needs QM1 read,
 * so the keys. */
static void note_qm_rekey(ike_tracker *t, ike_sa *sa, ike_exchange *ex)
{
    ike_exch_part *xp = trk_part(t, ex);
    if (!xp || !xp->ids)
        return;
    uint32_t self = trk_exchange_index(t, ex);
    for (int hop = 0; sa && hop < 2; hop++) {
        uint32_t found = 0;
        for (uint32_t i = sa->exch_head; i;) {
            const ike_exchange *o = ike_vec_at(&t->exchanges, i);
            if (i != self && o->kind == EX_QUICK && o->complete && ike_exchange_part(t, o)->ids == xp->ids)
                found = i; /* the latest one: rekeys chain */
            i = ike_exchange_next(t, i, o);
        }
        if (found) {
            xp->renews = found;
            ex->child_rekey = true;
            return;
        }
        sa = trk_sa_at(t, sa->rekey_of);
    }
}

/* ---- quick mode ---------------------------------------------------------- */

static void do_quick(ike_tracker *t, ike_sa *sa, ike_role from, const ike_event *ev,
                     ike_record *rec, uint32_t rec_idx)
{
    bool created;
    ike_exchange *ex = trk_find_exchange(t, sa, ev->hdr.msgid, EX_QUICK, from, &created);
    ike_exch_part *q = trk_part(t, ex);
    if (!ex || !q)
        return;
    rec->exch = trk_exchange_index(t, ex);
    ike_role qrole = from == ex->initiator ? ROLE_I : ROLE_R;
    ike_slot *slot = &ex->slot[qrole];
    if (!trk_check_repeat(t, sa, slot, ev, rec, rec_idx)) {
        ike_msg msg;
        if (qrole == ROLE_I && q->last_ord == 0)
            msg = MSG_QM1;
        else if (qrole == ROLE_R && q->last_ord == 1)
            msg = MSG_QM2;
        else if (qrole == ROLE_I && q->last_ord == 2)
            msg = MSG_QM3;
        else
            msg = MSG_QM_EXTRA; /* a 4th message (commit bit), or a changed resend */
        rec->msg = (uint8_t)msg;
        if (msg == MSG_QM1) {
            infer_p1_complete(t, sa, rec, ev);
            if (ev->readable)
                q->ids = ev->pl.id_digest ? ev->pl.id_digest : 1u;
        }
        const ike_transition *tr = ike_transition_for(msg);
        if (tr) {
            if (tr->sender_after != KEEP)
                q->qstate[qrole] = tr->sender_after;
            if (tr->receiver_after != KEEP)
                q->qstate[!qrole] = tr->receiver_after;
            q->last_ord = (uint8_t)ike_msg_ordinal(msg);
            q->frames[q->last_ord - 1] = ev->frame;
            trk_link_answer(t, &ex->slot[!qrole], tr->answers, rec, ev);
            if (tr->completes) {
                ex->complete = true;
                rec->flags |= REC_QM_COMPLETE;
                note_qm_rekey(t, sa, ex);
            }
            trk_fill_slot(slot, ev, rec_idx);
        } else {
            rec->flags |= REC_OUT_OF_ORDER;
        }
    }
    rec->qstate[0] = q->qstate[0];
    rec->qstate[1] = q->qstate[1];
}

/* ---- informational and transaction -------------------------------------- */

static void do_info_txn(ike_tracker *t, ike_sa *sa, ike_role from, const ike_event *ev,
                        ike_record *rec, uint32_t rec_idx)
{
    uint8_t kind = ev->hdr.exch == IKE_EXCH_INFO ? EX_INFO : EX_TXN;
    bool created;
    ike_exchange *ex = trk_find_exchange(t, sa, ev->hdr.msgid, kind, from, &created);
    if (!ex)
        return;
    rec->exch = trk_exchange_index(t, ex);
    rec->msg = kind == EX_INFO ? MSG_INFO : MSG_TXN;
    ike_slot *slot = &ex->slot[from];
    if (trk_check_repeat(t, sa, slot, ev, rec, rec_idx)) {
        rec->msg = kind == EX_INFO ? MSG_INFO : MSG_TXN;
        return;
    }
    /* A transaction (XAUTH, mode-config) runs on an established IKE SA, so
     * phase 1 is done even if its last message was not captured. An
     * encrypted informational proves less: keys exist from MM4 on, and a
     * responder that cannot decrypt MM5 answers with one (strongSwan). */
    if (kind == EX_TXN && !(sa->flags & SA_P1_COMPLETE) &&
        sa->p1_last >= (sa->mode == IKE_EXCH_AGGRESSIVE ? 2 : 5))
        infer_p1_complete(t, sa, rec, ev);

    if (kind == EX_TXN) {
        /* Request/reply pairs share a message ID. */
        trk_link_answer(t, &ex->slot[!from], MSG_NONE, rec, ev);
    } else if (ev->readable && ev->pl.n_notify > 0 && ike_notify_in_error_range(ev->pl.notify[0]) &&
               !(sa->flags & SA_P1_COMPLETE)) {
        /* An error notify in phase 1 answers the peer's last message. */
        trk_link_answer(t, &sa->p1[!from], MSG_NONE, rec, ev);
        rec->flags |= REC_REJECT;
        if (from == ROLE_R && (sa->state[ROLE_R] == S_MM_R0 || sa->state[ROLE_R] == S_AM_R0)) {
            /* Refused MM1/AM1: the responder keeps no SA. */
            sa->state[ROLE_R] = S_NONE;
            sa->flags |= SA_REJECTED;
        }
    }
    /* Dead peer detection (RFC 3706): R-U-THERE and its ACK, when readable. */
    if (kind == EX_INFO && ev->readable && !(rec->flags & REC_RETRANS)) {
        for (unsigned k = 0; k < ev->pl.n_notify && k < IKE_MAX_NOTIFY; k++) {
            ike_sa_ext *x = ev->pl.notify[k] == 36136 || ev->pl.notify[k] == 36137 ? trk_sa_ext(t, sa) : NULL;
            if (x && ev->pl.notify[k] == 36136 && x->dpd_requests < UINT16_MAX)
                x->dpd_requests++;
            if (x && ev->pl.notify[k] == 36137 && x->dpd_answered < UINT16_MAX)
                x->dpd_answered++;
        }
    }
    if (ev->readable && ev->pl.delete_proto == 1) {
        sa->flags |= SA_DELETED;
        if (!sa->deleted_by)
            sa->deleted_by = (uint8_t)(from + 1);
    }
    trk_fill_slot(slot, ev, rec_idx);
}

void trk_touch_sa(ike_tracker *t, ike_sa *sa, int from, const ike_event *ev, ike_record *rec)
{
    if (ev->readable && (ev->pl.vendor_mask & ~ike_sa_vendor(t, sa, from))) {
        uint32_t v[2] = {ike_sa_vendor(t, sa, ROLE_I), ike_sa_vendor(t, sa, ROLE_R)};
        v[from] |= ev->pl.vendor_mask;
        sa->vendors = sa_keep16(t, sa, SA_FAR_VENDORS, ike_set_intern(&t->vendors, v));
    }
    sa->n_packets++;
    sa->last_rec = t->cur_idx;
    if (ev->src.port != sa->cur_port[from]) {
        if ((ev->src.port == 4500 || ev->dst.port == 4500) && !(sa->flags & SA_FLOATED)) {
            sa->flags |= SA_FLOATED;
            trk_sa_set_frame(t, sa, SA_AT_FLOAT, ev->frame);
            rec->flags |= REC_FLOAT;
        }
        sa->cur_port[from] = ev->src.port;
    }
    if (ev->dst.port != sa->cur_port[!from])
        sa->cur_port[!from] = ev->dst.port;
}

/* ---- entry point --------------------------------------------------------- */

static void track(ike_tracker *t, const ike_event *ev, ike_record *rec, uint32_t rec_idx)
{
    rec->frame = ev->frame;
    rec->xauth_status = -1;
    rec->exch_type = ev->hdr.exch;
    rec->malformed = (uint8_t)ev->pl.malformed;

    if (!ev->have_header) {
        rec->msg = MSG_MALFORMED;
        rec->flags |= REC_MALFORMED;
        return;
    }
    if (ev->pl.malformed != IKE_MALFORMED_NONE)
        rec->flags |= REC_MALFORMED;
    uint8_t major = ev->hdr.version >> 4;
    if (major == 2) {
        ike2_track(t, ev, rec, rec_idx);
        return;
    }
    if (major != 1) {
        rec->msg = MSG_MALFORMED;
        rec->flags |= REC_MALFORMED;
        return;
    }
    if (ev->hdr.flags & IKE_FLAG_ENCRYPTED)
        rec->flags |= ev->readable ? REC_DECRYPTED : REC_UNREADABLE;
    if (ev->hdr.flags & IKE_FLAG_ENCRYPTED)
        rec->flags |= REC_ENCRYPTED;
    if (ev->decrypt_failed)
        rec->flags |= REC_DECRYPT_FAILED;
    if (ev->readable) {
        rec->n_notify = ev->pl.n_notify;
        rec->notify = ev->pl.n_notify ? ev->pl.notify[0] : 0;
        rec->delete_proto = ev->pl.delete_proto;
        rec->cfg_type = ev->pl.cfg_type;
        rec->xauth_status = ev->pl.xauth_status;
        if (ev->pl.delete_proto)
            rec->flags |= REC_DELETE;
    }
    if (trk_is_zero8(ev->hdr.icookie)) {
        /* No SA can be named by a zero initiator cookie (RFC 2408 2.5.3). */
        rec->flags |= REC_ZERO_ICOOKIE;
        rec->msg = ev->hdr.exch == IKE_EXCH_INFO ? MSG_INFO : MSG_P1_UNPLACED;
        return;
    }

    bool known_exch = ev->hdr.exch == IKE_EXCH_MAIN || ev->hdr.exch == IKE_EXCH_AGGRESSIVE ||
                      ev->hdr.exch == IKE_EXCH_QUICK || ev->hdr.exch == IKE_EXCH_INFO ||
                      ev->hdr.exch == IKE_EXCH_TRANSACTION;

    if (ev->in_icmp) {
        /* An ICMP error quoting one of our messages: its addresses are the
         * error's, so find the SA by cookies alone; never start one. */
        uint32_t idx = ike_imap_get(&t->by_icookie, trk_cookie_key(ev->hdr.icookie));
        for (int n = 0; idx && n < MAX_CHAIN; n++) {
            ike_sa *c = trk_sa_at(t, idx);
            if (!(c->flags & SA_IKEV2) && (trk_is_zero8(ev->hdr.rcookie) || !(c->flags & SA_RCOOKIE_KNOWN) ||
                memcmp(c->rcookie, ev->hdr.rcookie, 8) == 0)) {
                rec->sa = c->index;
                rec->state[0] = c->state[0];
                rec->state[1] = c->state[1];
                break;
            }
            idx = trk_next_same_icookie(t, c);
        }
        rec->flags |= REC_ICMP;
        rec->msg = MSG_NONE;
        return;
    }

    ike_sa *conflict;
    int from = -1;
    ike_sa *sa = find_sa(t, ev, &conflict, &from);
    if (sa) {
        if (from < 0) {
            /* Same cookies, other addresses (both sides of a NAT in one
             * capture): the message type decides. */
            ike_msg guess = classify_p1(ev->hdr.exch, ROLE_I, ev);
            from = (guess == MSG_MM1 || guess == MSG_AM1 || guess == MSG_MM3 ||
                    guess == MSG_MM5 || guess == MSG_AM3) ? ROLE_I : ROLE_R;
        }
    } else {
        if (!known_exch) {
            rec->msg = MSG_OTHER_EXCH;
            rec->flags |= REC_UNKNOWN_EXCH;
            return;
        }
        /* Who started it: a phase-1 SA payload with a zero R-cookie comes
         * from the initiator, with a non-zero one from the responder;
         * anything else is assumed to come from the initiator. */
        ike_role sender = ROLE_I;
        bool assumed = true;
        if ((ev->hdr.exch == IKE_EXCH_MAIN || ev->hdr.exch == IKE_EXCH_AGGRESSIVE) &&
            ev->readable && (ev->pl.mask & IKE_PMASK(IKE_PL_SA)) &&
            !(ev->hdr.flags & IKE_FLAG_ENCRYPTED)) {
            sender = trk_is_zero8(ev->hdr.rcookie) ? ROLE_I : ROLE_R;
            assumed = false;
        }
        sa = trk_new_sa(t, ev, sender);
        if (!sa)
            return;
        if (assumed) {
            sa->flags |= SA_ROLE_ASSUMED;
            rec->flags |= REC_ROLE_ASSUMED;
        }
        if (conflict)
            sa->flags |= SA_RCOOKIE_CHANGED;
        note_p1_rekey(t, sa, ev);
        if (sa->prev_attempt && !sa->rekey_of)
            rec->flags |= REC_NEW_ATTEMPT;
        from = sender;
    }
    rec->sa = sa->index;
    rec->from = (uint8_t)from;
    if (!(sa->flags & SA_RCOOKIE_KNOWN) && !trk_is_zero8(ev->hdr.rcookie)) {
        memcpy(sa->rcookie, ev->hdr.rcookie, 8);
        sa->flags |= SA_RCOOKIE_KNOWN;
    }
    trk_touch_sa(t, sa, from, ev, rec);

    switch (ev->hdr.exch) {
    case IKE_EXCH_MAIN:
    case IKE_EXCH_AGGRESSIVE:
        do_phase1(t, sa, (ike_role)from, ev, rec, rec_idx);
        break;
    case IKE_EXCH_QUICK:
        do_quick(t, sa, (ike_role)from, ev, rec, rec_idx);
        break;
    case IKE_EXCH_INFO:
    case IKE_EXCH_TRANSACTION:
        do_info_txn(t, sa, (ike_role)from, ev, rec, rec_idx);
        break;
    default:
        rec->msg = MSG_OTHER_EXCH;
        rec->flags |= REC_UNKNOWN_EXCH;
        break;
    }
    rec->state[0] = sa->state[0];
    rec->state[1] = sa->state[1];
    return;
}

const ike_record *ike_tracker_add(ike_tracker *t, const ike_event *ev)
{
    if (t->records.count > 1 && ev->frame < t->last_frame)
        return NULL; /* a later pass, or a frame seen already */
    uint32_t rec_idx = ike_vec_push(&t->records);
    if (!rec_idx)
        return NULL;
    if (ev->frame != t->last_frame || !t->last_first)
        t->last_first = rec_idx;
    t->last_frame = ev->frame;
    memset(&t->cur, 0, sizeof t->cur);
    /* The slots filled by this message read its frame and time from its
     * record. */
    trk_crec *c = ike_vec_at(&t->records, rec_idx);
    if (!set_crec_frame(t, rec_idx, c, ev->frame, ev->time)) {
        ike_vec_pop(&t->records); /* not kept (out of memory): pushed again by the next */
        return NULL;
    }
    set_rec_time(t, rec_idx, c, ev->time);
    t->cur_idx = rec_idx;
    t->cur_ref_rec = 0;
    ring_put_ip_id(t, ev->ip_id);
    track(t, ev, &t->cur, rec_idx);
    store_cur(t);
    return &t->cur;
}

uint32_t ike_exchange_next(const ike_tracker *t, uint32_t index, const ike_exchange *ex)
{
    if (!ex || !ex->next_off)
        return 0;
    return ex->next_off == EXCH_FAR_NEXT ? ike_map_get(&t->far_next, index) : index + ex->next_off;
}

uint32_t ike_exchange_first_frame(const ike_tracker *t, const ike_exchange *ex)
{
    return ex->kind == EX_QUICK ? ike_exchange_part(t, ex)->frames[0] : ike_slot_first_frame(t, &ex->slot[0]);
}


uint32_t ike_slot_frame(const ike_tracker *t, const ike_slot *s) { return rec_frame(t, s->rec); }
uint32_t ike_slot_first_frame(const ike_tracker *t, const ike_slot *s) { return s->rec ? rec_frame(t, slot_first_rec(t, s)) : 0; }
uint32_t ike_sa_first_frame(const ike_tracker *t, const ike_sa *sa) { return rec_frame(t, sa->first_rec); }

uint32_t ike_sa_last_frame(const ike_tracker *t, const ike_sa *sa) { return rec_frame(t, sa->last_rec); }

/* frame_at[k]: 0 none, else 1 + the frame's distance from the SA's first
 * (SA_FAR16: in t->sa_far). */
uint32_t ike_sa_frame_at(const ike_tracker *t, const ike_sa *sa, unsigned which)
{
    if (which > SA_AT_NATD || !sa->frame_at[which])
        return 0;
    if (sa->frame_at[which] == SA_FAR16)
        return ike_map_get(&t->sa_far, sa_far_key(sa, which));
    return ike_sa_first_frame(t, sa) + sa->frame_at[which] - 1u;
}

void trk_sa_set_frame(ike_tracker *t, ike_sa *sa, unsigned which, uint32_t frame)
{
    uint32_t first = ike_sa_first_frame(t, sa);
    if (frame >= first && frame - first < SA_FAR16 - 1u) {
        sa->frame_at[which] = (uint16_t)(frame - first + 1u);
        return;
    }
    sa->frame_at[which] = SA_FAR16;
    ike_map_put(&t->sa_far, sa_far_key(sa, which), frame);
}

uint32_t trk_next_same_icookie(const ike_tracker *t, const ike_sa *sa)
{
    return (sa->flags & SA_SAME_ICOOKIE) ? ike_map_get(&t->sa_far, sa_far_key(sa, SA_FAR_SAME_ICOOKIE)) : 0;
}

double ike_sa_first_time(const ike_tracker *t, const ike_sa *sa) { return rec_time(t, sa->first_rec); }
double ike_sa_last_time(const ike_tracker *t, const ike_sa *sa) { return rec_time(t, sa->last_rec); }
double ike_slot_time(const ike_tracker *t, const ike_slot *s) { return rec_time(t, s->rec); }
double ike_slot_first_time(const ike_tracker *t, const ike_slot *s) { return s->rec ? rec_time(t, slot_first_rec(t, s)) : 0; }

unsigned ike_sa_child_rekeys(const ike_tracker *t, const ike_sa *sa, uint32_t *first_frame)
{
    unsigned n = 0;
    if (first_frame)
        *first_frame = 0;
    for (uint32_t i = sa->exch_head; i;) {
        const ike_exchange *ex = ike_vec_at(&t->exchanges, i);
        if (ex->child_rekey) {
            if (!n && first_frame)
                *first_frame = ike_exchange_first_frame(t, ex);
            n++;
        }
        i = ike_exchange_next(t, i, ex);
    }
    return n;
}

static const ike_p1_transform none_chosen;

const ike_p1_transform *ike_sa_chosen(const ike_tracker *t, const ike_sa *sa)
{
    const ike_p1_transform *c = ike_set_at(&t->chosen, sa_read16(t, sa, SA_FAR_CHOSEN, sa->chosen));
    return c ? c : &none_chosen;
}

void trk_set_chosen(ike_tracker *t, ike_sa *sa, const ike_p1_transform *c)
{
    sa->chosen = sa_keep16(t, sa, SA_FAR_CHOSEN, ike_set_intern(&t->chosen, c));
}

uint32_t ike_sa_vendor(const ike_tracker *t, const ike_sa *sa, int role)
{
    const uint32_t *v = ike_set_at(&t->vendors, sa_read16(t, sa, SA_FAR_VENDORS, sa->vendors));
    return v ? v[role] : 0;
}

uint32_t ike_sa_weak(const ike_tracker *t, const ike_sa *sa)
{
    const ike_p1_transform *c = ike_sa_chosen(t, sa);
    if (!c->enc && !c->hash && !c->auth && !c->group)
        return 0;
    if (sa->flags & SA_IKEV2)
        return ike_weak_v2(c->enc, c->hash, c->auth, c->group);
    return ike_weak_v1(c, sa->mode);
}

bool ike_sa_proposal_text(const ike_tracker *t, const ike_sa *sa, char *buf, size_t len)
{
    const ike_p1_transform *c = ike_sa_chosen(t, sa);
    if (!c->enc && !c->hash && !c->auth && !c->group) {
        if (len)
            buf[0] = '\0';
        return false;
    }
    if (sa->flags & SA_IKEV2)
        ike2_transform_format(c->enc, c->keylen, c->hash, c->auth, c->group, buf, len);
    else
        ike_transform_format(c, buf, len);
    return true;
}
