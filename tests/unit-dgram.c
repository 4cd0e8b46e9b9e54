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
#include "tap.h"

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

/*
 * Returns out, holding the datagrams that dgram_in cuts data into (at most
 * max bytes, chunk as --chunk), each followed by '|', and "(error)" after
 * them when it refused one; "(no pipe)" when the test could not start.
 */
static const char *
cut(const char *data, size_t max, int chunk, char *out, size_t outlen)
{
	struct dgram_in	 in;
	const char	*p;
	size_t		 n, o = 0;
	int		 fd = feed(data, strlen(data)), rc;

	if (fd == -1 || dgram_in_init(&in, max, chunk) == -1)
		return "(no pipe)";
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
	if (rc == -1)
		snprintf(out + o, outlen - o, "(error)");
	dgram_in_free(&in);
	close(fd);
	return out;
}

static void
test_cut(void)
{
	struct dgram_in	 in;
	const char	*p;
	size_t		 n;
	char		 out[256];

	tap_is_str(cut("a\nbb\n\nccc", 16, 0, out, sizeof out),
	    "a\n|bb\n|\n|ccc|",
	    "lines, an empty line, a last line without newline");
	tap_is_str(cut("abcd\n", 5, 0, out, sizeof out), "abcd\n|",
	    "a line of exactly max bytes");
	tap_is_str(cut("ab\nabcdef\nx\n", 5, 0, out, sizeof out),
	    "ab\n|(error)", "a line longer than max is an error");
	tap_is_str(cut("abcdef", 5, 0, out, sizeof out), "(error)",
	    "a last line longer than max is an error too");
	tap_is_str(cut("abcdefg", 4, 1, out, sizeof out), "abcd|efg|",
	    "--chunk: reads of at most max");
	dgram_in_init(&in, 8, 0);
	tap_ok(dgram_in_set(&in, "", 0) == 0 &&
	    dgram_in_next(&in, &p, &n) == 1 && n == 0,
	    "--data '': one empty datagram");
	dgram_in_consume(&in, n);
	tap_ok(dgram_in_next(&in, &p, &n) == 0 && !dgram_in_wants_read(&in),
	    "--data: nothing after it");
	tap_ok(dgram_in_set(&in, "123456789", 9) == -1 && errno == EMSGSIZE,
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
	tap_is_str(dgram_err_str(&e, buf, sizeof buf), "port unreachable "
	    "(ICMP type 3 code 3 from 192.0.2.1)", "ICMP port unreachable");
	tap_ok(dgram_err_port_unreachable(&e),
	    "ICMP port unreachable: dgram_err_port_unreachable");
	e.code = 13;
	tap_is_str(dgram_err_str(&e, buf, sizeof buf), "communication "
	    "administratively prohibited (ICMP type 3 code 13 from "
	    "192.0.2.1)", "ICMP administratively prohibited");
	tap_ok(!dgram_err_port_unreachable(&e),
	    "ICMP administratively prohibited: not port unreachable");
	memset(&e, 0, sizeof e);
	e.origin = SO_EE_ORIGIN_ICMP6;
	e.type = 1;
	e.code = 4;
	s6->sin6_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &s6->sin6_addr);
	tap_is_str(dgram_err_str(&e, buf, sizeof buf), "port unreachable "
	    "(ICMPv6 type 1 code 4 from 2001:db8::1)",
	    "ICMPv6 port unreachable");
	tap_ok(dgram_err_port_unreachable(&e),
	    "ICMPv6 port unreachable: dgram_err_port_unreachable");
	e.type = 200;
	e.errnum = EHOSTUNREACH;
	tap_ok(strstr(dgram_err_str(&e, buf, sizeof buf),
	    "ICMPv6 type 200 code 4") != NULL,
	    "an unknown type: its numbers and errno's text");
	tap_ok(dgram_max_payload(AF_INET) == 65507 &&
	    dgram_max_payload(AF_INET6) == 65527, "the IPv4 and IPv6 limits");
}

int
main(void)
{
	test_cut();
	test_err();
	return tap_done();
}
