/* SPDX-License-Identifier: GPL-2.0-or-later
 * ws_compat.h - provisional; replaced by the version study. */
#ifndef ISAKMPSTATE_WS_COMPAT_H
#define ISAKMPSTATE_WS_COMPAT_H
#include <wireshark.h>
#include <epan/proto.h>
#include <epan/tvbuff.h>
#include <epan/ftypes/ftypes.h>
#if WIRESHARK_VERSION_MAJOR > 4 || (WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR >= 2)
#define ISK_FI_UINT(fi) fvalue_get_uinteger((fi)->value)
#else
#define ISK_FI_UINT(fi) fvalue_get_uinteger(&(fi)->value)
#endif
#define ISK_TVB_CAPTURED_LENGTH_REMAINING(tvb, off) tvb_captured_length_remaining((tvb), (off))
#define ISK_TAP_FLAGS_PARAM tap_flags_t flags _U_
#endif
