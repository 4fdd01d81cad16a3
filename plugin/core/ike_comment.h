/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_comment.h - the packet comments of an annotated capture, made from
 * the tracker's records and the verdicts once the whole capture is known
 * (`tshark -2 -z isakmpstate,comments`, read by isakmpstate-annotate).
 *
 * A frame gets, in this order: one comment per record (the message, both
 * sides' states after it, remarks), then one per IKE SA whose verdict the
 * frame bears on, by SA number: the verdict in full on the SA's stop frame,
 * a reference to it on its other evidence frames (unanswered copies, the
 * refusing notify) and on its messages that carry a notify, a delete, an
 * XAUTH status or a retransmission.
 *
 * The field values the glue shows too (NAT-D result, what a delete
 * removes, ...) come from the functions below, so a comment and the
 * packet's fields always say the same.
 */
#ifndef IKE_COMMENT_H
#define IKE_COMMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_tracker.h"
#include "ike_verdict.h"

/* A growing string (malloc'd); oom is set, and the text kept as it was,
 * when it cannot grow. */
typedef struct {
    char  *s;
    size_t len, cap;
    bool   oom;
} ike_cbuf;

void ike_cbuf_free(ike_cbuf *b);

/* Frames each SA's verdict rests on (stop frame, evidence frames, notify
 * frame), sorted by frame: built once per capture. NULL when out of memory. */
typedef struct ike_comment_index ike_comment_index;
ike_comment_index *ike_comment_index_new(const ike_tracker *t, const ike_verdicts *v);
void               ike_comment_index_free(ike_comment_index *ix);

/* All the comments of one frame, appended to out, each ended by '\n'.
 * recs: the frame's n records. Returns how many comments were added. */
unsigned ike_comment_frame(const ike_tracker *t, const ike_verdicts *v, const ike_comment_index *ix,
                           uint32_t frame, const ike_record *recs, unsigned n, ike_cbuf *out);

/* Field values shared with the glue (NULL: the field is absent). */
const char *ike_value_natd(const ike_record *rec);              /* NAT-D result of this packet */
const char *ike_value_delete(const ike_record *rec);            /* what its Delete removes */
const char *ike_value_xauth(const ike_record *rec);             /* IKEv1 XAUTH status it carries */
const char *ike_value_malformed(const ike_record *rec);         /* why it is malformed (IKEv1) */
/* The aggressive-mode PSK check shown on this packet, into buf. */
const char *ike_value_psk(const ike_tracker *t, const ike_record *rec, char *buf, size_t len);
/* First frame of the exchange whose ESP SAs this message's exchange renews, 0 none. */
uint32_t    ike_value_child_rekey_of(const ike_tracker *t, const ike_record *rec);
/* The outcome of this IKEv1 quick-mode message's exchange (NULL without verdicts). */
const char *ike_value_qm_outcome(const ike_verdicts *v, const ike_record *rec);
/* IKEv2: what the CHILD_SA of this IKE_AUTH or CREATE_CHILD_SA response became. */
const char *ike_value_v2_child(const ike_tracker *t, const ike_record *rec);

#endif
