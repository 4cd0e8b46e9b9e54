/*
 * tsg.h: tracker events -> a time-sequence graph (Stevens' graph in TCP/IP
 * Illustrated, tcptrace -S) of one TCP conversation and one direction:
 * each data segment a vertical bar from its first to its last sequence
 * number against time (retransmissions in another colour), the ACK line
 * of the other direction, the receive window's edge (ACK + scaled
 * window), its SACK blocks and duplicate ACKs, the FIN.  Sequence numbers
 * count bytes from the sender's ISN (unwrapped past 4 GiB), time seconds
 * from the conversation's first packet.
 *
 * Memory is bounded whatever comes in: each series keeps max_points
 * points; past that the whole graph is decimated into TSG_COLUMNS time
 * columns (about two per pixel), each keeping the count, least and
 * greatest values of what fell in it.  Retransmissions are kept one by
 * one up to max_retrans; the rest are drawn as plain data, and the
 * picture says so.  Pure: it prints nothing and writes only to the
 * stream it is given.
 */
#ifndef TSG_H
#define TSG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "track.h"

struct tsg_opts {
	uint64_t	 only_conv;	/* graph conversation N; 0: the first
					   TCP conversation to carry data */
	int		 dir;		/* 0: A -> B, 1: B -> A, -1: the
					   direction that carried more data */
	const char	*title;		/* what the picture shows */
	size_t		 max_points;	/* per series before decimation,
					   0: TSG_MAX_POINTS */
	size_t		 max_retrans;	/* kept one by one, 0: TSG_MAX_RETRANS */
};

/* The budget of a graph; doc/sockkit.1 gives these figures. */
#define TSG_MAX_POINTS		20000
#define TSG_MAX_RETRANS		10000
#define TSG_COLUMNS		2048
#define TSG_MAX_SAMPLES		4096	/* TCP_INFO samples kept, thinned
					   evenly past that */

/*
 * What TCP_INFO said of one of sockkit's own sockets at ts: drawn on a
 * second panel, on the same time axis, when that socket sends the
 * direction the graph draws.
 */
struct tsg_sample {
	int64_t		 ts;		/* ns, the packets' clock */
	uint16_t	 port;		/* the socket's own port */
	uint32_t	 cwnd;		/* segments */
	uint32_t	 ssthresh;	/* segments, >= 0x7fffffff: none yet */
	uint32_t	 srtt_us, rto_us;
};

/* What a graph holds for one direction (tsg_info). */
struct tsg_info {
	uint64_t	 conv;		/* its conversation, 0: none found */
	int		 dir;		/* the direction drawn */
	uint64_t	 segs;		/* data segments, retransmissions too */
	uint64_t	 retrans, retrans_kept;
	uint64_t	 acks, dupacks, sacks;
	uint64_t	 bytes;		/* payload, retransmissions too */
	int		 decimated;
	size_t		 columns;	/* non-empty data columns */
	int64_t		 last_ack;	/* relative, -1: none */
	int64_t		 last_edge;	/* last_ack + window */
	size_t		 samples;	/* TCP_INFO samples drawn */
};

struct tsg;

/* A collector; NULL with errno when out of memory. */
struct tsg	*tsg_new(const struct tsg_opts *);

/* The track_cb: keep what one tracker event adds to the graph. */
void	tsg_event(void *, const struct track_event *);

/* Keep one TCP_INFO sample (tsg_sample). */
void	tsg_sample(struct tsg *, const struct tsg_sample *);

/*
 * What the graph holds for direction dir (-1: the one it draws).
 * Returns 0, or -1 when no conversation was found.
 */
int	tsg_info(const struct tsg *, int, struct tsg_info *);

/*
 * Write the SVG document to fp.  Returns 0, or -1 with errno when
 * writing failed or when memory ran out while the events were kept
 * (ENOMEM: the graph would be incomplete).
 */
int	tsg_write(struct tsg *, FILE *);

/* The same SVG as an element of an HTML page (no XML declaration). */
int	tsg_write_inline(struct tsg *, FILE *);

/*
 * What the graph left out or could not draw, as one sentence in buf
 * without "sockkit: ".  Returns 0 when nothing, else 1.
 */
int	tsg_left_out(const struct tsg *, char *, size_t);

void	tsg_free(struct tsg *);

#endif
