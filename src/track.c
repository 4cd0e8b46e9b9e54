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

/*
 * An event held back until the next packet shows whether it arrived
 * (HOLD_WAITING), or drawn already and checked against the next packet
 * all the same (HOLD_DRAWN: live, without lookahead).
 */
enum hold_state { HOLD_NONE, HOLD_WAITING, HOLD_DRAWN };

struct track_hold {
	enum hold_state	 valid;
	struct track_event ev;
	struct decode_pkt pkt;		/* a pure ACK or RST: no payload */
	int		 r;		/* the end it was presumed to reach */
	int		 rst;
	uint32_t	 ack;
	struct track_end saved;		/* end r before the presumed effect */
	int		 close_note;	/* index of its close note, or -1 */
};

/*
 * A presumption whose check waits for its conversation's next packet: a
 * packet of another conversation came first (a pure ACK dropped while
 * other connections go on; its receiver sends again a second later).
 */
struct track_park {
	int		 r, rst;
	uint32_t	 ack;
	enum track_state drawn;		/* end r's state drawn on it */
	int		 close_note;	/* it completed the close */
	struct track_end saved;		/* end r before the presumed effect */
};

struct track {
	struct track_hold hold;
	int		 lookahead;	/* hold events for the next packet */
	int		 undo;		/* end + 1 whose presumed state was undone */
	enum track_state undo_from;	/* the state it was drawn in */
	int		 undo_rst;	/* what it had not got: a RST, an ACK */
	struct track_conv **bucket;
	size_t		 nbucket, n, max;
	struct track_conv *oldest, *newest;
	uint64_t	 next_id, frames;
};

static void	hold_release(struct track *, const struct decode_pkt *,
		    track_cb, void *);
static void	undo_note(struct track *, struct track_event *);
static void	park_check(struct track *, struct track_conv *,
		    const struct decode_pkt *);

/* Sequence-space comparisons (RFC 9293 3.4): a before b. */
#define SEQ_LT(a, b)	((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b)	((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)

static const char *state_names[] = {
	"?", "CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED",
	"FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK",
	"TIME_WAIT", "no listener",
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
	/* Nothing is left to check a drawn event against. */
	if (tr->hold.valid == HOLD_DRAWN && tr->hold.ev.conv == c)
		tr->hold.valid = HOLD_NONE;
	memset(&ev, 0, sizeof ev);
	ev.kind = TRACK_EV_END;
	ev.conv = c;
	ev.ts = c->last_ts;
	ev.state[0] = c->end[0].state;
	ev.state[1] = c->end[1].state;
	cb(arg, &ev);
	free(c->park);
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
	int			 i;

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
		if (!s->isn_known && !r->isn_known)
			c->midstream = c->scale_unknown = 1;	/* no SYN */
	}
	if ((pk->flags & DECODE_ACK) && !r->base_known) {
		r->base_known = 1;
		r->base = pk->ack - 1;
	}
	ev->rseq = pk->seq - s->base;
	ev->rack = (pk->flags & DECODE_ACK) ? pk->ack - r->base : 0;
	for (i = 0; i < pk->opt.nsack && i < TRACK_MAX_SACK; i++) {
		ev->sack[i][0] = pk->opt.sack[i][0] - r->base;
		ev->sack[i][1] = pk->opt.sack[i][1] - r->base;
	}
}

/*
 * SYN and SYN,ACK retransmissions and their back-off.  A SYN,ACK after
 * this end's own SYN (a simultaneous open) is its answer, not a resend.
 */
static void
tcp_syn_retry(struct track_conv *c, int d, int64_t ts,
    const struct decode_pkt *pk, struct track_event *ev)
{
	struct track_end	*s = &c->end[d];
	const char		*what = pk->flags & DECODE_ACK ? "SYN,ACK" :
	    "SYN";
	int64_t			 gap;

	if (s->syns > 0 && pk->seq == s->isn &&
	    (!(pk->flags & DECODE_ACK) || s->synack)) {
		gap = ts - s->syn_ts;
		if (s->syn_gap > 0)
			note(ev, 1, "%s retransmission #%u, %.3f s after the "
			    "previous (back-off x%.1f)", what, s->syns,
			    gap / 1e9, (double)gap / (double)s->syn_gap);
		else
			note(ev, 1, "%s retransmission #%u, %.3f s after the "
			    "first %s", what, s->syns, gap / 1e9, what);
		s->retrans++;
		ev->retrans = 1;
		s->syn_gap = gap;
	}
	s->syns++;
	s->syn_ts = ts;
}

/*
 * Whether a segment from end d is a keepalive or zero-window probe: an
 * ACK at one below the sequence number the other end expects, with at
 * most one byte (RFC 9293 3.8.4 and 3.8.6.1).  Names it in a note.
 */
static int
tcp_probe(struct track_conv *c, int d, const struct decode_pkt *pk,
    struct track_event *ev)
{
	const struct track_end	*r = &c->end[!d];

	if ((pk->flags & (DECODE_SYN | DECODE_FIN | DECODE_RST |
	    DECODE_ACK)) != DECODE_ACK || pk->paylen > 1 || !r->ack_seen ||
	    pk->seq != r->last_ack - 1)
		return 0;
	ev->probe = 1;
	note(ev, 0, "%s probe (seq = next - 1)", r->zero_win ? "zero-window" :
	    "keepalive");
	return 1;
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
	uint32_t		 end = pk->seq + ev->seglen, hi;

	if (pk->paylen > 0) {		/* relative, as track_delivered() counts */
		hi = ev->rseq + !!(pk->flags & DECODE_SYN) + pk->paylen;
		if (!s->has_data || SEQ_LT(s->data_hi, hi))
			s->data_hi = hi;
		s->has_data = 1;
	}
	if (tcp_probe(c, d, pk, ev))
		return;
	if (pk->flags & DECODE_SYN)
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
			note(ev, 1, "retransmission of %u:%u%s",
			    pk->seq - s->base, end - s->base,
			    pk->paylen == 0 && (pk->flags & DECODE_FIN) ?
			    " (the FIN)" : "");
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
	if (!s->ack_seen || SEQ_LT(s->ack_max, pk->ack))
		s->ack_max = pk->ack;
	s->ack_seen = 1;
	s->last_ack = pk->ack;
	s->last_win = pk->win;
}

/*
 * Notes on the flow of a segment from end d that was in state before: a
 * half-close (data after the other direction's FIN), the ACKs a TIME_WAIT
 * end sends again when the FIN it acknowledged comes again.
 */
static void
tcp_flow_notes(struct track_conv *c, int d, enum track_state before,
    const struct decode_pkt *pk, struct track_event *ev)
{
	struct track_end	*s = &c->end[d], *r = &c->end[!d];

	if (pk->paylen > 0 && r->fin && s->got_fin && !s->fin &&
	    !c->half_close) {
		c->half_close = 1;
		note(ev, 0, "half-close: %s->%s is closed (FIN), data still "
		    "flows %s->%s", d ? "A" : "B", d ? "B" : "A",
		    d ? "B" : "A", d ? "A" : "B");
	}
	if (before == TRACK_TIME_WAIT && pk->paylen == 0 &&
	    (pk->flags & (DECODE_SYN | DECODE_FIN | DECODE_ACK)) ==
	    DECODE_ACK && r->fin && SEQ_LT(r->fin_seq, pk->ack))
		note(ev, 0, "%s is in TIME_WAIT and answers the retransmitted "
		    "FIN", d ? "B" : "A");
}

/*
 * The state machine.  Each end's state moves only on evidence from the
 * capture: a segment the end sent, or a segment it is known to have
 * received because its own ACK number covers it.  A captured packet is
 * not a delivered one: a FIN counts as received only when the receiver's
 * ACK (or its own FIN's ACK field) covers it, and the ACK field a segment
 * carries reaches its receiver with that segment.  A pure ACK or a RST
 * cannot be acknowledged; it is presumed delivered unless the receiver's
 * next segment shows otherwise (track_hold() below).
 */
enum tcp_input {
	IN_SEND_SYN,		/* it sent a SYN */
	IN_SEND_SYNACK,		/* it sent a SYN,ACK: it got a SYN */
	IN_GOT_SYNACK,		/* it got a SYN,ACK acknowledging its SYN */
	IN_GOT_ACK_SYN,		/* it got the ACK of its SYN */
	IN_GOT_ACK_FIN,		/* it got the ACK of its FIN */
	IN_GOT_FIN,		/* it got the other end's FIN */
	IN_SEND_FIN,		/* it sent a FIN: it called close() */
	IN_SEND_RST,		/* it sent a RST */
	IN_REFUSE,		/* it sent a RST answering a SYN */
	IN_GOT_RST,		/* it got a RST */
	IN_GOT_RST_PASSIVE,	/* it got a RST, and it opened passively */
	IN_CALL_CLOSE,		/* sockkit's own end called close() or
				   shutdown(SHUT_WR) (track_call()) */
	IN_CALL_ABORT,		/* ... a close() that resets */
	IN_CALL_EOF,		/* ... a recv() that returned 0 */
};

#define ANY_STATE	((enum track_state)-1)

/*
 * The one table of transitions, RFC 9293 3.3.2 (the state diagram) and
 * 3.10 (event processing).  The first row that matches wins; an input
 * with no row leaves the state as it is.  TRACK_UNKNOWN is an end whose
 * state the capture has not shown yet (mid-stream, or no answer yet).
 */
static const struct tcp_rule {
	enum track_state from;
	enum tcp_input	 in;
	enum track_state to;
} tcp_rules[] = {
	/* 3.10.1 OPEN call, active: CLOSED -> SYN-SENT, a SYN is sent. */
	{ TRACK_UNKNOWN, IN_SEND_SYN, TRACK_SYN_SENT },
	{ TRACK_CLOSED, IN_SEND_SYN, TRACK_SYN_SENT },
	/* 3.10.7.2 LISTEN, a SYN arrives: SYN-RECEIVED, a SYN,ACK is sent. */
	{ TRACK_UNKNOWN, IN_SEND_SYNACK, TRACK_SYN_RECEIVED },
	{ TRACK_LISTEN, IN_SEND_SYNACK, TRACK_SYN_RECEIVED },
	/* 3.10.7.3 SYN-SENT, a SYN without ACK (simultaneous open). */
	{ TRACK_SYN_SENT, IN_SEND_SYNACK, TRACK_SYN_RECEIVED },
	/* 3.10.7.3 SYN-SENT, a SYN,ACK acknowledging our SYN: ESTABLISHED. */
	{ TRACK_SYN_SENT, IN_GOT_SYNACK, TRACK_ESTABLISHED },
	/* 3.10.7.4 fifth check, SYN-RECEIVED: an acceptable ACK. */
	{ TRACK_SYN_RECEIVED, IN_GOT_ACK_SYN, TRACK_ESTABLISHED },
	/* 3.10.7.4 fifth check: FIN-WAIT-1, CLOSING, LAST-ACK, FIN acked. */
	{ TRACK_FIN_WAIT_1, IN_GOT_ACK_FIN, TRACK_FIN_WAIT_2 },
	{ TRACK_CLOSING, IN_GOT_ACK_FIN, TRACK_TIME_WAIT },
	{ TRACK_LAST_ACK, IN_GOT_ACK_FIN, TRACK_CLOSED },
	/* 3.10.7.4 eighth check, the FIN bit. */
	{ TRACK_UNKNOWN, IN_GOT_FIN, TRACK_CLOSE_WAIT },
	{ TRACK_SYN_RECEIVED, IN_GOT_FIN, TRACK_CLOSE_WAIT },
	{ TRACK_ESTABLISHED, IN_GOT_FIN, TRACK_CLOSE_WAIT },
	{ TRACK_FIN_WAIT_1, IN_GOT_FIN, TRACK_CLOSING },
	{ TRACK_FIN_WAIT_2, IN_GOT_FIN, TRACK_TIME_WAIT },
	/* 3.10.4 CLOSE call: a FIN is sent. */
	{ TRACK_UNKNOWN, IN_SEND_FIN, TRACK_FIN_WAIT_1 },
	{ TRACK_SYN_RECEIVED, IN_SEND_FIN, TRACK_FIN_WAIT_1 },
	{ TRACK_ESTABLISHED, IN_SEND_FIN, TRACK_FIN_WAIT_1 },
	{ TRACK_CLOSE_WAIT, IN_SEND_FIN, TRACK_LAST_ACK },
	/* 3.10.7.1 CLOSED: a segment for no connection is answered by RST. */
	{ TRACK_UNKNOWN, IN_REFUSE, TRACK_NO_LISTENER },
	{ TRACK_NO_LISTENER, IN_REFUSE, TRACK_NO_LISTENER },
	{ TRACK_NO_LISTENER, IN_SEND_RST, TRACK_NO_LISTENER },
	/* 3.10.5 ABORT call, 3.10.7.4 reset generation: the sender is done. */
	{ ANY_STATE, IN_SEND_RST, TRACK_CLOSED },
	/* 3.10.7.4 second check, SYN-RECEIVED from a passive OPEN: LISTEN. */
	{ TRACK_SYN_RECEIVED, IN_GOT_RST_PASSIVE, TRACK_LISTEN },
	/* 3.10.7.3 and 3.10.7.4 second check: a RST received closes. */
	{ TRACK_NO_LISTENER, IN_GOT_RST, TRACK_NO_LISTENER },
	{ ANY_STATE, IN_GOT_RST, TRACK_CLOSED },
	{ ANY_STATE, IN_GOT_RST_PASSIVE, TRACK_CLOSED },
	/*
	 * The calls of sockkit's own end move it at the call, as RFC 9293
	 * and Linux do (the FIN may leave much later).  3.10.4 CLOSE call
	 * (shutdown(SHUT_WR) alike: nothing more to send): a FIN is queued.
	 */
	{ TRACK_LISTEN, IN_CALL_CLOSE, TRACK_CLOSED },
	{ TRACK_SYN_SENT, IN_CALL_CLOSE, TRACK_CLOSED },
	{ TRACK_SYN_RECEIVED, IN_CALL_CLOSE, TRACK_FIN_WAIT_1 },
	{ TRACK_ESTABLISHED, IN_CALL_CLOSE, TRACK_FIN_WAIT_1 },
	{ TRACK_CLOSE_WAIT, IN_CALL_CLOSE, TRACK_LAST_ACK },
	/* 3.10.5 ABORT call: a RST is sent (an unknown end stays unknown). */
	{ TRACK_UNKNOWN, IN_CALL_ABORT, TRACK_UNKNOWN },
	{ ANY_STATE, IN_CALL_ABORT, TRACK_CLOSED },
	/*
	 * recv() of 0 bytes: the peer's FIN arrived (3.10.7.4, eighth check;
	 * FIN-WAIT-1 waits for the packets to say whether its FIN was
	 * acknowledged).
	 */
	{ TRACK_SYN_RECEIVED, IN_CALL_EOF, TRACK_CLOSE_WAIT },
	{ TRACK_ESTABLISHED, IN_CALL_EOF, TRACK_CLOSE_WAIT },
	{ TRACK_FIN_WAIT_2, IN_CALL_EOF, TRACK_TIME_WAIT },
};

/* Feed input in to end e of c, recording the state it reaches in ev. */
static void
step(struct track_conv *c, int e, struct track_event *ev, enum tcp_input in)
{
	struct track_end	*s = &c->end[e];
	size_t			 i;

	for (i = 0; i < sizeof tcp_rules / sizeof tcp_rules[0]; i++) {
		if (tcp_rules[i].in != in || (tcp_rules[i].from != s->state &&
		    tcp_rules[i].from != ANY_STATE))
			continue;
		if (tcp_rules[i].to == s->state)
			return;
		s->state = tcp_rules[i].to;
		s->went_closing |= s->state == TRACK_CLOSING;
		s->went_fw2 |= s->state == TRACK_FIN_WAIT_2;
		if (ev->npath[e] < TRACK_MAX_PATH)
			ev->path[e][ev->npath[e]++] = s->state;
		else
			ev->path[e][TRACK_MAX_PATH - 1] = s->state;
		return;
	}
}

/* End e has received an ACK number ack from the other end. */
static void
tcp_own_acked(struct track_conv *c, int e, uint32_t ack,
    struct track_event *ev)
{
	struct track_end	*s = &c->end[e];

	if (s->isn_known && SEQ_LT(s->isn, ack))
		step(c, e, ev, s->state == TRACK_SYN_SENT && s->got_syn ?
		    IN_GOT_SYNACK : IN_GOT_ACK_SYN);
	if (s->fin && SEQ_LT(s->fin_seq, ack))
		step(c, e, ev, IN_GOT_ACK_FIN);
}

/*
 * End e sent ACK number ack: what that proves it received.  The other
 * end's latest SYN/FIN/data segment, if covered, brought its ACK field
 * along, which is applied first (3.10.7.4: the ACK field, then the FIN).
 */
static void
tcp_rcv_evidence(struct track_conv *c, int e, uint32_t ack,
    struct track_event *ev)
{
	struct track_end	*s = &c->end[e], *p = &c->end[!e];

	if ((p->syn || p->synack) && !s->got_syn && SEQ_LT(p->isn, ack))
		s->got_syn = 1;
	if (p->seq_seen && p->seq_ack_ok && SEQ_LEQ(p->seq_end, ack))
		tcp_own_acked(c, e, p->seq_ack, ev);
	if (p->fin && !s->got_fin && SEQ_LT(p->fin_seq, ack)) {
		s->got_fin = 1;
		step(c, e, ev, IN_GOT_FIN);
	}
	if (s->pend && SEQ_LEQ(s->pend_after, ack)) {
		s->pend = 0;
		tcp_own_acked(c, e, s->pend_ack, ev);
	}
}

/* Which FINs the ACK of a segment from end d acknowledges (sender side). */
static void
tcp_fin_acks(struct track_conv *c, int d, const struct decode_pkt *pk)
{
	struct track_end	*r = &c->end[!d];

	if (!r->fin || r->fin_acked || !SEQ_LT(r->fin_seq, pk->ack))
		return;
	r->fin_acked = 1;
	if (c->closer == !d && !c->fin_ack_seen) {
		c->fin_ack_seen = 1;
		c->piggyback = (pk->flags & DECODE_FIN) != 0;
	} else
		c->final_ack_pure = (pk->flags & DECODE_FIN) == 0;
}

/* A FIN from end d (3.10.4): its state, and whether the close crossed. */
static void
tcp_fin_send(struct track_conv *c, int d, const struct decode_pkt *pk,
    struct track_event *ev)
{
	struct track_end	*s = &c->end[d], *r = &c->end[!d];

	if (s->fin)
		return;			/* a retransmitted FIN changes nothing */
	s->fin = 1;
	s->fin_seq = pk->seq + pk->paylen + !!(pk->flags & DECODE_SYN);
	if (c->closer < 0) {
		c->closer = d;
		c->how = TRACK_FIN;
	}
	s->active_fin = !s->got_fin;
	if (s->active_fin && r->fin && r->active_fin)
		c->simultaneous = 1;	/* sent before it got the other FIN */
	step(c, d, ev, IN_SEND_FIN);
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
		step(c, d, ev, IN_REFUSE);
		step(c, d, ev, IN_SEND_RST);
		return;
	}
	if (!was_closed && track_end_closed(c, d)) {
		note(ev, 1, "RST from %s, which has closed: %s's connection is "
		    "reset", d ? "B" : "A", d ? "A" : "B");
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
	step(c, d, ev, IN_SEND_RST);
}

/* The note for a close once both FINs are acknowledged. */
static void
tcp_close_note(struct track_conv *c, struct track_event *ev)
{
	const struct track_end	*e = c->end;

	if (c->close_done || !e[0].fin || !e[1].fin || !e[0].fin_acked ||
	    !e[1].fin_acked)
		return;
	c->close_done = 1;
	if (c->simultaneous && e[0].went_closing && e[1].went_closing)
		note(ev, 0, "simultaneous close: the FINs crossed, both ends "
		    "go through CLOSING to TIME_WAIT");
	else if (c->simultaneous)
		note(ev, 0, "simultaneous close: both ends sent FIN first, "
		    "but the FINs arrived apart: %s went through FIN_WAIT_2, "
		    "not CLOSING", e[0].went_fw2 ? "A" : "B");
	else if (c->piggyback)
		note(ev, 0, "3-segment close: the ACK of the first FIN rode "
		    "on the second FIN");
	else if (c->final_ack_pure)
		note(ev, 0, "4-segment close: FIN, ACK, FIN, ACK");
	else
		note(ev, 0, "close: both FINs acknowledged");
}

/* SYN and SYN,ACK from end d: opening states and the handshake RTT. */
static void
tcp_syn_send(struct track_conv *c, int d, int64_t ts,
    const struct decode_pkt *pk, struct track_event *ev)
{
	struct track_end	*s = &c->end[d], *r = &c->end[!d];

	if (pk->opt.cut)
		c->scale_unknown = 1;	/* a window scale may have been cut */
	if (pk->opt.has_ws) {
		s->has_ws = 1;
		s->ws = pk->opt.ws > 14 ? 14 : pk->opt.ws;
	}
	if (!(pk->flags & DECODE_ACK)) {
		s->syn = 1;
		step(c, d, ev, IN_SEND_SYN);
		return;
	}
	if (!s->synack && r->syns > 0 && c->rtt < 0) {
		c->rtt = ts - r->syn_ts;
		note(ev, 0, "handshake RTT %.3f ms (SYN to SYN,ACK)",
		    c->rtt / 1e6);
	}
	s->synack = 1;
	step(c, d, ev, IN_SEND_SYNACK);
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

/*
 * Whether the event of a pure ACK or RST from end d must wait for the
 * next packet: its effect on the other end r is applied now, presumed,
 * and undone by track_hold_check() if r's next segment contradicts it.
 * An ACK sent after SYN/FIN/data of d that r has not acknowledged yet
 * reaches r only after them (one path keeps the order): it waits in
 * r->pend until r acknowledges them (the latest copy sent, if d sent
 * them again, is the one ahead of the ACK).
 */
static int
tcp_presume(struct track *tr, struct track_conv *c, int d,
    const struct decode_pkt *pk, struct track_event *ev)
{
	struct track_end	*s = &c->end[d], *r = &c->end[!d];
	struct track_hold	*h = &tr->hold;
	int			 rst = (pk->flags & DECODE_RST) != 0;

	if (!rst && ((pk->flags & (DECODE_SYN | DECODE_FIN | DECODE_ACK)) !=
	    DECODE_ACK || pk->paylen > 0))
		return 0;
	if (!rst && s->snd_init && !(r->ack_seen &&
	    SEQ_LEQ(s->snd_max, r->ack_max))) {
		r->pend = 1;
		r->pend_ack = pk->ack;
		r->pend_after = s->snd_max;
		return 0;
	}
	h->saved = *r;
	if (rst)
		step(c, !d, ev, r->state == TRACK_SYN_RECEIVED && !r->syn ?
		    IN_GOT_RST_PASSIVE : IN_GOT_RST);
	else
		tcp_own_acked(c, !d, pk->ack, ev);
	if (r->state == h->saved.state)
		return 0;
	h->r = !d;
	h->rst = rst;
	h->ack = pk->ack;
	return 1;
}

/* One TCP segment from end d of c: numbers, checks, states, notes. */
static int
tcp_packet(struct track *tr, struct track_conv *c, int d, int64_t ts,
    const struct decode_pkt *pk, struct track_event *ev)
{
	struct track_end	*s = &c->end[d];
	enum track_state	 before = s->state;
	int			 i, held = 0, nn;

	for (i = 0; i < 2; i++) {
		ev->path[i][0] = c->end[i].state;
		ev->npath[i] = 1;
	}
	ev->seglen = pk->paylen + !!(pk->flags & DECODE_SYN) +
	    !!(pk->flags & DECODE_FIN);
	tcp_bases(c, d, pk, ev);
	tcp_seq_checks(c, d, ts, pk, ev);
	tcp_ack_checks(c, d, ts, pk, ev);
	if (pk->flags & DECODE_RST)
		tcp_rst(c, d, ev);
	else {
		if (pk->flags & DECODE_ACK) {
			tcp_rcv_evidence(c, d, pk->ack, ev);
			tcp_fin_acks(c, d, pk);
		}
		if (pk->flags & DECODE_SYN)
			tcp_syn_send(c, d, ts, pk, ev);
		if (pk->flags & DECODE_FIN)
			tcp_fin_send(c, d, pk, ev);
		tcp_flow_notes(c, d, before, pk, ev);
	}
	if (ev->seglen > 0) {
		s->seq_seen = 1;
		s->seq_end = pk->seq + ev->seglen;
		s->seq_ack = pk->ack;
		s->seq_ack_ok = (pk->flags & DECODE_ACK) != 0;
		s->resent = ev->retrans;
	}
	nn = ev->nnotes;
	tcp_close_note(c, ev);
	held = tcp_presume(tr, c, d, pk, ev);
	tr->hold.close_note = c->close_done && nn < ev->nnotes ? nn : -1;
	ev->win = tcp_window(c, d, pk);
	s->tx_ts = ts;
	for (i = 0; i < 2; i++) {
		ev->state[i] = c->end[i].state;
		ev->changed[i] = ev->path[i][0] != c->end[i].state;
	}
	return held;
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
	{ 0, 3, 5, "source route failed" }, { 0, 3, 6, "net unknown" },
	{ 0, 3, 7, "host unknown" }, { 0, 3, 8, "host isolated" },
	{ 0, 3, 9, "net prohibited" }, { 0, 3, 10, "host prohibited" },
	{ 0, 3, 11, "net unreachable for TOS" },
	{ 0, 3, 12, "host unreachable for TOS" },
	{ 0, 3, 13, "administratively prohibited" },
	{ 0, 3, 14, "host precedence violation" },
	{ 0, 3, 15, "precedence cutoff" },
	{ 0, 3, -1, "destination unreachable" }, { 0, 4, -1, "source quench" },
	{ 0, 5, -1, "redirect" }, { 0, 11, -1, "time exceeded" },
	{ 0, 12, -1, "parameter problem" },
	{ 1, 1, 0, "no route" }, { 1, 1, 1, "administratively prohibited" },
	{ 1, 1, 2, "beyond scope" }, { 1, 1, 5, "failed policy" },
	{ 1, 1, 6, "reject route" },
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

/* Count a packet for its sender and complete its event. */
static void
count_packet(struct track_conv *c, int d, int64_t ts,
    const struct decode_pkt *pk, struct track_event *ev)
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
}

void
track_packet(struct track *tr, int64_t ts, const struct decode_pkt *pk,
    track_cb cb, void *arg)
{
	struct track_event	 ev;
	struct track_conv	*c;
	int			 d;

	hold_release(tr, pk, cb, arg);
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
	if (c->park != NULL)
		park_check(tr, c, pk);
	if (pk->proto == IPPROTO_TCP && tcp_packet(tr, c, d, ts, pk, &ev)) {
		count_packet(c, d, ts, pk, &ev);
		tr->hold.ev = ev;
		if (!tr->lookahead) {	/* drawn now, checked at the next */
			tr->hold.valid = HOLD_DRAWN;
			cb(arg, &ev);
			return;
		}
		tr->hold.pkt = *pk;
		tr->hold.pkt.payload = NULL;
		tr->hold.pkt.paycap = 0;
		tr->hold.ev.pkt = &tr->hold.pkt;
		tr->hold.valid = HOLD_WAITING;
		return;
	}
	if (tr->undo > 0 && pk->proto == IPPROTO_TCP)
		undo_note(tr, &ev);
	count_packet(c, d, ts, pk, &ev);
	cb(arg, &ev);
}

/*
 * Without lookahead: the presumed state drawn on an earlier packet was
 * wrong (its receiver now sends again what it acknowledged, or sends at
 * all after a RST).  Draw the way back on this packet, which shows it,
 * and say why.
 */
static void
undo_note(struct track *tr, struct track_event *ev)
{
	int	 r = tr->undo - 1;

	tr->undo = 0;
	ev->path[r][0] = tr->undo_from;
	ev->changed[r] = tr->undo_from != ev->state[r];
	note(ev, 1, "%s had not got that %s: it sends again", r ? "B" : "A",
	    tr->undo_rst ? "RST" : "ACK");
}

void
track_set_lookahead(struct track *tr, int on)
{
	tr->lookahead = on;
}

/*
 * Whether pk, the packet after a presumed one, shows that it did not
 * reach its receiver r: r sends again the SYN or FIN the presumed ACK
 * (up to ack) acknowledged, or r, presumed reset (rst), sends anything
 * but a RST.
 */
static int
contradicted(const struct track_conv *c, int r, int rst, uint32_t ack,
    const struct decode_pkt *pk)
{
	const struct track_end	*re = &c->end[r];
	const struct track_end	*o = &c->end[!r];
	uint32_t		 len;

	if (pk->result != DECODE_OK || pk->proto != IPPROTO_TCP ||
	    pk->icmp_error || pk->sport != re->port || pk->dport != o->port ||
	    memcmp(pk->src.addr, re->addr.addr, 16) != 0 ||
	    memcmp(pk->dst.addr, o->addr.addr, 16) != 0)
		return 0;
	if ((pk->flags & (DECODE_SYN | DECODE_ACK)) == DECODE_SYN &&
	    !(re->isn_known && re->isn == pk->seq))
		return 0;		/* a new connection, not a resend */
	if (rst)
		return !(pk->flags & DECODE_RST);
	len = pk->paylen + !!(pk->flags & DECODE_SYN) +
	    !!(pk->flags & DECODE_FIN);
	return (pk->flags & (DECODE_SYN | DECODE_FIN)) &&
	    SEQ_LEQ(pk->seq + len, ack);
}

int
track_conv_dir(const struct track_conv *c, const struct decode_pkt *pk)
{
	int	 i;

	if (pk->result != DECODE_OK || pk->proto != c->proto ||
	    pk->icmp_error)
		return -1;
	for (i = 0; i < 2; i++)
		if (pk->sport == c->end[i].port &&
		    pk->dport == c->end[!i].port &&
		    memcmp(pk->src.addr, c->end[i].addr.addr, 16) == 0 &&
		    memcmp(pk->dst.addr, c->end[!i].addr.addr, 16) == 0)
			return i;
	return -1;
}

/* Whether pk belongs to conversation c, either way. */
static int
of_conv(const struct track_conv *c, const struct decode_pkt *pk)
{
	return track_conv_dir(c, pk) != -1;
}

/*
 * Put end r of c back as it was before a presumed ACK (up to ack) or RST
 * that did not arrive; close_note: that presumption had completed the
 * close.
 */
static void
unpresume(struct track_conv *c, int r, int rst, uint32_t ack,
    const struct track_end *saved, int close_note)
{
	c->end[r] = *saved;
	if (!rst && c->end[r].fin && SEQ_LT(c->end[r].fin_seq, ack))
		c->end[r].fin_acked = 0;	/* the close is not done */
	if (close_note)
		c->close_done = 0;
}

/* Undo the presumed effect of the held event on its receiver. */
static void
hold_undo(struct track_hold *h)
{
	struct track_event	*ev = &h->ev;
	struct track_conv	*c = ev->conv;
	int			 r = h->r, i;

	unpresume(c, r, h->rst, h->ack, &h->saved, h->close_note >= 0);
	ev->state[r] = h->saved.state;
	ev->npath[r] = 1;
	ev->changed[r] = 0;
	if (h->close_note >= 0) {
		for (i = h->close_note; i + 1 < ev->nnotes; i++)
			ev->notes[i] = ev->notes[i + 1];
		ev->nnotes--;
	}
	if (h->rst)
		note(ev, 1, "%s had not got this RST: it sends again",
		    r ? "B" : "A");
	else
		note(ev, 1, "%s did not get this ACK: it sends its %s again",
		    r ? "B" : "A", c->end[r].fin && SEQ_LT(c->end[r].fin_seq,
		    h->ack) ? "FIN" : "SYN,ACK");
}

/*
 * The held event's check waits for its own conversation's next packet
 * (track_packet() makes it there).  Out of memory: left unchecked.
 */
static void
hold_park(struct track_hold *h)
{
	struct track_conv	*c = h->ev.conv;
	struct track_park	*p;

	if ((p = c->park) == NULL && (p = malloc(sizeof *p)) == NULL)
		return;
	p->r = h->r;
	p->rst = h->rst;
	p->ack = h->ack;
	p->drawn = h->ev.state[h->r];
	p->close_note = h->close_note >= 0;
	p->saved = h->saved;
	c->park = p;
}

/*
 * The next packet pk of c, which holds a parked presumption: when pk
 * contradicts it, put the receiver back and have pk's event say so (as a
 * drawn event is undone: undo_note()).  Either way the check is done.
 */
static void
park_check(struct track *tr, struct track_conv *c, const struct decode_pkt *pk)
{
	struct track_park	*p = c->park;

	c->park = NULL;
	if (contradicted(c, p->r, p->rst, p->ack, pk)) {
		unpresume(c, p->r, p->rst, p->ack, &p->saved, p->close_note);
		tr->undo = p->r + 1;
		tr->undo_from = p->drawn;
		tr->undo_rst = p->rst;
	}
	free(p);
}

/* Emit the held event; pk (or NULL) is the packet that follows it. */
static void
hold_release(struct track *tr, const struct decode_pkt *pk, track_cb cb,
    void *arg)
{
	struct track_hold	*h = &tr->hold;

	if (h->valid == HOLD_NONE)
		return;
	if (h->valid == HOLD_DRAWN) {
		if (pk == NULL)
			return;		/* a call: the next packet still tells */
		h->valid = HOLD_NONE;
		if (!of_conv(h->ev.conv, pk))
			hold_park(h);
		else if (contradicted(h->ev.conv, h->r, h->rst, h->ack, pk)) {
			tr->undo = h->r + 1;
			tr->undo_from = h->ev.state[h->r];
			tr->undo_rst = h->rst;
			hold_undo(h);
		}
		return;
	}
	h->valid = HOLD_NONE;
	if (pk != NULL && !of_conv(h->ev.conv, pk))
		hold_park(h);
	else if (pk != NULL && contradicted(h->ev.conv, h->r, h->rst, h->ack,
	    pk))
		hold_undo(h);
	cb(arg, &h->ev);
}

void
track_flush(struct track *tr, track_cb cb, void *arg)
{
	if (tr != NULL)
		hold_release(tr, NULL, cb, arg);
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
	hold_release(tr, NULL, cb, arg);
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

uint64_t
track_delivered(const struct track_conv *c, int e)
{
	const struct track_end	*s = &c->end[e], *p = &c->end[!e];
	uint32_t		 acked, top;

	if (!s->has_data || !p->ack_seen || !s->base_known)
		return 0;
	acked = p->ack_max - s->base;
	top = (int32_t)(acked - s->data_hi) < 0 ? acked : s->data_hi;
	return (int32_t)top > 1 ? top - 1 : 0;
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
 * recv() returned 0 at end e: it received the other end's FIN.  When that
 * FIN was captured, the end received everything up to it, with the FIN's
 * ACK field (as its ACK covering the FIN would show); otherwise only that
 * a FIN came in.
 */
static void
tcp_eof(struct track_conv *c, int e, struct track_event *ev)
{
	struct track_end	*p = &c->end[!e];

	if (p->fin && !c->end[e].got_fin) {
		tcp_rcv_evidence(c, e, p->fin_seq + 1, ev);
		return;
	}
	step(c, e, ev, IN_CALL_EOF);
	c->end[e].got_fin = 1;
}

int
track_call(struct track *tr, const struct decode_addr *addr, uint16_t port,
    enum track_call what, enum track_state path[TRACK_MAX_PATH + 1],
    size_t *npath, uint64_t *conv)
{
	struct track_conv	*c;
	struct track_event	 ev;	/* step() records the path here */
	int			 e;
	size_t			 i;

	memset(&ev, 0, sizeof ev);
	for (c = tr->newest; c != NULL; c = c->older) {
		if (c->proto != IPPROTO_TCP)
			continue;
		for (e = 0; e < 2; e++) {
			if (c->end[e].addr.family != addr->family ||
			    ep_cmp(&c->end[e].addr, c->end[e].port, addr,
			    port) != 0)
				continue;
			path[0] = c->end[e].state;
			if (what == TRACK_CALL_EOF)
				tcp_eof(c, e, &ev);
			else
				step(c, e, &ev, what == TRACK_CALL_ABORT ?
				    IN_CALL_ABORT : IN_CALL_CLOSE);
			for (i = 0; i < (size_t)ev.npath[e]; i++)
				path[i + 1] = ev.path[e][i];
			*npath = ev.npath[e] + 1;
			*conv = c->id;
			c->end[e].called_close |= what == TRACK_CALL_CLOSE ||
			    what == TRACK_CALL_ABORT;
			return e;
		}
	}
	return -1;
}
