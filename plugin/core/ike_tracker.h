/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_tracker.h - follows every IKEv1 exchange of a capture per IKE SA.
 *
 * Plain C. Fed one ike_event per ISAKMP message in capture order (the first
 * pass); keeps one ike_record per message that every later pass reads back.
 * IKE SAs are keyed by cookies, never by UDP 5-tuple, because NAT-T moves an
 * exchange from port 500 to 4500 in the middle of main mode.
 */
#ifndef IKE_TRACKER_H
#define IKE_TRACKER_H

#include "ike_event.h"
#include "ike_proposal.h"
#include "ike_psk.h"
#include "ike_states.h"
#include "ike_store.h"
#include "ike_wire.h"

/* Per-record analysis flags (like packet-tcp.c's analysis flags). */
enum {
    REC_RETRANS        = 1u << 0,  /* same sender, same bytes: not a new message */
    REC_CAPTURE_DUP    = 1u << 1,  /* same bytes and same IPv4 ID: copied by the capture */
    REC_START_NOT_SEEN = 1u << 2,  /* first packet of an SA that starts mid-exchange */
    REC_ROLE_ASSUMED   = 1u << 3,  /* roles guessed: the sender is taken as initiator */
    REC_INFERRED       = 1u << 4,  /* earlier messages missing; their effect inferred */
    REC_OUT_OF_ORDER   = 1u << 5,  /* an earlier message of the exchange, seen late */
    REC_P1_COMPLETE    = 1u << 6,  /* phase 1 complete after this packet */
    REC_FLOAT          = 1u << 7,  /* first packet of the SA on UDP 4500 */
    REC_ICMP           = 1u << 8,  /* quoted in an ICMP error: evidence only */
    REC_IKEV2          = 1u << 9,
    REC_UNKNOWN_EXCH   = 1u << 10,
    REC_MALFORMED      = 1u << 11,
    REC_NEW_ATTEMPT    = 1u << 12, /* first packet of an SA after an earlier one between the same peers */
    REC_ENCRYPTED      = 1u << 13, /* E flag set */
    REC_DECRYPTED      = 1u << 14, /* payloads read from Wireshark's decryption */
    REC_UNREADABLE     = 1u << 15, /* encrypted and not decrypted (or decrypted into garbage) */
    REC_FRAGMENT       = 1u << 16, /* a further IKEv1 fragment of the same message */
    REC_QM_COMPLETE    = 1u << 17,
    REC_DELETE         = 1u << 18,
    REC_REJECT         = 1u << 19, /* error notify answering the peer's message */
    REC_MODE_MISMATCH  = 1u << 20, /* phase-1 exchange type differs from the SA's */
    REC_ZERO_ICOOKIE   = 1u << 21,
    REC_DECRYPT_FAILED = 1u << 22, /* keys given, but the plaintext does not parse */
    REC_NATD_MATCH     = 1u << 23, /* NAT-D hashes match the addresses in the packet */
    REC_NATD_SRC       = 1u << 24, /* NAT-D: the sender's address/port was translated */
    REC_NATD_DST       = 1u << 25, /* NAT-D: the receiver's address/port was translated */
    REC_RESPONSE       = 1u << 26, /* IKEv2: a response (R flag) */
    REC_V2_RETRY       = 1u << 27, /* IKEv2: IKE_SA_INIT sent again after COOKIE / INVALID_KE */
};

typedef struct {
    uint32_t frame;
    uint32_t sa;            /* SA number (1-based) or 0 */
    uint32_t exch;          /* per-message-ID exchange index, 0 for phase 1 */
    uint32_t ref_frame;     /* retransmission: first copy; else the frame this answers */
    uint32_t answered_by;   /* frame that answers this message, 0 if none seen */
    uint32_t flags;
    float    delta;         /* seconds since ref_frame */
    uint16_t retrans_count; /* 1 for the first repeat, ... */
    uint16_t notify;        /* first notify type, when readable */
    uint8_t  msg;           /* ike_msg */
    uint8_t  from;          /* ike_role of the sender */
    uint8_t  state[2];      /* phase-1 state of initiator and responder after it */
    uint8_t  qstate[2];     /* quick mode: state of QM initiator and QM responder */
    uint8_t  exch_type;     /* header exchange type */
    uint8_t  malformed;     /* ike_malformed_t */
    uint8_t  cfg_type;      /* transaction: REQUEST/REPLY/SET/ACK when readable */
    int8_t   xauth_status;  /* -1 unknown, 0 FAIL, 1 OK */
    uint8_t  n_notify;
    uint8_t  delete_proto;
} ike_record;

/* What a sender last sent in one exchange: for retransmission detection
 * and request/response links. */
typedef struct {
    /* The frames, times and message are the records': ike_slot_frame(),
     * ike_slot_time(), ike_slot_msg()... */
    uint32_t rec;          /* record index of the latest copy, 0 while unused */
    uint32_t digest;       /* of the message, folded to 32 bits */
    uint16_t count;        /* retransmissions so far */
    uint16_t first_back;   /* the first copy and whether it came in fragments (the tracker reads it) */
} ike_slot;

enum {
    SA_RCOOKIE_KNOWN  = 1u << 0,
    SA_START_NOT_SEEN = 1u << 1,
    SA_ROLE_ASSUMED   = 1u << 2,
    SA_P1_COMPLETE    = 1u << 3,
    SA_FLOATED        = 1u << 4,
    SA_REJECTED       = 1u << 5,  /* responder refused MM1/AM1 with a notify */
    SA_DELETED        = 1u << 6,  /* a readable ISAKMP delete was seen */
    SA_INFERRED       = 1u << 7,
    SA_RCOOKIE_CHANGED = 1u << 8, /* same I-cookie as an earlier SA, other R-cookie */
    SA_NAT_CHECKED    = 1u << 9,  /* NAT-D payloads were recomputed */
    SA_NAT_I          = 1u << 10, /* NAT in front of the initiator */
    SA_NAT_R          = 1u << 11, /* NAT in front of the responder */
    SA_IKEV2          = 1u << 12, /* an IKEv2 SA: cookies are SPIs, states ike2_side_state */
    SA_V2_INIT_DONE   = 1u << 13, /* IKEv2: IKE_SA_INIT accepted (SPIr fixed) */
    SA_SAME_ICOOKIE   = 1u << 14, /* an earlier SA has its I-cookie (the tracker keeps which) */
};

/* What few SAs have (an offer waiting for its answer, AM1 kept for the PSK
 * test, a PSK result, IKEv2 retries, DPD): made on first use, so
 * that the others do not carry it. Read it with ike_sa_x(). */
typedef struct {
    ike_p1_offered *offered;     /* MM1/AM1's proposals, kept until an MM2/AM2 shows one was accepted */
    uint8_t     *am1_copy;       /* AM1's KE, nonce and SA, kept for the PSK test until AM2 */
    uint32_t     psk_frame;      /* the AM2 it was tested on */
    int16_t      psk_match;      /* 0 not tested, -1 no candidate matches, k: candidate k (1-based) */
    uint16_t     init_tries;     /* IKEv2: IKE_SA_INIT requests with new bytes (retries + 1) */
    uint16_t     retry_notify;   /* IKEv2: COOKIE or INVALID_KE_PAYLOAD that asked for a retry */
    uint16_t     dpd_requests;   /* liveness checks: R-U-THERE (IKEv1, readable), empty INFORMATIONAL requests (IKEv2) */
    uint16_t     dpd_answered;   /* ... answered: R-U-THERE-ACK, empty INFORMATIONAL responses */
} ike_sa_ext;

typedef struct {
    uint32_t     index;          /* SA number, 1-based, in order of first packet */
    uint32_t     prev_attempt;   /* earlier SA between the same two addresses */
    uint8_t      icookie[8], rcookie[8];
    uint32_t     addr[2];        /* [ROLE_I], [ROLE_R] as first seen, kept by the tracker: ike_sa_endpoint() */
    uint16_t     port[2];        /* ... and their ports */
    uint16_t     cur_port[2];
    uint32_t     flags;
    uint32_t     first_rec, last_rec; /* its first and last records: ike_sa_first_frame() ... */
    uint32_t     n_packets, n_retrans;
    uint32_t     exch_head, exch_tail;
    /* Rekeys stay here: between the same two peers most SAs are one. */
    uint32_t     rekey_of;       /* the IKE SA this one replaced (rekey), 0 if none */
    uint32_t     rekeyed_by;     /* the IKE SA that replaced this one, 0 if none */
    ike_slot     p1[2];          /* phase-1 messages per sender */
    uint32_t     x;              /* its ike_sa_ext, kept by the tracker; 0: all zero */
    /* Frames of the float to 4500, of phase 1's completion and of the first
     * NAT-D check, kept by the tracker: ike_sa_float_frame()... */
    uint16_t     frame_at[3];
    /* The proposal chosen and the Vendor IDs each side sent, kept by the
     * tracker: ike_sa_chosen(), ike_sa_vendor(). */
    uint16_t     chosen, vendors;
    uint16_t     attempt;        /* 1 for the first SA between two addresses */
    uint8_t      mode;           /* IKE_EXCH_MAIN, IKE_EXCH_AGGRESSIVE, 0 unknown */
    uint8_t      state[2];       /* ike_side_state of initiator, responder */
    uint8_t      p1_last;        /* highest phase-1 ordinal applied */
    uint8_t      deleted_by;     /* 0 none, 1 initiator, 2 responder */
} ike_sa;

extern const ike_sa_ext ike_sa_ext_none;
/* The SA's extension: ike_sa_ext_none when it has none. */
typedef struct ike_tracker ike_tracker;
const ike_sa_ext *ike_sa_x(const ike_tracker *t, const ike_sa *sa);

/* IKEv2 exchanges are keyed by who sent the request: message IDs count
 * separately in each direction. */
typedef enum { EX_QUICK = 1, EX_INFO, EX_TXN, EX_OTHER, EX_V2_BY_I, EX_V2_BY_R } ike_exch_kind;

/* What only quick modes and IKEv2 exchanges keep (most IKEv1 exchanges
 * are informationals and transactions, which need none of it): kept by the
 * tracker, read with ike_exchange_part(). */
typedef struct {
    /* An exchange is a quick mode or an IKEv2 one, never both (its kind
     * says which): the two share their bytes. */
    union {
        struct { /* kind EX_QUICK */
            uint8_t  last_ord;   /* messages applied, 0..3 */
            uint8_t  qstate[2];  /* QM initiator, QM responder */
            uint32_t frames[3];  /* first frames of QM1..QM3 */
            uint32_t ids;        /* ike_payloads.id_digest of QM1 (1: readable, no IDs), 0 unread */
        };
        struct { /* kinds EX_V2_BY_I, EX_V2_BY_R */
            uint8_t  v2_exch;            /* IKE2_EXCH_* */
            uint8_t  v2_ask;             /* ike2_ask of the request */
            uint8_t  v2_outcome;         /* ike2_outcome of the response (V2_OUT_REQUEST: none yet) */
            uint8_t  v2_unreadable;      /* the response's verdict came from its size, not its payloads */
            uint16_t v2_notify;          /* the error (or COOKIE/INVALID_KE) notify of the response */
            uint8_t  frag_total[2];      /* RFC 7383: fragments announced (request, response) */
            uint8_t  frag_first_next[2]; /* first inner payload type, from fragment 1 */
            uint32_t frag_seen[2];       /* bit k-1: fragment k seen */
            uint8_t  esp_spi[2][4];      /* CHILD_SA: ESP SPI proposed / accepted, when readable */
        };
    };
    /* Phase-2 rekeys */
    uint32_t renews;             /* exchange whose ESP SAs this one replaces (same IDs / REKEY_SA), 0 none seen */
} ike_exch_part;

typedef struct {
    uint32_t sa, msgid;
    /* The SA's next exchange, this one's index + next_off (0: none,
     * EXCH_FAR_NEXT: kept by the tracker): read it with ike_exchange_next(). */
    uint32_t next_off : 24;
    uint32_t kind : 3;           /* ike_exch_kind */
    uint32_t initiator : 1;      /* ike_role (phase 1) of who started it */
    uint32_t complete : 1;
    uint32_t child_rekey : 1;    /* a rekey of ESP SAs (IKEv2: REKEY_SA notify; IKEv1: same IDs as an earlier QM) */
    ike_slot slot[2];            /* per sender (quick mode: per QM role; IKEv2: request, response) */
    uint32_t part;               /* its ike_exch_part (quick modes, IKEv2), kept by the tracker; 0 none */
} ike_exchange;

#define EXCH_FAR_NEXT 0xFFFFFFu
/* The exchange after exchange 'index' (ex) in its SA's list, 0 none. */
uint32_t ike_exchange_next(const ike_tracker *t, uint32_t index, const ike_exchange *ex);

/* Does an exchange of this kind have an ike_exch_part? */
static inline bool ike_exch_kind_has_part(uint8_t kind) { return kind == EX_QUICK || kind == EX_V2_BY_I || kind == EX_V2_BY_R; }


ike_tracker *ike_tracker_new(void);
/* Candidate aggressive-mode PSKs (the caller keeps them alive); NULL for none. */
void ike_tracker_set_psks(ike_tracker *t, const ike_psk_candidates *c);
void         ike_tracker_free(ike_tracker *t);

/* Feed one message. Frames must come in non-decreasing order; a frame that
 * was already fed (a second pass) is ignored. Returns the new record (as it
 * is now, valid until the next call: ike_tracker_record() reads it later),
 * or NULL when out of memory or ignored. */
const ike_record *ike_tracker_add(ike_tracker *t, const ike_event *ev);

/* Index of the first record of a frame (0 if none); *n receives how many
 * records the frame has (usually 1). Read them with ike_tracker_record(). */
uint32_t          ike_tracker_find_frame(const ike_tracker *t, uint32_t frame, unsigned *n);
/* Record 'index' unpacked into *out (records are stored packed); false and
 * a zeroed *out when there is none. */
bool              ike_tracker_record(const ike_tracker *t, uint32_t index, ike_record *out);
/* The fields a scan of every record reads (the verdicts do it twice),
 * without the links, times, states and rare details that
 * ike_tracker_record() unpacks too: a fifth of its cost. */
typedef struct {
    uint32_t frame;
    uint32_t sa;
    uint32_t exch;
    uint32_t flags; /* REC_* */
    uint8_t  from;  /* ike_role */
    uint8_t  msg;   /* ike_msg */
} ike_record_brief;
bool              ike_tracker_record_brief(const ike_tracker *t, uint32_t index, ike_record_brief *out);
uint32_t          ike_tracker_record_count(const ike_tracker *t);
/* The first record of the frame fed last and, in *n, how many it has:
 * ike_tracker_find_frame() for that frame, without the search. */
uint32_t          ike_tracker_last_added(const ike_tracker *t, unsigned *n);

const ike_sa       *ike_tracker_sa(const ike_tracker *t, uint32_t index);
uint32_t            ike_tracker_sa_count(const ike_tracker *t);
const ike_exchange *ike_tracker_exchange(const ike_tracker *t, uint32_t index);
/* The quick-mode or IKEv2 part of an exchange; all zero for the other kinds
 * and for a NULL exchange. Never NULL. */
const ike_exch_part *ike_exchange_part(const ike_tracker *t, const ike_exchange *ex);

/* The address and port of the SA's initiator (ROLE_I) or responder
 * (ROLE_R) as first seen; and as text (ike_endpoint_format). */
void ike_sa_endpoint(const ike_tracker *t, const ike_sa *sa, int role, ike_endpoint *out);
void ike_sa_endpoint_format(const ike_tracker *t, const ike_sa *sa, int role, char *buf, size_t len);

/* The proposal the responder chose: from MM2/AM2 (IKEv2: the IKE_SA_INIT
 * response, whose fields hold the ENCR, PRF, INTEG and DH IDs); all zero
 * when none was readable. Never NULL. */
const ike_p1_transform *ike_sa_chosen(const ike_tracker *t, const ike_sa *sa);
/* The Vendor IDs the initiator (ROLE_I) or responder sent (ike_vendor.h bits). */
uint32_t ike_sa_vendor(const ike_tracker *t, const ike_sa *sa, int role);
/* The weak algorithms (ike_weak.h WEAK_*) of the SA's chosen proposal,
 * either IKE version; 0 when none, or nothing chosen was readable. */
uint32_t ike_sa_weak(const ike_tracker *t, const ike_sa *sa);
/* The chosen proposal as text into buf (IKE_TRANSFORM_TEXT bytes); false
 * when none was readable. */
bool ike_sa_proposal_text(const ike_tracker *t, const ike_sa *sa, char *buf, size_t len);

/* First frame of an exchange's first message: QM1 for a quick mode (whose
 * initiator slot moves on to QM3), the request otherwise. */
uint32_t ike_exchange_first_frame(const ike_tracker *t, const ike_exchange *ex);

/* Frames of an SA's float to UDP 4500 (SA_FLOATED), of the message that
 * completed its phase 1 (IKEv2: IKE_AUTH) and of its first NAT-D check
 * (SA_NAT_CHECKED); 0 when none. */
enum { SA_AT_FLOAT, SA_AT_P1_DONE, SA_AT_NATD };
uint32_t ike_sa_frame_at(const ike_tracker *t, const ike_sa *sa, unsigned which);
static inline uint32_t ike_sa_float_frame(const ike_tracker *t, const ike_sa *sa) { return ike_sa_frame_at(t, sa, SA_AT_FLOAT); }
static inline uint32_t ike_sa_p1_done_frame(const ike_tracker *t, const ike_sa *sa) { return ike_sa_frame_at(t, sa, SA_AT_P1_DONE); }
static inline uint32_t ike_sa_natd_frame(const ike_tracker *t, const ike_sa *sa) { return ike_sa_frame_at(t, sa, SA_AT_NATD); }

/* Frames and times of an SA's first and last message. */
uint32_t ike_sa_first_frame(const ike_tracker *t, const ike_sa *sa);
uint32_t ike_sa_last_frame(const ike_tracker *t, const ike_sa *sa);
double   ike_sa_first_time(const ike_tracker *t, const ike_sa *sa);
double   ike_sa_last_time(const ike_tracker *t, const ike_sa *sa);

/* Frames and times of the latest and of the first copy a slot saw, 0 while
 * unused. */
uint32_t ike_slot_frame(const ike_tracker *t, const ike_slot *s);
/* The message (ike_msg) of the slot's copies, MSG_NONE while unused. */
uint8_t  ike_slot_msg(const ike_tracker *t, const ike_slot *s);
uint32_t ike_slot_first_frame(const ike_tracker *t, const ike_slot *s);
double   ike_slot_time(const ike_tracker *t, const ike_slot *s);
double   ike_slot_first_time(const ike_tracker *t, const ike_slot *s);

/* Phase-2 rekeys of an IKE SA: its quick modes / CREATE_CHILD_SAs that
 * renew earlier ESP SAs (readable only with keys). *first_frame gets the
 * first message of the first one. */
unsigned ike_sa_child_rekeys(const ike_tracker *t, const ike_sa *sa, uint32_t *first_frame);

/* Memory held, for the benchmark: in all, and by structure. */
size_t ike_tracker_bytes(const ike_tracker *t);
typedef struct {
    size_t sas, exchanges, records, rare, maps; /* rare: side tables of the records */
    size_t record_size;                         /* bytes stored per record */
} ike_tracker_mem;
void ike_tracker_mem_of(const ike_tracker *t, ike_tracker_mem *m);


#endif
