/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_psk.c - aggressive-mode pre-shared key test (the psk-crack method):
 *   SKEYID = prf(PSK, Ni_b | Nr_b)
 *   HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
 * with prf = HMAC of the negotiated hash (RFC 2409 sections 5 and 5.4).
 */
#include "ike_proposal.h"
#include "ike_psk.h"

#include <gcrypt.h>
#include <string.h>

static int gcry_alg(uint8_t alg)
{
    const ike_hash_alg *a = alg == 3 ? NULL : ike_hash_by_id(alg); /* no Tiger HMAC here */
    return a ? a->gcry : 0;
}

static bool hmac(int alg, const uint8_t *key, size_t klen, const ike_bytes *parts, size_t n,
                 uint8_t *out, size_t *olen)
{
    gcry_md_hd_t h;
    if (gcry_md_open(&h, alg, GCRY_MD_FLAG_HMAC) != 0)
        return false;
    if (gcry_md_setkey(h, key, klen) != 0) {
        gcry_md_close(h);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        if (parts[i].len)
            gcry_md_write(h, parts[i].p, parts[i].len);
    *olen = gcry_md_get_algo_dlen(alg);
    memcpy(out, gcry_md_read(h, alg), *olen);
    gcry_md_close(h);
    return true;
}

bool ike_am_psk_matches(uint8_t hash_alg, const uint8_t *psk, size_t psk_len, const ike_am_material *m)
{
    int alg = gcry_alg(hash_alg);
    if (!alg || gcry_md_test_algo(alg) != 0 || psk_len == 0 || !m->hash_r.len)
        return false;
    uint8_t skeyid[64], hash[64];
    size_t sl, hl;
    ike_bytes nonces[2] = {m->ni, m->nr};
    if (!hmac(alg, psk, psk_len, nonces, 2, skeyid, &sl))
        return false;
    ike_bytes parts[6] = {m->gxr, m->gxi, {m->rcookie, 8}, {m->icookie, 8}, m->sai, m->idir};
    if (!hmac(alg, skeyid, sl, parts, 6, hash, &hl))
        return false;
    return hl == m->hash_r.len && memcmp(hash, m->hash_r.p, hl) == 0;
}
