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

#include "capture_session.h"
#include "ike2_states.h"
#include "ike_vendor.h"
#include "ike_weak.h"
#include "ike_explain.h"
#include "ike_json.h"
#include "ike_stats.h"
#include "ike_gui_actions.h"
#include "ike_comment_tap.h"

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

/* IKEv1: ASA/IOS; IKEv2: the Cisco debug state and strongSwan's. */
static void print_state(char *buf, size_t len, const ike_sa *sa, uint8_t s)
{
    if (sa->flags & SA_IKEV2) {
        const ike2_state_names_t *n = ike2_state_names((ike2_side_state)s);
        snprintf(buf, len, "%s/%s", n->cisco_sm, n->strongswan);
        return;
    }
    const ike_state_names_t *n = ike_state_names((ike_side_state)s);
    snprintf(buf, len, "%s/%s", n->asa, n->ios);
}

static void sa_table_draw(void *tapdata)
{
    sa_table *st = (sa_table *)tapdata;
    ike_session *session = isk_capture();
    const ike_tracker *t = ike_session_tracker(session);
    const ike_verdicts *v = ike_session_verdicts(session);
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
        ike_sa_endpoint_format(t, sa, ROLE_I, ia, sizeof ia);
        ike_sa_endpoint_format(t, sa, ROLE_R, ra, sizeof ra);
        print_state(is, sizeof is, sa, vd ? vd->final_state[ROLE_I] : sa->state[ROLE_I]);
        print_state(rs, sizeof rs, sa, vd ? vd->final_state[ROLE_R] : sa->state[ROLE_R]);
        bool v2 = (sa->flags & SA_IKEV2) != 0;
        /* IKEv2: CHILD_SAs accepted/refused in the QM column */
        snprintf(qm, sizeof qm, "%u/%u", vd ? (v2 ? vd->v2_children_ok : vd->qm_completed) : 0,
                 vd ? (v2 ? vd->v2_children_failed : vd->qm_failed) : 0);
        const char *mode = v2 ? "v2" : sa->mode == IKE_EXCH_MAIN ? "main" : sa->mode == IKE_EXCH_AGGRESSIVE ? "aggr" : "?";
        printf("%-4u %-24s %-24s %-5s %-30s %-30s %-3s %-7s %-24s %-7u %-7u %-8.3f %u\n", i, ia, ra, mode,
               is, rs, (sa->flags & SA_P1_COMPLETE) ? "yes" : "no", qm,
               vd ? ike_cause_code(vd->cause) : "?", ike_sa_first_frame(t, sa), ike_sa_last_frame(t, sa),
               ike_sa_last_time(t, sa) - ike_sa_first_time(t, sa), sa->n_retrans);
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
        ike_verdict_words w;
        if (vd && vd->cause != CAUSE_OK && ike_verdict_words_for(t, v, i, &w)) {
            printf("SA %u: %s\n", i, w.text);
            ike_verdict_words_free(&w);
        }
    }
    /* Whatever the verdict: implementations, proposal, weak crypto,
     * lifetime, DPD, rekeys. */
    bool head = false;
    for (uint32_t i = 1; i <= n; i++) {
        if (st->filtered && !g_hash_table_contains(st->selected, GUINT_TO_POINTER(i)))
            continue;
        char d[512];
        if (!ike_sa_details(t, ike_tracker_sa(t, i), d, sizeof d))
            continue;
        if (!head)
            printf("Per IKE SA: implementations (Vendor IDs), proposal, weak crypto, lifetime, DPD, rekeys\n");
        head = true;
        printf("SA %u: %s\n", i, d);
    }
    printf("================================================================================\n");
}

/* ---- -z isakmpstate,json: the same, for programs (ike_json.c) --------- */

static bool sa_selected(uint32_t sa, void *ud)
{
    const sa_table *st = (const sa_table *)ud;
    return !st->filtered || g_hash_table_contains(st->selected, GUINT_TO_POINTER(sa));
}

static void sa_json_draw(void *tapdata)
{
    ike_session *session = isk_capture();
    isk_json_report(stdout, ike_session_tracker(session), ike_session_verdicts(session), sa_selected, tapdata);
}

static void sa_table_finish(void *tapdata)
{
    sa_table *st = (sa_table *)tapdata;
    g_hash_table_destroy(st->selected);
    g_free(st);
}

static bool sa_tap_init(const char *opt_arg, const char *prefix, tap_draw_cb draw)
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
        return false;
    }
    return true;
}

/* -z init callbacks return whether the listener was registered from 4.6 on. */
static ISK_STAT_TAP_INIT_RET sa_table_init(const char *opt_arg, void *userdata _U_)
{
    bool ok = sa_tap_init(opt_arg, "isakmpstate,sa", sa_table_draw);
    ISK_STAT_TAP_INIT_RETURN(ok);
}

static ISK_STAT_TAP_INIT_RET sa_json_init(const char *opt_arg, void *userdata _U_)
{
    bool ok = sa_tap_init(opt_arg, "isakmpstate,json", sa_json_draw);
    ISK_STAT_TAP_INIT_RETURN(ok);
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

/* ---- Statistics > ISAKMP negotiations: the stat-tap table UI ------------ */

enum { COL_SA, COL_INIT, COL_RESP, COL_MODE, COL_PROPOSAL, COL_ISTATE, COL_RSTATE, COL_P1, COL_QM_OK, COL_QM_FAIL,
       COL_CAUSE, COL_FIRST, COL_LAST, COL_DURATION, COL_RETRANS, COL__COUNT };

static stat_tap_table_item table_fields[COL__COUNT] = {
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "IKE SA", "%u"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Initiator", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Responder", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Mode", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Proposal", "%s"},
    /* IKEv1 rows: ASA/IOS states, phase 1, quick modes; IKEv2 rows: Cisco
     * debug/strongSwan states, the IKE SA, CHILD_SAs. */
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Initiator state (ASA/IOS | v2: Cisco/strongSwan)", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Responder state (ASA/IOS | v2: Cisco/strongSwan)", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Phase 1 / IKE SA", "%s"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "QM / CHILD_SA ok", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "QM / CHILD_SA failed", "%u"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Cause", "%s"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "First frame", "%u"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Last frame", "%u"},
    {TABLE_ITEM_FLOAT, TAP_ALIGN_RIGHT, "Duration (s)", "%.3f"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Retransmissions", "%u"},
};

static void gui_table_init(stat_tap_table_ui *ui)
{
    /* Wireshark's table window offers no "Apply as Filter" for these tables
     * (Tools > isakmpstate does it for the selected packet's SA); the filter
     * string names the field to type: isakmpstate.sa == N. */
    stat_tap_table *table = stat_tap_init_table("ISAKMP negotiations", COL__COUNT, 0, "isakmpstate.sa");
    stat_tap_add_table(ui, table);
}

static void set_str(stat_tap_table *table, guint row, guint col, const char *v)
{
    stat_tap_table_item_type *it = stat_tap_get_field_data(table, row, col);
    g_free((char *)it->value.string_value);
    it->value.string_value = g_strdup(v ? v : "");
    stat_tap_set_field_data(table, row, col, it);
}

static void set_uint(stat_tap_table *table, guint row, guint col, guint v)
{
    stat_tap_table_item_type *it = stat_tap_get_field_data(table, row, col);
    it->value.uint_value = v;
    stat_tap_set_field_data(table, row, col, it);
}

static void fill_row(stat_tap_table *table, guint row, const ike_tracker *t, const ike_verdicts *v, uint32_t i)
{
    const ike_sa *sa = ike_tracker_sa(t, i);
    const ike_verdict *vd = ike_verdict_for_sa(v, i);
    char buf[96], a[64];
    set_uint(table, row, COL_SA, i);
    ike_sa_endpoint_format(t, sa, ROLE_I, a, sizeof a);
    set_str(table, row, COL_INIT, a);
    ike_sa_endpoint_format(t, sa, ROLE_R, a, sizeof a);
    set_str(table, row, COL_RESP, a);
    bool v2 = (sa->flags & SA_IKEV2) != 0;
    set_str(table, row, COL_MODE, v2 ? "IKEv2" : sa->mode == IKE_EXCH_MAIN ? "main" : sa->mode == IKE_EXCH_AGGRESSIVE ? "aggressive" : "unknown");
    ike_sa_proposal_text(t, sa, buf, sizeof buf);
    set_str(table, row, COL_PROPOSAL, buf);
    print_state(buf, sizeof buf, sa, vd ? vd->final_state[ROLE_I] : sa->state[ROLE_I]);
    set_str(table, row, COL_ISTATE, buf);
    print_state(buf, sizeof buf, sa, vd ? vd->final_state[ROLE_R] : sa->state[ROLE_R]);
    set_str(table, row, COL_RSTATE, buf);
    set_str(table, row, COL_P1, (sa->flags & SA_P1_COMPLETE) ? (v2 ? "established" : "complete") : "incomplete");
    /* IKEv2: CHILD_SAs accepted / refused in the quick-mode columns */
    set_uint(table, row, COL_QM_OK, vd ? (v2 ? vd->v2_children_ok : vd->qm_completed) : 0);
    set_uint(table, row, COL_QM_FAIL, vd ? (v2 ? vd->v2_children_failed : vd->qm_failed) : 0);
    set_str(table, row, COL_CAUSE, vd ? ike_cause_code(vd->cause) : "(two passes)");
    set_uint(table, row, COL_FIRST, ike_sa_first_frame(t, sa));
    set_uint(table, row, COL_LAST, ike_sa_last_frame(t, sa));
    stat_tap_table_item_type *it = stat_tap_get_field_data(table, row, COL_DURATION);
    it->value.float_value = ike_sa_last_time(t, sa) - ike_sa_first_time(t, sa);
    stat_tap_set_field_data(table, row, COL_DURATION, it);
    set_uint(table, row, COL_RETRANS, sa->n_retrans);
}

static tap_packet_status gui_table_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                                          const void *data, ISK_TAP_FLAGS_PARAM)
{
    stat_data_t *sd = (stat_data_t *)tapdata;
    const ike_record *rec = (const ike_record *)data;
    ike_session *session = isk_capture();
    const ike_tracker *t = ike_session_tracker(session);
    if (!rec || !rec->sa || !t)
        return TAP_PACKET_DONT_REDRAW;
    stat_tap_table *table = g_array_index(sd->stat_tap_data->tables, stat_tap_table *, 0);
    /* Rows are SAs in order: row k is SA k+1. Every row an SA below this
     * one needs exists already or is created now. */
    while (table->num_elements < rec->sa) {
        stat_tap_table_item_type items[COL__COUNT];
        memset(items, 0, sizeof items);
        for (int c = 0; c < COL__COUNT; c++)
            items[c].type = table_fields[c].type;
        stat_tap_init_table_row(table, table->num_elements, COL__COUNT, items);
    }
    /* Verdicts need the whole capture: the GUI retaps a file it has read;
     * during a first pass they would be redone for every packet, so that
     * pass leaves the verdict columns for later (see -z isakmpstate,sa). */
    fill_row(table, rec->sa - 1, t, ike_session_verdicts_if_cheap(session, pinfo->num), rec->sa);
    return TAP_PACKET_REDRAW;
}

static void gui_table_reset(stat_tap_table *table)
{
    for (guint r = 0; r < table->num_elements; r++)
        for (guint c = 0; c < table->num_fields; c++) {
            stat_tap_table_item_type *it = stat_tap_get_field_data(table, r, c);
            if (it->type == TABLE_ITEM_STRING) {
                g_free((char *)it->value.string_value);
                it->value.string_value = NULL;
            }
        }
    table->num_elements = 0;
}

static void gui_table_free_item(stat_tap_table *table _U_, guint row _U_, guint column _U_,
                                stat_tap_table_item_type *field_data)
{
    if (field_data->type == TABLE_ITEM_STRING) {
        g_free((char *)field_data->value.string_value);
        field_data->value.string_value = NULL;
    }
}

static tap_param gui_table_params[] = {{PARAM_FILTER, "filter", "Filter", NULL, TRUE}};

static stat_tap_table_ui gui_table_ui = {
    /* The Qt menus place no entry for the generic group: this one puts the
     * table under Statistics. */
    REGISTER_PACKET_STAT_GROUP_UNSORTED,
    "ISAKMP negotiations (isakmpstate)",
    "isakmpstate",
    "isakmpstate,table",
    gui_table_init,
    gui_table_packet,
    gui_table_reset,
    gui_table_free_item,
    NULL,
    COL__COUNT, table_fields,
    1, gui_table_params,
    NULL,
    0,
};

void isakmpstate_stats_register(void)
{
    register_stat_tap_table_ui(&gui_table_ui);
    register_stat_tap_ui(&sa_table_ui, NULL);
    register_stat_tap_ui(&sa_json_ui, NULL);
    isakmpstate_comment_tap_register();
    /* Tools > isakmpstate: the filter and go-to actions the table lacks. */
    isakmpstate_gui_actions_register();
}
