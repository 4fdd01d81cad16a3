/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * capture_session.h - the one ike_session of the capture file Wireshark has
 * open. The dissector feeds it, the statistics read it; neither knows the
 * other.
 */
#ifndef CAPTURE_SESSION_H
#define CAPTURE_SESSION_H

#include "ike_session.h"

/* Called by the dissector's init routine (a file is opened or re-read):
 * a new session, with the candidate keys of psk_file when it names one. */
void isk_capture_open(const char *psk_file);
/* Called by its cleanup routine. */
void isk_capture_close(void);
/* The open file's session, NULL between files. */
ike_session *isk_capture(void);

#endif
