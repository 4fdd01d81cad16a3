/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_notify.h - every notify message type isakmpstate knows, IKEv1 and
 * IKEv2, in one table: its name as Wireshark prints it, what it means to a
 * user, and its category (which decides the expert severity).
 */
#ifndef IKE_NOTIFY_H
#define IKE_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    /* The receiver refuses or cannot process a message (RFC 2408 3.14.1,
     * RFC 7296 3.10.1: types below 16384). */
    IKE_NOTIFY_ERROR,
    /* An error-range type that asks the initiator to try again with other
     * contents (IKEv2 INVALID_KE_PAYLOAD, COOKIE): no failure by itself. */
    IKE_NOTIFY_RETRY,
    /* Information about the SA or the peer (INITIAL-CONTACT, lifetimes,
     * capabilities, NAT detection): normal traffic. */
    IKE_NOTIFY_STATUS,
    /* Liveness checks (dead peer detection, keepalives): normal traffic. */
    IKE_NOTIFY_LIVENESS,
} ike_notify_category;

typedef struct {
    uint8_t             version;  /* 1 or 2: the same number means other things */
    uint16_t            type;
    const char         *name;     /* as Wireshark's ISAKMP dissector prints it */
    ike_notify_category category;
    const char         *meaning;  /* for users; NULL: nothing to add to the name */
} ike_notify_info;

/* The entry for a type, NULL when the table does not know it. */
const ike_notify_info *ike_notify_find(uint8_t version, uint16_t type);
/* The table itself, for tests and documentation. */
const ike_notify_info *ike_notify_table(size_t *count);

/* Names: "NO-PROPOSAL-CHOSEN" (IKEv1), "NO_PROPOSAL_CHOSEN" (IKEv2); an
 * unknown type is "unknown error" or "unknown status" by its range. */
const char *ike_notify_name(uint16_t type);
const char *ike2_notify_name(uint16_t type);
/* What a notification means when it answers a negotiation; NULL if we have
 * nothing to add to its name. */
const char *ike_notify_meaning(uint16_t type);
const char *ike2_notify_meaning(uint16_t type);
/* The category; an unknown type's comes from its range. */
ike_notify_category ike_notify_category_of(uint8_t version, uint16_t type);

/* RFC 2408 3.14.1 and RFC 7296 3.10.1 split the type space the same way:
 * error types below 16384, status types from there on. */
#define IKE_NOTIFY_FIRST_STATUS 16384
static inline bool ike_notify_in_error_range(uint16_t type) { return type < IKE_NOTIFY_FIRST_STATUS; }

/* IKEv2's NAT detection notifies (RFC 7296 2.23): every IKE_SA_INIT
 * carries them; the NAT-D result says what they found. */
#define IKE2_NOTIFY_NAT_DETECTION_SOURCE_IP      16388
#define IKE2_NOTIFY_NAT_DETECTION_DESTINATION_IP 16389
static inline bool ike2_notify_is_nat_detection(uint16_t type)
{
    return type == IKE2_NOTIFY_NAT_DETECTION_SOURCE_IP || type == IKE2_NOTIFY_NAT_DETECTION_DESTINATION_IP;
}

#endif
