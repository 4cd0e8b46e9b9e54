/*
 * proxy.h: the client side of a proxy negotiation, as bytes: SOCKS4 and
 * SOCKS4a, SOCKS5 (RFC 1928) with username/password (RFC 1929), HTTP
 * CONNECT (RFC 9110 9.3.6) with Basic authentication (RFC 7617).  A
 * state machine that builds each request and judges each reply; it does
 * no I/O and prints nothing: connect drives it over the socket.
 */
#ifndef PROXY_H
#define PROXY_H

#include <stddef.h>
#include <stdint.h>

enum proxy_type {
	PROXY_SOCKS4,
	PROXY_SOCKS4A,
	PROXY_SOCKS5,
	PROXY_HTTP,
};

/* The default port of each type's proxy: 1080, or 3128 for HTTP. */
#define PROXY_SOCKS_PORT	1080
#define PROXY_HTTP_PORT		3128

/* Longest request proxy_step() builds (an HTTP CONNECT with auth). */
#define PROXY_MSG_MAX		1400
#define PROXY_NAME_LEN		400

/*
 * What to ask the proxy for.  The destination is host (a name the proxy
 * resolves, or a numeric address as typed) or, when addr_len is not 0,
 * the address bytes (4: IPv4, 16: IPv6) resolved here.
 */
struct proxy_req {
	enum proxy_type	 type;
	const char	*user;		/* NULL: no authentication */
	const char	*pass;		/* NULL: none (SOCKS4's user id) */
	const char	*host;
	uint8_t		 addr[16];
	size_t		 addr_len;
	uint16_t	 port;
};

/* Where a negotiation stands; zero it, then set req. */
struct proxy_neg {
	const struct proxy_req *req;
	int		 step;
	char		 name[PROXY_NAME_LEN];	/* of the last message */
};

enum proxy_action {
	PROXY_SEND,	/* send the out bytes */
	PROXY_RECV,	/* read until the reply has *outlen bytes, call again */
	PROXY_GOT,	/* the reply (in) was good and is consumed */
	PROXY_DONE,	/* the tunnel is open: relay */
	PROXY_FAIL,	/* the proxy refused, or spoke nonsense: err */
};

/*
 * The next move of n, given the reply bytes read so far (in, inlen; the
 * caller empties in after PROXY_GOT).  PROXY_SEND fills out (outsz bytes,
 * at least PROXY_MSG_MAX) and *outlen; PROXY_RECV sets *outlen to the
 * length the reply needs at least (read no more than that: what follows
 * is the relayed data).  n->name names the message sent or judged, for
 * the ladder.  PROXY_FAIL says why in err, in words.
 */
enum proxy_action proxy_step(struct proxy_neg *, const uint8_t *, size_t,
	    uint8_t *, size_t, size_t *, char *, size_t);

/* "socks4", "socks4a", "socks5", "http" into *type; 0, or -1 unknown. */
int	proxy_type_parse(const char *, enum proxy_type *);
const char *proxy_type_name(enum proxy_type);

/*
 * Split "HOST:PORT", "[V6]:PORT" or "HOST" (dflt the port) into host
 * (hostlen bytes) and *port.  Returns 0, or -1 with err.
 */
int	proxy_parse_hostport(const char *, uint16_t, char *, size_t,
	    uint16_t *, char *, size_t);

/* RFC 1928 section 6's words for SOCKS5 reply code rep. */
const char *proxy_socks5_reply_name(int);

/* Base64 (RFC 4648) of len bytes into out; -1 when outsz is too small. */
int	proxy_base64(const uint8_t *, size_t, char *, size_t);

#endif
