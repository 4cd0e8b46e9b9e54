/*
 * fanout-load.c: the clients for bench/exec.sh's broker figure.  READERS
 * processes connect to a broker on 127.0.0.1:PORT and read until each
 * has MBYTES megabytes; then one sender connects and sends them.  The run
 * prints the bytes delivered per second (all readers together, MB/s)
 * from the sender's connect to the last reader's last byte, and how many
 * readers fell short.  At most 60 seconds.
 *
 *	fanout-load PORT READERS MBYTES
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

#define CHUNK	(1 << 20)

static double
seconds(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A socket connected to 127.0.0.1:port, or exit. */
static int
dial(int port)
{
	struct sockaddr_in	 sin;
	int			 fd;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		perror("fanout-load: connect");
		exit(2);
	}
	return fd;
}

/* A reader: say it is in, read want bytes; exits 0 when all came. */
static void
reader(int port, long long want, int ready)
{
	static char	 buf[CHUNK];
	long long	 got = 0;
	ssize_t		 n;
	int		 fd = dial(port);

	alarm(60);
	if (write(ready, "r", 1) != 1)
		exit(2);
	while (got < want && (n = read(fd, buf, sizeof buf)) > 0)
		got += n;
	exit(got >= want ? 0 : 1);
}

int
main(int argc, char **argv)
{
	static char	 buf[CHUNK];
	int		 port, readers, i, st, short_ = 0, pfd[2], fd;
	long long	 mb, sent;
	double		 t0, t1;
	char		 c;

	if (argc != 4) {
		fprintf(stderr, "usage: fanout-load PORT READERS MBYTES\n");
		return 2;
	}
	port = atoi(argv[1]);
	readers = atoi(argv[2]);
	mb = atoll(argv[3]);
	if (pipe(pfd) == -1)
		return 2;
	for (i = 0; i < readers; i++)
		if (fork() == 0)
			reader(port, mb * CHUNK, pfd[1]);
	for (i = 0; i < readers; i++)
		if (read(pfd[0], &c, 1) != 1)
			return 2;
	usleep(300000);		/* let the broker take them all in */
	memset(buf, 'x', sizeof buf);
	t0 = seconds();
	fd = dial(port);
	for (sent = 0; sent < mb; sent++)
		if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf) {
			perror("fanout-load: write");
			break;
		}
	for (i = 0; i < readers; i++)
		if (wait(&st) > 0 && (!WIFEXITED(st) || WEXITSTATUS(st) != 0))
			short_++;
	t1 = seconds();
	close(fd);
	printf("%.1f %d\n", mb * (double)CHUNK * readers / (t1 - t0) / 1e6,
	    short_);
	return 0;
}
