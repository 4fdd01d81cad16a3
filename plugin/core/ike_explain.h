/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_explain.h - the words a user reads, as data in one place.
 */
#ifndef IKE_EXPLAIN_H
#define IKE_EXPLAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "ike_notify.h"
#include "ike_verdict.h"

typedef struct {
    ike_cause   cause;
    const char *code;      /* stable code, documented in fields/causes.md */
    bool        failure;   /* an error-severity verdict */
    const char *summary;   /* what happened, one line */
    const char *likely;    /* what usually causes it */
    const char *check;     /* what to check, on which side */
} ike_cause_text;

const ike_cause_text *ike_cause_text_for(ike_cause c);
/* The same for an IKEv2 SA: the words differ (no phases, other states). */
const ike_cause_text *ike2_cause_text_for(ike_cause c);

/* What a notification means: ike_notify.h (the one notify table). */

#endif
