/*
 * tests/unit-proxy.c: the proxy negotiations byte for byte against the
 * RFCs' layouts: SOCKS4 and 4a, SOCKS5 (RFC 1928) with RFC 1929's
 * username/password, HTTP CONNECT with Basic auth (RFC 7617's example
 * credentials); every refusal in words.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"
#include "tap.h"

/* A scripted proxy: the replies it gives, in order, and what it got. */
struct script {
	const uint8_t	*reply[4];
	size_t		 replylen[4];
	uint8_t		 sent[2048];
	size_t		 sentlen;
	char		 names[1024];
	char		 err[300];
};

/* Append name to s->names, "; " between them. */
static void
script_name(struct script *s, const char *name)
{
	size_t	 n = strlen(s->names);

	snprintf(s->names + n, sizeof s->names - n, "%s%s", n ? "; " : "",
	    name);
}

/*
 * Drive a negotiation of r against s's replies, fed a byte at a time as a
 * slow proxy would.  Returns PROXY_DONE, PROXY_FAIL, or PROXY_RECV when
 * the replies ran out.
 */
static enum proxy_action
script_run(const struct proxy_req *r, struct script *s)
{
	struct proxy_neg	 n;
	uint8_t			 out[PROXY_MSG_MAX], in[9000];
	size_t			 outlen, have = 0, pos = 0;
	enum proxy_action	 a;
	int			 ri = 0, i;

	memset(&n, 0, sizeof n);
	n.req = r;
	for (i = 0; i < 10000; i++) {
		a = proxy_step(&n, in, have, out, sizeof out, &outlen, s->err,
		    sizeof s->err);
		if (a == PROXY_DONE || a == PROXY_FAIL)
			return a;
		if (a == PROXY_SEND) {
			memcpy(s->sent + s->sentlen, out, outlen);
			s->sentlen += outlen;
			script_name(s, n.name);
		} else if (a == PROXY_GOT) {
			script_name(s, n.name);
			have = 0;
		} else {
			if (ri >= 4 || s->reply[ri] == NULL)
				return PROXY_RECV;
			if (have >= outlen) {
				printf("# asked for %zu bytes, has %zu\n",
				    outlen, have);
				return PROXY_FAIL;
			}
			in[have++] = s->reply[ri][pos++];
			if (pos == s->replylen[ri]) {
				ri++;
				pos = 0;
			}
		}
	}
	return PROXY_FAIL;
}

#define REPLY(s, i, bytes) do { \
	(s)->reply[i] = (const uint8_t *)(bytes); \
	(s)->replylen[i] = sizeof(bytes) - 1; \
} while (0)

/* Whether s sent exactly want (len bytes). */
static void
sent_is(const struct script *s, const char *want, size_t len,
    const char *what)
{
	size_t	 i;

	tap_ok(s->sentlen == len && memcmp(s->sent, want, len) == 0, what);
	if (s->sentlen != len || memcmp(s->sent, want, len) != 0) {
		printf("#   got %zu bytes:", s->sentlen);
		for (i = 0; i < s->sentlen; i++)
			printf(" %02x", s->sent[i]);
		printf("\n");
	}
}

static void
test_socks4(void)
{
	struct proxy_req	 r = { .type = PROXY_SOCKS4, .host = "127.0.0.1",
	    .port = 80, .user = "fred" };
	struct script		 s;

	memset(&s, 0, sizeof s);
	REPLY(&s, 0, "\0\x5a\0\0\0\0\0\0");
	tap_is_ll(script_run(&r, &s), PROXY_DONE, "socks4 granted");
	sent_is(&s, "\x04\x01\x00\x50\x7f\x00\x00\x01" "fred\0", 13,
	    "socks4: VN 4, CD 1, port, IP, user id, NUL");
	tap_is_str(s.names, "SOCKS4 CONNECT 127.0.0.1 port 80 as fred; "
	    "SOCKS4 reply: request granted", "socks4 names");

	memset(&s, 0, sizeof s);
	REPLY(&s, 0, "\0\x5b\0\0\0\0\0\0");
	tap_is_ll(script_run(&r, &s), PROXY_FAIL, "socks4 91 fails");
	tap_is_str(s.err, "the SOCKS4 proxy refused: request rejected or "
	    "failed (code 91)", "socks4 91 in words");

	memset(&s, 0, sizeof s);
	r.host = "example.com";
	tap_is_ll(script_run(&r, &s), PROXY_FAIL, "socks4 takes no names");
	tap_is_str(s.err, "SOCKS4 carries only an IPv4 address, not "
	    "'example.com' (socks4a or socks5 take names)", "socks4 name why");

	memset(&s, 0, sizeof s);
	r.type = PROXY_SOCKS4A;
	r.user = NULL;
	REPLY(&s, 0, "\0\x5a\0\0\0\0\0\0");
	tap_is_ll(script_run(&r, &s), PROXY_DONE, "socks4a granted");
	sent_is(&s, "\x04\x01\x00\x50\x00\x00\x00\x01\0example.com\0", 21,
	    "socks4a: IP 0.0.0.1, empty user id, host, NUL");

	memset(&s, 0, sizeof s);
	REPLY(&s, 0, "HTTP/1.0 400 Bad");
	tap_is_ll(script_run(&r, &s), PROXY_FAIL, "socks4a: not socks");
	tap_is_str(s.err, "not a SOCKS4 reply (bytes 48 54): is it a SOCKS4 "
	    "proxy?", "socks4a: not socks in words");
}

static void
test_socks5_noauth(void)
{
	struct proxy_req	 r = { .type = PROXY_SOCKS5,
	    .host = "example.com", .port = 443 };
	struct script		 s;

	memset(&s, 0, sizeof s);
	REPLY(&s, 0, "\x05\x00");
	REPLY(&s, 1, "\x05\x00\x00\x01\x7f\x00\x00\x01\x04\xd2");
	tap_is_ll(script_run(&r, &s), PROXY_DONE, "socks5 no auth");
	sent_is(&s, "\x05\x01\x00" "\x05\x01\x00\x03\x0b" "example.com"
	    "\x01\xbb", 3 + 5 + 11 + 2,
	    "socks5: greeting 05 01 00, CONNECT with ATYP 3 (name)");
	tap_is_str(s.names, "SOCKS5 greeting: methods none; SOCKS5 method "
	    "chosen: no authentication; SOCKS5 CONNECT example.com port 443; "
	    "SOCKS5 reply: succeeded", "socks5 names");

	memset(&s, 0, sizeof s);
	r.host = "[::1]";
	REPLY(&s, 0, "\x05\x00");
	REPLY(&s, 1, "\x05\x00\x00\x03\x03" "abc" "\x00\x50");
	tap_is_ll(script_run(&r, &s), PROXY_DONE, "socks5 IPv6, bound name");
	sent_is(&s, "\x05\x01\x00" "\x05\x01\x00\x04"
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01" "\x01\xbb", 3 + 4 + 16 + 2,
	    "socks5: ATYP 4 for an IPv6 address");

	memset(&s, 0, sizeof s);
	r.host = "10.0.0.1";
	REPLY(&s, 0, "\x05\x00");
	REPLY(&s, 1, "\x05\x05");
	tap_is_ll(script_run(&r, &s), PROXY_FAIL, "socks5 refused");
	tap_is_str(s.err, "the SOCKS5 proxy refused: connection refused "
	    "(reply code 5)", "socks5 REP 5 in words");

	memset(&s, 0, sizeof s);
	REPLY(&s, 0, "\x05\x02");
	tap_is_ll(script_run(&r, &s), PROXY_FAIL, "socks5 wants a password");
	tap_is_str(s.err, "the SOCKS5 proxy accepts none of the methods "
	    "offered (none): does it want --proxy-auth USER:PASS?",
	    "socks5 method 2 without credentials in words");

	memset(&s, 0, sizeof s);
	REPLY(&s, 0, "\x05\xff");
	tap_is_ll(script_run(&r, &s), PROXY_FAIL, "socks5 FF fails");
}

static void
test_socks5_auth(void)
{
	struct proxy_req	 r = { .type = PROXY_SOCKS5, .host = "10.1.2.3",
	    .port = 22, .user = "alice", .pass = "s3cret" };
	struct script		 s;

	memset(&s, 0, sizeof s);
	REPLY(&s, 0, "\x05\x02");
	REPLY(&s, 1, "\x01\x00");
	REPLY(&s, 2, "\x05\x00\x00\x04" "0123456789abcdef" "\x00\x16");
	tap_is_ll(script_run(&r, &s), PROXY_DONE, "socks5 with RFC 1929");
	sent_is(&s, "\x05\x02\x00\x02" "\x01\x05" "alice" "\x06" "s3cret"
	    "\x05\x01\x00\x01\x0a\x01\x02\x03\x00\x16",
	    4 + 2 + 5 + 1 + 6 + 10,
	    "socks5: methods 00 02, RFC 1929 VER 1 ULEN UNAME PLEN PASSWD, "
	    "ATYP 1");
	tap_is_str(s.names, "SOCKS5 greeting: methods none, "
	    "username/password; SOCKS5 method chosen: username/password; "
	    "SOCKS5 username/password for alice (RFC 1929); SOCKS5 "
	    "authentication: success; SOCKS5 CONNECT 10.1.2.3 port 22; "
	    "SOCKS5 reply: succeeded", "socks5 auth names");

	memset(&s, 0, sizeof s);
	REPLY(&s, 0, "\x05\x02");
	REPLY(&s, 1, "\x01\x01");
	tap_is_ll(script_run(&r, &s), PROXY_FAIL, "socks5 bad password");
	tap_is_str(s.err, "the SOCKS5 proxy refused the user name or "
	    "password (RFC 1929 status 1)", "bad password in words");

	memset(&s, 0, sizeof s);
	REPLY(&s, 0, "\x05\x00");
	REPLY(&s, 1, "\x05\x02\x00\x01\0\0\0\0\0\0");
	tap_is_ll(script_run(&r, &s), PROXY_FAIL, "socks5 ruleset");
	tap_is_str(s.err, "the SOCKS5 proxy refused: connection not allowed "
	    "by ruleset (reply code 2)", "ruleset in words");
	tap_is_str(proxy_socks5_reply_name(8), "address type not supported",
	    "reply code 8");
	tap_is_str(proxy_socks5_reply_name(9), "unassigned reply code",
	    "reply code 9");
}

static void
test_http(void)
{
	struct proxy_req	 r = { .type = PROXY_HTTP, .host = "example.com",
	    .port = 443 };
	struct script		 s;
	const char		*want;

	memset(&s, 0, sizeof s);
	REPLY(&s, 0, "HTTP/1.1 200 Connection established\r\n"
	    "Proxy-agent: x\r\n\r\n");
	tap_is_ll(script_run(&r, &s), PROXY_DONE, "http 200");
	want = "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443"
	    "\r\n\r\n";
	sent_is(&s, want, strlen(want), "http CONNECT request");
	tap_is_str(s.names, "HTTP CONNECT example.com:443; HTTP/1.1 200 "
	    "Connection established", "http names");

	memset(&s, 0, sizeof s);
	r.user = "Aladdin";
	r.pass = "open sesame";
	r.host = "::1";
	REPLY(&s, 0, "HTTP/1.0 407 Proxy Authentication Required\r\n\r\n");
	tap_is_ll(script_run(&r, &s), PROXY_FAIL, "http 407");
	want = "CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n"
	    "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n";
	sent_is(&s, want, strlen(want),
	    "http CONNECT with RFC 7617's Basic example, IPv6 in brackets");
	tap_is_str(s.err, "the HTTP proxy refused: HTTP/1.0 407 Proxy "
	    "Authentication Required", "http 407 status line");

	memset(&s, 0, sizeof s);
	REPLY(&s, 0, "SSH-2.0-OpenSSH\r\n");
	tap_is_ll(script_run(&r, &s), PROXY_FAIL, "http: not http");
}

static void
test_parse(void)
{
	char		 host[64], err[200];
	uint16_t	 port;
	enum proxy_type	 t;
	char		 b[16];

	tap_ok(proxy_parse_hostport("proxy:8080", 1080, host, sizeof host,
	    &port, err, sizeof err) == 0 && strcmp(host, "proxy") == 0 &&
	    port == 8080, "host:port");
	tap_ok(proxy_parse_hostport("proxy", 1080, host, sizeof host, &port,
	    err, sizeof err) == 0 && port == 1080, "host alone: default");
	tap_ok(proxy_parse_hostport("[::1]:3128", 1080, host, sizeof host,
	    &port, err, sizeof err) == 0 && strcmp(host, "::1") == 0 &&
	    port == 3128, "[v6]:port");
	tap_ok(proxy_parse_hostport("::1", 1080, host, sizeof host, &port,
	    err, sizeof err) == 0 && strcmp(host, "::1") == 0 && port == 1080,
	    "bare v6");
	tap_ok(proxy_parse_hostport("proxy:0", 1080, host, sizeof host,
	    &port, err, sizeof err) == -1, "port 0 refused");
	tap_is_str(err, "'proxy:0': bad port '0' (1-65535)", "port 0 why");
	tap_ok(proxy_parse_hostport(":80", 1080, host, sizeof host, &port,
	    err, sizeof err) == -1, "no host refused");
	tap_ok(proxy_parse_hostport("[::1", 1080, host, sizeof host, &port,
	    err, sizeof err) == -1, "unclosed [ refused");
	tap_ok(proxy_type_parse("socks4a", &t) == 0 && t == PROXY_SOCKS4A,
	    "type socks4a");
	tap_ok(proxy_type_parse("socks", &t) == -1, "type socks refused");
	tap_ok(proxy_base64((const uint8_t *)"ab", 2, b, sizeof b) == 0 &&
	    strcmp(b, "YWI=") == 0, "base64 padding");
	tap_ok(proxy_base64((const uint8_t *)"abcd", 4, b, 8) == -1,
	    "base64 bounded");
}

int
main(void)
{
	test_socks4();
	test_socks5_noauth();
	test_socks5_auth();
	test_http();
	test_parse();
	return tap_done();
}
