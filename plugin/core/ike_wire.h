/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_wire.h - what isakmpstate reads from one ISAKMP message on the wire.
 *
 * Plain C, no Wireshark headers: the Wireshark glue, the unit tests and the
 * fuzz harness all fill these structures with ike_wire_parse().
 */
#ifndef IKE_WIRE_H
#define IKE_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_notify.h" /* the notify names, once in ike_wire.h */

#define IKE_HDR_LEN 28

/* Exchange types (RFC 2408 / 2409 / draft mode-cfg). */
enum {
    IKE_EXCH_NONE = 0,
    IKE_EXCH_BASE = 1,
    IKE_EXCH_MAIN = 2,         /* Identity Protection */
    IKE_EXCH_AUTH_ONLY = 3,
    IKE_EXCH_AGGRESSIVE = 4,
    IKE_EXCH_INFO = 5,
    IKE_EXCH_TRANSACTION = 6,  /* XAUTH and mode-config */
    IKE_EXCH_QUICK = 32,
    IKE_EXCH_NEW_GROUP = 33
};

/* Payload types we look at. */
enum {
    IKE_PL_NONE = 0, IKE_PL_SA = 1, IKE_PL_PROPOSAL = 2, IKE_PL_TRANSFORM = 3,
    IKE_PL_KE = 4, IKE_PL_ID = 5, IKE_PL_CERT = 6, IKE_PL_CERTREQ = 7,
    IKE_PL_HASH = 8, IKE_PL_SIG = 9, IKE_PL_NONCE = 10, IKE_PL_NOTIFY = 11,
    IKE_PL_DELETE = 12, IKE_PL_VID = 13, IKE_PL_ATTR = 14,
    IKE_PL_NATD_DRAFT01 = 15, /* draft-ietf-ipsec-nat-t-ike-01 (older Cisco IOS) */
    IKE_PL_NATD = 20, IKE_PL_NATOA = 21,
    IKE_PL_NATD_DRAFT = 130, IKE_PL_NATOA_DRAFT = 131, IKE_PL_FRAGMENT = 132
};

/* IKEv2 payload types (RFC 7296 3.2, RFC 7383). */
enum {
    IKE2_PL_SA = 33, IKE2_PL_KE = 34, IKE2_PL_IDI = 35, IKE2_PL_IDR = 36,
    IKE2_PL_CERT = 37, IKE2_PL_CERTREQ = 38, IKE2_PL_AUTH = 39, IKE2_PL_NONCE = 40,
    IKE2_PL_NOTIFY = 41, IKE2_PL_DELETE = 42, IKE2_PL_VID = 43, IKE2_PL_TSI = 44,
    IKE2_PL_TSR = 45, IKE2_PL_SK = 46, IKE2_PL_CP = 47, IKE2_PL_EAP = 48,
    IKE2_PL_SKF = 53
};
/* IKEv2 exchange types. */
enum { IKE2_EXCH_SA_INIT = 34, IKE2_EXCH_AUTH = 35, IKE2_EXCH_CREATE_CHILD = 36, IKE2_EXCH_INFO = 37 };
/* IKEv2 header flags. */
#define IKE2_FLAG_INITIATOR 0x08
#define IKE2_FLAG_RESPONSE  0x20
/* Bits of ike_payloads.v2_mask: payload type t (33..63) is bit t - 32. */
#define IKE2_PMASK(t)       (1u << ((t) - 32))

/* Header flags. */
#define IKE_FLAG_ENCRYPTED 0x01
#define IKE_FLAG_COMMIT    0x02
#define IKE_FLAG_AUTHONLY  0x04

/* Bits of ike_payloads.mask: one per payload type we know (1..21), and a
 * few extra bits for the draft/private numbers. */
#define IKE_PMASK(t)        (1u << (t))
#define IKE_PMASK_FRAGMENT  (1u << 30)
#define IKE_PMASK_NATD      (IKE_PMASK(IKE_PL_NATD))
#define IKE_PMASK_UNKNOWN   (1u << 31)

#define IKE_MAX_NOTIFY   4
#define IKE_MAX_NATD     4
#define IKE_MAX_NATD_LEN 64

/* XAUTH status attribute (draft-beaulieu-ike-xauth). */
#define IKE_ATTR_XAUTH_STATUS 16527
/* Transaction attribute-payload types. */
enum { IKE_CFG_REQUEST = 1, IKE_CFG_REPLY = 2, IKE_CFG_SET = 3, IKE_CFG_ACK = 4 };

/* Why a message could not be read as a whole. */
typedef enum {
    IKE_MALFORMED_NONE = 0,
    IKE_MALFORMED_SHORT_HEADER,     /* fewer than 28 bytes */
    IKE_MALFORMED_LENGTH_TOO_SMALL, /* header length < 28 */
    IKE_MALFORMED_TRUNCATED,        /* header length > bytes present */
    IKE_MALFORMED_PAYLOAD_LENGTH,   /* a payload length < 4 or past the end */
    IKE_MALFORMED_TOO_MANY_PAYLOADS /* chain longer than any real message */
} ike_malformed_t;

/* What the payload chain of a message (clear, or decrypted by Wireshark)
 * tells. Only filled from bytes that were actually readable. */
typedef struct {
    uint32_t mask;                          /* payload types present */
    uint8_t  n_payloads;
    uint8_t  n_notify;
    uint16_t notify[IKE_MAX_NOTIFY];        /* notify message types, in order */
    uint8_t  delete_proto;                  /* 0 none, 1 ISAKMP, 3 ESP, ... */
    uint8_t  cfg_type;                      /* attribute payload type (REQUEST..ACK) */
    int8_t   xauth_status;                  /* -1 absent, 0 FAIL, 1 OK */
    uint8_t  frag_num;                      /* IKEv1 fragment number, 0 if none */
    bool     frag_last;
    uint8_t  n_natd;
    uint8_t  natd_len[IKE_MAX_NATD];
    uint8_t  natd[IKE_MAX_NATD][IKE_MAX_NATD_LEN];
    /* offsets/lengths inside the parsed buffer, for the verdict code */
    uint32_t sa_off, sa_len;                /* SA payload body */
    uint32_t ke_off, ke_len;                /* KE payload body */
    uint32_t nonce_off, nonce_len;
    uint32_t id_off, id_len;
    uint32_t hash_off, hash_len;
    /* IKEv2: the clear payloads in front of SK/SKF, or a decrypted chain */
    uint32_t v2_mask;                       /* IKE2_PMASK bits */
    uint8_t  sk_next;                       /* first payload inside SK/SKF, 0 none */
    uint16_t sk_len;                        /* SK or SKF payload length (header included) */
    uint16_t skf_num, skf_total;            /* RFC 7383 fragment number / total, 0 if none */
    uint16_t ke_group;                      /* KE payload's DH group */
    uint8_t  sa_proto;                      /* first proposal's protocol: 1 IKE, 3 ESP, 2 AH */
    uint8_t  sa_spi_len;
    uint8_t  sa_spi[8];                     /* its SPI (new IKE SPI, or ESP SPI) */
    uint16_t sa_tf[5];                      /* its first transform ID of each type 1..4 (ENCR, PRF, INTEG, DH) */
    uint16_t sa_keylen;                     /* the ENCR transform's key length attribute, bits */
    uint32_t vendor_mask;                   /* known Vendor IDs (ike_vendor.h bits) */
    uint32_t id_digest;                     /* IKEv1 ID / IKEv2 TSi+TSr bodies, hashed in order; 0 none */
    uint8_t  rekey_spi[4];                  /* IKEv2 REKEY_SA notify: the ESP SPI being rekeyed */
    bool     rekey_notify;                  /* ... present */
    ike_malformed_t malformed;
} ike_payloads;

typedef struct {
    uint8_t  icookie[8];
    uint8_t  rcookie[8];
    uint8_t  next_payload;
    uint8_t  version;       /* major << 4 | minor */
    uint8_t  exch;
    uint8_t  flags;
    uint32_t msgid;
    uint32_t length;        /* as the header claims */
} ike_header;

/* Parse the 28-byte header. Returns false when fewer than 28 bytes exist. */
bool ike_wire_parse_header(const uint8_t *buf, size_t len, ike_header *h);

/* Walk a payload chain starting with payload type 'first' at buf[0].
 * Never reads past len; stops at NONE, at a bad length or after 64
 * payloads. Fills pl (which it clears first). */
void ike_wire_parse_payloads(const uint8_t *buf, size_t len, uint8_t first,
                             ike_payloads *pl);

/* The same for an IKEv2 chain (payload types 33 and up): stops at SK or
 * SKF, noting the first inner payload type and its length. Notify types
 * go to notify[], NAT detection hashes to natd[] (destination first, as in
 * IKEv1), the Delete's protocol to delete_proto. */
void ike_wire_parse_payloads_v2(const uint8_t *buf, size_t len, uint8_t first, ike_payloads *pl);

/* Parse a whole message: header, then (when not encrypted) the clear
 * payload chain. Sets pl->malformed for short or inconsistent input. */
bool ike_wire_parse_message(const uint8_t *buf, size_t len, ike_header *h,
                            ike_payloads *pl);

/* 64-bit FNV-1a digest of the message bytes: identical messages (the
 * retransmission test) have identical digests. */
uint64_t ike_wire_digest(const uint8_t *buf, size_t len);

const char *ike_exch_name(uint8_t exch);
const char *ike2_exch_name(uint8_t exch);
const char *ike_malformed_text(ike_malformed_t m);

#endif
