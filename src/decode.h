/*
 * decode.h: packet bytes -> a plain struct.  The decoder reads every byte
 * through bounds-checked accessors, never prints and never exits; what it
 * could not decode it says with a result kind and a reason.
 */
#ifndef DECODE_H
#define DECODE_H

#include <stddef.h>
#include <stdint.h>

/* What became of a packet. */
enum decode_result {
	DECODE_OK,		/* every header we need was there and sane */
	DECODE_TRUNCATED,	/* the capture ended inside a header */
	DECODE_INVALID,		/* a header contradicts itself */
	DECODE_UNSUPPORTED,	/* a link type or protocol we do not read */
};

/* TCP flag bits as on the wire. */
#define DECODE_FIN	0x01
#define DECODE_SYN	0x02
#define DECODE_RST	0x04
#define DECODE_PSH	0x08
#define DECODE_ACK	0x10
#define DECODE_URG	0x20
#define DECODE_ECE	0x40
#define DECODE_CWR	0x80

/* One end of a datagram: family (AF_INET/AF_INET6), address, port. */
struct decode_addr {
	uint8_t		 family;
	uint8_t		 addr[16];	/* IPv4 in the first 4 bytes */
};

#define DECODE_MAX_SACK		4	/* blocks in one SACK option */
#define DECODE_MAX_COOKIE	16	/* RFC 7413 4.1.1: 4 to 16 bytes */

/*
 * The TCP options a ladder shows (RFC 9293 3.2, RFC 7323, RFC 2018, RFC
 * 7413).  cut: the capture ended inside the options (snaplen); what was
 * captured before the cut is here, the rest is unknown.
 */
struct decode_tcpopt {
	uint16_t	 mss;
	uint8_t		 ws;
	uint8_t		 has_mss, has_ws, sack_ok, has_ts, nsack, cut;
	uint8_t		 has_tfo, tfo_len;	/* TFO cookie (0: a request) */
	uint8_t		 tfo_cookie[DECODE_MAX_COOKIE];
	uint32_t	 tsval, tsecr;
	uint32_t	 sack[DECODE_MAX_SACK][2];	/* left, right edges */
};

/* The datagram quoted inside an ICMP error (RFC 792, RFC 4443 2.4). */
struct decode_quote {
	int		 valid;		/* addresses (and maybe ports) known */
	int		 has_ports;
	uint8_t		 proto;
	struct decode_addr src, dst;
	uint16_t	 sport, dport;
	uint32_t	 seq;		/* TCP only */
};

struct decode_pkt {
	enum decode_result result;
	const char	*reason;	/* static text when result != OK */
	const char	*layer;		/* where decoding stopped: "ip", "tcp" */
	uint32_t	 caplen, wirelen;

	uint8_t		 proto;		/* IPPROTO_TCP, _UDP, _ICMP, _ICMPV6 */
	uint8_t		 ttl;
	struct decode_addr src, dst;
	uint16_t	 sport, dport;	/* ICMP echo: both the identifier */

	/* TCP */
	uint32_t	 seq, ack;
	uint8_t		 flags;
	uint16_t	 win;
	struct decode_tcpopt opt;

	/* ICMP and ICMPv6 */
	uint8_t		 icmp_type, icmp_code;
	int		 icmp_error;	/* a quoted datagram follows */
	int		 icmp_echo;	/* request or reply, id in sport */
	struct decode_quote quote;

	/* Transport payload: length per the headers, and what was captured. */
	uint32_t	 paylen;
	uint32_t	 paycap;
	const uint8_t	*payload;
};

/* Link types, the DLT_ values that libpcap reports. */
#define DECODE_DLT_NULL		0
#define DECODE_DLT_EN10MB	1
#define DECODE_DLT_RAW		12	/* DLT_RAW on Linux */
#define DECODE_DLT_RAW_ALT	14	/* DLT_RAW on OpenBSD */
#define DECODE_DLT_LOOP		108
#define DECODE_DLT_LINUX_SLL	113
#define DECODE_DLT_IPV4		228
#define DECODE_DLT_IPV6		229
#define DECODE_DLT_LINUX_SLL2	276

/*
 * Decode one captured frame of link type dlt: caplen bytes of buf, wirelen
 * on the wire.  Fills pkt (zeroed first) and returns pkt->result.  Whatever
 * the result, the fields decoded before the stop stay valid: a truncated
 * TCP segment still has its addresses.
 */
enum decode_result decode_packet(int, const uint8_t *, uint32_t, uint32_t,
	    struct decode_pkt *);

/* Whether decode_packet() reads link type dlt. */
int	decode_dlt_supported(int);

/* "ok", "truncated", "invalid", "unsupported". */
const char *decode_result_name(enum decode_result);

#endif
