/*
 * accept-load.c: the clients for bench/accept.sh.  CLIENTS processes each
 * make COUNT connections to 127.0.0.1:PORT, one after another, for at most
 * 20 seconds (a server that collapses must not stall the benchmark), and
 * the run prints the connections made per second and the failures.
 *
 *	accept-load PORT CLIENTS COUNT wait|burst
 *
 * wait:  connect, shutdown(SHUT_WR), read until the server closes.
 * burst: connect, close at once (open loop: never wait for the server).
 */
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEADLINE	20.0

static double
seconds(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
one(const struct sockaddr_in *sin, int wait)
{
	char	 buf[64];
	int	 fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	if (connect(fd, (const struct sockaddr *)sin, sizeof *sin) == -1) {
		close(fd);
		return -1;
	}
	if (wait) {
		shutdown(fd, SHUT_WR);
		while (read(fd, buf, sizeof buf) > 0)
			;
	}
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in	 sin;
	int			 clients, count, mode, i, j, failed = 0;
	long			*made, done = 0;
	double			 t0, secs;

	if (argc != 5) {
		fprintf(stderr, "usage: accept-load PORT CLIENTS COUNT "
		    "wait|burst\n");
		return 2;
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(atoi(argv[1]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	clients = atoi(argv[2]);
	count = atoi(argv[3]);
	mode = strcmp(argv[4], "wait") == 0;
	/* Each client counts its connections and failures in its slots. */
	made = mmap(NULL, 2 * clients * sizeof *made, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (made == MAP_FAILED)
		return 1;
	t0 = seconds();
	for (i = 0; i < clients; i++) {
		if (fork() == 0) {
			for (j = 0; j < count && seconds() - t0 < DEADLINE; j++)
				made[2 * i + (one(&sin, mode) == -1)]++;
			_exit(0);
		}
	}
	for (i = 0; i < clients; i++)
		wait(NULL);
	secs = seconds() - t0;
	for (i = 0; i < clients; i++) {
		done += made[2 * i];
		failed += made[2 * i + 1];
	}
	printf("%.0f %d\n", done / secs, failed);
	return 0;
}
