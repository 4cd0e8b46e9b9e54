/*
 * unit-tlsdecode.c: the TLS decoder on real handshakes (the segments of
 * the loopback captures in tests/tls, kept as tests/fuzz/tls/NAME) and
 * on hand-made hostile streams, printing TAP.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tls-vec.h"
#include "tlsdecode.h"

/* The events of a run as text, "name detail [result]" a line. */
struct log {
	char		 s[65536];
	size_t		 len;
	int		 n, bad_text;
	size_t		 max_buf;
	struct tls	*t;
	struct tls_event last;
	struct tls_hello hello;
};

#define NVEC	6
static uint8_t	 vec_buf[NVEC][16384];
static size_t	 vec_len[NVEC];
static const char *const vec_names[NVEC] = { "tls13", "tls13-hrr", "tls12",
    "tls12-rsa", "tls13-resume", "tls12-resume" };

/* Whether s is printable ASCII (what a terminal can show as is). */
static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s > 0x7e)
			return 0;
	return 1;
}

static void
log_event(const struct tls_event *ev, void *arg)
{
	struct log	*lg = arg;
	int		 n;

	n = snprintf(lg->s + lg->len, sizeof lg->s - lg->len, "%s%s%s%s%s\n",
	    ev->name, ev->detail[0] ? " " : "", ev->detail,
	    ev->result != DECODE_OK ? " !" : "",
	    ev->result != DECODE_OK ? decode_result_name(ev->result) : "");
	if (n > 0 && (size_t)n < sizeof lg->s - lg->len)
		lg->len += (size_t)n;
	if (!printable(ev->name) || !printable(ev->detail))
		lg->bad_text++;
	lg->n++;
	lg->last = *ev;
	if (ev->hello != NULL) {
		lg->hello = *ev->hello;
		lg->last.hello = &lg->hello;
	}
	if (lg->t != NULL && tls_buffered(lg->t, ev->dir) > lg->max_buf)
		lg->max_buf = tls_buffered(lg->t, ev->dir);
}

static void
log_init(struct log *lg, struct tls *t)
{
	memset(lg, 0, sizeof *lg);
	lg->t = t;
}

/* Does the log hold line (a whole line)? */
static int
has_line(const struct log *lg, const char *line)
{
	size_t		 n = strlen(line);
	const char	*p = lg->s;

	while ((p = strstr(p, line)) != NULL) {
		if ((p == lg->s || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p++;
	}
	return 0;
}

/* tap_ok on a line of the log, showing the log when it is missing. */
static void
want_line(const struct log *lg, const char *line, const char *what)
{
	int	 ok = has_line(lg, line);

	tap_ok(ok, what);
	if (!ok)
		printf("#   want line: '%s'\n#   log:\n%s", line, lg->s);
}

/* Read tests/fuzz/tls/NAME into vec_buf[i]; returns 0 or -1. */
static int
load_vec(int i)
{
	const char	*src = getenv("srcdir");
	char		 path[4096];
	FILE		*fp;

	snprintf(path, sizeof path, "%s/fuzz/tls/%s", src ? src : "tests",
	    vec_names[i]);
	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	vec_len[i] = fread(vec_buf[i], 1, sizeof vec_buf[i], fp);
	fclose(fp);
	return vec_len[i] > 0 ? 0 : -1;
}

/*
 * Feed vector i to t: split (each segment as pieces of at most split
 * bytes), resent (each segment sent again, and half of it a third time),
 * drop (the segment of that index left out, -1 none), swap (that one and
 * the next exchanged).
 */
static void
feed_vec(struct tls *t, int i, size_t split, int resend, int drop, int swap,
    struct log *lg)
{
	struct tlsvec	 v;
	const uint8_t	*d, *pd = NULL;
	uint32_t	 seq, pseq = 0;
	size_t		 n, pn = 0, k, c;
	uint8_t		 fl;
	int		 dir, pdir = 0, idx = 0;

	tlsvec_open(&v, vec_buf[i], vec_len[i]);
	tls_start(t, 0, 0);
	tls_start(t, 1, 0);
	while (tlsvec_next(&v, &dir, &seq, &d, &n, &fl)) {
		if (idx == swap) {	/* hold it back one segment */
			pd = d, pn = n, pseq = seq, pdir = dir, idx++;
			continue;
		}
		if (idx++ == drop)
			continue;
		for (k = 0; k < n; k += c) {
			c = n - k < split ? n - k : split;
			tls_segment(t, dir, seq + (uint32_t)k, d + k, c,
			    log_event, lg);
		}
		if (resend) {
			tls_segment(t, dir, seq, d, n, log_event, lg);
			tls_segment(t, dir, seq + (uint32_t)n / 2, d + n / 2,
			    n - n / 2, log_event, lg);
		}
		if (pd != NULL) {
			tls_segment(t, pdir, pseq, pd, pn, log_event, lg);
			pd = NULL;
		}
	}
	tls_finish(t, log_event, lg);
}

/* Run vector i one way into lg; returns the decoder's info copy. */
static struct tls_info
run_vec(int i, size_t split, int resend, int drop, int swap,
    struct log *lg)
{
	struct tls	*t = tls_new(0);
	struct tls_info	 in;

	log_init(lg, t);
	feed_vec(t, i, split, resend, drop, swap, lg);
	in = *tls_get_info(t);
	tls_free(t);
	return in;
}

static void
test_tls13(void)
{
	static struct log lg, again;
	struct tls_info	 in;

	in = run_vec(0, 65536, 0, -1, -1, &lg);
	want_line(&lg, "ClientHello SNI=example.com ALPN=h2,http/1.1 "
	    "versions=TLS1.3 groups=x25519 suites=4 sid=32",
	    "tls13: ClientHello: SNI, ALPN, versions, key share, suites");
	want_line(&lg, "ServerHello TLS1.3 TLS_AES_256_GCM_SHA384 group=x25519",
	    "tls13: ServerHello: version and cipher chosen");
	want_line(&lg, "encrypted handshake 1327 bytes",
	    "tls13: the encrypted flight");
	want_line(&lg, "application data 250 bytes", "tls13: application data");
	tap_ok(in.version == TLS_V13 && in.cipher == 0x1302 &&
	    in.client_dir == 0 && strcmp(in.sni, "example.com") == 0 &&
	    !in.hrr, "tls13: the connection's info");
	tap_ok(lg.bad_text == 0, "tls13: every name and detail printable");
	run_vec(0, 1, 0, -1, -1, &again);
	tap_is_str(again.s, lg.s, "tls13: the same, in 1-byte segments");
	run_vec(0, 7, 1, -1, -1, &again);
	tap_is_str(again.s, lg.s, "tls13: the same, every segment resent "
	    "whole and half, in 7-byte pieces");
	in = run_vec(1, 65536, 0, -1, -1, &lg);
	want_line(&lg, "HelloRetryRequest TLS1.3 TLS_AES_256_GCM_SHA384 "
	    "group=x25519", "tls13-hrr: HelloRetryRequest by its random");
	want_line(&lg, "ClientHello SNI=hrr.example versions=TLS1.3 "
	    "groups=x25519 suites=4 sid=32",
	    "tls13-hrr: the second ClientHello, after ChangeCipherSpec");
	tap_ok(in.hrr && in.version == TLS_V13, "tls13-hrr: info says hrr");
}

static void
test_tls12(void)
{
	static struct log lg, again;
	struct tls_info	 in;

	in = run_vec(2, 65536, 0, -1, -1, &lg);
	want_line(&lg, "ClientHello SNI=example.com ALPN=h2,http/1.1 "
	    "version=TLS1.2 suites=2 sid=0", "tls12: ClientHello");
	want_line(&lg, "ServerHello TLS1.2 "
	    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 ALPN=http/1.1",
	    "tls12: ServerHello with ALPN");
	want_line(&lg, "Certificate 1 certificate: 1297 bytes; subject "
	    "CN=example.com (self-signed)", "tls12: Certificate");
	want_line(&lg, "ServerKeyExchange ECDHE x25519, public key 32 bytes",
	    "tls12: ServerKeyExchange");
	want_line(&lg, "ServerHelloDone", "tls12: ServerHelloDone");
	want_line(&lg, "ClientKeyExchange 33 bytes", "tls12: ClientKeyExchange");
	want_line(&lg, "encrypted handshake 40 bytes (Finished)",
	    "tls12: Finished, encrypted");
	want_line(&lg, "NewSessionTicket lifetime 7200 s, ticket 176 bytes",
	    "tls12: NewSessionTicket");
	want_line(&lg, "encrypted alert 26 bytes", "tls12: encrypted alert");
	tap_ok(in.version == TLS_V12 && in.cipher == 0xc02f &&
	    strcmp(in.alpn, "http/1.1") == 0, "tls12: info");
	run_vec(2, 3, 1, -1, -1, &again);
	tap_is_str(again.s, lg.s, "tls12: the same in 3-byte pieces, resent");
	run_vec(3, 65536, 0, -1, -1, &lg);
	want_line(&lg, "ServerHello TLS1.2 TLS_RSA_WITH_AES_256_CBC_SHA256",
	    "tls12-rsa: ServerHello");
	want_line(&lg, "ClientKeyExchange 514 bytes",
	    "tls12-rsa: RSA ClientKeyExchange");
}

/* The second connection of a capture, resuming the first one's session. */
static void
test_resumed(void)
{
	static struct log lg;
	struct tls_info	 in;

	in = run_vec(4, 65536, 0, -1, -1, &lg);
	want_line(&lg, "ServerHello TLS1.3 TLS_AES_256_GCM_SHA384 group=x25519 "
	    "resumed", "tls13-resume: ServerHello with pre_shared_key");
	tap_ok(in.resumed, "tls13-resume: info says resumed");
	in = run_vec(5, 65536, 0, -1, -1, &lg);
	want_line(&lg, "ServerHello TLS1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 "
	    "resumed", "tls12-resume: the session id echoed");
	tap_ok(in.resumed && strstr(lg.s, "Certificate") == NULL,
	    "tls12-resume: info says resumed, no Certificate");
	in = run_vec(2, 65536, 0, -1, -1, &lg);
	tap_ok(!in.resumed, "tls12: a full handshake is not resumed");
}

/* A lost segment and a reordering: that direction stops, once. */
static void
test_gaps(void)
{
	static struct log lg;
	int		 stops = 0;
	char		*p;

	run_vec(0, 65536, 0, 2, -1, &lg);	/* a server segment lost */
	for (p = lg.s; (p = strstr(p, "cannot follow")) != NULL; p++)
		stops++;
	tap_ok(stops == 1 && strstr(lg.s, "bytes missing (a gap, or out of "
	    "order) !truncated") != NULL, "a lost segment: cannot follow, once");
	want_line(&lg, "ChangeCipherSpec", "a lost server segment: the "
	    "client's direction goes on");
	run_vec(2, 65536, 0, -1, 1, &lg);	/* two segments swapped */
	tap_ok(strstr(lg.s, "cannot follow") != NULL,
	    "segments out of order: cannot follow");
}

/* A tiny writer of TLS structures: vectors with their lengths. */
struct w {
	uint8_t		 b[70000];
	size_t		 n;
	size_t		 at[8];
	int		 lb[8], sp;
};

static void
w8(struct w *w, unsigned v)
{
	w->b[w->n++] = (uint8_t)v;
}

static void
w16(struct w *w, unsigned v)
{
	w8(w, v >> 8);
	w8(w, v & 0xff);
}

static void
wbytes(struct w *w, const void *p, size_t n)
{
	memcpy(w->b + w->n, p, n);
	w->n += n;
}

/* Open a vector with an lb-byte length; wclose() fills it in. */
static void
wopen(struct w *w, int lb)
{
	w->at[w->sp] = w->n;
	w->lb[w->sp++] = lb;
	w->n += (size_t)lb;
}

static void
wclose(struct w *w)
{
	size_t	 at = w->at[--w->sp], len = w->n - at - (size_t)w->lb[w->sp];
	int	 i;

	for (i = w->lb[w->sp] - 1; i >= 0; i--, len >>= 8)
		w->b[at + (size_t)i] = (uint8_t)len;
}

/* A ClientHello message with SNI and ALPN, and pad bytes of padding. */
static void
client_hello(struct w *w, const char *sni, size_t pad)
{
	uint8_t	 zero[32] = { 0 };

	w8(w, 1);
	wopen(w, 3);
	w16(w, 0x0303);
	wbytes(w, zero, 32);
	w8(w, 0);				/* session id */
	wopen(w, 2); w16(w, 0x1301); w16(w, 0x1302); wclose(w);
	w8(w, 1); w8(w, 0);			/* compression */
	wopen(w, 2);
	w16(w, 0); wopen(w, 2); wopen(w, 2); w8(w, 0); wopen(w, 2);
	wbytes(w, sni, strlen(sni)); wclose(w); wclose(w); wclose(w);
	w16(w, 16); wopen(w, 2); wopen(w, 2); wopen(w, 1); wbytes(w, "h2", 2);
	wclose(w); wclose(w); wclose(w);
	w16(w, 43); wopen(w, 2); wopen(w, 1); w16(w, 0x0304); w16(w, 0x0303);
	wclose(w); wclose(w);
	w16(w, 51); wopen(w, 2); wopen(w, 2); w16(w, 0x001d); wopen(w, 2);
	wbytes(w, zero, 32); wclose(w); wclose(w); wclose(w);
	if (pad > 0) {
		w16(w, 21); wopen(w, 2);
		while (pad-- > 0)
			w8(w, 0);
		wclose(w);
	}
	wclose(w);
	wclose(w);
}

/* The bytes of w as records of type, at most max bytes each, into out. */
static void
records(struct w *out, int type, const struct w *w, size_t max)
{
	size_t	 k, c;

	for (k = 0; k < w->n || (k == 0 && w->n == 0); k += c) {
		c = w->n - k < max ? w->n - k : max;
		w8(out, (unsigned)type);
		w16(out, 0x0303);
		w16(out, (unsigned)c);
		wbytes(out, w->b + k, c);
		if (c == 0)
			break;
	}
}

/* Feed s whole (or in pieces of split bytes) as direction 0 from 0. */
static void
feed(struct tls *t, const struct w *s, size_t split, struct log *lg)
{
	size_t	 k, c;

	for (k = 0; k < s->n; k += c) {
		c = s->n - k < split ? s->n - k : split;
		tls_segment(t, 0, (uint32_t)k, s->b + k, c, log_event, lg);
	}
}

/* A 16 KiB ClientHello over two records in 1000-byte segments. */
static void
test_big_hello(void)
{
	static struct w	 m, s;
	static struct log lg;
	struct tls	*t = tls_new(0);

	log_init(&lg, t);
	m.n = s.n = 0;
	client_hello(&m, "big.example", 16500);
	records(&s, TLS_CT_HANDSHAKE, &m, 16384);
	feed(t, &s, 1000, &lg);
	tap_ok(m.n > 16384 && strstr(lg.s, "ClientHello SNI=big.example "
	    "ALPN=h2 versions=TLS1.3,TLS1.2 groups=x25519 suites=2 sid=0\n") !=
	    NULL, "a 16 KiB ClientHello over two records is read");
	want_line(&lg, "Handshake 16384 bytes", "... its first record full");
	tap_ok(lg.max_buf <= tls_bound(t) && tls_bound(t) < 100000,
	    "buffered bytes within the bound");
	tls_free(t);
}

/* Lengths that lie: a record, a message, nested vectors. */
static void
test_lengths(void)
{
	static struct w	 m, s;
	static struct log lg;
	struct tls	*t = tls_new(0);
	static const uint8_t huge[] = { 22, 3, 3, 0xff, 0xff, 1, 2, 3 };
	static const uint8_t msg24[] = { 22, 3, 3, 0, 8, 1, 0xff, 0xff, 0xff,
	    1, 2, 3, 4 };

	log_init(&lg, t);
	tls_segment(t, 0, 0, huge, sizeof huge, log_event, &lg);
	want_line(&lg, "cannot follow record longer than 2^14+2048 bytes "
	    "(RFC 5246 6.2.3) !invalid", "a record length of 65535: refused");
	tap_ok(tls_buffered(t, 0) == 0, "... and nothing kept");
	tls_free(t);
	t = tls_new(0);
	log_init(&lg, t);
	tls_segment(t, 0, 0, msg24, sizeof msg24, log_event, &lg);
	m.n = s.n = 0;
	client_hello(&m, "after.example", 0);
	records(&s, TLS_CT_HANDSHAKE, &m, 16384);
	tls_segment(t, 0, sizeof msg24, s.b, s.n, log_event, &lg);
	want_line(&lg, "ClientHello 16777215 bytes, longer than the 65536 "
	    "read !unsupported", "a 2^24 message length: named, not kept");
	tap_ok(tls_buffered(t, 0) < 20000, "... nothing of that size kept");
	tap_ok(strstr(lg.s, "after.example") == NULL,
	    "... and the bytes after it skipped as its body");
	tls_finish(t, log_event, &lg);
	tls_free(t);
}

/*
 * A ClientHello whose byte at off is changed to v (a length inside it):
 * the message is invalid with why, and the next record still read.
 */
static void
nested(size_t off, uint8_t v, const char *why, const char *what)
{
	static struct w	 m, s;
	static struct log lg;
	struct tls	*t = tls_new(0);
	char		 line[200];
	static const uint8_t alert[] = { 21, 3, 3, 0, 2, 1, 0 };

	log_init(&lg, t);
	m.n = s.n = 0;
	client_hello(&m, "n.example", 0);
	m.b[off] = v;
	records(&s, TLS_CT_HANDSHAKE, &m, 16384);
	wbytes(&s, alert, sizeof alert);
	feed(t, &s, 5, &lg);
	snprintf(line, sizeof line, "ClientHello %s !invalid", why);
	tap_ok(has_line(&lg, line) && has_line(&lg, "Alert warning "
	    "close_notify"), what);
	if (!has_line(&lg, line))
		printf("#   want '%s' in:\n%s", line, lg.s);
	tls_free(t);
}

static void
test_nested(void)
{
	/* Offsets in client_hello(): 4 header, 2 version, 32 random. */
	nested(4 + 34, 33, "bad session id length",
	    "a session id of 33 bytes");
	nested(4 + 35, 0x7f, "cipher suites or compression past the message",
	    "cipher suites longer than the message");
	nested(4 + 43, 0xff, "extensions length disagrees with the message",
	    "extensions longer than the message");
	nested(4 + 47, 0xff, "extension longer than the extensions",
	    "an extension longer than the extensions");
	nested(4 + 49, 0x30, "extension content disagrees with its length",
	    "the SNI list longer than its extension");
	nested(4 + 52, 0x30, "extension content disagrees with its length",
	    "a host name longer than the SNI list");
}

/* Garbage, zero lengths, alerts, heartbeats, an SSL 2.0 hello. */
static void
test_hostile(void)
{
	static struct log lg;
	struct tls	*t;
	static const uint8_t get[] = "GET / HTTP/1.1\r\n";
	static const uint8_t zero[] = { 23, 3, 3, 0, 0, 22, 3, 3, 0, 0,
	    21, 3, 3, 0, 2, 2, 40, 21, 3, 3, 0, 3, 2, 40, 0,
	    24, 3, 3, 0, 19, 1, 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0 };
	static const uint8_t v2[] = { 0x80, 0x2e, 1, 3, 1 };
	static const uint8_t cut[] = { 22, 3, 3, 0, 100, 1, 0, 0 };

	t = tls_new(0);
	log_init(&lg, t);
	tls_segment(t, 0, 1, get, sizeof get - 1, log_event, &lg);
	want_line(&lg, "cannot follow not a TLS record: 'GET /' !invalid",
	    "garbage after the TCP handshake: not TLS, quoted");
	tap_ok(tls_segment(t, 0, 17, get, 4, log_event, &lg) == -1 &&
	    lg.n == 1, "... and that direction stays stopped");
	tls_free(t);
	t = tls_new(0);
	log_init(&lg, t);
	tls_segment(t, 0, 0, zero, sizeof zero, log_event, &lg);
	want_line(&lg, "application data 0 bytes", "zero-length application data");
	want_line(&lg, "Handshake 0 bytes: an empty handshake record !invalid",
	    "zero-length handshake record: invalid, and read on");
	want_line(&lg, "Alert fatal handshake_failure", "a cleartext alert");
	want_line(&lg, "Alert alert of 3 bytes !invalid", "an alert of 3 bytes");
	want_line(&lg, "Heartbeat request, payload 16384 bytes, past the record "
	    "of 19 !invalid", "a heartbeat claiming more than it holds");
	tls_free(t);
	t = tls_new(0);
	log_init(&lg, t);
	tls_segment(t, 0, 0, v2, sizeof v2, log_event, &lg);
	want_line(&lg, "cannot follow an SSL 2.0 ClientHello !unsupported",
	    "an SSL 2.0 ClientHello");
	tls_free(t);
	t = tls_new(0);
	log_init(&lg, t);
	tls_segment(t, 0, 0, cut, sizeof cut, log_event, &lg);
	tls_segment(t, 1, 0, cut, 3, log_event, &lg);
	tls_finish(t, log_event, &lg);
	want_line(&lg, "Handshake cut short: 3 of 100 bytes !truncated",
	    "a record cut short at the end");
	want_line(&lg, "record cut short: header 3 of 5 bytes !truncated",
	    "a record header cut short at the end");
	tls_free(t);
}

/* A TLS 1.3 ServerHello (x25519, TLS_AES_128_GCM_SHA256) message. */
static void
server_hello13(struct w *w)
{
	uint8_t	 zero[32] = { 0 };

	w8(w, 2);
	wopen(w, 3);
	w16(w, 0x0303);
	wbytes(w, zero, 32);
	w8(w, 0);
	w16(w, 0x1301);
	w8(w, 0);
	wopen(w, 2);
	w16(w, 43); wopen(w, 2); w16(w, 0x0304); wclose(w);
	w16(w, 51); wopen(w, 2); w16(w, 0x001d); wopen(w, 2);
	wbytes(w, zero, 32); wclose(w); wclose(w);
	wclose(w);
	wclose(w);
}

/* EncryptedExtensions with ALPN h2 and a close_notify, "decrypted". */
static void
test_decrypt(void)
{
	static struct w	 m, s, ee;
	static struct log lg;
	struct tls	*t = tls_new(0);
	static const uint8_t close_notify[] = { 1, 0, TLS_CT_ALERT };

	log_init(&lg, t);
	m.n = s.n = ee.n = 0;
	server_hello13(&m);
	records(&s, TLS_CT_HANDSHAKE, &m, 16384);
	w8(&ee, 8); wopen(&ee, 3); wopen(&ee, 2);
	w16(&ee, 16); wopen(&ee, 2); wopen(&ee, 2); wopen(&ee, 1);
	wbytes(&ee, "h2", 2); wclose(&ee); wclose(&ee); wclose(&ee);
	wclose(&ee); wclose(&ee);
	w8(&ee, TLS_CT_HANDSHAKE);		/* the inner type */
	records(&s, TLS_CT_APPDATA, &ee, 16384);
	w8(&s, TLS_CT_APPDATA); w16(&s, 0x0303); w16(&s, 3);
	wbytes(&s, close_notify, 3);
	tls_set_decrypt(t, tlsvec_identity_decrypt, NULL);
	tls_segment(t, 1, 0, s.b, s.n, log_event, &lg);
	want_line(&lg, "EncryptedExtensions 1 extension ALPN=h2",
	    "decrypted EncryptedExtensions read, through the decrypt hook");
	want_line(&lg, "Alert warning close_notify", "decrypted close_notify");
	tap_ok(strcmp(tls_get_info(t)->alpn, "h2") == 0 &&
	    tls_get_info(t)->close_notify_dir == 1 &&
	    tls_get_info(t)->version == TLS_V13, "info: ALPN, close_notify");
	tls_free(t);
	t = tls_new(0);
	log_init(&lg, t);
	tls_segment(t, 1, 0, s.b, m.n + 5, log_event, &lg);
	tls_segment(t, 1, (uint32_t)m.n + 5, s.b + m.n + 5, ee.n + 5,
	    log_event, &lg);
	want_line(&lg, "encrypted handshake 16 bytes",
	    "without the hook: an encrypted handshake");
	tls_plaintext(t, 1, TLS_CT_HANDSHAKE, ee.b, ee.n - 1, 0, 0,
	    log_event, &lg);
	want_line(&lg, "EncryptedExtensions 1 extension ALPN=h2",
	    "plaintext pushed with tls_plaintext() read too");
	tls_free(t);
}

/* Wire bytes in names are escaped; sequence numbers wrap. */
static void
test_text_and_wrap(void)
{
	static struct w	 m, s;
	static struct log lg;
	struct tls	*t = tls_new(0);
	size_t		 k;

	log_init(&lg, t);
	m.n = s.n = 0;
	client_hello(&m, "a\x01\\b\xff", 0);
	records(&s, TLS_CT_HANDSHAKE, &m, 16384);
	tls_start(t, 0, 0xfffffff0u);
	for (k = 0; k < s.n; k += 10)
		tls_segment(t, 0, 0xfffffff0u + (uint32_t)k, s.b + k,
		    s.n - k < 10 ? s.n - k : 10, log_event, &lg);
	tap_ok(strstr(lg.s, "ClientHello SNI=a\\x01\\x5cb\\xff ALPN=h2") !=
	    NULL && lg.bad_text == 0, "an SNI with control bytes, escaped; "
	    "read across the sequence number wrap");
	tls_free(t);
}

int
main(void)
{
	int	 i, have = 1;

	for (i = 0; i < NVEC; i++)
		if (load_vec(i) == -1)
			have = 0;
	if (have) {
		test_tls13();
		test_tls12();
		test_gaps();
		test_resumed();
	} else
		tap_skip("tests/fuzz/tls vectors not found ($srcdir)");
	test_big_hello();
	test_lengths();
	test_nested();
	test_hostile();
	test_decrypt();
	test_text_and_wrap();
	return tap_done();
}
