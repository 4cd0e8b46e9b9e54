/*
 * tests/load-client.c: many clients of an echo server from one epoll loop,
 * for tests/load.sh.
 *
 *	load-client HOST PORT CLIENTS BYTES SEED [STALLED [KILLED]]
 *
 * Every client connects, sends BYTES pseudo-random bytes in writes of
 * random size (1 to 64 KiB), shuts down its sending side and reads the echo
 * until EOF, comparing each byte with the stream it sent (the stream is a
 * function of SEED, the client and the offset, so nothing is stored).  A
 * client keeps at most WINDOW bytes unechoed, reading while it writes.  The
 * first STALLED clients never read and try to send 256 MiB: the server
 * must stop reading them (they get stuck), not the others.
 * The next KILLED clients abort with a RST (SO_LINGER 0) half-way.  The
 * run ends when every other client is done, or after 120 s.  One line
 * says what happened:
 *
 *	done D of N, bad B, stalled S (sent X, received Y), killed K, T s
 *
 * Exit status 0 when every normal client got exactly its bytes back.
 * Run without arguments (as "make check" does) it skips.
 */
#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHUNK		65536
#ifndef LIMIT_MS
#define LIMIT_MS	120000
#endif
#define STALL_BYTES	(256ULL << 20)	/* more than any buffer can take */
/*
 * The most a normal client has sent and not yet had back.  Unbounded,
 * 2,000 clients put about 1.7 GB into socket buffers at once: past the
 * kernel's tcp_mem pressure threshold on a 24 GiB machine, where segments
 * are dropped and one retransmit timer once backed off past the time limit.
 * 256 KiB each keeps the whole run at about half the threshold.
 */
#define WINDOW		(256 << 10)

enum role { NORMAL, STALLED, KILLED };

struct client {
	int		 fd;
	enum role	 role;
	int		 connected, done, bad;
	uint64_t	 sent, recvd;
	uint64_t	 sizes;		/* the write sizes' generator state */
	uint32_t	 events;	/* what epoll waits for */
};

static uint64_t	 seed, total;

/* splitmix64: one well-mixed 64-bit value from x. */
static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Fill buf with len bytes of client i's stream from off. */
static void
stream_fill(uint32_t i, uint64_t off, uint8_t *buf, size_t len)
{
	uint64_t	 w = 0, pos;
	size_t		 k;

	for (k = 0; k < len; k++) {
		pos = off + k;
		if (k == 0 || (pos & 7) == 0)
			w = mix(seed ^ ((uint64_t)i << 40) ^ (pos >> 3));
		buf[k] = (uint8_t)(w >> ((pos & 7) * 8));
	}
}

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Whether c may send more: it has bytes left and, unless it is one that
 * never reads, fewer than WINDOW of them unechoed.
 */
static int
may_send(const struct client *c)
{
	if (c->role == STALLED)
		return c->sent < STALL_BYTES;
	return c->sent < total && c->sent - c->recvd < WINDOW;
}

/*
 * Tell epoll what client i waits for: its echo (unless it is one that never
 * reads) and room to send while may_send().  Returns epoll_ctl's result.
 */
static int
interest(struct client *cl, uint32_t i, int ep, int op)
{
	struct client		*c = &cl[i];
	struct epoll_event	 ev;
	uint32_t		 events = 0;

	if (c->role != STALLED)
		events |= EPOLLIN;
	if (may_send(c))
		events |= EPOLLOUT;
	if (op == EPOLL_CTL_MOD && events == c->events)
		return 0;
	c->events = events;
	ev.events = events;
	ev.data.u32 = i;
	return epoll_ctl(ep, op, c->fd, &ev);
}

/* Connect every client without waiting; returns 0 or -1. */
static int
start(struct client *cl, uint32_t n, const struct sockaddr_in *sin, int ep)
{
	uint32_t	 i;

	for (i = 0; i < n; i++) {
		cl[i].fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (cl[i].fd == -1) {
			perror("load-client: socket (raise ulimit -n)");
			return -1;
		}
		cl[i].sizes = mix(seed + i);
		if (connect(cl[i].fd, (const struct sockaddr *)sin,
		    sizeof *sin) == -1 && errno != EINPROGRESS) {
			perror("load-client: connect");
			return -1;
		}
		if (interest(cl, i, ep, EPOLL_CTL_ADD) == -1)
			return -1;
	}
	return 0;
}

/* Abort c with a RST. */
static void
kill_client(struct client *c, int ep)
{
	struct linger	 l = { 1, 0 };

	setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->done = 1;
}

/* Send what client i can now, in writes of random size. */
static void
send_some(struct client *cl, uint32_t i, int ep, uint8_t *buf)
{
	struct client		*c = &cl[i];
	uint64_t		 limit = c->role == STALLED ? STALL_BYTES :
				    total;
	size_t			 len;
	ssize_t			 w;
	int			 rounds;

	for (rounds = 0; rounds < 8 && may_send(c); rounds++) {
		if (c->role == KILLED && c->sent >= total / 2) {
			kill_client(c, ep);
			return;
		}
		c->sizes = mix(c->sizes);
		len = 1 + (size_t)(c->sizes % CHUNK);
		if (len > limit - c->sent)
			len = (size_t)(limit - c->sent);
		stream_fill(i, c->sent, buf, len);
		if ((w = send(c->fd, buf, len, MSG_NOSIGNAL)) == -1)
			break;
		c->sent += (uint64_t)w;
	}
	if (c->sent == limit)
		shutdown(c->fd, SHUT_WR);
	interest(cl, i, ep, EPOLL_CTL_MOD);
}

/* Read client i's echo and compare it with what it sent. */
static void
recv_some(struct client *cl, uint32_t i, int ep, uint8_t *buf)
{
	static uint8_t	 want[CHUNK];
	struct client	*c = &cl[i];
	ssize_t		 r;
	size_t		 k;

	if ((r = recv(c->fd, buf, CHUNK, 0)) == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		fprintf(stderr, "load-client: client %u: %s\n", i,
		    strerror(errno));
		c->bad = 1;
	}
	if (r > 0)
		stream_fill(i, c->recvd, want, (size_t)r);
	if (r > 0 && memcmp(buf, want, (size_t)r) != 0)
		for (k = 0; k < (size_t)r && !c->bad; k++)
			if (buf[k] != want[k]) {
				fprintf(stderr, "load-client: client %u: byte "
				    "%llu differs\n", i,
				    (unsigned long long)(c->recvd + k));
				c->bad = 1;
			}
	if (r > 0)
		c->recvd += (uint64_t)r;
	if (r == 0 || c->bad || c->recvd > total) {
		if (r == 0 && c->recvd != total)
			c->bad = 1;
		epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
		c->fd = -1;
		c->done = 1;
	} else
		interest(cl, i, ep, EPOLL_CTL_MOD);
}

/* Whether every client that should finish has. */
static int
all_done(const struct client *cl, uint32_t n)
{
	uint32_t	 i;

	for (i = 0; i < n; i++)
		if (cl[i].role != STALLED && !cl[i].done)
			return 0;
	return 1;
}

/* The event loop, until all_done() or the time limit.  0 or -1. */
static int
run(struct client *cl, uint32_t n, int ep)
{
	static struct epoll_event	 evs[256];
	static uint8_t			 buf[CHUNK];
	int64_t				 end = now_ms() + LIMIT_MS;
	int				 k, m;
	uint32_t			 i;

	while (!all_done(cl, n)) {
		if (now_ms() > end) {
			fprintf(stderr, "load-client: time limit reached\n");
			return -1;
		}
		if ((m = epoll_wait(ep, evs, 256, 1000)) == -1 &&
		    errno != EINTR)
			return -1;
		for (k = 0; k < m; k++) {
			i = evs[k].data.u32;
			if (cl[i].fd == -1)
				continue;
			if (evs[k].events & (EPOLLIN | EPOLLERR | EPOLLHUP) &&
			    cl[i].role != STALLED)
				recv_some(cl, i, ep, buf);
			if (cl[i].fd != -1 && evs[k].events & EPOLLOUT)
				send_some(cl, i, ep, buf);
		}
	}
	return 0;
}

/*
 * On stderr, each normal client still open at the time limit: how far it
 * got and what its TCP says, so that a rare stall can be told apart from
 * a slow machine (the server's end is found by its port with ss).
 */
static void
stuck(const struct client *cl, uint32_t n)
{
	struct sockaddr_in	 sin;
	struct tcp_info		 ti;
	socklen_t		 len;
	uint32_t		 i, shown = 0;

	for (i = 0; i < n && shown < 10; i++) {
		if (cl[i].role != NORMAL || cl[i].done || cl[i].fd == -1)
			continue;
		shown++;
		memset(&sin, 0, sizeof sin);
		memset(&ti, 0, sizeof ti);
		len = sizeof sin;
		getsockname(cl[i].fd, (struct sockaddr *)&sin, &len);
		len = sizeof ti;
		getsockopt(cl[i].fd, IPPROTO_TCP, TCP_INFO, &ti, &len);
		fprintf(stderr, "load-client: client %u (port %u) not done: "
		    "sent %llu, received %llu; TCP state %u, unacked %u, "
		    "retransmits %u, rto %u ms, last data in %u ms ago, "
		    "last ACK in %u ms ago\n", i, ntohs(sin.sin_port),
		    (unsigned long long)cl[i].sent,
		    (unsigned long long)cl[i].recvd, ti.tcpi_state,
		    ti.tcpi_unacked, ti.tcpi_retransmits, ti.tcpi_rto / 1000,
		    ti.tcpi_last_data_recv, ti.tcpi_last_ack_recv);
	}
}

/* The summary line; returns the exit status. */
static int
report(const struct client *cl, uint32_t n, int64_t ms)
{
	uint32_t	 i, done = 0, bad = 0, stalled = 0, killed = 0;
	uint64_t	 ssent = 0, srecvd = 0;

	for (i = 0; i < n; i++) {
		if (cl[i].role == STALLED) {
			stalled++;
			ssent += cl[i].sent;
			srecvd += cl[i].recvd;
		} else if (cl[i].role == KILLED)
			killed++;
		else if (cl[i].done && !cl[i].bad && cl[i].recvd == total)
			done++;
		else
			bad++;
	}
	printf("done %u of %u, bad %u, stalled %u (sent %llu, received %llu), "
	    "killed %u, %.1f s\n", done, n - stalled - killed, bad, stalled,
	    (unsigned long long)ssent, (unsigned long long)srecvd, killed,
	    ms / 1000.0);
	return bad == 0 && done == n - stalled - killed ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in	 sin;
	struct rlimit		 rl;
	struct client		*cl;
	uint32_t		 n, i, nstall, nkill;
	int64_t			 t0;
	int			 ep, rc;

	if (argc == 1) {
		printf("1..0 # SKIP a helper of tests/load.sh\n");
		return 0;
	}
	if (argc < 6) {
		fprintf(stderr, "usage: load-client HOST PORT CLIENTS BYTES "
		    "SEED [STALLED [KILLED]]\n");
		return 2;
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(argv[2]));
	n = (uint32_t)strtoul(argv[3], NULL, 10);
	total = strtoull(argv[4], NULL, 10);
	seed = strtoull(argv[5], NULL, 10);
	nstall = argc > 6 ? (uint32_t)strtoul(argv[6], NULL, 10) : 0;
	nkill = argc > 7 ? (uint32_t)strtoul(argv[7], NULL, 10) : 0;
	if (inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1 || n == 0 ||
	    n > 100000 || nstall + nkill > n || total == 0) {
		fprintf(stderr, "load-client: bad arguments\n");
		return 2;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if ((cl = calloc(n, sizeof *cl)) == NULL ||
	    (ep = epoll_create1(0)) == -1) {
		perror("load-client");
		return 1;
	}
	for (i = 0; i < n; i++)
		cl[i].role = i < nstall ? STALLED : i < nstall + nkill ?
		    KILLED : NORMAL;
	t0 = now_ms();
	rc = start(cl, n, &sin, ep) == -1 || run(cl, n, ep) == -1;
	if (rc)
		stuck(cl, n);
	if (report(cl, n, now_ms() - t0) != 0)
		rc = 1;
	for (i = 0; i < n; i++)
		if (cl[i].fd != -1)
			close(cl[i].fd);
	free(cl);
	close(ep);
	return rc;
}
