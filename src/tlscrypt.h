/*
 * tlscrypt.h: TLS 1.3 record decryption for the TLS decoder's decrypting
 * hook (tls_set_decrypt), with the secrets of a key log (keylog.h).
 *
 * It learns what it needs from the decoder's own events (tlscrypt_saw):
 * the client random of the ClientHello, the cipher of the ServerHello
 * (then both directions take their handshake traffic secrets), each
 * side's Finished (then its application traffic secret) and KeyUpdate
 * (the next generation, RFC 8446 7.2).  Keys and IVs come from the
 * secrets by HKDF-Expand-Label (RFC 8446 7.1, 7.3); records are opened
 * with AES-128-GCM, AES-256-GCM or ChaCha20-Poly1305 (libcrypto's EVP),
 * the nonce the IV xor the record's sequence number (5.3).  A record it
 * cannot open stays encrypted.  Without libcrypto it opens nothing.
 */
#ifndef TLSCRYPT_H
#define TLSCRYPT_H

#include <stddef.h>
#include <stdint.h>

#include "keylog.h"
#include "tlsdecode.h"

struct tlscrypt;

/*
 * Whether records can be opened: 0 once OpenSSL's libcrypto is loaded
 * (on the first call), or -1 with one line in err saying why not (built
 * without OpenSSL, the library missing) and what to do.
 */
int	tlscrypt_ready(char *, size_t);

/*
 * A decrypter of one connection reading kl; NULL when out of memory or
 * when libcrypto cannot be loaded (tlscrypt_ready() says why).
 */
struct tlscrypt	*tlscrypt_new(const struct keylog *);
void		 tlscrypt_free(struct tlscrypt *);

/*
 * Records of from bytes or more (0: none, the default) are no longer
 * opened whole once their key has opened one: the inner type is read
 * from the last block (counter mode), and application data is named
 * with its length, its plaintext not made and its tag not checked
 * (tlscrypt_decrypt() returns 1, tlscrypt_last() NULL); every other type
 * (and a padded record) is still opened and authenticated.  For pictures
 * that show no plaintext.
 */
void	tlscrypt_peek(struct tlscrypt *, size_t);

/* One event of the connection's decoder, from its callback. */
void	tlscrypt_saw(struct tlscrypt *, const struct tls_event *);

/*
 * Whether both directions are under their application traffic keys:
 * every later key comes from a KeyUpdate, none from the key log.
 */
int	tlscrypt_settled(const struct tlscrypt *);

/* The decoder's tls_decrypt_fn; its argument a struct tlscrypt. */
int	tlscrypt_decrypt(void *, const struct tls_event *, uint8_t *,
	    size_t *, uint8_t *);

/*
 * The plaintext of the last record opened (its content, padding and
 * type removed) and its length; valid until the next record.
 */
const uint8_t *tlscrypt_last(const struct tlscrypt *, size_t *);

/*
 * HKDF-Expand-Label(secret, label, "", outlen) of RFC 8446 7.1 with
 * SHA-256 (sha384 0) or SHA-384, for outlen up to the hash's length.
 * Returns 0, or -1 (no libcrypto, or outlen too long).
 */
int	tlscrypt_expand_label(int, const uint8_t *, size_t, const char *,
	    uint8_t *, size_t);

#endif
