/*
 * track.c: conversations, relative sequence numbers, TCP states and the
 * notes that explain a ladder.
 *
 * A conversation is keyed by protocol and its two endpoints in a fixed
 * order, so both directions find the same entry; addresses are always 16
 * bytes with the family beside them, so IPv4 and IPv6 share every line of
 * code.  The table is a hash with a least-recently-used list: when it is
 * full the oldest conversation ends (its verdict is given) and is freed.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <arpa/inet.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "track.h"

#define TRACK_DEFAULT_MAX	16384
#define MS			1000000LL	/* nanoseconds */
#define DELAYED_ACK_MIN		(10 * MS)

/* The ordered key: both directions of a conversation make the same one. */
struct track_key {
	uint8_t		 proto, family;
	uint16_t	 port[2];
	uint8_t		 addr[2][16];
};

struct track {
	struct track_conv **bucket;
	size_t		 nbucket, n, max;
	struct track_conv *oldest, *newest;
	uint64_t	 next_id, frames;
};

/* Sequence-space comparisons (RFC 9293 3.4): a before b. */
#define SEQ_LT(a, b)	((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b)	((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)

static const char *state_names[] = {
	"?", "CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED",
	"FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK",
	"TIME_WAIT",
};

const char *
track_state_name(enum track_state s)
{
	if ((size_t)s >= sizeof state_names / sizeof state_names[0])
		return "?";
	return state_names[s];
}

struct track *
track_new(size_t max)
{
	struct track	*tr;

	if ((tr = calloc(1, sizeof *tr)) == NULL)
		return NULL;
	tr->max = max ? max : TRACK_DEFAULT_MAX;
	tr->nbucket = 64;
	while (tr->nbucket < tr->max * 2)
		tr->nbucket *= 2;
	if ((tr->bucket = calloc(tr->nbucket, sizeof *tr->bucket)) == NULL) {
		free(tr);
		return NULL;
	}
	tr->next_id = 1;
	return tr;
}

/* Compare endpoint (a, pa) with (b, pb): <0, 0, >0. */
static int
ep_cmp(const struct decode_addr *a, uint16_t pa, const struct decode_addr *b,
    uint16_t pb)
{
	int	 c = memcmp(a->addr, b->addr, sizeof a->addr);

	if (c != 0)
		return c;
	return (int)pa - (int)pb;
}

/* Build the key of a packet from src to dst; *swapped says src is second. */
static void
make_key(struct track_key *k, uint8_t proto, const struct decode_addr *src,
    uint16_t sp, const struct decode_addr *dst, uint16_t dp, int *swapped)
{
	const struct decode_addr *a = src, *b = dst;
	uint16_t		 pa = sp, pb = dp;

	memset(k, 0, sizeof *k);
	*swapped = ep_cmp(src, sp, dst, dp) > 0;
	if (*swapped) {
		a = dst; b = src; pa = dp; pb = sp;
	}
	k->proto = proto;
	k->family = a->family;
	k->port[0] = pa;
	k->port[1] = pb;
	memcpy(k->addr[0], a->addr, 16);
	memcpy(k->addr[1], b->addr, 16);
}

/* FNV-1a over the key bytes. */
static uint32_t
key_hash(const struct track_key *k)
{
	const uint8_t	*p = (const uint8_t *)k;
	uint32_t	 h = 2166136261u;
	size_t		 i;

	for (i = 0; i < sizeof *k; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* Whether conv c has key k. */
static int
conv_has_key(const struct track_conv *c, const struct track_key *k)
{
	struct track_key ck;
	int		 sw;

	make_key(&ck, c->proto, &c->end[0].addr, c->end[0].port,
	    &c->end[1].addr, c->end[1].port, &sw);
	return memcmp(&ck, k, sizeof ck) == 0;
}

/* Unlink c from the age list. */
static void
lru_unlink(struct track *tr, struct track_conv *c)
{
	if (c->older != NULL)
		c->older->newer = c->newer;
	else
		tr->oldest = c->newer;
	if (c->newer != NULL)
		c->newer->older = c->older;
	else
		tr->newest = c->older;
	c->older = c->newer = NULL;
}

/* Put c at the young end of the age list. */
static void
lru_push(struct track *tr, struct track_conv *c)
{
	c->older = tr->newest;
	c->newer = NULL;
	if (tr->newest != NULL)
		tr->newest->newer = c;
	else
		tr->oldest = c;
	tr->newest = c;
}

/* Remove c from the table, give its verdict and free it. */
static void
conv_end(struct track *tr, struct track_conv *c, track_cb cb, void *arg)
{
	struct track_conv	**pp;
	struct track_event	  ev;

	for (pp = &tr->bucket[c->hash & (tr->nbucket - 1)]; *pp != NULL;
	    pp = &(*pp)->hnext) {
		if (*pp == c) {
			*pp = c->hnext;
			break;
		}
	}
	lru_unlink(tr, c);
	tr->n--;
	memset(&ev, 0, sizeof ev);
	ev.kind = TRACK_EV_END;
	ev.conv = c;
	ev.ts = c->last_ts;
	ev.state[0] = c->end[0].state;
	ev.state[1] = c->end[1].state;
	cb(arg, &ev);
	free(c);
}

/*
 * Find the conversation of (proto, src:sp, dst:dp), creating it with src
 * as end[0] if there is none (evicting the oldest when full).  Returns it
 * with *dir set to the index of src, or NULL when out of memory.
 */
static struct track_conv *
conv_lookup(struct track *tr, uint8_t proto, const struct decode_addr *src,
    uint16_t sp, const struct decode_addr *dst, uint16_t dp, int *dir,
    track_cb cb, void *arg)
{
	struct track_key	 k;
	struct track_conv	*c;
	uint32_t		 h;
	int			 sw;

	make_key(&k, proto, src, sp, dst, dp, &sw);
	h = key_hash(&k);
	for (c = tr->bucket[h & (tr->nbucket - 1)]; c != NULL; c = c->hnext) {
		if (c->hash == h && conv_has_key(c, &k)) {
			*dir = ep_cmp(&c->end[0].addr, c->end[0].port, src,
			    sp) == 0 ? 0 : 1;
			lru_unlink(tr, c);
			lru_push(tr, c);
			return c;
		}
	}
	if (tr->n >= tr->max && tr->oldest != NULL)
		conv_end(tr, tr->oldest, cb, arg);
	if ((c = calloc(1, sizeof *c)) == NULL)
		return NULL;
	c->id = tr->next_id++;
	c->proto = proto;
	c->end[0].addr = *src;
	c->end[0].port = sp;
	c->end[1].addr = *dst;
	c->end[1].port = dp;
	c->rtt = -1;
	c->closer = -1;
	c->hash = h;
	c->hnext = tr->bucket[h & (tr->nbucket - 1)];
	tr->bucket[h & (tr->nbucket - 1)] = c;
	lru_push(tr, c);
	tr->n++;
	*dir = 0;
	return c;
}

/* Add a note to ev (dropped silently when there is no room). */
static void
note(struct track_event *ev, int warn, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void
note(struct track_event *ev, int warn, const char *fmt, ...)
{
	va_list	 ap;

	if (ev->nnotes >= TRACK_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(ev->notes[ev->nnotes].text, TRACK_NOTE_LEN, fmt, ap);
	va_end(ap);
	ev->notes[ev->nnotes++].warn = warn;
}

/*
 * Learn each side's base for relative numbers: the ISN from a SYN, else
 * (mid-stream) one before the first sequence number seen, so that data
 * starts at 1 as it would after a SYN.
 */
static void
tcp_bases(struct track_conv *c, int d, const struct decode_pkt *pk,
    struct track_event *ev)
{
	struct track_end	*s = &c->end[d], *r = &c->end[!d];

	if (pk->flags & DECODE_SYN) {
		if (!s->isn_known || s->isn != pk->seq)
			s->isn_shown = 0;
		s->isn_known = s->base_known = 1;
		s->isn = s->base = pk->seq;
		ev->show_isn = !s->isn_shown;
		s->isn_shown = 1;
	} else if (!s->base_known) {
		s->base_known = 1;
		s->base = pk->seq - 1;
		if (!s->isn_known)
			c->midstream = 1;
	}
	if ((pk->flags & DECODE_ACK) && !r->base_known) {
		r->base_known = 1;
		r->base = pk->ack - 1;
	}
	ev->rseq = pk->seq - s->base;
	ev->rack = (pk->flags & DECODE_ACK) ? pk->ack - r->base : 0;
}

/* SYN retransmissions and their back-off. */
static void
tcp_syn_retry(struct track_conv *c, int d, int64_t ts,
    const struct decode_pkt *pk, struct track_event *ev)
{
	struct track_end	*s = &c->end[d];
	int64_t			 gap;

	if (s->syns > 0 && pk->seq == s->isn) {
		gap = ts - s->syn_ts;
		if (s->syn_gap > 0)
			note(ev, 1, "SYN retransmission #%u, %.3f s after the "
			    "previous (back-off x%.1f)", s->syns,
			    gap / 1e9, (double)gap / (double)s->syn_gap);
		else
			note(ev, 1, "SYN retransmission #%u, %.3f s after the "
			    "first SYN", s->syns, gap / 1e9);
		s->retrans++;
		ev->retrans = 1;
		s->syn_gap = gap;
	}
	s->syns++;
	s->syn_ts = ts;
}

/*
 * Sequence checks for a segment that uses sequence space: retransmission,
 * a gap (a segment the capture did not see), out-of-order arrival.
 */
static void
tcp_seq_checks(struct track_conv *c, int d, int64_t ts,
    const struct decode_pkt *pk, struct track_event *ev)
{
	struct track_end	*s = &c->end[d];
	uint32_t		 end = pk->seq + ev->seglen;

	if ((pk->flags & (DECODE_SYN | DECODE_ACK)) == DECODE_SYN)
		tcp_syn_retry(c, d, ts, pk, ev);
	else if (ev->seglen > 0 && s->snd_init && SEQ_LT(pk->seq, s->snd_max)) {
		if (s->has_hole && SEQ_LEQ(s->hole_lo, pk->seq) &&
		    SEQ_LEQ(end, s->hole_hi)) {
			note(ev, 1, "out of order: fills a gap of the stream");
			ev->ooo = 1;
			s->ooo++;
			if (pk->seq == s->hole_lo)
				s->hole_lo = end;
			if (!SEQ_LT(s->hole_lo, s->hole_hi))
				s->has_hole = 0;
		} else if (!(pk->flags & DECODE_SYN)) {
			note(ev, 1, "retransmission of %u:%u",
			    pk->seq - s->base, end - s->base);
			s->retrans++;
			ev->retrans = 1;
		}
	} else if (ev->seglen > 0 && s->snd_init &&
	    SEQ_LT(s->snd_max, pk->seq)) {
		note(ev, 1, "gap: %u bytes before this segment were not "
		    "captured (lost or out of order)", pk->seq - s->snd_max);
		s->has_hole = 1;
		s->hole_lo = s->snd_max;
		s->hole_hi = pk->seq;
	}
	if (!s->snd_init || SEQ_LT(s->snd_max, end)) {
		s->snd_max = end;
		s->snd_init = 1;
	}
	if (ev->seglen > 0)
		s->seg_ts = ts;
}

/* Duplicate ACKs, delayed ACKs and zero windows, from a sender's ACKs. */
static void
tcp_ack_checks(struct track_conv *c, int d, int64_t ts,
    const struct decode_pkt *pk, struct track_event *ev)
{
	struct track_end	*s = &c->end[d], *r = &c->end[!d];
	int			 pure = ev->seglen == 0 &&
				    !(pk->flags & DECODE_RST);
	int64_t			 gap;

	if (!(pk->flags & DECODE_ACK) || (pk->flags & DECODE_RST))
		return;
	if (pure && s->ack_seen && pk->ack == s->last_ack &&
	    pk->win == s->last_win && r->snd_init &&
	    SEQ_LT(pk->ack, r->snd_max)) {
		s->dupacks++;
		s->dupack_total++;
		note(ev, 1, "duplicate ACK #%u", s->dupacks);
		ev->dupack = 1;
	} else
		s->dupacks = 0;
	gap = ts - r->seg_ts;
	if (pure && r->seg_ts > 0 && s->tx_ts < r->seg_ts &&
	    (!s->ack_seen || SEQ_LT(s->last_ack, pk->ack)) &&
	    gap >= DELAYED_ACK_MIN && (c->rtt < 0 || gap / 4 > c->rtt))
		note(ev, 0, "delayed ACK, +%.1f ms", gap / 1e6);
	if (pk->win == 0 && !s->zero_win) {
		note(ev, 1, "zero window: %s cannot take more data",
		    d == 0 ? "A" : "B");
		s->zero_wins++;
		ev->zerowin = 1;
	}
	s->zero_win = pk->win == 0;
	s->ack_seen = 1;
	s->last_ack = pk->ack;
	s->last_win = pk->win;
}

/* The effect of an ACK from end d on the other end's SYN and FIN. */
static void
tcp_ack_states(struct track_conv *c, int d, const struct decode_pkt *pk)
{
	struct track_end	*s = &c->end[d], *r = &c->end[!d];

	if (!(pk->flags & DECODE_ACK))
		return;
	if (r->fin && !r->fin_acked && SEQ_LT(r->fin_seq, pk->ack)) {
		r->fin_acked = 1;
		if (c->closer == !d && !c->fin_ack_seen) {
			c->fin_ack_seen = 1;
			c->piggyback = (pk->flags & DECODE_FIN) != 0;
		}
		if (r->state == TRACK_FIN_WAIT_1)
			r->state = TRACK_FIN_WAIT_2;
		else if (r->state == TRACK_CLOSING)
			r->state = TRACK_TIME_WAIT;
		else if (r->state == TRACK_LAST_ACK)
			r->state = TRACK_CLOSED;
	}
	if (r->state == TRACK_SYN_RECEIVED && r->isn_known &&
	    SEQ_LT(r->isn, pk->ack))
		r->state = TRACK_ESTABLISHED;
	if (s->state == TRACK_SYN_SENT && r->synack)
		s->state = TRACK_ESTABLISHED;
}

/* A FIN from end d: its own state and what receiving it does. */
static void
tcp_fin_states(struct track_conv *c, int d, const struct decode_pkt *pk)
{
	struct track_end	*s = &c->end[d], *r = &c->end[!d];

	if (s->fin)
		return;			/* a retransmitted FIN changes nothing */
	s->fin = 1;
	s->fin_seq = pk->seq + pk->paylen;
	if (c->closer < 0) {
		c->closer = d;
		c->how = TRACK_FIN;
	}
	if (r->fin && !r->fin_acked) {
		c->simultaneous = 1;	/* sent before it saw the other FIN */
		s->state = TRACK_CLOSING;
		if (r->state == TRACK_FIN_WAIT_1)
			r->state = TRACK_CLOSING;
		return;
	}
	s->state = s->state == TRACK_CLOSE_WAIT ||	/* or by close() */
	    s->state == TRACK_LAST_ACK ? TRACK_LAST_ACK :
	    TRACK_FIN_WAIT_1;
	if (r->state == TRACK_FIN_WAIT_2)
		r->state = TRACK_TIME_WAIT;
	else if (r->state == TRACK_FIN_WAIT_1)
		r->state = TRACK_CLOSING;
	else if (!r->fin)
		r->state = TRACK_CLOSE_WAIT;
}

/* A RST from end d: refused (it answers a SYN) or aborted. */
static void
tcp_rst(struct track_conv *c, int d, struct track_event *ev)
{
	struct track_end	*s = &c->end[d], *r = &c->end[!d];
	int			 was_closed = track_end_closed(c, 0) &&
				    track_end_closed(c, 1);

	s->rst = 1;
	if (r->state == TRACK_SYN_SENT && !s->synack) {
		note(ev, 1, "refused: RST answering the SYN (nothing listens "
		    "on port %u)", s->port);
		c->how = TRACK_REFUSED;
		c->closer = d;
	} else if (!was_closed) {
		if (s->state == TRACK_SYN_RECEIVED ||
		    r->state == TRACK_SYN_RECEIVED)
			note(ev, 1, "aborted: RST before the handshake "
			    "completed");
		else
			note(ev, 1, "aborted: RST in the middle of the "
			    "connection");
		if (c->how != TRACK_REFUSED) {
			c->how = TRACK_RST;
			c->closer = d;
		}
	} else
		note(ev, 0, "RST after the close");
	s->state = r->state = TRACK_CLOSED;
}

/* The note for a close once both FINs are acknowledged. */
static void
tcp_close_note(struct track_conv *c, struct track_event *ev)
{
	if (c->close_done || !c->end[0].fin || !c->end[1].fin ||
	    !c->end[0].fin_acked || !c->end[1].fin_acked)
		return;
	c->close_done = 1;
	if (c->simultaneous)
		note(ev, 0, "simultaneous close: the FINs crossed, both ends "
		    "go through CLOSING to TIME_WAIT");
	else if (c->piggyback)
		note(ev, 0, "3-segment close: the ACK of the first FIN rode "
		    "on the second FIN");
	else
		note(ev, 0, "4-segment close: FIN, ACK, FIN, ACK");
}

/* SYN and SYN,ACK: opening states and the handshake RTT. */
static void
tcp_syn_states(struct track_conv *c, int d, int64_t ts,
    const struct decode_pkt *pk, struct track_event *ev)
{
	struct track_end	*s = &c->end[d], *r = &c->end[!d];

	if (pk->opt.has_ws) {
		s->has_ws = 1;
		s->ws = pk->opt.ws > 14 ? 14 : pk->opt.ws;
	}
	if (!(pk->flags & DECODE_ACK)) {
		s->syn = 1;
		s->state = TRACK_SYN_SENT;
		if (r->state == TRACK_UNKNOWN || r->state == TRACK_CLOSED)
			r->state = TRACK_LISTEN;
		return;
	}
	if (!s->synack && r->syns > 0 && c->rtt < 0) {
		c->rtt = ts - r->syn_ts;
		note(ev, 0, "handshake RTT %.3f ms (SYN to SYN,ACK)",
		    c->rtt / 1e6);
	}
	s->synack = 1;
	if (s->state == TRACK_UNKNOWN || s->state == TRACK_LISTEN ||
	    s->state == TRACK_CLOSED)
		s->state = TRACK_SYN_RECEIVED;
}

/* The window as the receiver reads it: scaled once both sides agreed. */
static uint64_t
tcp_window(const struct track_conv *c, int d, const struct decode_pkt *pk)
{
	const struct track_end	*s = &c->end[d];

	if ((pk->flags & DECODE_SYN) || !s->has_ws || !c->end[!d].has_ws)
		return pk->win;
	return (uint64_t)pk->win << s->ws;
}

/* One TCP segment from end d of c: numbers, checks, states, notes. */
static void
tcp_packet(struct track_conv *c, int d, int64_t ts,
    const struct decode_pkt *pk, struct track_event *ev)
{
	struct track_end	*s = &c->end[d];
	enum track_state	 before[2] = { c->end[0].state, c->end[1].state };
	int			 i;

	ev->seglen = pk->paylen + !!(pk->flags & DECODE_SYN) +
	    !!(pk->flags & DECODE_FIN);
	tcp_bases(c, d, pk, ev);
	tcp_seq_checks(c, d, ts, pk, ev);
	tcp_ack_checks(c, d, ts, pk, ev);
	if (pk->flags & DECODE_RST)
		tcp_rst(c, d, ev);
	else {
		tcp_ack_states(c, d, pk);
		if (pk->flags & DECODE_SYN)
			tcp_syn_states(c, d, ts, pk, ev);
		if (pk->flags & DECODE_FIN)
			tcp_fin_states(c, d, pk);
		tcp_close_note(c, ev);
	}
	ev->win = tcp_window(c, d, pk);
	s->tx_ts = ts;
	for (i = 0; i < 2; i++) {
		ev->state[i] = c->end[i].state;
		ev->changed[i] = before[i] != c->end[i].state;
	}
}

static const struct {
	int		 v6;
	uint8_t		 type;
	int		 code;		/* -1: any */
	const char	*name;
} icmp_names[] = {
	{ 0, 0, -1, "echo reply" }, { 0, 8, -1, "echo request" },
	{ 0, 3, 0, "net unreachable" }, { 0, 3, 1, "host unreachable" },
	{ 0, 3, 2, "protocol unreachable" }, { 0, 3, 3, "port unreachable" },
	{ 0, 3, 4, "fragmentation needed" },
	{ 0, 3, 13, "administratively prohibited" },
	{ 0, 3, -1, "destination unreachable" }, { 0, 4, -1, "source quench" },
	{ 0, 5, -1, "redirect" }, { 0, 11, -1, "time exceeded" },
	{ 0, 12, -1, "parameter problem" },
	{ 1, 1, 1, "administratively prohibited" },
	{ 1, 1, 3, "address unreachable" }, { 1, 1, 4, "port unreachable" },
	{ 1, 1, -1, "destination unreachable" }, { 1, 2, -1, "packet too big" },
	{ 1, 3, -1, "time exceeded" }, { 1, 4, -1, "parameter problem" },
	{ 1, 128, -1, "echo request" }, { 1, 129, -1, "echo reply" },
	{ 1, 133, -1, "router solicitation" },
	{ 1, 134, -1, "router advertisement" },
	{ 1, 135, -1, "neighbor solicitation" },
	{ 1, 136, -1, "neighbor advertisement" },
};

/* A name for an ICMP or ICMPv6 type and code; NULL when we have none. */
const char *
track_icmp_name(int v6, uint8_t type, uint8_t code)
{
	size_t	 i;

	for (i = 0; i < sizeof icmp_names / sizeof icmp_names[0]; i++)
		if (icmp_names[i].v6 == v6 && icmp_names[i].type == type &&
		    (icmp_names[i].code < 0 || icmp_names[i].code == code))
			return icmp_names[i].name;
	return NULL;
}

/*
 * Place an ICMP error in the conversation of the datagram it quotes, drawn
 * back towards that datagram's sender.  Returns the conversation, or NULL
 * when the quote cannot be placed.
 */
static struct track_conv *
icmp_error_conv(struct track *tr, const struct decode_pkt *pk, int *dir,
    struct track_event *ev, track_cb cb, void *arg)
{
	const struct decode_quote	*q = &pk->quote;
	struct track_conv		*c;
	const char			*name;
	char				 from[64];
	int				 port_unreach;

	if (!q->valid)
		return NULL;
	c = conv_lookup(tr, q->proto, &q->src, q->sport, &q->dst, q->dport,
	    dir, cb, arg);
	if (c == NULL)
		return NULL;
	*dir = !*dir;			/* it travels from dst back to src */
	ev->icmp_back = 1;
	c->end[*dir].icmp_errs++;
	name = track_icmp_name(pk->proto == IPPROTO_ICMPV6, pk->icmp_type,
	    pk->icmp_code);
	if (memcmp(pk->src.addr, q->dst.addr, 16) != 0) {
		inet_ntop(pk->src.family, pk->src.addr, from, sizeof from);
		note(ev, 1, "ICMP %s from %s (on the path), about a datagram "
		    "of this conversation", name ? name : "error", from);
	} else
		note(ev, 1, "ICMP %s about a datagram of this conversation",
		    name ? name : "error");
	port_unreach = pk->proto == IPPROTO_ICMP ? pk->icmp_type == 3 &&
	    pk->icmp_code == 3 : pk->icmp_type == 1 && pk->icmp_code == 4;
	if (q->proto == IPPROTO_TCP && c->end[!*dir].state == TRACK_SYN_SENT &&
	    c->how == TRACK_OPEN) {
		c->how = port_unreach ? TRACK_REFUSED : TRACK_UNREACH;
		c->icmp_type = pk->icmp_type;
		c->icmp_code = pk->icmp_code;
		c->closer = *dir;
	}
	return c;
}

/*
 * Whether a SYN starts a new connection on the ports of c: c is over (both
 * ends closed, or reset, or refused) and the SYN is not a retransmission.
 */
static int
tcp_new_incarnation(const struct track_conv *c, int d,
    const struct decode_pkt *pk)
{
	const struct track_end	*s = &c->end[d];

	if (pk->proto != IPPROTO_TCP || pk->icmp_error ||
	    (pk->flags & (DECODE_SYN | DECODE_ACK)) != DECODE_SYN)
		return 0;
	if (s->isn_known && s->isn == pk->seq)
		return 0;
	return c->close_done || c->how == TRACK_RST ||
	    c->how == TRACK_REFUSED || (track_end_closed(c, 0) &&
	    track_end_closed(c, 1));
}

/* Count a packet for its sender and pass the event on. */
static void
emit_packet(struct track_conv *c, int d, int64_t ts,
    const struct decode_pkt *pk, struct track_event *ev, track_cb cb,
    void *arg)
{
	c->end[d].pkts++;
	if (!ev->icmp_back)
		c->end[d].bytes += pk->paylen;
	if (c->first_ts == 0)
		c->first_ts = ts;
	c->last_ts = ts;
	if (c->proto != IPPROTO_TCP) {
		ev->state[0] = ev->state[1] = TRACK_UNKNOWN;
	}
	ev->conv = c;
	ev->dir = d;
	cb(arg, ev);
}

void
track_packet(struct track *tr, int64_t ts, const struct decode_pkt *pk,
    track_cb cb, void *arg)
{
	struct track_event	 ev;
	struct track_conv	*c;
	int			 d;

	memset(&ev, 0, sizeof ev);
	ev.frame = ++tr->frames;
	ev.ts = ts;
	ev.pkt = pk;
	ev.kind = TRACK_EV_PACKET;
	if (pk->result != DECODE_OK) {
		ev.kind = TRACK_EV_BAD;
		cb(arg, &ev);
		return;
	}
	if (pk->icmp_error)
		c = icmp_error_conv(tr, pk, &d, &ev, cb, arg);
	else
		c = conv_lookup(tr, pk->proto, &pk->src, pk->sport, &pk->dst,
		    pk->dport, &d, cb, arg);
	if (c != NULL && pk->icmp_echo && ep_cmp(&c->end[0].addr,
	    c->end[0].port, &c->end[1].addr, c->end[1].port) == 0)
		d = pk->icmp_type == 0 || pk->icmp_type == 129; /* to itself */
	if (c != NULL && tcp_new_incarnation(c, d, pk)) {
		conv_end(tr, c, cb, arg);	/* the same ports, used again */
		c = conv_lookup(tr, pk->proto, &pk->src, pk->sport, &pk->dst,
		    pk->dport, &d, cb, arg);
	}
	if (c == NULL) {
		ev.kind = TRACK_EV_BAD;
		cb(arg, &ev);
		return;
	}
	if (pk->proto == IPPROTO_TCP)
		tcp_packet(c, d, ts, pk, &ev);
	emit_packet(c, d, ts, pk, &ev, cb, arg);
}

/* qsort order for track_finish(): by conversation id. */
static int
conv_id_cmp(const void *a, const void *b)
{
	const struct track_conv	*x = *(const struct track_conv * const *)a;
	const struct track_conv	*y = *(const struct track_conv * const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

void
track_finish(struct track *tr, track_cb cb, void *arg)
{
	struct track_conv	**all, *c;
	size_t			  i, n = 0;

	if (tr == NULL)
		return;
	all = calloc(tr->n ? tr->n : 1, sizeof *all);
	for (c = tr->oldest; c != NULL && all != NULL; c = c->newer)
		all[n++] = c;
	if (all != NULL) {
		qsort(all, n, sizeof *all, conv_id_cmp);
		for (i = 0; i < n; i++)
			conv_end(tr, all[i], cb, arg);
	}
	while (tr->oldest != NULL)	/* out of memory above: any order */
		conv_end(tr, tr->oldest, cb, arg);
	free(all);
	free(tr->bucket);
	free(tr);
}

int
track_end_closed(const struct track_conv *c, int e)
{
	enum track_state s = c->end[e].state;

	return s == TRACK_CLOSED || s == TRACK_TIME_WAIT;
}

/* Zeek-style states of a conversation without a TCP handshake view. */
static const char *
conn_state_other(const struct track_conv *c, const char **why)
{
	const struct track_end	*o = &c->end[0], *r = &c->end[1];

	if (r->pkts > r->icmp_errs && o->pkts > o->icmp_errs) {
		*why = "both sides sent";
		return "SF";
	}
	if (r->icmp_errs > 0) {
		*why = "answered by ICMP errors only";
		return "REJ";
	}
	*why = "no reply seen";
	return "S0";
}

/* Set *why and return state: one line per case below. */
static const char *
cs(const char **why, const char *state, const char *text)
{
	*why = text;
	return state;
}

const char *
track_conn_state(const struct track_conv *c, const char **why)
{
	const struct track_end	*o = &c->end[0], *r = &c->end[1];

	if (c->proto != IPPROTO_TCP)
		return conn_state_other(c, why);
	if (!o->syn && !r->synack)
		return cs(why, "OTH", "no SYN seen (started before the "
		    "capture)");
	if (o->syn && !r->synack) {
		if (r->rst)
			return cs(why, "REJ", "rejected: RST answered the SYN");
		if (o->rst)
			return cs(why, "RSTOS0", "SYN then RST from the "
			    "originator, no answer");
		if (o->fin)
			return cs(why, "SH", "SYN then FIN, no answer");
		return cs(why, "S0", "SYN seen, no answer");
	}
	if (!o->syn) {
		if (r->rst)
			return cs(why, "RSTRH", "SYN,ACK then RST, no SYN seen");
		if (r->fin)
			return cs(why, "SHR", "SYN,ACK then FIN, no SYN seen");
		return cs(why, "OTH", "SYN,ACK seen but no SYN");
	}
	if (o->rst)
		return cs(why, "RSTO", "established, originator aborted (RST)");
	if (r->rst)
		return cs(why, "RSTR", "established, responder aborted (RST)");
	if (o->fin && r->fin)
		return cs(why, "SF", "normal open and close");
	if (o->fin)
		return cs(why, "S2", "established, originator closed, no FIN "
		    "back");
	if (r->fin)
		return cs(why, "S3", "established, responder closed, no FIN "
		    "back");
	return cs(why, "S1", "established, not closed");
}

/*
 * The state end s enters when its application makes call what: 3.10.4
 * CLOSE (shutdown(SHUT_WR) alike: nothing more to send) queues a FIN,
 * 3.10.5 ABORT sends a RST; a recv() of 0 bytes proves the peer's FIN
 * arrived (3.10.7.4, eighth check: ESTABLISHED -> CLOSE_WAIT, FIN-WAIT-2
 * -> TIME-WAIT; FIN-WAIT-1 waits for the packets to say whether its FIN
 * was acknowledged).  Other states are left as they are.
 */
static enum track_state
call_state(enum track_state s, enum track_call what)
{
	if (what == TRACK_CALL_ABORT)
		return s == TRACK_UNKNOWN ? s : TRACK_CLOSED;
	if (what == TRACK_CALL_EOF)
		return s == TRACK_ESTABLISHED || s == TRACK_SYN_RECEIVED ?
		    TRACK_CLOSE_WAIT : s == TRACK_FIN_WAIT_2 ?
		    TRACK_TIME_WAIT : s;
	switch (s) {
	case TRACK_LISTEN:
	case TRACK_SYN_SENT:
		return TRACK_CLOSED;
	case TRACK_SYN_RECEIVED:
	case TRACK_ESTABLISHED:
		return TRACK_FIN_WAIT_1;
	case TRACK_CLOSE_WAIT:
		return TRACK_LAST_ACK;
	default:
		return s;
	}
}

int
track_call(struct track *tr, const struct decode_addr *addr, uint16_t port,
    enum track_call what, enum track_state *from, enum track_state *to)
{
	struct track_conv	*c;
	int			 e;

	for (c = tr->newest; c != NULL; c = c->older) {
		if (c->proto != IPPROTO_TCP)
			continue;
		for (e = 0; e < 2; e++) {
			if (c->end[e].addr.family != addr->family ||
			    ep_cmp(&c->end[e].addr, c->end[e].port, addr,
			    port) != 0)
				continue;
			*from = c->end[e].state;
			*to = c->end[e].state = call_state(*from, what);
			c->end[e].called_close |= what == TRACK_CALL_CLOSE ||
			    what == TRACK_CALL_ABORT;
			return e;
		}
	}
	return -1;
}
