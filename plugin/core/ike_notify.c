/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_notify.c - the one notify table (see ike_notify.h).
 *
 * IKEv1: RFC 2408 3.14.1, RFC 2407 4.6.3, RFC 3706 and the private types
 * Cisco and others send. IKEv2: RFC 7296 3.10.1, RFC 7383, RFC 5685 and the
 * IANA registry, the types strongSwan, libreswan and Cisco send. Meanings
 * are written for network engineers: what the receiver of the notification
 * should conclude.
 */
#include "ike_notify.h"

#define E IKE_NOTIFY_ERROR
#define R IKE_NOTIFY_RETRY
#define S IKE_NOTIFY_STATUS
#define L IKE_NOTIFY_LIVENESS

static const ike_notify_info notifies[] = {
    /* IKEv1 */
    {1, 1, "INVALID-PAYLOAD-TYPE", E, NULL},
    {1, 2, "DOI-NOT-SUPPORTED", E, NULL},
    {1, 3, "SITUATION-NOT-SUPPORTED", E, NULL},
    {1, 4, "INVALID-COOKIE", E,
     "the receiver has no SA for these cookies: for a Cisco responder, usually no tunnel-group or pre-shared key for this peer"},
    {1, 5, "INVALID-MAJOR-VERSION", E, NULL},
    {1, 6, "INVALID-MINOR-VERSION", E, NULL},
    {1, 7, "INVALID-EXCHANGE-TYPE", E, NULL},
    {1, 8, "INVALID-FLAGS", E, NULL},
    {1, 9, "INVALID-MESSAGE-ID", E, NULL},
    {1, 10, "INVALID-PROTOCOL-ID", E, NULL},
    {1, 11, "INVALID-SPI", E, NULL},
    {1, 12, "INVALID-TRANSFORM-ID", E, NULL},
    {1, 13, "ATTRIBUTES-NOT-SUPPORTED", E, NULL},
    {1, 14, "NO-PROPOSAL-CHOSEN", E, "the receiver accepts none of the offered proposals"},
    {1, 15, "BAD-PROPOSAL-SYNTAX", E, NULL},
    {1, 16, "PAYLOAD-MALFORMED", E,
     "the receiver could not parse the message: after MM5, usually a pre-shared key mismatch (it decrypted MM5 with another key)"},
    {1, 17, "INVALID-KEY-INFORMATION", E,
     "the receiver has no key for this peer (strongSwan: no pre-shared key for the initiator's address)"},
    {1, 18, "INVALID-ID-INFORMATION", E,
     "the receiver does not accept the identities: in phase 1 the peer ID, in quick mode the protected networks (proxy IDs)"},
    {1, 19, "INVALID-CERT-ENCODING", E, NULL},
    {1, 20, "INVALID-CERTIFICATE", E, NULL},
    {1, 21, "CERT-TYPE-UNSUPPORTED", E, NULL},
    {1, 22, "INVALID-CERT-AUTHORITY", E, NULL},
    {1, 23, "INVALID-HASH-INFORMATION", E, "the hash did not verify: pre-shared keys differ"},
    {1, 24, "AUTHENTICATION-FAILED", E, "authentication failed: pre-shared key, certificate or identity rejected"},
    {1, 25, "INVALID-SIGNATURE", E, "the signature did not verify: wrong certificate or key"},
    {1, 26, "ADDRESS-NOTIFICATION", E, NULL},
    {1, 27, "NOTIFY-SA-LIFETIME", E, NULL},
    {1, 28, "CERTIFICATE-UNAVAILABLE", E, NULL},
    {1, 29, "UNSUPPORTED-EXCHANGE-TYPE", E, NULL},
    {1, 30, "UNEQUAL-PAYLOAD-LENGTHS", E, NULL},
    {1, 16384, "CONNECTED", S, NULL},
    {1, 24576, "RESPONDER-LIFETIME", S, NULL},
    {1, 24577, "REPLAY-STATUS", S, NULL},
    {1, 24578, "INITIAL-CONTACT", S, "the sender has no other SA with this peer and asks it to drop old ones"},
    {1, 30000, "CISCO-HELLO", S, NULL},
    {1, 32768, "CISCO-KEEPALIVE-REQ", L, NULL},
    {1, 32769, "CISCO-KEEPALIVE-ACK", L, NULL},
    {1, 36136, "R-U-THERE", L, "dead peer detection: are you there?"},
    {1, 36137, "R-U-THERE-ACK", L, "dead peer detection: I am here"},
    {1, 40501, "CISCO-LOAD-BALANCE", S, NULL},
    {1, 40503, "CISCO-PRESHARED-KEY-HASH", S, NULL},
    /* IKEv2 */
    {2, 1, "UNSUPPORTED_CRITICAL_PAYLOAD", E, NULL},
    {2, 4, "INVALID_IKE_SPI", E, NULL},
    {2, 5, "INVALID_MAJOR_VERSION", E, NULL},
    {2, 7, "INVALID_SYNTAX", E, NULL},
    {2, 9, "INVALID_MESSAGE_ID", E, NULL},
    {2, 11, "INVALID_SPI", E, NULL},
    {2, 14, "NO_PROPOSAL_CHOSEN", E, "the receiver accepts none of the offered proposals"},
    {2, 17, "INVALID_KE_PAYLOAD", R,
     "the responder wants the key exchange for another DH group (named in the notification); the initiator should retry with it"},
    {2, 24, "AUTHENTICATION_FAILED", E, "authentication failed: pre-shared key, certificate or identity rejected"},
    {2, 34, "SINGLE_PAIR_REQUIRED", E, NULL},
    {2, 35, "NO_ADDITIONAL_SAS", E, NULL},
    {2, 36, "INTERNAL_ADDRESS_FAILURE", E, NULL},
    {2, 37, "FAILED_CP_REQUIRED", E, NULL},
    {2, 38, "TS_UNACCEPTABLE", E, "the traffic selectors (protected networks) are not acceptable to the receiver"},
    {2, 39, "INVALID_SELECTORS", E, NULL},
    {2, 43, "TEMPORARY_FAILURE", E, "the receiver cannot do it now (e.g. a rekey collision); it may work if retried"},
    {2, 44, "CHILD_SA_NOT_FOUND", E, NULL},
    {2, 16384, "INITIAL_CONTACT", S, "the sender has no other SA with this peer and asks it to drop old ones"},
    {2, 16385, "SET_WINDOW_SIZE", S, NULL},
    {2, 16386, "ADDITIONAL_TS_POSSIBLE", S, NULL},
    {2, 16387, "IPCOMP_SUPPORTED", S, NULL},
    {2, 16388, "NAT_DETECTION_SOURCE_IP", S, NULL},
    {2, 16389, "NAT_DETECTION_DESTINATION_IP", S, NULL},
    {2, 16390, "COOKIE", R,
     "the responder is under load or protecting itself and asks the initiator to send IKE_SA_INIT again with this cookie"},
    {2, 16391, "USE_TRANSPORT_MODE", S, NULL},
    {2, 16392, "HTTP_CERT_LOOKUP_SUPPORTED", S, NULL},
    {2, 16393, "REKEY_SA", S, NULL},
    {2, 16394, "ESP_TFC_PADDING_NOT_SUPPORTED", S, NULL},
    {2, 16395, "NON_FIRST_FRAGMENTS_ALSO", S, NULL},
    {2, 16396, "MOBIKE_SUPPORTED", S, NULL},
    {2, 16400, "UPDATE_SA_ADDRESSES", S, NULL},
    {2, 16404, "MULTIPLE_AUTH_SUPPORTED", S, NULL},
    {2, 16405, "ANOTHER_AUTH_FOLLOWS", S, NULL},
    {2, 16406, "REDIRECT_SUPPORTED", S, NULL},
    {2, 16417, "EAP_ONLY_AUTHENTICATION", S, NULL},
    {2, 16418, "CHILDLESS_IKEV2_SUPPORTED", S, NULL},
    {2, 16430, "IKEV2_FRAGMENTATION_SUPPORTED", S, NULL},
    {2, 16431, "SIGNATURE_HASH_ALGORITHMS", S, NULL},
};

#undef E
#undef R
#undef S
#undef L

const ike_notify_info *ike_notify_table(size_t *count)
{
    *count = sizeof notifies / sizeof notifies[0];
    return notifies;
}

/* A linear scan: about 80 entries, looked up once per notification. */
const ike_notify_info *ike_notify_find(uint8_t version, uint16_t type)
{
    for (size_t i = 0; i < sizeof notifies / sizeof notifies[0]; i++)
        if (notifies[i].version == version && notifies[i].type == type)
            return &notifies[i];
    return NULL;
}

static const char *name_of(uint8_t version, uint16_t type)
{
    const ike_notify_info *n = ike_notify_find(version, type);
    if (n)
        return n->name;
    return type < IKE_NOTIFY_FIRST_STATUS ? "unknown error" : "unknown status";
}

const char *ike_notify_name(uint16_t type) { return name_of(1, type); }
const char *ike2_notify_name(uint16_t type) { return name_of(2, type); }

const char *ike_notify_meaning(uint16_t type)
{
    const ike_notify_info *n = ike_notify_find(1, type);
    return n ? n->meaning : NULL;
}

const char *ike2_notify_meaning(uint16_t type)
{
    const ike_notify_info *n = ike_notify_find(2, type);
    return n ? n->meaning : NULL;
}

ike_notify_category ike_notify_category_of(uint8_t version, uint16_t type)
{
    const ike_notify_info *n = ike_notify_find(version, type);
    if (n)
        return n->category;
    return type < IKE_NOTIFY_FIRST_STATUS ? IKE_NOTIFY_ERROR : IKE_NOTIFY_STATUS;
}
