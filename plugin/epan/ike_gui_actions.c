/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_gui_actions.c - Tools > isakmpstate: one click from the selected
 * packet to its IKE SA's packets, to where that SA stops, to the next failed
 * SA. Wireshark's simple statistics table (ike_stats.c) offers no filter or
 * go-to action on its rows (4.0 to 4.6), so the actions live in the menu
 * that epan/plugin_if.h gives plugins; they act on the packet selected in
 * the packet list. tshark registers the menu too and never shows it.
 */
#include "config_isakmpstate.h"

#include "ws_compat.h"

#include <epan/plugin_if.h>
#include <epan/proto.h>

#include "capture_session.h"
#include "ike_gui_actions.h"
#include "ike_gui_pick.h"

static void *selected_num(frame_data *fd, void *ud _U_)
{
    return GUINT_TO_POINTER(fd ? fd->num : 0);
}

/* The frame selected in the packet list, 0 if none. */
static uint32_t selected_frame(void)
{
    return GPOINTER_TO_UINT(plugin_if_get_frame_data(selected_num, NULL));
}

static uint32_t selected_sa(void)
{
    ike_session *s = isk_capture();
    return s ? isk_gui_sa_of_frame(ike_session_tracker(s), selected_frame()) : 0;
}

static void show_sa(uint32_t sa)
{
    char f[64];
    if (isk_gui_sa_filter(sa, f, sizeof f))
        plugin_if_apply_filter(f, TRUE);
}

/* Go to frame; when the display filter hides it, show its SA first (the
 * stop frame always belongs to it). */
static void go_to(uint32_t frame, uint32_t sa)
{
    if (!frame)
        return;
    plugin_if_goto_frame(frame);
    if (selected_frame() != frame) {
        show_sa(sa);
        plugin_if_goto_frame(frame);
    }
}

static void act_show_sa(ext_menubar_gui_type gui _U_, void *obj _U_, void *ud _U_)
{
    show_sa(selected_sa());
}

static void act_goto_stop(ext_menubar_gui_type gui _U_, void *obj _U_, void *ud _U_)
{
    ike_session *s = isk_capture();
    uint32_t sa = selected_sa();
    if (s && sa)
        go_to(isk_gui_stop_frame(ike_session_verdicts(s), sa), sa);
}

static void act_next_failed(ext_menubar_gui_type gui _U_, void *obj _U_, void *ud _U_)
{
    ike_session *s = isk_capture();
    if (!s)
        return;
    uint32_t sa = 0;
    uint32_t f = isk_gui_next_failed(ike_session_tracker(s), ike_session_verdicts(s), selected_frame(), &sa);
    go_to(f, sa);
}

static void act_show_failed(ext_menubar_gui_type gui _U_, void *obj _U_, void *ud _U_)
{
    plugin_if_apply_filter(ISK_GUI_FAILED_FILTER, TRUE);
}

void isakmpstate_gui_actions_register(void)
{
    int proto = proto_get_id_by_filter_name("isakmpstate");
    if (proto < 0)
        return;
    ext_menu_t *m = ext_menubar_register_menu(proto, "isakmpstate", TRUE);
    /* Under Tools when the main window has that menu, else in the menu bar. */
    ext_menubar_set_parentmenu(m, "Tools");
    ext_menubar_add_entry(m, "Show packets of the selected packet's IKE SA",
                          "Display filter isakmpstate.sa == N for the SA of the selected packet", act_show_sa, NULL);
    ext_menubar_add_entry(m, "Go to where the selected packet's IKE SA stops",
                          "Select the SA's last message, the one that carries its verdict", act_goto_stop, NULL);
    ext_menubar_add_entry(m, "Go to the next failed IKE SA",
                          "Select where the next failed SA after the selected packet stops", act_next_failed, NULL);
    ext_menubar_add_separator(m);
    ext_menubar_add_entry(m, "Show packets of failed IKE SAs", "Display filter " ISK_GUI_FAILED_FILTER,
                          act_show_failed, NULL);
}
