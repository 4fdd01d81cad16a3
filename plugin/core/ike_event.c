/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_event.c - building an ike_event from the bytes of one message: what
 * the glue, the fuzzer and the benchmark share.
 */
#include <stdio.h>
#include <string.h>

#include "ike_event.h"

void ike_event_read(ike_event *ev, const uint8_t *msg, size_t len)
{
    if (!msg)
        len = 0;
    ev->wire_len = (uint32_t)len;
    ev->have_header = ike_wire_parse_message(len ? msg : NULL, len, &ev->hdr, &ev->pl);
    ev->digest = ike_wire_digest(len ? msg : NULL, len);
    ev->readable = ev->have_header && !(ev->hdr.flags & IKE_FLAG_ENCRYPTED);
    /* IKEv2: readable when nothing is encrypted (IKE_SA_INIT, refusals). */
    if (ev->have_header && (ev->hdr.version >> 4) == 2)
        ev->readable = ev->pl.sk_next == 0 && ev->pl.skf_num == 0;
    ev->decrypted = ev->decrypt_failed = false;
    ev->pl_buf = NULL;
    ev->pl_len = 0;
    if (!ev->have_header)
        return;
    size_t end = ev->hdr.length < len ? ev->hdr.length : len;
    ev->pl_buf = msg + IKE_HDR_LEN;
    ev->pl_len = end > IKE_HDR_LEN ? end - IKE_HDR_LEN : 0;
    /* The header of an IKEv1 fragment is clear even with the E flag. */
    if ((ev->hdr.flags & IKE_FLAG_ENCRYPTED) && ev->hdr.next_payload == IKE_PL_FRAGMENT)
        ev->readable = true;
}

bool ike_event_wants_plaintext(const ike_event *ev)
{
    if (!ev->have_header)
        return false;
    if ((ev->hdr.version >> 4) == 2)
        return ev->pl.sk_next != 0 && ev->pl.skf_num == 0; /* an SK payload, not a fragment */
    return (ev->hdr.flags & IKE_FLAG_ENCRYPTED) && (ev->hdr.version >> 4) == 1;
}

/* IKEv2: Wireshark's plaintext of the SK payload still ends with the
 * padding and the pad length byte (RFC 7296 3.14). */
static void use_plaintext_v2(ike_event *ev, const uint8_t *plain, size_t len)
{
    ike_payloads in;
    size_t pad = len ? (size_t)plain[len - 1] + 1 : 0;
    if (len == 0 || pad > len) {
        ev->decrypt_failed = true;
        return;
    }
    ike_wire_parse_payloads_v2(plain, len - pad, ev->pl.sk_next, &in);
    if (in.malformed != IKE_MALFORMED_NONE || (in.mask & IKE_PMASK_UNKNOWN)) {
        ev->decrypt_failed = true;
        return;
    }
    /* What was clear in front of SK (rarely anything) stays. */
    in.v2_mask |= ev->pl.v2_mask;
    in.sk_next = ev->pl.sk_next;
    in.sk_len = ev->pl.sk_len;
    in.n_payloads = (uint8_t)(in.n_payloads + ev->pl.n_payloads);
    ev->pl = in;
    ev->pl_buf = plain;
    ev->pl_len = len - pad;
    ev->readable = true;
    ev->decrypted = true;
}

void ike_event_use_plaintext(ike_event *ev, const uint8_t *plain, size_t len)
{
    if (!ike_event_wants_plaintext(ev))
        return;
    if (!plain)
        len = 0;
    if ((ev->hdr.version >> 4) == 2) {
        use_plaintext_v2(ev, plain, len);
        return;
    }
    ike_payloads pl;
    ike_wire_parse_payloads(len ? plain : NULL, len, ev->hdr.next_payload, &pl);
    if (pl.malformed == IKE_MALFORMED_NONE && !(pl.mask & IKE_PMASK_UNKNOWN) && pl.n_payloads > 0) {
        ev->pl = pl;
        ev->pl_buf = plain;
        ev->pl_len = len;
        ev->readable = true;
        ev->decrypted = true;
    } else {
        ev->decrypt_failed = true;
    }
}

/* ---- endpoints ------------------------------------------------------------ */

void ike_endpoint_format(const ike_endpoint *e, char *buf, size_t len)
{
    if (e->family == 4) {
        /* By hand: snprintf cost 2,000 instructions, and -z isakmpstate,sa
         * writes two per IKE SA. */
        char a[sizeof "255.255.255.255:65535"];
        size_t o = 0;
        for (int i = 0; i < 5; i++) {
            unsigned v = i < 4 ? e->addr[i] : e->port;
            char d[5];
            int k = 0;
            do {
                d[k++] = (char)('0' + v % 10);
                v /= 10;
            } while (v);
            while (k)
                a[o++] = d[--k];
            if (i < 4)
                a[o++] = i < 3 ? '.' : ':';
        }
        if (len) {
            size_t c = o < len - 1 ? o : len - 1;
            memcpy(buf, a, c);
            buf[c] = '\0';
        }
    } else if (e->family == 6) {
        /* RFC 5952 text form: longest run of zero groups becomes "::". */
        uint16_t g[8];
        for (int i = 0; i < 8; i++)
            g[i] = (uint16_t)(e->addr[2 * i] << 8 | e->addr[2 * i + 1]);
        int best = -1, bestlen = 1;
        for (int i = 0; i < 8;) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestlen) { best = i; bestlen = j - i; }
            i = j;
        }
        char a[48];
        size_t o = 0;
        for (int i = 0; i < 8; i++) {
            if (i == best) {
                o += (size_t)snprintf(a + o, sizeof a - o, "::");
                i += bestlen - 1;
                continue;
            }
            if (o > 0 && a[o - 1] != ':')
                a[o++] = ':';
            o += (size_t)snprintf(a + o, sizeof a - o, "%x", g[i]);
        }
        a[o] = '\0';
        snprintf(buf, len, "[%s]:%u", a, e->port);
    } else {
        snprintf(buf, len, "?:%u", e->port);
    }
}
