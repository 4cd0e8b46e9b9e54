/*
 * tlsview.h: the TLS layer of the render sink.  Each TCP conversation
 * whose stream looks like TLS (a record header at its start, or a TLS
 * port) has its payload, per direction, fed to a TLS decoder
 * (tlsdecode.h); the records and messages a segment completes are hung on
 * that segment's tracker event (track_event.tls), and the end of the
 * conversation gets what it agreed and how it closed (tls_verdict), so
 * that every picture draws them on the right arrow.  With a key log
 * (keylog.h) the TLS 1.3 handshake is decrypted (tlscrypt.h).  Pure: no
 * printing, no exiting.
 */
#ifndef TLSVIEW_H
#define TLSVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "tlsdecode.h"
#include "track.h"

#define TLSVIEW_KEEP	32	/* TLS events kept per segment */
#define TLSVIEW_PEEK	4096	/* records this long: type from the last
				   block (tlscrypt_peek()) */
#define TLSVIEW_VERDICT	200

struct keylog;

struct tlsview_opts {
	const struct keylog *keylog;	/* secrets to decrypt with; NULL */
	int		 preview;	/* plaintext bytes of decrypted
					   application data shown, 0: none */
};

struct tlsview;

/* A TLS layer; NULL when out of memory. */
struct tlsview	*tlsview_new(const struct tlsview_opts *);
void		 tlsview_free(struct tlsview *);

/* The TLS events of one segment, decoded as it was captured. */
struct tlsview_seg {
	struct tls_event *ev;		/* n of them (malloc'd), or NULL */
	int		 n;
	uint32_t	 more;		/* past TLSVIEW_KEEP, or memory */
};

/*
 * Hang on ev (the sink's own copy of a tracker event) the TLS events of
 * its segment: seg's when it was decoded ahead (tlsview_ahead()), else
 * decoded now; or at TRACK_EV_END the verdict.  What it points to stays
 * valid until the next call (or seg's end).
 */
void	tlsview_event(struct tlsview *, struct track_event *,
	    const struct tlsview_seg *);

/*
 * Whether c's segments may now be decoded as they are captured, ahead of
 * their tracker events: c is TLS, and both directions are under keys that
 * no longer come from the key log (a live connection logs its secrets a
 * little after the packets that need them arrive, and the drawing waits
 * for them).  Says 1 once for c.
 */
int	tlsview_go_ahead(struct tlsview *, struct track_conv *);

/*
 * Decode now pk, a segment of direction dir of c at relative sequence
 * number rseq, in capture order, its events into seg; its tracker event
 * then takes them (tlsview_event()).  Returns 1, or 0 when pk has no
 * payload to decode (seg empty).
 */
int	tlsview_ahead(struct tlsview *, struct track_conv *, int, uint32_t,
	    const struct decode_pkt *, struct tlsview_seg *);
void	tlsview_seg_free(struct tlsview_seg *);

/* After a TRACK_EV_END was drawn: free what the conversation held. */
void	tlsview_forget(struct tlsview *, struct track_conv *);

/*
 * Whether event i of ev's TLS events is a record whose messages follow
 * it (the pictures name the messages instead).
 */
int	tlsview_hidden(const struct track_event *, int);

/* One TLS event in words: "ServerHello TLS1.3 ..." into buf. */
void	tlsview_words(const struct tls_event *, char *, size_t);

#endif
