/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_natd.h - recompute NAT-D hashes (RFC 3947 section 3.2) from what the
 * capture shows: HASH(CKY-I | CKY-R | IP | port) with the negotiated hash.
 */
#ifndef IKE_NATD_H
#define IKE_NATD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_tracker.h"

/* Hash attribute value (1 MD5, 2 SHA1, 4/5/6 SHA2) for a NAT-D of this
 * length when the negotiated one is unknown; 0 if the length fits none. */
uint8_t ike_natd_alg_for_len(size_t len);

/* out must hold 64 bytes; returns the hash length, 0 when the algorithm is
 * not available. */
size_t ike_natd_hash(uint8_t alg, const uint8_t icookie[8], const uint8_t rcookie[8],
                     const ike_endpoint *e, uint8_t *out);

typedef enum {
    NATD_NONE = 0,     /* no NAT-D payloads, or not checkable */
    NATD_MATCH,        /* both hashes match the addresses in the packet */
    NATD_SRC_CHANGED,  /* the sender's address/port differs: NAT in front of the sender */
    NATD_DST_CHANGED,  /* the receiver's differs: NAT in front of the receiver */
    NATD_BOTH_CHANGED
} ike_natd_result;

/* Check the NAT-D payloads of one message (ev->pl.natd). alg 0 = infer. */
ike_natd_result ike_natd_check(const ike_event *ev, uint8_t alg);

#endif
