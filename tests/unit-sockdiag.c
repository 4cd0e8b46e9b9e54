/*
 * tests/unit-sockdiag.c: sockdiag_tcp_state() against a connection made
 * here on loopback: both ends ESTABLISHED; a four-tuple nobody uses, 0;
 * the end that closed second, CLOSE_WAIT, then gone (0) once its FIN is
 * acknowledged; the end that closed first, TIME_WAIT.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sockdiag.h"
#include "tap.h"

/* The state of the socket whose ends are a (its own) and b. */
static int
state(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
	return sockdiag_tcp_state((const struct sockaddr *)a,
	    (const struct sockaddr *)b);
}

/* Wait up to 2 s for the state of a-b to become want; returns the last. */
static int
wait_state(const struct sockaddr_in *a, const struct sockaddr_in *b, int want)
{
	int	 i, st = -1;

	for (i = 0; i < 200 && (st = state(a, b)) != want; i++)
		poll(NULL, 0, 10);
	return st;
}

int
main(void)
{
	struct sockaddr_in	 la, ca, sa, nobody;
	socklen_t		 len = sizeof la;
	int			 l, c, s, st;
	char			 b;

	memset(&la, 0, sizeof la);
	la.sin_family = AF_INET;
	la.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((l = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(l, (struct sockaddr *)&la, sizeof la) == -1 ||
	    listen(l, 1) == -1 ||
	    getsockname(l, (struct sockaddr *)&la, &len) == -1 ||
	    (c = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(c, (struct sockaddr *)&la, sizeof la) == -1 ||
	    (s = accept(l, NULL, NULL)) == -1) {
		printf("Bail out! loopback sockets: %s\n", strerror(errno));
		return 1;
	}
	len = sizeof ca;
	getsockname(c, (struct sockaddr *)&ca, &len);
	len = sizeof sa;
	getsockname(s, (struct sockaddr *)&sa, &len);

	st = state(&ca, &sa);
	if (st == -1) {
		printf("1..0 # SKIP the kernel answers no sock_diag request here\n");
		return 0;
	}
	tap_is_ll(st, TCP_ESTABLISHED, "the client end: ESTABLISHED");
	tap_is_ll(state(&sa, &ca), TCP_ESTABLISHED, "the server end: ESTABLISHED");
	nobody = ca;
	nobody.sin_port = htons(1);	/* nobody connects from port 1 */
	tap_is_ll(state(&sa, &nobody), 0,
	    "a four-tuple nobody uses (the listener's port): 0");

	/* The client closes first; the server reads the EOF and closes. */
	close(c);
	tap_is_ll(read(s, &b, 1), 0, "the server reads the client's EOF");
	tap_is_ll(wait_state(&sa, &ca, TCP_CLOSE_WAIT), TCP_CLOSE_WAIT,
	    "the server end: CLOSE_WAIT");
	close(s);
	tap_is_ll(wait_state(&sa, &ca, 0), 0,
	    "after the last ACK the server end is gone: 0");
	tap_is_ll(state(&ca, &sa), TCP_TIME_WAIT, "the client end: TIME_WAIT");
	close(l);
	return tap_done();
}
