/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * test_gui_pick.c - the targets of the Tools > isakmpstate actions
 * (plugin/epan/ike_gui_pick.c) on synthetic main-mode sequences: a packet's
 * SA, the SA's filter, its stop frame, the next failed SA with wrap-around.
 */
#include <stdio.h>
#include <string.h>

#include "ike_event.h"
#include "ike_gui_pick.h"
#include "ike_tracker.h"
#include "ike_verdict.h"
#include "ike_wire.h"

static int failures, checks;
#define CHECK(c, ...) do { checks++; if (!(c)) { failures++; printf("FAIL line %d: %s: ", __LINE__, #c); printf(__VA_ARGS__); printf("\n"); } } while (0)

static const uint8_t A[4] = {192, 0, 2, 1}, B[4] = {198, 51, 100, 2};
static uint32_t frame;

static void msg(ike_tracker *t, bool from_a, uint64_t ic, uint64_t rc, bool enc, uint32_t mask, double time)
{
    ike_event ev;
    memset(&ev, 0, sizeof ev);
    ev.frame = ++frame;
    ev.time = time;
    ev.src.family = ev.dst.family = 4;
    memcpy(ev.src.addr, from_a ? A : B, 4);
    memcpy(ev.dst.addr, from_a ? B : A, 4);
    ev.src.port = ev.dst.port = 500;
    ev.have_header = true;
    for (int i = 0; i < 8; i++) {
        ev.hdr.icookie[i] = (uint8_t)(ic >> (56 - 8 * i));
        ev.hdr.rcookie[i] = (uint8_t)(rc >> (56 - 8 * i));
    }
    ev.hdr.version = 0x10;
    ev.hdr.exch = 2; /* main mode */
    ev.hdr.flags = enc ? IKE_FLAG_ENCRYPTED : 0;
    ev.pl.xauth_status = -1;
    ev.pl.mask = mask;
    ev.readable = !enc;
    ev.digest = (uint64_t)ev.frame * 7919u + ic;
    CHECK(ike_tracker_add(t, &ev) != NULL, "record for frame %u", ev.frame);
}

int main(void)
{
    ike_tracker *t = ike_tracker_new();
    const uint32_t SA = IKE_PMASK(IKE_PL_SA);
    /* SA 1: MM1 only, then 30 s of silence (frame 1, failed: no-response).
     * SA 2: MM1, MM2 (frames 2-3), never continued after MM2 until the end
     * of the capture. SA 3: MM1 alone at frame 4 (interleaved), 40 s before
     * the end: failed, stopping at 4. */
    msg(t, true, 0x10, 0, false, SA, 0);
    msg(t, true, 0x20, 0, false, SA, 30);
    msg(t, false, 0x20, 0x21, false, SA, 30.1);
    msg(t, true, 0x30, 0, false, SA, 31);
    msg(t, false, 0x20, 0x21, false, SA, 75); /* a retransmitted MM2 of SA 2 */
    ike_verdicts *v = ike_verdicts_compute(t);

    CHECK(isk_gui_sa_of_frame(t, 1) == 1, "frame 1 -> SA %u", isk_gui_sa_of_frame(t, 1));
    CHECK(isk_gui_sa_of_frame(t, 3) == 2, "frame 3 -> SA %u", isk_gui_sa_of_frame(t, 3));
    CHECK(isk_gui_sa_of_frame(t, 4) == 3, "frame 4 -> SA %u", isk_gui_sa_of_frame(t, 4));
    CHECK(isk_gui_sa_of_frame(t, 99) == 0, "no such frame");
    CHECK(isk_gui_sa_of_frame(t, 0) == 0 && isk_gui_sa_of_frame(NULL, 1) == 0, "nothing selected / no file");

    char f[32];
    CHECK(isk_gui_sa_filter(3, f, sizeof f) && strcmp(f, "isakmpstate.sa == 3") == 0, "'%s'", f);
    CHECK(!isk_gui_sa_filter(0, f, sizeof f) && f[0] == '\0', "no SA, no filter");
    CHECK(!isk_gui_sa_filter(4000000000u, f, 12) && f[0] == '\0', "too small a buffer is refused, not cut");

    CHECK(isk_gui_stop_frame(v, 2) == 5, "SA 2 stops at its last message, got %u", isk_gui_stop_frame(v, 2));
    CHECK(isk_gui_stop_frame(v, 1) == 1, "SA 1 stops at frame 1, got %u", isk_gui_stop_frame(v, 1));
    CHECK(isk_gui_stop_frame(v, 9) == 0 && isk_gui_stop_frame(NULL, 1) == 0, "unknown SA");

    const ike_verdict *v1 = ike_verdict_for_sa(v, 1), *v3 = ike_verdict_for_sa(v, 3);
    CHECK(v1 && v1->failed && v3 && v3->failed, "SAs 1 and 3 failed (the fixture's premise)");
    uint32_t sa = 99;
    /* next after frame 1: SA 3 (stops at 4), whatever SA 2 does */
    uint32_t nf = isk_gui_next_failed(t, v, 1, &sa);
    CHECK(nf == 4 && sa == 3, "after 1: frame %u SA %u", nf, sa);
    nf = isk_gui_next_failed(t, v, 0, &sa);
    CHECK(nf == 1 && sa == 1, "from the start: frame %u SA %u", nf, sa);
    /* past the last failed stop: wrap to the first */
    nf = isk_gui_next_failed(t, v, 5, &sa);
    CHECK(nf == 1 && sa == 1, "wraps: frame %u SA %u", nf, sa);
    nf = isk_gui_next_failed(NULL, NULL, 0, &sa);
    CHECK(nf == 0 && sa == 0, "no file: nothing");

    ike_verdicts_free(v);
    ike_tracker_free(t);
    printf("%d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
