/*
 * delayline.c: a point-to-point IP link between two network namespaces
 * that delays every packet by a fixed time in each direction, for
 * bench/probe.sh on kernels without netem.
 *
 * usage: delayline NS_A IFNAME_A NS_B IFNAME_B DELAY_MS
 *
 * It creates a TUN device in each namespace (configure addresses with
 * ip(8) afterwards), then copies packets A->B and B->A, each released
 * DELAY_MS after it was read.  Per direction the delay is constant, so a
 * FIFO ring keeps them in order.  It runs until killed; on SIGTERM it
 * prints how many packets it carried and dropped (ring full).
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <sys/types.h>
#include <linux/if.h>
#include <linux/if_tun.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RING	16384
#define PKTMAX	2048

struct pkt {
	int64_t		 due;
	uint16_t	 len;
	unsigned char	 data[PKTMAX];
};

struct dir {
	int		 in, out;
	struct pkt	*ring;
	unsigned	 head, tail;	/* head: next out; tail: next in */
	unsigned long	 carried, dropped;
};

static volatile sig_atomic_t	 stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Create TUN device name inside namespace ns; returns its fd or exits. */
static int
tun_in(const char *ns, const char *name)
{
	struct ifreq	 ifr;
	char		 path[256];
	int		 nsfd, fd;

	snprintf(path, sizeof path, "/var/run/netns/%s", ns);
	if ((nsfd = open(path, O_RDONLY)) == -1 || setns(nsfd, CLONE_NEWNET)) {
		perror(path);
		exit(1);
	}
	close(nsfd);
	if ((fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK)) == -1) {
		perror("/dev/net/tun");
		exit(1);
	}
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) == -1) {
		perror("TUNSETIFF");
		exit(1);
	}
	return fd;
}

/* Read every waiting packet of d into its ring, due after delay. */
static void
dir_read(struct dir *d, int64_t delay)
{
	struct pkt	*p;
	ssize_t		 n;

	for (;;) {
		p = &d->ring[d->tail % RING];
		n = read(d->in, p->data, PKTMAX);
		if (n <= 0)
			return;
		if (d->tail - d->head >= RING) {
			d->dropped++;
			continue;
		}
		p->len = (uint16_t)n;
		p->due = now_ns() + delay;
		d->tail++;
	}
}

/* Write the packets whose time has come; returns the next due time. */
static int64_t
dir_write(struct dir *d)
{
	struct pkt	*p;
	int64_t		 now = now_ns();

	while (d->head != d->tail) {
		p = &d->ring[d->head % RING];
		if (p->due > now)
			return p->due;
		if (write(d->out, p->data, p->len) == p->len)
			d->carried++;
		else
			d->dropped++;
		d->head++;
	}
	return INT64_MAX;
}

int
main(int argc, char **argv)
{
	struct dir	 d[2];
	struct pollfd	 pfd[2];
	struct timespec	 ts;
	int64_t		 delay, next, t;
	int		 a, b, i;

	if (argc != 6) {
		fprintf(stderr, "usage: delayline NS_A IF_A NS_B IF_B MS\n");
		return 2;
	}
	delay = (int64_t)atoi(argv[5]) * 1000000;
	a = tun_in(argv[1], argv[2]);
	b = tun_in(argv[3], argv[4]);
	memset(d, 0, sizeof d);
	d[0].in = d[1].out = a;
	d[0].out = d[1].in = b;
	d[0].ring = calloc(RING, sizeof(struct pkt));
	d[1].ring = calloc(RING, sizeof(struct pkt));
	if (d[0].ring == NULL || d[1].ring == NULL)
		return 1;
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		next = INT64_MAX;
		for (i = 0; i < 2; i++) {
			pfd[i].fd = d[i].in;
			pfd[i].events = POLLIN;
			if ((t = dir_write(&d[i])) < next)
				next = t;
		}
		t = next == INT64_MAX ? 100000000 : next - now_ns();
		if (t < 0)
			t = 0;
		ts.tv_sec = t / 1000000000;
		ts.tv_nsec = t % 1000000000;
		if (ppoll(pfd, 2, &ts, NULL) == -1 && errno != EINTR)
			break;
		for (i = 0; i < 2; i++)
			if (pfd[i].revents & POLLIN)
				dir_read(&d[i], delay);
	}
	fprintf(stderr, "delayline: carried %lu + %lu packets, dropped %lu\n",
	    d[0].carried, d[1].carried, d[0].dropped + d[1].dropped);
	return 0;
}
