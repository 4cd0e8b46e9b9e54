/*
 * tls.h: TLS over a connected socket with OpenSSL (src/tls.c), for
 * connect --tls and listen --tls.  Nothing here prints or exits: every
 * failure is -1 with the reason in the caller's buffer.
 */
#ifndef SOCKKIT_TLS_H
#define SOCKKIT_TLS_H

#include <stddef.h>
#include <sys/types.h>

#include "streamopt.h"

struct tls_ctx;			/* the settings: an SSL_CTX */
struct tls_conn;		/* one connection: an SSL */

/*
 * The settings of o for a client (server 0) or a server: verification,
 * versions, ALPN, certificate (a server without --cert makes an
 * ephemeral self-signed one), key log.  Loads OpenSSL on first use.
 * Returns NULL with err.
 */
struct tls_ctx	*tls_ctx_new(const struct tls_opts *, int, char *, size_t);
void		 tls_ctx_free(struct tls_ctx *);

/* A server's own certificate's SHA-256 fingerprint, AB:CD:..., or "". */
const char	*tls_ctx_fingerprint(const struct tls_ctx *);

/*
 * Start TLS on connected non-blocking fd; host is the name a client
 * checks and sends as SNI (NULL for a server).  Returns NULL with err.
 */
struct tls_conn	*tls_conn_new(struct tls_ctx *, int, const char *, char *,
		    size_t);
void		 tls_conn_free(struct tls_conn *);

/*
 * One step of the handshake: 1 done, 0 to be called again when the
 * socket is ready for tls_want() (POLLIN or POLLOUT), -1 with err (the
 * verification's reason in words when it failed).
 */
int		 tls_handshake(struct tls_conn *, char *, size_t);

/* The poll events the last call of this connection waits for. */
int		 tls_want(const struct tls_conn *);

/* The handshake run to its end, waiting up to ms (-1: no limit). */
int		 tls_handshake_wait(struct tls_conn *, long, char *, size_t);

/*
 * Read up to n bytes: the count, 0 at the peer's close_notify or TCP
 * close (tls_truncated() tells them apart), -1 with errno EAGAIN when
 * none wait (tls_want() says for what), or -1 with err.
 */
ssize_t		 tls_read(struct tls_conn *, void *, size_t, char *, size_t);

/* Write up to n bytes: the count, or -1 (EAGAIN, or err). */
ssize_t		 tls_write(struct tls_conn *, const void *, size_t, char *,
		    size_t);

/* Whether decrypted bytes wait in the library, which poll cannot see. */
int		 tls_pending(const struct tls_conn *);

/*
 * Send close_notify once (waiting up to 2 s for the socket to take it
 * when wait is set).  Returns 0, or -1 with err.
 */
int		 tls_close_notify(struct tls_conn *, int, char *, size_t);

/* Whether the peer closed TCP without close_notify: the data may be cut. */
int		 tls_truncated(const struct tls_conn *);

/* Whether the peer's close_notify came. */
int		 tls_peer_closed(const struct tls_conn *);

/* What -v says about an established connection. */
struct tls_peer_info {
	char	 version[16];
	char	 cipher[64];
	char	 alpn[64];		/* "" when none was agreed */
	char	 subject[256];		/* "" when the peer sent no cert */
	char	 issuer[256];
	char	 not_before[32], not_after[32];
	char	 fingerprint[96];	/* SHA-256, AB:CD:... */
};
void		 tls_conn_info(const struct tls_conn *, struct tls_peer_info *);

struct relay_xport;

/* x relays over c: the relay reads and writes through TLS. */
void		 tls_relay_xport(struct tls_conn *, struct relay_xport *);

/*
 * Give every key log line (NSS format, no newline) to fn as well as to
 * --keylog's file; fn NULL stops.  For the ladder's decryption.
 */
void		 tls_set_keylog_hook(void (*)(const char *, void *), void *);

#endif
