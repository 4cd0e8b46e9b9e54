/*
 * tlsmsg.h: inside the TLS decoder (tlsdecode.c, tlsmsg.c), not for its
 * users: the checked cursor over untrusted bytes, the printable text
 * builder, and the handshake message reader.
 */
#ifndef TLSMSG_H
#define TLSMSG_H

#include <stddef.h>
#include <stdint.h>

#include "tlsdecode.h"

/* A window on untrusted bytes, read front to back; off never > len. */
struct tcur {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
};

/*
 * Each reads at the cursor and moves it past what it read, or returns -1
 * and leaves it when the bytes are not there.  tc_sub: the next n bytes
 * as a cursor of their own.  tc_vec: a vector with an n-byte length (RFC
 * 8446 3.4) as a cursor of its own, -1 when that length runs past the
 * parent.
 */
int	tc_u8(struct tcur *, uint8_t *);
int	tc_u16(struct tcur *, uint16_t *);
int	tc_u24(struct tcur *, uint32_t *);
int	tc_u32(struct tcur *, uint32_t *);
int	tc_skip(struct tcur *, size_t);
int	tc_sub(struct tcur *, size_t, struct tcur *);
int	tc_vec(struct tcur *, int, struct tcur *);
size_t	tc_left(const struct tcur *);

/* Text that stays printable ASCII and within its buffer. */
struct ttext {
	char		*s;
	size_t		 size;
	size_t		 len;
};

void	tt_init(struct ttext *, char *, size_t);
void	tt_add(struct ttext *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	tt_wire(struct ttext *, const uint8_t *, size_t);
void	tt_name(struct ttext *, const char *, uint16_t);

/*
 * "subject CN=..., issuer CN=..." (or "subject CN=... (self-signed)") of
 * the DER certificate at cert into t (tlscert.c).  Returns 0, or -1
 * with nothing added when it does not parse as X.509.
 */
int	tls_cert_names(struct tcur, struct ttext *);

/*
 * Read handshake message body of type ty (version: the one agreed, 0 if
 * not known yet) into ev (name, detail, result) and, for the hellos, h.
 */
void	tls_msg_read(uint8_t, const uint8_t *, size_t, uint16_t,
	    struct tls_event *, struct tls_hello *);

#endif
