/*
 * cmd-raw-listen.c: "raw listen", a one-protocol packet printer.  A SOCK_RAW
 * socket of the protocol gets a copy of every IPv4 packet of it that
 * reaches this host (IP header included); each is decoded by decode.c
 * and printed as one line, like tcpdump -nn, or one JSON object.  With
 * --trace, --write, --svg or --html the same packets are fed to a capture
 * (capture_open_fed()): a ladder, a pcap file, pictures.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd-raw.h"
#include "craft.h"
#include "decode.h"
#include "ladder.h"
#include "rawsock.h"
#include "track.h"
#include "util.h"

#define RL_BUF	65536

struct rl_opts {
	int		 family;	/* AF_INET, or AF_INET6 with -6 */
	int		 proto;		/* -1: not given */
	long		 count;		/* 0: until interrupted */
	int		 json;
	struct cmd_ctx	*c;		/* --trace, --write, --svg, --html */
};

/* One received packet, decoded, with what the printers need. */
struct rl_pkt {
	struct decode_pkt pk;
	struct timespec	 ts;		/* the kernel's, SO_TIMESTAMPNS */
	uint32_t	 iplen;		/* bytes after the IP header */
	char		 src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
};

/* raw listen's own options (cmd_option_fn); 0 or -1 with err. */
static int
rl_option(void *arg_o, int ch, const char *arg, char *err, size_t errlen)
{
	struct rl_opts	*o = arg_o;
	char		 why[256];

	switch (ch) {
	case OPT_PROTO:
		if (raw_parse_proto(arg, &o->proto, why, sizeof why) == -1 ||
		    o->proto == 0 || o->proto == IPPROTO_RAW) {
			snprintf(err, errlen, "--proto %s: %s", arg,
			    o->proto == 0 || o->proto == IPPROTO_RAW ?
			    "a raw socket cannot receive it" : why);
			return -1;
		}
		return 0;
	case OPT_JSON:
		o->json = 1;
		return 0;
	}
	if (parse_long(arg, 0, 1000000000, &o->count, why, sizeof why) == 0)
		return 0;
	snprintf(err, errlen, "-c %s: %s", arg, why);
	return -1;
}

/* raw listen's defaults: no --proto yet. */
static void
rl_init(struct cmd_ctx *c, void *arg)
{
	struct rl_opts	*o = arg;

	o->c = c;
	o->proto = -1;
}

/* --proto given, no operand; returns -1 or EXIT_USAGE. */
static int
rl_check(struct cmd_ctx *c, void *arg)
{
	struct rl_opts	*o = arg;

	if (o->proto == -1)
		return cmd_usage_error(c->cmd, "listen: missing --proto (icmp, "
		    "tcp, udp or a protocol number)");
	/* AF_INET unless -6; "icmp" with -6 means ICMPv6. */
	o->family = c->family == AF_INET6 ? AF_INET6 : AF_INET;
	if (o->family == AF_INET6 && o->proto == IPPROTO_ICMP)
		o->proto = IPPROTO_ICMPV6;
	if (c->argc > 0)
		return cmd_usage_error(c->cmd, "listen: unexpected argument "
		    "'%s'", c->argv[0]);
	return -1;
}

/* "14:02:03.123456", local time, into buf. */
static void
rl_time(const struct timespec *ts, char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 t = ts->tv_sec;

	localtime_r(&t, &tm);
	snprintf(buf, len, "%02d:%02d:%02d.%06ld", tm.tm_hour, tm.tm_min,
	    tm.tm_sec, (long)ts->tv_nsec / 1000);
}

/* A protocol's name for the line: "ICMP", "TCP", or "protocol 253". */
static void
rl_proto(int proto, char *buf, size_t len)
{
	const char	*n = raw_proto_name(proto);
	size_t		 i;

	if (n == NULL) {
		snprintf(buf, len, "protocol %d", proto);
		return;
	}
	if (proto == IPPROTO_ICMPV6) {
		snprintf(buf, len, "ICMPv6");
		return;
	}
	for (i = 0; n[i] != '\0' && i + 1 < len; i++)
		buf[i] = (char)(n[i] >= 'a' && n[i] <= 'z' ? n[i] - 32 : n[i]);
	buf[i] = '\0';
}

/* The transport details of a line, after "src > dst: ". */
static void
rl_details(const struct rl_pkt *p, char *buf, size_t len)
{
	const struct decode_pkt	*pk = &p->pk;
	const char		*name;
	char			 fl[64];

	if (pk->result != DECODE_OK && pk->result != DECODE_UNSUPPORTED) {
		snprintf(buf, len, "[|%s] %s", pk->layer, pk->reason);
	} else if (pk->proto == IPPROTO_TCP) {
		snprintf(buf, len, "[%s], seq %u, ack %u, win %u, length %u",
		    craft_flags_name(pk->flags, fl, sizeof fl), pk->seq,
		    pk->ack, pk->win, pk->paylen);
	} else if (pk->proto == IPPROTO_UDP) {
		snprintf(buf, len, "length %u", pk->paylen);
	} else if (pk->proto == IPPROTO_ICMP || pk->proto == IPPROTO_ICMPV6) {
		name = track_icmp_name(pk->proto == IPPROTO_ICMPV6,
		    pk->icmp_type, pk->icmp_code);
		if (pk->icmp_echo)
			snprintf(buf, len, "%s, id %u, seq %u, length %u",
			    name, pk->sport, pk->seq, pk->paylen + 8);
		else
			snprintf(buf, len, "%s (type %u, code %u), length %u",
			    name != NULL ? name : "type", pk->icmp_type,
			    pk->icmp_code, pk->paylen + 8);
	} else
		snprintf(buf, len, "length %u", p->iplen);
}

/* One line, tcpdump -nn style. */
static void
rl_print_line(const struct rl_pkt *p)
{
	const struct decode_pkt	*pk = &p->pk;
	char			 t[32], pr[32], det[256], s[64], d[64];
	int			 ports;

	ports = pk->result == DECODE_OK && (pk->proto == IPPROTO_TCP ||
	    pk->proto == IPPROTO_UDP);
	rl_time(&p->ts, t, sizeof t);
	rl_proto(pk->proto, pr, sizeof pr);
	rl_details(p, det, sizeof det);
	snprintf(s, sizeof s, "%s", p->src);
	snprintf(d, sizeof d, "%s", p->dst);
	if (ports) {
		snprintf(s, sizeof s, "%s.%u", p->src, pk->sport);
		snprintf(d, sizeof d, "%s.%u", p->dst, pk->dport);
	}
	printf("%s %s > %s: %s%s %s, ttl %u\n", t, s, d, pr,
	    raw_proto_name(pk->proto) == NULL ? "," : "", det, pk->ttl);
}

/* The protocol fields of a JSON object, each with a leading comma. */
static void
rl_json_fields(const struct decode_pkt *pk)
{
	char	 fl[64];

	if (pk->result == DECODE_OK && (pk->proto == IPPROTO_TCP ||
	    pk->proto == IPPROTO_UDP))
		printf(",\"sport\":%u,\"dport\":%u", pk->sport, pk->dport);
	if (pk->result == DECODE_OK && pk->proto == IPPROTO_TCP)
		printf(",\"flags\":\"%s\",\"seq\":%u,\"ack\":%u,\"win\":%u",
		    craft_flags_name(pk->flags, fl, sizeof fl), pk->seq,
		    pk->ack, pk->win);
	if (pk->result == DECODE_OK && (pk->proto == IPPROTO_ICMP ||
	    pk->proto == IPPROTO_ICMPV6)) {
		printf(",\"type\":%u,\"code\":%u", pk->icmp_type,
		    pk->icmp_code);
		if (pk->icmp_echo)
			printf(",\"id\":%u,\"seq\":%u", pk->sport, pk->seq);
	}
	if (pk->result == DECODE_OK && pk->payload != NULL) {
		fputs(",\"payload\":", stdout);
		ladder_json_string(stdout, pk->payload, pk->paycap);
	}
}

/* One JSON object on one line. */
static void
rl_print_json(const struct rl_pkt *p)
{
	const struct decode_pkt	*pk = &p->pk;
	const char		*n = raw_proto_name(pk->proto);

	printf("{\"time\":%lld.%06ld,\"src\":\"%s\",\"dst\":\"%s\","
	    "\"proto\":%u,\"proto_name\":", (long long)p->ts.tv_sec,
	    (long)p->ts.tv_nsec / 1000, p->src, p->dst, pk->proto);
	ladder_json_string(stdout, (const uint8_t *)(n != NULL ? n : ""),
	    n != NULL ? strlen(n) : 0);
	printf(",\"ttl\":%u,\"length\":%u,\"result\":\"%s\"", pk->ttl,
	    p->iplen, decode_result_name(pk->result));
	if (pk->result != DECODE_OK && pk->result != DECODE_UNSUPPORTED) {
		fputs(",\"reason\":", stdout);
		ladder_json_string(stdout, (const uint8_t *)pk->reason,
		    strlen(pk->reason));
	}
	rl_json_fields(pk);
	fputs("}\n", stdout);
}

/*
 * Decode n bytes of buf (an IPv4 packet, header included, or with v6 an
 * IPv6 packet whose header rl_recv6() rebuilt) into p.  The IPv4 header
 * length is read with the same care decode.c takes: one byte,
 * range-checked against n.
 */
static void
rl_decode(const uint8_t *buf, size_t n, int v6, const struct timespec *ts,
    struct rl_pkt *p)
{
	size_t	 ihl = 40;

	memset(p, 0, sizeof *p);
	p->ts = *ts;
	decode_packet(v6 ? DECODE_DLT_IPV6 : DECODE_DLT_RAW, buf, (uint32_t)n,
	    (uint32_t)n, &p->pk);
	if (!v6)
		ihl = n >= 1 ? (size_t)(buf[0] & 0x0f) * 4 : 0;
	p->iplen = ihl <= n ? (uint32_t)(n - ihl) : 0;
	inet_ntop(v6 ? AF_INET6 : AF_INET, p->pk.src.addr, p->src,
	    sizeof p->src);
	inet_ntop(v6 ? AF_INET6 : AF_INET, p->pk.dst.addr, p->dst,
	    sizeof p->dst);
}

/* What recvmsg() says beside a packet. */
struct rl_meta {
	struct timespec	 ts;		/* SO_TIMESTAMPNS, else now */
	uint32_t	 drops;		/* SO_RXQ_OVFL: dropped so far */
	uint8_t		 dst6[16];	/* IPV6_PKTINFO */
	int		 hops;		/* IPV6_HOPLIMIT */
};

/* Read the control messages of m into meta. */
static void
rl_cmsgs(struct msghdr *m, struct rl_meta *meta)
{
	struct cmsghdr		*c;
	struct in6_pktinfo	 pi;

	for (c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SO_TIMESTAMPNS &&
		    c->cmsg_len >= CMSG_LEN(sizeof meta->ts))
			memcpy(&meta->ts, CMSG_DATA(c), sizeof meta->ts);
		else if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SO_RXQ_OVFL &&
		    c->cmsg_len >= CMSG_LEN(sizeof meta->drops))
			memcpy(&meta->drops, CMSG_DATA(c), sizeof meta->drops);
		else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof pi)) {
			memcpy(&pi, CMSG_DATA(c), sizeof pi);
			memcpy(meta->dst6, &pi.ipi6_addr, 16);
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_HOPLIMIT &&
		    c->cmsg_len >= CMSG_LEN(sizeof meta->hops))
			memcpy(&meta->hops, CMSG_DATA(c), sizeof meta->hops);
	}
}

/*
 * Receive one packet into buf with its time and the drop count.  An IPv4
 * raw socket hands over the IP header too; an IPv6 one the payload only
 * (RFC 3542 3): that goes 40 bytes into buf, and the header it came with
 * is written in front, rebuilt from the sender, IPV6_PKTINFO and
 * IPV6_HOPLIMIT, so that decode.c reads it like any IPv6 packet.
 * Returns the packet's length, or -1.
 */
static ssize_t
rl_recv(int fd, const struct rl_opts *o, uint8_t *buf, size_t len,
    struct rl_meta *meta)
{
	struct sockaddr_in6	 from;
	char			 cbuf[512];
	int			 v6 = o->family == AF_INET6;
	struct iovec		 iov = { buf + (v6 ? 40 : 0), len - 40 };
	struct msghdr		 m;
	ssize_t			 n;

	memset(&m, 0, sizeof m);
	m.msg_name = &from;
	m.msg_namelen = sizeof from;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf;
	m.msg_controllen = sizeof cbuf;
	if ((n = recvmsg(fd, &m, MSG_DONTWAIT)) <= 0)
		return -1;
	clock_gettime(CLOCK_REALTIME, &meta->ts);
	rl_cmsgs(&m, meta);
	if (!v6)
		return n;
	memset(buf, 0, 40);
	buf[0] = 0x60;
	buf[4] = (uint8_t)(n >> 8);
	buf[5] = (uint8_t)n;
	buf[6] = (uint8_t)o->proto;
	buf[7] = (uint8_t)meta->hops;
	memcpy(buf + 8, &from.sin6_addr, 16);
	memcpy(buf + 24, meta->dst6, 16);
	return n + 40;
}

/* Print one packet and hand it to the capture, if any. */
static void
rl_packet(const struct rl_opts *o, struct capture *cap, const uint8_t *buf,
    size_t n, const struct rl_meta *meta)
{
	struct rl_pkt	 p;

	rl_decode(buf, n, o->family == AF_INET6, &meta->ts, &p);
	if (o->json)
		rl_print_json(&p);
	else
		rl_print_line(&p);
	fflush(stdout);
	if (cap != NULL)
		capture_feed(cap, (int64_t)meta->ts.tv_sec * 1000000000 +
		    meta->ts.tv_nsec, buf, n);
}

/*
 * Receive and print until -c packets or a signal.  Returns the count
 * received; *drops is what the kernel dropped for a full socket buffer.
 */
static long
rl_loop(const struct rl_opts *o, int fd, struct capture *cap,
    uint32_t *drops)
{
	static uint8_t	 buf[RL_BUF + 40];
	struct pollfd	 pfd;
	struct rl_meta	 meta;
	ssize_t		 n;
	long		 got = 0;

	pfd.fd = fd;
	pfd.events = POLLIN;
	memset(&meta, 0, sizeof meta);
	while (o->count == 0 || got < o->count) {
		if (sk_poll(&pfd, 1, -1) == -1) {
			if (errno == EINTR)
				break;
			continue;
		}
		if ((n = rl_recv(fd, o, buf, sizeof buf, &meta)) <= 0)
			continue;
		rl_packet(o, cap, buf, (size_t)n, &meta);
		got++;
	}
	*drops = meta.drops;
	return got;
}

/*
 * The raw socket, with each packet's kernel time and the drop count (and
 * for IPv6 its destination and hop limit).  Returns the fd or -1 with err.
 */
static int
rl_open(const struct rl_opts *o, char *err, size_t errlen)
{
	int	 fd, on = 1;

	if ((fd = raw_open(o->family, o->proto, err, errlen)) == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on) == -1 ||
	    (o->family == AF_INET6 && (setsockopt(fd, IPPROTO_IPV6,
	    IPV6_RECVPKTINFO, &on, sizeof on) == -1 || setsockopt(fd,
	    IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof on) == -1))) {
		snprintf(err, errlen, "setsockopt: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The socket, then the capture (its files opened while still root), then
 * the drop.  Returns the fd, or -1 after saying why.
 */
static int
rl_setup(const struct rl_opts *o, struct capture **cap)
{
	char	 err[512];
	int	 fd;

	*cap = NULL;
	if ((fd = rl_open(o, err, sizeof err)) == -1) {
		sk_warnx("raw: listen: %s", err);
		return -1;
	}
	if (capture_wanted(&o->c->cap) && (*cap = capture_open_fed(
	    &o->c->cap, DECODE_DLT_RAW, err, sizeof err)) == NULL) {
		sk_warnx("raw: listen: %s", err);
		close(fd);
		return -1;
	}
	if (cmd_drop_privileges(o->c) != -1) {
		capture_close(*cap);
		*cap = NULL;
		close(fd);
		return -1;
	}
	return fd;
}

/* Print what the raw socket receives until -c or ^C; the exit status. */
static int
rl_start(struct cmd_ctx *c, void *arg)
{
	const struct rl_opts *o = arg;
	struct capture	*cap;
	char		 pr[32];
	long		 got;
	uint32_t	 drops;
	int		 fd, rc;

	if ((fd = rl_setup(o, &cap)) == -1)
		return EXIT_RUNTIME;
	c->capture = cap;
	rl_proto(o->proto, pr, sizeof pr);
	fprintf(stderr, "Listening for %s", pr);
	if (raw_proto_name(o->proto) != NULL)
		fprintf(stderr, " (protocol %d)", o->proto);
	fprintf(stderr, " on a raw %s socket\n", o->family == AF_INET6 ?
	    "IPv6" : "IPv4");
	got = rl_loop(o, fd, cap, &drops);
	close(fd);
	rc = cmd_end(c, EXIT_OK);
	fprintf(stderr, "%ld packet%s received", got, got == 1 ? "" : "s");
	if (drops > 0)
		fprintf(stderr, ", %lu dropped by the kernel (socket buffer "
		    "full)", (unsigned long)drops);
	fprintf(stderr, "\n");
	if (fflush(stdout) == EOF || ferror(stdout)) {
		sk_warn("raw: listen: stdout");
		return EXIT_RUNTIME;
	}
	return rc;
}

/* --json is its own (a JSON object per packet), not the shared one. */
const struct cmd_entry raw_listen_entry = {
	.name = "listen", .shorts = "46c:", .longs = "proto json",
	.size = sizeof(struct rl_opts), .init = rl_init, .option = rl_option,
	.check = rl_check, .run = rl_start,
};
