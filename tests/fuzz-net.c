/*
 * fuzz-net.c: a fuzz target for the address parsers of src/net.h: ports
 * (net_parse_port), address blocks and --allow/--deny lists
 * (net_cidr_parse, net_acl_*), the host syntax check (net_host_why) and
 * numeric hosts (net_resolve, linked with tests/fuzz-common.c so no real
 * name lookup can happen).
 *
 * Input: a flags byte, then lines.  The first line is a port; every line
 * is also tried as a block (a leading '!' makes it a --deny) and as a
 * host.  Properties: what parses prints back and parses to the same
 * value, a block matches its own address and the addresses its prefix
 * leaves free and no address outside it, an --allow/--deny list agrees
 * with its rules, an address net_host_why passes resolves, resolved
 * addresses carry the port and print back to the same bytes, and every
 * refusal names what it refused.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "net.h"

const char *const fuzz_seed_dirs[] = { "fuzz/net", "fuzz/regress/net",
    NULL };

static void	check_port(const char *, unsigned);
static void	cidr_sockaddr(const struct net_cidr *, const uint8_t *, int,
		    struct sockaddr_storage *);
static void	check_cidr(const char *, struct net_acl *);
static void	check_acl(const struct net_acl *);
static void	check_resolve(const char *, unsigned);

/* net_parse_port: digits in range or a known service; round trips. */
static void
check_port(const char *s, unsigned flags)
{
	const char	*proto = flags & 1 ? "udp" : "tcp", *p;
	int		 zero = (flags & 2) != 0, ok, digits = *s != '\0';
	char		 err[512], again[8];
	uint16_t	 port = 0, port2;
	long		 ref = 0;

	err[0] = '\0';
	ok = net_parse_port(s, proto, zero, &port, err, sizeof err) == 0;
	for (p = s; *p != '\0'; p++) {
		digits = digits && *p >= '0' && *p <= '9';
		if (digits && ref < 1000000)
			ref = ref * 10 + (*p - '0');
	}
	if (digits && *p == '\0')
		FUZZ_ASSERT(ok == (ref >= !zero && ref <= 65535));
	if (!ok) {
		FUZZ_ASSERT(strncmp(err, "bad port '", 10) == 0);
		FUZZ_ASSERT(strlen(s) > 400 || strstr(err, s) != NULL);
		return;
	}
	FUZZ_ASSERT(zero || port != 0);
	if (digits)
		FUZZ_ASSERT(port == ref);
	snprintf(again, sizeof again, "%u", port);
	FUZZ_ASSERT(net_parse_port(again, proto, zero, &port2, err,
	    sizeof err) == 0 && port2 == port);
}

/* The block's address with bytes from flip xored in, as a sockaddr. */
static void
cidr_sockaddr(const struct net_cidr *c, const uint8_t *flip, int mapped,
    struct sockaddr_storage *ss)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)ss;
	uint8_t			 a[16];
	int			 i, n = c->family == AF_INET ? 4 : 16;

	memset(ss, 0, sizeof *ss);
	for (i = 0; i < n; i++)
		a[i] = c->addr[i] ^ (flip ? flip[i] : 0);
	if (c->family == AF_INET && !mapped) {
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, a, 4);
		return;
	}
	s6->sin6_family = AF_INET6;
	if (c->family == AF_INET) {		/* ::ffff:a.b.c.d */
		s6->sin6_addr.s6_addr[10] = s6->sin6_addr.s6_addr[11] = 0xff;
		memcpy(&s6->sin6_addr.s6_addr[12], a, 4);
	} else
		memcpy(&s6->sin6_addr, a, 16);
}

/* net_cidr_parse and net_acl_add on one line ("!" = deny). */
static void
check_cidr(const char *line, struct net_acl *acl)
{
	struct sockaddr_storage	 ss;
	struct net_cidr		 c, c2;
	const char		*s = line + (*line == '!'), *slash;
	char			 err[512], again[NET_ADDRSTRLEN + 8];
	uint8_t			 flip[16];
	unsigned		 max, bit;
	int			 ok;

	ok = net_cidr_parse(s, &c, err, sizeof err) == 0;
	FUZZ_ASSERT(ok == (net_acl_add(acl, *line == '!', s, err,
	    sizeof err) == 0));
	if (!ok) {
		FUZZ_ASSERT(strlen(s) > 400 || strstr(err, s) != NULL);
		return;
	}
	FUZZ_ASSERT(c.family == AF_INET || c.family == AF_INET6);
	slash = strchr(s, '/');		/* a prefix is plain digits */
	FUZZ_ASSERT(slash == NULL || (slash[1] != '\0' &&
	    strspn(slash + 1, "0123456789") == strlen(slash + 1)));
	max = c.family == AF_INET ? 32 : 128;
	FUZZ_ASSERT(c.prefix <= max);
	FUZZ_ASSERT(memchr(c.text, '\0', sizeof c.text) != NULL);
	FUZZ_ASSERT(strlen(s) >= sizeof c.text || strcmp(c.text, s) == 0);
	inet_ntop(c.family, c.addr, again, sizeof again);
	snprintf(again + strlen(again), 5, "/%u", c.prefix);
	FUZZ_ASSERT(net_cidr_parse(again, &c2, err, sizeof err) == 0);
	FUZZ_ASSERT(c2.family == c.family && c2.prefix == c.prefix &&
	    memcmp(c2.addr, c.addr, 16) == 0);
	/* Its own address matches, also as ::ffff:a.b.c.d. */
	cidr_sockaddr(&c, NULL, 0, &ss);
	FUZZ_ASSERT(net_cidr_match(&c, (struct sockaddr *)&ss));
	cidr_sockaddr(&c, NULL, 1, &ss);
	FUZZ_ASSERT(net_cidr_match(&c, (struct sockaddr *)&ss));
	/* One bit flipped: a match exactly when the bit is past the prefix. */
	bit = (unsigned)(strlen(s) * 7919u) % max;
	memset(flip, 0, sizeof flip);
	flip[bit / 8] = (uint8_t)(0x80 >> (bit % 8));
	cidr_sockaddr(&c, flip, 0, &ss);
	FUZZ_ASSERT(net_cidr_match(&c, (struct sockaddr *)&ss) ==
	    (bit >= c.prefix));
}

/* Each rule's own address passes the list exactly as the rules say. */
static void
check_acl(const struct net_acl *acl)
{
	struct sockaddr_storage	 ss;
	const char		*why;
	char			 buf[128];
	size_t			 i, j;
	int			 denied, allowed;

	for (i = 0; i < acl->n; i++) {
		cidr_sockaddr(&acl->rules[i], NULL, 0, &ss);
		denied = 0;
		allowed = acl->nallow == 0;
		for (j = 0; j < acl->n; j++) {
			if (!net_cidr_match(&acl->rules[j],
			    (struct sockaddr *)&ss))
				continue;
			if (acl->deny[j])
				denied = 1;
			else
				allowed = 1;
		}
		why = net_acl_check(acl, (struct sockaddr *)&ss, buf,
		    sizeof buf);
		FUZZ_ASSERT((why == NULL) == (!denied && allowed));
		FUZZ_ASSERT(acl->deny[i] ? why != NULL &&
		    strncmp(why, "--deny ", 7) == 0 : 1);
		FUZZ_ASSERT(why == NULL || strlen(why) < sizeof buf);
	}
}

/* net_resolve on a numeric host: the port and the address round trip. */
static void
check_resolve(const char *host, unsigned flags)
{
	static const int	 fam[] = { AF_UNSPEC, AF_INET, AF_INET6 };
	struct addrinfo		*res = NULL, *ai;
	char			 err[512], str[NET_ADDRSTRLEN], plain[64];
	uint8_t			 a[16], want[16];
	uint16_t		 port = (uint16_t)(flags * 257u);
	int			 family = fam[(flags >> 2) % 3], n, numeric;
	const char		*why;

	/* The host without the brackets of "[v6]", as net_resolve sees it. */
	n = (int)strlen(host);
	if (n >= 3 && n < (int)sizeof plain && host[0] == '[' &&
	    host[n - 1] == ']')
		snprintf(plain, sizeof plain, "%.*s", n - 2, host + 1);
	else
		snprintf(plain, sizeof plain, "%.63s", host);
	/* What net_host_why passes as an address, getaddrinfo takes. */
	why = net_host_why(host);
	numeric = why == NULL && strchr(host, '%') == NULL &&
	    (host[0] == '[' || strchr(host, ':') != NULL ||
	    strspn(host, "0123456789.") == strlen(host));
	if (net_resolve(host, port, family, flags & 1 ? SOCK_DGRAM :
	    SOCK_STREAM, (flags & 2) != 0, &res, err, sizeof err) == -1) {
		FUZZ_ASSERT(!(numeric && family == AF_UNSPEC));
		FUZZ_ASSERT(strlen(host) > 400 || strstr(err, host) != NULL);
		/* An address inet_pton takes, of the family asked for. */
		FUZZ_ASSERT(!((family != AF_INET6 && inet_pton(AF_INET,
		    plain, a) == 1) || (family != AF_INET &&
		    inet_pton(AF_INET6, plain, a) == 1)));
		return;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		FUZZ_ASSERT(family == AF_UNSPEC || ai->ai_family == family);
		FUZZ_ASSERT(net_addr_port(ai->ai_addr) == port);
		net_addr_str(ai->ai_addr, str, sizeof str);
		memset(want, 0, sizeof want);
		if (ai->ai_family == AF_INET) {
			memcpy(want, &((struct sockaddr_in *)(void *)
			    ai->ai_addr)->sin_addr, 4);
			FUZZ_ASSERT(inet_pton(AF_INET, str, a) == 1);
			FUZZ_ASSERT(memcmp(a, want, 4) == 0);
			continue;
		}
		FUZZ_ASSERT(ai->ai_family == AF_INET6);
		memcpy(want, &((struct sockaddr_in6 *)(void *)
		    ai->ai_addr)->sin6_addr, 16);
		if (inet_pton(AF_INET, str, a) == 1)	/* v4-mapped */
			FUZZ_ASSERT(memcmp(a, want + 12, 4) == 0);
		else
			FUZZ_ASSERT(inet_pton(AF_INET6, str, a) == 1 &&
			    memcmp(a, want, 16) == 0);
	}
	freeaddrinfo(res);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct net_acl	 acl;
	char		*s, *line, *next;
	unsigned	 flags;
	int		 first = 1;

	if (size == 0 || size > 4096)
		return 0;
	flags = data[0];
	s = fuzz_cstr(data + 1, size - 1);
	memset(&acl, 0, sizeof acl);
	for (line = s; line != NULL; line = next, first = 0) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (first)
			check_port(line, flags);
		check_cidr(line, &acl);
		check_resolve(line, flags);
	}
	check_acl(&acl);
	net_acl_free(&acl);
	free(s);
	return 0;
}
