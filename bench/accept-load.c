/*
 * accept-load.c: the clients for bench/accept.sh.  CLIENTS processes each
 * make COUNT connections to 127.0.0.1:PORT, one after another, and the
 * whole run prints connections per second.
 *
 *	accept-load PORT CLIENTS COUNT wait|burst
 *
 * wait:  connect, shutdown(SHUT_WR), read until the server closes.
 * burst: connect, close at once (open loop: never wait for the server).
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
	struct timespec		 t0, t1;
	int			 clients, count, mode, i, j, st, failed = 0;
	double			 secs;

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
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < clients; i++) {
		if (fork() == 0) {
			for (j = 0; j < count; j++)
				failed += one(&sin, mode) == -1;
			_exit(failed > 255 ? 255 : failed);
		}
	}
	for (i = 0; i < clients; i++) {
		wait(&st);
		failed += WIFEXITED(st) ? WEXITSTATUS(st) : count;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%.0f %d\n", clients * count / secs, failed);
	return 0;
}
