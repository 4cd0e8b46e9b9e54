/*
 * tlsdecode.h: the TLS records and handshake messages in the payload of a
 * TCP connection, as events.  Pure like decode.c: every byte read through
 * bounds-checked accessors, nothing printed, nothing exited, a hard bound
 * on what is buffered per direction.
 *
 * The caller feeds each direction's TCP payload in sequence order with its
 * sequence number (tls_segment); the decoder reassembles the byte stream,
 * cuts it into records (RFC 8446 5.1, RFC 5246 6.2) and the cleartext
 * handshake into messages (RFC 8446 4), and calls back once per whole
 * record and once per whole handshake message, from inside the call that
 * fed its last byte: the event belongs to the segment just fed.  A gap
 * in the stream (a lost segment, a reordering) or bytes that are not TLS
 * stop that direction for good: the decoder says so once and then ignores
 * it (a record boundary cannot be found again).  Retransmitted bytes are
 * skipped.
 *
 * What is encrypted stays so: after a TLS 1.3 ServerHello, or a TLS 1.2
 * ChangeCipherSpec, records are named "encrypted handshake" or
 * "application data" with their lengths.  A decrypting layer can give
 * back the plaintext of a protected record, through tls_set_decrypt() (the
 * decoder asks it for each protected record) or tls_plaintext() (it
 * pushes), and the messages inside are then decoded like cleartext ones.
 */
#ifndef TLSDECODE_H
#define TLSDECODE_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"

#define TLS_REC_MAX	(16384 + 2048)	/* RFC 5246 6.2.3: a record's body */
#define TLS_HS_KEEP	65536		/* default: longest message read */
#define TLS_HS_KEEP_MIN	256		/* smallest bound tls_new() takes */
#define TLS_MAX_LIST	16		/* versions, groups kept of a hello */
#define TLS_NAME_MAX	256		/* SNI, ALPN list, as printable text */
#define TLS_DETAIL_MAX	320		/* an event's details */

/* Record content types, RFC 8446 5.1 and RFC 6520. */
#define TLS_CT_CCS		20
#define TLS_CT_ALERT		21
#define TLS_CT_HANDSHAKE	22
#define TLS_CT_APPDATA		23
#define TLS_CT_HEARTBEAT	24

/* Handshake message types, RFC 8446 4 and RFC 5246 7.4. */
#define TLS_HS_CLIENT_HELLO	1
#define TLS_HS_SERVER_HELLO	2
#define TLS_HS_NEW_SESSION_TICKET 4
#define TLS_HS_ENCRYPTED_EXTENSIONS 8
#define TLS_HS_CERTIFICATE	11
#define TLS_HS_SERVER_KEY_EXCHANGE 12
#define TLS_HS_CERTIFICATE_REQUEST 13
#define TLS_HS_SERVER_HELLO_DONE 14
#define TLS_HS_CERTIFICATE_VERIFY 15
#define TLS_HS_CLIENT_KEY_EXCHANGE 16
#define TLS_HS_FINISHED		20
#define TLS_HS_KEY_UPDATE	24

#define TLS_V12		0x0303
#define TLS_V13		0x0304

enum tls_ev_kind {
	TLS_EV_RECORD,		/* a whole record */
	TLS_EV_MESSAGE,		/* a whole handshake message */
	TLS_EV_STOP,		/* this direction cannot be followed any more */
};

/* What a ClientHello or ServerHello says (RFC 8446 4.1.2, 4.1.3). */
struct tls_hello {
	uint16_t	 legacy_version;
	uint16_t	 version;	/* ServerHello: chosen (supported_versions) */
	uint8_t		 random[32];
	uint8_t		 sid_len;	/* legacy_session_id */
	uint8_t		 sid[32];
	uint8_t		 hrr;		/* a HelloRetryRequest (its random) */
	uint8_t		 psk;		/* ServerHello: pre_shared_key chosen */
	uint16_t	 cipher;	/* ServerHello's */
	uint16_t	 nsuites;	/* ClientHello's cipher suites */
	uint16_t	 group;		/* ServerHello's key_share group */
	uint16_t	 nexts;		/* extensions */
	uint8_t		 nversions, ngroups;	/* as kept: at most MAX_LIST */
	uint16_t	 versions[TLS_MAX_LIST];	/* supported_versions */
	uint16_t	 groups[TLS_MAX_LIST];	/* ClientHello's key_share */
	char		 sni[TLS_NAME_MAX];	/* printable; "" without */
	char		 alpn[TLS_NAME_MAX];	/* "h2,http/1.1"; "" without */
};

/*
 * One event.  seq and end: the sequence numbers of the record's first
 * byte and one past its last (for a message, of the record that ended
 * it).  name: short, static, printable ("ClientHello", "Alert",
 * "application data", "cannot follow").  detail: printable ASCII, bytes
 * from the wire escaped as \xNN.  result: DECODE_OK, or why this record
 * or message could not be read (the others go on).  body: the record's
 * or message's content when it was kept (valid during the callback).
 */
struct tls_event {
	enum tls_ev_kind kind;
	int		 dir;		/* as fed: 0 or 1 */
	int		 from_client;	/* 1, 0, or -1 not known yet */
	uint32_t	 seq, end;
	uint8_t		 rtype;		/* record content type as sent */
	uint8_t		 inner;		/* decrypted: the real content type */
	uint16_t	 rversion;	/* record's legacy version */
	uint32_t	 len;		/* record body, or message body, bytes */
	uint8_t		 hs_type;	/* TLS_EV_MESSAGE */
	uint8_t		 alert_level, alert_desc;	/* an Alert read */
	unsigned	 encrypted:1;	/* a protected record nobody read */
	unsigned	 decrypted:1;	/* read from a decrypting layer */
	unsigned	 peeked:1;	/* decrypted: only its last block, for
					   the type (tlscrypt_peek()) */
	unsigned	 guess:1;	/* TLS 1.3 without keys: the name is
					   inferred from the order of records */
	enum decode_result result;
	const char	*name;
	char		 detail[TLS_DETAIL_MAX];
	const struct tls_hello *hello;	/* the hellos, EncryptedExtensions */
	const uint8_t	*body;
	size_t		 body_len;
};

/* What the connection agreed, as far as the decoder saw it. */
struct tls_info {
	int		 client_dir;	/* the direction of ClientHello; -1 */
	uint16_t	 version;	/* 0 until a ServerHello */
	uint16_t	 cipher;
	unsigned	 hrr:1;
	unsigned	 resumed:1;	/* TLS 1.3 PSK, TLS 1.2 session id echoed */
	char		 sni[TLS_NAME_MAX];
	char		 alpn[TLS_NAME_MAX];	/* the server's choice */
	int		 close_notify_dir;	/* -1: none read */
	uint64_t	 records[2];
	uint64_t	 appdata[2];	/* bytes of application data records */
};

typedef void (*tls_cb)(const struct tls_event *, void *);

/*
 * A decrypting layer: the body of protected record rec (rec->body) into
 * pt (room for rec->len bytes), the plaintext's length in *ptlen and its
 * real content type in *inner (TLS 1.3: TLSInnerPlaintext unpadded).
 * Returns 0; 1 when only the type and length were read (pt untouched);
 * or -1 when it cannot (no keys): the record stays encrypted.
 */
typedef int (*tls_decrypt_fn)(void *, const struct tls_event *, uint8_t *,
	    size_t *, uint8_t *);

struct tls;

/*
 * A decoder for one TCP connection.  hs_keep: the longest handshake
 * message read whole (0: TLS_HS_KEEP; TLS_HS_KEEP_MIN to 2^24-1); longer
 * ones are named and skipped.  Returns NULL when out of memory.
 */
struct tls *tls_new(size_t);
void	tls_free(struct tls *);

/*
 * The sequence number of dir's first stream byte (the ISN + 1), when the
 * caller knows it; else the first segment fed starts the stream.
 */
void	tls_start(struct tls *, int, uint32_t);

/*
 * The payload of one TCP segment of direction dir (0 or 1) starting at
 * sequence number seq: only the bytes captured.  Events go to cb.
 * Returns 0, or -1 once the direction can no longer be followed.
 */
int	tls_segment(struct tls *, int, uint32_t, const uint8_t *, size_t,
	    tls_cb, void *);

/*
 * The end of the capture or the connection: a record or message left
 * unfinished in a direction is reported truncated.
 */
void	tls_finish(struct tls *, tls_cb, void *);

/* Ask fn (with arg) for the plaintext of each protected record. */
void	tls_set_decrypt(struct tls *, tls_decrypt_fn, void *);

/*
 * The plaintext content (of real type inner) of a protected record of
 * direction dir between seq and end, from a decrypting layer: handshake
 * messages in it are decoded and reported, alerts read.  It may be called
 * from the callback of a protected record, not from a message's.
 */
void	tls_plaintext(struct tls *, int, uint8_t, const uint8_t *, size_t,
	    uint32_t, uint32_t, tls_cb, void *);

/* Bytes held for direction dir now; never more than tls_bound(). */
size_t	tls_buffered(const struct tls *, int);
size_t	tls_bound(const struct tls *);

const struct tls_info *tls_get_info(const struct tls *);

/* Names from the IANA registries, or NULL when not known. */
const char *tls_version_name(uint16_t);
const char *tls_cipher_name(uint16_t);
const char *tls_group_name(uint16_t);
const char *tls_alert_name(uint8_t);
const char *tls_sigscheme_name(uint16_t);
const char *tls_content_name(uint8_t);
/* Never NULL: "handshake" for an unknown type. */
const char *tls_hs_name(uint8_t);

#endif
