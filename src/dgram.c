/*
 * dgram.c: datagram helpers for the udp command: size limits, standard
 * input cut into datagrams, ICMP errors read from the error queue
 * (IP_RECVERR, see ip(7)) and the Unix client's temporary path.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <linux/errqueue.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dgram.h"
#include "net.h"

size_t
dgram_max_payload(int family)
{
	if (family == AF_INET)
		return DGRAM_MAX_IPV4;
	if (family == AF_INET6)
		return DGRAM_MAX_IPV6;
	return DGRAM_MAX_UNIX;
}

const char *
dgram_family_name(int family)
{
	if (family == AF_INET)
		return "IPv4";
	if (family == AF_INET6)
		return "IPv6";
	return "a Unix socket";
}

const char *
dgram_addr_name(const struct sockaddr *sa, socklen_t salen, char *buf,
    size_t len)
{
	char	 host[NET_ADDRSTRLEN];

	if (sa->sa_family == AF_UNIX) {
		if (salen <= offsetof(struct sockaddr_un, sun_path) ||
		    ((const struct sockaddr_un *)(const void *)sa)
		    ->sun_path[0] == '\0')
			snprintf(buf, len, "an unnamed socket");
		else
			net_addr_str(sa, buf, len);
		return buf;
	}
	snprintf(buf, len, "%s port %d", net_addr_str(sa, host, sizeof host),
	    net_addr_port(sa));
	return buf;
}

int
dgram_in_init(struct dgram_in *in, size_t max, int chunk)
{
	memset(in, 0, sizeof *in);
	in->max = max;
	in->cap = max + 1;
	in->chunk = chunk;
	if ((in->buf = malloc(in->cap)) == NULL)
		return -1;
	return 0;
}

void
dgram_in_free(struct dgram_in *in)
{
	free(in->buf);
	in->buf = NULL;
}

int
dgram_in_set(struct dgram_in *in, const char *data, size_t len)
{
	if (len > in->max) {
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(in->buf, data, len);
	in->start = 0;
	in->len = len;
	in->chunk = 1;
	in->ready = 1;
	in->eof = 1;
	return 0;
}

int
dgram_in_wants_read(const struct dgram_in *in)
{
	const char	*p;
	size_t		 n;

	return !in->eof && dgram_in_next(in, &p, &n) == 0;
}

ssize_t
dgram_in_read(struct dgram_in *in, int fd)
{
	ssize_t	 n;

	if (in->start > 0) {
		/* Keep the partial line at the front: room for the rest. */
		memmove(in->buf, in->buf + in->start, in->len - in->start);
		in->len -= in->start;
		in->start = 0;
	}
	n = read(fd, in->buf + in->len, (in->chunk ? in->max : in->cap) -
	    in->len);
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0) {
		in->eof = 1;
		return 0;
	}
	in->len += (size_t)n;
	in->ready = in->chunk;
	return n;
}

int
dgram_in_next(const struct dgram_in *in, const char **p, size_t *n)
{
	const char	*s = in->buf + in->start, *nl;
	size_t		 pending = in->len - in->start;

	if (in->chunk) {
		if (!in->ready)
			return 0;
		*p = s;
		*n = pending;
		return 1;
	}
	if (pending == 0)
		return 0;
	nl = memchr(s, '\n', pending);
	*p = s;
	*n = nl != NULL ? (size_t)(nl - s) + 1 : pending;
	if (*n > in->max)
		return -1;
	/* A last line without its newline goes as it is at EOF. */
	return nl != NULL || in->eof;
}

void
dgram_in_consume(struct dgram_in *in, size_t n)
{
	in->start += n;
	if (in->chunk)
		in->ready = 0;
	if (in->start == in->len)
		in->start = in->len = 0;
}

int
dgram_recverr(int fd, int family)
{
	int	 on = 1;

	if (family == AF_INET6)
		return setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on,
		    sizeof on);
	if (family == AF_INET)
		return setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on);
	return 0;
}

int
dgram_err_read(int fd, struct dgram_err *e)
{
	union {
		char		buf[512];
		struct cmsghdr	align;
	} ctl;
	struct sock_extended_err	*ee;
	struct cmsghdr			*cm;
	struct msghdr			 msg;
	struct sockaddr			*off;
	char				 dummy[1];
	struct iovec			 iov = { dummy, sizeof dummy };

	memset(&msg, 0, sizeof msg);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof ctl.buf;
	if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) == -1)
		return errno == EAGAIN ? 0 : -1;
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
		if (!(cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_RECVERR) &&
		    !(cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_RECVERR))
			continue;
		ee = (struct sock_extended_err *)(void *)CMSG_DATA(cm);
		memset(e, 0, sizeof *e);
		e->origin = ee->ee_origin;
		e->type = ee->ee_type;
		e->code = ee->ee_code;
		e->errnum = (int)ee->ee_errno;
		off = SO_EE_OFFENDER(ee);
		if (off->sa_family == AF_INET)
			memcpy(&e->from, off, sizeof(struct sockaddr_in));
		else if (off->sa_family == AF_INET6)
			memcpy(&e->from, off, sizeof(struct sockaddr_in6));
		return 1;
	}
	return 0;
}

/* ICMP destination unreachable codes (RFC 792, RFC 1812 section 5.2.7.1). */
static const char *icmp4_unreach[] = {
	"network unreachable", "host unreachable", "protocol unreachable",
	"port unreachable", "fragmentation needed", "source route failed",
	"destination network unknown", "destination host unknown",
	"source host isolated", "network administratively prohibited",
	"host administratively prohibited", "network unreachable for TOS",
	"host unreachable for TOS",
	"communication administratively prohibited",
	"host precedence violation",
	"precedence cutoff in effect",
};

/* ICMPv6 destination unreachable codes (RFC 4443 section 3.1). */
static const char *icmp6_unreach[] = {
	"no route to destination",
	"communication administratively prohibited",
	"beyond scope of source address", "address unreachable",
	"port unreachable", "source address failed policy",
	"reject route to destination", "error in source routing header",
};

/* What an ICMP(v6) type and code mean, or NULL when we do not know. */
static const char *
icmp_name(int v6, int type, int code)
{
	size_t	 n4 = sizeof icmp4_unreach / sizeof icmp4_unreach[0];
	size_t	 n6 = sizeof icmp6_unreach / sizeof icmp6_unreach[0];

	if (!v6 && type == 3 && code >= 0 && (size_t)code < n4)
		return icmp4_unreach[code];
	if (v6 && type == 1 && code >= 0 && (size_t)code < n6)
		return icmp6_unreach[code];
	if ((!v6 && type == 11) || (v6 && type == 3))
		return "time exceeded";
	if ((!v6 && type == 12) || (v6 && type == 4))
		return "parameter problem";
	if (v6 && type == 2)
		return "packet too big";
	return NULL;
}

const char *
dgram_err_str(const struct dgram_err *e, char *buf, size_t len)
{
	char		 from[NET_ADDRSTRLEN] = "?";
	const char	*what;
	int		 v6 = e->origin == SO_EE_ORIGIN_ICMP6;

	if (e->origin != SO_EE_ORIGIN_ICMP && e->origin != SO_EE_ORIGIN_ICMP6) {
		snprintf(buf, len, "%s", strerror(e->errnum));
		return buf;
	}
	if (e->from.ss_family != 0)
		net_addr_str((const struct sockaddr *)&e->from, from,
		    sizeof from);
	if ((what = icmp_name(v6, e->type, e->code)) == NULL)
		what = strerror(e->errnum);
	snprintf(buf, len, "%s (ICMP%s type %d code %d from %s)", what,
	    v6 ? "v6" : "", e->type, e->code, from);
	return buf;
}

int
dgram_err_port_unreachable(const struct dgram_err *e)
{
	if (e->origin == SO_EE_ORIGIN_ICMP)
		return e->type == 3 && e->code == 3;
	if (e->origin == SO_EE_ORIGIN_ICMP6)
		return e->type == 1 && e->code == 4;
	return 0;
}

int
dgram_unix_bind_temp(int fd, char *path, size_t len, char *err,
    size_t errlen)
{
	struct sockaddr_un	 sun;
	const char		*tmp = getenv("TMPDIR");
	char			 dir[sizeof sun.sun_path];
	int			 n;

	if (tmp == NULL || *tmp == '\0' ||
	    strlen(tmp) + 32 >= sizeof sun.sun_path)
		tmp = "/tmp";
	snprintf(dir, sizeof dir, "%s/sockkit-udp.XXXXXX", tmp);
	if (mkdtemp(dir) == NULL) {
		snprintf(err, errlen, "make a directory for our socket in %s: "
		    "%s", tmp, strerror(errno));
		return -1;
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	n = snprintf(sun.sun_path, sizeof sun.sun_path, "%s/c", dir);
	snprintf(path, len, "%s", sun.sun_path);
	if (n < 0 || (size_t)n >= len || bind(fd, (struct sockaddr *)&sun,
	    sizeof sun) == -1) {
		snprintf(err, errlen, "bind %s/c: %s", dir, n < 0 ||
		    (size_t)n >= len ? "path too long" : strerror(errno));
		rmdir(dir);
		return -1;
	}
	return 0;
}

void
dgram_unix_unbind_temp(const char *path)
{
	char	 dir[sizeof ((struct sockaddr_un *)0)->sun_path];
	char	*slash;

	unlink(path);
	snprintf(dir, sizeof dir, "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		rmdir(dir);
	}
}
