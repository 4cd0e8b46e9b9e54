/*
 * craft.h: IPv4 packets built byte by byte for IP_HDRINCL (RFC 791),
 * with a TCP segment (RFC 9293), a UDP datagram (RFC 768) or any other
 * protocol's payload, and the checksums right (or, asked, wrong).
 * Pure: no sockets, no printing, no exiting.
 */
#ifndef CRAFT_H
#define CRAFT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CRAFT_IP_HLEN	20
#define CRAFT_TCP_HLEN	20
#define CRAFT_UDP_HLEN	8
#define CRAFT_IP_MAX	65535		/* the IPv4 total length field */

/* What to put in the packet; every number in host order. */
struct craft_pkt {
	uint8_t		 proto;		/* IPPROTO_TCP, _UDP or any other */
	uint8_t		 src[4], dst[4];
	uint8_t		 ttl, tos;
	uint16_t	 id;
	int		 df;		/* the Don't Fragment bit */
	uint16_t	 sport, dport;	/* TCP and UDP */
	uint32_t	 seq, ack;	/* TCP */
	uint8_t		 flags;		/* TCP, DECODE_SYN ... */
	uint16_t	 win;		/* TCP */
	int		 badsum;	/* a wrong TCP/UDP checksum */
	int		 bare;		/* the payload right after the IP
					   header, whatever the protocol */
	const uint8_t	*payload;
	size_t		 paylen;
};

/*
 * The largest payload a packet of protocol proto can carry (proto -1: a
 * bare payload, no transport header of ours).
 */
size_t	craft_max_payload(int);

/*
 * Build p into buf (len bytes).  Returns the packet's length, or -1 with
 * the reason in err (a payload too big for the protocol, buf too small).
 */
ssize_t	craft_build(const struct craft_pkt *, uint8_t *, size_t, char *,
	    size_t);

/*
 * TCP flags from letters "S A F R P U E C" in any order and case ("SA",
 * "fpu"; "" is no flag at all).  Returns 0, or -1 naming the bad letter.
 */
int	craft_parse_flags(const char *, uint8_t *, char *, size_t);

/* "SYN,ACK" for flags f ("none" for no flag) into buf. */
const char *craft_flags_name(uint8_t, char *, size_t);

/*
 * Hex digits into bytes ("48656c6c6f", spaces and colons between bytes
 * allowed).  Returns the byte count, or -1 naming the bad digit or an
 * odd count, or saying the output is full.
 */
ssize_t	craft_parse_hex(const char *, uint8_t *, size_t, char *, size_t);

#endif
