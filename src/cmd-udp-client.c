/*
 * cmd-udp-client.c: the udp client: standard input out as datagrams, every
 * reply to standard output, ICMP errors reported as what they are.
 *
 * Unlike a stream there is no end of the conversation: after input ends
 * we wait -w for late replies, counted from the last datagram either way,
 * so a reply that comes a second after EOF is still printed.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd-udp.h"
#include "dgram.h"
#include "hexdump.h"
#include "util.h"

#define RECV_BUFSIZE	(256 * 1024)	/* larger than any datagram we take */
#define RECV_ROUNDS	64	/* datagrams read before polling again */
#define SEND_ROUNDS	16	/* datagrams sent before reading again */

struct client {
	const struct udp_peer	*p;
	const struct udp_opts	*o;
	struct dgram_in		 in;
	char			*rbuf;
	int64_t			 last;		/* last datagram either way */
	int64_t			 eof_at;	/* input done and sent; -1 */
	int			 blocked;	/* a send would block */
	int			 more;		/* whole datagrams still wait */
	int64_t			 next_at;	/* -d: no send before this */
	uint64_t		 nsent, nrecv;
	char			*err;
	size_t			 errlen;
};

static ssize_t	client_sendto(const struct udp_peer *, const struct udp_opts *,
		    const void *, size_t);
static int	client_error(struct client *, int, size_t);

/*
 * --trace: draw a send or a recv of n bytes on the packets' time axis, at
 * ts, taken before the call (so that it comes before its datagram).
 */
static void
udp_capture_call(struct capture *cap, int64_t ts, const char *what,
    ssize_t n)
{
	char	 call[64];

	if (cap == NULL)
		return;
	snprintf(call, sizeof call, "%s %zd", what, n);
	capture_call_at(cap, ts, call, 0);
}

/* Send one datagram the way the socket was opened: connected or not. */
static ssize_t
client_sendto(const struct udp_peer *p, const struct udp_opts *o,
    const void *buf, size_t len)
{
	if (o->unconnected)
		return sendto(p->fd, buf, len, 0,
		    (const struct sockaddr *)&p->sa, p->salen);
	return send(p->fd, buf, len, 0);
}

/*
 * Say in err that a datagram of len bytes (more than len when !exact)
 * cannot go, with the limit for an IP peer.  Returns -1.
 */
static int
too_large(const struct udp_peer *p, size_t len, int exact, char *err,
    size_t errlen)
{
	int	 ip = p->sa.ss_family == AF_INET || p->sa.ss_family == AF_INET6;
	int	 n;

	n = snprintf(err, errlen, "%s %zu bytes not sent: %s", exact ?
	    "datagram of" : "a line of more than", len, strerror(EMSGSIZE));
	if (ip && n > 0 && (size_t)n < errlen)
		snprintf(err + n, errlen - (size_t)n, " (a datagram holds at "
		    "most %zu bytes over %s)", p->max,
		    dgram_family_name(p->sa.ss_family));
	return -1;
}

/*
 * Describe the failure e of a send (of len bytes) or receive in c->err:
 * the ICMP error behind it when the error queue has one.  Returns -1.
 */
static int
client_error(struct client *c, int e, size_t len)
{
	struct dgram_err	 de;
	char			 what[256];

	if (dgram_err_read(c->p->fd, &de) == 1) {
		snprintf(c->err, c->errlen, "%s", dgram_err_str(&de, what,
		    sizeof what));
		return -1;
	}
	if (e == EMSGSIZE)
		return too_large(c->p, len, 1, c->err, c->errlen);
	snprintf(c->err, c->errlen, "%s%s", strerror(e), e == EACCES &&
	    !c->o->ms.broadcast ? UDP_BROADCAST_HINT : e == ENETUNREACH &&
	    c->o->ms.ifindex == 0 && mcast_is_group((const struct sockaddr *)
	    &c->p->sa) ? " (no route to the group: name the interface with "
	    "--iface)" : "");
	return -1;
}

/*
 * Send the whole datagrams waiting in the input, SEND_ROUNDS at a time so
 * that replies are read in between and do not overflow the socket's
 * receive buffer.  Returns 0 or -1.
 */
static int
client_send(struct client *c)
{
	const struct stream_opts *so = &c->o->c->stream;
	const char	*p;
	size_t		 n;
	ssize_t		 r;
	int64_t		 t;
	int		 rc, sent = 0;

	c->blocked = c->more = 0;
	while ((rc = dgram_in_next(&c->in, &p, &n)) == 1) {
		if (sent++ == SEND_ROUNDS || (so->delay_ms > 0 &&
		    now_ms() < c->next_at)) {
			c->more = 1;
			return 0;
		}
		t = c->o->c->capture != NULL ? capture_now() : 0;
		r = client_sendto(c->p, c->o, p, n);
		if (r == -1 && errno == EINTR && !sk_interrupted)
			continue;
		if (r == -1 && errno == EAGAIN) {
			c->blocked = 1;
			return 0;
		}
		if (r == -1)
			return client_error(c, errno, n);
		hexdump_log(so->log, so->hexlog, p, n);
		dgram_in_consume(&c->in, n);
		udp_capture_call(c->o->c->capture, t, "send", r);
		if (so->delay_ms > 0)
			c->next_at = now_ms() + so->delay_ms;
		c->nsent++;
		c->last = now_ms();
	}
	if (rc == -1)
		return too_large(c->p, c->p->max, 0, c->err, c->errlen);
	return 0;
}

/* Write the datagrams that came to stdout, each as one write. */
static int
client_recv(struct client *c)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	ssize_t			 n;
	int64_t			 t;
	char			 from[NET_ADDRSTRLEN + 16];
	int			 i;

	for (i = 0; i < RECV_ROUNDS; i++) {
		len = sizeof ss;
		t = c->o->c->capture != NULL ? capture_now() : 0;
		n = recvfrom(c->p->fd, c->rbuf, RECV_BUFSIZE, MSG_DONTWAIT,
		    (struct sockaddr *)&ss, &len);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n == -1)
			return client_error(c, errno, 0);
		c->last = now_ms();
		c->nrecv++;
		hexdump_log(c->o->c->stream.log, c->o->c->stream.hexlog,
		    c->rbuf, (size_t)n);
		udp_capture_call(c->o->c->capture, t, "recv", n);
		if (c->o->unconnected)
			sk_verbose("%zd bytes from %s", n, dgram_addr_name(
			    (struct sockaddr *)&ss, len, from, sizeof from));
		else
			sk_verbose("%zd bytes from %s", n, c->p->name);
		if (n > 0 && write_all(STDOUT_FILENO, c->rbuf,
		    (size_t)n) == -1) {
			snprintf(c->err, c->errlen, "write to stdout: %s",
			    strerror(errno));
			return -1;
		}
	}
	return 0;
}

/*
 * Milliseconds poll() may wait: -1 while input goes on, else until the
 * nearer of -w after the last datagram and -q after EOF; 0 when over.
 */
static int
client_timeout(const struct client *c)
{
	int64_t	 now = now_ms(), t = -1, d;

	if (c->more && c->o->c->stream.delay_ms > 0)	/* -d: the next one */
		return c->next_at > now ? (int)(c->next_at - now) : 1;
	if (c->eof_at < 0)
		return -1;
	if (c->o->wait_ms >= 0)
		t = c->last + c->o->wait_ms - now;
	if (c->o->quit_ms >= 0) {
		d = c->eof_at + c->o->quit_ms - now;
		if (t < 0 || d < t)
			t = d;
	}
	if (t <= 0)
		return 0;
	return t > 3600 * 1000 ? 3600 * 1000 : (int)t;
}

/* One poll() and what it found; returns 0 or -1 with c->err. */
static int
client_step(struct client *c, int timeout)
{
	struct pollfd		 pfd[3];
	struct dgram_err	 de;
	char			 what[256];

	pfd[0].fd = !c->blocked && dgram_in_wants_read(&c->in) ?
	    STDIN_FILENO : -1;
	pfd[0].events = POLLIN;
	pfd[1].fd = c->p->fd;
	pfd[1].events = POLLIN | (c->blocked || (c->more &&
	    c->o->c->stream.delay_ms == 0) ? POLLOUT : 0);
	if (udp_poll(c->o, pfd, 2, timeout, c->err, c->errlen) == -1)
		return -1;
	if (sk_interrupted) {
		snprintf(c->err, c->errlen, "interrupted");
		return -1;
	}
	if (pfd[1].revents & POLLERR && dgram_err_read(c->p->fd, &de) == 1) {
		snprintf(c->err, c->errlen, "%s", dgram_err_str(&de, what,
		    sizeof what));
		return -1;
	}
	if (pfd[1].revents & (POLLIN | POLLERR) && client_recv(c) == -1)
		return -1;
	if (pfd[0].revents != 0 && dgram_in_read(&c->in, STDIN_FILENO) == -1) {
		snprintf(c->err, c->errlen, "read from stdin: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
udp_client_run(const struct udp_peer *p, const struct udp_opts *o,
    char *err, size_t errlen)
{
	struct client	 c = { .p = p, .o = o, .err = err, .errlen = errlen,
			    .last = now_ms(), .eof_at = -1 };
	const char	*next;
	size_t		 n;
	int		 rc = -1, t;

	if (dgram_in_init(&c.in, p->max, o->chunk) == -1 ||
	    (c.rbuf = malloc(RECV_BUFSIZE)) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		goto done;
	}
	if (o->data != NULL && dgram_in_set(&c.in, o->data,
	    strlen(o->data)) == -1) {
		client_error(&c, errno, strlen(o->data));
		goto done;
	}
	for (;;) {
		if (client_send(&c) == -1)
			break;
		if (c.eof_at < 0 && c.in.eof && dgram_in_next(&c.in, &next,
		    &n) == 0)
			c.eof_at = now_ms();
		if ((t = client_timeout(&c)) == 0) {
			rc = 0;
			break;
		}
		if (client_step(&c, t) == -1)
			break;
	}
	sk_verbose("%s: sent %llu datagram%s, received %llu", p->name,
	    (unsigned long long)c.nsent, c.nsent == 1 ? "" : "s",
	    (unsigned long long)c.nrecv);
done:
	dgram_in_free(&c.in);
	free(c.rbuf);
	return rc;
}

/* Classify an error from the queue or errno e for -z into res and why. */
static void
zero_error(int fd, int e, enum udp_zero_result *res, char *why, size_t len)
{
	struct dgram_err	 de;

	if (dgram_err_read(fd, &de) == 1) {
		*res = dgram_err_port_unreachable(&de) ? UDP_CLOSED :
		    UDP_FILTERED;
		dgram_err_str(&de, why, len);
		return;
	}
	*res = e == ECONNREFUSED ? UDP_CLOSED : UDP_FILTERED;
	snprintf(why, len, "%s", strerror(e));
}

/* Wait for a reply or an error to the -z datagram; returns 0 or -1. */
static int
zero_wait(const struct udp_peer *p, long wait_ms, enum udp_zero_result *res,
    char *why, size_t len)
{
	struct pollfd		 pfd = { .fd = p->fd, .events = POLLIN };
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof ss;
	int64_t			 end = now_ms() + wait_ms, left;
	char			 buf[1], from[NET_ADDRSTRLEN + 16];
	ssize_t			 n;

	while ((left = end - now_ms()) > 0 && !sk_interrupted) {
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		if (pfd.revents & POLLERR) {
			zero_error(p->fd, ECONNREFUSED, res, why, len);
			return 0;
		}
		n = recvfrom(p->fd, buf, sizeof buf, MSG_TRUNC | MSG_DONTWAIT,
		    (struct sockaddr *)&ss, &sslen);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n == -1) {
			zero_error(p->fd, errno, res, why, len);
			return 0;
		}
		*res = UDP_OPEN;
		snprintf(why, len, "a reply of %zd bytes from %s", n,
		    dgram_addr_name((struct sockaddr *)&ss, sslen, from,
		    sizeof from));
		return 0;
	}
	if (sk_interrupted) {
		snprintf(why, len, "interrupted");
		return -1;
	}
	*res = UDP_OPEN_FILTERED;
	snprintf(why, len, "no reply in %.3g s", wait_ms / 1000.0);
	return 0;
}

int
udp_zero_run(const struct udp_peer *p, const struct udp_opts *o,
    enum udp_zero_result *res, char *why, size_t len)
{
	const char	*data = o->data != NULL ? o->data : "";
	size_t		 n = strlen(data);

	if (n > p->max)
		return too_large(p, n, 1, why, len);
	if (client_sendto(p, o, data, n) == -1) {
		if (errno == ECONNREFUSED) {
			zero_error(p->fd, errno, res, why, len);
			return 0;
		}
		snprintf(why, len, "%s%s", strerror(errno), errno == EACCES &&
		    !o->ms.broadcast ? UDP_BROADCAST_HINT : "");
		return -1;
	}
	return zero_wait(p, o->wait_ms, res, why, len);
}
