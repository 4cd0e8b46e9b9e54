/*
 * unit-craft.c: packets built by craft.c, read back byte by byte and
 * through decode.c; their checksums verified; flag and hex parsing with
 * the errors they give.
 */
#include <netinet/in.h>

#include <stdint.h>
#include <string.h>

#include "cksum.h"
#include "craft.h"
#include "decode.h"
#include "tap.h"

static uint8_t	buf[CRAFT_IP_MAX + 16], big[CRAFT_IP_MAX];

static unsigned
get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* Whether the TCP/UDP checksum of packet b (n bytes) verifies. */
static int
l4_ok(const uint8_t *b, size_t n)
{
	return cksum_fold(cksum_add(cksum_pseudo(b + 12, b + 16, 4, b[9],
	    (uint32_t)(n - 20)), b + 20, n - 20)) == 0;
}

static void
base(struct craft_pkt *p, int proto)
{
	static const uint8_t src[4] = { 10, 1, 2, 3 }, dst[4] = { 192, 0, 2, 9 };

	memset(p, 0, sizeof *p);
	p->proto = (uint8_t)proto;
	memcpy(p->src, src, 4);
	memcpy(p->dst, dst, 4);
	p->ttl = 64;
	p->tos = 0x10;
	p->id = 0xbeef;
	p->df = 1;
	p->sport = 40000;
	p->dport = 22;
}

static void
test_tcp(void)
{
	struct craft_pkt	 p;
	struct decode_pkt	 pk;
	char			 err[128];
	ssize_t			 n;

	base(&p, IPPROTO_TCP);
	p.seq = 0x01020304;
	p.ack = 0xa0b0c0d0;
	p.flags = DECODE_SYN | DECODE_ACK;
	p.win = 1024;
	p.payload = (const uint8_t *)"hello";
	p.paylen = 5;
	n = craft_build(&p, buf, sizeof buf, err, sizeof err);
	tap_is_ll(n, 45, "TCP: 20 + 20 + 5 bytes");
	tap_is_ll(buf[0], 0x45, "IP version 4, header 5 words");
	tap_is_ll(buf[1], 0x10, "IP TOS");
	tap_is_ll(get16(buf + 2), 45, "IP total length");
	tap_is_ll(get16(buf + 4), 0xbeef, "IP id");
	tap_is_ll(get16(buf + 6), 0x4000, "IP DF set, no fragment offset");
	tap_is_ll(buf[8], 64, "IP TTL");
	tap_is_ll(buf[9], IPPROTO_TCP, "IP protocol 6");
	tap_ok(cksum_fold(cksum_add(0, buf, 20)) == 0, "IP checksum verifies");
	tap_is_ll(buf[32] >> 4, 5, "TCP data offset 5 words");
	tap_is_ll(buf[33], 0x12, "TCP flags byte SYN|ACK");
	tap_ok(l4_ok(buf, (size_t)n), "TCP checksum verifies");
	tap_is_ll(decode_packet(DECODE_DLT_RAW, buf, (uint32_t)n,
	    (uint32_t)n, &pk), DECODE_OK, "decode.c reads it");
	tap_ok(pk.proto == IPPROTO_TCP && pk.ttl == 64 &&
	    memcmp(pk.src.addr, p.src, 4) == 0 &&
	    memcmp(pk.dst.addr, p.dst, 4) == 0, "decoded: proto, TTL, addresses");
	tap_ok(pk.sport == 40000 && pk.dport == 22, "decoded: ports");
	tap_ok(pk.seq == 0x01020304 && pk.ack == 0xa0b0c0d0,
	    "decoded: seq and ack");
	tap_ok(pk.flags == (DECODE_SYN | DECODE_ACK) && pk.win == 1024,
	    "decoded: flags and window");
	tap_ok(pk.paylen == 5 && memcmp(pk.payload, "hello", 5) == 0,
	    "decoded: payload");
	p.badsum = 1;
	n = craft_build(&p, buf, sizeof buf, err, sizeof err);
	tap_ok(!l4_ok(buf, (size_t)n), "--badsum: TCP checksum fails");
	tap_ok(cksum_fold(cksum_add(0, buf, 20)) == 0,
	    "--badsum: the IP checksum still right");
}

static void
test_udp(void)
{
	struct craft_pkt	 p;
	struct decode_pkt	 pk;
	char			 err[128];
	ssize_t			 n;

	base(&p, IPPROTO_UDP);
	p.df = 0;
	p.payload = (const uint8_t *)"abc";
	p.paylen = 3;
	n = craft_build(&p, buf, sizeof buf, err, sizeof err);
	tap_is_ll(n, 31, "UDP: 20 + 8 + 3 bytes");
	tap_is_ll(get16(buf + 6), 0, "IP no DF");
	tap_is_ll(get16(buf + 24), 11, "UDP length");
	tap_ok(get16(buf + 26) != 0 && l4_ok(buf, (size_t)n),
	    "UDP checksum present and verifies");
	decode_packet(DECODE_DLT_RAW, buf, (uint32_t)n, (uint32_t)n, &pk);
	tap_ok(pk.result == DECODE_OK && pk.proto == IPPROTO_UDP &&
	    pk.sport == 40000 && pk.dport == 22 && pk.paylen == 3 &&
	    memcmp(pk.payload, "abc", 3) == 0, "decoded UDP: ports, payload");
	p.badsum = 1;
	n = craft_build(&p, buf, sizeof buf, err, sizeof err);
	tap_ok(get16(buf + 26) != 0 && !l4_ok(buf, (size_t)n),
	    "--badsum UDP: nonzero and wrong");
	p.badsum = 0;
	p.paylen = 65508;
	p.payload = big;
	tap_is_ll(craft_build(&p, buf, sizeof buf, err, sizeof err), -1,
	    "UDP payload of 65508 refused");
	tap_is_str(err, "payload of 65508 bytes is too big for one IPv4 "
	    "packet (at most 65507)", "the error says the limit");
	p.paylen = 65507;
	tap_is_ll(craft_build(&p, buf, sizeof buf, err, sizeof err),
	    65535, "UDP payload of 65507 fits");
}

static void
test_other(void)
{
	struct craft_pkt	 p;
	char			 err[128];
	ssize_t			 n;

	base(&p, 253);
	p.payload = (const uint8_t *)"xyz";
	p.paylen = 3;
	n = craft_build(&p, buf, sizeof buf, err, sizeof err);
	tap_ok(n == 23 && buf[9] == 253 && memcmp(buf + 20, "xyz", 3) == 0,
	    "protocol 253: IP header then the payload as given");
	tap_ok(cksum_fold(cksum_add(0, buf, 20)) == 0,
	    "protocol 253: IP checksum verifies");
	tap_is_ll(craft_build(&p, buf, 22, err, sizeof err), -1,
	    "a buffer too small is an error");
	base(&p, IPPROTO_TCP);
	p.bare = 1;
	p.payload = (const uint8_t *)"\x01\x02";
	p.paylen = 2;
	n = craft_build(&p, buf, sizeof buf, err, sizeof err);
	tap_ok(n == 22 && buf[9] == IPPROTO_TCP && buf[20] == 1 &&
	    buf[21] == 2, "bare TCP: no header of ours, the payload as given");
	tap_is_ll((long long)craft_max_payload(-1), 65515,
	    "bare: 65515 bytes at most");
}

static void
test_parse(void)
{
	uint8_t		 f, out[8];
	char		 err[128], name[64];

	tap_ok(craft_parse_flags("SA", &f, err, sizeof err) == 0 &&
	    f == (DECODE_SYN | DECODE_ACK), "flags SA");
	tap_ok(craft_parse_flags("fpu", &f, err, sizeof err) == 0 &&
	    f == (DECODE_FIN | DECODE_PSH | DECODE_URG), "flags fpu (XMAS)");
	tap_ok(craft_parse_flags("", &f, err, sizeof err) == 0 && f == 0,
	    "flags '' (NULL scan)");
	tap_ok(craft_parse_flags("SRAEC", &f, err, sizeof err) == 0 &&
	    f == 0xd6, "flags SRAEC");
	tap_is_ll(craft_parse_flags("SX", &f, err, sizeof err), -1, "flag X");
	tap_is_str(err, "unknown TCP flag letter 'X' (use S A F R P U E C)",
	    "the error names the letter");
	tap_is_str(craft_flags_name(0x12, name, sizeof name), "SYN,ACK",
	    "name of SYN|ACK");
	tap_is_str(craft_flags_name(0x29, name, sizeof name), "FIN,PSH,URG",
	    "name of FIN|PSH|URG");
	tap_is_str(craft_flags_name(0, name, sizeof name), "none", "no flag");
	tap_is_ll(craft_parse_hex("48 65:6c6C", out, sizeof out, err,
	    sizeof err), 4, "hex with separators");
	tap_ok(memcmp(out, "Hel", 3) == 0 && out[3] == 0x6c, "hex bytes");
	tap_is_ll(craft_parse_hex("abc", out, sizeof out, err, sizeof err), -1,
	    "odd hex");
	tap_is_str(err, "odd number of hex digits (3)", "odd hex error");
	tap_is_ll(craft_parse_hex("0g", out, sizeof out, err, sizeof err), -1,
	    "bad hex digit");
	tap_is_str(err, "'g' at offset 1 is not a hex digit", "names 'g'");
	tap_is_ll(craft_parse_hex("00", out, 0, err, sizeof err), -1,
	    "hex beyond the room");
}

int
main(void)
{
	test_tcp();
	test_udp();
	test_other();
	test_parse();
	return tap_done();
}
