/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ike_vendor.h - what Vendor ID payloads say about a peer: its
 * implementation (Cisco, Microsoft, Openswan/libreswan, strongSwan) and the
 * extensions it supports (NAT-T, DPD, XAUTH, IKEv1 fragmentation).
 */
#ifndef IKE_VENDOR_H
#define IKE_VENDOR_H

#include <stddef.h>
#include <stdint.h>

/* One bit per known Vendor ID (index into the table of ike_vendor.c). */
uint32_t ike_vendor_bit(const uint8_t *vid, size_t len);
/* "Cisco Unity, DPD (RFC 3706), XAUTH" into buf for the bits set; "" for none. */
size_t ike_vendor_format(uint32_t bits, char *buf, size_t len);
/* The implementation the bits name (the first one in the table), or NULL. */
const char *ike_vendor_implementation(uint32_t bits);
/* Name of one bit, or NULL (for lists in reports). */
const char *ike_vendor_name(uint32_t bit);

#endif
