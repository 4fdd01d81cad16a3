/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * capture_session.c - the open capture file's session, and reading the
 * candidate keys file for it.
 */
#include "config_isakmpstate.h"

#include <string.h>

#include "ws_compat.h"

#include <wsutil/report_message.h>

#include "capture_session.h"

/* File-scope, like packet-tcp.c's per-file state: rebuilt for each file. */
static ike_session *session;

static void load_psks(const char *psk_file)
{
    if (!psk_file || !*psk_file)
        return;
    gchar *text = NULL;
    gsize size = 0;
    GError *err = NULL;
    if (!g_file_get_contents(psk_file, &text, &size, &err)) {
        /* Said once per file name, not on every reload of a capture: the
         * user set a file that cannot be read, so no candidate is tested. */
        static gchar *reported;
        if (g_strcmp0(reported, psk_file) != 0) {
            report_failure("isakmpstate: the PSK candidates file \"%s\" cannot be read (%s); "
                           "no aggressive-mode key is tested.",
                           psk_file, err ? err->message : "unknown error");
            g_free(reported);
            reported = g_strdup(psk_file);
        }
        if (err)
            g_error_free(err);
        return;
    }
    /* The keys are secrets: the session copies them, the text is wiped. */
    ike_session_set_psk_text(session, text, size);
    memset(text, 0, size);
    g_free(text);
}

void isk_capture_open(const char *psk_file)
{
    ike_session_free(session);
    session = ike_session_new();
    if (session)
        load_psks(psk_file);
}

void isk_capture_close(void)
{
    ike_session_free(session);
    session = NULL;
}

ike_session *isk_capture(void) { return session; }
