/*
 * unit-dgram.c: stdin cut into datagrams, and ICMP error texts (TAP).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/errqueue.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dgram.h"

static int	 n_test, n_failed;

static void
ok(int cond, const char *what)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++n_test, what);
	if (!cond)
		n_failed++;
}

/* A pipe holding data, closed for writing: a stdin that ends. */
static int
feed(const char *data, size_t len)
{
	int	 p[2];

	if (pipe(p) == -1 || write(p[1], data, len) != (ssize_t)len)
		return -1;
	close(p[1]);
	return p[0];
}

/* Read all of fd through in; return the datagrams joined by '|'. */
static int
cut(const char *data, size_t max, int chunk, char *out, size_t outlen)
{
	struct dgram_in	 in;
	const char	*p;
	size_t		 n, o = 0;
	int		 fd = feed(data, strlen(data)), rc;

	if (fd == -1 || dgram_in_init(&in, max, chunk) == -1)
		return -2;
	out[0] = '\0';
	for (;;) {
		while ((rc = dgram_in_next(&in, &p, &n)) == 1) {
			o += (size_t)snprintf(out + o, outlen - o, "%.*s|",
			    (int)n, p);
			dgram_in_consume(&in, n);
		}
		if (rc == -1 || in.eof)
			break;
		if (dgram_in_read(&in, fd) == -1)
			break;
	}
	dgram_in_free(&in);
	close(fd);
	return rc;
}

static void
test_cut(void)
{
	struct dgram_in	 in;
	const char	*p;
	size_t		 n;
	char		 out[256];

	ok(cut("a\nbb\n\nccc", 16, 0, out, sizeof out) == 0 &&
	    strcmp(out, "a\n|bb\n|\n|ccc|") == 0,
	    "lines, an empty line, a last line without newline");
	ok(cut("abcd\n", 5, 0, out, sizeof out) == 0 &&
	    strcmp(out, "abcd\n|") == 0, "a line of exactly max bytes");
	ok(cut("ab\nabcdef\nx\n", 5, 0, out, sizeof out) == -1 &&
	    strcmp(out, "ab\n|") == 0, "a line longer than max is an error");
	ok(cut("abcdef", 5, 0, out, sizeof out) == -1,
	    "a last line longer than max is an error too");
	ok(cut("abcdefg", 4, 1, out, sizeof out) == 0 &&
	    strcmp(out, "abcd|efg|") == 0, "--chunk: reads of at most max");
	dgram_in_init(&in, 8, 0);
	ok(dgram_in_set(&in, "", 0) == 0 && dgram_in_next(&in, &p, &n) == 1 &&
	    n == 0, "--data '': one empty datagram");
	dgram_in_consume(&in, n);
	ok(dgram_in_next(&in, &p, &n) == 0 && !dgram_in_wants_read(&in),
	    "--data: nothing after it");
	ok(dgram_in_set(&in, "123456789", 9) == -1 && errno == EMSGSIZE,
	    "--data larger than max: EMSGSIZE");
	dgram_in_free(&in);
}

static void
test_err(void)
{
	struct dgram_err	 e;
	struct sockaddr_in	*s4 = (struct sockaddr_in *)&e.from;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&e.from;
	char			 buf[200];

	memset(&e, 0, sizeof e);
	e.origin = SO_EE_ORIGIN_ICMP;
	e.type = 3;
	e.code = 3;
	s4->sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &s4->sin_addr);
	ok(strcmp(dgram_err_str(&e, buf, sizeof buf), "port unreachable "
	    "(ICMP type 3 code 3 from 192.0.2.1)") == 0 &&
	    dgram_err_port_unreachable(&e), "ICMP port unreachable");
	e.code = 13;
	ok(strcmp(dgram_err_str(&e, buf, sizeof buf), "communication "
	    "administratively prohibited (ICMP type 3 code 13 from "
	    "192.0.2.1)") == 0 && !dgram_err_port_unreachable(&e),
	    "ICMP administratively prohibited");
	memset(&e, 0, sizeof e);
	e.origin = SO_EE_ORIGIN_ICMP6;
	e.type = 1;
	e.code = 4;
	s6->sin6_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &s6->sin6_addr);
	ok(strcmp(dgram_err_str(&e, buf, sizeof buf), "port unreachable "
	    "(ICMPv6 type 1 code 4 from 2001:db8::1)") == 0 &&
	    dgram_err_port_unreachable(&e), "ICMPv6 port unreachable");
	e.type = 200;
	e.errnum = EHOSTUNREACH;
	ok(strstr(dgram_err_str(&e, buf, sizeof buf), "ICMPv6 type 200 code 4")
	    != NULL, "an unknown type: its numbers and errno's text");
	ok(dgram_max_payload(AF_INET) == 65507 &&
	    dgram_max_payload(AF_INET6) == 65527, "the IPv4 and IPv6 limits");
}

int
main(void)
{
	printf("1..13\n");
	test_cut();
	test_err();
	return n_failed == 0 ? 0 : 1;
}
