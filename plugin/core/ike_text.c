/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_text.c - the table of texts and their typed formatting functions,
 * both made from the lists in ike_text.h.
 */
#include "ike_text.h"

#include <stdarg.h>
#include <stdio.h>

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

static size_t fill(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
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

/* The tags' formatter: %s and %u only (a unit test checks the tags use no
 * other), and it stops at size - 1 as snprintf does. Any other conversion
 * is copied as it is. */
static size_t tag_fill(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static size_t tag_fill(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = 0;
#define PUT(c) do { if (n + 1 < size) buf[n] = (c); n++; } while (0)
    for (const char *p = fmt; *p; p++) {
        if (p[0] == '%' && p[1] == 's') {
            for (const char *s = va_arg(ap, const char *); *s; s++)
                PUT(*s);
            p++;
        } else if (p[0] == '%' && p[1] == 'u') {
            char d[12];
            int i = (int)sizeof d;
            unsigned v = va_arg(ap, unsigned);
            do {
                d[--i] = (char)('0' + v % 10);
                v /= 10;
            } while (v && i > 0);
            while (i < (int)sizeof d)
                PUT(d[i++]);
            p++;
        } else {
            PUT(*p);
        }
    }
#undef PUT
    va_end(ap);
    if (size)
        buf[n < size ? n : size - 1] = '\0';
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
