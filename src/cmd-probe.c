/*
 * cmd-probe.c: "sockkit probe", connect()-based port checks over many
 * ports and hosts.  Options, targets and output live here; the engine is
 * probe.c and the pure parsing and ordering is targets.c.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "net.h"
#include "probe.h"
#include "probe-merge.h"
#ifdef HAVE_OPENSSL
#include "probe-tls.h"
#endif
#include "probe-report.h"
#include "probe-resume.h"
#include "render.h"
#include "replay.h"
#include "targets.h"
#include "util.h"

/* --tls: how long a handshake may take without --banner=MS. */
#define PROBE_TLS_MS	2000

struct probe_cmd {
	struct probe_opts	 eo;
	int			 family;
	const char		*ports;
	int			 list_all, open_only, json, grepable;
	int			 sorted;	/* --json at the end, in order */
	int			 all_open, force, no_randomize, have_seed;
	uint64_t		 seed, shard_i, shard_n;
	const char		**excl;
	size_t			 nexcl;
	struct tgt_set		 set;
	struct probe_result	*res;		/* the ports to list */
	size_t			 nres, rescap;
	struct probe_hcount	*hc;
	int			 oom, progress, progress_shown;
	int			 trace;		/* --trace */
	const char		*svg_path, *html_path;	/* --svg, --html */
	const char		*write_path;	/* --write */
	int			 write_made;	/* the file is new: ours */
	struct render		*r;		/* the evidence's sink, made
						   as root */
	struct capture		*cap;
	int			 cap_fd;	/* the capture file: --write's,
						   or nameless; 0: none */
	struct cmd_ctx		*ctx;		/* the shared options */
	struct probe_result	*ev;		/* ports with evidence */
	size_t			 nev, evcap;
	char			**svc;		/* service by port */
	char			*args;		/* the command line, for -oX */
	struct report_outs	 outs;		/* -oX, -oG, -oN, -oA */
	struct report_tally	 tally;		/* their unlisted ports */
	int			 stream;	/* the table on stdout, each
						   host as it is done */
	uint8_t			*shown;		/* per host: its table out */
	size_t			 nshown;	/* hosts printed so far */
	uint32_t		 next_host;	/* --sorted: the next to print */
	uint32_t		 open_host;	/* --open: the last printed */
	const char		*state_path;	/* --state */
	int			 state_fd;	/* open from the start, or -1 */
	struct resume		 resume;	/* --resume: the run so far */
	int			 resuming;	/* 1: loaded, -1: could not */
	char			 resume_why[600];
	struct tgt_hp		*pending;	/* interrupted: no verdict */
	size_t			 npending, pendcap;
	char			**words;	/* the command line as given,
						   for --state */
	int			 nwords;
	uint64_t		 given;		/* jobs the walk handed out */
	struct probe_stats	 prev;		/* --resume: the runs before */
	int			 merge;		/* --merge: FILEs, not TARGETs */
	int			 tls;		/* --tls */
	int			 tls_banner;	/* and --banner */
	struct probe_tlsctx	*tlsctx;
	int			 probing;	/* an option that only probing
						   takes was given */
	time_t			 merge_start, merge_end;	/* the
					   first report's start, the last's
					   end */
	double			 merge_secs;	/* how long they took */
};

static int	probe_option(void *, int, const char *, char *, size_t);
static int	probe_number(struct probe_cmd *, int, const char *, char *,
		    size_t);
static int	probe_secs(const char *, const char *, long, long *, char *,
		    size_t);
static const uint8_t *probe_ai_addr(const struct addrinfo *);
static int	probe_exclude(struct probe_cmd *, const char *);
static int	probe_add_name(struct probe_cmd *, struct tgt_spec *, char *,
		    size_t);
static int	probe_target(struct probe_cmd *, const char *);
static int	probe_targets(struct probe_cmd *, int, char **);
static int	probe_captures(const struct probe_cmd *);
static int	probe_draws(const struct probe_cmd *);
static int	probe_banner_option(struct probe_cmd *, const char *, char *,
		    size_t);
static int	probe_keep(struct probe_cmd *, const struct probe_result *);
static int	probe_tls_setup(struct probe_cmd *);
static int	probe_plainly_closed(const struct probe_cmd *,
		    const struct probe_result *);
static void	probe_on_result(const struct probe_result *, void *);
static void	probe_on_progress(const struct probe_stats *, void *);
static void	probe_on_poll(void *);
static const char *probe_service(struct probe_cmd *, uint16_t);
static void	probe_json_str(const char *);
static void	probe_json_host(const struct probe_cmd *, uint32_t);
static void	probe_json_tls(const struct probe_tls *);
static void	probe_print_port(struct probe_cmd *,
		    const struct probe_result *);
static void	probe_print_host(struct probe_cmd *, uint32_t, size_t,
		    size_t);
static int	probe_cmp(const void *, const void *);
static void	probe_run_desc(struct probe_cmd *, struct report_run *);
static int	probe_host_done(const struct probe_cmd *, uint32_t);
static void	probe_stream_host(struct probe_cmd *, uint32_t);
static void	probe_stream_open(struct probe_cmd *,
		    const struct probe_result *);
static void	probe_stream(struct probe_cmd *, const struct probe_result *);
static void	probe_output(struct probe_cmd *, const struct report_run *);
static int	probe_outs_open(struct probe_cmd *);
static int	probe_report(struct probe_cmd *, const struct probe_stats *,
		    time_t);
static void	probe_report_run(struct probe_cmd *, const struct probe_stats *,
		    time_t, struct report_run *);
static int	probe_status(const struct probe_cmd *,
		    const struct probe_stats *);
static uint64_t	probe_random_seed(void);
static void	probe_resume_load(struct probe_cmd *, struct cmd_ctx *);
static int	probe_merge_load(struct probe_cmd *, int, char **);
static int	probe_merge_report(struct probe_cmd *);
static int	probe_resume_apply(struct probe_cmd *, struct tgt_iter *);
static void	probe_on_pending(uint32_t, uint16_t, void *);
static int	probe_state_save(struct probe_cmd *, const struct report_run *);

/* Parse seconds for option name into *ms; 0 or -1 with err. */
static int
probe_secs(const char *name, const char *arg, long min_ms, long *ms,
    char *err, size_t errlen)
{
	char	 why[128];

	if (parse_secs(arg, 86400000L, ms, why, sizeof why) == -1)
		snprintf(err, errlen, "%s '%s': %s", name, arg, why);
	else if (*ms < min_ms)
		snprintf(err, errlen, "%s '%s': must be at least %g seconds",
		    name, arg, min_ms / 1000.0);
	else
		return 0;
	return -1;
}

/* -c, --retries, --rate and --seed: numbers; 0 or -1 with err. */
static int
probe_number(struct probe_cmd *c, int ch, const char *arg, char *err,
    size_t errlen)
{
	const char	*name = ch == 'c' ? "-c" : ch == OPT_RETRIES ?
			    "--retries" : "--rate";
	char		 why[128], *end;
	long		 v;

	if (ch == OPT_SEED) {
		errno = 0;
		c->seed = strtoull(arg, &end, 0);
		if (*arg < '0' || *arg > '9' || *end != '\0' || errno != 0)
			return snprintf(err, errlen, "--seed '%s': not a "
			    "number", arg), -1;
		c->have_seed = 1;
		return 0;
	}
	if (parse_long(arg, ch == OPT_RETRIES ? 0 : 1, ch == 'c' ? 1000000 :
	    ch == OPT_RETRIES ? 20 : 10000000, &v, why, sizeof why) == -1)
		return snprintf(err, errlen, "%s '%s': %s", name, arg, why),
		    -1;
	if (ch == 'c')
		c->eo.cap = v;
	else if (ch == OPT_RETRIES)
		c->eo.retries = (int)v;
	else
		c->eo.rate = (double)v;
	return 0;
}

/* --exclude TARGET, once more; 0 or -1 with err. */
static int
probe_add_exclude(struct probe_cmd *c, const char *arg, char *err,
    size_t errlen)
{
	const char	**x;

	if ((x = realloc(c->excl, (c->nexcl + 1) * sizeof *x)) == NULL)
		return snprintf(err, errlen, "--exclude: out of memory"), -1;
	c->excl = x;
	c->excl[c->nexcl++] = arg;
	return 0;
}

/*
 * --tls: the handshakes' settings (OpenSSL is loaded here) and the
 * engine's hooks.  Returns 0, or -1 after saying why.
 */
static int
probe_tls_setup(struct probe_cmd *c)
{
#ifdef HAVE_OPENSSL
	char	 err[512];

	if ((c->tlsctx = probe_tls_new(&c->set, c->tls_banner, err,
	    sizeof err)) == NULL) {
		sk_warnx("probe: %s", err);
		return -1;
	}
	c->eo.sess_open = probe_tls_open;
	c->eo.sess_step = probe_tls_step;
	c->eo.sess_done = probe_tls_done;
	c->eo.sess_arg = c->tlsctx;
	return 0;
#else
	(void)c;
	return -1;		/* --tls was refused */
#endif
}

/* --banner[=MS]: how long to wait for a banner; 0 or -1 with err. */
static int
probe_banner_option(struct probe_cmd *c, const char *arg, char *err,
    size_t errlen)
{
	char	 why[128];

	if (arg == NULL) {
		c->eo.banner_ms = 500;
		return 0;
	}
	if (parse_long(arg, 1, 60000, &c->eo.banner_ms, why, sizeof why) == -1)
		return snprintf(err, errlen, "--banner=%s: %s (milliseconds)",
		    arg, why), -1;
	return 0;
}

/* An option with a value (cmd_option_fn's part); 0 or -1 with err. */
static int
probe_value(struct probe_cmd *c, int ch, const char *arg, char *err,
    size_t errlen)
{
	char	 why[128];

	switch (ch) {
	case 'p': c->ports = arg; return 0;
	case 'w':
		return probe_secs("-w", arg, 1, &c->eo.fixed_timeout_ms, err,
		    errlen);
	case OPT_MIN_TIMEOUT:
		return probe_secs("--min-timeout", arg, 1,
		    &c->eo.min_timeout_ms, err, errlen);
	case OPT_MAX_TIMEOUT:
		return probe_secs("--max-timeout", arg, 1,
		    &c->eo.max_timeout_ms, err, errlen);
	case OPT_DELAY:
		return probe_secs("--delay", arg, 0, &c->eo.delay_ms, err,
		    errlen);
	case OPT_EXCLUDE:
		return probe_add_exclude(c, arg, err, errlen);
	case OPT_BANNER:
		return probe_banner_option(c, arg, err, errlen);
	case STREAM_OPT_TLS:		/* cmd.c's row, CMD_TLS */
#ifndef HAVE_OPENSSL
		return snprintf(err, errlen, "--tls: this sockkit was built "
		    "without OpenSSL (configure --without-openssl); install "
		    "libssl-dev and rebuild"), -1;
#endif
		c->tls = 1;
		return 0;
	case OPT_SHARD:
		if (tgt_shard_parse(arg, &c->shard_i, &c->shard_n, why,
		    sizeof why) == -1)
			return snprintf(err, errlen, "--shard: %s", why), -1;
		return 0;
	}
	return probe_number(c, ch, arg, err, errlen);
}

/*
 * -oX FILE, -oG, -oN, -oA as nmap spells them: getopt reads "-oX" as -o
 * with "X", and FILE is the next word of the command line, taken here
 * ("-oXFILE" works too).  Returns 0, or -1 with err.
 */
static int
probe_out_option(struct probe_cmd *c, const char *arg, char *err,
    size_t errlen)
{
	const char	*path = NULL, *next;
	char		 f[2] = { arg[0], '\0' };

	next = optind < c->ctx->argc ? c->ctx->argv[optind] : NULL;
	if (f[0] == '\0' || strchr("NXGA", f[0]) == NULL)
		f[0] = '\0';		/* report_outs_add() names arg */
	else if (arg[1] != '\0')
		path = arg + 1;
	else if (next != NULL && (next[0] != '-' || strcmp(next, "-") == 0)) {
		path = next;
		optind++;
	} else
		return snprintf(err, errlen, "option '-o%s' needs a %s", f,
		    f[0] == 'A' ? "BASE name" : "FILE"), -1;
	return report_outs_add(&c->outs, f[0] != '\0' ? f : arg,
	    path != NULL ? path : "", err, errlen);
}

/* probe's own options (cmd_option_fn); 0 or -1 with err. */
static int
probe_option(void *arg_c, int ch, const char *arg, char *err, size_t errlen)
{
	struct probe_cmd	*c = arg_c;

	switch (ch) {
	case 'o': return probe_out_option(c, arg, err, errlen);
	case OPT_SORTED: c->sorted = 1; return 0;
	case OPT_RESOLVE_ALL: return 0;		/* the default */
	case 'a': c->list_all = 1; return 0;
	case 'u': c->eo.udp = 1; return 0;
	case OPT_ALL_OPEN: c->all_open = 1; return 0;
	case OPT_FORCE: c->force = 1; return 0;
	case OPT_GRACEFUL: c->eo.graceful = 1; return 0;
	case OPT_GREPABLE: c->grepable = 1; return 0;
	case OPT_JSON: c->json = 1; return 0;
	case OPT_NO_RANDOMIZE: c->no_randomize = 1; return 0;
	case OPT_OPEN: c->open_only = 1; return 0;
	case OPT_STATE: c->state_path = arg; return 0;
	case OPT_MERGE: c->merge = 1; return 0;
	case OPT_RESUME:
		return snprintf(err, errlen, "--resume FILE takes the whole "
		    "command line from FILE: give it alone (sockkit probe "
		    "--resume FILE)"), -1;
	}
	c->probing = 1;
	return probe_value(c, ch, arg, err, errlen);
}

/*
 * "probe --resume FILE" (alone): the command line becomes the one FILE
 * keeps, and the run goes on where FILE says.  A FILE that cannot be read
 * leaves only "probe", and probe_check() says why.
 */
static void
probe_resume_load(struct probe_cmd *c, struct cmd_ctx *ctx)
{
	const char	*path = NULL;
	char		 why[512];
	FILE		*fp;

	if (ctx->argc == 3 && strcmp(ctx->argv[1], "--resume") == 0)
		path = ctx->argv[2];
	else if (ctx->argc == 2 && strncmp(ctx->argv[1], "--resume=", 9) == 0)
		path = ctx->argv[1] + 9;
	if (path == NULL)
		return;
	if ((fp = fopen(path, "r")) == NULL)
		snprintf(why, sizeof why, "%s", strerror(errno));
	else if (resume_read(fp, &c->resume, why, sizeof why) == 0 &&
	    strcmp(c->resume.argv[0], "probe") != 0)
		snprintf(why, sizeof why, "it is not the state of a probe");
	else if (why[0] == '\0') {
		fclose(fp);
		c->resuming = 1;
		ctx->argc = c->resume.argc;
		ctx->argv = c->resume.argv;
		return;
	}
	if (fp != NULL)
		fclose(fp);
	snprintf(c->resume_why, sizeof c->resume_why, "--resume %s: %s", path,
	    why);
	c->resuming = -1;
	ctx->argc = 1;
}

/* probe's defaults, and where its options find the shared ones. */
static void
probe_init(struct cmd_ctx *ctx, void *arg)
{
	struct probe_cmd	*c = arg;

	c->ctx = ctx;
	c->state_fd = -1;
	probe_resume_load(c, ctx);
	c->args = report_args(ctx->argc, ctx->argv);	/* before getopt
							   reorders them */
	if ((c->words = calloc((size_t)ctx->argc + 1, sizeof *c->words)) !=
	    NULL) {
		memcpy(c->words, ctx->argv, (size_t)ctx->argc * sizeof
		    *c->words);
		c->nwords = ctx->argc;
	}
	c->ports = "1-1024";
	c->shard_i = c->shard_n = 1;
	c->eo.cap = 1024;
	c->eo.retries = 1;
	c->eo.fixed_timeout_ms = -1;
	c->eo.min_timeout_ms = 100;
	c->eo.max_timeout_ms = 10000;
	c->eo.delay_ms = -1;
	c->eo.poll_fd = -1;
}

/*
 * Take the shared options probe uses (-4, -6, --trace, --svg, --html,
 * --write) from its context, and reject what cannot go together.
 * Returns -1 or EXIT_USAGE.
 */
static int
probe_check_options(int nargs, struct probe_cmd *c)
{
	const struct cmd_entry	*e = &cmd_probe_entry;
	int			 ch;

	c->family = c->ctx->family;
	c->trace = c->ctx->cap.trace;
	c->svg_path = c->ctx->cap.svg_path;
	c->html_path = c->ctx->cap.html_path;
	c->write_path = c->ctx->cap.write_path;

	if (c->resuming == -1) {
		sk_warnx("probe: %s", c->resume_why);
		return EXIT_RUNTIME;
	}
	if (c->merge && (c->probing || c->state_path != NULL || c->trace ||
	    c->svg_path != NULL || c->html_path != NULL || c->write_path !=
	    NULL || c->ctx->priv.user != NULL))
		return cmd_usage_error(e, "--merge joins reports: give it FILEs "
		    "and what to write (-o, -a, --open, --json, --grepable, "
		    "--sorted), no option that probes");
	if (nargs == 0)
		return cmd_usage_error(e, c->merge ? "--merge: expected at "
		    "least one FILE (nmap XML)" : "expected at least one "
		    "TARGET");
	if (c->list_all + c->open_only > 1)
		return cmd_usage_error(e, "-a and --open cannot go together");
	if (c->json + c->grepable > 1)
		return cmd_usage_error(e, "--json and --grepable cannot go "
		    "together");
	if (c->sorted && c->grepable)
		return cmd_usage_error(e, "--sorted orders the table and "
		    "--json: --grepable is in order already");
	if (c->trace && (c->json || c->grepable))
		return cmd_usage_error(e, "--trace draws ladders: it cannot go "
		    "with --json or --grepable");
	if ((ch = report_outs_stdout(&c->outs)) != 0 && (c->json ||
	    c->grepable || c->trace || (c->svg_path != NULL &&
	    strcmp(c->svg_path, "-") == 0) || (c->html_path != NULL &&
	    strcmp(c->html_path, "-") == 0)))
		return cmd_usage_error(e, "-o%c - writes to stdout: it cannot "
		    "go with --json, --grepable, --trace or a picture on "
		    "stdout", ch);
	if (c->eo.udp && c->eo.banner_ms > 0)
		return cmd_usage_error(e, "--banner reads what a TCP service "
		    "sends first: it cannot go with -u");
	if (c->eo.udp && c->tls)
		return cmd_usage_error(e, "--tls shakes hands with open TCP "
		    "ports: it cannot go with -u");
	if (c->tls) {	/* the handshake takes the banner's slot and time */
		c->tls_banner = c->eo.banner_ms > 0;
		if (c->eo.banner_ms == 0)
			c->eo.banner_ms = PROBE_TLS_MS;
	}
	if (c->eo.udp && c->eo.graceful)
		return cmd_usage_error(e, "--graceful closes open TCP ports "
		    "with FIN: it cannot go with -u");
	if (c->eo.min_timeout_ms > c->eo.max_timeout_ms)
		return cmd_usage_error(e, "--min-timeout is more than "
		    "--max-timeout");
	return cmd_check_priv(c->ctx);
}

/*
 * The options, then the TARGETs, then the -o files made (before root is
 * dropped).  Returns -1, or EXIT_USAGE or EXIT_RUNTIME after saying why.
 */
static int
probe_check(struct cmd_ctx *ctx, void *arg)
{
	int	 rc;

	struct probe_cmd	*c = arg;

	if ((rc = probe_check_options(ctx->argc, arg)) != -1 ||
	    (rc = c->merge ? probe_merge_load(c, ctx->argc, ctx->argv) :
	    probe_targets(arg, ctx->argc, ctx->argv)) != -1)
		return rc;
	return probe_outs_open(arg);
}

/* The address bytes of a resolved IPv4 or IPv6 address. */
static const uint8_t *
probe_ai_addr(const struct addrinfo *ai)
{
	if (ai->ai_family == AF_INET)
		return (const uint8_t *)&((const struct sockaddr_in *)
		    (const void *)ai->ai_addr)->sin_addr;
	return ((const struct sockaddr_in6 *)(const void *)ai->ai_addr)->
	    sin6_addr.s6_addr;
}

/* Add an --exclude; returns -1 or the exit status. */
static int
probe_exclude(struct probe_cmd *c, const char *arg)
{
	struct addrinfo	*res, *ai;
	struct tgt_spec	 sp;
	char		 err[512];
	int		 rc = 0;

	if (tgt_spec_parse(arg, c->eo.udp ? "udp" : "tcp", &sp, err,
	    sizeof err) == -1)
		return cmd_usage_error(&cmd_probe_entry, "--exclude: %s", err);
	if (sp.has_port)
		return cmd_usage_error(&cmd_probe_entry, "--exclude '%s': "
		    "takes hosts, not ports", arg);
	if (sp.numeric)
		rc = tgt_set_exclude(&c->set, sp.family, sp.addr, sp.prefix,
		    err, sizeof err);
	else if (net_resolve(sp.host, 0, AF_UNSPEC, SOCK_STREAM, 0, &res, err,
	    sizeof err) == 0) {
		for (ai = res; ai != NULL && rc == 0; ai = ai->ai_next) {
			rc = tgt_set_exclude(&c->set, ai->ai_family,
			    probe_ai_addr(ai),
			    ai->ai_family == AF_INET ? 32 : 128, err,
			    sizeof err);
		}
		freeaddrinfo(res);
	} else
		rc = -1;
	if (rc == -1) {
		sk_warnx("probe: --exclude: %s", err);
		return EXIT_RUNTIME;
	}
	return -1;
}

/*
 * Add every address a name resolves to (A and AAAA, or the family of
 * -4/-6), each a host of its own, as nmap's --resolve-all does: a name
 * with two addresses is two machines to a scanner.  A zoned address keeps
 * its zone.  Returns 0 or -1 with err.
 */
static int
probe_add_name(struct probe_cmd *c, struct tgt_spec *sp, char *err,
    size_t errlen)
{
	struct addrinfo	*res, *ai;
	int		 rc = 0;

	if (net_resolve(sp->host, 0, c->family, SOCK_STREAM, 0, &res, err,
	    errlen) == -1)
		return -1;
	for (ai = res; ai != NULL && rc == 0; ai = ai->ai_next) {
		sp->scope = ai->ai_family != AF_INET6 ? 0 :
		    ((const struct sockaddr_in6 *)(const void *)ai->ai_addr)->
		    sin6_scope_id;
		rc = tgt_set_add(&c->set, sp, ai->ai_family, probe_ai_addr(ai),
		    err, errlen);
	}
	freeaddrinfo(res);
	return rc;
}

/*
 * Add one TARGET: check it and its size, resolve a name to its
 * addresses of the wanted family.  Returns -1 or the exit status.
 */
static int
probe_target(struct probe_cmd *c, const char *arg)
{
	struct tgt_spec	 sp;
	char		 err[512], n[32];
	int		 rc;

	if (tgt_spec_parse(arg, c->eo.udp ? "udp" : "tcp", &sp, err,
	    sizeof err) == -1)
		return cmd_usage_error(&cmd_probe_entry, "%s", err);
	if (sp.numeric && c->family != AF_UNSPEC && sp.family != c->family)
		return cmd_usage_error(&cmd_probe_entry, "target '%s' is not "
		    "IPv%d (-%d)", arg, c->family == AF_INET ? 4 : 6,
		    c->family == AF_INET ? 4 : 6);
	if (sp.numeric && !c->force && sp.prefix < (sp.family == AF_INET ?
	    16u : 112u))
		return cmd_usage_error(&cmd_probe_entry, "target '%s' has %s "
		    "addresses: blocks larger than /%d need --force", arg,
		    tgt_spec_size(&sp) == UINT64_MAX ? "2^64 or more" :
		    fmt_count(tgt_spec_size(&sp), n, sizeof n),
		    sp.family == AF_INET ? 16 : 112);
	if (sp.numeric)
		rc = tgt_set_add(&c->set, &sp, 0, NULL, err, sizeof err);
	else
		rc = probe_add_name(c, &sp, err, sizeof err);
	if (rc == -1) {
		sk_warnx("probe: %s", err);
		return EXIT_RUNTIME;
	}
	return -1;
}

/* Build the target set from -p, --exclude and the arguments. */
static int
probe_targets(struct probe_cmd *c, int argc, char **argv)
{
	struct tgt_ports	 ports;
	char			 err[300];
	size_t			 i;
	int			 rc;

	if (tgt_ports_parse(c->ports, c->eo.udp ? "udp" : "tcp", &ports, err,
	    sizeof err) == -1)
		return cmd_usage_error(&cmd_probe_entry, "-p: %s", err);
	tgt_set_init(&c->set, &ports);
	if (c->set.plist == NULL)
		return EXIT_RUNTIME;
	for (i = 0; i < c->nexcl; i++)
		if ((rc = probe_exclude(c, c->excl[i])) != -1)
			return rc;
	for (i = 0; i < (size_t)argc; i++)
		if ((rc = probe_target(c, argv[i])) != -1)
			return rc;
	if (tgt_set_finish(&c->set) == -1)
		return EXIT_RUNTIME;
	if (c->set.total == 0) {
		sk_warnx("probe: nothing to probe: every target is excluded");
		return EXIT_RUNTIME;
	}
	if ((c->hc = calloc(c->set.nhost, sizeof *c->hc)) == NULL)
		return EXIT_RUNTIME;
	return -1;
}

/* Append r to the array *v of *n (room for *cap); returns 0 or -1. */
static int
probe_push(struct probe_result **v, size_t *n, size_t *cap,
    const struct probe_result *r)
{
	struct probe_result	*nv;

	if (*n == *cap) {
		nv = realloc(*v, (*cap ? *cap * 2 : 256) * sizeof *nv);
		if (nv == NULL)
			return -1;
		*v = nv;
		*cap = *cap ? *cap * 2 : 256;
	}
	(*v)[(*n)++] = *r;
	return 0;
}

/*
 * Keep a listed verdict in c->res, its banner (if any) as the escaped
 * text the reports print.  Returns 0 or -1 (out of memory: not kept).
 */
static int
probe_keep(struct probe_cmd *c, const struct probe_result *r)
{
	struct probe_result	 k = *r;
	struct probe_tls	*t = NULL;

	k.banner = NULL;
	k.tls = NULL;
	if (r->banner != NULL && r->banner_len >= 0 &&
	    (k.banner = (const uint8_t *)report_banner(r->banner,
	    (size_t)r->banner_len)) == NULL)
		return -1;
	if (r->tls != NULL && (k.tls = t = malloc(sizeof *t)) != NULL)
		*t = *r->tls;
	if ((r->tls == NULL || k.tls != NULL) &&
	    probe_push(&c->res, &c->nres, &c->rescap, &k) == 0)
		return 0;
	free((void *)(uintptr_t)k.banner);
	free(t);
	return -1;
}

/*
 * Whether a port is plainly closed, its packets not worth drawing: a TCP
 * RST, or for UDP the ICMP port unreachable that closed means.  A TCP
 * port closed by an ICMP error is drawn, as the filtered ones are.
 */
static int
probe_plainly_closed(const struct probe_cmd *c, const struct probe_result *r)
{
	return r->state == PROBE_CLOSED && (c->eo.udp || r->why != WHY_ICMP);
}

/* Keep the verdicts that will be listed; count all of them per host. */
static void
probe_on_result(const struct probe_result *r, void *arg)
{
	struct probe_cmd	*c = arg;

	c->hc[r->host].n[r->state]++;
	if (probe_draws(c) && !probe_plainly_closed(c, r) &&
	    probe_push(&c->ev, &c->nev, &c->evcap, r) == -1)
		c->oom = 1;
	if (!c->list_all && r->state != PROBE_OPEN) {
		if (c->tally.head != NULL &&
		    report_tally_add(&c->tally, r) == -1)
			c->oom = 1;
		if (c->stream)
			probe_stream(c, r);
		return;
	}
	if (probe_keep(c, r) == -1) {
		c->oom = 1;
		return;
	}
	r = &c->res[c->nres - 1];	/* the banner as text */
	if (c->stream) {
		probe_stream(c, r);
		return;
	}
	/* Streamed as it is settled: an open port at once, the others
	 * (many with -a) with the progress tick, a write each 250 ms. */
	if (c->json && !c->sorted) {
		probe_print_port(c, r);
		if (r->state == PROBE_OPEN)
			fflush(stdout);
	}
}

/* The capture is readable: take its packets now. */
static void
probe_on_poll(void *arg)
{
	struct probe_cmd	*c = arg;

	capture_poll(c->cap);
}

/* The progress line, on a terminal only, once a run passes a second. */
static void
probe_on_progress(const struct probe_stats *st, void *arg)
{
	struct probe_cmd	*c = arg;
	double			 secs = st->elapsed_us / 1e6, rate;
	char			 a[32], b[32];

	if (c->cap != NULL)
		capture_poll(c->cap);	/* keep the capture buffer drained */
	if (c->json && !c->sorted)
		fflush(stdout);
	if (!c->progress || secs < 1 || st->done == 0)
		return;
	rate = st->done / secs;
	fprintf(stderr, "\rprobe: %s/%s done, %.0f/s, %llu open, ETA %.0f s"
	    "\033[K", fmt_count(st->done + c->prev.done, a, sizeof a),
	    fmt_count(st->total, b, sizeof b), rate, (unsigned long long)
	    (st->count[PROBE_OPEN] + c->prev.count[PROBE_OPEN]),
	    (st->total - st->done - c->prev.done) / rate);
	c->progress_shown = 1;
}

/* The service name of port from the services database, or "-". */
static const char *
probe_service(struct probe_cmd *c, uint16_t port)
{
	if (c->svc == NULL &&
	    (c->svc = report_services(c->eo.udp ? "udp" : "tcp")) == NULL)
		return "-";
	return c->svc[port] != NULL ? c->svc[port] : "-";
}

/* Print s as a JSON string, quoted and escaped (RFC 8259 7). */
static void
probe_json_str(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

/*
 * The "host" (the address, with its zone) and "name" (as given, or null)
 * members of a --json object about host.
 */
static void
probe_json_host(const struct probe_cmd *c, uint32_t host)
{
	char	 a[NET_ADDRSTRLEN + 300];

	printf("\"host\":\"%s\",\"name\":", report_host(&c->set, host, 0,
	    a, sizeof a));
	if (c->set.host[host].name != NULL)
		probe_json_str(c->set.host[host].name);
	else
		printf("null");
}

/* One port, --grepable or --json. */
static void
probe_print_port(struct probe_cmd *c, const struct probe_result *r)
{
	const char		*proto = c->eo.udp ? "udp" : "tcp";
	char			 why[64];

	if (c->grepable) {
		printf("%u/%s/%s/%s/%s", r->port, probe_state_name(r->state),
		    proto, probe_service(c, r->port), probe_reason(r, why,
		    sizeof why));
		return;
	}
	printf("{\"type\":\"port\",");
	probe_json_host(c, r->host);
	printf(",\"port\":%u,\"proto\":\"%s\",\"state\":\"%s\",\"service\":",
	    r->port, proto, probe_state_name(r->state));
	probe_json_str(probe_service(c, r->port));
	printf(",\"reason\":\"%s\",\"rtt_ms\":", probe_reason(r, why,
	    sizeof why));
	if (r->rtt_us >= 0)
		printf("%.3f", r->rtt_us / 1000.0);
	else
		printf("null");
	printf(",\"tries\":%u", r->tries);
	if (c->tls && r->state == PROBE_OPEN)
		probe_json_tls(r->tls);
	if ((!c->tls || c->tls_banner) && c->eo.banner_ms > 0 &&
	    r->state == PROBE_OPEN) {
		printf(",\"banner\":");
		if (r->banner != NULL)
			probe_json_str((const char *)r->banner);
		else
			printf("null");
	}
	printf("}\n");
}

/* --json's "tls": what the handshake showed, or why there was none. */
static void
probe_json_tls(const struct probe_tls *t)
{
	static const char *const key[] = { "version", "cipher", "alpn",
	    "subject", "issuer", "not_before", "not_after", "sha256" };
	const char	*val[8];
	size_t		 i;

	printf(",\"tls\":");
	if (t == NULL) {
		printf("null");
		return;
	}
	if (t->error[0] != '\0') {
		printf("{\"error\":");
		probe_json_str(t->error);
		printf("}");
		return;
	}
	val[0] = t->version, val[1] = t->cipher, val[2] = t->alpn;
	val[3] = t->subject, val[4] = t->issuer, val[5] = t->not_before;
	val[6] = t->not_after, val[7] = t->fingerprint;
	for (i = 0; i < 8; i++) {
		printf("%s\"%s\":", i ? "," : "{", key[i]);
		if (val[i][0] == '\0')
			printf("null");
		else
			probe_json_str(val[i]);
	}
	printf("}");
}

/*
 * One host: its listed ports res[first, end) and its summary, --grepable
 * or --json.
 */
static void
probe_print_host(struct probe_cmd *c, uint32_t host, size_t first,
    size_t end)
{
	static const char	*gnames[] = { "Open", "Closed", "Filtered",
	    "Open|Filtered" };
	const uint32_t		*n = c->hc[host].n;
	char			 hs[NET_ADDRSTRLEN + 300];
	size_t			 i;
	int			 s;

	report_host(&c->set, host, 1, hs, sizeof hs);
	if (c->grepable)
		printf("Host: %s%s", hs, first < end ? "\tPorts: " : "");
	for (i = first; i < end && (c->grepable || c->sorted); i++) {
		if (c->grepable && i > first)
			printf(", ");
		probe_print_port(c, &c->res[i]);
	}
	if (c->grepable) {
		for (s = 0; s < PROBE_NSTATES; s++)
			if (s == PROBE_OPEN || n[s] > 0)
				printf("\t%s: %u", gnames[s], n[s]);
		printf("\n");
	} else if (c->json && !c->open_only) {
		printf("{\"type\":\"host\",");
		probe_json_host(c, host);
		printf(",\"proto\":\"%s\",\"ports\":%u,\"open\":%u,\"closed\":"
		    "%u,\"filtered\":%u,\"open_filtered\":%u}\n", c->eo.udp ?
		    "udp" : "tcp", n[0] + n[1] + n[2] + n[3], n[0], n[1], n[2],
		    n[3]);
	}
}

/* Order listed ports by host, then port. */
static int
probe_cmp(const void *va, const void *vb)
{
	const struct probe_result	*a = va, *b = vb;

	return tgt_order(a->host, a->port, b->host, b->port);
}

/* What every report of this run shares: targets, counts, services. */
static void
probe_run_desc(struct probe_cmd *c, struct report_run *run)
{
	probe_service(c, 0);		/* loads c->svc */
	memset(run, 0, sizeof *run);
	run->set = &c->set;
	run->res = c->res;
	run->nres = c->nres;
	run->hc = c->hc;
	run->tally = &c->tally;
	run->svc = c->svc;
	run->udp = c->eo.udp;
	run->open_only = c->open_only;
	run->verbose = sk_verbosity;
	run->args = c->args;
}

/*
 * Sort the listed ports and describe the run for the report writers (the
 * table and the -o files).
 */
static void
probe_report_run(struct probe_cmd *c, const struct probe_stats *st,
    time_t start, struct report_run *run)
{
	if (c->nres > 1)
		qsort(c->res, c->nres, sizeof *c->res, probe_cmp);
	probe_run_desc(c, run);
	run->start = c->resuming == 1 ? (time_t)c->resume.start : start;
	run->end = c->merge ? c->merge_end : time(NULL);
	run->elapsed = st->elapsed_us / 1e6 + c->resume.elapsed;
	run->interrupted = sk_interrupted ? "interrupted" : NULL;
}

/*
 * Whether every port of host h has its verdict.  A shard probes an
 * unknown part of a host's ports: its hosts are done at the end only.
 */
static int
probe_host_done(const struct probe_cmd *c, uint32_t h)
{
	const uint32_t	*n = c->hc[h].n;

	return c->shard_n == 1 && n[0] + n[1] + n[2] + n[3] ==
	    c->set.plist[c->set.host[h].plist].n;
}

/*
 * Print host h's table now, by port, as report_table() would in its
 * place (a blank line between hosts), and mark it shown.  Its listed
 * ports are picked out of the results so far.
 */
static void
probe_stream_host(struct probe_cmd *c, uint32_t h)
{
	struct probe_result	*mine;
	struct report_run	 run;
	size_t			 i, n = 0;

	c->shown[h] = 1;
	if ((mine = malloc((c->nres ? c->nres : 1) * sizeof *mine)) == NULL) {
		c->oom = 1;
		return;
	}
	for (i = 0; i < c->nres; i++)
		if (c->res[i].host == h)
			mine[n++] = c->res[i];
	if (n > 1)
		qsort(mine, n, sizeof *mine, probe_cmp);
	if (n > 0 || !c->open_only) {
		probe_run_desc(c, &run);
		run.res = mine;
		run.nres = n;
		if (c->nshown++ > 0)
			putchar('\n');
		report_table_host(stdout, &run, h, 0, n);
	}
	free(mine);
}

/* --open without --sorted: an open port printed as it is settled. */
static void
probe_stream_open(struct probe_cmd *c, const struct probe_result *r)
{
	struct report_run	 run;

	probe_run_desc(c, &run);
	if (r->host != c->open_host) {
		if (c->nshown++ > 0)
			putchar('\n');
		report_table_head(stdout, &run, r->host);
		c->open_host = r->host;
	}
	c->shown[r->host] = 1;
	report_table_port(stdout, &run, r);
}

/*
 * The table as results come: with --open (and no --sorted) each open
 * port at once; else each host's table when its last port is settled,
 * with --sorted in the order the hosts were given (each once it and
 * those before it are done).  The rest is printed at the end.
 */
static void
probe_stream(struct probe_cmd *c, const struct probe_result *r)
{
	if (c->open_only && !c->sorted) {
		if (r->state == PROBE_OPEN)
			probe_stream_open(c, r);
	} else if (!c->sorted) {
		if (probe_host_done(c, r->host))
			probe_stream_host(c, r->host);
	} else
		while (c->next_host < c->set.nhost &&
		    probe_host_done(c, c->next_host))
			probe_stream_host(c, c->next_host++);
	fflush(stdout);
}

/* Every host that was probed, in the order given, on stdout. */
static void
probe_output(struct probe_cmd *c, const struct report_run *run)
{
	size_t		 i = 0, first, end;
	uint32_t	 h = UINT32_MAX;

	if (c->stream) {
		for (h = 0; h < c->set.nhost; h++)
			if (!c->shown[h] && (c->hc[h].n[0] + c->hc[h].n[1] +
			    c->hc[h].n[2] + c->hc[h].n[3]) > 0)
				probe_stream_host(c, h);
		return;
	}
	if (!c->json && !c->grepable)
		return;		/* -oX - and the like hold stdout */
	while (report_next_host(run, &h, &i, &first, &end))
		probe_print_host(c, h, first, end);
}

/*
 * The table (or --json, --grepable) on stdout, then the -o files.
 * Returns 0, or -1 when a file could not be written (reported).
 */
static int
probe_report(struct probe_cmd *c, const struct probe_stats *st,
    time_t start)
{
	struct report_run	 run;
	char			 err[600];

	probe_report_run(c, st, start, &run);
	probe_output(c, &run);
	if (report_outs_write(&c->outs, &run, err, sizeof err) == -1) {
		sk_warnx("probe: %s", err);
		return -1;
	}
	if (sk_interrupted)
		sk_warnx("probe: interrupted: %llu of %llu ports settled",
		    (unsigned long long)st->done, (unsigned long long)st->total);
	return probe_state_save(c, &run);
}

/*
 * The -o files, opened before any probe (as root, like --svg), and the
 * tally of unlisted ports that -oX and -oG count.  Returns -1 or the exit
 * status.
 */
static int
probe_outs_open(struct probe_cmd *c)
{
	char	 err[600];

	if (report_outs_open(&c->outs, err, sizeof err) == -1) {
		sk_warnx("probe: %s", err);
		return EXIT_RUNTIME;
	}
	if (c->state_path != NULL && (c->state_fd = open(c->state_path,
	    O_WRONLY | O_CREAT | O_CLOEXEC, 0666)) == -1) {
		sk_warn("probe: --state %s", c->state_path);
		return EXIT_RUNTIME;
	}
	if ((c->outs.fp[REPORT_XML] != NULL ||
	    c->outs.fp[REPORT_GREPABLE] != NULL) && !c->list_all &&
	    c->tally.head == NULL &&	/* --merge has its own */
	    report_tally_init(&c->tally, c->set.nhost) == -1)
		return EXIT_RUNTIME;
	return -1;
}

/* 0 if a port is open (--all-open: all are), else 1. */
static int
probe_status(const struct probe_cmd *c, const struct probe_stats *st)
{
	if (c->all_open)
		return st->done > 0 && st->count[PROBE_OPEN] == st->done &&
		    st->done == st->total ? EXIT_OK : EXIT_RUNTIME;
	return st->count[PROBE_OPEN] > 0 ? EXIT_OK : EXIT_RUNTIME;
}

static void
probe_fini(void *arg)
{
	struct probe_cmd	*c = arg;

	report_services_free(c->svc);
	report_outs_free(&c->outs);
	report_tally_free(&c->tally);
	report_results_free(c->res, c->nres);
	free(c->args);
	free(c->ev);
	free(c->hc);
	free(c->shown);
	free(c->excl);
	free(c->pending);
	free(c->words);
	resume_free(&c->resume);
	if (c->state_fd != -1)
		close(c->state_fd);
	tgt_set_free(&c->set);
#ifdef HAVE_OPENSSL
	probe_tls_free(c->tlsctx);
#endif
}

/* What a picture's budget left out. */
static void
probe_warn(const char *msg)
{
	sk_warnx("probe: %s", msg);
}

/*
 * The sink of the evidence drawn after the table: the ladder on stdout
 * with --trace, the --svg and --html files, made now while sockkit may
 * still be root.  Returns 0 or -1 (reported).
 */
static int
probe_render_open(struct probe_cmd *c)
{
	const struct render_opts ro = { .text = c->trace ? stdout : NULL,
	    .lo = { .mode = LADDER_DRAW, .preview = 16 },
	    .svg_path = c->svg_path, .html_path = c->html_path,
	    .title = "sockkit probe: the ports not plainly closed",
	    .warn = probe_warn };
	char			 err[PATH_MAX + 512];

	if ((c->r = render_open(&ro, err, sizeof err)) != NULL)
		return 0;
	sk_warnx("probe: %s", err);
	return -1;
}

/*
 * The file the capture writes and the evidence is read back from: the
 * --write file, made now (write_made says whether it is new), or a
 * nameless temporary one.  Returns 0 or -1 (reported).
 */
static int
probe_capture_file(struct probe_cmd *c)
{
	if (c->write_path != NULL) {
		c->cap_fd = open(c->write_path, O_RDWR | O_CREAT | O_EXCL |
		    O_CLOEXEC, 0666);
		c->write_made = c->cap_fd != -1;
		if (c->cap_fd == -1 && errno == EEXIST)
			c->cap_fd = open(c->write_path, O_RDWR | O_TRUNC |
			    O_CLOEXEC);
		if (c->cap_fd == -1)
			sk_warn("probe: --write %s", c->write_path);
	} else if ((c->cap_fd = sk_tmpfile()) == -1)
		sk_warn("probe: --trace: a temporary file in %s", sk_tmpdir());
	if (c->cap_fd != -1)
		return 0;
	c->cap_fd = 0;
	return -1;
}

/*
 * The bytes the capture keeps of a packet: a probe's are headers (and
 * maybe a service's first words), and the kernel's ring holds one frame of
 * this size per packet: 64 KiB frames gave 256 in 32 MiB, and a burst of
 * 200 ICMP-rejected ports lost 289 of its 400 packets.
 */
#define PROBE_SNAPLEN	2048

/* The ports our sockets take (ip_local_port_range), or all of them. */
static void
probe_local_ports(unsigned *lo, unsigned *hi)
{
	FILE	*fp;

	*lo = 1;
	*hi = 65535;
	if ((fp = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r")) ==
	    NULL)
		return;
	if (fscanf(fp, "%u %u", lo, hi) != 2 || *lo < 1 || *lo > *hi ||
	    *hi > 65535) {
		*lo = 1;
		*hi = 65535;
	}
	fclose(fp);
}

/*
 * --trace, --svg, --html, --write: capture into a pcap file while
 * probing (--write's, or a temporary one), the probe's hosts only when
 * they are few, then drop root: the file is read back through the
 * descriptor kept open.  Returns 0 or -1 (reported).
 */
static int
probe_capture_open(struct probe_cmd *c)
{
	struct capture_opts	 co;
	char			 err[512], *expr = NULL;
	size_t			 len = 0;
	unsigned		 lo, hi;
	FILE			*fp;
	int			 rc = -1;

	/* Read back through the same descriptor after the drop of root:
	 * nobody can swap the file in between. */
	if (probe_capture_file(c) == -1)
		return -1;
	capture_opts_init(&co);
	co.write_fd = c->cap_fd;
	co.write_path = c->write_path != NULL ? c->write_path :
	    "(the probe's temporary capture)";
	co.snaplen = PROBE_SNAPLEN;
	if ((c->cap = capture_open(&co, err, sizeof err)) == NULL) {
		sk_warnx("probe: %s", err);
		if (c->write_made)	/* as connect, which makes it later */
			unlink(c->write_path);
		return -1;
	}
	if ((probe_draws(c) && probe_render_open(c) == -1) ||
	    (fp = open_memstream(&expr, &len)) == NULL)
		return -1;
	probe_local_ports(&lo, &hi);
	tgt_set_bpf(&c->set, lo, hi, fp);
	fclose(fp);
	if (capture_filter_expr(c->cap, expr, err, sizeof err) == -1)
		sk_warnx("probe: %s", err);
	else if (cmd_drop_privileges(c->ctx) == -1)
		rc = 0;
	free(expr);
	return rc;
}

/*
 * Read the capture file back, taking what expr takes, into the render
 * sink, and close it.  Returns EXIT_OK, or EXIT_RUNTIME after saying why.
 */
static int
probe_draw(struct probe_cmd *c, const char *expr)
{
	char	 err[PCAP_ERRBUF_SIZE + PATH_MAX + 512];
	pcap_t	*p;
	int	 rc = EXIT_RUNTIME;

	if ((p = replay_open("probe capture", c->cap_fd, err)) == NULL)
		sk_warnx("probe: reading back the capture: %s", err);
	else if (replay_filter(p, expr, err, sizeof err) != 0 ||
	    replay_run(p, 16384, render_event, c->r, stdout, err,
	    sizeof err) == -1)
		sk_warnx("probe: reading back the capture: %s", err);
	else
		rc = EXIT_OK;
	if (p != NULL)
		pcap_close(p);
	if (render_close(c->r, err, sizeof err) == -1) {
		sk_warnx("probe: %s", err);
		rc = EXIT_RUNTIME;
	}
	c->r = NULL;
	return rc;
}

/*
 * Interrupted: the ports still in flight have no verdict, so draw every
 * packet captured so far (the capture took only the probe's hosts).  The
 * signal is set aside while drawing, which stops at it otherwise, and
 * put back for the exit status.
 */
static int
probe_evidence_so_far(struct probe_cmd *c)
{
	int	 sig = sk_interrupted, rc;

	sk_interrupted = 0;
	if (c->trace)
		printf("\nevidence: interrupted: every packet captured so "
		    "far\n");
	fflush(stdout);
	rc = probe_draw(c, "");
	sk_interrupted = sig;
	return rc;
}

/*
 * --trace, after the table: draw the conversations of every port that was
 * not plainly closed (open, filtered, ICMP), from the capture file.
 * Returns the exit status of the drawing.
 */
static int
probe_evidence(struct probe_cmd *c)
{
	struct tgt_hp		*hp;
	char			*expr = NULL;
	size_t			 i, len = 0;
	FILE			*fp;
	int			 rc, exact = 1;

	if (sk_interrupted)
		return probe_evidence_so_far(c);
	if (c->trace)
		printf("\n%s", c->nev == 0 ? "evidence: every port was "
		    "plainly closed\n" : "");
	if (c->nev == 0 && c->svg_path == NULL && c->html_path == NULL)
		return EXIT_OK;
	if ((hp = calloc(c->nev + 1, sizeof *hp)) == NULL ||
	    (fp = open_memstream(&expr, &len)) == NULL) {
		free(hp);
		return EXIT_RUNTIME;
	}
	for (i = 0; i < c->nev; i++) {
		hp[i].host = c->ev[i].host;
		hp[i].port = c->ev[i].port;
	}
	if (c->nev == 0)
		fprintf(fp, "less 0");	/* none */
	else
		exact = tgt_bpf_evidence(&c->set, hp, c->nev, fp);
	fclose(fp);
	free(hp);
	if (c->trace && c->nev > 0)
		printf("evidence: the packets of the %zu port%s not plainly "
		    "closed%s\n", c->nev, c->nev == 1 ? "" : "s", exact ? "" :
		    " (too scattered to pick out: every packet of their hosts)");
	fflush(stdout);
	rc = probe_draw(c, expr);
	free(expr);
	return rc;
}

/* Whether the probe's packets are drawn: --trace, --svg, --html. */
static int
probe_draws(const struct probe_cmd *c)
{
	return c->trace || c->svg_path != NULL || c->html_path != NULL;
}

/* Whether the probe's packets are captured: to draw them, or --write. */
static int
probe_captures(const struct probe_cmd *c)
{
	return probe_draws(c) || c->write_path != NULL;
}

/*
 * End the capture: the --write file complete, or the reason it is not
 * said.  Returns 0 or -1 (reported).
 */
static int
probe_capture_end(struct probe_cmd *c)
{
	char	 err[PATH_MAX + 512];
	int	 rc;

	rc = capture_end(c->cap, err, sizeof err);
	c->cap = NULL;
	if (rc == -1)
		sk_warnx("probe: %s", err);
	return rc;
}

/* A seed nobody chose: from the kernel, else the clock and pid. */
static uint64_t
probe_random_seed(void)
{
	uint64_t	 s;

	if (getrandom(&s, sizeof s, GRND_NONBLOCK) == (ssize_t)sizeof s)
		return s;
	return (uint64_t)time(NULL) * 6364136223846793005ULL ^
	    (uint64_t)getpid();
}

/* Interrupted: a job without a verdict, to probe again on --resume. */
static void
probe_on_pending(uint32_t host, uint16_t port, void *arg)
{
	struct probe_cmd	*c = arg;
	struct tgt_hp		*v;

	if (c->npending == c->pendcap) {
		if ((v = realloc(c->pending, (c->pendcap ? c->pendcap * 2 :
		    256) * sizeof *v)) == NULL) {
			c->oom = 1;
			return;
		}
		c->pending = v;
		c->pendcap = c->pendcap ? c->pendcap * 2 : 256;
	}
	c->pending[c->npending].host = host;
	c->pending[c->npending++].port = port;
}

/*
 * --resume: check that the targets are what they were, take the verdicts
 * so far, and go on from where the walk was, the jobs that were in
 * flight first.  Returns 0 or -1 (reported).
 */
static int
probe_resume_apply(struct probe_cmd *c, struct tgt_iter *it)
{
	struct resume	*r = &c->resume;
	char		 err[600];
	size_t		 i;
	int		 s;

	if (resume_check(r, &c->set, err, sizeof err) == -1) {
		sk_warnx("probe: --resume: %s", err);
		return -1;
	}
	if (resume_restore(r, c->hc, &c->tally, &c->res, &c->nres,
	    &c->rescap) == -1) {
		sk_warnx("probe: --resume: out of memory");
		return -1;
	}
	tgt_iter_skip(it, r->given);
	for (i = 0; i < r->nhost; i++)
		for (s = 0; s < PROBE_NSTATES; s++) {
			c->prev.count[s] += r->host[i].n.n[s];
			c->prev.done += r->host[i].n.n[s];
		}
	c->eo.first = r->pending;
	c->eo.nfirst = r->npending;
	return 0;
}

/*
 * The run ended: with --state, where it was when interrupted, for
 * --resume; a run that finished leaves no state.  Says so on stderr.
 * Returns 0 or -1 (reported).
 */
static int
probe_state_save(struct probe_cmd *c, const struct report_run *run)
{
	struct resume_at	 at = { .argc = c->nwords, .argv = c->words,
				    .seed = c->seed, .given = c->given,
				    .elapsed = run->elapsed,
				    .start = (long long)run->start,
				    .pending = c->pending,
				    .npending = c->npending };
	char			 err[512];
	FILE			*fp;
	int			 fd = -1;

	if (c->state_fd == -1)
		return 0;
	if (!sk_interrupted) {
		if (ftruncate(c->state_fd, 0) == 0)
			unlink(c->state_path);	/* nothing to go on with */
		return 0;
	}
	if (ftruncate(c->state_fd, 0) == -1 || (fd = dup(c->state_fd)) == -1 ||
	    (fp = fdopen(fd, "w")) == NULL) {
		sk_warn("probe: --state %s", c->state_path);
		if (fd != -1)
			close(fd);
		return -1;
	}
	rewind(fp);
	if (resume_write(fp, run, &at, err, sizeof err) == -1) {
		sk_warnx("probe: --state %s: %s", c->state_path, err);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	sk_warnx("probe: the state is in %s: go on with sockkit probe "
	    "--resume %s", c->state_path, c->state_path);
	return 0;
}

/*
 * The whole of file into a buffer (NUL-terminated, for the reader's
 * sake), at most 1 GiB.  Returns it with *len, or NULL with err.
 */
static char *
probe_slurp(const char *path, size_t *len, char *err, size_t errlen)
{
	char	*buf = NULL, *nb;
	size_t	 cap = 0, n;
	FILE	*fp;

	*len = 0;
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - *len < 65536 + 1) {
			if (cap >= (1UL << 30) || (nb = realloc(buf, cap ?
			    cap * 2 : 1 << 20)) == NULL) {
				snprintf(err, errlen, "%s: %s", path, cap >=
				    (1UL << 30) ? "larger than 1 GiB" :
				    strerror(ENOMEM));
				break;
			}
			buf = nb;
			cap = cap ? cap * 2 : 1 << 20;
		}
		if ((n = fread(buf + *len, 1, 65536, fp)) == 0) {
			if (ferror(fp))
				snprintf(err, errlen, "%s: %s", path,
				    strerror(errno));
			else {
				buf[*len] = '\0';
				fclose(fp);
				return buf;
			}
			break;
		}
		*len += n;
	}
	fclose(fp);
	free(buf);
	return NULL;
}

/*
 * --merge: read every FILE into one run, which takes the place of the
 * targets: its hosts, listed ports, counts and tally become probe's.
 * Returns -1, or EXIT_RUNTIME after saying why.
 */
static int
probe_merge_load(struct probe_cmd *c, int argc, char **argv)
{
	struct merge	 m;
	char		 err[PATH_MAX + 600], *buf;
	size_t		 len;
	int		 i, rc = 0;

	if (merge_init(&m) == -1) {
		sk_warnx("probe: out of memory");
		return EXIT_RUNTIME;
	}
	for (i = 0; i < argc && rc == 0; i++) {
		if ((buf = probe_slurp(argv[i], &len, err, sizeof err)) == NULL)
			rc = -1;
		else
			rc = merge_add(&m, argv[i], buf, len, err, sizeof err);
		free(buf);
	}
	if (rc == 0)
		rc = merge_finish(&m, err, sizeof err);
	if (rc == -1) {
		sk_warnx("probe: --merge: %s", err);
		merge_free(&m);
		return EXIT_RUNTIME;
	}
	if (m.duplicates > 0)
		sk_warnx("probe: --merge: %llu port%s listed in two files, "
		    "kept once", (unsigned long long)m.duplicates,
		    m.duplicates == 1 ? "" : "s");
	c->set = m.set;
	c->res = m.res;
	c->nres = m.nres;
	c->rescap = m.rescap;
	c->hc = m.hc;
	c->tally = m.tally;
	c->eo.udp = m.proto == MERGE_UDP;
	c->merge_end = (time_t)m.end;
	c->merge_start = (time_t)m.start;
	c->merge_secs = m.end - m.start > m.elapsed ? (double)(m.end -
	    m.start) : m.elapsed;
	free(m.extra);
	return -1;
}

/*
 * --merge: the joined run's table (or --json, --grepable) and -o files.
 * Returns the exit status: 0 if a port is open.
 */
static int
probe_merge_report(struct probe_cmd *c)
{
	struct probe_stats	 st;
	uint32_t		 h;
	int			 s;

	memset(&st, 0, sizeof st);
	for (h = 0; h < c->set.nhost; h++)
		for (s = 0; s < PROBE_NSTATES; s++) {
			st.count[s] += c->hc[h].n[s];
			st.done += c->hc[h].n[s];
		}
	st.total = st.done;
	st.elapsed_us = (int64_t)(c->merge_secs * 1e6);
	if (probe_report(c, &st, c->merge_start) == -1)
		return EXIT_RUNTIME;
	return probe_status(c, &st);
}

/* Probe every port of every target, then report; the exit status. */
static int
probe_start(struct cmd_ctx *ctx, void *arg)
{
	struct probe_cmd	*c = arg;
	struct probe_stats	 st;
	struct tgt_iter		 it;
	char			 err[256], a[32];
	time_t			 start;
	int			 rc, wrote, i;

	if (c->resuming == 1)
		c->seed = c->resume.seed;
	else if (!c->have_seed)
		c->seed = c->shard_n > 1 ? 0 : probe_random_seed();
	tgt_iter_init(&it, &c->set, c->seed, !c->no_randomize, c->shard_i,
	    c->shard_n);
	if (c->resuming == 1 && probe_resume_apply(c, &it) == -1)
		return EXIT_RUNTIME;
	c->progress = isatty(STDERR_FILENO) && !c->json;
	c->stream = !c->json && !c->grepable && !report_outs_stdout(&c->outs);
	c->open_host = UINT32_MAX;
	if (c->stream && (c->shown = calloc(c->set.nhost, 1)) == NULL) {
		sk_warnx("probe: out of memory");
		return EXIT_RUNTIME;
	}
	if (c->merge)
		return probe_merge_report(c);
	c->eo.on_result = probe_on_result;
	c->eo.on_progress = probe_on_progress;
	c->eo.on_pending = c->state_fd != -1 ? probe_on_pending : NULL;
	c->eo.arg = c;
	err[0] = '\0';
	if (c->tls && probe_tls_setup(c) == -1)
		return EXIT_RUNTIME;
	if (probe_captures(c) ? probe_capture_open(c) == -1 :
	    ctx->priv.user != NULL && cmd_drop_privileges(ctx) != -1) {
		/* --user alone: dropped all the same */
		rc = EXIT_RUNTIME;
		goto out;
	}
	if (c->cap != NULL && (c->eo.poll_fd = capture_fd(c->cap)) >= 0)
		c->eo.on_poll = probe_on_poll;
	start = time(NULL);
	rc = probe_run(&c->eo, &c->set, &it, &st, err, sizeof err);
	if (c->progress_shown)
		fprintf(stderr, "\r\033[K");
	if (rc == -1)
		sk_warnx("probe: %s", err);
	if (c->oom)
		sk_warnx("probe: out of memory: some ports are not listed");
	c->given = it.done;
	for (i = 0; i < PROBE_NSTATES; i++)
		st.count[i] += c->prev.count[i];
	st.done += c->prev.done;
	wrote = probe_report(c, &st, start);
	sk_verbose("probe: %s attempts in %.3f s, at most %d at once (cap %d), "
	    "%llu self-connections not counted, %llu local errors",
	    fmt_count(st.attempts, a, sizeof a), st.elapsed_us / 1e6,
	    st.peak_active, st.cap, (unsigned long long)st.self_connects,
	    (unsigned long long)st.local_errors);
	rc = rc == -1 || wrote == -1 ? EXIT_RUNTIME : probe_status(c, &st);
	if (probe_captures(c) && probe_capture_end(c) == -1)
		rc = EXIT_RUNTIME;
	if (probe_draws(c) && probe_evidence(c) != EXIT_OK)
		rc = EXIT_RUNTIME;
out:
	capture_close(c->cap);
	render_close(c->r, err, sizeof err);
	if (c->cap_fd > 0)
		close(c->cap_fd);
	return rc;
}

const struct cmd_entry cmd_probe_entry = {
	.name = "probe",
	.summary = "check many ports on many hosts with connect(): open, "
	    "closed or filtered, and why",
	.usage =
	    "probe [options] TARGET...\n"
	    "       sockkit probe --resume FILE\n"
	    "       sockkit probe --merge [output options] FILE...\n"
	    "\n"
	    "TARGET is a host name (each address it resolves to a host of its "
	    "own), an\n"
	    "IPv4 or IPv6 address (fe80::1%eth0 with a zone), a block "
	    "(192.0.2.0/24,\n"
	    "2001:db8::/120) or HOST:PORT ([v6]:PORT).  Blocks larger than /16 "
	    "(IPv4)\n"
	    "or /112 (IPv6) need --force.\n"
	    "\n"
	    "  -p PORTS            ports: 22,80,8000-8100, service names, - "
	    "for 1-65535\n"
	    "                      (default 1-1024)\n"
	    "  -4, -6              use IPv4 or IPv6 addresses only\n"
	    "      --resolve-all   probe every address of a name, A and AAAA "
	    "(the default,\n"
	    "                      nmap's option; -4 or -6 narrows it)\n"
	    "  -u, --udp           probe UDP: open (reply), closed (ICMP "
	    "port unreachable),\n"
	    "                      open|filtered (silence)\n"
	    "      --exclude TARGET  leave out these hosts (repeatable)\n"
	    "      --force         allow blocks larger than /16 or /112\n"
	    "  -a, --all           list every port, not only open ones\n"
	    "      --open          list only open ports, without summaries, "
	    "each as it is\n"
	    "                      settled\n"
	    "      --json          one JSON object per port, as each is "
	    "settled, and per host\n"
	    "      --sorted        --json: the ports by host and port at the "
	    "end; the table:\n"
	    "                      hosts in the order given\n"
	    "      --grepable      one line per host (sockkit's own; -oG is "
	    "nmap's)\n"
	    "  -oX FILE            also write nmap's XML to FILE (- for "
	    "stdout)\n"
	    "  -oG FILE            also write nmap's grepable format to FILE\n"
	    "  -oN FILE            also write the table to FILE\n"
	    "  -oA BASE            all three: BASE.xml, BASE.gnmap, "
	    "BASE.nmap\n"
	    "      --all-open      exit 0 only if every probed port is open\n"
	    "  -c N                at most N probes at once (default 1024)\n"
	    "  -w SECS             fixed timeout for each attempt\n"
	    "      --min-timeout SECS  lower bound of the adaptive timeout "
	    "(default 0.1)\n"
	    "      --max-timeout SECS  upper bound of the adaptive timeout "
	    "(default 10)\n"
	    "      --retries N     tries again for silent ports (default 1)\n"
	    "      --rate N        at most N attempts per second\n"
	    "      --delay SECS    wait between probes to one host (UDP: "
	    "paced for the\n"
	    "                      ICMP rate limit unless given)\n"
	    "      --graceful      close open ports with FIN, not RST\n"
	    "      --banner[=MS]   the first bytes each open port sends within "
	    "MS ms\n"
	    "                      (default 500), escaped, in every output\n"
	    "      --tls           a TLS handshake with each open port: "
	    "version, cipher,\n"
	    "                      certificate (not verified), or why not; "
	    "within 2 s\n"
	    "                      or --banner's MS\n"
	    "      --trace         after the table, the packets behind each "
	    "port not plainly\n"
	    "                      closed (needs CAP_NET_RAW)\n"
	    "      --svg FILE      the same packets as an SVG sequence "
	    "diagram\n"
	    "      --html FILE     the diagram and the ladder in one HTML page\n"
	    "      --write FILE    save the probes' packets (nanosecond pcap)\n"
	    PRIV_USAGE
	    "      --no-randomize  probe hosts and ports in order\n"
	    "      --seed N        seed of the random order (reproducible)\n"
	    "      --shard I/N     probe only the I-th of N disjoint slices "
	    "(seed 0\n"
	    "                      unless --seed)\n"
	    "      --state FILE    when interrupted, write where the run was "
	    "to FILE\n"
	    "      --resume FILE   go on with the run FILE describes (alone: "
	    "it holds the\n"
	    "                      command line)\n"
	    "      --merge FILE... join nmap XML reports (the shards of a job) "
	    "into one:\n"
	    "                      the table and -o files of the whole\n"
	    "  -v                  report engine statistics on stderr\n"
	    "  -h, --help          show this help\n"
	    "\n"
	    "Exit status: 0 if a probed port is open (with --all-open: if "
	    "all are),\n"
	    "1 if not, 2 usage error.\n",
	.flags = CMD_TRACE | CMD_PICTURE | CMD_PRIV | CMD_TLS,
	.shorts = "46ac:o:p:uvw:",
	.longs = "all all-open banner delay exclude force graceful grepable json "
	    "max-timeout min-timeout no-randomize open rate resolve-all resume "
	    "retries seed shard sorted state udp merge",
	.size = sizeof(struct probe_cmd), .init = probe_init,
	.option = probe_option, .check = probe_check, .run = probe_start,
	.fini = probe_fini,
};
