/*
 * tlsview.c: the TLS layer of the render sink (tlsview.h).
 *
 * A TCP conversation is decided once, at its first segment with payload:
 * TLS when that segment starts its stream (or the capture started
 * mid-stream) with a record header (RFC 8446 5.1: a content type 20-24,
 * legacy version 3.x), or when either port is one TLS is spoken on;
 * otherwise it is left alone for good.  A TLS conversation gets a decoder
 * whose events the segment that completed them carries to the pictures.
 */
#include "config.h"

#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlscrypt.h"
#include "tlsview.h"
#include "words.h"

enum tv_state { TV_UNDECIDED, TV_TLS, TV_NOT };

/* What the layer holds for one conversation (track_conv.tls). */
struct tvconv {
	enum tv_state	 state;
	struct tls	*t;
	struct tlscrypt	*cr;		/* with a key log */
	int		 snapped[2];	/* a segment cut by the snap length */
	int		 enc_alert;	/* direction + 1 of the first
					   encrypted alert, 0: none */
	int		 ahead;		/* tlsview_go_ahead() said so */
};

struct tlsview {
	struct tlsview_opts o;
	struct tvconv	*cur;		/* of the segment being fed */
	int		 finishing;	/* tls_finish() is calling back */
	struct tls_event ev[TLSVIEW_KEEP];
	int		 n;
	uint32_t	 more;
	char		 verdict[TLSVIEW_VERDICT];
	struct tls_info	 info;
};

/* The ports TLS is spoken on from the first byte (IANA). */
static const uint16_t tls_ports[] = {
	443, 465, 636, 853, 989, 990, 992, 993, 994, 995, 5061, 8443,
};

struct tlsview *
tlsview_new(const struct tlsview_opts *o)
{
	struct tlsview	*tv;

	if ((tv = calloc(1, sizeof *tv)) == NULL)
		return NULL;
	tv->o = *o;
	return tv;
}

void
tlsview_free(struct tlsview *tv)
{
	free(tv);
}

/* Whether p (n bytes) begins with what a TLS record header can be. */
static int
looks_tls(const uint8_t *p, size_t n)
{
	return n >= 3 && p[0] >= TLS_CT_CCS && p[0] <= TLS_CT_HEARTBEAT &&
	    p[1] == 3 && p[2] <= 4;
}

/* Whether either port of c is a TLS port. */
static int
tls_port(const struct track_conv *c)
{
	size_t	 i;

	for (i = 0; i < sizeof tls_ports / sizeof tls_ports[0]; i++)
		if (c->end[0].port == tls_ports[i] ||
		    c->end[1].port == tls_ports[i])
			return 1;
	return 0;
}

/*
 * Decide at ev, the first segment of c with payload, whether c is TLS:
 * its decoder made then, with each direction's stream starting after its
 * SYN when the SYN was seen.  Returns the state decided (TV_NOT also when
 * out of memory: the conversation is then drawn without TLS).
 */
static enum tv_state
tv_decide(const struct tlsview *tv, struct tvconv *vc,
    const struct track_event *ev)
{
	const struct track_conv	*c = ev->conv;
	const struct decode_pkt	*pk = ev->pkt;
	int			 start, d;
	char			 why[300];

	start = !c->end[ev->dir].isn_known ||
	    ev->rseq + !!(pk->flags & DECODE_SYN) == 1;
	if (!tls_port(c) && !(start && looks_tls(pk->payload, pk->paycap)))
		return pk->paycap < 3 && pk->paycap < pk->paylen ?
		    TV_UNDECIDED : TV_NOT;
	if ((vc->t = tls_new(0)) == NULL)
		return TV_NOT;
	if (tv->o.keylog != NULL && tlscrypt_ready(why, sizeof why) == 0 &&
	    (vc->cr = tlscrypt_new(tv->o.keylog)) != NULL) {
		/*
		 * Without --data-preview no plaintext is shown: bulk
		 * records need only their type.
		 */
		if (tv->o.preview == 0)
			tlscrypt_peek(vc->cr, TLSVIEW_PEEK);
		tls_set_decrypt(vc->t, tlscrypt_decrypt, vc->cr);
	}
	for (d = 0; d < 2; d++)
		if (c->end[d].isn_known)
			tls_start(vc->t, d, 1);
	return TV_TLS;
}

/* The conversation's layer state, made at its first packet. */
static struct tvconv *
tv_conv(struct track_conv *c)
{
	if (c->tls == NULL)
		c->tls = calloc(1, sizeof (struct tvconv));
	return c->tls;
}

/* The plaintext of decrypted application data k, as --data-preview asks. */
static void
tv_preview(const struct tlsview *tv, struct tls_event *k)
{
	const uint8_t	*p;
	size_t		 n, off = strlen(k->detail);

	if (tv->cur->cr == NULL)
		return;
	p = tlscrypt_last(tv->cur->cr, &n);
	words_quote(k->detail, sizeof k->detail, &off, p, n,
	    (size_t)tv->o.preview);
}

/* The decoder's callback: keep one event for the segment's arrow. */
static void
tv_collect(const struct tls_event *e, void *arg)
{
	struct tlsview	*tv = arg;
	struct tls_event *k;

	if (tv->finishing && tv->cur->snapped[e->dir])
		return;		/* cut short by the capture: said already */
	if (e->kind == TLS_EV_RECORD && e->encrypted &&
	    e->rtype == TLS_CT_ALERT && tv->cur->enc_alert == 0)
		tv->cur->enc_alert = e->dir + 1;
	if (tv->cur->cr != NULL)
		tlscrypt_saw(tv->cur->cr, e);
	if (tv->n == TLSVIEW_KEEP) {
		tv->more++;
		return;
	}
	k = &tv->ev[tv->n++];
	*k = *e;
	k->body = NULL;		/* valid only during the callback */
	k->body_len = 0;
	k->hello = NULL;
	if (k->kind == TLS_EV_RECORD && k->decrypted &&
	    k->inner == TLS_CT_APPDATA && tv->o.preview > 0)
		tv_preview(tv, k);
}

/* "A" or "B" for direction d. */
static const char *
side(int d)
{
	return d ? "B" : "A";
}

/* How the TLS session of vc closed, at *off of buf. */
static void
tv_close_words(const struct tvconv *vc, const struct tls_info *in,
    char *buf, size_t len, size_t *off)
{
	if (in->close_notify_dir >= 0)
		words_cat(buf, len, off, ", closed with close_notify by %s",
		    side(in->close_notify_dir));
	else if (vc->enc_alert)
		words_cat(buf, len, off, ", closed with an encrypted alert by "
		    "%s (close_notify, or an error)", side(vc->enc_alert - 1));
	else if (in->version == TLS_V13)
		words_cat(buf, len, off, ", its close encrypted (--keylog "
		    "FILE reads it)");
	else
		words_cat(buf, len, off, ", no close_notify seen");
}

/* What c's TLS agreed and how it closed, into tv->verdict. */
static void
tv_verdict(struct tlsview *tv, const struct tvconv *vc)
{
	const struct tls_info	*in = tls_get_info(vc->t);
	const char		*v, *cs;
	size_t			 off = 0, len = sizeof tv->verdict;
	char			*buf = tv->verdict;

	tv->info = *in;
	if (in->version == 0) {
		words_cat(buf, len, &off, "TLS, %s", in->client_dir < 0 ?
		    "no ClientHello seen" : "no ServerHello seen");
		return;
	}
	v = tls_version_name(in->version);
	cs = tls_cipher_name(in->cipher);
	if (v != NULL && strncmp(v, "TLS", 3) == 0)
		words_cat(buf, len, &off, "TLS %s", v + 3);
	else
		words_cat(buf, len, &off, "%s", v ? v : "version ?");
	if (cs != NULL)
		words_cat(buf, len, &off, ", %s", cs);
	else
		words_cat(buf, len, &off, ", cipher 0x%04x", in->cipher);
	if (in->alpn[0] != '\0')
		words_cat(buf, len, &off, ", %s", in->alpn);
	if (in->hrr)
		words_cat(buf, len, &off, ", after a HelloRetryRequest");
	if (in->resumed)
		words_cat(buf, len, &off, ", resumed");
	tv_close_words(vc, in, buf, len, &off);
}

/*
 * Feed pk, a segment of direction dir at relative sequence number rseq,
 * to vc's decoder, its events collected in tv.  A segment the capture
 * cut short (its snap length: a live ladder keeps only headers and a
 * preview) ends the direction, said once, rather than as a gap at its
 * next segment.
 */
static void
tv_segment(struct tlsview *tv, struct tvconv *vc, int dir, uint32_t rseq,
    const struct decode_pkt *pk)
{
	uint32_t		 seq = rseq + !!(pk->flags & DECODE_SYN);
	struct tls_event	 e;

	tv->cur = vc;
	tv->n = 0;
	tv->more = 0;
	if (vc->snapped[dir])
		return;
	tls_segment(vc->t, dir, seq, pk->payload, pk->paycap, tv_collect,
	    tv);
	if (pk->paycap >= pk->paylen)
		return;
	vc->snapped[dir] = 1;
	memset(&e, 0, sizeof e);
	e.kind = TLS_EV_STOP;
	e.dir = dir;
	e.from_client = -1;
	e.seq = seq;
	e.end = seq + pk->paylen;
	e.result = DECODE_TRUNCATED;
	e.name = "cannot follow";
	snprintf(e.detail, sizeof e.detail, "the capture kept %u of the "
	    "segment's %u bytes (a bigger snap length keeps them)",
	    pk->paycap, pk->paylen);
	tv_collect(&e, tv);
}

void
tlsview_event(struct tlsview *tv, struct track_event *ev,
    const struct tlsview_seg *seg)
{
	struct track_conv	*c = ev->conv;
	struct tvconv		*vc;

	tv->n = 0;
	tv->more = 0;
	if (c == NULL || c->proto != IPPROTO_TCP || ev->kind == TRACK_EV_BAD)
		return;
	if ((vc = tv_conv(c)) == NULL || vc->state == TV_NOT)
		return;
	tv->cur = vc;
	if (seg != NULL) {	/* decoded as it was captured */
		ev->tls = seg->ev != NULL ? seg->ev : tv->ev;
		ev->ntls = seg->n;
		ev->tls_more = seg->more;
		return;
	}
	if (ev->kind == TRACK_EV_END) {
		if (vc->state != TV_TLS)
			return;
		tv->finishing = 1;
		tls_finish(vc->t, tv_collect, tv);
		tv->finishing = 0;
		tv_verdict(tv, vc);
		ev->tls_verdict = tv->verdict;
		ev->tls_info = &tv->info;
	} else if (ev->pkt->paycap > 0 && !ev->icmp_back) {
		if (vc->state == TV_UNDECIDED)
			vc->state = tv_decide(tv, vc, ev);
		if (vc->state != TV_TLS)
			return;
		tv_segment(tv, vc, ev->dir, ev->rseq, ev->pkt);
	}
	ev->tls = tv->ev;	/* a TLS segment, even with no event */
	ev->ntls = tv->n;
	ev->tls_more = tv->more;
}

int
tlsview_go_ahead(struct tlsview *tv, struct track_conv *c)
{
	struct tvconv	*vc = c->tls;

	(void)tv;
	if (vc == NULL || vc->state != TV_TLS || vc->ahead || vc->cr == NULL ||
	    vc->snapped[0] || vc->snapped[1] || !tlscrypt_settled(vc->cr))
		return 0;
	vc->ahead = 1;
	return 1;
}

int
tlsview_ahead(struct tlsview *tv, struct track_conv *c, int dir,
    uint32_t rseq, const struct decode_pkt *pk, struct tlsview_seg *seg)
{
	struct tvconv	*vc = c->tls;

	memset(seg, 0, sizeof *seg);
	if (vc == NULL || vc->state != TV_TLS || pk->paycap == 0)
		return 0;
	tv_segment(tv, vc, dir, rseq, pk);
	seg->more = tv->more;
	if (tv->n == 0)
		return 1;
	if ((seg->ev = malloc(tv->n * sizeof *seg->ev)) == NULL)
		seg->more += (uint32_t)tv->n;	/* counted, not named */
	else {
		memcpy(seg->ev, tv->ev, tv->n * sizeof *seg->ev);
		seg->n = tv->n;
	}
	return 1;
}

void
tlsview_seg_free(struct tlsview_seg *seg)
{
	free(seg->ev);
	seg->ev = NULL;
	seg->n = 0;
}

void
tlsview_forget(struct tlsview *tv, struct track_conv *c)
{
	struct tvconv	*vc = c->tls;

	(void)tv;
	if (vc == NULL)
		return;
	tls_free(vc->t);
	tlscrypt_free(vc->cr);
	free(vc);
	c->tls = NULL;
}

int
tlsview_hidden(const struct track_event *ev, int i)
{
	const struct tls_event	*r = &ev->tls[i], *m;

	if (r->kind != TLS_EV_RECORD || i + 1 >= ev->ntls)
		return 0;
	m = &ev->tls[i + 1];
	return m->kind == TLS_EV_MESSAGE && m->dir == r->dir &&
	    m->seq == r->seq && m->end == r->end;
}

void
tlsview_words(const struct tls_event *e, char *buf, size_t len)
{
	size_t	 off = 0;

	buf[0] = '\0';
	words_cat(buf, len, &off, "%s", e->name ? e->name : "record");
	if (e->detail[0] != '\0')
		words_cat(buf, len, &off, "%s%s", e->kind == TLS_EV_STOP ?
		    ": " : " ", e->detail);
	if (e->result != DECODE_OK)
		words_cat(buf, len, &off, " [%s]", decode_result_name(
		    e->result));
	if (e->peeked)
		words_cat(buf, len, &off, " (last block decrypted)");
	else if (e->decrypted)
		words_cat(buf, len, &off, " (decrypted)");
}
