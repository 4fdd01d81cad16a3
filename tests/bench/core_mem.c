/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * core_mem.c - feed isakmpstate's plain-C core (tracker, then verdicts)
 * with the ISAKMP messages of a pcap, without Wireshark, and say how much
 * memory each structure holds. For the benchmark's memory breakdown: the
 * glue (packet-isakmpstate.c) builds the same ike_event from Wireshark's
 * fields; here they come from the bytes (Ethernet or raw IPv4, UDP 500 or
 * UDP 4500 with the non-ESP marker; no decryption, no ICMP, no IPv6, no IP
 * fragments).
 *
 * usage: core_mem FILE.pcap [--no-verdicts]
 * build: cc -O2 -g -I plugin/core tests/bench/core_mem.c build/plugin/libisakmpstate_core.a -lgcrypt
 *
 * Prints "key value" lines (bytes unless the name says otherwise).
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ike_tracker.h"
#include "ike_verdict.h"
#include "ike_wire.h"

static size_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd; /* small blocks + mmap'd blocks */
}

static uint32_t rd32(const uint8_t *p, int swap)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: core_mem FILE.pcap [--no-verdicts]\n");
        return 2;
    }
    int verdicts = !(argc > 2 && strcmp(argv[2], "--no-verdicts") == 0);
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    uint8_t gh[24];
    if (fread(gh, 1, 24, f) != 24) {
        fprintf(stderr, "short file\n");
        return 1;
    }
    uint32_t magic;
    memcpy(&magic, gh, 4);
    int swap = 0, nano = 0;
    if (magic == 0xa1b2c3d4u) {
    } else if (magic == 0xa1b23c4du) {
        nano = 1;
    } else if (magic == 0xd4c3b2a1u) {
        swap = 1;
    } else if (magic == 0x4d3cb2a1u) {
        swap = nano = 1;
    } else {
        fprintf(stderr, "not a pcap file\n");
        return 1;
    }
    uint32_t linktype = rd32(gh + 20, swap) & 0xffff;

    size_t heap0 = heap_in_use();
    ike_tracker *t = ike_tracker_new();
    uint8_t rh[16];
    static uint8_t pkt[262144];
    uint32_t frame = 0, fed = 0, skipped = 0;
    struct timespec c0, c1, c2;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    while (fread(rh, 1, 16, f) == 16) {
        uint32_t sec = rd32(rh, swap), frac = rd32(rh + 4, swap), incl = rd32(rh + 8, swap);
        if (incl > sizeof pkt || fread(pkt, 1, incl, f) != incl)
            break;
        frame++;
        const uint8_t *ip = pkt;
        size_t len = incl;
        if (linktype == 1) {
            if (len < 14 || pkt[12] != 0x08 || pkt[13] != 0x00) {
                skipped++;
                continue;
            }
            ip += 14;
            len -= 14;
        } else if (linktype != 101 && linktype != 228) {
            fprintf(stderr, "link type %u not supported\n", linktype);
            return 1;
        }
        if (len < 28 || ip[0] >> 4 != 4 || ip[9] != 17 || ((ip[6] << 8 | ip[7]) & 0x3fff)) {
            skipped++;
            continue;
        }
        size_t ihl = (size_t)(ip[0] & 15) * 4;
        size_t tot = (size_t)(ip[2] << 8 | ip[3]);
        if (tot < len)
            len = tot;
        if (len < ihl + 8) {
            skipped++;
            continue;
        }
        const uint8_t *udp = ip + ihl;
        uint16_t sport = (uint16_t)(udp[0] << 8 | udp[1]), dport = (uint16_t)(udp[2] << 8 | udp[3]);
        const uint8_t *msg = udp + 8;
        size_t mlen = len - ihl - 8;
        if (sport == 500 || dport == 500) {
        } else if ((sport == 4500 || dport == 4500) && mlen >= 4 && !msg[0] && !msg[1] && !msg[2] && !msg[3]) {
            msg += 4;
            mlen -= 4;
        } else {
            skipped++;
            continue;
        }
        ike_event ev;
        memset(&ev, 0, sizeof ev);
        ev.frame = frame;
        ev.time = (double)sec + (nano ? frac / 1e9 : frac / 1e6);
        ev.src.family = ev.dst.family = 4;
        memcpy(ev.src.addr, ip + 12, 4);
        memcpy(ev.dst.addr, ip + 16, 4);
        ev.src.port = sport;
        ev.dst.port = dport;
        ev.ip_id = (uint16_t)(ip[4] << 8 | ip[5]);
        ike_event_read(&ev, msg, mlen);
        ike_tracker_add(t, &ev);
        fed++;
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    fclose(f);
    size_t heap1 = heap_in_use();

    uint32_t n_sa = ike_tracker_sa_count(t), n_rec = ike_tracker_record_count(t);
    uint32_t n_exch = 0, n_offered = 0, n_am1 = 0;
    size_t offered_bytes = 0;
    for (uint32_t i = 1; i <= n_sa; i++) {
        const ike_sa *sa = ike_tracker_sa(t, i);
        if (sa->exch_tail > n_exch)
            n_exch = sa->exch_tail;
        if (ike_sa_x(t, sa)->offered) {
            n_offered++;
            offered_bytes += malloc_usable_size(ike_sa_x(t, sa)->offered) + 16;
        }
        if (ike_sa_x(t, sa)->am1_copy)
            n_am1++;
    }
    size_t total = ike_tracker_bytes(t);
    ike_tracker_mem m;
    ike_tracker_mem_of(t, &m);
    printf("frames %u\nisakmp_messages %u\nskipped_frames %u\n", frame, fed, skipped);
    printf("sas %u\nrecords %u\nexchanges %u\n", n_sa, n_rec, n_exch);
    /* Exchanges by kind (ike_exch_kind): which of them use the quick-mode
     * or IKEv2 part of ike_exchange. */
    static const char *const kind_name[] = {"?", "quick", "info", "transaction", "other", "v2_by_i", "v2_by_r"};
    uint32_t by_kind[7] = {0};
    for (uint32_t i = 1; i <= n_exch; i++) {
        const ike_exchange *ex = ike_tracker_exchange(t, i);
        by_kind[ex && ex->kind < 7 ? ex->kind : 0]++;
    }
    for (unsigned k = 0; k < 7; k++)
        if (by_kind[k])
            printf("exchanges_%s %u\n", kind_name[k], by_kind[k]);
    /* sizeof_ike_record: as stored (packed); ike_record is the unpacked view. */
    printf("sizeof_ike_sa %zu\nsizeof_ike_record %zu\nsizeof_ike_record_unpacked %zu\nsizeof_ike_exchange %zu\n"
           "sizeof_ike_verdict %zu\n",
           sizeof(ike_sa), m.record_size, sizeof(ike_record), sizeof(ike_exchange), sizeof(ike_verdict));
    printf("tracker_bytes %zu\n", total);
    printf("tracker_bytes_per_sa %.1f\n", n_sa ? (double)total / n_sa : 0.0);
    printf("tracker_sas_vec %zu\ntracker_records_vec %zu\ntracker_records_side %zu\ntracker_exchanges_vec %zu\n",
           m.sas, m.records, m.rare, m.exchanges);
    printf("tracker_maps %zu\n", m.maps);
    printf("tracker_maps_and_rest %zu\n", total - m.sas - m.records - m.exchanges);
    printf("sas_with_offered_string %u\noffered_string_bytes %zu\nsas_with_am1_copy %u\n", n_offered,
           offered_bytes, n_am1);
    printf("heap_after_tracking %zu\n", heap1 - heap0);
    printf("tracking_cpu_ns_per_message %.1f\n",
           fed ? ((c1.tv_sec - c0.tv_sec) * 1e9 + (c1.tv_nsec - c0.tv_nsec)) / fed : 0.0);
    if (verdicts) {
        ike_verdicts *v = ike_verdicts_compute(t);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c2);
        size_t heap2 = heap_in_use();
        size_t strings = 0;
        unsigned failed = 0;
        unsigned cause_n[CAUSE__COUNT] = {0};
        for (uint32_t i = 1; i <= n_sa; i++) {
            const ike_verdict *vd = ike_verdict_for_sa(v, i);
            if (!vd)
                continue;
            failed += vd->failed;
            if (vd->cause < CAUSE__COUNT)
                cause_n[vd->cause]++;
            /* Written on demand since 2026-11-22: measured here as what
             * one SA's words would take if kept, not memory held. */
            ike_verdict_words w;
            if (ike_verdict_words_for(t, v, i, &w)) {
                const char *s[3] = {w.states, w.evidence, w.text};
                for (int k = 0; k < 3; k++)
                    strings += malloc_usable_size((void *)s[k]) + 16;
                ike_verdict_words_free(&w);
            }
        }
        printf("verdicts_heap %zu\nverdict_strings_bytes %zu\nverdicts_failed %u\n", heap2 - heap1, strings, failed);
        for (int c = 0; c < CAUSE__COUNT; c++)
            if (cause_n[c])
                printf("cause_%s %u\n", ike_cause_code((ike_cause)c), cause_n[c]);
        printf("verdicts_cpu_ns_per_sa %.1f\n",
               n_sa ? ((c2.tv_sec - c1.tv_sec) * 1e9 + (c2.tv_nsec - c1.tv_nsec)) / n_sa : 0.0);
        ike_verdicts_free(v);
    }
    ike_tracker_free(t);
    return 0;
}
