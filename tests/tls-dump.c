/*
 * tls-dump.c: the TLS events of every TCP connection in a capture, one
 * line each, for tests/tlsdecode-tshark.sh and for reading by eye.
 *
 * Usage: tls-dump [-c] [-f FILE [-n N]] CAPTURE
 *   default  FRAME DIR NAME DETAIL (DIR: > from the connection's opener)
 *   -c       the canonical lines tests/tlsdecode-tshark.py also makes
 *            from tshark: records, handshake messages, hello fields
 *   -f FILE  also write the segments of the Nth connection (-n, default
 *            the first) as an input of tests/fuzz-tls.c (a seed of its
 *            corpus, a vector of tests/unit-tlsdecode.c)
 * Exit: 0, 1 when the capture cannot be read, 2 usage.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netinet/in.h>

#include <pcap/pcap.h>

#include "decode.h"
#include "tlsdecode.h"
#include "tls-vec.h"

#define MAX_FLOWS	16

struct flow {
	struct decode_addr a, b;	/* a opened it (or spoke first) */
	uint16_t	 pa, pb;
	uint32_t	 base[2];	/* ISN + 1, when the SYN was seen */
	int		 have_base[2];
	struct tls	*tls;
};

static struct flow flows[MAX_FLOWS];
static int	 nflows, canon, fuzz_flow;
static unsigned long frame;
static FILE	*fuzz_out;

/* The flow of pk and pk's direction in it, a new one if need be. */
static struct flow *
flow_of(const struct decode_pkt *pk, int *dir)
{
	struct flow	*f;
	int		 i;

	for (i = 0; i < nflows; i++) {
		f = &flows[i];
		if (f->pa == pk->sport && f->pb == pk->dport &&
		    !memcmp(&f->a, &pk->src, sizeof f->a) &&
		    !memcmp(&f->b, &pk->dst, sizeof f->b))
			return *dir = 0, f;
		if (f->pb == pk->sport && f->pa == pk->dport &&
		    !memcmp(&f->b, &pk->src, sizeof f->b) &&
		    !memcmp(&f->a, &pk->dst, sizeof f->a))
			return *dir = 1, f;
	}
	if (nflows == MAX_FLOWS || (pk->flags & DECODE_RST))
		return NULL;
	f = &flows[nflows++];
	*dir = (pk->flags & (DECODE_SYN | DECODE_ACK)) ==
	    (DECODE_SYN | DECODE_ACK);	/* a SYN-ACK: from the server */
	f->a = *dir ? pk->dst : pk->src;
	f->b = *dir ? pk->src : pk->dst;
	f->pa = *dir ? pk->dport : pk->sport;
	f->pb = *dir ? pk->sport : pk->dport;
	if ((f->tls = tls_new(0)) == NULL) {
		fprintf(stderr, "tls-dump: out of memory\n");
		exit(1);
	}
	return f;
}

/* A ClientHello's or ServerHello's fields, canonical. */
static void
print_hello(const struct tls_event *ev)
{
	const struct tls_hello	*h = ev->hello;
	int			 i;

	if (ev->hs_type == TLS_HS_CLIENT_HELLO) {
		printf(" sni=%s alpn=%s suites=%u versions=", h->sni, h->alpn,
		    h->nsuites);
		for (i = 0; i < h->nversions; i++)
			printf("%s0x%04x", i ? "," : "", h->versions[i]);
		printf(" groups=");
		for (i = 0; i < h->ngroups; i++)
			printf("%s%u", i ? "," : "", h->groups[i]);
	} else
		printf(" version=0x%04x cipher=0x%04x", h->version, h->cipher);
}

static void
print_event(const struct tls_event *ev, void *arg)
{
	(void)arg;
	if (!canon) {
		printf("%lu %s %s", frame, ev->dir ? "<" : ">", ev->name);
		if (ev->detail[0] != '\0')
			printf(" %s", ev->detail);
		if (ev->result != DECODE_OK)
			printf(" [%s]", decode_result_name(ev->result));
		printf("\n");
		return;
	}
	if (ev->kind == TLS_EV_RECORD && !ev->decrypted)
		printf("%lu rec %u %lu\n", frame, ev->rtype,
		    (unsigned long)ev->len);
	else if (ev->kind == TLS_EV_MESSAGE && ev->result == DECODE_OK) {
		printf("%lu hs %u", frame, ev->hs_type);
		if (ev->hello != NULL && ev->hs_type <= TLS_HS_SERVER_HELLO)
			print_hello(ev);
		printf("\n");
	} else if (ev->kind == TLS_EV_STOP)
		printf("%lu stop\n", frame);
}

/* One input chunk of tests/fuzz-tls.c: direction, sequence, bytes. */
static void
fuzz_chunk(int dir, uint32_t seq, const uint8_t *p, size_t len)
{
	uint8_t	 h[7];

	if (len > 0xffff)
		len = 0xffff;
	h[0] = (uint8_t)(dir | TLSVEC_SEQ);
	h[1] = (uint8_t)(seq >> 24);
	h[2] = (uint8_t)(seq >> 16);
	h[3] = (uint8_t)(seq >> 8);
	h[4] = (uint8_t)seq;
	h[5] = (uint8_t)(len >> 8);
	h[6] = (uint8_t)len;
	fwrite(h, 1, sizeof h, fuzz_out);
	fwrite(p, 1, len, fuzz_out);
}

/* A decoded TCP segment: its payload to its flow's decoder. */
static void
segment(const struct decode_pkt *pk)
{
	struct flow	*f;
	uint32_t	 rel;
	int		 dir;

	if ((f = flow_of(pk, &dir)) == NULL)
		return;
	if ((pk->flags & DECODE_SYN) && !f->have_base[dir]) {
		f->base[dir] = pk->seq + 1;
		f->have_base[dir] = 1;
		tls_start(f->tls, dir, 0);
	}
	if (pk->paycap == 0)
		return;
	if (!f->have_base[dir]) {	/* mid-stream: from the first byte */
		f->base[dir] = pk->seq;
		f->have_base[dir] = 1;
	}
	rel = pk->seq - f->base[dir];
	if (fuzz_out != NULL && f == &flows[fuzz_flow])
		fuzz_chunk(dir, rel, pk->payload, pk->paycap);
	tls_segment(f->tls, dir, rel, pk->payload, pk->paycap, print_event,
	    NULL);
}

int
main(int argc, char **argv)
{
	char			 errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr	*h;
	const u_char		*b;
	struct decode_pkt	 pk;
	pcap_t			*p;
	int			 c, i, dlt;

	while ((c = getopt(argc, argv, "cf:n:")) != -1) {
		if (c == 'c')
			canon = 1;
		else if (c == 'n' && atoi(optarg) >= 1 &&
		    atoi(optarg) <= MAX_FLOWS)
			fuzz_flow = atoi(optarg) - 1;
		else if (c == 'f' && (fuzz_out = fopen(optarg, "wb")) != NULL)
			fputc(TLSVEC_OPT_START, fuzz_out);
		else {
			fprintf(stderr, "usage: tls-dump [-c] [-f FILE [-n N]] "
			    "CAPTURE\n");
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: tls-dump [-c] [-f FILE [-n N]] "
		    "CAPTURE\n");
		return 2;
	}
	if ((p = pcap_open_offline(argv[optind], errbuf)) == NULL) {
		fprintf(stderr, "tls-dump: %s\n", errbuf);
		return 1;
	}
	dlt = pcap_datalink(p);
	while (pcap_next_ex(p, &h, &b) == 1) {
		frame++;
		if (decode_packet(dlt, b, h->caplen, h->len, &pk) == DECODE_OK &&
		    pk.proto == IPPROTO_TCP)
			segment(&pk);
	}
	pcap_close(p);
	for (i = 0; i < nflows; i++) {
		tls_finish(flows[i].tls, print_event, NULL);
		tls_free(flows[i].tls);
	}
	if (fuzz_out != NULL && fclose(fuzz_out) != 0)
		return 1;
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
