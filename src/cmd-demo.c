/*
 * cmd-demo.c: "sockkit demo [SCENARIO]", a server and a client of sockkit's
 * own on loopback, drawn live as a ladder.
 *
 * Both ends live in this one process, so every socket call is stamped on
 * the capture's clock as it is made and drawn between the packets it
 * caused.  The demo first moves into a private network namespace (only
 * its own lo, brought up here), so nothing on the host is touched or seen:
 * as root directly, else inside a user namespace of its own where the
 * kernel allows one, which gives it the capture and nft there without any
 * privilege on the host.  Without either it runs on the host's loopback;
 * without capture privileges it says so once and still shows the socket
 * calls and what TCP_INFO reports.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <net/if.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "step.h"
#ifdef HAVE_OPENSSL
#include "tls.h"
#endif
#include "util.h"
#include "words.h"

#define DEMO_WAIT_MS	1000	/* longest wait for a step on loopback */
#define DEMO_PAUSE_MS	20	/* lets the packets of a step show first */
#define DEMO_ACK_MS	100	/* longer than a delayed ACK waits */
#define DEMO_DROP_MS	3500	/* dropped: SYNs at 0, 1 and 3 s */
#define DEMO_DROP_MAX_MS 9000	/* dropped: whatever the settings */
#define DEMO_PROBE_MS	1000	/* zero-window: two probes (0.2, 0.6 s) */
#define DEMO_SEG	988	/* loss: payload of a 1000-byte MSS */
#define DEMO_TAIL	100	/* loss: the last segment of a burst */
#define DEMO_CLAMP	536	/* mss: the MSS of a 576-byte path */

struct demo {
	struct capture	*cap;		/* NULL: no capture privileges */
	int		 netns;		/* in a namespace of our own */
	int		 userns;	/* inside a user namespace too */
	int64_t		 t0;		/* capture_now() at the start */
	int64_t		 call_ts;	/* when the call being said began */
	int		 lfd, cfd, sfd;	/* listener, client, server's end */
	int		 port;		/* the server's port */
	int		 lingered;	/* the end of the capture was awaited */
	int		 rcvbuf;	/* the listener's SO_RCVBUF, 0: default */
	int		 backlog;	/* listen()'s, 0: 4 */
	int		 cmss;		/* the client's TCP_MAXSEG, 0: none */
	int		 reuse;		/* the client sets SO_REUSEADDR */
	int		 nft_fd;	/* to the root helper that runs nft */
	pid_t		 nft_pid;	/* the helper, or 0 */
};

struct demo_scenario {
	const char	*name;
	const char	*summary;
	int		(*run)(struct demo *);
	int		 flags;		/* DEMO_WITH_*, what it needs */
};

/* A scenario's flags: what it needs besides its sockets. */
#define DEMO_WITH_NFT	0x1	/* runs nft (in the namespace only) */
#define DEMO_WITH_SEGS	0x2	/* one packet per segment: no TSO on lo */
#define DEMO_WITH_TLS	0x4	/* speaks TLS: its secrets are kept */

static int	demo_handshake(struct demo *);
static int	demo_server_close(struct demo *);
static int	demo_half_close(struct demo *);
static int	demo_held_fin(struct demo *);
static void	demo_say_state(struct demo *, int, enum track_call,
		    const char *);
static int	demo_refused(struct demo *);
static int	demo_reset(struct demo *);
static int	demo_simultaneous(struct demo *);
static int	demo_dropped(struct demo *);
static int	demo_udp(struct demo *);
static int	demo_zero_window(struct demo *);
static int	demo_nagle(struct demo *);
static int	demo_loss(struct demo *);
static int	demo_backlog(struct demo *);
static int	demo_syn_cookies(struct demo *);
static int	demo_keepalive(struct demo *);
static int	demo_time_wait(struct demo *);
static int	demo_mss(struct demo *);
static int	demo_tls(struct demo *);

static const struct demo_scenario demo_scenarios[] = {
	{ "handshake", "open, one line each way, the client closes "
	    "(FIN both ways, TIME_WAIT)", demo_handshake, 0 },
	{ "server-close", "the same, but the server closes first",
	    demo_server_close, 0 },
	{ "half-close", "the client shuts down writing; the server still "
	    "answers", demo_half_close, 0 },
	{ "held-fin", "the server reads nothing: the client's FIN waits "
	    "behind its data, FIN_WAIT_1 from shutdown()", demo_held_fin,
	    0 },
	{ "simultaneous-close", "both ends send their FIN before they see "
	    "the other's (CLOSING)", demo_simultaneous, DEMO_WITH_NFT },
	{ "refused", "nothing listens: the SYN is answered by a RST",
	    demo_refused, 0 },
	{ "reset", "the client aborts mid-stream (SO_LINGER 0): RST",
	    demo_reset, 0 },
	{ "dropped", "a firewall drops the SYN: the kernel's retries and "
	    "back-off (under 10 s)", demo_dropped, DEMO_WITH_NFT },
	{ "udp", "a datagram, its reply, then one to a closed port: ICMP "
	    "port unreachable", demo_udp, 0 },
	{ "zero-window", "a reader that stops: the window falls to 0, "
	    "zero-window probes, the window update", demo_zero_window,
	    0 },
	{ "nagle", "two small writes against delayed ACKs, without and with "
	    "TCP_NODELAY (the 40 ms stall)", demo_nagle, 0 },
	{ "loss", "a lost segment: duplicate ACKs with SACK, fast "
	    "retransmit; a lost tail: TLP or RTO", demo_loss,
	    DEMO_WITH_NFT | DEMO_WITH_SEGS },
	{ "backlog", "a listener with backlog 1 that does not accept: the "
	    "third SYN is dropped and retried", demo_backlog, 0 },
	{ "syn-cookies", "a full SYN queue (backlog 1, a lost ACK): the next "
	    "SYN dropped, then answered with a SYN cookie", demo_syn_cookies,
	    DEMO_WITH_NFT },
	{ "keepalive", "keepalive probes on an idle connection, then the peer "
	    "gone: unanswered, RST", demo_keepalive, DEMO_WITH_NFT },
	{ "time-wait", "a second connection from a port in TIME_WAIT: "
	    "EADDRINUSE, then reused (or EADDRNOTAVAIL)", demo_time_wait,
	    0 },
	{ "mss", "a path with a 576-byte MTU: the SYN's MSS clamped to 536, "
	    "segments that fit", demo_mss, DEMO_WITH_NFT | DEMO_WITH_SEGS },
	{ "tls", "a TLS 1.3 session: the handshake drawn decrypted, a line "
	    "each way, close_notify both ways", demo_tls, DEMO_WITH_TLS },
	{ NULL, NULL, NULL, 0 }
};

/* Mark the start of a socket call: demo_say() stamps it with this time. */
static void
demo_begin(struct demo *d)
{
	d->call_ts = capture_now();
}

/*
 * Say what one end did: a socket call or what it saw.  With a capture the
 * line is queued on the capture's clock and drawn between the packets;
 * without, it goes to stdout with the same time column.  The time is the
 * call's start (demo_begin()) when one was marked, else now.
 */
static void __attribute__((format(printf, 3, 4)))
demo_say(struct demo *d, int err, const char *fmt, ...)
{
	va_list	 ap;
	char	 what[96];
	const char *name;
	int64_t	 ts;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	ts = d->call_ts != 0 ? d->call_ts : capture_now();
	d->call_ts = 0;
	if (d->cap != NULL) {
		capture_call_at(d->cap, ts, what, err);
		return;
	}
	name = err ? strerrorname_np(err) : NULL;
	printf("%10.3f  %s%s%s\n", (double)(ts - d->t0) / 1e6,
	    what, err ? " failed: " : "", err ? (name ? name : "?") : "");
	fflush(stdout);
}

/*
 * A TCP_INFO sample of the client's and the server's connected sockets
 * for the --graph picture's second panel (the capture takes none without
 * --graph, nor of a UDP socket).
 */
static void
demo_sample(struct demo *d)
{
	int64_t	 now = capture_now();

	if (d->cfd != -1)
		capture_tcp_info(d->cap, d->cfd, now, NULL);
	if (d->sfd != -1)
		capture_tcp_info(d->cap, d->sfd, now, NULL);
}

/*
 * Wait up to ms for events on fd (fd -1: just wait), drawing packets as
 * they arrive.  Returns 1 when fd is ready, 0 on timeout or interrupt.
 */
static int
demo_wait(struct demo *d, int fd, short events, int ms)
{
	struct pollfd	 pfd[2];
	int64_t		 end = now_ms() + ms, left;
	nfds_t		 n = 0;
	int		 rc;

	if (fd >= 0) {
		pfd[n].fd = fd;
		pfd[n++].events = events;
	}
	if (d->cap != NULL) {
		pfd[n].fd = capture_fd(d->cap);
		pfd[n++].events = POLLIN;
	}
	while (!sk_interrupted && (left = end - now_ms()) > 0) {
		if (n == 0)
			rc = sk_poll(NULL, 0, (int)left);
		else
			rc = sk_poll(pfd, n, (int)left);
		if (rc == -1 && errno != EINTR)
			return 0;
		if (rc <= 0)
			continue;
		if (d->cap != NULL && pfd[n - 1].revents != 0) {
			capture_poll(d->cap);
			demo_sample(d);
		}
		if (fd >= 0 && pfd[0].revents != 0)
			return 1;
	}
	return 0;
}

/* Linux's TCP state numbers (include/net/tcp_states.h) as names. */
static const char *
demo_state_name(int st)
{
	static const char *names[] = { "?", "ESTABLISHED", "SYN_SENT",
	    "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
	    "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV" };

	if (st < 0 || st >= (int)(sizeof names / sizeof names[0]))
		return "?";
	return names[st];
}

/*
 * fd's TCP_INFO into ti, also a sample for the graph at the time the
 * line that says it will carry; 0, or -1 after saying that who's
 * getsockopt() failed.
 */
static int
demo_tcp_info(struct demo *d, const char *who, int fd, struct tcp_info *ti)
{
	socklen_t	 len = sizeof *ti;

	memset(ti, 0, sizeof *ti);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, ti, &len) == -1) {
		demo_say(d, errno, "%s: getsockopt(TCP_INFO)", who);
		return -1;
	}
	d->call_ts = capture_now();	/* the line and the graph's sample */
	capture_tcp_info(d->cap, fd, d->call_ts, ti);
	return 0;
}

/*
 * What the kernel says about fd's connection (TCP_INFO), as one line:
 * the state, then the round trip (or with flow, what demo_info_flow()
 * says), the retransmissions and the RTO.
 */
static void
demo_info_line(struct demo *d, const char *who, int fd, int flow)
{
	struct tcp_info	 ti;
	char		 mid[128];

	if (demo_tcp_info(d, who, fd, &ti) == -1)
		return;
	if (flow)
		snprintf(mid, sizeof mid, "mss %u, cwnd %u, %u retransmit%s, "
		    "%u probe%s", ti.tcpi_snd_mss, ti.tcpi_snd_cwnd,
		    ti.tcpi_total_retrans, ti.tcpi_total_retrans == 1 ? "" :
		    "s", ti.tcpi_probes, ti.tcpi_probes == 1 ? "" : "s");
	else
		snprintf(mid, sizeof mid, "rtt %.3f ms, %u retransmit%s",
		    ti.tcpi_rtt / 1000.0, ti.tcpi_total_retrans,
		    ti.tcpi_total_retrans == 1 ? "" : "s");
	demo_say(d, 0, "%s: TCP_INFO says %s, %s, rto %u ms", who,
	    demo_state_name(ti.tcpi_state), mid, ti.tcpi_rto / 1000);
}

/* The state, round trip, retransmissions and RTO of fd's connection. */
static void
demo_info(struct demo *d, const char *who, int fd)
{
	demo_info_line(d, who, fd, 0);
}

/*
 * The state of the TCP socket on 127.0.0.1 port lport talking to port
 * rport, from /proc/net/tcp (which shows TIME_WAIT after close()).
 * Returns the state number, or -1 when no such socket is left.
 */
static int
demo_proc_state(int lport, int rport)
{
	FILE		*fp;
	char		 line[256];
	unsigned	 la, lp, ra, rp, st;
	int		 found = -1, n = 0;

	if ((fp = fopen("/proc/net/tcp", "r")) == NULL)
		return -1;
	while (n++ < 100000 && fgets(line, sizeof line, fp) != NULL) {
		if (sscanf(line, " %*u: %x:%x %x:%x %x", &la, &lp, &ra, &rp,
		    &st) != 5)
			continue;
		if ((int)lp == lport && (int)rp == rport) {
			found = (int)st;
			break;
		}
	}
	fclose(fp);
	return found;
}

/* A sockaddr for 127.0.0.1 port port. */
static void
demo_addr(struct sockaddr_in *sin, int port)
{
	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

/* fd's own port, or -1. */
static int
demo_port(int fd)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;

	if (getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		return -1;
	return ntohs(sin.sin_port);
}

/*
 * A socket of type bound to 127.0.0.1 on a port the kernel picks, set
 * non-blocking.  Returns the fd or -1 after saying why.
 */
static int
demo_socket(struct demo *d, const char *who, int type)
{
	struct sockaddr_in	 sin;
	int			 fd;

	demo_addr(&sin, 0);
	if ((fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		demo_say(d, errno, "%s: socket()", who);
		return -1;
	}
	if (d->reuse && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &d->reuse,
	    sizeof d->reuse) == -1) {
		demo_say(d, errno, "%s: setsockopt(SO_REUSEADDR)", who);
		close(fd);
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		demo_say(d, errno, "%s: bind()", who);
		close(fd);
		return -1;
	}
	return fd;
}

/* The capture's filter, when there is a capture; 0 or -1 after a word. */
static int
demo_filter(struct demo *d, const char *expr)
{
	char	 err[512];

	if (d->cap == NULL)
		return 0;
	if (capture_filter_expr(d->cap, expr, err, sizeof err) == -1) {
		sk_warnx("demo: %s", err);
		return -1;
	}
	return 0;
}

/*
 * The server: a listening TCP socket on 127.0.0.1, and the capture set on
 * its port.  Returns 0 or -1.
 */
static int
demo_listen(struct demo *d)
{
	char	 expr[64];

	if ((d->lfd = demo_socket(d, "server", SOCK_STREAM)) == -1)
		return -1;
	d->port = demo_port(d->lfd);
	snprintf(expr, sizeof expr, "tcp port %d", d->port);
	if (demo_filter(d, expr) == -1)
		return -1;
	if (d->rcvbuf > 0 && setsockopt(d->lfd, SOL_SOCKET, SO_RCVBUF,
	    &d->rcvbuf, sizeof d->rcvbuf) == -1) {
		demo_say(d, errno, "server: setsockopt(SO_RCVBUF)");
		return -1;
	}
	if (listen(d->lfd, d->backlog > 0 ? d->backlog : 4) == -1) {
		demo_say(d, errno, "server: listen()");
		return -1;
	}
	demo_say(d, 0, "server: listen(%s) on 127.0.0.1 port %d", d->backlog >
	    0 ? "backlog 1" : "", d->port);
	return 0;
}

/*
 * The client's socket before its connect(): TCP_MAXSEG when d->cmss asks
 * for one.  Returns 0 or -1 (said).
 */
static int
demo_client_socket(struct demo *d)
{
	if ((d->cfd = demo_socket(d, "client", SOCK_STREAM)) == -1)
		return -1;
	if (d->cmss > 0 && setsockopt(d->cfd, IPPROTO_TCP, TCP_MAXSEG,
	    &d->cmss, sizeof d->cmss) == -1) {
		demo_say(d, errno, "client: setsockopt(TCP_MAXSEG)");
		return -1;
	}
	if (d->cmss > 0)
		demo_say(d, 0, "client: setsockopt(TCP_MAXSEG, %d): segments "
		    "of %d bytes at most", d->cmss, d->cmss);
	return 0;
}

/*
 * connect() of the client's socket d->cfd to the server's port, waiting
 * up to ms for its outcome.  Returns 0 when connected, -1 otherwise
 * (said, but for a connect() still pending).
 */
static int
demo_connect_fd(struct demo *d, int ms)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(int);
	int			 e = 0;

	demo_addr(&sin, d->port);
	demo_begin(d);
	demo_say(d, 0, "client: connect() to 127.0.0.1 port %d from port %d",
	    d->port, demo_port(d->cfd));
	if (connect(d->cfd, (struct sockaddr *)&sin, sizeof sin) == -1 &&
	    errno != EINPROGRESS)
		e = errno;
	else if (!demo_wait(d, d->cfd, POLLOUT, ms))
		return -1;		/* the caller says what is pending */
	else if (getsockopt(d->cfd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
		e = errno;
	if (e != 0) {
		demo_say(d, e, "client: connect()");
		errno = e;
		return -1;
	}
	demo_say(d, 0, "client: connect() returned: connected");
	return 0;
}

/* A new client socket's connect(), as demo_connect_fd(). */
static int
demo_connect(struct demo *d, int ms)
{
	if (demo_client_socket(d) == -1)
		return -1;
	return demo_connect_fd(d, ms);
}

/* The server's accept(); returns 0 or -1 (said). */
static int
demo_accept(struct demo *d)
{
	if (!demo_wait(d, d->lfd, POLLIN, DEMO_WAIT_MS)) {
		demo_say(d, ETIMEDOUT, "server: accept()");
		return -1;
	}
	if ((d->sfd = accept4(d->lfd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) == -1) {
		demo_say(d, errno, "server: accept()");
		return -1;
	}
	demo_say(d, 0, "server: accept() returned the connection from port "
	    "%d", demo_port(d->cfd));
	return 0;
}

/*
 * Say that who moved n bytes of b by the call verb ("send", "SSL_read"):
 * the count and the bytes' first line.
 */
static void
demo_say_data(struct demo *d, const char *who, const char *verb,
    const char *b, ssize_t n)
{
	int	 line = (int)strcspn(b, "\n");

	demo_say(d, 0, "%s: %s %zd \"%.*s\"", who, verb, n,
	    line < (int)n ? line : (int)n, b);
}

/* who sends text on fd; returns 0 or -1 (said). */
static int
demo_send(struct demo *d, const char *who, int fd, const char *text)
{
	ssize_t	 n;

	demo_begin(d);
	if ((n = send(fd, text, strlen(text), MSG_NOSIGNAL)) == -1) {
		demo_say(d, errno, "%s: send()", who);
		return -1;
	}
	demo_say_data(d, who, "send", text, n);
	demo_wait(d, -1, 0, DEMO_PAUSE_MS);
	return 0;
}

/*
 * who reads from fd once it is readable.  Returns the byte count, 0 at
 * EOF, or -1 (said) on error or timeout.
 */
static ssize_t
demo_recv(struct demo *d, const char *who, int fd)
{
	char	 buf[512];
	ssize_t	 n;
	int	 e;

	if (!demo_wait(d, fd, POLLIN, DEMO_WAIT_MS)) {
		demo_say(d, ETIMEDOUT, "%s: recv()", who);
		return -1;
	}
	demo_begin(d);
	if ((n = recv(fd, buf, sizeof buf, 0)) == -1) {
		e = errno;
		demo_say(d, e, "%s: recv()", who);
		errno = e;
		return -1;
	}
	if (n == 0) {
		snprintf(buf, sizeof buf, "%s: recv() = 0: EOF, the peer "
		    "closed its side", who);
		demo_say_state(d, fd, TRACK_CALL_EOF, buf);
	} else
		demo_say_data(d, who, "recv", buf, n);
	return n;
}

/*
 * close(*fdp), said as what; with a capture it is drawn with the state
 * the call moves its end to (RFC 9293 3.10.4, 3.10.5).
 */
static void
demo_close_fd(struct demo *d, int *fdp, const char *what)
{
	if (d->cap != NULL)
		capture_close_fd(d->cap, *fdp, what);
	else {
		demo_begin(d);
		close(*fdp);
		demo_say(d, 0, "%s", what);
	}
	*fdp = -1;
}

/*
 * Say what, a call on fd begun at demo_begin() that moves fd's state
 * (how); with a capture it is drawn with the state entered.
 */
static void
demo_say_state(struct demo *d, int fd, enum track_call how, const char *what)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;

	if (d->cap != NULL && getsockname(fd, (struct sockaddr *)&ss,
	    &len) == 0) {
		capture_state_call(d->cap, d->call_ts != 0 ? d->call_ts :
		    capture_now(), (struct sockaddr *)&ss, how, what, 0);
		d->call_ts = 0;
	} else
		demo_say(d, 0, "%s", what);
}

/* shutdown(fd, SHUT_WR), said as what, drawn as demo_close_fd() does. */
static void
demo_shutdown(struct demo *d, int fd, const char *what)
{
	demo_begin(d);
	shutdown(fd, SHUT_WR);
	demo_say_state(d, fd, TRACK_CALL_SHUTDOWN, what);
}

/* who closes *fdp; the pause lets the FIN show before what follows. */
static void
demo_close(struct demo *d, const char *who, int *fdp)
{
	char	 what[64];

	snprintf(what, sizeof what, "%s: close()", who);
	demo_close_fd(d, fdp, what);
	demo_wait(d, -1, 0, DEMO_PAUSE_MS);
}

/* Listen, connect and accept; 0 or -1 (said). */
static int
demo_open(struct demo *d)
{
	if (demo_listen(d) == -1)
		return -1;
	if (demo_connect(d, DEMO_WAIT_MS) == -1) {
		demo_say(d, ETIMEDOUT, "client: connect()");
		return -1;
	}
	return demo_accept(d);
}

/* Connect, accept and one line each way; returns 0 or -1. */
static int
demo_open_talk(struct demo *d)
{
	if (demo_open(d) == -1)
		return -1;
	demo_info(d, "client", d->cfd);
	if (demo_send(d, "client", d->cfd, "hello, server\n") == -1 ||
	    demo_recv(d, "server", d->sfd) <= 0)
		return -1;
	if (demo_send(d, "server", d->sfd, "hello, client\n") == -1 ||
	    demo_recv(d, "client", d->cfd) <= 0)
		return -1;
	return 0;
}

/* Where the closer's port is left (TIME_WAIT, from /proc/net/tcp). */
static void
demo_after(struct demo *d, const char *who, int lport, int rport)
{
	int	 st;

	if (d->cap != NULL && !d->lingered)
		capture_linger(d->cap);
	d->lingered = 1;
	if ((st = demo_proc_state(lport, rport)) >= 0)
		demo_say(d, 0, "%s: port %d is in %s (/proc/net/tcp)%s", who,
		    lport, demo_state_name(st), st == 6 ? ": kept for 2*MSL "
		    "(60 s on Linux)" : "");
}

/*
 * Both ends close: the side named first (the client when client_first),
 * then the other once it has read EOF, after saying what TCP_INFO says
 * when info.  Then where the client's port is left (tw_client), or the
 * server's.  Returns 0 or -1.
 */
static int
demo_close_pair(struct demo *d, int client_first, int info, int tw_client)
{
	const char	*first = client_first ? "client" : "server";
	const char	*second = client_first ? "server" : "client";
	int		*ffd = client_first ? &d->cfd : &d->sfd;
	int		*sfd = client_first ? &d->sfd : &d->cfd;
	int		 cport = demo_port(d->cfd);

	demo_close(d, first, ffd);
	if (demo_recv(d, second, *sfd) != 0)
		return -1;
	if (info) {
		demo_info(d, second, *sfd);
		demo_wait(d, -1, 0, DEMO_ACK_MS);
	}
	demo_close(d, second, sfd);
	if (tw_client)
		demo_after(d, "client", cport, d->port);
	else
		demo_after(d, "server", d->port, cport);
	return 0;
}

/*
 * Open, talk, and close: the side named first closes first and is the one
 * left in TIME_WAIT.  Returns 0 or -1.
 */
static int
demo_close_by(struct demo *d, int client_first)
{
	if (demo_open_talk(d) == -1)
		return -1;
	return demo_close_pair(d, client_first, 1, client_first);
}

/* The default: the client closes first. */
static int
demo_handshake(struct demo *d)
{
	return demo_close_by(d, 1);
}

/* The server closes first: it is the one left in TIME_WAIT. */
static int
demo_server_close(struct demo *d)
{
	return demo_close_by(d, 0);
}

/*
 * The client says all it has to say and shuts down writing; the server
 * reads to EOF and still answers; the client reads the answer.
 */
static int
demo_half_close(struct demo *d)
{
	int	 cport;

	if (demo_listen(d) == -1 || demo_connect(d, DEMO_WAIT_MS) == -1 ||
	    demo_accept(d) == -1)
		return -1;
	cport = demo_port(d->cfd);
	if (demo_send(d, "client", d->cfd, "question\n") == -1)
		return -1;
	demo_shutdown(d, d->cfd, "client: shutdown(SHUT_WR): no more to send, "
	    "still reading");
	demo_wait(d, -1, 0, DEMO_PAUSE_MS);
	if (demo_recv(d, "server", d->sfd) <= 0 ||
	    demo_recv(d, "server", d->sfd) != 0)
		return -1;
	demo_info(d, "server", d->sfd);
	if (demo_send(d, "server", d->sfd, "answer after your FIN\n") == -1)
		return -1;
	demo_close(d, "server", &d->sfd);
	if (demo_recv(d, "client", d->cfd) <= 0 ||
	    demo_recv(d, "client", d->cfd) != 0)
		return -1;
	demo_close(d, "client", &d->cfd);
	demo_after(d, "client", cport, d->port);
	return 0;
}

/*
 * who sends (ahead) or reads (!ahead) on fd until it would block (send)
 * or sees EOF (recv), bounded; says how much in how many calls.  Returns
 * 0, or -1 (said) on an error or when recv waited too long.
 */
static int
demo_pump(struct demo *d, const char *who, int fd, int ahead)
{
	static char	 buf[16384];
	ssize_t		 n = 0;
	uint64_t	 total = 0;
	int		 calls = 0;

	demo_begin(d);
	while (calls < 4096 && !sk_interrupted) {
		n = ahead ? send(fd, buf, sizeof buf, MSG_NOSIGNAL |
		    MSG_DONTWAIT) : recv(fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n == -1 && errno == EAGAIN && !ahead &&
		    demo_wait(d, fd, POLLIN, DEMO_WAIT_MS))
			continue;
		if (n <= 0)
			break;
		calls++;
		total += (uint64_t)n;
	}
	if (n == -1 && errno != EAGAIN) {
		demo_say(d, errno, "%s: %s()", who, ahead ? "send" : "recv");
		return -1;
	}
	snprintf(buf, sizeof buf, "%s: %s %llu bytes in %d calls, %s", who,
	    ahead ? "send" : "recv", (unsigned long long)total, calls, ahead ?
	    "until EAGAIN: its window is full" : n == 0 ? "then 0: EOF" :
	    "and no EOF");
	if (!ahead && n == 0)
		demo_say_state(d, fd, TRACK_CALL_EOF, buf);
	else
		demo_say(d, 0, "%s", buf);
	return ahead || n == 0 ? 0 : -1;
}

/*
 * The client, its send buffer full, shuts down writing: its FIN waits
 * behind the data until the server reads to EOF; then both close, the
 * server first.  Returns 0 or -1.
 */
static int
demo_fin_behind(struct demo *d)
{
	demo_shutdown(d, d->cfd, "client: shutdown(SHUT_WR): the FIN waits "
	    "behind the data");
	demo_info(d, "client", d->cfd);
	demo_wait(d, -1, 0, DEMO_PAUSE_MS);
	if (demo_pump(d, "server", d->sfd, 0) == -1)
		return -1;
	demo_info(d, "server", d->sfd);
	return demo_close_pair(d, 0, 0, 1);
}

/*
 * The server reads nothing, so its window closes with the client's data
 * queued behind it; the client shuts down writing.  Its FIN cannot leave
 * yet, but the client is in FIN_WAIT_1 from the call on (RFC 9293 3.10.4;
 * TCP_INFO says so); the FIN follows the data once the server reads.
 */
static int
demo_held_fin(struct demo *d)
{
	int	 small = 4096;

	d->rcvbuf = small;
	if (demo_listen(d) == -1 || demo_connect(d, DEMO_WAIT_MS) == -1 ||
	    demo_accept(d) == -1)
		return -1;
	if (setsockopt(d->cfd, SOL_SOCKET, SO_SNDBUF, &small,
	    sizeof small) == -1) {
		demo_say(d, errno, "client: setsockopt(SO_SNDBUF)");
		return -1;
	}
	if (demo_pump(d, "client", d->cfd, 1) == -1)
		return -1;
	demo_wait(d, -1, 0, DEMO_ACK_MS);
	return demo_fin_behind(d);
}

/* A port nothing listens on: bound for a moment, then let go. */
static int
demo_free_port(struct demo *d)
{
	int	 fd, port;

	if ((fd = demo_socket(d, "demo", SOCK_STREAM)) == -1)
		return -1;
	port = demo_port(fd);
	close(fd);
	return port;
}

/* connect() to a port nothing listens on. */
static int
demo_refused(struct demo *d)
{
	char	 expr[64];

	if ((d->port = demo_free_port(d)) == -1)
		return -1;
	snprintf(expr, sizeof expr, "tcp port %d", d->port);
	if (demo_filter(d, expr) == -1)
		return -1;
	if (demo_connect(d, DEMO_WAIT_MS) == 0)
		return -1;
	demo_say(d, 0, "client: refused: nothing listens on port %d, so the "
	    "kernel answered the SYN with a RST", d->port);
	if (d->cap != NULL)
		capture_linger(d->cap);
	return 0;
}

/* The client aborts: SO_LINGER with a zero timeout makes close() a RST. */
static int
demo_reset(struct demo *d)
{
	struct linger	 lg = { 1, 0 };

	if (demo_open_talk(d) == -1)
		return -1;
	if (demo_send(d, "server", d->sfd, "more data the client never "
	    "reads\n") == -1)
		return -1;
	if (setsockopt(d->cfd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) == -1) {
		demo_say(d, errno, "client: setsockopt(SO_LINGER)");
		return -1;
	}
	demo_say(d, 0, "client: setsockopt(SO_LINGER, on, 0 s)");
	demo_close_fd(d, &d->cfd, "client: close(): abort, unread data and "
	    "linger 0: RST instead of FIN");
	demo_wait(d, -1, 0, DEMO_PAUSE_MS);
	demo_recv(d, "server", d->sfd);
	demo_close(d, "server", &d->sfd);
	if (d->cap != NULL)
		capture_linger(d->cap);
	return 0;
}

/*
 * The only firewall changes the demo makes, so that the helper that
 * keeps root runs nothing it is sent, only one of these.
 */
enum demo_nft_op {
	DEMO_NFT_DROP_PORT,	/* every packet to port */
	DEMO_NFT_DROP_FINS,	/* FINs to port and to cport */
	DEMO_NFT_LOSS,		/* the 5th full segment to port, and the
				   first of cport bytes (IP length) */
	DEMO_NFT_CLAMP,		/* the MSS of SYNs to and from port to
				   cport */
	DEMO_NFT_DROP_ACKS,	/* pure ACKs from port cport to port */
	DEMO_NFT_DELETE,	/* the demo's table */
	DEMO_SYNCOOKIES		/* net.ipv4.tcp_syncookies = port (0, 1) */
};

struct demo_nft_req {
	int		 op;	/* enum demo_nft_op */
	int		 port, cport;
};

/* The nft command line of req into buf; 0, or -1 for a bad request. */
static int
demo_nft_line(const struct demo_nft_req *req, char *buf, size_t len)
{
	if (req->op == DEMO_SYNCOOKIES)
		return -1;		/* no nft line: demo_nft_do() */
	if (req->op != DEMO_NFT_DELETE && (req->port < 1 ||
	    req->port > 65535 || (req->op != DEMO_NFT_DROP_PORT &&
	    (req->cport < 1 || req->cport > 65535))))
		return -1;
	switch (req->op) {
	case DEMO_NFT_DROP_PORT:
		snprintf(buf, len, "table inet sockkit_demo { chain in { "
		    "type filter hook input priority 0; tcp dport %d drop; "
		    "}; }", req->port);
		return 0;
	case DEMO_NFT_DROP_FINS:
		snprintf(buf, len, "table inet sockkit_demo { chain in { "
		    "type filter hook input priority 0; tcp flags & fin == "
		    "fin tcp dport { %d, %d } drop; }; }", req->port,
		    req->cport);
		return 0;
	case DEMO_NFT_LOSS:
		snprintf(buf, len, "table inet sockkit_demo { chain in { "
		    "type filter hook input priority 0; tcp dport %d meta "
		    "length > 900 numgen inc mod 100000 4 drop; tcp dport %d "
		    "meta length %d numgen inc mod 100000 0 drop; }; }",
		    req->port, req->port, req->cport);
		return 0;
	case DEMO_NFT_CLAMP:
		snprintf(buf, len, "table inet sockkit_demo { chain out { "
		    "type filter hook output priority 0; tcp flags & syn == "
		    "syn tcp dport %d tcp option maxseg size set %d; tcp "
		    "flags & syn == syn tcp sport %d tcp option maxseg size "
		    "set %d; }; }", req->port, req->cport, req->port,
		    req->cport);
		return 0;
	case DEMO_NFT_DROP_ACKS:
		snprintf(buf, len, "table inet sockkit_demo { chain in { "
		    "type filter hook input priority 0; tcp sport %d tcp "
		    "dport %d tcp flags & (syn|ack|fin|rst|psh) == ack drop; "
		    "}; }", req->cport, req->port);
		return 0;
	case DEMO_NFT_DELETE:
		snprintf(buf, len, "delete table inet sockkit_demo");
		return 0;
	}
	return -1;
}

static int	demo_proc_write(const char *, const char *);

/*
 * Set net.ipv4.tcp_syncookies of our namespace to on (0 or 1).  Returns 0
 * or -1 after saying why.
 */
static int
demo_syncookies_set(int on)
{
	const char	*path = "/proc/sys/net/ipv4/tcp_syncookies";

	if (on != 0 && on != 1)
		return -1;
	if (demo_proc_write(path, on ? "1\n" : "0\n") == -1) {
		sk_warn("demo: %s", path);
		return -1;
	}
	return 0;
}

/*
 * Run nft with one command line inside our namespace, by its path (as
 * root, not whatever PATH finds).  Returns 0 or -1 after saying why.
 */
static int
demo_nft_run(const char *cmd)
{
	pid_t	 pid;
	int	 status;

	if ((pid = fork()) == -1) {
		sk_warn("demo: fork");
		return -1;
	}
	if (pid == 0) {
		execl("/usr/sbin/nft", "nft", cmd, (char *)NULL);
		execl("/sbin/nft", "nft", cmd, (char *)NULL);
		fprintf(stderr, "sockkit: demo: nft: %s\n", strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			sk_warn("demo: waitpid");
			return -1;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		sk_warnx("demo: nft '%s' failed", cmd);
		return -1;
	}
	return 0;
}

/* Carry out one request here: its nft line, or the sysctl.  0 or -1. */
static int
demo_nft_do(const struct demo_nft_req *req)
{
	char	 cmd[256];

	if (req->op == DEMO_SYNCOOKIES)
		return demo_syncookies_set(req->port);
	return demo_nft_line(req, cmd, sizeof cmd) == -1 ? -1 :
	    demo_nft_run(cmd);
}

/*
 * The root helper: for each request the demo sends, runs its nft command
 * line in the demo's namespace and answers with one status byte.  It ends
 * when the demo closes its end.  Never returns.
 */
static void __attribute__((noreturn))
demo_nft_helper(int fd)
{
	struct demo_nft_req	 req;
	ssize_t			 n;
	char			 st;

	for (;;) {
		if ((n = read(fd, &req, sizeof req)) == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);
		st = (char)(n == (ssize_t)sizeof req && demo_nft_do(&req) == 0 ?
		    0 : 1);
		if (write(fd, &st, 1) != 1)
			_exit(1);
	}
}

/*
 * As root in our namespace (root of the host or of our user namespace),
 * for a scenario that changes the firewall half-way: fork the helper that
 * keeps root to run nft, so that this process can drop root like the
 * others.  Returns 0 or -1 (said).
 */
static int
demo_nft_fork(struct demo *d)
{
	int	 sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		sk_warn("demo: socketpair");
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	if ((d->nft_pid = fork()) == -1) {
		sk_warn("demo: fork");
		close(sv[0]);
		close(sv[1]);
		d->nft_pid = 0;
		return -1;
	}
	if (d->nft_pid == 0) {
		close(sv[0]);
		demo_nft_helper(sv[1]);
	}
	close(sv[1]);
	d->nft_fd = sv[0];
	return 0;
}

/* Let the helper go and wait for it. */
static void
demo_nft_end(struct demo *d)
{
	if (d->nft_fd != -1)
		close(d->nft_fd);
	d->nft_fd = -1;
	while (d->nft_pid > 0 && waitpid(d->nft_pid, NULL, 0) == -1 &&
	    errno == EINTR)
		;
	d->nft_pid = 0;
}

/*
 * One firewall change: through the helper once root is dropped, else
 * here.  Returns 0 or -1 (said).
 */
static int
demo_nft(struct demo *d, int op, int port, int cport)
{
	struct demo_nft_req	 req = { op, port, cport };
	ssize_t			 n;
	char			 st;

	if (d->nft_fd == -1)
		return demo_nft_do(&req);
	if (write(d->nft_fd, &req, sizeof req) != (ssize_t)sizeof req) {
		sk_warn("demo: nft helper");
		return -1;
	}
	while ((n = read(d->nft_fd, &st, 1)) == -1 && errno == EINTR &&
	    !sk_interrupted)
		;
	if (n != 1)
		return -1;
	return st == 0 ? 0 : -1;
}

/* Say that a scenario needs a namespace of its own; returns 0. */
static int
demo_no_netns(const char *name)
{
	printf("sockkit demo %s needs a private network namespace for its "
	    "firewall rule, and this kernel makes no user namespace for a "
	    "user: run it as root.\n", name);
	return 0;
}

/* Both ends shut down writing, then see EOF; returns 0 or -1. */
static int
demo_both_fins(struct demo *d)
{
	demo_shutdown(d, d->cfd, "client: shutdown(SHUT_WR)");
	demo_shutdown(d, d->sfd, "server: shutdown(SHUT_WR)");
	demo_wait(d, -1, 0, DEMO_PAUSE_MS);
	demo_info(d, "client", d->cfd);
	demo_info(d, "server", d->sfd);
	if (demo_nft(d, DEMO_NFT_DELETE, 0, 0) == -1)
		return -1;
	demo_say(d, 0, "nft: the FINs pass again: both are retransmitted");
	if (demo_recv(d, "client", d->cfd) != 0 ||
	    demo_recv(d, "server", d->sfd) != 0)
		return -1;
	demo_wait(d, -1, 0, DEMO_PAUSE_MS);
	return 0;
}

/*
 * A simultaneous close: a drop rule holds both FINs back, so each end
 * sends its FIN before it has seen the other's, as when they cross on a
 * long path; both go through CLOSING to TIME_WAIT.
 */
static int
demo_simultaneous(struct demo *d)
{
	int	 cport;

	if (!d->netns)
		return demo_no_netns("simultaneous-close");
	if (demo_open_talk(d) == -1)
		return -1;
	cport = demo_port(d->cfd);
	if (demo_nft(d, DEMO_NFT_DROP_FINS, d->port, cport) == -1)
		return -1;
	demo_say(d, 0, "nft: FINs on this connection are dropped for now");
	if (demo_both_fins(d) == -1)
		return -1;
	demo_close(d, "client", &d->cfd);
	demo_close(d, "server", &d->sfd);
	demo_after(d, "client", cport, d->port);
	demo_after(d, "server", d->port, cport);
	return 0;
}

/*
 * How many SYN retries Linux makes before it starts doubling the timeout
 * (net.ipv4.tcp_syn_linear_timeouts, Linux 6.x); 0 when it has no such
 * setting and doubles from the first retry.
 */
static int
demo_linear_syns(void)
{
	FILE	*fp;
	int	 n = 0;

	if ((fp = fopen("/proc/sys/net/ipv4/tcp_syn_linear_timeouts",
	    "r")) == NULL)
		return 0;
	if (fscanf(fp, "%d", &n) != 1 || n < 0 || n > 8)
		n = 0;
	fclose(fp);
	return n;
}

/*
 * How long to wait for a dropped SYN: past the first doubled timeout (SYNs
 * at 0, 1, 3 s; or 1 s apart linear + 1 times, then 2 s later), at most
 * DEMO_DROP_MAX_MS.
 */
static int
demo_drop_ms(int linear)
{
	int	 ms = linear > 0 ? (linear + 3) * 1000 + 500 : DEMO_DROP_MS;

	return ms > DEMO_DROP_MAX_MS ? DEMO_DROP_MAX_MS : ms;
}

/* What the retries showed, after the client gave up waiting. */
static void
demo_dropped_explain(struct demo *d, int linear)
{
	demo_info(d, "client", d->cfd);
	if (linear > 0)
		demo_say(d, 0, "client: SYN retries come 1 s apart at first "
		    "(tcp_syn_linear_timeouts = %d),", linear);
	demo_say(d, 0, "client: %s each wait doubles; giving up now",
	    linear > 0 ? "then" : "no answer:");
}

/*
 * A connect() whose SYNs are dropped: it must fail after the retries
 * (linear or doubling, see demo_linear_syns()), which are explained.
 * Returns 0, or -1 when it connected after all.
 */
static int
demo_connect_dropped(struct demo *d, int linear)
{
	if (demo_connect(d, demo_drop_ms(linear)) == 0)
		return -1;
	demo_dropped_explain(d, linear);
	demo_close(d, "client", &d->cfd);
	return 0;
}

/*
 * dropped without a namespace of our own (no firewall rule on the host):
 * a listener whose accept queue is full, which makes Linux drop the next
 * SYN just as silently.  Returns 0 or -1.
 */
static int
demo_dropped_queue(struct demo *d, int linear)
{
	if (demo_listen(d) == -1)
		return -1;
	if (listen(d->lfd, 0) == -1) {
		demo_say(d, errno, "server: listen(backlog 0)");
		return -1;
	}
	demo_say(d, 0, "server: listen(backlog 0) and no accept(): one "
	    "connection fills the queue");
	if (demo_connect(d, DEMO_WAIT_MS) == -1)
		return -1;
	d->sfd = d->cfd;		/* the queued one, closed at the end */
	demo_say(d, 0, "client: a second connect(): the kernel drops its "
	    "SYN while the queue is full");
	return demo_connect_dropped(d, linear);
}

/*
 * A listener whose SYNs an nftables rule drops: the client's kernel
 * retries, then backs off, until we give up after a few seconds.
 */
static int
demo_dropped(struct demo *d)
{
	int	 linear = demo_linear_syns();

	if (!d->netns)
		return demo_dropped_queue(d, linear);
	if (demo_listen(d) == -1)
		return -1;
	if (demo_nft(d, DEMO_NFT_DROP_PORT, d->port, 0) == -1)
		return -1;
	demo_say(d, 0, "nft: every packet to port %d is dropped", d->port);
	return demo_connect_dropped(d, linear);
}

/* A UDP socket connect()ed to 127.0.0.1 port; returns 0 or -1 (said). */
static int
demo_udp_connect(struct demo *d, int fd, int port)
{
	struct sockaddr_in	 sin;

	demo_addr(&sin, port);
	demo_begin(d);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		demo_say(d, errno, "client: connect()");
		return -1;
	}
	demo_say(d, 0, "client: connect() to 127.0.0.1 port %d (no packet: "
	    "UDP only remembers the peer)", port);
	return 0;
}

/* The server answers the client's datagram; returns 0 or -1 (said). */
static int
demo_udp_reply(struct demo *d)
{
	struct sockaddr_in	 sin;
	const char		*text = "pong\n";
	ssize_t			 n;

	demo_addr(&sin, demo_port(d->cfd));
	demo_begin(d);
	if ((n = sendto(d->lfd, text, strlen(text), 0, (struct sockaddr *)&sin,
	    sizeof sin)) == -1) {
		demo_say(d, errno, "server: sendto()");
		return -1;
	}
	demo_say(d, 0, "server: sendto %zd \"pong\" back to port %d", n,
	    demo_port(d->cfd));
	demo_wait(d, -1, 0, DEMO_PAUSE_MS);
	return 0;
}

/*
 * A datagram and its reply, then one to a port nothing listens on: the
 * ICMP port unreachable comes back as ECONNREFUSED on the next recv().
 */
static int
demo_udp(struct demo *d)
{
	char	 expr[128];
	int	 closed;

	if ((d->lfd = demo_socket(d, "server", SOCK_DGRAM)) == -1 ||
	    (d->cfd = demo_socket(d, "client", SOCK_DGRAM)) == -1 ||
	    (closed = demo_free_port(d)) == -1)
		return -1;
	d->port = demo_port(d->lfd);
	snprintf(expr, sizeof expr, "udp port %d or udp port %d or (icmp and "
	    "icmp[0] = 3)", d->port, closed);
	if (demo_filter(d, expr) == -1)
		return -1;
	demo_say(d, 0, "server: bind() to 127.0.0.1 port %d", d->port);
	if (demo_udp_connect(d, d->cfd, d->port) == -1 ||
	    demo_send(d, "client", d->cfd, "ping\n") == -1)
		return -1;
	if (demo_recv(d, "server", d->lfd) <= 0 || demo_udp_reply(d) == -1 ||
	    demo_recv(d, "client", d->cfd) <= 0)
		return -1;
	if (demo_udp_connect(d, d->cfd, closed) == -1 ||
	    demo_send(d, "client", d->cfd, "anyone there?\n") == -1)
		return -1;
	if (demo_recv(d, "client", d->cfd) == -1 && errno == ECONNREFUSED)
		demo_say(d, 0, "client: ECONNREFUSED is how the kernel reports "
		    "the ICMP port unreachable");
	if (d->cap != NULL)
		capture_linger(d->cap);
	return 0;
}

/* setsockopt(fd, level, opt, val) said as who's call name; 0 or -1. */
static int
demo_setint(struct demo *d, const char *who, int fd, int level, int opt,
    const char *name, int val)
{
	demo_begin(d);
	if (setsockopt(fd, level, opt, &val, sizeof val) == -1) {
		demo_say(d, errno, "%s: setsockopt(%s)", who, name);
		return -1;
	}
	demo_say(d, 0, "%s: setsockopt(%s, %d)", who, name, val);
	return 0;
}

/*
 * What TCP_INFO says of fd's flow: the state (as demo_info() words it,
 * for the checks that compare it with the ladder), the MSS, the
 * congestion window and the retransmissions so far.
 */
static void
demo_info_flow(struct demo *d, const char *who, int fd)
{
	demo_info_line(d, who, fd, 1);
}

/*
 * who sends (sending) or reads len bytes on fd, in as few calls as the
 * socket allows, waiting for room or data; says how many bytes in how
 * many calls.  Returns 0, or -1 (said).
 */
static int
demo_move(struct demo *d, const char *who, int fd, size_t len, int sending)
{
	static char	 buf[65536];
	const char	*call = sending ? "send" : "recv";
	size_t		 done = 0, want;
	ssize_t		 n;
	int		 calls = 0;

	if (sending)
		demo_begin(d);
	while (done < len && calls < 4096 && !sk_interrupted) {
		want = len - done < sizeof buf ? len - done : sizeof buf;
		n = sending ? send(fd, buf, want, MSG_NOSIGNAL | MSG_DONTWAIT) :
		    recv(fd, buf, want, MSG_DONTWAIT);
		if (n == -1 && errno == EAGAIN && demo_wait(d, fd, sending ?
		    POLLOUT : POLLIN, DEMO_WAIT_MS))
			continue;
		if (n <= 0) {
			demo_say(d, n == 0 ? EPIPE : errno == EAGAIN ?
			    ETIMEDOUT : errno, "%s: %s()", who, call);
			return -1;
		}
		done += (size_t)n;
		calls++;
	}
	demo_say(d, 0, "%s: %s %zu bytes in %d call%s", who, call, done, calls,
	    calls == 1 ? "" : "s");
	return done == len ? 0 : -1;
}

/*
 * A reader that stops: the server's small buffer fills and its window
 * falls to 0; the client's kernel probes it (RFC 9293 3.8.6.1) with the
 * back-off of its retransmission timer until the server reads and the
 * window update lets the rest go.
 */
static int
demo_zero_window(struct demo *d)
{
	d->rcvbuf = 4096;
	if (demo_open(d) == -1)
		return -1;
	demo_say(d, 0, "server: SO_RCVBUF 4096 and no recv() for now");
	if (demo_setint(d, "client", d->cfd, SOL_SOCKET, SO_SNDBUF,
	    "SO_SNDBUF", 8192) == -1 || demo_pump(d, "client", d->cfd, 1) == -1)
		return -1;
	demo_wait(d, -1, 0, DEMO_PROBE_MS);
	demo_info_flow(d, "client", d->cfd);
	return demo_fin_behind(d);
}

/*
 * One round of nagle: the server delays its ACKs (TCP_QUICKACK 0, as an
 * interactive server does), the client writes two small pieces at once;
 * the server reads both.  Returns 0 or -1.
 */
static int
demo_nagle_round(struct demo *d, int nodelay)
{
	const char	*a = nodelay ? "PUT " : "GET ", *b = "/x\n";

	if (demo_setint(d, "server", d->sfd, IPPROTO_TCP, TCP_QUICKACK,
	    "TCP_QUICKACK", 0) == -1)
		return -1;
	if (nodelay && demo_setint(d, "client", d->cfd, IPPROTO_TCP,
	    TCP_NODELAY, "TCP_NODELAY", 1) == -1)
		return -1;
	demo_begin(d);
	if (send(d->cfd, a, strlen(a), MSG_NOSIGNAL) == -1 ||
	    send(d->cfd, b, strlen(b), MSG_NOSIGNAL) == -1) {
		demo_say(d, errno, "client: send()");
		return -1;
	}
	demo_say(d, 0, "client: send \"%s\" and send \"/x\" at once%s", a,
	    nodelay ? ": both leave now" : ": Nagle holds the second until "
	    "the first is acknowledged");
	if (demo_move(d, "server", d->sfd, strlen(a) + strlen(b), 0) == -1)
		return -1;
	demo_wait(d, -1, 0, DEMO_ACK_MS);
	return 0;
}

/*
 * Nagle's algorithm (RFC 896, RFC 1122 4.2.3.4) against a receiver that
 * delays its ACKs (RFC 1122 4.2.3.2): the second small write waits for
 * the first one's ACK, some 40 ms; with TCP_NODELAY it does not.
 */
static int
demo_nagle(struct demo *d)
{
	if (demo_open(d) == -1 || demo_nagle_round(d, 0) == -1)
		return -1;
	demo_info(d, "client", d->cfd);
	if (demo_nagle_round(d, 1) == -1)
		return -1;
	return demo_close_pair(d, 1, 0, 1);
}

/*
 * One segment of a burst lost (nft drops the fifth full one): the
 * server's duplicate ACKs carry SACK blocks, and the client retransmits
 * the hole at once (fast retransmit, RFC 5681 3.2, RFC 6675); then the
 * last segment of a burst lost, which no duplicate ACK can reveal: the
 * tail loss probe (RFC 8985 7) or the RTO (RFC 6298) resends it.
 */
static int
demo_loss(struct demo *d)
{
	size_t	 burst = 20 * DEMO_SEG, tail = 4 * DEMO_SEG + DEMO_TAIL;

	if (!d->netns)
		return demo_no_netns("loss");
	d->cmss = DEMO_SEG + 12;		/* and 12 bytes of timestamps */
	d->rcvbuf = 1 << 18;		/* fixed: the window stays put */
	if (demo_open(d) == -1)
		return -1;
	if (demo_nft(d, DEMO_NFT_LOSS, d->port, 20 + 32 + DEMO_TAIL) == -1)
		return -1;
	demo_say(d, 0, "nft: the 5th full segment to port %d is dropped, once, "
	    "and the first of %d bytes", d->port, DEMO_TAIL);
	if (demo_move(d, "client", d->cfd, burst, 1) == -1 ||
	    demo_move(d, "server", d->sfd, burst, 0) == -1)
		return -1;
	demo_wait(d, -1, 0, DEMO_ACK_MS);
	demo_info_flow(d, "client", d->cfd);
	if (demo_move(d, "client", d->cfd, tail, 1) == -1 ||
	    demo_move(d, "server", d->sfd, tail, 0) == -1)
		return -1;
	demo_wait(d, -1, 0, DEMO_ACK_MS);
	demo_info_flow(d, "client", d->cfd);
	return demo_close_pair(d, 1, 0, 1);
}

/*
 * A listener with backlog 1 that does not accept: two connections fill
 * its accept queue (Linux holds backlog + 1), the kernel drops the third
 * SYN, SYN cookies or not (they help a full SYN queue, not a full accept
 * queue), and the client retries; one accept() makes room, and the next
 * retry connects.
 */
static int
demo_backlog(struct demo *d)
{
	int	 q[2], i, linear = demo_linear_syns();

	d->backlog = 1;
	if (demo_listen(d) == -1)
		return -1;
	demo_say(d, 0, "server: no accept() for now");
	for (i = 0; i < 2; i++) {
		if (demo_connect(d, DEMO_WAIT_MS) == -1)
			return -1;
		q[i] = d->cfd;
		demo_say(d, 0, "client: connection %d waits in the accept queue",
		    i + 1);
	}
	if (demo_connect(d, linear > 0 ? 1500 : 2000) != -1)
		return -1;
	demo_info(d, "client", d->cfd);
	demo_say(d, 0, "client: the third SYN was dropped: the accept queue "
	    "is full");
	d->sfd = accept4(d->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	demo_say(d, d->sfd == -1 ? errno : 0, "server: accept(): one "
	    "connection leaves the queue");
	if (!demo_wait(d, d->cfd, POLLOUT, linear > 0 ? 1500 : 3500)) {
		demo_say(d, ETIMEDOUT, "client: connect()");
		return -1;
	}
	demo_say(d, 0, "client: connect() returned: connected at the next "
	    "SYN retry");
	demo_info(d, "client", d->cfd);
	for (i = 0; i < 2; i++)
		demo_close(d, "client", &q[i]);
	demo_close(d, "client", &d->cfd);
	if (d->cap != NULL)
		capture_linger(d->cap);
	return 0;
}

/*
 * The kernel's TcpExt counters of our namespace (/proc/net/netstat, which
 * anyone may read) named in names, into v; -1 for one it lacks.  Returns
 * 0, or -1 when the file cannot be read.
 */
static int
demo_tcpext(const char *const *names, long long *v, size_t n)
{
	char	 head[4096], vals[4096], *hs, *vs, *h, *x;
	FILE	*f;
	size_t	 i;
	int	 found = 0;

	for (i = 0; i < n; i++)
		v[i] = -1;
	if ((f = fopen("/proc/net/netstat", "re")) == NULL)
		return -1;
	while (!found && fgets(head, sizeof head, f) != NULL &&
	    fgets(vals, sizeof vals, f) != NULL)
		found = strncmp(head, "TcpExt:", 7) == 0;
	fclose(f);
	if (!found)
		return -1;
	h = strtok_r(head + 7, " \n", &hs);
	x = strtok_r(vals + 7, " \n", &vs);
	for (; h != NULL && x != NULL; h = strtok_r(NULL, " \n", &hs),
	    x = strtok_r(NULL, " \n", &vs))
		for (i = 0; i < n; i++)
			if (strcmp(h, names[i]) == 0)
				v[i] = strtoll(x, NULL, 10);
	return 0;
}

/* What the SYN queue scenario reads: the SYN dropped, or a cookie. */
static const char *const demo_synq_names[] = {
	"TCPReqQFullDrop", "TCPReqQFullDoCookies", "SyncookiesSent",
	"SyncookiesRecv"
};
#define DEMO_SYNQ_N	(sizeof demo_synq_names / sizeof demo_synq_names[0])

/*
 * Say how the counters moved since before: "kernel: TCPReqQFullDrop +1"
 * for each that did.
 */
static void
demo_synq_say(struct demo *d, const long long *before, const char *why)
{
	long long	 now[DEMO_SYNQ_N];
	char		 line[96];
	size_t		 i, off = 0;

	if (demo_tcpext(demo_synq_names, now, DEMO_SYNQ_N) == -1)
		return;
	for (i = 0; i < DEMO_SYNQ_N; i++)
		if (now[i] > before[i] && before[i] >= 0)
			words_cat(line, sizeof line, &off, "%s %s +%lld",
			    off ? "," : "kernel:", demo_synq_names[i],
			    now[i] - before[i]);
	if (off > 0)
		demo_say(d, 0, "%s%s", line, why);
}

/*
 * The server's accept() of whatever connection is next, within ms, and
 * its close(); which says more of it.  Returns 0 or -1 (said).
 */
static int
demo_accept_any(struct demo *d, int ms, const char *which)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 fd;

	if (!demo_wait(d, d->lfd, POLLIN, ms)) {
		demo_say(d, ETIMEDOUT, "server: accept()");
		return -1;
	}
	demo_begin(d);
	if ((fd = accept4(d->lfd, (struct sockaddr *)&sin, &len,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1) {
		demo_say(d, errno, "server: accept()");
		return -1;
	}
	demo_say(d, 0, "server: accept() returned port %d%s",
	    ntohs(sin.sin_port), which);
	demo_close_fd(d, &fd, "server: close()");
	return 0;
}

#define DEMO_SYNQ_MAX	3	/* half-open clients a SYN queue may need */

/*
 * A client whose handshake ACK nft drops: the server keeps it half-open.
 * Returns its fd, or -1 when it did not connect within ms (its SYN got no
 * answer: the queue was full already; *fd is the socket then), or -2.
 */
static int
demo_half_open(struct demo *d, int ms, int *fd)
{
	int	 port;

	if (demo_client_socket(d) == -1)
		return -2;
	*fd = d->cfd;
	port = demo_port(d->cfd);
	if (demo_nft(d, DEMO_NFT_DROP_ACKS, d->port, port) == -1)
		return -2;
	demo_say(d, 0, "nft: the ACKs from port %d are dropped", port);
	if (demo_connect_fd(d, ms) == -1)
		return -1;
	demo_say(d, 0, "client: its ACK is lost: the server holds port %d "
	    "half-open in its SYN queue", port);
	return *fd;
}

/*
 * One round of the SYN queue scenario, with tcp_syncookies cookies: half-
 * open clients fill the SYN queue of backlog 1 (one on kernels that call
 * it full at the backlog, two on those that want more: *n of them, found
 * in the first round), and one more client's SYN is then dropped (no
 * cookies) or answered with a cookie.  Returns 0 or -1.
 */
static int
demo_synq_round(struct demo *d, int cookies, int *n)
{
	long long	 before[DEMO_SYNQ_N];
	int		 half[DEMO_SYNQ_MAX + 1], i, k = 0, other, rc = -1;

	if (demo_nft(d, DEMO_SYNCOOKIES, cookies, 0) == -1)
		return -1;
	demo_say(d, 0, "kernel: net.ipv4.tcp_syncookies = %d: %s", cookies,
	    cookies ? "a full SYN queue answers with a cookie" :
	    "a full SYN queue drops SYNs");
	for (i = 0; i < DEMO_SYNQ_MAX + 1; i++)
		half[i] = -1;
	demo_tcpext(demo_synq_names, before, DEMO_SYNQ_N);
	if (!cookies) {		/* half-open clients until a SYN is dropped */
		while (k <= DEMO_SYNQ_MAX && (rc = demo_half_open(d, 500,
		    &half[k])) >= 0)
			k++;
		if (rc == -2 || k == 0 || k > DEMO_SYNQ_MAX)
			goto done;
		*n = k;
		other = half[k];
		demo_say(d, 0, "client: no answer to the SYN from port %d: "
		    "the SYN queue is full", demo_port(other));
	} else {
		for (k = 0; k < *n; k++)
			if (demo_half_open(d, DEMO_WAIT_MS, &half[k]) < 0)
				goto done;
		if (demo_client_socket(d) == -1)
			goto done;
		other = half[k] = d->cfd;
		if (demo_connect_fd(d, DEMO_WAIT_MS) == -1)
			goto done;
	}
	demo_synq_say(d, before, cookies ? ": the SYN,ACK carried a "
	    "cookie, the ACK brought it back" : ": the SYN was dropped");
	if (cookies && demo_accept_any(d, DEMO_WAIT_MS, ", the last "
	    "client: the others are still half-open") == -1)
		goto done;
	if (demo_nft(d, DEMO_NFT_DELETE, 0, 0) == -1)
		goto done;
	demo_say(d, 0, "nft: the ACKs pass again: the server's next "
	    "SYN,ACK is answered");
	for (i = 0; i < *n; i++)
		if (demo_accept_any(d, DEMO_DROP_MS, ", half-open until now") ==
		    -1)
			goto done;
	if (!cookies) {
		if (!demo_wait(d, other, POLLOUT, DEMO_DROP_MS)) {
			demo_say(d, ETIMEDOUT, "client: connect()");
			goto done;
		}
		demo_say(d, 0, "client: connect() from port %d returned: "
		    "connected at the SYN retry", demo_port(other));
		if (demo_accept_any(d, DEMO_WAIT_MS, "") == -1)
			goto done;
	}
	rc = 0;
done:
	for (i = 0; i < DEMO_SYNQ_MAX + 1; i++)
		if (half[i] != -1)
			demo_close(d, "client", &half[i]);
	d->cfd = -1;
	demo_wait(d, -1, 0, DEMO_ACK_MS);
	return rc;
}

/*
 * A full SYN queue (RFC 4987 3.6): backlog 1, and a client whose
 * handshake ACK is lost holds it.  Without SYN cookies the next client's
 * SYN is dropped until that handshake completes (the server resends its
 * SYN,ACK a second later); with them the next client connects at once,
 * and accept() returns it first.  The kernel's own counters say which.
 */
static int
demo_syn_cookies(struct demo *d)
{
	int	 cookies, n = 0;

	if (!d->netns)
		return demo_no_netns("syn-cookies");
	d->backlog = 1;
	if (demo_listen(d) == -1)
		return -1;
	demo_say(d, 0, "server: no accept() for now");
	for (cookies = 0; cookies < 2; cookies++)
		if (demo_synq_round(d, cookies, &n) == -1)
			return -1;
	if (d->cap != NULL)
		capture_linger(d->cap);
	return 0;
}

/*
 * Keepalive (RFC 1122 4.2.3.6): after a second of silence the client's
 * kernel sends a probe one byte below what it sent, the server answers;
 * then nft drops everything to the server, as if its host were gone: the
 * probes go unanswered and after TCP_KEEPCNT of them the client resets
 * and its next recv() says ETIMEDOUT.
 */
static int
demo_keepalive(struct demo *d)
{
	if (!d->netns)
		return demo_no_netns("keepalive");
	if (demo_open_talk(d) == -1 ||
	    demo_setint(d, "client", d->cfd, IPPROTO_TCP, TCP_KEEPIDLE,
	    "TCP_KEEPIDLE", 1) == -1 ||
	    demo_setint(d, "client", d->cfd, IPPROTO_TCP, TCP_KEEPINTVL,
	    "TCP_KEEPINTVL", 1) == -1 ||
	    demo_setint(d, "client", d->cfd, IPPROTO_TCP, TCP_KEEPCNT,
	    "TCP_KEEPCNT", 2) == -1 ||
	    demo_setint(d, "client", d->cfd, SOL_SOCKET, SO_KEEPALIVE,
	    "SO_KEEPALIVE", 1) == -1)
		return -1;
	demo_wait(d, -1, 0, 1400);
	if (demo_nft(d, DEMO_NFT_DROP_PORT, d->port, 0) == -1)
		return -1;
	demo_say(d, 0, "nft: every packet to port %d is dropped: the server "
	    "is gone", d->port);
	if (!demo_wait(d, d->cfd, POLLIN, 4000)) {
		demo_say(d, ETIMEDOUT, "client: waiting for the keepalive");
		return -1;
	}
	if (demo_recv(d, "client", d->cfd) != -1 || errno != ETIMEDOUT)
		return -1;
	demo_wait(d, -1, 0, DEMO_PAUSE_MS);	/* the capture sees the RST */
	demo_info_flow(d, "client", d->cfd);
	demo_close(d, "client", &d->cfd);
	demo_close_fd(d, &d->sfd, "server: close()");
	if (d->cap != NULL)
		capture_linger(d->cap);
	return 0;
}

/*
 * A new client socket bound to 127.0.0.1 port, with SO_REUSEADDR when
 * reuse: 0, or -1 with errno (said).
 */
static int
demo_bind_port(struct demo *d, int port, int reuse)
{
	struct sockaddr_in	 sin;
	int			 e;

	if ((d->cfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1 || (reuse && setsockopt(d->cfd,
	    SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse) == -1)) {
		demo_say(d, errno, "client: socket()");
		return -1;
	}
	demo_addr(&sin, port);
	demo_begin(d);
	if (bind(d->cfd, (struct sockaddr *)&sin, sizeof sin) == 0) {
		demo_say(d, 0, "client: bind() to port %d%s", port, reuse ?
		    " with SO_REUSEADDR" : "");
		return 0;
	}
	e = errno;
	demo_say(d, e, "client: bind() to port %d%s", port, reuse ?
	    " with SO_REUSEADDR" : "");
	close(d->cfd);
	d->cfd = -1;
	errno = e;
	return -1;
}

/*
 * A second connection from the port the first left in TIME_WAIT (RFC
 * 9293 3.6.1): bind() refuses without SO_REUSEADDR; with it, connect()
 * to the same server refuses (EADDRNOTAVAIL) while the old connection's
 * last timestamp is too recent (tcp_tw_reuse_delay), and is retried a
 * second later; then Linux reuses the pair on loopback (tcp_tw_reuse 2),
 * its ISN past the old connection's (RFC 6191).
 */
static int
demo_time_wait(struct demo *d)
{
	int	 cport;

	d->reuse = 1;
	if (demo_open_talk(d) == -1)
		return -1;
	cport = demo_port(d->cfd);
	d->reuse = 0;
	if (demo_close_pair(d, 1, 0, 1) == -1)
		return -1;
	if (demo_bind_port(d, cport, 0) != -1 || errno != EADDRINUSE)
		return -1;
	if (demo_bind_port(d, cport, 1) == -1)
		return -1;
	if (demo_connect_fd(d, DEMO_WAIT_MS) == -1) {
		if (errno != EADDRNOTAVAIL)
			return -1;
		demo_say(d, 0, "client: EADDRNOTAVAIL: the pair is in "
		    "TIME_WAIT and its last timestamp is too recent to reuse "
		    "(tcp_tw_reuse_delay)");
		close(d->cfd);
		d->cfd = -1;
		demo_wait(d, -1, 0, 1100);
		if (demo_bind_port(d, cport, 1) == -1 ||
		    demo_connect_fd(d, DEMO_WAIT_MS) == -1)
			return -1;
	}
	if (demo_accept(d) == -1)
		return -1;
	demo_info(d, "client", d->cfd);
	demo_say(d, 0, "client: the kernel took the pair out of TIME_WAIT for "
	    "a new connection (tcp_tw_reuse: loopback), its ISN past the old "
	    "one's");
	return demo_close_pair(d, 1, 0, 1);
}

/*
 * A path with a 576-byte MTU: a router on it rewrites the MSS option of
 * each SYN to what fits (536; nft here, as iptables' TCPMSS target), and
 * both ends send segments of at most 536 bytes less their options.
 */
static int
demo_mss(struct demo *d)
{
	if (!d->netns)
		return demo_no_netns("mss");
	if (demo_listen(d) == -1 ||
	    demo_nft(d, DEMO_NFT_CLAMP, d->port, DEMO_CLAMP) == -1)
		return -1;
	demo_say(d, 0, "nft: the MSS of SYNs on port %d is clamped to %d, as a "
	    "router on a 576-byte path does", d->port, DEMO_CLAMP);
	if (demo_connect(d, DEMO_WAIT_MS) == -1 || demo_accept(d) == -1)
		return -1;
	demo_info_flow(d, "client", d->cfd);
	if (demo_move(d, "client", d->cfd, 3000, 1) == -1 ||
	    demo_move(d, "server", d->sfd, 3000, 0) == -1)
		return -1;
	demo_info_flow(d, "server", d->sfd);
	return demo_close_pair(d, 1, 0, 1);
}

/*
 * One ioctl req on lo, with ifr (its name set here).  Returns the ioctl's
 * result, -1 with errno.
 */
static int
demo_lo_ioctl(unsigned long req, struct ifreq *ifr)
{
	int	 fd, rc, e;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	snprintf(ifr->ifr_name, sizeof ifr->ifr_name, "lo");
	rc = ioctl(fd, req, ifr);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* Bring lo up in a fresh namespace; returns 0 or -1 with errno. */
static int
demo_lo_up(void)
{
	struct ifreq	 ifr;

	memset(&ifr, 0, sizeof ifr);
	if (demo_lo_ioctl(SIOCGIFFLAGS, &ifr) == -1)
		return -1;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	return demo_lo_ioctl(SIOCSIFFLAGS, &ifr);
}

/*
 * One packet on lo per TCP segment: TSO off (the kernel then cuts its
 * large packets into segments before the capture and the firewall see
 * them).  Returns 0 or -1 with errno.
 */
static int
demo_lo_segments(void)
{
	struct ethtool_value	 ev = { ETHTOOL_STSO, 0 };
	struct ifreq		 ifr;

	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_data = (void *)&ev;
	return demo_lo_ioctl(SIOCETHTOOL, &ifr);
}

/* Write s to the /proc file path; returns 0 or -1. */
static int
demo_proc_write(const char *path, const char *s)
{
	ssize_t	 len = (ssize_t)strlen(s);
	int	 fd, rc;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return -1;
	rc = write(fd, s, (size_t)len) == len ? 0 : -1;
	if (close(fd) == -1)
		rc = -1;
	return rc;
}

/*
 * Not root: a user namespace whose root is the invoking user, and a
 * network namespace it owns, with lo up.  There root's capabilities reach
 * that namespace's lo alone, which is all the capture and nft need.
 * Returns 0, or -1 (the kernel does not allow it; no message).
 */
static int
demo_userns_enter(void)
{
	char	 map[64];
	uid_t	 uid = geteuid();
	gid_t	 gid = getegid();

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) == -1)
		return -1;
	snprintf(map, sizeof map, "0 %lu 1\n", (unsigned long)uid);
	if (demo_proc_write("/proc/self/uid_map", map) == -1 ||
	    demo_proc_write("/proc/self/setgroups", "deny") == -1)
		return -1;
	snprintf(map, sizeof map, "0 %lu 1\n", (unsigned long)gid);
	if (demo_proc_write("/proc/self/gid_map", map) == -1)
		return -1;
	return demo_lo_up();
}

/*
 * Whether demo_userns_enter() works here, tried in a child first: a
 * security module may allow the namespaces yet deny what root does in
 * them, and this process could not go back to the host's loopback.
 */
static int
demo_userns_works(void)
{
	pid_t	 pid;
	int	 st;

	fflush(NULL);
	if ((pid = fork()) == -1)
		return 0;
	if (pid == 0)
		_exit(demo_userns_enter() == 0 ? 0 : 1);
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/*
 * A network namespace of our own with only lo in it: as root directly,
 * else inside a user namespace of our own where the kernel allows one.
 * Returns 1 when we are in one, 0 when we stay in the host's, -1 when lo
 * could not be brought up (said).  Sets d->userns in the second case.
 */
static int
demo_netns(struct demo *d)
{
	if (geteuid() != 0) {
		if (!demo_userns_works() || demo_userns_enter() == -1)
			return 0;
		d->userns = 1;
		return 1;
	}
	if (unshare(CLONE_NEWNET) == -1)
		return 0;
	if (demo_lo_up() == -1) {
		sk_warn("demo: bring up lo in the private namespace");
		return -1;
	}
	return 1;
}

/* --list: one line per scenario. */
static int
demo_list(void)
{
	const struct demo_scenario	*s;

	for (s = demo_scenarios; s->name != NULL; s++)
		printf("%-20s %s\n", s->name, s->summary);
	return EXIT_OK;
}

/*
 * The scenario named name (exactly or by a unique prefix).  Returns it,
 * or NULL after a usage error: ambiguous, or unknown with the nearest.
 */
static const struct demo_scenario *
demo_lookup(const char *name)
{
	const char	*names[sizeof demo_scenarios /
			    sizeof demo_scenarios[0]];
	size_t		 n;
	int		 i;

	for (n = 0; demo_scenarios[n].name != NULL; n++)
		names[n] = demo_scenarios[n].name;
	names[n] = NULL;
	i = cmd_find(&cmd_demo_entry, "scenario", names, name, 99,
	    "sockkit demo --list names them");
	return i == -1 ? NULL : &demo_scenarios[i];
}

/* demo's own options and what they chose. */
struct demo_opts {
	int				 list;	/* --list */
	const struct demo_scenario	*s;	/* SCENARIO */
	struct step_opts		 step;	/* --step, --speed */
};

/* demo's defaults: a ladder, lingering a little longer. */
static void
demo_init(struct cmd_ctx *c, void *arg)
{
	struct demo_opts	*o = arg;

	o->s = &demo_scenarios[0];
	c->cap.trace = 1;
	c->cap.linger_ms = 300;
}

/* demo's own options, --list, --step, --speed X (cmd_option_fn). */
static int
demo_option(void *arg, int ch, const char *val, char *err, size_t errlen)
{
	struct demo_opts	*o = arg;

	switch (ch) {
	case OPT_STEP:
	case OPT_SPEED:
		return step_parse(&o->step, ch, val, err, errlen);
	default:
		o->list = 1;
		return 0;
	}
}

#ifdef HAVE_OPENSSL
/*
 * Both ends' TLS handshakes, stepped in turn until both are done: one
 * process plays both, so neither may block.  Returns 0 or -1 (said).
 */
static int
demo_tls_handshake(struct demo *d, struct tls_conn *cl, struct tls_conn *sv)
{
	struct tls_peer_info	 in;
	char			 err[256];
	int			 done[2] = { 0, 0 }, r, i;

	demo_begin(d);
	demo_say(d, 0, "client: SSL_do_handshake(): ClientHello");
	for (i = 0; i < 200 && !sk_interrupted; i++) {
		if (!done[0] && (r = tls_handshake(cl, err, sizeof err)) != 0) {
			if (r == -1)
				goto fail;
			done[0] = 1;
			tls_conn_info(cl, &in);
			demo_say(d, 0, "client: handshake done: %s, %s",
			    in.version, in.cipher);
		}
		if (!done[1] && (r = tls_handshake(sv, err, sizeof err)) != 0) {
			if (r == -1)
				goto fail;
			done[1] = 1;
			demo_say(d, 0, "server: handshake done: the client's "
			    "Finished checked");
		}
		if (done[0] && done[1])
			return 0;
		/* The client first: the server's flight waits for it. */
		demo_wait(d, !done[0] ? d->cfd : d->sfd, (short)(!done[0] ?
		    tls_want(cl) : tls_want(sv)), 10);
	}
	snprintf(err, sizeof err, "no end after 200 steps");
fail:
	demo_say(d, 0, "TLS handshake: %s", err);
	return -1;
}

/* who writes text over TLS; returns 0 or -1 (said). */
static int
demo_tls_send(struct demo *d, const char *who, struct tls_conn *c,
    const char *text)
{
	char	 err[256];
	ssize_t	 n;

	demo_begin(d);
	if ((n = tls_write(c, text, strlen(text), err, sizeof err)) == -1) {
		demo_say(d, 0, "%s: SSL_write(): %s", who, errno == EAGAIN ?
		    "would block" : err);
		return -1;
	}
	demo_say_data(d, who, "SSL_write", text, n);
	demo_wait(d, -1, 0, DEMO_PAUSE_MS);
	return 0;
}

/*
 * who reads over TLS on fd until a record of data or close_notify comes
 * (records such as tickets come first).  Returns the byte count, 0 at
 * close_notify, -1 (said) on error or timeout.
 */
static ssize_t
demo_tls_recv(struct demo *d, const char *who, int fd, struct tls_conn *c)
{
	char	 buf[512], err[256];
	ssize_t	 n;
	int	 i;

	for (i = 0; i < 50; i++) {
		if (!tls_pending(c) && !demo_wait(d, fd, POLLIN, DEMO_WAIT_MS))
			break;
		demo_begin(d);
		if ((n = tls_read(c, buf, sizeof buf, err, sizeof err)) > 0) {
			demo_say_data(d, who, "SSL_read", buf, n);
			return n;
		}
		if (n == 0) {
			demo_say(d, 0, "%s: SSL_read() = 0: close_notify, the "
			    "peer sends no more", who);
			return 0;
		}
		if (errno != EAGAIN) {
			demo_say(d, 0, "%s: SSL_read(): %s", who, err);
			return -1;
		}
	}
	demo_say(d, ETIMEDOUT, "%s: SSL_read()", who);
	return -1;
}

/* who sends close_notify; returns 0 or -1 (said). */
static int
demo_tls_close(struct demo *d, const char *who, struct tls_conn *c)
{
	char	 err[256];

	demo_begin(d);
	if (tls_close_notify(c, 1, err, sizeof err) == -1) {
		demo_say(d, 0, "%s: SSL_shutdown(): %s", who, err);
		return -1;
	}
	demo_say(d, 0, "%s: SSL_shutdown(): close_notify", who);
	demo_wait(d, -1, 0, DEMO_PAUSE_MS);
	return 0;
}

/* The TLS exchange over the open connection; returns 0 or -1. */
static int
demo_tls_talk(struct demo *d, struct tls_conn *cl, struct tls_conn *sv)
{
	if (demo_tls_handshake(d, cl, sv) == -1 ||
	    demo_tls_send(d, "client", cl, "hello, server\n") == -1 ||
	    demo_tls_recv(d, "server", d->sfd, sv) <= 0 ||
	    demo_tls_send(d, "server", sv, "hello, client\n") == -1 ||
	    demo_tls_recv(d, "client", d->cfd, cl) <= 0 ||
	    demo_tls_close(d, "client", cl) == -1 ||
	    demo_tls_recv(d, "server", d->sfd, sv) != 0 ||
	    demo_tls_close(d, "server", sv) == -1 ||
	    demo_tls_recv(d, "client", d->cfd, cl) != 0)
		return -1;
	return 0;
}
#endif

/*
 * TLS 1.3 between sockkit's own server (an ephemeral certificate) and
 * client (which does not check it: nothing here could vouch for it), then
 * TCP's close; the ladder opens the handshake with the secrets OpenSSL
 * gave (demo_run()).  Returns 0 or -1.
 */
static int
demo_tls(struct demo *d)
{
#ifdef HAVE_OPENSSL
	struct tls_opts	 so = { .on = 1 }, co = { .on = 1, .insecure = 1 };
	struct tls_ctx	*sctx = NULL, *cctx = NULL;
	struct tls_conn	*sv = NULL, *cl = NULL;
	char		 err[256];
	int		 rc = -1;

	if ((sctx = tls_ctx_new(&so, 1, err, sizeof err)) == NULL ||
	    (cctx = tls_ctx_new(&co, 0, err, sizeof err)) == NULL) {
		demo_say(d, 0, "TLS: %s", err);
		goto out;
	}
	if (demo_listen(d) == -1 || demo_connect(d, DEMO_WAIT_MS) == -1 ||
	    demo_accept(d) == -1)
		goto out;
	if ((cl = tls_conn_new(cctx, d->cfd, "localhost", err,
	    sizeof err)) == NULL || (sv = tls_conn_new(sctx, d->sfd, NULL,
	    err, sizeof err)) == NULL) {
		demo_say(d, 0, "TLS: %s", err);
		goto out;
	}
	if (demo_tls_talk(d, cl, sv) == 0)
		rc = demo_close_pair(d, 1, 0, 1);
out:
	tls_conn_free(cl);
	tls_conn_free(sv);
	tls_ctx_free(cctx);
	tls_ctx_free(sctx);
	return rc;
#else
	demo_say(d, 0, "this sockkit was built without OpenSSL "
	    "(configure --without-openssl): no TLS");
	return -1;
#endif
}

/*
 * Open the capture; without the privilege say so in one line and go on
 * with the socket calls alone.
 */
static void
demo_capture(struct demo *d, const struct capture_opts *co)
{
	char	 err[512];

	d->t0 = capture_now();
	if ((d->cap = capture_open(co, err, sizeof err)) != NULL)
		return;
	fflush(stdout);
	fprintf(stderr, "sockkit: demo: no packet capture (%s); showing the "
	    "socket calls and TCP_INFO only%s\n", err, co->svg_path != NULL ||
	    co->html_path != NULL ? ", and no picture" : "");
	fflush(stderr);
}

/*
 * Drop root before the scenario runs, with the nft helper forked first
 * when the scenario needs one.  Returns -1, or the exit status (said).
 */
static int
demo_drop(struct demo *d, const struct demo_scenario *s, struct cmd_ctx *c)
{
	c->priv.own_userns = d->userns;
	if (d->netns && (s->flags & DEMO_WITH_NFT) && !c->priv.no_drop &&
	    demo_nft_fork(d) == -1)
		return EXIT_RUNTIME;
	return cmd_drop_privileges(c);
}

/*
 * Run s; returns the exit status.  Root (of the host or of our user
 * namespace) is needed for the namespace, lo and the capture, and for nft
 * in two scenarios: that is left to a helper that stays root, and the
 * demo itself runs as --user (nobody) or, in its user namespace, with no
 * capabilities left.
 */
static int
demo_run(const struct demo_scenario *s, struct cmd_ctx *c)
{
	struct demo	 d;
	struct capture_opts o = c->cap;
	char		 title[128];
	int		 rc;

	memset(&d, 0, sizeof d);
	snprintf(title, sizeof title, "sockkit demo %s: %s", s->name,
	    s->summary);
	o.title = title;
	/* The lesson is in the segments. */
	o.full |= (s->flags & DEMO_WITH_SEGS) != 0;
	d.lfd = d.cfd = d.sfd = d.nft_fd = -1;
	if ((d.netns = demo_netns(&d)) == -1)
		return EXIT_RUNTIME;
	if (d.netns && (s->flags & DEMO_WITH_SEGS) &&
	    demo_lo_segments() == -1) {
		sk_warn("demo: turn TSO off on lo in the private namespace");
		return EXIT_RUNTIME;
	}
	printf("sockkit demo %s: %s%s\n", s->name, s->summary, !d.netns ?
	    " (on this host's loopback)" : d.userns ? " (in a private network "
	    "namespace, inside a user namespace of its own)" : " (in a private "
	    "network namespace)");
	fflush(stdout);
	if (s->flags & DEMO_WITH_TLS) {
		c->stream.tls.on = 1;
		cmd_keylog_start(c);
		o.keylog = c->cap.keylog;
	}
	demo_capture(&d, &o);
	if ((rc = demo_drop(&d, s, c)) != -1) {
		demo_nft_end(&d);
		capture_close(d.cap);
		return rc;
	}
	rc = s->run(&d);
	demo_nft_end(&d);
	if (d.cfd != -1)
		close(d.cfd);
	if (d.sfd != -1)
		close(d.sfd);
	if (d.lfd != -1)
		close(d.lfd);
	c->capture = d.cap;
	if (cmd_end(c, EXIT_OK) != EXIT_OK)
		return EXIT_RUNTIME;
	if (rc == -1 && !sk_interrupted)
		sk_warnx("demo %s: the scenario did not go as planned", s->name);
	return rc == -1 ? EXIT_RUNTIME : EXIT_OK;
}

/*
 * A --svg or --html file that cannot be made stops the demo before it
 * draws anything (the capture would take the failure for a missing
 * privilege and go on without pictures).  Returns -1, or EXIT_RUNTIME
 * after saying why.
 */
static int
demo_pictures_check(const struct capture_opts *co)
{
	static const char *const opt[3] = { "svg", "html", "graph" };
	const char	*path[3] = { co->svg_path, co->html_path,
			    co->graph_path };
	int		 i, fd;

	for (i = 0; i < 3; i++) {
		if (path[i] == NULL || strcmp(path[i], "-") == 0)
			continue;
		if ((fd = open(path[i], O_WRONLY | O_CREAT | O_CLOEXEC,
		    0666)) == -1) {
			sk_warn("demo: --%s %s", opt[i], path[i]);
			return EXIT_RUNTIME;
		}
		close(fd);
	}
	return -1;
}

/* --list or one SCENARIO, found; returns -1 or EXIT_USAGE. */
static int
demo_check(struct cmd_ctx *c, void *arg)
{
	struct demo_opts	*o = arg;

	if (o->list && c->argc > 0)
		return cmd_usage_error(c->cmd, "--list takes no SCENARIO, not "
		    "'%s'", c->argv[0]);
	if (c->argc > 1)
		return cmd_usage_error(c->cmd, "one SCENARIO at most, not '%s' "
		    "too", c->argv[1]);
	if (c->argc == 1 && (o->s = demo_lookup(c->argv[0])) == NULL)
		return EXIT_USAGE;
	if (o->step.step && o->step.speed > 0)
		return cmd_usage_error(c->cmd, "--step and --speed: choose one "
		    "(Enter, or the scenario's own pace)");
	if ((o->step.step || o->step.speed > 0) && (o->list ||
	    strcmp(c->cap.svg_path ? c->cap.svg_path : "", "-") == 0 ||
	    strcmp(c->cap.html_path ? c->cap.html_path : "", "-") == 0 ||
	    strcmp(c->cap.graph_path ? c->cap.graph_path : "", "-") == 0))
		return cmd_usage_error(c->cmd, "--%s replays the ladder on "
		    "stdout: not with --list nor a picture on stdout",
		    o->step.step ? "step" : "speed");
	return -1;
}

/*
 * Run s with everything it writes (the ladder, the calls, the verdicts)
 * kept in a temporary file, then replay that step by step (step.h) from
 * the start, Enter read from stdin.  Returns the scenario's exit status.
 */
static int
demo_run_stepped(struct demo_opts *o, struct cmd_ctx *c)
{
	int	 fd, out, errfd, rc;
	FILE	*in;

	fflush(NULL);
	if ((fd = sk_tmpfile()) == -1 || (out = dup(1)) == -1 ||
	    (errfd = dup(2)) == -1) {
		sk_warn("demo: a temporary file for --step");
		return EXIT_RUNTIME;
	}
	dup2(fd, 1);
	dup2(fd, 2);
	rc = demo_run(o->s, c);
	fflush(NULL);
	dup2(out, 1);
	dup2(errfd, 2);
	close(out);
	close(errfd);
	if (lseek(fd, 0, SEEK_SET) == -1 || (in = fdopen(fd, "r")) == NULL) {
		sk_warn("demo: --step");
		close(fd);
		return EXIT_RUNTIME;
	}
	o->step.ctl_fd = 0;
	if (step_replay(in, stdout, &o->step) == -1)
		rc = EXIT_RUNTIME;
	fclose(in);
	return rc;
}

/* List the scenarios, or run one; the exit status. */
static int
demo_start(struct cmd_ctx *c, void *arg)
{
	struct demo_opts	*o = arg;
	int			 rc;

	if (o->list)
		return demo_list();
	if ((rc = demo_pictures_check(&c->cap)) != -1)
		return rc;
	if (o->step.step || o->step.speed > 0)
		return demo_run_stepped(o, c);
	return demo_run(o->s, c);
}

const struct cmd_entry cmd_demo_entry = {
	.name = "demo",
	.summary = "watch a TCP or UDP conversation between a server and a "
	    "client of sockkit's own",
	.usage =
	    "demo [options] [SCENARIO]\n"
	    "\n"
	    "  SCENARIO          what to show (handshake); --list names them\n"
	    "      --list        list the scenarios, one line each\n"
	    "      --step        then replay it one packet or call at a time, "
	    "on Enter\n"
	    "      --speed X     then replay it at X times its own pace\n"
	    "      --ascii       draw without box-drawing characters\n"
	    "      --color=WHEN  auto, always or never (auto)\n"
	    "      --json        one JSON object per packet, call or note "
	    "instead\n"
	    "      --data-preview N  payload bytes shown per packet (16; 0: "
	    "none)\n"
	    "      --full        draw every segment\n"
	    PRIV_USAGE
	    "      --svg FILE    also draw it as an SVG sequence diagram\n"
	    "      --html FILE   the diagram and the ladder in one HTML page\n"
	    "      --graph FILE  time-sequence graph (SVG) of the TCP data, "
	    "with TCP_INFO\n"
	    "  -h, --help        show this help\n"
	    "\n"
	    "It runs in a private network namespace: as root, or inside a user "
	    "namespace of\nits own where the kernel allows one.  Without "
	    "either, and without CAP_NET_RAW,\nit shows the socket calls and "
	    "TCP_INFO only.\n",
	.flags = CMD_LADDER | CMD_LOOK | CMD_PICTURE | CMD_GRAPH | CMD_PRIV,
	.longs = "list colour step speed",
	.size = sizeof(struct demo_opts), .init = demo_init,
	.option = demo_option, .check = demo_check, .run = demo_start,
};
