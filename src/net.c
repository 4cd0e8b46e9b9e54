/*
 * net.c: addresses, name resolution, connect and listen helpers.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"
#include "util.h"

int
net_parse_port(const char *s, const char *proto, int allow_zero,
    uint16_t *port, char *err, size_t errlen)
{
	struct servent	*se;
	long		 v;
	char		 why[64];

	if (*s >= '0' && *s <= '9') {
		if (parse_long(s, allow_zero ? 0 : 1, 65535, &v, why,
		    sizeof why) == -1) {
			snprintf(err, errlen, "bad port '%s': %s", s, why);
			return -1;
		}
		*port = (uint16_t)v;
		return 0;
	}
	if (*s == '\0' || (se = getservbyname(s, proto)) == NULL) {
		snprintf(err, errlen, "bad port '%s': not a number or a known "
		    "%s service name", s, proto);
		return -1;
	}
	*port = ntohs((uint16_t)se->s_port);
	return 0;
}

/* Copy host into buf without the brackets of "[v6]"; NULL if malformed. */
static const char *
strip_brackets(const char *host, char *buf, size_t len)
{
	size_t	 n;

	if (host == NULL || host[0] != '[')
		return host;
	n = strlen(host);
	if (n < 3 || host[n - 1] != ']' || n - 2 >= len)
		return NULL;
	memcpy(buf, host + 1, n - 2);
	buf[n - 2] = '\0';
	return buf;
}

/* Whether s (a numeric IPv6 address, maybe "%scope") parses. */
static int
host_is_v6(const char *s)
{
	char		 buf[NET_ADDRSTRLEN];
	uint8_t		 a[16];
	size_t		 n = strcspn(s, "%");

	if (n >= sizeof buf || (s[n] == '%' && s[n + 1] == '\0'))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(AF_INET6, buf, a) == 1;
}

/* The reason name is no valid host name, or NULL when it is one. */
static const char *
host_name_why(const char *name)
{
	size_t		 len = strlen(name), label = 0, i;
	struct in_addr	 a4;

	if (len == 0)
		return "empty";
	if (len > 253 + (name[len - 1] == '.'))
		return "longer than 253 bytes";
	if (strspn(name, "0123456789.") == len)
		return inet_aton(name, &a4) ? NULL : "not an IPv4 address";
	for (i = 0; i < len; i++) {
		if (name[i] == '.') {
			if (label == 0)
				return "empty label between dots";
			label = 0;
			continue;
		}
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", name[i]) == NULL)
			return "not an address or a host name";
		if (++label > 63)
			return "a label longer than 63 bytes";
	}
	return NULL;
}

const char *
net_host_why(const char *host)
{
	char		 buf[NET_ADDRSTRLEN];
	const char	*h;

	if (host[0] == '[')
		return (h = strip_brackets(host, buf, sizeof buf)) != NULL &&
		    host_is_v6(h) ? NULL : "expected [IPv6 address]";
	if (strchr(host, ':') != NULL)
		return host_is_v6(host) ? NULL : "not an IPv6 address";
	return host_name_why(host);
}

int
net_resolve(const char *host, uint16_t port, int family, int socktype,
    int passive, struct addrinfo **res, char *err, size_t errlen)
{
	struct addrinfo	 hints;
	char		 portstr[8], buf[256];
	const char	*h = NULL;
	int		 rc;

	/* host NULL is the wildcard (passive), not a malformed address. */
	if (host != NULL && (h = strip_brackets(host, buf,
	    sizeof buf)) == NULL) {
		snprintf(err, errlen, "bad address '%s'", host);
		return -1;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = socktype;
	hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
	snprintf(portstr, sizeof portstr, "%u", port);
	rc = getaddrinfo(h, portstr, &hints, res);
	if (rc != 0) {
		if (rc == EAI_SYSTEM)
			snprintf(err, errlen, "unknown host '%s': %s", host,
			    strerror(errno));
		else if (rc == EAI_ADDRFAMILY || (rc == EAI_NONAME &&
		    family != AF_UNSPEC))
			snprintf(err, errlen, "unknown host '%s': no %s "
			    "address", host, family == AF_INET6 ? "IPv6" :
			    "IPv4");
		else
			snprintf(err, errlen, "unknown host '%s': %s", host,
			    gai_strerror(rc));
		return -1;
	}
	return 0;
}

const char *
net_addr_str(const struct sockaddr *sa, char *buf, size_t len)
{
	const struct sockaddr_in6	*s6;
	const struct sockaddr_in	*s4;
	struct in_addr			 a4;

	switch (sa->sa_family) {
	case AF_INET:
		s4 = (const struct sockaddr_in *)(const void *)sa;
		inet_ntop(AF_INET, &s4->sin_addr, buf, (socklen_t)len);
		break;
	case AF_INET6:
		s6 = (const struct sockaddr_in6 *)(const void *)sa;
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			memcpy(&a4, &s6->sin6_addr.s6_addr[12], 4);
			inet_ntop(AF_INET, &a4, buf, (socklen_t)len);
		} else
			inet_ntop(AF_INET6, &s6->sin6_addr, buf,
			    (socklen_t)len);
		break;
	case AF_UNIX:
		snprintf(buf, len, "%s",
		    ((const struct sockaddr_un *)(const void *)sa)->sun_path);
		break;
	default:
		snprintf(buf, len, "(family %d)", sa->sa_family);
		break;
	}
	return buf;
}

const char *
net_addr_scoped(const struct sockaddr *sa, char *buf, size_t len)
{
	const struct sockaddr_in6	*s6;
	char				 name[IF_NAMESIZE];
	size_t				 n;

	net_addr_str(sa, buf, len);
	if (sa->sa_family != AF_INET6)
		return buf;
	s6 = (const struct sockaddr_in6 *)(const void *)sa;
	n = strlen(buf);
	if (s6->sin6_scope_id == 0 || n + 2 >= len)
		return buf;
	if (if_indextoname(s6->sin6_scope_id, name) != NULL)
		snprintf(buf + n, len - n, "%%%s", name);
	else
		snprintf(buf + n, len - n, "%%%u", s6->sin6_scope_id);
	return buf;
}

int
net_addr_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)(const void *)sa)
		    ->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)(const void *)sa)
		    ->sin6_port);
	return -1;
}

int
net_bind_source(int fd, int family, int socktype, const struct net_source *src,
    char *err, size_t errlen)
{
	struct addrinfo	*res;
	int		 on = 1, rc;

	if (src->host == NULL && src->port == 0 && !src->bind_now)
		return 0;
	if (net_resolve(src->host, src->port, family, socktype, 1, &res, err,
	    errlen) == -1)
		return -1;
	if (src->port != 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	else if (!src->bind_now)
		setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on,
		    sizeof on);
	rc = bind(fd, res->ai_addr, res->ai_addrlen);
	if (rc == -1)
		snprintf(err, errlen, "bind to source %s port %u: %s",
		    src->host ? src->host : "*", src->port, strerror(errno));
	freeaddrinfo(res);
	return rc;
}

/* Wait for a non-blocking connect on fd; returns 0 or -1 with errno. */
static int
connect_wait(int fd, long timeout_ms, void (*on_wait)(int, long, void *),
    void *arg)
{
	struct pollfd	 pfd = { .fd = fd, .events = POLLOUT };
	int64_t		 start = now_ms(), left;
	socklen_t	 len = sizeof(int);
	int		 n, soerr = 0, step;

	for (;;) {
		step = 1000;
		if (timeout_ms >= 0) {
			left = timeout_ms - (now_ms() - start);
			if (left <= 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			if (left < step)
				step = (int)left;
		}
		n = sk_poll(&pfd, 1, step);
		if (n == -1)
			return -1;	/* EINTR: the caller was interrupted */
		if (n > 0)
			break;
		if (on_wait != NULL && timeout_ms < 0)
			on_wait(fd, (long)(now_ms() - start), arg);
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
		return -1;
	if (soerr != 0) {
		errno = soerr;
		return -1;
	}
	return 0;
}

int
net_connect(const struct addrinfo *ai, const struct net_source *src,
    long timeout_ms, void (*on_wait)(int, long, void *), void *arg,
    char *err, size_t errlen)
{
	return net_connect_hook(ai, src, timeout_ms, on_wait, arg, NULL, NULL,
	    err, errlen);
}

int
net_connect_hook(const struct addrinfo *ai, const struct net_source *src,
    long timeout_ms, void (*on_wait)(int, long, void *), void *arg,
    int (*before)(int, const struct addrinfo *, void *, char *, size_t),
    void *before_arg, char *err, size_t errlen)
{
	int	 fd, saved;

	err[0] = '\0';
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1)
		return -1;
	if (src != NULL && net_bind_source(fd, ai->ai_family, ai->ai_socktype,
	    src, err, errlen) == -1)
		goto fail;
	if (before != NULL && before(fd, ai, before_arg, err, errlen) == -1)
		goto fail;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS)
		goto fail;
	if (connect_wait(fd, timeout_ms, on_wait, arg) == -1)
		goto fail;
	return fd;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* A hint for the bind() errors users meet most. */
static const char *
bind_hint(int e, uint16_t port)
{
	if (e == EADDRINUSE)
		return " (another socket has it: stop that program or choose "
		    "another port)";
	if (e == EACCES && port < 1024)
		return " (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
	if (e == EADDRNOTAVAIL)
		return " (no interface has that address)";
	return "";
}

/* Open, bind and listen one address; returns fd or -1 with err. */
static int
listen_one(const struct sockaddr *sa, socklen_t salen, int socktype,
    int v6only, int backlog, char *err, size_t errlen)
{
	char		 host[NET_ADDRSTRLEN];
	uint16_t	 port = (uint16_t)net_addr_port(sa);
	int		 fd, on = 1, e;

	fd = socket(sa->sa_family, socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		goto fail;
	/* Streams: past TIME_WAIT.  Datagrams: it would share a busy port. */
	if (socktype == SOCK_STREAM)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (sa->sa_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
		    sizeof v6only);
	if (bind(fd, sa, salen) == -1)
		goto fail;
	if (socktype == SOCK_STREAM && listen(fd, backlog) == -1)
		goto fail;
	return fd;
fail:
	e = errno;
	net_addr_str(sa, host, sizeof host);
	snprintf(err, errlen, "listen %s port %u: %s%s", host, port,
	    strerror(e), bind_hint(e, port));
	if (fd != -1)
		close(fd);
	errno = e;
	return -1;
}

int
net_listen(const char *host, uint16_t port, int family, int socktype,
    int backlog, char *err, size_t errlen)
{
	struct sockaddr_in6	 any6;
	struct addrinfo		*res, *ai;
	char			 why[300];
	int			 fd = -1;

	if (host == NULL && family != AF_INET) {
		/* The dual-stack wildcard: one socket for IPv4 and IPv6. */
		memset(&any6, 0, sizeof any6);
		any6.sin6_family = AF_INET6;
		any6.sin6_port = htons(port);
		fd = listen_one((struct sockaddr *)&any6, sizeof any6,
		    socktype, family == AF_INET6, backlog, err, errlen);
		if (fd != -1 || family == AF_INET6 || errno != EAFNOSUPPORT)
			return fd;
		family = AF_INET;
	}
	if (net_resolve(host, port, family, socktype, 1, &res, why,
	    sizeof why) == -1) {
		snprintf(err, errlen, "listen %s port %u: %s", host, port, why);
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = listen_one(ai->ai_addr, ai->ai_addrlen, socktype, 1,
		    backlog, err, errlen);
		if (fd != -1)
			break;
	}
	freeaddrinfo(res);
	return fd;
}

int
net_unix_path_check(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un	 sun;

	if (*path != '\0' && strlen(path) < sizeof sun.sun_path)
		return 0;
	snprintf(err, errlen, "bad socket path '%s': empty or longer than "
	    "%zu bytes", path, sizeof sun.sun_path - 1);
	return -1;
}

/* Fill a sockaddr_un; returns its length or 0 with err if too long. */
static socklen_t
unix_addr(const char *path, struct sockaddr_un *sun, char *err,
    size_t errlen)
{
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	if (net_unix_path_check(path, err, errlen) == -1)
		return 0;
	strcpy(sun->sun_path, path);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    strlen(path) + 1);
}

int
net_unix_listen(const char *path, int socktype, int backlog,
    int unlink_existing, char *err, size_t errlen)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	socklen_t		 len;
	int			 fd;

	if ((len = unix_addr(path, &sun, err, errlen)) == 0)
		return -1;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "listen %s: File exists and is "
			    "not a socket", path);
			errno = EEXIST;
			return -1;
		}
		if (!unlink_existing) {
			snprintf(err, errlen, "listen %s: a socket file is "
			    "already there (remove it, or use --unlink)", path);
			errno = EEXIST;
			return -1;
		}
		unlink(path);
	}
	fd = socket(AF_UNIX, socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sun, len) == -1 ||
	    (socktype != SOCK_DGRAM && listen(fd, backlog) == -1)) {
		snprintf(err, errlen, "listen %s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	return fd;
}

const char *
net_unix_why(const char *path, int e, char *buf, size_t len)
{
	struct stat	 st;
	const char	*what;

	if (e != ECONNREFUSED || stat(path, &st) == -1 ||
	    S_ISSOCK(st.st_mode)) {
		snprintf(buf, len, "%s", strerror(e));
		return buf;
	}
	if (S_ISDIR(st.st_mode))
		what = "a directory";
	else if (S_ISREG(st.st_mode))
		what = "a regular file";
	else if (S_ISFIFO(st.st_mode))
		what = "a FIFO";
	else
		what = "a device";
	snprintf(buf, len, "%s, not a socket", what);
	return buf;
}

int
net_unix_connect(const char *path, int socktype, char *err, size_t errlen)
{
	struct sockaddr_un	 sun;
	socklen_t		 len;
	char			 why[64];
	int			 fd, e;

	if ((len = unix_addr(path, &sun, err, errlen)) == 0)
		return -1;
	fd = socket(AF_UNIX, socktype | SOCK_CLOEXEC, 0);
	if (fd == -1 || connect(fd, (struct sockaddr *)&sun, len) == -1) {
		e = errno;
		snprintf(err, errlen, "connect %s: %s", path,
		    fd == -1 ? strerror(e) : net_unix_why(path, e, why,
		    sizeof why));
		if (fd != -1)
			close(fd);
		errno = e;
		return -1;
	}
	set_nonblock(fd, 1);
	return fd;
}

int
net_cidr_parse(const char *s, struct net_cidr *c, char *err, size_t errlen)
{
	char		 buf[NET_ADDRSTRLEN];
	const char	*slash = strchr(s, '/');
	size_t		 n = slash ? (size_t)(slash - s) : strlen(s);
	long		 prefix;
	char		 why[64];

	memset(c, 0, sizeof *c);
	if (n == 0 || n >= sizeof buf)
		goto bad;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, c->addr) == 1)
		c->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, c->addr) == 1)
		c->family = AF_INET6;
	else
		goto bad;
	c->prefix = c->family == AF_INET ? 32 : 128;
	if (slash != NULL) {
		if (slash[1] < '0' || slash[1] > '9')	/* no sign */
			snprintf(why, sizeof why, "not a number");
		if (slash[1] < '0' || slash[1] > '9' || parse_long(slash + 1,
		    0, c->prefix, &prefix, why, sizeof why) == -1) {
			snprintf(err, errlen, "bad prefix length in '%s': %s",
			    s, why);
			return -1;
		}
		c->prefix = (unsigned)prefix;
	}
	snprintf(c->text, sizeof c->text, "%s", s);
	return 0;
bad:
	snprintf(err, errlen, "bad address block '%s': expected ADDRESS or "
	    "ADDRESS/PREFIX", s);
	return -1;
}

/* Whether the first prefix bits of a and b agree. */
static int
prefix_equal(const uint8_t *a, const uint8_t *b, unsigned prefix)
{
	unsigned	 whole = prefix / 8, rest = prefix % 8;
	uint8_t		 mask;

	if (memcmp(a, b, whole) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

/*
 * One 128-bit form for every address a rule or a peer can hold: IPv6 as
 * it is, IPv4 a.b.c.d as its mapped ::ffff:a.b.c.d, the form a dual-stack
 * socket reports it in.  An IPv4 prefix /p covers the same addresses as
 * ::ffff:a.b.c.d/(96 + p).  Returns 0, or -1 for another family.
 */
static int
cidr_to_mapped(int family, const void *addr, uint8_t out[16])
{
	memset(out, 0, 16);
	if (family == AF_INET6) {
		memcpy(out, addr, 16);
		return 0;
	}
	if (family != AF_INET)
		return -1;
	out[10] = out[11] = 0xff;
	memcpy(out + 12, addr, 4);
	return 0;
}

/*
 * Whether sa lies in c.  Rule and peer are both taken to the 128-bit form
 * of cidr_to_mapped(), so a rule means the same on every listener: an IPv4
 * client is 127.0.0.1 to a -4 socket and ::ffff:127.0.0.1 to a dual-stack
 * one, and both match 127.0.0.0/8, ::ffff:127.0.0.0/104 and ::/0 alike.
 */
int
net_cidr_match(const struct net_cidr *c, const struct sockaddr *sa)
{
	uint8_t		 rule[16], peer[16];
	const void	*a;

	if (sa->sa_family == AF_INET)
		a = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
	else if (sa->sa_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
	else
		return 0;
	if (cidr_to_mapped(sa->sa_family, a, peer) == -1 ||
	    cidr_to_mapped(c->family, c->addr, rule) == -1)
		return 0;
	return prefix_equal(peer, rule, c->prefix +
	    (c->family == AF_INET ? 96 : 0));
}

int
net_acl_add(struct net_acl *acl, int deny, const char *s, char *err,
    size_t errlen)
{
	struct net_cidr	*r;
	int		*d;

	r = reallocarray(acl->rules, acl->n + 1, sizeof *r);
	if (r == NULL)
		goto nomem;
	acl->rules = r;
	d = reallocarray(acl->deny, acl->n + 1, sizeof *d);
	if (d == NULL)
		goto nomem;
	acl->deny = d;
	if (net_cidr_parse(s, &acl->rules[acl->n], err, errlen) == -1)
		return -1;
	acl->deny[acl->n++] = deny;
	if (!deny)
		acl->nallow++;
	return 0;
nomem:
	snprintf(err, errlen, "%s", strerror(errno));
	return -1;
}

const char *
net_acl_check(const struct net_acl *acl, const struct sockaddr *sa,
    char *buf, size_t len)
{
	size_t	 i;
	int	 allowed = acl->nallow == 0;

	for (i = 0; i < acl->n; i++) {
		if (!net_cidr_match(&acl->rules[i], sa))
			continue;
		if (acl->deny[i]) {
			snprintf(buf, len, "--deny %s", acl->rules[i].text);
			return buf;
		}
		allowed = 1;
	}
	if (!allowed) {
		snprintf(buf, len, "not in any --allow block");
		return buf;
	}
	return NULL;
}

void
net_acl_free(struct net_acl *acl)
{
	free(acl->rules);
	free(acl->deny);
	memset(acl, 0, sizeof *acl);
}
