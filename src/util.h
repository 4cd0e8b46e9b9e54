/*
 * util.h: small helpers shared by every module: messages, number parsing,
 * clocks, the loading of a library on first use.  Nothing here exits the
 * program.
 */
#ifndef UTIL_H
#define UTIL_H

#include <sys/epoll.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Exit statuses, the same for every command (documented in sockkit(1)).
 * Only command code picks one; modules that return a status (relay.c)
 * name it with these.
 */
#define EXIT_OK		0
#define EXIT_RUNTIME	1
#define EXIT_USAGE	2

/*
 * "sockkit: " + message (+ ": strerror(errno)" for sk_warn, or with
 * with_errno set) on stderr.
 */
void	sk_message(int, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
#define sk_warn(...)	sk_message(1, __VA_ARGS__)
#define sk_warnx(...)	sk_message(0, __VA_ARGS__)

/* Whether -v was given: verbose messages go through sk_verbose(). */
extern int sk_verbosity;
void	sk_verbose(const char *, ...) __attribute__((format(printf, 1, 2)));

/*
 * Parse a whole decimal integer in [min, max].  Returns 0, or -1 with a
 * reason ("not a number", "out of range 1-65535") in err.
 */
int	parse_long(const char *, long, long, long *, char *, size_t);

/*
 * Parse seconds ("2", "0.5", "1.25") into milliseconds in [0, max_ms].
 * Returns 0 or -1 with err saying what a good value is (one message for
 * a bad form and a value out of range).
 */
int	parse_secs(const char *, long, long *, char *, size_t);

/* Where temporary files go: $TMPDIR, else /tmp. */
const char *sk_tmpdir(void);

/*
 * A temporary file without a name in sk_tmpdir(), open for reading and
 * writing: O_TMPFILE where the file system has it, else mkstemp()
 * unlinked at once.  Only the descriptor reaches it, so nobody can swap
 * it, and nothing is left to remove.  Returns the fd, or -1 with errno.
 */
int	sk_tmpfile(void);

/* Parse a byte size with an optional K/M/G suffix (powers of 1024). */
int	parse_size(const char *, long long, long long *, char *, size_t);

/* Monotonic milliseconds and microseconds. */
int64_t	now_ms(void);
int64_t	now_us(void);

/* Format n with thousands separators into buf ("1,048,576"). */
const char *fmt_count(unsigned long long, char *, size_t);

/*
 * Set to the signal number by main()'s SIGINT/SIGTERM handler; every
 * event loop checks it.
 */
extern volatile sig_atomic_t sk_interrupted;

/*
 * poll(2) and epoll_wait(2) that cannot miss SIGINT or SIGTERM: the flag
 * is checked with those signals blocked and the wait unblocks them
 * atomically (ppoll, epoll_pwait), so a signal that lands just before
 * the wait ends it instead of being noticed only at the next event.
 * Return -1 with EINTR once sk_interrupted is set.
 */
int	sk_poll(struct pollfd *, nfds_t, int);
int	sk_epoll_wait(int, struct epoll_event *, int, int);

/* Set or clear O_NONBLOCK; returns 0 or -1 with errno. */
int	set_nonblock(int, int);

/* write() all of buf, retrying on EINTR and short writes; -1 on error. */
int	write_all(int, const void *, size_t);

/* Where this binary is (for a setcap hint), into buf; else "sockkit". */
const char *sk_self_path(char *, size_t);


/* A function of a library loaded on first use, and where its address goes. */
struct sk_dlsym {
	const char	*name;
	void		**slot;
};

/*
 * dlopen() soname now and fill the n slots of syms from it (pcapload.c,
 * sslload.c; only where configure found a soname to load).  Returns the
 * handle, or NULL with the slots cleared and one line in why: "cannot
 * load SONAME: REASON; install PACKAGE" (dlerror()'s reason without the
 * soname it usually starts with), or "cannot load SONAME: it has no
 * FUNCTION; sockkit needs NEED".
 */
void	*sk_dlopen(const char *, const char *, const char *,
	    const struct sk_dlsym *, size_t, char *, size_t);

/*
 * What pcapload_ready() and sslload_ready() answer once they tried to
 * load (loaded: 0 or -1): 0, or -1 with why copied into err and errno
 * ELIBACC.
 */
int	sk_dlready(int, const char *, char *, size_t);

/* Their answer where the library is linked, not loaded: it is there. */
static inline int
sk_linked_ready(char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	return 0;
}

#endif
