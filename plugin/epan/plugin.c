/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * plugin.c - how Wireshark finds isakmpstate: the version symbols and the
 * registration entry point. Their shape differs between Wireshark versions
 * (plugin_describe exists from 4.4 on); ws_compat.h writes the right ones.
 * isakmpstate links libwireshark and is licensed GPL-2.0-or-later.
 */
#include "config_isakmpstate.h"

#include "ws_compat.h"

#include <epan/packet.h>
#include <epan/proto.h>

void proto_register_isakmpstate(void);
void proto_reg_handoff_isakmpstate(void);

ISAKMPSTATE_PLUGIN_BOILERPLATE(ISAKMPSTATE_VERSION, proto_register_isakmpstate, proto_reg_handoff_isakmpstate);

/* Wireshark has no license field for plugins: this string states it in the
 * module itself (tests check it), besides the SPDX headers and README. */
WS_DLL_PUBLIC_DEF const char isakmpstate_license[] = "SPDX-License-Identifier: GPL-2.0-or-later";
