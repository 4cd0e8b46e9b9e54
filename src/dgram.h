/*
 * dgram.h: what the udp client and server share: datagram size limits,
 * cutting standard input into datagrams, ICMP error reports and the
 * client's own Unix socket path.  Nothing here prints or exits.
 */
#ifndef DGRAM_H
#define DGRAM_H

#include <sys/types.h>
#include <sys/socket.h>
#include <stddef.h>

/* The largest payload of one datagram: 65535 less the IP and UDP headers. */
#define DGRAM_MAX_IPV4	65507
#define DGRAM_MAX_IPV6	65527
#define DGRAM_MAX_UNIX	65536	/* our choice: one read of --chunk */

/* The largest payload we send for family, see above. */
size_t	dgram_max_payload(int);

/* "IPv4", "IPv6" or "a Unix socket", for messages about limits. */
const char *dgram_family_name(int);

/*
 * A sender or receiver for messages: "127.0.0.1 port 9", "::1 port 9",
 * a Unix path, or "an unnamed socket" for a Unix client with no path.
 */
const char *dgram_addr_name(const struct sockaddr *, socklen_t, char *,
	    size_t);

/*
 * Standard input cut into datagrams: each line (newline included), or
 * with chunk each read.  A line that has no room in max bytes is an error
 * rather than a truncated datagram.  The caller peeks at the next
 * datagram, sends it and only then consumes it, so a send that would
 * block keeps it for later.
 */
struct dgram_in {
	char	*buf;
	size_t	 max;		/* the largest datagram */
	size_t	 cap;		/* max + 1: room to see a line is too long */
	size_t	 start, len;	/* pending bytes are buf[start..len) */
	int	 chunk;		/* each read is one datagram */
	int	 ready;		/* chunk: buf[start..len) is one datagram */
	int	 eof;		/* the source has ended */
};

/* Returns 0, or -1 with errno (ENOMEM). */
int	dgram_in_init(struct dgram_in *, size_t, int);
void	dgram_in_free(struct dgram_in *);

/*
 * Make data the one and last datagram (--data; it may be empty).
 * Returns 0, or -1 with EMSGSIZE when it is larger than max.
 */
int	dgram_in_set(struct dgram_in *, const char *, size_t);

/* Whether it is time to read more: no whole datagram is waiting. */
int	dgram_in_wants_read(const struct dgram_in *);

/*
 * Read once from fd.  Returns the bytes read, 0 at EOF (eof set) or when
 * the read would block, -1 with errno on error.
 */
ssize_t	dgram_in_read(struct dgram_in *, int);

/*
 * The next datagram.  Returns 1 with *p and *n set, 0 when none is whole
 * yet, or -1 when the next line is longer than max (*n is its length so
 * far, more than max).
 */
int	dgram_in_next(const struct dgram_in *, const char **, size_t *);

/* Drop the n bytes that dgram_in_next() gave out (they were sent). */
void	dgram_in_consume(struct dgram_in *, size_t);

/*
 * An error from a socket's error queue (IP_RECVERR): an ICMP or ICMPv6
 * message, or a local error.
 */
struct dgram_err {
	int			 origin;	/* SO_EE_ORIGIN_* */
	int			 type, code;	/* ICMP type and code */
	int			 errnum;	/* what errno would say */
	struct sockaddr_storage	 from;		/* sender; family 0: none */
};

/* Ask for ICMP errors on fd's error queue; returns 0 or -1 with errno. */
int	dgram_recverr(int, int);

/* Take one error from fd's queue.  Returns 1, 0 when none, -1 errno. */
int	dgram_err_read(int, struct dgram_err *);

/* "port unreachable (ICMP type 3 code 3 from 127.0.0.1)" into buf. */
const char *dgram_err_str(const struct dgram_err *, char *, size_t);

/* Whether e says that nothing listens on the port (ICMP or ICMPv6). */
int	dgram_err_port_unreachable(const struct dgram_err *);

/*
 * Bind fd (AF_UNIX) to a new path inside a private directory made with
 * mkdtemp() under $TMPDIR or /tmp, so that replies can reach the client.
 * The path goes into path.  Returns 0, or -1 with a message in err.
 */
int	dgram_unix_bind_temp(int, char *, size_t, char *, size_t);

/* Remove what dgram_unix_bind_temp() made. */
void	dgram_unix_unbind_temp(const char *);

#endif
