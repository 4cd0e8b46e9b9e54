/*
 * cmd-connect.c: "sockkit connect", the stream client.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "exec.h"
#include "cmd-connect.h"
#include "net.h"
#include "relay.h"
#include "targets.h"
#include "tlsrelay.h"
#include "util.h"

/* connect's own options, -s, -p, -z, --proxy; the shared ones are in c. */
struct connect_opts {
	struct net_source src;
	int		 zero;
	int		 ports;		/* -z with a list or range of ports */
	struct connect_proxy proxy;
	struct cmd_ctx	*c;
	const struct stream_opts *so;	/* &c->stream */
	struct exec_spec exec;		/* --exec, --sh-exec */
};

/* Where connect's options find the shared ones. */
static void
connect_init(struct cmd_ctx *c, void *arg)
{
	struct connect_opts	*o = arg;

	o->c = c;
	o->so = &c->stream;
	o->proxy.type = PROXY_SOCKS5;
}

static void	connect_close(int, const struct connect_opts *);

/* What connect's options hold: the --exec program. */
static void
connect_fini(void *arg)
{
	struct connect_opts	*o = arg;

	exec_free(&o->exec);
}

/* connect's own options (cmd_option_fn); 0 or -1 with err. */
static int
connect_option(void *arg, int ch, const char *val, char *err, size_t errlen)
{
	struct connect_opts	*o = arg;

	switch (ch) {
	case 'p':
		return cmd_port_option(val, "tcp", &o->src.port, err, errlen);
	case 's': o->src.host = val; return 0;
	case 'z': o->zero = 1; return 0;
	case OPT_EXEC:
	case OPT_SH_EXEC:
		return exec_option(&o->exec, ch, val, err, errlen);
	case OPT_PROXY:
	case OPT_PROXY_TYPE:
	case OPT_PROXY_AUTH:
	case OPT_PROXY_DNS:
		return connect_proxy_option(&o->proxy, ch, val, err, errlen);
	}
	snprintf(err, errlen, "unexpected option");
	return -1;
}

/*
 * connect's PORT: one port, or with -z a list or range of them (which
 * probe's engine checks: no source, no capture, no proxy).  Returns -1
 * or EXIT_USAGE.
 */
static int
connect_check_port(struct cmd_ctx *c, struct connect_opts *o)
{
	const struct cmd_entry	*e = c->cmd;
	struct tgt_ports	 ports;
	char			 why[300], why2[300];
	int			 one;

	one = net_parse_port(c->argv[1], "tcp", 0, &(uint16_t){ 0 }, why,
	    sizeof why) == 0;
	if ((one && !(o->zero && connect_nc_style())) || o->proxy.spec != NULL)
		return one ? -1 : cmd_usage_error(e, "%s%s", why,
		    o->zero ? ": --proxy checks one port" : "");
	if (tgt_ports_parse(c->argv[1], "tcp", &ports, why2,
	    sizeof why2) == -1)
		return cmd_usage_error(e, "%s", one ? why2 : why);
	tgt_ports_free(&ports);
	if (!o->zero)
		return cmd_usage_error(e, "PORT '%s' is a list or range of "
		    "ports: only -z takes one", c->argv[1]);
	if (o->src.host != NULL || o->src.port != 0 ||
	    capture_wanted(&o->c->cap) || o->c->priv.user != NULL)
		return cmd_usage_error(e, "a list of ports cannot go with -s, "
		    "-p, --user or a capture (sockkit probe --trace draws "
		    "them)");
	o->ports = 1;
	return -1;
}

/* Reject what cannot go together; returns -1 or EXIT_USAGE. */
static int
connect_check(struct cmd_ctx *c, void *arg)
{
	const struct cmd_entry	*e = c->cmd;
	struct connect_opts	*o = arg;
	const struct stream_opts *so = o->so;
	const char		*bad;
	char			 why[300];

	if (cmd_check_addrs(e, so->unix_path == NULL && c->argc == 2 ?
	    c->argv[0] : NULL, o->src.host, so->unix_path) != -1)
		return EXIT_USAGE;
	if (so->unix_path != NULL) {
		if (c->argc != 0)
			return cmd_usage_error(e, "-U PATH takes no HOST or "
			    "PORT");
		if (o->c->family != AF_UNSPEC || o->src.host || o->src.port)
			return cmd_usage_error(e, "-U cannot go with -4, -6, "
			    "-s or -p");
	} else {
		if (c->argc != 2)
			return cmd_usage_error(e, "expected HOST PORT, got %d "
			    "argument%s", c->argc, c->argc == 1 ? "" : "s");
		if (so->seqpacket)
			return cmd_usage_error(e, "--seqpacket needs -U PATH");
	}
	if (cmd_check_priv(o->c) != -1)
		return EXIT_USAGE;
	if (stream_check_tls(so, 0, why, sizeof why) == -1)
		return cmd_usage_error(e, "%s", why);
	if (so->unix_path != NULL && capture_wanted(&o->c->cap))
		return cmd_usage_error(e, "--trace, --json and --write capture "
		    "TCP: they cannot go with -U");
	if (o->zero && stream_relay_only(so))
		return cmd_usage_error(e, "-z sends no data: it cannot go with "
		    "-q, -C, -x or --no-shutdown");
	if (o->zero && stream_session_only(so) != NULL)
		return cmd_usage_error(e, "-z sends no data: it cannot go with "
		    "%s", stream_session_only(so));
	if (o->exec.cmd != NULL && (o->zero || stream_relay_only(so)))
		return cmd_usage_error(e, "--%s gives the connection to the "
		    "program: it cannot go with -z, -q, -C, -x or "
		    "--no-shutdown", o->exec.shell ? "sh-exec" : "exec");
	if (o->exec.cmd != NULL && stream_session_only(so) != NULL)
		return cmd_usage_error(e, "--%s gives the connection to the "
		    "program: it cannot go with %s", o->exec.shell ?
		    "sh-exec" : "exec", stream_session_only(so));
	if (o->exec.cmd != NULL && so->tls.on)
		return cmd_usage_error(e, "--%s hands the program the socket "
		    "itself, so its bytes would go unencrypted: it cannot go "
		    "with --tls", o->exec.shell ? "sh-exec" : "exec");
	if (exec_check(o->c, &o->exec) != -1)
		return EXIT_USAGE;
	if (o->exec.cmd != NULL && o->proxy.spec != NULL)
		return cmd_usage_error(e, "--%s cannot go with --proxy",
		    o->exec.shell ? "sh-exec" : "exec");
	if (so->unix_path != NULL && o->proxy.spec != NULL)
		return cmd_usage_error(e, "--proxy cannot go with -U");
	if ((bad = connect_proxy_check(&o->proxy, why, sizeof why)) != NULL)
		return cmd_usage_error(e, "%s", bad);
	if (so->unix_path == NULL)
		return connect_check_port(c, o);
	return -1;
}

/* While a connect waits with no -w: say that the kernel retries SYNs. */
static void
connect_on_wait(int fd, long waited_ms, void *arg)
{
	struct tcp_info	 ti;
	socklen_t	 len = sizeof ti;
	int		*seen = arg;

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == -1 ||
	    ti.tcpi_retransmits == *seen)
		return;
	*seen = ti.tcpi_retransmits;
	sk_verbose("no answer after %.1f s: the kernel is retrying the SYN "
	    "(%d retransmission%s so far; -w SECS gives up sooner)",
	    waited_ms / 1000.0, *seen, *seen == 1 ? "" : "s");
}

/*
 * Before connect() sends the SYN: filter the capture on this exact
 * connection (the port is bound already, so -p below 1024 worked as
 * root), drop root, and draw the call.  Returns 0 or -1 with err.
 */
static int
connect_before(int fd, const struct addrinfo *ai, void *arg, char *err,
    size_t errlen)
{
	struct connect_opts	*o = arg;
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	char			 what[160], addr[NET_ADDRSTRLEN];

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1) {
		snprintf(err, errlen, "getsockname: %s", strerror(errno));
		return -1;
	}
	if ((o->c->capture != NULL && capture_filter(o->c->capture, IPPROTO_TCP,
	    (struct sockaddr *)&ss, ai->ai_addr, err, errlen) == -1) ||
	    priv_drop(&o->c->priv, err, errlen) == -1)
		return -1;
	if (o->c->capture == NULL)	/* --user alone: dropped, bound */
		return 0;
	capture_set_local(o->c->capture, (struct sockaddr *)&ss);
	snprintf(what, sizeof what, "connect() to %s port %d from port %d",
	    net_addr_scoped(ai->ai_addr, addr, sizeof addr),
	    net_addr_port(ai->ai_addr), net_addr_port((struct sockaddr *)&ss));
	capture_call(o->c->capture, what, 0);
	return 0;
}

/* One connect attempt, with the capture told what happened. */
static int
connect_one(const struct addrinfo *ai, const struct connect_opts *o,
    int *seen, char *err, size_t errlen)
{
	struct net_source	 src = o->src;
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	int			 fd, e;

	if (o->c->capture == NULL && o->c->priv.user == NULL)
		return net_connect(ai, &o->src, o->so->wait_ms, sk_verbosity ?
		    connect_on_wait : NULL, seen, err, errlen);
	src.bind_now = 1;
	fd = net_connect_hook(ai, &src, o->so->wait_ms, sk_verbosity ?
	    connect_on_wait : NULL, seen, connect_before, (void *)o, err,
	    errlen);
	if (o->c->capture == NULL)	/* --user alone: nothing to draw */
		return fd;
	e = errno;
	if (fd == -1) {
		capture_call(o->c->capture, "connect()", e);
		capture_linger(o->c->capture);
	} else {
		if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
			capture_set_local(o->c->capture,
			    (struct sockaddr *)&ss);
		capture_call(o->c->capture, "connect() returned: connected", 0);
	}
	errno = e;
	return fd;
}

/*
 * Try each address of host in turn.  Returns the connected fd with the
 * peer's name in peer, or -1 after saying why each address failed.
 */
static int
connect_tcp(const char *host, uint16_t port, const struct connect_opts *o,
    char *peer, size_t peerlen)
{
	struct addrinfo	*res, *ai;
	char		 addr[NET_ADDRSTRLEN], err[300];
	int		 fd = -1, seen = 0, e;

	if (net_resolve(host, port, o->c->family, SOCK_STREAM, 0, &res, err,
	    sizeof err) == -1) {
		sk_warnx("connect: %s", err);
		return -1;
	}
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next) {
		net_addr_scoped(ai->ai_addr, addr, sizeof addr);
		snprintf(peer, peerlen, "%s%s port %u", o->proxy.spec ?
		    "proxy " : "", addr, port);
		sk_verbose("connecting to %s%s%s", peer, strcmp(host, addr) ?
		    " for " : "", strcmp(host, addr) ? host : "");
		seen = 0;
		fd = connect_one(ai, o, &seen, err, sizeof err);
		if (fd != -1 || sk_interrupted)
			break;
		e = errno;
		if (o->zero && sk_verbosity == 0)
			continue;	/* -z: the exit status says it */
		if (err[0] != '\0')
			sk_warnx("connect %s: %s", peer, err);
		else if (e == ETIMEDOUT && o->so->wait_ms >= 0)
			sk_warnx("connect %s: timed out after %.3g s (-w)",
			    peer, o->so->wait_ms / 1000.0);
		else
			sk_warnx("connect %s: %s", peer, strerror(e));
	}
	freeaddrinfo(res);
	return fd;
}

/*
 * Connect to the proxy, then ask it for host port.  Returns the fd of the
 * tunnel with its name in peer, or -1 after saying why.
 */
static int
connect_via_proxy(struct connect_opts *o, const char *host,
    const char *portstr, char *peer, size_t peerlen)
{
	struct connect_proxy	*p = &o->proxy;
	uint16_t		 port = 0;
	char			 err[400], via[NET_ADDRSTRLEN + 32];
	int			 fd;

	if (net_parse_port(portstr, "tcp", 0, &port, err, sizeof err) == -1 ||
	    (fd = connect_tcp(p->host, p->port, o, via, sizeof via)) == -1)
		return -1;
	sk_verbose("connected to %s (%s): asking for %s port %u", via,
	    proxy_type_name(p->type), host, port);
	if (connect_proxy_run(p, fd, host, port, o->c->family,
	    o->so->wait_ms, o->c->capture, err, sizeof err) == -1) {
		sk_warnx("connect: %s: %s", via, err);
		connect_close(fd, o);
		return -1;
	}
	snprintf(peer, peerlen, "%s port %u through %s", host, port, via);
	return fd;
}

/* Say where we are connected from and to. */
static void
connect_report(int fd, const char *peer)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	char			 addr[NET_ADDRSTRLEN];

	if (sk_verbosity == 0 || getsockname(fd, (struct sockaddr *)&ss,
	    &len) == -1)
		return;
	sk_verbose("connected to %s from %s port %d", peer,
	    net_addr_scoped((struct sockaddr *)&ss, addr, sizeof addr),
	    net_addr_port((struct sockaddr *)&ss));
}

/*
 * Relay stdin/stdout over fd, over TLS with tc (host the name to check);
 * returns the exit status.
 */
static int
connect_relay(int fd, const char *peer, struct tls_ctx *tc, const char *host,
    const struct connect_opts *o)
{
	struct relay_opts	 r;

	stream_relay_opts(o->so, fd, peer, &r);
	capture_hook_relay(o->c->capture, &r);
	if (tc != NULL)
		return tlsrelay_run(tc, fd, host, o->so->wait_ms, &r, o->zero);
	return relay_command(&r);
}

/* Close the connection, telling the capture, which then lingers. */
static void
connect_close(int fd, const struct connect_opts *o)
{
	capture_close_fd(o->c->capture, fd, "close()");
	cmd_linger(o->c);
}

/*
 * Open the capture the options ask for, connect, then check (-z) or
 * relay; returns the exit status.
 */
static int
connect_run(struct cmd_ctx *c, void *arg)
{
	struct connect_opts	*o = arg;
	char			**argv = c->argv;
	uint16_t		 port = 0;
	char			 peer[NET_ADDRSTRLEN + 300], why[300];
	struct tls_ctx		*tc = NULL;
	int			 rc, fd;

	if ((rc = cmd_capture_open(c)) != -1)
		return rc;
	if (o->so->tls.on && (tc = tlsrelay_ctx(&o->so->tls, 0,
	    "connect")) == NULL)
		return EXIT_RUNTIME;

	if (o->so->unix_path != NULL) {
		snprintf(peer, sizeof peer, "%s", o->so->unix_path);
		fd = net_unix_connect(o->so->unix_path, o->so->seqpacket ?
		    SOCK_SEQPACKET : SOCK_STREAM, why, sizeof why);
		if (fd == -1)
			sk_warnx("%s", why);
	} else if (o->ports) {
		return connect_scan(argv[0], argv[1], c->family,
		    o->so->wait_ms);
	} else if (o->proxy.spec != NULL) {
		fd = connect_via_proxy(o, argv[0], argv[1], peer, sizeof peer);
	} else {
		if (net_parse_port(argv[1], "tcp", 0, &port, why,
		    sizeof why) == -1)
			return EXIT_USAGE;	/* checked before */
		fd = connect_tcp(argv[0], port, o, peer, sizeof peer);
	}
	if (fd == -1) {
		tlsrelay_ctx_free(tc);
		return EXIT_RUNTIME;
	}
	if (tc != NULL) {	/* -z: the handshake is the check */
		connect_report(fd, peer);
		rc = connect_relay(fd, peer, tc, argv[0], o);
		tlsrelay_ctx_free(tc);
		connect_close(fd, o);
		return rc;
	}
	if (o->zero) {
		if (o->so->unix_path != NULL)
			sk_verbose("Connection to %s succeeded",
			    o->so->unix_path);
		else
			sk_verbose("Connection to %s %s succeeded", argv[0],
			    argv[1]);
		connect_close(fd, o);
		return EXIT_OK;
	}
	connect_report(fd, peer);
	if (o->exec.cmd != NULL) {	/* the child's status is ours */
		rc = exec_connected(&o->exec, fd, o->so->unix_path != NULL ?
		    "unix" : "tcp", o->c->capture);
		cmd_linger(o->c);
		return rc;
	}
	rc = connect_relay(fd, peer, NULL, NULL, o);
	connect_close(fd, o);
	return rc;
}

const struct cmd_entry cmd_connect_entry = {
	.name = "connect",
	.summary = "stream client: relay stdin/stdout over TCP or a Unix "
	    "socket; -z checks a port",
	.usage =
	    "connect [options] HOST PORT\n"
	    "       sockkit connect [options] -U PATH\n"
	    "\n"
	    "  -4, -6            use IPv4 or IPv6 addresses only\n"
	    "  -U PATH           connect to a Unix stream socket\n"
	    "      --seqpacket   with -U: SOCK_SEQPACKET, message boundaries "
	    "kept\n"
	    "  -s ADDR           send from this source address\n"
	    "  -p PORT           send from this source port\n"
	    "  -w SECS           give up connecting, or when idle, after SECS\n"
	    "  -q SECS           quit SECS seconds after EOF on stdin\n"
	    "      --no-shutdown do not send FIN at EOF on stdin\n"
	    "  -z                only check that the port accepts a connection;"
	    "\n"
	    "                    PORT may then be a list or range (22,80 20-30)\n"
	    "      --proxy HOST[:PORT]  connect through this proxy\n"
	    "      --proxy-type socks4|socks4a|socks5|http  its protocol "
	    "(socks5)\n"
	    "      --proxy-auth USER:PASS  its credentials (SOCKS4: USER)\n"
	    "      --proxy-dns local|remote  who resolves HOST (remote)\n"
	    "      --exec 'PROG ARGS' run PROG, its stdin/stdout the "
	    "connection; exit\n"
	    "                    with its status (words split at blanks)\n"
	    "      --sh-exec CMD the same with /bin/sh -c CMD\n"
	    "  -C                send line endings as CRLF\n"
	    "  -x                hex dump both directions to stderr\n"
	    STREAM_USAGE
	    "  -v                report connection events on stderr\n"
	    STREAM_TLS_USAGE
	    "      --sni NAME    the server name to send and check (default "
	    "HOST)\n"
	    "      --no-sni      send no server name (still check HOST)\n"
	    "      --insecure    do not check the server's certificate\n"
	    CAPTURE_USAGE
	    PRIV_USAGE
	    "  -h, --help        show this help\n",
	.flags = CMD_CAPTURE | CMD_PRIV | CMD_STREAM, .shorts = "46p:s:vz",
	.longs = "exec sh-exec proxy proxy-auth proxy-dns proxy-type",
	.size = sizeof(struct connect_opts), .init = connect_init,
	.option = connect_option, .check = connect_check, .run = connect_run,
	.fini = connect_fini,
};
