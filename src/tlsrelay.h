/*
 * tlsrelay.h: what connect and listen do with --tls (src/tlsrelay.c):
 * the handshake on an accepted or connected socket, said with -v, the
 * relay over it, and close_notify before the close.  Command code: it
 * prints its errors.
 */
#ifndef SOCKKIT_TLSRELAY_H
#define SOCKKIT_TLSRELAY_H

#include "streamopt.h"

struct tls_ctx;
struct relay_opts;

#ifdef HAVE_OPENSSL
/*
 * The settings of --tls for a client or a server (said with --insecure);
 * NULL after saying why, as "where: ...".
 */
struct tls_ctx	*tlsrelay_ctx(const struct tls_opts *, int, const char *);

/*
 * Handshake on fd (host: the name a client checks; NULL for a server)
 * within ms (-1: no limit), then relay r over it and send close_notify.
 * Returns the exit status, with -z (check) only the handshake.
 */
int		 tlsrelay_run(struct tls_ctx *, int, const char *, long,
		    struct relay_opts *, int);
void		 tlsrelay_ctx_free(struct tls_ctx *);
#else
static inline struct tls_ctx *
tlsrelay_ctx(const struct tls_opts *o, int server, const char *where)
{
	(void)o; (void)server; (void)where;
	return NULL;
}
static inline int
tlsrelay_run(struct tls_ctx *tc, int fd, const char *host, long ms,
    struct relay_opts *r, int check)
{
	(void)tc; (void)fd; (void)host; (void)ms; (void)r; (void)check;
	return 1;
}
static inline void
tlsrelay_ctx_free(struct tls_ctx *tc)
{
	(void)tc;
}
#endif

#endif
