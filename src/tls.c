/*
 * tls.c: TLS over a connected socket with OpenSSL 3 (see tls.h).
 *
 * OpenSSL is called through SSLCALL() (sslload.h), so that it is loaded
 * only when a TLS connection is made.  The socket stays non-blocking:
 * the relay and the serve loop poll for what tls_want() says.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "relay.h"
#include "sslload.h"
#include "tls.h"
#include "util.h"

struct tls_ctx {
	SSL_CTX		*ctx;
	FILE		*keylog;
	int		 server;
	const struct tls_opts *o;
	unsigned char	 alpn[256];	/* wire format: length, name, ... */
	size_t		 alpnlen;
	char		 fingerprint[96];	/* a server's own certificate */
};

struct tls_conn {
	SSL		*ssl;
	struct tls_ctx	*tc;
	int		 fd;
	int		 want;		/* POLLIN or POLLOUT */
	int		 failed;	/* no close_notify after a fatal error */
	int		 sent_close;
	int		 truncated;	/* TCP closed without close_notify */
	int		 full;		/* the last read filled its buffer */
	size_t		 wretry;	/* an SSL_write to retry with as much */
	char		 host[256];	/* the name checked, for messages */
	char		 names[512];	/* what a mismatched certificate names */
};

static void	tls_san_names(X509 *, char *, size_t);

static void	(*keylog_hook)(const char *, void *);
static void	*keylog_arg;

void
tls_set_keylog_hook(void (*fn)(const char *, void *), void *arg)
{
	keylog_hook = fn;
	keylog_arg = arg;
}

/* OpenSSL's key log callback: the line to --keylog's file and the hook. */
static void
tls_keylog_cb(const SSL *ssl, const char *line)
{
	struct tls_ctx	*tc;

	tc = SSLCALL(SSL_CTX_get_ex_data)(SSLCALL(SSL_get_SSL_CTX)(ssl), 0);
	if (tc != NULL && tc->keylog != NULL) {
		fprintf(tc->keylog, "%s\n", line);
		fflush(tc->keylog);
	}
	if (keylog_hook != NULL)
		keylog_hook(line, keylog_arg);
}

/* What to do about OpenSSL's error e, when sockkit knows ("": nothing). */
static const char *
tls_err_hint(unsigned long e)
{
	switch (ERR_GET_REASON(e)) {
	case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
	case SSL_R_UNSUPPORTED_PROTOCOL:
	case SSL_R_NO_PROTOCOLS_AVAILABLE:
		return " (no TLS version both ends accept; --tls-min and "
		    "--tls-max choose ours)";
	case SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED:
	case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
		return " (the server wants a client certificate: --cert and "
		    "--key)";
	default:
		return "";
	}
}

/*
 * OpenSSL's first queued error as "what: reason" into err, the queue
 * emptied; a bare what when the queue was empty.  Returns -1.
 */
static int
tls_err(const char *what, char *err, size_t errlen)
{
	unsigned long	 e = SSLCALL(ERR_get_error)();
	const char	*r;
	char		 buf[256];

	if (e == 0) {
		snprintf(err, errlen, "%s", what);
		return -1;
	}
	if ((r = SSLCALL(ERR_reason_error_string)(e)) == NULL) {
		SSLCALL(ERR_error_string_n)(e, buf, sizeof buf);
		r = buf;
	}
	snprintf(err, errlen, "%s: %s%s", what, r, tls_err_hint(e));
	SSLCALL(ERR_clear_error)();
	return -1;
}

/* "1.2" or "1.3" as OpenSSL's version number, 0 for none. */
static long
tls_version(int v)
{
	return v == 12 ? TLS1_2_VERSION : v == 13 ? TLS1_3_VERSION : 0;
}

/*
 * --alpn LIST (comma-separated names) into the wire format of tc->alpn.
 * Returns 0, or -1 with err.
 */
static int
tls_alpn_wire(struct tls_ctx *tc, const char *list, char *err, size_t errlen)
{
	size_t	 n;

	tc->alpnlen = 0;
	while (*list != '\0') {
		n = strcspn(list, ",");
		if (n == 0 || n > 255 || tc->alpnlen + 1 + n > sizeof tc->alpn) {
			snprintf(err, errlen, "--alpn: a name of 1 to 255 "
			    "bytes, 255 bytes in all");
			return -1;
		}
		tc->alpn[tc->alpnlen++] = (unsigned char)n;
		memcpy(tc->alpn + tc->alpnlen, list, n);
		tc->alpnlen += n;
		list += n + (list[n] == ',');
	}
	return 0;
}

/* The server's ALPN choice: its first name the client offers too. */
static int
tls_alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen,
    const unsigned char *in, unsigned int inlen, void *arg)
{
	struct tls_ctx	*tc = arg;
	unsigned char	*sel;

	(void)ssl;
	if (SSLCALL(SSL_select_next_proto)(&sel, outlen, tc->alpn,
	    (unsigned int)tc->alpnlen, in, inlen) != OPENSSL_NPN_NEGOTIATED)
		return SSL_TLSEXT_ERR_NOACK;
	*out = sel;
	return SSL_TLSEXT_ERR_OK;
}

/* The SHA-256 fingerprint of x as AB:CD:... into buf. */
static void
tls_fingerprint(X509 *x, char *buf, size_t len)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 n = 0, i;
	size_t		 off = 0;

	buf[0] = '\0';
	if (SSLCALL(X509_digest)(x, SSLCALL(EVP_sha256)(), md, &n) != 1)
		return;
	for (i = 0; i < n && off + 4 <= len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%02X",
		    i ? ":" : "", md[i]);
}

/*
 * A self-signed certificate for CN=name, valid from an hour ago for 30
 * days, with a fresh P-256 key, both into the context.  Returns 0 or -1
 * with err.
 */
static int
tls_ephemeral(struct tls_ctx *tc, const char *name, char *err, size_t errlen)
{
	EVP_PKEY	*pk;
	X509		*x;
	X509_NAME	*n;
	int		 ok;

	pk = SSLCALL(EVP_PKEY_Q_keygen)(NULL, NULL, "EC", "P-256");
	if (pk == NULL || (x = SSLCALL(X509_new)()) == NULL) {
		SSLCALL(EVP_PKEY_free)(pk);
		return tls_err("TLS: making a key", err, errlen);
	}
	n = SSLCALL(X509_get_subject_name)(x);
	ok = SSLCALL(X509_set_version)(x, 2) &&
	    SSLCALL(ASN1_INTEGER_set)(SSLCALL(X509_get_serialNumber)(x),
	    (long)time(NULL)) &&
	    SSLCALL(X509_gmtime_adj)(SSLCALL(X509_getm_notBefore)(x),
	    -3600) != NULL &&
	    SSLCALL(X509_gmtime_adj)(SSLCALL(X509_getm_notAfter)(x),
	    30L * 86400) != NULL &&
	    SSLCALL(X509_set_pubkey)(x, pk) &&
	    SSLCALL(X509_NAME_add_entry_by_txt)(n, "CN", MBSTRING_ASC,
	    (const unsigned char *)name, -1, -1, 0) &&
	    SSLCALL(X509_set_issuer_name)(x, n) &&
	    SSLCALL(X509_sign)(x, pk, SSLCALL(EVP_sha256)()) > 0 &&
	    SSLCALL(SSL_CTX_use_certificate)(tc->ctx, x) == 1 &&
	    SSLCALL(SSL_CTX_use_PrivateKey)(tc->ctx, pk) == 1;
	if (ok)
		tls_fingerprint(x, tc->fingerprint, sizeof tc->fingerprint);
	SSLCALL(X509_free)(x);
	SSLCALL(EVP_PKEY_free)(pk);
	return ok ? 0 : tls_err("TLS: making a certificate", err, errlen);
}

/* --cert and --key (the key in the cert's file when no --key); 0 or -1. */
static int
tls_own_cert(struct tls_ctx *tc, const struct tls_opts *o, char *err,
    size_t errlen)
{
	const char	*key = o->key != NULL ? o->key : o->cert;
	char		 what[300];

	if (o->cert == NULL)
		return tc->server ? tls_ephemeral(tc, "sockkit", err, errlen) :
		    0;
	snprintf(what, sizeof what, "--cert %s", o->cert);
	if (SSLCALL(SSL_CTX_use_certificate_chain_file)(tc->ctx, o->cert) != 1)
		return tls_err(what, err, errlen);
	snprintf(what, sizeof what, "--key %s", key);
	if (SSLCALL(SSL_CTX_use_PrivateKey_file)(tc->ctx, key,
	    SSL_FILETYPE_PEM) != 1)
		return tls_err(what, err, errlen);
	if (SSLCALL(SSL_CTX_check_private_key)(tc->ctx) != 1)
		return tls_err("--key does not match --cert", err, errlen);
	return 0;
}

/*
 * OpenSSL's verify callback: keeps its verdict, and notes the names of
 * a certificate for the wrong host (the peer's certificate is gone by
 * the time the handshake has failed).
 */
static int
tls_verify_cb(int ok, X509_STORE_CTX *xs)
{
	struct tls_conn	*c;
	SSL		*ssl;
	X509		*x;

	if (ok || SSLCALL(X509_STORE_CTX_get_error)(xs) !=
	    X509_V_ERR_HOSTNAME_MISMATCH)
		return ok;
	ssl = SSLCALL(X509_STORE_CTX_get_ex_data)(xs,
	    SSLCALL(SSL_get_ex_data_X509_STORE_CTX_idx)());
	x = SSLCALL(X509_STORE_CTX_get_current_cert)(xs);
	if (ssl != NULL && x != NULL &&
	    (c = SSLCALL(SSL_get_ex_data)(ssl, 0)) != NULL) {
		tls_san_names(x, c->names, sizeof c->names);
		if (c->names[0] == '\0')
			SSLCALL(X509_NAME_oneline)(
			    SSLCALL(X509_get_subject_name)(x), c->names,
			    sizeof c->names);
	}
	return ok;
}

/*
 * Whom to trust: a client verifies the server unless --insecure, a
 * server its clients with --verify-client; against --ca-file or the
 * system's store.  Returns 0 or -1 with err.
 */
static int
tls_trust(struct tls_ctx *tc, const struct tls_opts *o, char *err,
    size_t errlen)
{
	SSL_CTX	*ctx = tc->ctx;
	char	 what[300];
	int	 verify = tc->server ? o->verify_client : !o->insecure;

	if (!verify) {
		SSLCALL(SSL_CTX_set_verify)(ctx, SSL_VERIFY_NONE, NULL);
		return 0;
	}
	SSLCALL(SSL_CTX_set_verify)(ctx, SSL_VERIFY_PEER | (tc->server ?
	    SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0), tls_verify_cb);
	if (o->ca_file == NULL) {
		if (SSLCALL(SSL_CTX_set_default_verify_paths)(ctx) != 1)
			return tls_err("TLS: the system's certificates", err,
			    errlen);
		return 0;
	}
	snprintf(what, sizeof what, "--ca-file %s", o->ca_file);
	if (SSLCALL(SSL_CTX_load_verify_locations)(ctx, o->ca_file, NULL) != 1)
		return tls_err(what, err, errlen);
	if (tc->server)
		SSLCALL(SSL_CTX_set_client_CA_list)(ctx,
		    SSLCALL(SSL_load_client_CA_file)(o->ca_file));
	return 0;
}

/* Versions, ALPN and the key log of the new context; 0 or -1 with err. */
static int
tls_settings(struct tls_ctx *tc, const struct tls_opts *o, char *err,
    size_t errlen)
{
	SSL_CTX	*ctx = tc->ctx;

	if (SSLCALL(SSL_CTX_ctrl)(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION,
	    o->min_version ? tls_version(o->min_version) : TLS1_2_VERSION,
	    NULL) != 1 || (o->max_version && SSLCALL(SSL_CTX_ctrl)(ctx,
	    SSL_CTRL_SET_MAX_PROTO_VERSION, tls_version(o->max_version),
	    NULL) != 1))
		return tls_err("TLS: setting the versions", err, errlen);
	SSLCALL(SSL_CTX_ctrl)(ctx, SSL_CTRL_MODE, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS,
	    NULL);
	if (o->alpn != NULL) {
		if (tls_alpn_wire(tc, o->alpn, err, errlen) == -1)
			return -1;
		if (tc->server)
			SSLCALL(SSL_CTX_set_alpn_select_cb)(ctx,
			    tls_alpn_select, tc);
		else if (SSLCALL(SSL_CTX_set_alpn_protos)(ctx, tc->alpn,
		    (unsigned int)tc->alpnlen) != 0)
			return tls_err("--alpn", err, errlen);
	}
	SSLCALL(SSL_CTX_set_ex_data)(ctx, 0, tc);
	if (o->keylog != NULL || keylog_hook != NULL)
		SSLCALL(SSL_CTX_set_keylog_callback)(ctx, tls_keylog_cb);
	return 0;
}

struct tls_ctx *
tls_ctx_new(const struct tls_opts *o, int server, char *err, size_t errlen)
{
	struct tls_ctx	*tc;

	if (sslload_ready(err, errlen) == -1)
		return NULL;
	if ((tc = calloc(1, sizeof *tc)) == NULL) {
		snprintf(err, errlen, "TLS: %s", strerror(errno));
		return NULL;
	}
	tc->server = server;
	tc->o = o;
	if (o->keylog != NULL && (tc->keylog = fopen(o->keylog, "a")) ==
	    NULL)
		snprintf(err, errlen, "--keylog %s: %s", o->keylog,
		    strerror(errno));
	else if ((tc->ctx = SSLCALL(SSL_CTX_new)(server ?
	    SSLCALL(TLS_server_method)() : SSLCALL(TLS_client_method)())) ==
	    NULL)
		tls_err("TLS: SSL_CTX_new", err, errlen);
	else if (tls_settings(tc, o, err, errlen) == 0 &&
	    tls_trust(tc, o, err, errlen) == 0 &&
	    tls_own_cert(tc, o, err, errlen) == 0)
		return tc;
	tls_ctx_free(tc);	/* what was made before the failure */
	return NULL;
}

void
tls_ctx_free(struct tls_ctx *tc)
{
	if (tc == NULL)
		return;
	SSLCALL(SSL_CTX_free)(tc->ctx);		/* NULL: does nothing */
	if (tc->keylog != NULL)
		fclose(tc->keylog);
	free(tc);
}

const char *
tls_ctx_fingerprint(const struct tls_ctx *tc)
{
	return tc->fingerprint;
}

/* Whether s is a numeric IPv4 or IPv6 address: no SNI for those. */
static int
tls_numeric(const char *s)
{
	return strspn(s, "0123456789.") == strlen(s) || strchr(s, ':') !=
	    NULL;
}

struct tls_conn *
tls_conn_new(struct tls_ctx *tc, int fd, const char *host, char *err,
    size_t errlen)
{
	struct tls_conn	*c;
	const char	*name = tc->o->sni != NULL ? tc->o->sni : host;

	if ((c = calloc(1, sizeof *c)) == NULL) {
		snprintf(err, errlen, "TLS: %s", strerror(errno));
		return NULL;
	}
	c->tc = tc;
	c->fd = fd;
	c->want = POLLIN;
	if ((c->ssl = SSLCALL(SSL_new)(tc->ctx)) == NULL ||
	    SSLCALL(SSL_set_fd)(c->ssl, fd) != 1 ||
	    SSLCALL(SSL_set_ex_data)(c->ssl, 0, c) != 1) {
		tls_err("TLS: SSL_new", err, errlen);
		tls_conn_free(c);
		return NULL;
	}
	if (tc->server) {
		SSLCALL(SSL_set_accept_state)(c->ssl);
		return c;
	}
	SSLCALL(SSL_set_connect_state)(c->ssl);
	snprintf(c->host, sizeof c->host, "%s", name);
	if ((!tc->o->no_sni && !tls_numeric(name) && SSLCALL(SSL_ctrl)(c->ssl,
	    SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
	    (void *)name) != 1) || (!tc->o->insecure &&
	    SSLCALL(SSL_set1_host)(c->ssl, name) != 1)) {
		tls_err("TLS: --sni", err, errlen);
		tls_conn_free(c);
		return NULL;
	}
	return c;
}

void
tls_conn_free(struct tls_conn *c)
{
	if (c == NULL)
		return;
	SSLCALL(SSL_free)(c->ssl);		/* NULL: does nothing */
	free(c);
}

int
tls_want(const struct tls_conn *c)
{
	return c->want;
}

int
tls_pending(const struct tls_conn *c)
{
	return c->full || SSLCALL(SSL_pending)(c->ssl) > 0;
}

int
tls_truncated(const struct tls_conn *c)
{
	return c->truncated;
}

int
tls_peer_closed(const struct tls_conn *c)
{
	return (SSLCALL(SSL_get_shutdown)(c->ssl) & SSL_RECEIVED_SHUTDOWN) != 0;
}

/* The DNS names of x's subjectAltName, "a, b", into buf ("" if none). */
static void
tls_san_names(X509 *x, char *buf, size_t len)
{
	GENERAL_NAMES	*gens;
	GENERAL_NAME	*g;
	size_t		 off = 0;
	int		 i, n;

	buf[0] = '\0';
	gens = SSLCALL(X509_get_ext_d2i)(x, NID_subject_alt_name, NULL, NULL);
	if (gens == NULL)
		return;
	n = SSLCALL(OPENSSL_sk_num)((const OPENSSL_STACK *)gens);
	for (i = 0; i < n && off + 8 < len; i++) {
		g = SSLCALL(OPENSSL_sk_value)((const OPENSSL_STACK *)gens, i);
		if (g->type != GEN_DNS)
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%.*s",
		    off ? ", " : "", SSLCALL(ASN1_STRING_length)(g->d.dNSName),
		    (const char *)SSLCALL(ASN1_STRING_get0_data)(
		    g->d.dNSName));
	}
	SSLCALL(GENERAL_NAMES_free)(gens);
}

/*
 * The verification's failure in words: OpenSSL's reason ("certificate
 * has expired"), and for a wrong host what the certificate names.
 */
static int
tls_verify_err(struct tls_conn *c, long v, char *err, size_t errlen)
{
	SSLCALL(ERR_clear_error)();
	if (v != X509_V_ERR_HOSTNAME_MISMATCH || c->names[0] == '\0') {
		snprintf(err, errlen, "TLS: certificate verify failed: %s%s",
		    SSLCALL(X509_verify_cert_error_string)(v), v ==
		    X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
		    v == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ?
		    " (--ca-file FILE to trust it, --insecure to not check)" :
		    "");
		return -1;
	}
	snprintf(err, errlen, "TLS: certificate verify failed: hostname "
	    "mismatch: the certificate names %s, not %s (--sni NAME checks "
	    "another name)", c->names, c->host);
	return -1;
}

/*
 * After SSL_get_error() said e: 0 for a retry (c->want set), or -1 with
 * err naming what failed.
 */
static int
tls_io_err(struct tls_conn *c, int e, const char *what, char *err,
    size_t errlen)
{
	unsigned long	 q;

	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		c->want = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
		errno = EAGAIN;
		return 0;
	}
	c->failed = 1;
	q = SSLCALL(ERR_peek_error)();
	if ((e == SSL_ERROR_SYSCALL && errno == 0 && q == 0) ||
	    (e == SSL_ERROR_SSL && ERR_GET_REASON(q) ==
	    SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
		SSLCALL(ERR_clear_error)();
		snprintf(err, errlen, "%s", what[0] == 'h' ? "TLS handshake: "
		    "the peer closed the connection" :
		    "truncated: no close_notify");
		errno = EPIPE;
		return -1;
	}
	if (e == SSL_ERROR_SYSCALL && q == 0) {
		snprintf(err, errlen, "%s: %s", what, strerror(errno));
		return -1;
	}
	errno = EPROTO;
	return tls_err(what, err, errlen);
}

int
tls_handshake(struct tls_conn *c, char *err, size_t errlen)
{
	long	 v;
	int	 r;

	errno = 0;
	if ((r = SSLCALL(SSL_do_handshake)(c->ssl)) == 1)
		return 1;
	r = SSLCALL(SSL_get_error)(c->ssl, r);
	if (r != SSL_ERROR_WANT_READ && r != SSL_ERROR_WANT_WRITE &&
	    (v = SSLCALL(SSL_get_verify_result)(c->ssl)) != X509_V_OK) {
		c->failed = 1;
		return tls_verify_err(c, v, err, errlen);
	}
	return tls_io_err(c, r, "handshake", err, errlen);
}

int
tls_handshake_wait(struct tls_conn *c, long ms, char *err, size_t errlen)
{
	struct pollfd	 pfd;
	int64_t		 end = now_ms() + ms, left;
	int		 r;

	while ((r = tls_handshake(c, err, errlen)) == 0) {
		left = ms < 0 ? -1 : end - now_ms();
		if (ms >= 0 && left <= 0) {
			snprintf(err, errlen, "TLS handshake: timed out after "
			    "%.3g s (-w)", ms / 1000.0);
			return -1;
		}
		pfd.fd = c->fd;
		pfd.events = (short)c->want;
		if (sk_poll(&pfd, 1, left > 3600000 ? 3600000 : (int)left) ==
		    -1 && errno == EINTR && sk_interrupted) {
			snprintf(err, errlen, "interrupted");
			return -1;
		}
	}
	return r == 1 ? 0 : -1;
}

ssize_t
tls_read(struct tls_conn *c, void *buf, size_t n, char *err, size_t errlen)
{
	size_t	 got = 0, k;
	int	 e;

	c->want = POLLIN;
	c->full = 0;
	while (got < n) {
		errno = 0;
		if (SSLCALL(SSL_read_ex)(c->ssl, (char *)buf + got, n - got,
		    &k) == 1) {
			got += k;
			continue;
		}
		e = SSLCALL(SSL_get_error)(c->ssl, 0);
		if (got > 0 && e != SSL_ERROR_SSL)
			break;		/* the rest, or the end, next time */
		if (e == SSL_ERROR_ZERO_RETURN)
			return 0;
		if (tls_io_err(c, e, "recv", err, errlen) == -1) {
			if (errno != EPIPE)
				return -1;
			c->truncated = 1;	/* an end all the same */
			return 0;
		}
		break;
	}
	if (got == 0) {
		errno = EAGAIN;
		return -1;
	}
	c->full = got == n;	/* whole records may wait behind it */
	return (ssize_t)got;
}

/*
 * The last record of every write holds at most TAIL_MAX bytes: ncat --ssl
 * (7.93, Debian 12's) reads 8 KiB at a time and then waits on the socket,
 * so the rest of a longer record would stay in its OpenSSL buffer until
 * more bytes came (nmap/nmap#2788), and the last bytes of a transfer
 * never arrived.  Full 16 KiB records before it keep bulk transfers at
 * their speed (8 KiB records all along cost 15%).
 */
#define TAIL_MAX	8192

/*
 * One SSL_write of n bytes: 1 with *k written; 0 with errno EAGAIN when
 * it must be retried (with at least n bytes, as OpenSSL wants); -1 with
 * err.
 */
static int
tls_write_some(struct tls_conn *c, const void *buf, size_t n, size_t *k,
    char *err, size_t errlen)
{
	errno = 0;
	if (SSLCALL(SSL_write_ex)(c->ssl, buf, n, k) == 1) {
		c->wretry = 0;
		return 1;
	}
	c->wretry = n;
	return tls_io_err(c, SSLCALL(SSL_get_error)(c->ssl, 0), "send", err,
	    errlen);
}

/*
 * One step of tls_write(): what SSL_write_ex() takes of buf at once (with
 * partial writes, a record).  Returns the bytes written, or -1 (errno
 * EAGAIN when it must wait, or err).
 */
static ssize_t
tls_write_step(struct tls_conn *c, const char *buf, size_t n, char *err,
    size_t errlen)
{
	size_t	 head = n > TAIL_MAX ? n - TAIL_MAX : n, k, t;
	int	 r;

	if (head < c->wretry)
		head = c->wretry < n ? c->wretry : n;
	if ((r = tls_write_some(c, buf, head, &k, err, errlen)) != 1)
		return -1;		/* errno EAGAIN when r is 0 */
	if (k < head || head == n)
		return (ssize_t)k;
	/* The tail; when it must wait, the next call starts with it. */
	r = tls_write_some(c, buf + head, n - head, &t, err, errlen);
	if (r == -1)
		return -1;
	return (ssize_t)(head + (r == 1 ? t : 0));
}

/*
 * Records until all of buf is written or the socket is full: a poll()
 * for every 16 KiB record was three system calls more per record.
 */
ssize_t
tls_write(struct tls_conn *c, const void *buf, size_t n, char *err,
    size_t errlen)
{
	size_t	 got = 0;
	ssize_t	 k;

	c->want = POLLOUT;
	while (got < n) {
		if ((k = tls_write_step(c, (const char *)buf + got, n - got,
		    err, errlen)) == -1) {
			if (got > 0 && errno == EAGAIN)
				break;
			return -1;
		}
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

int
tls_close_notify(struct tls_conn *c, int wait, char *err, size_t errlen)
{
	struct pollfd	 pfd = { .fd = c->fd, .events = POLLOUT };
	int		 tries, r;

	if (c->sent_close || c->failed)
		return 0;
	for (tries = 0; tries < 20; tries++) {
		errno = 0;
		if ((r = SSLCALL(SSL_shutdown)(c->ssl)) >= 0) {
			c->sent_close = 1;
			return 0;
		}
		r = SSLCALL(SSL_get_error)(c->ssl, r);
		if (tls_io_err(c, r, "close_notify", err, errlen) == -1)
			return -1;
		if (!wait || sk_poll(&pfd, 1, 100) == -1)
			break;
	}
	snprintf(err, errlen, "close_notify: the peer takes nothing");
	return -1;
}

/* ASN.1 time t as "2026-12-05 12:00:00 UTC" into buf. */
static void
tls_time(const ASN1_TIME *t, char *buf, size_t len)
{
	struct tm	 tm;

	buf[0] = '\0';
	if (t != NULL && SSLCALL(ASN1_TIME_to_tm)(t, &tm) == 1)
		strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

void
tls_conn_info(const struct tls_conn *c, struct tls_peer_info *in)
{
	const unsigned char	*alpn;
	unsigned int		 alen = 0;
	X509			*x;

	memset(in, 0, sizeof *in);
	snprintf(in->version, sizeof in->version, "%s",
	    SSLCALL(SSL_get_version)(c->ssl));
	snprintf(in->cipher, sizeof in->cipher, "%s",
	    SSLCALL(SSL_CIPHER_get_name)(SSLCALL(SSL_get_current_cipher)(
	    c->ssl)));
	SSLCALL(SSL_get0_alpn_selected)(c->ssl, &alpn, &alen);
	snprintf(in->alpn, sizeof in->alpn, "%.*s", (int)alen, alpn ?
	    (const char *)alpn : "");
	if ((x = SSLCALL(SSL_get1_peer_certificate)(c->ssl)) == NULL)
		return;
	SSLCALL(X509_NAME_oneline)(SSLCALL(X509_get_subject_name)(x),
	    in->subject, sizeof in->subject);
	SSLCALL(X509_NAME_oneline)(SSLCALL(X509_get_issuer_name)(x),
	    in->issuer, sizeof in->issuer);
	tls_time(SSLCALL(X509_get0_notBefore)(x), in->not_before,
	    sizeof in->not_before);
	tls_time(SSLCALL(X509_get0_notAfter)(x), in->not_after,
	    sizeof in->not_after);
	tls_fingerprint(x, in->fingerprint, sizeof in->fingerprint);
	SSLCALL(X509_free)(x);
}

/* The relay_xport functions over a tls_conn. */
static ssize_t
tls_x_recv(void *arg, void *buf, size_t n, char *err, size_t errlen)
{
	return tls_read(arg, buf, n, err, errlen);
}

static ssize_t
tls_x_send(void *arg, const void *buf, size_t n, char *err, size_t errlen)
{
	return tls_write(arg, buf, n, err, errlen);
}

static int
tls_x_pending(void *arg)
{
	return tls_pending(arg);
}

static int
tls_x_want(void *arg)
{
	return tls_want(arg);
}

/* Input EOF: close_notify, the reading side left open. */
static int
tls_x_shutdown(void *arg, char *err, size_t errlen)
{
	return tls_close_notify(arg, 1, err, errlen);
}

void
tls_relay_xport(struct tls_conn *c, struct relay_xport *x)
{
	x->recv = tls_x_recv;
	x->send = tls_x_send;
	x->pending = tls_x_pending;
	x->want = tls_x_want;
	x->shutdown = tls_x_shutdown;
	x->arg = c;
}
