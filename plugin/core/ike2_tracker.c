/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike2_tracker.c - follows IKEv2 (RFC 7296) per IKE SA.
 *
 * An IKEv2 SA is named by its two SPIs (the header's cookie fields); the
 * I flag says which side is the SA's initiator and the R flag whether a
 * message is a response, so roles are never guessed. Every exchange is
 * one request and its response with the same message ID; message IDs
 * count separately in each direction, so an exchange is keyed by the
 * requester too. What a response means (accepted, refused, retry) is read
 * from its payloads when they are clear or decrypted, else inferred from
 * what the clear part of SK shows (its first inner payload type, its size);
 * ike2_states.c's table turns that into both sides' states.
 */
#include <string.h>

#include "ike2_states.h"
#include "ike_natd.h"
#include "ike_notify.h"
#include "ike_tracker_int.h"

/* Smallest plaintext that can hold these payloads (RFC 7296 3.x): IDr for
 * an IPv4 address 12 bytes, AUTH with a 20-byte (SHA-1) PSK MAC 28, an ESP
 * SA with one proposal of three transforms 40, two traffic selectors 48. */
#define V2_MIN_IDR_AUTH 40
#define V2_MIN_SA_TS    88
/* Least SK overhead: payload header 4 + IV 8 + ICV 16 (AES-GCM); with
 * AES-CBC and HMAC it is more, so this bounds the plaintext from above. */
#define V2_SK_OVERHEAD  28

static bool error_notify(const ike_payloads *pl, uint16_t *type)
{
    for (unsigned i = 0; i < pl->n_notify && i < IKE_MAX_NOTIFY; i++)
        if (ike_notify_in_error_range(pl->notify[i])) {
            *type = pl->notify[i];
            return true;
        }
    return false;
}

static bool has_notify(const ike_payloads *pl, uint16_t type)
{
    for (unsigned i = 0; i < pl->n_notify && i < IKE_MAX_NOTIFY; i++)
        if (pl->notify[i] == type)
            return true;
    return false;
}

/* Errors in an IKE_AUTH response that refuse the CHILD_SA but not the IKE
 * SA (RFC 7296 1.2: the IKE SA stays up). */
static bool child_error(uint16_t n)
{
    return n == 14 || n == 34 || n == 35 || n == 36 || n == 37 || n == 38 || n == 39 || n == 43;
}

/* RFC 7296 1.3.3: a CREATE_CHILD_SA request with REKEY_SA names the ESP
 * SPI of the CHILD_SA it replaces, as its sender chose it: the proposed
 * or the accepted SPI of an earlier exchange of this IKE SA, or of the IKE
 * SA this one replaced (CHILD_SAs move over on an IKE rekey). */
static void note_child_rekey(ike_tracker *t, const ike_sa *sa, ike_exchange *ex, const ike_payloads *pl)
{
    if (!pl->rekey_notify)
        return;
    ex->child_rekey = true;
    ike_exch_part *xp = trk_part(t, ex);
    static const uint8_t none[4];
    if (!xp)
        return;
    if (memcmp(pl->rekey_spi, none, 4) == 0)
        return;
    uint32_t self = trk_exchange_index(t, ex);
    for (int hop = 0; sa && hop < 2 && !xp->renews; hop++) {
        for (uint32_t i = sa->exch_head; i;) {
            const ike_exchange *o = ike_vec_at(&t->exchanges, i);
            const ike_exch_part *op = ike_exchange_part(t, o);
            if (i != self && (memcmp(op->esp_spi[0], pl->rekey_spi, 4) == 0 ||
                              memcmp(op->esp_spi[1], pl->rekey_spi, 4) == 0))
                xp->renews = i;
            i = ike_exchange_next(t, i, o);
        }
        sa = trk_sa_at(t, sa->rekey_of);
    }
}

static ike2_ask classify_ask(const ike_event *ev)
{
    if (!ev->readable)
        return V2_ASK_PLAIN;
    if (ev->hdr.exch == IKE2_EXCH_CREATE_CHILD && (ev->pl.v2_mask & IKE2_PMASK(IKE2_PL_SA)) &&
        ev->pl.sa_proto == 1)
        return V2_ASK_REKEY_IKE;
    if (ev->hdr.exch == IKE2_EXCH_INFO && ev->pl.delete_proto == 1)
        return V2_ASK_DELETE_IKE;
    /* RFC 7296 2.4: an INFORMATIONAL with nothing in it; its SK payload
     * names no inner payload, so this is readable without keys. */
    if (ev->hdr.exch == IKE2_EXCH_INFO && ev->pl.sk_len && ev->pl.n_payloads <= 1 && ev->pl.sk_next == 0)
        return V2_ASK_LIVENESS;
    return V2_ASK_PLAIN;
}

static ike2_outcome classify_response(const ike_event *ev, ike_exch_part *ex)
{
    uint8_t exch = ex->v2_exch;
    const ike_payloads *pl = &ev->pl;
    uint16_t n = 0;
    if (ev->readable) {
        ex->v2_unreadable = 0;
        bool err = error_notify(pl, &n);
        if (exch == IKE2_EXCH_SA_INIT) {
            if (err && n == 17) {
                ex->v2_notify = n;
                return V2_OUT_RETRY;
            }
            if (err) {
                ex->v2_notify = n;
                return V2_OUT_REFUSED;
            }
            if (has_notify(pl, 16390) && !(pl->v2_mask & IKE2_PMASK(IKE2_PL_SA))) {
                ex->v2_notify = 16390;
                return V2_OUT_COOKIE;
            }
            return V2_OUT_OK;
        }
        if (!err)
            return V2_OUT_OK;
        ex->v2_notify = n;
        if (exch == IKE2_EXCH_AUTH && (pl->v2_mask & IKE2_PMASK(IKE2_PL_AUTH)) && child_error(n))
            return V2_OUT_CHILD_REFUSED;
        return V2_OUT_REFUSED;
    }
    /* Encrypted and not decrypted: what the clear SK header shows. */
    ex->v2_unreadable = 1;
    int cap = (int)pl->sk_len - V2_SK_OVERHEAD;
    if (exch == IKE2_EXCH_AUTH) {
        if (pl->sk_next == IKE2_PL_EAP)
            return V2_OUT_OK;
        if (cap < V2_MIN_IDR_AUTH && pl->sk_next != IKE2_PL_AUTH)
            return V2_OUT_REFUSED; /* no room for IDr and AUTH: a bare notify */
        int min_ok = V2_MIN_SA_TS + (pl->sk_next == IKE2_PL_IDR ? V2_MIN_IDR_AUTH : 0);
        return cap < min_ok ? V2_OUT_CHILD_REFUSED : V2_OUT_OK;
    }
    if (exch == IKE2_EXCH_CREATE_CHILD)
        return (pl->sk_next == IKE2_PL_NOTIFY && cap < V2_MIN_SA_TS) ? V2_OUT_REFUSED : V2_OUT_OK;
    return V2_OUT_OK;
}

static void apply(ike_sa *sa, const ike2_transition *tr, int requester)
{
    if (!tr)
        return;
    if (tr->requester_after != KEEP)
        sa->state[requester] = tr->requester_after;
    if (tr->responder_after != KEEP)
        sa->state[!requester] = tr->responder_after;
}

/* The SA a message belongs to: same SPIi, and the same SPIr once
 * IKE_SA_INIT was accepted. Before that the SPIr may change: refusals
 * carry 0 (strongSwan) or a throw-away SPI (libreswan), and a retry after
 * COOKIE or INVALID_KE_PAYLOAD is the same attempt. */
static ike_sa *find_sa_v2(ike_tracker *t, const ike_event *ev)
{
    bool rz = trk_is_zero8(ev->hdr.rcookie);
    uint32_t idx = ike_imap_get(&t->by_icookie, trk_cookie_key(ev->hdr.icookie));
    for (int k = 0; idx && k < MAX_CHAIN; k++) {
        ike_sa *sa = trk_sa_at(t, idx);
        idx = trk_next_same_icookie(t, sa);
        if (!(sa->flags & SA_IKEV2))
            continue;
        if (sa->flags & SA_V2_INIT_DONE) {
            if (!rz && memcmp(sa->rcookie, ev->hdr.rcookie, 8) == 0)
                return sa;
            /* A late copy of IKE_SA_INIT (SPIr 0) still belongs here. */
            if (rz && ev->hdr.exch == IKE2_EXCH_SA_INIT && trk_side_of(t, sa, ev) >= 0)
                return sa;
            continue;
        }
        if (trk_side_of(t, sa, ev) >= 0 || (!rz && (sa->flags & SA_RCOOKIE_KNOWN) &&
                                         memcmp(sa->rcookie, ev->hdr.rcookie, 8) == 0))
            return sa;
    }
    return NULL;
}

static void note_fragment(ike_exch_part *ex, int which, const ike_payloads *pl)
{
    if (pl->skf_total && pl->skf_total <= 32 && (!ex->frag_total[which] || pl->skf_total > ex->frag_total[which]))
        ex->frag_total[which] = (uint8_t)pl->skf_total;
    if (pl->skf_num >= 1 && pl->skf_num <= 32)
        ex->frag_seen[which] |= 1u << (pl->skf_num - 1);
}

/* Without keys an IKE SA rekey cannot be told from a CHILD_SA one by its
 * request. A new IKE SA that starts without IKE_SA_INIT between the same
 * peers right after an answered, unreadable CREATE_CHILD_SA of the
 * previous IKE SA was made by it (RFC 7296 2.18): mark that exchange. */
static uint32_t unread_rekey_before(ike_tracker *t, const ike_sa *sa, const ike_event *ev)
{
    ike_sa *old = trk_sa_at(t, sa->prev_attempt);
    if (!old || !(old->flags & SA_IKEV2))
        return 0;
    ike_exchange *cand = NULL;
    for (uint32_t i = old->exch_head; i;) {
        ike_exchange *ex = ike_vec_at(&t->exchanges, i);
        const ike_exch_part *xp = ike_exchange_part(t, ex);
        if (xp->v2_exch == IKE2_EXCH_CREATE_CHILD && xp->v2_ask == V2_ASK_PLAIN && xp->v2_unreadable &&
            ex->slot[1].rec && xp->v2_outcome == V2_OUT_OK)
            cand = ex;
        i = ike_exchange_next(t, i, ex);
    }
    if (!cand || ev->time - ike_slot_time(t, &cand->slot[1]) > 60.0)
        return 0;
    ike_exch_part *cp = trk_part(t, cand);
    if (cp)
        cp->v2_ask = V2_ASK_REKEY_IKE;
    /* What an answered IKE SA rekey leaves the old SA in (the table's row). */
    if (ike2_state_is_established((ike2_side_state)old->state[0]) &&
        ike2_state_is_established((ike2_side_state)old->state[1]))
        old->state[0] = old->state[1] = V2_REKEYED;
    return old->index;
}

/* The fragmented message, once its plaintext is whole: what the first
 * fragment could not show (ESP SPIs, a rekey or delete, the real outcome). */
static void refine_from_reassembly(ike_tracker *t, ike_sa *sa, ike_exchange *ex, const ike_event *ev,
                                   ike_record *rec, bool resp, int requester)
{
    ike_exch_part *x = trk_part(t, ex);
    if (!x)
        return;
    ike_event whole = *ev;
    int which = resp ? 1 : 0;
    ike_wire_parse_payloads_v2(ev->reasm_buf, ev->reasm_len, x->frag_first_next[which], &whole.pl);
    if (whole.pl.malformed != IKE_MALFORMED_NONE || whole.pl.n_payloads == 0)
        return;
    whole.readable = whole.decrypted = true;
    rec->flags |= REC_DECRYPTED;
    rec->n_notify = whole.pl.n_notify;
    rec->notify = whole.pl.n_notify ? whole.pl.notify[0] : 0;
    if (whole.pl.sa_proto == 3 && whole.pl.sa_spi_len == 4)
        memcpy(x->esp_spi[which], whole.pl.sa_spi, 4);
    if (!resp) {
        ike2_ask ask = classify_ask(&whole);
        if (ask == V2_ASK_REKEY_IKE && whole.pl.sa_spi_len == 8)
            ike_map_put(&t->by_rekey, trk_cookie_key(whole.pl.sa_spi), sa->index);
        x->v2_ask = (uint8_t)ask;
        if (x->v2_exch == IKE2_EXCH_CREATE_CHILD)
            note_child_rekey(t, sa, ex, &whole.pl);
        return;
    }
    ike2_outcome before = (ike2_outcome)x->v2_outcome;
    ike2_outcome out = classify_response(&whole, x);
    x->v2_outcome = (uint8_t)out;
    if (out != before)
        apply(sa, ike2_transition_for(x->v2_exch, (ike2_ask)x->v2_ask, out), requester);
}

void ike2_track(ike_tracker *t, const ike_event *ev, ike_record *rec, uint32_t rec_idx)
{
    const ike_header *h = &ev->hdr;
    bool resp = (h->flags & IKE2_FLAG_RESPONSE) != 0;
    int from = (h->flags & IKE2_FLAG_INITIATOR) ? ROLE_I : ROLE_R;
    rec->flags |= REC_IKEV2;
    if (resp)
        rec->flags |= REC_RESPONSE;
    if (ev->pl.sk_len) {
        rec->flags |= REC_ENCRYPTED;
        rec->flags |= ev->decrypted ? REC_DECRYPTED : (ev->readable ? 0 : REC_UNREADABLE);
    }
    if (ev->decrypt_failed)
        rec->flags |= REC_DECRYPT_FAILED;
    if (ev->readable) {
        rec->n_notify = ev->pl.n_notify;
        rec->notify = ev->pl.n_notify ? ev->pl.notify[0] : 0;
        rec->delete_proto = ev->pl.delete_proto;
        if (ev->pl.delete_proto)
            rec->flags |= REC_DELETE;
    }
    rec->msg = (uint8_t)ike2_msg_for(h->exch, resp);
    if (trk_is_zero8(h->icookie)) {
        rec->flags |= REC_ZERO_ICOOKIE;
        return;
    }
    if (ev->in_icmp) {
        /* Quoted by an ICMP error: evidence for the SA, never a message of it. */
        ike_sa *sa = find_sa_v2(t, ev);
        if (sa) {
            rec->sa = sa->index;
            rec->state[0] = sa->state[0];
            rec->state[1] = sa->state[1];
        }
        rec->flags |= REC_ICMP;
        rec->msg = MSG_NONE;
        return;
    }
    bool known = h->exch >= IKE2_EXCH_SA_INIT && h->exch <= IKE2_EXCH_INFO;
    ike_sa *sa = find_sa_v2(t, ev);
    if (!sa) {
        if (!known) {
            rec->flags |= REC_UNKNOWN_EXCH;
            return;
        }
        sa = trk_new_sa(t, ev, (ike_role)from);
        if (!sa)
            return;
        sa->flags |= SA_IKEV2;
        if (!(h->exch == IKE2_EXCH_SA_INIT && !resp)) {
            sa->flags |= SA_START_NOT_SEEN;
            rec->flags |= REC_START_NOT_SEEN;
            /* CREATE_CHILD_SA and INFORMATIONAL run on an established IKE
             * SA (RFC 7296 1.3, 1.4): its setup was not captured, or it
             * was made by a rekey. */
            if (h->exch == IKE2_EXCH_CREATE_CHILD || h->exch == IKE2_EXCH_INFO) {
                sa->state[ROLE_I] = sa->state[ROLE_R] = V2_EST;
                sa->flags |= SA_P1_COMPLETE | SA_V2_INIT_DONE;
                rec->flags |= REC_INFERRED;
            }
        }
        /* The new SA of an IKE rekey whose request was read. */
        sa->rekey_of = ike_map_get(&t->by_rekey, trk_cookie_key(h->icookie));
        if (!sa->rekey_of && (sa->flags & SA_START_NOT_SEEN))
            sa->rekey_of = unread_rekey_before(t, sa, ev);
        ike_sa *old = trk_sa_at(t, sa->rekey_of);
        if (old && !old->rekeyed_by)
            old->rekeyed_by = sa->index;
        if (sa->prev_attempt && !sa->rekey_of)
            rec->flags |= REC_NEW_ATTEMPT;
    }
    rec->sa = sa->index;
    rec->from = (uint8_t)from;
    if (!trk_is_zero8(h->rcookie) && !(sa->flags & SA_RCOOKIE_KNOWN)) {
        memcpy(sa->rcookie, h->rcookie, 8);
        sa->flags |= SA_RCOOKIE_KNOWN;
    }
    if (!trk_is_zero8(h->rcookie) && h->exch != IKE2_EXCH_SA_INIT && !(sa->flags & SA_V2_INIT_DONE)) {
        /* Past IKE_SA_INIT (its response not captured): the SPIr is fixed. */
        memcpy(sa->rcookie, h->rcookie, 8);
        sa->flags |= SA_V2_INIT_DONE | SA_RCOOKIE_KNOWN;
    }
    trk_touch_sa(t, sa, from, ev, rec);
    if (!known) {
        rec->flags |= REC_UNKNOWN_EXCH;
        rec->state[0] = sa->state[0];
        rec->state[1] = sa->state[1];
        return;
    }

    int requester = resp ? !from : from;
    bool created;
    ike_exchange *ex = trk_find_exchange(t, sa, h->msgid, requester == ROLE_I ? EX_V2_BY_I : EX_V2_BY_R,
                                         (ike_role)requester, &created);
    ike_exch_part *xp = trk_part(t, ex);
    if (!ex || !xp) {
        rec->state[0] = sa->state[0];
        rec->state[1] = sa->state[1];
        return;
    }
    if (created)
        xp->v2_exch = h->exch;
    rec->exch = trk_exchange_index(t, ex);
    int which = resp ? 1 : 0;
    ike_slot *slot = &ex->slot[which];

    /* RFC 7383 fragments: the first one stands for the message; the last
     * one, decrypted and reassembled by Wireshark, tells what it said. */
    if (ev->pl.skf_num)
        note_fragment(xp, which, &ev->pl);
    if (ev->pl.skf_num == 1)
        xp->frag_first_next[which] = ev->pl.sk_next;
    if (ev->pl.skf_num > 1) {
        rec->flags |= REC_FRAGMENT;
        trk_set_ref(t, rec, ike_slot_frame(t, slot), slot->rec);
        if (ev->reasm_buf && ev->pl.skf_num == ev->pl.skf_total && slot->rec)
            refine_from_reassembly(t, sa, ex, ev, rec, resp, requester);
        rec->state[0] = sa->state[0];
        rec->state[1] = sa->state[1];
        return;
    }
    if (trk_check_repeat(t, sa, slot, ev, rec, rec_idx)) {
        rec->msg = (uint8_t)ike2_msg_for(h->exch, resp);
        rec->state[0] = sa->state[0];
        rec->state[1] = sa->state[1];
        return;
    }
    if (slot->rec) {
        if (!resp && h->exch == IKE2_EXCH_SA_INIT && ex->slot[1].rec) {
            /* IKE_SA_INIT again, new bytes, after the responder asked for
             * a cookie or another DH group: the same attempt goes on. */
            rec->flags |= REC_V2_RETRY;
            memset(&ex->slot[1], 0, sizeof ex->slot[1]);
            xp->v2_outcome = V2_OUT_REQUEST;
            xp->frag_seen[1] = 0;
            xp->frag_total[1] = 0;
        } else {
            rec->flags |= REC_OUT_OF_ORDER;
        }
    }
    if (h->exch == IKE2_EXCH_SA_INIT) {
        ike_sa_ext *x = !resp ? trk_sa_ext(t, sa) : NULL;
        if (x)
            x->init_tries++;
        trk_check_natd(t, sa, (ike_role)from, ev, rec);
    }

    const ike2_transition *tr;
    if (!resp) {
        ike2_ask ask = classify_ask(ev);
        xp->v2_ask = (uint8_t)ask;
        ike_sa_ext *x = ask == V2_ASK_LIVENESS ? trk_sa_ext(t, sa) : NULL;
        if (x && x->dpd_requests < UINT16_MAX)
            x->dpd_requests++;
        if (ask == V2_ASK_REKEY_IKE && ev->pl.sa_spi_len == 8)
            ike_map_put(&t->by_rekey, trk_cookie_key(ev->pl.sa_spi), sa->index);
        if (ev->readable && ev->pl.sa_proto == 3 && ev->pl.sa_spi_len == 4)
            memcpy(xp->esp_spi[0], ev->pl.sa_spi, 4);
        if (ev->readable && h->exch == IKE2_EXCH_CREATE_CHILD)
            note_child_rekey(t, sa, ex, &ev->pl);
        tr = ike2_transition_for(h->exch, ask, V2_OUT_REQUEST);
    } else {
        trk_link_answer(t, &ex->slot[0], MSG_NONE, rec, ev);
        ike_sa_ext *x = xp->v2_ask == V2_ASK_LIVENESS ? trk_sa_ext(t, sa) : NULL;
        if (x && x->dpd_answered < UINT16_MAX)
            x->dpd_answered++;
        ike2_outcome out = classify_response(ev, xp);
        xp->v2_outcome = (uint8_t)out;
        if (out == V2_OUT_REFUSED || out == V2_OUT_RETRY || out == V2_OUT_COOKIE || out == V2_OUT_CHILD_REFUSED)
            rec->flags |= REC_REJECT;
        if (h->exch == IKE2_EXCH_SA_INIT && out == V2_OUT_OK && !trk_is_zero8(h->rcookie)) {
            memcpy(sa->rcookie, h->rcookie, 8);
            sa->flags |= SA_V2_INIT_DONE | SA_RCOOKIE_KNOWN;
            /* The proposal the responder chose; for an IKEv2 SA the
             * transform's fields hold ENCR / PRF / INTEG / DH IDs. */
            if (ev->readable && (ev->pl.v2_mask & IKE2_PMASK(IKE2_PL_SA))) {
                ike_p1_transform c = *ike_sa_chosen(t, sa);
                c.enc = (uint8_t)(ev->pl.sa_tf[1] > 255 ? 255 : ev->pl.sa_tf[1]);
                c.hash = (uint8_t)(ev->pl.sa_tf[2] > 255 ? 255 : ev->pl.sa_tf[2]);
                c.auth = ev->pl.sa_tf[3];
                c.group = ev->pl.sa_tf[4];
                c.keylen = ev->pl.sa_keylen;
                trk_set_chosen(t, sa, &c);
            }
        }
        ike_sa_ext *rx = out == V2_OUT_RETRY || out == V2_OUT_COOKIE ? trk_sa_ext(t, sa) : NULL;
        if (rx)
            rx->retry_notify = xp->v2_notify;
        if (out == V2_OUT_REFUSED && h->exch == IKE2_EXCH_SA_INIT)
            sa->flags |= SA_REJECTED;
        if (ev->readable && ev->pl.sa_proto == 3 && ev->pl.sa_spi_len == 4)
            memcpy(xp->esp_spi[1], ev->pl.sa_spi, 4);
        tr = ike2_transition_for(h->exch, (ike2_ask)xp->v2_ask, out);
        if (tr && tr->establishes && !(sa->flags & SA_P1_COMPLETE)) {
            sa->flags |= SA_P1_COMPLETE;
            trk_sa_set_frame(t, sa, SA_AT_P1_DONE, ev->frame);
            rec->flags |= REC_P1_COMPLETE;
        }
        if (xp->v2_ask == V2_ASK_DELETE_IKE || (ev->readable && ev->pl.delete_proto == 1)) {
            sa->flags |= SA_DELETED;
            if (!sa->deleted_by)
                sa->deleted_by = (uint8_t)(requester + 1);
        }
    }
    if (!resp && xp->v2_ask == V2_ASK_DELETE_IKE) {
        sa->flags |= SA_DELETED;
        if (!sa->deleted_by)
            sa->deleted_by = (uint8_t)(from + 1);
    }
    apply(sa, tr, requester);
    trk_fill_slot(slot, ev, rec_idx);
    rec->state[0] = sa->state[0];
    rec->state[1] = sa->state[1];
}
