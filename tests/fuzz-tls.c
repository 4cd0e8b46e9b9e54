/*
 * fuzz-tls.c: a fuzz target for the TLS decoder (src/tlsdecode.c).
 *
 * The input is a segment file of tests/tls-vec.h: an options byte (the
 * message bound, a stand-in decrypting layer, known stream starts, or one
 * raw stream), then TCP segments of both directions with their sequence
 * numbers, so gaps, overlaps and retransmissions come out of the
 * mutations.  Properties: no read outside the input or the decoder's
 * buffers (ASan; every event body is read whole), never more buffered
 * per direction than tls_bound(), every name and detail printable and
 * within its array, nothing more said of a direction once it stopped.
 * Seeds: tests/fuzz/tls (the loopback captures of tests/tls and hostile
 * streams).  Without libFuzzer, tests/fuzz-main.c replays them.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tls-vec.h"
#include "tlsdecode.h"

const char *const fuzz_seed_dirs[] = { "fuzz/tls", "fuzz/regress/tls",
    NULL };

struct state {
	struct tls	*t;
	int		 stopped[2];
	unsigned	 sum;
};

/* s is printable ASCII and ends within size bytes. */
static void
check_text(const char *s, size_t size)
{
	size_t	 i;

	FUZZ_ASSERT(s != NULL);
	for (i = 0; i < size && s[i] != '\0'; i++)
		FUZZ_ASSERT(s[i] >= 0x20 && s[i] < 0x7f);
	FUZZ_ASSERT(i < size);
}

static void
check_event(const struct tls_event *ev, void *arg)
{
	struct state	*st = arg;
	size_t		 i;

	FUZZ_ASSERT(ev->dir == 0 || ev->dir == 1);
	FUZZ_ASSERT(!st->stopped[ev->dir]);
	FUZZ_ASSERT(ev->kind <= TLS_EV_STOP);
	FUZZ_ASSERT(ev->result <= DECODE_UNSUPPORTED);
	check_text(ev->name, 64);
	FUZZ_ASSERT(ev->name[0] != '\0');
	check_text(ev->detail, sizeof ev->detail);
	if (ev->hello != NULL) {
		check_text(ev->hello->sni, sizeof ev->hello->sni);
		check_text(ev->hello->alpn, sizeof ev->hello->alpn);
		FUZZ_ASSERT(ev->hello->nversions <= TLS_MAX_LIST &&
		    ev->hello->ngroups <= TLS_MAX_LIST);
	}
	for (i = 0; i < ev->body_len; i++)	/* ASan: all of it there */
		st->sum += ev->body[i];
	FUZZ_ASSERT(tls_buffered(st->t, ev->dir) <= tls_bound(st->t));
	if (ev->kind == TLS_EV_STOP)
		st->stopped[ev->dir] = 1;
}

/* One segment, whole or a byte at a time. */
static void
feed(struct state *st, int dir, uint32_t seq, const uint8_t *p, size_t n,
    int bytes)
{
	size_t	 k;

	if (!bytes)
		tls_segment(st->t, dir, seq, p, n, check_event, st);
	else
		for (k = 0; k < n; k++)
			tls_segment(st->t, dir, seq + (uint32_t)k, p + k, 1,
			    check_event, st);
	FUZZ_ASSERT(tls_buffered(st->t, dir) <= tls_bound(st->t));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t keep[] = { 0, 256, 1024, 4096 };
	const struct tls_info *in;
	struct tlsvec	 v;
	struct state	 st;
	const uint8_t	*p;
	uint32_t	 seq;
	size_t		 n;
	uint8_t		 opt, fl;
	int		 dir;

	memset(&st, 0, sizeof st);
	opt = tlsvec_open(&v, data, size);
	if ((st.t = tls_new(keep[opt & TLSVEC_OPT_KEEP])) == NULL)
		return 0;
	if (opt & TLSVEC_OPT_DECRYPT)
		tls_set_decrypt(st.t, tlsvec_identity_decrypt, NULL);
	if (opt & TLSVEC_OPT_START) {
		tls_start(st.t, 0, 0);
		tls_start(st.t, 1, 0);
	}
	if (opt & TLSVEC_OPT_RAW)
		feed(&st, 0, 0, data + v.off, size - v.off, 0);
	else
		while (tlsvec_next(&v, &dir, &seq, &p, &n, &fl))
			feed(&st, dir, seq, p, n, fl & TLSVEC_BYTES);
	tls_finish(st.t, check_event, &st);
	in = tls_get_info(st.t);
	check_text(in->sni, sizeof in->sni);
	check_text(in->alpn, sizeof in->alpn);
	FUZZ_ASSERT(in->client_dir >= -1 && in->client_dir <= 1);
	tls_free(st.t);
	return 0;
}
