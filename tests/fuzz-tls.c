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
 * With TLSVEC_OPT_KEYLOG the decrypting layer is the real one
 * (src/tlscrypt.c) with the key log of tests/tls/tls13-keylog.pcap, so
 * mutations of that capture's seed reach AEAD opening, key changes at
 * Finished and KeyUpdate, and the messages of what opened; with
 * TLSVEC_OPT_RAW too, the input is also read as a key log, line by line
 * (keylog_add_line: kept, skipped or refused with a printable reason).
 * Seeds: tests/fuzz/tls (the loopback captures of tests/tls and hostile
 * streams).  Without libFuzzer, tests/fuzz-main.c replays them.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "keylog.h"
#include "tls-vec.h"
#include "tlscrypt.h"
#include "tlsdecode.h"

const char *const fuzz_seed_dirs[] = { "fuzz/tls", "fuzz/regress/tls",
    NULL };

/* The secrets of tests/tls/tls13-keylog.pcap. */
static const char *const keys[] = {
	"SERVER_HANDSHAKE_TRAFFIC_SECRET c26bd0e71489eea3bddd05e16b1af51ad0e030e7cd98401097e7643ff5669f12 af10ddd3764cc60fb7842bfabd46f2e980c9f258fe39b70d112cf884fee4efa3693b55bdae1f1fcac92f9fa3c0a1fdb8",
	"SERVER_TRAFFIC_SECRET_0 c26bd0e71489eea3bddd05e16b1af51ad0e030e7cd98401097e7643ff5669f12 dd5771c64c2de62c528440b55b7cca277f5135c03fbb66e3698b1f3681ba29306fa8837c7dbe6c513fc95650a6f4345a",
	"CLIENT_HANDSHAKE_TRAFFIC_SECRET c26bd0e71489eea3bddd05e16b1af51ad0e030e7cd98401097e7643ff5669f12 279db66a2b5260a0c79ad174efd71c77f29b6141953e5532b1d054d919e1a69929d178996836567d0f5bcd81cdee1c5e",
	"CLIENT_TRAFFIC_SECRET_0 c26bd0e71489eea3bddd05e16b1af51ad0e030e7cd98401097e7643ff5669f12 bc7dcf286602c89479ec7e166f8c29e0afe5814280f922a4c15138aad4f967c2f67ea6f3fba48bb2412fbc090af8f7ef",
};

struct state {
	struct tls	*t;
	struct tlscrypt	*cr;
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
	if (st->cr != NULL)
		tlscrypt_saw(st->cr, ev);
}

/*
 * The input as a key log too: each line kept, skipped, or refused with
 * a printable reason; what is kept is found again.
 */
static void
check_keylog_text(struct keylog *kl, const uint8_t *p, size_t n)
{
	const uint8_t	*nl;
	char		 err[256];
	size_t		 len;
	int		 rc;

	while (n > 0) {
		nl = memchr(p, '\n', n);
		len = nl != NULL ? (size_t)(nl - p) + 1 : n;
		err[0] = '\0';
		rc = keylog_add_line(kl, (const char *)p, len, err, sizeof err);
		FUZZ_ASSERT(rc >= -1 && rc <= 1);
		if (rc == -1)
			check_text(err, sizeof err);
		p += len;
		n -= len;
	}
}

/* The real decrypting layer with the key log of tests/tls. */
static struct keylog *
keylog_setup(struct state *st, int raw, const uint8_t *p, size_t n)
{
	struct keylog	*kl;
	char		 err[256];
	size_t		 i;

	if ((kl = keylog_new()) == NULL)
		return NULL;
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		FUZZ_ASSERT(keylog_add_line(kl, keys[i], strlen(keys[i]), err,
		    sizeof err) == 1);
	if (raw)
		check_keylog_text(kl, p, n);
	if ((st->cr = tlscrypt_new(kl)) != NULL)
		tls_set_decrypt(st->t, tlscrypt_decrypt, st->cr);
	return kl;
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
	struct keylog	*kl = NULL;
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
	if (opt & TLSVEC_OPT_KEYLOG)
		kl = keylog_setup(&st, opt & TLSVEC_OPT_RAW, data + v.off,
		    size - v.off);
	else if (opt & TLSVEC_OPT_DECRYPT)
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
	tlscrypt_free(st.cr);
	keylog_free(kl);
	return 0;
}
