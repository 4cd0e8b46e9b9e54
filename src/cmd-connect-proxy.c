/*
 * cmd-connect-proxy.c: connect --proxy: its options, the negotiation of
 * proxy.c driven over the socket, and its messages named on the ladder.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "cmd-connect.h"
#include "decode.h"
#include "net.h"
#include "optid.h"
#include "util.h"

int
connect_proxy_option(struct connect_proxy *p, int ch, const char *val,
    char *err, size_t errlen)
{
	switch (ch) {
	case OPT_PROXY:
		p->spec = val;
		return 0;
	case OPT_PROXY_TYPE:
		p->type_set = 1;
		if (proxy_type_parse(val, &p->type) == 0)
			return 0;
		snprintf(err, errlen, "--proxy-type '%s': expected socks4, "
		    "socks4a, socks5 or http", val);
		return -1;
	case OPT_PROXY_AUTH:
		p->auth = val;
		return 0;
	case OPT_PROXY_DNS:
		if (strcmp(val, "local") == 0 || strcmp(val, "remote") == 0) {
			p->dns = val[0];
			return 0;
		}
		snprintf(err, errlen, "--proxy-dns '%s': expected local or "
		    "remote", val);
		return -1;
	}
	snprintf(err, errlen, "not a proxy option");
	return -1;
}

/* The proxy's host and port, its type, auth and DNS checked together. */
const char *
connect_proxy_check(struct connect_proxy *p, char *buf, size_t len)
{
	const char	*colon = p->auth ? strchr(p->auth, ':') : NULL;
	char		 why[300];

	if (p->spec == NULL)
		return p->type_set || p->auth || p->dns ? "--proxy-type, "
		    "--proxy-auth and --proxy-dns need --proxy HOST:PORT" :
		    NULL;
	if (proxy_parse_hostport(p->spec, p->type == PROXY_HTTP ?
	    PROXY_HTTP_PORT : PROXY_SOCKS_PORT, p->host,
	    sizeof p->host, &p->port, why, sizeof why) == -1) {
		snprintf(buf, len, "--proxy %s", why);
		return buf;
	}
	if (p->auth != NULL && (p->type == PROXY_SOCKS4 ||
	    p->type == PROXY_SOCKS4A) && colon != NULL)
		return "--proxy-auth: SOCKS4 sends a user id and no password: "
		    "give USER alone, or use socks5";
	if (p->auth != NULL && p->type != PROXY_SOCKS4 &&
	    p->type != PROXY_SOCKS4A && (colon == NULL || colon == p->auth))
		return "--proxy-auth: expected USER:PASS";
	if (p->dns == 'r' && p->type == PROXY_SOCKS4)
		return "--proxy-dns remote: SOCKS4 carries only an IPv4 "
		    "address: use socks4a, socks5 or http";
	return NULL;
}

/*
 * Resolve host here (--proxy-dns local, or SOCKS4) into r's address:
 * the first of family, IPv4 only for SOCKS4.  Returns 0 or -1 with err.
 */
static int
connect_proxy_resolve(struct proxy_req *r, int family, char *err,
    size_t errlen)
{
	struct addrinfo	*res;
	const struct sockaddr *sa;

	if (r->type == PROXY_SOCKS4 || r->type == PROXY_SOCKS4A)
		family = AF_INET;
	if (net_resolve(r->host, r->port, family, SOCK_STREAM, 0, &res, err,
	    errlen) == -1)
		return -1;
	sa = res->ai_addr;
	if (sa->sa_family == AF_INET) {
		memcpy(r->addr, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		r->addr_len = 4;
	} else {
		memcpy(r->addr, &((const struct sockaddr_in6 *)sa)->sin6_addr,
		    16);
		r->addr_len = 16;
	}
	freeaddrinfo(res);
	return 0;
}

/* Keep what was said in direction dir, named, for the ladder's hook. */
static void
connect_proxy_note(struct connect_proxy *p, int dir, size_t len,
    const char *name)
{
	struct connect_proxy_msg *m;

	if (p->nmsg < CONNECT_PROXY_MSGS) {
		m = &p->msg[p->nmsg++];
		m->dir = dir;
		m->start = p->sent[dir];
		m->len = (uint32_t)len;
		snprintf(m->name, sizeof m->name, "%s", name);
	}
	p->sent[dir] += (uint32_t)len;
	sk_verbose("proxy: %s %s", dir == 0 ? "sent" : "got", name);
}

/*
 * Wait up to wait_ms (-1: no limit) for fd to be ready for events.
 * Returns 0, or -1 with err (timed out, interrupted).
 */
static int
connect_proxy_wait(int fd, short events, long wait_ms, char *err,
    size_t errlen)
{
	struct pollfd	 pfd = { .fd = fd, .events = events };
	int		 rc;

	for (;;) {
		rc = sk_poll(&pfd, 1, (int)wait_ms);
		if (rc > 0)
			return 0;
		if (rc == 0) {
			snprintf(err, errlen, "no answer from the proxy in "
			    "%.3g s (-w)", wait_ms / 1000.0);
			return -1;
		}
		if (errno != EINTR || sk_interrupted) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return -1;
		}
	}
}

/* Send len bytes of buf on the non-blocking fd.  0, or -1 with err. */
static int
connect_proxy_send(int fd, const uint8_t *buf, size_t len, long wait_ms,
    char *err, size_t errlen)
{
	ssize_t	 n;
	size_t	 off = 0;

	while (off < len) {
		if (connect_proxy_wait(fd, POLLOUT, wait_ms, err, errlen) == -1)
			return -1;
		n = send(fd, buf + off, len - off, MSG_NOSIGNAL);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n == -1) {
			snprintf(err, errlen, "send to the proxy: %s",
			    strerror(errno));
			return -1;
		}
		off += (size_t)n;
	}
	return 0;
}

/*
 * Read the reply on fd until buf holds need bytes (never more: what
 * follows belongs to the relay).  Returns 0, or -1 with err.
 */
static int
connect_proxy_recv(int fd, uint8_t *buf, size_t *have, size_t need,
    long wait_ms, char *err, size_t errlen)
{
	ssize_t	 n;

	while (*have < need) {
		if (connect_proxy_wait(fd, POLLIN, wait_ms, err, errlen) == -1)
			return -1;
		n = recv(fd, buf + *have, need - *have, 0);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "the proxy %s before it "
			    "answered%s", n == 0 ? "closed the connection" :
			    strerror(errno), *have ? " in full" : "");
			return -1;
		}
		*have += (size_t)n;
	}
	return 0;
}

/*
 * The capture's hook: a segment of the proxy connection whose payload
 * starts inside a negotiation message gets the message's name; the
 * first past them, in each direction, is named the relayed data.
 */
static void
connect_proxy_hook(void *arg, int64_t ts, const struct decode_pkt *pkt,
    char *note, size_t notelen)
{
	struct connect_proxy	*p = arg;
	int			 dir, i;
	uint32_t		 off;

	(void)ts;
	if (pkt->result != DECODE_OK || pkt->proto != IPPROTO_TCP)
		return;
	dir = pkt->sport == p->lport ? 0 : 1;
	if (pkt->flags & DECODE_SYN) {
		p->isn[dir] = pkt->seq + 1;
		p->isn_seen[dir] = 1;
		return;
	}
	if (pkt->paylen == 0 || !p->isn_seen[dir])
		return;
	off = pkt->seq - p->isn[dir];
	for (i = 0; i < p->nmsg; i++)
		if (p->msg[i].dir == dir && off >= p->msg[i].start &&
		    off - p->msg[i].start < p->msg[i].len) {
			snprintf(note, notelen, "%s", p->msg[i].name);
			return;
		}
	if (off >= p->sent[dir] && !p->relay_named[dir]) {
		p->relay_named[dir] = 1;
		snprintf(note, notelen, "relayed through the proxy");
	}
}

/* The request of p for host port, resolved here when asked to. */
static int
connect_proxy_req(struct connect_proxy *p, const char *host,
    uint16_t port, int family, struct proxy_req *r, char *err,
    size_t errlen)
{
	const char	*colon;

	memset(r, 0, sizeof *r);
	r->type = p->type;
	r->host = host;
	r->port = port;
	if (p->auth != NULL) {
		colon = strchr(p->auth, ':');
		snprintf(p->user, sizeof p->user, "%.*s", colon ? (int)(colon -
		    p->auth) : (int)strlen(p->auth), p->auth);
		r->user = p->user;
		r->pass = colon ? colon + 1 : NULL;
	}
	if (p->dns == 'l' || (p->type == PROXY_SOCKS4 &&
	    net_host_why(host) == NULL))
		return connect_proxy_resolve(r, family, err, errlen);
	return 0;
}

/* The hook's starting point: our end's port, the capture told. */
static void
connect_proxy_hook_on(struct connect_proxy *p, int fd, struct capture *c)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;

	if (c == NULL || getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return;
	p->lport = (uint16_t)net_addr_port((struct sockaddr *)&ss);
	capture_set_hook(c, connect_proxy_hook, p);
}

int
connect_proxy_run(struct connect_proxy *p, int fd, const char *host,
    uint16_t port, int family, long wait_ms, struct capture *c, char *err,
    size_t errlen)
{
	struct proxy_req	 r;
	struct proxy_neg	 n;
	uint8_t			 out[PROXY_MSG_MAX], in[8192];
	size_t			 outlen = 0, have = 0;
	enum proxy_action	 a;

	if (connect_proxy_req(p, host, port, family, &r, err, errlen) == -1)
		return -1;
	memset(&n, 0, sizeof n);
	n.req = &r;
	connect_proxy_hook_on(p, fd, c);
	while ((a = proxy_step(&n, in, have, out, sizeof out, &outlen, err,
	    errlen)) != PROXY_DONE) {
		if (a == PROXY_FAIL) {
			if (have > 0)	/* the refusal, on its arrow */
				connect_proxy_note(p, 1, have, err);
			return -1;
		}
		if (a == PROXY_SEND) {
			connect_proxy_note(p, 0, outlen, n.name);
			if (connect_proxy_send(fd, out, outlen, wait_ms, err,
			    errlen) == -1)
				return -1;
		} else if (a == PROXY_GOT) {
			connect_proxy_note(p, 1, have, n.name);
			have = 0;
		} else if (outlen > sizeof in || connect_proxy_recv(fd, in,
		    &have, outlen, wait_ms, err, errlen) == -1)
			return -1;
	}
	return 0;
}
