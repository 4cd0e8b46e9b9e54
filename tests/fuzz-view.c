/*
 * fuzz-view.c: a libFuzzer target for the decoder, tracker, the TLS layer
 * (tlsview.c) and renderer.
 *
 * An input that starts like a pcap file is read through libpcap, as
 * "sockkit view" reads it, and drawn in every mode and as SVG and HTML
 * pictures; anything else is one frame, decoded under the link type its
 * first byte picks.  The JSON drawing must be one valid JSON object per
 * line (tests/fuzz-jsoncheck.c).  Seeds: the golden pcaps in tests/golden,
 * the TLS captures of tests/tls and tests/fuzz/view.  A crash becomes a golden test.  Without libFuzzer, tests/fuzz-main.c replays the seeds in
 * "make check".
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "decode.h"
#include "fuzz.h"
#include "ladder.h"
#include "render.h"
#include "svg.h"
#include "tlsview.h"
#include "track.h"

const char *const fuzz_seed_dirs[] = { "golden", "tls", "fuzz/view",
    "fuzz/regress/view", NULL };

/* The render sink's TLS layer between the tracker and a renderer. */
struct hop {
	struct tlsview	*tv;
	track_cb	 cb;
	void		*arg;
};

/* As render_event() does: the event's TLS hung on a copy of it. */
static void
tls_hop(void *arg, const struct track_event *ev)
{
	struct hop		*h = arg;
	struct track_event	 e = *ev;

	tlsview_event(h->tv, &e, NULL);
	h->cb(h->arg, &e);
	if (ev->kind == TRACK_EV_END)
		tlsview_forget(h->tv, ev->conv);
}

static const int dlts[] = {
	DECODE_DLT_NULL, DECODE_DLT_EN10MB, DECODE_DLT_RAW, DECODE_DLT_LOOP,
	DECODE_DLT_LINUX_SLL, DECODE_DLT_IPV4, DECODE_DLT_IPV6,
	DECODE_DLT_LINUX_SLL2,
};

/*
 * Feed a whole capture through the decoder and a small tracker to cb.
 * Returns 0, or -1 when libpcap does not take it as a capture.
 */
static int
fuzz_pcap(const uint8_t *data, size_t size, track_cb cb, void *arg)
{
	char			 errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr	*h;
	const u_char		*b;
	struct decode_pkt	 pk;
	struct track		*tr;
	FILE			*in;
	pcap_t			*p;
	int			 dlt;
	const struct tlsview_opts to = { .keylog = NULL, .preview = 16 };
	struct hop		 hop = { NULL, cb, arg };

	if ((in = fmemopen((void *)(uintptr_t)data, size, "r")) == NULL)
		return -1;
	if ((p = pcap_fopen_offline_with_tstamp_precision(in,
	    PCAP_TSTAMP_PRECISION_NANO, errbuf)) == NULL) {
		fclose(in);
		return -1;
	}
	tr = track_new(4);		/* small: eviction gets exercised */
	hop.tv = tlsview_new(&to);
	dlt = pcap_datalink(p);
	while (tr != NULL && hop.tv != NULL && pcap_next_ex(p, &h, &b) == 1) {
		decode_packet(dlt, b, h->caplen, h->len, &pk);
		track_packet(tr, (int64_t)h->ts.tv_sec * 1000000000 +
		    h->ts.tv_usec, &pk, tls_hop, &hop);
	}
	if (tr != NULL)
		track_finish(tr, hop.tv != NULL ? tls_hop : cb, hop.tv !=
		    NULL ? (void *)&hop : arg);	/* frees tr */
	tlsview_free(hop.tv);
	pcap_close(p);			/* closes in */
	return 0;
}

/* Draw a whole capture in one mode, to out. */
static void
fuzz_ladder(const uint8_t *data, size_t size, enum ladder_mode mode,
    FILE *out)
{
	struct ladder_opts	 lo;
	struct ladder		*ld;

	memset(&lo, 0, sizeof lo);
	lo.mode = mode;
	lo.preview = 16;
	lo.full = size & 1;
	if ((ld = ladder_new(out, &lo)) == NULL)
		return;
	fuzz_pcap(data, size, ladder_event, ld);
	ladder_free(ld);
}

/* Draw a capture as an SVG picture and as an HTML page, to out. */
static void
fuzz_svg(const uint8_t *data, size_t size, FILE *out)
{
	struct svg_opts	 so;
	struct svg	*sv;

	memset(&so, 0, sizeof so);
	so.preview = 16;
	so.transcript = 1;
	so.text = &render_transcript;
	so.full = size & 1;
	so.title = "fuzz";
	if ((sv = svg_new(&so)) == NULL)
		return;
	if (fuzz_pcap(data, size, svg_event, sv) == 0) {
		svg_write(sv, out);
		svg_html(sv, out);
	}
	svg_free(sv);
}

/* Draw a capture as JSON: every line must be one valid JSON object. */
static void
fuzz_json(const uint8_t *data, size_t size)
{
	char	*buf = NULL, *line, *nl;
	size_t	 len = 0;
	FILE	*fp;

	if ((fp = open_memstream(&buf, &len)) == NULL)
		abort();
	fuzz_ladder(data, size, LADDER_JSON, fp);
	if (fclose(fp) != 0)
		abort();
	for (line = buf; line < buf + len; line = nl + 1) {
		FUZZ_ASSERT((nl = memchr(line, '\n', len - (size_t)(line -
		    buf))) != NULL);		/* whole lines only */
		FUZZ_ASSERT(json_check_object(line, (size_t)(nl - line)) == 0);
	}
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE		*out;
	struct decode_pkt	 pk;

	if (out == NULL && (out = fopen("/dev/null", "w")) == NULL)
		return 0;
	if (size >= 24 && (memcmp(data, "\xd4\xc3\xb2\xa1", 4) == 0 ||
	    memcmp(data, "\x4d\x3c\xb2\xa1", 4) == 0 ||
	    memcmp(data, "\x0a\x0d\x0d\x0a", 4) == 0)) {
		fuzz_ladder(data, size, LADDER_DRAW, out);
		fuzz_json(data, size);
		fuzz_ladder(data, size, LADDER_SUMMARY, out);
		fuzz_svg(data, size, out);
		return 0;
	}
	if (size > 0)
		decode_packet(dlts[data[0] % (sizeof dlts / sizeof dlts[0])],
		    data + 1, (uint32_t)size - 1, (uint32_t)size - 1 +
		    (size > 1 ? data[1] % 4 : 0), &pk);
	return 0;
}
