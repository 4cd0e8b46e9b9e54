/*
 * ladder.c: draw tracker events.
 *
 * Each conversation gets two lanes, end[0] on the left and end[1] on the
 * right, keyed by address and port, so loopback and one address talking
 * to itself still draw their arrows the right way.  A long data phase
 * (more than FOLD_SHOW segments without a state change) folds into one
 * line per direction unless --full; the lines of a short one are held
 * back until it is known to be short.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ladder.h"
#include "tlsdecode.h"
#include "tlsview.h"
#include "util.h"
#include "words.h"

#define FOLD_SHOW	10	/* a data phase longer than this folds */
#define TLS_TEXT	(TLSVIEW_KEEP * (TLS_DETAIL_MAX + 48) + 128)
#define ARROW_W		64	/* display columns of the arrow and label */
#define LINE_MAX	1024
#define EP_MAX		64	/* "[ffff:...:ffff]:65535" */

/* Sequence-space order (RFC 9293 3.4): a before b. */
#define SEQ_LT(a, b)	((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)

#define C_DIR0		"\033[36m"
#define C_DIR1		"\033[33m"
#define C_WARN		"\033[1;31m"
#define C_DIM		"\033[2m"
#define C_OFF		"\033[0m"

/* What the renderer keeps per conversation (conv->user). */
struct lconv {
	char		 ep[2][EP_MAX];		/* "127.0.0.1:80" */
	char		 addr[2][EP_MAX];	/* "127.0.0.1" */
	char		*held[FOLD_SHOW];	/* lines of a data phase */
	int		 nheld, folding, headed;
	int64_t		 run_t0, run_t1;
	uint64_t	 run_pkts[2], run_bytes[2], run_re[2], run_dup[2];
	uint32_t	 run_lo[2], run_hi[2];
};

struct ladder {
	FILE		*fp;
	struct ladder_opts o;
	int64_t		 t0;
	int		 have_t0;
	uint64_t	 last_conv;
	struct track_conv *holder;	/* the one conversation holding lines */
	uint64_t	 bad[4];
	uint64_t	 drops;
	int		 drops_known;
	const char	*dash, *head_r, *head_l;
};

static void	run_flush(struct ladder *, struct track_conv *);

struct ladder *
ladder_new(FILE *fp, const struct ladder_opts *o)
{
	struct ladder	*l;

	if ((l = calloc(1, sizeof *l)) == NULL)
		return NULL;
	l->fp = fp;
	l->o = *o;
	l->dash = o->ascii ? "-" : "\xe2\x94\x80";	/* U+2500 */
	l->head_r = o->ascii ? ">" : "\xe2\x96\xb6";	/* U+25B6 */
	l->head_l = o->ascii ? "<" : "\xe2\x97\x80";	/* U+25C0 */
	return l;
}

void
ladder_set_local(struct ladder *l, const struct decode_addr *a,
    uint16_t port)
{
	l->o.here.known = 1;
	l->o.here.addr = *a;
	l->o.here.port = port;
}

void
ladder_set_drops(struct ladder *l, uint64_t drops, int known)
{
	l->drops = drops;
	l->drops_known = known;
}


/* The renderer's state of c, made on first use; NULL if out of memory. */
static struct lconv *
lconv_get(struct track_conv *c)
{
	struct lconv	*lc = c->user;
	int		 i;

	if (lc != NULL)
		return lc;
	if ((lc = calloc(1, sizeof *lc)) == NULL)
		return NULL;
	for (i = 0; i < 2; i++) {
		words_addr(&c->end[i].addr, lc->addr[i], EP_MAX);
		words_endpoint(c, i, lc->ep[i], EP_MAX);
	}
	c->user = lc;
	return lc;
}

/* Milliseconds since the first event, with microseconds. */
static double
rel_ms(struct ladder *l, int64_t ts)
{
	if (!l->have_t0) {
		l->have_t0 = 1;
		l->t0 = ts;
	}
	return (double)(ts - l->t0) / 1e6;
}


/* Whether end e of c is this host (live capture). */
static int
is_local(const struct ladder *l, const struct track_conv *c, int e)
{
	return words_is_here(&l->o.here, &c->end[e]);
}

/* Display columns of a UTF-8 string: one per code point. */
static size_t
width(const char *s)
{
	size_t	 w = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}
/* The arrow: "── label ───▶" or "◀── label ───", ARROW_W columns. */
static void
arrow(const struct ladder *l, int dir, const char *text, char *buf,
    size_t len)
{
	size_t	 off = 0, w = width(text) + 6, i, fill;

	fill = w < ARROW_W ? ARROW_W - w : 0;
	if (dir == 0) {
		words_cat(buf, len, &off, "%s%s %s ", l->dash, l->dash, text);
		for (i = 0; i < fill + 1; i++)
			words_cat(buf, len, &off, "%s", l->dash);
		words_cat(buf, len, &off, "%s", l->head_r);
	} else {
		words_cat(buf, len, &off, "%s%s%s %s ", l->head_l, l->dash,
		    l->dash, text);
		for (i = 0; i < fill; i++)
			words_cat(buf, len, &off, "%s", l->dash);
	}
}

/* Pad a state name (or nothing) to the left lane's width. */
static const char *
lane_state(const struct track_event *ev, int e, int tcp)
{
	if (!tcp || !ev->changed[e])
		return "";
	return track_state_name(ev->state[e]);
}

/* Write one held or direct line, coloured by c when colours are on. */
static void
put(struct ladder *l, const char *color, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void
put(struct ladder *l, const char *color, const char *fmt, ...)
{
	va_list	 ap;

	if (l->o.color && color != NULL)
		fputs(color, l->fp);
	va_start(ap, fmt);
	vfprintf(l->fp, fmt, ap);
	va_end(ap);
	if (l->o.color && color != NULL)
		fputs(C_OFF, l->fp);
}

/* "B: FIN_WAIT_1 -> CLOSING -> TIME_WAIT": the states end e passed. */
static void
cat_path(const struct track_event *ev, int e, char *text, size_t len,
    size_t *off)
{
	int	 i;

	words_cat(text, len, off, "%10s  %-12s %s:", "", "", e ? "B" : "A");
	for (i = 0; i < ev->npath[e]; i++)
		words_cat(text, len, off, "%s%s", i ? " -> " : " ",
		    track_state_name(ev->path[e][i]));
	words_cat(text, len, off, "\n");
}

/* The TLS records and messages ev's segment completed, a line each. */
static void
cat_tls(const struct track_event *ev, char *text, size_t len, size_t *off)
{
	char	 w[TLS_DETAIL_MAX + 64];
	int	 i;

	for (i = 0; i < ev->ntls; i++) {
		if (tlsview_hidden(ev, i))
			continue;
		tlsview_words(&ev->tls[i], w, sizeof w);
		words_cat(text, len, off, "%10s  %-12s TLS %s\n", "", "", w);
	}
	if (ev->tls_more > 0)
		words_cat(text, len, off, "%10s  %-12s TLS and %u more records "
		    "or messages\n", "", "", ev->tls_more);
}

/*
 * Whether ev's TLS events are only application data (or none): what a
 * data phase may fold; a handshake message or an alert is always shown.
 */
static int
tls_routine(const struct track_event *ev)
{
	int	 i;

	for (i = 0; i < ev->ntls; i++)
		if (ev->tls[i].kind != TLS_EV_RECORD ||
		    ev->tls[i].result != DECODE_OK ||
		    (ev->tls[i].decrypted ? ev->tls[i].inner :
		    ev->tls[i].rtype) != TLS_CT_APPDATA ||
		    (ev->tls[i].encrypted && ev->tls[i].guess &&
		    strcmp(ev->tls[i].name, "application data") != 0))
			return 0;
	return ev->tls_more == 0;
}

/* The packet line and its notes into text (several lines). */
static void
packet_text(struct ladder *l, const struct track_event *ev, char *text,
    size_t len)
{
	char	 lab[LINE_MAX / 2], arr[LINE_MAX];
	int	 tcp = ev->pkt->proto == IPPROTO_TCP, i;
	size_t	 off = 0;
	int	 warn = ev->retrans || ev->dupack || ev->ooo;

	words_label(ev, l->o.preview, lab, sizeof lab);
	arrow(l, ev->dir, lab, arr, sizeof arr);
	words_cat(text, len, &off, "%10.3f  %-12s %s%s%s %s\n",
	    rel_ms(l, ev->ts), lane_state(ev, 0, tcp),
	    l->o.color ? (warn ? C_WARN : ev->dir ? C_DIR1 : C_DIR0) : "",
	    arr, l->o.color ? C_OFF : "", lane_state(ev, 1, tcp));
	for (i = 0; tcp && i < 2; i++)
		if (ev->npath[i] > 2)
			cat_path(ev, i, text, len, &off);
	cat_tls(ev, text, len, &off);
	for (i = 0; i < ev->nnotes; i++)
		words_cat(text, len, &off, "%10s  %-12s %s%s%s%s\n", "", "",
		    l->o.color && ev->notes[i].warn ? C_WARN : "",
		    ev->notes[i].warn ? "! " : "", ev->notes[i].text,
		    l->o.color && ev->notes[i].warn ? C_OFF : "");
}

/* Whether ev belongs in a foldable data phase. */
static int
foldable(const struct track_event *ev)
{
	int	 counted = ev->retrans + ev->ooo + ev->dupack + ev->zerowin;

	return !(ev->pkt->flags & (DECODE_SYN | DECODE_FIN | DECODE_RST) &&
	    ev->pkt->proto == IPPROTO_TCP) && !ev->changed[0] &&
	    !ev->changed[1] && !ev->icmp_back && !ev->pkt->icmp_error &&
	    ev->nnotes <= counted && tls_routine(ev);
}

/* Add a data-phase line to the run of c, holding it while it is short. */
static void
run_add(struct ladder *l, struct track_conv *c, const struct track_event *ev,
    const char *text)
{
	struct lconv	*lc = c->user;
	int		 d = ev->dir, i;
	uint32_t	 end = ev->rseq + ev->pkt->paylen;

	if (l->holder != NULL && l->holder != c)
		run_flush(l, l->holder);
	l->holder = c;
	if (lc->run_pkts[0] + lc->run_pkts[1] == 0)
		lc->run_t0 = ev->ts;
	lc->run_t1 = ev->ts;
	if (ev->pkt->paylen > 0) {	/* the range seen, not the last */
		if (lc->run_bytes[d] == 0 || SEQ_LT(ev->rseq, lc->run_lo[d]))
			lc->run_lo[d] = ev->rseq;
		if (lc->run_bytes[d] == 0 || SEQ_LT(lc->run_hi[d], end))
			lc->run_hi[d] = end;
	}
	lc->run_pkts[d]++;
	lc->run_bytes[d] += ev->pkt->paylen;
	lc->run_re[d] += ev->retrans;
	lc->run_dup[d] += ev->dupack;
	if (lc->folding)
		return;
	if (lc->nheld < FOLD_SHOW &&
	    (lc->held[lc->nheld] = strdup(text)) != NULL) {
		lc->nheld++;
		return;
	}
	/* Too long to show, or no memory to hold the line: fold the run. */
	lc->folding = 1;
	for (i = 0; i < lc->nheld; i++)
		free(lc->held[i]);
	lc->nheld = 0;
}

/* One folded line for direction d of the run of c. */
static void
run_line(struct ladder *l, struct track_conv *c, int d)
{
	struct lconv	*lc = c->user;
	char		 n[32], b[64];

	put(l, d ? C_DIR1 : C_DIR0, "%10.3f  %-12s %s %s %s segments, %s%s",
	    rel_ms(l, lc->run_t0), "", d ? l->head_l : l->dash,
	    d ? "B->A" : "A->B", fmt_count(lc->run_pkts[d], n, sizeof n),
	    words_bytes(lc->run_bytes[d], b, sizeof b), c->proto ==
	    IPPROTO_TCP ? " on the wire" : "");
	if (lc->run_bytes[d] > 0 && c->proto == IPPROTO_TCP)
		fprintf(l->fp, " (seq %u:%u)", lc->run_lo[d], lc->run_hi[d]);
	if (c->proto == IPPROTO_TCP)
		fprintf(l->fp, ", %" PRIu64 " retransmission%s", lc->run_re[d],
		    lc->run_re[d] == 1 ? "" : "s");
	if (lc->run_dup[d] > 0)
		fprintf(l->fp, ", %" PRIu64 " duplicate ACKs", lc->run_dup[d]);
	fprintf(l->fp, " in %.3f ms %s\n", (lc->run_t1 - lc->run_t0) / 1e6,
	    d ? l->dash : l->head_r);
}

/* End the data phase of c: its held lines, or its folded summary. */
static void
run_flush(struct ladder *l, struct track_conv *c)
{
	struct lconv	*lc = c->user;
	int		 i;

	if (lc == NULL)
		return;
	if (l->holder == c)
		l->holder = NULL;
	if (lc->folding) {
		fprintf(l->fp, "%10s  %-12s (%s segments folded; --full shows "
		    "each)\n", "", "", "data phase:");
		for (i = 0; i < 2; i++)
			if (lc->run_pkts[i] > 0)
				run_line(l, c, i);
	}
	for (i = 0; i < lc->nheld; i++) {
		if (lc->held[i] != NULL)
			fputs(lc->held[i], l->fp);
		free(lc->held[i]);
	}
	lc->nheld = lc->folding = 0;
	memset(lc->run_pkts, 0, sizeof lc->run_pkts);
	memset(lc->run_bytes, 0, sizeof lc->run_bytes);
	memset(lc->run_re, 0, sizeof lc->run_re);
	memset(lc->run_dup, 0, sizeof lc->run_dup);
}

/* The lanes of c, before its first line (or a reminder on a switch). */
static void
header(struct ladder *l, struct track_conv *c, const struct track_event *ev,
    int first)
{
	struct lconv	*lc = c->user;
	char		 a[EP_MAX + 32];
	const char	*proto = c->proto == IPPROTO_TCP ? "TCP" :
			    c->proto == IPPROTO_UDP ? "UDP" : "ICMP";
	int		 syn = ev != NULL && c->proto == IPPROTO_TCP &&
			    (ev->pkt->flags & (DECODE_SYN | DECODE_ACK)) ==
			    DECODE_SYN;

	l->last_conv = c->id;
	if (!first) {
		fprintf(l->fp, "%10s  [conversation %" PRIu64 ": A %s, B %s]\n",
		    "", c->id, lc->ep[0], lc->ep[1]);
		return;
	}
	fprintf(l->fp, "conversation %" PRIu64 ": %s A %s%s <-> B %s%s%s\n",
	    c->id, proto, lc->ep[0], is_local(l, c, 0) ? " (this host)" : "",
	    lc->ep[1], is_local(l, c, 1) ? " (this host)" : "",
	    !syn && c->proto == IPPROTO_TCP ? ", mid-stream: states unknown "
	    "until seen, seq/ack relative to the first seen, windows "
	    "unscaled" : "");
	snprintf(a, sizeof a, "A %s%s", lc->ep[0], is_local(l, c, 0) ?
	    " (this host)" : "");
	fprintf(l->fp, "%10s  %-*s B %s%s\n", "t(ms)", 12 + 1 + ARROW_W, a,
	    lc->ep[1], is_local(l, c, 1) ? " (this host)" : "");
	if (c->proto == IPPROTO_TCP)
		fprintf(l->fp, "%10s  %-*s %s\n", "", 12 + 1 + ARROW_W,
		    syn ? "CLOSED" : "?", "?");
}

/* How c ended, in words, into buf. */
static void
verdict_how(struct ladder *l, const struct track_conv *c, char *buf,
    size_t len)
{
	words_how(c, c->closer >= 0 && is_local(l, c, c->closer), buf, len);
}

/*
 * The closing verdict of c in the ladder, after what TLS left unfinished;
 * tls: what its TLS agreed and how it closed, NULL when not TLS.
 */
static void
verdict(struct ladder *l, struct track_conv *c, const struct track_event *ev)
{
	char		 how[160], counts[320], t[TLS_TEXT];
	size_t		 n, off = 0;

	t[0] = '\0';
	cat_tls(ev, t, sizeof t, &off);
	fputs(t, l->fp);
	verdict_how(l, c, how, sizeof how);
	n = words_counts(c, counts, sizeof counts);
	put(l, c->how == TRACK_RST || c->how == TRACK_REFUSED ||
	    c->how == TRACK_UNREACH ? C_WARN : NULL,
	    "%10s  verdict: %s%s%s; %.*s", "", ev->tls_verdict ?
	    ev->tls_verdict : "", ev->tls_verdict ? "; " : "", how, (int)n,
	    counts);
	fputs(counts + n, l->fp);
	if (l->drops_known)
		fprintf(l->fp, ", %" PRIu64 " dropped by the capture",
		    l->drops);
	fputc('\n', l->fp);
}

/* "tcp", "udp", "icmp", "icmp6". */
static const char *
proto_name(uint8_t proto)
{
	return proto == IPPROTO_TCP ? "tcp" : proto == IPPROTO_UDP ? "udp" :
	    proto == IPPROTO_ICMP ? "icmp" : "icmp6";
}

/* What a summary line and a JSON end both say of a conversation. */
struct end_words {
	struct lconv	*lc;		/* the renderer's state of it */
	const char	*st, *why;	/* its Zeek-like state, and why */
	char		 how[160];	/* how it ended */
};

/* Fill w for c; returns 0, or -1 when out of memory. */
static int
end_words(struct ladder *l, struct track_conv *c, struct end_words *w)
{
	if ((w->lc = lconv_get(c)) == NULL)
		return -1;
	w->st = track_conn_state(c, &w->why);
	verdict_how(l, c, w->how, sizeof w->how);
	return 0;
}

/* One summary line for c. */
static void
summary(struct ladder *l, struct track_conv *c)
{
	struct end_words	 w;

	if (end_words(l, c, &w) == -1)
		return;
	fprintf(l->fp, "%" PRIu64 " %s %s > %s %s %" PRIu64 " pkts %" PRIu64
	    "/%" PRIu64 " bytes", c->id, proto_name(c->proto), w.lc->ep[0],
	    w.lc->ep[1], w.st, c->end[0].pkts + c->end[1].pkts,
	    c->end[0].bytes, c->end[1].bytes);
	if (c->proto == IPPROTO_TCP)
		fprintf(l->fp, " on the wire, %" PRIu64 "/%" PRIu64
		    " delivered", track_delivered(c, 0), track_delivered(c, 1));
	fprintf(l->fp, " %.3f ms: %s%s%s\n", (c->last_ts - c->first_ts) / 1e6,
	    w.why, c->proto == IPPROTO_TCP ? "; " : "",
	    c->proto == IPPROTO_TCP ? w.how : "");
}

void
ladder_json_string(FILE *fp, const uint8_t *s, size_t n)
{
	size_t	 i;

	putc('"', fp);
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\') {
			putc('\\', fp);
			putc(s[i], fp);
		} else if (s[i] == '\n')
			fputs("\\n", fp);
		else if (s[i] == '\r')
			fputs("\\r", fp);
		else if (s[i] == '\t')
			fputs("\\t", fp);
		else if (s[i] < 0x20 || s[i] >= 0x7f)
			fprintf(fp, "\\u%04x", s[i]);	/* byte as U+00XX */
		else
			putc(s[i], fp);
	}
	putc('"', fp);
}

/* The common head of every JSON event: type, frame, times. */
static void
json_head(struct ladder *l, const char *type, uint64_t frame, int64_t ts)
{
	fprintf(l->fp, "{\"type\":\"%s\"", type);
	if (frame > 0)
		fprintf(l->fp, ",\"frame\":%" PRIu64, frame);
	fprintf(l->fp, ",\"t_ms\":%.3f,\"ts\":\"%" PRId64 ".%09" PRId64 "\"",
	    rel_ms(l, ts), ts / 1000000000, ts % 1000000000);
}

/* The JSON fields of what is rarer: SACK blocks, TFO, cut options, probes. */
static void
json_tcp_extra(struct ladder *l, const struct track_event *ev)
{
	const struct decode_tcpopt *op = &ev->pkt->opt;
	int			 i;

	if (op->nsack > 0) {
		fputs(",\"sack\":[", l->fp);
		for (i = 0; i < op->nsack && i < TRACK_MAX_SACK; i++)
			fprintf(l->fp, "%s[%u,%u]", i ? "," : "", ev->sack[i][0],
			    ev->sack[i][1]);
		putc(']', l->fp);
	}
	if (op->has_tfo) {
		fputs(",\"tfo_cookie\":\"", l->fp);
		for (i = 0; i < op->tfo_len; i++)
			fprintf(l->fp, "%02x", op->tfo_cookie[i]);
		putc('"', l->fp);
	}
	if (op->cut)
		fputs(",\"options_cut\":true", l->fp);
	if (ev->probe)
		fputs(",\"probe\":true", l->fp);
	if (words_scale_unknown(ev->conv))
		fputs(",\"win_scale_unknown\":true", l->fp);
}

/* The TCP fields of a JSON packet event. */
static void
json_tcp(struct ladder *l, const struct track_event *ev)
{
	const struct decode_pkt	*pk = ev->pkt;
	const struct decode_tcpopt *op = &pk->opt;
	char			 fl[64];
	size_t			 off = 0;
	int			 i, k;

	words_flags(fl, sizeof fl, &off, pk->flags);
	fprintf(l->fp, ",\"flags\":\"%s\",\"seq\":%u,\"ack\":%u", fl, ev->rseq,
	    ev->rack);
	if (pk->paylen > 0)
		fprintf(l->fp, ",\"seq_end\":%u", ev->rseq + pk->paylen +
		    !!(pk->flags & DECODE_SYN));
	fprintf(l->fp, ",\"win\":%" PRIu64, ev->win);
	if (ev->show_isn)
		fprintf(l->fp, ",\"isn\":%u", pk->seq);
	if (op->has_mss)
		fprintf(l->fp, ",\"mss\":%u", op->mss);
	if (op->has_ws)
		fprintf(l->fp, ",\"ws\":%u", op->ws);
	if (op->sack_ok)
		fputs(",\"sack_ok\":true", l->fp);
	if (op->has_ts)
		fprintf(l->fp, ",\"tsval\":%u,\"tsecr\":%u", op->tsval,
		    op->tsecr);
	json_tcp_extra(l, ev);
	fprintf(l->fp, ",\"state_a\":\"%s\",\"state_b\":\"%s\"",
	    track_state_name(ev->state[0]), track_state_name(ev->state[1]));
	for (i = 0; i < 2; i++) {
		if (!ev->changed[i])
			continue;
		fprintf(l->fp, ",\"path_%c\":[", i ? 'b' : 'a');
		for (k = 0; k < ev->npath[i]; k++)
			fprintf(l->fp, "%s\"%s\"", k ? "," : "",
			    track_state_name(ev->path[i][k]));
		putc(']', l->fp);
	}
}

/* One packet as a JSON object on one line. */
static void
json_packet(struct ladder *l, const struct track_event *ev)
{
	const struct decode_pkt	*pk = ev->pkt;
	struct lconv		*lc = ev->conv->user;
	const char		*name;
	char			 src[EP_MAX], dst[EP_MAX];
	int			 i, d = ev->dir;

	if (ev->icmp_back) {		/* the router's address, no ports */
		words_addr(&pk->src, src, sizeof src);
		words_addr(&pk->dst, dst, sizeof dst);
	}
	json_head(l, "packet", ev->frame, ev->ts);
	fprintf(l->fp, ",\"conv\":%" PRIu64 ",\"proto\":\"%s\",\"src\":\"%s\","
	    "\"sport\":%u,\"dst\":\"%s\",\"dport\":%u,\"dir\":\"%s\","
	    "\"len\":%u", ev->conv->id, pk->proto == IPPROTO_TCP ? "tcp" :
	    pk->proto == IPPROTO_UDP ? "udp" : pk->proto == IPPROTO_ICMP ?
	    "icmp" : "icmp6", ev->icmp_back ? src : lc->addr[d],
	    ev->icmp_back ? 0 : ev->conv->end[d].port,
	    ev->icmp_back ? dst : lc->addr[!d],
	    ev->icmp_back ? 0 : ev->conv->end[!d].port, d ? "B>A" : "A>B",
	    pk->paylen);
	if (pk->proto == IPPROTO_TCP)
		json_tcp(l, ev);
	else if (pk->proto != IPPROTO_UDP) {
		name = track_icmp_name(pk->proto == IPPROTO_ICMPV6,
		    pk->icmp_type, pk->icmp_code);
		fprintf(l->fp, ",\"icmp_type\":%u,\"icmp_code\":%u,\"icmp\":"
		    "\"%s\"", pk->icmp_type, pk->icmp_code, name ? name : "");
	}
	if (ev->nnotes > 0) {
		fputs(",\"notes\":[", l->fp);
		for (i = 0; i < ev->nnotes; i++) {
			if (i > 0)
				putc(',', l->fp);
			ladder_json_string(l->fp, (const uint8_t *)
			    ev->notes[i].text, strlen(ev->notes[i].text));
		}
		putc(']', l->fp);
	}
	if (pk->paycap > 0 && l->o.preview > 0) {
		fputs(",\"data\":", l->fp);
		ladder_json_string(l->fp, pk->payload, pk->paycap <
		    (uint32_t)l->o.preview ? pk->paycap : (size_t)l->o.preview);
	}
	fputs("}\n", l->fp);
}

/* The TLS of a conversation's JSON end: what it agreed, how it closed. */
static void
json_tls_end(struct ladder *l, const struct track_event *ev)
{
	const struct tls_info	*in = ev->tls_info;
	const char		*v = tls_version_name(in->version),
				*cs = tls_cipher_name(in->cipher);

	fputs(",\"tls\":{\"verdict\":", l->fp);
	ladder_json_string(l->fp, (const uint8_t *)ev->tls_verdict,
	    strlen(ev->tls_verdict));
	fprintf(l->fp, ",\"version\":\"%s\",\"cipher\":\"%s\",\"sni\":",
	    in->version && v ? v : "", in->version && cs ? cs : "");
	ladder_json_string(l->fp, (const uint8_t *)in->sni, strlen(in->sni));
	fputs(",\"alpn\":", l->fp);
	ladder_json_string(l->fp, (const uint8_t *)in->alpn,
	    strlen(in->alpn));
	fprintf(l->fp, ",\"hrr\":%s,\"resumed\":%s,\"close_notify\":%s%s%s"
	    ",\"records_a\":%" PRIu64 ",\"records_b\":%" PRIu64
	    ",\"appdata_a\":%" PRIu64 ",\"appdata_b\":%" PRIu64 "}",
	    in->hrr ? "true" : "false", in->resumed ? "true" : "false",
	    in->close_notify_dir < 0 ? "null" : "\"",
	    in->close_notify_dir < 0 ? "" : in->close_notify_dir ? "B" : "A",
	    in->close_notify_dir < 0 ? "" : "\"", in->records[0],
	    in->records[1], in->appdata[0], in->appdata[1]);
}

/* Each TLS record and message ev's segment completed, a JSON object. */
static void
json_tls(struct ladder *l, const struct track_event *ev)
{
	const struct tls_event	*t;
	const char		*ct;
	int			 i;

	for (i = 0; i < ev->ntls; i++) {
		t = &ev->tls[i];
		json_head(l, "tls", ev->frame, ev->ts);
		fprintf(l->fp, ",\"conv\":%" PRIu64 ",\"dir\":\"%s\",\"event\":"
		    "\"%s\",\"name\":", ev->conv->id, t->dir ? "B>A" : "A>B",
		    t->kind == TLS_EV_RECORD ? "record" :
		    t->kind == TLS_EV_MESSAGE ? "message" : "stop");
		ladder_json_string(l->fp, (const uint8_t *)t->name,
		    strlen(t->name));
		fputs(",\"detail\":", l->fp);
		ladder_json_string(l->fp, (const uint8_t *)t->detail,
		    strlen(t->detail));
		ct = tls_content_name(t->rtype);
		fprintf(l->fp, ",\"content\":\"%s\",\"len\":%u,\"seq\":%u,"
		    "\"seq_end\":%u", ct ? ct : "", t->len, t->seq, t->end);
		if (t->kind == TLS_EV_MESSAGE)
			fprintf(l->fp, ",\"hs_type\":%u", t->hs_type);
		fprintf(l->fp, ",\"encrypted\":%s,\"decrypted\":%s,",
		    t->encrypted ? "true" : "false",
		    t->decrypted ? "true" : "false");
		if (t->peeked)
			fputs("\"peeked\":true,", l->fp);
		fprintf(l->fp, "\"result\":\"%s\"}\n",
		    decode_result_name(t->result));
	}
}

/* The end of a conversation as a JSON object. */
static void
json_end(struct ladder *l, struct track_conv *c, const struct track_event *ev)
{
	struct end_words	 w;

	if (end_words(l, c, &w) == -1)
		return;
	json_head(l, "end", 0, c->last_ts);
	fprintf(l->fp, ",\"conv\":%" PRIu64 ",\"proto\":\"%s\",\"a\":\"%s\","
	    "\"a_port\":%u,\"b\":\"%s\",\"b_port\":%u,\"conn_state\":\"%s\","
	    "\"why\":\"%s\",\"verdict\":", c->id, proto_name(c->proto),
	    w.lc->addr[0], c->end[0].port, w.lc->addr[1], c->end[1].port,
	    w.st, w.why);
	ladder_json_string(l->fp, (const uint8_t *)w.how, strlen(w.how));
	fprintf(l->fp, ",\"pkts_a\":%" PRIu64 ",\"pkts_b\":%" PRIu64
	    ",\"bytes_a\":%" PRIu64 ",\"bytes_b\":%" PRIu64 ",\"retrans_a\":%"
	    PRIu64 ",\"retrans_b\":%" PRIu64 ",\"duration_ms\":%.3f",
	    c->end[0].pkts, c->end[1].pkts, c->end[0].bytes, c->end[1].bytes,
	    c->end[0].retrans, c->end[1].retrans,
	    (c->last_ts - c->first_ts) / 1e6);
	if (c->proto == IPPROTO_TCP)
		fprintf(l->fp, ",\"delivered_a\":%" PRIu64 ",\"delivered_b\":%"
		    PRIu64, track_delivered(c, 0), track_delivered(c, 1));
	if (l->drops_known)
		fprintf(l->fp, ",\"capture_drops\":%" PRIu64, l->drops);
	if (ev->tls_verdict != NULL)
		json_tls_end(l, ev);
	fputs("}\n", l->fp);
}

/* A packet that could not be placed: drawn (unless unsupported). */
static void
bad_packet(struct ladder *l, const struct track_event *ev)
{
	const struct decode_pkt	*pk = ev->pkt;

	l->bad[pk->result]++;
	if (l->o.only_conv != 0 || l->o.mode == LADDER_SUMMARY ||
	    l->o.mode == LADDER_SUMMARY_JSON)
		return;
	if (l->o.mode == LADDER_JSON) {
		json_head(l, "bad", ev->frame, ev->ts);
		fprintf(l->fp, ",\"result\":\"%s\",\"layer\":\"%s\",\"reason\":"
		    "\"%s\",\"caplen\":%u,\"wirelen\":%u}\n",
		    decode_result_name(pk->result), pk->layer ? pk->layer : "",
		    pk->reason ? pk->reason : "", pk->caplen, pk->wirelen);
		return;
	}
	if (pk->result == DECODE_UNSUPPORTED)
		return;
	if (l->holder != NULL)
		run_flush(l, l->holder);
	put(l, C_WARN, "%10.3f  [%s %s: %s] frame %" PRIu64 ", %u of %u bytes "
	    "captured\n", rel_ms(l, ev->ts), decode_result_name(pk->result),
	    pk->layer ? pk->layer : "?", pk->reason ? pk->reason : "?",
	    ev->frame, pk->caplen, pk->wirelen);
}

/* Draw one packet event of the ladder. */
static void
draw_packet(struct ladder *l, struct track_conv *c,
    const struct track_event *ev)
{
	struct lconv	*lc = c->user;
	char		 text[LINE_MAX * 2 + TLS_TEXT];
	int		 fold;

	if (l->holder != NULL && l->holder != c)
		run_flush(l, l->holder);
	if (!lc->headed || l->last_conv != c->id) {
		if (l->last_conv != 0 && l->last_conv != c->id && lc->headed)
			header(l, c, ev, 0);
		else if (!lc->headed) {
			if (l->last_conv != 0)
				fputc('\n', l->fp);
			header(l, c, ev, 1);
		}
		lc->headed = 1;
		l->last_conv = c->id;
	}
	/* A folding run only counts its packets: no words for them. */
	fold = !l->o.full && foldable(ev);
	text[0] = '\0';
	if (!fold || !lc->folding)
		packet_text(l, ev, text, sizeof text);
	if (fold) {
		run_add(l, c, ev, text);
		return;
	}
	run_flush(l, c);
	fputs(text, l->fp);
}

/* A conversation's end: flush, verdict or summary, forget it. */
static void
end_conv(struct ladder *l, struct track_conv *c, const struct track_event *ev)
{
	struct lconv	*lc;
	int		 i;

	if (l->o.only_conv == 0 || l->o.only_conv == c->id) {
		if (l->o.mode == LADDER_DRAW && c->user != NULL) {
			if (l->holder != NULL && l->holder != c)
				run_flush(l, l->holder);
			run_flush(l, c);
			if (l->last_conv != c->id)
				header(l, c, NULL, 0);
			verdict(l, c, ev);
		} else if (l->o.mode == LADDER_SUMMARY)
			summary(l, c);
		else if (l->o.mode != LADDER_DRAW) {
			if (l->o.mode == LADDER_JSON)
				json_tls(l, ev);
			json_end(l, c, ev);
		}
	}
	if ((lc = c->user) != NULL) {
		for (i = 0; i < lc->nheld; i++)
			free(lc->held[i]);
		free(lc);
		c->user = NULL;
	}
}

void
ladder_event(void *arg, const struct track_event *ev)
{
	struct ladder		*l = arg;
	struct track_conv	*c = ev->conv;

	if (ev->kind == TRACK_EV_BAD) {
		bad_packet(l, ev);
		return;
	}
	if (ev->kind == TRACK_EV_END) {
		end_conv(l, c, ev);
		return;
	}
	if (!l->have_t0)
		rel_ms(l, ev->ts);
	if ((l->o.only_conv != 0 && l->o.only_conv != c->id) ||
	    l->o.mode == LADDER_SUMMARY || l->o.mode == LADDER_SUMMARY_JSON)
		return;
	if (lconv_get(c) == NULL)
		return;
	if (l->o.mode == LADDER_JSON) {
		json_packet(l, ev);
		json_tls(l, ev);
	} else
		draw_packet(l, c, ev);
}

void
ladder_call(struct ladder *l, int64_t ts, const char *what, int err)
{
	ladder_call_conv(l, ts, 0, what, err);
}

void
ladder_call_conv(struct ladder *l, int64_t ts, uint64_t conv,
    const char *what, int err)
{
	const char	*name = err ? strerrorname_np(err) : NULL;

	if (l->o.mode == LADDER_JSON) {
		json_head(l, "call", 0, ts);
		if (conv > 0)
			fprintf(l->fp, ",\"conv\":%" PRIu64, conv);
		fputs(",\"call\":", l->fp);
		ladder_json_string(l->fp, (const uint8_t *)what, strlen(what));
		if (err)
			fprintf(l->fp, ",\"errno\":\"%s\"", name ? name : "?");
		fputs("}\n", l->fp);
		return;
	}
	if (l->o.mode != LADDER_DRAW)
		return;
	if (l->holder != NULL)
		run_flush(l, l->holder);
	put(l, err ? C_WARN : C_DIM, "%10.3f  this host: %s%s%s\n",
	    rel_ms(l, ts), what, err ? " failed: " : "", err ? name : "");
}

void
ladder_free(struct ladder *l)
{
	uint64_t	 n;

	if (l == NULL)
		return;
	n = l->bad[DECODE_TRUNCATED] + l->bad[DECODE_INVALID] +
	    l->bad[DECODE_UNSUPPORTED];
	if (l->o.mode == LADDER_DRAW && n > 0 && l->o.only_conv == 0)
		fprintf(l->fp, "%" PRIu64 " packet%s not drawn in a "
		    "conversation: %" PRIu64 " truncated, %" PRIu64 " invalid, %"
		    PRIu64 " unsupported\n", n, n == 1 ? "" : "s",
		    l->bad[DECODE_TRUNCATED], l->bad[DECODE_INVALID],
		    l->bad[DECODE_UNSUPPORTED]);
	free(l);
}

int
ladder_color_when(const char *when, int tty)
{
	if (when == NULL || strcmp(when, "auto") == 0)
		return tty;
	if (strcmp(when, "always") == 0)
		return 1;
	if (strcmp(when, "never") == 0)
		return 0;
	return -1;
}
