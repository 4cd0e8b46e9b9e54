/*
 * tests/unit-net.c: ports, address blocks, access lists, address strings
 * and name resolution of numeric hosts (no DNS).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "tap.h"

/* An AF_INET or AF_INET6 sockaddr for a numeric address. */
static struct sockaddr *
sa_of(const char *addr, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(1234);
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(4321);
	} else {
		printf("# bad test address %s\n", addr);
		exit(1);
	}
	return (struct sockaddr *)ss;
}

static void
test_port(void)
{
	char		 err[128];
	uint16_t	 p = 0;

	tap_ok(net_parse_port("80", "tcp", 0, &p, err, sizeof err) == 0 &&
	    p == 80, "port 80");
	tap_ok(net_parse_port("65535", "tcp", 0, &p, err, sizeof err) == 0 &&
	    p == 65535, "port 65535");
	tap_ok(net_parse_port("65536", "tcp", 0, &p, err, sizeof err) == -1,
	    "port 65536 refused");
	tap_is_str(err, "bad port '65536': out of range 1-65535",
	    "port 65536 message");
	tap_ok(net_parse_port("0", "tcp", 0, &p, err, sizeof err) == -1,
	    "port 0 refused for connect");
	tap_is_str(err, "bad port '0': out of range 1-65535", "port 0 message");
	tap_ok(net_parse_port("0", "tcp", 1, &p, err, sizeof err) == 0 &&
	    p == 0, "port 0 allowed for listen");
	if (tap_no_services() != NULL)
		tap_skip(tap_no_services());
	else
		tap_ok(net_parse_port("http", "tcp", 0, &p, err, sizeof err) ==
		    0 && p == 80, "service name http");
	tap_ok(net_parse_port("nosuchservice", "tcp", 0, &p, err,
	    sizeof err) == -1, "unknown service refused");
	tap_is_str(err, "bad port 'nosuchservice': not a number or a known "
	    "tcp service name", "unknown service message");
	tap_ok(net_parse_port("80x", "tcp", 0, &p, err, sizeof err) == -1,
	    "port 80x refused");
	tap_is_str(err, "bad port '80x': not a number", "port 80x message");
	tap_ok(net_parse_port("", "tcp", 0, &p, err, sizeof err) == -1,
	    "empty port refused");
}

static void
test_cidr(void)
{
	struct net_cidr		 c;
	struct sockaddr_storage	 ss;
	char			 err[128];

	tap_ok(net_cidr_parse("10.0.0.0/8", &c, err, sizeof err) == 0 &&
	    c.family == AF_INET && c.prefix == 8, "cidr 10.0.0.0/8");
	tap_ok(net_cidr_match(&c, sa_of("10.1.2.3", &ss)), "10.1.2.3 in /8");
	tap_ok(!net_cidr_match(&c, sa_of("11.0.0.1", &ss)),
	    "11.0.0.1 not in 10/8");
	tap_ok(net_cidr_match(&c, sa_of("::ffff:10.9.8.7", &ss)),
	    "v4-mapped ::ffff:10.9.8.7 in 10/8");
	tap_ok(!net_cidr_match(&c, sa_of("::ffff:11.9.8.7", &ss)),
	    "v4-mapped ::ffff:11.9.8.7 not in 10/8");
	tap_ok(!net_cidr_match(&c, sa_of("::a01:203", &ss)),
	    "v4-compatible ::10.1.2.3 is not v4-mapped");

	tap_ok(net_cidr_parse("192.168.1.128/25", &c, err, sizeof err) == 0,
	    "cidr /25");
	tap_ok(net_cidr_match(&c, sa_of("192.168.1.130", &ss)),
	    ".130 in .128/25");
	tap_ok(!net_cidr_match(&c, sa_of("192.168.1.127", &ss)),
	    ".127 not in .128/25");

	tap_ok(net_cidr_parse("1.2.3.4", &c, err, sizeof err) == 0 &&
	    c.prefix == 32, "single IPv4 address is /32");
	tap_ok(net_cidr_match(&c, sa_of("1.2.3.4", &ss)) &&
	    !net_cidr_match(&c, sa_of("1.2.3.5", &ss)), "/32 matches one");
	tap_ok(net_cidr_parse("0.0.0.0/0", &c, err, sizeof err) == 0 &&
	    net_cidr_match(&c, sa_of("203.0.113.9", &ss)), "/0 matches all");
	tap_ok(!net_cidr_match(&c, sa_of("2001:db8::1", &ss)),
	    "IPv4 /0 does not match IPv6");

	tap_ok(net_cidr_parse("2001:db8::/32", &c, err, sizeof err) == 0 &&
	    c.family == AF_INET6 && c.prefix == 32, "cidr 2001:db8::/32");
	tap_ok(net_cidr_match(&c, sa_of("2001:db8:ffff::1", &ss)),
	    "2001:db8:ffff::1 in /32");
	tap_ok(!net_cidr_match(&c, sa_of("2001:db9::1", &ss)),
	    "2001:db9::1 not in 2001:db8::/32");
	tap_ok(!net_cidr_match(&c, sa_of("32.1.13.184", &ss)),
	    "IPv6 block does not match IPv4");
	tap_ok(net_cidr_parse("::1", &c, err, sizeof err) == 0 &&
	    c.prefix == 128 && net_cidr_match(&c, sa_of("::1", &ss)),
	    "single IPv6 address is /128");

	tap_ok(net_cidr_parse("10.0.0.0/33", &c, err, sizeof err) == -1,
	    "/33 refused for IPv4");
	tap_is_str(err, "bad prefix length in '10.0.0.0/33': out of range 0-32",
	    "/33 message");
	tap_ok(net_cidr_parse("::/129", &c, err, sizeof err) == -1,
	    "/129 refused for IPv6");
	tap_ok(net_cidr_parse("10.0.0.0/", &c, err, sizeof err) == -1,
	    "empty prefix refused");
	tap_ok(net_cidr_parse("/8", &c, err, sizeof err) == -1,
	    "missing address refused");
	tap_is_str(err, "bad address block '/8': expected ADDRESS or "
	    "ADDRESS/PREFIX", "missing address message");
	tap_ok(net_cidr_parse("example.com/8", &c, err, sizeof err) == -1,
	    "host name refused");
	tap_ok(net_cidr_parse("10.0.0/8", &c, err, sizeof err) == -1,
	    "short IPv4 refused");
}

/*
 * Every rule form against every kind of peer: an IPv4 client is seen as
 * 127.0.0.1 by an IPv4 socket and as ::ffff:127.0.0.1 by a dual-stack
 * one, and a rule must give both the same answer, whichever form the rule
 * is written in.  Columns: 127.0.0.1 (plain and mapped), 10.1.2.3 (plain
 * and mapped), ::1, 2001:db8::1.
 */
static void
test_cidr_forms(void)
{
	static const char	*peers[] = { "127.0.0.1", "::ffff:127.0.0.1",
	    "10.1.2.3", "::ffff:10.1.2.3", "::1", "2001:db8::1" };
	static const struct {
		const char	*rule;
		const char	*want;	/* one 0/1 per peer */
	} forms[] = {
		{ "127.0.0.1",			"110000" },
		{ "127.0.0.0/8",		"110000" },
		{ "::ffff:127.0.0.1",		"110000" },
		{ "::ffff:127.0.0.1/128",	"110000" },
		{ "::ffff:127.0.0.0/104",	"110000" },
		{ "::ffff:0:0/96",		"111100" },
		{ "0.0.0.0/0",			"111100" },
		{ "::/0",			"111111" },
		{ "::/80",			"111110" },
		{ "::/96",			"000010" },
		{ "::1",			"000010" },
		{ "::127.0.0.1",		"000000" },
		{ "64:ff9b::127.0.0.1",		"000000" },
		{ "10.0.0.0/8",			"001100" },
		{ "::ffff:10.0.0.0/104",	"001100" },
		{ "2001:db8::/32",		"000001" },
	};
	struct net_cidr		 c;
	struct sockaddr_storage	 ss;
	char			 err[128], what[128];
	size_t			 i, j;

	for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		if (net_cidr_parse(forms[i].rule, &c, err, sizeof err) == -1) {
			tap_ok(0, forms[i].rule);
			continue;
		}
		for (j = 0; j < sizeof peers / sizeof peers[0]; j++) {
			snprintf(what, sizeof what, "%s %s %s", forms[i].rule,
			    forms[i].want[j] == '1' ? "matches" :
			    "does not match", peers[j]);
			tap_ok(net_cidr_match(&c, sa_of(peers[j], &ss)) ==
			    (forms[i].want[j] == '1'), what);
		}
	}
}

/* A --deny in any form refuses an IPv4 peer in either form. */
static void
test_acl_forms(void)
{
	static const char	*rules[] = { "::ffff:127.0.0.1",
	    "::ffff:127.0.0.0/104", "::/0", "127.0.0.1", "0.0.0.0/0" };
	struct net_acl		 acl;
	struct sockaddr_storage	 ss;
	char			 err[128], buf[128], want[128], what[160];
	size_t			 i;

	for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		memset(&acl, 0, sizeof acl);
		net_acl_add(&acl, 1, rules[i], err, sizeof err);
		snprintf(want, sizeof want, "--deny %s", rules[i]);
		snprintf(what, sizeof what, "--deny %s refuses 127.0.0.1",
		    rules[i]);
		tap_is_str(net_acl_check(&acl, sa_of("127.0.0.1", &ss), buf,
		    sizeof buf), want, what);
		snprintf(what, sizeof what, "--deny %s refuses "
		    "::ffff:127.0.0.1", rules[i]);
		tap_is_str(net_acl_check(&acl, sa_of("::ffff:127.0.0.1", &ss),
		    buf, sizeof buf), want, what);
		net_acl_free(&acl);
	}
	net_acl_add(&acl, 0, "::ffff:127.0.0.0/104", err, sizeof err);
	tap_ok(net_acl_check(&acl, sa_of("127.0.0.1", &ss), buf,
	    sizeof buf) == NULL,
	    "--allow ::ffff:127.0.0.0/104 lets 127.0.0.1 in");
	tap_is_str(net_acl_check(&acl, sa_of("::1", &ss), buf, sizeof buf),
	    "not in any --allow block",
	    "--allow ::ffff:127.0.0.0/104 keeps ::1 out");
	net_acl_free(&acl);
}

static void
test_acl(void)
{
	struct net_acl		 acl;
	struct sockaddr_storage	 ss;
	char			 err[128], buf[128];

	memset(&acl, 0, sizeof acl);
	tap_ok(net_acl_check(&acl, sa_of("10.0.0.1", &ss), buf,
	    sizeof buf) == NULL, "empty list lets everyone in");

	tap_ok(net_acl_add(&acl, 1, "127.0.0.0/8", err, sizeof err) == 0,
	    "add --deny 127.0.0.0/8");
	tap_is_str(net_acl_check(&acl, sa_of("127.0.0.1", &ss), buf,
	    sizeof buf), "--deny 127.0.0.0/8", "denied address names the rule");
	tap_is_str(net_acl_check(&acl, sa_of("::ffff:127.0.0.1", &ss), buf,
	    sizeof buf), "--deny 127.0.0.0/8", "v4-mapped denied too");
	tap_ok(net_acl_check(&acl, sa_of("10.0.0.1", &ss), buf,
	    sizeof buf) == NULL, "deny only: others pass");
	net_acl_free(&acl);

	net_acl_add(&acl, 0, "10.0.0.0/8", err, sizeof err);
	tap_ok(net_acl_check(&acl, sa_of("10.2.3.4", &ss), buf,
	    sizeof buf) == NULL, "allowed address passes");
	tap_is_str(net_acl_check(&acl, sa_of("192.0.2.1", &ss), buf,
	    sizeof buf), "not in any --allow block", "with an allow, others "
	    "are denied");
	/* Deny wins whatever the order. */
	net_acl_add(&acl, 1, "10.1.0.0/16", err, sizeof err);
	net_acl_add(&acl, 0, "10.1.2.0/24", err, sizeof err);
	tap_is_str(net_acl_check(&acl, sa_of("10.1.2.3", &ss), buf,
	    sizeof buf), "--deny 10.1.0.0/16", "deny wins over a later allow");
	tap_ok(net_acl_check(&acl, sa_of("10.2.0.1", &ss), buf,
	    sizeof buf) == NULL, "outside the deny, inside the allow passes");
	tap_ok(net_acl_add(&acl, 1, "bogus", err, sizeof err) == -1,
	    "a bad block is refused");
	tap_is_ll((long long)acl.n, 3, "a refused block is not added");
	net_acl_free(&acl);
	tap_ok(acl.n == 0 && acl.rules == NULL, "net_acl_free empties");
}

static void
test_addr_str(void)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_un	 sun;
	char			 buf[NET_ADDRSTRLEN];

	tap_is_str(net_addr_str(sa_of("192.0.2.7", &ss), buf, sizeof buf),
	    "192.0.2.7", "addr_str IPv4");
	tap_is_ll(net_addr_port((struct sockaddr *)&ss), 1234,
	    "addr_port IPv4");
	tap_is_str(net_addr_str(sa_of("2001:db8::1", &ss), buf, sizeof buf),
	    "2001:db8::1", "addr_str IPv6");
	tap_is_ll(net_addr_port((struct sockaddr *)&ss), 4321,
	    "addr_port IPv6");
	tap_is_str(net_addr_str(sa_of("::ffff:192.0.2.9", &ss), buf,
	    sizeof buf), "192.0.2.9", "addr_str shows v4-mapped as IPv4");
	tap_is_str(net_addr_str(sa_of("::1", &ss), buf, sizeof buf), "::1",
	    "addr_str ::1");
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, "/tmp/x.sock");
	tap_is_str(net_addr_str((struct sockaddr *)&sun, buf, sizeof buf),
	    "/tmp/x.sock", "addr_str Unix path");
	tap_is_ll(net_addr_port((struct sockaddr *)&sun), -1,
	    "addr_port Unix is -1");
}

static void
test_resolve(void)
{
	struct addrinfo	*res = NULL;
	char		 err[128], buf[NET_ADDRSTRLEN];

	tap_ok(net_resolve("[::1]", 80, AF_UNSPEC, SOCK_STREAM, 0, &res, err,
	    sizeof err) == 0 && res->ai_family == AF_INET6, "[::1] resolves");
	if (res != NULL) {
		tap_is_str(net_addr_str(res->ai_addr, buf, sizeof buf), "::1",
		    "[::1] without brackets");
		tap_is_ll(net_addr_port(res->ai_addr), 80, "[::1] port");
		freeaddrinfo(res);
		res = NULL;
	}
	tap_ok(net_resolve("127.0.0.1", 9, AF_INET, SOCK_STREAM, 0, &res, err,
	    sizeof err) == 0 && res->ai_family == AF_INET, "127.0.0.1 -4");
	if (res != NULL) {
		freeaddrinfo(res);
		res = NULL;
	}
	tap_ok(net_resolve("[::1", 80, AF_UNSPEC, SOCK_STREAM, 0, &res, err,
	    sizeof err) == -1, "unclosed bracket refused");
	tap_is_str(err, "bad address '[::1'", "unclosed bracket message");
	tap_ok(net_resolve("127.0.0.1", 80, AF_INET6, SOCK_STREAM, 0, &res,
	    err, sizeof err) == -1, "IPv4 address with -6 refused");
	tap_is_str(err, "unknown host '127.0.0.1': no IPv6 address",
	    "IPv4 address with -6 message");
	tap_ok(net_resolve("::1", 80, AF_INET, SOCK_STREAM, 0, &res, err,
	    sizeof err) == -1, "IPv6 address with -4 refused");
	tap_is_str(err, "unknown host '::1': no IPv4 address",
	    "IPv6 address with -4 message");
}

/* net_host_why: syntax only, no lookup. */
static void
test_host_why(void)
{
	static const char *const good[] = { "127.0.0.1", "127.1", "::1",
	    "[::1]", "fe80::1%lo", "localhost", "example.org.", "a-b_c.d9",
	    "0x7f.0.0.1" };
	static const struct { const char *host, *why; } bad[] = {
		{ "", "empty" },
		{ "bad..name", "empty label between dots" },
		{ ".lead", "empty label between dots" },
		{ "256.1.1.1", "not an IPv4 address" },
		{ "1.2.3.4.5", "not an IPv4 address" },
		{ "[::1", "expected [IPv6 address]" },
		{ "[127.0.0.1]", "expected [IPv6 address]" },
		{ "1::2::3", "not an IPv6 address" },
		{ "http://x", "not an IPv6 address" },
		{ "a b", "not an address or a host name" },
	};
	char	 label[80], what[120];
	size_t	 i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		snprintf(what, sizeof what, "host '%s' passes", good[i]);
		tap_is_str(net_host_why(good[i]), NULL, what);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(what, sizeof what, "host '%s' refused", bad[i].host);
		tap_is_str(net_host_why(bad[i].host), bad[i].why, what);
	}
	memset(label, 'a', 64);
	label[64] = '\0';
	tap_is_str(net_host_why(label), "a label longer than 63 bytes",
	    "a 64-byte label refused");
}

int
main(void)
{
	test_port();
	test_cidr();
	test_cidr_forms();
	test_acl();
	test_acl_forms();
	test_addr_str();
	test_resolve();
	test_host_why();
	return tap_done();
}
