/*
 * cksum.h: the Internet checksum (RFC 1071) and the TCP/UDP/ICMPv6
 * pseudo-header sums (RFC 793, RFC 768, RFC 8200 section 8.1).
 */
#ifndef CKSUM_H
#define CKSUM_H

#include <stddef.h>
#include <stdint.h>

/* Add len bytes of buf to a running 32-bit sum (big-endian words). */
uint32_t	cksum_add(uint32_t, const void *, size_t);

/* Fold a running sum into the 16-bit one's complement checksum. */
uint16_t	cksum_fold(uint32_t);

/*
 * The pseudo-header sum for an upper-layer packet of len bytes, protocol
 * proto, between addresses of alen bytes (4: IPv4, 16: IPv6).
 */
uint32_t	cksum_pseudo(const uint8_t *, const uint8_t *, size_t,
		    uint8_t, uint32_t);

#endif
