/*
 * render.c: the render sink (render.h): one ladder, one picture
 * collector, their files.
 */
#include "config.h"

#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ladder.h"
#include "render.h"
#include "svg.h"
#include "tlsview.h"
#include "tsg.h"
#include "util.h"

/* A picture's file: made at render_open(), written at render_close(). */
struct picture {
	const char	*opt;		/* "--svg", "--html", "--graph" */
	const char	*path;
	FILE		*fp;		/* stdout for "-"; NULL: none */
	int		 made;		/* created by us: removed on failure */
};

struct render {
	struct render_opts o;
	struct ladder	*ld;		/* NULL: no ladder */
	struct svg	*svg;		/* NULL: no picture */
	struct tsg	*tsg;		/* NULL: no graph */
	struct tlsview	*tv;		/* the TLS layer; NULL: none */
	struct picture	 pic[3];	/* --svg, --html, --graph */
};

/* The transcript's ladder, for svg.c (render_transcript). */
static void *
transcript_open(FILE *fp, int preview, int full, uint64_t only_conv)
{
	const struct ladder_opts lo = { .mode = LADDER_DRAW, .full = full,
	    .preview = preview, .only_conv = only_conv };

	return ladder_new(fp, &lo);
}

/* The ladder's other calls in the shapes struct svg_text asks for. */
static void
transcript_call(void *l, int64_t ts, const char *what, int err)
{
	ladder_call(l, ts, what, err);
}

static void
transcript_here(void *l, const struct decode_addr *a, uint16_t port)
{
	ladder_set_local(l, a, port);
}

static void
transcript_drops(void *l, uint64_t drops, int known)
{
	ladder_set_drops(l, drops, known);
}

static void
transcript_close(void *l)
{
	ladder_free(l);
}

const struct svg_text render_transcript = {
	.open = transcript_open,
	.event = ladder_event,
	.call = transcript_call,
	.here = transcript_here,
	.drops = transcript_drops,
	.close = transcript_close,
};

/* Whether path names stdout. */
static int
is_stdout(const char *path)
{
	return path != NULL && strcmp(path, "-") == 0;
}

/*
 * Make a picture's file now rather than find it unwritable at the end.
 * Returns 0 or -1 with "OPT PATH: reason" in err.
 */
static int
picture_open(struct picture *pc, const char *opt, const char *path,
    char *err, size_t errlen)
{
	pc->opt = opt;
	pc->path = path;
	if (path == NULL)
		return 0;
	if (is_stdout(path)) {
		pc->fp = stdout;
		return 0;
	}
	if ((pc->fp = fopen(path, "w")) == NULL) {
		snprintf(err, errlen, "%s %s: %s", opt, path, strerror(errno));
		return -1;
	}
	pc->made = 1;
	return 0;
}

/*
 * Close a picture's file (stdout is flushed, not closed); with unmade,
 * remove a file it made.  Returns 0 or -1 with errno.
 */
static int
picture_close(struct picture *pc, int unmade)
{
	int	 rc;

	if (pc->fp == NULL)
		return 0;
	rc = (pc->fp == stdout ? fflush(pc->fp) : fclose(pc->fp)) == EOF ?
	    -1 : 0;
	if (unmade && pc->made)
		unlink(pc->path);
	pc->fp = NULL;
	return rc;
}

/* Undo render_open()'s work so far; NULL. */
static struct render *
render_abandon(struct render *r)
{
	int	 e = errno;

	picture_close(&r->pic[0], 1);
	picture_close(&r->pic[1], 1);
	picture_close(&r->pic[2], 1);
	svg_free(r->svg);
	tsg_free(r->tsg);
	ladder_free(r->ld);
	tlsview_free(r->tv);
	free(r);
	errno = e;
	return NULL;
}

/* The picture collector, with a transcript for --html; 0 or -1 with err. */
static int
render_svg_new(struct render *r, char *err, size_t errlen)
{
	struct svg_opts	 so;

	memset(&so, 0, sizeof so);
	so.preview = r->o.lo.preview;
	so.only_conv = r->o.lo.only_conv;
	so.full = r->o.lo.full;
	so.transcript = r->o.html_path != NULL;
	so.text = &render_transcript;
	so.title = r->o.title;
	if ((r->svg = svg_new(&so)) != NULL)
		return 0;
	if (so.transcript && errno != ENOMEM)
		snprintf(err, errlen, "--html %s: no temporary file for the "
		    "transcript in %s (TMPDIR): %s", r->o.html_path,
		    sk_tmpdir(), strerror(errno));
	else
		snprintf(err, errlen, "%s", strerror(ENOMEM));
	return -1;
}

/* The time-sequence graph's collector; 0 or -1 with err. */
static int
render_tsg_new(struct render *r, char *err, size_t errlen)
{
	const struct tsg_opts	 to = { .only_conv = r->o.lo.only_conv,
	    .dir = -1, .title = r->o.title };

	if ((r->tsg = tsg_new(&to)) != NULL)
		return 0;
	snprintf(err, errlen, "%s", strerror(ENOMEM));
	return -1;
}

/*
 * The ladder, unless there is no stream for it or a picture takes stdout
 * which it would share; coloured as --color says, "auto" on a terminal
 * when NO_COLOR is not set.  Returns 0 or -1 with err.
 */
static int
render_ladder_new(struct render *r, char *err, size_t errlen)
{
	struct ladder_opts	 lo = r->o.lo;
	FILE			*fp = r->o.text;

	if (fp == NULL || (fp == stdout && (is_stdout(r->o.svg_path) ||
	    is_stdout(r->o.html_path) || is_stdout(r->o.graph_path))))
		return 0;
	lo.color = ladder_color_when(r->o.color, isatty(fileno(fp)) &&
	    getenv("NO_COLOR") == NULL);
	if (lo.color == -1)
		lo.color = 0;
	if ((r->ld = ladder_new(fp, &lo)) == NULL) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -1;
	}
	return 0;
}

struct render *
render_open(const struct render_opts *o, char *err, size_t errlen)
{
	struct render	*r;

	if ((r = calloc(1, sizeof *r)) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	r->o = *o;
	if (picture_open(&r->pic[0], "--svg", o->svg_path, err, errlen) == -1 ||
	    picture_open(&r->pic[1], "--html", o->html_path, err,
	    errlen) == -1 || picture_open(&r->pic[2], "--graph",
	    o->graph_path, err, errlen) == -1)
		return render_abandon(r);
	if ((o->graph_path != NULL || o->html_path != NULL) &&
	    render_tsg_new(r, err, errlen) == -1)
		return render_abandon(r);
	if ((o->svg_path != NULL || o->html_path != NULL) &&
	    render_svg_new(r, err, errlen) == -1)
		return render_abandon(r);
	if (render_ladder_new(r, err, errlen) == -1)
		return render_abandon(r);
	if ((r->tv = tlsview_new(&o->tls)) == NULL) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return render_abandon(r);
	}
	return r;
}

/*
 * The tracker's event to every output, with the TLS records and messages
 * its segment completed hung on it (tlsview.h): on a copy, since the
 * tracker's is its own.
 */
void
render_event(void *arg, const struct track_event *ev)
{
	render_event_seg(arg, ev, NULL);
}

void
render_event_seg(struct render *r, const struct track_event *ev,
    const struct tlsview_seg *seg)
{
	struct track_event	 e;

	if (ev->conv != NULL && ev->conv->proto == IPPROTO_TCP) {
		e = *ev;
		tlsview_event(r->tv, &e, seg);
		ev = &e;
	}
	if (r->ld != NULL)
		ladder_event(r->ld, ev);
	if (r->svg != NULL)
		svg_event(r->svg, ev);
	if (r->tsg != NULL)
		tsg_event(r->tsg, ev);
	if (ev->kind == TRACK_EV_END)
		tlsview_forget(r->tv, ev->conv);
}

int
render_tls_go_ahead(struct render *r, struct track_conv *c)
{
	return tlsview_go_ahead(r->tv, c);
}

int
render_tls_ahead(struct render *r, struct track_conv *c, int dir,
    uint32_t rseq, const struct decode_pkt *pk, struct tlsview_seg *seg)
{
	return tlsview_ahead(r->tv, c, dir, rseq, pk, seg);
}

void
render_sample(struct render *r, const struct tsg_sample *s)
{
	if (r != NULL && r->tsg != NULL)
		tsg_sample(r->tsg, s);
}

void
render_call(struct render *r, int64_t ts, uint64_t conv, const char *what,
    int err)
{
	if (r->ld != NULL)
		ladder_call_conv(r->ld, ts, conv, what, err);
	if (r->svg != NULL)
		svg_call(r->svg, ts, what, err);
}

void
render_set_local(struct render *r, const struct decode_addr *a,
    uint16_t port)
{
	if (r->ld != NULL)
		ladder_set_local(r->ld, a, port);
	if (r->svg != NULL)
		svg_set_local(r->svg, a, port);
}

void
render_set_drops(struct render *r, uint64_t drops, int known)
{
	if (r->ld != NULL)
		ladder_set_drops(r->ld, drops, known);
	if (r->svg != NULL)
		svg_set_drops(r->svg, drops, known);
}

int
render_has_text(const struct render *r)
{
	return r->ld != NULL;
}

/* The graph inside the HTML page (svg_html_graph's callback). */
static int
render_graph_inline(void *arg, FILE *fp)
{
	return tsg_write_inline(arg, fp);
}

/*
 * Write picture i into fp: 0, or -1 with errno.  The HTML page carries
 * the graph under the diagram when a TCP conversation carried data.
 */
static int
render_write(struct render *r, int i, FILE *fp)
{
	struct tsg_info	 in;

	if (i == 2)
		return tsg_write(r->tsg, fp);
	if (i == 0)
		return svg_write(r->svg, fp);
	if (r->tsg != NULL && tsg_info(r->tsg, -1, &in) == 0 && in.segs > 0)
		return svg_html_graph(r->svg, fp, render_graph_inline, r->tsg);
	return svg_html(r->svg, fp);
}

/* What picture i left out into buf: 1, or 0 when nothing. */
static int
render_left(const struct render *r, int i, char *buf, size_t len)
{
	if (i == 2)
		return tsg_left_out(r->tsg, buf, len);
	return svg_left_out(r->svg, i, buf, len);
}

/*
 * Write picture i (2: the graph, 1: the HTML page, else the SVG) into
 * its file and close it; say what its budget left out.  Returns 0, or -1 with err
 * when err is still empty (the first failure is the one told).
 */
static int
render_picture(struct render *r, int i, char *err, size_t errlen)
{
	struct picture	*pc = &r->pic[i];
	char		 left[512], msg[700];
	int		 rc;

	if (pc->fp == NULL)
		return 0;
	errno = 0;
	rc = render_write(r, i, pc->fp);
	if (picture_close(pc, 0) == -1)
		rc = -1;
	if (rc == -1 && err[0] == '\0')
		snprintf(err, errlen, "%s %s: %s", pc->opt, pc->path,
		    strerror(errno != 0 ? errno : EIO));
	else if (rc == 0 && r->o.warn != NULL && render_left(r, i, left,
	    sizeof left)) {
		snprintf(msg, sizeof msg, "%s %s: %s", pc->opt, pc->path, left);
		r->o.warn(msg);
	}
	return rc;
}

int
render_close(struct render *r, char *err, size_t errlen)
{
	int	 rc = 0;

	if (r == NULL)
		return 0;
	ladder_free(r->ld);	/* not flushed: the caller's stream */
	err[0] = '\0';
	if (render_picture(r, 0, err, errlen) == -1)
		rc = -1;
	if (render_picture(r, 1, err, errlen) == -1)
		rc = -1;
	if (render_picture(r, 2, err, errlen) == -1)
		rc = -1;
	svg_free(r->svg);
	tsg_free(r->tsg);
	tlsview_free(r->tv);
	free(r);
	return rc;
}
