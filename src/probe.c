/*
 * probe.c: the "sockkit probe" engine.
 *
 * Every attempt is one non-blocking socket: connect() for TCP, connect()
 * and send() for UDP.  All of them wait in one epoll set; a slot table
 * holds what each socket is for and when it times out.  The number of
 * sockets in flight (cwnd) grows while answers come back and shrinks on
 * silence and local errors, as in TCP congestion control.  ICMP errors are
 * read from the socket error queue (IP_RECVERR), which names the type and
 * code, so an admin-prohibited port is reported as such.
 *
 * A later --trace can hook in at probe_result: each result names the host
 * and port, and the capture can match its packets on them.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <linux/errqueue.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"
#include "util.h"

#define ENG_CWND_START	16
#define ENG_CWND_FLOOR	32	/* silence alone shrinks no lower */
#define ENG_FD_RESERVE	64	/* fds kept for everything else */
#define ENG_INIT_RTO_MS	1000	/* timeout before a first answer */
#define ENG_MAX_BATCH	256	/* starts between two epoll_waits */
#define ENG_MAX_WAITING	4096	/* jobs held back by pacing */
#define ENG_MAX_LOCALERR 200	/* in a row, with nothing in flight */
#define ENG_EXTRA_TRIES	2	/* after loss is seen on a host */
#define ENG_POOL	16	/* refused sockets kept for reuse */
#define ENG_MAX_BANNER	256	/* --banner reads at once before starts
				   pause */
#define ENG_POLL_ID	UINT32_MAX	/* the epoll data of poll_fd */
#define JOB_BIND	0x01	/* choose the source port first */
#define FD_LOOSE	0	/* socket state unknown: close it */
#define FD_RESET	1	/* connect() returned its error */

struct job {
	uint32_t	 host;
	uint16_t	 port;
	uint8_t		 tries;		/* attempts made before */
	uint8_t		 flags;
};

struct slot {
	int		 fd;		/* -1: free */
	struct job	 job;
	int64_t		 start, deadline;
	int64_t		 rtt;		/* --banner: the connect's */
	int		 banner;	/* waiting for a banner, not a
					   connect */
	void		*sess;		/* --tls: the caller's conversation */
};

struct hstate {
	int64_t		 srtt, rttvar;	/* us; srtt 0: no sample yet */
	int64_t		 next_ok;	/* pacing: no probe before */
	double		 tokens;	/* UDP: ICMP rate-limit bucket */
	int64_t		 tok_time;
	uint8_t		 loss_seen;	/* a retry was answered */
};

struct went {
	int64_t		 at;
	struct job	 job;
};

struct eng {
	const struct probe_opts	*o;
	const struct tgt_set	*set;
	struct tgt_iter		*it;
	struct probe_stats	*st;
	int			 ep;
	struct slot		*slot;
	int			*freel, nfree, nslot, active;
	int			 nbanner, maxbanner;	/* --banner */
	struct hstate		*hs;
	struct went		*wait;		/* min-heap on at */
	size_t			 nwait, waitcap;
	double			 cwnd, ssthresh;
	int			 cap;
	int			 round_left, round_ans, round_silent;
	int			 round_late;	/* answers to retries */
	int			 local_streak, fatal;
	int64_t			 start, pause_until;
	int64_t			 next_deadline, tokens_time;
	int64_t			 last_progress;
	double			 tokens;
	int			 iter_done;
	size_t			 nfirst;	/* of o->first, started */
	int			 pool[2][ENG_POOL];	/* to reuse */
	int			 npool[2];
};

static int	eng_setup(struct eng *, char *, size_t);
static int	eng_step(struct eng *);
static void	eng_pending(struct eng *);
static int	eng_fill(struct eng *, int64_t, int64_t *);
static int	eng_next(struct eng *, int64_t, struct job *, int64_t *);
static int64_t	eng_gate(struct eng *, const struct job *, int64_t);
static void	eng_start(struct eng *, struct job, int64_t);
static int	eng_socket(struct eng *, const struct job *);
static int	eng_bind_other(int, const struct tgt_host *, uint16_t);
static int	eng_udp_send(struct eng *, int, const struct job *, int64_t);
static void	eng_wait_for(struct eng *, int, const struct job *,
		    const struct sockaddr_storage *, socklen_t, int64_t);
static void	eng_event(struct eng *, int, uint32_t, int64_t);
static void	eng_tcp_done(struct eng *, int, const struct job *, int64_t,
		    int, int64_t, int);
static void	eng_spent(struct eng *, int, int, int);
static void	eng_udp_done(struct eng *, struct slot *, uint32_t, int64_t);
static int	eng_icmp(int, struct probe_result *);
static void	eng_offender(const struct sock_extended_err *,
		    const struct cmsghdr *, struct probe_result *);
static int	eng_self(int, const struct tgt_host *, uint16_t);
static void	eng_close(int, int);
static void	eng_release(struct eng *, struct slot *);
static int	eng_pressure(int);
static void	eng_report(struct eng *, const struct job *, int, int,
		    int64_t, const struct probe_result *);
static void	eng_answer(struct eng *, const struct job *, int64_t);
static void	eng_silent(struct eng *, struct job, int64_t);
static void	eng_local_error(struct eng *, struct job, int, int64_t);
static void	eng_round(struct eng *);
static void	eng_timeouts(struct eng *, int64_t);
static long	eng_timeout_ms(const struct eng *, const struct job *);
static int	eng_push(struct eng *, int64_t, struct job);
static void	eng_pop(struct eng *);
static int	eng_sockaddr(const struct tgt_host *, uint16_t,
		    struct sockaddr_storage *, socklen_t *);
static int	eng_loopback(const struct tgt_host *);
static void	eng_banner_wait(struct eng *, int, const struct job *, int64_t,
		    int64_t);
static void	eng_banner_done(struct eng *, struct slot *, int);
static int	eng_sess_step(struct eng *, struct slot *, int);
static void	eng_slot_done(struct eng *, struct slot *,
		    struct probe_result *);
static void	eng_slot_drop(struct eng *, struct slot *);

/* ICMP destination-unreachable codes by name, IPv4 (RFC 792, 1812). */
static const char *icmp4_unreach[] = {
	"net-unreach", "host-unreach", "proto-unreach", "port-unreach",
	"frag-needed", "source-route-failed", "net-unknown", "host-unknown",
	"host-isolated", "net-prohibited", "host-prohibited",
	"net-tos-unreach", "host-tos-unreach", "admin-prohibited",
	"host-precedence-violation", "precedence-cutoff"
};

/* ICMPv6 destination-unreachable codes by name (RFC 4443 3.1). */
static const char *icmp6_unreach[] = {
	"no-route", "admin-prohibited", "beyond-scope", "addr-unreach",
	"port-unreach", "failed-policy", "reject-route"
};

const char *
probe_state_name(int state)
{
	static const char	*names[] = { "open", "closed", "filtered",
	    "open|filtered" };

	return state >= 0 && state < PROBE_NSTATES ? names[state] : "?";
}

const char *
probe_reason(const struct probe_result *r, char *buf, size_t len)
{
	const char	*p = r->icmp6 ? "icmp6" : "icmp";

	switch (r->why) {
	case WHY_SYN_ACK: return "syn-ack";
	case WHY_RST: return "rst";
	case WHY_UDP_REPLY: return "udp-response";
	case WHY_NO_RESPONSE: return "no-response";
	case WHY_ICMP:
		if (!r->icmp6 && r->icmp_type == ICMP_DEST_UNREACH &&
		    r->icmp_code < sizeof icmp4_unreach / sizeof *icmp4_unreach)
			snprintf(buf, len, "icmp %s",
			    icmp4_unreach[r->icmp_code]);
		else if (r->icmp6 && r->icmp_type == ICMP6_DST_UNREACH &&
		    r->icmp_code < sizeof icmp6_unreach / sizeof *icmp6_unreach)
			snprintf(buf, len, "icmp6 %s",
			    icmp6_unreach[r->icmp_code]);
		else if ((!r->icmp6 && r->icmp_type == ICMP_TIME_EXCEEDED) ||
		    (r->icmp6 && r->icmp_type == ICMP6_TIME_EXCEEDED))
			snprintf(buf, len, "%s time-exceeded", p);
		else
			snprintf(buf, len, "%s type %u code %u", p,
			    r->icmp_type, r->icmp_code);
		return buf;
	case WHY_ERRNO:
		if (r->err == EHOSTUNREACH)
			return "host-unreach";
		if (r->err == ENETUNREACH)
			return "net-unreach";
		if (r->err == EPERM || r->err == EACCES)
			return "local-firewall";
		snprintf(buf, len, "error %d", r->err);
		return buf;
	}
	return "?";
}

/*
 * Payloads that make well-known UDP services answer: a DNS query for the
 * root's NS records (RFC 1035 4.1), an NTP client request (RFC 5905: LI 0,
 * version 3, mode 3).  Other ports get an empty datagram.
 */
const uint8_t *
probe_udp_payload(uint16_t port, size_t *len)
{
	static const uint8_t	 dns[] = { 0x53, 0x4b, 0x01, 0x00, 0, 1,
	    0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x02, 0x00, 0x01 };
	static uint8_t		 ntp[48] = { 0x1b };

	switch (port) {
	case 53:
	case 5353:
		*len = sizeof dns;
		return dns;
	case 123:
		*len = sizeof ntp;
		return ntp;
	}
	*len = 0;
	return (const uint8_t *)"";
}

/* Build the socket address of a host and port; returns 0 or -1. */
static int
eng_sockaddr(const struct tgt_host *h, uint16_t port,
    struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (h->family == AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, h->addr, 4);
		*len = sizeof *s4;
	} else {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, h->addr, 16);
		s6->sin6_scope_id = h->scope;
		*len = sizeof *s6;
	}
	return 0;
}

/* Whether h is a loopback address (127.0.0.0/8 or ::1). */
static int
eng_loopback(const struct tgt_host *h)
{
	static const uint8_t	 one6[16] = { [15] = 1 };

	if (h->family == AF_INET)
		return h->addr[0] == 127;
	return memcmp(h->addr, one6, 16) == 0;
}

/*
 * Raise RLIMIT_NOFILE to its hard limit and size everything from it, so
 * that socket() never meets EMFILE.  Returns 0 or -1 with err.
 */
static int
eng_setup(struct eng *e, char *err, size_t errlen)
{
	struct epoll_event	 ev;
	struct rlimit	 rl;
	long		 fds = 1024;
	int		 i;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		if (rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
			getrlimit(RLIMIT_NOFILE, &rl);
		}
		fds = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 1000000 ?
		    1000000 : (long)rl.rlim_cur;
	}
	fds -= ENG_FD_RESERVE;
	if (e->o->banner_ms > 0) {	/* banner reads hold fds too */
		e->maxbanner = fds / 4 < ENG_MAX_BANNER ? (int)(fds / 4) :
		    ENG_MAX_BANNER;
		fds -= e->maxbanner;
	}
	e->cap = (int)(e->o->cap < fds ? e->o->cap : fds);
	if (e->cap < 1)
		e->cap = 1;
	e->st->cap = e->cap;
	e->nslot = e->cap + e->maxbanner;
	e->slot = calloc((size_t)e->nslot, sizeof *e->slot);
	e->freel = calloc((size_t)e->nslot, sizeof *e->freel);
	e->hs = calloc(e->set->nhost ? e->set->nhost : 1, sizeof *e->hs);
	if (e->slot == NULL || e->freel == NULL || e->hs == NULL) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -1;
	}
	for (i = 0; i < e->nslot; i++) {
		e->slot[i].fd = -1;
		e->freel[e->nfree++] = e->nslot - 1 - i;
	}
	if ((e->ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		snprintf(err, errlen, "epoll: %s", strerror(errno));
		return -1;
	}
	if (e->o->poll_fd >= 0 && e->o->on_poll != NULL) {
		/* Drained as packets come, not at the tick: a ring that
		 * waits 250 ms overflows at full speed. */
		memset(&ev, 0, sizeof ev);
		ev.events = EPOLLIN;
		ev.data.u32 = ENG_POLL_ID;
		if (epoll_ctl(e->ep, EPOLL_CTL_ADD, e->o->poll_fd, &ev) == -1) {
			snprintf(err, errlen, "epoll: %s", strerror(errno));
			return -1;
		}
	}
	e->cwnd = e->cap < ENG_CWND_START ? e->cap : ENG_CWND_START;
	e->ssthresh = e->cap;
	e->round_left = (int)e->cwnd;
	return 0;
}

int
probe_run(const struct probe_opts *o, const struct tgt_set *set,
    struct tgt_iter *it, struct probe_stats *st, char *err, size_t errlen)
{
	struct eng	 e;
	int64_t		 start = now_us();
	int		 rc = 0, i;

	memset(&e, 0, sizeof e);
	memset(st, 0, sizeof *st);
	e.o = o;
	e.set = set;
	e.it = it;
	e.st = st;
	e.ep = -1;
	e.next_deadline = INT64_MAX;
	e.tokens = 1;
	e.tokens_time = start;
	e.start = start;
	e.last_progress = start;
	st->total = it->count;
	if (eng_setup(&e, err, errlen) == -1)
		rc = -1;
	while (rc == 0 && !sk_interrupted && (!e.iter_done || e.nwait > 0 ||
	    e.nfirst < o->nfirst ||
	    e.active > 0 || e.nbanner > 0)) {
		rc = eng_step(&e);
		st->elapsed_us = now_us() - start;
	}
	if (rc == -1 && err[0] == '\0')
		snprintf(err, errlen, "cannot open sockets: %s",
		    strerror(errno));
	if (sk_interrupted && o->on_pending != NULL)
		eng_pending(&e);
	for (i = 0; e.slot != NULL && i < e.nslot; i++)
		eng_slot_drop(&e, &e.slot[i]);
	for (i = 0; i < e.npool[0] + e.npool[1]; i++)
		close(i < e.npool[0] ? e.pool[0][i] :
		    e.pool[1][i - e.npool[0]]);
	if (e.ep != -1)
		close(e.ep);
	free(e.slot);
	free(e.freel);
	free(e.hs);
	free(e.wait);
	return rc;
}

/*
 * Interrupted: name every job without a verdict that the engine holds,
 * in flight or waiting (a retry, a paced host), or has not started of
 * o->first, for a resumed run to probe again.
 */
static void
eng_pending(struct eng *e)
{
	const struct probe_opts	*o = e->o;
	size_t			 i;
	int			 k;

	for (k = 0; e->slot != NULL && k < e->nslot; k++)
		if (e->slot[k].fd != -1)
			o->on_pending(e->slot[k].job.host, e->slot[k].job.port,
			    o->arg);
	for (i = 0; i < e->nwait; i++)
		o->on_pending(e->wait[i].job.host, e->wait[i].job.port, o->arg);
	for (i = e->nfirst; i < o->nfirst; i++)
		o->on_pending(o->first[i].host, o->first[i].port, o->arg);
}

/*
 * One turn of the loop: start what may start, wait for events or the
 * next deadline, handle them.  Returns 0, or -1 when the engine is stuck
 * (local errors without end, epoll failing) with errno set.
 */
static int
eng_step(struct eng *e)
{
	struct epoll_event	 ev[256];
	int64_t			 now = now_us(), wake = INT64_MAX;
	int			 n, i, ms;

	if (eng_fill(e, now, &wake) == -1)
		return -1;
	if (e->next_deadline < wake)
		wake = e->next_deadline;
	ms = 0;
	if (wake > now)
		ms = wake == INT64_MAX ? 1000 :
		    (int)((wake - now + 999) / 1000);
	if (ms > 250)
		ms = 250;
	if (e->active == 0 && e->nwait == 0 && e->iter_done &&
	    e->nfirst >= e->o->nfirst && e->nbanner == 0)
		return 0;
	n = epoll_wait(e->ep, ev, 256, ms);
	if (n == -1 && errno != EINTR)
		return -1;
	now = now_us();
	for (i = 0; i < n; i++)
		if (ev[i].data.u32 == ENG_POLL_ID)
			e->o->on_poll(e->o->arg);
		else
			eng_event(e, (int)ev[i].data.u32, ev[i].events, now);
	if (now >= e->next_deadline)
		eng_timeouts(e, now);
	if (e->o->on_progress != NULL && now - e->last_progress >= 250000) {
		e->last_progress = now;
		e->st->elapsed_us = now - e->start;
		e->o->on_progress(e->st, e->o->arg);
	}
	return 0;
}

/*
 * Start jobs while the window, the cap and --rate allow.  Sets *wake to
 * when starting more could become possible.  Returns 0, or -1 when local
 * errors have gone on too long with nothing in flight.
 */
static int
eng_fill(struct eng *e, int64_t now, int64_t *wake)
{
	struct job	 job;
	double		 burst;
	int		 starts = 0;

	/* Bounded, so that events and deadlines are seen between batches. */
	/* Each start keeps a slot free for its banner read (nslot is cap
	 * plus maxbanner), and too many reads at once pause starts. */
	while (e->active < (int)e->cwnd && e->active < e->cap && !e->fatal &&
	    (e->maxbanner == 0 || e->nbanner < e->maxbanner) &&
	    starts++ < ENG_MAX_BATCH) {
		if (now < e->pause_until) {
			*wake = e->pause_until;
			break;
		}
		if (e->o->rate > 0) {
			burst = e->o->rate / 50 > 1 ? e->o->rate / 50 : 1;
			e->tokens += (double)(now - e->tokens_time) *
			    e->o->rate / 1e6;
			e->tokens_time = now;
			if (e->tokens > burst)
				e->tokens = burst;
			if (e->tokens < 1) {
				*wake = now + (int64_t)((1 - e->tokens) /
				    e->o->rate * 1e6) + 1;
				break;
			}
		}
		if (!eng_next(e, now, &job, wake))
			break;
		e->tokens -= 1;
		eng_start(e, job, now);
	}
	if (starts > ENG_MAX_BATCH)
		*wake = now;	/* more may start at once: do not sleep */
	if (e->fatal) {
		errno = e->fatal;
		return -1;
	}
	return 0;
}

/*
 * The next job that may start now: a retry or a paced job whose time has
 * come, else a new one from the iterator.  Jobs whose host is paced wait
 * in the heap.  Returns 1 with *job, or 0 with *wake lowered.
 */
static int
eng_next(struct eng *e, int64_t now, struct job *job, int64_t *wake)
{
	int64_t	 at;

	for (;;) {
		if (e->nwait > 0 && e->wait[0].at <= now) {
			*job = e->wait[0].job;
			eng_pop(e);
		} else if (e->nfirst < e->o->nfirst) {
			memset(job, 0, sizeof *job);
			job->host = e->o->first[e->nfirst].host;
			job->port = e->o->first[e->nfirst++].port;
		} else if (!e->iter_done && e->nwait < ENG_MAX_WAITING) {
			memset(job, 0, sizeof *job);
			if (!tgt_iter_next(e->it, &job->host, &job->port)) {
				e->iter_done = 1;
				continue;
			}
		} else {
			if (e->nwait > 0 && e->wait[0].at < *wake)
				*wake = e->wait[0].at;
			return 0;
		}
		if ((at = eng_gate(e, job, now)) <= now)
			return 1;
		if (eng_push(e, at, *job) == -1)
			return 1;	/* no memory to wait: go now */
	}
}

/*
 * When the job's host may get its next probe: --delay spacing, or for UDP
 * without --delay a token bucket that stays under the target kernel's
 * ICMP rate limit (Linux: 6 at once, then 1 per second per source; on
 * loopback only the global 1000 per second).  Returns a time <= now
 * after charging the host, or the time to try again.
 */
static int64_t
eng_gate(struct eng *e, const struct job *job, int64_t now)
{
	struct hstate	*h = &e->hs[job->host];
	double		 rate, burst;
	int		 lo;

	if (e->o->udp && e->o->delay_ms < 0) {
		lo = eng_loopback(&e->set->host[job->host]);
		rate = lo ? 800 : 1;
		burst = lo ? 40 : 6;
		if (h->tok_time == 0)
			h->tokens = burst;
		else
			h->tokens += (double)(now - h->tok_time) * rate / 1e6;
		h->tok_time = now;
		if (h->tokens > burst)
			h->tokens = burst;
		if (h->tokens >= 1) {
			h->tokens -= 1;
			return now;
		}
		return now + (int64_t)((1 - h->tokens) / rate * 1e6) + 1;
	}
	if (e->o->delay_ms <= 0)
		return now;
	if (h->next_ok > now)
		return h->next_ok;
	h->next_ok = now + e->o->delay_ms * 1000;
	return now;
}

/* A socket for the job: non-blocking, ICMP errors queued.  fd or -1. */
static int
eng_socket(struct eng *e, const struct job *job)
{
	const struct tgt_host	*h = &e->set->host[job->host];
	int			 fd, on = 1, f = h->family == AF_INET6;

	if (!e->o->udp && !(job->flags & JOB_BIND) && e->npool[f] > 0)
		return e->pool[f][--e->npool[f]];
	fd = socket(h->family, (e->o->udp ? SOCK_DGRAM : SOCK_STREAM) |
	    SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	if (h->family == AF_INET)
		setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on);
	else
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof on);
	if ((job->flags & JOB_BIND) && eng_bind_other(fd, h, job->port) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * After a self-connection: bind to a source port of the kernel's choice
 * first, and refuse it if it is the target port, so that the connect
 * cannot reach its own socket.  Returns 0 or -1 (EADDRINUSE: try again).
 */
static int
eng_bind_other(int fd, const struct tgt_host *h, uint16_t port)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;

	memset(&ss, 0, sizeof ss);
	ss.ss_family = (sa_family_t)h->family;
	len = h->family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6);
	if (bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return -1;
	if ((h->family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port :
	    ((struct sockaddr_in6 *)&ss)->sin6_port) == htons(port)) {
		errno = EADDRINUSE;
		return -1;
	}
	return 0;
}

/* Errors that say "this machine is short of something": back off. */
static int
eng_pressure(int err)
{
	return err == EADDRNOTAVAIL || err == ENOBUFS || err == ENOMEM ||
	    err == EMFILE || err == ENFILE || err == EAGAIN ||
	    err == EADDRINUSE;
}

/*
 * Send the UDP probe on connected fd.  Returns 0, an errno, or -1 when
 * the socket was connected to itself (closed, the job queued again to be
 * sent from another port).
 */
static int
eng_udp_send(struct eng *e, int fd, const struct job *job, int64_t now)
{
	const uint8_t	*payload;
	struct job	 again = *job;
	size_t		 plen;

	if (eng_self(fd, &e->set->host[job->host], job->port)) {
		close(fd);
		e->st->self_connects++;
		again.flags |= JOB_BIND;
		eng_push(e, now, again);
		return -1;
	}
	payload = probe_udp_payload(job->port, &plen);
	return send(fd, payload, plen, 0) == -1 ? errno : 0;
}

/* Open, connect (and for UDP send) one attempt. */
static void
eng_start(struct eng *e, struct job job, int64_t now)
{
	const struct tgt_host	*h = &e->set->host[job.host];
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	struct probe_result	 r;
	int			 fd, err = 0;

	if ((fd = eng_socket(e, &job)) == -1) {
		eng_local_error(e, job, errno, now);
		return;
	}
	e->st->attempts++;
	eng_sockaddr(h, job.port, &ss, &len);
	now = now_us();
	if (connect(fd, (struct sockaddr *)&ss, len) == -1 &&
	    errno != EINPROGRESS)
		err = errno;
	if (err == 0 && e->o->udp && (err = eng_udp_send(e, fd, &job,
	    now)) == -1)
		return;
	if (err != 0 && eng_pressure(err)) {
		close(fd);
		eng_local_error(e, job, err, now);
		return;
	}
	if (err == EISCONN || err == EALREADY || err == ECONNABORTED) {
		close(fd);	/* a reused socket in an unexpected state */
		eng_push(e, now, job);
		return;
	}
	e->local_streak = 0;
	if (err != 0 && !e->o->udp) {
		eng_tcp_done(e, fd, &job, now, err, now_us(), FD_RESET);
		return;
	}
	if (err != 0) {
		close(fd);
		memset(&r, 0, sizeof r);
		r.err = err;
		eng_report(e, &job, PROBE_FILTERED, WHY_ERRNO, -1, &r);
		return;
	}
	eng_wait_for(e, fd, &job, &ss, len, now);
}

/*
 * Give the attempt a slot and wait for it in epoll.  A TCP connect to a
 * host that answers at once (loopback) often has its verdict already, so
 * connect() is asked once more first: 0 when the handshake is done, the
 * error when it was refused (and then the socket is unconnected and
 * reusable), EALREADY while it is still under way.
 */
static void
eng_wait_for(struct eng *e, int fd, const struct job *job,
    const struct sockaddr_storage *ss, socklen_t sslen, int64_t now)
{
	struct epoll_event	 ev;
	struct slot		*s;
	int			 idx;

	if (!e->o->udp) {
		if (connect(fd, (const struct sockaddr *)ss, sslen) == 0) {
			eng_tcp_done(e, fd, job, now, 0, now_us(), FD_LOOSE);
			return;
		}
		if (errno != EALREADY && errno != EINPROGRESS) {
			eng_tcp_done(e, fd, job, now, errno, now_us(),
			    FD_RESET);
			return;
		}
	}
	idx = e->freel[--e->nfree];
	s = &e->slot[idx];
	s->fd = fd;
	s->job = *job;
	s->start = now;
	s->deadline = now + eng_timeout_ms(e, job) * 1000;
	if (s->deadline < e->next_deadline)
		e->next_deadline = s->deadline;
	if (++e->active > e->st->peak_active)
		e->st->peak_active = e->active;
	memset(&ev, 0, sizeof ev);
	ev.events = e->o->udp ? EPOLLIN : EPOLLOUT;
	ev.data.u32 = (uint32_t)idx;
	if (epoll_ctl(e->ep, EPOLL_CTL_ADD, fd, &ev) == -1) {
		eng_release(e, s);
		close(fd);
		eng_local_error(e, *job, errno, now);
	}
}

/* Free a slot (its fd is closed by the caller). */
static void
eng_release(struct eng *e, struct slot *s)
{
	s->fd = -1;
	e->freel[e->nfree++] = (int)(s - e->slot);
	e->active--;
}

/* Close fd, with an RST (SO_LINGER 0) when rst: no TIME_WAIT left. */
static void
eng_close(int fd, int rst)
{
	struct linger	 l = { 1, 0 };

	if (rst)
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	close(fd);
}

/* An event (or a late check at the deadline) on slot idx. */
static void
eng_event(struct eng *e, int idx, uint32_t events, int64_t now)
{
	struct slot	*s;
	struct job	 job;
	socklen_t	 len = sizeof(int);
	int64_t		 start;
	int		 fd, soerr = 0;

	if (idx < 0 || idx >= e->nslot || (s = &e->slot[idx])->fd == -1)
		return;
	if (s->banner) {
		eng_banner_done(e, s, 0);
		return;
	}
	if (e->o->udp) {
		eng_udp_done(e, s, events, now);
		return;
	}
	fd = s->fd;
	job = s->job;
	start = s->start;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
		soerr = errno;
	eng_release(e, s);
	eng_tcp_done(e, fd, &job, start, soerr, now, FD_LOOSE);
}

/*
 * Whether fd is connected to itself: the kernel picked the target port as
 * the source port on the target address, and the SYN met its own socket
 * (TCP simultaneous open).  Such a "connection" proves nothing is there.
 */
static int
eng_self(int fd, const struct tgt_host *h, uint16_t port)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	struct sockaddr_in	*s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&ss;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return 0;
	if (ss.ss_family == AF_INET && h->family == AF_INET)
		return s4->sin_port == htons(port) &&
		    memcmp(&s4->sin_addr, h->addr, 4) == 0;
	if (ss.ss_family == AF_INET6 && h->family == AF_INET6)
		return s6->sin6_port == htons(port) &&
		    memcmp(&s6->sin6_addr, h->addr, 16) == 0;
	return 0;
}

/*
 * The address that sent the ICMP message (SO_EE_OFFENDER, the sockaddr
 * after the error in the same control message), into r->from, when the
 * message holds one.
 */
static void
eng_offender(const struct sock_extended_err *ee, const struct cmsghdr *cm,
    struct probe_result *r)
{
	const struct sockaddr	*sa = SO_EE_OFFENDER(ee);
	size_t			 room;

	room = cm->cmsg_len - CMSG_LEN(0) - sizeof *ee;
	if (room >= sizeof(struct sockaddr_in) && sa->sa_family == AF_INET) {
		r->from_family = AF_INET;
		memcpy(r->from, &((const struct sockaddr_in *)(const void *)sa)->
		    sin_addr, 4);
	} else if (room >= sizeof(struct sockaddr_in6) &&
	    sa->sa_family == AF_INET6) {
		r->from_family = AF_INET6;
		memcpy(r->from, &((const struct sockaddr_in6 *)(const void *)
		    sa)->sin6_addr, 16);
	}
}

/*
 * Read one ICMP message from fd's error queue into r.  Returns 1 when
 * there was one (r->icmp6, icmp_type, icmp_code set), else 0.
 */
static int
eng_icmp(int fd, struct probe_result *r)
{
	struct sock_extended_err	 ee;
	struct cmsghdr			*cm;
	struct msghdr			 msg;
	struct iovec			 iov;
	char				 data[64], cbuf[512];

	memset(&msg, 0, sizeof msg);
	iov.iov_base = data;
	iov.iov_len = sizeof data;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof cbuf;
	if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) == -1)
		return 0;
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
		if (!((cm->cmsg_level == IPPROTO_IP && cm->cmsg_type ==
		    IP_RECVERR) || (cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_RECVERR)))
			continue;
		memcpy(&ee, CMSG_DATA(cm), sizeof ee);
		if (ee.ee_origin != SO_EE_ORIGIN_ICMP &&
		    ee.ee_origin != SO_EE_ORIGIN_ICMP6)
			continue;
		r->icmp6 = ee.ee_origin == SO_EE_ORIGIN_ICMP6;
		r->icmp_type = ee.ee_type;
		r->icmp_code = ee.ee_code;
		eng_offender((const struct sock_extended_err *)(const void *)
		    CMSG_DATA(cm), cm, r);
		return 1;
	}
	return 0;
}

/*
 * A TCP socket whose connect() call returned the refusal itself is back
 * in CLOSE state and unconnected, and Linux lets it connect again (one
 * that learned of it through SO_ERROR or epoll still counts as connecting
 * and would fail with ECONNABORTED).  Keeping a few for the next attempts
 * saves a socket(), a setsockopt() and a close() per closed port.  They
 * never entered the epoll set, so no stale registration follows them.
 */
static void
eng_spent(struct eng *e, int fd, int family, int reusable)
{
	int	 f = family == AF_INET6;

	if (reusable && e->npool[f] < ENG_POOL)
		e->pool[f][e->npool[f]++] = fd;
	else
		close(fd);
}

/* The port of the socket address ss, in host order. */
static uint16_t
eng_port_of(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET ?
	    ((const struct sockaddr_in *)ss)->sin_port :
	    ((const struct sockaddr_in6 *)ss)->sin6_port);
}

/*
 * The slot of another attempt of ours that fd, connected from port L of
 * host h to port job->port, met: that attempt connects from job->port to
 * port L of the same host, and the two SYNs made one connection (a
 * simultaneous open between two of probe's own sockets, which proves
 * nothing listens).  NULL when there is none.
 */
static struct slot *
eng_twin(struct eng *e, int fd, const struct tgt_host *h,
    const struct job *job)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	struct slot		*s;
	uint16_t		 mine;
	int			 i;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1 ||
	    ss.ss_family != h->family || memcmp(ss.ss_family == AF_INET ?
	    (void *)&((struct sockaddr_in *)&ss)->sin_addr :
	    (void *)&((struct sockaddr_in6 *)&ss)->sin6_addr, h->addr,
	    h->family == AF_INET ? 4 : 16) != 0)
		return NULL;		/* not a connection within this host */
	mine = eng_port_of(&ss);
	for (i = 0; i < e->nslot; i++) {
		s = &e->slot[i];
		if (s->fd == -1 || s->banner || s->job.host != job->host ||
		    s->job.port != mine)
			continue;
		len = sizeof ss;
		if (getsockname(s->fd, (struct sockaddr *)&ss, &len) == 0 &&
		    eng_port_of(&ss) == job->port)
			return s;
	}
	return NULL;
}

/*
 * The verdict of a TCP attempt whose connect finished with soerr (0:
 * connected).  Closes or recycles fd; how: FD_RESET when connect()
 * returned soerr itself, else FD_LOOSE.
 */
static void
eng_tcp_done(struct eng *e, int fd, const struct job *job, int64_t start,
    int soerr, int64_t now, int how)
{
	const struct tgt_host	*h = &e->set->host[job->host];
	struct probe_result	 r;
	struct job		 again;
	struct slot		*tw = NULL;
	int			 icmp;

	memset(&r, 0, sizeof r);
	if (soerr == 0 && (tw = eng_twin(e, fd, h, job)) != NULL) {
		again = tw->job;	/* both ends are ours: both again */
		again.flags |= JOB_BIND;
		eng_close(tw->fd, 1);
		eng_release(e, tw);
		e->st->self_connects++;
		eng_push(e, now, again);
	}
	if (soerr == 0 && (tw != NULL || eng_self(fd, h, job->port))) {
		eng_close(fd, 1);
		e->st->self_connects++;
		again = *job;
		again.flags |= JOB_BIND;
		eng_push(e, now, again);
		return;
	}
	if (soerr == 0 && e->o->banner_ms > 0) {
		eng_answer(e, job, now - start);
		eng_banner_wait(e, fd, job, now - start, now);
		return;
	}
	if (soerr == 0) {
		eng_close(fd, !e->o->graceful);
		eng_answer(e, job, now - start);
		eng_report(e, job, PROBE_OPEN, WHY_SYN_ACK, now - start, NULL);
		return;
	}
	if (eng_pressure(soerr) || soerr == ETIMEDOUT) {
		close(fd);
		if (soerr == ETIMEDOUT)
			eng_silent(e, *job, now);
		else
			eng_local_error(e, *job, soerr, now);
		return;
	}
	icmp = eng_icmp(fd, &r);
	eng_spent(e, fd, h->family, how == FD_RESET && !icmp &&
	    soerr == ECONNREFUSED);
	r.err = soerr;
	if (icmp || soerr == ECONNREFUSED)
		eng_answer(e, job, now - start);
	eng_report(e, job, soerr == ECONNREFUSED ? PROBE_CLOSED :
	    PROBE_FILTERED, icmp ? WHY_ICMP : soerr == ECONNREFUSED ? WHY_RST :
	    WHY_ERRNO, icmp || soerr == ECONNREFUSED ? now - start : -1, &r);
}

/* The verdict of a UDP attempt on events; may keep waiting. */
static void
eng_udp_done(struct eng *e, struct slot *s, uint32_t events, int64_t now)
{
	struct probe_result	 r;
	struct job		 job = s->job;
	char			 buf[512];
	socklen_t		 len = sizeof(int);
	int			 fd = s->fd, rerr = 0, soerr = 0, unreach;
	int64_t			 rtt = now - s->start;

	memset(&r, 0, sizeof r);
	if (!(events & EPOLLERR)) {
		if (recv(fd, buf, sizeof buf, 0) >= 0) {
			eng_release(e, s);
			close(fd);
			eng_answer(e, &job, rtt);
			eng_report(e, &job, PROBE_OPEN, WHY_UDP_REPLY, rtt,
			    NULL);
			return;
		}
		if ((rerr = errno) == EAGAIN || rerr == EINTR)
			return;
	}
	if (!eng_icmp(fd, &r)) {
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
		if ((r.err = soerr ? soerr : rerr) == 0)
			return;
		eng_release(e, s);
		close(fd);
		eng_report(e, &job, PROBE_FILTERED, WHY_ERRNO, -1, &r);
		return;
	}
	eng_release(e, s);
	close(fd);
	unreach = r.icmp6 ? (r.icmp_type == ICMP6_DST_UNREACH &&
	    r.icmp_code == ICMP6_DST_UNREACH_NOPORT) : (r.icmp_type ==
	    ICMP_DEST_UNREACH && r.icmp_code == ICMP_PORT_UNREACH);
	eng_answer(e, &job, rtt);
	eng_report(e, &job, unreach ? PROBE_CLOSED : PROBE_FILTERED, WHY_ICMP,
	    rtt, &r);
}

/*
 * --banner, --tls: an open port's connected fd waits in a slot of its own
 * (not counted in the window), at most banner_ms, for the first bytes
 * the service sends, or for the caller's conversation (o->sess_open).
 * With no slot or no epoll it is reported without one.
 */
static void
eng_banner_wait(struct eng *e, int fd, const struct job *job, int64_t rtt,
    int64_t now)
{
	struct probe_result	 r;
	struct epoll_event	 ev;
	struct slot		*s;
	int			 idx;

	memset(&ev, 0, sizeof ev);
	if (e->nfree > 0) {
		idx = e->freel[--e->nfree];
		ev.events = EPOLLIN | EPOLLRDHUP;
		ev.data.u32 = (uint32_t)idx;
		if (epoll_ctl(e->ep, EPOLL_CTL_MOD, fd, &ev) == 0 ||
		    (errno == ENOENT && epoll_ctl(e->ep, EPOLL_CTL_ADD, fd,
		    &ev) == 0)) {
			s = &e->slot[idx];
			s->fd = fd;
			s->job = *job;
			s->start = now;
			s->rtt = rtt;
			s->banner = 1;
			s->deadline = now + e->o->banner_ms * 1000;
			if (s->deadline < e->next_deadline)
				e->next_deadline = s->deadline;
			e->nbanner++;
			if (e->o->sess_open != NULL && (s->sess =
			    e->o->sess_open(fd, job->host, job->port,
			    e->o->sess_arg)) != NULL)
				eng_sess_step(e, s, 0);
			return;
		}
		e->freel[e->nfree++] = idx;
	}
	eng_close(fd, !e->o->graceful);
	memset(&r, 0, sizeof r);
	r.banner_len = -1;
	eng_report(e, job, PROBE_OPEN, WHY_SYN_ACK, rtt, &r);
}

/*
 * The banner read of slot s: readable, closed by the service, or (late)
 * its time is up.  What one read takes is the banner (nothing when the
 * service sent nothing in time or closed); the port is reported open.
 */
static void
eng_banner_done(struct eng *e, struct slot *s, int late)
{
	struct probe_result	 r;
	uint8_t			 buf[PROBE_BANNER_MAX];
	ssize_t			 n;

	if (s->sess != NULL) {
		eng_sess_step(e, s, late);
		return;
	}
	n = recv(s->fd, buf, sizeof buf, MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR) && !late)
		return;		/* not yet: keep waiting */
	memset(&r, 0, sizeof r);
	r.banner = buf;
	r.banner_len = n > 0 ? (int)n : 0;
	eng_slot_done(e, s, &r);
}

/*
 * One step of slot s's conversation (late: its time is up): it goes on
 * when the socket is ready for what it waits for, or it ends and the port
 * is reported with what it learnt.  Returns 1 if it ended.
 */
static int
eng_sess_step(struct eng *e, struct slot *s, int late)
{
	struct probe_result	 r;
	struct epoll_event	 ev;
	int			 want = 0;

	if (!late && e->o->sess_step(s->sess, &want) == 0) {
		memset(&ev, 0, sizeof ev);
		ev.events = EPOLLRDHUP | (want & POLLOUT ? EPOLLOUT : 0) |
		    (want & POLLIN ? EPOLLIN : 0);
		ev.data.u32 = (uint32_t)(s - e->slot);
		if (epoll_ctl(e->ep, EPOLL_CTL_MOD, s->fd, &ev) == 0)
			return 0;
	}
	memset(&r, 0, sizeof r);
	r.banner_len = -1;
	e->o->sess_done(s->sess, late, &r);
	s->sess = NULL;
	eng_slot_done(e, s, &r);
	return 1;
}

/*
 * Interrupted: slot s's socket closed, its conversation ended, nothing
 * reported (eng_pending() named its job).
 */
static void
eng_slot_drop(struct eng *e, struct slot *s)
{
	struct probe_result	 r;

	if (s->sess != NULL) {
		memset(&r, 0, sizeof r);
		e->o->sess_done(s->sess, 1, &r);
		s->sess = NULL;
	}
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
}

/* Slot s's open port is done with: free the slot, report it with r. */
static void
eng_slot_done(struct eng *e, struct slot *s, struct probe_result *r)
{
	struct job	 job = s->job;

	eng_close(s->fd, !e->o->graceful);
	s->fd = -1;
	s->banner = 0;
	e->freel[e->nfree++] = (int)(s - e->slot);
	e->nbanner--;
	eng_report(e, &job, PROBE_OPEN, WHY_SYN_ACK, s->rtt, r);
}

/* Count a verdict and hand it to the caller. */
static void
eng_report(struct eng *e, const struct job *job, int state, int why,
    int64_t rtt, const struct probe_result *extra)
{
	struct probe_result	 r;

	memset(&r, 0, sizeof r);
	if (extra != NULL)
		r = *extra;
	if (r.banner == NULL)
		r.banner_len = -1;
	r.host = job->host;
	r.port = job->port;
	r.state = (uint8_t)state;
	r.why = (uint8_t)why;
	r.tries = (uint8_t)(job->tries + 1);
	r.rtt_us = rtt;
	e->st->done++;
	e->st->count[state]++;
	if (e->o->on_result != NULL)
		e->o->on_result(&r, e->o->arg);
}

/*
 * The host answered after rtt: update its smoothed RTT and deviation
 * (RFC 6298 2.2-2.3) and open the window.  An answer to a retry is
 * evidence of loss: it counts against the round, and the host's silent
 * ports get two more tries.
 */
static void
eng_answer(struct eng *e, const struct job *job, int64_t rtt)
{
	struct hstate	*h = &e->hs[job->host];
	int64_t		 d;

	if (rtt < 1)
		rtt = 1;
	if (h->srtt == 0) {
		h->srtt = rtt;
		h->rttvar = rtt / 2;
		e->next_deadline = 0;	/* now shorten the deadlines */
	} else {
		d = h->srtt > rtt ? h->srtt - rtt : rtt - h->srtt;
		h->rttvar = (3 * h->rttvar + d) / 4;
		h->srtt = (7 * h->srtt + rtt) / 8;
	}
	if (job->tries > 0) {
		h->loss_seen = 1;
		e->round_late++;
	} else if (e->cwnd < e->ssthresh)
		e->cwnd += 1;
	else
		e->cwnd += 1 / e->cwnd;
	if (e->cwnd > e->cap)
		e->cwnd = e->cap;
	e->round_ans++;
	eng_round(e);
}

/*
 * A round ends after about one window of verdicts.  The window halves
 * when first tries met silence more often than answers in it (a retry
 * that stays silent says the port is filtered, not that we are too
 * fast), or when more than one answer in
 * eight came only on a retry (heavy loss: a few percent is noise, not
 * congestion, and would otherwise pin the window at its floor).  It never
 * goes below the floor this way: a filtered port costs a socket, not
 * bandwidth.
 */
static void
eng_round(struct eng *e)
{
	if (--e->round_left > 0)
		return;
	if ((e->round_silent > e->round_ans || e->round_late * 8 >
	    e->round_ans) && e->cwnd > ENG_CWND_FLOOR) {
		e->cwnd /= 2;
		if (e->cwnd < ENG_CWND_FLOOR)
			e->cwnd = ENG_CWND_FLOOR;
		e->ssthresh = e->cwnd;
	}
	e->round_ans = e->round_silent = e->round_late = 0;
	e->round_left = e->cwnd < 1 ? 1 : (int)e->cwnd;
}

/* An attempt timed out: try again or call the port silent. */
static void
eng_silent(struct eng *e, struct job job, int64_t now)
{
	int	 allowed = e->o->retries + 1;

	if (e->o->retries > 0 && e->hs[job.host].loss_seen)
		allowed += ENG_EXTRA_TRIES;
	if (job.tries == 0)	/* a silent retry says filtered, not slow */
		e->round_silent++;
	eng_round(e);
	if (job.tries + 1 < allowed) {
		job.tries++;
		if (eng_push(e, now, job) == 0)
			return;
		job.tries--;
	}
	eng_report(e, &job, e->o->udp ? PROBE_OPEN_FILTERED : PROBE_FILTERED,
	    WHY_NO_RESPONSE, -1, NULL);
}

/*
 * This machine ran short (no ephemeral port, no buffers, no fds): put the
 * job back untried, halve the window, pause starts with a growing
 * backoff.  Only a long streak with nothing in flight is fatal.
 */
static void
eng_local_error(struct eng *e, struct job job, int err, int64_t now)
{
	int64_t	 backoff;

	e->st->local_errors++;
	if (err == EMFILE || err == ENFILE)
		e->cap = e->active > 1 ? e->active : 1;
	e->cwnd = e->active > 1 ? e->active / 2.0 : 1;
	e->ssthresh = e->cwnd < 2 ? 2 : e->cwnd;
	backoff = (int64_t)1000 << (e->local_streak < 9 ? e->local_streak : 9);
	e->pause_until = now + backoff;
	if (++e->local_streak > ENG_MAX_LOCALERR && e->active == 0)
		e->fatal = err;
	if (eng_push(e, now, job) == -1)
		e->fatal = ENOMEM;
}

/*
 * Deal with every attempt past its deadline and find the next deadline.
 * Deadlines only shrink: attempts sent before their host's first answer
 * waited for the initial timeout, and get the RTT-based one once it is
 * known.  A socket is checked once more before it is called silent, in
 * case its answer is in but its event not yet read.
 */
static void
eng_timeouts(struct eng *e, int64_t now)
{
	struct pollfd	 pfd;
	struct slot	*s;
	struct job	 job;
	int64_t		 next = INT64_MAX, dl;
	int		 i;

	for (i = 0; i < e->nslot; i++) {
		s = &e->slot[i];
		if (s->fd == -1)
			continue;
		if (s->banner) {
			if (s->deadline <= now)
				eng_banner_done(e, s, 1);
			else if (s->deadline < next)
				next = s->deadline;
			continue;
		}
		dl = s->start + eng_timeout_ms(e, &s->job) * 1000;
		if (dl < s->deadline)	/* the host's RTT is known now */
			s->deadline = dl;
		if (s->deadline > now) {
			if (s->deadline < next)
				next = s->deadline;
			continue;
		}
		pfd.fd = s->fd;
		pfd.events = e->o->udp ? POLLIN : POLLOUT;
		if (poll(&pfd, 1, 0) == 1) {
			eng_event(e, i, (pfd.revents & POLLERR) ? EPOLLERR :
			    EPOLLIN | EPOLLOUT, now);
			if (s->fd == -1)
				continue;
		}
		job = s->job;
		close(s->fd);
		eng_release(e, s);
		eng_silent(e, job, now);
	}
	e->next_deadline = next;
}

/*
 * This attempt's timeout: -w, or the host's RTO within the bounds,
 * doubled for retries (as RFC 6298 5.5 backs off), so that a moment of
 * congestion or a stalled link does not make a port look filtered.  Only
 * once: more would make every try on a dropped port slower still.
 */
static long
eng_timeout_ms(const struct eng *e, const struct job *job)
{
	const struct hstate	*h = &e->hs[job->host];
	long			 ms;

	if (e->o->fixed_timeout_ms > 0)
		return e->o->fixed_timeout_ms;
	if (h->srtt == 0)
		ms = ENG_INIT_RTO_MS;
	else
		ms = (long)((h->srtt + 4 * h->rttvar) / 1000);
	if (ms < e->o->min_timeout_ms)
		ms = e->o->min_timeout_ms;
	if (job->tries > 0)
		ms *= 2;
	if (ms > e->o->max_timeout_ms)
		ms = e->o->max_timeout_ms;
	return ms;
}

/* Add a job to the waiting heap, due at at.  Returns 0 or -1 (ENOMEM). */
static int
eng_push(struct eng *e, int64_t at, struct job job)
{
	struct went	*w, t;
	size_t		 i, p;

	if (e->nwait == e->waitcap) {
		w = realloc(e->wait, (e->waitcap ? e->waitcap * 2 : 256) *
		    sizeof *w);
		if (w == NULL)
			return -1;
		e->wait = w;
		e->waitcap = e->waitcap ? e->waitcap * 2 : 256;
	}
	i = e->nwait++;
	e->wait[i].at = at;
	e->wait[i].job = job;
	for (; i > 0 && e->wait[p = (i - 1) / 2].at > e->wait[i].at; i = p) {
		t = e->wait[p];
		e->wait[p] = e->wait[i];
		e->wait[i] = t;
	}
	return 0;
}

/* Remove the heap's first job. */
static void
eng_pop(struct eng *e)
{
	struct went	 t;
	size_t		 i = 0, c;

	e->wait[0] = e->wait[--e->nwait];
	for (;;) {
		c = 2 * i + 1;
		if (c >= e->nwait)
			break;
		if (c + 1 < e->nwait && e->wait[c + 1].at < e->wait[c].at)
			c++;
		if (e->wait[i].at <= e->wait[c].at)
			break;
		t = e->wait[c];
		e->wait[c] = e->wait[i];
		e->wait[i] = t;
		i = c;
	}
}
