/*
 * udp-echo-min.c: the limit for bench/udp.sh: the smallest UDP echo
 * server, one recvfrom(2) and one sendto(2) a datagram, nothing else.
 * It stops by itself after SECONDS (default 120).
 *
 *	udp-echo-min PORT [SECONDS]
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	static char		 buf[65536];
	struct sockaddr_in	 sin;
	struct sockaddr_storage	 from;
	socklen_t		 len;
	ssize_t			 n;
	int			 fd;

	if (argc < 2) {
		fprintf(stderr, "usage: udp-echo-min PORT [SECONDS]\n");
		return 2;
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(argv[1]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		perror("udp-echo-min");
		return 1;
	}
	alarm(argc > 2 ? (unsigned)atoi(argv[2]) : 120);
	for (;;) {
		len = sizeof from;
		n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from,
		    &len);
		if (n >= 0)
			sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from,
			    len);
	}
}
