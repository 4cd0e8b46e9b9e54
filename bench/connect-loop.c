/*
 * connect-loop.c: the limit for bench/probe.sh's 65535-port row, the least
 * a connect() prober can do: one thread starts non-blocking connects to
 * every port of 127.0.0.1 (at most INFLIGHT at once) and asks connect()
 * once more, which on loopback has the answer already; a second thread
 * reaps the rest from epoll.  A port is open when its connect succeeds
 * and did not meet its own socket (source port = target port).  No
 * retries, no timeouts, no output but the open ports: loopback answers
 * every SYN.
 *
 *	connect-loop [INFLIGHT]		(default 1024)
 */
#include <sys/epoll.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int		 ep;
static atomic_int	 inflight, left = 65535;
static int		 maxin = 1024;
static unsigned char	 open_port[65536];

/* Whether fd, connected to port p, is connected to itself. */
static int
self(int fd, int p)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;

	return getsockname(fd, (struct sockaddr *)&sin, &len) == 0 &&
	    ntohs(sin.sin_port) == p;
}

/* The second thread: every finished connect, open or not, closed. */
static void *
reap(void *arg)
{
	struct epoll_event	 ev[256];
	struct linger		 l = { 1, 0 };
	socklen_t		 len;
	int			 n, i, fd, err;

	(void)arg;
	while (atomic_load(&left) > 0) {
		if ((n = epoll_wait(ep, ev, 256, 100)) == -1 && errno != EINTR)
			break;
		for (i = 0; i < n; i++) {
			fd = ev[i].data.u64 >> 16;
			len = sizeof err;
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
			    err == 0 && !self(fd, ev[i].data.u64 & 0xffff)) {
				open_port[ev[i].data.u64 & 0xffff] = 1;
				setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
			}
			close(fd);
			atomic_fetch_sub(&inflight, 1);
			atomic_fetch_sub(&left, 1);
		}
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in	 sin;
	struct epoll_event	 ev;
	pthread_t		 t;
	int			 p, fd;

	if (argc > 1)
		maxin = atoi(argv[1]);
	if ((ep = epoll_create1(0)) == -1 ||
	    pthread_create(&t, NULL, reap, NULL) != 0)
		return 1;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (p = 1; p <= 65535; p++) {
		while (atomic_load(&inflight) >= maxin)
			sched_yield();
		if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1)
			return 1;
		sin.sin_port = htons(p);
		if ((connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1 &&
		    errno != EINPROGRESS) || (connect(fd, (struct sockaddr *)&sin,
		    sizeof sin) == -1 && errno != EALREADY &&
		    errno != EINPROGRESS)) {
			close(fd);		/* refused */
			atomic_fetch_sub(&left, 1);
			continue;
		}
		atomic_fetch_add(&inflight, 1);
		memset(&ev, 0, sizeof ev);
		ev.events = EPOLLOUT | EPOLLONESHOT;
		ev.data.u64 = (uint64_t)fd << 16 | (uint64_t)p;
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	}
	pthread_join(t, NULL);
	for (p = 1; p <= 65535; p++)
		if (open_port[p])
			printf("%d\n", p);
	return 0;
}
