/*
 * streamopt.h: the options of the stream commands (connect, listen):
 * the Unix socket, the timers and how the relay treats the bytes.  One
 * parser for both; the options to come (TLS, proxies, exec) go here too.
 */
#ifndef STREAMOPT_H
#define STREAMOPT_H

#include <stddef.h>
#include <stdio.h>

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
	long		 idle_ms;	/* -i SECS; -1: -w's */
	int		 send_only;	/* --send-only */
	int		 recv_only;	/* --recv-only */
	long		 delay_ms;	/* -d SECS; 0: none */
	const char	*log_path;	/* -o FILE */
	const char	*hexlog_path;	/* --hex-dump FILE */
	int		 append;	/* --append-output */
	FILE		*log, *hexlog;	/* open once stream_open() ran */
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
#define STREAM_SHORTOPTS	"CU:d:i:o:q:w:x"

/* The --help lines of the session options, for connect and listen. */
#define STREAM_USAGE \
	"      --send-only   only send: ignore what comes, end at EOF on " \
	"stdin\n" \
	"      --recv-only   only receive: never read stdin\n" \
	"  -o, --output FILE write a copy of the session (both directions) " \
	"to FILE\n" \
	"      --hex-dump FILE  write both directions to FILE as a hex " \
	"dump (ncat's)\n" \
	"      --append-output  -o and --hex-dump append instead of " \
	"replacing\n" \
	"  -d, --delay SECS  wait SECS between the lines (or sends) of " \
	"stdin\n" \
	"  -i, --idle-timeout SECS  close the connection idle for SECS\n"

void	stream_opts_init(struct stream_opts *);

/* Whether getopt_long()'s ch is one of the stream options. */
int	stream_is_option(int);

/* Whether ch is one of the session log's: -o, --hex-dump, -d, ... */
int	stream_is_session(int);

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

/*
 * The first session option given (--send-only, --recv-only, -o,
 * --hex-dump, -d), which the one-client relay alone takes; NULL if none.
 */
const char *stream_session_only(const struct stream_opts *);

/*
 * Reject session options that cannot go together.  Returns 0, or -1 with
 * the reason in err (a usage error).
 */
int	stream_check(const struct stream_opts *, char *, size_t);

/*
 * Open the -o and --hex-dump files (created, or appended to).  Returns
 * 0, or -1 with a message naming the file in err.
 */
int	stream_open(struct stream_opts *, char *, size_t);

/*
 * Close the files stream_open() opened.  Returns 0, or -1 with err when
 * writing them failed (a full disk).
 */
int	stream_close(struct stream_opts *, char *, size_t);

/* The idle timeout: -i, or else -w; -1 for none. */
long	stream_idle_ms(const struct stream_opts *);

struct relay_opts;

/*
 * Fill r for relaying stdin/stdout over the connected fd with peer (a
 * name for messages) as the options say; the caller hooks any capture.
 */
void	stream_relay_opts(const struct stream_opts *, int, const char *,
	    struct relay_opts *);

#endif
