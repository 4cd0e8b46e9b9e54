/*
 * tlsmsg.c: the handshake messages of TLS 1.2 and 1.3 (RFC 8446 4, RFC
 * 5246 7.4) into an event's name and details, and the hellos into a
 * struct tls_hello.  Every byte is read through the tc_ cursor; a length
 * that runs past the vector holding it makes the message "invalid", and
 * the reader says which field.  Nothing here keeps state: tlsdecode.c
 * reassembles the messages and calls tls_msg_read() on whole ones.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tlsmsg.h"

/* RFC 8446 4.1.3: the random of a HelloRetryRequest, SHA-256 of its name. */
static const uint8_t hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
	0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
	0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

#define EXT_SERVER_NAME		0
#define EXT_ALPN		16
#define EXT_PRE_SHARED_KEY	41
#define EXT_SUPPORTED_VERSIONS	43
#define EXT_KEY_SHARE		51

/* n (1 to 4) bytes at c as a big-endian number into *v; 0 or -1. */
static int
tc_be(struct tcur *c, size_t n, uint32_t *v)
{
	size_t	 i;

	if (c->len - c->off < n)
		return -1;
	for (*v = 0, i = 0; i < n; i++)
		*v = *v << 8 | c->p[c->off++];
	return 0;
}

int
tc_u8(struct tcur *c, uint8_t *v)
{
	if (c->len - c->off < 1)
		return -1;
	*v = c->p[c->off++];
	return 0;
}

int
tc_u16(struct tcur *c, uint16_t *v)
{
	uint32_t	 n;

	if (tc_be(c, 2, &n) == -1)
		return -1;
	*v = (uint16_t)n;
	return 0;
}

int
tc_u24(struct tcur *c, uint32_t *v)
{
	return tc_be(c, 3, v);
}

int
tc_u32(struct tcur *c, uint32_t *v)
{
	return tc_be(c, 4, v);
}

int
tc_skip(struct tcur *c, size_t n)
{
	if (c->len - c->off < n)
		return -1;
	c->off += n;
	return 0;
}

size_t
tc_left(const struct tcur *c)
{
	return c->len - c->off;
}

int
tc_sub(struct tcur *c, size_t n, struct tcur *sub)
{
	if (c->len - c->off < n)
		return -1;
	sub->p = c->p + c->off;
	sub->len = n;
	sub->off = 0;
	c->off += n;
	return 0;
}

int
tc_vec(struct tcur *c, int lenbytes, struct tcur *sub)
{
	struct tcur	 save = *c;
	uint32_t	 n;

	if (tc_be(c, (size_t)lenbytes, &n) == -1 || tc_sub(c, n, sub) == -1) {
		*c = save;
		return -1;
	}
	return 0;
}

/*
 * The next entry of list, a code of codebytes bytes and then a vector
 * with a 2-byte length (a ServerName, RFC 6066 3; a KeyShareEntry and an
 * Extension, RFC 8446 4.2.8 and 4.2), into *code and val.  Returns 1, 0
 * at the end of list, or -1 when the entry runs past it.
 */
static int
tc_entry(struct tcur *list, size_t codebytes, uint32_t *code,
    struct tcur *val)
{
	if (tc_left(list) == 0)
		return 0;
	if (tc_be(list, codebytes, code) == -1 || tc_vec(list, 2, val) == -1)
		return -1;
	return 1;
}

void
tt_init(struct ttext *t, char *s, size_t size)
{
	t->s = s;
	t->size = size;
	t->len = 0;
	if (size > 0)
		s[0] = '\0';
}

/* Mark text cut at the end of its buffer with "...". */
static void
tt_cut(struct ttext *t)
{
	t->len = t->size - 1;
	if (t->size >= 4)
		memcpy(t->s + t->size - 4, "...", 4);
}

/* Append printf-style text made of our own strings (never wire bytes). */
void
tt_add(struct ttext *t, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (t->size == 0 || t->len >= t->size - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->s + t->len, t->size - t->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		t->s[t->len] = '\0';
	else if ((size_t)n >= t->size - t->len)
		tt_cut(t);
	else
		t->len += (size_t)n;
}

/* Append bytes from the wire: printable ASCII as is, the rest as \xNN. */
void
tt_wire(struct ttext *t, const uint8_t *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && t->len < t->size - 1; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
			tt_add(t, "%c", p[i]);
		else
			tt_add(t, "\\x%02x", p[i]);
	}
}

/* Append a registry name, or the number when it has none. */
void
tt_name(struct ttext *t, const char *name, uint16_t v)
{
	if (name != NULL)
		tt_add(t, "%s", name);
	else
		tt_add(t, "0x%04x", v);
}

/* The SNI of a server_name extension (RFC 6066 3): the first host_name. */
static int
ext_sni(struct tcur *e, struct tls_hello *h)
{
	struct tcur	 list, name;
	struct ttext	 t;
	uint32_t	 type;
	int		 r;

	if (tc_vec(e, 2, &list) == -1)
		return -1;
	while ((r = tc_entry(&list, 1, &type, &name)) == 1)
		if (type == 0 && h->sni[0] == '\0') {
			tt_init(&t, h->sni, sizeof h->sni);
			tt_wire(&t, name.p, name.len);
		}
	return r;
}

/* The protocols of an ALPN extension (RFC 7301 3.1), comma-separated. */
static int
ext_alpn(struct tcur *e, struct tls_hello *h)
{
	struct tcur	 list, proto;
	struct ttext	 t;

	if (tc_vec(e, 2, &list) == -1)
		return -1;
	tt_init(&t, h->alpn, sizeof h->alpn);
	while (tc_left(&list) > 0) {
		if (tc_vec(&list, 1, &proto) == -1 || proto.len == 0)
			return -1;
		tt_add(&t, "%s", t.len > 0 ? "," : "");
		tt_wire(&t, proto.p, proto.len);
	}
	return 0;
}

/* A ClientHello's supported_versions (RFC 8446 4.2.1). */
static int
ext_versions(struct tcur *e, struct tls_hello *h)
{
	struct tcur	 list;
	uint16_t	 v;

	if (tc_vec(e, 1, &list) == -1 || list.len % 2 != 0)
		return -1;
	while (tc_u16(&list, &v) == 0)
		if (h->nversions < TLS_MAX_LIST)
			h->versions[h->nversions++] = v;
	return 0;
}

/* A ClientHello's key_share (RFC 8446 4.2.8): the groups offered. */
static int
ext_key_share(struct tcur *e, struct tls_hello *h)
{
	struct tcur	 list, key;
	uint32_t	 g;
	int		 r;

	if (tc_vec(e, 2, &list) == -1)
		return -1;
	while ((r = tc_entry(&list, 2, &g, &key)) == 1)
		if (h->ngroups < TLS_MAX_LIST)
			h->groups[h->ngroups++] = (uint16_t)g;
	return r;
}

/*
 * One extension of a hello (server: of a ServerHello or HRR) in e, which
 * it must fill exactly.  Returns 0, or -1 when its lengths disagree.
 */
static int
hello_ext(uint16_t type, struct tcur *e, int server, struct tls_hello *h)
{
	struct tcur	 key;
	int		 r = 0;

	switch (type) {
	case EXT_SERVER_NAME:
		if (!server)		/* the server's is empty */
			r = ext_sni(e, h);
		break;
	case EXT_ALPN:
		r = ext_alpn(e, h);
		break;
	case EXT_SUPPORTED_VERSIONS:
		r = server ? tc_u16(e, &h->version) : ext_versions(e, h);
		break;
	case EXT_PRE_SHARED_KEY:
		h->psk = (uint8_t)server;
		e->off = e->len;	/* identities and binders not read */
		break;
	case EXT_KEY_SHARE:
		if (!server)
			r = ext_key_share(e, h);
		else if ((r = tc_u16(e, &h->group)) == 0 && !h->hrr)
			r = tc_vec(e, 2, &key);
		break;
	default:
		e->off = e->len;	/* not read */
	}
	return r == -1 || tc_left(e) != 0 ? -1 : 0;
}

/* The extensions block ending a hello.  Returns 0 or -1 with *why. */
static int
hello_exts(struct tcur *c, int server, struct tls_hello *h,
    const char **why)
{
	struct tcur	 all, e;
	uint32_t	 type;
	int		 r;

	if (tc_left(c) == 0)
		return 0;		/* RFC 5246 7.4.1.2: may be absent */
	if (tc_vec(c, 2, &all) == -1 || tc_left(c) != 0) {
		*why = "extensions length disagrees with the message";
		return -1;
	}
	while ((r = tc_entry(&all, 2, &type, &e)) == 1) {
		h->nexts++;
		if (hello_ext((uint16_t)type, &e, server, h) == -1) {
			*why = "extension content disagrees with its length";
			return -1;
		}
	}
	if (r == -1)
		*why = "extension longer than the extensions";
	return r;
}

/* ClientHello, RFC 8446 4.1.2.  Returns 0 or -1 with *why. */
static int
read_client_hello(struct tcur *c, struct tls_hello *h, const char **why)
{
	struct tcur	 sid, suites, comp;

	*why = "fixed fields past the message";
	if (tc_u16(c, &h->legacy_version) == -1 || tc_left(c) < 32)
		return -1;
	memcpy(h->random, c->p + c->off, 32);
	c->off += 32;
	if (tc_vec(c, 1, &sid) == -1 || sid.len > 32) {
		*why = "bad session id length";
		return -1;
	}
	h->sid_len = (uint8_t)sid.len;
	memcpy(h->sid, sid.p, sid.len);
	if (tc_vec(c, 2, &suites) == -1 || suites.len % 2 != 0 ||
	    tc_vec(c, 1, &comp) == -1) {
		*why = "cipher suites or compression past the message";
		return -1;
	}
	h->nsuites = (uint16_t)(suites.len / 2);
	return hello_exts(c, 0, h, why);
}

/* ServerHello or HelloRetryRequest, RFC 8446 4.1.3.  Same contract. */
static int
read_server_hello(struct tcur *c, struct tls_hello *h, const char **why)
{
	struct tcur	 sid;
	uint8_t		 comp;

	*why = "fixed fields past the message";
	if (tc_u16(c, &h->legacy_version) == -1 || tc_left(c) < 32)
		return -1;
	memcpy(h->random, c->p + c->off, 32);
	c->off += 32;
	h->hrr = memcmp(h->random, hrr_random, 32) == 0;
	if (tc_vec(c, 1, &sid) == -1 || sid.len > 32) {
		*why = "bad session id length";
		return -1;
	}
	h->sid_len = (uint8_t)sid.len;
	memcpy(h->sid, sid.p, sid.len);
	if (tc_u16(c, &h->cipher) == -1 || tc_u8(c, &comp) == -1)
		return -1;
	h->version = h->legacy_version;
	return hello_exts(c, 1, h, why);
}

/* A space between items of text. */
static void
tt_sep(struct ttext *t)
{
	if (t->len > 0)
		tt_add(t, " ");
}

/* The versions (GREASE left out) and groups of a ClientHello, as text. */
static void
text_lists(struct ttext *t, const struct tls_hello *h)
{
	const char	*sep = "versions=", *name;
	int		 i;

	tt_sep(t);
	for (i = 0; i < h->nversions; i++) {
		if ((name = tls_version_name(h->versions[i])) != NULL &&
		    strcmp(name, "GREASE") == 0)
			continue;
		tt_add(t, "%s", sep);
		tt_name(t, name, h->versions[i]);
		sep = ",";
	}
	if (h->nversions == 0) {
		tt_add(t, "version=");
		tt_name(t, tls_version_name(h->legacy_version),
		    h->legacy_version);
	}
	for (sep = " groups=", i = 0; i < h->ngroups; i++) {
		tt_add(t, "%s", sep);
		tt_name(t, tls_group_name(h->groups[i]), h->groups[i]);
		sep = ",";
	}
}

/* "SNI=... ALPN=... versions=... groups=... suites=N sid=N" */
static void
text_client_hello(struct ttext *t, const struct tls_hello *h)
{
	if (h->sni[0] != '\0')
		tt_add(t, "SNI=%s", h->sni);
	if (h->alpn[0] != '\0') {
		tt_sep(t);
		tt_add(t, "ALPN=%s", h->alpn);
	}
	text_lists(t, h);
	tt_add(t, " suites=%u sid=%u", h->nsuites, h->sid_len);
}

/* "TLS1.3 TLS_AES_256_GCM_SHA384 group=x25519 ALPN=h2" */
static void
text_server_hello(struct ttext *t, const struct tls_hello *h)
{
	tt_name(t, tls_version_name(h->version), h->version);
	tt_add(t, " ");
	tt_name(t, tls_cipher_name(h->cipher), h->cipher);
	if (h->group != 0) {
		tt_add(t, " group=");
		tt_name(t, tls_group_name(h->group), h->group);
	}
	if (h->alpn[0] != '\0')
		tt_add(t, " ALPN=%s", h->alpn);
}

/*
 * The hellos: h filled, ev named and described.  Returns the result.
 */
static enum decode_result
read_hello(uint8_t ty, struct tcur *c, struct tls_event *ev,
    struct tls_hello *h, struct ttext *t)
{
	const char	*why = NULL;
	int		 r;

	memset(h, 0, sizeof *h);
	ev->hello = h;
	if (ty == TLS_HS_CLIENT_HELLO)
		r = read_client_hello(c, h, &why);
	else
		r = read_server_hello(c, h, &why);
	if (h->hrr)
		ev->name = "HelloRetryRequest";
	if (r == -1) {
		tt_add(t, "%s", why);
		return DECODE_INVALID;
	}
	if (ty == TLS_HS_CLIENT_HELLO)
		text_client_hello(t, h);
	else
		text_server_hello(t, h);
	return DECODE_OK;
}

/*
 * "2 certificates: 1302, 880 bytes; subject CN=a, issuer CN=b" (the
 * first one's names); TLS 1.3 entries carry extensions.
 */
static enum decode_result
read_certificate(struct tcur *c, uint16_t version, struct ttext *t)
{
	struct tcur	 ctx, list, cert, exts, first = { NULL, 0, 0 };
	unsigned	 n = 0;
	struct ttext	 lens, names;
	char		 buf[96], nbuf[TLS_DETAIL_MAX];

	tt_init(&lens, buf, sizeof buf);
	if ((version == TLS_V13 && tc_vec(c, 1, &ctx) == -1) ||
	    tc_vec(c, 3, &list) == -1 || tc_left(c) != 0) {
		tt_add(t, "certificate list disagrees with the message");
		return DECODE_INVALID;
	}
	while (tc_left(&list) > 0) {
		if (tc_vec(&list, 3, &cert) == -1 || (version == TLS_V13 &&
		    tc_vec(&list, 2, &exts) == -1)) {
			tt_add(t, "certificate longer than the list");
			return DECODE_INVALID;
		}
		if (n == 0)
			first = cert;
		tt_add(&lens, "%s%zu", n++ > 0 ? ", " : "", cert.len);
	}
	tt_add(t, "%u certificate%s%s%s", n, n == 1 ? "" : "s",
	    n > 0 ? ": " : "", buf);
	if (n > 0)
		tt_add(t, " bytes");
	tt_init(&names, nbuf, sizeof nbuf);
	if (n > 0 && tls_cert_names(first, &names) == 0)
		tt_add(t, "; %s", nbuf);
	return DECODE_OK;
}

/* ECDHE (RFC 8422 5.4) or DHE (RFC 5246 7.4.3) parameters, or a size. */
static enum decode_result
read_server_kex(struct tcur *c, struct ttext *t)
{
	struct tcur	 d = *c, pt, p, g, y;
	uint16_t	 group;
	uint8_t		 curve_type;

	if (tc_u8(&d, &curve_type) == 0 && curve_type == 3 &&
	    tc_u16(&d, &group) == 0 && tc_vec(&d, 1, &pt) == 0) {
		tt_add(t, "ECDHE ");
		tt_name(t, tls_group_name(group), group);
		tt_add(t, ", public key %zu bytes", pt.len);
		return DECODE_OK;
	}
	d = *c;
	if (tc_vec(&d, 2, &p) == 0 && tc_vec(&d, 2, &g) == 0 &&
	    tc_vec(&d, 2, &y) == 0 && p.len > 0) {
		tt_add(t, "DHE %zu bits", p.len * 8);
		return DECODE_OK;
	}
	tt_add(t, "%zu bytes", c->len);
	return DECODE_OK;
}

/* NewSessionTicket, RFC 8446 4.6.1 or RFC 5077 3.3. */
static enum decode_result
read_ticket(struct tcur *c, uint16_t version, struct ttext *t)
{
	struct tcur	 nonce, ticket, exts;
	uint32_t	 life, age_add;

	if (tc_u32(c, &life) == -1 || (version == TLS_V13 &&
	    (tc_u32(c, &age_add) == -1 || tc_vec(c, 1, &nonce) == -1)) ||
	    tc_vec(c, 2, &ticket) == -1 || (version == TLS_V13 &&
	    tc_vec(c, 2, &exts) == -1) || tc_left(c) != 0) {
		tt_add(t, "ticket fields disagree with the message");
		return DECODE_INVALID;
	}
	tt_add(t, "lifetime %lu s, ticket %zu bytes", (unsigned long)life,
	    ticket.len);
	return DECODE_OK;
}

/* EncryptedExtensions, RFC 8446 4.3.1: the ALPN chosen, if any. */
static enum decode_result
read_ee(struct tcur *c, struct tls_event *ev, struct tls_hello *h,
    struct ttext *t)
{
	const char	*why = NULL;

	memset(h, 0, sizeof *h);
	if (hello_exts(c, 1, h, &why) == -1) {
		tt_add(t, "%s", why);
		return DECODE_INVALID;
	}
	ev->hello = h;
	tt_add(t, "%u extension%s", h->nexts, h->nexts == 1 ? "" : "s");
	if (h->alpn[0] != '\0')
		tt_add(t, " ALPN=%s", h->alpn);
	return DECODE_OK;
}

/* CertificateVerify (RFC 8446 4.4.3) and KeyUpdate (4.6.3). */
static enum decode_result
read_small(uint8_t ty, struct tcur *c, struct ttext *t)
{
	struct tcur	 sig;
	uint16_t	 scheme;
	uint8_t		 req;

	if (ty == TLS_HS_KEY_UPDATE) {
		if (tc_u8(c, &req) == -1 || tc_left(c) != 0 || req > 1) {
			tt_add(t, "bad KeyUpdate");
			return DECODE_INVALID;
		}
		tt_add(t, "%s", req ? "update_requested" :
		    "update_not_requested");
		return DECODE_OK;
	}
	if (tc_u16(c, &scheme) == -1 || tc_vec(c, 2, &sig) == -1 ||
	    tc_left(c) != 0) {
		tt_add(t, "signature disagrees with the message");
		return DECODE_INVALID;
	}
	tt_name(t, tls_sigscheme_name(scheme), scheme);
	tt_add(t, ", signature %zu bytes", sig.len);
	return DECODE_OK;
}

void
tls_msg_read(uint8_t ty, const uint8_t *body, size_t len, uint16_t version,
    struct tls_event *ev, struct tls_hello *h)
{
	struct tcur	 c = { body, len, 0 };
	struct ttext	 t;

	tt_init(&t, ev->detail, sizeof ev->detail);
	ev->name = tls_hs_name(ty);
	ev->result = DECODE_OK;
	switch (ty) {
	case TLS_HS_CLIENT_HELLO:
	case TLS_HS_SERVER_HELLO:
		ev->result = read_hello(ty, &c, ev, h, &t);
		break;
	case TLS_HS_CERTIFICATE:
		ev->result = read_certificate(&c, version, &t);
		break;
	case TLS_HS_SERVER_KEY_EXCHANGE:
		ev->result = read_server_kex(&c, &t);
		break;
	case TLS_HS_NEW_SESSION_TICKET:
		ev->result = read_ticket(&c, version, &t);
		break;
	case TLS_HS_ENCRYPTED_EXTENSIONS:
		ev->result = read_ee(&c, ev, h, &t);
		break;
	case TLS_HS_CERTIFICATE_VERIFY:
	case TLS_HS_KEY_UPDATE:
		ev->result = read_small(ty, &c, &t);
		break;
	case TLS_HS_SERVER_HELLO_DONE:
	case 5:				/* EndOfEarlyData */
		if (len != 0) {
			tt_add(&t, "not empty");
			ev->result = DECODE_INVALID;
		}
		break;
	default:
		if (strcmp(ev->name, "handshake") == 0)
			tt_add(&t, "type %u, ", ty);
		tt_add(&t, "%zu bytes", len);
	}
}
