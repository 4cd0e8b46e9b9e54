/*
 * cmd-listen.c: "sockkit listen", the stream server.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "exec.h"
#include "net.h"
#include "relay.h"
#include "serve.h"
#include "tls.h"
#include "tlsrelay.h"
#include "util.h"

/* listen's own options; the shared ones are in its cmd_ctx. */
struct listen_opts {
	struct cmd_ctx	*c;
	const struct stream_opts *so;	/* &c->stream */
	int		 unlink_existing;
	long		 backlog;
	int		 keep;
	enum serve_mode	 mode;
	long		 max_conns;
	long long	 min_bytes;	/* --min-rate; 0: none */
	long		 min_window_ms;
	long long	 max_queue;	/* -1: not given */
	long		 queue_ms;	/* how long a client may stay full */
	int		 lossy;
	int		 broker;	/* --broker, or 2: --chat */
	struct exec_spec exec;		/* --exec, --sh-exec */
	struct net_acl	 acl;
	struct tls_ctx	*tls;		/* --tls */
};

/* How long a client has for its TLS handshake. */
#define LISTEN_HANDSHAKE_MS	10000

static const char *mode_names[] = {
	[SERVE_RELAY] = "relay", [SERVE_ECHO] = "echo",
	[SERVE_TIME] = "time", [SERVE_DISCARD] = "discard",
};

/* Parse --mode; returns 0 or -1. */
static int
parse_mode(const char *s, enum serve_mode *m)
{
	size_t	 i;

	for (i = 0; i < sizeof mode_names / sizeof mode_names[0]; i++) {
		if (strcmp(s, mode_names[i]) == 0) {
			*m = (enum serve_mode)i;
			return 0;
		}
	}
	return -1;
}

/*
 * Parse BYTES[/SECS] for --min-rate and --max-queue: BYTES (1 to max,
 * K/M/G suffixes) into *bytes and, when given, SECS (more than 0, or 0
 * too when zero_ok) into *ms, which keeps its default otherwise.  Returns
 * 0, or -1 with the reason in why.
 */
static int
parse_bytes_per(const char *arg, long long max, long long *bytes, long *ms,
    int zero_ok, char *why, size_t whylen)
{
	char	 num[32], part[64];
	size_t	 n = strcspn(arg, "/");

	if (n >= sizeof num) {
		snprintf(why, whylen, "BYTES too long");
		return -1;
	}
	memcpy(num, arg, n);
	num[n] = '\0';
	snprintf(part, sizeof part, "must be more than 0");
	if (parse_size(num, max, bytes, part, sizeof part) == -1 ||
	    *bytes == 0) {
		snprintf(why, whylen, "BYTES %s", part);
		return -1;
	}
	if (arg[n] == '/' && (parse_secs(arg + n + 1, 86400000L, ms, part,
	    sizeof part) == -1 || (*ms == 0 && !zero_ok))) {
		snprintf(why, whylen, "SECS %s", part);
		return -1;
	}
	return 0;
}

/* --min-rate and --max-queue; 0 or -1 with err. */
static int
listen_rates(int ch, const char *arg, struct listen_opts *o, char *err,
    size_t errlen)
{
	char	 why[160];

	if (ch == OPT_MIN_RATE) {
		o->min_window_ms = 1000;
		if (parse_bytes_per(arg, 1LL << 40, &o->min_bytes,
		    &o->min_window_ms, 0, why, sizeof why) == -1) {
			snprintf(err, errlen, "--min-rate '%s': %s; expected "
			    "BYTES[/SECS], e.g. 1k/10", arg, why);
			return -1;
		}
	} else if (parse_bytes_per(arg, 1LL << 30, &o->max_queue,
	    &o->queue_ms, 1, why, sizeof why) == -1) {
		snprintf(err, errlen, "--max-queue '%s': %s; expected "
		    "BYTES[/SECS], e.g. 256k/5", arg, why);
		return -1;
	}
	return 0;
}

/* listen's defaults, and where its options find the shared ones. */
static void
listen_init(struct cmd_ctx *c, void *arg)
{
	struct listen_opts	*o = arg;

	o->c = c;
	o->so = &c->stream;
	o->backlog = SOMAXCONN;
	o->max_queue = -1;
	o->queue_ms = 2000;
}

/* What listen's options hold: the --allow and --deny lists. */
static void
listen_fini(void *arg)
{
	struct listen_opts	*o = arg;

	net_acl_free(&o->acl);
	exec_free(&o->exec);
	tlsrelay_ctx_free(o->tls);
}

/* listen's own options (cmd_option_fn); 0 or -1 with err. */
static int
listen_option(void *arg_o, int ch, const char *arg, char *err,
    size_t errlen)
{
	struct listen_opts	*o = arg_o;
	char			 why[160];

	switch (ch) {
	case 'k': o->keep = 1; return 0;
	case OPT_UNLINK: o->unlink_existing = 1; return 0;
	case OPT_LOSSY: o->lossy = 1; return 0;
	case OPT_BROKER: o->broker |= 1; o->keep = 1; return 0;
	case OPT_CHAT: o->broker |= 2; o->keep = 1; return 0;
	case OPT_EXEC:
	case OPT_SH_EXEC:
		return exec_option(&o->exec, ch, arg, err, errlen);
	case 'b':
		if (parse_long(arg, 1, 1 << 30, &o->backlog, why,
		    sizeof why) == -1)
			break;
		return 0;
	case OPT_MODE:
		if (parse_mode(arg, &o->mode) == -1) {
			snprintf(err, errlen, "--mode '%s': expected relay, "
			    "echo, time or discard", arg);
			return -1;
		}
		return 0;
	case OPT_MAX_CONNS:
		if (parse_long(arg, 1, 1000000, &o->max_conns, why,
		    sizeof why) == -1)
			break;
		return 0;
	case OPT_MIN_RATE:
	case OPT_MAX_QUEUE:
		return listen_rates(ch, arg, o, err, errlen);
	case OPT_ALLOW:
	case OPT_DENY:
		return cmd_acl_option(&o->acl, ch == OPT_DENY, arg, err,
		    errlen);
	}
	snprintf(err, errlen, "%s '%s': %s", ch == 'b' ? "-b" : "--max-conns",
	    arg, why);
	return -1;
}

/* The -k server's limits: what each needs; returns -1 or EXIT_USAGE. */
static int
listen_check_keep(const struct listen_opts *o)
{
	const struct cmd_entry	*e = &cmd_listen_entry;

	if (o->min_bytes > 0 && !o->keep)
		return cmd_usage_error(e, "--min-rate needs -k");
	if ((o->max_queue >= 0 || o->lossy) && !o->keep)
		return cmd_usage_error(e, "--max-queue and --lossy need -k");
	if ((o->max_queue >= 0 || o->lossy) && o->mode != SERVE_RELAY)
		return cmd_usage_error(e, "--max-queue and --lossy work in "
		    "relay mode only, not --mode %s", mode_names[o->mode]);
	return -1;
}

/*
 * --exec and --broker: what they cannot go with; returns -1 or
 * EXIT_USAGE.  The program owns its connection, so nothing that reads
 * or times it applies.
 */
static int
listen_check_hand(const struct listen_opts *o)
{
	const struct cmd_entry	*e = &cmd_listen_entry;

	if (o->broker && o->mode != SERVE_RELAY)
		return cmd_usage_error(e, "--broker and --chat relay between "
		    "clients: they cannot go with --mode %s",
		    mode_names[o->mode]);
	if (o->exec.cmd == NULL)
		return -1;
	if (o->broker)
		return cmd_usage_error(e, "--%s runs a program for each "
		    "client: it cannot go with --broker or --chat",
		    o->exec.shell ? "sh-exec" : "exec");
	if (stream_session_only(o->so) != NULL)
		return cmd_usage_error(e, "--%s gives the connection to the "
		    "program: it cannot go with %s", o->exec.shell ?
		    "sh-exec" : "exec", stream_session_only(o->so));
	if (o->so->tls.on)
		return cmd_usage_error(e, "--%s hands the program the socket "
		    "itself, so its bytes would go unencrypted: it cannot go "
		    "with --tls", o->exec.shell ? "sh-exec" : "exec");
	if (o->mode != SERVE_RELAY || stream_relay_only(o->so) ||
	    o->so->wait_ms >= 0 || o->so->idle_ms >= 0 || o->min_bytes > 0 ||
	    o->max_queue >= 0 || o->lossy)
		return cmd_usage_error(e, "--%s gives the connection to the "
		    "program: it cannot go with --mode, -w, -q, -C, -x, "
		    "--no-shutdown, --min-rate, --max-queue or --lossy",
		    o->exec.shell ? "sh-exec" : "exec");
	return exec_check(o->c, &o->exec);
}

/* -U and what it cannot go with; returns -1 or EXIT_USAGE. */
static int
listen_check_unix(int nargs, const struct listen_opts *o)
{
	const struct cmd_entry	*e = &cmd_listen_entry;

	if (nargs != 0)
		return cmd_usage_error(e, "-U PATH takes no ADDRESS or PORT");
	if (o->c->family != AF_UNSPEC)
		return cmd_usage_error(e, "-U cannot go with -4 or -6");
	return cmd_check_unix(o->c, o->acl.n, "listener", "TCP");
}

/*
 * The session options (--send-only, -o, -d, ...) and -i: one client in
 * relay mode.  Returns -1 or EXIT_USAGE.
 */
static int
listen_check_session(const struct listen_opts *o)
{
	const struct cmd_entry	*e = &cmd_listen_entry;
	const char		*name = stream_session_only(o->so);

	if (o->so->idle_ms >= 0 && o->so->wait_ms >= 0)
		return cmd_usage_error(e, "-i is -w on listen: give one");
	if (name != NULL && o->mode != SERVE_RELAY)
		return cmd_usage_error(e, "%s works in relay mode only, not "
		    "--mode %s", name, mode_names[o->mode]);
	if (name != NULL && o->keep)
		return cmd_usage_error(e, "%s serves one client: it cannot go "
		    "with -k", name);
	return -1;
}

/* Reject what cannot go together; returns -1 or EXIT_USAGE. */
static int
listen_check(struct cmd_ctx *c, void *arg)
{
	const struct cmd_entry	*e = c->cmd;
	const struct listen_opts *o = arg;
	int			 relay_only = stream_relay_only(o->so);
	char			 why[300];

	if (cmd_check_addrs(e, o->so->unix_path == NULL && c->argc == 2 ?
	    c->argv[0] : NULL, NULL, o->so->unix_path) != -1 ||
	    cmd_check_priv(o->c) != -1)
		return EXIT_USAGE;
	if (o->so->unix_path != NULL) {
		if (listen_check_unix(c->argc, o) != -1)
			return EXIT_USAGE;
	} else {
		if (c->argc != 1 && c->argc != 2)
			return cmd_usage_error(e, "expected [ADDRESS] PORT, "
			    "got %d arguments", c->argc);
		if (o->unlink_existing || o->so->seqpacket)
			return cmd_usage_error(e, "--unlink and --seqpacket "
			    "need -U PATH");
	}
	if (relay_only && o->mode != SERVE_RELAY)
		return cmd_usage_error(e, "-q, -C, -x and --no-shutdown work "
		    "in relay mode only, not --mode %s", mode_names[o->mode]);
	if (relay_only && o->keep)
		return cmd_usage_error(e, "-q, -C, -x and --no-shutdown serve "
		    "one client: they cannot go with -k");
	if (listen_check_session(o) != -1)
		return EXIT_USAGE;
	if (o->max_conns > 0 && !o->keep)
		return cmd_usage_error(e, "--max-conns needs -k");
	if (stream_check_tls(o->so, 1, why, sizeof why) == -1)
		return cmd_usage_error(e, "%s", why);
	if (listen_check_keep(o) != -1 || listen_check_hand(o) != -1)
		return EXIT_USAGE;
	if (o->so->unix_path == NULL && net_parse_port(c->argv[c->argc - 1],
	    "tcp", 1, &(uint16_t){ 0 }, why, sizeof why) == -1)
		return cmd_usage_error(e, "%s", why);
	return -1;
}

/*
 * What the Listening line says of TLS: the ephemeral certificate's
 * fingerprint, which a client can check; "" without --tls.
 */
static const char *
listen_tls_note(const struct listen_opts *o, char *buf, size_t len)
{
#ifdef HAVE_OPENSSL
	if (o->tls != NULL && tls_ctx_fingerprint(o->tls)[0] != '\0') {
		snprintf(buf, len, " (TLS, self-signed, SHA-256 %s)",
		    tls_ctx_fingerprint(o->tls));
		return buf;
	}
	if (o->tls != NULL)
		return " (TLS)";
#else
	(void)o;
	(void)buf;
	(void)len;
#endif
	return "";
}

/* Open the listening socket; returns it or -1 after saying why. */
static int
listen_open(const struct listen_opts *o)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	char			 why[300], addr[NET_ADDRSTRLEN];
	int			 fd;

	fd = cmd_listen_socket(o->c, o->so->unix_path, o->so->seqpacket ?
	    SOCK_SEQPACKET : SOCK_STREAM, (int)o->backlog, o->unlink_existing,
	    "tcp", why, sizeof why);
	if (fd == -1) {
		sk_warnx("%s", why);
		return -1;
	}
	if (o->c->capture != NULL && (getsockname(fd, (struct sockaddr *)&ss,
	    &len) == -1 || capture_filter(o->c->capture, IPPROTO_TCP,
	    (struct sockaddr *)&ss, NULL, why, sizeof why) == -1)) {
		sk_warnx("listen: %s", why);
		close(fd);
		return -1;
	}
	/*
	 * Root was needed for the capture and perhaps a port below 1024;
	 * both are open now, so drop it before saying we listen.  (-U
	 * cannot go with a capture: the socket file removed at exit was
	 * made by the user who removes it.)
	 */
	if ((o->c->capture != NULL || o->c->priv.user != NULL) &&
	    cmd_drop_privileges(o->c) != -1) {
		close(fd);
		return -1;
	}
	if (o->c->capture != NULL)	/* the port marks this host's lane */
		capture_set_local(o->c->capture, (struct sockaddr *)&ss);
	len = sizeof ss;
	if (o->so->unix_path != NULL)
		fprintf(stderr, "Listening on %s\n", o->so->unix_path);
	else if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
		fprintf(stderr, "Listening on %s %d%s\n",
		    net_addr_str((struct sockaddr *)&ss, addr, sizeof addr),
		    net_addr_port((struct sockaddr *)&ss), listen_tls_note(o,
		    why, sizeof why));
	if (o->exec.cmd != NULL)
		fprintf(stderr, "Running %s for every client\n",
		    o->exec.name);
	fflush(stderr);
	return fd;
}

/* Serve one client in relay mode; returns the exit status. */
static int
listen_relay(int fd, const struct sockaddr *sa, const struct listen_opts *o)
{
	struct relay_opts	 r;
	char			 peer[NET_ADDRSTRLEN + 16], addr[NET_ADDRSTRLEN];

	if (sa->sa_family == AF_UNIX)
		snprintf(peer, sizeof peer, "%s", o->so->unix_path);
	else
		snprintf(peer, sizeof peer, "%s port %d", net_addr_str(sa,
		    addr, sizeof addr), net_addr_port(sa));
	sk_verbose("connection from %s", peer);
	stream_relay_opts(o->so, fd, peer, &r);
	capture_hook_relay(o->c->capture, &r);
	if (o->tls != NULL)
		return tlsrelay_run(o->tls, fd, NULL, LISTEN_HANDSHAKE_MS, &r,
		    0);
	return relay_command(&r);
}

/* Tell the capture about the accepted client: this host's end, the call. */
static void
listen_traced_accept(int fd, const struct sockaddr *peer,
    const struct listen_opts *o)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	char			 what[160], addr[NET_ADDRSTRLEN];

	if (o->c->capture == NULL || peer->sa_family == AF_UNIX)
		return;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
		capture_set_local(o->c->capture, (struct sockaddr *)&ss);
	snprintf(what, sizeof what, "accept() = client %s port %d",
	    net_addr_str(peer, addr, sizeof addr), net_addr_port(peer));
	capture_call(o->c->capture, what, 0);
}

/* The serve loop's on_accept hook: arg is the listen_opts. */
static void
listen_on_accept(void *arg, int fd, const struct sockaddr *peer)
{
	listen_traced_accept(fd, peer, arg);
}

/* --trace in the serve loop: packets as they come, each accept() drawn. */
static void
listen_serve_capture(struct serve_opts *so, const struct listen_opts *o,
    int accepts)
{
	so->extra_fd = -1;
	if (o->c->capture == NULL)
		return;
	so->extra_fd = capture_fd(o->c->capture);
	so->on_extra = capture_poll;
	so->extra_arg = o->c->capture;
	if (accepts) {
		so->on_accept = listen_on_accept;
		so->accept_arg = (void *)o;
	}
}

/* Stop listening: close lfd and remove the socket file of -U. */
static void
listen_close(int lfd, const struct listen_opts *o)
{
	close(lfd);
	if (o->so->unix_path != NULL)
		unlink(o->so->unix_path);
}

/*
 * Without -k: take the first client the lists allow and stop listening,
 * as nc does, then serve it.  Returns the exit status.
 */
static int
listen_once(int lfd, const struct listen_opts *o)
{
	struct sockaddr_storage	 ss;
	struct serve_opts	 so;
	socklen_t		 len = sizeof ss;
	char			 err[300];
	int			 fd, rc;

	fd = serve_accept_one(lfd, &o->acl, (struct sockaddr *)&ss, &len,
	    err, sizeof err);
	listen_close(lfd, o);
	if (fd == -1) {
		if (!sk_interrupted)
			sk_warnx("listen: %s", err);
		return EXIT_RUNTIME;
	}
	listen_traced_accept(fd, (struct sockaddr *)&ss, o);
	if (o->mode == SERVE_RELAY) {
		rc = listen_relay(fd, (struct sockaddr *)&ss, o);
		capture_close_fd(o->c->capture, fd, "close()");
		return rc;
	}
	memset(&so, 0, sizeof so);
	so.listen_fd = -1;
	so.client_fd = fd;
	so.client_sa = (struct sockaddr *)&ss;
	so.client_salen = len;
	so.mode = o->mode;
	so.max_conns = 1;
	so.messages = o->so->seqpacket;
	so.idle_ms = stream_idle_ms(o->so);
	so.in_fd = so.out_fd = -1;
	so.tls = o->tls;
	so.handshake_ms = LISTEN_HANDSHAKE_MS;
	listen_serve_capture(&so, o, 0);
	if (serve_run(&so, err, sizeof err) == -1) {
		sk_warnx("%s", err);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

/* With -k: serve every client from one loop until interrupted. */
static int
listen_keep(int lfd, const struct listen_opts *o)
{
	struct serve_opts	 so;
	char			 err[300];
	int			 rc = EXIT_OK;

	memset(&so, 0, sizeof so);
	so.listen_fd = lfd;
	so.client_fd = -1;
	so.mode = o->mode;
	so.keep = 1;
	so.messages = o->so->seqpacket;
	so.max_conns = o->max_conns > 0 ? (int)o->max_conns : 100;
	so.idle_ms = stream_idle_ms(o->so);
	so.min_bytes = o->min_bytes;
	so.min_window_ms = o->min_window_ms;
	so.max_queue = o->max_queue >= 0 ? o->max_queue : 1024 * 1024;
	so.queue_ms = o->queue_ms;
	so.lossy = o->lossy;
	so.broker = o->broker != 0;
	so.chat = (o->broker & 2) != 0;
	so.acl = &o->acl;
	so.in_fd = STDIN_FILENO;
	so.out_fd = STDOUT_FILENO;
	so.tls = o->tls;
	so.handshake_ms = LISTEN_HANDSHAKE_MS;
	listen_serve_capture(&so, o, 1);
	if (serve_run(&so, err, sizeof err) == -1) {
		sk_warnx("%s", err);
		rc = EXIT_RUNTIME;
	}
	listen_close(lfd, o);
	return rc;
}

/*
 * --exec: a child for each client the lists allow (for the first only,
 * without -k).  Returns the exit status: the child's without -k.
 */
static int
listen_exec(int lfd, const struct listen_opts *o)
{
	struct exec_serve	 es;
	int			 rc;

	memset(&es, 0, sizeof es);
	es.listen_fd = lfd;
	es.keep = o->keep;
	es.max_conns = !o->keep ? 1 : o->max_conns > 0 ? (int)o->max_conns :
	    100;
	es.acl = &o->acl;
	es.spec = &o->exec;
	es.proto = o->so->unix_path != NULL ? "unix" : "tcp";
	es.capture = o->c->capture;
	rc = exec_serve_run(&es);
	listen_close(lfd, o);
	return rc;
}

/* Open the capture, listen, serve once or with -k; the exit status. */
static int
listen_start(struct cmd_ctx *c, void *arg)
{
	struct listen_opts	*o = arg;
	int			 rc, fd;

	if ((rc = cmd_capture_open(c)) != -1)
		return rc;
	if (o->so->tls.on && (o->tls = tlsrelay_ctx(&o->so->tls, 1,
	    "listen")) == NULL)
		return EXIT_RUNTIME;
	if ((fd = listen_open(o)) < 0)
		rc = EXIT_RUNTIME;
	else if (o->exec.cmd != NULL)
		rc = listen_exec(fd, o);
	else if (o->keep)
		rc = listen_keep(fd, o);
	else
		rc = listen_once(fd, o);
	cmd_linger(c);
	return rc;
}

const struct cmd_entry cmd_listen_entry = {
	.name = "listen",
	.summary = "stream server: accept TCP or Unix clients; relay, echo, "
	    "time or discard",
	.usage =
	    "listen [options] [ADDRESS] PORT\n"
	    "       sockkit listen [options] -U PATH\n"
	    "\n"
	    "  -4, -6            IPv4 or IPv6 only (default: both)\n"
	    "  -U PATH           listen on a Unix stream socket\n"
	    "      --unlink      with -U: replace an existing socket file\n"
	    "      --seqpacket   with -U: SOCK_SEQPACKET, message boundaries "
	    "kept\n"
	    "  -b BACKLOG        listen(2) backlog (default: SOMAXCONN)\n"
	    "  -k                keep accepting; serve all clients at once\n"
	    "      --mode MODE   relay (stdin/stdout, default), echo, time or "
	    "discard\n"
	    "      --max-conns N with -k: at most N clients at once (default "
	    "100);\n"
	    "                    more wait in the backlog until one leaves\n"
	    "      --min-rate RATE with -k: close a client that moves less; "
	    "RATE is\n"
	    "                    BYTES[/SECS], at least BYTES every SECS "
	    "(default 1)\n"
	    "      --max-queue Q relay -k: Q is SIZE[/SECS]; close a client "
	    "whose\n"
	    "                    stdin queue stays full for SECS (1M/2)\n"
	    "      --lossy       relay -k: such a client misses data "
	    "instead\n"
	    "      --broker      -k: what a client sends goes to every other "
	    "client\n"
	    "      --chat        --broker line by line, <userN> before each "
	    "line\n"
	    "      --exec 'PROG ARGS' run PROG for each client, its "
	    "stdin/stdout the\n"
	    "                    connection (words split at blanks; "
	    "SOCKKIT_* env)\n"
	    "      --sh-exec CMD the same with /bin/sh -c CMD\n"
	    "      --allow CIDR  accept clients from this block only "
	    "(repeatable)\n"
	    "      --deny CIDR   refuse clients from this block (repeatable)\n"
	    "  -w SECS           close a connection idle for SECS\n"
	    "  -q SECS           relay: quit SECS seconds after EOF on stdin\n"
	    "      --no-shutdown relay: do not send FIN at EOF on stdin\n"
	    "  -C                relay: send line endings as CRLF\n"
	    "  -x                relay: hex dump both directions to stderr\n"
	    STREAM_USAGE
	    "  -v                report connections on stderr\n"
	    STREAM_TLS_USAGE
	    "                    (--tls without --cert: an ephemeral "
	    "self-signed one)\n"
	    "      --verify-client ask clients for a certificate signed by "
	    "--ca-file\n"
	    CAPTURE_USAGE
	    PRIV_USAGE
	    "  -h, --help        show this help\n",
	.flags = CMD_CAPTURE | CMD_PRIV | CMD_STREAM, .shorts = "46b:kv",
	.longs = "unlink mode max-conns allow deny min-rate max-queue lossy "
	    "broker chat exec sh-exec",
	.size = sizeof(struct listen_opts), .init = listen_init,
	.option = listen_option, .check = listen_check, .run = listen_start,
	.fini = listen_fini,
};
