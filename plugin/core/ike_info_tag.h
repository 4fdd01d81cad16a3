/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_info_tag.h - the tag isakmpstate puts in front of a packet's Info
 * column: "[MM5 -> MM_WAIT_MSG6] ", "[MM5 resent #2, first sent in frame 9] ".
 */
#ifndef IKE_INFO_TAG_H
#define IKE_INFO_TAG_H

#include <stddef.h>

#include "ike_tracker.h"

/* Room for any tag (longer ones are cut, as snprintf does). */
#define IKE_INFO_TAG_MAX 192

/* Fills buf (size > 0) with the record's tag; returns its length before
 * any cut. */
size_t ike_info_tag(const ike_record *rec, char *buf, size_t size);

#endif
