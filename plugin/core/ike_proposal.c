/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_proposal.c - reading phase-1 proposals and naming their attributes.
 * Attribute numbers: RFC 2409 appendix A, and the XAUTH authentication
 * methods of draft-beaulieu-ike-xauth.
 */
#include "ike_proposal.h"

#include <gcrypt.h>

#include <stdio.h>
#include <string.h>

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static uint32_t get_var(const uint8_t *p, uint16_t len)
{
    uint32_t v = 0;
    /* Longer values keep their low 32 bits: lifetimes fit. */
    for (uint16_t i = 0; i < len; i++)
        v = v << 8 | p[i];
    return v;
}

static void read_attributes(const uint8_t *a, size_t len, ike_p1_transform *t)
{
    uint16_t life_type = 0;
    size_t off = 0;
    while (off + 4 <= len) {
        uint16_t type = get16(a + off);
        bool tv = (type & 0x8000) != 0;
        type &= 0x7fff;
        uint32_t value;
        size_t step;
        if (tv) {
            value = get16(a + off + 2);
            step = 4;
        } else {
            uint16_t vlen = get16(a + off + 2);
            if (off + 4 + vlen > len)
                return;
            value = get_var(a + off + 4, vlen);
            step = 4u + vlen;
        }
        switch (type) {
        case 1:  t->enc = (uint8_t)value; break;
        case 2:  t->hash = (uint8_t)value; break;
        case 3:  t->auth = (uint16_t)value; break;
        case 4:  t->group = (uint16_t)value; break;
        case 11: life_type = (uint16_t)value; break;
        case 12:
            if (life_type == 2)
                t->life_kb = value;
            else
                t->life_s = value;
            break;
        case 14: t->keylen = (uint16_t)value; break;
        default: break;
        }
        off += step;
    }
}

void ike_proposal_parse(const uint8_t *body, size_t len, ike_p1_offer *out)
{
    memset(out, 0, sizeof *out);
    if (len < 8) {
        out->malformed = true;
        return;
    }
    size_t off = 8; /* DOI, situation */
    for (int np = 0; off + 8 <= len && np < 32; np++) {
        uint8_t next = body[off];
        uint16_t plen = get16(body + off + 2);
        if (plen < 8 || off + plen > len) {
            out->malformed = true;
            return;
        }
        uint8_t spi_size = body[off + 6];
        uint8_t ntrans = body[off + 7];
        size_t toff = off + 8 + spi_size;
        size_t pend = off + plen;
        for (int k = 0; k < ntrans && toff + 8 <= pend; k++) {
            uint16_t tlen = get16(body + toff + 2);
            if (tlen < 8 || toff + tlen > pend) {
                out->malformed = true;
                break;
            }
            if (out->n < IKE_MAX_TRANSFORMS)
                read_attributes(body + toff + 8, tlen - 8u, &out->t[out->n++]);
            out->total++;
            toff += tlen;
        }
        off = pend;
        if (next != 2) /* no further proposal payload */
            break;
    }
}

static const char *enc_name(uint8_t e)
{
    static const char *const n[] = {"?", "DES", "IDEA", "Blowfish", "RC5", "3DES", "CAST", "AES-CBC", "Camellia"};
    return e < sizeof n / sizeof n[0] ? n[e] : "enc?";
}

/* The one map of IKEv1 hash algorithms (RFC 2409 appendix A class 2):
 * names, output lengths and libgcrypt algorithms, for the proposal text,
 * NAT-D (which names its hash by its length) and the PSK test. */
static const ike_hash_alg hash_algs[] = {
    {1, "MD5", 16, GCRY_MD_MD5},
    {2, "SHA1", 20, GCRY_MD_SHA1},
    {3, "Tiger", 24, GCRY_MD_TIGER1},
    {4, "SHA2-256", 32, GCRY_MD_SHA256},
    {5, "SHA2-384", 48, GCRY_MD_SHA384},
    {6, "SHA2-512", 64, GCRY_MD_SHA512},
};

const ike_hash_alg *ike_hash_by_id(uint8_t id)
{
    for (size_t i = 0; i < sizeof hash_algs / sizeof hash_algs[0]; i++)
        if (hash_algs[i].id == id)
            return &hash_algs[i];
    return NULL;
}

const ike_hash_alg *ike_hash_by_len(size_t len)
{
    /* Tiger's 24 bytes name no hash: only the negotiated one can. */
    for (size_t i = 0; i < sizeof hash_algs / sizeof hash_algs[0]; i++)
        if (hash_algs[i].len == len && hash_algs[i].id != 3)
            return &hash_algs[i];
    return NULL;
}

const char *ike_hash_name(uint8_t h)
{
    const ike_hash_alg *a = ike_hash_by_id(h);
    return a ? a->name : h == 0 ? "?" : "hash?";
}

static const char *auth_name(uint16_t a)
{
    switch (a) {
    case 1: return "PSK";
    case 2: return "DSS-sig";
    case 3: return "RSA-sig";
    case 4: return "RSA-enc";
    case 5: return "RSA-rev-enc";
    case 64221: return "Hybrid-RSA";
    case 65001: return "XAUTH-PSK(I)";
    case 65002: return "XAUTH-PSK(R)";
    case 65005: return "XAUTH-RSA(I)";
    case 65006: return "XAUTH-RSA(R)";
    default: return NULL;
    }
}

static void group_name(uint16_t g, char *buf, size_t len)
{
    static const struct { uint16_t g; const char *n; } names[] = {
        {1, "MODP768"}, {2, "MODP1024"}, {5, "MODP1536"}, {14, "MODP2048"}, {15, "MODP3072"},
        {16, "MODP4096"}, {17, "MODP6144"}, {18, "MODP8192"}, {19, "ECP256"}, {20, "ECP384"},
        {21, "ECP521"}, {22, "MODP1024s160"}, {23, "MODP2048s224"}, {24, "MODP2048s256"},
        {25, "ECP192"}, {26, "ECP224"}, {31, "Curve25519"}, {32, "Curve448"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].g == g) {
            snprintf(buf, len, "%s", names[i].n);
            return;
        }
    snprintf(buf, len, "group %u", g);
}

void ike_transform_format(const ike_p1_transform *t, char *buf, size_t len)
{
    char enc[24], grp[24], life[48] = "";
    if (t->keylen)
        snprintf(enc, sizeof enc, "%s-%u", enc_name(t->enc), t->keylen);
    else
        snprintf(enc, sizeof enc, "%s", enc_name(t->enc));
    group_name(t->group, grp, sizeof grp);
    const char *auth = auth_name(t->auth);
    char authbuf[16];
    if (!auth) {
        snprintf(authbuf, sizeof authbuf, "auth %u", t->auth);
        auth = authbuf;
    }
    if (t->life_s && t->life_kb)
        snprintf(life, sizeof life, "/%u s, %u KB", t->life_s, t->life_kb);
    else if (t->life_s)
        snprintf(life, sizeof life, "/%u s", t->life_s);
    else if (t->life_kb)
        snprintf(life, sizeof life, "/%u KB", t->life_kb);
    snprintf(buf, len, "%s/%s/%s/%s%s", enc, ike_hash_name(t->hash), auth, grp, life);
}

size_t ike_offered_text_size(const ike_p1_offered *o)
{
    return (size_t)IKE_TRANSFORM_TEXT * o->n + 32;
}

size_t ike_offered_format(const ike_p1_offered *o, char *buf, size_t len)
{
    size_t w = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < o->n && w + 1 < len; i++) {
        char one[IKE_TRANSFORM_TEXT];
        ike_transform_format(&o->t[i], one, sizeof one);
        int k = snprintf(buf + w, len - w, "%s#%u %s", i ? "; " : "", i + 1, one);
        if (k < 0)
            break;
        w += (size_t)k < len - w ? (size_t)k : len - w - 1;
    }
    if (o->total > o->n && w + 1 < len) {
        int k = snprintf(buf + w, len - w, "; and %u more", o->total - o->n);
        if (k > 0)
            w += (size_t)k < len - w ? (size_t)k : len - w - 1;
    }
    return w;
}
