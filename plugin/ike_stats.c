/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_stats.c - `tshark -z isakmpstate,sa[,filter]`: one row per IKE SA.
 *
 * This is where single-pass tshark users read the verdicts: the table is
 * drawn after the last packet, when the tracker has seen everything. With a
 * display filter, only IKE SAs with at least one matching packet are shown.
 */
#include "config_isakmpstate.h"

#include <stdio.h>
#include <string.h>

#include "ws_compat.h"

#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "ike_explain.h"
#include "ike_fields.h"

typedef struct {
    bool     filtered;  /* a display filter was given */
    GHashTable *selected; /* SA numbers with a matching packet */
} sa_table;

static tap_packet_status sa_table_packet(void *tapdata, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                         const void *data, ISK_TAP_FLAGS_PARAM)
{
    sa_table *st = (sa_table *)tapdata;
    const ike_record *rec = (const ike_record *)data;
    if (st->filtered && rec && rec->sa)
        g_hash_table_add(st->selected, GUINT_TO_POINTER(rec->sa));
    return TAP_PACKET_DONT_REDRAW;
}

static void print_state(char *buf, size_t len, uint8_t s)
{
    const ike_state_names_t *n = ike_state_names((ike_side_state)s);
    snprintf(buf, len, "%s/%s", n->asa, n->ios);
}

static void sa_table_draw(void *tapdata)
{
    sa_table *st = (sa_table *)tapdata;
    const ike_tracker *t = isakmpstate_tracker();
    const ike_verdicts *v = isakmpstate_verdicts();
    printf("\n================================================================================\n");
    printf("ISAKMP negotiations (isakmpstate %s): one row per IKE SA\n", ISAKMPSTATE_VERSION);
    printf("%-4s %-24s %-24s %-5s %-30s %-30s %-3s %-7s %-24s %-7s %-7s %-8s %s\n", "SA", "Initiator",
           "Responder", "Mode", "Initiator state (ASA/IOS)", "Responder state (ASA/IOS)", "P1",
           "QM ok/f", "Cause", "First", "Last", "Duration", "Retrans");
    uint32_t n = t ? ike_tracker_sa_count(t) : 0;
    uint32_t shown = 0, failed = 0;
    for (uint32_t i = 1; i <= n; i++) {
        if (st->filtered && !g_hash_table_contains(st->selected, GUINT_TO_POINTER(i)))
            continue;
        const ike_sa *sa = ike_tracker_sa(t, i);
        const ike_verdict *vd = ike_verdict_for_sa(v, i);
        char ia[64], ra[64], is[40], rs[40], qm[16];
        ike_endpoint_format(&sa->ep[ROLE_I], ia, sizeof ia);
        ike_endpoint_format(&sa->ep[ROLE_R], ra, sizeof ra);
        print_state(is, sizeof is, sa->state[ROLE_I]);
        print_state(rs, sizeof rs, sa->state[ROLE_R]);
        snprintf(qm, sizeof qm, "%u/%u", vd ? vd->qm_completed : 0, vd ? vd->qm_failed : 0);
        const char *mode = sa->mode == IKE_EXCH_MAIN ? "main" : sa->mode == IKE_EXCH_AGGRESSIVE ? "aggr" : "?";
        printf("%-4u %-24s %-24s %-5s %-30s %-30s %-3s %-7s %-24s %-7u %-7u %-8.3f %u\n", i, ia, ra, mode,
               is, rs, (sa->flags & SA_P1_COMPLETE) ? "yes" : "no", qm,
               vd ? ike_cause_code(vd->cause) : "?", sa->first_frame, sa->last_frame,
               sa->last_time - sa->first_time, sa->n_retrans);
        shown++;
        if (vd && vd->failed)
            failed++;
    }
    printf("%u IKE SA%s, %u failed\n", shown, shown == 1 ? "" : "s", failed);
    /* The verdict of each failed SA, in words. */
    for (uint32_t i = 1; i <= n; i++) {
        if (st->filtered && !g_hash_table_contains(st->selected, GUINT_TO_POINTER(i)))
            continue;
        const ike_verdict *vd = ike_verdict_for_sa(v, i);
        if (vd && vd->cause != CAUSE_OK && vd->text)
            printf("SA %u: %s\n", i, vd->text);
    }
    printf("================================================================================\n");
}

/* ---- -z isakmpstate,json: the same, for programs ----------------------- */

static void json_str(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static void json_state(const char *key, uint8_t s)
{
    const ike_state_names_t *n = ike_state_names((ike_side_state)s);
    printf("\"%s\": {\"asa\": ", key);
    json_str(n->asa);
    printf(", \"ios\": ");
    json_str(n->ios);
    printf(", \"libreswan\": ");
    json_str(n->libreswan);
    printf("}");
}

static void json_cookie(const char *key, const uint8_t c[8])
{
    printf("\"%s\": \"", key);
    for (int i = 0; i < 8; i++)
        printf("%02x", c[i]);
    printf("\"");
}

static void sa_json_draw(void *tapdata)
{
    sa_table *st = (sa_table *)tapdata;
    const ike_tracker *t = isakmpstate_tracker();
    const ike_verdicts *v = isakmpstate_verdicts();
    uint32_t n = t ? ike_tracker_sa_count(t) : 0;
    printf("{\"isakmpstate\": \"%s\", \"schema\": 1, \"sas\": [", ISAKMPSTATE_VERSION);
    bool first = true;
    for (uint32_t i = 1; i <= n; i++) {
        if (st->filtered && !g_hash_table_contains(st->selected, GUINT_TO_POINTER(i)))
            continue;
        const ike_sa *sa = ike_tracker_sa(t, i);
        const ike_verdict *vd = ike_verdict_for_sa(v, i);
        const ike_cause_text *ct = ike_cause_text_for(vd ? vd->cause : CAUSE_UNKNOWN);
        char ia[64], ra[64], chosen[96] = "";
        ike_endpoint_format(&sa->ep[ROLE_I], ia, sizeof ia);
        ike_endpoint_format(&sa->ep[ROLE_R], ra, sizeof ra);
        if (sa->chosen.enc || sa->chosen.hash || sa->chosen.auth)
            ike_transform_format(&sa->chosen, chosen, sizeof chosen);
        printf("%s\n  {\"sa\": %u, ", first ? "" : ",", i);
        first = false;
        json_cookie("icookie", sa->icookie);
        printf(", ");
        json_cookie("rcookie", sa->rcookie);
        printf(", \"initiator\": ");
        json_str(ia);
        printf(", \"responder\": ");
        json_str(ra);
        printf(", \"mode\": \"%s\", \"attempt\": %u, \"prev_sa\": ",
               sa->mode == IKE_EXCH_MAIN ? "main" : sa->mode == IKE_EXCH_AGGRESSIVE ? "aggressive" : "unknown",
               sa->attempt);
        if (sa->prev_attempt)
            printf("%u", sa->prev_attempt);
        else
            printf("null");
        printf(", \"proposal\": ");
        if (*chosen)
            json_str(chosen);
        else
            printf("null");
        printf(", ");
        json_state("initiator_state", sa->state[ROLE_I]);
        printf(", ");
        json_state("responder_state", sa->state[ROLE_R]);
        printf(", \"phase1_complete\": %s, \"quick_modes\": [", (sa->flags & SA_P1_COMPLETE) ? "true" : "false");
        bool qfirst = true;
        for (uint32_t x = sa->exch_head; x;) {
            const ike_exchange *ex = ike_tracker_exchange(t, x);
            if (ex->kind == EX_QUICK) {
                printf("%s{\"msgid\": \"0x%08x\", \"initiated_by\": \"%s\", \"outcome\": \"%s\", \"frames\": [",
                       qfirst ? "" : ", ", ex->msgid, ex->initiator == ROLE_I ? "initiator" : "responder",
                       ike_qm_outcome_code(ike_verdict_qm_outcome(v, x)));
                for (int k = 0; k < 3 && ex->frames[k]; k++)
                    printf("%s%u", k ? ", " : "", ex->frames[k]);
                printf("]}");
                qfirst = false;
            }
            x = ex->next_in_sa;
        }
        printf("], \"deleted_by\": %s", sa->deleted_by == 1 ? "\"initiator\"" : sa->deleted_by == 2 ? "\"responder\"" : "null");
        printf(", \"nat\": ");
        if (sa->flags & SA_NAT_CHECKED)
            json_str((sa->flags & SA_NAT_I) && (sa->flags & SA_NAT_R) ? "both" : (sa->flags & SA_NAT_I) ? "initiator"
                     : (sa->flags & SA_NAT_R) ? "responder" : "none");
        else
            printf("null");
        printf(", \"float_frame\": ");
        if (sa->flags & SA_FLOATED)
            printf("%u", sa->float_frame);
        else
            printf("null");
        printf(", \"start_not_seen\": %s", (sa->flags & SA_START_NOT_SEEN) ? "true" : "false");
        printf(", \"cause\": ");
        json_str(ct->code);
        printf(", \"failed\": %s, \"summary\": ", vd && vd->failed ? "true" : "false");
        json_str(ct->summary);
        printf(", \"evidence\": ");
        json_str(vd ? vd->evidence : "");
        printf(", \"evidence_frames\": [");
        for (unsigned k = 0; vd && k < vd->stuck_copies && k < IKE_EVIDENCE_FRAMES; k++)
            printf("%s%u", k ? ", " : "", vd->stuck_frames[k]);
        printf("], \"notify\": ");
        if (vd && vd->notify_frame) {
            printf("{\"frame\": %u, \"type\": ", vd->notify_frame);
            if (vd->notify_encrypted)
                printf("null, \"name\": null, \"encrypted\": true}");
            else {
                printf("%u, \"name\": ", vd->notify);
                json_str(ike_notify_name(vd->notify));
                printf(", \"encrypted\": false}");
            }
        } else {
            printf("null");
        }
        printf(", \"explanation\": ");
        json_str(vd ? vd->text : "");
        printf(", \"stop_frame\": %u, \"first_frame\": %u, \"last_frame\": %u, \"duration\": %.6f, \"packets\": %u, \"retransmissions\": %u}",
               vd ? vd->stop_frame : 0, sa->first_frame, sa->last_frame, sa->last_time - sa->first_time,
               sa->n_packets, sa->n_retrans);
    }
    printf("\n]}\n");
}

static void sa_table_finish(void *tapdata)
{
    sa_table *st = (sa_table *)tapdata;
    g_hash_table_destroy(st->selected);
    g_free(st);
}

static void sa_tap_init(const char *opt_arg, const char *prefix, tap_draw_cb draw)
{
    const char *filter = NULL;
    if (strncmp(opt_arg, prefix, strlen(prefix)) == 0 && opt_arg[strlen(prefix)] == ',')
        filter = opt_arg + strlen(prefix) + 1;
    sa_table *st = g_new0(sa_table, 1);
    st->filtered = filter && *filter;
    st->selected = g_hash_table_new(g_direct_hash, g_direct_equal);
    GString *err = register_tap_listener("isakmpstate", st, st->filtered ? filter : NULL, TL_REQUIRES_NOTHING,
                                         NULL, sa_table_packet, draw, sa_table_finish);
    if (err) {
        fprintf(stderr, "tshark: %s: %s\n", prefix, err->str);
        g_string_free(err, TRUE);
        sa_table_finish(st);
    }
}

static void sa_table_init(const char *opt_arg, void *userdata _U_)
{
    sa_tap_init(opt_arg, "isakmpstate,sa", sa_table_draw);
}

static void sa_json_init(const char *opt_arg, void *userdata _U_)
{
    sa_tap_init(opt_arg, "isakmpstate,json", sa_json_draw);
}

static stat_tap_ui sa_json_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "ISAKMP negotiations as JSON (isakmpstate)",
    "isakmpstate,json",
    sa_json_init,
    0,
    NULL,
};

static stat_tap_ui sa_table_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "ISAKMP negotiations (isakmpstate)",
    "isakmpstate,sa",
    sa_table_init,
    0,
    NULL,
};

void isakmpstate_stats_register(void)
{
    register_stat_tap_ui(&sa_table_ui, NULL);
    register_stat_tap_ui(&sa_json_ui, NULL);
}
