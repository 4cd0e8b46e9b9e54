/*
 * tlscrypt.c: TLS 1.3 record decryption with a key log (tlscrypt.h).
 *
 * libcrypto's HMAC and AEADs are called through sslload.h's SSLCALL, so
 * that only a view with --keylog loads OpenSSL, never a plain start.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_OPENSSL
#include "sslload.h"
#endif

#include "tlscrypt.h"

#define TAG_LEN		16
#define IV_LEN		12

/* What a direction opens its records with. */
struct tc_dir {
	int		 want;		/* the label to key with + 1, 0: none */
	int		 keyed;
	uint8_t		 secret[KEYLOG_SECRET_MAX];
	size_t		 slen;
	uint8_t		 key[32], iv[IV_LEN];
	uint64_t	 seq;		/* records opened with this key */
	int		 proven;	/* a record of this key authenticated */
	int		 app;		/* keyed with its application traffic
					   secret, or a KeyUpdate of it */
#ifdef HAVE_OPENSSL
	EVP_CIPHER_CTX	*ctr;		/* peek_type()'s, made once */
	int		 ctr_keyed;	/* ctr holds key: only an IV to set */
#endif
};

struct tlscrypt {
	const struct keylog *kl;
	uint8_t		 random[32];
	int		 have_random;
	int		 client_dir;	/* -1: no ClientHello yet */
	uint16_t	 cipher;
	struct tc_dir	 d[2];
	const uint8_t	*last;		/* the last record opened: in the
					   decoder's buffer, not copied */
	size_t		 last_len;
	size_t		 peek;		/* tlscrypt_peek(): from, 0: off */
};

/* A TLS 1.3 cipher suite: its hash and AEAD (RFC 8446 B.4). */
struct tc_suite {
	uint16_t	 id;
	int		 sha384;
	size_t		 key_len;
};

static const struct tc_suite suites[] = {
	{ 0x1301, 0, 16 },	/* TLS_AES_128_GCM_SHA256 */
	{ 0x1302, 1, 32 },	/* TLS_AES_256_GCM_SHA384 */
	{ 0x1303, 0, 32 },	/* TLS_CHACHA20_POLY1305_SHA256 */
};

/* The suite of id, or NULL for one not opened here (CCM, unknown). */
static const struct tc_suite *
suite_of(uint16_t id)
{
	size_t	 i;

	for (i = 0; i < sizeof suites / sizeof suites[0]; i++)
		if (suites[i].id == id)
			return &suites[i];
	return NULL;
}

int
tlscrypt_ready(char *err, size_t errlen)
{
#ifdef HAVE_OPENSSL
	return sslload_ready(err, errlen);
#else
	snprintf(err, errlen, "this sockkit was built without OpenSSL "
	    "(configure --without-openssl), so it cannot decrypt; install "
	    "libssl-dev and rebuild");
	return -1;
#endif
}

int
tlscrypt_expand_label(int sha384, const uint8_t *secret, size_t slen,
    const char *label, uint8_t *out, size_t outlen)
{
#ifdef HAVE_OPENSSL
	uint8_t		 info[2 + 1 + 255 + 1 + 1], md[64];
	size_t		 llen = strlen(label), n = 0;
	unsigned int	 mdlen = 0;

	if (outlen > (sha384 ? 48u : 32u) || 6 + llen > 255)
		return -1;
	/* struct HkdfLabel, then HKDF-Expand's counter 1 (RFC 5869 2.3). */
	info[n++] = (uint8_t)(outlen >> 8);
	info[n++] = (uint8_t)outlen;
	info[n++] = (uint8_t)(6 + llen);
	memcpy(info + n, "tls13 ", 6);
	memcpy(info + n + 6, label, llen);
	n += 6 + llen;
	info[n++] = 0;		/* the empty context */
	info[n++] = 1;
	if (SSLCALL(HMAC)(sha384 ? SSLCALL(EVP_sha384)() :
	    SSLCALL(EVP_sha256)(), secret, (int)slen, info, n, md, &mdlen) ==
	    NULL || mdlen < outlen)
		return -1;
	memcpy(out, md, outlen);
	return 0;
#else
	(void)sha384; (void)secret; (void)slen; (void)label; (void)out;
	(void)outlen;
	return -1;
#endif
}

struct tlscrypt *
tlscrypt_new(const struct keylog *kl)
{
	struct tlscrypt	*tc;
	char		 why[256];

	/* Every call below goes through the loaded table. */
	if (tlscrypt_ready(why, sizeof why) == -1)
		return NULL;
	if ((tc = calloc(1, sizeof *tc)) == NULL)
		return NULL;
	tc->kl = kl;
	tc->client_dir = -1;
	return tc;
}

void
tlscrypt_free(struct tlscrypt *tc)
{
#ifdef HAVE_OPENSSL
	int	 d;

	for (d = 0; tc != NULL && d < 2; d++)
		if (tc->d[d].ctr != NULL)
			SSLCALL(EVP_CIPHER_CTX_free)(tc->d[d].ctr);
#endif
	free(tc);
}

void
tlscrypt_peek(struct tlscrypt *tc, size_t from)
{
	tc->peek = from;
}

int
tlscrypt_settled(const struct tlscrypt *tc)
{
	int	 d;

	for (d = 0; d < 2; d++)
		if (tc->d[d].want != 0 || !tc->d[d].keyed || !tc->d[d].app)
			return 0;
	return 1;
}

/*
 * Key direction d with secret (slen bytes) of the chosen suite: its key
 * and IV, its sequence number back to 0.  Without a suite or with a
 * secret of the wrong length, d is left unkeyed.
 */
static void
dir_key(struct tlscrypt *tc, int d, const uint8_t *secret, size_t slen)
{
	const struct tc_suite	*s = suite_of(tc->cipher);
	struct tc_dir		*td = &tc->d[d];

	td->keyed = 0;
	td->seq = 0;
	td->proven = 0;
#ifdef HAVE_OPENSSL
	td->ctr_keyed = 0;
#endif
	if (s == NULL || secret == NULL || slen != (s->sha384 ? 48u : 32u))
		return;
	memmove(td->secret, secret, slen);
	td->slen = slen;
	if (tlscrypt_expand_label(s->sha384, td->secret, slen, "key", td->key,
	    s->key_len) == 0 && tlscrypt_expand_label(s->sha384, td->secret,
	    slen, "iv", td->iv, IV_LEN) == 0)
		td->keyed = 1;
}

/*
 * Direction d is to be keyed with the logged secret of its side (client
 * is the client's label, the server's the next one), looked up at its
 * next record: a live connection's secrets may be logged a little after
 * the packet that calls for them was captured.
 */
static void
dir_logged(struct tlscrypt *tc, int d, enum keylog_label client)
{
	tc->d[d].keyed = 0;
	tc->d[d].app = 0;
	tc->d[d].want = (d == tc->client_dir ? (int)client :
	    (int)client + 1) + 1;
}

/* KeyUpdate from d: its next traffic secret (RFC 8446 7.2). */
static void
dir_update(struct tlscrypt *tc, int d)
{
	const struct tc_suite	*s = suite_of(tc->cipher);
	struct tc_dir		*td = &tc->d[d];
	uint8_t			 next[KEYLOG_SECRET_MAX];

	if (s == NULL || !td->keyed || tlscrypt_expand_label(s->sha384,
	    td->secret, td->slen, "traffic upd", next, td->slen) == -1) {
		td->keyed = 0;
		return;
	}
	dir_key(tc, d, next, td->slen);
}

void
tlscrypt_saw(struct tlscrypt *tc, const struct tls_event *ev)
{
	if (ev->kind != TLS_EV_MESSAGE || ev->result != DECODE_OK)
		return;
	switch (ev->hs_type) {
	case TLS_HS_CLIENT_HELLO:
		if (ev->hello == NULL || tc->client_dir >= 0)
			break;
		memcpy(tc->random, ev->hello->random, 32);
		tc->have_random = 1;
		tc->client_dir = ev->dir;
		break;
	case TLS_HS_SERVER_HELLO:
		if (ev->hello == NULL || ev->hello->hrr || tc->client_dir < 0 ||
		    ev->hello->version != TLS_V13)
			break;
		tc->cipher = ev->hello->cipher;
		dir_logged(tc, 0, KEYLOG_CLIENT_HS);
		dir_logged(tc, 1, KEYLOG_CLIENT_HS);
		break;
	case TLS_HS_FINISHED:
		if (ev->decrypted && tc->client_dir >= 0)
			dir_logged(tc, ev->dir, KEYLOG_CLIENT_AP);
		break;
	case TLS_HS_KEY_UPDATE:
		if (ev->decrypted)
			dir_update(tc, ev->dir);
		break;
	}
}

#ifdef HAVE_OPENSSL
/* Key d as dir_logged() asked, if the log has its secret now. */
static void
dir_lookup(struct tlscrypt *tc, int d)
{
	const uint8_t	*secret = NULL;
	size_t		 slen = 0;

	if (tc->have_random && tc->kl != NULL)
		secret = keylog_find(tc->kl, tc->random,
		    (enum keylog_label)(tc->d[d].want - 1), &slen);
	if (secret == NULL)
		return;
	tc->d[d].app = tc->d[d].want - 1 >= KEYLOG_CLIENT_AP;
	tc->d[d].want = 0;
	dir_key(tc, d, secret, slen);
}

/* The AEAD of the chosen suite. */
static const EVP_CIPHER *
suite_aead(uint16_t id)
{
	return id == 0x1301 ? SSLCALL(EVP_aes_128_gcm)() : id == 0x1302 ?
	    SSLCALL(EVP_aes_256_gcm)() : SSLCALL(EVP_chacha20_poly1305)();
}

/* The nonce of td's next record: its IV xor its sequence number (5.3). */
static void
dir_nonce(const struct tc_dir *td, uint8_t *nonce)
{
	int	 i;

	memcpy(nonce, td->iv, IV_LEN);
	for (i = 0; i < 8; i++)
		nonce[IV_LEN - 1 - i] ^= (uint8_t)(td->seq >> (8 * i));
}

/*
 * Open n bytes of ciphertext c (tag last) with td's key and the nonce of
 * its sequence number, the record header aad authenticated; into pt.
 * Returns the plaintext's length, or -1 when it does not authenticate.
 */
static long
aead_open(const struct tc_dir *td, uint16_t cipher, const uint8_t *aad,
    const uint8_t *c, size_t n, uint8_t *pt)
{
	EVP_CIPHER_CTX	*ctx;
	uint8_t		 nonce[IV_LEN];
	int		 outl = 0, fin = 0, ok;

	if (n < TAG_LEN + 1 || (ctx = SSLCALL(EVP_CIPHER_CTX_new)()) == NULL)
		return -1;
	dir_nonce(td, nonce);
	ok = SSLCALL(EVP_DecryptInit_ex)(ctx, suite_aead(cipher), NULL, NULL,
	    NULL) &&
	    SSLCALL(EVP_CIPHER_CTX_ctrl)(ctx, EVP_CTRL_AEAD_SET_IVLEN, IV_LEN,
	    NULL) &&
	    SSLCALL(EVP_DecryptInit_ex)(ctx, NULL, NULL, td->key, nonce) &&
	    SSLCALL(EVP_DecryptUpdate)(ctx, NULL, &outl, aad, 5) &&
	    SSLCALL(EVP_DecryptUpdate)(ctx, pt, &outl, c,
	    (int)(n - TAG_LEN)) &&
	    SSLCALL(EVP_CIPHER_CTX_ctrl)(ctx, EVP_CTRL_AEAD_SET_TAG, TAG_LEN,
	    (void *)(c + n - TAG_LEN)) &&
	    SSLCALL(EVP_DecryptFinal_ex)(ctx, pt + outl, &fin) > 0;
	SSLCALL(EVP_CIPHER_CTX_free)(ctx);
	return ok ? (long)outl + fin : -1;
}

/*
 * The inner content type of td's next record, n bytes of ciphertext c
 * (tag last), from the keystream of its last block alone: both AEADs
 * encrypt in counter mode, AES-GCM's first plaintext block at counter 2
 * (NIST SP 800-38D 7.1), ChaCha20's at block 1 (RFC 8439 2.8), and the
 * type is the last byte that is not padding (RFC 8446 5.2).  Nothing is
 * authenticated.  The key is set into td's context once (its schedule
 * and libcrypto's fetch of the cipher cost more than the block); each
 * record sets only its counter.  Returns the type, or -1 when the last
 * byte is padding (0) or libcrypto fails: the record is then opened
 * whole.
 */
static int
peek_type(struct tlscrypt *tc, struct tc_dir *td, const uint8_t *c,
    size_t n)
{
	const EVP_CIPHER *ctr;
	uint8_t		 nonce[IV_LEN], iv[16], out[64];
	size_t		 ct = n - TAG_LEN, blk, off;
	uint32_t	 k;
	int		 outl = 0;

	blk = tc->cipher == 0x1303 ? 64 : 16;
	off = (ct - 1) / blk * blk;
	k = (uint32_t)(off / blk) + (blk == 64 ? 1 : 2);
	dir_nonce(td, nonce);
	if (blk == 64) {	/* the counter little-endian, then the nonce */
		iv[0] = (uint8_t)k;
		iv[1] = (uint8_t)(k >> 8);
		iv[2] = (uint8_t)(k >> 16);
		iv[3] = (uint8_t)(k >> 24);
		memcpy(iv + 4, nonce, IV_LEN);
		ctr = SSLCALL(EVP_chacha20)();
	} else {		/* the nonce, then the counter big-endian */
		memcpy(iv, nonce, IV_LEN);
		iv[12] = (uint8_t)(k >> 24);
		iv[13] = (uint8_t)(k >> 16);
		iv[14] = (uint8_t)(k >> 8);
		iv[15] = (uint8_t)k;
		ctr = tc->cipher == 0x1301 ? SSLCALL(EVP_aes_128_ctr)() :
		    SSLCALL(EVP_aes_256_ctr)();
	}
	if (td->ctr == NULL &&
	    (td->ctr = SSLCALL(EVP_CIPHER_CTX_new)()) == NULL)
		return -1;
	if (!td->ctr_keyed && !SSLCALL(EVP_DecryptInit_ex)(td->ctr, ctr, NULL,
	    td->key, NULL))
		return -1;
	td->ctr_keyed = 1;
	if (!SSLCALL(EVP_DecryptInit_ex)(td->ctr, NULL, NULL, NULL, iv) ||
	    !SSLCALL(EVP_DecryptUpdate)(td->ctr, out, &outl, c + off,
	    (int)(ct - off)) || (size_t)outl != ct - off || out[outl - 1] == 0)
		return -1;
	return out[outl - 1];
}
#endif

int
tlscrypt_decrypt(void *arg, const struct tls_event *rec, uint8_t *pt,
    size_t *ptlen, uint8_t *inner)
{
#ifdef HAVE_OPENSSL
	struct tlscrypt	*tc = arg;
	struct tc_dir	*td = &tc->d[rec->dir & 1];
	uint8_t		 aad[5];
	long		 n;

	if (!td->keyed && td->want)
		dir_lookup(tc, rec->dir & 1);
	if (!td->keyed || rec->rtype != TLS_CT_APPDATA || rec->body == NULL)
		return -1;
	aad[0] = rec->rtype;
	aad[1] = (uint8_t)(rec->rversion >> 8);
	aad[2] = (uint8_t)rec->rversion;
	aad[3] = (uint8_t)(rec->len >> 8);
	aad[4] = (uint8_t)rec->len;
	/*
	 * Application data under a key that has opened a record: its type
	 * from its last block, its length from the header.  Opening every
	 * byte (and checking the tag) halved a traced bulk transfer.
	 */
	if (tc->peek > 0 && td->proven && rec->len >= tc->peek &&
	    rec->len > TAG_LEN + 1 &&
	    peek_type(tc, td, rec->body, rec->len) == TLS_CT_APPDATA) {
		td->seq++;
		*inner = TLS_CT_APPDATA;
		*ptlen = rec->len - TAG_LEN - 1;
		tc->last = NULL;
		tc->last_len = 0;
		return 1;
	}
	if ((n = aead_open(td, tc->cipher, aad, rec->body, rec->len,
	    pt)) < 0)
		return -1;
	td->seq++;
	td->proven = 1;
	/* TLSInnerPlaintext: content, type, zeros (RFC 8446 5.2). */
	while (n > 0 && pt[n - 1] == 0)
		n--;
	if (n == 0)
		return -1;
	*inner = pt[--n];
	*ptlen = (size_t)n;
	tc->last = pt;
	tc->last_len = (size_t)n;
	return 0;
#else
	(void)arg; (void)rec; (void)pt; (void)ptlen; (void)inner;
	return -1;
#endif
}

const uint8_t *
tlscrypt_last(const struct tlscrypt *tc, size_t *len)
{
	*len = tc->last_len;
	return tc->last;
}
