/*
 * cmd-view.c: "sockkit view", ladders from a capture file.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "decode.h"
#include "ladder.h"
#include "cmd.h"
#include "svg.h"
#include "view.h"
#include "track.h"
#include "util.h"

struct view_opts {
	struct ladder_opts lo;
	int		 summary, json;
	long		 max_convs;
	const char	*color;
	const char	*svg_path, *html_path;	/* pictures, "-": stdout */
	struct view_pictures pics;	/* view_file()'s, opened for us */
};

/* What view_run() feeds every tracker event to. */
struct view_out {
	struct ladder	*ld;		/* NULL when a picture goes to stdout */
	struct svg	*svg;		/* NULL without --svg or --html */
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
 * The drawing options (c's) into o, and what they cannot be: a capture
 * FILE is needed, --color must be known.  Returns -1 or EXIT_USAGE.
 */
static int
view_check(struct cmd_ctx *c, void *arg)
{
	struct view_opts	*o = arg;

	o->json = c->cap.json;
	o->lo.full = c->cap.full;
	o->lo.ascii = c->cap.ascii;
	o->lo.preview = c->cap.preview;
	o->color = c->cap.color;
	o->svg_path = c->cap.svg_path;
	o->html_path = c->cap.html_path;
	if (c->argc < 1)
		return cmd_usage_error(c->cmd, "expected a capture FILE");
	if ((o->lo.color = ladder_color_when(o->color,
	    isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL)) == -1)
		return cmd_usage_error(c->cmd, "--color '%s': expected auto, "
		    "always or never", o->color);
	o->lo.mode = o->summary ? (o->json ? LADDER_SUMMARY_JSON :
	    LADDER_SUMMARY) : o->json ? LADDER_JSON : LADDER_DRAW;
	return -1;
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
	struct bpf_program	 prog;
	char			*expr;
	int			 rc = 0;

	if (n == 0)
		return 0;
	if ((expr = join_args(n, args)) == NULL) {
		sk_warn("view");
		return EXIT_RUNTIME;
	}
	if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) == -1) {
		sk_warnx("view: bad filter '%s': %s", expr, pcap_geterr(p));
		rc = EXIT_USAGE;
	} else {
		if (pcap_setfilter(p, &prog) == -1) {
			sk_warnx("view: filter '%s': %s", expr, pcap_geterr(p));
			rc = EXIT_RUNTIME;
		}
		pcap_freecode(&prog);
	}
	free(expr);
	return rc;
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
	if (out->ld != NULL)
		ladder_event(out->ld, ev);
	if (out->svg != NULL)
		svg_event(out->svg, ev);
}

/*
 * The renderers o asks for into out: the ladder unless a picture goes to
 * stdout, the picture with --svg or --html.  Returns 0, -1 (no memory) or
 * -2 after saying why (the transcript's temporary file).
 */
static int
view_out_new(const struct view_opts *o, const char *file,
    struct view_out *out)
{
	struct svg_opts	 so;
	char		 title[512];
	int		 pic = o->svg_path != NULL || o->html_path != NULL ||
			    o->pics.svg_fp != NULL || o->pics.html_fp != NULL;
	int		 ladder;

	memset(out, 0, sizeof *out);
	ladder = !o->pics.quiet && (!pic || (strcmp(o->svg_path ?
	    o->svg_path : "", "-") != 0 && strcmp(o->html_path ?
	    o->html_path : "", "-") != 0));
	if (ladder && (out->ld = ladder_new(stdout, &o->lo)) == NULL)
		return -1;
	if (!pic)
		return 0;
	memset(&so, 0, sizeof so);
	so.preview = o->lo.preview;
	so.only_conv = o->lo.only_conv;
	so.full = o->lo.full;
	so.transcript = o->html_path != NULL || o->pics.html_fp != NULL;
	snprintf(title, sizeof title, "sockkit view %s", file);
	so.title = o->pics.title != NULL ? o->pics.title : title;
	if ((out->svg = svg_new(&so)) == NULL && so.transcript &&
	    errno != ENOMEM) {
		sk_warn("view: --html: no temporary file for the transcript in "
		    "%s (TMPDIR)", sk_tmpdir());
		return -2;
	}
	return out->svg == NULL ? -1 : 0;
}

/*
 * Write one picture (html: the page) into fp, which it closes, or else
 * into the file at path.  Returns 0, or -1 after saying why.
 */
static int
view_picture(struct svg *svg, FILE *fp, const char *path, int html)
{
	char	 err[512];
	int	 rc;

	if (svg == NULL || (fp == NULL && path == NULL))
		return 0;
	if (fp == NULL)
		rc = svg_save(svg, path, html, err, sizeof err);
	else {
		errno = 0;
		rc = html ? svg_html(svg, fp) : svg_write(svg, fp);
		if (fclose(fp) == EOF)
			rc = -1;
		snprintf(err, sizeof err, "%s: %s", path, strerror(errno != 0 ?
		    errno : EIO));
	}
	if (rc == -1)
		sk_warnx("view: --%s %s", html ? "html" : "svg", err);
	else if (svg_left_out(svg, html, err, sizeof err))
		sk_warnx("view: --%s %s: %s", html ? "html" : "svg", path, err);
	return rc;
}

/* Write the pictures; returns EXIT_OK or EXIT_RUNTIME after saying why. */
static int
view_out_close(const struct view_opts *o, struct view_out *out)
{
	int	 rc = EXIT_OK;

	ladder_free(out->ld);
	if (view_picture(out->svg, o->pics.svg_fp, o->pics.svg_fp != NULL ?
	    o->pics.svg_path : o->svg_path, 0) == -1)
		rc = EXIT_RUNTIME;
	if (view_picture(out->svg, o->pics.html_fp, o->pics.html_fp != NULL ?
	    o->pics.html_path : o->html_path, 1) == -1)
		rc = EXIT_RUNTIME;
	svg_free(out->svg);
	return rc;
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
 * Decode, track and render every packet of p.  Returns EXIT_OK, or
 * EXIT_RUNTIME after a read error (what was read is still drawn).
 */
static int
view_run(pcap_t *p, const char *file, const struct view_opts *o)
{
	struct pcap_pkthdr	*h;
	const u_char		*data;
	struct decode_pkt	 pk;
	struct view_out		 out;
	struct track		*tr;
	uint64_t		 count = 0;
	int			 dlt = pcap_datalink(p), rc = EXIT_OK, n, rc2;

	tr = track_new((size_t)o->max_convs);
	if (tr != NULL)
		track_set_lookahead(tr, 1);	/* a file: the next packet is here */
	if ((rc2 = view_out_new(o, file, &out)) != 0 || tr == NULL) {
		if (rc2 != -2)
			sk_warn("view");
		track_finish(tr, view_event, &out);
		view_out_close(o, &out);
		return EXIT_RUNTIME;
	}
	while (!sk_interrupted && (n = pcap_next_ex(p, &h, &data)) >= 0) {
		if (n == 0)
			continue;
		if ((++count & 4095) == 0 && ferror(stdout))
			break;		/* "| head" went away: finish() says so */
		decode_packet(dlt, data, h->caplen, h->len, &pk);
		track_packet(tr, (int64_t)h->ts.tv_sec * 1000000000 +
		    h->ts.tv_usec, &pk, view_event, &out);
	}
	if (!sk_interrupted && n == PCAP_ERROR) {
		sk_warnx("view %s: %s", file, pcap_geterr(p));
		rc = EXIT_RUNTIME;
	}
	track_finish(tr, view_event, &out);
	rc2 = view_out_close(o, &out);
	if (rc == EXIT_OK && rc2 == EXIT_OK)
		rc = view_verdict(file, o, &out);
	return rc != EXIT_OK ? rc : rc2;
}

/*
 * Create the --svg and --html files before a packet is read, so that a
 * path that cannot be written stops the command before it draws
 * anything ("-", stdout, needs nothing).  Returns 0, or -1 after saying
 * why, with nothing left open nor made.
 */
static int
view_pictures_open(struct view_opts *o)
{
	const char	*bad = NULL;

	o->pics.svg_path = o->svg_path;
	o->pics.html_path = o->html_path;
	if (o->svg_path != NULL && strcmp(o->svg_path, "-") != 0 &&
	    (o->pics.svg_fp = fopen(o->svg_path, "w")) == NULL)
		bad = "svg";
	else if (o->html_path != NULL && strcmp(o->html_path, "-") != 0 &&
	    (o->pics.html_fp = fopen(o->html_path, "w")) == NULL)
		bad = "html";
	if (bad == NULL)
		return 0;
	sk_warn("view: --%s %s", bad, *bad == 's' ? o->svg_path :
	    o->html_path);
	if (o->pics.svg_fp != NULL) {		/* the one made above */
		fclose(o->pics.svg_fp);
		unlink(o->svg_path);
	}
	o->pics.svg_fp = NULL;
	return -1;
}

/* Open FILE, apply the filter, draw; the exit status. */
static int
view_start(struct cmd_ctx *c, void *arg)
{
	struct view_opts	*o = arg;
	char			 errbuf[PCAP_ERRBUF_SIZE];
	pcap_t			*p;
	int			 rc, dlt;

	(void)c;
	p = pcap_open_offline_with_tstamp_precision(c->argv[0],
	    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL) {
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
	if ((rc = view_filter(p, c->argc - 1, c->argv + 1)) == 0 &&
	    view_pictures_open(o) == -1)
		rc = EXIT_RUNTIME;
	else if (rc == 0) {
		if (!isatty(STDOUT_FILENO))
			setvbuf(stdout, NULL, _IOFBF, 1 << 20);
		rc = view_run(p, c->argv[0], o);  /* closes the pictures */
	}
	pcap_close(p);
	return rc;
}

/*
 * The capture file for view_file(): path, or (fd > 0) the file open on
 * fd, read from its start through a descriptor of its own.  NULL with
 * errbuf.
 */
static pcap_t *
view_open(const char *path, int fd, char *errbuf)
{
	FILE	*fp;
	pcap_t	*p;
	int	 fd2;

	if (fd <= 0)
		return pcap_open_offline_with_tstamp_precision(path,
		    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (lseek(fd, 0, SEEK_SET) == -1 || (fd2 = dup(fd)) == -1) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
		return NULL;
	}
	if ((fp = fdopen(fd2, "rb")) == NULL) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
		close(fd2);
		return NULL;
	}
	/* Unlike pcap_open_offline(), this leaves fp open on failure. */
	if ((p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_NANO, errbuf)) == NULL)
		fclose(fp);
	return p;
}

int
view_file(const char *path, int fd, const char *expr,
    const struct ladder_opts *lo, const struct view_pictures *pics)
{
	struct view_opts	 o;
	char			 errbuf[PCAP_ERRBUF_SIZE];
	char			*args[1] = { (char *)expr };
	pcap_t			*p;
	int			 rc, ran = 0;

	memset(&o, 0, sizeof o);
	o.lo = *lo;
	o.max_convs = 16384;
	if (pics != NULL)
		o.pics = *pics;
	if ((p = view_open(path, fd, errbuf)) == NULL) {
		sk_warnx("view %s: %s", path, errbuf);
		rc = EXIT_RUNTIME;
	} else {
		if ((rc = view_filter(p, 1, args)) == 0) {
			rc = view_run(p, path, &o);	/* closes the pictures */
			ran = 1;
		}
		pcap_close(p);
	}
	if (!ran && o.pics.svg_fp != NULL)
		fclose(o.pics.svg_fp);
	if (!ran && o.pics.html_fp != NULL)
		fclose(o.pics.html_fp);
	return rc;
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
	    "      --max-convs N   live conversations kept (16384)\n"
	    "      --svg FILE      also draw them as an SVG sequence diagram "
	    "(- for stdout)\n"
	    "      --html FILE     the diagram and the ladder in one HTML page\n"
	    "  -h, --help          show this help\n",
	.flags = CMD_LADDER | CMD_LOOK | CMD_PICTURE,
	.longs = "summary conv colour max-convs",
	.size = sizeof(struct view_opts), .option = view_option,
	.check = view_check, .run = view_start,
};
