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
#include <wsutil/report_message.h>

#include "ike_fields.h"
#include "ike_tracker.h"
#include "ike_verdict.h"
#include "ike_wire.h"

void proto_register_isakmpstate(void);
void proto_reg_handoff_isakmpstate(void);

static int proto_isakmpstate = -1;
static int proto_isakmp = -1;
static int proto_icmp = -1, proto_icmpv6 = -1;
static int proto_ws_expert = -1; /* "_ws.expert" */
static int expert_tap_id = -1;
static dissector_handle_t isakmpstate_handle;
static int isakmpstate_tap = -1;

/* File-scope state: rebuilt for each capture file. */
static ike_tracker *tracker;
static ike_verdicts *verdicts; /* computed when the first pass ends */

/* Candidate aggressive-mode PSKs: a file the user names, one key per line
 * ("0x" followed by hex for a binary key). Read at the start of each
 * capture, never shown, logged or written anywhere. */
static const char *pref_psk_file = "";
static GPtrArray *psk_keys;
static GArray *psk_lens;
static ike_psk_candidates psk_set;

static void psks_free(void)
{
    if (psk_keys) {
        for (guint i = 0; i < psk_keys->len; i++) {
            guint8 *k = (guint8 *)g_ptr_array_index(psk_keys, i);
            memset(k, 0, g_array_index(psk_lens, size_t, i));
            g_free(k);
        }
        g_ptr_array_free(psk_keys, TRUE);
        g_array_free(psk_lens, TRUE);
    }
    psk_keys = NULL;
    psk_lens = NULL;
    memset(&psk_set, 0, sizeof psk_set);
}

static void psks_load(void)
{
    psks_free();
    if (!pref_psk_file || !*pref_psk_file)
        return;
    gchar *text = NULL;
    gsize size = 0;
    GError *err = NULL;
    if (!g_file_get_contents(pref_psk_file, &text, &size, &err)) {
        /* Said once per file name, not on every reload of a capture: the
         * user set a file that cannot be read, so no candidate is tested. */
        static gchar *reported;
        if (g_strcmp0(reported, pref_psk_file) != 0) {
            report_failure("isakmpstate: the PSK candidates file \"%s\" cannot be read (%s); "
                           "no aggressive-mode key is tested.",
                           pref_psk_file, err ? err->message : "unknown error");
            g_free(reported);
            reported = g_strdup(pref_psk_file);
        }
        if (err)
            g_error_free(err);
        return;
    }
    psk_keys = g_ptr_array_new();
    psk_lens = g_array_new(FALSE, FALSE, (guint)sizeof(size_t));
    gchar **lines = g_strsplit(text, "\n", -1);
    for (gchar **l = lines; *l; l++) {
        gchar *line = *l;
        size_t n = strlen(line);
        if (n && line[n - 1] == '\r')
            line[--n] = '\0';
        if (n == 0 && l[1] == NULL)
            break; /* the newline that ends the file */
        /* A blank line stays an (empty, never matching) candidate, so that
         * a candidate's index is its line number. */
        guint8 *key;
        size_t klen;
        if (n > 2 && line[0] == '0' && (line[1] == 'x' || line[1] == 'X') && (n - 2) % 2 == 0) {
            klen = (n - 2) / 2;
            key = (guint8 *)g_malloc(klen);
            bool ok = true;
            for (size_t i = 0; i < klen && ok; i++) {
                int hi = g_ascii_xdigit_value(line[2 + 2 * i]), lo = g_ascii_xdigit_value(line[3 + 2 * i]);
                ok = hi >= 0 && lo >= 0;
                /* Not a hex digit: -1; the line is then taken as text. */
                if (ok)
                    key[i] = (guint8)((unsigned)hi << 4 | (unsigned)lo);
            }
            if (!ok) {
                g_free(key);
                key = (guint8 *)g_memdup2(line, (guint)n);
                klen = n;
            }
        } else {
            key = (guint8 *)g_memdup2(line, (guint)(n ? n : 1));
            klen = n;
        }
        g_ptr_array_add(psk_keys, key);
        g_array_append_val(psk_lens, klen);
        memset(line, 0, n);
    }
    g_strfreev(lines);
    memset(text, 0, size);
    g_free(text);
    psk_set.n = psk_keys->len;
    psk_set.key = (const uint8_t *const *)psk_keys->pdata;
    psk_set.len = (const size_t *)(void *)psk_lens->data;
}

static void isakmpstate_init(void)
{
    /* Looked up here, not at hand-off: the expert protocol and its tap are
     * registered after the plugins' hand-off routines have run. */
    proto_ws_expert = proto_get_id_by_filter_name("_ws.expert");
    expert_tap_id = find_tap_id("expert");
    tracker = ike_tracker_new();
    verdicts = NULL;
    psks_load();
    if (tracker && psk_set.n)
        ike_tracker_set_psks(tracker, &psk_set);
}

static void isakmpstate_cleanup(void)
{
    ike_verdicts_free(verdicts);
    verdicts = NULL;
    ike_tracker_free(tracker);
    tracker = NULL;
    psks_free();
}

int isakmpstate_tap_id(void) { return isakmpstate_tap; }
const ike_tracker *isakmpstate_tracker(void) { return tracker; }

/* Verdicts are computed from the whole tracker and cached for as long as
 * the tracker does not change (it changes only on a first pass). */
static uint32_t verdicts_records;

const ike_verdicts *isakmpstate_verdicts(void)
{
    if (!tracker)
        return NULL;
    if (verdicts && verdicts_records == ike_tracker_record_count(tracker))
        return verdicts;
    ike_verdicts_free(verdicts);
    verdicts = ike_verdicts_compute(tracker);
    verdicts_records = ike_tracker_record_count(tracker);
    return verdicts;
}

/* The frame whose dissection fed the tracker just now, 0 if the current
 * dissection fed nothing (a later pass). Taps run right after the dissection
 * of their frame, so they can ask too. */
static uint32_t fed_frame;

const ike_verdicts *isakmpstate_verdicts_if_cheap(uint32_t frame)
{
    /* While the tracker is being fed (a first pass), recomputing for every
     * packet would cost quadratic time; afterwards one computation serves the
     * whole pass. */
    if (!tracker || frame == fed_frame)
        return NULL;
    return isakmpstate_verdicts();
}

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
    const guint8 *bytes = len > 0 ? tvb_get_ptr(ds, fi->start, len) : NULL;
    ev->wire_len = (uint32_t)len;
    ev->have_header = ike_wire_parse_message(bytes, (size_t)len, &ev->hdr, &ev->pl);
    ev->digest = ike_wire_digest(bytes, (size_t)len);
    ev->readable = ev->have_header && !(ev->hdr.flags & IKE_FLAG_ENCRYPTED);
    if (ev->have_header) {
        size_t end = ev->hdr.length < (uint32_t)len ? ev->hdr.length : (size_t)len;
        ev->pl_buf = bytes + IKE_HDR_LEN;
        ev->pl_len = end > IKE_HDR_LEN ? end - IKE_HDR_LEN : 0;
    }
    if (ev->have_header && (ev->hdr.flags & IKE_FLAG_ENCRYPTED) &&
        ev->hdr.next_payload == IKE_PL_FRAGMENT)
        ev->readable = true; /* the fragment header itself is clear */

    if (ev->have_header && (ev->hdr.flags & IKE_FLAG_ENCRYPTED) && (ev->hdr.version >> 4) == 1) {
        /* With the user's ikev1_decryption_table, Wireshark adds the
         * plaintext as a data source: read its payload chain ourselves. */
        tvbuff_t *dec = isk_data_source_tvb_by_name(pinfo, "Decrypted IKE");
        if (dec) {
            gint dlen = (gint)tvb_captured_length(dec);
            const guint8 *d = dlen > 0 ? tvb_get_ptr(dec, 0, dlen) : NULL;
            ike_payloads pl;
            ike_wire_parse_payloads(d, (size_t)dlen, ev->hdr.next_payload, &pl);
            if (pl.malformed == IKE_MALFORMED_NONE && !(pl.mask & IKE_PMASK_UNKNOWN) &&
                pl.n_payloads > 0) {
                ev->pl = pl;
                ev->pl_buf = d;
                ev->pl_len = (size_t)dlen;
                ev->readable = true;
                ev->decrypted = true;
            } else {
                /* Wrong key, or a retransmission decrypted with the IV of
                 * the next message: garbage that must not be believed. */
                ev->decrypt_failed = true;
            }
        }
    }
}

/* Wireshark reassembles IKEv1 fragments (the Fragment payload of the
 * Cisco/RFC draft) and dissects the whole message again in the last
 * fragment's frame. That second ISAKMP layer is the same message as the
 * fragments: feeding it would make a second record (one packet too many,
 * a false out-of-sequence). It is the non-fragment message, with the same
 * cookies and message ID, beside a last fragment in the same frame. */
static bool reassembled_twin(const ike_event *evs, guint n, guint i)
{
    const ike_event *e = &evs[i];
    if (!e->have_header || e->pl.frag_num != 0)
        return false;
    for (guint j = 0; j < n; j++) {
        const ike_event *f = &evs[j];
        if (j != i && f->have_header && f->pl.frag_num != 0 && f->pl.frag_last &&
            memcmp(f->hdr.icookie, e->hdr.icookie, 8) == 0 &&
            memcmp(f->hdr.rcookie, e->hdr.rcookie, 8) == 0 && f->hdr.msgid == e->hdr.msgid)
            return true;
    }
    return false;
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
    if (!tracker || proto_isakmp < 0)
        return 0;

    /* The wanted fields exist on the first pass only: feed the tracker then.
     * Later passes read the stored records by frame number. */
    GPtrArray *arr = (!PINFO_FD_VISITED(pinfo) && tree) ? proto_get_finfo_ptr_array(tree, proto_isakmp) : NULL;
    fed_frame = 0;
    if (arr && arr->len > 0) {
        fed_frame = pinfo->num;
        ike_event evs[8];
        guint nev = arr->len < 8 ? arr->len : 8;
        for (guint i = 0; i < nev; i++)
            build_event(tvb, pinfo, (field_info *)g_ptr_array_index(arr, i), &evs[i]);
        for (guint i = 0; i < nev; i++) {
            if (!reassembled_twin(evs, nev, i))
                ike_tracker_add(tracker, &evs[i]);
        }
    }

    unsigned n = 0;
    uint32_t first = ike_tracker_find_frame(tracker, pinfo->num, &n);
    if (!first)
        return 0;
    const ike_verdicts *v = isakmpstate_verdicts_if_cheap(pinfo->num);
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
