/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * packet-isakmpstate.c - the Wireshark glue of isakmpstate.
 *
 * A post-dissector. On the first pass it finds each ISAKMP message in the
 * frame's bytes, turns it into an ike_event (core/ike_event.c) and feeds
 * the capture's session (core/ike_session.c); on every pass (tshark -2, GUI
 * redissection) it builds the tree, the Info column and the fields from the
 * record stored for the frame. It asks Wireshark for no field: that would
 * make tshark build a protocol tree for every packet. The decrypted
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
    ike_fields_new_file();
}

static void isakmpstate_cleanup(void) { isk_capture_close(); }

/* ---- building an event from the frame --------------------------------- */

/* Did the ISAKMP dissector run on this packet, and inside an ICMP error?
 * From the layer list, by protocol id (comparing names for every layer of
 * every packet cost 1 % of tshark's instructions). */
static bool frame_has_isakmp(packet_info *pinfo, bool *in_icmp)
{
    bool isakmp = false;
    *in_icmp = false;
    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f; f = wmem_list_frame_next(f)) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(f));
        if (id == proto_icmp || id == proto_icmpv6)
            *in_icmp = true;
        else if (id == proto_isakmp)
            isakmp = true;
    }
    return isakmp;
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

/* ---- finding the message in the frame's bytes -------------------------

 * The ISAKMP dissector leaves no trace of where it found its message
 * except in the protocol tree, and asking for a tree field makes Wireshark
 * build a tree for every packet: half of what the plugin cost tshark. So
 * the message is found in the bytes, the way the packet got there: the UDP
 * datagram whose ports are the packet's, behind an IPv4 or IPv6 header
 * whose addresses are the packet's (in the frame, behind any link layer,
 * VLAN tags or outer tunnel headers), or at the start of the datagram
 * Wireshark reassembled from IP fragments. On UDP 4500 the message follows
 * the four-zero-byte non-ESP marker (RFC 3948). IKE over TCP (RFC 8229) is
 * not followed. */

#define ISK_SCAN_MAX 512 /* bytes of headers searched in front of the IP header */

typedef struct {
    tvbuff_t *tvb;
    gint      off, len;  /* the message */
    uint16_t  ip_id;     /* IPv4 identification, 0 for IPv6 or unknown */
} isk_where;

/* The checks below run on one contiguous copy-free view of the tvb (the
 * bytes tvb_get_ptr() returns), with every offset checked against its
 * length: the tvb accessors cost more than the rest of the search. */
typedef struct {
    const guint8 *b;
    gint          n;
} isk_span;

static guint16 be16(const guint8 *p) { return (guint16)(p[0] << 8 | p[1]); }

static bool addr_is(const isk_span *v, gint off, const address *a, gint alen)
{
    return a->len == alen && off + alen <= v->n && memcmp(v->b + off, a->data, (size_t)alen) == 0;
}

/* The UDP header at u carries the packet's ports; fill where the message
 * starts and how long it is (what is captured of the datagram). */
static bool udp_at(tvbuff_t *t, const isk_span *v, gint u, packet_info *pinfo, isk_where *w)
{
    gint rem = v->n - u;
    if (rem < 8 || be16(v->b + u) != pinfo->srcport || be16(v->b + u + 2) != pinfo->destport)
        return false;
    gint ulen = be16(v->b + u + 4);
    gint len = ulen >= 8 && ulen - 8 <= rem - 8 ? ulen - 8 : rem - 8;
    gint off = u + 8;
    if ((pinfo->srcport == 4500 || pinfo->destport == 4500) && len >= 4 &&
        !(v->b[off] | v->b[off + 1] | v->b[off + 2] | v->b[off + 3])) {
        off += 4;
        len -= 4;
    }
    w->tvb = t;
    w->off = off;
    w->len = len;
    return true;
}

/* An IPv4 header at ip, protocol UDP, not a later fragment (no UDP header
 * follows those), from and to the packet's addresses (any addresses when
 * loose: an ICMP error quoting a datagram). Its length, or 0. */
static gint ipv4_hdr_len(const isk_span *v, gint ip, packet_info *pinfo, bool loose)
{
    if (v->n - ip < 28)
        return 0;
    const guint8 *h = v->b + ip;
    gint ihl = (h[0] & 0x0f) * 4;
    if ((h[0] >> 4) != 4 || ihl < 20 || h[9] != 17 || (be16(h + 6) & 0x1fff) != 0 || v->n - ip < ihl + 8)
        return 0;
    if (!loose && (!addr_is(v, ip + 12, &pinfo->net_src, 4) || !addr_is(v, ip + 16, &pinfo->net_dst, 4)))
        return 0;
    return ihl;
}

static bool ipv6_udp_at(const isk_span *v, gint ip, packet_info *pinfo, bool loose)
{
    return v->n - ip >= 48 && (v->b[ip] >> 4) == 6 && v->b[ip + 6] == 17 &&
           (loose || (addr_is(v, ip + 8, &pinfo->net_src, 16) && addr_is(v, ip + 24, &pinfo->net_dst, 16)));
}

/* The IP header (of the packet's own addresses, UDP with its ports) at ip? */
static bool ip_udp_at(tvbuff_t *t, const isk_span *v, gint ip, packet_info *pinfo, bool loose, bool v4, bool v6,
                      isk_where *w)
{
    guint8 ver = v->b[ip] >> 4;
    if (ver == 4 && v4 && v->b[ip + 9] == 17) {
        gint ihl = ipv4_hdr_len(v, ip, pinfo, loose);
        if (ihl && udp_at(t, v, ip + ihl, pinfo, w)) {
            w->ip_id = be16(v->b + ip + 4);
            return true;
        }
    } else if (ver == 6 && v6 && ipv6_udp_at(v, ip, pinfo, loose) && udp_at(t, v, ip + 40, pinfo, w)) {
        w->ip_id = 0;
        return true;
    }
    return false;
}

static bool scan_frame(tvbuff_t *t, packet_info *pinfo, bool loose, isk_where *w)
{
    /* Where the last packet had its IP header is tried first: a capture
     * mostly has one link layer, and the byte-by-byte search was a tenth
     * of the plugin's own work in one pass. A header found there has the
     * packet's addresses and ports, as one found by the search would. */
    static gint hint = -1;
    gint n = (gint)tvb_captured_length(t);
    if (n < 28)
        return false;
    isk_span v = {tvb_get_ptr(t, 0, n), n};
    bool v4 = pinfo->net_src.type == AT_IPv4, v6 = pinfo->net_src.type == AT_IPv6;
    if (loose)
        v4 = v6 = true;
    else if (hint >= 0 && hint + 28 <= n && ip_udp_at(t, &v, hint, pinfo, false, v4, v6, w))
        return true;
    for (gint ip = 0; ip + 28 <= n && ip <= ISK_SCAN_MAX; ip++)
        if (ip_udp_at(t, &v, ip, pinfo, loose, v4, v6, w)) {
            if (!loose)
                hint = ip;
            return true;
        }
    return false;
}

/* For a reassembled IPv4 datagram: the identification of the last fragment,
 * the IPv4 header in the frame with a non-zero offset and no more fragments. */
static uint16_t last_fragment_id(tvbuff_t *frame, packet_info *pinfo)
{
    gint n = (gint)tvb_captured_length(frame);
    isk_span v = {n > 0 ? tvb_get_ptr(frame, 0, n) : NULL, n};
    for (gint ip = 0; ip + 20 <= n && ip <= ISK_SCAN_MAX; ip++) {
        const guint8 *h = v.b + ip;
        gint ihl = (h[0] & 0x0f) * 4;
        if ((h[0] >> 4) != 4 || ihl < 20 || n - ip < ihl || h[9] != 17 ||
            !addr_is(&v, ip + 12, &pinfo->net_src, 4) || !addr_is(&v, ip + 16, &pinfo->net_dst, 4))
            continue;
        guint16 frag = be16(h + 6);
        if ((frag & 0x1fff) > 0 && !(frag & 0x2000))
            return be16(h + 4);
    }
    return 0;
}

static bool locate_message(tvbuff_t *frame, packet_info *pinfo, bool in_icmp, isk_where *w)
{
    memset(w, 0, sizeof *w);
    if (pinfo->ptype != PT_UDP)
        return false;
    /* Most packets: the datagram is in the frame. A datagram reassembled
     * from IP fragments is not (the frame holds its last fragment, whose
     * header the scan skips): then it is the reassembled data source. */
    if (scan_frame(frame, pinfo, false, w))
        return true;
    static const char *const reassembled[] = {"Reassembled IPv4", "Reassembled IPv6"};
    for (unsigned i = 0; i < G_N_ELEMENTS(reassembled); i++) {
        tvbuff_t *r = isk_data_source_tvb_by_name(pinfo, reassembled[i]);
        gint rn = r ? (gint)tvb_captured_length(r) : 0;
        isk_span v = {rn > 0 ? tvb_get_ptr(r, 0, rn) : NULL, rn};
        if (rn >= 8 && udp_at(r, &v, 0, pinfo, w)) {
            w->ip_id = i == 0 ? last_fragment_id(frame, pinfo) : 0;
            return true;
        }
    }
    /* Quoted in an ICMP error: the packet's addresses may be the error's. */
    return in_icmp && scan_frame(frame, pinfo, true, w) && ((w->ip_id = 0), true);
}

static void build_event(packet_info *pinfo, const isk_where *w, bool in_icmp, ike_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->frame = pinfo->num;
    ev->time = (double)pinfo->abs_ts.secs + pinfo->abs_ts.nsecs / 1e9;
    fill_endpoint(&pinfo->net_src, pinfo->srcport, &ev->src);
    fill_endpoint(&pinfo->net_dst, pinfo->destport, &ev->dst);
    /* Quoted messages are evidence only, never capture duplicates. */
    ev->ip_id = in_icmp ? 0 : w->ip_id;
    ev->in_icmp = in_icmp;
    gint len = w->len > 0 ? w->len : 0;
    ike_event_read(ev, len > 0 ? tvb_get_ptr(w->tvb, w->off, len) : NULL, (size_t)len);
    if (ike_event_wants_plaintext(ev)) {
        /* With the user's ikev1_decryption_table (ikev2_decryption_table),
         * Wireshark adds the plaintext as a data source, "Decrypted IKE"
         * ("Decrypted Data"): read its payload chain ourselves. */
        tvbuff_t *dec = isk_data_source_tvb_by_name(pinfo, (ev->hdr.version >> 4) == 2 ? "Decrypted Data" : "Decrypted IKE");
        if (dec) {
            gint dlen = (gint)tvb_captured_length(dec);
            ike_event_use_plaintext(ev, dlen > 0 ? tvb_get_ptr(dec, 0, dlen) : NULL, (size_t)dlen);
        }
    }
    if (ev->have_header && ev->pl.skf_num > 1 && ev->pl.skf_num == ev->pl.skf_total) {
        /* The last IKEv2 fragment: with keys, Wireshark joins the
         * fragments' plaintexts into one data source. */
        tvbuff_t *r = isk_data_source_tvb_by_name(pinfo, "Reassembled IKE2 ISAKMP");
        gint rlen = r ? (gint)tvb_captured_length(r) : 0;
        if (rlen > 0) {
            ev->reasm_buf = tvb_get_ptr(r, 0, rlen);
            ev->reasm_len = (size_t)rlen;
        }
    }
}

/* ---- the post-dissector ------------------------------------------------- */

/* Does anybody look at this packet's isakmpstate items? tshark builds a
 * tree when something needs one (a filter, -V, -T fields, a tap with a
 * filter, coloring), not only to show it; when no filter, column, -e field
 * or coloring rule names an isakmpstate field, Wireshark throws the items
 * away again (it fakes them). The top item and the expert infos on it are
 * still made then: the Expert column, the file's highest severity and the
 * Info column stay as they are; when something wants the expert items
 * themselves (the expert tap, or a filter on _ws.expert), every item is
 * built. */
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
    /* The handle has no protocol (see the registration): what Wireshark
     * would do for one is done here. */
    protocol_t *self = find_protocol_by_id(proto_isakmpstate);
    if (!proto_is_protocol_enabled(self))
        return 0;
    pinfo->current_proto = proto_get_protocol_short_name(self);
    ike_session *session = isk_capture();
    if (!session || proto_isakmp < 0)
        return 0;
    const ike_tracker *tracker = ike_session_tracker(session);

    /* The first pass feeds the tracker; later passes read the stored
     * records by frame number (a retransmission's decrypted payloads are
     * garbage on a later pass, so nothing is recomputed). */
    ike_session_begin_frame(session, pinfo->num);
    bool in_icmp;
    isk_where w;
    const ike_record *fresh = NULL; /* the record just made, as stored */
    if (!PINFO_FD_VISITED(pinfo) && frame_has_isakmp(pinfo, &in_icmp) &&
        locate_message(tvb, pinfo, in_icmp, &w)) {
        ike_event ev;
        build_event(pinfo, &w, in_icmp, &ev);
        fresh = ike_session_add(session, &ev);
    }

    unsigned n = 0;
    /* On the first pass the frame's records were the last added. */
    uint32_t first = fresh && fresh->frame == pinfo->num ? ike_tracker_last_added(tracker, &n)
                                                         : ike_tracker_find_frame(tracker, pinfo->num, &n);
    if (!first)
        return 0;
    bool tapped = have_tap_listener(isakmpstate_tap);
    bool expert_tapped = expert_tap_id >= 0 && have_tap_listener(expert_tap_id);
    /* No tree, no columns, no tap: nobody reads anything this packet would
     * show (tshark -q -z io,stat, the first pass of -2). */
    bool items = details_wanted(tree);
    /* No shown or filtered item, no columns, no tap: nobody reads anything
     * this packet would show (tshark -q -z io,stat, whose tap makes a tree
     * that nobody shows; the first pass of -2). */
    if (!items && !pinfo->cinfo && !tapped && !expert_tapped)
        return tvb_captured_length(tvb);
    const ike_verdicts *v = ike_session_verdicts_if_cheap(session, pinfo->num);
    /* The expert texts are read by whoever reads the items, and by the
     * expert tap even when there is no tree (tshark -2 -z expert, the GUI's
     * Expert Information dialog, which retap without one). */
    bool texts = items || expert_tapped;
    for (unsigned i = 0; i < n; i++) {
        /* Records are stored packed; a tap reads its copy after the
         * dissection, hence the packet's pool. */
        ike_record here;
        ike_record *rec = tapped ? wmem_new(ISK_PACKET_SCOPE(pinfo), ike_record) : &here;
        /* On the first pass the frame's one record is the one just made:
         * not unpacked again. */
        if (fresh && n == 1 && fresh->frame == pinfo->num)
            *rec = *fresh;
        else
            ike_tracker_record(tracker, first + i, rec);
        int sev = ike_fields_add(tvb, pinfo, tree, items, texts, proto_isakmpstate, tracker, v, rec);
        /* With a tree, the Expert column ends on the highest severity raised
         * on the record's item (each expert info writes it unless its item
         * already has a higher one). Without a tree (the second pass of -2,
         * the GUI's packet list) there is no item and each one overwrites
         * the column: write the highest again, as with a tree. */
        if (!tree && sev > 0)
            col_add_str(pinfo->cinfo, COL_EXPERT, val_to_str_const((guint32)sev, expert_severity_vals, "Unknown"));
        if (tapped)
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
    /* A handle without a protocol: for one with its protocol, Wireshark
     * would record a new layer in every frame (a list entry and two map
     * operations, 0.9 % of tshark's instructions on an ISAKMP capture),
     * which a post-dissector that adds no layer of the packet does not
     * need. dissect_isakmpstate() honours Enabled Protocols and names
     * itself for the expert infos (pinfo->current_proto) instead; Wireshark
     * restores current_proto after the call. */
    isakmpstate_handle = create_dissector_handle(dissect_isakmpstate, -1);
    register_postdissector(isakmpstate_handle);
    isakmpstate_tap = register_tap("isakmpstate");
    isakmpstate_stats_register();
}

void proto_reg_handoff_isakmpstate(void)
{
    proto_isakmp = proto_get_id_by_filter_name("isakmp");
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
    /* No wanted field: the messages are read from the bytes (see
     * locate_message), so tshark builds no tree that nobody shows. */
}
