/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_weak.h - what is weak in a chosen IKE proposal: the algorithms that
 * RFC 8247 (IKEv2) and RFC 8221's companion guidance, NIST SP 800-131A and
 * the vendors themselves (Cisco "next generation encryption") have retired:
 * DES, 3DES, MD5, MODP groups 1, 2 and 5, and aggressive mode with a
 * pre-shared key (its HASH_R can be brute-forced offline by anybody who
 * captured AM2, which is what ike-scan's psk-crack does).
 */
#ifndef IKE_WEAK_H
#define IKE_WEAK_H

#include <stddef.h>
#include <stdint.h>

#include "ike_proposal.h"

enum {
    WEAK_DES      = 1u << 0,
    WEAK_3DES     = 1u << 1,
    WEAK_MD5      = 1u << 2,  /* hash / PRF / integrity */
    WEAK_DH1      = 1u << 3,  /* MODP 768 */
    WEAK_DH2      = 1u << 4,  /* MODP 1024 */
    WEAK_DH5      = 1u << 5,  /* MODP 1536 */
    WEAK_AGGR_PSK = 1u << 6,  /* IKEv1 aggressive mode with a pre-shared key */
};

/* IKEv1: the transform MM2/AM2 chose, and the phase-1 mode. */
uint32_t ike_weak_v1(const ike_p1_transform *t, uint8_t mode);
/* IKEv2: the transform IDs the IKE_SA_INIT response chose (0: absent). */
uint32_t ike_weak_v2(uint16_t encr, uint16_t prf, uint16_t integ, uint16_t dh);
/* "3DES, MD5, MODP1024 (group 2)" into buf; "" for none. Returns the length. */
size_t ike_weak_format(uint32_t flags, char *buf, size_t len);

/* IKEv2 chosen proposal as text: "AES-CBC-128/PRF-HMAC-SHA2-256/HMAC-SHA2-256-128/MODP2048". */
void ike2_transform_format(uint16_t encr, uint16_t keylen, uint16_t prf, uint16_t integ, uint16_t dh,
                           char *buf, size_t len);

#endif
