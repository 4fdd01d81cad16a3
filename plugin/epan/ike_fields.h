/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_fields.h - the isakmpstate.* fields, subtree, Info text and expert
 * info (Wireshark side). Every field is listed in fields/fields.tsv.
 */
#ifndef IKE_FIELDS_H
#define IKE_FIELDS_H

#include "ws_compat.h"

#include <epan/packet.h>

#include "ike_tracker.h"
#include "ike_verdict.h"

void ike_fields_register(int proto);
/* Adds one record's Info text, expert infos and, with items, its fields
 * and subtree. Without texts, the expert infos carry their registered
 * summary instead of a formatted message (nobody reads it). Returns the
 * highest expert severity raised (PI_CHAT...PI_ERROR), 0 if none. */
int ike_fields_add(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, bool items, bool texts, int proto,
                   const ike_tracker *t, const ike_verdicts *v, const ike_record *rec);
/* A file is opened (or dissected again): see file_raised. */
void ike_fields_new_file(void);

#endif
