/*
 * track.h: decoded packets -> conversations and events.  One key for both
 * directions, one code path for IPv4 and IPv6, a bounded table that frees
 * what it evicts.  Pure: no printing, no exiting; events go to a callback.
 */
#ifndef TRACK_H
#define TRACK_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"

struct tls_event;
struct tls_info;

/* The TCP states of RFC 9293 3.3.2, as seen from the wire. */
enum track_state {
	TRACK_UNKNOWN,		/* mid-stream: not known yet */
	TRACK_CLOSED,
	TRACK_LISTEN,
	TRACK_SYN_SENT,
	TRACK_SYN_RECEIVED,
	TRACK_ESTABLISHED,
	TRACK_FIN_WAIT_1,
	TRACK_FIN_WAIT_2,
	TRACK_CLOSE_WAIT,
	TRACK_CLOSING,
	TRACK_LAST_ACK,
	TRACK_TIME_WAIT,
	TRACK_NO_LISTENER,	/* CLOSED, proven by a RST answering a SYN */
};

/*
 * One end of a conversation and what it did.  Its state moves only on
 * evidence: a segment it sent, or a segment it acknowledged (see track.c).
 */
struct track_end {
	struct decode_addr addr;
	uint16_t	 port;
	enum track_state state;
	uint32_t	 base;		/* relative numbers count from here */
	uint32_t	 isn;
	uint32_t	 snd_max;	/* highest sequence sent, + 1 */
	uint32_t	 hole_lo, hole_hi;	/* a gap not yet filled */
	uint32_t	 fin_seq;	/* sequence number of our FIN */
	uint32_t	 last_ack;
	uint16_t	 last_win;
	uint8_t		 ws;
	uint32_t	 seq_end, seq_ack;	/* latest SYN/FIN/data sent */
	uint32_t	 pend_ack, pend_after;	/* a peer ACK not yet in order */
	uint32_t	 data_hi;	/* relative end of the highest data */
	uint32_t	 ack_max;	/* highest ACK number sent */
	unsigned	 base_known:1, isn_known:1, isn_shown:1, snd_init:1,
			 has_hole:1, syn:1, synack:1, fin:1, fin_acked:1,
			 rst:1, ack_seen:1, has_ws:1, zero_win:1,
			 got_syn:1, got_fin:1, seq_seen:1, seq_ack_ok:1,
			 pend:1, active_fin:1, went_closing:1, went_fw2:1,
			 resent:1, has_data:1;
	uint32_t	 syns;		/* SYNs sent (retransmissions + 1) */
	uint32_t	 dupacks;	/* in a row */
	int64_t		 syn_ts, syn_gap;	/* last SYN, previous interval */
	int64_t		 seg_ts, tx_ts;	/* last sequence use, last packet */
	uint64_t	 pkts, retrans, ooo, dupack_total, zero_wins;
	uint64_t	 bytes;		/* payload on the wire, retransmissions too */
	uint64_t	 icmp_errs;	/* of pkts: ICMP errors drawn from here */
	unsigned	 called_close:1;	/* its close() (track_call()) */
};

/* How a TCP conversation ended, for verdicts and summaries. */
enum track_close {
	TRACK_OPEN,		/* no end seen */
	TRACK_FIN,		/* FIN from both, or from one */
	TRACK_RST,		/* aborted mid-stream */
	TRACK_REFUSED,		/* RST (or ICMP port unreachable) for the SYN */
	TRACK_UNREACH,		/* an ICMP error for the SYN */
};

struct track_park;

struct track_conv {
	uint64_t	 id;		/* 1, 2, ... in order of first packet */
	uint8_t		 proto;
	struct track_end end[2];	/* [0] opened it (or spoke first) */
	int64_t		 first_ts, last_ts;	/* nanoseconds */
	int64_t		 rtt;		/* SYN to SYN,ACK, -1 unknown */
	int		 closer;	/* end that sent the first FIN/RST */
	enum track_close how;
	uint8_t		 icmp_type, icmp_code;	/* of TRACK_UNREACH */
	unsigned	 midstream:1, simultaneous:1, piggyback:1,
			 close_done:1, fin_ack_seen:1, half_close:1,
			 final_ack_pure:1,
			 scale_unknown:1;	/* no SYN seen, or its options cut */
	void		*user;		/* for the renderer; NULL at first */
	void		*tls;		/* for the render sink's TLS layer
					   (tlsview.h); NULL at first */
	/* Table linkage and a presumption still to check, private to
	   track.c. */
	struct track_conv *hnext, *older, *newer;
	uint32_t	 hash;
	struct track_park *park;
};

#define TRACK_MAX_NOTES	5
#define TRACK_MAX_PATH	4	/* states an end passes on one event */
#define TRACK_MAX_SACK	DECODE_MAX_SACK
#define TRACK_NOTE_LEN	120

struct track_note {
	int		 warn;		/* something went wrong on the wire */
	char		 text[TRACK_NOTE_LEN];
};

enum track_event_kind {
	TRACK_EV_PACKET,	/* a packet of conv */
	TRACK_EV_BAD,		/* a packet we could not place (pkt->result) */
	TRACK_EV_END,		/* conv is done or evicted: give its verdict */
};

struct track_event {
	enum track_event_kind kind;
	struct track_conv *conv;	/* NULL for TRACK_EV_BAD */
	const struct decode_pkt *pkt;	/* NULL for TRACK_EV_END */
	uint64_t	 frame;		/* 1-based packet number */
	int64_t		 ts;		/* nanoseconds */
	int		 dir;		/* sender: conv->end[dir] */
	int		 icmp_back;	/* an ICMP error about conv */
	uint32_t	 rseq, rack;	/* relative to each side's base */
	uint32_t	 seglen;	/* payload + SYN + FIN */
	int		 show_isn;	/* first SYN of this side */
	uint64_t	 win;		/* scaled when both sides agreed */
	enum track_state state[2];
	int		 changed[2];
	/* Every state end e went through on this event, the first the one before. */
	enum track_state path[2][TRACK_MAX_PATH];
	int		 npath[2];
	uint32_t	 sack[TRACK_MAX_SACK][2];	/* relative, like rack */
	unsigned	 retrans:1, ooo:1, dupack:1, zerowin:1, probe:1;
	int		 nnotes;
	struct track_note notes[TRACK_MAX_NOTES];
	/*
	 * Filled by the render sink's TLS layer (tlsview.h), else empty: the
	 * TLS records and messages this segment completed (at the end, those
	 * left unfinished), how many more it completed than are kept, and at
	 * the end of a TLS conversation what it agreed and how it closed.
	 * tls is not NULL on every segment of a TLS conversation.
	 */
	const struct tls_event *tls;
	int		 ntls;
	uint32_t	 tls_more;
	const struct tls_info *tls_info;
	const char	*tls_verdict;
};

typedef void	(*track_cb)(void *, const struct track_event *);

struct track;

/* A table holding at most max live conversations (0: a default). */
struct track	*track_new(size_t);

/*
 * Feed one decoded packet captured at ts (nanoseconds).  Calls cb for the
 * packet's event and for any conversation it evicts.
 */
void	track_packet(struct track *, int64_t, const struct decode_pkt *,
	    track_cb, void *);

/*
 * Whether to hold the event of a pure ACK or RST until the next packet
 * shows whether it arrived (1: reading a file, the default 0: live, where
 * a later packet may be long in coming).  Without, its presumed effect is
 * drawn at once, and drawn back (with a note) if the next packet shows it
 * did not arrive.
 */
void	track_set_lookahead(struct track *, int);

/*
 * Emit the event held back for its lookahead (see track.c): a pure ACK or
 * a RST whose effect on the receiver waits for the next packet, which may
 * show it was not delivered.  track_packet() and track_finish() call it;
 * a live capture calls it before drawing anything else.
 */
void	track_flush(struct track *, track_cb, void *);

/* The direction of pk in conversation c (0: from end 0), or -1: not c's. */
int	track_conv_dir(const struct track_conv *, const struct decode_pkt *);

/* End every conversation (TRACK_EV_END, in id order) and free the table. */
void	track_finish(struct track *, track_cb, void *);

/* "ESTABLISHED", "?" for unknown. */
const char *track_state_name(enum track_state);

/*
 * The Zeek-style connection state ("SF", "REJ", "S0", ...) of conv, with a
 * few words saying what it means in *why.
 */
const char *track_conn_state(const struct track_conv *, const char **);

/* A name for an ICMP (v6 0) or ICMPv6 (v6 1) type; NULL if unknown. */
const char *track_icmp_name(int, uint8_t, uint8_t);

/* Whether end e of conv is a TCP side we know to be closed for good. */
int	track_end_closed(const struct track_conv *, int);

/*
 * Payload bytes end e sent that the other end acknowledged, counted by
 * sequence numbers (each byte once, however often it was sent).
 */
uint64_t track_delivered(const struct track_conv *, int);

/* Calls of sockkit's own socket that move its state (RFC 9293 3.10). */
enum track_call {
	TRACK_CALL_CLOSE,	/* close(): 3.10.4 CLOSE */
	TRACK_CALL_SHUTDOWN,	/* shutdown(SHUT_WR): the same for the state,
				   but the end may still receive */
	TRACK_CALL_ABORT,	/* a close() that resets: 3.10.5 ABORT */
	TRACK_CALL_EOF,		/* recv() returned 0: the peer's FIN came in
				   (3.10.7.4, the eighth check) */
};

/*
 * The call what, made by the end (addr, port) of the newest TCP
 * conversation that has it, moves that end's state at the call, as RFC
 * 9293 and Linux do (the FIN may leave much later); the caller feeds
 * calls and packets in time order.  Returns the end's index, with the
 * state before the call in path[0] and each state it passed after it
 * (*npath in all, 1 when the state did not move) and the conversation's
 * id in *conv, or -1 when no conversation has that end.
 */
int	track_call(struct track *, const struct decode_addr *, uint16_t,
	    enum track_call, enum track_state path[TRACK_MAX_PATH + 1],
	    size_t *npath, uint64_t *conv);

#endif
