/*
 * relay.h: the two-way pump between standard input/output and a socket,
 * as nc does it, with splice(2) where both ends allow it.
 */
#ifndef RELAY_H
#define RELAY_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* What the relay did, for --trace and -v: see relay_opts.on_event. */
enum relay_event {
	RELAY_SEND,		/* n bytes written to the socket */
	RELAY_RECV,		/* n bytes read from it; n == 0 is EOF */
	RELAY_SHUTDOWN,		/* shutdown(SHUT_WR) after input EOF */
};

/* One socket call of the relay, told once it returned. */
struct relay_call {
	enum relay_event ev;
	ssize_t		 n;		/* bytes; -1: it failed with err */
	int		 err;
	int64_t		 start, end;	/* relay_opts.now() before and after */
};

/*
 * A transport over the socket (TLS): the relay reads and writes through
 * it, and polls for what want() says.  recv and send return the count,
 * 0 at recv's end, or -1: errno EAGAIN to wait, else with the reason in
 * the buffer.  pending: bytes wait inside it.  shutdown: no more to send.
 */
struct relay_xport {
	ssize_t		(*recv)(void *, void *, size_t, char *, size_t);
	ssize_t		(*send)(void *, const void *, size_t, char *, size_t);
	int		(*pending)(void *);
	int		(*want)(void *);
	int		(*shutdown)(void *, char *, size_t);
	void		*arg;
};

struct relay_opts {
	int		 in_fd;		/* what we send; -1: nothing */
	int		 out_fd;	/* where received bytes go */
	int		 net_fd;	/* the connected socket */
	const char	*peer;		/* "127.0.0.1 port 80", for messages */
	int		 no_shutdown;	/* keep writing side open at EOF */
	int		 crlf;		/* -C: send LF as CRLF */
	int		 hexdump;	/* -x: dump both directions to stderr */
	int		 messages;	/* SOCK_SEQPACKET: one read, one send */
	long		 quit_ms;	/* -q: quit this long after EOF; -1 */
	long		 idle_ms;	/* -w: give up when idle; -1 */
	int		 idle_opt;	/* 'i' when -i set it, else -w */
	void		(*on_event)(void *, const struct relay_call *);
	int64_t		(*now)(void);	/* the clock of on_event's times */
	void		*arg;
	int		 extra_fd;	/* also polled (a capture); -1: none */
	void		(*on_extra)(void *);	/* extra_fd is readable */
	int		 send_only;	/* drop what comes; end at input EOF */
	long		 delay_ms;	/* -d: between lines sent; 0: none */
	FILE		*log;		/* -o: both directions' bytes */
	FILE		*hexlog;	/* --hex-dump: both, ncat's dump */
	const struct relay_xport *xport;	/* NULL: plain read/write */
};

struct relay_stats {
	uint64_t	 sent;
	uint64_t	 received;
};

/*
 * Relay until both directions are done: input EOF has been sent on (and
 * shut down) and the peer has closed, or -q ran out.  Returns 0, or -1
 * with a message naming what failed and why in err (reset, timed out,
 * broken pipe, interrupted).
 */
int	relay_run(const struct relay_opts *, struct relay_stats *, char *,
	    size_t);

/*
 * relay_run() for a command: say why it failed (unless interrupted) and,
 * with -v, the byte counts.  Returns the exit status.
 */
int	relay_command(const struct relay_opts *);

#endif
