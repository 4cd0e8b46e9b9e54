/*
 * unit-decode.c: the decoder on hand-made frames, printing TAP.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "tap.h"

/* An Ethernet + IPv4 + TCP frame with MSS, SACK-permitted, WS, TS; "hello". */
static size_t
make_tcp4(uint8_t *f)
{
	static const uint8_t hdr[] = {
		/* Ethernet */
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
		/* IPv4: 20 + 40 + 5 = 65 bytes */
		0x45, 0, 0, 65, 0, 1, 0x40, 0, 64, 6, 0, 0,
		10, 0, 0, 1, 10, 0, 0, 2,
		/* TCP: 40000 -> 80, seq 1000, ack 0, doff 10, SYN */
		0x9c, 0x40, 0, 80, 0, 0, 0x03, 0xe8, 0, 0, 0, 0, 0xa0, 0x02,
		0xff, 0xff, 0, 0, 0, 0,
		2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 7, 0, 0, 0, 0,
		1, 3, 3, 7,
		'h', 'e', 'l', 'l', 'o',
	};

	memcpy(f, hdr, sizeof hdr);
	return sizeof hdr;
}

static void
test_tcp4(void)
{
	struct decode_pkt	 pk;
	uint8_t			 f[128];
	size_t			 len = make_tcp4(f), cut;
	int			 all = 1;

	tap_is_ll(decode_packet(DECODE_DLT_EN10MB, f, len, len, &pk), DECODE_OK,
	    "ethernet ipv4 tcp decodes");
	tap_ok(pk.sport == 40000 && pk.dport == 80 && pk.seq == 1000 &&
	    pk.flags == DECODE_SYN && pk.win == 65535, "tcp fields");
	tap_ok(pk.opt.has_mss && pk.opt.mss == 1460 && pk.opt.sack_ok &&
	    pk.opt.has_ws && pk.opt.ws == 7 && pk.opt.has_ts &&
	    pk.opt.tsval == 7, "tcp options mss, sack, ws, ts");
	tap_ok(pk.paylen == 5 && pk.paycap == 5 &&
	    memcmp(pk.payload, "hello", 5) == 0, "payload");
	tap_ok(pk.src.family == AF_INET && pk.src.addr[3] == 1 &&
	    pk.dst.addr[3] == 2, "addresses");
	/* Cut inside every fixed header byte: always truncated. */
	for (cut = 0; cut < 14 + 20 + 20; cut++)
		if (decode_packet(DECODE_DLT_EN10MB, f, (uint32_t)cut,
		    (uint32_t)len, &pk) != DECODE_TRUNCATED)
			all = 0;
	tap_ok(all, "every cut inside the fixed headers is truncated");
	/* Cut inside the options (snaplen): drawn, options marked cut. */
	for (all = 1; cut < len - 5; cut++)
		if (decode_packet(DECODE_DLT_EN10MB, f, (uint32_t)cut,
		    (uint32_t)len, &pk) != DECODE_OK || !pk.opt.cut ||
		    pk.seq != 1000 || pk.flags != DECODE_SYN || pk.paylen != 5 ||
		    pk.paycap != 0)
			all = 0;
	tap_ok(all,
	    "a cut inside the options keeps the header, options cut");
	decode_packet(DECODE_DLT_EN10MB, f, 14 + 20 + 20 + 4, (uint32_t)len,
	    &pk);
	tap_ok(pk.opt.has_mss && pk.opt.mss == 1460 && !pk.opt.sack_ok,
	    "options before the cut are read");
	decode_packet(DECODE_DLT_EN10MB, f, (uint32_t)len - 2, (uint32_t)len,
	    &pk);
	tap_ok(pk.result == DECODE_OK && pk.paylen == 5 && pk.paycap == 3,
	    "a cut in the payload keeps the headers");
}

/*
 * The frame of make_tcp4() with its 20 option bytes replaced by opt (at
 * most 20, padded with NOPs).
 */
static size_t
make_tcp4_opt(uint8_t *f, const uint8_t *opt, size_t n)
{
	size_t	 len = make_tcp4(f);

	memset(f + 54, 1, 20);
	memcpy(f + 54, opt, n);
	return len;
}

/* SACK blocks and the TFO cookie, RFC 2018 and RFC 7413. */
static void
test_sack_tfo(void)
{
	static const uint8_t sack[] = { 5, 18, 0, 0, 0, 10, 0, 0, 0, 20,
	    0, 0, 0, 30, 0, 0, 0, 40 };
	static const uint8_t tfo[] = { 34, 10, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t tfo_exp[] = { 254, 8, 0xf9, 0x89, 9, 8, 7, 6 };
	static const uint8_t tfo_bad[] = { 34, 5, 1, 2, 3 };
	struct decode_pkt	 pk;
	uint8_t			 f[128];
	size_t			 len;

	len = make_tcp4_opt(f, sack, sizeof sack);
	tap_ok(decode_packet(DECODE_DLT_EN10MB, f, len, len, &pk) ==
	    DECODE_OK && pk.opt.nsack == 2 && pk.opt.sack[0][0] == 10 &&
	    pk.opt.sack[0][1] == 20 && pk.opt.sack[1][1] == 40,
	    "sack blocks");
	len = make_tcp4_opt(f, tfo, sizeof tfo);
	tap_ok(decode_packet(DECODE_DLT_EN10MB, f, len, len, &pk) ==
	    DECODE_OK && pk.opt.has_tfo && pk.opt.tfo_len == 8 &&
	    pk.opt.tfo_cookie[7] == 8, "tfo cookie, kind 34");
	len = make_tcp4_opt(f, tfo_exp, sizeof tfo_exp);
	tap_ok(decode_packet(DECODE_DLT_EN10MB, f, len, len, &pk) ==
	    DECODE_OK && pk.opt.has_tfo && pk.opt.tfo_len == 4 &&
	    pk.opt.tfo_cookie[0] == 9, "tfo cookie, experimental kind 254");
	len = make_tcp4_opt(f, tfo_bad, sizeof tfo_bad);
	tap_is_ll(decode_packet(DECODE_DLT_EN10MB, f, len, len, &pk),
	    DECODE_INVALID, "a 3-byte tfo cookie is invalid");
}

static void
test_invalid(void)
{
	struct decode_pkt	 pk;
	uint8_t			 f[128];
	size_t			 len;

	len = make_tcp4(f);
	f[14] = 0x44;
	tap_ok(decode_packet(1, f, len, len, &pk) == DECODE_INVALID &&
	    strcmp(pk.reason, "bad ip header length") == 0, "ihl 4 invalid");
	len = make_tcp4(f);
	f[16] = 0x10;
	tap_is_ll(decode_packet(1, f, len, len, &pk), DECODE_INVALID,
	    "ip total length beyond the frame is invalid");
	len = make_tcp4(f);
	f[34 + 12] = 0x40;
	tap_ok(decode_packet(1, f, len, len, &pk) == DECODE_INVALID &&
	    strcmp(pk.layer, "tcp") == 0, "tcp data offset 4 invalid");
	len = make_tcp4(f);
	f[34 + 21] = 0;
	tap_ok(decode_packet(1, f, len, len, &pk) == DECODE_INVALID &&
	    strstr(pk.reason, "below 2") != NULL, "tcp option length 0");
	len = make_tcp4(f);
	f[34 + 21] = 60;
	tap_is_ll(decode_packet(1, f, len, len, &pk), DECODE_INVALID,
	    "tcp option longer than the header");
	len = make_tcp4(f);
	f[34 + 21] = 5;
	tap_ok(decode_packet(1, f, len, len, &pk) == DECODE_INVALID &&
	    strstr(pk.reason, "mss") != NULL, "mss option of length 5");
	len = make_tcp4(f);
	f[12] = 0x08;
	f[13] = 0x06;
	tap_is_ll(decode_packet(1, f, len, len, &pk), DECODE_UNSUPPORTED,
	    "arp is unsupported");
	tap_ok(decode_packet(147, f, len, len, &pk) == DECODE_UNSUPPORTED &&
	    !decode_dlt_supported(147), "unknown link type");
}

static void
test_lengths(void)
{
	struct decode_pkt	 pk;
	uint8_t			 f[128], *big;
	size_t			 len = make_tcp4(f);

	memset(f + len, 0, 10);		/* Ethernet padding */
	tap_ok(decode_packet(1, f, len + 10, len + 10, &pk) == DECODE_OK &&
	    pk.paylen == 5 && pk.paycap == 5, "padding is not payload");
	f[16] = f[17] = 0;		/* ip_len 0 from offload */
	tap_ok(decode_packet(1, f, len, len, &pk) == DECODE_OK &&
	    pk.paylen == 5, "ip total length 0 takes the frame length");
	big = calloc(1, 70000);
	if (big != NULL) {
		memcpy(big, f, len);
		tap_ok(decode_packet(1, big, 70000, 70000, &pk) == DECODE_OK &&
		    pk.paylen == 70000 - 14 - 60, "ip total length 0 on a "
		    "segment larger than 64 KiB");
		free(big);
	} else
		tap_ok(0, "calloc");
}

/* Raw IPv6 with hop-by-hop and destination options, then UDP. */
static void
test_ipv6(void)
{
	struct decode_pkt	 pk;
	uint8_t			 f[128];
	size_t			 len = 40 + 8 + 8 + 8 + 3, cut;
	int			 all = 1;

	memset(f, 0, sizeof f);
	f[0] = 0x60;
	f[5] = (uint8_t)(len - 40);
	f[6] = 0;			/* hop-by-hop */
	f[7] = 64;
	f[8] = 0x20; f[23] = 1;		/* 2000::1 */
	f[24] = 0x20; f[39] = 2;	/* 2000::2 */
	f[40] = 60;			/* next: destination options */
	f[48] = 17;			/* next: udp */
	f[56] = 0x13; f[57] = 0x88; f[58] = 0; f[59] = 53;
	f[61] = 11;
	memcpy(f + 64, "abc", 3);
	tap_ok(decode_packet(DECODE_DLT_RAW, f, len, len, &pk) == DECODE_OK &&
	    pk.proto == IPPROTO_UDP && pk.sport == 5000 && pk.dport == 53 &&
	    pk.paylen == 3, "ipv6 extension headers skipped to udp");
	for (cut = 0; cut < 64; cut++)
		if (decode_packet(DECODE_DLT_RAW, f, (uint32_t)cut,
		    (uint32_t)len, &pk) != DECODE_TRUNCATED)
			all = 0;
	tap_ok(all, "every cut inside the ipv6 headers is truncated");
	f[48] = 44;			/* a fragment header, offset 8 */
	f[56] = 17;
	f[58] = 0;
	f[59] = 8;
	tap_is_ll(decode_packet(DECODE_DLT_RAW, f, len, len, &pk),
	    DECODE_UNSUPPORTED, "later ipv6 fragment unsupported");
}

/* An ICMP port unreachable quoting a UDP datagram. */
static void
test_icmp(void)
{
	struct decode_pkt	 pk;
	uint8_t			 f[128];
	size_t			 len = 20 + 8 + 20 + 8;

	memset(f, 0, sizeof f);
	f[0] = 0x45; f[3] = (uint8_t)len; f[8] = 64; f[9] = 1;
	f[12] = 10; f[15] = 2; f[16] = 10; f[19] = 1;
	f[20] = 3; f[21] = 3;
	f[28] = 0x45; f[31] = 28; f[37] = 17;
	f[40] = 10; f[43] = 1; f[44] = 10; f[47] = 2;
	f[48] = 0x9c; f[49] = 0x40; f[50] = 0; f[51] = 53;
	tap_ok(decode_packet(DECODE_DLT_RAW, f, len, len, &pk) == DECODE_OK &&
	    pk.icmp_error && pk.quote.valid && pk.quote.has_ports &&
	    pk.quote.sport == 40000 && pk.quote.dport == 53 &&
	    pk.quote.src.addr[3] == 1, "icmp error quotes its datagram");
	tap_is_ll(decode_packet(DECODE_DLT_RAW, f, 24, (uint32_t)len, &pk),
	    DECODE_TRUNCATED, "icmp header cut");
	/* Time exceeded quoting an echo request (a traceroute's probe). */
	f[20] = 11; f[21] = 0;
	f[37] = 1;
	f[48] = 8; f[49] = 0; f[52] = 0x12; f[53] = 0x34;
	tap_ok(decode_packet(DECODE_DLT_RAW, f, len, len, &pk) == DECODE_OK &&
	    pk.quote.valid && pk.quote.has_ports && pk.quote.sport == 0x1234 &&
	    pk.quote.dport == 0x1234, "a quoted echo keys on its identifier");
	f[48] = 0;			/* an echo reply is never quoted */
	tap_ok(decode_packet(DECODE_DLT_RAW, f, len, len, &pk) == DECODE_OK &&
	    pk.quote.valid && !pk.quote.has_ports, "a quoted reply: no id");
	f[48] = 8;
	tap_ok(decode_packet(DECODE_DLT_RAW, f, 52, (uint32_t)len, &pk) ==
	    DECODE_OK && pk.quote.valid && !pk.quote.has_ports,
	    "a quoted echo cut before its id: addresses only");
}

/* Linux cooked v2 and BSD loopback in front of the same IPv4 packet. */
static void
test_links(void)
{
	struct decode_pkt	 pk;
	uint8_t			 f[160], ip[128];
	size_t			 len = make_tcp4(ip) - 14;

	memset(f, 0, sizeof f);
	f[0] = 0x08;
	memcpy(f + 20, ip + 14, len);
	tap_ok(decode_packet(DECODE_DLT_LINUX_SLL2, f, len + 20, len + 20,
	    &pk) == DECODE_OK && pk.dport == 80, "linux cooked v2");
	memset(f, 0, sizeof f);
	f[14] = 0x08;
	memcpy(f + 16, ip + 14, len);
	tap_ok(decode_packet(DECODE_DLT_LINUX_SLL, f, len + 16, len + 16,
	    &pk) == DECODE_OK && pk.dport == 80, "linux cooked v1");
	memset(f, 0, 4);
	f[0] = 2;
	memcpy(f + 4, ip + 14, len);
	tap_is_ll(decode_packet(DECODE_DLT_NULL, f, len + 4, len + 4, &pk),
	    DECODE_OK, "bsd null (host order)");
	f[0] = 0;
	f[3] = 2;
	tap_is_ll(decode_packet(DECODE_DLT_LOOP, f, len + 4, len + 4, &pk),
	    DECODE_OK, "bsd loop (network order)");
	tap_is_ll(decode_packet(DECODE_DLT_LINUX_SLL2, f, 19, 60, &pk),
	    DECODE_TRUNCATED, "cooked v2 header cut");
}

int
main(void)
{
	test_tcp4();
	test_sack_tfo();
	test_invalid();
	test_lengths();
	test_ipv6();
	test_icmp();
	test_links();
	return tap_done();
}
