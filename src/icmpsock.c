/*
 * icmpsock.c: echo sockets, echo requests, replies and ICMP errors.
 *
 * ICMP errors are taken from the socket's error queue (IP_RECVERR), not
 * parsed out of raw ICMP: the kernel has already matched the quoted
 * datagram to this socket, hands us the offender's address and the bytes
 * we sent, and does so the same way for raw and ping sockets, ICMP and
 * ICMPv6, UDP and TCP.  Every received byte is read through the checked
 * rd_ helpers below.
 */
#include "config.h"

#include <sys/random.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <linux/errqueue.h>
#include <linux/filter.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "icmpsock.h"
#include "cksum.h"
#include "track.h"
#include "util.h"

static int	icmpsock_setup(struct icmpsock *);
static int	icmpsock_filter(const struct icmpsock *);
static void	icmpsock_denied(char *, size_t);
static void	icmpsock_cmsgs(struct msghdr *, struct icmpsock_msg *);

/* Read a byte or a big-endian word at off of a len-byte buffer, or -1. */
static int
rd_u8(const uint8_t *p, size_t len, size_t off, uint8_t *v)
{
	if (off >= len)
		return -1;
	*v = p[off];
	return 0;
}

static int
rd_u16(const uint8_t *p, size_t len, size_t off, uint16_t *v)
{
	if (off > len || len - off < 2)
		return -1;
	*v = (uint16_t)(p[off] << 8 | p[off + 1]);
	return 0;
}

/*
 * Without CAP_NET_RAW and outside ping_group_range: say both and how to
 * get either one.
 */
static void
icmpsock_denied(char *err, size_t errlen)
{
	char	 range[64] = "unknown", *p, self[PATH_MAX];
	FILE	*fp;

	if ((fp = fopen("/proc/sys/net/ipv4/ping_group_range", "r")) != NULL) {
		if (fgets(range, sizeof range, fp) == NULL)
			snprintf(range, sizeof range, "unknown");
		range[strcspn(range, "\n")] = '\0';
		for (p = range; (p = strchr(p, '\t')) != NULL; p++)
			*p = ' ';	/* the file says "1\t0" */
		fclose(fp);
	}
	snprintf(err, errlen, "no raw socket (needs CAP_NET_RAW) and no ping "
	    "socket (group %u is outside net.ipv4.ping_group_range \"%s\"): "
	    "run as root, grant the capability (setcap cap_net_raw+ep "
	    "%s) or widen the range (sysctl -w "
	    "net.ipv4.ping_group_range=\"0 2147483647\")",
	    (unsigned)getegid(), range, sk_self_path(self, sizeof self));
}

int
icmpsock_open(struct icmpsock *s, int family, char *err, size_t errlen)
{
	int	 proto = family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	int	 type = SOCK_CLOEXEC | SOCK_NONBLOCK;

	memset(s, 0, sizeof *s);
	s->family = family;
	s->fd = socket(family, SOCK_RAW | type, proto);
	if (s->fd == -1 && (errno == EPERM || errno == EACCES)) {
		s->dgram = 1;
		s->fd = socket(family, SOCK_DGRAM | type, proto);
		if (s->fd == -1 && (errno == EPERM || errno == EACCES)) {
			icmpsock_denied(err, errlen);
			return -1;
		}
	}
	if (s->fd == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (icmpsock_setup(s) == -1) {
		snprintf(err, errlen, "%s socket setup: %s",
		    s->dgram ? "ping" : "raw", strerror(errno));
		close(s->fd);
		s->fd = -1;
		return -1;
	}
	return 0;
}

/*
 * The identifier (a ping socket's is the port the kernel binds it to),
 * TTLs and errors with every message, and the filter.  0 or -1 (errno).
 */
static int
icmpsock_setup(struct icmpsock *s)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl = sizeof ss;
	int			 on = 1, v6 = s->family == AF_INET6;

	if (s->dgram) {
		memset(&ss, 0, sizeof ss);
		ss.ss_family = (sa_family_t)s->family;
		if (bind(s->fd, (struct sockaddr *)&ss, v6 ?
		    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in))
		    == -1 || getsockname(s->fd, (struct sockaddr *)&ss, &sl)
		    == -1)
			return -1;
		s->id = ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port :
		    ((struct sockaddr_in *)&ss)->sin_port);
	} else if (getrandom(&s->id, sizeof s->id, 0) != sizeof s->id)
		return -1;
	if (icmpsock_recverr(s->fd, s->family) == -1)
		return -1;
	if (v6 ? setsockopt(s->fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on,
	    sizeof on) : setsockopt(s->fd, IPPROTO_IP, IP_RECVTTL, &on,
	    sizeof on))
		return -1;
	return s->dgram ? 0 : icmpsock_filter(s);
}

/*
 * A raw socket sees every ICMP message the host gets, our own echo
 * requests over loopback included: let only echo replies through (errors
 * come by the error queue), and of those only ours, by identifier, as
 * iputils ping does.  Without the identifier filter another process's
 * flood of replies fills this socket's buffer and the kernel drops ours.
 * 0 or -1 (errno).
 */
static int
icmpsock_filter(const struct icmpsock *s)
{
	struct icmp_filter	 f4;
	struct icmp6_filter	 f6;
	/* IPv4 raw sockets get the IP header first, IPv6 ones do not. */
	struct sock_filter	 v4[] = {
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, s->id, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	}, v6[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, s->id, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog	 prog;

	if (s->family == AF_INET6) {
		ICMP6_FILTER_SETBLOCKALL(&f6);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f6);
		if (setsockopt(s->fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f6,
		    sizeof f6) == -1)
			return -1;
		prog.filter = v6;
		prog.len = sizeof v6 / sizeof v6[0];
	} else {
		f4.data = ~(1U << ICMP_ECHOREPLY);
		if (setsockopt(s->fd, IPPROTO_RAW, ICMP_FILTER, &f4,
		    sizeof f4) == -1)
			return -1;
		prog.filter = v4;
		prog.len = sizeof v4 / sizeof v4[0];
	}
	return setsockopt(s->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof prog);
}

int
icmpsock_lean(const struct icmpsock *s)
{
	int	 off = 0;

	if (setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &off,
	    sizeof off) == -1)
		return -1;
	if (s->family == AF_INET6)
		return setsockopt(s->fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &off,
		    sizeof off);
	return setsockopt(s->fd, IPPROTO_IP, IP_RECVTTL, &off, sizeof off);
}

int
icmpsock_set_ttl(int fd, int family, int ttl)
{
	if (family == AF_INET6)
		return setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl,
		    sizeof ttl);
	return setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
}

int
icmpsock_recverr(int fd, int family)
{
	int	 on = 1;

	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) == -1)
		return -1;
	if (family == AF_INET6)
		return setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on,
		    sizeof on);
	return setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on);
}

size_t
icmpsock_echo(const struct icmpsock *s, uint8_t *buf, size_t datalen,
    uint16_t seq, const uint8_t *cookie)
{
	size_t		 i;
	uint16_t	 sum;

	buf[0] = s->family == AF_INET6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	buf[1] = 0;
	buf[2] = buf[3] = 0;
	buf[4] = (uint8_t)(s->id >> 8);
	buf[5] = (uint8_t)s->id;
	buf[6] = (uint8_t)(seq >> 8);
	buf[7] = (uint8_t)seq;
	for (i = 0; i < datalen; i++)
		buf[8 + i] = i < ICMPSOCK_COOKIE ? cookie[i] : (uint8_t)i;
	/* The kernel sums ICMPv6 and ping sockets' messages itself. */
	if (s->family == AF_INET && !s->dgram) {
		sum = cksum_fold(cksum_add(0, buf, 8 + datalen));
		buf[2] = (uint8_t)(sum >> 8);
		buf[3] = (uint8_t)sum;
	}
	return 8 + datalen;
}

int64_t
icmpsock_now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* When the kernel took in the message (now, if it does not say). */
static void
icmpsock_stamp(struct msghdr *mh, struct icmpsock_msg *m)
{
	struct cmsghdr	*c;
	struct timespec	 ts;

	m->at_us = 0;
	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type ==
		    SCM_TIMESTAMPNS && c->cmsg_len >= CMSG_LEN(sizeof ts)) {
			memcpy(&ts, CMSG_DATA(c), sizeof ts);
			m->at_us = (int64_t)ts.tv_sec * 1000000 +
			    ts.tv_nsec / 1000;
		}
	}
	if (m->at_us == 0)
		m->at_us = icmpsock_now_us();
}

/* The TTL or hop limit that came with a message, if it did. */
static void
icmpsock_cmsgs(struct msghdr *mh, struct icmpsock_msg *m)
{
	struct cmsghdr	*c;
	int		 v;

	icmpsock_stamp(mh, m);
	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_len < CMSG_LEN(sizeof v))
			continue;
		if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
		    (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_HOPLIMIT)) {
			memcpy(&v, CMSG_DATA(c), sizeof v);
			m->ttl = v;
		}
	}
}

/*
 * The ICMP message in a received datagram: a raw IPv4 socket gets the IP
 * header first (its length checked), the others the message alone.
 */
static int
icmpsock_parse(const struct icmpsock *s, const uint8_t *p, size_t n,
    const uint8_t *cookie, struct icmpsock_msg *m)
{
	size_t		 off = 0;
	uint8_t		 vhl;

	if (s->family == AF_INET && !s->dgram) {
		if (rd_u8(p, n, 0, &vhl) == -1 || (vhl & 0x0f) < 5 ||
		    (size_t)(vhl & 0x0f) * 4 > n)
			return 0;
		off = (size_t)(vhl & 0x0f) * 4;
	}
	if (rd_u8(p, n, off, &m->type) == -1 || rd_u8(p, n, off + 1,
	    &m->code) == -1 || rd_u16(p, n, off + 4, &m->id) == -1 ||
	    rd_u16(p, n, off + 6, &m->seq) == -1)
		return 0;
	m->len = n - off;
	m->cookie_ok = m->len >= 8 + ICMPSOCK_COOKIE &&
	    memcmp(p + off + 8, cookie, ICMPSOCK_COOKIE) == 0;
	if (m->type != (s->family == AF_INET6 ? ICMP6_ECHO_REPLY :
	    ICMP_ECHOREPLY))
		return 0;
	return m->id == s->id;
}

int
icmpsock_batch_init(struct icmpsock_batch *b, size_t buflen)
{
	size_t	 i;

	memset(b, 0, sizeof *b);
	b->buflen = buflen;
	if ((b->buf = malloc(buflen * ICMPSOCK_BATCH)) == NULL)
		return -1;
	for (i = 0; i < ICMPSOCK_BATCH; i++) {
		b->iov[i].iov_base = b->buf + i * buflen;
		b->iov[i].iov_len = buflen;
	}
	return 0;
}

void
icmpsock_batch_free(struct icmpsock_batch *b)
{
	free(b->buf);
	b->buf = NULL;
}

int
icmpsock_recv_batch(const struct icmpsock *s, struct icmpsock_batch *b,
    const uint8_t *cookie, struct icmpsock_msg *m, int *ours)
{
	struct msghdr	*mh;
	int		 i, n;

	for (i = 0; i < ICMPSOCK_BATCH; i++) {
		mh = &b->mm[i].msg_hdr;
		memset(mh, 0, sizeof *mh);
		mh->msg_name = &b->from[i];
		mh->msg_namelen = sizeof b->from[i];
		mh->msg_iov = &b->iov[i];
		mh->msg_iovlen = 1;
		mh->msg_control = b->ctl[i];
		mh->msg_controllen = sizeof b->ctl[i];
	}
	if ((n = recvmmsg(s->fd, b->mm, ICMPSOCK_BATCH, MSG_DONTWAIT,
	    NULL)) <= 0)
		return -1;
	for (i = 0; i < n; i++) {
		memset(&m[i], 0, sizeof m[i]);
		m[i].ttl = -1;
		memcpy(&m[i].from, &b->from[i], sizeof m[i].from);
		icmpsock_cmsgs(&b->mm[i].msg_hdr, &m[i]);
		ours[i] = icmpsock_parse(s, b->iov[i].iov_base,
		    b->mm[i].msg_len, cookie, &m[i]);
	}
	return n;
}

int
icmpsock_recv(const struct icmpsock *s, uint8_t *buf, size_t len,
    const uint8_t *cookie, struct icmpsock_msg *m)
{
	struct msghdr	 mh;
	struct iovec	 iov = { buf, len };
	union {
		struct cmsghdr	 c;
		char		 b[256];
	} ctl;
	ssize_t		 n;

	memset(&mh, 0, sizeof mh);
	memset(m, 0, sizeof *m);
	m->ttl = -1;
	mh.msg_name = &m->from;
	mh.msg_namelen = sizeof m->from;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.b;
	mh.msg_controllen = sizeof ctl.b;
	if ((n = recvmsg(s->fd, &mh, MSG_DONTWAIT)) == -1)
		return -1;
	icmpsock_cmsgs(&mh, m);
	return icmpsock_parse(s, buf, (size_t)n, cookie, m);
}

/* The extended error and its offender, from an error queue message. */
static int
icmpsock_ee(struct msghdr *mh, struct icmpsock_msg *m)
{
	struct sock_extended_err	 ee;
	struct cmsghdr			*c;
	size_t				 room;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (!((c->cmsg_level == IPPROTO_IP &&
		    c->cmsg_type == IP_RECVERR) ||
		    (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_RECVERR)) ||
		    c->cmsg_len < CMSG_LEN(sizeof ee))
			continue;
		memcpy(&ee, CMSG_DATA(c), sizeof ee);
		if (ee.ee_origin != SO_EE_ORIGIN_ICMP &&
		    ee.ee_origin != SO_EE_ORIGIN_ICMP6)
			return 0;
		m->type = ee.ee_type;
		m->code = ee.ee_code;
		room = c->cmsg_len - CMSG_LEN(sizeof ee);
		if (room > sizeof m->from)
			room = sizeof m->from;
		memcpy(&m->from, CMSG_DATA(c) + sizeof ee, room);
		return 1;
	}
	return 0;
}

int
icmpsock_errqueue(int fd, uint8_t *buf, size_t len, struct icmpsock_msg *m)
{
	struct msghdr	 mh;
	struct iovec	 iov = { buf, len };
	union {
		struct cmsghdr	 c;
		char		 b[512];
	} ctl;
	struct sockaddr_storage name;
	ssize_t		 n;

	memset(&mh, 0, sizeof mh);
	memset(m, 0, sizeof *m);
	m->err = 1;
	m->ttl = -1;
	mh.msg_name = &name;
	mh.msg_namelen = sizeof name;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.b;
	mh.msg_controllen = sizeof ctl.b;
	if ((n = recvmsg(fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT)) == -1)
		return -1;
	icmpsock_stamp(&mh, m);
	m->quote = buf;
	m->quotelen = (size_t)n;
	return icmpsock_ee(&mh, m);
}

const char *
icmpsock_name(int family, uint8_t type, uint8_t code, char *buf, size_t len)
{
	const char	*name;

	name = track_icmp_name(family == AF_INET6, type, code);
	if (name != NULL)
		return name;
	snprintf(buf, len, "ICMP%s type %u code %u", family == AF_INET6 ?
	    "v6" : "", type, code);
	return buf;
}


int
icmpsock_recv_err(const struct icmpsock *s, uint8_t *buf, size_t len,
    const uint8_t *cookie, struct icmpsock_msg *m)
{
	uint8_t		 qtype;
	int		 r;

	if ((r = icmpsock_errqueue(s->fd, buf, len, m)) != 1)
		return r;
	if (rd_u8(m->quote, m->quotelen, 0, &qtype) == -1 ||
	    rd_u16(m->quote, m->quotelen, 4, &m->id) == -1 ||
	    rd_u16(m->quote, m->quotelen, 6, &m->seq) == -1)
		return 0;
	if (qtype != (s->family == AF_INET6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO))
		return 0;
	m->cookie_ok = m->quotelen >= 8 + ICMPSOCK_COOKIE &&
	    memcmp(m->quote + 8, cookie, ICMPSOCK_COOKIE) == 0;
	if (m->quotelen >= 8 + ICMPSOCK_COOKIE && !m->cookie_ok)
		return 0;	/* another run's, with the same id */
	return m->id == s->id;
}
