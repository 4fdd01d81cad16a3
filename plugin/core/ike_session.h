/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_session.h - everything isakmpstate knows about one capture file: the
 * tracker, the verdicts computed from it (cached while it does not change)
 * and the candidate pre-shared keys. Plain C. The glue keeps one session
 * per open file (epan/capture_session.c); tests and tools make their own.
 */
#ifndef IKE_SESSION_H
#define IKE_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "ike_tracker.h"
#include "ike_verdict.h"

typedef struct ike_session ike_session;

ike_session *ike_session_new(void);
/* Wipes the candidate keys before freeing them. NULL is fine. */
void ike_session_free(ike_session *s);

/* Candidate aggressive-mode keys from the text of a file: one per line,
 * "0x" and an even number of hex digits for a binary key, anything else
 * taken as text; a blank line stays an (empty, never matching) candidate
 * so that a candidate's number is its line number. The session copies the
 * keys; the caller wipes its text. Returns the number of candidates. */
size_t ike_session_set_psk_text(ike_session *s, const char *text, size_t len);

/* A dissection of frame begins: until an event of it is added, the verdicts
 * may be asked for it cheaply (see ike_session_verdicts_if_cheap). */
void ike_session_begin_frame(ike_session *s, uint32_t frame);
/* The highest frame begun: every frame, ISAKMP or not, is begun. */
uint32_t ike_session_max_frame(const ike_session *s);
const ike_record *ike_session_add(ike_session *s, const ike_event *ev);

const ike_tracker *ike_session_tracker(const ike_session *s);
/* The verdicts of everything added so far (recomputed only after adds). */
const ike_verdicts *ike_session_verdicts(ike_session *s);
/* The same, or NULL while frame is the one being fed: recomputing for every
 * packet of a first pass would cost quadratic time. */
const ike_verdicts *ike_session_verdicts_if_cheap(ike_session *s, uint32_t frame);

#endif
