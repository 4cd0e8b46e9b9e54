/*
 * proxy.c: the client side of SOCKS4/4a, SOCKS5 and HTTP CONNECT, as a
 * state machine over bytes (see proxy.h).  No I/O, no printing: every
 * reply byte is read through the bounds the caller's length gives.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"

/* The longest HTTP reply head we read before giving up. */
#define PROXY_HTTP_HEAD_MAX	8192

static const char *const proxy_names[] = {
	[PROXY_SOCKS4] = "socks4", [PROXY_SOCKS4A] = "socks4a",
	[PROXY_SOCKS5] = "socks5", [PROXY_HTTP] = "http",
};

int
proxy_type_parse(const char *s, enum proxy_type *type)
{
	size_t	 i;

	for (i = 0; i < sizeof proxy_names / sizeof proxy_names[0]; i++)
		if (strcmp(s, proxy_names[i]) == 0) {
			*type = (enum proxy_type)i;
			return 0;
		}
	return -1;
}

const char *
proxy_type_name(enum proxy_type type)
{
	return proxy_names[type];
}

/*
 * "HOST:PORT", "[V6]:PORT", "HOST" or a bare IPv6 address (dflt port).
 * Returns 0, or -1 with err naming what is wrong.
 */
int
proxy_parse_hostport(const char *s, uint16_t dflt, char *host,
    size_t hostlen, uint16_t *port, char *err, size_t errlen)
{
	const char	*colon, *end = s + strlen(s), *hs = s;
	char		*ep;
	unsigned long	 p;

	*port = dflt;
	if (*s == '[') {
		if ((end = strchr(s, ']')) == NULL || end == s + 1) {
			snprintf(err, errlen, "'%s': an IPv6 address in [] "
			    "needs its ']'", s);
			return -1;
		}
		hs = s + 1;
		colon = end[1] == ':' ? end + 1 : NULL;
		if (end[1] != '\0' && colon == NULL) {
			snprintf(err, errlen, "'%s': expected ':PORT' after "
			    "']'", s);
			return -1;
		}
	} else if ((colon = strrchr(s, ':')) != NULL &&
	    strchr(s, ':') != colon)
		colon = NULL;		/* a bare IPv6 address */
	else if (colon != NULL)
		end = colon;
	if (end == hs || (size_t)(end - hs) >= hostlen) {
		snprintf(err, errlen, "'%s': %s", s, end == hs ?
		    "no host before the port" : "host name too long");
		return -1;
	}
	memcpy(host, hs, end - hs);
	host[end - hs] = '\0';
	if (colon == NULL)
		return 0;
	p = strtoul(colon + 1, &ep, 10);
	if (colon[1] < '0' || colon[1] > '9' || *ep != '\0' || p < 1 ||
	    p > 65535) {
		snprintf(err, errlen, "'%s': bad port '%s' (1-65535)", s,
		    colon + 1);
		return -1;
	}
	*port = (uint16_t)p;
	return 0;
}

int
proxy_base64(const uint8_t *in, size_t len, char *out, size_t outsz)
{
	static const char	 tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t			 i, o = 0;
	uint32_t		 v;

	if (outsz < (len + 2) / 3 * 4 + 1)
		return -1;
	for (i = 0; i < len; i += 3) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = i + 1 < len ? tab[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? tab[v & 63] : '=';
	}
	out[o] = '\0';
	return 0;
}

const char *
proxy_socks5_reply_name(int rep)
{
	static const char *const names[] = {
		"succeeded", "general SOCKS server failure",
		"connection not allowed by ruleset", "network unreachable",
		"host unreachable", "connection refused", "TTL expired",
		"command not supported", "address type not supported",
	};

	if (rep >= 0 && rep < (int)(sizeof names / sizeof names[0]))
		return names[rep];
	return "unassigned reply code";
}

/* The destination's host without IPv6 brackets, into buf. */
static const char *
proxy_bare_host(const struct proxy_req *r, char *buf, size_t len)
{
	size_t	 n = strlen(r->host);

	if (n >= 2 && r->host[0] == '[' && r->host[n - 1] == ']' &&
	    n - 2 < len) {
		memcpy(buf, r->host + 1, n - 2);
		buf[n - 2] = '\0';
		return buf;
	}
	snprintf(buf, len, "%s", r->host);
	return buf;
}

/*
 * The destination as an address: the resolved bytes, else the host when
 * it is numeric.  Returns the length (4 or 16) into a, or 0 for a name.
 */
static size_t
proxy_dest_addr(const struct proxy_req *r, uint8_t a[16])
{
	char	 h[300];

	if (r->addr_len == 4 || r->addr_len == 16) {
		memcpy(a, r->addr, r->addr_len);
		return r->addr_len;
	}
	proxy_bare_host(r, h, sizeof h);
	if (inet_pton(AF_INET, h, a) == 1)
		return 4;
	if (inet_pton(AF_INET6, h, a) == 1)
		return 16;
	return 0;
}

/* The destination in words, "HOST port N" or "ADDR port N". */
static void
proxy_dest_name(const struct proxy_req *r, char *buf, size_t len)
{
	uint8_t	 a[16];
	char	 h[300];
	size_t	 n = proxy_dest_addr(r, a);

	if (n != 0)
		inet_ntop(n == 4 ? AF_INET : AF_INET6, a, h, sizeof h);
	else
		proxy_bare_host(r, h, sizeof h);
	snprintf(buf, len, "%s port %u", h, r->port);
}

/*
 * SOCKS4 CONNECT: VN 4, CD 1, DSTPORT, DSTIP, USERID, NUL; SOCKS4a puts
 * 0.0.0.1 as DSTIP and the host name after the user id's NUL.  Returns
 * the length, or 0 with err.
 */
static size_t
proxy_socks4_request(struct proxy_neg *n, uint8_t *out, size_t outsz,
    char *err, size_t errlen)
{
	const struct proxy_req *r = n->req;
	const char	*user = r->user != NULL ? r->user : "";
	uint8_t		 a[16];
	size_t		 alen = proxy_dest_addr(r, a), o = 8, ul = strlen(user);
	char		 h[300], dest[340];

	proxy_bare_host(r, h, sizeof h);
	if (alen == 16 || (alen == 0 && r->type == PROXY_SOCKS4)) {
		snprintf(err, errlen, "SOCKS4 carries only an IPv4 address, "
		    "not '%s' (socks4a or socks5 take names%s)", h,
		    alen == 16 ? "; socks5 takes IPv6" : "");
		return 0;
	}
	if (8 + ul + 1 + (alen ? 0 : strlen(h) + 1) > outsz || ul > 255) {
		snprintf(err, errlen, "SOCKS4 request too long");
		return 0;
	}
	out[0] = 4;
	out[1] = 1;
	out[2] = r->port >> 8;
	out[3] = r->port & 0xff;
	if (alen == 4)
		memcpy(out + 4, a, 4);
	else
		memcpy(out + 4, "\0\0\0\1", 4);
	memcpy(out + o, user, ul + 1);
	o += ul + 1;
	if (alen == 0) {
		memcpy(out + o, h, strlen(h) + 1);
		o += strlen(h) + 1;
	}
	proxy_dest_name(r, dest, sizeof dest);
	snprintf(n->name, sizeof n->name, "%s CONNECT %s%s%s",
	    alen ? "SOCKS4" : "SOCKS4a", dest, r->user ? " as " : "",
	    r->user ? r->user : "");
	return o;
}

/*
 * The SOCKS4 reply: VN 0, CD 90 granted, or 91-93 refused; whole
 * (proxy_reply_len()).
 */
static enum proxy_action
proxy_socks4_reply(struct proxy_neg *n, const uint8_t *in, char *err,
    size_t errlen)
{
	static const char *const why[] = {
		"request rejected or failed",
		"rejected: the proxy cannot reach our identd",
		"rejected: identd reports a different user id",
	};

	if ((in[0] != 0 && in[0] != 4) || in[1] < 90 || in[1] > 93) {
		snprintf(err, errlen, "not a SOCKS4 reply (bytes %02x %02x): "
		    "is it a SOCKS4 proxy?", in[0], in[1]);
		return PROXY_FAIL;
	}
	if (in[1] != 90) {
		snprintf(err, errlen, "the SOCKS4 proxy refused: %s "
		    "(code %d)", why[in[1] - 91], in[1]);
		return PROXY_FAIL;
	}
	snprintf(n->name, sizeof n->name, "SOCKS4 reply: request granted");
	return PROXY_GOT;
}

/* SOCKS5 greeting (RFC 1928 3): VER 5, NMETHODS, METHODS. */
static size_t
proxy_socks5_greeting(struct proxy_neg *n, uint8_t *out)
{
	int	 auth = n->req->user != NULL;

	out[0] = 5;
	out[1] = auth ? 2 : 1;
	out[2] = 0;		/* NO AUTHENTICATION REQUIRED */
	out[3] = 2;		/* USERNAME/PASSWORD */
	snprintf(n->name, sizeof n->name, "SOCKS5 greeting: methods "
	    "none%s", auth ? ", username/password" : "");
	return auth ? 4 : 3;
}

/*
 * Whether the SOCKS5 reply in starts with VER 5.  Returns 0, or -1 with
 * err, which for the first reply asks whether it is a SOCKS5 proxy.
 */
static int
proxy_socks5_version(const uint8_t *in, int first, char *err,
    size_t errlen)
{
	if (in[0] == 5)
		return 0;
	snprintf(err, errlen, "not a SOCKS5 reply (version byte %02x)%s",
	    in[0], first ? ": is it a SOCKS5 proxy?" : "");
	return -1;
}

/*
 * The method the SOCKS5 proxy chose: VER 5, METHOD (whole); sets
 * n->step.
 */
static enum proxy_action
proxy_socks5_method(struct proxy_neg *n, const uint8_t *in, char *err,
    size_t errlen)
{
	if (proxy_socks5_version(in, 1, err, errlen) == -1)
		return PROXY_FAIL;
	if (in[1] == 0xff || (in[1] == 2 && n->req->user == NULL) ||
	    (in[1] != 0 && in[1] != 2)) {
		snprintf(err, errlen, "the SOCKS5 proxy accepts none of the "
		    "methods offered (%s)%s", n->req->user ? "none, "
		    "username/password" : "none", n->req->user ? "" :
		    ": does it want --proxy-auth USER:PASS?");
		return PROXY_FAIL;
	}
	snprintf(n->name, sizeof n->name, "SOCKS5 method chosen: %s",
	    in[1] == 2 ? "username/password" : "no authentication");
	if (in[1] == 0)
		n->step += 2;	/* skip RFC 1929 */
	return PROXY_GOT;
}

/*
 * s at out as a SOCKS5 field: a length byte, then the bytes (a DST.ADDR
 * name, RFC 1928 5; UNAME and PASSWD, RFC 1929 2).  Returns the bytes
 * written, or 0 when s is longer than the 255 a length byte can say.
 */
static size_t
proxy_put_field(uint8_t *out, const char *s)
{
	size_t	 len = strlen(s);

	if (len > 255)
		return 0;
	out[0] = (uint8_t)len;
	memcpy(out + 1, s, len);
	return 1 + len;
}

/* RFC 1929: VER 1, ULEN, UNAME, PLEN, PASSWD.  0 with err: too long. */
static size_t
proxy_socks5_auth(struct proxy_neg *n, uint8_t *out, char *err,
    size_t errlen)
{
	const char	*u = n->req->user, *p = n->req->pass ? n->req->pass : "";
	size_t		 ul = 0, pl = 0;

	out[0] = 1;
	if (*u == '\0' || *p == '\0' ||
	    (ul = proxy_put_field(out + 1, u)) == 0 ||
	    (pl = proxy_put_field(out + 1 + ul, p)) == 0) {
		snprintf(err, errlen, "SOCKS5 user names and passwords are "
		    "1-255 bytes (RFC 1929)");
		return 0;
	}
	snprintf(n->name, sizeof n->name, "SOCKS5 username/password for %s "
	    "(RFC 1929)", u);
	return 1 + ul + pl;
}

/* RFC 1929's reply: VER 1, STATUS 0 success (whole). */
static enum proxy_action
proxy_socks5_auth_reply(struct proxy_neg *n, const uint8_t *in, char *err,
    size_t errlen)
{
	if (in[1] != 0) {
		snprintf(err, errlen, "the SOCKS5 proxy refused the user name "
		    "or password (RFC 1929 status %d)", in[1]);
		return PROXY_FAIL;
	}
	snprintf(n->name, sizeof n->name, "SOCKS5 authentication: success");
	return PROXY_GOT;
}

/* SOCKS5 CONNECT (RFC 1928 4): VER 5, CMD 1, RSV, ATYP, DST.ADDR, PORT. */
static size_t
proxy_socks5_connect(struct proxy_neg *n, uint8_t *out, char *err,
    size_t errlen)
{
	const struct proxy_req *r = n->req;
	uint8_t		 a[16];
	size_t		 alen = proxy_dest_addr(r, a), o = 4, hl;
	char		 h[300], dest[340];

	out[0] = 5;
	out[1] = 1;
	out[2] = 0;
	if (alen != 0) {
		out[3] = alen == 4 ? 1 : 4;
		memcpy(out + 4, a, alen);
		o += alen;
	} else {
		proxy_bare_host(r, h, sizeof h);
		out[3] = 3;
		if ((hl = proxy_put_field(out + 4, h)) == 0) {
			snprintf(err, errlen, "SOCKS5 host names are at most "
			    "255 bytes");
			return 0;
		}
		o += hl;
	}
	out[o++] = r->port >> 8;
	out[o++] = r->port & 0xff;
	proxy_dest_name(r, dest, sizeof dest);
	snprintf(n->name, sizeof n->name, "SOCKS5 CONNECT %s", dest);
	return o;
}

/*
 * The SOCKS5 reply: VER, REP, RSV, ATYP, BND.ADDR, BND.PORT.  A refusal
 * is judged from REP alone (a proxy may close before the rest).
 */
static enum proxy_action
proxy_socks5_reply(struct proxy_neg *n, const uint8_t *in, size_t inlen,
    size_t *need, char *err, size_t errlen)
{
	size_t	 total;

	if (inlen >= 2 && proxy_socks5_version(in, 0, err, errlen) == -1)
		return PROXY_FAIL;
	if (inlen >= 2 && in[1] != 0) {
		snprintf(err, errlen, "the SOCKS5 proxy refused: %s (reply "
		    "code %d)", proxy_socks5_reply_name(in[1]), in[1]);
		return PROXY_FAIL;
	}
	if (inlen >= 4 && in[3] != 1 && in[3] != 3 && in[3] != 4) {
		snprintf(err, errlen, "bad SOCKS5 reply: address type %d",
		    in[3]);
		return PROXY_FAIL;
	}
	total = inlen < 5 ? 5 : in[3] == 1 ? 10 : in[3] == 4 ? 22 :
	    (size_t)7 + in[4];
	if (inlen < total) {
		*need = total;
		return PROXY_RECV;
	}
	snprintf(n->name, sizeof n->name, "SOCKS5 reply: succeeded");
	return PROXY_GOT;
}

/* HTTP CONNECT host:port, with Basic credentials when there are any. */
static size_t
proxy_http_request(struct proxy_neg *n, uint8_t *out, size_t outsz,
    char *err, size_t errlen)
{
	const struct proxy_req *r = n->req;
	char		 cred[600], b64[820], auth[850] = "", h[300];
	char		 hp[320];
	uint8_t		 a[16];
	size_t		 alen = proxy_dest_addr(r, a);
	int		 len;

	if (alen != 0)
		inet_ntop(alen == 4 ? AF_INET : AF_INET6, a, h, sizeof h);
	else
		proxy_bare_host(r, h, sizeof h);
	snprintf(hp, sizeof hp, "%s%s%s:%u", alen == 16 ? "[" : "", h,
	    alen == 16 ? "]" : "", r->port);
	if (r->user != NULL) {
		len = snprintf(cred, sizeof cred, "%s:%s", r->user,
		    r->pass ? r->pass : "");
		if (len < 0 || (size_t)len >= sizeof cred ||
		    proxy_base64((uint8_t *)cred, len, b64, sizeof b64) == -1) {
			snprintf(err, errlen, "proxy credentials too long");
			return 0;
		}
		snprintf(auth, sizeof auth, "Proxy-Authorization: Basic %s\r\n",
		    b64);
	}
	len = snprintf((char *)out, outsz, "CONNECT %s HTTP/1.1\r\nHost: %s"
	    "\r\n%s\r\n", hp, hp, auth);
	if (len < 0 || (size_t)len >= outsz) {
		snprintf(err, errlen, "HTTP CONNECT request too long");
		return 0;
	}
	snprintf(n->name, sizeof n->name, "HTTP CONNECT %s%s", hp,
	    r->user ? " (Basic auth)" : "");
	return (size_t)len;
}

/* The status line of in (up to its CR or LF) into buf. */
static void
proxy_http_status_line(const uint8_t *in, size_t inlen, char *buf,
    size_t len)
{
	size_t	 i;

	for (i = 0; i < inlen && i + 1 < len && in[i] != '\r' &&
	    in[i] != '\n'; i++)
		buf[i] = (in[i] >= 0x20 && in[i] < 0x7f) ? (char)in[i] : '?';
	buf[i] = '\0';
}

/*
 * The HTTP reply head, read a byte at a time up to its empty line (the
 * tunnel's bytes follow it): a 2xx status opens the tunnel.
 */
static enum proxy_action
proxy_http_reply(struct proxy_neg *n, const uint8_t *in, size_t inlen,
    size_t *need, char *err, size_t errlen)
{
	char	 line[100];

	if (inlen >= 5 && memcmp(in, "HTTP/", 5) != 0) {
		snprintf(err, errlen, "not an HTTP reply: is it an HTTP "
		    "proxy?");
		return PROXY_FAIL;
	}
	if (!(inlen >= 4 && memcmp(in + inlen - 4, "\r\n\r\n", 4) == 0) &&
	    !(inlen >= 2 && memcmp(in + inlen - 2, "\n\n", 2) == 0)) {
		if (inlen >= PROXY_HTTP_HEAD_MAX) {
			snprintf(err, errlen, "the HTTP proxy's reply head is "
			    "longer than %d bytes", PROXY_HTTP_HEAD_MAX);
			return PROXY_FAIL;
		}
		*need = inlen + 1;
		return PROXY_RECV;
	}
	proxy_http_status_line(in, inlen, line, sizeof line);
	if (strlen(line) < 12 || line[8] != ' ' || line[9] != '2') {
		snprintf(err, errlen, "the HTTP proxy refused: %s", line);
		return PROXY_FAIL;
	}
	snprintf(n->name, sizeof n->name, "%s", line);
	return PROXY_GOT;
}

/* A request of n's type at its step into out; 0 with err on failure. */
static size_t
proxy_build(struct proxy_neg *n, uint8_t *out, size_t outsz, char *err,
    size_t errlen)
{
	switch (n->req->type) {
	case PROXY_SOCKS4:
	case PROXY_SOCKS4A:
		return proxy_socks4_request(n, out, outsz, err, errlen);
	case PROXY_HTTP:
		return proxy_http_request(n, out, outsz, err, errlen);
	case PROXY_SOCKS5:
		break;
	}
	if (n->step == 0)
		return proxy_socks5_greeting(n, out);
	if (n->step == 2)
		return proxy_socks5_auth(n, out, err, errlen);
	return proxy_socks5_connect(n, out, err, errlen);
}

/*
 * The length of the reply n's step reads when it is fixed, 0 when it
 * varies: SOCKS4's (8 bytes), SOCKS5's method choice and RFC 1929
 * status (2 each).
 */
static size_t
proxy_reply_len(const struct proxy_neg *n)
{
	if (n->req->type == PROXY_SOCKS4 || n->req->type == PROXY_SOCKS4A)
		return 8;
	if (n->req->type == PROXY_SOCKS5 && (n->step == 1 || n->step == 3))
		return 2;
	return 0;
}

/* The reply of n's type at its step, judged once a fixed one is whole. */
static enum proxy_action
proxy_judge(struct proxy_neg *n, const uint8_t *in, size_t inlen,
    size_t *need, char *err, size_t errlen)
{
	size_t	 whole = proxy_reply_len(n);

	if (inlen < whole) {
		*need = whole;
		return PROXY_RECV;
	}
	switch (n->req->type) {
	case PROXY_SOCKS4:
	case PROXY_SOCKS4A:
		return proxy_socks4_reply(n, in, err, errlen);
	case PROXY_HTTP:
		return proxy_http_reply(n, in, inlen, need, err, errlen);
	case PROXY_SOCKS5:
		break;
	}
	if (n->step == 1)
		return proxy_socks5_method(n, in, err, errlen);
	if (n->step == 3)
		return proxy_socks5_auth_reply(n, in, err, errlen);
	return proxy_socks5_reply(n, in, inlen, need, err, errlen);
}

/*
 * Even steps send, odd steps read a reply; SOCKS5 has three rounds
 * (greeting, RFC 1929, CONNECT; the second skipped without auth), the
 * others one.
 */
enum proxy_action
proxy_step(struct proxy_neg *n, const uint8_t *in, size_t inlen,
    uint8_t *out, size_t outsz, size_t *outlen, char *err, size_t errlen)
{
	enum proxy_action a;
	int		 last = n->req->type == PROXY_SOCKS5 ? 6 : 2;

	if (n->step >= last)
		return PROXY_DONE;
	if (n->step % 2 == 0) {
		if (outsz < PROXY_MSG_MAX) {
			snprintf(err, errlen, "proxy buffer too small");
			return PROXY_FAIL;
		}
		if ((*outlen = proxy_build(n, out, outsz, err, errlen)) == 0)
			return PROXY_FAIL;
		n->step++;
		return PROXY_SEND;
	}
	a = proxy_judge(n, in, inlen, outlen, err, errlen);
	if (a == PROXY_GOT)
		n->step++;
	return a;
}
