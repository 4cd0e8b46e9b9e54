/*
 * rawsock.h: SOCK_RAW sockets and IP protocol names, below the raw
 * commands.
 */
#ifndef RAWSOCK_H
#define RAWSOCK_H

#include <stddef.h>

/*
 * socket(family, SOCK_RAW, proto).  Returns the fd, or -1 with err; when
 * the reason is a missing CAP_NET_RAW, err says so and how to grant it.
 */
int	raw_open(int, int, char *, size_t);

/*
 * An IP protocol: a number 0-255 or a name ("gre", "icmp"), also without
 * /etc/protocols.  Returns 0, or -1 with the reason in err.
 */
int	raw_parse_proto(const char *, int *, char *, size_t);

/* A protocol's name ("tcp") or NULL, for messages. */
const char *raw_proto_name(int);

#endif
