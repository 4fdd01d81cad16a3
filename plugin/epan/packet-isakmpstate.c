/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * packet-isakmpstate.c - the Wireshark glue of isakmpstate.
 *
 * A post-dissector. On the first pass it turns each ISAKMP message into an
 * ike_event and feeds the tracker (plain C, ike_tracker.c); on every pass
 * (tshark -2, GUI redissection) it builds the tree, the Info column and the
 * fields from the record stored for the frame. Wireshark hands a post-
 * dissector its wanted fields on the first pass only, and the decrypted
 * payloads of a retransmission are garbage, so nothing is recomputed later.
 */
#include "config_isakmpstate.h"

#include <string.h>

#include "ws_compat.h"

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/tap.h>

#include "capture_session.h"
#include "ike_event.h"
#include "ike_fields.h"
#include "ike_stats.h"

void proto_register_isakmpstate(void);
void proto_reg_handoff_isakmpstate(void);

static int proto_isakmpstate = -1;
static int proto_isakmp = -1;
static int proto_icmp = -1, proto_icmpv6 = -1;
static int proto_ws_expert = -1; /* "_ws.expert" */
static int expert_tap_id = -1;
static dissector_handle_t isakmpstate_handle;
static int isakmpstate_tap = -1;

/* The candidate aggressive-mode PSKs file the user names (a preference);
 * read at the start of each capture into the session, never shown. */
static const char *pref_psk_file = "";

static void isakmpstate_init(void)
{
    /* Looked up here, not at hand-off: the expert protocol and its tap are
     * registered after the plugins' hand-off routines have run. */
    proto_ws_expert = proto_get_id_by_filter_name("_ws.expert");
    expert_tap_id = find_tap_id("expert");
    isk_capture_open(pref_psk_file);
}

static void isakmpstate_cleanup(void) { isk_capture_close(); }

/* ---- building an event from the frame --------------------------------- */

/* Is the message quoted inside an ICMP error? By protocol id: the by-name
 * proto_is_frame_protocol() compared strings for every layer of every
 * packet (1 % of tshark's instructions on an ISAKMP-only capture). */
static bool frame_has_icmp(packet_info *pinfo)
{
    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f; f = wmem_list_frame_next(f)) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(f));
        if (id == proto_icmp || id == proto_icmpv6)
            return true;
    }
    return false;
}

static bool fill_endpoint(const address *a, guint32 port, ike_endpoint *e)
{
    memset(e, 0, sizeof *e);
    e->port = (uint16_t)port;
    if (a->type == AT_IPv4 && a->len == 4) {
        e->family = 4;
        memcpy(e->addr, a->data, 4);
        return true;
    }
    if (a->type == AT_IPv6 && a->len == 16) {
        e->family = 6;
        memcpy(e->addr, a->data, 16);
        return true;
    }
    return false;
}

/* The IPv4 identification of the datagram that carried the message. Read
 * from the bytes, not from the ip.id field: asking for that field makes
 * the IP dissector build its items on every packet, 11 % of tshark's own
 * work on an ISAKMP capture. The header is the IPv4 one that ends where
 * the UDP header starts (just before the message, or before its non-ESP
 * marker), checked by version and length, protocol 17, both addresses of
 * the packet and both ports; for a datagram reassembled from fragments, the
 * last fragment's header in the frame (same identification), checked the
 * same way. 0 when none is found (IPv6, tunnels, ICMP quotes): the message
 * is then never taken for a capture duplicate. */
static bool ipv4_header_at(tvbuff_t *t, gint ip, gint ihl, packet_info *pinfo)
{
    return tvb_captured_length_remaining(t, ip) >= ihl && ihl >= 20 &&
           ISK_TVB_GET_U8(t, ip) == (0x40 | (ihl / 4)) && ISK_TVB_GET_U8(t, ip + 9) == 17 &&
           tvb_memeql(t, ip + 12, (const guint8 *)pinfo->net_src.data, 4) == 0 &&
           tvb_memeql(t, ip + 16, (const guint8 *)pinfo->net_dst.data, 4) == 0;
}

static uint16_t ipv4_id(tvbuff_t *frame, packet_info *pinfo, const field_info *fi)
{
    if (pinfo->net_src.type != AT_IPv4 || pinfo->net_dst.type != AT_IPv4 || pinfo->ptype != PT_UDP)
        return 0;
    tvbuff_t *ds = fi->ds_tvb;
    for (gint marker = 0; marker <= 4; marker += 4) {
        gint udp = fi->start - marker - 8;
        if (udp < 0 || (marker && tvb_get_ntohl(ds, fi->start - 4) != 0))
            continue;
        if (tvb_get_ntohs(ds, udp) != pinfo->srcport || tvb_get_ntohs(ds, udp + 2) != pinfo->destport)
            continue;
        for (gint ihl = 20; ihl <= 60 && ihl <= udp; ihl += 4)
            if (ipv4_header_at(ds, udp - ihl, ihl, pinfo))
                return tvb_get_ntohs(ds, udp - ihl + 4);
        if (udp == 0 && ds != frame) {
            /* Reassembled: the frame holds the last fragment (offset != 0,
             * no more fragments) behind its link-layer header. */
            gint n = (gint)tvb_captured_length(frame);
            for (gint ip = 0; ip + 20 <= n && ip <= 128; ip++) {
                guint8 vhl = ISK_TVB_GET_U8(frame, ip);
                if ((vhl >> 4) != 4 || !ipv4_header_at(frame, ip, (vhl & 0x0f) * 4, pinfo))
                    continue;
                guint16 frag = tvb_get_ntohs(frame, ip + 6);
                if ((frag & 0x1fff) > 0 && !(frag & 0x2000))
                    return tvb_get_ntohs(frame, ip + 4);
            }
        }
        return 0;
    }
    return 0;
}

static void build_event(tvbuff_t *frame, packet_info *pinfo, field_info *fi, ike_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->frame = pinfo->num;
    ev->time = (double)pinfo->abs_ts.secs + pinfo->abs_ts.nsecs / 1e9;
    fill_endpoint(&pinfo->net_src, pinfo->srcport, &ev->src);
    fill_endpoint(&pinfo->net_dst, pinfo->destport, &ev->dst);
    ev->ip_id = ipv4_id(frame, pinfo, fi);
    ev->in_icmp = frame_has_icmp(pinfo);

    tvbuff_t *ds = fi->ds_tvb;
    gint avail = (gint)ISK_TVB_CAPTURED_LENGTH_REMAINING(ds, fi->start);
    gint len = fi->length;
    if (len < 0 || len > avail)
        len = avail > 0 ? avail : 0;
    ike_event_read(ev, len > 0 ? tvb_get_ptr(ds, fi->start, len) : NULL, (size_t)len);
    if (ike_event_wants_plaintext(ev)) {
        /* With the user's ikev1_decryption_table, Wireshark adds the
         * plaintext as a data source: read its payload chain ourselves. */
        tvbuff_t *dec = isk_data_source_tvb_by_name(pinfo, "Decrypted IKE");
        if (dec) {
            gint dlen = (gint)tvb_captured_length(dec);
            ike_event_use_plaintext(ev, dlen > 0 ? tvb_get_ptr(dec, 0, dlen) : NULL, (size_t)dlen);
        }
    }
}

/* ---- the post-dissector ------------------------------------------------- */

/* Does anybody look at this packet's isakmpstate items? The tree exists on
 * every pass (the wanted isakmp field makes tshark build one), but when it
 * is not shown and no filter, column, -e field or coloring rule names an
 * isakmpstate field, Wireshark throws the items away again (it fakes them).
 * Building them was half of the plugin's cost with tshark -q -z or plain
 * summary lines. The top item and the expert infos on it are still made
 * then: the Expert column, the file's highest severity and the Info column
 * stay as they are; when something wants the expert items themselves (the
 * expert tap, or a filter on _ws.expert), every item is built. */
static bool details_wanted(proto_tree *tree)
{
    if (!tree)
        return false;
    if (proto_field_is_referenced(tree, proto_isakmpstate))
        return true;
    if (proto_ws_expert >= 0 && proto_field_is_referenced(tree, proto_ws_expert))
        return true;
    return expert_tap_id >= 0 && have_tap_listener(expert_tap_id);
}

static int dissect_isakmpstate(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    ike_session *session = isk_capture();
    if (!session || proto_isakmp < 0)
        return 0;
    const ike_tracker *tracker = ike_session_tracker(session);

    /* The wanted fields exist on the first pass only: feed the tracker then.
     * Later passes read the stored records by frame number. */
    GPtrArray *arr = (!PINFO_FD_VISITED(pinfo) && tree) ? proto_get_finfo_ptr_array(tree, proto_isakmp) : NULL;
    ike_session_begin_frame(session, pinfo->num);
    if (arr && arr->len > 0) {
        ike_event evs[8];
        guint nev = arr->len < 8 ? arr->len : 8;
        for (guint i = 0; i < nev; i++)
            build_event(tvb, pinfo, (field_info *)g_ptr_array_index(arr, i), &evs[i]);
        for (guint i = 0; i < nev; i++) {
            if (!ike_event_is_reassembled_twin(evs, nev, i))
                ike_session_add(session, &evs[i]);
        }
    }

    unsigned n = 0;
    uint32_t first = ike_tracker_find_frame(tracker, pinfo->num, &n);
    if (!first)
        return 0;
    const ike_verdicts *v = ike_session_verdicts_if_cheap(session, pinfo->num);
    bool items = details_wanted(tree);
    /* The expert texts are read by whoever reads the items, and by the
     * expert tap even when there is no tree (tshark -2 -z expert, the GUI's
     * Expert Information dialog, which retap without one). */
    bool texts = items || (expert_tap_id >= 0 && have_tap_listener(expert_tap_id));
    for (unsigned i = 0; i < n; i++) {
        const ike_record *rec = ike_tracker_record(tracker, first + i);
        int sev = ike_fields_add(tvb, pinfo, tree, items, texts, proto_isakmpstate, tracker, v, rec);
        /* With a tree, the Expert column ends on the highest severity raised
         * on the record's item (each expert info writes it unless its item
         * already has a higher one). Without a tree (the second pass of -2,
         * the GUI's packet list) there is no item and each one overwrites
         * the column: write the highest again, as with a tree. */
        if (!tree && sev > 0)
            col_add_str(pinfo->cinfo, COL_EXPERT, val_to_str_const((guint32)sev, expert_severity_vals, "Unknown"));
        if (have_tap_listener(isakmpstate_tap))
            tap_queue_packet(isakmpstate_tap, pinfo, rec);
    }
    return tvb_captured_length(tvb);
}

/* ---- registration ------------------------------------------------------- */

void proto_register_isakmpstate(void)
{
    proto_isakmpstate = proto_register_protocol("ISAKMP negotiation state",
                                                "ISAKMPSTATE", "isakmpstate");
    ike_fields_register(proto_isakmpstate);
    module_t *m = prefs_register_protocol(proto_isakmpstate, NULL);
    prefs_register_filename_preference(m, "psk_candidates_file", "Candidate pre-shared keys file",
        "A file with one candidate pre-shared key per line (0x... for hex). For each aggressive-mode "
        "exchange, isakmpstate tells which candidate the responder's HASH_R was made with, by its "
        "line number; the keys themselves are never shown.",
        &pref_psk_file, FALSE);
    register_init_routine(isakmpstate_init);
    register_cleanup_routine(isakmpstate_cleanup);
    isakmpstate_handle = create_dissector_handle(dissect_isakmpstate, proto_isakmpstate);
    register_postdissector(isakmpstate_handle);
    isakmpstate_tap = register_tap("isakmpstate");
    isakmpstate_stats_register();
}

void proto_reg_handoff_isakmpstate(void)
{
    proto_isakmp = proto_get_id_by_filter_name("isakmp");
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    if (proto_isakmp >= 0)
        g_array_append_val(wanted, proto_isakmp);
    set_postdissector_wanted_hfids(isakmpstate_handle, wanted);
}
