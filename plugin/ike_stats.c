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

static void sa_table_finish(void *tapdata)
{
    sa_table *st = (sa_table *)tapdata;
    g_hash_table_destroy(st->selected);
    g_free(st);
}

static void sa_table_init(const char *opt_arg, void *userdata _U_)
{
    const char *prefix = "isakmpstate,sa";
    const char *filter = NULL;
    if (strncmp(opt_arg, prefix, strlen(prefix)) == 0 && opt_arg[strlen(prefix)] == ',')
        filter = opt_arg + strlen(prefix) + 1;
    sa_table *st = g_new0(sa_table, 1);
    st->filtered = filter && *filter;
    st->selected = g_hash_table_new(g_direct_hash, g_direct_equal);
    GString *err = register_tap_listener("isakmpstate", st, st->filtered ? filter : NULL, TL_REQUIRES_NOTHING,
                                         NULL, sa_table_packet, sa_table_draw, sa_table_finish);
    if (err) {
        fprintf(stderr, "tshark: isakmpstate,sa: %s\n", err->str);
        g_string_free(err, TRUE);
        sa_table_finish(st);
    }
}

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
}
