/*
 * craft.c: IPv4 packets for IP_HDRINCL.  Every field is written with
 * explicit byte order into the caller's buffer; no struct is laid over it.
 */
#include "config.h"

#include <sys/types.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cksum.h"
#include "craft.h"
#include "decode.h"

static void	put16(uint8_t *, uint16_t);
static void	put32(uint8_t *, uint32_t);

/* The letters of --flags, in the order craft_flags_name() says them. */
static const struct craft_flag {
	char		 letter;
	uint8_t		 bit;
	const char	*name;
} craft_flags[] = {
	{ 'S', DECODE_SYN, "SYN" }, { 'F', DECODE_FIN, "FIN" },
	{ 'R', DECODE_RST, "RST" }, { 'P', DECODE_PSH, "PSH" },
	{ 'A', DECODE_ACK, "ACK" }, { 'U', DECODE_URG, "URG" },
	{ 'E', DECODE_ECE, "ECE" }, { 'C', DECODE_CWR, "CWR" },
};
#define NFLAGS	(sizeof craft_flags / sizeof craft_flags[0])

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* The transport header length of proto: 20 TCP, 8 UDP, 0 any other. */
static size_t
craft_thlen(int proto)
{
	if (proto == IPPROTO_TCP)
		return CRAFT_TCP_HLEN;
	if (proto == IPPROTO_UDP)
		return CRAFT_UDP_HLEN;
	return 0;
}

size_t
craft_max_payload(int proto)
{
	return CRAFT_IP_MAX - CRAFT_IP_HLEN - craft_thlen(proto);
}

/* The IPv4 header (RFC 791 3.1) of a packet of total length tot. */
static void
craft_ip(const struct craft_pkt *p, size_t tot, uint8_t *b)
{
	b[0] = 0x45;			/* version 4, 5 words, no options */
	b[1] = p->tos;
	put16(b + 2, (uint16_t)tot);
	put16(b + 4, p->id);
	put16(b + 6, p->df ? 0x4000 : 0);
	b[8] = p->ttl;
	b[9] = p->proto;
	put16(b + 10, 0);
	memcpy(b + 12, p->src, 4);
	memcpy(b + 16, p->dst, 4);
	put16(b + 10, cksum_fold(cksum_add(0, b, CRAFT_IP_HLEN)));
}

/*
 * The TCP or UDP checksum over the pseudo-header and t (len bytes, its
 * checksum field zero).  UDP sends a sum of 0 as 0xffff (0 means none);
 * badsum turns it into another value that is never right and never 0.
 */
static uint16_t
craft_l4sum(const struct craft_pkt *p, const uint8_t *t, size_t len)
{
	uint16_t	sum;

	sum = cksum_fold(cksum_add(cksum_pseudo(p->src, p->dst, 4, p->proto,
	    (uint32_t)len), t, len));
	if (p->proto == IPPROTO_UDP && sum == 0)
		sum = 0xffff;
	if (p->badsum) {
		sum = (uint16_t)(sum + 0x1111);
		if (sum == 0)
			sum = 0x1111;
	}
	return sum;
}

/* The TCP header (RFC 9293 3.1) before the payload at t. */
static void
craft_tcp(const struct craft_pkt *p, uint8_t *t)
{
	put16(t, p->sport);
	put16(t + 2, p->dport);
	put32(t + 4, p->seq);
	put32(t + 8, p->ack);
	t[12] = (CRAFT_TCP_HLEN / 4) << 4;
	t[13] = p->flags;
	put16(t + 14, p->win);
	put16(t + 16, 0);
	put16(t + 18, 0);		/* urgent pointer */
}

/* The UDP header (RFC 768) of a datagram of len bytes at t. */
static void
craft_udp(const struct craft_pkt *p, uint8_t *t, size_t len)
{
	put16(t, p->sport);
	put16(t + 2, p->dport);
	put16(t + 4, (uint16_t)len);
	put16(t + 6, 0);
}

ssize_t
craft_build(const struct craft_pkt *p, uint8_t *buf, size_t len, char *err,
    size_t errlen)
{
	int	 proto = p->bare ? -1 : p->proto;
	size_t	 th = craft_thlen(proto), tot;
	uint8_t	*t = buf + CRAFT_IP_HLEN;

	if (p->paylen > craft_max_payload(proto)) {
		snprintf(err, errlen, "payload of %zu bytes is too big for "
		    "one IPv4 packet (at most %zu)", p->paylen,
		    craft_max_payload(proto));
		return -1;
	}
	tot = CRAFT_IP_HLEN + th + p->paylen;
	if (tot > len) {
		snprintf(err, errlen, "packet of %zu bytes does not fit a "
		    "buffer of %zu", tot, len);
		return -1;
	}
	if (p->paylen > 0)
		memcpy(t + th, p->payload, p->paylen);
	if (proto == IPPROTO_TCP) {
		craft_tcp(p, t);
		put16(t + 16, craft_l4sum(p, t, th + p->paylen));
	} else if (proto == IPPROTO_UDP) {
		craft_udp(p, t, th + p->paylen);
		put16(t + 6, craft_l4sum(p, t, th + p->paylen));
	}
	craft_ip(p, tot, buf);
	return (ssize_t)tot;
}

int
craft_parse_flags(const char *s, uint8_t *flags, char *err, size_t errlen)
{
	size_t	i;

	*flags = 0;
	for (; *s != '\0'; s++) {
		for (i = 0; i < NFLAGS; i++)
			if (toupper((unsigned char)*s) == craft_flags[i].letter)
				break;
		if (i == NFLAGS) {
			snprintf(err, errlen, "unknown TCP flag letter '%c' "
			    "(use S A F R P U E C)", *s);
			return -1;
		}
		*flags |= craft_flags[i].bit;
	}
	return 0;
}

const char *
craft_flags_name(uint8_t f, char *buf, size_t len)
{
	size_t	i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < NFLAGS && off < len; i++)
		if (f & craft_flags[i].bit)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
			    off > 0 ? "," : "", craft_flags[i].name);
	if (off == 0)
		snprintf(buf, len, "none");
	return buf;
}

/* The value of hex digit c, -1 if it is none. */
static int
craft_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

ssize_t
craft_parse_hex(const char *s, uint8_t *out, size_t max, char *err,
    size_t errlen)
{
	size_t	 n = 0, i;
	int	 hi = -1, v;

	for (i = 0; s[i] != '\0'; i++) {
		if (hi < 0 && (s[i] == ' ' || s[i] == ':'))
			continue;
		if ((v = craft_hexval((unsigned char)s[i])) < 0) {
			snprintf(err, errlen, "'%c' at offset %zu is not a hex "
			    "digit", s[i], i);
			return -1;
		}
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == max) {
			snprintf(err, errlen, "more than %zu bytes", max);
			return -1;
		}
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0) {
		snprintf(err, errlen, "odd number of hex digits (%zu)",
		    2 * n + 1);
		return -1;
	}
	return (ssize_t)n;
}
