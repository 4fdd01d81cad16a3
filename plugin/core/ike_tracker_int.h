/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_tracker_int.h - the tracker's insides, shared by the IKEv1 code
 * (ike_tracker.c) and the IKEv2 code (ike2_tracker.c). Not for the glue.
 */
#ifndef IKE_TRACKER_INT_H
#define IKE_TRACKER_INT_H

#include "ike_store.h"
#include "ike_tracker.h"

struct ike_tracker {
    ike_vec  sas;        /* ike_sa */
    ike_vec  exchanges;  /* ike_exchange */
    ike_vec  records;    /* ike_record, in frame order */
    ike_map  by_icookie; /* icookie (IKEv2: SPIi) -> newest SA with it */
    ike_map  by_msgid;   /* hash(sa, msgid) -> newest exchange with it */
    ike_map  by_peers;   /* hash(address pair) -> newest SA between them */
    ike_map  by_rekey;   /* IKEv2: new SPIi of an answered IKE rekey -> old SA */
    uint32_t last_frame;
    const ike_psk_candidates *psks;
};

#define MAX_CHAIN 64 /* SAs sharing one I-cookie that are searched */

uint64_t      trk_cookie_key(const uint8_t c[8]);
bool          trk_is_zero8(const uint8_t c[8]);
int           trk_side_of(const ike_sa *sa, const ike_event *ev);
ike_record   *trk_rec_at(ike_tracker *t, uint32_t i);
ike_sa       *trk_sa_at(ike_tracker *t, uint32_t i);
ike_sa       *trk_new_sa(ike_tracker *t, const ike_event *ev, ike_role sender);
ike_exchange *trk_find_exchange(ike_tracker *t, ike_sa *sa, uint32_t msgid, uint8_t kind,
                                ike_role starter, bool *created);
uint32_t      trk_exchange_index(ike_tracker *t, const ike_exchange *ex);
bool          trk_check_repeat(ike_sa *sa, ike_slot *slot, const ike_event *ev, ike_record *rec,
                               uint32_t rec_idx);
void          trk_fill_slot(ike_slot *slot, const ike_event *ev, uint32_t rec_idx, ike_msg msg);
void          trk_link_answer(ike_tracker *t, const ike_slot *asked, ike_msg want, ike_record *rec,
                              const ike_event *ev);
void          trk_check_natd(ike_sa *sa, ike_role from, const ike_event *ev, ike_record *rec);
/* Ports, float to 4500, counters: what every message does to its SA. */
void          trk_touch_sa(ike_sa *sa, int from, const ike_event *ev, ike_record *rec);

/* IKEv2 (ike2_tracker.c): one message into rec. */
void ike2_track(ike_tracker *t, const ike_event *ev, ike_record *rec, uint32_t rec_idx);

#endif
