/*
 * cmd-raw-trace.c: "--traceroute" on raw icmp, udp and tcp.
 *
 * Probes for a window of hops (-N, 16) go out at once, so a hop that
 * never answers costs one wait (-W), not one per probe; hops are printed
 * in order as each one's probes are all answered or given up.
 *
 * ICMP probes are echo requests on one echo socket (raw, or a ping socket
 * without privileges), its TTL set before each send, matched by
 * sequence.  UDP and TCP probes are ordinary sockets, one per probe, with
 * IP_TTL and IP_RECVERR: the kernel matches the ICMP error to the socket
 * that caused it and queues it with the router's address, so neither
 * needs privileges nor a raw socket reading every ICMP message of the
 * host, and the probe is told by its socket alone.  TCP probes are
 * non-blocking connect()s: SYN,ACK or RST from the destination ends the
 * trace; the kernel completes the handshake and close() resets it.
 */
#include "config.h"

#include <sys/random.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd-raw-icmp.h"
#include "cmd-raw.h"
#include "icmpsock.h"
#include "net.h"
#include "util.h"

/* Once a later hop has answered, a silent probe waits this many rtts. */
#define TRACE_NEAR	10
#define TRACE_NEAR_MIN_US 1000
#define TRACE_MAXQ	10

enum tp_state { TP_UNSENT, TP_SENT, TP_DONE, TP_LOST };

struct tprobe {
	int		 fd;		/* udp, tcp: the probe's own socket */
	int		 ttl;
	enum tp_state	 state;
	int		 final;		/* the destination answered */
	int64_t		 sent_us, rtt_us;	/* icmpsock_now_us() */
	int64_t		 sent_mono;	/* now_us(), for the deadlines */
	struct sockaddr_storage from;
	const char	*note;		/* "!H", "open", ... */
};

struct trace_opts {
	int		 proto;
	long		 first, max, q, window, wait_ms, port;
	const char	*host;
	struct cmd_ctx	*c;		/* the shared options, the capture */
};

struct trace {
	const struct trace_opts *o;
	struct sockaddr_storage dst;
	socklen_t	 dstlen;
	char		 dststr[NET_ADDRSTRLEN];
	struct icmpsock	 s;		/* icmp */
	uint8_t		 cookie[ICMPSOCK_COOKIE];
	uint8_t		 buf[2048];
	struct tprobe	*p;
	size_t		 np;
	int		 next_ttl;	/* the next hop to send probes for */
	int		 print_ttl;	/* the next hop to print */
	int		 dest_ttl;	/* the lowest hop the end answered */
	int		 high_ttl;	/* highest hop that answered */
	int		 sock_ttl;	/* icmp: the socket's TTL now (0: unset) */
	int64_t		 near_us;	/* the slowest answer so far */
	struct pollfd	*pfd;
	size_t		*pidx;
	struct capture	*cap;		/* o->c->capture */
};

static int	trace_option(void *, int, const char *, char *, size_t);
static int	trace_send(struct trace *, struct tprobe *, size_t);
static void	trace_answer(struct trace *, struct tprobe *, int64_t,
		    const struct sockaddr_storage *, const char *, int);

static const char *
trace_proto_name(int proto)
{
	return proto == IPPROTO_UDP ? "udp" : proto == IPPROTO_TCP ? "tcp" :
	    "icmp";
}

/* --traceroute's own options (cmd_option_fn); 0 or -1 with err. */
static int
trace_option(void *arg_o, int ch, const char *arg, char *err, size_t errlen)
{
	static const struct {
		int		 ch;
		const char	*name;
		long		 max;
		size_t		 off;
	} num[] = {
		{ OPT_FIRST_TTL, "--first-ttl", 255,
		    offsetof(struct trace_opts, first) },
		{ OPT_MAX_TTL, "--max-ttl", 255,
		    offsetof(struct trace_opts, max) },
		{ 'q', "-q", TRACE_MAXQ, offsetof(struct trace_opts, q) },
		{ 'N', "-N", 255, offsetof(struct trace_opts, window) },
		{ 'p', "-p", 65535, offsetof(struct trace_opts, port) },
	};
	struct trace_opts *o = arg_o;
	size_t		 i;

	if (ch == OPT_TRACEROUTE)
		return 0;
	for (i = 0; i < sizeof num / sizeof num[0]; i++)
		if (num[i].ch == ch)
			return raw_icmp_number(num[i].name, arg, 1, num[i].max,
			    (long *)(void *)((char *)o + num[i].off), err,
			    errlen);
	return raw_icmp_secs("-W", arg, 1, 3600000L, &o->wait_ms, err,
	    errlen);
}

/* HOST, and what the options cannot be; returns -1 or EXIT_USAGE. */
static int
trace_check(struct cmd_ctx *c, void *arg)
{
	struct trace_opts	*o = arg;

	if (raw_icmp_host(c, c->argc, c->argv, &o->host) != -1)
		return EXIT_USAGE;
	if (o->first > o->max)
		return cmd_usage_error(c->cmd, "--first-ttl %ld is above "
		    "--max-ttl %ld", o->first, o->max);
	if (o->port != 0 && o->proto == IPPROTO_ICMP)
		return cmd_usage_error(c->cmd, "icmp: -p: only udp and tcp "
		    "probes have ports");
	return -1;
}

/*
 * The BPF expression of the probes to the destination, its answers, and
 * the ICMP errors that quote a packet sent to it (the routers' time
 * exceeded), into expr.
 */
static void
trace_filter(const struct trace *t, char *expr, size_t len)
{
	const uint32_t	*w = (const uint32_t *)(const void *)
			    &((const struct sockaddr_in6 *)&t->dst)->sin6_addr;
	const char	*pn = trace_proto_name(t->o->proto);
	uint32_t	 a4;

	/* Our probes carry no IP options: the quoted header is 20 or 40. */
	if (t->dst.ss_family == AF_INET) {
		a4 = ((const struct sockaddr_in *)&t->dst)->sin_addr.s_addr;
		snprintf(expr, len, "(%s and host %s) or (icmp and "
		    "(icmp[0] = 3 or icmp[0] = 11) and icmp[24:4] = 0x%08x)",
		    pn, t->dststr, (unsigned)ntohl(a4));
	} else
		snprintf(expr, len, "(%s and host %s) or (icmp6 and "
		    "ip6[6] = 58 and (ip6[40] = 1 or ip6[40] = 3) and "
		    "ip6[72:4] = 0x%08x and ip6[76:4] = 0x%08x and "
		    "ip6[80:4] = 0x%08x and ip6[84:4] = 0x%08x)",
		    t->o->proto == IPPROTO_ICMP ? "icmp6" : pn, t->dststr,
		    (unsigned)ntohl(w[0]), (unsigned)ntohl(w[1]),
		    (unsigned)ntohl(w[2]), (unsigned)ntohl(w[3]));
}

/*
 * Resolve; for icmp open the echo socket; open the capture; then drop
 * privileges and allocate the probes.  Returns -1 when ready, else the
 * exit status (reported).
 */
static int
trace_setup(struct trace *t, const struct trace_opts *o)
{
	char	 expr[512];
	size_t	 i;
	int	 rc;

	t->s.fd = -1;
	t->o = o;
	if ((rc = raw_icmp_resolve(o->host, o->c->family, &t->dst,
	    &t->dstlen, t->dststr, sizeof t->dststr)) != 0)
		return rc;
	if (o->proto == IPPROTO_ICMP && (rc = raw_icmp_connect(&t->s,
	    &t->dst, t->dstlen, t->dststr)) != 0)
		return rc;
	trace_filter(t, expr, sizeof expr);
	if ((rc = raw_icmp_capture(o->c, expr, &t->dst, t->dstlen)) != -1)
		return rc;
	t->cap = o->c->capture;
	t->np = (size_t)(o->max - o->first + 1) * (size_t)o->q;
	t->p = calloc(t->np, sizeof *t->p);
	/* Every probe's socket, or the echo socket; and the capture. */
	t->pfd = calloc(t->np + 2, sizeof *t->pfd);
	t->pidx = calloc(t->np + 2, sizeof *t->pidx);
	if (t->p == NULL || t->pfd == NULL || t->pidx == NULL ||
	    getrandom(t->cookie, sizeof t->cookie, 0) != sizeof t->cookie) {
		sk_warn("raw: traceroute");
		return EXIT_RUNTIME;
	}
	for (i = 0; i < t->np; i++) {
		t->p[i].fd = -1;
		t->p[i].ttl = (int)(o->first + (long)(i / (size_t)o->q));
	}
	t->next_ttl = t->print_ttl = (int)o->first;
	t->dest_ttl = 256;
	return -1;
}

/* The destination with port (udp: one more per probe), into ss. */
static void
trace_dst_port(const struct trace *t, size_t i, struct sockaddr_storage *ss)
{
	long	 port = t->o->port;

	memcpy(ss, &t->dst, sizeof *ss);
	if (t->o->proto == IPPROTO_UDP)
		port = (port != 0 ? port : 33434) + (long)i;
	else if (port == 0)
		port = 80;
	port = (port - 1) % 65535 + 1;
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
}

/* A UDP or TCP probe: its own socket, TTL, error queue.  fd or -1. */
static int
trace_socket(const struct trace *t, struct tprobe *pr, size_t i)
{
	struct sockaddr_storage	 ss;
	int			 fd, tcp = t->o->proto == IPPROTO_TCP;
	static const char	 probe[] = "sockkit traceroute probe";

	fd = socket(t->dst.ss_family, (tcp ? SOCK_STREAM : SOCK_DGRAM) |
	    SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	trace_dst_port(t, i, &ss);
	if (icmpsock_set_ttl(fd, t->dst.ss_family, pr->ttl) == -1 ||
	    icmpsock_recverr(fd, t->dst.ss_family) == -1 ||
	    (pr->sent_us = icmpsock_now_us()) == 0 ||
	    (connect(fd, (struct sockaddr *)&ss, t->dstlen) == -1 &&
	    errno != EINPROGRESS) ||
	    (!tcp && send(fd, probe, sizeof probe - 1, 0) == -1)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Send probe i; 0, or -1 with errno. */
static int
trace_send(struct trace *t, struct tprobe *pr, size_t i)
{
	size_t	 len;

	pr->sent_mono = now_us();
	pr->state = TP_SENT;
	if (t->o->proto != IPPROTO_ICMP) {
		pr->fd = trace_socket(t, pr, i);
		return pr->fd == -1 ? -1 : 0;
	}
	len = icmpsock_echo(&t->s, t->buf, 56, (uint16_t)(i + 1), t->cookie);
	/* A hop's probes go out together: one setsockopt() a hop. */
	if (pr->ttl != t->sock_ttl &&
	    icmpsock_set_ttl(t->s.fd, t->s.family, pr->ttl) == -1)
		return -1;
	t->sock_ttl = pr->ttl;
	pr->sent_us = icmpsock_now_us();
	/* A pending error from an earlier probe surfaces here once. */
	if (send(t->s.fd, t->buf, len, 0) == -1 &&
	    send(t->s.fd, t->buf, len, 0) == -1)
		return -1;
	return 0;
}

/* Send every probe of the hops the window now admits; 0 or -1 (errno). */
static int
trace_fill(struct trace *t)
{
	char	 what[64];
	size_t	 i, k;
	int64_t	 at;

	while (t->next_ttl <= t->o->max && t->next_ttl < t->dest_ttl &&
	    t->next_ttl < t->print_ttl + t->o->window) {
		i = (size_t)(t->next_ttl - t->o->first) * (size_t)t->o->q;
		at = t->cap != NULL ? capture_now() : 0;
		for (k = 0; k < (size_t)t->o->q; k++)
			if (trace_send(t, &t->p[i + k], i + k) == -1)
				return -1;
		if (t->cap != NULL) {
			snprintf(what, sizeof what, "%s TTL %d, %ld probe%s",
			    t->o->proto == IPPROTO_TCP ? "connect()" :
			    "send()", t->next_ttl, t->o->q,
			    t->o->q == 1 ? "" : "s");
			capture_call_at(t->cap, at, what, 0);
		}
		t->next_ttl++;
	}
	return 0;
}

/* traceroute's marks for unreachables other than the port's. */
static const char *
trace_unreach_note(int v6, uint8_t type, uint8_t code)
{
	if (v6 ? type == 1 && code == 4 : type == 3 && code == 3)
		return NULL;	/* port unreachable: the destination */
	if (v6)
		return code == 0 ? "!N" : code == 1 ? "!X" : code == 3 ?
		    "!H" : "!U";
	switch (code) {
	case 0: return "!N";
	case 1: return "!H";
	case 2: return "!P";
	case 4: return "!F";
	case 9: case 10: case 13: return "!X";
	}
	return "!U";
}

/* An ICMP error for probe pr: a router on the way, or the end. */
static void
trace_icmp_error(struct trace *t, struct tprobe *pr,
    const struct icmpsock_msg *m)
{
	int	 v6 = t->dst.ss_family == AF_INET6;

	if (v6 ? m->type == 3 : m->type == 11)
		trace_answer(t, pr, m->at_us, &m->from, NULL, 0);
	else if (v6 ? m->type == 1 : m->type == 3)
		trace_answer(t, pr, m->at_us, &m->from,
		    trace_unreach_note(v6, m->type, m->code), 1);
}

/*
 * Record an answer to pr from `from`; final: it came from the end of the
 * path, and hops past this one need not be probed or waited for.
 */
static void
trace_answer(struct trace *t, struct tprobe *pr, int64_t now,
    const struct sockaddr_storage *from, const char *note, int final)
{
	if (pr->state != TP_SENT)
		return;
	pr->state = TP_DONE;
	pr->rtt_us = now - pr->sent_us;
	memcpy(&pr->from, from, sizeof pr->from);
	pr->note = note;
	pr->final = final;
	if (final && pr->ttl < t->dest_ttl)
		t->dest_ttl = pr->ttl;
	if (pr->ttl > t->high_ttl)
		t->high_ttl = pr->ttl;
	if (pr->rtt_us > t->near_us)
		t->near_us = pr->rtt_us;
	if (pr->fd != -1) {
		close(pr->fd);
		pr->fd = -1;
	}
}

/* The probe that sent ICMP sequence seq, or NULL. */
static struct tprobe *
trace_by_seq(struct trace *t, uint16_t seq)
{
	return seq >= 1 && seq <= t->np ? &t->p[seq - 1] : NULL;
}

/* Read the echo socket: replies (the end) and errors (routers). */
static void
trace_read_icmp(struct trace *t)
{
	struct icmpsock_msg	 m;
	struct tprobe		*pr;
	int			 r;

	while ((r = icmpsock_recv(&t->s, t->buf, sizeof t->buf, t->cookie,
	    &m)) != -1)
		if (r == 1 && m.cookie_ok &&
		    (pr = trace_by_seq(t, m.seq)) != NULL)
			trace_answer(t, pr, m.at_us, &t->dst, NULL, 1);
	while ((r = icmpsock_recv_err(&t->s, t->buf, sizeof t->buf,
	    t->cookie, &m)) != -1)
		if (r == 1 && (pr = trace_by_seq(t, m.seq)) != NULL)
			trace_icmp_error(t, pr, &m);
}

/* A UDP or TCP probe's socket has news: an ICMP error, or the end. */
static void
trace_read_probe(struct trace *t, struct tprobe *pr)
{
	struct icmpsock_msg	 m;
	struct linger		 abort_now = { 1, 0 };
	socklen_t		 sl = sizeof(int);
	int			 soerr = 0;

	while (pr->state == TP_SENT && icmpsock_errqueue(pr->fd, t->buf,
	    sizeof t->buf, &m) != -1)
		trace_icmp_error(t, pr, &m);
	if (pr->state != TP_SENT)
		return;
	if (t->o->proto == IPPROTO_UDP) {
		if (recv(pr->fd, t->buf, sizeof t->buf, MSG_DONTWAIT) >= 0)
			trace_answer(t, pr, icmpsock_now_us(), &t->dst, "reply",
			    1);
		return;
	}
	if (getsockopt(pr->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == -1)
		return;
	if (soerr == 0) {
		/* Connected: end it with a RST on close, not a FIN exchange. */
		setsockopt(pr->fd, SOL_SOCKET, SO_LINGER, &abort_now,
		    sizeof abort_now);
		trace_answer(t, pr, icmpsock_now_us(), &t->dst, "open", 1);
	}
	else if (soerr == ECONNREFUSED)
		trace_answer(t, pr, icmpsock_now_us(), &t->dst, "closed",
		    1);
}

/*
 * When pr is given up: after -W, or sooner once a later hop has answered
 * (TRACE_NEAR times the slowest answer so far), as a silent router is
 * then known not to be merely slow.
 */
static int64_t
trace_deadline(const struct trace *t, const struct tprobe *pr)
{
	int64_t	 full = pr->sent_mono + t->o->wait_ms * 1000, near;

	if (pr->ttl >= t->dest_ttl || t->high_ttl <= pr->ttl)
		return full;
	near = t->near_us * TRACE_NEAR;
	if (near < TRACE_NEAR_MIN_US)
		near = TRACE_NEAR_MIN_US;
	return pr->sent_mono + near < full ? pr->sent_mono + near : full;
}

/* Give up the probes past their deadline; returns the next deadline. */
static int64_t
trace_expire(struct trace *t, int64_t now)
{
	int64_t	 next = now + t->o->wait_ms * 1000, d;
	size_t	 i;

	for (i = 0; i < t->np; i++) {
		if (t->p[i].state != TP_SENT)
			continue;
		if (t->p[i].ttl > t->dest_ttl) {
			t->p[i].state = TP_LOST;	/* past the end */
		} else if ((d = trace_deadline(t, &t->p[i])) <= now) {
			t->p[i].state = TP_LOST;
		} else if (d < next)
			next = d;
		if (t->p[i].state == TP_LOST && t->p[i].fd != -1) {
			close(t->p[i].fd);
			t->p[i].fd = -1;
		}
	}
	return next;
}

/* Print one hop: address when it changes, times, marks. */
static void
trace_print_hop(const struct trace *t, const struct tprobe *hp)
{
	struct sockaddr_storage	 last;
	char			 a[NET_ADDRSTRLEN];
	const char		*end = NULL;
	long			 k;

	memset(&last, 0, sizeof last);
	printf("%2d", hp->ttl);
	for (k = 0; k < t->o->q; k++) {
		if (hp[k].state != TP_DONE) {
			printf("  *");
			continue;
		}
		if (memcmp(&last, &hp[k].from, sizeof last) != 0) {
			printf("  %s", net_addr_str((const struct sockaddr *)
			    &hp[k].from, a, sizeof a));
			memcpy(&last, &hp[k].from, sizeof last);
		}
		printf("  %.3f ms", (double)hp[k].rtt_us / 1000.0);
		if (hp[k].note != NULL && hp[k].note[0] == '!')
			printf(" %s", hp[k].note);
		else if (hp[k].note != NULL)
			end = hp[k].note;
	}
	if (end != NULL)
		printf("  [%s]", end);
	printf("\n");
}

/*
 * Print the hops whose probes are all settled, in order.  Returns 1 once
 * the destination's hop (or --max-ttl) has been printed.
 */
static int
trace_print(struct trace *t)
{
	struct tprobe	*hp;
	long		 k;
	int		 final;

	while (t->print_ttl < t->next_ttl) {
		hp = &t->p[(size_t)(t->print_ttl - t->o->first) *
		    (size_t)t->o->q];
		final = 0;
		for (k = 0; k < t->o->q; k++) {
			if (hp[k].state == TP_SENT || hp[k].state == TP_UNSENT)
				return 0;
			final |= hp[k].final;
		}
		trace_print_hop(t, hp);
		fflush(stdout);
		t->print_ttl++;
		if (final || t->print_ttl > t->o->max)
			return 1;
	}
	return t->print_ttl > t->o->max;
}

/* The fds to wait on: the echo socket, or each waiting probe's own. */
static nfds_t
trace_pollfds(struct trace *t)
{
	nfds_t	 n = 0;
	size_t	 i;

	if (t->o->proto == IPPROTO_ICMP) {
		t->pfd[0].fd = t->s.fd;
		t->pfd[0].events = POLLIN;
		n = 1;
	}
	for (i = 0; t->o->proto != IPPROTO_ICMP && i < t->np; i++) {
		if (t->p[i].state != TP_SENT || t->p[i].fd == -1)
			continue;
		t->pfd[n].fd = t->p[i].fd;
		t->pfd[n].events = t->o->proto == IPPROTO_TCP ? POLLOUT :
		    POLLIN;
		t->pidx[n++] = i;
	}
	if (t->cap != NULL) {
		t->pfd[n].fd = capture_fd(t->cap);
		t->pfd[n].events = POLLIN;
		t->pidx[n++] = SIZE_MAX;
	}
	return n;
}

/* Probe, wait, read, print until done.  0, or -1 (errno). */
static int
trace_run(struct trace *t)
{
	int64_t	 now, next;
	nfds_t	 n, j;
	int	 printed;

	while (!sk_interrupted) {
		if (trace_fill(t) == -1)
			return -1;
		now = now_us();
		next = trace_expire(t, now);
		printed = t->print_ttl;
		if (trace_print(t))
			return 0;
		if (t->print_ttl != printed)
			continue;	/* the window moved: send first */
		n = trace_pollfds(t);
		if (sk_poll(t->pfd, n, (int)((next - now + 999) / 1000)) ==
		    -1 && errno != EINTR)
			return -1;
		for (j = 0; j < n; j++) {
			if (t->pfd[j].revents == 0)
				continue;
			if (t->cap != NULL && t->pfd[j].fd == capture_fd(t->cap))
				capture_poll(t->cap);
			else if (t->o->proto == IPPROTO_ICMP)
				trace_read_icmp(t);
			else
				trace_read_probe(t, &t->p[t->pidx[j]]);
		}
	}
	return 0;
}

static void
trace_free(struct trace *t)
{
	size_t	 i;

	for (i = 0; t->p != NULL && i < t->np; i++)
		if (t->p[i].fd != -1)
			close(t->p[i].fd);
	if (t->s.fd != -1)
		close(t->s.fd);
	free(t->p);
	free(t->pfd);
	free(t->pidx);
}

/* --traceroute's defaults, as traceroute(8)'s; root dropped always. */
static void
trace_init(struct cmd_ctx *c, void *arg)
{
	struct trace_opts	*o = arg;

	c->priv.user = PRIV_DEFAULT_USER;
	o->c = c;
	o->proto = strcmp(c->sub, "udp") == 0 ? IPPROTO_UDP :
	    strcmp(c->sub, "tcp") == 0 ? IPPROTO_TCP : IPPROTO_ICMP;
	o->first = 1;
	o->max = 30;
	o->q = 3;
	o->window = 16;
	o->wait_ms = 3000;
}

/* Trace the route to HOST; the exit status, 0 when it answered. */
static int
trace_start(struct cmd_ctx *c, void *arg)
{
	struct trace		 t;
	const struct trace_opts	*o = arg;
	int			 rc;

	memset(&t, 0, sizeof t);
	if ((rc = trace_setup(&t, o)) == -1) {
		printf("traceroute to %s (%s), %ld hops max, %s probes\n",
		    o->host, t.dststr, o->max, trace_proto_name(o->proto));
		fflush(stdout);
		if (trace_run(&t) == -1) {
			sk_warn("raw: %s --traceroute: %s",
			    trace_proto_name(o->proto), t.dststr);
			rc = EXIT_RUNTIME;
		} else
			rc = t.dest_ttl <= o->max ? EXIT_OK : EXIT_RUNTIME;
	}
	rc = raw_icmp_end(c, rc);
	trace_free(&t);
	return rc;
}

const struct cmd_entry raw_trace_entry = {
	.name = "--traceroute", .shorts = "46N:p:q:W:",
	.longs = "traceroute first-ttl max-ttl",
	.size = sizeof(struct trace_opts), .init = trace_init,
	.option = trace_option, .check = trace_check, .run = trace_start,
};
