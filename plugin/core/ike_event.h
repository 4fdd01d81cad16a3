/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_event.h - one ISAKMP message as the tracker is fed it, and the one
 * builder that the Wireshark glue, the libFuzzer harness and the benchmark
 * all use, so that what they feed cannot drift apart.
 *
 * Plain C. The caller fills where and when (frame, time, endpoints, IPv4
 * identification, ICMP quote); ike_event_read() fills what the bytes say.
 */
#ifndef IKE_EVENT_H
#define IKE_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <string.h>

#include "ike_wire.h"

typedef struct {
    uint8_t  family;   /* 4 or 6; 0 unknown */
    uint8_t  addr[16];
    uint16_t port;
} ike_endpoint;

/* One ISAKMP message as the glue (or a test) sees it. */
typedef struct {
    uint32_t     frame;
    double       time;        /* seconds, absolute */
    ike_endpoint src, dst;
    uint16_t     ip_id;       /* IPv4 identification, 0 when absent */
    bool         in_icmp;     /* quoted inside an ICMP error message */
    bool         have_header; /* at least 28 bytes */
    ike_header   hdr;
    ike_payloads pl;          /* clear or decrypted payloads; see readable */
    bool         readable;    /* pl describes the message's payloads */
    bool         decrypted;   /* ... and they came from Wireshark's decryption */
    bool         decrypt_failed; /* keys given but the result does not parse */
    uint64_t     digest;      /* ike_wire_digest() of the whole message */
    const uint8_t *pl_buf;    /* the bytes pl's offsets refer to (payload chain), or NULL */
    size_t       pl_len;
    const uint8_t *reasm_buf; /* IKEv2, last RFC 7383 fragment: Wireshark's reassembled plaintext */
    size_t       reasm_len;
    uint32_t     wire_len;
} ike_event;

/* Fills the message part of ev (header, payloads, digest, readability)
 * from one ISAKMP message as captured (len may be less than the header's
 * length). The bytes must outlive the ike_tracker_add() call that ev is
 * given to. Leaves frame, time, endpoints, ip_id and in_icmp alone. */
void ike_event_read(ike_event *ev, const uint8_t *msg, size_t len);

/* Would a plaintext (Wireshark's "Decrypted IKE" data source) make this
 * event readable? True for an encrypted IKEv1 message with a header. */
bool ike_event_wants_plaintext(const ike_event *ev);

/* Offers the plaintext of an encrypted IKEv1 message (its payload chain,
 * starting with the header's next payload). Believed only when it parses
 * cleanly: with a wrong key, or a retransmission decrypted with the IV of
 * the next message, it is garbage, and ev->decrypt_failed says so. */
void ike_event_use_plaintext(ike_event *ev, const uint8_t *plain, size_t len);

/* Inline: the tracker asks four times a message which side sent it. */
static inline bool ike_endpoint_addr_eq(const ike_endpoint *a, const ike_endpoint *b)
{
    if (a->family != b->family)
        return false;
    if (a->family == 6)
        return memcmp(a->addr, b->addr, 16) == 0;
    uint32_t x, y; /* IPv4 (and an unknown family: its first 4 bytes, as before) */
    memcpy(&x, a->addr, 4);
    memcpy(&y, b->addr, 4);
    return x == y;
}
/* "192.0.2.1:500" / "[2001:db8::1]:500" into buf (at least 56 bytes). */
void ike_endpoint_format(const ike_endpoint *e, char *buf, size_t len);

#endif
