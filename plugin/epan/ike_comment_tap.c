/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_comment_tap.c - `tshark -2 -q -z isakmpstate,comments`: the packet
 * comments of an annotated capture (ike_comment.c), printed as the second
 * pass goes, for tools/isakmpstate-annotate. Without a protocol tree:
 * `-T fields` makes tshark build every packet's tree, which took half of
 * the annotator's time.
 *
 * Lines, tab-separated, comments escaped (\\ \t \n \r):
 *   C <frame> <frame length> <captured length> <comment>...   a frame's comments
 *   E <frames>                                                 the end, and how many frames were read
 *   ! <message>                                                why there are no comments
 */
#include "config_isakmpstate.h"

#include <stdio.h>
#include <string.h>

#include "ws_compat.h"

#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "capture_session.h"
#include "ike_comment.h"
#include "ike_comment_tap.h"

typedef struct {
    ike_comment_index *ix;
    bool      one_pass;    /* a record came in a first pass: no verdicts yet */
    uint32_t  frame;       /* the frame whose records are pending */
    unsigned  frame_len, cap_len;
    GArray   *recs;        /* its records (the tap's copies die with the packet) */
    ike_cbuf  text;
} comment_tap;

static void put_escaped(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        switch (c) {
        case '\\': fputs("\\\\", stdout); break;
        case '\t': fputs("\\t", stdout); break;
        case '\r': fputs("\\r", stdout); break;
        case '\n': fputs("\\n", stdout); break;
        default: putchar(c);
        }
    }
}

/* The pending frame's line: its lengths, then its comments (a frame of
 * records without one still has its line: the annotator counts the ISAKMP
 * frames and checks their lengths). */
static void flush_frame(comment_tap *ct)
{
    if (!ct->recs->len)
        return;
    ike_session *session = isk_capture();
    const ike_tracker *t = session ? ike_session_tracker(session) : NULL;
    const ike_verdicts *v = session ? ike_session_verdicts(session) : NULL;
    ct->text.len = 0;
    if (t && !ct->ix)
        ct->ix = ike_comment_index_new(t, v);
    if (t)
        ike_comment_frame(t, v, ct->ix, ct->frame, (const ike_record *)(void *)ct->recs->data, ct->recs->len,
                          &ct->text);
    g_array_set_size(ct->recs, 0);
    printf("C\t%u\t%u\t%u", ct->frame, ct->frame_len, ct->cap_len);
    /* one comment per text line */
    const char *p = ct->text.s, *end = p ? p + ct->text.len : p;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        putchar('\t');
        put_escaped(p, l);
        p += l + 1;
    }
    putchar('\n');
}

static tap_packet_status comment_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                                        const void *data, ISK_TAP_FLAGS_PARAM)
{
    comment_tap *ct = (comment_tap *)tapdata;
    const ike_record *rec = (const ike_record *)data;
    if (!rec)
        return TAP_PACKET_DONT_REDRAW;
    /* The frame was fed to the tracker in this very dissection: a single
     * pass, whose verdicts are not known yet (the flag "visited" cannot
     * tell: Wireshark sets it before the taps run). */
    ike_session *session = isk_capture();
    if (ct->one_pass || !session || !ike_session_verdicts_if_cheap(session, pinfo->num)) {
        ct->one_pass = true;
        return TAP_PACKET_DONT_REDRAW;
    }
    if (ct->recs->len && ct->frame != pinfo->num)
        flush_frame(ct);
    ct->frame = pinfo->num;
    ct->frame_len = pinfo->fd->pkt_len;
    ct->cap_len = pinfo->fd->cap_len;
    g_array_append_val(ct->recs, *rec);
    /* The frame is complete once all its records came: print it now, so
     * that the reader can write it while tshark goes on. */
    unsigned n = 0;
    ike_tracker_find_frame(ike_session_tracker(session), pinfo->num, &n);
    if (ct->recs->len >= n)
        flush_frame(ct);
    return TAP_PACKET_DONT_REDRAW;
}

static void comment_draw(void *tapdata)
{
    comment_tap *ct = (comment_tap *)tapdata;
    flush_frame(ct);
    if (ct->one_pass) {
        printf("!\tisakmpstate,comments needs two passes (tshark -2): the verdicts are known only once the "
               "whole capture is read\n");
        return;
    }
    ike_session *session = isk_capture();
    printf("E\t%u\n", session ? ike_session_max_frame(session) : 0);
    fflush(stdout);
}

static void comment_finish(void *tapdata)
{
    comment_tap *ct = (comment_tap *)tapdata;
    ike_comment_index_free(ct->ix);
    ike_cbuf_free(&ct->text);
    g_array_free(ct->recs, TRUE);
    g_free(ct);
}

static ISK_STAT_TAP_INIT_RET comment_init(const char *opt_arg _U_, void *userdata _U_)
{
    comment_tap *ct = g_new0(comment_tap, 1);
    ct->recs = g_array_new(FALSE, FALSE, sizeof(ike_record));
    GString *err = register_tap_listener("isakmpstate", ct, NULL, TL_REQUIRES_NOTHING, NULL, comment_packet,
                                         comment_draw, comment_finish);
    if (err) {
        fprintf(stderr, "tshark: isakmpstate,comments: %s\n", err->str);
        g_string_free(err, TRUE);
        comment_finish(ct);
        ISK_STAT_TAP_INIT_RETURN(false);
    }
    ISK_STAT_TAP_INIT_RETURN(true);
}

static stat_tap_ui comment_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "ISAKMP packet comments for annotated captures (isakmpstate)",
    "isakmpstate,comments",
    comment_init,
    0,
    NULL,
};

void isakmpstate_comment_tap_register(void)
{
    register_stat_tap_ui(&comment_ui, NULL);
}
