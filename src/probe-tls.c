/*
 * probe-tls.c: "probe --tls": a TLS handshake on each open port, run by
 * the engine (probe.h's sess_* hooks) in the slot and time a banner read
 * would take, and what it showed: version, cipher, ALPN, the server's
 * certificate.  The peer is not verified: a scanner reports what it is
 * shown, as nmap's ssl-cert does.  With --banner too, the first bytes the
 * service sends through TLS are its banner.  Nothing here prints.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "probe-tls.h"
#include "targets.h"
#include "tls.h"

struct probe_tlsctx {
	struct tls_opts		 o;		/* the context keeps it */
	struct tls_ctx		*ctx;
	const struct tgt_set	*set;
	int			 banner;	/* --banner: read through TLS */
	struct probe_tls	 info;		/* the last one ended */
	uint8_t			 buf[PROBE_BANNER_MAX];
};

/* One open port's handshake, then (--banner) its first bytes. */
struct probe_tlssess {
	struct probe_tlsctx	*p;
	struct tls_conn		*conn;
	int			 up;		/* the handshake is done */
	ssize_t			 nbuf;		/* banner bytes, -1: none */
	char			 err[160];
};

struct probe_tlsctx *
probe_tls_new(const struct tgt_set *set, int banner, char *err,
    size_t errlen)
{
	struct probe_tlsctx	*p;

	if ((p = calloc(1, sizeof *p)) == NULL) {
		snprintf(err, errlen, "--tls: %s", strerror(errno));
		return NULL;
	}
	p->o.on = 1;
	p->o.insecure = 1;	/* report, never refuse */
	if ((p->ctx = tls_ctx_new(&p->o, 0, err, errlen)) == NULL) {
		free(p);
		return NULL;
	}
	p->set = set;
	p->banner = banner;
	return p;
}

void
probe_tls_free(struct probe_tlsctx *p)
{
	if (p != NULL)
		tls_ctx_free(p->ctx);
	free(p);
}

void *
probe_tls_open(int fd, uint32_t host, uint16_t port, void *arg)
{
	struct probe_tlsctx	*p = arg;
	struct probe_tlssess	*s;
	const struct tgt_host	*h = &p->set->host[host];
	char			 name[INET6_ADDRSTRLEN];

	(void)port;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	s->p = p;
	s->nbuf = -1;
	if (h->name == NULL && inet_ntop(h->family, h->addr, name,
	    sizeof name) == NULL)
		name[0] = '\0';
	/* A name as typed goes as SNI; an address does not (tls.c). */
	if ((s->conn = tls_conn_new(p->ctx, fd, h->name != NULL ? h->name :
	    name, s->err, sizeof s->err)) == NULL && s->err[0] == '\0')
		snprintf(s->err, sizeof s->err, "TLS: out of memory");
	return s;
}

/*
 * A reason without tls.c's "TLS handshake: " (or "TLS: ", "handshake: "):
 * the report says "no TLS: " itself.
 */
static const char *
probe_tls_why(const char *err)
{
	static const char *const lead[] = { "TLS", "handshake" };
	size_t			 i, n;

	for (i = 0; i < sizeof lead / sizeof lead[0]; i++)
		if (strncmp(err, lead[i], n = strlen(lead[i])) == 0) {
			err += n;
			err += strspn(err, ": ");
		}
	return err;
}

int
probe_tls_step(void *arg, int *events)
{
	struct probe_tlssess	*s = arg;
	int			 r;

	if (s->conn == NULL || s->err[0] != '\0')
		return 1;
	if (!s->up) {
		if ((r = tls_handshake(s->conn, s->err, sizeof s->err)) == 0) {
			*events = tls_want(s->conn);
			return 0;
		}
		if (r == -1)
			return 1;
		s->up = 1;
		if (!s->p->banner)
			return 1;
	}
	s->nbuf = tls_read(s->conn, s->p->buf, sizeof s->p->buf, s->err,
	    sizeof s->err);
	if (s->nbuf == -1 && errno == EAGAIN && s->err[0] == '\0') {
		*events = tls_want(s->conn);
		return 0;
	}
	s->err[0] = '\0';	/* no banner is not a TLS failure */
	return 1;
}

void
probe_tls_done(void *arg, int late, struct probe_result *r)
{
	struct probe_tlssess	*s = arg;
	struct probe_tlsctx	*p = s->p;
	struct probe_tls	*in = &p->info;
	struct tls_peer_info	 pi;

	memset(in, 0, sizeof *in);
	if (s->up) {
		tls_conn_info(s->conn, &pi);
		snprintf(in->version, sizeof in->version, "%s", pi.version);
		snprintf(in->cipher, sizeof in->cipher, "%s", pi.cipher);
		snprintf(in->alpn, sizeof in->alpn, "%s", pi.alpn);
		snprintf(in->subject, sizeof in->subject, "%s", pi.subject);
		snprintf(in->issuer, sizeof in->issuer, "%s", pi.issuer);
		snprintf(in->not_before, sizeof in->not_before, "%s",
		    pi.not_before);
		snprintf(in->not_after, sizeof in->not_after, "%s",
		    pi.not_after);
		snprintf(in->fingerprint, sizeof in->fingerprint, "%s",
		    pi.fingerprint);
		if (p->banner) {
			r->banner = p->buf;
			r->banner_len = s->nbuf > 0 ? (int)s->nbuf : 0;
		}
	} else if (s->err[0] != '\0')
		snprintf(in->error, sizeof in->error, "%s",
		    probe_tls_why(s->err));
	else if (late)
		snprintf(in->error, sizeof in->error, "no handshake in time");
	r->tls = in;
	tls_conn_free(s->conn);
	free(s);
}
