/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_session.c - one capture file's tracker, verdict cache and keys.
 */
#include <stdlib.h>
#include <string.h>

#include "ike_session.h"

struct ike_session {
    ike_tracker *tracker;
    ike_verdicts *verdicts;
    uint32_t verdicts_records; /* record count the verdicts were computed at */
    uint32_t fed_frame;        /* frame being fed now, 0 if none */
    uint32_t max_frame;        /* highest frame dissected: how many the capture has, once read */
    /* candidate keys */
    uint8_t **key;
    size_t *key_len;
    ike_psk_candidates psks;
};

ike_session *ike_session_new(void)
{
    ike_session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->tracker = ike_tracker_new();
    if (!s->tracker) {
        free(s);
        return NULL;
    }
    return s;
}

static void free_keys(ike_session *s)
{
    for (size_t i = 0; i < s->psks.n; i++) {
        memset(s->key[i], 0, s->key_len[i]);
        free(s->key[i]);
    }
    free(s->key);
    free(s->key_len);
    s->key = NULL;
    s->key_len = NULL;
    memset(&s->psks, 0, sizeof s->psks);
}

void ike_session_free(ike_session *s)
{
    if (!s)
        return;
    ike_verdicts_free(s->verdicts);
    ike_tracker_free(s->tracker);
    free_keys(s);
    free(s);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* One line into a fresh key: hex when it is "0x" and whole bytes of hex
 * digits, else the text itself. */
static uint8_t *parse_key(const char *line, size_t n, size_t *klen)
{
    if (n > 2 && line[0] == '0' && (line[1] == 'x' || line[1] == 'X') && (n - 2) % 2 == 0) {
        size_t k = (n - 2) / 2;
        uint8_t *key = malloc(k);
        if (!key)
            return NULL;
        size_t i;
        for (i = 0; i < k; i++) {
            int hi = hexval(line[2 + 2 * i]), lo = hexval(line[3 + 2 * i]);
            if (hi < 0 || lo < 0)
                break;
            key[i] = (uint8_t)((unsigned)hi << 4 | (unsigned)lo);
        }
        if (i == k) {
            *klen = k;
            return key;
        }
        memset(key, 0, k);
        free(key);
    }
    uint8_t *key = malloc(n ? n : 1);
    if (key && n)
        memcpy(key, line, n);
    *klen = n;
    return key;
}

size_t ike_session_set_psk_text(ike_session *s, const char *text, size_t len)
{
    free_keys(s);
    ike_tracker_set_psks(s->tracker, NULL);
    if (!text || !len)
        return 0;
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    s->key = calloc(lines, sizeof *s->key);
    s->key_len = calloc(lines, sizeof *s->key_len);
    if (!s->key || !s->key_len) {
        free_keys(s);
        return 0;
    }
    size_t n = 0;
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t l = end - at;
        if (l && text[at + l - 1] == '\r')
            l--;
        uint8_t *key = parse_key(text + at, l, &s->key_len[n]);
        if (!key)
            break;
        s->key[n++] = key;
        at = end + 1; /* past the newline; a final newline ends the file */
    }
    s->psks.n = n;
    s->psks.key = (const uint8_t *const *)s->key;
    s->psks.len = s->key_len;
    if (n)
        ike_tracker_set_psks(s->tracker, &s->psks);
    return n;
}

void ike_session_begin_frame(ike_session *s, uint32_t frame)
{
    s->fed_frame = 0;
    if (frame > s->max_frame)
        s->max_frame = frame;
}

uint32_t ike_session_max_frame(const ike_session *s)
{
    return s->max_frame;
}

const ike_record *ike_session_add(ike_session *s, const ike_event *ev)
{
    s->fed_frame = ev->frame;
    return ike_tracker_add(s->tracker, ev);
}

const ike_tracker *ike_session_tracker(const ike_session *s) { return s ? s->tracker : NULL; }

const ike_verdicts *ike_session_verdicts(ike_session *s)
{
    if (!s)
        return NULL;
    uint32_t n = ike_tracker_record_count(s->tracker);
    if (s->verdicts && s->verdicts_records == n)
        return s->verdicts;
    ike_verdicts_free(s->verdicts);
    s->verdicts = ike_verdicts_compute(s->tracker);
    s->verdicts_records = n;
    return s->verdicts;
}

const ike_verdicts *ike_session_verdicts_if_cheap(ike_session *s, uint32_t frame)
{
    if (!s || (s->fed_frame && frame == s->fed_frame))
        return NULL;
    return ike_session_verdicts(s);
}
