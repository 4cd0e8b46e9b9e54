/*
 * cmd.c: the life cycle every command shares (see cmd.h): the shared
 * options in one table and their parsing, the capture, the privileges,
 * the exit status, usage errors and the lookup of names by prefix.
 */
#include "config.h"

#include <sys/socket.h>

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "keylog.h"
#include "net.h"
#ifdef HAVE_OPENSSL
#include "tls.h"
#endif

#define CMD_MAXOPTS	64	/* a command's and the shared long options */
#define CMD_MAXSHORTS	64

/* Every shared long option, once, with the flags that ask for it. */
static const struct {
	struct option	 opt;
	int		 flags;
} cmd_shared[] = {
	{ { "trace", no_argument, NULL, CAPTURE_OPT_TRACE }, CMD_TRACE },
	{ { "write", required_argument, NULL, CAPTURE_OPT_WRITE }, CMD_TRACE },
	{ { "json", no_argument, NULL, CAPTURE_OPT_JSON }, CMD_LADDER },
	{ { "full", no_argument, NULL, CAPTURE_OPT_FULL }, CMD_LADDER },
	{ { "data-preview", required_argument, NULL, CAPTURE_OPT_PREVIEW },
	    CMD_LADDER },
	{ { "color", required_argument, NULL, CAPTURE_OPT_COLOR }, CMD_LOOK },
	{ { "ascii", no_argument, NULL, CAPTURE_OPT_ASCII }, CMD_LOOK },
	{ { "svg", required_argument, NULL, CAPTURE_OPT_SVG }, CMD_PICTURE },
	{ { "html", required_argument, NULL, CAPTURE_OPT_HTML }, CMD_PICTURE },
	{ { "graph", required_argument, NULL, CAPTURE_OPT_GRAPH }, CMD_GRAPH },
	{ { "linger-capture", required_argument, NULL, CAPTURE_OPT_LINGER },
	    CMD_LINGER },
	{ { "user", required_argument, NULL, PRIV_OPT_USER }, CMD_PRIV },
	{ { "no-drop", no_argument, NULL, PRIV_OPT_NO_DROP }, CMD_PRIV },
	{ { "no-shutdown", no_argument, NULL, STREAM_OPT_NO_SHUTDOWN },
	    CMD_STREAM },
	{ { "seqpacket", no_argument, NULL, STREAM_OPT_SEQPACKET },
	    CMD_STREAM },
	{ { "send-only", no_argument, NULL, STREAM_OPT_SEND_ONLY },
	    CMD_STREAM },
	{ { "recv-only", no_argument, NULL, STREAM_OPT_RECV_ONLY },
	    CMD_STREAM },
	{ { "output", required_argument, NULL, 'o' },
	    CMD_STREAM | CMD_SESSION },
	{ { "append-output", no_argument, NULL, STREAM_OPT_APPEND_OUTPUT },
	    CMD_STREAM | CMD_SESSION },
	{ { "hex-dump", required_argument, NULL, STREAM_OPT_HEX_DUMP },
	    CMD_STREAM | CMD_SESSION },
	{ { "delay", required_argument, NULL, 'd' },
	    CMD_STREAM | CMD_SESSION },
	{ { "idle-timeout", required_argument, NULL, 'i' }, CMD_STREAM },
	{ { "tls", no_argument, NULL, STREAM_OPT_TLS }, CMD_STREAM | CMD_TLS },
	{ { "ca-file", required_argument, NULL, STREAM_OPT_CA_FILE },
	    CMD_STREAM },
	{ { "sni", required_argument, NULL, STREAM_OPT_SNI }, CMD_STREAM },
	{ { "no-sni", no_argument, NULL, STREAM_OPT_NO_SNI }, CMD_STREAM },
	{ { "alpn", required_argument, NULL, STREAM_OPT_ALPN }, CMD_STREAM },
	{ { "tls-min", required_argument, NULL, STREAM_OPT_TLS_MIN },
	    CMD_STREAM },
	{ { "tls-max", required_argument, NULL, STREAM_OPT_TLS_MAX },
	    CMD_STREAM },
	{ { "cert", required_argument, NULL, STREAM_OPT_CERT }, CMD_STREAM },
	{ { "key", required_argument, NULL, STREAM_OPT_KEY }, CMD_STREAM },
	{ { "insecure", no_argument, NULL, STREAM_OPT_INSECURE },
	    CMD_STREAM },
	{ { "keylog", required_argument, NULL, STREAM_OPT_KEYLOG },
	    CMD_STREAM },
	{ { "verify-client", no_argument, NULL, STREAM_OPT_VERIFY_CLIENT },
	    CMD_STREAM },
	{ { "help", no_argument, NULL, 'h' }, ~0 },
};

/*
 * Every command's own long option, once; a command names the ones it
 * takes (cmd_getopt()'s longs).  A name two commands share is one row.
 */
static const struct option cmd_own_longopts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "all-open", no_argument, NULL, OPT_ALL_OPEN },
	{ "allow", required_argument, NULL, OPT_ALLOW },
	{ "ack", required_argument, NULL, OPT_ACK },
	{ "badsum", no_argument, NULL, OPT_BADSUM },
	{ "broadcast", no_argument, NULL, OPT_BROADCAST },
	{ "broker", no_argument, NULL, OPT_BROKER },
	{ "chat", no_argument, NULL, OPT_CHAT },
	{ "chunk", no_argument, NULL, OPT_CHUNK },
	{ "colour", required_argument, NULL, CAPTURE_OPT_COLOR },
	{ "conv", required_argument, NULL, OPT_CONV },
	{ "data", required_argument, NULL, OPT_DATA },
	{ "data-hex", required_argument, NULL, OPT_DATA_HEX },
	{ "delay", required_argument, NULL, OPT_DELAY },
	{ "deny", required_argument, NULL, OPT_DENY },
	{ "df", no_argument, NULL, OPT_DF },
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "exec", required_argument, NULL, OPT_EXEC },
	{ "first-ttl", required_argument, NULL, OPT_FIRST_TTL },
	{ "flags", required_argument, NULL, OPT_FLAGS },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "graceful", no_argument, NULL, OPT_GRACEFUL },
	{ "grepable", no_argument, NULL, OPT_GREPABLE },
	{ "hops", required_argument, NULL, OPT_HOPS },
	{ "id", required_argument, NULL, OPT_ID },
	{ "iface", required_argument, NULL, OPT_IFACE },
	{ "join", required_argument, NULL, OPT_JOIN },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "keylog", required_argument, NULL, OPT_KEYLOG },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "lossy", no_argument, NULL, OPT_LOSSY },
	{ "max-conns", required_argument, NULL, OPT_MAX_CONNS },
	{ "max-convs", required_argument, NULL, OPT_MAXCONVS },
	{ "max-queue", required_argument, NULL, OPT_MAX_QUEUE },
	{ "banner", optional_argument, NULL, OPT_BANNER },
	{ "max-timeout", required_argument, NULL, OPT_MAX_TIMEOUT },
	{ "max-ttl", required_argument, NULL, OPT_MAX_TTL },
	{ "min-rate", required_argument, NULL, OPT_MIN_RATE },
	{ "merge", no_argument, NULL, OPT_MERGE },
	{ "min-timeout", required_argument, NULL, OPT_MIN_TIMEOUT },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "multicast-loop", no_argument, NULL, OPT_MCAST_LOOP },
	{ "no-randomize", no_argument, NULL, OPT_NO_RANDOMIZE },
	{ "open", no_argument, NULL, OPT_OPEN },
	{ "proto", required_argument, NULL, OPT_PROTO },
	{ "proxy", required_argument, NULL, OPT_PROXY },
	{ "proxy-auth", required_argument, NULL, OPT_PROXY_AUTH },
	{ "proxy-dns", required_argument, NULL, OPT_PROXY_DNS },
	{ "proxy-type", required_argument, NULL, OPT_PROXY_TYPE },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "resolve-all", no_argument, NULL, OPT_RESOLVE_ALL },
	{ "resume", required_argument, NULL, OPT_RESUME },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "seq", required_argument, NULL, OPT_SEQ },
	{ "sh-exec", required_argument, NULL, OPT_SH_EXEC },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "sorted", no_argument, NULL, OPT_SORTED },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "speed", required_argument, NULL, OPT_SPEED },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "sport", required_argument, NULL, OPT_SPORT },
	{ "step", no_argument, NULL, OPT_STEP },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "to-all", no_argument, NULL, OPT_TO_ALL },
	{ "tos", required_argument, NULL, OPT_TOS },
	{ "traceroute", no_argument, NULL, OPT_TRACEROUTE },
	{ "ttl", required_argument, NULL, OPT_TTL },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "udp", no_argument, NULL, 'u' },
	{ "unconnected", no_argument, NULL, OPT_UNCONNECTED },
	{ "unlink", no_argument, NULL, OPT_UNLINK },
	{ "win", required_argument, NULL, OPT_WIN },
};

void
cmd_ctx_init(struct cmd_ctx *c, const struct cmd_entry *cmd)
{
	memset(c, 0, sizeof *c);
	c->cmd = cmd;
	c->flags = cmd->flags;
	c->family = AF_UNSPEC;
	snprintf(c->where, sizeof c->where, "%s", cmd->name);
	capture_opts_init(&c->cap);
	stream_opts_init(&c->stream);
}

int
cmd_main(const struct cmd_entry *cmd, int argc, char **argv)
{
	struct cmd_ctx	 c;

	cmd_ctx_init(&c, cmd);
	return cmd_end(&c, cmd_run(&c, cmd, argc, argv));
}

/*
 * Open the stream options' files (-o, --hex-dump) before the command
 * runs: a file that cannot be written stops it before any connection.
 * Returns -1, or EXIT_RUNTIME after saying why.
 */
static int
cmd_stream_open(struct cmd_ctx *c)
{
	char	 err[512];

	if (!(c->flags & (CMD_STREAM | CMD_SESSION)) || stream_open(
	    &c->stream, err, sizeof err) == 0)
		return -1;
	sk_warnx("%s: %s", c->where, err);
	return EXIT_RUNTIME;
}

int
cmd_run(struct cmd_ctx *c, const struct cmd_entry *e, int argc, char **argv)
{
	void	*o;
	int	 rc = -1;

	if ((o = calloc(1, e->size > 0 ? e->size : 1)) == NULL) {
		sk_warn("%s", c->where);
		return EXIT_RUNTIME;
	}
	c->argc = argc;
	c->argv = argv;
	if (e->init != NULL)
		e->init(c, o);	/* may take other words (probe --resume) */
	if (e->option != NULL && (rc = cmd_getopt(c, c->argc, c->argv,
	    e->shorts, e->longs, e->option, o)) == -1) {
		c->argc -= optind;
		c->argv += optind;
	}
	if (rc == -1 && e->check != NULL)
		rc = e->check(c, o);
	if (rc == -1)
		rc = cmd_stream_open(c);
	if (rc == -1)
		rc = e->run(c, o);
	if (e->fini != NULL)
		e->fini(o);
	free(o);
	return rc;
}

/*
 * The row of cmd_own_longopts named by the first word of names (ending
 * at a space or the end), into *out.  Returns 0, or -1 when none is.
 */
static int
cmd_own_longopt(const char *names, struct option *out)
{
	size_t	 len = strcspn(names, " "), i;

	for (i = 0; i < sizeof cmd_own_longopts / sizeof cmd_own_longopts[0];
	    i++)
		if (strlen(cmd_own_longopts[i].name) == len &&
		    strncmp(cmd_own_longopts[i].name, names, len) == 0) {
			*out = cmd_own_longopts[i];
			return 0;
		}
	return -1;
}

/*
 * The long options names lists (space-separated), then the shared ones
 * c's flags ask for, into out (CMD_MAXOPTS rows, the last a zero row):
 * a command's own --json comes before the shared one and wins.  Returns
 * 0, or -1 when a name is no long option of cmd_own_longopts.
 */
static int
cmd_longopts(const struct cmd_ctx *c, const char *names, struct option *out)
{
	size_t	 n = 0, i;

	while (names != NULL && *names != '\0' && n < CMD_MAXOPTS - 1) {
		if (cmd_own_longopt(names, &out[n++]) == -1)
			return -1;
		names += strcspn(names, " ");
		names += strspn(names, " ");
	}
	for (i = 0; i < sizeof cmd_shared / sizeof cmd_shared[0] &&
	    n < CMD_MAXOPTS - 1; i++)
		if (cmd_shared[i].flags & c->flags)
			out[n++] = cmd_shared[i].opt;
	memset(&out[n], 0, sizeof out[n]);
	return 0;
}

/*
 * Take -4 or -6 (ch) into c->family.  Returns -1, or EXIT_USAGE after
 * saying that both were given.
 */
static int
cmd_family(struct cmd_ctx *c, int ch)
{
	int	 want = ch == '6' ? AF_INET6 : AF_INET;

	if (c->family != AF_UNSPEC && c->family != want)
		return cmd_usage_error(c->cmd, "%s%s-4 and -6 cannot go "
		    "together: give one, or neither for both families",
		    c->sub ? c->sub : "", c->sub ? ": " : "");
	c->family = want;
	return -1;
}

/*
 * One shared option (ch is no letter of the command's own): into c.
 * Returns 0, 1 when ch is none of them, or -1 with err.
 */
static int
cmd_shared_option(struct cmd_ctx *c, int ch, const char *arg, char *err,
    size_t errlen)
{
	if (CAPTURE_OPT_IS(ch))
		return capture_parse(&c->cap, ch, arg, err, errlen);
	if (ch == PRIV_OPT_USER || ch == PRIV_OPT_NO_DROP)
		return priv_parse(&c->priv, ch, arg, err, errlen);
	if (((c->flags & CMD_STREAM) && stream_is_option(ch)) ||
	    ((c->flags & CMD_SESSION) && stream_is_session(ch)))
		return stream_parse(&c->stream, ch, arg, err, errlen);
	return 1;
}

/* One option getopt_long() returned; -1 or the exit status (said). */
static int
cmd_option(struct cmd_ctx *c, int ch, char **argv, cmd_option_fn one,
    void *arg)
{
	char	 err[512];
	int	 rc;

	switch (ch) {
	case '?':
	case ':':
		return cmd_bad_option(c->cmd, ch, argv);
	case 'h':
		return cmd_help(c->cmd);
	case '4':
	case '6':
		return cmd_family(c, ch);
	case 'v':
		sk_verbosity++;
		return -1;
	}
	err[0] = '\0';
	if ((rc = cmd_shared_option(c, ch, optarg, err, sizeof err)) == 1)
		rc = one(arg, ch, optarg, err, sizeof err);
	if (rc == 0)
		return -1;
	if (c->sub != NULL)
		return cmd_usage_error(c->cmd, "%s: %s", c->sub, err);
	return cmd_usage_error(c->cmd, "%s", err);
}

int
cmd_getopt(struct cmd_ctx *c, int argc, char **argv, const char *shorts,
    const char *longs, cmd_option_fn one, void *arg)
{
	struct option	 all[CMD_MAXOPTS];
	char		 letters[CMD_MAXSHORTS], err[512];
	int		 ch, rc;

	if (cmd_longopts(c, longs, all) == -1) {
		sk_warnx("%s: internal error: a long option of '%s' is in no "
		    "table", c->cmd->name, longs);
		return EXIT_RUNTIME;
	}
	snprintf(letters, sizeof letters, ":%s%sh", c->flags & CMD_STREAM ?
	    STREAM_SHORTOPTS : "", shorts);
	opterr = 0;
	optind = 0;		/* a fresh scan, even after another */
	while ((ch = getopt_long(argc, argv, letters, all, NULL)) != -1)
		if ((rc = cmd_option(c, ch, argv, one, arg)) != -1)
			return rc;
	if ((c->flags & (CMD_STREAM | CMD_SESSION)) && stream_check(
	    &c->stream, err, sizeof err) == -1)
		return cmd_usage_error(c->cmd, "%s", err);
	return -1;
}

#ifdef HAVE_OPENSSL
/* A line of OpenSSL's key log callback, kept for the decrypter. */
static void
cmd_keylog_line(const char *line, void *arg)
{
	char	 err[128];

	/* Lines that are not secrets (none, from OpenSSL) are skipped. */
	(void)keylog_add_line(arg, line, strlen(line), err, sizeof err);
}
#endif

/*
 * A TLS connection of our own that is drawn is drawn decrypted: its
 * secrets, as OpenSSL derives them, go to a key log the picture reads.
 * The hook is set before any TLS context is made (tls.c asks for the
 * callback then).
 */
void
cmd_keylog_start(struct cmd_ctx *c)
{
#ifdef HAVE_OPENSSL
	if (!c->stream.tls.on || (c->keylog = keylog_new()) == NULL)
		return;
	/* A connection's secrets are read by its first records. */
	keylog_set_window(c->keylog, 1024);
	c->cap.keylog = c->keylog;
	tls_set_keylog_hook(cmd_keylog_line, c->keylog);
#else
	(void)c;
#endif
}

/* After the picture's end: no more secrets are kept. */
static void
cmd_keylog_end(struct cmd_ctx *c)
{
#ifdef HAVE_OPENSSL
	if (c->keylog != NULL)
		tls_set_keylog_hook(NULL, NULL);
#endif
	keylog_free(c->keylog);
	c->keylog = NULL;
}

int
cmd_capture_open(struct cmd_ctx *c)
{
	char	 err[512];

	if (!capture_wanted(&c->cap))
		return -1;
	cmd_keylog_start(c);
	if ((c->capture = capture_open(&c->cap, err, sizeof err)) == NULL) {
		sk_warnx("%s: %s", c->where, err);
		return EXIT_RUNTIME;
	}
	return -1;
}

void
cmd_linger(struct cmd_ctx *c)
{
	if (c->capture != NULL && !sk_interrupted)
		capture_linger(c->capture);
}

int
cmd_end(struct cmd_ctx *c, int rc)
{
	char	 err[512];

	if (stream_close(&c->stream, err, sizeof err) == -1) {
		sk_warnx("%s: %s", c->where, err);
		if (rc == EXIT_OK)
			rc = EXIT_RUNTIME;
	}
	if (c->capture == NULL) {
		cmd_keylog_end(c);
		return rc;
	}
	if (capture_end(c->capture, err, sizeof err) == -1) {
		sk_warnx("%s: %s", c->where, err);
		if (rc == EXIT_OK)
			rc = EXIT_RUNTIME;
	}
	c->capture = NULL;
	cmd_keylog_end(c);
	return rc;
}

int
cmd_drop_privileges(struct cmd_ctx *c)
{
	char	 err[300];

	if (priv_drop(&c->priv, err, sizeof err) == 0)
		return -1;
	sk_warnx("%s: %s", c->where, err);
	return EXIT_RUNTIME;
}

int
cmd_check_priv(struct cmd_ctx *c)
{
	char	 err[300];

	if (priv_check(&c->priv, err, sizeof err) == -1)
		return cmd_usage_error(c->cmd, "%s", err);
	return -1;
}

int
cmd_check_unix(struct cmd_ctx *c, size_t nacl, const char *what,
    const char *proto)
{
	if (nacl > 0)
		return cmd_usage_error(c->cmd, "--allow and --deny need an IP "
		    "%s, not -U", what);
	if (capture_wanted(&c->cap))
		return cmd_usage_error(c->cmd, "--trace, --json and --write "
		    "capture %s: they cannot go with -U", proto);
	if (c->priv.user != NULL)
		return cmd_usage_error(c->cmd, "--user cannot go with -U: the "
		    "socket file is removed by the user who made it");
	return -1;
}

int
cmd_listen_socket(const struct cmd_ctx *c, const char *unix_path, int type,
    int backlog, int unlink_existing, const char *service, char *err,
    size_t errlen)
{
	uint16_t	 port;

	if (unix_path != NULL)
		return net_unix_listen(unix_path, type, backlog,
		    unlink_existing, err, errlen);
	if (net_parse_port(c->argv[c->argc - 1], service, 1, &port, err,
	    errlen) == -1)
		return -1;
	return net_listen(c->argc == 2 ? c->argv[0] : NULL, port, c->family,
	    type, backlog, err, errlen);
}

int
cmd_help(const struct cmd_entry *cmd)
{
	printf("sockkit %s: %s\n\nusage: sockkit %s", cmd->name, cmd->summary,
	    cmd->usage);
	return EXIT_OK;
}

int
cmd_usage_error(const struct cmd_entry *cmd, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "sockkit: %s: %s\n", cmd->name, msg);
	return EXIT_USAGE;
}

int
cmd_bad_option(const struct cmd_entry *cmd, int ch, char **argv)
{
	const char	*arg = argv[optind - 1];

	if (ch == ':') {
		if (arg[0] == '-' && arg[1] == '-')
			return cmd_usage_error(cmd, "option '%s' needs a value",
			    arg);
		return cmd_usage_error(cmd, "option '-%c' needs a value",
		    optopt);
	}
	if (optopt != 0 && optopt < OPT_ID_FIRST)
		return cmd_usage_error(cmd, "unknown option '-%c': try "
		    "'sockkit %s --help'", optopt, cmd->name);
	return cmd_usage_error(cmd, "unknown option '%s': try 'sockkit %s "
	    "--help'", arg, cmd->name);
}

int
cmd_check_addrs(const struct cmd_entry *cmd, const char *host,
    const char *src, const char *unix_path)
{
	const char	*why;
	char		 err[300];

	if (host != NULL && (why = net_host_why(host)) != NULL)
		return cmd_usage_error(cmd, "bad host '%s': %s", host, why);
	if (src != NULL && (why = net_host_why(src)) != NULL)
		return cmd_usage_error(cmd, "-s: bad host '%s': %s", src, why);
	if (unix_path != NULL && net_unix_path_check(unix_path, err,
	    sizeof err) == -1)
		return cmd_usage_error(cmd, "-U: %s", err);
	return -1;
}

int
cmd_acl_option(struct net_acl *acl, int deny, const char *arg, char *err,
    size_t errlen)
{
	char	 why[256];

	if (net_acl_add(acl, deny, arg, why, sizeof why) == 0)
		return 0;
	snprintf(err, errlen, "--%s: %s", deny ? "deny" : "allow", why);
	return -1;
}

int
cmd_port_option(const char *arg, const char *proto, uint16_t *port,
    char *err, size_t errlen)
{
	char	 why[256];

	if (net_parse_port(arg, proto, 0, port, why, sizeof why) == 0)
		return 0;
	snprintf(err, errlen, "-p: %s", why);
	return -1;
}

/* Levenshtein distance, for "did you mean"; names are short. */
static int
edit_distance(const char *a, const char *b)
{
	int	 row[64], i, j, prev, tmp, la = strlen(a), lb = strlen(b);

	if (lb >= 64 || la >= 64)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j] > row[j - 1] + 1)
				row[j] = row[j - 1] + 1;
			if (row[j] > tmp + 1)
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[lb];
}

/*
 * Find name among names: exactly, else as the prefix of exactly one.
 * Returns its index; or -1 when none matches, with *near the name fewer
 * than maxdist edits away (NULL: none that close); or -2 when several do,
 * with them in list ("a, b").
 */
static int
cmd_lookup(const char *const *names, const char *name, int maxdist,
    const char **near, char *list, size_t listlen)
{
	size_t	 len = strlen(name), used = 0;
	int	 i, found = -1, matches = 0, d;

	*near = NULL;
	list[0] = '\0';
	for (i = 0; names[i] != NULL; i++) {
		if (strcmp(names[i], name) == 0)
			return i;
		if (len > 0 && strncmp(names[i], name, len) == 0) {
			found = i;
			if (used < listlen)
				used += snprintf(list + used, listlen - used,
				    "%s%s", matches++ ? ", " : "", names[i]);
		}
		if ((d = edit_distance(name, names[i])) < maxdist) {
			maxdist = d;
			*near = names[i];
		}
	}
	if (matches == 1)
		return found;
	return matches > 1 ? -2 : -1;
}

int
cmd_find(const struct cmd_entry *cmd, const char *kind,
    const char *const *names, const char *name, int maxdist, const char *hint)
{
	const char	*near;
	char		 list[256], msg[512];
	int		 i;

	if ((i = cmd_lookup(names, name, maxdist, &near, list,
	    sizeof list)) >= 0)
		return i;
	if (i == -2)
		snprintf(msg, sizeof msg, "ambiguous %s '%s': it could be %s",
		    kind, name, list);
	else if (near != NULL)
		snprintf(msg, sizeof msg, "unknown %s '%s'; did you mean '%s'? "
		    "(%s)", kind, name, near, hint);
	else
		snprintf(msg, sizeof msg, "unknown %s '%s' (%s)", kind, name,
		    hint);
	if (cmd == NULL)
		sk_warnx("%s", msg);
	else
		cmd_usage_error(cmd, "%s", msg);
	return -1;
}
