/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_info_tag.c - which Info tag a record gets; the words are in
 * ike_text.h (IKE_TEXT_TAGS).
 *
 * The tag goes in front of the Info text: Statistics > Flow Graph and
 * narrow packet lists cut the end of long Info strings. It is put together
 * here and handed to Wireshark whole: col_prepend_fstr's vsnprintf of a
 * composed format cost 1,000 instructions per packet, a fifth of the
 * plugin's work in summary lines.
 */
#include "ike_info_tag.h"

#include <stdint.h>
#include <string.h>

#include "ike2_states.h"
#include "ike_notify.h"
#include "ike_states.h"
#include "ike_text.h"

/* Text after the arrow: the sender's state after the message (for quick
 * mode, the libreswan state: the ASA has no phase-2 state to show). */
static const char *sender_label(const ike_record *rec)
{
    if (ike_msg_is_quick((ike_msg)rec->msg)) {
        uint8_t qrole = rec->msg == MSG_QM2 ? ROLE_R : ROLE_I;
        return ike_qm_state_names((ike_qm_state)rec->qstate[qrole])->libreswan;
    }
    return ike_state_names((ike_side_state)rec->state[rec->from])->asa;
}

static size_t word(char *buf, size_t size, ike_text_id id)
{
    const char *s = ike_text(id);
    size_t l = strlen(s);
    size_t c = l < size - 1 ? l : size - 1;
    memcpy(buf, s, c);
    buf[c] = '\0';
    return l;
}

/* Most tags are "[MSG -> STATE] " for one of a few dozen pairs of names
 * that live as long as the program: each pair is formatted once and then
 * copied (in summary lines the tags were a fifth of the Info column's
 * cost). Keyed by the two pointers; Wireshark dissects one packet at a
 * time. */
static size_t state_tag(char *buf, size_t size, const char *m, const char *state)
{
    static struct {
        const char *m, *state;
        size_t      len;
        char        text[48];
    } cache[64];
    if (!m || !state)
        return ike_tag_state(buf, size, m, state);
    unsigned h = (unsigned)((((uintptr_t)m >> 3) * 31u) ^ ((uintptr_t)state >> 3)) & 63u;
    if (cache[h].m != m || cache[h].state != state) {
        size_t n = ike_tag_state(cache[h].text, sizeof cache[h].text, m, state);
        if (n >= sizeof cache[h].text) {
            cache[h].m = NULL;
            return ike_tag_state(buf, size, m, state);
        }
        cache[h].m = m;
        cache[h].state = state;
        cache[h].len = n;
    }
    if (cache[h].len >= size)
        return ike_tag_state(buf, size, m, state);
    memcpy(buf, cache[h].text, cache[h].len + 1);
    return cache[h].len;
}

size_t ike_info_tag(const ike_record *rec, char *buf, size_t size)
{
    const char *m = ike_msg_name((ike_msg)rec->msg);
    if (rec->flags & REC_ICMP)
        return word(buf, size, IKE_TXT_TAG_ICMP);
    if (rec->msg == MSG_MALFORMED)
        return word(buf, size, IKE_TXT_TAG_MALFORMED);
    if (rec->flags & REC_CAPTURE_DUP)
        return ike_tag_dup(buf, size, m, rec->ref_frame);
    if (rec->flags & REC_RETRANS)
        return ike_tag_retrans(buf, size, m, rec->retrans_count, rec->ref_frame);
    if (rec->flags & REC_IKEV2) {
        if (rec->msg == MSG_IKEV2)
            return ike_tag_v2_unknown(buf, size, rec->exch_type);
        if (rec->flags & REC_FRAGMENT)
            return ike_tag_v2_fragment(buf, size, m);
        const char *state = ike2_state_names((ike2_side_state)rec->state[rec->from])->cisco_sm;
        if ((rec->flags & REC_REJECT) && rec->n_notify && !(rec->flags & REC_UNREADABLE))
            return ike_tag_v2_refused(buf, size, m, ike2_notify_name(rec->notify), state);
        return state_tag(buf, size, m, state);
    }
    if (ike_msg_is_phase1((ike_msg)rec->msg) || ike_msg_is_quick((ike_msg)rec->msg))
        return state_tag(buf, size, m, sender_label(rec));
    if (rec->msg == MSG_INFO && rec->n_notify && !(rec->flags & REC_UNREADABLE))
        return ike_tag_info_notify(buf, size, ike_notify_name(rec->notify));
    if (rec->flags & REC_UNREADABLE)
        return ike_tag_encrypted(buf, size, m);
    return ike_tag_msg(buf, size, m);
}
