/*
 * sockdiag.c: one exact lookup through NETLINK_SOCK_DIAG.  The kernel
 * finds the socket by its four-tuple (the established and TIME_WAIT
 * tables, then the listeners, as a packet would) and answers with its
 * inet_diag_msg, or with ENOENT.  No privilege is needed for the sockets of one's namespace.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sockdiag.h"

/* Put sa's address and port (network order) into addr and *port. */
static int
diag_addr(const struct sockaddr *sa, __be32 addr[4], __be16 *port)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)sa;

	memset(addr, 0, 16);
	if (sa->sa_family == AF_INET) {
		memcpy(addr, &sin->sin_addr, 4);
		*port = sin->sin_port;
	} else if (sa->sa_family == AF_INET6) {
		memcpy(addr, &sin6->sin6_addr, 16);
		*port = sin6->sin6_port;
	} else
		return -1;
	return 0;
}

int
sockdiag_tcp_state(const struct sockaddr *self, const struct sockaddr *peer)
{
	struct {
		struct nlmsghdr		nh;
		struct inet_diag_req_v2	r;
	} req;
	union {
		struct nlmsghdr		nh;
		char			b[1024];
	} ans;
	struct sockaddr_nl	 nl = { .nl_family = AF_NETLINK };
	struct nlmsgerr		*e;
	struct inet_diag_msg	*m;
	ssize_t			 n;
	int			 fd, rc = -1;

	if (self->sa_family != peer->sa_family)
		return -1;
	memset(&req, 0, sizeof req);
	req.nh.nlmsg_len = sizeof req;
	req.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nh.nlmsg_flags = NLM_F_REQUEST;	/* one socket, not a dump */
	req.r.sdiag_family = self->sa_family;
	req.r.sdiag_protocol = IPPROTO_TCP;
	req.r.idiag_states = ~0U;
	req.r.id.idiag_cookie[0] = req.r.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (diag_addr(self, req.r.id.idiag_src, &req.r.id.idiag_sport) == -1 ||
	    diag_addr(peer, req.r.id.idiag_dst, &req.r.id.idiag_dport) == -1)
		return -1;
	if ((fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG)) == -1)
		return -1;
	if (sendto(fd, &req, sizeof req, 0, (struct sockaddr *)&nl,
	    sizeof nl) != (ssize_t)sizeof req)
		goto done;
	do
		n = recv(fd, &ans, sizeof ans, 0);
	while (n == -1 && errno == EINTR);
	if (n < (ssize_t)sizeof ans.nh || !NLMSG_OK(&ans.nh, (size_t)n))
		goto done;
	if (ans.nh.nlmsg_type == NLMSG_ERROR &&
	    ans.nh.nlmsg_len >= NLMSG_LENGTH(sizeof *e)) {
		e = NLMSG_DATA(&ans.nh);
		rc = e->error == -ENOENT ? 0 : -1;
	} else if (ans.nh.nlmsg_type == SOCK_DIAG_BY_FAMILY &&
	    ans.nh.nlmsg_len >= NLMSG_LENGTH(sizeof *m)) {
		m = NLMSG_DATA(&ans.nh);
		/* With no such connection the kernel's lookup falls back
		   to a listener on self: not the socket asked for. */
		rc = m->idiag_state == TCP_LISTEN ? 0 : m->idiag_state;
	}
done:
	close(fd);
	return rc;
}
