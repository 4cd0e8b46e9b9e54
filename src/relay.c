/*
 * relay.c: the two-way pump between stdin/stdout and a socket.
 *
 * Each direction is a pump from a source fd to a destination fd.  Where
 * both ends allow it the bytes move through a private pipe with splice(2)
 * and never enter user space; otherwise (terminals, -C, -x, seqpacket,
 * and a regular file into a socket) they go through a buffer.  One poll() loop drives both pumps, as in
 * OpenBSD nc's readwrite(), with the socket non-blocking.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hexdump.h"
#include "relay.h"
#include "util.h"

#define PUMP_BUFSIZE	(256 * 1024)
#define PIPE_SIZE	(1024 * 1024)

struct pump {
	int		 src, dst;
	int		 splice;	/* via pipefd, else via buf */
	int		 pipefd[2];
	size_t		 inpipe;	/* bytes waiting in the pipe */
	char		*buf;
	size_t		 off, len;
	int		 eof;		/* the source is done */
	int		 dump;		/* '>' or '<' for -x, else 0 */
	int		 crlf;
	int		 last_cr;	/* -C: the last byte read was CR */
	int		 messages;
	int		 empty_msgs;	/* a 0-byte read: maybe a message */
	uint64_t	 bytes;		/* read from src so far */
	uint64_t	 dumped;	/* bytes shown by -x so far */
	const char	*src_name, *dst_name;
	FILE		*log, *hexlog;	/* -o, --hex-dump */
	long		 delay_ms;	/* -d: one line, then wait */
	int64_t		 next_at;	/* -d: no send before this time */
	const struct relay_xport *x;	/* the socket's transport, or NULL */
	int		 x_src;		/* 1: src is the socket, 0: dst */
};

static int	pump_init(struct pump *, int, int, int);
static void	pump_free(struct pump *);
static ssize_t	pump_fill(struct pump *, char *, size_t);
static int	pump_flush(struct pump *, char *, size_t);
static int	pump_pending(const struct pump *);
static int	can_splice(int, int);

/* Whether fd can be one end of a splice(2): pipes, sockets, files, null. */
static int
can_splice(int fd, int writing)
{
	struct stat	 st;
	int		 fl;

	if (fstat(fd, &st) == -1)
		return 0;
	/* splice(2) fails with EINVAL on a file opened for appending (>>). */
	if (writing && ((fl = fcntl(fd, F_GETFL)) == -1 || (fl & O_APPEND)))
		return 0;
	if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
	    S_ISREG(st.st_mode))
		return 1;
	/* /dev/null takes spliced pages; other devices (ttys) do not. */
	return writing && S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 &&
	    minor(st.st_rdev) == 3;
}

/*
 * Whether fd is a regular file and fd2 a socket.  Such a pump copies:
 * measured over loopback (bench/throughput.sh, Linux 6.18), 256 KiB
 * write()s from a buffer move a file 1.3 to 1.7 times as fast as
 * sendfile(2) or splice(2), whose page-sized pieces each wake the
 * receiver; iperf3 writes from a buffer too.
 */
static int
file_to_socket(int fd, int fd2)
{
	struct stat	 st, st2;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    fstat(fd2, &st2) == 0 && S_ISSOCK(st2.st_mode);
}

/* Set up a pump; copy forces the buffer path.  Returns 0 or -1. */
static int
pump_init(struct pump *p, int src, int dst, int copy)
{
	p->src = src;
	p->dst = dst;
	p->pipefd[0] = p->pipefd[1] = -1;
	p->splice = !copy && !file_to_socket(src, dst) && can_splice(src, 0) && can_splice(dst, 1) &&
	    pipe2(p->pipefd, O_CLOEXEC | O_NONBLOCK) == 0;
	if (p->splice) {
		fcntl(p->pipefd[1], F_SETPIPE_SZ, PIPE_SIZE);
		return 0;
	}
	/* -C turns one byte into two: leave room for that. */
	if ((p->buf = malloc(PUMP_BUFSIZE * 2)) == NULL)
		return -1;
	return 0;
}

static void
pump_free(struct pump *p)
{
	if (p->pipefd[0] != -1) {
		close(p->pipefd[0]);
		close(p->pipefd[1]);
	}
	free(p->buf);
}

/* Whether bytes read from the source still wait for the destination. */
static int
pump_pending(const struct pump *p)
{
	return p->splice ? p->inpipe > 0 : p->off < p->len;
}

/*
 * Copy src to dst with LF turned into CRLF; returns the new length.
 * *cr says whether the byte before src was CR, which may have come in the
 * previous read, and is updated for the next one.
 */
static size_t
to_crlf(char *dst, const char *src, size_t n, int *cr)
{
	size_t	 i, o = 0;

	for (i = 0; i < n; i++) {
		if (src[i] == '\n' && !*cr)
			dst[o++] = '\r';
		dst[o++] = src[i];
		*cr = src[i] == '\r';
	}
	return o;
}

/*
 * Whether a read of 0 bytes from seqpacket socket fd was the peer's EOF
 * rather than an empty message: the peer has shut down and no message
 * with data waits behind it.  (Empty messages just before EOF, which
 * carry nothing, are taken for it.)
 */
static int
seqpacket_eof(int fd)
{
	struct pollfd	 pfd = { .fd = fd, .events = POLLRDHUP };
	char		 c;

	if (poll(&pfd, 1, 0) <= 0 || (pfd.revents & (POLLRDHUP | POLLHUP |
	    POLLERR)) == 0)
		return 0;
	return recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) <= 0;
}

/*
 * The bytes just read, buf[0..len), into the -o and --hex-dump files,
 * each chunk as it came, as ncat writes them; with no destination
 * (--send-only's received bytes) they are dropped instead.
 */
static void
pump_log(struct pump *p)
{
	if (p->dst == -1) {
		p->len = 0;
		return;
	}
	hexdump_log(p->log, p->hexlog, p->buf, p->len);
}

/*
 * Read what the source has.  Returns the bytes that came, 0 when none did
 * (EAGAIN) or at EOF (p->eof set), -1 on error with a message in err.
 */
static ssize_t
pump_fill(struct pump *p, char *err, size_t errlen)
{
	ssize_t	 n;
	char	*tmp, why[300];

	if (p->x != NULL && p->x_src) {
		n = p->x->recv(p->x->arg, p->buf, PUMP_BUFSIZE, why,
		    sizeof why);
		if (n == -1 && errno != EAGAIN) {
			snprintf(err, errlen, "%s: %s", p->src_name, why);
			return -1;
		}
	} else if (p->splice) {
		n = splice(p->src, NULL, p->pipefd[1], NULL,
		    PIPE_SIZE - p->inpipe, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n == -1 && errno == EINVAL && p->bytes == 0 &&
		    p->inpipe == 0) {
			/* The kernel says no after all: use a buffer. */
			p->splice = 0;
			if ((p->buf = malloc(PUMP_BUFSIZE * 2)) == NULL)
				goto fail;
			return pump_fill(p, err, errlen);
		}
	} else if (p->crlf) {
		tmp = p->buf + PUMP_BUFSIZE;
		n = read(p->src, tmp, PUMP_BUFSIZE / 2);
	} else
		n = read(p->src, p->buf, PUMP_BUFSIZE);
	if (n == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		goto fail;
	}
	if (n == 0) {
		/* seqpacket: an empty message, unless the peer shut down */
		if (p->empty_msgs && !seqpacket_eof(p->src))
			return 0;
		p->eof = 1;
		return 0;
	}
	p->bytes += (uint64_t)n;
	if (p->splice) {
		p->inpipe += (size_t)n;
		return n;
	}
	p->off = 0;
	p->len = p->crlf ? to_crlf(p->buf, p->buf + PUMP_BUFSIZE, (size_t)n,
	    &p->last_cr) : (size_t)n;
	if (p->dump) {
		hexdump_chunk(stderr, p->dump, p->dumped, p->buf, p->len);
		p->dumped += p->len;
	}
	pump_log(p);
	return n;
fail:
	snprintf(err, errlen, "%s: %s", p->src_name, strerror(errno));
	return -1;
}

/* -d: the bytes up to the end of the next line waiting (or all). */
static size_t
pump_line(const struct pump *p)
{
	const char	*nl = memchr(p->buf + p->off, '\n', p->len - p->off);

	return nl != NULL ? (size_t)(nl - (p->buf + p->off)) + 1 :
	    p->len - p->off;
}

/*
 * Whether fd is a TCP socket: a send to one that fails with EPIPE (we send
 * nothing after our own shutdown) means the peer reset the connection, and
 * an earlier call that sent part of its bytes took the ECONNRESET.
 */
static int
is_tcp(int fd)
{
	int		 proto, e = errno, rc;
	socklen_t	 len = sizeof proto;

	rc = getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) == 0 &&
	    proto == IPPROTO_TCP;
	errno = e;
	return rc;
}

/*
 * Write what waits to the destination.  Returns the bytes written (0 when
 * it would block), or -1 with a message in err.
 */
static int
pump_flush(struct pump *p, char *err, size_t errlen)
{
	ssize_t	 n;
	size_t	 want;
	char	 why[300];

	if (!pump_pending(p) || (p->delay_ms > 0 && now_ms() < p->next_at))
		return 0;
	want = p->delay_ms > 0 ? pump_line(p) : p->len - p->off;
	if (p->x != NULL && !p->x_src) {
		n = p->x->send(p->x->arg, p->buf + p->off, want, why,
		    sizeof why);
		if (n == -1 && errno != EAGAIN) {
			snprintf(err, errlen, "%s: %s", p->dst_name, why);
			return -1;
		}
	} else if (p->splice)
		n = splice(p->pipefd[0], NULL, p->dst, NULL, p->inpipe,
		    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
	else if (p->messages)
		n = send(p->dst, p->buf + p->off, want, MSG_NOSIGNAL);
	else
		n = write(p->dst, p->buf + p->off, want);
	if (n == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		if (errno == EPIPE && is_tcp(p->dst))
			errno = ECONNRESET;
		snprintf(err, errlen, "%s: %s", p->dst_name, strerror(errno));
		return -1;
	}
	if (p->splice)
		p->inpipe -= (size_t)n;
	else
		p->off += (size_t)n;
	if (p->delay_ms > 0 && (size_t)n == want)
		p->next_at = now_ms() + p->delay_ms;
	return (int)(n > 0 ? n : 0);
}

/*
 * The poll() timeout until the nearest of the -w and -q deadlines and the
 * time -d lets the next line go (wake_at; -1: none).
 */
static int
next_timeout(const struct relay_opts *o, int64_t last_activity,
    int64_t eof_at, int64_t wake_at)
{
	int64_t	 now = now_ms(), t = -1, d;

	if (wake_at >= 0)
		t = wake_at > now ? wake_at - now : 0;

	if (o->idle_ms >= 0) {
		d = last_activity + o->idle_ms - now;
		if (d < 0)
			d = 0;
		if (t < 0 || d < t)
			t = d;
	}
	if (o->quit_ms >= 0 && eof_at >= 0) {
		d = eof_at + o->quit_ms - now;
		if (d < 0)
			d = 0;
		if (t < 0 || d < t)
			t = d;
	}
	return t > 3600 * 1000 ? 3600 * 1000 : (int)t;
}

/* The time on on_event's clock, 0 without one. */
static int64_t
stamp(const struct relay_opts *o)
{
	return o->now != NULL ? o->now() : 0;
}

/*
 * Tell on_event of a call that began at start: n bytes, or (n == -1) a
 * failure with errno.
 */
static void
emit(const struct relay_opts *o, enum relay_event ev, ssize_t n,
    int64_t start)
{
	struct relay_call	 rc;
	int			 e = errno;

	if (o->on_event == NULL)
		return;
	rc.ev = ev;
	rc.n = n;
	rc.err = n == -1 ? e : 0;
	rc.start = start;
	rc.end = stamp(o);
	o->on_event(o->arg, &rc);
	errno = e;
}

/*
 * One round of moving bytes after poll(); returns 0 or -1 with err.  The
 * socket's calls are stamped before they are made, so that they are drawn
 * before the packets they cause.
 */
static int
relay_step(const struct relay_opts *o, struct pump *in, struct pump *out,
    struct pollfd *pfd, int *moved, char *err, size_t errlen)
{
	ssize_t	 n;
	int64_t	 t;

	if (pfd[0].revents != 0 && !in->eof && !pump_pending(in)) {
		if (pump_fill(in, err, errlen) == -1)
			return -1;
	}
	/* TLS may need to read to write, and the other way round. */
	if (pump_pending(in) && (pfd[1].revents & (POLLOUT | POLLERR |
	    POLLHUP) || pfd[0].revents != 0 || (in->x && pfd[1].revents))) {
		t = stamp(o);
		if ((n = pump_flush(in, err, errlen)) == -1) {
			emit(o, RELAY_SEND, -1, t);
			return -1;
		}
		if (n > 0) {
			*moved = 1;
			emit(o, RELAY_SEND, n, t);
		}
	}
	if ((pfd[1].revents & (POLLIN | POLLERR | POLLHUP) || (out->x &&
	    pfd[1].revents)) && !out->eof && !pump_pending(out)) {
		t = stamp(o);
		if ((n = pump_fill(out, err, errlen)) == -1) {
			emit(o, RELAY_RECV, -1, t);
			return -1;
		}
		if (n > 0 || out->eof) {
			emit(o, RELAY_RECV, n, t);
			*moved = 1;
		}
	}
	if (pump_pending(out) && pump_flush(out, err, errlen) == -1)
		return -1;
	return 0;
}

/* Build the poll set: 0 input, 1 socket, 2 output. */
static void
relay_poll_set(const struct pump *in, const struct pump *out,
    struct pollfd *pfd)
{
	pfd[0].fd = -1;
	pfd[1].events = 0;
	pfd[2].fd = -1;
	if (in->src != -1 && !in->eof && !pump_pending(in)) {
		pfd[0].fd = in->src;
		pfd[0].events = POLLIN;
	}
	if (pump_pending(in) && (in->delay_ms == 0 || now_ms() >= in->next_at))
		pfd[1].events |= POLLOUT;
	if (!out->eof && !pump_pending(out))
		pfd[1].events |= POLLIN;
	if (pump_pending(out)) {
		pfd[2].fd = out->dst;
		pfd[2].events = POLLOUT;
	}
	if (out->x != NULL && pfd[1].events != 0)	/* TLS may want either */
		pfd[1].events |= (short)out->x->want(out->x->arg);
}

/*
 * Whether the relay is over.  The peer's EOF ends it once its bytes are
 * written out, except that input from a pipe or file is still sent on
 * (the peer may only have shut down its writing side, as "printf x |
 * sockkit connect" does); an interactive input stops with the peer.
 */
static int
relay_over(const struct pump *in, const struct pump *out, int in_tty,
    int send_only)
{
	int	 in_done = in->src == -1 || (in->eof && !pump_pending(in));
	int	 out_done = out->eof && !pump_pending(out);

	if (send_only && in_done)
		return 1;
	if (out_done && (in_done || in_tty))
		return 1;
	return 0;
}

/* Set up both pumps for o; returns 0 or -1 with errno. */
static int
relay_pumps(const struct relay_opts *o, struct pump *in, struct pump *out,
    const char *to, const char *from)
{
	int	 copy = o->hexdump || o->messages || o->log || o->hexlog ||
	    o->xport != NULL;

	if (pump_init(in, o->in_fd, o->net_fd, copy || o->crlf ||
	    o->delay_ms > 0 || o->in_fd == -1) == -1 || pump_init(out,
	    o->net_fd, o->send_only ? -1 : o->out_fd, copy ||
	    o->send_only) == -1)
		return -1;
	in->log = out->log = o->log;
	in->hexlog = out->hexlog = o->hexlog;
	in->delay_ms = o->delay_ms;
	in->src_name = "read from stdin";
	in->dst_name = to;
	in->crlf = o->crlf;
	in->messages = o->messages;
	in->dump = o->hexdump ? '>' : 0;
	out->empty_msgs = o->messages;
	out->src_name = from;
	out->dst_name = "write to stdout";
	out->dump = o->hexdump ? '<' : 0;
	in->x = out->x = o->xport;
	out->x_src = 1;
	return 0;
}

/*
 * Wait for the next thing to do: the pumps' fds, the capture's fd (handled
 * here), or the -w/-q deadlines.  Returns the number of ready pump fds,
 * 0 when there is nothing to move (look at the deadlines again), or -1
 * with a message in err (interrupted, idle too long, poll failed).
 */
static int
relay_wait(const struct relay_opts *o, struct pollfd *pfd, int64_t last,
    int64_t eof_at, int64_t wake_at, char *err, size_t errlen)
{
	int	 n, held;

	pfd[3].fd = o->on_extra != NULL ? o->extra_fd : -1;
	pfd[3].events = POLLIN;
	pfd[3].revents = 0;
	/* Bytes the transport holds wake no poll: read them now. */
	held = o->xport != NULL && (pfd[1].events & POLLIN) &&
	    o->xport->pending(o->xport->arg);
	n = sk_poll(pfd, 4, held ? 0 : next_timeout(o, last, eof_at,
	    wake_at));
	if (held && n >= 0 && !(pfd[1].revents & POLLIN)) {
		n += pfd[1].revents == 0;
		pfd[1].revents |= POLLIN;
	}
	if (n > 0 && pfd[3].revents != 0) {
		o->on_extra(o->arg);
		n--;
	}
	if (n == -1 && errno == EINTR && sk_interrupted) {
		snprintf(err, errlen, "interrupted");
		return -1;
	}
	if (n == -1 && errno != EINTR) {
		snprintf(err, errlen, "poll: %s", strerror(errno));
		return -1;
	}
	if (n <= 0 && o->idle_ms >= 0 && now_ms() - last >= o->idle_ms) {
		snprintf(err, errlen, "%s: timed out: idle for %.3g s (-%c)",
		    o->peer, o->idle_ms / 1000.0, o->idle_opt == 'i' ? 'i' :
		    'w');
		return -1;
	}
	return n < 0 ? 0 : n;
}

int
relay_run(const struct relay_opts *o, struct relay_stats *st, char *err,
    size_t errlen)
{
	struct pump	 in, out;
	struct pollfd	 pfd[4];
	int64_t		 last = now_ms(), eof_at = -1, t;
	int		 rc = -1, n, moved;
	int		 in_tty = o->in_fd != -1 && isatty(o->in_fd);
	char		 to[300], from[300];

	memset(&in, 0, sizeof in);
	memset(&out, 0, sizeof out);
	snprintf(to, sizeof to, "send to %s", o->peer);
	snprintf(from, sizeof from, "recv from %s", o->peer);
	if (relay_pumps(o, &in, &out, to, from) == -1) {
		snprintf(err, errlen, "relay: %s", strerror(errno));
		goto done;
	}
	pfd[1].fd = o->net_fd;
	for (;;) {
		if (in.eof && !pump_pending(&in) && eof_at < 0) {
			/* All input sent: say so with FIN, unless told not to. */
			eof_at = now_ms();
			if (!o->no_shutdown) {
				t = stamp(o);
				if (o->xport != NULL && o->xport->shutdown(
				    o->xport->arg, err, errlen) == -1)
					break;
				shutdown(o->net_fd, SHUT_WR);
				emit(o, RELAY_SHUTDOWN, 0, t);
			}
		}
		if (relay_over(&in, &out, in_tty, o->send_only) ||
		    (o->quit_ms >= 0 &&
		    eof_at >= 0 && now_ms() - eof_at >= o->quit_ms)) {
			rc = 0;
			break;
		}
		relay_poll_set(&in, &out, pfd);
		if ((n = relay_wait(o, pfd, last, eof_at, in.delay_ms > 0 &&
		    pump_pending(&in) ? in.next_at : -1, err, errlen)) == -1)
			break;
		if (n == 0)
			continue;
		moved = 0;
		if (relay_step(o, &in, &out, pfd, &moved, err, errlen) == -1)
			break;
		if (moved)
			last = now_ms();
	}
done:
	if (st != NULL) {
		st->sent = in.bytes;
		st->received = out.bytes;
	}
	pump_free(&in);
	pump_free(&out);
	return rc;
}

int
relay_command(const struct relay_opts *r)
{
	struct relay_stats	 st;
	char			 err[512], a[32], b[32];
	int			 rc;

	rc = relay_run(r, &st, err, sizeof err);
	if (rc == -1 && !sk_interrupted)
		sk_warnx("%s", err);
	sk_verbose("%s: sent %s bytes, received %s bytes", r->peer,
	    fmt_count(st.sent, a, sizeof a), fmt_count(st.received, b,
	    sizeof b));
	return rc == 0 ? EXIT_OK : EXIT_RUNTIME;
}
