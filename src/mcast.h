/*
 * mcast.h: what the udp command needs for broadcast and multicast: group
 * and source addresses checked, the group joined (any-source or
 * source-specific), the sending socket's TTL, loop and interface set.
 * Nothing here prints or exits.
 */
#ifndef MCAST_H
#define MCAST_H

#include <sys/types.h>
#include <sys/socket.h>
#include <stddef.h>

/* Whether sa (IPv4 or IPv6) is a multicast address. */
int	mcast_is_group(const struct sockaddr *);

/* A numeric IPv4 or IPv6 address s into ss; 0, or -1 when s is none. */
int	mcast_numeric(const char *, struct sockaddr_storage *);

/*
 * Parse the numeric address s into ss.  With group, it must be a
 * multicast group (224.0.0.0/4, ff00::/8); without, a unicast address
 * (a --source).  what names the option in messages ("--join").
 * Returns 0, or -1 with the reason in err.
 */
int	mcast_parse_addr(const char *, int, const char *,
	    struct sockaddr_storage *, char *, size_t);

/*
 * The index of interface name into *index.  Returns 0, or -1 with a
 * message naming it in err.
 */
int	mcast_iface(const char *, unsigned int *, char *, size_t);

/*
 * Join group on fd, on interface ifindex (0: the kernel's choice), from
 * source only when source is not NULL (IP_ADD_MEMBERSHIP, IPV6_JOIN_GROUP;
 * MCAST_JOIN_SOURCE_GROUP).  Returns 0, or -1 with the reason in err.
 */
int	mcast_join(int, const struct sockaddr_storage *,
	    const struct sockaddr_storage *, unsigned int, char *, size_t);

/* How a socket sends: TTL or hops (-1: the kernel's), loop, interface. */
struct mcast_send {
	int		 ttl;		/* --ttl, --hops; -1: default */
	int		 loop;		/* --multicast-loop */
	unsigned int	 ifindex;	/* --iface; 0: none */
	int		 broadcast;	/* --broadcast: SO_BROADCAST */
};

/*
 * Set how fd (of family) sends: SO_BROADCAST, the unicast and multicast
 * TTL (IPv4) or hop limit (IPv6), whether multicast loops back to this
 * host, and the interface multicast leaves by.  Returns 0, or -1 with the
 * reason in err.
 */
int	mcast_send_opts(int, int, const struct mcast_send *, char *, size_t);

#endif
