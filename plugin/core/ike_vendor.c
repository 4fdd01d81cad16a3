/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_vendor.c - known Vendor IDs, as data.
 *
 * Each entry is a prefix of the payload body. Where a Vendor ID is the MD5
 * of a string, the prefix was computed here from that string (python3 -c
 * 'import hashlib; print(hashlib.md5(b"...").hexdigest())'); each one below
 * was also seen in the bundled captures (tests/data/tcpdump: two Cisco IOS
 * routers and an Openswan host; sample-captures: strongSwan and libreswan),
 * except strongSwan's own (sent only with charon.send_vendor_id = yes) and
 * Microsoft's. Versioned IDs (Cisco Unity, DPD) end in two version bytes,
 * left out of the prefix.
 */
#include <stdio.h>
#include <string.h>

#include "ike_vendor.h"

typedef struct {
    const char *hex;   /* prefix of the Vendor ID, hex */
    const char *name;
    int         implementation; /* names the peer's implementation, not a feature */
} vendor_t;

static const vendor_t vendors[] = {
    /* implementations */
    {"12f5f28c457168a9702d9fe274cc", "Cisco Unity (Cisco IOS / ASA / VPN client)", 1}, /* MD5("CISCO-UNITY"), 14 bytes */
    {"1e2b516905991c7d7c96fcbfb587e461", "Microsoft Windows", 1},                    /* MD5("MS NT5 ISAKMPOAKLEY") */
    {"882fe56d6fd20dbc2251613b2ebe5beb", "strongSwan", 1},                            /* MD5("strongSwan") */
    {"4f45", "Openswan / libreswan", 1},                                              /* "OE" and a version hash */
    /* extensions */
    {"4a131c81070358455c5728f20e95452f", "NAT-T (RFC 3947)", 0},                    /* MD5("RFC 3947") */
    {"90cb80913ebb696e086381b5ec427b1f", "NAT-T (draft 02)", 0},
    {"cd60464335df21f87cfdb2fc68b6a448", "NAT-T (draft 02)", 0},
    {"7d9419a65310ca6f2c179d9215529d56", "NAT-T (draft 03)", 0},
    {"439b59f8ba676c4c7737ae22eab8f582", "NAT-T (draft 07)", 0},
    {"4485152d18b6bbcd0be8a8469579ddcc", "NAT-T (draft 00)", 0},
    {"afcad71368a1f1c96b8696fc7757", "DPD (RFC 3706)", 0},
    {"09002689dfd6b712", "XAUTH", 0},
    {"4048b7d56ebce88525e7de7f00d6c2d3", "IKEv1 fragmentation", 0},                 /* MD5("FRAGMENTATION") */
};
#define N_VENDORS (sizeof vendors / sizeof vendors[0])
_Static_assert(N_VENDORS <= 32, "a Vendor ID is one bit of a uint32_t");

static int hexv(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

/* The prefixes as bytes, decoded once: matching hex text on every Vendor
 * ID payload was 15 M instructions on 2,000 SAs, a sixth of the plugin. */
#define VID_PREFIX_MAX 16
static uint8_t prefix_bytes[N_VENDORS][VID_PREFIX_MAX];
static uint8_t prefix_len[N_VENDORS];
/* The entries whose prefix starts with each byte (bit i: vendors[i]): a
 * Vendor ID is compared with those only, in table order (3 M instructions
 * of memcmp calls over the whole table on 2,000 SAs before). */
static uint32_t by_first_byte[256];

static void decode_prefixes(void)
{
    static int done;
    if (done)
        return;
    for (size_t i = 0; i < N_VENDORS; i++) {
        size_t n = strlen(vendors[i].hex) / 2;
        if (n > VID_PREFIX_MAX)
            n = VID_PREFIX_MAX;
        for (size_t k = 0; k < n; k++)
            prefix_bytes[i][k] = (uint8_t)(hexv(vendors[i].hex[2 * k]) << 4 | hexv(vendors[i].hex[2 * k + 1]));
        prefix_len[i] = (uint8_t)n;
        if (n)
            by_first_byte[prefix_bytes[i][0]] |= 1u << i;
    }
    done = 1;
}

uint32_t ike_vendor_bit(const uint8_t *vid, size_t len)
{
    decode_prefixes();
    if (len == 0)
        return 0;
    for (uint32_t cand = by_first_byte[vid[0]]; cand; cand &= cand - 1) {
        unsigned i = (unsigned)__builtin_ctz(cand);
        size_t n = prefix_len[i];
        if (len < n || memcmp(vid, prefix_bytes[i], n) != 0)
            continue;
        /* "OE" alone is too short to trust unless it is the 12-byte form. */
        if (n == 2 && len != 12)
            continue;
        return 1u << i;
    }
    return 0;
}

size_t ike_vendor_format(uint32_t bits, char *buf, size_t len)
{
    size_t o = 0;
    if (len)
        buf[0] = '\0';
    for (size_t i = 0; i < N_VENDORS; i++) {
        if (!(bits & (1u << i)))
            continue;
        int k = snprintf(buf + o, len > o ? len - o : 0, "%s%s", o ? ", " : "", vendors[i].name);
        if (k > 0)
            o += (size_t)k;
        if (o >= len)
            return len ? len - 1 : 0;
    }
    return o;
}

const char *ike_vendor_implementation(uint32_t bits)
{
    for (size_t i = 0; i < N_VENDORS; i++)
        if ((bits & (1u << i)) && vendors[i].implementation)
            return vendors[i].name;
    return NULL;
}

const char *ike_vendor_name(uint32_t bit)
{
    for (size_t i = 0; i < N_VENDORS; i++)
        if (bit == (1u << i))
            return vendors[i].name;
    return NULL;
}
