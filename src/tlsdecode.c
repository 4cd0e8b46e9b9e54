/*
 * tlsdecode.c: a TCP connection's byte streams into TLS records and
 * handshake messages (RFC 8446 5.1 and 4, RFC 5246 6.2 and 7.4), as
 * events.
 *
 * Each direction is a small machine: five header bytes, then the body,
 * kept only when something is read from it (a cleartext handshake, the
 * two bytes of an alert, a protected record for a decrypting layer) and
 * never longer than a record may be.  Handshake bytes then go to a second
 * buffer that holds at most one message of at most hs_keep bytes; a
 * longer message is named and its bytes skipped.  So a direction never
 * holds more than tls_bound() bytes, whatever the lengths on the wire
 * say.  The sequence number of the next byte expected tells a
 * retransmission (skipped) from a gap (the end of that direction).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlsdecode.h"
#include "tlsmsg.h"

/* One direction of the connection. */
struct tls_dir {
	uint32_t	 next;		/* sequence number of the next byte */
	uint32_t	 rec_seq;	/* of the current record's first byte */
	uint8_t		 hdr[5];
	size_t		 hdr_len;
	uint32_t	 rlen, rgot;	/* the record's body: length, seen */
	size_t		 keep;		/* body bytes kept of this record */
	uint8_t		*rec;
	size_t		 rec_len, rec_cap;
	uint8_t		*hs;		/* a handshake message so far */
	size_t		 hs_len, hs_cap;
	uint32_t	 hs_skip;	/* bytes of a long message to skip */
	uint64_t	 nrec, nenc;	/* records, protected ones */
	unsigned	 started:1, stopped:1, encrypted:1, protect:1;
};

struct tls {
	struct tls_dir	 d[2];
	size_t		 hs_keep;
	tls_decrypt_fn	 decrypt;
	void		*decrypt_arg;
	uint8_t		*pt;		/* plaintext from decrypt */
	int		 client_fin;	/* TLS 1.3: the client's first
					   protected record went by */
	uint8_t		 client_sid[32];	/* of the ClientHello */
	uint8_t		 client_sid_len;
	struct tls_info	 info;
	struct tls_hello hello;		/* of the message being reported */
};

static void	hs_feed(struct tls *, int, const struct tls_event *,
		    const uint8_t *, size_t, tls_cb, void *);
static void	clear_content(struct tls *, int, struct tls_event *, uint8_t,
		    const uint8_t *, size_t, tls_cb, void *);

struct tls *
tls_new(size_t hs_keep)
{
	struct tls	*t;

	if ((t = calloc(1, sizeof *t)) == NULL)
		return NULL;
	if (hs_keep == 0)
		hs_keep = TLS_HS_KEEP;
	if (hs_keep > 0xffffff)
		hs_keep = 0xffffff;	/* a message's length has 24 bits */
	t->hs_keep = hs_keep < TLS_HS_KEEP_MIN ? TLS_HS_KEEP_MIN : hs_keep;
	t->info.client_dir = -1;
	t->info.close_notify_dir = -1;
	return t;
}

/* Let go of a direction's buffers (at the end, or when it stops). */
static void
dir_release(struct tls_dir *d)
{
	free(d->rec);
	free(d->hs);
	d->rec = d->hs = NULL;
	d->rec_len = d->rec_cap = d->hs_len = d->hs_cap = 0;
	d->hdr_len = 0;
}

void
tls_free(struct tls *t)
{
	if (t == NULL)
		return;
	dir_release(&t->d[0]);
	dir_release(&t->d[1]);
	free(t->pt);
	free(t);
}

void
tls_start(struct tls *t, int dir, uint32_t seq)
{
	struct tls_dir	*d = &t->d[dir & 1];

	if (!d->started) {
		d->next = seq;
		d->started = 1;
	}
}

void
tls_set_decrypt(struct tls *t, tls_decrypt_fn fn, void *arg)
{
	if (fn != NULL && t->pt == NULL &&
	    (t->pt = malloc(TLS_REC_MAX)) == NULL)
		fn = NULL;		/* cannot: records stay encrypted */
	t->decrypt = fn;
	t->decrypt_arg = arg;
}

size_t
tls_buffered(const struct tls *t, int dir)
{
	const struct tls_dir	*d = &t->d[dir & 1];

	return d->hdr_len + d->rec_cap + d->hs_cap;
}

size_t
tls_bound(const struct tls *t)
{
	return 5 + TLS_REC_MAX + 4 + t->hs_keep;
}

const struct tls_info *
tls_get_info(const struct tls *t)
{
	return &t->info;
}

/*
 * Room for n bytes in *buf (of *cap), growing by doubling but never past
 * max (n <= max).  Returns 0, or -1 when out of memory.
 */
static int
grow(uint8_t **buf, size_t *cap, size_t n, size_t max)
{
	uint8_t	*p;
	size_t	 c = *cap ? *cap : 512;

	if (n <= *cap)
		return 0;
	if (n > max)
		return -1;
	while (c < n)
		c *= 2;
	if (c > max)
		c = max;
	if ((p = realloc(*buf, c)) == NULL)
		return -1;
	*buf = p;
	*cap = c;
	return 0;
}

/* A fresh event of kind for direction dir, seq and end from the record. */
static void
ev_init(const struct tls *t, int dir, enum tls_ev_kind kind,
    struct tls_event *ev)
{
	const struct tls_dir	*d = &t->d[dir];

	memset(ev, 0, sizeof *ev);
	ev->kind = kind;
	ev->dir = dir;
	ev->from_client = t->info.client_dir < 0 ? -1 :
	    dir == t->info.client_dir;
	ev->seq = d->rec_seq;
	ev->end = d->next;
	ev->rtype = d->hdr[0];
	ev->rversion = (uint16_t)(d->hdr[1] << 8 | d->hdr[2]);
	ev->len = d->rlen;
	ev->result = DECODE_OK;
}

/*
 * Direction dir cannot be followed any more: say why (r, and a reason
 * with up to n wire bytes quoted) once, and let its buffers go.
 * Returns -1 for "return dir_stop()".
 */
static int
dir_stop(struct tls *t, int dir, enum decode_result r, const char *why,
    const uint8_t *quote, size_t n, tls_cb cb, void *arg)
{
	struct tls_dir	*d = &t->d[dir];
	struct tls_event ev;
	struct ttext	 tt;

	ev_init(t, dir, TLS_EV_STOP, &ev);
	ev.seq = ev.end = d->next;
	ev.result = r;
	ev.name = "cannot follow";
	tt_init(&tt, ev.detail, sizeof ev.detail);
	tt_add(&tt, "%s", why);
	if (n > 0) {
		tt_add(&tt, " '");
		tt_wire(&tt, quote, n);
		tt_add(&tt, "'");
	}
	d->stopped = 1;
	dir_release(d);
	cb(&ev, arg);
	return -1;
}

/*
 * Whether a record of type from direction dir is protected: application
 * data always, everything but ChangeCipherSpec once the direction
 * encrypts (after its TLS 1.2 ChangeCipherSpec, after a TLS 1.3
 * ServerHello).
 */
static int
is_protected(const struct tls *t, int dir, uint8_t type)
{
	if (type == TLS_CT_CCS)
		return 0;
	return type == TLS_CT_APPDATA || t->d[dir].encrypted;
}

/*
 * The five header bytes are in: check them (RFC 8446 5.1), decide what of
 * the body to keep.  Returns 0, or -1 when the direction stops.
 */
static int
record_begin(struct tls *t, int dir, tls_cb cb, void *arg)
{
	struct tls_dir	*d = &t->d[dir];
	uint8_t		 type = d->hdr[0];

	d->rlen = (uint32_t)(d->hdr[3] << 8 | d->hdr[4]);
	d->rgot = 0;
	d->rec_len = 0;
	if ((type & 0x80) != 0 && d->nrec == 0)
		return dir_stop(t, dir, DECODE_UNSUPPORTED,
		    "an SSL 2.0 ClientHello", NULL, 0, cb, arg);
	if (type < TLS_CT_CCS || type > TLS_CT_HEARTBEAT || d->hdr[1] != 3 ||
	    d->hdr[2] > 4)
		return dir_stop(t, dir, DECODE_INVALID, "not a TLS record:",
		    d->hdr, 5, cb, arg);
	if (d->rlen > TLS_REC_MAX)
		return dir_stop(t, dir, DECODE_INVALID, "record longer than "
		    "2^14+2048 bytes (RFC 5246 6.2.3)", NULL, 0, cb, arg);
	d->protect = is_protected(t, dir, type);
	if (d->protect)
		d->keep = t->decrypt != NULL ? d->rlen : 0;
	else if (type == TLS_CT_HANDSHAKE)
		d->keep = d->rlen;
	else
		d->keep = d->rlen < 3 ? d->rlen : 3;	/* alert, ccs, hb */
	if (grow(&d->rec, &d->rec_cap, d->keep, TLS_REC_MAX) == -1)
		return dir_stop(t, dir, DECODE_UNSUPPORTED, "out of memory",
		    NULL, 0, cb, arg);
	return 0;
}

/* The name of a protected record that nobody decrypted, in ev. */
static void
name_protected(struct tls *t, int dir, struct tls_event *ev)
{
	struct tls_dir	*d = &t->d[dir];
	struct ttext	 tt;

	ev->encrypted = 1;
	ev->name = "application data";
	if (ev->rtype == TLS_CT_HANDSHAKE)
		ev->name = "encrypted handshake";
	else if (ev->rtype == TLS_CT_ALERT)
		ev->name = "encrypted alert";
	else if (ev->rtype == TLS_CT_HEARTBEAT)
		ev->name = "encrypted heartbeat";
	else if (t->info.version == TLS_V13 && !t->client_fin) {
		/* The server's flight up to the client's Finished. */
		ev->guess = 1;
		ev->name = "encrypted handshake";
		if (ev->from_client == 1)
			t->client_fin = 1;
	} else if (t->info.version == TLS_V13)
		ev->guess = 1;
	tt_init(&tt, ev->detail, sizeof ev->detail);
	tt_add(&tt, "%lu bytes", (unsigned long)ev->len);
	if (ev->rtype == TLS_CT_HANDSHAKE && d->nenc == 0 &&
	    t->info.version != TLS_V13)
		tt_add(&tt, " (Finished)");
	if (strcmp(ev->name, "application data") == 0)
		t->info.appdata[dir] += ev->len;
	d->nenc++;
}

/* A protected record: to the decrypting layer, else named as such. */
static void
record_protected(struct tls *t, int dir, struct tls_event *ev, tls_cb cb,
    void *arg)
{
	size_t	 ptlen = 0;
	uint8_t	 inner = 0;
	int	 r;

	if (t->decrypt != NULL && ev->body_len == ev->len &&
	    (r = t->decrypt(t->decrypt_arg, ev, t->pt, &ptlen, &inner)) >= 0 &&
	    ptlen <= ev->len) {
		ev->body = NULL;
		ev->body_len = 0;
		ev->decrypted = 1;
		ev->peeked = r == 1;
		ev->inner = inner;
		clear_content(t, dir, ev, inner, t->pt, ptlen, cb, arg);
		return;
	}
	name_protected(t, dir, ev);
	cb(ev, arg);
}

/*
 * The record's last byte is in: report it and what it holds, the n bytes
 * kept of its body at body (d->rec, or the segment that held it all).
 */
static void
record_end(struct tls *t, int dir, const uint8_t *body, size_t n, tls_cb cb,
    void *arg)
{
	struct tls_dir	*d = &t->d[dir];
	struct tls_event ev;

	ev_init(t, dir, TLS_EV_RECORD, &ev);
	ev.body = body;
	ev.body_len = n;
	d->nrec++;
	t->info.records[dir]++;
	if (d->protect)
		record_protected(t, dir, &ev, cb, arg);
	else
		clear_content(t, dir, &ev, ev.rtype, body, n, cb, arg);
	d->hdr_len = 0;
	d->rec_len = 0;
}

/* Bytes of the stream, in order, through the record machine. */
static int
stream_bytes(struct tls *t, int dir, const uint8_t *p, size_t len,
    tls_cb cb, void *arg)
{
	struct tls_dir	*d = &t->d[dir];
	const uint8_t	*whole;
	size_t		 n, k;

	while (len > 0 && !d->stopped) {
		whole = NULL;
		if (d->hdr_len < 5) {
			if (d->hdr_len == 0)
				d->rec_seq = d->next;
			n = 5 - d->hdr_len < len ? 5 - d->hdr_len : len;
			memcpy(d->hdr + d->hdr_len, p, n);
			d->hdr_len += n;
			d->next += (uint32_t)n;
			if (d->hdr_len == 5 &&
			    record_begin(t, dir, cb, arg) == -1)
				return -1;
		} else {
			n = d->rlen - d->rgot < len ? d->rlen - d->rgot : len;
			k = d->keep - d->rec_len < n ? d->keep - d->rec_len : n;
			if (d->rgot == 0 && n == d->rlen)
				whole = p;	/* all here: read in place */
			else if (k > 0) {  /* d->rec is NULL when nothing kept */
				memcpy(d->rec + d->rec_len, p, k);
				d->rec_len += k;
			}
			d->rgot += (uint32_t)n;
			d->next += (uint32_t)n;
		}
		p += n;
		len -= n;
		if (d->hdr_len == 5 && d->rgot == d->rlen)
			record_end(t, dir, whole != NULL ? whole : d->rec,
			    whole != NULL ? d->keep : d->rec_len, cb, arg);
	}
	return d->stopped ? -1 : 0;
}

/* What a whole message tells about the connection, into t->info. */
static void
note_message(struct tls *t, int dir, const struct tls_event *ev)
{
	const struct tls_hello	*h = ev->hello;
	struct tls_info		*in = &t->info;

	if (ev->result != DECODE_OK || h == NULL)
		return;
	if (ev->hs_type == TLS_HS_CLIENT_HELLO) {
		if (in->client_dir < 0)
			in->client_dir = dir;
		if (in->sni[0] == '\0')
			memcpy(in->sni, h->sni, sizeof in->sni);
		memcpy(t->client_sid, h->sid, sizeof t->client_sid);
		t->client_sid_len = h->sid_len;
	} else if (ev->hs_type == TLS_HS_SERVER_HELLO) {
		if (in->client_dir < 0)
			in->client_dir = !dir;
		in->version = h->version;
		in->hrr |= h->hrr;
		if (h->hrr)
			return;
		in->cipher = h->cipher;
		in->resumed = h->version == TLS_V13 ? h->psk :
		    h->sid_len > 0 && h->sid_len == t->client_sid_len &&
		    memcmp(h->sid, t->client_sid, h->sid_len) == 0;
		if (h->version == TLS_V13)
			t->d[0].encrypted = t->d[1].encrypted = 1;
	}
	if (h->alpn[0] != '\0' && ev->hs_type != TLS_HS_CLIENT_HELLO)
		memcpy(in->alpn, h->alpn, sizeof in->alpn);
}

/* Add a word to the details of ev. */
static void
tt_more(struct tls_event *ev, const char *word)
{
	struct ttext	 tt;

	tt.s = ev->detail;		/* tt_init() would empty it */
	tt.size = sizeof ev->detail;
	tt.len = strlen(ev->detail);
	tt_add(&tt, "%s%s", tt.len > 0 ? " " : "", word);
}

/* The message in d->hs is whole: read it, report it. */
static void
msg_report(struct tls *t, int dir, const struct tls_event *rec, tls_cb cb,
    void *arg)
{
	struct tls_dir	*d = &t->d[dir];
	struct tls_event ev = *rec;

	ev.kind = TLS_EV_MESSAGE;
	ev.hs_type = d->hs[0];
	ev.len = (uint32_t)(d->hs_len - 4);
	ev.body = d->hs + 4;
	ev.body_len = d->hs_len - 4;
	ev.hello = NULL;
	ev.guess = ev.encrypted = 0;
	tls_msg_read(ev.hs_type, ev.body, ev.body_len, t->info.version, &ev,
	    &t->hello);
	note_message(t, dir, &ev);
	if (ev.hs_type == TLS_HS_SERVER_HELLO && ev.hello != NULL &&
	    !ev.hello->hrr && t->info.resumed)
		tt_more(&ev, "resumed");
	ev.from_client = t->info.client_dir < 0 ? -1 :
	    dir == t->info.client_dir;
	cb(&ev, arg);
}

/*
 * A message that cannot be read: longer than hs_keep (r unsupported),
 * or cut off (r truncated) with have of its bytes seen.
 */
static void
msg_unread(struct tls *t, int dir, const struct tls_event *rec,
    enum decode_result r, size_t have, tls_cb cb, void *arg)
{
	struct tls_dir	*d = &t->d[dir];
	struct tls_event ev = *rec;
	struct ttext	 tt;
	uint32_t	 mlen = (uint32_t)d->hs[1] << 16 | d->hs[2] << 8 | d->hs[3];

	ev.kind = TLS_EV_MESSAGE;
	ev.hs_type = d->hs[0];
	ev.len = mlen;
	ev.body = NULL;
	ev.body_len = 0;
	ev.hello = NULL;
	ev.guess = ev.encrypted = 0;
	ev.result = r;
	ev.name = tls_hs_name(ev.hs_type);
	tt_init(&tt, ev.detail, sizeof ev.detail);
	if (r == DECODE_UNSUPPORTED)
		tt_add(&tt, "%lu bytes, longer than the %zu read",
		    (unsigned long)mlen, t->hs_keep);
	else
		tt_add(&tt, "cut short: %zu of %lu bytes", have,
		    (unsigned long)mlen);
	cb(&ev, arg);
}

/*
 * Take what the message being collected needs from p (header first,
 * then body).  Returns the bytes taken, or -1 when out of memory.
 */
static long
hs_take(struct tls *t, struct tls_dir *d, const uint8_t *p, size_t n)
{
	size_t	 want = 4;

	if (d->hs_len >= 4)
		want += (size_t)d->hs[1] << 16 | d->hs[2] << 8 | d->hs[3];
	if (grow(&d->hs, &d->hs_cap, want, 4 + t->hs_keep) == -1)
		return -1;
	if (want - d->hs_len < n)
		n = want - d->hs_len;
	memcpy(d->hs + d->hs_len, p, n);
	d->hs_len += n;
	return (long)n;
}

/*
 * Handshake content (RFC 8446 5.1: messages may span records, records
 * may hold several) from the record rec: report each message it ends.
 */
static void
hs_feed(struct tls *t, int dir, const struct tls_event *rec,
    const uint8_t *p, size_t n, tls_cb cb, void *arg)
{
	struct tls_dir	*d = &t->d[dir];
	size_t		 mlen;
	long		 k;

	while (n > 0) {
		if (d->hs_skip > 0) {
			k = (long)(d->hs_skip < n ? d->hs_skip : n);
			d->hs_skip -= (uint32_t)k;
		} else if ((k = hs_take(t, d, p, n)) == -1) {
			dir_stop(t, dir, DECODE_UNSUPPORTED, "out of memory",
			    NULL, 0, cb, arg);
			return;
		}
		p += k;
		n -= (size_t)k;
		if (d->hs_skip > 0 || d->hs_len < 4)
			continue;
		mlen = (size_t)d->hs[1] << 16 | d->hs[2] << 8 | d->hs[3];
		if (mlen > t->hs_keep) {
			msg_unread(t, dir, rec, DECODE_UNSUPPORTED, 0, cb, arg);
			d->hs_skip = (uint32_t)mlen;
			d->hs_len = 0;
		} else if (d->hs_len == 4 + mlen) {
			msg_report(t, dir, rec, cb, arg);
			d->hs_len = 0;
		}
	}
}

/* A message left unfinished in dir (at a key change, at the end). */
static void
hs_cut(struct tls *t, int dir, const struct tls_event *rec, tls_cb cb,
    void *arg)
{
	struct tls_dir	*d = &t->d[dir];

	if (d->hs_len >= 4)
		msg_unread(t, dir, rec, DECODE_TRUNCATED, d->hs_len - 4, cb,
		    arg);
	d->hs_len = 0;
	d->hs_skip = 0;
}

/* An Alert (RFC 8446 6): level and description, of full bytes. */
static void
read_alert(struct tls *t, int dir, struct tls_event *ev, const uint8_t *p,
    size_t full, struct ttext *tt)
{
	const char	*name;

	if (full != 2) {
		ev->result = DECODE_INVALID;
		tt_add(tt, "alert of %zu bytes", full);
		return;
	}
	ev->alert_level = p[0];
	ev->alert_desc = p[1];
	if (p[0] == 1 || p[0] == 2)
		tt_add(tt, "%s ", p[0] == 1 ? "warning" : "fatal");
	else
		tt_add(tt, "level %u ", p[0]);
	if ((name = tls_alert_name(p[1])) != NULL)
		tt_add(tt, "%s", name);
	else
		tt_add(tt, "description %u", p[1]);
	if (p[1] == 0 && t->info.close_notify_dir < 0)
		t->info.close_notify_dir = dir;
}

/*
 * ChangeCipherSpec (RFC 5246 7.1): a TLS 1.2 direction encrypts from
 * here on; in TLS 1.3 it is only for middleboxes (RFC 8446 D.4).
 */
static void
read_ccs(struct tls *t, int dir, struct tls_event *ev, const uint8_t *p,
    size_t full, struct ttext *tt, tls_cb cb, void *arg)
{
	if (full != 1 || p[0] != 1) {
		ev->result = DECODE_INVALID;
		tt_add(tt, "not the one byte 1");
	}
	if (t->info.version != TLS_V13 && !ev->decrypted) {
		hs_cut(t, dir, ev, cb, arg);
		t->d[dir].encrypted = 1;
	}
}

/* Heartbeat (RFC 6520 4): the payload must fit with 16 bytes of padding. */
static void
read_heartbeat(struct tls_event *ev, const uint8_t *p, size_t n,
    size_t full, struct ttext *tt)
{
	size_t	 plen;

	if (n < 3) {
		ev->result = DECODE_INVALID;
		tt_add(tt, "heartbeat of %zu bytes", full);
		return;
	}
	plen = (size_t)p[1] << 8 | p[2];
	tt_add(tt, "%s, payload %zu bytes", p[0] == 1 ? "request" :
	    p[0] == 2 ? "response" : "unknown type", plen);
	if (3 + plen + 16 > full) {
		ev->result = DECODE_INVALID;
		tt_add(tt, ", past the record of %zu", full);
	}
}

/*
 * Cleartext content of a record of type (or the plaintext of a protected
 * one): name it, read it, report it, then the handshake messages it ends.
 * p holds n bytes: the whole content, or for alerts, ChangeCipherSpec and
 * heartbeats of a cleartext record the first few of ev->len.
 */
static void
clear_content(struct tls *t, int dir, struct tls_event *ev, uint8_t type,
    const uint8_t *p, size_t n, tls_cb cb, void *arg)
{
	size_t		 full = ev->decrypted ? n : ev->len;
	struct ttext	 tt;

	tt_init(&tt, ev->detail, sizeof ev->detail);
	if ((ev->name = tls_content_name(type)) == NULL)
		ev->name = "record";
	switch (type) {
	case TLS_CT_CCS:
		read_ccs(t, dir, ev, p, full, &tt, cb, arg);
		break;
	case TLS_CT_ALERT:
		read_alert(t, dir, ev, p, full, &tt);
		break;
	case TLS_CT_HEARTBEAT:
		read_heartbeat(ev, p, n, full, &tt);
		break;
	case TLS_CT_HANDSHAKE:
		tt_add(&tt, "%zu bytes", full);
		if (full == 0) {	/* RFC 8446 5.1 */
			ev->result = DECODE_INVALID;
			tt_add(&tt, ": an empty handshake record");
		}
		cb(ev, arg);
		hs_feed(t, dir, ev, p, n, cb, arg);
		return;
	case TLS_CT_APPDATA:
		t->info.appdata[dir] += full;
		/* FALLTHROUGH */
	default:
		tt_add(&tt, "%zu bytes", full);
	}
	cb(ev, arg);
}

void
tls_plaintext(struct tls *t, int dir, uint8_t inner, const uint8_t *p,
    size_t n, uint32_t seq, uint32_t end, tls_cb cb, void *arg)
{
	struct tls_event ev;

	dir &= 1;
	if (t->d[dir].stopped)
		return;
	ev_init(t, dir, TLS_EV_RECORD, &ev);
	ev.seq = seq;
	ev.end = end;
	ev.rtype = TLS_CT_APPDATA;
	ev.rversion = TLS_V12;
	ev.len = (uint32_t)n;
	ev.decrypted = 1;
	ev.inner = inner;
	clear_content(t, dir, &ev, inner, p, n, cb, arg);
}

int
tls_segment(struct tls *t, int dir, uint32_t seq, const uint8_t *p,
    size_t len, tls_cb cb, void *arg)
{
	struct tls_dir	*d = &t->d[dir & 1];
	uint32_t	 back;
	char		 why[64];

	dir &= 1;
	if (d->stopped)
		return -1;
	if (len == 0)
		return 0;
	tls_start(t, dir, seq);
	if ((int32_t)(seq - d->next) > 0) {
		snprintf(why, sizeof why, "%lu bytes missing (a gap, or out "
		    "of order)", (unsigned long)(seq - d->next));
		return dir_stop(t, dir, DECODE_TRUNCATED, why, NULL, 0, cb,
		    arg);
	}
	back = d->next - seq;		/* already seen: retransmitted */
	if (back >= len)
		return 0;
	return stream_bytes(t, dir, p + back, len - back, cb, arg);
}

void
tls_finish(struct tls *t, tls_cb cb, void *arg)
{
	struct tls_event ev;
	struct ttext	 tt;
	struct tls_dir	*d;
	int		 dir;

	for (dir = 0; dir < 2; dir++) {
		d = &t->d[dir];
		if (d->stopped)
			continue;
		ev_init(t, dir, TLS_EV_RECORD, &ev);
		if (d->hdr_len > 0) {
			ev.result = DECODE_TRUNCATED;
			ev.name = d->hdr_len == 5 &&
			    tls_content_name(ev.rtype) != NULL ?
			    tls_content_name(ev.rtype) : "record";
			tt_init(&tt, ev.detail, sizeof ev.detail);
			if (d->hdr_len < 5)
				tt_add(&tt, "cut short: header %zu of 5 bytes",
				    d->hdr_len);
			else
				tt_add(&tt, "cut short: %lu of %lu bytes",
				    (unsigned long)d->rgot,
				    (unsigned long)d->rlen);
			cb(&ev, arg);
		}
		hs_cut(t, dir, &ev, cb, arg);
		d->stopped = 1;
		dir_release(d);
	}
}
