/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_gui_actions.h - Tools > isakmpstate in the Qt GUI: from the selected
 * packet to its IKE SA's packets, to where that SA stops, to the next
 * failed SA (Wireshark's plugin_if menu and actions).
 */
#ifndef IKE_GUI_ACTIONS_H
#define IKE_GUI_ACTIONS_H

/* Call after the isakmpstate protocol is registered (the menu names it). */
void isakmpstate_gui_actions_register(void);

#endif
