/*
 * unit-tsg.c: the time-sequence graph over synthetic tracker events, in
 * TAP: a retransmission is drawn apart, the ACK line never goes down,
 * the window's edge is the last ACK plus the window, duplicate ACKs,
 * SACK blocks and the FIN are marked; past its budget the graph is
 * decimated into at most TSG_COLUMNS columns that still count every
 * segment, and keeps every retransmission up to its cap (saying what it
 * left out); sequence numbers past 4 GiB keep rising; no input is an
 * empty graph that says so.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "tap.h"
#include "track.h"
#include "tsg.h"

static struct track_conv conv = { .id = 1, .proto = IPPROTO_TCP };

/* Feed one packet of end dir: payload len at rseq, ACK rack with win. */
static void
feed(struct tsg *g, int64_t ts, int dir, uint32_t rseq, uint32_t len,
    uint32_t rack, uint8_t flags, const char *marks)
{
	struct decode_pkt	 pk;
	struct track_event	 ev;

	memset(&pk, 0, sizeof pk);
	memset(&ev, 0, sizeof ev);
	pk.proto = IPPROTO_TCP;
	pk.paylen = len;
	pk.flags = flags;
	ev.kind = TRACK_EV_PACKET;
	ev.conv = &conv;
	ev.pkt = &pk;
	ev.ts = ts;
	ev.dir = dir;
	ev.rseq = rseq;
	ev.rack = rack;
	ev.win = 1000;
	ev.retrans = strchr(marks, 'r') != NULL;
	ev.dupack = strchr(marks, 'd') != NULL;
	if (strchr(marks, 's') != NULL) {
		pk.opt.nsack = 1;
		ev.sack[0][0] = rack + 100;
		ev.sack[0][1] = rack + 200;
	}
	tsg_event(g, &ev);
}

/* The graph written into a string (free it). */
static char *
written(struct tsg *g, int *rc)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*fp = open_memstream(&buf, &len);

	*rc = tsg_write(g, fp);
	fclose(fp);
	return buf;
}

/* How often needle occurs in s. */
static int
count(const char *s, const char *needle)
{
	int	 n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* The sum of data-n="N" over the elements that start with prefix. */
static long long
sum_n(const char *s, const char *prefix)
{
	long long	 n = 0;
	const char	*p;

	while ((s = strstr(s, prefix)) != NULL) {
		s += strlen(prefix);
		if ((p = strstr(s, "data-n=\"")) != NULL)
			n += strtoll(p + 8, NULL, 10);
	}
	return n;
}

/* Whether the y values (each after " V") of the ack path never rise. */
static int
ack_monotone(const char *s)
{
	const char	*p = strstr(s, "<path class=\"ack\""), *end;
	double		 y, last = 1e9;

	if (p == NULL || (end = strstr(p, "/>")) == NULL)
		return 0;
	while ((p = strstr(p, " V")) != NULL && p < end) {
		y = strtod(p + 2, NULL);
		if (y > last + 1e-6)
			return 0;
		last = y;
		p += 2;
	}
	return 1;
}

static void
test_small(void)
{
	struct tsg_opts	 o = { .dir = -1, .title = "t" };
	struct tsg	*g = tsg_new(&o);
	struct tsg_info	 in;
	uint32_t	 i;
	char		*svg;
	int		 rc;

	feed(g, 0, 0, 0, 0, 0, DECODE_SYN, "");
	feed(g, 1000, 1, 0, 0, 1, DECODE_SYN | DECODE_ACK, "");
	for (i = 0; i < 10; i++)
		feed(g, 2000 + i * 1000, 0, 1 + 100 * i, 100, 1, DECODE_ACK,
		    i == 5 ? "r" : "");
	for (i = 0; i < 4; i++)
		feed(g, 20000 + i * 1000, 1, 1, 0, 101 + 100 * (i < 2 ? i :
		    1), DECODE_ACK, i >= 2 ? "ds" : "");
	feed(g, 30000, 1, 1, 0, 1001, DECODE_ACK, "");
	feed(g, 31000, 0, 1001, 0, 1, DECODE_FIN | DECODE_ACK, "");
	feed(g, 32000, 1, 1, 0, 1002, DECODE_ACK, "");
	tap_ok(tsg_info(g, -1, &in) == 0, "a conversation with data found");
	tap_is_ll(in.dir, 0, "the direction with more data drawn");
	tap_is_ll(in.segs, 10, "10 data segments");
	tap_is_ll(in.retrans_kept, 1, "the retransmission kept apart");
	tap_is_ll(in.last_ack, 1002, "the last ACK");
	tap_is_ll(in.last_edge, 2002, "the window's edge: ACK + window");
	svg = written(g, &rc);
	tap_is_ll(rc, 0, "written");
	tap_is_ll(count(svg, "class=\"data\""), 9, "9 plain data bars");
	tap_is_ll(count(svg, "class=\"data retrans\""), 1,
	    "1 retransmission bar");
	tap_ok(strstr(svg, "class=\"ack\" data-last=\"1002\"") != NULL,
	    "the ACK line ends at the last ACK");
	tap_ok(strstr(svg, "class=\"win\" data-last=\"2002\"") != NULL,
	    "the window edge ends at ACK + window");
	tap_ok(ack_monotone(svg), "the ACK line never goes down");
	tap_is_ll(count(svg, "class=\"dupack\" data-n"), 2, "2 duplicate ACKs");
	tap_is_ll(count(svg, "class=\"sack\""), 2, "2 SACK blocks");
	tap_is_ll(count(svg, "class=\"fin\" cx"), 1, "the FIN marked");
	tap_is_ll(count(svg, "<svg") == 1 && count(svg, "</svg>") == 1, 1,
	    "one whole document");
	free(svg);
	tsg_free(g);
}

static void
test_decimate(void)
{
	struct tsg_opts	 o = { .dir = -1, .max_points = 100,
	    .max_retrans = 40 };
	struct tsg	*g = tsg_new(&o);
	struct tsg_info	 in;
	char		*svg, left[256];
	uint32_t	 i;
	int		 rc;

	for (i = 0; i < 100000; i++) {
		feed(g, (int64_t)i * 1000000, 1, 1 + 1000 * i, 1000, 1,
		    DECODE_ACK, i % 1000 == 7 ? "r" : "");
		feed(g, (int64_t)i * 1000000 + 500, 0, 1, 0, 1001 + 1000 * i,
		    DECODE_ACK, "");
	}
	tsg_info(g, -1, &in);
	tap_is_ll(in.dir, 1, "B -> A carried the data");
	tap_ok(in.decimated, "100000 segments past a budget of 100: decimated");
	tap_ok(in.columns > TSG_COLUMNS / 2 && in.columns <= TSG_COLUMNS,
	    "between half and all the columns used");
	tap_is_ll(in.retrans, 100, "100 retransmissions counted");
	tap_is_ll(in.retrans_kept, 40, "the first 40 kept (the cap)");
	tap_ok(in.last_ack == 1001 + 1000LL * 99999, "the last ACK kept");
	svg = written(g, &rc);
	tap_is_ll(rc, 0, "written");
	tap_is_ll(count(svg, "class=\"data retrans\""), 40,
	    "every kept retransmission drawn");
	tap_is_ll(count(svg, "class=\"data\""), 0, "no single plain bar");
	tap_ok(count(svg, "class=\"data-bin\"") <= TSG_COLUMNS,
	    "at most one bar a column");
	tap_is_ll(sum_n(svg, "class=\"data"), 100000,
	    "the bars count every segment");
	tap_ok(ack_monotone(svg), "the decimated ACK line never goes down");
	tap_ok(tsg_left_out(g, left, sizeof left) == 1 && strstr(left,
	    "60 retransmissions past the first 40") != NULL,
	    "what the cap left out is said");
	tap_ok(strstr(svg, "60 retransmissions past the first 40") != NULL,
	    "in the picture too");
	free(svg);
	tsg_free(g);
}

static void
test_wrap(void)
{
	struct tsg_opts	 o = { .dir = 0 };
	struct tsg	*g = tsg_new(&o);
	struct tsg_info	 in;
	uint64_t	 s;

	for (s = 1; s < 5ULL * 1024 * 1024 * 1024; s += 64 * 1024 * 1024) {
		feed(g, (int64_t)s, 0, (uint32_t)s, 1000, 1, DECODE_ACK, "");
		feed(g, (int64_t)s + 1, 1, 1, 0, (uint32_t)(s + 1000),
		    DECODE_ACK, "");
	}
	tsg_info(g, -1, &in);
	tap_ok(in.last_ack > (1LL << 32), "past 4 GiB the ACK keeps rising");
	tsg_free(g);
}

static void
test_empty(void)
{
	struct tsg_opts	 o = { .dir = -1 };
	struct tsg	*g = tsg_new(&o);
	struct tsg_info	 in;
	char		*svg, left[256];
	int		 rc;

	tap_is_ll(tsg_info(g, -1, &in), -1, "no input: no conversation");
	svg = written(g, &rc);
	tap_is_ll(rc, 0, "an empty graph is written");
	tap_ok(strstr(svg, "no TCP conversation carried data") != NULL &&
	    strstr(svg, "</svg>") != NULL, "a whole document that says so");
	tap_ok(tsg_left_out(g, left, sizeof left) == 1,
	    "and tsg_left_out() says so");
	free(svg);
	tsg_free(g);
}

int
main(void)
{
	test_small();
	test_decimate();
	test_wrap();
	test_empty();
	return tap_done();
}
