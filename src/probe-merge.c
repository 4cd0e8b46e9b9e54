/*
 * probe-merge.c: nmap XML reports joined into one run.  The reader is a
 * cursor over the file's bytes that knows tags and attributes only: the
 * elements of nmap.dtd a connect() scan writes (nmaprun, scaninfo, host,
 * status, address, hostname, extraports, extrareasons, port, state,
 * script, finished) fill the run; the rest is stepped over.  Every read
 * is checked against the end of the buffer.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "probe-merge.h"

#define ATTR_MAX	4096	/* the longest attribute value kept */

/* Unlisted ports of a host, counted, until the hosts are known. */
struct merge_extra {
	uint32_t	 host;
	uint8_t		 state, reason;
	uint32_t	 n;
};

/* A tag: its name and the bytes of its attributes. */
struct xtag {
	const char	*name, *attrs;
	size_t		 namelen, attrlen;
	int		 end;		/* </name> */
	int		 empty;		/* <name/> */
};

/* The reader, and what it holds of the host it is in. */
struct xread {
	const char	*p, *end, *base;
	struct merge	*m;
	int		 in_host;
	int		 family;
	uint8_t		 addr[16];
	char		 addrtext[64], name[256];
	int		 up;
	size_t		 res0, extra0;	/* the host's first port, count */
	int		 extra_state;	/* the open <extraports>: -1 none */
	uint32_t	 extra_count, extra_reasons;
	struct probe_result *port;	/* the open <port>, or NULL */
};

static int	xml_next(struct xread *, struct xtag *);
static int	xml_attr(const struct xtag *, const char *, char *, size_t);
static int	merge_overlap(const struct merge *, char *, size_t);
static int	tag_is(const struct xtag *, const char *);
static int	on_tag(struct xread *, const struct xtag *, char *, size_t);
static int	on_host_end(struct xread *, char *, size_t);
static int	on_port(struct xread *, const struct xtag *, char *, size_t);
static int	on_state(struct xread *, const struct xtag *, char *, size_t);
static int	on_extra(struct xread *, const struct xtag *, int, char *,
		    size_t);
static int	on_scaninfo(struct xread *, const struct xtag *, char *,
		    size_t);
static int	state_of(const char *);
static long long attr_num(const struct xtag *, const char *, long long);
static void	*push(void *, size_t *, size_t *, size_t);

/*
 * The next tag at or after x->p, skipping text, comments, declarations
 * and processing instructions.  Returns 1 with *t, 0 at the end, -1 for a
 * tag that does not end.
 */
static int
xml_next(struct xread *x, struct xtag *t)
{
	const char	*lt, *gt, *q;

	for (;;) {
		if ((lt = memchr(x->p, '<', (size_t)(x->end - x->p))) == NULL)
			return 0;
		if (x->end - lt >= 4 && memcmp(lt, "<!--", 4) == 0) {
			for (q = lt + 4; q + 3 <= x->end &&
			    memcmp(q, "-->", 3) != 0; q++)
				;
			if (q + 3 > x->end)
				return -1;
			x->p = q + 3;
			continue;
		}
		/* A quoted '>' inside an attribute does not end the tag. */
		for (gt = lt + 1, q = NULL; gt < x->end; gt++) {
			if (q != NULL && *gt == *q)
				q = NULL;
			else if (q == NULL && (*gt == '"' || *gt == '\''))
				q = gt;
			else if (q == NULL && *gt == '>')
				break;
		}
		if (gt >= x->end)
			return -1;
		x->p = gt + 1;
		if (lt[1] == '?' || lt[1] == '!')
			continue;
		memset(t, 0, sizeof *t);
		t->name = lt + 1;
		if ((t->end = *t->name == '/'))
			t->name++;
		for (q = t->name; q < gt && *q != ' ' && *q != '\t' &&
		    *q != '\n' && *q != '\r' && *q != '/'; q++)
			;
		t->namelen = (size_t)(q - t->name);
		t->attrs = q;
		t->empty = gt[-1] == '/' && gt - 1 >= q;
		t->attrlen = (size_t)(gt - q) - (t->empty ? 1 : 0);
		return 1;
	}
}

/* Whether t is the element name. */
static int
tag_is(const struct xtag *t, const char *name)
{
	return t->namelen == strlen(name) && memcmp(t->name, name,
	    t->namelen) == 0;
}

/* Undo one entity at s (after '&') into *c; its length, or 0. */
static size_t
entity(const char *s, const char *end, char *c)
{
	static const struct { const char *e; char c; } named[] = {
		{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' },
		{ "quot;", '"' }, { "apos;", '\'' }
	};
	const char	*semi;
	unsigned long	 v;
	char		*stop;
	size_t		 i;

	for (i = 0; i < sizeof named / sizeof named[0]; i++)
		if ((size_t)(end - s) >= strlen(named[i].e) &&
		    memcmp(s, named[i].e, strlen(named[i].e)) == 0) {
			*c = named[i].c;
			return strlen(named[i].e);
		}
	if (end - s < 3 || *s != '#' || (semi = memchr(s, ';', (size_t)
	    (end - s < 12 ? end - s : 12))) == NULL)
		return 0;
	v = s[1] == 'x' ? strtoul(s + 2, &stop, 16) : strtoul(s + 1, &stop,
	    10);
	if (stop != semi || v == 0 || v > 0x7f)
		return 0;	/* past ASCII: kept as written */
	*c = (char)v;
	return (size_t)(semi - s) + 1;
}

/*
 * The value of attribute name of t, entities undone, into out (cut to
 * outlen - 1).  Returns 1, or 0 when t has no such attribute.
 */
static int
xml_attr(const struct xtag *t, const char *name, char *out, size_t outlen)
{
	const char	*p = t->attrs, *end = t->attrs + t->attrlen, *v;
	size_t		 nl = strlen(name), o = 0, k;
	char		 q, c;

	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
		    *p == '\r'))
			p++;
		v = p;
		while (p < end && *p != '=')
			p++;
		if (p + 1 >= end || (p[1] != '"' && p[1] != '\''))
			return 0;
		q = p[1];
		k = (size_t)(p - v);
		p += 2;
		if (k == nl && memcmp(v, name, nl) == 0) {
			for (; p < end && *p != q; p++) {
				c = *p;
				if (c == '&' && (k = entity(p + 1, end, &c)) > 0)
					p += k;
				if (o + 1 < outlen)
					out[o++] = c;
			}
			out[o] = '\0';
			return p < end;
		}
		if ((p = memchr(p, q, (size_t)(end - p))) == NULL)
			return 0;
		p++;
	}
	return 0;
}

/* A whole-number attribute, or dflt when it is missing or not one. */
static long long
attr_num(const struct xtag *t, const char *name, long long dflt)
{
	char		 v[32], *end;
	long long	 n;

	if (!xml_attr(t, name, v, sizeof v) || v[0] == '\0')
		return dflt;
	errno = 0;
	n = strtoll(v, &end, 10);
	return *end != '\0' || errno != 0 || n < 0 ? dflt : n;
}

/* Grow *v (n of cap items of size sz) by one; the new item, or NULL. */
static void *
push(void *v, size_t *n, size_t *cap, size_t sz)
{
	char	*nv;

	if (*n == *cap) {
		if ((nv = realloc(*(char **)v, (*cap ? *cap * 2 : 64) * sz)) ==
		    NULL)
			return NULL;
		*(char **)v = nv;
		*cap = *cap ? *cap * 2 : 64;
	}
	nv = *(char **)v + (*n)++ * sz;
	memset(nv, 0, sz);
	return nv;
}

/* A port state's word as enum probe_state, or -1. */
static int
state_of(const char *s)
{
	int	 i;

	for (i = 0; i < PROBE_NSTATES; i++)
		if (strcmp(s, probe_state_name(i)) == 0)
			return i;
	return -1;
}

/* <scaninfo>: one protocol in every file; the union of the ports. */
static int
on_scaninfo(struct xread *x, const struct xtag *t, char *err,
    size_t errlen)
{
	struct tgt_ports	 p;
	char			 proto[8], svc[ATTR_MAX], why[300];
	size_t			 i;
	int			 want;

	if (!xml_attr(t, "protocol", proto, sizeof proto) ||
	    (strcmp(proto, "tcp") != 0 && strcmp(proto, "udp") != 0))
		return snprintf(err, errlen, "a scan of neither TCP nor UDP"),
		    -1;
	want = proto[0] == 't' ? MERGE_TCP : MERGE_UDP;
	if (x->m->proto != 0 && x->m->proto != want)
		return snprintf(err, errlen, "a %s scan, where the files before "
		    "are of %s", proto, want == MERGE_TCP ? "UDP" : "TCP"), -1;
	x->m->proto = want;
	if (!xml_attr(t, "services", svc, sizeof svc) || svc[0] == '\0')
		return 0;
	if (tgt_ports_parse(svc, proto, &p, why, sizeof why) == -1)
		return snprintf(err, errlen, "scaninfo services: %s", why), -1;
	for (i = 0; i < p.n; i++)
		x->m->bits[p.port[i] / 8] |= (uint8_t)(1 << (p.port[i] % 8));
	tgt_ports_free(&p);
	return 0;
}

/* <port protocol portid>: a listed port of the host, state to come. */
static int
on_port(struct xread *x, const struct xtag *t, char *err, size_t errlen)
{
	struct merge	*m = x->m;
	long long	 port = attr_num(t, "portid", -1);

	if (port < 1 || port > 65535)
		return snprintf(err, errlen, "a <port> without a portid from 1 "
		    "to 65535"), -1;
	if ((x->port = push(&m->res, &m->nres, &m->rescap, sizeof *x->port))
	    == NULL)
		return snprintf(err, errlen, "out of memory"), -1;
	x->port->host = UINT32_MAX;
	x->port->port = (uint16_t)port;
	x->port->state = PROBE_NSTATES;	/* none yet */
	x->port->rtt_us = -1;
	x->port->banner_len = -1;
	return 0;
}

/* <state state reason reason_ttl reason_ip> of the open <port>. */
static int
on_state(struct xread *x, const struct xtag *t, char *err, size_t errlen)
{
	struct probe_result	*r = x->port;
	char			 v[64];
	int			 s, code = -1;

	if (!xml_attr(t, "state", v, sizeof v) || (s = state_of(v)) == -1)
		return snprintf(err, errlen, "port %u: a state probe does not "
		    "know ('%s')", r->port, v), -1;
	r->state = (uint8_t)s;
	if (xml_attr(t, "reason", v, sizeof v))
		code = report_reason_find(v);
	report_reason_result(code, r);
	if (xml_attr(t, "reason_ip", v, sizeof v)) {
		r->from_family = strchr(v, ':') != NULL ? AF_INET6 : AF_INET;
		if (inet_pton(r->from_family, v, r->from) != 1)
			r->from_family = 0;
	}
	return 0;
}

/*
 * <extraports state count> (reasons == 0) and its <extrareasons reason
 * count> (reasons == 1): counted ports of the host.  An <extraports>
 * without reasons is counted when it closes, as "unknown-response".
 */
static int
on_extra(struct xread *x, const struct xtag *t, int reasons, char *err,
    size_t errlen)
{
	struct merge		*m = x->m;
	struct merge_extra	*e;
	char			 v[64];
	long long		 n = attr_num(t, "count", -1);
	int			 code = -1;

	if (!reasons) {
		if (!xml_attr(t, "state", v, sizeof v) ||
		    (x->extra_state = state_of(v)) == -1)
			return snprintf(err, errlen, "extraports: a state probe "
			    "does not know ('%s')", v), -1;
		if (n < 0 || n > 65535)
			return snprintf(err, errlen, "extraports: a count from 0 "
			    "to 65535 expected"), -1;
		x->extra_count = (uint32_t)n;
		x->extra_reasons = 0;
		return 0;
	}
	if (x->extra_state == -1 || n < 0 || n > x->extra_count -
	    x->extra_reasons)
		return snprintf(err, errlen, "extrareasons: outside "
		    "<extraports>, or counts past its count"), -1;
	if (xml_attr(t, "reason", v, sizeof v))
		code = report_reason_find(v);
	if ((e = push(&m->extra, &m->nextra, &m->extracap, sizeof *e)) == NULL)
		return snprintf(err, errlen, "out of memory"), -1;
	e->host = UINT32_MAX;
	e->state = (uint8_t)x->extra_state;
	e->reason = (uint8_t)(code == -1 ? report_reason_find(
	    "unknown-response") : code);
	e->n = (uint32_t)n;
	x->extra_reasons += (uint32_t)n;
	return 0;
}

/* </extraports>: the ports its reasons did not count. */
static int
on_extra_end(struct xread *x, char *err, size_t errlen)
{
	struct merge_extra	*e;
	struct merge		*m = x->m;

	if (x->extra_state != -1 && x->extra_reasons < x->extra_count) {
		if ((e = push(&m->extra, &m->nextra, &m->extracap,
		    sizeof *e)) == NULL)
			return snprintf(err, errlen, "out of memory"), -1;
		e->host = UINT32_MAX;
		e->state = (uint8_t)x->extra_state;
		e->reason = (uint8_t)report_reason_find("unknown-response");
		e->n = x->extra_count - x->extra_reasons;
	}
	x->extra_state = -1;
	return 0;
}

/*
 * </host>: a host that was up joins the set (one entry per address over
 * every file), and its ports and counts are marked as its own.  A host
 * that was down, or gave no address, is left out with what it listed.
 */
static int
on_host_end(struct xread *x, char *err, size_t errlen)
{
	struct merge	*m = x->m;
	struct tgt_spec	 sp;
	char		 why[256];
	uint32_t	 h;
	size_t		 i;

	/* An <extraports> left open ends with its host, not after it. */
	if (on_extra_end(x, err, errlen) == -1)
		return -1;
	x->in_host = 0;
	if (!x->up || x->family == 0) {
		for (i = x->res0; i < m->nres; i++) {
			free((void *)(uintptr_t)m->res[i].banner);
			free((void *)(uintptr_t)m->res[i].tls);
		}
		m->nres = x->res0;
		m->nextra = x->extra0;
		return 0;
	}
	if (tgt_spec_parse(x->name[0] != '\0' ? x->name : x->addrtext, "tcp",
	    &sp, why, sizeof why) == -1 || (sp.numeric && sp.prefix !=
	    (x->family == AF_INET ? 32u : 128u)))
		return snprintf(err, errlen, "host %s: %s", x->addrtext,
		    why), -1;
	if (tgt_set_add(&m->set, &sp, x->family, x->addr, why,
	    sizeof why) == -1)
		return snprintf(err, errlen, "%s", why), -1;
	if ((h = tgt_set_find(&m->set, x->family, x->addr,
	    sp.numeric ? sp.scope : 0)) == UINT32_MAX)
		return snprintf(err, errlen, "host %s: not kept", x->addrtext),
		    -1;
	for (i = x->res0; i < m->nres; i++) {
		if (m->res[i].state == PROBE_NSTATES)
			return snprintf(err, errlen, "host %s port %u: no "
			    "<state>", x->addrtext, m->res[i].port), -1;
		m->res[i].host = h;
	}
	for (i = x->extra0; i < m->nextra; i++)
		m->extra[i].host = h;
	return 0;
}

/* <host>'s <address> and first <hostname>; <status state>. */
static int
on_host_part(struct xread *x, const struct xtag *t, char *err,
    size_t errlen)
{
	char	 v[256], type[16];

	if (tag_is(t, "status") && xml_attr(t, "state", v, sizeof v))
		x->up = strcmp(v, "up") == 0;
	else if (tag_is(t, "hostname") && x->name[0] == '\0')
		xml_attr(t, "name", x->name, sizeof x->name);
	else if (tag_is(t, "address") && xml_attr(t, "addrtype", type,
	    sizeof type) && strcmp(type, "mac") != 0) {
		if (!xml_attr(t, "addr", v, sizeof v) ||
		    strlen(v) >= sizeof x->addrtext)
			return snprintf(err, errlen, "an <address> without "
			    "addr"), -1;
		memcpy(x->addrtext, v, strlen(v) + 1);
		x->family = strcmp(type, "ipv6") == 0 ? AF_INET6 : AF_INET;
		v[strcspn(v, "%")] = '\0';	/* the zone is the spec's */
		if (inet_pton(x->family, v, x->addr) != 1)
			return snprintf(err, errlen, "address '%s' is not "
			    "%s", x->addrtext, type), -1;
	}
	return 0;
}

/* <host>: start one. */
static void
on_host(struct xread *x)
{
	x->in_host = 1;
	x->up = 1;
	x->family = 0;
	x->name[0] = '\0';
	x->addrtext[0] = '\0';
	x->res0 = x->m->nres;
	x->extra0 = x->m->nextra;
	x->extra_state = -1;
	x->port = NULL;
}

/* The port's --tls record, made on first use; NULL when out of memory. */
static struct probe_tls *
port_tls(struct probe_result *r)
{
	if (r->tls == NULL)
		r->tls = calloc(1, sizeof *r->tls);
	return (struct probe_tls *)(uintptr_t)r->tls;
}

/*
 * n bytes of s into out as a string, cut to fit; a control character as
 * the report writers print it (\xNN), so that what is read is what will
 * be written.
 */
static void
set_text(char *out, size_t outlen, const char *s, size_t n)
{
	size_t		 i, o = 0;
	unsigned char	 c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f) {
			if (o + 1 >= outlen)
				break;
			out[o++] = (char)c;
		} else {
			if (o + 4 >= outlen)
				break;
			o += (size_t)snprintf(out + o, outlen - o,
			    "\\x%02x", c);
		}
	}
	out[o] = '\0';
}

/* The rest of the first line of s that starts with lead, into out. */
static void
cert_line(const char *s, const char *lead, char *out, size_t outlen)
{
	size_t	 n = strlen(lead);

	for (; *s != '\0'; s += strcspn(s, "\n"), s += *s == '\n')
		if (strncmp(s, lead, n) == 0) {
			set_text(out, outlen, s + n, strcspn(s + n, "\n"));
			return;
		}
}

/*
 * The "tls" script probe --tls writes: "no TLS: WHY", or "VERSION, CIPHER"
 * and ", ALPN PROTO" when one was agreed.  0 or -1 (out of memory).
 */
static int
tls_script(struct probe_result *r, const char *v)
{
	struct probe_tls	*t;
	const char		*c, *a;

	if ((t = port_tls(r)) == NULL)
		return -1;
	if (strncmp(v, "no TLS: ", 8) == 0) {
		v += v[8] != '\0' ? 8 : 0;	/* "no TLS: " alone: itself */
		set_text(t->error, sizeof t->error, v, strlen(v));
		return 0;
	}
	t->error[0] = '\0';
	c = strstr(v, ", ");
	set_text(t->version, sizeof t->version, v, c != NULL ?
	    (size_t)(c - v) : strlen(v));
	if (c == NULL)
		return 0;
	c += 2;
	a = strstr(c, ", ALPN ");
	set_text(t->cipher, sizeof t->cipher, c, a != NULL ?
	    (size_t)(a - c) : strlen(c));
	if (a != NULL)
		set_text(t->alpn, sizeof t->alpn, a + 7, strlen(a + 7));
	return 0;
}

/*
 * <script id output> of the open <port>: probe --banner's "banner",
 * probe --tls's "tls" and nmap's "ssl-cert" (the certificate's lines).
 * Returns 0, or -1 with err.
 */
static int
on_script(struct xread *x, const struct xtag *t, char *err, size_t errlen)
{
	struct probe_result	*r = x->port;
	struct probe_tls	*k;
	char			 id[32], v[ATTR_MAX];

	if (!xml_attr(t, "id", id, sizeof id) ||
	    !xml_attr(t, "output", v, sizeof v))
		return 0;
	if (strcmp(id, "banner") == 0 && r->banner == NULL) {
		if ((r->banner = (uint8_t *)strdup(v)) == NULL)
			return snprintf(err, errlen, "out of memory"), -1;
		r->banner_len = (int)strlen(v);
	} else if (strcmp(id, "tls") == 0) {
		if (tls_script(r, v) == -1)
			return snprintf(err, errlen, "out of memory"), -1;
	} else if (strcmp(id, "ssl-cert") == 0) {
		if (r->tls == NULL && (k = port_tls(r)) != NULL)
			strcpy(k->version, "TLS");	/* nmap's: no version */
		if ((k = port_tls(r)) == NULL)
			return snprintf(err, errlen, "out of memory"), -1;
		cert_line(v, "Subject: ", k->subject, sizeof k->subject);
		cert_line(v, "Issuer: ", k->issuer, sizeof k->issuer);
		cert_line(v, "Not valid before: ", k->not_before,
		    sizeof k->not_before);
		cert_line(v, "Not valid after:  ", k->not_after,
		    sizeof k->not_after);
		cert_line(v, "SHA-256: ", k->fingerprint,
		    sizeof k->fingerprint);
	}
	return 0;
}

/* One tag of a report.  Returns 0, or -1 with err. */
static int
on_tag(struct xread *x, const struct xtag *t, char *err, size_t errlen)
{
	struct merge	*m = x->m;
	char		 v[ATTR_MAX];
	long long	 n;

	if (t->end)
		return tag_is(t, "host") && x->in_host ? on_host_end(x, err,
		    errlen) : tag_is(t, "extraports") ? on_extra_end(x, err,
		    errlen) : tag_is(t, "port") ? (x->port = NULL, 0) : 0;
	if (tag_is(t, "nmaprun") && (n = attr_num(t, "start", -1)) >= 0)
		m->start = m->start == 0 || n < m->start ? n : m->start;
	else if (tag_is(t, "finished")) {
		if ((n = attr_num(t, "time", -1)) > m->end)
			m->end = n;
		if (xml_attr(t, "elapsed", v, sizeof v) && atof(v) > m->elapsed)
			m->elapsed = atof(v);
	} else if (tag_is(t, "scaninfo"))
		return on_scaninfo(x, t, err, errlen);
	else if (tag_is(t, "host")) {
		if (x->in_host)	/* its ports would be no one's */
			return snprintf(err, errlen, "a <host> inside a "
			    "<host>"), -1;
		on_host(x);
		if (t->empty)
			return on_host_end(x, err, errlen);
	} else if (!x->in_host)
		return 0;
	else if (tag_is(t, "port"))
		return on_port(x, t, err, errlen);
	else if (tag_is(t, "state") && x->port != NULL)
		return on_state(x, t, err, errlen);
	else if (tag_is(t, "script") && x->port != NULL)
		return on_script(x, t, err, errlen);
	else if (tag_is(t, "extraports") || tag_is(t, "extrareasons")) {
		if (on_extra(x, t, tag_is(t, "extrareasons"), err,
		    errlen) == -1)
			return -1;
		return t->empty && tag_is(t, "extraports") ? on_extra_end(x,
		    err, errlen) : 0;
	} else
		return on_host_part(x, t, err, errlen);
	return 0;
}

int
merge_init(struct merge *m)
{
	struct tgt_ports	 none = { NULL, 0 };

	memset(m, 0, sizeof *m);
	if ((none.port = calloc(1, sizeof *none.port)) == NULL)
		return -1;
	tgt_set_init(&m->set, &none);
	return m->set.plist == NULL ? -1 : 0;
}

int
merge_add(struct merge *m, const char *name, const char *buf, size_t len,
    char *err, size_t errlen)
{
	struct xread	 x;
	struct xtag	 t;
	char		 why[512];
	int		 r, seen = 0;

	memset(&x, 0, sizeof x);
	x.p = x.base = buf;
	x.end = buf + len;
	x.m = m;
	x.extra_state = -1;
	why[0] = '\0';
	while ((r = xml_next(&x, &t)) == 1) {
		if (!seen && !t.end && !tag_is(&t, "nmaprun"))
			break;
		seen = 1;
		if (on_tag(&x, &t, why, sizeof why) == -1) {
			r = -1;
			break;
		}
	}
	if (!seen)
		snprintf(why, sizeof why, "not an nmap XML report (no "
		    "<nmaprun>)");
	else if (r == -1 && why[0] == '\0')
		snprintf(why, sizeof why, "a tag that does not end");
	else if (r == 0 && x.in_host)
		snprintf(why, sizeof why, "cut short inside a <host>");
	if (why[0] == '\0')
		return 0;
	snprintf(err, errlen, "%s: %s (near byte %zu)", name, why,
	    (size_t)(x.p - x.base));
	return -1;
}

/* Order listed ports by host, then port (qsort). */
static int
merge_cmp(const void *va, const void *vb)
{
	const struct probe_result	*a = va, *b = vb;

	return tgt_order(a->host, a->port, b->host, b->port);
}

int
merge_finish(struct merge *m, char *err, size_t errlen)
{
	struct tgt_ports	 ports;
	size_t			 i, k = 0;

	if (m->proto == 0)
		return snprintf(err, errlen, "no report names its protocol "
		    "(<scaninfo>)"), -1;
	if (tgt_ports_bits(m->bits, &ports) == -1)
		return snprintf(err, errlen, "out of memory"), -1;
	tgt_ports_free(&m->set.plist[0]);
	m->set.plist[0] = ports;
	if (tgt_set_finish(&m->set) == -1 ||
	    (m->hc = calloc(m->set.nhost + 1, sizeof *m->hc)) == NULL ||
	    report_tally_init(&m->tally, m->set.nhost) == -1)
		return snprintf(err, errlen, "out of memory"), -1;
	if (m->nres > 1)
		qsort(m->res, m->nres, sizeof *m->res, merge_cmp);
	for (i = 0; i < m->nres; i++) {
		if (k > 0 && m->res[k - 1].host == m->res[i].host &&
		    m->res[k - 1].port == m->res[i].port) {
			m->duplicates++;
			free((void *)(uintptr_t)m->res[i].banner);
			free((void *)(uintptr_t)m->res[i].tls);
			continue;
		}
		m->res[k++] = m->res[i];
		m->hc[m->res[i].host].n[m->res[i].state]++;
	}
	m->nres = k;
	for (i = 0; i < m->nextra; i++) {
		m->hc[m->extra[i].host].n[m->extra[i].state] += m->extra[i].n;
		if (report_tally_put(&m->tally, m->extra[i].host,
		    m->extra[i].state, m->extra[i].reason, m->extra[i].n) == -1)
			return snprintf(err, errlen, "out of memory"), -1;
	}
	return merge_overlap(m, err, errlen);
}

/*
 * Whether the reports overlap: a host given more ports than were scanned
 * (the unlisted ports of two files cannot be told apart, so the same
 * port counted twice is only seen in the sum).  0, or -1 with err.
 */
static int
merge_overlap(const struct merge *m, char *err, size_t errlen)
{
	char		 hs[NET_ADDRSTRLEN + 300];
	uint64_t	 sum;
	uint32_t	 h;
	int		 s;

	for (h = 0; h < m->set.nhost; h++) {
		for (sum = 0, s = 0; s < PROBE_NSTATES; s++)
			sum += m->hc[h].n[s];
		if (sum > m->set.plist[0].n)
			return snprintf(err, errlen, "the reports give %s %llu "
			    "ports, but %zu were scanned: they overlap "
			    "(--merge joins the shards of one run)",
			    report_host(&m->set, h, 0, hs, sizeof hs),
			    (unsigned long long)sum, m->set.plist[0].n), -1;
	}
	return 0;
}

void
merge_free(struct merge *m)
{
	report_results_free(m->res, m->nres);
	report_tally_free(&m->tally);
	free(m->hc);
	free(m->extra);
	tgt_set_free(&m->set);
	memset(m, 0, sizeof *m);
}
