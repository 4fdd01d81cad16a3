/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ws_compat.h - one spelling of the Wireshark API for isakmpstate, whether it
 * is built against Wireshark 4.0, 4.2, 4.4 or 4.6.
 *
 * Every shim below says why it exists and in which version the API changed.
 * Where nothing changed between 4.0 and 4.6 the API is used directly and this
 * file only says so (see "Unchanged" at the end), so that nobody wraps it
 * again.
 *
 * Where the version comes from: <ws_version.h>, which <wireshark.h> includes
 * in every 4.x release, defines WIRESHARK_VERSION_MAJOR, _MINOR and _MICRO.
 * VERSION_MAJOR / VERSION_MINOR are Wireshark's own build configuration
 * (config.h): an out-of-tree plugin cannot count on them (Debian's 4.0
 * packages do not install config.h; the 4.4 and 4.6 ones do), so this file
 * never uses them.
 *
 * How the facts were established: the installed headers of 4.0.17, 4.4.18
 * and 4.6.9 (Debian packages), the 4.2.0 and 4.2.6 source headers, the
 * loader in wsutil/plugins.c (4.2, 4.4) and the symbol names libwsutil
 * 4.0, 4.4 and 4.6 look up.
 */
#ifndef ISAKMPSTATE_WS_COMPAT_H
#define ISAKMPSTATE_WS_COMPAT_H

#include <wireshark.h>

#include <epan/frame_data.h>
#include <epan/ftypes/ftypes.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/tap.h>
#include <epan/tvbuff.h>

#if !defined(WIRESHARK_VERSION_MAJOR) || !defined(WIRESHARK_VERSION_MINOR)
#error "ws_version.h did not define WIRESHARK_VERSION_MAJOR/MINOR"
#endif

/* True when building against Wireshark maj.min or later. */
#define ISK_WS_AT_LEAST(maj, min)                                                                   \
    (WIRESHARK_VERSION_MAJOR > (maj) || (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

#if !ISK_WS_AT_LEAST(4, 0)
#error "isakmpstate needs Wireshark 4.0 or later"
#endif

/* 4.4 installs wsutil/plugins.h with the WS_PLUGIN_DESC_* flags; Debian's
 * 4.0 packages do not install that header at all. */
#if ISK_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#endif

/* ======================================================================
 * 1. Plugin registration
 *
 * What the loader (wsutil/plugins.c) looks up in the module, 4.0 to 4.6:
 *   plugin_version     const char[]  required
 *   plugin_want_major  const int     required, must equal the running major
 *   plugin_want_minor  const int     required, must equal the running minor
 *   plugin_register    void (void)   required; calls proto_register_plugin()
 *   plugin_describe    uint32_t (void), new in 4.4 and optional there and in
 *                      4.6: a mask of WS_PLUGIN_DESC_* flags shown by
 *                      "tshark -G plugins" and the About dialog. 4.0 and 4.2
 *                      neither look it up nor define the flags.
 * 4.6 changed none of this: its make-plugin-reg.py generates the same code
 * as 4.4's and its libwsutil looks up the same symbol names. proto_plugin { register_protoinfo, register_handoff } and
 * proto_register_plugin(const proto_plugin *) are the same in 4.0 to 4.6.
 * WS_DLL_PUBLIC_DEF is default visibility on UN*X in every version; on
 * Windows it exports only if WS_BUILD_DLL is defined before the Wireshark
 * headers (CMakeLists.txt defines it for the plugin target).
 *
 * Use, once, in plugin.c at file scope:
 *
 *   ISAKMPSTATE_PLUGIN_BOILERPLATE(ISAKMPSTATE_VERSION,
 *                                  proto_register_isakmpstate,
 *                                  proto_reg_handoff_isakmpstate);
 *
 * The trailing semicolon is required (the macro ends in a declaration).
 * Other exported symbols (e.g. a plugin_license string) are ignored by every
 * loader up to 4.6 and may be defined next to it.
 * ====================================================================== */

#if ISK_WS_AT_LEAST(4, 4)
#define ISK_PLUGIN_DESC_FLAGS WS_PLUGIN_DESC_DISSECTOR
#define ISK_PLUGIN_DESCRIBE_DEF_                                                                    \
    WS_DLL_PUBLIC uint32_t plugin_describe(void);                                                  \
    uint32_t plugin_describe(void) { return ISK_PLUGIN_DESC_FLAGS; }
#else
#define ISK_PLUGIN_DESCRIBE_DEF_
#endif

#define ISAKMPSTATE_PLUGIN_BOILERPLATE(version_string, register_fn, handoff_fn)                     \
    WS_DLL_PUBLIC_DEF const char plugin_version[] = version_string;                                \
    WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;                       \
    WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;                       \
    WS_DLL_PUBLIC void plugin_register(void);                                                      \
    void plugin_register(void)                                                                     \
    {                                                                                              \
        static proto_plugin isk_plug_;                                                             \
        isk_plug_.register_protoinfo = (register_fn);                                              \
        isk_plug_.register_handoff = (handoff_fn);                                                 \
        proto_register_plugin(&isk_plug_);                                                         \
    }                                                                                              \
    ISK_PLUGIN_DESCRIBE_DEF_                                                                       \
    typedef int isk_plugin_boilerplate_end_

/* ======================================================================
 * 2. Data sources and packet-scoped memory
 *
 * 4.6 removed tvbuff_t *get_data_source_tvb_by_name(packet_info *, const
 * char *name); it has struct data_source *get_data_source_by_name(const
 * packet_info *, const char *) (NULL if absent) and
 * get_data_source_tvb(const struct data_source *) instead.
 * ====================================================================== */

static inline tvbuff_t *isk_data_source_tvb_by_name(packet_info *pinfo, const char *name)
{
#if ISK_WS_AT_LEAST(4, 6)
    struct data_source *src = get_data_source_by_name(pinfo, name);
    return src ? get_data_source_tvb(src) : NULL;
#else
    return get_data_source_tvb_by_name(pinfo, name);
#endif
}

/* 4.6 removed wmem_packet_scope(). pinfo->pool (wmem_allocator_t *, freed
 * after each packet) exists in 4.0-4.6, so it is the one spelling. */
#define ISK_PACKET_SCOPE(pinfo) ((pinfo)->pool)

/* ======================================================================
 * 3. Taps and statistics tables
 *
 * Unchanged 4.0-4.6:
 *   int  register_tap(const char *);
 *   void tap_queue_packet(int, packet_info *, const void *);
 *   have_tap_listener(int) (gboolean in 4.0/4.2, bool in 4.4+: a value);
 *   register_tap_listener(name, tapdata, fstring, guint/unsigned flags,
 *       reset, packet, draw, finish) -> GString * (NULL on success);
 *   tap_packet_cb: tap_packet_status (*)(void *tapdata, packet_info *,
 *       epan_dissect_t *, const void *data, tap_flags_t flags) - the flags
 *       argument already exists in 4.0;
 *   tap_packet_status: TAP_PACKET_DONT_REDRAW, TAP_PACKET_REDRAW,
 *       TAP_PACKET_FAILED;
 *   stat_tap_table_ui and stat_tap_ui member order; stat_tap_init_table(),
 *   stat_tap_add_table(), stat_tap_init_table_row(),
 *   stat_tap_get_field_data(), stat_tap_set_field_data() (guint became
 *   unsigned in 4.4: the same type); stat_tap_table_item_type and
 *   TABLE_ITEM_NONE/UINT/INT/STRING/FLOAT/ENUM; register_stat_tap_ui(),
 *   register_stat_tap_table_ui(); tap_param.optional (gboolean -> bool in
 *   4.4, TRUE/true both fit).
 * Changed in 4.6: stat_tap_ui.tap_init_cb, the "-z" initialiser, returns
 * bool (true if the tap was set up) instead of void:
 *   4.0-4.4: typedef void (*stat_tap_init_cb)(const char *, void *);
 *   4.6:     typedef bool (*stat_tap_init_cb)(const char *, void *);
 * Write it as
 *   static ISK_STAT_TAP_INIT_RET sa_init(const char *opt_arg, void *ud _U_)
 *   { ...; ISK_STAT_TAP_INIT_RETURN(err == NULL); }
 * ====================================================================== */

#define ISK_TAP_FLAGS_PARAM tap_flags_t flags _U_

#if ISK_WS_AT_LEAST(4, 6)
#define ISK_STAT_TAP_INIT_RET bool
#define ISK_STAT_TAP_INIT_RETURN(ok) return (ok)
#else
#define ISK_STAT_TAP_INIT_RET void
#define ISK_STAT_TAP_INIT_RETURN(ok)                                                                \
    do {                                                                                           \
        (void)(ok);                                                                                \
        return;                                                                                    \
    } while (0)
#endif

/* ======================================================================
 * Unchanged 4.0-4.6 (use directly; only gint/guint/gchar/gboolean in
 * value positions became int/unsigned/char/bool):
 *  - expert: expert_register_protocol(int), expert_register_field_array(
 *    expert_module_t *, ei_register_info *, const int), expert_add_info(),
 *    expert_add_info_format(pinfo, item, expert_field *, fmt, ...),
 *    ei_register_info { expert_field *ids; expert_field_info eiinfo; },
 *    EXPFILL. Always initialise expert_field with EI_INIT: its value
 *    changed in 4.6 ({-1, -1} before, {0, 0} from 4.6).
 *  - hf_register_info / header_field_info layout and HFILL
 *    (-1, 0, HF_REF_TYPE_NONE, -1, NULL); FT_BOOLEAN with BASE_NONE and a
 *    0 bitmask; FT_FRAMENUM with FRAMENUM_TYPE(FT_FRAMENUM_REQUEST/
 *    _RESPONSE/_DUP_ACK ...).
 *  - Registration checks: hf and expert ids may start at -1 or 0 in every
 *    version; ett ids must be -1 in 4.0 and 4.2 (0 is accepted only from
 *    4.4), so keep ett (and hf) variables initialised to -1.
 *  - register_init_routine(), register_cleanup_routine(), wmem_file_scope(),
 *    wmem_epan_scope(), wmem_map_new/_autoreset/insert/lookup/remove/
 *    contains/foreach/size, wmem_strdup_printf().
 *  - col_add_fstr(), col_append_str(), col_append_fstr(),
 *    col_append_sep_fstr() (const gint col -> const int col).
 *  - PINFO_FD_VISITED(pinfo) (epan/frame_data.h), pinfo->num,
 *    pinfo->fd->num.
 *  - proto_tree_add_uint(), _string(), _bytes(), _time(),
 *    _uint_format_value(), _string_format(), proto_item_add_subtree().
 *  - prefs_register_protocol(int, void (*)(void)),
 *    prefs_register_string_preference(..., const char **var),
 *    prefs_register_filename_preference(..., const char **var, for_writing),
 *    prefs_register_uat_preference(module, name, title, desc, uat_t *).
 *  - epan/plugin_if.h (ike_gui_actions.c): ext_menubar_register_menu(),
 *    ext_menubar_set_parentmenu(), ext_menubar_add_entry(),
 *    ext_menubar_add_separator(), plugin_if_apply_filter(),
 *    plugin_if_goto_frame(), plugin_if_get_frame_data(); only gboolean/
 *    gpointer became bool/void * (same positions). The header itself moved
 *    its include of cfile.h to epan/cfile.h; plugins include it the same.
 *    The Qt main window reads the menus once at start-up (parent "Tools" is
 *    found by the menu's object name, menuTools) and maps the apply/goto
 *    actions to its display filter and packet list; checked on 4.0.17 only.
 *  - create_dissector_handle(), dissector_t,
 *    proto_get_id_by_filter_name(), proto_is_frame_protocol().
 * ====================================================================== */

#endif /* ISAKMPSTATE_WS_COMPAT_H */
