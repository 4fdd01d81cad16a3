/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ike_store.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_LEN (1u << IKE_VEC_CHUNK_BITS)
#define CHUNK_MASK (CHUNK_LEN - 1)

void ike_vec_init(ike_vec *v, size_t elem_size)
{
    memset(v, 0, sizeof *v);
    v->elem_size = elem_size;
}

void ike_vec_free(ike_vec *v)
{
    for (uint32_t i = 0; i < v->n_chunks; i++)
        free(v->chunks[i]);
    free(v->chunks);
    size_t es = v->elem_size;
    memset(v, 0, sizeof *v);
    v->elem_size = es;
}

uint32_t ike_vec_push(ike_vec *v)
{
    if (v->count == 0)
        v->count = 1; /* index 0 is "none" */
    if (v->count == UINT32_MAX)
        return 0;
    uint32_t idx = v->count;
    uint32_t chunk = idx >> IKE_VEC_CHUNK_BITS;
    if (chunk >= v->n_chunks) {
        if (v->n_chunks == v->cap_chunks) {
            uint32_t ncap = v->cap_chunks ? v->cap_chunks * 2 : 8;
            uint8_t **nc = realloc(v->chunks, ncap * sizeof *nc);
            if (!nc)
                return 0;
            v->chunks = nc;
            v->cap_chunks = ncap;
        }
        uint8_t *c = calloc(CHUNK_LEN, v->elem_size);
        if (!c)
            return 0;
        v->chunks[v->n_chunks++] = c;
    }
    v->count++;
    return idx;
}

void ike_vec_pop(ike_vec *v)
{
    void *last = ike_vec_at(v, ike_vec_len(v));
    if (!last)
        return;
    memset(last, 0, v->elem_size);
    v->count--;
}

size_t ike_vec_bytes(const ike_vec *v)
{
    return (size_t)v->n_chunks * CHUNK_LEN * v->elem_size + v->cap_chunks * sizeof(uint8_t *);
}

void ike_map_init(ike_map *m) { memset(m, 0, sizeof *m); }

void ike_map_free(ike_map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static uint64_t mix(uint64_t k)
{
    /* splitmix64 finaliser: cookies are random, but adversarial captures
     * may not be, so spread every bit. */
    k ^= k >> 30; k *= 0xbf58476d1ce4e5b9ULL;
    k ^= k >> 27; k *= 0x94d049bb133111ebULL;
    k ^= k >> 31;
    return k;
}

uint32_t ike_map_get(const ike_map *m, uint64_t key)
{
    if (m->cap == 0)
        return 0;
    uint32_t mask = m->cap - 1;
    for (uint32_t i = (uint32_t)mix(key) & mask;; i = (i + 1) & mask) {
        if (m->vals[i] == 0)
            return 0;
        if (m->keys[i] == key)
            return m->vals[i];
    }
}

static bool grow(ike_map *m)
{
    uint32_t ncap = m->cap ? m->cap * 2 : 64;
    if (ncap == 0)
        return false;
    uint64_t *nk = calloc(ncap, sizeof *nk);
    uint32_t *nv = calloc(ncap, sizeof *nv);
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return false;
    }
    for (uint32_t i = 0; i < m->cap; i++) {
        if (m->vals[i] == 0)
            continue;
        uint32_t j = (uint32_t)mix(m->keys[i]) & (ncap - 1);
        while (nv[j])
            j = (j + 1) & (ncap - 1);
        nk[j] = m->keys[i];
        nv[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = nk;
    m->vals = nv;
    m->cap = ncap;
    return true;
}

bool ike_map_put(ike_map *m, uint64_t key, uint32_t val)
{
    if (val == 0)
        return false;
    if ((m->used + 1) * 4 >= m->cap * 3 && !grow(m))
        return false;
    uint32_t mask = m->cap - 1;
    uint32_t i = (uint32_t)mix(key) & mask;
    while (m->vals[i] && m->keys[i] != key)
        i = (i + 1) & mask;
    if (m->vals[i] == 0)
        m->used++;
    m->keys[i] = key;
    m->vals[i] = val;
    return true;
}

size_t ike_map_bytes(const ike_map *m)
{
    return (size_t)m->cap * (sizeof(uint64_t) + sizeof(uint32_t));
}

void ike_imap_init(ike_imap *m, ike_key_fn key_of, const void *ctx)
{
    memset(m, 0, sizeof *m);
    m->key_of = key_of;
    m->ctx = ctx;
}

void ike_imap_free(ike_imap *m)
{
    free(m->vals);
    free(m->tags);
    m->vals = NULL;
    m->tags = NULL;
    m->cap = m->used = 0;
}

static uint8_t tag_of(uint64_t h) { return (uint8_t)(h >> 56); }

uint32_t ike_imap_get(const ike_imap *m, uint64_t key)
{
    if (m->cap == 0)
        return 0;
    uint32_t mask = m->cap - 1;
    uint64_t h = mix(key);
    uint8_t tag = tag_of(h);
    for (uint32_t i = (uint32_t)h & mask;; i = (i + 1) & mask) {
        uint32_t v = m->vals[i];
        if (v == 0 || (m->tags[i] == tag && m->key_of(m->ctx, v) == key))
            return v;
    }
}

static bool imap_grow(ike_imap *m)
{
    uint32_t ncap = m->cap ? m->cap * 2 : 64;
    if (ncap == 0)
        return false;
    uint32_t *nv = calloc(ncap, sizeof *nv);
    uint8_t *nt = calloc(ncap, sizeof *nt);
    if (!nv || !nt) {
        free(nv);
        free(nt);
        return false;
    }
    for (uint32_t i = 0; i < m->cap; i++) {
        if (m->vals[i] == 0)
            continue;
        uint64_t h = mix(m->key_of(m->ctx, m->vals[i]));
        uint32_t j = (uint32_t)h & (ncap - 1);
        while (nv[j])
            j = (j + 1) & (ncap - 1);
        nv[j] = m->vals[i];
        nt[j] = tag_of(h);
    }
    free(m->vals);
    free(m->tags);
    m->vals = nv;
    m->tags = nt;
    m->cap = ncap;
    return true;
}

bool ike_imap_put(ike_imap *m, uint64_t key, uint32_t val)
{
    if (val == 0)
        return false;
    if ((m->used + 1) * 4 >= m->cap * 3 && !imap_grow(m))
        return false;
    uint32_t mask = m->cap - 1;
    uint64_t h = mix(key);
    uint8_t tag = tag_of(h);
    uint32_t i = (uint32_t)h & mask;
    while (m->vals[i] && !(m->tags[i] == tag && m->key_of(m->ctx, m->vals[i]) == key))
        i = (i + 1) & mask;
    if (m->vals[i] == 0)
        m->used++;
    m->vals[i] = val;
    m->tags[i] = tag;
    return true;
}

size_t ike_imap_bytes(const ike_imap *m) { return (size_t)m->cap * (sizeof(uint32_t) + sizeof(uint8_t)); }

uint64_t ike_hash64(const void *data, size_t len, uint64_t seed)
{
    const uint8_t *p = data;
    uint64_t h = 1469598103934665603ULL ^ seed;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return mix(h);
}

/* ---- sets of distinct values ------------------------------------------- */

void ike_set_init(ike_set *s, size_t elem_size)
{
    ike_vec_init(&s->items, elem_size);
    s->slots = NULL;
    s->cap = 0;
}

void ike_set_free(ike_set *s)
{
    ike_vec_free(&s->items);
    free(s->slots);
    s->slots = NULL;
    s->cap = 0;
}

/* memcmp of the sizes sets hold, with the size known here so that the
 * compiler compares in place (the kinds are looked up once per message). */
static bool same_value(size_t n, const void *a, const void *b)
{
    switch (n) {
    case 8:  return memcmp(a, b, 8) == 0;
    case 12: return memcmp(a, b, 12) == 0;
    case 16: return memcmp(a, b, 16) == 0;
    default: return memcmp(a, b, n) == 0;
    }
}

static uint32_t set_hash(const ike_set *s, const void *value)
{
    /* The set is asked once per message (its kind, 12 bytes): from 8 to 16
     * bytes, the first and the last eight (which may overlap) in one mix;
     * other sizes eight bytes at a time. */
    const uint8_t *p = value;
    size_t len = s->items.elem_size;
    uint64_t h = 0x534554ULL ^ len;
    if (len >= 8 && len <= 16) {
        uint64_t a, b;
        memcpy(&a, p, 8);
        memcpy(&b, p + len - 8, 8);
        return (uint32_t)(mix(h ^ a ^ (b << 29 | b >> 35) * 0x9e3779b97f4a7c15ULL) >> 32);
    }
    for (; len >= 8; p += 8, len -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = mix(h ^ w);
    }
    if (len) {
        uint64_t w = 0;
        for (size_t i = 0; i < len; i++)
            w |= (uint64_t)p[i] << (8 * i);
        h = mix(h ^ w);
    }
    return (uint32_t)(h >> 32);
}

uint32_t ike_set_intern(ike_set *s, const void *value)
{
    uint32_t n = ike_vec_len(&s->items);
    if ((uint64_t)(n + 1) * 2 > s->cap) {
        /* Rebuilt from the values at twice the size. */
        if (s->cap > UINT32_MAX / 2)
            return 0;
        uint32_t cap = s->cap ? s->cap * 2 : 64;
        uint32_t *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return 0;
        for (uint32_t i = 1; i <= n; i++) {
            uint32_t k = set_hash(s, ike_vec_at(&s->items, i)) & (cap - 1);
            while (slots[k])
                k = (k + 1) & (cap - 1);
            slots[k] = i;
        }
        free(s->slots);
        s->slots = slots;
        s->cap = cap;
    }
    uint32_t k = set_hash(s, value) & (s->cap - 1);
    for (; s->slots[k]; k = (k + 1) & (s->cap - 1))
        if (same_value(s->items.elem_size, ike_vec_at(&s->items, s->slots[k]), value))
            return s->slots[k];
    uint32_t i = ike_vec_push(&s->items);
    if (!i)
        return 0;
    memcpy(ike_vec_at(&s->items, i), value, s->items.elem_size);
    s->slots[k] = i;
    return i;
}

size_t ike_set_bytes(const ike_set *s)
{
    return ike_vec_bytes(&s->items) + (size_t)s->cap * sizeof *s->slots;
}
