/*
 * streamopt.c: the stream commands' shared options (see streamopt.h).
 */
#include "config.h"

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
	o->wait_ms = o->quit_ms = -1;
}

int
stream_is_option(int ch)
{
	return (ch > 0 && ch < OPT_ID_FIRST &&
	    strchr(STREAM_SHORTOPTS, ch) != NULL && ch != ':') ||
	    ch == STREAM_OPT_NO_SHUTDOWN || ch == STREAM_OPT_SEQPACKET;
}

/*
 * -q or -w: seconds, up to a day; -w must be more than 0 (a connection
 * idle for no time at all).  Returns 0, or -1 with err.
 */
static int
stream_secs(int ch, const char *arg, long *ms, char *err, size_t errlen)
{
	char	 why[128];

	if (parse_secs(arg, 86400000L, ms, why, sizeof why) == -1 ||
	    (ch == 'w' && *ms == 0)) {
		snprintf(err, errlen, "-%c '%s': %s", ch, arg, ch == 'w' &&
		    *ms == 0 ? "must be more than 0" : why);
		return -1;
	}
	return 0;
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
	snprintf(err, errlen, "not a stream option");
	return -1;
}

int
stream_relay_only(const struct stream_opts *o)
{
	return o->quit_ms >= 0 || o->no_shutdown || o->crlf || o->hexdump;
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
	r->idle_ms = o->wait_ms;
}
