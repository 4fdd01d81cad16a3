/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_stats.h - the per-IKE-SA statistics: `tshark -z isakmpstate,sa` and
 * the GUI's Statistics table. They read the open file's session.
 */
#ifndef IKE_STATS_H
#define IKE_STATS_H

void isakmpstate_stats_register(void);

#endif
