/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_gui_pick.c - the targets of the GUI actions (see ike_gui_pick.h).
 */
#include <stdio.h>

#include "ike_gui_pick.h"

uint32_t isk_gui_sa_of_frame(const ike_tracker *t, uint32_t frame)
{
    if (!t || frame == 0)
        return 0;
    unsigned n = 0;
    uint32_t first = ike_tracker_find_frame(t, frame, &n);
    /* A frame can carry several messages; the first that belongs to an SA
     * names it (an ICMP error quoting no known message belongs to none). */
    for (unsigned k = 0; first && k < n; k++) {
        ike_record r;
        if (ike_tracker_record(t, first + k, &r) && r.sa)
            return r.sa;
    }
    return 0;
}

bool isk_gui_sa_filter(uint32_t sa, char *buf, size_t len)
{
    if (!buf || len == 0)
        return false;
    buf[0] = '\0';
    if (sa == 0)
        return false;
    int w = snprintf(buf, len, "isakmpstate.sa == %u", sa);
    if (w < 0 || (size_t)w >= len) {
        buf[0] = '\0';
        return false;
    }
    return true;
}

uint32_t isk_gui_stop_frame(const ike_verdicts *v, uint32_t sa)
{
    const ike_verdict *vd = ike_verdict_for_sa(v, sa);
    return vd ? vd->stop_frame : 0;
}

uint32_t isk_gui_next_failed(const ike_tracker *t, const ike_verdicts *v, uint32_t after, uint32_t *sa)
{
    uint32_t best = 0, best_sa = 0, first = 0, first_sa = 0;
    uint32_t n = t ? ike_tracker_sa_count(t) : 0;
    /* SAs are numbered by their first packet, not by where they stop: look
     * at all of them. */
    for (uint32_t i = 1; i <= n; i++) {
        const ike_verdict *vd = ike_verdict_for_sa(v, i);
        if (!vd || !vd->failed || vd->stop_frame == 0)
            continue;
        uint32_t f = vd->stop_frame;
        if (f > after && (best == 0 || f < best)) {
            best = f;
            best_sa = i;
        }
        if (first == 0 || f < first) {
            first = f;
            first_sa = i;
        }
    }
    if (best == 0) {
        best = first;
        best_sa = first_sa;
    }
    if (sa)
        *sa = best_sa;
    return best;
}
