/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike2_verdict.h - the verdict of one IKEv2 SA (called by ike_verdict.c).
 */
#ifndef IKE2_VERDICT_H
#define IKE2_VERDICT_H

#include "ike_verdict.h"

/* Fills vd's cause and evidence for an IKEv2 SA. capture_end is the time of
 * the capture's last IKE message; a request sent once less than grace
 * seconds before it may still have been answered (capture-ended). */
void ike2_decide(const ike_tracker *t, const ike_sa *sa, ike_verdict *vd, double capture_end, double grace);

#endif
