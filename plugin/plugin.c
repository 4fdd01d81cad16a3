/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * plugin.c - how Wireshark finds isakmpstate: version symbols and the
 * registration entry point (the shape differs between Wireshark versions;
 * ws_compat.h says how).
 */
#include "config_isakmpstate.h"

#include "ws_compat.h"

#include <epan/packet.h>
#include <epan/proto.h>

void proto_register_isakmpstate(void);
void proto_reg_handoff_isakmpstate(void);

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = ISAKMPSTATE_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;
/* isakmpstate links libwireshark (GPL-2.0-or-later), and so is licensed. */
WS_DLL_PUBLIC_DEF const gchar plugin_license[] = "GPL-2.0-or-later";

WS_DLL_PUBLIC void plugin_register(void);

void plugin_register(void)
{
    static proto_plugin plug;
    plug.register_protoinfo = proto_register_isakmpstate;
    plug.register_handoff = proto_reg_handoff_isakmpstate;
    proto_register_plugin(&plug);
}
