/*
 * svg.c: a sequence diagram of tracker events, written at the end.
 *
 * Each conversation gets two lanes, end[0] (A) on the left and end[1] (B)
 * on the right, and one arrow per packet from its sender's lane down to
 * its receiver's.  Time flows down: the usual gap between two events gets
 * one row and longer gaps get proportionally more room, up to FOLD_PX;
 * anything longer is folded into a break mark that says how long it was.
 * Socket calls and the tracker's notes go in the right margin.  Nothing
 * relies on colour alone: RSTs, retransmissions and ICMP errors have their
 * own dash patterns, and every label says what the packet was.
 *
 * For the HTML page a text ladder of the same events is kept too, drawn
 * by the text renderer the caller hands in (svg_opts.text).  That
 * renderer keeps its state in conv->user, so around each of its events
 * this module swaps its own saved pointer in and out.
 *
 * The budget (svg.h) bounds memory whatever the input: past max_convs
 * conversations or max_items rows nothing more is kept, only counted, and
 * a conversation that is not drawn gives its slot back when it ends, so
 * the slots are the tracker's live conversations plus the drawn ones.  The
 * transcript goes to an unlinked temporary file and stops at a line's end
 * when max_transcript bytes are written.  Why a file and a cap both: kept
 * in memory (an open_memstream once), a transcript cost its size in memory
 * for the whole run, on a live capture driven by whoever connects; in a
 * file it costs a stdio buffer.  The cap still bounds the disk and the
 * page, which a browser must load whole (the text ladder of `view` has
 * every line).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "svg.h"
#include "tlsview.h"
#include "util.h"
#include "words.h"

#define EP_MAX		64
#define LABEL_MAX	72	/* characters on an arrow; all in its title */

/* The geometry, in pixels. */
#define W		1280
#define X_TIME		70	/* right edge of the time column */
#define X_A		230	/* lane A */
#define X_B		730	/* lane B */
#define X_NOTE		860	/* the margin: calls and notes */
#define HEAD_H		92	/* title, lane boxes, first states */
#define ROW		26	/* the least room between two events */
#define NOTE_H		14	/* one line of notes */
#define SLOPE		12	/* how far an arrow falls on its way */
#define FOLD_PX		180	/* a longer gap is folded */
#define BREAK_PX	34	/* the room a folded gap takes */
#define FOOT_H		56	/* the verdict under the lanes */
#define NOTE_COLS	56	/* characters on one line of the margin */

enum { IT_PKT, IT_CALL };

#define SI_SYN		0x01
#define SI_FIN		0x02
#define SI_RST		0x04
#define SI_DATA		0x08
#define SI_RETRANS	0x10
#define SI_ICMP		0x20
#define SI_OOO		0x40
#define SI_DUPACK	0x80

/* One row: a packet or a socket call. */
struct sitem {
	int64_t		 ts;
	uint64_t	 frame;		/* packets: 1-based; calls: order */
	int		 kind, dir, err;
	unsigned	 cls;		/* SI_ bits */
	char		*text;		/* the arrow's label or the call */
	const char	*state[2];	/* new state of each end, or NULL */
	int		 nnotes;
	char		*notes;		/* one per line, "! " when a warning */
	int		 fold;		/* a folded gap before this row */
	int64_t		 gap;
	double		 y;
};

/* A conversation to draw. */
struct sconv {
	uint64_t	 id;
	uint8_t		 proto;
	char		 ep[2][EP_MAX];
	struct track_end end[2];	/* addresses and ports, for is-local */
	int		 syn_first, ended;
	const char	*shown[2];	/* the state last written on a lane */
	char		 how[200], stats[320];
	char		 tls[TLSVIEW_VERDICT];	/* what its TLS agreed */
	struct sitem	*it;
	size_t		 n, cap;
	double		 y0, h;
};

/*
 * A conversation seen and still of use (live, or drawn), in id order (ids
 * grow as they are made); dead ones wait to be squeezed out (slot_end()).
 */
struct sslot {
	uint64_t	 id;
	void		*tuser;		/* the transcript's conv->user */
	struct sconv	*sc;		/* NULL: not drawn */
	int		 out;		/* left out by the budget */
	int		 dead;		/* ended and not drawn: no more use */
};

struct svg {
	struct svg_opts	 o;
	char		 title[256];	/* o.title points here */
	struct words_here here;		/* the local endpoint */
	struct sslot	*slot;
	size_t		 nslot, capslot, ndead;
	struct sitem	*calls;
	size_t		 ncalls, capcalls;
	uint64_t	 convs, items, bad, drops;
	uint64_t	 out_convs, out_pkts, out_calls;	/* the budget's */
	int		 drops_known;
	int		 nomem;		/* something could not be kept */
	int		 laid_out;
	int64_t		 t0;
	double		 scale;		/* pixels per nanosecond */
	double		 height;
	struct sconv	*callconv;	/* calls without packets */
	void		*tl;		/* the transcript's renderer */
	FILE		*tfp;		/* the ladder's: transcript_write() */
	FILE		*tstore;	/* the unlinked temporary file */
	uint64_t	 tbytes;	/* in tstore */
	uint64_t	 tleft;		/* packets after the transcript's end */
	int		 tfull, terr;	/* budget spent; a write's errno */
};

static void	transcript_close(struct svg *);

/*
 * The cookie write of the transcript's stream: into the temporary file
 * while the budget lasts.  The stream is flushed after each event, so an
 * event's lines are kept whole or not at all.  Always "writes" all of buf:
 * the ladder is not to see an error for what the budget leaves out.
 */
static ssize_t
transcript_write(void *arg, const char *buf, size_t n)
{
	struct svg	*s = arg;

	if (s->tfull || n > s->o.max_transcript - s->tbytes) {
		s->tfull = 1;
		return (ssize_t)n;
	}
	if (fwrite(buf, 1, n, s->tstore) != n) {
		s->terr = errno != 0 ? errno : EIO;
		s->tfull = 1;
	}
	s->tbytes += n;
	return (ssize_t)n;
}

/* An unlinked temporary file, open for reading and writing; NULL with errno. */
static FILE *
transcript_store(void)
{
	FILE	*fp;
	int	 fd;

	if ((fd = sk_tmpfile()) == -1)
		return NULL;
	if ((fp = fdopen(fd, "w+")) == NULL)
		close(fd);
	return fp;
}

/* The transcript's ladder, its stream and its file; 0 or -1 with errno. */
static int
transcript_open(struct svg *s)
{
	static const cookie_io_functions_t io = { .write = transcript_write };
	if (s->o.text == NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((s->tstore = transcript_store()) == NULL ||
	    (s->tfp = fopencookie(s, "w", io)) == NULL)
		return -1;
	/* Room for any one event's lines, so each flush is one write. */
	if (setvbuf(s->tfp, NULL, _IOFBF, 1 << 16) != 0 ||
	    (s->tl = s->o.text->open(s->tfp, s->o.preview, s->o.full,
	    s->o.only_conv)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

struct svg *
svg_new(const struct svg_opts *o)
{
	struct svg	*s;
	int		 saved;

	if ((s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	s->o = *o;
	snprintf(s->title, sizeof s->title, "%s", o->title != NULL ? o->title :
	    "sockkit");
	s->o.title = s->title;
	s->o.max_convs = o->max_convs ? o->max_convs : SVG_MAX_CONVS;
	s->o.max_items = o->max_items ? o->max_items : SVG_MAX_ITEMS;
	s->o.max_transcript = o->max_transcript ? o->max_transcript :
	    SVG_MAX_TRANSCRIPT;
	if (o->transcript && transcript_open(s) == -1) {
		saved = errno;
		svg_free(s);
		errno = saved;
		return NULL;
	}
	return s;
}

void
svg_set_local(struct svg *s, const struct decode_addr *a, uint16_t port)
{
	s->here.known = 1;
	s->here.addr = *a;
	s->here.port = port;
	if (s->tl != NULL)
		s->o.text->here(s->tl, a, port);
}

void
svg_set_drops(struct svg *s, uint64_t drops, int known)
{
	s->drops = drops;
	s->drops_known = known;
	if (s->tl != NULL)
		s->o.text->drops(s->tl, drops, known);
}

/*
 * The slot of conversation id, made if new and make; NULL otherwise (a
 * dead one, or out of memory: s->nomem).
 */
static struct sslot *
slot_get(struct svg *s, uint64_t id, int make)
{
	size_t		 lo = 0, hi = s->nslot, mid;
	struct sslot	*n;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->slot[mid].id == id)
			return s->slot[mid].dead ? NULL : &s->slot[mid];
		if (s->slot[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!make || (s->nslot > 0 && s->slot[s->nslot - 1].id > id))
		return NULL;
	if (s->nslot == s->capslot) {
		n = reallocarray(s->slot, s->capslot ? s->capslot * 2 : 16,
		    sizeof *n);
		if (n == NULL) {
			s->nomem = 1;
			return NULL;
		}
		s->slot = n;
		s->capslot = s->capslot ? s->capslot * 2 : 16;
	}
	n = &s->slot[s->nslot++];
	memset(n, 0, sizeof *n);
	n->id = id;
	return n;
}

/*
 * A conversation has ended: unless it is drawn, its slot is of no more
 * use.  Dead slots are squeezed out once they are half of all, which keeps
 * the order (and the search) at a cost shared among them.
 */
static void
slot_end(struct svg *s, struct sslot *sl)
{
	size_t	 i, k = 0;

	if (sl->sc != NULL || sl->tuser != NULL)
		return;
	sl->dead = 1;
	if (++s->ndead < 64 || s->ndead * 2 < s->nslot)
		return;
	for (i = 0; i < s->nslot; i++)
		if (!s->slot[i].dead)
			s->slot[k++] = s->slot[i];
	s->nslot = k;
	s->ndead = 0;
}

/*
 * Feed ev to the transcript ladder with its own conv->user in place.  Once
 * the budget is spent only the conversations the ladder holds state for go
 * on, to their end (where the ladder frees it); the packets it would have
 * shown are counted.
 */
static void
transcript_event(struct svg *s, struct sslot *sl, const struct track_event *ev)
{
	void	*mine;
	int	 shown = ev->kind != TRACK_EV_END && (s->o.only_conv == 0 ||
		    (ev->conv != NULL && ev->conv->id == s->o.only_conv));

	if (s->tl == NULL)
		return;
	if (s->tfull && (sl == NULL || sl->tuser == NULL)) {
		s->tleft += shown;
		return;
	}
	if (ev->conv == NULL)
		s->o.text->event(s->tl, ev);
	else if (sl != NULL) {
		mine = ev->conv->user;
		ev->conv->user = sl->tuser;
		s->o.text->event(s->tl, ev);
		sl->tuser = ev->conv->user;
		ev->conv->user = mine;
	}
	fflush(s->tfp);
	s->tleft += s->tfull && shown;
}

/* A new drawn conversation for c; NULL when out of memory. */
static struct sconv *
sconv_new(const struct track_conv *c, const struct track_event *ev)
{
	struct sconv	*sc;
	int		 i;

	if ((sc = calloc(1, sizeof *sc)) == NULL)
		return NULL;
	sc->id = c->id;
	sc->proto = c->proto;
	for (i = 0; i < 2; i++) {
		words_endpoint(c, i, sc->ep[i], EP_MAX);
		sc->end[i] = c->end[i];
	}
	sc->syn_first = c->proto == IPPROTO_TCP && ev->pkt != NULL &&
	    (ev->pkt->flags & (DECODE_SYN | DECODE_ACK)) == DECODE_SYN;
	if (sc->syn_first) {
		sc->shown[0] = track_state_name(TRACK_CLOSED);
		sc->shown[1] = track_state_name(TRACK_UNKNOWN);
	}
	return sc;
}

/* Room for one more item in *it; returns it or NULL. */
static struct sitem *
item_add(struct sitem **it, size_t *n, size_t *cap)
{
	struct sitem	*p;

	if (*n == *cap) {
		p = reallocarray(*it, *cap ? *cap * 2 : 32, sizeof *p);
		if (p == NULL)
			return NULL;
		*it = p;
		*cap = *cap ? *cap * 2 : 32;
	}
	p = &(*it)[(*n)++];
	memset(p, 0, sizeof *p);
	return p;
}

/* The SI_ classes of a packet event. */
static unsigned
packet_class(const struct track_event *ev)
{
	const struct decode_pkt	*pk = ev->pkt;
	unsigned		 cls = 0;

	if (pk->proto == IPPROTO_TCP) {
		cls |= pk->flags & DECODE_SYN ? SI_SYN : 0;
		cls |= pk->flags & DECODE_FIN ? SI_FIN : 0;
		cls |= pk->flags & DECODE_RST ? SI_RST : 0;
	}
	if (pk->proto == IPPROTO_TCP || pk->proto == IPPROTO_UDP)
		cls |= pk->paylen > 0 ? SI_DATA : 0;
	else
		cls |= SI_ICMP;
	cls |= ev->retrans ? SI_RETRANS : 0;
	cls |= ev->ooo ? SI_OOO : 0;
	cls |= ev->dupack ? SI_DUPACK : 0;
	return cls;
}

/*
 * The TLS records and messages of ev, then its notes, one per line; NULL
 * when there are none.
 */
static char *
packet_notes(const struct track_event *ev)
{
	char	*buf, w[TLS_DETAIL_MAX + 64];
	size_t	 len = (size_t)ev->nnotes * (TRACK_NOTE_LEN + 3) + 1 +
		    (size_t)(ev->ntls + 1) * sizeof w, off = 0;
	int	 i;

	if (ev->nnotes + ev->ntls == 0 || (buf = malloc(len)) == NULL)
		return NULL;
	buf[0] = '\0';
	for (i = 0; i < ev->ntls; i++) {
		if (tlsview_hidden(ev, i))
			continue;
		tlsview_words(&ev->tls[i], w, sizeof w);
		words_cat(buf, len, &off, "%sTLS %s", off > 0 ? "\n" : "", w);
	}
	if (ev->tls_more > 0)
		words_cat(buf, len, &off, "\nTLS and %u more records or "
		    "messages", ev->tls_more);
	for (i = 0; i < ev->nnotes; i++)
		words_cat(buf, len, &off, "%s%s%s", off > 0 ? "\n" : "",
		    ev->notes[i].warn ? "! " : "", ev->notes[i].text);
	return buf;
}

/* Keep a packet of sc: its label, classes, states and notes. */
static void
packet_add(struct svg *s, struct sconv *sc, const struct track_event *ev)
{
	struct sitem	*it;
	char		 lab[1024];
	int		 e;

	if (s->items >= s->o.max_items) {
		s->out_pkts++;
		return;
	}
	words_label(ev, s->o.preview, lab, sizeof lab);
	if ((it = item_add(&sc->it, &sc->n, &sc->cap)) == NULL) {
		s->nomem = 1;
		return;
	}
	s->items++;
	it->kind = IT_PKT;
	it->ts = ev->ts;
	it->frame = ev->frame;
	it->dir = ev->dir;
	it->cls = packet_class(ev);
	if ((it->text = strdup(lab)) == NULL) {
		sc->n--;
		s->items--;
		s->nomem = 1;
		return;
	}
	for (e = 0; e < 2; e++) {
		if (ev->pkt->proto != IPPROTO_TCP || !ev->changed[e] ||
		    (sc->shown[e] != NULL && strcmp(sc->shown[e],
		    track_state_name(ev->state[e])) == 0))
			continue;
		it->state[e] = sc->shown[e] = track_state_name(ev->state[e]);
	}
	it->nnotes = ev->nnotes;
	if ((it->notes = packet_notes(ev)) == NULL && ev->nnotes + ev->ntls > 0)
		s->nomem = 1;
}

/* The end of sc's conversation c: its verdict and its counts. */
static void
sconv_end(struct svg *s, struct sconv *sc, const struct track_event *ev)
{
	const struct track_conv *c = ev->conv;
	int	 local = c->closer >= 0 &&
		    words_is_here(&s->here, &c->end[c->closer]);
	size_t	 n;

	sc->ended = 1;
	sc->end[0] = c->end[0];
	sc->end[1] = c->end[1];
	words_how(c, local, sc->how, sizeof sc->how);
	snprintf(sc->tls, sizeof sc->tls, "%s", ev->tls_verdict ?
	    ev->tls_verdict : "");
	words_counts(c, sc->stats, sizeof sc->stats);
	n = strlen(sc->stats);
	if (s->drops_known && n < sizeof sc->stats)
		snprintf(sc->stats + n, sizeof sc->stats - n, ", %"
		    PRIu64 " dropped by the capture", s->drops);
}

/*
 * The drawing of sl's conversation, made at its first packet while the
 * budget has room; NULL when it is not drawn (counted once, with all its
 * packets, when the budget left it out).
 */
static struct sconv *
slot_draw(struct svg *s, struct sslot *sl, const struct track_event *ev)
{
	if (sl->sc == NULL && !sl->out && ev->kind == TRACK_EV_PACKET) {
		if (s->convs >= s->o.max_convs || s->items >= s->o.max_items) {
			sl->out = 1;
			s->out_convs++;
		} else if ((sl->sc = sconv_new(ev->conv, ev)) == NULL)
			s->nomem = 1;
		else
			s->convs++;
	}
	if (sl->out && ev->kind == TRACK_EV_PACKET)
		s->out_pkts++;
	return sl->sc;
}

void
svg_event(void *arg, const struct track_event *ev)
{
	struct svg	*s = arg;
	struct sslot	*sl = NULL;
	struct sconv	*sc;

	if (ev->kind == TRACK_EV_BAD) {
		s->bad++;
		transcript_event(s, NULL, ev);
		return;
	}
	sl = slot_get(s, ev->conv->id, ev->kind == TRACK_EV_PACKET);
	transcript_event(s, sl, ev);
	if (sl == NULL)
		return;
	if ((s->o.only_conv == 0 || s->o.only_conv == ev->conv->id) &&
	    !s->laid_out && (sc = slot_draw(s, sl, ev)) != NULL) {
		if (ev->kind == TRACK_EV_END)
			sconv_end(s, sc, ev);
		else
			packet_add(s, sc, ev);
	}
	if (ev->kind == TRACK_EV_END)
		slot_end(s, sl);
}

void
svg_call(struct svg *s, int64_t ts, const char *what, int err)
{
	struct sitem	*it;

	if (s->tl != NULL && !s->tfull) {
		s->o.text->call(s->tl, ts, what, err);
		fflush(s->tfp);
	}
	if (s->laid_out)
		return;
	if (s->items >= s->o.max_items) {
		s->out_calls++;
		return;
	}
	if ((it = item_add(&s->calls, &s->ncalls, &s->capcalls)) == NULL ||
	    (it->text = strdup(what)) == NULL) {
		s->ncalls -= it != NULL;
		s->nomem = 1;
		return;
	}
	s->items++;
	it->kind = IT_CALL;
	it->ts = ts;
	it->frame = s->ncalls;
	it->err = err;
}

/* Items in time order; a call made at a packet's time caused it. */
static int
item_cmp(const void *a, const void *b)
{
	const struct sitem	*x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind == IT_CALL ? -1 : 1;
	return x->frame < y->frame ? -1 : x->frame > y->frame;
}

static int
gap_cmp(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The drawn conversations in id order, through *n; NULL if none. */
static struct sconv **
drawn_list(struct svg *s, size_t *n)
{
	struct sconv	**v;
	size_t		  i;

	*n = 0;
	if ((v = calloc(s->nslot + 1, sizeof *v)) == NULL) {
		s->nomem = 1;
		return NULL;
	}
	for (i = 0; i < s->nslot; i++)
		if (s->slot[i].sc != NULL && s->slot[i].sc->n > 0)
			v[(*n)++] = s->slot[i].sc;
	return v;
}

/*
 * Give every socket call to the conversation that had begun by then (or
 * the first), with a conversation of no packets for calls alone.
 */
static void
calls_place(struct svg *s, struct sconv **v, size_t *n)
{
	struct sconv	*sc;
	struct sitem	*it;
	size_t		 i, k;

	if (*n == 0 && s->ncalls > 0 && (sc = calloc(1, sizeof *sc)) == NULL)
		s->nomem = 1;
	else if (*n == 0 && s->ncalls > 0) {
		snprintf(sc->ep[0], EP_MAX, "this host");
		snprintf(sc->how, sizeof sc->how, "no packets captured");
		sc->ended = 1;
		v[(*n)++] = s->callconv = sc;
	}
	for (i = 0; i < s->ncalls; i++) {
		for (k = 0; k + 1 < *n && v[k + 1]->n > 0 &&
		    v[k + 1]->it[0].ts <= s->calls[i].ts; k++)
			;
		if (*n == 0 || (it = item_add(&v[k]->it, &v[k]->n,
		    &v[k]->cap)) == NULL) {
			free(s->calls[i].text);
			s->nomem = 1;
			continue;
		}
		*it = s->calls[i];
	}
	s->ncalls = 0;
	for (k = 0; k < *n; k++)
		qsort(v[k]->it, v[k]->n, sizeof *v[k]->it, item_cmp);
}

/*
 * Pixels per nanosecond: the median gap between two events is one row.
 * 0 when out of memory (s->nomem).
 */
static double
layout_scale(struct svg *s, struct sconv **v, size_t n)
{
	int64_t	*gaps;
	size_t	 ng = 0, total = 0, i, k;
	double	 scale = 0;

	for (k = 0; k < n; k++)
		total += v[k]->n;
	if ((gaps = calloc(total + 1, sizeof *gaps)) == NULL) {
		s->nomem = 1;
		return 0;
	}
	for (k = 0; k < n; k++)
		for (i = 1; i < v[k]->n; i++)
			if (v[k]->it[i].ts > v[k]->it[i - 1].ts)
				gaps[ng++] = v[k]->it[i].ts - v[k]->it[i - 1].ts;
	if (ng > 0) {
		qsort(gaps, ng, sizeof *gaps, gap_cmp);
		scale = (double)ROW / (double)gaps[ng / 2];
	}
	free(gaps);
	return scale;
}

/*
 * The next line of at most NOTE_COLS characters of the text at *p, broken
 * at a space or a newline when one is near; returns its length (0 at the
 * end) and moves *p past it.
 */
static size_t
wrap_next(const char **p, const char **line)
{
	const char	*s = *p, *nl;
	size_t		 len, cut;

	while (*s == ' ')
		s++;
	if (*s == '\0')
		return 0;
	*line = s;
	nl = strchr(s, '\n');
	len = nl != NULL ? (size_t)(nl - s) : strlen(s);
	cut = len;
	if (len > NOTE_COLS) {
		for (cut = NOTE_COLS; cut > NOTE_COLS / 2 && s[cut] != ' ';
		    cut--)
			;
		if (s[cut] != ' ')
			cut = NOTE_COLS;
	}
	*p = s + cut + (cut == len && nl != NULL ? 1 : 0);
	return cut;
}

/* The margin text of a socket call, into buf. */
static const char *
call_text(const struct sitem *it, char *buf, size_t len)
{
	const char	*name = it->err ? strerrorname_np(it->err) : NULL;

	snprintf(buf, len, "%sthis host: %s%s%s", it->err ? "! " : "",
	    it->text, it->err ? " failed: " : "", it->err ? (name ? name :
	    "?") : "");
	return buf;
}

/* The margin lines item it takes. */
static int
item_lines(const struct sitem *it)
{
	char		 buf[256];
	const char	*p = it->kind == IT_CALL ? call_text(it, buf,
			    sizeof buf) : it->notes, *l;
	int		 n = 0;

	if (p == NULL)
		return 0;
	while (wrap_next(&p, &l) > 0 && n < 100)
		n++;
	return n;
}

/* The rows of sc from y0 down: each item's y, folds, the height. */
static void
layout_conv(struct sconv *sc, double y0, double scale)
{
	double	 y = y0 + HEAD_H, need, px;
	size_t	 i;
	int64_t	 dt;

	sc->y0 = y0;
	for (i = 0; i < sc->n; i++) {
		if (i > 0) {
			need = item_lines(&sc->it[i - 1]) * NOTE_H + 8;
			need = need > ROW ? need : ROW;
			dt = sc->it[i].ts - sc->it[i - 1].ts;
			px = (double)dt * scale;
			if (px > FOLD_PX) {
				sc->it[i].fold = 1;
				sc->it[i].gap = dt;
				y += need + BREAK_PX;
			} else
				y += px > need ? px : need;
		}
		sc->it[i].y = y;
	}
	if (sc->n > 0)
		y += SLOPE + item_lines(&sc->it[sc->n - 1]) * NOTE_H;
	sc->h = y - y0 + FOOT_H;
}

/* Once: calls placed, the scale, every y; the list through *v. */
static size_t
svg_layout(struct svg *s, struct sconv ***vp)
{
	struct sconv	**v;
	size_t		  n, k, i;
	double		  y = 10;

	if ((v = drawn_list(s, &n)) == NULL)
		return 0;
	if (!s->laid_out)
		calls_place(s, v, &n);
	else if (s->callconv != NULL)
		v[n++] = s->callconv;
	s->laid_out = 1;
	s->t0 = INT64_MAX;
	for (k = 0; k < n; k++)
		for (i = 0; i < v[k]->n; i++)
			if (v[k]->it[i].ts < s->t0)
				s->t0 = v[k]->it[i].ts;
	s->scale = layout_scale(s, v, n);
	for (k = 0; k < n; k++) {
		layout_conv(v[k], y, s->scale);
		y += v[k]->h + 24;
	}
	s->height = y + (svg_left_out(s, 0, NULL, 0) || s->bad > 0 ? 40 : 0) +
	    (n == 0 ? 40 : 0);
	*vp = v;
	return n;
}

/* The length of the valid UTF-8 sequence at p (of n bytes), 0 if none. */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	size_t		 need, i;
	uint32_t	 cp;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) {
		need = 2;
		cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		need = 3;
		cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		need = 4;
		cp = p[0] & 0x07;
	} else
		return 0;
	if (n < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((need == 2 && cp < 0x80) || (need == 3 && cp < 0x800) ||
	    (need == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
		return 0;
	return need;
}

void
svg_xml_text(FILE *fp, const char *str, size_t n)
{
	const unsigned char	*p = (const unsigned char *)str;
	size_t			 i = 0, k;

	while (i < n) {
		if (p[i] == '&')
			fputs("&amp;", fp);
		else if (p[i] == '<')
			fputs("&lt;", fp);
		else if (p[i] == '>')
			fputs("&gt;", fp);
		else if (p[i] == '"')
			fputs("&quot;", fp);
		else if (p[i] == '\'')
			fputs("&#39;", fp);
		else if (p[i] == '\n' || p[i] == '\t')
			putc(p[i], fp);
		else if (p[i] < 0x20 || p[i] == 0x7f ||
		    (k = utf8_len(p + i, n - i)) == 0)
			fprintf(fp, "\\x%02x", p[i]);	/* not for XML */
		else {
			fwrite(p + i, 1, k, fp);
			i += k;
			continue;
		}
		i++;
	}
}

/* A whole C string as XML text. */
static void
xs(FILE *fp, const char *s)
{
	svg_xml_text(fp, s, strlen(s));
}

/* The style and the arrowheads; RSTs end in a bar and a head. */
static void
doc_defs(FILE *fp)
{
	static const struct { const char *id, *color, *path; } mk[] = {
		{ "hA", "#1f4e9c", "M0,0 L10,5 L0,10 z" },
		{ "hB", "#9c4a00", "M0,0 L10,5 L0,10 z" },
		{ "rA", "#1f4e9c", "M0,0 L10,5 L0,10 z M-6,-1 h3 v12 h-3 z" },
		{ "rB", "#9c4a00", "M0,0 L10,5 L0,10 z M-6,-1 h3 v12 h-3 z" },
	};
	size_t	 i;

	fputs("<defs>\n", fp);
	for (i = 0; i < sizeof mk / sizeof mk[0]; i++)
		fprintf(fp, "<marker id=\"%s\" viewBox=\"-7 -1 18 12\" "
		    "refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" "
		    "markerWidth=\"14\" markerHeight=\"10\" orient=\"auto\">"
		    "<path d=\"%s\" fill=\"%s\"/></marker>\n", mk[i].id,
		    mk[i].path, mk[i].color);
	fputs("</defs>\n<style>\n"
	    "text{fill:#000}\n"
	    ".lane{stroke:#444;stroke-width:1}\n"
	    ".box{fill:#f2f2f2;stroke:#000}\n"
	    ".pkt line{stroke-width:1.4}\n"
	    ".a2b line{stroke:#1f4e9c}.a2b text{fill:#1f4e9c}\n"
	    ".b2a line{stroke:#9c4a00}.b2a text{fill:#9c4a00}\n"
	    ".syn line,.fin line{stroke-width:2.2}\n"
	    ".rst line{stroke-width:2.2;stroke-dasharray:8 3}\n"
	    ".retrans line,.ooo line,.dupack line{stroke-dasharray:2 3}\n"
	    ".icmp line{stroke-dasharray:10 3 2 3}\n"
	    ".pkt:hover line{stroke-width:3.5}\n"
	    ".state{font-weight:bold}.time{fill:#555}\n"
	    ".call{font-style:italic}.warn{fill:#b00000;font-weight:bold}\n"
	    ".note{fill:#333}.fold{font-style:italic;fill:#444}\n"
	    ".head{font-weight:bold;font-size:13px}\n"
	    "</style>\n", fp);
}

/* A text element at x, y (anchor start, middle or end) of class cls. */
static void
text_at(FILE *fp, double x, double y, const char *anchor, const char *cls,
    const char *s, size_t n)
{
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\"", x, y);
	if (anchor != NULL)
		fprintf(fp, " text-anchor=\"%s\"", anchor);
	if (cls != NULL)
		fprintf(fp, " class=\"%s\"", cls);
	putc('>', fp);
	svg_xml_text(fp, s, n);
	fputs("</text>\n", fp);
}

/* Whether end e of sc is this host. */
static int
sc_local(const struct svg *s, const struct sconv *sc, int e)
{
	return sc->proto != 0 && words_is_here(&s->here, &sc->end[e]);
}

/* The title line, the lane boxes, the first states, the lanes. */
static void
conv_head(struct svg *s, FILE *fp, const struct sconv *sc)
{
	char		 t[256];
	const char	*proto = sc->proto == IPPROTO_TCP ? "TCP" :
			    sc->proto == IPPROTO_UDP ? "UDP" : "ICMP";
	double		 y0 = sc->y0, bottom = y0 + sc->h - FOOT_H;
	int		 e, x;

	if (sc->proto == 0)
		snprintf(t, sizeof t, "socket calls (no packets captured)");
	else
		snprintf(t, sizeof t, "conversation %" PRIu64 ": %s A %s <-> "
		    "B %s", sc->id, proto, sc->ep[0], sc->ep[1]);
	text_at(fp, 10, y0 + 16, NULL, "head", t, strlen(t));
	for (e = 0; e < 2 && sc->proto != 0; e++) {
		x = e ? X_B : X_A;
		fprintf(fp, "<line class=\"lane\" x1=\"%d\" y1=\"%.1f\" "
		    "x2=\"%d\" y2=\"%.1f\"/>\n", x, y0 + 62, x, bottom);
		fprintf(fp, "<rect class=\"box\" x=\"%d\" y=\"%.1f\" "
		    "width=\"260\" height=\"36\"/>\n", x - 130, y0 + 26);
		snprintf(t, sizeof t, "%s %s", e ? "B" : "A", sc->ep[e]);
		text_at(fp, x, y0 + 41, "middle", "head", t, strlen(t));
		if (sc_local(s, sc, e))
			text_at(fp, x, y0 + 56, "middle", NULL, "(this host)",
			    11);
		if (sc->proto == IPPROTO_TCP)
			text_at(fp, e ? x + 8 : x - 8, y0 + HEAD_H - 12,
			    e ? "start" : "end", "state", !sc->syn_first ? "?" :
			    e ? "LISTEN" : "CLOSED", sc->syn_first ? 6 : 1);
	}
	text_at(fp, X_TIME, y0 + HEAD_H - 12, "end", "time", "t(ms)", 5);
}

/* The break mark of a folded gap ending at item it. */
static void
conv_fold(FILE *fp, const struct sconv *sc, const struct sitem *it)
{
	double	 y = it->y - BREAK_PX / 2.0 - 6;
	char	 t[96];
	int	 e, x;

	for (e = 0; e < 2 && sc->proto != 0; e++) {
		x = e ? X_B : X_A;
		fprintf(fp, "<rect x=\"%d\" y=\"%.1f\" width=\"20\" "
		    "height=\"12\" fill=\"#fff\"/>\n<path d=\"M%d,%.1f l5,-3 "
		    "l10,6 l5,-3 m-20,6 l5,-3 l10,6 l5,-3\" fill=\"none\" "
		    "stroke=\"#000\"/>\n", x - 10, y - 6, x - 10, y - 1.5);
	}
	snprintf(t, sizeof t, "~ %.3f ms without events (folded)",
	    (double)it->gap / 1e6);
	text_at(fp, (X_A + X_B) / 2.0, y + 4, "middle", "fold", t, strlen(t));
}

/* Lines of text in the margin from y down, warnings marked. */
static void
margin_lines(FILE *fp, double y, const char *text, const char *cls)
{
	const char	*p = text, *l;
	size_t		 n;
	int		 warn = 0;

	while ((n = wrap_next(&p, &l)) > 0) {
		if (strncmp(l, "! ", 2) == 0)
			warn = 1;
		else if (l == text || l[-1] == '\n')
			warn = 0;
		text_at(fp, X_NOTE, y + 4, NULL, warn ? "warn" : cls, l, n);
		y += NOTE_H;
	}
}

/* "pkt a2b syn rst ...": the classes of a packet's group. */
static void
pkt_classes(FILE *fp, const struct sitem *it)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ SI_SYN, "syn" }, { SI_FIN, "fin" }, { SI_RST, "rst" },
		{ SI_DATA, "data" }, { SI_RETRANS, "retrans" },
		{ SI_ICMP, "icmp" }, { SI_OOO, "ooo" }, { SI_DUPACK, "dupack" },
	};
	size_t	 i;

	fprintf(fp, "pkt %s", it->dir ? "b2a" : "a2b");
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (it->cls & names[i].bit)
			fprintf(fp, " %s", names[i].name);
}

/* The hover text of a packet: where, when, the whole label, notes. */
static void
pkt_title(struct svg *s, FILE *fp, const struct sconv *sc,
    const struct sitem *it)
{
	int	 e;

	fprintf(fp, "<title>frame %" PRIu64 " at %.3f ms, %s ", it->frame,
	    (double)(it->ts - s->t0) / 1e6, it->dir ? "B->A" : "A->B");
	xs(fp, sc->ep[it->dir]);
	fputs(" -&gt; ", fp);
	xs(fp, sc->ep[!it->dir]);
	fputs("\n", fp);
	xs(fp, it->text);
	for (e = 0; e < 2; e++)
		if (it->state[e] != NULL)
			fprintf(fp, "\n%s: %s", e ? "B" : "A", it->state[e]);
	if (it->notes != NULL) {
		fputs("\n", fp);
		xs(fp, it->notes);
	}
	fputs("</title>\n", fp);
}

/* One packet: its arrow, label, state changes and notes. */
static void
conv_packet(struct svg *s, FILE *fp, const struct sconv *sc,
    const struct sitem *it)
{
	int	 d = it->dir, xs0 = d ? X_B : X_A, xr = d ? X_A : X_B, e;
	size_t	 len = strlen(it->text);
	char	 lab[LABEL_MAX + 4];

	fprintf(fp, "<g class=\"");
	pkt_classes(fp, it);
	fprintf(fp, "\" data-conv=\"%" PRIu64 "\" data-frame=\"%" PRIu64
	    "\" data-dir=\"%s\">\n", sc->id, it->frame, d ? "b2a" : "a2b");
	pkt_title(s, fp, sc, it);
	fprintf(fp, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
	    "marker-end=\"url(#%c%c)\"/>\n", xs0, it->y, xr, it->y + SLOPE,
	    it->cls & SI_RST ? 'r' : 'h', d ? 'B' : 'A');
	if (len > LABEL_MAX) {
		snprintf(lab, sizeof lab, "%.*s...", LABEL_MAX - 3, it->text);
		len = strlen(lab);
	} else
		snprintf(lab, sizeof lab, "%s", it->text);
	text_at(fp, (X_A + X_B) / 2.0, it->y + SLOPE / 2.0 - 8, "middle",
	    NULL, lab, len);
	fputs("</g>\n", fp);
	for (e = 0; e < 2; e++)
		if (it->state[e] != NULL)
			text_at(fp, e ? X_B + 8 : X_A - 8, (e == d ? it->y :
			    it->y + SLOPE) + 4, e ? "start" : "end", "state",
			    it->state[e], strlen(it->state[e]));
	if (it->notes != NULL)
		margin_lines(fp, it->y, it->notes, "note");
}

/* A socket call: a dot on this host's lane, the words in the margin. */
static void
conv_call(struct svg *s, FILE *fp, const struct sconv *sc,
    const struct sitem *it)
{
	char		 t[256];
	int		 e;

	for (e = 0; e < 2; e++)
		if (sc_local(s, sc, e))
			fprintf(fp, "<circle cx=\"%d\" cy=\"%.1f\" r=\"3.5\"/>\n",
			    e ? X_B : X_A, it->y);
	fprintf(fp, "<g class=\"sockcall\">");
	margin_lines(fp, it->y, call_text(it, t, sizeof t), "call");
	fputs("</g>\n", fp);
}

/* One conversation's diagram. */
static void
conv_write(struct svg *s, FILE *fp, const struct sconv *sc)
{
	double	 y = sc->y0 + sc->h - FOOT_H + 22;
	char	 t[64];
	size_t	 i;

	fprintf(fp, "<g class=\"conv\" data-conv=\"%" PRIu64 "\">\n", sc->id);
	conv_head(s, fp, sc);
	for (i = 0; i < sc->n; i++) {
		snprintf(t, sizeof t, "%.3f", (double)(sc->it[i].ts - s->t0) /
		    1e6);
		if (sc->it[i].fold)
			conv_fold(fp, sc, &sc->it[i]);
		text_at(fp, X_TIME, sc->it[i].y + 4, "end", "time", t,
		    strlen(t));
		if (sc->it[i].kind == IT_PKT)
			conv_packet(s, fp, sc, &sc->it[i]);
		else
			conv_call(s, fp, sc, &sc->it[i]);
	}
	fputs("<text x=\"10\" y=\"", fp);
	fprintf(fp, "%.1f\" class=\"%s\">verdict: ", y, sc->proto ==
	    IPPROTO_TCP && strncmp(sc->how, "closed", 6) != 0 &&
	    strncmp(sc->how, "still", 5) != 0 ? "warn" : "head");
	if (sc->tls[0] != '\0') {
		xs(fp, sc->tls);
		fputs("; ", fp);
	}
	xs(fp, sc->how);
	fputs("</text>\n", fp);
	text_at(fp, 10, y + 16, NULL, NULL, sc->stats, strlen(sc->stats));
	fputs("</g>\n", fp);
}

/* The <svg> element with everything in it; standalone adds the prolog. */
static void
doc_write(struct svg *s, FILE *fp, int standalone)
{
	struct sconv	**v = NULL;
	size_t		  n = svg_layout(s, &v), k;
	char		  t[400];
	const char	 *title = s->o.title;

	if (standalone)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", fp);
	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
	    "width=\"%d\" height=\"%.0f\" viewBox=\"0 0 %d %.0f\" "
	    "font-family=\"DejaVu Sans Mono, monospace\" font-size=\"11\">\n",
	    W, s->height, W, s->height);
	fputs("<title>", fp);
	xs(fp, title);
	fputs("</title>\n", fp);
	doc_defs(fp);
	fprintf(fp, "<rect width=\"%d\" height=\"%.0f\" fill=\"#fff\"/>\n", W,
	    s->height);
	for (k = 0; k < n; k++)
		conv_write(s, fp, v[k]);
	if (n == 0)
		text_at(fp, 10, 30, NULL, "head", "no conversation to draw", 23);
	if (svg_left_out(s, 0, t, sizeof t))
		text_at(fp, 10, s->height - 28, NULL, "warn", t, strlen(t));
	if (s->bad > 0) {
		snprintf(t, sizeof t, "not drawn: %" PRIu64 " packets not placed "
		    "in a conversation (truncated, invalid or unsupported)",
		    s->bad);
		text_at(fp, 10, s->height - 12, NULL, "note", t, strlen(t));
	}
	fputs("</svg>\n", fp);
	free(v);
}

/*
 * How a document's writing ended: 0, or -1 with errno when the events
 * could not all be kept (ENOMEM) or fp failed.
 */
static int
doc_end(struct svg *s, FILE *fp)
{
	if (s->nomem) {
		errno = ENOMEM;
		return -1;
	}
	if (fflush(fp) == EOF || ferror(fp)) {
		errno = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

int
svg_write(struct svg *s, FILE *fp)
{
	doc_write(s, fp, 1);
	return doc_end(s, fp);
}

/* End the transcript: its last words, all of it in s->tstore. */
static void
transcript_close(struct svg *s)
{
	if (s->tfp == NULL)
		return;
	s->o.text->close(s->tl);	/* past the budget, its words are lost */
	s->tl = NULL;
	fclose(s->tfp);
	s->tfp = NULL;
}

/*
 * Copy the transcript into fp as XML text, whole lines at a time so that
 * no UTF-8 sequence is cut; then where it stopped, if it did.  Returns 0,
 * or -1 with errno when the temporary file failed.
 */
static int
transcript_copy(struct svg *s, FILE *fp)
{
	char	 buf[1 << 16], *nl;
	size_t	 have = 0, n, k;

	if (s->tstore == NULL)
		return 0;
	if (s->terr == 0 && (fflush(s->tstore) == EOF ||
	    fseeko(s->tstore, 0, SEEK_SET) == -1))
		s->terr = errno != 0 ? errno : EIO;
	while (s->terr == 0 && (n = fread(buf + have, 1, sizeof buf - have,
	    s->tstore)) > 0) {
		have += n;
		nl = memrchr(buf, '\n', have);
		k = nl != NULL ? (size_t)(nl - buf) + 1 : have;
		svg_xml_text(fp, buf, k);
		memmove(buf, buf + k, have - k);
		have -= k;
	}
	if (s->terr == 0 && ferror(s->tstore))
		s->terr = errno != 0 ? errno : EIO;
	svg_xml_text(fp, buf, have);
	if (s->tfull && s->terr == 0)
		fprintf(fp, "</pre>\n<p class=\"warn\">The transcript stops "
		    "here: its budget of %zu bytes is spent; the %" PRIu64
		    " packets after are not in it (sockkit view prints them "
		    "all).</p>\n<pre>", s->o.max_transcript, s->tleft);
	if (s->terr != 0) {
		errno = s->terr;
		return -1;
	}
	return 0;
}

/*
 * The page's step slider, for a lecture: row by row (a packet or a call
 * and what is drawn beside it), with the slider or the arrow keys; the
 * page opens at "#step=N" with N rows shown.  Without script, or at the
 * slider's end, everything is shown.
 */
static const char html_stepper[] =
    "<p class=\"stepper\"><label>Step through it: <input type=\"range\" "
    "id=\"step\" min=\"1\" value=\"1\"/></label> <span id=\"stepn\">"
    "</span> (or the left and right arrow keys)</p>\n";

/*
 * Rows are the distinct heights of the time column; an element shows
 * while it lies above the next row's label (8 units over that row), so
 * a row's state, notes and a call's wrapped lines come with it.
 */
static const char html_step_script[] =
    "<script>//<![CDATA[\n"
    "(function () {\n"
    "\tvar pic = document.getElementById(\"ladder\");\n"
    "\tvar r = document.getElementById(\"step\");\n"
    "\tvar say = document.getElementById(\"stepn\");\n"
    "\tvar rows = [], items = [];\n"
    "\tpic.querySelectorAll(\"text.time\").forEach(function (t) {\n"
    "\t\tvar y = Number(t.getAttribute(\"y\"));\n"
    "\t\tif (/^[0-9]/.test(t.textContent) && rows.indexOf(y) < 0)\n"
    "\t\t\trows.push(y);\n"
    "\t});\n"
    "\trows.sort(function (a, b) { return a - b; });\n"
    "\tpic.querySelectorAll(\"g.pkt, text\").forEach(function (e) {\n"
    "\t\tvar l = e.querySelector(\"line\");\n"
    "\t\tif (e.closest(\"g.pkt\") !== e && e.closest(\"g.pkt\"))\n"
    "\t\t\treturn;\n"
    "\t\titems.push([e, Number(l ? l.getAttribute(\"y1\") :\n"
    "\t\t    e.getAttribute(\"y\"))]);\n"
    "\t});\n"
    "\tfunction show(n) {\n"
    "\t\tn = Math.max(1, Math.min(n, rows.length));\n"
    "\t\tvar cut = n < rows.length ? rows[n] - 8 : Infinity;\n"
    "\t\titems.forEach(function (it) {\n"
    "\t\t\tit[0].style.visibility = it[1] > cut ? \"hidden\" : \"\";\n"
    "\t\t});\n"
    "\t\tr.value = n;\n"
    "\t\tsay.textContent = \"row \" + n + \" of \" + rows.length;\n"
    "\t}\n"
    "\tr.max = rows.length;\n"
    "\tr.addEventListener(\"input\", function () { show(Number(r.value)); });\n"
    "\tdocument.addEventListener(\"keydown\", function (e) {\n"
    "\t\tif (e.key === \"ArrowRight\" || e.key === \"ArrowLeft\")\n"
    "\t\t\tshow(Number(r.value) + (e.key === \"ArrowRight\" ? 1 : -1));\n"
    "\t});\n"
    "\tvar m = /step=([0-9]+)/.exec(location.hash);\n"
    "\tshow(m ? Number(m[1]) : rows.length);\n"
    "})();\n"
    "//]]></script>\n";

/*
 * The graph's section of the page: its zoom (radio buttons whose CSS
 * widens the picture inside a scrolling box) and the picture graph
 * writes.  Returns 0 or -1 with errno.
 */
static int
html_graph(FILE *fp, int (*graph)(void *, FILE *), void *arg)
{
	static const int	 zoom[] = { 1, 2, 4, 8 };
	size_t			 i;

	fputs("<h2 id=\"graph\">Time-sequence graph</h2>\n<p>Sequence "
	    "numbers against time; zoom in, then scroll or drag the box's "
	    "corner.</p>\n<div class=\"graphbox\">\n", fp);
	for (i = 0; i < sizeof zoom / sizeof zoom[0]; i++)
		fprintf(fp, "<input type=\"radio\" name=\"zoom\" "
		    "id=\"zoom%d\"%s/><label for=\"zoom%d\">%dx</label>\n",
		    zoom[i], i == 0 ? " checked=\"checked\"" : "", zoom[i],
		    zoom[i]);
	fputs("<div class=\"graph\">\n", fp);
	if (graph(arg, fp) == -1)
		return -1;
	fputs("</div>\n</div>\n", fp);
	return 0;
}

int
svg_html(struct svg *s, FILE *fp)
{
	return svg_html_graph(s, fp, NULL, NULL);
}

int
svg_html_graph(struct svg *s, FILE *fp, int (*graph)(void *, FILE *),
    void *arg)
{
	const char	*title = s->o.title;

	transcript_close(s);
	fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
	    "lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>", fp);
	xs(fp, title);
	fputs("</title>\n<style>\nbody{font-family:sans-serif;margin:1em;"
	    "color:#000;background:#fff}\n.pkt{cursor:help}\n"
	    "pre{font-family:'DejaVu Sans Mono',monospace;font-size:12px;"
	    "border-top:1px solid #888;padding-top:1em}\n"
	    ".graph{overflow:auto;resize:both;border:1px solid #888;"
	    "max-height:90vh}\n.graph svg{width:100%;height:auto}\n"
	    "#zoom2:checked~.graph svg{width:200%}\n"
	    "#zoom4:checked~.graph svg{width:400%}\n"
	    "#zoom8:checked~.graph svg{width:800%}\n</style>\n</head>\n"
	    "<body>\n<h1>", fp);
	xs(fp, title);
	fputs("</h1>\n<p>One arrow per packet, time flowing down; point at an "
	    "arrow for the packet's details.  The same packets as a text "
	    "ladder are <a href=\"#transcript\">below</a>.</p>\n", fp);
	fputs(html_stepper, fp);
	fputs("<div id=\"ladder\">\n", fp);
	doc_write(s, fp, 0);
	fputs("</div>\n", fp);
	if (graph != NULL && html_graph(fp, graph, arg) == -1)
		return -1;
	fputs("<h2 id=\"transcript\">Transcript</h2>\n"
	    "<pre class=\"transcript\">", fp);
	if (transcript_copy(s, fp) == -1)
		return -1;
	fputs("</pre>\n", fp);
	fputs(html_step_script, fp);
	fputs("</body>\n</html>\n", fp);
	return doc_end(s, fp);
}

/* "N things" into buf at *off, with ", " or " and " before it. */
static void
left_part(char *buf, size_t len, size_t *off, uint64_t n, const char *what,
    int last)
{
	int	 k;

	if (n == 0 || *off >= len)
		return;
	k = snprintf(buf + *off, len - *off, "%s%" PRIu64 " %s%s", *off == 0 ?
	    "" : last ? " and " : ", ", n, what, n == 1 ? "" : "s");
	*off += k > 0 ? (size_t)k : 0;
}

int
svg_left_out(const struct svg *s, int html, char *buf, size_t len)
{
	char	 t[400];
	size_t	 off = 0;

	left_part(t, sizeof t, &off, s->out_convs, "conversation",
	    s->out_pkts == 0 && s->out_calls == 0);
	left_part(t, sizeof t, &off, s->out_pkts, "packet", s->out_calls == 0);
	left_part(t, sizeof t, &off, s->out_calls, "socket call", 1);
	if (off > 0 && len > 0)
		snprintf(buf, len, "%s not drawn: the picture's budget is %zu "
		    "conversations and %zu packets and calls (view --conv N or "
		    "a filter picks fewer)%s", t, s->o.max_convs,
		    s->o.max_items, html && s->tfull ? "; " : "");
	else if (len > 0)
		buf[0] = '\0';
	if (html && s->tfull && len > 0)
		snprintf(buf + strlen(buf), len - strlen(buf), "the transcript "
		    "stops at its budget of %zu bytes, before %" PRIu64
		    " packet%s", s->o.max_transcript, s->tleft,
		    s->tleft == 1 ? "" : "s");
	return off > 0 || (html && s->tfull);
}

/* Free the items of n rows. */
static void
items_free(struct sitem *it, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(it[i].text);
		free(it[i].notes);
	}
	free(it);
}

void
svg_free(struct svg *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	transcript_close(s);
	if (s->tstore != NULL)
		fclose(s->tstore);
	for (i = 0; i < s->nslot; i++) {
		if (s->slot[i].sc != NULL)
			items_free(s->slot[i].sc->it, s->slot[i].sc->n);
		free(s->slot[i].sc);
		free(s->slot[i].tuser);	/* a transcript never ended */
	}
	if (s->callconv != NULL)
		items_free(s->callconv->it, s->callconv->n);
	free(s->callconv);
	items_free(s->calls, s->ncalls);
	free(s->slot);
	free(s);
}
