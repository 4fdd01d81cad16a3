/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_text.c - the table of texts and their typed formatting functions,
 * both made from the lists in ike_text.h.
 */
#include "ike_text.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ike_explain.h"
#include "ike_states.h"

#define IKE_TEXT_STR_WORD(ID, text) [IKE_TXT_##ID] = text,
#define IKE_TEXT_STR_FMT(ID, name, fmt, params, args) [IKE_TXT_##ID] = fmt,
static const char *const texts[IKE_TXT__COUNT] = {
    IKE_TEXT_WORDS(IKE_TEXT_STR_WORD)
    IKE_TEXT_FORMATS(IKE_TEXT_STR_FMT)
    IKE_TEXT_TAGS(IKE_TEXT_STR_FMT)
};

const char *ike_text(ike_text_id id)
{
    if ((unsigned)id >= IKE_TXT__COUNT || !texts[id])
        return "";
    return texts[id];
}

/* Declared with the printf format attribute so that each function below,
 * whose format is a literal, is checked against its parameters. */
static size_t fill(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Does the format use only %s, %u and %d (nearly all do)? Those are
 * written by put_simple(), at a fifth of vsnprintf's cost: the verdict
 * sentences of -z isakmpstate,sa spent half their time in vsnprintf. */
static bool simple_format(const char *fmt)
{
    for (const char *p = fmt; (p = strchr(p, '%')) != NULL; p += 2)
        if (p[1] != 's' && p[1] != 'u' && p[1] != 'd')
            return false;
    return true;
}

/* Append l bytes of s at n, cut as snprintf cuts (room kept for the NUL);
 * returns the length the text would have uncut. */
static size_t put(char *buf, size_t size, size_t n, const char *s, size_t l)
{
    if (n + l < size)
        memcpy(buf + n, s, l);
    else if (n + 1 < size)
        memcpy(buf + n, s, size - 1 - n);
    return n + l;
}

static size_t put_simple(char *buf, size_t size, const char *fmt, va_list ap)
{
    size_t n = 0;
    for (const char *p = fmt; *p;) {
        const char *pc = strchr(p, '%');
        n = put(buf, size, n, p, pc ? (size_t)(pc - p) : strlen(p));
        if (!pc)
            break;
        char d[12];
        const char *s;
        size_t l;
        if (pc[1] == 's') {
            s = va_arg(ap, const char *);
            if (!s)
                s = "(null)"; /* what glibc's vsnprintf writes */
            l = strlen(s);
        } else {
            bool neg = false;
            unsigned v;
            if (pc[1] == 'u') {
                v = va_arg(ap, unsigned);
            } else {
                int x = va_arg(ap, int);
                neg = x < 0;
                v = neg ? 0u - (unsigned)x : (unsigned)x;
            }
            int i = (int)sizeof d;
            do {
                d[--i] = (char)('0' + v % 10);
                v /= 10;
            } while (v);
            if (neg)
                d[--i] = '-';
            s = d + i;
            l = sizeof d - (size_t)i;
        }
        n = put(buf, size, n, s, l);
        p = pc + 2;
    }
    if (size)
        buf[n < size ? n : size - 1] = '\0';
    return n;
}

static size_t fill(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (simple_format(fmt)) {
        size_t n = put_simple(size ? buf : NULL, size, fmt, ap);
        va_end(ap);
        return n;
    }
    int n = vsnprintf(size ? buf : NULL, size, fmt, ap);
    va_end(ap);
    if (n < 0) {
        if (size)
            buf[0] = '\0';
        return 0;
    }
    return (size_t)n;
}

#define IKE_TEXT_FN(ID, name, fmt, params, args)                                \
    size_t ike_txt_##name(char *buf, size_t size, IKE_TEXT_UNWRAP params)       \
    {                                                                           \
        return fill(buf, size, fmt, IKE_TEXT_UNWRAP args);                      \
    }
IKE_TEXT_FORMATS(IKE_TEXT_FN)

/* The tags use %s and %u only (a unit test checks), which put_simple()
 * writes. */
static size_t tag_fill(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static size_t tag_fill(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = put_simple(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

#define IKE_TEXT_TAG_FN(ID, name, fmt, params, args)                            \
    size_t ike_tag_##name(char *buf, size_t size, IKE_TEXT_UNWRAP params)       \
    {                                                                           \
        return tag_fill(buf, size, fmt, IKE_TEXT_UNWRAP args);                  \
    }
IKE_TEXT_TAGS(IKE_TEXT_TAG_FN)

const char *ike_text_role(uint8_t role)
{
    return texts[role == ROLE_I ? IKE_TXT_ROLE_I : IKE_TXT_ROLE_R];
}

ike_cause_class ike_text_cause_class(ike_cause c)
{
    /* What the proof is encrypted for is what is likely, not certain. */
    if (c == CAUSE_XAUTH_UNCONFIRMED || c == CAUSE_AUTH_REJECTED || c == CAUSE_CHILD_REJECTED)
        return IKE_CAUSE_CLASS_PROBABLY_FAILED;
    if (ike_cause_text_for(c)->failure)
        return IKE_CAUSE_CLASS_FAILED;
    return c == CAUSE_CAPTURE_ENDED ? IKE_CAUSE_CLASS_ENDED_EARLY : IKE_CAUSE_CLASS_OUTCOME;
}

const char *ike_text_cause_class_words(ike_cause_class k)
{
    switch (k) {
    case IKE_CAUSE_CLASS_FAILED:          return texts[IKE_TXT_CLASS_FAILED];
    case IKE_CAUSE_CLASS_PROBABLY_FAILED: return texts[IKE_TXT_CLASS_PROBABLY_FAILED];
    case IKE_CAUSE_CLASS_ENDED_EARLY:     return texts[IKE_TXT_CLASS_ENDED_EARLY];
    case IKE_CAUSE_CLASS_OUTCOME:         break;
    }
    return texts[IKE_TXT_CLASS_OUTCOME];
}
