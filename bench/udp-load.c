/*
 * udp-load.c: a bounded load generator for bench/udp.sh.  It keeps
 * WINDOW datagrams of SIZE bytes in flight to 127.0.0.1 PORT, sending one
 * more for each one that comes back, and after a half-second warm-up
 * counts what comes back for SECONDS.  The window is kept in bytes, so
 * an echo that merges or splits datagrams (through a pipe, say) does not
 * stall it; but only replies of exactly SIZE bytes count as echoes.
 * When nothing comes back for 200 ms it takes the window for lost and
 * sends a new one.  Prints echoes per second, then what came back in
 * datagrams of SIZE bytes per second, then the replies per second.
 *
 *	udp-load PORT SIZE SECONDS [WINDOW]
 */
#define _GNU_SOURCE		/* sendmmsg, recvmmsg */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH	64

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Send n datagrams of the window; returns how many went. */
static int
send_some(int fd, struct mmsghdr *msgs, int n)
{
	int	 sent = 0, r;

	while (sent < n) {
		r = sendmmsg(fd, msgs, (unsigned)(n - sent > BATCH ? BATCH :
		    n - sent), 0);
		if (r <= 0)
			break;
		sent += r;
	}
	return sent;
}

int
main(int argc, char **argv)
{
	static char		 rbuf[BATCH][65536], sbuf[65536];
	struct mmsghdr		 smsg[BATCH], rmsg[BATCH];
	struct iovec		 siov, riov[BATCH];
	struct sockaddr_in	 sin;
	struct pollfd		 pfd;
	long long		 inflight = 0, counted = 0, exact = 0;
	long long		 replies = 0;
	long long		 size, window;
	double			 t0, start, end, last;
	int			 fd, i, n, rcvbuf = 4 << 20, lost = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: udp-load PORT SIZE SECONDS [WINDOW]\n");
		return 2;
	}
	size = atoll(argv[2]);
	window = argc > 4 ? atoll(argv[4]) : 32;
	if (size < 1 || size > 65507 || window < 1 || window > 4096 ||
	    atof(argv[3]) <= 0 || atof(argv[3]) > 60) {
		fprintf(stderr, "udp-load: SIZE 1-65507, SECONDS up to 60, "
		    "WINDOW 1-4096\n");
		return 2;
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(argv[1]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		perror("udp-load");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	memset(sbuf, 'x', sizeof sbuf);
	siov.iov_base = sbuf;
	siov.iov_len = (size_t)size;
	memset(smsg, 0, sizeof smsg);
	memset(rmsg, 0, sizeof rmsg);
	for (i = 0; i < BATCH; i++) {
		smsg[i].msg_hdr.msg_iov = &siov;
		smsg[i].msg_hdr.msg_iovlen = 1;
		riov[i].iov_base = rbuf[i];
		riov[i].iov_len = sizeof rbuf[i];
		rmsg[i].msg_hdr.msg_iov = &riov[i];
		rmsg[i].msg_hdr.msg_iovlen = 1;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	t0 = now();
	start = t0 + 0.5;
	end = start + atof(argv[3]);
	last = t0;
	while (now() < end) {
		if (inflight < window * size) {
			n = (int)((window * size - inflight + size - 1) / size);
			inflight += send_some(fd, smsg, n) * size;
		}
		if (poll(&pfd, 1, 50) == 0) {
			if (now() - last > 0.2) {
				inflight = 0;	/* the window was lost */
				lost++;
				last = now();
			}
			continue;
		}
		n = recvmmsg(fd, rmsg, BATCH, MSG_DONTWAIT, NULL);
		if (n == -1) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			perror("udp-load: receive");
			return 1;
		}
		last = now();
		for (i = 0; i < n; i++) {
			inflight -= rmsg[i].msg_len;
			if (last < start)
				continue;
			counted += rmsg[i].msg_len;
			replies++;
			exact += rmsg[i].msg_len == (unsigned)size;
		}
		if (inflight < 0)
			inflight = 0;
	}
	if (lost > 0)
		fprintf(stderr, "udp-load: %d windows lost\n", lost);
	printf("%.0f %.0f %.0f\n", (double)exact / (end - start),
	    (double)counted / (double)size / (end - start),
	    (double)replies / (end - start));
	return 0;
}
