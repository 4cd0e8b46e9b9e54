/*
 * tsg.c: the time-sequence graph (tsg.h): collecting one conversation's
 * points, decimating them into time columns past the budget, writing
 * the SVG.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"
#include "tsg.h"
#include "words.h"

/* One point of a series: a time and two values (what they are: tser_kind). */
struct tpt {
	int64_t		 t;		/* ns from the conversation's start */
	int64_t		 a, b;
};

/* A time column of a decimated series: what fell in it. */
struct tcol {
	uint64_t	 n;
	int64_t		 a_min, a_max, a_last, b_min, b_max, b_last;
};

/* The series of one direction, in its sender's sequence space. */
enum tser_kind {
	TS_DATA,	/* a: first byte, b: after the last */
	TS_ACK,		/* of the other end: a: ACK, b: ACK + window */
	TS_SACK,	/* a, b: the block's edges */
	TS_DUP,		/* a duplicate ACK: a = b = its ACK */
	TS_N
};

struct tser {
	struct tpt	*pt;		/* until decimated */
	size_t		 n, cap;
	struct tcol	*col;		/* TSG_COLUMNS, once decimated */
	uint64_t	 total;
};

struct tdir {
	struct tser	 s[TS_N];
	struct tpt	*rt;		/* retransmissions kept */
	size_t		 nrt, caprt;
	uint64_t	 segs, retrans, bytes;
	int64_t		 ref;		/* last unwrapped sequence number */
	int		 ref_set;
	int		 fin;		/* its first FIN at (fin_t, fin_seq) */
	int64_t		 fin_t, fin_seq;
	int64_t		 last_ack, last_edge;
};

#define EP_LEN	80

struct tsg {
	struct tsg_opts	 o;
	char		 title[256];
	uint64_t	 id;		/* the conversation, 0: none yet */
	int		 done;		/* it ended */
	int64_t		 t0, tmax;
	int64_t		 width;		/* ns per column, 0: not decimated */
	char		 ep[2][EP_LEN];
	struct tdir	 d[2];
	uint16_t	 port[2];	/* of A and B */
	struct tsg_sample *smp;		/* TCP_INFO samples, in time order */
	size_t		 nsmp;
	uint64_t	 smp_seen;	/* offered */
	uint64_t	 smp_every;	/* keep one in this many, 0: all */
	int		 nomem;
};

struct tsg *
tsg_new(const struct tsg_opts *o)
{
	struct tsg	*g;

	if ((g = calloc(1, sizeof *g)) == NULL)
		return NULL;
	g->o = *o;
	if (o->title != NULL) {
		snprintf(g->title, sizeof g->title, "%s", o->title);
		g->o.title = g->title;
	}
	if (g->o.max_points == 0)
		g->o.max_points = TSG_MAX_POINTS;
	if (g->o.max_retrans == 0)
		g->o.max_retrans = TSG_MAX_RETRANS;
	if (g->o.dir > 1)
		g->o.dir = -1;
	g->d[0].last_ack = g->d[1].last_ack = -1;
	return g;
}

/*
 * A 32-bit relative sequence number of direction d as a 64-bit one: the
 * nearest to the last seen, so that a transfer past 4 GiB keeps rising.
 */
static int64_t
unwrap(struct tdir *d, uint32_t r)
{
	if (!d->ref_set) {
		d->ref_set = 1;
		d->ref = r;
		return r;
	}
	d->ref += (int32_t)(r - (uint32_t)d->ref);
	return d->ref;
}

/* Fold point p into column c. */
static void
col_add(struct tcol *c, const struct tpt *p)
{
	if (c->n == 0 || p->a < c->a_min)
		c->a_min = p->a;
	if (c->n == 0 || p->a > c->a_max)
		c->a_max = p->a;
	if (c->n == 0 || p->b < c->b_min)
		c->b_min = p->b;
	if (c->n == 0 || p->b > c->b_max)
		c->b_max = p->b;
	c->a_last = p->a;
	c->b_last = p->b;
	c->n++;
}

/* Fold column r (the later) into column l. */
static void
col_merge(struct tcol *l, const struct tcol *r)
{
	struct tcol	 m = *r;

	if (r->n == 0)
		return;
	if (l->n != 0) {
		m.a_min = l->a_min < r->a_min ? l->a_min : r->a_min;
		m.a_max = l->a_max > r->a_max ? l->a_max : r->a_max;
		m.b_min = l->b_min < r->b_min ? l->b_min : r->b_min;
		m.b_max = l->b_max > r->b_max ? l->b_max : r->b_max;
		m.n += l->n;
	}
	*l = m;
}

/* Halve the resolution of every column until t fits. */
static void
tsg_widen(struct tsg *g, int64_t t)
{
	struct tser	*s;
	size_t		 j;
	int		 d, k;

	while (t >= (int64_t)TSG_COLUMNS * g->width) {
		for (d = 0; d < 2; d++)
			for (k = 0; k < TS_N; k++) {
				s = &g->d[d].s[k];
				for (j = 0; j < TSG_COLUMNS / 2; j++) {
					s->col[j] = s->col[2 * j];
					col_merge(&s->col[j], &s->col[2 * j + 1]);
				}
				memset(s->col + TSG_COLUMNS / 2, 0,
				    TSG_COLUMNS / 2 * sizeof *s->col);
			}
		g->width *= 2;
	}
}

/* Put p into series s's column (the graph is decimated). */
static void
col_put(struct tsg *g, struct tser *s, const struct tpt *p)
{
	int64_t	 t = p->t < 0 ? 0 : p->t;

	tsg_widen(g, t);
	col_add(&s->col[t / g->width], p);
}

/*
 * Decimate the whole graph: the columns as wide as a power of two of
 * nanoseconds that fits what came so far, every point folded in and the
 * points freed.  Returns 0, or -1 when out of memory.
 */
static int
tsg_decimate(struct tsg *g)
{
	struct tser	*s;
	size_t		 i;
	int		 d, k;

	for (d = 0; d < 2; d++)
		for (k = 0; k < TS_N; k++) {
			s = &g->d[d].s[k];
			s->col = calloc(TSG_COLUMNS, sizeof *s->col);
			if (s->col == NULL)
				return -1;
		}
	g->width = 1;
	tsg_widen(g, g->tmax);
	for (d = 0; d < 2; d++)
		for (k = 0; k < TS_N; k++) {
			s = &g->d[d].s[k];
			for (i = 0; i < s->n; i++)
				col_put(g, s, &s->pt[i]);
			free(s->pt);
			s->pt = NULL;
			s->n = s->cap = 0;
		}
	return 0;
}

/* Room for one more point in *v; NULL when out of memory. */
static struct tpt *
pt_room(struct tpt **v, size_t *n, size_t *cap)
{
	struct tpt	*nv;
	size_t		 nc;

	if (*n == *cap) {
		nc = *cap ? *cap * 2 : 64;
		if ((nv = reallocarray(*v, nc, sizeof *nv)) == NULL)
			return NULL;
		*v = nv;
		*cap = nc;
	}
	return &(*v)[(*n)++];
}

/* Add (t, a, b) to series s of the graph, decimating it when full. */
static void
ser_add(struct tsg *g, struct tser *s, int64_t t, int64_t a, int64_t b)
{
	const struct tpt p = { t, a, b };
	struct tpt	*q;

	if (t > g->tmax)
		g->tmax = t;
	s->total++;
	if (g->width == 0 && s->n == g->o.max_points &&
	    tsg_decimate(g) == -1) {
		g->nomem = 1;
		return;
	}
	if (g->width != 0) {
		col_put(g, s, &p);
		return;
	}
	if ((q = pt_room(&s->pt, &s->n, &s->cap)) == NULL) {
		g->nomem = 1;
		return;
	}
	*q = p;
}

/* A data segment of direction d: one bar, a retransmission kept apart. */
static void
data_add(struct tsg *g, struct tdir *d, const struct track_event *ev,
    int64_t t)
{
	int64_t		 lo = unwrap(d, ev->rseq);
	int64_t		 hi = lo + ev->pkt->paylen;
	struct tpt	*q;

	d->segs++;
	d->bytes += ev->pkt->paylen;
	if (ev->retrans)
		d->retrans++;
	if (!ev->retrans || d->nrt == g->o.max_retrans) {
		ser_add(g, &d->s[TS_DATA], t, lo, hi);
		return;
	}
	if ((q = pt_room(&d->rt, &d->nrt, &d->caprt)) == NULL) {
		g->nomem = 1;
		return;
	}
	q->t = t;
	q->a = lo;
	q->b = hi;
	if (t > g->tmax)
		g->tmax = t;
}

/* What an ACK (with its window, SACK blocks) says about direction d. */
static void
ack_add(struct tsg *g, struct tdir *d, const struct track_event *ev,
    int64_t t)
{
	int64_t	 ack = unwrap(d, ev->rack), l, r;
	int	 i;

	d->last_ack = ack;
	d->last_edge = ack + (int64_t)ev->win;
	ser_add(g, &d->s[TS_ACK], t, ack, d->last_edge);
	if (ev->dupack)
		ser_add(g, &d->s[TS_DUP], t, ack, ack);
	for (i = 0; i < ev->pkt->opt.nsack && i < TRACK_MAX_SACK; i++) {
		l = ack + (int32_t)(ev->sack[i][0] - ev->rack);
		r = ack + (int32_t)(ev->sack[i][1] - ev->rack);
		ser_add(g, &d->s[TS_SACK], t, l, r);
	}
}

/* Whether ev belongs to the graph's conversation, which it may choose. */
static int
tsg_mine(struct tsg *g, const struct track_event *ev)
{
	const struct track_conv	*c = ev->conv;

	if (c == NULL || c->proto != IPPROTO_TCP || ev->pkt == NULL ||
	    ev->pkt->proto != IPPROTO_TCP || ev->icmp_back)
		return 0;
	if (g->id != 0)
		return c->id == g->id;
	if (g->o.only_conv != 0 ? c->id != g->o.only_conv :
	    ev->pkt->paylen == 0)
		return 0;
	g->id = c->id;
	g->t0 = c->first_ts;
	g->port[ev->dir] = ev->pkt->sport;
	g->port[!ev->dir] = ev->pkt->dport;
	words_endpoint(c, 0, g->ep[0], EP_LEN);
	words_endpoint(c, 1, g->ep[1], EP_LEN);
	return 1;
}

void
tsg_event(void *arg, const struct track_event *ev)
{
	struct tsg	*g = arg;
	struct tdir	*d;
	int64_t		 t;

	if (g->done || g->nomem)
		return;
	if (ev->kind == TRACK_EV_END) {
		g->done = g->id != 0 && ev->conv->id == g->id;
		return;
	}
	if (ev->kind != TRACK_EV_PACKET || !tsg_mine(g, ev))
		return;
	d = &g->d[ev->dir];
	t = ev->ts - g->t0;
	if (ev->pkt->paylen > 0)
		data_add(g, d, ev, t);
	if ((ev->pkt->flags & DECODE_FIN) && !d->fin) {
		d->fin = 1;
		d->fin_t = t;
		d->fin_seq = unwrap(d, ev->rseq) + ev->pkt->paylen;
	}
	if (ev->pkt->flags & DECODE_ACK)
		ack_add(g, &g->d[!ev->dir], ev, t);
}

/*
 * Keep sample s: every one until TSG_MAX_SAMPLES, then every other one
 * of those kept and of what comes (and so on), so that the samples stay
 * spread evenly over the whole time.
 */
void
tsg_sample(struct tsg *g, const struct tsg_sample *s)
{
	size_t	 i;

	if (g->nomem)
		return;
	if (g->smp == NULL && (g->smp = calloc(TSG_MAX_SAMPLES,
	    sizeof *g->smp)) == NULL) {
		g->nomem = 1;
		return;
	}
	if (g->smp_every > 1 && g->smp_seen++ % g->smp_every != 0)
		return;
	if (g->nsmp == TSG_MAX_SAMPLES) {
		for (i = 0; i < TSG_MAX_SAMPLES / 2; i++)
			g->smp[i] = g->smp[2 * i];
		g->nsmp = TSG_MAX_SAMPLES / 2;
		g->smp_every = g->smp_every ? g->smp_every * 2 : 2;
		g->smp_seen = 1;
	}
	g->smp[g->nsmp++] = *s;
}

/* The direction drawn: the one asked for, else the one with more data. */
static int
tsg_dir(const struct tsg *g)
{
	if (g->o.dir == 0 || g->o.dir == 1)
		return g->o.dir;
	return g->d[1].bytes > g->d[0].bytes;
}

/* Non-empty columns of series s. */
static size_t
ser_columns(const struct tser *s)
{
	size_t	 j, n = 0;

	for (j = 0; s->col != NULL && j < TSG_COLUMNS; j++)
		n += s->col[j].n != 0;
	return n;
}

/*
 * How many samples the panel of direction dn draws: those of its
 * sender's port from the conversation's start on.  With cw and ms, the
 * greatest window (cwnd, ssthresh) and time (srtt, rto, in us) among
 * them.
 */
static size_t
panel_samples(const struct tsg *g, int dn, uint32_t *cw, uint32_t *ms)
{
	const struct tsg_sample	*s;
	size_t			 i, n = 0;

	for (i = 0; g->id != 0 && i < g->nsmp; i++) {
		s = &g->smp[i];
		if (s->port != g->port[dn] || s->ts < g->t0 ||
		    s->ts - g->t0 > g->tmax)
			continue;
		n++;
		if (cw != NULL && s->cwnd > *cw)
			*cw = s->cwnd;
		if (cw != NULL && s->ssthresh < 0x7fffffff && s->ssthresh > *cw)
			*cw = s->ssthresh;
		if (ms != NULL && s->rto_us > *ms)
			*ms = s->rto_us;
		if (ms != NULL && s->srtt_us > *ms)
			*ms = s->srtt_us;
	}
	return n;
}

int
tsg_info(const struct tsg *g, int dir, struct tsg_info *in)
{
	const struct tdir	*d;

	memset(in, 0, sizeof *in);
	in->dir = dir == 0 || dir == 1 ? dir : tsg_dir(g);
	d = &g->d[in->dir];
	in->conv = g->id;
	in->segs = d->segs;
	in->retrans = d->retrans;
	in->retrans_kept = d->nrt;
	in->acks = d->s[TS_ACK].total;
	in->dupacks = d->s[TS_DUP].total;
	in->sacks = d->s[TS_SACK].total;
	in->bytes = d->bytes;
	in->decimated = g->width != 0;
	in->columns = ser_columns(&d->s[TS_DATA]);
	in->last_ack = d->last_ack;
	in->last_edge = d->last_edge;
	in->samples = panel_samples(g, in->dir, NULL, NULL);
	return g->id != 0 ? 0 : -1;
}

int
tsg_left_out(const struct tsg *g, char *buf, size_t len)
{
	const struct tdir	*d = &g->d[tsg_dir(g)];

	if (g->id == 0 && g->o.only_conv != 0)
		snprintf(buf, len, "conversation %" PRIu64 " is not a TCP "
		    "conversation of the capture: the graph is empty",
		    g->o.only_conv);
	else if (g->id == 0)
		snprintf(buf, len, "no TCP conversation carried data: the "
		    "graph is empty");
	else if (d->retrans > d->nrt)
		snprintf(buf, len, "%" PRIu64 " retransmissions past the first "
		    "%zu drawn as plain data", d->retrans - d->nrt, d->nrt);
	else
		return 0;
	return 1;
}

void
tsg_free(struct tsg *g)
{
	int	 d, k;

	if (g == NULL)
		return;
	for (d = 0; d < 2; d++) {
		for (k = 0; k < TS_N; k++) {
			free(g->d[d].s[k].pt);
			free(g->d[d].s[k].col);
		}
		free(g->d[d].rt);
	}
	free(g->smp);
	free(g);
}

/* Drawing ---------------------------------------------------------------- */

#define W	1000
#define H	660
#define PX0	100		/* the plot's left edge */
#define PX1	970
#define PY0	70		/* its top */
#define PY1	560

/* The scales of a drawing: time and sequence ranges onto the plot. */
struct tscale {
	int64_t		 tmax;
	int64_t		 width;		/* of a column, 0: not decimated */
	int64_t		 ymin, ymax;
};

static double
sx(const struct tscale *sc, int64_t t)
{
	return PX0 + (double)(PX1 - PX0) * (double)(t < 0 ? 0 : t) /
	    (double)sc->tmax;
}

static double
sy(const struct tscale *sc, int64_t v)
{
	return PY1 - (double)(PY1 - PY0) * (double)(v - sc->ymin) /
	    (double)(sc->ymax - sc->ymin);
}

/* Widen [*lo, *hi] to take v. */
static void
range_take(int64_t *lo, int64_t *hi, int64_t v)
{
	if (v < *lo)
		*lo = v;
	if (v > *hi)
		*hi = v;
}

/* Widen the range to every value of series s (its a only: ab 0). */
static void
range_ser(const struct tser *s, int ab, int64_t *lo, int64_t *hi)
{
	size_t	 i;

	for (i = 0; i < s->n; i++) {
		range_take(lo, hi, s->pt[i].a);
		range_take(lo, hi, ab ? s->pt[i].b : s->pt[i].a);
	}
	for (i = 0; s->col != NULL && i < TSG_COLUMNS; i++)
		if (s->col[i].n != 0) {
			range_take(lo, hi, s->col[i].a_min);
			range_take(lo, hi, ab ? s->col[i].b_max :
			    s->col[i].a_max);
		}
}

/*
 * The scales for direction d: from 0 to the greatest sequence number
 * drawn; the window's edge, often far above, widens it by half at most
 * (the rest is clipped) so that the segments stay readable.
 */
static void
tsg_scale(const struct tsg *g, const struct tdir *d, struct tscale *sc)
{
	int64_t	 wlo = 0, whi = 0;
	size_t	 i;
	int	 k;

	sc->tmax = g->tmax > 0 ? g->tmax : 1000000;
	sc->width = g->width;
	sc->ymin = 0;
	sc->ymax = 1;
	for (k = 0; k < TS_N; k++)
		range_ser(&d->s[k], k != TS_ACK, &sc->ymin, &sc->ymax);
	for (i = 0; i < d->nrt; i++) {
		range_take(&sc->ymin, &sc->ymax, d->rt[i].a);
		range_take(&sc->ymin, &sc->ymax, d->rt[i].b);
	}
	if (d->fin)
		range_take(&sc->ymin, &sc->ymax, d->fin_seq + 1);
	range_ser(&d->s[TS_ACK], 1, &wlo, &whi);
	if (whi > sc->ymax)
		sc->ymax = whi < sc->ymax + (sc->ymax - sc->ymin) / 2 ? whi :
		    sc->ymax + (sc->ymax - sc->ymin) / 2;
}

/* A tick step of 1, 2 or 5 times a power of ten giving about n ticks. */
static double
nice_step(double span, int n)
{
	double	 raw = span / n, p = 1;

	while (p * 10 <= raw)
		p *= 10;
	while (p > raw && p > 1e-9)
		p /= 10;
	if (raw / p >= 5)
		return 5 * p;
	return raw / p >= 2 ? 2 * p : p;
}

static const char style[] =
    "<style>\n"
    "text { font: 12px sans-serif; fill: #222; }\n"
    ".title { font-size: 15px; font-weight: bold; }\n"
    ".axis { stroke: #222; stroke-width: 1; }\n"
    ".grid { stroke: #ddd; stroke-width: 1; }\n"
    ".data, .data-bin { stroke: #1f4e9c; stroke-width: 1.5; }\n"
    ".retrans { stroke: #d62728; stroke-width: 2.5; }\n"
    ".ack { fill: none; stroke: #2ca02c; stroke-width: 1.2; }\n"
    ".win { fill: none; stroke: #c7a500; stroke-width: 1.2; "
    "stroke-dasharray: 4 2; }\n"
    ".sack, .sack-bin { stroke: #9467bd; stroke-width: 3; opacity: 0.7; }\n"
    ".dupack { fill: #ff7f0e; }\n"
    ".fin { fill: #000; }\n"
    ".cwnd { fill: none; stroke: #1f4e9c; stroke-width: 1.5; }\n"
    ".ssthresh { fill: none; stroke: #d62728; stroke-width: 1.2; "
    "stroke-dasharray: 5 3; }\n"
    ".srtt { fill: none; stroke: #2ca02c; stroke-width: 1.2; }\n"
    ".rto { fill: none; stroke: #9467bd; stroke-width: 1.2; "
    "stroke-dasharray: 2 2; }\n"
    "</style>\n";

/* The axes, their ticks and grid, their units. */
static void
draw_axes(FILE *fp, const struct tscale *sc)
{
	double	 st, v, secs = (double)sc->tmax / 1e9;

	fprintf(fp, "<g class=\"axes\">\n<rect x=\"%d\" y=\"%d\" width=\"%d\" "
	    "height=\"%d\" fill=\"#fff\" class=\"axis\"/>\n", PX0, PY0,
	    PX1 - PX0, PY1 - PY0);
	st = nice_step(secs, 10);
	for (v = 0; v <= secs * (1 + 1e-9); v += st) {
		fprintf(fp, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" "
		    "x2=\"%.1f\" y2=\"%d\"/>\n<text x=\"%.1f\" y=\"%d\" "
		    "text-anchor=\"middle\">%.6g</text>\n",
		    sx(sc, (int64_t)(v * 1e9)), PY0, sx(sc, (int64_t)(v * 1e9)),
		    PY1, sx(sc, (int64_t)(v * 1e9)), PY1 + 16, v);
	}
	st = nice_step((double)(sc->ymax - sc->ymin), 10);
	if (st < 1)
		st = 1;
	for (v = (double)sc->ymin; v <= (double)sc->ymax; v += st)
		fprintf(fp, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" "
		    "x2=\"%d\" y2=\"%.1f\"/>\n<text x=\"%d\" y=\"%.1f\" "
		    "text-anchor=\"end\">%.0f</text>\n", PX0, sy(sc, (int64_t)v),
		    PX1, sy(sc, (int64_t)v), PX0 - 6, sy(sc, (int64_t)v) + 4, v);
	fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time "
	    "(seconds from the conversation's first packet)</text>\n",
	    (PX0 + PX1) / 2, PY1 + 36);
	fprintf(fp, "<text transform=\"translate(18 %d) rotate(-90)\" "
	    "text-anchor=\"middle\">sequence number (bytes from the ISN)"
	    "</text>\n</g>\n", (PY0 + PY1) / 2);
}

/* One legend entry at x: a sample of class cls, then its words. */
static int
legend_item(FILE *fp, int x, const char *cls, const char *words)
{
	int	 y = H - 40;

	if (strcmp(cls, "dupack") == 0 || strcmp(cls, "fin") == 0)
		fprintf(fp, "<circle class=\"key %s\" cx=\"%d\" cy=\"%d\" "
		    "r=\"4\"/>\n", cls, x + 10, y - 4);
	else
		fprintf(fp, "<line class=\"key %s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
		    "y2=\"%d\"/>\n", cls, x, y - 4, x + 20, y - 4);
	fprintf(fp, "<text x=\"%d\" y=\"%d\">%s</text>\n", x + 26, y, words);
	return x + 34 + 7 * (int)strlen(words);
}

static void
draw_legend(FILE *fp)
{
	int	 x = PX0;

	fputs("<g class=\"legend\">\n", fp);
	x = legend_item(fp, x, "data", "data segment");
	x = legend_item(fp, x, "retrans", "retransmission");
	x = legend_item(fp, x, "ack", "ACK");
	x = legend_item(fp, x, "win", "window edge");
	x = legend_item(fp, x, "sack", "SACK block");
	x = legend_item(fp, x, "dupack", "duplicate ACK");
	legend_item(fp, x, "fin", "FIN");
	fputs("</g>\n", fp);
}

/* The vertical bars of series s (data or SACK) in class cls. */
static void
draw_bars(FILE *fp, const struct tscale *sc, const struct tser *s,
    const char *cls, double dx)
{
	const struct tcol	*c;
	double			 x;
	size_t			 i;

	for (i = 0; i < s->n; i++) {
		x = sx(sc, s->pt[i].t) + dx;
		fprintf(fp, "<line class=\"%s\" data-n=\"1\" x1=\"%.2f\" "
		    "y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", cls, x,
		    sy(sc, s->pt[i].a), x, sy(sc, s->pt[i].b));
	}
	for (i = 0; s->col != NULL && i < TSG_COLUMNS; i++) {
		if ((c = &s->col[i])->n == 0)
			continue;
		x = sx(sc, (int64_t)i * sc->width + sc->width / 2) + dx;
		fprintf(fp, "<line class=\"%s-bin\" data-n=\"%" PRIu64 "\" "
		    "x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", cls,
		    c->n, x, sy(sc, c->a_min), x, sy(sc, c->b_max));
	}
}

/* A step from the line's last point to (x, y): across, then up. */
static void
step_to(FILE *fp, int *first, double x, double y)
{
	if (*first)
		fprintf(fp, "M%.2f %.2f", x, y);
	else
		fprintf(fp, " H%.2f V%.2f", x, y);
	*first = 0;
}

/*
 * The ACK line (b 0) or the window's edge (b 1) of series s, a step line
 * whose last value is in data-last; a column steps to its least, its
 * greatest, then its last value.
 */
static void
draw_steps(FILE *fp, const struct tscale *sc, const struct tser *s, int b,
    int64_t last)
{
	const struct tcol	*c;
	double			 x;
	size_t			 i;
	int			 first = 1;

	if (s->total == 0)
		return;
	fprintf(fp, "<path class=\"%s\" data-last=\"%" PRId64 "\" d=\"",
	    b ? "win" : "ack", last);
	for (i = 0; i < s->n; i++)
		step_to(fp, &first, sx(sc, s->pt[i].t), sy(sc, b ? s->pt[i].b :
		    s->pt[i].a));
	for (i = 0; s->col != NULL && i < TSG_COLUMNS; i++) {
		if ((c = &s->col[i])->n == 0)
			continue;
		x = sx(sc, (int64_t)i * sc->width + sc->width / 2);
		step_to(fp, &first, x, sy(sc, b ? c->b_min : c->a_min));
		fprintf(fp, " V%.2f V%.2f", sy(sc, b ? c->b_max : c->a_max),
		    sy(sc, b ? c->b_last : c->a_last));
	}
	fputs("\"/>\n", fp);
}

/* The duplicate ACKs: a dot each, or a dot a column with its count. */
static void
draw_dups(FILE *fp, const struct tscale *sc, const struct tser *s)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		fprintf(fp, "<circle class=\"dupack\" data-n=\"1\" "
		    "cx=\"%.2f\" cy=\"%.2f\" r=\"3\"/>\n", sx(sc, s->pt[i].t),
		    sy(sc, s->pt[i].a));
	for (i = 0; s->col != NULL && i < TSG_COLUMNS; i++)
		if (s->col[i].n != 0)
			fprintf(fp, "<circle class=\"dupack\" data-n=\"%" PRIu64
			    "\" cx=\"%.2f\" cy=\"%.2f\" r=\"3\"/>\n",
			    s->col[i].n, sx(sc, (int64_t)i * sc->width +
			    sc->width / 2), sy(sc, s->col[i].a_max));
}

/* Every retransmission kept, with its time and bytes as a tooltip. */
static void
draw_retrans(FILE *fp, const struct tscale *sc, const struct tdir *d)
{
	const struct tpt	*p;
	size_t			 i;

	for (i = 0; i < d->nrt; i++) {
		p = &d->rt[i];
		fprintf(fp, "<line class=\"data retrans\" data-n=\"1\" "
		    "x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"><title>"
		    "retransmission at %.6f s: bytes %" PRId64 " to %" PRId64
		    "</title></line>\n", sx(sc, p->t), sy(sc, p->a),
		    sx(sc, p->t), sy(sc, p->b), (double)p->t / 1e9, p->a,
		    p->b);
	}
}

/* The title, what the graph shows in figures, what it left out. */
static void
draw_head(const struct tsg *g, FILE *fp, int dn, const char *left)
{
	const struct tdir	*d = &g->d[dn];
	char			 t[512];

	fprintf(fp, "<text class=\"title\" x=\"%d\" y=\"22\">", PX0);
	snprintf(t, sizeof t, "%s%stime-sequence graph", g->o.title ?
	    g->o.title : "", g->o.title ? ": " : "");
	svg_xml_text(fp, t, strlen(t));
	fprintf(fp, "</text>\n<text x=\"%d\" y=\"40\">", PX0);
	if (g->id != 0)
		snprintf(t, sizeof t, "conversation %" PRIu64 ", TCP %s %s -> "
		    "%s %s: %" PRIu64 " data segments (%" PRIu64
		    " retransmitted), %" PRIu64 " bytes", g->id, dn ? "B" : "A",
		    g->ep[dn], dn ? "A" : "B", g->ep[!dn], d->segs, d->retrans,
		    d->bytes);
	else
		snprintf(t, sizeof t, "%s", left);
	svg_xml_text(fp, t, strlen(t));
	fprintf(fp, "</text>\n<text x=\"%d\" y=\"58\">", PX0);
	if (g->width != 0)
		snprintf(t, sizeof t, "decimated: each mark is one time "
		    "column of %.3g ms with what fell in it; every "
		    "retransmission kept%s%s", (double)g->width / 1e6,
		    left[0] ? "; " : "", left);
	else
		snprintf(t, sizeof t, "%s", g->id != 0 ? left : "");
	svg_xml_text(fp, t, strlen(t));
	fputs("</text>\n", fp);
}

/* The TCP_INFO panel ----------------------------------------------------- */

#define PANEL_H	280		/* added below the graph */
#define QY0	(H + 20)	/* the panel's top */
#define QY1	(H + 210)

static const char *const panel_names[4] = { "cwnd", "ssthresh", "srtt",
    "rto" };

/* Series k of sample s: segments (cwnd, ssthresh) or us; -1: none. */
static int64_t
panel_value(const struct tsg_sample *s, int k)
{
	switch (k) {
	case 0:
		return s->cwnd;
	case 1:
		return s->ssthresh >= 0x7fffffff ? -1 : (int64_t)s->ssthresh;
	case 2:
		return s->srtt_us;
	default:
		return s->rto_us;
	}
}

/* v on the panel's scale of greatest value vmax. */
static double
qy(int64_t v, uint32_t vmax)
{
	return QY1 - (double)(QY1 - QY0) * (double)v / (double)vmax;
}

/* Whether sample s is one the panel of direction dn draws. */
static int
panel_has(const struct tsg *g, int dn, const struct tsg_sample *s)
{
	return s->port == g->port[dn] && s->ts >= g->t0 &&
	    s->ts - g->t0 <= g->tmax;
}

/* Series k of the panel, a line through its samples; data-n counts them. */
static void
panel_series(FILE *fp, const struct tsg *g, int dn, const struct tscale *sc,
    int k, uint32_t vmax)
{
	const struct tsg_sample	*s;
	size_t			 i, n = 0;
	int64_t			 v;

	fprintf(fp, "<polyline class=\"%s\" points=\"", panel_names[k]);
	for (i = 0; i < g->nsmp; i++) {
		s = &g->smp[i];
		if (!panel_has(g, dn, s) || (v = panel_value(s, k)) < 0)
			continue;
		fprintf(fp, "%s%.2f,%.2f", n++ ? " " : "", sx(sc, s->ts - g->t0),
		    qy(v, vmax));
	}
	fprintf(fp, "\" data-n=\"%zu\"/>\n", n);
}

/* The samples as text, one a line: seconds, cwnd, ssthresh, srtt, rto. */
static void
panel_desc(FILE *fp, const struct tsg *g, int dn)
{
	const struct tsg_sample	*s;
	size_t			 i;

	fputs("<desc class=\"samples\">t cwnd ssthresh srtt_us rto_us\n", fp);
	for (i = 0; i < g->nsmp; i++)
		if (panel_has(g, dn, s = &g->smp[i]))
			fprintf(fp, "%.6f %u %" PRId64 " %u %u\n",
			    (double)(s->ts - g->t0) / 1e9, s->cwnd,
			    panel_value(s, 1), s->srtt_us, s->rto_us);
	fputs("</desc>\n", fp);
}

/* The panel's frame, its two value axes (segments left, ms right). */
static void
panel_axes(FILE *fp, uint32_t cw, uint32_t us)
{
	double	 st, v;

	fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
	    "fill=\"#fff\" class=\"axis\"/>\n", PX0, QY0, PX1 - PX0,
	    QY1 - QY0);
	st = nice_step(cw, 5);
	for (v = 0; st >= 1 && v <= cw; v += st)
		fprintf(fp, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">"
		    "%.0f</text>\n", PX0 - 6, qy((int64_t)v, cw) + 4, v);
	st = nice_step(us / 1000.0, 5);
	for (v = 0; v <= us / 1000.0; v += st)
		fprintf(fp, "<text x=\"%d\" y=\"%.1f\">%.6g</text>\n",
		    PX1 + 4, qy((int64_t)(v * 1000), us) + 4, v);
	fprintf(fp, "<text transform=\"translate(18 %d) rotate(-90)\" "
	    "text-anchor=\"middle\">segments</text>\n<text x=\"%d\" "
	    "y=\"%d\">TCP_INFO of this host's sender: cwnd and ssthresh "
	    "(segments, left), srtt and rto (ms, right)</text>\n",
	    (QY0 + QY1) / 2, PX0, QY0 - 6);
}

/* The second panel: cwnd, ssthresh, srtt and rto from n samples. */
static void
draw_panel(FILE *fp, const struct tsg *g, int dn, const struct tscale *sc,
    size_t n)
{
	uint32_t	 cw = 1, us = 1000;
	int		 k, x = PX0;

	panel_samples(g, dn, &cw, &us);
	fprintf(fp, "<g class=\"tcpinfo\" data-samples=\"%zu\" "
	    "data-port=\"%u\">\n", n, g->port[dn]);
	panel_axes(fp, cw, us);
	panel_desc(fp, g, dn);
	for (k = 0; k < 4; k++)
		panel_series(fp, g, dn, sc, k, k < 2 ? cw : us);
	for (k = 0; k < 4; k++) {
		fprintf(fp, "<line class=\"key %s\" x1=\"%d\" y1=\"%d\" "
		    "x2=\"%d\" y2=\"%d\"/><text x=\"%d\" y=\"%d\">%s</text>"
		    "\n", panel_names[k], x, QY1 + 36, x + 20, QY1 + 36, x + 26,
		    QY1 + 40, panel_names[k]);
		x += 110;
	}
	fputs("</g>\n", fp);
}

/*
 * The SVG document, with its XML declaration when prolog (a file), else
 * as an element of an HTML page; 0 or -1 with errno.
 */
static int
tsg_doc(struct tsg *g, FILE *fp, int prolog)
{
	struct tscale	 sc;
	struct tdir	*d;
	char		 left[256] = "";
	int		 dn = tsg_dir(g);
	size_t		 nsmp;

	if (g->nomem) {
		errno = ENOMEM;
		return -1;
	}
	d = &g->d[dn];
	tsg_left_out(g, left, sizeof left);
	tsg_scale(g, d, &sc);
	nsmp = panel_samples(g, dn, NULL, NULL);
	fprintf(fp, "%s<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" class=\"tsg\" "
	    "data-conv=\"%" PRIu64 "\" data-from=\"%s\" data-to=\"%s\">\n"
	    "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n%s",
	    prolog ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : "",
	    W, H + (nsmp ? PANEL_H : 0), W, H + (nsmp ? PANEL_H : 0), g->id,
	    g->ep[dn], g->ep[!dn], style);
	draw_head(g, fp, dn, left);
	draw_axes(fp, &sc);
	fprintf(fp, "<clipPath id=\"tsgplot\"><rect x=\"%d\" y=\"%d\" "
	    "width=\"%d\" height=\"%d\"/></clipPath>\n<g class=\"plot\" "
	    "clip-path=\"url(#tsgplot)\">\n", PX0 - 5, PY0, PX1 - PX0 + 10,
	    PY1 - PY0);
	draw_steps(fp, &sc, &d->s[TS_ACK], 1, d->last_edge);
	draw_steps(fp, &sc, &d->s[TS_ACK], 0, d->last_ack);
	draw_bars(fp, &sc, &d->s[TS_SACK], "sack", 3);
	draw_bars(fp, &sc, &d->s[TS_DATA], "data", 0);
	draw_retrans(fp, &sc, d);
	draw_dups(fp, &sc, &d->s[TS_DUP]);
	if (d->fin)
		fprintf(fp, "<circle class=\"fin\" cx=\"%.2f\" cy=\"%.2f\" "
		    "r=\"4\"><title>FIN</title></circle>\n", sx(&sc, d->fin_t),
		    sy(&sc, d->fin_seq));
	fputs("</g>\n", fp);
	draw_legend(fp);
	if (nsmp > 0)
		draw_panel(fp, g, dn, &sc, nsmp);
	fputs("</svg>\n", fp);
	return ferror(fp) ? -1 : 0;
}

int
tsg_write(struct tsg *g, FILE *fp)
{
	return tsg_doc(g, fp, 1);
}

int
tsg_write_inline(struct tsg *g, FILE *fp)
{
	return tsg_doc(g, fp, 0);
}
