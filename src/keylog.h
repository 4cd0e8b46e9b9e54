/*
 * keylog.h: the secrets of an NSS key log (the format SSLKEYLOGFILE,
 * OpenSSL's key log callback, Wireshark and curl use): one line per
 * secret, "LABEL CLIENT_RANDOM SECRET" in hex, found again by the client
 * random of a ClientHello.  Pure and bounded: every line is checked
 * before anything is kept, and the store holds at most KEYLOG_MAX
 * connections.  Lines come from a file (keylog_read) or one at a time
 * (keylog_add_line), as a live TLS connection's callback gives them.
 */
#ifndef KEYLOG_H
#define KEYLOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KEYLOG_SECRET_MAX	64	/* bytes: SHA-512's output */
#define KEYLOG_LINE_MAX		1024	/* longer lines are refused */
#define KEYLOG_MAX		(1 << 20)	/* connections kept */

/* The secrets a key log names (the NSS labels). */
enum keylog_label {
	KEYLOG_CLIENT_RANDOM,		/* TLS 1.2: the master secret */
	KEYLOG_CLIENT_EARLY,		/* CLIENT_EARLY_TRAFFIC_SECRET */
	KEYLOG_CLIENT_HS,		/* CLIENT_HANDSHAKE_TRAFFIC_SECRET */
	KEYLOG_SERVER_HS,		/* SERVER_HANDSHAKE_TRAFFIC_SECRET */
	KEYLOG_CLIENT_AP,		/* CLIENT_TRAFFIC_SECRET_0 */
	KEYLOG_SERVER_AP,		/* SERVER_TRAFFIC_SECRET_0 */
	KEYLOG_EARLY_EXPORTER,		/* EARLY_EXPORTER_SECRET */
	KEYLOG_EXPORTER,		/* EXPORTER_SECRET */
	KEYLOG_NLABELS,
};

struct keylog;

/* An empty store; NULL when out of memory. */
struct keylog	*keylog_new(void);
void		 keylog_free(struct keylog *);

/*
 * Keep at most n connections, forgetting the oldest to make room (a live
 * server's store stays bounded whoever connects); 0, the default: keep
 * up to KEYLOG_MAX and refuse the rest.
 */
void		 keylog_set_window(struct keylog *, size_t);

/*
 * One line of a key log (n bytes, with or without its newline).
 * Returns 1 when a secret was kept, 0 for a line that holds none (blank,
 * a # comment, a label this store does not use, such as RSA), or -1
 * with the reason in err ("CLIENT_RANDOM: the client random is not 64
 * hex digits") when the line is malformed, or the store is full.
 */
int	keylog_add_line(struct keylog *, const char *, size_t, char *, size_t);

/*
 * Every line of fp.  Returns the number of secrets kept, or -1 with
 * "line N: reason" in err at the first malformed line or a read error.
 */
long	keylog_read(struct keylog *, FILE *, char *, size_t);

/*
 * The secret labelled label of the connection whose ClientHello carried
 * random (32 bytes), its length in *len; NULL when the log has none.
 */
const uint8_t *keylog_find(const struct keylog *, const uint8_t *,
	    enum keylog_label, size_t *);

/* Connections with at least one secret. */
size_t	keylog_count(const struct keylog *);

/* The NSS name of label ("CLIENT_HANDSHAKE_TRAFFIC_SECRET"). */
const char *keylog_label_name(enum keylog_label);

#endif
