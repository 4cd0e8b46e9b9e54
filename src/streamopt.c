/*
 * streamopt.c: the stream commands' shared options (see streamopt.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "optid.h"
#include "relay.h"
#include "streamopt.h"
#include "util.h"

void
stream_opts_init(struct stream_opts *o)
{
	memset(o, 0, sizeof *o);
	o->wait_ms = o->quit_ms = o->idle_ms = -1;
}

int
stream_is_option(int ch)
{
	return (ch > 0 && ch < OPT_ID_FIRST &&
	    strchr(STREAM_SHORTOPTS, ch) != NULL && ch != ':') ||
	    ch == STREAM_OPT_NO_SHUTDOWN || ch == STREAM_OPT_SEQPACKET ||
	    ch == STREAM_OPT_SEND_ONLY || ch == STREAM_OPT_RECV_ONLY ||
	    ch == STREAM_OPT_HEX_DUMP || ch == STREAM_OPT_APPEND_OUTPUT ||
	    (ch >= STREAM_OPT_TLS && ch < STREAM_OPT_TLS_END);
}

int
stream_is_session(int ch)
{
	return ch == 'o' || ch == 'd' || ch == STREAM_OPT_HEX_DUMP ||
	    ch == STREAM_OPT_APPEND_OUTPUT;
}

#ifdef HAVE_OPENSSL
/* --tls-min and --tls-max: 1.2 or 1.3 as 12 or 13; 0 or -1 with err. */
static int
stream_tls_version(int ch, const char *arg, int *v, char *err, size_t errlen)
{
	if (strcmp(arg, "1.2") == 0 || strcmp(arg, "1.3") == 0) {
		*v = arg[2] == '2' ? 12 : 13;
		return 0;
	}
	snprintf(err, errlen, "--tls-%s '%s': expected 1.2 or 1.3",
	    ch == STREAM_OPT_TLS_MIN ? "min" : "max", arg);
	return -1;
}
#endif

/* One TLS option into o->tls; 0, or -1 with err. */
static int
stream_parse_tls(struct stream_opts *o, int ch, const char *arg, char *err,
    size_t errlen)
{
	struct tls_opts	*t = &o->tls;

#ifndef HAVE_OPENSSL
	(void)t;
	(void)ch;
	(void)arg;
	snprintf(err, errlen, "--tls and its options: this sockkit was built "
	    "without OpenSSL (configure --without-openssl); install "
	    "libssl-dev and rebuild");
	return -1;
#else
	switch (ch) {
	case STREAM_OPT_TLS: t->on = 1; return 0;
	case STREAM_OPT_CA_FILE: t->ca_file = arg; return 0;
	case STREAM_OPT_SNI: t->sni = arg; break;
	case STREAM_OPT_NO_SNI: t->no_sni = 1; return 0;
	case STREAM_OPT_ALPN: t->alpn = arg; break;
	case STREAM_OPT_CERT: t->cert = arg; return 0;
	case STREAM_OPT_KEY: t->key = arg; return 0;
	case STREAM_OPT_INSECURE: t->insecure = 1; return 0;
	case STREAM_OPT_KEYLOG: t->keylog = arg; return 0;
	case STREAM_OPT_VERIFY_CLIENT: t->verify_client = 1; return 0;
	case STREAM_OPT_TLS_MIN:
		return stream_tls_version(ch, arg, &t->min_version, err, errlen);
	case STREAM_OPT_TLS_MAX:
		return stream_tls_version(ch, arg, &t->max_version, err, errlen);
	}
	if (arg[0] == '\0' || strlen(arg) > 255 || (ch == STREAM_OPT_ALPN &&
	    (strstr(arg, ",,") != NULL || arg[0] == ',' ||
	    arg[strlen(arg) - 1] == ','))) {
		snprintf(err, errlen, "--%s '%s': expected %s", ch ==
		    STREAM_OPT_SNI ? "sni" : "alpn", arg, ch == STREAM_OPT_SNI ?
		    "a host name" : "names separated by commas, e.g. h2,http/1.1");
		return -1;
	}
	return 0;
#endif
}

/*
 * -q, -w, -i or -d: seconds, up to a day; -w and -i must be more than 0
 * (a connection idle for no time at all).  Returns 0, or -1 with err.
 */
static int
stream_secs(int ch, const char *arg, long *ms, char *err, size_t errlen)
{
	char	 why[128];

	if (parse_secs(arg, 86400000L, ms, why, sizeof why) == -1) {
		snprintf(err, errlen, "-%c '%s': %s", ch, arg, why);
		return -1;
	}
	if ((ch == 'w' || ch == 'i') && *ms == 0) {
		snprintf(err, errlen, "-%c '%s': must be more than 0", ch, arg);
		return -1;
	}
	return 0;
}

/* The session options; 0, or -1 with err. */
static int
stream_parse_session(struct stream_opts *o, int ch, const char *arg,
    char *err, size_t errlen)
{
	switch (ch) {
	case STREAM_OPT_SEND_ONLY: o->send_only = 1; return 0;
	case STREAM_OPT_RECV_ONLY: o->recv_only = 1; return 0;
	case STREAM_OPT_APPEND_OUTPUT: o->append = 1; return 0;
	case STREAM_OPT_HEX_DUMP: o->hexlog_path = arg; return 0;
	case 'o': o->log_path = arg; return 0;
	case 'd': return stream_secs(ch, arg, &o->delay_ms, err, errlen);
	case 'i': return stream_secs(ch, arg, &o->idle_ms, err, errlen);
	}
	snprintf(err, errlen, "not a stream option");
	return -1;
}

int
stream_parse(struct stream_opts *o, int ch, const char *arg, char *err,
    size_t errlen)
{
	switch (ch) {
	case 'C': o->crlf = 1; return 0;
	case 'U': o->unix_path = arg; return 0;
	case 'x': o->hexdump = 1; return 0;
	case STREAM_OPT_NO_SHUTDOWN: o->no_shutdown = 1; return 0;
	case STREAM_OPT_SEQPACKET: o->seqpacket = 1; return 0;
	case 'q': return stream_secs(ch, arg, &o->quit_ms, err, errlen);
	case 'w': return stream_secs(ch, arg, &o->wait_ms, err, errlen);
	}
	if (ch >= STREAM_OPT_TLS && ch < STREAM_OPT_TLS_END)
		return stream_parse_tls(o, ch, arg, err, errlen);
	return stream_parse_session(o, ch, arg, err, errlen);
}

/* Whether a TLS option other than --tls was given. */
static int
stream_tls_given(const struct tls_opts *t)
{
	return t->ca_file || t->sni || t->no_sni || t->alpn || t->cert ||
	    t->key || t->insecure || t->keylog || t->verify_client ||
	    t->min_version || t->max_version;
}

int
stream_check_tls(const struct stream_opts *o, int server, char *err,
    size_t errlen)
{
	const struct tls_opts	*t = &o->tls;
	const char		*why = NULL;

	if (!t->on && stream_tls_given(t))
		why = "--ca-file, --sni, --alpn, --cert, --key, --insecure, "
		    "--keylog and the other TLS options need --tls";
	else if (!t->on)
		return 0;
	else if (o->unix_path != NULL)
		why = "--tls works over TCP: it cannot go with -U";
	else if (t->min_version && t->max_version &&
	    t->min_version > t->max_version)
		why = "--tls-min is above --tls-max";
	else if (t->key != NULL && t->cert == NULL)
		why = "--key needs --cert";
	else if (server && (t->sni || t->no_sni || t->insecure))
		why = "--sni, --no-sni and --insecure are for connect; a "
		    "server checks clients only with --verify-client";
	else if (!server && t->verify_client)
		why = "--verify-client is for listen";
	else if (t->verify_client && t->ca_file == NULL)
		why = "--verify-client needs --ca-file FILE (the CA that "
		    "signs the clients)";
	else if (t->insecure && t->ca_file != NULL)
		why = "--insecure checks nothing: it cannot go with --ca-file";
	else if (t->sni && t->no_sni)
		why = "--sni NAME sends NAME: it cannot go with --no-sni";
	if (why == NULL)
		return 0;
	snprintf(err, errlen, "%s", why);
	return -1;
}

int
stream_relay_only(const struct stream_opts *o)
{
	return o->quit_ms >= 0 || o->no_shutdown || o->crlf || o->hexdump;
}

const char *
stream_session_only(const struct stream_opts *o)
{
	if (o->send_only)
		return "--send-only";
	if (o->recv_only)
		return "--recv-only";
	if (o->log_path != NULL)
		return "-o";
	if (o->hexlog_path != NULL)
		return "--hex-dump";
	if (o->delay_ms > 0)
		return "-d";
	return NULL;
}

int
stream_check(const struct stream_opts *o, char *err, size_t errlen)
{
	if (o->send_only && o->recv_only)
		snprintf(err, errlen, "--send-only and --recv-only cannot go "
		    "together: give neither to relay both ways");
	else if (o->recv_only && (o->delay_ms > 0 || o->crlf ||
	    o->quit_ms >= 0))
		snprintf(err, errlen, "--recv-only reads no stdin: it cannot "
		    "go with -d, -C or -q");
	else if (o->append && o->log_path == NULL && o->hexlog_path == NULL)
		snprintf(err, errlen, "--append-output needs -o FILE or "
		    "--hex-dump FILE");
	else if (o->log_path != NULL && o->hexlog_path != NULL &&
	    strcmp(o->log_path, o->hexlog_path) == 0)
		snprintf(err, errlen, "-o and --hex-dump name the same file "
		    "'%s': give two", o->log_path);
	else
		return 0;
	return -1;
}

/* Open path for -o or --hex-dump (what); NULL with err. */
static FILE *
stream_open_one(const char *path, int append, const char *what, char *err,
    size_t errlen)
{
	FILE	*fp;
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND :
	    O_TRUNC), 0666);
	if (fd == -1 || (fp = fdopen(fd, append ? "a" : "w")) == NULL) {
		snprintf(err, errlen, "%s %s: %s", what, path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return NULL;
	}
	return fp;
}

int
stream_open(struct stream_opts *o, char *err, size_t errlen)
{
	if (o->log_path != NULL && (o->log = stream_open_one(o->log_path,
	    o->append, "-o", err, errlen)) == NULL)
		return -1;
	if (o->hexlog_path != NULL && (o->hexlog = stream_open_one(
	    o->hexlog_path, o->append, "--hex-dump", err, errlen)) == NULL)
		return -1;
	return 0;
}

/* Close *fp (named path); 0, or -1 with err when its writes failed. */
static int
stream_close_one(FILE **fp, const char *path, char *err, size_t errlen)
{
	int	 bad;

	if (*fp == NULL)
		return 0;
	bad = ferror(*fp) | fclose(*fp);
	*fp = NULL;
	if (!bad)
		return 0;
	snprintf(err, errlen, "writing %s: %s", path, strerror(errno));
	return -1;
}

int
stream_close(struct stream_opts *o, char *err, size_t errlen)
{
	int	 rc;

	rc = stream_close_one(&o->log, o->log_path, err, errlen);
	if (stream_close_one(&o->hexlog, o->hexlog_path, err, errlen) == -1)
		rc = -1;
	return rc;
}

long
stream_idle_ms(const struct stream_opts *o)
{
	return o->idle_ms >= 0 ? o->idle_ms : o->wait_ms;
}

void
stream_relay_opts(const struct stream_opts *o, int fd, const char *peer,
    struct relay_opts *r)
{
	memset(r, 0, sizeof *r);
	r->in_fd = STDIN_FILENO;
	r->out_fd = STDOUT_FILENO;
	r->net_fd = fd;
	r->peer = peer;
	r->no_shutdown = o->no_shutdown;
	r->crlf = o->crlf;
	r->hexdump = o->hexdump;
	r->messages = o->seqpacket;
	r->quit_ms = o->quit_ms;
	r->idle_ms = stream_idle_ms(o);
	r->idle_opt = o->idle_ms >= 0 ? 'i' : 'w';
	r->send_only = o->send_only;
	if (o->recv_only)
		r->in_fd = -1;
	r->delay_ms = o->delay_ms;
	r->log = o->log;
	r->hexlog = o->hexlog;
}
