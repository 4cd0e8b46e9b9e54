/*
 * tests/tls-vec.h: the segment files of tests/fuzz/tls, read by
 * tests/unit-tlsdecode.c and tests/fuzz-tls.c (tests/tls-dump -f writes
 * them from a capture).
 *
 * A file is one options byte (TLSVEC_OPT_*), then chunks, each one TCP
 * segment's payload: a flags byte (TLSVEC_*), a 4-byte big-endian
 * sequence number when TLSVEC_SEQ is set (else the segment follows the
 * previous one of its direction), a 2-byte big-endian length, and the
 * bytes (fewer when the file ends first).
 */
#ifndef TLS_VEC_H
#define TLS_VEC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tlsdecode.h"

#define TLSVEC_DIR	0x01	/* from the side that did not open */
#define TLSVEC_SEQ	0x02	/* a sequence number follows */
#define TLSVEC_BYTES	0x04	/* fed one byte at a time */

#define TLSVEC_OPT_KEEP	0x03	/* hs_keep: default, 256, 1024, 4096 */
#define TLSVEC_OPT_DECRYPT 0x04	/* an identity "decryption" (fuzz) */
#define TLSVEC_OPT_START 0x08	/* tls_start(dir, 0) for both */
#define TLSVEC_OPT_RAW	0x10	/* no chunks: one stream, direction 0 */
#define TLSVEC_OPT_KEYLOG 0x20	/* the real decrypter (tlscrypt.c) with
				   tests/tls/tls13-keylog.keys; with RAW,
				   the input is a key log's text too */

struct tlsvec {
	const uint8_t	*p;
	size_t		 len, off;
	uint32_t	 next[2];
};

/* A reader over a file's bytes; returns its options byte. */
static inline uint8_t
tlsvec_open(struct tlsvec *v, const uint8_t *p, size_t len)
{
	v->p = p;
	v->len = len;
	v->off = len > 0 ? 1 : 0;
	v->next[0] = v->next[1] = 0;
	return len > 0 ? p[0] : 0;
}

/*
 * The next chunk: direction, sequence number, bytes, flags.  Returns 1,
 * or 0 at the end of the file.
 */
static inline int
tlsvec_next(struct tlsvec *v, int *dir, uint32_t *seq, const uint8_t **data,
    size_t *n, uint8_t *flags)
{
	size_t	 need, i;

	if (v->len - v->off < 3)
		return 0;
	*flags = v->p[v->off++];
	*dir = *flags & TLSVEC_DIR;
	need = (*flags & TLSVEC_SEQ) ? 6 : 2;
	if (v->len - v->off < need)
		return 0;
	*seq = v->next[*dir];
	if (*flags & TLSVEC_SEQ) {
		for (*seq = 0, i = 0; i < 4; i++)
			*seq = *seq << 8 | v->p[v->off++];
	}
	*n = (size_t)v->p[v->off] << 8 | v->p[v->off + 1];
	v->off += 2;
	if (*n > v->len - v->off)
		*n = v->len - v->off;
	*data = v->p + v->off;
	v->off += *n;
	v->next[*dir] = *seq + (uint32_t)*n;
	return 1;
}

/*
 * A stand-in for a decrypting layer (a tls_decrypt_fn): the "ciphertext"
 * is TLS 1.3's TLSInnerPlaintext in clear, the content then its real
 * type.  Returns 0, or -1 for an empty or partly kept record.
 */
static inline int
tlsvec_identity_decrypt(void *arg, const struct tls_event *rec, uint8_t *pt,
    size_t *ptlen, uint8_t *inner)
{
	(void)arg;
	if (rec->body_len < 1 || rec->body_len > rec->len)
		return -1;
	memcpy(pt, rec->body, rec->body_len - 1);
	*ptlen = rec->body_len - 1;
	*inner = rec->body[rec->body_len - 1];
	return 0;
}

#endif
