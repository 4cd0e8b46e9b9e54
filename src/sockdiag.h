/*
 * sockdiag.h: the state of one TCP socket of this network namespace,
 * asked of the kernel by its addresses (NETLINK_SOCK_DIAG, as ss(8) asks).
 * Nothing here prints or exits.
 */
#ifndef SOCKDIAG_H
#define SOCKDIAG_H

#include <sys/types.h>
#include <sys/socket.h>

/*
 * The TCP state (TCP_ESTABLISHED ... TCP_CLOSING, <netinet/tcp.h>) of the
 * socket whose own address is self and whose peer is peer, both IPv4 or
 * both IPv6 of one family.  Returns the state, 0 when this namespace has
 * no such connection (a listener is none), or -1 when the kernel cannot
 * be asked.
 */
int	sockdiag_tcp_state(const struct sockaddr *, const struct sockaddr *);

#endif /* SOCKDIAG_H */
