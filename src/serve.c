/*
 * serve.c: the listen server.  One epoll loop serves every client, in the
 * spirit of redis's ae.c: no thread or process per connection.  Each
 * connection holds output only while the client is slower than we are,
 * and stops being read while that output is over OUT_HIGH, so a client
 * that does not read slows only itself.  An echo client is read only
 * up to the room left under OUT_HIGH, so what it holds never exceeds
 * OUT_HIGH: with N clients the buffers take at most N * OUT_HIGH.  A
 * time client holds at most OUT_HIGH + 2 * LINE_MAX_LEN and a prefix
 * (see conn_room).
 *
 * At --max-conns the listener leaves epoll until a slot frees: clients
 * past the limit wait in the kernel's backlog instead of being accepted
 * and closed.  In relay mode standard input is read as fast as the
 * fastest client takes it; a client more than --max-queue behind is
 * closed (or, with --lossy, misses what does not fit), so one client that
 * does not read never stalls the others.  --broker passes what each
 * client sends to the others under the same rule: no client is read
 * while another has no room for what it would send, and one that stays
 * so for --max-queue's SECS is closed (or skipped, --lossy).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "serve.h"
#ifdef HAVE_OPENSSL
#include "tls.h"
#endif
#include "util.h"

#define SCRATCH		(256 * 1024)	/* one read */
#define OUT_HIGH	(64 * 1024)	/* stop reading a client above this */
#define LINE_MAX_LEN	(64 * 1024)	/* a longer time-mode line is cut */
#define TIME_PREFIX_MAX	40		/* "[Sat Nov 21 23:59:01 2026] " */
#define EVENTS		256

struct conn {
	int		 fd;
	struct sockaddr_storage	 sa;	/* named only when a message needs it */
	char		*out;		/* output the client has not taken */
	size_t		 off, len, cap;
	char		*line;		/* time mode: the line so far */
	size_t		 linelen;
	int		 eof;		/* the client has sent FIN */
	int		 closed;	/* on the dead list, see conn_close */
	uint32_t	 events;	/* what epoll watches now */
	int		 in_epoll;	/* fd is in the epoll set */
	int64_t		 last;
	uint64_t	 in_bytes, out_bytes;
	int64_t		 win_start;	/* --min-rate: this window began */
	uint64_t	 win_mark;	/* in + out bytes when it began */
	uint64_t	 skipped;	/* --lossy: stdin bytes it missed */
	int64_t		 full_since;	/* relay: cannot take stdin since; 0 */
	struct tls_conn	*tls;		/* --tls, else NULL */
	int		 handshaking;	/* TLS: until its handshake is done */
	int		 lagging;	/* --lossy: skipped until caught up */
	int		 user;		/* --chat: <userN> */
	struct conn	*prev, *next;
};

struct server {
	const struct serve_opts	*o;
	int			 ep;
	struct conn		*conns;
	struct conn		*dead;		/* closed, freed by conn_reap */
	int			 nconns;
	int			 accepting;
	int			 listen_watched; /* the listener is in epoll */
	int			 in_pollable;	/* epoll can watch stdin */
	int			 in_watched;	/* stdin is in the epoll set */
	int			 in_eof;
	int			 nfull;		/* clients stdin waits for */
	int			 broker_ok;	/* --broker: every client has room */
	int			 broker_watched; /* what epoll was told of it */
	int			 next_user;	/* --chat */
	char			*chatbuf;	/* --chat: one line, prefixed */
	char			*leaves;	/* --chat: said at the round's end */
	size_t			 leaveslen;
	int			 failed;	/* stop: err says why */
	int64_t			 paused_until;	/* accept after EMFILE */
	int64_t			 emfile_said;	/* when that was last said */
	int			 emfile_count;	/* EMFILEs since then */
	char			*scratch;
	char			*err;
	size_t			 errlen;
};

static char listen_tag, stdin_tag, extra_tag;	/* epoll data of non-clients */

#define CHAT_PREFIX_MAX	24		/* "<user2147483647> " */
#define CHAT_LINE_OUT	(CHAT_PREFIX_MAX + 4 * LINE_MAX_LEN + 2)

static void	conn_close(struct server *, struct conn *, const char *);
static void	conn_reap(struct server *);
static int	conn_flush(struct server *, struct conn *);
static void	conn_update(struct server *, struct conn *);
static void	conn_read(struct server *, struct conn *);
static size_t	stdin_chunk(const struct server *);
static int	broker_data(struct server *, struct conn *, const char *,
		    size_t);
static void	chat_leave(struct server *, struct conn *);
static int	chat_join(struct server *, struct conn *);

size_t
serve_time_prefix(char *buf, size_t len)
{
	static const char *days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm	 tm;
	time_t		 t = time(NULL);
	int		 n;

	localtime_r(&t, &tm);
	/* ctime(3)'s form, without its locale or its newline. */
	n = snprintf(buf, len, "[%s %s %2d %02d:%02d:%02d %d] ",
	    days[tm.tm_wday], months[tm.tm_mon], tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
	return n < 0 ? 0 : (size_t)n;
}

/* "ADDR port N" for messages. */
static void
peer_name(const struct sockaddr *sa, char *buf, size_t len)
{
	char	 host[NET_ADDRSTRLEN];

	net_addr_str(sa, host, sizeof host);
	if (sa->sa_family == AF_UNIX)
		snprintf(buf, len, "a local client");
	else
		snprintf(buf, len, "%s port %d", host, net_addr_port(sa));
}

int
serve_accept_one(int lfd, const struct net_acl *acl, struct sockaddr *sa,
    socklen_t *salen, char *err, size_t errlen)
{
	struct pollfd	 pfd = { .fd = lfd, .events = POLLIN };
	socklen_t	 len;
	const char	*why;
	char		 who[NET_ADDRSTRLEN + 16], rule[128];
	int		 fd;

	for (;;) {
		len = *salen;
		fd = accept4(lfd, sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EAGAIN || errno == EINTR ||
			    errno == ECONNABORTED) {
				if (sk_interrupted) {
					snprintf(err, errlen, "interrupted");
					return -1;
				}
				if (errno == EAGAIN)
					sk_poll(&pfd, 1, -1);
				continue;
			}
			snprintf(err, errlen, "accept: %s", strerror(errno));
			return -1;
		}
		*salen = len;
		if (acl == NULL || (why = net_acl_check(acl, sa, rule,
		    sizeof rule)) == NULL)
			return fd;
		peer_name(sa, who, sizeof who);
		sk_warnx("listen: connection from %s denied (%s)", who, why);
		close(fd);
	}
}

/*
 * n, what a send(2) or recv(2) returned, with the reason of a failure in
 * why, as the TLS calls give it.
 */
static ssize_t
conn_said(ssize_t n, char *why, size_t whylen)
{
	if (n == -1)
		snprintf(why, whylen, "%s", strerror(errno));
	return n;
}

/*
 * Send to c, through TLS with --tls.  Returns as send(2) does, with the
 * reason of a failure in why.
 */
static ssize_t
conn_xsend(struct conn *c, const char *data, size_t len, char *why,
    size_t whylen)
{
#ifdef HAVE_OPENSSL
	if (c->tls != NULL)
		return tls_write(c->tls, data, len, why, whylen);
#endif
	return conn_said(send(c->fd, data, len, MSG_NOSIGNAL), why, whylen);
}

/*
 * Read up to want bytes of c into the scratch buffer (discard: dropped),
 * through TLS with --tls.  As recv(2), with a failure's reason in why.
 */
static ssize_t
conn_xrecv(struct server *s, struct conn *c, size_t want, char *why,
    size_t whylen)
{
#ifdef HAVE_OPENSSL
	if (c->tls != NULL)
		return tls_read(c->tls, s->scratch, want, why, whylen);
#endif
	/*
	 * discard: MSG_TRUNC drops TCP data without copying it.  The
	 * length must still be the buffer's: a Unix stream socket
	 * ignores MSG_TRUNC and copies all it is asked for.
	 */
	return conn_said(recv(c->fd, s->scratch, want,
	    s->o->mode == SERVE_DISCARD ? MSG_TRUNC : 0), why, whylen);
}

/* Nothing more to send to c: close_notify with --tls, then FIN. */
static void
conn_half_close(struct conn *c)
{
#ifdef HAVE_OPENSSL
	char	 why[160];

	if (c->tls != NULL && !c->handshaking)
		tls_close_notify(c->tls, 0, why, sizeof why);
#endif
	shutdown(c->fd, SHUT_WR);
}

/*
 * Whether to read more from c: while its backlog is small, and for
 * messages (SOCK_SEQPACKET) only once the last answer has gone, so that
 * answers never run together into one message.
 */
static int
conn_can_read(const struct server *s, const struct conn *c)
{
	if (s->o->messages)
		return c->off == c->len;
	if (s->o->broker)	/* what c holds is the others' */
		return s->broker_ok;
	return c->len - c->off < OUT_HIGH;
}

/*
 * How much to read from c at once: in echo mode (a stream) the room left
 * under OUT_HIGH, since all of it may have to wait for the client; in
 * time mode as much as fits there even if every byte is a line with its
 * prefix (so what waits stays under OUT_HIGH, plus one unfinished line
 * of LINE_MAX_LEN and its prefix); else the whole scratch buffer (a
 * message must be read whole).
 */
static size_t
conn_room(const struct server *s, const struct conn *c)
{
	size_t	 room;

	if (s->o->broker)	/* what every other client has room for */
		return stdin_chunk(s) / (s->o->chat ? CHAT_PREFIX_MAX : 1);
	if (s->o->messages || (s->o->mode != SERVE_ECHO &&
	    s->o->mode != SERVE_TIME))
		return SCRATCH;
	room = OUT_HIGH - (c->len - c->off);
	if (s->o->mode == SERVE_TIME)
		room /= TIME_PREFIX_MAX + 1;
	return room > 0 ? room : 1;
}

/* Watch what c needs now: input unless backed up, output while pending. */
static void
conn_update(struct server *s, struct conn *c)
{
	struct epoll_event	 ev;
	uint32_t		 want = 0;

	if (!c->eof && conn_can_read(s, c))
		want |= EPOLLIN;
	if (c->off < c->len)
		want |= EPOLLOUT;
#ifdef HAVE_OPENSSL
	if (c->handshaking)
		want = tls_want(c->tls) == POLLOUT ? EPOLLOUT : EPOLLIN;
#endif
	if (want == c->events)
		return;
	ev.events = want;
	ev.data.ptr = c;
	/*
	 * Once added, c stays in the set, with no events while it needs
	 * none: adding it again would fail with EEXIST and leave it unwatched.
	 */
	if (epoll_ctl(s->ep, c->in_epoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD,
	    c->fd, &ev) == -1)
		return;
	c->in_epoll = 1;
	c->events = want;
}

/*
 * Send what we can of data to c, keep the rest.  Returns 0, or -1 when
 * the connection failed (and was closed).
 */
static int
conn_send(struct server *s, struct conn *c, const char *data, size_t len)
{
	ssize_t	 n = 0;
	size_t	 need;
	char	*p, why[300];

	if (c->off == c->len && !c->handshaking) {
		c->off = c->len = 0;
		n = conn_xsend(c, data, len, why, sizeof why);
		if (n == -1 && errno != EAGAIN && errno != EINTR) {
			conn_close(s, c, why);
			return -1;
		}
		if (n < 0)
			n = 0;
		c->out_bytes += (uint64_t)n;
	}
	if ((size_t)n == len)
		return 0;
	need = c->len + (len - (size_t)n);
	if (need > c->cap) {
		if (c->off > 0) {
			memmove(c->out, c->out + c->off, c->len - c->off);
			c->len -= c->off;
			c->off = 0;
			need = c->len + (len - (size_t)n);
		}
		if (need > c->cap) {
			if ((p = realloc(c->out, need)) == NULL) {
				conn_close(s, c, strerror(errno));
				return -1;
			}
			c->out = p;
			c->cap = need;
		}
	}
	memcpy(c->out + c->len, data + n, len - (size_t)n);
	c->len += len - (size_t)n;
	return 0;
}

/* Send pending output; returns 0 or -1 when c was closed. */
static int
conn_flush(struct server *s, struct conn *c)
{
	ssize_t	 n;
	char	 why[300];

	while (c->off < c->len && !c->handshaking) {
		n = conn_xsend(c, c->out + c->off, c->len - c->off, why,
		    sizeof why);
		if (n == -1) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			conn_close(s, c, why);
			return -1;
		}
		c->off += (size_t)n;
		c->out_bytes += (uint64_t)n;
	}
	if (c->off == c->len) {
		/* Drained: give the memory back, most clients never need it. */
		free(c->out);
		c->out = NULL;
		c->off = c->len = c->cap = 0;
	}
	return 0;
}

/*
 * Close c and take it off the list.  Its memory waits for conn_reap():
 * c may be closed on behalf of another event (stdin_ready() sending to
 * every client), and later events of the same epoll_wait() round may
 * still point at it.
 */
static void
conn_close(struct server *s, struct conn *c, const char *why)
{
	char	 in[32], out[32], who[NET_ADDRSTRLEN + 16];

	if (why != NULL || c->skipped > 0 || sk_verbosity > 0)
		peer_name((struct sockaddr *)&c->sa, who, sizeof who);
	if (why != NULL)
		sk_warnx("listen: connection from %s: %s", who, why);
	if (c->skipped > 0)
		sk_warnx("listen: connection from %s: missed %s bytes of "
		    "%s (--lossy)", who, fmt_count(c->skipped, in, sizeof in),
		    s->o->broker ? "the other clients' data" :
		    "standard input");
	if (sk_verbosity == 0)
		;
	else if (s->o->mode == SERVE_DISCARD)
		sk_verbose("connection from %s closed: discarded %s bytes",
		    who, fmt_count(c->in_bytes, in, sizeof in));
	else
		sk_verbose("connection from %s closed: %s bytes in, %s out",
		    who, fmt_count(c->in_bytes, in, sizeof in),
		    fmt_count(c->out_bytes, out, sizeof out));
#ifdef HAVE_OPENSSL
	if (c->tls != NULL && why == NULL && tls_truncated(c->tls)) {
		peer_name((struct sockaddr *)&c->sa, who, sizeof who);
		sk_warnx("listen: connection from %s: truncated: no "
		    "close_notify", who);
	}
	if (c->tls != NULL) {
		if (why == NULL)	/* close_notify, then the TCP close */
			conn_half_close(c);
		tls_conn_free(c->tls);
		c->tls = NULL;
	}
#endif
	close(c->fd);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	s->nconns--;
	if (s->o->chat)
		chat_leave(s, c);
	c->closed = 1;
	c->next = s->dead;
	s->dead = c;
}

/* Free the connections closed since the last call. */
static void
conn_reap(struct server *s)
{
	struct conn	*c;

	while ((c = s->dead) != NULL) {
		s->dead = c->next;
		free(c->out);
		free(c->line);
		free(c);
	}
}

/*
 * Answer each whole line of data with the time before it; a line longer
 * than LINE_MAX_LEN is answered in pieces, and at EOF a last line without
 * a newline is answered as it is.  Returns 0 or -1 when c was closed.
 */
static int
time_data(struct server *s, struct conn *c, const char *data, size_t len)
{
	char	 pre[64];
	size_t	 i = 0, start = 0, take, plen;
	int	 nl;

	for (;;) {
		while (i < len && data[i] != '\n' &&
		    c->linelen + (i - start) < LINE_MAX_LEN)
			i++;
		nl = i < len && data[i] == '\n';
		if (i == len && !(c->eof && c->linelen + (i - start) > 0))
			break;
		take = i - start + (size_t)nl;
		plen = serve_time_prefix(pre, sizeof pre);
		if (conn_send(s, c, pre, plen) == -1 ||
		    (c->linelen > 0 && conn_send(s, c, c->line,
		    c->linelen) == -1) ||
		    conn_send(s, c, data + start, take) == -1)
			return -1;
		c->linelen = 0;
		i += (size_t)nl;
		start = i;
		if (i == len)
			return 0;
	}
	if (start < len) {
		if (c->line == NULL && (c->line = malloc(LINE_MAX_LEN)) == NULL) {
			conn_close(s, c, strerror(errno));
			return -1;
		}
		memcpy(c->line + c->linelen, data + start, len - start);
		c->linelen += len - start;
	}
	return 0;
}

/* Answer one message with the time before it, as one message. */
static int
time_message(struct server *s, struct conn *c, const char *data, size_t len)
{
	char	*msg;
	size_t	 plen;
	int	 rc;

	if (len == 0 && c->eof)
		return 0;
	if ((msg = malloc(64 + len)) == NULL) {
		conn_close(s, c, strerror(errno));
		return -1;
	}
	plen = serve_time_prefix(msg, 64);
	memcpy(msg + plen, data, len);
	rc = conn_send(s, c, msg, plen + len);
	free(msg);
	return rc;
}

/* Give data from c to the mode.  Returns 0 or -1 when c was closed. */
static int
mode_data(struct server *s, struct conn *c, const char *data, size_t len)
{
	switch (s->o->mode) {
	case SERVE_ECHO:
		return conn_send(s, c, data, len);
	case SERVE_TIME:
		if (s->o->messages)
			return time_message(s, c, data, len);
		return time_data(s, c, data, len);
	case SERVE_RELAY:
		if (s->o->broker)
			return broker_data(s, c, data, len);
		if (len > 0 && write_all(s->o->out_fd, data, len) == -1) {
			snprintf(s->err, s->errlen, "write to stdout: %s",
			    strerror(errno));
			s->failed = 1;
			return -1;
		}
		return 0;
	case SERVE_DISCARD:
		break;
	}
	return 0;
}

/*
 * Whether c is done: it sent EOF and took every answer.  In relay mode a
 * client that has only shut down its sending side still gets stdin.
 */
static int
conn_done(const struct server *s, const struct conn *c)
{
	return c->eof && c->off == c->len &&
	    (s->o->mode != SERVE_RELAY || s->in_eof || s->o->broker);
}

/*
 * Read what c sent, up to what its backlog allows.  Closes c when it is
 * done.
 */
static void
conn_read(struct server *s, struct conn *c)
{
	ssize_t	 n;
	size_t	 want;
	int	 rounds = 0;
	char	 why[300];

	while (!c->eof && conn_can_read(s, c) && rounds++ < 16) {
		want = conn_room(s, c);
		n = conn_xrecv(s, c, want, why, sizeof why);
		if (n == -1) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			conn_close(s, c, why);
			return;
		}
		if (n == 0)
			c->eof = 1;
		c->in_bytes += (uint64_t)n;
		c->last = now_ms();
		if (mode_data(s, c, s->scratch, (size_t)n) == -1)
			return;	/* c is closed, or stdout failed (s->failed) */
		if ((size_t)n < want / 2)
			break;
	}
	if (conn_done(s, c)) {
		conn_close(s, c, NULL);
		return;
	}
	conn_update(s, c);
}

/* Close a client we will not serve; what says why ("denied (...)"). */
static void
conn_refuse(int fd, const struct sockaddr *sa, const char *what)
{
	char	 who[NET_ADDRSTRLEN + 16];

	peer_name(sa, who, sizeof who);
	sk_warnx("listen: connection from %s %s", who, what);
	close(fd);
}

#ifdef HAVE_OPENSSL
/*
 * One step of c's TLS handshake, when its socket is ready.  Returns 1
 * when done (c is served from now on), 0 to wait, -1 when c was closed.
 */
static int
conn_handshake(struct server *s, struct conn *c)
{
	struct tls_peer_info	 in;
	char		 why[512], who[NET_ADDRSTRLEN + 16];
	int		 r;

	if ((r = tls_handshake(c->tls, why, sizeof why)) == -1) {
		conn_close(s, c, why);
		return -1;
	}
	if (r == 0) {
		conn_update(s, c);
		return 0;
	}
	c->handshaking = 0;
	c->last = now_ms();
	if (sk_verbosity > 0) {
		tls_conn_info(c->tls, &in);
		peer_name((struct sockaddr *)&c->sa, who, sizeof who);
		sk_verbose("connection from %s: %s, %s%s%s%s%s", who,
		    in.version, in.cipher, in.alpn[0] ? ", ALPN " : "",
		    in.alpn, in.subject[0] ? ", client " : "", in.subject);
	}
	if (s->o->mode == SERVE_RELAY && s->in_eof)
		conn_half_close(c);
	return 1;
}

/*
 * --tls: start c's handshake (the client is served once it is done).
 * Returns 0 to go on at once (no TLS), 1 while the handshake runs, or
 * -1 when c was closed.
 */
static int
conn_tls_start(struct server *s, struct conn *c)
{
	char	 why[512];
	int	 r;

	if (s->o->tls == NULL)
		return 0;
	if ((c->tls = tls_conn_new(s->o->tls, c->fd, NULL, why,
	    sizeof why)) == NULL) {
		conn_close(s, c, why);
		return -1;
	}
	c->handshaking = 1;
	if ((r = conn_handshake(s, c)) == 1)
		conn_read(s, c);	/* the data is often there already */
	return r == -1 ? -1 : 1;
}

#else
static int
conn_tls_start(struct server *s, struct conn *c)
{
	(void)s;
	(void)c;
	return 0;
}
#endif

/*
 * Close the clients quiet for limit ms or more (with handshaking: only
 * those still in their TLS handshake); why, with limit in seconds for
 * its %.3g, says so.
 */
static void __attribute__((format(printf, 4, 0)))
stale_close(struct server *s, int handshaking, int64_t limit,
    const char *why)
{
	struct conn	*c, *next;
	int64_t		 now = now_ms();
	char		 msg[96];

	snprintf(msg, sizeof msg, why, limit / 1000.0);
	for (c = s->conns; c != NULL; c = next) {
		next = c->next;
		if ((c->handshaking || !handshaking) && now - c->last >= limit)
			conn_close(s, c, msg);
	}
}

/* Take a new client: check the list and the limit, then serve it. */
static void
conn_new(struct server *s, int fd, const struct sockaddr *sa,
    socklen_t salen)
{
	struct conn	*c;
	char		 rule[128], why[160], who[NET_ADDRSTRLEN + 16];

	if (s->o->acl != NULL &&
	    net_acl_check(s->o->acl, sa, rule, sizeof rule) != NULL) {
		snprintf(why, sizeof why, "denied (%s)", rule);
		conn_refuse(fd, sa, why);
		return;
	}
	if ((c = calloc(1, sizeof *c)) == NULL) {
		snprintf(why, sizeof why, "refused: %s", strerror(errno));
		conn_refuse(fd, sa, why);
		return;
	}
	c->fd = fd;
	memcpy(&c->sa, sa, salen < sizeof c->sa ? salen : sizeof c->sa);
	c->last = c->win_start = now_ms();
	c->next = s->conns;
	if (s->conns != NULL)
		s->conns->prev = c;
	s->conns = c;
	s->nconns++;
	if (sk_verbosity > 0) {
		peer_name(sa, who, sizeof who);
		sk_verbose("connection from %s", who);
	}
	if (s->o->on_accept != NULL)
		s->o->on_accept(s->o->accept_arg, fd, sa);
	if (conn_tls_start(s, c) != 0)
		return;	/* closed, or served once its handshake is done */
	if (s->o->mode == SERVE_RELAY && s->in_eof && !s->o->broker)
		shutdown(fd, SHUT_WR);
	if (s->o->chat && chat_join(s, c) == -1)
		return;
	conn_read(s, c);	/* the data is often there already */
}

/*
 * Out of descriptors (or memory) in accept(): stop accepting for 100 ms
 * rather than spin, and say so at most once a second, with how many
 * times it happened since the last time it was said.
 */
static void
accept_pause(struct server *s, int e)
{
	int64_t	 now = now_ms(), since = now - s->emfile_said;

	s->paused_until = now + 100;
	s->emfile_count++;
	if (s->emfile_said != 0 && since < 1000)
		return;
	if (s->emfile_said == 0 || s->emfile_count == 1)
		sk_warnx("listen: accept: %s (raise ulimit -n)", strerror(e));
	else if (since < 2000)
		sk_warnx("listen: accept: %s (raise ulimit -n) (%d times in "
		    "the last second)", strerror(e), s->emfile_count);
	else
		sk_warnx("listen: accept: %s (raise ulimit -n) (%d times in "
		    "the last %lld s)", strerror(e), s->emfile_count,
		    (long long)(since / 1000));
	s->emfile_said = now;
	s->emfile_count = 0;
}

/* Accept waiting clients while there is room under --max-conns. */
static void
accept_ready(struct server *s)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	int			 fd;

	while (s->accepting && s->nconns < s->o->max_conns) {
		len = sizeof ss;
		fd = accept4(s->o->listen_fd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				accept_pause(s, errno);
			return;
		}
		conn_new(s, fd, (struct sockaddr *)&ss, len);
	}
}

/*
 * Watch the listener exactly while a client may be taken: not at
 * --max-conns (the rest wait in the kernel's backlog, where their data
 * is safe, until a slot frees) and not during a pause after EMFILE.
 */
static void
listen_watch(struct server *s)
{
	struct epoll_event	 ev = { .events = EPOLLIN,
				    .data.ptr = &listen_tag };
	int			 want;

	want = s->accepting && s->nconns < s->o->max_conns &&
	    s->paused_until == 0;
	if (want == s->listen_watched)
		return;
	if (epoll_ctl(s->ep, want ? EPOLL_CTL_ADD : EPOLL_CTL_DEL,
	    s->o->listen_fd, &ev) == 0 || !want)
		s->listen_watched = want;
}

/* How much stdin to read at once: no more than one client may hold. */
static size_t
stdin_chunk(const struct server *s)
{
	if (s->o->max_queue > 0 && s->o->max_queue < SCRATCH)
		return (size_t)s->o->max_queue;
	return SCRATCH;
}

/* Whether c has room for the next chunk of stdin. */
static int
conn_has_room(const struct server *s, const struct conn *c)
{
	return s->o->max_queue <= 0 ||
	    c->len - c->off + stdin_chunk(s) <= (size_t)s->o->max_queue;
}

/*
 * Count in nfull the clients with no room for the next chunk, each
 * stamped with the time it filled up, for stall_scan(); returns whether
 * some client has taken all it was given.  Relay mode reads stdin
 * (stdin_wanted()) not before the first client (nothing read would reach
 * anyone), only once some client has taken all it was given (stdin goes
 * at the pace of the fastest client), and not while a client has no
 * room for the next chunk: a reader that is merely slow, or not
 * scheduled for a moment, loses nothing.
 */
static int
queue_scan(struct server *s)
{
	struct conn	*c;
	int		 drained = 0;

	s->nfull = 0;
	for (c = s->conns; c != NULL; c = c->next) {
		if (c->off == c->len) {
			drained = 1;
			c->lagging = 0;
		}
		if (c->lagging || conn_has_room(s, c))
			c->full_since = 0;
		else {
			if (c->full_since == 0)
				c->full_since = now_ms();
			s->nfull++;
		}
	}
	return drained;
}

/* Relay mode: whether to read stdin now (see queue_scan). */
static int
stdin_wanted(struct server *s)
{
	if (s->in_eof) {
		if (!s->o->broker)	/* else broker_watch() counts */
			s->nfull = 0;
		return 0;
	}
	return queue_scan(s) && s->nfull == 0;
}

/*
 * --broker: read the clients only while every one has room for what one
 * of them may send (queue_scan); tell epoll when that changes.
 */
static void
broker_watch(struct server *s)
{
	struct conn	*c;

	if (!s->o->broker)
		return;
	queue_scan(s);
	s->broker_ok = s->nfull == 0;
	if (s->broker_ok == s->broker_watched)
		return;
	s->broker_watched = s->broker_ok;
	for (c = s->conns; c != NULL; c = c->next)
		conn_update(s, c);
}

/*
 * Close each client that has had no room for stdin for --max-queue's
 * SECS, or with --lossy let it miss stdin until it has taken all it
 * holds: one client that does not read stops the others for no longer.
 */
static void
stall_scan(struct server *s)
{
	struct conn	*c, *next;
	int64_t		 now = now_ms();
	char		 why[160], n[32];

	for (c = s->conns; c != NULL; c = next) {
		next = c->next;
		if (c->full_since == 0 || conn_has_room(s, c) ||
		    now - c->full_since < s->o->queue_ms)
			continue;
		c->full_since = 0;
		if (!s->o->lossy) {
			snprintf(why, sizeof why, "not reading: %s bytes of "
			    "%s waiting for it for %.3g s (--max-queue): "
			    "closed", fmt_count(c->len - c->off, n, sizeof n),
			    s->o->broker ? "the other clients' data" :
			    "standard input", s->o->queue_ms / 1000.0);
			conn_close(s, c, why);
			continue;
		}
		if (c->skipped == 0) {
			peer_name((struct sockaddr *)&c->sa, why, sizeof why);
			sk_warnx("listen: connection from %s: not reading: "
			    "%s that does not fit in --max-queue is skipped "
			    "for it (--lossy)", why, s->o->broker ?
			    "the other clients' data" : "standard input");
		}
		c->lagging = 1;
	}
}

/*
 * Give a chunk of stdin to c, or to a lagging client only what fits in
 * its queue (it misses the rest).  Returns 0, or -1 when c was closed.
 */
static int
stdin_give(struct server *s, struct conn *c, const char *data, size_t len)
{
	if (c->lagging && !conn_has_room(s, c)) {
		c->skipped += len;
		return 0;
	}
	return conn_send(s, c, data, len);
}

/* Watch stdin in epoll exactly while it is wanted. */
static void
stdin_watch(struct server *s)
{
	struct epoll_event	 ev = { .events = EPOLLIN,
				    .data.ptr = &stdin_tag };
	int			 want = s->in_pollable && stdin_wanted(s);

	if (want == s->in_watched)
		return;
	epoll_ctl(s->ep, want ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, s->o->in_fd,
	    &ev);
	s->in_watched = want;
}

/* At EOF on stdin: shut down every client's receiving side. */
static void
stdin_eof(struct server *s)
{
	struct conn	*c, *next;

	s->in_eof = 1;
	if (s->o->broker)	/* the clients still talk to each other */
		return;
	for (c = s->conns; c != NULL; c = next) {
		next = c->next;
		if (!c->handshaking)	/* else once the handshake is done */
			conn_half_close(c);
		if (conn_done(s, c))
			conn_close(s, c, NULL);
	}
}

/* Relay mode: read a chunk of stdin and send it to every client. */
static void
stdin_ready(struct server *s)
{
	struct conn	*c, *next;
	ssize_t		 n;

	if (!stdin_wanted(s))
		return;
	n = read(s->o->in_fd, s->scratch, stdin_chunk(s));
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		if (n == -1)
			sk_warn("listen: read from stdin");
		stdin_eof(s);
		return;
	}
	for (c = s->conns; c != NULL; c = next) {
		next = c->next;
		if (stdin_give(s, c, s->scratch, (size_t)n) == 0)
			conn_update(s, c);
	}
}

/*
 * --broker: give what from sent to every other client, as stdin is given
 * (a lagging --lossy client misses it).  A client left with no room for
 * more stops the reading of every client until the next round looks
 * again (broker_watch()).  Returns 0.
 */
static int
broker_give(struct server *s, const struct conn *from, const char *data,
    size_t len)
{
	struct conn	*c, *next;

	for (c = s->conns; c != NULL; c = next) {
		next = c->next;
		if (c == from || stdin_give(s, c, data, len) == -1)
			continue;
		if (!c->lagging && !conn_has_room(s, c))
			s->broker_ok = 0;
		conn_update(s, c);
	}
	return 0;
}

/*
 * --chat: one line of c's (nl: it ended with a newline, else one is
 * added) to the others, "<userN> " before it and control characters but
 * tab, CR and LF written \ooo, as ncat does.
 */
static void
chat_say(struct server *s, const struct conn *c, const char *line,
    size_t len, int nl)
{
	unsigned char	 ch;
	size_t		 i, n;

	n = (size_t)snprintf(s->chatbuf, CHAT_PREFIX_MAX, "<user%d> ",
	    c->user);
	for (i = 0; i < len; i++) {
		ch = (unsigned char)line[i];
		if (isprint(ch) || ch == '\t' || ch == '\r' || ch == '\n')
			s->chatbuf[n++] = (char)ch;
		else
			n += (size_t)snprintf(s->chatbuf + n, 5, "\\%03o", ch);
	}
	if (!nl)
		s->chatbuf[n++] = '\n';
	broker_give(s, c, s->chatbuf, n);
}

/*
 * --chat: c's bytes, said line by line; a line longer than LINE_MAX_LEN
 * is said in pieces, each ended with a newline.  Returns 0.
 */
static int
chat_data(struct server *s, struct conn *c, const char *data, size_t len)
{
	size_t	 i = 0, take;
	int	 nl;

	if (c->line == NULL && len > 0 &&
	    (c->line = malloc(LINE_MAX_LEN)) == NULL) {
		conn_close(s, c, strerror(errno));
		return -1;
	}
	while (i < len) {
		take = 0;
		while (i + take < len && data[i + take] != '\n' &&
		    c->linelen + take < LINE_MAX_LEN)
			take++;
		nl = i + take < len && data[i + take] == '\n';
		memcpy(c->line + c->linelen, data + i, take);
		c->linelen += take;
		i += take + (size_t)nl;
		if (nl || c->linelen == LINE_MAX_LEN) {
			if (nl)
				c->line[c->linelen++] = '\n';
			chat_say(s, c, c->line, c->linelen, nl);
			c->linelen = 0;
		}
	}
	return 0;
}

/* --broker's data from c: said as chat, or passed on as it is. */
static int
broker_data(struct server *s, struct conn *c, const char *data, size_t len)
{
	if (s->o->chat)
		return chat_data(s, c, data, len);
	return broker_give(s, c, data, len);
}

/* Add text to what the round's end tells every client (chat_flush). */
static void
chat_later(struct server *s, const char *text, size_t len)
{
	char	*p;

	if ((p = realloc(s->leaves, s->leaveslen + len)) == NULL)
		return;
	memcpy(p + s->leaveslen, text, len);
	s->leaves = p;
	s->leaveslen += len;
}

/*
 * --chat: c has left (conn_close()): its unfinished line, then the
 * announcement, are said to everyone at the round's end, not now: this
 * may be inside a walk of the list, which a failed send would change.
 */
static void
chat_leave(struct server *s, struct conn *c)
{
	char	 msg[128];
	int	 n;

	if (c->linelen > 0) {
		n = snprintf(msg, sizeof msg, "<user%d> ", c->user);
		chat_later(s, msg, (size_t)n);
		chat_later(s, c->line, c->linelen);
		chat_later(s, "\n", 1);
		c->linelen = 0;
	}
	n = snprintf(msg, sizeof msg, "<announce> <user%d> is disconnected.\n",
	    c->user);
	chat_later(s, msg, (size_t)n);
}

/* Say what chat_leave() kept to every client still here. */
static void
chat_flush(struct server *s)
{
	char	*text;
	size_t	 len;

	while (s->leaveslen > 0) {	/* a failed send adds a leave */
		text = s->leaves;
		len = s->leaveslen;
		s->leaves = NULL;
		s->leaveslen = 0;
		broker_give(s, NULL, text, len);
		free(text);
	}
}

/* The address of c, as ncat names a chat client, into buf. */
static const char *
chat_addr(const struct conn *c, char *buf, size_t len)
{
	if (c->sa.ss_family == AF_UNIX)
		snprintf(buf, len, "a local client");
	else
		net_addr_str((const struct sockaddr *)&c->sa, buf, len);
	return buf;
}

/*
 * --chat: c has come: tell everyone, c too, who it is and who was here
 * before, oldest first.  Returns 0, or -1 when c was closed.
 */
static int
chat_join(struct server *s, struct conn *c)
{
	struct conn	*o, *tail;
	char		 addr[NET_ADDRSTRLEN], *msg = NULL;
	size_t		 len = 0;
	int		 n = 0;
	FILE		*f;

	c->user = ++s->next_user;
	if ((f = open_memstream(&msg, &len)) == NULL)
		return 0;
	fprintf(f, "<announce> %s is connected as <user%d>.\n"
	    "<announce> already connected: ", chat_addr(c, addr, sizeof addr),
	    c->user);
	for (tail = s->conns; tail->next != NULL; tail = tail->next)
		;
	for (o = tail; o != NULL; o = o->prev)
		if (o != c)
			fprintf(f, "%s%s as <user%d>", n++ > 0 ? ", " : "",
			    chat_addr(o, addr, sizeof addr), o->user);
	fprintf(f, "%s.\n", n == 0 ? "nobody" : "");
	if (fclose(f) == 0)
		broker_give(s, NULL, msg, len);
	free(msg);
	return c->closed ? -1 : 0;
}

/*
 * Close the connections that moved (in and out together) fewer than
 * --min-rate bytes in their last window; start a new window for the
 * others.  This is what -w cannot do: a client that sends a byte now and
 * then is never idle, and holds its slot for good.
 */
static void
rate_scan(struct server *s)
{
	struct conn	*c, *next;
	int64_t		 now = now_ms();
	uint64_t	 moved;
	char		 why[160], n[32];

	for (c = s->conns; c != NULL; c = next) {
		next = c->next;
		if (now - c->win_start < s->o->min_window_ms)
			continue;
		moved = c->in_bytes + c->out_bytes - c->win_mark;
		if (moved < (uint64_t)s->o->min_bytes) {
			snprintf(why, sizeof why, "%s bytes in %.3g s, under "
			    "--min-rate %lld/%.3g: closed", fmt_count(moved, n,
			    sizeof n), (now - c->win_start) / 1000.0,
			    s->o->min_bytes, s->o->min_window_ms / 1000.0);
			conn_close(s, c, why);
			continue;
		}
		c->win_start = now;
		c->win_mark = c->in_bytes + c->out_bytes;
	}
}

/* Whether TLS holds bytes of c that epoll cannot see. */
static int
conn_held(const struct conn *c)
{
#ifdef HAVE_OPENSSL
	return c->tls != NULL && tls_pending(c->tls);
#else
	(void)c;
	return 0;
#endif
}

/* Handle one epoll event. */
static void
dispatch(struct server *s, struct epoll_event *ev)
{
	struct conn	*c = ev->data.ptr;

	if (ev->data.ptr == &listen_tag) {
		accept_ready(s);
		return;
	}
	if (ev->data.ptr == &stdin_tag) {
		stdin_ready(s);
		return;
	}
	if (ev->data.ptr == &extra_tag) {
		s->o->on_extra(s->o->extra_arg);
		return;
	}
	if (c->closed)
		return;
#ifdef HAVE_OPENSSL
	if (c->handshaking) {
		if (conn_handshake(s, c) == 1)
			conn_read(s, c);
		return;
	}
#endif
	if (ev->events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
		if (conn_flush(s, c) == -1)
			return;
		c->last = now_ms();
	}
	if (ev->events & (EPOLLIN | EPOLLERR | EPOLLHUP) || conn_held(c))
		conn_read(s, c);
	else if (conn_done(s, c))
		conn_close(s, c, NULL);
	else
		conn_update(s, c);
}

/* Add the listener and, in relay mode, stdin to the epoll set. */
static int
serve_setup(struct server *s)
{
	struct epoll_event	 ev;
	struct rlimit		 rl;

	/* Clients cost a descriptor each: take all the system allows. */
	if (s->o->keep && getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if ((s->ep = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    (s->scratch = malloc(SCRATCH)) == NULL ||
	    (s->o->chat && (s->chatbuf = malloc(CHAT_LINE_OUT)) == NULL))
		return -1;
	s->broker_ok = s->broker_watched = 1;
	ev.events = EPOLLIN;
	ev.data.ptr = &listen_tag;
	if (s->o->listen_fd != -1 &&
	    epoll_ctl(s->ep, EPOLL_CTL_ADD, s->o->listen_fd, &ev) == -1)
		return -1;
	s->listen_watched = s->o->listen_fd != -1;
	ev.data.ptr = &extra_tag;
	if (s->o->on_extra != NULL &&
	    epoll_ctl(s->ep, EPOLL_CTL_ADD, s->o->extra_fd, &ev) == -1)
		return -1;
	if (s->o->mode != SERVE_RELAY || s->o->in_fd == -1) {
		s->in_eof = 1;
		return 0;
	}
	/* A regular file cannot be watched: it is always readable. */
	ev.data.ptr = &stdin_tag;
	s->in_pollable = epoll_ctl(s->ep, EPOLL_CTL_ADD, s->o->in_fd,
	    &ev) == 0;
	if (s->in_pollable)
		epoll_ctl(s->ep, EPOLL_CTL_DEL, s->o->in_fd, &ev);
	return 0;
}

/*
 * How often to look for idle (-w) and slow (--min-rate) clients: a
 * quarter of the shorter limit, at most every 250 ms; -1 for never.
 */
static int
scan_interval(const struct serve_opts *o)
{
	long	 ms = -1;

	if (o->idle_ms >= 0)
		ms = o->idle_ms;
	if (o->min_bytes > 0 && (ms < 0 || o->min_window_ms < ms))
		ms = o->min_window_ms;
	if (o->tls != NULL && (ms < 0 || o->handshake_ms < ms))
		ms = o->handshake_ms;
	if (ms < 0)
		return -1;
	return ms < 1000 ? (int)(ms / 4 + 1) : 250;
}

/*
 * How long epoll may wait: not at all while stdin is a readable file, at
 * most 100 ms while stdin waits for a full client or accept() for a pause.
 */
static int
serve_timeout(struct server *s)
{
	int	 every = scan_interval(s->o);

	if (!s->in_pollable && stdin_wanted(s))
		return 0;
	if (s->paused_until != 0 || s->nfull > 0)
		return every >= 0 && every < 100 ? every : 100;
	return every;
}

/* The timed work: accept again after a pause, close idle and slow clients. */
static void
serve_timers(struct server *s, int64_t *next_scan)
{
	const struct serve_opts	*o = s->o;
	int			 every = scan_interval(o);

	if (s->paused_until != 0 && now_ms() >= s->paused_until)
		s->paused_until = 0;	/* listen_watch() takes it back */
	if (s->nfull > 0)
		stall_scan(s);
	if (every >= 0 && now_ms() >= *next_scan) {
		if (o->idle_ms >= 0)
			stale_close(s, 0, o->idle_ms,
			    "idle for %.3g s (-w): closed");
		if (o->min_bytes > 0)
			rate_scan(s);
#ifdef HAVE_OPENSSL
		if (o->tls != NULL)
			stale_close(s, 1, o->handshake_ms,
			    "TLS handshake: timed out after %.3g s");
#endif
		*next_scan = now_ms() + every;
	}
}

int
serve_run(const struct serve_opts *o, char *err, size_t errlen)
{
	struct server		 s;
	struct epoll_event	 evs[EVENTS];
	int			 i, n, rc = -1;
	int64_t			 next_scan = 0;

	memset(&s, 0, sizeof s);
	s.o = o;
	s.accepting = o->listen_fd != -1;
	s.err = err;
	s.errlen = errlen;
	if (serve_setup(&s) == -1) {
		snprintf(err, errlen, "listen: %s", strerror(errno));
		goto done;
	}
	if (o->client_fd != -1)
		conn_new(&s, o->client_fd, o->client_sa, o->client_salen);
	while (!s.failed) {
		if (!s.accepting && s.nconns == 0) {
			rc = 0;
			break;
		}
		stdin_watch(&s);
		broker_watch(&s);
		listen_watch(&s);
		n = sk_epoll_wait(s.ep, evs, EVENTS, serve_timeout(&s));
		if (n == -1 && errno != EINTR) {
			snprintf(err, errlen, "epoll_wait: %s", strerror(errno));
			break;
		}
		if (sk_interrupted) {
			rc = 0;
			break;
		}
		for (i = 0; i < n && !s.failed; i++)
			dispatch(&s, &evs[i]);
		if (!s.in_pollable)
			stdin_ready(&s);
		serve_timers(&s, &next_scan);
		chat_flush(&s);
		conn_reap(&s);
	}
done:
	while (s.conns != NULL)
		conn_close(&s, s.conns, NULL);
	conn_reap(&s);
	if (s.ep > 0)
		close(s.ep);
	free(s.scratch);
	free(s.chatbuf);
	free(s.leaves);
	return rc;
}
