/*
 * mcast.c: broadcast and multicast for the udp command (see mcast.h and
 * ip(7), ipv6(7)).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mcast.h"

int
mcast_is_group(const struct sockaddr *sa)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)sa;

	if (sa->sa_family == AF_INET)
		return IN_MULTICAST(ntohl(sin->sin_addr.s_addr));
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_MULTICAST(&sin6->sin6_addr);
	return 0;
}

int
mcast_numeric(const char *s, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1)
		sin->sin_family = AF_INET;
	else if (inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1)
		sin6->sin6_family = AF_INET6;
	else
		return -1;
	return 0;
}

int
mcast_parse_addr(const char *s, int group, const char *what,
    struct sockaddr_storage *ss, char *err, size_t errlen)
{
	if (mcast_numeric(s, ss) == -1) {
		snprintf(err, errlen, "%s '%s': not a numeric IPv4 or IPv6 "
		    "address", what, s);
		return -1;
	}
	if (group && !mcast_is_group((struct sockaddr *)ss)) {
		snprintf(err, errlen, "%s '%s': not a multicast group (IPv4 "
		    "224.0.0.0/4, IPv6 ff00::/8)", what, s);
		return -1;
	}
	if (!group && mcast_is_group((struct sockaddr *)ss)) {
		snprintf(err, errlen, "%s '%s': a multicast group, not the "
		    "unicast address of a sender", what, s);
		return -1;
	}
	return 0;
}

int
mcast_iface(const char *name, unsigned int *index, char *err, size_t errlen)
{
	if (*name != '\0' && (*index = if_nametoindex(name)) != 0)
		return 0;
	snprintf(err, errlen, "--iface '%s': no such interface (see 'ip "
	    "link')", name);
	return -1;
}

/* Any-source join: IP_ADD_MEMBERSHIP or IPV6_JOIN_GROUP; 0 or -1. */
static int
mcast_join_any(int fd, const struct sockaddr_storage *g, unsigned int ifindex)
{
	struct ip_mreqn		 m4;
	struct ipv6_mreq	 m6;

	if (g->ss_family == AF_INET) {
		memset(&m4, 0, sizeof m4);
		m4.imr_multiaddr = ((const struct sockaddr_in *)g)->sin_addr;
		m4.imr_ifindex = (int)ifindex;
		return setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m4,
		    sizeof m4);
	}
	memset(&m6, 0, sizeof m6);
	m6.ipv6mr_multiaddr = ((const struct sockaddr_in6 *)g)->sin6_addr;
	m6.ipv6mr_interface = ifindex;
	return setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &m6, sizeof m6);
}

/* Source-specific join: MCAST_JOIN_SOURCE_GROUP (RFC 3678); 0 or -1. */
static int
mcast_join_source(int fd, const struct sockaddr_storage *g,
    const struct sockaddr_storage *src, unsigned int ifindex)
{
	struct group_source_req	 r;

	memset(&r, 0, sizeof r);
	r.gsr_interface = ifindex;
	memcpy(&r.gsr_group, g, sizeof *g);
	memcpy(&r.gsr_source, src, sizeof *src);
	return setsockopt(fd, g->ss_family == AF_INET ? IPPROTO_IP :
	    IPPROTO_IPV6, MCAST_JOIN_SOURCE_GROUP, &r, sizeof r);
}

/* The numeric form of ss (IPv4 or IPv6) in buf. */
static const char *
mcast_ntop(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const void	*a = ss->ss_family == AF_INET ?
	    (const void *)&((const struct sockaddr_in *)ss)->sin_addr :
	    (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr;

	if (inet_ntop(ss->ss_family, a, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

int
mcast_join(int fd, const struct sockaddr_storage *g,
    const struct sockaddr_storage *src, unsigned int ifindex, char *err,
    size_t errlen)
{
	char	 a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int	 rc;

	rc = src != NULL ? mcast_join_source(fd, g, src, ifindex) :
	    mcast_join_any(fd, g, ifindex);
	if (rc == 0)
		return 0;
	mcast_ntop(g, a, sizeof a);
	if (errno == ENODEV && ifindex == 0)
		snprintf(err, errlen, "join %s: %s (no route picks an "
		    "interface: name one with --iface)", a, strerror(errno));
	else if (src != NULL)
		snprintf(err, errlen, "join %s from %s: %s", a,
		    mcast_ntop(src, b, sizeof b), strerror(errno));
	else
		snprintf(err, errlen, "join %s: %s", a, strerror(errno));
	return -1;
}

/* One setsockopt of an int; 0, or -1 with err naming it. */
static int
mcast_setint(int fd, int level, int name, int v, const char *what,
    char *err, size_t errlen)
{
	if (setsockopt(fd, level, name, &v, sizeof v) == 0)
		return 0;
	snprintf(err, errlen, "%s: %s", what, strerror(errno));
	return -1;
}

/* The interface multicast leaves by: IP_MULTICAST_IF or IPV6_..._IF. */
static int
mcast_send_iface(int fd, int family, unsigned int ifindex, char *err,
    size_t errlen)
{
	struct ip_mreqn	 m4;

	if (family == AF_INET6)
		return mcast_setint(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF,
		    (int)ifindex, "IPV6_MULTICAST_IF", err, errlen);
	memset(&m4, 0, sizeof m4);
	m4.imr_ifindex = (int)ifindex;
	if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &m4, sizeof m4) == 0)
		return 0;
	snprintf(err, errlen, "IP_MULTICAST_IF: %s", strerror(errno));
	return -1;
}

int
mcast_send_opts(int fd, int family, const struct mcast_send *m, char *err,
    size_t errlen)
{
	int	 v6 = family == AF_INET6;

	if (m->broadcast && mcast_setint(fd, SOL_SOCKET, SO_BROADCAST, 1,
	    "SO_BROADCAST", err, errlen) == -1)
		return -1;
	if (m->ttl >= 0 && (mcast_setint(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
	    v6 ? IPV6_UNICAST_HOPS : IP_TTL, m->ttl, "TTL", err,
	    errlen) == -1 || mcast_setint(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
	    v6 ? IPV6_MULTICAST_HOPS : IP_MULTICAST_TTL, m->ttl,
	    "multicast TTL", err, errlen) == -1))
		return -1;
	if (mcast_setint(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ?
	    IPV6_MULTICAST_LOOP : IP_MULTICAST_LOOP, m->loop != 0,
	    "multicast loop", err, errlen) == -1)
		return -1;
	if (m->ifindex != 0)
		return mcast_send_iface(fd, family, m->ifindex, err, errlen);
	return 0;
}
