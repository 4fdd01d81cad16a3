/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_weak.c - weak algorithms in a chosen proposal (see ike_weak.h).
 */
#include <stdio.h>
#include <string.h>

#include "ike_weak.h"
#include "ike_wire.h"

static uint32_t weak_group(uint16_t g)
{
    return g == 1 ? WEAK_DH1 : g == 2 ? WEAK_DH2 : g == 5 ? WEAK_DH5 : 0;
}

uint32_t ike_weak_v1(const ike_p1_transform *t, uint8_t mode)
{
    uint32_t w = 0;
    /* RFC 2409 appendix A: encryption 1 DES-CBC, 5 3DES-CBC; hash 1 MD5;
     * authentication 1 pre-shared key (65001/65002: XAUTH with PSK). */
    if (t->enc == 1)
        w |= WEAK_DES;
    if (t->enc == 5)
        w |= WEAK_3DES;
    if (t->hash == 1)
        w |= WEAK_MD5;
    w |= weak_group(t->group);
    if (mode == IKE_EXCH_AGGRESSIVE && (t->auth == 1 || t->auth == 65001 || t->auth == 65002))
        w |= WEAK_AGGR_PSK;
    return w;
}

uint32_t ike_weak_v2(uint16_t encr, uint16_t prf, uint16_t integ, uint16_t dh)
{
    uint32_t w = 0;
    /* RFC 7296 3.3.2 / IANA: ENCR 2 DES, 3 3DES; PRF 1 HMAC_MD5; INTEG 1
     * HMAC_MD5_96, 6 HMAC_MD5_128. */
    if (encr == 2)
        w |= WEAK_DES;
    if (encr == 3)
        w |= WEAK_3DES;
    if (prf == 1 || integ == 1 || integ == 6)
        w |= WEAK_MD5;
    return w | weak_group(dh);
}

size_t ike_weak_format(uint32_t flags, char *buf, size_t len)
{
    static const struct { uint32_t bit; const char *name; } names[] = {
        {WEAK_DES, "DES"}, {WEAK_3DES, "3DES"}, {WEAK_MD5, "MD5"},
        {WEAK_DH1, "MODP768 (group 1)"}, {WEAK_DH2, "MODP1024 (group 2)"}, {WEAK_DH5, "MODP1536 (group 5)"},
        {WEAK_AGGR_PSK, "aggressive mode with a pre-shared key"},
    };
    size_t o = 0;
    if (len)
        buf[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(flags & names[i].bit))
            continue;
        int k = snprintf(buf + o, len > o ? len - o : 0, "%s%s", o ? ", " : "", names[i].name);
        if (k > 0)
            o += (size_t)k;
        if (o >= len)
            return len ? len - 1 : 0;
    }
    return o;
}

static const char *v2_name(const char *const *t, size_t n, uint16_t id, char *tmp, size_t tl)
{
    if (id < n && t[id])
        return t[id];
    snprintf(tmp, tl, "%u", id);
    return tmp;
}

void ike2_transform_format(uint16_t encr, uint16_t keylen, uint16_t prf, uint16_t integ, uint16_t dh,
                           char *buf, size_t len)
{
    /* IANA IKEv2 transform IDs, the ones implementations send. */
    static const char *const encrs[] = {[2] = "DES", [3] = "3DES", [12] = "AES-CBC", [13] = "AES-CTR",
                                        [18] = "AES-GCM-8", [19] = "AES-GCM-12", [20] = "AES-GCM-16",
                                        [28] = "CHACHA20-POLY1305"};
    static const char *const prfs[] = {[1] = "PRF-HMAC-MD5", [2] = "PRF-HMAC-SHA1", [4] = "PRF-AES128-XCBC",
                                       [5] = "PRF-HMAC-SHA2-256", [6] = "PRF-HMAC-SHA2-384", [7] = "PRF-HMAC-SHA2-512"};
    static const char *const integs[] = {[1] = "HMAC-MD5-96", [2] = "HMAC-SHA1-96", [5] = "AES-XCBC-96",
                                         [6] = "HMAC-MD5-128", [12] = "HMAC-SHA2-256-128",
                                         [13] = "HMAC-SHA2-384-192", [14] = "HMAC-SHA2-512-256"};
    static const char *const dhs[] = {[1] = "MODP768", [2] = "MODP1024", [5] = "MODP1536", [14] = "MODP2048",
                                      [15] = "MODP3072", [16] = "MODP4096", [19] = "ECP256", [20] = "ECP384",
                                      [21] = "ECP521", [31] = "Curve25519", [32] = "Curve448"};
    char a[8], b[8], c[8], d[8], e[16] = "";
    if (keylen)
        snprintf(e, sizeof e, "-%u", keylen);
    snprintf(buf, len, "%s%s/%s/%s/%s", encr ? v2_name(encrs, sizeof encrs / sizeof encrs[0], encr, a, sizeof a) : "?", e,
             prf ? v2_name(prfs, sizeof prfs / sizeof prfs[0], prf, b, sizeof b) : "?",
             integ ? v2_name(integs, sizeof integs / sizeof integs[0], integ, c, sizeof c) : "none",
             dh ? v2_name(dhs, sizeof dhs / sizeof dhs[0], dh, d, sizeof d) : "?");
}
