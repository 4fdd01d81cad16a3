/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_fields.c - isakmpstate's fields, subtree, Info column and expert info,
 * built from a stored ike_record on every pass.
 *
 * Field names are a user interface: they appear in filters, columns and
 * scripts. fields/fields.tsv documents each one and a test compares it with
 * `tshark -G fields`. Rename nothing without updating both.
 */
#include "config_isakmpstate.h"

#include <string.h>

#include "ws_compat.h"

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/proto.h>

#include "ike2_states.h"
#include "ike_vendor.h"
#include "ike_weak.h"
#include "ike_explain.h"
#include "ike_fields.h"
#include "ike_comment.h"
#include "ike_info_tag.h"
#include "ike_notify.h"
#include "ike_text.h"

static int hf_sa = -1, hf_attempt = -1, hf_prev_sa = -1, hf_mode = -1, hf_exchange = -1;
static int hf_msg = -1, hf_from = -1, hf_initiator = -1, hf_responder = -1;
static int hf_istate = -1, hf_rstate = -1, hf_qistate = -1, hf_qrstate = -1;
static int hf_i_asa = -1, hf_i_ios = -1, hf_i_lsw = -1;
static int hf_r_asa = -1, hf_r_ios = -1, hf_r_lsw = -1;
static int hf_p1_complete = -1;
static int hf_qm_initiator = -1, hf_qm_complete = -1, hf_qm_outcome = -1;
static int hf_qi_asa = -1, hf_qi_ios = -1, hf_qi_lsw = -1;
static int hf_qr_asa = -1, hf_qr_ios = -1, hf_qr_lsw = -1;
static int hf_retrans = -1, hf_retrans_of = -1, hf_retrans_count = -1, hf_dup_of = -1;
static int hf_response_to = -1, hf_response_in = -1, hf_time = -1;
static int hf_float = -1, hf_start_not_seen = -1, hf_inferred = -1, hf_role_assumed = -1;
static int hf_out_of_order = -1, hf_fragment = -1, hf_new_attempt = -1;
static int hf_payloads = -1, hf_notify = -1, hf_notify_name = -1, hf_delete = -1, hf_xauth = -1;
static int hf_psk = -1;
static int hf_ikev2 = -1, hf_malformed = -1, hf_natd = -1, hf_nat = -1, hf_chosen = -1, hf_offered = -1;
static int hf_cause = -1, hf_failed = -1, hf_stop = -1, hf_verdict = -1;
static int hf_fi_asa = -1, hf_fi_ios = -1, hf_fi_lsw = -1, hf_fr_asa = -1, hf_fr_ios = -1, hf_fr_lsw = -1;
/* IKEv2 */
static int hf_v2_istate = -1, hf_v2_i_cst = -1, hf_v2_i_csm = -1, hf_v2_i_sw = -1, hf_v2_i_lsw = -1;
static int hf_v2_rstate = -1, hf_v2_r_cst = -1, hf_v2_r_csm = -1, hf_v2_r_sw = -1, hf_v2_r_lsw = -1;
static int hf_v2_established = -1, hf_v2_response = -1, hf_v2_msgid = -1, hf_v2_unanswered = -1;
static int hf_v2_esp_spi = -1, hf_weak = -1, hf_vendor = -1, hf_impl = -1;
static int hf_rekey_of = -1, hf_rekeyed_by = -1, hf_child_rekey = -1, hf_child_rekey_of = -1;
static int hf_v2_fragment = -1, hf_v2_child = -1, hf_v2_rekey_of = -1, hf_v2_retry = -1, hf_v2_notify = -1;
static int hf_v2_fi_sw = -1, hf_v2_fi_lsw = -1, hf_v2_fi_cisco = -1, hf_v2_fr_sw = -1, hf_v2_fr_lsw = -1, hf_v2_fr_cisco = -1;
static gint ett_v2_istate = -1, ett_v2_rstate = -1;
static int hf_verdict_states = -1, hf_verdict_evidence = -1, hf_verdict_likely = -1, hf_verdict_check = -1;

static gint ett_isakmpstate = -1, ett_istate = -1, ett_rstate = -1, ett_qm = -1, ett_verdict = -1;

static expert_field ei_retrans = EI_INIT, ei_dup = EI_INIT, ei_start_not_seen = EI_INIT;
static expert_field ei_out_of_order = EI_INIT, ei_malformed = EI_INIT;
static expert_field ei_v2_established = EI_INIT, ei_v2_refused = EI_INIT, ei_v2_retry = EI_INIT;
static expert_field ei_v2_unanswered = EI_INIT, ei_v2_fragment_missing = EI_INIT, ei_weak = EI_INIT;
static expert_field ei_child_rekey = EI_INIT;
static expert_field ei_unknown_exch = EI_INIT, ei_p1_complete = EI_INIT, ei_qm_complete = EI_INIT;
static expert_field ei_float = EI_INIT, ei_delete = EI_INIT, ei_notify = EI_INIT, ei_notify_status = EI_INIT;
static expert_field ei_enc_notify = EI_INIT, ei_decrypt_failed = EI_INIT;
/* The verdict: one expert field per cause, so that the Expert Information
 * dialog, which groups by summary, shows each cause as its own line
 * instead of one "Negotiation failed" group. */
static expert_field ei_cause[CAUSE__COUNT];
static ei_register_info ei_cause_info[CAUSE__COUNT];
static int cause_severity[CAUSE__COUNT];
static expert_field ei_icmp = EI_INIT, ei_natd = EI_INIT, ei_psk = EI_INIT;

static const value_string exch_vals[] = {
    {0, "None"}, {1, "Base"}, {2, "Main Mode"}, {3, "Authentication Only"},
    {4, "Aggressive Mode"}, {5, "Informational"}, {6, "Transaction (XAUTH/Mode-Config)"},
    {32, "Quick Mode"}, {33, "New Group Mode"},
    {34, "IKE_SA_INIT"}, {35, "IKE_AUTH"}, {36, "CREATE_CHILD_SA"}, {37, "INFORMATIONAL"}, {0, NULL}};

static const char *mode_name(uint8_t mode)
{
    return ike_text(mode == IKE_EXCH_MAIN ? IKE_TXT_MODE_MAIN
                    : mode == IKE_EXCH_AGGRESSIVE ? IKE_TXT_MODE_AGGRESSIVE : IKE_TXT_MODE_UNKNOWN);
}

#define role_word ike_text_role
#define T(id) ike_text(IKE_TXT_##id)
/* Item values and labels are formatted into a stack buffer with one of
 * ike_text.h's functions: Wireshark copies a string item's value and
 * label into the packet's tree. */
#define TEXT(buf, fn, ...) (fn((buf), sizeof (buf), __VA_ARGS__), (const char *)(buf))

#define GEN(item) proto_item_set_generated(item)
/* Add a generated item only when there is a tree to add it to: without
 * one (nobody looks at the items, see details_wanted() in
 * packet-isakmpstate.c) the call is not even made, since Wireshark 4.0
 * checks the field's length before it checks for a NULL tree. */
#define ADD(tree, call) do { if (tree) proto_item_set_generated(call); } while (0)

static void add_state(proto_tree *tree, int hf_all, int hf_asa, int hf_ios, int hf_lsw,
                      gint ett, const char *who, const ike_state_names_t *n, tvbuff_t *tvb)
{
    /* Formatting costs more than the rest of the packet's fields together;
     * skip it when the item is not shown and nobody filters on it (tshark
     * -q, -T fields of other fields): Wireshark fakes such items anyway. */
    if (!tree)
        return;
    char all[IKE_TEXT_MAX] = "", label[IKE_TEXT_MAX];
    if (proto_field_is_referenced(tree, hf_all))
        ike_txt_states_value(all, sizeof all, n->asa, n->ios, n->libreswan);
    proto_item *ti = proto_tree_add_string_format(tree, hf_all, tvb, 0, 0, all, "%s",
                                                  TEXT(label, ike_txt_state_label, who, all));
    GEN(ti);
    proto_tree *st = proto_item_add_subtree(ti, ett);
    ADD(st, proto_tree_add_string(st, hf_asa, tvb, 0, 0, n->asa));
    ADD(st, proto_tree_add_string(st, hf_ios, tvb, 0, 0, n->ios));
    ADD(st, proto_tree_add_string(st, hf_lsw, tvb, 0, 0, n->libreswan));
}

/* Every expert info, once: X(field, abbreviation, group, severity, summary
 * id). The summaries are ike_text.h's words, set at registration (they are
 * static strings of the core, which Wireshark may keep pointers to). */
#define ISK_EXPERTS(X) \
    X(ei_retrans, "isakmpstate.expert.retransmission", PI_SEQUENCE, PI_NOTE, EI_RETRANS) \
    X(ei_dup, "isakmpstate.expert.capture_duplicate", PI_SEQUENCE, PI_NOTE, EI_DUP) \
    X(ei_start_not_seen, "isakmpstate.expert.start_not_seen", PI_SEQUENCE, PI_NOTE, EI_START_NOT_SEEN) \
    X(ei_out_of_order, "isakmpstate.expert.out_of_order", PI_SEQUENCE, PI_WARN, EI_OUT_OF_ORDER) \
    X(ei_malformed, "isakmpstate.expert.malformed", PI_MALFORMED, PI_ERROR, EI_MALFORMED) \
    X(ei_weak, "isakmpstate.expert.weak_crypto", PI_SECURITY, PI_WARN, EI_WEAK) \
    X(ei_v2_established, "isakmpstate.expert.v2_established", PI_SEQUENCE, PI_CHAT, EI_V2_ESTABLISHED) \
    X(ei_v2_refused, "isakmpstate.expert.v2_refused", PI_RESPONSE_CODE, PI_WARN, EI_V2_REFUSED) \
    X(ei_v2_retry, "isakmpstate.expert.v2_retry", PI_SEQUENCE, PI_NOTE, EI_V2_RETRY) \
    X(ei_v2_unanswered, "isakmpstate.expert.v2_unanswered", PI_SEQUENCE, PI_WARN, EI_V2_UNANSWERED) \
    X(ei_v2_fragment_missing, "isakmpstate.expert.v2_fragment_missing", PI_REASSEMBLE, PI_WARN, EI_V2_FRAGMENT_MISSING) \
    X(ei_unknown_exch, "isakmpstate.expert.unknown_exchange", PI_PROTOCOL, PI_WARN, EI_UNKNOWN_EXCH) \
    X(ei_p1_complete, "isakmpstate.expert.phase1_complete", PI_SEQUENCE, PI_CHAT, EI_P1_COMPLETE) \
    X(ei_qm_complete, "isakmpstate.expert.qm_complete", PI_SEQUENCE, PI_CHAT, EI_QM_COMPLETE) \
    X(ei_child_rekey, "isakmpstate.expert.child_rekey", PI_SEQUENCE, PI_CHAT, EI_CHILD_REKEY) \
    X(ei_float, "isakmpstate.expert.float", PI_SEQUENCE, PI_CHAT, EI_FLOAT) \
    X(ei_delete, "isakmpstate.expert.delete", PI_SEQUENCE, PI_NOTE, EI_DELETE) \
    X(ei_notify, "isakmpstate.expert.notify", PI_RESPONSE_CODE, PI_WARN, EI_NOTIFY) \
    X(ei_notify_status, "isakmpstate.expert.notify_status", PI_SEQUENCE, PI_CHAT, EI_NOTIFY_STATUS) \
    X(ei_enc_notify, "isakmpstate.expert.encrypted_notify", PI_RESPONSE_CODE, PI_NOTE, EI_ENC_NOTIFY) \
    X(ei_decrypt_failed, "isakmpstate.expert.decrypt_failed", PI_DECRYPTION, PI_WARN, EI_DECRYPT_FAILED) \
    X(ei_natd, "isakmpstate.expert.natd", PI_SEQUENCE, PI_NOTE, EI_NATD) \
    X(ei_psk, "isakmpstate.expert.psk", PI_SECURITY, PI_NOTE, EI_PSK) \
    X(ei_icmp, "isakmpstate.expert.icmp", PI_SEQUENCE, PI_NOTE, EI_ICMP)

#define EI(e, abbrev, group, severity, text) {&e, {abbrev, group, severity, NULL, EXPFILL}},
static ei_register_info ei_info[] = {ISK_EXPERTS(EI)};
#undef EI
#define EI(e, abbrev, group, severity, text) IKE_TXT_##text,
static const ike_text_id ei_summary[] = {ISK_EXPERTS(EI)};
#undef EI


/* The highest severity raised on the record being added, which
 * ike_fields_add() returns: without a tree, no item keeps it and each
 * expert info would overwrite the Expert column with its own (see
 * packet-isakmpstate.c). Wireshark dissects one packet at a time. */
static int raised;

static int severity_of(const expert_field *e)
{
    for (size_t i = 0; i < array_length(ei_info); i++)
        if (ei_info[i].ids == e)
            return ei_info[i].eiinfo.severity;
    for (size_t c = 0; c < CAUSE__COUNT; c++)
        if (&ei_cause[c] == e)
            return cause_severity[c];
    return 0;
}

/* Error for a failure, Warning for one inferred from encrypted messages
 * (Wireshark warns of what is likely, not certain), Note for a capture
 * that ends too early, Chat for the rest. */
static int severity_for_cause(ike_cause_class k)
{
    switch (k) {
    case IKE_CAUSE_CLASS_FAILED:          return PI_ERROR;
    case IKE_CAUSE_CLASS_PROBABLY_FAILED: return PI_WARN;
    case IKE_CAUSE_CLASS_ENDED_EARLY:     return PI_NOTE;
    case IKE_CAUSE_CLASS_OUTCOME:         break;
    }
    return PI_CHAT;
}

static void register_cause_experts(expert_module_t *em)
{
    for (int c = 0; c < CAUSE__COUNT; c++) {
        const char *code = ike_cause_text_for((ike_cause)c)->code;
        char *abbrev = g_strdup_printf("isakmpstate.expert.cause.%s", code);
        for (char *p = abbrev; *p; p++)
            if (*p == '-')
                *p = '_';
        ike_cause_class k = ike_text_cause_class((ike_cause)c);
        int sev = severity_for_cause(k);
        const char *what = ike_text_cause_class_words(k);
        size_t len = ike_txt_cause_summary(NULL, 0, code, what) + 1;
        char *summary = (char *)g_malloc(len);
        ike_txt_cause_summary(summary, len, code, what);
        ei_cause[c] = (expert_field)EI_INIT;
        cause_severity[c] = sev;
        ei_cause_info[c] = (ei_register_info){&ei_cause[c], {abbrev, PI_SEQUENCE, sev, summary, EXPFILL}};
    }
    expert_register_field_array(em, ei_cause_info, CAUSE__COUNT);
}

/* When nobody reads the expert texts (no items, and no expert tap: see
 * packet-isakmpstate.c), only their severity counts (Expert column, the
 * file's highest severity), so the registered summary is used instead of
 * formatting the message. */
static bool no_texts;

/* The record's top item, which the expert infos hang on. Without items it
 * is made only when a first expert info needs it (most packets raise
 * none); with items, at once (the subtree goes under it). */
static struct {
    proto_tree *tree;
    tvbuff_t   *tvb;
    int         proto;
    proto_item *top;
} anchor;

static proto_item *anchor_item(void)
{
    if (!anchor.top && anchor.tree)
        anchor.top = proto_tree_add_item(anchor.tree, anchor.proto, anchor.tvb, 0, 0, ENC_NA);
    return anchor.top;
}

/* Without texts (no items, no expert tap) an expert info shows only
 * through its severity: the Expert column and the highest severity of the
 * file (the GUI's status bar). So only the first of the highest severity
 * is kept, and raised once when the record is done (ike_fields_add). */
static expert_field *pending;
/* The highest severity raised with expert_add_info since the file was
 * opened (Wireshark resets its own at the same time, in init_dissection). */
static int file_raised;

static void keep_highest(expert_field *e)
{
    int s = severity_of(e);
    if (s > raised) {
        raised = s;
        pending = e;
    }
}

#define EXPERT_FMT(pinfo, e, ...)                                       \
    do {                                                                \
        if (no_texts) {                                                 \
            keep_highest(e);                                            \
        } else {                                                        \
            raised = MAX(raised, severity_of(e));                       \
            expert_add_info_format(pinfo, anchor_item(), e, __VA_ARGS__); \
        }                                                               \
    } while (0)
/* An expert text of ike_text.h: formatted only when someone reads it. */
#define EXPERT_TXT(pinfo, e, fn, ...)                                   \
    do {                                                                \
        if (no_texts) {                                                 \
            keep_highest(e);                                            \
        } else {                                                        \
            char text_[IKE_TEXT_MAX];                                   \
            raised = MAX(raised, severity_of(e));                       \
            fn(text_, sizeof text_, __VA_ARGS__);                       \
            expert_add_info_format(pinfo, anchor_item(), e, "%s", text_); \
        }                                                               \
    } while (0)
/* The same for a text without arguments. */
#define EXPERT_WORDS(pinfo, e, id) EXPERT_FMT(pinfo, e, "%s", ike_text(IKE_TXT_##id))
#define EXPERT(pinfo, e)                                                \
    do {                                                                \
        if (no_texts) {                                                 \
            keep_highest(e);                                            \
        } else {                                                        \
            raised = MAX(raised, severity_of(e));                       \
            expert_add_info(pinfo, anchor_item(), e);                   \
        }                                                               \
    } while (0)

/* The tag in front of the Info text (ike_info_tag.c says why it is
 * handed over whole, with a plain "%s"). */
static void add_info_column(packet_info *pinfo, const ike_record *rec)
{
    column_info *ci = pinfo->cinfo;
    if (!ci || !col_get_writable(ci, COL_INFO))
        return;
    char tag[IKE_INFO_TAG_MAX];
    size_t tn = ike_info_tag(rec, tag, sizeof tag);
    const char *orig = col_get_text(ci, COL_INFO);
    size_t on = orig ? strlen(orig) : 0;
    if (!orig || tn >= sizeof tag || tn + on >= COL_MAX_INFO_LEN) {
        col_prepend_fstr(ci, COL_INFO, "%s", tag);
        return;
    }
    /* col_prepend_fstr costs 1,300 instructions a packet (a copy of the
     * text, a vsnprintf, a strlcat: a tenth of the plugin's work in summary
     * lines), and col_add_str copies the text again byte by byte. So tag +
     * text is composed in a copy that lives as long as the packet (the
     * columns are read before its pool is freed: tshark prints them, the
     * GUI copies them into its packet list) and handed over with
     * col_set_str. Without a fence (most Info columns) the column then
     * points at that copy, which tells there was none; with a fence it
     * copied the text behind the part before the fence: the rest is put
     * back (col_set_str(""), which replaces only what follows a fence,
     * shows where the fence is) and the tag prepended the usual way, which
     * moves the fence. */
    char *text = (char *)wmem_alloc(ISK_PACKET_SCOPE(pinfo), tn + on + 1);
    memcpy(text, tag, tn);
    memcpy(text + tn, orig, on + 1);
    col_set_str(ci, COL_INFO, text);
    if (col_get_text(ci, COL_INFO) == text)
        return;
    col_set_str(ci, COL_INFO, "");
    const char *before = col_get_text(ci, COL_INFO);
    size_t bn = before ? strlen(before) : 0;
    col_add_str(ci, COL_INFO, bn <= on ? text + tn + bn : "");
    col_prepend_fstr(ci, COL_INFO, "%s", tag);
}

static void add_verdict(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const ike_tracker *t,
                        const ike_verdicts *v, const ike_verdict *vd, const ike_sa *sa, const ike_record *rec)
{
    bool v2 = (sa->flags & SA_IKEV2) != 0;
    const ike_cause_text *ct = v2 ? ike2_cause_text_for(vd->cause) : ike_cause_text_for(vd->cause);
    ADD(tree, proto_tree_add_string(tree, hf_cause, tvb, 0, 0, ct->code));
    ADD(tree, proto_tree_add_boolean(tree, hf_failed, tvb, 0, 0, vd->failed));
    if (v2) {
        const ike2_state_names_t *i2 = ike2_state_names((ike2_side_state)vd->final_state[ROLE_I]);
        const ike2_state_names_t *r2 = ike2_state_names((ike2_side_state)vd->final_state[ROLE_R]);
        ADD(tree, proto_tree_add_string(tree, hf_v2_fi_sw, tvb, 0, 0, i2->strongswan));
        ADD(tree, proto_tree_add_string(tree, hf_v2_fi_lsw, tvb, 0, 0, i2->libreswan));
        ADD(tree, proto_tree_add_string(tree, hf_v2_fi_cisco, tvb, 0, 0, i2->cisco_status));
        ADD(tree, proto_tree_add_string(tree, hf_v2_fr_sw, tvb, 0, 0, r2->strongswan));
        ADD(tree, proto_tree_add_string(tree, hf_v2_fr_lsw, tvb, 0, 0, r2->libreswan));
        ADD(tree, proto_tree_add_string(tree, hf_v2_fr_cisco, tvb, 0, 0, r2->cisco_status));
    } else {
        /* The states each side is left in, on every packet of the SA, so
         * that one filter selects whole negotiations by where they ended. */
        const ike_state_names_t *fi = ike_state_names((ike_side_state)sa->state[ROLE_I]);
        const ike_state_names_t *fr = ike_state_names((ike_side_state)sa->state[ROLE_R]);
        ADD(tree, proto_tree_add_string(tree, hf_fi_asa, tvb, 0, 0, fi->asa));
        ADD(tree, proto_tree_add_string(tree, hf_fi_ios, tvb, 0, 0, fi->ios));
        ADD(tree, proto_tree_add_string(tree, hf_fi_lsw, tvb, 0, 0, fi->libreswan));
        ADD(tree, proto_tree_add_string(tree, hf_fr_asa, tvb, 0, 0, fr->asa));
        ADD(tree, proto_tree_add_string(tree, hf_fr_ios, tvb, 0, 0, fr->ios));
        ADD(tree, proto_tree_add_string(tree, hf_fr_lsw, tvb, 0, 0, fr->libreswan));
    }
    if (vd->stop_frame != rec->frame)
        return;
    proto_item *ti = tree ? proto_tree_add_item(tree, hf_stop, tvb, 0, 0, ENC_NA) : NULL;
    GEN(ti);
    proto_item_append_text(ti, ": %s", ct->code);
    proto_tree *vt = proto_item_add_subtree(ti, ett_verdict);
    ADD(vt, proto_tree_add_string(vt, hf_verdict, tvb, 0, 0, ct->summary));
    /* The words are written only for a shown tree or a filter that asks
     * for them (the strings are copied into the packet's tree). */
    ike_verdict_words w;
    if ((proto_field_is_referenced(vt, hf_verdict_states) || proto_field_is_referenced(vt, hf_verdict_evidence)) &&
        ike_verdict_words_for(t, v, sa->index, &w)) {
        ADD(vt, proto_tree_add_string(vt, hf_verdict_states, tvb, 0, 0, w.states));
        if (*w.evidence)
            ADD(vt, proto_tree_add_string(vt, hf_verdict_evidence, tvb, 0, 0, w.evidence));
        ike_verdict_words_free(&w);
    }
    if (ct->failure) {
        ADD(vt, proto_tree_add_string(vt, hf_verdict_likely, tvb, 0, 0, ct->likely));
        ADD(vt, proto_tree_add_string(vt, hf_verdict_check, tvb, 0, 0, ct->check));
    }
    /* An inferred failure (the proof is encrypted) is a warning, as
     * Wireshark warns of what is likely wrong rather than certain. */
    expert_field *ei = &ei_cause[(unsigned)vd->cause < CAUSE__COUNT ? vd->cause : CAUSE_UNKNOWN];
    /* Short enough for one expert line (Wireshark cuts labels at 240
     * characters); the subtree holds the evidence and what to check. */
    EXPERT_TXT(pinfo, ei, ike_txt_verdict, ct->code, ct->summary);
}

/* Retransmission, capture duplicate, or the request this message answers
 * (answer: it is a response), both IKE versions. */
static void add_links(packet_info *pinfo, proto_tree *st, tvbuff_t *tvb, const ike_record *rec, const char *m,
                      const char *prefix, bool answer)
{
    if (rec->flags & REC_RETRANS) {
        ADD(st, proto_tree_add_item(st, hf_retrans, tvb, 0, 0, ENC_NA));
        ADD(st, proto_tree_add_uint(st, hf_retrans_of, tvb, 0, 0, rec->ref_frame));
        ADD(st, proto_tree_add_uint(st, hf_retrans_count, tvb, 0, 0, rec->retrans_count));
        EXPERT_TXT(pinfo, &ei_retrans, ike_txt_retrans, prefix, m, role_word(rec->from), rec->retrans_count,
                   rec->ref_frame, (double)rec->delta);
    } else if (rec->flags & REC_CAPTURE_DUP) {
        ADD(st, proto_tree_add_uint(st, hf_dup_of, tvb, 0, 0, rec->ref_frame));
        EXPERT_TXT(pinfo, &ei_dup, ike_txt_dup, rec->ref_frame);
    } else if (answer && rec->ref_frame) {
        ADD(st, proto_tree_add_uint(st, hf_response_to, tvb, 0, 0, rec->ref_frame));
        nstime_t ns;
        ns.secs = (time_t)rec->delta;
        ns.nsecs = (int)((rec->delta - (float)ns.secs) * 1e9f);
        ADD(st, proto_tree_add_time(st, hf_time, tvb, 0, 0, &ns));
    }
}

/* What the recomputed NAT-D (IKEv2: NAT detection) hashes of this packet
 * showed, and where the SA's NAT is. how: which hashes; src_note: said of a
 * translated sender. */
static void add_nat(packet_info *pinfo, proto_tree *st, tvbuff_t *tvb, const ike_sa *sa, const ike_record *rec,
                    const char *how, const char *src_note)
{
    const char *what = ike_value_natd(rec);
    if (what) {
        ADD(st, proto_tree_add_string(st, hf_natd, tvb, 0, 0, what));
        if (!(rec->flags & REC_NATD_MATCH))
            EXPERT_TXT(pinfo, &ei_natd, ike_txt_natd, how, what,
                       (rec->flags & REC_NATD_SRC) ? role_word(rec->from) : role_word(!rec->from),
                       (rec->flags & REC_NATD_SRC) ? src_note : "");
    }
    if (sa->flags & SA_NAT_CHECKED) {
        const char *nat = (sa->flags & SA_NAT_I) && (sa->flags & SA_NAT_R) ? T(NAT_BOTH)
                          : (sa->flags & SA_NAT_I) ? T(NAT_INITIATOR)
                          : (sa->flags & SA_NAT_R) ? T(NAT_RESPONDER) : T(NAT_NONE);
        ADD(st, proto_tree_add_string(st, hf_nat, tvb, 0, 0, nat));
    }
}

/* On phase-1 and IKE_SA_INIT messages, where peers send them: what the
 * sender's Vendor IDs so far say (its implementation, its extensions). */
static void add_vendor(proto_tree *st, tvbuff_t *tvb, const ike_tracker *t, const ike_sa *sa, const ike_record *rec)
{
    if (!st || (rec->flags & (REC_RETRANS | REC_CAPTURE_DUP)))
        return;
    bool first = ike_msg_is_phase1((ike_msg)rec->msg) || rec->msg == MSG_V2_INIT_REQ || rec->msg == MSG_V2_INIT_RESP;
    uint32_t bits = ike_sa_vendor(t, sa, rec->from & 1);
    if (!first || !bits)
        return;
    char buf[256];
    ike_vendor_format(bits, buf, sizeof buf);
    ADD(st, proto_tree_add_string(st, hf_vendor, tvb, 0, 0, buf));
    const char *impl = ike_vendor_implementation(bits);
    if (impl)
        ADD(st, proto_tree_add_string(st, hf_impl, tvb, 0, 0, impl));
}

/* On the message that chose the proposal: what in it is weak. */
static void add_weak(packet_info *pinfo, proto_tree *st, tvbuff_t *tvb, const ike_tracker *t, const ike_sa *sa)
{
    uint32_t w = ike_sa_weak(t, sa);
    if (!w)
        return;
    char buf[160];
    ike_weak_format(w, buf, sizeof buf);
    ADD(st, proto_tree_add_string(st, hf_weak, tvb, 0, 0, buf));
    EXPERT_TXT(pinfo, &ei_weak, ike_txt_weak, buf);
}

static void add_v2_state(proto_tree *tree, int hf_all, int hf_cst, int hf_csm, int hf_sw,
                         int hf_lsw, gint ett, const char *who, const ike2_state_names_t *n, tvbuff_t *tvb)
{
    if (!tree)
        return;
    char all[IKE_TEXT_MAX] = "", label[IKE_TEXT_MAX];
    if (proto_field_is_referenced(tree, hf_all))
        ike_txt_states_v2_value(all, sizeof all, n->strongswan, n->cisco_status, n->cisco_sm, n->libreswan);
    proto_item *ti = proto_tree_add_string_format(tree, hf_all, tvb, 0, 0, all, "%s",
                                                  TEXT(label, ike_txt_state_label, who, all));
    GEN(ti);
    proto_tree *st = proto_item_add_subtree(ti, ett);
    ADD(st, proto_tree_add_string(st, hf_cst, tvb, 0, 0, n->cisco_status));
    ADD(st, proto_tree_add_string(st, hf_csm, tvb, 0, 0, n->cisco_sm));
    ADD(st, proto_tree_add_string(st, hf_sw, tvb, 0, 0, n->strongswan));
    ADD(st, proto_tree_add_string(st, hf_lsw, tvb, 0, 0, n->libreswan));
}

static void add_verdict(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const ike_tracker *t,
                        const ike_verdicts *v, const ike_verdict *vd, const ike_sa *sa, const ike_record *rec);

/* An IKEv2 message: which exchange, request or response, both sides'
 * states, the request/response link, and what refused or stopped it. */
/* Rekeys: which IKE SA this one replaced or was replaced by, and, on the
 * first message of a phase-2 exchange that renews ESP SAs, which one. */
static void add_rekeys(packet_info *pinfo, proto_tree *st, tvbuff_t *tvb, const ike_tracker *t, const ike_sa *sa,
                       const ike_record *rec)
{
    if (sa->rekey_of)
        ADD(st, proto_tree_add_uint(st, hf_rekey_of, tvb, 0, 0, sa->rekey_of));
    if (sa->rekeyed_by)
        ADD(st, proto_tree_add_uint(st, hf_rekeyed_by, tvb, 0, 0, sa->rekeyed_by));
    const ike_exchange *ex = rec->exch ? ike_tracker_exchange(t, rec->exch) : NULL;
    if (!ex || !ex->child_rekey || (rec->flags & (REC_RETRANS | REC_CAPTURE_DUP)))
        return;
    uint32_t first = ike_exchange_first_frame(t, ex);
    ADD(st, proto_tree_add_item(st, hf_child_rekey, tvb, 0, 0, ENC_NA));
    uint32_t old_first = ike_value_child_rekey_of(t, rec);
    if (old_first)
        ADD(st, proto_tree_add_uint(st, hf_child_rekey_of, tvb, 0, 0, old_first));
    if (first != pinfo->num)
        return;
    if (old_first)
        EXPERT_TXT(pinfo, &ei_child_rekey, ike_txt_child_rekey_of, old_first);
    else
        EXPERT_WORDS(pinfo, &ei_child_rekey, CHILD_REKEY_UNSEEN);
}

static void add_record_v2(tvbuff_t *tvb, packet_info *pinfo, proto_item *top, proto_tree *st, const ike_tracker *t,
                          const ike_verdicts *v, const ike_record *rec)
{
    const ike_sa *sa = ike_tracker_sa(t, rec->sa);
    const char *m = ike_msg_name((ike_msg)rec->msg);
    ADD(st, proto_tree_add_item(st, hf_ikev2, tvb, 0, 0, ENC_NA));
    if (rec->flags & REC_UNKNOWN_EXCH)
        EXPERT_TXT(pinfo, &ei_unknown_exch, ike_txt_v2_unknown_exch, rec->exch_type);
    if (!sa) {
        if (top) {
            char label[IKE_TEXT_MAX];
            proto_item_append_text(top, "%s", TEXT(label, ike_txt_top_v2_no_sa, m));
        }
        ADD(st, proto_tree_add_string(st, hf_msg, tvb, 0, 0, m));
        return;
    }
    const ike2_state_names_t *si = ike2_state_names((ike2_side_state)rec->state[ROLE_I]);
    const ike2_state_names_t *sr = ike2_state_names((ike2_side_state)rec->state[ROLE_R]);
    if (top) {
        char label[IKE_TEXT_MAX];
        proto_item_append_text(top, "%s", TEXT(label, ike_txt_top_v2, sa->index, m, role_word(rec->from),
                                               si->strongswan, sr->strongswan));
    }
    char ia[64] = "", ra[64] = "";
    if (proto_field_is_referenced(st, hf_initiator))
        ike_sa_endpoint_format(t, sa, ROLE_I, ia, sizeof ia);
    if (proto_field_is_referenced(st, hf_responder))
        ike_sa_endpoint_format(t, sa, ROLE_R, ra, sizeof ra);
    const ike_exchange *ex = rec->exch ? ike_tracker_exchange(t, rec->exch) : NULL;
    ADD(st, proto_tree_add_uint(st, hf_sa, tvb, 0, 0, sa->index));
    ADD(st, proto_tree_add_uint(st, hf_attempt, tvb, 0, 0, sa->attempt));
    if (sa->prev_attempt)
        ADD(st, proto_tree_add_uint(st, hf_prev_sa, tvb, 0, 0, sa->prev_attempt));
    if (sa->rekey_of)
        ADD(st, proto_tree_add_uint(st, hf_v2_rekey_of, tvb, 0, 0, sa->rekey_of));
    add_rekeys(pinfo, st, tvb, t, sa, rec);
    ADD(st, proto_tree_add_uint(st, hf_exchange, tvb, 0, 0, rec->exch_type));
    ADD(st, proto_tree_add_string(st, hf_msg, tvb, 0, 0, m));
    ADD(st, proto_tree_add_string(st, hf_from, tvb, 0, 0, role_word(rec->from)));
    ADD(st, proto_tree_add_boolean(st, hf_v2_response, tvb, 0, 0, (rec->flags & REC_RESPONSE) != 0));
    if (ex)
        ADD(st, proto_tree_add_uint(st, hf_v2_msgid, tvb, 0, 0, ex->msgid));
    ADD(st, proto_tree_add_string(st, hf_initiator, tvb, 0, 0, ia));
    ADD(st, proto_tree_add_string(st, hf_responder, tvb, 0, 0, ra));
    add_v2_state(st, hf_v2_istate, hf_v2_i_cst, hf_v2_i_csm, hf_v2_i_sw, hf_v2_i_lsw, ett_v2_istate,
                 T(WHO_I), si, tvb);
    add_v2_state(st, hf_v2_rstate, hf_v2_r_cst, hf_v2_r_csm, hf_v2_r_sw, hf_v2_r_lsw, ett_v2_rstate,
                 T(WHO_R), sr, tvb);
    ADD(st, proto_tree_add_boolean(st, hf_v2_established, tvb, 0, 0,
                                   ike2_state_is_established((ike2_side_state)rec->state[ROLE_I]) &&
                                       ike2_state_is_established((ike2_side_state)rec->state[ROLE_R])));

    /* A request's ref_frame may name its first fragment: only a response
     * answers something. */
    add_links(pinfo, st, tvb, rec, m, T(PREFIX_V2), (rec->flags & REC_RESPONSE) != 0);
    if (rec->answered_by)
        ADD(st, proto_tree_add_uint(st, hf_response_in, tvb, 0, 0, rec->answered_by));
    else if (v && !(rec->flags & (REC_RESPONSE | REC_FRAGMENT | REC_ICMP)) && ex && !ex->slot[1].rec &&
             ike_slot_frame(t, &ex->slot[0]) == rec->frame) {
        /* Only once the whole capture is known: the last copy of a request
         * that nothing answered. */
        ADD(st, proto_tree_add_item(st, hf_v2_unanswered, tvb, 0, 0, ENC_NA));
        if (ex->slot[0].count)
            EXPERT_TXT(pinfo, &ei_v2_unanswered, ike_txt_v2_unanswered_resent, m, role_word(rec->from), ex->msgid,
                       ex->slot[0].count + 1u);
        else
            EXPERT_TXT(pinfo, &ei_v2_unanswered, ike_txt_v2_unanswered, m, role_word(rec->from), ex->msgid);
    }
    if (rec->flags & REC_V2_RETRY) {
        ADD(st, proto_tree_add_item(st, hf_v2_retry, tvb, 0, 0, ENC_NA));
    }
    if (rec->flags & REC_FRAGMENT)
        ADD(st, proto_tree_add_item(st, hf_fragment, tvb, 0, 0, ENC_NA));
    const ike_exch_part *xp = ike_exchange_part(t, ex);
    int w = (rec->flags & REC_RESPONSE) ? 1 : 0;
    if (ex && (rec->flags & REC_FRAGMENT || xp->frag_total[w])) {
        unsigned total = xp->frag_total[w];
        if (total && ike_slot_first_frame(t, &ex->slot[w]) == rec->frame) {
            char frags[64];
            ADD(st, proto_tree_add_string(st, hf_v2_fragment, tvb, 0, 0, TEXT(frags, ike_txt_v2_fragments_value, total)));
            for (unsigned k = 1; v && k <= total && k <= 32; k++)
                if (!(xp->frag_seen[w] & (1u << (k - 1)))) {
                    EXPERT_TXT(pinfo, &ei_v2_fragment_missing, ike_txt_v2_fragment_missing, m, k, total);
                    break;
                }
        }
    }
    if (rec->flags & REC_FLOAT) {
        ADD(st, proto_tree_add_item(st, hf_float, tvb, 0, 0, ENC_NA));
        /* IKEv2 moves to 4500 after IKE_SA_INIT with or without NAT
         * (strongSwan does for MOBIKE): say which. */
        bool nat = (sa->flags & SA_NAT_CHECKED) && (sa->flags & (SA_NAT_I | SA_NAT_R));
        EXPERT_TXT(pinfo, &ei_float, ike_txt_v2_float, nat ? T(FLOAT_NAT) : T(FLOAT_NO_NAT));
    }
    if (rec->flags & REC_START_NOT_SEEN) {
        ADD(st, proto_tree_add_item(st, hf_start_not_seen, tvb, 0, 0, ENC_NA));
        if (sa->rekey_of)
            EXPERT_TXT(pinfo, &ei_start_not_seen, ike_txt_v2_start_not_seen_rekey, m, sa->rekey_of);
        else
            EXPERT_TXT(pinfo, &ei_start_not_seen, ike_txt_v2_start_not_seen, m);
    }
    if (rec->flags & REC_OUT_OF_ORDER) {
        ADD(st, proto_tree_add_item(st, hf_out_of_order, tvb, 0, 0, ENC_NA));
        EXPERT_TXT(pinfo, &ei_out_of_order, ike_txt_v2_out_of_order, m);
    }
    if (rec->flags & REC_ICMP)
        EXPERT(pinfo, &ei_icmp);
    if (rec->flags & REC_P1_COMPLETE)
        EXPERT_TXT(pinfo, &ei_v2_established, ike_txt_v2_established, si->strongswan, si->cisco_status);
    if (rec->msg == MSG_V2_INIT_RESP && !(rec->flags & (REC_RETRANS | REC_CAPTURE_DUP | REC_REJECT)) &&
        (sa->flags & SA_V2_INIT_DONE)) {
        char buf[IKE_TRANSFORM_TEXT];
        if (proto_field_is_referenced(st, hf_chosen) && ike_sa_proposal_text(t, sa, buf, sizeof buf))
            ADD(st, proto_tree_add_string(st, hf_chosen, tvb, 0, 0, buf));
        add_weak(pinfo, st, tvb, t, sa);
    }
    add_vendor(st, tvb, t, sa, rec);
    if (ex && !(rec->flags & (REC_RETRANS | REC_FRAGMENT)) && ike_slot_first_frame(t, &ex->slot[w]) == rec->frame) {
        /* The ESP SPI this message's SA payload proposes or accepts. */
        const uint8_t *spi = xp->esp_spi[w];
        uint32_t spi32 = (uint32_t)spi[0] << 24 | (uint32_t)spi[1] << 16 | (uint32_t)spi[2] << 8 | spi[3];
        if (spi32)
            ADD(st, proto_tree_add_uint(st, hf_v2_esp_spi, tvb, 0, 0, spi32));
    }
    const char *co = ike_value_v2_child(t, rec);
    if (co)
        ADD(st, proto_tree_add_string(st, hf_v2_child, tvb, 0, 0, co));
    if (rec->flags & REC_DECRYPT_FAILED)
        EXPERT_WORDS(pinfo, &ei_decrypt_failed, DECRYPT_FAILED_V2);
    add_nat(pinfo, st, tvb, sa, rec, T(NATD_HOW_V2), "");
    const char *payloads = !(rec->flags & REC_ENCRYPTED) ? T(PAYLOADS_CLEAR)
                           : (rec->flags & REC_DECRYPTED) ? T(PAYLOADS_DECRYPTED)
                           : (rec->flags & REC_UNREADABLE) ? T(PAYLOADS_UNREADABLE)
                                                           : T(PAYLOADS_EMPTY);
    ADD(st, proto_tree_add_string(st, hf_payloads, tvb, 0, 0, payloads));
    if (rec->n_notify && !(rec->flags & REC_UNREADABLE)) {
        const ike_notify_info *ni = ike_notify_find(2, rec->notify);
        const char *name = ike2_notify_name(rec->notify), *meaning = ni ? ni->meaning : NULL;
        if (st) {
            char value[IKE_TEXT_MAX];
            ADD(st, proto_tree_add_uint_format_value(st, hf_v2_notify, tvb, 0, 0, rec->notify, "%s",
                                                     TEXT(value, ike_txt_notify_value, name, rec->notify)));
            ADD(st, proto_tree_add_string(st, hf_notify_name, tvb, 0, 0, name));
        }
        const char *exch = ex ? ike2_exch_name(xp->v2_exch) : m;
        if ((rec->flags & REC_REJECT) && ike_notify_category_of(2, rec->notify) == IKE_NOTIFY_RETRY)
            EXPERT_TXT(pinfo, &ei_v2_retry, ike_txt_v2_retry, name, role_word(rec->from), meaning ? meaning : T(RETRY));
        else if ((rec->flags & REC_REJECT) && meaning)
            EXPERT_TXT(pinfo, &ei_v2_refused, ike_txt_v2_refused_meaning, exch, role_word(rec->from), name,
                       rec->notify, meaning);
        else if (rec->flags & REC_REJECT)
            EXPERT_TXT(pinfo, &ei_v2_refused, ike_txt_v2_refused, exch, role_word(rec->from), name, rec->notify);
    } else if ((rec->flags & REC_REJECT) && (rec->flags & REC_UNREADABLE)) {
        EXPERT_TXT(pinfo, &ei_v2_refused, ike_txt_v2_refused_unreadable, ex ? ike2_exch_name(xp->v2_exch) : m,
                   role_word(rec->from));
    }
    if (rec->delete_proto) {
        ADD(st, proto_tree_add_string(st, hf_delete, tvb, 0, 0, ike_value_delete(rec)));
        EXPERT_TXT(pinfo, &ei_delete, ike_txt_delete, role_word(rec->from),
                   rec->delete_proto == 1 ? T(DELETE_V2_IKE) : T(DELETE_V2_CHILD));
    }
    if (v) {
        const ike_verdict *vd = ike_verdict_for_sa(v, sa->index);
        if (vd)
            add_verdict(st, pinfo, tvb, t, v, vd, sa, rec);
    }
}

static void add_record(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, bool items, int proto,
                       const ike_tracker *t, const ike_verdicts *v, const ike_record *rec)
{
    add_info_column(pinfo, rec);
    /* The expert infos hang on the top item (Wireshark keeps the packet's
     * highest severity per item). Without items it is made only for them
     * (anchor_item()), and every add below gets a NULL tree. */
    anchor.tree = tree;
    anchor.tvb = tvb;
    anchor.proto = proto;
    anchor.top = NULL;
    proto_item *top = items ? anchor_item() : NULL;
    proto_tree *st = items ? proto_item_add_subtree(top, ett_isakmpstate) : NULL;
    const ike_sa *sa = ike_tracker_sa(t, rec->sa);
    const char *m = ike_msg_name((ike_msg)rec->msg);

    if (rec->flags & REC_IKEV2) {
        add_record_v2(tvb, pinfo, top, st, t, v, rec);
        return;
    }
    const char *why = ike_value_malformed(rec);
    if (why) {
        ADD(st, proto_tree_add_string(st, hf_malformed, tvb, 0, 0, why));
        if (sa)
            EXPERT_TXT(pinfo, &ei_malformed, ike_txt_malformed, why);
        else
            EXPERT_TXT(pinfo, &ei_malformed, ike_txt_malformed_untracked, why);
    }
    if (rec->flags & REC_UNKNOWN_EXCH)
        EXPERT_TXT(pinfo, &ei_unknown_exch, ike_txt_unknown_exch, rec->exch_type, ike_exch_name(rec->exch_type));
    if (!sa) {
        if (top) {
            char label[IKE_TEXT_MAX];
            proto_item_append_text(top, "%s", TEXT(label, ike_txt_top_no_sa, m));
        }
        ADD(st, proto_tree_add_string(st, hf_msg, tvb, 0, 0, m));
        return;
    }

    char ia[64] = "", ra[64] = "";
    if (proto_field_is_referenced(st, hf_initiator))
        ike_sa_endpoint_format(t, sa, ROLE_I, ia, sizeof ia);
    if (proto_field_is_referenced(st, hf_responder))
        ike_sa_endpoint_format(t, sa, ROLE_R, ra, sizeof ra);
    const ike_state_names_t *si = ike_state_names((ike_side_state)rec->state[ROLE_I]);
    const ike_state_names_t *sr = ike_state_names((ike_side_state)rec->state[ROLE_R]);
    if (top) {
        char label[IKE_TEXT_MAX];
        proto_item_append_text(top, "%s", TEXT(label, ike_txt_top, sa->index, m, role_word(rec->from), si->asa, sr->asa));
    }

    ADD(st, proto_tree_add_uint(st, hf_sa, tvb, 0, 0, sa->index));
    ADD(st, proto_tree_add_uint(st, hf_attempt, tvb, 0, 0, sa->attempt));
    if (sa->prev_attempt)
        ADD(st, proto_tree_add_uint(st, hf_prev_sa, tvb, 0, 0, sa->prev_attempt));
    if (rec->flags & REC_NEW_ATTEMPT)
        ADD(st, proto_tree_add_item(st, hf_new_attempt, tvb, 0, 0, ENC_NA));
    add_rekeys(pinfo, st, tvb, t, sa, rec);
    ADD(st, proto_tree_add_string(st, hf_mode, tvb, 0, 0, mode_name(sa->mode)));
    ADD(st, proto_tree_add_uint(st, hf_exchange, tvb, 0, 0, rec->exch_type));
    ADD(st, proto_tree_add_string(st, hf_msg, tvb, 0, 0, m));
    ADD(st, proto_tree_add_string(st, hf_from, tvb, 0, 0, role_word(rec->from)));
    ADD(st, proto_tree_add_string(st, hf_initiator, tvb, 0, 0, ia));
    ADD(st, proto_tree_add_string(st, hf_responder, tvb, 0, 0, ra));
    add_state(st, hf_istate, hf_i_asa, hf_i_ios, hf_i_lsw, ett_istate, T(WHO_I), si, tvb);
    add_state(st, hf_rstate, hf_r_asa, hf_r_ios, hf_r_lsw, ett_rstate, T(WHO_R), sr, tvb);
    bool p1 = ike_state_is_established((ike_side_state)rec->state[ROLE_I]) &&
              ike_state_is_established((ike_side_state)rec->state[ROLE_R]);
    ADD(st, proto_tree_add_boolean(st, hf_p1_complete, tvb, 0, 0, p1));

    if (ike_msg_is_quick((ike_msg)rec->msg) && rec->exch) {
        const ike_exchange *ex = ike_tracker_exchange(t, rec->exch);
        proto_item *qi = st ? proto_tree_add_string(st, hf_qm_initiator, tvb, 0, 0, role_word(ex->initiator)) : NULL;
        GEN(qi);
        proto_tree *qt = proto_item_add_subtree(qi, ett_qm);
        add_state(qt, hf_qistate, hf_qi_asa, hf_qi_ios, hf_qi_lsw, ett_istate, T(WHO_QM_I),
                  ike_qm_state_names((ike_qm_state)rec->qstate[ROLE_I]), tvb);
        add_state(qt, hf_qrstate, hf_qr_asa, hf_qr_ios, hf_qr_lsw, ett_rstate, T(WHO_QM_R),
                  ike_qm_state_names((ike_qm_state)rec->qstate[ROLE_R]), tvb);
        ADD(qt, proto_tree_add_boolean(qt, hf_qm_complete, tvb, 0, 0, (rec->flags & REC_QM_COMPLETE) != 0));
        const char *outcome = ike_value_qm_outcome(v, rec);
        if (outcome)
            ADD(qt, proto_tree_add_string(qt, hf_qm_outcome, tvb, 0, 0, outcome));
        if (rec->flags & REC_QM_COMPLETE)
            EXPERT_TXT(pinfo, &ei_qm_complete, ike_txt_qm_complete, ex->msgid);
    }

    /* Request/response links, as Wireshark does for DNS and others. */
    add_links(pinfo, st, tvb, rec, m, "", true);
    if (rec->answered_by)
        ADD(st, proto_tree_add_uint(st, hf_response_in, tvb, 0, 0, rec->answered_by));

    if (rec->flags & REC_FLOAT) {
        ADD(st, proto_tree_add_item(st, hf_float, tvb, 0, 0, ENC_NA));
        EXPERT(pinfo, &ei_float);
    }
    if (rec->flags & REC_START_NOT_SEEN) {
        ADD(st, proto_tree_add_item(st, hf_start_not_seen, tvb, 0, 0, ENC_NA));
        EXPERT_TXT(pinfo, &ei_start_not_seen, ike_txt_start_not_seen, m);
    }
    if (rec->flags & REC_INFERRED)
        ADD(st, proto_tree_add_item(st, hf_inferred, tvb, 0, 0, ENC_NA));
    if (rec->flags & REC_ROLE_ASSUMED)
        ADD(st, proto_tree_add_item(st, hf_role_assumed, tvb, 0, 0, ENC_NA));
    if (rec->flags & REC_FRAGMENT)
        ADD(st, proto_tree_add_item(st, hf_fragment, tvb, 0, 0, ENC_NA));
    if (rec->flags & (REC_OUT_OF_ORDER | REC_MODE_MISMATCH)) {
        ADD(st, proto_tree_add_item(st, hf_out_of_order, tvb, 0, 0, ENC_NA));
        EXPERT_TXT(pinfo, &ei_out_of_order, ike_txt_out_of_order, m);
    }
    if (rec->flags & REC_ICMP)
        EXPERT(pinfo, &ei_icmp);
    if (rec->flags & REC_P1_COMPLETE)
        EXPERT_TXT(pinfo, &ei_p1_complete, ike_txt_p1_complete, mode_name(sa->mode), si->asa, si->ios);

    if (rec->flags & REC_DECRYPT_FAILED)
        EXPERT_FMT(pinfo, &ei_decrypt_failed, "%s",
                   (rec->flags & REC_RETRANS) ? T(DECRYPT_FAILED_V1_RETRANS) : T(DECRYPT_FAILED_V1));
    add_nat(pinfo, st, tvb, sa, rec, T(NATD_HOW_V1), T(NATD_FORCEENCAP));
    if ((rec->msg == MSG_MM2 || rec->msg == MSG_AM2) && !(rec->flags & (REC_RETRANS | REC_CAPTURE_DUP))) {
        if ((ike_sa_chosen(t, sa)->enc || ike_sa_chosen(t, sa)->hash || ike_sa_chosen(t, sa)->auth) && proto_field_is_referenced(st, hf_chosen)) {
            char buf[IKE_TRANSFORM_TEXT];
            ike_transform_format(ike_sa_chosen(t, sa), buf, sizeof buf);
            ADD(st, proto_tree_add_string(st, hf_chosen, tvb, 0, 0, buf));
        }
        add_weak(pinfo, st, tvb, t, sa);
    }
    add_vendor(st, tvb, t, sa, rec);
    const ike_sa_ext *x = ike_sa_x(t, sa);
    char psk[IKE_TEXT_MAX];
    const char *psk_value = ike_value_psk(t, rec, psk, sizeof psk);
    if (psk_value) {
        ADD(st, proto_tree_add_string(st, hf_psk, tvb, 0, 0, psk_value));
        if (x->psk_match > 0)
            EXPERT_TXT(pinfo, &ei_psk, ike_txt_psk_match, x->psk_match);
        else
            EXPERT_WORDS(pinfo, &ei_psk, PSK_NONE);
    }
    const char *offered = NULL; /* formatted only for the notification that refuses it */
    if ((rec->flags & REC_REJECT) && x->offered && (st || !no_texts)) {
        size_t cap = ike_offered_text_size(x->offered);
        char *b = (char *)wmem_alloc(ISK_PACKET_SCOPE(pinfo), cap);
        ike_offered_format(x->offered, b, cap);
        offered = b;
    }
    if (offered)
        ADD(st, proto_tree_add_string(st, hf_offered, tvb, 0, 0, offered));

    const char *payloads = !(rec->flags & REC_ENCRYPTED) ? T(PAYLOADS_CLEAR)
                           : (rec->flags & REC_DECRYPTED) ? T(PAYLOADS_DECRYPTED)
                                                          : T(PAYLOADS_UNREADABLE);
    ADD(st, proto_tree_add_string(st, hf_payloads, tvb, 0, 0, payloads));
    if (rec->n_notify && !(rec->flags & REC_UNREADABLE)) {
        const ike_notify_info *ni = ike_notify_find(1, rec->notify);
        const char *name = ike_notify_name(rec->notify), *meaning = ni ? ni->meaning : NULL;
        if (st) {
            char value[IKE_TEXT_MAX];
            ADD(st, proto_tree_add_uint_format_value(st, hf_notify, tvb, 0, 0, rec->notify, "%s",
                                                     TEXT(value, ike_txt_notify_value, name, rec->notify)));
            ADD(st, proto_tree_add_string(st, hf_notify_name, tvb, 0, 0, name));
        }
        /* The category decides the severity: an error is a warning; a
         * status or liveness notification (INITIAL-CONTACT, R-U-THERE) is
         * normal traffic, told only when it has a meaning to add. */
        bool error = ike_notify_category_of(1, rec->notify) == IKE_NOTIFY_ERROR;
        expert_field *ei = error ? &ei_notify : &ei_notify_status;
        if (meaning && offered && rec->notify == 14)
            EXPERT_TXT(pinfo, ei, ike_txt_notify_offered, name, rec->notify, role_word(rec->from), meaning, offered);
        else if (error || meaning)
            EXPERT_TXT(pinfo, ei, ike_txt_notify, name, rec->notify, role_word(rec->from),
                       meaning ? meaning : T(NOTIFY_SEE_RFC));
    } else if (rec->msg == MSG_INFO && (rec->flags & REC_UNREADABLE) && !(rec->flags & REC_RETRANS)) {
        EXPERT_TXT(pinfo, &ei_enc_notify, ike_txt_enc_notify, role_word(rec->from));
    }
    if (rec->delete_proto) {
        ADD(st, proto_tree_add_string(st, hf_delete, tvb, 0, 0, ike_value_delete(rec)));
        EXPERT_TXT(pinfo, &ei_delete, ike_txt_delete, role_word(rec->from),
                   rec->delete_proto == 1 ? T(DELETE_V1_IKE) : T(DELETE_V1_IPSEC));
    }
    const char *xauth = ike_value_xauth(rec);
    if (xauth)
        ADD(st, proto_tree_add_string(st, hf_xauth, tvb, 0, 0, xauth));

    if (v) {
        const ike_verdict *vd = ike_verdict_for_sa(v, sa->index);
        if (vd)
            add_verdict(st, pinfo, tvb, t, v, vd, sa, rec);
    }
}

/* The highest severity of the expert infos other than ei_malformed (set at
 * registration from ei_info): without verdicts, the highest a record that
 * is not malformed can raise (the causes' Errors come with verdicts). */
static int plain_ceiling;

/* Would this record's expert infos change nothing anybody reads? Without
 * a tree, texts and an Expert column, all they do is raise the file's
 * highest severity; once it is as high as they could be, the walk through
 * them is skipped (most packets of a long capture, in summary lines). */
static bool experts_unread(packet_info *pinfo, proto_tree *tree, const ike_verdicts *v, const ike_record *rec)
{
    if (tree || !no_texts || v || file_raised < plain_ceiling || ike_value_malformed(rec))
        return false;
    /* col_get_text() is NULL when there is no such column. */
    return !pinfo->cinfo || !col_get_text(pinfo->cinfo, COL_EXPERT);
}

int ike_fields_add(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, bool items, bool texts, int proto,
                   const ike_tracker *t, const ike_verdicts *v, const ike_record *rec)
{
    raised = 0;
    pending = NULL;
    no_texts = !(items || texts);
    if (experts_unread(pinfo, tree, v, rec)) {
        add_info_column(pinfo, rec);
        return 0;
    }
    add_record(tvb, pinfo, tree, items, proto, t, v, rec);
    /* Without a tree there is no item to flag, the caller writes the
     * Expert column, and no expert tap listens (or there would be texts):
     * what remains of an expert info is the file's highest severity, which
     * only grows until the next file. Raised again only when it would
     * grow: expert_add_info costs 1,000 instructions a call. */
    if (pending && (tree || raised > file_raised)) {
        expert_add_info(pinfo, anchor_item(), pending);
        file_raised = MAX(file_raised, raised);
    }
    return raised;
}

void ike_fields_new_file(void)
{
    file_raised = 0;
}

void ike_fields_register(int proto)
{
    static hf_register_info hf[] = {
        {&hf_sa, {"IKE SA", "isakmpstate.sa", FT_UINT32, BASE_DEC, NULL, 0x0,
                  "Number of the IKE SA in this capture, in order of first packet", HFILL}},
        {&hf_attempt, {"Attempt", "isakmpstate.attempt", FT_UINT16, BASE_DEC, NULL, 0x0,
                       "1 for the first IKE SA between these two addresses, 2 for the next, ...", HFILL}},
        {&hf_prev_sa, {"Previous attempt", "isakmpstate.prev_sa", FT_UINT32, BASE_DEC, NULL, 0x0,
                       "The IKE SA negotiated before this one between the same two addresses", HFILL}},
        {&hf_rekey_of, {"Rekey of IKE SA", "isakmpstate.rekey_of", FT_UINT32, BASE_DEC, NULL, 0x0,
                        "The IKE SA this one replaced (IKEv2: read from the rekey, or inferred; IKEv1: a new phase 1 while it was up)", HFILL}},
        {&hf_rekeyed_by, {"Replaced by IKE SA", "isakmpstate.rekeyed_by", FT_UINT32, BASE_DEC, NULL, 0x0,
                          "The IKE SA that replaced this one by a rekey", HFILL}},
        {&hf_child_rekey, {"Phase-2 rekey", "isakmpstate.child_rekey", FT_NONE, BASE_NONE, NULL, 0x0,
                           "This quick mode or CREATE_CHILD_SA renews ESP SAs (IKEv1: same proxy IDs as an earlier quick mode; IKEv2: REKEY_SA); needs the keys", HFILL}},
        {&hf_child_rekey_of, {"Renews the exchange of frame", "isakmpstate.child_rekey_of", FT_FRAMENUM, BASE_NONE,
                              NULL, 0x0, "First frame of the quick mode / CHILD_SA exchange whose ESP SAs this one replaces", HFILL}},
        {&hf_new_attempt, {"New attempt between the same peers", "isakmpstate.new_attempt", FT_NONE, BASE_NONE, NULL, 0x0,
                           "First packet of an IKE SA that follows an earlier one between the same addresses", HFILL}},
        {&hf_mode, {"Phase 1 mode", "isakmpstate.mode", FT_STRING, BASE_NONE, NULL, 0x0,
                    "main, aggressive, or unknown (phase 1 not in the capture)", HFILL}},
        {&hf_exchange, {"Exchange", "isakmpstate.exchange", FT_UINT8, BASE_DEC, VALS(exch_vals), 0x0,
                        "ISAKMP exchange type of this message", HFILL}},
        {&hf_msg, {"Message", "isakmpstate.msg", FT_STRING, BASE_NONE, NULL, 0x0,
                   "MM1..MM6, AM1..AM3, QM1..QM3, INFO, TXN, ...", HFILL}},
        {&hf_from, {"From", "isakmpstate.from", FT_STRING, BASE_NONE, NULL, 0x0,
                    "initiator or responder (phase-1 roles)", HFILL}},
        {&hf_initiator, {"Initiator", "isakmpstate.initiator", FT_STRING, BASE_NONE, NULL, 0x0,
                         "Phase-1 initiator address:port as first seen", HFILL}},
        {&hf_responder, {"Responder", "isakmpstate.responder", FT_STRING, BASE_NONE, NULL, 0x0,
                         "Phase-1 responder address:port as first seen", HFILL}},
        {&hf_istate, {"Initiator state", "isakmpstate.istate", FT_STRING, BASE_NONE, NULL, 0x0,
                       "State of the initiator after this packet, in the three vocabularies", HFILL}},
        {&hf_rstate, {"Responder state", "isakmpstate.rstate", FT_STRING, BASE_NONE, NULL, 0x0,
                       "State of the responder after this packet, in the three vocabularies", HFILL}},
        {&hf_qistate, {"QM initiator state", "isakmpstate.qm.istate", FT_STRING, BASE_NONE, NULL, 0x0,
                       "Quick-mode state of the quick-mode initiator, in the three vocabularies", HFILL}},
        {&hf_qrstate, {"QM responder state", "isakmpstate.qm.rstate", FT_STRING, BASE_NONE, NULL, 0x0,
                       "Quick-mode state of the quick-mode responder, in the three vocabularies", HFILL}},
        {&hf_i_asa, {"Initiator ASA state", "isakmpstate.istate.asa", FT_STRING, BASE_NONE, NULL, 0x0,
                     "Cisco ASA show crypto isakmp sa state of the initiator after this packet", HFILL}},
        {&hf_i_ios, {"Initiator IOS state", "isakmpstate.istate.ios", FT_STRING, BASE_NONE, NULL, 0x0,
                     "Cisco IOS show crypto isakmp sa state of the initiator after this packet", HFILL}},
        {&hf_i_lsw, {"Initiator libreswan state", "isakmpstate.istate.libreswan", FT_STRING, BASE_NONE, NULL, 0x0,
                     "libreswan STATE_* of the initiator after this packet", HFILL}},
        {&hf_r_asa, {"Responder ASA state", "isakmpstate.rstate.asa", FT_STRING, BASE_NONE, NULL, 0x0,
                     "Cisco ASA show crypto isakmp sa state of the responder after this packet", HFILL}},
        {&hf_r_ios, {"Responder IOS state", "isakmpstate.rstate.ios", FT_STRING, BASE_NONE, NULL, 0x0,
                     "Cisco IOS show crypto isakmp sa state of the responder after this packet", HFILL}},
        {&hf_r_lsw, {"Responder libreswan state", "isakmpstate.rstate.libreswan", FT_STRING, BASE_NONE, NULL, 0x0,
                     "libreswan STATE_* of the responder after this packet", HFILL}},
        {&hf_p1_complete, {"Phase 1 complete", "isakmpstate.phase1_complete", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
                           "Both sides have an established IKE SA after this packet", HFILL}},
        {&hf_qm_initiator, {"Quick mode started by", "isakmpstate.qm.initiator", FT_STRING, BASE_NONE, NULL, 0x0,
                            "Which phase-1 peer sent QM1 of this quick mode", HFILL}},
        {&hf_qi_asa, {"QM initiator ASA syslog", "isakmpstate.qm.istate.asa", FT_STRING, BASE_NONE, NULL, 0x0,
                      "ASA syslog IDs the quick-mode initiator logs at this point", HFILL}},
        {&hf_qi_ios, {"QM initiator IOS state", "isakmpstate.qm.istate.ios", FT_STRING, BASE_NONE, NULL, 0x0,
                      "IOS debug quick-mode state of the quick-mode initiator", HFILL}},
        {&hf_qi_lsw, {"QM initiator libreswan state", "isakmpstate.qm.istate.libreswan", FT_STRING, BASE_NONE, NULL, 0x0,
                      "libreswan STATE_QUICK_* of the quick-mode initiator", HFILL}},
        {&hf_qr_asa, {"QM responder ASA syslog", "isakmpstate.qm.rstate.asa", FT_STRING, BASE_NONE, NULL, 0x0,
                      "ASA syslog IDs the quick-mode responder logs at this point", HFILL}},
        {&hf_qr_ios, {"QM responder IOS state", "isakmpstate.qm.rstate.ios", FT_STRING, BASE_NONE, NULL, 0x0,
                      "IOS debug quick-mode state of the quick-mode responder", HFILL}},
        {&hf_qr_lsw, {"QM responder libreswan state", "isakmpstate.qm.rstate.libreswan", FT_STRING, BASE_NONE, NULL, 0x0,
                      "libreswan STATE_QUICK_* of the quick-mode responder", HFILL}},
        {&hf_qm_complete, {"Quick mode complete", "isakmpstate.qm.complete", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
                           "This packet (QM3) completes the quick mode", HFILL}},
        {&hf_qm_outcome, {"Quick mode outcome", "isakmpstate.qm.outcome", FT_STRING, BASE_NONE, NULL, 0x0,
                          "completed, no-reply, no-confirm or rejected (two-pass analysis only)", HFILL}},
        {&hf_retrans, {"Retransmission", "isakmpstate.retransmission", FT_NONE, BASE_NONE, NULL, 0x0,
                       "Same sender, same exchange and identical bytes as an earlier message", HFILL}},
        {&hf_retrans_of, {"Retransmission of", "isakmpstate.retransmission_of", FT_FRAMENUM, BASE_NONE,
                          FRAMENUM_TYPE(FT_FRAMENUM_DUP_ACK), 0x0, "Frame of the first copy", HFILL}},
        {&hf_retrans_count, {"Retransmission count", "isakmpstate.retransmission_count", FT_UINT16, BASE_DEC, NULL, 0x0,
                             "1 for the first repeat, 2 for the second, ...", HFILL}},
        {&hf_dup_of, {"Capture duplicate of", "isakmpstate.capture_duplicate", FT_FRAMENUM, BASE_NONE,
                      FRAMENUM_TYPE(FT_FRAMENUM_DUP_ACK), 0x0,
                      "Same bytes and same IPv4 identification: one datagram recorded twice", HFILL}},
        {&hf_response_to, {"Response to", "isakmpstate.response_to", FT_FRAMENUM, BASE_NONE,
                           FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
                           "The frame (latest copy) of the message this one answers", HFILL}},
        {&hf_response_in, {"Response in", "isakmpstate.response_in", FT_FRAMENUM, BASE_NONE,
                           FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, "The frame that answers this message", HFILL}},
        {&hf_time, {"Time since request", "isakmpstate.time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
                    "Time since the message this one answers", HFILL}},
        {&hf_float, {"NAT-T float to UDP 4500", "isakmpstate.float", FT_NONE, BASE_NONE, NULL, 0x0,
                     "First packet of the IKE SA on UDP 4500", HFILL}},
        {&hf_start_not_seen, {"Start not seen", "isakmpstate.start_not_seen", FT_NONE, BASE_NONE, NULL, 0x0,
                              "The capture starts in the middle of this IKE SA", HFILL}},
        {&hf_inferred, {"States inferred", "isakmpstate.inferred", FT_NONE, BASE_NONE, NULL, 0x0,
                        "Earlier messages are missing from the capture; their effect on the states is inferred", HFILL}},
        {&hf_role_assumed, {"Roles assumed", "isakmpstate.role_assumed", FT_NONE, BASE_NONE, NULL, 0x0,
                            "The first message seen does not show who initiated: its sender is taken as initiator", HFILL}},
        {&hf_out_of_order, {"Out of sequence", "isakmpstate.out_of_order", FT_NONE, BASE_NONE, NULL, 0x0,
                            "A message that does not fit the exchange at this point; states unchanged", HFILL}},
        {&hf_fragment, {"Further IKE fragment", "isakmpstate.fragment", FT_NONE, BASE_NONE, NULL, 0x0,
                        "A further IKEv1 fragment of a message already counted", HFILL}},
        {&hf_payloads, {"Payloads", "isakmpstate.payloads", FT_STRING, BASE_NONE, NULL, 0x0,
                        "clear, decrypted, or encrypted and not readable", HFILL}},
        {&hf_notify, {"Notification", "isakmpstate.notify", FT_UINT16, BASE_DEC, NULL, 0x0,
                      "First notify message type, when readable", HFILL}},
        {&hf_notify_name, {"Notification name", "isakmpstate.notify_name", FT_STRING, BASE_NONE, NULL, 0x0,
                           "Name of the first notify message type, IKEv1 or IKEv2 (the plugin's notify table)", HFILL}},
        {&hf_delete, {"Deletes", "isakmpstate.delete", FT_STRING, BASE_NONE, NULL, 0x0,
                      "ISAKMP SA or IPsec SA, when a delete payload is readable", HFILL}},
        {&hf_xauth, {"XAUTH status", "isakmpstate.xauth_status", FT_STRING, BASE_NONE, NULL, 0x0,
                     "OK or FAIL, when the XAUTH status attribute of a CFG_SET is readable", HFILL}},
        {&hf_ikev2, {"IKEv2", "isakmpstate.ikev2", FT_NONE, BASE_NONE, NULL, 0x0,
                     "An IKEv2 message (RFC 7296), followed per IKE SA by its SPIs", HFILL}},
        {&hf_v2_istate, {"Initiator state", "isakmpstate.v2.istate", FT_STRING, BASE_NONE, NULL, 0x0,
                         "IKEv2: state of the initiator after this packet, in the four vocabularies", HFILL}},
        {&hf_v2_i_cst, {"Initiator Cisco status", "isakmpstate.v2.istate.cisco", FT_STRING, BASE_NONE, NULL, 0x0,
                        "IKEv2: Cisco show crypto ikev2 sa Status of the initiator (READY, IN-NEG, DELETE, none)", HFILL}},
        {&hf_v2_i_csm, {"Initiator Cisco debug state", "isakmpstate.v2.istate.cisco_sm", FT_STRING, BASE_NONE, NULL, 0x0,
                        "IKEv2: the state Cisco's IKEv2 debugs show for the initiator (I_WAIT_INIT, I_WAIT_AUTH, READY, ...)", HFILL}},
        {&hf_v2_i_sw, {"Initiator strongSwan state", "isakmpstate.v2.istate.strongswan", FT_STRING, BASE_NONE, NULL, 0x0,
                       "IKEv2: strongSwan IKE_SA state of the initiator (CONNECTING, ESTABLISHED, REKEYING, DELETING, ...)", HFILL}},
        {&hf_v2_i_lsw, {"Initiator libreswan state", "isakmpstate.v2.istate.libreswan", FT_STRING, BASE_NONE, NULL, 0x0,
                        "IKEv2: libreswan 4.10 STATE_V2_* of the initiator", HFILL}},
        {&hf_v2_rstate, {"Responder state", "isakmpstate.v2.rstate", FT_STRING, BASE_NONE, NULL, 0x0,
                         "IKEv2: state of the responder after this packet, in the four vocabularies", HFILL}},
        {&hf_v2_r_cst, {"Responder Cisco status", "isakmpstate.v2.rstate.cisco", FT_STRING, BASE_NONE, NULL, 0x0,
                        "IKEv2: Cisco show crypto ikev2 sa Status of the responder", HFILL}},
        {&hf_v2_r_csm, {"Responder Cisco debug state", "isakmpstate.v2.rstate.cisco_sm", FT_STRING, BASE_NONE, NULL, 0x0,
                        "IKEv2: the state Cisco's IKEv2 debugs show for the responder (R_WAIT_AUTH, R_VERIFY_AUTH, READY, ...)", HFILL}},
        {&hf_v2_r_sw, {"Responder strongSwan state", "isakmpstate.v2.rstate.strongswan", FT_STRING, BASE_NONE, NULL, 0x0,
                       "IKEv2: strongSwan IKE_SA state of the responder", HFILL}},
        {&hf_v2_r_lsw, {"Responder libreswan state", "isakmpstate.v2.rstate.libreswan", FT_STRING, BASE_NONE, NULL, 0x0,
                        "IKEv2: libreswan 4.10 STATE_V2_* of the responder", HFILL}},
        {&hf_v2_established, {"IKE SA established", "isakmpstate.v2.established", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
                              "IKEv2: both sides hold an established IKE SA after this packet", HFILL}},
        {&hf_v2_response, {"Response", "isakmpstate.v2.response", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
                           "IKEv2: this message is a response (R flag), else a request", HFILL}},
        {&hf_v2_msgid, {"Message ID", "isakmpstate.v2.msgid", FT_UINT32, BASE_DEC, NULL, 0x0,
                        "IKEv2: the exchange's message ID (counted separately in each direction)", HFILL}},
        {&hf_v2_unanswered, {"Unanswered request", "isakmpstate.v2.unanswered", FT_NONE, BASE_NONE, NULL, 0x0,
                             "IKEv2: the last copy of a request that nothing in the capture answers (two passes or the GUI)", HFILL}},
        {&hf_v2_fragment, {"Fragments", "isakmpstate.v2.fragments", FT_STRING, BASE_NONE, NULL, 0x0,
                           "IKEv2: the message was sent in RFC 7383 fragments (on its first fragment)", HFILL}},
        {&hf_vendor, {"Sender's Vendor IDs", "isakmpstate.vendor", FT_STRING, BASE_NONE, NULL, 0x0,
                      "What the sender's Vendor ID payloads so far say: its implementation and extensions (on phase-1 and IKE_SA_INIT messages)", HFILL}},
        {&hf_impl, {"Sender's implementation", "isakmpstate.implementation", FT_STRING, BASE_NONE, NULL, 0x0,
                    "The implementation a Vendor ID of the sender names (Cisco Unity, Microsoft Windows, Openswan / libreswan, strongSwan)", HFILL}},
        {&hf_weak, {"Weak cryptography", "isakmpstate.weak", FT_STRING, BASE_NONE, NULL, 0x0,
                    "What is weak in the chosen proposal: DES, 3DES, MD5, MODP groups 1/2/5, aggressive mode with a pre-shared key (on MM2/AM2, IKE_SA_INIT response)", HFILL}},
        {&hf_v2_esp_spi, {"ESP SPI", "isakmpstate.v2.esp_spi", FT_UINT32, BASE_HEX, NULL, 0x0,
                           "IKEv2: the ESP SPI this message's SA payload proposes (request) or accepts (response), when readable", HFILL}},
        {&hf_v2_child, {"CHILD_SA outcome", "isakmpstate.v2.child", FT_STRING, BASE_NONE, NULL, 0x0,
                        "IKEv2: established, failed or no-response, on the IKE_AUTH / CREATE_CHILD_SA response", HFILL}},
        {&hf_v2_rekey_of, {"Rekey of IKE SA", "isakmpstate.v2.rekey_of", FT_UINT32, BASE_DEC, NULL, 0x0,
                           "IKEv2: the IKE SA this one replaced (the rekey request was readable)", HFILL}},
        {&hf_v2_retry, {"IKE_SA_INIT retry", "isakmpstate.v2.retry", FT_NONE, BASE_NONE, NULL, 0x0,
                        "IKEv2: IKE_SA_INIT sent again with new contents after COOKIE or INVALID_KE_PAYLOAD", HFILL}},
        {&hf_v2_notify, {"Notify", "isakmpstate.v2.notify", FT_UINT16, BASE_DEC, NULL, 0x0,
                         "IKEv2: first notify message type, when readable", HFILL}},
        {&hf_v2_fi_sw, {"Initiator left in (strongSwan)", "isakmpstate.v2.final.istate.strongswan", FT_STRING, BASE_NONE, NULL, 0x0,
                        "IKEv2: the initiator's state after the SA's last packet (two passes or the GUI)", HFILL}},
        {&hf_v2_fi_lsw, {"Initiator left in (libreswan)", "isakmpstate.v2.final.istate.libreswan", FT_STRING, BASE_NONE, NULL, 0x0,
                         "IKEv2: the initiator's state after the SA's last packet (two passes or the GUI)", HFILL}},
        {&hf_v2_fi_cisco, {"Initiator left in (Cisco)", "isakmpstate.v2.final.istate.cisco", FT_STRING, BASE_NONE, NULL, 0x0,
                           "IKEv2: the initiator's Cisco status after the SA's last packet (two passes or the GUI)", HFILL}},
        {&hf_v2_fr_sw, {"Responder left in (strongSwan)", "isakmpstate.v2.final.rstate.strongswan", FT_STRING, BASE_NONE, NULL, 0x0,
                        "IKEv2: the responder's state after the SA's last packet (two passes or the GUI)", HFILL}},
        {&hf_v2_fr_lsw, {"Responder left in (libreswan)", "isakmpstate.v2.final.rstate.libreswan", FT_STRING, BASE_NONE, NULL, 0x0,
                         "IKEv2: the responder's state after the SA's last packet (two passes or the GUI)", HFILL}},
        {&hf_v2_fr_cisco, {"Responder left in (Cisco)", "isakmpstate.v2.final.rstate.cisco", FT_STRING, BASE_NONE, NULL, 0x0,
                           "IKEv2: the responder's Cisco status after the SA's last packet (two passes or the GUI)", HFILL}},
        {&hf_natd, {"NAT-D check", "isakmpstate.natd", FT_STRING, BASE_NONE, NULL, 0x0,
                     "NAT-D hashes of this message recomputed from the cookies and the packet's addresses and ports", HFILL}},
        {&hf_nat, {"NAT", "isakmpstate.nat", FT_STRING, BASE_NONE, NULL, 0x0,
                   "Where NAT sits, from the NAT-D checks so far: none, in front of the initiator / responder / both peers", HFILL}},
        {&hf_chosen, {"Chosen proposal", "isakmpstate.chosen", FT_STRING, BASE_NONE, NULL, 0x0,
                      "Phase-1 transform the responder chose (MM2/AM2): encryption/hash/authentication/DH group/lifetime", HFILL}},
        {&hf_offered, {"Offered proposals", "isakmpstate.offered", FT_STRING, BASE_NONE, NULL, 0x0,
                       "Phase-1 transforms the initiator offered in MM1/AM1, shown on the notification that refused them", HFILL}},
        {&hf_psk, {"Pre-shared key check", "isakmpstate.psk", FT_STRING, BASE_NONE, NULL, 0x0,
                    "Aggressive mode: which candidate pre-shared key (line of the candidates file) the responder's HASH_R was made with", HFILL}},
        {&hf_malformed, {"Malformed", "isakmpstate.malformed", FT_STRING, BASE_NONE, NULL, 0x0,
                         "Why the message could not be read as a whole", HFILL}},
        {&hf_cause, {"Cause", "isakmpstate.cause", FT_STRING, BASE_NONE, NULL, 0x0,
                     "Verdict of this packet's IKE SA (fields/causes.md); two-pass analysis only", HFILL}},
        {&hf_fi_asa, {"Initiator final ASA state", "isakmpstate.final.istate.asa", FT_STRING, BASE_NONE, NULL, 0x0,
                       "ASA state the initiator is left in at the end of the capture (on every packet of the SA; two passes)", HFILL}},
        {&hf_fi_ios, {"Initiator final IOS state", "isakmpstate.final.istate.ios", FT_STRING, BASE_NONE, NULL, 0x0,
                       "IOS state the initiator is left in at the end of the capture (two passes)", HFILL}},
        {&hf_fi_lsw, {"Initiator final libreswan state", "isakmpstate.final.istate.libreswan", FT_STRING, BASE_NONE, NULL, 0x0,
                       "libreswan state the initiator is left in at the end of the capture (two passes)", HFILL}},
        {&hf_fr_asa, {"Responder final ASA state", "isakmpstate.final.rstate.asa", FT_STRING, BASE_NONE, NULL, 0x0,
                       "ASA state the responder is left in at the end of the capture (on every packet of the SA; two passes)", HFILL}},
        {&hf_fr_ios, {"Responder final IOS state", "isakmpstate.final.rstate.ios", FT_STRING, BASE_NONE, NULL, 0x0,
                       "IOS state the responder is left in at the end of the capture (two passes)", HFILL}},
        {&hf_fr_lsw, {"Responder final libreswan state", "isakmpstate.final.rstate.libreswan", FT_STRING, BASE_NONE, NULL, 0x0,
                       "libreswan state the responder is left in at the end of the capture (two passes)", HFILL}},
        {&hf_failed, {"Negotiation failed", "isakmpstate.failed", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
                      "The verdict of this packet's IKE SA is a failure; two-pass analysis only", HFILL}},
        {&hf_stop, {"Negotiation stops here", "isakmpstate.stop", FT_NONE, BASE_NONE, NULL, 0x0,
                    "The last message of the IKE SA; carries the verdict", HFILL}},
        {&hf_verdict, {"Verdict", "isakmpstate.verdict", FT_STRING, BASE_NONE, NULL, 0x0,
                       "What happened to this IKE SA, in one sentence", HFILL}},
        {&hf_verdict_states, {"Final states", "isakmpstate.verdict.states", FT_STRING, BASE_NONE, NULL, 0x0,
                              "The state each side is left in, in the three vocabularies", HFILL}},
        {&hf_verdict_evidence, {"Evidence", "isakmpstate.verdict.evidence", FT_STRING, BASE_NONE, NULL, 0x0,
                                "Frames, retransmissions, notifications and NAT facts behind the cause", HFILL}},
        {&hf_verdict_likely, {"Likely causes", "isakmpstate.verdict.likely", FT_STRING, BASE_NONE, NULL, 0x0,
                              "What usually causes a negotiation to stop here", HFILL}},
        {&hf_verdict_check, {"What to check", "isakmpstate.verdict.check", FT_STRING, BASE_NONE, NULL, 0x0,
                             "What to check, on which side", HFILL}},
    };
    static gint *ett[] = {&ett_isakmpstate, &ett_istate, &ett_rstate, &ett_qm, &ett_verdict,
                          &ett_v2_istate, &ett_v2_rstate};
    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *em = expert_register_protocol(proto);
    G_STATIC_ASSERT(array_length(ei_info) == array_length(ei_summary));
    for (size_t i = 0; i < array_length(ei_info); i++)
        ei_info[i].eiinfo.summary = ike_text(ei_summary[i]);
    expert_register_field_array(em, ei_info, array_length(ei_info));
    for (size_t i = 0; i < array_length(ei_info); i++)
        if (ei_info[i].ids != &ei_malformed)
            plain_ceiling = MAX(plain_ceiling, ei_info[i].eiinfo.severity);
    register_cause_experts(em);
}
