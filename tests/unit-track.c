/*
 * unit-track.c: the conversation table, printing TAP.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "track.h"

static int	 n, failed;
static uint64_t	 last_id, ends, end_ids[8];
static int	 last_dir;

static void
ok(int cond, const char *what)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++n, what);
	if (!cond)
		failed++;
}

static void
on_event(void *arg, const struct track_event *ev)
{
	(void)arg;
	if (ev->kind == TRACK_EV_END) {
		if (ends < 8)
			end_ids[ends] = ev->conv->id;
		ends++;
		return;
	}
	last_id = ev->conv ? ev->conv->id : 0;
	last_dir = ev->dir;
}

/* A decoded TCP segment from a:ap to b:bp (family fam, last byte a, b). */
static void
seg(struct decode_pkt *pk, int fam, uint8_t a, uint16_t ap, uint8_t b,
    uint16_t bp, uint8_t flags)
{
	memset(pk, 0, sizeof *pk);
	pk->proto = IPPROTO_TCP;
	pk->src.family = pk->dst.family = (uint8_t)fam;
	pk->src.addr[fam == AF_INET ? 3 : 15] = a;
	pk->dst.addr[fam == AF_INET ? 3 : 15] = b;
	pk->sport = ap;
	pk->dport = bp;
	pk->flags = flags;
	pk->seq = 100;
}

int
main(void)
{
	struct track		*tr = track_new(2);
	struct decode_pkt	 pk;

	seg(&pk, AF_INET, 9, 5000, 1, 80, DECODE_SYN);
	track_packet(tr, 1, &pk, on_event, NULL);
	ok(last_id == 1 && last_dir == 0, "first packet opens conversation 1");
	seg(&pk, AF_INET, 1, 80, 9, 5000, DECODE_SYN | DECODE_ACK);
	track_packet(tr, 2, &pk, on_event, NULL);
	ok(last_id == 1 && last_dir == 1, "the reply finds it, reversed");
	seg(&pk, AF_INET, 1, 5000, 1, 5001, DECODE_SYN);
	track_packet(tr, 3, &pk, on_event, NULL);
	ok(last_id == 2, "one address on two ports is another conversation");
	seg(&pk, AF_INET, 1, 5001, 1, 5000, DECODE_ACK);
	track_packet(tr, 4, &pk, on_event, NULL);
	ok(last_id == 2 && last_dir == 1, "and its reverse direction");
	seg(&pk, AF_INET6, 9, 5000, 1, 80, DECODE_SYN);
	track_packet(tr, 5, &pk, on_event, NULL);
	ok(last_id == 3, "the same numbers over IPv6 are a new conversation");
	ok(ends == 1 && end_ids[0] == 1, "a full table ends the oldest");
	track_finish(tr, on_event, NULL);
	ok(ends == 3 && end_ids[1] == 2 && end_ids[2] == 3,
	    "finish ends the rest in id order");
	ok(strcmp(track_state_name(TRACK_TIME_WAIT), "TIME_WAIT") == 0,
	    "state names");
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
