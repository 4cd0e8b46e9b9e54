/*
 * cmd-nc.c: "sockkit nc", and sockkit run as "nc": OpenBSD nc's options
 * translated into a sockkit command line (connect, listen or udp), which
 * then runs as if typed.  One table says what each letter becomes, or
 * which sockkit command does what an untaken one did.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd-connect.h"
#include "net.h"
#include "util.h"

#define NC_MAXARGS	48

/*
 * Every letter of OpenBSD nc (and Debian's -q, -b, the traditional -e
 * and -c): what sockkit makes of it, or, in none, why it is not taken
 * and what does that job in sockkit.
 */
static const struct nc_opt {
	char		 letter;
	int		 arg;
	const char	*becomes;
	const char	*none;
} nc_opts[] = {
	{ '4', 0, "-4", NULL },
	{ '6', 0, "-6", NULL },
	{ 'b', 0, "udp --broadcast", NULL },
	{ 'C', 0, "-C", NULL },
	{ 'c', 1, "--sh-exec CMD", NULL },
	{ 'D', 0, NULL, "SO_DEBUG: --trace draws the connection instead" },
	{ 'd', 0, "stdin not read (/dev/null)", NULL },
	{ 'e', 1, "--exec PROG", NULL },
	{ 'F', 0, NULL, "passing the socket to a parent: none in sockkit" },
	{ 'h', 0, "this help", NULL },
	{ 'I', 1, NULL, "buffer sizes: sockkit sizes its own buffers" },
	{ 'i', 1, "--delay SECS", NULL },
	{ 'k', 0, "listen -k", NULL },
	{ 'l', 0, "listen (udp -l with -u)", NULL },
	{ 'M', 1, NULL, "the TTL of packets: sockkit raw tcp --ttl N" },
	{ 'm', 1, NULL, "a minimum TTL: none in sockkit" },
	{ 'N', 0, "the FIN at EOF on stdin (else --no-shutdown)", NULL },
	{ 'n', 0, "numeric hosts only, no DNS", NULL },
	{ 'O', 1, NULL, "buffer sizes: sockkit sizes its own buffers" },
	{ 'o', 1, NULL, "OpenBSD's -o (one byte of OOB data): none in sockkit" },
	{ 'P', 1, NULL, "the proxy user: sockkit connect --proxy-auth "
	    "USER:PASS" },
	{ 'p', 1, "-p (listen: the PORT)", NULL },
	{ 'q', 1, "-q SECS", NULL },
	{ 'r', 0, NULL, "random port order: sockkit probe randomizes by "
	    "default" },
	{ 'S', 0, NULL, "TCP MD5 signatures: none in sockkit" },
	{ 's', 1, "-s (listen: the ADDRESS)", NULL },
	{ 'T', 1, NULL, "the TOS byte: sockkit raw tcp --tos N" },
	{ 't', 0, NULL, "telnet negotiation: none in sockkit" },
	{ 'U', 0, "-U PATH (the operand)", NULL },
	{ 'u', 0, "udp", NULL },
	{ 'V', 1, NULL, "routing tables: ip vrf exec NAME sockkit ..." },
	{ 'v', 0, "-v", NULL },
	{ 'W', 1, NULL, "a count of packets: sockkit udp -q SECS quits by "
	    "time" },
	{ 'w', 1, "-w SECS", NULL },
	{ 'X', 1, "--proxy-type (4 socks4, 5 socks5, connect http)", NULL },
	{ 'x', 1, "--proxy HOST[:PORT]", NULL },
	{ 'Z', 0, NULL, "DCCP: none in sockkit" },
	{ 'z', 0, "-z (PORT may be a list or range)", NULL },
};

#define NC_NOPTS	(sizeof nc_opts / sizeof nc_opts[0])

/* The options of one nc command line, as given. */
struct nc_args {
	int		 listen, keep, udp, zero, numeric, nshut, nostdin;
	int		 bcast, verbose, crlf, unix_sock;
	char		 family;
	const char	*port, *src, *wait, *quit, *proxy, *ptype, *exec;
	const char	*shexec, *delay;
};

static const struct nc_opt *
nc_opt_find(int ch)
{
	size_t	 i;

	for (i = 0; i < NC_NOPTS; i++)
		if (nc_opts[i].letter == ch)
			return &nc_opts[i];
	return NULL;
}

/* getopt's string of every letter in the table. */
static void
nc_optstring(char *buf, size_t len)
{
	size_t	 i, o = 0;

	buf[o++] = '+';		/* as BSD's getopt: options come first */
	for (i = 0; i < NC_NOPTS && o + 3 < len; i++) {
		buf[o++] = nc_opts[i].letter;
		if (nc_opts[i].arg)
			buf[o++] = ':';
	}
	buf[o] = '\0';
}

/* One letter taken into a; 0, or -1 with err. */
static int
nc_take(struct nc_args *a, int ch, const char *val, char *err, size_t errlen)
{
	const struct nc_opt	*no = nc_opt_find(ch);

	if (no == NULL || no->none != NULL) {
		snprintf(err, errlen, "nc's -%c is not taken: %s", ch,
		    no ? no->none : "no such nc option");
		return -1;
	}
	switch (ch) {
	case '4': case '6': a->family = (char)ch; break;
	case 'b': a->bcast = 1; break;
	case 'C': a->crlf = 1; break;
	case 'c': a->shexec = val; break;
	case 'd': a->nostdin = 1; break;
	case 'e': a->exec = val; break;
	case 'i': a->delay = val; break;
	case 'k': a->keep = 1; break;
	case 'l': a->listen = 1; break;
	case 'N': a->nshut = 1; break;
	case 'n': a->numeric = 1; break;
	case 'p': a->port = val; break;
	case 'q': a->quit = val; break;
	case 's': a->src = val; break;
	case 'U': a->unix_sock = 1; break;
	case 'u': a->udp = 1; break;
	case 'v': a->verbose = 1; break;
	case 'w': a->wait = val; break;
	case 'X': a->ptype = val; break;
	case 'x': a->proxy = val; break;
	case 'z': a->zero = 1; break;
	}
	return 0;
}

/* nc's -X: 4, 5 or connect, as --proxy-type's words; NULL: none. */
static const char *
nc_proxy_type(const char *x)
{
	if (strcmp(x, "4") == 0)
		return "socks4";
	if (strcmp(x, "5") == 0)
		return "socks5";
	if (strcmp(x, "connect") == 0)
		return "http";
	return NULL;
}

/* What cannot go together in nc's own terms; NULL, or the words. */
static const char *
nc_conflict(const struct nc_args *a)
{
	if (a->keep && !a->listen)
		return "-k needs -l";
	if (a->listen && a->zero)
		return "-l and -z cannot go together";
	if (a->ptype != NULL && a->proxy == NULL)
		return "-X needs -x HOST[:PORT]";
	if (a->ptype != NULL && nc_proxy_type(a->ptype) == NULL)
		return "-X takes 4, 5 or connect";
	if (a->proxy != NULL && (a->listen || a->udp || a->unix_sock))
		return "-x connects through a proxy: it cannot go with -l, -u "
		    "or -U";
	if (a->exec != NULL && a->shexec != NULL)
		return "-e and -c cannot go together";
	if (a->bcast && !a->udp)
		return "-b needs -u";
	return NULL;
}

/* Whether host is a numeric address (IPv6 maybe in []), for -n. */
static int
nc_numeric(const char *host)
{
	unsigned char	 buf[16];
	char		 h[256];
	size_t		 n;

	if (host == NULL)
		return 1;
	n = strlen(host);
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']')
		snprintf(h, sizeof h, "%.*s", (int)(n - 2), host + 1);
	else
		snprintf(h, sizeof h, "%s", host);
	h[strcspn(h, "%")] = '\0';
	return inet_pton(AF_INET, h, buf) == 1 ||
	    inet_pton(AF_INET6, h, buf) == 1;
}

/* The argument list being built, and whether it overflowed. */
struct nc_argv {
	char		*v[NC_MAXARGS];
	int		 n;
};

static void
nc_push(struct nc_argv *av, const char *s)
{
	if (av->n < NC_MAXARGS - 1)
		av->v[av->n++] = (char *)s;
	av->v[av->n] = NULL;
}

/* An option with its value, when the value was given. */
static void
nc_push_opt(struct nc_argv *av, const char *opt, const char *val)
{
	if (val == NULL)
		return;
	nc_push(av, opt);
	nc_push(av, val);
}

/* The options every command takes from a: -4/-6, -v, -w, -q, -C... */
static void
nc_common(const struct nc_args *a, struct nc_argv *av)
{
	static const char *const fam[] = { "-4", "-6" };

	if (a->family)
		nc_push(av, fam[a->family == '6']);
	if (a->verbose)
		nc_push(av, "-v");
	if (a->crlf)
		nc_push(av, "-C");
	nc_push_opt(av, "-q", a->quit);
	nc_push_opt(av, "--exec", a->exec);
	nc_push_opt(av, "--sh-exec", a->shexec);
	nc_push_opt(av, "--delay", a->delay);
	if (a->bcast)
		nc_push(av, "--broadcast");
	if (!a->udp && !a->nshut && !a->zero && !a->exec && !a->shexec &&
	    !a->keep)		/* listen -k serves many: no FIN to hold */
		nc_push(av, "--no-shutdown");	/* nc sends no FIN at EOF */
}

/*
 * The listening side's operands: [ADDRESS] PORT from -s, -p and nc's
 * own operands ("nc -l 1234", "nc -l -p 1234", "nc -l ADDR PORT").
 * Returns NULL, or what is wrong.
 */
static const char *
nc_listen_operands(const struct nc_args *a, int argc, char **argv,
    struct nc_argv *av)
{
	const char	*addr = a->src, *port = a->port;

	if (a->unix_sock) {
		if (argc != 1)
			return "-lU takes one PATH";
		nc_push_opt(av, "-U", argv[0]);
		return NULL;
	}
	if (port == NULL && argc > 0)
		port = argv[--argc];
	if (addr == NULL && argc > 0)
		addr = argv[--argc];
	if (argc > 0)
		return "too many operands: nc -l [ADDRESS] PORT";
	if (port == NULL)
		return "-l needs a PORT: nc -l 1234, or nc -l -p 1234";
	if (addr != NULL)
		nc_push(av, addr);
	nc_push(av, port);
	return NULL;
}

/* The client's options and operands: HOST PORT(S), or -U PATH. */
static const char *
nc_client_operands(const struct nc_args *a, int argc, char **argv,
    struct nc_argv *av)
{
	nc_push_opt(av, "-s", a->src);
	nc_push_opt(av, "-p", a->port);
	nc_push_opt(av, "-w", a->wait);
	if (a->zero)
		nc_push(av, "-z");
	if (a->proxy != NULL) {
		nc_push_opt(av, "--proxy", a->proxy);
		nc_push_opt(av, "--proxy-type", a->ptype ?
		    nc_proxy_type(a->ptype) : "socks5");
	}
	if (a->unix_sock) {
		if (argc != 1)
			return "-U takes one PATH";
		nc_push_opt(av, "-U", argv[0]);
		return NULL;
	}
	if (argc != 2)
		return "expected HOST PORT";
	nc_push(av, argv[0]);
	nc_push(av, argv[1]);
	return NULL;
}

/* The sockkit command nc's options ask for. */
static const struct cmd_entry *
nc_target(const struct nc_args *a)
{
	if (a->udp)
		return &cmd_udp_entry;
	return a->listen ? &cmd_listen_entry : &cmd_connect_entry;
}

/*
 * Build the sockkit command line of a and nc's operands into av.
 * Returns NULL, or what is wrong (a usage error).
 */
static const char *
nc_translate(const struct nc_args *a, int argc, char **argv,
    struct nc_argv *av)
{
	const struct cmd_entry	*e = nc_target(a);
	const char		*why;

	if ((why = nc_conflict(a)) != NULL)
		return why;
	nc_push(av, e->name);
	if (a->udp && a->listen)
		nc_push(av, "-l");
	if (a->keep && !a->udp)
		nc_push(av, "-k");
	nc_common(a, av);
	if (a->udp && !a->listen && !a->zero)
		nc_push(av, "--chunk");	/* nc sends each read as it came */
	if (!a->listen)
		return nc_client_operands(a, argc, argv, av);
	if (!a->udp)
		nc_push_opt(av, "-w", a->wait);
	return nc_listen_operands(a, argc, argv, av);
}

/*
 * An option the built command line asks for that this sockkit's target
 * command lacks (--exec, --delay, --broadcast come with other parts):
 * its name, or NULL when the target takes them all.
 */
static const char *
nc_missing(const struct cmd_entry *e, const struct nc_argv *av)
{
	char	 want[40];
	int	 i;

	for (i = 1; i < av->n; i++) {
		if (strncmp(av->v[i], "--", 2) != 0)
			continue;
		snprintf(want, sizeof want, "%s ", av->v[i]);
		if (strstr(e->usage, want) == NULL)
			return av->v[i];
	}
	return NULL;
}

/* -n: every host given must be an address.  NULL, or the first name. */
static const char *
nc_not_numeric(const struct nc_args *a, int argc, char **argv)
{
	char	 host[256];
	uint16_t port;

	if (!a->numeric || a->unix_sock)
		return NULL;
	if (!nc_numeric(a->src))
		return a->src;
	if (a->proxy != NULL && proxy_parse_hostport(a->proxy, 1080, host,
	    sizeof host, &port, host, sizeof host) == 0 && !nc_numeric(host))
		return a->proxy;
	if (!a->listen && argc == 2 && !nc_numeric(argv[0]))
		return argv[0];
	if (a->listen && a->src == NULL && argc == 2 && !nc_numeric(argv[0]))
		return argv[0];
	return NULL;
}

/* Parse nc's letters into a; -1 with optind at the operands, or a status. */
static int
nc_parse(struct nc_args *a, int argc, char **argv)
{
	char	 opts[NC_NOPTS * 2 + 2], err[200];
	int	 ch;

	nc_optstring(opts, sizeof opts);
	opterr = 0;
	optind = 0;
	while ((ch = getopt(argc, argv, opts)) != -1) {
		if (ch == 'h')
			return cmd_help(&cmd_nc_entry);
		if (ch == '?' || ch == ':') {
			if (ch == ':' || nc_opt_find(optopt) != NULL)
				return cmd_usage_error(&cmd_nc_entry, "-%c "
				    "needs a value", optopt);
			return cmd_usage_error(&cmd_nc_entry, "unknown nc "
			    "option -%c (sockkit nc -h lists them)", optopt);
		}
		if (nc_take(a, ch, optarg, err, sizeof err) == -1)
			return cmd_usage_error(&cmd_nc_entry, "%s", err);
	}
	return -1;
}

/*
 * nc's command line (argv[0] "nc"): parsed, translated, checked, then run
 * as the sockkit command it became.  Returns that command's status.
 */
static int
nc_run(struct cmd_ctx *c, void *arg)
{
	struct nc_args	 a;
	struct nc_argv	 av = { .n = 0 };
	const char	*why;
	int		 rc;

	(void)arg;
	if (c->argc == 2 && strcmp(c->argv[1], "--help") == 0)
		return cmd_help(&cmd_nc_entry);
	memset(&a, 0, sizeof a);
	if ((rc = nc_parse(&a, c->argc, c->argv)) != -1)
		return rc;
	if ((why = nc_translate(&a, c->argc - optind, c->argv + optind,
	    &av)) != NULL)
		return cmd_usage_error(&cmd_nc_entry, "%s", why);
	if ((why = nc_missing(nc_target(&a), &av)) != NULL)
		return cmd_usage_error(&cmd_nc_entry, "%s (from nc's options) "
		    "is not in this sockkit's %s", why, nc_target(&a)->name);
	if ((why = nc_not_numeric(&a, c->argc - optind, c->argv +
	    optind)) != NULL) {
		sk_warnx("nc: -n: '%s' is not a numeric address (-n looks "
		    "up no names)", why);
		return EXIT_RUNTIME;
	}
	if (a.nostdin && dup2(open("/dev/null", O_RDONLY), STDIN_FILENO) == -1)
		sk_warn("nc: -d: /dev/null");
	connect_set_nc_words(1);
	return cmd_main(nc_target(&a), av.n, av.v);
}

const struct cmd_entry cmd_nc_entry = {
	.name = "nc",
	.summary = "OpenBSD nc's options, run as connect, listen or udp "
	    "(also when run as nc)",
	.usage =
	    "nc [-46CdhklNnUuvz] [-c CMD] [-e PROG] [-i SECS] [-p PORT]\n"
	    "                  [-q SECS] [-s ADDR] [-w SECS] [-X 4|5|connect] "
	    "[-x HOST[:PORT]]\n"
	    "                  [HOST] [PORT[S]]\n"
	    "\n"
	    "  -4, -6            IPv4 or IPv6 only\n"
	    "  -b                udp --broadcast\n"
	    "  -C                -C: CRLF line endings\n"
	    "  -c CMD            --sh-exec CMD\n"
	    "  -d                read nothing from stdin\n"
	    "  -e PROG           --exec PROG\n"
	    "  -i SECS           --delay SECS\n"
	    "  -k                listen -k\n"
	    "  -l                listen, or udp -l with -u\n"
	    "  -N                send FIN at EOF on stdin (without: "
	    "--no-shutdown)\n"
	    "  -n                take numeric addresses only\n"
	    "  -p PORT           connect -p; with -l the PORT to listen on\n"
	    "  -q SECS           -q SECS\n"
	    "  -s ADDR           connect -s; with -l the ADDRESS\n"
	    "  -U                -U PATH, PATH the operand\n"
	    "  -u                udp\n"
	    "  -v                -v\n"
	    "  -w SECS           -w SECS\n"
	    "  -X 4|5|connect    --proxy-type socks4, socks5 or http\n"
	    "  -x HOST[:PORT]    --proxy HOST[:PORT] (socks5 unless -X)\n"
	    "  -z                connect -z; PORTS a list or range (20-30,443),"
	    "\n"
	    "                    reported as nc -vz reports them\n"
	    "  -h, --help        show this help\n"
	    "\n"
	    "Not taken, each refused naming what does its job: -D -F -I -M -m "
	    "-O -o -P -r\n"
	    "-S -T -t -V -W -Z.  Usage errors exit 2 (nc: 1).\n",
	.flags = 0, .shorts = NULL, .longs = NULL, .size = 0, .init = NULL,
	.option = NULL, .check = NULL, .run = nc_run, .fini = NULL,
};
