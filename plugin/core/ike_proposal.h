/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_proposal.h - phase-1 proposals of an SA payload (RFC 2409 appendix A).
 *
 * Plain C. Used to show what an initiator offered when the responder says
 * NO-PROPOSAL-CHOSEN, what the responder chose, and which hash NAT-D uses.
 */
#ifndef IKE_PROPOSAL_H
#define IKE_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t  enc;      /* attribute class 1; 0 absent */
    uint8_t  hash;     /* class 2 */
    uint16_t auth;     /* class 3 */
    uint16_t group;    /* class 4 */
    uint16_t keylen;   /* class 14, bits */
    uint32_t life_s;   /* classes 11/12 with type seconds; 0 absent */
    uint32_t life_kb;  /* classes 11/12 with type kilobytes */
} ike_p1_transform;

#define IKE_MAX_TRANSFORMS 16

typedef struct {
    uint8_t          n;       /* transforms read (at most IKE_MAX_TRANSFORMS) */
    uint16_t         total;   /* transforms in the payload */
    bool             malformed;
    ike_p1_transform t[IKE_MAX_TRANSFORMS];
} ike_p1_offer;

/* Parse an SA payload body (DOI, situation, proposals). Bounded. */
void ike_proposal_parse(const uint8_t *body, size_t len, ike_p1_offer *out);

/* "AES-CBC-256/SHA1/PSK/MODP2048/lifetime 28800 s" into buf. */
void ike_transform_format(const ike_p1_transform *t, char *buf, size_t len);

/* What an initiator offered, kept in this form (not as text) until a
 * reply shows whether it is needed: formatting costs more than keeping. */
typedef struct {
    uint8_t          n;      /* transforms kept */
    uint16_t         total;  /* transforms in the payload */
    ike_p1_transform t[];
} ike_p1_offered;

/* "#1 AES-CBC-128/SHA1/PSK/MODP2048/3600 s; #2 ...; and N more" into buf
 * (at least 1 byte); returns the length written. */
size_t ike_offered_format(const ike_p1_offered *o, char *buf, size_t len);
/* Enough room for ike_offered_format() of o; IKE_OFFERED_TEXT_MAX for any. */
size_t ike_offered_text_size(const ike_p1_offered *o);
#define IKE_TRANSFORM_TEXT 96 /* ike_transform_format() never needs more */
#define IKE_OFFERED_TEXT_MAX (IKE_TRANSFORM_TEXT * IKE_MAX_TRANSFORMS + 32)

/* IKEv1 hash algorithms (attribute class 2: 1 MD5 ... 6 SHA2-512). */
typedef struct {
    uint8_t     id;
    const char *name;
    uint8_t     len;   /* output bytes */
    int         gcry;  /* libgcrypt GCRY_MD_* */
} ike_hash_alg;
const ike_hash_alg *ike_hash_by_id(uint8_t id);
/* The hash whose output is len bytes (NULL for none or Tiger's 24). */
const ike_hash_alg *ike_hash_by_len(size_t len);
const char *ike_hash_name(uint8_t h);

#endif
