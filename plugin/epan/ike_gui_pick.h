/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_gui_pick.h - what the GUI actions (ike_gui_actions.c) act on, worked
 * out from the tracker and the verdicts alone: the IKE SA of a packet, the
 * display filter of an SA, the frame where an SA stops, the next failed SA.
 * Plain C with no Wireshark header, so that a unit test checks it without a
 * GUI (tests/unit/test_gui_pick.c).
 */
#ifndef IKE_GUI_PICK_H
#define IKE_GUI_PICK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_tracker.h"
#include "ike_verdict.h"

/* The filter that shows every packet of a failed IKE SA (two passes). */
#define ISK_GUI_FAILED_FILTER "isakmpstate.failed == 1"

/* The IKE SA number of frame (its first record that belongs to one), or 0
 * for a frame that is no IKE message, or none. t may be NULL. */
uint32_t isk_gui_sa_of_frame(const ike_tracker *t, uint32_t frame);

/* "isakmpstate.sa == N" into buf; false (buf empty) for sa 0 or a buf too
 * small. */
bool isk_gui_sa_filter(uint32_t sa, char *buf, size_t len);

/* The frame where IKE SA sa stops (its verdict's stop frame), 0 if unknown. */
uint32_t isk_gui_stop_frame(const ike_verdicts *v, uint32_t sa);

/* The failed IKE SA that stops first after frame `after`; past the last
 * one, the first failed SA of the capture again (as Wireshark's "next"
 * searches wrap). Its number goes to *sa (0 if none); returns its stop
 * frame, 0 when no SA failed. */
uint32_t isk_gui_next_failed(const ike_tracker *t, const ike_verdicts *v, uint32_t after, uint32_t *sa);

#endif
