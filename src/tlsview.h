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

/*
 * Hang on ev (the sink's own copy of a tracker event) the TLS events of
 * its segment, or at TRACK_EV_END the verdict.  What it points to stays
 * valid until the next call.
 */
void	tlsview_event(struct tlsview *, struct track_event *);

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
