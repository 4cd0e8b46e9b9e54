/*
 * cmd-udp.c: "sockkit udp", the datagram client and server over IPv4,
 * IPv6 and Unix datagram sockets.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "cmd-udp.h"
#include "dgram.h"
#include "net.h"
#include "util.h"

static const char *udp_mode_names[] = {
	[UDP_RELAY] = "relay", [UDP_ECHO] = "echo", [UDP_TIME] = "time",
};

int
udp_poll(const struct udp_opts *o, struct pollfd *pfd, nfds_t n, int timeout,
    char *err, size_t errlen)
{
	struct capture	*cap = o->c->capture;

	pfd[n].fd = cap != NULL ? capture_fd(cap) : -1;
	pfd[n].events = POLLIN;
	if (poll(pfd, n + 1, timeout) == -1 && errno != EINTR) {
		snprintf(err, errlen, "poll: %s", strerror(errno));
		return -1;
	}
	if (pfd[n].revents != 0)
		capture_poll(cap);
	return 0;
}

/* Parse --mode and --type; 0 or -1 with err. */
static int
udp_parse_word(int ch, const char *arg, struct udp_opts *o, char *err,
    size_t errlen)
{
	size_t	 i;

	if (ch == OPT_TYPE) {
		if (strcmp(arg, "dgram") == 0)
			o->socktype = SOCK_DGRAM;
		else if (strcmp(arg, "rdm") == 0)
			o->socktype = SOCK_RDM;
		else {
			snprintf(err, errlen, "--type '%s': expected dgram or "
			    "rdm", arg);
			return -1;
		}
		return 0;
	}
	for (i = 0; i < sizeof udp_mode_names / sizeof udp_mode_names[0]; i++)
		if (strcmp(arg, udp_mode_names[i]) == 0) {
			o->mode = (enum udp_mode)i;
			return 0;
		}
	snprintf(err, errlen, "--mode '%s': expected relay, echo or time", arg);
	return -1;
}

/* Options taking a value; 0 or -1 with err. */
static int
udp_parse_value(int ch, const char *arg, struct udp_opts *o, char *err,
    size_t errlen)
{
	char	 why[160];

	switch (ch) {
	case 'p':
		return cmd_port_option(arg, "udp", &o->src.port, err, errlen);
	case 'q':
	case 'w':
		if (parse_secs(arg, 86400000L, ch == 'q' ? &o->quit_ms :
		    &o->wait_ms, why, sizeof why) == -1) {
			snprintf(err, errlen, "-%c '%s': %s", ch, arg, why);
			return -1;
		}
		return 0;
	case OPT_ALLOW:
	case OPT_DENY:
		return cmd_acl_option(&o->acl, ch == OPT_DENY, arg, err,
		    errlen);
	}
	return udp_parse_word(ch, arg, o, err, errlen);
}

/*
 * The broadcast and multicast options; 0, or -1 with err (a bad group or
 * source, an unknown interface, a TTL out of range).
 */
static int
udp_parse_mcast(int ch, const char *arg, struct udp_opts *o, char *err,
    size_t errlen)
{
	char	 why[160];
	long	 v;

	switch (ch) {
	case OPT_JOIN:
		o->join = arg;
		return mcast_parse_addr(arg, 1, "--join", &o->group, err,
		    errlen);
	case OPT_SOURCE:
		o->source = arg;
		return mcast_parse_addr(arg, 0, "--source", &o->srcaddr, err,
		    errlen);
	case OPT_IFACE:
		o->iface = arg;
		return mcast_iface(arg, &o->ms.ifindex, err, errlen);
	}
	if (parse_long(arg, 0, 255, &v, why, sizeof why) == -1) {
		snprintf(err, errlen, "%s '%s': %s", ch == OPT_TTL ? "--ttl" :
		    "--hops", arg, why);
		return -1;
	}
	o->ms.ttl = (int)v;
	return 0;
}

/* udp's defaults, and where its options find the shared ones. */
static void
udp_init(struct cmd_ctx *c, void *arg)
{
	struct udp_opts	*o = arg;

	o->c = c;
	o->socktype = SOCK_DGRAM;
	o->wait_ms = o->quit_ms = -1;
	o->ms.ttl = -1;
}

/* What udp's options hold: the --allow and --deny lists. */
static void
udp_fini(void *arg)
{
	struct udp_opts	*o = arg;

	net_acl_free(&o->acl);
	exec_free(&o->exec);
}

/* udp's own options (cmd_option_fn); 0 or -1 with err. */
static int
udp_option(void *arg_o, int ch, const char *arg, char *err, size_t errlen)
{
	struct udp_opts	*o = arg_o;

	switch (ch) {
	case 'U': o->unix_path = arg; return 0;
	case 'l': o->listen = 1; return 0;
	case 's': o->src.host = arg; return 0;
	case 'z': o->zero = 1; return 0;
	case OPT_CHUNK: o->chunk = 1; return 0;
	case OPT_UNCONNECTED: o->unconnected = 1; return 0;
	case OPT_TO_ALL: o->to_all = 1; return 0;
	case OPT_UNLINK: o->unlink_existing = 1; return 0;
	case OPT_DATA: o->data = arg; return 0;
	case OPT_BROADCAST: o->ms.broadcast = 1; return 0;
	case OPT_MCAST_LOOP: o->ms.loop = 1; return 0;
	case OPT_JOIN:
	case OPT_SOURCE:
	case OPT_IFACE:
	case OPT_TTL:
	case OPT_HOPS:
		return udp_parse_mcast(ch, arg, o, err, errlen);
	case OPT_EXEC:
	case OPT_SH_EXEC:
		return exec_option(&o->exec, ch, arg, err, errlen);
	}
	return udp_parse_value(ch, arg, o, err, errlen);
}

/* Server-only and client-only options in the wrong place; -1 or usage. */
static int
udp_check_roles(const struct udp_opts *o)
{
	const struct cmd_entry	*e = &cmd_udp_entry;

	if (o->exec.cmd != NULL && (!o->listen || o->unix_path != NULL ||
	    o->socktype != SOCK_DGRAM))
		return cmd_usage_error(e, "--%s runs a program for each sender: "
		    "it needs -l, over IP (not -U or --type)",
		    o->exec.shell ? "sh-exec" : "exec");
	if (o->exec.cmd != NULL && (o->mode != UDP_RELAY || o->to_all ||
	    o->quit_ms >= 0 || o->chunk || o->wait_ms >= 0))
		return cmd_usage_error(e, "--%s gives each sender to the "
		    "program: it cannot go with --mode, --to-all, -q, -w or "
		    "--chunk", o->exec.shell ? "sh-exec" : "exec");
	if (o->listen) {
		if (o->zero || o->data || o->unconnected || o->src.host ||
		    o->src.port)
			return cmd_usage_error(e, "-z, --data, --unconnected, "
			    "-s and -p are for the client: they cannot go "
			    "with -l");
		if (o->wait_ms >= 0 && !o->to_all)
			return cmd_usage_error(e, "-l: -w goes with --to-all "
			    "only");
		if ((o->to_all || o->quit_ms >= 0 || o->chunk) &&
		    o->mode != UDP_RELAY)
			return cmd_usage_error(e, "--to-all, -q and --chunk "
			    "work in relay mode only, not --mode %s",
			    udp_mode_names[o->mode]);
		return -1;
	}
	if (o->mode != UDP_RELAY || o->to_all || o->acl.n > 0 ||
	    o->unlink_existing)
		return cmd_usage_error(e, "--mode, --to-all, --allow, --deny "
		    "and --unlink are for the server: they need -l");
	if (o->zero && o->wait_ms == 0)
		return cmd_usage_error(e, "-z needs -w of 0.001 s or more: the "
		    "answer, or the ICMP that says closed, takes time "
		    "(default 2)");
	if (o->zero && (o->chunk || o->quit_ms >= 0))
		return cmd_usage_error(e, "-z sends one datagram: it cannot go "
		    "with --chunk or -q");
	if (o->data != NULL && o->chunk)
		return cmd_usage_error(e, "--data sends one datagram: it "
		    "cannot go with --chunk");
	return -1;
}

/* "IPv4" or "IPv6" for ss's family. */
static const char *
udp_fam(const struct sockaddr_storage *ss)
{
	return dgram_family_name(ss->ss_family);
}

/* --join with its ADDRESS and -4/-6; returns -1 or EXIT_USAGE. */
static int
udp_check_join(const struct cmd_ctx *c, const struct udp_opts *o)
{
	const struct cmd_entry	*e = &cmd_udp_entry;
	struct sockaddr_storage	 ss;
	int			 fam = o->group.ss_family;

	if (o->source != NULL && o->srcaddr.ss_family != fam)
		return cmd_usage_error(e, "--source '%s' is %s but --join "
		    "'%s' is %s: give both of one family", o->source,
		    udp_fam(&o->srcaddr), o->join, udp_fam(&o->group));
	if (c->family != AF_UNSPEC && c->family != fam)
		return cmd_usage_error(e, "--join '%s' is %s: it cannot go "
		    "with -%c", o->join, udp_fam(&o->group),
		    c->family == AF_INET ? '4' : '6');
	if (c->argc == 2 && mcast_numeric(c->argv[0], &ss) == 0 &&
	    ss.ss_family != fam)
		return cmd_usage_error(e, "ADDRESS '%s' is %s but --join '%s' "
		    "is %s: listen on the group's family", c->argv[0],
		    udp_fam(&ss), o->join, udp_fam(&o->group));
	return -1;
}

/*
 * Broadcast and multicast options in their place: the server joins, the
 * client sends.  Returns -1 or EXIT_USAGE.
 */
static int
udp_check_mcast(const struct cmd_ctx *c, const struct udp_opts *o)
{
	const struct cmd_entry	*e = &cmd_udp_entry;
	struct sockaddr_storage	 ss;

	if (o->unix_path != NULL && (o->join || o->iface || o->ms.broadcast ||
	    o->ms.ttl >= 0 || o->ms.loop))
		return cmd_usage_error(e, "--broadcast, --join, --iface, "
		    "--ttl, --hops and --multicast-loop are for IP: they "
		    "cannot go with -U");
	if (o->listen && (o->ms.broadcast || o->ms.loop))
		return cmd_usage_error(e, "--broadcast and --multicast-loop "
		    "are for the client's sends: they cannot go with -l");
	if (!o->listen && (o->join || o->source))
		return cmd_usage_error(e, "--join and --source are for the "
		    "server: they need -l");
	if (o->source != NULL && o->join == NULL)
		return cmd_usage_error(e, "--source needs --join GROUP: it "
		    "names the one sender of the group to hear");
	if (o->listen && o->iface != NULL && o->join == NULL)
		return cmd_usage_error(e, "--iface on the server needs --join "
		    "GROUP: it names the interface to join on");
	if (o->join != NULL)
		return udp_check_join(c, o);
	if (!o->listen && (o->iface || o->ms.loop) && c->argc == 2 &&
	    mcast_numeric(c->argv[0], &ss) == 0 &&
	    !mcast_is_group((struct sockaddr *)&ss))
		return cmd_usage_error(e, "--iface and --multicast-loop are "
		    "for sends to a multicast group: '%s' is not one",
		    c->argv[0]);
	return -1;
}

/* -o, --hex-dump and -d in their place; returns -1 or EXIT_USAGE. */
static int
udp_check_session(const struct cmd_ctx *c, const struct udp_opts *o)
{
	const struct cmd_entry	*e = &cmd_udp_entry;
	const struct stream_opts *so = &c->stream;

	if (o->listen && so->delay_ms > 0)
		return cmd_usage_error(e, "-d paces the client's datagrams: it "
		    "cannot go with -l");
	if ((o->zero || o->data != NULL) && so->delay_ms > 0)
		return cmd_usage_error(e, "-d paces datagrams: -z and --data "
		    "send one");
	if (o->listen && o->mode != UDP_RELAY && (so->log_path != NULL ||
	    so->hexlog_path != NULL))
		return cmd_usage_error(e, "-o and --hex-dump work in relay "
		    "mode only, not --mode %s", udp_mode_names[o->mode]);
	if (o->exec.cmd != NULL && stream_session_only(so) != NULL)
		return cmd_usage_error(e, "--%s gives the datagrams to the "
		    "program: it cannot go with %s", o->exec.shell ?
		    "sh-exec" : "exec", stream_session_only(so));
	return -1;
}

/*
 * udp's operands and options together: -U or HOST PORT, the client's and
 * the server's options in their place.  Returns -1 or EXIT_USAGE.
 */
static int
udp_check(struct cmd_ctx *c, void *arg)
{
	const struct udp_opts	*o = arg;
	const struct cmd_entry	*e = c->cmd;
	char			 why[300];

	if (cmd_check_addrs(e, o->unix_path == NULL && c->argc == 2 ?
	    c->argv[0] : NULL, o->src.host, o->unix_path) != -1 ||
	    cmd_check_priv(o->c) != -1)
		return EXIT_USAGE;

	if (o->unix_path != NULL) {
		if (c->argc != 0)
			return cmd_usage_error(e, "-U PATH takes no %s",
			    o->listen ? "ADDRESS or PORT" : "HOST or PORT");
		if (o->c->family != AF_UNSPEC || o->src.host || o->src.port)
			return cmd_usage_error(e, "-U cannot go with -4, -6, "
			    "-s or -p");
		if (cmd_check_unix(c, o->acl.n, "socket", "IP traffic") != -1)
			return EXIT_USAGE;
	} else {
		if (o->listen && c->argc != 1 && c->argc != 2)
			return cmd_usage_error(e, "expected [ADDRESS] PORT, "
			    "got %d arguments", c->argc);
		if (!o->listen && c->argc != 2)
			return cmd_usage_error(e, "expected HOST PORT, got %d "
			    "argument%s", c->argc, c->argc == 1 ? "" : "s");
		if (o->unlink_existing)
			return cmd_usage_error(e, "--unlink needs -U PATH");
	}
	if (udp_check_roles(o) != -1 || udp_check_mcast(c, o) != -1 ||
	    udp_check_session(c, o) != -1 || exec_check(c, &o->exec) != -1)
		return EXIT_USAGE;
	if (o->unix_path == NULL && net_parse_port(c->argv[c->argc - 1], "udp",
	    o->listen, &(uint16_t){ 0 }, why, sizeof why) == -1)
		return cmd_usage_error(e, "%s", why);
	return -1;
}

/* Why socket() failed; for --type rdm, that the system lacks the type. */
static const char *
udp_socket_why(int socktype, int e, char *buf, size_t len)
{
	if (socktype != SOCK_DGRAM && (e == ESOCKTNOSUPPORT ||
	    e == EPROTONOSUPPORT || e == EPROTOTYPE || e == EAFNOSUPPORT ||
	    e == EINVAL))
		snprintf(buf, len, "SOCK_RDM sockets: %s (this system does not "
		    "offer reliable datagrams here)", strerror(e));
	else
		snprintf(buf, len, "%s", strerror(e));
	return buf;
}

/*
 * How the client's socket fd sends to ai: broadcast, TTL, multicast loop
 * and interface.  Returns 0, or -1 with err (--iface for no group).
 */
static int
udp_send_setup(int fd, const struct addrinfo *ai, const struct udp_opts *o,
    char *err, size_t errlen)
{
	int	 group = mcast_is_group(ai->ai_addr);

	if (o->iface != NULL && !group) {
		snprintf(err, errlen, "--iface '%s': not a multicast group, "
		    "and --iface picks the interface of multicast sends only",
		    o->iface);
		return -1;
	}
	if (!group && !o->ms.broadcast && o->ms.ttl < 0)
		return 0;
	return mcast_send_opts(fd, ai->ai_family, &o->ms, err, errlen);
}

/*
 * Open the client socket for one resolved address: bind -s/-p, ask for
 * ICMP errors, connect unless --unconnected.  Returns 0 with p->fd set or
 * -1 with a message in err.
 */
static int
udp_open_ip(const struct addrinfo *ai, const struct udp_opts *o,
    struct udp_peer *p, char *err, size_t errlen)
{
	char	 why[256];
	int	 fd, rcvbuf = 4 << 20;

	memcpy(&p->sa, ai->ai_addr, ai->ai_addrlen);
	p->salen = ai->ai_addrlen;
	p->max = dgram_max_payload(ai->ai_family);
	fd = socket(ai->ai_family, o->socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1) {
		snprintf(err, errlen, "%s", udp_socket_why(o->socktype, errno,
		    why, sizeof why));
		return -1;
	}
	if (net_bind_source(fd, ai->ai_family, o->socktype, &o->src, err,
	    errlen) == -1)
		goto fail;
	if (udp_send_setup(fd, ai, o, err, errlen) == -1)
		goto fail;
	dgram_recverr(fd, ai->ai_family);
	/* Room for replies that come while we send (the kernel caps it). */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	if (!o->unconnected && connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		snprintf(err, errlen, "%s%s", strerror(errno), errno ==
		    EACCES && !o->ms.broadcast ? UDP_BROADCAST_HINT : "");
		goto fail;
	}
	p->fd = fd;
	return 0;
fail:
	close(fd);
	return -1;
}

/* Resolve host and open the client socket; returns 0 or -1 (reported). */
static int
udp_open_client(const char *host, const char *portstr,
    const struct udp_opts *o, struct udp_peer *p)
{
	struct addrinfo	*res, *ai;
	uint16_t	 port;
	char		 err[300], addr[NET_ADDRSTRLEN];
	int		 rc = -1;

	if (net_parse_port(portstr, "udp", 0, &port, err, sizeof err) == -1 ||
	    net_resolve(host, port, o->c->family, SOCK_DGRAM, 0, &res, err,
	    sizeof err) == -1) {
		sk_warnx("udp: %s", err);
		return -1;
	}
	for (ai = res; ai != NULL && rc == -1; ai = ai->ai_next) {
		snprintf(p->name, sizeof p->name, "%s port %u",
		    net_addr_scoped(ai->ai_addr, addr, sizeof addr), port);
		if ((rc = udp_open_ip(ai, o, p, err, sizeof err)) == -1)
			sk_warnx("udp %s: %s", p->name, err);
	}
	freeaddrinfo(res);
	return rc;
}

/*
 * Open the Unix client socket: bound to a temporary path (in tmppath) so
 * replies can come back, connected to path unless --unconnected.
 * Returns 0 or -1 (reported).
 */
static int
udp_open_unix(const struct udp_opts *o, struct udp_peer *p, char *tmppath,
    size_t tmplen)
{
	struct sockaddr_un	*sun = (struct sockaddr_un *)&p->sa;
	char			 err[300], why[256];

	snprintf(p->name, sizeof p->name, "%s", o->unix_path);
	p->max = DGRAM_MAX_UNIX;
	if (strlen(o->unix_path) >= sizeof sun->sun_path) {
		sk_warnx("udp: bad socket path '%s': longer than %zu bytes",
		    o->unix_path, sizeof sun->sun_path - 1);
		return -1;
	}
	sun->sun_family = AF_UNIX;
	strcpy(sun->sun_path, o->unix_path);
	p->salen = sizeof *sun;
	if ((p->fd = socket(AF_UNIX, o->socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		sk_warnx("udp %s: %s", p->name, udp_socket_why(o->socktype,
		    errno, why, sizeof why));
		return -1;
	}
	if (dgram_unix_bind_temp(p->fd, tmppath, tmplen, err,
	    sizeof err) == -1) {
		sk_warnx("udp: %s", err);
		close(p->fd);
		return -1;
	}
	sk_verbose("udp: replies come to %s", tmppath);
	if (!o->unconnected && connect(p->fd, (struct sockaddr *)sun,
	    p->salen) == -1) {
		sk_warnx("udp %s: %s", p->name, net_unix_why(o->unix_path,
		    errno, why, sizeof why));
		close(p->fd);
		dgram_unix_unbind_temp(tmppath);
		return -1;
	}
	return 0;
}

/* -z: ask once and say what came back; returns the exit status. */
static int
udp_zero(const struct udp_peer *p, const struct udp_opts *o)
{
	static const char	*names[] = {
		[UDP_OPEN] = "open", [UDP_CLOSED] = "closed",
		[UDP_FILTERED] = "filtered",
		[UDP_OPEN_FILTERED] = "open|filtered",
	};
	enum udp_zero_result	 res;
	char			 why[300];

	if (udp_zero_run(p, o, &res, why, sizeof why) == -1) {
		if (!sk_interrupted)
			sk_warnx("udp %s: %s", p->name, why);
		return EXIT_RUNTIME;
	}
	printf("udp %s: %s: %s\n", p->name, names[res], why);
	return res == UDP_OPEN ? EXIT_OK : EXIT_RUNTIME;
}

/*
 * --trace on the client: the socket is bound (connect() on a datagram
 * socket sends nothing, so nothing has left yet); capture its datagrams
 * and the ICMP errors about them.  Returns 0 or -1 (reported).
 */
static int
udp_capture_client(struct udp_peer *p, const struct udp_opts *o)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	char			 err[300];

	if (getsockname(p->fd, (struct sockaddr *)&ss, &len) == -1 ||
	    (net_addr_port((struct sockaddr *)&ss) == 0 &&
	    (bind(p->fd, (struct sockaddr *)&ss, len) == -1 ||
	    getsockname(p->fd, (struct sockaddr *)&ss, &len) == -1))) {
		sk_warnx("udp %s: %s", p->name, strerror(errno));
		return -1;
	}
	if (capture_filter(o->c->capture, IPPROTO_UDP, (struct sockaddr *)&ss,
	    o->unconnected ? NULL : (struct sockaddr *)&p->sa, err,
	    sizeof err) == -1) {
		sk_warnx("udp: %s", err);
		return -1;
	}
	capture_set_local(o->c->capture, (struct sockaddr *)&ss);
	return 0;
}

/* The client: open, then -z or the relay; returns the exit status. */
static int
udp_client(char **argv, const struct udp_opts *o)
{
	struct udp_peer		 p;
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	char			 tmppath[sizeof(struct sockaddr_un)];
	char			 err[512], addr[NET_ADDRSTRLEN + 16];
	int			 rc;

	memset(&p, 0, sizeof p);
	tmppath[0] = '\0';
	if ((o->unix_path != NULL ? udp_open_unix(o, &p, tmppath,
	    sizeof tmppath) : udp_open_client(argv[0], argv[1], o, &p)) == -1)
		return EXIT_RUNTIME;
	/* The socket is bound (-p below 1024 too): root is done with. */
	if ((o->c->capture != NULL && udp_capture_client(&p, o) == -1) ||
	    ((o->c->capture != NULL || o->c->priv.user != NULL) &&
	    cmd_drop_privileges(o->c) != -1)) {
		close(p.fd);
		return EXIT_RUNTIME;
	}
	if (o->unconnected)
		sk_verbose("udp to %s, unconnected: replies from anywhere",
		    p.name);
	else if (o->unix_path == NULL && getsockname(p.fd,
	    (struct sockaddr *)&ss, &len) == 0)
		sk_verbose("udp to %s from %s", p.name, dgram_addr_name(
		    (struct sockaddr *)&ss, len, addr, sizeof addr));
	if (o->zero)
		rc = udp_zero(&p, o);
	else if (udp_client_run(&p, o, err, sizeof err) == -1) {
		if (!sk_interrupted)
			sk_warnx("udp %s: %s", p.name, err);
		rc = EXIT_RUNTIME;
	} else
		rc = EXIT_OK;
	close(p.fd);
	cmd_linger(o->c);	/* the last answers, or ICMP */
	if (tmppath[0] != '\0')
		dgram_unix_unbind_temp(tmppath);
	return rc;
}

/* The address family fd is bound in; AF_UNSPEC when unknown. */
static int
udp_sock_family(int fd)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return AF_UNSPEC;
	return ss.ss_family;
}

/* Open the server socket; returns it or -1 (reported). */
static int
udp_open_server(const struct udp_opts *o)
{
	char	 why[300];
	int	 fd, rcvbuf = 4 << 20;

	fd = cmd_listen_socket(o->c, o->unix_path, o->socktype, 0,
	    o->unlink_existing, "udp", why, sizeof why);
	if (fd == -1) {
		if (o->socktype != SOCK_DGRAM)
			sk_warnx("udp --type rdm: %s", why);
		else
			sk_warnx("udp: %s", why);
		return -1;
	}
	/* Bursts from many senders wait here (the kernel caps it). */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	if ((o->join != NULL && mcast_join(fd, &o->group, o->source != NULL ?
	    &o->srcaddr : NULL, o->ms.ifindex, why, sizeof why) == -1) ||
	    (o->ms.ttl >= 0 && mcast_send_opts(fd, o->group.ss_family != 0 ?
	    o->group.ss_family : udp_sock_family(fd), &o->ms, why,
	    sizeof why) == -1)) {
		sk_warnx("udp: %s", why);
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Where the server's socket is bound (AF_UNIX when getsockname() could
 * not say), read once: for "Listening on", the capture's filter, and
 * --exec's sockets for the next senders.
 */
struct udp_where {
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	int			 v6only;	/* --exec: as the first socket */
};

/* "Listening on ADDRESS PORT" (or PATH), once ready to take datagrams. */
static void
udp_say_listening(const struct udp_where *w, const struct udp_opts *o)
{
	const struct sockaddr	*sa = (const struct sockaddr *)&w->ss;
	char			 addr[NET_ADDRSTRLEN];

	if (o->unix_path != NULL)
		fprintf(stderr, "Listening on %s\n", o->unix_path);
	else if (sa->sa_family != AF_UNIX)
		fprintf(stderr, "Listening on %s %d\n",
		    net_addr_scoped(sa, addr, sizeof addr), net_addr_port(sa));
	fflush(stderr);
}

/*
 * --exec: a socket for the next sender, bound where fd (given to the
 * last one) was, both with SO_REUSEADDR: the kernel gives a connected
 * socket its sender's datagrams, this one the rest.  Returns it, or -1
 * with err.
 */
static int
udp_exec_reopen(void *arg, char *err, size_t errlen)
{
	const struct udp_where	*w = arg;
	int			 fd, on = 1;

	fd = socket(w->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on,
	    sizeof on) == -1 || (w->ss.ss_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &w->v6only,
	    sizeof w->v6only) == -1) || bind(fd,
	    (const struct sockaddr *)&w->ss, w->len) == -1) {
		snprintf(err, errlen, "udp: a socket for the next sender: %s "
		    "(is the port below 1024, and root given up?)",
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	return fd;
}

/*
 * udp -l --exec: a child for each new sender, as ncat does (see
 * exec_serve_run()).  Takes fd, bound at where.  Returns the exit
 * status.
 */
static int
udp_exec(int fd, struct udp_where *where, const struct udp_opts *o)
{
	struct exec_serve	 es;
	socklen_t		 ilen = sizeof where->v6only;
	int			 on = 1;

	if (where->ss.ss_family == AF_INET6)
		getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &where->v6only,
		    &ilen);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	set_nonblock(fd, 0);
	fprintf(stderr, "Running %s for every sender\n", o->exec.name);
	fflush(stderr);
	memset(&es, 0, sizeof es);
	es.listen_fd = fd;
	es.keep = 1;
	es.max_conns = 100;
	es.acl = &o->acl;
	es.spec = &o->exec;
	es.proto = "udp";
	es.capture = o->c->capture;
	es.reopen = udp_exec_reopen;
	es.reopen_arg = where;
	return exec_serve_run(&es);
}

/* The server: returns the exit status. */
static int
udp_server(const struct udp_opts *o)
{
	struct udp_where	 where = { .len = sizeof where.ss };
	char			 err[512];
	int			 fd, rc = EXIT_OK;

	if ((fd = udp_open_server(o)) == -1)
		return EXIT_RUNTIME;
	if (getsockname(fd, (struct sockaddr *)&where.ss, &where.len) == -1)
		where.ss.ss_family = AF_UNIX;
	if (o->c->capture != NULL && capture_filter(o->c->capture, IPPROTO_UDP,
	    (struct sockaddr *)&where.ss, NULL, err, sizeof err) == -1) {
		sk_warnx("udp: %s", err);
		close(fd);
		return EXIT_RUNTIME;
	}
	/* Bound, even below 1024, and capturing: root is done with. */
	if ((o->c->capture != NULL || o->c->priv.user != NULL) &&
	    cmd_drop_privileges(o->c) != -1) {
		close(fd);
		return EXIT_RUNTIME;
	}
	udp_say_listening(&where, o);
	if (o->exec.cmd != NULL)
		return udp_exec(fd, &where, o);
	if (udp_serve_run(fd, where.ss.ss_family, o, err, sizeof err) == -1) {
		sk_warnx("udp: %s", err);
		rc = EXIT_RUNTIME;
	}
	close(fd);
	if (o->unix_path != NULL)
		unlink(o->unix_path);
	return rc;
}

/* Open the capture, then the server or the client; the exit status. */
static int
udp_start(struct cmd_ctx *c, void *arg)
{
	struct udp_opts		*o = arg;
	struct sockaddr_storage	 ss;
	int			 rc;

	/*
	 * The server listens on the group's family; the client hears the
	 * replies to a broadcast or a (numeric) group from every receiver.
	 */
	if (o->join != NULL)
		c->family = o->group.ss_family;
	if (!o->listen && o->unix_path == NULL && (o->ms.broadcast ||
	    (mcast_numeric(c->argv[0], &ss) == 0 &&
	    mcast_is_group((struct sockaddr *)&ss))))
		o->unconnected = 1;
	/* Without -w the client waits 2 s for late replies, unless -q. */
	if (!o->listen && o->wait_ms < 0 && (o->quit_ms < 0 || o->zero))
		o->wait_ms = 2000;
	if ((rc = cmd_capture_open(c)) != -1)
		return rc;
	if (o->listen)
		return udp_server(o);
	return udp_client(c->argv, o);
}

const struct cmd_entry cmd_udp_entry = {
	.name = "udp",
	.summary = "UDP and Unix datagram client and server; -z probes a port",
	.usage =
	    "udp [options] HOST PORT\n"
	    "       sockkit udp [options] -U PATH\n"
	    "       sockkit udp -l [options] [ADDRESS] PORT\n"
	    "       sockkit udp -l [options] -U PATH\n"
	    "\n"
	    "  -4, -6            use IPv4 or IPv6 only\n"
	    "  -U PATH           use a Unix datagram socket\n"
	    "  -l                server: take datagrams from every sender\n"
	    "  -s ADDR           client: send from this source address\n"
	    "  -p PORT           client: send from this source port\n"
	    "  -w SECS           client: wait SECS for late replies after the "
	    "last datagram\n"
	    "                    (default 2; with -z, for the answer); server: "
	    "--to-all\n"
	    "                    sends to senders seen in the last SECS\n"
	    "  -q SECS           quit SECS after EOF on stdin, whatever still "
	    "comes\n"
	    "  -z                client: probe the port: open, closed or "
	    "open|filtered\n"
	    "      --data STRING client: send STRING as the one datagram, not "
	    "stdin\n"
	    "      --chunk       send each read of stdin as one datagram, not "
	    "each line\n"
	    "      --unconnected client: sendto/recvfrom; hear replies from "
	    "any address\n"
	    "      --mode MODE   server: relay (stdin/stdout, default), echo "
	    "or time\n"
	    "      --to-all      server relay: stdin to every recent sender, "
	    "not the last\n"
	    "      --exec 'PROG ARGS' server: run PROG for each new sender, "
	    "its\n"
	    "                    stdin/stdout a socket connected to it\n"
	    "      --sh-exec CMD server: the same with /bin/sh -c CMD\n"
	    "      --allow CIDR  server: take datagrams from this block only "
	    "(repeatable)\n"
	    "      --deny CIDR   server: drop datagrams from this block "
	    "(repeatable)\n"
	    "      --unlink      server with -U: replace an existing socket "
	    "file\n"
	    "      --type TYPE   socket type: dgram (default) or rdm "
	    "(SOCK_RDM)\n"
	    "      --broadcast   client: allow sending to a broadcast address "
	    "(SO_BROADCAST)\n"
	    "      --join GROUP  server: join the IPv4 or IPv6 multicast "
	    "group GROUP\n"
	    "      --source ADDR server with --join: hear the group from "
	    "ADDR only (SSM)\n"
	    "      --iface IF    the interface --join joins on, or that "
	    "multicast sends\n"
	    "                    leave by\n"
	    "      --ttl N       TTL (IPv4) or hop limit (IPv6) of sent "
	    "datagrams, 0-255\n"
	    "      --hops N      the same as --ttl\n"
	    "      --multicast-loop client: this host's members of the group "
	    "hear it too\n"
	    "  -o, --output FILE write a copy of the datagrams (both ways) "
	    "to FILE\n"
	    "      --hex-dump FILE  write them to FILE as a hex dump (ncat's)\n"
	    "      --append-output  -o and --hex-dump append instead of "
	    "replacing\n"
	    "  -d, --delay SECS  client: wait SECS between the datagrams "
	    "sent\n"
	    "  -v                report datagrams, senders and drops on "
	    "stderr\n"
	    "  -h, --help        show this help\n"
	    CAPTURE_USAGE
	    PRIV_USAGE,
	.flags = CMD_CAPTURE | CMD_PRIV | CMD_SESSION,
	.shorts = "46U:d:lo:p:q:s:vw:z",
	.longs = "data chunk unconnected mode to-all allow deny unlink type "
	    "broadcast join source iface ttl hops multicast-loop exec sh-exec",
	.size = sizeof(struct udp_opts), .init = udp_init, .option = udp_option,
	.check = udp_check, .run = udp_start, .fini = udp_fini,
};
