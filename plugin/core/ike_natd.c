/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_natd.c - NAT-D checks. Each peer sends the hash of the destination it
 * sends to first, then the hash(es) of its own source (RFC 3947 3.2). At the
 * capture point we hash the addresses actually in the packet: a source that
 * does not match was translated between the sender and here (NAT in front
 * of the sender), a destination that does not match was translated between
 * here and where the sender thought the receiver was (NAT in front of the
 * receiver). strongSwan's forceencap sends a random source hash on purpose,
 * which looks like a NAT in front of the sender.
 */
#include "ike_natd.h"
#include "ike_proposal.h"

#include <gcrypt.h>
#include <string.h>

uint8_t ike_natd_alg_for_len(size_t len)
{
    const ike_hash_alg *a = ike_hash_by_len(len);
    return a ? a->id : 0;
}

size_t ike_natd_hash(uint8_t alg, const uint8_t icookie[8], const uint8_t rcookie[8],
                     const ike_endpoint *e, uint8_t *out)
{
    const ike_hash_alg *ha = ike_hash_by_id(alg);
    int ga = ha ? ha->gcry : 0;
    /* Whether libgcrypt has the algorithm does not change: asked once. */
    static int8_t available[7];
    if (!ga || (e->family != 4 && e->family != 6))
        return 0;
    if (available[alg] == 0)
        available[alg] = gcry_md_test_algo(ga) == 0 ? 1 : -1;
    if (available[alg] < 0)
        return 0;
    uint8_t buf[8 + 8 + 16 + 2];
    size_t alen = e->family == 6 ? 16 : 4;
    memcpy(buf, icookie, 8);
    memcpy(buf + 8, rcookie, 8);
    memcpy(buf + 16, e->addr, alen);
    buf[16 + alen] = (uint8_t)(e->port >> 8);
    buf[17 + alen] = (uint8_t)(e->port & 0xff);
    size_t inlen = 18 + alen;
    /* MM4 carries the hashes of MM3's two endpoints (and retries repeat
     * them): a small cache of recent inputs halves the hashing, the
     * largest item of tracking in callgrind. Keyed by the whole input, so
     * a hit is exact. Wireshark dissects one packet at a time. */
    static struct {
        uint8_t alg, inlen, outlen;
        uint8_t in[sizeof buf];
        uint8_t out[64];
    } cache[1024];
    /* The slot from the cookies and the address's last four bytes with
     * the port, in one multiply (a hit is still checked byte for byte). */
    uint64_t ci, cr;
    uint32_t tail;
    memcpy(&ci, buf, 8);
    memcpy(&cr, buf + 8, 8);
    memcpy(&tail, buf + inlen - 4, 4);
    uint64_t k = (ci ^ (cr << 21 | cr >> 43) ^ ((uint64_t)tail << 7) ^ alg) * 0x9e3779b97f4a7c15ULL;
    unsigned slot = (unsigned)(k >> 54);
    if (cache[slot].alg == alg && cache[slot].inlen == inlen && memcmp(cache[slot].in, buf, inlen) == 0) {
        memcpy(out, cache[slot].out, cache[slot].outlen);
        return cache[slot].outlen;
    }
    size_t dlen = gcry_md_get_algo_dlen(ga);
    if (dlen == 0 || dlen > sizeof cache[slot].out)
        return 0;
    gcry_md_hash_buffer(ga, out, buf, inlen);
    cache[slot].alg = alg;
    cache[slot].inlen = (uint8_t)inlen;
    cache[slot].outlen = (uint8_t)dlen;
    memcpy(cache[slot].in, buf, inlen);
    memcpy(cache[slot].out, out, dlen);
    return dlen;
}

ike_natd_result ike_natd_check(const ike_event *ev, uint8_t alg)
{
    const ike_payloads *pl = &ev->pl;
    if (!ev->readable || pl->n_natd < 2)
        return NATD_NONE;
    /* The payload length is the hash length; it decides whenever it names
     * one hash (Tiger's 24 bytes name none: then the negotiated one). */
    uint8_t by_len = ike_natd_alg_for_len(pl->natd_len[0]);
    if (by_len)
        alg = by_len;
    uint8_t h[64];
    size_t hl = ike_natd_hash(alg, ev->hdr.icookie, ev->hdr.rcookie, &ev->dst, h);
    if (hl == 0 || hl != pl->natd_len[0])
        return NATD_NONE;
    bool dst_ok = memcmp(h, pl->natd[0], hl) == 0;
    ike_natd_hash(alg, ev->hdr.icookie, ev->hdr.rcookie, &ev->src, h);
    bool src_ok = false;
    for (unsigned i = 1; i < pl->n_natd; i++)
        if (pl->natd_len[i] == hl && memcmp(h, pl->natd[i], hl) == 0)
            src_ok = true;
    if (dst_ok && src_ok)
        return NATD_MATCH;
    if (!dst_ok && !src_ok)
        return NATD_BOTH_CHANGED;
    return dst_ok ? NATD_SRC_CHANGED : NATD_DST_CHANGED;
}
