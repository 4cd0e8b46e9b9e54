/*
 * words.h: the words every picture of tracker events uses, whatever it
 * draws with: the label of a packet's arrow, the name of an endpoint, how
 * a conversation ended, whether an end is this host.  The text ladder
 * (ladder.c) and the sequence diagram (svg.c) both say these, so they
 * are written once, below both.  Nothing here writes to a stream.
 */
#ifndef WORDS_H
#define WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "track.h"

/* This host's endpoint, when known: the end marked "(this host)". */
struct words_here {
	int		 known;
	struct decode_addr addr;
	uint16_t	 port;
};

/*
 * Append fmt to buf (of size len) at *off, never past the end: what
 * every label is built with.
 */
void	words_cat(char *, size_t, size_t *, const char *, ...)
	    __attribute__((format(printf, 4, 5)));

/*
 * At *off: " \"...\"" with at most max of the n bytes at p, C-escaped,
 * and "..." after when some were left out: a payload preview.
 */
void	words_quote(char *, size_t, size_t *, const uint8_t *, size_t,
	    size_t);

/* TCP flags in the order people say them ("SYN,ACK"), at *off. */
void	words_flags(char *, size_t, size_t *, uint8_t);

/* "a.b.c.d" or "x::y" into buf; returns buf. */
const char *words_addr(const struct decode_addr *, char *, size_t);

/* The lane name of end e of c: "127.0.0.1:80", "[::1]:80", ICMP's host. */
void	words_endpoint(const struct track_conv *, int, char *, size_t);

/* The label of ev's arrow, with at most preview payload bytes. */
void	words_label(const struct track_event *, int, char *, size_t);

/*
 * How c ended, in words; closer_local says that the end which closed
 * first is this host.
 */
void	words_how(const struct track_conv *, int, char *, size_t);

/* A byte count for people: "5 bytes", "12.3 KiB (12595 bytes)"; buf. */
const char *words_bytes(uint64_t, char *, size_t);

/*
 * The counts of c's verdict into buf: packets of each end, then the bytes
 * each way (for TCP delivered and on the wire, and the retransmissions).
 * Returns the length of the packets part, which the ladder colours.
 */
size_t	words_counts(const struct track_conv *, char *, size_t);

/*
 * Whether c's windows are shown unscaled because the scale is not known:
 * no SYN seen (or its options cut), and no window scale from both ends.
 */
int	words_scale_unknown(const struct track_conv *);

/* Whether end e is the endpoint here names (when it names one). */
int	words_is_here(const struct words_here *, const struct track_end *);

#endif
