/*
 * cmd-view.c: "sockkit view", ladders from a capture file.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "cmd.h"
#include "decode.h"
#include "keylog.h"
#include "ladder.h"
#include "render.h"
#include "replay.h"
#include "tlscrypt.h"
#include "step.h"
#include "track.h"
#include "util.h"

struct view_opts {
	struct ladder_opts lo;
	int		 summary, json;
	long		 max_convs;
	const char	*color;
	const char	*svg_path, *html_path, *graph_path;	/* "-": stdout */
	const char	*keylog_path;	/* --keylog FILE */
	struct keylog	*kl;		/* its secrets */
	int		 preview_set;	/* --data-preview given */
	struct step_opts step;		/* --step, --speed X */
	FILE		*text;		/* the ladder's stream */
};

/* What view_run() feeds every tracker event to: counts, then the sink. */
struct view_out {
	struct render	*r;
	uint64_t	 convs, undrawn, truncated, packets;
};

#define EXIT_UNDRAWN	3	/* drawn, but some packets could not be */

/* view's own options (cmd_option_fn); 0 or -1 with err. */
static int
view_option(void *arg_o, int ch, const char *arg, char *err, size_t errlen)
{
	struct view_opts	*o = arg_o;
	char			 why[128];
	long			 v;

	if (ch == OPT_SUMMARY) {
		o->summary = 1;
		return 0;
	}
	if (ch == OPT_KEYLOG) {
		o->keylog_path = arg;
		return 0;
	}
	if (ch == OPT_STEP || ch == OPT_SPEED)
		return step_parse(&o->step, ch, arg, err, errlen);
	if (ch == OPT_CONV && parse_long(arg, 1, 1L << 40, &v, why,
	    sizeof why) == 0) {
		o->lo.only_conv = (uint64_t)v;
		return 0;
	}
	if (ch == OPT_MAXCONVS && parse_long(arg, 1, 1L << 24, &o->max_convs,
	    why, sizeof why) == 0)
		return 0;
	snprintf(err, errlen, "%s '%s': %s", ch == OPT_CONV ? "--conv" :
	    "--max-convs", arg, why);
	return -1;
}

/*
 * What --step and --speed cannot go with: each other, a ladder that is
 * not drawn (--summary, --json), a capture read from stdin (where Enter
 * comes from), a picture on stdout.  Returns -1 or EXIT_USAGE.
 */
static int
view_check_step(struct cmd_ctx *c, const struct view_opts *o)
{
	const char	*opt = o->step.step ? "--step" : "--speed";

	if (!o->step.step && o->step.speed == 0)
		return -1;
	if (o->step.step && o->step.speed > 0)
		return cmd_usage_error(c->cmd, "--step and --speed: choose one "
		    "(Enter, or the capture's own pace)");
	if (o->summary || o->json)
		return cmd_usage_error(c->cmd, "%s replays the drawn ladder: "
		    "not with --summary or --json", opt);
	if (strcmp(c->argv[0], "-") == 0)
		return cmd_usage_error(c->cmd, "%s reads Enter from stdin: "
		    "the capture FILE cannot be -", opt);
	if ((o->svg_path && strcmp(o->svg_path, "-") == 0) ||
	    (o->html_path && strcmp(o->html_path, "-") == 0) ||
	    (o->graph_path && strcmp(o->graph_path, "-") == 0))
		return cmd_usage_error(c->cmd, "%s replays the ladder on "
		    "stdout: not with a picture on stdout", opt);
	return -1;
}

/*
 * The drawing options (c's) into o, and what they cannot be: a capture
 * FILE is needed, --color must be known.  Returns -1 or EXIT_USAGE.
 */
static int
view_check(struct cmd_ctx *c, void *arg)
{
	struct view_opts	*o = arg;
	char			 why[300];

	o->json = c->cap.json;
	o->lo.full = c->cap.full;
	o->lo.ascii = c->cap.ascii;
	o->lo.preview = c->cap.preview;
	o->color = c->cap.color;
	o->svg_path = c->cap.svg_path;
	o->html_path = c->cap.html_path;
	o->graph_path = c->cap.graph_path;
	o->preview_set = c->cap.preview_set;
	if (c->argc < 1)
		return cmd_usage_error(c->cmd, "expected a capture FILE");
	if (o->keylog_path != NULL && tlscrypt_ready(why, sizeof why) == -1)
		return cmd_usage_error(c->cmd, "--keylog: %s", why);
	if (ladder_color_when(o->color, 0) == -1)
		return cmd_usage_error(c->cmd, "--color '%s': expected auto, "
		    "always or never", o->color);
	o->lo.mode = o->summary ? (o->json ? LADDER_SUMMARY_JSON :
	    LADDER_SUMMARY) : o->json ? LADDER_JSON : LADDER_DRAW;
	return view_check_step(c, o);
}

/* Join args[0..n) with spaces, as tcpdump takes its filter. */
static char *
join_args(int n, char **args)
{
	size_t	 len = 1;
	char	*s;
	int	 i;

	for (i = 0; i < n; i++)
		len += strlen(args[i]) + 1;
	if ((s = calloc(1, len)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, args[i]);
	}
	return s;
}

/* Apply the BPF filter; returns 0, or EXIT_USAGE after saying why. */
static int
view_filter(pcap_t *p, int n, char **args)
{
	char	*expr, err[PCAP_ERRBUF_SIZE + 300];
	int	 rc;

	if (n == 0)
		return 0;
	if ((expr = join_args(n, args)) == NULL) {
		sk_warn("view");
		return EXIT_RUNTIME;
	}
	if ((rc = replay_filter(p, expr, err, sizeof err)) != 0)
		sk_warnx("view: %s", err);
	free(expr);
	return rc == 0 ? 0 : rc == -1 ? EXIT_USAGE : EXIT_RUNTIME;
}

/* The track_cb of view_run(): the ladder and the picture. */
static void
view_event(void *arg, const struct track_event *ev)
{
	struct view_out	*out = arg;

	if (ev->kind == TRACK_EV_END)
		out->convs++;
	else
		out->packets++;
	if (ev->kind == TRACK_EV_BAD && ev->pkt->result != DECODE_UNSUPPORTED) {
		out->undrawn++;
		out->truncated += ev->pkt->result == DECODE_TRUNCATED;
	}
	render_event(out->r, ev);
}

/* What a picture's budget left out. */
static void
view_warn(const char *msg)
{
	sk_warnx("view: %s", msg);
}

/*
 * The render sink o asks for, its pictures' files made now, before a
 * packet is read, so that a path that cannot be written stops the
 * command before it draws anything.  Returns 0, or -1 after saying why.
 */
static int
view_out_open(const struct view_opts *o, const char *file,
    struct view_out *out)
{
	char			 title[512], err[PATH_MAX + 512];
	const struct render_opts ro = { .text = o->text, .lo = o->lo,
	    .color = o->color, .svg_path = o->svg_path,
	    .html_path = o->html_path, .graph_path = o->graph_path,
	    .title = title, .warn = view_warn, .tls = { .keylog = o->kl,
	    .preview = o->preview_set ? o->lo.preview : 0 } };

	memset(out, 0, sizeof *out);
	snprintf(title, sizeof title, "sockkit view %s", file);
	if ((out->r = render_open(&ro, err, sizeof err)) != NULL)
		return 0;
	sk_warnx("view: %s", err);
	return -1;
}

/*
 * After the run: --conv past the last conversation is a usage error
 * (EXIT_USAGE); packets the decoder could not place (truncated before the
 * TCP header was complete, or invalid) get a warning and EXIT_UNDRAWN.
 */
static int
view_verdict(const char *file, const struct view_opts *o,
    const struct view_out *out)
{
	if (o->lo.only_conv > out->convs) {
		sk_warnx("view: --conv %" PRIu64 ": the file has %" PRIu64
		    " conversation%s", o->lo.only_conv, out->convs,
		    out->convs == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	if (out->undrawn == 0)
		return EXIT_OK;
	sk_warnx("view %s: %" PRIu64 " of %" PRIu64 " packets could not be "
	    "drawn (%" PRIu64 " truncated, %" PRIu64 " invalid); a bigger "
	    "snaplen (tcpdump -s 0) keeps whole headers", file, out->undrawn,
	    out->packets, out->truncated, out->undrawn - out->truncated);
	return EXIT_UNDRAWN;
}

/*
 * Decode, track and render every packet of p into out's sink, and close
 * it.  Returns EXIT_OK, or EXIT_RUNTIME after a read error (what was read
 * is still drawn) or a picture that could not be written.
 */
static int
view_run(pcap_t *p, const char *file, const struct view_opts *o,
    struct view_out *out)
{
	char	 err[PATH_MAX + 512];
	int	 rc = EXIT_OK;

	if (replay_run(p, (size_t)o->max_convs, view_event, out, o->text, err,
	    sizeof err) == -1) {
		sk_warnx("view %s: %s", file, err);
		rc = EXIT_RUNTIME;
	}
	if (render_close(out->r, err, sizeof err) == -1) {
		sk_warnx("view: %s", err);
		return EXIT_RUNTIME;
	}
	return rc != EXIT_OK ? rc : view_verdict(file, o, out);
}

/*
 * The secrets of --keylog FILE into o->kl.  Returns 0, or EXIT_RUNTIME
 * after saying why ("view: --keylog FILE: line 3: ...").
 */
static int
view_keylog(struct view_opts *o)
{
	char	 err[256];
	FILE	*fp;
	long	 n = -1;

	if (o->keylog_path == NULL)
		return 0;
	if ((fp = fopen(o->keylog_path, "r")) == NULL) {
		sk_warnx("view: --keylog %s: %s", o->keylog_path,
		    strerror(errno));
		return EXIT_RUNTIME;
	}
	if ((o->kl = keylog_new()) == NULL)
		snprintf(err, sizeof err, "%s", strerror(ENOMEM));
	else
		n = keylog_read(o->kl, fp, err, sizeof err);
	fclose(fp);
	if (n == -1) {
		sk_warnx("view: --keylog %s: %s", o->keylog_path, err);
		return EXIT_RUNTIME;
	}
	return 0;
}

/*
 * With --step or --speed the ladder goes to a temporary file first, to
 * be replayed from it; 0, or -1 after saying why.
 */
static int
view_step_open(struct view_opts *o)
{
	int	 fd;

	if (!o->step.step && o->step.speed == 0)
		return 0;
	if ((fd = sk_tmpfile()) == -1 || (o->text = fdopen(fd, "w+")) ==
	    NULL) {
		sk_warn("view: a temporary file for the replay");
		if (fd != -1)
			close(fd);
		o->text = stdout;
		return -1;
	}
	return 0;
}

/* Free what the options hold (the key log's secrets). */
static void
view_fini(void *arg)
{
	struct view_opts	*o = arg;

	keylog_free(o->kl);
}

/* Replay the ladder of o->text step by step; rc, or EXIT_RUNTIME. */
static int
view_step(struct view_opts *o, int rc)
{
	o->step.ctl_fd = STDIN_FILENO;
	fflush(o->text);
	rewind(o->text);
	if (step_replay(o->text, stdout, &o->step) == -1) {
		sk_warn("view: the replay");
		rc = EXIT_RUNTIME;
	}
	fclose(o->text);
	o->text = stdout;
	return rc;
}

/*
 * The capture FILE (- for stdin) into *pp, with nanosecond times, if the
 * decoder knows its link type, filtered by the BPF expression of the
 * other operands.  Returns 0, or the exit status after saying why.
 */
static int
view_open(struct cmd_ctx *c, pcap_t **pp)
{
	char	 errbuf[PCAP_ERRBUF_SIZE];
	pcap_t	*p;
	int	 dlt, rc;

	if ((p = replay_open(c->argv[0], -1, errbuf)) == NULL) {
		sk_warnx("view %s: %s", c->argv[0], errbuf);
		return EXIT_RUNTIME;
	}
	dlt = pcap_datalink(p);
	if (!decode_dlt_supported(dlt)) {
		sk_warnx("view %s: link type %s (%d) is not supported",
		    c->argv[0], pcap_datalink_val_to_name(dlt) ?
		    pcap_datalink_val_to_name(dlt) : "?", dlt);
		pcap_close(p);
		return EXIT_RUNTIME;
	}
	if ((rc = view_filter(p, c->argc - 1, c->argv + 1)) != 0) {
		pcap_close(p);
		return rc;
	}
	*pp = p;
	return 0;
}

/*
 * Draw every packet of p, read from file, as o asks, and close p: on
 * stdout, or with --step or --speed into a temporary file replayed from
 * it at the end.  Returns the exit status.
 */
static int
view_draw(pcap_t *p, const char *file, struct view_opts *o)
{
	struct view_out	 out;
	int		 rc = EXIT_RUNTIME;

	o->text = stdout;
	if (view_step_open(o) == 0 && view_out_open(o, file, &out) == 0) {
		if (!isatty(STDOUT_FILENO))
			setvbuf(stdout, NULL, _IOFBF, 1 << 20);
		rc = view_run(p, file, o, &out);	/* closes out */
		if (o->text != stdout)
			rc = view_step(o, rc);
	}
	pcap_close(p);
	return rc;
}

/* Read the key log, open FILE with its filter, draw; the exit status. */
static int
view_start(struct cmd_ctx *c, void *arg)
{
	struct view_opts	*o = arg;
	pcap_t			*p;
	int			 rc;

	if ((rc = view_keylog(o)) != 0 || (rc = view_open(c, &p)) != 0)
		return rc;
	return view_draw(p, c->argv[0], o);	/* closes p */
}

const struct cmd_entry cmd_view_entry = {
	.name = "view",
	.summary = "draw the TCP/UDP/ICMP conversations of a pcap or pcapng "
	    "file as ladders",
	.usage =
	    "view [options] FILE [BPF-FILTER]\n"
	    "\n"
	    "  FILE                pcap or pcapng capture (- for stdin)\n"
	    "  BPF-FILTER          only packets matching it, as tcpdump takes "
	    "it\n"
	    "      --summary       one line per conversation (Zeek-like state)\n"
	    "      --conv N        draw conversation N only\n"
	    "      --json          one JSON object per event per line\n"
	    "      --full          show every segment (no folded data phases)\n"
	    "      --data-preview N  show N payload bytes per packet (0: none; "
	    "16)\n"
	    "      --color=WHEN    auto, always or never (auto)\n"
	    "      --ascii         draw without box-drawing characters\n"
	    "      --step          one packet or call at a time, on Enter\n"
	    "      --speed X       replay at X times the capture's own pace\n"
	    "      --max-convs N   live conversations kept (16384)\n"
	    "      --svg FILE      also draw them as an SVG sequence diagram "
	    "(- for stdout)\n"
	    "      --html FILE     the diagram and the ladder in one HTML page\n"
	    "      --graph FILE    time-sequence graph (SVG) of the first TCP "
	    "conversation\n"
	    "                      with data (or --conv N), its busier "
	    "direction\n"
	    "      --keylog FILE   decrypt TLS 1.3 with this NSS key log "
	    "(SSLKEYLOGFILE)\n"
	    "  -h, --help          show this help\n",
	.flags = CMD_LADDER | CMD_LOOK | CMD_PICTURE | CMD_GRAPH,
	.longs = "summary conv colour max-convs keylog step speed",
	.size = sizeof(struct view_opts), .option = view_option,
	.check = view_check, .run = view_start, .fini = view_fini,
};
