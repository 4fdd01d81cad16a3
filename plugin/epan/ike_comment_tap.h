/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_comment_tap.h - `tshark -2 -z isakmpstate,comments`, the packet
 * comments isakmpstate-annotate writes (ike_comment_tap.c).
 */
#ifndef IKE_COMMENT_TAP_H
#define IKE_COMMENT_TAP_H

void isakmpstate_comment_tap_register(void);

#endif
