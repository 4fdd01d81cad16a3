/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_psk.h - which candidate pre-shared key an aggressive-mode responder
 * used, from AM1 and AM2 alone (RFC 2409 section 5: SKEYID and HASH_R).
 * Candidates are secrets: nothing here logs or returns them, only indexes.
 */
#ifndef IKE_PSK_H
#define IKE_PSK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *p;
    size_t len;
} ike_bytes;

/* What HASH_R covers. */
typedef struct {
    ike_bytes gxi, gxr;     /* KE payload bodies of AM1 and AM2 */
    ike_bytes ni, nr;       /* nonce bodies */
    ike_bytes sai;          /* AM1's whole SA payload body */
    ike_bytes idir;         /* AM2's ID payload body */
    ike_bytes hash_r;       /* AM2's HASH payload body */
    const uint8_t *icookie, *rcookie;
} ike_am_material;

/* HASH_R computed with this PSK and hash (1 MD5, 2 SHA1, 4-6 SHA2) equals
 * the one in AM2. */
bool ike_am_psk_matches(uint8_t hash_alg, const uint8_t *psk, size_t psk_len, const ike_am_material *m);

/* A set of candidate keys, owned by the caller of the tracker. */
typedef struct {
    size_t n;
    const uint8_t *const *key;
    const size_t *len;
} ike_psk_candidates;

#endif
