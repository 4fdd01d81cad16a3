/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_tracker_int.h - the tracker's insides, shared by the IKEv1 code
 * (ike_tracker.c) and the IKEv2 code (ike2_tracker.c). Not for the glue.
 */
#ifndef IKE_TRACKER_INT_H
#define IKE_TRACKER_INT_H

#include "ike_store.h"
#include "ike_tracker.h"

/* What is stored per message: the 44-byte ike_record packed into 12 bytes.
 * The frame, the owner and the time are offsets from bases kept per block
 * of 64 records (trk_block): frames grow slowly from record to record,
 * most messages belong to SAs and exchanges made shortly before, and 64
 * records rarely span more than a second or two. The owner is the record's
 * exchange when it has one (its SA is the exchange's), else its SA; the
 * time is a whole number of units of the last bit of the block's first
 * record's time: exact, and checked, for times up to 2^23 units from it
 * (2 s for times since 1970 in this century); the others (TRK_FAR_TIME)
 * are in t->far_times. Links are offsets to the record with that frame
 * (ref back, answered_by forward). An offset that does not fit says so
 * (TRK_ESC, OWN_SA_FAR, OWN_EXCH_FAR) and the full value is in
 * t->far_fields or t->escaped. The delta is the difference of two records'
 * times (REC_DELTA_CALC; any other non-zero delta is in t->escaped). What a
 * message is (flags, sender, message, retransmission count, both sides'
 * states: trk_kind) repeats from SA to SA: a capture has a few dozen kinds,
 * kept once in t->kinds and named by an 8-bit index (TRK_KIND_ESC: the index
 * is in t->kind_of, past 254 kinds). The fields most messages leave at
 * their defaults (notify, cfg, xauth, delete, malformed, an exchange type
 * other than the message's own, a retransmission count over 254) live in
 * t->rare, found through t->rare_of, and the REC_HAS_RARE bit says whether
 * to look. */
typedef struct {
    uint32_t tk;        /* time offset (signed, 24 bits) << 8 | kind (t->kinds index) */
    uint16_t frame;     /* frame - fbase; TRK_ESC: in t->far_fields */
    uint16_t owner;     /* OWN_*: the exchange or the SA, as an offset from its base */
    uint16_t ref;       /* back to ref_frame's record, 0 none */
    uint16_t ans;       /* forward to answered_by's record, 0 none */
} trk_crec;

/* The bases of a block of 64 records: the time, frame and counts of SAs
 * and exchanges when its first record came. */
#define TRK_BLOCK_BITS 6
typedef struct {
    double   tbase;
    double   tunit;     /* the last bit of tbase: the unit of the time offsets */
    uint32_t fbase;
    uint32_t sbase;
    uint32_t ebase;
} trk_block;

/* A record's owner: 0 none; OWN_MID + (sa - sbase) for an SA within
 * 0x3FFF of its block's base; OWN_SA_FAR: the SA is in t->far_fields;
 * OWN_EXCH | OWN_MID + (exch - ebase) for an exchange, whose SA is the
 * record's; OWN_EXCH_FAR: the exchange is in t->escaped and the SA in
 * t->far_fields. */
#define OWN_MID 0x4000
#define OWN_SA_FAR 0x7FFFu
#define OWN_EXCH 0x8000u
#define OWN_EXCH_FAR 0xFFFFu
#define TRK_KIND_ESC 0xFFu
#define TRK_FAR_TIME (-0x800000)

typedef struct {
    uint32_t flags;     /* REC_* in bits 0..27, the sender in 28..29, REC_HAS_RARE, REC_DELTA_CALC */
    uint8_t  msg;
    uint8_t  retrans;   /* retrans_count, 255: in the rare entry */
    uint8_t  state[2];
    uint8_t  qstate[2];
    uint8_t  zero[2];   /* kinds are compared whole */
} trk_kind;

/* The record fields most messages leave at their default, kept in a side
 * entry by the records that have them: X(type, field), in ike_record too.
 * One list for the entry and for both copies (store_cur, ike_tracker_record). */
#define TRK_RARE_FIELDS(X) \
    X(uint16_t, notify)    \
    X(uint16_t, retrans_count) \
    X(uint8_t, n_notify)   \
    X(uint8_t, cfg_type)   \
    X(uint8_t, delete_proto) \
    X(uint8_t, malformed)  \
    X(uint8_t, exch_type)  \
    X(int8_t, xauth_status)

#define TRK_RARE_MEMBER(type, field) type field;
typedef struct {
    TRK_RARE_FIELDS(TRK_RARE_MEMBER)
} trk_rare;
#undef TRK_RARE_MEMBER

/* An SA's address as t->addrs keeps it, once for all the SAs that have it
 * (a concentrator's address is in all of them). 17 bytes, no padding. */
typedef struct {
    uint8_t family;
    uint8_t addr[16];
} trk_addr;

#define TRK_ESC 0xFFFFu
#define REC_FROM_SHIFT 28
#define REC_HAS_RARE (1u << 30)
#define REC_DELTA_CALC (1u << 31)
#define REC_PUBLIC_MASK ((1u << REC_FROM_SHIFT) - 1)

struct ike_tracker {
    ike_vec  sas;        /* ike_sa */
    ike_vec  exchanges;  /* ike_exchange */
    ike_vec  parts;      /* ike_exch_part of the exchanges that have one */
    ike_vec  records;    /* trk_crec, in frame order */
    ike_set  kinds;      /* trk_kind */
    ike_set  addrs;      /* trk_addr: the SAs' addresses */
    ike_set  chosen;     /* ike_p1_transform: the proposals the SAs' responders chose */
    ike_set  vendors;    /* uint32_t[2]: the Vendor IDs (bits) an SA's initiator and responder sent */
    ike_map  kind_of;    /* record index -> kinds index, for kind TRK_ESC */
    trk_block *blocks;   /* per 64 records: their bases */
    uint32_t n_blocks;
    ike_map  far_fields; /* record index << 2 | FAR_FRAME / FAR_SA / FAR_SLOT_FIRST (ike_tracker.c): what does not fit in 16 bits */
    ike_vec  rare;       /* trk_rare */
    ike_map  rare_of;    /* record index -> rare entry */
    ike_map  escaped;    /* record index << 2 | field -> ref_frame / answered_by / exch / delta's bits */
    ike_vec  far_times;  /* double: times of TRK_FAR_TIME records */
    ike_map  far_of;     /* record index -> far_times entry */
    /* The IPv4 IDs of the last TRK_IP_RING records, by record index: the
     * capture-duplicate test compares a copy's ID with its original's,
     * which came less than a second before. */
    uint16_t *ip_ring;
    uint32_t ip_ring_size;
    ike_record cur;      /* the message being fed, unpacked */
    uint32_t cur_idx;
    uint32_t cur_ref_rec; /* a record with cur.ref_frame's frame, when known */
    uint32_t n_ext;      /* ike_sa_ext in use */
    ike_vec  exts;       /* ike_sa_ext, named by ike_sa.x */
    ike_vec  ext_free;   /* uint32_t: indices in exts that no SA uses */
    ike_map  far_next;   /* exchange index -> the SA's next exchange, for next_off EXCH_FAR_NEXT */
    ike_map  sa_far;     /* SA index << 3 | SA_FAR_*: an SA's 16-bit fields that do not fit */
    ike_imap by_icookie; /* icookie (IKEv2: SPIi) -> newest SA with it */
    ike_imap by_msgid;   /* (sa, kind, msgid) -> its exchange */
    ike_imap by_peers;   /* pair of t->addrs indices, unordered -> newest SA between them */
    ike_map  by_rekey;   /* IKEv2: new SPIi of an answered IKE rekey -> old SA */
    uint32_t last_frame;
    uint32_t last_first; /* the first record of last_frame */
    /* ike_tracker_find_frame's guess: the record after the last frame it
     * found (a later pass asks for the frames in order). A cache, not
     * state: written through a const tracker. */
    uint32_t find_next;
    uint32_t last_exch;  /* index of the exchange trk_find_exchange() last returned */
    const ike_psk_candidates *psks;
};

#define TRK_IP_RING 65536u /* records whose IPv4 ID is kept: more than a second of any capture */
#define MAX_CHAIN 64 /* SAs sharing one I-cookie that are searched */

uint64_t      trk_cookie_key(const uint8_t c[8]);
bool          trk_is_zero8(const uint8_t c[8]);
int           trk_side_of(const ike_tracker *t, const ike_sa *sa, const ike_event *ev);
/* An SA's extension, made on first use (NULL when out of memory); dropped
 * again by trk_sa_ext_trim() once it holds nothing. */
ike_sa_ext   *trk_sa_ext(ike_tracker *t, ike_sa *sa);
void          trk_sa_ext_trim(ike_tracker *t, ike_sa *sa);
/* The SA's extension when it has one, else NULL (none is made). */
ike_sa_ext   *trk_sa_ext_if(ike_tracker *t, const ike_sa *sa);

/* What t->sa_far keeps: frame_at[0..2] (SA_AT_*), chosen, vendors, and the
 * next older SA with the same I-cookie (SA_SAME_ICOOKIE). */
enum { SA_FAR_CHOSEN = 3, SA_FAR_VENDORS = 4, SA_FAR_SAME_ICOOKIE = 5 };
#define SA_FAR16 0xFFFFu
/* The older SA with sa's I-cookie, 0 none. */
uint32_t      trk_next_same_icookie(const ike_tracker *t, const ike_sa *sa);
/* Set an SA's frame_at[which] (SA_AT_*) to frame. */
void          trk_sa_set_frame(ike_tracker *t, ike_sa *sa, unsigned which, uint32_t frame);

/* The record being fed refers to frame 'frame', the frame of record ref_rec. */
static inline void trk_set_ref(ike_tracker *t, ike_record *rec, uint32_t frame, uint32_t ref_rec)
{
    rec->ref_frame = frame;
    t->cur_ref_rec = ref_rec;
}
/* Record q (already stored) is answered by the record being fed. */
void          trk_set_answered(ike_tracker *t, uint32_t q);
ike_sa       *trk_sa_at(ike_tracker *t, uint32_t i);
ike_sa       *trk_new_sa(ike_tracker *t, const ike_event *ev, ike_role sender);
ike_exchange *trk_find_exchange(ike_tracker *t, ike_sa *sa, uint32_t msgid, uint8_t kind,
                                ike_role starter, bool *created);
uint32_t      trk_exchange_index(ike_tracker *t, const ike_exchange *ex);
/* The part of an exchange whose kind has one (ike_exch_kind_has_part), to
 * write; NULL for the others. */
ike_exch_part *trk_part(ike_tracker *t, const ike_exchange *ex);
bool          trk_check_repeat(ike_tracker *t, ike_sa *sa, ike_slot *slot, const ike_event *ev, ike_record *rec,
                               uint32_t rec_idx);
/* The slot's message becomes record rec_idx (its message is the record's:
 * ike_slot_msg()). */
void          trk_fill_slot(ike_slot *slot, const ike_event *ev, uint32_t rec_idx);
void          trk_link_answer(ike_tracker *t, const ike_slot *asked, ike_msg want, ike_record *rec,
                              const ike_event *ev);
void          trk_check_natd(ike_tracker *t, ike_sa *sa, ike_role from, const ike_event *ev, ike_record *rec);
/* The SA's responder chose proposal c (all of its bytes set). */
void          trk_set_chosen(ike_tracker *t, ike_sa *sa, const ike_p1_transform *c);
/* Ports, float to 4500, counters: what every message does to its SA. */
void          trk_touch_sa(ike_tracker *t, ike_sa *sa, int from, const ike_event *ev, ike_record *rec);

/* IKEv2 (ike2_tracker.c): one message into rec. */
void ike2_track(ike_tracker *t, const ike_event *ev, ike_record *rec, uint32_t rec_idx);

#endif
