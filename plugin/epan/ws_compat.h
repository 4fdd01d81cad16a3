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
 * 2. tvbuff accessors
 *
 * 4.4 renamed the GLib-typed getters: tvb_get_guint8 -> tvb_get_uint8,
 * tvb_get_guint16/24/32/40/48/56/64(tvb, off, enc) -> tvb_get_uint16...,
 * tvb_get_gint8 -> tvb_get_int8 (and the gintN ones). The old names remain
 * in 4.4 and 4.6 as static inline wrappers marked WS_DEPRECATED_X, so with
 * -Werror they stop the build. The new names do not exist before 4.4.
 *   4.0/4.2: guint8 tvb_get_guint8(tvbuff_t *, const gint offset)
 *   4.4/4.6: uint8_t tvb_get_uint8(tvbuff_t *, const int offset)
 * Unchanged 4.0-4.6 apart from gint->int spelling (same types):
 *   tvb_get_ntohs, tvb_get_ntohl, tvb_reported_length,
 *   tvb_captured_length(_remaining), tvb_get_ptr,
 *   tvb_memcpy(tvb, target, offset, size_t len),
 *   tvb_memdup(wmem_allocator_t *scope, tvb, offset, size_t len).
 * ====================================================================== */

#if ISK_WS_AT_LEAST(4, 4)
#define ISK_TVB_GET_U8(tvb, off) tvb_get_uint8((tvb), (off))
#define ISK_TVB_GET_S8(tvb, off) tvb_get_int8((tvb), (off))
#define ISK_TVB_GET_U16(tvb, off, enc) tvb_get_uint16((tvb), (off), (enc))
#define ISK_TVB_GET_U32(tvb, off, enc) tvb_get_uint32((tvb), (off), (enc))
#define ISK_TVB_GET_U64(tvb, off, enc) tvb_get_uint64((tvb), (off), (enc))
#else
#define ISK_TVB_GET_U8(tvb, off) tvb_get_guint8((tvb), (off))
#define ISK_TVB_GET_S8(tvb, off) tvb_get_gint8((tvb), (off))
#define ISK_TVB_GET_U16(tvb, off, enc) tvb_get_guint16((tvb), (off), (enc))
#define ISK_TVB_GET_U32(tvb, off, enc) tvb_get_guint32((tvb), (off), (enc))
#define ISK_TVB_GET_U64(tvb, off, enc) tvb_get_guint64((tvb), (off), (enc))
#endif

/* Unchanged in 4.0-4.6; kept because existing code spells it this way. */
#define ISK_TVB_CAPTURED_LENGTH_REMAINING(tvb, off) tvb_captured_length_remaining((tvb), (off))

/* ======================================================================
 * 3. Field values seen by a post-dissector
 *
 * proto_get_finfo_ptr_array(const proto_tree *, const int hfindex) returns a
 * GPtrArray of field_info * in every version (NULL if the field is absent or
 * not primed). fi->start, fi->length (gint/int) and fi->ds_tvb are the same
 * in 4.0-4.6; fi->hfinfo became "const header_field_info *" in 4.4.
 *
 * The value changed in 4.2:
 *   4.0:  field_info.value is an fvalue_t held by value, and fvalue_t is a
 *         public struct (fvalue_t.value.bytes, .ipv4, .ipv6 ...).
 *   4.2+: field_info.value is "fvalue_t *", and fvalue_t is opaque.
 * Getters:
 *   fvalue_get_uinteger(fvalue_t *)   guint32/uint32_t, all versions; asserts
 *       the field is FT_UINT8..32, FT_CHAR, FT_FRAMENUM (4.0 and 4.2 also
 *       accept FT_IPv4, see below).
 *   fvalue_get_uinteger64(fvalue_t *) all versions; FT_UINT40..64,
 *       FT_BOOLEAN, FT_EUI64.
 *   bytes, 4.0:  const guint8 *fvalue_get_bytes(fvalue_t *); the length
 *       function fvalue_length() is not exported by libwireshark 4.0, so the
 *       length is read from the public struct (fv->value.bytes->len).
 *   bytes, 4.2+: GBytes *fvalue_get_bytes(fvalue_t *) (a new reference),
 *       const void *fvalue_get_bytes_data(fvalue_t *),
 *       size_t fvalue_get_bytes_size(fvalue_t *).
 *   IPv4, 4.0/4.2: fvalue_get_uinteger() on FT_IPv4 returns the address in
 *       network byte order.
 *   IPv4, 4.4+: const ipv4_addr_and_mask *fvalue_get_ipv4(fvalue_t *), addr
 *       in host byte order; fvalue_get_uinteger() no longer accepts FT_IPv4.
 *   IPv6, 4.0: fvalue_get_bytes() on FT_IPv6 returns the 16 address bytes.
 *   IPv6, 4.2: const ws_in6_addr *fvalue_get_ipv6(fvalue_t *).
 *   IPv6, 4.4+: const ipv6_addr_and_prefix *fvalue_get_ipv6(fvalue_t *)
 *       (the address is its .addr member).
 * ====================================================================== */

#if ISK_WS_AT_LEAST(4, 2)
#define ISK_FI_FVALUE(fi) ((fi)->value)
#else
#define ISK_FI_FVALUE(fi) (&(fi)->value)
#endif

/* 32-bit unsigned fields (FT_UINT8..FT_UINT32, FT_CHAR, FT_FRAMENUM). */
#define ISK_FI_UINT(fi) fvalue_get_uinteger(ISK_FI_FVALUE(fi))
/* 64-bit unsigned fields (FT_UINT40..FT_UINT64, FT_BOOLEAN, FT_EUI64). */
#define ISK_FI_UINT64(fi) fvalue_get_uinteger64(ISK_FI_FVALUE(fi))
/* Signed counterparts, same split. */
#define ISK_FI_INT(fi) fvalue_get_sinteger(ISK_FI_FVALUE(fi))
#define ISK_FI_INT64(fi) fvalue_get_sinteger64(ISK_FI_FVALUE(fi))

/* Any unsigned integer, FT_BOOLEAN or FT_FRAMENUM field, widened to 64 bits:
 * picks the getter whose type assertion the field satisfies. 0 for others. */
static inline uint64_t isk_fi_unsigned(field_info *fi)
{
    switch (fi->hfinfo->type) {
    case FT_CHAR:
    case FT_UINT8:
    case FT_UINT16:
    case FT_UINT24:
    case FT_UINT32:
    case FT_FRAMENUM:
        return fvalue_get_uinteger(ISK_FI_FVALUE(fi));
    case FT_UINT40:
    case FT_UINT48:
    case FT_UINT56:
    case FT_UINT64:
    case FT_BOOLEAN:
        return fvalue_get_uinteger64(ISK_FI_FVALUE(fi));
    default:
        return 0;
    }
}
#define ISK_FI_BOOL(fi) (fvalue_get_uinteger64(ISK_FI_FVALUE(fi)) != 0)

/* Bytes-valued fields (FT_BYTES, FT_UINT_BYTES, FT_ETHER, FT_OID, ...): the
 * value's bytes, owned by the field (valid as long as the tree is), and
 * their count in *len. Not for FT_IPv6 (see isk_fi_ipv6). */
static inline const uint8_t *isk_fi_bytes(field_info *fi, size_t *len)
{
#if ISK_WS_AT_LEAST(4, 2)
    *len = fvalue_get_bytes_size(fi->value);
    return (const uint8_t *)fvalue_get_bytes_data(fi->value);
#else
    GByteArray *ba = fi->value.value.bytes;
    *len = ba ? ba->len : 0;
    return ba ? (const uint8_t *)fvalue_get_bytes(&fi->value) : NULL;
#endif
}
#define ISK_FI_BYTES(fi, lenp) isk_fi_bytes((fi), (lenp))

/* FT_IPv4: the address in network byte order, i.e. its bytes in wire order
 * when stored to memory. */
static inline uint32_t isk_fi_ipv4_nbo(field_info *fi)
{
#if ISK_WS_AT_LEAST(4, 4)
    return g_htonl(fvalue_get_ipv4(fi->value)->addr);
#else
    return fvalue_get_uinteger(ISK_FI_FVALUE(fi));
#endif
}
#define ISK_FI_IPV4_NBO(fi) isk_fi_ipv4_nbo(fi)

/* FT_IPv6: the 16 address bytes. */
static inline const uint8_t *isk_fi_ipv6(field_info *fi)
{
#if ISK_WS_AT_LEAST(4, 4)
    return fvalue_get_ipv6(fi->value)->addr.bytes;
#elif ISK_WS_AT_LEAST(4, 2)
    return fvalue_get_ipv6(fi->value)->bytes;
#else
    return fvalue_get_bytes(&fi->value);
#endif
}
#define ISK_FI_IPV6(fi) isk_fi_ipv6(fi)

/* The bytes a field covers in its data source (fi->ds_tvb, fi->start,
 * fi->length; the same members in every version), clamped to what was
 * captured. NULL with *len 0 when nothing is available. */
static inline const uint8_t *isk_fi_raw(field_info *fi, int *len)
{
    int avail, n;
    *len = 0;
    if (!fi->ds_tvb || fi->start < 0)
        return NULL;
    avail = (int)tvb_captured_length_remaining(fi->ds_tvb, fi->start);
    n = fi->length;
    if (n < 0 || n > avail)
        n = avail > 0 ? avail : 0;
    if (n == 0)
        return NULL;
    *len = n;
    return tvb_get_ptr(fi->ds_tvb, fi->start, n);
}

/* 4.2 renamed the ftenum classifiers IS_FT_xxx(ft) to FT_IS_xxx(ft). */
#if ISK_WS_AT_LEAST(4, 2)
#define ISK_FT_IS_UINT(ft) FT_IS_UINT(ft)
#define ISK_FT_IS_INT(ft) FT_IS_INT(ft)
#define ISK_FT_IS_STRING(ft) FT_IS_STRING(ft)
#else
#define ISK_FT_IS_UINT(ft) IS_FT_UINT(ft)
#define ISK_FT_IS_INT(ft) IS_FT_INT(ft)
#define ISK_FT_IS_STRING(ft) IS_FT_STRING(ft)
#endif

/* ======================================================================
 * 4. Post-dissector registration and fields sharing one abbreviation
 *
 * Unchanged 4.0-4.6:
 *   void register_postdissector(dissector_handle_t);
 *   void set_postdissector_wanted_hfids(dissector_handle_t, GArray *ids)
 *        (the GArray holds int; Wireshark takes ownership);
 *   int  proto_registrar_get_id_byname(const char *) (-1 if unknown);
 *   header_field_info *proto_registrar_get_byname(const char *);
 *   header_field_info *proto_registrar_get_nth(guint/unsigned);
 *   header_field_info.same_name_prev_id (int, -1 at the end) and
 *   header_field_info.same_name_next (pointer).
 * Several hf ids can share an abbreviation (when two dissectors, or one
 * dissector twice, register the same filter name). Registration links them
 * into one doubly linked list: proto_registrar_get_byname() returns the most
 * recently registered one (the name map's value is replaced on each
 * registration), same_name_prev_id leads back to earlier ones and
 * same_name_next forward.
 * proto_get_finfo_ptr_array() and the wanted-hfids priming work per id,
 * so a post-dissector must want, and read, every id of the list. This is
 * what the display-filter code generator does: rewind through
 * same_name_prev_id, then walk same_name_next.
 * ====================================================================== */

/* Appends (as int) every hf id registered under abbrev to out; returns how
 * many. 0 if the name is unknown. */
static inline unsigned isk_hfids_by_name(const char *abbrev, GArray *out)
{
    header_field_info *hfi = proto_registrar_get_byname(abbrev);
    unsigned n = 0;
    if (!hfi)
        return 0;
    while (hfi->same_name_prev_id != -1) {
        header_field_info *prev = proto_registrar_get_nth((unsigned)hfi->same_name_prev_id);
        if (!prev)
            break;
        hfi = prev;
    }
    for (; hfi; hfi = hfi->same_name_next) {
        int id = hfi->id;
        g_array_append_val(out, id);
        n++;
    }
    return n;
}

/* ======================================================================
 * 5. Data sources and packet-scoped memory
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
 * 6. Taps and statistics tables
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
 * 7. gboolean -> bool in pointers and callback types
 *
 * GLib types (gboolean, guint, gint, gchar, guint8 ...) still compile
 * without warnings in 4.4 and 4.6: Wireshark moved its own API to C99
 * types but kept including <glib.h>. guint/unsigned, gint/int,
 * guint32/uint32_t are the same types, so nothing changes where they meet.
 * gboolean (an int) and bool (one byte) are not: a "gboolean *" or a
 * callback returning gboolean no longer matches once an API says bool.
 *   4.4: prefs_register_bool_preference(..., bool *var) (gboolean * before);
 *        heur_dissector_t and proto_tree_traverse_func return bool;
 *        proto_tree_add_item_ret_boolean(..., bool *retval).
 *   4.2: uat_update_cb_t and uat_fld_chk_cb_t return bool (gboolean in 4.0);
 *        uat_new(..., bool from_profile, ..., unsigned *num_items, unsigned
 *        flags, ...) (the value arguments are unaffected).
 * ====================================================================== */

#if ISK_WS_AT_LEAST(4, 4)
typedef bool isk_ws_bool;
#else
typedef gboolean isk_ws_bool;
#endif

/* Storage for a boolean preference. */
typedef isk_ws_bool isk_pref_bool;

#if ISK_WS_AT_LEAST(4, 2)
typedef bool isk_uat_bool;
#else
typedef gboolean isk_uat_bool;
#endif

/* 4.2 renamed the UAT "protocol" column helpers, which hold a dissector:
 * UAT_PROTO_DEF -> UAT_DISSECTOR_DEF, UAT_FLD_PROTO -> UAT_FLD_DISSECTOR
 * (same arguments). They are macros of <epan/uat.h>, included by the user. */
#if ISK_WS_AT_LEAST(4, 2)
#define ISK_UAT_DISSECTOR_DEF UAT_DISSECTOR_DEF
#define ISK_UAT_FLD_DISSECTOR UAT_FLD_DISSECTOR
#else
#define ISK_UAT_DISSECTOR_DEF UAT_PROTO_DEF
#define ISK_UAT_FLD_DISSECTOR UAT_FLD_PROTO
#endif

/* ======================================================================
 * 8. Tree items
 *
 * proto_tree_add_boolean() took "guint32 value" in 4.0/4.2 and takes
 * "uint64_t value" since 4.4: a flag above bit 31 passed as is would read
 * false on 4.0/4.2. ISK_TREE_ADD_BOOLEAN passes 0 or 1.
 * proto_item_set_generated(proto_item *) is a static inline in 4.0-4.6;
 * PROTO_ITEM_SET_GENERATED(ti) is still an alias of it in 4.6.
 * ====================================================================== */

#define ISK_TREE_ADD_BOOLEAN(tree, hf, tvb, start, length, cond)                                   \
    proto_tree_add_boolean((tree), (hf), (tvb), (start), (length), (cond) ? 1u : 0u)

#define ISK_GENERATED(item) proto_item_set_generated(item)

/* ======================================================================
 * 9. libgcrypt through wsutil
 *
 * <wsutil/wsgcrypt.h> exists in 4.0-4.6 and includes <gcrypt.h>;
 * gcry_error_t ws_hmac_buffer(int algo, void *digest, const void *buffer,
 * size_t length, const void *key, size_t keylen) and ws_cmac_buffer() have
 * the same signature in all four, as do hkdf_expand()/hkdf_extract().
 * Including it needs libgcrypt's development headers. gcry_md_* come from
 * libgcrypt itself (libwireshark links it), not from Wireshark.
 * ====================================================================== */

#define ISK_HAVE_WS_HMAC_BUFFER 1

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
 *  - create_dissector_handle(), dissector_t,
 *    proto_get_id_by_filter_name(), proto_is_frame_protocol().
 * ====================================================================== */

#endif /* ISAKMPSTATE_WS_COMPAT_H */
