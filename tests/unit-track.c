/*
 * unit-track.c: the conversation table, printing TAP.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "track.h"
#include "words.h"

static uint64_t	 last_id, ends, end_ids[8];
static int	 last_dir;

/* The last TCP packet event, for the evidence tests. */
static struct track_event last;
static int	 nlast;

/* The close notes seen and the verdict of the last conversation ended. */
static char	 close_note[TRACK_NOTE_LEN], how[200];

static void
on_event(void *arg, const struct track_event *ev)
{
	(void)arg;
	if (ev->kind == TRACK_EV_PACKET) {
		last = *ev;
		nlast++;
	}
	for (int i = 0; i < ev->nnotes; i++)
		if (strstr(ev->notes[i].text, "close") != NULL)
			snprintf(close_note, sizeof close_note, "%s",
			    ev->notes[i].text);
	if (ev->kind == TRACK_EV_END) {
		words_how(ev->conv, 0, how, sizeof how);
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

/* Feed a segment of the 10.0.0.1:1000 <-> 10.0.0.2:80 conversation. */
static void
feed(struct track *tr, int from_b, uint8_t flags, uint32_t seq, uint32_t ack)
{
	struct decode_pkt	 pk;
	static int64_t		 ts;

	if (from_b)
		seg(&pk, AF_INET, 2, 80, 1, 1000, flags);
	else
		seg(&pk, AF_INET, 1, 1000, 2, 80, flags);
	pk.seq = seq;
	pk.ack = ack;
	track_packet(tr, ts += 1000, &pk, on_event, NULL);
}

/* Open 10.0.0.1:1000 -> 10.0.0.2:80: ISNs 100 (A) and 500 (B). */
static void
open_conv(struct track *tr)
{
	feed(tr, 0, DECODE_SYN, 100, 0);
	feed(tr, 1, DECODE_SYN | DECODE_ACK, 500, 101);
	feed(tr, 0, DECODE_ACK, 101, 501);
}

/* States move on evidence: a captured FIN is not a received one. */
static void
test_evidence(void)
{
	struct track	*tr = track_new(0);

	track_set_lookahead(tr, 1);
	feed(tr, 0, DECODE_SYN, 100, 0);
	tap_ok(last.state[0] == TRACK_SYN_SENT &&
	    last.state[1] == TRACK_UNKNOWN,
	    "a SYN alone: A SYN_SENT, B ? (not LISTEN)");
	feed(tr, 1, DECODE_SYN | DECODE_ACK, 500, 101);
	tap_ok(last.state[1] == TRACK_SYN_RECEIVED && last.changed[1],
	    "the SYN,ACK shows B SYN_RECEIVED");
	nlast = 0;
	feed(tr, 0, DECODE_ACK, 101, 501);
	tap_is_ll(nlast, 0, "the handshake ACK waits for the next packet");
	feed(tr, 0, DECODE_FIN | DECODE_ACK, 101, 501);
	tap_ok(nlast == 2 && last.state[0] == TRACK_FIN_WAIT_1 &&
	    last.state[1] == TRACK_ESTABLISHED,
	    "A's FIN: A FIN_WAIT_1, B not CLOSE_WAIT");
	feed(tr, 1, DECODE_FIN | DECODE_ACK, 501, 101);
	feed(tr, 0, DECODE_ACK, 102, 502);
	tap_is_str(track_state_name(last.state[1]), "FIN_WAIT_1", "B's FIN "
	    "with ack=1 (not covering A's FIN): B ESTABLISHED -> FIN_WAIT_1");
	feed(tr, 1, DECODE_ACK, 502, 102);
	tap_is_str(track_state_name(last.state[0]), "CLOSING", "A acknowledges "
	    "B's FIN while its own is unacknowledged: CLOSING");
	track_finish(tr, on_event, NULL);
	tap_ok(last.state[1] == TRACK_TIME_WAIT && last.npath[1] == 3 &&
	    last.path[1][1] == TRACK_CLOSING, "B: FIN_WAIT_1 -> CLOSING -> "
	    "TIME_WAIT on its ACK");
	tap_is_str(track_state_name(last.state[0]), "TIME_WAIT",
	    "A's ACK, presumed, moves A on");
}

/*
 * recv() = 0 at A: with B's FIN captured, A received it and its ACK
 * field, though A's ACK of it is not captured yet (the reader can wake
 * before the kernel sends that ACK); without, only that a FIN came.
 */
static void
test_eof_call(int fin_captured)
{
	struct track		*tr = track_new(0);
	struct decode_addr	 a;
	enum track_state	 path[TRACK_MAX_PATH + 1];
	size_t			 np = 0;
	uint64_t		 conv = 0;
	int			 e;

	memset(&a, 0, sizeof a);
	a.family = AF_INET;
	a.addr[3] = 1;
	open_conv(tr);
	if (fin_captured) {
		feed(tr, 0, DECODE_FIN | DECODE_ACK, 101, 501);
		feed(tr, 1, DECODE_FIN | DECODE_ACK, 501, 102);
	} else
		feed(tr, 0, DECODE_ACK, 101, 501);
	track_flush(tr, on_event, NULL);
	e = track_call(tr, &a, 1000, TRACK_CALL_EOF, path, &np, &conv);
	if (fin_captured) {
		tap_ok(e == 0 && np == 3 && path[0] == TRACK_FIN_WAIT_1 &&
		    path[1] == TRACK_FIN_WAIT_2 && path[2] == TRACK_TIME_WAIT &&
		    conv == 1,
		    "EOF after B's FIN,ACK: A FIN_WAIT_1 -> FIN_WAIT_2 -> "
		    "TIME_WAIT at the call");
		feed(tr, 0, DECODE_ACK, 102, 502);
		track_flush(tr, on_event, NULL);
		tap_ok(last.state[0] == TRACK_TIME_WAIT &&
		    last.state[1] == TRACK_CLOSED, "A's ACK then: A stays "
		    "TIME_WAIT, B LAST_ACK -> CLOSED");
	} else
		tap_ok(e == 0 && np == 2 && path[0] == TRACK_ESTABLISHED &&
		    path[1] == TRACK_CLOSE_WAIT, "EOF with no FIN captured: "
		    "A ESTABLISHED -> CLOSE_WAIT");
	track_finish(tr, on_event, NULL);
}

/* A lost final ACK: undone when the FIN comes again, with and without
 * lookahead. */
static void
test_lost_ack(int lookahead)
{
	struct track	*tr = track_new(0);

	track_set_lookahead(tr, lookahead);
	open_conv(tr);
	feed(tr, 0, DECODE_FIN | DECODE_ACK, 101, 501);
	feed(tr, 1, DECODE_ACK, 501, 102);
	feed(tr, 1, DECODE_FIN | DECODE_ACK, 501, 102);
	feed(tr, 0, DECODE_ACK, 102, 502);	/* lost */
	nlast = 0;
	feed(tr, 1, DECODE_FIN | DECODE_ACK, 501, 102);	/* again */
	if (lookahead) {
		tap_ok(nlast == 2 && last.state[1] == TRACK_LAST_ACK &&
		    !last.changed[1], "lookahead: B stays LAST_ACK while it "
		    "resends its FIN");
	} else {
		tap_ok(last.state[1] == TRACK_LAST_ACK && last.changed[1] &&
		    last.path[1][0] == TRACK_CLOSED, "live: the resent FIN "
		    "draws B back to LAST_ACK");
	}
	feed(tr, 0, DECODE_ACK, 102, 502);
	track_finish(tr, on_event, NULL);
	tap_ok(last.state[1] == TRACK_CLOSED && last.changed[1],
	    "the ACK that is not contradicted closes B");
}

/*
 * A handshake's ACK lost while another conversation goes on: B's SYN,ACK
 * sent again, after the other's packets, still undoes the ESTABLISHED
 * presumed for B, and counts as a retransmission; with and without
 * lookahead.
 */
static void
test_ack_lost_between(int lookahead)
{
	struct track		*tr = track_new(0);
	struct decode_pkt	 pk;
	static int64_t		 ts = 2000000;

	track_set_lookahead(tr, lookahead);
	open_conv(tr);			/* A's ACK: lost */
	seg(&pk, AF_INET, 3, 2000, 2, 80, DECODE_SYN);	/* another client */
	track_packet(tr, ts += 1000, &pk, on_event, NULL);
	seg(&pk, AF_INET, 2, 80, 3, 2000, DECODE_SYN | DECODE_ACK);
	pk.ack = 101;
	track_packet(tr, ts += 1000, &pk, on_event, NULL);
	feed(tr, 1, DECODE_SYN | DECODE_ACK, 500, 101);	/* again */
	tap_ok(last.state[1] == TRACK_SYN_RECEIVED && last.retrans &&
	    last.conv->end[1].retrans == 1, lookahead ? "lookahead: B's "
	    "SYN,ACK again, after another conversation: B SYN_RECEIVED, a "
	    "retransmission" : "live: B's SYN,ACK again, after another "
	    "conversation: B SYN_RECEIVED, a retransmission");
	tap_ok(last.changed[1] && last.path[1][0] == TRACK_ESTABLISHED,
	    "drawn back from ESTABLISHED, with a note");
	feed(tr, 0, DECODE_ACK, 101, 501);
	track_finish(tr, on_event, NULL);
	tap_ok(last.state[1] == TRACK_ESTABLISHED && last.changed[1],
	    "the ACK again: B ESTABLISHED (presumed)");
}

/* A RST answering a SYN: no listener. */
static void
test_refused(void)
{
	struct track	*tr = track_new(0);

	track_set_lookahead(tr, 1);
	feed(tr, 0, DECODE_SYN, 100, 0);
	feed(tr, 1, DECODE_RST | DECODE_ACK, 0, 101);
	track_finish(tr, on_event, NULL);
	tap_ok(last.state[1] == TRACK_NO_LISTENER && strcmp(track_state_name(
	    last.state[1]), "no listener") == 0 && last.state[0] ==
	    TRACK_CLOSED, "refused: B no listener, A CLOSED");
}

/*
 * The close's name says which segments it saw: FIN, ACK (here on data),
 * FIN, ACK is a 4-segment close in the note and the verdict; when the
 * last FIN is acknowledged by a segment that resends the first FIN (its
 * ACK was lost after the capture), neither calls it a 4-segment close.
 */
static void
test_close_words(int resent)
{
	struct track		*tr = track_new(0);
	struct decode_pkt	 pk;
	static int64_t		 ts = 1000000;

	track_set_lookahead(tr, 1);
	close_note[0] = how[0] = '\0';
	open_conv(tr);
	feed(tr, 0, DECODE_FIN | DECODE_ACK, 101, 501);
	seg(&pk, AF_INET, 2, 80, 1, 1000, DECODE_PSH | DECODE_ACK);
	pk.seq = 501;
	pk.ack = 102;
	pk.paylen = 5;
	track_packet(tr, ts += 1000, &pk, on_event, NULL);
	feed(tr, 1, DECODE_FIN | DECODE_ACK, 506, 102);
	feed(tr, 0, DECODE_ACK | (resent ? DECODE_FIN : 0), resent ? 101 :
	    102, 507);
	track_finish(tr, on_event, NULL);
	if (resent) {
		tap_ok(strstr(close_note, "4-segment") == NULL,
		    "FIN, ACK, FIN, FIN+ACK: the note is no 4-segment close");
		tap_ok(strstr(how, "4-segment") == NULL && strstr(how,
		    "closed by A") != NULL, "FIN, ACK, FIN, FIN+ACK: nor is "
		    "the verdict");
		tap_diag_str("verdict: ", how);
	} else {
		tap_is_str(close_note, "4-segment close: FIN, ACK, FIN, ACK",
		    "FIN, ACK on data, FIN, ACK: a 4-segment close");
		tap_is_str(how, "closed by A (FIN first), 4-segment close",
		    "FIN, ACK on data, FIN, ACK: the verdict says so");
	}
}

int
main(void)
{
	struct track		*tr = track_new(2);
	struct decode_pkt	 pk;

	seg(&pk, AF_INET, 9, 5000, 1, 80, DECODE_SYN);
	track_packet(tr, 1, &pk, on_event, NULL);
	tap_ok(last_id == 1 && last_dir == 0,
	    "first packet opens conversation 1");
	seg(&pk, AF_INET, 1, 80, 9, 5000, DECODE_SYN | DECODE_ACK);
	track_packet(tr, 2, &pk, on_event, NULL);
	tap_ok(last_id == 1 && last_dir == 1, "the reply finds it, reversed");
	seg(&pk, AF_INET, 1, 5000, 1, 5001, DECODE_SYN);
	track_packet(tr, 3, &pk, on_event, NULL);
	tap_is_ll((long long)last_id, 2,
	    "one address on two ports is another conversation");
	seg(&pk, AF_INET, 1, 5001, 1, 5000, DECODE_ACK);
	track_packet(tr, 4, &pk, on_event, NULL);
	tap_ok(last_id == 2 && last_dir == 1, "and its reverse direction");
	seg(&pk, AF_INET6, 9, 5000, 1, 80, DECODE_SYN);
	track_packet(tr, 5, &pk, on_event, NULL);
	tap_is_ll((long long)last_id, 3,
	    "the same numbers over IPv6 are a new conversation");
	tap_ok(ends == 1 && end_ids[0] == 1, "a full table ends the oldest");
	track_finish(tr, on_event, NULL);
	tap_ok(ends == 3 && end_ids[1] == 2 && end_ids[2] == 3,
	    "finish ends the rest in id order");
	tap_is_str(track_state_name(TRACK_TIME_WAIT), "TIME_WAIT",
	    "state names");
	test_evidence();
	test_eof_call(1);
	test_eof_call(0);
	test_lost_ack(1);
	test_lost_ack(0);
	test_ack_lost_between(1);
	test_ack_lost_between(0);
	test_refused();
	test_close_words(0);
	test_close_words(1);
	return tap_done();
}
