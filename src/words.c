/*
 * words.c: the words of tracker events that the ladder and the picture
 * share (words.h).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "words.h"

/* "a.b.c.d" or "x::y" into buf. */
const char *
words_addr(const struct decode_addr *a, char *buf, size_t len)
{
	inet_ntop(a->family == AF_INET6 ? AF_INET6 : AF_INET, a->addr, buf,
	    (socklen_t)len);
	return buf;
}

/* "a.b.c.d:port" or "[x::y]:port" into buf. */
static const char *
fmt_ep(const struct decode_addr *a, uint16_t port, char *buf, size_t len)
{
	char	 s[INET6_ADDRSTRLEN];

	words_addr(a, s, sizeof s);
	snprintf(buf, len, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u", s,
	    port);
	return buf;
}

void
words_endpoint(const struct track_conv *c, int e, char *buf, size_t len)
{
	if (c->proto == IPPROTO_TCP || c->proto == IPPROTO_UDP)
		fmt_ep(&c->end[e].addr, c->end[e].port, buf, len);
	else		/* ICMP: the echo identifier is in the labels */
		words_addr(&c->end[e].addr, buf, len);
}

int
words_is_here(const struct words_here *h, const struct track_end *e)
{
	static const uint8_t	 any[16];

	if (!h->known || e->port != h->port)
		return 0;
	/* Bound to the wildcard (a failed connect): the port decides. */
	return memcmp(h->addr.addr, any, 16) == 0 ||
	    memcmp(e->addr.addr, h->addr.addr, 16) == 0;
}


void
words_cat(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (*off >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n < len - *off ? (size_t)n : len - *off - 1;
}

/*
 * Append the n bytes s to buf as words_cat() would "%.*s": cut where buf
 * ends, always NUL-terminated.
 */
static void
words_put(char *buf, size_t len, size_t *off, const char *s, size_t n)
{
	if (*off >= len)
		return;
	if (n > len - *off - 1)
		n = len - *off - 1;
	memcpy(buf + *off, s, n);
	*off += n;
	buf[*off] = '\0';
}

/*
 * Escaped byte by byte without a printf each: a data phase quotes every
 * packet's preview, whether or not its line is drawn.
 */
void
words_quote(char *buf, size_t len, size_t *off, const uint8_t *p, size_t n,
    size_t max)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i, m = n < max ? n : max;
	char			 e[4];
	uint8_t			 ch;

	words_put(buf, len, off, " \"", 2);
	for (i = 0; i < m && *off + 1 < len; i++) {
		ch = p[i];
		e[0] = '\\';
		if (ch == '\n' || ch == '\r' || ch == '\t') {
			e[1] = ch == '\n' ? 'n' : ch == '\r' ? 'r' : 't';
			words_put(buf, len, off, e, 2);
		} else if (ch == '"' || ch == '\\') {
			e[1] = (char)ch;
			words_put(buf, len, off, e, 2);
		} else if (ch >= 0x20 && ch < 0x7f)
			words_put(buf, len, off, (const char *)&p[i], 1);
		else {
			e[1] = 'x';
			e[2] = hex[ch >> 4];
			e[3] = hex[ch & 0xf];
			words_put(buf, len, off, e, 4);
		}
	}
	words_put(buf, len, off, "\"...", n > m ? 4 : 1);
}

/* The payload preview: at most n captured bytes, C-escaped, quoted. */
static void
cat_preview(char *buf, size_t len, size_t *off, const struct decode_pkt *pk,
    int n)
{
	words_quote(buf, len, off, pk->payload, pk->paylen, pk->paycap <
	    (uint32_t)n ? pk->paycap : (size_t)n);
}

void
words_flags(char *buf, size_t len, size_t *off, uint8_t f)
{
	static const struct { uint8_t bit; const char *name; } names[] = {
		{ DECODE_SYN, "SYN" }, { DECODE_FIN, "FIN" },
		{ DECODE_RST, "RST" }, { DECODE_PSH, "PSH" },
		{ DECODE_ACK, "ACK" }, { DECODE_URG, "URG" },
		{ DECODE_ECE, "ECE" }, { DECODE_CWR, "CWR" },
	};
	size_t	 i;
	int	 first = 1;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(f & names[i].bit))
			continue;
		words_cat(buf, len, off, "%s%s", first ? "" : ",",
		    names[i].name);
		first = 0;
	}
	if (first)
		words_cat(buf, len, off, "none");
}

int
words_scale_unknown(const struct track_conv *c)
{
	return c->scale_unknown && !(c->end[0].has_ws && c->end[1].has_ws);
}

/* The options of an arrow label; SACK blocks relative like ack=. */
static void
label_tcp_options(const struct decode_tcpopt *op, const struct track_event *ev,
    char *buf, size_t len, size_t *off)
{
	int	 i;

	if (op->has_mss)
		words_cat(buf, len, off, " mss=%u", op->mss);
	if (op->has_ws)
		words_cat(buf, len, off, " ws=%u", op->ws);
	if (op->sack_ok)
		words_cat(buf, len, off, " sack");
	if (op->has_ts && (ev->pkt->flags & DECODE_SYN))
		words_cat(buf, len, off, " ts");
	for (i = 0; i < op->nsack && i < TRACK_MAX_SACK; i++)
		words_cat(buf, len, off, "%s%u:%u", i ? "," : " sack=",
		    ev->sack[i][0], ev->sack[i][1]);
	if (op->has_tfo && op->tfo_len == 0)
		words_cat(buf, len, off, " tfo-cookie-request");
	else if (op->has_tfo) {
		words_cat(buf, len, off, " tfo-cookie=");
		for (i = 0; i < op->tfo_len; i++)
			words_cat(buf, len, off, "%02x", op->tfo_cookie[i]);
	}
	if (op->cut)
		words_cat(buf, len, off, " [|tcp]");
}

/* The TCP part of an arrow label: flags, numbers, window, options. */
static void
label_tcp(int preview, const struct track_event *ev, char *buf, size_t len,
    size_t *off)
{
	const struct decode_pkt	*pk = ev->pkt;
	const struct decode_tcpopt *op = &pk->opt;

	words_flags(buf, len, off, pk->flags);
	if (pk->paylen > 0 && (pk->flags & DECODE_SYN))	/* TFO */
		words_cat(buf, len, off, " seq=%u data=%u:%u len=%u", ev->rseq,
		    ev->rseq + 1, ev->rseq + 1 + pk->paylen, pk->paylen);
	else if (pk->paylen > 0)
		words_cat(buf, len, off, " seq=%u:%u len=%u", ev->rseq,
		    ev->rseq + pk->paylen, pk->paylen);
	else if (ev->seglen > 0 || (pk->flags & DECODE_RST) || ev->probe)
		words_cat(buf, len, off, " seq=%u", ev->rseq);
	if (pk->flags & DECODE_ACK)
		words_cat(buf, len, off, " ack=%u", ev->rack);
	if (ev->show_isn)
		words_cat(buf, len, off, " (ISN %u)", pk->seq);
	words_cat(buf, len, off, " win=%" PRIu64 "%s", ev->win,
	    words_scale_unknown(ev->conv) && !(pk->flags & DECODE_SYN) ?
	    " (scale unknown)" : "");
	label_tcp_options(op, ev, buf, len, off);
	/* TLS bytes are said by their records (track_event.tls). */
	if (pk->paycap > 0 && preview > 0 && ev->tls == NULL)
		cat_preview(buf, len, off, pk, preview);
}

void
words_label(const struct track_event *ev, int preview, char *buf,
    size_t len)
{
	const struct decode_pkt	*pk = ev->pkt;
	const char		*name;
	size_t			 off = 0;

	buf[0] = '\0';
	if (pk->proto == IPPROTO_TCP) {
		label_tcp(preview, ev, buf, len, &off);
		return;
	}
	if (pk->proto == IPPROTO_UDP) {
		words_cat(buf, len, &off, "UDP len=%u", pk->paylen);
		if (pk->paycap > 0 && preview > 0)
			cat_preview(buf, len, &off, pk, preview);
		return;
	}
	name = track_icmp_name(pk->proto == IPPROTO_ICMPV6, pk->icmp_type,
	    pk->icmp_code);
	words_cat(buf, len, &off, "ICMP%s %s", pk->proto == IPPROTO_ICMPV6 ?
	    "v6" : "", name ? name : "message");
	if (name == NULL)
		words_cat(buf, len, &off, " type=%u code=%u", pk->icmp_type,
		    pk->icmp_code);
	if (pk->icmp_echo)
		words_cat(buf, len, &off, " id=%u seq=%u len=%u", pk->sport,
		    pk->seq, pk->paylen);
}


void
words_how(const struct track_conv *c, int closer_local, char *buf,
    size_t len)
{
	const char	*who = c->closer == 1 ? "B" : "A";
	const char	*here = closer_local ? " (this host)" : "";

	if (c->proto != IPPROTO_TCP)
		snprintf(buf, len, "%s", c->end[1].pkts > c->end[1].icmp_errs ?
		    "both sides sent" : c->end[1].icmp_errs > 0 ?
		    "answered by ICMP errors only" : "no reply seen");
	else if (c->how == TRACK_REFUSED)
		snprintf(buf, len, "refused by %s%s (%s)", who, here,
		    c->end[c->closer].rst ? "RST answering the SYN" :
		    "ICMP unreachable");
	else if (c->how == TRACK_UNREACH)
		snprintf(buf, len, "unreachable: ICMP %s", track_icmp_name(
		    c->end[0].addr.family == AF_INET6, c->icmp_type,
		    c->icmp_code) ? track_icmp_name(c->end[0].addr.family ==
		    AF_INET6, c->icmp_type, c->icmp_code) : "error");
	else if (c->how == TRACK_RST)
		snprintf(buf, len, "aborted by %s%s (RST)", who, here);
	else if (c->how == TRACK_FIN && c->close_done)
		snprintf(buf, len, "closed by %s%s (FIN first), %s", who, here,
		    c->simultaneous ? "simultaneous close" : c->piggyback ?
		    "3-segment close" : c->final_ack_pure ? "4-segment close" :
		    "both FINs acknowledged");
	else if (c->how == TRACK_FIN && c->end[0].fin && c->end[1].fin)
		snprintf(buf, len, "closed by %s%s (FIN first), final ACK not "
		    "observed", who, here);
	else if (c->how == TRACK_FIN && c->end[c->closer].called_close)
		snprintf(buf, len, "closed by %s%s (close(), FIN), no FIN back "
		    "observed", who, here);
	else if (c->how == TRACK_FIN)
		snprintf(buf, len, "half-closed by %s%s (FIN), no FIN back "
		    "observed", who, here);
	else if (c->end[0].syn && !c->end[1].synack)
		snprintf(buf, len, "no answer: %u SYN%s, timed out or dropped",
		    c->end[0].syns, c->end[0].syns == 1 ? "" : "s");
	else
		snprintf(buf, len, "still open at the end of the capture");
}

const char *
words_bytes(uint64_t n, char *buf, size_t len)
{
	if (n < 1024)
		snprintf(buf, len, "%" PRIu64 " byte%s", n, n == 1 ? "" : "s");
	else if (n < 1024 * 1024)
		snprintf(buf, len, "%.1f KiB (%" PRIu64 " bytes)", n / 1024.0,
		    n);
	else if (n < 1024ULL * 1024 * 1024)
		snprintf(buf, len, "%.1f MiB (%" PRIu64 " bytes)",
		    n / 1048576.0, n);
	else
		snprintf(buf, len, "%.2f GiB (%" PRIu64 " bytes)",
		    n / 1073741824.0, n);
	return buf;
}

/*
 * UDP and ICMP have no sequence numbers: neither delivered bytes nor
 * retransmissions can be told, so their counts say neither.
 */
size_t
words_counts(const struct track_conv *c, char *buf, size_t len)
{
	const struct track_end	*e = c->end;
	char			 a[64], b[64];
	size_t			 off = 0, head;
	uint64_t		 re = e[0].retrans + e[1].retrans;

	buf[0] = '\0';
	words_cat(buf, len, &off, "%" PRIu64 " packet%s (A %" PRIu64 ", B %"
	    PRIu64 ")", e[0].pkts + e[1].pkts, e[0].pkts + e[1].pkts == 1 ?
	    "" : "s", e[0].pkts, e[1].pkts);
	head = off;
	if (c->proto != IPPROTO_TCP) {
		words_cat(buf, len, &off, ", A->B %s, B->A %s", words_bytes(
		    e[0].bytes, a, sizeof a), words_bytes(e[1].bytes, b,
		    sizeof b));
		return head;
	}
	words_cat(buf, len, &off, ", A->B delivered %s, on the wire %s",
	    words_bytes(track_delivered(c, 0), a, sizeof a),
	    words_bytes(e[0].bytes, b, sizeof b));
	words_cat(buf, len, &off, "; B->A delivered %s, on the wire %s",
	    words_bytes(track_delivered(c, 1), a, sizeof a),
	    words_bytes(e[1].bytes, b, sizeof b));
	words_cat(buf, len, &off, "; %" PRIu64 " retransmission%s", re,
	    re == 1 ? "" : "s");
	return head;
}
