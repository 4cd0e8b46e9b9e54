/*
 * cmd-raw-craft.c: "raw tcp", "raw udp" and "raw ip": one crafted IPv4 packet
 * per probe, sent through a SOCK_RAW IPPROTO_RAW socket (IP_HDRINCL), and
 * its replies judged from the capture that also draws them: SYN,ACK open,
 * RST closed, ICMP errors with type and code, nothing filtered.  The RST
 * that this host's kernel sends for a SYN,ACK to a port no socket owns is
 * marked as such.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd-raw.h"
#include "craft.h"
#include "decode.h"
#include "net.h"
#include "rawsock.h"
#include "track.h"
#include "util.h"

#define RC_WAIT_MS	1000		/* -W: for the replies of a probe */
#define RC_INTERVAL_MS	1000		/* -i: between probes */
#define RC_ERR		256

/* A numeric option's name, range and where it goes. */
struct rc_num {
	int		 ch;
	const char	*name;
	long		 min, max;
	size_t		 off;
	int		 where;		/* 't' tcp only, 'l' tcp and udp, 0 all */
};

struct rc_opts {
	const char	*sub;		/* "tcp", "udp", "ip" */
	int		 proto;		/* IPPROTO_TCP, _UDP, or --proto */
	const char	*host;
	uint16_t	 dport;
	uint8_t		 flags;
	long		 sport, seq, id;	/* -1: random */
	long		 ack, win, ttl, tos;
	int		 df, badsum;
	long		 count, interval_ms, wait_ms;
	const char	*tcp_only, *l4_only;	/* an option given, by name */
	size_t		 paylen;
	struct cmd_ctx	*c;		/* the shared options, the capture */
	uint8_t		 payload[CRAFT_IP_MAX];
};

static const struct rc_num rc_nums[] = {
	{ OPT_SPORT, "--sport", 1, 65535, offsetof(struct rc_opts, sport),
	    'l' },
	{ OPT_SEQ, "--seq", 0, 4294967295L, offsetof(struct rc_opts, seq),
	    't' },
	{ OPT_ACK, "--ack", 0, 4294967295L, offsetof(struct rc_opts, ack),
	    't' },
	{ OPT_WIN, "--win", 0, 65535, offsetof(struct rc_opts, win), 't' },
	{ OPT_TTL, "--ttl", 1, 255, offsetof(struct rc_opts, ttl), 0 },
	{ OPT_TOS, "--tos", 0, 255, offsetof(struct rc_opts, tos), 0 },
	{ OPT_ID, "--id", 0, 65535, offsetof(struct rc_opts, id), 0 },
	{ 'c', "-c", 1, 1000000, offsetof(struct rc_opts, count), 0 },
};

/* One run: the socket, the capture, and the probe in flight. */
struct rc_run {
	struct rc_opts	*o;
	int		 fd;
	struct capture	*cap;
	struct sockaddr_in local, remote;
	struct craft_pkt pkt;
	char		 dst[INET_ADDRSTRLEN];
	int		 own_seen;	/* our packet went by in the capture */
	int		 answered;
	int64_t		 sent_ns;	/* on the capture's clock */
	char		 verdict[200];
	long		 nanswered;
};

static int	rc_usage(const struct rc_opts *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* "sockkit: raw: tcp: ...": a usage error of the subcommand. */
static int
rc_usage(const struct rc_opts *o, const char *fmt, ...)
{
	char	 msg[RC_ERR + 64];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return cmd_usage_error(&cmd_raw_entry, "%s: %s", o->sub, msg);
}

/*
 * Defaults: a SYN with random port, sequence and id, TTL 64; the
 * protocol is the subcommand's (ip: --proto).
 */
static void
rc_init(struct cmd_ctx *c, void *arg)
{
	struct rc_opts	*o = arg;

	o->c = c;
	o->sub = c->sub;
	o->proto = strcmp(c->sub, "tcp") == 0 ? IPPROTO_TCP :
	    strcmp(c->sub, "udp") == 0 ? IPPROTO_UDP : -1;
	o->flags = DECODE_SYN;
	o->sport = o->seq = o->id = -1;
	o->win = 1024;
	o->ttl = 64;
	o->count = 1;
	o->interval_ms = RC_INTERVAL_MS;
	o->wait_ms = RC_WAIT_MS;
}

/* A numeric option of rc_nums; 1 if ch was one, -1 with err if bad. */
static int
rc_parse_num(struct rc_opts *o, int ch, const char *arg, char *err,
    size_t errlen)
{
	const struct rc_num	*n;
	char			 why[RC_ERR];
	size_t			 i;
	long			 v;

	for (i = 0; i < sizeof rc_nums / sizeof rc_nums[0]; i++) {
		n = &rc_nums[i];
		if (n->ch != ch)
			continue;
		if (parse_long(arg, n->min, n->max, &v, why, sizeof why) == -1)
			return snprintf(err, errlen, "%s %s: %s", n->name, arg,
			    why), -1;
		memcpy((char *)o + n->off, &v, sizeof v);
		if (n->where == 't')
			o->tcp_only = n->name;
		else if (n->where == 'l')
			o->l4_only = n->name;
		return 1;
	}
	return 0;
}

/* --data, --data-hex: the payload; 0 or -1 with err. */
static int
rc_parse_data(struct rc_opts *o, int ch, const char *arg, char *err,
    size_t errlen)
{
	char	 why[RC_ERR];
	ssize_t	 n;

	if (ch == OPT_DATA) {
		n = (ssize_t)strlen(arg);
		if ((size_t)n > sizeof o->payload)
			n = (ssize_t)sizeof o->payload + 1;
		else
			memcpy(o->payload, arg, (size_t)n);
	} else if ((n = craft_parse_hex(arg, o->payload, sizeof o->payload,
	    why, sizeof why)) == -1)
		return snprintf(err, errlen, "--data-hex: %s", why), -1;
	o->paylen = (size_t)n;
	return 0;
}

/* The flags, payload, protocol and times; 0, or -1 with err. */
static int
rc_parse_other(struct rc_opts *o, int ch, const char *arg, char *err,
    size_t errlen)
{
	char	 why[RC_ERR];

	switch (ch) {
	case OPT_FLAGS:
		o->tcp_only = "--flags";
		if (craft_parse_flags(arg, &o->flags, why, sizeof why) == -1)
			return snprintf(err, errlen, "--flags %s: %s", arg,
			    why), -1;
		return 0;
	case OPT_DF:
		o->df = 1;
		return 0;
	case OPT_BADSUM:
		o->badsum = 1;
		o->l4_only = "--badsum";
		return 0;
	case OPT_DATA:
	case OPT_DATA_HEX:
		return rc_parse_data(o, ch, arg, err, errlen);
	case OPT_PROTO:
		if (strcmp(o->sub, "ip") != 0)
			return snprintf(err, errlen, "--proto applies to raw "
			    "ip only"), -1;
		if (raw_parse_proto(arg, &o->proto, why, sizeof why) == -1)
			return snprintf(err, errlen, "--proto %s: %s", arg,
			    why), -1;
		return 0;
	}
	if (parse_secs(arg, 3600000, ch == 'i' ? &o->interval_ms :
	    &o->wait_ms, why, sizeof why) == -1)
		return snprintf(err, errlen, "-%c %s: %s", ch, arg, why), -1;
	/* No wait at all would call every reply silence. */
	if (ch == 'W' && o->wait_ms < 1)
		return snprintf(err, errlen, "-W %s: below 0.001 s", arg), -1;
	return 0;
}

/* raw tcp, udp and ip's own options (cmd_option_fn); 0 or -1 with err. */
static int
rc_option(void *arg_o, int ch, const char *arg, char *err, size_t errlen)
{
	struct rc_opts	*o = arg_o;
	int		 rc;

	if ((rc = rc_parse_num(o, ch, arg, err, errlen)) != 0)
		return rc < 0 ? -1 : 0;
	return rc_parse_other(o, ch, arg, err, errlen);
}

/* What the options say together; 0, or -1 after a usage error. */
static int
rc_check(struct rc_opts *o)
{
	size_t	 max;
	int	 ip = strcmp(o->sub, "ip") == 0;

	if (o->tcp_only != NULL && strcmp(o->sub, "tcp") != 0)
		return rc_usage(o, "%s applies to raw tcp only", o->tcp_only),
		    -1;
	if (o->l4_only != NULL && ip)
		return rc_usage(o, "%s applies to raw tcp and raw udp only",
		    o->l4_only), -1;
	if (o->proto == -1)
		return rc_usage(o, "missing --proto N (a number 0-255 or a "
		    "name such as gre)"), -1;
	max = craft_max_payload(ip ? -1 : o->proto);
	if (o->paylen > max)
		return rc_usage(o, "payload of %s%zu bytes is too big: one "
		    "IPv4 packet carries at most %zu", o->paylen >
		    sizeof o->payload ? "more than " : "", o->paylen >
		    sizeof o->payload ? sizeof o->payload : o->paylen, max), -1;
	/* The ladder is the point of these commands: always drawn. */
	o->c->cap.trace = 1;
	return 0;
}

/* HOST and PORT (none for ip); 0, or -1 after a usage error. */
static int
rc_positional(struct rc_opts *o, int argc, char **argv)
{
	const char	*bad;
	char		 why[RC_ERR];
	int		 want = strcmp(o->sub, "ip") == 0 ? 1 : 2;

	if (argc < want)
		return rc_usage(o, "missing %s", argc == 0 ? "HOST" : "PORT"),
		    -1;
	if (argc > want)
		return rc_usage(o, "unexpected argument '%s'", argv[want]), -1;
	o->host = argv[0];
	if ((bad = net_host_why(o->host)) != NULL)
		return rc_usage(o, "bad host '%s': %s", o->host, bad), -1;
	if (strchr(o->host, ':') != NULL)
		return rc_usage(o, "%s is an IPv6 address: crafted packets "
		    "are IPv4 only (IP_HDRINCL); give an IPv4 HOST", o->host),
		    -1;
	if (want == 2 && net_parse_port(argv[1], o->sub, 1, &o->dport, why,
	    sizeof why) == -1)
		return rc_usage(o, "%s", why), -1;
	return 0;
}

/* IPv4 only, the options together, HOST and PORT; -1 or EXIT_USAGE. */
static int
rc_check_all(struct cmd_ctx *c, void *arg)
{
	struct rc_opts	*o = arg;

	if (c->family == AF_INET6)
		return rc_usage(o, "-6: crafted packets are IPv4 only "
		    "(IP_HDRINCL); give an IPv4 HOST");
	if (rc_check(o) == -1 || rc_positional(o, c->argc, c->argv) == -1)
		return EXIT_USAGE;
	return -1;
}

/* A random 32-bit number (for ports, sequence numbers, ids). */
static uint32_t
rc_random(void)
{
	uint32_t	v = 0;

	if (getrandom(&v, sizeof v, 0) != sizeof v)
		v = (uint32_t)now_us() * 2654435761u;
	return v;
}

/*
 * The source address the route to remote takes, and (without --sport) a
 * port no socket owns: bound and released at once, so that a SYN,ACK to
 * it draws this kernel's RST.  Returns 0 or -1 with err.
 */
static int
rc_source(struct rc_run *r, char *err, size_t errlen)
{
	struct sockaddr_in	 sin = r->remote;
	socklen_t		 len = sizeof r->local;
	int			 fd, type;

	type = r->o->proto == IPPROTO_UDP ? SOCK_DGRAM : SOCK_STREAM;
	if (sin.sin_port == 0)
		sin.sin_port = htons(9);
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    getsockname(fd, (struct sockaddr *)&r->local, &len) == -1) {
		snprintf(err, errlen, "no route to %s: %s", r->dst,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	r->local.sin_port = htons((uint16_t)r->o->sport);
	if (r->o->sport != -1)
		return 0;
	r->local.sin_port = 0;
	len = sizeof r->local;
	if ((fd = socket(AF_INET, type, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&r->local, sizeof r->local) == -1 ||
	    getsockname(fd, (struct sockaddr *)&r->local, &len) == -1)
		r->local.sin_port = htons((uint16_t)(40000 +
		    rc_random() % 20000));
	if (fd != -1)
		close(fd);
	return 0;
}

/* The packet every probe sends (the IP id changes per probe). */
static void
rc_packet(struct rc_run *r)
{
	const struct rc_opts	*o = r->o;
	struct craft_pkt	*p = &r->pkt;

	memset(p, 0, sizeof *p);
	p->proto = (uint8_t)o->proto;
	memcpy(p->src, &r->local.sin_addr, 4);
	memcpy(p->dst, &r->remote.sin_addr, 4);
	p->ttl = (uint8_t)o->ttl;
	p->tos = (uint8_t)o->tos;
	p->df = o->df;
	p->sport = ntohs(r->local.sin_port);
	p->dport = o->dport;
	p->seq = o->seq != -1 ? (uint32_t)o->seq : rc_random();
	p->ack = (uint32_t)o->ack;
	p->flags = o->flags;
	p->win = (uint16_t)o->win;
	p->badsum = o->badsum;
	p->payload = o->payload;
	p->paylen = o->paylen;
	p->bare = strcmp(o->sub, "ip") == 0;
	if (p->bare)
		p->sport = p->dport = 0;
}

/*
 * The capture filter: the probe's own protocol between the two hosts
 * (and ports), and ICMP errors quoting it.  Our headers carry no options,
 * so the quoted protocol, destination and ports sit at fixed offsets.
 */
static void
rc_filter(const struct rc_run *r, char *expr, size_t len)
{
	char		 src[INET_ADDRSTRLEN];
	const char	*errs = "icmp and (icmp[0] = 3 or icmp[0] = 4 or "
			    "icmp[0] = 5 or icmp[0] = 11 or icmp[0] = 12)";
	uint16_t	 sp = r->pkt.sport, dp = r->pkt.dport;
	int		 pr = r->pkt.proto;

	inet_ntop(AF_INET, &r->local.sin_addr, src, sizeof src);
	if (!r->pkt.bare)
		snprintf(expr, len, "(ip proto %d and host %s and host %s and "
		    "port %u and port %u) or (%s and icmp[17] = %d and "
		    "icmp[28:2] = %u and icmp[30:2] = %u)", pr, src, r->dst,
		    sp, dp, errs, pr, sp, dp);
	else
		snprintf(expr, len, "(ip proto %d and host %s and host %s) or "
		    "(%s and icmp[17] = %d and icmp[24:4] = %lu)", pr, src,
		    r->dst, errs, pr, (unsigned long)ntohl(
		    r->remote.sin_addr.s_addr));
}

/* Whether a is the IPv4 address in sin. */
static int
rc_is(const struct decode_addr *a, const struct sockaddr_in *sin)
{
	return a->family == AF_INET && memcmp(a->addr, &sin->sin_addr, 4) == 0;
}

/* Milliseconds from the probe's departure to ts. */
static double
rc_ms(const struct rc_run *r, int64_t ts)
{
	return (double)(ts - r->sent_ns) / 1e6;
}

/* What a TCP reply says about the port, given the probe's flags. */
static const char *
rc_tcp_state(uint8_t probe, uint8_t reply)
{
	if ((probe & (DECODE_SYN | DECODE_ACK)) == DECODE_SYN) {
		if ((reply & (DECODE_SYN | DECODE_ACK)) ==
		    (DECODE_SYN | DECODE_ACK))
			return "open";
		if (reply & DECODE_RST)
			return "closed";
	} else if (reply & DECODE_RST)
		return probe & DECODE_ACK ? "unfiltered" : "closed";
	return "answered";
}

/* The verdict when nothing came back within -W. */
static void
rc_silence(struct rc_run *r)
{
	const char	*state = NULL;
	uint8_t		 f = r->pkt.flags;

	if (r->pkt.bare)
		state = NULL;
	else if (r->pkt.proto == IPPROTO_TCP)
		state = (f & DECODE_SYN) || (f & DECODE_ACK) ? "filtered" :
		    "open|filtered";
	else if (r->pkt.proto == IPPROTO_UDP)
		state = "open|filtered";
	if (state == NULL)
		snprintf(r->verdict, sizeof r->verdict, "no reply in %g s",
		    (double)r->o->wait_ms / 1000);
	else
		snprintf(r->verdict, sizeof r->verdict, "%s (no reply in "
		    "%g s)", state, (double)r->o->wait_ms / 1000);
}

/* A reply of the probe's own protocol: the verdict. */
static void
rc_reply(struct rc_run *r, int64_t ts, const struct decode_pkt *pk)
{
	char	 fl[64];

	if (r->pkt.bare)
		snprintf(r->verdict, sizeof r->verdict, "answered (a protocol "
		    "%u packet in %.3f ms)", pk->proto, rc_ms(r, ts));
	else if (pk->proto == IPPROTO_TCP)
		snprintf(r->verdict, sizeof r->verdict, "%s (%s in %.3f ms)",
		    rc_tcp_state(r->pkt.flags, pk->flags),
		    craft_flags_name(pk->flags, fl, sizeof fl), rc_ms(r, ts));
	else if (pk->proto == IPPROTO_UDP)
		snprintf(r->verdict, sizeof r->verdict, "open (reply of %u "
		    "bytes in %.3f ms)", pk->paylen, rc_ms(r, ts));
	r->answered = 1;
}

/* An ICMP error about the probe: the verdict, with type, code, sender. */
static void
rc_icmp(struct rc_run *r, int64_t ts, const struct decode_pkt *pk)
{
	const char	*name, *state = "filtered";
	char		 from[INET_ADDRSTRLEN];

	name = track_icmp_name(0, pk->icmp_type, pk->icmp_code);
	inet_ntop(AF_INET, pk->src.addr, from, sizeof from);
	if (pk->icmp_type == 3 && pk->icmp_code == 3)
		state = "closed";
	else if (pk->icmp_type == 3 && pk->icmp_code == 2)
		state = "protocol unsupported";
	else if (pk->icmp_type == 11)
		state = "expired";
	snprintf(r->verdict, sizeof r->verdict, "%s (ICMP %s, type %u code "
	    "%u, from %s in %.3f ms)", state, name != NULL ? name : "error",
	    pk->icmp_type, pk->icmp_code, from, rc_ms(r, ts));
	r->answered = 1;
}

/* Whether pk is the probe itself, seen leaving in the capture. */
static int
rc_is_own(const struct rc_run *r, const struct decode_pkt *pk)
{
	if (r->own_seen)
		return 0;
	if (pk->proto == IPPROTO_TCP && !r->pkt.bare)
		return pk->seq == r->pkt.seq && pk->flags == r->pkt.flags;
	return 1;
}

/* pk goes from our address and port to the target's (or back: dir 1). */
static int
rc_way(const struct rc_run *r, const struct decode_pkt *pk, int back)
{
	const struct sockaddr_in *a = back ? &r->remote : &r->local,
				 *b = back ? &r->local : &r->remote;
	uint16_t		 ap = ntohs(a->sin_port), bp = ntohs(b->sin_port);

	if (pk->proto != r->pkt.proto || !rc_is(&pk->src, a) ||
	    !rc_is(&pk->dst, b))
		return 0;
	if (r->pkt.bare || (pk->proto != IPPROTO_TCP &&
	    pk->proto != IPPROTO_UDP))
		return 1;
	return pk->sport == ap && pk->dport == bp;
}

/* Whether ICMP error pk quotes one of our probes. */
static int
rc_quotes_us(const struct rc_run *r, const struct decode_pkt *pk)
{
	const struct decode_quote *q = &pk->quote;

	if (pk->proto != IPPROTO_ICMP || !pk->icmp_error || !q->valid ||
	    q->proto != r->pkt.proto || !rc_is(&q->dst, &r->remote))
		return 0;
	return !q->has_ports || r->pkt.bare || (q->sport == r->pkt.sport &&
	    q->dport == r->pkt.dport);
}

/*
 * The capture hook: our probe leaving (its time is the departure), the
 * target's first reply or an ICMP error (the verdict), and whatever this
 * host's kernel sends on its own, noted under the packet.
 */
static void
rc_hook(void *arg, int64_t ts, const struct decode_pkt *pk, char *note,
    size_t notelen)
{
	struct rc_run	*r = arg;

	if (rc_way(r, pk, 0) && rc_is_own(r, pk)) {
		r->own_seen = 1;
		r->sent_ns = ts;
		snprintf(note, notelen, "crafted by sockkit (IP_HDRINCL)%s",
		    r->pkt.badsum ? ", with a wrong checksum (--badsum)" : "");
	} else if (rc_way(r, pk, 0) && pk->proto == IPPROTO_TCP &&
	    !r->pkt.bare) {
		if (pk->flags & DECODE_RST)
			snprintf(note, notelen, "RST sent by this host's "
			    "kernel: no socket owns port %u", pk->sport);
		else
			snprintf(note, notelen, "sent by this host's kernel");
	} else if (!r->answered && (rc_way(r, pk, 1) || rc_quotes_us(r, pk))) {
		if (pk->proto == IPPROTO_ICMP && pk->icmp_error)
			rc_icmp(r, ts, pk);
		else
			rc_reply(r, ts, pk);
	}
}

/* Resolve HOST to one IPv4 address.  Returns 0 or -1 with err. */
static int
rc_resolve(struct rc_run *r, char *err, size_t errlen)
{
	struct addrinfo	*ai;

	if (net_resolve(r->o->host, r->o->dport, AF_INET, SOCK_DGRAM, 0, &ai,
	    err, errlen) == -1)
		return -1;
	memcpy(&r->remote, ai->ai_addr, sizeof r->remote);
	freeaddrinfo(ai);
	inet_ntop(AF_INET, &r->remote.sin_addr, r->dst, sizeof r->dst);
	return 0;
}

/*
 * Everything privileged, in order: the raw socket (whose failure says
 * how to get CAP_NET_RAW, before anything is sent), the capture with its
 * filter; then root and every capability go.  Returns 0 or -1 with err.
 */
static int
rc_open(struct rc_run *r, char *err, size_t errlen)
{
	char	 expr[512];
	int	 on = 1;

	if ((r->fd = raw_open(AF_INET, IPPROTO_RAW, err, errlen)) == -1)
		return -1;
	if (setsockopt(r->fd, IPPROTO_IP, IP_HDRINCL, &on, sizeof on) == -1) {
		snprintf(err, errlen, "IP_HDRINCL: %s", strerror(errno));
		return -1;
	}
	if (rc_resolve(r, err, errlen) == -1 ||
	    rc_source(r, err, errlen) == -1)
		return -1;
	rc_packet(r);
	if ((r->cap = capture_open(&r->o->c->cap, err, errlen)) == NULL)
		return -1;
	r->o->c->capture = r->cap;
	rc_filter(r, expr, sizeof expr);
	if (capture_filter_expr(r->cap, expr, err, errlen) == -1)
		return -1;
	capture_set_local(r->cap, (struct sockaddr *)&r->local);
	capture_set_hook(r->cap, rc_hook, r);
	return priv_drop(&r->o->c->priv, err, errlen);
}

/*
 * Feed the capture until the probe is answered or -W is over (then the
 * verdict is silence, and later replies are not counted) and, when more
 * probes follow, until the next one is due.  Returns -1 on SIGINT.
 */
static int
rc_wait(struct rc_run *r, int64_t start, int last)
{
	struct pollfd	 pfd;
	int64_t		 reply_end = start + r->o->wait_ms, end, now;

	end = last || r->o->interval_ms < r->o->wait_ms ? reply_end :
	    start + r->o->interval_ms;
	pfd.fd = capture_fd(r->cap);
	pfd.events = POLLIN;
	while ((now = now_ms()) < end) {
		if (!r->answered && now >= reply_end) {
			rc_silence(r);
			r->answered = -1;
		}
		if (r->answered && last)
			break;
		if (sk_poll(&pfd, 1, (int)((r->answered ? end : reply_end) -
		    now)) == -1) {
			if (errno == EINTR)
				return -1;
		} else if (pfd.revents != 0)
			capture_poll(r->cap);
	}
	if (!r->answered)
		rc_silence(r);
	return 0;
}

/* "10.0.0.2 port 22/tcp" or "10.0.0.2 protocol 253": what was probed. */
static void
rc_target(const struct rc_run *r, char *buf, size_t len)
{
	if (!r->pkt.bare)
		snprintf(buf, len, "%s port %u/%s", r->dst, r->pkt.dport,
		    r->o->sub);
	else
		snprintf(buf, len, "%s protocol %u", r->dst, r->pkt.proto);
}

/* Send probe i and print its verdict.  Returns 0, or -1 with err. */
static int
rc_probe(struct rc_run *r, long i, char *err, size_t errlen)
{
	uint8_t		 buf[CRAFT_IP_MAX];
	char		 what[64], target[96];
	ssize_t		 n;
	int64_t		 start = now_ms();

	r->pkt.id = r->o->id != -1 ? (uint16_t)r->o->id :
	    (uint16_t)rc_random();
	if ((n = craft_build(&r->pkt, buf, sizeof buf, err, errlen)) == -1)
		return -1;
	r->own_seen = r->answered = 0;
	r->sent_ns = capture_now();
	snprintf(what, sizeof what, "sendto() %zd bytes, raw IPv4", n);
	if (sendto(r->fd, buf, (size_t)n, 0, (struct sockaddr *)&r->remote,
	    sizeof r->remote) == -1) {
		snprintf(err, errlen, "sendto %s: %s", r->dst,
		    strerror(errno));
		return -1;
	}
	capture_call_at(r->cap, r->sent_ns, what, 0);
	if (rc_wait(r, start, i + 1 == r->o->count) == -1)
		return 0;
	r->nanswered += r->answered == 1;
	rc_target(r, target, sizeof target);
	printf("%s: %s\n", target, r->verdict);
	fflush(stdout);
	return 0;
}

/* Every probe, then the capture's last packets.  Returns an exit status. */
static int
rc_run(struct rc_run *r)
{
	char	 err[RC_ERR], target[96];
	long	 i;

	for (i = 0; i < r->o->count && !sk_interrupted; i++)
		if (rc_probe(r, i, err, sizeof err) == -1) {
			sk_warnx("raw: %s: %s", r->o->sub, err);
			return EXIT_RUNTIME;
		}
	capture_linger(r->cap);
	if (r->o->count > 1) {
		rc_target(r, target, sizeof target);
		printf("%s: %ld probes sent, %ld answered\n", target, i,
		    r->nanswered);
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		sk_warn("raw: %s: stdout", r->o->sub);
		return EXIT_RUNTIME;
	}
	return r->nanswered > 0 ? EXIT_OK : EXIT_RUNTIME;
}

/* Open, send every probe, judge the replies; the exit status. */
static int
rc_start(struct cmd_ctx *c, void *arg)
{
	struct rc_run	 r;
	char		 err[RC_ERR * 2];
	int		 rc = EXIT_RUNTIME;

	memset(&r, 0, sizeof r);
	r.o = arg;
	if (rc_open(&r, err, sizeof err) == -1)
		sk_warnx("raw: %s: %s", c->sub, err);
	else
		rc = rc_run(&r);
	rc = cmd_end(c, rc);
	if (r.fd > 0)
		close(r.fd);
	return rc;
}

/* raw tcp, raw udp and raw ip: c->sub says which. */
const struct cmd_entry raw_craft_entry = {
	.name = "tcp|udp|ip", .shorts = "46c:i:W:",
	.longs = "flags sport seq ack win ttl tos id df data data-hex badsum " "proto",
	.size = sizeof(struct rc_opts), .init = rc_init, .option = rc_option,
	.check = rc_check_all, .run = rc_start,
};
