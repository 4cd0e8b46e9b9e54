/*
 * decode.c: link, network and transport headers into a struct decode_pkt.
 *
 * Every packet byte is read through the db_ accessors below, which check
 * the bounds of the captured bytes; no header struct is ever cast over the
 * buffer.  A capture that ends inside a header is "truncated"; a header
 * that contradicts itself (a length too short or too long) is "invalid".
 * The view of the bytes is clamped to the IP header's total length, so
 * Ethernet padding never counts as payload.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <string.h>

#include "decode.h"

/* A window on the captured bytes; every read goes through db_*(). */
struct dbuf {
	const uint8_t	*p;
	size_t		 len;
};

#define IPV6_MAX_EXT	16	/* extension headers walked before giving up */

static int	decode_ipv4(const struct dbuf *, uint32_t, struct decode_pkt *);
static int	decode_ipv6(const struct dbuf *, uint32_t, struct decode_pkt *);
static int	decode_transport(const struct dbuf *, uint32_t,
		    struct decode_pkt *);

/* The byte at off, or -1 when it was not captured. */
static int
db_u8(const struct dbuf *b, size_t off, uint8_t *v)
{
	if (off >= b->len)
		return -1;
	*v = b->p[off];
	return 0;
}

/* The big-endian 16-bit value at off, or -1 when not captured. */
static int
db_u16(const struct dbuf *b, size_t off, uint16_t *v)
{
	if (off > b->len || b->len - off < 2)
		return -1;
	*v = (uint16_t)(b->p[off] << 8 | b->p[off + 1]);
	return 0;
}

/* The big-endian 32-bit value at off, or -1 when not captured. */
static int
db_u32(const struct dbuf *b, size_t off, uint32_t *v)
{
	if (off > b->len || b->len - off < 4)
		return -1;
	*v = (uint32_t)b->p[off] << 24 | (uint32_t)b->p[off + 1] << 16 |
	    (uint32_t)b->p[off + 2] << 8 | b->p[off + 3];
	return 0;
}

/* The little-endian 32-bit value at off (BSD loopback in host order). */
static int
db_u32le(const struct dbuf *b, size_t off, uint32_t *v)
{
	if (off > b->len || b->len - off < 4)
		return -1;
	*v = (uint32_t)b->p[off + 3] << 24 | (uint32_t)b->p[off + 2] << 16 |
	    (uint32_t)b->p[off + 1] << 8 | b->p[off];
	return 0;
}

/* Copy n bytes at off into out, or -1 when not all were captured. */
static int
db_bytes(const struct dbuf *b, size_t off, size_t n, uint8_t *out)
{
	if (off > b->len || b->len - off < n)
		return -1;
	memcpy(out, b->p + off, n);
	return 0;
}

/* The captured bytes from off on, at most max of them; -1 if off is past. */
static int
db_sub(const struct dbuf *b, size_t off, size_t max, struct dbuf *out)
{
	if (off > b->len)
		return -1;
	out->p = b->p + off;
	out->len = b->len - off;
	if (out->len > max)
		out->len = max;
	return 0;
}

/* Record why decoding stopped; returns the result for "return stop()". */
static int
stop(struct decode_pkt *pk, enum decode_result r, const char *layer,
    const char *reason)
{
	pk->result = r;
	pk->layer = layer;
	pk->reason = reason;
	return r;
}

const char *
decode_result_name(enum decode_result r)
{
	switch (r) {
	case DECODE_OK:
		return "ok";
	case DECODE_TRUNCATED:
		return "truncated";
	case DECODE_INVALID:
		return "invalid";
	default:
		return "unsupported";
	}
}

/*
 * Pick the network layer by EtherType (or the version nibble for raw IP)
 * and decode from there.  Returns the result.
 */
static int
decode_net(uint16_t ethertype, const struct dbuf *b, uint32_t wire,
    struct decode_pkt *pk)
{
	uint8_t	 v;

	if (ethertype == 0) {		/* raw IP: the version decides */
		if (db_u8(b, 0, &v) == -1)
			return stop(pk, DECODE_TRUNCATED, "ip", "no header");
		ethertype = (v >> 4) == 6 ? 0x86dd : (v >> 4) == 4 ? 0x0800 :
		    0xffff;
		if (ethertype == 0xffff)
			return stop(pk, DECODE_INVALID, "ip", "bad version");
	}
	if (ethertype == 0x0800)
		return decode_ipv4(b, wire, pk);
	if (ethertype == 0x86dd)
		return decode_ipv6(b, wire, pk);
	return stop(pk, DECODE_UNSUPPORTED, "link", "not IPv4 or IPv6");
}

/*
 * Ethernet II (IEEE 802.3), with 802.1Q and 802.1ad tags skipped.  Returns
 * the header length with the EtherType in *type, or -1 when truncated.
 */
static int
link_ether(const struct dbuf *b, uint16_t *type)
{
	size_t	 off = 12;
	int	 tags;

	for (tags = 0; tags < 3; tags++) {
		if (db_u16(b, off, type) == -1)
			return -1;
		if (*type != 0x8100 && *type != 0x88a8)
			return (int)off + 2;
		off += 4;
	}
	*type = 0xffff;			/* too many tags: unsupported */
	return (int)off + 2;
}

/* Linux cooked v1: 16 bytes, protocol at 14.  Same contract. */
static int
link_sll(const struct dbuf *b, uint16_t *type)
{
	return db_u16(b, 14, type) == -1 ? -1 : 16;
}

/* Linux cooked v2: 20 bytes, protocol first.  Same contract. */
static int
link_sll2(const struct dbuf *b, uint16_t *type)
{
	return db_u16(b, 0, type) == -1 || b->len < 20 ? -1 : 20;
}

/* BSD loopback: a 4-byte address family, host order for NULL. */
static int
link_null(const struct dbuf *b, uint16_t *type, int loop)
{
	uint32_t	 af;

	if ((loop ? db_u32(b, 0, &af) : db_u32le(b, 0, &af)) == -1)
		return -1;
	if (!loop && af > 0xffff)	/* written big-endian after all */
		db_u32(b, 0, &af);
	if (af == 2)
		*type = 0x0800;
	else if (af == 10 || af == 24 || af == 28 || af == 30)
		*type = 0x86dd;		/* Linux, NetBSD, FreeBSD, Darwin */
	else
		*type = 0xffff;
	return 4;
}

int
decode_dlt_supported(int dlt)
{
	switch (dlt) {
	case DECODE_DLT_NULL: case DECODE_DLT_EN10MB: case DECODE_DLT_RAW:
	case DECODE_DLT_RAW_ALT: case DECODE_DLT_LOOP:
	case DECODE_DLT_LINUX_SLL: case DECODE_DLT_IPV4: case DECODE_DLT_IPV6:
	case DECODE_DLT_LINUX_SLL2:
		return 1;
	}
	return 0;
}

/* The link header: its length and EtherType, or -1 truncated, -2 unknown. */
static int
decode_link(int dlt, const struct dbuf *b, uint16_t *type)
{
	*type = 0;
	switch (dlt) {
	case DECODE_DLT_EN10MB:
		return link_ether(b, type);
	case DECODE_DLT_LINUX_SLL:
		return link_sll(b, type);
	case DECODE_DLT_LINUX_SLL2:
		return link_sll2(b, type);
	case DECODE_DLT_NULL:
		return link_null(b, type, 0);
	case DECODE_DLT_LOOP:
		return link_null(b, type, 1);
	case DECODE_DLT_RAW: case DECODE_DLT_RAW_ALT:
		return 0;
	case DECODE_DLT_IPV4:
		*type = 0x0800;
		return 0;
	case DECODE_DLT_IPV6:
		*type = 0x86dd;
		return 0;
	}
	return -2;
}

enum decode_result
decode_packet(int dlt, const uint8_t *buf, uint32_t caplen, uint32_t wirelen,
    struct decode_pkt *pk)
{
	struct dbuf	 b = { buf, caplen }, net;
	uint16_t	 type;
	int		 hl;

	memset(pk, 0, sizeof *pk);
	pk->caplen = caplen;
	pk->wirelen = wirelen < caplen ? caplen : wirelen;
	hl = decode_link(dlt, &b, &type);
	if (hl == -2)
		return stop(pk, DECODE_UNSUPPORTED, "link", "link type");
	if (hl == -1)
		return stop(pk, DECODE_TRUNCATED, "link", "link header");
	if (db_sub(&b, (size_t)hl, (size_t)-1, &net) == -1)
		return stop(pk, DECODE_TRUNCATED, "link", "link header");
	return decode_net(type, &net, pk->wirelen - (uint32_t)hl, pk);
}

/*
 * IPv4, RFC 791 3.1.  b holds the captured bytes from the IP header on,
 * wire the bytes that were on the wire from there.  A total length of 0 is
 * what segmentation offload leaves: the frame's length stands in for it.
 */
static int
decode_ipv4(const struct dbuf *b, uint32_t wire, struct decode_pkt *pk)
{
	struct dbuf	 t;
	uint16_t	 len16, frag;
	uint32_t	 tot;
	uint8_t		 vhl;
	unsigned	 hl;

	if (db_u8(b, 0, &vhl) == -1 || db_u16(b, 2, &len16) == -1 ||
	    db_u16(b, 6, &frag) == -1 || db_u8(b, 8, &pk->ttl) == -1 ||
	    db_u8(b, 9, &pk->proto) == -1)
		return stop(pk, DECODE_TRUNCATED, "ip", "ip header");
	if (vhl >> 4 != 4)
		return stop(pk, DECODE_INVALID, "ip", "ip version is not 4");
	hl = (vhl & 0x0f) * 4u;
	if (hl < 20)
		return stop(pk, DECODE_INVALID, "ip", "bad ip header length");
	tot = len16 != 0 ? len16 : wire;	/* 0: offload, the frame says */
	if (tot < hl)
		return stop(pk, DECODE_INVALID, "ip",
		    "ip total length shorter than its header");
	if (tot > wire)
		return stop(pk, DECODE_INVALID, "ip",
		    "ip total length beyond the frame");
	pk->src.family = pk->dst.family = AF_INET;
	if (db_bytes(b, 12, 4, pk->src.addr) == -1 ||
	    db_bytes(b, 16, 4, pk->dst.addr) == -1)
		return stop(pk, DECODE_TRUNCATED, "ip", "ip addresses");
	if (hl > b->len)
		return stop(pk, DECODE_TRUNCATED, "ip", "ip options");
	if ((frag & 0x1fff) != 0)
		return stop(pk, DECODE_UNSUPPORTED, "ip", "later ip fragment");
	db_sub(b, hl, tot - hl, &t);
	return decode_transport(&t, tot - hl, pk);
}

/*
 * Walk IPv6 extension headers (RFC 8200 4) from *off, next header *nh.
 * Returns 0 with *off and *nh at the transport header, or a result.
 */
static int
ipv6_skip_ext(const struct dbuf *b, size_t *off, uint8_t *nh,
    struct decode_pkt *pk)
{
	uint8_t		 next = 0, len;
	uint16_t	 fo;
	int		 n;

	for (n = 0; n < IPV6_MAX_EXT; n++) {
		switch (*nh) {
		case 0: case 43: case 60: case 51:	/* HBH, RH, DST, AH */
			if (db_u8(b, *off, &next) == -1 ||
			    db_u8(b, *off + 1, &len) == -1)
				return stop(pk, DECODE_TRUNCATED, "ip6",
				    "ipv6 extension header");
			*off += *nh == 51 ? (len + 2u) * 4 : (len + 1u) * 8;
			break;
		case 44:				/* fragment */
			if (db_u8(b, *off, &next) == -1 ||
			    db_u16(b, *off + 2, &fo) == -1)
				return stop(pk, DECODE_TRUNCATED, "ip6",
				    "ipv6 fragment header");
			if ((fo & 0xfff8) != 0)
				return stop(pk, DECODE_UNSUPPORTED, "ip6",
				    "later ipv6 fragment");
			*off += 8;
			break;
		default:
			return 0;
		}
		*nh = next;
	}
	return stop(pk, DECODE_INVALID, "ip6", "too many extension headers");
}

/* IPv6, RFC 8200 3; payload length 0 (jumbo or offload) means the frame. */
static int
decode_ipv6(const struct dbuf *b, uint32_t wire, struct decode_pkt *pk)
{
	struct dbuf	 c, t;
	uint16_t	 plen;
	uint8_t		 v;
	size_t		 off = 40;
	uint32_t	 tot;
	int		 r;

	if (db_u8(b, 0, &v) == -1 || db_u16(b, 4, &plen) == -1 ||
	    db_u8(b, 6, &pk->proto) == -1 || db_u8(b, 7, &pk->ttl) == -1)
		return stop(pk, DECODE_TRUNCATED, "ip6", "ipv6 header");
	if (v >> 4 != 6)
		return stop(pk, DECODE_INVALID, "ip6", "ip version is not 6");
	pk->src.family = pk->dst.family = AF_INET6;
	if (db_bytes(b, 8, 16, pk->src.addr) == -1 ||
	    db_bytes(b, 24, 16, pk->dst.addr) == -1)
		return stop(pk, DECODE_TRUNCATED, "ip6", "ipv6 addresses");
	if (wire < 40)
		return stop(pk, DECODE_INVALID, "ip6", "frame shorter than "
		    "the ipv6 header");
	tot = plen == 0 ? wire : 40u + plen;
	if (tot > wire)
		return stop(pk, DECODE_INVALID, "ip6",
		    "ipv6 payload length beyond the frame");
	db_sub(b, 0, tot, &c);
	if ((r = ipv6_skip_ext(&c, &off, &pk->proto, pk)) != 0)
		return r;
	if (off > tot)
		return stop(pk, DECODE_INVALID, "ip6",
		    "extension headers longer than the payload");
	if (db_sub(&c, off, tot - off, &t) == -1)
		return stop(pk, DECODE_TRUNCATED, "ip6",
		    "ipv6 extension header");
	return decode_transport(&t, tot - (uint32_t)off, pk);
}

/*
 * The TCP Fast Open cookie option, RFC 7413 4.1.1: kind 34, or kind 254
 * with the magic 0xf989 before the cookie (RFC 6994).  Other uses of kind
 * 254 are left alone.  Returns 0 or a result.
 */
static int
tcp_option_tfo(const struct dbuf *o, unsigned kind, unsigned len,
    struct decode_pkt *pk)
{
	struct decode_tcpopt	*op = &pk->opt;
	unsigned		 off = 2;
	uint16_t		 magic;

	if (kind == 254) {
		if (len < 4 || db_u16(o, 2, &magic) == -1 || magic != 0xf989)
			return 0;
		off = 4;
	}
	if (len - off > DECODE_MAX_COOKIE || (len - off != 0 &&
	    len - off < 4))
		return stop(pk, DECODE_INVALID, "tcp", "bad tfo cookie length");
	op->has_tfo = 1;
	op->tfo_len = (uint8_t)(len - off);
	db_bytes(o, off, op->tfo_len, op->tfo_cookie);
	return 0;
}

/*
 * One TCP option (RFC 9293 3.2, RFC 7323 2.2 and 3.2, RFC 2018 2 and 3) of
 * kind at o with length len already checked to fit.  Returns 0 or a result.
 */
static int
tcp_option(const struct dbuf *o, unsigned kind, unsigned len,
    struct decode_pkt *pk)
{
	/* The options whose length is fixed, and the word for a wrong one. */
	static const struct {
		uint8_t		 kind, len;
		const char	*bad;
	} fixed[] = {
		{ 2, 4, "bad mss length" },
		{ 3, 3, "bad window scale length" },
		{ 8, 10, "bad timestamp length" },
	};
	struct decode_tcpopt	*op = &pk->opt;
	unsigned		 i;

	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (kind == fixed[i].kind && len != fixed[i].len)
			return stop(pk, DECODE_INVALID, "tcp", fixed[i].bad);
	switch (kind) {
	case 2:
		op->has_mss = 1;
		db_u16(o, 2, &op->mss);
		break;
	case 3:
		op->has_ws = 1;
		db_u8(o, 2, &op->ws);
		break;
	case 4:
		op->sack_ok = 1;
		break;
	case 5:
		if ((len - 2) % 8 != 0)
			return stop(pk, DECODE_INVALID, "tcp", "bad sack length");
		for (i = 0; i < (len - 2) / 8 && i < DECODE_MAX_SACK; i++) {
			db_u32(o, 2 + 8 * i, &op->sack[i][0]);
			db_u32(o, 6 + 8 * i, &op->sack[i][1]);
		}
		op->nsack = (uint8_t)i;
		break;
	case 34:	/* RFC 7413 4.1.1, and its experimental kind 254 */
	case 254:
		return tcp_option_tfo(o, kind, len, pk);
	case 8:
		op->has_ts = 1;
		db_u32(o, 2, &op->tsval);
		db_u32(o, 6, &op->tsecr);
		break;
	}
	return 0;
}

/*
 * The options of a TCP header of hl bytes: o holds the option bytes that
 * were captured, all of them unless the capture was cut short.
 */
static int
tcp_options(const struct dbuf *o, unsigned hl, struct decode_pkt *pk)
{
	struct dbuf	 one;
	size_t		 off = 0;
	uint8_t		 kind, len;
	int		 r;

	while (db_u8(o, off, &kind) == 0) {
		if (kind == 0)
			break;
		if (kind == 1) {
			off++;
			continue;
		}
		if (db_u8(o, off + 1, &len) == -1) {
			if (o->len < hl - 20) {
				pk->opt.cut = 1;	/* the capture ends here */
				return 0;
			}
			return stop(pk, DECODE_INVALID, "tcp",
			    "tcp option length missing");
		}
		if (len < 2)
			return stop(pk, DECODE_INVALID, "tcp",
			    "tcp option length below 2");
		if (len > o->len - off && o->len < hl - 20) {
			pk->opt.cut = 1;	/* the capture ends in it */
			return 0;
		}
		if (len > o->len - off)
			return stop(pk, DECODE_INVALID, "tcp",
			    "tcp option longer than the header");
		db_sub(o, off, len, &one);
		if ((r = tcp_option(&one, kind, len, pk)) != 0)
			return r;
		off += len;
	}
	return 0;
}

/* TCP, RFC 9293 3.1.  t holds the segment, wire its length per IP. */
static int
decode_tcp(const struct dbuf *t, uint32_t wire, struct decode_pkt *pk)
{
	struct dbuf	 o = { NULL, 0 };
	uint8_t		 doff;
	unsigned	 hl;

	if (db_u16(t, 0, &pk->sport) == -1 || db_u16(t, 2, &pk->dport) == -1 ||
	    db_u32(t, 4, &pk->seq) == -1 || db_u32(t, 8, &pk->ack) == -1 ||
	    db_u8(t, 12, &doff) == -1 || db_u8(t, 13, &pk->flags) == -1 ||
	    db_u16(t, 14, &pk->win) == -1) {
		if (wire < 20)
			return stop(pk, DECODE_INVALID, "tcp",
			    "segment shorter than a tcp header");
		return stop(pk, DECODE_TRUNCATED, "tcp", "tcp header");
	}
	hl = (doff >> 4) * 4u;
	if (t->len < 20)
		return stop(pk, DECODE_TRUNCATED, "tcp", "tcp header");
	if (hl < 20)
		return stop(pk, DECODE_INVALID, "tcp", "bad tcp header length");
	if (hl > wire)
		return stop(pk, DECODE_INVALID, "tcp",
		    "tcp header longer than the segment");
	db_sub(t, 20, hl - 20, &o);
	if (tcp_options(&o, hl, pk) != 0)
		return pk->result;
	if (o.len < hl - 20)
		pk->opt.cut = 1;	/* tcpdump's [|tcp]: drawn, marked */
	pk->paylen = wire - hl;
	o.p = NULL;
	o.len = 0;
	db_sub(t, hl, pk->paylen, &o);
	pk->payload = o.p;
	pk->paycap = (uint32_t)o.len;
	return DECODE_OK;
}

/* UDP, RFC 768.  Same contract as decode_tcp(). */
static int
decode_udp(const struct dbuf *t, uint32_t wire, struct decode_pkt *pk)
{
	struct dbuf	 o = { NULL, 0 };
	uint16_t	 ulen;

	if (db_u16(t, 0, &pk->sport) == -1 || db_u16(t, 2, &pk->dport) == -1 ||
	    db_u16(t, 4, &ulen) == -1 || t->len < 8) {
		if (wire < 8)
			return stop(pk, DECODE_INVALID, "udp",
			    "datagram shorter than a udp header");
		return stop(pk, DECODE_TRUNCATED, "udp", "udp header");
	}
	if (ulen == 0 && pk->src.family == AF_INET6 && wire > 0xffff)
		ulen = 0xffff;		/* jumbogram: keep what IP says */
	if (ulen < 8)
		return stop(pk, DECODE_INVALID, "udp", "bad udp length");
	if (ulen > wire)
		return stop(pk, DECODE_INVALID, "udp",
		    "udp length beyond the ip payload");
	pk->paylen = ulen - 8u;
	db_sub(t, 8, pk->paylen, &o);
	pk->payload = o.p;
	pk->paycap = (uint32_t)o.len;
	return DECODE_OK;
}

/*
 * A quoted echo request (a traceroute's probe, a ping with a low TTL): its
 * identifier in both ports, as decode_icmp() keys an echo, so the error
 * joins the echo's conversation.  Returns 0, or -1 when it is no echo.
 */
static int
decode_quote_echo(const struct dbuf *q, size_t off, int v6,
    struct decode_quote *qt)
{
	uint8_t		 ty;

	if (qt->proto != (v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP) ||
	    db_u8(q, off, &ty) == -1 || ty != (v6 ? 128 : 8) ||
	    db_u16(q, off + 4, &qt->sport) == -1)
		return -1;
	qt->dport = qt->sport;
	return 0;
}

/*
 * The datagram quoted in an ICMP error: its addresses and, when the first
 * 8 transport bytes are there, its ports (and TCP sequence number).  The
 * quote is cut short by design, so nothing here is an error.
 */
static void
decode_quote(const struct dbuf *q, struct decode_quote *qt)
{
	uint8_t		 v;
	size_t		 off;

	if (db_u8(q, 0, &v) == -1)
		return;
	if (v >> 4 == 4 && db_u8(q, 9, &qt->proto) == 0 &&
	    db_bytes(q, 12, 4, qt->src.addr) == 0 &&
	    db_bytes(q, 16, 4, qt->dst.addr) == 0 && (v & 0x0f) >= 5) {
		qt->src.family = qt->dst.family = AF_INET;
		off = (v & 0x0f) * 4u;
	} else if (v >> 4 == 6 && db_u8(q, 6, &qt->proto) == 0 &&
	    db_bytes(q, 8, 16, qt->src.addr) == 0 &&
	    db_bytes(q, 24, 16, qt->dst.addr) == 0) {
		qt->src.family = qt->dst.family = AF_INET6;
		off = 40;
	} else
		return;
	qt->valid = 1;
	if ((qt->proto == IPPROTO_TCP || qt->proto == IPPROTO_UDP) &&
	    db_u16(q, off, &qt->sport) == 0 &&
	    db_u16(q, off + 2, &qt->dport) == 0) {
		qt->has_ports = 1;
		if (qt->proto == IPPROTO_TCP)
			db_u32(q, off + 4, &qt->seq);
	} else if (decode_quote_echo(q, off, v >> 4 == 6, qt) == 0)
		qt->has_ports = 1;
}

/*
 * ICMP (RFC 792) and ICMPv6 (RFC 4443 2.1): echo carries an identifier,
 * errors quote the datagram that caused them.
 */
static int
decode_icmp(const struct dbuf *t, uint32_t wire, struct decode_pkt *pk)
{
	struct dbuf	 q = { NULL, 0 };
	int		 v6 = pk->proto == IPPROTO_ICMPV6;
	uint16_t	 echo_seq;
	uint8_t		 ty;

	if (db_u8(t, 0, &pk->icmp_type) == -1 ||
	    db_u8(t, 1, &pk->icmp_code) == -1 || t->len < 8) {
		if (wire < 8)
			return stop(pk, DECODE_INVALID, "icmp",
			    "message shorter than an icmp header");
		return stop(pk, DECODE_TRUNCATED, "icmp", "icmp header");
	}
	ty = pk->icmp_type;
	if (v6 ? (ty == 128 || ty == 129) : (ty == 0 || ty == 8)) {
		pk->icmp_echo = 1;
		db_u16(t, 4, &pk->sport);
		pk->dport = pk->sport;
		if (db_u16(t, 6, &echo_seq) == 0)
			pk->seq = echo_seq;
	} else if (v6 ? ty < 128 : (ty == 3 || ty == 4 || ty == 5 ||
	    ty == 11 || ty == 12)) {
		pk->icmp_error = 1;
		db_sub(t, 8, (size_t)-1, &q);
		decode_quote(&q, &pk->quote);
	}
	pk->paylen = wire - 8;
	db_sub(t, 8, pk->paylen, &q);
	pk->payload = q.p;
	pk->paycap = (uint32_t)q.len;
	return DECODE_OK;
}

/* Hand the transport bytes to their decoder. */
static int
decode_transport(const struct dbuf *t, uint32_t wire, struct decode_pkt *pk)
{
	switch (pk->proto) {
	case IPPROTO_TCP:
		return decode_tcp(t, wire, pk);
	case IPPROTO_UDP:
		return decode_udp(t, wire, pk);
	case IPPROTO_ICMP:
		if (pk->src.family != AF_INET)
			break;
		return decode_icmp(t, wire, pk);
	case IPPROTO_ICMPV6:
		if (pk->src.family != AF_INET6)
			break;
		return decode_icmp(t, wire, pk);
	}
	return stop(pk, DECODE_UNSUPPORTED, "ip", "transport protocol");
}
