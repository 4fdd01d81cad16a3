/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_json.h - the per-SA JSON report (`-z isakmpstate,json`).
 */
#ifndef IKE_JSON_H
#define IKE_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ike_verdict.h"

/* Which SAs to write (NULL: all). */
typedef bool (*isk_json_filter)(uint32_t sa, void *ud);

/* The whole report, head, one SA per line, and "]}", to fp. */
void isk_json_report(FILE *fp, const ike_tracker *t, const ike_verdicts *v, isk_json_filter keep, void *ud);

#endif
