/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_store.h - the containers the tracker needs, in plain C.
 *
 * A chunked vector (elements never move, so pointers stay valid while it
 * grows; index 0 is reserved so that 0 can mean "none") and an open-
 * addressing map from a 64-bit key to a 32-bit index. Both grow in amortised
 * constant time: the tracker does no per-packet scan of all SAs or packets.
 */
#ifndef IKE_STORE_H
#define IKE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IKE_VEC_CHUNK_BITS 10 /* 1024 elements per chunk */

typedef struct {
    size_t    elem_size;
    uint32_t  count;      /* elements in use, including the reserved index 0 */
    uint32_t  n_chunks;
    uint32_t  cap_chunks;
    uint8_t **chunks;
} ike_vec;

void     ike_vec_init(ike_vec *v, size_t elem_size);
void     ike_vec_free(ike_vec *v);
/* Append a zeroed element; returns its index (>= 1), or 0 when out of memory. */
uint32_t ike_vec_push(ike_vec *v);
/* Drop the last element (zeroed again, so that the next push gets it clean). */
void     ike_vec_pop(ike_vec *v);
/* NULL if out of range or 0. Inline: the packed records and the maps'
 * key_of read elements on every message. */
static inline void *ike_vec_at(const ike_vec *v, uint32_t index)
{
    if (index == 0 || index >= v->count)
        return NULL;
    return v->chunks[index >> IKE_VEC_CHUNK_BITS] +
           (size_t)(index & ((1u << IKE_VEC_CHUNK_BITS) - 1)) * v->elem_size;
}
static inline uint32_t ike_vec_len(const ike_vec *v) { return v->count ? v->count - 1 : 0; }
size_t   ike_vec_bytes(const ike_vec *v);

typedef struct {
    uint64_t *keys;
    uint32_t *vals;   /* 0 = empty slot */
    uint32_t  cap;    /* power of two */
    uint32_t  used;
} ike_map;

void     ike_map_init(ike_map *m);
void     ike_map_free(ike_map *m);
uint32_t ike_map_get(const ike_map *m, uint64_t key);           /* 0 if absent */
bool     ike_map_put(ike_map *m, uint64_t key, uint32_t val);   /* insert or replace */
size_t   ike_map_bytes(const ike_map *m);

/* The same map for values whose key can be read back from the element they
 * name (an SA's cookie, an exchange's SA and message ID): only the 4-byte
 * values and a 1-byte tag (8 bits of the key's hash) are stored, 5 of
 * ike_map's 12 bytes per slot; a probe asks key_of for the key of the value
 * it finds only when the tag matches. put() needs key_of(ctx, val) == key. */
typedef uint64_t (*ike_key_fn)(const void *ctx, uint32_t val);
typedef struct {
    uint32_t  *vals;  /* 0 = empty slot */
    uint8_t   *tags;
    uint32_t   cap;   /* power of two */
    uint32_t   used;
    ike_key_fn key_of;
    const void *ctx;
} ike_imap;

void     ike_imap_init(ike_imap *m, ike_key_fn key_of, const void *ctx);
void     ike_imap_free(ike_imap *m);
uint32_t ike_imap_get(const ike_imap *m, uint64_t key);         /* 0 if absent */
bool     ike_imap_put(ike_imap *m, uint64_t key, uint32_t val); /* insert or replace */
size_t   ike_imap_bytes(const ike_imap *m);

/* A set of distinct fixed-size values (what kind a message is, an
 * address), each kept once in a vector and named by its index (>= 1);
 * found again by its bytes (so give values without padding garbage). For
 * what many records or SAs repeat. */
typedef struct {
    ike_vec   items;
    uint32_t *slots;  /* items index, 0 = empty; at most half full */
    uint32_t  cap;    /* power of two, 0 before the first value */
} ike_set;

void     ike_set_init(ike_set *s, size_t elem_size);
void     ike_set_free(ike_set *s);
/* The index of value, added when new; 0 when out of memory. */
uint32_t ike_set_intern(ike_set *s, const void *value);
static inline const void *ike_set_at(const ike_set *s, uint32_t index) { return ike_vec_at(&s->items, index); }
size_t   ike_set_bytes(const ike_set *s);

uint64_t ike_hash64(const void *data, size_t len, uint64_t seed);

#endif
