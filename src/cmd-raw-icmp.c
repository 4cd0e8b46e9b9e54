/*
 * cmd-raw-icmp.c: "sockkit raw icmp", echo request and reply like ping.
 *
 * One socket (raw, or a ping socket without privileges), connected to
 * the host.  Replies are matched by identifier, sequence and a random
 * cookie at the start of the payload; send times are kept in a table
 * indexed by sequence, so nothing is allocated per packet.  In flood mode
 * (-i 0) requests go in bursts of PING_BURST through one sendmmsg(); over
 * loopback their replies are queued before it returns, so one recvmmsg()
 * takes them all and no poll is needed.
 */
#include "config.h"

#include <sys/random.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd-raw-icmp.h"
#include "cmd-raw.h"
#include "icmpsock.h"
#include "net.h"
#include "util.h"

/* Flood: the next request goes after this long even without a reply. */
#define PING_FLOOD_US	10000
#define PING_SEQS	65536
/*
 * Flood: requests go in bursts of this many, one sendmmsg() and (over
 * loopback, where the replies are queued before it returns) one
 * recvmmsg() for all; the next burst once they are all answered.
 */
#define PING_BURST	8

struct ping_opts {
	long		 count;		/* -c (4; 0: until interrupted) */
	long		 interval_ms;	/* -i (1000) */
	long		 size;		/* -s (56) */
	long		 ttl;		/* --ttl (0: the system's) */
	long		 wait_ms;	/* -W (2000) */
	const char	*host;
	struct cmd_ctx	*c;		/* the shared options, the capture */
};

struct ping {
	const struct ping_opts *o;
	struct icmpsock	 s;
	struct sockaddr_storage dst;
	socklen_t	 dstlen;
	char		 dststr[NET_ADDRSTRLEN];
	uint8_t		 cookie[ICMPSOCK_COOKIE];
	uint8_t		*out, *in;
	size_t		 inlen;
	int64_t		*sent_us;	/* by sequence */
	uint8_t		*got;		/* by sequence: replies seen */
	unsigned long	 ntx, nrx, ndup, nerr;
	int64_t		 tmin, tmax, start_us, next_us, last_us;
	double		 tsum, tsum2;
	uint16_t	 seq;		/* the last sent */
	uint16_t	 burst_lo;	/* the first of the last burst */
	int		 burst;		/* requests in the last burst */
	int		 pending;	/* of those, not yet answered */
	size_t		 pktlen;	/* ICMP header and payload */
	struct mmsghdr	 mm[PING_BURST];
	struct iovec	 iov[PING_BURST];
	struct icmpsock_batch in_batch;
	struct icmpsock_msg in_msg[ICMPSOCK_BATCH];
	int		 in_ours[ICMPSOCK_BATCH];
	struct capture	*cap;		/* o->c->capture */
};

static int	ping_setup(struct ping *, const struct ping_opts *);
static int	ping_run(struct ping *);
static void	ping_summary(const struct ping *);

int
raw_icmp_number(const char *opt, const char *arg, long min, long max,
    long *v, char *err, size_t errlen)
{
	char	 why[128];

	if (parse_long(arg, min, max, v, why, sizeof why) == 0)
		return 0;
	snprintf(err, errlen, "%s '%s': %s", opt, arg, why);
	return -1;
}

int
raw_icmp_secs(const char *opt, const char *arg, long min_ms, long max_ms,
    long *v, char *err, size_t errlen)
{
	char	 why[128];

	if (parse_secs(arg, max_ms, v, why, sizeof why) == -1)
		snprintf(err, errlen, "%s '%s': %s", opt, arg, why);
	else if (*v < min_ms)
		snprintf(err, errlen, "%s '%s': below %.3g s", opt, arg,
		    min_ms / 1000.0);
	else
		return 0;
	return -1;
}

int
raw_icmp_resolve(const char *host, int family, struct sockaddr_storage *ss,
    socklen_t *len, char *str, size_t strlen)
{
	struct addrinfo	*res;
	char		 err[512];

	if (net_resolve(host, 0, family, SOCK_DGRAM, 0, &res, err,
	    sizeof err) == -1) {
		sk_warnx("raw: %s", err);
		return EXIT_RUNTIME;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	net_addr_str((struct sockaddr *)ss, str, strlen);
	return 0;
}

int
raw_icmp_end(struct cmd_ctx *c, int rc)
{
	if (c->capture != NULL)
		capture_linger(c->capture);
	return cmd_end(c, rc);
}

/* Mark in the capture's ladder our address on the route to dst. */
static void
raw_icmp_set_local(struct capture *c, const struct sockaddr_storage *dst,
    socklen_t dstlen)
{
	struct sockaddr_storage	 me;
	socklen_t		 ml = sizeof me;
	int			 fd;

	/* Which of our addresses the route to the host leaves from. */
	fd = socket(dst->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd != -1 && connect(fd, (const struct sockaddr *)dst, dstlen) ==
	    0 && getsockname(fd, (struct sockaddr *)&me, &ml) == 0)
		capture_set_local(c, (struct sockaddr *)&me);
	if (fd != -1)
		close(fd);
}

/*
 * An ICMP socket (raw, or ping's datagram socket as icmpsock chooses)
 * connected to dst, so that the kernel hands it only that host's
 * answers.  Returns 0, or EXIT_RUNTIME (reported, naming dststr).
 */
int
raw_icmp_connect(struct icmpsock *s, const struct sockaddr_storage *dst,
    socklen_t dstlen, const char *dststr)
{
	char	 err[512];

	if (icmpsock_open(s, dst->ss_family, err, sizeof err) == -1) {
		sk_warnx("raw: icmp: %s", err);
		return EXIT_RUNTIME;
	}
	if (connect(s->fd, (const struct sockaddr *)dst, dstlen) == -1) {
		sk_warn("raw: icmp: %s", dststr);
		return EXIT_RUNTIME;
	}
	return 0;
}

int
raw_icmp_capture(struct cmd_ctx *c, const char *expr,
    const struct sockaddr_storage *dst, socklen_t dstlen)
{
	char	 err[512];
	int	 rc;

	if (capture_wanted(&c->cap)) {
		if ((rc = cmd_capture_open(c)) != -1)
			return rc;
		if (capture_filter_expr(c->capture, expr, err,
		    sizeof err) == -1) {
			sk_warnx("%s: %s", c->where, err);
			return EXIT_RUNTIME;
		}
		raw_icmp_set_local(c->capture, dst, dstlen);
	}
	return cmd_drop_privileges(c);
}

/* raw icmp's own options (cmd_option_fn); 0 or -1 with err. */
static int
ping_option(void *arg_o, int ch, const char *arg, char *err, size_t errlen)
{
	struct ping_opts *o = arg_o;
	int	 priv = geteuid() == 0 || priv_have_caps();

	switch (ch) {
	case 'c':
		return raw_icmp_number("-c", arg, 0, 1000000000L, &o->count,
		    err, errlen);
	case 'i':
		return raw_icmp_secs("-i", arg, priv ? 0 : 200, 3600000L,
		    &o->interval_ms, err, errlen);
	case 's':
		return raw_icmp_number("-s", arg, 0, ICMPSOCK_MAXDATA,
		    &o->size, err, errlen);
	case OPT_TTL:
		return raw_icmp_number("--ttl", arg, 1, 255, &o->ttl, err,
		    errlen);
	}
	return raw_icmp_secs("-W", arg, 1, 3600000L, &o->wait_ms, err, errlen);
}

int
raw_icmp_host(struct cmd_ctx *c, int argc, char **argv, const char **host)
{
	const char	*why;

	if (argc != 1)
		return cmd_usage_error(c->cmd, "%s: %s", c->sub, argc == 0 ?
		    "missing HOST" : "one HOST only");
	if ((why = net_host_why(argv[0])) != NULL)
		return cmd_usage_error(c->cmd, "%s: bad host '%s': %s", c->sub,
		    argv[0], why);
	*host = argv[0];
	return -1;
}

/* HOST; returns -1 or EXIT_USAGE. */
static int
ping_check(struct cmd_ctx *c, void *arg)
{
	struct ping_opts	*o = arg;

	return raw_icmp_host(c, c->argc, c->argv, &o->host);
}

/* The BPF expression of the echo exchange with the host, into buf. */
static void
ping_filter(const struct ping *p, char *buf, size_t len)
{
	char	 a[NET_ADDRSTRLEN];

	net_addr_str((struct sockaddr *)&p->dst, a, sizeof a);
	snprintf(buf, len, "%s and host %s", p->s.family == AF_INET6 ?
	    "icmp6" : "icmp", a);
}

/* Buffers and the per-sequence tables, allocated once; 0 or -1. */
static int
ping_alloc(struct ping *p)
{
	int	 i;

	p->pktlen = (size_t)p->o->size + 8;
	p->inlen = p->pktlen + 60 + 512;	/* room for an IPv4 header */
	p->out = calloc(PING_BURST, p->pktlen);
	p->in = malloc(p->inlen);
	p->sent_us = calloc(PING_SEQS, sizeof *p->sent_us);
	p->got = calloc(PING_SEQS, 1);
	if (p->out == NULL || p->in == NULL || p->sent_us == NULL ||
	    p->got == NULL || icmpsock_batch_init(&p->in_batch, p->inlen) == -1)
		return -1;
	for (i = 0; i < PING_BURST; i++) {
		p->iov[i].iov_base = p->out + (size_t)i * p->pktlen;
		p->iov[i].iov_len = p->pktlen;
		p->mm[i].msg_hdr.msg_iov = &p->iov[i];
		p->mm[i].msg_hdr.msg_iovlen = 1;
	}
	return getrandom(p->cookie, sizeof p->cookie, 0) ==
	    (ssize_t)sizeof p->cookie ? 0 : -1;
}

/*
 * Resolve, open the socket and the capture, then drop privileges.
 * Returns -1 when ready, else the exit status (reported).
 */
static int
ping_setup(struct ping *p, const struct ping_opts *o)
{
	char	 expr[160];
	int	 rc;

	p->o = o;
	p->s.fd = -1;
	if ((rc = raw_icmp_resolve(o->host, o->c->family, &p->dst,
	    &p->dstlen, p->dststr, sizeof p->dststr)) != 0)
		return rc;
	if ((rc = raw_icmp_connect(&p->s, &p->dst, p->dstlen,
	    p->dststr)) != 0)
		return rc;
	if ((o->ttl > 0 && icmpsock_set_ttl(p->s.fd, p->s.family,
	    (int)o->ttl) == -1) ||
	    (o->interval_ms == 0 && icmpsock_lean(&p->s) == -1)) {
		sk_warn("raw: icmp: %s", p->dststr);
		return EXIT_RUNTIME;
	}
	ping_filter(p, expr, sizeof expr);
	if ((rc = raw_icmp_capture(o->c, expr, &p->dst, p->dstlen)) != -1)
		return rc;
	p->cap = o->c->capture;
	if (ping_alloc(p) == -1) {
		sk_warn("raw: icmp");
		return EXIT_RUNTIME;
	}
	return -1;
}

/* How many requests the next burst holds: one, or in flood PING_BURST. */
static int
ping_burst_size(const struct ping *p)
{
	unsigned long	 left;

	if (p->o->interval_ms > 0)
		return 1;
	if (p->o->count == 0)
		return PING_BURST;
	left = (unsigned long)p->o->count - p->ntx;
	return left < PING_BURST ? (int)left : PING_BURST;
}

/*
 * Send the next burst of echo requests (one, unless flooding).  Returns
 * 0, or -1 with errno for a failure that no retry mends.
 */
static int
ping_send(struct ping *p, int64_t now)
{
	int	 i, n = ping_burst_size(p), sent = -1, tries;
	int64_t	 t = icmpsock_now_us(), at = p->cap != NULL ? capture_now() : 0;

	p->burst_lo = (uint16_t)(p->seq + 1);
	for (i = 0; i < n; i++) {
		p->seq++;
		icmpsock_echo(&p->s, p->iov[i].iov_base, (size_t)p->o->size,
		    p->seq, p->cookie);
		p->sent_us[p->seq] = t;
		p->got[p->seq] = 0;
	}
	/* A pending ICMP error is reported once by the next call: again. */
	for (tries = 0; tries < 2 && sent == -1; tries++)
		sent = sendmmsg(p->s.fd, p->mm, (unsigned)n, 0);
	if (sent == -1 && (errno == EMSGSIZE || errno == EINVAL ||
	    errno == EACCES || errno == EPERM))
		return -1;
	p->ntx += (unsigned long)n;	/* as ping: tried is transmitted */
	p->last_us = now;
	p->burst = p->pending = n;
	if (p->cap != NULL)
		capture_call_at(p->cap, at, n > 1 ? "sendmmsg()" : "send()",
		    sent == -1 ? errno : 0);
	return 0;
}

/* Take a reply: count it, add its time, print its line. */
static void
ping_reply(struct ping *p, const struct icmpsock_msg *m, int64_t now)
{
	double	 ms;
	int64_t	 rtt;
	int	 dup;
	char	 ttl[32] = "";

	if (p->o->size >= ICMPSOCK_COOKIE && !m->cookie_ok)
		return;		/* another run's, with our id by chance */
	if (p->sent_us[m->seq] == 0)
		return;
	rtt = now - p->sent_us[m->seq];
	dup = p->got[m->seq];
	if (!dup && (uint16_t)(m->seq - p->burst_lo) < p->burst)
		p->pending--;
	if (dup) {
		p->ndup++;
	} else {
		p->got[m->seq] = 1;
		p->nrx++;
		if (p->nrx == 1 || rtt < p->tmin)
			p->tmin = rtt;
		if (rtt > p->tmax)
			p->tmax = rtt;
		p->tsum += (double)rtt;
		p->tsum2 += (double)rtt * (double)rtt;
	}
	if (p->o->interval_ms == 0)
		return;		/* flood: the summary only, as ping -f -q */
	if (m->ttl >= 0)
		snprintf(ttl, sizeof ttl, " ttl=%d", m->ttl);
	ms = (double)rtt / 1000.0;
	printf("%zu bytes from %s: icmp_seq=%u%s time=%.*f ms%s\n", m->len,
	    p->dststr, m->seq, ttl, ms < 10 ? 3 : ms < 100 ? 2 : 1, ms,
	    dup ? " (DUP!)" : "");
	fflush(stdout);
}

/* Take an ICMP error about one of our requests: count and print it. */
static void
ping_error(struct ping *p, const struct icmpsock_msg *m)
{
	char	 from[NET_ADDRSTRLEN], nb[48];

	if (p->sent_us[m->seq] == 0)
		return;
	p->nerr++;
	if (!p->got[m->seq] && (uint16_t)(m->seq - p->burst_lo) < p->burst)
		p->pending--;
	p->got[m->seq] = 2;
	net_addr_str((const struct sockaddr *)&m->from, from, sizeof from);
	printf("From %s: icmp_seq=%u %s (type %u code %u)\n", from, m->seq,
	    icmpsock_name(p->s.family, m->type, m->code, nb, sizeof nb),
	    m->type, m->code);
	fflush(stdout);
}

/*
 * Read what is queued, a batch at a time: replies, then errors.  In flood
 * mode stop once the burst is answered, so the next goes at once.
 * Returns 0, or -1 with errno for a failed read.
 */
static int
ping_drain(struct ping *p)
{
	struct icmpsock_msg	 m;
	int			 i, n, r;

	/* -1: the queue is empty, or a pending error (read below). */
	while ((n = icmpsock_recv_batch(&p->s, &p->in_batch, p->cookie,
	    p->in_msg, p->in_ours)) > 0) {
		for (i = 0; i < n; i++)
			if (p->in_ours[i] == 1)
				ping_reply(p, &p->in_msg[i],
				    p->in_msg[i].at_us);
		if (p->o->interval_ms == 0 && p->pending == 0)
			return 0;
	}
	while ((r = icmpsock_recv_err(&p->s, p->in, p->inlen,
	    p->cookie, &m)) != -1)
		if (r == 1)
			ping_error(p, &m);
	return errno == EAGAIN || errno == EINTR ? 0 : -1;
}

/* Whether requests remain to be sent. */
static int
ping_more(const struct ping *p)
{
	return p->o->count == 0 || p->ntx < (unsigned long)p->o->count;
}

/* Whether every request sent so far has had its answer. */
static int
ping_all_in(const struct ping *p)
{
	return p->nrx + p->nerr >= p->ntx;
}

/* When the loop must wake next (microseconds, monotonic). */
static int64_t
ping_wake(const struct ping *p)
{
	if (!ping_more(p))
		return p->last_us + p->o->wait_ms * 1000;
	if (p->o->interval_ms == 0 && p->pending > 0)
		return p->last_us + PING_FLOOD_US;
	return p->next_us;
}

/* Whether the next request is due now. */
static int
ping_due(const struct ping *p, int64_t now)
{
	if (!ping_more(p) || now < p->next_us)
		return 0;
	return p->o->interval_ms > 0 || p->pending == 0 ||
	    now >= p->last_us + PING_FLOOD_US;
}

/*
 * The loop: send when due, read what comes, until the count is sent and
 * answered (or -W is over), or an interrupt.  0, or -1 (reported).
 */
static int
ping_run(struct ping *p)
{
	struct pollfd	 pfd[2];
	int64_t		 now, left;

	pfd[0].fd = p->s.fd;
	pfd[1].fd = p->cap != NULL ? capture_fd(p->cap) : -1;
	pfd[0].events = pfd[1].events = POLLIN;
	p->start_us = p->next_us = now_us();
	while (!sk_interrupted) {
		now = now_us();
		if (ping_due(p, now)) {
			if (ping_send(p, now) == -1)
				return -1;
			p->next_us = now + p->o->interval_ms * 1000;
			if (ping_drain(p) == -1)
				return -1;
			if (p->cap != NULL)	/* a flood fills the ring */
				capture_poll(p->cap);
			continue;
		}
		if (!ping_more(p) && (ping_all_in(p) ||
		    now >= p->last_us + p->o->wait_ms * 1000))
			break;
		left = ping_wake(p) - now;
		if (sk_poll(pfd, 2, left <= 0 ? 0 : (int)((left + 999) /
		    1000)) == -1 && errno != EINTR)
			return -1;
		if (pfd[1].revents != 0)
			capture_poll(p->cap);
		if (pfd[0].revents != 0 && ping_drain(p) == -1)
			return -1;
	}
	return 0;
}

/* The statistics, with iputils ping's meaning. */
static void
ping_summary(const struct ping *p)
{
	double	 avg, mdev;
	long	 ms = (long)((now_us() - p->start_us) / 1000);

	printf("\n--- %s ping statistics ---\n", p->o->host);
	printf("%lu packets transmitted, %lu received", p->ntx, p->nrx);
	if (p->ndup > 0)
		printf(", +%lu duplicates", p->ndup);
	if (p->nerr > 0)
		printf(", +%lu errors", p->nerr);
	printf(", %g%% packet loss, time %ldms\n", p->ntx == 0 ? 0.0 :
	    (double)(p->ntx - (p->nrx < p->ntx ? p->nrx : p->ntx)) * 100.0 /
	    (double)p->ntx, ms);
	if (p->nrx == 0)
		return;
	avg = p->tsum / (double)p->nrx;
	mdev = sqrt(fabs(p->tsum2 / (double)p->nrx - avg * avg));
	printf("rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms\n",
	    (double)p->tmin / 1000.0, avg / 1000.0, (double)p->tmax / 1000.0,
	    mdev / 1000.0);
}

static void
ping_free(struct ping *p)
{
	if (p->s.fd != -1)
		close(p->s.fd);
	free(p->out);
	free(p->in);
	free(p->sent_us);
	free(p->got);
	icmpsock_batch_free(&p->in_batch);
}

/* raw icmp's defaults: 4 requests a second, and root dropped always. */
static void
ping_init(struct cmd_ctx *c, void *arg)
{
	struct ping_opts	*o = arg;

	o->c = c;
	o->count = 4;
	o->interval_ms = 1000;
	o->size = 56;
	o->wait_ms = 2000;
	c->priv.user = PRIV_DEFAULT_USER;
}

/* Ping HOST; the exit status, 0 when any reply came. */
static int
ping_start(struct cmd_ctx *c, void *arg)
{
	const struct ping_opts	*o = arg;
	struct ping		 p;
	int			 rc;

	memset(&p, 0, sizeof p);
	if ((rc = ping_setup(&p, o)) == -1) {
		printf("PING %s (%s) %ld(%ld) bytes of data.\n", o->host,
		    p.dststr, o->size, o->size + 8 + (p.s.family == AF_INET6 ?
		    40 : 20));
		fflush(stdout);
		rc = ping_run(&p) == -1 ? EXIT_RUNTIME : -1;
		if (rc == EXIT_RUNTIME)
			sk_warn("raw: icmp: %s", p.dststr);
		/* An interrupt is how -c 0 ends: report, as ping does. */
		if (sk_interrupted == SIGINT)
			sk_interrupted = 0;
		ping_summary(&p);
		if (rc == -1)
			rc = p.nrx > 0 ? EXIT_OK : EXIT_RUNTIME;
	}
	rc = raw_icmp_end(c, rc);
	ping_free(&p);
	return rc;
}

const struct cmd_entry raw_icmp_entry = {
	.name = "icmp", .shorts = "46c:i:s:W:", .longs = "ttl",
	.size = sizeof(struct ping_opts), .init = ping_init,
	.option = ping_option, .check = ping_check, .run = ping_start,
};
