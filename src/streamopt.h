/*
 * streamopt.h: the options of the stream commands (connect, listen):
 * the Unix socket, the timers and how the relay treats the bytes.  One
 * parser for both; the options to come (TLS, proxies, exec) go here too.
 */
#ifndef STREAMOPT_H
#define STREAMOPT_H

#include <stddef.h>

/* --tls and its settings (src/tls.c). */
struct tls_opts {
	int		 on;		/* --tls */
	const char	*ca_file;	/* --ca-file: trust these, not the system's */
	const char	*sni;		/* --sni: the name sent and checked */
	int		 no_sni;	/* --no-sni */
	const char	*alpn;		/* --alpn LIST, comma-separated */
	int		 min_version;	/* --tls-min: 12 or 13; 0 default */
	int		 max_version;	/* --tls-max */
	const char	*cert, *key;	/* --cert, --key: PEM files */
	int		 insecure;	/* --insecure: no verification */
	const char	*keylog;	/* --keylog FILE, NSS format */
	int		 verify_client;	/* --verify-client */
};

struct stream_opts {
	const char	*unix_path;	/* -U PATH */
	int		 seqpacket;	/* --seqpacket */
	long		 wait_ms;	/* -w SECS; -1: none */
	long		 quit_ms;	/* -q SECS; -1: none */
	int		 no_shutdown;	/* --no-shutdown */
	int		 crlf;		/* -C */
	int		 hexdump;	/* -x */
	struct tls_opts	 tls;
};

/* The --help lines of the TLS options both stream commands take. */
#define STREAM_TLS_USAGE \
	"      --tls         speak TLS (OpenSSL) over the connection\n" \
	"      --ca-file FILE trust the CAs in FILE, not the system's\n" \
	"      --alpn LIST   offer these protocols (h2,http/1.1)\n" \
	"      --tls-min V, --tls-max V  TLS version 1.2 or 1.3\n" \
	"      --cert FILE, --key FILE  our certificate and key (PEM)\n" \
	"      --keylog FILE append the session keys (SSLKEYLOGFILE " \
	"format)\n"

/* The letters stream_parse() takes, for getopt. */
#define STREAM_SHORTOPTS	"CU:q:w:x"

void	stream_opts_init(struct stream_opts *);

/* Whether getopt_long()'s ch is one of the stream options. */
int	stream_is_option(int);

/*
 * Take option ch with its argument.  Returns 0, or -1 with the reason in
 * err (a usage error).
 */
int	stream_parse(struct stream_opts *, int, const char *, char *, size_t);

/*
 * Reject the TLS options that cannot go together or with this command
 * (server: listen).  Returns 0, or -1 with the reason in err.
 */
int	stream_check_tls(const struct stream_opts *, int, char *, size_t);

/* Whether an option only the relay uses was given: -q -C -x --no-shutdown. */
int	stream_relay_only(const struct stream_opts *);

struct relay_opts;

/*
 * Fill r for relaying stdin/stdout over the connected fd with peer (a
 * name for messages) as the options say; the caller hooks any capture.
 */
void	stream_relay_opts(const struct stream_opts *, int, const char *,
	    struct relay_opts *);

#endif
