/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_json.c - the per-SA report of `tshark -z isakmpstate,json` (schema:
 * fields/report-schema.md), written with Wireshark's json_dumper so that
 * every string is escaped as Wireshark escapes its own JSON.
 *
 * Layout: the document's head, then one SA object per line, then "]}":
 * one line per SA keeps the report usable with grep and line tools on
 * captures of many thousand SAs, where pretty-printing would give dozens
 * of lines per SA. Each SA object is a complete json_dumper document.
 */
#include "config_isakmpstate.h"

#include <stdio.h>
#include <string.h>

#include "ws_compat.h"

#include <wsutil/json_dumper.h>

#include "ike2_states.h"
#include "ike_explain.h"
#include "ike_json.h"
#include "ike_vendor.h"
#include "ike_weak.h"

/* ---- small typed writers: one member each ------------------------------- */

static void m_str(json_dumper *d, const char *key, const char *v)
{
    json_dumper_set_member_name(d, key);
    if (v)
        json_dumper_value_string(d, v);
    else
        json_dumper_value_anyf(d, "null");
}

static void m_uint(json_dumper *d, const char *key, unsigned v)
{
    json_dumper_set_member_name(d, key);
    json_dumper_value_anyf(d, "%u", v);
}

/* null when 0: "none" for frame and SA numbers, which start at 1 */
static void m_uint_or_null(json_dumper *d, const char *key, unsigned v)
{
    json_dumper_set_member_name(d, key);
    if (v)
        json_dumper_value_anyf(d, "%u", v);
    else
        json_dumper_value_anyf(d, "null");
}

static void m_bool(json_dumper *d, const char *key, bool v)
{
    json_dumper_set_member_name(d, key);
    json_dumper_value_anyf(d, v ? "true" : "false");
}

static void m_hex(json_dumper *d, const char *key, const uint8_t *b, size_t n)
{
    char hex[2 * 8 + 1];
    if (n > 8)
        n = 8;
    for (size_t i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", b[i]);
    hex[2 * n] = '\0';
    m_str(d, key, hex);
}

/* An object of n string members: a state in each vocabulary. */
static void m_strings(json_dumper *d, const char *key, const char *const *names, const char *const *values, int n)
{
    json_dumper_set_member_name(d, key);
    json_dumper_begin_object(d);
    for (int i = 0; i < n; i++)
        m_str(d, names[i], values[i]);
    json_dumper_end_object(d);
}

static void m_state_v1(json_dumper *d, const char *key, uint8_t s)
{
    static const char *const names[] = {"asa", "ios", "libreswan"};
    const ike_state_names_t *n = ike_state_names((ike_side_state)s);
    const char *const values[] = {n->asa, n->ios, n->libreswan};
    m_strings(d, key, names, values, 3);
}

static void m_state_v2(json_dumper *d, const char *key, uint8_t s)
{
    static const char *const names[] = {"cisco", "cisco_sm", "strongswan", "libreswan"};
    const ike2_state_names_t *n = ike2_state_names((ike2_side_state)s);
    const char *const values[] = {n->cisco_status, n->cisco_sm, n->strongswan, n->libreswan};
    m_strings(d, key, names, values, 4);
}

/* ---- the parts of one SA ------------------------------------------------- */

/* IKEv2: one entry per CHILD_SA negotiation. Only the last IKE_AUTH round
 * carries the CHILD_SA; it is named by the first IKE_AUTH's message ID,
 * whose request proposed it. */
static void child_sas(json_dumper *d, const ike_tracker *t, const ike_sa *sa)
{
    json_dumper_set_member_name(d, "child_sas");
    json_dumper_begin_array(d);
    for (uint32_t x = sa->exch_head; x;) {
        const ike_exchange *ex = ike_tracker_exchange(t, x);
        const ike_exch_part *xp = ike_exchange_part(t, ex);
        const char *co = ike2_child_outcome(t, x);
        bool last_auth = xp->v2_exch == IKE2_EXCH_AUTH;
        for (uint32_t y = ike_exchange_next(t, x, ex); last_auth && y;) {
            const ike_exchange *ey = ike_tracker_exchange(t, y);
            if (ike_exchange_part(t, ey)->v2_exch == IKE2_EXCH_AUTH)
                last_auth = false;
            y = ike_exchange_next(t, y, ey);
        }
        if (co && (xp->v2_exch != IKE2_EXCH_AUTH || last_auth)) {
            uint32_t msgid = ex->msgid;
            const ike_exchange *first_auth = ex;
            for (uint32_t y = sa->exch_head; xp->v2_exch == IKE2_EXCH_AUTH && y;) {
                const ike_exchange *ey = ike_tracker_exchange(t, y);
                if (ike_exchange_part(t, ey)->v2_exch == IKE2_EXCH_AUTH) {
                    msgid = ey->msgid;
                    first_auth = ey;
                    break;
                }
                y = ike_exchange_next(t, y, ey);
            }
            json_dumper_begin_object(d);
            m_uint(d, "msgid", msgid);
            m_str(d, "exchange", ike2_exch_name(xp->v2_exch));
            m_str(d, "initiated_by", ex->initiator == ROLE_I ? "initiator" : "responder");
            m_str(d, "outcome", co);
            m_bool(d, "answered", ex->slot[1].rec != 0);
            m_bool(d, "by_size", xp->v2_unreadable != 0);
            m_bool(d, "rekey", ex->child_rekey);
            json_dumper_set_member_name(d, "esp_spis");
            json_dumper_begin_array(d);
            for (int k = 0; k < 2; k++) {
                const uint8_t *spi = k == 0 ? ike_exchange_part(t, first_auth)->esp_spi[0] : xp->esp_spi[1];
                if (spi[0] | spi[1] | spi[2] | spi[3])
                    json_dumper_value_anyf(d, "\"%02x%02x%02x%02x\"", spi[0], spi[1], spi[2], spi[3]);
            }
            json_dumper_end_array(d);
            json_dumper_set_member_name(d, "frames");
            json_dumper_begin_array(d);
            uint32_t f0 = ike_slot_first_frame(t, &ex->slot[0]), f1 = ike_slot_first_frame(t, &ex->slot[1]);
            if (f0)
                json_dumper_value_anyf(d, "%u", f0);
            if (f1)
                json_dumper_value_anyf(d, "%u", f1);
            json_dumper_end_array(d);
            json_dumper_end_object(d);
        }
        x = ike_exchange_next(t, x, ex);
    }
    json_dumper_end_array(d);
}

static void quick_modes(json_dumper *d, const ike_tracker *t, const ike_verdicts *v, const ike_sa *sa)
{
    json_dumper_set_member_name(d, "quick_modes");
    json_dumper_begin_array(d);
    for (uint32_t x = sa->exch_head; x;) {
        const ike_exchange *ex = ike_tracker_exchange(t, x);
        if (ex->kind == EX_QUICK) {
            char msgid[16];
            snprintf(msgid, sizeof msgid, "0x%08x", ex->msgid);
            const ike_exch_part *q = ike_exchange_part(t, ex);
            const ike_exchange *old = q->renews ? ike_tracker_exchange(t, q->renews) : NULL;
            json_dumper_begin_object(d);
            m_str(d, "msgid", msgid);
            m_str(d, "initiated_by", ex->initiator == ROLE_I ? "initiator" : "responder");
            m_str(d, "outcome", ike_qm_outcome_code(ike_verdict_qm_outcome(v, x)));
            m_bool(d, "rekey", ex->child_rekey);
            m_uint_or_null(d, "renews_frame", old ? ike_exchange_part(t, old)->frames[0] : 0);
            json_dumper_set_member_name(d, "frames");
            json_dumper_begin_array(d);
            for (int k = 0; k < 3 && q->frames[k]; k++)
                json_dumper_value_anyf(d, "%u", q->frames[k]);
            json_dumper_end_array(d);
            json_dumper_end_object(d);
        }
        x = ike_exchange_next(t, x, ex);
    }
    json_dumper_end_array(d);
}

static void weak_and_vendors(json_dumper *d, const ike_tracker *t, const ike_sa *sa, bool v2)
{
    uint32_t weak = ike_sa_weak(t, sa);
    json_dumper_set_member_name(d, "weak_crypto");
    json_dumper_begin_array(d);
    for (uint32_t bit = 1; bit && bit <= WEAK_AGGR_PSK; bit <<= 1) {
        if (!(weak & bit))
            continue;
        char one[64];
        ike_weak_format(bit, one, sizeof one);
        json_dumper_value_string(d, one);
    }
    json_dumper_end_array(d);
    /* Lifetime proposed in phase 1 (IKEv1), liveness checks seen. */
    m_uint_or_null(d, "lifetime_s", !v2 ? ike_sa_chosen(t, sa)->life_s : 0);
    json_dumper_set_member_name(d, "dpd");
    json_dumper_begin_object(d);
    m_uint(d, "requests", ike_sa_x(t, sa)->dpd_requests);
    m_uint(d, "answered", ike_sa_x(t, sa)->dpd_answered);
    json_dumper_end_object(d);
    static const char *const side_name[2] = {"initiator", "responder"};
    json_dumper_set_member_name(d, "vendor_ids");
    json_dumper_begin_object(d);
    for (int side = 0; side < 2; side++) {
        json_dumper_set_member_name(d, side_name[side]);
        json_dumper_begin_array(d);
        for (uint32_t bit = 1; bit; bit <<= 1) {
            const char *nm = (ike_sa_vendor(t, sa, side) & bit) ? ike_vendor_name(bit) : NULL;
            if (nm)
                json_dumper_value_string(d, nm);
        }
        json_dumper_end_array(d);
    }
    json_dumper_end_object(d);
    json_dumper_set_member_name(d, "implementation");
    json_dumper_begin_object(d);
    for (int side = 0; side < 2; side++)
        m_str(d, side_name[side], ike_vendor_implementation(ike_sa_vendor(t, sa, side)));
    json_dumper_end_object(d);
}

static void verdict_part(json_dumper *d, const ike_tracker *t, const ike_sa *sa, const ike_verdict *vd,
                         const ike_verdict_words *w, bool v2)
{
    const ike_cause_text *ct = v2 ? ike2_cause_text_for(vd ? vd->cause : CAUSE_UNKNOWN)
                                  : ike_cause_text_for(vd ? vd->cause : CAUSE_UNKNOWN);
    m_str(d, "cause", ct->code);
    m_bool(d, "failed", vd && vd->failed);
    m_str(d, "summary", ct->summary);
    m_str(d, "evidence", w->evidence ? w->evidence : "");
    json_dumper_set_member_name(d, "evidence_frames");
    json_dumper_begin_array(d);
    for (unsigned k = 0; vd && k < vd->stuck_copies && k < IKE_EVIDENCE_FRAMES; k++)
        json_dumper_value_anyf(d, "%u", vd->stuck_frames[k]);
    json_dumper_end_array(d);
    json_dumper_set_member_name(d, "notify");
    if (vd && vd->notify_frame) {
        json_dumper_begin_object(d);
        m_uint(d, "frame", vd->notify_frame);
        if (vd->notify_encrypted) {
            m_str(d, "type", NULL);
            m_str(d, "name", NULL);
        } else {
            m_uint(d, "type", vd->notify);
            m_str(d, "name", v2 ? ike2_notify_name(vd->notify) : ike_notify_name(vd->notify));
        }
        m_bool(d, "encrypted", vd->notify_encrypted);
        json_dumper_end_object(d);
    } else {
        json_dumper_value_anyf(d, "null");
    }
    m_str(d, "explanation", w->text ? w->text : "");
    m_uint(d, "stop_frame", vd ? vd->stop_frame : 0);
    m_uint(d, "first_frame", ike_sa_first_frame(t, sa));
    m_uint(d, "last_frame", ike_sa_last_frame(t, sa));
    json_dumper_set_member_name(d, "duration");
    json_dumper_value_anyf(d, "%.6f", ike_sa_last_time(t, sa) - ike_sa_first_time(t, sa));
    m_uint(d, "packets", sa->n_packets);
    m_uint(d, "retransmissions", sa->n_retrans);
}

/* One SA as one JSON object, into out (cleared first). */
static void one_sa(GString *out, const ike_tracker *t, const ike_verdicts *v, uint32_t i)
{
    const ike_sa *sa = ike_tracker_sa(t, i);
    const ike_verdict *vd = ike_verdict_for_sa(v, i);
    bool v2 = (sa->flags & SA_IKEV2) != 0;
    char ia[64], ra[64], chosen[96] = "";
    ike_sa_endpoint_format(t, sa, ROLE_I, ia, sizeof ia);
    ike_sa_endpoint_format(t, sa, ROLE_R, ra, sizeof ra);
    bool have_chosen = ike_sa_proposal_text(t, sa, chosen, sizeof chosen);
    ike_verdict_words w = {0};
    if (vd)
        ike_verdict_words_for(t, v, i, &w);

    g_string_truncate(out, 0);
    json_dumper d = {.output_string = out};
    json_dumper_begin_object(&d);
    m_uint(&d, "sa", i);
    m_uint(&d, "version", v2 ? 2 : 1);
    m_hex(&d, "icookie", sa->icookie, 8);
    m_hex(&d, "rcookie", sa->rcookie, 8);
    m_str(&d, "initiator", ia);
    m_str(&d, "responder", ra);
    m_str(&d, "mode", v2 ? "ikev2" : sa->mode == IKE_EXCH_MAIN ? "main"
                     : sa->mode == IKE_EXCH_AGGRESSIVE ? "aggressive" : "unknown");
    m_uint(&d, "attempt", sa->attempt);
    m_uint_or_null(&d, "prev_sa", sa->prev_attempt);
    m_str(&d, "proposal", have_chosen && *chosen ? chosen : NULL);
    const ike_sa *old_sa = sa->rekey_of ? ike_tracker_sa(t, sa->rekey_of) : NULL;
    if (v2) {
        m_state_v2(&d, "initiator_state", vd ? vd->final_state[ROLE_I] : sa->state[ROLE_I]);
        m_state_v2(&d, "responder_state", vd ? vd->final_state[ROLE_R] : sa->state[ROLE_R]);
        m_bool(&d, "established", (sa->flags & SA_P1_COMPLETE) != 0);
    } else {
        m_state_v1(&d, "initiator_state", sa->state[ROLE_I]);
        m_state_v1(&d, "responder_state", sa->state[ROLE_R]);
    }
    json_dumper_set_member_name(&d, "rekey_of");
    if (old_sa) {
        json_dumper_begin_object(&d);
        m_uint(&d, "sa", old_sa->index);
        m_hex(&d, v2 ? "ispi" : "icookie", old_sa->icookie, 8);
        json_dumper_end_object(&d);
    } else {
        json_dumper_value_anyf(&d, "null");
    }
    m_uint_or_null(&d, "rekeyed_by", sa->rekeyed_by);
    m_uint(&d, "child_rekeys", ike_sa_child_rekeys(t, sa, NULL));
    if (v2) {
        m_uint(&d, "ike_sa_init_tries", vd ? vd->v2_init_tries : 0);
        m_uint(&d, "ike_auth_rounds", vd ? vd->v2_auth_rounds : 0);
        child_sas(&d, t, sa);
    }
    m_bool(&d, "phase1_complete", (sa->flags & SA_P1_COMPLETE) != 0);
    quick_modes(&d, t, v, sa);
    m_str(&d, "deleted_by", sa->deleted_by == 1 ? "initiator" : sa->deleted_by == 2 ? "responder" : NULL);
    m_str(&d, "nat", !(sa->flags & SA_NAT_CHECKED) ? NULL
                     : (sa->flags & SA_NAT_I) && (sa->flags & SA_NAT_R) ? "both"
                     : (sa->flags & SA_NAT_I) ? "initiator"
                     : (sa->flags & SA_NAT_R) ? "responder" : "none");
    m_uint_or_null(&d, "float_frame", (sa->flags & SA_FLOATED) ? ike_sa_float_frame(t, sa) : 0);
    m_bool(&d, "start_not_seen", (sa->flags & SA_START_NOT_SEEN) != 0);
    weak_and_vendors(&d, t, sa, v2);
    verdict_part(&d, t, sa, vd, &w, v2);
    json_dumper_end_object(&d);
    json_dumper_finish(&d);
    ike_verdict_words_free(&w);
}

void isk_json_report(FILE *fp, const ike_tracker *t, const ike_verdicts *v, isk_json_filter keep, void *ud)
{
    GString *head = g_string_new(NULL);
    json_dumper d = {.output_string = head};
    /* The head: {"isakmpstate": VERSION, "schema": 1, "sas": [ ... */
    json_dumper_begin_object(&d);
    m_str(&d, "isakmpstate", ISAKMPSTATE_VERSION);
    m_uint(&d, "schema", 1);
    json_dumper_set_member_name(&d, "sas");
    json_dumper_begin_array(&d);
    json_dumper_end_array(&d);
    json_dumper_end_object(&d);
    json_dumper_finish(&d);
    /* ... without the closing "]}" (and newline) the dumper wrote. */
    const char *close = strstr(head->str, "[]}");
    if (close)
        g_string_truncate(head, (gsize)(close - head->str) + 1);
    fputs(head->str, fp);

    GString *one = g_string_new(NULL);
    uint32_t n = t ? ike_tracker_sa_count(t) : 0;
    bool first = true;
    for (uint32_t i = 1; i <= n; i++) {
        if (keep && !keep(i, ud))
            continue;
        one_sa(one, t, v, i);
        /* json_dumper ends a document with a newline */
        while (one->len && one->str[one->len - 1] == '\n')
            g_string_truncate(one, one->len - 1);
        fprintf(fp, "%s\n  %s", first ? "" : ",", one->str);
        first = false;
    }
    fputs("\n]}\n", fp);
    g_string_free(one, TRUE);
    g_string_free(head, TRUE);
}
