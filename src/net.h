/*
 * net.h: addresses, name resolution, sockets.  Every function returns -1
 * and keeps errno, or writes a message into the caller's buffer; none of
 * them prints or exits.
 */
#ifndef NET_H
#define NET_H

#include <sys/types.h>
#include <sys/socket.h>
#include <netdb.h>
#include <stddef.h>
#include <stdint.h>

/* Longest numeric address string we produce ("ffff:...:255.255.255.255"). */
#define NET_ADDRSTRLEN	64

/*
 * Parse a port: a number 0-65535 (0 only with allow_zero) or a service
 * name looked up for proto ("tcp" or "udp").  Returns 0 or -1 with err.
 */
int	net_parse_port(const char *, const char *, int, uint16_t *, char *,
	    size_t);

/*
 * Check a host as typed, without any lookup: a numeric IPv4 or IPv6
 * address (IPv6 also as "[addr]" or with "%scope"), or a host name of
 * letters, digits, '-' and '_' in dot-separated labels (none empty, at most
 * 63 bytes each, 253 in all, one trailing dot allowed).  Dotted digits
 * must be an IPv4 address ("256.1.1.1" is not).  Returns NULL, or why
 * host is none of these ("empty label between dots").
 */
const char *net_host_why(const char *);

/*
 * Check a Unix socket path: not empty and short enough for sun_path.
 * Returns 0, or -1 with "bad socket path 'x': reason" in err.
 */
int	net_unix_path_check(const char *, char *, size_t);

/*
 * Resolve host ("name", "192.0.2.1", "2001:db8::1" or "[2001:db8::1]",
 * NULL for the wildcard when passive) and a numeric port.  Returns 0 or -1
 * with "unknown host 'x': reason" in err.
 */
int	net_resolve(const char *, uint16_t, int, int, int, struct addrinfo **,
	    char *, size_t);

/* The numeric host of sa (IPv4-mapped IPv6 shown as IPv4), or the path. */
const char *net_addr_str(const struct sockaddr *, char *, size_t);

/*
 * The same for messages: a scoped IPv6 address (link-local) with its
 * "%zone", the interface's name or else its index, without which it
 * names no one place.  (A capture filter takes no zone: net_addr_str.)
 */
const char *net_addr_scoped(const struct sockaddr *, char *, size_t);

/* The port of an AF_INET/AF_INET6 address, -1 for other families. */
int	net_addr_port(const struct sockaddr *);

/* Where to bind a client socket before connect(): -s and -p. */
struct net_source {
	const char	*host;		/* NULL: any */
	uint16_t	 port;		/* 0: any */
	int		 bind_now;	/* take a port at bind(), not connect() */
};

/*
 * Bind fd (of family and socktype) to the -s/-p source; nothing to do
 * when neither is set.  Returns 0 or -1 with a message in err.
 */
int	net_bind_source(int, int, int, const struct net_source *, char *,
	    size_t);

/*
 * Open a socket for ai, bind it to src if given, and connect within
 * timeout_ms (-1: until the kernel gives up).  While waiting with no
 * timeout, on_wait(fd, waited_ms, arg) is called about once a second so
 * the caller can report SYN retries.  Returns the connected, non-blocking
 * fd, or -1 with errno (ETIMEDOUT on our own timeout, EINTR on a signal)
 * and, for failures before connect(), a message in err.
 */
int	net_connect(const struct addrinfo *, const struct net_source *, long,
	    void (*)(int, long, void *), void *, char *, size_t);

/*
 * net_connect() with a hook: before(fd, ai, arg) runs after bind() and
 * just before connect(), so a capture filter can name the local port
 * before the SYN leaves.  A hook returning -1 (with errno and err set)
 * stops the attempt.
 */
int	net_connect_hook(const struct addrinfo *, const struct net_source *,
	    long, void (*)(int, long, void *), void *,
	    int (*)(int, const struct addrinfo *, void *, char *, size_t),
	    void *, char *, size_t);

/*
 * Bind and listen on host (NULL: dual-stack wildcard, or the family's
 * wildcard) and port.  Returns the listening, non-blocking fd or -1 with a
 * message naming the address and the reason in err.
 */
int	net_listen(const char *, uint16_t, int, int, int, char *, size_t);

/*
 * Unix sockets.  net_unix_listen refuses an existing path unless
 * unlink_existing; both return an fd or -1 with a message in err.
 */
int	net_unix_listen(const char *, int, int, int, char *, size_t);
int	net_unix_connect(const char *, int, char *, size_t);

/*
 * Why connect() or sendto() to the Unix socket path failed with errno e:
 * for a path that is there but is no socket, what it is ("a directory,
 * not a socket"), as the kernel says only "Connection refused"; else
 * strerror(e).  Returns buf.
 */
const char *net_unix_why(const char *, int, char *, size_t);

/* An address block, "10.0.0.0/8", "2001:db8::/32" or a single address. */
struct net_cidr {
	int		 family;
	uint8_t		 addr[16];
	unsigned	 prefix;
	char		 text[NET_ADDRSTRLEN + 4];
};
int	net_cidr_parse(const char *, struct net_cidr *, char *, size_t);
/*
 * Whether sa lies in the block.  IPv4 and IPv4-mapped IPv6 are one: the
 * block 127.0.0.0/8 and ::ffff:127.0.0.0/104 both match 127.0.0.1 and
 * ::ffff:127.0.0.1, ::/0 matches every address, 0.0.0.0/0 every IPv4 one.
 */
int	net_cidr_match(const struct net_cidr *, const struct sockaddr *);

/* --allow/--deny lists: deny wins; with any allow, all else is denied. */
struct net_acl {
	struct net_cidr	*rules;
	int		*deny;
	size_t		 n;
	size_t		 nallow;
};
int	net_acl_add(struct net_acl *, int, const char *, char *, size_t);
/* NULL when sa may pass, else the reason ("--deny 10.0.0.0/8"). */
const char *net_acl_check(const struct net_acl *, const struct sockaddr *,
	    char *, size_t);
void	net_acl_free(struct net_acl *);

#endif
