/*
 * tlsrelay.c: connect and listen over TLS (see tlsrelay.h).
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "relay.h"
#include "tls.h"
#include "tlsrelay.h"
#include "util.h"

struct tls_ctx *
tlsrelay_ctx(const struct tls_opts *o, int server, const char *where)
{
	struct tls_ctx	*tc;
	char		 err[512];

	if ((tc = tls_ctx_new(o, server, err, sizeof err)) == NULL) {
		sk_warnx("%s: %s", where, err);
		return NULL;
	}
	if (o->insecure)
		sk_warnx("%s: --insecure: the server's certificate and name "
		    "are not checked", where);
	return tc;
}

void
tlsrelay_ctx_free(struct tls_ctx *tc)
{
	tls_ctx_free(tc);
}

/* -v: what was agreed and who the peer is. */
static void
tlsrelay_say(const struct tls_conn *c, const char *peer)
{
	struct tls_peer_info	 in;

	if (sk_verbosity == 0)
		return;
	tls_conn_info(c, &in);
	sk_verbose("%s: %s, %s%s%s", peer, in.version, in.cipher,
	    in.alpn[0] ? ", ALPN " : "", in.alpn);
	if (in.subject[0] == '\0') {
		sk_verbose("%s: no certificate", peer);
		return;
	}
	sk_verbose("certificate: subject %s", in.subject);
	sk_verbose("certificate: issuer %s", in.issuer);
	sk_verbose("certificate: valid from %s until %s", in.not_before,
	    in.not_after);
	sk_verbose("certificate: SHA-256 %s", in.fingerprint);
}

int
tlsrelay_run(struct tls_ctx *tc, int fd, const char *host, long ms,
    struct relay_opts *r, int check)
{
	struct relay_xport	 x;
	struct tls_conn		*c;
	char			 err[512];
	int			 rc = EXIT_RUNTIME;

	if ((c = tls_conn_new(tc, fd, host, err, sizeof err)) == NULL) {
		sk_warnx("%s: %s", r->peer, err);
		return EXIT_RUNTIME;
	}
	if (tls_handshake_wait(c, ms, err, sizeof err) == -1) {
		if (!sk_interrupted)
			sk_warnx("%s: %s", r->peer, err);
		goto done;
	}
	tlsrelay_say(c, r->peer);
	rc = EXIT_OK;
	if (!check) {
		tls_relay_xport(c, &x);
		r->xport = &x;
		rc = relay_command(r);
		r->xport = NULL;
	}
	if (tls_truncated(c))
		sk_warnx("%s: truncated: no close_notify (the peer closed TCP "
		    "without ending TLS)", r->peer);
	if (tls_close_notify(c, 1, err, sizeof err) == -1 && rc == EXIT_OK &&
	    !tls_peer_closed(c))
		sk_verbose("%s: %s", r->peer, err);
done:
	tls_conn_free(c);
	return rc;
}
