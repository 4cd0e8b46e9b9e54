/*
 * cmd-udp-serve.c: the udp server.  It hears every sender, not only the
 * first one as ncat does: datagrams are read in batches with recvmmsg(2)
 * and, in echo and time mode, answered in batches, each to its own
 * sender: when a batch comes full, runs of answers to one sender as one
 * UDP_SEGMENT send, the rest with sendmmsg(2).  Echo and time block in
 * recvmmsg() rather than poll() first.  In relay mode standard input
 * goes to the most recent sender, or with --to-all to every recent one.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <netinet/udp.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd-udp.h"
#include "dgram.h"
#include "hexdump.h"
#include "serve.h"
#include "util.h"

#define BATCH		32		/* datagrams per recvmmsg/sendmmsg */
#define ROUNDS		64		/* batches before polling again */
#define SLOT_IP		65536		/* room for any UDP datagram */
#define SLOT_UNIX	(256 * 1024)	/* more than the default SO_SNDBUF */
#define MAX_PEERS	1024		/* senders remembered for relay */
#define GSO_SEGS	64		/* datagrams in one UDP_SEGMENT send */
#define GSO_BYTES	60000		/* and their bytes, under 64 KiB */

struct peer {
	struct sockaddr_storage	 sa;
	socklen_t		 len;
	int64_t			 seen;
};

struct userver {
	const struct udp_opts	*o;
	int			 fd;
	int			 gso;		/* UDP_SEGMENT still works */
	size_t			 slot;
	char			*bufs;		/* BATCH slots */
	struct mmsghdr		 in[BATCH], out[BATCH];
	struct iovec		 iov_in[BATCH], iov_out[BATCH][2];
	struct sockaddr_storage	 from[BATCH];
	char			 prefix[64];	/* time mode */
	struct peer		*peers;
	size_t			 npeers;
	long			 recent;	/* the last sender; -1: none */
	struct dgram_in		 stdin_in;	/* relay mode */
	int64_t			 eof_at;
	uint64_t		 received, dropped, answered, lost;
	char			*err;
	size_t			 errlen;
};

/* Allocate the batch buffers and point the message headers at them. */
static int
userver_init(struct userver *s, int family)
{
	int	 i;

	s->slot = family == AF_UNIX ? SLOT_UNIX : SLOT_IP;
	s->gso = family != AF_UNIX;
	s->recent = -1;
	s->eof_at = -1;
	if ((s->bufs = malloc(s->slot * BATCH)) == NULL ||
	    (s->peers = calloc(MAX_PEERS, sizeof *s->peers)) == NULL ||
	    dgram_in_init(&s->stdin_in, dgram_max_payload(family),
	    s->o->chunk) == -1)
		return -1;
	for (i = 0; i < BATCH; i++) {
		s->iov_in[i].iov_base = s->bufs + s->slot * (size_t)i;
		s->in[i].msg_hdr.msg_iov = &s->iov_in[i];
		s->in[i].msg_hdr.msg_iovlen = 1;
		s->in[i].msg_hdr.msg_name = &s->from[i];
		s->out[i].msg_hdr.msg_iov = s->iov_out[i];
	}
	return 0;
}

static void
userver_free(struct userver *s)
{
	free(s->bufs);
	free(s->peers);
	dgram_in_free(&s->stdin_in);
}

/* Remember sa as the most recent sender (relay mode). */
static void
peer_seen(struct userver *s, const struct sockaddr_storage *sa,
    socklen_t len)
{
	size_t	 i, oldest = 0;

	for (i = 0; i < s->npeers; i++) {
		if (s->peers[i].len == len && memcmp(&s->peers[i].sa, sa,
		    len) == 0)
			break;
		if (s->peers[i].seen < s->peers[oldest].seen)
			oldest = i;
	}
	if (i == s->npeers) {
		if (s->npeers < MAX_PEERS)
			s->npeers++;
		else
			i = oldest;
		memcpy(&s->peers[i].sa, sa, len);
		s->peers[i].len = len;
	}
	s->peers[i].seen = now_ms();
	s->recent = (long)i;
}

/* Whether the access lists let sa in; counts and reports a drop. */
static int
userver_allowed(struct userver *s, const struct sockaddr *sa, socklen_t len)
{
	const char	*why;
	char		 rule[128], who[NET_ADDRSTRLEN + 16];

	if (s->o->acl.n == 0 || (why = net_acl_check(&s->o->acl, sa, rule,
	    sizeof rule)) == NULL)
		return 1;
	s->dropped++;
	sk_verbose("udp: datagram from %s dropped (%s); %llu dropped so far",
	    dgram_addr_name(sa, len, who, sizeof who), why,
	    (unsigned long long)s->dropped);
	return 0;
}

/* The bytes of prepared answer i. */
static size_t
answer_len(const struct userver *s, int i)
{
	const struct msghdr	*h = &s->out[i].msg_hdr;
	size_t			 k, len = 0;

	for (k = 0; k < h->msg_iovlen; k++)
		len += h->msg_iov[k].iov_len;
	return len;
}

/*
 * How many answers from i on form a train that one UDP_SEGMENT send can
 * carry: the same receiver, the same size (the last may be shorter, but
 * not empty: the kernel would send no datagram for it), within GSO_SEGS
 * and GSO_BYTES.
 */
static int
answer_train(const struct userver *s, int i, int n)
{
	const struct msghdr	*a = &s->out[i].msg_hdr, *h;
	size_t			 seg = answer_len(s, i), len, total = 0;
	int			 k;

	if (!s->gso || seg == 0)
		return 1;
	for (k = i; k < n && k - i < GSO_SEGS; k++) {
		h = &s->out[k].msg_hdr;
		len = answer_len(s, k);
		if (h->msg_namelen != a->msg_namelen || memcmp(h->msg_name,
		    a->msg_name, a->msg_namelen) != 0 || len > seg ||
		    len == 0 || total + len > GSO_BYTES)
			break;
		total += len;
		if (len < seg)
			return k - i + 1;
	}
	return k - i;
}

/*
 * Send a train of m answers from i as one sendmsg(2) with UDP_SEGMENT:
 * the kernel cuts it into the datagrams again, but the stack is crossed
 * once, not m times.  Returns 0, or -1 when UDP_SEGMENT failed (it is
 * then turned off, and the caller sends the train the plain way).
 */
static int
answer_gso(struct userver *s, int i, int m)
{
	union {
		char		buf[CMSG_SPACE(sizeof(uint16_t))];
		struct cmsghdr	align;
	} ctl;
	struct iovec	 iov[GSO_SEGS * 2];
	struct msghdr	 msg = s->out[i].msg_hdr;
	struct cmsghdr	*cm;
	uint16_t	 seg = (uint16_t)answer_len(s, i);
	int		 k, niov = 0;

	for (k = i; k < i + m; k++) {
		memcpy(iov + niov, s->out[k].msg_hdr.msg_iov,
		    s->out[k].msg_hdr.msg_iovlen * sizeof *iov);
		niov += (int)s->out[k].msg_hdr.msg_iovlen;
	}
	msg.msg_iov = iov;
	msg.msg_iovlen = (size_t)niov;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof ctl.buf;
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_UDP;
	cm->cmsg_type = UDP_SEGMENT;
	cm->cmsg_len = CMSG_LEN(sizeof seg);
	memcpy(CMSG_DATA(cm), &seg, sizeof seg);
	if (sendmsg(s->fd, &msg, 0) == -1) {
		sk_verbose("udp: UDP_SEGMENT: %s: sending datagrams one by one",
		    strerror(errno));
		s->gso = 0;
		return -1;
	}
	s->answered += (uint64_t)m;
	return 0;
}

/*
 * Send answers i to n with sendmmsg(2).  An answer that fails is
 * reported and skipped; when the socket stays full after a wait the rest
 * are counted as lost, as the network would lose them.
 */
static void
answer_plain(struct userver *s, int i, int n)
{
	struct pollfd	 pfd = { .fd = s->fd, .events = POLLOUT };
	char		 who[NET_ADDRSTRLEN + 16];
	int		 r, waited = 0;
	struct msghdr	*h;

	while (i < n) {
		r = sendmmsg(s->fd, s->out + i, (unsigned)(n - i), 0);
		if (r > 0) {
			i += r;
			s->answered += (uint64_t)r;
			continue;
		}
		if (errno == EAGAIN && !waited) {
			waited = 1;
			poll(&pfd, 1, 100);
			continue;
		}
		if (errno == EAGAIN || errno == EINTR) {
			s->lost += (uint64_t)(n - i);
			return;
		}
		h = &s->out[i].msg_hdr;
		sk_warnx("udp: answer to %s: %s", dgram_addr_name(h->msg_name,
		    h->msg_namelen, who, sizeof who), strerror(errno));
		s->lost++;
		i++;
	}
}

/*
 * Send the n prepared answers of a batch, full when it read BATCH
 * datagrams: then trains to one receiver as UDP_SEGMENT sends, what lies
 * between them with sendmmsg(2).  A train crosses the stack once, but on
 * loopback the kernel cuts it up again before its first datagram reaches
 * the receiver.  That pays when datagrams queue faster than we answer, as
 * when both ends share a CPU (bench/udp.sh: 1.3x a recvfrom/sendto loop,
 * where sendmmsg alone gives 1.0x); when we keep up, a receiver on
 * another CPU would wait for whole trains (0.8x), so a batch that is not
 * full goes out by sendmmsg alone (1.0x).
 */
static void
userver_answer(struct userver *s, int n, int full)
{
	int	 i = 0, j, m = 0;

	if (!full) {
		answer_plain(s, 0, n);
		return;
	}
	while (i < n) {
		for (j = i; j < n && (m = answer_train(s, j, n)) < 2; j++)
			;
		if (j > i)
			answer_plain(s, i, j);
		if (j == n)
			return;
		if (answer_gso(s, j, m) == -1)
			answer_plain(s, j, j + m);
		i = j + m;
	}
}

/*
 * Give datagram i of the batch to the mode: relay writes it out and
 * remembers the sender, echo and time prepare an answer in slot *nout.
 * Returns 0 or -1 with s->err.
 */
static int
userver_take(struct userver *s, int i, int *nout)
{
	struct msghdr	*h = &s->in[i].msg_hdr, *a;
	size_t		 len = s->in[i].msg_len, k = 0;

	if (s->o->mode == UDP_RELAY) {
		hexdump_log(s->o->c->stream.log, s->o->c->stream.hexlog,
		    h->msg_iov->iov_base, len);
		if (len > 0 && write_all(STDOUT_FILENO, h->msg_iov->iov_base,
		    len) == -1) {
			snprintf(s->err, s->errlen, "write to stdout: %s",
			    strerror(errno));
			return -1;
		}
		if (h->msg_namelen > sizeof(sa_family_t))
			peer_seen(s, &s->from[i], h->msg_namelen);
		return 0;
	}
	if (h->msg_namelen <= sizeof(sa_family_t))
		return 0;	/* an unnamed Unix socket: no way back */
	a = &s->out[*nout].msg_hdr;
	if (s->o->mode == UDP_TIME) {
		s->iov_out[*nout][k].iov_base = s->prefix;
		s->iov_out[*nout][k++].iov_len = strlen(s->prefix);
	}
	s->iov_out[*nout][k].iov_base = h->msg_iov->iov_base;
	s->iov_out[*nout][k++].iov_len = len;
	a->msg_iovlen = k;
	a->msg_name = h->msg_name;
	a->msg_namelen = h->msg_namelen;
	(*nout)++;
	return 0;
}

/* Verbose and warning messages about datagram i of the batch. */
static void
userver_report(struct userver *s, int i)
{
	struct msghdr	*h = &s->in[i].msg_hdr;
	char		 who[NET_ADDRSTRLEN + 16];

	if (sk_verbosity == 0 && !(h->msg_flags & MSG_TRUNC))
		return;
	dgram_addr_name(h->msg_name, h->msg_namelen, who, sizeof who);
	if (h->msg_flags & MSG_TRUNC)
		sk_warnx("udp: datagram from %s cut to %zu bytes", who,
		    s->slot);
	sk_verbose("datagram from %s: %u bytes", who, s->in[i].msg_len);
}

/*
 * Read one batch (recvmmsg flags: MSG_DONTWAIT, or MSG_WAITFORONE on a
 * blocking socket) and handle it.  Returns how many datagrams came (0
 * when none was waiting), or -1 with s->err.
 */
static int
userver_batch(struct userver *s, int flags)
{
	int	 i, n, nout = 0;

	for (i = 0; i < BATCH; i++) {
		s->iov_in[i].iov_len = s->slot;
		s->in[i].msg_hdr.msg_namelen = sizeof s->from[i];
		s->in[i].msg_hdr.msg_flags = 0;
	}
	n = recvmmsg(s->fd, s->in, BATCH, flags, NULL);
	if (n == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		snprintf(s->err, s->errlen, "receive: %s", strerror(errno));
		return -1;
	}
	if (s->o->mode == UDP_TIME)
		serve_time_prefix(s->prefix, sizeof s->prefix);
	for (i = 0; i < n; i++) {
		if (!userver_allowed(s, s->in[i].msg_hdr.msg_name,
		    s->in[i].msg_hdr.msg_namelen))
			continue;
		s->received++;
		userver_report(s, i);
		if (userver_take(s, i, &nout) == -1)
			return -1;
	}
	if (nout > 0)
		userver_answer(s, nout, n == BATCH);
	return n;
}

/* Send one stdin datagram to peer p; waits up to a second for room. */
static void
userver_send_peer(struct userver *s, const struct peer *p, const char *buf,
    size_t len)
{
	struct pollfd	 pfd = { .fd = s->fd, .events = POLLOUT };
	char		 who[NET_ADDRSTRLEN + 16];
	ssize_t		 r;

	r = sendto(s->fd, buf, len, 0, (const struct sockaddr *)&p->sa,
	    p->len);
	if (r == -1 && errno == EAGAIN && poll(&pfd, 1, 1000) == 1)
		r = sendto(s->fd, buf, len, 0,
		    (const struct sockaddr *)&p->sa, p->len);
	if (r == -1)
		sk_warnx("udp: send to %s: %s", dgram_addr_name(
		    (const struct sockaddr *)&p->sa, p->len, who, sizeof who),
		    strerror(errno));
}

/*
 * Relay mode: send each whole stdin datagram to the most recent sender,
 * or with --to-all to every sender seen within -w.  Before the first
 * sender they wait (reading stops when the buffer is full).  Returns 0
 * or -1.
 */
static int
userver_stdin(struct userver *s)
{
	const char	*p;
	size_t		 n, i;
	int64_t		 now = now_ms();
	int		 rc = 0;

	while (s->recent >= 0 &&
	    (rc = dgram_in_next(&s->stdin_in, &p, &n)) == 1) {
		if (!s->o->to_all)
			userver_send_peer(s, &s->peers[s->recent], p, n);
		else
			for (i = 0; i < s->npeers; i++)
				if (s->o->wait_ms < 0 || now -
				    s->peers[i].seen <= s->o->wait_ms)
					userver_send_peer(s, &s->peers[i], p,
					    n);
		hexdump_log(s->o->c->stream.log, s->o->c->stream.hexlog, p, n);
		dgram_in_consume(&s->stdin_in, n);
	}
	if (rc == -1) {
		snprintf(s->err, s->errlen, "a line of more than %zu bytes on "
		    "stdin: %s (a datagram holds at most %zu bytes)",
		    s->stdin_in.max, strerror(EMSGSIZE), s->stdin_in.max);
		return -1;
	}
	if (s->stdin_in.eof && s->eof_at < 0 && dgram_in_next(&s->stdin_in,
	    &p, &n) == 0)
		s->eof_at = now;
	return 0;
}

/* poll() timeout: until -q after stdin EOF, else none; 0 when over. */
static int
userver_timeout(const struct userver *s)
{
	int64_t	 d;

	if (s->o->quit_ms < 0 || s->eof_at < 0)
		return -1;
	d = s->eof_at + s->o->quit_ms - now_ms();
	return d <= 0 ? 0 : d > 3600 * 1000 ? 3600 * 1000 : (int)d;
}

/* One poll() and what it found; returns 0 or -1 with s->err. */
static int
userver_step(struct userver *s, int timeout)
{
	struct pollfd	 pfd[3];
	int		 n, rounds = 0;

	pfd[0].fd = s->fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = s->o->mode == UDP_RELAY &&
	    dgram_in_wants_read(&s->stdin_in) ? STDIN_FILENO : -1;
	pfd[1].events = POLLIN;
	if (udp_poll(s->o, pfd, 2, timeout, s->err, s->errlen) == -1)
		return -1;
	if (sk_interrupted)
		return 0;
	if (pfd[0].revents != 0) {
		while ((n = userver_batch(s, MSG_DONTWAIT)) == BATCH &&
		    ++rounds < ROUNDS)
			;
		if (n == -1)
			return -1;
		/* Lines that waited for a first sender can go now. */
		if (s->o->mode == UDP_RELAY && userver_stdin(s) == -1)
			return -1;
	}
	if (pfd[1].revents != 0) {
		if (dgram_in_read(&s->stdin_in, STDIN_FILENO) == -1) {
			snprintf(s->err, s->errlen, "read from stdin: %s",
			    strerror(errno));
			return -1;
		}
		return userver_stdin(s);
	}
	return 0;
}

/*
 * Echo and time modes read nothing but the socket, so they skip poll():
 * the socket turns blocking and recvmmsg(2) waits for the first datagram
 * of each batch, which saves a system call a batch when datagrams come
 * one at a time.  A receive timeout wakes it each second to see signals
 * that came just before it blocked.  Returns 0 or -1 with s->err.
 */
static int
userver_blocking(struct userver *s)
{
	struct timeval	 tv = { .tv_sec = 1, .tv_usec = 0 };

	if (set_nonblock(s->fd, 0) == -1 || setsockopt(s->fd, SOL_SOCKET,
	    SO_RCVTIMEO, &tv, sizeof tv) == -1) {
		snprintf(s->err, s->errlen, "udp: %s", strerror(errno));
		return -1;
	}
	while (!sk_interrupted)
		if (userver_batch(s, MSG_WAITFORONE) == -1)
			return -1;
	return 0;
}

int
udp_serve_run(int fd, int family, const struct udp_opts *o, char *err,
    size_t errlen)
{
	struct userver	 s = { .o = o, .fd = fd, .err = err,
			    .errlen = errlen };
	int		 rc = -1, t;

	if (userver_init(&s, family) == -1) {
		snprintf(err, errlen, "udp: %s", strerror(errno));
		goto done;
	}
	/* With a capture to draw, every mode needs the poll() loop. */
	if (o->mode != UDP_RELAY && o->c->capture == NULL) {
		rc = userver_blocking(&s);
		goto done;
	}
	while (!sk_interrupted) {
		if ((t = userver_timeout(&s)) == 0)
			break;
		if (userver_step(&s, t) == -1)
			goto done;
	}
	rc = 0;
done:
	sk_verbose("udp: %llu datagrams received, %llu answered, %llu dropped "
	    "by --allow/--deny, %llu answers lost", (unsigned long long)
	    s.received, (unsigned long long)s.answered, (unsigned long long)
	    s.dropped, (unsigned long long)s.lost);
	userver_free(&s);
	return rc;
}
