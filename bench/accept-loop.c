/*
 * accept-loop.c: the limit for bench/accept.sh, the least a server can do:
 * accept a connection and close it, in a loop.
 *
 *	accept-loop PORT [BACKLOG]	(BACKLOG: SOMAXCONN)
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
	struct sockaddr_in	 sin;
	int			 fd, c, on = 1;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: accept-loop PORT [BACKLOG]\n");
		return 2;
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(atoi(argv[1]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(fd, argc == 3 ? atoi(argv[2]) : SOMAXCONN) == -1) {
		perror("accept-loop");
		return 1;
	}
	for (;;) {
		if ((c = accept(fd, NULL, NULL)) == -1)
			continue;
		close(c);
	}
}
